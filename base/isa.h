/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The eBPF instruction set (RFC 9669) as the engine sees it.
 *
 * One table, ipo_opinfo[], classifies every opcode byte.  The verifier, the
 * interpreter, the JIT and the disassembler all look an opcode up here; an
 * opcode the table marks IPO_K_INVALID does not exist for any of them.
 * Opcodes whose meaning also depends on the offset or immediate field
 * (sdiv/smod, movsx, byte swaps, atomics, call flavours) are finished by
 * ipo_insn_check(), which is likewise shared.
 */
#ifndef IPO_ISA_H
#define IPO_ISA_H

#include "compat.h"

/* Instruction classes (low three bits of the opcode). */
#define IPO_LD		0x00
#define IPO_LDX		0x01
#define IPO_ST		0x02
#define IPO_STX		0x03
#define IPO_ALU		0x04
#define IPO_JMP		0x05
#define IPO_JMP32	0x06
#define IPO_ALU64	0x07
#define IPO_CLASS(code)	((code) & 0x07)

/* Load/store size and mode. */
#define IPO_W		0x00
#define IPO_H		0x08
#define IPO_B		0x10
#define IPO_DW		0x18
#define IPO_SIZE(code)	((code) & 0x18)
#define IPO_IMM		0x00
#define IPO_MEM		0x60
#define IPO_MEMSX	0x80
#define IPO_ATOMIC	0xc0
#define IPO_MODE(code)	((code) & 0xe0)

/* ALU/JMP source and operation. */
#define IPO_K		0x00
#define IPO_X		0x08
#define IPO_SRC(code)	((code) & 0x08)
#define IPO_OP(code)	((code) & 0xf0)

#define IPO_ADD		0x00
#define IPO_SUB		0x10
#define IPO_MUL		0x20
#define IPO_DIV		0x30
#define IPO_OR		0x40
#define IPO_AND		0x50
#define IPO_LSH		0x60
#define IPO_RSH		0x70
#define IPO_NEG		0x80
#define IPO_MOD		0x90
#define IPO_XOR		0xa0
#define IPO_MOV		0xb0
#define IPO_ARSH	0xc0
#define IPO_END		0xd0

#define IPO_JA		0x00
#define IPO_JEQ		0x10
#define IPO_JGT		0x20
#define IPO_JGE		0x30
#define IPO_JSET	0x40
#define IPO_JNE		0x50
#define IPO_JSGT	0x60
#define IPO_JSGE	0x70
#define IPO_CALL	0x80
#define IPO_EXIT	0x90
#define IPO_JLT		0xa0
#define IPO_JLE		0xb0
#define IPO_JSLT	0xc0
#define IPO_JSLE	0xd0

/* Byte swap direction (source bit of an IPO_END opcode). */
#define IPO_TO_LE	0x00
#define IPO_TO_BE	0x08

/* Atomic operations (immediate field of an IPO_ATOMIC store). */
#define IPO_FETCH	0x01
#define IPO_XCHG	(0xe0 | IPO_FETCH)
#define IPO_CMPXCHG	(0xf0 | IPO_FETCH)

/* Source field of a CALL: helper by id, local function by offset. */
#define IPO_PSEUDO_CALL	1
/* Source field of an lddw: plain 64-bit immediate only. */

/* Registers. */
enum {
	IPO_R0 = 0, IPO_R1, IPO_R2, IPO_R3, IPO_R4, IPO_R5,
	IPO_R6, IPO_R7, IPO_R8, IPO_R9, IPO_R10,
	IPO_NREGS,
};
#define IPO_FP		IPO_R10

#define IPO_STACK_SIZE	512	/* bytes, all frames of one call chain */
#define IPO_MAX_CALL_DEPTH 8	/* frames, the entry function included */
#define IPO_MAX_INSNS	(1U << 20)

/* One instruction, as laid out in memory by clang (little endian). */
struct ipo_insn {
	u8  code;
	u8  dst:4;
	u8  src:4;
	s16 off;
	s32 imm;
};

/* What an opcode byte is. */
enum ipo_kind {
	IPO_K_INVALID = 0,
	IPO_K_ALU,	/* ALU / ALU64, every op but END */
	IPO_K_END,	/* byte swap: ALU END (to le/be) and ALU64 END (bswap) */
	IPO_K_LDDW,	/* 0x18: two slots, 64-bit immediate */
	IPO_K_LDX,	/* load, zero- or sign-extending (IPO_OPF_SIGNED) */
	IPO_K_ST,	/* store immediate */
	IPO_K_STX,	/* store register */
	IPO_K_ATOMIC,	/* atomic read-modify-write, op in imm */
	IPO_K_JA,	/* unconditional jump (JMP: off, JMP32: imm) */
	IPO_K_JCOND,	/* conditional jump */
	IPO_K_CALL,	/* helper (src 0), local function (src 1) */
	IPO_K_CALLX,	/* helper whose id is in register dst */
	IPO_K_EXIT,
};

/* ipo_opinfo.flags */
#define IPO_OPF_64	0x01	/* 64-bit ALU / JMP (not ALU / JMP32) */
#define IPO_OPF_SRCX	0x02	/* second operand is register src */
#define IPO_OPF_SIGNED	0x04	/* sign-extending load */

struct ipo_opinfo {
	const char *name;	/* mnemonic without size suffix: "add", "jeq" */
	u8 kind;		/* enum ipo_kind */
	u8 size;		/* memory access width in bytes, else 0 */
	u8 flags;		/* IPO_OPF_* */
	u8 op;			/* IPO_OP() of the code, for ALU and jumps */
};

extern const struct ipo_opinfo ipo_opinfo[256];

/*
 * ipo_insn_check() - reject what the opcode table alone cannot: reserved
 * fields that are not zero, offsets that select no variant (sdiv/smod take
 * off 0 or 1, movsx 0/8/16/32), byte-swap widths other than 16/32/64,
 * unknown atomic operations, atomics narrower than 32 bits.  Registers are
 * checked too (dst <= 10, src <= 10).  Returns 0 or -EINVAL and, on error,
 * points *why at a short static message.
 */
int ipo_insn_check(const struct ipo_insn *insn, const char **why);

/* Signed division and modulo variants carry off == 1. */
static inline bool ipo_insn_is_sdivmod(const struct ipo_insn *insn)
{
	return insn->off == 1;
}

#endif /* IPO_ISA_H */
