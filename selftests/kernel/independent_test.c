// SPDX-License-Identifier: GPL-2.0
/*
 * IPO_INVOKE_INDEPENDENT: every call of the bundle runs and commits or is
 * rolled back on its own.  Checked on the interpreter and on the JIT,
 * byte for byte: each object's data through its mapping, each call's
 * status and output.
 */
#include "ipo_test.h"

#define JGT_IMM(d, imm, off)	INSN(0x25, d, 0, off, imm)

/*
 * put(u64 off, u64 val, u64 fail): obj[off] = val (off a byte offset,
 * 0..56, multiple of 8), out = val; then returns -EIO when fail is set
 * (after the write: a rollback must undo it), else 0.  -EINVAL for a
 * short argument or a bad offset.
 */
static const __u64 m_put[] = {
	LDX_W(2, 1, C_ARG_SIZE), JLT_IMM(2, 24, 17),
	LDX_DW(3, 1, C_ARG),
	LDX_DW(4, 3, 0), LDX_DW(5, 3, 8), LDX_DW(6, 3, 16),
	JGT_IMM(4, 56, 12),
	LDX_DW(7, 1, C_OBJ), ADD64_REG(7, 4), STX_DW(7, 5, 0),
	LDX_W(8, 1, C_OUT_SIZE), JLT_IMM(8, 8, 2),
	LDX_DW(9, 1, C_OUT), STX_DW(9, 5, 0),
	JNE_IMM(6, 0, 2),
	MOV64_IMM(0, 0), EXIT(),
	MOV64_IMM(0, -5), EXIT(),
	MOV64_IMM(0, -22), EXIT(),
};

struct put_args { __u64 off, val, fail; };

#define SENTINEL	0x5a5a5a5a5a5a5a5aULL
#define OBJ_SIZE	64

FIXTURE(indep) {
	int dev;
	int obj[2];
	const struct ipo_obj_header *hdr[2];
	int narrow;	/* obj[1], INVOKE but no method */
};

FIXTURE_VARIANT(indep) {
	__u32 load_flags;
	bool want_jit;
};

FIXTURE_VARIANT_ADD(indep, interp) { .load_flags = IPO_PROG_INTERP };
FIXTURE_VARIANT_ADD(indep, jit) { .want_jit = true };

FIXTURE_SETUP(indep)
{
	struct ipo_prog_load pl;
	struct ipo_obj_set_methods m = { .size = sizeof(m), .nr_methods = 1 };
	int prog, i;

	self->dev = ipo_open_dev();
	ASSERT_LE(0, self->dev);
	prog = ipo_load_method(self->dev, m_put, ARRAY_SIZE(m_put),
			       variant->load_flags, &pl);
	ASSERT_LE(0, prog);
	if (variant->want_jit && !(pl.out_flags & IPO_PROG_JITED))
		SKIP(return, "not JIT-compiled (jit_reason %u)", pl.jit_reason);
	if (!variant->want_jit)
		ASSERT_FALSE(pl.out_flags & IPO_PROG_JITED);
	m.prog_fds = (uintptr_t)&prog;
	for (i = 0; i < 2; i++) {
		self->obj[i] = ipo_create(self->dev, NULL, OBJ_SIZE, 0, 0,
					  NULL);
		ASSERT_LE(0, self->obj[i]);
		m.obj_fd = self->obj[i];
		ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_OBJ_SET_METHODS, &m));
		self->hdr[i] = ipo_map(self->obj[i], ipo_map_size(OBJ_SIZE));
		ASSERT_NE(MAP_FAILED, self->hdr[i]);
	}
	close(prog);
	self->narrow = ipo_derive(self->dev, self->obj[1], IPO_RIGHT_INVOKE,
				  0, NULL);
	ASSERT_LE(0, self->narrow);
}

