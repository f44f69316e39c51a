#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of `make demo`: start demo_target, look at it through every
# ptwalk view, show each answer cut to what matters, and check that each
# step did what it shows.  A failed check prints "PTWALK-DEMO FAIL: ...";
# the last line before "PTWALK-DEMO end" is "PTWALK-DEMO verdict: ok" only
# when none failed.  The SVG and every output in full follow as
# "PTWALK-FILE NAME begin/end" sections; run-guests.sh copies them to
# $BUILD/demo/ and judges the lane by all of this.
# Plain sh: busybox in the initramfs (dash under vng), no jq, no bash.
set -u
PATH=/bin:/sbin:/usr/bin
dbg=/sys/kernel/debug/ptwalk
dir=/tmp/demo
nfail=0
files=

fail() {
	nfail=$((nfail + 1))
	echo "PTWALK-DEMO FAIL: $*"
}

# step CMD: show CMD as typed; passed SUMMARY: say what the step's checks
# verified, if none of them failed since
step() {
	step_fails=$nfail
	printf '$ %s\n' "$1"
}
passed() {
	[ "$nfail" -eq "$step_fails" ] && printf '  ok: %s\n' "$1"
}

# run OUT CMD...: CMD's stdout in OUT (kept for the host), stderr in OUT.err
run() {
	out=$1
	shift
	files="$files $out"
	"$@" > "$out" 2> "$out.err"
	rc=$?
	[ "$rc" -eq 0 ] || fail "$* exited $rc: $(head -n 3 "$out.err" | tr '\n' ' ')"
	return "$rc"
}

# hex ADDR: ADDR as the CLI prints a VA, 16 hex digits
hex() {
	printf '%016x' "$1"
}

# check_xlate FILE N WHAT ADDR KIND SIZE VMA: the Nth walk in FILE (text of
# ptwalk translate or debugfs translate) is ADDR, PRESENT as KIND SIZE, in
# a VMA named VMA ("anon": no name)
check_xlate() {
	blk=$(awk -v n="$2" '/^PID /{i++} i == n' "$1")
	if [ -z "$blk" ] || [ -z "$4" ]; then
		fail "$3 translation missing (address '$4')"
		return
	fi
	va=$(echo "$blk" | sed -n 's/^PID .*  VA 0x\([0-9a-f]*\)$/\1/p')
	[ "$va" = "$(hex "$4")" ] || fail "$3 translation is of VA 0x$va, not $4"
	st=$(echo "$blk" | grep -E '^(NOT )?PRESENT ')
	[ -n "$st" ] || st=$(echo "$blk" | sed -n 2p)
	case $st in
	"PRESENT  $5 $6 "*) ;;
	*) fail "$3 translation not PRESENT $5 $6: $st" ;;
	esac
	vma=$(echo "$blk" | awk '/^VMA / { print ($5 == "" ? "anon" : $5) }')
	[ "$vma" = "$7" ] || fail "$3 translation's VMA is '$vma', not $7"
}

# json_ok FILE: FILE is one JSON document as json-c pretty-prints it (per
# line: an optional "key": and then a scalar, an opening bracket, or a
# closing one); else say the first bad line and fail.  Not a general JSON
# parser: enough to tell a whole, well-nested document from a cut, garbled
# or interleaved one, with no jq in the guest.
json_ok() {
	awk '
	function bad(why) { printf "line %d: %s: %s\n", NR, why, $0; err = 1; exit 1 }
	BEGIN {
		str = "\"([^\"\\\\]|\\\\.)*\""
		scalar = "^(" str "|-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?|true|false|null),?$"
		key = "^" str ":"
	}
	{
		t = $0
		sub(/^ +/, "", t)
		closer = t ~ /^[]}],?$/
		if (done) bad("text after the end")
		if (NR > 1 && !opened && !comma && !closer) bad("no comma before it")
		if (comma && closer) bad("a comma before it")
		opened = 0
		if (closer) {
			c = substr(t, 1, 1)
			if (!depth || (c == "]") != (stack[depth] == "[")) bad("unbalanced")
			depth--
		} else {
			if (depth && stack[depth] == "{") {
				if (!match(t, key)) bad("no key")
				t = substr(t, RLENGTH + 1)
			} else if (match(t, key)) {
				bad("a key outside an object")
			}
			if (t ~ /^[[{]$/) {
				stack[++depth] = t
				opened = 1
			} else if (t !~ scalar) {
				bad("not a JSON value")
			}
		}
		comma = t ~ /,$/
		done = !depth && !opened
	}
	END {
		if (err)
			exit 1
		if (!NR || depth || comma) {
			print "cut short: " (NR ? "open brackets or a comma at the end" : "empty")
			exit 1
		}
	}' "$1"
}

