// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libipo: change notifications.  ipo_subscribe() wraps IPO_SUBSCRIBE; an
 * ipo_events set keeps one subscription fd per handler, all in one epoll
 * fd, and runs the handlers from ipo_dispatch() (the caller's loop) or
 * from its own thread.
 *
 * Locking: @lock guards the handler list and the dispatcher state.  A
 * handler is never called with @lock held, so callbacks may register and
 * unregister handlers (their own included).  A handler being dispatched is
 * pinned by @busy: ipo_off_change() unlinks it at once and the dispatcher
 * frees it when it is done.  The epoll entries carry handler ids, not
 * pointers, so an event for a handler removed meanwhile finds nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libipo.h"
#include "libipo_internal.h"

/* Records read per read(): the kernel hands out at most its own batch. */
#define EVENTS_READ_BATCH	16
/* epoll_data.u64 of the eventfd that stops the dispatch thread. */
#define EVENTS_WAKE_ID		0

struct ipo_handler {
	int id;
	int fd;			/* the subscription */
	bool dead;		/* unregistered (or the set is going away) */
	bool busy;		/* a dispatcher is calling it */
	ipo_change_fn cb;
	void *ctx;
	struct ipo_handler *next;
};

struct ipo_events {
	struct ipo_dev *dev;
	int epfd;
	int wakefd;		/* eventfd: stop the dispatch thread */
	pthread_mutex_t lock;
	struct ipo_handler *handlers;
	int next_id;
	bool dispatching;	/* one dispatcher at a time */
	bool has_thread;
	bool stopping;
	pthread_t thread;
};

int ipo_subscribe(struct ipo_dev *dev, int obj_fd, uint64_t mask,
		  const struct ipo_subscribe_opts *opts)
{
	struct ipo_subscribe cmd = {
		.size = sizeof(cmd),
		.flags = IPO_SUB_CLOEXEC,
		.obj_fd = obj_fd,
		.mask = mask,
		.out_fd = -1,
	};
	int err;

	if (!dev)
		return libipo_err(-EINVAL);
	if (!libipo_opts_valid(opts, sizeof(*opts), &err))
		return libipo_err(err);
	if (opts) {
		cmd.flags |= opts->flags;
		cmd.queue_len = opts->queue_len;
		cmd.signo = opts->signo;
	}
	if (ioctl(ipo_dev_fd(dev), IPO_SUBSCRIBE, &cmd)) {
		err = -errno;
		pr_warn("SUBSCRIBE (obj fd %d, mask 0x%llx): %s\n", obj_fd,
			(unsigned long long)mask, strerror(-err));
		return libipo_err(err);
	}
	return cmd.out_fd;
}

struct ipo_events *ipo_events_new(struct ipo_dev *dev)
{
	struct epoll_event ee = { .events = EPOLLIN,
				  .data.u64 = EVENTS_WAKE_ID };
	struct ipo_events *ev;
	int err;

	if (!dev)
		return libipo_err_ptr(-EINVAL);
	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return libipo_err_ptr(-ENOMEM);
	ev->dev = dev;
	ev->next_id = EVENTS_WAKE_ID + 1;
	ev->wakefd = -1;
	ev->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (ev->epfd < 0)
		goto err;
	ev->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (ev->wakefd < 0)
		goto err;
	if (epoll_ctl(ev->epfd, EPOLL_CTL_ADD, ev->wakefd, &ee))
		goto err;
	pthread_mutex_init(&ev->lock, NULL);
	return ev;
err:
	err = -errno;
	if (ev->wakefd >= 0)
		close(ev->wakefd);
	if (ev->epfd >= 0)
		close(ev->epfd);
	free(ev);
	return libipo_err_ptr(err);
}

static void handler_free(struct ipo_handler *h)
{
	close(h->fd);
	free(h);
}

void ipo_events_free(struct ipo_events *ev)
{
	struct ipo_handler *h, *next;

	if (!ev)
		return;
	ipo_events_stop_thread(ev);
	for (h = ev->handlers; h; h = next) {
		next = h->next;
		handler_free(h);
	}
	pthread_mutex_destroy(&ev->lock);
	close(ev->wakefd);
	close(ev->epfd);
	free(ev);
}

int ipo_events_fd(const struct ipo_events *ev)
{
	return ev->epfd;
}

int ipo_on_change(struct ipo_events *ev, int obj_fd, uint64_t mask,
		  ipo_change_fn cb, void *ctx)
{
	LIBIPO_OPTS(ipo_subscribe_opts, opts,
		    .flags = IPO_SUB_NONBLOCK,
		    .queue_len = IPO_EVENTS_QUEUE_LEN);
	struct epoll_event ee = { .events = EPOLLIN };
	struct ipo_handler *h;
	int fd, err;

	if (!ev || !cb || !mask)
		return libipo_err(-EINVAL);
	fd = ipo_subscribe(ev->dev, obj_fd, mask, &opts);
	if (fd < 0)
		return fd;
	h = calloc(1, sizeof(*h));
	if (!h) {
		close(fd);
		return libipo_err(-ENOMEM);
	}
	h->fd = fd;
	h->cb = cb;
	h->ctx = ctx;

	pthread_mutex_lock(&ev->lock);
	h->id = ev->next_id++;
	ee.data.u64 = h->id;
	if (epoll_ctl(ev->epfd, EPOLL_CTL_ADD, fd, &ee)) {
		err = -errno;
		pthread_mutex_unlock(&ev->lock);
		handler_free(h);
		return libipo_err(err);
	}
	h->next = ev->handlers;
	ev->handlers = h;
	pthread_mutex_unlock(&ev->lock);
	return h->id;
}

/* Unlinks handler @id; NULL if there is none.  Called with @lock held. */
static struct ipo_handler *unlink_handler(struct ipo_events *ev, int id)
{
	struct ipo_handler **pp, *h;

	for (pp = &ev->handlers; (h = *pp); pp = &h->next) {
		if (h->id == id) {
			*pp = h->next;
			return h;
		}
	}
	return NULL;
}

int ipo_off_change(struct ipo_events *ev, int id)
{
	struct ipo_handler *h;

	if (!ev)
		return libipo_err(-EINVAL);
	pthread_mutex_lock(&ev->lock);
	h = unlink_handler(ev, id);
	if (!h) {
		pthread_mutex_unlock(&ev->lock);
		return libipo_err(-ENOENT);
	}
	epoll_ctl(ev->epfd, EPOLL_CTL_DEL, h->fd, NULL);
	__atomic_store_n(&h->dead, true, __ATOMIC_RELAXED);
	/* A dispatcher holding it frees it when its callback returns. */
	if (h->busy)
		h = NULL;
	pthread_mutex_unlock(&ev->lock);
	if (h)
		handler_free(h);
	return 0;
}

/*
 * Drains handler @id's subscription, calling its callback per record.
 * Returns the number of calls.
 */
static int run_handler(struct ipo_events *ev, int id)
{
	struct ipo_event recs[EVENTS_READ_BATCH];
	struct ipo_handler *h;
	ssize_t n;
	int i, nr = 0;
	bool dead;

	pthread_mutex_lock(&ev->lock);
	for (h = ev->handlers; h && h->id != id; h = h->next)
		;
	if (!h || h->dead) {
		pthread_mutex_unlock(&ev->lock);
		return 0;
	}
	h->busy = true;
	pthread_mutex_unlock(&ev->lock);

	for (;;) {
		n = read(h->fd, recs, sizeof(recs));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EPERM) {
			/* Handle revoked: nothing more will come. */
			pr_info("handler %d: subscription revoked\n", id);
			epoll_ctl(ev->epfd, EPOLL_CTL_DEL, h->fd, NULL);
			break;
		}
		if (n <= 0)
			break;
		for (i = 0; i < n / (ssize_t)sizeof(recs[0]); i++) {
			if (__atomic_load_n(&h->dead, __ATOMIC_RELAXED))
				goto out;
			h->cb(&recs[i], h->ctx);
			nr++;
		}
		if (n < (ssize_t)sizeof(recs))
			break;
	}
out:
	pthread_mutex_lock(&ev->lock);
	h->busy = false;
	dead = h->dead;
	pthread_mutex_unlock(&ev->lock);
	if (dead)
		handler_free(h);
	return nr;
}

