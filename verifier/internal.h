/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the verifier's files share and nobody else sees: known bits
 * (tnum.c), the log (log.c), the abstract state and the scalar domain
 * (scalar.c), and the pass (verifier.c) with its stages.
 */
#ifndef IPO_VERIFIER_INTERNAL_H
#define IPO_VERIFIER_INTERNAL_H

#include "verifier.h"

/*
 * A tnum ("tristate number") knows some bits of a 64-bit value: bits set in
 * mask are unknown, the others equal the matching bit of value.
 */
struct ipo_tnum {
	u64 value;
	u64 mask;
};

#define IPO_TNUM(v, m)	((struct ipo_tnum){ .value = (v), .mask = (m) })

extern const struct ipo_tnum ipo_tnum_unknown;

struct ipo_tnum ipo_tnum_const(u64 v);
struct ipo_tnum ipo_tnum_range(u64 min, u64 max);
struct ipo_tnum ipo_tnum_add(struct ipo_tnum a, struct ipo_tnum b);
struct ipo_tnum ipo_tnum_sub(struct ipo_tnum a, struct ipo_tnum b);
struct ipo_tnum ipo_tnum_and(struct ipo_tnum a, struct ipo_tnum b);
struct ipo_tnum ipo_tnum_or(struct ipo_tnum a, struct ipo_tnum b);
struct ipo_tnum ipo_tnum_xor(struct ipo_tnum a, struct ipo_tnum b);
struct ipo_tnum ipo_tnum_mul(struct ipo_tnum a, struct ipo_tnum b);
struct ipo_tnum ipo_tnum_lshift(struct ipo_tnum a, u8 shift);
struct ipo_tnum ipo_tnum_rshift(struct ipo_tnum a, u8 shift);
struct ipo_tnum ipo_tnum_arshift(struct ipo_tnum a, u8 shift);
struct ipo_tnum ipo_tnum_intersect(struct ipo_tnum a, struct ipo_tnum b);
struct ipo_tnum ipo_tnum_union(struct ipo_tnum a, struct ipo_tnum b);
struct ipo_tnum ipo_tnum_trunc(struct ipo_tnum a, u8 bytes);
/* Can a and b describe the same value at all? */
bool ipo_tnum_compatible(struct ipo_tnum a, struct ipo_tnum b);
/* Is every value b describes also described by a? */
bool ipo_tnum_in(struct ipo_tnum a, struct ipo_tnum b);

static inline bool ipo_tnum_is_const(struct ipo_tnum a)
{
	return !a.mask;
}

static inline bool ipo_tnum_is_unknown(struct ipo_tnum a)
{
	return !~a.mask;
}

/* The log: formatting, source lines, state dumps. */
void ipo_vlog_vprintf(struct ipo_vlog *log, const char *fmt, va_list ap);
__printf(2, 3)
void ipo_vlog_printf(struct ipo_vlog *log, const char *fmt, ...);
/* "; file.c:12: text" for the line that covers @pc, if there is one. */
void ipo_vlog_src(struct ipo_vlog *log, u32 pc);

/* Abstract register types. */
enum ipo_vtype {
	IPO_VT_NOT_INIT = 0,	/* unreadable: never written, or conflicting */
	IPO_VT_SCALAR,
	IPO_VT_PTR,		/* into region (enum ipo_region, incl. STACK) */
};

/*
 * One register.  For a scalar, var/umin/umax/smin/smax describe its value.
 * For a pointer they describe the variable part of its offset; the whole
 * offset from the region's start (the frame pointer for the stack) is
 * off + var.  A scalar with size_of set (a region, never IPO_RGN_NONE) is
 * known to equal that region's run-time size: it was loaded from a context
 * field or entry register described so, or copied whole from one.
 * flags (IPO_VRF_*) only ever describe pointers.
 */
