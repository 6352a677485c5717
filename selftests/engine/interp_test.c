// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests of the interpreter's own duties: the fuel budget, run-time
 * bounds checks, frames of local calls, helper aborts, arithmetic corner
 * cases; and golden lines of the disassembler.
 *
 * The programs are hand-made and the verifier's findings (aux) are written
 * by hand too, so each test pins the interpreter's behaviour for exactly
 * the input the verifier contract allows, independent of the verifier.
 * Every run is repeated on the JIT first, from the same run state, and
 * must end the same (r0, abort, abort pc, fuel): this reaches the JIT's
 * own run-time checks (bounds, call depth) with inputs no verified
 * program gives, except where the JIT relies on the verifier's word: an
 * access checked without IPO_AUX_RT_FULL is run only with offsets inside
 * [0, IPO_PTR_BOUND], as the verifier proved them.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "selftests/tap.h"

#include "exec/interp.h"
#include "exec/jit.h"
#include "base/disasm.h"

#define I(c, d, s, o, i)	((struct ipo_insn){ (c), (d), (s), (o), (i) })
#define MOV64_K(d, i)	I(IPO_ALU64 | IPO_MOV | IPO_K, d, 0, 0, i)
#define MOV64_X(d, s)	I(IPO_ALU64 | IPO_MOV | IPO_X, d, s, 0, 0)
#define MOV32_K(d, i)	I(IPO_ALU | IPO_MOV | IPO_K, d, 0, 0, i)
#define ALU64_K(op, d, i) I(IPO_ALU64 | (op) | IPO_K, d, 0, 0, i)
#define ALU64_X(op, d, s) I(IPO_ALU64 | (op) | IPO_X, d, s, 0, 0)
#define ALU32_X(op, d, s) I(IPO_ALU | (op) | IPO_X, d, s, 0, 0)
#define SALU64_X(op, d, s) I(IPO_ALU64 | (op) | IPO_X, d, s, 1, 0)
#define SALU32_X(op, d, s) I(IPO_ALU | (op) | IPO_X, d, s, 1, 0)
#define LDX(sz, d, s, o) I(IPO_LDX | IPO_MEM | (sz), d, s, o, 0)
#define STX(sz, d, s, o) I(IPO_STX | IPO_MEM | (sz), d, s, o, 0)
#define ST(sz, d, o, i)	I(IPO_ST | IPO_MEM | (sz), d, 0, o, i)
#define JA(o)		I(IPO_JMP | IPO_JA, 0, 0, o, 0)
#define JNE_K(d, i, o)	I(IPO_JMP | IPO_JNE | IPO_K, d, 0, o, i)
#define CALL_LOCAL(i)	I(IPO_JMP | IPO_CALL, 0, IPO_PSEUDO_CALL, 0, i)
#define CALL(i)		I(IPO_JMP | IPO_CALL, 0, 0, 0, i)
#define CALLX(d)	I(IPO_JMP | IPO_X | IPO_CALL, d, 0, 0, 0)
#define EXIT()		I(IPO_JMP | IPO_EXIT, 0, 0, 0, 0)
/* Two slots: the low, then the high 32 bits of @v. */
#define LDDW(d, v)	I(IPO_LD | IPO_IMM | IPO_DW, d, 0, 0, (u32)(v)), \
			I(0, 0, 0, 0, (u32)((u64)(v) >> 32))

static bool quiet;	/* sweeps: only failures are printed (and counted) */

static void check(bool ok, const char *name, unsigned long long got,
		  unsigned long long want)
{
	if (ok && quiet)
		return;
	if (ok)
		tap_ok(true, "%s", name);
	else
		tap_ok(false, "%s: got 0x%llx expected 0x%llx", name, got,
		       want);
}

#define EXPECT_EQ(name, got, want)					\
	check((u64)(got) == (u64)(want), name, (unsigned long long)(got), \
	      (unsigned long long)(want))

static u64 t_helper_abort(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5,
			  struct ipo_run *run)
{
	run->abort = IPO_ABORT_HELPER;
	return 0;
}

static u64 t_helper_add(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5,
			struct ipo_run *run)
{
	return r1 + r2;
}

static const struct ipo_helper_proto t_helpers[] = {
	[1] = { .name = "add", .fn = t_helper_add },
	[2] = { .name = "abort", .fn = t_helper_abort },
};

static const struct ipo_prog_type t_type = {
	.name = "interp-test",
	.helpers = t_helpers,
	.nr_helpers = ARRAY_SIZE(t_helpers),
};

struct t_run {
	struct ipo_prog prog;
	struct ipo_insn_aux aux[64];
	struct ipo_run run;
	u64 r0;
	bool jit_ran;		/* the last t_go() ran the JIT too */
};

/* Runs insns with aux as the verifier would leave it (plus @rt marks). */
static void t_exec(struct t_run *t, const struct ipo_insn *insns, u32 len,
		   s64 fuel, const u64 *args)
{
	u32 pc;

	memset(t, 0, sizeof(*t));
	t->prog.insns = insns;
	t->prog.len = len;
	t->prog.type = &t_type;
	t->prog.aux = t->aux;
	t->prog.verified = true;
	t->prog.stack_depth = IPO_STACK_SIZE;
	t->aux[0].flags |= IPO_AUX_SUBPROG;
	for (pc = 0; pc < len; pc++) {
		t->aux[pc].flags |= IPO_AUX_SEEN;
		if (insns[pc].code == (IPO_JMP | IPO_CALL) &&
		    insns[pc].src == IPO_PSEUDO_CALL)
			t->aux[pc + 1 + insns[pc].imm].flags |= IPO_AUX_SUBPROG;
	}
	t->run.fuel = fuel;
}

static void t_go(struct t_run *t, const u64 *args)
{
	struct ipo_run jrun = t->run;
	struct ipo_jit_image img;
	u64 jr0 = 0;

	/* The JIT refuses what no verifier passes (a call to pc 0). */
	t->jit_ran = !ipo_jit_compile(&t->prog, &ipo_jit_host_mem, &img);
	if (t->jit_ran) {
		jr0 = ipo_jit_run(&img, &jrun, args);
		ipo_jit_free(&img);
	}
	t->r0 = ipo_interp_run(&t->prog, &t->run, args);
	if (!t->jit_ran)
		return;
	EXPECT_EQ("jit: same r0", jr0, t->r0);
	EXPECT_EQ("jit: same abort", jrun.abort, t->run.abort);
	EXPECT_EQ("jit: same abort pc", jrun.abort_pc, t->run.abort_pc);
	EXPECT_EQ("jit: same fuel", jrun.fuel, t->run.fuel);
}

static void test_fuel(void)
{
	/* 0: r0 += 1; 1: goto -2: each back edge costs 2. */
	static const struct ipo_insn loop[] = {
		ALU64_K(IPO_ADD, 0, 1), JA(-2), EXIT(),
	};
	static const struct ipo_insn spin[] = { JA(-1), EXIT() };
	/* r0 = 3; loop: r0 -= 1; if r0 != 0 goto loop; exit */
	static const struct ipo_insn counted[] = {
		MOV64_K(0, 3), ALU64_K(IPO_SUB, 0, 1), JNE_K(0, 0, -2),
		EXIT(),
	};
	struct t_run t;

	t_exec(&t, loop, ARRAY_SIZE(loop), 10, NULL);
	t_go(&t, NULL);
	EXPECT_EQ("fuel: loop aborts", t.run.abort, IPO_ABORT_FUEL);
	EXPECT_EQ("fuel: abort at the back edge", t.run.abort_pc, 1);
	EXPECT_EQ("fuel: r0 is 0 after abort", t.r0, 0);
	EXPECT_EQ("fuel: remaining is negative", t.run.fuel, -2);

	t_exec(&t, spin, ARRAY_SIZE(spin), 1000000, NULL);
	t_go(&t, NULL);
	EXPECT_EQ("fuel: self loop aborts", t.run.abort, IPO_ABORT_FUEL);

	/* Two taken back edges of cost 2 each: exactly 4 fuel suffices. */
	t_exec(&t, counted, ARRAY_SIZE(counted), 4, NULL);
	t_go(&t, NULL);
	EXPECT_EQ("fuel: exact budget runs to exit", t.run.abort, IPO_RUN_OK);
	EXPECT_EQ("fuel: exact budget leaves 0", t.run.fuel, 0);
	t_exec(&t, counted, ARRAY_SIZE(counted), 3, NULL);
	t_go(&t, NULL);
	EXPECT_EQ("fuel: one short aborts", t.run.abort, IPO_ABORT_FUEL);
}

