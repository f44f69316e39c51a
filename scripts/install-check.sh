#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# What a user does on their own machine, for every guest kernel, without
# loading anything: `make module KVER=`, `make install DESTDIR=` (the file
# list, the module's vermagic), `dkms add` + `dkms build` in private trees
# (never the system's), the man pages through man's warnings, and one
# version everywhere.  Prints one "ok"/"FAIL" line per check; any FAIL fails.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
kdir=${PTWALK_KERNELS:-/var/cache/ptwalk/kernels}
work=$build/install-check
ver=$(cat "$top/VERSION")
fails=0
ok() { echo "install-check: ok   $*"; }
bad() { echo "install-check: FAIL $*"; fails=$((fails + 1)); }

rm -rf "$work"
mkdir -p "$work"
cd "$top"

# One version: VERSION, dkms.conf, MODULE_VERSION and ptwalk --version.
grep -qx "PACKAGE_VERSION=\"$ver\"" dkms.conf && ok "dkms.conf version $ver" ||
	bad "dkms.conf PACKAGE_VERSION is not $ver"
grep -q "MODULE_VERSION(\"$ver\")" main.c && ok "MODULE_VERSION $ver" ||
	bad "main.c MODULE_VERSION is not $ver"

for page in man/ptwalk.8 man/ptwalk.4; do
	warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null || echo "man failed")
	[ -z "$warn" ] && ok "$page: no man warnings" || bad "$page: $warn"
done

vermagic_is() { # ko kver
	local v
	v=$(modinfo -F vermagic "$1" 2>/dev/null | cut -d' ' -f1)
	[ "$v" = "$2" ]
}

# dkms add + build exactly as documented, in trees of our own; CMD runs
# them (on this machine, or in the trixie root for 7.x).
dkms_check() { # kver build-dir cmd...
	local k=$1 b=$2 src tree ko
	shift 2
	src=$(make -s dkms-source BUILD="$b")
	tree=$b/dkms-tree
	mkdir -p "$tree"
	if "$@" dkms add -m ptwalk -v "$ver" --sourcetree "$(dirname "$src")" \
		--dkmstree "$tree" > "$b.dkms.log" 2>&1 &&
	   "$@" dkms build -m ptwalk -v "$ver" -k "$k" --sourcetree "$(dirname "$src")" \
		--dkmstree "$tree" >> "$b.dkms.log" 2>&1 &&
	   ko=$(find "$tree/ptwalk/$ver/$k" -name 'ptwalk.ko*' | sed -n 1p) && [ -n "$ko" ] &&
	   vermagic_is "$ko" "$k"; then
		ok "$k: dkms build"
	else
		bad "$k: dkms build (see $b.dkms.log)"
		tail -n 20 "$b.dkms.log"
	fi
}

trixie=${PTWALK_TRIXIE_ROOT:-/var/cache/ptwalk/trixie-root}
while read -r k; do
	b=$work/$k
	if [ ! -d "/usr/src/linux-headers-$k" ]; then
		# 7.x: its users build on trixie; here only DKMS, in the trixie root
		mkdir -p "$b"
		if [ -d "$trixie/usr/src/linux-headers-$k" ]; then
			dkms_check "$k" "$b" env PTWALK_BIND="$b" "$top/scripts/trixie-root.sh" run
		else
			bad "$k: no headers on this machine nor in $trixie"
		fi
		continue
	fi
	if make -s module KVER="$k" BUILD="$b" > "$b.module.log" 2>&1 &&
	   vermagic_is "$b/module/$k/ptwalk.ko" "$k" && "$b/bin/ptwalk" --version |
	   grep -qx "ptwalk $ver, ABI [0-9]*"; then
		ok "$k: make module"
	else
		bad "$k: make module (see $b.module.log)"
	fi
	dest=$b/dest
	if make -s install KVER="$k" BUILD="$b" DESTDIR="$dest" PREFIX=/usr > "$b.install.log" 2>&1; then
		missing=
		for f in usr/bin/ptwalk usr/share/man/man8/ptwalk.8 usr/share/man/man4/ptwalk.4 \
			 etc/udev/rules.d/60-ptwalk.rules; do
			[ -e "$dest/$f" ] || missing+=" $f"
		done
		ko=$(find "$dest/lib/modules/$k/updates" -name 'ptwalk.ko*' 2>/dev/null | sed -n 1p)
		[ -n "$ko" ] || missing+=" lib/modules/$k/updates/ptwalk.ko*"
		[ -n "$ko" ] && ! vermagic_is "$ko" "$k" && missing+=" (vermagic of $ko)"
		grep -q 'GROUP="ptwalk", MODE="0660"' "$dest/etc/udev/rules.d/60-ptwalk.rules" ||
			missing+=" (udev rule: group ptwalk 0660)"
		[ -z "$missing" ] && ok "$k: make install DESTDIR" ||
			bad "$k: make install DESTDIR: missing$missing"
	else
		bad "$k: make install DESTDIR (see $b.install.log)"
	fi
	dkms_check "$k" "$b"
done < "$kdir/versions"
[ $fails -eq 0 ] || { echo "install-check: $fails failed" >&2; exit 1; }
