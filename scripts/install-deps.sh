#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install what building and testing ptwalk needs on Debian 12: build tools,
# headers for the Debian 6.1 kernel and the 6.12 kernel of bookworm-backports,
# QEMU, busybox, json-c, sparse and the 6.1 source (checkpatch, kselftest).
# The backports suite is derived from the machine's own apt sources.
set -euo pipefail

kdir=${PTWALK_KERNELS:-/var/cache/ptwalk/kernels}
# Modules the guests load: zram (swap, and a disk for an ext2 file system
# whose page cache drop_caches can empty) and ext4 (which mounts ext2 and
# wants crc32c).
guest_modules="zram crc32c_generic ext4"
pkgs=(build-essential bc kmod cpio xz-utils busybox-static qemu-system-x86
      libjson-c-dev sparse libxml2-utils linux-source-6.1 dkms man-db)

# Fast path: everything is already here.
if [ -s "$kdir/versions" ] && dpkg-query -W "${pkgs[@]}" >/dev/null 2>&1 &&
   [ -d /usr/src/linux-source-6.1/scripts ]; then
	ok=1
	while read -r k; do
		[ -e "$kdir/vmlinuz-$k" ] && [ -d "/usr/src/linux-headers-$k" ] &&
			[ "$(cat "$kdir/modules-$k/wanted" 2>/dev/null)" = "$guest_modules" ] || ok=0
	done < "$kdir/versions"
	[ $ok = 1 ] && exit 0
fi

[ "$(id -u)" = 0 ] || { echo "install-deps: run as root" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive

bpo_list=/etc/apt/sources.list.d/ptwalk-backports.list
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	mirror=$("$(dirname "$0")/debian-mirror.sh")
	echo "deb $mirror bookworm-backports main" > "$bpo_list"
	echo "install-deps: added bookworm-backports from $mirror"
fi

apt-get update -qq
mkdir -p "$kdir"

# Concrete kernel package names behind the metapackage of each suite.
kver_of() { # suite
	apt-cache depends "linux-headers-amd64/$1" 2>/dev/null |
		sed -n 's/.*Depends: linux-headers-\(.*-amd64\)$/\1/p' | sed -n 1p
}
k61=$(kver_of bookworm)
k612=$(kver_of bookworm-backports)
[ -n "$k61" ] && [ -n "$k612" ] || { echo "install-deps: cannot resolve kernel versions" >&2; exit 1; }

apt-get install -y -qq --no-install-recommends \
	"${pkgs[@]}" "linux-headers-$k61" "linux-headers-$k612" >/dev/null

# The guests boot these kernels; unpack them, never install them on the
# host.  Keep the guest modules and what they depend on, uncompressed for
# busybox insmod, with their load order.
for k in "$k61" "$k612"; do
	[ -e "$kdir/vmlinuz-$k" ] &&
		[ "$(cat "$kdir/modules-$k/wanted" 2>/dev/null)" = "$guest_modules" ] && continue
	tmp=$(mktemp -d)
	(cd "$tmp" && { apt-get download -qq "linux-image-$k" 2>/dev/null ||
		apt-get download -qq "linux-image-$k-unsigned"; })
	dpkg-deb -x "$tmp"/*.deb "$tmp/root"
	cp "$tmp/root/boot/vmlinuz-$k" "$kdir/vmlinuz-$k"
	mdir=$kdir/modules-$k
	rm -rf "$mdir"
	mkdir -p "$mdir"
	: > "$mdir/order"
	add_module() { # name: its dependencies first
		local f dep
		grep -qx "$1" "$mdir/order" && return
		f=$(find "$tmp/root/lib/modules/$k" -name "$1.ko*" | sed -n 1p)
		[ -n "$f" ] || { echo "install-deps: module $1 missing for $k" >&2; exit 1; }
		case "$f" in
		*.xz) xz -dc "$f" > "$mdir/$1.ko" ;;
		*.zst) zstd -qdc "$f" > "$mdir/$1.ko" ;;
		*) cp "$f" "$mdir/$1.ko" ;;
		esac
		for dep in $(modinfo -F depends "$mdir/$1.ko" | tr ',' ' '); do
			add_module "$dep"
		done
		echo "$1" >> "$mdir/order"
	}
	for m in $guest_modules; do
		add_module "$m"
	done
	echo "$guest_modules" > "$mdir/wanted"
	rm -rf "$tmp"
done

src=/usr/src/linux-source-6.1
if [ ! -d "$src" ]; then
	tar -C /usr/src -xf /usr/src/linux-source-6.1.tar.xz \
		linux-source-6.1/scripts linux-source-6.1/tools/testing/selftests/kselftest.h \
		linux-source-6.1/tools/testing/selftests/kselftest_harness.h \
		linux-source-6.1/Documentation/dev-tools/checkpatch.rst 2>/dev/null || true
fi
printf '%s\n' "$k61" "$k612" > "$kdir/versions"
echo "install-deps: kernels $k61 $k612 in $kdir"
