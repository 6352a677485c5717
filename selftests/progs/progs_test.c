// SPDX-License-Identifier: GPL-2.0
/*
 * ipo-progs-test DIR: the programs of progs/, compiled into DIR, verified
 * and run on the interpreter and the JIT (see progs_test.h).  Prints TAP;
 * exits 1 when a test failed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include "libipo.h"
#include "base/progtypes.h"
#include "verifier/verifier.h"
#include "exec/interp.h"
#include "exec/jit.h"
#include "progs_test.h"

#define LOG_SIZE	(1U << 16)
#define PT_MISMATCH	(-1000)

struct pt_method {
	const char *name;
	struct ipo_prog prog;
	bool ok;		/* verified */
};

struct pt_obj {
	const char *name;
	struct ipo_prog_obj *elf;
	struct pt_method *m;
	size_t nr;
};

static const char *dir;

const char *pt_dir(void)
{
	return dir;
}

static int quiet_print(enum ipo_print_level level, const char *fmt,
		       va_list args)
{
	if (level != IPO_PRINT_WARN)
		return 0;
	printf("# libipo: ");
	return vprintf(fmt, args);
}

struct pt_obj *pt_open(const char *name)
{
	struct ipo_program *p;
	struct pt_obj *o;
	char path[4096];
	struct ipo_vlog log = {};
	size_t i = 0;

	snprintf(path, sizeof(path), "%s/%s.o", dir, name);
	o = calloc(1, sizeof(*o));
	if (!o)
		return NULL;
	o->name = name;
	o->elf = ipo_prog_obj_open(path, NULL);
	if (!tap_ok(o->elf != NULL, "%s: open %s", name, path)) {
		printf("#   %s\n", strerror(errno));
		free(o);
		return NULL;
	}
	ipo_prog_obj__for_each_program(p, o->elf)
		o->nr++;
	o->m = calloc(o->nr, sizeof(*o->m));
	log.buf = malloc(LOG_SIZE);
	log.size = LOG_SIZE;
	if (!o->m || !log.buf) {
		free(log.buf);
		pt_close(o);
		return NULL;
	}
	tap_ok(ipo_prog_obj__license(o->elf) &&
	       !strcmp(ipo_prog_obj__license(o->elf), "GPL"),
	       "%s: license GPL", name);
	ipo_prog_obj__for_each_program(p, o->elf) {
		struct pt_method *m = &o->m[i++];
		int err;

		m->name = ipo_program__method_name(p);
		m->prog.insns = (const struct ipo_insn *)ipo_program__insns(p);
		m->prog.len = ipo_program__insn_cnt(p);
		m->prog.type = &ipo_progtype_method;
		m->prog.aux = calloc(m->prog.len, sizeof(*m->prog.aux));
		if (!m->name || !m->prog.aux) {
			tap_ok(false, "%s: %s is a method", name,
			       ipo_program__name(p));
			continue;
		}
		log.len = 0;
		log.buf[0] = 0;
		/* IPO_STRICT() in the source: as libipo would load it. */
		m->prog.strict = ipo_program__strict(p);
		err = ipo_verify(&m->prog, &log);
		m->ok = !err;
		if (!tap_ok(!err, "%s.%s: verified%s (%u insns)", name,
			    m->name, m->prog.strict ? " strict" : "",
			    m->prog.len))
			printf("#   %s# %s\n", log.buf, strerror(-err));
	}
	free(log.buf);
	return o;
}

void pt_close(struct pt_obj *o)
{
	size_t i;

	if (!o)
		return;
	for (i = 0; i < o->nr; i++)
		free(o->m[i].prog.aux);
	free(o->m);
	ipo_prog_obj__close(o->elf);
	free(o);
}

/* One run's private copies, each its own exact-size allocation. */
struct pt_bufs {
	struct ipo_method_ctx *ctx;
	void *obj, *arg, *out;
};

static int bufs_init(struct pt_bufs *b, const void *obj, u32 obj_size,
		     const struct pt_call *c)
{
	b->ctx = calloc(1, sizeof(*b->ctx));
	b->obj = malloc(obj_size ? obj_size : 1);
	b->arg = malloc(c->arg_size ? c->arg_size : 1);
	b->out = calloc(1, c->out_size ? c->out_size : 1);
	if (!b->ctx || !b->obj || !b->arg || !b->out)
		return -ENOMEM;
	memcpy(b->obj, obj, obj_size);
	if (c->arg_size)
		memcpy(b->arg, c->arg, c->arg_size);
	b->ctx->obj = b->obj;
	b->ctx->arg = b->arg;
	b->ctx->out = b->out;
	b->ctx->obj_size = obj_size;
	b->ctx->arg_size = c->arg_size;
	b->ctx->out_size = c->out_size;
	b->ctx->obj_id = 1;
	b->ctx->caller_uid = 1000;
	b->ctx->caller_tgid = c->tgid;
	return 0;
}

static void bufs_free(struct pt_bufs *b)
{
	free(b->ctx);
	free(b->obj);
	free(b->arg);
	free(b->out);
}

typedef u64 (*pt_engine_fn)(const struct ipo_prog *prog, struct ipo_run *run,
			    const u64 *args);

