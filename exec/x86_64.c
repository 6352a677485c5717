// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The x86-64 JIT.  One pass over the program, in instruction order; every
 * instruction is translated once by the switch in ipo_x86_insn().  Forward
 * jumps are rel32 placeholders chained on their target and patched when the
 * target is reached; backward jumps use the offset table.  There is no
 * optimiser: the generated code is meant to be read next to the eBPF.
 *
 * The encoder is layered: a growing byte sink with a sticky error, emit1/2/4/8
 * on top, ipo_x86_op() for prefix + REX + opcode + ModRM/SIB/displacement,
 * then one helper per instruction shape.
 *
 * Register use (SysV ABI; the image is called like a helper, r1..r5 in the
 * argument registers and the run in r9):
 *
 *	eBPF	x86	why
 *	r0	rax	return value
 *	r1-r5	rdi rsi rdx rcx r8	helper arguments, as they stand
 *	r6-r9	rbx r13 r14 r15	callee-saved, so helpers keep them
 *	r10	rbp	top of the current function's stack frame
 *	-	r9	the run frame (below); saved around helper calls
 *	-	r12	fuel left (signed; callee-saved: survives helpers)
 *	-	r10 r11	scratch: bounds checks, division, shifts, atomics
 *
 * The frame is in r9 rather than r12 because [r12 + disp] needs a SIB
 * byte: the three frame operands of every run-time check are a byte
 * shorter each.
 *
 * Native stack, entry function (16-byte aligned everywhere a body runs):
 *
 *	[stack_lo + 512]	saved rbp		<- rbp (eBPF r10)
 *	[stack_lo, +512)	the eBPF stack, the same 512 bytes the
 *				interpreter has; run->base[IPO_RGN_STACK]
 *	[stack_lo - 40, -8]	saved rbx r12 r13 r14 r15
 *	[stack_lo - 48]		padding
 *	[r9, +frame)		the run frame			<- r9 = rsp
 *
 * The run frame holds the struct ipo_run pointer, a zero, and what the
 * run-time bounds checks need, computed once by the entry prologue: a copy
 * of run->base[rgn] for every region the program checks at run time or
 * masks against speculation (and the context's, see ipo_x86_addr()), and
 * for every (region, width) it checks, the number of valid offsets
 * (count = size - width + 1, or 0 when the region is shorter than the
 * width) if a full check uses it, and the last valid address (base +
 * count - 1) if a short check does.  A full check is then one subtraction,
 * one compare against the count and a conditional move, a short check one
 * compare against the last address and the conditional move
 * (ipo_x86_check()).  The regions of a run do not change while it runs
 * (struct ipo_run), so the copies stay exact.  The frame belongs to the
 * run, not to a function: r9 keeps it in every function (callees get it
 * as it is), and the slots are planned over the whole program.  It is 16
 * bytes with no run-time checks, 32-48 for the usual one region and one or
 * two widths, and at most 16 + 8 * 9 * IPO_NR_REGIONS = 520 bytes.
 *
 * A local call is a native call.  All eBPF frames share the 512 bytes, as in
 * the interpreter: the caller passes the callee's r10 (its own r10 minus its
 * frame size rounded to 16) in r11; the callee pushes rbp rbx r13 r14 r15,
 * so each call level takes exactly IPO_X86_CALL_FRAME bytes of native stack
 * below the run frame and the call depth is (r9 - rsp) / 48.  Aborts from
 * any depth reset rsp to r9.
 */
#include "jit.h"
#include "undo.h"

/* x86 register numbers as encoded. */
enum {
	X86_RAX = 0, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI,
	X86_RDI, X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14,
	X86_R15,
};

static const u8 ipo_x86_reg[IPO_NREGS] = {
	[IPO_R0] = X86_RAX,
	[IPO_R1] = X86_RDI,
	[IPO_R2] = X86_RSI,
	[IPO_R3] = X86_RDX,
	[IPO_R4] = X86_RCX,
	[IPO_R5] = X86_R8,
	[IPO_R6] = X86_RBX,
	[IPO_R7] = X86_R13,
	[IPO_R8] = X86_R14,
	[IPO_R9] = X86_R15,
	[IPO_R10] = X86_RBP,
};

#define X86_FUEL	X86_R12
#define X86_FRAME	X86_R9		/* the run frame */
#define X86_AX		X86_R10		/* scratch */
#define X86_AX2		X86_R11		/* scratch; callee's r10 at a call */

/* Condition codes (low nibble of jcc/setcc/cmovcc). */
enum {
	X86_CC_B = 0x2, X86_CC_AE = 0x3, X86_CC_E = 0x4, X86_CC_NE = 0x5,
	X86_CC_BE = 0x6, X86_CC_A = 0x7, X86_CC_S = 0x8, X86_CC_NS = 0x9,
	X86_CC_L = 0xc,
	X86_CC_GE = 0xd, X86_CC_LE = 0xe, X86_CC_G = 0xf,
};

/* ipo_x86_op() flags */
#define OPF_W		0x01	/* REX.W: 64-bit operand size */
#define OPF_66		0x02	/* 16-bit operand size */
#define OPF_B8		0x04	/* byte registers: spl/bpl/sil/dil need REX */
#define OPF_LOCK	0x08
#define OPF_MEM		0x10	/* rm is a base register with displacement */

/* Native stack per local call level: return address + 5 pushes. */
#define IPO_X86_CALL_FRAME	48
/* Entry frame between the eBPF stack and the run frame: 5 pushes + padding. */
#define IPO_X86_ENTRY_SAVE	48

/* The run frame at r9: fixed slots, then one per constant of the run. */
#define FR_RUN			0	/* struct ipo_run * */
#define FR_ZERO			8	/* 0, what a failed check's cmov loads */
#define FR_SLOT(i)		(16 + 8 * (s32)(i))
/* Bytes of the subprogram prologue, see ipo_x86_subprog_prologue(). */
#define IPO_X86_SUB_PROLOGUE	15

#define RUN_OFF(f)		((s32)offsetof(struct ipo_run, f))
#define RUN_BASE(rgn)		(RUN_OFF(base) + 8 * (rgn))
#define RUN_SIZE(rgn)		(RUN_OFF(size) + 8 * (rgn))

/* Fixup kinds. */
enum {
	FX_JMP,		/* rel32 to the code of instruction .target */
	FX_CALL,	/* rel32 to the prologue of subprogram .target */
	FX_LABEL,	/* rel32 to common tail .target (enum ipo_x86_label) */
	FX_ABORT,	/* rel32 to a stub aborting at pc .target (.reason) */
	FX_HELPER,	/* rel32 to helper .target, resolved at install */
	FX_THUNK,	/* rel32 to the return thunk, resolved at install */
	FX_UNDO,	/* rel32 to ipo_undo_touch(), resolved at install */
};

enum ipo_x86_label {
	LBL_EXIT,		/* store fuel, restore, return rax */
	LBL_ABORT,		/* r10d = reason, r11d = pc */
	LBL_HELPER_ABORT,	/* r11d = pc; run->abort set by the helper */
	/* + log2 width, or + 4 (size in r11): the undo stubs, ipo_x86_undo() */
	LBL_UNDO,
	NR_LABELS = LBL_UNDO + 5,
};

/* FX_ABORT reason: a helper set run->abort itself. */
#define RSN_HELPER_SET		0xff
/* FX_ABORT reason: r10d holds it (what ipo_undo_touch() returned). */
#define RSN_R10			0xfe

struct ipo_x86_fixup {
	u32 at;		/* offset of the rel32 field */
	u32 target;
	u32 next;	/* FX_JMP/FX_CALL: next pending on the target, +1 */
	u8 kind;
	u8 reason;
};

struct ipo_x86 {
	const struct ipo_prog *prog;
	void *thunk;		/* the return thunk, or NULL: ret */
	bool near_text;		/* helpers in rel32 reach: no veneers */
	/* the byte sink */
	u8 *buf;
	u32 len;
	u32 cap;
	u32 max;		/* the most it may hold: see ipo_jit_mem */
	int err;		/* sticky: once set nothing more is emitted */
	/* positions */
	u32 *insn_off;		/* len + 1 */
	u32 *pend;		/* per insn: first pending forward fixup, +1 */
	u32 cur_func;		/* first instruction of the current function */
	u32 label[NR_LABELS];
	struct ipo_x86_fixup *fx;
	u32 nr_fx;
	u32 cap_fx;
	u32 *veneer;		/* per helper id: veneer offset, +1 */
	u32 undo_veneer;	/* ipo_undo_touch()'s veneer offset, +1 */
	bool undo_used[5];	/* undo stubs called, see LBL_UNDO */
	u8 slot_map;		/* run frame slot of run->undo_map, +1 */
	/*
	 * the run frame: slot of each base (of a region checked at run time
	 * or masked, IPO_AUX_SPEC_MASK, and of the context for
	 * IPO_AUX_SPEC_EXACT), count of valid offsets and last valid
	 * address, +1 (0: none); by log2 of the access width
	 */
	u8 slot_base[IPO_NR_REGIONS];
	u8 slot_lim[IPO_NR_REGIONS][4];
	u8 slot_last[IPO_NR_REGIONS][4];
	u32 nr_slots;
	u32 frame;		/* bytes of the run frame, a multiple of 16 */
};

/* ---- byte sink ---------------------------------------------------------- */

static void ipo_x86_fail(struct ipo_x86 *j, int err)
{
	if (!j->err)
		j->err = err;
}

/* Room for @n more bytes; grows by doubling up to j->max. */
static bool ipo_x86_room(struct ipo_x86 *j, u32 n)
{
	u32 cap;
	u8 *nb;

	if (j->err)
		return false;
	if (j->cap - j->len >= n)
		return true;
	if (j->len + n > j->max) {
		ipo_x86_fail(j, -E2BIG);
		return false;
	}
	cap = j->cap ? j->cap : 4096;
	while (cap - j->len < n)
		cap = cap > j->max / 2 ? j->max : cap * 2;
	nb = ipo_zalloc(cap);
	if (!nb) {
		ipo_x86_fail(j, -ENOMEM);
		return false;
	}
	if (j->len)
		memcpy(nb, j->buf, j->len);
	ipo_free(j->buf);
	j->buf = nb;
	j->cap = cap;
	return true;
}

static void emit1(struct ipo_x86 *j, u8 b)
{
	if (ipo_x86_room(j, 1))
		j->buf[j->len++] = b;
}

static void emit2(struct ipo_x86 *j, u16 v)
{
	emit1(j, v);
	emit1(j, v >> 8);
}

static void emit4(struct ipo_x86 *j, u32 v)
{
	emit2(j, v);
	emit2(j, v >> 16);
}

static void emit8(struct ipo_x86 *j, u64 v)
{
	emit4(j, v);
	emit4(j, v >> 32);
}

/* Overwrites the rel32 at @at so that it reaches @dest. */
static void ipo_x86_patch(struct ipo_x86 *j, u32 at, u32 dest)
{
	s32 rel = (s32)(dest - (at + 4));

	if (j->err || at + 4 > j->len)
		return;
	j->buf[at] = rel;
	j->buf[at + 1] = rel >> 8;
	j->buf[at + 2] = rel >> 16;
	j->buf[at + 3] = rel >> 24;
}

/* ---- REX, ModRM --------------------------------------------------------- */

static bool is_imm8(s64 v)
{
	return v >= -128 && v <= 127;
}

/*
 * One instruction with a ModRM operand: [lock] [66] [REX] opcode (one byte,
 * or 0x0f and one byte when @opc > 0xff) ModRM [SIB] [disp].  @reg is the
 * ModRM reg field (a register or an opcode extension), @rm a register, or
 * with OPF_MEM the base of [rm + disp].
 */
