// SPDX-License-Identifier: GPL-2.0
/*
 * progs/widgets.c: resize, insert_button, set_rgb, move, delete and get,
 * their errors, and the window's invariants after every call.
 */
#include <errno.h>
#include <string.h>

#include "widgets.h"
#include "progs_test.h"

static struct pt_obj *o;
static struct widgets_window win;

#define CALL(method, ...)						\
	({								\
		struct method##_args a_ = { __VA_ARGS__ };		\
		pt_call(o, #method, &win, sizeof(win), &a_, sizeof(a_),	\
			NULL, 0);					\
	})

/* ids non-zero and unique, buttons inside, unused entries zero */
static bool invariants(void)
{
	static const struct widget_button zero;
	__u32 i, j;

	if (win.nr_buttons > WIDGETS_MAX_BUTTONS)
		return false;
	for (i = 0; i < WIDGETS_MAX_BUTTONS; i++) {
		const struct widget_button *b = &win.buttons[i];

		if (i >= win.nr_buttons) {
			if (memcmp(b, &zero, sizeof(*b)))
				return false;
			continue;
		}
		if (!b->id || !b->w || !b->h || b->rgb > WIDGETS_RGB_MASK ||
		    b->x + (__u64)b->w > win.w || b->y + (__u64)b->h > win.h)
			return false;
		for (j = 0; j < i; j++)
			if (win.buttons[j].id == b->id)
				return false;
	}
	return true;
}

static const struct widget_button *button(__u32 id)
{
	__u32 i;

	for (i = 0; i < win.nr_buttons && i < WIDGETS_MAX_BUTTONS; i++)
		if (win.buttons[i].id == id)
			return &win.buttons[i];
	return NULL;
}

