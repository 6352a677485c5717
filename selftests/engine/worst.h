/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The costliest METHOD programs we know how to build for the verifier:
 * what a hostile user would hand PROG_LOAD to pin kernel memory and CPU.
 * Shared by the host measurement tool (selftests/engine/worst.c, built as
 * ipo-worst) and the VM test (selftests/kernel/vload_test.c), so both
 * measure the same programs.  Plain C on uapi types only.
 *
 * Every program starts by spilling an unknown scalar into all 64 stack
 * slots, so each abstract state the verifier keeps is as large as it gets,
 * and then spends the rest of its size on one of these shapes:
 *
 *   fwd	forward edges left pending at once: blocks of `r3 += 1;
 *		fp[-8 * (i % 64 + 1)] = r3; if r2 == i goto tramp_i`, each
 *		trampoline a 32-bit `goto far_i` to its own target at the end.
 *		One distinct state per edge until the pass reaches the end
 *		(five instructions per pending edge: 250k instructions hold
 *		about 50k).
 *	joins	`if r2 > i goto +0` on every instruction: each one pushes a
 *		state to the next and joins it there, the most a visit costs.
 *	loops	counted loops nested @depth deep (at most 6) around a body
 *		of joins: every widening of an outer loop re-verifies all the
 *		inner ones, and each visit joins a full state.
 *	mix	issue 14's program: a fwd section of half the size whose
 *		targets lie after a loops section of the other half.
 *	kept	forward edges from before a loop nest into its innermost
 *		body: they must be kept, and joined again, on every retry.
 *
 * The programs are valid eBPF whatever the verifier decides; no shape
 * depends on the verifier's limits.
 */
#ifndef IPO_WORST_H
#define IPO_WORST_H

#include <stddef.h>
#include <string.h>

#include <linux/ipo.h>

enum worst_shape {
	WORST_FWD,
	WORST_JOINS,
	WORST_LOOPS,
	WORST_MIX,
	WORST_KEPT,
	WORST_NR_SHAPES,
};

static const char *const worst_names[WORST_NR_SHAPES] = {
	"fwd", "joins", "loops", "mix", "kept",
};

#define WORST_MAX_DEPTH	6	/* loop counters live in r4..r9 */
#define WORST_BLOCK	8192	/* fwd edges per block: rel16 reaches */
#define WORST_PROLOGUE	(2 + WORST_MAX_DEPTH + 64)
#define WORST_KEPT_MAX	30000	/* kept edges: rel16 reaches */

/* Knobs of the shapes with loops; zero fields take the defaults. */
struct worst_opts {
	__u32 depth;		/* loop nesting, 1..WORST_MAX_DEPTH (6) */
	__u32 spread;		/* a join every spread-th body insn (1) */
	__u32 body;		/* most insns in a nest's body (0: all) */
	__u32 edges;		/* mix: pending edges (0: half the size) */
};

struct worst_prog {
	__u64 *insns;		/* cap entries, caller-allocated */
	__u32 len, cap;
	int overflow;		/* an emit did not fit */
};

static inline void worst_emit(struct worst_prog *p, __u8 code, __u8 dst,
			      __u8 src, __s16 off, __s32 imm)
{
	if (p->len >= p->cap) {
		p->overflow = 1;
		return;
	}
	p->insns[p->len++] = (__u64)code | (__u64)(dst | src << 4) << 8 |
			     (__u64)(__u16)off << 16 | (__u64)(__u32)imm << 32;
}

/* Patches the jump at @at to land on @target (rel16 or, for gotol, rel32). */
static inline void worst_patch(struct worst_prog *p, __u32 at, __u32 target)
{
	__s64 rel = (__s64)target - at - 1;
	__u64 *in = &p->insns[at];

	if (at >= p->len)
		return;
	if ((*in & 0xff) == 0x06) {		/* gotol: imm */
		*in = (*in & 0xffffffffULL) | (__u64)(__u32)(__s32)rel << 32;
		return;
	}
	if (rel < -32768 || rel > 32767)
		p->overflow = 1;
	*in = (*in & ~0xffff0000ULL) | (__u64)(__u16)(__s16)rel << 16;
}

#define W_LDXW(d, s, o)		worst_emit(p, 0x61, d, s, o, 0)
#define W_STXDW(d, s, o)	worst_emit(p, 0x7b, d, s, o, 0)
#define W_MOVK(d, k)		worst_emit(p, 0xb7, d, 0, 0, k)
#define W_ADDK(d, k)		worst_emit(p, 0x07, d, 0, 0, k)
#define W_JEQK(d, k, o)		worst_emit(p, 0x15, d, 0, o, k)
#define W_JGTK(d, k, o)		worst_emit(p, 0x25, d, 0, o, k)
#define W_JGEK(d, k, o)		worst_emit(p, 0x35, d, 0, o, k)
#define W_JA(o)			worst_emit(p, 0x05, 0, 0, o, 0)
#define W_GOTOL(rel)		worst_emit(p, 0x06, 0, 0, 0, rel)
#define W_EXIT()		worst_emit(p, 0x95, 0, 0, 0, 0)

/* r2 = arg_size (unknown), r3 = r4..r9 = 0, r2 in every stack slot. */
static inline void worst_prologue(struct worst_prog *p)
{
	int i;

	W_LDXW(2, 1, offsetof(struct ipo_method_ctx, arg_size));
	W_MOVK(3, 0);
	for (i = 0; i < WORST_MAX_DEPTH; i++)
		W_MOVK(4 + i, 0);
	for (i = 0; i < 64; i++)
		W_STXDW(10, 2, -8 * (i + 1));
}

