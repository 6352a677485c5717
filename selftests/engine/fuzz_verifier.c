// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness of the verifier: arbitrary bytes are a program (after
 * an 8-byte header choosing the program type and buffer sizes, see
 * base/host_types.h).  Whatever ipo_verify() accepts runs on the interpreter
 * with a bounded fuel, on exact-size heap buffers.  A finding is:
 *   - a crash or sanitizer report, in the verifier or in the run (an
 *     access the verifier should have stopped or marked for a check);
 *   - a rejection whose log does not start with "N:" naming an instruction;
 *   - a run that stops in a way a verified program cannot (bounds abort at
 *     an unchecked instruction, pc past the end);
 *   - an address of the run in r0 or in memory userspace can read;
 *   - the JIT, run on a second copy of the buffers, ending differently
 *     (r0, abort reason and pc, fuel left, any writable byte);
 *   - with an object (the method type), either engine recording its
 *     writes in an undo log (exec/undo.h) ending differently from the
 *     run without one, or a rollback that does not give back the object
 *     as it was before the run, byte for byte, or leaves a touch map
 *     byte set; and a commit that changes a byte or leaves one set.
 */
#include <ctype.h>

#include "verifier/verifier.h"
#include "exec/interp.h"
#include "exec/jit.h"
#include "exec/undo.h"
#include "base/host_types.h"

#define FUZZ_FUEL	20000
#define FUZZ_MAX_INSNS	4096

static char fuzz_log[1 << 14];

static void fuzz_fail(const char *what, const char *detail);

static void fuzz_env_fill(struct test_env *env, u8 fill)
{
	u32 i, r;

	for (r = 0; r < IPO_NR_REGIONS; r++)
		for (i = 0; env->buf[r] && r != IPO_RGN_CTX && i < env->len[r];
		     i++)
			env->buf[r][i] = fill + i * 7;
}

/* The same program on the JIT must end exactly as on the interpreter. */
static void fuzz_jit_diff(const struct ipo_prog *prog,
			  const struct test_fuzz_input *in,
			  const struct test_env *ienv,
			  const struct ipo_run *irun, u64 ir0)
{
	struct ipo_run run = { .fuel = FUZZ_FUEL };
	struct test_env env;
	char why[200];
	u64 args[5], r0;
	u32 r;

	if (test_env_init(&env, in->kind, in->len, NULL))
		abort();
	fuzz_env_fill(&env, in->fill);
	test_env_setup(&env, &run, args);
	r0 = ipo_jit_run_prog(prog, &run, args);
	snprintf(why, sizeof(why),
		 "r0 %llx/%llx abort %u/%u at %u/%u fuel %lld/%lld",
		 (unsigned long long)ir0, (unsigned long long)r0, irun->abort,
		 run.abort, irun->abort_pc, run.abort_pc,
		 (long long)irun->fuel, (long long)run.fuel);
	if (r0 != ir0 || run.abort != irun->abort ||
	    run.abort_pc != irun->abort_pc || run.fuel != irun->fuel)
		fuzz_fail("interp/jit differ", why);
	for (r = 0; r < IPO_NR_REGIONS; r++)
		if (env.buf[r] && r != IPO_RGN_CTX &&
		    memcmp(env.buf[r], ienv->buf[r], env.len[r]))
			fuzz_fail("interp/jit differ in memory",
				  test_region_name(r));
	test_env_free(&env);
}

static void *fuzz_undo_alloc(struct ipo_undo *u)
{
	return malloc(IPO_UNDO_CHUNK);
}

static void fuzz_undo_free(struct ipo_undo *u, void *chunk)
{
	free(chunk);
}

/*
 * The run again on one engine, its object writes logged: it must end as
 * the interpreter's run without a log did (@ienv, @irun, @ir0); then a
 * rollback must give back the object as filled before the run (@commit:
 * a commit must keep it as the run left it), with the map all zero.
 */