FIXTURE_TEARDOWN(indep)
{
	int i;

	for (i = 0; i < 2; i++) {
		munmap((void *)self->hdr[i], ipo_map_size(OBJ_SIZE));
		close(self->obj[i]);
	}
	close(self->narrow);
	close(self->dev);
}

static const __u8 *data_of(const struct ipo_obj_header *hdr)
{
	return (const __u8 *)hdr + hdr->data_off;
}

struct plan {
	int fd;			/* index into obj[], or a raw fd when >= 10 */
	__u32 method;
	struct put_args a;
	int status;
};

/*
 * The calls of @p on the fixture's objects, as one INVOKE with @flags;
 * the outputs in out[i] (SENTINEL before).  Returns INVOKE's result.
 */
static int run_plan(FIXTURE_DATA(indep) *self, const struct plan *p, int n,
		    __u32 flags, struct ipo_call *calls, __u64 *out,
		    __u32 *nr_done)
{
	int i;

	memset(calls, 0, n * sizeof(*calls));
	for (i = 0; i < n; i++) {
		out[i] = SENTINEL;
		calls[i].obj_fd = p[i].fd >= 10 ? p[i].fd - 10 - 1 :
				  p[i].fd == 2 ? self->narrow :
				  self->obj[p[i].fd];
		calls[i].method = p[i].method;
		calls[i].arg = (uintptr_t)&p[i].a;
		calls[i].arg_size = sizeof(p[i].a);
		calls[i].out = (uintptr_t)&out[i];
		calls[i].out_size = sizeof(out[i]);
	}
	return ipo_invoke(self->dev, calls, n, flags, 0, nr_done);
}

TEST_F(indep, each_call_on_its_own)
{
	/* fd 0, 1: the objects; 2: obj[1] without methods; 10: fd -1 */
	static const struct plan p[] = {
		{ 0, 0, { 0, 0x1111111111111111ULL, 0 }, 0 },
		{ 0, 0, { 8, 0x2222222222222222ULL, 1 }, -EIO },
		{ 1, 0, { 16, 0x3333333333333333ULL, 0 }, 0 },
		{ 10, 0, { 0, 0x4444444444444444ULL, 0 }, -EBADF },
		{ 1, 3, { 0, 0x5555555555555555ULL, 0 }, -ENOENT },
		{ 2, 0, { 0, 0x6666666666666666ULL, 0 }, -EPERM },
		{ 0, 0, { 0, 0x7777777777777777ULL, 0 }, 0 },
		{ 1, 0, { 16, 0x8888888888888888ULL, 1 }, -EIO },
		{ 1, 0, { 64, 0x9999999999999999ULL, 0 }, -EINVAL },
		{ 1, 0, { 56, 0xaaaaaaaaaaaaaaaaULL, 0 }, 0 },
	};
	const int n = ARRAY_SIZE(p);
	struct ipo_call calls[ARRAY_SIZE(p)];
	__u64 out[ARRAY_SIZE(p)];
	__u8 want[2][OBJ_SIZE];
	__u32 nr_done = 0, seq0 = self->hdr[0]->seq;
	int i, ret, committed = 0;

	ret = run_plan(self, p, n, IPO_INVOKE_INDEPENDENT, calls, out,
		       &nr_done);
	EXPECT_EQ(-EIO, ret);	/* the first failure */
	/* What the committed calls wrote, and nothing else. */
	memset(want, 0, sizeof(want));
	for (i = 0; i < n; i++) {
		EXPECT_EQ(p[i].status, calls[i].status) TH_LOG("call %d", i);
		if (p[i].status) {
			EXPECT_EQ(SENTINEL, out[i]) TH_LOG("call %d", i);
			continue;
		}
		committed++;
		EXPECT_EQ(p[i].a.val, out[i]) TH_LOG("call %d", i);
		memcpy(&want[p[i].fd][p[i].a.off], &p[i].a.val, 8);
	}
	EXPECT_EQ(committed, nr_done);
	EXPECT_EQ(0, memcmp(want[0], data_of(self->hdr[0]), OBJ_SIZE));
	EXPECT_EQ(0, memcmp(want[1], data_of(self->hdr[1]), OBJ_SIZE));
	EXPECT_EQ(seq0 + 2, self->hdr[0]->seq);	/* one change, even */
}

