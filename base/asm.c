// SPDX-License-Identifier: GPL-2.0
/*
 * The host assembler (see asm.h for the syntax).  One line is split into
 * tokens, then matched against the statement forms the disassembler prints.
 * Jumps and calls to labels are resolved in a second pass.
 */
#include <ctype.h>

#include "asm.h"

#define ASM_MAX_TOKS	48
#define ASM_TOK_LEN	48
#define S16_MIN_ASM	(-32768)
#define S16_MAX_ASM	32767

enum asm_tok_kind { TK_END, TK_WORD, TK_NUM, TK_PUNCT };

struct asm_tok {
	enum asm_tok_kind kind;
	char s[ASM_TOK_LEN];
	u64 num;
};

struct asm_lex {
	struct asm_tok t[ASM_MAX_TOKS];
	int n, pos;
};

/* A jump or call whose target is a label, resolved after the last line. */
struct asm_fixup {
	u32 pc;
	u32 line;
	bool in_imm;		/* ja32 and calls: imm; other jumps: off */
	char label[ASM_TOK_LEN];
};

struct asm_label {
	char name[ASM_TOK_LEN];
	u32 pc;
};

/* What one statement asks of the caller besides its instruction slots. */
struct asm_stmt {
	struct ipo_insn insn[2];
	int slots;
	bool has_fixup;
	bool fixup_in_imm;
	char label[ASM_TOK_LEN];
};

static const char *const asm_puncts[] = {
	"<<=", ">>=", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "|=",
	"&=", "%=", "^=",
};

static int asm_fail(struct ipo_asm_err *err, const char *fmt, ...)
	__printf(2, 3);

static int asm_fail(struct ipo_asm_err *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A "<123>" target annotation, as the disassembler appends to jumps. */
static size_t asm_annotation(const char *p)
{
	size_t i = 1;

	if (*p != '<' || !isdigit((unsigned char)p[1]))
		return 0;
	while (isdigit((unsigned char)p[i]))
		i++;
	return p[i] == '>' ? i + 1 : 0;
}

static int asm_lex(const char *p, struct asm_lex *lx, struct ipo_asm_err *err)
{
	lx->n = 0;
	lx->pos = 0;
	for (;;) {
		struct asm_tok *t;
		size_t len, skip;
		unsigned int i;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == ';' || (p[0] == '/' && p[1] == '/'))
			break;
		skip = asm_annotation(p);
		if (skip) {
			p += skip;
			continue;
		}
		if (lx->n == ASM_MAX_TOKS - 1)
			return asm_fail(err, "line too long");
		t = &lx->t[lx->n++];
		memset(t, 0, sizeof(*t));
		if (isalpha((unsigned char)*p) || *p == '_' || *p == '.') {
			len = 0;
			while (isalnum((unsigned char)p[len]) || p[len] == '_' ||
			       p[len] == '.')
				len++;
			/* "s/=", "s>>=", "s<=": signed operators. */
			if (len == 1 && *p == 's' && strchr("/%<>", p[1]) &&
			    p[1]) {
				len = 1;
				while (p[len] && strchr("/%<>=", p[len]))
					len++;
				t->kind = TK_PUNCT;
			} else {
				t->kind = TK_WORD;
			}
			if (len >= ASM_TOK_LEN)
				return asm_fail(err, "token too long");
			memcpy(t->s, p, len);
			p += len;
			continue;
		}
		if (isdigit((unsigned char)*p)) {
			char *end;

			errno = 0;
			t->kind = TK_NUM;
			t->num = strtoull(p, &end, 0);
			if (errno || isalnum((unsigned char)*end))
				return asm_fail(err, "bad number");
			len = end - p;
			if (len >= ASM_TOK_LEN)
				len = ASM_TOK_LEN - 1;
			memcpy(t->s, p, len);
			p = end;
			continue;
		}
		t->kind = TK_PUNCT;
		for (i = 0; i < ARRAY_SIZE(asm_puncts); i++) {
			len = strlen(asm_puncts[i]);
			if (!strncmp(p, asm_puncts[i], len))
				break;
		}
		if (i == ARRAY_SIZE(asm_puncts))
			len = 1;
		memcpy(t->s, p, len);
		p += len;
	}
	lx->t[lx->n].kind = TK_END;
	lx->t[lx->n].s[0] = 0;
	return 0;
}

