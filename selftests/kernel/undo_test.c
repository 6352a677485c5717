// SPDX-License-Identifier: GPL-2.0
/*
 * Rollback as a property: random bundles of random writes, some failing
 * at a random point, on objects from 16 bytes (copied whole) to 1 MiB
 * (logged on first touch, exec/undo.h), stop-at-error and atomic, each
 * call on the JIT or on the interpreter.  A model of every object in this
 * process applies what should have committed; after every bundle each
 * object, read through its mapping, must equal its model byte for byte
 * (so a failed call or bundle leaves exactly the pre-bundle bytes), with
 * its counter even.  And the undo log is bounded: past undo_max_bytes a
 * call fails with IPO_RESULT_UNDO (ENOSPC) and is rolled back.
 */
#include <sys/mman.h>

#include "ipo_test.h"

/* The ops of the scribble method: 16 bytes each in its argument. */
enum { OP_ST8, OP_ST1, OP_ST4, OP_ST2, OP_ADD8, OP_FAIL, NR_OPS };
#define OFF_MASK	0x3fffff	/* offsets up to 4 MiB: past any object */

struct op {
	__u64 word;	/* offset (low 32 bits), op << 32 */
	__u64 val;
};

/* A tiny assembler with labels for the method below. */
enum { L_LOOP, L_DONE, L_ST8, L_ST1, L_ST4, L_ST2, L_ADD8, L_FAIL, NR_L };

struct prog {
	__u64 insns[64];
	__u32 n;
	int at[NR_L];
	int to[64];	/* label a jump goes to, or -1 */
};

static void emit(struct prog *p, __u64 insn, int label)
{
	p->to[p->n] = label;
	p->insns[p->n++] = insn;
}

static void here(struct prog *p, int label)
{
	p->at[label] = p->n;
}

static void link_prog(struct prog *p)
{
	__u32 i;

	for (i = 0; i < p->n; i++) {
		__s16 off;

		if (p->to[i] < 0)
			continue;
		off = p->at[p->to[i]] - (int)i - 1;
		p->insns[i] &= ~(0xffffULL << 16);
		p->insns[i] |= (__u64)(__u16)off << 16;
	}
}

/*
 * scribble(ops): for each op, a write of its width at its offset in the
 * object (a variable offset: checked at run time), an atomic add at the
 * offset rounded down to 8, or a failure (-EIO).  An offset past the
 * object aborts the call (IPO_RESULT_BOUNDS).
 */
