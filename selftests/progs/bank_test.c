// SPDX-License-Identifier: GPL-2.0
/*
 * progs/bank.c: deposits, withdrawals and transfers conserve money and
 * refuse what they cannot do; credit() without its account test aborts
 * on a bad account, where the verifier left its check.
 */
#include <errno.h>
#include <string.h>

#include "bank.h"
#include "progs_test.h"
#include "base/prog.h"

void test_bank(void)
{
	struct pt_obj *o = pt_open("bank");
	struct deposit_args d = { .account = 3, .amount = 500 };
	struct transfer_args t = { .from = 3, .to = 7, .amount = 200 };
	struct credit_args c = { .account = 99, .amount = 1 };
	struct balance_args q = { .account = 7 };
	struct bank b = {}, before;
	struct pt_call call = {};
	__u64 v = 0;

	if (!o)
		return;
	tap_eq(pt_call(o, "deposit", &b, sizeof(b), &d, sizeof(d), NULL, 0), 0,
	       "bank: deposit");
	tap_eq(pt_call(o, "transfer", &b, sizeof(b), &t, sizeof(t), NULL, 0),
	       0, "bank: transfer");
	tap_ok(b.balance[3] == 300 && b.balance[7] == 200 && b.ops == 2,
	       "bank: balances 300 and 200 after 2 ops");
	tap_eq(pt_call(o, "balance", &b, sizeof(b), &q, sizeof(q), &v,
		       sizeof(v)), 0, "bank: balance");
	tap_eq(v, 200, "bank: ... of account 7 is 200");

	before = b;
	t.amount = 301;
	tap_eq(pt_call(o, "transfer", &b, sizeof(b), &t, sizeof(t), NULL, 0),
	       -ENOSPC, "bank: transfer of more than there is");
	t.amount = 1;
	t.to = BANK_ACCOUNTS;
	tap_eq(pt_call(o, "transfer", &b, sizeof(b), &t, sizeof(t), NULL, 0),
	       -ENOENT, "bank: transfer to an account past the last");
	d.amount = ~0ULL;
	tap_eq(pt_call(o, "deposit", &b, sizeof(b), &d, sizeof(d), NULL, 0),
	       -EOVERFLOW, "bank: deposit that would overflow");
	tap_ok(!memcmp(&b, &before, sizeof(b)), "bank: ... nothing changed");

	/* credit(): no account test, a run-time check: a bad one aborts. */
	call.arg = &c;
	call.arg_size = sizeof(c);
	pt_run(o, "credit", &b, sizeof(b), &call);
	tap_eq(call.abort, IPO_ABORT_BOUNDS,
	       "bank: credit to account 99 aborts on the bounds check");
	tap_ok(call.abort_pc > 0 && !memcmp(&b, &before, sizeof(b)),
	       "bank: ... at its access (insn %u), nothing written",
	       call.abort_pc);
	c.account = 5;
	tap_eq(pt_call(o, "credit", &b, sizeof(b), &c, sizeof(c), NULL, 0), 0,
	       "bank: credit to a good account");
	pt_close(o);
}
