/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bank: accounts with balances.  Object layout and method arguments,
 * shared by progs/bank.c and its callers.
 */
#ifndef IPO_PROGS_BANK_H
#define IPO_PROGS_BANK_H

#include <linux/types.h>

#define BANK_ACCOUNTS	16

/**
 * struct bank - the object
 * @balance: of each account
 * @ops: committed deposits, withdrawals and transfers
 */
struct bank {
	__u64 balance[BANK_ACCOUNTS];
	__u64 ops;
};

/* deposit(account, amount), withdraw(account, amount) */
struct deposit_args {
	__u32 account;
	__u32 __reserved;
	__u64 amount;
};

struct withdraw_args {
	__u32 account;
	__u32 __reserved;
	__u64 amount;
};

/* transfer(from, to, amount) */
struct transfer_args {
	__u32 from;
	__u32 to;
	__u64 amount;
};

/* balance(account) -> out: __u64 */
struct balance_args {
	__u32 account;
};

/* credit(account, amount): deposit without the account test; see bank.c */
struct credit_args {
	__u32 account;
	__u32 __reserved;
	__u64 amount;
};

#endif /* IPO_PROGS_BANK_H */
