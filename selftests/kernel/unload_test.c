// SPDX-License-Identifier: GPL-2.0
/*
 * The module cannot be removed while anything of it is in use: an open
 * /dev/ipo, an object fd, or only a mapping of an object.  Asks with
 * delete_module(O_NONBLOCK), as `rmmod` does, so a failure here would mean
 * the module is gone: run.sh runs this file last.
 */
#include <sys/syscall.h>

#include "ipo_test.h"

static int try_unload(void)
{
	return syscall(SYS_delete_module, "ipo", O_NONBLOCK) ? -errno : 0;
}

/* Refused because in use: EWOULDBLOCK from the module refcount. */
#define EXPECT_UNLOAD_REFUSED() do {					\
	int __ret = try_unload();					\
									\
	if (__ret == -EPERM)						\
		SKIP(return, "needs CAP_SYS_MODULE");			\
	ASSERT_TRUE(__ret == -EWOULDBLOCK || __ret == -EBUSY)		\
		TH_LOG("delete_module: %d (0 means it unloaded!)", __ret); \
} while (0)

TEST(refused_while_dev_open)
{
	struct ipo_info info;
	int dev;

	dev = ipo_open_dev();
	ASSERT_LE(0, dev);
	EXPECT_UNLOAD_REFUSED();
	EXPECT_EQ(0, ipo_get_info(dev, &info));
	close(dev);
}

TEST(refused_while_obj_open)
{
	const struct ipo_obj_header *hdr;
	__u64 id;
	int dev, fd;

	dev = ipo_open_dev();
	ASSERT_LE(0, dev);
	fd = ipo_create(dev, NULL, 1, 0, 0, &id);
	ASSERT_LE(0, fd);
	close(dev);
	EXPECT_UNLOAD_REFUSED();
	hdr = ipo_map(fd, ipo_page_size());
	ASSERT_NE(MAP_FAILED, hdr);
	EXPECT_EQ(id, hdr->obj_id);
	munmap((void *)hdr, ipo_page_size());
	close(fd);
}

TEST(refused_while_mapped)
{
	const struct ipo_obj_header *hdr;
	__u64 id;
	int dev, fd;

	dev = ipo_open_dev();
	ASSERT_LE(0, dev);
	fd = ipo_create(dev, NULL, 1, 0, 0, &id);
	ASSERT_LE(0, fd);
	hdr = ipo_map(fd, ipo_page_size());
	ASSERT_NE(MAP_FAILED, hdr);
	close(fd);
	close(dev);
	EXPECT_UNLOAD_REFUSED();
	EXPECT_EQ(id, hdr->obj_id);
	munmap((void *)hdr, ipo_page_size());
}

TEST_HARNESS_MAIN
