// SPDX-License-Identifier: GPL-2.0
/*
 * widgets: a window and its buttons (layout in widgets.h).  Every method
 * keeps the window's invariants: ids are non-zero and unique, buttons
 * [0, nr_buttons) are used and lie inside the window, entries after them
 * are zero, nr_buttons <= WIDGETS_MAX_BUTTONS.  Every change reports its
 * WIDGETS_EV_* event; get() changes nothing and reports none.
 */
#include "ipo.h"
#include "widgets.h"

IPO_OBJECT(struct widgets_window);
IPO_ARGS(resize);
IPO_ARGS(set_rgb);
IPO_ARGS(insert_button);
IPO_ARGS(move);
IPO_ARGS(delete);
IPO_ARGS(get);

/* nr_buttons as a loop bound: never past the array, even if corrupted. */
static __always_inline __u32 nr_of(const struct widgets_window *win)
{
	__u32 n = win->nr_buttons;

	return n < WIDGETS_MAX_BUTTONS ? n : WIDGETS_MAX_BUTTONS;
}

/* Index of the button called @id, or -ENOENT. */
static __always_inline int find(const struct widgets_window *win, __u32 id)
{
	__u32 i, n = nr_of(win);

	for (i = 0; i < n && i < WIDGETS_MAX_BUTTONS; i++)
		if (win->buttons[i].id == id)
			return i;
	return -ENOENT;
}

/* Does [x, x + w) x [y, y + h) lie inside the window?  No wrap-around. */
static __always_inline int fits(const struct widgets_window *win, __u32 x,
				__u32 y, __u32 w, __u32 h)
{
	return w <= win->w && x <= win->w - w &&
	       h <= win->h && y <= win->h - h;
}

IPO_METHOD(resize)
int resize(struct ipo_method_ctx *ctx)
{
	const struct resize_args *a;
	struct widgets_window *win;
	__u32 i, n, w, h;

	if (ctx->arg_size < sizeof(*a) || ctx->obj_size < sizeof(*win))
		return -EINVAL;
	a = ctx->arg;
	win = ctx->obj;
	w = a->w;
	h = a->h;
	n = nr_of(win);
	for (i = 0; i < n && i < WIDGETS_MAX_BUTTONS; i++) {
		const struct widget_button *b = &win->buttons[i];

		if (b->w > w || b->x > w - b->w || b->h > h || b->y > h - b->h)
			return -ERANGE;
	}
	win->w = w;
	win->h = h;
	win->serial++;
	ipo_notify(WIDGETS_EV_GEOMETRY);
	return 0;
}

IPO_METHOD(set_rgb)
int set_rgb(struct ipo_method_ctx *ctx)
{
	const struct set_rgb_args *a;
	struct widgets_window *win;
	int i;

	if (ctx->arg_size < sizeof(*a) || ctx->obj_size < sizeof(*win))
		return -EINVAL;
	a = ctx->arg;
	win = ctx->obj;
	if (a->rgb & ~WIDGETS_RGB_MASK)
		return -EINVAL;
	i = find(win, a->id);
	if (i < 0)
		return i;
	win->buttons[i].rgb = a->rgb;
	win->serial++;
	ipo_notify(WIDGETS_EV_COLOUR);
	return 0;
}

IPO_METHOD(insert_button)
int insert_button(struct ipo_method_ctx *ctx)
{
	const struct insert_button_args *a;
	struct widgets_window *win;
	struct widget_button *b;
	__u32 n;

	if (ctx->arg_size < sizeof(*a) || ctx->obj_size < sizeof(*win))
		return -EINVAL;
	a = ctx->arg;
	win = ctx->obj;
	if (!a->id || !a->w || !a->h || a->rgb & ~WIDGETS_RGB_MASK)
		return -EINVAL;
	if (find(win, a->id) >= 0)
		return -EEXIST;
	if (!fits(win, a->x, a->y, a->w, a->h))
		return -ERANGE;
	n = win->nr_buttons;
	if (n >= WIDGETS_MAX_BUTTONS)
		return -ENOSPC;
	b = &win->buttons[n];
	b->id = a->id;
	b->x = a->x;
	b->y = a->y;
	b->w = a->w;
	b->h = a->h;
	b->rgb = a->rgb;
	win->nr_buttons = n + 1;
	win->serial++;
	ipo_notify(WIDGETS_EV_ADDED);
	return 0;
}

IPO_METHOD(move)
int move(struct ipo_method_ctx *ctx)
{
	const struct move_args *a;
	struct widgets_window *win;
	struct widget_button *b;
	int i;

	if (ctx->arg_size < sizeof(*a) || ctx->obj_size < sizeof(*win))
		return -EINVAL;
	a = ctx->arg;
	win = ctx->obj;
	i = find(win, a->id);
	if (i < 0)
		return i;
	b = &win->buttons[i];
	if (!fits(win, a->x, a->y, b->w, b->h))
		return -ERANGE;
	b->x = a->x;
	b->y = a->y;
	win->serial++;
	ipo_notify(WIDGETS_EV_GEOMETRY);
	return 0;
}

IPO_METHOD(delete)
int delete(struct ipo_method_ctx *ctx)
{
	const struct delete_args *a;
	struct widgets_window *win;
	__u32 i, n;
	int at;

	if (ctx->arg_size < sizeof(*a) || ctx->obj_size < sizeof(*win))
		return -EINVAL;
	a = ctx->arg;
	win = ctx->obj;
	at = find(win, a->id);
	if (at < 0)
		return at;
	n = nr_of(win);
	/* Keep insertion order: shift the later buttons down one entry. */
	for (i = at; i + 1 < n && i + 1 < WIDGETS_MAX_BUTTONS; i++)
		win->buttons[i] = win->buttons[i + 1];
	if (n - 1 < WIDGETS_MAX_BUTTONS)
		ipo_memset_const(&win->buttons[n - 1], 0,
				 sizeof(struct widget_button));
	win->nr_buttons = n - 1;
	win->serial++;
	ipo_notify(WIDGETS_EV_REMOVED);
	return 0;
}

IPO_METHOD(get)
int get(struct ipo_method_ctx *ctx)
{
	const struct get_args *a;
	const struct widgets_window *win;
	struct widget_button *out;
	int i;

	if (ctx->arg_size < sizeof(*a) || ctx->obj_size < sizeof(*win))
		return -EINVAL;
	if (ctx->out_size < sizeof(*out))
		return -ENOBUFS;
	a = ctx->arg;
	win = ctx->obj;
	out = ctx->out;
	i = find(win, a->id);
	if (i < 0)
		return i;
	*out = win->buttons[i];
	return 0;
}

IPO_LICENSE("GPL");
