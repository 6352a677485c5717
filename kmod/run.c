// SPDX-License-Identifier: GPL-2.0
/*
 * Running programs: on their native code when they were JIT-compiled, on
 * the interpreter otherwise; and PROG_TEST_RUN, which runs a METHOD program
 * against private buffers.
 */
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "ipo.h"
#include "../jit/interp.h"

/* The uapi's abort codes are the engine's. */
static_assert((int)IPO_RESULT_FUEL == (int)IPO_ABORT_FUEL);
static_assert((int)IPO_RESULT_BOUNDS == (int)IPO_ABORT_BOUNDS);
static_assert((int)IPO_RESULT_HELPER == (int)IPO_ABORT_HELPER);

u64 ipo_kprog_run(const struct ipo_kprog *kp, struct ipo_run *run,
		  const u64 *args, bool interp)
{
	if (kp->jited && !interp)
		return ipo_jit_run(&kp->jit, run, args);
	return ipo_interp_run(&kp->prog, run, args);
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
	struct ipo_method_ctx ctx = {};
	bool interp = cmd->flags & IPO_TEST_RUN_INTERP;
	u32 i, repeat = max(cmd->repeat, 1U);
	struct ipo_kprog *kp;
	struct ipo_run run;
	u64 fuel, t0, r0 = 0;
	u64 args[5] = {};
	int ret = 0;

	if (cmd->flags & ~IPO_TEST_RUN_FLAGS || cmd->__reserved ||
	    cmd->__reserved2)
		return -EINVAL;
	if (!cmd->obj_size || cmd->obj_size > IPO_TEST_RUN_BUF_MAX ||
	    cmd->arg_size > IPO_TEST_RUN_BUF_MAX ||
	    cmd->out_size > IPO_TEST_RUN_BUF_MAX)
		return -EINVAL;
	fuel = cmd->fuel ? cmd->fuel : READ_ONCE(ipo_fuel_default);
	if (fuel > READ_ONCE(ipo_fuel_max) || fuel > S64_MAX)
		return -E2BIG;

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

	ctx.obj = obj;
	ctx.arg = arg;
	ctx.out = out;
	ctx.obj_size = cmd->obj_size;
	ctx.arg_size = cmd->arg_size;
	ctx.out_size = cmd->out_size;
	ctx.caller_uid = from_kuid_munged(current_user_ns(), current_euid());
	ctx.caller_tgid = task_tgid_vnr(current);
	args[0] = (unsigned long)&ctx;

	t0 = ktime_get_ns();
	for (i = 0; i < repeat; i++) {
		memset(&run, 0, sizeof(run));
		run.base[IPO_RGN_CTX] = (unsigned long)&ctx;
		run.size[IPO_RGN_CTX] = sizeof(ctx);
		run.base[IPO_RGN_OBJ] = (unsigned long)obj;
		run.size[IPO_RGN_OBJ] = cmd->obj_size;
		run.base[IPO_RGN_ARG] = (unsigned long)arg;
		run.size[IPO_RGN_ARG] = cmd->arg_size;
		run.base[IPO_RGN_OUT] = (unsigned long)out;
		run.size[IPO_RGN_OUT] = cmd->out_size;
		run.fuel = fuel;
		run.priv = &env;	/* a test run notifies nobody */
		r0 = ipo_kprog_run(kp, &run, args, interp);
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto out_free;
		}
		cond_resched();
	}
	cmd->duration_ns = div_u64(ktime_get_ns() - t0, repeat);
	cmd->retval = run.abort ? 0 : r0;
	cmd->abort = run.abort == IPO_ABORT_UNWIND ? IPO_RESULT_OK : run.abort;
	cmd->abort_pc = run.abort ? run.abort_pc : 0;
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
