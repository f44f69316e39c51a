#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run the selftests under virtme-ng instead of the busybox guest:
#   scripts/vng-check.sh KVER     (after `make all`; needs vng on PATH)
# The host's root filesystem is shared read-only into the guest, so the
# static binaries and the module come straight from build/.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
k=${1:?usage: vng-check.sh KVER}
kdir=${PTWALK_KERNELS:-/var/cache/ptwalk/kernels}
command -v vng >/dev/null || { echo "vng-check: virtme-ng (vng) is not installed" >&2; exit 1; }
exec vng --run "$kdir/vmlinuz-$k" --user root --memory 3G --cpus 2 \
	--append "transparent_hugepage=madvise hugepagesz=1G hugepages=1 hugepagesz=2M hugepages=16" \
	--exec "insmod $top/build/mod/$k/ptwalk.ko && PATH=$top/build/bin:\$PATH $top/build/bin/ptwalk_test; rc=\$?; rmmod ptwalk; dmesg | grep -E 'BUG:|WARNING:|Oops' && exit 1; exit \$rc"
