// SPDX-License-Identifier: GPL-2.0
/*
 * Must be rejected: reads a stack byte nothing wrote.  The empty asm takes
 * the buffer's address so clang keeps it on the stack and emits the load.
 */
#include "test_prog.h"

SEC("method/peek")
int peek(struct ipo_method_ctx *ctx)
{
	u8 buf[16];

	asm volatile("" : : "r"(buf) : "memory");
	return buf[3] + ctx->arg_size; /* EXPECT-REJECT */
}

char _license[] SEC("license") = "GPL";
