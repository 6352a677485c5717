// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The scalar domain: what the verifier knows about a 64-bit value (known
 * bits plus unsigned and signed ranges), how ALU operations transform it and
 * how a conditional jump narrows it on each branch.
 *
 * 32-bit operations are not tracked with separate 32-bit ranges.  Instead
 * both operands are turned into 64-bit "views" of their low halves (zero-
 * or sign-extended, whichever the operation needs), the 64-bit transfer
 * function runs on the views, and the result is truncated to 32 bits and
 * zero-extended.  For every ALU32 operation of RFC 9669 the low 32 bits of
 * the 64-bit operation on extended operands equal the 32-bit result (shift
 * counts are masked to 5 bits first), so this is exact where the 64-bit
 * function is, and it keeps one implementation of each operation.  JMP32
 * works on the same views and writes what it learns back to the full
 * register when the upper half is known.
 */
#include "internal.h"
#include "../base/alu.h"

#define IPO_LO32	0x00000000ffffffffULL
#define IPO_HI32	0xffffffff00000000ULL

void ipo_vreg_unknown(struct ipo_vreg *r)
{
	memset(r, 0, sizeof(*r));
	r->type = IPO_VT_SCALAR;
	r->var = ipo_tnum_unknown;
	r->umax = U64_MAX;
	r->smin = S64_MIN;
	r->smax = S64_MAX;
}

void ipo_vreg_const(struct ipo_vreg *r, u64 v)
{
	memset(r, 0, sizeof(*r));
	r->type = IPO_VT_SCALAR;
	r->var = ipo_tnum_const(v);
	r->umin = r->umax = v;
	r->smin = r->smax = (s64)v;
}

/* Forget the ranges, keep var; ipo_vreg_sync() rebuilds them from it. */
static void ipo_vreg_ranges_unknown(struct ipo_vreg *r)
{
	r->umin = 0;
	r->umax = U64_MAX;
	r->smin = S64_MIN;
	r->smax = S64_MAX;
}

static void ipo_vreg_from_tnum(struct ipo_vreg *r)
{
	s64 smin = (s64)(r->var.value | (r->var.mask & (u64)S64_MIN));
	s64 smax = (s64)(r->var.value | (r->var.mask & (u64)S64_MAX));

	if (smin > r->smin)
		r->smin = smin;
	if (smax < r->smax)
		r->smax = smax;
	if (r->var.value > r->umin)
		r->umin = r->var.value;
	if ((r->var.value | r->var.mask) < r->umax)
		r->umax = r->var.value | r->var.mask;
}

/* Let the signed and unsigned ranges teach each other (kernel style). */
static void ipo_vreg_deduce(struct ipo_vreg *r)
{
	if (r->smin >= 0 || r->smax < 0) {
		/* Both ranges are on one side of the sign boundary. */
		u64 lo = max_t(u64, r->smin, r->umin);
		u64 hi = min_t(u64, r->smax, r->umax);

		r->smin = (s64)lo;
		r->umin = lo;
		r->smax = (s64)hi;
		r->umax = hi;
		return;
	}
	if ((s64)r->umax >= 0) {
		/* Unsigned range is all non-negative: so is the value. */
		r->smin = (s64)r->umin;
		r->umax = min_t(u64, r->smax, r->umax);
		r->smax = (s64)r->umax;
	} else if ((s64)r->umin < 0) {
		/* Unsigned range is all "negative". */
		r->umin = max_t(u64, r->smin, r->umin);
		r->smin = (s64)r->umin;
		r->smax = (s64)r->umax;
	}
}

void ipo_vreg_sync(struct ipo_vreg *r)
{
	ipo_vreg_from_tnum(r);
	ipo_vreg_deduce(r);
	if (r->umin <= r->umax)
		r->var = ipo_tnum_intersect(r->var,
					    ipo_tnum_range(r->umin, r->umax));
	ipo_vreg_from_tnum(r);
}

