/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Helpers shared by libipo's files; not part of the API. */
#ifndef LIBIPO_INTERNAL_H
#define LIBIPO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "libipo.h"

/* Set errno from a negative errno and return it (or NULL). */
int libipo_err(int err);
void *libipo_err_ptr(int err);

/* Bytes of @type up to and including @member (for size-versioned opts). */
#define offsetofend(type, member) \
	(offsetof(type, member) + sizeof(((type *)0)->member))

/* An ioctl on /dev/ipo: 0 or -errno (errno set). */
int libipo_dev_ioctl(struct ipo_dev *dev, unsigned long cmd, void *arg);
uint64_t libipo_dev_features(struct ipo_dev *dev);

/* Checks an options struct that starts with size_t sz. */
bool libipo_opts_valid(const void *opts, size_t known, int *err);

/* Messages through the print callback set with ipo_set_print(). */
__attribute__((format(printf, 2, 3)))
void libipo_print(enum ipo_print_level level, const char *fmt, ...);
#define pr_warn(fmt, ...)	libipo_print(IPO_PRINT_WARN, "libipo: " fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	libipo_print(IPO_PRINT_INFO, "libipo: " fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	libipo_print(IPO_PRINT_DEBUG, "libipo: " fmt, ##__VA_ARGS__)

#endif /* LIBIPO_INTERNAL_H */
