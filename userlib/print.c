// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libipo's one print callback: every error the library returns is also
 * explained here, so a caller never has to guess from an errno alone.
 */
#include <stdarg.h>
#include <stdio.h>

#include "libipo.h"
#include "libipo_internal.h"

static int libipo_print_stderr(enum ipo_print_level level, const char *fmt,
			       va_list args)
{
	if (level == IPO_PRINT_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static ipo_print_fn_t libipo_print_fn = libipo_print_stderr;

ipo_print_fn_t ipo_set_print(ipo_print_fn_t fn)
{
	ipo_print_fn_t old = libipo_print_fn;

	libipo_print_fn = fn;
	return old;
}

void libipo_print(enum ipo_print_level level, const char *fmt, ...)
{
	ipo_print_fn_t fn = libipo_print_fn;
	va_list args;

	if (!fn)
		return;
	va_start(args, fmt);
	fn(level, fmt, args);
	va_end(args);
}