/* An impossible value: the branch that produced it cannot be taken. */
bool ipo_vreg_empty(const struct ipo_vreg *r)
{
	return r->umin > r->umax || r->smin > r->smax ||
	       (r->var.value & r->var.mask);
}

bool ipo_vreg_is_const(const struct ipo_vreg *r)
{
	return r->type == IPO_VT_SCALAR && ipo_tnum_is_const(r->var);
}

static void ipo_add(struct ipo_vreg *d, const struct ipo_vreg *s)
{
	s64 smin, smax;
	u64 umin, umax;

	if (check_add_overflow(d->smin, s->smin, &smin) ||
	    check_add_overflow(d->smax, s->smax, &smax)) {
		d->smin = S64_MIN;
		d->smax = S64_MAX;
	} else {
		d->smin = smin;
		d->smax = smax;
	}
	if (check_add_overflow(d->umin, s->umin, &umin) ||
	    check_add_overflow(d->umax, s->umax, &umax)) {
		d->umin = 0;
		d->umax = U64_MAX;
	} else {
		d->umin = umin;
		d->umax = umax;
	}
	d->var = ipo_tnum_add(d->var, s->var);
}

static void ipo_sub(struct ipo_vreg *d, const struct ipo_vreg *s)
{
	s64 smin, smax;

	if (__builtin_sub_overflow(d->smin, s->smax, &smin) ||
	    __builtin_sub_overflow(d->smax, s->smin, &smax)) {
		d->smin = S64_MIN;
		d->smax = S64_MAX;
	} else {
		d->smin = smin;
		d->smax = smax;
	}
	if (d->umin < s->umax) {
		d->umin = 0;
		d->umax = U64_MAX;
	} else {
		d->umin -= s->umax;
		d->umax -= s->umin;
	}
	d->var = ipo_tnum_sub(d->var, s->var);
}

/* Pointer offsets use the same arithmetic as scalars. */
void ipo_vreg_add(struct ipo_vreg *d, const struct ipo_vreg *s)
{
	ipo_add(d, s);
	ipo_vreg_sync(d);
}

void ipo_vreg_sub(struct ipo_vreg *d, const struct ipo_vreg *s)
{
	ipo_sub(d, s);
	ipo_vreg_sync(d);
}

/* Sign-extend the low @bits bits of a register. */
void ipo_vreg_sext(struct ipo_vreg *r, u32 bits)
{
	s64 lo = -(1LL << (bits - 1)), hi = (1LL << (bits - 1)) - 1;
	u64 sign = 1ULL << (bits - 1);
	u64 keep = (sign << 1) - 1;

	if (r->smin >= lo && r->smax <= hi)
		return;		/* already a sign-extended small value */
	if (r->umax <= (u64)hi && (r->umax >> bits) == 0)
		return;
	if ((r->umin >> bits) == (r->umax >> bits) &&
	    ((r->umin & keep) >= sign) == ((r->umax & keep) >= sign)) {
		/* Low part in one half: the result range is contiguous. */
		s64 a = (r->umin & keep) >= sign ?
			(s64)((r->umin & keep) | ~keep) : (s64)(r->umin & keep);
		s64 b = (r->umax & keep) >= sign ?
			(s64)((r->umax & keep) | ~keep) : (s64)(r->umax & keep);
		struct ipo_tnum t = ipo_tnum_trunc(r->var, bits / 8);

		ipo_vreg_unknown(r);
		r->smin = a;
		r->smax = b;
		if (!(t.mask & sign))
			r->var = (t.value & sign) ?
				IPO_TNUM(t.value | ~keep, t.mask) : t;
		ipo_vreg_sync(r);
		return;
	}
	{
		struct ipo_tnum t = ipo_tnum_trunc(r->var, bits / 8);

		ipo_vreg_unknown(r);
		r->smin = lo;
		r->smax = hi;
		/* A known sign bit extends into known upper bits. */
		if (!(t.mask & sign))
			r->var = (t.value & sign) ?
				IPO_TNUM(t.value | ~keep, t.mask) : t;
		ipo_vreg_sync(r);
	}
}

