// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * One instruction's effect on the abstract state: ALU operations on
 * scalars and pointers, loads, stores, atomics, conditional jumps (which
 * narrow the state on each edge and may learn a region's size) and exit.
 * Calls are in calls.c, memory accesses in memory.c.
 */
#include "internal.h"

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
		if (dst->win != src->win)
			return ipo_err(env, pc,
				       "R%u subtraction of pointers into different frames: %s - %s",
				       insn->dst, ipo_rstr(env, 0, dst),
				       ipo_rstr(env, 1, src));
		/* Same base: the difference of the offsets, no address bits. */
		res = *dst;
		ipo_ptr_fold_off(&res);
		ipo_ptr_fold_off(&b);
		res.type = IPO_VT_SCALAR;
		res.region = 0;
		res.flags = 0;
		res.win = 0;
		ipo_tag_clear(&res);
		ipo_rel_clear(&res);
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
		s64 c = (s64)sc->var.value, noff, nk;

		if (oi->op == IPO_SUB)
			c = c == S64_MIN ? c : -c;
		/* A sum that overflows s64 is no small offset (and no C UB). */
		if (!check_add_overflow((s64)res.off, c, &noff) &&
		    noff >= -IPO_PTR_BOUND && noff <= IPO_PTR_BOUND &&
		    !(oi->op == IPO_SUB && (s64)sc->var.value == S64_MIN)) {
			res.off = (s32)noff;
			/* The whole offset moved by c: tag, gap to the end. */
			ipo_tag_shift(&res, c, c);
			if (res.rel_rgn &&
			    (check_sub_overflow((s64)res.rel_k, c, &nk) ||
			     nk < S32_MIN || nk > S32_MAX))
				ipo_rel_clear(&res);
			else if (res.rel_rgn)
				res.rel_k = (s32)nk;
			*dst = res;
			return 0;
		}
	}
	{
		struct ipo_vreg v = *sc;
		bool cvar = ipo_tnum_is_const(res.var);
		s64 t = ipo_const_off(&res, 0);

		v.type = IPO_VT_SCALAR;
		if (oi->op == IPO_ADD) {
			ipo_vreg_add(&res, &v);
			ipo_tag_shift(&res, v.smin, v.smax);
		} else {
			ipo_vreg_sub(&res, &v);
			if (v.smin > S64_MIN)
				ipo_tag_shift(&res, -v.smax, -v.smin);
			else
				ipo_tag_clear(&res);
		}
		/*
		 * ptr + x with x + k <= size(region): the offset, t + x, has
		 * the gap k - t to the end.  Only from a fixed offset.
		 */
		ipo_rel_clear(&res);
		/* x + k <= size >> sh <= size, for k >= 0: in bytes. */
		if (v.rel_sh && v.rel_k >= 0)
			v.rel_sh = 0;
		if (oi->op == IPO_ADD && cvar && v.rel_rgn == res.region &&
		    !v.rel_sh && res.region != IPO_RGN_STACK &&
		    t >= -IPO_PTR_BOUND && t <= IPO_PTR_BOUND &&
		    (s64)v.rel_k - t >= S32_MIN && (s64)v.rel_k - t <= S32_MAX) {
			res.rel_rgn = v.rel_rgn;
			res.rel_k = (s32)((s64)v.rel_k - t);
		}
	}
	*dst = res;
	return 0;
}

/*
 * Is @r's value, when it is at most U32_MAX, moved by @c without leaving
 * [0, U32_MAX]?  Then a 32-bit add of @c is the 64-bit one.
 */
static bool ipo_add32_exact(const struct ipo_vreg *r, s64 c)
{
	return r->umax <= U32_MAX && (s64)r->umin + c >= 0 &&
	       (s64)r->umax + c <= (s64)U32_MAX;
}

/*
 * The facts beside a scalar's value after dst = @old OP @src (see "Loop
 * facts" and "Sizes learned from tests" in verifier.c): an add or
 * subtraction moves a loop tag by what it added, and a size relation too
 * when nothing wrapped; an operation that can only lower an unsigned
 * value keeps the relation; a shift left (or a multiplication by a power
 * of two) scales it into a finer size; a shift right keeps a size a size
 * of a coarser unit.  Everything else drops them.
 */
