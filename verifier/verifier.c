// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The verifier: proves a program safe to run before anything runs it.
 *
 * Two stages.  A structural pre-scan checks every instruction against the
 * opcode table, finds the functions (bpf-to-bpf call targets), checks jump
 * targets, builds the call graph (acyclic, at most IPO_MAX_CALL_DEPTH
 * frames) and finds the loop headers (targets of back edges).  Then one
 * forward pass per function, in instruction order, interprets the program
 * over abstract states (register types, known bits, ranges, the frame's
 * bytes) and joins the states of all edges that meet at a jump target.
 *
 * Loops.  The pass is single-forward, so the state at a loop header must
 * be fixed before the body is visited.  The first attempt uses the state
 * that arrives from before the loop.  Every back edge then has to be
 * contained in (⊑) the header's state; if it is, the header state is an
 * invariant of the loop and the body's analysis holds for every iteration.
 * If it is not, the header state is widened (anything that changed becomes
 * unknown: scalar ranges are dropped, pointer offsets become fully
 * variable, type conflicts become unreadable) and the body is analysed
 * again from the header.  A header's first widening moves a scalar's
 * grown bounds only to the nearest constant its register is tested
 * against in the loop (the exit test of a counted loop), see
 * ipo_widen_thresh().  Each header gets IPO_LOOP_ATTEMPTS attempts;
 * widening reaches its top in four steps (threshold, range, then unknown,
 * then unreadable), so a loop that still does not fit is rejected with the
 * first register or stack slot that escapes.  A second attempt re-visits
 * the body from the header, so every edge from inside the loop comes
 * again; only an edge that enters the body from before the header of a
 * loop around its target (a side entry, found by the pre-scan's
 * innermost-loop map) would be lost, so the state of such a target is
 * kept until the pass leaves the loop, and only that one: keeping every
 * branch state of a loop body held one state per instruction of the body.
 * Termination at run time is not the verifier's business: fuel, charged
 * at back edges, bounds it.
 *
 * Limits.  A load must not pin unbounded kernel memory or CPU time, and a
 * killed loader must stop at once.  Every allocation of the pass goes
 * through ipo_valloc(), which counts what the allocator really hands out
 * (ipo_alloc_size(): slab buckets, page rounding) against a budget that
 * grows with the program: IPO_MEM_BASE, IPO_MEM_PER_INSN per instruction
 * and IPO_MEM_PER_FUNC per function, never more than IPO_MEM_MAX.
 * Running out rejects the program (E2BIG, "verifier memory limit"); the
 * states waiting at the targets of pending forward edges are what an
 * adversary can multiply, one full state (some 5 KiB, 8 KiB of slab) per
 * pending target.  Freed states are reused (they still count), so the
 * pass does not allocate at every jump target.  The work of the pass is
 * counted in units of about one instruction's visit: a visit is one; a
 * copy, join or containment test of a state costs in proportion to its
 * stack slots plus the registers and slots that differ
 * (ipo_state_cost()); a threshold scan in proportion to its loop.
 * Straight-line code costs one to a dozen units per instruction; loops
 * re-visit their bodies a bounded number of times and nested loops
 * multiply that, so a program may spend IPO_WORK_FACTOR units per
 * instruction but never more than IPO_WORK_MAX in all (E2BIG, "work
 * limit"): a few tenths of a second whatever its shape.  Every
 * IPO_CHECK_EVERY units, and every IPO_SCAN_CHECK instructions of the
 * pre-scans, the pass yields the CPU and stops with -EINTR if the loader
 * got a fatal signal.  The limits depend on nothing but the program (and,
 * for memory, on x86-64's allocator buckets, which the host build models),
 * so the host and the module give the same verdict.
 *
 * Functions.  Each function is verified once, callers before callees (a
 * topological order of the acyclic call graph).  A callee's entry state is
 * the join of r1..r5 over every reachable call site.  Pointers to the
 * caller's stack are not passed: such an argument arrives unreadable, so a
 * callee can never touch another frame, and the caller's frame and r6..r9
 * survive every call unchanged.  A callee returns an unknown scalar in r0
 * (it must exit with an initialised scalar, like the main function).
 *
 * Helper memory arguments (MEM_RO/MEM_RW + SIZE) must be proved in bounds
 * statically, also for regions with IPO_RGNF_DYN: the helper gets no
 * run-time check from us.  Stack memory passed to helpers must be
 * initialised (MEM_RO) and may not contain spilled pointers.
 *
 * Run-time checks.  An access to a region that cannot be proved inside
 * [0, min_size) is accepted only for IPO_RGNF_DYN regions and marked
 * IPO_AUX_RT_CHECK; the executor checks (u64)(addr - base) against the
 * region's size.  That check is relative to the region's base, so pointer
 * offsets may grow without bound (e.g. after widening) without weakening
 * it.  Every visit of a region access whose offset is not a constant or
 * was moved by a register (see Speculation), or whose whole span (lowest
 * byte to one past the highest) is not provably inside [0, IPO_PTR_BOUND],
 * also sets IPO_AUX_RT_FULL.  A checked access
 * without it is, on every path, at a constant address at or above the
 * base that has not wrapped (struct ipo_run), with no index that
 * speculation past a branch could move below the base, and the JIT checks
 * it against the region's end alone.  Comparisons of two pointers, which
 * compare absolute addresses, are allowed only when both offsets are
 * provably within IPO_PTR_BOUND, where no address can wrap and the result
 * depends on the offsets alone.  A pointer tested against 0 (64-bit == or
 * !=) is decided, not compared: region bases are real memory (struct
 * ipo_run), so with its offset between the region's start and
 * IPO_PTR_BOUND it is never NULL.
 * Atomics must be provably naturally aligned (regions and the stack are
 * assumed 8-byte aligned at their base).
 *
 * Sizes learned from tests.  A context field or entry register the program
 * type describes with size_of holds exactly a region's run-time size (the
 * executor sets both from one value, and neither changes during a run).
 * Loaded (full width, zero-extended) or copied whole, the scalar carries
 * that tag; any other operation on it drops it.  When a conditional jump
 * leaves a tagged scalar with umin >= N on one edge, the state of that edge
 * records size_min[region] >= N, and accesses (and helper memory) provably
 * inside [0, N) need no run-time check: the packet-bounds idea, for sizes.
 * Joins keep the smaller bound, containment at a loop header needs the
 * header's bound to be no larger, and a function starts knowing nothing.
 * The edge that learned a bound is marked (IPO_AUX_FENCE_TAKEN/FALL): a
 * mispredicted test must not let the CPU run ahead, with a smaller region,
 * into accesses that now go unchecked, so the JIT fences the edge.
 *
 * Speculation.  What a jump teaches holds on its edge only architecturally:
 * a CPU that mispredicts it runs on with the registers as they are.  Jumps
 * narrow scalars (and sizes, fenced) and nothing else, so a pointer is off
 * on such a path only through a register scalar added to or subtracted
 * from it; that marks the pointer IPO_VRF_MOVED.  An access through a
 * moved pointer, or at a variable offset, gets a mask in the JIT (regions,
 * IPO_AUX_SPEC_MASK, with the count of valid offsets proven on every
 * visit) or is made at its proven offset (stack and context,
 * IPO_AUX_SPEC_EXACT).  The edges followed are recorded (IPO_AUX_TAKEN,
 * IPO_AUX_FALLS): a jump that only goes one way is hard-wired, so no
 * misprediction enters an edge whose state was never checked.
 */
#include "internal.h"
#include "../base/disasm.h"

#define IPO_LOOP_ATTEMPTS	4

/* Limits of one verification: see "Limits" above. */
#define IPO_MEM_BASE		(1U << 20)
#define IPO_MEM_PER_INSN	128
#define IPO_MEM_PER_FUNC	512
#define IPO_MEM_MAX		(64U << 20)
#define IPO_WORK_BASE		65536
#define IPO_WORK_FACTOR		32
#define IPO_WORK_MAX		(16U << 20)
#define IPO_CHECK_EVERY		1024
#define IPO_SCAN_CHECK		65536

/* Per-instruction facts of the pre-scan. */
#define IPO_FL_LDDW2	0x01	/* second slot of an lddw */
#define IPO_FL_TARGET	0x02	/* some jump lands here */
#define IPO_FL_HEADER	0x04	/* some back edge lands here */
#define IPO_FL_START	0x08	/* first instruction of a function */
#define IPO_FL_KEPT	0x10	/* saved state consumed but kept for a retry */
#define IPO_FL_SIDE	0x20	/* a side entry into a loop lands here */

#define IPO_NO_PC	U32_MAX

struct ipo_hdr {
	u32 pc;
	u32 end;		/* last back edge to it */
	u32 attempts;
	u32 outer;		/* ipo_loop_of() its header pc, + 1 */
	struct ipo_vstate *w;	/* the header state, NULL before / if dead */
};

struct ipo_call_edge {
	u32 pc;
	u32 callee;
};

struct ipo_func {
	u32 start, end;
	u32 depth;		/* bytes of stack it touches */
	u32 chain;		/* deepest chain of frames from here, bytes */
	u32 frames;		/* deepest chain of frames reaching it */
	u32 edge0, nedges;	/* its calls in env->edges */
	u32 indeg;
	bool called;
	struct ipo_vreg args[5];
};

struct ipo_env {
	struct ipo_prog *prog;
	const struct ipo_prog_type *type;
	struct ipo_vlog *log;
	const struct ipo_insn *insns;
	struct ipo_insn_aux *aux;
	u32 len;

	u8 *fl;
	struct ipo_vstate **saved;
	struct ipo_hdr *hdr;
	/*
	 * pc -> index in hdr for a header; for any other pc, 1 + the index of
	 * the last header before it whose loop spans it (0: none).
	 */
	u32 *hidx;
	u32 *fidx;		/* pc -> index in fn, for function starts */
	u32 nhdr;
	u32 hfree;		/* headers below this one are closed */
	struct ipo_func *fn;
	u32 nfn;
	struct ipo_call_edge *edges;
	u32 nedges;
	u32 *order;

	struct ipo_vstate *cur;
	bool live;
	u32 func;
	u32 restart_pc;

	/* Loop retries: states kept while the pass is inside an open loop. */
	bool open;
	bool no_retry;
	/*
	 * A loop has been restarted and the pass has not yet left every open
	 * loop: the re-verification still needs the kept states, so the
	 * state budget may not take them back (see ipo_state_alloc()).
	 */
	bool retrying;
	u32 open_until;
	u32 *kept;		/* the pcs whose saved state is kept */
	u32 nkept, kept_cap;
	u32 nsaved;		/* states in saved[] */

	u64 visits;		/* instruction visits, for the log */
	u64 work, work_max;	/* see "Limits" */
	u64 next_check;
	size_t mem, mem_max, mem_peak;
	u32 nfn_cap, nhdr_cap, nedges_cap;	/* allocated sizes */
	/* Freed states by capacity, for reuse (still counted in mem). */
	struct ipo_vstate *spare[IPO_SLOTS + 1];
	bool over_mem;
	bool logged;
	char rbuf[2][IPO_VREG_STR];
};

static const char *ipo_rstr(struct ipo_env *env, int which,
			    const struct ipo_vreg *r)
{
	return ipo_vreg_str(r, env->rbuf[which], IPO_VREG_STR);
}

/* One message per rejection: "pc: what ; file.c:line: source". */
__printf(3, 4)
static int ipo_err(struct ipo_env *env, u32 pc, const char *fmt, ...)
{
	va_list ap;

	if (env->logged)
		return -EINVAL;
	env->logged = true;
	ipo_vlog_printf(env->log, "%u: ", pc);
	va_start(ap, fmt);
	ipo_vlog_vprintf(env->log, fmt, ap);
	va_end(ap);
	ipo_vlog_src(env->log, pc);
	ipo_vlog_printf(env->log, "\n");
	return -EINVAL;
}

/* ---- memory and work --------------------------------------------------- */

/* Allocates @sz zeroed bytes within the memory budget (see "Limits"). */
static void *ipo_valloc(struct ipo_env *env, size_t sz)
{
	size_t real = ipo_alloc_size(sz);
	void *p;

	if (real > env->mem_max - env->mem) {
		env->over_mem = true;
		return NULL;
	}
	p = ipo_zalloc(sz);
	if (!p)
		return NULL;
	env->mem += real;
	if (env->mem > env->mem_peak)
		env->mem_peak = env->mem;
	return p;
}

/* Frees what ipo_valloc(env, @sz) returned; NULL is fine. */
static void ipo_vfree(struct ipo_env *env, void *p, size_t sz)
{
	if (!p)
		return;
	env->mem -= ipo_alloc_size(sz);
	ipo_free(p);
}

/* -E2BIG when the memory budget said no, else -ENOMEM. */
static int ipo_nomem(struct ipo_env *env)
{
	return env->over_mem ? -E2BIG : -ENOMEM;
}

/*
 * Work units (see "Limits") of a copy or comparison of @st: a unit is
 * about what a simple instruction's visit takes, some 20 ns on today's
 * x86, and moving or comparing 16 slots takes about as long.  Registers
 * and slots that a join or a containment test really has to work on
 * (ipo_state_join()'s count; every slot, for containment) take about
 * half a unit each on top.
 */
static u32 ipo_state_cost(const struct ipo_vstate *st)
{
	return 1 + st->nslots / 16;
}

static u32 ipo_join_cost(const struct ipo_vstate *st, u32 joined)
{
	return ipo_state_cost(st) + joined / 2;
}

/* ---- states ------------------------------------------------------------ */

static size_t ipo_state_size(u32 cap)
{
	return sizeof(struct ipo_vstate) + (size_t)cap * sizeof(struct ipo_vslot);
}

static void ipo_release_kept(struct ipo_env *env);

/* Really frees the spare states (they still count against the budget). */
static void ipo_drop_spares(struct ipo_env *env)
{
	struct ipo_vstate *st;
	u32 cap;

	for (cap = 0; cap <= IPO_SLOTS; cap++) {
		while ((st = env->spare[cap])) {
			env->spare[cap] = *(struct ipo_vstate **)st;
			ipo_vfree(env, st, ipo_state_size(cap));
		}
	}
}

/*
 * A state with room for at least @cap slots; its registers and slots are
 * garbage until ipo_state_copy() fills them (slots at and above nslots
 * are zero).  A spare one of the same or a larger capacity comes first.
 */
static struct ipo_vstate *ipo_state_alloc(struct ipo_env *env, u32 cap)
{
	struct ipo_vstate *st;
	u32 c;

	for (c = cap; c <= IPO_SLOTS; c++) {
		st = env->spare[c];
		if (st) {
			env->spare[c] = *(struct ipo_vstate **)st;
			return st;
		}
	}
	if (ipo_alloc_size(ipo_state_size(cap)) > env->mem_max - env->mem)
		ipo_drop_spares(env);
	/*
	 * Give up on loop retries before giving up on the program, but only
	 * while no loop is being re-verified: a re-verification that lost the
	 * kept states of edges entering the loop body from before its header
	 * would analyse those instructions without them (unsound), so then
	 * the program is too complex instead.
	 */
	if (ipo_alloc_size(ipo_state_size(cap)) > env->mem_max - env->mem &&
	    env->nkept && !env->retrying) {
		ipo_release_kept(env);
		ipo_drop_spares(env);
		env->no_retry = true;
	}
	st = ipo_valloc(env, ipo_state_size(cap));
	if (st)
		st->cap = cap;
	return st;
}

/* Puts @st aside for reuse: states come and go at every jump target. */
static void ipo_state_free(struct ipo_env *env, struct ipo_vstate *st)
{
	if (!st)
		return;
	*(struct ipo_vstate **)st = env->spare[st->cap];
	env->spare[st->cap] = st;
}

/* Slots at and above nslots stay zero (INVALID); keep it so on shrinking. */
static void ipo_state_set_nslots(struct ipo_vstate *st, u32 n)
{
	if (n < st->nslots)
		memset(&st->s[n], 0, (st->nslots - n) * sizeof(st->s[0]));
	st->nslots = n;
}

static void ipo_state_copy(struct ipo_vstate *dst, const struct ipo_vstate *src)
{
	memcpy(dst->r, src->r, sizeof(dst->r));
	memcpy(dst->size_min, src->size_min, sizeof(dst->size_min));
	ipo_state_set_nslots(dst, min(dst->nslots, src->nslots));
	memcpy(dst->s, src->s, src->nslots * sizeof(src->s[0]));
	dst->nslots = src->nslots;
}

static struct ipo_vstate *ipo_state_dup(struct ipo_env *env,
					const struct ipo_vstate *src)
{
	struct ipo_vstate *st = ipo_state_alloc(env, src->nslots);

	if (st)
		ipo_state_copy(st, src);
	return st;
}

static bool ipo_reg_is_ptr(const struct ipo_vreg *r, u8 region)
{
	return r->type == IPO_VT_PTR && r->region == region;
}

static void ipo_reg_ptr(struct ipo_vreg *r, u8 region, s32 off)
{
	ipo_vreg_const(r, 0);
	r->type = IPO_VT_PTR;
	r->region = region;
	r->off = off;
}

static void ipo_reg_not_init(struct ipo_vreg *r)
{
	memset(r, 0, sizeof(*r));
}

/* Fold the fixed offset into the variable part (for joins of pointers). */
static void ipo_ptr_fold_off(struct ipo_vreg *r)
{
	struct ipo_vreg c;

	ipo_vreg_const(&c, (u64)(s64)r->off);
	ipo_vreg_add(r, &c);
	r->off = 0;
}

static void ipo_reg_join(struct ipo_vreg *a, const struct ipo_vreg *b)
{
	struct ipo_vreg bb;

	if (a->type != b->type || a->region != b->region) {
		ipo_reg_not_init(a);
		return;
	}
	if (a->type == IPO_VT_NOT_INIT)
		return;
	if (a->size_of != b->size_of)
		a->size_of = IPO_RGN_NONE;
	a->flags |= b->flags;
	if (a->type == IPO_VT_PTR && a->off != b->off) {
		bb = *b;
		ipo_ptr_fold_off(a);
		ipo_ptr_fold_off(&bb);
		ipo_scalar_join(a, &bb);
		return;
	}
	ipo_scalar_join(a, b);
}

static bool ipo_var_unknown(const struct ipo_vreg *r)
{
	return ipo_tnum_is_unknown(r->var) && r->umin == 0 &&
	       r->umax == U64_MAX && r->smin == S64_MIN && r->smax == S64_MAX;
}

/* Is every value b stands for also one that a stands for? */
static bool ipo_reg_contains(const struct ipo_vreg *a, const struct ipo_vreg *b)
{
	if (a->type == IPO_VT_NOT_INIT)
		return true;
	if (a->type != b->type || a->region != b->region)
		return false;
	if (a->size_of && a->size_of != b->size_of)
		return false;
	if (a->type == IPO_VT_PTR) {
		/* Any offset: every access through it is masked or checked. */
		if (ipo_var_unknown(a))
			return true;
		if (a->off != b->off || (b->flags & ~a->flags))
			return false;
	}
	return ipo_scalar_contains(a, b);
}

static void ipo_reg_widen(struct ipo_vreg *a, const struct ipo_vreg *b)
{
	u8 flags;

	/* A pointer that differs only by IPO_VRF_MOVED keeps its offset. */
	if (a->type == IPO_VT_PTR && b->type == IPO_VT_PTR)
		a->flags |= b->flags;
	if (ipo_reg_contains(a, b))
		return;
	if (a->type != b->type || a->region != b->region ||
	    a->type == IPO_VT_NOT_INIT) {
		ipo_reg_not_init(a);
		return;
	}
	if (a->type == IPO_VT_SCALAR) {
		ipo_vreg_unknown(a);
		return;
	}
	flags = a->flags;
	ipo_vreg_unknown(a);
	a->type = IPO_VT_PTR;
	a->region = b->region;
	a->flags = flags;
	a->off = 0;
}

static bool ipo_slot_is_spill(const struct ipo_vslot *s)
{
	return s->kind[0] == IPO_SB_SPILL;
}

static bool ipo_slot_has_ptr(const struct ipo_vslot *s)
{
	return ipo_slot_is_spill(s) && s->spill.type == IPO_VT_PTR;
}

/* Byte-wise join; bytes of a spilled pointer never become data. */
static void ipo_slot_join_bytes(struct ipo_vslot *a, const struct ipo_vslot *b)
{
	bool aptr = ipo_slot_has_ptr(a), bptr = ipo_slot_has_ptr(b);
	int i;

	for (i = 0; i < 8; i++) {
		u8 ka = a->kind[i], kb = b->kind[i];

		if (ka == IPO_SB_INVALID || kb == IPO_SB_INVALID ||
		    (ka == IPO_SB_SPILL && aptr) ||
		    (kb == IPO_SB_SPILL && bptr))
			a->kind[i] = IPO_SB_INVALID;
		else
			a->kind[i] = IPO_SB_MISC;
	}
	memset(&a->spill, 0, sizeof(a->spill));
}

static void ipo_slot_join(struct ipo_vslot *a, const struct ipo_vslot *b,
			  bool widen)
{
	if (ipo_slot_is_spill(a) && ipo_slot_is_spill(b)) {
		if (widen)
			ipo_reg_widen(&a->spill, &b->spill);
		else
			ipo_reg_join(&a->spill, &b->spill);
		if (a->spill.type == IPO_VT_NOT_INIT)
			memset(a, 0, sizeof(*a));
		else if (widen && a->spill.type == IPO_VT_SCALAR &&
			 !ipo_reg_contains(&a->spill, &b->spill))
			ipo_slot_join_bytes(a, b);
		return;
	}
	ipo_slot_join_bytes(a, b);
}

static bool ipo_slot_contains(const struct ipo_vslot *a,
			      const struct ipo_vslot *b)
{
	int i;

	if (ipo_slot_is_spill(a))
		return ipo_slot_is_spill(b) &&
		       ipo_reg_contains(&a->spill, &b->spill);
	for (i = 0; i < 8; i++) {
		if (a->kind[i] == IPO_SB_INVALID)
			continue;
		/* a: MISC */
		if (b->kind[i] == IPO_SB_INVALID || ipo_slot_has_ptr(b))
			return false;
	}
	return true;
}

/*
 * dst = dst ⊔ src (widen: dst = dst ∇ src).  Equal registers and slots
 * are left as they are (x ⊔ x = x ∇ x = x), which most of them are where
 * two edges meet.  Returns how many were not, for the work count.
 */
static u32 ipo_state_join(struct ipo_vstate *dst, const struct ipo_vstate *src,
			  bool widen)
{
	u32 i, n = min(dst->nslots, src->nslots), joined = 0;

	for (i = 0; i < IPO_NREGS; i++) {
		if (!memcmp(&dst->r[i], &src->r[i], sizeof(dst->r[i])))
			continue;
		joined++;
		if (widen)
			ipo_reg_widen(&dst->r[i], &src->r[i]);
		else
			ipo_reg_join(&dst->r[i], &src->r[i]);
	}
	/* Facts hold after a join only if they held on both sides. */
	for (i = 0; i < IPO_NR_REGIONS; i++)
		dst->size_min[i] = min(dst->size_min[i], src->size_min[i]);
	ipo_state_set_nslots(dst, n);
	for (i = 0; i < n; i++) {
		if (!memcmp(&dst->s[i], &src->s[i], sizeof(dst->s[i])))
			continue;
		joined++;
		ipo_slot_join(&dst->s[i], &src->s[i], widen);
	}
	return joined;
}

static const struct ipo_vslot ipo_invalid_slot;

/* ipo_state_contains()'s *what for a region size fact (not R or fp-). */
#define IPO_WHAT_SIZE	(-(IPO_SLOTS + 1))

/*
 * Does a cover b?  On failure *what names the first difference.  Equal
 * registers and slots cover each other; *tested counts the others.
 */
static bool ipo_state_contains(const struct ipo_vstate *a,
			       const struct ipo_vstate *b, int *what,
			       u32 *tested)
{
	u32 i;

	for (i = 0; i < IPO_NREGS; i++) {
		if (!memcmp(&a->r[i], &b->r[i], sizeof(a->r[i])))
			continue;
		++*tested;
		if (!ipo_reg_contains(&a->r[i], &b->r[i])) {
			*what = i;
			return false;
		}
	}
	for (i = 0; i < IPO_NR_REGIONS; i++) {
		if (a->size_min[i] > b->size_min[i]) {
			*what = IPO_WHAT_SIZE;
			return false;
		}
	}
	for (i = 0; i < a->nslots; i++) {
		const struct ipo_vslot *bs = i < b->nslots ? &b->s[i] :
					     &ipo_invalid_slot;

		if (!memcmp(&a->s[i], bs, sizeof(*bs)))
			continue;
		++*tested;
		if (!ipo_slot_contains(&a->s[i], bs)) {
			*what = -1 - (int)i;
			return false;
		}
	}
	return true;
}

/* ---- pre-scan ---------------------------------------------------------- */

/*
 * The function @pc is in.  Call targets are function starts and take the
 * O(1) path: a binary search per call made verification O(n log n), and
 * cache-bound, for programs of many small functions.
 */
static u32 ipo_find_func(struct ipo_env *env, u32 pc)
{
	u32 lo = 0, hi = env->nfn;

	if (env->fidx && pc < env->len && (env->fl[pc] & IPO_FL_START))
		return env->fidx[pc];

	while (hi - lo > 1) {
		u32 mid = lo + (hi - lo) / 2;

		if (env->fn[mid].start <= pc)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static struct ipo_hdr *ipo_find_hdr(struct ipo_env *env, u32 pc)
{
	if (pc >= env->len || !(env->fl[pc] & IPO_FL_HEADER))
		return NULL;
	return &env->hdr[env->hidx[pc]];
}

/*
 * 1 + the index of the innermost loop around @pc whose header lies before
 * it: the last such header (loops whose headers come later start inside
 * it); 0 when there is none.
 */
static u32 ipo_loop_of(struct ipo_env *env, u32 pc)
{
	if (!env->hidx)
		return 0;
	if (env->fl[pc] & IPO_FL_HEADER)
		return env->hdr[env->hidx[pc]].outer;
	return env->hidx[pc];
}

/*
 * Does the edge from @pc to the later @t enter a loop from before its
 * header?  Only a loop whose header lies between them can be entered so,
 * and the last header before t whose loop spans t is the last candidate.
 */
static bool ipo_side_entry(struct ipo_env *env, u32 pc, u32 t)
{
	u32 l = ipo_loop_of(env, t);

	return l && env->hdr[l - 1].pc > pc;
}

/* Every IPO_SCAN_CHECK instructions of a pre-scan: a killed loader stops. */
static bool ipo_scan_stop(struct ipo_env *env, u32 pc)
{
	if (pc % IPO_SCAN_CHECK)
		return false;
	ipo_cond_resched();
	return ipo_fatal_signal_pending();
}

/* Where a jump at pc lands (64-bit arithmetic: never wraps). */
static s64 ipo_jump_target(const struct ipo_insn *insn, u32 pc)
{
	const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];

	if (oi->kind == IPO_K_JA && !(oi->flags & IPO_OPF_64))
		return (s64)pc + 1 + insn->imm;
	if (oi->kind == IPO_K_CALL)
		return (s64)pc + 1 + insn->imm;
	return (s64)pc + 1 + insn->off;
}

static bool ipo_is_jump(const struct ipo_opinfo *oi)
{
	return oi->kind == IPO_K_JA || oi->kind == IPO_K_JCOND;
}

static int ipo_check_insns(struct ipo_env *env)
{
	const struct ipo_insn *insns = env->insns;
	u32 pc, nfn = 1;

	env->fl[0] |= IPO_FL_START;
	for (pc = 0; pc < env->len; pc++) {
		const struct ipo_insn *insn = &insns[pc];
		const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];
		const char *why = "invalid instruction";
		s64 t;

		if (ipo_scan_stop(env, pc))
			return -EINTR;
		if (env->fl[pc] & IPO_FL_LDDW2)
			continue;
		if (oi->kind == IPO_K_INVALID)
			return ipo_err(env, pc, "unknown opcode 0x%02x",
				       insn->code);
		if (ipo_insn_check(insn, &why))
			return ipo_err(env, pc, "invalid insn 0x%02x: %s",
				       insn->code, why);
		if (oi->kind == IPO_K_LDDW) {
			const struct ipo_insn *hi = &insns[pc + 1];

			if (pc + 1 >= env->len)
				return ipo_err(env, pc,
					       "lddw is missing its second slot");
			if (hi->code || hi->dst || hi->src || hi->off)
				return ipo_err(env, pc,
					       "invalid lddw second slot");
			env->fl[pc + 1] |= IPO_FL_LDDW2;
			continue;
		}
		if (oi->kind != IPO_K_CALL || insn->src != IPO_PSEUDO_CALL)
			continue;
		t = ipo_jump_target(insn, pc);
		if (t < 0 || t >= env->len)
			return ipo_err(env, pc, "call out of range to %lld",
				       (long long)t);
		if (!(env->fl[t] & IPO_FL_START))
			nfn++;
		env->fl[t] |= IPO_FL_START;
		env->aux[t].flags |= IPO_AUX_SUBPROG | IPO_AUX_JUMP_TARGET;
	}
	/* A call must name the first slot of an instruction. */
	for (pc = 0; pc < env->len; pc++) {
		const struct ipo_insn *insn = &insns[pc];
		s64 t;

		if ((env->fl[pc] & IPO_FL_LDDW2) ||
		    ipo_opinfo[insn->code].kind != IPO_K_CALL ||
		    insn->src != IPO_PSEUDO_CALL)
			continue;
		t = ipo_jump_target(insn, pc);
		if (env->fl[t] & IPO_FL_LDDW2)
			return ipo_err(env, pc,
				       "call into the middle of lddw at %lld",
				       (long long)t - 1);
	}
	/* A function's record holds its arguments' states: it pays for it. */
	env->mem_max = min_t(u64, env->mem_max + (u64)IPO_MEM_PER_FUNC * nfn,
			     IPO_MEM_MAX);
	env->fn = ipo_valloc(env, nfn * sizeof(*env->fn));
	if (!env->fn)
		return ipo_nomem(env);
	env->nfn_cap = nfn;
	if (nfn > 1) {
		env->fidx = ipo_valloc(env, env->len * sizeof(*env->fidx));
		if (!env->fidx)
			return ipo_nomem(env);
	}
	env->nfn = 0;
	for (pc = 0; pc < env->len; pc++) {
		if (!(env->fl[pc] & IPO_FL_START))
			continue;
		if (env->fl[pc] & IPO_FL_LDDW2)
			return ipo_err(env, pc - 1,
				       "call into the middle of lddw at %u",
				       pc - 1);
		if (env->nfn)
			env->fn[env->nfn - 1].end = pc;
		if (env->fidx)
			env->fidx[pc] = env->nfn;
		env->fn[env->nfn++].start = pc;
	}
	env->fn[env->nfn - 1].end = env->len;
	return 0;
}

/*
 * The rest of hidx (see struct ipo_env): for each pc the last header
 * before it whose loop spans it, and each header's own (hdr.outer).  One
 * sweep with a stack of loops linked through hdr.outer: a loop leaves the
 * stack once the sweep passes its end, and a loop below one that is still
 * open and ended earlier is never looked at again, as no later pc is in
 * it.
 */
static int ipo_map_loops(struct ipo_env *env)
{
	u32 pc, top = 0, next = 0;

	if (!env->nhdr)
		return 0;
	for (pc = 0; pc < env->len; pc++) {
		if (ipo_scan_stop(env, pc))
			return -EINTR;
		while (top && env->hdr[top - 1].end < pc)
			top = env->hdr[top - 1].outer;
		if (next < env->nhdr && env->hdr[next].pc == pc) {
			env->hdr[next].outer = top;
			top = ++next;
		} else {
			env->hidx[pc] = top;
		}
	}
	return 0;
}

static int ipo_check_flow(struct ipo_env *env)
{
	const struct ipo_insn *insns = env->insns;
	u32 pc, f = 0, nhdr = 0, ncalls = 0, i;

	for (pc = 0; pc < env->len; pc++) {
		const struct ipo_insn *insn = &insns[pc];
		const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];
		s64 t;

		if (ipo_scan_stop(env, pc))
			return -EINTR;
		if (f + 1 < env->nfn && pc >= env->fn[f + 1].start)
			f++;
		if (env->fl[pc] & IPO_FL_LDDW2)
			continue;
		if (oi->kind == IPO_K_CALL && insn->src == IPO_PSEUDO_CALL) {
			ncalls++;
			continue;
		}
		if (!ipo_is_jump(oi))
			continue;
		t = ipo_jump_target(insn, pc);
		if (t < 0 || t >= env->len)
			return ipo_err(env, pc, "jump out of range to %lld",
				       (long long)t);
		if (env->fl[t] & IPO_FL_LDDW2)
			return ipo_err(env, pc,
				       "jump into the middle of lddw at %lld",
				       (long long)t - 1);
		if (t < env->fn[f].start || t >= env->fn[f].end)
			return ipo_err(env, pc,
				       "jump out of function to %lld",
				       (long long)t);
		env->aux[t].flags |= IPO_AUX_JUMP_TARGET;
		env->fl[t] |= IPO_FL_TARGET;
		if (t <= pc) {
			env->aux[pc].flags |= IPO_AUX_BACKEDGE;
			if (!(env->fl[t] & IPO_FL_HEADER))
				nhdr++;
			env->fl[t] |= IPO_FL_HEADER;
		}
	}
	for (i = 0; i < env->nfn; i++) {
		u32 last = env->fn[i].end - 1;
		const struct ipo_opinfo *oi = &ipo_opinfo[insns[last].code];

		if ((env->fl[last] & IPO_FL_LDDW2) ||
		    (oi->kind != IPO_K_EXIT && oi->kind != IPO_K_JA))
			return ipo_err(env, last,
				       "falls through past the end of the %s",
				       i ? "function" : "program");
	}

	env->hdr = ipo_valloc(env, (nhdr + 1) * sizeof(*env->hdr));
	env->nhdr_cap = nhdr + 1;
	env->edges = ipo_valloc(env, (ncalls + 1) * sizeof(*env->edges));
	env->nedges_cap = ncalls + 1;
	env->order = ipo_valloc(env, env->nfn * sizeof(*env->order));
	if (!env->hdr || !env->edges || !env->order)
		return ipo_nomem(env);
	if (nhdr) {
		env->hidx = ipo_valloc(env, env->len * sizeof(*env->hidx));
		if (!env->hidx)
			return ipo_nomem(env);
	}
	for (pc = 0; pc < env->len; pc++) {
		if (ipo_scan_stop(env, pc))
			return -EINTR;
		if (!(env->fl[pc] & IPO_FL_HEADER))
			continue;
		env->hidx[pc] = env->nhdr;
		env->hdr[env->nhdr++].pc = pc;
	}
	/* Loop ends, and call edges grouped by caller (pcs are in order). */
	f = 0;
	for (pc = 0; pc < env->len; pc++) {
		const struct ipo_insn *insn = &insns[pc];
		const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];

		if (ipo_scan_stop(env, pc))
			return -EINTR;
		if (f + 1 < env->nfn && pc >= env->fn[f + 1].start)
			f++;
		if (env->fl[pc] & IPO_FL_LDDW2)
			continue;
		if (env->aux[pc].flags & IPO_AUX_BACKEDGE) {
			struct ipo_hdr *h =
				ipo_find_hdr(env, ipo_jump_target(insn, pc));

			if (h && h->end < pc)
				h->end = pc;
		}
		if (oi->kind == IPO_K_CALL && insn->src == IPO_PSEUDO_CALL) {
			struct ipo_call_edge *e = &env->edges[env->nedges++];

			e->pc = pc;
			e->callee = ipo_find_func(env,
						  ipo_jump_target(insn, pc));
			if (!env->fn[f].nedges)
				env->fn[f].edge0 = env->nedges - 1;
			env->fn[f].nedges++;
			env->fn[e->callee].indeg++;
		}
	}
	return ipo_map_loops(env);
}

