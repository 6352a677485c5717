/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DPDK's eBPF JIT for ipo-jit-bench-dpdk (bench/dpdk.c), behind plain C
 * types so the benchmark itself never includes DPDK's headers.
 */
#ifndef IPO_BENCH_DPDK_H
#define IPO_BENCH_DPDK_H

#include <stddef.h>
#include <stdint.h>

struct bench_dpdk;

/*
 * bench_dpdk_load() - rte_bpf_load() of @len eBPF instructions whose r1 is
 * a pointer to @arg_size bytes, JIT-compiled.  NULL when DPDK refuses the
 * program or cannot compile it, with its reason in @why.
 */
struct bench_dpdk *bench_dpdk_load(const void *insns, uint32_t len,
				   uint32_t arg_size, char *why, size_t sz);

/* bench_dpdk_run() - call the JIT-compiled code with r1 = @arg. */
uint64_t bench_dpdk_run(const struct bench_dpdk *d, void *arg);

void bench_dpdk_free(struct bench_dpdk *d);

/* "DPDK 22.11.11" */
const char *bench_dpdk_version(void);

#endif /* IPO_BENCH_DPDK_H */
