// SPDX-License-Identifier: GPL-2.0
/*
 * DPDK's eBPF JIT, for the comparison in ipo-jit-bench-dpdk.  The only file
 * built with DPDK's flags (pkg-config libdpdk adds -march=corei7 and more),
 * so the programs and the gcc -O2 baselines of the benchmark are compiled
 * exactly as in ipo-jit-bench.
 *
 * rte_bpf_load() needs no rte_eal_init(): it allocates with mmap and logs
 * through rte_log's default stream, which is redirected here to catch the
 * validator's reason for refusing a program.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bpf.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_version.h>

#include "dpdk.h"

struct bench_dpdk {
	struct rte_bpf *bpf;
	struct rte_bpf_jit jit;
};

_Static_assert(sizeof(struct ebpf_insn) == 8, "DPDK's eBPF instruction");

struct bench_dpdk *bench_dpdk_load(const void *insns, uint32_t len,
				   uint32_t arg_size, char *why, size_t sz)
{
	struct rte_bpf_prm prm = {
		.ins = insns,
		.nb_ins = len,
		.prog_arg = {
			.type = RTE_BPF_ARG_PTR,
			.size = arg_size,
		},
	};
	struct bench_dpdk *d = calloc(1, sizeof(*d));
	char *log = NULL, *nl;
	size_t log_len = 0;
	FILE *f;

	if (!d) {
		snprintf(why, sz, "out of memory");
		return NULL;
	}
	f = open_memstream(&log, &log_len);
	if (f)
		rte_openlog_stream(f);
	d->bpf = rte_bpf_load(&prm);
	if (d->bpf && rte_bpf_get_jit(d->bpf, &d->jit) == 0 && !d->jit.func)
		fprintf(f ? f : stderr, "no JIT code");
	if (f) {
		rte_openlog_stream(NULL);
		fclose(f);
	}
	/* DPDK's messages span lines; the table wants one. */
	for (nl = log; nl && (nl = strchr(nl, '\n'));)
		*nl = ' ';
	if (!d->bpf || !d->jit.func) {
		snprintf(why, sz, "%s (%s)", log && *log ? log : "refused",
			 rte_strerror(d->bpf ? ENOTSUP : rte_errno));
		free(log);
		bench_dpdk_free(d);
		return NULL;
	}
	free(log);
	return d;
}

uint64_t bench_dpdk_run(const struct bench_dpdk *d, void *arg)
{
	return d->jit.func(arg);
}

void bench_dpdk_free(struct bench_dpdk *d)
{
	if (d && d->bpf)
		rte_bpf_destroy(d->bpf);
	free(d);
}

const char *bench_dpdk_version(void)
{
	return rte_version();
}
