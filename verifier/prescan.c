// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The pre-scan, before any state exists (see the top of verifier.c): every
 * instruction against the opcode table, the functions (call targets), the
 * jump targets, the loop headers and the loop around every instruction,
 * and the call graph (acyclic, at most IPO_MAX_CALL_DEPTH frames).
 */
#include "internal.h"

/*
 * The function @pc is in.  Call targets are function starts and take the
 * O(1) path: a binary search per call made verification O(n log n), and
 * cache-bound, for programs of many small functions.
 */
u32 ipo_find_func(struct ipo_env *env, u32 pc)
{
	u32 lo = 0, hi = env->nfn;

	if (env->fidx && pc < env->len && (env->fl[pc] & IPO_FL_START))
		return env->fidx[pc];

	while (hi - lo > 1) {
		u32 mid = lo + (hi - lo) / 2;

		if (env->fn[mid].start <= pc)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

struct ipo_hdr *ipo_find_hdr(struct ipo_env *env, u32 pc)
{
	if (pc >= env->len || !(env->fl[pc] & IPO_FL_HEADER))
		return NULL;
	return &env->hdr[env->hidx[pc]];
}

/*
 * 1 + the index of the innermost loop around @pc whose header lies before
 * it: the last such header (loops whose headers come later start inside
 * it); 0 when there is none.
 */
static u32 ipo_loop_of(struct ipo_env *env, u32 pc)
{
	if (!env->hidx)
		return 0;
	if (env->fl[pc] & IPO_FL_HEADER)
		return env->hdr[env->hidx[pc]].outer;
	return env->hidx[pc];
}

/*
 * Does the edge from @pc to the later @t enter a loop from before its
 * header?  Only a loop whose header lies between them can be entered so,
 * and the last header before t whose loop spans t is the last candidate.
 */
bool ipo_side_entry(struct ipo_env *env, u32 pc, u32 t)
{
	u32 l = ipo_loop_of(env, t);

	return l && env->hdr[l - 1].pc > pc;
}

/* Every IPO_SCAN_CHECK instructions of a pre-scan: a killed loader stops. */
bool ipo_scan_stop(struct ipo_env *env, u32 pc)
{
	if (pc % IPO_SCAN_CHECK)
		return false;
	ipo_cond_resched();
	return ipo_fatal_signal_pending();
}

/* Where a jump at pc lands (64-bit arithmetic: never wraps). */
s64 ipo_jump_target(const struct ipo_insn *insn, u32 pc)
{
	const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];

	if (oi->kind == IPO_K_JA && !(oi->flags & IPO_OPF_64))
		return (s64)pc + 1 + insn->imm;
	if (oi->kind == IPO_K_CALL)
		return (s64)pc + 1 + insn->imm;
	return (s64)pc + 1 + insn->off;
}

static bool ipo_is_jump(const struct ipo_opinfo *oi)
{
	return oi->kind == IPO_K_JA || oi->kind == IPO_K_JCOND;
}

int ipo_check_insns(struct ipo_env *env)
{
	const struct ipo_insn *insns = env->insns;
	u32 pc, nfn = 1;

	env->fl[0] |= IPO_FL_START;
	for (pc = 0; pc < env->len; pc++) {
		const struct ipo_insn *insn = &insns[pc];
		const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];
		const char *why = "invalid instruction";
		s64 t;

		if (ipo_scan_stop(env, pc))
			return -EINTR;
		if (env->fl[pc] & IPO_FL_LDDW2)
			continue;
		if (oi->kind == IPO_K_INVALID)
			return ipo_err(env, pc, "unknown opcode 0x%02x",
				       insn->code);
		if (ipo_insn_check(insn, &why))
			return ipo_err(env, pc, "invalid insn 0x%02x: %s",
				       insn->code, why);
		if (oi->kind == IPO_K_LDDW) {
			const struct ipo_insn *hi = &insns[pc + 1];

			if (pc + 1 >= env->len)
				return ipo_err(env, pc,
					       "lddw is missing its second slot");
			if (hi->code || hi->dst || hi->src || hi->off)
				return ipo_err(env, pc,
					       "invalid lddw second slot");
			env->fl[pc + 1] |= IPO_FL_LDDW2;
			continue;
		}
		if (oi->kind != IPO_K_CALL || insn->src != IPO_PSEUDO_CALL)
			continue;
		t = ipo_jump_target(insn, pc);
		if (t < 0 || t >= env->len)
			return ipo_err(env, pc, "call out of range to %lld",
				       (long long)t);
		if (!(env->fl[t] & IPO_FL_START))
			nfn++;
		env->fl[t] |= IPO_FL_START;
		env->aux[t].flags |= IPO_AUX_SUBPROG | IPO_AUX_JUMP_TARGET;
	}
	/* A call must name the first slot of an instruction. */
	for (pc = 0; pc < env->len; pc++) {
		const struct ipo_insn *insn = &insns[pc];
		s64 t;

		if ((env->fl[pc] & IPO_FL_LDDW2) ||
		    ipo_opinfo[insn->code].kind != IPO_K_CALL ||
		    insn->src != IPO_PSEUDO_CALL)
			continue;
		t = ipo_jump_target(insn, pc);
		if (env->fl[t] & IPO_FL_LDDW2)
			return ipo_err(env, pc,
				       "call into the middle of lddw at %lld",
				       (long long)t - 1);
	}
	/* A function's record holds its arguments' states: it pays for it. */
	env->mem_max = min_t(u64, env->mem_max + (u64)IPO_MEM_PER_FUNC * nfn,
			     IPO_MEM_MAX);
	env->fn = ipo_valloc(env, nfn * sizeof(*env->fn));
	if (!env->fn)
		return ipo_nomem(env);
	env->nfn_cap = nfn;
	if (nfn > 1) {
		env->fidx = ipo_valloc(env, env->len * sizeof(*env->fidx));
		if (!env->fidx)
			return ipo_nomem(env);
	}
	env->nfn = 0;
	for (pc = 0; pc < env->len; pc++) {
		if (!(env->fl[pc] & IPO_FL_START))
			continue;
		if (env->fl[pc] & IPO_FL_LDDW2)
			return ipo_err(env, pc - 1,
				       "call into the middle of lddw at %u",
				       pc - 1);
		if (env->nfn)
			env->fn[env->nfn - 1].end = pc;
		if (env->fidx)
			env->fidx[pc] = env->nfn;
		env->fn[env->nfn++].start = pc;
	}
	env->fn[env->nfn - 1].end = env->len;
	return 0;
}