static struct asm_tok *asm_peek(struct asm_lex *lx)
{
	return &lx->t[lx->pos];
}

static struct asm_tok *asm_next(struct asm_lex *lx)
{
	struct asm_tok *t = &lx->t[lx->pos];

	if (t->kind != TK_END)
		lx->pos++;
	return t;
}

static bool asm_accept(struct asm_lex *lx, const char *s)
{
	struct asm_tok *t = asm_peek(lx);

	if (t->kind == TK_END || t->kind == TK_NUM || strcmp(t->s, s))
		return false;
	lx->pos++;
	return true;
}

static int asm_expect(struct asm_lex *lx, const char *s,
		      struct ipo_asm_err *err)
{
	if (asm_accept(lx, s))
		return 0;
	return asm_fail(err, "expected '%s' before '%s'", s, asm_peek(lx)->s);
}

/* "r0".."r15", "w0".."w15": out-of-range numbers are encodable on purpose. */
static bool asm_is_reg(const struct asm_tok *t, u8 *reg, bool *wide)
{
	char *end;
	unsigned long v;

	if (t->kind != TK_WORD || (t->s[0] != 'r' && t->s[0] != 'w') ||
	    !isdigit((unsigned char)t->s[1]))
		return false;
	v = strtoul(t->s + 1, &end, 10);
	if (*end || v > 15)
		return false;
	*reg = v;
	if (wide)
		*wide = t->s[0] == 'r';
	return true;
}

static int asm_reg(struct asm_lex *lx, u8 *reg, bool *wide,
		   struct ipo_asm_err *err)
{
	if (!asm_is_reg(asm_peek(lx), reg, wide))
		return asm_fail(err, "expected a register, got '%s'",
				asm_peek(lx)->s);
	asm_next(lx);
	return 0;
}

/* [+|-]number, checked against [lo, hi]. */
static int asm_num(struct asm_lex *lx, s64 lo, s64 hi, s64 *out,
		   struct ipo_asm_err *err)
{
	bool neg = false;
	struct asm_tok *t;
	s64 v;

	if (asm_accept(lx, "-"))
		neg = true;
	else
		asm_accept(lx, "+");
	t = asm_next(lx);
	if (t->kind != TK_NUM)
		return asm_fail(err, "expected a number, got '%s'", t->s);
	if (t->num > (u64)S64_MAX && !(neg && t->num == (u64)S64_MIN))
		return asm_fail(err, "number out of range");
	v = neg ? (s64)(0 - t->num) : (s64)t->num;
	if (v < lo || v > hi)
		return asm_fail(err, "%lld out of range", (long long)v);
	*out = v;
	return 0;
}

/* 32-bit immediates may be written signed or as their u32 pattern. */
static int asm_imm32(struct asm_lex *lx, s32 *imm, struct ipo_asm_err *err)
{
	s64 v;

	if (asm_num(lx, S32_MIN, U32_MAX, &v, err))
		return -EINVAL;
	*imm = (s32)(u32)v;
	return 0;
}

static bool asm_is_imm(struct asm_lex *lx)
{
	struct asm_tok *t = asm_peek(lx);

	if (t->kind == TK_NUM)
		return true;
	return (!strcmp(t->s, "-") || !strcmp(t->s, "+")) &&
	       lx->t[lx->pos + 1].kind == TK_NUM;
}

/* "u8".."u64", "s8".."s64": size code and signedness. */
static int asm_type(struct asm_lex *lx, u8 *size, bool *sx,
		    struct ipo_asm_err *err)
{
	struct asm_tok *t = asm_next(lx);
	int bits;

