// SPDX-License-Identifier: GPL-2.0
/*
 * Static subprograms: sq() is called twice from add() directly and from
 * twice() (itself a subprogram), so linking must append each once; scale()
 * is called by two programs in one section.
 */
#include "test_prog.h"

static __noinline u32 sq(u32 x)
{
	return x * x + 1;
}

static __noinline u32 twice(u32 x)
{
	return sq(x) + sq(x + 1);
}

static __noinline u32 scale(u32 x, u32 k)
{
	return x * k + k;
}

SEC("method/add")
int add(struct ipo_method_ctx *ctx)
{
	return sq(ctx->obj_size) + sq(ctx->arg_size) + twice(ctx->out_size);
}

SEC("method")
int grow(struct ipo_method_ctx *ctx)
{
	return scale(ctx->arg_size, 3);
}

SEC("method")
int shrink(struct ipo_method_ctx *ctx)
{
	return scale(ctx->out_size, 5) - 1;
}

SEC("irq")
int ack(struct ipo_method_ctx *ctx)
{
	return 1;
}

char _license[] SEC("license") = "GPL";
