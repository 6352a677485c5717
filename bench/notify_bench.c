// SPDX-License-Identifier: GPL-2.0
/*
 * notify_bench: what change notifications cost the writer.  Times one
 * INVOKE of widgets' set_rgb (one call that notifies WIDGETS_EV_COLOUR)
 * with 0, 1, 15 and 64 subscribers on the object.  Half of the
 * subscribers are read by another thread as events arrive; the other half
 * never read, so their queues fill and coalesce (the overflow path).
 * Reports the median and mean INVOKE time after a warm-up, and the ratio
 * of each to the run without subscribers.  Runs in the VM:
 *
 *	scripts/vm.sh --cmd 'insmod /ipo/ipo.ko' --cmd /ipo/bench/notify_bench
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "libipo.h"
#include "widgets.h"

#define WIDGETS_O	"/ipo/progs/widgets.o"
#define WARMUP		500
#define ITERS		5000
#define MAX_SUBS	64

static const int nr_subs[] = { 0, 1, 15, 64 };

struct reader {
	int epfd;
	bool stop;
	unsigned long records;
};

static void *reader_thread(void *arg)
{
	struct reader *r = arg;
	struct epoll_event ees[MAX_SUBS];
	struct ipo_event recs[16];
	int i, n;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		n = epoll_wait(r->epfd, ees, MAX_SUBS, 20);
		for (i = 0; i < n; i++)
			while (read(ees[i].data.fd, recs, sizeof(recs)) > 0)
				r->records++;
	}
	return NULL;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct result {
	double p50, mean;
	unsigned long records;
};

static int measure(struct ipo_dev *dev, int obj, struct ipo_bundle *b,
		   int n, struct result *res)
{
	LIBIPO_OPTS(ipo_subscribe_opts, opts, .flags = IPO_SUB_NONBLOCK);
	struct reader r = { .epfd = epoll_create1(EPOLL_CLOEXEC) };
	static uint64_t t[ITERS];
	int fds[MAX_SUBS], i, err = 0;
	pthread_t th;
	double sum = 0;

	if (r.epfd < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		fds[i] = ipo_subscribe(dev, obj, ~0ULL, &opts);
		if (fds[i] < 0) {
			err = fds[i];
			n = i;
			goto out;
		}
		if (i % 2 == 0) {
			struct epoll_event ee = { .events = EPOLLIN,
						  .data.fd = fds[i] };

			epoll_ctl(r.epfd, EPOLL_CTL_ADD, fds[i], &ee);
		}
	}
	pthread_create(&th, NULL, reader_thread, &r);
	for (i = 0; i < WARMUP + ITERS; i++) {
		uint64_t t0 = now_ns();

		err = ipo_bundle_submit(b, 0, 0);
		if (i >= WARMUP)
			t[i - WARMUP] = now_ns() - t0;
		if (err)
			break;
	}
	__atomic_store_n(&r.stop, true, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	if (err)
		goto out;
	for (i = 0; i < ITERS; i++)
		sum += t[i];
	qsort(t, ITERS, sizeof(t[0]), cmp_u64);
	res->p50 = t[ITERS / 2];
	res->mean = sum / ITERS;
	res->records = r.records;
out:
	for (i = 0; i < n; i++)
		close(fds[i]);
	close(r.epfd);
	return err;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : WIDGETS_O;
	struct resize_args rs = { .w = 320, .h = 200 };
	struct insert_button_args ins = { .id = 1, .x = 10, .y = 10,
					  .w = 80, .h = 24 };
	struct set_rgb_args c = { .id = 1, .rgb = 0x123456 };
	struct result res[4];
	struct ipo_prog_obj *po;
	struct ipo_bundle *b;
	struct ipo_dev *dev;
	int obj, err;
	size_t k;

	dev = ipo_dev_open();
	po = ipo_prog_obj_open(path, NULL);
	if (!dev || !po) {
		fprintf(stderr, "notify_bench: %s: %s\n",
			dev ? path : "/dev/ipo", strerror(errno));
		return 1;
	}
	obj = ipo_obj_create(dev, sizeof(struct widgets_window), NULL, NULL);
	if (obj < 0 || ipo_obj_attach_prog_obj(dev, obj, po, NULL) < 0)
		return 1;
	b = ipo_bundle_new(dev);
	if (!b)
		return 1;
	ipo_bundle_add_call(b, obj, ipo_prog_obj__method_index(po, "resize"),
			    &rs, sizeof(rs), NULL, 0);
	ipo_bundle_add_call(b, obj,
			    ipo_prog_obj__method_index(po, "insert_button"),
			    &ins, sizeof(ins), NULL, 0);
	if (ipo_bundle_submit(b, IPO_INVOKE_ATOMIC, 0))
		return 1;
	ipo_bundle_reset(b);
	ipo_bundle_add_call(b, obj, ipo_prog_obj__method_index(po, "set_rgb"),
			    &c, sizeof(c), NULL, 0);

	printf("notify_bench: INVOKE of set_rgb (notifies), %d runs after %d warm-up\n",
	       ITERS, WARMUP);
	printf("%-12s %10s %10s %10s %10s %10s\n", "subscribers", "p50 ns",
	       "mean ns", "p50 x", "mean x", "records");
	for (k = 0; k < sizeof(nr_subs) / sizeof(nr_subs[0]); k++) {
		err = measure(dev, obj, b, nr_subs[k], &res[k]);
		if (err) {
			fprintf(stderr, "notify_bench: %d subscribers: %s\n",
				nr_subs[k], strerror(-err));
			return 1;
		}
		printf("%-12d %10.0f %10.0f %10.2f %10.2f %10lu\n", nr_subs[k],
		       res[k].p50, res[k].mean, res[k].p50 / res[0].p50,
		       res[k].mean / res[0].mean, res[k].records);
	}
	ipo_bundle_free(b);
	close(obj);
	ipo_prog_obj__close(po);
	ipo_dev_close(dev);
	return 0;
}