struct ipo_vreg {
	u8 type;
	u8 region;
	u8 size_of;		/* value = size(size_of) >> size_sh */
	u8 flags;
	s32 off;
	struct ipo_tnum var;
	u64 umin, umax;
	s64 smin, smax;
	/*
	 * Loop tag (see "Loop facts" in verifier.c): when lp is set, the
	 * value (a pointer's whole offset) equals that of register or slot
	 * lorig at the header of loop lp - 1, on the current pass through
	 * it, plus a delta in [dlo, dhi], modulo 2^64.
	 */
	u32 lp;
	s16 dlo, dhi;
	/*
	 * Scalars with the same nonzero id hold the same value: a copy, or a
	 * spill and its fill, as long as neither changed (see
	 * ipo_alu_facts()); a jump that narrows one narrows them all.
	 */
	u32 id;
	u8 lorig;
	/*
	 * Stack pointers: 0 into the current function's frame, else 1 + the
	 * argument register (r1..r5 as 0..4) a caller's stack window came in
	 * (see "Functions" in verifier.c); off and var are then relative to
	 * that argument's value.
	 */
	u8 win;
	/*
	 * Size relation (see "Sizes learned from tests"): when rel_rgn is
	 * set, value (a pointer's whole offset) + rel_k <= size(rel_rgn)
	 * >> rel_sh, as integers.
	 */
	u8 rel_rgn;
	u8 rel_sh;
	s32 rel_k;
	u8 size_sh;
};

/* lorig of a slot: IPO_ORIG_SLOT + slot index. */
#define IPO_ORIG_SLOT	16

/* Copies of a value one jump narrows with it, at most. */
#define IPO_COPIES	4

/*
 * A pointer a register scalar was added to or subtracted from: its offset
 * is what the verifier proved only where it followed the jumps that
 * bounded that scalar (even a constant one: a jump can make a register
 * constant), so the JIT does not trust the register for an access through
 * it (IPO_AUX_SPEC_MASK, IPO_AUX_SPEC_EXACT).  Joins keep it.
 */
#define IPO_VRF_MOVED	0x01

/* Stack byte kinds. */
enum {
	IPO_SB_INVALID = 0,	/* never written (or unreadable): no reads */
	IPO_SB_MISC,		/* some scalar data */
	IPO_SB_SPILL,		/* part of a full 8-byte register spill */
};

#define IPO_SLOTS	(IPO_STACK_SIZE / 8)

/* Eight bytes of a frame, fp - 8 * (i + 1) .. fp - 8 * i - 1 for slot i. */
struct ipo_vslot {
	u8 kind[8];
	struct ipo_vreg spill;	/* valid when all eight bytes are SPILL */
};

/*
 * The state at one program point of one function: registers and the frame.
 * Slots at and above nslots are all INVALID; saved states are allocated
 * with room for exactly nslots slots, the working states with IPO_SLOTS.
 * size_min[r] is a lower bound of region r's run-time size on every path
 * here, learned from tests of size_of scalars (0: nothing learned).
 */
struct ipo_vstate {
	struct ipo_vreg r[IPO_NREGS];
	u32 size_min[IPO_NR_REGIONS];
	u32 nslots;
	u32 cap;
	struct ipo_vslot s[];
};

/* The scalar domain (scalar.c). */
void ipo_vreg_unknown(struct ipo_vreg *r);
void ipo_vreg_const(struct ipo_vreg *r, u64 v);
void ipo_vreg_sync(struct ipo_vreg *r);
bool ipo_vreg_empty(const struct ipo_vreg *r);
bool ipo_vreg_is_const(const struct ipo_vreg *r);
void ipo_vreg_add(struct ipo_vreg *d, const struct ipo_vreg *s);
void ipo_vreg_sub(struct ipo_vreg *d, const struct ipo_vreg *s);
void ipo_vreg_zext32(struct ipo_vreg *r);
void ipo_vreg_trunc(struct ipo_vreg *r, u32 bytes);
void ipo_vreg_sext(struct ipo_vreg *r, u32 bits);
void ipo_scalar_alu(struct ipo_vreg *d, const struct ipo_vreg *s, u8 op,
		    s16 off, bool is64);
