// SPDX-License-Identifier: GPL-2.0
/*
 * bank: deposits, withdrawals and transfers between 16 accounts (layout
 * and arguments in bank.h).  Balances never wrap: a deposit that would
 * overflow is -EOVERFLOW, a withdrawal or transfer of more than there is
 * -ENOSPC, an account past the last -ENOENT; nothing changes then.
 *
 * Every method but credit() tests its account numbers against
 * BANK_ACCOUNTS and its sizes before the first access, so the verifier
 * proves every access in bounds and none keeps a run-time check: they are
 * marked IPO_STRICT, and would not load if one did.  credit() is the same
 * deposit without the account test, kept as the example of what that
 * costs: `ipo verify bank.o` lists its access as a run-time check ("no
 * upper bound known for R3 (credit_args.account); test it against 17":
 * the verifier guards the object's bytes, and balance[16] would be ops),
 * and a call with account 17 or more aborts with EFAULT at its line.
 */
#include "ipo.h"
#include "bank.h"

IPO_OBJECT(struct bank);
IPO_ARGS(deposit);
IPO_ARGS(withdraw);
IPO_ARGS(transfer);
IPO_ARGS(balance);
IPO_ARGS(credit);

IPO_METHOD(deposit)
int deposit(struct ipo_method_ctx *ctx)
{
	const struct deposit_args *a;
	struct bank *b;
	__u64 nb;

	if (ctx->arg_size < sizeof(*a) || ctx->obj_size < sizeof(*b))
		return -EINVAL;
	a = ctx->arg;
	b = ctx->obj;
	if (a->account >= BANK_ACCOUNTS)
		return -ENOENT;
	if (__builtin_add_overflow(b->balance[a->account], a->amount, &nb))
		return -EOVERFLOW;
	b->balance[a->account] = nb;
	b->ops++;
	return 0;
}

IPO_METHOD(withdraw)
int withdraw(struct ipo_method_ctx *ctx)
{
	const struct withdraw_args *a;
	struct bank *b;

	if (ctx->arg_size < sizeof(*a) || ctx->obj_size < sizeof(*b))
		return -EINVAL;
	a = ctx->arg;
	b = ctx->obj;
	if (a->account >= BANK_ACCOUNTS)
		return -ENOENT;
	if (b->balance[a->account] < a->amount)
		return -ENOSPC;
	b->balance[a->account] -= a->amount;
	b->ops++;
	return 0;
}

IPO_METHOD(transfer)
int transfer(struct ipo_method_ctx *ctx)
{
	const struct transfer_args *a;
	struct bank *b;

	if (ctx->arg_size < sizeof(*a) || ctx->obj_size < sizeof(*b))
		return -EINVAL;
	a = ctx->arg;
	b = ctx->obj;
	if (a->from >= BANK_ACCOUNTS || a->to >= BANK_ACCOUNTS)
		return -ENOENT;
	if (b->balance[a->from] < a->amount)
		return -ENOSPC;
	/* Money is conserved: the destination cannot overflow either. */
	b->balance[a->from] -= a->amount;
	b->balance[a->to] += a->amount;
	b->ops++;
	return 0;
}

IPO_METHOD(balance)
int balance(struct ipo_method_ctx *ctx)
{
	const struct balance_args *a;
	const struct bank *b;

	if (ctx->arg_size < sizeof(*a) || ctx->obj_size < sizeof(*b))
		return -EINVAL;
	if (ctx->out_size < sizeof(__u64))
		return -ENOBUFS;
	a = ctx->arg;
	b = ctx->obj;
	if (a->account >= BANK_ACCOUNTS)
		return -ENOENT;
	*(__u64 *)ctx->out = b->balance[a->account];
	return 0;
}

/* deposit() without the account test: see the top of the file. */
IPO_METHOD(credit)
int credit(struct ipo_method_ctx *ctx)
{
	const struct credit_args *a;
	struct bank *b;

	if (ctx->arg_size < sizeof(*a) || ctx->obj_size < sizeof(*b))
		return -EINVAL;
	a = ctx->arg;
	b = ctx->obj;
	b->balance[a->account] += a->amount;
	b->ops++;
	return 0;
}

IPO_STRICT(deposit);
IPO_STRICT(withdraw);
IPO_STRICT(transfer);
IPO_STRICT(balance);

IPO_LICENSE("GPL");
