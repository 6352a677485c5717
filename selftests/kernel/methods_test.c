// SPDX-License-Identifier: GPL-2.0
/*
 * OBJ_METHODS and the method descriptions of OBJ_SET_METHODS: what a
 * client learns of an object's methods without the program file -- names,
 * argument and output sizes and BTF ids as the owner described them, and
 * which methods its handle may call.
 */
#include "ipo_test.h"

static const __u64 ret0[] = { MOV64_IMM(0, 0), EXIT() };

FIXTURE(methods) {
	int dev;
	int obj;
	int prog[3];
};

FIXTURE_SETUP(methods)
{
	struct ipo_prog_load pl;
	int i;

	self->dev = ipo_open_dev();
	ASSERT_LE(0, self->dev);
	for (i = 0; i < 3; i++) {
		self->prog[i] = ipo_load_method(self->dev, ret0, 2, 0, &pl);
		ASSERT_LE(0, self->prog[i]);
	}
	self->obj = ipo_create(self->dev, NULL, 64, 0, 0, NULL);
	ASSERT_LE(0, self->obj);
}

FIXTURE_TEARDOWN(methods)
{
	int i;

	close(self->obj);
	for (i = 0; i < 3; i++)
		close(self->prog[i]);
	close(self->dev);
}

static int set_methods(int dev, int obj, const int *fds, __u32 n,
		       const void *descs, __u32 desc_size)
{
	struct ipo_obj_set_methods m = {
		.size = sizeof(m), .obj_fd = obj, .nr_methods = n,
		.prog_fds = (uintptr_t)fds, .descs = (uintptr_t)descs,
		.desc_size = desc_size,
	};

	return ipo_ioctl(dev, IPO_OBJ_SET_METHODS, &m);
}

/* OBJ_METHODS into @infos (room for @max); nr_methods, or -errno. */
static int get_methods(int dev, int obj, struct ipo_method_info *infos,
		       __u32 max)
{
	struct ipo_obj_methods c = {
		.size = sizeof(c), .obj_fd = obj, .info_size = sizeof(*infos),
		.infos = (uintptr_t)infos, .max_infos = max,
	};
	int ret = ipo_ioctl(dev, IPO_OBJ_METHODS, &c);

	return ret ? ret : (int)c.nr_methods;
}

static void desc(struct ipo_method_desc *d, const char *name, __u32 arg,
		 __u32 out)
{
	memset(d, 0, sizeof(*d));
	strcpy(d->name, name);
	d->arg_size = arg;
	d->out_size = out;
	d->arg_btf_id = arg ? arg + 1000 : 0;
	d->out_btf_id = out ? out + 2000 : 0;
}

TEST_F(methods, empty_table)
{
	struct ipo_method_info info[2];

	EXPECT_EQ(0, get_methods(self->dev, self->obj, info, 2));
	EXPECT_EQ(0, get_methods(self->dev, self->obj, NULL, 0));
}

/* Without descriptions: the programs' names, no sizes. */
TEST_F(methods, program_names)
{
	struct ipo_prog_load pl;
	struct ipo_method_info info[4];
	int fds[2], named;

	memset(&pl, 0, sizeof(pl));
	pl.size = sizeof(pl);
	pl.prog_type = IPO_PROG_TYPE_METHOD;
	pl.insns = (uintptr_t)ret0;
	pl.insn_cnt = 2;
	strcpy(pl.name, "take");
	ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_PROG_LOAD, &pl));
	named = pl.out_fd;
	fds[0] = self->prog[0];
	fds[1] = named;
	ASSERT_EQ(0, set_methods(self->dev, self->obj, fds, 2, NULL, 0));
	memset(info, 0xa5, sizeof(info));
	ASSERT_EQ(2, get_methods(self->dev, self->obj, info, 4));
	EXPECT_EQ(0, info[0].index);
	EXPECT_STREQ("", info[0].name);
	EXPECT_EQ(1, info[1].index);
	EXPECT_STREQ("take", info[1].name);
	EXPECT_EQ(pl.prog_id, info[1].prog_id);
	EXPECT_EQ(0, info[1].arg_size);
	EXPECT_EQ(IPO_METHOD_ALLOWED, info[1].flags);
	/* Entries past the table are not written. */
	EXPECT_EQ(0xa5a5a5a5, info[2].index);
	close(named);
}

TEST_F(methods, described)
{
	struct ipo_method_desc d[3];
	struct ipo_method_info info[3];
	int h;

	desc(&d[0], "put", 16, 0);
	desc(&d[1], "take", 0, 8);
	desc(&d[2], "", 4, 4);
	ASSERT_EQ(0, set_methods(self->dev, self->obj, self->prog, 3, d,
				 sizeof(d[0])));
	ASSERT_EQ(3, get_methods(self->dev, self->obj, info, 3));
	EXPECT_STREQ("put", info[0].name);
	EXPECT_EQ(16, info[0].arg_size);
	EXPECT_EQ(1016, info[0].arg_btf_id);
	EXPECT_EQ(0, info[0].out_size);
	EXPECT_STREQ("take", info[1].name);
	EXPECT_EQ(8, info[1].out_size);
	EXPECT_EQ(2008, info[1].out_btf_id);
	EXPECT_STREQ("", info[2].name);	/* the program's (none) */
	EXPECT_EQ(IPO_METHOD_DESCRIBED | IPO_METHOD_ALLOWED, info[2].flags);

	/* Fewer entries than methods: the count is still the table's. */
	EXPECT_EQ(3, get_methods(self->dev, self->obj, info, 1));

	/* A handle that may call only "take", and one that may call none. */
	h = ipo_derive(self->dev, self->obj, IPO_RIGHT_INVOKE, 1ULL << 1,
		       NULL);
	ASSERT_LE(0, h);
	ASSERT_EQ(3, get_methods(self->dev, h, info, 3));
	EXPECT_EQ(IPO_METHOD_DESCRIBED, info[0].flags);
	EXPECT_EQ(IPO_METHOD_DESCRIBED | IPO_METHOD_ALLOWED, info[1].flags);
	close(h);
	h = ipo_derive(self->dev, self->obj, IPO_RIGHT_READ, ~0ULL, NULL);
	ASSERT_LE(0, h);
	ASSERT_EQ(3, get_methods(self->dev, h, info, 3));
	EXPECT_EQ(IPO_METHOD_DESCRIBED, info[1].flags);
	close(h);
}

