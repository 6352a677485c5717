// SPDX-License-Identifier: GPL-2.0
/* A bounded loop over the argument buffer, stored into the object. */
#include "test_prog.h"

SEC("method/sum")
int sum(struct ipo_method_ctx *ctx)
{
	const u8 *arg = ctx->arg;
	u32 *obj = ctx->obj;
	u32 i, n = ctx->arg_size, total = 0;

	if (ctx->obj_size < sizeof(u32))
		return -1;
	if (n > 256)
		n = 256;
	for (i = 0; i < n; i++)
		total += arg[i];
	*obj = total;
	return 0;
}

char _license[] SEC("license") = "GPL";
