// SPDX-License-Identifier: GPL-2.0
/*
 * Programs: PROG_LOAD copies a program in, has the verifier check it
 * against its program type, JIT-compiles it and hands back a program fd.
 * Nothing runs a program that did not come through here.  A program is
 * freed only by its last reference (ipo_kprog_put()), on every path:
 * IPO_LIST may hold one at any time once it is listed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>

#include "ipo.h"
#include "../verifier/verifier.h"

/* A log or string blob larger than this is refused (EINVAL). */
#define IPO_LOAD_BLOB_MAX	(16U << 20)
#define IPO_LOG_MIN		128

static DEFINE_XARRAY_ALLOC1(ipo_progs);

/*
 * The engine's allocation hooks (base/compat.h): every allocation of the
 * verifier and the JIT, charged to the loader's memory cgroup and, in the
 * fault-injection build, failed on demand like the module's own (fault.h).
 */
void *ipo_zalloc(size_t sz)
{
	return kvzalloc(sz, GFP_KERNEL_ACCOUNT);
}

void ipo_free(void *p)
{
	kvfree(p);
}

static void ipo_kprog_free(struct ipo_kprog *kp)
{
	if (kp->id)
		xa_erase(&ipo_progs, kp->id);
	/* Before the user goes: the code's space is charged to it. */
	if (kp->jited)
		ipo_jit_free(&kp->jit);
	if (kp->user) {
		ipo_user_uncharge_prog(kp->user);
		ipo_user_put(kp->user);
	}
	kvfree(kp->insns);
	kvfree(kp->prog.aux);
	kfree(kp);
}

void ipo_kprog_put(struct ipo_kprog *kp)
{
	if (refcount_dec_and_test(&kp->ref))
		ipo_kprog_free(kp);
}

static int ipo_prog_release(struct inode *inode, struct file *file)
{
	ipo_kprog_put(file->private_data);
	return 0;
}

static const struct file_operations ipo_prog_fops = {
	.owner = THIS_MODULE,
	.release = ipo_prog_release,
	.llseek = noop_llseek,
};

/* The program behind @fd, with a reference, or an ERR_PTR. */
struct ipo_kprog *ipo_kprog_get(int fd)
{
	struct file *file = ipo_fget(fd, &ipo_prog_fops);
	struct ipo_kprog *kp;

	if (IS_ERR(file))
		return ERR_CAST(file);
	kp = file->private_data;
	refcount_inc(&kp->ref);
	fput(file);
	return kp;
}

/*
 * Line info: records and their strings are copied in and checked, so the
 * verifier only ever sees in-bounds, NUL-terminated strings.
 */
struct ipo_lines {
	struct ipo_line_info *info;
	char *strings;
	u32 cnt;
};

/* Safe to call twice: the error path may follow the normal one. */
static void ipo_lines_free(struct ipo_lines *li)
{
	kvfree(li->info);
	kvfree(li->strings);
	li->info = NULL;
	li->strings = NULL;
	li->cnt = 0;
}

static bool ipo_str_ok(const char *blob, u32 size, u32 off)
{
	return off < size && memchr(blob + off, '\0', size - off);
}

static int ipo_lines_copy(const struct ipo_prog_load *cmd,
			  struct ipo_lines *li)
{
	u8 __user *urec = u64_to_user_ptr(cmd->line_info);
	u32 rec_size = cmd->line_info_rec_size;
	u32 i, prev = 0;
	int ret;

	if (!cmd->line_info_cnt)
		return cmd->line_info || cmd->strings || cmd->strings_size ||
		       rec_size ? -EINVAL : 0;
	if (cmd->line_info_cnt > cmd->insn_cnt || !cmd->strings_size ||
	    cmd->strings_size > IPO_LOAD_BLOB_MAX ||
	    rec_size < offsetofend(struct ipo_line_rec, __reserved) ||
	    rec_size > PAGE_SIZE)
		return -EINVAL;

