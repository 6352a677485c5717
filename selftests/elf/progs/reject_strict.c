// SPDX-License-Identifier: GPL-2.0
/*
 * Marked strict (IPO_STRICT), so refused: the index is not tested, the
 * access would need a run-time check.
 */
#include "test_prog.h"

SEC("method/poke")
int poke(struct ipo_method_ctx *ctx)
{
	const u32 *arg = ctx->arg;
	u64 *obj = ctx->obj;

	if (ctx->arg_size < 4 || ctx->obj_size < 64)
		return -1;
	obj[arg[0]] = 1; /* EXPECT-REJECT: strict: run-time check: obj access through */
	return 0;
}

IPO_STRICT(poke);

char _license[] SEC("license") = "GPL";
