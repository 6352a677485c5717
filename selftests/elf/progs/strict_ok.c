// SPDX-License-Identifier: GPL-2.0
/*
 * Marked strict (IPO_STRICT) and strict-clean: every access proven (sizes
 * tested first, an index tested against the array), the loop counted.
 */
#include "test_prog.h"

SEC("method/sum8")
int sum8(struct ipo_method_ctx *ctx)
{
	const u8 *arg = ctx->arg;
	u64 *obj = ctx->obj;
	u32 i, total = 0;

	if (ctx->arg_size < 8 || ctx->obj_size < 8)
		return -1;
	for (i = 0; i < 8; i++)
		total += arg[i];
	*obj = total;
	return 0;
}

SEC("method/pick")
int pick(struct ipo_method_ctx *ctx)
{
	const u32 *arg = ctx->arg;
	u64 *obj = ctx->obj;

	if (ctx->arg_size < 4 || ctx->obj_size < 64 || arg[0] >= 8)
		return -1;
	return obj[arg[0]] != 0;
}

IPO_STRICT(sum8);
IPO_STRICT(pick);

char _license[] SEC("license") = "GPL";