/*
 * Marks the access at @pc for a run-time check against @rgn, as the
 * verifier does.  @full: IPO_AUX_RT_FULL too, as for an access whose
 * offset the verifier could not prove inside [0, IPO_PTR_BOUND]; without
 * it the JIT emits the short check, which relies on that proof, so a test
 * may leave it out only for runs whose offsets keep to it.
 */
static void t_check(struct t_run *t, u32 pc, u8 rgn, bool full)
{
	t->aux[pc].flags |= IPO_AUX_RT_CHECK | (full ? IPO_AUX_RT_FULL : 0);
	t->aux[pc].region = rgn;
}

static void test_bounds(void)
{
	static const struct ipo_insn ld_off[] = {
		LDX(IPO_W, 0, 1, 4), EXIT(),
	};
	static const struct ipo_insn ld_neg[] = {
		LDX(IPO_B, 0, 1, -1), EXIT(),
	};
	/* r1 += r2 (unknown at verification), then store a byte there. */
	static const struct ipo_insn st_idx[] = {
		ALU64_X(IPO_ADD, 1, 2), ST(IPO_B, 1, 0, 0x5a), MOV64_K(0, 1),
		EXIT(),
	};
	u8 mem[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	u64 args[5] = { (u64)(unsigned long)mem };
	struct t_run t;
	int full;

	for (full = 1; full >= 0; full--) {
		quiet = !full;	/* the short check: failures only */
		mem[7] = 8;
		t_exec(&t, ld_off, ARRAY_SIZE(ld_off), 100, args);
		t_check(&t, 0, IPO_RGN_MEM, full);
		t.run.base[IPO_RGN_MEM] = args[0];
		t.run.size[IPO_RGN_MEM] = 8;
		t_go(&t, args);
		EXPECT_EQ("bounds: last word loads", t.r0, 0x08070605);
		EXPECT_EQ("bounds: last word no abort", t.run.abort,
			  IPO_RUN_OK);
		t.run.size[IPO_RGN_MEM] = 7;
		t_go(&t, args);
		EXPECT_EQ("bounds: word past the end aborts", t.run.abort,
			  IPO_ABORT_BOUNDS);
		EXPECT_EQ("bounds: abort pc", t.run.abort_pc, 0);

		t_exec(&t, st_idx, ARRAY_SIZE(st_idx), 100, args);
		t_check(&t, 1, IPO_RGN_MEM, full);
		t.run.base[IPO_RGN_MEM] = args[0];
		t.run.size[IPO_RGN_MEM] = 8;
		args[1] = 7;
		t_go(&t, args);
		EXPECT_EQ("bounds: index 7 stores", mem[7], 0x5a);
		args[1] = 8;
		t_go(&t, args);
		EXPECT_EQ("bounds: index 8 aborts", t.run.abort,
			  IPO_ABORT_BOUNDS);
	}
	quiet = false;

	/*
	 * Offsets below the region's start or wrapping: the verifier marks
	 * such accesses IPO_AUX_RT_FULL, and only the full check is tried.
	 */
	t_exec(&t, ld_neg, ARRAY_SIZE(ld_neg), 100, args);
	t_check(&t, 0, IPO_RGN_MEM, true);
	t.run.base[IPO_RGN_MEM] = args[0];
	t.run.size[IPO_RGN_MEM] = 8;
	t_go(&t, args);
	EXPECT_EQ("bounds: byte before the start aborts", t.run.abort,
		  IPO_ABORT_BOUNDS);

	t_exec(&t, st_idx, ARRAY_SIZE(st_idx), 100, args);
	t_check(&t, 1, IPO_RGN_MEM, true);
	t.run.base[IPO_RGN_MEM] = args[0];
	t.run.size[IPO_RGN_MEM] = 8;
	/* An index that wraps the address space must not look small. */
	args[1] = -(u64)(unsigned long)mem;
	t_go(&t, args);
	EXPECT_EQ("bounds: wrapping index aborts", t.run.abort,
		  IPO_ABORT_BOUNDS);
	args[1] = ~0ULL;
	t_go(&t, args);
	EXPECT_EQ("bounds: index -1 aborts", t.run.abort, IPO_ABORT_BOUNDS);
}

/*
 * Every width against two regions of every small size: the JIT's counts
 * of valid offsets per (region, width), 0 when the region is shorter than
 * the access, must abort exactly where the interpreter does.
 */
static void test_bounds_widths(void)
{
	static const struct ipo_insn p[] = {
		LDX(IPO_B, 3, 1, 0), LDX(IPO_H, 4, 1, 0), LDX(IPO_W, 5, 2, 1),
		STX(IPO_B, 2, 3, 5), LDX(IPO_DW, 0, 2, 0), EXIT(),
	};
	static const u8 rgn[] = {
		IPO_RGN_MEM, IPO_RGN_MEM, IPO_RGN_OBJ, IPO_RGN_OBJ, IPO_RGN_OBJ,
	};
	/*
	 * The store writes obj[5] with mem[0], the value it has: both
	 * engines see the same bytes whichever runs first.
	 */
	u8 mem[2] = { 6, 0x22 }, obj[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	u64 args[5] = { (u64)(unsigned long)mem, (u64)(unsigned long)obj };
	u32 size_mem, size_obj, pc, full, mismatched = 0, done = 0;
	struct t_run t;

	/* Every offset is small: the short check applies, and the full. */
	for (full = 0; full <= 1; full++) {
		for (size_mem = 0; size_mem <= 2; size_mem++) {
			for (size_obj = 0; size_obj <= 8; size_obj++) {
				u32 want = size_mem < 1 ? 0 : size_mem < 2 ? 1 :
					   size_obj < 5 ? 2 : size_obj < 6 ? 3 :
					   size_obj < 8 ? 4 : 5;

				t_exec(&t, p, ARRAY_SIZE(p), 100, args);
				for (pc = 0; pc < ARRAY_SIZE(rgn); pc++)
					t_check(&t, pc, rgn[pc], full);
				t.run.base[IPO_RGN_MEM] = args[0];
				t.run.size[IPO_RGN_MEM] = size_mem;
				t.run.base[IPO_RGN_OBJ] = args[1];
				t.run.size[IPO_RGN_OBJ] = size_obj;
				t_go(&t, args);
				/* pc 5 is the exit: no abort. */
				if (want == 5 ? t.run.abort != IPO_RUN_OK :
				    t.run.abort != IPO_ABORT_BOUNDS ||
				    t.run.abort_pc != want)
					mismatched++;
				done += t.jit_ran;
			}
		}
	}
	EXPECT_EQ("bounds: widths abort at the first short region", mismatched,
		  0);
	EXPECT_EQ("bounds: widths ran on the JIT", done, 2 * 3 * 9);
}

/* Bytes of native code of instruction @pc, or 0 if the JIT refuses. */
static u32 t_code_len(const struct t_run *t, u32 pc)
{
	struct ipo_jit_image img;
	u32 n;

	if (ipo_jit_compile(&t->prog, &ipo_jit_host_mem, &img))
		return 0;
	n = img.insn_off[pc + 1] - img.insn_off[pc];
	ipo_jit_free(&img);
	return n;
}

/*
 * One run of [r1 += r2; access; exit] with the access at whole offset @at
 * of a region of @size bytes, checked @full or short: does it abort at
 * the access exactly when [at, at + width) leaves the region, on both
 * engines alike?
 */
static bool t_short_run(const struct ipo_insn *p, u32 width, s64 at,
			u32 size, bool full, u64 r3)
{
	u64 buf[8];
	u8 *base = (u8 *)buf + 16;
	u64 args[5] = { (u64)(unsigned long)base };
	u32 want = at + width > size ? IPO_ABORT_BOUNDS : IPO_RUN_OK;
	struct t_run t;

	/* Stores write 0x5a; fetch add 0 and a failing cmpxchg write nothing. */
	memset(buf, 0x11, sizeof(buf));
	args[1] = at - p[1].off;
	args[2] = r3;
	t_exec(&t, p, 3, 100, args);
	t_check(&t, 1, IPO_RGN_MEM, full);
	t.run.base[IPO_RGN_MEM] = args[0];
	t.run.size[IPO_RGN_MEM] = size;
	t_go(&t, args);
	return t.jit_ran && t.run.abort == want &&
	       (want == IPO_RUN_OK || t.run.abort_pc == 1);
}

/*
 * The short check (offsets proved in [0, IPO_PTR_BOUND]) access by
 * access: loads, stores of a register and of an immediate and atomics, of
 * every width, at a negative, zero and positive instruction offset,
 * against regions of 0 to 17 bytes (empty, shorter than the width, ...),
 * at every whole offset from 0 to two past the end.  The run must abort
 * exactly from the last valid offset + 1 on, at the access, on both
 * engines alike; and the short check must be shorter code than the full.
 */
static void test_bounds_short(void)
{
	enum { K_LDX, K_ST, K_STX, K_FADD, K_CMPXCHG, NR_K };
	static const char *const kname[NR_K] = {
		"load", "store imm", "store reg", "fetch add", "cmpxchg",
	};
	static const u8 sz[] = { IPO_B, IPO_H, IPO_W, IPO_DW };
	static const s16 offs[] = { -8, 0, 3 };
	struct ipo_insn p[3] = { ALU64_X(IPO_ADD, 1, 2), {}, EXIT() };
	u32 k, w, o, n, size, full, bad, runs, longer, code[2];
	u64 r3;
	char name[96];
	struct t_run t;
	s64 at;

	for (k = 0; k < NR_K; k++) {
		bool atomic = k == K_FADD || k == K_CMPXCHG;

		bad = runs = longer = 0;
		r3 = k == K_STX ? 0x5a : 0;
		for (w = atomic ? 2 : 0; w < ARRAY_SIZE(sz); w++) {
			for (o = 0; o < ARRAY_SIZE(offs); o++) {
				s16 off = offs[o];

				p[1] = k == K_LDX ? LDX(sz[w], 0, 1, off) :
				       k == K_ST ? ST(sz[w], 1, off, 0x5a) :
				       k == K_STX ? STX(sz[w], 1, 3, off) :
				       I(IPO_STX | IPO_ATOMIC | sz[w], 1, 3, off,
					 k == K_FADD ? IPO_ADD | IPO_FETCH :
						       IPO_CMPXCHG);
				for (full = 0; full <= 1; full++) {
					t_exec(&t, p, ARRAY_SIZE(p), 100, NULL);
					t_check(&t, 1, IPO_RGN_MEM, full);
					code[full] = t_code_len(&t, 1);
				}
				longer += !code[0] || code[0] >= code[1];
				quiet = true;	/* engine comparisons */
				for (n = 0; n < 18 * 20 * 2; n++) {
					size = n / 40;
					at = n / 2 % 20;
					if (at > size + 2 || (atomic && at % (1 << w)))
						continue;
					bad += !t_short_run(p, 1 << w, at, size,
							    n & 1, r3);
					runs++;
				}
				quiet = false;
			}
		}
		snprintf(name, sizeof(name),
			 "bounds: short check, %s: aborts from last + 1 (%u runs)",
			 kname[k], runs);
		EXPECT_EQ(name, bad, 0);
		snprintf(name, sizeof(name),
			 "bounds: short check, %s: shorter than the full one",
			 kname[k]);
		EXPECT_EQ(name, longer, 0);
	}
}

static void test_calls(void)
{
	/*
	 * main: *(u64 *)(r10 - 8) = 0x11; r6 = 6; call f; r0 = *(r10 - 8);
	 *	 r0 += r6; exit
	 * f:	 *(u64 *)(r10 - 8) = 0x22; r6 = 0; r0 = 0; exit
	 * The callee's frame must not overlap the caller's and r6 survives.
	 */
	static const struct ipo_insn frames[] = {
		ST(IPO_DW, 10, -8, 0x11), MOV64_K(6, 6), CALL_LOCAL(3),
		LDX(IPO_DW, 0, 10, -8), ALU64_X(IPO_ADD, 0, 6), EXIT(),
		ST(IPO_DW, 10, -8, 0x22), MOV64_K(6, 0), MOV64_K(0, 0),
		EXIT(),
	};
	/* f calls itself: only the frame limit stops it. */
	static const struct ipo_insn deep[] = {
		CALL_LOCAL(-1), EXIT(),
	};
	/* The same runaway recursion in a subprogram, which the JIT takes. */
	static const struct ipo_insn deep_sub[] = {
		CALL_LOCAL(1), EXIT(), CALL_LOCAL(-1), EXIT(),
	};
	/* r1 = 40; r2 = 2; call 1 (add); exit */
	static const struct ipo_insn helper[] = {
		MOV64_K(1, 40), MOV64_K(2, 2), CALL(1), EXIT(),
	};
	static const struct ipo_insn helper_abort[] = {
		MOV64_K(0, 5), CALL(2), EXIT(),
	};
	static const struct ipo_insn callx_bad[] = {
		MOV64_K(3, 3), CALLX(3), EXIT(),
	};
	static const struct ipo_insn callx_hole[] = {
		MOV64_K(3, 0), CALLX(3), EXIT(),
	};
	struct t_run t;

	t_exec(&t, frames, ARRAY_SIZE(frames), 100, NULL);
	t.aux[0].stack_depth = 8;
	t.aux[6].stack_depth = 8;
	t_go(&t, NULL);
	EXPECT_EQ("calls: frames apart, r6 kept", t.r0, 0x11 + 6);
	EXPECT_EQ("calls: one call costs IPO_FUEL_CALL", t.run.fuel,
		  100 - IPO_FUEL_CALL);

	t_exec(&t, deep, ARRAY_SIZE(deep), 100, NULL);
	t_go(&t, NULL);
	EXPECT_EQ("calls: runaway depth aborts", t.run.abort,
		  IPO_ABORT_BOUNDS);
	EXPECT_EQ("calls: depth limit in calls",
		  100 - t.run.fuel, IPO_MAX_CALL_DEPTH * IPO_FUEL_CALL);

	t_exec(&t, deep_sub, ARRAY_SIZE(deep_sub), 100, NULL);
	t.aux[2].stack_depth = 16;
	t_go(&t, NULL);
	EXPECT_EQ("calls: the JIT compiles a recursive subprogram", t.jit_ran,
		  true);
	EXPECT_EQ("calls: runaway subprogram aborts", t.run.abort,
		  IPO_ABORT_BOUNDS);
	EXPECT_EQ("calls: runaway subprogram abort pc", t.run.abort_pc, 2);

	t_exec(&t, helper, ARRAY_SIZE(helper), 100, NULL);
	t_go(&t, NULL);
	EXPECT_EQ("helper: result in r0", t.r0, 42);

	t_exec(&t, helper_abort, ARRAY_SIZE(helper_abort), 100, NULL);
	t_go(&t, NULL);
	EXPECT_EQ("helper: abort stops", t.run.abort, IPO_ABORT_HELPER);
	EXPECT_EQ("helper: abort pc", t.run.abort_pc, 1);
	EXPECT_EQ("helper: abort r0", t.r0, 0);

	t_exec(&t, callx_bad, ARRAY_SIZE(callx_bad), 100, NULL);
	t_go(&t, NULL);
	EXPECT_EQ("callx: id past the table aborts", t.run.abort,
		  IPO_ABORT_HELPER);
	t_exec(&t, callx_hole, ARRAY_SIZE(callx_hole), 100, NULL);
	t_go(&t, NULL);
	EXPECT_EQ("callx: id without a helper aborts", t.run.abort,
		  IPO_ABORT_HELPER);
}

static u64 t_binop(u8 code, s16 off, u64 a, u64 b)
{
	struct ipo_insn p[] = {
		MOV64_X(0, 1), I(code, 0, 2, off, 0), EXIT(),
	};
	u64 args[5] = { a, b };
	struct t_run t;

	t_exec(&t, p, ARRAY_SIZE(p), 10, args);
	t_go(&t, args);
	return t.r0;
}

static void test_alu(void)
{
	const u8 div64 = IPO_ALU64 | IPO_DIV | IPO_X;
	const u8 mod64 = IPO_ALU64 | IPO_MOD | IPO_X;
	const u8 div32 = IPO_ALU | IPO_DIV | IPO_X;
	const u8 mod32 = IPO_ALU | IPO_MOD | IPO_X;
	const u8 lsh32 = IPO_ALU | IPO_LSH | IPO_X;
	const u8 arsh64 = IPO_ALU64 | IPO_ARSH | IPO_X;

	EXPECT_EQ("alu: div64 by 0", t_binop(div64, 0, 7, 0), 0);
	EXPECT_EQ("alu: mod64 by 0", t_binop(mod64, 0, 7, 0), 7);
	EXPECT_EQ("alu: div32 by 0 clears", t_binop(div32, 0, ~0ULL, 0), 0);
	EXPECT_EQ("alu: mod32 by 0 keeps low half",
		  t_binop(mod32, 0, 0xaaaaaaaa55555555ULL, 0), 0x55555555);
	EXPECT_EQ("alu: sdiv64 INT_MIN/-1",
		  t_binop(div64, 1, 1ULL << 63, ~0ULL), 1ULL << 63);
	EXPECT_EQ("alu: smod64 INT_MIN%-1",
		  t_binop(mod64, 1, 1ULL << 63, ~0ULL), 0);
	EXPECT_EQ("alu: sdiv32 INT_MIN/-1",
		  t_binop(div32, 1, 0x80000000, 0xffffffff), 0x80000000);
	EXPECT_EQ("alu: smod32 INT_MIN%-1",
		  t_binop(mod32, 1, 0x80000000, 0xffffffff), 0);
	EXPECT_EQ("alu: sdiv64 by 0", t_binop(div64, 1, -5ULL, 0), 0);
	EXPECT_EQ("alu: smod64 by 0", t_binop(mod64, 1, -5ULL, 0), -5ULL);
	EXPECT_EQ("alu: smod32 -7 % 2",
		  t_binop(mod32, 1, (u32)-7, 2), (u32)-1);
	EXPECT_EQ("alu: lsh32 masks to 31", t_binop(lsh32, 0, 1, 33), 2);
	EXPECT_EQ("alu: arsh64 masks to 63",
		  t_binop(arsh64, 0, 1ULL << 63, 127), ~0ULL);
}

/*
 * Unsigned 64-bit dst /= src or dst %= src (@imm: by the constant (s32)@b)
 * with r0-r9 all set first, dst to @a and src to @b, the others to
 * canaries; r0 then folds r0-r9, so a register the JIT's division
 * clobbers shows too.  Returns r0 and sets *@want from the C semantics.
 */
static u64 t_udivmod(bool mod, bool imm, u8 dst, u8 src, u64 a, u64 b,
		     u64 *want, bool *jit_ran)
{
	struct ipo_insn p[48];
	u64 reg[10], d;
	struct t_run t;
	u32 n = 0;
	u8 r;

	for (r = 0; r < 10; r++)
		reg[r] = 0x5a5a5a5a00000000ULL | r * 0x1111;
	if (!imm)
		reg[src] = b;
	reg[dst] = a;
	for (r = 0; r < 10; r++) {
		p[n++] = I(IPO_LD | IPO_IMM | IPO_DW, r, 0, 0, (u32)reg[r]);
		p[n++] = I(0, 0, 0, 0, (u32)(reg[r] >> 32));	/* lddw */
	}
	p[n++] = I(IPO_ALU64 | (mod ? IPO_MOD : IPO_DIV) |
		   (imm ? IPO_K : IPO_X), dst, imm ? 0 : src, 0,
		   imm ? (s32)b : 0);
	d = imm ? (u64)(s64)(s32)b : reg[src];
	reg[dst] = !d ? (mod ? reg[dst] : 0) :
		   mod ? reg[dst] % d : reg[dst] / d;
	for (r = 1; r < 10; r++) {
		p[n++] = ALU64_K(IPO_MUL, 0, 31);
		p[n++] = ALU64_X(IPO_ADD, 0, r);
		reg[0] = reg[0] * 31 + reg[r];
	}
	p[n++] = EXIT();
	*want = reg[0];

	t_exec(&t, p, n, 10, NULL);
	t_go(&t, NULL);
	*jit_ran = t.jit_ran;
	return t.r0;
}

/*
 * The JIT takes a 32-bit div when both operands of an unsigned 64-bit
 * division fit in 32 bits (only the dividend is tested against a positive
 * constant divisor): each side of that test and its edges, division by 0,
 * and x86 div's own registers rax and rdx (r0 and r3) as dst and src.
 */
static void test_udivmod(void)
{
	static const struct {
		const char *name;
		u8 dst, src;
		bool imm;
		u64 a, b;
	} cases[] = {
		{ "both small", 1, 2, false, 1000000007, 12345 },
		{ "dividend >= 2^32", 1, 2, false, 0x123456789abcdef0ULL, 10 },
		{ "divisor >= 2^32", 1, 2, false, 0xfedcba9876543210ULL,
		  0x100000001ULL },
		{ "small by >= 2^32", 4, 5, false, 5, 0x100000000ULL },
		{ "dividend 2^32-1", 6, 7, false, 0xffffffffULL, 7 },
		{ "dividend 2^32", 6, 7, false, 0x100000000ULL, 7 },
		{ "2^32-1 by 2^32-1", 8, 9, false, 0xffffffffULL,
		  0xffffffffULL },
		{ "divisor 2^32", 9, 8, false, 0x100000005ULL,
		  0x100000000ULL },
		{ "by 0", 1, 2, false, 77, 0 },
		{ "2^32 by 0", 1, 2, false, 0x100000000ULL, 0 },
		{ "dst == src small", 4, 4, false, 7, 7 },
		{ "dst == src >= 2^32", 4, 4, false, 0x123456789ULL, 0 },
		{ "dst == src 0", 4, 4, false, 0, 0 },
		{ "r0 by r3 small", 0, 3, false, 100, 7 },
		{ "r0 by r3 wide", 0, 3, false, ~0ULL, 7 },
		{ "r3 by r0 small", 3, 0, false, 100, 7 },
		{ "r3 by r0 wide", 3, 0, false, 100, 1ULL << 40 },
		{ "r0 by r0", 0, 0, false, 0x100000000ULL, 0 },
		{ "r3 by r3", 3, 3, false, 0xffffffffULL, 0 },
		{ "r0 by r3 = 0", 0, 3, false, 0x100000003ULL, 0 },
		{ "r3 by r0 = 0", 3, 0, false, 0x100000003ULL, 0 },
		{ "r3 by r1", 3, 1, false, 0x300000000ULL, 3 },
		{ "r1 by r0", 1, 0, false, 0x300000000ULL, 0x300000000ULL },
		{ "imm, small", 0, 0, true, 1000, 7 },
		{ "imm, 2^32-1", 3, 0, true, 0xffffffffULL, 0x7fffffff },
		{ "imm, 2^32", 3, 0, true, 0x100000000ULL, 0x7fffffff },
		{ "imm, wide", 1, 0, true, ~0ULL, 10 },
		{ "imm -1 (2^64-1)", 0, 0, true, ~0ULL, (u64)-1 },
		{ "imm -1, small", 3, 0, true, 5, (u64)-1 },
		/* 1 in 32 bits, 0 in 64: the constant is sign-extended */
		{ "imm -2, 2^32-1", 3, 0, true, 0xffffffffULL, (u64)-2 },
		{ "imm 0", 3, 0, true, 0x100000000ULL, 0 },
	};
	/* The sweep: every pair of these on a few register pairs. */
	static const u64 vals[] = {
		0, 1, 3, 0xfffffffeULL, 0xffffffffULL, 0x100000000ULL,
		0x100000001ULL, 0x123456789abcdef0ULL, 1ULL << 63, ~0ULL,
	};
	static const u8 regs[][2] = {
		{ 0, 3 }, { 3, 0 }, { 0, 0 }, { 3, 3 }, { 1, 2 }, { 9, 5 },
	};
	u32 i, k, r, mod, mismatched = 0, ran = 0, runs = 0;
	char name[128];
	bool jit_ran;
	u64 got, want;

	quiet = true;	/* t_go()'s engine comparisons: failures only */
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (mod = 0; mod <= 1; mod++) {
			got = t_udivmod(mod, cases[i].imm, cases[i].dst,
					cases[i].src, cases[i].a, cases[i].b,
					&want, &jit_ran);
			snprintf(name, sizeof(name), "u%s64: %s",
				 mod ? "mod" : "div", cases[i].name);
			quiet = false;
			EXPECT_EQ(name, got, want);
			quiet = true;
			ran += jit_ran;
			runs++;
		}
	}
	for (i = 0; i < ARRAY_SIZE(vals); i++)
		for (k = 0; k < ARRAY_SIZE(vals); k++)
			for (r = 0; r < ARRAY_SIZE(regs); r++)
				for (mod = 0; mod <= 1; mod++) {
					got = t_udivmod(mod, false, regs[r][0],
							regs[r][1], vals[i],
							vals[k], &want,
							&jit_ran);
					mismatched += got != want;
					ran += jit_ran;
					runs++;
				}
	quiet = false;
	EXPECT_EQ("udivmod64: sweep matches C", mismatched, 0);
	EXPECT_EQ("udivmod64: every case ran on the JIT", ran, runs);
}

static void test_guards(void)
{
	static const struct ipo_insn p[] = { MOV64_K(0, 1), EXIT() };
	/* No exit: only the interpreter's own pc guard stops this. */
	static const struct ipo_insn fall[] = { MOV64_K(0, 1) };
	struct t_run t;

	t_exec(&t, p, ARRAY_SIZE(p), 10, NULL);
	t.prog.verified = false;
	t_go(&t, NULL);
	EXPECT_EQ("guard: unverified program does not run", t.run.abort,
		  IPO_ABORT_BOUNDS);
	t_exec(&t, fall, ARRAY_SIZE(fall), 10, NULL);
	t_go(&t, NULL);
	EXPECT_EQ("guard: falling off the end aborts", t.run.abort,
		  IPO_ABORT_BOUNDS);
}

static void test_disasm(void)
{
	static const struct {
		struct ipo_insn insn[2];
		u32 pc;
		const char *want;
	} cases[] = {
		{ { ALU64_K(IPO_ADD, 0, 5) }, 0, "r0 += 5" },
		{ { SALU32_X(IPO_DIV, 1, 2) }, 0, "w1 s/= w2" },
		{ { SALU64_X(IPO_MOD, 1, 2) }, 0, "r1 s%= r2" },
		{ { I(IPO_ALU64 | IPO_MOV | IPO_X, 1, 2, 8, 0) }, 0,
		  "r1 = (s8)r2" },
		{ { I(IPO_ALU64 | IPO_NEG, 3, 0, 0, 0) }, 0, "r3 = -r3" },
		{ { I(IPO_ALU | IPO_END | IPO_TO_BE, 1, 0, 0, 16) }, 0,
		  "r1 = be16 r1" },
		{ { I(IPO_ALU64 | IPO_END, 1, 0, 0, 64) }, 0,
		  "r1 = bswap64 r1" },
		{ { LDX(IPO_W, 2, 1, 4) }, 0, "r2 = *(u32 *)(r1 + 4)" },
		{ { I(IPO_LDX | IPO_MEMSX | IPO_H, 2, 1, -2, 0) }, 0,
		  "r2 = *(s16 *)(r1 - 2)" },
		{ { STX(IPO_DW, 10, 1, -8) }, 0, "*(u64 *)(r10 - 8) = r1" },
		{ { ST(IPO_B, 1, 3, -1) }, 0, "*(u8 *)(r1 + 3) = -1" },
		{ { I(IPO_STX | IPO_ATOMIC | IPO_DW, 10, 1, -8, IPO_ADD) }, 0,
		  "lock *(u64 *)(r10 - 8) += r1" },
		{ { I(IPO_STX | IPO_ATOMIC | IPO_W, 10, 1, -8,
		      IPO_OR | IPO_FETCH) }, 0,
		  "w1 = atomic_fetch_or((u32 *)(r10 - 8), w1)" },
		{ { I(IPO_STX | IPO_ATOMIC | IPO_DW, 2, 3, 0, IPO_CMPXCHG) },
		  0, "r0 = atomic64_cmpxchg((u64 *)(r2 + 0), r0, r3)" },
		{ { JNE_K(1, 5, 3) }, 8, "if r1 != 0x5 goto +3 <12>" },
		{ { I(IPO_JMP32 | IPO_JSGT | IPO_X, 1, 2, -3, 0) }, 8,
		  "if w1 s> w2 goto -3 <6>" },
		{ { I(IPO_JMP32 | IPO_JA, 0, 0, 0, -2) }, 8, "gotol -2 <7>" },
		{ { CALL(5) }, 0, "call 5" },
		{ { CALL_LOCAL(9) }, 10, "call pc+9 <20>" },
		{ { CALLX(8) }, 0, "callx r8" },
		{ { I(IPO_LD | IPO_IMM | IPO_DW, 1, 0, 0, 0x55667788),
		    I(0, 0, 0, 0, 0x11223344) }, 0,
		  "r1 = 0x1122334455667788 ll" },
		{ { EXIT() }, 0, "exit" },
		{ { I(0xff, 0, 0, 0, 0) }, 0, "invalid opcode 0xff" },
	};
	struct ipo_insn prog[32];
	char buf[IPO_DISASM_LINE], name[128];
	u32 i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u32 pc = cases[i].pc;

		memset(prog, 0, sizeof(prog));
		prog[pc] = cases[i].insn[0];
		prog[pc + 1] = cases[i].insn[1];
		ipo_disasm_insn(prog, pc + 2, pc, buf, sizeof(buf));
		snprintf(name, sizeof(name), "disasm: %s", cases[i].want);
		if (!strcmp(buf, cases[i].want))
			tap_ok(true, "%s", name);
		else
			tap_ok(false, "%s: got \"%s\"", name, buf);
	}
	/* A short buffer is cut, not overrun, and still terminated. */
	prog[0] = LDX(IPO_W, 2, 1, 4);
	ipo_disasm_insn(prog, 1, 0, buf, 5);
	EXPECT_EQ("disasm: short buffer terminated", strlen(buf), 4);
}

