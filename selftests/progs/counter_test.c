// SPDX-License-Identifier: GPL-2.0
/* progs/counter.c: totals, overflow refused, argument and output checks. */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "counter.h"
#include "progs_test.h"

static int add(struct pt_obj *o, struct counter *c, __s64 delta, __s64 *out)
{
	struct add_args a = { .delta = delta };

	return pt_call(o, "add", c, sizeof(*c), &a, sizeof(a), out,
		       out ? sizeof(*out) : 0);
}

void test_counter(void)
{
	struct pt_obj *o = pt_open("counter");
	struct counter c = {}, before;
	struct add_args a = { .delta = 1 };
	__s64 total = 0, want = 0, v;
	int i, bad = 0;

	if (!o)
		return;
	for (i = 1; i <= 50; i++) {
		__s64 d = (i % 3 ? i * 1000 : -i * 77);

		want += d;
		if (add(o, &c, d, &total) || total != want)
			bad++;
	}
	tap_ok(!bad && c.total == want && c.adds == 50,
	       "counter: 50 adds give the running total (%lld)",
	       (long long)c.total);
	tap_eq(pt_call(o, "get", &c, sizeof(c), NULL, 0, &v, sizeof(v)), 0,
	       "counter: get succeeds");
	tap_eq(v, want, "counter: get returns the total");
	tap_eq(add(o, &c, 5, NULL), 0, "counter: add without output room");
	tap_eq(c.total, want + 5, "counter: ... still adds");

	c.total = LLONG_MAX - 1;
	before = c;
	tap_eq(add(o, &c, 2, &v), -EOVERFLOW, "counter: overflow refused");
	tap_ok(!memcmp(&c, &before, sizeof(c)), "counter: ... nothing changed");
	tap_eq(add(o, &c, 1, &v), 0, "counter: up to LLONG_MAX is fine");
	tap_eq(v, LLONG_MAX, "counter: ... total LLONG_MAX");
	c.total = LLONG_MIN + 3;
	tap_eq(add(o, &c, -4, &v), -EOVERFLOW, "counter: underflow refused");

	before = c;
	tap_eq(pt_call(o, "add", &c, sizeof(c), &a, sizeof(a) - 1, NULL, 0),
	       -EINVAL, "counter: short argument is -EINVAL");
	tap_eq(pt_call(o, "add", &c, sizeof(c) - 1, &a, sizeof(a), NULL, 0),
	       -EINVAL, "counter: short object is -EINVAL");
	tap_eq(pt_call(o, "get", &c, sizeof(c), NULL, 0, &v, sizeof(v) - 1),
	       -ENOBUFS, "counter: get with short output is -ENOBUFS");
	tap_ok(!memcmp(&c, &before, sizeof(c)),
	       "counter: failed calls changed nothing");
	pt_close(o);
}
