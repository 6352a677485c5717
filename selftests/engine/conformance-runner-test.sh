#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# conformance-runner-test.sh PLUGIN PLUGIN_SAN: the conformance runner
# (run-conformance.py) against plugins that misbehave on an expected-error
# case.  Only the verifier's rejection as conformance.c reports it (exit
# status 1, the rejection line last on stderr) may pass such a case; a
# crash, an abort, a sanitizer report (which also exits 1) or any other
# status must fail it.  Then the real plugins, plain and sanitized, on a
# program the verifier refuses and one it accepts.  TAP.
. "$(dirname "$0")/../../scripts/tap.sh"
runner=$(dirname "$0")/run-conformance.py
plugin=$1 plugin_san=$2
[ -x "$plugin" ] && [ -x "$plugin_san" ] || {
	echo "usage: conformance-runner-test.sh PLUGIN PLUGIN_SAN" >&2
	exit 2
}
t=$(mktemp -d) || exit 2
trap 'rm -rf "$t"' EXIT
echo "TAP version 13"

# An invalid opcode (0xff), then exit: the verifier refuses it.
bad='ff 00 00 00 00 00 00 00 95 00 00 00 00 00 00 00'
# r0 = 7; exit.
good='b7 00 00 00 07 00 00 00 95 00 00 00 00 00 00 00'
mkdir -p "$t/err" "$t/res"
printf '{"name": "bad-opcode", "program_hex": "%s", "memory_hex": "", "expected_result": null, "expected_error": "invalid opcode"}\n' \
	"$bad" > "$t/err/cases.jsonl"
printf '{"name": "mov-exit", "program_hex": "%s", "memory_hex": "", "expected_result": "0x7", "expected_error": null}\n' \
	"$good" > "$t/res/cases.jsonl"

# fake NAME BODY: a plugin that reads the program, then runs BODY.
fake() {
	printf '#!/bin/sh\ncat > /dev/null\n%s\n' "$2" > "$t/$1"
	chmod +x "$t/$1"
}
reject='echo "ipo-conformance: verifier rejected the program: Invalid argument" >&2'
fake segv 'kill -SEGV $$'
fake abrt 'kill -ABRT $$'
fake asan 'echo "==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x6020" >&2
echo "SUMMARY: AddressSanitizer: heap-buffer-overflow" >&2
echo "==1==ABORTING" >&2; exit 1'
fake lsan "$reject"'
echo "==1==ERROR: LeakSanitizer: detected memory leaks" >&2
echo "SUMMARY: AddressSanitizer: 88 byte(s) leaked in 2 allocation(s)." >&2
exit 1'
fake ubsan "$reject"'
echo "verifier.c:10:5: runtime error: shift exponent 64 is too large" >&2
exit 1'
fake aborted 'echo "ipo-conformance: run aborted at insn 0: out of bounds access" >&2
exit 3'
fake quiet 'exit 1'
fake accepts 'echo 0; exit 0'
fake rejects "$reject"'
exit 1'

# runs CASES PLUGIN...: the runner's verdict, "pass" or "fail" (the TAP
# line of the one case and the exit status must agree).
runs() {
	dir=$1
	shift
	out=$(IPO_CONFORMANCE_DIR=$t/$dir python3 "$runner" "$@" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -E '^(not )?ok 1 ' | sed 's/^/# /'
	if [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q '^ok 1 - '; then
		echo pass
	elif [ $rc -ne 0 ] && printf '%s\n' "$out" | grep -q '^not ok 1 - '; then
		echo fail
	else
		echo "unclear (exit $rc)"
	fi
}

for f in segv abrt asan lsan ubsan aborted quiet accepts; do
	v=$(runs err "$t/$f")
	printf '%s\n' "$v" | grep '^#'
	[ "$(printf '%s\n' "$v" | tail -1)" = fail ]
	ok $? "expected error: a plugin that ends with '$f' fails the case"
done
v=$(runs err "$t/rejects")
printf '%s\n' "$v" | grep '^#'
[ "$(printf '%s\n' "$v" | tail -1)" = pass ]
ok $? "expected error: the rejection, exit 1 and its line last, passes"

for p in "$plugin" "$plugin_san"; do
	for e in interp both; do
		v=$(runs err "$p" --engine "$e")
		printf '%s\n' "$v" | grep '^#'
		[ "$(printf '%s\n' "$v" | tail -1)" = pass ]
		ok $? "$(basename "$p") --engine $e: the verifier's rejection of opcode 0xff passes"
		v=$(runs res "$p" --engine "$e")
		printf '%s\n' "$v" | grep '^#'
		[ "$(printf '%s\n' "$v" | tail -1)" = pass ]
		ok $? "$(basename "$p") --engine $e: r0 = 7 passes"
	done
done
echo "1..$n"
exit $failed