/* lfences (0f ae e8) in the JIT code of the instruction at @pc. */
static u32 t_lfences(const struct t_run *t, u32 pc)
{
	struct ipo_jit_image img;
	const u8 *code;
	u32 i, n = 0;

	if (ipo_jit_compile(&t->prog, &ipo_jit_host_mem, &img))
		return ~0U;
	code = (const u8 *)img.entry;
	for (i = img.insn_off[pc]; i + 3 <= img.insn_off[pc + 1]; i++)
		n += code[i] == 0x0f && code[i + 1] == 0xae &&
		     code[i + 2] == 0xe8;
	ipo_jit_free(&img);
	return n;
}

/*
 * Edges the verifier learned a region size on get an lfence each, taken
 * and fall-through, forward and backward, and the code still runs as the
 * interpreter does either way.
 */
static void test_fences(void)
{
	/* 0: if r1 != 5 goto 2; 1: r0 = 1; 2: r0 += 2 (r0 = 0 at entry) */
	static const struct ipo_insn fwd[] = {
		JNE_K(1, 5, 1), MOV64_K(0, 1), ALU64_K(IPO_ADD, 0, 2), EXIT(),
	};
	/* 0: r1 -= 1; 1: if r1 != 0 goto 0 (fuel 2 a turn) */
	static const struct ipo_insn back[] = {
		ALU64_K(IPO_SUB, 1, 1), JNE_K(1, 0, -2), EXIT(),
	};
	static const struct {
		const char *name;
		const struct ipo_insn *p;
		u32 len, pc;
		u8 flags;
		u32 fences;
	} c[] = {
		{ "forward, no fence", fwd, ARRAY_SIZE(fwd), 0, 0, 0 },
		{ "forward, taken", fwd, ARRAY_SIZE(fwd), 0,
		  IPO_AUX_FENCE_TAKEN, 1 },
		{ "forward, fall-through", fwd, ARRAY_SIZE(fwd), 0,
		  IPO_AUX_FENCE_FALL, 1 },
		{ "forward, both", fwd, ARRAY_SIZE(fwd), 0,
		  IPO_AUX_FENCE_TAKEN | IPO_AUX_FENCE_FALL, 2 },
		{ "back edge, taken", back, ARRAY_SIZE(back), 1,
		  IPO_AUX_FENCE_TAKEN, 1 },
		{ "back edge, both", back, ARRAY_SIZE(back), 1,
		  IPO_AUX_FENCE_TAKEN | IPO_AUX_FENCE_FALL, 2 },
	};
	u64 args[5] = { 0 };
	char name[96];
	struct t_run t;
	u32 i, a;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		t_exec(&t, c[i].p, c[i].len, 100, NULL);
		t.aux[c[i].pc].flags |= c[i].flags;
		snprintf(name, sizeof(name), "fence: %s: %u lfence(s)",
			 c[i].name, c[i].fences);
		EXPECT_EQ(name, t_lfences(&t, c[i].pc), c[i].fences);
		for (a = 3; a <= 5; a++) {
			args[0] = a;
			t_exec(&t, c[i].p, c[i].len, 100, NULL);
			t.aux[c[i].pc].flags |= c[i].flags;
			t_go(&t, args);
		}
	}
}

