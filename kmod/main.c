// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/ipo: module entry, parameters and the ioctl dispatcher.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/nospec.h>
#include <linux/uaccess.h>
#include <linux/fs.h>

#include "ipo.h"
#include "ucopy.h"

unsigned long ipo_max_obj_size = 64UL << 20;
module_param_named(max_obj_size, ipo_max_obj_size, ulong, 0644);
MODULE_PARM_DESC(max_obj_size, "Largest object data size in bytes (default 64 MiB, at most 1 GiB)");

unsigned int ipo_max_objs_per_user = 4096;
module_param_named(max_objs_per_user, ipo_max_objs_per_user, uint, 0644);
MODULE_PARM_DESC(max_objs_per_user, "Live objects one user may own (default 4096)");

unsigned int ipo_max_prog_insns = IPO_MAX_INSNS;
module_param_named(max_prog_insns, ipo_max_prog_insns, uint, 0644);
MODULE_PARM_DESC(max_prog_insns, "Most instructions in one program (default and at most 1048576)");

bool ipo_jit_enabled = true;
module_param_named(jit, ipo_jit_enabled, bool, 0644);
MODULE_PARM_DESC(jit, "JIT-compile programs (default on); off: interpreter");

unsigned long ipo_fuel_default = 1UL << 20;
module_param_named(fuel, ipo_fuel_default, ulong, 0644);
MODULE_PARM_DESC(fuel, "Instruction budget of one call (default 1048576)");

unsigned long ipo_fuel_max = 1UL << 27;
module_param_named(max_fuel, ipo_fuel_max, ulong, 0644);
MODULE_PARM_DESC(max_fuel, "Largest budget a caller may ask for (default 134217728)");

module_param_named(max_bundle_calls, ipo_max_bundle_calls, uint, 0644);
MODULE_PARM_DESC(max_bundle_calls, "Most calls in one INVOKE (default 1024)");
module_param_named(max_buf_size, ipo_max_buf_size, uint, 0644);
MODULE_PARM_DESC(max_buf_size, "Largest argument or output buffer of a call (default 64 KiB)");
module_param_named(max_bundle_bytes, ipo_max_bundle_bytes, uint, 0644);
MODULE_PARM_DESC(max_bundle_bytes, "Most argument and output bytes in one INVOKE (default 16 MiB)");

bool ipo_unprivileged_progs = true;
module_param_named(unprivileged_progs, ipo_unprivileged_progs, bool, 0644);
MODULE_PARM_DESC(unprivileged_progs, "Let any user load programs (default on); off: PROG_LOAD needs CAP_BPF or CAP_SYS_ADMIN");

unsigned int ipo_max_progs_per_user = 1024;
module_param_named(max_progs_per_user, ipo_max_progs_per_user, uint, 0644);
MODULE_PARM_DESC(max_progs_per_user, "Live programs one user may own (default 1024)");

static int ipo_get_info_ioctl(struct ipo_ucmd *ucmd)
{
	struct ipo_info *info = ucmd->cmd;

	if (info->flags || info->__reserved || info->__reserved2 ||
	    info->__reserved3)
		return -EINVAL;

	info->abi_version = IPO_ABI_VERSION;
	info->features = IPO_FEATURE_OBJECTS | IPO_FEATURE_PROGS |
			 IPO_FEATURE_TEST_RUN | IPO_FEATURE_METHODS |
			 IPO_FEATURE_HANDLES | IPO_FEATURE_LIST |
			 IPO_FEATURE_NOTIFY | IPO_FEATURE_IRQ |
			 IPO_FEATURE_HANDLE_TREE | IPO_FEATURE_PERSIST |
			 IPO_FEATURE_METHOD_INFO | IPO_FEATURE_INDEPENDENT |
			 IPO_FEATURE_ABORT_PC;
	info->max_bundle_calls = READ_ONCE(ipo_max_bundle_calls);
	info->max_buf_size = READ_ONCE(ipo_max_buf_size);
	info->max_bundle_bytes = READ_ONCE(ipo_max_bundle_bytes);
	info->max_methods = IPO_MAX_METHODS;
	if (READ_ONCE(ipo_jit_enabled))
		info->features |= IPO_FEATURE_JIT;
	ipo_codemem_stats(&info->jit_pool_size, &info->jit_pool_used);
	info->max_obj_size = ipo_obj_size_limit();
	info->max_objs_per_user = READ_ONCE(ipo_max_objs_per_user);
	ipo_user_counts(current_euid(), &info->nr_objs, &info->nr_progs,
			&info->jit_user_used);
	info->jit_user_share = ipo_codemem_user_share();
	info->header_size = sizeof(struct ipo_obj_header);
	info->max_prog_insns = min_t(u32, READ_ONCE(ipo_max_prog_insns),
				     IPO_MAX_INSNS);
	info->max_progs_per_user = READ_ONCE(ipo_max_progs_per_user);
	return ipo_ucmd_respond(ucmd, sizeof(*info));
}

