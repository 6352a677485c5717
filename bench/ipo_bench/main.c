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
 * This file runs the mechanisms and measures them; each mechanism is a
 * file of its own beside it (ipo_bench.h lists them).
 */
#include "ipo_bench.h"
#include "selftests/tap.h"

/* ---- the run ------------------------------------------------------------ */

struct cfg cfg = { .seconds = 3.0 };

static int failures;
static const char *volatile running = "setup";

/* A mechanism that hangs ends the run with its name, not a silent timeout. */
static void watchdog(int sig)
{
	char msg[160];
	int n;

	n = snprintf(msg, sizeof(msg), "%s%s: stuck, giving up\n",
		     cfg.smoke ? "not ok - bench " : "ipo_bench: ", running);
	write(1, msg, n);
	_exit(3);
}

/*
 * Warm up, then sample until the time is up.  Every op() adds @delta
 * @calls times and returns the new total, which must be what the client
 * expects: the counter lives on the other side (kernel object, server
 * process, BPF map), so this checks that every request really went there.
 */
int measure(const struct mech *m, op_fn op, void *st, int64_t *total)
{
	static struct hist h;
	uint64_t warm_ns, run_ns, t_start, t0, t1, lat, min_samples;
	int64_t expect = *total, got;
	unsigned int k;
	uint64_t samples = 0;
	bool warm = true;
	int err = 0;

	memset(&h, 0, sizeof(h));
	running = m->name;
	/* The rows of few samples are the slow ones (scale.c). */
	alarm(cfg.smoke ? 30 : (unsigned int)(cfg.seconds * 4) + 30 +
	      (m->min_samples ? 600 : 0));
	run_ns = cfg.seconds * 1e9;
	warm_ns = run_ns / 8 < 500000000ULL ? run_ns / 8 : 500000000ULL;
	min_samples = cfg.smoke ? 8 : m->min_samples ? m->min_samples : 100;
	t_start = now_ns();
	for (;;) {
		int64_t delta = (int64_t)(samples % 7) + 1;

		lat = 0;
		t0 = now_ns();
		for (k = 0; k < m->ops; k++) {
			err = op(st, delta, &got, &lat);
			if (err)
				goto out;
			expect += delta * m->calls;
			if (got != expect) {
				fprintf(stderr, "%s: total %" PRId64 ", expected %" PRId64 "\n",
					m->name, got, expect);
				err = -EBADMSG;
				goto out;
			}
		}
		t1 = now_ns();
		samples++;
		if (warm) {
			if (cfg.smoke ? samples >= 2 : t1 - t_start >= warm_ns) {
				warm = false;
				t_start = now_ns();
				samples = 0;
			}
			continue;
		}
		if (m->self_timed)
			hist_add(&h, lat);
		else
			hist_add(&h, (t1 - t0 + m->ops * m->calls / 2) /
				     (m->ops * m->calls));
		if (samples >= min_samples &&
		    (cfg.smoke || t1 - t_start >= run_ns))
			break;
	}
	t1 = now_ns();
out:
	*total = expect;
	if (cfg.smoke) {
		if (err) {
			failures++;
			tap_ok(false, "bench %s %s: %s", m->name, m->placement,
			       strerror(-err));
		} else {
			tap_ok(true, "bench %s %s: %" PRIu64 " samples, total %" PRId64,
			       m->name, m->placement, h.n, expect);
		}
		return err;
	}
	if (err) {
		failures++;
		printf("IPO-BENCH {\"name\":\"%s\",\"placement\":\"%s\",\"error\":\"%s\"}\n",
		       m->name, m->placement, strerror(-err));
		fflush(stdout);
		return err;
	}
	{
		uint64_t calls = h.n * m->ops * m->calls;
		double secs = (t1 - t_start) / 1e9;
		unsigned int i;
		bool first = true;

		printf("IPO-BENCH {\"name\":\"%s\",\"placement\":\"%s\","
		       "\"timing\":\"%s\",\"calls_per_sample\":%u,"
		       "\"samples\":%" PRIu64 ",\"iterations\":%" PRIu64 ","
		       "\"p50\":%" PRIu64 ",\"p90\":%" PRIu64 ",\"p99\":%" PRIu64 ","
		       "\"p99_9\":%" PRIu64 ",\"max\":%" PRIu64 ",\"min\":%" PRIu64 ","
		       "\"mean\":%.1f,\"ops_per_s\":%.0f,\"seconds\":%.3f,"
		       "\"what\":\"%s\",\"hist\":[",
		       m->name, m->placement, m->timing, m->ops * m->calls,
		       h.n, calls, hist_pct(&h, 50), hist_pct(&h, 90),
		       hist_pct(&h, 99), hist_pct(&h, 99.9), h.max, h.min,
		       h.sum / h.n,
		       m->self_timed ? h.n / secs : calls / secs, secs,
		       m->what);
		for (i = 0; i < NR_BUCKETS; i++) {
			if (!h.b[i])
				continue;
			printf("%s[%" PRIu64 ",%" PRIu64 "]", first ? "" : ",",
			       bucket_mid(i), h.b[i]);
			first = false;
		}
		printf("]}\n");
		fprintf(stderr, "# bench: %-22s %-5s p50 %8" PRIu64 " ns  p99 %8" PRIu64 " ns  (%" PRIu64 " samples)\n",
			m->name, m->placement, hist_pct(&h, 50), hist_pct(&h, 99),
			h.n);
		fflush(stdout);
	}
	return 0;
}

bool wanted(const char *name)
{
	const char *p = cfg.only;
	size_t len = strlen(name);

	if (!p)
		return true;
	while (*p) {
		const char *end = strchrnul(p, ',');

		if ((size_t)(end - p) == len && !strncmp(p, name, len))
			return true;
		p = *end ? end + 1 : end;
	}
	return false;
}

/* A mechanism that cannot even be set up is a failure of the run. */
void setup_failed(const char *name, const char *placement,
		  const char *why, int err)
{
	failures++;
	if (cfg.smoke) {
		tap_ok(false, "bench %s %s: %s: %s", name, placement, why,
		       strerror(-err));
	} else {
		printf("IPO-BENCH {\"name\":\"%s\",\"placement\":\"%s\",\"error\":\"%s: %s\"}\n",
		       name, placement, why, strerror(-err));
	}
	fflush(stdout);
}

/* ---- main ------------------------------------------------------------------- */

static const char *const all_names[] = {
	"null_ioctl", "getppid", "ipo_invoke_einval", "ipo_invoke_ebadf",
	"ipo_invoke_jit", "ipo_invoke_interp",
	"ipo_bundle_8", "ipo_bundle_64", "ipo_bundle_512", "unix_stream_rpc",
	"unix_seqpacket_rpc", "unix_dgram_rpc", "pipe_rpc", "eventfd_shm_rpc",
	"futex_shm_rpc", "unix_stream_batch_64", "bpf_prog_run_syscall",
	"bpf_map_update_elem", "ipo_notify_0", "ipo_notify_1",
	"ipo_notify_15", "ipo_notify_64", "ipo_wake_latency",
	"unix_oneway_latency",
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
	alarm(0);

	if (cfg.smoke)
		tap_end();
	else
		printf("IPO-BENCH-DONE failures=%d\n", failures);
	return failures ? 1 : 0;
}
