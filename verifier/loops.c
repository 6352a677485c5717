// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Where edges meet (see "Loops" in verifier.c): the states waiting at
 * jump targets, joined as the pass arrives there, and loop headers, whose
 * state every back edge must fit in; a back edge that does not widens the
 * header's state and restarts the pass there.
 */
#include "internal.h"

#define IPO_LOOP_ATTEMPTS	4

/* Keeps the state at @pc for a retry (see "Loops" in verifier.c). */
static int ipo_keep(struct ipo_env *env, u32 pc)
{
	u32 cap = env->kept_cap ? 2 * env->kept_cap : 64, *nk;

	if (env->fl[pc] & IPO_FL_KEPT)
		return 0;
	if (env->nkept == env->kept_cap) {
		nk = ipo_valloc(env, cap * sizeof(*nk));
		if (!nk)
			return ipo_nomem(env);
		if (env->nkept)
			memcpy(nk, env->kept, env->nkept * sizeof(*nk));
		ipo_vfree(env, env->kept, env->kept_cap * sizeof(*nk));
		env->kept = nk;
		env->kept_cap = cap;
	}
	env->fl[pc] |= IPO_FL_KEPT;
	env->kept[env->nkept++] = pc;
	return 0;
}

/* Index of the first loop header at or after @pc (headers are sorted). */
u32 ipo_first_hdr(const struct ipo_env *env, u32 pc)
{
	u32 lo = 0, hi = env->nhdr;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (env->hdr[mid].pc < pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The pass has left every loop entered so far: each is decided (see
 * ipo_loop_decide()) and its header state dropped.
 */
void ipo_close_loops(struct ipo_env *env, u32 pc)
{
	while (env->hfree < env->nhdr && env->hdr[env->hfree].pc < pc) {
		ipo_loop_decide(env, env->hfree);
		ipo_state_free(env, env->hdr[env->hfree].w);
		env->hdr[env->hfree].w = NULL;
		env->hfree++;
	}
	env->open = false;
}

/* The state flowing along an edge from @pc to a later instruction @t. */
static int ipo_push_target(struct ipo_env *env, u32 pc, u32 t,
			   const struct ipo_vstate *st)
{
	if (ipo_side_entry(env, pc, t))
		env->fl[t] |= IPO_FL_SIDE;
	if (!env->saved[t]) {
		env->work += ipo_state_cost(st);
		env->saved[t] = ipo_state_dup(env, st);
		if (!env->saved[t])
			return ipo_nomem(env);
		env->nsaved++;
	} else {
		env->work += ipo_join_cost(st, ipo_state_join(env->saved[t], st,
							      false));
	}
	if (env->nhdr)
		ipo_tags_strip(env, env->saved[t], t);
	return 0;
}

static void ipo_slot_msg(struct ipo_env *env, int what, const char **name,
			 char *nb, u32 nsz)
{
	if (what >= 0)
		ipo_snprintf(nb, nsz, "R%d", what);
	else if (what == IPO_WHAT_SIZE)
		ipo_snprintf(nb, nsz, "a region size bound");
	else
		ipo_snprintf(nb, nsz, "fp-%d", (-1 - what) * 8 + 8);
	*name = nb;
}

/*
 * Widening with thresholds, for a loop's first widening only.  A counted
 * loop (`for (i = 0; i < 7; i++)`) brings i back in [1, 6]: the exit test
 * on the back edge has bounded it, but plain widening drops every bound
 * of a scalar that grew, so i becomes unknown at the header.  Here a bound
 * that grew moves only as far as the next constant a conditional jump of
 * the loop tests the register against (K or K -/+ 1), else to the end of
 * its range.  The result still covers the header state and the back edge
 * (bounds only move outwards, known bits are the union), so it is a
 * widening like the other; if it is not an invariant, the next back edge
 * widens again, to unknown.  One scan of the loop, like the re-visit of
 * its body the widening causes.
 */
struct ipo_thresh {
	u64 umax, umin;
	s64 smax, smin;
	bool up, down;		/* found one above, below */
};

static void ipo_thresh_dir(struct ipo_thresh *t, const struct ipo_vreg *j,
			   s64 k, bool up, bool down)
{
	s64 c;

	/* |k| <= 2^32: k - 1 .. k + 1 cannot overflow. */
	for (c = k - 1; c <= k + 1; c++) {
		if (up && (u64)c >= j->umax && (u64)c <= t->umax) {
			t->umax = c;
			t->up = true;
		}
		if (down && (u64)c <= j->umin && (u64)c >= t->umin) {
			t->umin = c;
			t->down = true;
		}
		if (up && c >= j->smax && c <= t->smax) {
			t->smax = c;
			t->up = true;
		}
		if (down && c <= j->smin && c >= t->smin) {
			t->smin = c;
			t->down = true;
		}
	}
}

static void ipo_thresh_try(struct ipo_thresh *t, const struct ipo_vreg *j,
			   s64 k)
{
	ipo_thresh_dir(t, j, k, true, true);
}

/*
 * `i < n` with n bounded where the loop goes back: n's largest value is
 * a threshold for i going up, its least one for i going down (nearer
 * ones would only hold for a pass or two).  Any value is a sound
 * threshold: the back edge still has to fit.
 */
static void ipo_thresh_reg(struct ipo_thresh *t, const struct ipo_vreg *j,
			   const bool *use, const struct ipo_vstate *cur,
			   u32 r, u32 o)
{
	const struct ipo_vreg *b = &cur->r[o];

	if (r >= IPO_NREGS || o >= IPO_NREGS || !use[r] ||
	    b->type != IPO_VT_SCALAR)
		return;
	if (b->umax <= U32_MAX)
		ipo_thresh_dir(&t[r], &j[r], (s64)b->umax, true, false);
	if (b->umin <= U32_MAX)
		ipo_thresh_dir(&t[r], &j[r], (s64)b->umin, false, true);
}

/* Returns ipo_state_join()'s count, for the work count. */
static u32 ipo_widen_thresh(struct ipo_env *env, const struct ipo_hdr *h,
			    struct ipo_vstate *w, const struct ipo_vstate *cur)
{
	struct ipo_thresh t[IPO_NREGS];
	struct ipo_vreg j[IPO_NREGS], b;
	bool use[IPO_NREGS], any = false;
	u32 i, pc, joined;

	for (i = 0; i < IPO_NREGS; i++) {
		use[i] = w->r[i].type == IPO_VT_SCALAR &&
			 cur->r[i].type == IPO_VT_SCALAR &&
			 !ipo_value_contains(&w->r[i], &cur->r[i]);
		if (!use[i])
			continue;
		any = true;
		j[i] = w->r[i];
		b = cur->r[i];
		ipo_rel_lift(cur, &b, &w->r[i]);
		ipo_rel_lift(w, &j[i], &b);
		ipo_scalar_join(&j[i], &b);
		ipo_facts_widen(&j[i], &b);
		if (j[i].size_of != cur->r[i].size_of ||
		    j[i].size_sh != cur->r[i].size_sh) {
			j[i].size_of = IPO_RGN_NONE;
			j[i].size_sh = 0;
		}
		t[i] = (struct ipo_thresh){ U64_MAX, 0, S64_MAX, S64_MIN };
	}
	if (!any)
		return ipo_state_join(w, cur, true);
	for (pc = h->pc; pc <= h->end; pc++) {
		const struct ipo_insn *insn = &env->insns[pc];
		const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];

		if ((env->fl[pc] & IPO_FL_LDDW2) || oi->kind != IPO_K_JCOND)
			continue;
		if (oi->flags & IPO_OPF_SRCX) {
			ipo_thresh_reg(t, j, use, cur, insn->dst, insn->src);
			ipo_thresh_reg(t, j, use, cur, insn->src, insn->dst);
		} else if (use[insn->dst]) {
			ipo_thresh_try(&t[insn->dst], &j[insn->dst],
				       insn->imm);
		}
	}
	for (i = 0; i < IPO_NREGS; i++) {
		const struct ipo_vreg *o = &w->r[i], *b = &cur->r[i];
		struct ipo_vreg *r = &j[i];
		bool top = false;

		if (!use[i])
			continue;
		/*
		 * Only the bounds that grew move, to their thresholds (or to
		 * the end of the range, when the other domain has one).
		 */
		if (b->umax > o->umax || b->smax > o->smax) {
			r->umax = b->umax > o->umax ? t[i].umax : r->umax;
			r->smax = b->smax > o->smax ? t[i].smax : r->smax;
			top |= !t[i].up;
		}
		if (b->umin < o->umin || b->smin < o->smin) {
			r->umin = b->umin < o->umin ? t[i].umin : r->umin;
			r->smin = b->smin < o->smin ? t[i].smin : r->smin;
			top |= !t[i].down;
		}
		/*
		 * No threshold: unknown, as plain widening has it.  Else the
		 * known bits go (they would pin the grown bounds back) and
		 * come back from the ranges.
		 */
		if (top) {
			use[i] = false;
		} else {
			r->var = ipo_tnum_unknown;
			ipo_vreg_sync(r);
		}
	}
	joined = ipo_state_join(w, cur, true);
	for (i = 0; i < IPO_NREGS; i++)
		if (use[i])
			w->r[i] = j[i];
	return joined;
}

/* Is register @r the p of one of @h's relations? */
static bool ipo_lrel_used(const struct ipo_hdr *h, u32 n, u32 r)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (h->rel[i].p == r)
			return true;
	return false;
}

