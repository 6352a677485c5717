/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The reference interpreter. */
#ifndef IPO_INTERP_H
#define IPO_INTERP_H

#include "../base/prog.h"

/*
 * ipo_interp_run() - run a verified program.
 * @prog:	verified (prog->verified), its aux filled by the verifier.
 * @run:	regions, fuel; abort and abort_pc are set on return.
 * @args:	r1..r5 at entry (five values; pointers as addresses that lie
 *		in the matching regions of @run), or NULL for all zero.
 *		The interpreter provides the stack itself (IPO_STACK_SIZE
 *		bytes, on its own C stack) and records it as IPO_RGN_STACK.
 *
 * Return: r0 at exit, or 0 when run->abort is set (and r0 = unwind value
 * for IPO_ABORT_UNWIND, which counts as a normal exit).
 */
u64 ipo_interp_run(const struct ipo_prog *prog, struct ipo_run *run,
		   const u64 *args);

#endif /* IPO_INTERP_H */
