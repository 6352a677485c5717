// SPDX-License-Identifier: GPL-2.0
/*
 * The rate limiter (progs/ratelimit.c) in the kernel through one libipo
 * bundle reused with new arguments (ipo_bundle_set_arg(), outputs the
 * bundle keeps): a refusal as a result (the bundle goes on) and as an
 * error (-EAGAIN: a stop-at-error bundle stops, an atomic one rolls
 * back), and the bundle calls' argument checks.
 */
#include "kselftest_harness.h"
#include "libipo.h"
#include "ratelimit.h"

#define RATELIMIT_O	"/ipo/progs/ratelimit.o"
#define NR		4

FIXTURE(rl) {
	struct ipo_dev *dev;
	struct ipo_prog_obj *po;
	struct ipo_bundle *b;	/* NR takes, outputs kept by the bundle */
	int obj;
	int config, take, peek;
};

static int rl_call(FIXTURE_DATA(rl) *self, int method, const void *arg,
		   size_t arg_size, void *out, size_t out_size)
{
	struct ipo_bundle *b = ipo_bundle_new(self->dev);
	int err;

	if (!b)
		return -errno;
	err = ipo_bundle_add_call(b, self->obj, method, arg, arg_size, out,
				  out_size);
	if (err >= 0)
		err = ipo_bundle_submit(b, 0, 0);
	ipo_bundle_free(b);
	return err < 0 ? err : 0;
}

/* Bucket @i: @burst tokens, no refill (the test does not race a clock). */
static int rl_config(FIXTURE_DATA(rl) *self, __u32 i, __u64 burst)
{
	struct config_args a = { .bucket = i, .burst = burst };

	return rl_call(self, self->config, &a, sizeof(a), NULL, 0);
}

static __u64 rl_tokens(FIXTURE_DATA(rl) *self, __u32 i)
{
	struct peek_args a = { .bucket = i };
	struct rl_bucket b = {};

	if (rl_call(self, self->peek, &a, sizeof(a), &b, sizeof(b)))
		return ~0ULL;
	return b.tokens;
}

/* Every call of the bundle takes @n of bucket @i with @flags. */
static void rl_set(FIXTURE_DATA(rl) *self, __u32 i, __u64 n, __u32 flags)
{
	size_t k;

	for (k = 0; k < NR; k++) {
		struct take_args a = { .bucket = i, .n = n, .flags = flags };

		ipo_bundle_set_arg(self->b, k, &a, sizeof(a));
		/* The bundle has its own copy: this changes nothing. */
		a.n = 1000;
	}
}

static const struct take_out *rl_out(FIXTURE_DATA(rl) *self, size_t k)
{
	return ipo_bundle_out(self->b, k);
}

FIXTURE_SETUP(rl)
{
	struct take_args none = {};
	int k;

	self->dev = ipo_dev_open();
	ASSERT_NE(NULL, self->dev);
	self->po = ipo_prog_obj_open(RATELIMIT_O, NULL);
	ASSERT_NE(NULL, self->po);
	self->obj = ipo_obj_create(self->dev, sizeof(struct ratelimit), NULL,
				   NULL);
	ASSERT_LE(0, self->obj);
	ASSERT_LT(0, ipo_obj_attach_prog_obj(self->dev, self->obj, self->po,
					     NULL));
	self->config = ipo_prog_obj__method_index(self->po, "config");
	self->take = ipo_prog_obj__method_index(self->po, "take");
	self->peek = ipo_prog_obj__method_index(self->po, "peek");
	ASSERT_LE(0, self->config);
	ASSERT_LE(0, self->take);
	ASSERT_LE(0, self->peek);
	self->b = ipo_bundle_new(self->dev);
	ASSERT_NE(NULL, self->b);
	for (k = 0; k < NR; k++)
		ASSERT_EQ(k, ipo_bundle_add_call(self->b, self->obj,
						 self->take, &none,
						 sizeof(none), NULL,
						 sizeof(struct take_out)));
}

FIXTURE_TEARDOWN(rl)
{
	ipo_bundle_free(self->b);
	close(self->obj);
	ipo_prog_obj__close(self->po);
	ipo_dev_close(self->dev);
}

TEST_F(rl, reused_bundle_takes_new_arguments)
{
	int k;

	ASSERT_EQ(0, rl_config(self, 3, 8));
	ASSERT_EQ(0, rl_config(self, 5, 100));
	rl_set(self, 3, 2, 0);
	ASSERT_EQ(0, ipo_bundle_submit(self->b, 0, 0));
	for (k = 0; k < NR; k++) {
		EXPECT_EQ(2, rl_out(self, k)->granted);
		EXPECT_EQ(8 - 2 * (k + 1), rl_out(self, k)->tokens);
	}
	/* Same bundle, empty bucket: refusals are results, all calls run. */
	ASSERT_EQ(0, ipo_bundle_submit(self->b, 0, 0));
	EXPECT_EQ(NR, ipo_bundle_nr_done(self->b));
	for (k = 0; k < NR; k++)
		EXPECT_EQ(0, rl_out(self, k)->granted);
	/* New arguments, no rebuild: another bucket, another amount. */
	rl_set(self, 5, 7, 0);
	ASSERT_EQ(0, ipo_bundle_submit(self->b, 0, 0));
	for (k = 0; k < NR; k++)
		EXPECT_EQ(7, rl_out(self, k)->granted);
	EXPECT_EQ(100 - 7 * NR, rl_tokens(self, 5));
	EXPECT_EQ(0, rl_tokens(self, 3));
}

