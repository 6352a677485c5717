// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The undo log as a property, on the host: random METHOD programs (the
 * module's own program type) of stores of every width and atomics at
 * random offsets, constant or through a register, ending at a random
 * point with an error, a bounds abort or success, verified by the
 * verifier and run on the interpreter and on the JIT with an undo log
 * (exec/undo.h).  Both engines must leave the same bytes and result; a
 * rollback must give back every object byte for byte as it was before,
 * also after several runs on two objects in one log (an atomic bundle);
 * a commit must keep what was written; the touch maps end all zero.
 */
#include "selftests/tap.h"

#include "verifier/verifier.h"
#include "exec/interp.h"
#include "exec/jit.h"
#include "exec/undo.h"
#include "base/progtypes.h"

#define INSN(c, d, s, o, i)	((struct ipo_insn){ (c), (d), (s), (o), (i) })
#define MAX_INSNS	400
#define ROUNDS		3000

static u64 rng = 0x2545f4914f6cdd1dULL;

static u64 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

struct gen {
	struct ipo_insn insns[MAX_INSNS];
	u32 n;
};

static void emit(struct gen *g, struct ipo_insn insn)
{
	if (g->n < MAX_INSNS)
		g->insns[g->n++] = insn;
}

static const u8 sizes[4] = { IPO_B, IPO_H, IPO_W, IPO_DW };

/* A random method for an object of about @size bytes. */
static void gen_method(struct gen *g, u32 size)
{
	u32 i, nops = 1 + rnd() % 40;

	g->n = 0;
	emit(g, INSN(IPO_LDX | IPO_MEM | IPO_DW, 6, 1,
		     offsetof(struct ipo_method_ctx, obj), 0));
	emit(g, INSN(IPO_ALU64 | IPO_MOV | IPO_K, 7, 0, 0, (s32)rnd()));
	for (i = 0; i < nops; i++) {
		u32 w = rnd() % 4, width = 1U << w;
		u64 off = rnd() % 3 ? rnd() % size : size - 1 - rnd() % 70;

		if (!(rnd() % 50))
			off = size + rnd() % 16;	/* out of bounds */
		if (!(rnd() % 60)) {
			/* A failure at a random point. */
			emit(g, INSN(IPO_ALU64 | IPO_MOV | IPO_K, 0, 0, 0, -5));
			emit(g, INSN(IPO_JMP | IPO_EXIT, 0, 0, 0, 0));
			return;
		}
		off &= 0x7fffffff;
		switch (rnd() % 4) {
		case 0:	/* constant offset, immediate */
			if (off > 32767)
				off %= 32768;
			emit(g, INSN(IPO_ST | IPO_MEM | sizes[w], 6, 0, off,
				     (s32)rnd()));
			break;
		case 1:	/* through a register */
			emit(g, INSN(IPO_ALU64 | IPO_MOV | IPO_K, 2, 0, 0,
				     (s32)off));
			emit(g, INSN(IPO_ALU64 | IPO_MOV | IPO_X, 3, 6, 0, 0));
			emit(g, INSN(IPO_ALU64 | IPO_ADD | IPO_X, 3, 2, 0, 0));
			emit(g, INSN(IPO_STX | IPO_MEM | sizes[w], 3, 7, 0, 0));
			break;
		case 2:	/* an atomic, aligned */
			off &= ~7ULL;
			if (off > 32767)
				off %= 32768;
			w = 2 + rnd() % 2;
			emit(g, INSN(IPO_STX | IPO_ATOMIC | sizes[w], 6, 7,
				     off & ~(u64)((1U << w) - 1),
				     rnd() & 1 ? IPO_ADD : IPO_XOR | IPO_FETCH));
			break;
		default: /* a new value */
			emit(g, INSN(IPO_ALU64 | IPO_MUL | IPO_K, 7, 0, 0,
				     0x9e37 + (s32)width));
			break;
		}
	}
	emit(g, INSN(IPO_ALU64 | IPO_MOV | IPO_K, 0, 0, 0, 0));
	emit(g, INSN(IPO_JMP | IPO_EXIT, 0, 0, 0, 0));
}

static void *t_alloc(struct ipo_undo *u)
{
	return malloc(IPO_UNDO_CHUNK);
}

static void t_free(struct ipo_undo *u, void *c)
{
	free(c);
}

struct t_obj {
	struct ipo_undo_obj uo;
	u8 *pre;
};

static void t_obj_init(struct t_obj *o, u32 size)
{
	u32 i;

	o->uo.size = size;
	o->uo.data = malloc(size);
	o->uo.map = calloc(1, ipo_undo_map_size(size));
	o->pre = malloc(size);
	if (!o->uo.data || !o->uo.map || !o->pre)
		abort();
	for (i = 0; i < size; i++)
		o->uo.data[i] = rnd();
	memcpy(o->pre, o->uo.data, size);
}

static void t_obj_free(struct t_obj *o)
{
	free(o->uo.data);
	free(o->uo.map);
	free(o->pre);
}

static bool t_map_clear(const struct t_obj *o)
{
	u64 i;

	for (i = 0; i < ipo_undo_map_size(o->uo.size); i++)
		if (o->uo.map[i])
			return false;
	return true;
}

