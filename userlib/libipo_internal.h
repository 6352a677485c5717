/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Helpers shared by libipo's files; not part of the API. */
#ifndef LIBIPO_INTERNAL_H
#define LIBIPO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

/* Set errno from a negative errno and return it (or NULL). */
int libipo_err(int err);
void *libipo_err_ptr(int err);

/* Checks an options struct that starts with size_t sz. */
bool libipo_opts_valid(const void *opts, size_t known, int *err);

#endif /* LIBIPO_INTERNAL_H */
