/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Portability shim for the engine (base/, verifier/ and exec/).
 *
 * The engine is freestanding C compiled twice: into kmod/ipo.ko and into
 * build/lib/libipo-engine.a.  This header is the only place in the engine
 * allowed to look at __KERNEL__; everything else uses the names below.
 * It includes nothing of the tree: what depends on the embedder (where
 * memory comes from, whether it fails on purpose) is a hook, declared at
 * the end and defined by whoever embeds the engine.
 */
#ifndef IPO_COMPAT_H
#define IPO_COMPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/kernel.h>
#include <linux/compiler.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/overflow.h>
#include <linux/nospec.h>
#include <linux/timekeeping.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/mm.h>

#define ipo_snprintf		snprintf
#define ipo_vsnprintf		vsnprintf
#define ipo_cond_resched()	cond_resched()
#define ipo_ktime_ns()		ktime_get_ns()

/*
 * What the module's ipo_zalloc() of @sz really takes (kvzalloc(), see
 * kmod/prog.c): the kmalloc bucket, else power-of-two pages (kmalloc) or
 * whole pages (vmalloc, above KMALLOC_MAX_SIZE or when kmalloc fails) and
 * their page array.
 */
static inline size_t ipo_alloc_size(size_t sz)
{
	size_t real;

	if (sz <= KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_size_roundup(sz);
	real = sz > KMALLOC_MAX_SIZE ? PAGE_ALIGN(sz) :
				       kmalloc_size_roundup(sz);
	return real + (PAGE_ALIGN(sz) >> PAGE_SHIFT) * sizeof(struct page *);
}

/* The loader is being killed: long loops stop and return -EINTR. */
#define ipo_fatal_signal_pending()	fatal_signal_pending(current)

/*
 * Atomic read-modify-write on program memory (eBPF atomics).  @op is one of
 * add, or, and, xor.  The kernel's atomic_t API is what the rest of the
 * kernel is audited against, so the module uses it rather than compiler
 * builtins.
 */
#include <linux/atomic.h>
#define ipo_atomic32(op, p, v)	atomic_##op((int)(v), (atomic_t *)(p))
#define ipo_atomic64(op, p, v)	atomic64_##op((s64)(v), (atomic64_t *)(p))
#define ipo_atomic32_fetch(op, p, v)					\
	((u32)atomic_fetch_##op((int)(v), (atomic_t *)(p)))
#define ipo_atomic64_fetch(op, p, v)					\
	((u64)atomic64_fetch_##op((s64)(v), (atomic64_t *)(p)))
#define ipo_atomic32_xchg(p, v)						\
	((u32)atomic_xchg((atomic_t *)(p), (int)(v)))
#define ipo_atomic64_xchg(p, v)						\
	((u64)atomic64_xchg((atomic64_t *)(p), (s64)(v)))
#define ipo_atomic32_cmpxchg(p, o, n)					\
	((u32)atomic_cmpxchg((atomic_t *)(p), (int)(o), (int)(n)))
#define ipo_atomic64_cmpxchg(p, o, n)					\
	((u64)atomic64_cmpxchg((atomic64_t *)(p), (s64)(o), (s64)(n)))

/*
 * Device register access for IRQ programs, on a pci_iomap() cookie (MMIO
 * or I/O ports alike; 64 bits only on MMIO, which the attach enforces).
 */
#include <linux/io.h>

static inline u64 ipo_io_read(void *addr, u32 size)
{
	void __iomem *a = (void __iomem *)addr;

	switch (size) {
	case 1:
		return ioread8(a);
	case 2:
		return ioread16(a);
	case 4:
		return ioread32(a);
	default:
		return readq(a);
	}
}

static inline void ipo_io_write(void *addr, u32 size, u64 val)
{
	void __iomem *a = (void __iomem *)addr;

	switch (size) {
	case 1:
		iowrite8(val, a);
		break;
	case 2:
		iowrite16(val, a);
		break;
	case 4:
		iowrite32(val, a);
		break;
	default:
		writeq(val, a);
		break;
	}
}

#else /* !__KERNEL__ */

#include <linux/types.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef __u8  u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8  s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

#define ipo_snprintf		snprintf
#define ipo_vsnprintf		vsnprintf
#define ipo_cond_resched()	do { } while (0)

/*
 * What the module's ipo_zalloc() of @sz takes on x86-64 (SLUB's kmalloc
 * buckets up to 8 KiB, power-of-two pages up to KMALLOC_MAX_SIZE, 4 MiB,
 * whole pages above, plus the vmalloc page array), so the engine's memory
 * limits give the same verdicts on the host.
 */
static inline size_t ipo_alloc_size(size_t sz)
{
	size_t pages = (sz + 4095) / 4096, real = 8;

	if (sz <= 8192) {
		if (sz > 64 && sz <= 96)
			return 96;
		if (sz > 128 && sz <= 192)
			return 192;
		while (real < sz)
			real <<= 1;
		return real;
	}
	if (sz > (4U << 20))
		return pages * 4096 + pages * sizeof(void *);
	real = 4096;
	while (real < sz)
		real <<= 1;
	return real + pages * sizeof(void *);
}

/*
 * The host's stand-in for a fatal signal: an embedder that wants a long
 * verification or compilation to stop (a tool's SIGINT or SIGALRM
 * handler, a test) sets ipo_host_stop, and the engine returns -EINTR as
 * the module does for a killed loader.
 */
extern int ipo_host_stop;
#define ipo_fatal_signal_pending()	(READ_ONCE(ipo_host_stop) != 0)

#include <time.h>

static inline u64 ipo_ktime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

#ifndef likely
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif
#ifndef min
#define min(a, b)		((a) < (b) ? (a) : (b))
#define max(a, b)		((a) > (b) ? (a) : (b))
#endif
#ifndef min_t
#define min_t(t, a, b)		min((t)(a), (t)(b))
#endif
#ifndef max_t
#define max_t(t, a, b)		max((t)(a), (t)(b))
#endif
#ifndef U64_MAX
#define U64_MAX			((u64)~0ULL)
#define S64_MAX			((s64)(U64_MAX >> 1))
#define S64_MIN			((s64)(-S64_MAX - 1))
#define U32_MAX			((u32)~0U)
#define S32_MAX			((s32)(U32_MAX >> 1))
#define S32_MIN			((s32)(-S32_MAX - 1))
#define S16_MAX			((s16)0x7fff)
#define S16_MIN			((s16)(-S16_MAX - 1))
#endif
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#ifndef __always_inline
#define __always_inline		inline __attribute__((always_inline))
#endif
#define __aligned(x)		__attribute__((aligned(x)))
#ifndef noinline
#define noinline		__attribute__((__noinline__))
#endif
#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)
#define check_sub_overflow(a, b, d)	__builtin_sub_overflow(a, b, d)
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))

/* Userspace has no speculation barrier to honour; the mask is the identity. */
#define array_index_nospec(idx, sz)	(idx)

/* Same contract as the kernel's atomic_t based macros above. */
#define ipo_atomic32(op, p, v)						\
	((void)__atomic_fetch_##op((u32 *)(p), (u32)(v), __ATOMIC_SEQ_CST))
#define ipo_atomic64(op, p, v)						\
	((void)__atomic_fetch_##op((u64 *)(p), (u64)(v), __ATOMIC_SEQ_CST))
#define ipo_atomic32_fetch(op, p, v)					\
	__atomic_fetch_##op((u32 *)(p), (u32)(v), __ATOMIC_SEQ_CST)
#define ipo_atomic64_fetch(op, p, v)					\
	__atomic_fetch_##op((u64 *)(p), (u64)(v), __ATOMIC_SEQ_CST)
#define ipo_atomic32_xchg(p, v)						\
	__atomic_exchange_n((u32 *)(p), (u32)(v), __ATOMIC_SEQ_CST)
#define ipo_atomic64_xchg(p, v)						\
	__atomic_exchange_n((u64 *)(p), (u64)(v), __ATOMIC_SEQ_CST)
#define ipo_atomic32_cmpxchg(p, o, n) ({				\
	u32 __ipo_old = (o);						\
	__atomic_compare_exchange_n((u32 *)(p), &__ipo_old, (u32)(n),	\
				    false, __ATOMIC_SEQ_CST,		\
				    __ATOMIC_SEQ_CST);			\
	__ipo_old;							\
})
#define ipo_atomic64_cmpxchg(p, o, n) ({				\
	u64 __ipo_old = (o);						\
	__atomic_compare_exchange_n((u64 *)(p), &__ipo_old, (u64)(n),	\
				    false, __ATOMIC_SEQ_CST,		\
				    __ATOMIC_SEQ_CST);			\
	__ipo_old;							\
})

