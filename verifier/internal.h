/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the verifier's files share and nobody else sees: known bits
 * (tnum.c), the log (log.c) and the abstract state the pass (verifier.c)
 * works on.
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
	u8 size_of;
	u8 flags;
	s32 off;
	struct ipo_tnum var;
	u64 umin, umax;
	s64 smin, smax;
};

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
const char *ipo_region_name(u8 region);
#define IPO_VREG_STR	160

#endif /* IPO_VERIFIER_INTERNAL_H */
