// SPDX-License-Identifier: GPL-2.0
/*
 * ipo_bench: a real service both ways -- the rate limiter of
 * progs/ratelimit.c (RL_BUCKETS token buckets, take(bucket, n) refilled by
 * elapsed time) as one ipo object whose take() runs in each worker's own
 * INVOKE, and as a Unix-socket server: one process polling a SOCK_SEQPACKET
 * connection per worker and doing the same arithmetic (ratelimit.h's, on
 * CLOCK_MONOTONIC, which is the kernel's ktime_get_ns()).
 *
 * 1..SVC_MAX_WORKERS worker threads, each takes one token of a bucket it
 * picks per request; a request is one take (one INVOKE, one round trip)
 * or SVC_BATCH takes (one stop-at-error bundle, one message each way).
 * Latency is per request; the rate is takes per second over all workers.
 *
 * Every run checks the service: the tokens the workers were granted, per
 * bucket, must be what the bucket counted, and no more than its bound
 * (burst + elapsed / ns_per_token since config); a violation fails the
 * run.  Results are "IPO-BENCH-SVC {json}" lines (bench/bench.py's
 * service table); a failure is an "IPO-BENCH" error line.
 */
#include <poll.h>
#include <pthread.h>

#include "ipo_bench.h"
#include "ratelimit.h"

#define RATELIMIT_O	"/ipo/progs/ratelimit.o"
#define SVC_MAX_WORKERS	4
#define SVC_BATCH	16
/* Per bucket: a burst of 32, then one token per 50 us (20k/s). */
#define SVC_BURST	32
#define SVC_NS_PER_TOKEN 50000

struct svc_req {
	uint32_t nr;		/* takes; 0: send the buckets back */
	uint32_t __pad;
	struct take_args t[SVC_BATCH];
};

struct svc_rsp {
	int32_t err;
	uint32_t nr;
	struct take_out o[SVC_BATCH];
};

struct svc;

struct svc_worker {
	struct svc *s;
	pthread_t thread;
	unsigned int id;
	int fd;				/* socket: the connection */
	struct ipo_bundle *b;		/* ipo: the bundle, built once */
	struct take_args args[SVC_BATCH];
	struct take_out out[SVC_BATCH];
	uint64_t granted[RL_BUCKETS];	/* what this worker was given */
	uint64_t takes, requests;
	int err;
	struct hist h;
};

struct svc {
	bool ipo;
	unsigned int batch, workers;
	uint32_t flags;		/* of the bundles: 0 or IPO_INVOKE_ATOMIC */
	/* ipo */
	struct ipo_dev *dev;
	struct ipo_prog_obj *po;
	int obj, m_config, m_take, m_peek;
	/* sockets */
	pid_t server;
	/* the run */
	atomic_bool stop;
	atomic_bool measuring;
	struct svc_worker w[SVC_MAX_WORKERS];
};

/* ---- the socket server ---------------------------------------------- */

static int svc_serve_one(struct ratelimit *rl, int fd)
{
	static struct svc_req req;
	static struct svc_rsp rsp;
	uint64_t now;
	ssize_t n;
	uint32_t i;

	n = recv(fd, &req, sizeof(req), 0);
	if (n <= 0)
		return -1;
	memset(&rsp, 0, sizeof(rsp));
	if (n < 8 || req.nr > SVC_BATCH ||
	    (size_t)n < offsetof(struct svc_req, t) + req.nr * sizeof(req.t[0]))
		rsp.err = -EINVAL;
	if (!rsp.err && !req.nr)
		return send(fd, rl, sizeof(*rl), 0) == sizeof(*rl) ? 0 : -1;
	now = now_ns();
	/* Stop at the first error, as the ipo bundle does. */
	for (i = 0; !rsp.err && i < req.nr; i++) {
		const struct take_args *a = &req.t[i];
		struct rl_bucket *b;

		if (a->bucket >= RL_BUCKETS || a->flags) {
			rsp.err = -EINVAL;
			break;
		}
		b = &rl->b[a->bucket];
		if (!a->n || a->n > b->burst) {
			rsp.err = b->burst ? -EINVAL : -ENOENT;
			break;
		}
		rl_take_at(b, a->n, now, &rsp.o[i]);
		rsp.nr = i + 1;
	}
	n = offsetof(struct svc_rsp, o) + rsp.nr * sizeof(rsp.o[0]);
	return send(fd, &rsp, n, 0) == n ? 0 : -1;
}

