/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The engine's contract: a program, the description of its program type,
 * the verifier's per-instruction findings (which the executors act on)
 * and the state of one run.
 *
 * A program type is data (struct ipo_prog_type), not code in the verifier:
 * progtypes.c describes METHOD and IRQ programs and the conformance
 * suite's "mem" programs, the host tests describe their own, and the
 * verifier checks every program against whatever description it is
 * handed.
 */
#ifndef IPO_PROG_H
#define IPO_PROG_H

#include "compat.h"
#include "isa.h"

/*
 * Memory a program may touch, besides its stack.  A pointer register always
 * points into exactly one region; at run time each region is a (base, size)
 * pair in struct ipo_run.
 */
enum ipo_region {
	IPO_RGN_NONE = 0,
	IPO_RGN_CTX,	/* the context struct (read only, fields described) */
	IPO_RGN_OBJ,	/* the object's data */
	IPO_RGN_ARG,	/* the call's argument buffer */
	IPO_RGN_OUT,	/* the call's output buffer */
	IPO_RGN_MEM,	/* generic memory (host conformance runs) */
	IPO_RGN_STACK,	/* the 512-byte stack; always checked statically */
	IPO_NR_REGIONS,
};

/* ipo_region_desc.flags */
#define IPO_RGNF_READ	0x01	/* loads allowed */
#define IPO_RGNF_WRITE	0x02	/* stores and atomics allowed */
#define IPO_RGNF_DYN	0x04	/* size known only at run time */

/*
 * A region as the verifier sees it.  Accesses that provably fall inside
 * [0, min_size) are accepted without a check.  Anything else is rejected
 * unless IPO_RGNF_DYN is set, in which case it is accepted and marked for a
 * run-time bounds check against ipo_run.size[region].
 */
struct ipo_region_desc {
	u32 flags;
	u32 min_size;
};

/* One field of the context struct that loads give something typed. */
struct ipo_ctx_field {
	u16 off;
	u8 size;		/* must be loaded with exactly this width */
	u8 region;		/* IPO_RGN_NONE: scalar; else pointer to it */
	u64 max;		/* scalar fields: upper bound of the value */
	/*
	 * Scalar fields: IPO_RGN_NONE, or the region whose run-time size
	 * (ipo_run.size[]) this field always holds.  The verifier then learns
	 * lower bounds of that size from the program's tests of the value.
	 */
	u8 size_of;
};

/* Argument and return kinds of helpers. */
enum ipo_arg_kind {
	IPO_ARG_NONE = 0,	/* not passed; must not be read */
	IPO_ARG_ANY,		/* any initialised scalar */
	IPO_ARG_CONST,		/* scalar whose value is known at verification */
	/* pointer to initialised readable memory, size in the next argument */
	IPO_ARG_MEM_RO,
	IPO_ARG_MEM_RW,		/* pointer to writable memory, size next */
	IPO_ARG_SIZE,		/* scalar byte count for the previous pointer */
	IPO_ARG_CTX,		/* the context pointer, unmodified */
	/*
	 * scalar offset into the device window of an access of
	 * ipo_helper_proto.mmio_size bytes: recorded in ipo_prog (see
	 * ipo_mmio_use)
	 */
	IPO_ARG_MMIO_OFF,
};

struct ipo_run;

typedef u64 (*ipo_helper_fn)(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5,
			     struct ipo_run *run);

struct ipo_helper_proto {
	const char *name;
	ipo_helper_fn fn;
	u8 args[5];		/* enum ipo_arg_kind */
	u64 ret_max;		/* r0 after the call is a scalar in [0, ret_max] */
	u8 mmio_size;		/* bytes of an IPO_ARG_MMIO_OFF access */
	/*
	 * Fuel charged on top of IPO_FUEL_CALL: what a call costs in
	 * instructions' time, so that fuel bounds time, not only
	 * instructions, for a helper much slower than an instruction.
	 */
	u32 fuel;
};

struct ipo_prog_type {
	const char *name;
	/* r1..r5 at entry: region pointed to (IPO_RGN_NONE = scalar). */
	u8 entry_region[5];
	/* entry scalars: initialised?  (pointer registers always are) */
	u8 entry_scalar[5];
	u64 entry_scalar_max[5];
	/* entry scalars: the region whose run-time size they hold, if any */
	u8 entry_size_of[5];
	struct ipo_region_desc regions[IPO_NR_REGIONS];
	const struct ipo_ctx_field *ctx_fields;
	u32 nr_ctx_fields;
	u32 ctx_size;
	/* helpers[id], id < nr_helpers; a NULL fn means "not allowed". */
	const struct ipo_helper_proto *helpers;
	u32 nr_helpers;
};

