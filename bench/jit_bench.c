// SPDX-License-Identifier: GPL-2.0
/*
 * ipo-jit-bench: run time of a few programs on the interpreter, on the JIT
 * and as the same algorithm in C compiled with gcc -O2, with the ratios.
 * Built once more as ipo-jit-bench-dpdk (IPO_BENCH_DPDK, `make bench-jit`)
 * with a fourth column: the same bytecode on DPDK's eBPF JIT (rte_bpf_load
 * + rte_bpf_get_jit, r1 = the buffer), where DPDK's validator accepts it.
 *
 * DPDK's validator (22.11) refuses every program with a loop, so the loop
 * programs below come with loop-free twins, generated unrolled, that every
 * engine runs: the 4 KiB copy, FNV-1a over 1 KiB and a sorting network
 * (Batcher's odd-even merge) for the 64 integers.  Their native column is
 * the C loop of the same work (for the network, a loop over the table of
 * compare-exchanges), not unrolled C: jit/native compares straight-line
 * code with a loop there; these rows are for the dpdk column.
 *
 * Each program runs three times: as a "mem" program (r1 = buffer, r2 = its
 * length, size known only at run time), so every access to the buffer is a
 * run-time bounds check in both engines, the JIT's worst case ("checked");
 * as the same program preceded by a test of r2 against the buffer size it
 * needs, from which the verifier learns the size and proves the accesses
 * that stay below it ("tested": hash indexes by r2 itself, so its reads
 * stay checked); and as a program of a type whose buffer has a fixed
 * minimum size, where the verifier proves the accesses in bounds and the
 * JIT emits plain loads and stores ("static").  Each row is the best of
 * several runs; the buffer is reset before each run.
 *
 * --dump DIR writes each program as DIR/NAME.bpf (raw instructions, for
 * `ipo disasm --raw --jit --type mem`) and its JIT image as DIR/NAME.x86
 * (objdump -D -b binary -mi386:x86-64 -M intel), NAME as in the first
 * column with the slash a dot.
 *
 * usage: ipo-jit-bench [--runs N] [--dump DIR]
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <x86intrin.h>

#include "verifier/verifier.h"
#include "exec/interp.h"
#include "exec/jit.h"
#include "base/asm.h"
#include "base/host_types.h"
#ifdef IPO_BENCH_DPDK
#include "dpdk.h"
#endif

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

#define HASH_UNROLLED	1024	/* bytes hashed by the loop-free FNV-1a */
#define SORT_N		64

/* Appends a formatted line to a growing program text; exits on ENOMEM. */
static void src_add(char **src, size_t *len, const char *fmt, ...)
{
	va_list ap;
	size_t n;
	char *more;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	more = realloc(*src, *len + n + 1);
	if (!more) {
		fprintf(stderr, "ipo-jit-bench: out of memory\n");
		exit(2);
	}
	*src = more;
	va_start(ap, fmt);
	vsnprintf(*src + *len, n + 1, fmt, ap);
	va_end(ap);
	*len += n;
}

/* memcpy_src without the loop: 512 loads and stores at constant offsets. */
static char *gen_memcpy_unrolled(void)
{
	char *src = NULL;
	size_t len = 0;
	u32 i;

	for (i = 0; i < 4096; i += 8)
		src_add(&src, &len,
			"r5 = *(u64 *)(r1 + %u)\n*(u64 *)(r1 + %u) = r5\n",
			i, i + 4096);
	src_add(&src, &len, "r0 = 4096\nexit\n");
	return src;
}

/* hash_src without the loop, over the first HASH_UNROLLED bytes. */
static char *gen_hash_unrolled(void)
{
	char *src = NULL;
	size_t len = 0;
	u32 i;

	src_add(&src, &len, "r0 = 0xcbf29ce484222325 ll\n"
			    "r7 = 0x100000001b3 ll\n");
	for (i = 0; i < HASH_UNROLLED; i++)
		src_add(&src, &len,
			"r5 = *(u8 *)(r1 + %u)\nr0 ^= r5\nr0 *= r7\n", i);
	src_add(&src, &len, "exit\n");
	return src;
}

