// SPDX-License-Identifier: GPL-2.0
/*
 * INVOKE: a bundle of method calls in one syscall.
 *
 * Everything that can fail for reasons of the caller's making (fds,
 * buffers, sizes) is settled before any object is locked; then the objects
 * are locked in ascending id order (bundles cannot deadlock), their
 * sequence counters go odd, the calls run in order, and the counters go
 * even again.  A call that fails never leaves changes behind: its object
 * is restored from a copy taken before it ran (and, for an atomic bundle,
 * every object from the copy taken before the first call).
 */
#include <linux/file.h>
#include <linux/lockdep.h>
#include <linux/moduleparam.h>
#include <linux/nospec.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>

#include "ipo.h"
#include "ucopy.h"
#include "../exec/interp.h"

unsigned int ipo_max_bundle_calls = 1024;
unsigned int ipo_max_buf_size = 64U << 10;
unsigned int ipo_max_bundle_bytes = 16U << 20;

/*
 * A bundle holds its objects' locks while all its calls run, and others
 * wait for them: its calls together have at most this much fuel.
 */
static unsigned long ipo_max_bundle_fuel = 1UL << 27;
module_param_named(max_bundle_fuel, ipo_max_bundle_fuel, ulong, 0644);
MODULE_PARM_DESC(max_bundle_fuel, "Fuel all the calls of one INVOKE share (default 134217728)");

/* One call as the kernel holds it during the bundle. */
struct ipo_kcall {
	struct ipo_call c;		/* the caller's, results filled in */
	struct file *file;		/* holds the handle */
	struct ipo_handle *h;
	void *arg, *out;
	int setup_err;			/* why it cannot run, or 0 */
};

/* One object of the bundle. */
struct ipo_kobj {
	struct ipo_obj *obj;
	void *undo;			/* copy of the data to roll back to */
	u64 events;			/* notify() masks of committed calls */
	u32 seq;			/* the counter after the bundle */
};

/*
 * A small bundle -- the common single call -- lives entirely in struct
 * ipo_bundle on the stack: its calls, objects, buffers and undo copies
 * need no allocation (five kvmalloc/kvfree pairs were most of the cost of
 * a one-call INVOKE).  Larger ones take one allocation for all argument
 * and output buffers, one for the calls and one for the objects.
 */
#define IPO_INLINE_CALLS	4
#define IPO_INLINE_BYTES	256

struct ipo_bundle {
	struct ipo_kcall *calls;
	u32 nr_calls;
	struct ipo_kobj *objs;
	u32 nr_objs;
	bool atomic;
	u64 fuel;			/* each call's */
	u64 fuel_left;			/* what the calls still share */
	u32 caller_uid;			/* the same for every call */
	u32 caller_tgid;
	u8 *bufs;			/* every call's arg and out buffer */
	u32 inline_used;		/* bytes of inline_bytes handed out */
	struct ipo_kcall inline_calls[IPO_INLINE_CALLS];
	struct ipo_kobj inline_objs[IPO_INLINE_CALLS];
	u8 inline_bytes[IPO_INLINE_BYTES] __aligned(8);
};

/* A call's buffer in the arena: 8-byte aligned, never empty. */
static u64 ipo_buf_span(u32 size)
{
	return round_up(max(size, 1U), 8);
}

/* @size zeroed bytes from the inline space, or NULL when it is full. */
static void *ipo_bundle_inline(struct ipo_bundle *b, u64 size)
{
	void *p;

	if (size > IPO_INLINE_BYTES - b->inline_used)
		return NULL;
	p = b->inline_bytes + b->inline_used;
	b->inline_used += round_up(size, 8);
	memset(p, 0, size);
	return p;
}

static bool ipo_bundle_is_inline(const struct ipo_bundle *b, const void *p)
{
	return (const u8 *)p >= b->inline_bytes &&
	       (const u8 *)p < b->inline_bytes + IPO_INLINE_BYTES;
}

static int ipo_kobj_cmp(const void *a, const void *b)
{
	const struct ipo_kobj *x = a, *y = b;

	return x->obj->id < y->obj->id ? -1 : x->obj->id > y->obj->id;
}

/*
 * Bytes of struct ipo_call a caller with @call_size knows: the results
 * written back are those up to there (an older, shorter struct ends
 * before the fields added since; the stride is the caller's).
 */
