/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One run of a program (run.c): the body of ipo_kprog_run(), for callers
 * that inline it.
 */
#ifndef IPO_KMOD_RUN_H
#define IPO_KMOD_RUN_H

#include "ipo.h"
#include "../exec/interp.h"

/*
 * ipo_kprog_run_inline() sets struct ipo_run field by field: a region or
 * a field added there must be set there too.
 */
static_assert(IPO_RGN_MEM + 1 == IPO_RGN_STACK &&
	      IPO_RGN_STACK + 1 == IPO_NR_REGIONS);
static_assert(sizeof(struct ipo_run) ==
	      offsetofend(struct ipo_run, undo_map) &&
	      offsetof(struct ipo_run, undo_map) ==
	      offsetof(struct ipo_run, fuel) + 5 * sizeof(u64));

/*
 * ipo_kprog_run_inline() - run @kp once, as @kr describes (ipo_kprog_run()
 * is the same out of line).  Inline in INVOKE's call loop, where @kr is
 * built on the stack just before: the compiler then keeps its fields in
 * registers instead of storing them and loading them back (~60
 * instructions a call).
 *
 * r1 is the context of the program's type: struct ipo_irq_ctx for an IRQ
 * program, struct ipo_method_ctx for a METHOD one.  The regions are that
 * context, the object's data and, for a method, the call's argument and
 * output buffers (an IRQ program has none: NULL, 0 bytes).  @kr->fuel is
 * the budget as the caller decided it (ipo_run_fuel() for a method call,
 * irq_fuel for a hook); here it is only cut to what an s64 holds.
 *
 * The result, decided here once for every caller: an abort (fuel, bounds,
 * helper) is a result, not an error: kr->abort says which (IPO_RESULT_*),
 * kr->abort_pc where, and kr->ret is 0.  An unwind (IPO_ABORT_UNWIND: a
 * helper ended the run early with a value) is a normal exit, as the
 * engine counts it: IPO_RESULT_OK, kr->ret is the unwind value and
 * kr->abort_pc 0.  kr->fuel_used is what the run consumed (an aborted run
 * may leave ipo_run.fuel below zero).
 *
 * Neither sleeps nor allocates: the IRQ hook runs it in hard-IRQ context
 * under a raw spinlock.
 */
static __always_inline void ipo_kprog_run_inline(const struct ipo_kprog *kp,
						 struct ipo_krun *kr)
{
	union {
		struct ipo_method_ctx method;
		struct ipo_irq_ctx irq;
	} ctx __uninitialized;
	/*
	 * Every field set one by one (an initializer zeroes the whole
	 * struct first, then stores the fields again), all but the stack
	 * region's, which each engine sets on entry.
	 */
	struct ipo_run run __uninitialized;
	u64 args[5] = {};
	u64 fuel = min_t(u64, kr->fuel, S64_MAX);
	u64 r0;

	if (kp->prog_type == IPO_PROG_TYPE_IRQ) {
		ctx.irq.obj = kr->obj;
		ctx.irq.obj_size = kr->obj_size;
		ctx.irq.win_size = kr->win_size;
		run.size[IPO_RGN_CTX] = sizeof(ctx.irq);
	} else {
		ctx.method.obj = kr->obj;
		ctx.method.arg = kr->arg;
		ctx.method.out = kr->out;
		ctx.method.obj_size = kr->obj_size;
		ctx.method.arg_size = kr->arg_size;
		ctx.method.out_size = kr->out_size;
		ctx.method.method = kr->method;
		ctx.method.obj_id = kr->obj_id;
		ctx.method.caller_uid = kr->caller_uid;
		ctx.method.caller_tgid = kr->caller_tgid;
		run.size[IPO_RGN_CTX] = sizeof(ctx.method);
	}
	run.base[IPO_RGN_NONE] = 0;
	run.size[IPO_RGN_NONE] = 0;
	run.base[IPO_RGN_CTX] = (unsigned long)&ctx;
	run.base[IPO_RGN_OBJ] = (unsigned long)kr->obj;
	run.size[IPO_RGN_OBJ] = kr->obj_size;
	run.base[IPO_RGN_ARG] = (unsigned long)kr->arg;
	run.size[IPO_RGN_ARG] = kr->arg_size;
	run.base[IPO_RGN_OUT] = (unsigned long)kr->out;
	run.size[IPO_RGN_OUT] = kr->out_size;
	run.base[IPO_RGN_MEM] = 0;
	run.size[IPO_RGN_MEM] = 0;
	run.fuel = fuel;
	run.abort = IPO_RUN_OK;
	run.abort_pc = 0;
	run.unwind_value = 0;
	run.priv = kr->env;
	run.undo = NULL;
	run.undo_map = NULL;
	if (kr->undo)
		ipo_undo_start(kr->undo, kr->undo_obj, &run);
	args[0] = (unsigned long)&ctx;

	if (kp->jited && !kr->interp)
		r0 = ipo_jit_run(&kp->jit, &run, args);
	else
		r0 = ipo_interp_run(&kp->prog, &run, args);

	kr->fuel_used = fuel - clamp_t(s64, run.fuel, 0, fuel);
	if (run.abort == IPO_ABORT_UNWIND)
		run.abort = IPO_RUN_OK;
	kr->abort = run.abort;
	kr->abort_pc = run.abort ? run.abort_pc : 0;
	kr->ret = run.abort ? 0 : r0;
}

#endif /* IPO_KMOD_RUN_H */