/*
 * Topological order of the call graph (Kahn), callers first.  A function
 * that never gets in-degree zero sits on or behind a cycle: recursion.
 */
static int ipo_check_calls(struct ipo_env *env)
{
	u32 head = 0, tail = 0, i, j;

	for (i = 0; i < env->nfn; i++)
		if (!env->fn[i].indeg)
			env->order[tail++] = i;
	while (head < tail) {
		struct ipo_func *f = &env->fn[env->order[head++]];

		for (j = 0; j < f->nedges; j++) {
			struct ipo_func *g =
				&env->fn[env->edges[f->edge0 + j].callee];

			if (!--g->indeg)
				env->order[tail++] = g - env->fn;
		}
	}
	if (tail < env->nfn) {
		for (i = 0; i < env->nedges; i++) {
			struct ipo_call_edge *e = &env->edges[i];

			if (env->fn[e->callee].indeg &&
			    env->fn[ipo_find_func(env, e->pc)].indeg)
				return ipo_err(env, e->pc,
					       "recursive call to function at %u",
					       env->fn[e->callee].start);
		}
		return ipo_err(env, 0, "recursive call");
	}
	env->fn[0].frames = 1;
	for (i = 0; i < env->nfn; i++) {
		struct ipo_func *f = &env->fn[env->order[i]];

		if (!f->frames)
			continue;
		for (j = 0; j < f->nedges; j++) {
			struct ipo_call_edge *e = &env->edges[f->edge0 + j];
			struct ipo_func *g = &env->fn[e->callee];

			if (f->frames + 1 > IPO_MAX_CALL_DEPTH)
				return ipo_err(env, e->pc,
					       "call chain too deep: %u frames, max %u",
					       f->frames + 1,
					       IPO_MAX_CALL_DEPTH);
			if (g->frames < f->frames + 1)
				g->frames = f->frames + 1;
		}
	}
	return 0;
}

