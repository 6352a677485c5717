// SPDX-License-Identifier: GPL-2.0
/*
 * ipo_bench: wake-up latency, an ipo subscriber against a Unix socket.
 */
#include "ipo_bench.h"

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

void run_wake(void)
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