static void svc_server(int *fds, unsigned int nr)
{
	static struct ratelimit rl;
	struct pollfd pfd[SVC_MAX_WORKERS];
	unsigned int i, open = nr;
	uint64_t now = now_ns();

	for (i = 0; i < RL_BUCKETS; i++)
		rl_config_at(&rl.b[i], SVC_BURST, SVC_NS_PER_TOKEN, now);
	for (i = 0; i < nr; i++)
		pfd[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
	while (open) {
		if (poll(pfd, nr, -1) < 0) {
			if (errno == EINTR)
				continue;
			_exit(1);
		}
		for (i = 0; i < nr; i++) {
			if (pfd[i].fd < 0 || !pfd[i].revents)
				continue;
			if (svc_serve_one(&rl, pfd[i].fd)) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				open--;
			}
		}
	}
	_exit(0);
}

/* ---- set-up ------------------------------------------------------------ */

/* One call as a one-call bundle (config and peek; not timed). */
static int svc_call(struct svc *s, int method, const void *arg,
		    size_t arg_size, void *out, size_t out_size)
{
	struct ipo_bundle *b = ipo_bundle_new(s->dev);
	int err;

	if (!b)
		return -errno;
	err = ipo_bundle_add_call(b, s->obj, method, arg, arg_size, out,
				  out_size);
	if (err >= 0)
		err = ipo_bundle_submit(b, 0, 0);
	ipo_bundle_free(b);
	return err < 0 ? err : 0;
}

static int svc_open_ipo(struct svc *s)
{
	LIBIPO_OPTS(ipo_load_opts, lo, .flags = IPO_PROG_JIT_ONLY);
	struct config_args ca = {
		.burst = SVC_BURST, .ns_per_token = SVC_NS_PER_TOKEN,
	};
	unsigned int i, k;
	int err;

	s->dev = ipo_dev_open();
	if (!s->dev)
		return -errno;
	s->po = ipo_prog_obj_open(RATELIMIT_O, NULL);
	if (!s->po)
		return -errno;
	s->obj = ipo_obj_create(s->dev, sizeof(struct ratelimit), NULL, NULL);
	if (s->obj < 0)
		return s->obj;
	err = ipo_obj_attach_prog_obj(s->dev, s->obj, s->po, &lo);
	if (err < 0)
		return err;
	s->m_config = ipo_prog_obj__method_index(s->po, "config");
	s->m_take = ipo_prog_obj__method_index(s->po, "take");
	s->m_peek = ipo_prog_obj__method_index(s->po, "peek");
	if (s->m_config < 0 || s->m_take < 0 || s->m_peek < 0)
		return -ENOENT;
	for (i = 0; i < RL_BUCKETS; i++) {
		ca.bucket = i;
		err = svc_call(s, s->m_config, &ca, sizeof(ca), NULL, 0);
		if (err < 0)
			return err;
	}
	/*
	 * Each worker's bundle (one call for single takes), built once and
	 * reused: new buckets go into the argument array it points at.
	 */
	for (i = 0; i < s->workers; i++) {
		struct svc_worker *w = &s->w[i];

		w->b = ipo_bundle_new(s->dev);
		if (!w->b)
			return -errno;
		for (k = 0; k < s->batch; k++) {
			w->args[k].n = 1;
			err = ipo_bundle_add_call(w->b, s->obj, s->m_take,
						  &w->args[k], sizeof(w->args[k]),
						  &w->out[k], sizeof(w->out[k]));
			if (err < 0)
				return err;
		}
	}
	return 0;
}

static int svc_open_sock(struct svc *s)
{
	int fds[SVC_MAX_WORKERS], sv[2];
	unsigned int i, k;

	for (i = 0; i < s->workers; i++) {
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
			return -errno;
		s->w[i].fd = sv[0];
		fds[i] = sv[1];
		for (k = 0; k < s->batch; k++)
			s->w[i].args[k].n = 1;
	}
	s->server = fork();
	if (s->server < 0)
		return -errno;
	if (!s->server) {
		cpu_set_t all;

		CPU_ZERO(&all);
		for (i = 0; i < (unsigned int)nr_cpus; i++)
			CPU_SET(i, &all);
		sched_setaffinity(0, sizeof(all), &all);
		for (i = 0; i < s->workers; i++)
			close(s->w[i].fd);
		svc_server(fds, s->workers);
	}
	for (i = 0; i < s->workers; i++)
		close(fds[i]);
	return 0;
}

static void svc_close(struct svc *s)
{
	unsigned int i;

	for (i = 0; i < s->workers; i++) {
		ipo_bundle_free(s->w[i].b);
		if (s->w[i].fd >= 0)
			close(s->w[i].fd);
	}
	if (s->server > 0)
		waitpid(s->server, NULL, 0);
	if (s->obj > 0)
		close(s->obj);
	ipo_prog_obj__close(s->po);
	ipo_dev_close(s->dev);
}

/* ---- the workers ------------------------------------------------------- */