/* ---- joins at jump targets, loops -------------------------------------- */

/* The branch state waiting at @pc, if any, is no longer needed. */
static void ipo_saved_drop(struct ipo_env *env, u32 pc)
{
	if (!env->saved[pc])
		return;
	ipo_state_free(env, env->saved[pc]);
	env->saved[pc] = NULL;
	env->nsaved--;
}

static void ipo_release_kept(struct ipo_env *env)
{
	u32 i;

	for (i = 0; i < env->nkept; i++) {
		u32 pc = env->kept[i];

		env->fl[pc] &= ~(IPO_FL_KEPT | IPO_FL_SIDE);
		ipo_saved_drop(env, pc);
	}
	env->nkept = 0;
}

/* Keeps the state at @pc for a retry (see "Loops"). */
static int ipo_keep(struct ipo_env *env, u32 pc)
{
	u32 cap = env->kept_cap ? 2 * env->kept_cap : 64, *nk;

	if (env->fl[pc] & IPO_FL_KEPT)
		return 0;
	if (env->nkept == env->kept_cap) {
		nk = ipo_valloc(env, cap * sizeof(*nk));
		if (!nk)
			return ipo_nomem(env);
		if (env->nkept)
			memcpy(nk, env->kept, env->nkept * sizeof(*nk));
		ipo_vfree(env, env->kept, env->kept_cap * sizeof(*nk));
		env->kept = nk;
		env->kept_cap = cap;
	}
	env->fl[pc] |= IPO_FL_KEPT;
	env->kept[env->nkept++] = pc;
	return 0;
}

