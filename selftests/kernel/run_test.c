// SPDX-License-Identifier: GPL-2.0
/*
 * Programs running in the kernel: PROG_TEST_RUN on the JIT and on the
 * interpreter must agree on r0, the object, the output, the abort reason and
 * the aborting instruction; fuel stops runaway loops; run-time bounds
 * checks stop out-of-range accesses; the JIT's code pool is returned after
 * programs are closed, also after many load/unload cycles.
 */
#include <time.h>

#include "ipo_test.h"

struct case_prog {
	const char *name;
	__u64 insns[24];
	__u32 cnt;
	__u32 obj_size, arg_size, out_size;
	__u8 arg[16];
	__u64 fuel;
	/* expected */
	__u32 abort;
	__u64 retval;
};

static const struct case_prog cases[] = {
	{ "return obj_size", { LDX_W(0, 1, C_OBJ_SIZE), EXIT() }, 2,
	  .obj_size = 100, .retval = 100 },
	{ "counting loop",
	  { MOV64_IMM(2, 0), ADD64_IMM(2, 1), JLT_IMM(2, 1000, -2),
	    MOV64_REG(0, 2), EXIT() }, 5,
	  .obj_size = 8, .retval = 1000 },
	{ "runaway loop stopped by fuel",
	  { MOV64_IMM(0, 0), ADD64_IMM(0, 1), JNE_IMM(0, -1, -2), EXIT() }, 4,
	  .obj_size = 8, .fuel = 100000, .abort = IPO_RESULT_FUEL },
	/* obj[arg[0]] = 0x5a, the index checked at run time */
	{ "indexed store in bounds",
	  { LDX_DW(3, 1, C_ARG), LDX_B(2, 3, 0), LDX_DW(4, 1, C_OBJ),
	    ADD64_REG(4, 2), MOV64_IMM(5, 0x5a), STX_B(4, 5, 0),
	    MOV64_IMM(0, 7), EXIT() }, 8,
	  .obj_size = 64, .arg_size = 1, .arg = { 63 }, .retval = 7 },
	{ "indexed store out of bounds aborts",
	  { LDX_DW(3, 1, C_ARG), LDX_B(2, 3, 0), LDX_DW(4, 1, C_OBJ),
	    ADD64_REG(4, 2), MOV64_IMM(5, 0x5a), STX_B(4, 5, 0),
	    MOV64_IMM(0, 7), EXIT() }, 8,
	  .obj_size = 64, .arg_size = 1, .arg = { 64 },
	  .abort = IPO_RESULT_BOUNDS },
	{ "argument read past a short buffer aborts",
	  { LDX_DW(3, 1, C_ARG), LDX_DW(0, 3, 0), EXIT() }, 3,
	  .obj_size = 8, .arg_size = 4, .abort = IPO_RESULT_BOUNDS },
	/* out[0..8) = hash of arg bytes; obj[0..8) = count */
	{ "hash into out and obj",
	  { LDX_DW(3, 1, C_ARG), LDX_W(4, 1, C_ARG_SIZE), MOV64_IMM(2, 0),
	    MOV64_IMM(0, 5381),
	    JGE_REG(2, 4, 7),
	    MOV64_REG(5, 3), ADD64_REG(5, 2), LDX_B(5, 5, 0),
	    MUL64_IMM(0, 33), XOR64_REG(0, 5), ADD64_IMM(2, 1),
	    INSN(0x05, 0, 0, -8, 0),
	    LDX_DW(3, 1, C_OUT), STX_DW(3, 0, 0),
	    LDX_DW(3, 1, C_OBJ), STX_DW(3, 2, 0), EXIT() }, 17,
	  .obj_size = 8, .arg_size = 16, .out_size = 8,
	  .arg = "interprocess obj", .retval = 0 /* computed */ },
	{ "division by zero gives 0",
	  { MOV64_IMM(0, 77), MOV64_IMM(2, 0), DIV64_REG(0, 2), EXIT() }, 4,
	  .obj_size = 8, .retval = 0 },
};

static __u64 djb_xor(const __u8 *p, size_t n)
{
	__u64 h = 5381;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h * 33) ^ p[i];
	return h;
}

static int load(int dev, const __u64 *insns, __u32 cnt, __u32 flags,
		__u32 *out_flags)
{
	struct ipo_prog_load c;
	char log[4096] = "";
	int ret;

	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.flags = flags;
	c.prog_type = IPO_PROG_TYPE_METHOD;
	c.insns = (uintptr_t)insns;
	c.insn_cnt = cnt;
	c.log_buf = (uintptr_t)log;
	c.log_size = sizeof(log);
	ret = ipo_ioctl(dev, IPO_PROG_LOAD, &c);
	if (ret) {
		fprintf(stderr, "# load failed: %d: %s\n", ret, log);
		return ret;
	}
	if (out_flags)
		*out_flags = c.out_flags;
	return c.out_fd;
}