/* The JIT alone, on @mem: r0, or ~0 when it does not compile. */
static u64 t_jit_on(struct t_run *t, const struct ipo_jit_mem *mem,
		    const u64 *args)
{
	struct ipo_jit_image img;
	u64 r0;

	if (ipo_jit_compile(&t->prog, mem, &img))
		return ~0ULL;
	r0 = ipo_jit_run(&img, &t->run, args);
	ipo_jit_free(&img);
	return r0;
}

/* Occurrences of the bytes @pat in the JIT code of the instruction @pc. */
static u32 t_code_has(const struct t_run *t, u32 pc, const u8 *pat, u32 n)
{
	struct ipo_jit_image img;
	const u8 *code;
	u32 i, hits = 0;

	if (ipo_jit_compile(&t->prog, &ipo_jit_host_mem, &img))
		return ~0U;
	code = (const u8 *)img.entry;
	for (i = img.insn_off[pc]; i + n <= img.insn_off[pc + 1]; i++)
		hits += !memcmp(code + i, pat, n);
	ipo_jit_free(&img);
	return hits;
}

/*
 * IPO_AUX_SPEC_MASK: a proven access gets a cmovae that takes the region's
 * base for an offset at or past spec_valid.  The verifier proves such an
 * offset never happens, so with it the engines agree; forced here (only a
 * mispredicted jump gives it on a real run), the JIT's access lands on the
 * base while the interpreter's does not, which shows the mask at work.
 */