	if (t->kind != TK_WORD || (t->s[0] != 'u' && t->s[0] != 's'))
		return asm_fail(err, "expected a type, got '%s'", t->s);
	bits = atoi(t->s + 1);
	switch (bits) {
	case 8:
		*size = IPO_B;
		break;
	case 16:
		*size = IPO_H;
		break;
	case 32:
		*size = IPO_W;
		break;
	case 64:
		*size = IPO_DW;
		break;
	default:
		return asm_fail(err, "bad type '%s'", t->s);
	}
	*sx = t->s[0] == 's';
	return 0;
}

/* "(u32 *)(r1 + 4)": type, base register, offset. */
static int asm_addr(struct asm_lex *lx, u8 *size, bool *sx, u8 *reg,
		    s16 *off, struct ipo_asm_err *err)
{
	s64 v = 0;

	if (asm_expect(lx, "(", err) || asm_type(lx, size, sx, err) ||
	    asm_expect(lx, "*", err) || asm_expect(lx, ")", err) ||
	    asm_expect(lx, "(", err) || asm_reg(lx, reg, NULL, err))
		return -EINVAL;
	if (asm_accept(lx, "+")) {
		if (asm_num(lx, 0, S16_MAX_ASM, &v, err))
			return -EINVAL;
	} else if (asm_accept(lx, "-")) {
		if (asm_num(lx, 0, -(s64)S16_MIN_ASM, &v, err))
			return -EINVAL;
		v = -v;
	}
	*off = v;
	return asm_expect(lx, ")", err);
}

/* Jump target: a label, or a signed relative offset. */
static int asm_target(struct asm_lex *lx, struct asm_stmt *st, bool in_imm,
		      struct ipo_asm_err *err)
{
	struct asm_tok *t = asm_peek(lx);
	s64 v;

	if (t->kind == TK_WORD) {
		st->has_fixup = true;
		st->fixup_in_imm = in_imm;
		strcpy(st->label, t->s);
		asm_next(lx);
		return 0;
	}
	if (in_imm) {
		if (asm_num(lx, S32_MIN, S32_MAX, &v, err))
			return -EINVAL;
		st->insn[0].imm = v;
	} else {
		if (asm_num(lx, S16_MIN_ASM, S16_MAX_ASM, &v, err))
			return -EINVAL;
		st->insn[0].off = v;
	}
	return 0;
}

struct asm_opname {
	const char *s;
	u8 op;
	bool sdiv;
};

static const struct asm_opname asm_alu_ops[] = {
	{ "+=", IPO_ADD }, { "-=", IPO_SUB }, { "*=", IPO_MUL },
	{ "/=", IPO_DIV }, { "|=", IPO_OR }, { "&=", IPO_AND },
	{ "<<=", IPO_LSH }, { ">>=", IPO_RSH }, { "%=", IPO_MOD },
	{ "^=", IPO_XOR }, { "=", IPO_MOV }, { "s>>=", IPO_ARSH },
	{ "s/=", IPO_DIV, true }, { "s%=", IPO_MOD, true },
};

static const struct asm_opname asm_jmp_ops[] = {
	{ "==", IPO_JEQ }, { ">", IPO_JGT }, { ">=", IPO_JGE },
	{ "&", IPO_JSET }, { "!=", IPO_JNE }, { "s>", IPO_JSGT },
	{ "s>=", IPO_JSGE }, { "<", IPO_JLT }, { "<=", IPO_JLE },
	{ "s<", IPO_JSLT }, { "s<=", IPO_JSLE },
};

static const struct asm_opname asm_lock_ops[] = {
	{ "+=", IPO_ADD }, { "|=", IPO_OR }, { "&=", IPO_AND },
	{ "^=", IPO_XOR },
};

static const struct asm_opname *asm_find_op(const struct asm_opname *tab,
					    size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(tab[i].s, s))
			return &tab[i];
	return NULL;
}