struct outcome {
	struct ipo_prog_test_run r;
	__u8 obj[64], out[16];
};

static int run_case(int dev, int prog, const struct case_prog *k,
		    __u32 flags, struct outcome *o)
{
	memset(o, 0, sizeof(*o));
	o->r.size = sizeof(o->r);
	o->r.flags = flags;
	o->r.prog_fd = prog;
	o->r.obj = (uintptr_t)o->obj;
	o->r.obj_size = k->obj_size;
	o->r.arg = (uintptr_t)k->arg;
	o->r.arg_size = k->arg_size;
	o->r.out = (uintptr_t)o->out;
	o->r.out_size = k->out_size;
	o->r.fuel = k->fuel;
	return ipo_ioctl(dev, IPO_PROG_TEST_RUN, &o->r);
}

FIXTURE(run) {
	int dev;
	int jit_on;
};

FIXTURE_SETUP(run)
{
	struct ipo_info info;

	self->dev = ipo_open_dev();
	ASSERT_LE(0, self->dev);
	ASSERT_EQ(0, ipo_get_info(self->dev, &info));
	ASSERT_TRUE(info.features & IPO_FEATURE_TEST_RUN);
	self->jit_on = !!(info.features & IPO_FEATURE_JIT);
}

FIXTURE_TEARDOWN(run)
{
	close(self->dev);
}

/* Each case on the JIT and on the interpreter: same, and as expected. */
TEST_F(run, jit_and_interp_agree)
{
	size_t i;

	ASSERT_TRUE(self->jit_on) TH_LOG("the jit parameter is off");
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct case_prog *k = &cases[i];
		struct outcome a, b;
		__u32 out_flags = 0;
		__u64 want = k->retval;
		int prog;

		prog = load(self->dev, k->insns, k->cnt, 0, &out_flags);
		ASSERT_LE(0, prog) TH_LOG("%s", k->name);
		EXPECT_TRUE(out_flags & IPO_PROG_JITED) TH_LOG("%s", k->name);
		ASSERT_EQ(0, run_case(self->dev, prog, k, 0, &a))
			TH_LOG("%s", k->name);
		ASSERT_EQ(0, run_case(self->dev, prog, k,
				      IPO_TEST_RUN_INTERP, &b));
		EXPECT_EQ(1, a.r.jited) TH_LOG("%s", k->name);
		EXPECT_EQ(0, b.r.jited);
		if (!strcmp(k->name, "hash into out and obj"))
			want = djb_xor(k->arg, k->arg_size);
		EXPECT_EQ(k->abort, a.r.abort) TH_LOG("%s", k->name);
		if (!k->abort) {
			EXPECT_EQ(want, a.r.retval) TH_LOG("%s", k->name);
		}
		EXPECT_EQ(a.r.retval, b.r.retval) TH_LOG("%s", k->name);
		EXPECT_EQ(a.r.abort, b.r.abort) TH_LOG("%s", k->name);
		EXPECT_EQ(a.r.abort_pc, b.r.abort_pc) TH_LOG("%s", k->name);
		EXPECT_EQ(0, memcmp(a.obj, b.obj, sizeof(a.obj)))
			TH_LOG("%s: objects differ", k->name);
		EXPECT_EQ(0, memcmp(a.out, b.out, sizeof(a.out)))
			TH_LOG("%s: outputs differ", k->name);
		close(prog);
	}
}

TEST_F(run, side_effects_visible)
{
	const struct case_prog *k = &cases[3];	/* indexed store */
	struct outcome o;
	int prog = load(self->dev, k->insns, k->cnt, 0, NULL);

	ASSERT_LE(0, prog);
	ASSERT_EQ(0, run_case(self->dev, prog, k, 0, &o));
	EXPECT_EQ(0x5a, o.obj[63]);
	EXPECT_EQ(0, o.obj[62]);
	close(prog);

	k = &cases[6];	/* hash */
	prog = load(self->dev, k->insns, k->cnt, 0, NULL);
	ASSERT_LE(0, prog);
	ASSERT_EQ(0, run_case(self->dev, prog, k, 0, &o));
	EXPECT_EQ(16, *(__u64 *)o.obj);
	EXPECT_EQ(djb_xor(k->arg, 16), *(__u64 *)o.out);
	close(prog);
}

