// SPDX-License-Identifier: GPL-2.0
/*
 * Rejected shape: a pointer or NULL, chosen by a size check, then tested.
 *
 * clang -O2 turns `p = size_ok ? ctx->arg : NULL; if (!p) ...` into
 *
 *	r3 = 0
 *	r2 = *(u32 *)(r1 + 28)
 *	if w2 < 0x8 goto +1
 *	r3 = *(u64 *)(r1 + 8)		ptr_to_arg
 *	...
 *	if r3 == 0x0 goto ...
 *
 * Verifier (0d906be), on this file:
 *	maybe_null:   "4: R2 pointer comparison prohibited: ptr_to_arg(off=0)
 *		       jeq scalar(0)"
 *	ptr_cmp_null: "2: R1 pointer comparison prohibited: ptr_to_obj(off=0)
 *		       jeq scalar(0)"
 * and when clang keeps the select (two such pointers tested together, as
 * in a first draft of counter.c's add), the join of scalar 0 and the
 * pointer is unreadable: "7: R3 !read_ok" at the `if (!a || !c)`.
 *
 * Since the verifier decides 64-bit ==/!= tests of a region pointer
 * against 0 (a region pointer is never NULL; the null branch is pruned),
 * both functions below verify.  What stays refused is the joined select:
 * the verifier has no "pointer or NULL" type, so a register that is 0 on
 * one path and a pointer on the other is unreadable.  Written instead as a
 * size check that returns before the pointer is loaded (progs/ipo.h
 * documents it).
 */
#include "../ipo.h"

struct args {
	__u64 v;
};

IPO_METHOD(maybe_null)
int maybe_null(struct ipo_method_ctx *ctx)
{
	const struct args *a = ctx->arg_size >= sizeof(*a) ?
			       (const struct args *)ctx->arg : NULL;
	__u64 *o = ctx->obj;

	if (!a || ctx->obj_size < sizeof(*o))
		return -EINVAL;
	*o = a->v;
	return 0;
}

IPO_METHOD(ptr_cmp_null)
int ptr_cmp_null(struct ipo_method_ctx *ctx)
{
	__u64 *o = ctx->obj;

	if (!o)
		return -EINVAL;
	*o = 1;
	return 0;
}

IPO_LICENSE("GPL");