/* "rX = atomic64_fetch_add((u64 *)(rY + off), rX)" and friends. */
static int asm_atomic_fn(struct asm_lex *lx, u8 lhs, const char *fn,
			 struct ipo_insn *insn, struct ipo_asm_err *err)
{
	static const struct asm_opname fns[] = {
		{ "fetch_add", IPO_ADD | IPO_FETCH },
		{ "fetch_or", IPO_OR | IPO_FETCH },
		{ "fetch_and", IPO_AND | IPO_FETCH },
		{ "fetch_xor", IPO_XOR | IPO_FETCH },
		{ "xchg", IPO_XCHG },
		{ "cmpxchg", IPO_CMPXCHG },
	};
	const char *name = fn + (strncmp(fn, "atomic64_", 9) ? 7 : 9);
	const struct asm_opname *op;
	u8 size, reg, src;
	bool sx;
	s16 off;

	op = asm_find_op(fns, ARRAY_SIZE(fns), name);
	if (!op)
		return asm_fail(err, "unknown atomic '%s'", fn);
	if (asm_expect(lx, "(", err) ||
	    asm_addr(lx, &size, &sx, &reg, &off, err) ||
	    asm_expect(lx, ",", err) || asm_reg(lx, &src, NULL, err))
		return -EINVAL;
	if (op->op == IPO_CMPXCHG) {
		if (lhs != IPO_R0 || src != IPO_R0)
			return asm_fail(err, "cmpxchg works on r0");
		if (asm_expect(lx, ",", err) || asm_reg(lx, &src, NULL, err))
			return -EINVAL;
	} else if (src != lhs) {
		return asm_fail(err, "atomic result must be its operand");
	}
	if (asm_expect(lx, ")", err))
		return -EINVAL;
	insn->code = IPO_STX | IPO_ATOMIC | size;
	insn->dst = reg;
	insn->src = src;
	insn->off = off;
	insn->imm = op->op;
	return 0;
}

/* Everything that starts with "rN" or "wN". */
static int asm_reg_stmt(struct asm_lex *lx, struct asm_stmt *st,
			struct ipo_asm_err *err)
{
	struct ipo_insn *insn = &st->insn[0];
	const struct asm_opname *op;
	struct asm_tok *t;
	u8 dst, src, size;
	bool wide, sx;
	s16 off;

	asm_reg(lx, &dst, &wide, err);
	insn->dst = dst;
	t = asm_next(lx);
	op = asm_find_op(asm_alu_ops, ARRAY_SIZE(asm_alu_ops), t->s);
	if (t->kind != TK_PUNCT || !op)
		return asm_fail(err, "unknown operator '%s'", t->s);

