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
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/bpf.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cpuid.h>

#include "libipo.h"
#include "counter.h"
#include "widgets.h"

#define COUNTER_O	"/ipo/progs/counter.o"
#define WIDGETS_O	"/ipo/progs/widgets.o"

#define BATCH		16	/* calls per sample of the per_batch timings */
#define MAX_SUBS	64
#define SOCK_BATCH	64

/* ---- histogram ---------------------------------------------------------- */

#define SUB_BITS	5
#define SUB		(1 << SUB_BITS)
#define NR_BUCKETS	((64 - SUB_BITS) * SUB + SUB)

struct hist {
	uint64_t n, max, min;
	double sum;
	uint64_t b[NR_BUCKETS];
};

static unsigned int bucket_of(uint64_t v)
{
	unsigned int e;

	if (v < SUB)
		return v;
	e = 63 - __builtin_clzll(v);
	return (e - SUB_BITS) * SUB + (unsigned int)(v >> (e - SUB_BITS));
}

/* The midpoint of bucket @i (its only value below SUB). */
static uint64_t bucket_mid(unsigned int i)
{
	unsigned int e;
	uint64_t lo, w;

	if (i < 2 * SUB)
		return i;
	e = i / SUB + SUB_BITS - 1;
	w = 1ULL << (e - SUB_BITS);
	lo = (uint64_t)(i % SUB + SUB) << (e - SUB_BITS);
	return lo + w / 2;
}

static void hist_add(struct hist *h, uint64_t v)
{
	h->b[bucket_of(v)]++;
	h->n++;
	h->sum += v;
	if (v > h->max)
		h->max = v;
	if (!h->min || v < h->min)
		h->min = v;
}

static uint64_t hist_pct(const struct hist *h, double p)
{
	uint64_t want = (uint64_t)(p / 100.0 * h->n + 0.999999), seen = 0;
	unsigned int i;

	if (!want)
		want = 1;
	for (i = 0; i < NR_BUCKETS; i++) {
		seen += h->b[i];
		if (seen >= want)
			return bucket_mid(i) < h->max ? bucket_mid(i) : h->max;
	}
	return h->max;
}

