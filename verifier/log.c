// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The verifier log: a caller-supplied buffer that keeps the first part of
 * what was said when it fills up, register states in one stable spelling
 * that the reject corpus can grep for, and the pass's one message per
 * rejection.
 */
#include "internal.h"

void ipo_vlog_vprintf(struct ipo_vlog *log, const char *fmt, va_list ap)
{
	u32 room;
	int n;

	if (!log || !log->buf || !log->size || log->truncated)
		return;
	if (log->len >= log->size)
		log->len = log->size - 1;
	room = log->size - log->len;
	n = ipo_vsnprintf(log->buf + log->len, room, fmt, ap);
	if (n < 0) {
		log->buf[log->len] = '\0';
		return;
	}
	if ((u32)n >= room) {
		log->len = log->size - 1;
		log->truncated = true;
	} else {
		log->len += n;
	}
	log->buf[log->len] = '\0';
}

void ipo_vlog_printf(struct ipo_vlog *log, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ipo_vlog_vprintf(log, fmt, ap);
	va_end(ap);
}

/* The last line whose insn_off is <= pc: binary search, lines are sorted. */
void ipo_vlog_src(struct ipo_vlog *log, u32 pc)
{
	const struct ipo_line_info *li = NULL;
	u32 lo = 0, hi;

	if (!log || !log->lines || !log->nr_lines)
		return;
	hi = log->nr_lines;
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (log->lines[mid].insn_off <= pc) {
			li = &log->lines[mid];
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	if (!li || !li->line)
		return;
	ipo_vlog_printf(log, " ; %s:%u:", li->file ? li->file : "?",
			li->line);
	if (li->src) {
		const char *s = li->src;

		while (*s == ' ' || *s == '\t')
			s++;
		ipo_vlog_printf(log, " %s", s);
	}
}

/* The value or offset range part: "5", "[0,255]" or "smin=-3,smax=4". */
static int ipo_range_str(const struct ipo_vreg *r, char *buf, u32 size)
{
	if (ipo_tnum_is_const(r->var))
		return ipo_snprintf(buf, size, "%lld",
				    (long long)r->var.value);
	if ((s64)r->umax >= 0 || r->smin < 0)
		return ipo_snprintf(buf, size,
				    "umin=%llu,umax=%llu,smin=%lld,smax=%lld,var=(%#llx;%#llx)",
				    (unsigned long long)r->umin,
				    (unsigned long long)r->umax,
				    (long long)r->smin, (long long)r->smax,
				    (unsigned long long)r->var.value,
				    (unsigned long long)r->var.mask);
	return ipo_snprintf(buf, size, "umin=%llu,umax=%llu,var=(%#llx;%#llx)",
			    (unsigned long long)r->umin,
			    (unsigned long long)r->umax,
			    (unsigned long long)r->var.value,
			    (unsigned long long)r->var.mask);
}

/* ",<=arg-1" for a size relation (">>3" when of a coarser unit). */
static void ipo_rel_str(const struct ipo_vreg *r, char *buf, u32 size)
{
	buf[0] = '\0';
	if (!r->rel_rgn)
		return;
	if (r->rel_sh)
		ipo_snprintf(buf, size, ",<=(%s>>%u)%+lld",
			     ipo_region_name(r->rel_rgn), r->rel_sh,
			     -(long long)r->rel_k);
	else
		ipo_snprintf(buf, size, ",<=%s%+lld",
			     ipo_region_name(r->rel_rgn), -(long long)r->rel_k);
}

const char *ipo_vreg_str(const struct ipo_vreg *r, char *buf, u32 size)
{
	char rng[IPO_VREG_STR];
	char rel[40];

	switch (r->type) {
	case IPO_VT_NOT_INIT:
		ipo_snprintf(buf, size, "not_init");
		break;
	case IPO_VT_SCALAR:
		ipo_range_str(r, rng, sizeof(rng));
		ipo_rel_str(r, rel, sizeof(rel));
		if (rel[0])
			strncat(rng, rel, sizeof(rng) - strlen(rng) - 1);
		if (r->size_of && r->size_sh)
			ipo_snprintf(buf, size, "scalar(size of %s >> %u,%s)",
				     ipo_region_name(r->size_of), r->size_sh,
				     rng);
		else if (r->size_of)
			ipo_snprintf(buf, size, "scalar(size of %s,%s)",
				     ipo_region_name(r->size_of), rng);
		else
			ipo_snprintf(buf, size, "scalar(%s)", rng);
		break;
	default:
		if (r->region == IPO_RGN_STACK && r->win) {
			/* A caller's frame, from argument register win. */
			ipo_range_str(r, rng, sizeof(rng));
			ipo_snprintf(buf, size, "ptr_to_caller_stack(r%u%+lld%s%s)",
				     r->win,
				     (long long)(ipo_tnum_is_const(r->var) ?
						 ipo_const_off(r, 0) : r->off),
				     ipo_tnum_is_const(r->var) ? "" : ",var=",
				     ipo_tnum_is_const(r->var) ? "" : rng);
			break;
		}
		if (ipo_tnum_is_const(r->var) && !r->var.value) {
			if (r->region == IPO_RGN_STACK)
				ipo_snprintf(buf, size, "ptr_to_stack(fp%+d)",
					     r->off);
			else
				ipo_snprintf(buf, size, "ptr_to_%s(off=%d)",
					     ipo_region_name(r->region),
					     r->off);
			break;
		}
		ipo_range_str(r, rng, sizeof(rng));
		ipo_rel_str(r, rel, sizeof(rel));
		ipo_snprintf(buf, size, "ptr_to_%s(off=%d,var=%s%s)",
			     ipo_region_name(r->region), r->off, rng, rel);
		break;
	}
	return buf;
}

/* @r as text, in @env's message buffer @which (0 or 1). */
const char *ipo_rstr(struct ipo_env *env, int which,
		     const struct ipo_vreg *r)
{
	return ipo_vreg_str(r, env->rbuf[which], IPO_VREG_STR);
}

/* One line: "pc: <what>what ; file.c:line: source". */
static void ipo_vline(struct ipo_env *env, u32 pc, const char *what,
		      const char *fmt, va_list ap)
{
	ipo_vlog_printf(env->log, "%u: %s", pc, what);
	ipo_vlog_vprintf(env->log, fmt, ap);
	ipo_vlog_src(env->log, pc);
	ipo_vlog_printf(env->log, "\n");
}

/* One message per rejection: "pc: what ; file.c:line: source". */
__printf(3, 4)
int ipo_err(struct ipo_env *env, u32 pc, const char *fmt, ...)
{
	va_list ap;

	if (env->logged)
		return -EINVAL;
	env->logged = true;
	va_start(ap, fmt);
	ipo_vline(env, pc, "", fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Are notes asked for?  See struct ipo_vlog. */
bool ipo_notes_on(const struct ipo_env *env)
{
	return env->log && (env->log->notes || env->log->level >= 1);
}

/* A note: "pc: what ; file.c:line: source", when notes are asked for. */
__printf(3, 4)
void ipo_note(struct ipo_env *env, u32 pc, const char *fmt, ...)
{
	va_list ap;

	if (!ipo_notes_on(env))
		return;
	va_start(ap, fmt);
	ipo_vline(env, pc, "", fmt, ap);
	va_end(ap);
}

/*
 * What strict mode refuses (a run-time check, a loop only fuel ends): the
 * program's rejection, "pc: strict: what", in strict mode; else a note.
 * Returns -EINVAL or 0.
 */
__printf(3, 4)
int ipo_note_or_err(struct ipo_env *env, u32 pc, const char *fmt, ...)
{
	va_list ap;

	if (env->strict) {
		if (env->logged)
			return -EINVAL;
		env->logged = true;
		va_start(ap, fmt);
		ipo_vline(env, pc, "strict: ", fmt, ap);
		va_end(ap);
		return -EINVAL;
	}
	if (!ipo_notes_on(env))
		return 0;
	va_start(ap, fmt);
	ipo_vline(env, pc, "", fmt, ap);
	va_end(ap);
	return 0;
}
