// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Facts beside a value (see "Loop facts" and "Sizes learned from tests"
 * in verifier.c): loop tags, which relate a value to the one its register
 * or slot held at a loop header on the current pass, and what they prove
 * (that a loop ends without fuel: a register that steps the same way on
 * every pass and is bounded where it goes back; affine relations between
 * a pointer and a counter that step together); and size relations, an
 * upper bound of a value by a region's run-time size.
 */
#include "internal.h"

/* Does the loop of header @h span @pc? */
static bool ipo_hdr_spans(const struct ipo_hdr *h, u32 pc)
{
	return h->pc <= pc && pc <= h->end;
}

static void ipo_tag_set(struct ipo_vreg *r, u32 k, u8 orig)
{
	r->lp = k + 1;
	r->lorig = orig;
	r->dlo = 0;
	r->dhi = 0;
}

/*
 * At header @k every value equals itself at the header: tags start over,
 * except the tags of loops around this one, which the inner loop's passes
 * must keep (an outer counter is still one inside).
 */
static void ipo_tag_rebase(struct ipo_env *env, struct ipo_vreg *r, u32 k,
			   u8 orig)
{
	const struct ipo_hdr *h = &env->hdr[k];

	if (r->type == IPO_VT_NOT_INIT)
		return;
	if (r->lp && r->lp != k + 1 &&
	    ipo_hdr_spans(&env->hdr[r->lp - 1], h->pc) &&
	    env->hdr[r->lp - 1].pc != h->pc)
		return;
	ipo_tag_set(r, k, orig);
}

void ipo_tags_rebase(struct ipo_env *env, struct ipo_vstate *st, u32 k)
{
	u32 i;

	for (i = 0; i < IPO_NREGS; i++)
		ipo_tag_rebase(env, &st->r[i], k, i);
	for (i = 0; i < st->nslots; i++)
		if (ipo_slot_is_spill(&st->s[i]))
			ipo_tag_rebase(env, &st->s[i].spill, k,
				       IPO_ORIG_SLOT + i);
}

/*
 * The state goes to @pc: a tag of a loop that does not span @pc says
 * nothing there (a path that left the loop and came back in without
 * passing its header would carry an earlier pass's tags).
 */
void ipo_tags_strip(struct ipo_env *env, struct ipo_vstate *st, u32 pc)
{
	u32 i;

	for (i = 0; i < IPO_NREGS; i++) {
		struct ipo_vreg *r = &st->r[i];

		if (r->lp && !ipo_hdr_spans(&env->hdr[r->lp - 1], pc))
			ipo_tag_clear(r);
	}
	for (i = 0; i < st->nslots; i++) {
		struct ipo_vreg *r = &st->s[i].spill;

		if (ipo_slot_is_spill(&st->s[i]) && r->lp &&
		    !ipo_hdr_spans(&env->hdr[r->lp - 1], pc))
			ipo_tag_clear(r);
	}
}

/*
 * The value moved by a delta in [lo, hi] (modulo 2^64, as the operation
 * did): so does the tag, or it goes when the deltas leave s16.
 */
void ipo_tag_shift(struct ipo_vreg *r, s64 lo, s64 hi)
{
	s64 nlo, nhi;

	if (!r->lp)
		return;
	if (lo < S16_MIN || hi > S16_MAX || lo > hi) {
		ipo_tag_clear(r);
		return;
	}
	nlo = (s64)r->dlo + lo;
	nhi = (s64)r->dhi + hi;
	if (nlo < S16_MIN || nhi > S16_MAX) {
		ipo_tag_clear(r);
		return;
	}
	r->dlo = (s16)nlo;
	r->dhi = (s16)nhi;
}

/* ---- termination ------------------------------------------------------ */

/* A new attempt at the loop of @h: every register may still count. */
void ipo_term_reset(struct ipo_hdr *h)
{
	h->cand = ~0ULL;
	h->back_seen = false;
	h->why_reg = IPO_NREGS;
	h->why_kind = 0;
	h->why_pc = 0;
}

