// SPDX-License-Identifier: GPL-2.0
/*
 * ipo_bench: the floors, an ioctl /dev/ipo refuses at once and getppid().
 */
#include "ipo_bench.h"

/*
 * An ioctl number of ipo's type below its first command: fdget, the LSM
 * hook, do_vfs_ioctl's switch, vfs_ioctl and ipo_dev_ioctl's range check,
 * which returns ENOTTY before touching the argument.
 */
#define IPO_NULL_IOCTL	_IO(IPO_TYPE, 0x7f)

struct local {
	int devfd;
	int64_t total;	/* for the mechanisms that keep it in userspace */
};

static int op_null_ioctl(void *st, int64_t delta, int64_t *total,
			 uint64_t *lat)
{
	struct local *l = st;

	if (ioctl(l->devfd, IPO_NULL_IOCTL, 0) != -1 || errno != ENOTTY)
		return -EPROTO;
	*total = l->total += delta;
	return 0;
}

static int op_getppid(void *st, int64_t delta, int64_t *total, uint64_t *lat)
{
	struct local *l = st;

	if (syscall(SYS_getppid) <= 0)
		return -EPROTO;
	*total = l->total += delta;
	return 0;
}

void run_floors(void)
{
	static const struct {
		const char *name;
		op_fn op;
		const char *what;
	} v[] = {
		{ "null_ioctl", op_null_ioctl,
		  "ioctl on /dev/ipo with a command number ipo does not have (ENOTTY from its dispatcher)" },
		{ "getppid", op_getppid, "getppid(), the cheapest syscall" },
	};
	struct local l = { .devfd = open("/dev/ipo", O_RDWR | O_CLOEXEC) };
	size_t i;

	for (i = 0; i < 2; i++) {
		struct mech m = {
			.name = v[i].name, .placement = "local",
			.timing = "per_batch", .ops = BATCH, .calls = 1,
			.what = v[i].what,
		};
		int64_t total = 0;

		if (!wanted(m.name))
			continue;
		l.total = 0;
		if (l.devfd < 0)
			setup_failed(m.name, m.placement, "/dev/ipo", -errno);
		else
			measure(&m, v[i].op, &l, &total);
	}
	if (l.devfd >= 0)
		close(l.devfd);
}
