// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The opcode table: the single description of the instruction set shared by
 * the verifier, the interpreter, the JIT and the disassembler.
 */
#include "isa.h"

#define ALU(op, nm)							\
	[IPO_ALU | IPO_K | (op)] = { nm, IPO_K_ALU, 0, 0, (op) },	\
	[IPO_ALU | IPO_X | (op)] = { nm, IPO_K_ALU, 0, IPO_OPF_SRCX, (op) }, \
	[IPO_ALU64 | IPO_K | (op)] = { nm, IPO_K_ALU, 0, IPO_OPF_64, (op) }, \
	[IPO_ALU64 | IPO_X | (op)] = {					\
		nm, IPO_K_ALU, 0, IPO_OPF_64 | IPO_OPF_SRCX, (op) }

#define JCOND(op, nm)							\
	[IPO_JMP32 | IPO_K | (op)] = { nm, IPO_K_JCOND, 0, 0, (op) },	\
	[IPO_JMP32 | IPO_X | (op)] = {					\
		nm, IPO_K_JCOND, 0, IPO_OPF_SRCX, (op) },		\
	[IPO_JMP | IPO_K | (op)] = { nm, IPO_K_JCOND, 0, IPO_OPF_64, (op) }, \
	[IPO_JMP | IPO_X | (op)] = {					\
		nm, IPO_K_JCOND, 0, IPO_OPF_64 | IPO_OPF_SRCX, (op) }

#define MEMOPS(sz, bytes)						\
	[IPO_LDX | IPO_MEM | (sz)] = { "ldx", IPO_K_LDX, bytes, 0, 0 },	\
	[IPO_ST | IPO_MEM | (sz)] = { "st", IPO_K_ST, bytes, 0, 0 },	\
	[IPO_STX | IPO_MEM | (sz)] = {					\
		"stx", IPO_K_STX, bytes, IPO_OPF_SRCX, 0 }

const struct ipo_opinfo ipo_opinfo[256] = {
	ALU(IPO_ADD, "add"),
	ALU(IPO_SUB, "sub"),
	ALU(IPO_MUL, "mul"),
	ALU(IPO_DIV, "div"),
	ALU(IPO_OR, "or"),
	ALU(IPO_AND, "and"),
	ALU(IPO_LSH, "lsh"),
	ALU(IPO_RSH, "rsh"),
	ALU(IPO_MOD, "mod"),
	ALU(IPO_XOR, "xor"),
	ALU(IPO_MOV, "mov"),
	ALU(IPO_ARSH, "arsh"),
	[IPO_ALU | IPO_K | IPO_NEG] = { "neg", IPO_K_ALU, 0, 0, IPO_NEG },
	[IPO_ALU64 | IPO_K | IPO_NEG] = {
		"neg", IPO_K_ALU, 0, IPO_OPF_64, IPO_NEG },
	[IPO_ALU | IPO_TO_LE | IPO_END] = { "le", IPO_K_END, 0, 0, IPO_END },
	[IPO_ALU | IPO_TO_BE | IPO_END] = { "be", IPO_K_END, 0, 0, IPO_END },
	[IPO_ALU64 | IPO_TO_LE | IPO_END] = {
		"bswap", IPO_K_END, 0, IPO_OPF_64, IPO_END },

	[IPO_LD | IPO_IMM | IPO_DW] = { "lddw", IPO_K_LDDW, 0, IPO_OPF_64, 0 },
	MEMOPS(IPO_B, 1),
	MEMOPS(IPO_H, 2),
	MEMOPS(IPO_W, 4),
	MEMOPS(IPO_DW, 8),
	[IPO_LDX | IPO_MEMSX | IPO_B] = {
		"ldxs", IPO_K_LDX, 1, IPO_OPF_SIGNED, 0 },
	[IPO_LDX | IPO_MEMSX | IPO_H] = {
		"ldxs", IPO_K_LDX, 2, IPO_OPF_SIGNED, 0 },
	[IPO_LDX | IPO_MEMSX | IPO_W] = {
		"ldxs", IPO_K_LDX, 4, IPO_OPF_SIGNED, 0 },
	[IPO_STX | IPO_ATOMIC | IPO_W] = {
		"atomic", IPO_K_ATOMIC, 4, IPO_OPF_SRCX, 0 },
	[IPO_STX | IPO_ATOMIC | IPO_DW] = {
		"atomic", IPO_K_ATOMIC, 8, IPO_OPF_SRCX, 0 },

	[IPO_JMP | IPO_JA] = { "ja", IPO_K_JA, 0, IPO_OPF_64, IPO_JA },
	[IPO_JMP32 | IPO_JA] = { "ja32", IPO_K_JA, 0, 0, IPO_JA },
	JCOND(IPO_JEQ, "jeq"),
	JCOND(IPO_JGT, "jgt"),
	JCOND(IPO_JGE, "jge"),
	JCOND(IPO_JSET, "jset"),
	JCOND(IPO_JNE, "jne"),
	JCOND(IPO_JSGT, "jsgt"),
	JCOND(IPO_JSGE, "jsge"),
	JCOND(IPO_JLT, "jlt"),
	JCOND(IPO_JLE, "jle"),
	JCOND(IPO_JSLT, "jslt"),
	JCOND(IPO_JSLE, "jsle"),
	[IPO_JMP | IPO_K | IPO_CALL] = {
		"call", IPO_K_CALL, 0, IPO_OPF_64, IPO_CALL },
	[IPO_JMP | IPO_X | IPO_CALL] = {
		"callx", IPO_K_CALLX, 0, IPO_OPF_64, IPO_CALL },
	[IPO_JMP | IPO_K | IPO_EXIT] = {
		"exit", IPO_K_EXIT, 0, IPO_OPF_64, IPO_EXIT },
};