/*
 * Which kinds of counter is @r, the value register @i takes back to
 * header @k?  Up: every pass adds at least 1 (dlo >= 1), and at the back
 * edge the value is at most K with K + dhi not past the top, so from the
 * second pass on the header sees a strictly growing sequence bounded by
 * K: no pass wraps it (the first pass may start anywhere).  Down is the
 * mirror.  Pointers count by their offset, which must stay small.
 */
static u32 ipo_term_kinds(const struct ipo_vreg *r)
{
	u32 m = 0;

	if (r->type == IPO_VT_SCALAR) {
		if (r->dlo >= 1 && r->umax <= U64_MAX - (u64)r->dhi)
			m |= 1U << IPO_TERM_UP;
		if (r->dhi <= -1 && r->umin >= (u64)-(s64)r->dlo)
			m |= 1U << IPO_TERM_DOWN;
		if (r->dlo >= 1 && r->smax <= S64_MAX - r->dhi)
			m |= 1U << IPO_TERM_SUP;
		if (r->dhi <= -1 && r->smin >= S64_MIN - r->dlo)
			m |= 1U << IPO_TERM_SDOWN;
	} else if (r->type == IPO_VT_PTR && ipo_off_bounded(r)) {
		if (r->dlo >= 1)
			m |= 1U << IPO_TERM_SUP;
		if (r->dhi <= -1)
			m |= 1U << IPO_TERM_SDOWN;
	}
	return m;
}

/* A back edge at @pc to header @k with the state @cur (not rebased). */
void ipo_term_back_edge(struct ipo_env *env, u32 k,
			const struct ipo_vstate *cur, u32 pc)
{
	struct ipo_hdr *h = &env->hdr[k];
	u64 m = 0;
	u32 i;

	h->back_seen = true;
	for (i = 0; i < IPO_NREGS; i++) {
		const struct ipo_vreg *r = &cur->r[i];

		if (r->lp == k + 1 && r->lorig == i)
			m |= (u64)ipo_term_kinds(r) << (IPO_TERM_KINDS * i);
	}
	if (!(h->cand & m) && h->cand) {
		/* The first back edge that leaves no counter: say why. */
		h->why_pc = pc;
		for (i = 0; i < IPO_NREGS; i++) {
			const struct ipo_vreg *r = &cur->r[i];
			u8 kind;

			if (r->lp != k + 1 || r->lorig != i ||
			    (!r->dlo && !r->dhi))
				continue;
			kind = r->dlo >= 1 ? IPO_TERM_UP :
			       r->dhi <= -1 ? IPO_TERM_DOWN : IPO_TERM_KINDS;
			/* A steady counter says more than a wavering one. */
			if (h->why_reg == IPO_NREGS ||
			    (h->why_kind == IPO_TERM_KINDS &&
			     kind != IPO_TERM_KINDS)) {
				h->why_reg = i;
				h->why_kind = kind;
			}
		}
	}
	h->cand &= m;
}

/* Passes through the header a counter of @kind allows, from state @w. */
static u64 ipo_term_passes(const struct ipo_vreg *r, u32 kind)
{
	u64 span;

	if (r->type == IPO_VT_PTR)
		span = (u64)r->smax - (u64)r->smin;
	else if (kind == IPO_TERM_UP || kind == IPO_TERM_DOWN)
		span = r->umax - r->umin;
	else
		span = (u64)r->smax - (u64)r->smin;
	return span >= U64_MAX - 2 ? U64_MAX : span + 2;
}

static const char *const ipo_term_dir[IPO_TERM_KINDS] = {
	[IPO_TERM_UP] = "up",
	[IPO_TERM_DOWN] = "down",
	[IPO_TERM_SUP] = "up",
	[IPO_TERM_SDOWN] = "down",
};

