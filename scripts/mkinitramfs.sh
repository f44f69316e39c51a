#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Pack build/initramfs.cpio.gz: static busybox, the guest /init, ptwalk.ko
# for every guest kernel, the CLI, the selftests (and xmllint) and the demo.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
kdir=${PTWALK_KERNELS:-/var/cache/ptwalk/kernels}
root=$build/initramfs
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp,etc,lib/ptwalk}
cp /bin/busybox "$root/bin/busybox"
for app in $("$root/bin/busybox" --list); do
	[ -e "$root/bin/$app" ] || ln -s busybox "$root/bin/$app"
done
install -m 755 "$top/scripts/guest-init" "$root/init"
install -m 755 "$top/scripts/guest-demo.sh" "$root/bin/demo.sh"
install -m 755 "$build/bin/"* "$root/bin/"
install -m 755 "$top/selftests/cli_test.sh" "$root/bin/cli_test.sh"
# xmllint for cli_test.sh's SVG check: dynamic, so its libraries (paths
# kept, as ldd names them) and the loader come along
xmllint=$(command -v xmllint) || {
	echo "mkinitramfs.sh: xmllint not found: install libxml2-utils (make deps)" >&2
	exit 1
}
mkdir -p "$root/usr/bin"
cp "$xmllint" "$root/usr/bin/xmllint"
for lib in $(ldd "$xmllint" | grep -o '/[^ ]*'); do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
while read -r k; do
	mkdir -p "$root/lib/ptwalk/$k/mods"
	cp "$build/mod/$k/ptwalk.ko" "$root/lib/ptwalk/$k/"
	# (the debug kernel has zram and ext4 built in: an empty order, no .ko)
	find "$kdir/modules-$k/" -maxdepth 1 \( -name '*.ko' -o -name order \) \
		-exec cp -t "$root/lib/ptwalk/$k/mods/" {} +
# and the debug lane's kernel, once scripts/build-debug-kernel.sh registered it
done < <(cat "$kdir/versions"; cat "$kdir/debug-versions" 2>/dev/null || true)
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$build/initramfs.cpio.gz"
