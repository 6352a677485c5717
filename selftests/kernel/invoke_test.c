// SPDX-License-Identifier: GPL-2.0
/*
 * Methods, handles and bundles: only the methods in an object's table
 * change it; rights are enforced and never widen; revoked handles fail,
 * also racing with calls; bundles stop at the first error or, atomic,
 * undo everything; fuel exhaustion and bounds aborts undo the call; many
 * processes keep an object's invariant; readers never see torn state.
 */
#include <pthread.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "ipo_test.h"

/* 2: spin: scribble, then loop until fuel runs out */
static const __u64 m_spin[] = {
	LDX_DW(4, 1, C_OBJ), ST_DW(4, 0, 0x5151),
	MOV64_IMM(0, 0), ADD64_IMM(0, 1), JNE_IMM(0, -1, -2), EXIT(),
};
/* 3: set(u64 x): obj[0] = x, obj[1] = x (an invariant for readers) */
static const __u64 m_set[] = {
	LDX_W(2, 1, C_ARG_SIZE), JLT_IMM(2, 8, 7),
	LDX_DW(3, 1, C_ARG), LDX_DW(3, 3, 0), LDX_DW(4, 1, C_OBJ),
	STX_DW(4, 3, 0), STX_DW(4, 3, 8), MOV64_IMM(0, 0), EXIT(),
	MOV64_IMM(0, -22), EXIT(),
};

enum { M_ADD, M_FAIL, M_SPIN, M_SET, NR_M };

static int load(int dev, const __u64 *insns, __u32 cnt, __u32 flags)
{
	struct ipo_prog_load c;

	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.flags = IPO_PROG_CLOEXEC | flags;
	c.prog_type = IPO_PROG_TYPE_METHOD;
	c.insns = (uintptr_t)insns;
	c.insn_cnt = cnt;
	return ipo_ioctl(dev, IPO_PROG_LOAD, &c) ?: c.out_fd;
}

static int set_methods(int dev, int obj, const int *fds, __u32 n)
{
	struct ipo_obj_set_methods c = {
		.size = sizeof(c), .obj_fd = obj, .nr_methods = n,
		.prog_fds = (uintptr_t)fds,
	};

	return ipo_ioctl(dev, IPO_OBJ_SET_METHODS, &c);
}

static void call_init(struct ipo_call *c, int obj, __u32 method,
		      const __u64 *arg, __u64 *out)
{
	memset(c, 0, sizeof(*c));
	c->obj_fd = obj;
	c->method = method;
	c->arg = (uintptr_t)arg;
	c->arg_size = arg ? 8 : 0;
	c->out = (uintptr_t)out;
	c->out_size = out ? 8 : 0;
	c->status = 1;	/* must be overwritten */
}

FIXTURE(inv) {
	int dev;
	int obj, obj2;
	int progs[NR_M];
	const struct ipo_obj_header *hdr, *hdr2;
	size_t len;
};

/*
 * Every test on both engines, and on a small object (copied whole before
 * a call that may fail) and a large one (its writes logged, exec/undo.h).
 */
FIXTURE_VARIANT(inv) {
	__u64 size;
	__u32 prog_flags;
};

FIXTURE_VARIANT_ADD(inv, copied_jit) { .size = 64 };
FIXTURE_VARIANT_ADD(inv, copied_interp) {
	.size = 64, .prog_flags = IPO_PROG_INTERP,
};
FIXTURE_VARIANT_ADD(inv, logged_jit) { .size = 3 << 20 };
FIXTURE_VARIANT_ADD(inv, logged_interp) {
	.size = 3 << 20, .prog_flags = IPO_PROG_INTERP,
};

FIXTURE_SETUP(inv)
{
	int i;

	self->dev = ipo_open_dev();
	ASSERT_LE(0, self->dev);
	self->progs[M_ADD] = load(self->dev, ipo_m_add, ARRAY_SIZE(ipo_m_add),
				  variant->prog_flags);
	self->progs[M_FAIL] = load(self->dev, ipo_m_fail,
				   ARRAY_SIZE(ipo_m_fail), variant->prog_flags);
	self->progs[M_SPIN] = load(self->dev, m_spin, ARRAY_SIZE(m_spin),
				   variant->prog_flags);
	self->progs[M_SET] = load(self->dev, m_set, ARRAY_SIZE(m_set),
				  variant->prog_flags);
	for (i = 0; i < NR_M; i++)
		ASSERT_LE(0, self->progs[i]) TH_LOG("program %d", i);
	self->obj = ipo_create(self->dev, NULL, variant->size, IPO_OBJ_CLOEXEC,
			       0, NULL);
	self->obj2 = ipo_create(self->dev, NULL, variant->size,
				IPO_OBJ_CLOEXEC, 0, NULL);
	ASSERT_LE(0, self->obj);
	ASSERT_LE(0, self->obj2);
	ASSERT_EQ(0, set_methods(self->dev, self->obj, self->progs, NR_M));
	ASSERT_EQ(0, set_methods(self->dev, self->obj2, self->progs, NR_M));
	self->len = ipo_map_size(variant->size);
	self->hdr = ipo_map(self->obj, self->len);
	self->hdr2 = ipo_map(self->obj2, self->len);
	ASSERT_NE(MAP_FAILED, self->hdr);
	ASSERT_NE(MAP_FAILED, self->hdr2);
}

FIXTURE_TEARDOWN(inv)
{
	int i;

	munmap((void *)self->hdr, self->len);
	munmap((void *)self->hdr2, self->len);
	close(self->obj);
	close(self->obj2);
	for (i = 0; i < NR_M; i++)
		close(self->progs[i]);
	close(self->dev);
}

TEST_F(inv, one_call)
{
	__u64 arg = 5, out = 0;
	struct ipo_call c;
	__u32 done;
	struct ipo_pair p;

	call_init(&c, self->obj, M_ADD, &arg, &out);
	ASSERT_EQ(0, ipo_invoke(self->dev, &c, 1, 0, 0, &done));
	EXPECT_EQ(1, done);
	EXPECT_EQ(0, c.status);
	EXPECT_EQ(0, c.ret);
	EXPECT_EQ(IPO_RESULT_OK, c.abort);
	EXPECT_EQ(5, out);
	p = ipo_snap_pair(self->hdr);
	EXPECT_EQ(5, p.a);
	EXPECT_EQ(2, p.seq);

	/* The method's own error: a short argument is -EINVAL. */
	call_init(&c, self->obj, M_ADD, &arg, NULL);
	c.arg_size = 4;
	EXPECT_EQ(-EINVAL, ipo_invoke(self->dev, &c, 1, 0, 0, &done));
	EXPECT_EQ(-EINVAL, c.status);
	EXPECT_EQ(0, done);
}

/*
 * An output buffer is written only when its call commits, and is not
 * checked before: one the caller cannot write (a read-only page) fails
 * the INVOKE with EFAULT after the call committed.  The answer is still
 * whole: the call's status 0, nr_done counting it, and every other call's
 * results and outputs -- on the one-call path, in a bundle, with a small
 * output (written in the answer's window) and a large one (copy_to_user),
 * whichever call it is.
 */
TEST_F(inv, unwritable_output_after_commit)
{
	static const __u32 sizes[] = { 8, 512 };
	long pg = sysconf(_SC_PAGESIZE);
	unsigned char *ro, good[2][512];
	__u64 arg = 3, total = 0;
	struct ipo_call c[2];
	__u32 z, bad, n, i, done;

	ro = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	for (z = 0; z < ARRAY_SIZE(sizes); z++) {
		for (n = 1; n <= 2; n++) {
			for (bad = 0; bad < n; bad++) {
				memset(good, 0xaa, sizeof(good));
				for (i = 0; i < n; i++) {
					call_init(&c[i], self->obj, M_ADD,
						  &arg, NULL);
					c[i].out = (uintptr_t)(i == bad ? ro :
							       good[i]);
					c[i].out_size = sizes[z];
				}
				done = ~0U;
				EXPECT_EQ(-EFAULT, ipo_invoke(self->dev, c, n,
							      0, 0, &done))
					TH_LOG("size %u, %u calls, bad %u",
					       sizes[z], n, bad);
				EXPECT_EQ(n, done);
				for (i = 0; i < n; i++) {
					__u64 v;

					total += arg;
					EXPECT_EQ(0, c[i].status);
					if (i == bad)
						continue;
					memcpy(&v, good[i], sizeof(v));
					EXPECT_EQ(total, v)
						TH_LOG("size %u, %u calls, bad %u: call %u's output",
						       sizes[z], n, bad, i);
				}
				EXPECT_EQ(total, ipo_snap_pair(self->hdr).a);
			}
		}
	}
	munmap(ro, pg);
}