/* Keep the low 32 bits, zero-extended. */
void ipo_vreg_zext32(struct ipo_vreg *r)
{
	struct ipo_tnum t = ipo_tnum_trunc(r->var, 4);
	u64 lo = 0, hi = IPO_LO32;

	if ((r->umin >> 32) == (r->umax >> 32)) {
		lo = r->umin & IPO_LO32;
		hi = r->umax & IPO_LO32;
	}
	ipo_vreg_unknown(r);
	r->var = t;
	r->umin = lo;
	r->umax = hi;
	ipo_vreg_sync(r);
}

/* Truncate to @bytes (1, 2, 4 or 8), zero-extended. */
void ipo_vreg_trunc(struct ipo_vreg *r, u32 bytes)
{
	u64 keep;
	struct ipo_tnum t;

	if (bytes >= 8)
		return;
	if (bytes == 4) {
		ipo_vreg_zext32(r);
		return;
	}
	keep = (1ULL << (bytes * 8)) - 1;
	t = ipo_tnum_trunc(r->var, bytes);
	if (r->umax <= keep)
		return;
	ipo_vreg_unknown(r);
	r->var = t;
	r->umax = keep;
	ipo_vreg_sync(r);
}

/* Low 32 bits as a 64-bit value, zero- or sign-extended. */
static void ipo_view32(struct ipo_vreg *v, const struct ipo_vreg *r,
		       bool sign)
{
	*v = *r;
	ipo_vreg_zext32(v);
	if (sign)
		ipo_vreg_sext(v, 32);
}

static bool ipo_shift_const(const struct ipo_vreg *s, u32 width, u8 *k)
{
	if (!ipo_tnum_is_const(s->var))
		return false;
	*k = s->var.value & (width - 1);
	return true;
}

/*
 * The 64-bit transfer function; @width is 64, or 32 when the operands are
 * 32-bit views (shift counts are masked to it).  s is a scalar.
 */
