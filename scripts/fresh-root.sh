#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run CMD as root in a fresh Debian 12 root, the way a newcomer's freshly
# installed machine would run it: nothing that this machine had installed
# by hand is there, so a missing install step fails.
#   scripts/fresh-root.sh [--] CMD...
# The root is `debootstrap --variant=minbase bookworm`, cached as a tarball
# in /var/cache/ptwalk/ci/ (PTWALK_CI_CACHE) and unpacked anew for every
# run; its apt sources are bookworm, bookworm-updates and bookworm-security
# from this machine's own mirrors (scripts/debian-mirror.sh).  The project
# (git's tracked and untracked-not-ignored files) is copied to /root/ptwalk
# and CMD runs there.  Mounts live in a private mount namespace and every
# process in a private pid namespace, so nothing stays mounted or running
# when it ends.  build/logs comes back to build/fresh-root-logs/.
#   PTWALK_KEEP_ROOT=1     keep the root afterwards (its path is printed)
#   PTWALK_APT_CACHE=0     do not share this machine's .deb cache with it
#   PTWALK_BASE_MAX_DAYS   rebuild the cached base when older (default 30)
#   PTWALK_SHARED_CACHES   folders of /var/cache/ptwalk the project's own
#                          scripts fill with what takes minutes to make (a
#                          configured or built kernel tree, the trixie
#                          build root, unpacked vng kernels), shared with
#                          the root so CI stays under 30 minutes; "" for none
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
cache=${PTWALK_CI_CACHE:-/var/cache/ptwalk/ci}
base=$cache/bookworm-minbase-amd64.tar.gz
max_days=${PTWALK_BASE_MAX_DAYS:-30}
logs_out=$top/build/fresh-root-logs
apt_cache=/var/cache/apt/archives
shared_caches=${PTWALK_SHARED_CACHES-config-off debug-kernel trixie-root vng}

[ "${1:-}" = -- ] && shift
[ $# -gt 0 ] || { echo "usage: fresh-root.sh [--] CMD..." >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "fresh-root: run as root" >&2; exit 1; }
say() { echo "fresh-root: $*" >&2; }

mirror=$("$here/debian-mirror.sh" bookworm)
# debian-mirror.sh finds deb822 security stanzas; one-line sources it
# leaves out on purpose, so look at those here.
security=$("$here/debian-mirror.sh" bookworm-security 2>/dev/null ||
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
	awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) {
		if ($(i + 1) == "bookworm-security") { print $i; exit } break } }') || true
[ -n "$security" ] || say "no bookworm-security source on this machine: the root goes without"