static void ipo_x86_op(struct ipo_x86 *j, u32 flags, u32 opc, u8 reg, u8 rm,
		       s32 disp)
{
	u8 rex = 0x40;
	bool need_rex = false;

	if (flags & OPF_LOCK)
		emit1(j, 0xf0);				/* lock */
	if (flags & OPF_66)
		emit1(j, 0x66);				/* operand size */
	if (flags & OPF_W)
		rex |= 0x08, need_rex = true;
	if (reg & 8)
		rex |= 0x04, need_rex = true;
	if (rm & 8)
		rex |= 0x01, need_rex = true;
	/* Without REX, 4..7 as a byte register are ah/ch/dh/bh. */
	if ((flags & OPF_B8) && ((reg >= 4 && reg <= 7) ||
				 (!(flags & OPF_MEM) && rm >= 4 && rm <= 7)))
		need_rex = true;
	if (need_rex)
		emit1(j, rex);
	if (opc > 0xff)
		emit1(j, opc >> 8);
	emit1(j, opc);
	if (!(flags & OPF_MEM)) {
		emit1(j, 0xc0 | (reg & 7) << 3 | (rm & 7));	/* mod 11 */
		return;
	}
	/* [rbp]/[r13] have no disp-less form; [rsp]/[r12] need a SIB. */
	if (!disp && (rm & 7) != X86_RBP) {
		emit1(j, (reg & 7) << 3 | (rm & 7));
		if ((rm & 7) == X86_RSP)
			emit1(j, 0x24);
	} else if (is_imm8(disp)) {
		emit1(j, 0x40 | (reg & 7) << 3 | (rm & 7));
		if ((rm & 7) == X86_RSP)
			emit1(j, 0x24);
		emit1(j, disp);
	} else {
		emit1(j, 0x80 | (reg & 7) << 3 | (rm & 7));
		if ((rm & 7) == X86_RSP)
			emit1(j, 0x24);
		emit4(j, disp);
	}
}

static void ipo_x86_push(struct ipo_x86 *j, u8 r)
{
	if (r & 8)
		emit1(j, 0x41);				/* REX.B */
	emit1(j, 0x50 | (r & 7));			/* push r */
}

static void ipo_x86_pop(struct ipo_x86 *j, u8 r)
{
	if (r & 8)
		emit1(j, 0x41);				/* REX.B */
	emit1(j, 0x58 | (r & 7));			/* pop r */
}

static void ipo_x86_endbr64(struct ipo_x86 *j)
{
	emit4(j, 0xfa1e0ff3);				/* endbr64 */
}

/* ---- instruction helpers ------------------------------------------------ */

/* mov dst, src (64-bit) or mov dst32, src32 (zero-extends). */
static void ipo_x86_mov(struct ipo_x86 *j, bool is64, u8 dst, u8 src)
{
	ipo_x86_op(j, is64 ? OPF_W : 0, 0x89, src, dst, 0); /* mov dst, src */
}

/* Loads an immediate, sign-extended (64) or as 32 bits (zero-extended). */
static void ipo_x86_mov_imm(struct ipo_x86 *j, bool is64, u8 dst, s32 imm)
{
	if (!imm) {
		ipo_x86_op(j, 0, 0x31, dst, dst, 0);	/* xor dst32, dst32 */
	} else if (is64 && imm < 0) {
		ipo_x86_op(j, OPF_W, 0xc7, 0, dst, 0);	/* mov dst, simm32 */
		emit4(j, imm);
	} else {
		if (dst & 8)
			emit1(j, 0x41);			/* REX.B */
		emit1(j, 0xb8 | (dst & 7));		/* mov dst32, imm32 */
		emit4(j, imm);
	}
}

static void ipo_x86_mov_imm64(struct ipo_x86 *j, u8 dst, u64 imm)
{
	if (imm == (u64)(u32)imm) {
		ipo_x86_mov_imm(j, false, dst, (s32)imm);
	} else if (imm == (u64)(s64)(s32)imm) {
		ipo_x86_mov_imm(j, true, dst, (s32)imm);
	} else {
		emit1(j, 0x48 | (dst >> 3));		/* REX.W */
		emit1(j, 0xb8 | (dst & 7));		/* movabs dst, imm64 */
		emit8(j, imm);
	}
}

/* ALU op with an immediate: /ext of 0x81, or 0x83 when it fits in 8 bits. */
static void ipo_x86_alu_imm(struct ipo_x86 *j, bool is64, u8 ext, u8 dst,
			    s32 imm)
{
	if (is_imm8(imm)) {
		ipo_x86_op(j, is64 ? OPF_W : 0, 0x83, ext, dst, 0); /* op dst, imm8 */
		emit1(j, imm);
	} else {
		ipo_x86_op(j, is64 ? OPF_W : 0, 0x81, ext, dst, 0); /* op dst, imm32 */
		emit4(j, imm);
	}
}

/* lea dst, [base + disp] */
static void ipo_x86_lea(struct ipo_x86 *j, u8 dst, u8 base, s32 disp)
{
	ipo_x86_op(j, OPF_W | OPF_MEM, 0x8d, dst, base, disp); /* lea dst, [base+disp] */
}

/* mov dst, qword [base + disp] */
static void ipo_x86_ldq(struct ipo_x86 *j, u8 dst, u8 base, s32 disp)
{
	ipo_x86_op(j, OPF_W | OPF_MEM, 0x8b, dst, base, disp); /* mov dst, [base+disp] */
}

/* mov qword [base + disp], src */
static void ipo_x86_stq(struct ipo_x86 *j, u8 base, s32 disp, u8 src)
{
	ipo_x86_op(j, OPF_W | OPF_MEM, 0x89, src, base, disp); /* mov [base+disp], src */
}

/* Emits a jcc/jmp rel32 with a zero placeholder; returns where the rel32 is. */
static u32 ipo_x86_jcc32(struct ipo_x86 *j, int cc)
{
	if (cc < 0) {
		emit1(j, 0xe9);				/* jmp rel32 */
	} else {
		emit1(j, 0x0f);
		emit1(j, 0x80 | cc);			/* jcc rel32 */
	}
	emit4(j, 0);
	return j->len - 4;
}

/* Patches a local forward jump from ipo_x86_jcc32() to land here. */
static void ipo_x86_here(struct ipo_x86 *j, u32 at)
{
	ipo_x86_patch(j, at, j->len);
}

static void ipo_x86_fixup(struct ipo_x86 *j, u32 at, u8 kind, u32 target,
			  u8 reason)
{
	struct ipo_x86_fixup *f;

	if (j->err)
		return;
	if (j->nr_fx == j->cap_fx) {
		u32 cap = j->cap_fx ? j->cap_fx * 2 : 256;
		struct ipo_x86_fixup *nf;

		nf = ipo_zalloc(sizeof(*nf) * (size_t)cap);
		if (!nf) {
			ipo_x86_fail(j, -ENOMEM);
			return;
		}
		if (j->nr_fx)
			memcpy(nf, j->fx, sizeof(*nf) * (size_t)j->nr_fx);
		ipo_free(j->fx);
		j->fx = nf;
		j->cap_fx = cap;
	}
	f = &j->fx[j->nr_fx];
	f->at = at;
	f->kind = kind;
	f->target = target;
	f->reason = reason;
	f->next = 0;
	if (kind == FX_JMP || kind == FX_CALL) {
		/* Chained on the target, patched when it is reached. */
		f->next = j->pend[target];
		j->pend[target] = j->nr_fx + 1;
	}
	j->nr_fx++;
}

/* Conditional (cc >= 0) or plain jump to an abort stub for @pc. */
static void ipo_x86_abort_if(struct ipo_x86 *j, int cc, u32 pc, u8 reason)
{
	ipo_x86_fixup(j, ipo_x86_jcc32(j, cc), FX_ABORT, pc, reason);
}

static void ipo_x86_jmp_label(struct ipo_x86 *j, int cc, enum ipo_x86_label l)
{
	ipo_x86_fixup(j, ipo_x86_jcc32(j, cc), FX_LABEL, l, 0);
}

/*
 * A function's return.  Where the CPU needs a return thunk (retbleed,
 * SRSO, ITS) the code memory provider hands one down
 * (ipo_jit_mem.ret_thunk) and every return jumps there, as the kernel's
 * own code and its BPF JIT do; else a ret, with an int3 after it so that
 * no straight-line speculation runs past it (CONFIG_SLS).
 */
static void ipo_x86_ret(struct ipo_x86 *j)
{
	if (!j->thunk) {
		emit1(j, 0xc3);				/* ret */
		emit1(j, 0xcc);				/* int3 */
		return;
	}
	emit1(j, 0xe9);					/* jmp thunk */
	emit4(j, 0);
	ipo_x86_fixup(j, j->len - 4, FX_THUNK, 0, 0);
}

/* Charges @cost fuel; aborts with IPO_ABORT_FUEL at @pc when it goes < 0. */
static void ipo_x86_fuel(struct ipo_x86 *j, u32 pc, u32 cost)
{
	ipo_x86_alu_imm(j, true, 5, X86_FUEL, cost);	/* sub r12, cost */
	ipo_x86_abort_if(j, X86_CC_S, pc, IPO_ABORT_FUEL); /* js abort */
}

/*
 * Jump to instruction @target: backward to a known offset (rel8 when it
 * reaches), or forward through a fixup.
 */
static void ipo_x86_jmp_insn(struct ipo_x86 *j, int cc, u32 target,
			     bool backward)
{
	u32 at;

	if (backward && !j->err) {
		/* The jump is 2 bytes: rel8 counts from after it. */
		s64 rel = (s64)j->insn_off[target] - (s64)(j->len + 2);

		if (is_imm8(rel)) {
			emit1(j, cc < 0 ? 0xeb : 0x70 | cc); /* jmp/jcc rel8 */
			emit1(j, (u8)rel);
			return;
		}
	}
	at = ipo_x86_jcc32(j, cc);			/* jcc/jmp target */
	if (backward)
		ipo_x86_patch(j, at, j->insn_off[target]);
	else
		ipo_x86_fixup(j, at, FX_JMP, target, 0);
}

static u32 ipo_x86_frame(const struct ipo_prog *prog, u32 func)
{
	return (prog->aux[func].stack_depth + 15) & ~15U;
}

/* log2 of an access width of 1, 2, 4 or 8 bytes. */
static u32 ipo_x86_wlog(u8 size)
{
	return size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;
}

/*
 * Does the access at @aux get the short check?  Only when the verifier
 * found its offset constant and inside [0, IPO_PTR_BOUND] on every visit.
 */
static bool ipo_x86_short_check(const struct ipo_insn_aux *aux)
{
	return !(aux->flags & IPO_AUX_RT_FULL);
}

/* r11 = reg + off: the address of an access. */
static void ipo_x86_addr_r11(struct ipo_x86 *j, u8 reg, s16 off)
{
	if (off)
		ipo_x86_lea(j, X86_AX2, reg, off);	/* lea r11, [reg+off] */
	else
		ipo_x86_mov(j, true, X86_AX2, reg);	/* mov r11, reg */
}

/*
 * r11 = reg + off and r10 = its offset from the base in frame slot @sb,
 * which wraps to a huge value when the address lies below the base.
 */
static void ipo_x86_offset(struct ipo_x86 *j, u8 reg, s16 off, u32 sb)
{
	ipo_x86_addr_r11(j, reg, off);
	ipo_x86_mov(j, true, X86_AX, X86_AX2);		/* mov r10, r11 */
	ipo_x86_op(j, OPF_W | OPF_MEM, 0x2b, X86_AX, X86_FRAME,
		   FR_SLOT(sb - 1));			/* sub r10, [r9+base] */
}

/*
 * Run-time bounds check of [reg + off, +size) against region @rgn, in the
 * interpreter's terms: addr >= base, off <= len, len - off >= size, i.e.
 * off = addr - base is below the number of valid offsets, which the entry
 * prologue computed into the run frame (ipo_x86_run_frame()).  On success
 * r11 holds the address to use, which is the region's base on a
 * mispredicted path (the cmov reads the flags of the compare, not a
 * prediction), so speculation cannot reach past the region either.
 *
 * The full check.  One unsigned compare covers addr < base: the offset
 * then wraps to at least 2^64 - base, which is below the number of valid
 * offsets only for a region that wraps around the address space, and no
 * region does.
 *
 *	lea	r11, [reg + off]	; addr
 *	mov	r10, r11
 *	sub	r10, [r9 + base]	; offset (wraps when addr < base)
 *	cmp	r10, [r9 + valid]	; number of valid offsets
 *	jae	abort
 *	cmovae	r11, [r9 + base]	; the base when speculating past jae
 *
 * The short check, when the verifier found the offset o = addr - base
 * constant and inside [0, IPO_PTR_BOUND] on every path (IPO_AUX_RT_FULL
 * clear): a field at a fixed place in a region of run-time size.  Then
 * addr >= base, and addr = base + o does not wrap: base lies below the
 * top IPO_PTR_BOUND bytes of the address space (struct ipo_run).  So the
 * offset is valid exactly when addr <= last = base + valid - 1, which is
 * the start of the last valid access when valid > 0 (inside the region,
 * which does not wrap) and base - 1 when the region is shorter than the
 * width (no wrap either: base is not in the first page): every address
 * fails then, as it must.  An inclusive "last" rather than an "end" needs
 * no assumption about the region's end, and jb/cmovb test one flag.
 *
 *	lea	r11, [reg + off]	; addr
 *	cmp	[r9 + last], r11	; last valid address - addr
 *	jb	abort
 *	cmovb	r11, [r9 + base]	; the base when speculating past jb
 *
 * Speculation past the jb gets the base, as above.  addr >= base is the
 * verifier's proof, not a run-time test; with a constant offset it holds
 * on every path, speculative or not, as no index is involved that a
 * mispredicted branch could have left out of range.  A variable offset,
 * or a constant one a register moved (IPO_VRF_MOVED), gets the full
 * check, which masks both ends.
 */
