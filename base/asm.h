/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small eBPF assembler for the host tests and benchmarks (host only,
 * IPO_ENGINE_HOST_SRCS): the syntax the disassembler prints (disasm.c),
 * plus labels and a raw escape.
 *
 *	L1:				label (also "L1: r0 = 1")
 *	r0 = 5; w1 += w2; r1 = -r1	ALU / ALU64 ("w" selects 32 bit)
 *	r1 s/= r2; r1 s%= 3; r1 s>>= 1	signed div/mod, arithmetic shift
 *	r1 = (s8)r2			movsx
 *	r1 = be16 r1; r1 = bswap64 r1	byte swaps
 *	r1 = 0x1122334455667788 ll	lddw (two slots)
 *	r0 = *(u32 *)(r1 + 4)		loads (s8/s16/s32: sign-extending)
 *	*(u64 *)(r10 - 8) = r1		stores (register or immediate)
 *	lock *(u64 *)(r1 + 0) += r2	atomics, and the disassembler's
 *	r2 = atomic64_fetch_add((u64 *)(r1 + 0), r2)	function forms
 *	r0 = atomic64_cmpxchg((u64 *)(r1 + 0), r0, r2)
 *	goto L1; goto +3; gotol L1	ja (off), ja32 (imm)
 *	if r1 > 0x5 goto L1		conditional jumps (w: JMP32)
 *	call 5; call L2; call pc+3	helper, local function
 *	callx r1; exit
 *	.insn 0xcode dst src off imm	any encoding, valid or not
 *
 * "<12>" target annotations printed by the disassembler are ignored.
 * Comments start with ';' or '//'.  Encodings the opcode table rejects
 * (8-bit atomics, s64 loads, ...) are assembled anyway: tests need them.
 */
#ifndef IPO_ASM_H
#define IPO_ASM_H

#include "isa.h"

struct ipo_asm_prog {
	struct ipo_insn *insns;
	u32 len;
	u32 *lines;		/* source line of each instruction slot */
};

struct ipo_asm_err {
	u32 line;
	char msg[160];
};

/*
 * ipo_asm() - assemble @text; line numbers start at @first_line.
 * Return: 0, or -EINVAL with @err filled (the program is then freed).
 */
int ipo_asm(const char *text, u32 first_line, struct ipo_asm_prog *prog,
	    struct ipo_asm_err *err);

/* ipo_asm_line() - one instruction (no labels); returns slots or -EINVAL. */
int ipo_asm_line(const char *line, struct ipo_insn out[2],
		 struct ipo_asm_err *err);

void ipo_asm_free(struct ipo_asm_prog *prog);

#endif /* IPO_ASM_H */
