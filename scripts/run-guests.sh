#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot one guest per lane (QEMU: Debian 6.1 5-level, 6.1 4-level, 6.12
# 5-level with the busybox initramfs from build/; vng: 6.1-vng, 6.12-vng
# or KVER-vng under virtme-ng), run MODE in it, and judge each lane by its
# TAP and its whole dmesg.
#   scripts/run-guests.sh check|demo|bench [LANE...]
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-check}
shift || true
build=${BUILD:-$top/build}
kdir=${PTWALK_KERNELS:-/var/cache/ptwalk/kernels}
timeout_s=${PTWALK_GUEST_TIMEOUT:-1800}	# the debug lane: about 13 min alone, more beside another lane
vngdir=${PTWALK_VNG_KERNELS:-/var/cache/ptwalk/vng}
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
# The debug lane's kernel (KASAN, lockdep, kmemleak, UBSAN, DEBUG_VM: built
# and registered by scripts/build-debug-kernel.sh, make check runs it).  Its
# zram is built in; acpi=noirq because its ACPI interpreter runs QEMU's _PRT
# past ACPICA's 30 s loop timeout (AE_AML_LOOP_TIMEOUT, 30 s lost per boot);
# no_timer_check because on a busy host its check of IRQ0 (4 PIT ticks in a
# TSC-timed delay) misses ticks under TCG and panics "IO-APIC + timer
# doesn't work!" (1 boot in 13).
kdbg=$(cat "$kdir/debug-versions" 2>/dev/null || echo no-debug-kernel)

# lane name, kernel, runner, extra command line.  The QEMU lanes boot the
# busybox initramfs; the vng lanes boot the same kernels under virtme-ng on
# the host's root (scripts/vng-check.sh).  Both run scripts/guest-init and
# are judged by judge() below.  Without LANE arguments: the QEMU lanes.
# The 6.12 and 7.3 5-level lanes re-arm the fault trace in their soak
# (the stale-int3 retry: faulttrace.c); 6.1's kretprobe can still crash
# on a stale int3 under TCG while it is unregistered (README).
rearm=ptwalk_soak_rearm_ms=2100
all_lanes=("6.1-5level $k61 qemu " "6.1-4level $k61 qemu no5lvl" "6.12-5level $k612 qemu $rearm"
	"$(echo "$k7" | cut -d. -f1,2)-5level $k7 qemu $rearm" "6.1-rt $k61rt qemu " "6.12-rt $k612rt qemu "
	"debug $kdbg qemu zram.num_devices=2 acpi=noirq no_timer_check ptwalk_soak=60 ptwalk_hold_mib=256")
