#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install what building and testing ptwalk needs on Debian 12: build tools,
# QEMU, busybox, json-c, sparse and the 6.1 source (checkpatch, kselftest),
# headers for the guest kernels and the guest kernels themselves, unpacked
# into $kdir (never installed on the host).  Guest kernels, resolved now as
# the newest of each series that apt offers, security updates included:
#   6.1 (bookworm, bookworm-security), 6.12 (bookworm-backports),
#   7.x (trixie-backports: built in the trixie root, scripts/trixie-root.sh),
#   and the PREEMPT_RT flavours of 6.1 and 6.12.
# $kdir/versions lists them, one KVER a line, in this order: 6.1, 6.12,
# 7.x, 6.1-rt, 6.12-rt.  Suites are derived from the machine's apt sources.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

kdir=${PTWALK_KERNELS:-/var/cache/ptwalk/kernels}
troot=${PTWALK_TRIXIE_ROOT:-/var/cache/ptwalk/trixie-root}
# Modules the guests load: zram (swap, and a disk for an ext2 file system
# whose page cache drop_caches can empty), ext4 (which mounts ext2 and
# wants crc32c; 7.x has crc32c in the kernel's lib, no crc32c_generic) and
# overlay (files mapped from an overlay mount).
guest_modules="zram crc32c_generic ext4 overlay"
optional_modules="crc32c_generic"
# flex, bison, libelf-dev and libssl-dev: configuring a kernel tree (config-off-check.sh)
pkgs=(build-essential bc kmod cpio xz-utils busybox-static qemu-system-x86
      libjson-c-dev sparse libxml2-utils linux-source-6.1 dkms man-db
      flex bison libelf-dev libssl-dev)

# The newest KVER of a flavour's header metapackage within a series, over
# every suite apt knows (bookworm-security's 6.1 beats bookworm's).
newest() { # series flavour [command prefix: apt-cache runs in it]
	local series=$1 flavour=$2
	shift 2
	"$@" apt-cache show "linux-headers-$flavour" 2>/dev/null | awk -v s="$series." -v f="$flavour" '
		/^Version:/ { v = $2 }
		/^Depends:/ && index(v, s) == 1 &&
			match($0, "linux-headers-[^ ,]*-" f "( |,|$)") {
			d = substr($0, RSTART + 14, RLENGTH - 14); sub(/[ ,]$/, "", d); print v, d
		}' | sort -V | tail -n 1 | cut -d' ' -f2
}

resolve() {
	k61=$(newest 6.1 amd64)
	k612=$(newest 6.12 amd64)
	k61rt=$(newest 6.1 rt-amd64)
	k612rt=$(newest 6.12 rt-amd64)
	k7=
	[ -e "$troot/.ptwalk-ready" ] && k7=$(newest 7 amd64 "$here/trixie-root.sh" run)
	host_kernels="$k61 $k612 $k61rt $k612rt"
	all_kernels="$k61 $k612 $k7 $k61rt $k612rt"
}

have_kernel() { # KVER: headers and unpacked guest kernel are here
	{ [ -d "/usr/src/linux-headers-$1" ] || [ -d "$troot/usr/src/linux-headers-$1" ]; } &&
		[ -e "$kdir/vmlinuz-$1" ] &&
		[ "$(cat "$kdir/modules-$1/wanted" 2>/dev/null)" = "$guest_modules" ]
}

