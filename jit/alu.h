/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The ALU and jump semantics of RFC 9669 on concrete values, in one place:
 * the interpreter runs them and the verifier folds constants with them, so
 * the two can never disagree about what an operation computes.
 *
 * Every operation is done on unsigned values with defined C semantics:
 * division by zero gives 0 and modulo by zero leaves the dividend, the
 * signed forms (off == 1) wrap on MIN / -1, shift counts are masked to the
 * width, and MOV with off 8/16/32 sign-extends (movsx).
 */
#ifndef IPO_ALU_H
#define IPO_ALU_H

#include "../verifier/prog.h"

/*
 * One definition for both widths: T is the unsigned type, ST the signed
 * one, MASK the shift mask.  MIN / -1 wraps (b == all ones), and MOV
 * sign-extends from off bits (off 32 leaves a 32-bit value as it is).
 */
#define IPO_DEFINE_ALU(name, T, ST, MASK)				\
static __always_inline T name(u8 op, s16 off, T a, T b)			\
{									\
	switch (op) {							\
	case IPO_ADD:							\
		return a + b;						\
	case IPO_SUB:							\
		return a - b;						\
	case IPO_MUL:							\
		return a * b;						\
	case IPO_DIV:							\
		if (!b)							\
			return 0;					\
		if (off == 1)						\
			return b == (T)~(T)0 ? -a :			\
			       (T)((ST)a / (ST)b);			\
		return a / b;						\
	case IPO_MOD:							\
		if (!b)							\
			return a;					\
		if (off == 1)						\
			return b == (T)~(T)0 ? 0 :			\
			       (T)((ST)a % (ST)b);			\
		return a % b;						\
	case IPO_OR:							\
		return a | b;						\
	case IPO_AND:							\
		return a & b;						\
	case IPO_LSH:							\
		return a << (b & (MASK));				\
	case IPO_RSH:							\
		return a >> (b & (MASK));				\
	case IPO_ARSH:							\
		/* gcc and clang shift signed values arithmetically. */	\
		return (T)((ST)a >> (b & (MASK)));			\
	case IPO_NEG:							\
		return -a;						\
	case IPO_XOR:							\
		return a ^ b;						\
	case IPO_MOV:							\
		switch (off) {						\
		case 8:							\
			return (T)(ST)(s8)b;				\
		case 16:						\
			return (T)(ST)(s16)b;				\
		case 32:						\
			return (T)(ST)(s32)b;				\
		}							\
		return b;						\
	}								\
	return a;							\
}

IPO_DEFINE_ALU(ipo_alu64, u64, s64, 63)
IPO_DEFINE_ALU(ipo_alu32, u32, s32, 31)

/* Conditional jumps, both widths likewise. */
#define IPO_DEFINE_COND(name, T, ST)					\
static __always_inline bool name(u8 op, T a, T b)			\
{									\
	switch (op) {							\
	case IPO_JEQ:							\
		return a == b;						\
	case IPO_JNE:							\
		return a != b;						\
	case IPO_JGT:							\
		return a > b;						\
	case IPO_JGE:							\
		return a >= b;						\
	case IPO_JLT:							\
		return a < b;						\
	case IPO_JLE:							\
		return a <= b;						\
	case IPO_JSET:							\
		return a & b;						\
	case IPO_JSGT:							\
		return (ST)a > (ST)b;					\
	case IPO_JSGE:							\
		return (ST)a >= (ST)b;					\
	case IPO_JSLT:							\
		return (ST)a < (ST)b;					\
	case IPO_JSLE:							\
		return (ST)a <= (ST)b;					\
	}								\
	return false;							\
}

IPO_DEFINE_COND(ipo_cond64, u64, s64)
IPO_DEFINE_COND(ipo_cond32, u32, s32)

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
