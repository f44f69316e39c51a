#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run Kbuild for the external module in DIR against kernel KVER's headers:
#   scripts/kmake.sh KVER DIR [MAKE ARGS...]
# Headers on the host (/usr/src/linux-headers-KVER) are used there; a
# kernel whose kbuild needs trixie (7.x) is built in the trixie root
# (scripts/trixie-root.sh) with DIR bound in at the same path.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
k=${1:?usage: kmake.sh KVER DIR [MAKE ARGS...]}
d=${2:?usage: kmake.sh KVER DIR [MAKE ARGS...]}
shift 2
root=${PTWALK_TRIXIE_ROOT:-/var/cache/ptwalk/trixie-root}
# every core: a dozen objects, and lint and install-check build each lane
# kernel's module several times
jobs=-j$(nproc)
# PTWALK_HEADERS: a private registration of the debug kernel (build-debug-kernel.sh)
hdrs=${PTWALK_HEADERS:-/usr/src}
if [ -d "$hdrs/linux-headers-$k" ]; then
	exec make "$jobs" -C "$hdrs/linux-headers-$k" M="$d" "$@"
elif [ -d "$root/usr/src/linux-headers-$k" ]; then
	PTWALK_BIND=$d exec "$here/trixie-root.sh" run \
		make "$jobs" -C "/usr/src/linux-headers-$k" M="$d" "$@"
fi
echo "kmake: no headers for $k (run scripts/install-deps.sh)" >&2
exit 1
