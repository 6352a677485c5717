/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the ipo kselftests: thin wrappers around the ioctls that
 * return -errno (so a test reads ASSERT_EQ(-EINVAL, ...)), the module
 * parameters in sysfs, and the object mapping.
 */
#ifndef IPO_SELFTEST_H
#define IPO_SELFTEST_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/ipo.h>

#include "kselftest_harness.h"

#define IPO_DEV		"/dev/ipo"
#define IPO_PARAM_DIR	"/sys/module/ipo/parameters/"

#ifndef offsetofend
#define offsetofend(type, member) \
	(offsetof(type, member) + sizeof(((type *)0)->member))
#endif

static inline size_t ipo_page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

/* Bytes an object's mapping may span: header and data, whole pages. */
static inline size_t ipo_map_size(__u64 data_size)
{
	size_t page = ipo_page_size();

	return (sizeof(struct ipo_obj_header) + data_size + page - 1) &
	       ~(page - 1);
}

/* ioctl() as 0 or -errno. */
static inline int ipo_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

static inline int ipo_open_dev(void)
{
	return open(IPO_DEV, O_RDWR | O_CLOEXEC);
}

static inline int ipo_get_info(int dev, struct ipo_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return ipo_ioctl(dev, IPO_GET_INFO, info);
}

/* Live objects of the calling user, or -errno. */
static inline long ipo_nr_objs(int dev)
{
	struct ipo_info info;
	int ret = ipo_get_info(dev, &info);

	return ret ? ret : (long)info.nr_objs;
}

/*
 * Creates an object; returns its fd or -errno.  @name may be NULL or "" for
 * an anonymous object; at most IPO_NAME_MAX bytes are copied, so a name of
 * IPO_NAME_MAX characters arrives without a NUL.
 */
static inline int ipo_create(int dev, const char *name, __u64 data_size,
			     __u32 flags, __u32 mode, __u64 *obj_id)
{
	struct ipo_obj_create c;
	int ret;

	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.flags = flags;
	c.data_size = data_size;
	c.mode = mode;
	c.out_fd = -1;
	/* A name as long as the field fills it, without its NUL. */
	if (name)
		memcpy(c.name, name, strlen(name) < sizeof(c.name) ?
				     strlen(name) : sizeof(c.name));
	ret = ipo_ioctl(dev, IPO_OBJ_CREATE, &c);
	if (ret)
		return ret;
	if (obj_id)
		*obj_id = c.obj_id;
	return c.out_fd;
}

/* A derived handle of @obj (cloexec): its fd, its id in *id; -errno. */
static inline int ipo_derive(int dev, int obj, __u32 rights, __u64 methods,
			     __u32 *id)
{
	struct ipo_handle_derive c = {
		.size = sizeof(c), .flags = IPO_HANDLE_CLOEXEC, .obj_fd = obj,
		.rights = rights, .methods = methods, .out_fd = -1,
	};
	int ret = ipo_ioctl(dev, IPO_HANDLE_DERIVE, &c);

	if (ret)
		return ret;
	if (id)
		*id = c.handle_id;
	return c.out_fd;
}

/*
 * INVOKE of @n calls (fuel 0: the module's default); the calls it
 * completed in *nr_done.  0 or -errno.
 */
static inline int ipo_invoke(int dev, struct ipo_call *calls, __u32 n,
			     __u32 flags, __u64 fuel, __u32 *nr_done)
{
	struct ipo_invoke c = {
		.size = sizeof(c), .flags = flags, .nr_calls = n,
		.call_size = sizeof(*calls), .calls = (uintptr_t)calls,
		.fuel = fuel, .nr_done = ~0U,
	};
	int ret = ipo_ioctl(dev, IPO_INVOKE, &c);

	if (nr_done)
		*nr_done = c.nr_done;
	return ret;
}

static inline int ipo_revoke(int dev, int obj, __u32 id, __u32 flags)
{
	struct ipo_handle_revoke c = {
		.size = sizeof(c), .flags = flags, .obj_fd = obj,
		.handle_id = id,
	};

	return ipo_ioctl(dev, IPO_HANDLE_REVOKE, &c);
}

/*
 * PROG_LOAD of a METHOD program with no log; the command as the kernel
 * answered it in *@c (jit_reason, jit_size, ...).  The fd or -errno.
 */