# The host needs debootstrap (and its keyring) only to make the base.
need=()
command -v debootstrap >/dev/null || need+=(debootstrap)
[ -e /usr/share/keyrings/debian-archive-keyring.gpg ] || need+=(debian-archive-keyring)
case "$mirror" in https:*) [ -e /etc/ssl/certs/ca-certificates.crt ] || need+=(ca-certificates) ;; esac
if [ ${#need[@]} -gt 0 ]; then
	say "installing ${need[*]} on this machine"
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The base: made once per mirror and month, under a lock so that two runs
# do not make it together.
mkdir -p "$cache"
exec 9> "$cache/.lock"
flock 9
if [ ! -s "$base" ] || [ "$(cat "$base.mirror" 2>/dev/null)" != "$mirror" ] ||
   [ -n "$(find "$base" -mtime +"$max_days" 2>/dev/null)" ]; then
	t0=$(date +%s)
	say "debootstrap --variant=minbase bookworm from $mirror (log: $cache/debootstrap.log)"
	work=$(mktemp -d "$cache/base.XXXXXX")
	# https mirrors need the CA bundle inside the root too, as the
	# installer would put it there.
	incl=()
	case "$mirror" in https:*) incl=(--include=ca-certificates) ;; esac
	# its own mount namespace: a debootstrap that fails leaves no /proc
	# mounted in the half-made root
	if ! unshare -m --propagation private debootstrap --variant=minbase "${incl[@]}" \
		bookworm "$work/root" "$mirror" > "$cache/debootstrap.log" 2>&1; then
		tail -n 20 "$cache/debootstrap.log" >&2
		rm -rf --one-file-system "$work"
		say "debootstrap failed"
		exit 1
	fi
	# no .debs and no package lists: as a minimal image ships, so the
	# newcomer's steps must begin with apt-get update
	rm -f "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*_*
	tar -C "$work/root" --numeric-owner -czf "$work/base.tar.gz" .
	mv "$work/base.tar.gz" "$base"
	echo "$mirror" > "$base.mirror"
	rm -rf --one-file-system "$work"
	say "base cached in $base ($(( $(date +%s) - t0 ))s)"
fi
root=$(mktemp -d "${PTWALK_ROOT_TMP:-/var/tmp}/ptwalk-root.XXXXXX")
tar -C "$root" --numeric-owner -xzf "$base"
exec 9>&-

# shellcheck disable=SC2317  # the EXIT trap calls it
cleanup() {
	local rc=$?
	if [ "${PTWALK_KEEP_ROOT:-0}" = 1 ]; then
		say "kept the root in $root"
	# Mounts were made in the namespace only; refuse to delete if any
	# is visible here after all.
	elif grep -qF " $root/" /proc/self/mountinfo; then
		say "something is mounted under $root: not deleting it"
	else
		rm -rf --one-file-system "$root"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP

# apt sources as Debian 12's installer writes them (main only: all the
# project needs).
{
	echo "deb $mirror bookworm main"
	echo "deb $mirror bookworm-updates main"
	[ -z "$security" ] || echo "deb $security bookworm-security main"
} > "$root/etc/apt/sources.list"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
# A throw-away root: dpkg need not fsync each file it unpacks (as Debian's
# container images do); the kernel headers are tens of thousands of files.
echo force-unsafe-io > "$root/etc/dpkg/dpkg.cfg.d/ptwalk-fresh-root"

# The project as a clone of it would be, without build/.
dest=$root/root/ptwalk
mkdir -p "$dest"
if git -C "$top" rev-parse --show-toplevel >/dev/null 2>&1; then
	(cd "$top" && git ls-files -co --exclude-standard -z |
		while IFS= read -r -d '' f; do
			case "$f" in build/*) continue ;; esac
			# deleted but still in the index: not in a clone of the tree
			[ -e "$f" ] || [ -L "$f" ] && printf '%s\0' "$f"
		done | tar --null -T - -cf -) | tar -C "$dest" -xf -
else
	(cd "$top" && tar --exclude=./build --exclude=./.git -cf - .) | tar -C "$dest" -xf -
fi
say "fresh root in $root, project in /root/ptwalk ($(find "$dest" -type f | wc -l) files)"

share_apt=0
[ "${PTWALK_APT_CACHE:-1}" = 1 ] && [ -d "$apt_cache" ] && share_apt=1

# In the namespaces: bind what a booted machine has, then chroot.  The
# command is pid 1 there: when it ends the kernel kills whatever it left
# running, and the mounts go with the namespace.
# shellcheck disable=SC2016  # expanded in the namespace
inner='
set -e
root=$1 share_apt=$2 apt_cache=$3
shift 3
# the root a mount of its own, as / is on a booted machine (unshare
# --propagation, as scripts use it, fails on a plain folder)
mount --bind "$root" "$root"
mount --rbind /dev "$root/dev"
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
[ "$share_apt" = 0 ] || mount --bind "$apt_cache" "$root/var/cache/apt/archives"
for c in $shared_caches; do
	mkdir -p "/var/cache/ptwalk/$c" "$root/var/cache/ptwalk/$c"
	mount --bind "/var/cache/ptwalk/$c" "$root/var/cache/ptwalk/$c"
done
exec chroot "$root" /usr/bin/env -i \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/root TERM="${TERM:-dumb}" CI="${CI:-}" \
	/bin/bash -c "cd /root/ptwalk && exec \"\$@\"" cmd "$@"
'
rc=0
unshare -m -p -f --propagation private --kill-child \
	env shared_caches="$shared_caches" \
	bash -c "$inner" inner "$root" "$share_apt" "$apt_cache" "$@" || rc=$?

if [ -d "$dest/build/logs" ]; then
	rm -rf "$logs_out"
	mkdir -p "$logs_out"
	cp -r "$dest/build/logs/." "$logs_out/"
fi
exit $rc
