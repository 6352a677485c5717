// SPDX-License-Identifier: GPL-2.0
/*
 * The shared-IRQ hook: the ipo-irq PCI driver, IRQ_ATTACH / IRQ_DETACH /
 * IRQ_STAT, and the handler that runs an IRQ program on a device's INTx
 * line (see "IRQ hook" in the uapi header).
 *
 * Lifetimes.  A device bound to ipo-irq has a struct ipo_irq_dev; an
 * attachment (struct ipo_irq_att) belongs to its fd.  Attaching, detaching
 * and unbinding all run under ipo_irq_mutex; the hook's own irqaction
 * (request_irq() with the attachment as dev_id) means free_irq() is the
 * one place that waits for a handler still running on another CPU, after
 * which nothing in interrupt context refers to the attachment.
 *
 * Locks.  The handler runs the program under att->lock, a raw spinlock,
 * with interrupts off: it guards the state, the counters, the fault to
 * report and the device's PCI command register (DisINTx is a
 * read-modify-write, done only under it once a hook exists).  The object
 * itself is never locked in interrupt context: while a hook holds it
 * (obj->irq_hook, set and cleared under obj->lock), INVOKE refuses to run
 * methods on it (EBUSY) and leaves its sequence counter alone, so the
 * hook is the only writer.  The handler notifies the subscribers itself,
 * after dropping att->lock: notify.c takes its locks with interrupts off
 * everywhere for that.  Only the fault report goes through a work item.
 *
 * PREEMPT_RT (and the threadirqs boot option).  The handler is requested
 * without IRQF_NO_THREAD, so where handlers are force-threaded it runs in
 * the line's IRQ thread.  The core then keeps the line masked (oneshot)
 * from the hard interrupt until the thread has run every handler, so the
 * device is still acknowledged before the line is unmasked: what changes
 * is latency, not correctness.  The handler's locks suit RT: att->lock
 * is raw (the run under it is bounded by irq_fuel), config space is read
 * under the PCI core's raw lock, queue_work() takes only raw locks, and
 * notify.c's spinlocks (sleeping locks on RT, which a threaded handler
 * may take) are taken only after att->lock is dropped.  IRQF_NO_THREAD is not used: every handler of a
 * shared line must agree on IRQF_ONESHOT, which forced threading sets,
 * so a non-threaded hook could not join a line of threaded handlers.
 *
 * Containment.  Before and after each run the handler reads the device's
 * PCI status register: if INTx is still asserted after it the hook did not
 * quiet its device, whatever it returned; if it was asserted before it and
 * the hook returned NONE, the hook disowned its device's interrupt (the
 * kernel is told IRQ_HANDLED anyway when the device is quiet after).
 * irq_fault_limit runs in a row of either kind, one run that aborts
 * (fuel, bounds, window check) or returns something other than NONE or
 * HANDLED, or a run due after its object handle was revoked, fault the
 * hook: it is taken off (it runs no more), the
 * device's INTx is disabled so the line drops, and the fault is reported
 * to the log and to the object's subscribers.  The other handlers of the
 * line never notice; the kernel's "nobody cared" logic never sees a
 * stuck line.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/file.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nospec.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "ipo.h"

static unsigned long ipo_irq_fuel = 10000;
module_param_named(irq_fuel, ipo_irq_fuel, ulong, 0644);
MODULE_PARM_DESC(irq_fuel, "Instruction budget of one run of an IRQ hook (default 10000)");

static unsigned int ipo_irq_fault_limit = 100;
module_param_named(irq_fault_limit, ipo_irq_fault_limit, uint, 0644);
MODULE_PARM_DESC(irq_fault_limit, "Runs in a row with the device still asserting INTx after the run, or asserting before it while the hook says NONE, before the hook is faulted (default 100; 0: never for these reasons)");

#define IPO_IRQ_LOG_MAX		4096

/* A device bound to ipo-irq. */
struct ipo_irq_dev {
	struct list_head node;		/* in ipo_irq_devs */
	struct pci_dev *pdev;
	struct ipo_irq_att *att;	/* the hook, or NULL */
};