/*
 * Batcher's odd-even merge sort of SORT_N elements as a list of
 * compare-exchanges (543 for 64), shared by the eBPF and the C version.
 */
static u8 sort_net[1024][2];
static u32 sort_net_len;

static void sort_net_build(void)
{
	u32 p, k, j, i;

	if (sort_net_len)
		return;
	for (p = 1; p < SORT_N; p <<= 1)
		for (k = p; k >= 1; k >>= 1)
			for (j = k % p; j + k < SORT_N; j += 2 * k)
				for (i = 0; i < k && i + j + k < SORT_N; i++)
					if ((i + j) / (2 * p) ==
					    (i + j + k) / (2 * p)) {
						sort_net[sort_net_len][0] = i + j;
						sort_net[sort_net_len++][1] = i + j + k;
					}
}

static char *gen_sort_network(void)
{
	char *src = NULL;
	size_t len = 0;
	u32 c;

	sort_net_build();
	for (c = 0; c < sort_net_len; c++) {
		u32 a = sort_net[c][0] * 8, b = sort_net[c][1] * 8;

		src_add(&src, &len,
			"r3 = *(u64 *)(r1 + %u)\n"
			"r4 = *(u64 *)(r1 + %u)\n"
			"if r3 <= r4 goto +2\n"
			"*(u64 *)(r1 + %u) = r4\n"
			"*(u64 *)(r1 + %u) = r3\n", a, b, a, b);
	}
	src_add(&src, &len, "r0 = *(u64 *)(r1 + 0)\nexit\n");
	return src;
}

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

static u64 native_hash_1k(u8 *buf, u64 len)
{
	return native_hash(buf, HASH_UNROLLED);
}

static u64 native_sort_network(u8 *buf, u64 len)
{
	u64 *a = (u64 *)buf, x, y;
	u32 c;

	BARRIER(buf);
	for (c = 0; c < sort_net_len; c++) {
		x = a[sort_net[c][0]];
		y = a[sort_net[c][1]];
		if (x > y) {
			a[sort_net[c][0]] = y;
			a[sort_net[c][1]] = x;
		}
	}
	return a[0];
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
	.entry_size_of = { IPO_RGN_NONE, IPO_RGN_MEM },
	.regions = {
		[IPO_RGN_MEM] = {
			.flags = IPO_RGNF_READ | IPO_RGNF_WRITE,
			.min_size = BENCH_BUF,
		},
	},
};

enum bench_variant { V_CHECKED, V_TESTED, V_STATIC, NR_VARIANTS };

static const char *const variant_names[NR_VARIANTS] = {
	"checked", "tested", "static",
};

/* The "tested" variant: the size test in front of the program. */
static const char tested_prefix[] =
	"	if r2 >= 8192 goto +2\n"
	"	r0 = 0\n"
	"	exit\n";

/* @src, or @gen for a generated one. */
struct bench_case {
	const char *name;
	const char *src;
	char *(*gen)(void);
	u64 (*native)(u8 *buf, u64 len);
};

static const struct bench_case bench_cases[] = {
	{ "prime", prime_src, NULL, native_prime },
	{ "memcpy", memcpy_src, NULL, native_memcpy },
	{ "hash", hash_src, NULL, native_hash },
	{ "sort64", sort_src, NULL, native_sort },
	{ "memcpy-unr", NULL, gen_memcpy_unrolled, native_memcpy },
	{ "hash1k-unr", NULL, gen_hash_unrolled, native_hash_1k },
	{ "sort64-net", NULL, gen_sort_network, native_sort_network },
};

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * Timed regions read the time stamp counter (constant rate on every x86-64
 * this runs on; the benchmark needs the x86-64 JIT anyway), cheaper to
 * read than clock_gettime(); ticks are converted to ns once.  rdtscp waits
 * for the work before it; the lfence keeps the work after it from starting
 * early.
 */