static void ipo_x86_check(struct ipo_x86 *j, u32 pc, u8 reg, s16 off,
			  u8 size, u8 rgn, bool short_check)
{
	u32 w = ipo_x86_wlog(size), sb = j->slot_base[rgn];
	u32 sl = short_check ? j->slot_last[rgn][w] : j->slot_lim[rgn][w];

	if (!sb || !sl) {
		/* The scan in ipo_x86_plan_frame() missed this access. */
		ipo_x86_fail(j, -EINVAL);
		return;
	}
	if (!short_check) {
		ipo_x86_offset(j, reg, off, sb);
		ipo_x86_op(j, OPF_W | OPF_MEM, 0x3b, X86_AX, X86_FRAME,
			   FR_SLOT(sl - 1));		/* cmp r10, [r9+valid] */
		ipo_x86_abort_if(j, X86_CC_AE, pc, IPO_ABORT_BOUNDS);
							/* jae abort */
		ipo_x86_op(j, OPF_W | OPF_MEM, 0x0f40 | X86_CC_AE, X86_AX2,
			   X86_FRAME, FR_SLOT(sb - 1));	/* cmovae r11, [r9+base] */
		return;
	}
	ipo_x86_addr_r11(j, reg, off);
	ipo_x86_op(j, OPF_W | OPF_MEM, 0x39, X86_AX2, X86_FRAME,
		   FR_SLOT(sl - 1));			/* cmp [r9+last], r11 */
	ipo_x86_abort_if(j, X86_CC_B, pc, IPO_ABORT_BOUNDS); /* jb abort */
	ipo_x86_op(j, OPF_W | OPF_MEM, 0x0f40 | X86_CC_B, X86_AX2,
		   X86_FRAME, FR_SLOT(sb - 1));		/* cmovb r11, [r9+base] */
}

/*
 * A proven access whose address a register scalar set (IPO_AUX_SPEC_MASK):
 * r11 is the address, or the region's base when its offset from the base
 * is not below the count of valid offsets the verifier proved, which only
 * a jump mispredicted past the test that bounded the register can make
 * it.  An address below the base wraps to a huge offset and is masked
 * too.  No branch, so nothing to mispredict:
 *
 *	lea	r11, [reg + off]	; addr
 *	mov	r10, r11
 *	sub	r10, [r9 + base]	; offset
 *	cmp	r10, valid		; number of valid offsets
 *	cmovae	r11, [r9 + base]	; the base past the last valid offset
 *
 * Offsets the verifier proves lie below IPO_PTR_BOUND plus a few bytes,
 * so a count beyond S32_MAX (an imm32) is compared as S32_MAX without
 * masking any of them.  cmovae, not cmova against valid - 1: a cmova
 * from memory made the masked copy loop of `make bench-jit` a quarter
 * slower on AMD EPYC.
 */
static void ipo_x86_mask(struct ipo_x86 *j, u8 reg, s16 off,
			 const struct ipo_insn_aux *aux)
{
	u32 sb = j->slot_base[aux->region];

	if (!sb || !aux->spec_valid) {
		/* Missed by ipo_x86_plan_frame(), or no proof recorded. */
		ipo_x86_fail(j, -EINVAL);
		return;
	}
	ipo_x86_offset(j, reg, off, sb);
	ipo_x86_alu_imm(j, true, 7, X86_AX,
			(s32)min_t(u32, aux->spec_valid, S32_MAX));
						/* cmp r10, valid */
	ipo_x86_op(j, OPF_W | OPF_MEM, 0x0f40 | X86_CC_AE, X86_AX2, X86_FRAME,
		   FR_SLOT(sb - 1));			/* cmovae r11, [r9+base] */
}

/*
 * A proven access whose offset the verifier bounded by the region's
 * run-time size, not by a size it knows (IPO_AUX_SPEC_DYN): the full
 * check's mask without its branch, as nothing can fail.
 *
 *	lea	r11, [reg + off]	; addr
 *	mov	r10, r11
 *	sub	r10, [r9 + base]	; offset
 *	cmp	r10, [r9 + valid]	; run-time count of valid offsets
 *	cmovae	r11, [r9 + base]	; the base past the last valid offset
 */
static void ipo_x86_mask_dyn(struct ipo_x86 *j, u8 reg, s16 off, u8 size,
			     u8 rgn)
{
	u32 sb = j->slot_base[rgn], sl = j->slot_lim[rgn][ipo_x86_wlog(size)];

	if (!sb || !sl) {
		ipo_x86_fail(j, -EINVAL);	/* missed by the plan */
		return;
	}
	ipo_x86_offset(j, reg, off, sb);
	ipo_x86_op(j, OPF_W | OPF_MEM, 0x3b, X86_AX, X86_FRAME,
		   FR_SLOT(sl - 1));			/* cmp r10, [r9+valid] */
	ipo_x86_op(j, OPF_W | OPF_MEM, 0x0f40 | X86_CC_AE, X86_AX2, X86_FRAME,
		   FR_SLOT(sb - 1));			/* cmovae r11, [r9+base] */
}

/*
 * A stack access at a variable offset into the current frame
 * (IPO_AUX_SPEC_FRAME): kept inside the bytes the verifier proved,
 * [rbp + spec_lo, + spec_valid - 1 + width), whatever a mispredicted jump
 * left in the index.  No branch:
 *
 *	lea	r11, [reg + off]	; addr
 *	lea	r10, [rbp + lo]		; first valid address
 *	neg	r10
 *	add	r10, r11		; offset from it (wraps when below)
 *	cmp	r10, valid
 *	lea	r10, [rbp + lo]
 *	cmovae	r11, r10		; the first valid address past the last
 */
static void ipo_x86_mask_frame(struct ipo_x86 *j, u8 reg, s16 off,
			       const struct ipo_insn_aux *aux)
{
	if (!aux->spec_valid || aux->spec_valid > IPO_STACK_SIZE) {
		ipo_x86_fail(j, -EINVAL);
		return;
	}
	ipo_x86_addr_r11(j, reg, off);
	ipo_x86_lea(j, X86_AX, X86_RBP, aux->spec_lo);	/* lea r10, [rbp+lo] */
	ipo_x86_op(j, OPF_W, 0xf7, 3, X86_AX, 0);	/* neg r10 */
	ipo_x86_op(j, OPF_W, 0x01, X86_AX2, X86_AX, 0);	/* add r10, r11 */
	ipo_x86_alu_imm(j, true, 7, X86_AX, (s32)aux->spec_valid);
							/* cmp r10, valid */
	ipo_x86_lea(j, X86_AX, X86_RBP, aux->spec_lo);	/* lea r10, [rbp+lo] */
	ipo_x86_op(j, OPF_W, 0x0f40 | X86_CC_AE, X86_AX2, X86_AX, 0);
							/* cmovae r11, r10 */
}

/*
 * The memory operand of a load, store or atomic at @pc: [reg + off], or
 * [r11] after a run-time check or a mask when the verifier asked for one
 * (IPO_AUX_RT_CHECK, IPO_AUX_SPEC_MASK), or the offset it proved, without
 * the register, for a stack or context access through a pointer a
 * register moved (IPO_AUX_SPEC_EXACT: [rbp + off], the frame pointer, or
 * [r11 + off] with the context's base in r11).
 */
static void ipo_x86_addr(struct ipo_x86 *j, u32 pc, u8 reg, s16 off, u8 size,
			 u8 *base, s32 *disp)
{
	const struct ipo_insn_aux *aux = &j->prog->aux[pc];

	*base = X86_AX2;
	*disp = 0;
	if (aux->region >= IPO_NR_REGIONS ||
	    (aux->flags & IPO_AUX_SPEC_EXACT && aux->spec_off == S32_MIN)) {
		ipo_x86_fail(j, -EINVAL);
	} else if (aux->flags & IPO_AUX_RT_CHECK) {
		ipo_x86_check(j, pc, reg, off, size, aux->region,
			      ipo_x86_short_check(aux));
	} else if (aux->flags & IPO_AUX_SPEC_DYN) {
		ipo_x86_mask_dyn(j, reg, off, size, aux->region);
	} else if (aux->flags & IPO_AUX_SPEC_FRAME) {
		ipo_x86_mask_frame(j, reg, off, aux);
	} else if (aux->flags & IPO_AUX_SPEC_MASK) {
		ipo_x86_mask(j, reg, off, aux);
	} else if (!(aux->flags & IPO_AUX_SPEC_EXACT)) {
		*base = reg;
		*disp = off;
	} else if (aux->region == IPO_RGN_STACK) {
		*base = X86_RBP;			/* [rbp + off] */
		*disp = aux->spec_off;
	} else if (aux->region == IPO_RGN_CTX && j->slot_base[IPO_RGN_CTX]) {
		ipo_x86_ldq(j, X86_AX2, X86_FRAME,
			    FR_SLOT(j->slot_base[IPO_RGN_CTX] - 1));
						/* mov r11, [r9+base_ctx] */
		*disp = aux->spec_off;			/* [r11 + off] */
	} else {
		ipo_x86_fail(j, -EINVAL);
	}
}

/* ---- translation -------------------------------------------------------- */

/*
 * Gives every region the program checks at run time or masks a slot for
 * its base (the context too when an access is made at its proven offset),
 * and every (region, width) a slot for the count of valid offsets if a
 * full check uses it and one for the last valid address if a short check
 * does; sizes the frame.  A scan of the verifier's marks, not of the
 * code: the one pass comes after.
 */
static void ipo_x86_plan_frame(struct ipo_x86 *j)
{
	const struct ipo_prog *prog = j->prog;
	u32 pc;

	for (pc = 0; pc < prog->len; pc++) {
		const struct ipo_insn_aux *aux = &prog->aux[pc];
		const struct ipo_opinfo *oi = &ipo_opinfo[prog->insns[pc].code];
		u8 rgn = aux->region, *slot;
		u32 w;

		if (!(aux->flags & IPO_AUX_SEEN) || rgn >= IPO_NR_REGIONS)
			continue;
		if ((aux->flags & IPO_AUX_OBJ_WRITE) && !j->slot_map)
			j->slot_map = ++j->nr_slots;
		if (oi->kind != IPO_K_LDX && oi->kind != IPO_K_ST &&
		    oi->kind != IPO_K_STX && oi->kind != IPO_K_ATOMIC)
			continue;
		/* A write into the object: its first touch is logged. */
		if (oi->kind != IPO_K_LDX && rgn == IPO_RGN_OBJ) {
			if (!j->slot_base[rgn])
				j->slot_base[rgn] = ++j->nr_slots;
			if (!j->slot_map)
				j->slot_map = ++j->nr_slots;
		}
		if (!(aux->flags & (IPO_AUX_RT_CHECK | IPO_AUX_SPEC_DYN))) {
			bool base = (aux->flags & IPO_AUX_SPEC_MASK) ||
				    ((aux->flags & IPO_AUX_SPEC_EXACT) &&
				     rgn == IPO_RGN_CTX);

			if (base && !j->slot_base[rgn])
				j->slot_base[rgn] = ++j->nr_slots;
			continue;
		}
		w = ipo_x86_wlog(oi->size);
		/* A dynamic mask uses the full check's count. */
		slot = (aux->flags & IPO_AUX_RT_CHECK) &&
		       ipo_x86_short_check(aux) ? &j->slot_last[rgn][w] :
						  &j->slot_lim[rgn][w];
		if (!j->slot_base[rgn])
			j->slot_base[rgn] = ++j->nr_slots;
		if (!*slot)
			*slot = ++j->nr_slots;
	}
	j->frame = (FR_SLOT(j->nr_slots) + 15) & ~15U;
}

