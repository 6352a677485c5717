// SPDX-License-Identifier: GPL-2.0
/*
 * The rules every ipo command follows (the DOC block "General ioctl format"
 * in include/uapi/linux/ipo.h), checked for each command of the ABI: the
 * size handling of copy_struct_from_user(), unknown flags, reserved fields,
 * bad pointers, unknown commands and commands sent to the wrong fd.
 *
 * A new command is one FIXTURE_VARIANT_ADD(abi, ...) below; every test of
 * this file then runs for it, and unknown_commands stops treating its
 * number as unknown.
 */
#include "ipo_test.h"

enum ipo_fd_kind {
	IPO_FD_DEV,	/* /dev/ipo */
	IPO_FD_OBJ,	/* an object fd */
};

struct ipo_abi_field {
	size_t off;
	size_t len;
};

#define IPO_FIELD(type, member) \
	{ offsetof(type, member), sizeof(((type *)0)->member) }

FIXTURE(abi) {
	int dev;
	int obj;		/* an object fd, the "wrong fd" for dev commands */
	size_t page;
	char *buf;		/* two read-write pages, then a PROT_NONE guard */
	char *guard;
	long nr_objs;		/* before the test, to catch leaks on failure */
};

FIXTURE_VARIANT(abi) {
	unsigned long cmd;
	size_t size;		/* sizeof the struct this test knows */
	size_t min_size;	/* the first published size */
	enum ipo_fd_kind fd_kind;
	size_t flags_off;
	__u32 valid_flags;
	struct ipo_abi_field reserved[4];	/* ends at .len == 0 */
	/* Makes *arg (zeroed, @size set by the caller) a valid argument. */
	void (*fill)(void *arg);
	/* Releases what a successful call created; 0 if that went well. */
	int (*done)(void *arg);
	/* Writes nothing back, so a read-only struct is fine. */
	bool no_output;
};

#define IPO_ABI_CMD(_cmd, _struct, _first_last, _fd_kind)		\
	.cmd = _cmd,							\
	.size = sizeof(_struct),					\
	.min_size = offsetofend(_struct, _first_last),			\
	.fd_kind = _fd_kind,						\
	.flags_off = offsetof(_struct, flags)

static void fill_get_info(void *arg)
{
}

static void fill_obj_create(void *arg)
{
	struct ipo_obj_create *c = arg;

	c->data_size = 4096;	/* anonymous: repeated calls never clash */
	c->out_fd = -1;		/* not 0: closing stdin would look fine */
}

static int done_obj_create(void *arg)
{
	struct ipo_obj_create *c = arg;

	return c->out_fd >= 0 ? close(c->out_fd) : -1;
}

/* r0 = 0; exit */
static const __u64 trivial_prog[] = { 0x00000000000000b7ULL, 0x95ULL };

static void fill_prog_load(void *arg)
{
	struct ipo_prog_load *c = arg;

	c->prog_type = IPO_PROG_TYPE_METHOD;
	c->insn_cnt = 2;
	c->insns = (uintptr_t)trivial_prog;
	c->out_fd = -1;
}

static int done_prog_load(void *arg)
{
	struct ipo_prog_load *c = arg;

	return c->out_fd >= 0 ? close(c->out_fd) : -1;
}

/* One program, loaded on first use, for the commands that need one. */
static int test_prog_fd(void)
{
	static int fd = -1;
	struct ipo_prog_load c;
	int dev;

	if (fd >= 0)
		return fd;
	dev = ipo_open_dev();
	memset(&c, 0, sizeof(c));
	fill_prog_load(&c);
	c.size = sizeof(c);
	if (dev >= 0 && !ipo_ioctl(dev, IPO_PROG_LOAD, &c))
		fd = c.out_fd;
	close(dev);
	return fd;
}

static __u64 test_run_obj;

static void fill_prog_test_run(void *arg)
{
	struct ipo_prog_test_run *c = arg;

	c->prog_fd = test_prog_fd();
	c->obj = (uintptr_t)&test_run_obj;
	c->obj_size = sizeof(test_run_obj);
}

