// SPDX-License-Identifier: GPL-2.0
/* The loader must refuse this: a call to a function defined elsewhere. */
#include "test_prog.h"

extern u32 elsewhere(u32 x);

SEC("method/call")
int call(struct ipo_method_ctx *ctx)
{
	return elsewhere(ctx->arg_size);
}

char _license[] SEC("license") = "GPL";