/* An attachment: what its fd's private_data points to. */
struct ipo_irq_att {
	u32 id;
	unsigned int irq;
	struct pci_dev *pdev;		/* a reference of its own */
	struct ipo_irq_dev *idev;	/* NULL once detached */
	struct ipo_kprog *kp;
	struct file *obj_file;		/* the handle; keeps the object */
	struct ipo_handle *h;		/* its handle; revoked: no more runs */
	struct ipo_obj *obj;		/* NULL: none */
	void *undo;			/* the object before the run */
	/*
	 * The object region of a hook without an object: empty, but real
	 * memory, and allocated (not static: module data may lie in the top
	 * 512 MiB, which no region base may, see struct ipo_run).
	 */
	u64 no_obj;
	void __iomem *map;		/* the window, pci_iomap_range() */
	struct ipo_irq_env env;		/* window template of each run */
	char name[IPO_PCI_NAME_MAX + 8];

	raw_spinlock_t lock;		/* everything below */
	u32 state;			/* IPO_IRQ_ACTIVE, ... */
	u32 fault;			/* IPO_IRQ_FAULT_* */
	u32 abort, abort_pc;
	u32 stuck;			/* runs in a row with INTx asserted */
	u32 unclaimed;			/* NONE while it asserted, in a row */
	u64 handled, none;
	u64 events;			/* IPO_IRQ_EV_FAULT for the work */
	u32 events_seq;
	bool report;			/* a fault for the work to report */

	struct work_struct work;
};

static DEFINE_MUTEX(ipo_irq_mutex);	/* devices, attach, detach */
static LIST_HEAD(ipo_irq_devs);
static atomic_t ipo_irq_next_id = ATOMIC_INIT(0);

/* DisINTx on or off.  Called under att->lock, or before any hook exists. */
static void ipo_irq_intx(struct pci_dev *pdev, bool enable)
{
	u16 cmd, new;

	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	new = enable ? cmd & ~PCI_COMMAND_INTX_DISABLE :
		       cmd | PCI_COMMAND_INTX_DISABLE;
	if (new != cmd)
		pci_write_config_word(pdev, PCI_COMMAND, new);
}

static bool ipo_irq_asserted(struct pci_dev *pdev)
{
	u16 status;

	if (pci_read_config_word(pdev, PCI_STATUS, &status))
		return false;
	return status & PCI_STATUS_INTERRUPT;
}

static const char *const ipo_irq_fault_names[] = {
	[IPO_IRQ_FAULT_NONE] = "none",
	[IPO_IRQ_FAULT_ABORT] = "the run aborted",
	[IPO_IRQ_FAULT_STUCK] = "its device stayed asserted",
	[IPO_IRQ_FAULT_RETVAL] = "it returned neither NONE nor HANDLED",
	[IPO_IRQ_FAULT_UNCLAIMED] = "it disowned its device's interrupts",
	[IPO_IRQ_FAULT_REVOKED] = "its object handle was revoked",
};

/* Fault reports (log line, IPO_IRQ_EV_FAULT), in process context. */
static void ipo_irq_work(struct work_struct *work)
{
	struct ipo_irq_att *att = container_of(work, struct ipo_irq_att, work);
	unsigned long flags;
	bool report;
	u64 events;
	u32 seq, fault, abort, abort_pc;

	raw_spin_lock_irqsave(&att->lock, flags);
	events = att->events;
	seq = att->events_seq;
	att->events = 0;
	report = att->report;
	att->report = false;
	fault = att->fault;
	abort = att->abort;
	abort_pc = att->abort_pc;
	raw_spin_unlock_irqrestore(&att->lock, flags);

	if (report) {
		if (fault == IPO_IRQ_FAULT_ABORT)
			pr_warn("irq hook %u on %s (irq %u) faulted: %s (%s at insn %u); device INTx masked\n",
				att->id, pci_name(att->pdev), att->irq,
				ipo_irq_fault_names[fault],
				ipo_abort_str(abort), abort_pc);
		else
			pr_warn("irq hook %u on %s (irq %u) faulted: %s; device INTx masked\n",
				att->id, pci_name(att->pdev), att->irq,
				ipo_irq_fault_names[fault]);
	}
	if (events && att->obj)
		ipo_notify_commit(att->obj, events, seq);
}