/* ---- helpers ------------------------------------------------------------ */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int nr_cpus;

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu < nr_cpus ? cpu : 0, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *shm_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static int read_full(int fd, void *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = read(fd, (char *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? -errno : -EPIPE;
		done += n;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = write(fd, (const char *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? -errno : -EPIPE;
		done += n;
	}
	return 0;
}

static long sys_futex(_Atomic uint32_t *uaddr, int op, uint32_t val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	long r = syscall(__NR_bpf, cmd, attr, sizeof(*attr));

	return r < 0 ? -errno : (int)r;
}

/* ---- the run ------------------------------------------------------------ */

struct cfg {
	bool smoke;
	double seconds;		/* measured time per mechanism */
	const char *only;
};

static struct cfg cfg = { .seconds = 3.0 };

struct mech;
typedef int (*op_fn)(void *st, int64_t delta, int64_t *total, uint64_t *lat);

struct mech {
	const char *name;
	const char *placement;	/* "local", "2cpu", "1cpu" */
	const char *timing;	/* "per_op", "per_batch", "per_call" */
	unsigned int ops;	/* op() calls per sample */
	unsigned int calls;	/* requests per op() call */
	bool self_timed;	/* op() reports the latency itself */
	const char *what;	/* one line for the JSON */
};

static unsigned int test_nr;
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
static int measure(const struct mech *m, op_fn op, void *st, int64_t *total)
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
	alarm(cfg.smoke ? 30 : (unsigned int)(cfg.seconds * 4) + 30);
	run_ns = cfg.seconds * 1e9;
	warm_ns = run_ns / 8 < 500000000ULL ? run_ns / 8 : 500000000ULL;
	min_samples = cfg.smoke ? 8 : 100;
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
		test_nr++;
		if (err) {
			failures++;
			printf("not ok %u - bench %s %s: %s\n", test_nr, m->name,
			       m->placement, strerror(-err));
		} else {
			printf("ok %u - bench %s %s: %" PRIu64 " samples, total %" PRId64 "\n",
			       test_nr, m->name, m->placement, h.n, expect);
		}
		fflush(stdout);
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

static bool wanted(const char *name)
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
static void setup_failed(const char *name, const char *placement,
			 const char *why, int err)
{
	failures++;
	if (cfg.smoke) {
		printf("not ok %u - bench %s %s: %s: %s\n", ++test_nr, name,
		       placement, why, strerror(-err));
	} else {
		printf("IPO-BENCH {\"name\":\"%s\",\"placement\":\"%s\",\"error\":\"%s: %s\"}\n",
		       name, placement, why, strerror(-err));
	}
	fflush(stdout);
}

/* ---- floors -------------------------------------------------------------- */

/*
 * An ioctl number of ipo's type below its first command: fdget, the LSM
 * hook, do_vfs_ioctl's switch, vfs_ioctl and ipo_dev_ioctl's range check,
 * which returns ENOTTY before touching the argument.
 */
#define IPO_NULL_IOCTL	_IO(IPO_TYPE, 0x7f)

struct local {
	int devfd;
	int64_t total;	/* for the mechanisms that keep it in userspace */
};

static int op_null_ioctl(void *st, int64_t delta, int64_t *total,
			 uint64_t *lat)
{
	struct local *l = st;

	if (ioctl(l->devfd, IPO_NULL_IOCTL, 0) != -1 || errno != ENOTTY)
		return -EPROTO;
	*total = l->total += delta;
	return 0;
}

static int op_getppid(void *st, int64_t delta, int64_t *total, uint64_t *lat)
{
	struct local *l = st;

	if (syscall(SYS_getppid) <= 0)
		return -EPROTO;
	*total = l->total += delta;
	return 0;
}

/* ---- ipo ----------------------------------------------------------------- */

struct ipo_counter {
	struct ipo_dev *dev;
	struct ipo_prog_obj *po;
	int obj;
	int add;
	struct ipo_bundle *b;
	struct add_args *args;
	int64_t *out;
	unsigned int n;
};

static int counter_open(struct ipo_counter *c, bool interp)
{
	LIBIPO_OPTS(ipo_load_opts, lo, .flags = interp ? IPO_PROG_INTERP :
					IPO_PROG_JIT_ONLY);
	int err;

	memset(c, 0, sizeof(*c));
	c->dev = ipo_dev_open();
	if (!c->dev)
		return -errno;
	c->po = ipo_prog_obj_open(COUNTER_O, NULL);
	if (!c->po)
		return -errno;
	c->obj = ipo_obj_create(c->dev, sizeof(struct counter), NULL, NULL);
	if (c->obj < 0)
		return c->obj;
	err = ipo_obj_attach_prog_obj(c->dev, c->obj, c->po, &lo);
	if (err < 0)
		return err;
	if (!interp && !(lo.out_flags & IPO_PROG_JITED))
		return -ENOEXEC;
	c->add = ipo_prog_obj__method_index(c->po, "add");
	return c->add < 0 ? c->add : 0;
}

static int counter_bundle(struct ipo_counter *c, unsigned int n)
{
	unsigned int i;

	c->b = ipo_bundle_new(c->dev);
	c->args = calloc(n, sizeof(*c->args));
	c->out = calloc(n, sizeof(*c->out));
	if (!c->b || !c->args || !c->out)
		return -ENOMEM;
	c->n = n;
	for (i = 0; i < n; i++) {
		int r = ipo_bundle_add_call(c->b, c->obj, c->add, &c->args[i],
					    sizeof(c->args[i]), &c->out[i],
					    sizeof(c->out[i]));

		if (r < 0)
			return r;
	}
	return 0;
}

static void counter_close(struct ipo_counter *c)
{
	ipo_bundle_free(c->b);
	free(c->args);
	free(c->out);
	if (c->obj > 0)
		close(c->obj);
	ipo_prog_obj__close(c->po);
	ipo_dev_close(c->dev);
}

/* One INVOKE of n add calls; each call's output must be the running total. */
static int op_invoke(void *st, int64_t delta, int64_t *total, uint64_t *lat)
{
	struct ipo_counter *c = st;
	unsigned int i;
	int err;

	for (i = 0; i < c->n; i++)
		c->args[i].delta = delta;
	err = ipo_bundle_submit(c->b, 0, 0);
	if (err)
		return err;
	for (i = 1; i < c->n; i++)
		if (c->out[i] != c->out[i - 1] + delta)
			return -EBADMSG;
	*total = c->out[c->n - 1];
	return 0;
}

/*
 * Steps of the INVOKE path, for the breakdown: a command refused right
 * after it is copied in (an unknown flag), and a one-call bundle whose
 * call names no handle (fd -1: the call is read, its results written,
 * its argument copied, the fd lookup fails, nothing is locked or run,
 * the results go back).  Both must fail exactly so.
 */
struct step {
	int devfd;
	struct ipo_invoke cmd;
	struct ipo_call call;
	struct add_args arg;
	int64_t out;
	int64_t total;
};

static int op_invoke_step(void *st, int64_t delta, int64_t *total,
			  uint64_t *lat)
{
	struct step *s = st;
	int want = s->cmd.flags ? EINVAL : EBADF;

	s->arg.delta = delta;
	if (ioctl(s->devfd, IPO_INVOKE, &s->cmd) != -1 || errno != want)
		return -EPROTO;
	if (!s->cmd.flags && s->call.status != -EBADF)
		return -EPROTO;
	*total = s->total += delta;
	return 0;
}

static void run_invoke_steps(void)
{
	static const char *const names[] = {
		"ipo_invoke_einval", "ipo_invoke_ebadf",
	};
	static const char *const whats[] = {
		"INVOKE refused after the command is copied in (unknown flag): the dispatcher's part",
		"one-call INVOKE on fd -1: everything but the handle, the lock, the method and the output",
	};
	int i;

	for (i = 0; i < 2; i++) {
		struct mech m = {
			.name = names[i], .placement = "local",
			.timing = "per_batch", .ops = BATCH, .calls = 1,
			.what = whats[i],
		};
		struct step s = {
			.devfd = open("/dev/ipo", O_RDWR | O_CLOEXEC),
			.cmd = { .size = sizeof(s.cmd), .nr_calls = 1,
				 .call_size = sizeof(s.call),
				 .flags = i ? 0 : 1U << 31 },
			.call = { .obj_fd = -1, .arg_size = sizeof(s.arg),
				  .out_size = sizeof(s.out) },
		};
		int64_t total = 0;

		if (!wanted(m.name))
			continue;
		s.cmd.calls = (uintptr_t)&s.call;
		s.call.arg = (uintptr_t)&s.arg;
		s.call.out = (uintptr_t)&s.out;
		if (s.devfd < 0)
			setup_failed(m.name, m.placement, "/dev/ipo", -errno);
		else
			measure(&m, op_invoke_step, &s, &total);
		if (s.devfd >= 0)
			close(s.devfd);
	}
}

static void run_ipo(void)
{
	static const struct {
		const char *name;
		bool interp;
		unsigned int n;
		const char *what;
	} v[] = {
		{ "ipo_invoke_jit", false, 1,
		  "one INVOKE ioctl of counter.add, JIT-compiled" },
		{ "ipo_invoke_interp", true, 1,
		  "one INVOKE ioctl of counter.add on the interpreter" },
		{ "ipo_bundle_8", false, 8,
		  "one INVOKE of 8 counter.add calls (JIT), per call" },
		{ "ipo_bundle_64", false, 64,
		  "one INVOKE of 64 counter.add calls (JIT), per call" },
		{ "ipo_bundle_512", false, 512,
		  "one INVOKE of 512 counter.add calls (JIT), per call" },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct mech m = {
			.name = v[i].name, .placement = "local",
			.timing = v[i].n > 1 ? "per_call" : "per_batch",
			.ops = v[i].n > 1 ? 1 : BATCH, .calls = v[i].n,
			.what = v[i].what,
		};
		struct ipo_counter c;
		int64_t total = 0;
		int err;

		if (!wanted(m.name))
			continue;
		err = counter_open(&c, v[i].interp);
		if (!err)
			err = counter_bundle(&c, v[i].n);
		if (err) {
			setup_failed(m.name, m.placement, "counter object", err);
		} else if (!measure(&m, op_invoke, &c, &total)) {
			/* The object's own view must agree. */
			struct ipo_view *view = ipo_view_map(c.obj);
			struct counter snap;

			if (!view || ipo_view_snapshot(view, 0, &snap,
						       sizeof(snap)) < 0 ||
			    snap.total != total)
				setup_failed(m.name, m.placement,
					     "object total after the run",
					     -EBADMSG);
			ipo_view_unmap(view);
		}
		counter_close(&c);
	}
}

/* ---- notifications: the writer's cost ----------------------------------- */

struct widgets {
	struct ipo_dev *dev;
	struct ipo_prog_obj *po;
	int obj;
	struct ipo_bundle *b;
	struct set_rgb_args rgb;
	int64_t count;		/* sum of the deltas of the committed calls */
	uint32_t calls;		/* set_rgb calls committed */
};

static int widgets_open(struct widgets *w)
{
	struct resize_args rs = { .w = 320, .h = 200 };
	struct insert_button_args ins = { .id = 1, .x = 10, .y = 10,
					  .w = 80, .h = 24 };
	int err;

	memset(w, 0, sizeof(*w));
	w->dev = ipo_dev_open();
	if (!w->dev)
		return -errno;
	w->po = ipo_prog_obj_open(WIDGETS_O, NULL);
	if (!w->po)
		return -errno;
	w->obj = ipo_obj_create(w->dev, sizeof(struct widgets_window), NULL,
				NULL);
	if (w->obj < 0)
		return w->obj;
	err = ipo_obj_attach_prog_obj(w->dev, w->obj, w->po, NULL);
	if (err < 0)
		return err;
	w->b = ipo_bundle_new(w->dev);
	if (!w->b)
		return -errno;
	ipo_bundle_add_call(w->b, w->obj,
			    ipo_prog_obj__method_index(w->po, "resize"),
			    &rs, sizeof(rs), NULL, 0);
	ipo_bundle_add_call(w->b, w->obj,
			    ipo_prog_obj__method_index(w->po, "insert_button"),
			    &ins, sizeof(ins), NULL, 0);
	err = ipo_bundle_submit(w->b, IPO_INVOKE_ATOMIC, 0);
	if (err)
		return err;
	ipo_bundle_reset(w->b);
	w->rgb.id = 1;
	err = ipo_bundle_add_call(w->b, w->obj,
				  ipo_prog_obj__method_index(w->po, "set_rgb"),
				  &w->rgb, sizeof(w->rgb), NULL, 0);
	return err < 0 ? err : 0;
}

/* The window's serial counts every committed change (2 for the setup). */
static int widgets_check(struct widgets *w)
{
	struct ipo_view *view = ipo_view_map(w->obj);
	struct widgets_window win;
	int err = 0;

	if (!view)
		return -errno;
	if (ipo_view_snapshot(view, 0, &win, sizeof(win)) < 0 ||
	    win.serial != w->calls + 2) {
		fprintf(stderr, "widgets: serial %u after %u calls\n",
			win.serial, w->calls);
		err = -EBADMSG;
	}
	ipo_view_unmap(view);
	return err;
}

static void widgets_close(struct widgets *w)
{
	ipo_bundle_free(w->b);
	if (w->obj > 0)
		close(w->obj);
	ipo_prog_obj__close(w->po);
	ipo_dev_close(w->dev);
}

/* set_rgb (notifies WIDGETS_EV_COLOUR); the "total" is the call count. */
static int op_set_rgb(void *st, int64_t delta, int64_t *total, uint64_t *lat)
{
	struct widgets *w = st;
	int err;

	w->rgb.rgb = (w->rgb.rgb + (uint32_t)delta) & 0xffffff;
	err = ipo_bundle_submit(w->b, 0, 0);
	if (err)
		return err;
	w->calls++;
	*total = w->count += delta;
	return 0;
}

struct reader {
	int epfd;
	_Atomic bool stop;
	unsigned long records;
};

/* Reads half of the subscriptions as events arrive (the other half fill). */
static void *reader_thread(void *arg)
{
	struct reader *r = arg;
	struct epoll_event ees[MAX_SUBS];
	struct ipo_event recs[16];
	int i, n;

	pin(1);
	for (;;) {
		/* One last pass after the stop: what is queued is read. */
		bool stop = atomic_load(&r->stop);

		n = epoll_wait(r->epfd, ees, MAX_SUBS, stop ? 0 : 20);
		for (i = 0; i < n; i++)
			while (read(ees[i].data.fd, recs, sizeof(recs)) > 0)
				r->records++;
		if (stop)
			return NULL;
	}
}

static void run_notify(void)
{
	static const int subs[] = { 0, 1, 15, 64 };
	static const char *const names[] = {
		"ipo_notify_0", "ipo_notify_1", "ipo_notify_15", "ipo_notify_64",
	};
	size_t k;

	for (k = 0; k < 4; k++) {
		LIBIPO_OPTS(ipo_subscribe_opts, so, .flags = IPO_SUB_NONBLOCK);
		struct mech m = {
			.name = names[k], .placement = "local",
			.timing = "per_batch", .ops = BATCH, .calls = 1,
			.what = "writer's INVOKE of widgets.set_rgb (notifies) with this many subscribers; half read by a thread on CPU 1",
		};
		struct reader r = { .epfd = -1 };
		int fds[MAX_SUBS], n = 0, i, err;
		int64_t total = 0;
		pthread_t th;
		struct widgets w;

		if (!wanted(m.name))
			continue;
		err = widgets_open(&w);
		if (err) {
			setup_failed(m.name, m.placement, "widgets object", err);
			widgets_close(&w);
			continue;
		}
		r.epfd = epoll_create1(EPOLL_CLOEXEC);
		for (i = 0; i < subs[k] && r.epfd >= 0; i++, n++) {
			struct epoll_event ee = { .events = EPOLLIN };

			fds[i] = ipo_subscribe(w.dev, w.obj, ~0ULL, &so);
			if (fds[i] < 0) {
				err = fds[i];
				break;
			}
			if (i % 2)
				continue;
			ee.data.fd = fds[i];
			if (epoll_ctl(r.epfd, EPOLL_CTL_ADD, fds[i], &ee)) {
				err = -errno;
				n++;
				break;
			}
		}
		if (r.epfd < 0)
			err = -errno;
		if (!err)
			err = -pthread_create(&th, NULL, reader_thread, &r);
		if (err) {
			setup_failed(m.name, m.placement, "subscriptions", err);
		} else {
			if (!measure(&m, op_set_rgb, &w, &total) &&
			    widgets_check(&w))
				setup_failed(m.name, m.placement,
					     "window serial after the run",
					     -EBADMSG);
			atomic_store(&r.stop, true);
			pthread_join(th, NULL);
			if (subs[k] && !r.records)
				setup_failed(m.name, m.placement,
					     "no record reached the reader",
					     -ENODATA);
		}
		for (i = 0; i < n; i++)
			close(fds[i]);
		if (r.epfd >= 0)
			close(r.epfd);
		widgets_close(&w);
	}
}

/* ---- the kernel's eBPF ---------------------------------------------------- */

struct bpf_ctx {
	int64_t delta;
	int64_t total;
};

struct bpf_state {
	int map_fd, prog_fd;
	int64_t total;
};

#define INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
			    .off = (o), .imm = (i) })

/*
 * A BPF_PROG_TYPE_SYSCALL program (sleepable, as 6.1 requires) doing
 * counter.add on element 0 of an array map: total += ctx->delta;
 * ctx->total = total.  BPF_PROG_RUN copies the context back.
 */
static int bpf_open(struct bpf_state *s, bool prog)
{
	union bpf_attr a;
	char log[4096] = "";
	struct bpf_insn insns[] = {
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_1, 0, 0),
		INSN(BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, -4, 0),
		INSN(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_1, BPF_PSEUDO_MAP_FD,
		     0, 0),	/* the map fd goes here */
		INSN(0, 0, 0, 0, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0),
		INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -4),
		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem),
		INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_0, 0, 2, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, -ENOENT),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
		INSN(BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_1, BPF_REG_6, 0, 0),
		INSN(BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_2, BPF_REG_0, 0, 0),
		INSN(BPF_ALU64 | BPF_ADD | BPF_X, BPF_REG_2, BPF_REG_1, 0, 0),
		INSN(BPF_STX | BPF_MEM | BPF_DW, BPF_REG_0, BPF_REG_2, 0, 0),
		INSN(BPF_STX | BPF_MEM | BPF_DW, BPF_REG_6, BPF_REG_2, 8, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	int fd;

	memset(s, 0, sizeof(*s));
	s->prog_fd = -1;
	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = 1;
	s->map_fd = sys_bpf(BPF_MAP_CREATE, &a);
	if (s->map_fd < 0)
		return s->map_fd;
	if (!prog)
		return 0;
	insns[2].imm = s->map_fd;
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SYSCALL;
	a.prog_flags = BPF_F_SLEEPABLE;
	a.insns = (uintptr_t)insns;
	a.insn_cnt = sizeof(insns) / sizeof(insns[0]);
	a.license = (uintptr_t)"GPL";
	a.log_buf = (uintptr_t)log;
	a.log_size = sizeof(log);
	a.log_level = 1;
	fd = sys_bpf(BPF_PROG_LOAD, &a);
	if (fd < 0) {
		/* The log only matters when the load failed. */
		a.log_level = 0;
		fprintf(stderr, "bpf: PROG_LOAD: %s\n%s\n", strerror(-fd), log);
		return fd;
	}
	s->prog_fd = fd;
	return 0;
}

