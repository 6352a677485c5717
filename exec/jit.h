/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The x86-64 JIT: one pass over a verified program into native code that
 * behaves exactly like ipo_interp_run() (r0, memory, fuel, abort reason and
 * abort pc).
 *
 * The translator only ever writes into an ordinary heap buffer.  Executable
 * memory comes from a provider (struct ipo_jit_mem) that the caller passes
 * in: on the host an mmap'd area made read+exec after the copy
 * (ipo_jit_host_mem), in the module a pool in the module's own text written
 * through a temporary alias.  No provider ever leaves code writable and
 * executable at once.
 *
 * Native layout of an image (offsets in struct ipo_jit_image):
 *
 *	entry prologue
 *	insn_off[0]:	code of instruction 0
 *	...		(a subprogram's prologue sits just before
 *			 insn_off[first insn of the subprogram])
 *	insn_off[len]:	exit/abort tails, per-site abort stubs, veneers
 *
 * To show the native code next to the eBPF it came from, dump
 * code[0, size) and decode the range [insn_off[i], insn_off[i + 1]) for
 * each instruction i, e.g. with binutils:
 *
 *	objdump -D -b binary -mi386:x86-64 --adjust-vma=0 image.bin
 *
 * (both offsets are relative to the start of the image).  The second slot
 * of an lddw has an empty range.
 */
#ifndef IPO_JIT_H
#define IPO_JIT_H

#include "../base/prog.h"

/* Largest image the JIT produces, bytes. */
#define IPO_JIT_MAX_SIZE	(256U << 20)

/*
 * struct ipo_jit_mem - where executable code comes from.
 * @alloc:	reserve @size bytes; *@rw is a writable view, *@rx the address
 *		the code will run at (they may be equal while unsealed).
 * @seal:	make [rx, rx + size) executable and no longer writable, and drop
 *		any writable alias.  0 or -errno.
 * @free:	release what @alloc returned (after a @seal or not).
 * @ret_thunk:	NULL, or asked once per compile where functions return
 *		through: NULL for a plain ret (followed by an int3), else the
 *		address of a return thunk, to which every return of the image
 *		jumps (jmp rel32).  The kernel's pool hands down the thunk its
 *		kernel chose when the CPU needs one (retbleed, SRSO, ITS),
 *		see kmod/codemem.c.  An image out of rel32 reach of it fails
 *		with -ERANGE.
 * @priv:	for the provider.
 * @near_text:	every helper is within rel32 reach of @rx, so calls to
 *		helpers are always direct (the kernel's pool) and the image
 *		has no indirect jump; otherwise a call out of reach goes
 *		through a veneer (movabs r11; jmp r11) at the end of the image.
 * @max_size:	the largest image @alloc can ever take, bytes (0: up to
 *		IPO_JIT_MAX_SIZE).  The JIT gives up (-E2BIG) as soon as the
 *		image grows past it, instead of building a bigger one in
 *		memory only to have @alloc refuse it.
 */
struct ipo_jit_mem {
	int (*alloc)(const struct ipo_jit_mem *mem, u32 size, void **rw,
		     void **rx);
	int (*seal)(const struct ipo_jit_mem *mem, void *rw, void *rx,
		    u32 size);
	void (*free)(const struct ipo_jit_mem *mem, void *rx, u32 size);
	void *(*ret_thunk)(const struct ipo_jit_mem *mem);
	void *priv;
	bool near_text;
	u32 max_size;
};

/* Host provider: mmap RW, copy, mprotect RX (exec/jit_host.c, host only). */
extern const struct ipo_jit_mem ipo_jit_host_mem;

/*
 * ipo_jit_run_prog() - compile on ipo_jit_host_mem, run, free: the JIT with
 * ipo_interp_run()'s signature, for tests (host only).  A program the JIT
 * cannot compile aborts with IPO_ABORT_BOUNDS at pc U32_MAX.
 */
u64 ipo_jit_run_prog(const struct ipo_prog *prog, struct ipo_run *run,
		     const u64 *args);

/* What the image is called as: r1..r5, then the run (like a helper). */
typedef u64 (*ipo_jit_entry_fn)(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5,
				struct ipo_run *run);

/*
 * struct ipo_jit_image - a compiled program.
 * @entry:	start of the code, executable.
 * @size:	bytes of code.
 * @insn_off:	len + 1 offsets into the code: where instruction i starts;
 *		insn_off[len] is where the program's code ends.
 * @len:	instructions of the program.
 * @mem:	the provider the code came from.
 */
struct ipo_jit_image {
	ipo_jit_entry_fn entry;
	u32 size;
	u32 len;
	u32 *insn_off;
	const struct ipo_jit_mem *mem;
};

/*
 * ipo_jit_compile() - translate a verified program.
 * @prog:	verified; aux as the verifier left it.  Only read.
 * @mem:	the code memory provider.
 * @img:	filled on success; untouched on failure.
 *
 * Return: 0, -EINVAL (not verified, or aux inconsistent with the code),
 * -ENOMEM, -E2BIG (image over IPO_JIT_MAX_SIZE), -ERANGE (a helper out of
 * rel32 reach of near_text memory, or the return thunk out of reach) or
 * the provider's error.
 */
int ipo_jit_compile(const struct ipo_prog *prog, const struct ipo_jit_mem *mem,
		    struct ipo_jit_image *img);

/*
 * ipo_jit_run() - run a compiled program.  Same contract as
 * ipo_interp_run(): @args are r1..r5 (NULL for zeros); the image provides
 * the 512-byte stack on the native stack and records it as IPO_RGN_STACK.
 *
 * Return: r0, or 0 on an abort (the unwind value for IPO_ABORT_UNWIND).
 *
 * Inline: a caller that passes constant arguments (a context in r1, zeros
 * in the rest) calls the image with them directly.
 */
static inline u64 ipo_jit_run(const struct ipo_jit_image *img,
			      struct ipo_run *run, const u64 *args)
{
	if (unlikely(!img || !img->entry)) {
		run->abort = IPO_ABORT_BOUNDS;
		run->abort_pc = 0;
		return 0;
	}
	if (!args)
		return img->entry(0, 0, 0, 0, 0, run);
	return img->entry(args[0], args[1], args[2], args[3], args[4], run);
}

/* ipo_jit_free() - release the code and the offset table; img is zeroed. */
void ipo_jit_free(struct ipo_jit_image *img);

#endif /* IPO_JIT_H */
