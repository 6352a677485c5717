#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nospec.sh MODULE: each module function that indexes an array with a
# caller's value must clamp it with array_index_nospec(), which on x86-64
# compiles to "cmp; sbb %reg,%reg" (array_index_mask_nospec()).  A plain
# bounds check lets a mispredicted branch read (and, for the method table,
# call through) an entry past the end.  TAP on stdout.
#
# function		the index it takes from the caller
set -u
ko=${1:-kmod/ipo.ko}
n=0 failed=0

check() {
	fn=$1 what=$2
	n=$((n + 1))
	body=$(objdump -d --no-show-raw-insn "$ko" |
	       awk -v f="<$fn>:" '$2 == f { p = 1; next } /^$/ { p = 0 } p')
	if [ -z "$body" ]; then
		echo "not ok $n - nospec: $fn not found in $ko"
		failed=$((failed + 1))
	elif echo "$body" | grep -qE 'sbb +(%[a-z0-9]+),\1$'; then
		echo "ok $n - nospec: $fn clamps $what"
	else
		echo "not ok $n - nospec: $fn indexes by $what without array_index_nospec()"
		failed=$((failed + 1))
	fi
}

echo "1..4"
check ipo_dev_ioctl "the ioctl number (command table)"
# INVOKE's two ways: one call, and any bundle (ipo_call_run() inlined).
check ipo_invoke_one "the call's method (method table)"
check ipo_invoke_bundle "the call's method (method table)"
check ipo_irq_attach_ioctl "the BAR number (PCI resources)"
[ "$failed" -eq 0 ]
