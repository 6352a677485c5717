// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The host side of compat.h: the hooks an embedder of the engine provides,
 * for the host library.  Host only (IPO_ENGINE_HOST_SRCS); the module has
 * its own (kmod/prog.c).
 */
#include "compat.h"

void *ipo_zalloc(size_t sz)
{
	return calloc(1, sz);
}

void ipo_free(void *p)
{
	free(p);
}

/*
 * Set, with WRITE_ONCE() (a signal handler may), to stop the engine with
 * -EINTR.
 */
int ipo_host_stop;