/* out = caller_uid | (u64)caller_tgid << 32 */
static const __u64 m_who[] = {
	LDX_W(2, 1, C_OUT_SIZE), JLT_IMM(2, 8, 7),
	LDX_DW(3, 1, C_OUT), LDX_W(4, 1, C_CALLER_UID),
	LDX_W(5, 1, C_CALLER_TGID), STX_W(3, 4, 0), STX_W(3, 5, 4),
	MOV64_IMM(0, 0), EXIT(),
	MOV64_IMM(0, -22), EXIT(),
};
/* out = caller_tgid: the last field only */
static const __u64 m_tgid[] = {
	LDX_W(2, 1, C_OUT_SIZE), JLT_IMM(2, 8, 5),
	LDX_DW(3, 1, C_OUT), LDX_W(5, 1, C_CALLER_TGID), STX_W(3, 5, 0),
	MOV64_IMM(0, 0), EXIT(),
	MOV64_IMM(0, -22), EXIT(),
};

/*
 * Caller ids are looked up only for a method that reads them, once a
 * bundle: whichever call of the bundle reads them first, alone or after
 * one that does not, on the one-call path and the bundle path, they are
 * the caller's.
 */
TEST_F(inv, caller_ids)
{
	__u64 want = (__u64)geteuid() | (__u64)getpid() << 32;
	__u64 arg = 1, o = 0, out[2];
	struct ipo_call c[3];
	int fds[2];
	__u32 done;

	fds[0] = load(self->dev, m_who, ARRAY_SIZE(m_who),
		      variant->prog_flags);
	fds[1] = load(self->dev, m_tgid, ARRAY_SIZE(m_tgid),
		      variant->prog_flags);
	ASSERT_LE(0, fds[0]);
	ASSERT_LE(0, fds[1]);
	ASSERT_EQ(0, set_methods(self->dev, self->obj2, fds, 2));

	out[0] = 0;
	call_init(&c[0], self->obj2, 0, NULL, &out[0]);
	ASSERT_EQ(0, ipo_invoke(self->dev, c, 1, 0, 0, &done));
	EXPECT_EQ(1, done);
	EXPECT_EQ(want, out[0]);

	out[0] = out[1] = 0;
	call_init(&c[0], self->obj, M_ADD, &arg, &o);
	call_init(&c[1], self->obj2, 1, NULL, &out[1]);
	call_init(&c[2], self->obj2, 0, NULL, &out[0]);
	ASSERT_EQ(0, ipo_invoke(self->dev, c, 3, 0, 0, &done));
	EXPECT_EQ(3, done);
	EXPECT_EQ(want, out[0]);
	EXPECT_EQ((__u64)getpid(), out[1]);
	close(fds[0]);
	close(fds[1]);
}

/*
 * r0 = caller_tgid, the context reached in ways other than a load
 * through r1 at the field's offset: spilled and filled, moved by a
 * constant, moved by a register, passed to a subprogram, past the field
 * and back by a negative offset.  The verifier's ctx_read_end must see
 * every one, or the method would read (u32)-1.
 */
#define TGID		((__s32)C_CALLER_TGID)
#define CALL_PC(d)	INSN(0x85, 0, 1, 0, d)
static const __u64 m_tgid_spill[] = {
	STX_DW(10, 1, -8), LDX_DW(2, 10, -8), LDX_W(0, 2, TGID), EXIT(),
};
static const __u64 m_tgid_moved[] = {
	MOV64_REG(2, 1), ADD64_IMM(2, TGID), LDX_W(0, 2, 0), EXIT(),
};
static const __u64 m_tgid_moved_reg[] = {
	MOV64_IMM(3, TGID), MOV64_REG(2, 1), ADD64_REG(2, 3),
	LDX_W(0, 2, 0), EXIT(),
};
static const __u64 m_tgid_subprog[] = {
	CALL_PC(1), EXIT(),
	LDX_W(0, 1, TGID), EXIT(),
};
static const __u64 m_tgid_back[] = {
	MOV64_REG(2, 1), ADD64_IMM(2, 100), LDX_W(0, 2, TGID - 100), EXIT(),
};

TEST_F(inv, caller_ids_reached_indirectly)
{
	static const struct {
		const char *name;
		const __u64 *insns;
		__u32 cnt;
	} m[] = {
		{ "spill", m_tgid_spill, ARRAY_SIZE(m_tgid_spill) },
		{ "moved", m_tgid_moved, ARRAY_SIZE(m_tgid_moved) },
		{ "moved_reg", m_tgid_moved_reg, ARRAY_SIZE(m_tgid_moved_reg) },
		{ "subprog", m_tgid_subprog, ARRAY_SIZE(m_tgid_subprog) },
		{ "back", m_tgid_back, ARRAY_SIZE(m_tgid_back) },
	};
	__u64 arg = 1, o = 0;
	struct ipo_call c[2];
	__u32 done;
	int i, fd;

	for (i = 0; i < (int)ARRAY_SIZE(m); i++) {
		fd = load(self->dev, m[i].insns, m[i].cnt,
			  variant->prog_flags);
		ASSERT_LE(0, fd) TH_LOG("%s", m[i].name);
		ASSERT_EQ(0, set_methods(self->dev, self->obj2, &fd, 1));
		/* The one-call path. */
		call_init(&c[0], self->obj2, 0, NULL, NULL);
		ASSERT_EQ(0, ipo_invoke(self->dev, c, 1, 0, 0, &done));
		EXPECT_EQ((__s64)getpid(), c[0].ret) TH_LOG("%s", m[i].name);
		/* The bundle path, after a call that reads no ids. */
		call_init(&c[0], self->obj, M_ADD, &arg, &o);
		call_init(&c[1], self->obj2, 0, NULL, NULL);
		ASSERT_EQ(0, ipo_invoke(self->dev, c, 2, 0, 0, &done));
		EXPECT_EQ((__s64)getpid(), c[1].ret) TH_LOG("%s", m[i].name);
		close(fd);
	}
}

/* obj = { 0x77, 0x88 }, then fail with -EIO */
static const __u64 m_write_fail[] = {
	LDX_DW(4, 1, C_OBJ), ST_DW(4, 0, 0x77), ST_DW(4, 8, 0x88),
	MOV64_IMM(0, -5), EXIT(),
};
/* obj[0] = 0x99, then read arg[16..24): out of an 8-byte argument */
static const __u64 m_write_oob[] = {
	LDX_DW(4, 1, C_OBJ), ST_DW(4, 0, 0x99), LDX_DW(3, 1, C_ARG),
	LDX_DW(0, 3, 16), EXIT(),
};

/*
 * A single call that wrote the object and then failed -- its own error,
 * out of fuel, a run-time bounds check -- leaves nothing behind, on the
 * one-call path, stop at error and atomic, copied and logged objects.
 */
TEST_F(inv, one_call_failure_rolls_back)
{
	static const __u32 flags[] = { 0, IPO_INVOKE_ATOMIC };
	static const struct {
		__u32 method;
		int err;
		__u32 abort;
	} f[] = {
		{ 1, -EIO, IPO_RESULT_OK },
		{ 2, -ETIME, IPO_RESULT_FUEL },
		{ 3, -EFAULT, IPO_RESULT_BOUNDS },
	};
	__u64 seven = 7, arg = 1;
	struct ipo_call c;
	struct ipo_pair p;
	__u32 done, seq;
	int fds[4], i, j;

	fds[0] = self->progs[M_SET];
	fds[1] = load(self->dev, m_write_fail, ARRAY_SIZE(m_write_fail),
		      variant->prog_flags);
	fds[2] = self->progs[M_SPIN];
	fds[3] = load(self->dev, m_write_oob, ARRAY_SIZE(m_write_oob),
		      variant->prog_flags);
	ASSERT_LE(0, fds[1]);
	ASSERT_LE(0, fds[3]);
	ASSERT_EQ(0, set_methods(self->dev, self->obj2, fds, 4));

	call_init(&c, self->obj2, 0, &seven, NULL);
	ASSERT_EQ(0, ipo_invoke(self->dev, &c, 1, 0, 0, &done));
	seq = ipo_snap_pair(self->hdr2).seq;
	for (i = 0; i < (int)ARRAY_SIZE(flags); i++) {
		for (j = 0; j < (int)ARRAY_SIZE(f); j++) {
			call_init(&c, self->obj2, f[j].method, &arg, NULL);
			EXPECT_EQ(f[j].err, ipo_invoke(self->dev, &c, 1,
						       flags[i], 10000, &done))
				TH_LOG("flags %u method %u", flags[i],
				       f[j].method);
			EXPECT_EQ(f[j].err, c.status);
			EXPECT_EQ(f[j].abort, c.abort);
			EXPECT_EQ(0, done);
			p = ipo_snap_pair(self->hdr2);
			EXPECT_EQ(7, p.a) TH_LOG("method %u", f[j].method);
			EXPECT_EQ(7, p.b) TH_LOG("method %u", f[j].method);
			EXPECT_EQ(seq + 2, p.seq);
			seq = p.seq;
		}
	}
	close(fds[1]);
	close(fds[3]);
}