# Fast path: everything is already here, for the kernels apt offers now
# (apt's lists as they are: the slow path below updates them).
# Installed, not only known to dpkg (dpkg-query -W alone accepts both).
ninst=$(dpkg-query -W -f='${db:Status-Abbrev}\n' "${pkgs[@]}" 2>/dev/null | grep -c '^ii') || true
if [ -s "$kdir/versions" ] && [ "$ninst" = ${#pkgs[@]} ] &&
   [ -d /usr/src/linux-source-6.1/scripts ] && [ -e "$troot/.ptwalk-ready" ]; then
	resolve
	ok=1
	for k in $all_kernels; do
		have_kernel "$k" || ok=0
	done
	# shellcheck disable=SC2046,SC2086
	if [ $ok = 1 ] && [ "$(echo $all_kernels)" = "$(echo $(cat "$kdir/versions"))" ]; then
		echo "install-deps: kernels (newest of each series):" $all_kernels
		exit 0
	fi
fi

[ "$(id -u)" = 0 ] || { echo "install-deps: run as root" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive

bpo_list=/etc/apt/sources.list.d/ptwalk-backports.list
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	mirror=$("$here/debian-mirror.sh")
	echo "deb $mirror bookworm-backports main" > "$bpo_list"
	echo "install-deps: added bookworm-backports from $mirror"
fi

apt-get update -qq
mkdir -p "$kdir"
apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
"$here/trixie-root.sh" ensure
"$here/trixie-root.sh" run apt-get update -qq
resolve
for k in $all_kernels; do
	case $k in -*|'') echo "install-deps: cannot resolve kernel versions ($all_kernels)" >&2; exit 1 ;; esac
done
[ "$(echo $all_kernels | wc -w)" = 5 ] ||
	{ echo "install-deps: cannot resolve kernel versions ($all_kernels)" >&2; exit 1; }

# shellcheck disable=SC2046
apt-get install -y -qq --no-install-recommends $(printf 'linux-headers-%s ' $host_kernels) >/dev/null
"$here/trixie-root.sh" run apt-get install -y -qq --no-install-recommends \
	"linux-headers-$k7" >/dev/null

# Download the packages holding KVER's vmlinuz and modules into $1.
download_kernel() { # dir KVER
	if [ "$2" = "$k7" ]; then
		# 7.x: linux-image is a metapackage; vmlinuz is in linux-binary
		PTWALK_BIND=$1 "$here/trixie-root.sh" run sh -c "cd '$1' &&
			apt-get download -qq linux-binary-$2 linux-modules-$2"
	else
		(cd "$1" && { apt-get download -qq "linux-image-$2" 2>/dev/null ||
			apt-get download -qq "linux-image-$2-unsigned"; })
	fi
}

# The guests boot these kernels; unpack them, never install them on the
# host.  Keep the guest modules and what they depend on, uncompressed for
# busybox insmod, with their load order.
for k in $all_kernels; do
	[ -e "$kdir/vmlinuz-$k" ] &&
		[ "$(cat "$kdir/modules-$k/wanted" 2>/dev/null)" = "$guest_modules" ] && continue
	tmp=$(mktemp -d)
	download_kernel "$tmp" "$k"
	for deb in "$tmp"/*.deb; do
		dpkg-deb -x "$deb" "$tmp/root"
	done
	vmlinuz=
	for f in "$tmp/root/boot/vmlinuz-$k" "$tmp/root/usr/lib/modules/$k/vmlinuz"; do
		[ -e "$f" ] && vmlinuz=$f && break
	done
	[ -n "$vmlinuz" ] || { echo "install-deps: no vmlinuz in the packages of $k" >&2; exit 1; }
	cp "$vmlinuz" "$kdir/vmlinuz-$k"
	mdir=$kdir/modules-$k
	rm -rf "$mdir"
	mkdir -p "$mdir"
	: > "$mdir/order"
	add_module() { # name: its dependencies first
		local f dep
		grep -qx "$1" "$mdir/order" && return
		# 7.x packages put modules in /usr/lib, older ones in /lib
		f=$({ find "$tmp/root/lib/modules/$k" "$tmp/root/usr/lib/modules/$k" \
			-name "$1.ko*" 2>/dev/null || true; } | sed -n 1p)
		if [ -z "$f" ]; then
			case " $optional_modules " in *" $1 "*) return ;; esac
			echo "install-deps: module $1 missing for $k" >&2
			exit 1
		fi
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
printf '%s\n' $all_kernels > "$kdir/versions"
echo "install-deps: kernels in $kdir:" $all_kernels
