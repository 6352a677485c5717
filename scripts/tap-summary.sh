#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tap-summary.sh [DIR | FILE...]: counts the top-level TAP results of every
# tier in DIR/*.tap (build/test-results), or of the given .tap files, and
# prints the closing line "N passed, N failed".  Skipped tests count as
# passed and are listed.  Exits non-zero when anything failed or no test
# ran at all.
dir=${1:-build/test-results}
if [ $# -le 1 ] && [ -d "$dir" ]; then
	set -- "$dir"/*.tap
fi
pass=0 fail=0 skip=0
for f in "$@"; do
	[ -f "$f" ] || continue
	p=$(grep -cE '^ok [0-9]+' "$f")
	n=$(grep -cE '^not ok [0-9]+' "$f")
	s=$(grep -cE '^ok [0-9]+ .*# *(SKIP|skip)' "$f")
	pass=$((pass + p)); fail=$((fail + n)); skip=$((skip + s))
	printf '%-28s %5d passed %5d failed\n' "$(basename "$f" .tap)" "$p" "$n"
	grep -E '^not ok [0-9]+' "$f" | sed 's/^/    /'
done
[ "$skip" -gt 0 ] && echo "($skip of the passed were skipped)"
if [ $((pass + fail)) -eq 0 ]; then
	echo "no test results in ${*:-$dir}"
	fail=1
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
