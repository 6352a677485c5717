// SPDX-License-Identifier: GPL-2.0
/*
 * IPO_OBJ_CREATE and an object's life: the fd and id it returns, its
 * argument checks, the name registry, and freeing on the last close.
 */
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include "ipo_test.h"

FIXTURE(obj) {
	int dev;
	long nr_objs;
};

FIXTURE_SETUP(obj)
{
	self->dev = ipo_open_dev();
	ASSERT_LE(0, self->dev) TH_LOG("open %s: %s", IPO_DEV, strerror(errno));
	self->nr_objs = ipo_nr_objs(self->dev);
	ASSERT_LE(0, self->nr_objs);
}

FIXTURE_TEARDOWN(obj)
{
	close(self->dev);
}

TEST_F(obj, create_returns_fd_and_id)
{
	__u64 id1 = 0, id2 = 0;
	int fd1, fd2;

	fd1 = ipo_create(self->dev, NULL, 1, 0, 0, &id1);
	ASSERT_LE(0, fd1);
	fd2 = ipo_create(self->dev, NULL, 1, 0, 0, &id2);
	ASSERT_LE(0, fd2);
	EXPECT_NE(fd1, fd2);
	EXPECT_NE(self->dev, fd1);
	EXPECT_NE(id1, id2);
	EXPECT_LE(0, fcntl(fd1, F_GETFD));
	EXPECT_EQ(self->nr_objs + 2, ipo_nr_objs(self->dev));
	EXPECT_EQ(0, close(fd1));
	EXPECT_EQ(0, close(fd2));
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

TEST_F(obj, cloexec)
{
	int fd;

	fd = ipo_create(self->dev, NULL, 1, 0, 0, NULL);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);

	fd = ipo_create(self->dev, NULL, 1, IPO_OBJ_CLOEXEC, 0, NULL);
	ASSERT_LE(0, fd);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
}

