// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The verifier's memory and work (see "Limits" in verifier.c), and its
 * abstract states: allocating and reusing them, dropping those waiting at
 * jump targets or kept for loop retries, copying, joining and widening
 * registers, stack slots and whole states, and containment (a state that
 * covers another).
 */
#include "internal.h"

/* ---- memory and work --------------------------------------------------- */

/* Allocates @sz zeroed bytes within the memory budget ("Limits"). */
void *ipo_valloc(struct ipo_env *env, size_t sz)
{
	size_t real = ipo_alloc_size(sz);
	void *p;

	if (real > env->mem_max - env->mem) {
		env->over_mem = true;
		return NULL;
	}
	p = ipo_zalloc(sz);
	if (!p)
		return NULL;
	env->mem += real;
	if (env->mem > env->mem_peak)
		env->mem_peak = env->mem;
	return p;
}

/* Frees what ipo_valloc(env, @sz) returned; NULL is fine. */
void ipo_vfree(struct ipo_env *env, void *p, size_t sz)
{
	if (!p)
		return;
	env->mem -= ipo_alloc_size(sz);
	ipo_free(p);
}

/* -E2BIG when the memory budget said no, else -ENOMEM. */
int ipo_nomem(struct ipo_env *env)
{
	return env->over_mem ? -E2BIG : -ENOMEM;
}

/* ---- states ------------------------------------------------------------ */

/* Really frees the spare states (they still count against the budget). */
void ipo_drop_spares(struct ipo_env *env)
{
	struct ipo_vstate *st;
	u32 cap;

	for (cap = 0; cap <= IPO_SLOTS; cap++) {
		while ((st = env->spare[cap])) {
			env->spare[cap] = *(struct ipo_vstate **)st;
			ipo_vfree(env, st, ipo_state_size(cap));
		}
	}
}

/*
 * A state with room for at least @cap slots; its registers and slots are
 * garbage until ipo_state_copy() fills them (slots at and above nslots
 * are zero).  A spare one of the same or a larger capacity comes first.
 */
struct ipo_vstate *ipo_state_alloc(struct ipo_env *env, u32 cap)
{
	struct ipo_vstate *st;
	u32 c;

	for (c = cap; c <= IPO_SLOTS; c++) {
		st = env->spare[c];
		if (st) {
			env->spare[c] = *(struct ipo_vstate **)st;
			return st;
		}
	}
	if (ipo_alloc_size(ipo_state_size(cap)) > env->mem_max - env->mem)
		ipo_drop_spares(env);
	/*
	 * Give up on loop retries before giving up on the program, but only
	 * while no loop is being re-verified: a re-verification that lost the
	 * kept states of edges entering the loop body from before its header
	 * would analyse those instructions without them (unsound), so then
	 * the program is too complex instead.
	 */
	if (ipo_alloc_size(ipo_state_size(cap)) > env->mem_max - env->mem &&
	    env->nkept && !env->retrying) {
		ipo_release_kept(env);
		ipo_drop_spares(env);
		env->no_retry = true;
	}
	st = ipo_valloc(env, ipo_state_size(cap));
	if (st)
		st->cap = cap;
	return st;
}

/* Puts @st aside for reuse: states come and go at every jump target. */
void ipo_state_free(struct ipo_env *env, struct ipo_vstate *st)
{
	if (!st)
		return;
	*(struct ipo_vstate **)st = env->spare[st->cap];
	env->spare[st->cap] = st;
}

/* The branch state waiting at @pc, if any, is no longer needed. */
void ipo_saved_drop(struct ipo_env *env, u32 pc)
{
	if (!env->saved[pc])
		return;
	ipo_state_free(env, env->saved[pc]);
	env->saved[pc] = NULL;
	env->nsaved--;
}

void ipo_release_kept(struct ipo_env *env)
{
	u32 i;

	for (i = 0; i < env->nkept; i++) {
		u32 pc = env->kept[i];

		env->fl[pc] &= ~(IPO_FL_KEPT | IPO_FL_SIDE);
		ipo_saved_drop(env, pc);
	}
	env->nkept = 0;
}

/* Slots at and above nslots stay zero (INVALID); keep it so on shrinking. */
void ipo_state_set_nslots(struct ipo_vstate *st, u32 n)
{
	if (n < st->nslots)
		memset(&st->s[n], 0, (st->nslots - n) * sizeof(st->s[0]));
	st->nslots = n;
}