static inline int ipo_load_method(int dev, const __u64 *insns, __u32 cnt,
				  __u32 flags, struct ipo_prog_load *c)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->flags = flags;
	c->prog_type = IPO_PROG_TYPE_METHOD;
	c->insns = (uintptr_t)insns;
	c->insn_cnt = cnt;
	return ipo_ioctl(dev, IPO_PROG_LOAD, c) ?: c->out_fd;
}

/* Maps @len bytes of an object read-only and shared; MAP_FAILED on error. */
static inline void *ipo_map(int obj_fd, size_t len)
{
	return mmap(NULL, len, PROT_READ, MAP_SHARED, obj_fd, 0);
}

/* Module parameters: 0 or -errno. */
static inline int ipo_param_read(const char *name, unsigned long long *val)
{
	char path[128], buf[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), IPO_PARAM_DIR "%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	buf[n] = '\0';
	*val = strtoull(buf, NULL, 0);
	return 0;
}

static inline int ipo_param_write_str(const char *name, const char *val)
{
	char path[128];
	int fd, ret = 0;
	size_t len = strlen(val);

	snprintf(path, sizeof(path), IPO_PARAM_DIR "%s", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, len) != (ssize_t)len)
		ret = -errno;
	close(fd);
	return ret;
}

static inline int ipo_param_write(const char *name, unsigned long long val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu\n", val);
	return ipo_param_write_str(name, buf);
}

/*
 * Hand-assembled METHOD programs for the tests: instruction encodings as
 * clang lays them out, and offsets into struct ipo_method_ctx.
 */
#define INSN(code, dst, src, off, imm)					\
	((__u64)(__u8)(code) | (__u64)((dst) | ((src) << 4)) << 8 |	\
	 (__u64)(__u16)(off) << 16 | (__u64)(__u32)(imm) << 32)
#define MOV64_IMM(d, imm)	INSN(0xb7, d, 0, 0, imm)
#define MOV64_REG(d, s)		INSN(0xbf, d, s, 0, 0)
#define ADD64_IMM(d, imm)	INSN(0x07, d, 0, 0, imm)
#define ADD64_REG(d, s)		INSN(0x0f, d, s, 0, 0)
#define MUL64_IMM(d, imm)	INSN(0x27, d, 0, 0, imm)
#define XOR64_REG(d, s)		INSN(0xaf, d, s, 0, 0)
#define DIV64_REG(d, s)		INSN(0x3f, d, s, 0, 0)
#define LDX_B(d, s, off)	INSN(0x71, d, s, off, 0)
#define LDX_W(d, s, off)	INSN(0x61, d, s, off, 0)
#define LDX_DW(d, s, off)	INSN(0x79, d, s, off, 0)
#define STX_B(d, s, off)	INSN(0x73, d, s, off, 0)
#define STX_W(d, s, off)	INSN(0x63, d, s, off, 0)
#define STX_DW(d, s, off)	INSN(0x7b, d, s, off, 0)
#define ST_W(d, off, imm)	INSN(0x62, d, 0, off, imm)
#define ST_DW(d, off, imm)	INSN(0x7a, d, 0, off, imm)
#define JLT_IMM(d, imm, off)	INSN(0xa5, d, 0, off, imm)
#define JNE_IMM(d, imm, off)	INSN(0x55, d, 0, off, imm)
#define JGE_REG(d, s, off)	INSN(0x3d, d, s, off, 0)
#define JLT_REG(d, s, off)	INSN(0xad, d, s, off, 0)
#define ST_B(d, off, imm)	INSN(0x72, d, 0, off, imm)
#define EXIT()			INSN(0x95, 0, 0, 0, 0)

#define C_OBJ		offsetof(struct ipo_method_ctx, obj)
#define C_ARG		offsetof(struct ipo_method_ctx, arg)
#define C_OUT		offsetof(struct ipo_method_ctx, out)
#define C_OBJ_SIZE	offsetof(struct ipo_method_ctx, obj_size)
#define C_ARG_SIZE	offsetof(struct ipo_method_ctx, arg_size)
#define C_OUT_SIZE	offsetof(struct ipo_method_ctx, out_size)
#define C_CALLER_UID	offsetof(struct ipo_method_ctx, caller_uid)
#define C_CALLER_TGID	offsetof(struct ipo_method_ctx, caller_tgid)

/* Snapshot of obj[0], obj[1] through the mapping, seqlock style. */
struct ipo_pair { __u64 a, b; __u32 seq; };

