// SPDX-License-Identifier: GPL-2.0
/*
 * libipo's change handlers on the widgets program (progs/widgets.c) in the
 * kernel: a handler runs once per committed bundle with the bundle's
 * merged events, never for an aborted one, only for the events it asked
 * for; the set's epoll fd works in the caller's own loop; the dispatch
 * thread delivers; unregistering stops delivery (also from inside the
 * callback); a handler that falls behind sees IPO_EVENT_OVERFLOW.
 */
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <time.h>

#include "kselftest_harness.h"
#include "libipo.h"
#include "widgets.h"

#define WIDGETS_O	"/ipo/progs/widgets.o"

struct seen {
	int calls;
	uint64_t mask;		/* of the last call */
	uint32_t seq;
	uint32_t flags;		/* OR of every call's */
	int64_t snap_seq;	/* ipo_view_snapshot() in the callback */
	uint32_t snap_rgb;	/* button 2 (the only one) in that snapshot */
	struct ipo_view *view;
	struct ipo_events *ev;
	int off_id;		/* unregister itself when > 0 */
};

static void record(const struct ipo_event *e, void *ctx)
{
	struct seen *s = ctx;
	struct widgets_window win;

	__atomic_add_fetch(&s->calls, 1, __ATOMIC_RELAXED);
	s->mask = e->mask;
	s->seq = e->seq;
	s->flags |= e->flags;
	if (s->view) {
		s->snap_seq = ipo_view_snapshot(s->view, 0, &win, sizeof(win));
		s->snap_rgb = win.buttons[0].rgb;
	}
	if (s->off_id > 0)
		ipo_off_change(s->ev, s->off_id);
}

FIXTURE(ev) {
	struct ipo_dev *dev;
	struct ipo_prog_obj *po;
	struct ipo_events *ev;
	struct ipo_bundle *b;
	struct ipo_view *view;
	int obj;
	int resize, set_rgb, insert, move;
};

FIXTURE_SETUP(ev)
{
	struct resize_args r = { .w = 320, .h = 200 };
	struct insert_button_args ins = { .id = 2, .x = 10, .y = 10,
					  .w = 80, .h = 24, .rgb = 0x808080 };

	self->dev = ipo_dev_open();
	ASSERT_NE(NULL, self->dev);
	self->po = ipo_prog_obj_open(WIDGETS_O, NULL);
	ASSERT_NE(NULL, self->po);
	self->obj = ipo_obj_create(self->dev, sizeof(struct widgets_window),
				   NULL, NULL);
	ASSERT_LE(0, self->obj);
	ASSERT_LT(0, ipo_obj_attach_prog_obj(self->dev, self->obj, self->po,
					     NULL));
	self->resize = ipo_prog_obj__method_index(self->po, "resize");
	self->set_rgb = ipo_prog_obj__method_index(self->po, "set_rgb");
	self->insert = ipo_prog_obj__method_index(self->po, "insert_button");
	self->move = ipo_prog_obj__method_index(self->po, "move");
	self->b = ipo_bundle_new(self->dev);
	ASSERT_NE(NULL, self->b);
	self->view = ipo_view_map(self->obj);
	ASSERT_NE(NULL, self->view);
	self->ev = ipo_events_new(self->dev);
	ASSERT_NE(NULL, self->ev);
	/* Set up before any handler exists. */
	ipo_bundle_add_call(self->b, self->obj, self->resize, &r, sizeof(r),
			    NULL, 0);
	ipo_bundle_add_call(self->b, self->obj, self->insert, &ins,
			    sizeof(ins), NULL, 0);
	ASSERT_EQ(0, ipo_bundle_submit(self->b, IPO_INVOKE_ATOMIC, 0));
}

FIXTURE_TEARDOWN(ev)
{
	ipo_events_free(self->ev);
	ipo_view_unmap(self->view);
	ipo_bundle_free(self->b);
	close(self->obj);
	ipo_prog_obj__close(self->po);
	ipo_dev_close(self->dev);
}

/* set_rgb(2, rgb), then move(id, ...) in one bundle; move left out if !id */
static int recolour_move(FIXTURE_DATA(ev) *self, uint32_t rgb, uint32_t id,
			 uint32_t flags)
{
	struct set_rgb_args c = { .id = 2, .rgb = rgb };
	struct move_args m = { .id = id, .x = 20, .y = 40 };

	ipo_bundle_reset(self->b);
	ipo_bundle_add_call(self->b, self->obj, self->set_rgb, &c, sizeof(c),
			    NULL, 0);
	if (id)
		ipo_bundle_add_call(self->b, self->obj, self->move, &m,
				    sizeof(m), NULL, 0);
	return ipo_bundle_submit(self->b, flags, 0);
}