void ipo_state_copy(struct ipo_vstate *dst, const struct ipo_vstate *src)
{
	memcpy(dst->r, src->r, sizeof(dst->r));
	memcpy(dst->size_min, src->size_min, sizeof(dst->size_min));
	ipo_state_set_nslots(dst, min(dst->nslots, src->nslots));
	memcpy(dst->s, src->s, src->nslots * sizeof(src->s[0]));
	dst->nslots = src->nslots;
}

struct ipo_vstate *ipo_state_dup(struct ipo_env *env,
				 const struct ipo_vstate *src)
{
	struct ipo_vstate *st = ipo_state_alloc(env, src->nslots);

	if (st)
		ipo_state_copy(st, src);
	return st;
}

void ipo_reg_ptr(struct ipo_vreg *r, u8 region, s32 off)
{
	ipo_vreg_const(r, 0);
	r->type = IPO_VT_PTR;
	r->region = region;
	r->off = off;
}

/* Fold the fixed offset into the variable part (for joins of pointers). */
void ipo_ptr_fold_off(struct ipo_vreg *r)
{
	struct ipo_vreg c;

	ipo_vreg_const(&c, (u64)(s64)r->off);
	ipo_vreg_add(r, &c);
	r->off = 0;
}

/*
 * The facts beside the value (see "Loop facts" in verifier.c): a loop tag
 * survives a join where both sides have it, as the hull of the deltas; a
 * size relation where both relate to the same size, with the weaker gap.
 */
void ipo_facts_join(struct ipo_vreg *a, const struct ipo_vreg *b)
{
	if (a->id != b->id)
		a->id = 0;
	if (a->lp != b->lp || a->lorig != b->lorig) {
		ipo_tag_clear(a);
	} else if (a->lp) {
		a->dlo = min(a->dlo, b->dlo);
		a->dhi = max(a->dhi, b->dhi);
	}
	if (a->rel_rgn != b->rel_rgn || a->rel_sh != b->rel_sh)
		ipo_rel_clear(a);
	else if (a->rel_rgn)
		a->rel_k = min(a->rel_k, b->rel_k);
}

/* Does every fact of a hold for b? */
bool ipo_facts_contain(const struct ipo_vreg *a, const struct ipo_vreg *b)
{
	if (a->id && a->id != b->id)
		return false;
	if (a->lp && (a->lp != b->lp || a->lorig != b->lorig ||
		      b->dlo < a->dlo || b->dhi > a->dhi))
		return false;
	if (a->rel_rgn && (a->rel_rgn != b->rel_rgn ||
			   a->rel_sh != b->rel_sh || b->rel_k < a->rel_k))
		return false;
	return true;
}

/* Pointers into different frames are as different as regions. */
static bool ipo_same_kind(const struct ipo_vreg *a, const struct ipo_vreg *b)
{
	return a->type == b->type && a->region == b->region &&
	       a->win == b->win;
}

void ipo_reg_join(struct ipo_vreg *a, const struct ipo_vreg *b)
{
	struct ipo_vreg bb;

	if (!ipo_same_kind(a, b)) {
		ipo_reg_not_init(a);
		return;
	}
	if (a->type == IPO_VT_NOT_INIT)
		return;
	if (a->size_of != b->size_of || a->size_sh != b->size_sh) {
		a->size_of = IPO_RGN_NONE;
		a->size_sh = 0;
	}
	a->flags |= b->flags;
	ipo_facts_join(a, b);
	if (a->type == IPO_VT_PTR && a->off != b->off) {
		bb = *b;
		ipo_ptr_fold_off(a);
		ipo_ptr_fold_off(&bb);
		ipo_scalar_join(a, &bb);
		return;
	}
	ipo_scalar_join(a, b);
}

static bool ipo_var_unknown(const struct ipo_vreg *r)
{
	return ipo_tnum_is_unknown(r->var) && r->umin == 0 &&
	       r->umax == U64_MAX && r->smin == S64_MIN && r->smax == S64_MAX;
}

/* The value part of ipo_reg_contains(): everything but the facts. */
bool ipo_value_contains(const struct ipo_vreg *a,
			       const struct ipo_vreg *b)
{
	if (a->type == IPO_VT_NOT_INIT)
		return true;
	if (!ipo_same_kind(a, b))
		return false;
	if (a->size_of && (a->size_of != b->size_of ||
			   a->size_sh != b->size_sh))
		return false;
	if (a->type == IPO_VT_PTR) {
		/* Any offset: every access through it is masked or checked. */
		if (ipo_var_unknown(a))
			return true;
		if (a->off != b->off || (b->flags & ~a->flags))
			return false;
	}
	return ipo_scalar_contains(a, b);
}

