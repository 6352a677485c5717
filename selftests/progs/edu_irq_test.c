// SPDX-License-Identifier: GPL-2.0
/*
 * progs/edu_irq.c on the host: both IRQ programs verified as IRQ programs
 * and run on the interpreter and the JIT against a plain buffer standing
 * in for the edu device's register window (the host's ipo_io_read/write
 * are ordinary loads and stores).  The buffer shows what the hook wrote:
 * the acknowledgement lands at EDU_ACK.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libipo.h"
#include "base/progtypes.h"
#include "verifier/verifier.h"
#include "exec/interp.h"
#include "exec/jit.h"
#include "progs_test.h"
#include "edu_irq.h"

struct edu_run {
	u64 r0;
	u32 abort;
	u32 regs[EDU_WIN / 4];		/* the window after the run */
	struct edu_irq_state st;	/* the object after the run */
};

typedef u64 (*engine_fn)(const struct ipo_prog *prog, struct ipo_run *run,
			 const u64 *args);

static void edu_run_on(engine_fn engine, const struct ipo_prog *prog,
		       u32 status, u32 win_size, struct edu_run *out)
{
	struct ipo_irq_ctx ctx = {};
	struct ipo_irq_env env = {};
	struct ipo_run run = {};
	u64 args[5] = {};

	memset(out, 0, sizeof(*out));
	out->regs[EDU_STATUS / 4] = status;
	ctx.obj = &out->st;
	ctx.obj_size = sizeof(out->st);
	ctx.win_size = win_size;
	env.win = out->regs;
	env.win_size = win_size;
	env.widths = IPO_IRQ_W32;
	run.base[IPO_RGN_CTX] = (unsigned long)&ctx;
	run.size[IPO_RGN_CTX] = sizeof(ctx);
	run.base[IPO_RGN_OBJ] = (unsigned long)&out->st;
	run.size[IPO_RGN_OBJ] = sizeof(out->st);
	run.fuel = 10000;
	run.priv = &env;
	args[0] = (unsigned long)&ctx;
	out->r0 = engine(prog, &run, args);
	out->abort = run.abort;
	out->st.last_ns = 0;	/* the clock differs between the runs */
}

/* Runs on both engines; returns the interpreter's, fails on a mismatch. */
static void edu_run(const char *name, const struct ipo_prog *prog,
		    u32 status, u32 win_size, struct edu_run *r)
{
	struct edu_run j;

	edu_run_on(ipo_interp_run, prog, status, win_size, r);
	edu_run_on(ipo_jit_run_prog, prog, status, win_size, &j);
	tap_ok(r->r0 == j.r0 && r->abort == j.abort &&
	       !memcmp(r->regs, j.regs, sizeof(j.regs)) &&
	       !memcmp(&r->st, &j.st, sizeof(j.st)),
	       "edu_irq.%s status %#x window %#x: interpreter and JIT agree",
	       name, status, win_size);
}

void test_edu_irq(void)
{
	char path[4096], log_buf[4096];
	struct ipo_vlog log = { .buf = log_buf, .size = sizeof(log_buf) };
	struct ipo_prog progs[2] = {};
	const char *names[2] = { "edu_irq", "edu_irq_noack" };
	struct ipo_prog_obj *elf;
	struct edu_run r;
	int i;

	snprintf(path, sizeof(path), "%s/edu_irq.o", pt_dir());
	elf = ipo_prog_obj_open(path, NULL);
	if (!tap_ok(elf != NULL, "edu_irq: open %s", path))
		return;
	for (i = 0; i < 2; i++) {
		struct ipo_program *p = ipo_prog_obj__find_program(elf,
								   names[i]);

		if (!tap_ok(p && ipo_program__type(p) == IPO_PROG_TYPE_IRQ,
			    "edu_irq.%s: an IRQ program", names[i]))
			goto out;
		progs[i].insns = (const struct ipo_insn *)ipo_program__insns(p);
		progs[i].len = ipo_program__insn_cnt(p);
		progs[i].type = &ipo_progtype_irq;
		progs[i].aux = calloc(progs[i].len, sizeof(*progs[i].aux));
		log.len = 0;
		if (!tap_ok(progs[i].aux && !ipo_verify(&progs[i], &log),
			    "edu_irq.%s: verified", names[i])) {
			printf("#   %s\n", log_buf);
			goto out;
		}
		/* Constant offsets only, inside the edu window, 32-bit. */
		tap_eq(progs[i].mmio.var, 0, "edu_irq.%s: offsets constant",
		       names[i]);
		tap_eq(progs[i].mmio.widths, IPO_IRQ_W32,
		       "edu_irq.%s: 32-bit accesses only", names[i]);
		tap_ok(progs[i].mmio.const_end <= EDU_WIN,
		       "edu_irq.%s: fits the %#x-byte window", names[i],
		       EDU_WIN);
	}

	/* Its device interrupted: acknowledged, counted, HANDLED. */
	edu_run(names[0], &progs[0], 0x5, EDU_WIN, &r);
	tap_eq(r.r0, IPO_IRQ_HANDLED, "edu_irq: status 5 is HANDLED");
	tap_eq(r.regs[EDU_ACK / 4], 0x5, "edu_irq: acknowledges what it saw");
	tap_eq(r.st.count, 1, "edu_irq: counts the interrupt");
	tap_eq(r.st.status_or, 0x5, "edu_irq: records the status");
	/* Not its device: NONE, nothing written. */
	edu_run(names[0], &progs[0], 0, EDU_WIN, &r);
	tap_eq(r.r0, IPO_IRQ_NONE, "edu_irq: status 0 is NONE");
	tap_eq(r.regs[EDU_ACK / 4], 0, "edu_irq: no acknowledgement");
	tap_eq(r.st.count, 0, "edu_irq: nothing counted");
	/* A window too small for EDU_ACK: the run-time check aborts. */
	edu_run(names[0], &progs[0], 0x1, 0x40, &r);
	tap_eq(r.abort, IPO_ABORT_HELPER, "edu_irq: window 0x40 aborts");
	/* The broken twin claims the interrupt and never acknowledges. */
	edu_run(names[1], &progs[1], 0x1, EDU_WIN, &r);
	tap_eq(r.r0, IPO_IRQ_HANDLED, "edu_irq_noack: HANDLED");
	tap_eq(r.regs[EDU_ACK / 4], 0, "edu_irq_noack: no acknowledgement");
out:
	for (i = 0; i < 2; i++)
		free(progs[i].aux);
	ipo_prog_obj__close(elf);
}
