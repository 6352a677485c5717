// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The disassembler.  The syntax is the kernel verifier log's, because that
 * is what people who read eBPF already know; only the opcode table decides
 * what an instruction is.
 */
#include "disasm.h"

/* Compound assignment operators of ALU ops, indexed by IPO_OP() >> 4. */
static const char *const ipo_alu_sym[16] = {
	[IPO_ADD >> 4] = "+=",
	[IPO_SUB >> 4] = "-=",
	[IPO_MUL >> 4] = "*=",
	[IPO_DIV >> 4] = "/=",
	[IPO_OR >> 4] = "|=",
	[IPO_AND >> 4] = "&=",
	[IPO_LSH >> 4] = "<<=",
	[IPO_RSH >> 4] = ">>=",
	[IPO_MOD >> 4] = "%=",
	[IPO_XOR >> 4] = "^=",
	[IPO_MOV >> 4] = "=",
	[IPO_ARSH >> 4] = "s>>=",
};

/* Comparison operators of conditional jumps, indexed by IPO_OP() >> 4. */
static const char *const ipo_jmp_sym[16] = {
	[IPO_JEQ >> 4] = "==",
	[IPO_JGT >> 4] = ">",
	[IPO_JGE >> 4] = ">=",
	[IPO_JSET >> 4] = "&",
	[IPO_JNE >> 4] = "!=",
	[IPO_JSGT >> 4] = "s>",
	[IPO_JSGE >> 4] = "s>=",
	[IPO_JLT >> 4] = "<",
	[IPO_JLE >> 4] = "<=",
	[IPO_JSLT >> 4] = "s<",
	[IPO_JSLE >> 4] = "s<=",
};

/* Atomic operations, indexed by (imm & 0xf0) >> 4: the binary ones. */
static const char *const ipo_atomic_sym[16] = {
	[IPO_ADD >> 4] = "+=",
	[IPO_OR >> 4] = "|=",
	[IPO_AND >> 4] = "&=",
	[IPO_XOR >> 4] = "^=",
};

static const char *const ipo_atomic_fetch[16] = {
	[IPO_ADD >> 4] = "fetch_add",
	[IPO_OR >> 4] = "fetch_or",
	[IPO_AND >> 4] = "fetch_and",
	[IPO_XOR >> 4] = "fetch_xor",
	[IPO_XCHG >> 4] = "xchg",
};

static const char *ipo_mem_type(u8 size, bool sx)
{
	switch (size) {
	case 1:
		return sx ? "s8" : "u8";
	case 2:
		return sx ? "s16" : "u16";
	case 4:
		return sx ? "s32" : "u32";
	default:
		return "u64";
	}
}

/* "(r1 + 4)" / "(r10 - 8)"; off is widened so -32768 prints correctly. */
static void ipo_fmt_addr(char *buf, u32 size, u8 reg, s16 off)
{
	int o = off;

	ipo_snprintf(buf, size, "(r%u %c %d)", reg, o < 0 ? '-' : '+',
		     o < 0 ? -o : o);
}

/* Jump immediates: hex like the kernel, but negative ones stay readable. */
static void ipo_fmt_jimm(char *buf, u32 size, s32 imm)
{
	if (imm < 0)
		ipo_snprintf(buf, size, "%d", imm);
	else
		ipo_snprintf(buf, size, "0x%x", imm);
}

