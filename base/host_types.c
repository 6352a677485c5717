// SPDX-License-Identifier: GPL-2.0
/* Host-only program types of the engine library (see host_types.h). */
#include "host_types.h"

const char *const test_kind_names[TEST_NR_KINDS] = {
	[TEST_MEM] = "mem",
	[TEST_METHOD] = "method",
};

static u64 test_h_add(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5,
		      struct ipo_run *run)
{
	return r1 + r2;
}

/* Reads every byte: an unchecked bad pointer is an ASan report here. */
static u64 test_h_sum(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5,
		      struct ipo_run *run)
{
	const u8 *p = (const u8 *)(unsigned long)r1;
	u64 sum = 0, i;

	for (i = 0; i < r2; i++)
		sum += p[i];
	return sum;
}

static u64 test_h_fill(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5,
		       struct ipo_run *run)
{
	memset((void *)(unsigned long)r1, (int)(u8)r3, r2);
	return r2;
}

static u64 test_h_unwind(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5,
			 struct ipo_run *run)
{
	if (!r1) {
		run->abort = IPO_ABORT_UNWIND;
		run->unwind_value = 0;
	}
	return r1;
}

static u64 test_h_small(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5,
			struct ipo_run *run)
{
	return r1 & 15;
}

/* Checks that it really got the context: a wrong pointer is a fault. */
static u64 test_h_ctx(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5,
		      struct ipo_run *run)
{
	if (r1 != run->base[IPO_RGN_CTX])
		__builtin_trap();
	return r2 & 0xff;
}

static u64 test_h_abort(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5,
			struct ipo_run *run)
{
	run->abort = IPO_ABORT_HELPER;
	return 0;
}

/* The verifier records the offsets; the test run has no device. */
static u64 test_h_mmio(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5,
		       struct ipo_run *run)
{
	return r1;
}

static u64 test_h_seven(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5,
			struct ipo_run *run)
{
	return 7;
}

static u64 test_h_zero(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5,
		       struct ipo_run *run)
{
	return 0;
}

#define TEST_HELPERS_COMMON						\
	[TEST_H_ADD] = { "add", test_h_add,				\
			 { IPO_ARG_ANY, IPO_ARG_ANY }, U64_MAX },	\
	[TEST_H_SUM] = { "sum", test_h_sum,				\
			 { IPO_ARG_MEM_RO, IPO_ARG_SIZE }, U64_MAX },	\
	[TEST_H_FILL] = { "fill", test_h_fill,				\
			  { IPO_ARG_MEM_RW, IPO_ARG_SIZE, IPO_ARG_ANY },	\
			  TEST_MEM_MAX },				\
	[TEST_H_DENIED] = { "denied", NULL, { 0 }, 0 },			\
	[TEST_H_UNWIND] = { "unwind", test_h_unwind,			\
			    { IPO_ARG_ANY }, U64_MAX },			\
	[TEST_H_SMALL] = { "small", test_h_small,			\
			   { IPO_ARG_CONST }, 15 },			\
	[TEST_H_ABORT] = { "abort", test_h_abort, { 0 }, 0 },		\
	[TEST_H_ZERO] = { "zero", test_h_zero, { 0 }, 0 },		\
	[TEST_H_MMIO4] = { "mmio4", test_h_mmio,			\
			   { IPO_ARG_MMIO_OFF }, U64_MAX, 4 },		\
	[TEST_H_MMIO1] = { "mmio1", test_h_mmio,			\
			   { IPO_ARG_MMIO_OFF }, U64_MAX, 1 },		\
	[TEST_H_SLOW] = { "slow", test_h_seven, { 0 }, 7, 0, 50 }

static const struct ipo_helper_proto test_mem_helpers[TEST_NR_HELPERS] = {
	TEST_HELPERS_COMMON,
	/* A "mem" program has no context to pass. */
	[TEST_H_CTX] = { "ctx", NULL, { 0 }, 0 },
};

static const struct ipo_helper_proto test_method_helpers[TEST_NR_HELPERS] = {
	TEST_HELPERS_COMMON,
	[TEST_H_CTX] = { "ctx", test_h_ctx, { IPO_ARG_CTX, IPO_ARG_ANY },
			 255 },
};

static const struct ipo_ctx_field test_method_fields[] = {
	{ 0, 8, IPO_RGN_OBJ, 0 },
	{ 8, 8, IPO_RGN_ARG, 0 },
	{ 16, 8, IPO_RGN_OUT, 0 },
	{ 24, 4, IPO_RGN_NONE, TEST_BUF_MAX, IPO_RGN_ARG },
	{ 28, 4, IPO_RGN_NONE, TEST_BUF_MAX, IPO_RGN_OUT },
	{ 32, 8, IPO_RGN_NONE, U64_MAX },
	{ 40, 2, IPO_RGN_NONE, 255 },
};