static u64 now_ticks(void)
{
	unsigned int aux;
	u64 t = __rdtscp(&aux);

	_mm_lfence();
	return t;
}

/* What an empty timed region reads (best of many), taken off every run. */
static u64 timer_cost;
static double ticks_per_ns;

static void timer_calibrate(void)
{
	u64 t0, t1, c0, c1;
	u32 i;

	for (i = 0; i < 10000; i++) {
		t0 = now_ticks();
		t1 = now_ticks();
		if (!i || t1 - t0 < timer_cost)
			timer_cost = t1 - t0;
	}
	c0 = now_ticks();
	t0 = now_ns();
	do {
		t1 = now_ns();
	} while (t1 - t0 < 50000000);
	c1 = now_ticks();
	ticks_per_ns = (double)(c1 - c0) / (double)(t1 - t0);
}

/*
 * The buffer for run @r: other bytes in every run (the same for every
 * engine), so that no branch predictor can learn one input by heart over
 * the runs (the sorts' compares would then cost nothing).
 */
static void buf_reset(u8 *buf, u32 r)
{
	u64 x = 0x9e3779b97f4a7c15ULL * (r + 1);
	u32 i;

	for (i = 0; i < BENCH_BUF; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = (u8)(x >> 32);
	}
}

enum { ENG_INTERP, ENG_JIT, ENG_NATIVE, ENG_DPDK, NR_ENG };

#ifndef IPO_BENCH_DPDK
struct bench_dpdk;

static u64 bench_dpdk_run(const struct bench_dpdk *d, void *arg)
{
	return 0;
}
#endif

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * Time of one run of one engine, in ns: the mean of the fastest quarter of
 * @runs runs (at least one).  The counter moves in steps as coarse as 10 ns
 * on some hosts (a hypervisor's), so a single best run of a 70 ns program
 * is only good to one step; the runs start at random phases of the step,
 * so the mean of many fast ones resolves finer.  r0 of the last run in *r0.
 */
static double bench_engine(int eng, const struct bench_case *bc,
			   const struct ipo_prog *prog,
			   const struct ipo_jit_image *img,
			   const struct bench_dpdk *dpdk, u8 *buf, u32 runs,
			   u64 *r0, u32 *abort)
{
	u64 *t = calloc(runs, sizeof(*t)), t0, t1, sum = 0;
	u32 r, keep;

	if (!t) {
		fprintf(stderr, "ipo-jit-bench: out of memory\n");
		exit(2);
	}

	for (r = 0; r < runs; r++) {
		struct ipo_run run = { .fuel = 1LL << 40 };
		u64 args[5] = { (u64)(unsigned long)buf, BENCH_BUF };

		run.base[IPO_RGN_MEM] = args[0];
		run.size[IPO_RGN_MEM] = BENCH_BUF;
		buf_reset(buf, r);
		t0 = now_ticks();
		if (eng == ENG_INTERP)
			*r0 = ipo_interp_run(prog, &run, args);
		else if (eng == ENG_JIT)
			*r0 = ipo_jit_run(img, &run, args);
		else if (eng == ENG_DPDK)
			*r0 = bench_dpdk_run(dpdk, buf);
		else
			*r0 = bc->native(buf, BENCH_BUF);
		t1 = now_ticks();
		*abort = run.abort;
		t[r] = t1 - t0 > timer_cost ? t1 - t0 - timer_cost : 1;
	}
	qsort(t, runs, sizeof(*t), cmp_u64);
	keep = runs / 4 ? runs / 4 : 1;
	for (r = 0; r < keep; r++)
		sum += t[r];
	free(t);
	return (double)sum / keep / ticks_per_ns;
}

/* Writes @len bytes of @data to DIR/NAME.EXT (--dump); false on error. */
static bool dump_file(const char *dir, const char *name, const char *ext,
		      const void *data, size_t len)
{
	char path[512];
	FILE *f;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s.%s", dir, name, ext);
	f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "ipo-jit-bench: %s: %s\n", path, strerror(errno));
		return false;
	}
	ok = fwrite(data, 1, len, f) == len;
	ok = !fclose(f) && ok;
	if (!ok)
		fprintf(stderr, "ipo-jit-bench: %s: write failed\n", path);
	return ok;
}