TEST_F(methods, bad_descriptions)
{
	struct {
		struct ipo_method_desc d;
		char tail[8];
	} big[2];
	struct ipo_method_desc d[2];
	struct ipo_method_info info[2];

	desc(&d[0], "same", 0, 0);
	desc(&d[1], "same", 0, 0);
	EXPECT_EQ(-EINVAL, set_methods(self->dev, self->obj, self->prog, 2, d,
				       sizeof(d[0])));
	desc(&d[1], "a/b", 0, 0);
	EXPECT_EQ(-EINVAL, set_methods(self->dev, self->obj, self->prog, 2, d,
				       sizeof(d[0])));
	memset(d[1].name, 'x', sizeof(d[1].name));
	EXPECT_EQ(-EINVAL, set_methods(self->dev, self->obj, self->prog, 2, d,
				       sizeof(d[0])));
	desc(&d[1], "other", 0, 0);
	EXPECT_EQ(-EINVAL, set_methods(self->dev, self->obj, self->prog, 2, d,
				       sizeof(d[0]) - 1));
	EXPECT_EQ(-EINVAL, set_methods(self->dev, self->obj, self->prog, 2,
				       NULL, sizeof(d[0])));
	EXPECT_EQ(-EFAULT, set_methods(self->dev, self->obj, self->prog, 2,
				       (void *)8, sizeof(d[0])));
	/* Nothing was attached by the failures. */
	EXPECT_EQ(0, get_methods(self->dev, self->obj, info, 2));

	/* A longer description: zero tail as before, else E2BIG. */
	memset(big, 0, sizeof(big));
	desc(&big[0].d, "one", 1, 0);
	desc(&big[1].d, "two", 2, 0);
	ASSERT_EQ(0, set_methods(self->dev, self->obj, self->prog, 2, big,
				 sizeof(big[0])));
	ASSERT_EQ(2, get_methods(self->dev, self->obj, info, 2));
	EXPECT_STREQ("two", info[1].name);
	EXPECT_EQ(2, info[1].arg_size);
	big[1].tail[7] = 1;
	EXPECT_EQ(-E2BIG, set_methods(self->dev, self->obj, self->prog, 2,
				      big, sizeof(big[0])));
	/* The table is the one that was there. */
	ASSERT_EQ(2, get_methods(self->dev, self->obj, info, 2));
	EXPECT_STREQ("one", info[0].name);
}

TEST_F(methods, query_arguments)
{
	struct ipo_obj_methods c = { .size = sizeof(c), .obj_fd = self->obj,
				     .info_size = sizeof(struct ipo_method_info),
				     .max_infos = 1 };
	struct ipo_method_info info[2];
	__u32 id = 0;
	int h;

	ASSERT_EQ(0, set_methods(self->dev, self->obj, self->prog, 1, NULL,
				 0));
	EXPECT_EQ(-EINVAL, ipo_ioctl(self->dev, IPO_OBJ_METHODS, &c));
	c.infos = (uintptr_t)info;
	c.max_infos = IPO_MAX_METHODS + 1;
	EXPECT_EQ(-EINVAL, ipo_ioctl(self->dev, IPO_OBJ_METHODS, &c));
	c.max_infos = 1;
	c.info_size = sizeof(info[0]) - 1;
	EXPECT_EQ(-EINVAL, ipo_ioctl(self->dev, IPO_OBJ_METHODS, &c));
	c.info_size = sizeof(info[0]);
	c.flags = 1;
	EXPECT_EQ(-EINVAL, ipo_ioctl(self->dev, IPO_OBJ_METHODS, &c));
	c.flags = 0;
	c.infos = 8;
	EXPECT_EQ(-EFAULT, ipo_ioctl(self->dev, IPO_OBJ_METHODS, &c));
	c.infos = (uintptr_t)info;
	c.obj_fd = self->prog[0];
	EXPECT_EQ(-EINVAL, ipo_ioctl(self->dev, IPO_OBJ_METHODS, &c));
	c.obj_fd = -1;
	EXPECT_EQ(-EBADF, ipo_ioctl(self->dev, IPO_OBJ_METHODS, &c));

	/* A revoked handle learns nothing more. */
	h = ipo_derive(self->dev, self->obj, IPO_RIGHT_INVOKE, ~0ULL, &id);
	ASSERT_LE(0, h);
	EXPECT_EQ(1, get_methods(self->dev, h, info, 2));
	ASSERT_EQ(0, ipo_revoke(self->dev, self->obj, id, 0));
	EXPECT_EQ(-EPERM, get_methods(self->dev, h, info, 2));
	close(h);
}

TEST_HARNESS_MAIN