/*
 * ipo_call.__reserved is an output, 0 after every INVOKE, whatever the
 * caller left there: on the one-call path, on the bundle path (two
 * calls, an independent one, a call with a bad fd), refused or run.
 */
TEST_F(inv, call_reserved_out)
{
	__u64 arg = 1, o[2];
	struct ipo_call c[2];
	__u32 done;
	int i;

	for (i = 0; i < 4; i++) {
		call_init(&c[0], self->obj, M_ADD, &arg, &o[0]);
		call_init(&c[1], self->obj2, M_ADD, &arg, &o[1]);
		c[0].__reserved = 0xdeadbeef;
		c[1].__reserved = 0xfeedface;
		switch (i) {
		case 0:
			EXPECT_EQ(0, ipo_invoke(self->dev, c, 1, 0, 0, &done));
			break;
		case 1:
			EXPECT_EQ(0, ipo_invoke(self->dev, c, 2, 0, 0, &done));
			break;
		case 2:
			EXPECT_EQ(0, ipo_invoke(self->dev, c, 1,
						IPO_INVOKE_INDEPENDENT, 0,
						&done));
			break;
		case 3:
			c[0].obj_fd = -1;
			EXPECT_EQ(-EBADF, ipo_invoke(self->dev, c, 2, 0, 0,
						     &done));
			break;
		}
		EXPECT_EQ(0, c[0].__reserved) TH_LOG("case %d", i);
		if (i == 1 || i == 3)
			EXPECT_EQ(0, c[1].__reserved) TH_LOG("case %d", i);
	}
}

TEST_F(inv, stop_at_first_error)
{
	__u64 a1 = 1, a2 = 2, a4 = 4, o[4] = { 9, 9, 9, 9 };
	struct ipo_call c[4];
	__u32 done;
	struct ipo_pair p;

	call_init(&c[0], self->obj, M_ADD, &a1, &o[0]);
	call_init(&c[1], self->obj, M_ADD, &a2, &o[1]);
	call_init(&c[2], self->obj, M_FAIL, NULL, NULL);
	call_init(&c[3], self->obj, M_ADD, &a4, &o[3]);
	EXPECT_EQ(-EIO, ipo_invoke(self->dev, c, 4, 0, 0, &done));
	EXPECT_EQ(2, done);
	EXPECT_EQ(0, c[0].status);
	EXPECT_EQ(0, c[1].status);
	EXPECT_EQ(-EIO, c[2].status);
	EXPECT_EQ(-ECANCELED, c[3].status);
	EXPECT_EQ(1, o[0]);
	EXPECT_EQ(3, o[1]);
	EXPECT_EQ(9, o[3]);	/* not run: its output untouched */
	p = ipo_snap_pair(self->hdr);
	EXPECT_EQ(3, p.a);	/* the failing call's scribbles are undone */
	EXPECT_EQ(3, p.b);
}

TEST_F(inv, atomic_rollback_across_objects)
{
	__u64 a = 10, b = 20, o[3] = { 7, 7, 7 };
	struct ipo_call c[3];
	__u32 done;

	call_init(&c[0], self->obj, M_ADD, &a, &o[0]);
	call_init(&c[1], self->obj2, M_ADD, &b, &o[1]);
	call_init(&c[2], self->obj2, M_FAIL, NULL, NULL);
	EXPECT_EQ(-EIO, ipo_invoke(self->dev, c, 3, IPO_INVOKE_ATOMIC, 0, &done));
	EXPECT_EQ(0, done);
	EXPECT_EQ(-ECANCELED, c[0].status);
	EXPECT_EQ(-ECANCELED, c[1].status);
	EXPECT_EQ(-EIO, c[2].status);
	EXPECT_EQ(7, o[0]);	/* outputs of undone calls are not written */
	EXPECT_EQ(0, ipo_snap_pair(self->hdr).a);
	EXPECT_EQ(0, ipo_snap_pair(self->hdr2).a);
	EXPECT_EQ(0, ipo_snap_pair(self->hdr2).b);

	/* The same bundle without the failing call commits both. */
	EXPECT_EQ(0, ipo_invoke(self->dev, c, 2, IPO_INVOKE_ATOMIC, 0, &done));
	EXPECT_EQ(2, done);
	EXPECT_EQ(10, ipo_snap_pair(self->hdr).a);
	EXPECT_EQ(20, ipo_snap_pair(self->hdr2).a);
	EXPECT_EQ(10, o[0]);
	EXPECT_EQ(20, o[1]);
}

TEST_F(inv, fuel_exhaustion_rolls_back)
{
	__u64 a = 3;
	struct ipo_call c[2];
	__u32 done;

	call_init(&c[0], self->obj, M_ADD, &a, NULL);
	call_init(&c[1], self->obj, M_SPIN, NULL, NULL);
	EXPECT_EQ(-ETIME, ipo_invoke(self->dev, c, 2, IPO_INVOKE_ATOMIC, 10000,
				 &done));
	EXPECT_EQ(IPO_RESULT_FUEL, c[1].abort);
	EXPECT_EQ(-ETIME, c[1].status);
	EXPECT_EQ(0, ipo_snap_pair(self->hdr).a);

	/* Not atomic: the first call stays, the spinning one is undone. */
	EXPECT_EQ(-ETIME, ipo_invoke(self->dev, c, 2, 0, 10000, &done));
	EXPECT_EQ(1, done);
	EXPECT_EQ(3, ipo_snap_pair(self->hdr).a);
}

/* Reads 8 bytes at arg + 8: a bounds abort at instruction 1 for 8 bytes. */
static const __u64 m_oob[] = {
	LDX_DW(2, 1, C_ARG), LDX_DW(0, 2, 8), EXIT(),
};

/*
 * An aborted call says where: abort_pc is the instruction that stopped
 * it (the fuel-exhausted back edge, the access whose check failed), the
 * same on the interpreter and the JIT; 0 for a call that did not abort.
 * A caller with the first published struct (48 bytes) gets the rest of
 * its results as before and nothing written past its struct.
 */
TEST_F(inv, abort_pc)
{
	static const __u32 flags[] = { 0, IPO_PROG_INTERP };
	struct { struct ipo_call c; __u64 canary; } old[2];
	struct ipo_invoke inv;
	__u64 a = 3;
	struct ipo_call c;
	unsigned int k;

	for (k = 0; k < 2; k++) {
		const unsigned char *tail;
		struct ipo_prog_load pl;
		int fds[NR_M + 1], oob, i;
		struct ipo_call r;

		memset(&pl, 0, sizeof(pl));
		oob = ipo_load_method(self->dev, m_oob, ARRAY_SIZE(m_oob),
				      flags[k], &pl);
		ASSERT_LE(0, oob);
		for (i = 0; i < NR_M; i++)
			fds[i] = self->progs[i];
		fds[NR_M] = oob;
		ASSERT_EQ(0, set_methods(self->dev, self->obj, fds, NR_M + 1));

		call_init(&c, self->obj, NR_M, &a, NULL);
		c.abort_pc = 77;
		EXPECT_EQ(-EFAULT, ipo_invoke(self->dev, &c, 1, 0, 0, NULL));
		EXPECT_EQ(IPO_RESULT_BOUNDS, c.abort);
		EXPECT_EQ(1, c.abort_pc) TH_LOG("flags %u", flags[k]);

		call_init(&c, self->obj, M_ADD, &a, NULL);
		c.abort_pc = 77;
		EXPECT_EQ(0, ipo_invoke(self->dev, &c, 1, 0, 0, NULL));
		EXPECT_EQ(0, c.abort_pc);
		EXPECT_EQ(0, c.__reserved);

		/* The first published size: the canaries stay. */
		memset(old, 0x5a, sizeof(old));
		call_init(&old[0].c, self->obj, M_ADD, &a, NULL);
		call_init(&old[1].c, self->obj, NR_M, &a, NULL);
		memset(&inv, 0, sizeof(inv));
		inv.size = sizeof(inv);
		inv.nr_calls = 2;
		inv.call_size = offsetofend(struct ipo_call, abort);
		inv.calls = (uintptr_t)old;
		/* Packed at the old stride: call 1 starts at byte 48. */
		memmove((char *)old + inv.call_size, &old[1].c, inv.call_size);
		memset((char *)old + 2 * inv.call_size, 0x5a,
		       sizeof(old) - 2 * inv.call_size);
		EXPECT_EQ(-EFAULT, ipo_ioctl(self->dev, IPO_INVOKE, &inv));
		EXPECT_EQ(1, inv.nr_done);
		tail = (const unsigned char *)old + 2 * inv.call_size;
		memcpy(&r, (char *)old + inv.call_size, inv.call_size);
		EXPECT_EQ(IPO_RESULT_BOUNDS, r.abort);
		EXPECT_EQ(-EFAULT, r.status);
		for (i = 0; i < (int)(sizeof(old) - 2 * inv.call_size); i++)
			EXPECT_EQ(0x5a, tail[i]);
		ASSERT_EQ(0, set_methods(self->dev, self->obj, self->progs, NR_M));
		close(oob);
	}

	/* Fuel: the back edge of the spin, at 4. */
	call_init(&c, self->obj, M_SPIN, NULL, NULL);
	EXPECT_EQ(-ETIME, ipo_invoke(self->dev, &c, 1, 0, 1000, NULL));
	EXPECT_EQ(IPO_RESULT_FUEL, c.abort);
	EXPECT_EQ(4, c.abort_pc);
}