static void test_spec_mask(void)
{
	static const struct ipo_insn ld[] = { LDX(IPO_B, 0, 1, 2), EXIT() };
	static const struct ipo_insn ld64[] = { LDX(IPO_DW, 0, 1, 0), EXIT() };
	static const u8 cmovae[] = { 0x4d, 0x0f, 0x43 };	/* cmovae r11, [] */
	u8 mem[24];
	u64 args[5] = { 0 };
	struct t_run t;
	u32 i;

	for (i = 0; i < sizeof(mem); i++)
		mem[i] = 0x10 + i;
	/* r0 = *(u8 *)(r1 + 2), 16 valid offsets from mem */
	t_exec(&t, ld, ARRAY_SIZE(ld), 100, NULL);
	t.aux[0].flags |= IPO_AUX_SPEC_MASK;
	t.aux[0].region = IPO_RGN_MEM;
	t.aux[0].spec_valid = 16;
	EXPECT_EQ("spec mask: one cmovae", t_code_has(&t, 0, cmovae, 3), 1);
	for (i = 0; i <= 14; i++) {
		quiet = i != 14;
		t_exec(&t, ld, ARRAY_SIZE(ld), 100, NULL);
		t.aux[0].flags |= IPO_AUX_SPEC_MASK;
		t.aux[0].region = IPO_RGN_MEM;
		t.aux[0].spec_valid = 16;
		t.run.base[IPO_RGN_MEM] = (u64)(unsigned long)mem;
		t.run.size[IPO_RGN_MEM] = sizeof(mem);
		args[0] = (u64)(unsigned long)mem + i - 1;
		t_go(&t, args);
		EXPECT_EQ("spec mask: valid offsets load as they are", t.r0,
			  mem[i + 1]);
	}
	quiet = false;
	/* Offset 16 (r1 = mem + 14), and one below the base (mem - 3). */
	args[0] = (u64)(unsigned long)mem + 14;
	EXPECT_EQ("spec mask: the first offset past it loads the base",
		  t_jit_on(&t, &ipo_jit_host_mem, args), mem[0]);
	args[0] = (u64)(unsigned long)mem - 3;
	EXPECT_EQ("spec mask: an offset below the base loads the base",
		  t_jit_on(&t, &ipo_jit_host_mem, args), mem[0]);

	/* A u64: 9 valid offsets of 16 bytes; offset 8 loads, 9 is masked. */
	t_exec(&t, ld64, ARRAY_SIZE(ld64), 100, NULL);
	t.aux[0].flags |= IPO_AUX_SPEC_MASK;
	t.aux[0].region = IPO_RGN_MEM;
	t.aux[0].spec_valid = 9;
	t.run.base[IPO_RGN_MEM] = (u64)(unsigned long)mem;
	t.run.size[IPO_RGN_MEM] = 16;
	args[0] = (u64)(unsigned long)mem + 8;
	t_go(&t, args);
	EXPECT_EQ("spec mask: u64 at the last valid offset", t.r0,
		  0x1f1e1d1c1b1a1918ULL);
	args[0] = (u64)(unsigned long)mem + 9;
	EXPECT_EQ("spec mask: u64 one past it loads the base",
		  t_jit_on(&t, &ipo_jit_host_mem, args), 0x1716151413121110ULL);

	/* A count beyond S32_MAX compares as S32_MAX: still compiles, runs. */
	t.aux[0].spec_valid = 0x80000005U;
	args[0] = (u64)(unsigned long)mem + 3;
	t_go(&t, args);
	EXPECT_EQ("spec mask: a huge count", t.r0, 0x1a19181716151413ULL);
	/* No proof recorded: the JIT refuses rather than guess. */
	t.aux[0].spec_valid = 0;
	EXPECT_EQ("spec mask: no count, no code",
		  t_jit_on(&t, &ipo_jit_host_mem, args), ~0ULL);
}

