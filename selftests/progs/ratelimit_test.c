// SPDX-License-Identifier: GPL-2.0
/*
 * progs/ratelimit.c: all-or-nothing takes, soft refusals and -EAGAIN, the
 * refill in whole tokens, argument and output checks, peek.  The two
 * engines run each call at different instants, so the calls here never
 * let the clock reach the object: buckets are set up by hand (config()
 * stores the time; its success is tested in the VM, selftests/userlib/
 * ratelimit_test.c), and the one refill tested pays out by a token worth
 * 2^40 ns, which the two runs see alike.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "ratelimit.h"
#include "progs_test.h"

static struct ratelimit rl;

static int take(struct pt_obj *o, __u32 i, __u64 n, __u32 flags,
		struct take_out *out)
{
	struct take_args a = { .bucket = i, .n = n, .flags = flags };

	return pt_call(o, "take", &rl, sizeof(rl), &a, sizeof(a), out,
		       out ? sizeof(*out) : 0);
}

static __u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void test_ratelimit(void)
{
	struct pt_obj *o = pt_open("ratelimit");
	struct config_args ca = { .bucket = 0, .burst = 0 };
	struct peek_args pa = { .bucket = 7 };
	struct rl_bucket got, *b = &rl.b[7];
	struct take_out out;
	struct ratelimit before;
	__u64 t0, t1, paid;
	int i, granted = 0, refused = 0;

	if (!o)
		return;
	memset(&rl, 0, sizeof(rl));
	b->burst = 10;
	b->tokens = 10;			/* ns_per_token 0: no refill */
	for (i = 0; i < 8; i++) {
		if (take(o, 7, 3, 0, &out))
			break;
		if (out.granted == 3)
			granted++;
		else if (!out.granted)
			refused++;
	}
	tap_ok(i == 8 && granted == 3 && refused == 5,
	       "ratelimit: 10 tokens give three takes of 3, then soft refusals (%d, %d)",
	       granted, refused);
	tap_ok(b->tokens == 1 && b->granted == 9 && b->takes == 3 &&
	       b->refused == 5, "ratelimit: the bucket counted them");
	tap_eq(out.tokens, 1, "ratelimit: a refusal reports what is left");

	before = rl;
	tap_eq(take(o, 7, 2, RL_TAKE_HARD, &out), -EAGAIN,
	       "ratelimit: RL_TAKE_HARD refuses with -EAGAIN");
	tap_eq(b->refused, before.b[7].refused + 1,
	       "ratelimit: ... counted as refused");
	tap_eq(take(o, 7, 1, RL_TAKE_HARD, &out), 0,
	       "ratelimit: RL_TAKE_HARD grants what there is");
	tap_eq(out.granted, 1, "ratelimit: ... all of it");

	before = rl;
	tap_eq(take(o, 7, 11, 0, &out), -EINVAL,
	       "ratelimit: n above the burst is -EINVAL");
	tap_eq(take(o, 7, 0, 0, &out), -EINVAL, "ratelimit: n 0 is -EINVAL");
	tap_eq(take(o, RL_BUCKETS, 1, 0, &out), -EINVAL,
	       "ratelimit: bucket out of range is -EINVAL");
	tap_eq(take(o, 7, 1, 2, &out), -EINVAL,
	       "ratelimit: unknown flag is -EINVAL");
	tap_eq(take(o, 8, 1, 0, &out), -ENOENT,
	       "ratelimit: bucket not configured is -ENOENT");
	tap_eq(take(o, 7, 1, 0, NULL), -ENOBUFS,
	       "ratelimit: take without output room is -ENOBUFS");
	tap_eq(pt_call(o, "take", &rl, sizeof(rl) - 1, &pa, sizeof(pa), &out,
		       sizeof(out)), -EINVAL, "ratelimit: short object is -EINVAL");
	tap_eq(pt_call(o, "config", &rl, sizeof(rl), &ca, sizeof(ca), NULL, 0),
	       -EINVAL, "ratelimit: config of a burst of 0 is -EINVAL");
	ca.burst = RL_BURST_MAX + 1;
	tap_eq(pt_call(o, "config", &rl, sizeof(rl), &ca, sizeof(ca), NULL, 0),
	       -EINVAL, "ratelimit: config of a burst above 2^32 is -EINVAL");
	ca.burst = 1;
	ca.bucket = RL_BUCKETS;
	tap_eq(pt_call(o, "config", &rl, sizeof(rl), &ca, sizeof(ca), NULL, 0),
	       -EINVAL, "ratelimit: config of a bucket out of range is -EINVAL");
	tap_ok(!memcmp(&rl, &before, sizeof(rl)),
	       "ratelimit: failed calls changed nothing");

	tap_eq(pt_call(o, "peek", &rl, sizeof(rl), &pa, sizeof(pa), &got,
		       sizeof(got)), 0, "ratelimit: peek succeeds");
	tap_ok(!memcmp(&got, b, sizeof(got)),
	       "ratelimit: peek copies the 72-byte bucket");
	/* ipo_memcpy_const() in words: __builtin_memcpy took 163. */
	tap_ok(pt_insn_cnt(o, "peek") && pt_insn_cnt(o, "peek") < 72,
	       "ratelimit: peek copies 72 bytes in fewer instructions (%u)",
	       pt_insn_cnt(o, "peek"));
	tap_eq(pt_call(o, "peek", &rl, sizeof(rl), &pa, sizeof(pa), &got,
		       sizeof(got) - 1), -ENOBUFS,
	       "ratelimit: peek with short output is -ENOBUFS");

	/*
	 * Refill: a token per 2^40 ns (18 minutes), empty since time 0;
	 * the take pays out what the clock bought, in whole tokens, and
	 * moves last_ns by exactly their cost.
	 */
	memset(b, 0, sizeof(*b));
	b->burst = RL_BURST_MAX;
	b->ns_per_token = 1ULL << 40;
	t0 = mono_ns() >> 40;
	take(o, 7, 1, 0, &out);
	t1 = mono_ns() >> 40;
	paid = b->last_ns >> 40;
	tap_ok(b->last_ns == paid << 40 && paid >= t0 && paid <= t1 &&
	       out.granted == (paid ? 1 : 0) &&
	       b->tokens + out.granted == paid,
	       "ratelimit: refill pays %llu whole tokens for the time",
	       (unsigned long long)paid);
	tap_ok(b->granted <= rl_bound(b, mono_ns()),
	       "ratelimit: granted within the bound");
	pt_close(o);
}