/* Is every value b stands for also one that a stands for? */
bool ipo_reg_contains(const struct ipo_vreg *a, const struct ipo_vreg *b)
{
	if (a->type == IPO_VT_NOT_INIT)
		return true;
	return ipo_value_contains(a, b) && ipo_facts_contain(a, b);
}

/*
 * Widening keeps a fact of a only where it covers b's: a fact that moved
 * goes, so a loop's facts cannot drift pass after pass (a gap shrinking
 * by one each time) and keep it from settling.
 */
void ipo_facts_widen(struct ipo_vreg *a, const struct ipo_vreg *b)
{
	if (a->id != b->id)
		a->id = 0;
	if (a->lp && (a->lp != b->lp || a->lorig != b->lorig ||
		      b->dlo < a->dlo || b->dhi > a->dhi))
		ipo_tag_clear(a);
	if (a->rel_rgn && (a->rel_rgn != b->rel_rgn ||
			   a->rel_sh != b->rel_sh || b->rel_k < a->rel_k))
		ipo_rel_clear(a);
}

static void ipo_reg_widen(struct ipo_vreg *a, const struct ipo_vreg *b)
{
	struct ipo_vreg facts;
	u8 flags, win;

	/* A pointer that differs only by IPO_VRF_MOVED keeps its offset. */
	if (a->type == IPO_VT_PTR && b->type == IPO_VT_PTR)
		a->flags |= b->flags;
	if (ipo_reg_contains(a, b))
		return;
	if (!ipo_same_kind(a, b) || a->type == IPO_VT_NOT_INIT) {
		ipo_reg_not_init(a);
		return;
	}
	ipo_facts_widen(a, b);
	/* Only a fact moved: it went, the value stays. */
	if (ipo_value_contains(a, b))
		return;
	facts = *a;
	flags = a->flags;
	win = a->win;
	ipo_vreg_unknown(a);
	if (facts.type == IPO_VT_PTR) {
		a->type = IPO_VT_PTR;
		a->region = b->region;
		a->flags = flags;
		a->win = win;
		a->off = 0;
	}
	ipo_facts_copy(a, &facts);
	a->id = facts.id;
}

static bool ipo_slot_has_ptr(const struct ipo_vslot *s)
{
	return ipo_slot_is_spill(s) && s->spill.type == IPO_VT_PTR;
}

/* Byte-wise join; bytes of a spilled pointer never become data. */
static void ipo_slot_join_bytes(struct ipo_vslot *a, const struct ipo_vslot *b)
{
	bool aptr = ipo_slot_has_ptr(a), bptr = ipo_slot_has_ptr(b);
	int i;

	for (i = 0; i < 8; i++) {
		u8 ka = a->kind[i], kb = b->kind[i];

		if (ka == IPO_SB_INVALID || kb == IPO_SB_INVALID ||
		    (ka == IPO_SB_SPILL && aptr) ||
		    (kb == IPO_SB_SPILL && bptr))
			a->kind[i] = IPO_SB_INVALID;
		else
			a->kind[i] = IPO_SB_MISC;
	}
	memset(&a->spill, 0, sizeof(a->spill));
}

static void ipo_slot_join(struct ipo_vslot *a, const struct ipo_vslot *b,
			  bool widen)
{
	if (ipo_slot_is_spill(a) && ipo_slot_is_spill(b)) {
		if (widen)
			ipo_reg_widen(&a->spill, &b->spill);
		else
			ipo_reg_join(&a->spill, &b->spill);
		if (a->spill.type == IPO_VT_NOT_INIT)
			memset(a, 0, sizeof(*a));
		else if (widen && a->spill.type == IPO_VT_SCALAR &&
			 !ipo_reg_contains(&a->spill, &b->spill))
			ipo_slot_join_bytes(a, b);
		return;
	}
	ipo_slot_join_bytes(a, b);
}

static bool ipo_slot_contains(const struct ipo_vslot *a,
			      const struct ipo_vslot *b)
{
	int i;

	if (ipo_slot_is_spill(a))
		return ipo_slot_is_spill(b) &&
		       ipo_reg_contains(&a->spill, &b->spill);
	for (i = 0; i < 8; i++) {
		if (a->kind[i] == IPO_SB_INVALID)
			continue;
		/* a: MISC */
		if (b->kind[i] == IPO_SB_INVALID || ipo_slot_has_ptr(b))
			return false;
	}
	return true;
}