/* ipo_insn_aux.flags: what the verifier found about one instruction. */
#define IPO_AUX_SEEN		0x01	/* reachable */
#define IPO_AUX_JUMP_TARGET	0x02	/* some jump or call lands here */
#define IPO_AUX_RT_CHECK	0x04	/* memory access needs a bounds check */
#define IPO_AUX_SUBPROG		0x08	/* first instruction of a function */
#define IPO_AUX_BACKEDGE	0x10	/* jump whose target is not after it */
/*
 * Some visit of this access had a variable offset or one a register moved
 * (IPO_VRF_MOVED), or could not prove its whole offset from the region's
 * start (pointer offset, range and insn offset, plus the size) inside
 * [0, IPO_PTR_BOUND]: a run-time check of it must catch addresses below
 * the base and wrapped ones too, and mask both ends against speculation
 * (the full check).  Only ever set, so an
 * instruction visited several times (a loop body, re-verified after
 * widening) is without it only if every visit found the same kind of
 * constant offset.
 */
#define IPO_AUX_RT_FULL		0x20
/*
 * A conditional jump from which the verifier learned a lower bound of a
 * region's size (see "Sizes learned from tests" in verifier/verifier.c)
 * on its taken edge, its fall-through edge or both.  Accesses below that
 * bound get no run-time check, so a CPU that speculates down the edge with
 * a smaller region must not reach them: the JIT puts a speculation barrier
 * (lfence) on each such edge.  Only ever set.
 */
#define IPO_AUX_FENCE_TAKEN	0x40
#define IPO_AUX_FENCE_FALL	0x80
/*
 * Speculation (Spectre v1).  A CPU that mispredicts a conditional jump
 * runs on with the registers as they are, not as the verifier narrowed
 * them on the edge it followed: an index bounded by the jump may be out
 * of range there.  The verifier proves every access on the paths it
 * follows; these marks let the JIT keep an access inside its region on
 * the paths it does not follow too.
 *
 * IPO_AUX_SPEC_MASK: a region access whose address involves a scalar held
 * in a register, on some visit: a variable offset, or a constant one that
 * came from a register (ptr += reg, see IPO_VRF_MOVED).  Unless it also
 * has a run-time check (which masks both ends, IPO_AUX_RT_FULL), the JIT
 * compares its offset from the region's base with the largest valid one,
 * spec_valid - 1, and takes the base when it is beyond (cmovae): no jump,
 * predicted right or wrong, can move the access out of [base, base +
 * spec_valid - 1 + width).  spec_valid is the size the verifier proved
 * (fixed minimum or tested, see IPO_AUX_FENCE_*) minus the width plus 1,
 * the least over the visits that proved the access; architecturally every
 * offset is below it, so nothing changes.
 *
 * IPO_AUX_SPEC_EXACT: a stack or context access through a pointer a
 * register moved, proven at one constant offset (spec_off, from the
 * current function's frame pointer or from the context's start): the JIT
 * makes the access there, without the register.  spec_off is recorded
 * for every stack and context access (IPO_AUX_SPEC_OFF); S32_MIN when two
 * visits proved different offsets, which the verifier refuses for an
 * access that needs IPO_AUX_SPEC_EXACT.
 *
 * IPO_AUX_TAKEN, IPO_AUX_FALLS: a conditional jump whose taken or
 * fall-through edge the verifier followed on some visit.  A jump with
 * only one of them always goes that way, and the verifier knows nothing
 * about the other edge's state: the JIT makes it an unconditional jump or
 * no jump at all, so no misprediction can take the edge it never checked.
 *
 * All are only ever set; spec_valid is the least of every visit's.
 */
#define IPO_AUX_SPEC_MASK	0x100
#define IPO_AUX_SPEC_EXACT	0x200
#define IPO_AUX_SPEC_OFF	0x400
#define IPO_AUX_TAKEN		0x800
#define IPO_AUX_FALLS		0x1000
/*
 * A helper call that may write into the object (an IPO_ARG_MEM_RW
 * argument pointing there on some visit): spec_valid holds bit regno for
 * each such argument register, whose memory (its size in the next
 * register) the executors log before the call (exec/undo.h).  Only ever
 * set.
 */
#define IPO_AUX_OBJ_WRITE	0x2000
/*
 * IPO_AUX_SPEC_DYN: a region access proven on some visit by a relation to
 * the region's run-time size (an index tested against the size field, see
 * "Sizes learned from tests" in verifier/verifier.c), not by a size the
 * verifier knows: its offset may lie past every size it knows, so a mask
 * against spec_valid would move it.  The JIT masks it against the
 * run-time count of valid offsets instead, as a full check does but
 * without the branch (the access cannot fail).  It takes precedence over
 * IPO_AUX_SPEC_MASK; IPO_AUX_RT_CHECK over both.
 *
 * IPO_AUX_SPEC_FRAME: a stack access at a variable offset into the
 * current function's frame, proven inside [fp + spec_lo, fp + spec_lo +
 * spec_valid - 1 + width) on every visit (the hull of the visits'
 * ranges, all of whose bytes the verifier checked): the JIT keeps the
 * address there against speculation, as IPO_AUX_SPEC_MASK does for
 * regions.
 */
#define IPO_AUX_SPEC_DYN	0x4000
#define IPO_AUX_SPEC_FRAME	0x8000