TEST_F(run, bad_arguments)
{
	const struct case_prog *k = &cases[0];
	struct outcome o;
	int prog = load(self->dev, k->insns, k->cnt, 0, NULL);
	struct case_prog bad = *k;

	ASSERT_LE(0, prog);
	EXPECT_EQ(-EBADF, run_case(self->dev, 9999, k, 0, &o));
	EXPECT_EQ(-EINVAL, run_case(self->dev, self->dev, k, 0, &o));
	bad.obj_size = 0;
	EXPECT_EQ(-EINVAL, run_case(self->dev, prog, &bad, 0, &o));
	bad.obj_size = IPO_TEST_RUN_BUF_MAX + 1;
	EXPECT_EQ(-EINVAL, run_case(self->dev, prog, &bad, 0, &o));
	bad = *k;
	bad.fuel = ~0ULL;
	EXPECT_EQ(-E2BIG, run_case(self->dev, prog, &bad, 0, &o));
	memset(&o, 0, sizeof(o));
	o.r.size = sizeof(o.r);
	o.r.prog_fd = prog;
	o.r.obj_size = 8;
	o.r.obj = 8;	/* unmapped */
	EXPECT_EQ(-EFAULT, ipo_ioctl(self->dev, IPO_PROG_TEST_RUN, &o.r));
	close(prog);
}

static __u64 pool_used(int dev)
{
	struct ipo_info info;

	if (ipo_get_info(dev, &info))
		return ~0ULL;
	return info.jit_pool_used;
}

/* Freed code returns after a grace period: poll for a few seconds. */
/*
 * Waits until the pool uses no more than @want bytes: code that earlier
 * tests freed may still return after the baseline was taken (a grace period
 * can outlast settled_pool()'s quiet interval on a loaded host), which only
 * lowers the usage; code this test leaked would keep it above.
 */
static int wait_pool(int dev, __u64 want)
{
	int i;

	for (i = 0; i < 500; i++) {
		if (pool_used(dev) <= want)
			return 0;
		usleep(10000);
	}
	return -1;
}

/*
 * Code other tests freed may still be waiting for its grace period: the
 * baseline is the usage once it has stopped changing.
 */
static __u64 settled_pool(int dev)
{
	__u64 prev = pool_used(dev), now;
	int i;

	for (i = 0; i < 100; i++) {
		usleep(50000);
		now = pool_used(dev);
		if (now == prev)
			return now;
		prev = now;
	}
	return now;
}

/*
 * 2000 loads: the timeout only tells a hang, and the sanitized kernel
 * under TCG on a busy host needs minutes (make check-debug).
 */
TEST_F_TIMEOUT(run, pool_returns_after_cycles, 300)
{
	const struct case_prog *k = &cases[6];
	struct ipo_info info;
	__u64 base;
	int i, prog;

	ASSERT_EQ(0, ipo_get_info(self->dev, &info));
	ASSERT_LT(0, info.jit_pool_size);
	base = settled_pool(self->dev);
	prog = load(self->dev, k->insns, k->cnt, 0, NULL);
	ASSERT_LE(0, prog);
	EXPECT_LT(base, pool_used(self->dev));
	close(prog);
	EXPECT_EQ(0, wait_pool(self->dev, base));

	/* Many cycles, runs in between; nothing may stay behind. */
	for (i = 0; i < 2000; i++) {
		struct outcome o;

		prog = load(self->dev, k->insns, k->cnt, 0, NULL);
		ASSERT_LE(0, prog);
		if (!(i % 100))
			ASSERT_EQ(0, run_case(self->dev, prog, k, 0, &o));
		close(prog);
	}
	EXPECT_EQ(0, wait_pool(self->dev, base))
		TH_LOG("pool used %llu, was %llu",
		       (unsigned long long)pool_used(self->dev),
		       (unsigned long long)base);
}

TEST_F(run, interp_flag_and_jit_param)
{
	const struct case_prog *k = &cases[1];
	__u32 out_flags = ~0U;
	struct outcome o;
	int prog;

	prog = load(self->dev, k->insns, k->cnt, IPO_PROG_INTERP, &out_flags);
	ASSERT_LE(0, prog);
	EXPECT_EQ(0, out_flags & IPO_PROG_JITED);
	ASSERT_EQ(0, run_case(self->dev, prog, k, 0, &o));
	EXPECT_EQ(0, o.r.jited);
	EXPECT_EQ(1000, o.r.retval);
	close(prog);

	EXPECT_EQ(-EINVAL, load(self->dev, k->insns, k->cnt,
				IPO_PROG_INTERP | IPO_PROG_JIT_ONLY, NULL));

	ASSERT_EQ(0, ipo_param_write_str("jit", "0"));
	EXPECT_EQ(-ENOSPC, load(self->dev, k->insns, k->cnt,
				IPO_PROG_JIT_ONLY, NULL));
	prog = load(self->dev, k->insns, k->cnt, 0, &out_flags);
	EXPECT_LE(0, prog);
	EXPECT_EQ(0, out_flags & IPO_PROG_JITED);
	if (prog >= 0)
		close(prog);
	ASSERT_EQ(0, ipo_param_write_str("jit", "1"));
}

TEST_HARNESS_MAIN