/* "12345" or "123.4" ns, or "-" for an engine that did not run. */
static const char *ns_str(char *buf, size_t sz, double ns)
{
	if (!ns)
		return "-";
	snprintf(buf, sz, ns < 1000 ? "%.1f" : "%.0f", ns);
	return buf;
}

static const char *ratio_str(char *buf, size_t sz, double a, double b,
			     const char *fmt)
{
	if (!a || !b)
		return "-";
	snprintf(buf, sz, fmt, (double)a / b);
	return buf;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "runs", required_argument, NULL, 'r' },
		{ "dump", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	static char log_buf[4096];
	static struct ipo_jit_image imgs[NR_VARIANTS * ARRAY_SIZE(bench_cases)];
	u8 *buf = aligned_alloc(64, BENCH_BUF);
	const char *dump = NULL;
	u32 runs = 20, i;
	int c, failed = 0;
	bool dpdk = false;

	while ((c = getopt_long(argc, argv, "r:d:", opts, NULL)) != -1) {
		if (c == 'r') {
			runs = strtoul(optarg, NULL, 0);
		} else if (c == 'd') {
			dump = optarg;
		} else {
			fprintf(stderr, "usage: ipo-jit-bench [--runs N] [--dump DIR]\n");
			return 2;
		}
	}
	if (!buf)
		return 2;
	timer_calibrate();
#ifdef IPO_BENCH_DPDK
	dpdk = true;
	printf("# %s eBPF JIT beside ours\n", bench_dpdk_version());
#endif
	printf("# mean of the fastest quarter of %u runs, ns (time stamp counter, %.3f ticks/ns), less %.1f ns for reading it\n",
	       runs, ticks_per_ns, timer_cost / ticks_per_ns);

	printf("%-18s %10s %10s %10s", "program", "interp", "jit", "native");
	if (dpdk)
		printf(" %10s", "dpdk");
	printf(" %10s %10s", "interp/jit", "jit/native");
	if (dpdk)
		printf(" %9s", "jit/dpdk");
	printf("\n");
	for (i = 0; i < NR_VARIANTS * ARRAY_SIZE(bench_cases); i++) {
		const struct bench_case *bc = &bench_cases[i % ARRAY_SIZE(bench_cases)];
		enum bench_variant v = i / ARRAY_SIZE(bench_cases);
		bool is_static = v == V_STATIC;
		struct ipo_vlog log = { .buf = log_buf, .size = sizeof(log_buf) };
		struct ipo_prog prog = {
			.type = is_static ? &bench_static_type :
					    test_prog_type(TEST_MEM),
		};
		struct bench_dpdk *dp = NULL;
		struct ipo_asm_prog ap;
		struct ipo_asm_err aerr;
		struct ipo_jit_image *imgp = &imgs[i], img;
		double t[NR_ENG] = { 0 };
		u64 r0[NR_ENG] = { 0 };
		u32 ab[NR_ENG] = { 0 };
		char name[32], why[512] = "", sb[7][32];
		char *src = bc->gen ? bc->gen() : NULL;
		int e, err;

		if (v == V_TESTED) {
			size_t n = 0;
			char *t = NULL;

			src_add(&t, &n, "%s%s", tested_prefix,
				src ? src : bc->src);
			free(src);
			src = t;
		}
		if (ipo_asm(src ? src : bc->src, 1, &ap, &aerr)) {
			printf("# %s: line %u: %s\n", bc->name, aerr.line,
			       aerr.msg);
			free(src);
			failed = 1;
			continue;
		}
		free(src);
		prog.insns = ap.insns;
		prog.len = ap.len;
		prog.aux = calloc(ap.len, sizeof(*prog.aux));
		if (!prog.aux)
			return 2;
		err = ipo_verify(&prog, &log);
		if (!err)
			err = ipo_jit_compile(&prog, &ipo_jit_host_mem, &img);
		if (err) {
			printf("# %s/%s: rejected (%d): %s\n", bc->name,
			       variant_names[v], err, log_buf);
			failed = 1;
			goto next;
		}
#ifdef IPO_BENCH_DPDK
		/* The same instructions; r1 = the buffer, BENCH_BUF bytes. */
		dp = bench_dpdk_load(ap.insns, ap.len, BENCH_BUF, why,
				     sizeof(why));
#endif
		for (e = 0; e < NR_ENG; e++)
			if (e != ENG_DPDK || dp)
				t[e] = bench_engine(e, bc, &prog, &img, dp, buf,
						    runs, &r0[e], &ab[e]);
		snprintf(name, sizeof(name), "%s.%s", bc->name,
			 variant_names[v]);
		if (dump &&
		    (!dump_file(dump, name, "bpf", ap.insns,
				sizeof(*ap.insns) * ap.len) ||
		     !dump_file(dump, name, "x86", (void *)img.entry, img.size)))
			failed = 1;
		name[strlen(bc->name)] = '/';
		printf("%-18s %10s %10s %10s", name,
		       ns_str(sb[4], 32, t[ENG_INTERP]),
		       ns_str(sb[5], 32, t[ENG_JIT]),
		       ns_str(sb[6], 32, t[ENG_NATIVE]));
		if (dpdk)
			printf(" %10s", dp ? ns_str(sb[0], 32, t[ENG_DPDK]) :
					     "refused");
		printf(" %9sx %9sx",
		       ratio_str(sb[1], 32, t[ENG_INTERP], t[ENG_JIT], "%.1f"),
		       ratio_str(sb[2], 32, t[ENG_JIT], t[ENG_NATIVE], "%.2f"));
		if (dpdk)
			printf(" %8sx",
			       ratio_str(sb[3], 32, t[ENG_JIT], t[ENG_DPDK],
					 "%.2f"));
		printf("\n");
		if (dpdk && !dp && v == V_CHECKED)
			printf("#   DPDK refuses %s: %s\n", bc->name, why);
		if (r0[ENG_INTERP] != r0[ENG_JIT] ||
		    r0[ENG_JIT] != r0[ENG_NATIVE] ||
		    (dp && r0[ENG_DPDK] != r0[ENG_JIT]) || ab[ENG_INTERP] ||
		    ab[ENG_JIT]) {
			printf("# %s: results differ: interp %#llx (abort %u) jit %#llx (abort %u) native %#llx dpdk %#llx\n",
			       bc->name, (unsigned long long)r0[ENG_INTERP],
			       ab[ENG_INTERP], (unsigned long long)r0[ENG_JIT],
			       ab[ENG_JIT], (unsigned long long)r0[ENG_NATIVE],
			       (unsigned long long)r0[ENG_DPDK]);
			failed = 1;
		}
		/*
		 * Freed only at the end: code mapped at an address that held
		 * other code a moment before ran up to 1.8x slower for the
		 * rest of the process on this host (AMD Zen 5; memcpy/static
		 * 270 ns instead of 160), a placement effect, not the code's.
		 */
		*imgp = img;
next:
#ifdef IPO_BENCH_DPDK
		bench_dpdk_free(dp);
#endif
		free(prog.aux);
		ipo_asm_free(&ap);
	}
	for (i = 0; i < ARRAY_SIZE(imgs); i++)
		if (imgs[i].entry)
			ipo_jit_free(&imgs[i]);
	free(buf);
	return failed;
}
