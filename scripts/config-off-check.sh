#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Compile ptwalk (W=1, warnings fail) against a 6.1 tree configured with
# every option ptwalk can do without turned off: THP, NUMA balancing,
# hugetlb, kprobes, soft-dirty, userfaultfd, ZONE_DEVICE, debugfs (and
# the block tracer, which selects it) and compaction.  What such a kernel
# lacks must be reported absent at run time, never break the build.  No
# guest boots this kernel: a build check (modpost only warns of unresolved
# symbols, as the tree was never built).
# The configured tree is cached in /var/cache/ptwalk/config-off.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
cache=${PTWALK_CONFIG_OFF:-/var/cache/ptwalk/config-off}
tarball=/usr/src/linux-source-6.1.tar.xz
off="TRANSPARENT_HUGEPAGE NUMA_BALANCING HUGETLBFS HUGETLB_PAGE KPROBES KRETPROBES
     MEM_SOFT_DIRTY USERFAULTFD ZONE_DEVICE DEBUG_FS COMPACTION BLK_DEV_IO_TRACE"
src=$cache/linux-source-6.1
out=$cache/out

# The cache folder may be a mount point (fresh-root.sh shares it with a CI
# root) and another run may be filling it: lock a file inside, and empty
# the folder rather than remove it.
mkdir -p "$cache"
exec 8>> "$cache/.ptwalk-lock"
flock 8
if [ ! -e "$out/.ptwalk-ready" ]; then
	[ -e "$tarball" ] || { echo "config-off-check: $tarball missing (make deps)" >&2; exit 1; }
	find "$cache" -mindepth 1 -maxdepth 1 ! -name .ptwalk-lock \
		-exec rm -rf --one-file-system {} +
	mkdir -p "$out"
	tar -C "$cache" -xf "$tarball"
	make -s -C "$src" O="$out" x86_64_defconfig
	for o in $off; do
		"$src/scripts/config" --file "$out/.config" --disable "$o"
	done
	make -s -C "$src" O="$out" olddefconfig
	for o in $off; do
		if grep -q "^CONFIG_$o=" "$out/.config"; then
			echo "config-off-check: CONFIG_$o stays on (selected by another option)" >&2
			exit 1
		fi
	done
	make -s -C "$src" O="$out" -j"$(nproc)" modules_prepare
	touch "$out/.ptwalk-ready"
fi

d=$build/config-off
rm -rf "$d"
mkdir -p "$d"
cp "$top"/Kbuild "$top"/*.c "$top"/*.h "$d/"
cp -r "$top/include" "$d/"
log=$d/build.log
KBUILD_MODPOST_WARN=1 make -C "$out" M="$d" W=1 modules > "$log" 2>&1 || { cat "$log"; exit 1; }
# modpost cannot know the symbols of a kernel that was never built
if grep -E 'warning:|error:' "$log" | grep -v 'modpost: .* undefined!'; then
	echo "config-off-check: warnings with$(printf ' %s' $off) off (see $log)" >&2
	exit 1
fi
echo "config-off-check: builds with$(printf ' %s' $off) off"
