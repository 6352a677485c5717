// SPDX-License-Identifier: GPL-2.0
/*
 * The module's limits: max_objs_per_user (EMFILE) and max_obj_size (EFBIG),
 * both module parameters that may change while objects live, and counted
 * per user.  Needs root, to write the parameters and to setuid().
 */
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "ipo_test.h"

#define OTHER_UID	1000

FIXTURE(limits) {
	int dev;
	unsigned long long max_obj_size, max_objs_per_user;
	long nr_objs;
};

FIXTURE_SETUP(limits)
{
	if (geteuid())
		SKIP(return, "needs root");
	self->dev = ipo_open_dev();
	ASSERT_LE(0, self->dev) TH_LOG("open %s: %s", IPO_DEV, strerror(errno));
	ASSERT_EQ(0, ipo_param_read("max_obj_size", &self->max_obj_size));
	ASSERT_EQ(0, ipo_param_read("max_objs_per_user",
				    &self->max_objs_per_user));
	self->nr_objs = ipo_nr_objs(self->dev);
	ASSERT_LE(0, self->nr_objs);
}

FIXTURE_TEARDOWN(limits)
{
	if (geteuid())
		return;
	EXPECT_EQ(0, ipo_param_write("max_obj_size", self->max_obj_size));
	EXPECT_EQ(0, ipo_param_write("max_objs_per_user",
				     self->max_objs_per_user));
	close(self->dev);
}

static void close_all(int *fds, int n)
{
	while (n-- > 0)
		if (fds[n] >= 0)
			close(fds[n]);
}

