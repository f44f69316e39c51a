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
kill "$pid"
echo "PTWALK-DEMO end"
