#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# CLI selftest, run in the guest by /init (busybox sh, root, ptwalk.ko
# loaded): `ptwalk maps` JSON, text and SVG of a real process, the SVG's
# embedded totals against the JSON's, `ptwalk pagetable`'s W+X check, the
# resident total against VmRSS, page tables against VmPTE, and the pagemap
# fallback with /dev/ptwalk hidden.  Prints TAP as kselftest does.
PATH=/bin:/sbin:/usr/bin
tmp=/tmp/cli_test.$$
nr=0 pass=0 fail=0 skip=0

result() {	# result STATUS NAME: STATUS 0 passes
	nr=$((nr + 1))
	if [ "$1" -eq 0 ]; then
		pass=$((pass + 1))
		echo "ok $nr - $2"
	else
		fail=$((fail + 1))
		echo "not ok $nr - $2"
	fi
}

diag() {	# show a file as TAP comments
	sed 's/^/# /' "$1"
}

# json_total FILE KEY: the value of KEY in the "total" object (last in the file)
json_total() {
	sed -n '/^  "total":{/,$p' "$1" | sed -n "s/^ *\"$2\":\([0-9]*\).*/\1/p" | head -n 1
}

# svg_total FILE KEY: data-total-KEY of the root element (KEY with - for _)
svg_total() {
	key=$(echo "$2" | tr _ -)
	sed -n "s/.*data-total-$key=\"\([0-9]*\)\".*/\1/p" "$1" | head -n 1
}

# all_set VALUE...: every value is non-empty (a failed test may leave none)
all_set() {
	for v in "$@"; do
		[ -n "$v" ] || return 1
	done
}

# within A B: |A - B| <= B/10 + 64 (KiB); false when either is empty
within() {
	all_set "$1" "$2" || return 1
	d=$(($1 - $2))
	[ $d -lt 0 ] && d=$((-d))
	[ $d -le $(($2 / 10 + 64)) ]
}

mkdir -p "$tmp"
echo "TAP version 13"
echo "1..19"