void ipo_scalar_end(struct ipo_vreg *r, bool swap, u32 bits);
bool ipo_scalar_cond(struct ipo_vreg *a, struct ipo_vreg *b, u8 op,
		     bool is64, bool taken);
bool ipo_scalar_contains(const struct ipo_vreg *a, const struct ipo_vreg *b);
void ipo_scalar_join(struct ipo_vreg *a, const struct ipo_vreg *b);

/* "scalar(...)" / "obj(off=...)" into buf; returns buf. */
const char *ipo_vreg_str(const struct ipo_vreg *reg, char *buf, u32 size);
#define IPO_VREG_STR	160

/*
 * The pass: what verifier.c and the stages it is split into share.  Each
 * group of declarations below names the file that defines it.
 */

/* Limits of one verification: see "Limits" in verifier.c. */
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
#define IPO_FL_LEND	0x40	/* the last instruction of some loop */

#define IPO_NO_PC	U32_MAX

/* ipo_hdr.cand: termination candidates, bit 4 * register + kind. */
enum {
	IPO_TERM_UP,		/* counts up, unsigned bound */
	IPO_TERM_DOWN,		/* counts down, unsigned bound */
	IPO_TERM_SUP,		/* counts up, signed bound (pointer offsets) */
	IPO_TERM_SDOWN,		/* counts down, signed bound */
	IPO_TERM_KINDS,
};

/* An affine relation at a loop header: see "Loop facts" in verifier.c. */
struct ipo_lrel {
	u8 p, c;		/* origins (registers) */
	s16 s;			/* p's offset (or value) = s * c + b */
	s32 b;
};

#define IPO_LRELS	2

/* An access left to a run-time check, as its last visit saw it. */
struct ipo_check_rec {
	u32 pc;
	u32 regno;
	u32 size;
	u32 known;		/* the region size the verifier proved */
	s16 off;
	struct ipo_vreg p;
};

struct ipo_hdr {
	u32 pc;
	u32 end;		/* last back edge to it */
	u32 attempts;
	u32 outer;		/* ipo_loop_of() its header pc, + 1 */
	struct ipo_vstate *w;	/* the header state, NULL before / if dead */
	/* Termination (see "Loop facts"), of the current attempt. */
	u64 cand;
	bool back_seen;		/* a back edge came in this attempt */
	bool fuel;		/* decided: only fuel ends it */
	u8 why_reg;		/* for the report; IPO_NREGS: none */
	u8 why_kind;
	u32 why_pc;
	/* The decision, for the report: see ipo_loop_decide(). */
	u8 bound_reg;		/* IPO_NREGS: no counter */
	u8 bound_kind;
	u64 passes;
	/* Affine relations found at the first back edge, applied after. */
	struct ipo_lrel rel[IPO_LRELS];
	u8 nrel;
	bool rel_tried;
};

struct ipo_call_edge {
	u32 pc;
	u32 callee;
};

/*
 * A window of a caller's stack an argument register brings (see
 * "Functions" in verifier.c): size bytes from the argument's value that
 * hold no spilled pointer in any caller, and which of them every caller
 * had written (readable).
 */
struct ipo_fwin {
	u16 size;
	bool set;		/* some call site passed one */
	u8 rd[IPO_STACK_SIZE / 8];
};

