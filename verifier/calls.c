// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Calls: a helper call is checked against the helper's prototype (memory
 * arguments proven in bounds, device-window offsets recorded), a local
 * call joins its arguments into the callee's entry state (see "Functions"
 * in verifier.c, and the paragraph after it on helper memory).
 */
#include "internal.h"

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
	if (p->region == IPO_RGN_STACK && p->win) {
		const struct ipo_func *fn = &env->fn[env->func];
		const struct ipo_fwin *w;
		s64 lo, a;

		if (!fn->win || p->win > 5 || !fn->win[p->win - 1].set ||
		    !ipo_tnum_is_const(p->var) || (p->flags & IPO_VRF_MOVED))
			return ipo_err(env, pc,
				       "R%u pointer to the caller's stack at no constant offset for helper %s",
				       regno, hname);
		w = &fn->win[p->win - 1];
		lo = ipo_const_off(p, 0);
		if (lo < 0 || lo > (s64)w->size ||
		    sz->umax > (u64)((s64)w->size - lo))
			return ipo_err(env, pc,
				       "R%u invalid access to the caller's stack: +%lld size %llu, the window it passed is %u bytes",
				       regno, (long long)lo,
				       (unsigned long long)sz->umax, w->size);
		for (a = lo; !write && a < lo + (s64)sz->umax; a++)
			if (!(w->rd[a / 8] & (1 << (a % 8))))
				return ipo_err(env, pc,
					       "invalid indirect read from the caller's stack R%u at +%lld: not written by every caller before the call",
					       regno, (long long)a);
		return 0;
	}
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
		if (!provable && !ipo_rel_proves(p, 0, sz->umax))
			return ipo_region_oob(env, pc, regno, p, 0, sz->umax,
					      "helper memory out of bounds");
		/* Its writes are logged like stores (exec/undo.h). */
		if (write && p->region == IPO_RGN_OBJ) {
			env->aux[pc].flags |= IPO_AUX_OBJ_WRITE;
			env->aux[pc].spec_valid |= 1U << regno;
		}
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
			/* The helper may read any of it. */
			env->prog->ctx_read_end = env->type->ctx_size;
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
		ipo_reg_unreadable(&st->r[i], IPO_NI_CALL, pc);
	ipo_vreg_unknown(&st->r[IPO_R0]);
	st->r[IPO_R0].umax = hp->ret_max;
	ipo_vreg_sync(&st->r[IPO_R0]);
	return 0;
}

/*
 * A stack pointer in argument register @i of a call at @pc to @g (see
 * "Functions" in verifier.c): into this frame at a constant offset, or
 * into a window this function got, and not moved by a register (the
 * callee uses the register as it is, so no mispredicted jump may have
 * left it elsewhere).  The window it opens runs from there up to the
 * first byte of a spilled pointer or the frame's top; its bytes that
 * hold data on this path are readable.  @a becomes the callee's view:
 * offset 0 in window i + 1; or unreadable, saying why.  For this frame,
 * *@lo and *@len give what the callee may write.
 */
static int ipo_pass_window(struct ipo_env *env, u32 pc, struct ipo_func *g,
			   u32 i, struct ipo_vreg *a, s64 *lo, u32 *len)
{
	struct ipo_vstate *st = env->cur;
	struct ipo_fwin *fw;
	u8 rd[IPO_STACK_SIZE / 8];
	s64 o, b;
	u32 n = 0;

	*len = 0;
	if (!ipo_tnum_is_const(a->var) || (a->flags & IPO_VRF_MOVED)) {
		ipo_reg_unreadable(a, IPO_NI_STACK, pc);
		return 0;
	}
	o = ipo_const_off(a, 0);
	memset(rd, 0, sizeof(rd));
	if (!a->win) {
		if (o < -IPO_STACK_SIZE || o >= 0) {
			ipo_reg_unreadable(a, IPO_NI_STACK, pc);
			return 0;
		}
		for (b = o; b < 0; b++, n++) {
			u32 sl = (u32)((-b - 1) / 8);
			u8 k = ipo_stack_kind(st, b);

			if (k == IPO_SB_SPILL &&
			    st->s[sl].spill.type == IPO_VT_PTR)
				break;
			if (k == IPO_SB_MISC || k == IPO_SB_SPILL)
				rd[n / 8] |= 1 << (n % 8);
		}
		*lo = o;
		*len = n;
		/*
		 * The window is this frame's: a callee's frame goes below
		 * it, not over bytes the callee may write.
		 */
		ipo_note_depth(env, o);
	} else {
		const struct ipo_fwin *my = &env->fn[env->func].win[a->win - 1];

		if (o < 0 || o >= my->size) {
			ipo_reg_unreadable(a, IPO_NI_STACK, pc);
			return 0;
		}
		for (b = o; b < my->size; b++, n++)
			if (my->rd[b / 8] & (1 << (b % 8)))
				rd[n / 8] |= 1 << (n % 8);
	}
	if (!n) {
		ipo_reg_unreadable(a, IPO_NI_STACK, pc);
		return 0;
	}
	if (!g->win) {
		g->win = ipo_valloc(env, 5 * sizeof(*g->win));
		if (!g->win)
			return ipo_nomem(env);
	}
	fw = &g->win[i];
	if (!fw->set) {
		fw->set = true;
		fw->size = n;
		memcpy(fw->rd, rd, sizeof(rd));
	} else {
		u32 k;

		fw->size = min_t(u32, fw->size, n);
		for (k = 0; k < sizeof(rd); k++)
			fw->rd[k] &= rd[k];
	}
	env->work += n / 64;
	ipo_reg_ptr(a, IPO_RGN_STACK, 0);
	a->win = i + 1;
	return 0;
}

int ipo_do_call(struct ipo_env *env, u32 pc, const struct ipo_insn *insn)
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
		s64 wlo[5];
		u32 wlen[5];
		int err;

		for (i = 0; i < 5; i++) {
			struct ipo_vreg a = st->r[IPO_R1 + i];

			wlen[i] = 0;
			if (ipo_reg_is_ptr(&a, IPO_RGN_STACK)) {
				err = ipo_pass_window(env, pc, g, i, &a,
						      &wlo[i], &wlen[i]);
				if (err)
					return err;
			}
			/* The callee's loops are its own, and its copies. */
			ipo_tag_clear(&a);
			a.id = 0;
			if (g->called)
				ipo_reg_join(&g->args[i], &a);
			else
				g->args[i] = a;
		}
		/*
		 * Sizes are fixed for the run and were tested before the
		 * call (on fenced edges): the callee starts with the least
		 * any call site knew.
		 */
		for (i = 0; i < IPO_NR_REGIONS; i++)
			g->size_min[i] = g->called ?
					 min(g->size_min[i], st->size_min[i]) :
					 st->size_min[i];
		g->called = true;
		/* What the callee may have written of this frame. */
		for (i = 0; i < 5; i++)
			if (wlen[i])
				ipo_stack_mark(st, wlo[i], wlo[i] + wlen[i],
					       IPO_SB_MISC, true);
	}
	for (i = IPO_R1; i <= IPO_R5; i++)
		ipo_reg_unreadable(&st->r[i], IPO_NI_CALL, pc);
	if (env->fn[ipo_find_func(env, ipo_jump_target(insn, pc))].novalue)
		ipo_reg_unreadable(&st->r[IPO_R0], IPO_NI_NOVALUE, pc);
	else
		ipo_vreg_unknown(&st->r[IPO_R0]);
	return 0;
}
