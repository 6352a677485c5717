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

#include "prog.h"

/*
 * One definition for both widths, W 64 or 32: ipo_alu64() and ipo_alu32().
 * Both return the new register value: u32 operands do not promote to int,
 * so every operation wraps at W bits, and the return zero-extends a 32-bit
 * result as RFC 9669 defines it.  MIN / -1 wraps (b == all ones), and MOV
 * sign-extends from off bits (off 32 leaves a 32-bit value as it is).
 */
#define IPO_DEFINE_ALU(W)						\
static __always_inline u64 ipo_alu##W(u8 op, s16 off, u##W a, u##W b)	\
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
			return b == U##W##_MAX ? -a :			\
			       (u##W)((s##W)a / (s##W)b);		\
		return a / b;						\
	case IPO_MOD:							\
		if (!b)							\
			return a;					\
		if (off == 1)						\
			return b == U##W##_MAX ? 0 :			\
			       (u##W)((s##W)a % (s##W)b);		\
		return a % b;						\
	case IPO_OR:							\
		return a | b;						\
	case IPO_AND:							\
		return a & b;						\
	case IPO_LSH:							\
		return a << (b & (W - 1));				\
	case IPO_RSH:							\
		return a >> (b & (W - 1));				\
	case IPO_ARSH:							\
		/* gcc and clang shift signed values arithmetically. */	\
		return (u##W)((s##W)a >> (b & (W - 1)));		\
	case IPO_NEG:							\
		return -a;						\
	case IPO_XOR:							\
		return a ^ b;						\
	case IPO_MOV:							\
		switch (off) {						\
		case 8:							\
			return (u##W)(s##W)(s8)b;			\
		case 16:						\
			return (u##W)(s##W)(s16)b;			\
		case 32:						\
			return (u##W)(s##W)(s32)b;			\
		}							\
		return b;						\
	}								\
	return a;							\
}

IPO_DEFINE_ALU(64)
IPO_DEFINE_ALU(32)

/* Conditional jumps, both widths likewise: ipo_cond64(), ipo_cond32(). */
#define IPO_DEFINE_COND(W)						\
static __always_inline bool ipo_cond##W(u8 op, u##W a, u##W b)		\
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
		return (s##W)a > (s##W)b;				\
	case IPO_JSGE:							\
		return (s##W)a >= (s##W)b;				\
	case IPO_JSLT:							\
		return (s##W)a < (s##W)b;				\
	case IPO_JSLE:							\
		return (s##W)a <= (s##W)b;				\
	}								\
	return false;							\
}

IPO_DEFINE_COND(64)
IPO_DEFINE_COND(32)

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