struct ipo_func {
	u32 start, end;
	u32 depth;		/* bytes of stack it touches */
	u32 chain;		/* deepest chain of frames from here, bytes */
	u32 frames;		/* deepest chain of frames reaching it */
	u32 edge0, nedges;	/* its calls in env->edges */
	u32 indeg;
	bool called;
	/*
	 * Some path may leave it without setting r0 (a void function):
	 * callers get r0 unreadable, and its exits need none.
	 */
	bool novalue;
	/* What every call site knew of the region sizes (size_min). */
	u32 size_min[IPO_NR_REGIONS];
	struct ipo_vreg args[5];
	struct ipo_fwin *win;	/* [5], when a call passed a stack pointer */
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
	bool strict;		/* refuse run-time checks and fuel loops */
	/* The accesses left to run-time checks, for the report. */
	struct ipo_check_rec *checks;
	u32 nchecks, checks_cap;
	u32 *check_idx;		/* pc -> 1 + index in checks, or 0 */
	struct ipo_vstate *tmp;	/* a scratch state (IPO_SLOTS) */
	/* Copies a jump narrowed for one edge (see ipo_narrow_copies()). */
	struct {
		u32 at;		/* register, or IPO_NREGS + slot */
		struct ipo_vreg r;
	} copies[IPO_COPIES];
	u32 next_id;		/* the last scalar id handed out */
	char rbuf[2][IPO_VREG_STR];
};

/* Messages of the pass (log.c). */
const char *ipo_rstr(struct ipo_env *env, int which,
		     const struct ipo_vreg *r);
/* One message per rejection; returns -EINVAL. */
__printf(3, 4)
int ipo_err(struct ipo_env *env, u32 pc, const char *fmt, ...);

/* Notes (log.c): see struct ipo_vlog and "Run-time checks". */
bool ipo_notes_on(const struct ipo_env *env);
__printf(3, 4)
void ipo_note(struct ipo_env *env, u32 pc, const char *fmt, ...);
__printf(3, 4)
int ipo_note_or_err(struct ipo_env *env, u32 pc, const char *fmt, ...);

/* Memory and work, states (states.c). */
void *ipo_valloc(struct ipo_env *env, size_t sz);
void ipo_vfree(struct ipo_env *env, void *p, size_t sz);
int ipo_nomem(struct ipo_env *env);

/*
 * Work units (see "Limits" in verifier.c) of a copy or comparison of @st:
 * a unit is about what a simple instruction's visit takes, some 20 ns on
 * today's x86, and moving or comparing 16 slots takes about as long.
 * Registers and slots that a join or a containment test really has to
 * work on (ipo_state_join()'s count; every slot, for containment) take
 * about half a unit each on top.
 */
static inline u32 ipo_state_cost(const struct ipo_vstate *st)
{
	return 1 + st->nslots / 16;
}

static inline u32 ipo_join_cost(const struct ipo_vstate *st, u32 joined)
{
	return ipo_state_cost(st) + joined / 2;
}

static inline size_t ipo_state_size(u32 cap)
{
	return sizeof(struct ipo_vstate) + (size_t)cap * sizeof(struct ipo_vslot);
}

void ipo_drop_spares(struct ipo_env *env);
struct ipo_vstate *ipo_state_alloc(struct ipo_env *env, u32 cap);
void ipo_state_free(struct ipo_env *env, struct ipo_vstate *st);
void ipo_saved_drop(struct ipo_env *env, u32 pc);
void ipo_release_kept(struct ipo_env *env);
void ipo_state_set_nslots(struct ipo_vstate *st, u32 n);
void ipo_state_copy(struct ipo_vstate *dst, const struct ipo_vstate *src);
struct ipo_vstate *ipo_state_dup(struct ipo_env *env,
				 const struct ipo_vstate *src);
void ipo_reg_ptr(struct ipo_vreg *r, u8 region, s32 off);

static inline bool ipo_reg_is_ptr(const struct ipo_vreg *r, u8 region)
{
	return r->type == IPO_VT_PTR && r->region == region;
}

static inline void ipo_reg_not_init(struct ipo_vreg *r)
{
	memset(r, 0, sizeof(*r));
}