static void build_scribble(struct prog *p)
{
	memset(p, 0, sizeof(*p));
	emit(p, LDX_DW(6, 1, C_ARG), -1);
	emit(p, LDX_W(7, 1, C_ARG_SIZE), -1);
	emit(p, LDX_DW(9, 1, C_OBJ), -1);
	emit(p, MOV64_IMM(8, 0), -1);
	here(p, L_LOOP);
	emit(p, MOV64_REG(2, 8), -1);
	emit(p, ADD64_IMM(2, 16), -1);
	emit(p, INSN(0x2d, 2, 7, 0, 0), L_DONE);	/* if r2 > r7 */
	emit(p, MOV64_REG(3, 6), -1);
	emit(p, ADD64_REG(3, 8), -1);
	emit(p, LDX_DW(4, 3, 0), -1);
	emit(p, LDX_DW(5, 3, 8), -1);
	emit(p, ADD64_IMM(8, 16), -1);
	emit(p, MOV64_REG(2, 4), -1);
	emit(p, INSN(0x77, 2, 0, 0, 32), -1);		/* r2 >>= 32 */
	emit(p, INSN(0x57, 4, 0, 0, OFF_MASK), -1);	/* r4 &= mask */
	emit(p, MOV64_REG(1, 9), -1);
	emit(p, ADD64_REG(1, 4), -1);
	emit(p, INSN(0x15, 2, 0, 0, OP_ST8), L_ST8);	/* if r2 == op */
	emit(p, INSN(0x15, 2, 0, 0, OP_ST1), L_ST1);
	emit(p, INSN(0x15, 2, 0, 0, OP_ST4), L_ST4);
	emit(p, INSN(0x15, 2, 0, 0, OP_ST2), L_ST2);
	emit(p, INSN(0x15, 2, 0, 0, OP_ADD8), L_ADD8);
	emit(p, INSN(0x15, 2, 0, 0, OP_FAIL), L_FAIL);
	emit(p, INSN(0x05, 0, 0, 0, 0), L_LOOP);
	here(p, L_ST8);
	emit(p, STX_DW(1, 5, 0), -1);
	emit(p, INSN(0x05, 0, 0, 0, 0), L_LOOP);
	here(p, L_ST1);
	emit(p, STX_B(1, 5, 0), -1);
	emit(p, INSN(0x05, 0, 0, 0, 0), L_LOOP);
	here(p, L_ST4);
	emit(p, INSN(0x63, 1, 5, 0, 0), -1);		/* *(u32 *)r1 = w5 */
	emit(p, INSN(0x05, 0, 0, 0, 0), L_LOOP);
	here(p, L_ST2);
	emit(p, INSN(0x6b, 1, 5, 0, 0), -1);		/* *(u16 *)r1 = w5 */
	emit(p, INSN(0x05, 0, 0, 0, 0), L_LOOP);
	here(p, L_ADD8);
	emit(p, INSN(0x57, 4, 0, 0, OFF_MASK & ~7), -1);
	emit(p, MOV64_REG(1, 9), -1);
	emit(p, ADD64_REG(1, 4), -1);
	emit(p, INSN(0xdb, 1, 5, 0, 0), -1);		/* lock *(u64 *)r1 += r5 */
	emit(p, INSN(0x05, 0, 0, 0, 0), L_LOOP);
	here(p, L_FAIL);
	emit(p, MOV64_IMM(0, -5), -1);
	emit(p, EXIT(), -1);
	here(p, L_DONE);
	emit(p, MOV64_IMM(0, 0), -1);
	emit(p, EXIT(), -1);
	link_prog(p);
}

#define NR_OBJS		4
#define MAX_CALLS	8
#define MAX_OPS		24

static const __u64 obj_sizes[NR_OBJS] = { 16, 200, 4096 + 24, 1 << 20 };

struct model {
	int fd;
	__u64 size;
	const struct ipo_obj_header *hdr;
	size_t len;
	__u8 *want;
};

static __u64 rng_state = 0x9e3779b97f4a7c15ULL;

static __u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* What a call should do to @m: applied to @buf; <0 for a failing call. */
static int apply(__u8 *buf, __u64 size, const struct op *ops, __u32 n)
{
	static const __u8 width[NR_OPS] = { 8, 1, 4, 2, 8, 0 };
	__u32 i;

	for (i = 0; i < n; i++) {
		__u32 kind = ops[i].word >> 32;
		__u64 off = ops[i].word & OFF_MASK, v;

		if (kind == OP_FAIL)
			return -EIO;
		if (kind == OP_ADD8)
			off &= ~7ULL;
		if (off + width[kind] > size)
			return -EFAULT;
		if (kind == OP_ADD8) {
			memcpy(&v, buf + off, 8);
			v += ops[i].val;
			memcpy(buf + off, &v, 8);
		} else {
			memcpy(buf + off, &ops[i].val, width[kind]);
		}
	}
	return 0;
}

/* Random ops for an object of @size bytes; a few out of bounds or failing. */
static __u32 gen_ops(struct op *ops, __u64 size, bool may_fail)
{
	__u32 n = 1 + rnd() % MAX_OPS, i;

	for (i = 0; i < n; i++) {
		__u32 kind = rnd() % (OP_FAIL);
		__u64 off;

		switch (rnd() % 4) {
		case 0:		/* near the end: crossing granules, the edge */
			off = size - 1 - rnd() % (size < 80 ? size : 80);
			break;
		case 1:		/* clustered at the start */
			off = rnd() % (size < 256 ? size : 256);
			break;
		default:
			off = rnd() % size;
			break;
		}
		if (may_fail && !(rnd() % 40))
			kind = OP_FAIL;
		else if (may_fail && !(rnd() % 40))
			off = size + rnd() % 64;	/* out of bounds */
		ops[i].word = ((__u64)kind << 32) | (off & OFF_MASK);
		ops[i].val = rnd();
	}
	return n;
}

