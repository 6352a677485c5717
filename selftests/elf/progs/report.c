// SPDX-License-Identifier: GPL-2.0
/*
 * Accepted, with run-time checks and a loop only fuel ends: `ipo verify`
 * lists each at its line with what would remove it (EXPECT-CHECK and
 * EXPECT-FUEL name a fragment of its note), and `ipo verify --strict`
 * refuses the file at the first of them.  The argument and object
 * types are in BTF (as IPO_ARGS and IPO_OBJECT put them), so the notes
 * name the fields.
 */
#include "test_prog.h"

struct deposit_args {
	u32 account;
	u32 pad;
	u64 amount;
};

struct bank {
	u64 balance[16];
};

const struct deposit_args *__ipo_args_deposit SEC(".ipo.types");
struct bank *__ipo_object SEC(".ipo.types");

SEC("method/deposit")
int deposit(struct ipo_method_ctx *ctx)
{
	const struct deposit_args *a = ctx->arg;
	struct bank *b = ctx->obj;

	if (ctx->arg_size < sizeof(*a) || ctx->obj_size < sizeof(*b))
		return -1;
	b->balance[a->account] += a->amount; /* EXPECT-CHECK: (deposit_args.account); test it against 16 */
	return 0;
}

SEC("method/first")
int first(struct ipo_method_ctx *ctx)
{
	const u64 *arg = ctx->arg;

	return *arg != 0; /* EXPECT-CHECK: test ctx->arg_size against 8 first */
}

SEC("method/chase")
int chase(struct ipo_method_ctx *ctx)
{
	const u32 *next = ctx->obj;
	u32 i = 1, n = 0;

	if (ctx->obj_size < 16 * sizeof(u32))
		return -1;
	while (i) { i = next[i & 15]; n++; } /* EXPECT-FUEL: loop relies on fuel: no register counts */
	return n;
}

char _license[] SEC("license") = "GPL";
