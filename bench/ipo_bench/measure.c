// SPDX-License-Identifier: GPL-2.0
/*
 * ipo_bench: sampling one mechanism (warm-up, histogram, one result line
 * or TAP line), the --only filter and set-up failures (see main.c).
 */
#include "ipo_bench.h"
#include "selftests/tap.h"

struct cfg cfg = { .seconds = 3.0 };

int failures;
const char *volatile running = "setup";

/* A mechanism that hangs ends the run with its name, not a silent timeout. */
void watchdog(int sig)
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

/* A mechanism that measures itself passed its smoke run (a TAP line). */
void smoke_passed(const char *name, const char *what)
{
	tap_ok(true, "bench %s: %s", name, what);
}