/* An object with the trivial program as method 0, made on first use. */
static int test_obj_fd(void)
{
	static int fd = -1;
	struct ipo_obj_set_methods m;
	int dev, prog;

	if (fd >= 0)
		return fd;
	dev = ipo_open_dev();
	prog = test_prog_fd();
	fd = ipo_create(dev, "abi_test_obj", 64, IPO_OBJ_CLOEXEC, 0, NULL);
	memset(&m, 0, sizeof(m));
	m.size = sizeof(m);
	m.obj_fd = fd;
	m.nr_methods = 1;
	m.prog_fds = (uintptr_t)&prog;
	if (fd >= 0 && ipo_ioctl(dev, IPO_OBJ_SET_METHODS, &m)) {
		close(fd);
		fd = -1;
	}
	close(dev);
	return fd;
}

static void fill_obj_set_methods(void *arg)
{
	struct ipo_obj_set_methods *c = arg;
	static int prog;

	prog = test_prog_fd();
	c->obj_fd = test_obj_fd();
	c->nr_methods = 1;
	c->prog_fds = (uintptr_t)&prog;
}

static struct ipo_call abi_call_buf;

static void fill_invoke(void *arg)
{
	struct ipo_invoke *c = arg;

	memset(&abi_call_buf, 0, sizeof(abi_call_buf));
	abi_call_buf.obj_fd = test_obj_fd();
	c->nr_calls = 1;
	c->call_size = sizeof(abi_call_buf);
	c->calls = (uintptr_t)&abi_call_buf;
}

static void fill_handle_derive(void *arg)
{
	struct ipo_handle_derive *c = arg;

	c->obj_fd = test_obj_fd();
	c->rights = IPO_RIGHT_READ;
	c->out_fd = -1;
}

static int done_handle_derive(void *arg)
{
	struct ipo_handle_derive *c = arg;

	return c->out_fd >= 0 ? close(c->out_fd) : -1;
}

static int done_subscribe(void *arg)
{
	struct ipo_subscribe *c = arg;

	return c->out_fd >= 0 ? close(c->out_fd) : -1;
}

static void fill_handle_revoke(void *arg)
{
	struct ipo_handle_revoke *c = arg;

	c->obj_fd = test_obj_fd();
	c->flags = IPO_REVOKE_ALL;
}

static void fill_obj_open(void *arg)
{
	struct ipo_obj_open *c = arg;

	if (test_obj_fd() < 0)
		return;
	c->rights = IPO_RIGHT_READ;
	strcpy(c->name, "abi_test_obj");
	c->out_fd = -1;
}

static int done_obj_open(void *arg)
{
	struct ipo_obj_open *c = arg;

	return c->out_fd >= 0 ? close(c->out_fd) : -1;
}

FIXTURE_VARIANT_ADD(abi, obj_set_methods) {
	IPO_ABI_CMD(IPO_OBJ_SET_METHODS, struct ipo_obj_set_methods, prog_fds,
		    IPO_FD_DEV),
	.reserved = { IPO_FIELD(struct ipo_obj_set_methods, __reserved) },
	.fill = fill_obj_set_methods,
	.no_output = true,
};

FIXTURE_VARIANT_ADD(abi, invoke) {
	IPO_ABI_CMD(IPO_INVOKE, struct ipo_invoke, __reserved, IPO_FD_DEV),
	.valid_flags = IPO_INVOKE_FLAGS,
	.reserved = { IPO_FIELD(struct ipo_invoke, __reserved) },
	.fill = fill_invoke,
};

FIXTURE_VARIANT_ADD(abi, handle_derive) {
	IPO_ABI_CMD(IPO_HANDLE_DERIVE, struct ipo_handle_derive, handle_id,
		    IPO_FD_DEV),
	.valid_flags = IPO_HANDLE_FLAGS,
	.fill = fill_handle_derive,
	.done = done_handle_derive,
};

FIXTURE_VARIANT_ADD(abi, handle_revoke) {
	IPO_ABI_CMD(IPO_HANDLE_REVOKE, struct ipo_handle_revoke, handle_id,
		    IPO_FD_DEV),
	.valid_flags = IPO_REVOKE_FLAGS,
	.fill = fill_handle_revoke,
	.no_output = true,
};

FIXTURE_VARIANT_ADD(abi, obj_open) {
	IPO_ABI_CMD(IPO_OBJ_OPEN, struct ipo_obj_open, name, IPO_FD_DEV),
	.valid_flags = IPO_HANDLE_FLAGS,
	.reserved = { IPO_FIELD(struct ipo_obj_open, __reserved) },
	.fill = fill_obj_open,
	.done = done_obj_open,
};

