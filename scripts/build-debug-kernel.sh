#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the debug lane's kernel (KASAN, lockdep, kmemleak, UBSAN, DEBUG_VM,
# ...) from Debian's linux-source-6.1: x86_64_defconfig + kvm_guest.config +
# scripts/debug-kernel.config.  Debian's own kernels have none of these, so
# without it "a KASAN or lockdep line fails the lane" could never fire.
# scripts/debug-kernel-patches/*.patch (-p1, in name order) are applied to
# the unpacked source first: fixes of 6.1 bugs that stop the debug boot.
#
# The result is cached under $PTWALK_DEBUG_CACHE/KEY/ (KEY: a hash of the
# fragment, the patches, the source version and this recipe): bzImage and
# build/, the tree external modules build against (make -C KEY/build M=DIR), with
# vmlinux for faddr2line.  A run whose KEY is cached only registers it
# (about a second); a new KEY rebuilds in $PTWALK_DEBUG_CACHE/obj, where a
# changed option recompiles what depends on it (KFENCE or PAGE_TABLE_CHECK:
# nearly everything).  From scratch: about 50 minutes on 2 busy cores.
#
# Registration, so the scripts pick it up like the Debian kernels:
#   $PTWALK_KERNELS/vmlinuz-KREL, $PTWALK_KERNELS/modules-KREL/order (empty:
#   zram and ext4 are built in), /usr/src/linux-headers-KREL -> KEY/build
#   (scripts/kmake.sh; PTWALK_HEADERS instead of /usr/src: a private
#   registration beside PTWALK_KERNELS), and KREL in
#   $PTWALK_KERNELS/debug-versions (read by build-modules.sh and
#   mkinitramfs.sh; the debug lane of run-guests.sh).
#   scripts/build-debug-kernel.sh [--print-key]
set -euo pipefail
# All in one function: bash parses it whole before it runs, so an edit of
# this file during a long build cannot derail the running copy (and the
# exit after it keeps bash from reading on).
main() {
	top=$(cd "$(dirname "$0")/.." && pwd)
	cache=${PTWALK_DEBUG_CACHE:-/var/cache/ptwalk/debug-kernel}
	kdir=${PTWALK_KERNELS:-/var/cache/ptwalk/kernels}
	jobs=${PTWALK_DEBUG_JOBS:-2}
	frag=$top/scripts/debug-kernel.config
	pdir=$top/scripts/debug-kernel-patches
	patches=("$pdir"/*.patch)
	[ -e "${patches[0]}" ] || patches=()
	hdrs=${PTWALK_HEADERS:-/usr/src}
	tarball=/usr/src/linux-source-6.1.tar.xz
	# Bump when the steps below change what a cached KEY holds.
	recipe="x86_64_defconfig kvm_guest.config fragment; export v1"
	deps=(build-essential bc flex bison libelf-dev libssl-dev cpio xz-utils rsync
	      util-linux linux-source-6.1)

	# installed, not only known to dpkg ("dpkg-query -W" succeeds for a
	# package it merely knows of: CI's fresh root had no rsync so)
	ninst=$(dpkg-query -W -f='${db:Status-Abbrev}\n' "${deps[@]}" 2>/dev/null | grep -c '^ii') || true
	if [ "$ninst" != ${#deps[@]} ] || [ ! -e "$tarball" ]; then
		[ "$(id -u)" = 0 ] || { echo "build-debug-kernel: run as root (apt)" >&2; exit 1; }
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			"${deps[@]}" >/dev/null
	fi

	srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
	key=$( { echo "$srcver"; echo "$recipe"; cat "$frag"; [ ${#patches[@]} = 0 ] || cat "${patches[@]}"; } |
		sha256sum | cut -c1-16)
	[ "${1:-}" = --print-key ] && { echo "$key"; exit 0; }
	out=$cache/$key

	# Idempotent: a warm run writes nothing (make check may run as any user).
	register() {
		local krel
		krel=$(cat "$out/kernelrelease")
		[ "$(readlink "$kdir/vmlinuz-$krel")" = "$out/bzImage" ] ||
			ln -sfn "$out/bzImage" "$kdir/vmlinuz-$krel"
		[ -e "$kdir/modules-$krel/order" ] ||
			{ mkdir -p "$kdir/modules-$krel" && : > "$kdir/modules-$krel/order"; }
		[ "$(readlink "$hdrs/linux-headers-$krel")" = "$out/build" ] ||
			ln -sfn "$out/build" "$hdrs/linux-headers-$krel"
		[ "$(cat "$kdir/debug-versions" 2>/dev/null)" = "$krel" ] ||
			echo "$krel" > "$kdir/debug-versions"
		echo "build-debug-kernel: $krel ($key) in $out"
	}

	if [ -e "$out/done" ]; then
		register
		exit 0
	fi

	mkdir -p "$cache" "$kdir"
	# One build at a time (make check and a helper may start it together).
	exec 9> "$cache/lock"
	flock 9
	# another run may have built it meanwhile
	[ -e "$out/done" ] && { register; exit 0; }

	start=$(date +%s)
	src=$cache/src-$srcver
	if [ ! -e "$src/.unpacked" ]; then
		rm -rf "$src" "$cache/src.tmp"
		mkdir -p "$cache/src.tmp"
		echo "build-debug-kernel: unpacking linux-source $srcver"
		tar -C "$cache/src.tmp" -xf "$tarball"
		mv "$cache/src.tmp/linux-source-6.1" "$src"
		rmdir "$cache/src.tmp"
		touch "$src/.unpacked"
	fi
	# The patches in place, recorded in $src/.ptwalk-patches (none: pristine).
	# Another series applied before is reversed first; make rebuilds only
	# what includes the files they touch.
	have=$src/.ptwalk-patches
	if [ -d "$have" ] || [ ${#patches[@]} -gt 0 ]; then
		if ! { [ -d "$have" ] && diff -r -q "$have" "$pdir" > /dev/null 2>&1; }; then
			if [ -d "$have" ]; then
				for p in $(find "$have" -name '*.patch' | sort -r); do
					patch -d "$src" -p1 -R -s -f < "$p"
				done
			fi
			rm -rf "$have"
			for p in "${patches[@]}"; do
				echo "build-debug-kernel: patch ${p##*/}"
				patch -d "$src" -p1 -s -f < "$p"
			done
			[ ${#patches[@]} = 0 ] || { mkdir -p "$have" && cp "${patches[@]}" "$have/"; }
		fi
	fi

	# The build folder is reused across keys: a changed fragment rebuilds only
	# what its options touch.  A build from another source version starts over.
	obj=$cache/obj
	[ "$(cat "$obj/.srcver" 2>/dev/null)" = "$srcver" ] || { rm -rf "$obj"; mkdir -p "$obj"; }
	echo "$srcver" > "$obj/.srcver"
	log=$cache/build-$key.log
	kmake() { make -C "$src" O="$obj" "$@"; }

	{
		kmake x86_64_defconfig kvm_guest.config
		"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$frag"
		kmake olddefconfig
	} > "$log" 2>&1 || { tail -n 30 "$log"; exit 1; }
	# Kconfig drops what it cannot satisfy without a word: insist on the fragment.
	missing=0
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*) grep -qxF "$line" "$obj/.config" || { echo "  wanted: $line"; missing=1; } ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			! grep -q "^$sym=" "$obj/.config" || { echo "  wanted: $line"; missing=1; } ;;
		esac
	done < "$frag"
	[ $missing = 0 ] || { echo "build-debug-kernel: the fragment did not apply (see $obj/.config)" >&2; exit 1; }

	echo "build-debug-kernel: building $key (nice -n 19 make -j$jobs; log $log)"
	nice -n 19 make -C "$src" O="$obj" -j"$jobs" >> "$log" 2>&1 ||
		{ grep -E 'error|Error' "$log" | tail -n 20; tail -n 20 "$log"; exit 1; }
	built=$(date +%s)

	# Keep what an external module build needs (generated headers, config,
	# Module.symvers, scripts/ and objtool binaries, the Makefiles) and vmlinux;
	# drop objects.
	rm -rf "$out.tmp"
	mkdir -p "$out.tmp"
	rsync -a --exclude='*.o' --exclude='*.a' --exclude='.*.cmd' --exclude='*.ko' \
		--exclude='*.mod.c' --exclude='.tmp_*' --exclude='/arch/x86/boot/compressed/vmlinux*' \
		"$obj/" "$out.tmp/build/"
	cp "$obj/arch/x86/boot/bzImage" "$out.tmp/bzImage"
	cp "$obj/include/config/kernel.release" "$out.tmp/kernelrelease"

	# Prove the exported tree builds and links a module before caching it.
	t=$(mktemp -d)
	printf '#include <linux/module.h>\nstatic int __init t_init(void) { return 0; }\nmodule_init(t_init);\nMODULE_LICENSE("GPL");\n' > "$t/t.c"
	echo 'obj-m := t.o' > "$t/Kbuild"
	make -C "$out.tmp/build" M="$t" modules >> "$log" 2>&1 ||
		{ tail -n 20 "$log"; echo "build-debug-kernel: the exported tree cannot build modules" >&2; exit 1; }
	[ "$(modinfo -F vermagic "$t/t.ko" | cut -d' ' -f1)" = "$(cat "$out.tmp/kernelrelease")" ] ||
		{ echo "build-debug-kernel: test module has the wrong vermagic" >&2; exit 1; }
	rm -rf "$t"

	cp "$obj/.config" "$out.tmp/config"
	rm -rf "$out"
	mv "$out.tmp" "$out"
	touch "$out/done"
	echo "build-debug-kernel: built in $((built - start))s, exported in $(( $(date +%s) - built ))s," \
		"$(du -sh "$out" | cut -f1)"
	register
}
main "$@"
exit