/*
 * Does @st prove @r's value (a pointer's whole offset into @rgn) + @k <=
 * size(@rgn) >> @sh from what it learned of the size (size_min)?  Then
 * the relation holds for @r there without being written down: a loop's
 * index that starts at 0 after a test of the size has it on entry.
 */
static bool ipo_rel_implied(const struct ipo_vstate *st,
			    const struct ipo_vreg *r, u8 rgn, u8 sh, s32 k)
{
	s64 max;

	if (!rgn || rgn >= IPO_NR_REGIONS)
		return false;
	if (r->type == IPO_VT_SCALAR && r->umax <= U32_MAX)
		max = (s64)r->umax;
	else if (r->type == IPO_VT_PTR && r->region == rgn && !sh &&
		 ipo_off_bounded(r))
		max = (s64)r->off + r->smax;
	else
		return false;
	return max + k <= (s64)(st->size_min[rgn] >> sh);
}

/* Gives @to @from's size relation when @st, @to's state, implies it. */
void ipo_rel_lift(const struct ipo_vstate *st, struct ipo_vreg *to,
			 const struct ipo_vreg *from)
{
	if (!from->rel_rgn ||
	    (to->rel_rgn == from->rel_rgn && to->rel_sh == from->rel_sh &&
	     to->rel_k >= from->rel_k) ||
	    !ipo_rel_implied(st, to, from->rel_rgn, from->rel_sh,
			     from->rel_k))
		return;
	to->rel_rgn = from->rel_rgn;
	to->rel_sh = from->rel_sh;
	to->rel_k = from->rel_k;
}

/*
 * dst = dst ⊔ src (widen: dst = dst ∇ src).  Equal registers and slots
 * are left as they are (x ⊔ x = x ∇ x = x), which most of them are where
 * two edges meet.  Returns how many were not, for the work count.
 */
u32 ipo_state_join(struct ipo_vstate *dst, const struct ipo_vstate *src,
		   bool widen)
{
	u32 i, n = min(dst->nslots, src->nslots), joined = 0;

	for (i = 0; i < IPO_NREGS; i++) {
		struct ipo_vreg b;

		if (!memcmp(&dst->r[i], &src->r[i], sizeof(dst->r[i])))
			continue;
		joined++;
		/* A relation one side writes down and the other implies. */
		b = src->r[i];
		ipo_rel_lift(src, &b, &dst->r[i]);
		ipo_rel_lift(dst, &dst->r[i], &b);
		if (widen)
			ipo_reg_widen(&dst->r[i], &b);
		else
			ipo_reg_join(&dst->r[i], &b);
	}
	/* Facts hold after a join only if they held on both sides. */
	for (i = 0; i < IPO_NR_REGIONS; i++)
		dst->size_min[i] = min(dst->size_min[i], src->size_min[i]);
	ipo_state_set_nslots(dst, n);
	for (i = 0; i < n; i++) {
		if (!memcmp(&dst->s[i], &src->s[i], sizeof(dst->s[i])))
			continue;
		joined++;
		ipo_slot_join(&dst->s[i], &src->s[i], widen);
	}
	return joined;
}

static const struct ipo_vslot ipo_invalid_slot;

/*
 * Does a cover b?  On failure *what names the first difference.  Equal
 * registers and slots cover each other; *tested counts the others.
 */
bool ipo_state_contains(const struct ipo_vstate *a,
			const struct ipo_vstate *b, int *what,
			u32 *tested)
{
	u32 i;

	for (i = 0; i < IPO_NREGS; i++) {
		struct ipo_vreg bb;

		if (!memcmp(&a->r[i], &b->r[i], sizeof(a->r[i])))
			continue;
		++*tested;
		bb = b->r[i];
		ipo_rel_lift(b, &bb, &a->r[i]);
		if (!ipo_reg_contains(&a->r[i], &bb)) {
			*what = i;
			return false;
		}
	}
	for (i = 0; i < IPO_NR_REGIONS; i++) {
		if (a->size_min[i] > b->size_min[i]) {
			*what = IPO_WHAT_SIZE;
			return false;
		}
	}
	for (i = 0; i < a->nslots; i++) {
		const struct ipo_vslot *bs = i < b->nslots ? &b->s[i] :
					     &ipo_invalid_slot;

		if (!memcmp(&a->s[i], bs, sizeof(*bs)))
			continue;
		++*tested;
		if (!ipo_slot_contains(&a->s[i], bs)) {
			*what = -1 - (int)i;
			return false;
		}
	}
	return true;
}