/*
 * Fills the run frame from the run (in r11): the base of each region
 * checked at run time or masked, and for each width checked, the number of valid
 * offsets, size - (width - 1) saturated at 0, and/or the last valid
 * address, base + that count - 1 (base - 1 for a count of 0).
 */
static void ipo_x86_run_frame(struct ipo_x86 *j)
{
	u32 rgn, w;

	ipo_x86_stq(j, X86_FRAME, FR_RUN, X86_AX2);	/* mov [r9+run], r11 */
	ipo_x86_op(j, OPF_W | OPF_MEM, 0xc7, 0, X86_FRAME, FR_ZERO);
	emit4(j, 0);					/* mov qword [r9+zero], 0 */
	if (j->slot_map) {
		ipo_x86_ldq(j, X86_AX, X86_AX2, RUN_OFF(undo_map));
							/* mov r10, [r11+undo_map] */
		ipo_x86_stq(j, X86_FRAME, FR_SLOT(j->slot_map - 1), X86_AX);
							/* mov [r9+map], r10 */
	}
	for (rgn = 0; rgn < IPO_NR_REGIONS; rgn++) {
		if (!j->slot_base[rgn])
			continue;
		ipo_x86_ldq(j, X86_AX, X86_AX2, RUN_BASE(rgn)); /* mov r10, [r11+base] */
		ipo_x86_stq(j, X86_FRAME, FR_SLOT(j->slot_base[rgn] - 1), X86_AX);
							/* mov [r9+slot], r10 */
		for (w = 0; w < 4; w++) {
			u32 lim = j->slot_lim[rgn][w];
			u32 last = j->slot_last[rgn][w];

			if (!lim && !last)
				continue;
			ipo_x86_ldq(j, X86_AX, X86_AX2, RUN_SIZE(rgn));
							/* mov r10, [r11+size] */
			if (w) {
				ipo_x86_alu_imm(j, true, 5, X86_AX,
						(1 << w) - 1); /* sub r10, width-1 */
				ipo_x86_op(j, OPF_W | OPF_MEM,
					   0x0f40 | X86_CC_B, X86_AX, X86_FRAME,
					   FR_ZERO);	/* cmovb r10, [r9+zero] */
			}
			if (lim)
				ipo_x86_stq(j, X86_FRAME, FR_SLOT(lim - 1),
					    X86_AX);	/* mov [r9+slot], r10 */
			if (!last)
				continue;
			ipo_x86_op(j, OPF_W | OPF_MEM, 0x03, X86_AX, X86_FRAME,
				   FR_SLOT(j->slot_base[rgn] - 1));
							/* add r10, [r9+base] */
			ipo_x86_alu_imm(j, true, 5, X86_AX, 1); /* sub r10, 1 */
			ipo_x86_stq(j, X86_FRAME, FR_SLOT(last - 1), X86_AX);
							/* mov [r9+slot], r10 */
		}
	}
}

static void ipo_x86_prologue(struct ipo_x86 *j)
{
	u32 clear = min_t(u32, j->prog->stack_depth, IPO_STACK_SIZE);
	u32 loop;

	clear = (clear + 15) & ~15U;
	ipo_x86_endbr64(j);
	emit1(j, 0x55);					/* push rbp */
	ipo_x86_mov(j, true, X86_RBP, X86_RSP);		/* mov rbp, rsp */
	ipo_x86_alu_imm(j, true, 5, X86_RSP, IPO_STACK_SIZE); /* sub rsp, 512 */
	ipo_x86_push(j, X86_RBX);			/* push rbx */
	ipo_x86_push(j, X86_R12);			/* push r12 */
	ipo_x86_push(j, X86_R13);			/* push r13 */
	ipo_x86_push(j, X86_R14);			/* push r14 */
	ipo_x86_push(j, X86_R15);			/* push r15 */
	ipo_x86_alu_imm(j, true, 5, X86_RSP, 8 + j->frame); /* sub rsp, 8+frame */
	ipo_x86_mov(j, true, X86_AX2, X86_R9);		/* mov r11, r9 (run) */
	ipo_x86_mov(j, true, X86_FRAME, X86_RSP);	/* mov r9, rsp */
	ipo_x86_ldq(j, X86_FUEL, X86_AX2, RUN_OFF(fuel)); /* mov r12, [r11+fuel] */
	ipo_x86_op(j, OPF_MEM, 0xc7, 0, X86_AX2, RUN_OFF(abort));
	emit4(j, IPO_RUN_OK);				/* mov dword [r11+abort], 0 */
	ipo_x86_op(j, OPF_MEM, 0xc7, 0, X86_AX2, RUN_OFF(abort_pc));
	emit4(j, 0);					/* mov dword [r11+abort_pc], 0 */
	ipo_x86_lea(j, X86_AX, X86_RBP, -IPO_STACK_SIZE); /* lea r10, [rbp-512] */
	ipo_x86_stq(j, X86_AX2, RUN_BASE(IPO_RGN_STACK), X86_AX);
							/* mov [r11+base_stack], r10 */
	ipo_x86_op(j, OPF_W | OPF_MEM, 0xc7, 0, X86_AX2,
		   RUN_SIZE(IPO_RGN_STACK));
	emit4(j, IPO_STACK_SIZE);			/* mov qword [r11+size_stack], 512 */
	ipo_x86_run_frame(j);

	/* Registers the program has not written read as zero, as in C. */
	ipo_x86_mov_imm(j, false, X86_RAX, 0);		/* xor eax, eax */
	ipo_x86_mov_imm(j, false, X86_RBX, 0);		/* xor ebx, ebx */
	ipo_x86_mov_imm(j, false, X86_R13, 0);		/* xor r13d, r13d */
	ipo_x86_mov_imm(j, false, X86_R14, 0);		/* xor r14d, r14d */
	ipo_x86_mov_imm(j, false, X86_R15, 0);		/* xor r15d, r15d */

	/*
	 * The verifier forbids reading stack it has not seen written; clear
	 * the part in use anyway, like the interpreter, so a verifier bug
	 * cannot leak old kernel stack.
	 */
	if (!clear)
		return;
	ipo_x86_mov_imm(j, true, X86_AX, -(s32)clear);	/* mov r10, -clear */
	loop = j->len;
	emit1(j, 0x4a);					/* REX.W.X */
	emit1(j, 0x89);
	emit1(j, 0x44);					/* ModRM: [SIB + disp8] */
	emit1(j, 0x15);					/* SIB: rbp + r10 */
	emit1(j, 0x00);					/* mov [rbp+r10], rax */
	ipo_x86_alu_imm(j, true, 0, X86_AX, 8);		/* add r10, 8 */
	emit1(j, 0x75);
	emit1(j, (u8)(loop - (j->len + 1)));		/* jnz loop */
}

/* The subprogram prologue, IPO_X86_SUB_PROLOGUE bytes. */
static void ipo_x86_subprog_prologue(struct ipo_x86 *j)
{
	ipo_x86_endbr64(j);				/* endbr64 */
	emit1(j, 0x55);					/* push rbp */
	ipo_x86_push(j, X86_RBX);			/* push rbx */
	ipo_x86_push(j, X86_R13);			/* push r13 */
	ipo_x86_push(j, X86_R14);			/* push r14 */
	ipo_x86_push(j, X86_R15);			/* push r15 */
	ipo_x86_mov(j, true, X86_RBP, X86_AX2);		/* mov rbp, r11 */
}

static void ipo_x86_subprog_exit(struct ipo_x86 *j)
{
	ipo_x86_pop(j, X86_R15);			/* pop r15 */
	ipo_x86_pop(j, X86_R14);			/* pop r14 */
	ipo_x86_pop(j, X86_R13);			/* pop r13 */
	ipo_x86_pop(j, X86_RBX);			/* pop rbx */
	emit1(j, 0x5d);					/* pop rbp */
	ipo_x86_ret(j);					/* ret */
}

static void ipo_x86_undo_helper(struct ipo_x86 *j, u32 pc);

/*
 * Helper @id at @pc: fuel, then the call with the run as sixth argument,
 * then run->abort.  r1..r5 are already in the argument registers.
 */
static void ipo_x86_call_helper(struct ipo_x86 *j, u32 pc, u32 id)
{
	const struct ipo_prog_type *type = j->prog->type;

	ipo_x86_fuel(j, pc, IPO_FUEL_CALL);
	if (id >= type->nr_helpers || !type->helpers[id].fn) {
		/* The verifier allows no such call; abort like the interpreter. */
		ipo_x86_abort_if(j, -1, pc, IPO_ABORT_HELPER); /* jmp abort */
		return;
	}
	/* What the helper costs beyond a call, as in the interpreter. */
	if (type->helpers[id].fuel)
		ipo_x86_fuel(j, pc, type->helpers[id].fuel);
	ipo_x86_undo_helper(j, pc);
	/* Helpers see the fuel left, as in the interpreter. */
	ipo_x86_ldq(j, X86_AX, X86_FRAME, FR_RUN);	/* mov r10, [r9+run] */
	ipo_x86_stq(j, X86_AX, RUN_OFF(fuel), X86_FUEL); /* mov [r10+fuel], r12 */
	ipo_x86_push(j, X86_FRAME);			/* push r9 */
	ipo_x86_push(j, X86_FRAME);			/* push r9 (alignment) */
	ipo_x86_mov(j, true, X86_R9, X86_AX);		/* mov r9, r10 */
	emit1(j, 0xe8);					/* call helper */
	emit4(j, 0);
	ipo_x86_fixup(j, j->len - 4, FX_HELPER, id, 0);
	ipo_x86_pop(j, X86_FRAME);			/* pop r9 */
	ipo_x86_pop(j, X86_FRAME);			/* pop r9 */
	ipo_x86_ldq(j, X86_AX2, X86_FRAME, FR_RUN);	/* mov r11, [r9+run] */
	ipo_x86_op(j, OPF_MEM, 0x83, 7, X86_AX2, RUN_OFF(abort));
	emit1(j, 0);					/* cmp dword [r11+abort], 0 */
	ipo_x86_abort_if(j, X86_CC_NE, pc, RSN_HELPER_SET); /* jne helper abort */
}

/* callx: the id is only known now; compare against each allowed helper. */
static void ipo_x86_callx(struct ipo_x86 *j, u32 pc, u8 reg)
{
	const struct ipo_prog_type *type = j->prog->type;
	u32 id, done_first = 0, done_prev = 0;

	ipo_x86_mov(j, true, X86_AX2, reg);		/* mov r11, reg */
	for (id = 0; id < type->nr_helpers; id++) {
		u32 next;

		if (!type->helpers[id].fn)
			continue;
		ipo_x86_alu_imm(j, true, 7, X86_AX2, id); /* cmp r11, id */
		next = ipo_x86_jcc32(j, X86_CC_NE);	/* jne next */
		ipo_x86_call_helper(j, pc, id);
		/* Chain the "done" jumps through their own rel32 fields. */
		if (!j->err) {
			u32 at = ipo_x86_jcc32(j, -1);	/* jmp done */

			if (done_prev)
				ipo_x86_patch(j, done_prev, at);
			else
				done_first = at;
			done_prev = at;
		}
		ipo_x86_here(j, next);
	}
	ipo_x86_abort_if(j, -1, pc, IPO_ABORT_HELPER);	/* jmp abort */
	/* Walk the chain: each rel32 field points at the next one. */
	while (done_first && !j->err) {
		u32 at = done_first;
		s32 rel;

		memcpy(&rel, j->buf + at, 4);
		done_first = at == done_prev ? 0 : at + 4 + rel;
		ipo_x86_here(j, at);
	}
}