/*
 * fill(u64 i): obj[i], obj[i + 4096], ... = 0x5a while inside the object,
 * then -EIO.  Every store is proven by the test against ctx->obj_size
 * (a size relation, not a size the verifier knows: masked by the JIT
 * against the run-time size), so it loads strict; each must still be
 * logged, and the call rolled back.
 */
static const __u64 m_fill[] = {
	LDX_W(2, 1, C_ARG_SIZE), JLT_IMM(2, 8, 12),
	LDX_DW(3, 1, C_ARG), LDX_DW(3, 3, 0),
	LDX_W(4, 1, C_OBJ_SIZE), LDX_DW(5, 1, C_OBJ),
	JGE_REG(3, 4, 5),
	MOV64_REG(6, 5), ADD64_REG(6, 3), ST_B(6, 0, 0x5a),
	ADD64_IMM(3, 4096), JLT_REG(3, 4, -5),
	MOV64_IMM(0, -5), EXIT(),
	MOV64_IMM(0, -22), EXIT(),
};

TEST_F(inv, relation_proven_stores_roll_back)
{
	struct ipo_prog_load pl;
	const unsigned char *d;
	int fds[NR_M + 1], fill, i;
	struct ipo_call c[2];
	__u64 a = 1, at = 3, n;
	__u32 done;

	fill = ipo_load_method(self->dev, m_fill, ARRAY_SIZE(m_fill),
			       IPO_PROG_CLOEXEC | IPO_PROG_STRICT |
			       variant->prog_flags, &pl);
	ASSERT_LE(0, fill);
	for (i = 0; i < NR_M; i++)
		fds[i] = self->progs[i];
	fds[NR_M] = fill;
	ASSERT_EQ(0, set_methods(self->dev, self->obj, fds, NR_M + 1));

	/* Alone, stop-at-error, then atomic after a call that succeeded. */
	call_init(&c[0], self->obj, NR_M, &at, NULL);
	EXPECT_EQ(-EIO, ipo_invoke(self->dev, c, 1, 0, 0, &done));
	call_init(&c[0], self->obj, M_ADD, &a, NULL);
	call_init(&c[1], self->obj, NR_M, &at, NULL);
	EXPECT_EQ(-EIO, ipo_invoke(self->dev, c, 2, IPO_INVOKE_ATOMIC, 0,
				   &done));
	EXPECT_EQ(0, done);
	d = (const unsigned char *)self->hdr + self->hdr->data_off;
	for (n = 0; n < variant->size; n++)
		if (d[n])
			break;
	EXPECT_EQ(variant->size, n) TH_LOG("byte %llu left changed",
					   (unsigned long long)n);
	ASSERT_EQ(0, set_methods(self->dev, self->obj, self->progs, NR_M));
	close(fill);
}

TEST_F(inv, rights_enforced)
{
	__u64 a = 1;
	struct ipo_call c;
	int h, h2, fds[1];

	/* READ only: no calls, no methods, mmap allowed. */
	h = ipo_derive(self->dev, self->obj, IPO_RIGHT_READ, 0, NULL);
	ASSERT_LE(0, h);
	call_init(&c, h, M_ADD, &a, NULL);
	EXPECT_EQ(-EPERM, ipo_invoke(self->dev, &c, 1, 0, 0, NULL));
	EXPECT_EQ(-EPERM, c.status);
	fds[0] = self->progs[M_FAIL];
	EXPECT_EQ(-EPERM, set_methods(self->dev, h, fds, 1));
	EXPECT_EQ(-EPERM, ipo_revoke(self->dev, h, 0, IPO_REVOKE_ALL));
	EXPECT_NE(MAP_FAILED, ipo_map(h, 4096));

	/* Cannot widen what it was given. */
	EXPECT_EQ(-EPERM, ipo_derive(self->dev, h, IPO_RIGHT_INVOKE, 0, NULL));
	EXPECT_EQ(-EPERM, ipo_derive(self->dev, h, IPO_RIGHT_READ, 1, NULL));
	EXPECT_EQ(-EINVAL, ipo_derive(self->dev, h, 1U << 7, 0, NULL));
	close(h);

	/* INVOKE of method 0 only. */
	h = ipo_derive(self->dev, self->obj, IPO_RIGHT_INVOKE, 1ULL << M_ADD, NULL);
	ASSERT_LE(0, h);
	call_init(&c, h, M_ADD, &a, NULL);
	EXPECT_EQ(0, ipo_invoke(self->dev, &c, 1, 0, 0, NULL));
	call_init(&c, h, M_SET, &a, NULL);
	EXPECT_EQ(-EPERM, ipo_invoke(self->dev, &c, 1, 0, 0, NULL));
	EXPECT_EQ(MAP_FAILED, ipo_map(h, 4096));
	EXPECT_EQ(EACCES, errno);
	h2 = ipo_derive(self->dev, h, IPO_RIGHT_INVOKE, 1ULL << M_SET, NULL);
	EXPECT_EQ(-EPERM, h2);
	close(h);
	EXPECT_EQ(1, ipo_snap_pair(self->hdr).a);
}

TEST_F(inv, only_table_methods_run)
{
	__u64 a = 1;
	struct ipo_call c;
	int fds[1];

	/* A method index past the table. */
	call_init(&c, self->obj, NR_M, &a, NULL);
	EXPECT_EQ(-ENOENT, ipo_invoke(self->dev, &c, 1, 0, 0, NULL));
	/* Replacing the table changes what index 0 is. */
	fds[0] = self->progs[M_SET];
	ASSERT_EQ(0, set_methods(self->dev, self->obj, fds, 1));
	a = 42;
	call_init(&c, self->obj, 0, &a, NULL);
	EXPECT_EQ(0, ipo_invoke(self->dev, &c, 1, 0, 0, NULL));
	EXPECT_EQ(42, ipo_snap_pair(self->hdr).a);
	call_init(&c, self->obj, 1, &a, NULL);
	EXPECT_EQ(-ENOENT, ipo_invoke(self->dev, &c, 1, 0, 0, NULL));
	/* No table at all. */
	ASSERT_EQ(0, set_methods(self->dev, self->obj, NULL, 0));
	call_init(&c, self->obj, 0, &a, NULL);
	EXPECT_EQ(-ENOENT, ipo_invoke(self->dev, &c, 1, 0, 0, NULL));
	/* Only METHOD programs, only program fds. */
	fds[0] = self->obj2;
	EXPECT_EQ(-EINVAL, set_methods(self->dev, self->obj, fds, 1));
	fds[0] = 9999;
	EXPECT_EQ(-EBADF, set_methods(self->dev, self->obj, fds, 1));
}

