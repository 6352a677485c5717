#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# walkthrough.sh README WORKDIR: runs the README's "Your first object" as
# it stands.  Every fenced block right after a line
#
#	<!-- walkthrough: NAME -->
#
# is taken: NAME "run" is the shell commands a reader types, "output" the
# lines the run must print, any other NAME a file of the reader's
# directory.  The files go into WORKDIR/board/, the commands run there
# with `sh -e` and IPO set to this tree (what the README asks the reader
# to set), and every line of the output block must be in what they print
# (runs of spaces compared as one).  A block the README no longer has, a
# marker without its block, a command that fails or a line missing fails
# the test, so the walkthrough cannot drift from the code.  Prints TAP.
readme=$1 work=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/tap.sh
. "$top/scripts/tap.sh"
want_files="board.h board.c board.bundle client.c run.sh"

echo "TAP version 13"
rm -rf "$work"
mkdir -p "$work/board" "$work/blocks"
work=$(cd "$work" && pwd)
# One file per block in $work/blocks; a marker not followed by a fence
# (or a block never closed) is reported as "!NAME".
awk -v dir="$work/blocks" '
	inblock && /^```/ { inblock = 0; close(out); next }
	inblock { print > out; next }
	want && /^```/ { inblock = 1; out = dir "/" name; printf "" > out;
			 want = 0; next }
	want { print "!" name; want = 0 }
	/^<!-- walkthrough: [^ ]+ -->$/ { name = $3; want = 1 }
	END { if (inblock || want) print "!" name }
' "$readme" > "$work/bad"
while read -r bad; do
	ok 1 "README: the marker of '${bad#!}' is followed by a whole fenced block"
done < "$work/bad"
for f in $want_files run output; do
	[ -s "$work/blocks/$f" ]
	ok $? "README: the walkthrough has its '$f' block"
done
for f in "$work"/blocks/*; do
	case ${f##*/} in
	run|output) ;;
	*) cp "$f" "$work/board/" ;;
	esac
done
if [ "$failed" -ne 0 ]; then
	echo "1..$n"
	exit 1
fi

# The reader's commands, as written, from the directory with the files.
(cd "$work/board" && IPO=$top sh -e "$work/blocks/run") > "$work/out" 2>&1
rc=$?
sed 's/^/# /' "$work/out"
ok $rc "the walkthrough's commands exit 0"
tr -s ' ' < "$work/out" > "$work/out.sq"
while IFS= read -r line; do
	[ -n "$line" ] || continue
	l=$(printf '%s\n' "$line" | tr -s ' ')
	grep -qF -- "$l" "$work/out.sq"
	ok $? "the output has: $line"
done < "$work/blocks/output"
echo "1..$n"
exit "$failed"
