/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * libipo: the userspace side of ipo (interprocess objects).
 *
 * Conventions (as libbpf): functions return 0 or a negative errno and also
 * set errno; functions returning a pointer return NULL and set errno.
 * Options structs start with `size_t sz` (use LIBIPO_OPTS()); fields a
 * caller does not know stay zero and keep the old behaviour, and non-zero
 * bytes beyond what this library knows are refused with -E2BIG.
 */
#ifndef LIBIPO_H
#define LIBIPO_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/ipo.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LIBIPO_API __attribute__((visibility("default")))

/* Declare and zero an options struct with its size filled in. */
#define LIBIPO_OPTS(TYPE, NAME, ...)					\
	struct TYPE NAME = ({						\
		memset(&NAME, 0, sizeof(struct TYPE));			\
		(struct TYPE){ .sz = sizeof(struct TYPE), __VA_ARGS__ };\
	})

/* An open /dev/ipo. */
struct ipo_dev;

/* Opens /dev/ipo (or $IPO_DEV when set). */
LIBIPO_API struct ipo_dev *ipo_dev_open(void);
LIBIPO_API void ipo_dev_close(struct ipo_dev *dev);
LIBIPO_API int ipo_dev_fd(const struct ipo_dev *dev);
LIBIPO_API int ipo_dev_info(struct ipo_dev *dev, struct ipo_info *info);

struct ipo_obj_opts {
	size_t sz;
	const char *name;	/* NULL or "" for an anonymous object */
	uint32_t mode;		/* 0: 0600 */
	uint32_t flags;		/* IPO_OBJ_* (IPO_OBJ_CLOEXEC is always added) */
};

/*
 * ipo_obj_create() - create an object of @data_size bytes.
 * Returns the object fd (the owner's handle) or a negative errno.
 * @obj_id, when not NULL, receives the object's id.
 */
LIBIPO_API int ipo_obj_create(struct ipo_dev *dev, uint64_t data_size,
			      const struct ipo_obj_opts *opts,
			      uint64_t *obj_id);

/* A read-only view of an object. */
struct ipo_view;

/* Maps the object behind @obj_fd read-only; NULL + errno on failure. */
LIBIPO_API struct ipo_view *ipo_view_map(int obj_fd);
LIBIPO_API void ipo_view_unmap(struct ipo_view *view);
LIBIPO_API const struct ipo_obj_header *ipo_view_header(const struct ipo_view *view);
LIBIPO_API const void *ipo_view_data(const struct ipo_view *view);
LIBIPO_API uint64_t ipo_view_size(const struct ipo_view *view);

/*
 * ipo_view_snapshot() - copy a consistent snapshot of the data.
 * Copies min(@len, data size) bytes starting at @off into @buf, retrying
 * while a change is committed concurrently (see the uapi header).
 * Returns the sequence number the copy corresponds to, or a negative errno.
 */
LIBIPO_API int64_t ipo_view_snapshot(const struct ipo_view *view,
				     uint64_t off, void *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* LIBIPO_H */
