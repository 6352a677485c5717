/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host-only program types (the engine library's, not the module's), and the
 * memory a run of them gets: for the corpus runner, the fuzzer and the
 * benchmarks.
 *
 * "mem": what the conformance suite hands a program: r1 = pointer to a
 *	  memory region (read/write, size known at run time), r2 = its length.
 * "method": r1 = context, a read-only struct whose fields point to the
 *	  object (read/write, fixed size), the argument buffer (read only,
 *	  run-time size) and the output buffer (read/write, run-time size),
 *	  plus scalar fields; see struct test_method_ctx.
 *
 * Every buffer is its own exact-size heap allocation, so an access the
 * verifier should have stopped is an AddressSanitizer report.
 */
#ifndef IPO_HOST_TYPES_H
#define IPO_HOST_TYPES_H

#include "prog.h"

enum test_kind { TEST_MEM, TEST_METHOD, TEST_NR_KINDS };

/* The method context as the program sees it (little endian, packed). */
struct test_method_ctx {
	u64 obj;		/*  0: pointer to the object */
	u64 arg;		/*  8: pointer to the argument buffer */
	u64 out;		/* 16: pointer to the output buffer */
	u32 arg_len;		/* 24: scalar, <= TEST_BUF_MAX */
	u32 out_len;		/* 28: scalar, <= TEST_BUF_MAX */
	u64 cookie;		/* 32: scalar, any value */
	u16 method;		/* 40: scalar, <= 255 */
	u16 pad[3];		/* 42: not a field: loads are rejected */
};

#define TEST_OBJ_SIZE	64	/* object min_size (static bounds) */
#define TEST_BUF_MAX	4096	/* bound of the run-time sizes */
#define TEST_MEM_MAX	65536	/* bound of r2 in "mem" programs */

/* Helper ids of both test types; see host_types.c for what they do. */
enum {
	TEST_H_ADD = 1,		/* (any, any) -> r1 + r2 */
	TEST_H_SUM = 2,		/* (mem_ro, size) -> sum of bytes */
	TEST_H_FILL = 3,	/* (mem_rw, size, any) -> size, fills bytes */
	TEST_H_DENIED = 4,	/* exists, but not whitelisted (NULL fn) */
	TEST_H_UNWIND = 5,	/* (any): the conformance suite's unwind */
	TEST_H_SMALL = 6,	/* (const) -> r1 & 15, ret_max 15 */
	TEST_H_CTX = 7,		/* (ctx, any) -> r2 & 0xff (method only) */
	TEST_H_ABORT = 8,	/* () aborts the call (IPO_ABORT_HELPER) */
	TEST_H_ZERO = 9,	/* () -> 0 */
	TEST_H_MMIO4 = 10,	/* (mmio_off) 4-byte window access -> r1 */
	TEST_H_MMIO1 = 11,	/* (mmio_off) 1-byte window access -> r1 */
	TEST_H_SLOW = 12,	/* () -> 7, costing 50 fuel beyond the call */
	TEST_NR_HELPERS,
};

extern const char *const test_kind_names[TEST_NR_KINDS];

/* The default description of @kind (tests may copy and change it). */
const struct ipo_prog_type *test_prog_type(enum test_kind kind);

/* Sizes and contents of the run-time buffers of one run. */
struct test_env {
	enum test_kind kind;
	u8 *buf[IPO_NR_REGIONS];	/* NULL when the region is unused */
	u32 len[IPO_NR_REGIONS];
	struct test_method_ctx *ctx;
};

/*
 * test_env_fits() - are @len sizes a run of @type can have?  Each region
 * at least its min_size, and no larger than the bound of the value that
 * tells the program its size (r2 of kind mem, a method's size field): the
 * verifier relies on both.  False with the reason in @why.
 */
bool test_env_fits(const struct ipo_prog_type *type, enum test_kind kind,
		   const u32 len[IPO_NR_REGIONS], char *why, size_t sz);

/*
 * test_env_init() - allocate the buffers: MEM (kind mem), or OBJ, ARG, OUT
 * and the context (kind method), each of len[region] bytes, filled from
 * init[region] (NULL: zero).  Return 0 or -ENOMEM.
 */
int test_env_init(struct test_env *env, enum test_kind kind,
		  const u32 len[IPO_NR_REGIONS],
		  const u8 *const init[IPO_NR_REGIONS]);
void test_env_free(struct test_env *env);

/* Fills @run's regions and @args (r1..r5) for one run of a program. */
void test_env_setup(const struct test_env *env, struct ipo_run *run,
		    u64 args[5]);

/*
 * test_env_leak() - did the run leak an address?  True (with the reason in
 * @why) when r0, or any 8 bytes of memory userspace can read (object,
 * output, "mem"), hold an address inside a region or the stack of @run.
 */
bool test_env_leak(const struct test_env *env, const struct ipo_run *run,
		   u64 r0, char *why, size_t sz);

/*
 * test_run_impossible() - an abort a verified program must never cause:
 * a bounds abort anywhere but at an access the verifier marked for a
 * run-time check, or a helper abort outside a call.
 */
bool test_run_impossible(const struct ipo_prog *prog,
			 const struct ipo_run *run, char *why, size_t sz);

/*
 * Fuzzer inputs (and seeds): an 8-byte header, then instructions.
 *   byte 0: enum test_kind (mod TEST_NR_KINDS)
 *   byte 1: low bits: fill pattern of the buffers; 0xc0 set: log level 2
 *   bytes 2-7: le16 sizes of mem, arg, out (mod TEST_FUZZ_BUF + 1)
 */
#define TEST_FUZZ_HDR	8
#define TEST_FUZZ_BUF	1024

struct test_fuzz_input {
	enum test_kind kind;
	u8 fill;
	u32 log_level;
	u32 len[IPO_NR_REGIONS];
};

void test_fuzz_hdr_parse(const u8 *hdr, struct test_fuzz_input *in);
void test_fuzz_hdr_make(u8 *hdr, enum test_kind kind,
			const u32 len[IPO_NR_REGIONS]);

/* Region names for test files: "ctx", "obj", "arg", "out", "mem", ... */
int test_region_by_name(const char *name);
const char *test_region_name(int region);

#endif /* IPO_HOST_TYPES_H */
