// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Registers and memory: reads and writes of registers, and every access
 * through a pointer, to the stack, the context or a region, proven in
 * bounds or marked for a run-time check (see "Run-time checks", "Sizes
 * learned from tests" and "Speculation" in verifier.c).
 */
#include "internal.h"

int ipo_check_read(struct ipo_env *env, u32 pc, u32 regno)
{
	const struct ipo_vreg *r = &env->cur->r[regno];
	u32 at = (u32)r->off - 1;

	if (r->type != IPO_VT_NOT_INIT)
		return 0;
	/* The same message as Linux's, and why when the pass knows. */
	switch (r->off > 0 ? r->flags : IPO_NI_NONE) {
	case IPO_NI_CALL:
		return ipo_err(env, pc,
			       "R%u !read_ok: r1-r5 do not survive the call at %u",
			       regno, at);
	case IPO_NI_NOVALUE:
		return ipo_err(env, pc,
			       "R%u !read_ok: the function called at %u may return without setting r0",
			       regno, at);
	case IPO_NI_STACK:
		return ipo_err(env, pc,
			       "R%u !read_ok: a pointer to the caller's stack, but not one it can pass: %s",
			       regno,
			       "only one at a constant offset, not moved by a register, whose bytes hold no spilled pointer up to the caller's frame");
	}
	return ipo_err(env, pc, "R%u !read_ok", regno);
}

int ipo_check_write(struct ipo_env *env, u32 pc, u32 regno)
{
	if (regno == IPO_FP)
		return ipo_err(env, pc, "R10 is read only");
	return 0;
}

/* A scalar of @size bytes as loaded from memory. */
void ipo_loaded_scalar(struct ipo_vreg *r, u32 size, bool sx)
{
	ipo_vreg_unknown(r);
	if (size < 8) {
		r->umax = (1ULL << (size * 8)) - 1;
		ipo_vreg_sync(r);
	}
	if (sx && size < 8)
		ipo_vreg_sext(r, size * 8);
}

u8 ipo_stack_kind(const struct ipo_vstate *st, s64 addr)
{
	u32 slot = (u32)((-addr - 1) / 8);

	if (slot >= st->nslots)
		return IPO_SB_INVALID;
	return st->s[slot].kind[addr + 8 * (slot + 1)];
}

void ipo_note_depth(struct ipo_env *env, s64 lo)
{
	struct ipo_func *f = &env->fn[env->func];

	if ((u64)-lo > f->depth)
		f->depth = (u32)-lo;
}

/* Mark stack bytes [lo, hi) as data; a broken spill loses its register. */
void ipo_stack_mark(struct ipo_vstate *st, s64 lo, s64 hi, u8 kind,
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
		/* Also a visit through a caller's window, which set S32_MIN. */
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

/*
 * An access through a pointer into a caller's stack window (see
 * "Functions" in verifier.c): at a constant offset inside the window,
 * reads only of bytes every caller had written, writes only of data.
 * The JIT makes it through the register, so the register must be as
 * proven on every path: no moved pointer, and never an instruction that
 * another visit made through a moved pointer of this frame (spec_off).
 */
static int ipo_window_access(struct ipo_env *env, u32 pc, u32 regno,
			     const struct ipo_vreg *p, s16 off, u32 size,
			     enum ipo_acc acc, const struct ipo_vreg *val,
			     u32 valno, struct ipo_vreg *out, bool sx)
{
	const struct ipo_func *fn = &env->fn[env->func];
	struct ipo_insn_aux *aux = &env->aux[pc];
	const struct ipo_fwin *w;
	s64 lo, b;

	if (!fn->win || p->win > 5 || !fn->win[p->win - 1].set)
		return ipo_err(env, pc, "R%u pointer to no caller's stack",
			       regno);
	w = &fn->win[p->win - 1];
	if (!ipo_tnum_is_const(p->var))
		return ipo_err(env, pc,
			       "R%u variable offset into the caller's stack: %s; only constant offsets reach a caller's frame",
			       regno, ipo_rstr(env, 0, p));
	if (p->flags & IPO_VRF_MOVED)
		return ipo_err(env, pc,
			       "R%u pointer to the caller's stack moved by a register: %s",
			       regno, ipo_rstr(env, 0, p));
	if (acc == IPO_ACC_ATOMIC)
		return ipo_err(env, pc,
			       "R%u atomic access to the caller's stack", regno);
	lo = ipo_const_off(p, off);
	if (lo < 0 || lo > (s64)w->size - (s64)size)
		return ipo_err(env, pc,
			       "R%u invalid access to the caller's stack: +%lld size %u, the window it passed is %u bytes",
			       regno, (long long)lo, size, w->size);
	if ((aux->flags & (IPO_AUX_SPEC_EXACT | IPO_AUX_SPEC_FRAME)) ||
	    ((aux->flags & IPO_AUX_SPEC_OFF) && aux->spec_off != S32_MIN))
		return ipo_err(env, pc,
			       "R%u stack access into this frame and a caller's on different paths",
			       regno);
	aux->flags |= IPO_AUX_SPEC_OFF;
	aux->spec_off = S32_MIN;
	aux->region = IPO_RGN_STACK;
	if (acc == IPO_ACC_WRITE) {
		if (val->type == IPO_VT_PTR)
			return ipo_err(env, pc,
				       "pointer leak: storing R%u (%s) into the caller's stack",
				       valno, ipo_rstr(env, 0, val));
		return 0;
	}
	for (b = lo; b < lo + (s64)size; b++)
		if (!(w->rd[b / 8] & (1 << (b % 8))))
			return ipo_err(env, pc,
				       "invalid read from the caller's stack at +%lld+%lld size %u: not written by every caller before the call",
				       (long long)lo, (long long)(b - lo), size);
	ipo_loaded_scalar(out, size, sx);
	return 0;
}

/*
 * Stack bytes [@lo, @hi) are read at a place the verifier knows only
 * within them: every byte must hold data (no spilled pointer, nothing
 * unwritten).  0 or the rejection.
 */
static int ipo_stack_readable(struct ipo_env *env, u32 pc, s64 lo, s64 hi,
			      u32 size)
{
	struct ipo_vstate *st = env->cur;
	s64 a;

	env->work += (hi - lo) / 64;
	for (a = lo; a < hi; a++) {
		u32 sl = (u32)((-a - 1) / 8);
		u8 k = ipo_stack_kind(st, a);

		if (k == IPO_SB_INVALID)
			return ipo_err(env, pc,
				       "invalid variable-offset read from stack fp%lld..fp%lld size %u: fp%lld not initialised (write the whole array first, e.g. = {})",
				       (long long)lo, (long long)hi - 1, size,
				       (long long)a);
		if (k == IPO_SB_SPILL && st->s[sl].spill.type == IPO_VT_PTR)
			return ipo_err(env, pc,
				       "invalid variable-offset read from stack fp%lld..fp%lld: a spilled pointer at fp%lld",
				       (long long)lo, (long long)hi - 1,
				       (long long)-(8LL * (sl + 1)));
	}
	return 0;
}

/*
 * An instruction that reaches the current frame at a variable offset on
 * some visit (IPO_AUX_SPEC_FRAME): the JIT keeps its address inside the
 * hull of every visit's bytes, [fp + spec_lo, + spec_valid - 1 + @size),
 * against speculation.  This visit's bytes [@lo, @hi) join the hull; the
 * whole hull must be readable now for a read (a masked address may land
 * anywhere in it), and counts as maybe written for a write.  A constant
 * visit made before is in it too (its spec_off).
 */
static int ipo_frame_hull(struct ipo_env *env, u32 pc, u32 regno, s64 lo,
			  s64 hi, u32 size, bool write)
{
	struct ipo_insn_aux *aux = &env->aux[pc];
	s64 hlo = lo, hhi = hi;

	if (aux->flags & IPO_AUX_SPEC_FRAME) {
		hlo = min_t(s64, hlo, aux->spec_lo);
		hhi = max_t(s64, hhi, (s64)aux->spec_lo + aux->spec_valid - 1 +
				      size);
	} else if (aux->flags & IPO_AUX_SPEC_OFF) {
		if (aux->spec_off == S32_MIN)
			return ipo_err(env, pc,
				       "R%u stack access at a variable offset and at several constant ones (or a caller's) by one instruction",
				       regno);
		hlo = min_t(s64, hlo, aux->spec_off);
		hhi = max_t(s64, hhi, (s64)aux->spec_off + size);
	}
	aux->flags &= ~(IPO_AUX_SPEC_OFF | IPO_AUX_SPEC_EXACT);
	aux->flags |= IPO_AUX_SPEC_FRAME;
	aux->region = IPO_RGN_STACK;
	aux->spec_lo = (s16)hlo;
	aux->spec_valid = (u32)(hhi - hlo - size + 1);
	ipo_note_depth(env, hlo);
	if (write) {
		ipo_stack_mark(env->cur, hlo, hhi, IPO_SB_MISC, true);
		return 0;
	}
	return ipo_stack_readable(env, pc, hlo, hhi, size);
}

/*
 * The current frame at a variable offset: an array on the stack indexed
 * by a register.  The offset must be bounded inside the frame; a read
 * gives data of any value, a write of data makes its bytes maybe written
 * (a spill in the range is broken, as by any partial write).  Spills and
 * fills stay exact: no pointer is written this way, no atomic.
 */
static int ipo_stack_var_access(struct ipo_env *env, u32 pc, u32 regno,
				const struct ipo_vreg *p, s16 off, u32 size,
				enum ipo_acc acc, const struct ipo_vreg *val,
				u32 valno, struct ipo_vreg *out, bool sx)
{
	s64 lo, hi;
	int err;

	if (!ipo_off_bounded(p) ||
	    (s64)p->off + p->smin + off < -IPO_STACK_SIZE ||
	    (s64)p->off + p->smax + off + size > 0)
		return ipo_err(env, pc,
			       "R%u variable stack access: offset fp%+d+[%lld,%lld] size %u not proven inside the frame [fp-%u, fp); test the index against the array's length first",
			       regno, p->off + off, (long long)p->smin,
			       (long long)p->smax, size, IPO_STACK_SIZE);
	if (acc == IPO_ACC_ATOMIC)
		return ipo_err(env, pc,
			       "R%u atomic stack access at a variable offset: %s",
			       regno, ipo_rstr(env, 0, p));
	if (acc == IPO_ACC_WRITE && val->type == IPO_VT_PTR)
		return ipo_err(env, pc,
			       "pointer leak: storing R%u (%s) into stack at a variable offset",
			       valno, ipo_rstr(env, 0, val));
	lo = (s64)p->off + p->smin + off;
	hi = (s64)p->off + p->smax + off + size;
	err = ipo_frame_hull(env, pc, regno, lo, hi, size,
			     acc == IPO_ACC_WRITE);
	if (err || acc == IPO_ACC_WRITE)
		return err;
	ipo_loaded_scalar(out, size, sx);
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

	if (p->win)
		return ipo_window_access(env, pc, regno, p, off, size, acc,
					 val, valno, out, sx);
	if (!ipo_tnum_is_const(p->var))
		return ipo_stack_var_access(env, pc, regno, p, off, size, acc,
					    val, valno, out, sx);
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
	if (env->aux[pc].flags & IPO_AUX_SPEC_FRAME)
		err = ipo_frame_hull(env, pc, regno, lo, lo + size, size,
				     acc != IPO_ACC_READ);
	else
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
			/* The register and its spill: one value (ipo_vreg.id). */
			if (val->type == IPO_VT_SCALAR && valno < IPO_FP &&
			    acc == IPO_ACC_WRITE) {
				if (!st->r[valno].id)
					st->r[valno].id = ++env->next_id;
				st->s[slot].spill.id = st->r[valno].id;
			}
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

int ipo_region_bounds(struct ipo_env *env, u32 pc, u32 regno,
		      const struct ipo_vreg *p, s64 off, u64 size,
		      bool *provable)
{
	u32 known = ipo_region_known(env, p->region);
	s64 lo, hi;

	*provable = ipo_access_span(p, off, size, &lo, &hi) && lo >= 0 &&
		    hi <= (s64)known;
	return 0;
}

/*
 * Is the access inside the region by @p's size relation: its offset +
 * rel_k <= size, and the access ends rel_k bytes past the offset at most
 * (and starts at or above the region's start)?
 */
bool ipo_rel_proves(const struct ipo_vreg *p, s64 off, u64 size)
{
	s64 lo;

	/*
	 * The offset may be larger than IPO_PTR_BOUND: below the region's
	 * run-time size, base + offset is inside the region, which does not
	 * wrap (struct ipo_run).
	 */
	return p->rel_rgn && p->rel_rgn == p->region && !p->rel_sh &&
	       !p->win && size <= (u64)IPO_PTR_BOUND &&
	       !check_add_overflow((s64)p->off + off, p->smin, &lo) &&
	       lo >= 0 && off + (s64)size <= p->rel_k;
}

/* Is the whole access provably inside [0, IPO_PTR_BOUND] of its region? */
static bool ipo_access_small(const struct ipo_vreg *p, s64 off, u64 size)
{
	s64 lo, hi;

	return ipo_access_span(p, off, size, &lo, &hi) && lo >= 0 &&
	       hi <= IPO_PTR_BOUND;
}

int ipo_region_oob(struct ipo_env *env, u32 pc, u32 regno,
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
	if (!provable && ipo_rel_proves(p, off, size)) {
		/* Below the run-time size by a relation: see SPEC_DYN. */
		aux->flags |= IPO_AUX_SPEC_DYN;
	} else if (!provable) {
		int err;

		if (!(d->flags & IPO_RGNF_DYN))
			return ipo_region_oob(env, pc, regno, p, off, size,
					      "out of bounds");
		/* What the report says of it: the last visit's view. */
		err = ipo_check_record(env, pc, regno, p, off, size,
				       ipo_region_known(env, p->region));
		if (err)
			return err;
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
		env->prog->ctx_read_end = max_t(u32, env->prog->ctx_read_end,
						at + size);
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
int ipo_mem_access(struct ipo_env *env, u32 pc, u32 regno, s16 off,
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
