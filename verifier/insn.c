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