static size_t ipo_call_known(u32 call_size)
{
	return min_t(size_t, call_size, sizeof(struct ipo_call));
}

/*
 * Reads one call and checks its sizes (the first pass over the bundle:
 * the buffers of every call are then allocated at once).
 */
static int ipo_call_read(struct ipo_kcall *kc, const u8 __user *ucall,
			 u32 call_size, u64 *bytes, u64 *arena)
{
	int ret;

	ret = copy_struct_from_user(&kc->c, sizeof(kc->c), ucall, call_size);
	if (ret)
		return ret;	/* the bundle itself is malformed */
	/*
	 * Results are outputs only: whatever the caller left there goes.
	 * Writing them now also proves they are writable, so a bundle never
	 * commits and then fails to report it.
	 */
	kc->c.ret = 0;
	kc->c.status = 0;
	kc->c.abort = 0;
	kc->c.abort_pc = 0;
	if (copy_to_user((u8 __user *)ucall + offsetof(struct ipo_call, ret),
			 &kc->c.ret, ipo_call_known(call_size) -
			 offsetof(struct ipo_call, ret)))
		return -EFAULT;
	if (kc->c.arg_size > READ_ONCE(ipo_max_buf_size) ||
	    kc->c.out_size > READ_ONCE(ipo_max_buf_size))
		return -E2BIG;
	*bytes += (u64)kc->c.arg_size + kc->c.out_size;
	if (*bytes > READ_ONCE(ipo_max_bundle_bytes))
		return -E2BIG;
	*arena += ipo_buf_span(kc->c.arg_size) + ipo_buf_span(kc->c.out_size);
	return 0;
}

/*
 * The first pass in one user-access window, word by word: per call what
 * ipo_call_read() does, in its order (the bytes past struct ipo_call are
 * checked before the results are zeroed in place).  Anything unusual -- a
 * fault, a nonzero byte past the struct, a size over a limit -- closes the
 * window and returns false, and ipo_call_read() does the pass again from
 * the start: it fails with exactly its own error, and the zeros written
 * here are a prefix of those it writes again before it stops.
 */
static bool ipo_calls_read_fast(struct ipo_bundle *b, u8 __user *ucalls,
				u32 call_size, u64 *arena)
{
	const size_t res_off = offsetof(struct ipo_call, ret);
	const size_t known = ipo_call_known(call_size);
	u64 max_buf = READ_ONCE(ipo_max_buf_size);
	u64 max_bytes = READ_ONCE(ipo_max_bundle_bytes);
	u64 bytes = 0, span = 0;
	u32 i;

	might_fault();
	if (!user_access_begin(ucalls, (size_t)b->nr_calls * call_size))
		return false;
	for (i = 0; i < b->nr_calls; i++) {
		struct ipo_call *c = &b->calls[i].c;
		u8 __user *u = ucalls + (size_t)i * call_size;
		size_t off = sizeof(*c);

		/* A shorter struct leaves the rest of c zero (kvcalloc, {}). */
		ipo_unsafe_copy_in(c, u, known, fault);
		for (; off + 8 <= call_size; off += 8) {
			u64 v;

			unsafe_get_user(v, (u64 __user *)(u + off), fault);
			if (v)
				goto fault;
		}
		for (; off < call_size; off++) {
			u8 v;

			unsafe_get_user(v, u + off, fault);
			if (v)
				goto fault;
		}
		c->ret = 0;
		c->status = 0;
		c->abort = 0;
		c->abort_pc = 0;
		ipo_unsafe_copy_out(u + res_off, (u8 *)c + res_off,
				    known - res_off, fault);
		if (c->arg_size > max_buf || c->out_size > max_buf)
			goto fault;
		bytes += (u64)c->arg_size + c->out_size;
		if (bytes > max_bytes)
			goto fault;
		span += ipo_buf_span(c->arg_size) + ipo_buf_span(c->out_size);
	}
	user_access_end();
	*arena = span;
	return true;
fault:
	user_access_end();
	return false;
}

/* Gives the call its (zeroed) buffers at *@pos in the arena. */
static void ipo_call_bufs(struct ipo_kcall *kc, u8 *arena, u64 *pos)
{
	kc->arg = arena + *pos;
	*pos += ipo_buf_span(kc->c.arg_size);
	kc->out = arena + *pos;
	*pos += ipo_buf_span(kc->c.out_size);
}