void test_widgets(void)
{
	struct widgets_window before;
	struct widget_button b;
	struct resize_args ra = { .w = 1, .h = 1 };
	struct set_rgb_args sa = { .id = 100 };
	struct get_args ga;
	__u32 i, serial;
	int err, bad = 0;

	o = pt_open("widgets");
	if (!o)
		return;
	memset(&win, 0, sizeof(win));
	tap_eq(CALL(insert_button, .id = 1, .w = 1, .h = 1), -ERANGE,
	       "widgets: a 0x0 window holds no button");
	tap_eq(CALL(resize, .w = 640, .h = 480), 0, "widgets: resize 640x480");
	tap_ok(win.w == 640 && win.h == 480 && win.serial == 1,
	       "widgets: ... size and serial");

	tap_eq(CALL(insert_button, .id = 7, .x = 10, .y = 20, .w = 100,
		    .h = 30, .rgb = 0x336699), 0, "widgets: insert button 7");
	tap_ok(win.nr_buttons == 1 && button(7) && button(7)->x == 10 &&
	       button(7)->y == 20 && button(7)->w == 100 &&
	       button(7)->h == 30 && button(7)->rgb == 0x336699,
	       "widgets: ... stored as given");
	tap_eq(CALL(insert_button, .id = 7, .w = 1, .h = 1), -EEXIST,
	       "widgets: duplicate id is -EEXIST");
	tap_eq(CALL(insert_button, .id = 0, .w = 1, .h = 1), -EINVAL,
	       "widgets: id 0 is -EINVAL");
	tap_eq(CALL(insert_button, .id = 8, .w = 0, .h = 1), -EINVAL,
	       "widgets: empty button is -EINVAL");
	tap_eq(CALL(insert_button, .id = 8, .w = 1, .h = 1, .rgb = 0x1000000),
	       -EINVAL, "widgets: rgb over 24 bits is -EINVAL");
	tap_eq(CALL(insert_button, .id = 8, .x = 600, .w = 41, .h = 1),
	       -ERANGE, "widgets: past the right edge is -ERANGE");
	tap_eq(CALL(insert_button, .id = 8, .x = 0xffffffff, .w = 2, .h = 1),
	       -ERANGE, "widgets: x + w wrapping around is -ERANGE");
	tap_eq(CALL(insert_button, .id = 8, .x = 600, .y = 479, .w = 40,
		    .h = 1), 0, "widgets: touching the corner fits");

	serial = win.serial;
	tap_eq(CALL(set_rgb, .id = 7, .rgb = 0xff8800), 0,
	       "widgets: set_rgb(7, 0xff8800)");
	tap_ok(button(7)->rgb == 0xff8800 && button(8)->rgb == 0 &&
	       win.serial == serial + 1,
	       "widgets: ... only button 7 changed, serial bumped");
	tap_eq(CALL(set_rgb, .id = 9, .rgb = 1), -ENOENT,
	       "widgets: set_rgb of an unknown id is -ENOENT");
	tap_eq(CALL(set_rgb, .id = 7, .rgb = 0xff000000), -EINVAL,
	       "widgets: set_rgb over 24 bits is -EINVAL");

	tap_eq(CALL(move, .id = 7, .x = 540, .y = 450), 0,
	       "widgets: move 7 to the bottom right corner");
	tap_ok(button(7)->x == 540 && button(7)->y == 450 &&
	       button(7)->w == 100, "widgets: ... moved, size kept");
	tap_eq(CALL(move, .id = 7, .x = 541, .y = 0), -ERANGE,
	       "widgets: move past the edge is -ERANGE");
	tap_ok(button(7)->x == 540, "widgets: ... and does not move");
	tap_eq(CALL(move, .id = 99), -ENOENT, "widgets: move unknown id");
	tap_eq(CALL(resize, .w = 639, .h = 480), -ERANGE,
	       "widgets: shrinking under a button is -ERANGE");

	for (i = 100; win.nr_buttons < WIDGETS_MAX_BUTTONS && !bad; i++) {
		err = CALL(insert_button, .id = i, .x = i, .y = 1, .w = 2,
			   .h = 2, .rgb = i);
		bad += !!err;
	}
	tap_ok(!bad && win.nr_buttons == WIDGETS_MAX_BUTTONS,
	       "widgets: fill the window to %d buttons", WIDGETS_MAX_BUTTONS);
	before = win;
	tap_eq(CALL(insert_button, .id = 1000, .w = 1, .h = 1), -ENOSPC,
	       "widgets: a full window is -ENOSPC");
	tap_ok(!memcmp(&win, &before, sizeof(win)),
	       "widgets: ... nothing changed");

	/* delete in the middle keeps the others in order */
	tap_eq(CALL(delete, .id = 8), 0, "widgets: delete 8 (second entry)");
	tap_ok(win.nr_buttons == WIDGETS_MAX_BUTTONS - 1 && !button(8) &&
	       win.buttons[0].id == 7 && win.buttons[1].id == 100 &&
	       win.buttons[WIDGETS_MAX_BUTTONS - 2].id == before.buttons[
		 WIDGETS_MAX_BUTTONS - 1].id,
	       "widgets: ... later buttons moved down in order");
	tap_eq(CALL(delete, .id = 8), -ENOENT, "widgets: delete again");
	tap_eq(CALL(delete, .id = win.buttons[win.nr_buttons - 1].id), 0,
	       "widgets: delete the last entry");
	tap_eq(CALL(delete, .id = 7), 0, "widgets: delete the first entry");
	tap_eq(win.buttons[0].id, 100, "widgets: ... next one is first");
	tap_ok(invariants(), "widgets: invariants hold");

	ga.id = 100;
	memset(&b, 0, sizeof(b));
	tap_eq(pt_call(o, "get", &win, sizeof(win), &ga, sizeof(ga), &b,
		       sizeof(b)), 0, "widgets: get(100)");
	tap_ok(b.id == 100 && b.x == 100 && b.rgb == 100,
	       "widgets: ... returns the button");
	tap_eq(pt_call(o, "get", &win, sizeof(win), &ga, sizeof(ga), &b,
		       sizeof(b) - 1), -ENOBUFS,
	       "widgets: get with short output is -ENOBUFS");

	while (win.nr_buttons && !bad) {
		err = CALL(delete, .id = win.buttons[0].id);
		bad += !!err;
	}
	tap_ok(!bad && invariants() && !win.nr_buttons,
	       "widgets: delete everything, window empty and zeroed");

	before = win;
	tap_eq(pt_call(o, "set_rgb", &win, sizeof(win), &sa, 4, NULL, 0),
	       -EINVAL, "widgets: short argument is -EINVAL");
	tap_eq(pt_call(o, "resize", &win, sizeof(win) - 1, &ra, sizeof(ra),
		       NULL, 0),
	       -EINVAL, "widgets: short object is -EINVAL");
	tap_ok(!memcmp(&win, &before, sizeof(win)),
	       "widgets: ... nothing changed");
	pt_close(o);
}