/*
 * The pass leaves the loop of header @k for good: is it bounded?  The
 * counter with the fewest passes, from the header's final state; or only
 * fuel ends it (see the report).
 */
void ipo_loop_decide(struct ipo_env *env, u32 k)
{
	struct ipo_hdr *h = &env->hdr[k];
	u32 i, kind;

	h->fuel = false;
	h->bound_reg = IPO_NREGS;
	h->passes = 0;
	if (!h->w || !h->back_seen)
		return;
	for (i = 0; h->cand && i < IPO_NREGS; i++) {
		for (kind = 0; kind < IPO_TERM_KINDS; kind++) {
			u64 n;

			if (!(h->cand & (1ULL << (IPO_TERM_KINDS * i + kind))))
				continue;
			n = ipo_term_passes(&h->w->r[i], kind);
			if (h->bound_reg == IPO_NREGS || n < h->passes) {
				h->passes = n;
				h->bound_reg = i;
				h->bound_kind = kind;
			}
		}
	}
	if (h->bound_reg == IPO_NREGS) {
		h->fuel = true;
		env->prog->fuel_loops++;
	}
}

/* The loop of header @k in the report: a note, or strict's rejection. */
int ipo_loop_report(struct ipo_env *env, u32 k)
{
	struct ipo_hdr *h = &env->hdr[k];

	if (!h->fuel) {
		if (!env->log || env->log->level < 1 || !h->back_seen)
			return 0;
		if (h->bound_reg == IPO_NREGS)
			return 0;
		ipo_note(env, h->pc,
			 "loop bounded: R%u counts %s on every pass, at most %llu passes",
			 h->bound_reg, ipo_term_dir[h->bound_kind],
			 (unsigned long long)h->passes);
		return 0;
	}
	if (h->why_reg < IPO_NREGS && h->why_kind == IPO_TERM_UP)
		return ipo_note_or_err(env, h->pc,
				       "loop relies on fuel: R%u counts up but has no upper bound where it goes back at %u; test it against a constant or a size before jumping back",
				       h->why_reg, h->why_pc);
	if (h->why_reg < IPO_NREGS && h->why_kind == IPO_TERM_DOWN)
		return ipo_note_or_err(env, h->pc,
				       "loop relies on fuel: R%u counts down but has no lower bound where it goes back at %u; test it against a constant before jumping back",
				       h->why_reg, h->why_pc);
	if (h->why_reg < IPO_NREGS)
		return ipo_note_or_err(env, h->pc,
				       "loop relies on fuel: R%u does not move the same way on every path back to the header (back edge at %u)",
				       h->why_reg, h->why_pc);
	return ipo_note_or_err(env, h->pc,
			       "loop relies on fuel: no register counts up or down by a fixed step on every pass (back edge at %u)",
			       h->why_pc);
}

/* ---- size relations --------------------------------------------------- */

/*
 * The largest run-time size of @region: the bound of the context fields
 * and entry registers that hold it (the only sources of size relations);
 * U64_MAX when nothing says.
 */
u64 ipo_region_max(const struct ipo_prog_type *type, u8 region)
{
	u64 max = 0;
	bool any = false;
	u32 i;

	for (i = 0; i < type->nr_ctx_fields; i++) {
		const struct ipo_ctx_field *cf = &type->ctx_fields[i];

		if (cf->region == IPO_RGN_NONE && cf->size_of == region) {
			max = max(max, cf->max);
			any = true;
		}
	}
	for (i = 0; i < 5; i++) {
		if (type->entry_region[i] == IPO_RGN_NONE &&
		    type->entry_scalar[i] && type->entry_size_of[i] == region) {
			max = max(max, type->entry_scalar_max[i]);
			any = true;
		}
	}
	return any ? max : U64_MAX;
}

/*
 * A size relation bounds the value from above (value <= the size's
 * largest value >> rel_sh, minus rel_k): say so in its range.
 */
