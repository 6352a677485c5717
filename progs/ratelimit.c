// SPDX-License-Identifier: GPL-2.0
/*
 * ratelimit: shared token buckets.  take() refills a bucket by the time
 * elapsed (the kernel's clock, never the caller's) and grants all or
 * nothing; a refusal is a result, not an error, unless the caller asks
 * for -EAGAIN.  Layout, arguments, the arithmetic and the bound:
 * ratelimit.h.
 */
#include "ipo.h"
#include "ratelimit.h"

IPO_OBJECT(struct ratelimit);
IPO_ARGS(config);
IPO_ARGS(take);
IPO_ARGS(peek);
/* take's output, in BTF for `ipo run` (`-> struct take_out`). */
const struct take_out *__ipo_out_take SEC(".ipo.types");

IPO_METHOD(config)
int config(struct ipo_method_ctx *ctx)
{
	const struct config_args *a;
	struct ratelimit *rl;
	__u64 burst;
	__u32 i;

	if (ctx->arg_size < sizeof(*a) || ctx->obj_size < sizeof(*rl))
		return -EINVAL;
	a = ctx->arg;
	i = a->bucket;
	burst = a->burst;
	if (i >= RL_BUCKETS || !burst || burst > RL_BURST_MAX)
		return -EINVAL;
	rl = ctx->obj;
	rl_config_at(&rl->b[i], burst, a->ns_per_token, ipo_ktime_ns());
	return 0;
}

IPO_METHOD(take)
int take(struct ipo_method_ctx *ctx)
{
	const struct take_args *a;
	struct rl_bucket *b;
	struct ratelimit *rl;
	__u32 i, flags;
	__u64 n;

	if (ctx->arg_size < sizeof(*a) || ctx->obj_size < sizeof(*rl))
		return -EINVAL;
	if (ctx->out_size < sizeof(struct take_out))
		return -ENOBUFS;
	/*
	 * Read once into locals: a store through ctx->out could alias the
	 * argument as far as clang knows, and it would read them again.
	 */
	a = ctx->arg;
	i = a->bucket;
	flags = a->flags;
	n = a->n;
	if (i >= RL_BUCKETS || (flags & ~RL_TAKE_HARD))
		return -EINVAL;
	rl = ctx->obj;
	b = &rl->b[i];
	if (!b->burst)
		return -ENOENT;
	if (!n || n > b->burst)
		return -EINVAL;
	if (rl_take_at(b, n, ipo_ktime_ns(), ctx->out))
		return 0;
	/* A refusal: granted 0 is the answer, unless asked to fail. */
	return (flags & RL_TAKE_HARD) ? -EAGAIN : 0;
}

IPO_METHOD(peek)
int peek(struct ipo_method_ctx *ctx)
{
	const struct peek_args *a;
	struct ratelimit *rl;
	__u32 i;

	if (ctx->arg_size < sizeof(*a) || ctx->obj_size < sizeof(*rl))
		return -EINVAL;
	if (ctx->out_size < sizeof(struct rl_bucket))
		return -ENOBUFS;
	a = ctx->arg;
	i = a->bucket;
	if (i >= RL_BUCKETS)
		return -EINVAL;
	rl = ctx->obj;
	ipo_memcpy_const(ctx->out, &rl->b[i], sizeof(struct rl_bucket));
	return 0;
}

IPO_LICENSE("GPL");