	/*
	 * Not vmemdup_user(): it allocates with GFP_USER, and these up to
	 * 16 MiB, held while the program is verified, belong to the
	 * caller's memory cgroup like the rest of the load.  The size is the
	 * caller's: over its limit it gets ENOMEM, not the OOM killer.
	 */
	li->strings = kvmalloc(cmd->strings_size, GFP_KERNEL_ACCOUNT |
			       __GFP_NOWARN | __GFP_RETRY_MAYFAIL);
	if (!li->strings)
		return -ENOMEM;
	if (copy_from_user(li->strings, u64_to_user_ptr(cmd->strings),
			   cmd->strings_size))
		return -EFAULT;	/* freed by the caller's ipo_lines_free() */
	li->info = kvcalloc(cmd->line_info_cnt, sizeof(*li->info),
			    GFP_KERNEL_ACCOUNT);
	if (!li->info)
		return -ENOMEM;

	for (i = 0; i < cmd->line_info_cnt; i++) {
		struct ipo_line_rec rec;

		ret = copy_struct_from_user(&rec, sizeof(rec),
					    urec + (size_t)i * rec_size,
					    rec_size);
		if (ret)
			return ret;
		if (rec.__reserved || rec.insn_off >= cmd->insn_cnt ||
		    (i && rec.insn_off < prev) ||
		    !ipo_str_ok(li->strings, cmd->strings_size, rec.file_off) ||
		    !ipo_str_ok(li->strings, cmd->strings_size, rec.src_off))
			return -EINVAL;
		prev = rec.insn_off;
		li->info[i].insn_off = rec.insn_off;
		li->info[i].line = rec.line;
		li->info[i].col = rec.col;
		li->info[i].file = li->strings + rec.file_off;
		li->info[i].src = li->strings + rec.src_off;
	}
	li->cnt = cmd->line_info_cnt;
	return 0;
}

static int ipo_log_check(const struct ipo_prog_load *cmd)
{
	if (cmd->log_level > IPO_LOG_LEVEL_MAX)
		return -EINVAL;
	if (!cmd->log_buf)
		return cmd->log_size || cmd->log_level ? -EINVAL : 0;
	if (cmd->log_size < IPO_LOG_MIN || cmd->log_size > IPO_LOAD_BLOB_MAX)
		return -EINVAL;
	return 0;
}

/* The interpreter's reason for a JIT failure (the provider's errnos). */
static u32 ipo_jit_reason(int err)
{
	switch (err) {
	case -EFBIG:
	case -E2BIG:
		return IPO_JIT_TOO_BIG;
	case -EDQUOT:
		return IPO_JIT_USER_SHARE;
	case -ENOSPC:
		return IPO_JIT_POOL_FULL;
	default:
		return IPO_JIT_FAILED;
	}
}

/*
 * Compiles a verified program unless told not to, into pool space charged
 * to the program's user.  When the JIT cannot be used the program stays on
 * the interpreter, which is as safe, and the loader learns why
 * (jit_reason); IPO_PROG_JIT_ONLY turns that into an error.
 */
static int ipo_prog_jit(struct ipo_kprog *kp, struct ipo_prog_load *cmd)
{
	int ret;

	if (cmd->flags & IPO_PROG_INTERP) {
		kp->jit_reason = IPO_JIT_ASKED;
		return 0;
	}
	if (!READ_ONCE(ipo_jit_enabled)) {
		kp->jit_reason = IPO_JIT_DISABLED;
		return cmd->flags & IPO_PROG_JIT_ONLY ? -ENOSPC : 0;
	}
	kp->jit_mem = ipo_jit_kernel_mem;
	kp->jit_mem.priv = kp->user;
	/* Larger code would never fit a share: give up early (-E2BIG). */
	kp->jit_mem.max_size = ipo_codemem_user_share();
	ret = ipo_jit_compile(&kp->prog, &kp->jit_mem, &kp->jit);
	if (!ret) {
		kp->jited = true;
		cmd->out_flags |= IPO_PROG_JITED;
		cmd->jit_size = kp->jit.size;
		return 0;
	}
	if (ret == -EINTR)	/* the loader is being killed */
		return ret;
	kp->jit_reason = ipo_jit_reason(ret);
	if (cmd->flags & IPO_PROG_JIT_ONLY)
		return ret == -ENOMEM ? ret : -ENOSPC;
	return 0;
}

