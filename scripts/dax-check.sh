#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# selftests/dax_test.c in a guest that has DAX: 64 MiB of its RAM made a
# legacy pmem region (memmap=64M!2G), ext4 on /dev/pmem0 mounted -o dax.
# Not a lane: the lanes' initramfs has no nvdimm modules, so this packs
# them (from the kernel's Debian package, cached in
# /var/cache/ptwalk/dax-modules/KVER) with the test into a second cpio
# appended to build/initramfs.cpio.gz, booted with rdinit=/dax-init.
#   scripts/dax-check.sh [KVER...]    default: every 6.12 and 7.x kernel
# Needs `make all` first.  Exits non-zero on any failed or skipped test
# and on any bad line in the guest's dmesg.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
kdir=${PTWALK_KERNELS:-/var/cache/ptwalk/kernels}
cache=${PTWALK_DAX_CACHE:-/var/cache/ptwalk/dax-modules}
mods="libnvdimm nd_btt nd_pmem nd_e820"
bad_re='BUG:|WARNING:|Oops|KASAN|lockdep|general protection fault|Kernel panic|kernel BUG'
out=$build/dax
mkdir -p "$out"

# The nvdimm modules of KVER, uncompressed, in $cache/KVER.
fetch_modules() { # KVER
	local k=$1 tmp m f
	[ -e "$cache/$k/.done" ] && return
	tmp=$(mktemp -d)
	case "$k" in
	7.*) PTWALK_BIND=$tmp "$top/scripts/trixie-root.sh" run sh -c \
		"cd '$tmp' && apt-get download -qq linux-modules-$k" ;;
	*) (cd "$tmp" && apt-get download -qq "linux-image-$k") ;;
	esac 2>&1 | grep -v 'Download is performed unsandboxed' || true
	for f in "$tmp"/*.deb; do
		dpkg-deb -x "$f" "$tmp/root"
	done
	mkdir -p "$cache/$k"
	for m in $mods; do
		f=$(find "$tmp/root" -name "$m.ko*" | sed -n 1p)
		[ -n "$f" ] || { echo "dax-check: $m missing for $k" >&2; exit 1; }
		case "$f" in
		*.xz) xz -dc "$f" > "$cache/$k/$m.ko" ;;
		*.zst) zstd -qdc "$f" > "$cache/$k/$m.ko" ;;
		*) cp "$f" "$cache/$k/$m.ko" ;;
		esac
	done
	touch "$cache/$k/.done"
	rm -rf "$tmp"
}

cc -O2 -g -Wall -static -I"$top/include/uapi" \
	-I/usr/src/linux-source-6.1/tools/testing/selftests \
	-o "$out/dax_test" "$top/selftests/dax_test.c" "$top/selftests/oracle.c" -lpthread

if [ $# -eq 0 ]; then
	mapfile -t kernels < <(grep -E '^(6\.12|7\.)' "$kdir/versions" | grep -v -- -rt-)
	set -- "${kernels[@]}"
fi
fail=0
for k in "$@"; do
	fetch_modules "$k"
	root=$out/root-$k
	rm -rf "$root"
	mkdir -p "$root/bin" "$root/lib/ptwalk/$k/dax"
	cp "$out/dax_test" "$root/bin/"
	cp "$cache/$k/"*.ko "$root/lib/ptwalk/$k/dax/"
	cat > "$root/dax-init" <<-EOF
	#!/bin/sh
	export PATH=/bin:/sbin
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	mount -t debugfs debugfs /sys/kernel/debug
	mount -t tmpfs tmpfs /tmp
	m=/lib/ptwalk/\$(uname -r)
	for x in \$(cat \$m/mods/order) $mods; do
		[ \$x = zram ] && continue
		f=\$m/mods/\$x.ko; [ -e \$f ] || f=\$m/dax/\$x.ko
		insmod \$f || echo "DAX-GUEST insmod \$x failed"
	done
	i=0; while [ ! -b /dev/pmem0 ] && [ \$i -lt 50 ]; do sleep 0.1; i=\$((i + 1)); done
	mkdir -p /mnt/dax
	mke2fs -q -b 4096 /dev/pmem0 > /dev/null && mount -t ext4 -o dax /dev/pmem0 /mnt/dax &&
		grep ' /mnt/dax ' /proc/mounts | sed 's/^/DAX-GUEST mount /'
	insmod \$m/ptwalk.ko && /bin/dax_test
	rmmod ptwalk
	echo "DAX-GUEST dmesg begin"
	dmesg
	echo "DAX-GUEST dmesg end"
	poweroff -f
	EOF
	chmod 755 "$root/dax-init"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out/extra-$k.cpio.gz"
	cat "$build/initramfs.cpio.gz" "$out/extra-$k.cpio.gz" > "$out/initramfs-$k.cpio.gz"
	log=$out/$k.log
	timeout --foreground -k 10 600 \
		qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 3G -no-reboot \
		-display none -monitor none -serial stdio \
		-kernel "$kdir/vmlinuz-$k" -initrd "$out/initramfs-$k.cpio.gz" \
		-append "console=ttyS0 quiet loglevel=4 panic=-1 memmap=64M!2G rdinit=/dax-init" \
		< /dev/null > "$log" 2>&1 || true
	res=$(grep -E '^# (PASSED|FAILED|Totals)' "$log" | tr '\n' ' ')
	bad=$(sed -n '/DAX-GUEST dmesg begin/,/DAX-GUEST dmesg end/p' "$log" | grep -E "$bad_re" || true)
	if ! grep -q '^# Totals: pass:3 fail:0 xfail:0 xpass:0 skip:0 error:0' "$log" || [ -n "$bad" ]; then
		echo "dax-check $k: FAIL ${res:-no test result} ${bad:+dmesg: $bad} (log $log)"
		fail=1
	else
		echo "dax-check $k: PASS $res"
	fi
done
exit $fail
