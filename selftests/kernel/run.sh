#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs the ipo kselftests in the guest (busybox sh), after
# `insmod /ipo/ipo.ko`.  Each binary's TAP goes through unchanged, so the
# host counts every test; a binary that dies without reporting a failure
# gets a "not ok" line of its own.  Exits non-zero if anything failed.
#
# unload_test runs last: if the module wrongly lets itself be removed while
# in use, it must not take the other tests down with it.
dir=$(cd "$(dirname "$0")" && pwd)
failed=0 ran=0

run_one() {
	name=$(basename "$1")
	out=/tmp/ipo-selftest-$name.out
	"$1" > "$out" 2>&1
	rc=$?
	cat "$out"
	ran=$((ran + 1))
	if [ "$rc" -ne 0 ]; then
		failed=$((failed + 1))
		grep -q '^not ok [0-9]' "$out" ||
			echo "not ok 1 selftests: $name # exited with status $rc"
	fi
	rm -f "$out"
}

if [ ! -c /dev/ipo ]; then
	echo "not ok 1 selftests: /dev/ipo missing (is ipo.ko loaded?)"
	exit 1
fi

for t in "$dir"/*_test; do
	[ -x "$t" ] || continue
	[ "$(basename "$t")" = unload_test ] && continue
	run_one "$t"
done
[ -x "$dir/unload_test" ] && run_one "$dir/unload_test"

echo "# selftests: $ran binaries, $failed failed"
[ "$failed" -eq 0 ]