union ipo_ucmd_buffer {
	struct ipo_info info;
	struct ipo_obj_create obj_create;
	struct ipo_prog_load prog_load;
	struct ipo_prog_test_run prog_test_run;
	struct ipo_obj_set_methods obj_set_methods;
	struct ipo_invoke invoke;
	struct ipo_handle_derive handle_derive;
	struct ipo_handle_revoke handle_revoke;
	struct ipo_obj_open obj_open;
	struct ipo_list list;
	struct ipo_subscribe subscribe;
	struct ipo_irq_attach irq_attach;
	struct ipo_irq_detach irq_detach;
	struct ipo_irq_stat irq_stat;
	struct ipo_obj_remove obj_remove;
	struct ipo_obj_methods obj_methods;
};

struct ipo_ioctl_op {
	unsigned int size;	/* the kernel's struct size */
	unsigned int min_size;	/* the first published size */
	unsigned int ioctl_num;
	int (*execute)(struct ipo_ucmd *ucmd);
};

#define IPO_IOCTL_OP(_ioctl, _fn, _struct, _last)			\
	[_IOC_NR(_ioctl) - IPO_CMD_BASE] = {				\
		.size = sizeof(_struct) +				\
			BUILD_BUG_ON_ZERO(sizeof(union ipo_ucmd_buffer) < \
					  sizeof(_struct)),		\
		.min_size = offsetofend(_struct, _last),		\
		.ioctl_num = _ioctl,					\
		.execute = _fn,						\
	}

static const struct ipo_ioctl_op ipo_ioctl_ops[] = {
	IPO_IOCTL_OP(IPO_GET_INFO, ipo_get_info_ioctl,
		     struct ipo_info, __reserved2),
	IPO_IOCTL_OP(IPO_OBJ_CREATE, ipo_obj_create_ioctl,
		     struct ipo_obj_create, name),
	IPO_IOCTL_OP(IPO_PROG_LOAD, ipo_prog_load_ioctl,
		     struct ipo_prog_load, prog_id),
	IPO_IOCTL_OP(IPO_PROG_TEST_RUN, ipo_prog_test_run_ioctl,
		     struct ipo_prog_test_run, __reserved2),
	IPO_IOCTL_OP(IPO_OBJ_SET_METHODS, ipo_obj_set_methods_ioctl,
		     struct ipo_obj_set_methods, prog_fds),
	IPO_IOCTL_OP(IPO_INVOKE, ipo_invoke_ioctl,
		     struct ipo_invoke, __reserved),
	IPO_IOCTL_OP(IPO_HANDLE_DERIVE, ipo_handle_derive_ioctl,
		     struct ipo_handle_derive, handle_id),
	IPO_IOCTL_OP(IPO_HANDLE_REVOKE, ipo_handle_revoke_ioctl,
		     struct ipo_handle_revoke, handle_id),
	IPO_IOCTL_OP(IPO_OBJ_OPEN, ipo_obj_open_ioctl,
		     struct ipo_obj_open, name),
	IPO_IOCTL_OP(IPO_LIST, ipo_list_ioctl,
		     struct ipo_list, next_id),
	IPO_IOCTL_OP(IPO_SUBSCRIBE, ipo_subscribe_ioctl,
		     struct ipo_subscribe, __reserved),
	IPO_IOCTL_OP(IPO_IRQ_ATTACH, ipo_irq_attach_ioctl,
		     struct ipo_irq_attach, device),
	IPO_IOCTL_OP(IPO_IRQ_DETACH, ipo_irq_detach_ioctl,
		     struct ipo_irq_detach, __reserved),
	IPO_IOCTL_OP(IPO_IRQ_STAT, ipo_irq_stat_ioctl,
		     struct ipo_irq_stat, __reserved),
	IPO_IOCTL_OP(IPO_OBJ_REMOVE, ipo_obj_remove_ioctl,
		     struct ipo_obj_remove, name),
	IPO_IOCTL_OP(IPO_OBJ_METHODS, ipo_obj_methods_ioctl,
		     struct ipo_obj_methods, nr_methods),
};