static struct ipo_obj_entry abi_list_buf[4];

static void fill_list(void *arg)
{
	struct ipo_list *c = arg;

	c->kind = IPO_LIST_OBJS;
	c->entry_size = sizeof(abi_list_buf[0]);
	c->entries = (uintptr_t)abi_list_buf;
	c->max_entries = 4;
}

FIXTURE_VARIANT_ADD(abi, list) {
	IPO_ABI_CMD(IPO_LIST, struct ipo_list, next_id, IPO_FD_DEV),
	.fill = fill_list,
};

static void fill_subscribe(void *arg)
{
	struct ipo_subscribe *c = arg;

	c->obj_fd = test_obj_fd();
	c->mask = 1;
	c->out_fd = -1;
}

FIXTURE_VARIANT_ADD(abi, subscribe) {
	IPO_ABI_CMD(IPO_SUBSCRIBE, struct ipo_subscribe, __reserved,
		    IPO_FD_DEV),
	.valid_flags = IPO_SUB_FLAGS,
	.reserved = { IPO_FIELD(struct ipo_subscribe, __reserved) },
	.fill = fill_subscribe,
	.done = done_subscribe,
};

/*
 * The IRQ commands need a PCI device bound to ipo-irq: the first edu
 * device of the VM (check-vm boots with two), with an IRQ program that
 * claims nothing.  Without one, these variants fail: the VM lacks what
 * the ABI needs to be tested.
 */
static char abi_edu[32];
static const __u64 irq_none_prog[] = { 0x00000000000000b7ULL, 0x95ULL };

static int test_irq_prog_fd(void)
{
	static int fd = -1;
	struct ipo_prog_load c;
	char names[1][32];
	int dev;

	if (fd >= 0)
		return fd;
	if (find_edus(names, 1) != 1 || bind_ipo(names[0]))
		return -1;
	memcpy(abi_edu, names[0], sizeof(abi_edu));
	dev = ipo_open_dev();
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.prog_type = IPO_PROG_TYPE_IRQ;
	c.insn_cnt = 2;
	c.insns = (uintptr_t)irq_none_prog;
	if (dev >= 0 && !ipo_ioctl(dev, IPO_PROG_LOAD, &c))
		fd = c.out_fd;
	close(dev);
	return fd;
}

static void fill_irq_attach(void *arg)
{
	struct ipo_irq_attach *c = arg;

	c->prog_fd = test_irq_prog_fd();
	c->widths = IPO_IRQ_W32;
	c->win_len = 0x80;
	c->out_fd = -1;
	memcpy(c->device, abi_edu, sizeof(c->device));
}

static int done_irq_attach(void *arg)
{
	struct ipo_irq_attach *c = arg;

	return c->out_fd >= 0 ? close(c->out_fd) : -1;
}

FIXTURE_VARIANT_ADD(abi, irq_attach) {
	IPO_ABI_CMD(IPO_IRQ_ATTACH, struct ipo_irq_attach, device,
		    IPO_FD_DEV),
	.valid_flags = IPO_IRQ_CLOEXEC,	/* IPO_IRQ_OBJ needs an object */
	.reserved = { IPO_FIELD(struct ipo_irq_attach, __reserved) },
	.fill = fill_irq_attach,
	.done = done_irq_attach,
};

/* One attachment kept for STAT and DETACH (detaching twice is fine). */
static int test_attach_fd(void)
{
	static int fd = -1;
	struct ipo_irq_attach c;
	int dev;

	if (fd >= 0)
		return fd;
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	fill_irq_attach(&c);
	dev = ipo_open_dev();
	if (dev >= 0 && !ipo_ioctl(dev, IPO_IRQ_ATTACH, &c))
		fd = c.out_fd;
	close(dev);
	return fd;
}

static void fill_irq_stat(void *arg)
{
	struct ipo_irq_stat *c = arg;

	c->attach_fd = test_attach_fd();
}

