/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host tests of progs/: open a compiled program object with libipo's
 * loader, verify each method as a METHOD program, and call methods on the
 * interpreter and on the JIT with the regions PROG_TEST_RUN sets up.  Each
 * call runs on both engines, from the same object bytes, and every
 * difference between them (r0, abort, abort pc, fuel left, object, output)
 * is a failed test.  One file per program (*_test.c) holds its checks,
 * written with selftests/tap.h.
 */
#ifndef IPO_PROGS_TEST_H
#define IPO_PROGS_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "selftests/tap.h"

/* Fuel of a call unless the test says otherwise: the module's default. */
#define PT_FUEL_DEFAULT	(1ULL << 20)

struct pt_obj;

/* Options and results of one call; zero options are the defaults. */
struct pt_call {
	/* in */
	const void *arg;
	uint32_t arg_size;
	uint32_t out_size;	/* bytes of output room */
	uint64_t fuel;		/* 0: PT_FUEL_DEFAULT */
	uint32_t tgid;		/* ipo_method_ctx.caller_tgid */
	/* out (the interpreter's; the JIT must agree) */
	int ret;		/* r0 as the method's int, 0 on an abort */
	uint32_t abort;		/* enum ipo_abort */
	uint32_t abort_pc;
	uint64_t fuel_used;
	uint8_t out[256];	/* first min(out_size, 256) bytes of output */
};

/*
 * pt_open() - load DIR/NAME.o and verify every method (one test each).
 * NULL (after a failed test line) when the file cannot be used.
 */
struct pt_obj *pt_open(const char *name);
void pt_close(struct pt_obj *o);

/*
 * pt_run() - call @method on the object @obj (@obj_size bytes, updated in
 * place from the interpreter's run) on both engines.  Returns c->ret; an
 * engine mismatch or a method that was not verified is a failed test line
 * (and -1000 returned).
 */
int pt_run(struct pt_obj *o, const char *method, void *obj,
	   uint32_t obj_size, struct pt_call *c);

/* pt_run() with arguments and no options; @out_size bytes of output. */
int pt_call(struct pt_obj *o, const char *method, void *obj,
	    uint32_t obj_size, const void *arg, uint32_t arg_size,
	    void *out, uint32_t out_size);

/* Instructions of @method as compiled (0: no such method). */
unsigned int pt_insn_cnt(struct pt_obj *o, const char *method);

/* Each program's checks. */
void test_counter(void);
void test_widgets(void);
void test_mailbox(void);
void test_kv(void);
void test_prime(void);
void test_edu_irq(void);
void test_ratelimit(void);
void test_bank(void);

/* The directory of the compiled programs (for tests with their own loader). */
const char *pt_dir(void);

#endif /* IPO_PROGS_TEST_H */