/*
 * Host runs of IRQ programs see an ordinary buffer as their window, read
 * and written exactly once per access like a device register.
 */
static inline u64 ipo_io_read(void *addr, u32 size)
{
	switch (size) {
	case 1:
		return READ_ONCE(*(u8 *)addr);
	case 2:
		return READ_ONCE(*(u16 *)addr);
	case 4:
		return READ_ONCE(*(u32 *)addr);
	default:
		return READ_ONCE(*(u64 *)addr);
	}
}

static inline void ipo_io_write(void *addr, u32 size, u64 val)
{
	switch (size) {
	case 1:
		WRITE_ONCE(*(u8 *)addr, (u8)val);
		break;
	case 2:
		WRITE_ONCE(*(u16 *)addr, (u16)val);
		break;
	case 4:
		WRITE_ONCE(*(u32 *)addr, (u32)val);
		break;
	default:
		WRITE_ONCE(*(u64 *)addr, val);
		break;
	}
}

#endif /* __KERNEL__ */

/*
 * Hooks: the embedder of the engine defines these, the module in
 * kmod/prog.c (kvzalloc() charged to the loader's memory cgroup, and
 * failed on demand by the fault-injection build like every allocation of
 * the module), the host library in compat_host.c.
 *
 * ipo_zalloc() - @sz zeroed bytes, or NULL.  Every allocation of the
 * engine comes from here; ipo_alloc_size(@sz) is what it really takes.
 * ipo_free() - give back what ipo_zalloc() returned; NULL is fine.
 */
void *ipo_zalloc(size_t sz);
void ipo_free(void *p);

#endif /* IPO_COMPAT_H */