/*
 * IPO_AUX_SPEC_DYN: an access proven by a relation to the region's
 * run-time size (`i < ctx->arg_size`) is masked against the run-time
 * count of valid offsets, with no branch to an abort: valid offsets load
 * as they are on both engines, and a forced one past the size (only a
 * mispredicted jump gives it) loads the base on the JIT.
 */
static void test_spec_dyn(void)
{
	static const struct ipo_insn ld[] = { LDX(IPO_B, 0, 1, 2), EXIT() };
	static const u8 cmovae[] = { 0x4d, 0x0f, 0x43 };	/* cmovae r11, [] */
	static const u8 jae[] = { 0x0f, 0x83 };			/* jae rel32 */
	u8 mem[24];
	u64 args[5] = { 0 };
	struct t_run t;
	u32 i;

	for (i = 0; i < sizeof(mem); i++)
		mem[i] = 0x30 + i;
	for (i = 0; i <= 14; i++) {
		quiet = i != 14;
		t_exec(&t, ld, ARRAY_SIZE(ld), 100, NULL);
		t.aux[0].flags |= IPO_AUX_SPEC_DYN;
		t.aux[0].region = IPO_RGN_MEM;
		t.run.base[IPO_RGN_MEM] = (u64)(unsigned long)mem;
		t.run.size[IPO_RGN_MEM] = 16;
		args[0] = (u64)(unsigned long)mem + i - 1;
		t_go(&t, args);
		EXPECT_EQ("spec dyn: valid offsets load as they are", t.r0,
			  mem[i + 1]);
	}
	quiet = false;
	EXPECT_EQ("spec dyn: one cmovae", t_code_has(&t, 0, cmovae, 3), 1);
	EXPECT_EQ("spec dyn: no branch to an abort",
		  t_code_has(&t, 0, jae, 2), 0);
	/* Offset 16 of a 16-byte run: past it, the base. */
	args[0] = (u64)(unsigned long)mem + 14;
	EXPECT_EQ("spec dyn: past the run-time size loads the base",
		  t_jit_on(&t, &ipo_jit_host_mem, args), mem[0]);
	args[0] = (u64)(unsigned long)mem - 3;
	EXPECT_EQ("spec dyn: below the base loads the base",
		  t_jit_on(&t, &ipo_jit_host_mem, args), mem[0]);
	/* The same with a larger run: offset 16 is valid now. */
	t.run.size[IPO_RGN_MEM] = 24;
	args[0] = (u64)(unsigned long)mem + 14;
	EXPECT_EQ("spec dyn: the count is the run's, not a constant",
		  t_jit_on(&t, &ipo_jit_host_mem, args), mem[16]);
}

