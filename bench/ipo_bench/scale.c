// SPDX-License-Identifier: GPL-2.0
/*
 * ipo_bench: how the cost of a call scales -- with the object's size (a
 * single call, a 64-call bundle that stops at the first error, an atomic
 * bundle over two objects), with the bundle's length (1 to 1024 calls),
 * and with a second process on the other vCPU invoking its own object or
 * the same one (throughput).  The subscriber rows are notify.c's.
 */
#include "ipo_bench.h"
#include "selftests/tap.h"

static const struct {
	const char *tag;
	uint64_t size;
} sizes[] = {
	{ "16", 16 }, { "4k", 4096 }, { "1m", 1 << 20 }, { "16m", 16 << 20 },
	{ "64m", 64 << 20 },
};

/* The object-size rows copy whole objects: few samples where they are big. */
static unsigned int size_min_samples(uint64_t bytes_per_sample)
{
	if (bytes_per_sample >= (1ULL << 30))
		return 1;
	if (bytes_per_sample >= (256ULL << 20))
		return 2;
	if (bytes_per_sample >= (1ULL << 20))
		return 10;
	return 0;
}

/*
 * An atomic bundle of two calls, one on each of two objects of one size:
 * each call's output is its own object's total, and both objects get the
 * same deltas, so the "total" is their sum.
 */
struct pair {
	struct ipo_counter a, b;
	struct ipo_bundle *bundle;
	struct add_args args[2];
	int64_t out[2];
};

static int op_pair(void *st, int64_t delta, int64_t *total, uint64_t *lat)
{
	struct pair *p = st;
	int err;

	p->args[0].delta = p->args[1].delta = delta;
	err = ipo_bundle_submit(p->bundle, IPO_INVOKE_ATOMIC, 0);
	if (err)
		return err;
	if (p->out[0] != p->out[1])
		return -EBADMSG;
	*total = p->out[0] + p->out[1];
	return 0;
}

static int pair_open(struct pair *p, uint64_t size)
{
	int err, i;

	memset(p, 0, sizeof(*p));
	err = counter_open_size(&p->a, false, size);
	if (!err)
		err = counter_open_size(&p->b, false, size);
	if (err)
		return err;
	p->bundle = ipo_bundle_new(p->a.dev);
	if (!p->bundle)
		return -errno;
	for (i = 0; i < 2; i++) {
		err = ipo_bundle_add_call(p->bundle, i ? p->b.obj : p->a.obj,
					  p->a.add, &p->args[i],
					  sizeof(p->args[i]), &p->out[i],
					  sizeof(p->out[i]));
		if (err < 0)
			return err;
	}
	return 0;
}

static void pair_close(struct pair *p)
{
	ipo_bundle_free(p->bundle);
	counter_close(&p->a);
	counter_close(&p->b);
}

static void run_sizes(void)
{
	static const char *const kinds[] = { "", "_b64", "_atomic2" };
	static const char *const whats[] = {
		"one INVOKE of counter.add (JIT) on an object of this size",
		"one INVOKE of 64 counter.add calls (stop at the first error) on an object of this size, per call",
		"one atomic INVOKE of counter.add on each of two objects of this size, per call",
	};
	size_t s, k;

	for (k = 0; k < 3; k++) {
		for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			unsigned int calls = k == 1 ? 64 : k == 2 ? 2 : 1;
			char name[48];
			struct mech m = {
				.name = name, .placement = "local",
				.timing = calls > 1 ? "per_call" : "per_op",
				.ops = 1, .calls = calls, .what = whats[k],
				.min_samples = size_min_samples(sizes[s].size *
								calls),
			};
			struct ipo_counter c;
			struct pair p;
			int64_t total = 0;
			int err;

			snprintf(name, sizeof(name), "ipo_obj_%s%s",
				 sizes[s].tag, kinds[k]);
			if (!wanted(name))
				continue;
			/* The smoke test stays quick: the big ones are timed runs'. */
			if (cfg.smoke && sizes[s].size * calls > (1ULL << 20)) {
				tap_skip("a timed run's row", "bench %s local",
					 name);
				continue;
			}
			if (k == 2) {
				err = pair_open(&p, sizes[s].size);
				if (err)
					setup_failed(name, m.placement,
						     "two counter objects", err);
				else
					measure(&m, op_pair, &p, &total);
				pair_close(&p);
				continue;
			}
			err = counter_open_size(&c, false, sizes[s].size);
			if (!err)
				err = counter_bundle(&c, calls);
			if (err)
				setup_failed(name, m.placement,
					     "counter object", err);
			else
				measure(&m, op_invoke, &c, &total);
			counter_close(&c);
		}
	}
}

static void run_lengths(void)
{
	unsigned int n;

	for (n = 1; n <= 1024; n *= 2) {
		char name[32];
		struct mech m = {
			.name = name, .placement = "local",
			.timing = "per_call", .ops = 1, .calls = n,
			.what = "one INVOKE of this many counter.add calls (JIT), per call",
		};
		struct ipo_counter c;
		int64_t total = 0;
		int err;

		snprintf(name, sizeof(name), "ipo_blen_%u", n);
		if (!wanted(name))
			continue;
		err = counter_open(&c, false);
		if (!err)
			err = counter_bundle(&c, n);
		if (err)
			setup_failed(name, m.placement, "counter object", err);
		else
			measure(&m, op_invoke, &c, &total);
		counter_close(&c);
	}
}

/* ---- two processes on two vCPUs ---------------------------------------- */

struct lane {
	_Atomic int ready;
	int err;
	uint64_t calls;
	uint64_t ns;
};

struct race {
	_Atomic int go;
	struct lane lane[2];
};