/*
 * The command struct's size and, when it is no larger than the kernel's,
 * the struct, in one user-access window.  False when that is not the
 * case or anything faulted: the caller then reads it the ordinary way,
 * which fails with the right error (the reads here have no effect).
 */
static bool ipo_ucmd_read_fast(struct ipo_ucmd *ucmd,
			       const struct ipo_ioctl_op *op, void *buf)
{
	u32 usize;

	might_fault();
	if (!user_read_access_begin(ucmd->ubuffer, sizeof(u32)))
		return false;
	unsafe_get_user(usize, (u32 __user *)ucmd->ubuffer, fault);
	if (usize < op->min_size || usize > op->size ||
	    !access_ok(ucmd->ubuffer, usize))
		goto fault;
	ipo_unsafe_copy_in(buf, ucmd->ubuffer, usize, fault);
	user_read_access_end();
	/* Zero-extended, as copy_struct_from_user() does. */
	if (usize < op->size)
		memset(buf + usize, 0, op->size - usize);
	ucmd->user_size = usize;
	return true;
fault:
	user_read_access_end();
	return false;
}

static long ipo_dev_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	const struct ipo_ioctl_op *op;
	/*
	 * Not zeroed by CONFIG_INIT_STACK_ALL_ZERO (the largest command's
	 * size, every ioctl): the command's op->size bytes are all written
	 * below, and nothing reads past them.
	 */
	union ipo_ucmd_buffer buf __uninitialized;
	struct ipo_ucmd ucmd = {};
	unsigned int nr;
	int ret;

	nr = _IOC_NR(cmd);
	if (nr < IPO_CMD_BASE ||
	    nr - IPO_CMD_BASE >= ARRAY_SIZE(ipo_ioctl_ops))
		return -ENOTTY;
	op = &ipo_ioctl_ops[array_index_nospec(nr - IPO_CMD_BASE,
					       ARRAY_SIZE(ipo_ioctl_ops))];
	if (op->ioctl_num != cmd)
		return -ENOTTY;

	ucmd.ubuffer = (void __user *)arg;
	ucmd.cmd = &buf;
	if (ipo_ucmd_read_fast(&ucmd, op, &buf))
		return op->execute(&ucmd);
	ret = get_user(ucmd.user_size, (u32 __user *)ucmd.ubuffer);
	if (ret)
		return ret;
	if (ucmd.user_size < op->min_size)
		return -EINVAL;
	ret = copy_struct_from_user(&buf, op->size, ucmd.ubuffer,
				    ucmd.user_size);
	if (ret)
		return ret;
	return op->execute(&ucmd);
}

static const struct file_operations ipo_dev_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.unlocked_ioctl = ipo_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice ipo_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "ipo",
	.fops = &ipo_dev_fops,
	.mode = 0666,
};

static int __init ipo_init(void)
{
	int ret;

	ret = ipo_codemem_init();
	if (ret)
		return ret;
	ret = ipo_irq_init();
	if (ret) {
		pr_err("cannot register the ipo-irq driver: %d\n", ret);
		ipo_codemem_exit();
		return ret;
	}
	ret = misc_register(&ipo_misc);
	if (ret) {
		pr_err("cannot register /dev/ipo: %d\n", ret);
		ipo_irq_exit();
		ipo_codemem_exit();
		return ret;
	}
	return 0;
}

static void __exit ipo_exit(void)
{
	misc_deregister(&ipo_misc);
	/* Hooks hold files (and so the module): none is left either. */
	ipo_irq_exit();
	/*
	 * Every object holds a file and every file a module reference, so
	 * nothing is left by now; these only release the empty tables.
	 */
	ipo_objs_exit();
	ipo_progs_exit();
	ipo_codemem_exit();
	ipo_users_exit();
#ifdef IPO_FAULT_INJECT
	ipo_fault_exit();
#endif
}

module_init(ipo_init);
module_exit(ipo_exit);

MODULE_DESCRIPTION("ipo: interprocess objects changed by verified methods");
MODULE_LICENSE("GPL");
MODULE_VERSION(IPO_VERSION);