/*
 * IPO_AUX_SPEC_FRAME: a stack access at a variable offset is kept inside
 * the bytes the verifier proved, [fp + spec_lo, + spec_valid - 1 +
 * width): in range the engines agree; a forced index past them (only a
 * mispredicted jump gives it) reaches fp + spec_lo on the JIT.
 */
static void test_spec_frame(void)
{
	/*
	 * fp-16..fp-1 = 0x10..0x1f; r1 = r10 + r2 (r2 an offset below fp);
	 * r0 = *(u8 *)(r1 + 0)
	 */
	static const struct ipo_insn ld[] = {
		LDDW(3, 0x1716151413121110ULL), STX(IPO_DW, 10, 3, -16),
		LDDW(3, 0x1f1e1d1c1b1a1918ULL), STX(IPO_DW, 10, 3, -8),
		MOV64_X(1, 10), ALU64_X(IPO_ADD, 1, 2),
		LDX(IPO_B, 0, 1, 0), EXIT(),
	};
	const u32 pc = 8;
	u64 args[5] = { 0 };
	struct t_run t;
	s64 o;

	for (o = -16; o <= -1; o++) {
		quiet = o != -1;
		t_exec(&t, ld, ARRAY_SIZE(ld), 100, NULL);
		t.aux[pc].flags |= IPO_AUX_SPEC_FRAME;
		t.aux[pc].region = IPO_RGN_STACK;
		t.aux[pc].spec_lo = -16;
		t.aux[pc].spec_valid = 16;
		args[1] = (u64)o;
		t_go(&t, args);
		EXPECT_EQ("spec frame: proven offsets load as they are", t.r0,
			  (u64)(0x20 + o));
	}
	quiet = false;
	args[1] = 0;		/* fp itself: past the last proven byte */
	EXPECT_EQ("spec frame: past the bytes loads the first",
		  t_jit_on(&t, &ipo_jit_host_mem, args), 0x10);
	args[1] = (u64)-17;	/* below them */
	EXPECT_EQ("spec frame: below the bytes loads the first",
		  t_jit_on(&t, &ipo_jit_host_mem, args), 0x10);
	args[1] = (u64)-4096;	/* far below, where a wrapped index goes */
	EXPECT_EQ("spec frame: far below loads the first",
		  t_jit_on(&t, &ipo_jit_host_mem, args), 0x10);
	/* No count: the JIT refuses rather than guess. */
	t.aux[pc].spec_valid = 0;
	EXPECT_EQ("spec frame: no count, no code",
		  t_jit_on(&t, &ipo_jit_host_mem, args), ~0ULL);
}

/*
 * IPO_AUX_SPEC_EXACT: a stack or context access is made at the offset
 * the verifier proved, whatever the register holds.  A register holding
 * the right pointer runs the same on both engines; one holding anything
 * else (a mispredicted jump's value) still reaches the proven slot on the
 * JIT, which is the point (the interpreter is not asked).
 */