/* One request: the takes in w->args, the answers into w->out. */
static int svc_request(struct svc_worker *w)
{
	struct svc *s = w->s;
	static __thread struct svc_req req;
	static __thread struct svc_rsp rsp;
	size_t len;
	ssize_t n;

	if (s->ipo) {
		int err = ipo_bundle_submit(w->b, s->flags, 0);

		return err < 0 ? err : 0;
	}
	req.nr = s->batch;
	memcpy(req.t, w->args, s->batch * sizeof(req.t[0]));
	len = offsetof(struct svc_req, t) + s->batch * sizeof(req.t[0]);
	if (send(w->fd, &req, len, 0) != (ssize_t)len)
		return -EPIPE;
	n = recv(w->fd, &rsp, sizeof(rsp), 0);
	if (n < (ssize_t)offsetof(struct svc_rsp, o))
		return -EPIPE;
	if (rsp.err)
		return rsp.err;
	if (rsp.nr != s->batch)
		return -EPROTO;
	memcpy(w->out, rsp.o, s->batch * sizeof(w->out[0]));
	return 0;
}

static void *svc_worker(void *arg)
{
	struct svc_worker *w = arg;
	struct svc *s = w->s;
	uint32_t seed = 0x9e3779b9u * (w->id + 1);
	cpu_set_t all;
	unsigned int k;
	int i;

	/* main() pinned the process to CPU 0; workers go where they may. */
	CPU_ZERO(&all);
	for (i = 0; i < nr_cpus; i++)
		CPU_SET(i, &all);
	sched_setaffinity(0, sizeof(all), &all);
	while (!atomic_load_explicit(&s->stop, memory_order_relaxed)) {
		bool m = atomic_load_explicit(&s->measuring,
					      memory_order_relaxed);
		uint64_t t0, t1;

		/* A skewed choice: a few buckets are hot, and refuse. */
		for (k = 0; k < s->batch; k++) {
			seed = seed * 1103515245u + 12345u;
			w->args[k].bucket = (seed >> 16) % 4 ?
				(seed >> 8) % 8 : (seed >> 8) % RL_BUCKETS;
		}
		t0 = now_ns();
		w->err = svc_request(w);
		t1 = now_ns();
		if (w->err)
			break;
		for (k = 0; k < s->batch; k++) {
			if (w->out[k].granted > 1) {
				w->err = -EBADMSG;
				return NULL;
			}
			w->granted[w->args[k].bucket] += w->out[k].granted;
		}
		if (m) {
			hist_add(&w->h, t1 - t0);
			w->takes += s->batch;
			w->requests++;
		}
	}
	return NULL;
}

/* The buckets as the service has them now. */
static int svc_buckets(struct svc *s, struct ratelimit *rl)
{
	unsigned int i;
	ssize_t n;

	if (s->ipo) {
		for (i = 0; i < RL_BUCKETS; i++) {
			struct peek_args pa = { .bucket = i };
			int err = svc_call(s, s->m_peek, &pa, sizeof(pa),
					   &rl->b[i], sizeof(rl->b[i]));

			if (err < 0)
				return err;
		}
		return 0;
	}
	{
		struct svc_req req = { .nr = 0 };

		if (send(s->w[0].fd, &req, offsetof(struct svc_req, t), 0) < 0)
			return -errno;
		n = recv(s->w[0].fd, rl, sizeof(*rl), 0);
		return n == sizeof(*rl) ? 0 : -EPROTO;
	}
}

/*
 * Every token a worker was granted is one the bucket counted, and no
 * bucket granted more than its bound: 0 or -EBADMSG (with a message).
 */
static int svc_check(struct svc *s, const char *name)
{
	static struct ratelimit rl;
	uint64_t now, sum, total = 0;
	unsigned int i, k;
	int err;

	err = svc_buckets(s, &rl);
	now = now_ns();		/* after the service's last clock read */
	if (err)
		return err;
	for (i = 0; i < RL_BUCKETS; i++) {
		const struct rl_bucket *b = &rl.b[i];

		for (sum = 0, k = 0; k < s->workers; k++)
			sum += s->w[k].granted[i];
		total += sum;
		if (sum != b->granted || b->granted > rl_bound(b, now)) {
			fprintf(stderr, "%s: bucket %u granted %" PRIu64
				" (workers saw %" PRIu64 "), bound %" PRIu64 "\n",
				name, i, (uint64_t)b->granted, sum,
				(uint64_t)rl_bound(b, now));
			return -EBADMSG;
		}
	}
	return total ? 0 : -ENODATA;
}