TEST_F(ev, once_per_committed_bundle_with_merged_mask)
{
	struct seen a = { .view = self->view }, b = {};
	int i;

	ASSERT_LT(0, ipo_on_change(self->ev, self->obj, ~0ULL, record, &a));
	ASSERT_LT(0, ipo_on_change(self->ev, self->obj, ~0ULL, record, &b));
	for (i = 1; i <= 3; i++) {
		ASSERT_EQ(0, recolour_move(self, 0x100 * i, 2,
					   IPO_INVOKE_ATOMIC));
		EXPECT_EQ(2, ipo_dispatch(self->ev, 1000));
		EXPECT_EQ(0, ipo_dispatch(self->ev, 0));
		EXPECT_EQ(i, a.calls);
		EXPECT_EQ(i, b.calls);
		EXPECT_EQ(WIDGETS_EV_COLOUR | WIDGETS_EV_GEOMETRY, a.mask);
		EXPECT_EQ(ipo_view_header(self->view)->seq, a.seq);
		/* The callback's snapshot is at least as new as the event. */
		EXPECT_EQ(a.seq, a.snap_seq);
		EXPECT_EQ(0x100U * i, a.snap_rgb);
	}
	EXPECT_EQ(0, a.flags);
}

TEST_F(ev, aborted_bundle_calls_nobody)
{
	struct seen a = {};

	ASSERT_LT(0, ipo_on_change(self->ev, self->obj, ~0ULL, record, &a));
	/* No button 9: the recolour is rolled back. */
	EXPECT_EQ(-ENOENT, recolour_move(self, 0xff0000, 9,
					 IPO_INVOKE_ATOMIC));
	EXPECT_EQ(0, ipo_dispatch(self->ev, 200));
	EXPECT_EQ(0, a.calls);
	/* Stop at error without ATOMIC: the first call commits. */
	EXPECT_EQ(-ENOENT, recolour_move(self, 0xff0000, 9, 0));
	EXPECT_EQ(1, ipo_dispatch(self->ev, 1000));
	EXPECT_EQ(WIDGETS_EV_COLOUR, a.mask);
}

TEST_F(ev, mask_filtering)
{
	struct insert_button_args ins = { .id = 3, .x = 100, .y = 10,
					  .w = 80, .h = 24 };
	struct seen added = {}, colour = {};

	ASSERT_LT(0, ipo_on_change(self->ev, self->obj, WIDGETS_EV_ADDED,
				   record, &added));
	ASSERT_LT(0, ipo_on_change(self->ev, self->obj, WIDGETS_EV_COLOUR,
				   record, &colour));
	ASSERT_EQ(0, recolour_move(self, 0x00ff00, 2, IPO_INVOKE_ATOMIC));
	EXPECT_EQ(1, ipo_dispatch(self->ev, 1000));
	EXPECT_EQ(0, added.calls);
	EXPECT_EQ(1, colour.calls);
	/* The record carries only the events the handler asked for. */
	EXPECT_EQ(WIDGETS_EV_COLOUR, colour.mask);

	ipo_bundle_reset(self->b);
	ipo_bundle_add_call(self->b, self->obj, self->insert, &ins,
			    sizeof(ins), NULL, 0);
	ASSERT_EQ(0, ipo_bundle_submit(self->b, 0, 0));
	EXPECT_EQ(1, ipo_dispatch(self->ev, 1000));
	EXPECT_EQ(1, added.calls);
	EXPECT_EQ(WIDGETS_EV_ADDED, added.mask);
	EXPECT_EQ(1, colour.calls);
}

TEST_F(ev, epoll_fd_in_the_callers_loop)
{
	struct epoll_event ee = { .events = EPOLLIN }, out;
	struct seen a = {};
	int ep;

	ASSERT_LT(0, ipo_on_change(self->ev, self->obj, ~0ULL, record, &a));
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, ipo_events_fd(self->ev),
			       &ee));
	EXPECT_EQ(0, epoll_wait(ep, &out, 1, 50));
	ASSERT_EQ(0, recolour_move(self, 0x123456, 0, 0));
	EXPECT_EQ(1, epoll_wait(ep, &out, 1, 1000));
	EXPECT_EQ(1, ipo_dispatch(self->ev, 0));
	EXPECT_EQ(1, a.calls);
	/* Drained: not readable any more. */
	EXPECT_EQ(0, epoll_wait(ep, &out, 1, 50));
	close(ep);
}

