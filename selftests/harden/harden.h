/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the hardening programs of the VM (fault_test, ipo_ioctl_fuzz,
 * harden_stress): ioctl wrappers returning an fd, 0 or -errno on top of
 * selftests/kernel/ipo_test.h, two METHOD programs and the seqlock
 * snapshot of an object's first two words.
 */
#ifndef IPO_HARDEN_H
#define IPO_HARDEN_H

#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>

#include "../kernel/ipo_test.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))


static inline int h_load(int dev, const __u64 *insns, __u32 cnt,
			 __u32 flags)
{
	struct ipo_prog_load c;

	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.flags = IPO_PROG_CLOEXEC | flags;
	c.prog_type = IPO_PROG_TYPE_METHOD;
	c.insns = (uintptr_t)insns;
	c.insn_cnt = cnt;
	c.out_fd = -1;
	return ipo_ioctl(dev, IPO_PROG_LOAD, &c) ?: c.out_fd;
}

static inline int h_set_methods(int dev, int obj, const int *fds, __u32 n)
{
	struct ipo_obj_set_methods c = {
		.size = sizeof(c), .obj_fd = obj, .nr_methods = n,
		.prog_fds = (uintptr_t)fds,
	};

	return ipo_ioctl(dev, IPO_OBJ_SET_METHODS, &c);
}

static inline void h_call(struct ipo_call *c, int obj, __u32 method,
			  const __u64 *arg, __u64 *out)
{
	memset(c, 0, sizeof(*c));
	c->obj_fd = obj;
	c->method = method;
	c->arg = (uintptr_t)arg;
	c->arg_size = arg ? 8 : 0;
	c->out = (uintptr_t)out;
	c->out_size = out ? 8 : 0;
	c->status = 1;
}

static inline int h_open(int dev, const char *name, __u32 rights, __u32 *id)
{
	struct ipo_obj_open c = {
		.size = sizeof(c), .flags = IPO_HANDLE_CLOEXEC,
		.rights = rights, .out_fd = -1,
	};
	int ret;

	snprintf(c.name, sizeof(c.name), "%s", name);
	ret = ipo_ioctl(dev, IPO_OBJ_OPEN, &c);
	if (ret)
		return ret;
	if (id)
		*id = c.handle_id;
	return c.out_fd;
}

static inline int h_subscribe(int dev, int obj, __u64 mask)
{
	struct ipo_subscribe c = {
		.size = sizeof(c), .flags = IPO_SUB_CLOEXEC | IPO_SUB_NONBLOCK,
		.obj_fd = obj, .mask = mask, .out_fd = -1,
	};

	return ipo_ioctl(dev, IPO_SUBSCRIBE, &c) ?: c.out_fd;
}

/* The LIST entry of object @id (0), -ENOENT, or another -errno. */
static inline int h_obj_entry(int dev, __u64 id, struct ipo_obj_entry *e)
{
	struct ipo_list c = {
		.size = sizeof(c), .kind = IPO_LIST_OBJS,
		.entry_size = sizeof(*e), .start_id = id,
		.entries = (uintptr_t)e, .max_entries = 1,
	};
	int ret = ipo_ioctl(dev, IPO_LIST, &c);

	if (ret)
		return ret;
	return c.nr_entries == 1 && e->id == id ? 0 : -ENOENT;
}

/* Every object (or program) visible to the caller; -errno on failure. */
static inline long h_list_count(int dev, __u32 kind)
{
	struct ipo_obj_entry e[64];
	struct ipo_list c = {
		.size = sizeof(c), .kind = kind, .entry_size = sizeof(e[0]),
		.entries = (uintptr_t)e, .max_entries = ARRAY_LEN(e),
	};
	long n = 0;
	int ret;

	/* an ipo_prog_entry is smaller: the same room holds more of them */
	do {
		ret = ipo_ioctl(dev, IPO_LIST, &c);
		if (ret)
			return ret;
		n += c.nr_entries;
		c.start_id = c.next_id;
	} while (c.next_id);
	return n;
}

/*
 * Removes every persistent object the caller may remove (root: all of
 * them), as an admin cleaning up after a run would; how many, or -errno.
 */
static inline long h_remove_persistent(int dev)
{
	struct ipo_obj_entry e[16];
	struct ipo_list c = {
		.size = sizeof(c), .kind = IPO_LIST_OBJS,
		.entry_size = sizeof(e[0]), .entries = (uintptr_t)e,
		.max_entries = ARRAY_LEN(e),
	};
	long n = 0;
	__u32 i;
	int ret;

	do {
		ret = ipo_ioctl(dev, IPO_LIST, &c);
		if (ret)
			return ret;
		for (i = 0; i < c.nr_entries; i++) {
			struct ipo_obj_remove r = { .size = sizeof(r) };

			if (!(e[i].flags & IPO_OBJ_ENTRY_PERSIST))
				continue;
			memcpy(r.name, e[i].name, sizeof(r.name));
			if (!ipo_ioctl(dev, IPO_OBJ_REMOVE, &r))
				n++;
		}
		c.start_id = c.next_id;
	} while (c.next_id);
	return n;
}

static inline double h_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

#endif /* IPO_HARDEN_H */
