// SPDX-License-Identifier: GPL-2.0
/*
 * Change notifications: subscription fds and the fan-out after a bundle.
 *
 * Each subscription owns a fixed ring of records allocated when it is
 * made, so delivering to it never allocates; when the ring is full the
 * newest record absorbs further events and is flagged as an overflow.  A
 * bundle that changed an object walks the object's subscribers once.
 *
 * An object's IRQ hook (irq.c) notifies from its interrupt handler, so
 * both locks here are taken with interrupts off everywhere: subs_lock
 * with irqsave, a ring's lock inside it (interrupts already off) or, by
 * the reader, with spin_lock_irq.
 */
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/moduleparam.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "ipo.h"

#define IPO_SUB_QUEUE_DEFAULT	16
#define IPO_READ_BATCH		32

/*
 * A commit walks every subscriber of its object with interrupts off (an
 * IRQ hook notifies from its handler), so the walk is bounded: at most
 * this many subscriptions per object (SUBSCRIBE fails with ENOSPC).
 */
static unsigned int ipo_max_subs_per_obj = 256;
module_param_named(max_subs_per_obj, ipo_max_subs_per_obj, uint, 0644);
MODULE_PARM_DESC(max_subs_per_obj, "Subscriptions one object may have (default 256)");

struct ipo_sub {
	struct list_head node;		/* in obj->subs, under subs_lock */
	struct ipo_obj *obj;
	struct ipo_handle *h;
	struct file *hfile;		/* keeps the handle (and object) */
	u64 mask;
	int signo;
	struct pid *pid;		/* who gets the signal */
	const struct cred *cred;	/* the subscriber's, for the signal */

	spinlock_t lock;		/* the ring */
	wait_queue_head_t wq;
	u32 len, head, count;
	struct ipo_event ring[];
};

static bool ipo_sub_revoked(const struct ipo_sub *sub)
{
	return !ipo_handle_usable(sub->h);
}

/*
 * Adds one record, or folds it into the newest when the ring is full.
 * Called under subs_lock, so with interrupts off.
 */
static void ipo_sub_push(struct ipo_sub *sub, u64 obj_id, u64 events,
			 u32 seq)
{
	struct ipo_event *ev;
	bool was_empty;

	spin_lock(&sub->lock);
	was_empty = !sub->count;
	if (sub->count < sub->len) {
		ev = &sub->ring[(sub->head + sub->count++) % sub->len];
		ev->obj_id = obj_id;
		ev->mask = events & sub->mask;
		ev->flags = 0;
	} else {
		ev = &sub->ring[(sub->head + sub->count - 1) % sub->len];
		ev->mask |= events & sub->mask;
		ev->flags |= IPO_EVENT_OVERFLOW;
	}
	ev->seq = seq;
	spin_unlock(&sub->lock);
	/*
	 * A reader is woken when its queue goes from empty to not empty;
	 * one that has records waiting was woken already and reads until
	 * the queue is empty.  Nobody waiting, nothing to do.
	 */
	if (was_empty && wq_has_sleeper(&sub->wq))
		wake_up_interruptible_poll(&sub->wq, EPOLLIN | EPOLLRDNORM);
}

/*
 * May the subscriber signal @task?  The rule of kill() and of SIGIO
 * (sigio_perm()), with the credentials the subscriber had at SUBSCRIBE:
 * a process that has changed its uids since, such as one that exec'd a
 * setuid program, is signalled only if the subscriber could kill() it.
 * Called under rcu_read_lock(), also from hard-IRQ context.
 */
static bool ipo_sub_may_signal(const struct ipo_sub *sub,
			       struct task_struct *task)
{
	const struct cred *tcred = __task_cred(task);
	const struct cred *cred = sub->cred;

	return uid_eq(cred->euid, GLOBAL_ROOT_UID) ||
	       uid_eq(cred->euid, tcred->suid) ||
	       uid_eq(cred->euid, tcred->uid) ||
	       uid_eq(cred->uid, tcred->suid) ||
	       uid_eq(cred->uid, tcred->uid);
}

static void ipo_sub_signal(struct ipo_sub *sub, u64 obj_id)
{
	struct kernel_siginfo info;
	struct task_struct *task;

	clear_siginfo(&info);
	info.si_signo = sub->signo;
	info.si_code = SI_QUEUE;
	info.si_ptr = (void __user *)(unsigned long)obj_id;
	rcu_read_lock();
	task = pid_task(sub->pid, PIDTYPE_TGID);
	if (task && ipo_sub_may_signal(sub, task))
		send_sig_info(sub->signo, &info, task);
	rcu_read_unlock();
}

/* Also from hard-IRQ context (an IRQ hook); sleeps nowhere. */
void ipo_notify_commit(struct ipo_obj *obj, u64 events, u32 seq)
{
	struct ipo_sub *sub;
	unsigned long flags;

	/*
	 * Nobody subscribed, nothing to do, and no lock to take.  A
	 * subscription listed concurrently may miss this commit, as it may
	 * with the lock when the commit takes it first; one listed before
	 * anything that ordered it before this commit is seen.
	 */
	if (list_empty(&obj->subs))
		return;
	spin_lock_irqsave(&obj->subs_lock, flags);
	list_for_each_entry(sub, &obj->subs, node) {
		if (!(sub->mask & events) || ipo_sub_revoked(sub))
			continue;
		ipo_sub_push(sub, obj->id, events, seq);
		if (sub->signo)
			ipo_sub_signal(sub, obj->id);
	}
	spin_unlock_irqrestore(&obj->subs_lock, flags);
}

