// SPDX-License-Identifier: GPL-2.0
/*
 * Executable memory for JIT-compiled programs.
 *
 * An out-of-tree module on Debian's 6.1 cannot get executable memory the
 * usual ways: module_alloc(), set_memory_x() and text_poke() are not
 * exported, and vmap() forces NX.  What it does have is its own text.  So
 * the pool is a block of the module's text, filled with int3 at build time
 * (section .text.ipo_jit_pool below), mapped read+exec and never writable
 * at its own address.  Code is written through a temporary writable,
 * non-executable vmap() alias of the same pages, which is torn down (and
 * its lazy TLB entries purged) before the code is published; an IPI to
 * every CPU then serialises instruction fetch.  The pool lies within the
 * module's ±2 GiB of kernel text, so JIT code calls helpers with rel32.
 *
 * Freed code is not reused at once: a CPU may still be running it under
 * RCU.  After a grace period it is re-poisoned with int3, and only then
 * does the space return to the allocator.
 *
 * The pool's size is fixed when the module is built (IPO_JIT_POOL_MB, 20
 * MiB by default: the module's text, its file and its memory grow by that
 * much).  Each user's programs may hold at most jit_user_share bytes of
 * it (a quarter by default), charged when the code is allocated and
 * returned with the space after the grace period, so that one user cannot
 * push everyone else's programs onto the interpreter.  The provider's
 * @priv is the user to charge (kmod/prog.c gives each program its own
 * provider); NULL charges nobody.
 *
 * Where the CPU needs a return thunk, JIT code returns through the one
 * this kernel chose (ipo_pool_ret_thunk()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/objtool.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <asm/cpufeature.h>

#include "ipo.h"
#include "compat.h"
#include "../exec/jit.h"

/* make IPO_JIT_POOL_MB=N (Kbuild) sets the pool's size in MiB. */
#ifndef IPO_JIT_POOL_MB
#define IPO_JIT_POOL_MB		20
#endif
#define IPO_POOL_SIZE		(IPO_JIT_POOL_MB << 20)
#define IPO_POOL_CHUNK		64U
#define IPO_POOL_CHUNKS		(IPO_POOL_SIZE / IPO_POOL_CHUNK)
#define IPO_INT3		0xcc

#define __ipo_str(x)		#x
#define ipo_str(x)		__ipo_str(x)

/*
 * The pool is text no C code calls: objtool (on IBT kernels, 6.12) is told
 * that its address is taken without an endbr64 there on purpose.  Every
 * JIT entry point written into it begins with one.
 */
asm(".pushsection .text.ipo_jit_pool, \"ax\", @progbits\n"
	".balign 4096\n"
	"ipo_jit_pool:\n"
	ANNOTATE_NOENDBR
	".fill " ipo_str(IPO_POOL_SIZE) ", 1, " ipo_str(IPO_INT3) "\n"
	".popsection\n");

static DEFINE_MUTEX(ipo_pool_lock);
static DECLARE_BITMAP(ipo_pool_map, IPO_POOL_CHUNKS);
static unsigned int ipo_pool_used;	/* chunks, including those in RCU */
static struct workqueue_struct *ipo_pool_wq;

/* Code freed, waiting for its grace period. */
struct ipo_pool_free {
	struct rcu_work rwork;
	unsigned int start, nr;		/* chunks */
	struct ipo_user *user;		/* charged for them, or NULL */
};

unsigned long ipo_jit_user_share = IPO_POOL_SIZE / 4;
module_param_named(jit_user_share, ipo_jit_user_share, ulong, 0644);
MODULE_PARM_DESC(jit_user_share, "Bytes of the JIT pool one user's programs may hold (default: a quarter of the pool; 0: no limit)");

/* What one user may hold now: the share, never more than the pool. */
u64 ipo_codemem_user_share(void)
{
	unsigned long share = READ_ONCE(ipo_jit_user_share);

	return share && share < IPO_POOL_SIZE ? share : IPO_POOL_SIZE;
}

static void ipo_sync_core(void *unused)
{
	/* The IPI's return to the interrupted context serialises it. */
}