: > "$tmp/addrs"
/bin/demo_target > "$tmp/addrs" &
pid=$!
i=0
while [ "$(wc -l < "$tmp/addrs")" -lt 4 ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done

ptwalk maps "$pid" --json > "$tmp/maps.json" 2> "$tmp/err"
rc=$?
grep -q '"source":"ptwalk"' "$tmp/maps.json"
result $((rc + $?)) "maps --json exits 0 with source ptwalk"
[ $rc -eq 0 ] || diag "$tmp/err"

ptwalk maps "$pid" --svg "$tmp/m.svg" > "$tmp/maps.txt" 2> "$tmp/err"
rc=$?
[ -s "$tmp/m.svg" ]
result $((rc + $?)) "maps --svg exits 0 and writes the SVG"
[ $rc -eq 0 ] || diag "$tmp/err"

xmllint --noout "$tmp/m.svg" 2> "$tmp/err"
rc=$?
result $rc "xmllint accepts the SVG"
[ $rc -eq 0 ] || diag "$tmp/err"

bad=0
for key in size resident resident_4k resident_2m resident_1g thp_bytes hugetlb zero \
	   swapped none other; do
	j=$(json_total "$tmp/maps.json" $key)
	s=$(svg_total "$tmp/m.svg" $key)
	if [ -z "$j" ] || [ "$j" != "$s" ]; then
		echo "# total $key: json '$j' svg '$s'"
		bad=1
	fi
done
result $bad "SVG's embedded totals equal the JSON's"

# Every byte of every VMA is accounted for once:
# resident + zero + swapped + none + other == size.
size=$(json_total "$tmp/maps.json" size)
res=$(json_total "$tmp/maps.json" resident)
zero=$(json_total "$tmp/maps.json" zero)
swapped=$(json_total "$tmp/maps.json" swapped)
none=$(json_total "$tmp/maps.json" none)
other=$(json_total "$tmp/maps.json" other)
sum=
all_set "$size" "$res" "$zero" "$swapped" "$none" "$other" &&
	sum=$((res + zero + swapped + none + other))
[ -n "$sum" ] && [ "$sum" -eq "$size" ]
rc=$?
result $rc "total resident + zero + swapped + none + other == size"
[ $rc -eq 0 ] || echo "# sum '$sum' size '$size'"

# VmRSS is the mm's rss counters; ptwalk counts the leaves themselves.  They
# may differ a little: the counters are cached per thread (6.1 syncs them
# every 64 faults) or per CPU (6.2+ percpu_counter batches), and hugetlb
# pages are not in VmRSS at all (subtracted here).  So: within 10% + 64 KiB.
res=$(json_total "$tmp/maps.json" resident)
huge=$(json_total "$tmp/maps.json" hugetlb)
all_set "$res" "$huge" && res=$(( (res - huge) / 1024 )) || res=
rss=$(sed -n 's/^VmRSS:[^0-9]*\([0-9]*\) kB/\1/p' "/proc/$pid/status")
within "$res" "$rss"
result $? "maps resident ($res KiB) agrees with VmRSS ($rss KiB)"

tail -n 3 "$tmp/maps.txt" | head -n 1 | grep -q '^TOTAL' &&
	tail -n 2 "$tmp/maps.txt" | head -n 1 | grep -q '^resident by folio size: '
result $? "maps text ends with a TOTAL line and the folio sizes"

# Resident bytes by folio size (4K, 64K mTHP, 2M...) add up to the resident total.
fsum=$(sed -n '/^  "total":{/,$p' "$tmp/maps.json" | sed -n '/"resident_by_folio":{/,/}/p' |
	sed -n 's/^ *"[0-9][0-9]*":\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
[ "$fsum" = "$(json_total "$tmp/maps.json" resident)" ] && [ "$fsum" -gt 0 ]
result $? "maps --json resident_by_folio adds up to resident ($fsum)"

# The CLI's page-table total against /proc/PID/status's VmPTE, read here:
# not the CLI's own "= VmPTE" (demo_target is paused: nothing moves).
line=$(tail -n 1 "$tmp/maps.txt")
echo "# $line"
pt=$(echo "$line" | sed -n 's/^page tables: \([0-9][0-9]*\) KiB (pte [0-9]*, pmd [0-9]*, pud [0-9]* tables, [0-9]* deposited) = VmPTE .*/\1/p')
vmpte=$(sed -n 's/^VmPTE:[^0-9]*\([0-9]*\) kB/\1/p' "/proc/$pid/status")
all_set "$pt" "$vmpte" && [ "$pt" -eq "$vmpte" ] && [ "$pt" -gt 0 ]
result $? "maps page tables ($pt KiB) equal VmPTE of /proc/$pid/status ($vmpte kB)"

ptwalk pagetable "$pid" > "$tmp/pt.txt" 2> "$tmp/err"
rc=$?
# demo_target maps nothing writable and executable: the audit must pass
tail -n 1 "$tmp/pt.txt" | grep -qx 'Checked W+X mappings: passed, 0 W+X pages'
result $((rc + $?)) "pagetable ends with the W+X check, passed"
[ $rc -eq 0 ] || diag "$tmp/err"
tail -n 1 "$tmp/pt.txt" | sed 's/^/# /'

ptwalk pagetable --json "$pid" > "$tmp/pt.json" 2> "$tmp/err"
rc=$?
grep -q '"wx_check":"passed"' "$tmp/pt.json"
result $((rc + $?)) "pagetable --json has wx_check passed"

# Without the module (its node hidden for a moment) maps reads pagemap:
# the same process, so the same resident total within the same slack.
mv /dev/ptwalk "$tmp/ptwalk.dev"
ptwalk maps "$pid" --json > "$tmp/fb.json" 2> "$tmp/fb.err"
rc=$?
mv "$tmp/ptwalk.dev" /dev/ptwalk
grep -q '"source":"pagemap"' "$tmp/fb.json" && grep -q 'module not loaded' "$tmp/fb.err"
result $((rc + $?)) "maps falls back to pagemap and says so"
fb=$(json_total "$tmp/fb.json" resident)
mod=$(json_total "$tmp/maps.json" resident)
[ -n "$fb" ] && fb=$((fb / 1024))
[ -n "$mod" ] && mod=$((mod / 1024))
within "$fb" "$mod"
result $? "fallback resident ($fb KiB) agrees with the module's ($mod KiB)"

# A file name with XML's special characters and a byte that is not UTF-8,
# kept mapped by demo_target --map: the SVG must still parse, the JSON
# must carry the name escaped and the bad byte replaced.
odd=$(printf '%s/odd_<&"%s_\377_x' "$tmp" "'")
printf 'odd' > "$odd"
: > "$tmp/odd.addr"
/bin/demo_target --map "$odd" > "$tmp/odd.addr" &
odd_pid=$!
i=0
while [ ! -s "$tmp/odd.addr" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
ptwalk maps "$odd_pid" --json --svg "$tmp/odd.svg" > "$tmp/odd.json" 2> "$tmp/err"
rc=$?
xmllint --noout "$tmp/odd.svg" 2>> "$tmp/err"
rc=$((rc + $?))
result $rc "maps --svg of a VMA named <&\"' and a bad byte passes xmllint"
[ $rc -eq 0 ] || diag "$tmp/err"
grep -qF "odd_&lt;&amp;&quot;&apos;_?_x" "$tmp/odd.svg"
result $? "the SVG escapes the name and replaces the bad byte"
bad=$(printf '\377')
grep -qF "odd_<&\\\"'_?_x" "$tmp/odd.json" && ! grep -qF "$bad" "$tmp/odd.json"
result $? "the JSON escapes the name and replaces the bad byte"
grep -F 'odd_' "$tmp/odd.json" | sed 's/^/# /'
kill "$odd_pid" 2> /dev/null
wait "$odd_pid" 2> /dev/null

# --version and info: the CLI's ABI is the module's, the kernel and the
# paging levels are the guest's own (LA57 unless no5lvl).
ptwalk --version | grep -qE '^ptwalk [0-9][0-9.]*, ABI [0-9]+$'
result $? "--version prints the version and the ABI"
levels=4
grep -qw la57 /proc/cpuinfo && ! grep -qw no5lvl /proc/cmdline && levels=5
ptwalk info > "$tmp/info.txt" 2> "$tmp/err"
rc=$?
abi=$(ptwalk --version | sed 's/.*ABI //')
grep -qx "kernel     $(uname -r)" "$tmp/info.txt" &&
	grep -q "^paging     $levels levels, 4096-byte pages" "$tmp/info.txt" &&
	grep -q "^ptwalk .*, ABI $abi (module ABI $abi)$" "$tmp/info.txt"
result $((rc + $?)) "info: kernel $(uname -r), $levels levels, module ABI $abi"
diag "$tmp/info.txt"
ptwalk info --json > "$tmp/info.json" 2> "$tmp/err"
rc=$?
tr -d ' \n' < "$tmp/info.json" > "$tmp/info.flat"
grep -q "\"paging_levels\":$levels," "$tmp/info.flat" &&
	grep -q '"features":\[[^]]*"translate"' "$tmp/info.flat"
result $((rc + $?)) "info --json: paging_levels and features"

kill "$pid" 2> /dev/null
wait "$pid" 2> /dev/null
rm -rf "$tmp"
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
[ $fail -eq 0 ]