/* Under att->lock: take the hook off and quiet its device. */
static void ipo_irq_fault(struct ipo_irq_att *att, u32 fault,
			  const struct ipo_krun *kr)
{
	att->state = IPO_IRQ_FAULTED;
	att->fault = fault;
	if (fault == IPO_IRQ_FAULT_ABORT) {
		att->abort = kr->abort;
		att->abort_pc = kr->abort_pc;
	}
	ipo_irq_intx(att->pdev, false);
	att->report = true;
	att->events |= IPO_IRQ_EV_FAULT;
	if (att->obj)
		att->events_seq = READ_ONCE(att->obj->hdr->seq);
	queue_work(system_wq, &att->work);
}

static irqreturn_t ipo_irq_handler(int irq, void *data)
{
	struct ipo_irq_att *att = data;
	struct ipo_obj *obj = att->obj;
	struct ipo_irq_env env = att->env;
	struct ipo_krun kr = {};
	irqreturn_t ret = IRQ_NONE;
	unsigned long flags;
	u64 events = 0;
	u32 fault = IPO_IRQ_FAULT_NONE, seq = 0, limit;
	bool asserted, pending;

	raw_spin_lock_irqsave(&att->lock, flags);
	if (att->state != IPO_IRQ_ACTIVE)
		goto out;

	/* Was the interrupt (also) its device's?  See "unclaimed" below. */
	pending = ipo_irq_asserted(att->pdev);
	/*
	 * A revoked handle writes no more: the hook is taken off before it
	 * runs again (a run already under way on another CPU finishes).
	 */
	if (att->h && !ipo_handle_usable(att->h)) {
		ipo_irq_fault(att, IPO_IRQ_FAULT_REVOKED, &kr);
		ret = pending ? IRQ_HANDLED : IRQ_NONE;
		goto out;
	}

	kr.win_size = env.win_size;
	kr.fuel = READ_ONCE(ipo_irq_fuel);
	kr.env = &env;
	if (obj) {
		kr.obj = obj->data;
		kr.obj_size = obj->data_size;
		ipo_obj_write_begin(obj);
		memcpy(att->undo, obj->data, obj->data_size);
	} else {
		kr.obj = &att->no_obj;
	}
	/* Sleeps nowhere, allocates nothing: fit for here. */
	ipo_kprog_run(att->kp, &kr);
	if (kr.abort)
		fault = IPO_IRQ_FAULT_ABORT;
	else if (kr.ret != IPO_IRQ_NONE && kr.ret != IPO_IRQ_HANDLED)
		fault = IPO_IRQ_FAULT_RETVAL;

	/*
	 * Did the hook quiet its device?  Asked before the run's effects are
	 * published (seq even, notification), so a driver that raises the
	 * next interrupt only once it has seen this one cannot make a
	 * well-behaved hook look stuck.
	 */
	asserted = ipo_irq_asserted(att->pdev);
	limit = READ_ONCE(ipo_irq_fault_limit);
	if (!asserted) {
		att->stuck = 0;
	} else if (!fault) {
		if (limit && ++att->stuck >= limit)
			fault = IPO_IRQ_FAULT_STUCK;
	}
	/*
	 * Unclaimed: its device was asserting when the run began and the
	 * hook said NONE.  If it also quieted the device, the interrupt was
	 * dealt with and the kernel is told so below; but a hook that keeps
	 * disowning its device's interrupts (acknowledging them or not) is
	 * how a line ends up disabled by the kernel's "nobody cared" check,
	 * which would take every other device of the line down with it.
	 * Runs for the other devices of the line (not pending) count
	 * neither way.
	 */
	if (pending && !fault) {
		if (kr.ret == IPO_IRQ_HANDLED)
			att->unclaimed = 0;
		else if (limit && ++att->unclaimed >= limit)
			fault = IPO_IRQ_FAULT_UNCLAIMED;
	}

	if (obj) {
		/* A stuck or unclaimed device is no fault of this run. */
		bool undo = fault == IPO_IRQ_FAULT_ABORT ||
			    fault == IPO_IRQ_FAULT_RETVAL;
		u32 end;

		if (undo)
			memcpy(obj->data, att->undo, obj->data_size);
		end = ipo_obj_write_end(obj);
		if (!undo) {
			events = env.events;
			seq = end;
		}
	}

	if (fault) {
		ipo_irq_fault(att, fault, &kr);
		/* Its device, if it was the one, is masked now: dealt with. */
		ret = asserted || pending ? IRQ_HANDLED : IRQ_NONE;
	} else if (kr.ret == IPO_IRQ_HANDLED) {
		att->handled++;
		ret = IRQ_HANDLED;
	} else {
		att->none++;
		/* It was asserting and is quiet now: the interrupt was its. */
		if (pending && !asserted)
			ret = IRQ_HANDLED;
	}
out:
	raw_spin_unlock_irqrestore(&att->lock, flags);
	/* free_irq() waits for this, so the object is still held. */
	if (events)
		ipo_notify_commit(obj, events, seq);
	return ret;
}