/* @r's value is no longer known (a pointer keeps its region and frame). */
static void ipo_reg_forget(struct ipo_vreg *r)
{
	struct ipo_vreg o = *r;

	if (r->type == IPO_VT_NOT_INIT)
		return;
	ipo_vreg_unknown(r);
	if (o.type == IPO_VT_PTR) {
		r->type = IPO_VT_PTR;
		r->region = o.region;
		r->win = o.win;
		r->flags = o.flags;
	}
	r->lp = o.lp;
	r->lorig = o.lorig;
}

/*
 * A back edge from pc to header t with the current state.  Returns 1 when
 * the pass must restart at the header with a widened state.
 */
static int ipo_back_edge(struct ipo_env *env, u32 pc, u32 t)
{
	struct ipo_hdr *h = ipo_find_hdr(env, t);
	struct ipo_vstate *cur = env->tmp;
	char nb[32];
	const char *name;
	int what = 0;
	u32 i, tested = 0, nbroken = 0;
	bool fits, broken = false;

	if (!h)
		return ipo_err(env, pc, "back-edge to %u is not a loop header",
			       t);
	/*
	 * What the loop's counters did on this pass, then the state as the
	 * header sees it: every tag of this loop starts over there.
	 */
	ipo_term_back_edge(env, h - env->hdr, env->cur, pc);
	/*
	 * Relations between registers that step together (see "Loop facts"
	 * in verifier.c): found on the first pass, then every back edge
	 * must keep them.  One that breaks goes, with what the header state
	 * took from it: the loop starts over without it (one extra pass,
	 * at most once per loop entry).
	 */
	if (h->nrel && !ipo_lrel_check(env, h - env->hdr, env->cur)) {
		nbroken = h->nrel;
		h->nrel = 0;
		broken = true;
	} else if (h->w && !h->rel_tried && !h->attempts) {
		ipo_lrel_find(env, h - env->hdr, env->cur);
	}
	ipo_state_copy(cur, env->cur);
	ipo_tags_rebase(env, cur, h - env->hdr);
	if (h->nrel && h->attempts)
		ipo_lrel_apply(env, h - env->hdr, cur);
	env->work += ipo_state_cost(cur);
	fits = !broken && h->w &&
	       ipo_state_contains(h->w, cur, &what, &tested);
	env->work += ipo_join_cost(cur, tested);
	if (fits)
		return 0;
	/* Relations that keep the loop from settling go too. */
	if (!broken && h->nrel && h->attempts >= IPO_LOOP_ATTEMPTS) {
		nbroken = h->nrel;
		h->nrel = 0;
		broken = true;
	}
	if (broken && h->w && !env->no_retry) {
		for (i = 0; i < IPO_NREGS; i++)
			if (ipo_lrel_used(h, nbroken, i))
				ipo_reg_forget(&h->w->r[i]);
		if (h->attempts)
			h->attempts--;
	}
	if (h->attempts < IPO_LOOP_ATTEMPTS && !env->no_retry) {
		/* From here on the kept states are needed: see retrying. */
		env->retrying = true;
		if (h->w && h->attempts < IPO_LOOP_ATTEMPTS - 1) {
			/* A join, and a scan of the loop's jumps. */
			env->work += ipo_join_cost(cur, ipo_widen_thresh(env, h,
									 h->w,
									 cur)) +
				     (h->end - h->pc) / 8;
		} else if (h->w) {
			env->work += ipo_join_cost(cur,
						   ipo_state_join(h->w, cur,
								  true));
		} else {
			/* Only reached backwards: start it from this edge. */
			h->w = ipo_state_dup(env, cur);
			if (!h->w)
				return ipo_nomem(env);
		}
		/* Widened values keep the bounds their relations give. */
		for (i = 0; i < IPO_NREGS; i++)
			ipo_rel_sync(env, &h->w->r[i]);
		ipo_lrel_apply(env, h - env->hdr, h->w);
		h->attempts++;
		/* Inner loops start over from their new entry states. */
		for (i = h - env->hdr + 1; i < env->nhdr &&
		     env->hdr[i].pc <= pc; i++) {
			ipo_state_free(env, env->hdr[i].w);
			env->hdr[i].w = NULL;
			env->hdr[i].attempts = 0;
			env->hdr[i].nrel = 0;
			env->hdr[i].rel_tried = false;
			env->work++;	/* work, like the steps of the pass */
		}
		env->restart_pc = t;
		if (env->log && env->log->level >= 2)
			ipo_vlog_printf(env->log,
					"%u: widening loop header %u (attempt %u)\n",
					pc, t, h->attempts);
		return 1;
	}
	if (!h->w)
		return ipo_err(env, pc,
			       "back-edge to %u, which the pass could not re-verify",
			       t);
	ipo_slot_msg(env, what, &name, nb, sizeof(nb));
	if (what >= 0)
		return ipo_err(env, pc,
			       "back-edge state not contained in loop header state: %s %s vs header %s",
			       name, ipo_rstr(env, 0, &cur->r[what]),
			       ipo_rstr(env, 1, &h->w->r[what]));
	return ipo_err(env, pc,
		       "back-edge state not contained in loop header state: %s",
		       name);
}