/* Index of the first loop header at or after @pc (headers are sorted). */
static u32 ipo_first_hdr(const struct ipo_env *env, u32 pc)
{
	u32 lo = 0, hi = env->nhdr;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (env->hdr[mid].pc < pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The pass has left every loop entered so far: drop their header states. */
static void ipo_close_loops(struct ipo_env *env, u32 pc)
{
	while (env->hfree < env->nhdr && env->hdr[env->hfree].pc < pc) {
		ipo_state_free(env, env->hdr[env->hfree].w);
		env->hdr[env->hfree].w = NULL;
		env->hfree++;
	}
	env->open = false;
}

/* The state flowing along an edge from @pc to a later instruction @t. */
static int ipo_push_target(struct ipo_env *env, u32 pc, u32 t,
			   const struct ipo_vstate *st)
{
	if (ipo_side_entry(env, pc, t))
		env->fl[t] |= IPO_FL_SIDE;
	if (!env->saved[t]) {
		env->work += ipo_state_cost(st);
		env->saved[t] = ipo_state_dup(env, st);
		if (!env->saved[t])
			return ipo_nomem(env);
		env->nsaved++;
		return 0;
	}
	env->work += ipo_join_cost(st, ipo_state_join(env->saved[t], st,
						      false));
	return 0;
}

static void ipo_slot_msg(struct ipo_env *env, int what, const char **name,
			 char *nb, u32 nsz)
{
	if (what >= 0)
		ipo_snprintf(nb, nsz, "R%d", what);
	else if (what == IPO_WHAT_SIZE)
		ipo_snprintf(nb, nsz, "a region size bound");
	else
		ipo_snprintf(nb, nsz, "fp-%d", (-1 - what) * 8 + 8);
	*name = nb;
}

/*
 * Widening with thresholds, for a loop's first widening only.  A counted
 * loop (`for (i = 0; i < 7; i++)`) brings i back in [1, 6]: the exit test
 * on the back edge has bounded it, but plain widening drops every bound
 * of a scalar that grew, so i becomes unknown at the header.  Here a bound
 * that grew moves only as far as the next constant a conditional jump of
 * the loop tests the register against (K or K -/+ 1), else to the end of
 * its range.  The result still covers the header state and the back edge
 * (bounds only move outwards, known bits are the union), so it is a
 * widening like the other; if it is not an invariant, the next back edge
 * widens again, to unknown.  One scan of the loop, like the re-visit of
 * its body the widening causes.
 */
struct ipo_thresh {
	u64 umax, umin;
	s64 smax, smin;
	bool up, down;		/* found one above, below */
};

static void ipo_thresh_try(struct ipo_thresh *t, const struct ipo_vreg *j,
			   s64 k)
{
	s64 c;

	/* k is an imm: k - 1 .. k + 1 cannot overflow. */
	for (c = k - 1; c <= k + 1; c++) {
		if ((u64)c >= j->umax && (u64)c <= t->umax) {
			t->umax = c;
			t->up = true;
		}
		if ((u64)c <= j->umin && (u64)c >= t->umin) {
			t->umin = c;
			t->down = true;
		}
		if (c >= j->smax && c <= t->smax) {
			t->smax = c;
			t->up = true;
		}
		if (c <= j->smin && c >= t->smin) {
			t->smin = c;
			t->down = true;
		}
	}
}

/* Returns ipo_state_join()'s count, for the work count. */
static u32 ipo_widen_thresh(struct ipo_env *env, const struct ipo_hdr *h,
			    struct ipo_vstate *w, const struct ipo_vstate *cur)
{
	struct ipo_thresh t[IPO_NREGS];
	struct ipo_vreg j[IPO_NREGS];
	bool use[IPO_NREGS], any = false;
	u32 i, pc, joined;

	for (i = 0; i < IPO_NREGS; i++) {
		use[i] = w->r[i].type == IPO_VT_SCALAR &&
			 cur->r[i].type == IPO_VT_SCALAR &&
			 !ipo_reg_contains(&w->r[i], &cur->r[i]);
		if (!use[i])
			continue;
		any = true;
		j[i] = w->r[i];
		ipo_scalar_join(&j[i], &cur->r[i]);
		if (j[i].size_of != cur->r[i].size_of)
			j[i].size_of = IPO_RGN_NONE;
		t[i] = (struct ipo_thresh){ U64_MAX, 0, S64_MAX, S64_MIN };
	}
	if (!any)
		return ipo_state_join(w, cur, true);
	for (pc = h->pc; pc <= h->end; pc++) {
		const struct ipo_insn *insn = &env->insns[pc];
		const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];

		if ((env->fl[pc] & IPO_FL_LDDW2) || oi->kind != IPO_K_JCOND ||
		    (oi->flags & IPO_OPF_SRCX) || !use[insn->dst])
			continue;
		ipo_thresh_try(&t[insn->dst], &j[insn->dst], insn->imm);
	}
	for (i = 0; i < IPO_NREGS; i++) {
		const struct ipo_vreg *o = &w->r[i], *b = &cur->r[i];
		struct ipo_vreg *r = &j[i];
		bool top = false;

		if (!use[i])
			continue;
		/*
		 * Only the bounds that grew move, to their thresholds (or to
		 * the end of the range, when the other domain has one).
		 */
		if (b->umax > o->umax || b->smax > o->smax) {
			r->umax = b->umax > o->umax ? t[i].umax : r->umax;
			r->smax = b->smax > o->smax ? t[i].smax : r->smax;
			top |= !t[i].up;
		}
		if (b->umin < o->umin || b->smin < o->smin) {
			r->umin = b->umin < o->umin ? t[i].umin : r->umin;
			r->smin = b->smin < o->smin ? t[i].smin : r->smin;
			top |= !t[i].down;
		}
		/*
		 * No threshold: unknown, as plain widening has it.  Else the
		 * known bits go (they would pin the grown bounds back) and
		 * come back from the ranges.
		 */
		if (top) {
			use[i] = false;
		} else {
			r->var = ipo_tnum_unknown;
			ipo_vreg_sync(r);
		}
	}
	joined = ipo_state_join(w, cur, true);
	for (i = 0; i < IPO_NREGS; i++)
		if (use[i])
			w->r[i] = j[i];
	return joined;
}

/*
 * A back edge from pc to header t with the current state.  Returns 1 when
 * the pass must restart at the header with a widened state.
 */
static int ipo_back_edge(struct ipo_env *env, u32 pc, u32 t)
{
	struct ipo_hdr *h = ipo_find_hdr(env, t);
	struct ipo_vstate *cur = env->cur;
	char nb[32];
	const char *name;
	int what = 0;
	u32 i, tested = 0;
	bool fits;

	if (!h)
		return ipo_err(env, pc, "back-edge to %u is not a loop header",
			       t);
	fits = h->w && ipo_state_contains(h->w, cur, &what, &tested);
	env->work += ipo_join_cost(cur, tested);
	if (fits)
		return 0;
	if (h->attempts < IPO_LOOP_ATTEMPTS && !env->no_retry) {
		/* From here on the kept states are needed: see retrying. */
		env->retrying = true;
		if (h->w && !h->attempts) {
			/* A join, and a scan of the loop's jumps. */
			env->work += ipo_join_cost(cur, ipo_widen_thresh(env, h,
									 h->w,
									 cur)) +
				     (h->end - h->pc) / 8;
		} else if (h->w) {
			env->work += ipo_join_cost(cur,
						   ipo_state_join(h->w, cur,
								  true));
		} else {
			/* Only reached backwards: start it from this edge. */
			h->w = ipo_state_dup(env, cur);
			if (!h->w)
				return ipo_nomem(env);
		}
		h->attempts++;
		/* Inner loops start over from their new entry states. */
		for (i = h - env->hdr + 1; i < env->nhdr &&
		     env->hdr[i].pc <= pc; i++) {
			ipo_state_free(env, env->hdr[i].w);
			env->hdr[i].w = NULL;
			env->hdr[i].attempts = 0;
			env->work++;	/* work, like the steps of the pass */
		}
		env->restart_pc = t;
		if (env->log && env->log->level >= 2)
			ipo_vlog_printf(env->log,
					"%u: widening loop header %u (attempt %u)\n",
					pc, t, h->attempts);
		return 1;
	}
	if (!h->w)
		return ipo_err(env, pc,
			       "back-edge to %u, which the pass could not re-verify",
			       t);
	ipo_slot_msg(env, what, &name, nb, sizeof(nb));
	if (what >= 0)
		return ipo_err(env, pc,
			       "back-edge state not contained in loop header state: %s %s vs header %s",
			       name, ipo_rstr(env, 0, &cur->r[what]),
			       ipo_rstr(env, 1, &h->w->r[what]));
	return ipo_err(env, pc,
		       "back-edge state not contained in loop header state: %s",
		       name);
}

/* Arrive at pc: join what jumps brought, fix the state of loop headers. */
static int ipo_enter_insn(struct ipo_env *env, u32 pc)
{
	struct ipo_vstate *s = env->saved[pc];
	struct ipo_hdr *h;
	int err;

	if (env->restart_pc == pc) {
		env->restart_pc = IPO_NO_PC;
		h = ipo_find_hdr(env, pc);
		ipo_state_copy(env->cur, h->w);
		env->work += ipo_state_cost(h->w);
		env->live = true;
		return 0;
	}
	if (s) {
		if (env->live) {
			env->work += ipo_join_cost(s, ipo_state_join(env->cur, s,
								     false));
		} else {
			ipo_state_copy(env->cur, s);
			env->work += ipo_state_cost(s);
		}
		env->live = true;
		/* Only side entries: the rest comes again on a retry. */
		if ((env->fl[pc] & IPO_FL_SIDE) && env->open &&
		    pc <= env->open_until && !env->no_retry) {
			err = ipo_keep(env, pc);
			if (err)
				return err;
		} else if (!(env->fl[pc] & IPO_FL_KEPT)) {
			ipo_saved_drop(env, pc);
		}
	}
	if (!(env->fl[pc] & IPO_FL_HEADER))
		return 0;
	h = ipo_find_hdr(env, pc);
	ipo_state_free(env, h->w);
	h->w = NULL;
	if (env->live) {
		env->work += ipo_state_cost(env->cur);
		h->w = ipo_state_dup(env, env->cur);
		if (!h->w)
			return ipo_nomem(env);
	}
	/*
	 * Open the loop even when the header is dead for now: a back edge may
	 * still bring it to life, and the re-verification then needs every
	 * edge that entered the body from before the header.
	 */
	if (!env->open || env->open_until < h->end)
		env->open_until = h->end;
	env->open = true;
	return 0;
}

/* ---- registers, memory ------------------------------------------------- */

static int ipo_check_read(struct ipo_env *env, u32 pc, u32 regno)
{
	if (env->cur->r[regno].type == IPO_VT_NOT_INIT)
		return ipo_err(env, pc, "R%u !read_ok", regno);
	return 0;
}

static int ipo_check_write(struct ipo_env *env, u32 pc, u32 regno)
{
	if (regno == IPO_FP)
		return ipo_err(env, pc, "R10 is read only");
	return 0;
}

/* A scalar of @size bytes as loaded from memory. */
static void ipo_loaded_scalar(struct ipo_vreg *r, u32 size, bool sx)
{
	ipo_vreg_unknown(r);
	if (size < 8) {
		r->umax = (1ULL << (size * 8)) - 1;
		ipo_vreg_sync(r);
	}
	if (sx && size < 8)
		ipo_vreg_sext(r, size * 8);
}

static bool ipo_off_bounded(const struct ipo_vreg *p)
{
	return p->smin >= -IPO_PTR_BOUND && p->smax <= IPO_PTR_BOUND;
}

enum ipo_acc {
	IPO_ACC_READ,
	IPO_ACC_WRITE,
	IPO_ACC_ATOMIC,		/* read-modify-write */
};

static u8 ipo_stack_kind(const struct ipo_vstate *st, s64 addr)
{
	u32 slot = (u32)((-addr - 1) / 8);

	if (slot >= st->nslots)
		return IPO_SB_INVALID;
	return st->s[slot].kind[addr + 8 * (slot + 1)];
}

static void ipo_note_depth(struct ipo_env *env, s64 lo)
{
	struct ipo_func *f = &env->fn[env->func];

	if ((u64)-lo > f->depth)
		f->depth = (u32)-lo;
}

/* Mark stack bytes [lo, hi) as data; a broken spill loses its register. */
static void ipo_stack_mark(struct ipo_vstate *st, s64 lo, s64 hi, u8 kind,
			   bool maybe)
{
	s64 a;

	for (a = lo; a < hi; a++) {
		u32 slot = (u32)((-a - 1) / 8);
		u32 b = (u32)(a + 8 * (slot + 1));
		struct ipo_vslot *s;

		if (slot >= st->nslots) {
			if (maybe)
				continue;
			st->nslots = slot + 1;
		}
		s = &st->s[slot];
		if (ipo_slot_is_spill(s)) {
			/* Bytes of a broken pointer spill are unreadable. */
			u8 rest = s->spill.type == IPO_VT_PTR ?
				  IPO_SB_INVALID : IPO_SB_MISC;
			int i;

			for (i = 0; i < 8; i++)
				s->kind[i] = rest;
			memset(&s->spill, 0, sizeof(s->spill));
		}
		if (maybe) {
			/* A helper may or may not write this byte. */
			if (s->kind[b] != IPO_SB_INVALID)
				s->kind[b] = IPO_SB_MISC;
		} else {
			s->kind[b] = kind;
		}
	}
}

/*
 * Offset of a pointer whose variable part is a known constant, plus @off.
 * Addresses wrap: the sum is taken as u64 and then read as an offset, which
 * is exactly where the access lands (and never signed-overflow UB).
 */
static s64 ipo_const_off(const struct ipo_vreg *p, s64 off)
{
	return (s64)((u64)(s64)p->off + p->var.value + (u64)off);
}

/*
 * A stack or context access proven at the constant offset @at (from the
 * frame pointer or from the context's start), for the JIT: through a
 * pointer a register moved, it makes the access there (IPO_AUX_SPEC_EXACT),
 * so the one offset must hold on every visit.
 */
static int ipo_note_off(struct ipo_env *env, u32 pc, u32 regno,
			const struct ipo_vreg *p, s64 at)
{
	struct ipo_insn_aux *aux = &env->aux[pc];

	if (!(aux->flags & IPO_AUX_SPEC_OFF)) {
		aux->flags |= IPO_AUX_SPEC_OFF;
		aux->spec_off = (s32)at;
	} else if (aux->spec_off != at) {
		aux->spec_off = S32_MIN;
	}
	aux->region = p->region;
	if (p->flags & IPO_VRF_MOVED)
		aux->flags |= IPO_AUX_SPEC_EXACT;
	if ((aux->flags & IPO_AUX_SPEC_EXACT) && aux->spec_off == S32_MIN)
		return ipo_err(env, pc,
			       "R%u %s access at different offsets on different paths through a moved pointer",
			       regno, ipo_region_name(p->region));
	return 0;
}

static int ipo_stack_access(struct ipo_env *env, u32 pc, u32 regno,
			    const struct ipo_vreg *p, s16 off, u32 size,
			    enum ipo_acc acc, const struct ipo_vreg *val,
			    u32 valno, struct ipo_vreg *out, bool sx)
{
	struct ipo_vstate *st = env->cur;
	s64 lo, a;
	u32 slot;
	int err;

	/* Constant offsets only: spills and fills must be exact. */
	if (!ipo_tnum_is_const(p->var))
		return ipo_err(env, pc, "R%u variable stack access: %s off %d",
			       regno, ipo_rstr(env, 0, p), off);
	lo = ipo_const_off(p, off);
	/* No lo + size: a huge positive lo would wrap it negative. */
	if (lo < -IPO_STACK_SIZE || lo > -(s64)size)
		return ipo_err(env, pc,
			       "R%u invalid stack access off=%lld size=%u",
			       regno, (long long)lo, size);
	if (acc == IPO_ACC_ATOMIC && (lo & (size - 1)))
		return ipo_err(env, pc,
			       "R%u misaligned atomic access off=%lld size=%u",
			       regno, (long long)lo, size);
	err = ipo_note_off(env, pc, regno, p, lo);
	if (err)
		return err;
	ipo_note_depth(env, lo);
	slot = (u32)((-lo - 1) / 8);

	if (acc == IPO_ACC_WRITE) {
		if (size == 8 && !(lo & 7)) {
			if (slot >= st->nslots)
				st->nslots = slot + 1;
			memset(st->s[slot].kind, IPO_SB_SPILL, 8);
			st->s[slot].spill = *val;
			return 0;
		}
		if (val->type == IPO_VT_PTR)
			return ipo_err(env, pc,
				       "pointer leak: storing R%u (%s) into stack fp%lld size %u",
				       valno, ipo_rstr(env, 0, val),
				       (long long)lo, size);
		ipo_stack_mark(st, lo, lo + size, IPO_SB_MISC, false);
		return 0;
	}

	/* Reads: a full aligned fill restores a spilled register. */
	if (size == 8 && !(lo & 7) && slot < st->nslots &&
	    ipo_slot_is_spill(&st->s[slot])) {
		if (acc == IPO_ACC_ATOMIC) {
			if (st->s[slot].spill.type == IPO_VT_PTR)
				return ipo_err(env, pc,
					       "atomic access to spilled pointer at fp%lld",
					       (long long)lo);
			ipo_stack_mark(st, lo, lo + size, IPO_SB_MISC, false);
			ipo_loaded_scalar(out, size, false);
			return 0;
		}
		*out = st->s[slot].spill;
		return 0;
	}
	for (a = lo; a < lo + (s64)size; a++) {
		u32 sl = (u32)((-a - 1) / 8);
		u8 k = ipo_stack_kind(st, a);

		if (k == IPO_SB_INVALID)
			return ipo_err(env, pc,
				       "invalid read from stack off %lld+%lld size %u",
				       (long long)lo, (long long)(a - lo), size);
		if (k == IPO_SB_SPILL && st->s[sl].spill.type == IPO_VT_PTR)
			return ipo_err(env, pc,
				       "partial read of spilled pointer at fp%lld",
				       (long long)-(8LL * (sl + 1)));
	}
	if (acc == IPO_ACC_ATOMIC)
		ipo_stack_mark(st, lo, lo + size, IPO_SB_MISC, false);
	ipo_loaded_scalar(out, size, sx);
	return 0;
}

/*
 * The bytes [lo, hi) that @size bytes at @p + @off may touch, as offsets
 * from the region's start; false when @p's offset is not even bounded (the
 * sums could overflow).
 */
static bool ipo_access_span(const struct ipo_vreg *p, s64 off, u64 size,
			    s64 *lo, s64 *hi)
{
	if (!ipo_off_bounded(p) || size > (u64)IPO_PTR_BOUND)
		return false;
	*lo = (s64)p->off + p->smin + off;
	*hi = (s64)p->off + p->smax + off + (s64)size;
	return true;
}

/* The size of @region the current state proves: fixed minimum or tested. */
static u32 ipo_region_known(struct ipo_env *env, u8 region)
{
	return max(env->type->regions[region].min_size,
		   env->cur->size_min[region]);
}

static int ipo_region_bounds(struct ipo_env *env, u32 pc, u32 regno,
			     const struct ipo_vreg *p, s64 off, u64 size,
			     bool *provable)
{
	u32 known = ipo_region_known(env, p->region);
	s64 lo, hi;

	*provable = ipo_access_span(p, off, size, &lo, &hi) && lo >= 0 &&
		    hi <= (s64)known;
	return 0;
}

/* Is the whole access provably inside [0, IPO_PTR_BOUND] of its region? */
static bool ipo_access_small(const struct ipo_vreg *p, s64 off, u64 size)
{
	s64 lo, hi;

	return ipo_access_span(p, off, size, &lo, &hi) && lo >= 0 &&
	       hi <= IPO_PTR_BOUND;
}

static int ipo_region_oob(struct ipo_env *env, u32 pc, u32 regno,
			  const struct ipo_vreg *p, s16 off, u64 size,
			  const char *what)
{
	const struct ipo_region_desc *d = &env->type->regions[p->region];
	const char *rn = ipo_region_name(p->region);

	if (ipo_tnum_is_const(p->var))
		return ipo_err(env, pc,
			       "R%u %s: %s off=%lld size=%llu (%s min size %u)",
			       regno, what, rn,
			       (long long)ipo_const_off(p, off),
			       (unsigned long long)size, rn, d->min_size);
	return ipo_err(env, pc,
		       "R%u %s: %s off=%d+[%lld,%lld] size=%llu (%s min size %u)",
		       regno, what, rn, p->off + off, (long long)p->smin,
		       (long long)p->smax, (unsigned long long)size, rn,
		       d->min_size);
}

static int ipo_region_access(struct ipo_env *env, u32 pc, u32 regno,
			     const struct ipo_vreg *p, s16 off, u32 size,
			     enum ipo_acc acc, bool fetch,
			     const struct ipo_vreg *val, u32 valno,
			     struct ipo_vreg *out, bool sx)
{
	const struct ipo_region_desc *d = &env->type->regions[p->region];
	const char *rn = ipo_region_name(p->region);
	struct ipo_insn_aux *aux = &env->aux[pc];
	bool provable;
	u32 valid;

	if ((acc != IPO_ACC_READ) && !(d->flags & IPO_RGNF_WRITE))
		return ipo_err(env, pc, "R%u write into read-only %s", regno,
			       rn);
	if ((acc == IPO_ACC_READ || fetch) && !(d->flags & IPO_RGNF_READ))
		return ipo_err(env, pc, "R%u read from unreadable %s", regno,
			       rn);
	if (acc == IPO_ACC_WRITE && val->type == IPO_VT_PTR)
		return ipo_err(env, pc, "pointer leak: storing R%u (%s) into %s",
			       valno, ipo_rstr(env, 0, val), rn);
	if (acc == IPO_ACC_ATOMIC &&
	    ((((s64)p->off + off) & (size - 1)) ||
	     ((p->var.value | p->var.mask) & (size - 1))))
		return ipo_err(env, pc,
			       "R%u misaligned atomic access: %s size=%u",
			       regno, ipo_rstr(env, 0, p), size);
	ipo_region_bounds(env, pc, regno, p, off, size, &provable);
	if (!provable) {
		if (!(d->flags & IPO_RGNF_DYN))
			return ipo_region_oob(env, pc, regno, p, off, size,
					      "out of bounds");
		aux->flags |= IPO_AUX_RT_CHECK;
	} else {
		/* Valid offsets for the width: see IPO_AUX_SPEC_MASK. */
		valid = ipo_region_known(env, p->region) - size + 1;
		if (!aux->spec_valid || valid < aux->spec_valid)
			aux->spec_valid = valid;
	}
	aux->region = p->region;
	/*
	 * Also on a visit that proved the access: the flags must hold for
	 * every visit, whichever of them leaves the check to run time.  An
	 * offset that a register moved may rest on a branch, and only the
	 * full check masks both ends against speculation past it; proven,
	 * it is masked all the same (IPO_AUX_SPEC_MASK).
	 */
	if (!ipo_tnum_is_const(p->var) || (p->flags & IPO_VRF_MOVED))
		aux->flags |= IPO_AUX_RT_FULL | IPO_AUX_SPEC_MASK;
	else if (!ipo_access_small(p, off, size))
		aux->flags |= IPO_AUX_RT_FULL;
	if (out)
		ipo_loaded_scalar(out, size, sx);
	return 0;
}

static int ipo_ctx_access(struct ipo_env *env, u32 pc, u32 regno,
			  const struct ipo_vreg *p, s16 off, u32 size,
			  enum ipo_acc acc, struct ipo_vreg *out, bool sx)
{
	const struct ipo_prog_type *type = env->type;
	s64 at;
	u32 i;
	int err;

	if (acc != IPO_ACC_READ)
		return ipo_err(env, pc, "R%u cannot write into ctx", regno);
	if (!ipo_tnum_is_const(p->var))
		return ipo_err(env, pc, "R%u variable ctx access: %s", regno,
			       ipo_rstr(env, 0, p));
	at = ipo_const_off(p, off);
	for (i = 0; i < type->nr_ctx_fields; i++) {
		const struct ipo_ctx_field *cf = &type->ctx_fields[i];

		if (cf->off != at)
			continue;
		if (cf->size != size)
			break;
		if (cf->region != IPO_RGN_NONE && sx)
			break;
		err = ipo_note_off(env, pc, regno, p, at);
		if (err)
			return err;
		if (cf->region != IPO_RGN_NONE) {
			ipo_reg_ptr(out, cf->region, 0);
			return 0;
		}
		ipo_loaded_scalar(out, size, false);
		if (cf->max < out->umax) {
			out->umax = cf->max;
			ipo_vreg_sync(out);
		}
		if (sx)
			ipo_vreg_sext(out, size * 8);
		else if (cf->size_of < IPO_NR_REGIONS)
			out->size_of = cf->size_of;
		return 0;
	}
	return ipo_err(env, pc, "R%u invalid ctx access off=%lld size=%u",
		       regno, (long long)at, size);
}

/*
 * One memory access through register regno + off.  val/valno: what a store
 * writes; out: what a load (or fetching atomic) reads.
 */
static int ipo_mem_access(struct ipo_env *env, u32 pc, u32 regno, s16 off,
			  u32 size, enum ipo_acc acc, bool fetch,
			  const struct ipo_vreg *val, u32 valno,
			  struct ipo_vreg *out, bool sx)
{
	const struct ipo_vreg *p = &env->cur->r[regno];
	int err = ipo_check_read(env, pc, regno);

	if (err)
		return err;
	if (p->type != IPO_VT_PTR)
		return ipo_err(env, pc, "invalid mem access 'scalar' R%u %s",
			       regno, ipo_rstr(env, 0, p));
	switch (p->region) {
	case IPO_RGN_CTX:
		return ipo_ctx_access(env, pc, regno, p, off, size, acc, out,
				      sx);
	case IPO_RGN_STACK:
		return ipo_stack_access(env, pc, regno, p, off, size, acc, val,
					valno, out, sx);
	default:
		return ipo_region_access(env, pc, regno, p, off, size, acc,
					 fetch, val, valno, out, sx);
	}
}

/* ---- instructions ------------------------------------------------------ */

static const char *ipo_op_name(const struct ipo_insn *insn)
{
	return ipo_opinfo[insn->code].name;
}

static int ipo_do_ptr_alu(struct ipo_env *env, u32 pc,
			  const struct ipo_insn *insn, struct ipo_vreg *dst,
			  const struct ipo_vreg *src, bool is64)
{
	const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];
	const struct ipo_vreg *ptr = dst->type == IPO_VT_PTR ? dst : src;
	const struct ipo_vreg *sc = dst->type == IPO_VT_PTR ? src : dst;
	struct ipo_vreg res;
	u32 regno = dst->type == IPO_VT_PTR ? insn->dst : insn->src;

	if (!is64 || (oi->op != IPO_ADD && oi->op != IPO_SUB))
		return ipo_err(env, pc,
			       "R%u pointer arithmetic '%s%s' prohibited on %s",
			       regno, ipo_op_name(insn), is64 ? "" : "32",
			       ipo_rstr(env, 0, ptr));
	if (dst->type == IPO_VT_PTR && src->type == IPO_VT_PTR) {
		struct ipo_vreg b = *src;

		if (oi->op != IPO_SUB)
			return ipo_err(env, pc,
				       "R%u pointer arithmetic 'add' of two pointers prohibited",
				       insn->dst);
		if (dst->region != src->region)
			return ipo_err(env, pc,
				       "R%u subtraction of pointers into different regions: %s - %s",
				       insn->dst, ipo_rstr(env, 0, dst),
				       ipo_rstr(env, 1, src));
		/* Same base: the difference of the offsets, no address bits. */
		res = *dst;
		ipo_ptr_fold_off(&res);
		ipo_ptr_fold_off(&b);
		res.type = IPO_VT_SCALAR;
		res.region = 0;
		res.flags = 0;
		b.type = IPO_VT_SCALAR;
		b.region = 0;
		ipo_vreg_sub(&res, &b);
		*dst = res;
		return 0;
	}
	if (oi->op == IPO_SUB && dst->type != IPO_VT_PTR)
		return ipo_err(env, pc,
			       "R%u pointer arithmetic 'scalar - pointer' prohibited: %s",
			       insn->dst, ipo_rstr(env, 0, src));
	res = *ptr;
	/* A register scalar, even a constant one: see IPO_VRF_MOVED. */
	if (oi->flags & IPO_OPF_SRCX)
		res.flags |= IPO_VRF_MOVED;
	if (ipo_tnum_is_const(sc->var)) {
		s64 c = (s64)sc->var.value, noff;

		if (oi->op == IPO_SUB)
			c = c == S64_MIN ? c : -c;
		/* A sum that overflows s64 is no small offset (and no C UB). */
		if (!check_add_overflow((s64)res.off, c, &noff) &&
		    noff >= -IPO_PTR_BOUND && noff <= IPO_PTR_BOUND &&
		    !(oi->op == IPO_SUB && (s64)sc->var.value == S64_MIN)) {
			res.off = (s32)noff;
			*dst = res;
			return 0;
		}
	}
	{
		struct ipo_vreg v = *sc;

		v.type = IPO_VT_SCALAR;
		if (oi->op == IPO_ADD)
			ipo_vreg_add(&res, &v);
		else
			ipo_vreg_sub(&res, &v);
	}
	*dst = res;
	return 0;
}

