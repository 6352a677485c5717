/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipo.h - what a restricted-C ipo program includes.
 *
 * Build (progs/progs.mk does this for every program in progs/):
 *
 *	clang -O2 -g -target bpf -mcpu=v3 -Iinclude/uapi \
 *		-I/usr/include/$(gcc -dumpmachine) -c foo.c -o foo.o
 *
 * (the second -I finds <asm/types.h> for <linux/types.h>; -g gives the
 * BTF that names argument structs and maps errors to source lines).
 *
 * A program object holds the methods of one object type:
 *
 *	#include "ipo.h"
 *	#include "foo.h"		the object's layout, shared with userspace
 *
 *	IPO_METHOD(set)
 *	int set(struct ipo_method_ctx *ctx)
 *	{
 *		const struct set_args *a = ctx->arg;
 *		struct foo *f = ctx->obj;
 *
 *		if (ctx->arg_size < sizeof(*a) || ctx->obj_size < sizeof(*f))
 *			return -EINVAL;
 *		f->value = a->value;
 *		return 0;
 *	}
 *
 *	IPO_LICENSE("GPL");
 *
 * The context (r1, read only) is struct ipo_method_ctx from the uapi
 * header: the object (read/write), the call's argument buffer (read only),
 * the output buffer (read/write, zeroed before the call) and their sizes.
 *
 * Arguments.  A method M takes its arguments as one `struct M_args` in
 * the argument buffer, laid out in the object's shared header so callers
 * build the same bytes.  The bundle tool (`ipo run`) finds the struct in
 * the file's BTF by that name and fills its fields from `M(field=value,
 * ...)`.  Declare it with IPO_ARGS(M) beside the method: clang -O2 keeps
 * no BTF for types only locals use.  A method without arguments has no
 * struct and ignores the buffer.  Check
 * @arg_size before the first read: the buffer is exactly what the caller
 * sent, and a short one is the caller's error (-EINVAL), never a fault.
 *
 * Output.  A method that returns data writes it at ctx->out, after
 * checking @out_size (-ENOBUFS when the caller gave too little room; check
 * this before changing the object, so a call that cannot report its
 * result changes nothing).
 *
 * Return value (r0): 0 on success or a negative errno.  The kernel treats a
 * negative return as a failed call: in an atomic bundle it rolls back every
 * object of the bundle, in a stop-on-error bundle the calls after it do not
 * run.  Do not leave the object half changed on an error path anyway: a
 * call outside a bundle has nothing to roll back to.
 *
 * What the verifier accepts (see verifier/verifier.c's header comment):
 *
 * - Every access to the object, argument and output buffers is checked:
 *   statically where the offset is provably in bounds, otherwise at run
 *   time (an out-of-bounds access aborts the call like a failed check,
 *   and the call's result says at which instruction: `ipo run` prints
 *   the C line).  Still check sizes and indexes in C: an abort is a
 *   fault, an errno is an answer.  The checks also pay: after
 *   `if (ctx->obj_size < sizeof(*f)) return -EINVAL;` the verifier knows
 *   the object is at least that large on the path that goes on, so
 *   accesses below that size need no run-time check; an index tested
 *   against a constant (`if (a->account >= 16) return -ENOENT;`) or
 *   against a size (`i < ctx->arg_size`, also `i < ctx->arg_size / 8`
 *   for an array of u64) is proven too, and so is a pointer stepping
 *   beside a tested counter.  `ipo verify FILE` lists every access that
 *   keeps a check, with the test that would remove it ("no upper bound
 *   known for R3 (deposit_args.account); test it against 16"), and every
 *   loop that only fuel ends.
 * - Loops are allowed and paid for with fuel; a call that runs out aborts.
 *   A loop whose counter steps the same way on every pass and is tested
 *   against a bound before it goes back is proven to end.
 * - IPO_STRICT(fn) asks for load-time guarantees only: program fn is
 *   refused unless no access needs a run-time check and every loop is
 *   proven to end, as Linux's verifier would demand.
 * - Arrays on the stack may be indexed by a register whose value is
 *   tested to stay inside the array; read only bytes written before
 *   (initialise the array, e.g. `= {}`).
 * - A pointer to the stack may be passed to a non-inlined function: it
 *   reads what the caller wrote and writes data there, at constant
 *   offsets, up to the caller's frame top or its first spilled pointer.
 *   What it writes the caller sees as written only where it had written
 *   before the call (set out-parameters first).  A function may return
 *   nothing (void); its callers then may not read r0.
 * - No "pointer or NULL": a variable that is a pointer on one path and 0
 *   on another is unreadable after the join (progs/rejected/
 *   null_select.c).  A context or region pointer may be tested against 0
 *   (the test is decided: it is never NULL).  Check the size and return
 *   before loading the pointer:
 *
 *	if (ctx->arg_size < sizeof(struct set_args))
 *		return -EINVAL;
 *	a = ctx->arg;
 *
 * - No global or static variables, no string literals (.rodata), no calls
 *   to functions the file does not define (so no libc memcpy: use the
 *   ipo_mem*() loops below).
 */
#ifndef IPO_PROGS_IPO_H
#define IPO_PROGS_IPO_H

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/ipo.h>

#define SEC(name)		__attribute__((section(name), used))
#ifndef __always_inline
#define __always_inline		inline __attribute__((always_inline))
#endif
#define __noinline		__attribute__((noinline))
#ifndef NULL
#define NULL			((void *)0)
#endif

/* The method called NAME: the section libipo's loader looks for. */
#define IPO_METHOD(name)	SEC("method/" #name)
/* An IRQ program. */
#define IPO_IRQ(name)		SEC("irq/" #name)
/* The license string, as in the module's PROG_LOAD. */
#define IPO_LICENSE(s)		char LICENSE[] SEC("license") = s

/*
 * IPO_ARGS(M): put struct M_args into the file's BTF.  clang -O2 emits BTF
 * only for the types of functions and global variables, not for those of
 * locals, so the struct a method reads would be missing; this declares a
 * typed pointer in a section the loader never loads (no code refers to
 * it).  IPO_OBJECT(type) does the same for the object's layout, as
 * __ipo_object, so tools can show the object's fields.
 */
#define IPO_ARGS(method)						\
	const struct method##_args *__ipo_args_##method SEC(".ipo.types")
#define IPO_OBJECT(type)	type *__ipo_object SEC(".ipo.types")

/*
 * IPO_STRICT(fn): load-time guarantees only for program fn.  libipo loads
 * it with IPO_PROG_STRICT and `ipo verify` checks it so: it is refused
 * unless every access is proven in bounds (no run-time check) and every
 * loop is proven to end (none that only fuel stops), as Linux's verifier
 * demands.  `ipo verify FILE` lists what stands in the way, with the test
 * that would remove it.
 */
#define IPO_STRICT(fn)	const char __ipo_strict_##fn SEC(".ipo.strict") = 1

#define ipo_likely(x)		__builtin_expect(!!(x), 1)
#define ipo_unlikely(x)		__builtin_expect(!!(x), 0)

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif

/*
 * Helpers, by the uapi's ids (libbpf's style: a call through a constant
 * address compiles to `call <id>`).  Each program type allows a subset;
 * calling one the type does not allow is a verifier error.
 *
 * METHOD programs may call ipo_notify() (events reach subscribers when the
 * call commits) and ipo_ktime_ns().  ipo_trace() has an id but no program
 * type allows it yet.
 *
 * Fuel: a helper call costs one instruction of the budget, ipo_ktime_ns()
 * 65 (a clock read is much slower than an instruction).
 *
 * IRQ programs may call ipo_notify() (subscribers hear after the handler),
 * ipo_ktime_ns() and the register helpers: ipo_mmio_readN(off) and
 * ipo_mmio_writeN(off, val), N = 8, 16, 32, 64, where @off is a byte
 * offset into the window IRQ_ATTACH granted, aligned to the width.  Use
 * constant offsets where you can: the attach then refuses a program that
 * does not fit its window, instead of the hook faulting on its first
 * interrupt.
 */
static long (*ipo_notify)(__u64 mask) = (void *)IPO_FN_notify;
static __u64 (*ipo_ktime_ns)(void) = (void *)IPO_FN_ktime_ns;
static long (*ipo_trace)(const void *buf, __u32 len) = (void *)IPO_FN_trace;
static __u8 (*ipo_mmio_read8)(__u32 off) = (void *)IPO_FN_mmio_read8;
static __u16 (*ipo_mmio_read16)(__u32 off) = (void *)IPO_FN_mmio_read16;
static __u32 (*ipo_mmio_read32)(__u32 off) = (void *)IPO_FN_mmio_read32;
static __u64 (*ipo_mmio_read64)(__u32 off) = (void *)IPO_FN_mmio_read64;
static long (*ipo_mmio_write8)(__u32 off, __u8 val) =
	(void *)IPO_FN_mmio_write8;
static long (*ipo_mmio_write16)(__u32 off, __u16 val) =
	(void *)IPO_FN_mmio_write16;
static long (*ipo_mmio_write32)(__u32 off, __u32 val) =
	(void *)IPO_FN_mmio_write32;
static long (*ipo_mmio_write64)(__u32 off, __u64 val) =
	(void *)IPO_FN_mmio_write64;

/*
 * Compiler barrier on a value: clang forgets what it knew about @v.  Used
 * in the copy loops below so clang does not turn them back into a memcpy
 * call (which -target bpf cannot emit for a variable length).
 */
#define ipo_barrier_var(v)	asm volatile("" : "+r"(v))

/*
 * ipo_memcpy() - copy @n bytes, at most @max, from @src to @dst; returns
 * the bytes copied.  For the object and the argument/output buffers (any
 * pointer whose accesses are checked); not for stack buffers, whose
 * variable offsets the verifier refuses.  @max must be a constant: it is
 * what bounds the loop for the reader, the fuel bounds it for the kernel.
 */
static __always_inline __u32 ipo_memcpy(void *dst, const void *src, __u32 n,
					__u32 max)
{
	__u8 *d = dst;
	const __u8 *s = src;
	__u32 i;

	if (n > max)
		n = max;
	for (i = 0; i < n; i++) {
		ipo_barrier_var(i);
		d[i] = s[i];
	}
	return n;
}

/* ipo_memset() - as ipo_memcpy(), filling with @c. */
static __always_inline __u32 ipo_memset(void *dst, __u8 c, __u32 n,
					__u32 max)
{
	__u8 *d = dst;
	__u32 i;

	if (n > max)
		n = max;
	for (i = 0; i < n; i++) {
		ipo_barrier_var(i);
		d[i] = c;
	}
	return n;
}

/*
 * ipo_memcpy_const() - copy @n bytes, @n a compile-time constant, from
 * @src to @dst in 8-byte words (then 4, 2, 1 for a tail): n / 8 + at most
 * 3 loads and stores at constant offsets from two pointers computed once.
 * __builtin_memcpy() cannot do this for `void *` (ctx->out, ctx->arg):
 * clang -target bpf does not know their alignment, copies byte by byte,
 * and as a store through ctx->out may alias anything, it computes the
 * source again for every byte (an index read from ctx->arg is read again
 * each time, and each access through it is checked at run time).
 *
 * Words need no alignment from the engine (unaligned loads and stores are
 * allowed and run at full speed on x86-64), but the verifier tracks the
 * stack in aligned 8-byte slots: when @dst or @src is on the stack, keep
 * it 8-byte aligned (a local struct with a __u64 member is).  A typed
 * assignment (`*(struct foo *)ctx->out = *f;`) compiles to the same words
 * and is as good when the type is at hand.
 */
static __always_inline void __ipo_memcpy_words(void *dst, const void *src,
					       const __u32 n)
{
	__u32 i, w = n / 8;

	/* Both unrolled: n is a constant once this is inlined. */
#pragma unroll
	for (i = 0; i < w; i++)
		((__u64 *)dst)[i] = ((const __u64 *)src)[i];
	i = w * 8;
	if (n & 4) {
		*(__u32 *)((__u8 *)dst + i) = *(const __u32 *)((const __u8 *)src + i);
		i += 4;
	}
	if (n & 2) {
		*(__u16 *)((__u8 *)dst + i) = *(const __u16 *)((const __u8 *)src + i);
		i += 2;
	}
	if (n & 1)
		*((__u8 *)dst + i) = *((const __u8 *)src + i);
}

#define ipo_memcpy_const(dst, src, n) ({				\
	_Static_assert(__builtin_constant_p(n),				\
		       "ipo_memcpy_const: n must be a constant");	\
	__ipo_memcpy_words((dst), (src), (n));				\
})

/*
 * ipo_memset_const() - fill @n bytes (a constant) with @c; clang expands
 * it into stores at constant offsets, so it works on the stack too.
 */
#define ipo_memset_const(dst, c, n)	__builtin_memset((dst), (c), (n))

#endif /* IPO_PROGS_IPO_H */
