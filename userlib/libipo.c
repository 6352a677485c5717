// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libipo: /dev/ipo, objects and read-only views.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libipo.h"
#include "libipo_internal.h"

struct ipo_dev {
	int fd;
	bool have_features;
	uint64_t features;	/* IPO_GET_INFO's, asked once */
};

struct ipo_view {
	void *map;
	size_t map_len;
	const struct ipo_obj_header *hdr;
	const void *data;
	uint64_t data_size;
};

int libipo_err(int err)
{
	errno = err < 0 ? -err : err;
	return err < 0 ? err : -err;
}

void *libipo_err_ptr(int err)
{
	errno = err < 0 ? -err : err;
	return NULL;
}

bool libipo_opts_valid(const void *opts, size_t known, int *err)
{
	const unsigned char *p = opts;
	size_t sz, i;

	if (!opts)
		return true;
	sz = *(const size_t *)opts;
	if (sz < sizeof(size_t)) {
		*err = -EINVAL;
		return false;
	}
	for (i = known; i < sz; i++) {
		if (p[i]) {
			*err = -E2BIG;
			return false;
		}
	}
	return true;
}

struct ipo_dev *ipo_dev_open(void)
{
	const char *path = getenv("IPO_DEV");
	struct ipo_dev *dev;

	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return libipo_err_ptr(-ENOMEM);
	dev->fd = open(path && *path ? path : "/dev/ipo", O_RDWR | O_CLOEXEC);
	if (dev->fd < 0) {
		int err = -errno;

		free(dev);
		return libipo_err_ptr(err);
	}
	return dev;
}

void ipo_dev_close(struct ipo_dev *dev)
{
	if (!dev)
		return;
	close(dev->fd);
	free(dev);
}

int ipo_dev_fd(const struct ipo_dev *dev)
{
	return dev->fd;
}

int ipo_dev_info(struct ipo_dev *dev, struct ipo_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	if (ioctl(dev->fd, IPO_GET_INFO, info))
		return libipo_err(-errno);
	dev->features = info->features;
	dev->have_features = true;
	return 0;
}

/* The module's features, asked once per device (0 when it cannot say). */
uint64_t libipo_dev_features(struct ipo_dev *dev)
{
	struct ipo_info info;

	if (!dev->have_features && ipo_dev_info(dev, &info))
		return 0;
	return dev->features;
}

int ipo_obj_create(struct ipo_dev *dev, uint64_t data_size,
		   const struct ipo_obj_opts *opts, uint64_t *obj_id)
{
	struct ipo_obj_create cmd = {
		.size = sizeof(cmd),
		.flags = IPO_OBJ_CLOEXEC,
		.data_size = data_size,
	};
	int err;

	if (!libipo_opts_valid(opts, sizeof(*opts), &err))
		return libipo_err(err);
	if (opts) {
		const char *name = opts->name ? opts->name : "";

		if (strlen(name) >= sizeof(cmd.name))
			return libipo_err(-ENAMETOOLONG);
		strcpy(cmd.name, name);
		cmd.mode = opts->mode;
		cmd.flags |= opts->flags;
	}
	if (ioctl(dev->fd, IPO_OBJ_CREATE, &cmd))
		return libipo_err(-errno);
	if (obj_id)
		*obj_id = cmd.obj_id;
	return cmd.out_fd;
}

int ipo_obj_remove(struct ipo_dev *dev, const char *name)
{
	struct ipo_obj_remove cmd = { .size = sizeof(cmd) };

	if (!dev || !name)
		return libipo_err(-EINVAL);
	if (strlen(name) >= sizeof(cmd.name))
		return libipo_err(-ENAMETOOLONG);
	strcpy(cmd.name, name);
	if (ioctl(dev->fd, IPO_OBJ_REMOVE, &cmd))
		return libipo_err(-errno);
	return 0;
}