# json_get FILE KEY: the first value of KEY in FILE (strings keep quotes)
json_get() {
	sed -n "/^ *\"$2\":/{s/^ *\"$2\"://;s/,\$//;p;q;}" "$1"
}

# the totals object of ptwalk maps --json (last in the file), as cli_test.sh
json_total() {
	sed -n '/^  "total":{/,$p' "$1" | sed -n "s/^ *\"$2\":\([0-9]*\).*/\1/p" | head -n 1
}

# Files, SVG first, for run-guests.sh to copy out; then the end marker.
finish() {
	[ -n "${pid:-}" ] && kill "$pid" 2> /dev/null
	if [ "$nfail" -eq 0 ]; then
		echo "PTWALK-DEMO verdict: ok"
	else
		echo "PTWALK-DEMO verdict: FAILED, failed checks: $nfail"
	fi
	echo "PTWALK-DEMO end"
	for f in maps.svg $files; do
		[ -f "$f" ] || continue
		echo "PTWALK-FILE $f begin"
		cat "$f"
		# the end marker on a line of its own
		[ -z "$(tail -c 1 "$f")" ] || echo
		echo "PTWALK-FILE $f end"
	done
	exit 0
}

echo "PTWALK-DEMO begin"
rm -rf "$dir"
if ! mkdir -p "$dir" || ! cd "$dir"; then
	fail "cannot make $dir"
	finish
fi

# The handshake: demo_target prints its four addresses at once, after
# touching every page, into a FIFO; head returns when it has all four
# lines, or at EOF when demo_target died, or is stopped after 30 s.
mkfifo addrs.fifo || {
	fail "mkfifo $dir/addrs.fifo"
	finish
}
/bin/demo_target > addrs.fifo 2> demo_target.err &
pid=$!
step "demo_target &   # pid $pid touches a heap buffer, its stack, a THP and a file page, then says where"
timeout 30 head -n 4 addrs.fifo > addrs
head_rc=$?
cat addrs
heap=$(sed -n 's/^heap=\(0x[0-9a-f]*\)$/\1/p' addrs)
stack=$(sed -n 's/^stack=\(0x[0-9a-f]*\)$/\1/p' addrs)
thp=$(sed -n 's/^thp=\(0x[0-9a-f]*\)$/\1/p' addrs)
file=$(sed -n 's/^file=\(0x[0-9a-f]*\)$/\1/p' addrs)
if [ -z "$heap" ] || [ -z "$stack" ] || [ -z "$thp" ] || [ -z "$file" ]; then
	# head ends well at EOF: demo_target is gone; else the timeout struck
	if [ "$head_rc" -eq 0 ]; then
		fail "demo_target exited before giving its 4 addresses: $(cat demo_target.err)"
	else
		fail "demo_target gave $(wc -l < addrs) of its 4 addresses in 30 s"
	fi
	finish
fi
passed "pid $pid, four addresses read from its FIFO"

step "ptwalk translate $pid $heap $stack $thp $file   # PRESENT and VMA lines"
run translate.txt ptwalk translate "$pid" "$heap" "$stack" "$thp" "$file"
grep -E '^(PRESENT|NOT PRESENT|VMA|error|not mapped)' translate.txt
n=$(grep -c '^PID ' translate.txt)
[ "$n" -eq 4 ] || fail "ptwalk translate printed $n walks, not 4"
check_xlate translate.txt 1 heap "$heap" normal 4K "[heap]"
check_xlate translate.txt 2 stack "$stack" normal 4K "[stack]"
check_xlate translate.txt 3 THP "$thp" thp 2M anon
check_xlate translate.txt 4 file "$file" normal 4K /tmp/demo_target.data
passed "heap and stack normal 4K, the THP thp 2M, the file page normal 4K in /tmp/demo_target.data"