static void test_spec_exact(void)
{
	/* r2 = r10; r2 += -8; *(u64 *)(r2 + 0) = r1; r0 = *(r10 - 8) */
	static const struct ipo_insn st[] = {
		MOV64_X(2, 10), ALU64_K(IPO_ADD, 2, -8), STX(IPO_DW, 2, 1, 0),
		LDX(IPO_DW, 0, 10, -8), EXIT(),
	};
	/* r2 = junk; *(u64 *)(r2 + 0) = r1; r0 = *(r10 - 8) */
	static const struct ipo_insn junk[] = {
		MOV64_K(2, 0x1234), STX(IPO_DW, 2, 1, 0),
		LDX(IPO_DW, 0, 10, -8), EXIT(),
	};
	/* r0 = *(u64 *)(r2 + 0): the context's second word */
	static const struct ipo_insn ctx[] = { LDX(IPO_DW, 0, 2, 0), EXIT() };
	u64 words[2] = { 0x1111, 0x2222 };
	u64 args[5] = { 0x5a5a, (u64)(unsigned long)words };
	struct t_run t;

	t_exec(&t, st, ARRAY_SIZE(st), 100, NULL);
	t.aux[2].flags |= IPO_AUX_SPEC_EXACT | IPO_AUX_SPEC_OFF;
	t.aux[2].region = IPO_RGN_STACK;
	t.aux[2].spec_off = -8;
	t_go(&t, args);
	EXPECT_EQ("spec exact: stack store at fp-8", t.r0, 0x5a5a);

	t_exec(&t, junk, ARRAY_SIZE(junk), 100, NULL);
	t.aux[1].flags |= IPO_AUX_SPEC_EXACT | IPO_AUX_SPEC_OFF;
	t.aux[1].region = IPO_RGN_STACK;
	t.aux[1].spec_off = -8;
	EXPECT_EQ("spec exact: a junk register still stores at fp-8",
		  t_jit_on(&t, &ipo_jit_host_mem, args), 0x5a5a);

	t_exec(&t, ctx, ARRAY_SIZE(ctx), 100, NULL);
	t.aux[0].flags |= IPO_AUX_SPEC_EXACT | IPO_AUX_SPEC_OFF;
	t.aux[0].region = IPO_RGN_CTX;
	t.aux[0].spec_off = 8;
	t.run.base[IPO_RGN_CTX] = (u64)(unsigned long)words;
	t.run.size[IPO_RGN_CTX] = sizeof(words);
	args[1] = (u64)(unsigned long)words + 8;
	t_go(&t, args);
	EXPECT_EQ("spec exact: context load at ctx+8", t.r0, 0x2222);
	args[1] = 0x1234;
	EXPECT_EQ("spec exact: a junk register still loads ctx+8",
		  t_jit_on(&t, &ipo_jit_host_mem, args), 0x2222);
	/* Two visits that disagreed: the JIT refuses. */
	t.aux[0].spec_off = S32_MIN;
	EXPECT_EQ("spec exact: no single offset, no code",
		  t_jit_on(&t, &ipo_jit_host_mem, args), ~0ULL);
}

/*
 * IPO_AUX_TAKEN or _FALLS alone: the verifier found the jump going one
 * way only, and the JIT emits a jmp or nothing.  Forced against the
 * register's value here, the JIT follows the mark, not the test.
 */
static void test_spec_wired(void)
{
	/* 0: if r1 != 5 goto 2; 1: r0 = 1; 2: r0 += 2 */
	static const struct ipo_insn p[] = {
		JNE_K(1, 5, 1), MOV64_K(0, 1), ALU64_K(IPO_ADD, 0, 2), EXIT(),
	};
	static const u8 jmp[] = { 0xe9 };
	u64 args[5] = { 5 };
	struct t_run t;

	t_exec(&t, p, ARRAY_SIZE(p), 100, NULL);
	t.aux[0].flags |= IPO_AUX_TAKEN | IPO_AUX_FALLS;
	t_go(&t, args);
	EXPECT_EQ("spec wired: both edges: a conditional jump", t.r0, 3);

	t_exec(&t, p, ARRAY_SIZE(p), 100, NULL);
	t.aux[0].flags |= IPO_AUX_TAKEN;
	EXPECT_EQ("spec wired: taken only: one jmp, no compare",
		  t_code_len(&t, 0) == 5 && t_code_has(&t, 0, jmp, 1) == 1, 1);
	EXPECT_EQ("spec wired: taken only: jumps whatever r1 is",
		  t_jit_on(&t, &ipo_jit_host_mem, args), 2);
	args[0] = 4;
	t_go(&t, args);
	EXPECT_EQ("spec wired: taken only: as the interpreter when true",
		  t.r0, 2);

	t_exec(&t, p, ARRAY_SIZE(p), 100, NULL);
	t.aux[0].flags |= IPO_AUX_FALLS;
	EXPECT_EQ("spec wired: never taken: no code", t_code_len(&t, 0), 0);
	args[0] = 4;
	EXPECT_EQ("spec wired: never taken: falls whatever r1 is",
		  t_jit_on(&t, &ipo_jit_host_mem, args), 3);
}

/*
 * The return thunk (ipo_jit_mem.ret_thunk): on the host a counting stub,
 * with the code mapped within rel32 reach of it.  Every return of the
 * image, the main function's and each subprogram's, jumps to it.
 */
u64 t_thunk_calls;
void t_thunk(void);
asm(".pushsection .text\n"
    ".globl t_thunk\n"
    ".type t_thunk, @function\n"
    "t_thunk:\n"
    "\tlock incq t_thunk_calls(%rip)\n"
    "\tret\n"
    "\tint3\n"
    ".size t_thunk, . - t_thunk\n"
    ".popsection\n");

static void *t_thunk_near(const struct ipo_jit_mem *mem)
{
	return (void *)t_thunk;
}

static void *t_thunk_far(const struct ipo_jit_mem *mem)
{
	return (void *)0x10000;
}

/* ipo_jit_host_mem, but mapped near t_thunk when the kernel lets it. */
static int t_near_alloc(const struct ipo_jit_mem *mem, u32 size, void **rw,
			void **rx)
{
	static const s64 hint[] = { 1LL << 30, -(1LL << 30), 1LL << 28,
				    -(1LL << 28) };
	size_t span = (size + 4095) & ~4095UL;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(hint); i++) {
		u8 *want = (u8 *)(((unsigned long)t_thunk & ~4095UL) + hint[i]);
		u8 *p = mmap(want, span, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		s64 d;

		if (p == MAP_FAILED)
			continue;
		d = (s64)((unsigned long)t_thunk - (unsigned long)p);
		if (d > -(1LL << 31) + (s64)span && d < (1LL << 31) - (s64)span) {
			memset(p, 0xcc, span);
			*rw = *rx = p;
			return 0;
		}
		munmap(p, span);
	}
	return -ENOMEM;
}

static void test_ret_thunk(void)
{
	/*
	 * 0: call 3; 1: r0 += 1; 2: exit; 3: r0 = 5; 4: call 6; 5: exit;
	 * 6: r0 *= 2; 7: exit: three returns, r0 = 11
	 */
	static const struct ipo_insn p[] = {
		CALL_LOCAL(2), ALU64_K(IPO_ADD, 0, 1), EXIT(),
		MOV64_K(0, 5), CALL_LOCAL(1), EXIT(),
		ALU64_K(IPO_MUL, 0, 2), EXIT(),
	};
	struct ipo_jit_mem near = ipo_jit_host_mem, far = ipo_jit_host_mem;
	struct t_run t;
	u64 r0;

	near.alloc = t_near_alloc;
	near.ret_thunk = t_thunk_near;
	far.ret_thunk = t_thunk_far;
	t_exec(&t, p, ARRAY_SIZE(p), 100, NULL);
	t_go(&t, NULL);
	EXPECT_EQ("ret thunk: none: r0", t.r0, 11);
	EXPECT_EQ("ret thunk: none: a ret and an int3 at each exit",
		  t_code_has(&t, 7, (const u8 []){ 0xc3, 0xcc }, 2), 1);

	t_exec(&t, p, ARRAY_SIZE(p), 100, NULL);
	t_thunk_calls = 0;
	r0 = t_jit_on(&t, &near, NULL);
	if (r0 == ~0ULL) {
		tap_skip("no mapping in reach", "ret thunk: near");
	} else {
		EXPECT_EQ("ret thunk: near: r0", r0, 11);
		EXPECT_EQ("ret thunk: near: every return jumps to it",
			  t_thunk_calls, 3);
	}
	EXPECT_EQ("ret thunk: out of reach: no code",
		  t_jit_on(&t, &far, NULL), ~0ULL);
}

int main(void)
{
	tap_start();
	test_fuel();
	test_bounds();
	test_bounds_widths();
	test_bounds_short();
	test_fences();
	test_spec_mask();
	test_spec_dyn();
	test_spec_frame();
	test_spec_exact();
	test_spec_wired();
	test_ret_thunk();
	test_calls();
	test_alu();
	test_udivmod();
	test_guards();
	test_disasm();
	return tap_end();
}