/*
 * Takes the hook off its device, under ipo_irq_mutex.  The device's INTx
 * stays masked: nothing acknowledges it any more.
 */
static void ipo_irq_detach_locked(struct ipo_irq_att *att)
{
	unsigned long flags;

	lockdep_assert_held(&ipo_irq_mutex);
	if (!att->idev)
		return;
	raw_spin_lock_irqsave(&att->lock, flags);
	if (att->state == IPO_IRQ_ACTIVE)
		att->state = IPO_IRQ_DETACHED;
	ipo_irq_intx(att->pdev, false);
	raw_spin_unlock_irqrestore(&att->lock, flags);

	free_irq(att->irq, att);	/* waits for a running handler */
	flush_work(&att->work);		/* report what it left */
	pci_iounmap(att->pdev, att->map);
	att->map = NULL;
	att->idev->att = NULL;
	att->idev = NULL;

	if (att->obj) {
		mutex_lock(&att->obj->lock);
		att->obj->irq_hook = NULL;
		mutex_unlock(&att->obj->lock);
	}
}

/* What a detached attachment no longer needs. */
static void ipo_irq_att_free(struct ipo_irq_att *att)
{
	if (att->obj_file)
		fput(att->obj_file);
	if (att->kp)
		ipo_kprog_put(att->kp);
	kfree(att->undo);
	pci_dev_put(att->pdev);
	kfree(att);
}

static int ipo_irq_release(struct inode *inode, struct file *file)
{
	struct ipo_irq_att *att = file->private_data;

	mutex_lock(&ipo_irq_mutex);
	ipo_irq_detach_locked(att);
	mutex_unlock(&ipo_irq_mutex);
	ipo_irq_att_free(att);
	return 0;
}

static void ipo_irq_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct ipo_irq_att *att = file->private_data;
	unsigned long flags;
	u64 handled, none;
	u32 state, fault;

	raw_spin_lock_irqsave(&att->lock, flags);
	handled = att->handled;
	none = att->none;
	state = att->state;
	fault = att->fault;
	raw_spin_unlock_irqrestore(&att->lock, flags);
	seq_printf(m, "ipo-irq-id:\t%u\ndevice:\t%s\nirq:\t%u\nstate:\t%u\nhandled:\t%llu\nnone:\t%llu\nfault:\t%u\n",
		   att->id, pci_name(att->pdev), att->irq, state, handled,
		   none, fault);
}