TEST_F(limits, objs_per_user)
{
	const int n = 5;
	int fds[5], i, fd;

	ASSERT_EQ(0, ipo_param_write("max_objs_per_user", self->nr_objs + n));
	for (i = 0; i < n; i++) {
		fds[i] = ipo_create(self->dev, NULL, 1, 0, 0, NULL);
		ASSERT_LE(0, fds[i]) TH_LOG("object %d of %d", i + 1, n);
	}
	EXPECT_EQ(-EMFILE, ipo_create(self->dev, NULL, 1, 0, 0, NULL));
	EXPECT_EQ(-EMFILE, ipo_create(self->dev, "limits-named", 1, 0, 0,
				      NULL));
	EXPECT_EQ(self->nr_objs + n, ipo_nr_objs(self->dev));

	/* Closing one frees its slot, for one object only. */
	close(fds[0]);
	fds[0] = ipo_create(self->dev, NULL, 1, 0, 0, NULL);
	EXPECT_LE(0, fds[0]);
	EXPECT_EQ(-EMFILE, ipo_create(self->dev, NULL, 1, 0, 0, NULL));

	/* Raising the limit takes effect at once. */
	ASSERT_EQ(0, ipo_param_write("max_objs_per_user",
				     self->nr_objs + n + 1));
	fd = ipo_create(self->dev, NULL, 1, 0, 0, NULL);
	EXPECT_LE(0, fd);
	EXPECT_EQ(-EMFILE, ipo_create(self->dev, NULL, 1, 0, 0, NULL));
	close(fd);
	close_all(fds, n);
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

/* A limit lowered below what a user has: no new objects, old ones live. */
TEST_F(limits, lowered_below_count)
{
	const int n = 4;
	const struct ipo_obj_header *hdr;
	int fds[4], i;

	for (i = 0; i < n; i++) {
		fds[i] = ipo_create(self->dev, NULL, 1, 0, 0, NULL);
		ASSERT_LE(0, fds[i]);
	}
	ASSERT_EQ(0, ipo_param_write("max_objs_per_user", self->nr_objs + 1));
	EXPECT_EQ(-EMFILE, ipo_create(self->dev, NULL, 1, 0, 0, NULL));
	hdr = ipo_map(fds[n - 1], ipo_page_size());
	ASSERT_NE(MAP_FAILED, hdr);
	EXPECT_EQ(1, hdr->data_size);
	munmap((void *)hdr, ipo_page_size());

	close_all(fds + 1, n - 1);
	EXPECT_EQ(-EMFILE, ipo_create(self->dev, NULL, 1, 0, 0, NULL));
	close(fds[0]);
	fds[0] = ipo_create(self->dev, NULL, 1, 0, 0, NULL);
	EXPECT_LE(0, fds[0]);
	close(fds[0]);

	ASSERT_EQ(0, ipo_param_write("max_objs_per_user", 0));
	EXPECT_EQ(-EMFILE, ipo_create(self->dev, NULL, 1, 0, 0, NULL));
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

TEST_F(limits, obj_size)
{
	struct ipo_info info;
	int fd;

	ASSERT_EQ(0, ipo_param_write("max_obj_size", 8192));
	ASSERT_EQ(0, ipo_get_info(self->dev, &info));
	EXPECT_EQ(8192, info.max_obj_size);

	fd = ipo_create(self->dev, NULL, 8192, 0, 0, NULL);
	EXPECT_LE(0, fd);
	close(fd);
	EXPECT_EQ(-EFBIG, ipo_create(self->dev, NULL, 8193, 0, 0, NULL));
	EXPECT_EQ(-EFBIG, ipo_create(self->dev, "limits-big", 1 << 20, 0, 0,
				     NULL));
	/* A failed create leaves the name free. */
	fd = ipo_create(self->dev, "limits-big", 1, 0, 0, NULL);
	EXPECT_LE(0, fd);
	close(fd);

	ASSERT_EQ(0, ipo_param_write("max_obj_size", 1 << 20));
	fd = ipo_create(self->dev, NULL, 8193, 0, 0, NULL);
	EXPECT_LE(0, fd);
	close(fd);
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

/*
 * With the size limit lifted, sizes near 2^64 must still fail cleanly and
 * not wrap around into a small object that claims to be huge.
 */
TEST_F(limits, obj_size_no_wraparound)
{
	const __u64 sizes[] = { ~0ULL, ~0ULL - 62, ~0ULL - 63,
				~0ULL - ipo_page_size(), 1ULL << 63 };
	struct ipo_info info;
	size_t i;
	int fd;

	ASSERT_EQ(0, ipo_param_write("max_obj_size", ~0ULL));
	/* What GET_INFO reports is what OBJ_CREATE enforces. */
	ASSERT_EQ(0, ipo_get_info(self->dev, &info));
	EXPECT_EQ(-EFBIG, ipo_create(self->dev, NULL, info.max_obj_size + 1,
				     0, 0, NULL));
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		fd = ipo_create(self->dev, NULL, sizes[i], 0, 0, NULL);
		EXPECT_TRUE(fd == -ENOMEM || fd == -EFBIG)
			TH_LOG("data_size 0x%llx: got %d",
			       (unsigned long long)sizes[i], fd);
		if (fd >= 0) {
			const struct ipo_obj_header *hdr;

			hdr = ipo_map(fd, ipo_page_size());
			if (hdr != MAP_FAILED) {
				TH_LOG("... and its header says data_size 0x%llx",
				       (unsigned long long)hdr->data_size);
				munmap((void *)hdr, ipo_page_size());
			}
			close(fd);
		}
	}
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

/*
 * In a child that becomes OTHER_UID: returns 0 if that user has its own
 * count and limit of @limit objects, else the number of the failed check.
 */
static int other_user_child(int limit)
{
	int fds[16], dev, i;

	if (setgid(OTHER_UID) || setuid(OTHER_UID))
		return 1;
	/* /dev/ipo is for everyone (0666). */
	dev = ipo_open_dev();
	if (dev < 0)
		return 2;
	if (ipo_nr_objs(dev) != 0)
		return 3;
	for (i = 0; i < limit; i++) {
		fds[i] = ipo_create(dev, NULL, 1, 0, 0, NULL);
		if (fds[i] < 0)
			return 4;
	}
	if (ipo_nr_objs(dev) != limit)
		return 5;
	if (ipo_create(dev, NULL, 1, 0, 0, NULL) != -EMFILE)
		return 6;
	close(fds[0]);
	if (ipo_nr_objs(dev) != limit - 1)
		return 7;
	return 0;
}

TEST_F(limits, per_user)
{
	const int limit = 3;
	int fds[3], i, status;
	pid_t pid;

	ASSERT_GE(limit, self->nr_objs);
	ASSERT_EQ(0, ipo_param_write("max_objs_per_user", limit));
	for (i = 0; i < limit - self->nr_objs; i++) {
		fds[i] = ipo_create(self->dev, NULL, 1, 0, 0, NULL);
		ASSERT_LE(0, fds[i]);
	}
	EXPECT_EQ(-EMFILE, ipo_create(self->dev, NULL, 1, 0, 0, NULL));

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(other_user_child(limit));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status)) TH_LOG("status 0x%x", status);
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("uid %d failed check %d", OTHER_UID,
		       WEXITSTATUS(status));

	/* The other user's objects went with its process; ours are intact. */
	EXPECT_EQ(limit, ipo_nr_objs(self->dev));
	EXPECT_EQ(-EMFILE, ipo_create(self->dev, NULL, 1, 0, 0, NULL));
	close_all(fds, limit - self->nr_objs);
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

/* The object is charged to who created it, wherever its fd goes. */
TEST_F(limits, charged_to_creator)
{
	int fd, status;
	pid_t pid;

	fd = ipo_create(self->dev, NULL, 1, 0, 0, NULL);
	ASSERT_LE(0, fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int dev;

		/* Keeps fd, an object root made, after becoming OTHER_UID. */
		if (setgid(OTHER_UID) || setuid(OTHER_UID))
			_exit(1);
		dev = ipo_open_dev();
		_exit(dev >= 0 && ipo_nr_objs(dev) == 0 ? 0 : 2);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("status 0x%x", status);
	EXPECT_EQ(self->nr_objs + 1, ipo_nr_objs(self->dev));
	close(fd);
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

/*
 * Object memory is charged to the creator's memory cgroup: memory.current
 * of a fresh cgroup grows by the object's size and shrinks when it is freed.
 */
#define CGROUP_ROOT	"/sys/fs/cgroup"
#define CGROUP_TEST	CGROUP_ROOT "/ipo-selftest"

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -errno;
}

static long long memcg_current(void)
{
	char buf[32] = { 0 };
	int fd = open(CGROUP_TEST "/memory.current", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (read(fd, buf, sizeof(buf) - 1) <= 0)
		buf[0] = '\0';
	close(fd);
	return buf[0] ? atoll(buf) : -EIO;
}

TEST_F(limits, memcg_charged)
{
	const long long size = 4 << 20, slack = 512 << 10;
	long long before, during, after;
	int fd;

	if (access(CGROUP_ROOT "/cgroup.controllers", F_OK)) {
		mkdir(CGROUP_ROOT, 0755);
		if (mount("cgroup2", CGROUP_ROOT, "cgroup2", 0, NULL))
			SKIP(return, "no cgroup2: %s", strerror(errno));
	}
	if (write_file(CGROUP_ROOT "/cgroup.subtree_control", "+memory"))
		SKIP(return, "no memory controller");
	rmdir(CGROUP_TEST);
	ASSERT_EQ(0, mkdir(CGROUP_TEST, 0755));
	ASSERT_EQ(0, write_file(CGROUP_TEST "/cgroup.procs", "0"));
	ASSERT_EQ(0, ipo_param_write("max_obj_size", size));

	before = memcg_current();
	ASSERT_LE(0, before);
	fd = ipo_create(self->dev, NULL, size, 0, 0, NULL);
	ASSERT_LE(0, fd);
	during = memcg_current();
	close(fd);
	after = memcg_current();
	EXPECT_LE(size - slack, during - before)
		TH_LOG("memory.current %lld -> %lld -> %lld", before, during,
		       after);
	EXPECT_LE(size - slack, during - after);

	write_file(CGROUP_ROOT "/cgroup.procs", "0");
	rmdir(CGROUP_TEST);
}

TEST_HARNESS_MAIN