static void ipo_x86_call_local(struct ipo_x86 *j, u32 pc, u32 callee)
{
	const struct ipo_prog *prog = j->prog;
	u32 fs = ipo_x86_frame(prog, j->cur_func);
	u32 at;

	if (callee >= prog->len || !(prog->aux[callee].flags & IPO_AUX_SUBPROG) ||
	    !callee) {
		ipo_x86_fail(j, -EINVAL);
		return;
	}
	ipo_x86_fuel(j, pc, IPO_FUEL_CALL);
	/*
	 * The verifier bounds depth and stack; check once more, cheaply.
	 * rsp is r9 at depth 0 and IPO_X86_CALL_FRAME lower per level;
	 * the eBPF stack starts frame + IPO_X86_ENTRY_SAVE above r9.
	 */
	ipo_x86_lea(j, X86_AX2, X86_RSP, IPO_X86_CALL_FRAME *
		    (IPO_MAX_CALL_DEPTH - 1));		/* lea r11, [rsp+max-1] */
	ipo_x86_op(j, OPF_W, 0x39, X86_FRAME, X86_AX2, 0); /* cmp r11, r9 */
	ipo_x86_abort_if(j, X86_CC_BE, pc, IPO_ABORT_BOUNDS); /* jbe abort */
	ipo_x86_lea(j, X86_AX2, X86_RBP,
		    -(s32)(fs + ipo_x86_frame(prog, callee) + j->frame +
			   IPO_X86_ENTRY_SAVE));	/* lea r11, [rbp-frames-save] */
	ipo_x86_op(j, OPF_W, 0x39, X86_FRAME, X86_AX2, 0); /* cmp r11, r9 */
	ipo_x86_abort_if(j, X86_CC_B, pc, IPO_ABORT_BOUNDS); /* jb abort */
	ipo_x86_lea(j, X86_AX2, X86_RBP, -(s32)fs);	/* lea r11, [rbp-frame] */
	emit1(j, 0xe8);					/* call callee */
	emit4(j, 0);
	at = j->len - 4;
	if (j->err)
		return;
	if (callee <= pc)
		ipo_x86_patch(j, at, j->insn_off[callee] - IPO_X86_SUB_PROLOGUE);
	else
		ipo_x86_fixup(j, at, FX_CALL, callee, 0);
}

/* 32/64-bit shift of dst by register src; x86 masks the count like eBPF. */
static void ipo_x86_shift_x(struct ipo_x86 *j, bool is64, u8 ext, u8 dst,
			    u8 src)
{
	u32 w = is64 ? OPF_W : 0;

	if (src == X86_RCX) {
		ipo_x86_op(j, w, 0xd3, ext, dst, 0);	/* shl/shr/sar dst, cl */
		return;
	}
	ipo_x86_mov(j, true, X86_AX2, X86_RCX);		/* mov r11, rcx */
	ipo_x86_mov(j, true, X86_RCX, src);		/* mov rcx, src */
	if (dst == X86_RCX) {
		ipo_x86_op(j, w, 0xd3, ext, X86_AX2, 0); /* shl/shr/sar r11, cl */
		ipo_x86_mov(j, true, X86_RCX, X86_AX2);	/* mov rcx, r11 */
	} else {
		ipo_x86_op(j, w, 0xd3, ext, dst, 0);	/* shl/shr/sar dst, cl */
		ipo_x86_mov(j, true, X86_RCX, X86_AX2);	/* mov rcx, r11 */
	}
}

/*
 * Division and modulo, unsigned or signed, by a non-zero divisor in r11
 * (and for signed, not -1): x86 div uses rdx:rax, which are r3 and r0.
 * @divisor is the divisor when it is a constant, 0 when it is a register.
 *
 * A 64-bit unsigned division whose operands both fit in 32 bits at run
 * time takes the 32-bit div: a little faster on recent cores, several
 * times on older Intel ones, and its quotient and remainder, zero-extended,
 * are the 64-bit ones.  A constant divisor, sign-extended, is either below
 * 2^31 (only the dividend is tested) or 2^64 - 2^31 and up (no test: the
 * 64-bit div).  rdx is free for the test (saved in r10), and on the 32-bit
 * path the test has left it 0, the high half div wants.
 */
static void ipo_x86_divide(struct ipo_x86 *j, bool is64, bool sdiv, bool mod,
			   u8 dst, u64 divisor)
{
	bool narrow = is64 && !sdiv && divisor <= U32_MAX;
	u32 w = is64 ? OPF_W : 0;
	u32 wide = 0, done = 0;

	emit1(j, 0x50);					/* push rax */
	ipo_x86_mov(j, true, X86_AX, X86_RDX);		/* mov r10, rdx */
	if (dst != X86_RAX)
		ipo_x86_mov(j, is64, X86_RAX, dst);	/* mov rax, dst */
	if (narrow) {
		ipo_x86_mov(j, true, X86_RDX, X86_RAX);	/* mov rdx, rax */
		if (!divisor)
			ipo_x86_op(j, OPF_W, 0x09, X86_AX2, X86_RDX, 0);
							/* or rdx, r11 */
		ipo_x86_op(j, OPF_W, 0xc1, 5, X86_RDX, 0);
		emit1(j, 32);				/* shr rdx, 32 */
		wide = ipo_x86_jcc32(j, X86_CC_NE);	/* jnz wide */
		ipo_x86_op(j, 0, 0xf7, 6, X86_AX2, 0);	/* div r11d */
		done = ipo_x86_jcc32(j, -1);		/* jmp done */
		ipo_x86_here(j, wide);
	}
	if (sdiv) {
		if (is64)
			emit1(j, 0x48);			/* REX.W */
		emit1(j, 0x99);				/* cqo / cdq */
	} else {
		ipo_x86_mov_imm(j, false, X86_RDX, 0);	/* xor edx, edx */
	}
	ipo_x86_op(j, w, 0xf7, sdiv ? 7 : 6, X86_AX2, 0); /* idiv/div r11 */
	if (narrow)
		ipo_x86_here(j, done);
	ipo_x86_mov(j, is64, X86_AX2, mod ? X86_RDX : X86_RAX);
							/* mov r11, rdx/rax */
	ipo_x86_mov(j, true, X86_RDX, X86_AX);		/* mov rdx, r10 */
	emit1(j, 0x58);					/* pop rax */
	ipo_x86_mov(j, is64, dst, X86_AX2);		/* mov dst, r11 */
}

/* What division by zero and signed division by -1 give (RFC 9669). */
static void ipo_x86_div_special(struct ipo_x86 *j, bool is64, bool mod,
				bool by_zero, u8 dst)
{
	if (by_zero ? !mod : mod) {
		/* div by 0 → 0; smod by -1 → 0 */
		ipo_x86_mov_imm(j, false, dst, 0);	/* xor dst32, dst32 */
	} else if (by_zero) {
		/* mod by 0 → dividend (truncated to 32 bits for ALU32) */
		if (!is64)
			ipo_x86_mov(j, false, dst, dst); /* mov dst32, dst32 */
	} else {
		/* sdiv by -1 → -dividend, without idiv's INT_MIN trap */
		ipo_x86_op(j, is64 ? OPF_W : 0, 0xf7, 3, dst, 0); /* neg dst */
	}
}

static void ipo_x86_divmod(struct ipo_x86 *j, const struct ipo_insn *insn,
			   bool is64, bool srcx, u8 dst, u8 src)
{
	bool sdiv = ipo_insn_is_sdivmod(insn);
	bool mod = (insn->code & 0xf0) == IPO_MOD;
	u32 w = is64 ? OPF_W : 0;
	u32 zero, done, normal = 0, done2 = 0;

	if (!srcx) {
		s64 c = is64 ? (s64)insn->imm : (s64)(u32)insn->imm;

		if (!c) {
			ipo_x86_div_special(j, is64, mod, true, dst);
		} else if (sdiv && (is64 ? c == -1 : c == U32_MAX)) {
			ipo_x86_div_special(j, is64, mod, false, dst);
		} else {
			ipo_x86_mov_imm(j, is64, X86_AX2, insn->imm);
							/* mov r11, imm */
			ipo_x86_divide(j, is64, sdiv, mod, dst, c);
		}
		return;
	}
	ipo_x86_mov(j, is64, X86_AX2, src);		/* mov r11, src */
	ipo_x86_op(j, w, 0x85, X86_AX2, X86_AX2, 0);	/* test r11, r11 */
	zero = ipo_x86_jcc32(j, X86_CC_E);		/* je zero */
	if (sdiv) {
		ipo_x86_alu_imm(j, is64, 7, X86_AX2, -1); /* cmp r11, -1 */
		normal = ipo_x86_jcc32(j, X86_CC_NE);	/* jne normal */
		ipo_x86_div_special(j, is64, mod, false, dst);
		done2 = ipo_x86_jcc32(j, -1);		/* jmp done */
		ipo_x86_here(j, normal);
	}
	ipo_x86_divide(j, is64, sdiv, mod, dst, 0);
	if (mod && is64) {
		/* 64-bit mod by 0 leaves dst as it is: nothing to jump over. */
		ipo_x86_here(j, zero);
	} else {
		done = ipo_x86_jcc32(j, -1);		/* jmp done */
		ipo_x86_here(j, zero);
		ipo_x86_div_special(j, is64, mod, true, dst);
		ipo_x86_here(j, done);
	}
	if (sdiv)
		ipo_x86_here(j, done2);
}

static void ipo_x86_alu(struct ipo_x86 *j, const struct ipo_insn *insn,
			const struct ipo_opinfo *oi)
{
	bool is64 = oi->flags & IPO_OPF_64;
	bool srcx = oi->flags & IPO_OPF_SRCX;
	u32 w = is64 ? OPF_W : 0;
	u8 dst = ipo_x86_reg[insn->dst];
	u8 src = ipo_x86_reg[insn->src];
	/* ModRM /ext of 0x81/0x83 and reg,reg opcode of the plain ALU ops */
	u8 ext, opc;

	switch (oi->op) {
	case IPO_ADD:
		ext = 0, opc = 0x01;
		goto plain;
	case IPO_OR:
		ext = 1, opc = 0x09;
		goto plain;
	case IPO_AND:
		ext = 4, opc = 0x21;
		goto plain;
	case IPO_SUB:
		ext = 5, opc = 0x29;
		goto plain;
	case IPO_XOR:
		ext = 6, opc = 0x31;
plain:
		if (srcx)
			ipo_x86_op(j, w, opc, src, dst, 0); /* op dst, src */
		else
			ipo_x86_alu_imm(j, is64, ext, dst, insn->imm);
							/* op dst, imm */
		return;
	case IPO_MUL:
		if (srcx) {
			ipo_x86_op(j, w, 0x0faf, dst, src, 0); /* imul dst, src */
		} else if (is_imm8(insn->imm)) {
			ipo_x86_op(j, w, 0x6b, dst, dst, 0);
			emit1(j, insn->imm);		/* imul dst, dst, imm8 */
		} else {
			ipo_x86_op(j, w, 0x69, dst, dst, 0);
			emit4(j, insn->imm);		/* imul dst, dst, imm32 */
		}
		return;
	case IPO_DIV:
	case IPO_MOD:
		ipo_x86_divmod(j, insn, is64, srcx, dst, src);
		return;
	case IPO_LSH:
		ext = 4;
		goto shift;
	case IPO_RSH:
		ext = 5;
		goto shift;
	case IPO_ARSH:
		ext = 7;
shift:
		if (srcx) {
			ipo_x86_shift_x(j, is64, ext, dst, src);
		} else if (insn->imm & (is64 ? 63 : 31)) {
			ipo_x86_op(j, w, 0xc1, ext, dst, 0);
			emit1(j, insn->imm & (is64 ? 63 : 31));	/* shl/shr/sar dst, imm8 */
		} else if (!is64) {
			ipo_x86_mov(j, false, dst, dst); /* mov dst32, dst32 */
		}
		return;
	case IPO_NEG:
		ipo_x86_op(j, w, 0xf7, 3, dst, 0);	/* neg dst */
		return;
	case IPO_MOV:
		if (!srcx) {
			ipo_x86_mov_imm(j, is64, dst, insn->imm); /* mov dst, imm */
			return;
		}
		switch (insn->off) {
		case 8:
			ipo_x86_op(j, w | OPF_B8, 0x0fbe, dst, src, 0);
							/* movsx dst, src8 */
			return;
		case 16:
			ipo_x86_op(j, w, 0x0fbf, dst, src, 0); /* movsx dst, src16 */
			return;
		case 32:
			ipo_x86_op(j, OPF_W, 0x63, dst, src, 0); /* movsxd dst, src32 */
			return;
		}
		ipo_x86_mov(j, is64, dst, src);		/* mov dst, src */
		return;
	}
	ipo_x86_fail(j, -EINVAL);
}