void ipo_rel_sync(struct ipo_env *env, struct ipo_vreg *r)
{
	u64 max;
	s64 bound;

	if (!r->rel_rgn || r->type != IPO_VT_SCALAR)
		return;
	max = ipo_region_max(env->type, r->rel_rgn);
	if (max > (u64)S64_MAX)
		return;
	if (check_sub_overflow((s64)(max >> r->rel_sh), (s64)r->rel_k,
			       &bound) ||
	    bound < 0 || (u64)bound < r->umin || (u64)bound >= r->umax)
		return;
	r->umax = bound;
	ipo_vreg_sync(r);
}

/* ---- affine relations at loop headers --------------------------------- */

/*
 * A value at the header with a single known value: a scalar constant, or
 * a pointer's whole offset.  Relations start from such values.
 */
static bool ipo_lrel_point(const struct ipo_vreg *r, s64 *v)
{
	if (!ipo_tnum_is_const(r->var))
		return false;
	if (r->type == IPO_VT_SCALAR) {
		if ((s64)r->var.value < -IPO_PTR_BOUND ||
		    (s64)r->var.value > IPO_PTR_BOUND)
			return false;
		*v = (s64)r->var.value;
		return true;
	}
	if (r->type != IPO_VT_PTR)
		return false;
	*v = ipo_const_off(r, 0);
	return *v >= -IPO_PTR_BOUND && *v <= IPO_PTR_BOUND;
}

/* @r's exact delta over the pass, when it is one of loop @k's register @o. */
static bool ipo_lrel_delta(const struct ipo_vreg *r, u32 k, u8 o, s64 *d)
{
	if (r->lp != k + 1 || r->lorig != o || r->dlo != r->dhi)
		return false;
	*d = r->dlo;
	return true;
}

/*
 * The first back edge of loop @k's first attempt (state @cur, not
 * rebased; @w the header's entry state): pairs p, c of registers that
 * stepped together, dp = s * dc, from single known values at the entry,
 * give p = s * c + b at the header on every pass that keeps that step.
 * Later back edges check it (ipo_lrel_check()).
 */
void ipo_lrel_find(struct ipo_env *env, u32 k, const struct ipo_vstate *cur)
{
	struct ipo_hdr *h = &env->hdr[k];
	const struct ipo_vstate *w = h->w;
	u32 p, c;

	h->rel_tried = true;
	h->nrel = 0;
	for (p = 0; p < IPO_NREGS && h->nrel < IPO_LRELS; p++) {
		s64 dp, p0;

		if (p == IPO_FP || !ipo_lrel_delta(&cur->r[p], k, p, &dp) ||
		    !dp || !ipo_lrel_point(&w->r[p], &p0) ||
		    w->r[p].type != cur->r[p].type)
			continue;
		for (c = 0; c < IPO_NREGS && h->nrel < IPO_LRELS; c++) {
			s64 dc, c0, s, b;

			if (c == p || cur->r[c].type != IPO_VT_SCALAR ||
			    w->r[c].type != IPO_VT_SCALAR ||
			    !ipo_lrel_delta(&cur->r[c], k, c, &dc) || !dc ||
			    dp % dc || !ipo_lrel_point(&w->r[c], &c0))
				continue;
			s = dp / dc;
			if (s < S16_MIN || s > S16_MAX)
				continue;
			b = p0 - s * c0;
			if (b < S32_MIN || b > S32_MAX)
				continue;
			h->rel[h->nrel++] = (struct ipo_lrel){
				.p = p, .c = c, .s = (s16)s, .b = (s32)b,
			};
			break;
		}
	}
}