/* The same plan stops at its first failure without the flag. */
TEST_F(indep, stop_at_error_for_contrast)
{
	static const struct plan p[] = {
		{ 0, 0, { 0, 0x1111111111111111ULL, 0 }, 0 },
		{ 0, 0, { 8, 0x2222222222222222ULL, 1 }, -EIO },
		{ 1, 0, { 16, 0x3333333333333333ULL, 0 }, -ECANCELED },
	};
	struct ipo_call calls[3];
	__u64 out[3];
	__u8 want[OBJ_SIZE] = {};
	__u32 nr_done = 0;
	int i;

	EXPECT_EQ(-EIO, run_plan(self, p, 3, 0, calls, out, &nr_done));
	EXPECT_EQ(1, nr_done);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(p[i].status, calls[i].status) TH_LOG("call %d", i);
	memcpy(want, &p[0].a.val, 8);
	EXPECT_EQ(0, memcmp(want, data_of(self->hdr[0]), OBJ_SIZE));
	memset(want, 0, sizeof(want));
	EXPECT_EQ(0, memcmp(want, data_of(self->hdr[1]), OBJ_SIZE));
}

/* Every call failing: nothing changes, every status its own. */
TEST_F(indep, all_fail)
{
	static const struct plan p[] = {
		{ 0, 0, { 0, 1, 1 }, -EIO },
		{ 1, 0, { 8, 2, 1 }, -EIO },
		{ 0, 9, { 0, 3, 0 }, -ENOENT },
	};
	struct ipo_call calls[3];
	__u64 out[3];
	__u8 zero[OBJ_SIZE] = {};
	__u32 nr_done = 7;
	int i;

	EXPECT_EQ(-EIO, run_plan(self, p, 3, IPO_INVOKE_INDEPENDENT, calls,
				 out, &nr_done));
	EXPECT_EQ(0, nr_done);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(p[i].status, calls[i].status) TH_LOG("call %d", i);
	EXPECT_EQ(0, memcmp(zero, data_of(self->hdr[0]), OBJ_SIZE));
	EXPECT_EQ(0, memcmp(zero, data_of(self->hdr[1]), OBJ_SIZE));
}

TEST_F(indep, all_commit)
{
	static const struct plan p[] = {
		{ 0, 0, { 0, 1, 0 }, 0 },
		{ 0, 0, { 0, 2, 0 }, 0 },	/* sees and replaces the 1 */
		{ 1, 0, { 8, 3, 0 }, 0 },
	};
	struct ipo_call calls[3];
	__u64 out[3], w;
	__u32 nr_done = 0;

	EXPECT_EQ(0, run_plan(self, p, 3, IPO_INVOKE_INDEPENDENT, calls, out,
			      &nr_done));
	EXPECT_EQ(3, nr_done);
	memcpy(&w, data_of(self->hdr[0]), 8);
	EXPECT_EQ(2, w);
	memcpy(&w, data_of(self->hdr[1]) + 8, 8);
	EXPECT_EQ(3, w);
}

TEST_F(indep, not_with_atomic)
{
	static const struct plan p[] = { { 0, 0, { 0, 1, 0 }, 0 } };
	struct ipo_call calls[1];
	__u64 out[1], w;

	EXPECT_EQ(-EINVAL, run_plan(self, p, 1,
				    IPO_INVOKE_ATOMIC | IPO_INVOKE_INDEPENDENT,
				    calls, out, NULL));
	memcpy(&w, data_of(self->hdr[0]), 8);
	EXPECT_EQ(0, w);
}

TEST_HARNESS_MAIN