static const struct file_operations ipo_irq_fops = {
	.owner = THIS_MODULE,
	.release = ipo_irq_release,
	.show_fdinfo = ipo_irq_show_fdinfo,
	.llseek = noop_llseek,
};

/* The attachment behind @fd, with the file's reference, or ERR_PTR. */
static struct file *ipo_irq_fget(int fd, struct ipo_irq_att **attp)
{
	struct file *file = ipo_fget(fd, &ipo_irq_fops);

	if (!IS_ERR(file))
		*attp = file->private_data;
	return file;
}

/* The reason for a refusal, for the caller's log buffer. */
static __printf(2, 3) void ipo_irq_log(const struct ipo_irq_attach *cmd,
				       const char *fmt, ...)
{
	char buf[160];
	va_list ap;
	size_t len;

	if (!cmd->log_buf || !cmd->log_size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	len = min_t(size_t, strlen(buf) + 1, cmd->log_size);
	buf[len - 1] = '\0';
	if (copy_to_user(u64_to_user_ptr(cmd->log_buf), buf, len))
		return;	/* the errno says enough */
}

static void ipo_irq_widths_str(u8 widths, char *buf, size_t size)
{
	static const char *const names[] = { "8", "16", "32", "64" };
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < 4; i++)
		if (widths & (1U << i))
			len += scnprintf(buf + len, size - len, "%s%s",
					 len ? "," : "", names[i]);
}

/* Does the program fit the window?  0 or -EINVAL with the reason logged. */
static int ipo_irq_check_prog(const struct ipo_irq_attach *cmd,
			      const struct ipo_kprog *kp)
{
	const struct ipo_mmio_use *use = &kp->prog.mmio;
	char has[16], allowed[16];

	if (use->widths & ~cmd->widths) {
		ipo_irq_widths_str(use->widths, has, sizeof(has));
		ipo_irq_widths_str(cmd->widths, allowed, sizeof(allowed));
		ipo_irq_log(cmd, "program makes %s-bit accesses, the window allows %s-bit",
			    has, allowed);
		return -EINVAL;
	}
	if (use->const_end > cmd->win_len) {
		ipo_irq_log(cmd, "program accesses the window up to byte 0x%x, the window has 0x%llx bytes",
			    use->const_end, (unsigned long long)cmd->win_len);
		return -EINVAL;
	}
	return 0;
}

static struct ipo_irq_dev *ipo_irq_dev_find(const char *name)
{
	struct ipo_irq_dev *idev;

	list_for_each_entry(idev, &ipo_irq_devs, node)
		if (!strcmp(pci_name(idev->pdev), name))
			return idev;
	return NULL;
}

/* Maps the window of @idev's device; under ipo_irq_mutex. */
static int ipo_irq_map(const struct ipo_irq_attach *cmd,
		       struct ipo_irq_att *att)
{
	struct pci_dev *pdev = att->pdev;
	unsigned long rflags;
	u32 widest, bar;
	u64 len;

