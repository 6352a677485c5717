// SPDX-License-Identifier: GPL-2.0
/*
 * INVOKE: a bundle of method calls in one syscall.
 *
 * Everything that can fail for reasons of the caller's making (fds,
 * buffers, sizes) is settled before any object is locked; then the objects
 * are locked in ascending id order (bundles cannot deadlock), their
 * sequence counters go odd, the calls run in order, and the counters go
 * even again.  A call that fails never leaves changes behind: what it
 * wrote is taken back (and, for an atomic bundle, what every call wrote):
 * from the undo log the executors keep, in time proportional to what was
 * written, or, for an object of at most IPO_UNDO_COPY_MAX bytes, from a
 * copy taken before (undo.c).  A bundle stops at its first failing call,
 * unless it is independent: then every call runs and commits or rolls
 * back on its own.
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
#include "run.h"
#include "ucopy.h"

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
	void *undo;			/* copy of a small object, or NULL */
	struct ipo_undo_obj uo;		/* a logged one as the log sees it */
	u64 events;			/* notify() masks of committed calls */
	u32 seq;			/* the counter after the bundle */
};

/*
 * A small bundle -- the common single call -- lives entirely in struct
 * ipo_kbundle on the stack: its calls, objects, buffers and undo copies
 * need no allocation (five kvmalloc/kvfree pairs were most of the cost of
 * a one-call INVOKE).  Larger ones take one allocation for all argument
 * and output buffers, one for the calls and one for the objects.
 */
#define IPO_INLINE_CALLS	4
#define IPO_INLINE_BYTES	256
/* The log's first chunk: four granules, what a call on a counter writes. */
#define IPO_INLINE_UNDO		(sizeof(struct ipo_undo_chunk) + \
				 4 * sizeof(struct ipo_undo_rec))

struct ipo_kbundle {
	struct ipo_kcall *calls;
	u32 nr_calls;
	struct ipo_kobj *objs;
	u32 nr_objs;
	bool atomic;
	bool independent;		/* IPO_INVOKE_INDEPENDENT */
	u64 fuel;			/* each call's */
	u64 fuel_left;			/* what the calls still share */
	u64 work;			/* the calls' cost since the last yield */
	bool caller_known;		/* caller_uid and _tgid are set */
	u32 caller_uid;			/* the same for every call */
	u32 caller_tgid;
	struct ipo_undo undo;		/* the log: a call's, or the bundle's */
	u8 *bufs;			/* every call's arg and out buffer */
	u32 inline_used;		/* bytes of inline_bytes handed out */
	struct ipo_kcall inline_calls[IPO_INLINE_CALLS];
	struct ipo_kobj inline_objs[IPO_INLINE_CALLS];
	u8 inline_bytes[IPO_INLINE_BYTES] __aligned(8);
	u8 inline_undo[IPO_INLINE_UNDO] __aligned(8);
};

/* A call's buffer in the arena: 8-byte aligned, never empty. */
static u64 ipo_buf_span(u32 size)
{
	return round_up(max(size, 1U), 8);
}

/*
 * @size bytes (not zeroed) from the inline space, or NULL when it is full.
 * Only output buffers are zeroed (ipo_zero_words()): an argument is
 * copied over, an undo copy too, and a method reads neither past its size.
 */
static void *ipo_kbundle_inline(struct ipo_kbundle *b, u64 size)
{
	void *p;

	if (size > IPO_INLINE_BYTES - b->inline_used)
		return NULL;
	p = b->inline_bytes + b->inline_used;
	b->inline_used += round_up(size, 8);
	return p;
}

/*
 * Zeroes @bytes (a multiple of 8) word by word: a call's few words, where
 * memset() of a size known only at run time is a `rep stosb`, one byte a
 * step on the CPUs that emulate it.  The barrier keeps the compiler from
 * turning the loop back into that memset().
 */
static __always_inline void ipo_zero_words(void *p, u64 bytes)
{
	u64 i;

	for (i = 0; i < bytes / 8; i++) {
		((u64 *)p)[i] = 0;
		barrier();
	}
}

/* Copies @bytes (at most IPO_UNDO_COPY_MAX) the same way. */
static __always_inline void ipo_copy_words(void *dst, const void *src,
					   u64 bytes)
{
	u64 i;

	for (i = 0; i + 8 <= bytes; i += 8) {
		put_unaligned(get_unaligned((const u64 *)(src + i)),
			      (u64 *)(dst + i));
		barrier();
	}
	for (; i < bytes; i++)
		((u8 *)dst)[i] = ((const u8 *)src)[i];
}

