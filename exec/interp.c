// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The reference interpreter: runs a verified program instruction by
 * instruction.
 *
 * It trusts the verifier for types, initialisation and static bounds, and
 * does at run time exactly what the verifier left to run time: the bounds
 * checks it marked (IPO_AUX_RT_CHECK), the fuel budget, and the helper id of
 * a callx.  Every operation is done on unsigned values with defined C
 * semantics, so no verified program can hit undefined behaviour here.
 *
 * This code runs on a kernel stack, possibly in hard-IRQ context: local
 * calls push an explicit frame instead of recursing, and the program stack
 * is a fixed IPO_STACK_SIZE array.
 *
 * Speculation.  The switch on the opcode is an indirect jump or a chain of
 * compares, and a CPU may mispredict it: run a case with another
 * instruction's fields, e.g. take an ALU immediate for a jump offset or a
 * helper id.  So every index the program's bytes reach is masked after
 * its check (array_index_nospec()): the next pc into the instructions and
 * their aux, a callee's aux, a helper id into the helper table; and the
 * register file has 16 entries, one for every value of the 4-bit dst and
 * src fields (the verifier allows 11).
 */
#include "interp.h"
#include "undo.h"
#include "../base/alu.h"

/* What a local call saves of its caller. */
struct ipo_frame {
	u32 ret_pc;		/* instruction after the call */
	u32 func;		/* first instruction of the caller */
	u64 saved[4];		/* r6..r9 */
	u64 fp;			/* r10 */
};

static __always_inline u64 ipo_load(u64 addr, u8 size, bool sx)
{
	const void *p = (const void *)(unsigned long)addr;
	u8 b;
	u16 h;
	u32 w;
	u64 d;

	/* memcpy: program memory need not be aligned; compiles to one mov. */
	switch (size) {
	case 1:
		__builtin_memcpy(&b, p, 1);
		return sx ? (u64)(s64)(s8)b : b;
	case 2:
		__builtin_memcpy(&h, p, 2);
		return sx ? (u64)(s64)(s16)h : h;
	case 4:
		__builtin_memcpy(&w, p, 4);
		return sx ? (u64)(s64)(s32)w : w;
	default:
		__builtin_memcpy(&d, p, 8);
		return d;
	}
}

static __always_inline void ipo_store(u64 addr, u8 size, u64 v)
{
	void *p = (void *)(unsigned long)addr;
	u8 b = v;
	u16 h = v;
	u32 w = v;

	switch (size) {
	case 1:
		__builtin_memcpy(p, &b, 1);
		break;
	case 2:
		__builtin_memcpy(p, &h, 2);
		break;
	case 4:
		__builtin_memcpy(p, &w, 4);
		break;
	default:
		__builtin_memcpy(p, &v, 8);
		break;
	}
}

/*
 * The run-time bounds check, for every access the verifier marked
 * (IPO_AUX_RT_CHECK): [addr, addr + size) inside the region's
 * [base, base + size), written so that neither an addr below the base nor
 * a huge one can wrap into range.  Accesses without the mark were proven.
 */
static __always_inline bool ipo_access_ok(const struct ipo_insn_aux *aux,
					  const struct ipo_run *run, u64 addr,
					  u8 size)
{
	u64 base, len, off;

	if (!(aux->flags & IPO_AUX_RT_CHECK))
		return true;
	base = run->base[aux->region];
	len = run->size[aux->region];
	off = addr - base;
	return addr >= base && off <= len && len - off >= size;
}

/*
 * Must a write of @size bytes at @addr in the object be logged first?
 * Yes when the run records (ipo_run.undo) and a granule it covers is not
 * in the log yet.  The access is checked in bounds already.
 */
static __always_inline bool ipo_undo_needed(const struct ipo_run *run,
					    u64 addr, u8 size)
{
	u64 off = addr - run->base[IPO_RGN_OBJ];

	/* Checked, but by a branch: no map byte past the object's. */
	off = array_index_nospec(off, run->size[IPO_RGN_OBJ]);
	return run->undo_map &&
	       (!run->undo_map[off >> IPO_UNDO_SHIFT] ||
		!run->undo_map[(off + size - 1) >> IPO_UNDO_SHIFT]);
}

/*
 * One width of the atomics, W 32 or 64.  The plain forms use the fetch
 * primitive too: the caller writes the result back only for the fetch
 * forms.
 */