static void bpf_close(struct bpf_state *s)
{
	if (s->prog_fd >= 0)
		close(s->prog_fd);
	if (s->map_fd >= 0)
		close(s->map_fd);
}

static int op_bpf_prog_run(void *st, int64_t delta, int64_t *total,
			   uint64_t *lat)
{
	struct bpf_state *s = st;
	struct bpf_ctx ctx = { .delta = delta };
	union bpf_attr a;
	int err;

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = s->prog_fd;
	a.test.ctx_in = (uintptr_t)&ctx;
	a.test.ctx_size_in = sizeof(ctx);
	err = sys_bpf(BPF_PROG_RUN, &a);
	if (err < 0)
		return err;
	if (a.test.retval)
		return (int)a.test.retval;
	*total = ctx.total;
	return 0;
}

/* One update of the element with the client's own new total. */
static int op_bpf_map_update(void *st, int64_t delta, int64_t *total,
			     uint64_t *lat)
{
	struct bpf_state *s = st;
	uint32_t key = 0;
	int64_t v = s->total + delta;
	union bpf_attr a;
	int err;

	memset(&a, 0, sizeof(a));
	a.map_fd = s->map_fd;
	a.key = (uintptr_t)&key;
	a.value = (uintptr_t)&v;
	a.flags = BPF_ANY;
	err = sys_bpf(BPF_MAP_UPDATE_ELEM, &a);
	if (err < 0)
		return err;
	*total = s->total = v;
	return 0;
}

