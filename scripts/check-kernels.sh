#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-kernels.sh RESULTS: the kernel matrix (scripts/kernels.sh).  First
# the DKMS tier (dkms/check-dkms.sh, TAP into RESULTS/dkms.tap): DKMS builds
# the module for each kernel from the source tree ipo-dkms installs, in a
# throwaway tree under build/dkms/.  Then, for each kernel, it boots that
# kernel in the test VM with two edu devices and the module DKMS built for
# it, and runs the whole kselftest tier there, TAP into
# RESULTS/kernel-KVER.tap.  Prints one line per kernel, "KVER: N passed, N
# failed", with its boot and run times, then the closing line over the
# matrix.  Exits non-zero on any failure.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
results=${1:-build/test-results}
mkdir -p "$results"
timeout=${VM_TIMEOUT:-300}
lines=() failed_any=0

count() { grep -cE "^$1 [0-9]+" "$2"; }

scripts/run-tap.sh dkms "$results" dkms/check-dkms.sh
p=$(count ok "$results/dkms.tap")
n=$(count "not ok" "$results/dkms.tap")
lines+=("dkms: $p passed, $n failed")
[ "$n" -eq 0 ] || failed_any=1

for k in $(scripts/kernels.sh); do
	case $k in
	missing:*)
		echo "${k#missing:}: not installed (IPO_DEPS_EXTRA=kernels scripts/deps.sh)"
		failed_any=1
		continue ;;
	esac
	tap=$results/kernel-$k.tap
	ko=build/dkms/ko/$k/ipo.ko
	if [ ! -f "$ko" ]; then
		echo "not ok 1 - $k: DKMS built no module (see $results/dkms.tap, build/dkms/ko/$k/)" > "$tap"
	else
		echo "# kernel $k: running the kselftests in the VM"
		KVER=$k IPO_VM_KO=$ko scripts/vm.sh --tap - \
			--timeout "$timeout" --edu 2 \
			--cmd 'insmod /ipo/ipo.ko' --cmd 'cat /sys/kernel/debug/sched/preempt 2>/dev/null; uname -v' \
			--cmd /ipo/selftests/run.sh --cmd 'rmmod ipo' \
			> "$tap" 2>&1
		grep -qE '^(not )?ok [0-9]+' "$tap" ||
			echo "not ok 1 - $k: the VM reported no results" >> "$tap"
	fi
	p=$(count ok "$tap")
	n=$(count "not ok" "$tap")
	times=$(grep -oE 'kernel to /init [0-9.]+s.*total [0-9.]+s' "$tap" | tail -1)
	line="$k: $p passed, $n failed${times:+ ($times)}"
	grep -E '^not ok [0-9]+' "$tap" | sed 's/^/    /'
	echo "$line"
	lines+=("$line")
	[ "$n" -eq 0 ] || failed_any=1
done

echo
printf '%s\n' "${lines[@]}"
scripts/tap-summary.sh "$results" > /dev/null
pass=0 fail=0
for f in "$results"/dkms.tap "$results"/kernel-*.tap; do
	[ -f "$f" ] || continue
	pass=$((pass + $(count ok "$f")))
	fail=$((fail + $(count "not ok" "$f")))
done
[ "$failed_any" -eq 0 ] || [ "$fail" -gt 0 ] || fail=1
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
