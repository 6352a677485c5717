// SPDX-License-Identifier: GPL-2.0
/*
 * counter: add a delta to a 64-bit total, read it back.  The total never
 * wraps: an add that would overflow fails with -EOVERFLOW and changes
 * nothing.  Layout and arguments: counter.h.
 */
#include "ipo.h"
#include "counter.h"

IPO_OBJECT(struct counter);
IPO_ARGS(add);

IPO_METHOD(add)
int add(struct ipo_method_ctx *ctx)
{
	const struct add_args *a;
	struct counter *c;
	__s64 total;

	if (ctx->arg_size < sizeof(*a) || ctx->obj_size < sizeof(*c))
		return -EINVAL;
	a = ctx->arg;
	c = ctx->obj;
	if (__builtin_add_overflow(c->total, a->delta, &total))
		return -EOVERFLOW;
	c->total = total;
	c->adds++;
	if (ctx->out_size >= sizeof(__s64))
		*(__s64 *)ctx->out = total;
	return 0;
}

IPO_METHOD(get)
int get(struct ipo_method_ctx *ctx)
{
	const struct counter *c;

	if (ctx->obj_size < sizeof(*c))
		return -EINVAL;
	if (ctx->out_size < sizeof(__s64))
		return -ENOBUFS;
	c = ctx->obj;
	*(__s64 *)ctx->out = c->total;
	return 0;
}

IPO_LICENSE("GPL");