TEST_F(inv, revoke_one_and_all)
{
	__u64 a = 1;
	struct ipo_call c;
	__u32 id1, id2;
	int h1, h2;

	h1 = ipo_derive(self->dev, self->obj, IPO_RIGHTS_ALL & ~IPO_RIGHT_ADMIN,
		    ~0ULL, &id1);
	h2 = ipo_derive(self->dev, self->obj, IPO_RIGHT_INVOKE, ~0ULL, &id2);
	ASSERT_LE(0, h1);
	ASSERT_LE(0, h2);
	EXPECT_NE(id1, id2);
	EXPECT_NE(0, id1);
	call_init(&c, h1, M_ADD, &a, NULL);
	EXPECT_EQ(0, ipo_invoke(self->dev, &c, 1, 0, 0, NULL));
	ASSERT_EQ(0, ipo_revoke(self->dev, self->obj, id1, 0));
	EXPECT_EQ(-EPERM, ipo_invoke(self->dev, &c, 1, 0, 0, NULL));
	EXPECT_EQ(MAP_FAILED, ipo_map(h1, 4096));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-EPERM, ipo_derive(self->dev, h1, IPO_RIGHT_READ, 0, NULL));
	call_init(&c, h2, M_ADD, &a, NULL);
	EXPECT_EQ(0, ipo_invoke(self->dev, &c, 1, 0, 0, NULL));
	EXPECT_EQ(-ENOENT, ipo_revoke(self->dev, self->obj, 12345, 0));
	EXPECT_EQ(-EINVAL, ipo_revoke(self->dev, self->obj, 1, IPO_REVOKE_ALL));
	ASSERT_EQ(0, ipo_revoke(self->dev, self->obj, 0, IPO_REVOKE_ALL));
	EXPECT_EQ(-EPERM, ipo_invoke(self->dev, &c, 1, 0, 0, NULL));
	/* The creator's handle is not revocable. */
	call_init(&c, self->obj, M_ADD, &a, NULL);
	EXPECT_EQ(0, ipo_invoke(self->dev, &c, 1, 0, 0, NULL));
	EXPECT_EQ(3, ipo_snap_pair(self->hdr).a);
	close(h1);
	close(h2);
}

struct race {
	int dev, h;
	volatile int stop;
	long ok, after;		/* successes, successes after revoke returned */
	volatile int revoked;
};

static void *race_invoker(void *p)
{
	struct race *r = p;
	__u64 a = 1;
	struct ipo_call c;

	while (!r->stop) {
		int was_revoked = r->revoked;

		call_init(&c, r->h, M_ADD, &a, NULL);
		if (!ipo_invoke(r->dev, &c, 1, 0, 0, NULL)) {
			__atomic_add_fetch(&r->ok, 1, __ATOMIC_RELAXED);
			if (was_revoked)
				__atomic_add_fetch(&r->after, 1,
						   __ATOMIC_RELAXED);
		} else if (c.status != -EPERM) {
			__atomic_add_fetch(&r->after, 1000000,
					   __ATOMIC_RELAXED);
		}
	}
	return NULL;
}

TEST_F(inv, revoke_races_with_invocations)
{
	struct race r = { .dev = self->dev };
	pthread_t t[3];
	int i;

	r.h = ipo_derive(self->dev, self->obj, IPO_RIGHT_INVOKE, ~0ULL, NULL);
	ASSERT_LE(0, r.h);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, race_invoker, &r));
	usleep(50000);
	ASSERT_EQ(0, ipo_revoke(self->dev, self->obj, 0, IPO_REVOKE_ALL));
	r.revoked = 1;
	usleep(50000);
	r.stop = 1;
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	EXPECT_LT(0, r.ok);
	EXPECT_EQ(0, r.after);	/* nothing succeeded once revoke returned */
	EXPECT_EQ(r.ok, (long)ipo_snap_pair(self->hdr).a);
	close(r.h);
}

struct flip {
	struct ipo_call *c;
	int obj;
	const __u64 *one;
	volatile int stop;
};

/* Rewrites the fd, the argument and its size of a call in flight. */
static void *call_flipper(void *p)
{
	struct flip *f = p;
	unsigned int i = 0;

	while (!f->stop) {
		volatile struct ipo_call *c = f->c;

		i = i * 1103515245 + 12345;
		switch ((i >> 16) % 6) {
		case 0:
			c->obj_fd = (i >> 8) & 1 ? f->obj : -1;
			break;
		case 1:
			c->arg = (i >> 8) & 1 ? (uintptr_t)f->one : 0;
			break;
		case 2:
			c->arg_size = (i >> 8) & 1 ? 8 : 1U << 30;
			break;
		case 3:
			c->arg_size = (i >> 8) & 1 ? 8 : 4;
			break;
		default:
			c->obj_fd = f->obj;
			c->arg = (uintptr_t)f->one;
			c->arg_size = 8;
			break;
		}
	}
	return NULL;
}

/*
 * Another thread rewrites a one-call INVOKE's call while it is read
 * (the one-call path may read it, fall back, and the bundle path read
 * it again): whatever each INVOKE answers, it answers for what ran.
 * The object grew by exactly the calls reported committed, each of
 * those with status 0 and its output the value it left; no other
 * answer has status 0.
 */
TEST_F(inv, one_call_read_races_a_writer)
{
	static const __u64 one = 1;
	struct ipo_call *c = malloc(sizeof(*c));
	struct flip f = { .c = c, .obj = self->obj, .one = &one };
	__u64 out, start = ipo_snap_pair(self->hdr).a;
	long ok = 0, bad = 0, n;
	pthread_t t;
	__u32 done;
	int ret;

	ASSERT_NE(NULL, c);
	call_init(c, self->obj, M_ADD, &one, &out);
	ASSERT_EQ(0, pthread_create(&t, NULL, call_flipper, &f));
	for (n = 0; n < 20000; n++) {
		c->out = (uintptr_t)&out;
		c->out_size = 8;
		out = 0;
		done = ~0U;
		ret = ipo_invoke(self->dev, c, 1, n & 1 ? IPO_INVOKE_ATOMIC : 0,
				 0, &done);
		if (!ret) {
			ok++;
			if ((done != 1 || c->status || c->ret ||
			     out != start + ok) && bad++ < 5)
				TH_LOG("ok: done %u status %d ret %lld out %llu",
				       done, c->status, (long long)c->ret,
				       (unsigned long long)out);
		} else if (c->status ? done != 0 :
			   (ret != -EFAULT && ret != -E2BIG) || done != ~0U) {
			/* Refused early, the command is not written back. */
			if (bad++ < 5)
				TH_LOG("ret %d status %d done %u", ret,
				       c->status, done);
		}
	}
	f.stop = 1;
	pthread_join(t, NULL);
	EXPECT_EQ(0, bad);
	EXPECT_LT(0, ok);
	EXPECT_EQ(start + ok, ipo_snap_pair(self->hdr).a);
	EXPECT_EQ(start + ok, ipo_snap_pair(self->hdr).b);
	TH_LOG("%ld of %ld committed", ok, n);
	free(c);
}

TEST_F(inv, pass_handle_over_unix_socket)
{
	int sv[2], h, status;
	pid_t pid;

	h = ipo_derive(self->dev, self->obj, IPO_RIGHT_INVOKE, 1ULL << M_ADD, NULL);
	ASSERT_LE(0, h);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char cbuf[CMSG_SPACE(sizeof(int))], b;
		struct iovec iov = { &b, 1 };
		struct msghdr msg = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
		};
		struct ipo_call c;
		__u64 a = 100;
		int fd, dev;

		close(sv[0]);
		if (recvmsg(sv[1], &msg, 0) != 1)
			_exit(1);
		memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof(fd));
		dev = ipo_open_dev();
		call_init(&c, fd, M_ADD, &a, NULL);
		if (ipo_invoke(dev, &c, 1, 0, 0, NULL))
			_exit(2);
		call_init(&c, fd, M_SET, &a, NULL);	/* not in its mask */
		_exit(ipo_invoke(dev, &c, 1, 0, 0, NULL) == -EPERM ? 0 : 3);
	}
	{
		char cbuf[CMSG_SPACE(sizeof(int))] = {}, b = 'h';
		struct iovec iov = { &b, 1 };
		struct msghdr msg = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
		};
		struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &h, sizeof(h));
		ASSERT_EQ(1, sendmsg(sv[0], &msg, 0));
	}
	close(h);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("child status 0x%x", status);
	EXPECT_EQ(100, ipo_snap_pair(self->hdr).a);
	close(sv[0]);
	close(sv[1]);
}

/* 4 processes x 2 threads x 500 adds keep the total exact. */
static void *adder(void *p)
{
	int *fds = p;
	__u64 a = 1;
	struct ipo_call c;
	int i, bad = 0;

	for (i = 0; i < 500; i++) {
		call_init(&c, fds[1], M_ADD, &a, NULL);
		bad |= ipo_invoke(fds[0], &c, 1, 0, 0, NULL);
	}
	return (void *)(long)bad;
}

