/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The ALU semantics of RFC 9669 on concrete values, in one place: the
 * interpreter runs them and the verifier folds constants with them, so the
 * two can never disagree about what an operation computes.
 *
 * Every operation is done on unsigned values with defined C semantics:
 * division by zero gives 0 and modulo by zero leaves the dividend, the
 * signed forms (off == 1) wrap on MIN / -1, shift counts are masked to the
 * width, and MOV with off 8/16/32 sign-extends (movsx).
 */
#ifndef IPO_ALU_H
#define IPO_ALU_H

#include "../verifier/prog.h"

static __always_inline u64 ipo_alu64(u8 op, s16 off, u64 a, u64 b)
{
	switch (op) {
	case IPO_ADD:
		return a + b;
	case IPO_SUB:
		return a - b;
	case IPO_MUL:
		return a * b;
	case IPO_DIV:
		if (!b)
			return 0;
		if (off == 1) {
			/* S64_MIN / -1 overflows in C; in eBPF it wraps. */
			if (b == U64_MAX)
				return -a;
			return (u64)((s64)a / (s64)b);
		}
		return a / b;
	case IPO_MOD:
		if (!b)
			return a;
		if (off == 1) {
			if (b == U64_MAX)
				return 0;
			return (u64)((s64)a % (s64)b);
		}
		return a % b;
	case IPO_OR:
		return a | b;
	case IPO_AND:
		return a & b;
	case IPO_LSH:
		return a << (b & 63);
	case IPO_RSH:
		return a >> (b & 63);
	case IPO_ARSH:
		/* gcc and clang shift signed values arithmetically. */
		return (u64)((s64)a >> (b & 63));
	case IPO_NEG:
		return -a;
	case IPO_XOR:
		return a ^ b;
	case IPO_MOV:
		switch (off) {
		case 8:
			return (u64)(s64)(s8)b;
		case 16:
			return (u64)(s64)(s16)b;
		case 32:
			return (u64)(s64)(s32)b;
		}
		return b;
	}
	return a;
}

static __always_inline u32 ipo_alu32(u8 op, s16 off, u32 a, u32 b)
{
	switch (op) {
	case IPO_ADD:
		return a + b;
	case IPO_SUB:
		return a - b;
	case IPO_MUL:
		return a * b;
	case IPO_DIV:
		if (!b)
			return 0;
		if (off == 1) {
			if (b == U32_MAX)
				return -a;
			return (u32)((s32)a / (s32)b);
		}
		return a / b;
	case IPO_MOD:
		if (!b)
			return a;
		if (off == 1) {
			if (b == U32_MAX)
				return 0;
			return (u32)((s32)a % (s32)b);
		}
		return a % b;
	case IPO_OR:
		return a | b;
	case IPO_AND:
		return a & b;
	case IPO_LSH:
		return a << (b & 31);
	case IPO_RSH:
		return a >> (b & 31);
	case IPO_ARSH:
		return (u32)((s32)a >> (b & 31));
	case IPO_NEG:
		return -a;
	case IPO_XOR:
		return a ^ b;
	case IPO_MOV:
		switch (off) {
		case 8:
			return (u32)(s32)(s8)b;
		case 16:
			return (u32)(s32)(s16)b;
		}
		return b;
	}
	return a;
}

/* Reverse the low @bits (16, 32, else 64) bits of v; the rest become 0. */
static __always_inline u64 ipo_bswap(u64 v, u32 bits)
{
	switch (bits) {
	case 16:
		return __builtin_bswap16((u16)v);
	case 32:
		return __builtin_bswap32((u32)v);
	}
	return __builtin_bswap64(v);
}

/* Keep the low @bits (16, 32, else 64) bits of v. */
static __always_inline u64 ipo_trunc(u64 v, u32 bits)
{
	switch (bits) {
	case 16:
		return (u16)v;
	case 32:
		return (u32)v;
	}
	return v;
}

#endif /* IPO_ALU_H */