static int bpf_map_total(struct bpf_state *s, int64_t *v)
{
	uint32_t key = 0;
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = s->map_fd;
	a.key = (uintptr_t)&key;
	a.value = (uintptr_t)v;
	return sys_bpf(BPF_MAP_LOOKUP_ELEM, &a);
}

static void run_bpf(void)
{
	static const struct {
		const char *name;
		bool prog;
		op_fn op;
		const char *what;
	} v[] = {
		{ "bpf_prog_run_syscall", true, op_bpf_prog_run,
		  "BPF_PROG_RUN of a sleepable SYSCALL program: array map lookup, add, store, total into ctx" },
		{ "bpf_map_update_elem", false, op_bpf_map_update,
		  "one BPF_MAP_UPDATE_ELEM of the client-computed total (no read-modify-write in the kernel)" },
	};
	size_t i;

	for (i = 0; i < 2; i++) {
		struct mech m = {
			.name = v[i].name, .placement = "local",
			.timing = "per_batch", .ops = BATCH, .calls = 1,
			.what = v[i].what,
		};
		struct bpf_state s;
		int64_t total = 0, in_map;
		int err;

		if (!wanted(m.name))
			continue;
		err = bpf_open(&s, v[i].prog);
		if (err)
			setup_failed(m.name, m.placement, "bpf()", err);
		else if (!measure(&m, v[i].op, &s, &total) &&
			 (bpf_map_total(&s, &in_map) || in_map != total))
			setup_failed(m.name, m.placement,
				     "map total after the run", -EBADMSG);
		bpf_close(&s);
	}
}