static void ipo_alu_facts(struct ipo_env *env, struct ipo_vreg *dst,
			  const struct ipo_vreg *old,
			  const struct ipo_vreg *src, u8 op, s16 off,
			  bool is64)
{
	bool k = ipo_tnum_is_const(src->var);
	u64 v = is64 ? src->var.value : (u32)src->var.value;
	s64 c = is64 ? (s64)v : (s64)(s32)(u32)v;
	s64 nk;

	ipo_tag_clear(dst);
	ipo_rel_clear(dst);
	dst->size_of = IPO_RGN_NONE;
	dst->size_sh = 0;
	dst->id = 0;
	/* A constant subtrahend as an addend (S64_MIN has none). */
	if (op == IPO_SUB && k) {
		if (c == S64_MIN)
			return;
		c = -c;
	}
	switch (op) {
	case IPO_ADD:
	case IPO_SUB:
		if (k && (is64 || ipo_add32_exact(old, c))) {
			dst->lp = old->lp;
			dst->lorig = old->lorig;
			dst->dlo = old->dlo;
			dst->dhi = old->dhi;
			ipo_tag_shift(dst, c, c);
		} else if (!k && is64 && old->lp) {
			dst->lp = old->lp;
			dst->lorig = old->lorig;
			dst->dlo = old->dlo;
			dst->dhi = old->dhi;
			if (op == IPO_ADD)
				ipo_tag_shift(dst, src->smin, src->smax);
			else if (src->smin > S64_MIN)
				ipo_tag_shift(dst, -src->smax, -src->smin);
			else
				ipo_tag_clear(dst);
		}
		/* value + c, as integers: the gap shrinks by c. */
		if (k && old->rel_rgn &&
		    (is64 ? (c >= 0 ? old->umax <= U64_MAX - (u64)c :
				      old->umin >= -(u64)c) :
			    ipo_add32_exact(old, c)) &&
		    !check_sub_overflow((s64)old->rel_k, c, &nk) &&
		    nk >= S32_MIN && nk <= S32_MAX) {
			dst->rel_rgn = old->rel_rgn;
			dst->rel_sh = old->rel_sh;
			dst->rel_k = (s32)nk;
		}
		break;
	case IPO_AND:
	case IPO_RSH:
	case IPO_DIV:
	case IPO_MOD:
		/* Unsigned, never above the old value. */
		if (off)
			break;
		dst->rel_rgn = old->rel_rgn;
		dst->rel_sh = old->rel_sh;
		dst->rel_k = old->rel_k;
		/* size >> a >> c = size >> (a + c); so for a power of 2. */
		if (old->size_of && k && old->umax <= U32_MAX &&
		    ((op == IPO_RSH && v < 32) ||
		     (op == IPO_DIV && v && !(v & (v - 1)) && v <= (1ULL << 31))) &&
		    old->size_sh + (op == IPO_RSH ? v : __builtin_ctzll(v)) < 32) {
			dst->size_of = old->size_of;
			dst->size_sh = old->size_sh +
				       (op == IPO_RSH ? v : __builtin_ctzll(v));
		}
		break;
	case IPO_LSH:
	case IPO_MUL:
		if (!k || !old->rel_rgn)
			break;
		if (op == IPO_MUL) {
			if (!v || (v & (v - 1)))
				break;
			v = __builtin_ctzll(v);
		} else if (v >= (is64 ? 64 : 32)) {
			break;
		}
		/* (x + k) * 2^v <= (S >> sh) * 2^v <= S >> (sh - v) */
		if (v > old->rel_sh || old->umax > (U64_MAX >> v) ||
		    (!is64 && old->umax > (U32_MAX >> v)) ||
		    (s64)old->rel_k * (1LL << v) < S32_MIN ||
		    (s64)old->rel_k * (1LL << v) > S32_MAX)
			break;
		dst->rel_rgn = old->rel_rgn;
		dst->rel_sh = old->rel_sh - v;
		dst->rel_k = (s32)((s64)old->rel_k * (1LL << v));
		break;
	}
	ipo_rel_sync(env, dst);
}

