/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel API differences between the kernels ipo is built for (Debian's
 * 6.1 and 6.12, generic and PREEMPT_RT), in one place.  Each difference is
 * named after the feature and detected, not inferred from a version: Kbuild
 * looks for the interface in the headers it builds against (IPO_HAVE_*),
 * so a backport is used where a kernel has one.  The rest of the module
 * uses the newer interface.
 */
#ifndef IPO_KMOD_COMPAT_H
#define IPO_KMOD_COMPAT_H

#include <linux/mm.h>

/* get_unaligned()/put_unaligned(): <linux/unaligned.h> since 6.12. */
#ifdef IPO_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * vma->vm_flags is read-only since 6.3: changes go through vm_flags_set()
 * and vm_flags_clear() (which also assert the mmap lock).
 */
#ifndef IPO_HAVE_VM_FLAGS_SET
static inline void vm_flags_set(struct vm_area_struct *vma,
				vm_flags_t flags)
{
	vma->vm_flags |= flags;
}

static inline void vm_flags_clear(struct vm_area_struct *vma,
				  vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}
#endif

/*
 * Return thunks (retbleed, SRSO, ITS): CONFIG_RETHUNK, named
 * CONFIG_MITIGATION_RETHUNK since 6.9.  Whether the CPU wants one is
 * X86_FEATURE_RETHUNK on both.
 */
#define IPO_HAVE_RETHUNK	(IS_ENABLED(CONFIG_RETHUNK) || \
				 IS_ENABLED(CONFIG_MITIGATION_RETHUNK))

#endif /* IPO_KMOD_COMPAT_H */
