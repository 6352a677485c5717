// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What the verifier tells an author about an accepted program (see
 * "Run-time checks" in verifier.c): for every access it leaves to a
 * run-time check, why it could not prove it and what test would let it
 * ("no upper bound known for R3 (dep_args.account); test it against 16").
 * Notes in the log, or the rejection of a strict program.
 *
 * Which register a pointer's variable part came from, and what that
 * register was loaded from, is found by a short walk back over the
 * instructions before the access, not from the abstract state: it only
 * names things in a message, and a wrong guess there costs a clearer
 * sentence, never safety.
 */
#include "internal.h"

#define IPO_TRACE_STEPS	64

/* Where an index came from, as far as the walk back could tell. */
struct ipo_origin {
	u32 reg;		/* the register added to the pointer */
	u64 scale;		/* the pointer moved by reg * scale */
	bool found;		/* reg and scale are known */
	bool loaded;		/* ... and reg was loaded from rgn + off */
	u8 rgn;
	u32 off, size;
};

/* Does @insn write register @r? */
static bool ipo_writes(const struct ipo_insn *insn, u32 r)
{
	const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];

	switch (oi->kind) {
	case IPO_K_ALU:
	case IPO_K_END:
	case IPO_K_LDDW:
	case IPO_K_LDX:
		return insn->dst == r;
	case IPO_K_CALL:
	case IPO_K_CALLX:
		return r <= IPO_R5;
	case IPO_K_ATOMIC:
		return (insn->imm == IPO_CMPXCHG && r == IPO_R0) ||
		       ((insn->imm & IPO_FETCH) && insn->src == r);
	default:
		return false;
	}
}

/* The last instruction before @pc in its function that writes @r, or -1. */
static s64 ipo_last_def(struct ipo_env *env, u32 pc, u32 r, u32 *steps)
{
	u32 start = env->fn[env->func].start;

	while (pc > start && *steps < IPO_TRACE_STEPS) {
		pc--;
		++*steps;
		if (env->fl[pc] & IPO_FL_LDDW2)
			continue;
		if (ipo_writes(&env->insns[pc], r))
			return pc;
	}
	return -1;
}

/* The region a context field at @off points to, or IPO_RGN_NONE. */
static u8 ipo_ctx_region(const struct ipo_prog_type *type, s64 off)
{
	u32 i;

	for (i = 0; i < type->nr_ctx_fields; i++)
		if (type->ctx_fields[i].off == off)
			return type->ctx_fields[i].region;
	return IPO_RGN_NONE;
}

/*
 * Register @regno at @pc is a pointer whose variable part the program
 * added: which register, scaled how, loaded from where?
 */
static void ipo_trace_index(struct ipo_env *env, u32 pc, u32 regno,
			    struct ipo_origin *o)
{
	u32 r = regno, steps = 0;
	bool idx = false;
	s64 d;

	memset(o, 0, sizeof(*o));
	o->scale = 1;
	while ((d = ipo_last_def(env, pc, r, &steps)) >= 0) {
		const struct ipo_insn *insn = &env->insns[d];
		const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];
		bool srcx = oi->flags & IPO_OPF_SRCX;

		pc = d;
		if (!idx) {
			/* Following the pointer back to where the index went in. */
			if (oi->kind != IPO_K_ALU || !(oi->flags & IPO_OPF_64))
				return;
			if (oi->op == IPO_ADD && srcx) {
				idx = true;
				o->reg = insn->src;
				o->found = true;
				r = insn->src;
			} else if (oi->op == IPO_MOV && srcx) {
				r = insn->src;
			} else if ((oi->op != IPO_ADD && oi->op != IPO_SUB) ||
				   srcx) {
				return;
			}
			continue;
		}
		/* Following the index back to its load. */
		if (oi->kind == IPO_K_ALU && !srcx &&
		    (oi->op == IPO_LSH || oi->op == IPO_MUL) &&
		    insn->imm > 0 && insn->imm < 32) {
			u64 f = oi->op == IPO_LSH ? 1ULL << insn->imm :
				(u64)insn->imm;

			if (o->scale > (1ULL << 32) / f)
				return;
			o->scale *= f;
		} else if (oi->kind == IPO_K_ALU && srcx && oi->op == IPO_MOV &&
			   !insn->off) {
			r = insn->src;
		} else if (oi->kind == IPO_K_LDX) {
			s64 b = ipo_last_def(env, pc, insn->src, &steps);

			if (b < 0 || ipo_opinfo[env->insns[b].code].kind !=
				     IPO_K_LDX)
				return;
			o->rgn = ipo_ctx_region(env->type, env->insns[b].off);
			if (o->rgn == IPO_RGN_NONE || insn->off < 0)
				return;
			o->loaded = true;
			o->off = insn->off;
			o->size = ipo_opinfo[insn->code].size;
			return;
		} else {
			return;
		}
	}
}