	if (op->op == IPO_MOV) {
		t = asm_peek(lx);
		/* Load. */
		if (asm_accept(lx, "*")) {
			if (asm_addr(lx, &size, &sx, &src, &off, err))
				return -EINVAL;
			insn->code = IPO_LDX | (sx ? IPO_MEMSX : IPO_MEM) | size;
			insn->src = src;
			insn->off = off;
			return 0;
		}
		/* Negation. */
		if (!strcmp(t->s, "-") && lx->t[lx->pos + 1].kind == TK_WORD) {
			asm_next(lx);
			if (asm_reg(lx, &src, NULL, err))
				return -EINVAL;
			if (src != dst)
				return asm_fail(err, "neg works in place");
			insn->code = (wide ? IPO_ALU64 : IPO_ALU) | IPO_NEG;
			return 0;
		}
		/* Sign-extending move. */
		if (asm_accept(lx, "(")) {
			if (asm_type(lx, &size, &sx, err) ||
			    asm_expect(lx, ")", err) ||
			    asm_reg(lx, &src, NULL, err))
				return -EINVAL;
			if (!sx)
				return asm_fail(err, "movsx needs a signed type");
			insn->code = (wide ? IPO_ALU64 : IPO_ALU) | IPO_X |
				     IPO_MOV;
			insn->src = src;
			insn->off = size == IPO_B ? 8 : size == IPO_H ? 16 :
				    size == IPO_W ? 32 : 64;
			return 0;
		}
		/* Byte swaps. */
		if (t->kind == TK_WORD && (!strncmp(t->s, "le", 2) ||
		    !strncmp(t->s, "be", 2) || !strncmp(t->s, "bswap", 5)) &&
		    isdigit((unsigned char)t->s[t->s[0] == 'b' &&
						t->s[1] == 's' ? 5 : 2])) {
			bool bs = t->s[1] == 's';

			insn->imm = atoi(t->s + (bs ? 5 : 2));
			insn->code = bs ? IPO_ALU64 | IPO_TO_LE | IPO_END :
				     IPO_ALU | IPO_END |
				     (t->s[0] == 'b' ? IPO_TO_BE : IPO_TO_LE);
			asm_next(lx);
			if (asm_reg(lx, &src, NULL, err))
				return -EINVAL;
			if (src != dst)
				return asm_fail(err, "byte swap works in place");
			return 0;
		}
		/* Atomic function forms. */
		if (t->kind == TK_WORD && !strncmp(t->s, "atomic", 6)) {
			char fn[ASM_TOK_LEN];

			strcpy(fn, t->s);
			asm_next(lx);
			return asm_atomic_fn(lx, dst, fn, insn, err);
		}
		/* lddw. */
		if (asm_is_imm(lx) && lx->t[lx->pos + 1 +
		    (asm_peek(lx)->kind != TK_NUM)].kind == TK_WORD &&
		    !strcmp(lx->t[lx->pos + 1 +
			    (asm_peek(lx)->kind != TK_NUM)].s, "ll")) {
			bool neg = asm_accept(lx, "-");
			u64 v;

			if (!neg)
				asm_accept(lx, "+");
			v = asm_next(lx)->num;
			if (neg)
				v = 0 - v;
			asm_next(lx);
			if (!wide)
				return asm_fail(err, "lddw needs an r register");
			insn->code = IPO_LD | IPO_IMM | IPO_DW;
			insn->imm = (s32)(u32)v;
			st->insn[1].imm = (s32)(u32)(v >> 32);
			st->slots = 2;
			return 0;
		}
	}

	insn->code = (wide ? IPO_ALU64 : IPO_ALU) | op->op;
	insn->off = op->sdiv;
	if (asm_is_imm(lx))
		return asm_imm32(lx, &insn->imm, err);
	if (asm_reg(lx, &src, NULL, err))
		return -EINVAL;
	insn->code |= IPO_X;
	insn->src = src;
	return 0;
}

static int asm_stmt(struct asm_lex *lx, struct asm_stmt *st,
		    struct ipo_asm_err *err)
{
	struct ipo_insn *insn = &st->insn[0];
	struct asm_tok *t = asm_peek(lx);
	const struct asm_opname *op;
	u8 dst, src, size;
	bool wide, sx;
	s64 v;
	int i;

	memset(st, 0, sizeof(*st));
	st->slots = 1;

