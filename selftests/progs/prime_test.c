// SPDX-License-Identifier: GPL-2.0
/*
 * progs/prime.c: answers for small n against a sieve, next_prime, and fuel
 * stopping is_prime() of a large prime.
 */
#include <errno.h>
#include <string.h>

#include "base/prog.h"
#include "prime.h"
#include "progs_test.h"

#define SIEVE_MAX	2000

void test_prime(void)
{
	struct pt_obj *o = pt_open("prime");
	struct prime_stats st = {}, before;
	struct prime_result r;
	static bool composite[SIEVE_MAX];
	int n, m, bad = 0, nprimes = 0;
	__u64 p;

	if (!o)
		return;
	for (n = 2; n < SIEVE_MAX; n++)
		for (m = 2 * n; m < SIEVE_MAX; m += n)
			composite[m] = true;
	for (n = 0; n < SIEVE_MAX; n++) {
		struct is_prime_args a = { .n = n };
		bool want = n >= 2 && !composite[n];

		memset(&r, 0xff, sizeof(r));
		if (pt_call(o, "is_prime", &st, sizeof(st), &a, sizeof(a), &r,
			    sizeof(r)) || r.prime != want ||
		    (want || n < 2 ? r.divisor != 0 :
		     (r.divisor < 2 || n % r.divisor)))
			bad++;
		nprimes += want;
	}
	tap_eq(bad, 0, "prime: is_prime(0..%d) matches a sieve", SIEVE_MAX - 1);
	tap_ok(st.calls == SIEVE_MAX && st.primes == (__u64)nprimes &&
	       st.last_n == SIEVE_MAX - 1,
	       "prime: stats count %d calls, %d primes", SIEVE_MAX, nprimes);

	{
		struct is_prime_args a = { .n = 10007ULL * 10009ULL };

		tap_eq(pt_call(o, "is_prime", &st, sizeof(st), &a, sizeof(a),
			       &r, sizeof(r)), 0, "prime: is_prime(10007 * 10009)");
		tap_ok(!r.prime && r.divisor == 10007,
		       "prime: ... composite, divisor %llu",
		       (unsigned long long)r.divisor);
	}
	{
		struct next_prime_args a = { .n = 1000000 };

		tap_eq(pt_call(o, "next_prime", &st, sizeof(st), &a, sizeof(a),
			       &p, sizeof(p)), 0, "prime: next_prime(1000000)");
		tap_eq(p, 1000003, "prime: ... is 1000003");
		a.n = 0;
		pt_call(o, "next_prime", &st, sizeof(st), &a, sizeof(a), &p,
			sizeof(p));
		tap_eq(p, 2, "prime: next_prime(0) is 2");
		a.n = ~0ULL;
		tap_eq(pt_call(o, "next_prime", &st, sizeof(st), &a, sizeof(a),
			       &p, sizeof(p)), -EOVERFLOW,
		       "prime: next_prime(2^64 - 1) is -EOVERFLOW");
	}

	/* 2^61 - 1 is prime: about 7.6e8 trial divisions. */
	{
		struct is_prime_args a = { .n = (1ULL << 61) - 1 };
		struct pt_call c = {
			.arg = &a,
			.arg_size = sizeof(a),
			.out_size = sizeof(r),
			.fuel = 100000,
		};

		before = st;
		pt_run(o, "is_prime", &st, sizeof(st), &c);
		tap_eq(c.abort, IPO_ABORT_FUEL,
		       "prime: is_prime(2^61 - 1) runs out of fuel");
		tap_eq(c.ret, 0, "prime: ... r0 is 0 after the abort");
		tap_ok(!memcmp(&st, &before, sizeof(st)),
		       "prime: ... the object is untouched");
		tap_ok(c.out[0] == 0, "prime: ... no answer written");

		a.n = 1000003;
		c.fuel = 0;
		pt_run(o, "is_prime", &st, sizeof(st), &c);
		tap_ok(!c.abort && !c.ret && c.out[0] == 1,
		       "prime: is_prime(1000003) fits the default fuel (%llu used)",
		       (unsigned long long)c.fuel_used);
	}
	pt_close(o);
}