TEST_F(inv, concurrent_processes_keep_invariant)
{
	int p, status, fds[2] = { self->dev, self->obj };

	for (p = 0; p < 4; p++) {
		pid_t pid = fork();

		ASSERT_LE(0, pid);
		if (!pid) {
			pthread_t t[2];
			void *r0, *r1;

			pthread_create(&t[0], NULL, adder, fds);
			pthread_create(&t[1], NULL, adder, fds);
			pthread_join(t[0], &r0);
			pthread_join(t[1], &r1);
			_exit(r0 || r1);
		}
	}
	for (p = 0; p < 4; p++) {
		ASSERT_LT(0, wait(&status));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	}
	EXPECT_EQ(4000, ipo_snap_pair(self->hdr).a);
	EXPECT_EQ(4000, ipo_snap_pair(self->hdr).b);
}

/* Readers through the mapping never see obj[0] != obj[1]. */
TEST_F(inv, snapshot_never_torn)
{
	int status, i;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (!pid) {
		struct ipo_call c;
		__u64 x;

		for (x = 1; x <= 3000; x++) {
			call_init(&c, self->obj, M_SET, &x, NULL);
			if (ipo_invoke(self->dev, &c, 1, 0, 0, NULL))
				_exit(1);
		}
		_exit(0);
	}
	for (i = 0; i < 200000; i++) {
		struct ipo_pair p = ipo_snap_pair(self->hdr);

		if (p.a != p.b) {
			EXPECT_EQ(p.a, p.b) TH_LOG("torn read at %d", i);
			break;
		}
		if (p.a == 3000)
			break;
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	EXPECT_EQ(3000, ipo_snap_pair(self->hdr).a);
}

/* SIGKILL in the middle of long bundles leaves the object consistent. */
TEST_F(inv, kill_mid_bundle)
{
	int round;

	for (round = 0; round < 5; round++) {
		struct ipo_pair p;
		int status;
		pid_t pid = fork();

		ASSERT_LE(0, pid);
		if (!pid) {
			static struct ipo_call c[512];
			static __u64 x[512];
			int i;

			/* set(x) then a spin that burns its fuel, repeated. */
			for (i = 0; i < 512; i++) {
				x[i] = round * 1000 + i;
				call_init(&c[i], self->obj, i % 2 ? M_SPIN : M_SET,
					  i % 2 ? NULL : &x[i], NULL);
			}
			for (;;)
				ipo_invoke(self->dev, c, 512, round % 2 ?
				       IPO_INVOKE_ATOMIC : 0, 200000, NULL);
		}
		usleep(20000 + round * 10000);
		kill(pid, SIGKILL);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFSIGNALED(status));
		p = ipo_snap_pair(self->hdr);

		EXPECT_EQ(p.a, p.b);
		EXPECT_NE(0x5151, p.a);	/* a spin's scribble never stays */
		EXPECT_EQ(0, p.seq & 1);
	}
}

TEST_F(inv, bad_bundles)
{
	struct ipo_info info;
	struct ipo_call *many, c;
	struct ipo_invoke inv;
	__u64 a = 1;
	__u32 i;

	ASSERT_EQ(0, ipo_get_info(self->dev, &info));
	call_init(&c, self->obj, M_ADD, &a, NULL);
	EXPECT_EQ(-EINVAL, ipo_invoke(self->dev, &c, 0, 0, 0, NULL));
	memset(&inv, 0, sizeof(inv));
	inv.size = sizeof(inv);
	inv.nr_calls = 1;
	inv.calls = (uintptr_t)&c;
	inv.call_size = 16;
	EXPECT_EQ(-EINVAL, ipo_ioctl(self->dev, IPO_INVOKE, &inv));
	inv.call_size = sizeof(c);
	inv.fuel = ~0ULL;
	EXPECT_EQ(-E2BIG, ipo_ioctl(self->dev, IPO_INVOKE, &inv));
	inv.fuel = 0;
	inv.calls = 8;
	EXPECT_EQ(-EFAULT, ipo_ioctl(self->dev, IPO_INVOKE, &inv));

	many = calloc(info.max_bundle_calls + 1, sizeof(*many));
	ASSERT_NE(NULL, many);
	for (i = 0; i <= info.max_bundle_calls; i++)
		call_init(&many[i], self->obj, M_ADD, &a, NULL);
	EXPECT_EQ(-E2BIG, ipo_invoke(self->dev, many, info.max_bundle_calls + 1,
				 0, 0, NULL));
	EXPECT_EQ(0, ipo_invoke(self->dev, many, info.max_bundle_calls, 0, 0,
			    NULL));
	EXPECT_EQ(info.max_bundle_calls, ipo_snap_pair(self->hdr).a);
	free(many);

	/* Bad handles are the call's failure. */
	call_init(&c, 9999, M_ADD, &a, NULL);
	EXPECT_EQ(-EBADF, ipo_invoke(self->dev, &c, 1, 0, 0, NULL));
	EXPECT_EQ(-EBADF, c.status);
	call_init(&c, self->progs[0], M_ADD, &a, NULL);
	EXPECT_EQ(-EBADF, ipo_invoke(self->dev, &c, 1, 0, 0, NULL));
	call_init(&c, self->obj, M_ADD, &a, NULL);
	c.arg_size = info.max_buf_size + 1;
	EXPECT_EQ(-E2BIG, ipo_invoke(self->dev, &c, 1, 0, 0, NULL));
	call_init(&c, self->obj, M_ADD, (const __u64 *)8, NULL);
	EXPECT_EQ(-EFAULT, ipo_invoke(self->dev, &c, 1, 0, 0, NULL));
	call_init(&c, self->obj, 64, &a, NULL);
	EXPECT_EQ(-EPERM, ipo_invoke(self->dev, &c, 1, 0, 0, NULL));
}

/*
 * The copies in and out of a bundle: buffers over the kernel's small-copy
 * size between small ones, a longer call struct, and the errors of the
 * call-by-call path when the batched one stops (a nonzero byte past the
 * struct, read-only results or bundle struct: nothing runs).
 */
TEST_F(inv, user_copies)
{
	long pg = sysconf(_SC_PAGESIZE);
	__u64 a1 = 1, a3 = 3, big_arg[64] = { 2 }, big_out[64], o[3];
	struct { struct ipo_call c; __u64 ext; } x[2];
	struct ipo_invoke inv;
	struct ipo_call c[3], *ro;
	unsigned char *page;
	__u32 done, i;
	struct ipo_pair p;

	memset(big_out, 0xaa, sizeof(big_out));
	memset(o, 0xaa, sizeof(o));
	call_init(&c[0], self->obj, M_ADD, &a1, &o[0]);
	call_init(&c[1], self->obj, M_ADD, big_arg, big_out);
	c[1].arg_size = sizeof(big_arg);
	c[1].out_size = sizeof(big_out);
	call_init(&c[2], self->obj, M_ADD, &a3, &o[2]);
	ASSERT_EQ(0, ipo_invoke(self->dev, c, 3, 0, 0, &done));
	EXPECT_EQ(3, done);
	EXPECT_EQ(1, o[0]);
	EXPECT_EQ(3, big_out[0]);
	for (i = 1; i < 64; i++)
		EXPECT_EQ(0, big_out[i]);	/* zeroed before the call */
	EXPECT_EQ(6, o[2]);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(0, c[i].status);

	/* A longer struct: its tail must be zero, else E2BIG. */
	call_init(&x[0].c, self->obj, M_ADD, &a1, &o[0]);
	call_init(&x[1].c, self->obj, M_ADD, &a1, &o[1]);
	x[0].ext = x[1].ext = 0;
	memset(&inv, 0, sizeof(inv));
	inv.size = sizeof(inv);
	inv.nr_calls = 2;
	inv.call_size = sizeof(x[0]);
	inv.calls = (uintptr_t)x;
	ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_INVOKE, &inv));
	EXPECT_EQ(2, inv.nr_done);
	EXPECT_EQ(8, o[1]);
	EXPECT_EQ(0, x[1].c.status);
	x[0].c.status = x[1].c.status = 7;
	x[1].ext = 1;
	EXPECT_EQ(-E2BIG, ipo_ioctl(self->dev, IPO_INVOKE, &inv));
	EXPECT_EQ(0, x[0].c.status);	/* read before: its results zeroed */
	EXPECT_EQ(7, x[1].c.status);	/* refused: untouched */
	EXPECT_EQ(8, ipo_snap_pair(self->hdr).a);

	/* Results that cannot be written: EFAULT before anything runs. */
	page = mmap(NULL, pg, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	ro = (struct ipo_call *)page;
	call_init(&ro[0], self->obj, M_ADD, &a1, &o[0]);
	ASSERT_EQ(0, mprotect(page, pg, PROT_READ));
	p = ipo_snap_pair(self->hdr);
	EXPECT_EQ(-EFAULT, ipo_invoke(self->dev, ro, 1, 0, 0, NULL));
	EXPECT_EQ(p.seq, ipo_snap_pair(self->hdr).seq);
	EXPECT_EQ(p.a, ipo_snap_pair(self->hdr).a);

	/* Nor the bundle's own struct. */
	ASSERT_EQ(0, mprotect(page, pg, PROT_READ | PROT_WRITE));
	memset(&inv, 0, sizeof(inv));
	inv.size = sizeof(inv);
	inv.nr_calls = 1;
	inv.call_size = sizeof(c[0]);
	inv.calls = (uintptr_t)&c[0];
	memcpy(page, &inv, sizeof(inv));
	ASSERT_EQ(0, mprotect(page, pg, PROT_READ));
	EXPECT_EQ(-EFAULT, ipo_ioctl(self->dev, IPO_INVOKE, page));
	EXPECT_EQ(p.seq, ipo_snap_pair(self->hdr).seq);
	EXPECT_EQ(p.a, ipo_snap_pair(self->hdr).a);
	munmap(page, pg);
}