/*
 * @n instructions, every @spread-th one a join (it pushes a state to the
 * next one), the others `r0 = i`.
 */
static inline void worst_joins(struct worst_prog *p, __u32 n, __u32 spread)
{
	__u32 i;

	for (i = 0; i < n; i++) {
		if (spread <= 1 || !(i % spread))
			W_JGTK(2, (__s32)i, 0);
		else
			W_MOVK(0, (__s32)i);
	}
}

/*
 * fwd edges, @n instructions; the far targets are left for the caller to
 * place: far[k] (k < *nfar) is the gotol to patch.  Returns the number of
 * pending edges.
 */
static inline __u32 worst_fwd_edges(struct worst_prog *p, __u32 n,
				    __u32 *far)
{
	__u32 k = 0, start = p->len, i, b;

	/* A block of b edges costs 5b + 1 instructions, far targets included. */
	while (p->len - start + k + 5 * 2 + 1 <= n) {
		__u32 room = (n - (p->len - start) - k - 1) / 5;
		__u32 first = p->len;

		b = room < WORST_BLOCK ? room : WORST_BLOCK;
		for (i = 0; i < b; i++) {
			W_ADDK(3, 1);
			W_STXDW(10, 3, -8 * (int)((k + i) % 64 + 1));
			W_JEQK(2, (__s32)(k + i), 0);
		}
		W_JA((__s16)b);
		for (i = 0; i < b; i++) {
			worst_patch(p, first + 3 * i + 2, p->len);
			far[k + i] = p->len;
			W_GOTOL(0);
		}
		k += b;
	}
	return k;
}

/* The far targets of fwd edges: one instruction each, in order. */
static inline void worst_fwd_targets(struct worst_prog *p, const __u32 *far,
				     __u32 k)
{
	__u32 i;

	for (i = 0; i < k; i++) {
		worst_patch(p, far[i], p->len);
		W_MOVK(0, (__s32)i);
	}
}

/*
 * Counted loops nested o->depth deep around a body of joins, @n
 * instructions in all; past o->body body instructions the rest is
 * straight-line code after the nest.  If @entry is not NULL, *entry is the
 * first instruction of the innermost body (a target for edges from before
 * the nest).
 */
static inline void worst_loops(struct worst_prog *p, __u32 n,
			       const struct worst_opts *o, __u32 *entry)
{
	__u32 hdr[WORST_MAX_DEPTH], d, body, depth = o->depth, rest = 0;

	if (!depth || depth > WORST_MAX_DEPTH)
		depth = WORST_MAX_DEPTH;
	if (n < 4 * depth + 1)
		depth = 0;
	body = n - 4 * depth;
	if (o->body && body > o->body) {
		rest = body - o->body;
		body = o->body;
	}
	for (d = 0; d < depth; d++) {
		W_MOVK(4 + d, 0);
		hdr[d] = p->len;
	}
	if (entry)
		*entry = p->len;
	worst_joins(p, body, o->spread);
	/* `if (++c < 7) goto hdr`, the goto a gotol: bodies may be long. */
	while (depth--) {
		W_ADDK(4 + depth, 1);
		W_JGEK(4 + depth, 7, 1);
		W_GOTOL((__s32)hdr[depth] - (__s32)p->len - 1);
	}
	while (rest--)
		W_MOVK(0, 0);
}

/*
 * Builds @shape in about @n instructions (at least a few hundred) into
 * @p, whose insns must have room for @n.  @far is scratch for n / 5
 * entries.  Returns 0, or -1 when it did not fit.
 */
static inline int worst_gen(struct worst_prog *p, enum worst_shape shape,
			    __u32 n, const struct worst_opts *o, __u32 *far)
{
	__u32 body = n > WORST_PROLOGUE + 8 ? n - WORST_PROLOGUE - 8 : 0;
	__u32 k, entry = 0, i, first;

	/* The joins every kept edge lands on must exist. */
	if (shape == WORST_KEPT && o->body && o->body < WORST_KEPT_MAX)
		return -1;

	p->len = 0;
	p->overflow = 0;
	worst_prologue(p);
	switch (shape) {
	case WORST_FWD:
		k = worst_fwd_edges(p, body, far);
		worst_fwd_targets(p, far, k);
		break;
	case WORST_JOINS:
		worst_joins(p, body, o->spread);
		break;
	case WORST_LOOPS:
		worst_loops(p, body, o, NULL);
		break;
	case WORST_MIX:
		k = o->edges && 5 * o->edges < body ? 5 * o->edges : body / 2;
		k = worst_fwd_edges(p, k, far);
		worst_loops(p, body - (p->len - WORST_PROLOGUE) - k, o, NULL);
		worst_fwd_targets(p, far, k);
		break;
	case WORST_KEPT:
		/* An eighth of the size in edges that enter the body. */
		first = p->len;
		k = body / 8 < WORST_KEPT_MAX ? body / 8 : WORST_KEPT_MAX;
		for (i = 0; i < k; i++)
			W_JEQK(2, (__s32)i, 0);
		W_JA(0);		/* the nest is entered at its top */
		worst_loops(p, body - k - 1, o, &entry);
		for (i = 0; i < k; i++)
			worst_patch(p, first + i, entry + i);
		break;
	default:
		return -1;
	}
	W_MOVK(0, 0);
	W_EXIT();
	return p->overflow ? -1 : 0;
}

#endif /* IPO_WORST_H */