struct ipo_insn_aux {
	u16 flags;
	u8 region;	/* of an access to memory: the region it is in */
	u16 stack_depth; /* for IPO_AUX_SUBPROG: bytes of stack it uses */
	s16 spec_lo;	/* for IPO_AUX_SPEC_FRAME, see above */
	union {
		u32 spec_valid;	/* for IPO_AUX_SPEC_MASK, _FRAME */
		s32 spec_off;	/* for IPO_AUX_SPEC_OFF, see above */
	};
};

/*
 * Device window accesses (IPO_ARG_MMIO_OFF) the verifier saw, for the
 * attach-time check against the window granted: the end of the farthest
 * constant-offset access, the widths used (bit n: 1 << n bytes) and
 * whether any offset was not constant (checked only at run time).  A
 * constant offset that is misaligned or not below IPO_MMIO_OFF_MAX is
 * rejected at load.
 */
#define IPO_MMIO_OFF_MAX	(1U << 24)

struct ipo_mmio_use {
	u32 const_end;
	u8 widths;
	bool var;
};

/* A loaded program. */
struct ipo_prog {
	const struct ipo_insn *insns;
	u32 len;			/* instructions (lddw counts two) */
	const struct ipo_prog_type *type;
	struct ipo_insn_aux *aux;	/* len entries, filled by the verifier */
	u32 stack_depth;		/* deepest call chain, bytes */
	struct ipo_mmio_use mmio;	/* filled by the verifier */
	/*
	 * Filled by the verifier: the end of the farthest context byte any
	 * load may read (the whole context when it is handed to a helper).
	 * An embedder need not fill in context fields at or past it.
	 */
	u32 ctx_read_end;
	bool verified;
	/*
	 * Set by the loader: load-time guarantees only.  The verifier then
	 * refuses an access it cannot prove in bounds (a run-time check) and
	 * a loop it cannot prove to end (fuel), as Linux's would.
	 */
	bool strict;
	/* Filled by the verifier: loops only fuel ends (IPO_PROG_STRICT). */
	u32 fuel_loops;
};

/* Why a run stopped early.  0 means it ran to its exit. */
enum ipo_abort {
	IPO_RUN_OK = 0,
	IPO_ABORT_FUEL,		/* fuel budget exhausted */
	IPO_ABORT_BOUNDS,	/* run-time bounds check failed */
	IPO_ABORT_HELPER,	/* a helper asked to abort the call */
	IPO_ABORT_UNWIND,	/* a helper asked to stop, r0 = unwind value */
	IPO_ABORT_UNDO,		/* the undo log is full (exec/undo.h) */
};

/*
 * Fuel is counted in instructions: a taken back edge from pc to target
 * costs pc - target + 1, a call (helper or local) costs IPO_FUEL_CALL, a
 * helper call also its proto's fuel.
 * Straight-line code is bounded by the program length and the call depth,
 * so this bounds every run.  Interpreter and JIT charge identically.
 */
#define IPO_FUEL_CALL	1

/*
 * Offsets the verifier treats as small: a pointer whose offset from its
 * region's start lies in [0, IPO_PTR_BOUND] is an address that has not
 * wrapped (see struct ipo_run).
 */
#define IPO_PTR_BOUND		(1LL << 29)

/*
 * One run of a verified program.  The base of every region a program can
 * point to is the address of real memory, outside the first page and the
 * top 512 MiB (IPO_PTR_BOUND bytes) of the address space, and the region
 * [base, base + size) does not wrap around its end.  So base + off, for
 * any off in [0, IPO_PTR_BOUND], is at most 2^64 - 1: it neither wraps nor
 * is NULL.  The verifier relies on it to decide a pointer's test against 0
 * (a NULL branch it never checked would run otherwise) and to compare two
 * pointers into one region by their offsets; the JIT, to check an access
 * whose offset the verifier proved in that range against the region's end
 * alone (IPO_AUX_RT_FULL clear).  Every executor must allocate regions for
 * real (no static or module data: module space reaches into the top
 * 512 MiB on x86-64).  base and size are set before the run and do not
 * change while it runs (helpers must not write them): JIT code reads them
 * once, at entry.  An entry register that points to a region (the
 * context in r1) holds that region's base: the verifier takes its offset
 * as 0, and JIT code makes a context access at its proven offset from
 * base[IPO_RGN_CTX] (IPO_AUX_SPEC_EXACT).
 */
struct ipo_run {
	u64 base[IPO_NR_REGIONS];
	u64 size[IPO_NR_REGIONS];
	s64 fuel;		/* remaining; < 0 after IPO_ABORT_FUEL */
	u32 abort;		/* enum ipo_abort */
	u32 abort_pc;		/* instruction that aborted */
	u64 unwind_value;	/* r0 for IPO_ABORT_UNWIND */
	void *priv;		/* for helpers */
	/*
	 * NULL: the run records nothing.  Else every write into IPO_RGN_OBJ
	 * is logged first (exec/undo.h); undo_map is the object's touch map,
	 * a byte per granule, read by JIT code at entry like base and size.
	 */
	struct ipo_undo *undo;
	u8 *undo_map;
};

/* Human-readable names of enum ipo_abort. */
const char *ipo_abort_str(u32 abort);
const char *ipo_region_name(u8 region);

#endif /* IPO_PROG_H */
