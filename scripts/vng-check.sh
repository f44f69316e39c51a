#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The selftests under virtme-ng, one lane per kernel, run by the same
# scripts/guest-init and judged as the QEMU lanes (scripts/run-guests.sh):
#   scripts/vng-check.sh            the 6.1-vng and 6.12-vng lanes (make all first)
#   scripts/vng-check.sh KVER...    any kernels vng can boot: this project's
#                                   (kernels/versions) or installed ones
#                                   (/boot/vmlinuz-KVER, /lib/modules/KVER)
# With KVERs it builds what is missing first: the tools and tests in
# build/bin, and ptwalk.ko against /lib/modules/KVER/build (make module).
# Installs vng from Debian trixie when it is not on PATH (install-vng.sh).
# Ends with "N passed, N failed, N skipped"; exits non-zero on any failure.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
command -v vng > /dev/null || "$top/scripts/install-vng.sh"
[ $# -eq 0 ] && exec "$top/scripts/run-guests.sh" check 6.1-vng 6.12-vng

# -o deps: build only, no apt (the machine may not be Debian's)
make -s -C "$top" -o deps BUILD="$build" tools
lanes=()
for k in "$@"; do
	[ -e "$build/mod/$k/ptwalk.ko" ] || [ -e "$build/module/$k/ptwalk.ko" ] ||
		make -s -C "$top" BUILD="$build" KVER="$k" module
	lanes+=("$k-vng")
done
exec "$top/scripts/run-guests.sh" check "${lanes[@]}"