/* ---- client/server round trips ------------------------------------------ */

enum rpc_kind {
	RPC_STREAM, RPC_SEQPACKET, RPC_DGRAM, RPC_PIPE, RPC_EVENTFD,
	RPC_FUTEX, RPC_STREAM_BATCH,
};

struct shm_rpc {
	_Atomic uint32_t state;		/* futex word: IDLE, REQ, RESP, STOP */
	uint32_t pad;
	int64_t delta;
	int64_t total;
};

enum { ST_IDLE, ST_REQ, ST_RESP, ST_STOP };

struct rpc {
	enum rpc_kind kind;
	int cfd, sfd;			/* client's and server's end */
	int c2s[2], s2c[2];		/* pipes; eventfds in [0] */
	struct shm_rpc *shm;
	pid_t server;
	int64_t buf[SOCK_BATCH];
};

/*
 * The server: the counter lives here.  A delta of 0 (never sent by the
 * measurement) or EOF ends it: a datagram socket sees no EOF.
 */
static int serve(struct rpc *r)
{
	int64_t total = 0, req[SOCK_BATCH];
	uint64_t one = 1, ev;
	int i;

	for (;;) {
		switch (r->kind) {
		case RPC_STREAM:
		case RPC_SEQPACKET:
		case RPC_DGRAM:
			if (read_full(r->sfd, req, 8) || !req[0])
				return 0;
			total += req[0];
			if (write_full(r->sfd, &total, 8))
				return 1;
			break;
		case RPC_STREAM_BATCH:
			if (read_full(r->sfd, req, sizeof(req)) || !req[0])
				return 0;
			for (i = 0; i < SOCK_BATCH; i++)
				req[i] = total += req[i];
			if (write_full(r->sfd, req, sizeof(req)))
				return 1;
			break;
		case RPC_PIPE:
			if (read_full(r->c2s[0], req, 8) || !req[0])
				return 0;
			total += req[0];
			if (write_full(r->s2c[1], &total, 8))
				return 1;
			break;
		case RPC_EVENTFD:
			if (read_full(r->c2s[0], &ev, 8))
				return 1;
			if (atomic_load(&r->shm->state) == ST_STOP)
				return 0;
			total += r->shm->delta;
			r->shm->total = total;
			if (write_full(r->s2c[0], &one, 8))
				return 1;
			break;
		case RPC_FUTEX: {
			uint32_t s;

			while ((s = atomic_load(&r->shm->state)) != ST_REQ) {
				if (s == ST_STOP)
					return 0;
				sys_futex(&r->shm->state, FUTEX_WAIT, s);
			}
			total += r->shm->delta;
			r->shm->total = total;
			atomic_store(&r->shm->state, ST_RESP);
			sys_futex(&r->shm->state, FUTEX_WAKE, 1);
			break;
		}
		}
	}
}

static int op_rpc(void *st, int64_t delta, int64_t *total, uint64_t *lat)
{
	struct rpc *r = st;
	uint64_t one = 1, ev;
	int err, i;

	switch (r->kind) {
	case RPC_STREAM:
	case RPC_SEQPACKET:
	case RPC_DGRAM:
		err = write_full(r->cfd, &delta, 8);
		if (!err)
			err = read_full(r->cfd, total, 8);
		return err;
	case RPC_STREAM_BATCH:
		for (i = 0; i < SOCK_BATCH; i++)
			r->buf[i] = delta;
		err = write_full(r->cfd, r->buf, sizeof(r->buf));
		if (!err)
			err = read_full(r->cfd, r->buf, sizeof(r->buf));
		if (err)
			return err;
		for (i = 1; i < SOCK_BATCH; i++)
			if (r->buf[i] != r->buf[i - 1] + delta)
				return -EBADMSG;
		*total = r->buf[SOCK_BATCH - 1];
		return 0;
	case RPC_PIPE:
		err = write_full(r->c2s[1], &delta, 8);
		if (!err)
			err = read_full(r->s2c[0], total, 8);
		return err;
	case RPC_EVENTFD:
		r->shm->delta = delta;
		err = write_full(r->c2s[0], &one, 8);
		if (!err)
			err = read_full(r->s2c[0], &ev, 8);
		*total = r->shm->total;
		return err;
	case RPC_FUTEX: {
		uint32_t s;

		r->shm->delta = delta;
		atomic_store(&r->shm->state, ST_REQ);
		sys_futex(&r->shm->state, FUTEX_WAKE, 1);
		while ((s = atomic_load(&r->shm->state)) != ST_RESP)
			sys_futex(&r->shm->state, FUTEX_WAIT, s);
		*total = r->shm->total;
		return 0;
	}
	}
	return -EINVAL;
}