/* out[1] = 0x5a when out_size >= 2; nothing else written, the argument ignored */
static const __u64 m_part[] = {
	LDX_W(2, 1, C_OUT_SIZE), JLT_IMM(2, 2, 2),
	LDX_DW(3, 1, C_OUT), ST_B(3, 1, 0x5a), MOV64_IMM(0, 0), EXIT(),
};

/* INVOKE with calls of @call_size bytes (a prefix of struct ipo_call). */
static int invoke_sized(int dev, const struct ipo_call *c, __u32 n,
			__u32 call_size, __u32 flags, __u32 *done)
{
	unsigned char raw[8 * sizeof(struct ipo_call)];
	struct ipo_invoke inv = {
		.size = sizeof(inv), .flags = flags, .nr_calls = n,
		.call_size = call_size, .calls = (uintptr_t)raw,
		.nr_done = ~0U,
	};
	__u32 i;
	int ret;

	memset(raw, 0, sizeof(raw));
	for (i = 0; i < n; i++)
		memcpy(raw + i * call_size, &c[i], call_size);
	ret = ipo_ioctl(dev, IPO_INVOKE, &inv);
	for (i = 0; i < n; i++)
		memcpy((void *)&c[i], raw + i * call_size, call_size);
	*done = inv.nr_done;
	return ret;
}

/*
 * The first byte of @buf (@len bytes) that is not what m_part leaves in a
 * caller's buffer pre-filled with 0xaa, or @len: when the call @wrote
 * its @size-byte output, 0x5a at 1 and zeros, else nothing written.
 */
static __u32 out_wrong(const unsigned char *buf, __u32 len, __u32 size,
		       bool wrote)
{
	__u32 b;

	for (b = 0; b < len; b++)
		if (buf[b] != (!wrote || b >= size ? 0xaa : b == 1 ? 0x5a : 0))
			return b;
	return len;
}

/*
 * Buffers are not zeroed when they are allocated (the calls, the arena,
 * the inline space on the stack): only output buffers are.  A method
 * that writes one byte of its output must leave every other byte of the
 * caller's buffer 0, never what kernel memory held (here, the 0xee of a
 * bundle's arguments just before, at the same place): on the one-call
 * path, a bundle in the inline space, one over IPO_INLINE_CALLS calls,
 * one with an allocated arena; with the current and an older struct
 * ipo_call; stop at error, atomic, independent.  The results and
 * nr_done are all written.  (Only telling on a kernel booted with
 * init_on_alloc=0: Debian's zeroes slab memory anyway.)
 */
TEST_F(inv, unwritten_output_is_zero)
{
	static const __u32 flags[] = {
		0, IPO_INVOKE_ATOMIC, IPO_INVOKE_INDEPENDENT,
	};
	static const __u32 sizes[][6] = {
		{ 1 }, { 2 }, { 7 }, { 13 }, { 64 }, { 183 }, { 240 },
		{ 9, 31 }, { 3, 100, 17, 24 },
		{ 5, 6, 7, 8, 9, 10 },			/* calls allocated */
		{ 300 }, { 2, 1000 },			/* arena allocated */
		{ 4095, 11, 600, 1, 2048, 77 },		/* both */
	};
	static const __u32 call_sizes[] = {
		sizeof(struct ipo_call), offsetofend(struct ipo_call, abort),
		offsetofend(struct ipo_call, abort_pc),
	};
	static unsigned char prime_arg[6][4096], out[6][4096];
	struct ipo_call c[6];
	int fds[NR_M + 1], obj[2] = { self->obj, self->obj2 };
	__u32 k, f, s, cs, i, n, b, done;

	memcpy(fds, self->progs, sizeof(self->progs));
	fds[NR_M] = load(self->dev, m_part, ARRAY_SIZE(m_part),
			 variant->prog_flags);
	ASSERT_LE(0, fds[NR_M]);
	ASSERT_EQ(0, set_methods(self->dev, self->obj, fds, NR_M + 1));
	ASSERT_EQ(0, set_methods(self->dev, self->obj2, fds, NR_M + 1));
	memset(prime_arg, 0xee, sizeof(prime_arg));

	for (k = 0; k < ARRAY_SIZE(flags) * ARRAY_SIZE(call_sizes) *
		    ARRAY_SIZE(sizes); k++) {
		f = k / (ARRAY_SIZE(call_sizes) * ARRAY_SIZE(sizes));
		cs = k / ARRAY_SIZE(sizes) % ARRAY_SIZE(call_sizes);
		s = k % ARRAY_SIZE(sizes);
		for (n = 0; n < 6 && sizes[s][n]; n++)
			;
		/* The same layout with arguments of 0xee, no output. */
		for (i = 0; i < n; i++) {
			call_init(&c[i], obj[i & 1], NR_M, NULL, NULL);
			c[i].arg = (uintptr_t)prime_arg[i];
			c[i].arg_size = sizes[s][i] + 8;
		}
		ASSERT_EQ(0, invoke_sized(self->dev, c, n, call_sizes[cs],
					  flags[f], &done));
		EXPECT_EQ(n, done);

		memset(out, 0xaa, sizeof(out));
		for (i = 0; i < n; i++) {
			call_init(&c[i], obj[i & 1], NR_M, NULL, NULL);
			c[i].out = (uintptr_t)out[i];
			c[i].out_size = sizes[s][i];
			c[i].ret = -1;
			c[i].abort = ~0U;
			c[i].abort_pc = ~0U;
			c[i].__reserved = ~0U;
		}
		ASSERT_EQ(0, invoke_sized(self->dev, c, n, call_sizes[cs],
					  flags[f], &done));
		EXPECT_EQ(n, done);
		for (i = 0; i < n; i++) {
			__u32 sz = sizes[s][i];

			EXPECT_EQ(0, c[i].status);
			EXPECT_EQ(0, c[i].ret);
			EXPECT_EQ(0, c[i].abort);
			if (call_sizes[cs] > offsetof(struct ipo_call,
						      abort_pc))
				EXPECT_EQ(0, c[i].abort_pc);
			if (call_sizes[cs] == sizeof(struct ipo_call))
				EXPECT_EQ(0, c[i].__reserved);
			b = out_wrong(out[i], sizeof(out[i]), sz, true);
			EXPECT_EQ(sizeof(out[i]), b)
				TH_LOG("flags %u call_size %u sizes %u call %u: byte %u is 0x%02x",
				       flags[f], call_sizes[cs], s, i, b,
				       b < sizeof(out[i]) ? out[i][b] : 0);
		}
	}
	close(fds[NR_M]);
}

/*
 * A call that failed, was cancelled or was rolled back writes none of its
 * output; one that committed writes all of it, zeros where its method
 * wrote nothing.  A failing call last, first, or between two others
 * (output buffers in the inline space and allocated), stop at error,
 * atomic, independent.
 */