/* Calls counter.add (delta 1) until the time is up, on CPU @cpu. */
static void lane_run(struct race *r, int cpu, struct ipo_counter *c)
{
	struct lane *l = &r->lane[cpu];
	uint64_t t0, t1, end;

	pin(cpu);
	c->args[0].delta = 1;
	atomic_store(&l->ready, 1);
	while (!atomic_load(&r->go))
		sched_yield();
	t0 = t1 = now_ns();
	end = t0 + (uint64_t)((cfg.smoke ? 0.05 : cfg.seconds) * 1e9);
	do {
		int err = ipo_bundle_submit(c->b, 0, 0);

		if (err) {
			l->err = err;
			break;
		}
		l->calls++;
		t1 = now_ns();
	} while (t1 < end);
	l->ns = t1 - t0;
}

static int counter_total(int obj, int64_t *total)
{
	struct ipo_view *view = ipo_view_map(obj);
	struct counter snap;
	int err = 0;

	if (!view)
		return -errno;
	if (ipo_view_snapshot(view, 0, &snap, sizeof(snap)) < 0)
		err = -EIO;
	*total = snap.total;
	ipo_view_unmap(view);
	return err;
}

static int race(bool same, struct race *r, double *ops, double *ns)
{
	struct ipo_counter c[2];
	pid_t pid[2] = { -1, -1 };
	int64_t got[2] = { 0, 0 };
	int err, i, status;

	memset(r, 0, sizeof(*r));
	memset(c, 0, sizeof(c));
	err = counter_open(&c[0], false);
	if (!err)
		err = counter_bundle(&c[0], 1);
	if (!err)
		err = counter_open(&c[1], false);
	if (!err)
		err = counter_bundle(&c[1], 1);
	/* The same object: the second process's bundle names the first's. */
	if (!err && same) {
		ipo_bundle_reset(c[1].b);
		err = ipo_bundle_add_call(c[1].b, c[0].obj, c[0].add,
					  &c[1].args[0], sizeof(c[1].args[0]),
					  &c[1].out[0], sizeof(c[1].out[0]));
		err = err < 0 ? err : 0;
	}
	for (i = 0; !err && i < 2; i++) {
		pid[i] = fork();
		if (pid[i] < 0) {
			err = -errno;
		} else if (!pid[i]) {
			lane_run(r, i, &c[i]);
			_exit(0);
		}
	}
	if (!err) {
		while (!atomic_load(&r->lane[0].ready) ||
		       !atomic_load(&r->lane[1].ready))
			sched_yield();
		atomic_store(&r->go, 1);
	}
	for (i = 0; i < 2; i++)
		if (pid[i] > 0 && (waitpid(pid[i], &status, 0) < 0 ||
				   !WIFEXITED(status) || WEXITSTATUS(status)))
			err = err ? err : -ECHILD;
	for (i = 0; !err && i < 2; i++)
		err = r->lane[i].err;
	/* Every call must have reached its object. */
	if (!err)
		err = counter_total(c[0].obj, &got[0]);
	if (!err && !same)
		err = counter_total(c[1].obj, &got[1]);
	if (!err && (uint64_t)(got[0] + got[1]) !=
		    r->lane[0].calls + r->lane[1].calls)
		err = -EBADMSG;
	if (!err) {
		*ops = 0;
		*ns = 0;
		for (i = 0; i < 2; i++) {
			*ops += r->lane[i].calls / (r->lane[i].ns / 1e9);
			*ns += (double)r->lane[i].ns / r->lane[i].calls / 2;
		}
	}
	counter_close(&c[0]);
	counter_close(&c[1]);
	return err;
}

static void run_two_procs(void)
{
	static const char *const names[] = {
		"ipo_2proc_distinct", "ipo_2proc_same",
	};
	struct race *r;
	int k;

	if (nr_cpus < 2)
		return;
	r = shm_alloc(sizeof(*r));
	for (k = 0; k < 2; k++) {
		double ops = 0, ns = 0;
		int err;

		if (!wanted(names[k]))
			continue;
		err = r ? race(k == 1, r, &ops, &ns) : -ENOMEM;
		if (err) {
			setup_failed(names[k], "2cpu", "two processes", err);
			continue;
		}
		if (cfg.smoke) {
			tap_ok(true, "bench %s 2cpu: %" PRIu64 " calls", names[k],
			       r->lane[0].calls + r->lane[1].calls);
			continue;
		}
		/* No histogram: one mean per process, the rows' p* are it. */
		printf("IPO-BENCH {\"name\":\"%s\",\"placement\":\"2cpu\","
		       "\"timing\":\"throughput\",\"calls_per_sample\":1,"
		       "\"samples\":%" PRIu64 ",\"iterations\":%" PRIu64 ","
		       "\"p50\":%.0f,\"p90\":%.0f,\"p99\":%.0f,\"p99_9\":%.0f,"
		       "\"max\":%.0f,\"min\":%.0f,\"mean\":%.1f,"
		       "\"ops_per_s\":%.0f,\"seconds\":%.3f,\"what\":\"%s\","
		       "\"hist\":[]}\n",
		       names[k], r->lane[0].calls + r->lane[1].calls,
		       r->lane[0].calls + r->lane[1].calls, ns, ns, ns, ns, ns,
		       ns, ns, ops, r->lane[0].ns / 1e9,
		       k ? "two processes on two vCPUs calling counter.add on the same object: calls/s of both, mean ns per call of one"
			 : "two processes on two vCPUs calling counter.add each on its own object: calls/s of both, mean ns per call of one");
		fprintf(stderr, "# bench: %-22s 2cpu  %.0f calls/s\n", names[k],
			ops);
		fflush(stdout);
	}
	if (r)
		munmap(r, sizeof(*r));
}

void run_scale(void)
{
	run_sizes();
	run_lengths();
	run_two_procs();
}
