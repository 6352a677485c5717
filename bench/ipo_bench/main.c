// SPDX-License-Identifier: GPL-2.0
/*
 * ipo_bench: one logical request -- "add this delta to a shared counter
 * and tell me the new total" -- through ipo and through the kernel's other
 * ways of doing it: Unix sockets, pipes, eventfd and futexes between a
 * client and a server process, and the kernel's own eBPF (a SYSCALL
 * program run with BPF_PROG_RUN, a map update).  Plus the floors (an ioctl
 * /dev/ipo refuses at once, getppid), bundles, and change notifications
 * (the writer's cost with 0..64 subscribers; the time from the writer's
 * call until the subscriber runs, against a one-way Unix socket write).
 * Last, a real service both ways (service.c, "svc"): the rate limiter of
 * progs/ratelimit.c against a Unix-socket server, 1..4 workers, single
 * takes and bundles of 16, its granted-tokens bound checked every run.
 *
 * Runs in the test VM as root (static: the guest has no libc).  Every
 * result is one line "IPO-BENCH {json}" on stdout and the environment one
 * line "IPO-BENCH-ENV {json}"; bench/bench.py runs the VM and turns them
 * into the table, build/bench/results.json and the plot (`make bench`).
 *
 *	ipo_bench [--seconds S] [--only NAME,...] [--list]
 *	ipo_bench --smoke	every mechanism a few times, TAP, checking
 *				every total (part of `make check`)
 *
 * Placement: "2cpu" puts the client on CPU 0 and the server (or the
 * subscriber) on CPU 1; "1cpu" puts both on CPU 0; "local" is one process
 * on CPU 0 (ipo and bpf run the request in the caller's own syscall).
 *
 * Timing: CLOCK_MONOTONIC around each sample.  A sample is one request for
 * the round trips and latencies ("per_op"); for the sub-microsecond
 * synchronous calls it is BATCH consecutive calls, so the clock read is
 * not part of what is measured ("per_batch", value = time / BATCH); for
 * bundles and the 64-request socket batch it is one INVOKE or one round
 * trip divided by its requests ("per_call").  Samples go into a
 * log-bucketed histogram (32 linear sub-buckets per power of two: under
 * 1.6% error) after a warm-up; percentiles are bucket midpoints.
 *
 * This file parses the options and runs the mechanisms in order; each
 * mechanism is a file of its own beside it (ipo_bench.h lists them), and
 * measure.c samples them.
 */
#include "ipo_bench.h"
#include "selftests/tap.h"

/* ---- main ------------------------------------------------------------------- */

static const char *const all_names[] = {
	"null_ioctl", "getppid", "ipo_invoke_einval", "ipo_invoke_ebadf",
	"ipo_invoke_jit", "ipo_invoke_interp",
	"ipo_bundle_8", "ipo_bundle_64", "ipo_bundle_512", "unix_stream_rpc",
	"unix_seqpacket_rpc", "unix_dgram_rpc", "pipe_rpc", "eventfd_shm_rpc",
	"futex_shm_rpc", "unix_stream_batch_64", "bpf_prog_run_syscall",
	"bpf_map_update_elem", "ipo_notify_0", "ipo_notify_1",
	"ipo_notify_15", "ipo_notify_64", "ipo_wake_latency",
	"unix_oneway_latency", "svc",
	/* scale.c */
	"ipo_obj_16", "ipo_obj_4k", "ipo_obj_1m", "ipo_obj_16m", "ipo_obj_64m",
	"ipo_obj_16_b64", "ipo_obj_4k_b64", "ipo_obj_1m_b64",
	"ipo_obj_16m_b64", "ipo_obj_64m_b64",
	"ipo_obj_16_atomic2", "ipo_obj_4k_atomic2", "ipo_obj_1m_atomic2",
	"ipo_obj_16m_atomic2", "ipo_obj_64m_atomic2",
	"ipo_blen_1", "ipo_blen_2", "ipo_blen_4", "ipo_blen_8", "ipo_blen_16",
	"ipo_blen_32", "ipo_blen_64", "ipo_blen_128", "ipo_blen_256",
	"ipo_blen_512", "ipo_blen_1024",
	"ipo_notify_2", "ipo_notify_4", "ipo_notify_8", "ipo_notify_16",
	"ipo_notify_32",
	"ipo_2proc_distinct", "ipo_2proc_same",
};

static void usage(FILE *f)
{
	fprintf(f, "usage: ipo_bench [--seconds S] [--only NAME,...] [--list] [--smoke]\n");
}

int main(int argc, char **argv)
{
	size_t i;
	int a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--smoke")) {
			cfg.smoke = true;
		} else if (!strcmp(argv[a], "--seconds") && a + 1 < argc) {
			cfg.seconds = strtod(argv[++a], NULL);
			if (!(cfg.seconds > 0 && cfg.seconds <= 600)) {
				fprintf(stderr, "ipo_bench: --seconds wants 0 < S <= 600\n");
				return 2;
			}
		} else if (!strcmp(argv[a], "--only") && a + 1 < argc) {
			cfg.only = argv[++a];
		} else if (!strcmp(argv[a], "--list")) {
			for (i = 0; i < sizeof(all_names) / sizeof(all_names[0]); i++)
				puts(all_names[i]);
			return 0;
		} else if (!strcmp(argv[a], "-h") || !strcmp(argv[a], "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (cfg.only) {
		const char *p = cfg.only;

		while (*p) {
			const char *end = strchrnul(p, ',');
			bool known = false;

			for (i = 0; i < sizeof(all_names) / sizeof(all_names[0]); i++)
				if (strlen(all_names[i]) == (size_t)(end - p) &&
				    !strncmp(all_names[i], p, end - p))
					known = true;
			/* One service run by its name: svc_ipo_batch16_w4. */
			if (end - p > 4 && !strncmp(p, "svc_", 4))
				known = true;
			if (!known) {
				fprintf(stderr, "ipo_bench: unknown mechanism '%.*s' (--list)\n",
					(int)(end - p), p);
				return 2;
			}
			p = *end ? end + 1 : end;
		}
	}
	nr_cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (nr_cpus < 1)
		nr_cpus = 1;
	/* The library's own messages go to stderr; keep them. */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGALRM, watchdog);
	pin(0);
	if (cfg.smoke)
		tap_start();
	else
		print_env();

	run_floors();
	run_invoke_steps();
	run_ipo();
	run_scale();
	run_rpc();
	run_bpf();
	run_notify();
	run_wake();
	run_service();
	alarm(0);

	if (cfg.smoke)
		tap_end();
	else
		printf("IPO-BENCH-DONE failures=%d\n", failures);
	return failures ? 1 : 0;
}