/*
 * Copies @len bytes to @dst in the pool through a writable alias.  Called
 * with ipo_pool_lock held, so no two aliases of one page exist at once.
 */
static int ipo_pool_write(u8 *dst, const void *src, size_t len, bool fill)
{
	unsigned long first = (unsigned long)dst & PAGE_MASK;
	unsigned long last = ((unsigned long)dst + len - 1) & PAGE_MASK;
	unsigned int i, nr = ((last - first) >> PAGE_SHIFT) + 1;
	struct page *pages_local[4], **pages = pages_local;
	void *alias;

	if (nr > ARRAY_SIZE(pages_local)) {
		pages = kvmalloc_array(nr, sizeof(*pages), GFP_KERNEL);
		if (!pages)
			return -ENOMEM;
	}
	for (i = 0; i < nr; i++)
		pages[i] = vmalloc_to_page((void *)(first + i * PAGE_SIZE));
	alias = vmap(pages, nr, VM_MAP, PAGE_KERNEL);
	if (pages != pages_local)
		kvfree(pages);
	if (!alias)
		return -ENOMEM;

	if (fill)
		memset(alias + offset_in_page(dst), IPO_INT3, len);
	else
		memcpy(alias + offset_in_page(dst), src, len);
	vunmap(alias);
	/* No stale writable translation of the alias may survive. */
	vm_unmap_aliases();
	return 0;
}

static unsigned int ipo_chunks(u32 size)
{
	return DIV_ROUND_UP(size, IPO_POOL_CHUNK);
}

/*
 * Reserves pool space for @size bytes of code, charged to mem->priv's
 * user.  -EFBIG: larger than a user's share or the pool; -EDQUOT: the
 * user's share is used up; -ENOSPC: the pool is.
 */
static int ipo_pool_alloc(const struct ipo_jit_mem *mem, u32 size, void **rw,
			  void **rx)
{
	unsigned int nr = ipo_chunks(size), start;
	struct ipo_user *user = mem->priv;
	u64 bytes = (u64)nr * IPO_POOL_CHUNK;
	unsigned long share = READ_ONCE(ipo_jit_user_share);
	void *buf;
	int ret;

	if (!size || bytes > ipo_codemem_user_share())
		return -EFBIG;
	if (user) {
		ret = ipo_user_charge_jit(user, bytes, share);
		if (ret)
			return ret;
	}
	/* The JIT writes into a heap buffer; seal copies it into the pool. */
	buf = kvmalloc(size, GFP_KERNEL_ACCOUNT);
	if (!buf) {
		ret = -ENOMEM;
		goto err_uncharge;
	}

	mutex_lock(&ipo_pool_lock);
	start = bitmap_find_next_zero_area(ipo_pool_map, IPO_POOL_CHUNKS, 0,
					   nr, 0);
	if (start >= IPO_POOL_CHUNKS) {
		mutex_unlock(&ipo_pool_lock);
		kvfree(buf);
		ret = -ENOSPC;
		goto err_uncharge;
	}
	bitmap_set(ipo_pool_map, start, nr);
	ipo_pool_used += nr;
	mutex_unlock(&ipo_pool_lock);

	*rw = buf;
	*rx = ipo_jit_pool + start * IPO_POOL_CHUNK;
	return 0;

err_uncharge:
	if (user)
		ipo_user_uncharge_jit(user, bytes);
	return ret;
}

static int ipo_pool_seal(const struct ipo_jit_mem *mem, void *rw, void *rx,
			 u32 size)
{
	int ret;

	mutex_lock(&ipo_pool_lock);
	ret = ipo_pool_write(rx, rw, size, false);
	mutex_unlock(&ipo_pool_lock);
	kvfree(rw);
	if (ret)
		return ret;
	on_each_cpu(ipo_sync_core, NULL, 1);
	return 0;
}

