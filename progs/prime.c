// SPDX-License-Identifier: GPL-2.0
/*
 * prime: is_prime(n) and next_prime(n) by trial division (layout in
 * prime.h).  The loops have no bound but the arithmetic one: fuel is what
 * stops them for a large n.
 */
#include "ipo.h"
#include "prime.h"

IPO_OBJECT(struct prime_stats);
IPO_ARGS(is_prime);
IPO_ARGS(next_prime);

/* The smallest divisor of @n above 1, or 0 when @n is prime or below 2. */
static __always_inline __u64 least_divisor(__u64 n)
{
	__u64 d;

	if (n < 4)
		return 0;
	if (!(n & 1))
		return 2;
	for (d = 3; d <= n / d; d += 2)
		if (!(n % d))
			return d;
	return 0;
}

IPO_METHOD(is_prime)
int is_prime(struct ipo_method_ctx *ctx)
{
	const struct is_prime_args *a;
	struct prime_result *out;
	struct prime_stats *st;
	__u64 n, d, prime;

	if (ctx->arg_size < sizeof(*a) || ctx->obj_size < sizeof(*st))
		return -EINVAL;
	a = ctx->arg;
	st = ctx->obj;
	n = a->n;
	d = least_divisor(n);
	prime = n >= 2 && !d;
	st->calls++;
	st->primes += prime;
	st->last_n = n;
	st->last_answer = prime;
	if (ctx->out_size >= sizeof(*out)) {
		out = ctx->out;
		out->prime = prime;
		out->divisor = d;
	}
	return 0;
}

IPO_METHOD(next_prime)
int next_prime(struct ipo_method_ctx *ctx)
{
	const struct next_prime_args *a;
	struct prime_stats *st;
	__u64 n, p;

	if (ctx->arg_size < sizeof(*a) || ctx->obj_size < sizeof(*st))
		return -EINVAL;
	a = ctx->arg;
	st = ctx->obj;
	n = a->n;
	/* The largest prime below 2^64 is 2^64 - 59. */
	if (n > 0xffffffffffffffc5ULL)
		return -EOVERFLOW;
	p = n < 2 ? 2 : n;
	while (least_divisor(p))
		p++;
	st->calls++;
	st->primes++;
	st->last_n = n;
	st->last_answer = p;
	if (ctx->out_size >= sizeof(__u64))
		*(__u64 *)ctx->out = p;
	return 0;
}

IPO_LICENSE("GPL");
