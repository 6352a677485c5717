#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# fuzz-short.sh SECONDS OUTDIR SEEDDIR NAME...: runs build/bin/ipo-fuzz-NAME
# for SECONDS each on a scratch corpus (seeded from SEEDDIR/NAME) and prints
# one TAP line per harness with its execution count.  Crash files go to
# OUTDIR, never into the source tree.  FUZZ_MAX_LEN_NAME, when set, is the
# harness' -max_len (default 8192).
secs=$1 out=$2 seeds=$3
shift 3
echo "TAP version 13"
echo "1..$#"
n=0 rc=0
for name in "$@"; do
	n=$((n + 1))
	work="$out/$name-short"
	rm -rf "$work" && mkdir -p "$work/corpus"
	log="$work/log"
	eval "maxlen=\${FUZZ_MAX_LEN_$name:-8192}"
	build/bin/ipo-fuzz-"$name" -artifact_prefix="$work/" \
		-print_final_stats=1 -max_len="$maxlen" -timeout=10 \
		-rss_limit_mb=2048 -max_total_time="$secs" \
		"$work/corpus" "$seeds/$name" > "$log" 2>&1
	status=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	if [ "$status" -eq 0 ] && [ -n "$execs" ]; then
		echo "ok $n - fuzz $name: $execs executions in ${secs}s ($rate/s), no finding"
	else
		echo "not ok $n - fuzz $name: status $status after ${execs:-?} executions"
		grep -E 'ERROR|SUMMARY|fuzz_[a-z]*:|Test unit written' "$log" |
			head -20 | sed 's/^/#   /'
		rc=1
	fi
done
exit $rc