static void ipo_pool_release(struct work_struct *work)
{
	struct ipo_pool_free *f = container_of(to_rcu_work(work),
					       struct ipo_pool_free, rwork);

	mutex_lock(&ipo_pool_lock);
	/*
	 * If the alias cannot be made, the chunks stay allocated (leaked
	 * until unload) rather than hand out code that was never poisoned.
	 */
	if (!ipo_pool_write(ipo_jit_pool + f->start * IPO_POOL_CHUNK, NULL,
			    f->nr * IPO_POOL_CHUNK, true)) {
		bitmap_clear(ipo_pool_map, f->start, f->nr);
		ipo_pool_used -= f->nr;
	} else {
		pr_err("jit pool: cannot poison %u bytes, keeping them\n",
		       f->nr * IPO_POOL_CHUNK);
	}
	mutex_unlock(&ipo_pool_lock);
	if (f->user) {
		/* Returned with the space, not before. */
		ipo_user_uncharge_jit(f->user, (u64)f->nr * IPO_POOL_CHUNK);
		ipo_user_put(f->user);
	}
	kfree(f);
}

/*
 * Everything waits for a grace period, sealed or not: one path is simpler
 * than telling apart code that never ran.
 */
static void ipo_pool_free(const struct ipo_jit_mem *mem, void *rx, u32 size)
{
	unsigned int start = ((u8 *)rx - ipo_jit_pool) / IPO_POOL_CHUNK;
	struct ipo_pool_free *f;

	f = kmalloc(sizeof(*f), GFP_KERNEL | __GFP_NOFAIL);
	f->start = start;
	f->nr = ipo_chunks(size);
	f->user = mem->priv ? ipo_user_hold(mem->priv) : NULL;
	INIT_RCU_WORK(&f->rwork, ipo_pool_release);
	queue_rcu_work(ipo_pool_wq, &f->rwork);
}

/*
 * JIT code returns by jumping here when the CPU needs a return thunk
 * (X86_FEATURE_RETHUNK: retbleed, SRSO, ITS).  The kernel's BPF JIT jumps
 * to x86_return_thunk, the thunk chosen at boot, which is not exported.
 * __x86_return_thunk is, but it is only the compiler's placeholder: since
 * the SRSO fixes it is a bare ret, and the kernel rewrites every jump to
 * it when it loads code (apply_returns()), so JIT code jumping there would
 * return unprotected.  This module's own code was rewritten that way when
 * it was loaded, so this empty function's return, the compiler's jmp
 * __x86_return_thunk, is now the jump to the kernel's thunk for this
 * address (or a ret where the kernel wants none): JIT code returns through
 * the kernel's own choice, for one direct jump more.  Both lie in this
 * module's text, in rel32 reach of each other.
 */
static noinline notrace void ipo_jit_return(void)
{
}

static void *ipo_pool_ret_thunk(const struct ipo_jit_mem *mem)
{
	if (IPO_HAVE_RETHUNK && cpu_feature_enabled(X86_FEATURE_RETHUNK))
		return (void *)ipo_jit_return;
	return NULL;
}

const struct ipo_jit_mem ipo_jit_kernel_mem = {
	.alloc = ipo_pool_alloc,
	.seal = ipo_pool_seal,
	.free = ipo_pool_free,
	.ret_thunk = ipo_pool_ret_thunk,
	.near_text = true,
	.max_size = IPO_POOL_SIZE,
};

void ipo_codemem_stats(u64 *size, u64 *used)
{
	mutex_lock(&ipo_pool_lock);
	*size = IPO_POOL_SIZE;
	*used = (u64)ipo_pool_used * IPO_POOL_CHUNK;
	mutex_unlock(&ipo_pool_lock);
}

int ipo_codemem_init(void)
{
	ipo_pool_wq = alloc_workqueue("ipo_jit_pool", WQ_UNBOUND, 0);
	return ipo_pool_wq ? 0 : -ENOMEM;
}

void ipo_codemem_exit(void)
{
	/* Every free has been queued by now; let them all finish. */
	rcu_barrier();
	destroy_workqueue(ipo_pool_wq);
	if (ipo_pool_used)
		pr_err("jit pool: %u bytes still in use at unload\n",
		       ipo_pool_used * IPO_POOL_CHUNK);
}