static int ipo_do_alu(struct ipo_env *env, u32 pc, const struct ipo_insn *insn)
{
	const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];
	struct ipo_vstate *st = env->cur;
	bool is64 = oi->flags & IPO_OPF_64, srcx = oi->flags & IPO_OPF_SRCX;
	struct ipo_vreg *dst = &st->r[insn->dst], src, old;
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
			/*
			 * One value in two registers: see ipo_vreg.id.  Only
			 * for a register: an immediate's src field is 0.
			 */
			if (srcx && !src.id && src.type == IPO_VT_SCALAR) {
				src.id = ++env->next_id;
				st->r[insn->src].id = src.id;
			}
			*dst = src;	/* a whole copy: size_of stays true */
			return 0;
		}
		ipo_vreg_unknown(dst);
		ipo_scalar_alu(dst, &src, IPO_MOV, insn->off, is64);
		/*
		 * Sign-extended or 32-bit: not the size, even if equal; a
		 * value that fits keeps its facts (w1 = w2 of a u32 index).
		 */
		dst->size_of = IPO_RGN_NONE;
		dst->size_sh = 0;
		dst->id = 0;
		ipo_tag_clear(dst);
		ipo_rel_clear(dst);
		if (!is64 && !insn->off && src.umax <= U32_MAX)
			ipo_facts_copy(dst, &src);
		return 0;
	}
	err = ipo_check_read(env, pc, insn->dst);
	if (err)
		return err;
	if (oi->kind == IPO_K_END) {
		if (dst->type == IPO_VT_PTR)
			return ipo_err(env, pc,
				       "R%u pointer arithmetic '%s' prohibited on %s",
				       insn->dst, oi->name,
				       ipo_rstr(env, 0, dst));
		ipo_scalar_end(dst, is64 || (insn->code & IPO_TO_BE),
			       insn->imm);
		/* A byte swap changes the value: no size, no tag. */
		dst->size_of = IPO_RGN_NONE;
		dst->size_sh = 0;
		dst->id = 0;
		ipo_tag_clear(dst);
		ipo_rel_clear(dst);
		return 0;
	}
	if (oi->op == IPO_NEG && dst->type == IPO_VT_PTR)
		return ipo_err(env, pc,
			       "R%u pointer arithmetic 'neg%s' prohibited on %s",
			       insn->dst, is64 ? "" : "32",
			       ipo_rstr(env, 0, dst));
	if (dst->type == IPO_VT_PTR || src.type == IPO_VT_PTR)
		return ipo_do_ptr_alu(env, pc, insn, dst, &src, is64);
	old = *dst;
	ipo_scalar_alu(dst, &src, oi->op, insn->off, is64);
	ipo_alu_facts(env, dst, &old, &src, oi->op, insn->off, is64);
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
	u32 valno = IPO_NREGS;	/* an immediate */
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

static bool ipo_cond_reg_pair(const struct ipo_vreg *a, const struct ipo_vreg *b)
{
	return a->type == IPO_VT_PTR && b->type == IPO_VT_PTR &&
	       a->region == b->region && a->win == b->win &&
	       ipo_off_bounded(a) && ipo_off_bounded(b);
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
	/* value = size >> size_sh: size >= value << size_sh */
	lo = r->umin > (U32_MAX >> r->size_sh) ? U32_MAX :
	     (u32)r->umin << r->size_sh;
	if (lo > st->size_min[r->size_of])
		st->size_min[r->size_of] = lo;
}

/* An upper bound of @b by a size: its relation, or itself when a size. */
static bool ipo_size_upper(const struct ipo_vreg *b, u8 *rgn, u8 *sh,
			   s64 *k)
{
	if (b->type != IPO_VT_SCALAR)
		return false;
	if (b->rel_rgn) {
		*rgn = b->rel_rgn;
		*sh = b->rel_sh;
		*k = b->rel_k;
		return true;
	}
	if (b->size_of) {
		*rgn = b->size_of;
		*sh = b->size_sh;
		*k = 0;
		return true;
	}
	return false;
}

/*
 * On an edge where a < b (@strict) or a <= b holds for the unsigned values
 * and b is bounded by a size (b + k <= size >> sh), a + k + strict <= size
 * >> sh: the `i < ctx->arg_size` of a loop over the argument buffer.
 */
static void ipo_learn_rel(struct ipo_env *env, struct ipo_vreg *a,
			  const struct ipo_vreg *b, bool strict)
{
	u8 rgn, sh;
	s64 k;

	if (a->type != IPO_VT_SCALAR || !ipo_size_upper(b, &rgn, &sh, &k))
		return;
	k += strict;
	if (k > S32_MAX)
		return;
	if (a->rel_rgn && a->rel_rgn == rgn && a->rel_sh == sh &&
	    a->rel_k >= k)
		return;
	a->rel_rgn = rgn;
	a->rel_sh = sh;
	a->rel_k = (s32)k;
	ipo_rel_sync(env, a);
}

/*
 * What the edge of a conditional jump whose condition (@op, after
 * negation for the fall-through) holds teaches about sizes.  Signed and
 * 32-bit comparisons order the unsigned 64-bit values the same way only
 * for values in [0, S32_MAX] (32-bit, signed), [0, U32_MAX] (32-bit) or
 * [0, S64_MAX] (signed).
 */