static int ipo_do_alu(struct ipo_env *env, u32 pc, const struct ipo_insn *insn)
{
	const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];
	struct ipo_vstate *st = env->cur;
	bool is64 = oi->flags & IPO_OPF_64, srcx = oi->flags & IPO_OPF_SRCX;
	struct ipo_vreg *dst = &st->r[insn->dst], src;
	int err = ipo_check_write(env, pc, insn->dst);

	if (err)
		return err;
	if (srcx) {
		err = ipo_check_read(env, pc, insn->src);
		if (err)
			return err;
		src = st->r[insn->src];
	} else {
		ipo_vreg_const(&src, is64 ? (u64)(s64)insn->imm :
				     (u64)(u32)insn->imm);
	}
	if (oi->op == IPO_MOV) {
		if (src.type == IPO_VT_PTR) {
			if (!is64 || insn->off)
				return ipo_err(env, pc,
					       "R%u pointer arithmetic '%s%s' prohibited on %s",
					       insn->src, insn->off ? "movsx" : "mov",
					       is64 ? "" : "32",
					       ipo_rstr(env, 0, &src));
			*dst = src;
			return 0;
		}
		if (is64 && !insn->off) {
			*dst = src;	/* a whole copy: size_of stays true */
			return 0;
		}
		ipo_vreg_unknown(dst);
		ipo_scalar_alu(dst, &src, IPO_MOV, insn->off, is64);
		/* Sign-extended or 32-bit: not the size, even if equal. */
		dst->size_of = IPO_RGN_NONE;
		return 0;
	}
	err = ipo_check_read(env, pc, insn->dst);
	if (err)
		return err;
	/* Any other operation changes the value: no longer a size. */
	dst->size_of = IPO_RGN_NONE;
	if (oi->kind == IPO_K_END) {
		if (dst->type == IPO_VT_PTR)
			return ipo_err(env, pc,
				       "R%u pointer arithmetic '%s' prohibited on %s",
				       insn->dst, oi->name,
				       ipo_rstr(env, 0, dst));
		ipo_scalar_end(dst, is64 || (insn->code & IPO_TO_BE),
			       insn->imm);
		return 0;
	}
	if (oi->op == IPO_NEG && dst->type == IPO_VT_PTR)
		return ipo_err(env, pc,
			       "R%u pointer arithmetic 'neg%s' prohibited on %s",
			       insn->dst, is64 ? "" : "32",
			       ipo_rstr(env, 0, dst));
	if (dst->type == IPO_VT_PTR || src.type == IPO_VT_PTR)
		return ipo_do_ptr_alu(env, pc, insn, dst, &src, is64);
	ipo_scalar_alu(dst, &src, oi->op, insn->off, is64);
	return 0;
}

