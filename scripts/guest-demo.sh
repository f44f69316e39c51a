#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of `make demo`: start a real program and inspect it.
echo "PTWALK-DEMO begin"
/bin/demo_target > /tmp/addrs &
pid=$!
while [ "$(wc -l < /tmp/addrs)" -lt 4 ]; do sleep 0.1; done
echo "\$ ptwalk translate $pid <heap> <stack> <thp> <file>   # demo_target's addresses"
set -- $(sed 's/.*=//' /tmp/addrs)
ptwalk translate "$pid" "$@"
echo "\$ echo $pid > /sys/kernel/debug/ptwalk/target"
echo "$pid" > /sys/kernel/debug/ptwalk/target
echo "\$ echo $3 > /sys/kernel/debug/ptwalk/translate; cat /sys/kernel/debug/ptwalk/translate"
echo "$3" > /sys/kernel/debug/ptwalk/translate
cat /sys/kernel/debug/ptwalk/translate
echo "\$ ptwalk translate --json $pid $4"
ptwalk translate --json "$pid" "$4"
echo "\$ ptwalk walk $pid --extents   # the whole address space as extents"
ptwalk walk "$pid" --extents | tail -n 8
echo "\$ ptwalk maps $pid   # per-VMA statistics"
ptwalk maps "$pid"
echo "\$ ptwalk pagetable $pid   # ptdump-style, with the W+X audit"
ptwalk pagetable "$pid"
echo "\$ cat /sys/kernel/debug/ptwalk/maps"
cat /sys/kernel/debug/ptwalk/maps
echo "\$ ptwalk maps $pid --svg /tmp/maps.svg"
ptwalk maps "$pid" --svg /tmp/maps.svg > /dev/null
echo "PTWALK-SVG begin"
cat /tmp/maps.svg
echo "PTWALK-SVG end"
echo "\$ ptwalk zones"
ptwalk zones
echo "\$ ptwalk faults $pid"
ptwalk faults "$pid"
kill "$pid"
echo "\$ ptwalk faults \$DD --trace 2   # dd with a 4 MiB buffer"
(sleep 0.5; dd if=/dev/zero of=/dev/null bs=4M count=16 2>/dev/null) &
ptwalk faults $! --trace 2
echo "PTWALK-DEMO end"