/* " (dep_args.account)" or " (arg+0, 4 bytes)" for @o, into @buf. */
static const char *ipo_origin_str(struct ipo_env *env,
				  const struct ipo_origin *o, char *buf,
				  u32 size)
{
	char name[96];
	const char *n = NULL;

	buf[0] = '\0';
	if (!o->loaded)
		return buf;
	if (env->log && env->log->mem_name)
		n = env->log->mem_name(env->log->mem_priv, o->rgn, o->off,
				       o->size, name, sizeof(name));
	if (n)
		ipo_snprintf(buf, size, " (%s)", n);
	else
		ipo_snprintf(buf, size, " (%s+%u, %u bytes)",
			     ipo_region_name(o->rgn), o->off, o->size);
	return buf;
}

/* The context field that holds @region's size, as a name, into @buf. */
static const char *ipo_size_field(struct ipo_env *env, u8 region, char *buf,
				  u32 size)
{
	const struct ipo_prog_type *type = env->type;
	char name[96];
	u32 i;

	for (i = 0; i < type->nr_ctx_fields; i++) {
		const struct ipo_ctx_field *cf = &type->ctx_fields[i];
		const char *n = NULL;

		if (cf->region != IPO_RGN_NONE || cf->size_of != region)
			continue;
		if (env->log && env->log->mem_name)
			n = env->log->mem_name(env->log->mem_priv,
					       IPO_RGN_CTX, cf->off, cf->size,
					       name, sizeof(name));
		if (n)
			ipo_snprintf(buf, size, "%s", n);
		else
			ipo_snprintf(buf, size, "ctx+%u", cf->off);
		return buf;
	}
	ipo_snprintf(buf, size, "the size of %s", ipo_region_name(region));
	return buf;
}

/*
 * An access left to a run-time check (@rec): a note that says why and
 * what test would prove it, or in strict mode the program's rejection.
 */
static int ipo_check_report(struct ipo_env *env,
			    const struct ipo_check_rec *rec)
{
	const struct ipo_vreg *p = &rec->p;
	u32 pc = rec->pc, regno = rec->regno, size = rec->size;
	u32 known = rec->known;
	s16 off = rec->off;
	const char *rn = ipo_region_name(p->region);
	char field[96], on[128];
	struct ipo_origin o;
	s64 base, lo, hi, need;

	ipo_size_field(env, p->region, field, sizeof(field));
	if (ipo_tnum_is_const(p->var)) {
		s64 at = ipo_const_off(p, off);

		if (at < 0 || at > IPO_PTR_BOUND)
			return ipo_note_or_err(env, pc,
					       "run-time check: %s access at offset %lld, outside any %s",
					       rn, (long long)at, rn);
		return ipo_note_or_err(env, pc,
				       "run-time check: %u-byte %s access at offset %lld: %s is known to be at least %u bytes, not %lld; test %s against %lld first",
				       size, rn, (long long)at, rn, known,
				       (long long)at + size, field,
				       (long long)at + size);
	}
	base = (s64)p->off + off;
	lo = p->smin;
	hi = p->smax;
	ipo_trace_index(env, pc, regno, &o);
	ipo_origin_str(env, &o, on, sizeof(on));
	if (lo == S64_MIN && hi == S64_MAX)
		return ipo_note_or_err(env, pc,
				       "run-time check: %s access through R%u: nothing is known of how far R%u moved (a pointer stepped in a loop, not tied to a counter the verifier can bound); index the array with a tested counter",
				       rn, regno, regno);
	if (check_add_overflow(base, lo, &need) || need < 0) {
		if (o.found)
			return ipo_note_or_err(env, pc,
					       "run-time check: %s access through R%u: R%u%s may make the offset negative; test it against 0 and an upper bound (unsigned compares do both)",
					       rn, regno, o.reg, on);
		return ipo_note_or_err(env, pc,
				       "run-time check: %s access through R%u: its offset %d+[%lld,%lld] may be negative",
				       rn, regno, p->off + off, (long long)lo,
				       (long long)hi);
	}
	/* The variable part may be at most need. */
	need = (s64)known - size - base;
	if (need < 0 && hi < (1LL << 32))
		return ipo_note_or_err(env, pc,
				       "run-time check: %u-byte %s access at offset %lld+[%lld,%lld]: %s is known to be at least %u bytes, the access may reach %lld; test %s against that first",
				       size, rn, (long long)base, (long long)lo,
				       (long long)hi, rn, known,
				       (long long)(base + hi + size), field);
	if (need < 0)
		return ipo_note_or_err(env, pc,
				       "run-time check: %u-byte %s access at offset %lld+: %s is known to be at least %u bytes; test %s and the index first",
				       size, rn, (long long)base, rn, known,
				       field);
	if (o.found && o.scale) {
		u64 n = (u64)need / o.scale + 1;

		if (hi >= (1LL << 32) || hi / (s64)o.scale >= U32_MAX)
			return ipo_note_or_err(env, pc,
					       "run-time check: %s access through R%u: no upper bound known for R%u%s; test it against %llu",
					       rn, regno, o.reg, on,
					       (unsigned long long)n);
		return ipo_note_or_err(env, pc,
				       "run-time check: %s access through R%u: R%u%s may be up to %llu, %s holds it only below %llu; test it against %llu",
				       rn, regno, o.reg, on,
				       (unsigned long long)((u64)hi / o.scale),
				       rn, (unsigned long long)n,
				       (unsigned long long)n);
	}
	return ipo_note_or_err(env, pc,
			       "run-time check: %s access through R%u: its offset %lld+[%lld,%lld] may pass %lld, the last %s is known to hold for %u bytes",
			       rn, regno, (long long)base, (long long)lo,
			       (long long)hi, (long long)base + need, rn, size);
}