static u64 run_on(pt_engine_fn engine, const struct pt_method *m,
		  const struct pt_bufs *b, const struct pt_call *c,
		  struct ipo_run *run)
{
	u64 args[5] = { (unsigned long)b->ctx };

	memset(run, 0, sizeof(*run));
	run->base[IPO_RGN_CTX] = (unsigned long)b->ctx;
	run->size[IPO_RGN_CTX] = sizeof(*b->ctx);
	run->base[IPO_RGN_OBJ] = (unsigned long)b->obj;
	run->size[IPO_RGN_OBJ] = b->ctx->obj_size;
	run->base[IPO_RGN_ARG] = (unsigned long)b->arg;
	run->size[IPO_RGN_ARG] = b->ctx->arg_size;
	run->base[IPO_RGN_OUT] = (unsigned long)b->out;
	run->size[IPO_RGN_OUT] = b->ctx->out_size;
	run->fuel = c->fuel ? c->fuel : PT_FUEL_DEFAULT;
	return engine(&m->prog, run, args);
}

int pt_run(struct pt_obj *o, const char *method, void *obj, u32 obj_size,
	   struct pt_call *c)
{
	struct pt_bufs bi = {}, bj = {};
	struct ipo_run ri, rj;
	struct pt_method *m = NULL;
	u64 fuel = c->fuel ? c->fuel : PT_FUEL_DEFAULT;
	u64 r0i, r0j;
	size_t i;
	bool same;

	for (i = 0; o && i < o->nr; i++)
		if (o->m[i].name && !strcmp(o->m[i].name, method))
			m = &o->m[i];
	if (!m || !m->ok) {
		tap_ok(false, "%s.%s: %s", o ? o->name : "?", method,
		       m ? "not verified" : "no such method");
		return c->ret = PT_MISMATCH;
	}
	if (bufs_init(&bi, obj, obj_size, c) ||
	    bufs_init(&bj, obj, obj_size, c)) {
		bufs_free(&bi);
		bufs_free(&bj);
		tap_ok(false, "%s.%s: out of memory", o->name, method);
		return c->ret = PT_MISMATCH;
	}
	r0i = run_on(ipo_interp_run, m, &bi, c, &ri);
	r0j = run_on(ipo_jit_run_prog, m, &bj, c, &rj);
	same = r0i == r0j && ri.abort == rj.abort && ri.fuel == rj.fuel &&
	       (!ri.abort || ri.abort_pc == rj.abort_pc) &&
	       !memcmp(bi.obj, bj.obj, obj_size) &&
	       !memcmp(bi.out, bj.out, c->out_size);
	if (!same) {
		tap_ok(false, "%s.%s: interpreter and JIT disagree", o->name,
		       method);
		printf("#   interp r0=%#llx abort=%u pc=%u fuel=%lld\n",
		       (unsigned long long)r0i, ri.abort, ri.abort_pc,
		       (long long)ri.fuel);
		printf("#   jit    r0=%#llx abort=%u pc=%u fuel=%lld\n",
		       (unsigned long long)r0j, rj.abort, rj.abort_pc,
		       (long long)rj.fuel);
	}
	/* A method returns int: the low 32 bits of r0, sign-extended. */
	c->ret = same ? (int)(u32)r0i : PT_MISMATCH;
	c->abort = ri.abort;
	c->abort_pc = ri.abort_pc;
	c->fuel_used = ri.fuel < 0 ? fuel : fuel - ri.fuel;
	memset(c->out, 0, sizeof(c->out));
	memcpy(c->out, bi.out,
	       c->out_size < sizeof(c->out) ? c->out_size : sizeof(c->out));
	memcpy(obj, bi.obj, obj_size);
	bufs_free(&bi);
	bufs_free(&bj);
	return c->ret;
}

unsigned int pt_insn_cnt(struct pt_obj *o, const char *method)
{
	size_t i;

	for (i = 0; o && i < o->nr; i++)
		if (o->m[i].name && !strcmp(o->m[i].name, method))
			return o->m[i].prog.len;
	return 0;
}

int pt_call(struct pt_obj *o, const char *method, void *obj, u32 obj_size,
	    const void *arg, u32 arg_size, void *out, u32 out_size)
{
	struct pt_call c = {
		.arg = arg,
		.arg_size = arg_size,
		.out_size = out_size,
		.tgid = 4242,
	};
	int ret = pt_run(o, method, obj, obj_size, &c);

	if (c.abort && ret != PT_MISMATCH) {
		tap_ok(false, "%s.%s: aborted (%s at insn %u)",
		       o ? o->name : "?", method, ipo_abort_str(c.abort),
		       c.abort_pc);
		ret = PT_MISMATCH;
	}
	if (out && out_size)
		memcpy(out, c.out,
		       out_size < sizeof(c.out) ? out_size : sizeof(c.out));
	return ret;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: ipo-progs-test DIR\n");
		return 2;
	}
	dir = argv[1];
	ipo_set_print(quiet_print);
	tap_start();
	test_counter();
	test_widgets();
	test_mailbox();
	test_kv();
	test_prime();
	test_edu_irq();
	test_ratelimit();
	test_bank();
	tap_diag("%u passed, %u failed", tap_count() - tap_failures(),
		 tap_failures());
	return tap_end();
}
