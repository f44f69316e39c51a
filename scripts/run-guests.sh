#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot one QEMU guest per lane (Debian 6.1 5-level, 6.1 4-level, 6.12
# 5-level) with the busybox initramfs from build/, run MODE in it, and
# judge each lane by its TAP and its whole dmesg.
#   scripts/run-guests.sh check|demo [LANE...]
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-check}
shift || true
build=${BUILD:-$top/build}
kdir=${PTWALK_KERNELS:-/var/cache/ptwalk/kernels}
timeout_s=${PTWALK_GUEST_TIMEOUT:-900}
mapfile -t kvers < "$kdir/versions"
# versions has one KVER a line (install-deps.sh): each lane's by its series
kpick() { # ERE
	printf '%s\n' "${kvers[@]}" | grep -E "$1" | sed -n 1p | grep . || echo "no-kernel-$1"
}
k61=$(kpick '^6\.1\.[0-9]+-[0-9]+-amd64$')
k612=$(kpick '^6\.12\.[^-]+-amd64$')
k7=$(kpick '^7\.[^-]+-amd64$')
k61rt=$(kpick '^6\.1\.[0-9]+-[0-9]+-rt-amd64$')
k612rt=$(kpick '^6\.12\.[^-]+-rt-amd64$')

# lane name, kernel, extra command line
all_lanes=("6.1-5level $k61 " "6.1-4level $k61 no5lvl" "6.12-5level $k612 "
	"$(echo "$k7" | cut -d. -f1,2)-5level $k7 " "6.1-rt $k61rt " "6.12-rt $k612rt ")
lanes=()
if [ $# -gt 0 ]; then
	for want in "$@"; do
		for l in "${all_lanes[@]}"; do
			[ "${l%% *}" = "$want" ] && lanes+=("$l")
		done
	done
else
	lanes=("${all_lanes[@]}")
fi
[ "$mode" != check ] && [ $# -eq 0 ] && lanes=("${all_lanes[0]}")

# Lines in a guest's dmesg that fail a lane.
bad_re='BUG:|WARNING:|Oops|KASAN|possible circular locking|possible recursive locking|lockdep|rcu_sched self-detected stall|rcu: INFO: rcu_|detected stall|general protection fault|Kernel panic|kernel BUG'

mkdir -p "$build/logs"
total_pass=0 total_fail=0 total_skip=0 lane_fail=0
for lane in "${lanes[@]}"; do
	read -r name kver extra <<<"$lane"
	log=$build/logs/$name.log
	append="console=ttyS0 panic=-1 quiet loglevel=4 transparent_hugepage=madvise"
	# the benchmark wants the memory the hugetlb tests would reserve
	[ "$mode" = bench ] || append+=" hugepagesz=1G hugepages=1 hugepagesz=2M hugepages=16"
	append+=" ptwalk_mode=$mode $extra"
	printf '%-12s %-24s booting...\n' "$name" "$kver"
	start=$(date +%s)
	timeout --foreground -k 10 "$timeout_s" \
		qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 3G -no-reboot \
		-display none -monitor none -serial stdio \
		-kernel "$kdir/vmlinuz-$kver" -initrd "$build/initramfs.cpio.gz" \
		-append "$append" < /dev/null > "$log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	tr -d '\r' < "$log" > "$log.tmp" && mv "$log.tmp" "$log"
	pass=$(grep -cE '^ok [0-9]+ ' "$log")
	skip=$(grep -cE '^ok [0-9]+ .*# SKIP' "$log")
	fail=$(grep -cE '^not ok [0-9]+ ' "$log")
	pass=$((pass - skip))
	problems=()
	[ $rc -eq 124 ] && problems+=("timeout after ${timeout_s}s")
	grep -q 'PTWALK-GUEST module loaded' "$log" || problems+=("module did not load")
	grep -q 'PTWALK-GUEST dmesg end' "$log" || problems+=("guest did not finish")
	if [ "$mode" = check ]; then
		grep -qE '^# Totals:|^# PASSED|^# FAILED' "$log" || problems+=("selftests did not finish")
		[ $((pass + fail + skip)) -gt 0 ] || problems+=("no test ran")
	fi
	kmsgs=$(sed -n '/PTWALK-GUEST dmesg begin/,/PTWALK-GUEST dmesg end/p' "$log" | grep -E "$bad_re")
	[ -n "$kmsgs" ] && problems+=("kernel complained: $(echo "$kmsgs" | head -n 3 | tr '\n' ' ')")
	if [ "$mode" = check ]; then
		# each failed test with its diagnostics, so a CI log says why
		awk -v lane="$name" '/^#  RUN /{buf=""} {buf=buf "    " lane ": " $0 "\n"}
			/^not ok /{printf "%s", buf; buf=""}' "$log" | grep -v ': ok [0-9]'
	fi
	# demo: the guest's own checks; its files (maps.svg, every output in
	# full) copied out of the log to $build/demo/, the SVG parsed here too
	if [ "$mode" = demo ]; then
		rm -rf "$build/demo" && mkdir -p "$build/demo"
		awk -v dir="$build/demo" '/^PTWALK-FILE [a-z0-9._-]+ end$/ { close(f); f = ""; next }
			f { print > f } /^PTWALK-FILE [a-z0-9._-]+ begin$/ { f = dir "/" $2 }' "$log"
		demo_fails=$(grep -c '^PTWALK-DEMO FAIL' "$log")
		if [ "$demo_fails" -gt 0 ]; then
			problems+=("failed demo checks: $demo_fails")
		elif ! grep -qx 'PTWALK-DEMO verdict: ok' "$log"; then
			problems+=("the demo did not finish (no 'PTWALK-DEMO verdict: ok')")
		fi
		if [ ! -s "$build/demo/maps.svg" ]; then
			problems+=("no maps.svg in the log")
		elif ! xml=$(xmllint --noout "$build/demo/maps.svg" 2>&1); then
			problems+=("maps.svg is not well-formed: $(echo "$xml" | head -n 1)")
		fi
	fi
	if [ ${#problems[@]} -eq 0 ] && [ "$fail" -eq 0 ]; then
		status=PASS
	else
		status=FAIL
		lane_fail=$((lane_fail + 1))
		# A lane that died without TAP still counts as a failure.
		[ "$fail" -eq 0 ] && fail=1
	fi
	counts=""
	[ "$mode" = check ] && counts="$pass passed, $fail failed, $skip skipped  "
	printf '%-12s %-24s %s  %s%ds  %s\n' "$name" "$kver" "$status" "$counts" \
		"$secs" "${problems[*]:-}"
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	total_skip=$((total_skip + skip))
	if [ "$mode" = demo ]; then
		sed -n '/^PTWALK-DEMO begin$/,/^PTWALK-DEMO end$/p' "$log" | sed '1d;$d'
		[ -s "$build/demo/maps.svg" ] &&
			echo "SVG: $build/demo/maps.svg   every output in full: $build/demo/"
		printf '%-12s demo %s  %s\n' "$name" "$status" "${problems[*]:-}"
	fi
	[ "$mode" = bench ] && sed -n '/PTWALK-BENCH begin/,/PTWALK-BENCH end/p' "$log" | sed '1d;$d'
done
echo "logs: $build/logs/"
if [ "$mode" = check ]; then
	echo "lanes: ${#lanes[@]}, failed lanes: $lane_fail"
	echo "$total_pass passed, $total_fail failed, $total_skip skipped"
fi
[ $lane_fail -eq 0 ]