FIXTURE_VARIANT_ADD(abi, irq_stat) {
	IPO_ABI_CMD(IPO_IRQ_STAT, struct ipo_irq_stat, __reserved,
		    IPO_FD_DEV),
	.reserved = { IPO_FIELD(struct ipo_irq_stat, __reserved) },
	.fill = fill_irq_stat,
};

static void fill_irq_detach(void *arg)
{
	struct ipo_irq_detach *c = arg;

	c->attach_fd = test_attach_fd();
}

FIXTURE_VARIANT_ADD(abi, irq_detach) {
	IPO_ABI_CMD(IPO_IRQ_DETACH, struct ipo_irq_detach, __reserved,
		    IPO_FD_DEV),
	.reserved = { IPO_FIELD(struct ipo_irq_detach, __reserved) },
	.fill = fill_irq_detach,
	.no_output = true,
};

FIXTURE_VARIANT_ADD(abi, get_info) {
	IPO_ABI_CMD(IPO_GET_INFO, struct ipo_info, __reserved2, IPO_FD_DEV),
	.reserved = { IPO_FIELD(struct ipo_info, __reserved),
		      IPO_FIELD(struct ipo_info, __reserved2),
		      IPO_FIELD(struct ipo_info, __reserved3) },
	.fill = fill_get_info,
};

FIXTURE_VARIANT_ADD(abi, prog_test_run) {
	IPO_ABI_CMD(IPO_PROG_TEST_RUN, struct ipo_prog_test_run, __reserved2,
		    IPO_FD_DEV),
	.valid_flags = IPO_TEST_RUN_FLAGS,
	.reserved = { IPO_FIELD(struct ipo_prog_test_run, __reserved),
		      IPO_FIELD(struct ipo_prog_test_run, __reserved2) },
	.fill = fill_prog_test_run,
};

FIXTURE_VARIANT_ADD(abi, prog_load) {
	IPO_ABI_CMD(IPO_PROG_LOAD, struct ipo_prog_load, prog_id, IPO_FD_DEV),
	.valid_flags = IPO_PROG_LOAD_FLAGS,
	.fill = fill_prog_load,
	.done = done_prog_load,
};

/*
 * A persistent object for OBJ_REMOVE, made before the fixture counts
 * objects; a successful removal is undone by making it again.  The last
 * one is left on purpose: the module frees it at unload (with a line in
 * the log), which the VM tier then goes through.
 */
#define ABI_PERSIST_NAME	"abi_persist"