static void ipo_alu(struct ipo_vreg *d, const struct ipo_vreg *s, u8 op,
		    s16 off, u32 width)
{
	u8 k;

	if (op == IPO_MOV) {
		*d = *s;
		if (off)
			ipo_vreg_sext(d, off);
		return;
	}
	if (op == IPO_NEG) {
		struct ipo_vreg zero;

		ipo_vreg_const(&zero, 0);
		ipo_sub(&zero, d);
		*d = zero;
		ipo_vreg_sync(d);
		return;
	}
	/* 32-bit constants are folded by the caller, at their own width. */
	if (width == 64 && ipo_tnum_is_const(d->var) &&
	    ipo_tnum_is_const(s->var)) {
		ipo_vreg_const(d, ipo_alu64(op, off, d->var.value,
					    s->var.value));
		return;
	}
	switch (op) {
	case IPO_ADD:
		ipo_add(d, s);
		break;
	case IPO_SUB:
		ipo_sub(d, s);
		break;
	case IPO_MUL: {
		u64 umax, umin;

		d->var = ipo_tnum_mul(d->var, s->var);
		if (check_mul_overflow(d->umax, s->umax, &umax)) {
			ipo_vreg_ranges_unknown(d);
		} else {
			umin = d->umin * s->umin;
			ipo_vreg_ranges_unknown(d);
			d->umin = umin;
			d->umax = umax;
		}
		break;
	}
	case IPO_AND: {
		u64 umax = min(d->umax, s->umax);

		d->var = ipo_tnum_and(d->var, s->var);
		ipo_vreg_ranges_unknown(d);
		d->umax = umax;
		break;
	}
	case IPO_OR: {
		u64 umin = max(d->umin, s->umin);

		d->var = ipo_tnum_or(d->var, s->var);
		ipo_vreg_ranges_unknown(d);
		d->umin = umin;
		break;
	}
	case IPO_XOR:
		d->var = ipo_tnum_xor(d->var, s->var);
		ipo_vreg_ranges_unknown(d);
		break;
	case IPO_LSH:
		if (!ipo_shift_const(s, width, &k)) {
			ipo_vreg_unknown(d);
			break;
		}
		d->var = ipo_tnum_lshift(d->var, k);
		if (k < 64 && ((d->umax << k) >> k) == d->umax) {
			u64 umin = d->umin << k, umax = d->umax << k;

			ipo_vreg_ranges_unknown(d);
			d->umin = umin;
			d->umax = umax;
		} else {
			ipo_vreg_ranges_unknown(d);
		}
		break;
	case IPO_RSH:
		if (!ipo_shift_const(s, width, &k)) {
			u64 umax = d->umax;

			ipo_vreg_unknown(d);
			d->umax = umax;
			break;
		}
		d->var = ipo_tnum_rshift(d->var, k);
		d->umin >>= k;
		d->umax >>= k;
		d->smin = S64_MIN;
		d->smax = S64_MAX;
		break;
	case IPO_ARSH:
		if (!ipo_shift_const(s, width, &k)) {
			s64 smin = d->smin < 0 ? d->smin : 0;
			s64 smax = d->smax >= 0 ? d->smax : -1;

			ipo_vreg_unknown(d);
			d->smin = smin;
			d->smax = smax;
			break;
		}
		d->var = ipo_tnum_arshift(d->var, k);
		d->smin >>= k;
		d->smax >>= k;
		d->umin = 0;
		d->umax = U64_MAX;
		break;
	case IPO_DIV:
		if (off == 1) {
			ipo_vreg_unknown(d);
			break;
		}
		if (s->umax == 0) {
			ipo_vreg_const(d, 0);
		} else {
			u64 umin = s->umin ? d->umin / s->umax : 0;
			u64 umax = s->umin ? d->umax / s->umin : d->umax;

			ipo_vreg_unknown(d);
			d->umin = umin;
			d->umax = umax;
		}
		break;
	case IPO_MOD:
		if (off == 1) {
			ipo_vreg_unknown(d);
			break;
		}
		if (s->umax == 0)
			break;	/* modulo by zero leaves the dividend */
		{
			/* x % y <= x, and < y when y != 0 */
			u64 umax = s->umin ? min(d->umax, s->umax - 1) :
				   d->umax;

			ipo_vreg_unknown(d);
			d->umax = umax;
		}
		break;
	default:
		ipo_vreg_unknown(d);
		break;
	}
	ipo_vreg_sync(d);
}

/*
 * ipo_scalar_alu() - dst = dst OP src for two scalars (src may be an
 * immediate made into a constant register by the caller).
 */
void ipo_scalar_alu(struct ipo_vreg *d, const struct ipo_vreg *s, u8 op,
		    s16 off, bool is64)
{
	struct ipo_vreg a, b;
	bool sign;

	if (is64) {
		ipo_alu(d, s, op, off, 64);
		return;
	}
	/* Signed division, modulo and arithmetic shifts read sign-extended. */
	sign = op == IPO_ARSH || ((op == IPO_DIV || op == IPO_MOD) && off == 1);
	ipo_view32(&a, d, sign);
	ipo_view32(&b, s, sign && op != IPO_ARSH);
	if (op != IPO_MOV && op != IPO_NEG && ipo_tnum_is_const(a.var) &&
	    ipo_tnum_is_const(b.var)) {
		ipo_vreg_const(&a, ipo_alu32(op, off, (u32)a.var.value,
					     (u32)b.var.value));
	} else {
		ipo_alu(&a, &b, op, off, 32);
	}
	ipo_vreg_zext32(&a);
	*d = a;
}