/*
 * Why a register became unreadable, for the message of a read of it: an
 * unreadable register's flags hold the reason, its off the instruction
 * (+ 1).  Only a hint: joins keep either side's.
 */
enum {
	IPO_NI_NONE = 0,
	IPO_NI_CALL,		/* r1-r5 after a call */
	IPO_NI_NOVALUE,		/* r0 after a function that may set none */
	IPO_NI_STACK,		/* a stack pointer no callee may have */
};

static inline void ipo_reg_unreadable(struct ipo_vreg *r, u8 why, u32 pc)
{
	memset(r, 0, sizeof(*r));
	r->flags = why;
	r->off = (s32)(pc + 1);
}

static inline void ipo_tag_clear(struct ipo_vreg *r)
{
	r->lp = 0;
	r->lorig = 0;
	r->dlo = 0;
	r->dhi = 0;
}

static inline void ipo_rel_clear(struct ipo_vreg *r)
{
	r->rel_rgn = 0;
	r->rel_sh = 0;
	r->rel_k = 0;
}

/* The loop tag and the size relation of @src, on @dst (not the copy id). */
static inline void ipo_facts_copy(struct ipo_vreg *dst,
				  const struct ipo_vreg *src)
{
	dst->lp = src->lp;
	dst->lorig = src->lorig;
	dst->dlo = src->dlo;
	dst->dhi = src->dhi;
	dst->rel_rgn = src->rel_rgn;
	dst->rel_sh = src->rel_sh;
	dst->rel_k = src->rel_k;
}

/* A jump's condition negated; IPO_JNSET stands for "!(a & b)". */
#define IPO_JNSET	0xe0
u8 ipo_cond_negate(u8 op);

void ipo_ptr_fold_off(struct ipo_vreg *r);
void ipo_facts_join(struct ipo_vreg *a, const struct ipo_vreg *b);
bool ipo_facts_contain(const struct ipo_vreg *a, const struct ipo_vreg *b);
void ipo_facts_widen(struct ipo_vreg *a, const struct ipo_vreg *b);
void ipo_rel_lift(const struct ipo_vstate *st, struct ipo_vreg *to,
		  const struct ipo_vreg *from);
void ipo_reg_join(struct ipo_vreg *a, const struct ipo_vreg *b);
bool ipo_reg_contains(const struct ipo_vreg *a, const struct ipo_vreg *b);
bool ipo_value_contains(const struct ipo_vreg *a, const struct ipo_vreg *b);

static inline bool ipo_slot_is_spill(const struct ipo_vslot *s)
{
	return s->kind[0] == IPO_SB_SPILL;
}

u32 ipo_state_join(struct ipo_vstate *dst, const struct ipo_vstate *src,
		   bool widen);

/* ipo_state_contains()'s *what for a region size fact (not R or fp-). */
#define IPO_WHAT_SIZE	(-(IPO_SLOTS + 1))

bool ipo_state_contains(const struct ipo_vstate *a,
			const struct ipo_vstate *b, int *what,
			u32 *tested);

/* The pre-scan (prescan.c). */
u32 ipo_find_func(struct ipo_env *env, u32 pc);
struct ipo_hdr *ipo_find_hdr(struct ipo_env *env, u32 pc);
bool ipo_side_entry(struct ipo_env *env, u32 pc, u32 t);
bool ipo_scan_stop(struct ipo_env *env, u32 pc);
s64 ipo_jump_target(const struct ipo_insn *insn, u32 pc);
int ipo_check_insns(struct ipo_env *env);
int ipo_check_flow(struct ipo_env *env);
int ipo_check_calls(struct ipo_env *env);
int ipo_check_returns(struct ipo_env *env);

/* Joins at jump targets, loops (loops.c). */
u32 ipo_first_hdr(const struct ipo_env *env, u32 pc);
void ipo_close_loops(struct ipo_env *env, u32 pc);
int ipo_enter_insn(struct ipo_env *env, u32 pc);
int ipo_take_edge(struct ipo_env *env, u32 pc, u32 t);