int ipo_dispatch(struct ipo_events *ev, int timeout_ms)
{
	struct epoll_event ees[EVENTS_READ_BATCH];
	int i, n, nr = 0;
	uint64_t v;

	if (!ev)
		return libipo_err(-EINVAL);
	pthread_mutex_lock(&ev->lock);
	if (ev->dispatching) {
		pthread_mutex_unlock(&ev->lock);
		return libipo_err(-EBUSY);
	}
	ev->dispatching = true;
	pthread_mutex_unlock(&ev->lock);

	n = epoll_wait(ev->epfd, ees, EVENTS_READ_BATCH, timeout_ms);
	if (n < 0)
		nr = -errno;
	for (i = 0; i < n; i++) {
		if (ees[i].data.u64 == EVENTS_WAKE_ID) {
			if (read(ev->wakefd, &v, sizeof(v)) < 0)
				v = 0;
			continue;
		}
		nr += run_handler(ev, (int)ees[i].data.u64);
	}

	pthread_mutex_lock(&ev->lock);
	ev->dispatching = false;
	pthread_mutex_unlock(&ev->lock);
	return nr < 0 ? libipo_err(nr) : nr;
}

static void *dispatch_thread(void *arg)
{
	struct ipo_events *ev = arg;

	while (!__atomic_load_n(&ev->stopping, __ATOMIC_ACQUIRE)) {
		int err = ipo_dispatch(ev, -1);

		if (err < 0 && err != -EINTR) {
			pr_warn("dispatch thread: %s\n", strerror(-err));
			break;
		}
	}
	return NULL;
}

int ipo_events_start_thread(struct ipo_events *ev)
{
	int err;

	if (!ev)
		return libipo_err(-EINVAL);
	pthread_mutex_lock(&ev->lock);
	if (ev->has_thread || ev->dispatching) {
		pthread_mutex_unlock(&ev->lock);
		return libipo_err(-EBUSY);
	}
	ev->stopping = false;
	err = -pthread_create(&ev->thread, NULL, dispatch_thread, ev);
	if (!err)
		ev->has_thread = true;
	pthread_mutex_unlock(&ev->lock);
	return err ? libipo_err(err) : 0;
}

int ipo_events_stop_thread(struct ipo_events *ev)
{
	uint64_t one = 1;
	pthread_t t;

	if (!ev)
		return libipo_err(-EINVAL);
	pthread_mutex_lock(&ev->lock);
	if (!ev->has_thread) {
		pthread_mutex_unlock(&ev->lock);
		return 0;
	}
	t = ev->thread;
	if (pthread_equal(t, pthread_self())) {
		pthread_mutex_unlock(&ev->lock);
		return libipo_err(-EDEADLK);
	}
	ev->has_thread = false;
	__atomic_store_n(&ev->stopping, true, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&ev->lock);
	if (write(ev->wakefd, &one, sizeof(one)) < 0)
		return libipo_err(-errno);
	pthread_join(t, NULL);
	return 0;
}