	if (asm_is_reg(t, &dst, &wide)) {
		if (asm_reg_stmt(lx, st, err))
			return -EINVAL;
	} else if (asm_accept(lx, "exit")) {
		insn->code = IPO_JMP | IPO_EXIT;
	} else if (asm_accept(lx, "goto")) {
		insn->code = IPO_JMP | IPO_JA;
		if (asm_target(lx, st, false, err))
			return -EINVAL;
	} else if (asm_accept(lx, "gotol")) {
		insn->code = IPO_JMP32 | IPO_JA;
		if (asm_target(lx, st, true, err))
			return -EINVAL;
	} else if (asm_accept(lx, "callx")) {
		insn->code = IPO_JMP | IPO_X | IPO_CALL;
		if (asm_reg(lx, &dst, NULL, err))
			return -EINVAL;
		insn->dst = dst;
	} else if (asm_accept(lx, "call")) {
		insn->code = IPO_JMP | IPO_CALL;
		if (asm_accept(lx, "pc")) {
			insn->src = IPO_PSEUDO_CALL;
			if (asm_imm32(lx, &insn->imm, err))
				return -EINVAL;
		} else if (asm_peek(lx)->kind == TK_WORD) {
			insn->src = IPO_PSEUDO_CALL;
			if (asm_target(lx, st, true, err))
				return -EINVAL;
		} else if (asm_imm32(lx, &insn->imm, err)) {
			return -EINVAL;
		}
	} else if (asm_accept(lx, ".insn")) {
		s64 f[5];
		static const s64 lo[5] = { 0, 0, 0, S16_MIN_ASM, S32_MIN };
		static const s64 hi[5] = { 255, 15, 15, 0xffff, U32_MAX };

		for (i = 0; i < 5; i++) {
			asm_accept(lx, ",");
			if (asm_num(lx, lo[i], hi[i], &f[i], err))
				return -EINVAL;
		}
		insn->code = f[0];
		insn->dst = f[1];
		insn->src = f[2];
		insn->off = (s16)(u16)f[3];
		insn->imm = (s32)(u32)f[4];
	} else if (asm_accept(lx, "if")) {
		if (asm_reg(lx, &dst, &wide, err))
			return -EINVAL;
		t = asm_next(lx);
		op = asm_find_op(asm_jmp_ops, ARRAY_SIZE(asm_jmp_ops), t->s);
		if (t->kind != TK_PUNCT || !op)
			return asm_fail(err, "unknown comparison '%s'", t->s);
		insn->code = (wide ? IPO_JMP : IPO_JMP32) | op->op;
		insn->dst = dst;
		if (asm_is_imm(lx)) {
			if (asm_imm32(lx, &insn->imm, err))
				return -EINVAL;
		} else {
			if (asm_reg(lx, &src, NULL, err))
				return -EINVAL;
			insn->code |= IPO_X;
			insn->src = src;
		}
		if (asm_expect(lx, "goto", err) ||
		    asm_target(lx, st, false, err))
			return -EINVAL;
	} else if (asm_accept(lx, "lock")) {
		if (asm_expect(lx, "*", err) ||
		    asm_addr(lx, &size, &sx, &dst, &insn->off, err))
			return -EINVAL;
		t = asm_next(lx);
		op = asm_find_op(asm_lock_ops, ARRAY_SIZE(asm_lock_ops), t->s);
		if (!op)
			return asm_fail(err, "unknown atomic operator '%s'",
					t->s);
		if (asm_reg(lx, &src, NULL, err))
			return -EINVAL;
		insn->code = IPO_STX | IPO_ATOMIC | size;
		insn->dst = dst;
		insn->src = src;
		insn->imm = op->op;
	} else if (asm_accept(lx, "*")) {
		if (asm_addr(lx, &size, &sx, &dst, &insn->off, err) ||
		    asm_expect(lx, "=", err))
			return -EINVAL;
		insn->dst = dst;
		if (asm_is_imm(lx)) {
			insn->code = IPO_ST | IPO_MEM | size;
			if (asm_num(lx, S32_MIN, U32_MAX, &v, err))
				return -EINVAL;
			insn->imm = (s32)(u32)v;
		} else {
			if (asm_reg(lx, &src, NULL, err))
				return -EINVAL;
			insn->code = IPO_STX | IPO_MEM | size;
			insn->src = src;
		}
	} else {
		return asm_fail(err, "unknown statement '%s'", t->s);
	}
	if (asm_peek(lx)->kind != TK_END)
		return asm_fail(err, "junk at end of line: '%s'",
				asm_peek(lx)->s);
	return 0;
}

int ipo_asm_line(const char *line, struct ipo_insn out[2],
		 struct ipo_asm_err *err)
{
	struct asm_stmt st;
	struct asm_lex lx;

	err->line = 0;
	if (asm_lex(line, &lx, err) || asm_stmt(&lx, &st, err))
		return -EINVAL;
	if (st.has_fixup)
		return asm_fail(err, "labels need ipo_asm()");
	memcpy(out, st.insn, sizeof(st.insn[0]) * st.slots);
	return st.slots;
}

