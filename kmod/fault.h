/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault injection (a debug build only: `make module-fault`, compiled with
 * IPO_FAULT_INJECT; the normal ipo.ko never sees any of this).
 *
 * Every allocation and every copy from userspace of the module, the engine
 * included, goes through ipo_fault_hit() first, which fails the call as
 * the real one can fail (NULL, ERR_PTR(-ENOMEM), -EFAULT, bytes not
 * copied, -EMFILE) when the module parameters say so:
 *
 *	fault_every=N	every Nth counted call fails (0: off)
 *	fault_nth=N	only the Nth counted call fails (0: off)
 *	fault_calls	(read only) calls counted since either was written
 *	fault_injected	(read only) failures injected since then
 *	fault_live	(read only) the module's allocations not yet freed
 *
 * Writing fault_every or fault_nth restarts the count, so a test can walk
 * fault_nth = 1, 2, 3, ... through a fixed scenario until fault_injected
 * stays 0: then every failure point of the scenario has been tried.
 * __GFP_NOFAIL allocations are never failed (nor counted).
 *
 * The redirections are macros naming the real function inside their own
 * expansion (a macro is not expanded within itself), so they must come
 * after the kernel headers that declare the real ones: ipo.h includes this
 * file last.  The engine includes nothing of kmod/: its allocations reach
 * these through the hooks the module gives it (ipo_zalloc() in prog.c).
 */
#ifndef IPO_KMOD_FAULT_H
#define IPO_KMOD_FAULT_H

#ifdef IPO_FAULT_INJECT
#include <linux/anon_inodes.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>

bool ipo_fault_hit(gfp_t gfp);

/*
 * The build also counts the module's live allocations (fault_live): each
 * successful allocation above adds one, each kfree/kvfree/vfree of a
 * non-NULL pointer takes one away.  At unload the count must be 0; if not,
 * ipo_fault_exit() says how many allocations leaked.
 */
extern atomic_long_t ipo_fault_live;
void ipo_fault_exit(void);

static inline void *ipo_fault_track(void *p)
{
	if (p && !IS_ERR(p))
		atomic_long_inc(&ipo_fault_live);
	return p;
}

static inline void ipo_fault_kfree(const void *p)
{
	if (p)
		atomic_long_dec(&ipo_fault_live);
	kfree(p);
}

static inline void ipo_fault_kvfree(const void *p)
{
	if (p)
		atomic_long_dec(&ipo_fault_live);
	kvfree(p);
}

static inline void ipo_fault_vfree(const void *p)
{
	if (p)
		atomic_long_dec(&ipo_fault_live);
	vfree(p);
}

#define kfree(p)	ipo_fault_kfree(p)
#define kvfree(p)	ipo_fault_kvfree(p)
#define vfree(p)	ipo_fault_vfree(p)

#define IPO_FAULT_NULL(gfp, call) \
	(ipo_fault_hit(gfp) ? NULL : ipo_fault_track(call))
#define IPO_FAULT_ERR(err, call)	(ipo_fault_hit(0) ? (err) : (call))

#define kmalloc(s, g)		IPO_FAULT_NULL(g, kmalloc(s, g))
#define kzalloc(s, g)		IPO_FAULT_NULL(g, kzalloc(s, g))
#define kcalloc(n, s, g)	IPO_FAULT_NULL(g, kcalloc(n, s, g))
#define kmalloc_array(n, s, g)	IPO_FAULT_NULL(g, kmalloc_array(n, s, g))
#define kvmalloc(s, g)		IPO_FAULT_NULL(g, kvmalloc(s, g))
#define kvzalloc(s, g)		IPO_FAULT_NULL(g, kvzalloc(s, g))
#define kvcalloc(n, s, g)	IPO_FAULT_NULL(g, kvcalloc(n, s, g))
#define kvmalloc_array(n, s, g)	IPO_FAULT_NULL(g, kvmalloc_array(n, s, g))
#define kstrdup(s, g)		IPO_FAULT_NULL(g, kstrdup(s, g))
#define kmemdup(p, s, g)	IPO_FAULT_NULL(g, kmemdup(p, s, g))
#define __vmalloc(s, g)		IPO_FAULT_NULL(g, __vmalloc(s, g))
#define vmalloc(s)		IPO_FAULT_NULL(GFP_KERNEL, vmalloc(s))
#define vzalloc(s)		IPO_FAULT_NULL(GFP_KERNEL, vzalloc(s))
#define memdup_user(p, s)	IPO_FAULT_ERR(ERR_PTR(-ENOMEM), \
				      ipo_fault_track(memdup_user(p, s)))
#define vmemdup_user(p, s)	IPO_FAULT_ERR(ERR_PTR(-ENOMEM), \
				      ipo_fault_track(vmemdup_user(p, s)))
#define copy_from_user(d, s, n)	IPO_FAULT_ERR((unsigned long)(n), \
					      copy_from_user(d, s, n))
#define copy_struct_from_user(d, ds, s, us) \
	IPO_FAULT_ERR(-EFAULT, copy_struct_from_user(d, ds, s, us))
/*
 * get_user() is itself a macro: redefining it loses the original, so the
 * failing version repeats x86's definition (asm/uaccess.h), the only
 * architecture the module builds for (the JIT is x86-64).
 */
#ifdef CONFIG_X86_64
#undef get_user
#define get_user(x, p)	(ipo_fault_hit(0) ? -EFAULT : ({ might_fault(); \
			 do_get_user_call(get_user, x, p); }))
#endif
/*
 * The user-access windows of the small-copy paths (ucopy.h, INVOKE): a
 * window that fails to open is a fault, which those paths either report
 * as EFAULT or answer by falling back to the redirected copies above.
 * x86 defines the macro as the function of the same name, which the new
 * body calls.
 */
#ifdef CONFIG_X86_64
#undef user_access_begin
#define user_access_begin(p, n)	(!ipo_fault_hit(0) && user_access_begin(p, n))
#endif
#define xa_alloc(xa, id, e, l, g) \
	(ipo_fault_hit(g) ? -ENOMEM : xa_alloc(xa, id, e, l, g))
#define get_unused_fd_flags(f)	IPO_FAULT_ERR(-EMFILE, get_unused_fd_flags(f))
#define anon_inode_getfile(n, f, p, fl) \
	IPO_FAULT_ERR(ERR_PTR(-ENOMEM), anon_inode_getfile(n, f, p, fl))

#endif /* IPO_FAULT_INJECT */
#endif /* IPO_KMOD_FAULT_H */
