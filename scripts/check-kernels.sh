#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-kernels.sh RESULTS: the kernel matrix (scripts/kernels.sh).  For each
# kernel: builds the module out of tree against its headers into
# build/k/KVER/ (a tree of symlinks to the sources, so objects never mix),
# boots that kernel in the test VM with two edu devices and runs the whole
# kselftest tier there, TAP into RESULTS/kernel-KVER.tap.  Prints one line
# per kernel, "KVER: N passed, N failed", with its boot and run times, then
# the closing line over the matrix.  Exits non-zero on any failure.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
results=${1:-build/test-results}
mkdir -p "$results"
timeout=${VM_TIMEOUT:-300}
lines=() failed_any=0

count() { grep -cE "^$1 [0-9]+" "$2"; }

for k in $(scripts/kernels.sh); do
	case $k in
	missing:*)
		echo "${k#missing:}: not installed (IPO_DEPS_EXTRA=kernels scripts/deps.sh)"
		failed_any=1
		continue ;;
	esac
	tap=$results/kernel-$k.tap
	d=build/k/$k
	mkdir -p "$d"
	for f in Kbuild engine.mk $(find kmod verifier jit include \
			-name '*.[chS]' ! -name '*.mod.c'); do
		mkdir -p "$d/$(dirname "$f")"
		ln -sfn "$top/$f" "$d/$f"
	done
	echo "# kernel $k: building the module in $d"
	if ! make -C "/usr/src/linux-headers-$k" M="$top/$d" modules \
			> "$d/build.log" 2>&1; then
		sed 's/^/# /' "$d/build.log" | tail -30
		echo "not ok 1 - $k: the module does not build (see $d/build.log)" > "$tap"
	else
		grep -E 'warning|error' "$d/build.log" | sed 's/^/# /'
		echo "# kernel $k: running the kselftests in the VM"
		KVER=$k IPO_VM_KO=$d/kmod/ipo.ko scripts/vm.sh --tap - \
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
for f in "$results"/kernel-*.tap; do
	[ -f "$f" ] || continue
	pass=$((pass + $(count ok "$f")))
	fail=$((fail + $(count "not ok" "$f")))
done
[ "$failed_any" -eq 0 ] || [ "$fail" -gt 0 ] || fail=1
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
