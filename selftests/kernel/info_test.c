// SPDX-License-Identifier: GPL-2.0
/*
 * IPO_GET_INFO: what the module reports about itself, its limits (the module
 * parameters) and the caller's live objects.
 */
#include "ipo_test.h"

FIXTURE(info) {
	int dev;
	struct ipo_info info;
	unsigned long long max_obj_size, max_objs_per_user;
};

FIXTURE_SETUP(info)
{
	self->dev = ipo_open_dev();
	ASSERT_LE(0, self->dev) TH_LOG("open %s: %s", IPO_DEV, strerror(errno));
	ASSERT_EQ(0, ipo_get_info(self->dev, &self->info));
	ASSERT_EQ(0, ipo_param_read("max_obj_size", &self->max_obj_size));
	ASSERT_EQ(0, ipo_param_read("max_objs_per_user",
				    &self->max_objs_per_user));
}

FIXTURE_TEARDOWN(info)
{
	/* Put back what a test changed (no-ops otherwise). */
	ipo_param_write("max_obj_size", self->max_obj_size);
	ipo_param_write("max_objs_per_user", self->max_objs_per_user);
	close(self->dev);
}

TEST_F(info, version_and_features)
{
	EXPECT_EQ(IPO_ABI_VERSION, self->info.abi_version);
	EXPECT_EQ(IPO_FEATURE_OBJECTS,
		  self->info.features & IPO_FEATURE_OBJECTS);
	/* INVOKE says where a call aborted; PROG_LOAD has strict mode. */
	EXPECT_EQ(IPO_FEATURE_ABORT_PC,
		  self->info.features & IPO_FEATURE_ABORT_PC);
	EXPECT_EQ(sizeof(struct ipo_obj_header), self->info.header_size);
	EXPECT_EQ(64, self->info.header_size);
	EXPECT_EQ(sizeof(struct ipo_info), self->info.size);
	EXPECT_EQ(0, self->info.flags);
	EXPECT_EQ(0, self->info.__reserved);
	EXPECT_EQ(0, self->info.__reserved2);
}

TEST_F(info, limits_match_parameters)
{
	EXPECT_EQ(self->max_obj_size, self->info.max_obj_size);
	EXPECT_EQ(self->max_objs_per_user, self->info.max_objs_per_user);
	EXPECT_LT(0, self->info.max_obj_size);
	EXPECT_LT(0, self->info.max_objs_per_user);
}

/* A longer struct with a zero tail gets the same answer, tail untouched. */
TEST_F(info, longer_struct_same_answer)
{
	struct {
		struct ipo_info info;
		__u64 tail[4];
	} arg;

	memset(&arg, 0, sizeof(arg));
	arg.info.size = sizeof(arg);
	ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_GET_INFO, &arg));
	EXPECT_EQ(self->info.abi_version, arg.info.abi_version);
	EXPECT_EQ(self->info.features, arg.info.features);
	EXPECT_EQ(self->info.max_obj_size, arg.info.max_obj_size);
	EXPECT_EQ(self->info.max_objs_per_user, arg.info.max_objs_per_user);
	EXPECT_EQ(self->info.nr_objs, arg.info.nr_objs);
	EXPECT_EQ(self->info.header_size, arg.info.header_size);
	EXPECT_EQ(0, arg.tail[0] | arg.tail[1] | arg.tail[2] | arg.tail[3]);
}

/* The limits are read at each call, not cached at load time. */
TEST_F(info, limits_follow_parameters)
{
	struct ipo_info info;

	ASSERT_EQ(0, ipo_param_write("max_obj_size", 12345));
	ASSERT_EQ(0, ipo_param_write("max_objs_per_user", 77));
	ASSERT_EQ(0, ipo_get_info(self->dev, &info));
	EXPECT_EQ(12345, info.max_obj_size);
	EXPECT_EQ(77, info.max_objs_per_user);
}

TEST_F(info, nr_objs_counts_live_objects)
{
	long base = self->info.nr_objs;
	int fd[3], dup_fd, i;

	for (i = 0; i < 3; i++) {
		fd[i] = ipo_create(self->dev, NULL, 100, 0, 0, NULL);
		ASSERT_LE(0, fd[i]);
		EXPECT_EQ(base + i + 1, ipo_nr_objs(self->dev));
	}
	/* A second fd of one object is not a second object. */
	dup_fd = dup(fd[0]);
	ASSERT_LE(0, dup_fd);
	EXPECT_EQ(base + 3, ipo_nr_objs(self->dev));

	close(fd[0]);
	EXPECT_EQ(base + 3, ipo_nr_objs(self->dev));
	close(dup_fd);
	EXPECT_EQ(base + 2, ipo_nr_objs(self->dev));
	close(fd[1]);
	close(fd[2]);
	EXPECT_EQ(base, ipo_nr_objs(self->dev));
}

/* Objects belong to the user, not to the /dev/ipo fd that made them. */
TEST_F(info, nr_objs_is_per_user_not_per_fd)
{
	long base = self->info.nr_objs;
	int dev2, fd;

	dev2 = ipo_open_dev();
	ASSERT_LE(0, dev2);
	fd = ipo_create(self->dev, NULL, 1, 0, 0, NULL);
	ASSERT_LE(0, fd);
	EXPECT_EQ(base + 1, ipo_nr_objs(dev2));
	/* The /dev/ipo fd that made it can go; the object stays. */
	close(self->dev);
	self->dev = dev2;
	EXPECT_EQ(base + 1, ipo_nr_objs(dev2));
	close(fd);
	EXPECT_EQ(base, ipo_nr_objs(dev2));
}

TEST_HARNESS_MAIN