static void ipo_learn_rels(struct ipo_env *env, struct ipo_vreg *a,
			   struct ipo_vreg *b, u8 op, bool is64)
{
	bool sgn = op == IPO_JSLT || op == IPO_JSLE || op == IPO_JSGT ||
		   op == IPO_JSGE;
	u64 lim = is64 ? (sgn ? (u64)S64_MAX : U64_MAX) :
		  (sgn ? (u64)S32_MAX : U32_MAX);

	if (a->type != IPO_VT_SCALAR || b->type != IPO_VT_SCALAR ||
	    a->umax > lim || b->umax > lim)
		return;
	switch (op) {
	case IPO_JLT:
	case IPO_JSLT:
		ipo_learn_rel(env, a, b, true);
		break;
	case IPO_JLE:
	case IPO_JSLE:
		ipo_learn_rel(env, a, b, false);
		break;
	case IPO_JGT:
	case IPO_JSGT:
		ipo_learn_rel(env, b, a, true);
		break;
	case IPO_JGE:
	case IPO_JSGE:
		ipo_learn_rel(env, b, a, false);
		break;
	case IPO_JEQ:
		ipo_learn_rel(env, a, b, false);
		ipo_learn_rel(env, b, a, false);
		break;
	}
}

/* The condition of the fall-through edge (IPO_JSET has none to learn). */
static u8 ipo_cond_not(u8 op)
{
	return op == IPO_JSET ? IPO_JSET : ipo_cond_negate(op);
}

/* @to, a copy of @from's value (ipo_vreg.id), knows what @from knows. */
static void ipo_narrow_copy(struct ipo_vreg *to, const struct ipo_vreg *from)
{
	struct ipo_vreg n = *to;

	n.var = ipo_tnum_intersect(to->var, from->var);
	n.umin = max(to->umin, from->umin);
	n.umax = min(to->umax, from->umax);
	n.smin = max(to->smin, from->smin);
	n.smax = min(to->smax, from->smax);
	ipo_vreg_sync(&n);
	/* Both describe one value: empty only where no path runs. */
	if (ipo_vreg_empty(&n) ||
	    !ipo_tnum_compatible(to->var, from->var))
		return;
	if (from->rel_rgn && !to->rel_rgn) {
		n.rel_rgn = from->rel_rgn;
		n.rel_sh = from->rel_sh;
		n.rel_k = from->rel_k;
	}
	*to = n;
}

/*
 * A jump narrowed @a (and @b, when a register): the other registers and
 * spilled slots holding the same value learn the same on this edge, when
 * there are at most IPO_COPIES of them (more is only precision).  With
 * @keep, their values before are kept in env->copies, for
 * ipo_restore_copies(), and the count returned; else 0.
 *
 * One scan of the registers and slots per narrowed value, charged as a
 * state's compare (ipo_state_cost()): the copies are found first and
 * changed only when there are few enough.
 */
static u32 ipo_narrow_copies(struct ipo_env *env, struct ipo_vstate *st,
			     const struct ipo_vreg *a, const struct ipo_vreg *b,
			     const struct ipo_vreg *a0,
			     const struct ipo_vreg *b0, bool srcx, bool keep)
{
	const struct ipo_vreg *n[2] = { a, srcx ? b : NULL };
	const struct ipo_vreg *o[2] = { a0, b0 };
	struct ipo_vreg *found[IPO_COPIES];
	u32 at[IPO_COPIES];
	u32 i, j, f, k = 0;

	if (srcx && a->id && a->id == b->id)
		return 0;
	for (j = 0; j < 2; j++) {
		if (!n[j] || !n[j]->id || n[j]->type != IPO_VT_SCALAR)
			continue;
		/* The jump taught nothing: its copies know it all. */
		if (n[j]->umin == o[j]->umin && n[j]->umax == o[j]->umax &&
		    n[j]->smin == o[j]->smin && n[j]->smax == o[j]->smax &&
		    n[j]->var.value == o[j]->var.value &&
		    n[j]->var.mask == o[j]->var.mask &&
		    n[j]->rel_rgn == o[j]->rel_rgn &&
		    n[j]->rel_k == o[j]->rel_k)
			continue;
		env->work += 1 + st->nslots / 64;
		for (i = 0, f = 0; i < IPO_NREGS + st->nslots; i++) {
			struct ipo_vreg *r;

			if (i < IPO_NREGS) {
				r = &st->r[i];
			} else {
				if (!ipo_slot_is_spill(&st->s[i - IPO_NREGS]))
					continue;
				r = &st->s[i - IPO_NREGS].spill;
			}
			if (r->id != n[j]->id || r == a || r == b)
				continue;
			/* A value with more copies is not followed (work). */
			if (k + f == IPO_COPIES) {
				f = 0;
				break;
			}
			found[f] = r;
			at[f++] = i;
		}
		for (i = 0; i < f; i++) {
			/* A copy is a scalar too, but the id alone decides. */
			if (found[i]->type != IPO_VT_SCALAR)
				continue;
			if (keep) {
				env->copies[k].at = at[i];
				env->copies[k].r = *found[i];
			}
			k++;
			ipo_narrow_copy(found[i], n[j]);
		}
	}
	return keep ? k : 0;
}