	if (cmd->bar >= PCI_STD_NUM_BARS) {
		ipo_irq_log(cmd, "BAR %u does not exist", cmd->bar);
		return -EINVAL;
	}
	bar = array_index_nospec(cmd->bar, PCI_STD_NUM_BARS);
	len = pci_resource_len(pdev, bar);
	rflags = pci_resource_flags(pdev, bar);
	if (!len || !(rflags & (IORESOURCE_MEM | IORESOURCE_IO))) {
		ipo_irq_log(cmd, "BAR %u of %s is not implemented", cmd->bar,
			    pci_name(pdev));
		return -EINVAL;
	}
	if (cmd->win_off > len || cmd->win_len > len - cmd->win_off) {
		ipo_irq_log(cmd, "window 0x%llx+0x%llx is outside BAR %u (0x%llx bytes)",
			    (unsigned long long)cmd->win_off,
			    (unsigned long long)cmd->win_len, cmd->bar,
			    (unsigned long long)len);
		return -EINVAL;
	}
	/*
	 * Offsets are checked for alignment within the window: the window
	 * itself must be aligned for the widest access, or an "aligned"
	 * access would be a misaligned one on the bus.
	 */
	widest = 1U << (fls(cmd->widths) - 1);	/* widths is not 0 */
	if (cmd->win_off & (widest - 1)) {
		ipo_irq_log(cmd, "window offset 0x%llx is not aligned to its widest access (%u bytes)",
			    (unsigned long long)cmd->win_off, widest);
		return -EINVAL;
	}
	if ((rflags & IORESOURCE_IO) && (cmd->widths & IPO_IRQ_W64)) {
		ipo_irq_log(cmd, "BAR %u is I/O ports: no 64-bit accesses",
			    cmd->bar);
		return -EINVAL;
	}
	att->map = pci_iomap_range(pdev, bar, cmd->win_off, cmd->win_len);
	if (!att->map) {
		ipo_irq_log(cmd, "cannot map BAR %u", cmd->bar);
		return -ENOMEM;
	}
	att->env.win = (void __force *)att->map;
	att->env.win_size = cmd->win_len;
	att->env.widths = cmd->widths;
	return 0;
}

/* Registers the hook on the device's line; under ipo_irq_mutex. */
static int ipo_irq_hook(const struct ipo_irq_attach *cmd,
			struct ipo_irq_att *att)
{
	struct ipo_irq_dev *idev;
	unsigned long flags;
	int ret;

	idev = ipo_irq_dev_find(cmd->device);
	if (!idev) {
		ipo_irq_log(cmd, "%s is not bound to the ipo-irq driver",
			    cmd->device);
		return -ENODEV;
	}
	if (idev->att) {
		ipo_irq_log(cmd, "%s already has a hook", cmd->device);
		return -EBUSY;
	}
	att->pdev = pci_dev_get(idev->pdev);
	att->irq = idev->pdev->irq;
	if (!idev->pdev->pin || !att->irq) {
		ipo_irq_log(cmd, "%s has no INTx line", cmd->device);
		return -ENODEV;
	}
	ret = ipo_irq_map(cmd, att);
	if (ret)
		return ret;

	if (att->obj) {
		mutex_lock(&att->obj->lock);
		if (att->obj->irq_hook) {
			mutex_unlock(&att->obj->lock);
			ipo_irq_log(cmd, "the object already has a hook");
			ret = -EBUSY;
			goto err_unmap;
		}
		att->obj->irq_hook = att;
		mutex_unlock(&att->obj->lock);
	}

	/* Active from the start; its device stays masked until it is on. */
	att->state = IPO_IRQ_ACTIVE;
	ret = request_irq(att->irq, ipo_irq_handler, IRQF_SHARED, att->name,
			  att);
	if (ret) {
		ipo_irq_log(cmd, "request_irq(%u) failed: %d", att->irq, ret);
		goto err_obj;
	}
	raw_spin_lock_irqsave(&att->lock, flags);
	ipo_irq_intx(att->pdev, true);
	raw_spin_unlock_irqrestore(&att->lock, flags);
	idev->att = att;
	att->idev = idev;
	return 0;

err_obj:
	if (att->obj) {
		mutex_lock(&att->obj->lock);
		att->obj->irq_hook = NULL;
		mutex_unlock(&att->obj->lock);
	}
err_unmap:
	pci_iounmap(att->pdev, att->map);
	att->map = NULL;
	return ret;
}