vng_lanes=("6.1-vng $k61 vng " "6.12-vng $k612 vng ")
lanes=()
if [ $# -gt 0 ]; then
	for want in "$@"; do
		found=
		for l in "${all_lanes[@]}" "${vng_lanes[@]}"; do
			[ "${l%% *}" = "$want" ] && lanes+=("$l") && found=1
		done
		# KVER-vng: any other kernel vng can boot (vng-check.sh KVER)
		[ -z "$found" ] && [ "${want%-vng}" != "$want" ] &&
			lanes+=("$want ${want%-vng} vng ") && found=1
		[ -n "$found" ] || { echo "run-guests: unknown lane $want" >&2; exit 2; }
	done
else
	lanes=("${all_lanes[@]}")
fi
[ "$mode" != check ] && [ $# -eq 0 ] && lanes=("${all_lanes[0]}")

# Lines in a guest's dmesg that fail a lane.  Also: hung tasks ("INFO: task
# X:PID blocked for more than N seconds"), SLUB's reports ("BUG kmalloc-64
# (Tainted: ...): Redzone overwritten": no colon after BUG) and the
# "Tainted:" of any stack dump's header once a taint is set.
bad_re='BUG:|WARNING:|Oops|KASAN|possible circular locking|possible recursive locking|lockdep|rcu_sched self-detected stall|rcu: INFO: rcu_|detected stall|general protection fault|Kernel panic|kernel BUG'
bad_re+='|INFO: task .* blocked|BUG [A-Za-z0-9_.:-]+ \((Not t|T)ainted|Tainted: '
# The debug kernel's: UBSAN reports and kmemleak's; not its boot banner
# "rcu: RCU lockdep checking is enabled."
bad_re+='|UBSAN:|suspected memory leak'
ok_re='RCU lockdep checking is enabled'

# The kernel command line of every lane: THP madvise, hugetlb pages
# reserved at boot (one 1G, sixteen 2M), the mode for guest-init.
guest_append() { # extra
	local a="panic=-1 transparent_hugepage=madvise"
	# the benchmark wants the memory the hugetlb tests would reserve
	[ "$mode" = bench ] || a+=" hugepagesz=1G hugepages=1 hugepagesz=2M hugepages=16"
	# PTWALK_GUEST_APPEND: test knobs by hand (ptwalk_soak=90 ...)
	echo "$a ptwalk_mode=$mode $1 ${PTWALK_GUEST_APPEND:-}"
}

# PTWALK_QEMU_ICOUNT=shift=N: QEMU counts guest instructions and the
# guest's clock is that count (2^N ns each), so a benchmark times
# instructions, whatever the host's load; one vCPU (SMP bring-up hangs
# under icount).
smp=2
[ -n "${PTWALK_QEMU_ICOUNT:-}" ] && smp=1

# qemu_once KVER EXTRA LOG: the busybox initramfs guest, serial on LOG.
qemu_once() {
	timeout -k 10 "$timeout_s" \
		qemu-system-x86_64 -accel tcg -cpu max -smp "$smp" -m 3G -no-reboot \
		${PTWALK_QEMU_ICOUNT:+-icount "$PTWALK_QEMU_ICOUNT"} ${PTWALK_QEMU_GDB:+-gdb "$PTWALK_QEMU_GDB"} \
		-display none -monitor "${PTWALK_QEMU_MONITOR:-none}" -serial stdio \
		-kernel "$kdir/vmlinuz-$1" -initrd "$build/initramfs.cpio.gz" \
		-append "console=ttyS0 quiet loglevel=4 $(guest_append "$2")" < /dev/null > "$3" 2>&1
}

# run_qemu KVER EXTRA LOG: qemu_once, booted again (3 boots at most) if it hung
# before guest-init ran (no PTWALK-GUEST line in $boot_s seconds: nothing
# of ptwalk's had run).  The debug kernel hung so in about 1 boot of 3, at
# "Running RCU-tasks wait API self tests", until that deadlock was patched
# (scripts/debug-kernel-patches/); a retried boot is printed as a note of
# the lane (boot_notes), never hidden; if every boot hangs, the lane fails.
boot_s=${PTWALK_BOOT_TIMEOUT:-300} boot_tries=${PTWALK_BOOT_TRIES:-3} boot_notes=()
run_qemu() {
	local try pid waited last
	boot_notes=()
	for try in $(seq "$boot_tries"); do
		# emptied here, not only by qemu_once's redirection in the
		# background: else the grep below may see the last run's log, and
		# the next one an empty file, and boot a second guest beside this
		: > "$3"
		qemu_once "$@" &
		pid=$!
		waited=0
		while kill -0 "$pid" 2> /dev/null && ! grep -q 'PTWALK-GUEST' "$3" 2> /dev/null &&
			[ "$waited" -lt "$boot_s" ]; do
			sleep 2
			waited=$((waited + 2))
		done
		if ! kill -0 "$pid" 2> /dev/null || grep -q 'PTWALK-GUEST' "$3"; then
			wait "$pid"
			return
		fi
		# $pid is the subshell: TERM its timeout too, which passes it on to
		# QEMU (killing the subshell alone left that guest running)
		pkill -P "$pid" 2> /dev/null
		kill "$pid" 2> /dev/null
		wait "$pid"
		last=$(tr -d '\r' < "$3" | grep -v '^[[:space:]]*$' | tail -n 1 | cut -c1-100)
		[ "$try" = "$boot_tries" ] &&
			{ boot_notes+=("boot $try hung before guest-init too (${boot_s}s)"); break; }
		boot_notes+=("boot $try hung before guest-init (${boot_s}s; last line: ${last:-none}; log $3.hung$try)")
		mv "$3" "$3.hung$try"
	done
	return 124
}

# run_vng KVER EXTRA LOG: virtme-ng on the host's root; guest-init's output
# on LOG, vng's own errors on LOG.console.  This project's kernels are
# unpacked by scripts/install-vng.sh into $vngdir/KVER: boot/vmlinuz-KVER
# beside lib/modules/KVER.  vng links a tree found beside the image into
# the guest's /lib/modules (virtme_link_mods), so the host's /lib/modules
# is neither used nor written.  virtme-init puts a tmpfs over /var/cache,
# so that tree is shared back in read-only (--rodir).  Any other kernel:
# /boot/vmlinuz-KVER with the root's /lib/modules/KVER (installed).  The
# module: build/mod/KVER (make modules) or build/module/KVER (make module).
# prepare_vng KVER: vng and the kernel's tree installed (before any lane
# runs: two lanes must not run apt or unpack at once)
prepare_vng() {
	command -v vng > /dev/null || "$top/scripts/install-vng.sh" || return 1
	if printf '%s\n' "${kvers[@]}" | grep -qxF -- "$1"; then
		"$top/scripts/install-vng.sh" "$1" || return 1
	fi
}
run_vng() {
	local k=$1 kimg share=() ko
	if [ -e "$vngdir/$k/boot/vmlinuz-$k" ]; then
		kimg=$vngdir/$k/boot/vmlinuz-$k
		share=(--rodir "$vngdir")
	elif [ -e "/boot/vmlinuz-$k" ]; then
		kimg=/boot/vmlinuz-$k
	else
		echo "run-guests: no kernel $k (scripts/install-vng.sh $k)" > "$3"
		return 1
	fi
	ko=$build/mod/$k/ptwalk.ko
	[ -e "$ko" ] || ko=$build/module/$k/ptwalk.ko
	[ -e "$ko" ] || { echo "run-guests: no ptwalk.ko for $k in $build" > "$3"; return 1; }
	# TCG and the machine of the QEMU lanes, unless PTWALK_VNG_KVM=1:
	# -cpu max has LA57; vng's q35 keeps only 2G below 4G, where the
	# initrd and early allocations leave no free gigabyte for the 1G page.
	# -nodefaults: no floppy, IDE or CD-ROM for virtme-init's udev to
	# load drivers for over 9p (about 10 s of the boot).
	local kvm=--disable-kvm
	[ "${PTWALK_VNG_KVM:-0}" = 1 ] && kvm=
	# timeout without --foreground signals its whole process group: vng
	# runs QEMU under a shell and a second Python, which TERM alone leaves.
	(cd / && timeout -k 10 "$timeout_s" \
		vng --run "$kimg" $kvm --force-9p --cpus 2 --memory 3G \
		--qemu-opts="-cpu max -machine pc -nodefaults" "${share[@]}" --append "$(guest_append "$2")" \
		--exec "ptwalk_runner=vng ptwalk_mode=$mode PTWALK_KO='$ko' PTWALK_BIN='$build/bin' PTWALK_TOP='$top' sh '$top/scripts/guest-init'" \
		< /dev/null > "$3" 2> "$3.console")
}

# kconfig_has KVER OPTION: the lane kernel was built with OPTION=y (its
# headers' .config, on the host or, for 7.x, in the trixie root)
kconfig_has() {
	local c
	for c in "/usr/src/linux-headers-$1/.config" \
		"${PTWALK_TRIXIE_ROOT:-/var/cache/ptwalk/trixie-root}/usr/src/linux-headers-$1/.config"; do
		[ -r "$c" ] && { grep -qx "$2=y" "$c"; return; }
	done
	echo "run-guests: no .config for $1" >&2
	return 2
}

# The SKIPs a lane may have: selftests/skips, "LANE-GLOB BINARY:TEST WHY".
skips_file=${PTWALK_SKIPS:-$top/selftests/skips}

# tap_results LOG: each test binary's TAP between guest-init's markers, as
# "R BINARY:TEST pass|fail|skip [REASON]" lines, and "P PROBLEM" lines for a
# binary that crashed or exited non-zero, whose plan is missing or does not
# match its results, or that did not run or finish.
tap_results() {
	awk '
	function res(st, name, why) { printf "R %s:%s %s %s\n", bin, name, st, why }
	/^PTWALK-GUEST tests: / { for (i = 3; i <= NF; i++) want[$i] = 1; next }
	/^PTWALK-GUEST test begin / { bin = $4; inbin = 1; plan = -1; n = 0; cs = ""; begun[bin] = 1; next }
	/^PTWALK-GUEST test end / {
		rc = $5; sub(/^rc=/, "", rc)
		if (plan < 0) printf "P %s: no TAP plan\n", bin
		else if (plan != n) printf "P %s: plan 1..%d but %d results\n", bin, plan, n
		if (rc + 0 > 128) printf "P %s: killed by signal %d\n", bin, rc - 128
		else if (rc != 0) printf "P %s: exit status %s\n", bin, rc
		ended[bin] = 1; inbin = 0; next
	}
	!inbin { next }
	/^1\.\.[0-9]+/ {
		if (plan >= 0) printf "P %s: a second TAP plan\n", bin
		plan = substr($1, 4) + 0; next
	}
	/^#  RUN / { cs = $3; next }
	/^(not )?ok [0-9]+/ {
		num = $1 == "not" ? $3 : $2
		if (num != ++n) printf "P %s: result %d numbered %s\n", bin, n, num
		t = $0; sub(/^(not )?ok [0-9]+ (- )?/, "", t)
		name = cs != "" ? cs : t; gsub(/ /, "_", name); cs = ""
		if ($1 == "not") res("fail", name, "")
		else if (t ~ /^# SKIP/) { sub(/^# SKIP */, "", t); res("skip", name, t) }
		else res("pass", name, "")
	}
	END {
		if (inbin) printf "P %s: did not finish\n", bin
		for (b in want) if (!begun[b]) printf "P %s: did not run\n", b
	}' "$1"
}

# allowed_skip TEST: the skips file's reason when this lane may skip TEST
allowed_skip() {
	local glob t why
	while read -r glob t why; do
		case $glob in '' | '#'*) continue ;; esac
		# shellcheck disable=SC2053 # the lane column is a glob
		[[ $name == $glob ]] && [ "$t" = "$1" ] && { echo "$why"; return 0; }
	done < "$skips_file"
	return 1
}

# taint_letters N: the flags of /proc/sys/kernel/tainted, as the kernel prints them
taint_letters() {
	local letters=PFSRMBUDAWCIOELKXTNJ i out=
	for ((i = 0; i < ${#letters}; i++)); do
		(($1 >> i & 1)) && out+=${letters:i:1}
	done
	((($1 >> ${#letters}) > 0)) && out+="+bits>${#letters}"
	echo "${out:--}"
}

# judge LOG RC: set status, pass, fail, skip, problems and notes from a lane's log
judge() {
	local log=$1 rc=$2 kmsgs line t st why allowed
	problems=() notes=()
	pass=0 skip=0 fail=0
	[ "$rc" -eq 124 ] && problems+=("timeout after ${timeout_s}s")
	grep -q 'PTWALK-GUEST module loaded' "$log" || problems+=("module did not load")
	grep -q 'PTWALK-GUEST dmesg end' "$log" || problems+=("guest did not finish")
	if [ "$mode" = check ]; then
		local seen=" "
		while read -r line; do
			case $line in
			"P "*) problems+=("${line#P }") ;;
			"R "*)
				read -r _ t st why <<<"$line"
				seen+="$t:$st "
				case $st in
				pass) pass=$((pass + 1)) ;;
				fail) fail=$((fail + 1)) ;;
				skip)
					skip=$((skip + 1))
					if allowed=$(allowed_skip "$t"); then
						notes+=("skip $t ($allowed): $why")
					else
						problems+=("SKIP not allowed on $name: $t: $why")
					fi
					;;
				esac
				;;
			esac
		done < <(tap_results "$log")
		# an allowed SKIP whose test passes here: the list is out of date
		while read -r glob t why; do
			case $glob in '' | '#'*) continue ;; esac
			# shellcheck disable=SC2053
			[[ $name == $glob ]] && [[ $seen == *" $t:pass "* ]] &&
				notes+=("allowed skip $t now passes on $name: drop it from selftests/skips")
		done < "$skips_file"
		grep -q '^PTWALK-GUEST tests: ' "$log" || problems+=("selftests did not start")
		# every test built here ran there (an initramfs or a copy may lack one)
		local b
		for b in "$build"/bin/*_test cli_test.sh; do
			grep -qE "^PTWALK-GUEST test end ${b##*/} rc=" "$log" ||
				problems+=("${b##*/}: not run in the guest")
		done
		[ $((pass + fail + skip)) -gt 0 ] || problems+=("no test ran")
		# the fault trace seen registered, so that its absence after rmmod
		# means something, and as what this kernel should use (compat.h): an
		# fprobe (ftrace's enabled_functions, no kprobe there) where the
		# kernel has CONFIG_FPROBE, else a kretprobe (kprobes/list)
		local kp ef
		kp=$(sed -n '/PTWALK-GUEST kprobes tracing begin/,/PTWALK-GUEST kprobes tracing end/p' "$log" |
			grep -c handle_mm_fault)
		ef=$(sed -n '/PTWALK-GUEST ftrace tracing begin/,/PTWALK-GUEST ftrace tracing end/p' "$log" |
			grep -c handle_mm_fault)
		local early waited
		early=$(grep -o 'PTWALK-GUEST fault tracer exited early rc=[0-9]*' "$log" | head -n 1)
		[ -z "$early" ] || problems+=("the trace CLI ended before the probe was seen (${early##* })")
		waited=$(sed -n 's/^PTWALK-GUEST fault probe wait from \([0-9.]*\)s to \([0-9.]*\)s.*/\1 \2/p' \
			"$log" | awk '{ printf "%d", $2 - $1 }')
		[ -z "$waited" ] || [ "$waited" -lt 5 ] ||
			notes+=("the fault probe was seen only after ${waited} s of tracing")
		if kconfig_has "$kver" CONFIG_FPROBE; then
			[ "$ef" -gt 0 ] || problems+=("no handle_mm_fault fprobe in enabled_functions while tracing")
			[ "$kp" -eq 0 ] || problems+=("a handle_mm_fault kprobe while tracing, on a kernel with fprobes")
		else
			[ "$kp" -gt 0 ] || problems+=("no handle_mm_fault kprobe seen while tracing")
		fi
	fi
	if grep -q 'PTWALK-GUEST module loaded' "$log"; then
		grep -q 'PTWALK-GUEST module unloaded' "$log" || problems+=("rmmod failed")
		grep -q 'PTWALK-GUEST kprobes list missing' "$log" && problems+=("no kprobes list in debugfs")
		grep -q 'PTWALK-GUEST kprobes after-rmmod end' "$log" || problems+=("no kprobes list after rmmod")
		local probes
		probes=$(sed -n '/PTWALK-GUEST kprobes after-rmmod begin/,/PTWALK-GUEST kprobes after-rmmod end/p' \
			"$log" | grep -E 'ptwalk|handle_mm_fault')
		[ -n "$probes" ] && problems+=("kprobes left after rmmod: $(echo "$probes" | head -n 2 | tr '\n' ' ')")
		# enabled_functions exists only with dynamic ftrace (the debug
		# kernel has none); a kernel whose config is unknown must show it
		local dyn=1
		kconfig_has "$kver" CONFIG_DYNAMIC_FTRACE 2> /dev/null || [ $? -eq 2 ] || dyn=0
		[ "$dyn" = 0 ] || grep -q 'PTWALK-GUEST ftrace after-rmmod end' "$log" ||
			problems+=("no ftrace list after rmmod")
		probes=$(sed -n '/PTWALK-GUEST ftrace after-rmmod begin/,/PTWALK-GUEST ftrace after-rmmod end/p' \
			"$log" | grep -E 'ptwalk|handle_mm_fault')
		[ -n "$probes" ] && problems+=("ftrace hooks left after rmmod: $(echo "$probes" | head -n 2 | tr '\n' ' ')")
		# taint: what boot set is reported; after rmmod nothing new but O and E
		local t0 t1 new
		t0=$(sed -n 's/^PTWALK-GUEST taint before insmod \([0-9]*\)$/\1/p' "$log" | head -n 1)
		t1=$(sed -n 's/^PTWALK-GUEST taint after rmmod \([0-9]*\)$/\1/p' "$log" | head -n 1)
		if [ -z "$t0" ] || [ -z "$t1" ]; then
			problems+=("taint not read before insmod and after rmmod")
		else
			[ "$t0" -ne 0 ] && notes+=("taint at boot $t0 ($(taint_letters "$t0"))")
			new=$((t1 & ~t0 & ~(1 << 12 | 1 << 13)))
			[ "$new" -ne 0 ] &&
				problems+=("tainted $t0 -> $t1: new $(taint_letters "$new") beyond O and E")
		fi
	fi
	kmsgs=$(sed -n '/PTWALK-GUEST dmesg begin/,/PTWALK-GUEST dmesg end/p' "$log" | grep -E "$bad_re" | grep -vE "$ok_re")
	[ -n "$kmsgs" ] && problems+=("kernel complained: $(echo "$kmsgs" | head -n 3 | tr '\n' ' ')")
	# kmemleak after rmmod (guest-init, debug kernel): any suspect fails
	local leaks
	leaks=$(sed -n '/PTWALK-GUEST kmemleak begin/,/PTWALK-GUEST kmemleak end/p' "$log" |
		grep -c '^unreferenced object')
	[ "$leaks" -gt 0 ] && problems+=("kmemleak: $leaks suspected leaks")
	grep -q 'PTWALK-GUEST kmemleak scan failed' "$log" && problems+=("kmemleak scan failed")
	[ "$name" = debug ] && ! grep -q 'PTWALK-GUEST kmemleak end' "$log" && problems+=("no kmemleak scan")
	# TCG's stale int3s the module retried at the fault probe's site: said, not failed
	local retried
	retried=$(grep -o 'ptwalk: retried [0-9]* stale int3' "$log" | head -n 1)
	[ -n "$retried" ] && notes+=("${retried#ptwalk: } at handle_mm_fault's patched site")
	if [ "$mode" = check ]; then
		# each failed test with its diagnostics, so a CI log says why
		awk -v lane="$name" '/^#  RUN /{buf=""} {buf=buf "    " lane ": " $0 "\n"}
			/^not ok /{printf "%s", buf; buf=""}' "$log" | grep -v ': ok [0-9]'
	fi
	local n
	for n in "${notes[@]}"; do echo "    $name: note: $n"; done
	if [ ${#problems[@]} -eq 0 ] && [ "$fail" -eq 0 ]; then
		status=PASS
	else
		status=FAIL
		# A lane that died without TAP still counts as a failure.
		[ "$fail" -eq 0 ] && fail=1
	fi
}

# run_lane LANE: boot it, judge it, print its lines; the last line is
# "=LANE-RESULT STATUS PASS FAIL SKIP" for the totals (collect_lane).
run_lane() {
	local name kver runner extra log start rc secs n demo_fails xml counts
	read -r name kver runner extra <<<"$1"
	log=$build/logs/$name.log
	start=$(date +%s)
	"run_$runner" "$kver" "$extra" "$log"
	rc=$?
	secs=$(( $(date +%s) - start ))
	tr -d '\r' < "$log" > "$log.tmp" && mv "$log.tmp" "$log"
	judge "$log" "$rc"
	[ "$runner" = qemu ] && for n in "${boot_notes[@]}"; do echo "    $name: note: $n"; done
	# vng returns guest-init's status (0): anything else is vng failing
	[ "$runner" = vng ] && [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && {
		problems+=("vng exited $rc (see $log.console)")
		[ "$status" = FAIL ] || fail=1
		status=FAIL
	}
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
		if [ ${#problems[@]} -gt 0 ]; then
			[ "$status" = FAIL ] || fail=1
			status=FAIL
		fi
	fi
	counts=""
	[ "$mode" = check ] && counts="$pass passed, $fail failed, $skip skipped  "
	printf '%-12s %-24s %s  %s%ds  %s\n' "$name" "$kver" "$status" "$counts" \
		"$secs" "${problems[*]:-}"
	if [ "$mode" = demo ]; then
		sed -n '/^PTWALK-DEMO begin$/,/^PTWALK-DEMO end$/p' "$log" | sed '1d;$d'
		[ -s "$build/demo/maps.svg" ] &&
			echo "SVG: $build/demo/maps.svg   every output in full: $build/demo/"
		printf '%-12s demo %s  %s\n' "$name" "$status" "${problems[*]:-}"
	fi
	# an instruction-counting guest's lines say so
	[ "$mode" = bench ] && sed -n '/PTWALK-BENCH begin/,/PTWALK-BENCH end/p' "$log" |
		sed "1d;\$d${PTWALK_QEMU_ICOUNT:+;s/^/icount: /}"
	echo "=LANE-RESULT $status $pass $fail $skip"
}

# Lanes run side by side, PTWALK_JOBS at a time: a TCG guest mostly keeps
# one host core busy (most tests are single-threaded), so two guests on
# two cores take little longer than one.  Default: a guest per core, as
# memory allows (3 GiB each, and some to spare); one for bench and demo,
# whose timings and output want the machine to themselves.
default_jobs() {
	local cores mem
	cores=$(nproc)
	mem=$(awk '/^MemAvailable:/ { print int($2 / 1048576 / 4) }' /proc/meminfo)
	[ "$mem" -lt "$cores" ] && cores=$mem
	[ "$cores" -lt 1 ] && cores=1
	echo "$cores"
}
jobs=${PTWALK_JOBS:-$(default_jobs)}
[ "$mode" = check ] || jobs=1
# vng installs (apt in the trixie root, kernel trees): once, before any runs
for lane in "${lanes[@]}"; do
	read -r name kver runner extra <<<"$lane"
	[ "$runner" = vng ] && { prepare_vng "$kver" || exit 1; }
done
# the longest lane (debug) starts first: it is the critical path
order=()
for lane in "${lanes[@]}"; do [ "${lane%% *}" = debug ] && order+=("$lane"); done
for lane in "${lanes[@]}"; do [ "${lane%% *}" = debug ] || order+=("$lane"); done

mkdir -p "$build/logs"
total_pass=0 total_fail=0 total_skip=0 lane_fail=0
declare -A lane_of=()
# collect_lane: wait for a lane to end, print its lines, add up its counts
collect_lane() {
	local pid='' res st p f s
	wait -n -p pid
	[ -n "$pid" ] || return 0
	res=$build/logs/${lane_of[$pid]}.result
	unset "lane_of[$pid]"
	read -r _ st p f s < <(tail -n 1 "$res" | grep '^=LANE-RESULT ') ||
		{ st=FAIL p=0 f=1 s=0; echo "${res##*/}: the lane's runner died"; }
	grep -v '^=LANE-RESULT ' "$res"
	[ "$st" = FAIL ] && lane_fail=$((lane_fail + 1))
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	total_skip=$((total_skip + s))
}
for lane in "${order[@]}"; do
	while [ ${#lane_of[@]} -ge "$jobs" ]; do collect_lane; done
	read -r name kver _ <<<"$lane"
	printf '%-12s %-24s booting...\n' "$name" "$kver"
	run_lane "$lane" > "$build/logs/$name.result" 2>&1 &
	lane_of[$!]=$name
done
while [ ${#lane_of[@]} -gt 0 ]; do collect_lane; done
echo "logs: $build/logs/"
if [ "$mode" = check ]; then
	echo "lanes: ${#lanes[@]}, failed lanes: $lane_fail"
	echo "$total_pass passed, $total_fail failed, $total_skip skipped"
fi
[ $lane_fail -eq 0 ]