static const struct ipo_prog_type test_types[TEST_NR_KINDS] = {
	[TEST_MEM] = {
		.name = "test-mem",
		.entry_region = { IPO_RGN_MEM, IPO_RGN_NONE },
		.entry_scalar = { 0, 1 },
		.entry_scalar_max = { 0, TEST_MEM_MAX },
		.entry_size_of = { IPO_RGN_NONE, IPO_RGN_MEM },
		.regions = {
			[IPO_RGN_MEM] = {
				.flags = IPO_RGNF_READ | IPO_RGNF_WRITE |
					 IPO_RGNF_DYN,
			},
		},
		.helpers = test_mem_helpers,
		.nr_helpers = TEST_NR_HELPERS,
	},
	[TEST_METHOD] = {
		.name = "test-method",
		.entry_region = { IPO_RGN_CTX },
		.regions = {
			[IPO_RGN_CTX] = {
				.flags = IPO_RGNF_READ,
				.min_size = sizeof(struct test_method_ctx),
			},
			[IPO_RGN_OBJ] = {
				.flags = IPO_RGNF_READ | IPO_RGNF_WRITE,
				.min_size = TEST_OBJ_SIZE,
			},
			[IPO_RGN_ARG] = {
				.flags = IPO_RGNF_READ | IPO_RGNF_DYN,
			},
			[IPO_RGN_OUT] = {
				.flags = IPO_RGNF_READ | IPO_RGNF_WRITE |
					 IPO_RGNF_DYN,
			},
		},
		.ctx_fields = test_method_fields,
		.nr_ctx_fields = ARRAY_SIZE(test_method_fields),
		.ctx_size = sizeof(struct test_method_ctx),
		.helpers = test_method_helpers,
		.nr_helpers = TEST_NR_HELPERS,
	},
};

const struct ipo_prog_type *test_prog_type(enum test_kind kind)
{
	return &test_types[kind];
}

int test_region_by_name(const char *name)
{
	int i;

	for (i = 0; i < IPO_NR_REGIONS; i++)
		if (!strcmp(ipo_region_name(i), name))
			return i;
	return -1;
}

const char *test_region_name(int region)
{
	return region < 0 ? "?" : ipo_region_name(region);
}

void test_env_free(struct test_env *env)
{
	int i;

	for (i = 0; i < IPO_NR_REGIONS; i++)
		free(env->buf[i]);
	memset(env, 0, sizeof(*env));
}

/* The regions each kind's run has (CTX last: its size is fixed). */
static const int test_used[TEST_NR_KINDS][4] = {
	[TEST_MEM] = { IPO_RGN_MEM },
	[TEST_METHOD] = { IPO_RGN_OBJ, IPO_RGN_ARG, IPO_RGN_OUT, IPO_RGN_CTX },
};

bool test_env_fits(const struct ipo_prog_type *type, enum test_kind kind,
		   const u32 len[IPO_NR_REGIONS], char *why, size_t sz)
{
	u32 i;

	for (i = 0; i < 4 && test_used[kind][i]; i++) {
		int r = test_used[kind][i];

		if (r != IPO_RGN_CTX && len[r] < type->regions[r].min_size) {
			snprintf(why, sz, "%s-size %u below its min size %u",
				 test_region_name(r), len[r],
				 type->regions[r].min_size);
			return false;
		}
	}
	for (i = 0; i < 5; i++) {
		u8 r = type->entry_size_of[i];

		if (type->entry_scalar[i] && r && r < IPO_NR_REGIONS &&
		    len[r] > type->entry_scalar_max[i]) {
			snprintf(why, sz, "%s-size %u above r%u's bound %llu",
				 test_region_name(r), len[r], i + 1,
				 (unsigned long long)type->entry_scalar_max[i]);
			return false;
		}
	}
	for (i = 0; i < type->nr_ctx_fields; i++) {
		const struct ipo_ctx_field *cf = &type->ctx_fields[i];

		if (cf->size_of && cf->size_of < IPO_NR_REGIONS &&
		    len[cf->size_of] > cf->max) {
			snprintf(why, sz, "%s-size %u above its field's bound %llu",
				 test_region_name(cf->size_of), len[cf->size_of],
				 (unsigned long long)cf->max);
			return false;
		}
	}
	return true;
}

int test_env_init(struct test_env *env, enum test_kind kind,
		  const u32 len[IPO_NR_REGIONS],
		  const u8 *const init[IPO_NR_REGIONS])
{
	const int *used = test_used[kind];
	int i;

	memset(env, 0, sizeof(*env));
	env->kind = kind;
	for (i = 0; i < 4 && used[i]; i++) {
		int r = used[i];
		u32 n = r == IPO_RGN_CTX ? sizeof(struct test_method_ctx) :
			len[r];

		/* malloc(0) may return NULL; one byte keeps a real address. */
		env->buf[r] = malloc(n ? n : 1);
		if (!env->buf[r]) {
			test_env_free(env);
			return -ENOMEM;
		}
		env->len[r] = n;
		if (init && init[r] && r != IPO_RGN_CTX)
			memcpy(env->buf[r], init[r], n);
		else
			memset(env->buf[r], 0, n);
	}
	if (kind == TEST_METHOD) {
		struct test_method_ctx *ctx = (void *)env->buf[IPO_RGN_CTX];

		ctx->obj = (u64)(unsigned long)env->buf[IPO_RGN_OBJ];
		ctx->arg = (u64)(unsigned long)env->buf[IPO_RGN_ARG];
		ctx->out = (u64)(unsigned long)env->buf[IPO_RGN_OUT];
		ctx->arg_len = env->len[IPO_RGN_ARG];
		ctx->out_len = env->len[IPO_RGN_OUT];
		ctx->cookie = 0x1122334455667788ULL;
		ctx->method = 7;
		env->ctx = ctx;
	}
	return 0;
}