static int ipo_do_ldx(struct ipo_env *env, u32 pc, const struct ipo_insn *insn)
{
	const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];
	struct ipo_vreg out;
	int err = ipo_check_write(env, pc, insn->dst);

	if (err)
		return err;
	ipo_vreg_unknown(&out);
	err = ipo_mem_access(env, pc, insn->src, insn->off, oi->size,
			     IPO_ACC_READ, false, NULL, 0, &out,
			     oi->flags & IPO_OPF_SIGNED);
	if (err)
		return err;
	env->cur->r[insn->dst] = out;
	return 0;
}

static int ipo_do_store(struct ipo_env *env, u32 pc,
			const struct ipo_insn *insn)
{
	const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];
	struct ipo_vreg val;
	u32 valno = 0;
	int err;

	if (oi->kind == IPO_K_STX) {
		err = ipo_check_read(env, pc, insn->src);
		if (err)
			return err;
		val = env->cur->r[insn->src];
		valno = insn->src;
	} else {
		ipo_vreg_const(&val, (u64)(s64)insn->imm);
	}
	if (val.type == IPO_VT_SCALAR && oi->size < 8)
		ipo_vreg_trunc(&val, oi->size);
	return ipo_mem_access(env, pc, insn->dst, insn->off, oi->size,
			      IPO_ACC_WRITE, false, &val, valno, NULL, false);
}

static int ipo_do_atomic(struct ipo_env *env, u32 pc,
			 const struct ipo_insn *insn)
{
	const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];
	struct ipo_vstate *st = env->cur;
	bool fetch = insn->imm & IPO_FETCH;
	struct ipo_vreg out;
	int err;

	err = ipo_check_read(env, pc, insn->src);
	if (err)
		return err;
	if (st->r[insn->src].type != IPO_VT_SCALAR)
		return ipo_err(env, pc,
			       "pointer leak: atomic operand R%u (%s) is not a scalar",
			       insn->src, ipo_rstr(env, 0, &st->r[insn->src]));
	if (insn->imm == IPO_CMPXCHG) {
		err = ipo_check_read(env, pc, IPO_R0);
		if (err)
			return err;
		if (st->r[IPO_R0].type != IPO_VT_SCALAR)
			return ipo_err(env, pc,
				       "pointer leak: cmpxchg operand R0 (%s) is not a scalar",
				       ipo_rstr(env, 0, &st->r[IPO_R0]));
	} else if (fetch) {
		err = ipo_check_write(env, pc, insn->src);
		if (err)
			return err;
	}
	ipo_vreg_unknown(&out);
	err = ipo_mem_access(env, pc, insn->dst, insn->off, oi->size,
			     IPO_ACC_ATOMIC, fetch, &st->r[insn->src],
			     insn->src, &out, false);
	if (err)
		return err;
	ipo_loaded_scalar(&out, oi->size, false);
	if (insn->imm == IPO_CMPXCHG)
		st->r[IPO_R0] = out;
	else if (fetch)
		st->r[insn->src] = out;
	return 0;
}

/* Memory a helper reads or writes: (ptr R[argno], size R[argno + 1]). */
static int ipo_helper_mem(struct ipo_env *env, u32 pc, u32 regno, bool write,
			  const char *hname)
{
	struct ipo_vstate *st = env->cur;
	const struct ipo_vreg *p = &st->r[regno];
	const struct ipo_vreg *sz = &st->r[regno + 1];
	int err;

	err = ipo_check_read(env, pc, regno);
	if (!err)
		err = ipo_check_read(env, pc, regno + 1);
	if (err)
		return err;
	if (sz->type != IPO_VT_SCALAR)
		return ipo_err(env, pc,
			       "R%u type=%s expected scalar size for helper %s",
			       regno + 1, ipo_rstr(env, 0, sz), hname);
	if (sz->umax > (u64)IPO_PTR_BOUND)
		return ipo_err(env, pc, "R%u unbounded memory size %s",
			       regno + 1, ipo_rstr(env, 0, sz));
	if (p->type != IPO_VT_PTR || p->region == IPO_RGN_CTX)
		return ipo_err(env, pc,
			       "R%u type=%s expected pointer to stack or memory for helper %s",
			       regno, ipo_rstr(env, 0, p), hname);
	if (!sz->umax)
		return 0;
	if (p->region == IPO_RGN_STACK) {
		s64 lo, a;

		if (!ipo_tnum_is_const(p->var))
			return ipo_err(env, pc,
				       "R%u variable stack access: %s",
				       regno, ipo_rstr(env, 0, p));
		lo = ipo_const_off(p, 0);
		if (lo < -IPO_STACK_SIZE || lo >= 0 || sz->umax > (u64)-lo)
			return ipo_err(env, pc,
				       "R%u invalid stack access off=%lld size=%llu",
				       regno, (long long)lo,
				       (unsigned long long)sz->umax);
		ipo_note_depth(env, lo);
		if (write) {
			ipo_stack_mark(st, lo, lo + (s64)sz->umin,
				       IPO_SB_MISC, false);
			ipo_stack_mark(st, lo + (s64)sz->umin,
				       lo + (s64)sz->umax, IPO_SB_MISC, true);
			return 0;
		}
		env->work += sz->umax / 64;
		for (a = lo; a < lo + (s64)sz->umax; a++) {
			u32 sl = (u32)((-a - 1) / 8);
			u8 k = ipo_stack_kind(st, a);

			if (k == IPO_SB_INVALID)
				return ipo_err(env, pc,
					       "invalid indirect read from stack R%u off %lld+%lld size %llu",
					       regno, (long long)lo,
					       (long long)(a - lo),
					       (unsigned long long)sz->umax);
			if (k == IPO_SB_SPILL &&
			    st->s[sl].spill.type == IPO_VT_PTR)
				return ipo_err(env, pc,
					       "R%u helper %s reads spilled pointer at fp%lld",
					       regno, hname,
					       (long long)-(8LL * (sl + 1)));
		}
		return 0;
	}
	{
		const struct ipo_region_desc *d =
			&env->type->regions[p->region];
		bool provable;

		if (!(d->flags & (write ? IPO_RGNF_WRITE : IPO_RGNF_READ)))
			return ipo_err(env, pc, "R%u %s into %s %s", regno,
				       write ? "helper write" : "helper read",
				       write ? "read-only" : "unreadable",
				       ipo_region_name(p->region));
		ipo_region_bounds(env, pc, regno, p, 0, sz->umax, &provable);
		if (!provable)
			return ipo_region_oob(env, pc, regno, p, 0, sz->umax,
					      "helper memory out of bounds");
	}
	return 0;
}

