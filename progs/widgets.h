/* SPDX-License-Identifier: GPL-2.0 */
/*
 * widgets: one window with up to WIDGETS_MAX_BUTTONS buttons, the seeds'
 * example of a service's object that clients change through its methods.
 * Object layout and method arguments, shared by progs/widgets.c and its
 * callers (the service reads the object through its read-only mapping).
 */
#ifndef IPO_PROGS_WIDGETS_H
#define IPO_PROGS_WIDGETS_H

#include <linux/types.h>

#define WIDGETS_MAX_BUTTONS	16
#define WIDGETS_RGB_MASK	0xffffffU	/* 0x00RRGGBB */

/*
 * Events the methods report with ipo_notify() when their bundle commits,
 * for subscribers (ipo_on_change(), `ipo watch demo_window 0x3`):
 */
#define WIDGETS_EV_GEOMETRY	(1U << 0)	/* window resized, button moved */
#define WIDGETS_EV_COLOUR	(1U << 1)	/* a button recoloured */
#define WIDGETS_EV_ADDED	(1U << 2)	/* a button inserted */
#define WIDGETS_EV_REMOVED	(1U << 3)	/* a button deleted */

/**
 * struct widget_button - one button, in window coordinates
 * @id: the caller's name for it, never 0, unique in the window
 * @x, @y: top left corner
 * @w, @h: size, both at least 1
 * @rgb: colour, 0x00RRGGBB
 */
struct widget_button {
	__u32 id;
	__u32 x;
	__u32 y;
	__u32 w;
	__u32 h;
	__u32 rgb;
};

/**
 * struct widgets_window - the object
 * @w, @h: the window's size; every button lies inside it
 * @nr_buttons: used entries of @buttons, in insertion order
 * @serial: bumped by every successful change, so a reader can tell
 * @buttons: the buttons; entries from @nr_buttons on are zero
 *
 * A new (zeroed) object is a 0x0 window: resize() it before inserting.
 */
struct widgets_window {
	__u32 w;
	__u32 h;
	__u32 nr_buttons;
	__u32 serial;
	struct widget_button buttons[WIDGETS_MAX_BUTTONS];
};

/* resize(w, h): -ERANGE if a button would no longer fit */
struct resize_args {
	__u32 w;
	__u32 h;
};

/* set_rgb(id, rgb): -ENOENT for an unknown id, -EINVAL for rgb > 24 bits */
struct set_rgb_args {
	__u32 id;
	__u32 rgb;
};

/*
 * insert_button(id, x, y, w, h, rgb): -EINVAL for id 0, an empty size or
 * rgb > 24 bits, -EEXIST for an id in use, -ERANGE outside the window,
 * -ENOSPC when the window is full
 */
struct insert_button_args {
	__u32 id;
	__u32 x;
	__u32 y;
	__u32 w;
	__u32 h;
	__u32 rgb;
};

/* move(id, x, y): -ENOENT, -ERANGE when it would leave the window */
struct move_args {
	__u32 id;
	__u32 x;
	__u32 y;
};

/* delete(id): -ENOENT; later buttons move down one entry */
struct delete_args {
	__u32 id;
};

/* get(id) -> out: struct widget_button; -ENOENT, -ENOBUFS */
struct get_args {
	__u32 id;
};

#endif /* IPO_PROGS_WIDGETS_H */