/* 8 MiB of instructions in 1 MiB steps, so a killed loader stops (EINTR). */
static int ipo_insns_copy(void *dst, const void __user *src, size_t bytes)
{
	size_t off, n;

	for (off = 0; off < bytes; off += n) {
		n = min_t(size_t, bytes - off, SZ_1M);
		if (fatal_signal_pending(current))
			return -EINTR;
		if (copy_from_user(dst + off, src + off, n))
			return -EFAULT;
	}
	return 0;
}

/*
 * Verification and compilation of programs by users without CAP_BPF (or
 * CAP_SYS_ADMIN) take turns, as Linux's bpf_verifier_lock makes them: the
 * engine's memory budget per load (at most 64 MiB and the JIT's image)
 * then bounds what all of them hold at once, however many run in
 * parallel.  Waiting for a turn is killable.
 */
static DEFINE_MUTEX(ipo_check_lock);

/*
 * Verifies and compiles @kp; the log goes to the user's buffer whatever
 * the verdict, after the turn is given up (a copy to the user may wait on
 * a page fault).  0, or the errno of the load: a rejection, EFAULT for the
 * log, EINTR (the loader is being killed), or ENOSPC/ENOMEM for
 * IPO_PROG_JIT_ONLY.
 */
static int ipo_prog_check(struct ipo_kprog *kp, struct ipo_prog_load *cmd,
			  const struct ipo_lines *li)
{
	struct ipo_vlog log = {
		.level = cmd->log_level,
		.lines = li->info,
		.nr_lines = li->cnt,
	};
	bool turns = !bpf_capable();
	int ret;

	/* Outputs, whatever the caller left in them. */
	cmd->out_flags = 0;
	cmd->jit_size = 0;
	if (cmd->log_buf) {
		log.buf = kvzalloc(cmd->log_size, GFP_KERNEL_ACCOUNT);
		if (!log.buf)
			return -ENOMEM;
		log.size = cmd->log_size;
	}
	if (turns && mutex_lock_killable(&ipo_check_lock)) {
		kvfree(log.buf);
		return -EINTR;
	}
	ret = ipo_verify(&kp->prog, &log);
	if (!ret)
		ret = ipo_prog_jit(kp, cmd);
	if (turns)
		mutex_unlock(&ipo_check_lock);

	cmd->log_len = log.len;
	cmd->out_flags |= log.truncated ? IPO_PROG_LOG_TRUNCATED : 0;
	if (log.buf) {
		if (copy_to_user(u64_to_user_ptr(cmd->log_buf), log.buf,
				 min(log.len + 1, log.size)))
			ret = -EFAULT;
		kvfree(log.buf);
	}
	return ret;
}