void ipo_asm_free(struct ipo_asm_prog *prog)
{
	free(prog->insns);
	free(prog->lines);
	memset(prog, 0, sizeof(*prog));
}

static int asm_grow(void **p, u32 *cap, u32 need, size_t elem)
{
	void *np;
	u32 ncap;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	while (ncap < need)
		ncap *= 2;
	np = realloc(*p, (size_t)ncap * elem);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = ncap;
	return 0;
}

int ipo_asm(const char *text, u32 first_line, struct ipo_asm_prog *prog,
	    struct ipo_asm_err *err)
{
	struct asm_fixup *fix = NULL;
	struct asm_label *labels = NULL;
	u32 cap = 0, linecap = 0, lcap = 0, nlabels = 0, fcap = 0, nfix = 0, i, j;
	u32 line = first_line;
	struct asm_lex lx;
	struct asm_stmt st;
	const char *p = text;
	char buf[512];
	int ret = -EINVAL;

	memset(prog, 0, sizeof(*prog));
	memset(err, 0, sizeof(*err));
	for (; *p; line++) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		err->line = line;
		if (n >= sizeof(buf)) {
			asm_fail(err, "line too long");
			goto out;
		}
		memcpy(buf, p, n);
		buf[n] = 0;
		p += n + (nl ? 1 : 0);
		if (asm_lex(buf, &lx, err))
			goto out;
		/* Labels: "name:" at the start of a line. */
		while (lx.t[lx.pos].kind == TK_WORD &&
		       !strcmp(lx.t[lx.pos + 1].s, ":")) {
			for (i = 0; i < nlabels; i++)
				if (!strcmp(labels[i].name, lx.t[lx.pos].s))
					break;
			if (i < nlabels) {
				asm_fail(err, "label '%s' defined twice",
					 lx.t[lx.pos].s);
				goto out;
			}
			if (asm_grow((void **)&labels, &lcap, nlabels + 1,
				     sizeof(*labels)))
				goto nomem;
			strcpy(labels[nlabels].name, lx.t[lx.pos].s);
			labels[nlabels++].pc = prog->len;
			lx.pos += 2;
		}
		if (lx.t[lx.pos].kind == TK_END)
			continue;
		if (asm_stmt(&lx, &st, err))
			goto out;
		if (asm_grow((void **)&prog->insns, &cap, prog->len + 2,
			     sizeof(*prog->insns)))
			goto nomem;
		if (asm_grow((void **)&prog->lines, &linecap, prog->len + 2,
			     sizeof(*prog->lines)))
			goto nomem;
		if (st.has_fixup) {
			if (asm_grow((void **)&fix, &fcap, nfix + 1,
				     sizeof(*fix)))
				goto nomem;
			fix[nfix].pc = prog->len;
			fix[nfix].line = line;
			fix[nfix].in_imm = st.fixup_in_imm;
			strcpy(fix[nfix++].label, st.label);
		}
		for (i = 0; i < (u32)st.slots; i++) {
			prog->lines[prog->len] = line;
			prog->insns[prog->len++] = st.insn[i];
		}
	}

	for (i = 0; i < nfix; i++) {
		s64 rel;

		err->line = fix[i].line;
		for (j = 0; j < nlabels; j++)
			if (!strcmp(labels[j].name, fix[i].label))
				break;
		if (j == nlabels) {
			asm_fail(err, "unknown label '%s'", fix[i].label);
			goto out;
		}
		rel = (s64)labels[j].pc - fix[i].pc - 1;
		if (fix[i].in_imm) {
			prog->insns[fix[i].pc].imm = rel;
		} else {
			if (rel < S16_MIN_ASM || rel > S16_MAX_ASM) {
				asm_fail(err, "jump to '%s' out of range",
					 fix[i].label);
				goto out;
			}
			prog->insns[fix[i].pc].off = rel;
		}
	}
	ret = 0;
	goto out;
nomem:
	asm_fail(err, "out of memory");
	ret = -ENOMEM;
out:
	free(fix);
	free(labels);
	if (ret)
		ipo_asm_free(prog);
	return ret;
}