step "echo $pid > $dbg/target"
echo "$pid" > "$dbg/target" || fail "writing $pid to $dbg/target failed"
step "echo $thp > $dbg/translate; cat $dbg/translate"
if echo "$thp" > "$dbg/translate" 2> dtranslate.err; then
	run dtranslate.txt cat "$dbg/translate"
	cat dtranslate.txt
	grep -q "^PID $pid (demo_target)  VA " dtranslate.txt ||
		fail "debugfs translate is not of pid $pid (demo_target)"
	check_xlate dtranslate.txt 1 "debugfs THP" "$thp" thp 2M anon
	grep -qE '^pmd .* leaf +present .* pse' dtranslate.txt ||
		fail "debugfs translate: the THP's leaf is not a present pse pmd"
else
	fail "writing $thp to $dbg/translate failed: $(cat dtranslate.err)"
fi
passed "the THP's leaf is a present pmd with pse, thp 2M, as ptwalk translate says"

step "ptwalk translate --json $pid $file   # some of its fields"
run translate.json ptwalk translate --json "$pid" "$file"
grep -E '^ *"(va|present|kind|page_size|name)":' translate.json
why=$(json_ok translate.json) || fail "translate --json is not well-formed JSON: $why"
[ "$(json_get translate.json va)" = "\"$(printf '0x%x' "$file")\"" ] ||
	fail "translate --json: va is $(json_get translate.json va), not $file"
[ "$(json_get translate.json present)" = true ] || fail "translate --json: present is not true"
[ "$(json_get translate.json kind)" = '"normal"' ] || fail "translate --json: kind is not normal"
[ "$(json_get translate.json page_size)" = 4096 ] || fail "translate --json: page_size is not 4096"
[ "$(json_get translate.json name)" = '"/tmp/demo_target.data"' ] ||
	fail "translate --json: the VMA's name is $(json_get translate.json name)"
passed "well-formed JSON: present, normal, 4096 bytes, in /tmp/demo_target.data"

step "ptwalk walk $pid --extents   # the THP's extent and the total"
run extents.txt ptwalk walk "$pid" --extents
# the THP's 2M page is one extent from the 2M boundary below thp
thp_base=$(hex $((thp & ~0x1fffff)))
grep -E "^$thp_base-| KiB mapped$" extents.txt
grep -qE "^$thp_base-[0-9a-f]+ +2M pmd +thp " extents.txt ||
	fail "walk --extents has no 2M thp extent at 0x$thp_base"
mapped_kib=$(sed -n 's/^\([0-9]*\) KiB mapped$/\1/p' extents.txt)
passed "one 2M thp extent at 0x$thp_base"

step "ptwalk maps $pid   # the heap, THP, stack and file VMAs, the totals"
run maps.txt ptwalk maps "$pid"
awk 'NR == 1 || /\[heap\]|\[stack\]|demo_target\.data|^TOTAL|^page tables/ ||
	$8 ~ /^[1-9]/' maps.txt
for want in '\[heap\]$' '\[stack\]$' 'demo_target\.data$' '^TOTAL '; do
	grep -q "$want" maps.txt || fail "ptwalk maps has no line matching $want"
done
awk 'NR > 1 && $8 ~ /^[1-9]/ { found = 1 } END { exit !found }' maps.txt ||
	fail "ptwalk maps shows no VMA with a THP"
grep -q '^page tables: .*) = VmPTE ' maps.txt || fail "ptwalk maps: page tables != VmPTE"
passed "page tables = VmPTE"

step "ptwalk pagetable $pid   # the heap, THP, stack and file ranges, the W+X audit"
run pagetable.txt ptwalk pagetable "$pid"
awk '/^0x/ && $4 != "none" && ($4 == "thp" || /\[heap\]|\[stack\]|demo_target\.data/)
	/^W\+X ranges:/ { exit } ' pagetable.txt
grep -E '^(W\+X ranges:|Checked W\+X)' pagetable.txt
grep -qx 'Checked W+X mappings: passed, 0 W+X pages' pagetable.txt ||
	fail "pagetable: the W+X check did not pass"