/* Arrive at pc: join what jumps brought, fix the state of loop headers. */
int ipo_enter_insn(struct ipo_env *env, u32 pc)
{
	struct ipo_vstate *s = env->saved[pc];
	struct ipo_hdr *h;
	int err;

	if (env->restart_pc == pc) {
		env->restart_pc = IPO_NO_PC;
		h = ipo_find_hdr(env, pc);
		ipo_state_copy(env->cur, h->w);
		env->work += ipo_state_cost(h->w);
		env->live = true;
		ipo_term_reset(h);
		return 0;
	}
	if (s) {
		if (env->live) {
			env->work += ipo_join_cost(s, ipo_state_join(env->cur, s,
								     false));
		} else {
			ipo_state_copy(env->cur, s);
			env->work += ipo_state_cost(s);
		}
		env->live = true;
		/* Only side entries: the rest comes again on a retry. */
		if ((env->fl[pc] & IPO_FL_SIDE) && env->open &&
		    pc <= env->open_until && !env->no_retry) {
			err = ipo_keep(env, pc);
			if (err)
				return err;
		} else if (!(env->fl[pc] & IPO_FL_KEPT)) {
			ipo_saved_drop(env, pc);
		}
	}
	if (!(env->fl[pc] & IPO_FL_HEADER))
		return 0;
	h = ipo_find_hdr(env, pc);
	ipo_state_free(env, h->w);
	h->w = NULL;
	ipo_term_reset(h);
	/* A new entry: relations start again from its values. */
	h->nrel = 0;
	h->rel_tried = false;
	if (env->live) {
		ipo_tags_rebase(env, env->cur, h - env->hdr);
		env->work += ipo_state_cost(env->cur);
		h->w = ipo_state_dup(env, env->cur);
		if (!h->w)
			return ipo_nomem(env);
	}
	/*
	 * Open the loop even when the header is dead for now: a back edge may
	 * still bring it to life, and the re-verification then needs every
	 * edge that entered the body from before the header.
	 */
	if (!env->open || env->open_until < h->end)
		env->open_until = h->end;
	env->open = true;
	return 0;
}

/* Send the current state along an edge; 1 = restart at a loop header. */
int ipo_take_edge(struct ipo_env *env, u32 pc, u32 t)
{
	if (t > pc)
		return ipo_push_target(env, pc, t, env->cur);
	return ipo_back_edge(env, pc, t);
}