/* What is wrong with the instruction, or NULL. */
static const char *ipo_insn_fault(const struct ipo_insn *insn)
{
	const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];
	bool srcx = oi->flags & IPO_OPF_SRCX;

	if (oi->kind == IPO_K_INVALID)
		return "unknown opcode";
	if (insn->dst >= IPO_NREGS)
		return "invalid dst register";
	if (insn->src >= IPO_NREGS && oi->kind != IPO_K_CALL)
		return "invalid src register";

	switch (oi->kind) {
	case IPO_K_ALU:
		if (srcx && insn->imm)
			return "reserved imm field not zero";
		if (!srcx && insn->src)
			return "reserved src field not zero";
		switch (oi->op) {
		case IPO_DIV:
		case IPO_MOD:
			if (insn->off != 0 && insn->off != 1)
				return "invalid offset for div/mod";
			break;
		case IPO_MOV:
			if (insn->off != 0 && !(srcx && (insn->off == 8 ||
			    insn->off == 16 ||
			    (insn->off == 32 && (oi->flags & IPO_OPF_64)))))
				return "invalid offset for mov";
			break;
		default:
			if (insn->off)
				return "reserved off field not zero";
		}
		break;
	case IPO_K_END:
		if (insn->src || insn->off)
			return "reserved field not zero";
		if (insn->imm != 16 && insn->imm != 32 && insn->imm != 64)
			return "invalid byte swap width";
		break;
	case IPO_K_LDDW:
		if (insn->src || insn->off)
			return "unsupported lddw variant";
		break;
	case IPO_K_LDX:
		if (insn->imm)
			return "reserved imm field not zero";
		break;
	case IPO_K_ST:
		if (insn->src)
			return "reserved src field not zero";
		break;
	case IPO_K_STX:
		if (insn->imm)
			return "reserved imm field not zero";
		break;
	case IPO_K_ATOMIC:
		switch (insn->imm) {
		case IPO_ADD:
		case IPO_OR:
		case IPO_AND:
		case IPO_XOR:
		case IPO_ADD | IPO_FETCH:
		case IPO_OR | IPO_FETCH:
		case IPO_AND | IPO_FETCH:
		case IPO_XOR | IPO_FETCH:
		case IPO_XCHG:
		case IPO_CMPXCHG:
			break;
		default:
			return "unknown atomic operation";
		}
		break;
	case IPO_K_JA:
		if (insn->src || insn->dst)
			return "reserved field not zero";
		if (oi->flags & IPO_OPF_64) {
			if (insn->imm)
				return "reserved imm field not zero";
		} else if (insn->off) {
			return "reserved off field not zero";
		}
		break;
	case IPO_K_JCOND:
		if (srcx && insn->imm)
			return "reserved imm field not zero";
		if (!srcx && insn->src)
			return "reserved src field not zero";
		break;
	case IPO_K_CALL:
		if (insn->dst || insn->off)
			return "reserved field not zero";
		if (insn->src != 0 && insn->src != IPO_PSEUDO_CALL)
			return "unsupported call type";
		break;
	case IPO_K_CALLX:
		if (insn->src || insn->off || insn->imm)
			return "reserved field not zero";
		break;
	case IPO_K_EXIT:
		if (insn->src || insn->dst || insn->off || insn->imm)
			return "reserved field not zero";
		break;
	}
	return NULL;
}

int ipo_insn_check(const struct ipo_insn *insn, const char **why)
{
	const char *fault = ipo_insn_fault(insn);

	if (fault) {
		*why = fault;
		return -EINVAL;
	}
	return 0;
}