TEST_F(ev, dispatch_thread_delivers)
{
	struct seen a = {};
	int i;

	ASSERT_LT(0, ipo_on_change(self->ev, self->obj, ~0ULL, record, &a));
	ASSERT_EQ(0, ipo_events_start_thread(self->ev));
	EXPECT_EQ(-EBUSY, ipo_events_start_thread(self->ev));
	ASSERT_EQ(0, recolour_move(self, 0x654321, 2, IPO_INVOKE_ATOMIC));
	for (i = 0; i < 200 && !__atomic_load_n(&a.calls, __ATOMIC_RELAXED);
	     i++)
		usleep(10000);
	EXPECT_EQ(-EBUSY, ipo_dispatch(self->ev, 0));
	ASSERT_EQ(0, ipo_events_stop_thread(self->ev));
	EXPECT_EQ(1, a.calls);
	EXPECT_EQ(WIDGETS_EV_COLOUR | WIDGETS_EV_GEOMETRY, a.mask);
	/* Stopped: the caller dispatches again. */
	ASSERT_EQ(0, recolour_move(self, 0x111111, 0, 0));
	EXPECT_EQ(1, ipo_dispatch(self->ev, 1000) + ipo_dispatch(self->ev, 0));
	EXPECT_EQ(2, a.calls);
}

TEST_F(ev, unregister_stops_delivery)
{
	struct seen a = {}, self_off = { .ev = self->ev };
	int id;

	id = ipo_on_change(self->ev, self->obj, ~0ULL, record, &a);
	ASSERT_LT(0, id);
	self_off.off_id = ipo_on_change(self->ev, self->obj, ~0ULL, record,
					&self_off);
	ASSERT_LT(0, self_off.off_id);
	EXPECT_EQ(0, ipo_off_change(self->ev, id));
	EXPECT_EQ(-ENOENT, ipo_off_change(self->ev, id));
	/* Two commits queued: the self-removing handler runs only once. */
	ASSERT_EQ(0, recolour_move(self, 0x222222, 0, 0));
	ASSERT_EQ(0, recolour_move(self, 0x333333, 0, 0));
	EXPECT_EQ(1, ipo_dispatch(self->ev, 1000));
	EXPECT_EQ(0, ipo_dispatch(self->ev, 100));
	EXPECT_EQ(0, a.calls);
	EXPECT_EQ(1, self_off.calls);
	EXPECT_EQ(-ENOENT, ipo_off_change(self->ev, self_off.off_id));
}

TEST_F(ev, overflow_flag_surfaces)
{
	struct seen a = { .view = self->view };
	int i, n;

	ASSERT_LT(0, ipo_on_change(self->ev, self->obj, ~0ULL, record, &a));
	for (i = 0; i < IPO_EVENTS_QUEUE_LEN + 10; i++)
		ASSERT_EQ(0, recolour_move(self, i, 0, 0));
	for (n = 0; (i = ipo_dispatch(self->ev, 100)) > 0; n += i)
		;
	EXPECT_EQ(0, i);
	EXPECT_EQ(IPO_EVENTS_QUEUE_LEN, n);
	EXPECT_EQ(IPO_EVENT_OVERFLOW, a.flags);
	/* The last (merged) record names the latest change. */
	EXPECT_EQ(ipo_view_header(self->view)->seq, a.seq);
	EXPECT_EQ(IPO_EVENTS_QUEUE_LEN + 9, a.snap_rgb);
}

TEST_F(ev, bad_arguments)
{
	struct seen a = {};
	int ro;

	EXPECT_EQ(-EINVAL, ipo_on_change(self->ev, self->obj, 0, record, &a));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-EINVAL, ipo_on_change(self->ev, self->obj, 1, NULL, &a));
	/* A handle without NOTIFY. */
	ro = ipo_handle_derive(self->dev, self->obj, IPO_RIGHT_READ, 0, NULL,
			       NULL);
	ASSERT_LE(0, ro);
	EXPECT_EQ(-EPERM, ipo_on_change(self->ev, ro, 1, record, &a));
	close(ro);
	{
		struct {
			struct ipo_subscribe_opts o;
			uint64_t extra;
		} big = { .o.sz = sizeof(big), .extra = 1 };

		EXPECT_EQ(-E2BIG, ipo_subscribe(self->dev, self->obj, 1,
						&big.o));
	}
}

TEST_HARNESS_MAIN