/*
 * Every argument in one user-access window (an argument over
 * IPO_UCOPY_SMALL bytes by copy_from_user() between two windows), then,
 * in the same window, the bundle's own result as read: it proves that
 * struct writable before anything runs, as ipo_ucmd_respond() would later.
 * False on any fault: ipo_call_arg() and ipo_ucmd_respond() then do it
 * the slow way, in their order, with their errors.  Reading an argument
 * has no effect the caller sees, and the struct is written back with the
 * bytes read from it, so having done part of this first changes nothing
 * (a thread rewriting that struct during the ioctl could see its own
 * bytes put back -- it could see the same from the later write anyway).
 */
static bool ipo_bundle_args_fast(struct ipo_bundle *b, struct ipo_ucmd *ucmd,
				 size_t cmd_len)
{
	void __user *ucmdp = ucmd->ubuffer;
	size_t len = min_t(size_t, ucmd->user_size, cmd_len);
	u32 i = 0;

	while (true) {
		struct ipo_kcall *kc = NULL;
		void __user *uarg = NULL;

		might_fault();
		if (!user_access_begin(ucmdp, len))
			return false;
		for (; i < b->nr_calls; i++) {
			kc = &b->calls[i];
			if (!kc->c.arg_size)
				continue;
			uarg = u64_to_user_ptr(kc->c.arg);
			if (kc->c.arg_size > IPO_UCOPY_SMALL ||
			    !access_ok(uarg, kc->c.arg_size))
				break;
			ipo_unsafe_copy_in(kc->arg, uarg, kc->c.arg_size, fault);
		}
		if (i == b->nr_calls)
			break;
		user_access_end();
		if (copy_from_user(kc->arg, uarg, kc->c.arg_size))
			return false;
		i++;
	}
	ipo_unsafe_copy_out(ucmdp, ucmd->cmd, len, fault);
	user_access_end();
	return true;
fault:
	user_access_end();
	return false;
}

/* Copies the call's argument in. */
static int ipo_call_arg(struct ipo_kcall *kc)
{
	if (kc->c.arg_size &&
	    ipo_copy_from_user(kc->arg, u64_to_user_ptr(kc->c.arg),
			       kc->c.arg_size))
		return -EFAULT;
	return 0;
}

/*
 * Takes the call's handle; per-call trouble is setup_err.
 *
 * A call naming the same fd as the call before it shares that call's
 * lookup (@prev: its handle or its lookup error) and the file reference
 * that call's lookup took, which the bundle holds to its end.  The
 * lookups of a bundle run back to back, with nothing the caller can see
 * in between, so one lookup for both is the same as two between which
 * no other thread changed the fd table -- a thread that did could not
 * tell.  Rights and the method are still checked for each call.
 */
static void ipo_call_handle(struct ipo_kcall *kc, const struct ipo_kcall *prev)
{
	if (prev && prev->c.obj_fd == kc->c.obj_fd) {
		kc->file = NULL;
		kc->h = prev->h;
		if (!kc->h) {
			kc->setup_err = prev->setup_err;
			return;
		}
	} else {
		kc->file = ipo_handle_fget(kc->c.obj_fd, &kc->h);
	}
	if (IS_ERR(kc->file)) {
		kc->setup_err = PTR_ERR(kc->file) == -EINVAL ? -EBADF :
				PTR_ERR(kc->file);
		kc->file = NULL;
		kc->h = NULL;
	} else if (!(kc->h->rights & IPO_RIGHT_INVOKE) ||
		   kc->c.method >= IPO_MAX_METHODS ||
		   !(kc->h->methods & (1ULL << kc->c.method))) {
		kc->setup_err = -EPERM;
	}
}

/*
 * The distinct objects of the bundle, sorted by id.  Most bundles, however
 * long, name a few objects: those are gathered in the inline array; only
 * a bundle of more takes an array with room for every call.
 */
