// SPDX-License-Identifier: GPL-2.0
/*
 * ipo-engine-bench: how the engine's costs grow with program size.
 *
 * Rows are (generator, size): generated "method" programs of 1k, 16k, 256k
 * and 1M instructions, straight-line or branchy.  Columns are measures,
 * each reported per instruction (best of a few runs) with its ratio to the
 * smallest size, so linearity can be read off: a ratio near 1.0 at every
 * size means time grows linearly.  To add a measure (JIT compile time, run
 * time), append to bench_measures[]; to add a shape, to bench_gens[].
 *
 * usage: ipo-engine-bench [--max-size N] [--runs N]
 */
#include <getopt.h>
#include <time.h>

#include "verifier/verifier.h"
#include "exec/jit.h"
#include "base/host_types.h"

struct bench_prog {
	struct ipo_insn *insns;
	u32 len, cap;
};

static void emit(struct bench_prog *p, u8 code, u8 dst, u8 src, s16 off,
		 s32 imm)
{
	if (p->len == p->cap) {
		fprintf(stderr, "ipo-engine-bench: generator overflow\n");
		exit(2);
	}
	p->insns[p->len++] = (struct ipo_insn){
		.code = code, .dst = dst, .src = src, .off = off, .imm = imm,
	};
}

#define ALU64_K(op, d, k)	emit(p, IPO_ALU64 | IPO_K | (op), d, 0, 0, k)
#define ALU64_X(op, d, s)	emit(p, IPO_ALU64 | IPO_X | (op), d, s, 0, 0)
#define LDX(sz, d, s, o)	emit(p, IPO_LDX | IPO_MEM | (sz), d, s, o, 0)
#define STX(sz, d, s, o)	emit(p, IPO_STX | IPO_MEM | (sz), d, s, o, 0)
#define JMP_K(op, d, k, o)	emit(p, IPO_JMP | IPO_K | (op), d, 0, o, k)
#define JA(o)			emit(p, IPO_JMP | IPO_JA, 0, 0, o, 0)
#define CALL_LOCAL(rel)		emit(p, IPO_JMP | IPO_CALL, 0, \
				     IPO_PSEUDO_CALL, 0, rel)
#define EXIT()			emit(p, IPO_JMP | IPO_EXIT, 0, 0, 0, 0)

/* r6 = object, r2/r3 = 0: what every generated main starts with. */
static void prologue(struct bench_prog *p)
{
	LDX(IPO_DW, IPO_R6, IPO_R1, 0);
	ALU64_K(IPO_MOV, IPO_R2, 0);
	ALU64_K(IPO_MOV, IPO_R3, 0);
}

static void epilogue(struct bench_prog *p)
{
	ALU64_K(IPO_MOV, IPO_R0, 0);
	EXIT();
}

/* ALU, a spill and a fill, loads from and stores to the object. */
static void gen_straight(struct bench_prog *p, u32 n)
{
	prologue(p);
	while (p->len + 8 + 2 <= n) {
		LDX(IPO_DW, IPO_R1, IPO_R6, 8);
		ALU64_X(IPO_ADD, IPO_R2, IPO_R1);
		ALU64_K(IPO_XOR, IPO_R2, 0x55);
		STX(IPO_DW, IPO_FP, IPO_R2, -8);
		LDX(IPO_DW, IPO_R3, IPO_FP, -8);
		ALU64_K(IPO_LSH, IPO_R3, 3);
		STX(IPO_W, IPO_R6, IPO_R3, 16);
		ALU64_X(IPO_MOV, IPO_R2, IPO_R3);
	}
	while (p->len + 2 < n)
		ALU64_K(IPO_ADD, IPO_R3, 1);
	epilogue(p);
}

/* A chain of diamonds: every block joins two states that differ. */
static void gen_diamonds(struct bench_prog *p, u32 n)
{
	prologue(p);
	while (p->len + 7 + 2 <= n) {
		LDX(IPO_DW, IPO_R1, IPO_R6, 0);
		JMP_K(IPO_JGT, IPO_R1, 100, 2);
		ALU64_K(IPO_MOV, IPO_R2, 1);
		JA(1);
		ALU64_K(IPO_MOV, IPO_R2, 2);
		ALU64_X(IPO_ADD, IPO_R3, IPO_R2);
		STX(IPO_DW, IPO_FP, IPO_R3, -16);
	}
	while (p->len + 2 < n)
		ALU64_K(IPO_ADD, IPO_R3, 1);
	epilogue(p);
}

/* Small counted loops, one after another: back edges everywhere. */
static void gen_loops(struct bench_prog *p, u32 n)
{
	prologue(p);
	while (p->len + 6 + 2 <= n) {
		ALU64_K(IPO_MOV, IPO_R4, 0);
		ALU64_K(IPO_ADD, IPO_R4, 1);		/* loop: */
		ALU64_X(IPO_ADD, IPO_R3, IPO_R4);
		LDX(IPO_B, IPO_R5, IPO_R6, 3);
		ALU64_X(IPO_ADD, IPO_R3, IPO_R5);
		JMP_K(IPO_JLT, IPO_R4, 4, -5);		/* goto loop */
	}
	while (p->len + 2 < n)
		ALU64_K(IPO_ADD, IPO_R3, 1);
	epilogue(p);
}