FIXTURE(undo) {
	int dev;
	int progs[2];		/* scribble on the JIT, on the interpreter */
	struct model m[NR_OBJS];
};

FIXTURE_SETUP(undo)
{
	struct ipo_prog_load c;
	struct prog p;
	int i;

	self->dev = ipo_open_dev();
	ASSERT_LE(0, self->dev);
	build_scribble(&p);
	self->progs[0] = ipo_load_method(self->dev, p.insns, p.n,
					 IPO_PROG_CLOEXEC, &c);
	ASSERT_LE(0, self->progs[0]);
	self->progs[1] = ipo_load_method(self->dev, p.insns, p.n,
					 IPO_PROG_CLOEXEC | IPO_PROG_INTERP,
					 &c);
	ASSERT_LE(0, self->progs[1]);
	for (i = 0; i < NR_OBJS; i++) {
		struct model *m = &self->m[i];
		struct ipo_obj_set_methods sm = {
			.size = sizeof(sm), .nr_methods = 2,
			.prog_fds = (uintptr_t)self->progs,
		};

		m->size = obj_sizes[i];
		m->fd = ipo_create(self->dev, NULL, m->size, IPO_OBJ_CLOEXEC,
				   0, NULL);
		ASSERT_LE(0, m->fd);
		sm.obj_fd = m->fd;
		ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_OBJ_SET_METHODS, &sm));
		m->len = ipo_map_size(m->size);
		m->hdr = ipo_map(m->fd, m->len);
		ASSERT_NE(MAP_FAILED, m->hdr);
		m->want = calloc(1, m->size);
		ASSERT_NE(NULL, m->want);
	}
}

FIXTURE_TEARDOWN(undo)
{
	int i;

	for (i = 0; i < NR_OBJS; i++) {
		munmap((void *)self->m[i].hdr, self->m[i].len);
		close(self->m[i].fd);
		free(self->m[i].want);
	}
	close(self->progs[0]);
	close(self->progs[1]);
	close(self->dev);
}

/* Every object equals its model, byte for byte, its counter even. */
static int check_models(struct __test_metadata *_metadata,
			FIXTURE_DATA(undo) *self, int round)
{
	int i;

	for (i = 0; i < NR_OBJS; i++) {
		const struct model *m = &self->m[i];
		const __u8 *data = (const __u8 *)m->hdr + m->hdr->data_off;
		__u64 k;

		EXPECT_EQ(0, m->hdr->seq & 1);
		if (!memcmp(data, m->want, m->size))
			continue;
		for (k = 0; k < m->size && data[k] == m->want[k]; k++)
			;
		TH_LOG("round %d: object %d (%llu bytes) differs at %llu",
		       round, i, (unsigned long long)m->size,
		       (unsigned long long)k);
		return -1;
	}
	return 0;
}