static int rpc_open(struct rpc *r, enum rpc_kind kind, int server_cpu)
{
	int sv[2] = { -1, -1 }, type;

	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->cfd = r->sfd = -1;
	r->c2s[0] = r->c2s[1] = r->s2c[0] = r->s2c[1] = -1;
	switch (kind) {
	case RPC_STREAM:
	case RPC_STREAM_BATCH:
	case RPC_SEQPACKET:
	case RPC_DGRAM:
		type = kind == RPC_SEQPACKET ? SOCK_SEQPACKET :
		       kind == RPC_DGRAM ? SOCK_DGRAM : SOCK_STREAM;
		if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv))
			return -errno;
		r->cfd = sv[0];
		r->sfd = sv[1];
		break;
	case RPC_PIPE:
		if (pipe2(r->c2s, O_CLOEXEC) || pipe2(r->s2c, O_CLOEXEC))
			return -errno;
		break;
	case RPC_EVENTFD:
		r->c2s[0] = eventfd(0, EFD_CLOEXEC);
		r->s2c[0] = eventfd(0, EFD_CLOEXEC);
		if (r->c2s[0] < 0 || r->s2c[0] < 0)
			return -errno;
		/* the delta and the total are in shared memory */
		__attribute__((fallthrough));
	case RPC_FUTEX:
		r->shm = shm_alloc(sizeof(*r->shm));
		if (!r->shm)
			return -errno;
		break;
	}
	r->server = fork();
	if (r->server < 0)
		return -errno;
	if (!r->server) {
		pin(server_cpu);
		if (r->cfd >= 0)
			close(r->cfd);
		if (kind == RPC_PIPE) {
			close(r->c2s[1]);
			close(r->s2c[0]);
		}
		_exit(serve(r));
	}
	/* Only the server's ends stay in the server, so EOF reaches it. */
	if (r->sfd >= 0) {
		close(r->sfd);
		r->sfd = -1;
	}
	if (kind == RPC_PIPE) {
		close(r->c2s[0]);
		close(r->s2c[1]);
		r->c2s[0] = r->s2c[1] = -1;
	}
	return 0;
}

/* Stops the server (EOF, or STOP for the shared-memory kinds). */
static int rpc_close(struct rpc *r)
{
	int i, status = 0;
	uint64_t one = 1;

	if (r->shm) {
		atomic_store(&r->shm->state, ST_STOP);
		sys_futex(&r->shm->state, FUTEX_WAKE, 1);
		if (r->c2s[0] >= 0 && r->kind == RPC_EVENTFD)
			write_full(r->c2s[0], &one, 8);
	}
	memset(r->buf, 0, sizeof(r->buf));
	if (r->cfd >= 0) {
		write_full(r->cfd, r->buf, r->kind == RPC_STREAM_BATCH ?
			   sizeof(r->buf) : 8);
		close(r->cfd);
	}
	if (r->c2s[1] >= 0) {
		write_full(r->c2s[1], r->buf, 8);
		close(r->c2s[1]);
	}
	if (r->server > 0 && waitpid(r->server, &status, 0) < 0)
		status = 1;
	if (r->c2s[0] >= 0)
		close(r->c2s[0]);
	for (i = 0; i < 2; i++)
		if (r->s2c[i] >= 0)
			close(r->s2c[i]);
	if (r->shm)
		munmap(r->shm, sizeof(*r->shm));
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -ECHILD;
}

static const struct {
	const char *name;
	enum rpc_kind kind;
	const char *what;
} rpcs[] = {
	{ "unix_stream_rpc", RPC_STREAM,
	  "8-byte delta over a SOCK_STREAM socketpair, server adds, 8-byte total back" },
	{ "unix_seqpacket_rpc", RPC_SEQPACKET,
	  "the same over SOCK_SEQPACKET" },
	{ "unix_dgram_rpc", RPC_DGRAM, "the same over SOCK_DGRAM" },
	{ "pipe_rpc", RPC_PIPE, "the same over two pipes" },
	{ "eventfd_shm_rpc", RPC_EVENTFD,
	  "delta and total in shared memory, an eventfd each way" },
	{ "futex_shm_rpc", RPC_FUTEX,
	  "delta and total in shared memory, FUTEX_WAKE/FUTEX_WAIT each way (no spinning)" },
	{ "unix_stream_batch_64", RPC_STREAM_BATCH,
	  "64 deltas in one write on SOCK_STREAM, 64 totals in one read; per request" },
};

static void run_rpc(void)
{
	static const char *const placements[] = { "2cpu", "1cpu" };
	size_t i, p;

	for (p = 0; p < 2; p++) {
		if (p == 0 && nr_cpus < 2)
			continue;
		for (i = 0; i < sizeof(rpcs) / sizeof(rpcs[0]); i++) {
			bool batch = rpcs[i].kind == RPC_STREAM_BATCH;
			struct mech m = {
				.name = rpcs[i].name,
				.placement = placements[p],
				.timing = batch ? "per_call" : "per_op",
				.ops = 1, .calls = batch ? SOCK_BATCH : 1,
				.what = rpcs[i].what,
			};
			struct rpc r;
			int64_t total = 0;
			int err;

			if (!wanted(m.name))
				continue;
			err = rpc_open(&r, rpcs[i].kind, p == 0 ? 1 : 0);
			if (err)
				setup_failed(m.name, m.placement, "server", err);
			else
				measure(&m, op_rpc, &r, &total);
			if (rpc_close(&r))
				setup_failed(m.name, m.placement,
					     "server exit status", -ECHILD);
		}
	}
}

/* ---- wake-up latency ------------------------------------------------------- */

