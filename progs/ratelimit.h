/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratelimit: RL_BUCKETS token buckets that refill with the kernel's clock.
 * Object layout and method arguments, shared by progs/ratelimit.c and its
 * callers.
 *
 * The bound: since a bucket's config(), the tokens it granted never exceed
 * burst + (now - since_ns) / ns_per_token (burst alone when ns_per_token
 * is 0).  A refill adds whole tokens and moves last_ns by exactly what
 * they cost, so no fraction of time is counted twice.
 */
#ifndef IPO_PROGS_RATELIMIT_H
#define IPO_PROGS_RATELIMIT_H

#include <linux/types.h>

#define RL_BUCKETS	64
#define RL_BURST_MAX	(1ULL << 32)	/* so tokens + refill cannot wrap */

/**
 * struct rl_bucket - one bucket (72 bytes)
 * @tokens: what take() can grant now (before the refill it does first)
 * @burst: capacity; 0 while the bucket is not configured
 * @ns_per_token: refill rate, one token per this many ns; 0: no refill
 * @last_ns: the refill clock: time up to here has been paid out
 * @since_ns: when config() ran (the start of the bound)
 * @granted: tokens granted since config()
 * @takes: take() calls granted
 * @refused: take() calls refused (soft or -EAGAIN)
 * @gen: config() calls on this bucket
 */
struct rl_bucket {
	__u64 tokens;
	__u64 burst;
	__u64 ns_per_token;
	__u64 last_ns;
	__u64 since_ns;
	__u64 granted;
	__u64 takes;
	__u64 refused;
	__u64 gen;
};

/** struct ratelimit - the object: the buckets, by index */
struct ratelimit {
	struct rl_bucket b[RL_BUCKETS];
};

/* config(bucket, burst, ns_per_token): a full bucket, counters cleared */
struct config_args {
	__u32 bucket;
	__u32 __pad;
	__u64 burst;		/* 1 .. RL_BURST_MAX */
	__u64 ns_per_token;
};

/* take() flags */
#define RL_TAKE_HARD	1U	/* refuse with -EAGAIN instead of granted 0 */

/*
 * take(bucket, n) -> out: struct take_out.  All or nothing: n tokens or
 * none.  A refusal is a result (return 0, granted 0): the bundle goes on
 * and the call counts as done.  With RL_TAKE_HARD it is an error
 * (-EAGAIN): a stop-at-error bundle stops there, an atomic one rolls back.
 * Errors: -EINVAL (bucket out of range, n 0 or above the burst, short
 * argument, unknown flag), -ENOENT (bucket not configured), -ENOBUFS
 * (output shorter than struct take_out).
 */
struct take_args {
	__u32 bucket;
	__u32 flags;
	__u64 n;
};

struct take_out {
	__u64 granted;		/* n or 0 */
	__u64 tokens;		/* left in the bucket after the call */
};

/* peek(bucket) -> out: struct rl_bucket as stored (no refill) */
struct peek_args {
	__u32 bucket;
	__u32 __pad;
};

/*
 * The bucket's arithmetic, one copy for the method (progs/ratelimit.c) and
 * for anything that keeps buckets itself (the benchmark's socket server):
 * the caller has checked the bucket index, @burst and @n.
 */
#define RL_INLINE	static inline __attribute__((always_inline))

RL_INLINE void rl_config_at(struct rl_bucket *b, __u64 burst,
			    __u64 ns_per_token, __u64 now)
{
	b->tokens = burst;
	b->burst = burst;
	b->ns_per_token = ns_per_token;
	b->last_ns = now;
	b->since_ns = now;
	b->granted = 0;
	b->takes = 0;
	b->refused = 0;
	b->gen++;
}

/* Pays out the whole tokens the time since last_ns bought, up to burst. */
RL_INLINE void rl_refill(struct rl_bucket *b, __u64 now)
{
	__u64 add;

	if (!b->ns_per_token || now <= b->last_ns)
		return;
	add = (now - b->last_ns) / b->ns_per_token;
	if (add >= b->burst - b->tokens) {
		/* Full: time beyond it buys nothing. */
		b->tokens = b->burst;
		b->last_ns = now;
		return;
	}
	b->tokens += add;
	b->last_ns += add * b->ns_per_token;
}

/* Refills, then grants @n (0 < n <= burst) or nothing; 1 when granted. */
RL_INLINE int rl_take_at(struct rl_bucket *b, __u64 n, __u64 now,
			 struct take_out *out)
{
	rl_refill(b, now);
	if (b->tokens < n) {
		b->refused++;
		out->granted = 0;
		out->tokens = b->tokens;
		return 0;
	}
	b->tokens -= n;
	b->granted += n;
	b->takes++;
	out->granted = n;
	out->tokens = b->tokens;
	return 1;
}

/* The most @b may have granted by @now (see the top of this file). */
RL_INLINE __u64 rl_bound(const struct rl_bucket *b, __u64 now)
{
	if (!b->ns_per_token || now <= b->since_ns)
		return b->burst;
	return b->burst + (now - b->since_ns) / b->ns_per_token;
}

#endif /* IPO_PROGS_RATELIMIT_H */