static void svc_run(bool ipo, unsigned int batch, unsigned int workers,
		    uint32_t flags)
{
	static struct svc s;
	static struct hist h;
	char name[64];
	uint64_t t0, t1, takes = 0, requests = 0, warm_ns, run_ns;
	unsigned int i, k, started = 0;
	int err;

	snprintf(name, sizeof(name), "svc_%s_%s_w%u", ipo ? "ipo" : "unix",
		 batch == 1 ? "take" : flags ? "atomic16" : "batch16", workers);
	if (!wanted("svc") && !wanted(name))
		return;
	memset(&s, 0, sizeof(s));
	memset(&h, 0, sizeof(h));
	s.ipo = ipo;
	s.batch = batch;
	s.workers = workers;
	s.flags = flags;
	for (i = 0; i < SVC_MAX_WORKERS; i++) {
		s.w[i].s = &s;
		s.w[i].id = i;
		s.w[i].fd = -1;
	}
	running = name;
	alarm(cfg.smoke ? 30 : (unsigned int)(cfg.seconds * 4) + 30);
	err = ipo ? svc_open_ipo(&s) : svc_open_sock(&s);
	if (err) {
		setup_failed(name, "svc", ipo ? "ratelimit object" :
			     "socket server", err);
		svc_close(&s);
		return;
	}
	run_ns = cfg.smoke ? 20000000 : cfg.seconds * 1e9;
	warm_ns = cfg.smoke ? 5000000 : run_ns / 8;
	for (i = 0; i < workers; i++) {
		if (pthread_create(&s.w[i].thread, NULL, svc_worker, &s.w[i]))
			break;
		started++;
	}
	usleep(warm_ns / 1000);
	atomic_store(&s.measuring, true);
	t0 = now_ns();
	usleep(run_ns / 1000);
	atomic_store(&s.measuring, false);
	t1 = now_ns();
	atomic_store(&s.stop, true);
	for (i = 0; i < started; i++)
		pthread_join(s.w[i].thread, NULL);
	err = started == workers ? 0 : -EAGAIN;
	for (i = 0; i < workers && !err; i++)
		err = s.w[i].err;
	if (!err)
		err = svc_check(&s, name);
	for (i = 0; i < workers; i++) {
		takes += s.w[i].takes;
		requests += s.w[i].requests;
		for (k = 0; k < NR_BUCKETS; k++)
			h.b[k] += s.w[i].h.b[k];
		h.n += s.w[i].h.n;
		h.sum += s.w[i].h.sum;
		if (s.w[i].h.max > h.max)
			h.max = s.w[i].h.max;
	}
	if (!err && !requests)
		err = -ENODATA;
	svc_close(&s);
	if (err) {
		setup_failed(name, "svc", "run", err);
		return;
	}
	if (cfg.smoke) {
		char what[80];

		snprintf(what, sizeof(what),
			 "%" PRIu64 " takes, grants within the bound", takes);
		smoke_passed(name, what);
		return;
	}
	printf("IPO-BENCH-SVC {\"name\":\"%s\",\"mech\":\"%s\",\"batch\":%u,"
	       "\"atomic\":%s,"
	       "\"workers\":%u,\"requests\":%" PRIu64 ",\"takes\":%" PRIu64 ","
	       "\"takes_per_s\":%.0f,\"p50\":%" PRIu64 ",\"p90\":%" PRIu64 ","
	       "\"p99\":%" PRIu64 ",\"p99_9\":%" PRIu64 ",\"max\":%" PRIu64 ","
	       "\"mean\":%.1f,\"bound_checked\":true}\n",
	       name, ipo ? "ipo" : "unix", batch, flags ? "true" : "false",
	       workers, requests, takes,
	       takes / ((t1 - t0) / 1e9), hist_pct(&h, 50), hist_pct(&h, 90),
	       hist_pct(&h, 99), hist_pct(&h, 99.9), h.max, h.sum / h.n);
	fprintf(stderr, "# bench: %-22s p50 %8" PRIu64 " ns  p99 %8" PRIu64
		" ns  %10.0f takes/s\n", name, hist_pct(&h, 50),
		hist_pct(&h, 99), takes / ((t1 - t0) / 1e9));
	fflush(stdout);
}

/*
 * Single takes, then bundles of SVC_BATCH: stop-at-error (what the issue's
 * user ran), atomic (the same answers: a refusal is a soft result, so no
 * call fails) and the socket twin's one message of SVC_BATCH takes; each
 * for 1..SVC_MAX_WORKERS workers.
 */
void run_service(void)
{
	unsigned int w;

	for (w = 1; w <= SVC_MAX_WORKERS; w++) {
		svc_run(true, 1, w, 0);
		svc_run(false, 1, w, 0);
	}
	for (w = 1; w <= SVC_MAX_WORKERS; w++) {
		svc_run(true, SVC_BATCH, w, 0);
		svc_run(true, SVC_BATCH, w, IPO_INVOKE_ATOMIC);
		svc_run(false, SVC_BATCH, w, 0);
	}
}
