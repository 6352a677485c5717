// SPDX-License-Identifier: GPL-2.0
/*
 * ipo-jit-bench: run time of a few programs on the interpreter, on the JIT
 * and as the same algorithm in C compiled with gcc -O2, with the ratios.
 *
 * Each program runs twice: as a "mem" program (r1 = buffer, r2 = its
 * length, size known only at run time), so every access to the buffer is a
 * run-time bounds check in both engines, the JIT's worst case; and as a
 * program of a type whose buffer has a fixed minimum size, where the
 * verifier proves the accesses in bounds and the JIT emits plain loads and
 * stores.  Each row is the best of several runs; the buffer is reset
 * before each run.
 *
 * usage: ipo-jit-bench [--runs N]
 */
#include <getopt.h>
#include <time.h>

#include "verifier/verifier.h"
#include "jit/interp.h"
#include "jit/jit.h"
#include "selftests/engine/asm.h"
#include "selftests/engine/test_types.h"

#define BENCH_BUF	8192
#define PRIME_MAX	5000

/* Trial division: primes below PRIME_MAX. */
static const char prime_src[] =
	"	r0 = 0\n"
	"	r6 = 2\n"
	"outer:	r7 = 2\n"
	"inner:	r8 = r7\n"
	"	r8 *= r7\n"
	"	if r8 > r6 goto prime\n"
	"	r9 = r6\n"
	"	r9 %= r7\n"
	"	if r9 == 0 goto next\n"
	"	r7 += 1\n"
	"	goto inner\n"
	"prime:	r0 += 1\n"
	"next:	r6 += 1\n"
	"	if r6 < 5000 goto outer\n"
	"	exit\n";

/* Copy the first 4 KiB of the buffer over the second, 8 bytes at a time. */
static const char memcpy_src[] =
	"	r3 = 0\n"
	"loop:	if r3 > 4088 goto out\n"
	"	r4 = r1\n"
	"	r4 += r3\n"
	"	r5 = *(u64 *)(r4 + 0)\n"
	"	*(u64 *)(r4 + 4096) = r5\n"
	"	r3 += 8\n"
	"	goto loop\n"
	"out:	r0 = r3\n"
	"	exit\n";

/* FNV-1a, 64 bits, over the whole buffer. */
static const char hash_src[] =
	"	r0 = 0xcbf29ce484222325 ll\n"
	"	r7 = 0x100000001b3 ll\n"
	"	r3 = 0\n"
	"loop:	if r3 >= r2 goto out\n"
	"	r4 = r1\n"
	"	r4 += r3\n"
	"	r5 = *(u8 *)(r4 + 0)\n"
	"	r0 ^= r5\n"
	"	r0 *= r7\n"
	"	r3 += 1\n"
	"	goto loop\n"
	"out:	exit\n";

/* Insertion sort of the first 64 u64 of the buffer. */
static const char sort_src[] =
	"	r3 = 1\n"
	"outer:	if r3 >= 64 goto done\n"
	"	r4 = r3\n"
	"	r4 <<= 3\n"
	"	r4 += r1\n"
	"	r5 = *(u64 *)(r4 + 0)\n"
	"	r6 = r3\n"
	"inner:	if r6 == 0 goto place\n"
	"	r7 = r6\n"
	"	r7 <<= 3\n"
	"	r7 += r1\n"
	"	r8 = *(u64 *)(r7 - 8)\n"
	"	if r8 <= r5 goto place\n"
	"	*(u64 *)(r7 + 0) = r8\n"
	"	r6 += -1\n"
	"	goto inner\n"
	"place:	r7 = r6\n"
	"	r7 <<= 3\n"
	"	r7 += r1\n"
	"	*(u64 *)(r7 + 0) = r5\n"
	"	r3 += 1\n"
	"	goto outer\n"
	"done:	r0 = *(u64 *)(r1 + 0)\n"
	"	exit\n";

/* The same algorithms in C; the barrier keeps gcc from folding them. */
#define BARRIER(p)	__asm__ volatile("" : : "r"(p) : "memory")

static u64 native_prime(u8 *buf, u64 len)
{
	u64 n, d, count = 0;
	volatile u64 max = PRIME_MAX;

	for (n = 2; n < max; n++) {
		for (d = 2; d * d <= n; d++)
			if (n % d == 0)
				goto next;
		count++;
next:;
	}
	return count;
}

static u64 native_memcpy(u8 *buf, u64 len)
{
	u64 i, v;

	BARRIER(buf);
	for (i = 0; i < 4096; i += 8) {
		memcpy(&v, buf + i, 8);
		memcpy(buf + i + 4096, &v, 8);
		BARRIER(buf);	/* one load and one store per step, like eBPF */
	}
	return i;
}

