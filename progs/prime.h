/* SPDX-License-Identifier: GPL-2.0 */
/*
 * prime: the seeds' "is N prime?" service, by trial division.  Object
 * layout and method arguments, shared by progs/prime.c and its callers.
 *
 * Trial division of a large prime takes about sqrt(N) / 2 steps: for N
 * near 2^62 that is a billion loop iterations, which no call's fuel
 * covers.  The call aborts (out of fuel) and, in an atomic bundle, leaves
 * every object as it was: the example of fuel stopping a runaway call.
 */
#ifndef IPO_PROGS_PRIME_H
#define IPO_PROGS_PRIME_H

#include <linux/types.h>

/**
 * struct prime_stats - the object
 * @calls: completed is_prime() and next_prime() calls
 * @primes: how many of their answers were prime
 * @last_n: the last number is_prime() or next_prime() answered for
 * @last_answer: that answer (1/0 for is_prime, the prime for next_prime)
 */
struct prime_stats {
	__u64 calls;
	__u64 primes;
	__u64 last_n;
	__u64 last_answer;
};

/* is_prime(n) -> out: struct prime_result, when out has room */
struct is_prime_args {
	__u64 n;
};

/**
 * struct prime_result - is_prime()'s answer
 * @prime: 1 if n is prime, else 0
 * @divisor: n's smallest divisor above 1 when n > 1 is not prime, else 0
 */
struct prime_result {
	__u64 prime;
	__u64 divisor;
};

/* next_prime(n) -> out: the smallest prime >= n (__u64); -EOVERFLOW */
struct next_prime_args {
	__u64 n;
};

#endif /* IPO_PROGS_PRIME_H */