int ipo_irq_attach_ioctl(struct ipo_ucmd *ucmd)
{
	struct ipo_irq_attach *cmd = ucmd->cmd;
	struct ipo_irq_att *att;
	struct ipo_handle *h;
	struct file *file;
	int fd, ret;

	if (cmd->flags & ~IPO_IRQ_ATTACH_FLAGS || cmd->__reserved ||
	    cmd->log_size > IPO_IRQ_LOG_MAX || (!cmd->log_buf && cmd->log_size))
		return -EINVAL;
	if (!capable(CAP_SYS_RAWIO))
		return -EPERM;
	if (!(cmd->flags & IPO_IRQ_OBJ) && cmd->obj_fd)
		return -EINVAL;
	if (strnlen(cmd->device, sizeof(cmd->device)) == sizeof(cmd->device))
		return -ENAMETOOLONG;
	if (!cmd->widths || cmd->widths & ~IPO_IRQ_WIDTHS) {
		ipo_irq_log(cmd, "widths 0x%x: want IPO_IRQ_W* bits",
			    cmd->widths);
		return -EINVAL;
	}
	if (!cmd->win_len || cmd->win_len > IPO_IRQ_WIN_MAX) {
		ipo_irq_log(cmd, "window length %llu: want 1..%u",
			    (unsigned long long)cmd->win_len, IPO_IRQ_WIN_MAX);
		return -EINVAL;
	}

	att = kzalloc(sizeof(*att), GFP_KERNEL_ACCOUNT);
	if (!att)
		return -ENOMEM;
	raw_spin_lock_init(&att->lock);
	INIT_WORK(&att->work, ipo_irq_work);
	att->id = atomic_inc_return(&ipo_irq_next_id);
	snprintf(att->name, sizeof(att->name), "ipo-irq:%s", cmd->device);

	att->kp = ipo_kprog_get(cmd->prog_fd);
	if (IS_ERR(att->kp)) {
		ret = PTR_ERR(att->kp);
		att->kp = NULL;
		goto err_free;
	}
	if (att->kp->prog_type != IPO_PROG_TYPE_IRQ) {
		ipo_irq_log(cmd, "program %u is not an IRQ program",
			    att->kp->id);
		ret = -EINVAL;
		goto err_free;
	}
	ret = ipo_irq_check_prog(cmd, att->kp);
	if (ret)
		goto err_free;

	if (cmd->flags & IPO_IRQ_OBJ) {
		att->obj_file = ipo_handle_fget(cmd->obj_fd, &h);
		if (IS_ERR(att->obj_file)) {
			ret = PTR_ERR(att->obj_file);
			att->obj_file = NULL;
			goto err_free;
		}
		if (!(h->rights & IPO_RIGHT_ADMIN) || !ipo_handle_usable(h)) {
			ipo_irq_log(cmd, "the object handle lacks ADMIN");
			ret = -EPERM;
			goto err_free;
		}
		if (h->obj->data_size > IPO_IRQ_OBJ_MAX) {
			ipo_irq_log(cmd, "object of %zu bytes: at most %u",
				    h->obj->data_size, IPO_IRQ_OBJ_MAX);
			ret = -EINVAL;
			goto err_free;
		}
		att->obj = h->obj;
		att->h = h;
		att->undo = kmalloc(att->obj->data_size, GFP_KERNEL_ACCOUNT);
		if (!att->undo) {
			ret = -ENOMEM;
			goto err_free;
		}
	}

	fd = ipo_fd_prepare("[ipo-irq]", &ipo_irq_fops, att,
			    cmd->flags & IPO_IRQ_CLOEXEC, &file);
	if (fd < 0) {
		ret = fd;
		goto err_free;
	}
	/* From here on the file's release detaches (if hooked) and frees. */
	cmd->out_fd = fd;
	cmd->attach_id = att->id;
	ret = ipo_fd_respond(ucmd, sizeof(*cmd), fd, file);
	if (ret)
		return ret;
	/* The hook goes on last: nothing after it can fail. */
	mutex_lock(&ipo_irq_mutex);
	ret = ipo_irq_hook(cmd, att);
	mutex_unlock(&ipo_irq_mutex);
	if (ret) {
		ipo_fd_abort(fd, file);
		return ret;
	}
	fd_install(fd, file);
	return 0;

err_free:
	ipo_irq_att_free(att);
	return ret;
}