void test_env_setup(const struct test_env *env, struct ipo_run *run,
		    u64 args[5])
{
	int i;

	for (i = 0; i < IPO_NR_REGIONS; i++) {
		run->base[i] = (u64)(unsigned long)env->buf[i];
		run->size[i] = env->len[i];
	}
	memset(args, 0, 5 * sizeof(u64));
	if (env->kind == TEST_MEM) {
		args[0] = run->base[IPO_RGN_MEM];
		args[1] = env->len[IPO_RGN_MEM];
	} else {
		args[0] = run->base[IPO_RGN_CTX];
	}
}

/* v within [base, base + size] of any region: an address of the run. */
static bool test_is_address(const struct ipo_run *run, u64 v)
{
	int i;

	/* Compared as differences, so no address is ever a constant that
	 * the fuzzer's comparison tracing could learn and replay.
	 */
	for (i = 1; i < IPO_NR_REGIONS; i++)
		if (run->base[i] && v - run->base[i] <= run->size[i])
			return true;
	return false;
}

bool test_env_leak(const struct test_env *env, const struct ipo_run *run,
		   u64 r0, char *why, size_t sz)
{
	static const int readable[] = { IPO_RGN_OBJ, IPO_RGN_OUT, IPO_RGN_MEM };
	u32 i, off;

	if (test_is_address(run, r0)) {
		snprintf(why, sz, "r0 is an address");
		return true;
	}
	for (i = 0; i < ARRAY_SIZE(readable); i++) {
		const u8 *b = env->buf[readable[i]];
		u32 n = env->len[readable[i]];

		for (off = 0; b && off + 8 <= n; off++) {
			u64 v;

			memcpy(&v, b + off, 8);
			if (test_is_address(run, v)) {
				snprintf(why, sz, "address stored in %s+%u",
					 test_region_name(readable[i]), off);
				return true;
			}
		}
	}
	return false;
}

bool test_run_impossible(const struct ipo_prog *prog,
			 const struct ipo_run *run, char *why, size_t sz)
{
	const struct ipo_insn *insn;
	u8 kind;

	if (run->abort != IPO_ABORT_BOUNDS && run->abort != IPO_ABORT_HELPER)
		return false;
	if (run->abort_pc >= prog->len) {
		snprintf(why, sz, "abort at pc %u past the end", run->abort_pc);
		return true;
	}
	insn = &prog->insns[run->abort_pc];
	kind = ipo_opinfo[insn->code].kind;
	if (run->abort == IPO_ABORT_HELPER) {
		if (kind == IPO_K_CALL || kind == IPO_K_CALLX)
			return false;
		snprintf(why, sz, "helper abort at non-call insn %u",
			 run->abort_pc);
		return true;
	}
	if ((kind == IPO_K_LDX || kind == IPO_K_ST || kind == IPO_K_STX ||
	     kind == IPO_K_ATOMIC) &&
	    (prog->aux[run->abort_pc].flags & IPO_AUX_RT_CHECK))
		return false;
	snprintf(why, sz, "bounds abort at insn %u, which has no run-time check (verifier let through an unsafe program)",
		 run->abort_pc);
	return true;
}

void test_fuzz_hdr_parse(const u8 *hdr, struct test_fuzz_input *in)
{
	static const int rgn[3] = { IPO_RGN_MEM, IPO_RGN_ARG, IPO_RGN_OUT };
	int i;

	memset(in, 0, sizeof(*in));
	in->kind = hdr[0] % TEST_NR_KINDS;
	in->fill = hdr[1] & 0x3f;
	in->log_level = (hdr[1] & 0xc0) == 0xc0 ? 2 : 0;
	for (i = 0; i < 3; i++)
		in->len[rgn[i]] = (hdr[2 + 2 * i] | hdr[3 + 2 * i] << 8) %
				  (TEST_FUZZ_BUF + 1);
	in->len[IPO_RGN_OBJ] = TEST_OBJ_SIZE;
}

void test_fuzz_hdr_make(u8 *hdr, enum test_kind kind,
			const u32 len[IPO_NR_REGIONS])
{
	static const int rgn[3] = { IPO_RGN_MEM, IPO_RGN_ARG, IPO_RGN_OUT };
	int i;

	memset(hdr, 0, TEST_FUZZ_HDR);
	hdr[0] = kind;
	for (i = 0; i < 3; i++) {
		u32 n = min(len[rgn[i]], (u32)TEST_FUZZ_BUF);

		hdr[2 + 2 * i] = n;
		hdr[3 + 2 * i] = n >> 8;
	}
}