/*
 * The rest of hidx (see struct ipo_env): for each pc the last header
 * before it whose loop spans it, and each header's own (hdr.outer).  One
 * sweep with a stack of loops linked through hdr.outer: a loop leaves the
 * stack once the sweep passes its end, and a loop below one that is still
 * open and ended earlier is never looked at again, as no later pc is in
 * it.
 */
static int ipo_map_loops(struct ipo_env *env)
{
	u32 pc, top = 0, next = 0;

	if (!env->nhdr)
		return 0;
	for (pc = 0; pc < env->len; pc++) {
		if (ipo_scan_stop(env, pc))
			return -EINTR;
		while (top && env->hdr[top - 1].end < pc)
			top = env->hdr[top - 1].outer;
		if (next < env->nhdr && env->hdr[next].pc == pc) {
			env->hdr[next].outer = top;
			top = ++next;
		} else {
			env->hidx[pc] = top;
		}
	}
	return 0;
}

int ipo_check_flow(struct ipo_env *env)
{
	const struct ipo_insn *insns = env->insns;
	u32 pc, f = 0, nhdr = 0, ncalls = 0, i;

	for (pc = 0; pc < env->len; pc++) {
		const struct ipo_insn *insn = &insns[pc];
		const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];
		s64 t;

		if (ipo_scan_stop(env, pc))
			return -EINTR;
		if (f + 1 < env->nfn && pc >= env->fn[f + 1].start)
			f++;
		if (env->fl[pc] & IPO_FL_LDDW2)
			continue;
		if (oi->kind == IPO_K_CALL && insn->src == IPO_PSEUDO_CALL) {
			ncalls++;
			continue;
		}
		if (!ipo_is_jump(oi))
			continue;
		t = ipo_jump_target(insn, pc);
		if (t < 0 || t >= env->len)
			return ipo_err(env, pc, "jump out of range to %lld",
				       (long long)t);
		if (env->fl[t] & IPO_FL_LDDW2)
			return ipo_err(env, pc,
				       "jump into the middle of lddw at %lld",
				       (long long)t - 1);
		if (t < env->fn[f].start || t >= env->fn[f].end)
			return ipo_err(env, pc,
				       "jump out of function to %lld",
				       (long long)t);
		env->aux[t].flags |= IPO_AUX_JUMP_TARGET;
		env->fl[t] |= IPO_FL_TARGET;
		if (t <= pc) {
			env->aux[pc].flags |= IPO_AUX_BACKEDGE;
			if (!(env->fl[t] & IPO_FL_HEADER))
				nhdr++;
			env->fl[t] |= IPO_FL_HEADER;
		}
	}
	for (i = 0; i < env->nfn; i++) {
		u32 last = env->fn[i].end - 1;
		const struct ipo_opinfo *oi = &ipo_opinfo[insns[last].code];

		if ((env->fl[last] & IPO_FL_LDDW2) ||
		    (oi->kind != IPO_K_EXIT && oi->kind != IPO_K_JA))
			return ipo_err(env, last,
				       "falls through past the end of the %s",
				       i ? "function" : "program");
	}

	env->hdr = ipo_valloc(env, (nhdr + 1) * sizeof(*env->hdr));
	env->nhdr_cap = nhdr + 1;
	env->edges = ipo_valloc(env, (ncalls + 1) * sizeof(*env->edges));
	env->nedges_cap = ncalls + 1;
	env->order = ipo_valloc(env, env->nfn * sizeof(*env->order));
	if (!env->hdr || !env->edges || !env->order)
		return ipo_nomem(env);
	if (nhdr) {
		env->hidx = ipo_valloc(env, env->len * sizeof(*env->hidx));
		if (!env->hidx)
			return ipo_nomem(env);
	}
	for (pc = 0; pc < env->len; pc++) {
		if (ipo_scan_stop(env, pc))
			return -EINTR;
		if (!(env->fl[pc] & IPO_FL_HEADER))
			continue;
		env->hidx[pc] = env->nhdr;
		env->hdr[env->nhdr++].pc = pc;
	}
	/* Loop ends, and call edges grouped by caller (pcs are in order). */
	f = 0;
	for (pc = 0; pc < env->len; pc++) {
		const struct ipo_insn *insn = &insns[pc];
		const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];

		if (ipo_scan_stop(env, pc))
			return -EINTR;
		if (f + 1 < env->nfn && pc >= env->fn[f + 1].start)
			f++;
		if (env->fl[pc] & IPO_FL_LDDW2)
			continue;
		if (env->aux[pc].flags & IPO_AUX_BACKEDGE) {
			struct ipo_hdr *h =
				ipo_find_hdr(env, ipo_jump_target(insn, pc));

			if (h && h->end < pc)
				h->end = pc;
		}
		if (oi->kind == IPO_K_CALL && insn->src == IPO_PSEUDO_CALL) {
			struct ipo_call_edge *e = &env->edges[env->nedges++];

			e->pc = pc;
			e->callee = ipo_find_func(env,
						  ipo_jump_target(insn, pc));
			if (!env->fn[f].nedges)
				env->fn[f].edge0 = env->nedges - 1;
			env->fn[f].nedges++;
			env->fn[e->callee].indeg++;
		}
	}
	for (i = 0; i < env->nhdr; i++)
		env->fl[env->hdr[i].end] |= IPO_FL_LEND;
	return ipo_map_loops(env);
}