static u64 native_hash(u8 *buf, u64 len)
{
	u64 h = 0xcbf29ce484222325ULL, i;

	BARRIER(buf);
	for (i = 0; i < len; i++) {
		h ^= buf[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static u64 native_sort(u8 *buf, u64 len)
{
	u64 *a = (u64 *)buf, key;
	long i, j;

	BARRIER(buf);
	for (i = 1; i < 64; i++) {
		key = a[i];
		for (j = i; j > 0 && a[j - 1] > key; j--)
			a[j] = a[j - 1];
		a[j] = key;
	}
	return a[0];
}

/* A buffer of at least BENCH_BUF bytes: accesses are checked statically. */
static const struct ipo_prog_type bench_static_type = {
	.name = "bench-static",
	.entry_region = { IPO_RGN_MEM, IPO_RGN_NONE },
	.entry_scalar = { 0, 1 },
	.entry_scalar_max = { 0, BENCH_BUF },
	.regions = {
		[IPO_RGN_MEM] = {
			.flags = IPO_RGNF_READ | IPO_RGNF_WRITE,
			.min_size = BENCH_BUF,
		},
	},
};

struct bench_case {
	const char *name;
	const char *src;
	u64 (*native)(u8 *buf, u64 len);
};

static const struct bench_case bench_cases[] = {
	{ "prime", prime_src, native_prime },
	{ "memcpy", memcpy_src, native_memcpy },
	{ "hash", hash_src, native_hash },
	{ "sort64", sort_src, native_sort },
};

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void buf_reset(u8 *buf)
{
	u32 i;

	for (i = 0; i < BENCH_BUF; i++)
		buf[i] = (u8)(i * 2654435761U >> 13);
}

enum { ENG_INTERP, ENG_JIT, ENG_NATIVE, NR_ENG };

/* Best time of @runs runs of one engine; r0 of the last run in *r0. */
static u64 bench_engine(int eng, const struct bench_case *bc,
			const struct ipo_prog *prog,
			const struct ipo_jit_image *img, u8 *buf, u32 runs,
			u64 *r0, u32 *abort)
{
	u64 best = 0, t0, t1;
	u32 r;

	for (r = 0; r < runs; r++) {
		struct ipo_run run = { .fuel = 1LL << 40 };
		u64 args[5] = { (u64)(unsigned long)buf, BENCH_BUF };

		run.base[IPO_RGN_MEM] = args[0];
		run.size[IPO_RGN_MEM] = BENCH_BUF;
		buf_reset(buf);
		t0 = now_ns();
		if (eng == ENG_INTERP)
			*r0 = ipo_interp_run(prog, &run, args);
		else if (eng == ENG_JIT)
			*r0 = ipo_jit_run(img, &run, args);
		else
			*r0 = bc->native(buf, BENCH_BUF);
		t1 = now_ns();
		*abort = run.abort;
		if (!best || t1 - t0 < best)
			best = t1 - t0;
	}
	return best;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "runs", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	static char log_buf[4096];
	u8 *buf = aligned_alloc(64, BENCH_BUF);
	u32 runs = 20, i;
	int c, failed = 0;

	while ((c = getopt_long(argc, argv, "r:", opts, NULL)) != -1) {
		if (c != 'r') {
			fprintf(stderr, "usage: ipo-jit-bench [--runs N]\n");
			return 2;
		}
		runs = strtoul(optarg, NULL, 0);
	}
	if (!buf)
		return 2;

	printf("%-15s %12s %12s %12s %9s %9s\n", "program", "interp ns",
	       "jit ns", "native ns", "interp/jit", "jit/native");
	for (i = 0; i < 2 * ARRAY_SIZE(bench_cases); i++) {
		const struct bench_case *bc = &bench_cases[i % ARRAY_SIZE(bench_cases)];
		bool is_static = i >= ARRAY_SIZE(bench_cases);
		struct ipo_vlog log = { .buf = log_buf, .size = sizeof(log_buf) };
		struct ipo_prog prog = {
			.type = is_static ? &bench_static_type :
					    test_prog_type(TEST_MEM),
		};
		struct ipo_asm_prog ap;
		struct ipo_asm_err aerr;
		struct ipo_jit_image img;
		u64 t[NR_ENG], r0[NR_ENG] = { 0 };
		u32 ab[NR_ENG] = { 0 };
		char name[32];
		int e, err;

		if (ipo_asm(bc->src, 1, &ap, &aerr)) {
			printf("# %s: line %u: %s\n", bc->name, aerr.line,
			       aerr.msg);
			failed = 1;
			continue;
		}
		prog.insns = ap.insns;
		prog.len = ap.len;
		prog.aux = calloc(ap.len, sizeof(*prog.aux));
		if (!prog.aux)
			return 2;
		err = ipo_verify(&prog, &log);
		if (!err)
			err = ipo_jit_compile(&prog, &ipo_jit_host_mem, &img);
		if (err) {
			printf("# %s%s: rejected (%d): %s\n", bc->name,
			       is_static ? "/static" : "", err, log_buf);
			failed = 1;
			goto next;
		}
		for (e = 0; e < NR_ENG; e++)
			t[e] = bench_engine(e, bc, &prog, &img, buf, runs,
					    &r0[e], &ab[e]);
		snprintf(name, sizeof(name), "%s/%s", bc->name,
			 is_static ? "static" : "checked");
		printf("%-15s %12llu %12llu %12llu %9.1fx %9.2fx\n", name,
		       (unsigned long long)t[ENG_INTERP],
		       (unsigned long long)t[ENG_JIT],
		       (unsigned long long)t[ENG_NATIVE],
		       (double)t[ENG_INTERP] / t[ENG_JIT],
		       (double)t[ENG_JIT] / t[ENG_NATIVE]);
		if (r0[ENG_INTERP] != r0[ENG_JIT] ||
		    r0[ENG_JIT] != r0[ENG_NATIVE] || ab[ENG_INTERP] ||
		    ab[ENG_JIT]) {
			printf("# %s: results differ: interp %#llx (abort %u) jit %#llx (abort %u) native %#llx\n",
			       bc->name, (unsigned long long)r0[ENG_INTERP],
			       ab[ENG_INTERP], (unsigned long long)r0[ENG_JIT],
			       ab[ENG_JIT], (unsigned long long)r0[ENG_NATIVE]);
			failed = 1;
		}
		ipo_jit_free(&img);
next:
		free(prog.aux);
		ipo_asm_free(&ap);
	}
	free(buf);
	return failed;
}
