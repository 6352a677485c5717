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
#include "run.h"

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

/* Out of line, for PROG_TEST_RUN and the IRQ hook (INVOKE inlines it). */
void ipo_kprog_run(const struct ipo_kprog *kp, struct ipo_krun *kr)
{
	ipo_kprog_run_inline(kp, kr);
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