static inline struct ipo_pair ipo_snap_pair(const struct ipo_obj_header *hdr)
{
	const volatile __u64 *d = (const void *)((const char *)hdr +
						 hdr->data_off);
	struct ipo_pair p;
	__u32 s;

	do {
		s = __atomic_load_n(&hdr->seq, __ATOMIC_ACQUIRE);
		if (s & 1)
			continue;
		p.a = d[0];
		p.b = d[1];
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while (s & 1 || __atomic_load_n(&hdr->seq, __ATOMIC_RELAXED) != s);
	p.seq = s;
	return p;
}

/*
 * Two methods several tests share (unused in some: hence the attribute).
 * add(u64 delta): obj[0] += delta, obj[1] = obj[0]; out = the new total.
 */
static const __u64 ipo_m_add[] __attribute__((unused)) = {
	LDX_W(2, 1, C_ARG_SIZE), JLT_IMM(2, 8, 13),
	LDX_DW(3, 1, C_ARG), LDX_DW(3, 3, 0),
	LDX_DW(4, 1, C_OBJ), LDX_DW(5, 4, 0), ADD64_REG(5, 3),
	STX_DW(4, 5, 0), STX_DW(4, 5, 8),
	LDX_W(7, 1, C_OUT_SIZE), JLT_IMM(7, 8, 2),
	LDX_DW(6, 1, C_OUT), STX_DW(6, 5, 0),
	MOV64_IMM(0, 0), EXIT(),
	MOV64_IMM(0, -22), EXIT(),
};
/* fail: scribble on the object, then return -EIO */
static const __u64 ipo_m_fail[] __attribute__((unused)) = {
	LDX_DW(4, 1, C_OBJ), ST_DW(4, 0, 0xdead), ST_DW(4, 8, 0xbeef),
	MOV64_IMM(0, -5), EXIT(),
};

/*
 * PCI devices for the IRQ hook: QEMU's edu devices (scripts/vm.sh --edu N),
 * bound to the module's ipo-irq driver through sysfs as an admin would.
 */
#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8
#define PCI_SYS		"/sys/bus/pci/devices/"

static inline int sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static inline long sysfs_read_num(const char *path)
{
	char buf[64] = "";
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 0) : -EIO;
}

static inline long dev_attr(const char *name, const char *attr)
{
	char path[512];

	snprintf(path, sizeof(path), PCI_SYS "%s/%s", name, attr);
	return sysfs_read_num(path);
}

/* Is @name bound to ipo-irq? */
static inline bool bound_to_ipo(const char *name)
{
	char path[512], target[256];
	ssize_t n;

	snprintf(path, sizeof(path), PCI_SYS "%s/driver", name);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = 0;
	return strstr(target, "/ipo-irq") != NULL;
}

/* Hands @name to ipo-irq: driver_override, then a probe. */
static inline int bind_ipo(const char *name)
{
	char path[512];
	int ret;

	if (bound_to_ipo(name))
		return 0;
	snprintf(path, sizeof(path), PCI_SYS "%s/driver_override", name);
	ret = sysfs_write(path, "ipo-irq");
	if (ret)
		return ret;
	snprintf(path, sizeof(path), PCI_SYS "%s/driver/unbind", name);
	sysfs_write(path, name);	/* fails when it has no driver */
	sysfs_write("/sys/bus/pci/drivers_probe", name);
	return bound_to_ipo(name) ? 0 : -ENODEV;
}

static inline int unbind_ipo(const char *name)
{
	return sysfs_write("/sys/bus/pci/drivers/ipo-irq/unbind", name);
}

/* The edu devices, sorted by name; returns how many (at most @max). */
static inline int find_edus(char names[][32], int max)
{
	struct dirent *de;
	DIR *d = opendir(PCI_SYS);
	int n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)) && n < max) {
		if (de->d_name[0] == '.')
			continue;
		if (dev_attr(de->d_name, "vendor") != EDU_VENDOR ||
		    dev_attr(de->d_name, "device") != EDU_DEVICE)
			continue;
		if (strlen(de->d_name) < 32)
			memcpy(names[n++], de->d_name, strlen(de->d_name) + 1);
	}
	closedir(d);
	if (n == 2 && strcmp(names[0], names[1]) > 0) {
		char t[32];

		memcpy(t, names[0], 32);
		memcpy(names[0], names[1], 32);
		memcpy(names[1], t, 32);
	}
	return n;
}

#endif /* IPO_SELFTEST_H */