/* Does every relation of loop @k hold at this back edge (@cur)? */
bool ipo_lrel_check(struct ipo_env *env, u32 k, const struct ipo_vstate *cur)
{
	struct ipo_hdr *h = &env->hdr[k];
	u32 i;

	for (i = 0; i < h->nrel; i++) {
		const struct ipo_lrel *rel = &h->rel[i];
		s64 dp, dc;

		if (cur->r[rel->p].type != h->w->r[rel->p].type ||
		    cur->r[rel->c].type != IPO_VT_SCALAR ||
		    !ipo_lrel_delta(&cur->r[rel->p], k, rel->p, &dp) ||
		    !ipo_lrel_delta(&cur->r[rel->c], k, rel->c, &dc) ||
		    dp != (s64)rel->s * dc)
			return false;
	}
	return true;
}

/*
 * p = s * c + b holds in @st (a header state, or a back edge's rebased to
 * the header): p's value (a pointer's whole offset) lies in s times c's
 * range plus b, modulo 2^64 like the steps that kept it; and a size
 * relation of c carries over to p when s is c's unit (p's bytes then
 * stay below the size, as s * (c + k) <= s * (size >> log2 s) <= size).
 */
static void ipo_lrel_narrow(struct ipo_env *env, struct ipo_vstate *st,
			    const struct ipo_lrel *rel)
{
	struct ipo_vreg *p = &st->r[rel->p];
	const struct ipo_vreg *c = &st->r[rel->c];
	struct ipo_vreg n;
	s64 lo, hi, s = rel->s;

	if (c->type != IPO_VT_SCALAR || c->smin < -(1LL << 31) ||
	    c->smax > (1LL << 31))
		return;
	lo = s * (s > 0 ? c->smin : c->smax) + rel->b;
	hi = s * (s > 0 ? c->smax : c->smin) + rel->b;
	if (p->type == IPO_VT_PTR) {
		/*
		 * Offsets are taken modulo 2^64 like addresses: any range that
		 * is exact is sound, a large one only proves less.
		 */
		if (lo < -(1LL << 48) || hi > (1LL << 48))
			return;
		ipo_ptr_fold_off(p);
	} else if (p->type != IPO_VT_SCALAR) {
		return;
	}
	/* What the relation says, intersected with what p knew. */
	n = *p;
	n.var = ipo_tnum_add(ipo_tnum_mul(c->var, ipo_tnum_const((u64)s)),
			     ipo_tnum_const((u64)(s64)rel->b));
	n.smin = lo;
	n.smax = hi;
	n.umin = 0;
	n.umax = U64_MAX;
	if (lo >= 0) {
		n.umin = lo;
		n.umax = hi;
	}
	ipo_vreg_sync(&n);
	p->var = ipo_tnum_intersect(p->var, n.var);
	p->umin = max(p->umin, n.umin);
	p->umax = min(p->umax, n.umax);
	p->smin = max(p->smin, n.smin);
	p->smax = min(p->smax, n.smax);
	ipo_vreg_sync(p);
	if (ipo_vreg_empty(p)) {
		/* Only on a path that cannot run: keep the relation's view. */
		*p = n;
		p->var = n.var;
	}
	if (p->type == IPO_VT_PTR && s > 0 &&
	    (!p->rel_rgn || (p->rel_rgn == p->region && !p->rel_sh))) {
		u8 rgn = c->rel_rgn ? c->rel_rgn : c->size_of;
		u8 sh = c->rel_rgn ? c->rel_sh : c->size_sh;
		s64 k = c->rel_rgn ? c->rel_k : 0;
		s64 kp = s * k - rel->b;

		if (rgn == p->region && (1LL << sh) >= s &&
		    kp >= S32_MIN && kp <= S32_MAX &&
		    (!p->rel_rgn || kp > p->rel_k)) {
			p->rel_rgn = rgn;
			p->rel_sh = 0;
			p->rel_k = (s32)kp;
		}
	}
	ipo_rel_sync(env, p);
}

void ipo_lrel_apply(struct ipo_env *env, u32 k, struct ipo_vstate *st)
{
	struct ipo_hdr *h = &env->hdr[k];
	u32 i;

	for (i = 0; i < h->nrel; i++)
		ipo_lrel_narrow(env, st, &h->rel[i]);
}
