// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The host side of compat.h: the hooks an embedder of the engine sets.
 * Host only (IPO_ENGINE_HOST_SRCS); in the module the kernel answers.
 */
#include "compat.h"

/*
 * Set, with WRITE_ONCE() (a signal handler may), to stop the engine with
 * -EINTR.
 */
int ipo_host_stop;