/* One run of @prog on @o, logged in @u; *jit: on the JIT. */
static u64 t_run(const struct ipo_prog *prog, const struct ipo_jit_image *img,
		 struct t_obj *o, struct ipo_undo *u, struct ipo_run *run)
{
	struct ipo_method_ctx ctx;
	u64 args[5] = { 0 };

	memset(&ctx, 0, sizeof(ctx));
	memset(run, 0, sizeof(*run));
	ctx.obj = o->uo.data;
	ctx.obj_size = o->uo.size;
	run->base[IPO_RGN_CTX] = (u64)(unsigned long)&ctx;
	run->size[IPO_RGN_CTX] = sizeof(ctx);
	run->base[IPO_RGN_OBJ] = (u64)(unsigned long)o->uo.data;
	run->size[IPO_RGN_OBJ] = o->uo.size;
	run->fuel = 100000;
	args[0] = run->base[IPO_RGN_CTX];
	if (u)
		ipo_undo_start(u, &o->uo, run);
	return img ? ipo_jit_run(img, run, args) :
		     ipo_interp_run(prog, run, args);
}

static u32 t_size(void)
{
	static const u32 sz[] = { 16, 64, 65, 257, 4096, 4100, 70000 };

	return sz[rnd() % (sizeof(sz) / sizeof(sz[0]))];
}

int main(void)
{
	static char logbuf[4096];
	u32 round, verified = 0, failed_runs = 0, logged = 0;
	bool ok_same = true, ok_back = true, ok_commit = true, ok_map = true;

	tap_start();
	for (round = 0; round < ROUNDS; round++) {
		struct ipo_vlog log = { .buf = logbuf, .size = sizeof(logbuf) };
		struct ipo_undo u[2] = {
			{ .alloc = t_alloc, .free = t_free },
			{ .alloc = t_alloc, .free = t_free },
		};
		struct ipo_insn_aux aux[MAX_INSNS];
		struct ipo_prog prog = { 0 };
		struct ipo_jit_image img;
		struct t_obj o[2][2];	/* [engine][object] */
		struct ipo_run run[2];
		struct gen g;
		u32 size[2] = { t_size(), t_size() }, e, k, nruns;
		u64 r0[2];
		bool failed = false;

		gen_method(&g, size[0]);
		prog.insns = g.insns;
		prog.len = g.n;
		prog.type = &ipo_progtype_method;
		prog.aux = aux;
		if (ipo_verify(&prog, &log)) {
			tap_ok(false, "round %u: rejected: %s", round, logbuf);
			continue;
		}
		verified++;
		if (ipo_jit_compile(&prog, &ipo_jit_host_mem, &img)) {
			tap_ok(false, "round %u: JIT failed", round);
			continue;
		}
		rng ^= round;
		for (k = 0; k < 2; k++) {
			u64 seed = rng;

			for (e = 0; e < 2; e++) {
				rng = seed;
				t_obj_init(&o[e][k], size[k]);
			}
		}
		/* Up to three runs on the two objects in one log, as atomic. */
		nruns = 1 + rnd() % 3;
		for (k = 0; k < nruns && !failed; k++) {
			struct t_obj *obj[2] = { &o[0][k & 1], &o[1][k & 1] };

			for (e = 0; e < 2; e++)
				r0[e] = t_run(&prog, e ? &img : NULL, obj[e],
					      &u[e], &run[e]);
			if (r0[0] != r0[1] || run[0].abort != run[1].abort ||
			    run[0].abort_pc != run[1].abort_pc ||
			    memcmp(obj[0]->uo.data, obj[1]->uo.data,
				   obj[0]->uo.size))
				ok_same = false;
			failed = run[0].abort || (s32)r0[0] < 0;
		}
		logged += u[0].nr_recs;
		for (e = 0; e < 2; e++) {
			if (failed || rnd() % 2) {
				ipo_undo_rollback(&u[e]);
				for (k = 0; k < 2; k++)
					if (memcmp(o[e][k].uo.data, o[e][k].pre,
						   size[k]))
						ok_back = false;
			} else {
				u8 *keep = malloc(size[0] + size[1]);

				memcpy(keep, o[e][0].uo.data, size[0]);
				memcpy(keep + size[0], o[e][1].uo.data,
				       size[1]);
				ipo_undo_commit(&u[e]);
				if (memcmp(keep, o[e][0].uo.data, size[0]) ||
				    memcmp(keep + size[0], o[e][1].uo.data,
					   size[1]))
					ok_commit = false;
				free(keep);
			}
			for (k = 0; k < 2; k++) {
				if (!t_map_clear(&o[e][k]))
					ok_map = false;
				t_obj_free(&o[e][k]);
			}
			ipo_undo_release(&u[e]);
		}
		failed_runs += failed;
		ipo_jit_free(&img);
	}
	tap_ok(verified == ROUNDS, "%u of %u random methods verified",
	       verified, ROUNDS);
	tap_ok(failed_runs > ROUNDS / 10 && failed_runs < ROUNDS - ROUNDS / 10,
	       "%u of the bundles failed at a random point", failed_runs);
	tap_ok(logged > ROUNDS, "%u granules logged", logged);
	tap_ok(ok_same, "interpreter and JIT leave the same bytes and result");
	tap_ok(ok_back, "a rollback gives back every byte, on both engines");
	tap_ok(ok_commit, "a commit keeps every byte written");
	tap_ok(ok_map, "the touch maps end clear");
	return tap_end();
}