/* Puts back the @n copies ipo_narrow_copies() kept. */
static void ipo_restore_copies(struct ipo_env *env, struct ipo_vstate *st,
			       u32 n)
{
	u32 k;

	for (k = 0; k < n; k++) {
		u32 i = env->copies[k].at;

		if (i < IPO_NREGS)
			st->r[i] = env->copies[k].r;
		else
			st->s[i - IPO_NREGS].spill = env->copies[k].r;
	}
}

static int ipo_do_jcond(struct ipo_env *env, u32 pc,
			const struct ipo_insn *insn)
{
	const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];
	struct ipo_vstate *st = env->cur;
	bool is64 = oi->flags & IPO_OPF_64, srcx = oi->flags & IPO_OPF_SRCX;
	struct ipo_vreg *dst = &st->r[insn->dst];
	struct ipo_vreg src, ta, tb, fa, fb, a0;
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
	a0 = *dst;
	ta = *dst;
	tb = src;
	fa = *dst;
	fb = src;
	can_t = ipo_scalar_cond(&ta, &tb, oi->op, is64, true);
	can_f = ipo_scalar_cond(&fa, &fb, oi->op, is64, false);
	if (can_t)
		ipo_learn_rels(env, &ta, &tb, oi->op, is64);
	if (can_f)
		ipo_learn_rels(env, &fa, &fb, ipo_cond_not(oi->op), is64);
	memcpy(size_min, st->size_min, sizeof(size_min));
	if (can_t)
		env->aux[pc].flags |= IPO_AUX_TAKEN;
	if (can_f)
		env->aux[pc].flags |= IPO_AUX_FALLS;
	if (can_t) {
		u32 kept;

		*dst = ta;
		if (srcx && insn->src != insn->dst)
			st->r[insn->src] = tb;
		/* Copies narrowed for this edge go back for the other one. */
		kept = ipo_narrow_copies(env, st, dst,
					 srcx ? &st->r[insn->src] : NULL,
					 &a0, &src, srcx, can_f);
		ipo_learn_size(st, &ta);
		ipo_learn_size(st, &tb);
		if (memcmp(size_min, st->size_min, sizeof(size_min)))
			env->aux[pc].flags |= IPO_AUX_FENCE_TAKEN;
		err = ipo_take_edge(env, pc, t);
		if (err)
			return err;
		ipo_restore_copies(env, st, kept);
		memcpy(st->size_min, size_min, sizeof(size_min));
	}
	if (!can_f) {
		env->live = false;
		return 0;
	}
	*dst = fa;
	if (srcx && insn->src != insn->dst)
		st->r[insn->src] = fb;
	ipo_narrow_copies(env, st, dst, srcx ? &st->r[insn->src] : NULL, &a0,
			  &src, srcx, false);
	ipo_learn_size(st, &fa);
	ipo_learn_size(st, &fb);
	if (memcmp(size_min, st->size_min, sizeof(size_min)))
		env->aux[pc].flags |= IPO_AUX_FENCE_FALL;
	return 0;
}

static int ipo_do_exit(struct ipo_env *env, u32 pc)
{
	const struct ipo_vreg *r0 = &env->cur->r[IPO_R0];
	int err;

	/* A void function: its callers never read r0 ("Functions"). */
	if (env->func && env->fn[env->func].novalue) {
		env->live = false;
		return 0;
	}
	err = ipo_check_read(env, pc, IPO_R0);

	if (err)
		return err;
	if (r0->type != IPO_VT_SCALAR)
		return ipo_err(env, pc, "R0 leaks a pointer at exit: %s",
			       ipo_rstr(env, 0, r0));
	env->live = false;
	return 0;
}

/* Returns < 0 on error, 1 to restart at env->restart_pc, else 0. */
int ipo_do_insn(struct ipo_env *env, u32 pc, u32 *next)
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
