/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small user copies on the hot paths (the ioctl's command struct, INVOKE's
 * calls, arguments, results and outputs).
 *
 * copy_{from,to}_user() move bytes with a string instruction; on a CPU
 * with fast short strings that is one "rep movsb" however small the copy,
 * and where that instruction is slow (an emulated CPU steps through it a
 * byte at a time) a 48-byte struct costs as much as the rest of a
 * syscall.  These move what they can in 8-byte words inside one
 * user_access_begin() window: the same access_ok() range check, the same
 * fault handling (-EFAULT, nothing else), only the copy loop differs.
 * Copies over IPO_UCOPY_SMALL bytes take the ordinary functions, which
 * are the faster ones there.
 *
 * Inside a window nothing may be called: the loops below are macros of
 * unsafe_get_user()/unsafe_put_user() and plain stores.
 */
#ifndef IPO_KMOD_UCOPY_H
#define IPO_KMOD_UCOPY_H

#include <linux/kernel.h>
#include <linux/uaccess.h>

#include "compat.h"

#define IPO_UCOPY_SMALL		256

/*
 * A copy of a size known at compile time (a call, its results) is
 * unrolled into straight-line moves, about two instructions a word
 * instead of six; a run-time size keeps the plain loop, which is the
 * shorter one for the few words these copy.
 */
#define IPO_UCOPY_WORDS(n, step)					\
do {									\
	if (__builtin_constant_p(n)) {					\
		_Pragma("GCC unroll 8")					\
		for (; (n) >= 8; (n) -= 8)				\
			step;						\
	} else {							\
		for (; (n) >= 8; (n) -= 8)				\
			step;						\
	}								\
} while (0)

/* Copies @len bytes from @src in an open read window; faults go to @label. */
#define ipo_unsafe_copy_in(dst, src, len, label)			\
do {									\
	u8 *__ud = (u8 *)(dst);						\
	const u8 __user *__us = (const u8 __user *)(src);		\
	size_t __un = (len);						\
									\
	IPO_UCOPY_WORDS(__un, ({					\
		u64 __uv;						\
									\
		unsafe_get_user(__uv, (const u64 __user *)__us, label);	\
		put_unaligned(__uv, (u64 *)__ud);			\
		__ud += 8;						\
		__us += 8;						\
	}));								\
	for (; __un; __ud++, __us++, __un--) {				\
		u8 __uv;						\
									\
		unsafe_get_user(__uv, __us, label);			\
		*__ud = __uv;						\
	}								\
} while (0)

/* Copies @len bytes to @dst in an open write window. */
#define ipo_unsafe_copy_out(dst, src, len, label)			\
do {									\
	u8 __user *__ud = (u8 __user *)(dst);				\
	const u8 *__us = (const u8 *)(src);				\
	size_t __un = (len);						\
									\
	IPO_UCOPY_WORDS(__un, ({					\
		unsafe_put_user(get_unaligned((const u64 *)__us),	\
				(u64 __user *)__ud, label);		\
		__ud += 8;						\
		__us += 8;						\
	}));								\
	for (; __un; __ud++, __us++, __un--)				\
		unsafe_put_user(*__us, __ud, label);			\
} while (0)

/*
 * The same copies for a @len that is most often @usual, a compile-time
 * constant (a call or its results at the current struct size): that case
 * gets the unrolled copy, any other the loop.
 */
#define ipo_unsafe_copy_in_usual(dst, src, len, usual, label)		\
do {									\
	if ((len) == (usual))						\
		ipo_unsafe_copy_in(dst, src, usual, label);		\
	else								\
		ipo_unsafe_copy_in(dst, src, len, label);		\
} while (0)

#define ipo_unsafe_copy_out_usual(dst, src, len, usual, label)		\
do {									\
	if ((len) == (usual))						\
		ipo_unsafe_copy_out(dst, src, usual, label);		\
	else								\
		ipo_unsafe_copy_out(dst, src, len, label);		\
} while (0)

/* copy_from_user(), but 0 or -EFAULT. */
static inline int ipo_copy_from_user(void *dst, const void __user *src,
				     size_t len)
{
	if (len > IPO_UCOPY_SMALL)
		return copy_from_user(dst, src, len) ? -EFAULT : 0;
	might_fault();
	if (!user_read_access_begin(src, len))
		return -EFAULT;
	ipo_unsafe_copy_in(dst, src, len, fault);
	user_read_access_end();
	return 0;
fault:
	user_read_access_end();
	return -EFAULT;
}

/* copy_to_user(), but 0 or -EFAULT. */
static inline int ipo_copy_to_user(void __user *dst, const void *src,
				   size_t len)
{
	if (len > IPO_UCOPY_SMALL)
		return copy_to_user(dst, src, len) ? -EFAULT : 0;
	might_fault();
	if (!user_write_access_begin(dst, len))
		return -EFAULT;
	ipo_unsafe_copy_out(dst, src, len, fault);
	user_write_access_end();
	return 0;
fault:
	user_write_access_end();
	return -EFAULT;
}

#endif /* IPO_KMOD_UCOPY_H */
