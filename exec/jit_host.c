// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Host code memory for the JIT: an anonymous mapping that is read+write
 * while the code is copied in and read+exec afterwards, never both.  Host
 * only (IPO_ENGINE_HOST_SRCS); the module has its own provider.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "jit.h"

static size_t ipo_jit_host_span(u32 size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	return ((size_t)size + page - 1) & ~(page - 1);
}

static int ipo_jit_host_alloc(const struct ipo_jit_mem *mem, u32 size,
			      void **rw, void **rx)
{
	size_t span = ipo_jit_host_span(size);
	void *p;

	p = mmap(NULL, span, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	/* Slack after the code traps. */
	memset(p, 0xcc, span);
	*rw = p;
	*rx = p;
	return 0;
}

static int ipo_jit_host_seal(const struct ipo_jit_mem *mem, void *rw, void *rx,
			     u32 size)
{
	if (mprotect(rx, ipo_jit_host_span(size), PROT_READ | PROT_EXEC))
		return -errno;
	return 0;
}

static void ipo_jit_host_free(const struct ipo_jit_mem *mem, void *rx,
			      u32 size)
{
	munmap(rx, ipo_jit_host_span(size));
}

const struct ipo_jit_mem ipo_jit_host_mem = {
	.alloc = ipo_jit_host_alloc,
	.seal = ipo_jit_host_seal,
	.free = ipo_jit_host_free,
};

u64 ipo_jit_run_prog(const struct ipo_prog *prog, struct ipo_run *run,
		     const u64 *args)
{
	struct ipo_jit_image img;
	u64 r0;

	if (ipo_jit_compile(prog, &ipo_jit_host_mem, &img)) {
		run->abort = IPO_ABORT_BOUNDS;
		run->abort_pc = U32_MAX;
		return 0;
	}
	r0 = ipo_jit_run(&img, run, args);
	ipo_jit_free(&img);
	return r0;
}