/*
 * Topological order of the call graph (Kahn), callers first.  A function
 * that never gets in-degree zero sits on or behind a cycle: recursion.
 */
int ipo_check_calls(struct ipo_env *env)
{
	u32 head = 0, tail = 0, i, j;

	for (i = 0; i < env->nfn; i++)
		if (!env->fn[i].indeg)
			env->order[tail++] = i;
	while (head < tail) {
		struct ipo_func *f = &env->fn[env->order[head++]];

		for (j = 0; j < f->nedges; j++) {
			struct ipo_func *g =
				&env->fn[env->edges[f->edge0 + j].callee];

			if (!--g->indeg)
				env->order[tail++] = g - env->fn;
		}
	}
	if (tail < env->nfn) {
		for (i = 0; i < env->nedges; i++) {
			struct ipo_call_edge *e = &env->edges[i];

			if (env->fn[e->callee].indeg &&
			    env->fn[ipo_find_func(env, e->pc)].indeg)
				return ipo_err(env, e->pc,
					       "recursive call to function at %u",
					       env->fn[e->callee].start);
		}
		return ipo_err(env, 0, "recursive call");
	}
	env->fn[0].frames = 1;
	for (i = 0; i < env->nfn; i++) {
		struct ipo_func *f = &env->fn[env->order[i]];

		if (!f->frames)
			continue;
		for (j = 0; j < f->nedges; j++) {
			struct ipo_call_edge *e = &env->edges[f->edge0 + j];
			struct ipo_func *g = &env->fn[e->callee];

			if (f->frames + 1 > IPO_MAX_CALL_DEPTH)
				return ipo_err(env, e->pc,
					       "call chain too deep: %u frames, max %u",
					       f->frames + 1,
					       IPO_MAX_CALL_DEPTH);
			if (g->frames < f->frames + 1)
				g->frames = f->frames + 1;
		}
	}
	return 0;
}