static void ipo_x86_end(struct ipo_x86 *j, const struct ipo_insn *insn,
			const struct ipo_opinfo *oi)
{
	bool swap = (oi->flags & IPO_OPF_64) || (insn->code & IPO_TO_BE);
	u8 dst = ipo_x86_reg[insn->dst];

	switch (insn->imm) {
	case 16:
		if (swap) {
			ipo_x86_op(j, OPF_66, 0xc1, 1, dst, 0);
			emit1(j, 8);			/* ror dst16, 8 */
		}
		ipo_x86_op(j, 0, 0x0fb7, dst, dst, 0);	/* movzx dst32, dst16 */
		return;
	case 32:
		if (swap) {
			if (dst & 8)
				emit1(j, 0x41);		/* REX.B */
			emit1(j, 0x0f);
			emit1(j, 0xc8 | (dst & 7));	/* bswap dst32 */
		} else {
			ipo_x86_mov(j, false, dst, dst); /* mov dst32, dst32 */
		}
		return;
	case 64:
		if (swap) {
			emit1(j, 0x48 | (dst >> 3));	/* REX.W */
			emit1(j, 0x0f);
			emit1(j, 0xc8 | (dst & 7));	/* bswap dst */
		}
		return;
	}
	ipo_x86_fail(j, -EINVAL);
}

/* After an undo stub: abort at @pc with the reason in r10d unless 0. */
static void ipo_x86_undo_abort(struct ipo_x86 *j, u32 pc)
{
	ipo_x86_abort_if(j, X86_CC_NE, pc, RSN_R10);	/* jnz abort */
}

/*
 * r10 = the touch map byte of the granule of [base + disp] (the operand
 * the access will use, already checked or masked, so inside the object
 * on every path, speculative or not):
 *
 *	lea	r10, [base + disp]
 *	sub	r10, [r9 + base_obj]	; offset in the object
 *	shr	r10, IPO_UNDO_SHIFT	; granule
 *	add	r10, [r9 + map]
 *	cmp	byte [r10], 0
 */
static void ipo_x86_undo_test(struct ipo_x86 *j, u8 base, s32 disp)
{
	ipo_x86_lea(j, X86_AX, base, disp);		/* lea r10, [base+disp] */
	ipo_x86_op(j, OPF_W | OPF_MEM, 0x2b, X86_AX, X86_FRAME,
		   FR_SLOT(j->slot_base[IPO_RGN_OBJ] - 1));
						/* sub r10, [r9+base_obj] */
	ipo_x86_op(j, OPF_W, 0xc1, 5, X86_AX, 0);
	emit1(j, IPO_UNDO_SHIFT);			/* shr r10, shift */
	ipo_x86_op(j, OPF_W | OPF_MEM, 0x03, X86_AX, X86_FRAME,
		   FR_SLOT(j->slot_map - 1));		/* add r10, [r9+map] */
	ipo_x86_op(j, OPF_MEM, 0x80, 7, X86_AX, 0);
	emit1(j, 0);					/* cmp byte [r10], 0 */
}

/*
 * Before a store or an atomic into the object at [base + disp], @size
 * bytes: unless the run records nothing (map NULL), the map bytes of the
 * first and the last granule it covers are tested, and a zero one sends
 * it to the undo stub of its width, which logs them (ipo_undo_touch())
 * and returns its result in r10d: nonzero aborts the run here, before
 * the store.
 *
 *	cmp	qword [r9 + map], 0
 *	je	done
 *	<test of the first byte's granule>
 *	jne	done			; je miss when size > 1, then:
 *	<test of the last byte's granule>
 *	jne	done
 * miss:
 *	lea	r10, [base + disp]
 *	call	undo_stub_<size>
 *	test	r10d, r10d
 *	jnz	abort			; the reason in r10d
 * done:
 */
static void ipo_x86_undo(struct ipo_x86 *j, u32 pc, u8 base, s32 disp,
			 u8 size)
{
	u32 w = ipo_x86_wlog(size), skip, done, miss = 0;

	if (!j->slot_map || !j->slot_base[IPO_RGN_OBJ]) {
		/* The scan in ipo_x86_plan_frame() missed this write. */
		ipo_x86_fail(j, -EINVAL);
		return;
	}
	ipo_x86_op(j, OPF_W | OPF_MEM, 0x83, 7, X86_FRAME,
		   FR_SLOT(j->slot_map - 1));
	emit1(j, 0);					/* cmp qword [r9+map], 0 */
	skip = ipo_x86_jcc32(j, X86_CC_E);		/* je done */
	ipo_x86_undo_test(j, base, disp);
	if (size > 1) {
		miss = ipo_x86_jcc32(j, X86_CC_E);	/* je miss */
		ipo_x86_undo_test(j, base, disp + size - 1);
	}
	done = ipo_x86_jcc32(j, X86_CC_NE);		/* jne done */
	if (miss)
		ipo_x86_here(j, miss);
	ipo_x86_lea(j, X86_AX, base, disp);		/* lea r10, [base+disp] */
	emit1(j, 0xe8);					/* call undo_stub */
	emit4(j, 0);
	ipo_x86_fixup(j, j->len - 4, FX_LABEL, LBL_UNDO + w, 0);
	j->undo_used[w] = true;
	ipo_x86_op(j, 0, 0x85, X86_AX, X86_AX, 0);	/* test r10d, r10d */
	ipo_x86_undo_abort(j, pc);			/* jnz abort */
	ipo_x86_here(j, skip);
	ipo_x86_here(j, done);
}

/*
 * Before helper call @pc that may write into the object
 * (IPO_AUX_OBJ_WRITE): each such argument's memory, its size in the next
 * argument register, is logged by the stub that takes the size in r11.
 *
 *	cmp	qword [r9 + map], 0
 *	je	done
 *	mov	r10, <pointer register>
 *	mov	r11, <size register>
 *	call	undo_stub_var
 *	test	r10d, r10d
 *	jnz	abort			; the reason in r10d
 * done:
 */
static void ipo_x86_undo_helper(struct ipo_x86 *j, u32 pc)
{
	const struct ipo_insn_aux *aux = &j->prog->aux[pc];
	u32 reg, skip;

	if (!(aux->flags & IPO_AUX_OBJ_WRITE))
		return;
	if (!j->slot_map) {
		ipo_x86_fail(j, -EINVAL);
		return;
	}
	ipo_x86_op(j, OPF_W | OPF_MEM, 0x83, 7, X86_FRAME,
		   FR_SLOT(j->slot_map - 1));
	emit1(j, 0);					/* cmp qword [r9+map], 0 */
	skip = ipo_x86_jcc32(j, X86_CC_E);		/* je done */
	for (reg = IPO_R1; reg < IPO_R5; reg++) {
		if (!(aux->spec_valid & (1U << reg)))
			continue;
		ipo_x86_mov(j, true, X86_AX, ipo_x86_reg[reg]); /* mov r10, ptr */
		ipo_x86_mov(j, true, X86_AX2, ipo_x86_reg[reg + 1]);
							/* mov r11, size */
		emit1(j, 0xe8);				/* call undo_stub_var */
		emit4(j, 0);
		ipo_x86_fixup(j, j->len - 4, FX_LABEL, LBL_UNDO + 4, 0);
		j->undo_used[4] = true;
		ipo_x86_op(j, 0, 0x85, X86_AX, X86_AX, 0); /* test r10d, r10d */
		/* The stub's result is the abort reason: store it as such. */
		ipo_x86_undo_abort(j, pc);
	}
	ipo_x86_here(j, skip);
}

/*
 * The undo stub of one width: ipo_undo_touch(run, r10, size), keeping
 * every register the program or the site uses (the callee-saved ones
 * the C function keeps itself); r10d = its result.  Called from a body,
 * where rsp is 16-byte aligned: the return address and eight pushes
 * leave it 8 off, the sub makes it aligned for the call.
 */
static void ipo_x86_undo_stub(struct ipo_x86 *j, u32 w)
{
	static const u8 saved[] = {
		X86_RAX, X86_RDI, X86_RSI, X86_RDX, X86_RCX, X86_R8, X86_R9,
		X86_R11,
	};
	u32 i;

	j->label[LBL_UNDO + w] = j->len;
	for (i = 0; i < ARRAY_SIZE(saved); i++)
		ipo_x86_push(j, saved[i]);		/* push ... */
	ipo_x86_alu_imm(j, true, 5, X86_RSP, 8);	/* sub rsp, 8 */
	ipo_x86_ldq(j, X86_RDI, X86_FRAME, FR_RUN);	/* mov rdi, [r9+run] */
	ipo_x86_mov(j, true, X86_RSI, X86_AX);		/* mov rsi, r10 */
	if (w < 4)
		ipo_x86_mov_imm(j, false, X86_RDX, 1 << w); /* mov edx, size */
	else
		ipo_x86_mov(j, true, X86_RDX, X86_AX2);	/* mov rdx, r11 */
	emit1(j, 0xe8);					/* call ipo_undo_touch */
	emit4(j, 0);
	ipo_x86_fixup(j, j->len - 4, FX_UNDO, 0, 0);
	ipo_x86_mov(j, false, X86_AX, X86_RAX);		/* mov r10d, eax */
	ipo_x86_alu_imm(j, true, 0, X86_RSP, 8);	/* add rsp, 8 */
	for (i = ARRAY_SIZE(saved); i--; )
		ipo_x86_pop(j, saved[i]);		/* pop ... */
	ipo_x86_ret(j);					/* ret */
}

static void ipo_x86_ldx(struct ipo_x86 *j, u32 pc, const struct ipo_insn *insn,
			const struct ipo_opinfo *oi)
{
	u8 dst = ipo_x86_reg[insn->dst];
	bool sx = oi->flags & IPO_OPF_SIGNED;
	u8 base = 0;
	s32 disp = 0;

	ipo_x86_addr(j, pc, ipo_x86_reg[insn->src], insn->off, oi->size,
		     &base, &disp);
	switch (oi->size) {
	case 1:
		ipo_x86_op(j, (sx ? OPF_W : 0) | OPF_MEM, sx ? 0x0fbe : 0x0fb6,
			   dst, base, disp);		/* movsx/movzx dst, byte [] */
		break;
	case 2:
		ipo_x86_op(j, (sx ? OPF_W : 0) | OPF_MEM, sx ? 0x0fbf : 0x0fb7,
			   dst, base, disp);		/* movsx/movzx dst, word [] */
		break;
	case 4:
		ipo_x86_op(j, (sx ? OPF_W : 0) | OPF_MEM, sx ? 0x63 : 0x8b,
			   dst, base, disp);		/* movsxd/mov dst, dword [] */
		break;
	default:
		ipo_x86_op(j, OPF_W | OPF_MEM, 0x8b, dst, base, disp);
							/* mov dst, qword [] */
		break;
	}
}

static void ipo_x86_st(struct ipo_x86 *j, u32 pc, const struct ipo_insn *insn,
		       const struct ipo_opinfo *oi, bool srcx)
{
	u8 src = ipo_x86_reg[insn->src];
	u8 base = 0;
	s32 disp = 0;

	ipo_x86_addr(j, pc, ipo_x86_reg[insn->dst], insn->off, oi->size,
		     &base, &disp);
	if (j->prog->aux[pc].region == IPO_RGN_OBJ)
		ipo_x86_undo(j, pc, base, disp, oi->size);
	switch (oi->size) {
	case 1:
		if (srcx) {
			ipo_x86_op(j, OPF_B8 | OPF_MEM, 0x88, src, base, disp);
							/* mov byte [], src8 */
		} else {
			ipo_x86_op(j, OPF_MEM, 0xc6, 0, base, disp);
			emit1(j, insn->imm);		/* mov byte [], imm8 */
		}
		break;
	case 2:
		if (srcx) {
			ipo_x86_op(j, OPF_66 | OPF_MEM, 0x89, src, base, disp);
							/* mov word [], src16 */
		} else {
			ipo_x86_op(j, OPF_66 | OPF_MEM, 0xc7, 0, base, disp);
			emit2(j, insn->imm);		/* mov word [], imm16 */
		}
		break;
	case 4:
		if (srcx) {
			ipo_x86_op(j, OPF_MEM, 0x89, src, base, disp);
							/* mov dword [], src32 */
		} else {
			ipo_x86_op(j, OPF_MEM, 0xc7, 0, base, disp);
			emit4(j, insn->imm);		/* mov dword [], imm32 */
		}
		break;
	default:
		if (srcx) {
			ipo_x86_op(j, OPF_W | OPF_MEM, 0x89, src, base, disp);
							/* mov qword [], src */
		} else {
			ipo_x86_op(j, OPF_W | OPF_MEM, 0xc7, 0, base, disp);
			emit4(j, insn->imm);		/* mov qword [], simm32 */
		}
		break;
	}
}