/* Byte swaps: "le" is a truncation on little-endian hosts, the rest swap. */
void ipo_scalar_end(struct ipo_vreg *r, bool swap, u32 bits)
{
	if (!swap) {
		ipo_vreg_trunc(r, bits / 8);
		return;
	}
	if (ipo_tnum_is_const(r->var)) {
		ipo_vreg_const(r, ipo_bswap(r->var.value, bits));
		return;
	}
	{
		struct ipo_tnum t = r->var;

		ipo_vreg_unknown(r);
		/* Known bytes move, unknown bytes stay unknown. */
		r->var = IPO_TNUM(ipo_bswap(t.value, bits),
				  ipo_bswap(t.mask, bits));
		ipo_vreg_sync(r);
	}
}

/* Negation of a condition; IPO_JNSET stands for "!(a & b)". */
u8 ipo_cond_negate(u8 op)
{
	switch (op) {
	case IPO_JEQ: return IPO_JNE;
	case IPO_JNE: return IPO_JEQ;
	case IPO_JGT: return IPO_JLE;
	case IPO_JGE: return IPO_JLT;
	case IPO_JLT: return IPO_JGE;
	case IPO_JLE: return IPO_JGT;
	case IPO_JSGT: return IPO_JSLE;
	case IPO_JSGE: return IPO_JSLT;
	case IPO_JSLT: return IPO_JSGE;
	case IPO_JSLE: return IPO_JSGT;
	case IPO_JSET: return IPO_JNSET;
	}
	return IPO_JSET;
}

/* Narrow a and b so that "a op b" holds; false when it cannot. */
static bool ipo_refine64(struct ipo_vreg *a, struct ipo_vreg *b, u8 op)
{
	/* "a < b" is "b > a": mirror the less-than forms. */
	if (op == IPO_JLT || op == IPO_JLE || op == IPO_JSLT ||
	    op == IPO_JSLE) {
		struct ipo_vreg *t = a;

		a = b;
		b = t;
		op = op == IPO_JLT ? IPO_JGT : op == IPO_JLE ? IPO_JGE :
		     op == IPO_JSLT ? IPO_JSGT : IPO_JSGE;
	}
	switch (op) {
	case IPO_JEQ:
		if (!ipo_tnum_compatible(a->var, b->var))
			return false;
		a->var = ipo_tnum_intersect(a->var, b->var);
		a->umin = max(a->umin, b->umin);
		a->umax = min(a->umax, b->umax);
		a->smin = max(a->smin, b->smin);
		a->smax = min(a->smax, b->smax);
		ipo_vreg_sync(a);
		*b = *a;
		break;
	case IPO_JNE:
		if (ipo_tnum_is_const(a->var) && ipo_tnum_is_const(b->var))
			return a->var.value != b->var.value;
		if (ipo_tnum_is_const(a->var)) {
			struct ipo_vreg *t = a;

			a = b;
			b = t;
		}
		if (ipo_tnum_is_const(b->var)) {
			u64 v = b->var.value;

			if (a->umin == v && a->umin < U64_MAX)
				a->umin++;
			if (a->umax == v && a->umax > 0)
				a->umax--;
			if (a->smin == (s64)v && a->smin < S64_MAX)
				a->smin++;
			if (a->smax == (s64)v && a->smax > S64_MIN)
				a->smax--;
			ipo_vreg_sync(a);
		}
		break;
	case IPO_JSET:
		if (!((a->var.value | a->var.mask) &
		      (b->var.value | b->var.mask)))
			return false;
		break;
	case IPO_JNSET:
		if (a->var.value & b->var.value)
			return false;
		if (ipo_tnum_is_const(b->var)) {
			a->var = ipo_tnum_and(a->var,
					      ipo_tnum_const(~b->var.value));
			ipo_vreg_sync(a);
		} else if (ipo_tnum_is_const(a->var)) {
			b->var = ipo_tnum_and(b->var,
					      ipo_tnum_const(~a->var.value));
			ipo_vreg_sync(b);
		}
		break;
	case IPO_JGT:
		if (a->umax <= b->umin)
			return false;
		a->umin = max(a->umin, b->umin + 1);
		b->umax = min(b->umax, a->umax - 1);
		ipo_vreg_sync(a);
		ipo_vreg_sync(b);
		break;
	case IPO_JGE:
		if (a->umax < b->umin)
			return false;
		a->umin = max(a->umin, b->umin);
		b->umax = min(b->umax, a->umax);
		ipo_vreg_sync(a);
		ipo_vreg_sync(b);
		break;
	case IPO_JSGT:
		if (a->smax <= b->smin)
			return false;
		a->smin = max(a->smin, b->smin + 1);
		b->smax = min(b->smax, a->smax - 1);
		ipo_vreg_sync(a);
		ipo_vreg_sync(b);
		break;
	case IPO_JSGE:
		if (a->smax < b->smin)
			return false;
		a->smin = max(a->smin, b->smin);
		b->smax = min(b->smax, a->smax);
		ipo_vreg_sync(a);
		ipo_vreg_sync(b);
		break;
	}
	return !ipo_vreg_empty(a) && !ipo_vreg_empty(b);
}