/*
 * An access of @size bytes at the device-window offset in @regno: a
 * constant must be aligned and plausible; either way it is recorded for
 * the attach-time check (the window is granted then, not now).  The
 * helper checks every access again at run time.
 */
static int ipo_helper_mmio(struct ipo_env *env, u32 pc, u32 regno, u8 size,
			   const char *hname)
{
	const struct ipo_vreg *r = &env->cur->r[regno];
	struct ipo_mmio_use *use = &env->prog->mmio;

	if (size != 1 && size != 2 && size != 4 && size != 8)
		return ipo_err(env, pc, "helper %s has a malformed prototype",
			       hname);
	use->widths |= size;
	if (!ipo_tnum_is_const(r->var)) {
		use->var = true;
		return 0;
	}
	if (r->var.value >= IPO_MMIO_OFF_MAX)
		return ipo_err(env, pc,
			       "R%u mmio offset %llu beyond any window (max %u) for helper %s",
			       regno, (unsigned long long)r->var.value,
			       IPO_MMIO_OFF_MAX, hname);
	if (r->var.value & (size - 1))
		return ipo_err(env, pc,
			       "R%u mmio offset %llu not aligned to %u for helper %s",
			       regno, (unsigned long long)r->var.value, size,
			       hname);
	if (r->var.value + size > use->const_end)
		use->const_end = r->var.value + size;
	return 0;
}

static int ipo_do_helper(struct ipo_env *env, u32 pc, s64 id)
{
	const struct ipo_prog_type *type = env->type;
	const struct ipo_helper_proto *hp;
	struct ipo_vstate *st = env->cur;
	const char *hname;
	u32 i;
	int err;

	if (id < 0 || id >= type->nr_helpers)
		return ipo_err(env, pc, "unknown helper %lld", (long long)id);
	hp = &type->helpers[id];
	if (!hp->fn)
		return ipo_err(env, pc, "helper %lld not allowed for %s programs",
			       (long long)id, type->name ? type->name : "these");
	hname = hp->name ? hp->name : "?";
	for (i = 0; i < 5; i++) {
		u32 regno = i + 1;
		const struct ipo_vreg *r = &st->r[regno];

		switch (hp->args[i]) {
		case IPO_ARG_NONE:
			break;
		case IPO_ARG_ANY:
		case IPO_ARG_CONST:
		case IPO_ARG_MMIO_OFF:
			err = ipo_check_read(env, pc, regno);
			if (err)
				return err;
			if (r->type != IPO_VT_SCALAR)
				return ipo_err(env, pc,
					       "R%u type=%s expected scalar for helper %s",
					       regno, ipo_rstr(env, 0, r), hname);
			if (hp->args[i] == IPO_ARG_CONST &&
			    !ipo_tnum_is_const(r->var))
				return ipo_err(env, pc,
					       "R%u type=%s expected constant for helper %s",
					       regno, ipo_rstr(env, 0, r), hname);
			if (hp->args[i] == IPO_ARG_MMIO_OFF) {
				err = ipo_helper_mmio(env, pc, regno,
						      hp->mmio_size, hname);
				if (err)
					return err;
			}
			break;
		case IPO_ARG_CTX:
			err = ipo_check_read(env, pc, regno);
			if (err)
				return err;
			if (!ipo_reg_is_ptr(r, IPO_RGN_CTX) || r->off ||
			    !ipo_tnum_is_const(r->var) || r->var.value ||
			    (r->flags & IPO_VRF_MOVED))
				return ipo_err(env, pc,
					       "R%u type=%s expected ctx for helper %s",
					       regno, ipo_rstr(env, 0, r), hname);
			break;
		case IPO_ARG_MEM_RO:
		case IPO_ARG_MEM_RW:
			if (i == 4 || hp->args[i + 1] != IPO_ARG_SIZE)
				return ipo_err(env, pc,
					       "helper %s has a malformed prototype",
					       hname);
			err = ipo_helper_mem(env, pc, regno,
					     hp->args[i] == IPO_ARG_MEM_RW,
					     hname);
			if (err)
				return err;
			i++;
			break;
		default:
			return ipo_err(env, pc,
				       "helper %s has a malformed prototype",
				       hname);
		}
	}
	for (i = IPO_R1; i <= IPO_R5; i++)
		ipo_reg_not_init(&st->r[i]);
	ipo_vreg_unknown(&st->r[IPO_R0]);
	st->r[IPO_R0].umax = hp->ret_max;
	ipo_vreg_sync(&st->r[IPO_R0]);
	return 0;
}

static int ipo_do_call(struct ipo_env *env, u32 pc, const struct ipo_insn *insn)
{
	const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];
	struct ipo_vstate *st = env->cur;
	u32 i;

	if (oi->kind == IPO_K_CALLX) {
		const struct ipo_vreg *r = &st->r[insn->dst];
		int err = ipo_check_read(env, pc, insn->dst);

		if (err)
			return err;
		if (!ipo_vreg_is_const(r))
			return ipo_err(env, pc,
				       "callx R%u is not a known helper id: %s",
				       insn->dst, ipo_rstr(env, 0, r));
		return ipo_do_helper(env, pc, (s64)r->var.value);
	}
	if (insn->src != IPO_PSEUDO_CALL)
		return ipo_do_helper(env, pc, insn->imm);

	{
		struct ipo_func *g =
			&env->fn[ipo_find_func(env, ipo_jump_target(insn, pc))];

		for (i = 0; i < 5; i++) {
			struct ipo_vreg a = st->r[IPO_R1 + i];

			/* Frames stay private: see the comment at the top. */
			if (ipo_reg_is_ptr(&a, IPO_RGN_STACK))
				ipo_reg_not_init(&a);
			if (g->called)
				ipo_reg_join(&g->args[i], &a);
			else
				g->args[i] = a;
		}
		g->called = true;
	}
	for (i = IPO_R1; i <= IPO_R5; i++)
		ipo_reg_not_init(&st->r[i]);
	ipo_vreg_unknown(&st->r[IPO_R0]);
	return 0;
}

static bool ipo_cond_reg_pair(const struct ipo_vreg *a, const struct ipo_vreg *b)
{
	return a->type == IPO_VT_PTR && b->type == IPO_VT_PTR &&
	       a->region == b->region && ipo_off_bounded(a) &&
	       ipo_off_bounded(b);
}

/*
 * Is a known to be a non-NULL address?  Region bases are addresses of real
 * memory (struct ipo_run), so base + offset is never 0 while the whole
 * offset stays between the region's lowest valid byte (the frame's bottom
 * for the stack) and IPO_PTR_BOUND: no wrap around 0 either way.
 */
static bool ipo_ptr_nonnull(const struct ipo_vreg *a)
{
	s64 lo = a->region == IPO_RGN_STACK ? -IPO_STACK_SIZE : 0;

	return a->type == IPO_VT_PTR && ipo_off_bounded(a) &&
	       (s64)a->off + a->smin >= lo &&
	       (s64)a->off + a->smax <= IPO_PTR_BOUND;
}

static bool ipo_is_zero(const struct ipo_vreg *a)
{
	return ipo_vreg_is_const(a) && !a->var.value;
}

/*
 * A non-NULL pointer tested against 0 (clang's `if (!p)`): the outcome is
 * known, so it reveals nothing about the address.  Returns 0 when the
 * jump is never taken, 1 when it always is, -1 for any other comparison.
 */
static int ipo_cond_null(u8 op, bool is64, const struct ipo_vreg *a,
			 const struct ipo_vreg *b)
{
	if (!is64 || (op != IPO_JEQ && op != IPO_JNE))
		return -1;
	if (!(ipo_ptr_nonnull(a) && ipo_is_zero(b)) &&
	    !(ipo_ptr_nonnull(b) && ipo_is_zero(a)))
		return -1;
	return op == IPO_JNE;
}

/*
 * A test left @r, a region's run-time size, at least r->umin on this edge
 * (the scalar domain refined it soundly), so the region is at least that
 * large for the rest of the run: sizes do not change while it runs.
 */
static void ipo_learn_size(struct ipo_vstate *st, const struct ipo_vreg *r)
{
	u32 lo;

	if (r->type != IPO_VT_SCALAR || !r->size_of ||
	    r->size_of >= IPO_NR_REGIONS)
		return;
	lo = r->umin > U32_MAX ? U32_MAX : (u32)r->umin;
	if (lo > st->size_min[r->size_of])
		st->size_min[r->size_of] = lo;
}

/* Send the current state along an edge; 1 = restart at a loop header. */
static int ipo_take_edge(struct ipo_env *env, u32 pc, u32 t)
{
	if (t > pc)
		return ipo_push_target(env, pc, t, env->cur);
	return ipo_back_edge(env, pc, t);
}

static int ipo_do_jcond(struct ipo_env *env, u32 pc,
			const struct ipo_insn *insn)
{
	const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];
	struct ipo_vstate *st = env->cur;
	bool is64 = oi->flags & IPO_OPF_64, srcx = oi->flags & IPO_OPF_SRCX;
	struct ipo_vreg *dst = &st->r[insn->dst];
	struct ipo_vreg src, ta, tb, fa, fb;
	u32 size_min[IPO_NR_REGIONS];
	u32 t = (u32)ipo_jump_target(insn, pc);
	bool can_t, can_f;
	int err;

	err = ipo_check_read(env, pc, insn->dst);
	if (err)
		return err;
	if (srcx) {
		err = ipo_check_read(env, pc, insn->src);
		if (err)
			return err;
		src = st->r[insn->src];
	} else {
		ipo_vreg_const(&src, (u64)(s64)insn->imm);
	}
	if (dst->type == IPO_VT_PTR || src.type == IPO_VT_PTR) {
		switch (ipo_cond_null(oi->op, is64, dst, &src)) {
		case 0:		/* p == 0: never jumps */
			env->aux[pc].flags |= IPO_AUX_FALLS;
			return 0;
		case 1:		/* p != 0: jumps */
			env->aux[pc].flags |= IPO_AUX_TAKEN;
			err = ipo_take_edge(env, pc, t);
			env->live = false;
			return err;
		}
		/*
		 * Two pointers into one region compare their offsets; any other
		 * comparison would let control flow reveal address bits.
		 */
		if (!is64 || oi->op == IPO_JSET ||
		    !ipo_cond_reg_pair(dst, &src))
			return ipo_err(env, pc,
				       "R%u pointer comparison prohibited: %s %s %s",
				       insn->dst, ipo_rstr(env, 0, dst),
				       oi->name, ipo_rstr(env, 1, &src));
		env->aux[pc].flags |= IPO_AUX_TAKEN | IPO_AUX_FALLS;
		err = ipo_take_edge(env, pc, t);
		return err;
	}
	ta = *dst;
	tb = src;
	fa = *dst;
	fb = src;
	can_t = ipo_scalar_cond(&ta, &tb, oi->op, is64, true);
	can_f = ipo_scalar_cond(&fa, &fb, oi->op, is64, false);
	memcpy(size_min, st->size_min, sizeof(size_min));
	if (can_t)
		env->aux[pc].flags |= IPO_AUX_TAKEN;
	if (can_f)
		env->aux[pc].flags |= IPO_AUX_FALLS;
	if (can_t) {
		*dst = ta;
		if (srcx && insn->src != insn->dst)
			st->r[insn->src] = tb;
		ipo_learn_size(st, &ta);
		ipo_learn_size(st, &tb);
		if (memcmp(size_min, st->size_min, sizeof(size_min)))
			env->aux[pc].flags |= IPO_AUX_FENCE_TAKEN;
		err = ipo_take_edge(env, pc, t);
		if (err)
			return err;
		memcpy(st->size_min, size_min, sizeof(size_min));
	}
	if (!can_f) {
		env->live = false;
		return 0;
	}
	*dst = fa;
	if (srcx && insn->src != insn->dst)
		st->r[insn->src] = fb;
	ipo_learn_size(st, &fa);
	ipo_learn_size(st, &fb);
	if (memcmp(size_min, st->size_min, sizeof(size_min)))
		env->aux[pc].flags |= IPO_AUX_FENCE_FALL;
	return 0;
}

static int ipo_do_exit(struct ipo_env *env, u32 pc)
{
	const struct ipo_vreg *r0 = &env->cur->r[IPO_R0];
	int err = ipo_check_read(env, pc, IPO_R0);

	if (err)
		return err;
	if (r0->type != IPO_VT_SCALAR)
		return ipo_err(env, pc, "R0 leaks a pointer at exit: %s",
			       ipo_rstr(env, 0, r0));
	env->live = false;
	return 0;
}