struct wake_shm {
	_Atomic uint64_t t1;		/* when the subscriber ran */
	_Atomic int64_t seen;		/* what it read: the seq or the total */
	_Atomic bool ready;
};

struct wake {
	bool ipo;
	struct widgets w;
	int sub_fd;			/* the subscriber's */
	int wfd, rfd;			/* unix: writer's and reader's ends */
	struct wake_shm *shm;
	pid_t child;
	int64_t sent;
	uint32_t seq0;
};

static int wake_child(struct wake *k)
{
	struct ipo_event ev;
	int64_t v, total = 0;

	atomic_store(&k->shm->ready, true);
	for (;;) {
		if (k->ipo) {
			if (read(k->sub_fd, &ev, sizeof(ev)) != sizeof(ev))
				return 1;
			atomic_store(&k->shm->t1, now_ns());
			if (ev.flags & IPO_EVENT_OVERFLOW)
				return 2;
			v = ev.seq;
		} else {
			if (read_full(k->rfd, &v, 8))
				return 0;	/* EOF: done */
			atomic_store(&k->shm->t1, now_ns());
			v = total += v;
		}
		atomic_store(&k->shm->seen, v);
	}
}

/*
 * The writer stamps t0, makes its call (set_rgb, which notifies; or an
 * 8-byte write), and waits -- yielding, so that on one CPU the subscriber
 * can run -- until the subscriber reports; the sample is t1 - t0.
 */
static int op_wake(void *st, int64_t delta, int64_t *total, uint64_t *lat)
{
	struct wake *k = st;
	int64_t want;
	uint64_t t0;
	int err;

	t0 = now_ns();
	if (k->ipo) {
		int64_t n;

		/* The object's seq goes up by 2 per bundle. */
		err = op_set_rgb(&k->w, 1, &n, lat);
		want = (uint32_t)(k->seq0 + 2 * k->w.calls);
	} else {
		/* The reader sums what it reads. */
		err = write_full(k->wfd, &delta, 8);
		want = k->sent + delta;
	}
	if (err)
		return err;
	*total = k->sent += delta;
	while (atomic_load(&k->shm->seen) != want) {
		if (waitpid(k->child, NULL, WNOHANG))
			return -ECHILD;
		sched_yield();
	}
	*lat = atomic_load(&k->shm->t1) - t0;
	return 0;
}

static void run_wake(void)
{
	static const char *const placements[] = { "2cpu", "1cpu" };
	size_t i, p;

	for (p = 0; p < 2; p++) {
		if (p == 0 && nr_cpus < 2)
			continue;
		for (i = 0; i < 2; i++) {
			struct mech m = {
				.name = i ? "unix_oneway_latency" :
					    "ipo_wake_latency",
				.placement = placements[p],
				.timing = "per_op", .ops = 1, .calls = 1,
				.self_timed = true,
				.what = i ? "writer's write() of 8 bytes on a SOCK_STREAM socketpair until the blocked reader runs" :
					    "writer's INVOKE of widgets.set_rgb until the subscriber blocked in read() of its subscription runs",
			};
			struct wake k = { .ipo = !i, .sub_fd = -1, .wfd = -1,
					  .rfd = -1 };
			int64_t total = 0;
			int sv[2], err = 0, status;

			if (!wanted(m.name))
				continue;
			k.shm = shm_alloc(sizeof(*k.shm));
			if (!k.shm) {
				setup_failed(m.name, m.placement, "mmap", -errno);
				continue;
			}
			atomic_store(&k.shm->seen, 0);
			if (k.ipo) {
				err = widgets_open(&k.w);
				if (!err) {
					struct ipo_view *view = ipo_view_map(k.w.obj);

					k.sub_fd = ipo_subscribe(k.w.dev, k.w.obj,
								 WIDGETS_EV_COLOUR, NULL);
					if (k.sub_fd < 0)
						err = k.sub_fd;
					else if (!view)
						err = -errno;
					else
						k.seq0 = ipo_view_header(view)->seq;
					ipo_view_unmap(view);
				}
			} else if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC,
					      0, sv)) {
				err = -errno;
			} else {
				k.wfd = sv[0];
				k.rfd = sv[1];
			}
			if (!err) {
				k.child = fork();
				if (k.child < 0)
					err = -errno;
				if (!k.child) {
					pin(p == 0 ? 1 : 0);
					if (k.wfd >= 0)
						close(k.wfd);
					_exit(wake_child(&k));
				}
			}
			if (err) {
				setup_failed(m.name, m.placement, "setup", err);
			} else {
				while (!atomic_load(&k.shm->ready))
					sched_yield();
				measure(&m, op_wake, &k, &total);
			}
			if (k.wfd >= 0)
				close(k.wfd);
			if (k.rfd >= 0)
				close(k.rfd);
			if (k.child > 0) {
				if (k.ipo)
					kill(k.child, SIGKILL);
				waitpid(k.child, &status, 0);
				if (!k.ipo && (!WIFEXITED(status) ||
					       WEXITSTATUS(status)))
					setup_failed(m.name, m.placement,
						     "reader exit status",
						     -ECHILD);
			}
			if (k.sub_fd >= 0)
				close(k.sub_fd);
			if (k.ipo)
				widgets_close(&k.w);
			munmap(k.shm, sizeof(*k.shm));
		}
	}
}

/* ---- environment ------------------------------------------------------------ */

static void json_str(const char *key, const char *s, bool comma)
{
	printf("\"%s\":\"", key);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s >= 0x20)
			putchar(*s);
	}
	printf("\"%s", comma ? "," : "");
}

static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = 0;
	if (f) {
		if (fgets(buf, len, f))
			buf[strcspn(buf, "\n")] = 0;
		fclose(f);
	}
	if (!buf[0])
		snprintf(buf, len, "?");
}

/*
 * What counter.add itself costs: PROG_TEST_RUN of the method, @repeat
 * runs in the kernel (the module's own clock around them, divided), on
 * the JIT or the interpreter.  Tells how much of an INVOKE is the
 * method and how much the way there and back.  -1 when it cannot run.
 */