static void ipo_x86_atomic(struct ipo_x86 *j, u32 pc,
			   const struct ipo_insn *insn,
			   const struct ipo_opinfo *oi)
{
	bool is64 = oi->size == 8;
	u32 w = is64 ? OPF_W : 0;
	u8 src = ipo_x86_reg[insn->src];
	u8 dst = ipo_x86_reg[insn->dst];
	u8 base = 0, opc;
	s32 disp = 0;
	u32 retry;

	ipo_x86_addr(j, pc, dst, insn->off, oi->size, &base, &disp);
	if (j->prog->aux[pc].region == IPO_RGN_OBJ)
		ipo_x86_undo(j, pc, base, disp, oi->size);
	switch (insn->imm) {
	case IPO_ADD:
		opc = 0x01;
		goto plain;
	case IPO_OR:
		opc = 0x09;
		goto plain;
	case IPO_AND:
		opc = 0x21;
		goto plain;
	case IPO_XOR:
		opc = 0x31;
plain:
		ipo_x86_op(j, w | OPF_LOCK | OPF_MEM, opc, src, base, disp);
							/* lock op [], src */
		return;
	case IPO_ADD | IPO_FETCH:
		ipo_x86_op(j, w | OPF_LOCK | OPF_MEM, 0x0fc1, src, base, disp);
							/* lock xadd [], src */
		return;
	case IPO_XCHG:
		ipo_x86_op(j, w | OPF_MEM, 0x87, src, base, disp);
							/* xchg [], src */
		return;
	case IPO_CMPXCHG:
		ipo_x86_op(j, w | OPF_LOCK | OPF_MEM, 0x0fb1, src, base, disp);
							/* lock cmpxchg [], src */
		if (!is64)
			ipo_x86_mov(j, false, X86_RAX, X86_RAX); /* mov eax, eax */
		return;
	case IPO_OR | IPO_FETCH:
		opc = 0x09;
		break;
	case IPO_AND | IPO_FETCH:
		opc = 0x21;
		break;
	case IPO_XOR | IPO_FETCH:
		opc = 0x31;
		break;
	default:
		ipo_x86_fail(j, -EINVAL);
		return;
	}

	/*
	 * Fetching or/and/xor: a cmpxchg loop.  It needs rax (r0), which is
	 * kept on the stack; the address goes to r10 first in case the
	 * address register is rax.  When src is rax its value is read from
	 * the saved copy.
	 */
	if (base != X86_AX) {
		ipo_x86_lea(j, X86_AX, base, disp);	/* lea r10, [base+disp] */
		base = X86_AX;
		disp = 0;
	}
	emit1(j, 0x50);					/* push rax */
	ipo_x86_op(j, w | OPF_MEM, 0x8b, X86_RAX, X86_AX, 0); /* mov rax, [r10] */
	retry = j->len;
	ipo_x86_mov(j, true, X86_AX2, X86_RAX);		/* mov r11, rax */
	if (src == X86_RAX)
		ipo_x86_op(j, w | OPF_MEM, opc + 2, X86_AX2, X86_RSP, 0);
							/* op r11, [rsp] */
	else
		ipo_x86_op(j, w, opc, src, X86_AX2, 0);	/* op r11, src */
	ipo_x86_op(j, w | OPF_LOCK | OPF_MEM, 0x0fb1, X86_AX2, X86_AX, 0);
							/* lock cmpxchg [r10], r11 */
	emit1(j, 0x75);
	emit1(j, (u8)(retry - (j->len + 1)));		/* jne retry */
	if (src == X86_RAX) {
		ipo_x86_alu_imm(j, true, 0, X86_RSP, 8);	/* add rsp, 8 */
		if (!is64)
			ipo_x86_mov(j, false, X86_RAX, X86_RAX); /* mov eax, eax */
	} else {
		ipo_x86_mov(j, is64, src, X86_RAX);	/* mov src, rax (old) */
		emit1(j, 0x58);				/* pop rax */
	}
}

/* Conditional jumps: the x86 condition for each eBPF comparison. */
static const u8 ipo_x86_cc[16] = {
	[IPO_JEQ >> 4] = X86_CC_E,
	[IPO_JNE >> 4] = X86_CC_NE,
	[IPO_JSET >> 4] = X86_CC_NE,
	[IPO_JGT >> 4] = X86_CC_A,
	[IPO_JGE >> 4] = X86_CC_AE,
	[IPO_JLT >> 4] = X86_CC_B,
	[IPO_JLE >> 4] = X86_CC_BE,
	[IPO_JSGT >> 4] = X86_CC_G,
	[IPO_JSGE >> 4] = X86_CC_GE,
	[IPO_JSLT >> 4] = X86_CC_L,
	[IPO_JSLE >> 4] = X86_CC_LE,
};

static void ipo_x86_lfence(struct ipo_x86 *j)
{
	emit1(j, 0x0f);
	emit1(j, 0xae);
	emit1(j, 0xe8);					/* lfence */
}

/*
 * A jump from @pc to @target when condition @cc holds (-1: always).  A
 * taken back edge pays pc - target + 1 fuel first, like the interpreter:
 *
 *	j!cc	skip		; conditional only
 *	sub	r12, cost
 *	jns	target		; the loop: one taken branch
 *	jmp	abort		; fuel < 0
 * skip:
 *
 * An edge on which the verifier learned a region's size (IPO_AUX_FENCE_*)
 * starts with an lfence, so no load after it runs before the test that
 * decided the edge has: the taken edge of a forward jump becomes
 *
 *	j!cc	skip
 *	lfence
 *	jmp	target
 * skip:
 */
static void ipo_x86_branch(struct ipo_x86 *j, u32 pc, int cc, u32 target)
{
	u16 fl = j->prog->aux[pc].flags;
	bool fence = cc >= 0 && (fl & IPO_AUX_FENCE_TAKEN);
	u32 skip = 0;

	if (target >= j->prog->len) {
		ipo_x86_fail(j, -EINVAL);
		return;
	}
	if (target > pc && !fence) {
		ipo_x86_jmp_insn(j, cc, target, false);	/* jcc/jmp target */
	} else if (target > pc) {
		skip = ipo_x86_jcc32(j, cc ^ 1);	/* j!cc skip */
		ipo_x86_lfence(j);			/* lfence */
		ipo_x86_jmp_insn(j, -1, target, false);	/* jmp target */
		ipo_x86_here(j, skip);
	} else {
		if (cc >= 0)
			skip = ipo_x86_jcc32(j, cc ^ 1); /* j!cc skip */
		if (fence)
			ipo_x86_lfence(j);		/* lfence */
		ipo_x86_alu_imm(j, true, 5, X86_FUEL, pc - target + 1);
							/* sub r12, cost */
		ipo_x86_jmp_insn(j, X86_CC_NS, target, true); /* jns target */
		ipo_x86_abort_if(j, -1, pc, IPO_ABORT_FUEL); /* jmp abort */
		if (cc >= 0)
			ipo_x86_here(j, skip);
	}
	if (cc >= 0 && (fl & IPO_AUX_FENCE_FALL))
		ipo_x86_lfence(j);			/* lfence */
}

/*
 * A conditional jump.  One the verifier found always taken, or never, on
 * every visit (IPO_AUX_TAKEN or _FALLS alone) is emitted as a jmp, or as
 * nothing: the CPU then has no branch to mispredict into the edge whose
 * state nobody checked (a register of another type, an offset never
 * proven).  The interpreter still tests; it cannot disagree.
 */
static void ipo_x86_jcond(struct ipo_x86 *j, u32 pc,
			  const struct ipo_insn *insn,
			  const struct ipo_opinfo *oi)
{
	bool is64 = oi->flags & IPO_OPF_64;
	u32 w = is64 ? OPF_W : 0;
	u8 dst = ipo_x86_reg[insn->dst];
	u8 src = ipo_x86_reg[insn->src];
	u32 target = pc + 1 + (u32)(s32)insn->off;

	switch (j->prog->aux[pc].flags & (IPO_AUX_TAKEN | IPO_AUX_FALLS)) {
	case IPO_AUX_TAKEN:
		ipo_x86_branch(j, pc, -1, target);	/* jmp target */
		return;
	case IPO_AUX_FALLS:
		return;
	}
	if (oi->op == IPO_JSET) {
		if (oi->flags & IPO_OPF_SRCX) {
			ipo_x86_op(j, w, 0x85, src, dst, 0); /* test dst, src */
		} else {
			ipo_x86_op(j, w, 0xf7, 0, dst, 0);
			emit4(j, insn->imm);		/* test dst, imm32 */
		}
	} else if (oi->flags & IPO_OPF_SRCX) {
		ipo_x86_op(j, w, 0x39, src, dst, 0);	/* cmp dst, src */
	} else if (!insn->imm) {
		/* The flags of cmp dst, 0 for every condition, 1-3 bytes less. */
		ipo_x86_op(j, w, 0x85, dst, dst, 0);	/* test dst, dst */
	} else {
		ipo_x86_alu_imm(j, is64, 7, dst, insn->imm); /* cmp dst, imm */
	}
	ipo_x86_branch(j, pc, ipo_x86_cc[oi->op >> 4], target);
}

/* Translates the instruction at @pc; returns the slots it took. */
static u32 ipo_x86_insn(struct ipo_x86 *j, u32 pc)
{
	const struct ipo_prog *prog = j->prog;
	const struct ipo_insn *insn = &prog->insns[pc];
	const struct ipo_opinfo *oi = &ipo_opinfo[insn->code];
	bool is_main = j->cur_func == 0;

	if (!(prog->aux[pc].flags & IPO_AUX_SEEN)) {
		/* Dead code is never run; if it were, abort as if unverified. */
		ipo_x86_abort_if(j, -1, pc, IPO_ABORT_BOUNDS); /* jmp abort */
		return oi->kind == IPO_K_LDDW ? 2 : 1;
	}
	switch (oi->kind) {
	case IPO_K_ALU:
		ipo_x86_alu(j, insn, oi);
		return 1;
	case IPO_K_END:
		ipo_x86_end(j, insn, oi);
		return 1;
	case IPO_K_LDDW:
		if (pc + 1 >= prog->len) {
			ipo_x86_fail(j, -EINVAL);
			return 1;
		}
		ipo_x86_mov_imm64(j, ipo_x86_reg[insn->dst],
				  (u64)(u32)insn->imm |
				  (u64)(u32)insn[1].imm << 32);	/* mov dst, imm64 */
		return 2;
	case IPO_K_LDX:
		ipo_x86_ldx(j, pc, insn, oi);
		return 1;
	case IPO_K_ST:
		ipo_x86_st(j, pc, insn, oi, false);
		return 1;
	case IPO_K_STX:
		ipo_x86_st(j, pc, insn, oi, true);
		return 1;
	case IPO_K_ATOMIC:
		ipo_x86_atomic(j, pc, insn, oi);
		return 1;
	case IPO_K_JA:
		ipo_x86_branch(j, pc, -1, pc + 1 + ((oi->flags & IPO_OPF_64) ?
					(u32)(s32)insn->off : (u32)insn->imm));
		return 1;
	case IPO_K_JCOND:
		ipo_x86_jcond(j, pc, insn, oi);
		return 1;
	case IPO_K_CALL:
		if (insn->src == IPO_PSEUDO_CALL)
			ipo_x86_call_local(j, pc, pc + 1 + (u32)insn->imm);
		else
			ipo_x86_call_helper(j, pc, (u32)insn->imm);
		return 1;
	case IPO_K_CALLX:
		ipo_x86_callx(j, pc, ipo_x86_reg[insn->dst]);
		return 1;
	case IPO_K_EXIT:
		if (is_main)
			ipo_x86_jmp_label(j, -1, LBL_EXIT); /* jmp exit */
		else
			ipo_x86_subprog_exit(j);
		return 1;
	}
	ipo_x86_fail(j, -EINVAL);
	return 1;
}

/*
 * The common tails, after the program:
 *
 * exit:	 run->fuel = r12
 * ret:		 add rsp, 8+frame; pop r15 .. rbx; add rsp, 512; pop rbp; ret
 * abort:	 (r10d reason, r11d pc) run->fuel = r12; store both; r0 = 0
 * unwind:	 mov rsp, r9; jmp ret
 * helper_abort: (r11d pc) store pc; r0 = 0 or the unwind value; jmp unwind
 */