TEST_F(inv, failed_bundle_outputs)
{
	static const __u32 flags[] = {
		0, IPO_INVOKE_ATOMIC, IPO_INVOKE_INDEPENDENT,
	};
	static const __u32 sizes[] = { 40, 300, 16 };
	static unsigned char out[3][512];
	int fds[NR_M + 1], at, fail;
	struct ipo_call c[3];
	__u32 f, i, b, done, ran;

	memcpy(fds, self->progs, sizeof(self->progs));
	fds[NR_M] = load(self->dev, m_part, ARRAY_SIZE(m_part),
			 variant->prog_flags);
	ASSERT_LE(0, fds[NR_M]);
	ASSERT_EQ(0, set_methods(self->dev, self->obj, fds, NR_M + 1));

	for (f = 0; f < ARRAY_SIZE(flags); f++) {
		for (fail = 0; fail < 3; fail++) {
			memset(out, 0xaa, sizeof(out));
			for (i = 0; i < 3; i++) {
				call_init(&c[i], self->obj,
					  i == fail ? M_FAIL : NR_M, NULL, NULL);
				c[i].out = (uintptr_t)out[i];
				c[i].out_size = sizes[i];
			}
			EXPECT_EQ(-EIO, ipo_invoke(self->dev, c, 3, flags[f],
						   0, &done));
			ran = flags[f] & IPO_INVOKE_ATOMIC ? 0 :
			      flags[f] & IPO_INVOKE_INDEPENDENT ? 2 : fail;
			EXPECT_EQ(ran, done) TH_LOG("flags %u fail %d",
						    flags[f], fail);
			for (i = 0; i < 3; i++) {
				bool ok = (int)i != fail &&
					  !(flags[f] & IPO_INVOKE_ATOMIC) &&
					  (flags[f] & IPO_INVOKE_INDEPENDENT ||
					   (int)i < fail);

				EXPECT_EQ(ok ? 0 : (int)i == fail ? -EIO :
					  -ECANCELED, c[i].status)
					TH_LOG("flags %u fail %d call %u",
					       flags[f], fail, i);
				b = out_wrong(out[i], sizeof(out[i]), sizes[i],
					      ok);
				EXPECT_EQ(sizeof(out[i]), b)
					TH_LOG("flags %u fail %d call %u: byte %u",
					       flags[f], fail, i, b);
			}
		}
	}
	/* One failing call (the one-call path), stop at error and atomic. */
	for (at = 0; at < 2; at++) {
		memset(out, 0xaa, sizeof(out));
		call_init(&c[0], self->obj, M_FAIL, NULL, NULL);
		c[0].out = (uintptr_t)out[0];
		c[0].out_size = 24;
		EXPECT_EQ(-EIO, ipo_invoke(self->dev, c, 1,
					   at ? IPO_INVOKE_ATOMIC : 0, 0,
					   &done));
		EXPECT_EQ(0, done);
		EXPECT_EQ(sizeof(out[0]),
			  out_wrong(out[0], sizeof(out[0]), 24, false));
	}
	ASSERT_EQ(0, set_methods(self->dev, self->obj, self->progs, NR_M));
	close(fds[NR_M]);
}

/*
 * Calls naming the same fd share one lookup, but each is checked: rights
 * per method, a bad fd fails each call that names it.
 */
TEST_F(inv, same_fd_each_call_checked)
{
	__u64 a = 1, o[3] = { 9, 9, 9 };
	struct ipo_call c[3];
	__u32 done;
	int h;

	h = ipo_derive(self->dev, self->obj, IPO_RIGHT_INVOKE, 1ULL << M_ADD, NULL);
	ASSERT_LE(0, h);
	call_init(&c[0], h, M_ADD, &a, &o[0]);
	call_init(&c[1], h, M_ADD, &a, &o[1]);
	call_init(&c[2], h, M_SET, &a, NULL);
	EXPECT_EQ(-EPERM, ipo_invoke(self->dev, c, 3, 0, 0, &done));
	EXPECT_EQ(2, done);
	EXPECT_EQ(0, c[1].status);
	EXPECT_EQ(-EPERM, c[2].status);
	EXPECT_EQ(2, o[1]);
	EXPECT_EQ(-EPERM, ipo_invoke(self->dev, c, 3, IPO_INVOKE_ATOMIC, 0, &done));
	EXPECT_EQ(0, done);
	EXPECT_EQ(2, ipo_snap_pair(self->hdr).a);

	/* Revoked between bundles: every call on it fails, none runs. */
	ASSERT_EQ(0, ipo_revoke(self->dev, self->obj, 0, IPO_REVOKE_ALL));
	call_init(&c[2], h, M_ADD, &a, NULL);
	EXPECT_EQ(-EPERM, ipo_invoke(self->dev, c, 3, 0, 0, &done));
	EXPECT_EQ(0, done);
	EXPECT_EQ(-EPERM, c[0].status);
	close(h);

	call_init(&c[0], 9999, M_ADD, &a, NULL);
	call_init(&c[1], 9999, M_ADD, &a, NULL);
	EXPECT_EQ(-EBADF, ipo_invoke(self->dev, c, 2, 0, 0, &done));
	EXPECT_EQ(-EBADF, c[0].status);
	EXPECT_EQ(-ECANCELED, c[1].status);
	EXPECT_EQ(2, ipo_snap_pair(self->hdr).a);
}

/* Bundles over more objects than a bundle keeps inline, and exactly as many. */
TEST_F(inv, many_objects)
{
	enum { NOBJ = 6, NCALL = 2 * NOBJ };
	const struct ipo_obj_header *hdr[NOBJ];
	struct ipo_call c[NCALL + 1];
	int obj[NOBJ], nobj;
	__u64 a = 1;
	__u32 done;
	int i;

	for (i = 0; i < NOBJ; i++) {
		obj[i] = ipo_create(self->dev, NULL, variant->size,
				    IPO_OBJ_CLOEXEC, 0, NULL);
		ASSERT_LE(0, obj[i]);
		ASSERT_EQ(0, set_methods(self->dev, obj[i], self->progs,
					 NR_M));
		hdr[i] = ipo_map(obj[i], self->len);
		ASSERT_NE(MAP_FAILED, hdr[i]);
	}
	for (nobj = 4; nobj <= NOBJ; nobj += 2) {
		for (i = 0; i < NCALL; i++)
			call_init(&c[i], obj[(i * 5) % nobj], M_ADD, &a, NULL);
		/* Atomic with a failing last call: every object undone. */
		call_init(&c[NCALL], obj[0], M_FAIL, NULL, NULL);
		EXPECT_EQ(-EIO, ipo_invoke(self->dev, c, NCALL + 1,
				       IPO_INVOKE_ATOMIC, 0, &done));
		EXPECT_EQ(0, done);
		EXPECT_EQ(0, ipo_snap_pair(hdr[nobj - 1]).a);
		EXPECT_EQ(0, ipo_snap_pair(hdr[0]).a);
		ASSERT_EQ(0, ipo_invoke(self->dev, c, NCALL, 0, 0, &done));
		EXPECT_EQ(NCALL, done);
		for (i = 0; i < nobj; i++) {
			EXPECT_EQ(NCALL / nobj, ipo_snap_pair(hdr[i]).a);
			ASSERT_EQ(0, ipo_invoke(self->dev, &(struct ipo_call){
				.obj_fd = obj[i], .method = M_SET,
				.arg = (uintptr_t)&(__u64){ 0 }, .arg_size = 8,
			}, 1, 0, 0, NULL));
		}
	}
	for (i = 0; i < NOBJ; i++) {
		munmap((void *)hdr[i], self->len);
		close(obj[i]);
	}
}

TEST_F(inv, open_by_name)
{
	struct ipo_obj_open o;
	int named, status;
	pid_t pid;

	named = ipo_create(self->dev, "inv_open_test", 64, IPO_OBJ_CLOEXEC,
			   0604, NULL);
	ASSERT_LE(0, named);
	memset(&o, 0, sizeof(o));
	o.size = sizeof(o);
	o.rights = IPO_RIGHTS_ALL;
	strcpy(o.name, "inv_open_test");
	ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_OBJ_OPEN, &o));
	EXPECT_NE(0, o.handle_id);
	close(o.out_fd);
	strcpy(o.name, "no_such_object");
	EXPECT_EQ(-ENOENT, ipo_ioctl(self->dev, IPO_OBJ_OPEN, &o));

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int dev, rc = 0;

		if (setgid(1000) || setuid(1000))
			_exit(10);
		dev = ipo_open_dev();
		strcpy(o.name, "inv_open_test");
		o.rights = IPO_RIGHT_READ;
		if (ipo_ioctl(dev, IPO_OBJ_OPEN, &o))
			rc |= 1;	/* 'r' for others: allowed */
		o.rights = IPO_RIGHT_INVOKE;
		if (ipo_ioctl(dev, IPO_OBJ_OPEN, &o) != -EACCES)
			rc |= 2;	/* no 'w' for others */
		o.rights = IPO_RIGHT_ADMIN;
		if (ipo_ioctl(dev, IPO_OBJ_OPEN, &o) != -EACCES)
			rc |= 4;
		_exit(rc);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("child status 0x%x", status);
	close(named);
}

TEST_HARNESS_MAIN