/* Returns < 0 on error, 1 to restart at env->restart_pc, else 0. */
static int ipo_do_insn(struct ipo_env *env, u32 pc, u32 *next)
{
	const struct ipo_insn *insn = &env->insns[pc];
	const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];
	int err;

	*next = pc + 1;
	switch (oi->kind) {
	case IPO_K_ALU:
	case IPO_K_END:
		return ipo_do_alu(env, pc, insn);
	case IPO_K_LDDW:
		err = ipo_check_write(env, pc, insn->dst);
		if (err)
			return err;
		ipo_vreg_const(&env->cur->r[insn->dst],
			       (u64)(u32)insn->imm |
			       ((u64)(u32)env->insns[pc + 1].imm << 32));
		*next = pc + 2;
		return 0;
	case IPO_K_LDX:
		return ipo_do_ldx(env, pc, insn);
	case IPO_K_ST:
	case IPO_K_STX:
		return ipo_do_store(env, pc, insn);
	case IPO_K_ATOMIC:
		return ipo_do_atomic(env, pc, insn);
	case IPO_K_JA:
		err = ipo_take_edge(env, pc, (u32)ipo_jump_target(insn, pc));
		env->live = false;
		return err;
	case IPO_K_JCOND:
		return ipo_do_jcond(env, pc, insn);
	case IPO_K_CALL:
	case IPO_K_CALLX:
		return ipo_do_call(env, pc, insn);
	case IPO_K_EXIT:
		return ipo_do_exit(env, pc);
	}
	return ipo_err(env, pc, "unknown opcode 0x%02x", insn->code);
}

/* ---- the pass ---------------------------------------------------------- */

static void ipo_dump_state(struct ipo_env *env, u32 pc)
{
	struct ipo_vstate *st = env->cur;
	char line[IPO_DISASM_LINE];
	u32 i;

	ipo_disasm_insn(env->insns, env->len, pc, line, sizeof(line));
	ipo_vlog_printf(env->log, "%u: %s ;", pc, line);
	for (i = 0; i < IPO_NREGS; i++)
		if (st->r[i].type != IPO_VT_NOT_INIT)
			ipo_vlog_printf(env->log, " R%u=%s", i,
					ipo_rstr(env, 0, &st->r[i]));
	for (i = 0; i < st->nslots; i++) {
		const struct ipo_vslot *s = &st->s[i];

		if (ipo_slot_is_spill(s))
			ipo_vlog_printf(env->log, " fp-%u=%s", 8 * (i + 1),
					ipo_rstr(env, 0, &s->spill));
		else if (memchr(s->kind, IPO_SB_MISC, 8))
			ipo_vlog_printf(env->log, " fp-%u=misc", 8 * (i + 1));
	}
	for (i = 0; i < IPO_NR_REGIONS; i++)
		if (st->size_min[i])
			ipo_vlog_printf(env->log, " size(%s)>=%u",
					ipo_region_name(i), st->size_min[i]);
	ipo_vlog_printf(env->log, "\n");
}

static void ipo_entry_state(struct ipo_env *env, u32 f)
{
	const struct ipo_prog_type *type = env->type;
	struct ipo_vstate *st = env->cur;
	u32 i;

	ipo_state_set_nslots(st, 0);
	memset(st->size_min, 0, sizeof(st->size_min));
	for (i = 0; i < IPO_NREGS; i++)
		ipo_reg_not_init(&st->r[i]);
	for (i = 0; i < 5; i++) {
		struct ipo_vreg *r = &st->r[IPO_R1 + i];

		if (f) {
			*r = env->fn[f].args[i];
		} else if (type->entry_region[i] != IPO_RGN_NONE &&
			   type->entry_region[i] < IPO_NR_REGIONS &&
			   type->entry_region[i] != IPO_RGN_STACK) {
			ipo_reg_ptr(r, type->entry_region[i], 0);
		} else if (type->entry_scalar[i]) {
			ipo_vreg_unknown(r);
			r->umax = type->entry_scalar_max[i];
			ipo_vreg_sync(r);
			if (type->entry_size_of[i] < IPO_NR_REGIONS)
				r->size_of = type->entry_size_of[i];
		}
	}
	ipo_reg_ptr(&st->r[IPO_FP], IPO_RGN_STACK, 0);
}

/*
 * Every IPO_CHECK_EVERY units of work: the CPU goes to others for a
 * moment, a killed loader stops (-EINTR), and a program over its work
 * limit is rejected (-E2BIG).
 */
static int ipo_check_limits(struct ipo_env *env, u32 pc)
{
	env->next_check = env->work + IPO_CHECK_EVERY;
	ipo_cond_resched();
	if (ipo_fatal_signal_pending())
		return -EINTR;
	if (env->work <= env->work_max)
		return 0;
	ipo_err(env, pc,
		"program too complex: work limit of %llu units reached (%u per insn, at most %u)",
		(unsigned long long)env->work_max, IPO_WORK_FACTOR,
		IPO_WORK_MAX);
	return -E2BIG;
}

static int ipo_verify_func(struct ipo_env *env, u32 f)
{
	struct ipo_func *fn = &env->fn[f];
	u32 pc = fn->start, next, i;
	int err = 0;

	env->func = f;
	env->live = true;
	/* Only this function's headers: per-function O(nhdr) was quadratic. */
	env->hfree = ipo_first_hdr(env, fn->start);
	env->restart_pc = IPO_NO_PC;
	ipo_entry_state(env, f);
	while (pc < fn->end) {
		if (env->open && pc > env->open_until) {
			ipo_release_kept(env);
			ipo_close_loops(env, pc);
			env->retrying = false;
		}
		if (env->fl[pc] & IPO_FL_LDDW2) {
			pc++;
			continue;
		}
		if (env->fl[pc] & IPO_FL_TARGET || env->restart_pc == pc) {
			err = ipo_enter_insn(env, pc);
			if (err)
				break;
		}
		/*
		 * Every step counts, dead instructions too: a loop restart
		 * walks the pass back over its whole body, live or not, so
		 * counting only live visits let restarts across long dead
		 * stretches cost O(restarts * length) unchecked.
		 */
		env->visits++;
		if (++env->work >= env->next_check) {
			err = ipo_check_limits(env, pc);
			if (err)
				break;
		}
		if (!env->live) {
			pc++;
			continue;
		}
		env->aux[pc].flags |= IPO_AUX_SEEN;
		/*
		 * A full log takes no more: formatting a state it would drop
		 * costs microseconds a visit, minutes for the visit budget.
		 */
		if (env->log && env->log->level >= 2 && !env->log->truncated)
			ipo_dump_state(env, pc);
		err = ipo_do_insn(env, pc, &next);
		if (err < 0)
			break;
		if (err > 0) {
			pc = env->restart_pc;
			err = 0;
			continue;
		}
		pc = next;
	}
	if (err == -E2BIG && !env->logged)
		ipo_err(env, pc,
			"program too complex: verifier memory limit of %zu KiB reached",
			env->mem_max >> 10);
	ipo_release_kept(env);
	env->open = false;
	for (i = fn->start; env->nsaved && i < fn->end; i++)
		ipo_saved_drop(env, i);
	for (i = ipo_first_hdr(env, fn->start);
	     i < env->nhdr && env->hdr[i].pc < fn->end; i++) {
		ipo_state_free(env, env->hdr[i].w);
		env->hdr[i].w = NULL;
	}
	env->no_retry = false;
	env->retrying = false;
	return err;
}

static int ipo_check_stack(struct ipo_env *env)
{
	s32 i;
	u32 j;

	for (i = env->nfn - 1; i >= 0; i--) {
		struct ipo_func *f = &env->fn[env->order[i]];
		u32 deepest = 0;

		for (j = 0; j < f->nedges; j++) {
			struct ipo_func *g =
				&env->fn[env->edges[f->edge0 + j].callee];

			if (g->chain > deepest)
				deepest = g->chain;
		}
		f->chain = ((f->depth + 15) & ~15U) + deepest;
		env->aux[f->start].stack_depth = f->depth;
		env->aux[f->start].flags |= IPO_AUX_SUBPROG;
	}
	env->prog->stack_depth = env->fn[0].chain;
	if (env->fn[0].chain > IPO_STACK_SIZE)
		return ipo_err(env, 0,
			       "combined stack size of calls is %u bytes, max %u",
			       env->fn[0].chain, IPO_STACK_SIZE);
	return 0;
}

static void ipo_env_free(struct ipo_env *env)
{
	u32 i;

	for (i = 0; env->nsaved && i < env->len; i++)
		ipo_saved_drop(env, i);
	if (env->hdr)
		for (i = 0; i < env->nhdr; i++)
			ipo_state_free(env, env->hdr[i].w);
	ipo_drop_spares(env);
	ipo_vfree(env, env->saved, env->len * sizeof(*env->saved));
	ipo_vfree(env, env->fl, env->len);
	ipo_vfree(env, env->kept, env->kept_cap * sizeof(*env->kept));
	ipo_vfree(env, env->hdr, env->nhdr_cap * sizeof(*env->hdr));
	ipo_vfree(env, env->hidx, env->len * sizeof(*env->hidx));
	ipo_vfree(env, env->fidx, env->len * sizeof(*env->fidx));
	ipo_vfree(env, env->fn, env->nfn_cap * sizeof(*env->fn));
	ipo_vfree(env, env->edges, env->nedges_cap * sizeof(*env->edges));
	ipo_vfree(env, env->order, env->nfn_cap * sizeof(*env->order));
	ipo_vfree(env, env->cur, ipo_state_size(IPO_SLOTS));
	ipo_free(env);
}

/* The budgets of a program of @len instructions: see "Limits". */
static void ipo_env_limits(struct ipo_env *env, u32 len)
{
	env->mem_max = min_t(u64, IPO_MEM_BASE + (u64)IPO_MEM_PER_INSN * len,
			     IPO_MEM_MAX);
	env->mem = ipo_alloc_size(sizeof(*env));
	env->mem_peak = env->mem;
	env->work_max = min_t(u64, IPO_WORK_BASE + (u64)IPO_WORK_FACTOR * len,
			      IPO_WORK_MAX);
	env->next_check = IPO_CHECK_EVERY;
}

int ipo_verify(struct ipo_prog *prog, struct ipo_vlog *log)
{
	struct ipo_env *env;
	u32 i;
	int err;

	if (!prog || !prog->insns || !prog->type || !prog->aux)
		return -EINVAL;
	prog->verified = false;
	if (!prog->len) {
		ipo_vlog_printf(log, "0: empty program\n");
		return -EINVAL;
	}
	if (prog->len > IPO_MAX_INSNS) {
		ipo_vlog_printf(log, "0: program too large: %u insns, max %u\n",
				prog->len, IPO_MAX_INSNS);
		return -E2BIG;
	}
	env = ipo_zalloc(sizeof(*env));
	if (!env)
		return -ENOMEM;
	env->prog = prog;
	env->type = prog->type;
	env->log = log;
	env->insns = prog->insns;
	env->aux = prog->aux;
	env->len = prog->len;
	ipo_env_limits(env, prog->len);
	/* Killed while the program was copied in: skip the rest. */
	if (ipo_fatal_signal_pending()) {
		err = -EINTR;
		goto out;
	}
	env->fl = ipo_valloc(env, env->len);
	env->saved = ipo_valloc(env, env->len * sizeof(*env->saved));
	env->cur = ipo_valloc(env, ipo_state_size(IPO_SLOTS));
	if (!env->fl || !env->saved || !env->cur) {
		err = ipo_nomem(env);
		goto out;
	}
	env->cur->cap = IPO_SLOTS;
	memset(&prog->mmio, 0, sizeof(prog->mmio));
	for (i = 0; i < env->len; i += IPO_SCAN_CHECK) {
		if (ipo_scan_stop(env, i)) {
			err = -EINTR;
			goto out;
		}
		memset(env->aux + i, 0,
		       min(env->len - i, IPO_SCAN_CHECK) * sizeof(*env->aux));
	}

	err = ipo_check_insns(env);
	if (!err)
		err = ipo_check_flow(env);
	if (!err)
		err = ipo_check_calls(env);
	for (i = 0; !err && i < env->nfn; i++) {
		u32 f = env->order[i];

		if (f && !env->fn[f].called)
			continue;
		err = ipo_verify_func(env, f);
	}
	if (!err)
		err = ipo_check_stack(env);
	if (!err) {
		prog->verified = true;
		if (log && log->level >= 1)
			ipo_vlog_printf(log,
					"verified: %u insns, %u functions, stack %u bytes, %llu insns processed, %llu work units, %zu KiB peak memory\n",
					env->len, env->nfn, prog->stack_depth,
					(unsigned long long)env->visits,
					(unsigned long long)env->work,
					env->mem_peak >> 10);
		if (log && log->level >= 1 && prog->mmio.widths)
			ipo_vlog_printf(log,
					"mmio: constant offsets end at byte 0x%x, widths 0x%x (bytes), %s\n",
					prog->mmio.const_end, prog->mmio.widths,
					prog->mmio.var ?
					"some offsets checked at run time only" :
					"all offsets constant");
	}
out:
	if (err == -E2BIG && !env->logged)
		ipo_vlog_printf(log,
				"0: program too complex: verifier memory limit of %zu KiB reached\n",
				env->mem_max >> 10);
	if (err == -ENOMEM && !env->logged)
		ipo_vlog_printf(log, "0: out of memory\n");
	if (err == -EINTR)
		ipo_vlog_printf(log, "0: verification interrupted by a fatal signal\n");
	ipo_env_free(env);
	return err;
}
