// SPDX-License-Identifier: GPL-2.0
/*
 * ipo_bench: change notifications, the writer's cost with subscribers.
 */
#include <pthread.h>
#include <sys/epoll.h>

#include "ipo_bench.h"

int widgets_open(struct widgets *w)
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

void widgets_close(struct widgets *w)
{
	ipo_bundle_free(w->b);
	if (w->obj > 0)
		close(w->obj);
	ipo_prog_obj__close(w->po);
	ipo_dev_close(w->dev);
}

/* set_rgb (notifies WIDGETS_EV_COLOUR); the "total" is the call count. */
int op_set_rgb(void *st, int64_t delta, int64_t *total, uint64_t *lat)
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

void run_notify(void)
{
	static const int subs[] = { 0, 1, 2, 4, 8, 15, 16, 32, 64 };
	static const char *const names[] = {
		"ipo_notify_0", "ipo_notify_1", "ipo_notify_2", "ipo_notify_4",
		"ipo_notify_8", "ipo_notify_15", "ipo_notify_16",
		"ipo_notify_32", "ipo_notify_64",
	};
	size_t k;

	for (k = 0; k < sizeof(subs) / sizeof(subs[0]); k++) {
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
		/*
		 * No subscriber, nothing to read: no thread either (a second
		 * thread makes every fdget() of the process take the shared
		 * table's path, ~30 instructions that are not the notify's).
		 */
		if (!err && subs[k])
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
			if (subs[k])
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
