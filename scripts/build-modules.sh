#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build ptwalk.ko for every guest kernel into build/mod/KVER/, with W=1
# (warnings are errors here) and, when C=1 is given, sparse.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
kdir=${PTWALK_KERNELS:-/var/cache/ptwalk/kernels}
while read -r k; do
	d=$build/mod/$k
	mkdir -p "$d"
	# Kbuild builds in the source folder; one copy per kernel keeps them apart.
	cp -u "$top"/Kbuild "$top"/*.c "$top"/*.h "$d/"
	cp -ru "$top/include" "$d/"
	log=$d/build.log
	"$top/scripts/kmake.sh" "$k" "$d" W=1 ${C:+C=$C} modules > "$log" 2>&1 ||
		{ cat "$log"; exit 1; }
	if grep -E 'warning:|error:' "$log"; then
		echo "build-modules: $k: warnings (see $log)" >&2
		exit 1
	fi
	echo "built $d/ptwalk.ko"
# and the debug lane's kernel, once scripts/build-debug-kernel.sh registered it
done < <(cat "$kdir/versions"; cat "$kdir/debug-versions" 2>/dev/null || true)
