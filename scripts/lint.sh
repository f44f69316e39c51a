#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch --strict on every kernel-side file and sparse (C=2) on the
# module for each guest kernel; any finding fails.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
kdir=${PTWALK_KERNELS:-/var/cache/ptwalk/kernels}
cp=/usr/src/linux-source-6.1/scripts/checkpatch.pl
cd "$top"
ignore=FILE_PATH_CHANGES
check() { "$cp" --strict --no-tree --quiet --show-types --ignore "$ignore" -f "$@"; }
check $(ls Kbuild *.c *.h include/uapi/linux/*.h | grep -v '^compat.h$')
# compat.h is the one place allowed to test kernel versions.
ignore+=,LINUX_VERSION_CODE,CONSTANT_COMPARISON check compat.h
echo "checkpatch --strict: clean"
# Kernel versions and configs are tested in compat.h alone, behind helpers.
if grep -nE 'LINUX_VERSION_CODE|KERNEL_VERSION\(|CONFIG_[A-Z0-9_]+' $(ls *.c *.h | grep -v '^compat.h$'); then
	echo "lint: version or config test outside compat.h" >&2
	exit 1
fi
while read -r k; do
	d=$build/sparse/$k
	rm -rf "$d"
	mkdir -p "$d"
	cp Kbuild *.c *.h "$d/"
	cp -r include "$d/"
	all=$(scripts/kmake.sh "$k" "$d" C=2 W=1 modules 2>&1) || { echo "$all"; exit 1; }
	out=$(echo "$all" | grep -E 'warning:|error:' || true)
	if [ -n "$out" ]; then
		echo "$out"
		echo "sparse: $k: findings" >&2
		exit 1
	fi
	# Kbuild turns C=2 off when its checker test fails: 7.x headers need a
	# sparse newer than any Debian ships (0.6.4 cannot parse
	# __typeof_unqual__), and Debian's 7.3 headers lack checker-valid.sh.
	if echo "$all" | grep -qE 'is not available or not up to date|checker-valid.sh'; then
		echo "sparse $k: NOT RUN (no sparse can check these headers; W=1 only)"
		continue
	fi
	echo "sparse $k: clean"
done < "$kdir/versions"
# Options ptwalk can do without, all off: it must still build (W=1 clean).
scripts/config-off-check.sh
