// SPDX-License-Identifier: GPL-2.0
/*
 * Must be rejected: an array on the stack indexed by a value nothing
 * bounds.  The message names the rule (stack offsets proven inside the
 * frame) and the fix.
 */
#include "test_prog.h"

SEC("method/slot")
int slot(struct ipo_method_ctx *ctx)
{
	u64 buf[8] = {};

	asm volatile("" : : "r"(buf) : "memory");
	buf[ctx->method] = 1; /* EXPECT-REJECT: test the index against the array's length first */
	asm volatile("" : : "r"(buf) : "memory");
	return buf[0];
}

char _license[] SEC("license") = "GPL";