static void ipo_x86_tails(struct ipo_x86 *j)
{
	u32 ret, unwind, at;

	j->label[LBL_EXIT] = j->len;
	ipo_x86_ldq(j, X86_AX2, X86_FRAME, FR_RUN);	/* mov r11, [r9+run] */
	ipo_x86_stq(j, X86_AX2, RUN_OFF(fuel), X86_FUEL); /* mov [r11+fuel], r12 */
	ret = j->len;
	ipo_x86_alu_imm(j, true, 0, X86_RSP, 8 + j->frame); /* add rsp, 8+frame */
	ipo_x86_pop(j, X86_R15);			/* pop r15 */
	ipo_x86_pop(j, X86_R14);			/* pop r14 */
	ipo_x86_pop(j, X86_R13);			/* pop r13 */
	ipo_x86_pop(j, X86_R12);			/* pop r12 */
	ipo_x86_pop(j, X86_RBX);			/* pop rbx */
	ipo_x86_alu_imm(j, true, 0, X86_RSP, IPO_STACK_SIZE); /* add rsp, 512 */
	emit1(j, 0x5d);					/* pop rbp */
	ipo_x86_ret(j);					/* ret */

	j->label[LBL_ABORT] = j->len;
	ipo_x86_ldq(j, X86_RAX, X86_FRAME, FR_RUN);	/* mov rax, [r9+run] */
	ipo_x86_stq(j, X86_RAX, RUN_OFF(fuel), X86_FUEL); /* mov [rax+fuel], r12 */
	ipo_x86_op(j, OPF_MEM, 0x89, X86_AX, X86_RAX, RUN_OFF(abort));
							/* mov [rax+abort], r10d */
	ipo_x86_op(j, OPF_MEM, 0x89, X86_AX2, X86_RAX, RUN_OFF(abort_pc));
							/* mov [rax+abort_pc], r11d */
	ipo_x86_mov_imm(j, false, X86_RAX, 0);		/* xor eax, eax */
	unwind = j->len;
	ipo_x86_mov(j, true, X86_RSP, X86_FRAME);	/* mov rsp, r9 */
	at = ipo_x86_jcc32(j, -1);			/* jmp ret */
	ipo_x86_patch(j, at, ret);

	/* The helper stored abort and fuel itself, as in the interpreter. */
	j->label[LBL_HELPER_ABORT] = j->len;
	ipo_x86_ldq(j, X86_AX, X86_FRAME, FR_RUN);	/* mov r10, [r9+run] */
	ipo_x86_op(j, OPF_MEM, 0x89, X86_AX2, X86_AX, RUN_OFF(abort_pc));
							/* mov [r10+abort_pc], r11d */
	ipo_x86_mov_imm(j, false, X86_RAX, 0);		/* xor eax, eax */
	ipo_x86_op(j, OPF_MEM, 0x83, 7, X86_AX, RUN_OFF(abort));
	emit1(j, IPO_ABORT_UNWIND);			/* cmp dword [r10+abort], UNWIND */
	at = ipo_x86_jcc32(j, X86_CC_NE);		/* jne unwind */
	ipo_x86_patch(j, at, unwind);
	ipo_x86_ldq(j, X86_RAX, X86_AX, RUN_OFF(unwind_value));
							/* mov rax, [r10+unwind_value] */
	at = ipo_x86_jcc32(j, -1);			/* jmp unwind */
	ipo_x86_patch(j, at, unwind);

	for (at = 0; at < 5; at++)
		if (j->undo_used[at])
			ipo_x86_undo_stub(j, at);
}

/*
 * Per-site abort stubs and the label fixups, then the helper veneers
 * (only where helpers may be out of rel32 reach: the host).
 */
static void ipo_x86_finish(struct ipo_x86 *j)
{
	const struct ipo_prog_type *type = j->prog->type;
	u32 i, at, last_pc = U32_MAX, last_reason = 0, last_stub = 0;

	for (i = 0; i < j->nr_fx && !j->err; i++) {
		struct ipo_x86_fixup *f = &j->fx[i];

		switch (f->kind) {
		case FX_LABEL:
			ipo_x86_patch(j, f->at, j->label[f->target]);
			break;
		case FX_ABORT:
			/* Sites of one instruction share a stub. */
			if (f->target == last_pc && f->reason == last_reason) {
				ipo_x86_patch(j, f->at, last_stub);
				break;
			}
			last_pc = f->target;
			last_reason = f->reason;
			last_stub = j->len;
			ipo_x86_patch(j, f->at, j->len);
			ipo_x86_mov_imm(j, false, X86_AX2, f->target);
							/* mov r11d, pc */
			if (f->reason == RSN_HELPER_SET) {
				at = ipo_x86_jcc32(j, -1); /* jmp helper_abort */
				ipo_x86_patch(j, at, j->label[LBL_HELPER_ABORT]);
				break;
			}
			if (f->reason != RSN_R10)
				ipo_x86_mov_imm(j, false, X86_AX, f->reason);
							/* mov r10d, reason */
			at = ipo_x86_jcc32(j, -1);	/* jmp abort */
			ipo_x86_patch(j, at, j->label[LBL_ABORT]);
			break;
		case FX_HELPER:
			/*
			 * No indirect jump where every helper is in reach
			 * (the kernel's pool): it would be one without a
			 * retpoline, even if never taken.
			 */
			if (!j->near_text && !j->veneer[f->target]) {
				j->veneer[f->target] = j->len + 1;
				emit1(j, 0x49);
				emit1(j, 0xbb);		/* movabs r11, helper */
				emit8(j, (u64)(unsigned long)
					 type->helpers[f->target].fn);
				emit1(j, 0x41);
				emit1(j, 0xff);
				emit1(j, 0xe3);		/* jmp r11 */
				emit1(j, 0xcc);		/* int3 */
			}
			break;
		case FX_UNDO:
			if (!j->near_text && !j->undo_veneer) {
				j->undo_veneer = j->len + 1;
				emit1(j, 0x49);
				emit1(j, 0xbb);		/* movabs r11, touch */
				emit8(j, (u64)(unsigned long)ipo_undo_touch);
				emit1(j, 0x41);
				emit1(j, 0xff);
				emit1(j, 0xe3);		/* jmp r11 */
				emit1(j, 0xcc);		/* int3 */
			}
			break;
		}
	}
}

/* The one pass over the program. */
static void ipo_x86_translate(struct ipo_x86 *j)
{
	const struct ipo_prog *prog = j->prog;
	u32 pc = 0, i, n, steps = 0;

	ipo_x86_plan_frame(j);
	ipo_x86_prologue(j);
	while (pc < prog->len && !j->err) {
		u32 entry = 0;

		/* A killed loader stops here, not after a million insns. */
		if (!(++steps % 4096)) {
			ipo_cond_resched();
			if (ipo_fatal_signal_pending())
				ipo_x86_fail(j, -EINTR);
		}

		if (pc && (prog->aux[pc].flags & IPO_AUX_SUBPROG)) {
			j->cur_func = pc;
			entry = j->len;
			ipo_x86_subprog_prologue(j);
			if (!j->err && j->len - entry != IPO_X86_SUB_PROLOGUE)
				ipo_x86_fail(j, -EINVAL);
		}
		j->insn_off[pc] = j->len;
		/* Forward jumps and calls waiting for this instruction. */
		for (i = j->pend[pc]; i && !j->err; i = j->fx[i - 1].next) {
			struct ipo_x86_fixup *f = &j->fx[i - 1];

			if (f->kind == FX_CALL && !entry)
				ipo_x86_fail(j, -EINVAL);
			ipo_x86_patch(j, f->at, f->kind == FX_CALL ? entry :
							  j->len);
		}
		j->pend[pc] = 0;
		n = ipo_x86_insn(j, pc);
		if (n == 2 && pc + 1 < prog->len) {
			/* The second slot of an lddw: never a jump target. */
			if (j->pend[pc + 1])
				ipo_x86_fail(j, -EINVAL);
			j->insn_off[pc + 1] = j->len;
		}
		pc += n;
	}
	j->insn_off[prog->len] = j->len;
	/* Falling off the end: never verified; abort like the interpreter. */
	ipo_x86_abort_if(j, -1, prog->len, IPO_ABORT_BOUNDS);	/* jmp abort */
	/* A jump past the end, or into an lddw, is left pending. */
	for (pc = 0; pc < prog->len && !j->err; pc++)
		if (j->pend[pc])
			ipo_x86_fail(j, -EINVAL);
	ipo_x86_tails(j);
	ipo_x86_finish(j);
}

/*
 * Copies the code into executable memory and resolves helper calls and
 * jumps to the return thunk.
 */
static int ipo_x86_install(struct ipo_x86 *j, const struct ipo_jit_mem *mem,
			   struct ipo_jit_image *img)
{
	const struct ipo_prog_type *type = j->prog->type;
	void *rw = NULL, *rx = NULL;
	u32 i;
	int err;

	err = mem->alloc(mem, j->len, &rw, &rx);
	if (err)
		return err;
	for (i = 0; i < j->nr_fx; i++) {
		struct ipo_x86_fixup *f = &j->fx[i];
		unsigned long dest;
		s64 rel;

		if (f->kind == FX_THUNK)
			dest = (unsigned long)j->thunk;
		else if (f->kind == FX_HELPER)
			dest = (unsigned long)type->helpers[f->target].fn;
		else if (f->kind == FX_UNDO)
			dest = (unsigned long)ipo_undo_touch;
		else
			continue;
		rel = (s64)dest - (s64)((unsigned long)rx + f->at + 4);
		if (rel != (s32)rel) {
			/* A return must reach the thunk: no veneer for it. */
			if (mem->near_text || f->kind == FX_THUNK) {
				mem->free(mem, rx, j->len);
				return -ERANGE;
			}
			/* Out of reach: through the veneer. */
			ipo_x86_patch(j, f->at, f->kind == FX_UNDO ?
				      j->undo_veneer - 1 :
				      j->veneer[f->target] - 1);
			continue;
		}
		j->buf[f->at] = rel;
		j->buf[f->at + 1] = rel >> 8;
		j->buf[f->at + 2] = rel >> 16;
		j->buf[f->at + 3] = rel >> 24;
	}
	memcpy(rw, j->buf, j->len);
	err = mem->seal(mem, rw, rx, j->len);
	if (err) {
		mem->free(mem, rx, j->len);
		return err;
	}
	img->entry = (ipo_jit_entry_fn)rx;
	img->size = j->len;
	img->mem = mem;
	return 0;
}

int ipo_jit_compile(const struct ipo_prog *prog, const struct ipo_jit_mem *mem,
		    struct ipo_jit_image *img)
{
	struct ipo_x86 j = { .prog = prog, .max = IPO_JIT_MAX_SIZE };
	struct ipo_jit_image out = { .len = prog->len };
	int err;

	if (!prog->verified || !prog->len || prog->len > IPO_MAX_INSNS ||
	    !prog->aux || !prog->type || !mem)
		return -EINVAL;
	out.insn_off = ipo_zalloc(sizeof(u32) * ((size_t)prog->len + 1));
	j.insn_off = out.insn_off;
	j.pend = ipo_zalloc(sizeof(u32) * (size_t)prog->len);
	j.veneer = ipo_zalloc(sizeof(u32) * ((size_t)prog->type->nr_helpers + 1));
	if (!j.insn_off || !j.pend || !j.veneer) {
		err = -ENOMEM;
		goto out;
	}
	j.near_text = mem->near_text;
	j.thunk = mem->ret_thunk ? mem->ret_thunk(mem) : NULL;
	if (mem->max_size && mem->max_size < j.max)
		j.max = mem->max_size;
	/* A first guess at the size; the sink grows if it is wrong. */
	ipo_x86_room(&j, min((u64)prog->len * 16 + 1024, (u64)j.max));
	ipo_x86_translate(&j);
	err = j.err;
	if (!err)
		err = ipo_x86_install(&j, mem, &out);
out:
	ipo_free(j.buf);
	ipo_free(j.fx);
	ipo_free(j.pend);
	ipo_free(j.veneer);
	if (err) {
		ipo_free(out.insn_off);
		return err;
	}
	*img = out;
	return 0;
}

void ipo_jit_free(struct ipo_jit_image *img)
{
	if (img->entry)
		img->mem->free(img->mem, (void *)img->entry, img->size);
	ipo_free(img->insn_off);
	memset(img, 0, sizeof(*img));
}