TEST_F(rl, hard_refusal_stops_or_rolls_back)
{
	struct ipo_call_result r;

	ASSERT_EQ(0, rl_config(self, 0, 5));
	/* 2 + 2 granted, the third wants 2 of 1 left: -EAGAIN, stop. */
	rl_set(self, 0, 2, RL_TAKE_HARD);
	EXPECT_EQ(-EAGAIN, ipo_bundle_submit(self->b, 0, 0));
	EXPECT_EQ(2, ipo_bundle_nr_done(self->b));
	ASSERT_EQ(0, ipo_bundle_call_result(self->b, 2, &r));
	EXPECT_EQ(-EAGAIN, r.status);
	ASSERT_EQ(0, ipo_bundle_call_result(self->b, 3, &r));
	EXPECT_EQ(-ECANCELED, r.status);
	EXPECT_EQ(1, rl_tokens(self, 0));

	/* Atomic: the first take is rolled back with the refusal. */
	ASSERT_EQ(0, rl_config(self, 0, 3));
	EXPECT_EQ(-EAGAIN, ipo_bundle_submit(self->b, IPO_INVOKE_ATOMIC, 0));
	EXPECT_EQ(0, ipo_bundle_nr_done(self->b));
	EXPECT_EQ(3, rl_tokens(self, 0));

	/* The same shortage without the flag: all run, two granted. */
	rl_set(self, 0, 1, 0);
	ASSERT_EQ(0, rl_config(self, 0, 2));
	ASSERT_EQ(0, ipo_bundle_submit(self->b, IPO_INVOKE_ATOMIC, 0));
	EXPECT_EQ(1, rl_out(self, 1)->granted);
	EXPECT_EQ(0, rl_out(self, 2)->granted);
	EXPECT_EQ(0, rl_tokens(self, 0));
}

TEST_F(rl, take_checks_its_arguments)
{
	struct take_args a = { .bucket = 1, .n = 1 };
	struct take_out o;

	/* Not configured, out of range, too many, unknown flag, short. */
	EXPECT_EQ(-ENOENT, rl_call(self, self->take, &a, sizeof(a), &o,
				   sizeof(o)));
	ASSERT_EQ(0, rl_config(self, 1, 4));
	a.bucket = RL_BUCKETS;
	EXPECT_EQ(-EINVAL, rl_call(self, self->take, &a, sizeof(a), &o,
				   sizeof(o)));
	a.bucket = 1;
	a.n = 5;
	EXPECT_EQ(-EINVAL, rl_call(self, self->take, &a, sizeof(a), &o,
				   sizeof(o)));
	a.n = 1;
	a.flags = 2;
	EXPECT_EQ(-EINVAL, rl_call(self, self->take, &a, sizeof(a), &o,
				   sizeof(o)));
	a.flags = 0;
	EXPECT_EQ(-ENOBUFS, rl_call(self, self->take, &a, sizeof(a), &o,
				    sizeof(o) - 1));
	EXPECT_EQ(-EINVAL, rl_call(self, self->take, &a, sizeof(a) - 1, &o,
				   sizeof(o)));
	EXPECT_EQ(4, rl_tokens(self, 1));
}

TEST_F(rl, set_arg_and_out_refuse_what_is_not_there)
{
	struct take_args a = { .n = 1 };
	struct take_out o;

	EXPECT_EQ(-EINVAL, ipo_bundle_set_arg(self->b, NR, &a, sizeof(a)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-EINVAL, ipo_bundle_set_arg(self->b, 0, NULL, sizeof(a)));
	errno = 0;
	EXPECT_EQ(NULL, ipo_bundle_out(self->b, NR));
	EXPECT_EQ(EINVAL, errno);
	/* A call with the caller's own output has none the bundle keeps. */
	ASSERT_EQ(NR, ipo_bundle_add_call(self->b, self->obj, self->take, &a,
					  sizeof(a), &o, sizeof(o)));
	EXPECT_EQ(NULL, ipo_bundle_out(self->b, NR));
	/* A reset forgets the copies; the calls are added again. */
	ipo_bundle_reset(self->b);
	EXPECT_EQ(NULL, ipo_bundle_out(self->b, 0));
	ASSERT_EQ(0, ipo_bundle_add_call(self->b, self->obj, self->take, &a,
					 sizeof(a), NULL, sizeof(o)));
	ASSERT_EQ(0, rl_config(self, 0, 1));
	ASSERT_EQ(0, ipo_bundle_submit(self->b, 0, 0));
	EXPECT_EQ(1, ((const struct take_out *)ipo_bundle_out(self->b, 0))
		  ->granted);
	/* A shorter argument reaches the method as it is: -EINVAL there. */
	ASSERT_EQ(0, ipo_bundle_set_arg(self->b, 0, &a, sizeof(a) - 1));
	EXPECT_EQ(-EINVAL, ipo_bundle_submit(self->b, 0, 0));
}

TEST_HARNESS_MAIN
