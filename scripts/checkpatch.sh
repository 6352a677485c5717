#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs checkpatch.pl (extracted from Debian's linux-source tarball into
# build/kselftest/ by `make checkpatch`) on the module's sources, with one
# terse line per finding and a summary.  Exits non-zero on any error or
# warning.
top=$(cd "$(dirname "$0")/.." && pwd)
cp="$top/build/kselftest/scripts/checkpatch.pl"
if [ ! -x "$cp" ]; then
	echo "checkpatch: $cp missing; run 'make checkpatch'" >&2
	exit 2
fi
cd "$top" || exit 2
files=$(ls kmod/*.c kmod/*.h 2>/dev/null | grep -v '\.mod\.c$')
[ -n "$files" ] || { echo "checkpatch: no files in kmod/"; exit 0; }
# shellcheck disable=SC2086
perl "$cp" --no-tree --terse --summary-file --show-types -f $files
rc=$?
n=$(echo "$files" | wc -w)
if [ "$rc" -eq 0 ]; then
	echo "checkpatch: $n files clean"
else
	echo "checkpatch: findings in kmod/ (see above)"
fi
exit "$rc"