/*
 * The bundle's own fields zeroed, not its inline space (the kernel's
 * CONFIG_INIT_STACK_ALL_ZERO would zero all of it, about a kilobyte a
 * call, most of it never read: hence __uninitialized on it).  The calls
 * in use have what ipo_kbundle_free() reads set when they are taken, the
 * rest as the bundle is read; the inline objects are zeroed here (every
 * one is read before it is written); of the inline bytes only output
 * buffers are zeroed (ipo_call_bufs()).  (A memset() of a size known
 * only at run time is a `rep stosb`: one byte a step.)
 */
static void ipo_kbundle_init(struct ipo_kbundle *b)
{
	memset(b, 0, offsetof(struct ipo_kbundle, inline_calls));
	memset(b->inline_objs, 0, sizeof(b->inline_objs));
}

static bool ipo_kbundle_is_inline(const struct ipo_kbundle *b, const void *p)
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
	 * Results are outputs only (__reserved too, always 0): whatever the
	 * caller left there goes.  Writing them now also proves they are
	 * writable, so a bundle never commits and then fails to report its
	 * calls' results (an output that cannot be written is another
	 * matter: ipo_kbundle_respond()).
	 */
	kc->c.ret = 0;
	kc->c.status = 0;
	kc->c.abort = 0;
	kc->c.abort_pc = 0;
	kc->c.__reserved = 0;
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
static bool ipo_calls_read_fast(struct ipo_kbundle *b, u8 __user *ucalls,
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

		ipo_unsafe_copy_in_usual(c, u, known, sizeof(*c), fault);
		/* A shorter (older) struct: the rest of c is zero. */
		if (known < sizeof(*c))
			memset((u8 *)c + known, 0, sizeof(*c) - known);
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
		c->__reserved = 0;
		ipo_unsafe_copy_out_usual(u + res_off, (u8 *)c + res_off,
					  known - res_off, sizeof(*c) - res_off,
					  fault);
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

/*
 * Gives the call its buffers at *@pos in the arena, the output zeroed:
 * what the method does not write goes back as zeros, never as what the
 * memory held before.
 */
static void ipo_call_bufs(struct ipo_kcall *kc, u8 *arena, u64 *pos)
{
	kc->arg = arena + *pos;
	*pos += ipo_buf_span(kc->c.arg_size);
	kc->out = arena + *pos;
	*pos += ipo_buf_span(kc->c.out_size);
	ipo_zero_words(kc->out, ipo_buf_span(kc->c.out_size));
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
 * bytes put back, as with ipo_ucmd_respond(); after the calls only
 * nr_done is written).
 */
static bool ipo_kbundle_args_fast(struct ipo_kbundle *b,
				  struct ipo_ucmd *ucmd)
{
	void __user *ucmdp = ucmd->ubuffer;
	/* INVOKE has one size: its shortest (main.c's min_size) is whole. */
	const size_t len = sizeof(struct ipo_invoke);
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
static int ipo_kbundle_objs(struct ipo_kbundle *b)
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
	if (n > 1)
		sort(b->objs, n, sizeof(*b->objs), ipo_kobj_cmp, NULL);
	for (i = 0, j = 0; i < n; i++)
		if (!j || b->objs[j - 1].obj != b->objs[i].obj)
			b->objs[j++] = b->objs[i];
	b->nr_objs = j;
	for (i = 0; i < b->nr_objs; i++) {
		struct ipo_obj *obj = b->objs[i].obj;
		u64 size = obj->data_size;

		if (obj->undo_map) {
			/* Logged, not copied: nothing to allocate now. */
			b->objs[i].uo = (struct ipo_undo_obj){
				.data = obj->data,
				.size = size,
				.map = obj->undo_map,
			};
			continue;
		}
		b->objs[i].undo = ipo_kbundle_inline(b, size);
		if (!b->objs[i].undo)
			b->objs[i].undo = kvmalloc(size, GFP_KERNEL_ACCOUNT);
		if (!b->objs[i].undo)
			return -ENOMEM;
	}
	return 0;
}

static struct ipo_kobj *ipo_kbundle_kobj(struct ipo_kbundle *b,
					 struct ipo_obj *obj)
{
	u32 lo = 0, hi = b->nr_objs;

	if (hi == 1)
		return &b->objs[0];	/* the common bundle: one object */

	while (lo < hi) {
		u32 mid = (lo + hi) / 2;

		if (b->objs[mid].obj->id < obj->id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return &b->objs[lo];
}

/*
 * A small object's copy, taken before a call (or an atomic bundle) and put
 * back when it fails.  An object with an IRQ hook is never written here
 * (its calls fail with EBUSY before they run), and its hook writes it at
 * any time: it is neither saved nor restored, or a rollback would put
 * back a stale copy over the hook's updates.  irq_hook is stable under
 * the object lock held.  A logged object has no copy.
 */
static __always_inline void ipo_kobj_save(struct ipo_kobj *ko)
{
	if (ko->undo && !ko->obj->irq_hook)
		ipo_copy_words(ko->undo, ko->obj->data, ko->obj->data_size);
}

static __always_inline void ipo_kobj_restore(struct ipo_kobj *ko)
{
	if (ko->undo && !ko->obj->irq_hook)
		ipo_copy_words(ko->obj->data, ko->undo, ko->obj->data_size);
}

/*
 * Commit and rollback of the log, skipped when it holds nothing (a call
 * on a copied object logs nothing, and its log is not even set up: only
 * nr_recs is).  Not in the log's own API: emptied, a log has its chunks
 * on the spare list (exec/undo.h), which this leaves as they were.
 */
static __always_inline void ipo_kundo_commit(struct ipo_undo *u)
{
	if (u->nr_recs)
		ipo_undo_commit(u);
}

static __always_inline void ipo_kundo_rollback(struct ipo_undo *u)
{
	if (u->nr_recs)
		ipo_undo_rollback(u);
}

/*
 * How much a bundle runs, with its object locks held, before it may yield
 * to a task that wants its CPU: each call's fuel (at least
 * IPO_BUNDLE_CALL_WORK), plus its program's length and the granules its
 * undo log took (ipo_call_run()).  A yield there parks the holder with
 * the locks: every waiter woken meanwhile finds them taken and sleeps
 * again until the holder runs, a scheduler tick at a time under load
 * (traced in issue 21: 4 workers' bundles of 16 short calls yielded here
 * ~46 times a second, at p99 8 ms against a p50 of 0.1-0.3 ms).  A bundle under this
 * yields on its way back to userspace, after the unlock.  Counted in
 * work, not time: under a hypervisor the clock also runs while the vCPU
 * is not.
 */
#define IPO_BUNDLE_CALL_WORK	4096
#define IPO_UNDO_GRANULE_WORK	16
static unsigned long ipo_bundle_resched_fuel = 1UL << 20;
module_param_named(bundle_resched_fuel, ipo_bundle_resched_fuel, ulong, 0644);
MODULE_PARM_DESC(bundle_resched_fuel, "Work (fuel, at least 4096 a call, plus program length and logged granules) a bundle does with its objects locked before it may yield the CPU (default 1048576; 0: at every call)");

/* Runs one call on its locked object; 0 or the call's status. */
static __always_inline int ipo_call_run(struct ipo_kbundle *b,
					struct ipo_kcall *kc,
					struct ipo_kobj *ko,
					struct ipo_method_env *env)
{
	struct ipo_obj *obj = kc->h->obj;
	struct ipo_krun kr = {
		.obj = obj->data,
		.obj_size = obj->data_size,
		.method = kc->c.method,
		.arg = kc->arg,
		.arg_size = kc->c.arg_size,
		.out = kc->out,
		.out_size = kc->c.out_size,
		.obj_id = obj->id,
		.fuel = min(b->fuel, b->fuel_left),
		.env = env,
		.undo = ko->undo ? NULL : &b->undo,
		.undo_obj = &ko->uo,
	};
	struct ipo_kprog *kp;
	u64 recs;

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
	/*
	 * Who calls, only for a method that may read it (the verifier's
	 * ctx_read_end), and then once a bundle: the credentials and the
	 * pid namespace lookup are ~70 instructions.  A method that does
	 * not read them never sees them; they are set to an id nobody has
	 * all the same, never to root's.
	 */
	if (kp->prog.ctx_read_end > offsetof(struct ipo_method_ctx,
					     caller_uid)) {
		if (!b->caller_known) {
			ipo_run_caller(&b->caller_uid, &b->caller_tgid);
			b->caller_known = true;
		}
		kr.caller_uid = b->caller_uid;
		kr.caller_tgid = b->caller_tgid;
	} else {
		kr.caller_uid = (u32)-1;
		kr.caller_tgid = (u32)-1;
	}

	recs = b->undo.nr_recs;
	ipo_kprog_run_inline(kp, &kr);
	b->fuel_left -= kr.fuel_used;
	/*
	 * What the run cost the CPU, for when the bundle may yield: fuel
	 * charges only back edges and calls, so straight-line code counts by
	 * the program's length, and every granule the run logged (a 64-byte
	 * copy, uncharged) by IPO_UNDO_GRANULE_WORK.
	 */
	b->work += max_t(u64, kr.fuel_used, IPO_BUNDLE_CALL_WORK) +
		   kp->prog.len +
		   (b->undo.nr_recs - recs) * IPO_UNDO_GRANULE_WORK;
	kc->c.abort = kr.abort;
	kc->c.abort_pc = kr.abort_pc;
	kc->c.ret = kr.ret;
	switch (kr.abort) {
	case IPO_RESULT_FUEL:
		return -ETIME;
	case IPO_RESULT_BOUNDS:
		return -EFAULT;
	case IPO_RESULT_HELPER:
		return -ECANCELED;
	case IPO_RESULT_UNDO:
		return -ENOSPC;
	}
	/*
	 * A method reports failure as a negative errno in the low 32 bits
	 * of r0: methods return int, which clang sets with a 32-bit move.
	 */
	if ((s32)kr.ret < 0 && (s32)kr.ret >= -MAX_ERRNO)
		return (s32)kr.ret;
	return 0;
}

/*
 * Runs the calls on the locked objects; returns the first failure or 0.
 * An independent bundle is stop-at-error's per-call commit or rollback
 * without the stop: a failing call is undone and the next one runs.
 */
static int ipo_kbundle_run(struct ipo_kbundle *b, u32 *nr_done)
{
	struct ipo_method_env env;
	struct ipo_kobj *ko;
	int err = 0, first_err = 0;
	u32 i, end, committed = 0;

	if (b->atomic)
		for (i = 0; i < b->nr_objs; i++)
			ipo_kobj_save(&b->objs[i]);

	for (i = 0; i < b->nr_calls; i++) {
		struct ipo_kcall *kc = &b->calls[i];

		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		/* Calls are bounded by fuel; a bundle of them may be long. */
		if (need_resched() &&
		    b->work >= READ_ONCE(ipo_bundle_resched_fuel)) {
			cond_resched();
			b->work = 0;
		}
		if (kc->setup_err) {
			err = kc->c.status = kc->setup_err;
			if (!b->independent)
				break;
			first_err = first_err ?: err;
			err = 0;
			continue;
		}
		ko = ipo_kbundle_kobj(b, kc->h->obj);
		if (!b->atomic)
			ipo_kobj_save(ko);
		env.events = 0;
		err = ipo_call_run(b, kc, ko, &env);
		kc->c.status = err;
		if (err) {
			if (!b->atomic)
				ipo_kobj_restore(ko);
			if (!b->independent)
				break;
			/* Undone now: the next call sees what was before. */
			ipo_kundo_rollback(&b->undo);
			first_err = first_err ?: err;
			err = 0;
			continue;
		}
		/* A call that stops at an error commits on its own. */
		if (!b->atomic)
			ipo_kundo_commit(&b->undo);
		/* A call's events count only once it has committed. */
		ko->events |= env.events;
		committed++;
	}
	end = i;		/* the calls from here on did not run */
	/*
	 * The log holds the failed call's writes (or, atomic, every call's);
	 * after a success it holds nothing, or the atomic bundle's writes.
	 * An independent bundle's failed calls were rolled back as they
	 * failed, so its log is empty here.
	 */
	if (err)
		ipo_kundo_rollback(&b->undo);
	else
		ipo_kundo_commit(&b->undo);
	err = err ?: first_err;
	*nr_done = committed;
	if (err && b->atomic) {
		/* Rolled back: nothing happened, nobody is told. */
		for (i = 0; i < b->nr_objs; i++) {
			ipo_kobj_restore(&b->objs[i]);
			b->objs[i].events = 0;
		}
		/* Calls that ran are undone with the rest. */
		for (i = 0; i < *nr_done; i++)
			b->calls[i].c.status = -ECANCELED;
		*nr_done = 0;
	}
	for (i = end; i < b->nr_calls; i++)
		if (!b->calls[i].c.status)
			b->calls[i].c.status = -ECANCELED;
	return err;
}

/*
 * For lockdep: a bundle takes many object locks of one class, in id order,
 * under this annotation-only lock (the pattern of mm_take_all_locks()).
 */
#ifdef CONFIG_DEBUG_LOCK_ALLOC
static struct lock_class_key ipo_kbundle_key;
#endif
static struct {
	struct lockdep_map dep_map;
} ipo_kbundle_nest __maybe_unused = {
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	.dep_map = STATIC_LOCKDEP_MAP_INIT("ipo_kbundle", &ipo_kbundle_key),
#endif
};

static int ipo_kbundle_lock_run(struct ipo_kbundle *b, u32 *nr_done)
{
	u32 i;
	int err;

	lock_map_acquire(&ipo_kbundle_nest.dep_map);
	for (i = 0; i < b->nr_objs; i++)
		mutex_lock_nest_lock(&b->objs[i].obj->lock, &ipo_kbundle_nest);
	/*
	 * Every counter odd before any data changes, even after all of
	 * them.  An object's IRQ hook owns its counter; its calls get EBUSY.
	 */
	for (i = 0; i < b->nr_objs; i++)
		if (!b->objs[i].obj->irq_hook)
			ipo_obj_write_begin(b->objs[i].obj);
	err = ipo_kbundle_run(b, nr_done);
	for (i = 0; i < b->nr_objs; i++)
		if (!b->objs[i].obj->irq_hook)
			b->objs[i].seq = ipo_obj_write_end(b->objs[i].obj);
	for (i = b->nr_objs; i--; )
		mutex_unlock(&b->objs[i].obj->lock);
	lock_map_release(&ipo_kbundle_nest.dep_map);

	/* One pass over each changed object's subscribers. */
	for (i = 0; i < b->nr_objs; i++)
		if (b->objs[i].events &&
		    ipo_notify_subscribed(b->objs[i].obj))
			ipo_notify_commit(b->objs[i].obj, b->objs[i].events,
					  b->objs[i].seq);
	return err;
}

/*
 * In an open write window, the bundle's own result: the command's
 * nr_done, the one field INVOKE changes (the rest went back, as read,
 * before anything ran, which proved it writable).  Every command a caller
 * passes has it: the shortest INVOKE accepted (main.c's min_size) ends at
 * __reserved.  False on a fault.
 */
static __always_inline bool ipo_unsafe_put_nr_done(struct ipo_ucmd *ucmd)
{
	const struct ipo_invoke *cmd = ucmd->cmd;
	u32 __user *unr = (u32 __user *)((u8 __user *)ucmd->ubuffer +
					 offsetof(struct ipo_invoke, nr_done));

	/* Its own access_ok(), as ipo_ucmd_respond() would check. */
	if (!access_ok(unr, sizeof(*unr)))
		return false;
	unsafe_put_user(cmd->nr_done, unr, fault);
	return true;
fault:
	return false;
}

/*
 * Results and committed outputs go back after the objects are unlocked,
 * in call order (a call's results, then its output), then the bundle's
 * own result, as one user-access window over the calls: an output of up
 * to IPO_UCOPY_SMALL bytes is written inside it (after its own
 * access_ok()), a larger one by copy_to_user() between two windows.
 *
 * The calls' results and the command were proven writable before the
 * bundle ran: only the caller's own unmapping meanwhile can fail them
 * now, and that ends the answer with EFAULT.  An output was not (it is
 * written only if its call commits): one that cannot be written is
 * skipped, the other calls' results and outputs and nr_done still go
 * back, and the INVOKE fails with EFAULT -- its call committed, as its
 * status and nr_done say.
 */
static int ipo_kbundle_respond(struct ipo_kbundle *b, u8 __user *ucalls,
			       u32 call_size, struct ipo_ucmd *ucmd)
{
	const size_t res_off = offsetof(struct ipo_call, ret);
	const size_t res_len = ipo_call_known(call_size) - res_off;
	size_t len = (size_t)b->nr_calls * call_size;
	bool out_lost = false;
	u32 i = 0;

	while (true) {
		struct ipo_kcall *kc = NULL;
		void __user *uout = NULL;

		might_fault();
		/*
		 * The parentheses call the function, never a macro of that
		 * name: the fault build injects failures only where they can
		 * be reported (see fault.h).
		 */
		if (!(user_access_begin)(ucalls, len))
			return -EFAULT;
		for (; i < b->nr_calls; i++) {
			u8 __user *u = ucalls + (size_t)i * call_size;

			kc = &b->calls[i];
			ipo_unsafe_copy_out_usual(u + res_off,
						  (u8 *)&kc->c + res_off,
						  res_len,
						  sizeof(kc->c) - res_off,
						  fault);
			if (kc->c.status || !kc->c.out_size)
				continue;
			uout = u64_to_user_ptr(kc->c.out);
			if (kc->c.out_size > IPO_UCOPY_SMALL)
				break;
			if (!access_ok(uout, kc->c.out_size))
				goto out_fault;
			ipo_unsafe_copy_out(uout, kc->out, kc->c.out_size,
					    out_fault);
			continue;
out_fault:
			out_lost = true;
		}
		if (i == b->nr_calls)
			break;
		user_write_access_end();
		if (copy_to_user(uout, kc->out, kc->c.out_size))
			out_lost = true;
		i++;
	}
	if (!ipo_unsafe_put_nr_done(ucmd))
		goto fault;
	user_write_access_end();
	return out_lost ? -EFAULT : 0;
fault:
	user_write_access_end();
	return -EFAULT;
}

static void ipo_kbundle_free(struct ipo_kbundle *b)
{
	u32 i;

	ipo_undo_release(&b->undo);
	if (b->objs)
		for (i = 0; i < b->nr_objs; i++)
			if (!ipo_kbundle_is_inline(b, b->objs[i].undo))
				kvfree(b->objs[i].undo);
	if (b->objs != b->inline_objs)
		kvfree(b->objs);
	if (!ipo_kbundle_is_inline(b, b->bufs))
		kvfree(b->bufs);
	for (i = 0; i < b->nr_calls; i++)
		if (b->calls[i].file)
			fput(b->calls[i].file);
	if (b->calls != b->inline_calls)
		kvfree(b->calls);
}

/*
 * ipo_kbundle_respond() for the one call of ipo_invoke_one(), in one
 * window: its results, its output (which fits the inline space, so it is
 * at most IPO_UCOPY_SMALL bytes: no copy between two windows), then
 * nr_done.  The outcomes are the bundle's: an output that cannot be
 * written is skipped, nr_done still goes back, and the answer is EFAULT.
 */
static __always_inline int ipo_one_respond(struct ipo_kcall *kc,
					   u8 __user *ucall,
					   struct ipo_ucmd *ucmd)
{
	const size_t res_off = offsetof(struct ipo_call, ret);
	void __user *uout = u64_to_user_ptr(kc->c.out);

	BUILD_BUG_ON(IPO_INLINE_BYTES > IPO_UCOPY_SMALL);
	might_fault();
	/* Parenthesised as in ipo_kbundle_respond(), for the fault build. */
	if (!(user_access_begin)(ucall, sizeof(kc->c)))
		return -EFAULT;
	ipo_unsafe_copy_out(ucall + res_off, (u8 *)&kc->c + res_off,
			    sizeof(kc->c) - res_off, fault);
	if (!kc->c.status && kc->c.out_size) {
		if (!access_ok(uout, kc->c.out_size))
			goto out_fault;
		ipo_unsafe_copy_out(uout, kc->out, kc->c.out_size, out_fault);
	}
	if (!ipo_unsafe_put_nr_done(ucmd))
		goto fault;
	user_write_access_end();
	return 0;
out_fault:
	/*
	 * The output is lost, not the answer.  (A flag and one tail, or
	 * nr_done first, cost this path 6-7 instructions more.)
	 */
	if (!ipo_unsafe_put_nr_done(ucmd))
		goto fault;
	user_write_access_end();
	return -EFAULT;
fault:
	user_write_access_end();
	return -EFAULT;
}

/*
 * The one-call INVOKE, the common one, without the bundle's generality:
 * no arena, no object gathering, no loops, one window for the call and
 * one for its argument.  Every outcome is the bundle path's, in its
 * order: a call it refuses (no handle, no right, no such method) has
 * that as its status and the INVOKE's error, as there.  It does only
 * what fits its inline space (the current struct size, buffers and a
 * small object's copy within IPO_INLINE_BYTES) and cannot fail: on a
 * fault, a size over a limit or a larger buffer it answers
 * IPO_ONE_BUNDLE before anything has happened that the caller could
 * see, and the bundle path does it all again from the start, with its
 * own errors.  What it may have done by then is what the bundle path
 * also does first: the call's results zeroed in place and the command
 * written back with the bytes read from it; a handle taken is put back.
 * After its two windows it reads nothing of the caller's memory again:
 * what runs is the kernel's copy.
 */
#define IPO_ONE_BUNDLE		1

static noinline int ipo_invoke_one(struct ipo_ucmd *ucmd,
				   struct ipo_invoke *cmd, u64 fuel)
{
	const size_t res_off = offsetof(struct ipo_call, ret);
	struct ipo_kbundle b __uninitialized;
	struct ipo_kcall *kc = &b.inline_calls[0];
	struct ipo_kobj *ko = &b.inline_objs[0];
	u8 __user *ucall = u64_to_user_ptr(cmd->calls);
	void __user *ucmdp = ucmd->ubuffer;
	void __user *uarg;
	struct ipo_method_env env;
	struct ipo_obj *obj;
	u32 seq = 0;
	int ret, err;

	might_fault();
	if (!user_access_begin(ucall, sizeof(kc->c)))
		return IPO_ONE_BUNDLE;
	ipo_unsafe_copy_in(&kc->c, ucall, sizeof(kc->c), fault);
	/* Outputs only, zeroed in place as the bundle path does first. */
	memset((u8 *)&kc->c + res_off, 0, sizeof(kc->c) - res_off);
	ipo_unsafe_copy_out(ucall + res_off, (u8 *)&kc->c + res_off,
			    sizeof(kc->c) - res_off, fault);
	user_access_end();
	if (kc->c.arg_size > READ_ONCE(ipo_max_buf_size) ||
	    kc->c.out_size > READ_ONCE(ipo_max_buf_size) ||
	    (u64)kc->c.arg_size + kc->c.out_size >
	    READ_ONCE(ipo_max_bundle_bytes))
		return IPO_ONE_BUNDLE;
	b.inline_used = 0;
	kc->arg = ipo_kbundle_inline(&b, ipo_buf_span(kc->c.arg_size));
	kc->out = kc->arg ?
		  ipo_kbundle_inline(&b, ipo_buf_span(kc->c.out_size)) : NULL;
	if (!kc->out)
		return IPO_ONE_BUNDLE;
	ipo_zero_words(kc->out, ipo_buf_span(kc->c.out_size));

	/*
	 * The argument, and the command proven writable, in one window (the
	 * whole struct: INVOKE's shortest, main.c's min_size, is whole).
	 */
	uarg = u64_to_user_ptr(kc->c.arg);
	might_fault();
	if (!user_access_begin(ucmdp, sizeof(*cmd)))
		return IPO_ONE_BUNDLE;
	if (kc->c.arg_size) {
		if (!access_ok(uarg, kc->c.arg_size))
			goto fault;
		ipo_unsafe_copy_in(kc->arg, uarg, kc->c.arg_size, fault);
	}
	ipo_unsafe_copy_out(ucmdp, ucmd->cmd, sizeof(*cmd), fault);
	user_access_end();

	/* The bundle's decision, and a refusal as the bundle's. */
	kc->setup_err = 0;
	ipo_call_handle(kc, NULL);
	err = kc->setup_err;
	if (err)
		goto refused;
	obj = kc->h->obj;
	ko->obj = obj;
	ko->events = 0;
	ko->undo = NULL;
	if (obj->undo_map) {
		ko->uo = (struct ipo_undo_obj){
			.data = obj->data,
			.size = obj->data_size,
			.map = obj->undo_map,
		};
	} else {
		ko->undo = ipo_kbundle_inline(&b, obj->data_size);
		if (!ko->undo)
			goto bundle;
	}

	b.fuel = fuel;
	b.fuel_left = min_t(u64, READ_ONCE(ipo_max_bundle_fuel), S64_MAX);
	b.work = 0;
	b.caller_known = false;
	/* A copied object's call logs nothing: no log to set up. */
	if (ko->undo) {
		b.undo.nr_recs = 0;
	} else {
		ipo_kundo_init(&b.undo);
		ipo_undo_lend(&b.undo, b.inline_undo, sizeof(b.inline_undo));
	}

	/* As ipo_kbundle_lock_run() and ipo_kbundle_run() do for one. */
	mutex_lock(&obj->lock);
	if (!obj->irq_hook)
		ipo_obj_write_begin(obj);
	if (fatal_signal_pending(current)) {
		err = -EINTR;
		kc->c.status = -ECANCELED;
	} else {
		ipo_kobj_save(ko);
		env.events = 0;
		err = ipo_call_run(&b, kc, ko, &env);
		kc->c.status = err;
		if (err) {
			ipo_kobj_restore(ko);
			ipo_kundo_rollback(&b.undo);
		} else {
			ipo_kundo_commit(&b.undo);
			ko->events = env.events;
		}
	}
	if (!obj->irq_hook)
		seq = ipo_obj_write_end(obj);
	mutex_unlock(&obj->lock);
	if (ko->events && ipo_notify_subscribed(obj))
		ipo_notify_commit(obj, ko->events, seq);

	/* Committed or rolled back: only chunks it allocated to free. */
	if (!ko->undo && b.undo.bytes)
		ipo_undo_release(&b.undo);
respond:
	cmd->nr_done = !err;
	ret = ipo_one_respond(kc, ucall, ucmd);
	if (kc->file)
		fput(kc->file);
	return ret ?: err;

refused:
	/* Nothing locked or run: the call's status is why. */
	if (fatal_signal_pending(current)) {
		err = -EINTR;
		kc->c.status = -ECANCELED;
	} else {
		kc->c.status = err;
	}
	goto respond;
fault:
	user_access_end();
	return IPO_ONE_BUNDLE;
bundle:
	fput(kc->file);
	return IPO_ONE_BUNDLE;
}

/* Any bundle: the general path. */
static noinline int ipo_invoke_bundle(struct ipo_ucmd *ucmd,
				      struct ipo_invoke *cmd, u64 fuel)
{
	u8 __user *ucalls = u64_to_user_ptr(cmd->calls);
	struct ipo_kbundle b __uninitialized;
	u32 i, nr_done = 0;
	u64 bytes = 0, arena = 0, pos = 0;
	bool early;
	int ret, err;

	ipo_kbundle_init(&b);
	b.fuel = fuel;
	b.fuel_left = min_t(u64, READ_ONCE(ipo_max_bundle_fuel), S64_MAX);
	b.atomic = cmd->flags & IPO_INVOKE_ATOMIC;
	b.independent = cmd->flags & IPO_INVOKE_INDEPENDENT;
	ipo_kundo_init(&b.undo);
	ipo_undo_lend(&b.undo, b.inline_undo, sizeof(b.inline_undo));

	/*
	 * Not zeroed (kvcalloc() of 64 calls was a 6 KiB `rep stosb`): each
	 * call is read in whole by the first pass, its buffers and handle
	 * set by the next steps; only what ipo_kbundle_free() may meet
	 * before then is set here.
	 */
	if (cmd->nr_calls <= IPO_INLINE_CALLS)
		b.calls = b.inline_calls;
	else
		b.calls = kvmalloc_array(cmd->nr_calls, sizeof(*b.calls),
					 GFP_KERNEL_ACCOUNT);
	if (!b.calls)
		return -ENOMEM;
	for (i = 0; i < cmd->nr_calls; i++) {
		b.calls[i].file = NULL;
		b.calls[i].setup_err = 0;
	}
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
	b.bufs = ipo_kbundle_inline(&b, arena);
	if (!b.bufs)
		b.bufs = kvmalloc(arena, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
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
	early = ipo_kbundle_args_fast(&b, ucmd);
	for (i = 0; !early && i < b.nr_calls; i++) {
		ret = ipo_call_arg(&b.calls[i]);
		if (ret)
			goto out;
	}
	for (i = 0; i < b.nr_calls; i++)
		ipo_call_handle(&b.calls[i], i ? &b.calls[i - 1] : NULL);
	ret = ipo_kbundle_objs(&b);
	if (ret)
		goto out;
	/* Likewise the bundle's own result, before anything runs. */
	if (!early) {
		ret = ipo_ucmd_respond(ucmd, sizeof(*cmd));
		if (ret)
			goto out;
	}

	err = ipo_kbundle_lock_run(&b, &nr_done);
	cmd->nr_done = nr_done;
	ret = ipo_kbundle_respond(&b, ucalls, cmd->call_size, ucmd);
	if (!ret)
		ret = err;
out:
	ipo_kbundle_free(&b);
	return ret;
}

int ipo_invoke_ioctl(struct ipo_ucmd *ucmd)
{
	struct ipo_invoke *cmd = ucmd->cmd;
	u64 fuel;
	int ret;

	if (cmd->flags & ~IPO_INVOKE_FLAGS || cmd->__reserved)
		return -EINVAL;
	/* All or nothing, or each on its own: not both. */
	if (cmd->flags & IPO_INVOKE_ATOMIC &&
	    cmd->flags & IPO_INVOKE_INDEPENDENT)
		return -EINVAL;
	if (!cmd->nr_calls || !cmd->calls ||
	    cmd->call_size < offsetofend(struct ipo_call, abort) ||
	    cmd->call_size > PAGE_SIZE)
		return -EINVAL;
	if (cmd->nr_calls > READ_ONCE(ipo_max_bundle_calls))
		return -E2BIG;
	ret = ipo_run_fuel(cmd->fuel, &fuel);
	if (ret)
		return ret;
	/*
	 * One call, stop at error or atomic (the same for one call): the
	 * short way, when it can.
	 */
	if (cmd->nr_calls == 1 && !(cmd->flags & IPO_INVOKE_INDEPENDENT) &&
	    cmd->call_size == sizeof(struct ipo_call)) {
		ret = ipo_invoke_one(ucmd, cmd, fuel);
		if (ret != IPO_ONE_BUNDLE)
			return ret;
	}
	return ipo_invoke_bundle(ucmd, cmd, fuel);
}
