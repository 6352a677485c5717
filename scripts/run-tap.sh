#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# run-tap.sh NAME OUTDIR CMD...: runs one test tier, shows its TAP as it
# comes and keeps it in OUTDIR/NAME.tap.  A tier that exits non-zero without
# a "not ok" line of its own, or that reports nothing, gets one, so a crash
# or a build failure can never read as success.
name=$1 out=$2
shift 2
mkdir -p "$out"
tap="$out/$name.tap"
echo "# tier $name: $*"
rcfile="$tap.rc"
{ "$@" 2>&1; echo $? > "$rcfile"; } | tee "$tap"
rc=$(cat "$rcfile")
rm -f "$rcfile"
# Keep the tier's own numbering; failures we add use the next number.
last=$(grep -oE '^(not )?ok [0-9]+' "$tap" | grep -oE '[0-9]+$' | sort -n | tail -1)
next=$(( ${last:-0} + 1 ))
if [ "$rc" -ne 0 ] && ! grep -qE '^not ok [0-9]+' "$tap"; then
	echo "not ok $next - $name: exited with status $rc" | tee -a "$tap"
elif ! grep -qE '^(not )?ok [0-9]+' "$tap"; then
	echo "not ok $next - $name: reported no results" | tee -a "$tap"
fi
exit 0
