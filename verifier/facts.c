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
 * did): so does the tag, or it goes when the deltas leave s32.
 */
void ipo_tag_shift(struct ipo_vreg *r, s64 lo, s64 hi)
{
	s64 nlo, nhi;

	if (!r->lp)
		return;
	if (lo < S32_MIN || hi > S32_MAX || lo > hi) {
		ipo_tag_clear(r);
		return;
	}
	nlo = (s64)r->dlo + lo;
	nhi = (s64)r->dhi + hi;
	if (nlo < S32_MIN || nhi > S32_MAX) {
		ipo_tag_clear(r);
		return;
	}
	r->dlo = (s32)nlo;
	r->dhi = (s32)nhi;
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
	bound = (s64)(max >> r->rel_sh) - r->rel_k;
	if (bound < 0 || (u64)bound < r->umin || (u64)bound >= r->umax)
		return;
	r->umax = bound;
	ipo_vreg_sync(r);
}