int ipo_prog_load_ioctl(struct ipo_ucmd *ucmd)
{
	struct ipo_prog_load *cmd = ucmd->cmd;
	const struct ipo_prog_type *type;
	struct ipo_lines li = {};
	struct ipo_kprog *kp;
	struct file *file;
	size_t bytes;
	int fd, ret, err;

	if (cmd->flags & ~IPO_PROG_LOAD_FLAGS)
		return -EINVAL;
	/* As kernel.unprivileged_bpf_disabled does for eBPF. */
	if (!READ_ONCE(ipo_unprivileged_progs) && !bpf_capable())
		return -EPERM;
	if ((cmd->flags & IPO_PROG_INTERP) && (cmd->flags & IPO_PROG_JIT_ONLY))
		return -EINVAL;
	type = ipo_progtype_of(cmd->prog_type);
	if (!type)
		return -EINVAL;
	if (!cmd->insn_cnt || !cmd->insns)
		return -EINVAL;
	if (cmd->insn_cnt > READ_ONCE(ipo_max_prog_insns) ||
	    cmd->insn_cnt > IPO_MAX_INSNS)
		return -E2BIG;
	ret = ipo_log_check(cmd);
	if (ret)
		return ret;
	ret = ipo_name_check(cmd->name);
	if (ret)
		return ret;

	kp = kzalloc(sizeof(*kp), GFP_KERNEL_ACCOUNT);
	if (!kp)
		return -ENOMEM;
	refcount_set(&kp->ref, 1);
	strscpy(kp->name, cmd->name, sizeof(kp->name));
	kp->prog_type = cmd->prog_type;

	kp->user = ipo_user_get(current_euid());
	if (IS_ERR(kp->user)) {
		ret = PTR_ERR(kp->user);
		kp->user = NULL;
		goto err_put;
	}
	ret = ipo_user_charge_prog(kp->user);
	if (ret) {
		ipo_user_put(kp->user);
		kp->user = NULL;
		goto err_put;
	}

	bytes = (size_t)cmd->insn_cnt * sizeof(struct ipo_insn);
	kp->insns = kvmalloc(bytes, GFP_KERNEL_ACCOUNT);
	/* Not zeroed: ipo_verify() clears it, a killed loader need not wait. */
	kp->prog.aux = kvmalloc_array(cmd->insn_cnt, sizeof(*kp->prog.aux),
				      GFP_KERNEL_ACCOUNT);
	if (!kp->insns || !kp->prog.aux) {
		ret = -ENOMEM;
		goto err_put;
	}
	ret = ipo_insns_copy(kp->insns, u64_to_user_ptr(cmd->insns), bytes);
	if (ret)
		goto err_put;
	kp->prog.insns = kp->insns;
	kp->prog.len = cmd->insn_cnt;
	kp->prog.type = type;
	kp->prog.strict = cmd->flags & IPO_PROG_STRICT;

	ret = ipo_lines_copy(cmd, &li);
	if (ret)
		goto err_put;
	ret = ipo_prog_check(kp, cmd, &li);
	/* The line info is only for the log. */
	ipo_lines_free(&li);
	if (ret == -EINTR) {
		ipo_kprog_put(kp);
		return ret;
	}
	cmd->jit_reason = kp->jit_reason;
	if (ret) {
		/* The caller learns why it got no JIT. */
		err = ipo_ucmd_respond(ucmd, sizeof(*cmd));
		ipo_kprog_put(kp);
		return err ? err : ret;
	}

	/* An id now, the program in its slot only when nothing can fail. */
	ret = xa_alloc(&ipo_progs, &kp->id, NULL, xa_limit_31b,
		       GFP_KERNEL_ACCOUNT);
	if (ret)
		goto err_put;

	fd = ipo_fd_prepare("[ipo-prog]", &ipo_prog_fops, kp,
			    cmd->flags & IPO_PROG_CLOEXEC, &file);
	if (fd < 0) {
		ret = fd;
		goto err_put;
	}
	/* From here on the file owns kp: its release drops the reference. */
	cmd->out_fd = fd;
	cmd->prog_id = kp->id;
	ret = ipo_fd_respond(ucmd, sizeof(*cmd), fd, file);
	if (ret)
		return ret;
	xa_store(&ipo_progs, kp->id, kp, GFP_KERNEL_ACCOUNT);	/* reserved */
	fd_install(fd, file);
	return 0;

err_put:
	ipo_lines_free(&li);
	ipo_kprog_put(kp);
	return ret;
}

/* As ipo_obj_get_next(), for programs. */
struct ipo_kprog *ipo_kprog_get_next(unsigned long *id)
{
	struct ipo_kprog *kp;

	xa_lock(&ipo_progs);
	for (;;) {
		kp = xa_find(&ipo_progs, id, ULONG_MAX, XA_PRESENT);
		if (!kp || refcount_inc_not_zero(&kp->ref))
			break;
		(*id)++;
	}
	xa_unlock(&ipo_progs);
	return kp;
}

void ipo_progs_exit(void)
{
	if (!xa_empty(&ipo_progs))
		pr_err("ipo: programs still live at unload\n");
	xa_destroy(&ipo_progs);
}