u32 ipo_disasm_insn(const struct ipo_insn *insns, u32 len, u32 pc,
		    char *buf, u32 size)
{
	const struct ipo_insn *insn = &insns[pc];
	const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];
	bool is64 = oi->flags & IPO_OPF_64;
	bool srcx = oi->flags & IPO_OPF_SRCX;
	char rp = is64 ? 'r' : 'w';
	const char *sym;
	char addr[32], opnd[24];
	u32 target;

	if (!size)
		return oi->kind == IPO_K_LDDW && pc + 1 < len ? 2 : 1;

	/* Register-to-register forms of any kind read this. */
	if (srcx)
		ipo_snprintf(opnd, sizeof(opnd), "%c%u", rp, insn->src);
	else
		ipo_snprintf(opnd, sizeof(opnd), "%d", insn->imm);

	switch (oi->kind) {
	case IPO_K_ALU:
		if (oi->op == IPO_NEG) {
			ipo_snprintf(buf, size, "%c%u = -%c%u", rp, insn->dst,
				     rp, insn->dst);
			break;
		}
		if (oi->op == IPO_MOV && insn->off) {
			ipo_snprintf(buf, size, "%c%u = (s%d)%s", rp,
				     insn->dst, insn->off, opnd);
			break;
		}
		sym = ipo_alu_sym[oi->op >> 4];
		ipo_snprintf(buf, size, "%c%u %s%s %s", rp, insn->dst,
			     (oi->op == IPO_DIV || oi->op == IPO_MOD) &&
			     ipo_insn_is_sdivmod(insn) ? "s" : "",
			     sym ? sym : "?=", opnd);
		break;

	case IPO_K_END:
		ipo_snprintf(buf, size, "r%u = %s%d r%u", insn->dst, oi->name,
			     insn->imm, insn->dst);
		break;

	case IPO_K_LDDW:
		if (pc + 1 >= len) {
			ipo_snprintf(buf, size, "r%u = 0x%x ll (truncated)",
				     insn->dst, (u32)insn->imm);
			return 1;
		}
		ipo_snprintf(buf, size, "r%u = 0x%llx ll", insn->dst,
			     (unsigned long long)((u64)(u32)insn->imm |
			     (u64)(u32)insns[pc + 1].imm << 32));
		return 2;

	case IPO_K_LDX:
		ipo_fmt_addr(addr, sizeof(addr), insn->src, insn->off);
		ipo_snprintf(buf, size, "r%u = *(%s *)%s", insn->dst,
			     ipo_mem_type(oi->size,
					  oi->flags & IPO_OPF_SIGNED), addr);
		break;

	case IPO_K_ST:
	case IPO_K_STX:
		ipo_fmt_addr(addr, sizeof(addr), insn->dst, insn->off);
		if (srcx)
			ipo_snprintf(opnd, sizeof(opnd), "r%u", insn->src);
		ipo_snprintf(buf, size, "*(%s *)%s = %s",
			     ipo_mem_type(oi->size, false), addr, opnd);
		break;

	case IPO_K_ATOMIC: {
		/* The register operand is as wide as the memory operand. */
		char ap = oi->size == 8 ? 'r' : 'w';
		const char *pfx = oi->size == 8 ? "atomic64_" : "atomic_";
		const char *ty = ipo_mem_type(oi->size, false);
		u32 aop = ((u32)insn->imm >> 4) & 0xf;

		ipo_fmt_addr(addr, sizeof(addr), insn->dst, insn->off);
		if (insn->imm == IPO_CMPXCHG) {
			ipo_snprintf(buf, size,
				     "%c0 = %scmpxchg((%s *)%s, %c0, %c%u)",
				     ap, pfx, ty, addr, ap, ap, insn->src);
		} else if ((insn->imm & ~0xf0) == 0 && ipo_atomic_sym[aop]) {
			ipo_snprintf(buf, size, "lock *(%s *)%s %s %c%u", ty,
				     addr, ipo_atomic_sym[aop], ap, insn->src);
		} else if ((insn->imm & ~0xf0) == IPO_FETCH &&
			   ipo_atomic_fetch[aop]) {
			ipo_snprintf(buf, size, "%c%u = %s%s((%s *)%s, %c%u)",
				     ap, insn->src, pfx, ipo_atomic_fetch[aop],
				     ty, addr, ap, insn->src);
		} else {
			ipo_snprintf(buf, size,
				     "invalid atomic op 0x%x on (%s *)%s",
				     (u32)insn->imm, ty, addr);
		}
		break;
	}

	case IPO_K_JA:
		/* ja takes its offset from off, ja32 ("gotol") from imm. */
		if (is64) {
			target = pc + 1 + (u32)(s32)insn->off;
			ipo_snprintf(buf, size, "goto %+d <%u>", insn->off,
				     target);
		} else {
			target = pc + 1 + (u32)insn->imm;
			ipo_snprintf(buf, size, "gotol %+d <%u>", insn->imm,
				     target);
		}
		break;

	case IPO_K_JCOND:
		sym = ipo_jmp_sym[oi->op >> 4];
		if (!srcx)
			ipo_fmt_jimm(opnd, sizeof(opnd), insn->imm);
		target = pc + 1 + (u32)(s32)insn->off;
		ipo_snprintf(buf, size, "if %c%u %s %s goto %+d <%u>", rp,
			     insn->dst, sym ? sym : "?", opnd, insn->off,
			     target);
		break;

	case IPO_K_CALL:
		if (insn->src == IPO_PSEUDO_CALL)
			ipo_snprintf(buf, size, "call pc%+d <%u>", insn->imm,
				     pc + 1 + (u32)insn->imm);
		else
			ipo_snprintf(buf, size, "call %d", insn->imm);
		break;

	case IPO_K_CALLX:
		ipo_snprintf(buf, size, "callx r%u", insn->dst);
		break;

	case IPO_K_EXIT:
		ipo_snprintf(buf, size, "exit");
		break;

	default:
		ipo_snprintf(buf, size, "invalid opcode 0x%02x", insn->code);
		break;
	}
	return 1;
}

void ipo_disasm_prog(const struct ipo_insn *insns, u32 len,
		     ipo_disasm_print_fn print, void *ctx)
{
	char insn[IPO_DISASM_LINE], line[IPO_DISASM_LINE + 16];
	u32 pc = 0;

	while (pc < len) {
		u32 n = ipo_disasm_insn(insns, len, pc, insn, sizeof(insn));

		ipo_snprintf(line, sizeof(line), "%5u: %s", pc, insn);
		print(ctx, line);
		pc += n;
	}
}
