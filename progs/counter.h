/* SPDX-License-Identifier: GPL-2.0 */
/*
 * counter: a signed 64-bit total.  Object layout and method arguments,
 * shared by progs/counter.c and its callers.
 */
#ifndef IPO_PROGS_COUNTER_H
#define IPO_PROGS_COUNTER_H

#include <linux/types.h>

/**
 * struct counter - the object
 * @total: sum of every delta added; never overflows (add refuses)
 * @adds: successful add calls
 */
struct counter {
	__s64 total;
	__u64 adds;
};

/* add(delta) -> out: the new total (__s64), when out has room */
struct add_args {
	__s64 delta;
};

/* get() -> out: the total (__s64) */

#endif /* IPO_PROGS_COUNTER_H */