/* Does @insn set r0 (a local call: to a function that always does)? */
static int ipo_sets_r0(struct ipo_env *env, u32 pc)
{
	const struct ipo_insn *insn = &env->insns[pc];
	const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];

	switch (oi->kind) {
	case IPO_K_ALU:
	case IPO_K_END:
	case IPO_K_LDDW:
	case IPO_K_LDX:
		return insn->dst == IPO_R0;
	case IPO_K_CALLX:
		return 1;
	case IPO_K_CALL:
		if (insn->src != IPO_PSEUDO_CALL)
			return 1;
		/* -1: the callee may leave r0 unset, so after it is r0. */
		return env->fn[ipo_find_func(env, ipo_jump_target(insn, pc))].novalue ?
		       -1 : 1;
	case IPO_K_ATOMIC:
		return (insn->imm == IPO_CMPXCHG) ||
		       ((insn->imm & IPO_FETCH) && insn->src == IPO_R0);
	default:
		return 0;
	}
}

/*
 * Which functions may return without setting r0 (void functions), by a
 * must-analysis of "r0 was set" over each one's instructions, callees
 * first.  No state is involved: paths the pass would find dead count
 * too, so a function is "void" rather more often than it need be; its
 * callers then may not read r0, which is safe (a callee that is not
 * void still has every exit checked by the pass).  Each instruction
 * drops from "set" at most once: linear.
 */
int ipo_check_returns(struct ipo_env *env)
{
	u8 *set = NULL;
	u32 *work = NULL, n, i;
	s32 k;
	int err = 0;

	if (env->nfn < 2)
		return 0;
	set = ipo_valloc(env, env->len);
	work = ipo_valloc(env, env->len * sizeof(*work));
	if (!set || !work) {
		err = ipo_nomem(env);
		goto out;
	}
	env->work += env->len;
	for (k = env->nfn - 1; k > 0; k--) {
		struct ipo_func *f = &env->fn[env->order[k]];
		u32 pc;

		memset(set + f->start, 1, f->end - f->start);
		set[f->start] = 0;
		n = 0;
		work[n++] = f->start;
		for (pc = f->start; pc < f->end; pc++)
			if (!(env->fl[pc] & IPO_FL_LDDW2) &&
			    ipo_sets_r0(env, pc) < 0)
				work[n++] = pc;
		while (n) {
			const struct ipo_insn *insn;
			const struct ipo_opinfo *oi;
			u32 next[2], nn = 0;
			int w;

			pc = work[--n];
			if (ipo_scan_stop(env, pc)) {
				err = -EINTR;
				goto out;
			}
			insn = &env->insns[pc];
			oi = &ipo_opinfo[insn->code];
			w = ipo_sets_r0(env, pc);
			if (w > 0 || (w == 0 && set[pc]))
				continue;
			if (oi->kind == IPO_K_EXIT) {
				f->novalue = true;
				continue;
			}
			if (oi->kind == IPO_K_JA || oi->kind == IPO_K_JCOND)
				next[nn++] = (u32)ipo_jump_target(insn, pc);
			if (oi->kind != IPO_K_JA)
				next[nn++] = pc + (oi->kind == IPO_K_LDDW ? 2 : 1);
			for (i = 0; i < nn; i++) {
				if (next[i] >= f->end || !set[next[i]])
					continue;
				set[next[i]] = 0;
				work[n++] = next[i];
			}
		}
	}
out:
	ipo_vfree(env, work, env->len * sizeof(*work));
	ipo_vfree(env, set, env->len);
	return err;
}
