/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the loader tests' programs need, until progs/ipo.h exists: the
 * section macro and the METHOD context (the uapi's struct ipo_method_ctx,
 * spelled with plain types so no system header is needed for -target bpf).
 */
#ifndef IPO_TEST_PROG_H
#define IPO_TEST_PROG_H

#define SEC(name)	__attribute__((section(name), used))
#define __noinline	__attribute__((noinline))
/* As progs/ipo.h: load-time guarantees only for program fn. */
#define IPO_STRICT(fn)	const char __ipo_strict_##fn SEC(".ipo.strict") = 1

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;

struct ipo_method_ctx {
	void *obj;
	const void *arg;
	void *out;
	u32 obj_size;
	u32 arg_size;
	u32 out_size;
	u32 method;
	u64 obj_id;
	u32 caller_uid;
	u32 caller_tgid;
};

#endif /* IPO_TEST_PROG_H */