# What the ranges add up to, before the W+X list repeats some of them:
# pt_res what maps calls resident (pages with a struct page), pt_leaf
# every leaf (walk's "mapped"), both in bytes
pt_res=0 pt_leaf=0
while read -r range _ _ kind _; do
	case $range in
	0x*-0x*) ;;
	W+X*) break ;;
	*) continue ;;
	esac
	len=$((${range#*-} - ${range%-*}))
	[ "$kind" = none ] || pt_leaf=$((pt_leaf + len))
	case $kind in
	normal | thp | hugetlb) pt_res=$((pt_res + len)) ;;
	esac
done < pagetable.txt
passed "W+X check passed"

step "cat $dbg/maps   # header, total and page-table lines"
run dmaps.txt cat "$dbg/maps"
awk 'NR <= 2 || $1 == "total" || /^page tables/' dmaps.txt
dbg_res_kib=$(awk '$1 == "total" { print $2 }' dmaps.txt)

step "ptwalk maps $pid --json --svg maps.svg > maps.json   # totals in bytes, the picture"
run maps.json ptwalk maps "$pid" --json --svg maps.svg
why=$(json_ok maps.json) || fail "maps --json is not well-formed JSON: $why"
res=$(json_total maps.json resident)
svg_res=$(sed -n 's/.*data-total-resident="\([0-9]*\)".*/\1/p' maps.svg 2> /dev/null | head -n 1)
why=$(xmllint --noout maps.svg 2>&1) || fail "maps.svg is not well-formed: $why"
echo "resident: maps --json $res bytes, SVG $svg_res, debugfs maps ${dbg_res_kib} KiB," \
	"pagetable's normal+thp+hugetlb ranges $pt_res bytes"
echo "mapped: walk --extents ${mapped_kib} KiB, pagetable's ranges that are not none $pt_leaf bytes"
if [ -z "$res" ] || [ "$res" -eq 0 ] || [ "$res" != "$svg_res" ] ||
	[ "$res" != "$pt_res" ] || [ "${dbg_res_kib:-x}" != $((res / 1024)) ]; then
	fail "maps and pagetable disagree on the resident total (see above)"
fi
[ "${mapped_kib:-x}" = $((pt_leaf / 1024)) ] ||
	fail "walk --extents and pagetable disagree on what is mapped (see above)"
passed "the totals agree to the byte; maps.svg passes xmllint (the host gets a copy)"

step "ptwalk zones"
run zones.txt ptwalk zones
cat zones.txt
grep -qE '^[0-9]+ +(DMA|DMA32|Normal|Movable) +[0-9]+ ' zones.txt || fail "ptwalk zones shows no zone"

step "ptwalk faults $pid"
run faults.txt ptwalk faults "$pid"
cat faults.txt
# one thread, no children: its minor faults are /proc/PID/stat's minflt
minor=$(sed -n 's/^minor \([0-9]*\) .*/\1/p' faults.txt)
minflt=$(awk '{ print $10 }' "/proc/$pid/stat")
if [ -z "$minor" ] || [ "$minor" -eq 0 ] || [ "$minor" != "$minflt" ]; then
	fail "ptwalk faults: minor '$minor', /proc/$pid/stat minflt '$minflt'"
fi
passed "minor = minflt of /proc/$pid/stat ($minflt)"
kill "$pid"
wait "$pid" 2> /dev/null

# The traced dd starts only once the trace runs (debugfs faults shows it),
# so that all its faults are counted: the 4 MiB buffer is 1024 of them.
mkfifo go.fifo || fail "mkfifo go.fifo"
(read -r _ < go.fifo && exec dd if=/dev/zero of=/dev/null bs=4M count=16 2> /dev/null) &
dd_pid=$!
step "ptwalk faults $dd_pid --trace 2   # dd with a 4 MiB buffer, which starts when the trace does"
echo "$dd_pid" > "$dbg/target"
files="$files trace.txt"
ptwalk faults "$dd_pid" --trace 2 > trace.txt 2> trace.txt.err &
trace_pid=$!
i=0
until grep -q "^trace of pid $dd_pid: running" "$dbg/faults" 2> /dev/null; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$trace_pid" 2> /dev/null; then
		fail "the trace of pid $dd_pid did not start: $(cat trace.txt.err)"
		break
	fi
	sleep 0.1
done
echo go > go.fifo
wait "$trace_pid"
rc=$?
wait "$dd_pid"
[ "$rc" -eq 0 ] || fail "ptwalk faults --trace exited $rc: $(cat trace.txt.err)"
sed '/^fault duration:/,$d' trace.txt
most=$(awk '$1 ~ /^[0-9a-f]+-[0-9a-f]+$/ && $2 > most { most = $2 } END { print most + 0 }' trace.txt)
grep -q "^PID $dd_pid  traced " trace.txt || fail "the trace has no summary of pid $dd_pid"
[ "$most" -ge 1024 ] || fail "the trace saw $most faults in dd's busiest VMA, not >= 1024"
passed "$most faults in dd's 4 MiB buffer"

finish