static int abi_persist_ensure(void)
{
	int dev = ipo_open_dev(), fd;

	fd = ipo_create(dev, ABI_PERSIST_NAME, 64,
			IPO_OBJ_PERSIST | IPO_OBJ_CLOEXEC, 0, NULL);
	close(dev);
	if (fd == -EEXIST)
		return 0;
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

static void fill_obj_remove(void *arg)
{
	struct ipo_obj_remove *c = arg;

	strcpy(c->name, ABI_PERSIST_NAME);
}

static int done_obj_remove(void *arg)
{
	return abi_persist_ensure();
}

FIXTURE_VARIANT_ADD(abi, obj_remove) {
	IPO_ABI_CMD(IPO_OBJ_REMOVE, struct ipo_obj_remove, name, IPO_FD_DEV),
	.fill = fill_obj_remove,
	.done = done_obj_remove,
	.no_output = true,
};

static struct ipo_method_info abi_methods_buf[4];

static void fill_obj_methods(void *arg)
{
	struct ipo_obj_methods *c = arg;

	c->obj_fd = test_obj_fd();
	c->info_size = sizeof(abi_methods_buf[0]);
	c->infos = (uintptr_t)abi_methods_buf;
	c->max_infos = 4;
}

FIXTURE_VARIANT_ADD(abi, obj_methods) {
	IPO_ABI_CMD(IPO_OBJ_METHODS, struct ipo_obj_methods, nr_methods,
		    IPO_FD_DEV),
	.fill = fill_obj_methods,
};

FIXTURE_VARIANT_ADD(abi, obj_create) {
	IPO_ABI_CMD(IPO_OBJ_CREATE, struct ipo_obj_create, name, IPO_FD_DEV),
	.valid_flags = IPO_OBJ_CREATE_FLAGS,
	.fill = fill_obj_create,
	.done = done_obj_create,
};

FIXTURE_SETUP(abi)
{
	self->dev = ipo_open_dev();
	ASSERT_LE(0, self->dev) TH_LOG("open %s: %s", IPO_DEV, strerror(errno));
	self->obj = ipo_create(self->dev, NULL, 4096, 0, 0, NULL);
	ASSERT_LE(0, self->obj);
	/* The objects some commands work on exist before the count. */
	ASSERT_LE(0, test_obj_fd());
	ASSERT_EQ(0, abi_persist_ensure());
	self->nr_objs = ipo_nr_objs(self->dev);
	ASSERT_LE(1, self->nr_objs);

	self->page = ipo_page_size();
	self->buf = mmap(NULL, 3 * self->page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->buf);
	self->guard = self->buf + 2 * self->page;
	ASSERT_EQ(0, mprotect(self->guard, self->page, PROT_NONE));
	/* Each variant must fit, with a tail, before the guard. */
	ASSERT_LE(variant->size + 64, self->page);
}

FIXTURE_TEARDOWN(abi)
{
	munmap(self->buf, 3 * self->page);
	close(self->obj);
	close(self->dev);
}

/* Builds a valid argument at @at with the given @size (zeroed tail). */
static void *abi_arg(const FIXTURE_VARIANT(abi) *variant, char *at,
		     __u32 size)
{
	size_t len = size > variant->size ? size : variant->size;

	memset(at, 0, len);
	variant->fill(at);
	memcpy(at, &size, sizeof(size));
	return at;
}

static int abi_fd(FIXTURE_DATA(abi) *self, const FIXTURE_VARIANT(abi) *variant)
{
	return variant->fd_kind == IPO_FD_DEV ? self->dev : self->obj;
}

static int abi_call(FIXTURE_DATA(abi) *self,
		    const FIXTURE_VARIANT(abi) *variant, void *arg)
{
	int ret = ipo_ioctl(abi_fd(self, variant), variant->cmd, arg);

	if (!ret && variant->done && variant->done(arg))
		return -EBADF;	/* succeeded, but what it returned is bogus */
	return ret;
}

TEST_F(abi, exact_size)
{
	void *arg = abi_arg(variant, self->buf, variant->size);

	ASSERT_EQ(0, abi_call(self, variant, arg));
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

TEST_F(abi, too_short)
{
	const size_t sizes[] = { 0, 1, 4, 8, variant->min_size / 2,
				 variant->min_size - 4, variant->min_size - 1 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		void *arg;

		if (sizes[i] >= variant->min_size)
			continue;
		arg = abi_arg(variant, self->buf, sizes[i]);
		EXPECT_EQ(-EINVAL, abi_call(self, variant, arg))
			TH_LOG("size %zu", sizes[i]);
	}
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

/* The longest tail that still fits in the two read-write pages. */
static size_t abi_max_tail(FIXTURE_DATA(abi) *self,
			   const FIXTURE_VARIANT(abi) *variant)
{
	return 2 * self->page - variant->size;
}

TEST_F(abi, longer_zero_tail)
{
	const size_t tails[] = { 1, 4, 8, 64, self->page,
				 abi_max_tail(self, variant) };
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(tails); i++) {
		char *arg = abi_arg(variant, self->buf,
				    variant->size + tails[i]);

		EXPECT_EQ(0, abi_call(self, variant, arg))
			TH_LOG("tail of %zu bytes", tails[i]);
		/* Written back only up to the kernel's size. */
		for (j = variant->size; j < variant->size + tails[i]; j++)
			if (arg[j])
				break;
		EXPECT_EQ(variant->size + tails[i], j)
			TH_LOG("tail byte %zu was written", j);
	}
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

TEST_F(abi, longer_nonzero_tail)
{
	const size_t tails[] = { 1, 4, 8, 64, self->page,
				 abi_max_tail(self, variant) };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tails); i++) {
		size_t size = variant->size + tails[i];
		char *arg;

		arg = abi_arg(variant, self->buf, size);
		arg[variant->size] = 1;
		EXPECT_EQ(-E2BIG, abi_call(self, variant, arg))
			TH_LOG("first of %zu tail bytes set", tails[i]);

		arg = abi_arg(variant, self->buf, size);
		arg[size - 1] = (char)0x80;
		EXPECT_EQ(-E2BIG, abi_call(self, variant, arg))
			TH_LOG("last of %zu tail bytes set", tails[i]);
	}
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

TEST_F(abi, unknown_flags)
{
	unsigned int bit;
	__u32 flags;
	char *arg;

	for (bit = 0; bit < 32; bit++) {
		flags = 1U << bit;
		if (flags & variant->valid_flags)
			continue;
		arg = abi_arg(variant, self->buf, variant->size);
		memcpy(arg + variant->flags_off, &flags, sizeof(flags));
		EXPECT_EQ(-EINVAL, abi_call(self, variant, arg))
			TH_LOG("flags 0x%x", flags);
	}
	/* Unknown bits next to valid ones are still refused. */
	flags = ~0U;
	arg = abi_arg(variant, self->buf, variant->size);
	memcpy(arg + variant->flags_off, &flags, sizeof(flags));
	EXPECT_EQ(-EINVAL, abi_call(self, variant, arg));
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

TEST_F(abi, reserved_nonzero)
{
	const struct ipo_abi_field *f;
	char *arg;

	if (!variant->reserved[0].len)
		SKIP(return, "no reserved fields");
	for (f = variant->reserved; f->len; f++) {
		arg = abi_arg(variant, self->buf, variant->size);
		arg[f->off + f->len - 1] = 1;
		EXPECT_EQ(-EINVAL, abi_call(self, variant, arg))
			TH_LOG("last byte of the field at %zu", f->off);

		arg = abi_arg(variant, self->buf, variant->size);
		memset(arg + f->off, 0xff, f->len);
		EXPECT_EQ(-EINVAL, abi_call(self, variant, arg))
			TH_LOG("all bits of the field at %zu", f->off);
	}
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

TEST_F(abi, bad_pointer)
{
	int fd = abi_fd(self, variant);
	char *arg;

	EXPECT_EQ(-EFAULT, ipo_ioctl(fd, variant->cmd, NULL));
	EXPECT_EQ(-EFAULT, ipo_ioctl(fd, variant->cmd, self->guard));
	/* A kernel address. */
	EXPECT_EQ(-EFAULT, ipo_ioctl(fd, variant->cmd,
				     (void *)(~0UL - self->page + 1)));

	/* @size readable, the rest of the struct in the guard page. */
	arg = self->guard - sizeof(__u32);
	memset(arg, 0, sizeof(__u32));
	memcpy(arg, &(__u32){ variant->size }, sizeof(__u32));
	EXPECT_EQ(-EFAULT, ipo_ioctl(fd, variant->cmd, arg));

	/* The struct readable, its (zero) tail running into the guard. */
	arg = abi_arg(variant, self->guard - variant->size - 8, variant->size);
	memset(arg + variant->size, 0, 8);
	memcpy(arg, &(__u32){ variant->size + self->page }, sizeof(__u32));
	EXPECT_EQ(-EFAULT, abi_call(self, variant, arg));

	/* Readable but not writable: the answer cannot be written back. */
	arg = abi_arg(variant, self->buf, variant->size);
	ASSERT_EQ(0, mprotect(self->buf, self->page, PROT_READ));
	EXPECT_EQ(variant->no_output ? 0 : -EFAULT,
		  abi_call(self, variant, arg));
	ASSERT_EQ(0, mprotect(self->buf, self->page, PROT_READ | PROT_WRITE));

	/* Whatever the call had made on its way was undone. */
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

TEST_F(abi, wrong_fd)
{
	int fd = variant->fd_kind == IPO_FD_DEV ? self->obj : self->dev;
	void *arg = abi_arg(variant, self->buf, variant->size);

	EXPECT_EQ(-ENOTTY, ipo_ioctl(fd, variant->cmd, arg));
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

/* The command's number in any encoding but _IO(IPO_TYPE, nr) is unknown. */
TEST_F(abi, other_encodings)
{
	const unsigned long nr = _IOC_NR(variant->cmd);
	const unsigned long cmds[] = {
		_IOC(_IOC_READ, IPO_TYPE, nr, variant->size),
		_IOC(_IOC_WRITE, IPO_TYPE, nr, variant->size),
		_IOC(_IOC_READ | _IOC_WRITE, IPO_TYPE, nr, variant->size),
		_IOC(_IOC_NONE, IPO_TYPE, nr, variant->size),
		_IO(IPO_TYPE + 1, nr),
		_IO(IPO_TYPE - 1, nr),
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		void *arg = abi_arg(variant, self->buf, variant->size);

		EXPECT_EQ(-ENOTTY, ipo_ioctl(abi_fd(self, variant), cmds[i],
					     arg))
			TH_LOG("cmd 0x%lx", cmds[i]);
	}
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

static bool ipo_cmd_known(unsigned long cmd)
{
	const struct __fixture_variant_metadata *v;

	/* The variants of the abi fixture are the ABI's commands. */
	for (v = _abi_fixture_object.variant; v; v = v->next) {
		const FIXTURE_VARIANT(abi) *c = v->data;

		if (c->cmd == cmd)
			return true;
	}
	return false;
}

TEST(unknown_commands)
{
	size_t page = ipo_page_size();
	unsigned int nr, known = 0;
	int dev, obj;
	char *buf;

	dev = ipo_open_dev();
	ASSERT_LE(0, dev);
	obj = ipo_create(dev, NULL, 1, 0, 0, NULL);
	ASSERT_LE(0, obj);
	buf = calloc(1, page);
	ASSERT_NE(NULL, buf);
	memcpy(buf, &(__u32){ page }, sizeof(__u32));

	for (nr = 0; nr <= _IOC_NRMASK; nr++) {
		unsigned long cmd = _IO(IPO_TYPE, nr);

		if (ipo_cmd_known(cmd)) {
			known++;
			continue;
		}
		EXPECT_EQ(-ENOTTY, ipo_ioctl(dev, cmd, buf))
			TH_LOG("nr 0x%x on /dev/ipo: not in this test's table?",
			       nr);
		EXPECT_EQ(-ENOTTY, ipo_ioctl(obj, cmd, buf))
			TH_LOG("nr 0x%x on an object fd", nr);
	}
	EXPECT_LE(2, known);
	free(buf);
	close(obj);
	close(dev);
}

/* The published layout: fields only ever appended, sizes as shipped. */
TEST(layout)
{
	/* 48 bytes as first published (through __reserved2), then grown. */
	EXPECT_EQ(48, offsetofend(struct ipo_info, __reserved2));
	EXPECT_EQ(112, sizeof(struct ipo_info));
	EXPECT_EQ(96, offsetof(struct ipo_info, jit_user_share));
	EXPECT_EQ(80, offsetof(struct ipo_info, max_bundle_calls));
	EXPECT_EQ(48, offsetof(struct ipo_info, max_prog_insns));
	EXPECT_EQ(56, offsetof(struct ipo_info, nr_progs));
	EXPECT_EQ(64, offsetof(struct ipo_info, jit_pool_size));
	EXPECT_EQ(8, offsetof(struct ipo_info, abi_version));
	EXPECT_EQ(16, offsetof(struct ipo_info, features));
	EXPECT_EQ(24, offsetof(struct ipo_info, max_obj_size));
	EXPECT_EQ(32, offsetof(struct ipo_info, max_objs_per_user));
	EXPECT_EQ(36, offsetof(struct ipo_info, nr_objs));
	EXPECT_EQ(40, offsetof(struct ipo_info, header_size));

	EXPECT_EQ(96, sizeof(struct ipo_obj_create));
	EXPECT_EQ(8, offsetof(struct ipo_obj_create, data_size));
	EXPECT_EQ(16, offsetof(struct ipo_obj_create, mode));
	EXPECT_EQ(20, offsetof(struct ipo_obj_create, out_fd));
	EXPECT_EQ(24, offsetof(struct ipo_obj_create, obj_id));
	EXPECT_EQ(32, offsetof(struct ipo_obj_create, name));

	EXPECT_EQ(64, sizeof(struct ipo_obj_header));
	EXPECT_EQ(8, offsetof(struct ipo_obj_header, obj_id));
	EXPECT_EQ(16, offsetof(struct ipo_obj_header, data_size));
	EXPECT_EQ(24, offsetof(struct ipo_obj_header, data_off));

	EXPECT_EQ(160, sizeof(struct ipo_prog_load));
	EXPECT_EQ(152, offsetof(struct ipo_prog_load, jit_reason));
	EXPECT_EQ(16, offsetof(struct ipo_prog_load, insns));
	EXPECT_EQ(24, offsetof(struct ipo_prog_load, log_buf));
	EXPECT_EQ(48, offsetof(struct ipo_prog_load, line_info));
	EXPECT_EQ(64, offsetof(struct ipo_prog_load, strings));
	EXPECT_EQ(76, offsetof(struct ipo_prog_load, out_fd));
	EXPECT_EQ(80, offsetof(struct ipo_prog_load, name));
	EXPECT_EQ(144, offsetof(struct ipo_prog_load, prog_id));
	EXPECT_EQ(24, sizeof(struct ipo_line_rec));

	EXPECT_EQ(96, sizeof(struct ipo_prog_test_run));
	EXPECT_EQ(8, offsetof(struct ipo_prog_test_run, prog_fd));
	EXPECT_EQ(56, offsetof(struct ipo_prog_test_run, fuel));
	EXPECT_EQ(64, offsetof(struct ipo_prog_test_run, retval));
	EXPECT_EQ(80, offsetof(struct ipo_prog_test_run, duration_ns));

	EXPECT_EQ(56, sizeof(struct ipo_call));
	EXPECT_EQ(32, offsetof(struct ipo_call, ret));
	EXPECT_EQ(48, offsetof(struct ipo_call, abort_pc));
	EXPECT_EQ(40, sizeof(struct ipo_invoke));
	EXPECT_EQ(32, sizeof(struct ipo_handle_derive));
	EXPECT_EQ(16, sizeof(struct ipo_handle_revoke));
	EXPECT_EQ(24, offsetofend(struct ipo_obj_set_methods, prog_fds));
	EXPECT_EQ(96, sizeof(struct ipo_obj_open));
	EXPECT_EQ(32, offsetof(struct ipo_obj_open, name));
	EXPECT_EQ(56, sizeof(struct ipo_list));
	EXPECT_EQ(48, offsetof(struct ipo_list, obj_fd));
	EXPECT_EQ(24, sizeof(struct ipo_handle_entry));
	EXPECT_EQ(40, sizeof(struct ipo_subscribe));
	EXPECT_EQ(24, sizeof(struct ipo_event));
	EXPECT_EQ(136, offsetofend(struct ipo_obj_entry, name));
	EXPECT_EQ(368, sizeof(struct ipo_obj_entry));
	EXPECT_EQ(72, sizeof(struct ipo_obj_remove));
	EXPECT_EQ(40, sizeof(struct ipo_obj_set_methods));
	EXPECT_EQ(80, sizeof(struct ipo_method_desc));
	EXPECT_EQ(96, sizeof(struct ipo_method_info));
	EXPECT_EQ(32, sizeof(struct ipo_obj_methods));
	EXPECT_EQ(96, sizeof(struct ipo_prog_entry));
	EXPECT_EQ(24, offsetof(struct ipo_prog_entry, jit_reason));
	EXPECT_EQ(96, sizeof(struct ipo_irq_attach));
	EXPECT_EQ(24, offsetof(struct ipo_irq_attach, win_off));
	EXPECT_EQ(52, offsetof(struct ipo_irq_attach, out_fd));
	EXPECT_EQ(64, offsetof(struct ipo_irq_attach, device));
	EXPECT_EQ(64, sizeof(struct ipo_irq_stat));
	EXPECT_EQ(24, offsetof(struct ipo_irq_stat, handled));
	EXPECT_EQ(16, sizeof(struct ipo_irq_detach));

	/* What METHOD programs see in r1. */
	EXPECT_EQ(56, sizeof(struct ipo_method_ctx));
	EXPECT_EQ(24, offsetof(struct ipo_method_ctx, obj_size));
	EXPECT_EQ(36, offsetof(struct ipo_method_ctx, method));
	EXPECT_EQ(40, offsetof(struct ipo_method_ctx, obj_id));
	EXPECT_EQ(48, offsetof(struct ipo_method_ctx, caller_uid));

	/* What IRQ programs see in r1. */
	EXPECT_EQ(16, sizeof(struct ipo_irq_ctx));
	EXPECT_EQ(8, offsetof(struct ipo_irq_ctx, obj_size));
	EXPECT_EQ(12, offsetof(struct ipo_irq_ctx, win_size));
}

TEST_HARNESS_MAIN
