// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection of the debug build (see fault.h): the counter behind
 * every redirected allocation and user copy, and its module parameters.
 * Only built with IPO_FAULT_INJECT (`make module-fault`).
 */
#include <linux/atomic.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "fault.h"

static unsigned int fault_every;
static unsigned int fault_nth;
static atomic_long_t fault_calls;
static atomic_long_t fault_injected;
atomic_long_t ipo_fault_live;

/* Writing either knob restarts the count from the next call. */
static int fault_set(const char *val, const struct kernel_param *kp)
{
	int ret = param_set_uint(val, kp);

	if (!ret) {
		atomic_long_set(&fault_calls, 0);
		atomic_long_set(&fault_injected, 0);
	}
	return ret;
}

static const struct kernel_param_ops fault_knob_ops = {
	.set = fault_set,
	.get = param_get_uint,
};

static int fault_get_count(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(kp->arg));
}

static const struct kernel_param_ops fault_count_ops = {
	.get = fault_get_count,
};

module_param_cb(fault_every, &fault_knob_ops, &fault_every, 0644);
MODULE_PARM_DESC(fault_every, "Fail every Nth allocation or user copy (0: off)");
module_param_cb(fault_nth, &fault_knob_ops, &fault_nth, 0644);
MODULE_PARM_DESC(fault_nth, "Fail only the Nth allocation or user copy (0: off)");
module_param_cb(fault_calls, &fault_count_ops, &fault_calls, 0444);
MODULE_PARM_DESC(fault_calls, "Calls counted since fault_every/fault_nth was written");
module_param_cb(fault_injected, &fault_count_ops, &fault_injected, 0444);
MODULE_PARM_DESC(fault_injected, "Failures injected since fault_every/fault_nth was written");
module_param_cb(fault_live, &fault_count_ops, &ipo_fault_live, 0444);
MODULE_PARM_DESC(fault_live, "Allocations of the module not yet freed");

/* Last thing at unload: everything allocated must have been freed. */
void ipo_fault_exit(void)
{
	long live = atomic_long_read(&ipo_fault_live);

	if (live)
		pr_err("ipo: %ld allocations leaked\n", live);
}

bool ipo_fault_hit(gfp_t gfp)
{
	unsigned int every = READ_ONCE(fault_every);
	unsigned int nth = READ_ONCE(fault_nth);
	long n;

	if (gfp & __GFP_NOFAIL)
		return false;
	if (!every && !nth)
		return false;
	n = atomic_long_inc_return(&fault_calls);
	if ((every && n % every == 0) || (nth && n == nth)) {
		atomic_long_inc(&fault_injected);
		return true;
	}
	return false;
}