int ipo_dev_list(struct ipo_dev *dev, uint32_t kind, void *entries,
		 uint32_t max, uint64_t *next_id)
{
	struct ipo_list cmd = {
		.size = sizeof(cmd),
		.kind = kind,
		.start_id = *next_id,
		.entries = (uintptr_t)entries,
		.max_entries = max,
	};

	switch (kind) {
	case IPO_LIST_OBJS:
		cmd.entry_size = sizeof(struct ipo_obj_entry);
		break;
	case IPO_LIST_PROGS:
		cmd.entry_size = sizeof(struct ipo_prog_entry);
		break;
	default:
		return libipo_err(-EINVAL);
	}
	if (ioctl(dev->fd, IPO_LIST, &cmd))
		return libipo_err(-errno);
	*next_id = cmd.next_id;
	return cmd.nr_entries;
}

const char *ipo_jit_reason_str(uint32_t jit_reason)
{
	switch (jit_reason) {
	case IPO_JIT_OK:
		return "jit";
	case IPO_JIT_ASKED:
		return "interpreter (asked for)";
	case IPO_JIT_DISABLED:
		return "interpreter (jit=0)";
	case IPO_JIT_TOO_BIG:
		return "interpreter (code larger than a user's JIT share)";
	case IPO_JIT_USER_SHARE:
		return "interpreter (the user's JIT share is used up)";
	case IPO_JIT_POOL_FULL:
		return "interpreter (the JIT pool is full)";
	case IPO_JIT_FAILED:
		return "interpreter (out of memory compiling)";
	}
	return "interpreter";
}

int ipo_obj_list_handles(struct ipo_dev *dev, int obj_fd,
			 struct ipo_handle_entry *entries, uint32_t max,
			 uint64_t *next_id)
{
	struct ipo_list cmd = {
		.size = sizeof(cmd),
		.kind = IPO_LIST_HANDLES,
		.entry_size = sizeof(*entries),
		.start_id = *next_id,
		.entries = (uintptr_t)entries,
		.max_entries = max,
		.obj_fd = obj_fd,
	};

	if (ioctl(dev->fd, IPO_LIST, &cmd))
		return libipo_err(-errno);
	*next_id = cmd.next_id;
	return cmd.nr_entries;
}

struct ipo_view *ipo_view_map(int obj_fd)
{
	long page = sysconf(_SC_PAGESIZE);
	const struct ipo_obj_header *hdr;
	struct ipo_view *view;
	size_t len;
	int err;

	view = calloc(1, sizeof(*view));
	if (!view)
		return libipo_err_ptr(-ENOMEM);
	/* Map the header first to learn the size, then the whole object. */
	hdr = mmap(NULL, page, PROT_READ, MAP_SHARED, obj_fd, 0);
	if (hdr == MAP_FAILED) {
		err = -errno;
		goto err_free;
	}
	len = (hdr->data_off + hdr->data_size + page - 1) & ~(size_t)(page - 1);
	munmap((void *)hdr, page);

	view->map = mmap(NULL, len, PROT_READ, MAP_SHARED, obj_fd, 0);
	if (view->map == MAP_FAILED) {
		err = -errno;
		goto err_free;
	}
	view->map_len = len;
	view->hdr = view->map;
	view->data = (const char *)view->map + view->hdr->data_off;
	view->data_size = view->hdr->data_size;
	return view;

err_free:
	free(view);
	return libipo_err_ptr(err);
}

void ipo_view_unmap(struct ipo_view *view)
{
	if (!view)
		return;
	munmap(view->map, view->map_len);
	free(view);
}

const struct ipo_obj_header *ipo_view_header(const struct ipo_view *view)
{
	return view->hdr;
}

const void *ipo_view_data(const struct ipo_view *view)
{
	return view->data;
}

uint64_t ipo_view_size(const struct ipo_view *view)
{
	return view->data_size;
}

int64_t ipo_view_snapshot(const struct ipo_view *view, uint64_t off,
			  void *buf, size_t len)
{
	const uint32_t *seqp = &view->hdr->seq;
	uint32_t s;

	if (off > view->data_size)
		return libipo_err(-EINVAL);
	if (len > view->data_size - off)
		len = view->data_size - off;
	for (;;) {
		s = __atomic_load_n(seqp, __ATOMIC_ACQUIRE);
		if (s & 1) {
			__builtin_ia32_pause();
			continue;
		}
		memcpy(buf, (const char *)view->data + off, len);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(seqp, __ATOMIC_RELAXED) == s)
			return s;
	}
}