static int ipo_bundle_objs(struct ipo_bundle *b)
{
	u32 i, j, k, n = 0;

	b->objs = b->inline_objs;
	for (i = 0; i < b->nr_calls; i++) {
		struct ipo_obj *obj;

		if (!b->calls[i].h)
			continue;
		obj = b->calls[i].h->obj;
		for (k = 0; k < n; k++)
			if (b->objs[k].obj == obj)
				break;
		if (k < n)
			continue;
		if (n == IPO_INLINE_CALLS)
			break;
		b->objs[n++].obj = obj;
	}
	if (i < b->nr_calls) {
		b->objs = kvcalloc(b->nr_calls, sizeof(*b->objs),
				   GFP_KERNEL_ACCOUNT);
		if (!b->objs)
			return -ENOMEM;
		for (i = 0, n = 0; i < b->nr_calls; i++) {
			if (!b->calls[i].h)
				continue;
			b->objs[n++].obj = b->calls[i].h->obj;
		}
	}
	sort(b->objs, n, sizeof(*b->objs), ipo_kobj_cmp, NULL);
	for (i = 0, j = 0; i < n; i++)
		if (!j || b->objs[j - 1].obj != b->objs[i].obj)
			b->objs[j++] = b->objs[i];
	b->nr_objs = j;
	for (i = 0; i < b->nr_objs; i++) {
		u64 size = b->objs[i].obj->data_size;

		b->objs[i].undo = ipo_bundle_inline(b, size);
		if (!b->objs[i].undo)
			b->objs[i].undo = kvmalloc(size, GFP_KERNEL_ACCOUNT);
		if (!b->objs[i].undo)
			return -ENOMEM;
	}
	return 0;
}

static struct ipo_kobj *ipo_bundle_kobj(struct ipo_bundle *b,
					struct ipo_obj *obj)
{
	u32 lo = 0, hi = b->nr_objs;