TEST_F(obj, data_size_zero)
{
	EXPECT_EQ(-EINVAL, ipo_create(self->dev, NULL, 0, 0, 0, NULL));
	EXPECT_EQ(-EINVAL, ipo_create(self->dev, "zero", 0, 0, 0, NULL));
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

TEST_F(obj, data_size_too_big)
{
	struct ipo_info info;

	ASSERT_EQ(0, ipo_get_info(self->dev, &info));
	EXPECT_EQ(-EFBIG, ipo_create(self->dev, NULL, info.max_obj_size + 1,
				     0, 0, NULL));
	EXPECT_EQ(-EFBIG, ipo_create(self->dev, NULL, 1ULL << 63, 0, 0, NULL));
	EXPECT_EQ(-EFBIG, ipo_create(self->dev, NULL, ~0ULL, 0, 0, NULL));
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

TEST_F(obj, mode)
{
	const __u32 good[] = { 0, 0600, 0644, 0777, 0001 };
	const __u32 bad[] = { 01000, 02000, 04000, 010000, 0100644,
			      1U << 31, ~0U };
	size_t i;
	int fd;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		fd = ipo_create(self->dev, NULL, 1, 0, good[i], NULL);
		EXPECT_LE(0, fd) TH_LOG("mode 0%o", good[i]);
		if (fd >= 0)
			close(fd);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, ipo_create(self->dev, NULL, 1, 0, bad[i],
					      NULL))
			TH_LOG("mode 0%o", bad[i]);
	}
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

TEST_F(obj, anonymous_objects_do_not_clash)
{
	int fd1, fd2;

	fd1 = ipo_create(self->dev, "", 1, 0, 0, NULL);
	ASSERT_LE(0, fd1);
	fd2 = ipo_create(self->dev, "", 1, 0, 0, NULL);
	ASSERT_LE(0, fd2);
	EXPECT_EQ(self->nr_objs + 2, ipo_nr_objs(self->dev));
	close(fd1);
	close(fd2);
}

TEST_F(obj, duplicate_name)
{
	int fd1, fd2;

	fd1 = ipo_create(self->dev, "obj-dup", 1, 0, 0, NULL);
	ASSERT_LE(0, fd1);
	EXPECT_EQ(-EEXIST, ipo_create(self->dev, "obj-dup", 1, 0, 0, NULL));
	/* Size and flags do not matter, the name does. */
	EXPECT_EQ(-EEXIST, ipo_create(self->dev, "obj-dup", 4096,
				      IPO_OBJ_CLOEXEC, 0644, NULL));
	/* A failed create is not charged. */
	EXPECT_EQ(self->nr_objs + 1, ipo_nr_objs(self->dev));
	/* Names are case sensitive. */
	fd2 = ipo_create(self->dev, "OBJ-DUP", 1, 0, 0, NULL);
	EXPECT_LE(0, fd2);
	close(fd2);

	close(fd1);
	fd2 = ipo_create(self->dev, "obj-dup", 1, 0, 0, NULL);
	EXPECT_LE(0, fd2) TH_LOG("name not freed with its object");
	close(fd2);
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

/* Names are global: another process sees the name taken. */
TEST_F(obj, duplicate_name_other_process)
{
	int fd, status;
	pid_t pid;

	fd = ipo_create(self->dev, "obj-shared-name", 1, 0, 0, NULL);
	ASSERT_LE(0, fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int dev = ipo_open_dev();

		_exit(ipo_create(dev, "obj-shared-name", 1, 0, 0, NULL) ==
		      -EEXIST ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fd);
}

/* A name too long for the array, even when the struct's tail is zero. */
TEST_F(obj, name_without_nul_in_longer_struct)
{
	struct {
		struct ipo_obj_create c;
		char tail[8];
	} arg;

	memset(&arg, 0, sizeof(arg));
	arg.c.size = sizeof(arg);
	arg.c.data_size = 1;
	memset(arg.c.name, 'n', sizeof(arg.c.name));
	EXPECT_EQ(-ENAMETOOLONG, ipo_ioctl(self->dev, IPO_OBJ_CREATE, &arg));
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

/* An object lives while any fd of it is open, in any process. */
TEST_F(obj, freed_on_last_close)
{
	int fd, dup_fd, status, pipefd[2];
	char c;
	pid_t pid;

	fd = ipo_create(self->dev, "obj-life", 1, 0, 0, NULL);
	ASSERT_LE(0, fd);
	dup_fd = dup(fd);
	ASSERT_LE(0, dup_fd);
	close(fd);
	EXPECT_EQ(-EEXIST, ipo_create(self->dev, "obj-life", 1, 0, 0, NULL));
	EXPECT_EQ(self->nr_objs + 1, ipo_nr_objs(self->dev));

	/* A child inherits the fd and keeps the object after we close. */
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(pipefd[1]);
		/* Hold dup_fd until the parent closes its end. */
		while (read(pipefd[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(pipefd[0]);
	close(dup_fd);
	EXPECT_EQ(self->nr_objs + 1, ipo_nr_objs(self->dev));
	EXPECT_EQ(-EEXIST, ipo_create(self->dev, "obj-life", 1, 0, 0, NULL));

	close(pipefd[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
	fd = ipo_create(self->dev, "obj-life", 1, 0, 0, NULL);
	EXPECT_LE(0, fd);
	close(fd);
}

/*
 * With the fd table full the create fails with EMFILE after the object and
 * its name were made: both must be undone.
 */
TEST_F(obj, fd_table_full)
{
	struct rlimit old, lim;
	int fd, last = -1;

	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &old));
	lim = old;
	lim.rlim_cur = 64;
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &lim));
	/* Fill every slot below the limit. */
	while ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
		last = fd;
	ASSERT_EQ(EMFILE, errno);

	EXPECT_EQ(-EMFILE, ipo_create(self->dev, "obj-nofd", 1, 0, 0, NULL));
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));

	ASSERT_LE(0, last);
	close(last);
	fd = ipo_create(self->dev, "obj-nofd", 1, 0, 0, NULL);
	EXPECT_EQ(last, fd) TH_LOG("the name or the slot was not freed");
	close(fd);
	setrlimit(RLIMIT_NOFILE, &old);
}

/* An object fd is a handle for ioctls and mmap, not a stream. */
TEST_F(obj, read_write_refused)
{
	char buf[16] = { 0 };
	int fd;

	fd = ipo_create(self->dev, NULL, 4096, 0, 0, NULL);
	ASSERT_LE(0, fd);
	errno = 0;
	EXPECT_EQ(-1, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, write(fd, buf, sizeof(buf)));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

/* Names: FIXTURE_VARIANT per case, so each shows up in the TAP by name. */
FIXTURE(name) {
	int dev;
	long nr_objs;
};

FIXTURE_VARIANT(name) {
	const char *name;
	int fill;	/* if non-zero: a name of this many 'x' instead */
	int error;	/* 0 for a valid name */
};

FIXTURE_VARIANT_ADD(name, simple)	{ .name = "object" };
FIXTURE_VARIANT_ADD(name, charset)	{ .name = "AZaz09_.-" };
FIXTURE_VARIANT_ADD(name, one_char)	{ .name = "x" };
FIXTURE_VARIANT_ADD(name, dash_first)	{ .name = "-x" };
FIXTURE_VARIANT_ADD(name, dot_inside)	{ .name = "a.b..c." };
FIXTURE_VARIANT_ADD(name, max_len)	{ .fill = IPO_NAME_MAX - 1 };
FIXTURE_VARIANT_ADD(name, slash)	{ .name = "a/b", .error = EINVAL };
FIXTURE_VARIANT_ADD(name, only_slash)	{ .name = "/", .error = EINVAL };
FIXTURE_VARIANT_ADD(name, space)	{ .name = "a b", .error = EINVAL };
FIXTURE_VARIANT_ADD(name, tab)		{ .name = "a\tb", .error = EINVAL };
FIXTURE_VARIANT_ADD(name, newline)	{ .name = "a\n", .error = EINVAL };
FIXTURE_VARIANT_ADD(name, leading_dot)	{ .name = ".hidden", .error = EINVAL };
FIXTURE_VARIANT_ADD(name, dot)		{ .name = ".", .error = EINVAL };
FIXTURE_VARIANT_ADD(name, dotdot)	{ .name = "..", .error = EINVAL };
FIXTURE_VARIANT_ADD(name, utf8)	{ .name = "caf\xc3\xa9", .error = EINVAL };
FIXTURE_VARIANT_ADD(name, latin1)	{ .name = "\xe9t\xe9", .error = EINVAL };
FIXTURE_VARIANT_ADD(name, del)		{ .name = "a\x7f", .error = EINVAL };
FIXTURE_VARIANT_ADD(name, colon)	{ .name = "a:b", .error = EINVAL };
FIXTURE_VARIANT_ADD(name, star)		{ .name = "a*", .error = EINVAL };
FIXTURE_VARIANT_ADD(name, no_nul)
{ .fill = IPO_NAME_MAX, .error = ENAMETOOLONG };

FIXTURE_SETUP(name)
{
	self->dev = ipo_open_dev();
	ASSERT_LE(0, self->dev) TH_LOG("open %s: %s", IPO_DEV, strerror(errno));
	self->nr_objs = ipo_nr_objs(self->dev);
	ASSERT_LE(0, self->nr_objs);
}

FIXTURE_TEARDOWN(name)
{
	close(self->dev);
}

TEST_F(name, create)
{
	char name[IPO_NAME_MAX + 1] = { 0 };
	int fd;

	if (variant->fill)
		memset(name, 'x', variant->fill);
	else
		strcpy(name, variant->name);

	fd = ipo_create(self->dev, name, 1, 0, 0, NULL);
	if (variant->error) {
		EXPECT_EQ(-variant->error, fd);
		EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
		if (fd >= 0)
			close(fd);
		return;
	}
	ASSERT_LE(0, fd);
	EXPECT_EQ(self->nr_objs + 1, ipo_nr_objs(self->dev));
	/* The name was taken as given, so it is now in use. */
	EXPECT_EQ(-EEXIST, ipo_create(self->dev, name, 1, 0, 0, NULL));
	close(fd);
	fd = ipo_create(self->dev, name, 1, 0, 0, NULL);
	EXPECT_LE(0, fd);
	close(fd);
}

/*
 * A name is free again once the last fd is closed, whoever is listing
 * objects meanwhile: IPO_LIST holds an object for a moment, and while the
 * name went with the object's last reference, a concurrent LIST made the
 * re-create fail with EEXIST.  20000 rounds or 10 s, whichever comes
 * first: the sanitized kernel of make check-debug does ~800 rounds a
 * second, and 20000 took 24 s of the harness's 30 s limit there.
 */
TEST_F(obj, name_free_while_listed)
{
	struct ipo_obj_entry e[4];
	int i, fd, status, failed = 0;
	time_t end = time(NULL) + 10;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct ipo_list c;

		for (;;) {
			memset(&c, 0, sizeof(c));
			c.size = sizeof(c);
			c.kind = IPO_LIST_OBJS;
			c.entry_size = sizeof(e[0]);
			c.entries = (uintptr_t)e;
			c.max_entries = 4;
			ioctl(self->dev, IPO_LIST, &c);
		}
	}
	for (i = 0; i < 20000 && !failed && time(NULL) < end; i++) {
		fd = ipo_create(self->dev, "obj-relist", 8, 0, 0, NULL);
		if (fd < 0)
			failed = fd;
		else
			close(fd);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	EXPECT_EQ(0, failed) TH_LOG("create %d failed: %s", i,
				    strerror(-failed));
}

TEST_HARNESS_MAIN