/* Revocation wakes readers so they can see EPERM. */
void ipo_notify_revoked(struct ipo_obj *obj)
{
	struct ipo_sub *sub;
	unsigned long flags;

	spin_lock_irqsave(&obj->subs_lock, flags);
	list_for_each_entry(sub, &obj->subs, node)
		wake_up_interruptible(&sub->wq);
	spin_unlock_irqrestore(&obj->subs_lock, flags);
}

static ssize_t ipo_sub_read(struct file *file, char __user *buf,
			    size_t count, loff_t *ppos)
{
	struct ipo_sub *sub = file->private_data;
	struct ipo_event evs[IPO_READ_BATCH];
	size_t n, i;
	int ret;

	if (count < sizeof(struct ipo_event))
		return -EINVAL;
	for (;;) {
		spin_lock_irq(&sub->lock);
		n = min3(count / sizeof(evs[0]), (size_t)sub->count,
			 ARRAY_SIZE(evs));
		for (i = 0; i < n; i++) {
			evs[i] = sub->ring[sub->head];
			sub->head = (sub->head + 1) % sub->len;
		}
		sub->count -= n;
		spin_unlock_irq(&sub->lock);
		if (n)
			break;
		if (ipo_sub_revoked(sub))
			return -EPERM;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(sub->wq,
					       READ_ONCE(sub->count) ||
					       ipo_sub_revoked(sub));
		if (ret)
			return ret;
	}
	if (copy_to_user(buf, evs, n * sizeof(evs[0])))
		return -EFAULT;
	return n * sizeof(evs[0]);
}

static __poll_t ipo_sub_poll(struct file *file, poll_table *pt)
{
	struct ipo_sub *sub = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &sub->wq, pt);
	if (READ_ONCE(sub->count))
		mask |= EPOLLIN | EPOLLRDNORM;
	else if (ipo_sub_revoked(sub))
		mask |= EPOLLIN | EPOLLERR;
	return mask;
}

static void ipo_sub_free(struct ipo_sub *sub)
{
	put_pid(sub->pid);
	if (sub->cred)
		put_cred(sub->cred);
	fput(sub->hfile);
	kfree(sub);
}

static int ipo_sub_release(struct inode *inode, struct file *file)
{
	struct ipo_sub *sub = file->private_data;

	spin_lock_irq(&sub->obj->subs_lock);
	list_del(&sub->node);
	sub->obj->nr_subs--;
	spin_unlock_irq(&sub->obj->subs_lock);
	ipo_sub_free(sub);
	return 0;
}

static const struct file_operations ipo_sub_fops = {
	.owner = THIS_MODULE,
	.read = ipo_sub_read,
	.poll = ipo_sub_poll,
	.release = ipo_sub_release,
	.llseek = noop_llseek,
};

int ipo_subscribe_ioctl(struct ipo_ucmd *ucmd)
{
	struct ipo_subscribe *cmd = ucmd->cmd;
	u32 len = cmd->queue_len ? cmd->queue_len : IPO_SUB_QUEUE_DEFAULT;
	struct ipo_handle *h;
	struct ipo_sub *sub;
	struct file *hfile, *file;
	int fd, ret = 0;

	if (cmd->flags & ~IPO_SUB_FLAGS || cmd->__reserved || !cmd->mask ||
	    len > IPO_SUB_QUEUE_MAX || cmd->signo >= _NSIG ||
	    cmd->signo == SIGKILL || cmd->signo == SIGSTOP)
		return -EINVAL;
	hfile = ipo_handle_fget(cmd->obj_fd, &h);
	if (IS_ERR(hfile))
		return PTR_ERR(hfile);
	if (!(h->rights & IPO_RIGHT_NOTIFY) || !ipo_handle_usable(h)) {
		fput(hfile);
		return -EPERM;
	}
	sub = kzalloc(struct_size(sub, ring, len), GFP_KERNEL_ACCOUNT);
	if (!sub) {
		fput(hfile);
		return -ENOMEM;
	}
	sub->obj = h->obj;
	sub->h = h;
	sub->hfile = hfile;
	sub->mask = cmd->mask;
	sub->signo = cmd->signo;
	sub->pid = get_pid(task_tgid(current));
	sub->cred = get_current_cred();
	sub->len = len;
	spin_lock_init(&sub->lock);
	init_waitqueue_head(&sub->wq);
	INIT_LIST_HEAD(&sub->node);

	/* A place among the object's subscribers, given back on release. */
	spin_lock_irq(&sub->obj->subs_lock);
	if (sub->obj->nr_subs >= READ_ONCE(ipo_max_subs_per_obj))
		ret = -ENOSPC;
	else
		sub->obj->nr_subs++;
	spin_unlock_irq(&sub->obj->subs_lock);
	if (ret) {
		ipo_sub_free(sub);
		return ret;
	}
	fd = ipo_fd_prepare("[ipo-sub]", &ipo_sub_fops, sub,
			    cmd->flags & IPO_SUB_CLOEXEC, &file);
	if (fd < 0) {
		spin_lock_irq(&sub->obj->subs_lock);
		sub->obj->nr_subs--;
		spin_unlock_irq(&sub->obj->subs_lock);
		ipo_sub_free(sub);
		return fd;
	}
	if (cmd->flags & IPO_SUB_NONBLOCK)
		file->f_flags |= O_NONBLOCK;
	cmd->out_fd = fd;
	ret = ipo_fd_respond(ucmd, sizeof(*cmd), fd, file);
	if (ret)
		return ret;
	/* Listed only now, when nothing can fail any more. */
	spin_lock_irq(&sub->obj->subs_lock);
	list_add_tail(&sub->node, &sub->obj->subs);
	spin_unlock_irq(&sub->obj->subs_lock);
	fd_install(fd, file);
	return 0;
}