static void fuzz_undo(const struct ipo_prog *prog,
		      const struct test_fuzz_input *in,
		      const struct test_env *ienv,
		      const struct ipo_run *irun, u64 ir0, bool jit,
		      bool commit)
{
	struct ipo_undo u = {
		.alloc = fuzz_undo_alloc, .free = fuzz_undo_free,
	};
	struct ipo_run run = { .fuel = FUZZ_FUEL };
	struct ipo_undo_obj o;
	struct test_env env;
	u64 lent[(sizeof(struct ipo_undo_chunk) +
		  sizeof(struct ipo_undo_rec) + 7) / 8];
	u8 *pre;
	char why[200];
	u64 args[5], r0, i;
	u32 r;

	if (test_env_init(&env, in->kind, in->len, NULL))
		abort();
	fuzz_env_fill(&env, in->fill);
	test_env_setup(&env, &run, args);
	o.data = env.buf[IPO_RGN_OBJ];
	o.size = env.len[IPO_RGN_OBJ];
	o.map = calloc(1, ipo_undo_map_size(o.size) + 1);
	pre = malloc(o.size + 1);
	if (!o.map || !pre)
		abort();
	memcpy(pre, o.data, o.size);
	/* Sometimes a lent first chunk of one record, as the module lends. */
	if (in->fill & 2)
		ipo_undo_lend(&u, lent, sizeof(lent));
	ipo_undo_start(&u, &o, &run);
	r0 = jit ? ipo_jit_run_prog(prog, &run, args) :
		   ipo_interp_run(prog, &run, args);
	snprintf(why, sizeof(why),
		 "%s: r0 %llx/%llx abort %u/%u at %u/%u fuel %lld/%lld",
		 jit ? "jit" : "interp",
		 (unsigned long long)ir0, (unsigned long long)r0, irun->abort,
		 run.abort, irun->abort_pc, run.abort_pc,
		 (long long)irun->fuel, (long long)run.fuel);
	if (r0 != ir0 || run.abort != irun->abort ||
	    run.abort_pc != irun->abort_pc || run.fuel != irun->fuel)
		fuzz_fail("undo log changes the run", why);
	for (r = 0; r < IPO_NR_REGIONS; r++)
		if (env.buf[r] && r != IPO_RGN_CTX &&
		    memcmp(env.buf[r], ienv->buf[r], env.len[r]))
			fuzz_fail("undo log changes memory", why);
	if (commit)
		ipo_undo_commit(&u);
	else
		ipo_undo_rollback(&u);
	if (memcmp(o.data, commit ? ienv->buf[IPO_RGN_OBJ] : pre, o.size))
		fuzz_fail(commit ? "commit changes the object" :
				   "rollback leaves a changed byte", why);
	for (i = 0; i < ipo_undo_map_size(o.size); i++)
		if (o.map[i])
			fuzz_fail("touch map byte left set", why);
	if (u.nr_recs || u.head)
		fuzz_fail("log not empty", why);
	ipo_undo_release(&u);
	free(pre);
	free(o.map);
	test_env_free(&env);
}

static void fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_verifier: %s: %s\nlog:\n%s\n", what, detail,
		fuzz_log);
	__builtin_trap();
}

static void fuzz_check_log(const struct ipo_vlog *log, int err)
{
	const char *p = fuzz_log;

	if (log->len >= sizeof(fuzz_log) || fuzz_log[log->len] ||
	    strlen(fuzz_log) != log->len)
		fuzz_fail("log", "length or terminator wrong");
	if (err != -EINVAL)
		return;
	/* Some line of a rejection names the instruction. */
	while (*p) {
		if (isdigit((unsigned char)*p)) {
			while (isdigit((unsigned char)*p))
				p++;
			if (*p == ':')
				return;
		}
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	if (!log->truncated)
		fuzz_fail("log", "rejection names no instruction");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipo_vlog log = { .buf = fuzz_log, .size = sizeof(fuzz_log) };
	struct test_fuzz_input in;
	struct ipo_prog prog = { 0 };
	struct ipo_insn *insns;
	struct test_env env;
	struct ipo_run run = { .fuel = FUZZ_FUEL };
	char why[200];
	u64 args[5], r0;
	u32 n;
	int err;

	if (size < TEST_FUZZ_HDR + sizeof(struct ipo_insn))
		return 0;
	n = (size - TEST_FUZZ_HDR) / sizeof(struct ipo_insn);
	if (n > FUZZ_MAX_INSNS)
		return 0;
	test_fuzz_hdr_parse(data, &in);

	/* Exact-size copies: reading past the program is an ASan report. */
	insns = malloc(n * sizeof(*insns));
	prog.aux = calloc(n, sizeof(*prog.aux));
	if (!insns || !prog.aux)
		abort();
	memcpy(insns, data + TEST_FUZZ_HDR, n * sizeof(*insns));
	prog.insns = insns;
	prog.len = n;
	prog.type = test_prog_type(in.kind);
	log.level = in.log_level;
	fuzz_log[0] = 0;

	err = ipo_verify(&prog, &log);
	fuzz_check_log(&log, err);
	if (err) {
		if (prog.verified)
			fuzz_fail("verdict", "error returned but verified set");
		goto out;
	}
	if (!prog.verified)
		fuzz_fail("verdict", "0 returned but verified not set");

	if (test_env_init(&env, in.kind, in.len, NULL))
		abort();
	fuzz_env_fill(&env, in.fill);
	test_env_setup(&env, &run, args);
	r0 = ipo_interp_run(&prog, &run, args);
	if (test_run_impossible(&prog, &run, why, sizeof(why)))
		fuzz_fail("run", why);
	if (test_env_leak(&env, &run, r0, why, sizeof(why)))
		fuzz_fail("leak", why);
	fuzz_jit_diff(&prog, &in, &env, &run, r0);
	if (env.buf[IPO_RGN_OBJ]) {
		fuzz_undo(&prog, &in, &env, &run, r0, false, in.fill & 1);
		fuzz_undo(&prog, &in, &env, &run, r0, true, !(in.fill & 1));
	}
	test_env_free(&env);
out:
	free(prog.aux);
	free(insns);
	return 0;
}