/* Main calls many small functions, each once, with an argument. */
static void gen_calls(struct bench_prog *p, u32 n)
{
	const u32 call_len = 3, fn_len = 6;
	u32 k = (n - 6) / (call_len + fn_len), i, main_end;

	prologue(p);
	ALU64_K(IPO_MOV, IPO_R7, 0);
	main_end = p->len + k * call_len + 2;
	for (i = 0; i < k; i++) {
		u32 fn = main_end + i * fn_len;

		/* r7 accumulates: calls clobber r1..r5. */
		ALU64_X(IPO_MOV, IPO_R1, IPO_R7);
		CALL_LOCAL((s32)(fn - p->len - 1));
		ALU64_X(IPO_ADD, IPO_R7, IPO_R0);
	}
	epilogue(p);
	for (i = 0; i < k; i++) {
		ALU64_X(IPO_MOV, IPO_R0, IPO_R1);
		ALU64_K(IPO_MUL, IPO_R0, 3);
		ALU64_K(IPO_ADD, IPO_R0, 1);
		STX(IPO_DW, IPO_FP, IPO_R0, -8);
		LDX(IPO_DW, IPO_R0, IPO_FP, -8);
		EXIT();
	}
}

struct bench_gen {
	const char *name;
	void (*gen)(struct bench_prog *p, u32 n);
};

static const struct bench_gen bench_gens[] = {
	{ "straight", gen_straight },
	{ "diamonds", gen_diamonds },
	{ "loops", gen_loops },
	{ "calls", gen_calls },
};

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* One measure: nanoseconds for one go over @prog, or 0 on failure. */
struct bench_measure {
	const char *name;
	u64 (*once)(struct ipo_prog *prog, char *err, size_t sz);
};

static char bench_log[4096];

static u64 measure_verify(struct ipo_prog *prog, char *err, size_t sz)
{
	struct ipo_vlog log = { .buf = bench_log, .size = sizeof(bench_log) };
	u64 t0, t1;
	int ret;

	memset(prog->aux, 0, prog->len * sizeof(*prog->aux));
	prog->verified = false;
	t0 = now_ns();
	ret = ipo_verify(prog, &log);
	t1 = now_ns();
	if (ret) {
		snprintf(err, sz, "rejected (%d): %.200s", ret, bench_log);
		return 0;
	}
	return t1 - t0 ? t1 - t0 : 1;
}

/* JIT compile, including the mmap/mprotect of the code; after "verify". */
static u64 measure_jit(struct ipo_prog *prog, char *err, size_t sz)
{
	struct ipo_jit_image img;
	u64 t0, t1;
	int ret;

	if (!prog->verified) {
		snprintf(err, sz, "not verified");
		return 0;
	}
	t0 = now_ns();
	ret = ipo_jit_compile(prog, &ipo_jit_host_mem, &img);
	t1 = now_ns();
	if (ret) {
		snprintf(err, sz, "jit failed (%d)", ret);
		return 0;
	}
	ipo_jit_free(&img);
	return t1 - t0 ? t1 - t0 : 1;
}

static const struct bench_measure bench_measures[] = {
	{ "verify", measure_verify },
	{ "jit", measure_jit },
};

#define NR_MEASURES	ARRAY_SIZE(bench_measures)

static const u32 bench_sizes[] = { 1 << 10, 1 << 14, 1 << 18, 1 << 20 };

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "max-size", required_argument, NULL, 's' },
		{ "runs", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	u32 max_size = 1 << 20, runs = 0, g, s, m, r;
	double base[NR_MEASURES];
	struct bench_prog p;
	int c, failed = 0;

	while ((c = getopt_long(argc, argv, "s:r:", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			max_size = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			runs = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr,
				"usage: ipo-engine-bench [--max-size N] [--runs N]\n");
			return 2;
		}
	}

	p.cap = 1 << 20;
	p.insns = calloc(p.cap, sizeof(*p.insns));
	if (!p.insns)
		return 2;

	printf("%-10s %9s", "program", "insns");
	for (m = 0; m < NR_MEASURES; m++)
		printf("  %10s ns/insn  ratio", bench_measures[m].name);
	printf("\n");

	for (g = 0; g < ARRAY_SIZE(bench_gens); g++) {
		/* Ratios are to the smallest size of the same shape. */
		memset(base, 0, sizeof(base));
		for (s = 0; s < ARRAY_SIZE(bench_sizes); s++) {
			struct ipo_prog prog = {
				.type = test_prog_type(TEST_METHOD),
			};
			u32 n = bench_sizes[s];
			u32 nruns = runs ? runs : n <= (1 << 14) ? 20 :
				    n <= (1 << 18) ? 5 : 3;

			if (n > max_size)
				continue;
			p.len = 0;
			bench_gens[g].gen(&p, n);
			prog.insns = p.insns;
			prog.len = p.len;
			prog.aux = calloc(p.len, sizeof(*prog.aux));
			if (!prog.aux)
				return 2;
			printf("%-10s %9u", bench_gens[g].name, p.len);
			for (m = 0; m < NR_MEASURES; m++) {
				u64 best = 0, t;
				char err[300] = "";
				double per;

				for (r = 0; r < nruns; r++) {
					t = bench_measures[m].once(&prog, err,
								   sizeof(err));
					if (!t)
						break;
					if (!best || t < best)
						best = t;
				}
				if (!best || r < nruns) {
					printf("  %10s          %5s", "FAIL", "-");
					printf("\n# %s %s: %s", bench_gens[g].name,
					       bench_measures[m].name, err);
					failed = 1;
					continue;
				}
				per = (double)best / p.len;
				if (!base[m])
					base[m] = per;
				printf("  %18.2f  %5.2f", per, per / base[m]);
			}
			printf("\n");
			fflush(stdout);
			free(prog.aux);
		}
	}
	free(p.insns);
	return failed;
}
