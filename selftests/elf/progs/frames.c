// SPDX-License-Identifier: GPL-2.0
/*
 * Accepted: what issue 17 found refused.  A struct on the stack passed by
 * pointer to a non-inlined function that reads it and one that writes
 * it; a function that returns nothing; an array on the stack indexed by
 * a tested value.
 */
#include "test_prog.h"

struct rect {
	u32 x, y, w, h;
};

static __noinline int area_ok(const struct rect *r)
{
	return r->w && r->h && r->w * r->h < 4096;
}

static __noinline void grow(struct rect *r, u32 by)
{
	r->w += by;
	r->h += by;
}

static __noinline void count(u64 *obj)
{
	obj[0]++;
}

SEC("method/check")
int check(struct ipo_method_ctx *ctx)
{
	struct rect r;

	if (ctx->arg_size < sizeof(r) || ctx->obj_size < 8)
		return -1;
	__builtin_memcpy(&r, ctx->arg, sizeof(r));
	grow(&r, 1);
	count(ctx->obj);
	return area_ok(&r) ? 0 : -1;
}

SEC("method/hist")
int hist(struct ipo_method_ctx *ctx)
{
	const u8 *arg = ctx->arg;
	u32 buckets[8] = {};
	u32 *out = ctx->out;
	u32 i, n = ctx->arg_size;

	if (ctx->out_size < sizeof(buckets) || n > 64)
		return -1;
	for (i = 0; i < n; i++)
		buckets[arg[i] & 7]++;
	for (i = 0; i < 8; i++)
		out[i] = buckets[i];
	return 0;
}

char _license[] SEC("license") = "GPL";