static bool ipo_cond_signed(u8 op)
{
	return op == IPO_JSGT || op == IPO_JSGE || op == IPO_JSLT ||
	       op == IPO_JSLE;
}

/* Put what a 32-bit view learned back into the full register. */
static bool ipo_unview32(struct ipo_vreg *r, const struct ipo_vreg *v)
{
	struct ipo_tnum lo = ipo_tnum_trunc(v->var, 4);

	if (!ipo_tnum_compatible(r->var, IPO_TNUM(lo.value, lo.mask | IPO_HI32)))
		return false;
	r->var = ipo_tnum_intersect(r->var,
				    IPO_TNUM(lo.value, lo.mask | IPO_HI32));
	if (!(r->var.mask & IPO_HI32)) {
		u64 hi = r->var.value & IPO_HI32;
		u64 a, b;
		bool ok = true;

		if (v->umax <= IPO_LO32) {
			a = v->umin;
			b = v->umax;
		} else if (v->smin >= 0 || v->smax < 0) {
			a = (u64)v->smin & IPO_LO32;
			b = (u64)v->smax & IPO_LO32;
		} else {
			ok = false;
			a = b = 0;
		}
		if (ok && a <= b) {
			r->umin = max(r->umin, hi | a);
			r->umax = min(r->umax, hi | b);
		}
	}
	ipo_vreg_sync(r);
	return !ipo_vreg_empty(r);
}

/*
 * ipo_scalar_cond() - narrow two scalars to the branch where "a op b" is
 * @taken.  b may be an immediate's constant register; both are updated.
 * Returns false if that branch cannot happen.
 */
bool ipo_scalar_cond(struct ipo_vreg *a, struct ipo_vreg *b, u8 op,
		     bool is64, bool taken)
{
	struct ipo_vreg va, vb;
	bool sign;

	if (!taken)
		op = ipo_cond_negate(op);
	if (is64)
		return ipo_refine64(a, b, op);
	sign = ipo_cond_signed(op);
	ipo_view32(&va, a, sign);
	ipo_view32(&vb, b, sign);
	if (!ipo_refine64(&va, &vb, op))
		return false;
	return ipo_unview32(a, &va) && ipo_unview32(b, &vb);
}

/* Is every value of b a value of a?  Both scalars (or both offsets). */
bool ipo_scalar_contains(const struct ipo_vreg *a, const struct ipo_vreg *b)
{
	return a->umin <= b->umin && b->umax <= a->umax &&
	       a->smin <= b->smin && b->smax <= a->smax &&
	       ipo_tnum_in(a->var, b->var);
}

/* a = a joined with b: every value either can take. */
void ipo_scalar_join(struct ipo_vreg *a, const struct ipo_vreg *b)
{
	a->var = ipo_tnum_union(a->var, b->var);
	a->umin = min(a->umin, b->umin);
	a->umax = max(a->umax, b->umax);
	a->smin = min(a->smin, b->smin);
	a->smax = max(a->smax, b->smax);
	ipo_vreg_sync(a);
}