static double method_run_ns(bool interp)
{
	struct ipo_dev *dev = ipo_dev_open();
	struct ipo_prog_obj *po = ipo_prog_obj_open(COUNTER_O, NULL);
	struct ipo_program *prog = po ? ipo_prog_obj__find_program(po, "add") :
				   NULL;
	struct counter obj = { 0 };
	struct add_args arg = { .delta = 1 };
	int64_t out;
	LIBIPO_OPTS(ipo_test_run_opts, o, .repeat = 100000, .obj = &obj,
		    .obj_size = sizeof(obj), .arg = &arg,
		    .arg_size = sizeof(arg), .out = &out,
		    .out_size = sizeof(out),
		    .flags = interp ? IPO_TEST_RUN_INTERP : 0);
	double ns = -1;
	int fd = -1;

	if (dev && prog)
		fd = ipo_program_load(dev, prog, NULL);
	if (fd >= 0 && !ipo_prog_test_run(dev, fd, &o) && !o.abort &&
	    obj.total == 100000 && o.jited == !interp)
		ns = o.duration_ns;
	if (fd >= 0)
		close(fd);
	ipo_prog_obj__close(po);
	ipo_dev_close(dev);
	return ns;
}

static void print_env(void)
{
	static const char *const vulns[] = {
		"meltdown", "spectre_v1", "spectre_v2", "spec_store_bypass",
		"retbleed", "mds",
	};
	char buf[512], model[256] = "?", sig[13] = "";
	unsigned int a, b, c, d;
	struct utsname u;
	uint64_t t0, best = ~0ULL;
	FILE *f;
	size_t i;
	int k;

	uname(&u);
	f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(buf, sizeof(buf), f)) {
		if (!strncmp(buf, "model name", 10) && strchr(buf, ':')) {
			snprintf(model, sizeof(model), "%s",
				 strchr(buf, ':') + 2);
			model[strcspn(model, "\n")] = 0;
			break;
		}
	}
	if (f)
		fclose(f);
	/* The hypervisor's signature: "TCGTCGTCGTCG" or "KVMKVMKVM". */
	__cpuid(0x40000000, a, b, c, d);
	memcpy(sig, &b, 4);
	memcpy(sig + 4, &c, 4);
	memcpy(sig + 8, &d, 4);
	for (i = 0; i < 12; i++)
		if ((unsigned char)sig[i] < 0x20 || (unsigned char)sig[i] > 0x7e)
			sig[i] = 0;
	for (k = 0; k < 1000; k++) {
		t0 = now_ns();
		t0 = now_ns() - t0;
		if (t0 < best)
			best = t0;
	}

	printf("IPO-BENCH-ENV {");
	json_str("kernel", u.release, true);
	printf("\"vcpus\":%d,", nr_cpus);
	json_str("cpu_model", model, true);
	json_str("hypervisor", sig, true);
	json_str("accel", strstr(sig, "TCG") ? "tcg" : strstr(sig, "KVM") ?
		 "kvm" : "unknown", true);
	read_line("/proc/cmdline", buf, sizeof(buf));
	json_str("cmdline", buf, true);
	read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		  buf, sizeof(buf));
	json_str("clocksource", buf, true);
	printf("\"clock_read_ns\":%" PRIu64 ",", best);
	printf("\"counter_add_run_ns\":{\"jit\":%.0f,\"interp\":%.0f},",
	       method_run_ns(false), method_run_ns(true));
	read_line("/sys/module/ipo/parameters/jit", buf, sizeof(buf));
	json_str("ipo_jit", buf, true);
	read_line("/proc/sys/net/core/bpf_jit_enable", buf, sizeof(buf));
	json_str("bpf_jit_enable", buf, true);
	printf("\"mitigations\":{");
	for (i = 0; i < sizeof(vulns) / sizeof(vulns[0]); i++) {
		char path[128];

		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/vulnerabilities/%s", vulns[i]);
		read_line(path, buf, sizeof(buf));
		json_str(vulns[i], buf, i + 1 < sizeof(vulns) / sizeof(vulns[0]));
	}
	printf("},\"seconds_per_mechanism\":%.2f,\"batch\":%d,"
	       "\"histogram\":\"log2 buckets, %d linear sub-buckets each; percentiles are bucket midpoints\"}\n",
	       cfg.seconds, BATCH, SUB);
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
};

static void run_floors(void)
{
	static const struct {
		const char *name;
		op_fn op;
		const char *what;
	} v[] = {
		{ "null_ioctl", op_null_ioctl,
		  "ioctl on /dev/ipo with a command number ipo does not have (ENOTTY from its dispatcher)" },
		{ "getppid", op_getppid, "getppid(), the cheapest syscall" },
	};
	struct local l = { .devfd = open("/dev/ipo", O_RDWR | O_CLOEXEC) };
	size_t i;

	for (i = 0; i < 2; i++) {
		struct mech m = {
			.name = v[i].name, .placement = "local",
			.timing = "per_batch", .ops = BATCH, .calls = 1,
			.what = v[i].what,
		};
		int64_t total = 0;

		if (!wanted(m.name))
			continue;
		l.total = 0;
		if (l.devfd < 0)
			setup_failed(m.name, m.placement, "/dev/ipo", -errno);
		else
			measure(&m, v[i].op, &l, &total);
	}
	if (l.devfd >= 0)
		close(l.devfd);
}

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
		printf("TAP version 13\n");
	else
		print_env();

	run_floors();
	run_invoke_steps();
	run_ipo();
	run_rpc();
	run_bpf();
	run_notify();
	run_wake();
	alarm(0);

	if (cfg.smoke)
		printf("1..%u\n", test_nr);
	else
		printf("IPO-BENCH-DONE failures=%d\n", failures);
	return failures ? 1 : 0;
}