int ipo_irq_detach_ioctl(struct ipo_ucmd *ucmd)
{
	struct ipo_irq_detach *cmd = ucmd->cmd;
	struct ipo_irq_att *att;
	struct file *file;

	if (cmd->flags || cmd->__reserved)
		return -EINVAL;
	file = ipo_irq_fget(cmd->attach_fd, &att);
	if (IS_ERR(file))
		return PTR_ERR(file);
	mutex_lock(&ipo_irq_mutex);
	ipo_irq_detach_locked(att);
	mutex_unlock(&ipo_irq_mutex);
	fput(file);
	return 0;
}

int ipo_irq_stat_ioctl(struct ipo_ucmd *ucmd)
{
	struct ipo_irq_stat *cmd = ucmd->cmd;
	struct ipo_irq_att *att;
	unsigned long flags;
	struct file *file;

	if (cmd->flags || cmd->__reserved)
		return -EINVAL;
	file = ipo_irq_fget(cmd->attach_fd, &att);
	if (IS_ERR(file))
		return PTR_ERR(file);
	raw_spin_lock_irqsave(&att->lock, flags);
	cmd->state = att->state;
	cmd->irq = att->irq;
	cmd->handled = att->handled;
	cmd->none = att->none;
	cmd->faults = att->fault != IPO_IRQ_FAULT_NONE;
	cmd->fault = att->fault;
	cmd->abort = att->abort;
	cmd->abort_pc = att->abort_pc;
	raw_spin_unlock_irqrestore(&att->lock, flags);
	fput(file);
	return ipo_ucmd_respond(ucmd, sizeof(*cmd));
}

/* The driver: bound only by the admin (new_id, driver_override). */

static int ipo_irq_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct ipo_irq_dev *idev;
	int ret;

	idev = kzalloc(sizeof(*idev), GFP_KERNEL);
	if (!idev)
		return -ENOMEM;
	ret = pci_enable_device(pdev);
	if (ret) {
		kfree(idev);
		return ret;
	}
	/*
	 * Containment is DisINTx: a device that cannot mask its INTx (no
	 * pin, or pre-2.3 PCI, or known broken masking) could hold a shared
	 * line asserted with nobody to acknowledge it.
	 */
	if (!pdev->pin || !pdev->irq || !pci_intx_mask_supported(pdev)) {
		dev_info(&pdev->dev, "no maskable INTx line: not bound\n");
		pci_disable_device(pdev);
		kfree(idev);
		return -ENODEV;
	}
	/* Nobody acknowledges it until a hook is attached. */
	ipo_irq_intx(pdev, false);
	idev->pdev = pdev;
	pci_set_drvdata(pdev, idev);
	mutex_lock(&ipo_irq_mutex);
	list_add_tail(&idev->node, &ipo_irq_devs);
	mutex_unlock(&ipo_irq_mutex);
	return 0;
}

static void ipo_irq_remove(struct pci_dev *pdev)
{
	struct ipo_irq_dev *idev = pci_get_drvdata(pdev);

	mutex_lock(&ipo_irq_mutex);
	if (idev->att)
		ipo_irq_detach_locked(idev->att);
	list_del(&idev->node);
	mutex_unlock(&ipo_irq_mutex);
	pci_disable_device(pdev);
	kfree(idev);
}

static const struct pci_device_id ipo_irq_ids[] = {
	{ }	/* none: the admin binds devices */
};

static struct pci_driver ipo_irq_driver = {
	.name = "ipo-irq",
	.id_table = ipo_irq_ids,
	.probe = ipo_irq_probe,
	.remove = ipo_irq_remove,
};

int ipo_irq_init(void)
{
	return pci_register_driver(&ipo_irq_driver);
}

void ipo_irq_exit(void)
{
	pci_unregister_driver(&ipo_irq_driver);
}