/* Registers, memory (memory.c). */
int ipo_check_read(struct ipo_env *env, u32 pc, u32 regno);
int ipo_check_write(struct ipo_env *env, u32 pc, u32 regno);
void ipo_loaded_scalar(struct ipo_vreg *r, u32 size, bool sx);

static inline bool ipo_off_bounded(const struct ipo_vreg *p)
{
	return p->smin >= -IPO_PTR_BOUND && p->smax <= IPO_PTR_BOUND;
}

enum ipo_acc {
	IPO_ACC_READ,
	IPO_ACC_WRITE,
	IPO_ACC_ATOMIC,		/* read-modify-write */
};

u8 ipo_stack_kind(const struct ipo_vstate *st, s64 addr);
void ipo_note_depth(struct ipo_env *env, s64 lo);
void ipo_stack_mark(struct ipo_vstate *st, s64 lo, s64 hi, u8 kind,
		    bool maybe);

/*
 * Offset of a pointer whose variable part is a known constant, plus @off.
 * Addresses wrap: the sum is taken as u64 and then read as an offset, which
 * is exactly where the access lands (and never signed-overflow UB).
 */
static inline s64 ipo_const_off(const struct ipo_vreg *p, s64 off)
{
	return (s64)((u64)(s64)p->off + p->var.value + (u64)off);
}

int ipo_region_bounds(struct ipo_env *env, u32 pc, u32 regno,
		      const struct ipo_vreg *p, s64 off, u64 size,
		      bool *provable);
bool ipo_rel_proves(const struct ipo_vreg *p, s64 off, u64 size);
int ipo_region_oob(struct ipo_env *env, u32 pc, u32 regno,
		   const struct ipo_vreg *p, s16 off, u64 size,
		   const char *what);
int ipo_mem_access(struct ipo_env *env, u32 pc, u32 regno, s16 off,
		   u32 size, enum ipo_acc acc, bool fetch,
		   const struct ipo_vreg *val, u32 valno,
		   struct ipo_vreg *out, bool sx);

/* Loop facts, size relations (facts.c). */
void ipo_tags_rebase(struct ipo_env *env, struct ipo_vstate *st, u32 k);
void ipo_tags_strip(struct ipo_env *env, struct ipo_vstate *st, u32 pc);
void ipo_tag_shift(struct ipo_vreg *r, s64 lo, s64 hi);
void ipo_term_reset(struct ipo_hdr *h);
void ipo_term_back_edge(struct ipo_env *env, u32 k,
			const struct ipo_vstate *cur, u32 pc);
void ipo_loop_decide(struct ipo_env *env, u32 k);
int ipo_loop_report(struct ipo_env *env, u32 k);
void ipo_lrel_find(struct ipo_env *env, u32 k, const struct ipo_vstate *cur);
bool ipo_lrel_check(struct ipo_env *env, u32 k, const struct ipo_vstate *cur);
void ipo_lrel_apply(struct ipo_env *env, u32 k, struct ipo_vstate *st);
u64 ipo_region_max(const struct ipo_prog_type *type, u8 region);
void ipo_rel_sync(struct ipo_env *env, struct ipo_vreg *r);

/* What the verifier tells an author (report.c). */
int ipo_check_record(struct ipo_env *env, u32 pc, u32 regno,
		     const struct ipo_vreg *p, s16 off, u32 size, u32 known);
int ipo_report_func(struct ipo_env *env, u32 f);
void ipo_report_free(struct ipo_env *env);

/* Calls (calls.c). */
int ipo_do_call(struct ipo_env *env, u32 pc, const struct ipo_insn *insn);

/* One instruction (insn.c). */
int ipo_do_insn(struct ipo_env *env, u32 pc, u32 *next);

#endif /* IPO_VERIFIER_INTERNAL_H */