/*
 * The access at @pc needs a run-time check on this visit: remember how it
 * looked, the last visit's view (a loop's body is visited again after
 * widening, with the state that holds on every pass), for the report.
 */
int ipo_check_record(struct ipo_env *env, u32 pc, u32 regno,
		     const struct ipo_vreg *p, s16 off, u32 size, u32 known)
{
	struct ipo_check_rec *rec;

	if (!env->strict && !ipo_notes_on(env))
		return 0;
	if (!env->check_idx) {
		env->check_idx = ipo_valloc(env, env->len *
					    sizeof(*env->check_idx));
		if (!env->check_idx)
			return ipo_nomem(env);
	}
	if (!env->check_idx[pc]) {
		if (env->nchecks == env->checks_cap) {
			u32 cap = env->checks_cap ? 2 * env->checks_cap : 16;
			struct ipo_check_rec *nc;

			nc = ipo_valloc(env, cap * sizeof(*nc));
			if (!nc)
				return ipo_nomem(env);
			if (env->nchecks)
				memcpy(nc, env->checks,
				       env->nchecks * sizeof(*nc));
			ipo_vfree(env, env->checks,
				  env->checks_cap * sizeof(*nc));
			env->checks = nc;
			env->checks_cap = cap;
		}
		env->check_idx[pc] = ++env->nchecks;
	}
	rec = &env->checks[env->check_idx[pc] - 1];
	rec->pc = pc;
	rec->regno = regno;
	rec->p = *p;
	rec->off = off;
	rec->size = size;
	rec->known = known;
	return 0;
}

/*
 * Function @f is verified: its accesses left to run-time checks and its
 * loops only fuel ends, in instruction order, as notes; in strict mode
 * the first of them rejects the program.
 */
int ipo_report_func(struct ipo_env *env, u32 f)
{
	const struct ipo_func *fn = &env->fn[f];
	u32 pc, h = ipo_first_hdr(env, fn->start);
	int err;

	if (!env->strict && !ipo_notes_on(env))
		return 0;
	for (pc = fn->start; pc < fn->end; pc++) {
		if (h < env->nhdr && env->hdr[h].pc == pc) {
			err = ipo_loop_report(env, h++);
			if (err)
				return err;
		}
		if (env->check_idx && env->check_idx[pc] &&
		    (env->aux[pc].flags & IPO_AUX_RT_CHECK)) {
			err = ipo_check_report(env,
					       &env->checks[env->check_idx[pc] - 1]);
			if (err)
				return err;
		}
	}
	return 0;
}

void ipo_report_free(struct ipo_env *env)
{
	ipo_vfree(env, env->checks, env->checks_cap * sizeof(*env->checks));
	ipo_vfree(env, env->check_idx, env->len * sizeof(*env->check_idx));
}
