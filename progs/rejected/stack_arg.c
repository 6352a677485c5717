// SPDX-License-Identifier: GPL-2.0
/*
 * Rejected shape: a struct copied to the stack and passed by pointer to a
 * non-inlined function.
 *
 * The callee loads through its r1 = fp-24 of the caller:
 *
 *	check:	r2 = *(u32 *)(r1 + 8)
 *
 * Verifier (0d906be): "R1 !read_ok" at that load ("return a->w && a->h").
 *
 * By design (verifier/verifier.c: pointers to the caller's stack arrive
 * unreadable, so frames stay private), but the message reads like an
 * uninitialised register, not like the rule that was broken; something
 * like "R1 pointer to the caller's stack (passed at insn N) cannot be
 * used" would say it.  Written instead with __always_inline helpers
 * (progs/ipo.h documents it), or with the argument pointer itself, which
 * a subprogram may take.
 */
#include "../ipo.h"

struct check_args {
	__u32 x, y, w, h;
};

static __noinline int check(const struct check_args *a)
{
	return a->w && a->h;
}

IPO_METHOD(stack_to_sub)
int stack_to_sub(struct ipo_method_ctx *ctx)
{
	struct check_args a;

	if (ctx->arg_size < sizeof(a))
		return -EINVAL;
	__builtin_memcpy(&a, ctx->arg, sizeof(a));
	return check(&a) ? 0 : -EINVAL;
}

IPO_LICENSE("GPL");
