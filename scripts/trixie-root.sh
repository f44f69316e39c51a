#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A Debian trixie root (debootstrap minbase) for building ptwalk against
# the 7.x kernels of trixie-backports: their kbuild and gcc-14 cannot be
# installed on bookworm, and nothing from trixie goes onto the host.
#   scripts/trixie-root.sh ensure          make the root if it is missing
#   scripts/trixie-root.sh kver            newest trixie-backports KVERs
#   scripts/trixie-root.sh run CMD...      run CMD in the root (chroot), with
#                                          the folder $PTWALK_BIND bound in
# The root is cached in /var/cache/ptwalk/trixie-root (PTWALK_TRIXIE_ROOT);
# its apt source is the host's Debian mirror (scripts/debian-mirror.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=${PTWALK_TRIXIE_ROOT:-/var/cache/ptwalk/trixie-root}
# Build tools, sparse (lint.sh runs it per kernel) and dkms (install-check)
# in the root.
root_pkgs="make sparse ca-certificates xz-utils zstd kmod dkms"

# CMD...: chroot with /proc and /dev, and the folder $PTWALK_BIND (if set)
# at the same path inside, in a mount namespace of its own so that the
# mounts go away with it, even when builds overlap.
in_root() {
	unshare --mount --propagation private -- /bin/sh -c '
		r=$1; b=$2; shift 2
		mount -t proc proc "$r/proc" && mount --rbind /dev "$r/dev" &&
		if [ -n "$b" ]; then mkdir -p "$r$b" && mount --bind "$b" "$r$b"; fi &&
		exec chroot "$r" "$@"' sh "$root" "${PTWALK_BIND:-}" /usr/bin/env -i \
		PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive "$@"
}

# The folder may be a mount point (fresh-root.sh shares it with a CI root)
# and another run may be making it: ensure locks a file inside it, and
# empties it rather than removing it.
ensure() {
	[ -e "$root/.ptwalk-ready" ] || [ "$(id -u)" = 0 ] ||
		{ echo "trixie-root: run as root" >&2; exit 1; }
	mkdir -p "$root"
	exec 8>> "$root/.ptwalk-lock"
	flock 8
	if [ -e "$root/.ptwalk-ready" ]; then
		[ "$(cat "$root/.ptwalk-ready")" = "$root_pkgs" ] && return
		# a root made with fewer packages: add them, keep the rest
		in_root apt-get update -qq
		# shellcheck disable=SC2086
		in_root apt-get install -y -qq --no-install-recommends $root_pkgs >/dev/null
		in_root apt-get clean
		echo "$root_pkgs" > "$root/.ptwalk-ready"
		return
	fi
	command -v debootstrap >/dev/null ||
		apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
	mirror=$("$here/debian-mirror.sh")
	echo "trixie-root: debootstrap trixie from $mirror into $root"
	find "$root" -mindepth 1 -maxdepth 1 ! -name .ptwalk-lock \
		-exec rm -rf --one-file-system {} +
	debootstrap --variant=minbase trixie "$root" "$mirror" > "$root.log" 2>&1 ||
		{ tail -n 20 "$root.log"; echo "trixie-root: debootstrap failed" >&2; exit 1; }
	printf 'deb %s trixie main\ndeb %s trixie-backports main\n' "$mirror" "$mirror" \
		> "$root/etc/apt/sources.list"
	in_root apt-get update -qq
	# shellcheck disable=SC2086
	in_root apt-get install -y -qq --no-install-recommends $root_pkgs >/dev/null
	in_root apt-get install -y -qq --no-install-recommends -t trixie-backports \
		linux-headers-amd64 >/dev/null
	in_root apt-get clean
	echo "$root_pkgs" > "$root/.ptwalk-ready"
}

# The newest KVER of trixie-backports' metapackage for a flavour.
kver() { # flavour (amd64, rt-amd64)
	in_root apt-cache depends "linux-headers-$1/trixie-backports" 2>/dev/null |
		sed -n "s/.*Depends: linux-headers-\(.*-$1\)\$/\1/p" | sed -n 1p
}

case "${1:-ensure}" in
ensure) ensure ;;
kver) ensure; kver "${2:-amd64}" ;;
run) shift; ensure; in_root "$@" ;;
*) echo "usage: trixie-root.sh ensure|kver [FLAVOUR]|run CMD..." >&2; exit 2 ;;
esac
