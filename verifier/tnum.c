// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Known bits ("tnums"), as in the kernel's kernel/bpf/tnum.c: every
 * operation returns a tnum that covers every result the concrete operation
 * can give for values the inputs cover.
 */
#include "internal.h"

const struct ipo_tnum ipo_tnum_unknown = { .value = 0, .mask = U64_MAX };

static inline u32 ipo_fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

struct ipo_tnum ipo_tnum_const(u64 v)
{
	return IPO_TNUM(v, 0);
}

struct ipo_tnum ipo_tnum_range(u64 min, u64 max)
{
	u64 chi = min ^ max, delta;
	u32 bits = ipo_fls64(chi);

	/* Bit 63 differs: nothing is known. */
	if (bits > 63)
		return ipo_tnum_unknown;
	delta = (1ULL << bits) - 1;
	return IPO_TNUM(min & ~delta, delta);
}

struct ipo_tnum ipo_tnum_add(struct ipo_tnum a, struct ipo_tnum b)
{
	u64 sm = a.mask + b.mask, sv = a.value + b.value;
	u64 sigma = sm + sv, chi = sigma ^ sv;
	u64 mu = chi | a.mask | b.mask;

	return IPO_TNUM(sv & ~mu, mu);
}

struct ipo_tnum ipo_tnum_sub(struct ipo_tnum a, struct ipo_tnum b)
{
	u64 dv = a.value - b.value;
	u64 alpha = dv + a.mask, beta = dv - b.mask;
	u64 mu = (alpha ^ beta) | a.mask | b.mask;

	return IPO_TNUM(dv & ~mu, mu);
}

struct ipo_tnum ipo_tnum_and(struct ipo_tnum a, struct ipo_tnum b)
{
	u64 alpha = a.value | a.mask, beta = b.value | b.mask;
	u64 v = a.value & b.value;

	return IPO_TNUM(v, alpha & beta & ~v);
}

struct ipo_tnum ipo_tnum_or(struct ipo_tnum a, struct ipo_tnum b)
{
	u64 v = a.value | b.value, mu = a.mask | b.mask;

	return IPO_TNUM(v, mu & ~v);
}

struct ipo_tnum ipo_tnum_xor(struct ipo_tnum a, struct ipo_tnum b)
{
	u64 v = a.value ^ b.value, mu = a.mask | b.mask;

	return IPO_TNUM(v & ~mu, mu);
}

struct ipo_tnum ipo_tnum_lshift(struct ipo_tnum a, u8 shift)
{
	return IPO_TNUM(a.value << shift, a.mask << shift);
}

struct ipo_tnum ipo_tnum_rshift(struct ipo_tnum a, u8 shift)
{
	return IPO_TNUM(a.value >> shift, a.mask >> shift);
}

struct ipo_tnum ipo_tnum_arshift(struct ipo_tnum a, u8 shift)
{
	return IPO_TNUM((u64)((s64)a.value >> shift),
			(u64)((s64)a.mask >> shift));
}

/* Shift-and-add over the bits of a; at most 64 rounds, no recursion. */
struct ipo_tnum ipo_tnum_mul(struct ipo_tnum a, struct ipo_tnum b)
{
	u64 acc_v = a.value * b.value;
	struct ipo_tnum acc_m = IPO_TNUM(0, 0);

	while (a.value || a.mask) {
		if (a.value & 1)
			acc_m = ipo_tnum_add(acc_m, IPO_TNUM(0, b.mask));
		else if (a.mask & 1)
			acc_m = ipo_tnum_add(acc_m,
					     IPO_TNUM(0, b.value | b.mask));
		a = ipo_tnum_rshift(a, 1);
		b = ipo_tnum_lshift(b, 1);
	}
	return ipo_tnum_add(IPO_TNUM(acc_v, 0), acc_m);
}

struct ipo_tnum ipo_tnum_intersect(struct ipo_tnum a, struct ipo_tnum b)
{
	u64 v = a.value | b.value, mu = a.mask & b.mask;

	return IPO_TNUM(v & ~mu, mu);
}

struct ipo_tnum ipo_tnum_union(struct ipo_tnum a, struct ipo_tnum b)
{
	u64 mu = a.mask | b.mask | (a.value ^ b.value);

	return IPO_TNUM(a.value & ~mu, mu);
}

struct ipo_tnum ipo_tnum_trunc(struct ipo_tnum a, u8 bytes)
{
	u64 keep = bytes >= 8 ? U64_MAX : (1ULL << (bytes * 8)) - 1;

	return IPO_TNUM(a.value & keep, a.mask & keep);
}

bool ipo_tnum_compatible(struct ipo_tnum a, struct ipo_tnum b)
{
	return !((a.value ^ b.value) & ~(a.mask | b.mask));
}

bool ipo_tnum_in(struct ipo_tnum a, struct ipo_tnum b)
{
	if (b.mask & ~a.mask)
		return false;
	return a.value == (b.value & ~a.mask);
}
