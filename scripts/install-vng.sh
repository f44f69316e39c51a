#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install virtme-ng (vng) for the vng lanes, and the module trees of the
# kernels they boot:
#   scripts/install-vng.sh [KVER...]
# vng is not in bookworm; Debian trixie has it as one Architecture: all
# package whose dependencies bookworm has.  Only that .deb comes from
# trixie: its Packages index is fetched into a private apt state (no
# trixie source is added to this machine's apt config), the deb is checked
# against the index's SHA256, its dependencies come from bookworm through
# the normal apt config, then dpkg installs it.  Fast when done already.
#
# For each KVER the kernel's linux-image package is unpacked (never
# installed) into $PTWALK_VNG_KERNELS/KVER (default /var/cache/ptwalk/vng):
# boot/vmlinuz-KVER beside lib/modules/KVER with its depmod index.  vng
# finds a module tree next to the kernel image it boots and links it into
# the guest's /lib/modules, so the host's /lib/modules is never touched.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
vngdir=${PTWALK_VNG_KERNELS:-/var/cache/ptwalk/vng}
aptdir=/var/cache/ptwalk/vng-apt
export DEBIAN_FRONTEND=noninteractive
# QEMU and a static busybox (for vng's initramfs) come from bookworm too
host_pkgs=(qemu-system-x86 busybox-static)

# apt-get ARGS on this machine's own apt config, waiting while another
# apt (install-deps.sh, a parallel build) holds one of its locks
host_apt() {
	local err
	for _ in $(seq 60); do
		err=$(apt-get -o DPkg::Lock::Timeout=60 "$@" 2>&1 > /dev/null) && return 0
		case $err in
		*"Could not get lock"* | *"Unable to lock"*) sleep 5 ;;
		*) break ;;
		esac
	done
	echo "$err" >&2
	return 1
}

need_root() {
	[ "$(id -u)" = 0 ] || { echo "install-vng: run as root" >&2; exit 1; }
}

install_vng() {
	need_root
	local mirror apt deb sum want deps
	mirror=$("$top/scripts/debian-mirror.sh")
	mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" \
		> "$aptdir/sources.list"
	# apt with only this sources.list, its own lists and cache: what it
	# learns about trixie stays in $aptdir
	apt=(-o Dir::Etc::sourcelist="$aptdir/sources.list" -o Dir::Etc::sourceparts=-
	     -o Dir::State::Lists="$aptdir/lists" -o Dir::Cache="$aptdir/cache"
	     -o APT::Sandbox::User=root)
	apt-get "${apt[@]}" update -qq
	rm -f "$aptdir"/virtme-ng_*.deb
	(cd "$aptdir" && apt-get "${apt[@]}" download -qq virtme-ng)
	deb=$(ls "$aptdir"/virtme-ng_*_all.deb)
	want=$(apt-cache "${apt[@]}" show virtme-ng | sed -n 's/^SHA256: //p' | sed -n 1p)
	sum=$(sha256sum "$deb" | cut -d' ' -f1)
	if [ -z "$want" ] || [ "$sum" != "$want" ]; then
		echo "install-vng: $deb: SHA256 $sum, the index says '$want'" >&2
		exit 1
	fi
	# Depends: "a (>= 1), b:any, c | d": the first of each, from bookworm
	deps=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' |
		sed 's/|.*//; s/(.*)//; s/:any//; s/[[:space:]]//g' | grep .)
	host_apt update -qq
	# shellcheck disable=SC2086 # one package name a word
	host_apt install -y -qq --no-install-recommends $deps "${host_pkgs[@]}"
	dpkg -i "$deb" > /dev/null
	echo "install-vng: $(vng --version) from trixie ($(basename "$deb"), SHA256 ok)"
}

unpack_kernel() { # KVER
	local k=$1 tmp d=$vngdir/$1
	[ -e "$d/.complete" ] && [ -e "$d/boot/vmlinuz-$k" ] && return
	need_root
	tmp=$(mktemp -d)
	# apt checks the deb against the signed index, as install-deps.sh
	(cd "$tmp" && { host_apt download -qq "linux-image-$k" 2>/dev/null ||
		host_apt download -qq "linux-image-$k-unsigned"; })
	rm -rf "$d"
	mkdir -p "$d"
	dpkg-deb -x "$tmp"/linux-image-*.deb "$d"
	rm -rf "$tmp" "$d/usr/share/doc"
	[ -d "$d/lib/modules/$k/kernel" ] || { echo "install-vng: no modules in linux-image-$k" >&2; exit 1; }
	depmod -b "$d" "$k"
	touch "$d/.complete"
	echo "install-vng: kernel $k with its modules in $d"
}

if ! command -v vng > /dev/null; then
	install_vng
fi
for k in "$@"; do
	unpack_kernel "$k"
done
