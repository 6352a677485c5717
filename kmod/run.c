// SPDX-License-Identifier: GPL-2.0
/*
 * Running programs: one function sets up and runs a program, on its native
 * code when it was JIT-compiled, on the interpreter otherwise, for INVOKE,
 * PROG_TEST_RUN and the IRQ hook alike; and PROG_TEST_RUN, which runs a
 * METHOD program against private buffers.
 */
#include <linux/cred.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "ipo.h"
#include "../exec/interp.h"

/* The uapi's abort codes are the engine's. */
static_assert((int)IPO_RESULT_OK == (int)IPO_RUN_OK);
static_assert((int)IPO_RESULT_FUEL == (int)IPO_ABORT_FUEL);
static_assert((int)IPO_RESULT_BOUNDS == (int)IPO_ABORT_BOUNDS);
static_assert((int)IPO_RESULT_HELPER == (int)IPO_ABORT_HELPER);
static_assert((int)IPO_RESULT_UNDO == (int)IPO_ABORT_UNDO);

/*
 * The contexts have no padding: every byte a program may read (its
 * region is sizeof() the context of its type) is a field that
 * ipo_kprog_run() sets, so no stack bytes reach it and nothing needs
 * zeroing first (hence __uninitialized, against the kernel's
 * CONFIG_INIT_STACK_ALL_ZERO).
 */
static_assert(sizeof(void *) == sizeof(u64));
static_assert(sizeof(struct ipo_method_ctx) ==
	      offsetofend(struct ipo_method_ctx, caller_tgid));
static_assert(offsetofend(struct ipo_method_ctx, method) ==
	      offsetof(struct ipo_method_ctx, obj_id));
static_assert(sizeof(struct ipo_irq_ctx) ==
	      offsetofend(struct ipo_irq_ctx, win_size));

/*
 * ipo_kprog_run() - run @kp once, as @kr describes.
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
void ipo_kprog_run(const struct ipo_kprog *kp, struct ipo_krun *kr)
{
	union {
		struct ipo_method_ctx method;
		struct ipo_irq_ctx irq;
	} ctx __uninitialized;
	struct ipo_run run = {
		.base[IPO_RGN_OBJ] = (unsigned long)kr->obj,
		.size[IPO_RGN_OBJ] = kr->obj_size,
		.base[IPO_RGN_ARG] = (unsigned long)kr->arg,
		.size[IPO_RGN_ARG] = kr->arg_size,
		.base[IPO_RGN_OUT] = (unsigned long)kr->out,
		.size[IPO_RGN_OUT] = kr->out_size,
		.priv = kr->env,
	};
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
	run.base[IPO_RGN_CTX] = (unsigned long)&ctx;
	run.fuel = fuel;
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

/*
 * The fuel of each run a caller asks for: 0 is the module's default
 * (parameter fuel), more than max_fuel is E2BIG.  Decided when the command
 * is read, before anything runs.
 */
int ipo_run_fuel(u64 asked, u64 *fuel)
{
	u64 f = asked ? asked : READ_ONCE(ipo_fuel_default);

	if (f > READ_ONCE(ipo_fuel_max) || f > S64_MAX)
		return -E2BIG;
	*fuel = f;
	return 0;
}

/* Who calls, as a method's context says it: euid and thread group id. */
void ipo_run_caller(u32 *uid, u32 *tgid)
{
	kuid_t euid = current_euid();

	/*
	 * In the initial user namespace the mapping is the identity, valid
	 * ids being mapped to themselves: no call needed.
	 */
	if (current_user_ns() == &init_user_ns && uid_valid(euid))
		*uid = __kuid_val(euid);
	else
		*uid = from_kuid_munged(current_user_ns(), euid);
	*tgid = task_tgid_vnr(current);
}

/* Copies @size bytes of a user buffer in (or zeroes them); NULL on error. */
static void *ipo_buf_in(u64 uptr, u32 size, bool copy, int *err)
{
	void *buf;

	buf = kvzalloc(max(size, 1U), GFP_KERNEL_ACCOUNT);
	if (!buf) {
		*err = -ENOMEM;
		return NULL;
	}
	if (copy && size && copy_from_user(buf, u64_to_user_ptr(uptr), size)) {
		kvfree(buf);
		*err = -EFAULT;
		return NULL;
	}
	return buf;
}

int ipo_prog_test_run_ioctl(struct ipo_ucmd *ucmd)
{
	struct ipo_prog_test_run *cmd = ucmd->cmd;
	void *obj = NULL, *arg = NULL, *out = NULL;
	struct ipo_method_env env = {};
	bool interp = cmd->flags & IPO_TEST_RUN_INTERP;
	u32 i, repeat = max(cmd->repeat, 1U);
	struct ipo_kprog *kp;
	struct ipo_krun kr;
	u64 fuel, t0;
	int ret = 0;

	if (cmd->flags & ~IPO_TEST_RUN_FLAGS || cmd->__reserved ||
	    cmd->__reserved2)
		return -EINVAL;
	if (!cmd->obj_size || cmd->obj_size > IPO_TEST_RUN_BUF_MAX ||
	    cmd->arg_size > IPO_TEST_RUN_BUF_MAX ||
	    cmd->out_size > IPO_TEST_RUN_BUF_MAX)
		return -EINVAL;
	ret = ipo_run_fuel(cmd->fuel, &fuel);
	if (ret)
		return ret;

	kp = ipo_kprog_get(cmd->prog_fd);
	if (IS_ERR(kp))
		return PTR_ERR(kp);
	if (kp->prog_type != IPO_PROG_TYPE_METHOD) {
		ret = -EINVAL;
		goto out_put;
	}

	obj = ipo_buf_in(cmd->obj, cmd->obj_size, true, &ret);
	if (obj)
		arg = ipo_buf_in(cmd->arg, cmd->arg_size, true, &ret);
	if (arg)
		out = ipo_buf_in(cmd->out, cmd->out_size, false, &ret);
	if (!out)
		goto out_free;

	kr = (struct ipo_krun){
		.obj = obj,
		.obj_size = cmd->obj_size,
		.arg = arg,
		.arg_size = cmd->arg_size,
		.out = out,
		.out_size = cmd->out_size,
		.fuel = fuel,
		.env = &env,		/* a test run notifies nobody */
		.interp = interp,
	};
	ipo_run_caller(&kr.caller_uid, &kr.caller_tgid);

	t0 = ktime_get_ns();
	for (i = 0; i < repeat; i++) {
		ipo_kprog_run(kp, &kr);
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto out_free;
		}
		cond_resched();
	}
	cmd->duration_ns = div_u64(ktime_get_ns() - t0, repeat);
	cmd->retval = kr.ret;
	cmd->abort = kr.abort;
	cmd->abort_pc = kr.abort_pc;
	cmd->jited = kp->jited && !interp;

	if (copy_to_user(u64_to_user_ptr(cmd->obj), obj, cmd->obj_size) ||
	    (cmd->out_size &&
	     copy_to_user(u64_to_user_ptr(cmd->out), out, cmd->out_size))) {
		ret = -EFAULT;
		goto out_free;
	}
	ret = ipo_ucmd_respond(ucmd, sizeof(*cmd));

out_free:
	kvfree(out);
	kvfree(arg);
	kvfree(obj);
out_put:
	ipo_kprog_put(kp);
	return ret;
}