	while (lo < hi) {
		u32 mid = (lo + hi) / 2;

		if (b->objs[mid].obj->id < obj->id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return &b->objs[lo];
}

/* Runs one call on its locked object; 0 or the call's status. */
static int ipo_call_run(struct ipo_bundle *b, struct ipo_kcall *kc,
			struct ipo_method_env *env)
{
	struct ipo_obj *obj = kc->h->obj;
	struct ipo_method_ctx ctx = {};
	struct ipo_kprog *kp;
	struct ipo_run run = {};
	u64 args[5] = {}, r0, fuel;

	/* Checked under obj->lock: a revocation is either before or after. */
	if (kc->h->revoked)
		return -EPERM;
	/* An IRQ hook is the object's only writer while attached. */
	if (obj->irq_hook)
		return -EBUSY;
	if (!obj->methods || kc->c.method >= obj->methods->nr)
		return -ENOENT;
	/* The index is the caller's: no speculation past the check. */
	kp = obj->methods->progs[array_index_nospec(kc->c.method,
						    obj->methods->nr)];

	ctx.obj = obj->data;
	ctx.arg = kc->arg;
	ctx.out = kc->out;
	ctx.obj_size = obj->data_size;
	ctx.arg_size = kc->c.arg_size;
	ctx.out_size = kc->c.out_size;
	ctx.method = kc->c.method;
	ctx.obj_id = obj->id;
	ctx.caller_uid = b->caller_uid;
	ctx.caller_tgid = b->caller_tgid;
	args[0] = (unsigned long)&ctx;

	run.base[IPO_RGN_CTX] = (unsigned long)&ctx;
	run.size[IPO_RGN_CTX] = sizeof(ctx);
	run.base[IPO_RGN_OBJ] = (unsigned long)obj->data;
	run.size[IPO_RGN_OBJ] = obj->data_size;
	run.base[IPO_RGN_ARG] = (unsigned long)kc->arg;
	run.size[IPO_RGN_ARG] = kc->c.arg_size;
	run.base[IPO_RGN_OUT] = (unsigned long)kc->out;
	run.size[IPO_RGN_OUT] = kc->c.out_size;
	fuel = min(b->fuel, b->fuel_left);
	run.fuel = fuel;
	run.priv = env;

	r0 = ipo_kprog_run(kp, &run, args, false);
	/* What it used (an aborted run may leave the fuel below zero). */
	b->fuel_left -= fuel - clamp_t(s64, run.fuel, 0, fuel);
	kc->c.abort = run.abort == IPO_ABORT_UNWIND ? IPO_RESULT_OK : run.abort;
	kc->c.abort_pc = kc->c.abort ? run.abort_pc : 0;
	kc->c.ret = run.abort && run.abort != IPO_ABORT_UNWIND ? 0 : (s64)r0;
	switch (run.abort) {
	case IPO_ABORT_FUEL:
		return -ETIME;
	case IPO_ABORT_BOUNDS:
		return -EFAULT;
	case IPO_ABORT_HELPER:
		return -ECANCELED;
	}
	/*
	 * A method reports failure as a negative errno in the low 32 bits
	 * of r0: methods return int, which clang sets with a 32-bit move.
	 */
	if ((s32)r0 < 0 && (s32)r0 >= -MAX_ERRNO)
		return (s32)r0;
	return 0;
}

/* Runs the calls on the locked objects; returns the first failure or 0. */
static int ipo_bundle_run(struct ipo_bundle *b, u32 *nr_done)
{
	struct ipo_method_env env;
	struct ipo_kobj *ko;
	int err = 0;
	u32 i;

	/*
	 * An object with an IRQ hook is never written here (its calls fail
	 * with EBUSY before they run), and its hook writes it at any time:
	 * it is neither saved nor restored, or a rollback would put back a
	 * stale copy over the hook's updates.  irq_hook is stable under the
	 * object locks held.
	 */
	if (b->atomic)
		for (i = 0; i < b->nr_objs; i++)
			if (!b->objs[i].obj->irq_hook)
				memcpy(b->objs[i].undo, b->objs[i].obj->data,
				       b->objs[i].obj->data_size);

	for (i = 0; i < b->nr_calls; i++) {
		struct ipo_kcall *kc = &b->calls[i];

		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		/* Calls are bounded by fuel; a bundle of them may be long. */
		cond_resched();
		if (kc->setup_err) {
			err = kc->c.status = kc->setup_err;
			break;
		}
		ko = ipo_bundle_kobj(b, kc->h->obj);
		if (!b->atomic && !ko->obj->irq_hook)
			memcpy(ko->undo, ko->obj->data, ko->obj->data_size);
		env.events = 0;
		err = ipo_call_run(b, kc, &env);
		kc->c.status = err;
		if (err) {
			if (!b->atomic && !ko->obj->irq_hook)
				memcpy(ko->obj->data, ko->undo,
				       ko->obj->data_size);
			break;
		}
		/* A call's events count only once it has committed. */
		ko->events |= env.events;
	}
	*nr_done = err ? i : b->nr_calls;
	if (err && b->atomic) {
		/* Rolled back: nothing happened, nobody is told. */
		for (i = 0; i < b->nr_objs; i++) {
			if (!b->objs[i].obj->irq_hook)
				memcpy(b->objs[i].obj->data, b->objs[i].undo,
				       b->objs[i].obj->data_size);
			b->objs[i].events = 0;
		}
		/* Calls that ran are undone with the rest. */
		for (i = 0; i < *nr_done; i++)
			b->calls[i].c.status = -ECANCELED;
		*nr_done = 0;
	}
	for (i = *nr_done; i < b->nr_calls; i++)
		if (!b->calls[i].c.status)
			b->calls[i].c.status = -ECANCELED;
	return err;
}

/*
 * For lockdep: a bundle takes many object locks of one class, in id order,
 * under this annotation-only lock (the pattern of mm_take_all_locks()).
 */
#ifdef CONFIG_DEBUG_LOCK_ALLOC
static struct lock_class_key ipo_bundle_key;
#endif
static struct {
	struct lockdep_map dep_map;
} ipo_bundle_nest __maybe_unused = {
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	.dep_map = STATIC_LOCKDEP_MAP_INIT("ipo_bundle", &ipo_bundle_key),
#endif
};

static int ipo_bundle_lock_run(struct ipo_bundle *b, u32 *nr_done)
{
	u32 i;
	int err;

	lock_map_acquire(&ipo_bundle_nest.dep_map);
	for (i = 0; i < b->nr_objs; i++)
		mutex_lock_nest_lock(&b->objs[i].obj->lock, &ipo_bundle_nest);
	/*
	 * Readers of the mappings retry while a counter is odd: make it odd
	 * before any data changes (and even after all of them) are visible.
	 */
	for (i = 0; i < b->nr_objs; i++) {
		struct ipo_obj_header *hdr = b->objs[i].obj->hdr;

		/* Its IRQ hook owns the counter; the calls get EBUSY. */
		if (b->objs[i].obj->irq_hook)
			continue;
		WRITE_ONCE(hdr->seq, hdr->seq + 1);
		smp_wmb();	/* odd seq before the data changes */
	}
	err = ipo_bundle_run(b, nr_done);
	for (i = 0; i < b->nr_objs; i++) {
		struct ipo_obj_header *hdr = b->objs[i].obj->hdr;

		if (b->objs[i].obj->irq_hook)
			continue;
		smp_wmb();	/* data changes before the even seq */
		WRITE_ONCE(hdr->seq, hdr->seq + 1);
		b->objs[i].seq = hdr->seq;
	}
	for (i = b->nr_objs; i--; )
		mutex_unlock(&b->objs[i].obj->lock);
	lock_map_release(&ipo_bundle_nest.dep_map);

	/* One pass over each changed object's subscribers. */
	for (i = 0; i < b->nr_objs; i++)
		if (b->objs[i].events)
			ipo_notify_commit(b->objs[i].obj, b->objs[i].events,
					  b->objs[i].seq);
	return err;
}

/*
 * Results and committed outputs go back after the objects are unlocked,
 * in call order (a call's results, then its output), then the bundle's
 * own result, as one user-access window over the calls: an output of up
 * to IPO_UCOPY_SMALL bytes is written inside it (after its own
 * access_ok()), a larger one by copy_to_user() between two windows.
 */
static int ipo_bundle_respond(struct ipo_bundle *b, u8 __user *ucalls,
			      u32 call_size, struct ipo_ucmd *ucmd,
			      size_t cmd_len)
{
	const size_t res_off = offsetof(struct ipo_call, ret);
	const size_t res_len = ipo_call_known(call_size) - res_off;
	size_t len = (size_t)b->nr_calls * call_size;
	size_t cmd_bytes = min_t(size_t, ucmd->user_size, cmd_len);
	u32 i = 0;

	while (true) {
		struct ipo_kcall *kc = NULL;
		void __user *uout = NULL;

		might_fault();
		/*
		 * Everything here was proven writable before the bundle ran;
		 * only the caller's own unmapping meanwhile can fail it now.
		 * The parentheses call the function, never a macro of that
		 * name: the fault build injects failures only where they can
		 * be reported (see fault.h).
		 */
		if (!(user_access_begin)(ucalls, len))
			return -EFAULT;
		for (; i < b->nr_calls; i++) {
			u8 __user *u = ucalls + (size_t)i * call_size;

			kc = &b->calls[i];
			ipo_unsafe_copy_out(u + res_off, (u8 *)&kc->c + res_off,
					    res_len, fault);
			if (kc->c.status || !kc->c.out_size)
				continue;
			uout = u64_to_user_ptr(kc->c.out);
			if (kc->c.out_size > IPO_UCOPY_SMALL ||
			    !access_ok(uout, kc->c.out_size))
				break;
			ipo_unsafe_copy_out(uout, kc->out, kc->c.out_size,
					    fault);
		}
		if (i == b->nr_calls)
			break;
		user_write_access_end();
		if (copy_to_user(uout, kc->out, kc->c.out_size))
			return -EFAULT;
		i++;
	}
	/* Its own access_ok(), as ipo_ucmd_respond() would check. */
	if (!access_ok(ucmd->ubuffer, cmd_bytes))
		goto fault;
	ipo_unsafe_copy_out(ucmd->ubuffer, ucmd->cmd, cmd_bytes, fault);
	user_write_access_end();
	return 0;
fault:
	user_write_access_end();
	return -EFAULT;
}

static void ipo_bundle_free(struct ipo_bundle *b)
{
	u32 i;

	if (b->objs)
		for (i = 0; i < b->nr_objs; i++)
			if (!ipo_bundle_is_inline(b, b->objs[i].undo))
				kvfree(b->objs[i].undo);
	if (b->objs != b->inline_objs)
		kvfree(b->objs);
	if (!ipo_bundle_is_inline(b, b->bufs))
		kvfree(b->bufs);
	for (i = 0; i < b->nr_calls; i++)
		if (b->calls[i].file)
			fput(b->calls[i].file);
	if (b->calls != b->inline_calls)
		kvfree(b->calls);
}

int ipo_invoke(struct ipo_ucmd *ucmd)
{
	struct ipo_invoke *cmd = ucmd->cmd;
	u8 __user *ucalls = u64_to_user_ptr(cmd->calls);
	struct ipo_bundle b = {};
	u32 i, nr_done = 0;
	u64 bytes = 0, arena = 0, pos = 0;
	bool early;
	kuid_t euid;
	int ret, err;

	if (cmd->flags & ~IPO_INVOKE_FLAGS || cmd->__reserved)
		return -EINVAL;
	if (!cmd->nr_calls || !cmd->calls ||
	    cmd->call_size < offsetofend(struct ipo_call, abort) ||
	    cmd->call_size > PAGE_SIZE)
		return -EINVAL;
	if (cmd->nr_calls > READ_ONCE(ipo_max_bundle_calls))
		return -E2BIG;
	b.fuel = cmd->fuel ? cmd->fuel : READ_ONCE(ipo_fuel_default);
	if (b.fuel > READ_ONCE(ipo_fuel_max) || b.fuel > S64_MAX)
		return -E2BIG;
	b.fuel_left = min_t(u64, READ_ONCE(ipo_max_bundle_fuel), S64_MAX);
	b.atomic = cmd->flags & IPO_INVOKE_ATOMIC;
	/*
	 * In the initial user namespace the mapping is the identity, valid
	 * ids being mapped to themselves: no call needed.
	 */
	euid = current_euid();
	if (current_user_ns() == &init_user_ns && uid_valid(euid))
		b.caller_uid = __kuid_val(euid);
	else
		b.caller_uid = from_kuid_munged(current_user_ns(), euid);
	b.caller_tgid = task_tgid_vnr(current);

	if (cmd->nr_calls <= IPO_INLINE_CALLS)
		b.calls = b.inline_calls;
	else
		b.calls = kvcalloc(cmd->nr_calls, sizeof(*b.calls),
				   GFP_KERNEL_ACCOUNT);
	if (!b.calls)
		return -ENOMEM;
	b.nr_calls = cmd->nr_calls;
	/*
	 * Two passes: every call is read and its sizes checked, then all
	 * buffers come from one arena and the arguments are copied in.  The
	 * first pass is one window over the calls; the call by call one
	 * runs when that stopped, to fail with the right error.
	 */
	if (!ipo_calls_read_fast(&b, ucalls, cmd->call_size, &arena)) {
		for (i = 0; i < b.nr_calls; i++) {
			ret = ipo_call_read(&b.calls[i],
					    ucalls + (size_t)i * cmd->call_size,
					    cmd->call_size, &bytes, &arena);
			if (ret)
				goto out;
		}
	}
	b.bufs = ipo_bundle_inline(&b, arena);
	if (!b.bufs)
		b.bufs = kvzalloc(arena, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!b.bufs) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < b.nr_calls; i++)
		ipo_call_bufs(&b.calls[i], b.bufs, &pos);
	/*
	 * The arguments (and the proof that the bundle's own result can be
	 * written) in one window; when that stopped, call by call.  Taking
	 * the handles after all arguments rather than between them is not
	 * seen: a handle taken for a bundle that then fails is put back.
	 */
	early = ipo_bundle_args_fast(&b, ucmd, sizeof(*cmd));
	for (i = 0; !early && i < b.nr_calls; i++) {
		ret = ipo_call_arg(&b.calls[i]);
		if (ret)
			goto out;
	}
	for (i = 0; i < b.nr_calls; i++)
		ipo_call_handle(&b.calls[i], i ? &b.calls[i - 1] : NULL);
	ret = ipo_bundle_objs(&b);
	if (ret)
		goto out;
	/* Likewise the bundle's own result, before anything runs. */
	if (!early) {
		ret = ipo_ucmd_respond(ucmd, sizeof(*cmd));
		if (ret)
			goto out;
	}

	err = ipo_bundle_lock_run(&b, &nr_done);
	cmd->nr_done = nr_done;
	ret = ipo_bundle_respond(&b, ucalls, cmd->call_size, ucmd,
				 sizeof(*cmd));
	if (!ret)
		ret = err;
out:
	ipo_bundle_free(&b);
	return ret;
}
