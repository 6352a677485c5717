/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The disassembler: one readable line per instruction, in the syntax of the
 * kernel's verifier log ("r0 += 5", "if w1 > 0x5 goto +3 <12>",
 * "r2 = *(u32 *)(r1 + 4)", "lock *(u64 *)(r10 - 8) += r1").  Driven by
 * ipo_opinfo[] like everything else, so it never disagrees with the
 * interpreter about what an opcode is.
 */
#ifndef IPO_DISASM_H
#define IPO_DISASM_H

#include "isa.h"

/* Room for any one formatted instruction. */
#define IPO_DISASM_LINE	96

/*
 * ipo_disasm_insn() - format the instruction at @pc into @buf.
 * @insns, @len: the program; an lddw reads its second slot from pc + 1 and
 *		is shown as truncated when that slot is missing.
 * @buf, @size:	output, always NUL-terminated when @size > 0.
 *
 * Invalid encodings are shown as such, not rejected: the verifier log uses
 * this to show the instruction it is rejecting.
 *
 * Return: slots the instruction occupies (2 for a complete lddw, else 1).
 */
u32 ipo_disasm_insn(const struct ipo_insn *insns, u32 len, u32 pc,
		    char *buf, u32 size);

/* Called once per line, without a trailing newline. */
typedef void (*ipo_disasm_print_fn)(void *ctx, const char *line);

/* ipo_disasm_prog() - "%5u: <insn>" for every instruction of a program. */
void ipo_disasm_prog(const struct ipo_insn *insns, u32 len,
		     ipo_disasm_print_fn print, void *ctx);

#endif /* IPO_DISASM_H */