#define IPO_DEFINE_ATOMIC(W)						\
static __always_inline u64 ipo_atomic_rmw##W(s32 op, void *p, u64 src, \
					      u64 *r0)			\
{									\
	switch (op) {							\
	case IPO_ADD:							\
	case IPO_ADD | IPO_FETCH:					\
		return (u##W)ipo_atomic##W##_fetch(add, p, src);	\
	case IPO_OR:							\
	case IPO_OR | IPO_FETCH:					\
		return (u##W)ipo_atomic##W##_fetch(or, p, src);		\
	case IPO_AND:							\
	case IPO_AND | IPO_FETCH:					\
		return (u##W)ipo_atomic##W##_fetch(and, p, src);	\
	case IPO_XOR:							\
	case IPO_XOR | IPO_FETCH:					\
		return (u##W)ipo_atomic##W##_fetch(xor, p, src);	\
	case IPO_XCHG:							\
		return (u##W)ipo_atomic##W##_xchg(p, src);		\
	case IPO_CMPXCHG:						\
		/* r0 gets the old value, zero-extended; src is kept. */ \
		*r0 = (u##W)ipo_atomic##W##_cmpxchg(p, (u##W)*r0, src);	\
		return src;						\
	}								\
	return src;							\
}

IPO_DEFINE_ATOMIC(32)
IPO_DEFINE_ATOMIC(64)

/*
 * Returns the value the src register gets (old memory value) if any.
 *
 * Not inlined: gcc 12.2 at -O1/-O2 miscompiles the 64-bit fetch_{and,or,xor}
 * builtins once they are inlined into the interpreter loop (the cmpxchg loop
 * computes old OP old, losing the operand; conformance case lock_fetch_and).
 * Atomics are rare enough that the call costs nothing measurable.
 */
static noinline u64 ipo_atomic(const struct ipo_insn *insn, u64 addr,
			       u8 size, u64 src, u64 *r0)
{
	void *p = (void *)(unsigned long)addr;

	if (size == 4)
		return ipo_atomic_rmw32(insn->imm, p, src, r0);
	return ipo_atomic_rmw64(insn->imm, p, src, r0);
}

/* Byte swaps; "le"/"be" convert from host order, which is little endian. */
static __always_inline u64 ipo_end(const struct ipo_opinfo *oi,
				   const struct ipo_insn *insn, u64 v)
{
	bool swap = (oi->flags & IPO_OPF_64) || (insn->code & IPO_TO_BE);

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	/* On a big-endian host "le" is the swap and "be" the truncation. */
	if (!(oi->flags & IPO_OPF_64))
		swap = !swap;
#endif
	return swap ? ipo_bswap(v, insn->imm) : ipo_trunc(v, insn->imm);
}


static inline u32 ipo_frame_size(const struct ipo_prog *prog, u32 func)
{
	return (prog->aux[func].stack_depth + 15) & ~15U;
}

u64 ipo_interp_run(const struct ipo_prog *prog, struct ipo_run *run,
		   const u64 *args)
{
	u64 stack[IPO_STACK_SIZE / sizeof(u64)] __aligned(16);
	struct ipo_frame frames[IPO_MAX_CALL_DEPTH];
	const struct ipo_insn *insns = prog->insns;
	const struct ipo_insn_aux *aux = prog->aux;
	const struct ipo_prog_type *type = prog->type;
	u64 stack_lo = (u64)(unsigned long)stack;
	u64 r[16] = { 0 };
	u32 depth = 0, func = 0, pc = 0;
	s64 fuel = run->fuel;
	u32 i, clear;

	run->abort = IPO_RUN_OK;
	run->abort_pc = 0;
	if (unlikely(!prog->verified || !prog->len)) {
		/* Nothing unverified runs, whoever calls us. */
		run->abort = IPO_ABORT_BOUNDS;
		return 0;
	}

	/*
	 * The verifier forbids reading stack bytes before writing them; clear
	 * the part in use anyway so that a verifier bug cannot turn into a
	 * leak of old kernel stack contents.
	 */
	clear = prog->stack_depth < IPO_STACK_SIZE ? prog->stack_depth :
						     IPO_STACK_SIZE;
	clear = (clear + 15) & ~15U;
	__builtin_memset((u8 *)stack + IPO_STACK_SIZE - clear, 0, clear);
	run->base[IPO_RGN_STACK] = stack_lo;
	run->size[IPO_RGN_STACK] = IPO_STACK_SIZE;

	if (args)
		for (i = 0; i < 5; i++)
			r[IPO_R1 + i] = args[i];
	r[IPO_FP] = stack_lo + IPO_STACK_SIZE;

	for (;;) {
		const struct ipo_insn *insn;
		const struct ipo_opinfo *oi;
		u64 src, addr, v;
		u32 target;

		/* The verifier rules out falling off the end; stay safe. */
		if (unlikely(pc >= prog->len))
			goto abort_bounds;
		pc = array_index_nospec(pc, prog->len);
		insn = &insns[pc];
		oi = &ipo_opinfo[insn->code];
		src = (oi->flags & IPO_OPF_SRCX) ? r[insn->src] :
						   (u64)(s64)insn->imm;

		switch (oi->kind) {
		case IPO_K_ALU:
			if (oi->flags & IPO_OPF_64)
				r[insn->dst] = ipo_alu64(oi->op, insn->off,
							 r[insn->dst], src);
			else
				r[insn->dst] = ipo_alu32(oi->op, insn->off,
							 (u32)r[insn->dst],
							 (u32)src);
			pc++;
			continue;

		case IPO_K_END:
			r[insn->dst] = ipo_end(oi, insn, r[insn->dst]);
			pc++;
			continue;

		case IPO_K_LDDW:
			if (unlikely(pc + 1 >= prog->len))
				goto abort_bounds;
			r[insn->dst] = (u64)(u32)insn->imm |
				       (u64)(u32)insns[pc + 1].imm << 32;
			pc += 2;
			continue;

		case IPO_K_LDX:
			addr = r[insn->src] + (u64)(s64)insn->off;
			if (unlikely(!ipo_access_ok(&aux[pc], run, addr,
						    oi->size)))
				goto abort_bounds;
			r[insn->dst] = ipo_load(addr, oi->size,
						oi->flags & IPO_OPF_SIGNED);
			pc++;
			continue;

		case IPO_K_ST:
		case IPO_K_STX:
			addr = r[insn->dst] + (u64)(s64)insn->off;
			if (unlikely(!ipo_access_ok(&aux[pc], run, addr,
						    oi->size)))
				goto abort_bounds;
			if (aux[pc].region == IPO_RGN_OBJ &&
			    unlikely(ipo_undo_needed(run, addr, oi->size)))
				goto undo;
			ipo_store(addr, oi->size, src);
			pc++;
			continue;

		case IPO_K_ATOMIC:
			addr = r[insn->dst] + (u64)(s64)insn->off;
			if (unlikely(!ipo_access_ok(&aux[pc], run, addr,
						    oi->size)))
				goto abort_bounds;
			if (aux[pc].region == IPO_RGN_OBJ &&
			    unlikely(ipo_undo_needed(run, addr, oi->size)))
				goto undo;
			v = ipo_atomic(insn, addr, oi->size, src, &r[IPO_R0]);
			/*
			 * Only the fetch forms load into src; cmpxchg loads
			 * into r0 and must not be undone when src is r0.
			 */
			if ((insn->imm & IPO_FETCH) && insn->imm != IPO_CMPXCHG)
				r[insn->src] = v;
			pc++;
			continue;

		case IPO_K_JA:
			/* ja takes its offset from off, ja32 from imm. */
			target = pc + 1 + ((oi->flags & IPO_OPF_64) ?
					   (u32)(s32)insn->off : (u32)insn->imm);
			goto jump;

		case IPO_K_JCOND:
			if (oi->flags & IPO_OPF_64) {
				if (!ipo_cond64(oi->op, r[insn->dst], src)) {
					pc++;
					continue;
				}
			} else if (!ipo_cond32(oi->op, (u32)r[insn->dst],
					       (u32)src)) {
				pc++;
				continue;
			}
			target = pc + 1 + (u32)(s32)insn->off;
			goto jump;

		case IPO_K_CALL:
			if (insn->src == IPO_PSEUDO_CALL) {
				u32 callee = pc + 1 + (u32)insn->imm;
				u64 fp = r[IPO_FP] - ipo_frame_size(prog, func);
				struct ipo_frame *f;

				fuel -= IPO_FUEL_CALL;
				if (unlikely(fuel < 0))
					goto abort_fuel;
				/*
				 * The verifier bounds depth and stack; the
				 * frame array and the stack array are on a
				 * kernel stack, so check once more.
				 */
				if (unlikely(depth >= IPO_MAX_CALL_DEPTH - 1 ||
					     callee >= prog->len))
					goto abort_bounds;
				callee = array_index_nospec(callee, prog->len);
				if (unlikely(fp < stack_lo ||
					     fp - stack_lo <
					     ipo_frame_size(prog, callee)))
					goto abort_bounds;
				f = &frames[depth++];
				f->ret_pc = pc + 1;
				f->func = func;
				f->saved[0] = r[IPO_R6];
				f->saved[1] = r[IPO_R7];
				f->saved[2] = r[IPO_R8];
				f->saved[3] = r[IPO_R9];
				f->fp = r[IPO_FP];
				r[IPO_FP] = fp;
				func = pc = callee;
				continue;
			}
			i = insn->imm;
			goto helper;

		case IPO_K_CALLX:
			/* The id is only known now: check it against the type. */
			if (unlikely(r[insn->dst] >= type->nr_helpers))
				goto abort_helper;
			i = array_index_nospec((u32)r[insn->dst],
					       type->nr_helpers);
			if (unlikely(!type->helpers[i].fn))
				goto abort_helper;
			goto helper;

		case IPO_K_EXIT:
			if (!depth)
				goto out;
			{
				struct ipo_frame *f = &frames[--depth];

				r[IPO_R6] = f->saved[0];
				r[IPO_R7] = f->saved[1];
				r[IPO_R8] = f->saved[2];
				r[IPO_R9] = f->saved[3];
				r[IPO_FP] = f->fp;
				func = f->func;
				pc = f->ret_pc;
			}
			continue;

		default:
			/* Never verified; here only if the verifier is wrong. */
			goto abort_bounds;
		}

undo:
		/*
		 * The first write to a granule: log it, then run the same
		 * instruction again, which now finds it logged.
		 */
		run->abort = ipo_undo_touch(run, addr, oi->size);
		if (unlikely(run->abort)) {
			run->abort_pc = pc;
			run->fuel = fuel;
			return 0;
		}
		continue;

jump:
		if (target <= pc) {
			/* A back edge pays for the instructions it repeats. */
			fuel -= (s64)(pc - target) + 1;
			if (unlikely(fuel < 0))
				goto abort_fuel;
		}
		pc = target;
		continue;

helper:
		fuel -= IPO_FUEL_CALL;
		if (unlikely(fuel < 0))
			goto abort_fuel;
		if (unlikely(i >= type->nr_helpers))
			goto abort_helper;
		i = array_index_nospec(i, type->nr_helpers);
		if (unlikely(!type->helpers[i].fn))
			goto abort_helper;
		fuel -= type->helpers[i].fuel;
		if (unlikely(fuel < 0))
			goto abort_fuel;
		run->fuel = fuel;
		/* Memory the helper may write in the object: logged first. */
		if (unlikely(aux[pc].flags & IPO_AUX_OBJ_WRITE) &&
		    run->undo_map) {
			u32 reg;

			for (reg = IPO_R1; reg < IPO_R5; reg++) {
				if (!(aux[pc].spec_valid & (1U << reg)))
					continue;
				run->abort = ipo_undo_touch(run, r[reg],
							    r[reg + 1]);
				if (unlikely(run->abort)) {
					run->abort_pc = pc;
					return 0;
				}
			}
		}
		r[IPO_R0] = type->helpers[i].fn(r[IPO_R1], r[IPO_R2], r[IPO_R3],
						r[IPO_R4], r[IPO_R5], run);
		if (unlikely(run->abort)) {
			run->abort_pc = pc;
			if (run->abort == IPO_ABORT_UNWIND)
				return run->unwind_value;
			return 0;
		}
		pc++;
	}

out:
	run->fuel = fuel;
	return r[IPO_R0];

abort_fuel:
	run->fuel = fuel;
	run->abort = IPO_ABORT_FUEL;
	run->abort_pc = pc;
	return 0;

abort_bounds:
	run->fuel = fuel;
	run->abort = IPO_ABORT_BOUNDS;
	run->abort_pc = pc;
	return 0;

abort_helper:
	run->fuel = fuel;
	run->abort = IPO_ABORT_HELPER;
	run->abort_pc = pc;
	return 0;
}