static void random_bundles(struct __test_metadata *_metadata,
			   FIXTURE_DATA(undo) *self, int rounds)
{
	static struct op ops[MAX_CALLS][MAX_OPS];
	static __u8 *scratch[NR_OBJS];
	int round, i;

	for (i = 0; i < NR_OBJS; i++) {
		scratch[i] = malloc(self->m[i].size);
		ASSERT_NE(NULL, scratch[i]);
	}
	for (round = 0; round < rounds; round++) {
		struct ipo_call c[MAX_CALLS];
		__u32 n = 1 + rnd() % MAX_CALLS, done, k, want_done;
		bool atomic = rnd() & 1, may_fail = rnd() % 3 == 0;
		int objs[MAX_CALLS], want = 0, ret, st;

		for (i = 0; i < NR_OBJS; i++)
			memcpy(scratch[i], self->m[i].want, self->m[i].size);
		want_done = n;
		for (k = 0; k < n; k++) {
			struct model *m;
			__u32 nops;

			objs[k] = rnd() % NR_OBJS;
			m = &self->m[objs[k]];
			nops = gen_ops(ops[k], m->size, may_fail);
			memset(&c[k], 0, sizeof(c[k]));
			c[k].obj_fd = m->fd;
			c[k].method = rnd() & 1;
			c[k].arg = (uintptr_t)ops[k];
			c[k].arg_size = nops * sizeof(struct op);
			if (want)
				continue;
			/* On a copy: a failed call leaves its object as it was. */
			{
				__u8 *tmp = malloc(m->size);

				ASSERT_NE(NULL, tmp);
				memcpy(tmp, scratch[objs[k]], m->size);
				st = apply(tmp, m->size, ops[k], nops);
				if (st) {
					want = st;
					want_done = k;
				} else {
					memcpy(scratch[objs[k]], tmp, m->size);
				}
				free(tmp);
			}
		}
		ret = ipo_invoke(self->dev, c, n,
				 atomic ? IPO_INVOKE_ATOMIC : 0, 0, &done);
		ASSERT_EQ(want, ret) TH_LOG("round %d", round);
		if (!want || !atomic)
			for (i = 0; i < NR_OBJS; i++)
				memcpy(self->m[i].want, scratch[i],
				       self->m[i].size);
		if (want) {
			EXPECT_EQ(atomic ? 0 : want_done, done);
			EXPECT_EQ(want, c[want_done].status);
			EXPECT_EQ(want == -EFAULT ? IPO_RESULT_BOUNDS : 0,
				  c[want_done].abort);
		} else {
			EXPECT_EQ(n, done);
		}
		ASSERT_EQ(0, check_models(_metadata, self, round));
	}
	for (i = 0; i < NR_OBJS; i++)
		free(scratch[i]);
}

TEST_F(undo, random_bundles_match_model)
{
	random_bundles(_metadata, self, 1500);
}

/* A full log fails the call cleanly (ENOSPC), rolled back, and recovers. */
TEST_F(undo, log_exhaustion_rolls_back)
{
	unsigned long long old;
	struct model *m = &self->m[NR_OBJS - 1];	/* 1 MiB, logged */
	static struct op ops[4096 / sizeof(struct op)];
	struct ipo_call c;
	__u32 done, i, n = ARRAY_SIZE(ops);

	ASSERT_EQ(0, ipo_param_read("undo_max_bytes", &old));
	/* Two chunks: room for about a hundred granules. */
	ASSERT_EQ(0, ipo_param_write("undo_max_bytes", 8192));
	for (i = 0; i < n; i++) {
		ops[i].word = ((__u64)OP_ST8 << 32) | (i * 256);
		ops[i].val = 0x1111111111111111ULL * (i & 15);
	}
	memset(&c, 0, sizeof(c));
	c.obj_fd = m->fd;
	c.arg = (uintptr_t)ops;
	c.arg_size = sizeof(ops);
	for (i = 0; i < 2; i++) {
		c.method = i;
		EXPECT_EQ(-ENOSPC, ipo_invoke(self->dev, &c, 1, 0, 0, &done));
		EXPECT_EQ(IPO_RESULT_UNDO, c.abort);
		EXPECT_EQ(0, done);
		EXPECT_EQ(0, check_models(_metadata, self, -1));
	}
	/* A bundle that stays under the cap still runs, and commits. */
	c.arg_size = 32 * sizeof(struct op);
	EXPECT_EQ(0, ipo_invoke(self->dev, &c, 1, IPO_INVOKE_ATOMIC, 0, &done));
	apply(m->want, m->size, ops, 32);
	EXPECT_EQ(0, check_models(_metadata, self, -1));
	ASSERT_EQ(0, ipo_param_write("undo_max_bytes", old));
	/* With the default cap, all of them. */
	c.arg_size = sizeof(ops);
	EXPECT_EQ(0, ipo_invoke(self->dev, &c, 1, 0, 0, &done));
	apply(m->want, m->size, ops, n);
	EXPECT_EQ(0, check_models(_metadata, self, -1));
}

TEST_HARNESS_MAIN
