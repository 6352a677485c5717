// SPDX-License-Identifier: GPL-2.0
/*
 * Persistent objects (IPO_OBJ_PERSIST, OBJ_REMOVE): an object that lives
 * with no fd open, is opened by name as before, counts against its
 * creator's max_objs_per_user, and goes only when its owner (or
 * CAP_SYS_ADMIN) removes it -- also while other threads open, invoke and
 * map it.  Needs root (setuid to other users, module parameters).
 */
#include <pthread.h>
#include <sys/wait.h>

#include "ipo_test.h"

#define OTHER_UID	4242

FIXTURE(persist) {
	int dev;
	long nr_objs;
};

FIXTURE_SETUP(persist)
{
	self->dev = ipo_open_dev();
	ASSERT_LE(0, self->dev);
	self->nr_objs = ipo_nr_objs(self->dev);
	ASSERT_LE(0, self->nr_objs);
}

FIXTURE_TEARDOWN(persist)
{
	close(self->dev);
}

static int obj_remove(int dev, const char *name)
{
	struct ipo_obj_remove c = { .size = sizeof(c) };

	strncpy(c.name, name, sizeof(c.name) - 1);
	return ipo_ioctl(dev, IPO_OBJ_REMOVE, &c);
}

static int obj_open(int dev, const char *name, __u32 rights)
{
	struct ipo_obj_open c = {
		.size = sizeof(c), .flags = IPO_HANDLE_CLOEXEC,
		.rights = rights, .out_fd = -1,
	};

	strncpy(c.name, name, sizeof(c.name) - 1);
	return ipo_ioctl(dev, IPO_OBJ_OPEN, &c) ?: c.out_fd;
}

/* The id of the named object, 0 when it cannot be opened. */
static __u64 obj_id_of(int dev, const char *name)
{
	struct ipo_obj_open c = { .size = sizeof(c),
				  .rights = IPO_RIGHT_READ };

	strncpy(c.name, name, sizeof(c.name) - 1);
	if (ipo_ioctl(dev, IPO_OBJ_OPEN, &c))
		return 0;
	close(c.out_fd);
	return c.obj_id;
}

/* The method table of @obj: ipo_m_add as method 0. */
static int set_add_method(int dev, int obj)
{
	struct ipo_prog_load pl;
	struct ipo_obj_set_methods m = { .size = sizeof(m), .obj_fd = obj,
					 .nr_methods = 1 };
	int prog, ret;

	prog = ipo_load_method(dev, ipo_m_add, ARRAY_SIZE(ipo_m_add), 0, &pl);
	if (prog < 0)
		return prog;
	m.prog_fds = (uintptr_t)&prog;
	ret = ipo_ioctl(dev, IPO_OBJ_SET_METHODS, &m);
	close(prog);
	return ret;
}

static int call_add(int dev, int obj, __u64 delta, __u64 *total)
{
	struct ipo_call c = {
		.obj_fd = obj, .arg = (uintptr_t)&delta, .arg_size = 8,
		.out = (uintptr_t)total, .out_size = 8,
	};

	return ipo_invoke(dev, &c, 1, 0, 0, NULL);
}

/* The IPO_LIST entry of object @id; 0 or -ENOENT. */
static int find_entry(int dev, __u64 id, struct ipo_obj_entry *out)
{
	static struct ipo_obj_entry e[16];
	struct ipo_list l = {
		.size = sizeof(l), .kind = IPO_LIST_OBJS,
		.entry_size = sizeof(e[0]), .entries = (uintptr_t)e,
		.max_entries = 16, .start_id = id,
	};
	int ret = ipo_ioctl(dev, IPO_LIST, &l);

	if (ret)
		return ret;
	if (!l.nr_entries || e[0].id != id)
		return -ENOENT;
	*out = e[0];
	return 0;
}

TEST_F(persist, needs_a_name)
{
	EXPECT_EQ(-EINVAL, ipo_create(self->dev, NULL, 64, IPO_OBJ_PERSIST,
				      0, NULL));
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

/*
 * Made by a process that then exits; its state (changed by a method)
 * is still there for the next one; listed as persistent; gone when
 * removed, and the name is free again.
 */
TEST_F(persist, survives_its_creator)
{
	struct ipo_obj_entry e;
	__u64 total = 0, id = 0;
	int status, fd;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int dev = ipo_open_dev();
		int obj = ipo_create(dev, "persist-a", 64,
				     IPO_OBJ_PERSIST | IPO_OBJ_CLOEXEC, 0600,
				     NULL);
		__u64 t;

		if (obj < 0 || set_add_method(dev, obj) ||
		    call_add(dev, obj, 40, &t) || t != 40)
			_exit(1);
		_exit(0);	/* every fd closed by the exit */
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(self->nr_objs + 1, ipo_nr_objs(self->dev));

	fd = obj_open(self->dev, "persist-a", IPO_RIGHT_INVOKE);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, call_add(self->dev, fd, 2, &total));
	EXPECT_EQ(42, total);
	close(fd);
	/* Still there, with what the calls did. */
	fd = obj_open(self->dev, "persist-a", IPO_RIGHT_INVOKE);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, call_add(self->dev, fd, 0, &total));
	EXPECT_EQ(42, total);
	close(fd);
	id = obj_id_of(self->dev, "persist-a");
	ASSERT_NE(0, id);
	ASSERT_EQ(0, find_entry(self->dev, id, &e));
	EXPECT_EQ(IPO_OBJ_ENTRY_PERSIST, e.flags & IPO_OBJ_ENTRY_PERSIST);
	EXPECT_EQ(1, e.nr_methods);
	EXPECT_EQ(-EEXIST, ipo_create(self->dev, "persist-a", 64, 0, 0, NULL));

	EXPECT_EQ(0, obj_remove(self->dev, "persist-a"));
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
	EXPECT_EQ(-ENOENT, find_entry(self->dev, id, &e));
	EXPECT_EQ(-ENOENT, obj_open(self->dev, "persist-a", IPO_RIGHT_READ));
	EXPECT_EQ(-ENOENT, obj_remove(self->dev, "persist-a"));
	fd = ipo_create(self->dev, "persist-a", 64, 0, 0, NULL);
	EXPECT_LE(0, fd);
	close(fd);
}

/* Removed while a handle is open: it goes with that handle. */
TEST_F(persist, remove_while_open)
{
	struct ipo_obj_entry e;
	__u64 id = 0;
	int fd;

	fd = ipo_create(self->dev, "persist-b", 64, IPO_OBJ_PERSIST, 0, &id);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, find_entry(self->dev, id, &e));
	EXPECT_TRUE(e.flags & IPO_OBJ_ENTRY_PERSIST);
	EXPECT_EQ(0, obj_remove(self->dev, "persist-b"));
	/* Twice: no longer persistent. */
	EXPECT_EQ(-EINVAL, obj_remove(self->dev, "persist-b"));
	ASSERT_EQ(0, find_entry(self->dev, id, &e));
	EXPECT_FALSE(e.flags & IPO_OBJ_ENTRY_PERSIST);
	EXPECT_EQ(self->nr_objs + 1, ipo_nr_objs(self->dev));
	close(fd);
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
	EXPECT_EQ(-ENOENT, find_entry(self->dev, id, &e));
}

TEST_F(persist, remove_refuses_ordinary_objects)
{
	int fd = ipo_create(self->dev, "persist-c", 64, 0, 0, NULL);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, obj_remove(self->dev, "persist-c"));
	EXPECT_EQ(-ENOENT, obj_remove(self->dev, "persist-none"));
	EXPECT_EQ(-EINVAL, obj_remove(self->dev, ""));
	EXPECT_EQ(-EINVAL, obj_remove(self->dev, "a/b"));
	close(fd);
}

TEST_F(persist, remove_struct_size)
{
	struct {
		struct ipo_obj_remove c;
		char tail[8];
	} arg;

	memset(&arg, 0, sizeof(arg));
	arg.c.size = offsetofend(struct ipo_obj_remove, name) - 1;
	strcpy(arg.c.name, "persist-none");
	EXPECT_EQ(-EINVAL, ipo_ioctl(self->dev, IPO_OBJ_REMOVE, &arg));
	arg.c.size = sizeof(arg);
	arg.tail[3] = 1;
	EXPECT_EQ(-E2BIG, ipo_ioctl(self->dev, IPO_OBJ_REMOVE, &arg));
	arg.tail[3] = 0;
	EXPECT_EQ(-ENOENT, ipo_ioctl(self->dev, IPO_OBJ_REMOVE, &arg));
	arg.c.flags = 1;
	EXPECT_EQ(-EINVAL, ipo_ioctl(self->dev, IPO_OBJ_REMOVE, &arg));
}

/*
 * Another user may not remove it (EPERM, even with INVOKE through the
 * mode), nor open it beyond what the mode grants; root (CAP_SYS_ADMIN)
 * may remove another user's object.
 */
TEST_F(persist, only_owner_or_admin_removes)
{
	int status, fd;
	pid_t pid;

	fd = ipo_create(self->dev, "persist-d", 64, IPO_OBJ_PERSIST, 0606,
			NULL);
	ASSERT_LE(0, fd);
	close(fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int dev = ipo_open_dev(), h;

		if (setresgid(OTHER_UID, OTHER_UID, OTHER_UID) ||
		    setresuid(OTHER_UID, OTHER_UID, OTHER_UID))
			_exit(10);
		if (obj_remove(dev, "persist-d") != -EPERM)
			_exit(11);
		if (obj_open(dev, "persist-d", IPO_RIGHT_ADMIN) != -EACCES)
			_exit(12);
		h = obj_open(dev, "persist-d", IPO_RIGHT_INVOKE);
		if (h < 0)
			_exit(13);
		close(h);
		/* Its own persistent object, left for root to remove. */
		if (ipo_create(dev, "persist-e", 64, IPO_OBJ_PERSIST, 0,
			       NULL) < 0)
			_exit(14);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("child exit %d", WEXITSTATUS(status));
	EXPECT_EQ(0, obj_remove(self->dev, "persist-d"));
	EXPECT_EQ(0, obj_remove(self->dev, "persist-e"));
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

/* Revocation applies to handles of a persistent object as to any. */
TEST_F(persist, revocation_applies)
{
	struct ipo_obj_open c = { .size = sizeof(c),
				  .rights = IPO_RIGHT_INVOKE };
	__u64 total;
	int fd, admin;

	fd = ipo_create(self->dev, "persist-f", 64, IPO_OBJ_PERSIST, 0, NULL);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, set_add_method(self->dev, fd));
	close(fd);
	strcpy(c.name, "persist-f");
	ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_OBJ_OPEN, &c));
	admin = obj_open(self->dev, "persist-f", IPO_RIGHT_ADMIN);
	ASSERT_LE(0, admin);
	EXPECT_EQ(0, call_add(self->dev, c.out_fd, 1, &total));
	EXPECT_EQ(0, ipo_revoke(self->dev, admin, c.handle_id, 0));
	EXPECT_EQ(-EPERM, call_add(self->dev, c.out_fd, 1, &total));
	close(c.out_fd);
	close(admin);
	EXPECT_EQ(0, obj_remove(self->dev, "persist-f"));
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

/* Counted in max_objs_per_user while no fd is open. */
TEST_F(persist, counts_against_max_objs_per_user)
{
	unsigned long long old;
	int fd;

	ASSERT_EQ(0, ipo_param_read("max_objs_per_user", &old));
	ASSERT_EQ(0, ipo_param_write("max_objs_per_user", self->nr_objs + 1));
	fd = ipo_create(self->dev, "persist-g", 64, IPO_OBJ_PERSIST, 0, NULL);
	EXPECT_LE(0, fd);
	close(fd);
	EXPECT_EQ(-EMFILE, ipo_create(self->dev, "persist-h", 64,
				      IPO_OBJ_PERSIST, 0, NULL));
	EXPECT_EQ(-EMFILE, ipo_create(self->dev, NULL, 64, 0, 0, NULL));
	EXPECT_EQ(0, obj_remove(self->dev, "persist-g"));
	fd = ipo_create(self->dev, NULL, 64, 0, 0, NULL);
	EXPECT_LE(0, fd);
	close(fd);
	EXPECT_EQ(0, ipo_param_write("max_objs_per_user", old));
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

/*
 * Removal racing OBJ_OPEN, INVOKE and mmap in other threads: every open
 * either finds the object and then uses it fully, or finds no name; the
 * count comes back when all is closed.
 */
struct race {
	volatile int stop;
	int fails;
	long opened;
};

static void *race_user(void *arg)
{
	struct race *r = arg;
	int dev = ipo_open_dev();
	__u64 total;
	int ret;

	while (!r->stop) {
		int fd = obj_open(dev, "persist-race",
				  IPO_RIGHT_INVOKE | IPO_RIGHT_READ);
		void *map;

		if (fd == -ENOENT)
			continue;
		if (fd < 0) {
			__atomic_add_fetch(&r->fails, 1, __ATOMIC_RELAXED);
			continue;
		}
		__atomic_add_fetch(&r->opened, 1, __ATOMIC_RELAXED);
		map = ipo_map(fd, ipo_map_size(64));
		ret = call_add(dev, fd, 1, &total);
		/* ENOENT: opened before its creator set the methods. */
		if (map == MAP_FAILED || (ret && ret != -ENOENT))
			__atomic_add_fetch(&r->fails, 1, __ATOMIC_RELAXED);
		close(fd);
		/* The mapping alone still holds the object. */
		if (map != MAP_FAILED) {
			if (((const struct ipo_obj_header *)map)->data_size != 64)
				__atomic_add_fetch(&r->fails, 1,
						   __ATOMIC_RELAXED);
			munmap(map, ipo_map_size(64));
		}
	}
	close(dev);
	return NULL;
}

TEST_F(persist, remove_races_open_invoke_mmap)
{
	struct race r = {};
	pthread_t t[3];
	int i, fd;

	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, race_user, &r));
	for (i = 0; i < 300; i++) {
		fd = ipo_create(self->dev, "persist-race", 64,
				IPO_OBJ_PERSIST, 0, NULL);
		if (fd == -EEXIST) {	/* the last one's users still hold it */
			usleep(100);
			continue;
		}
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, set_add_method(self->dev, fd));
		close(fd);
		usleep(200);
		ASSERT_EQ(0, obj_remove(self->dev, "persist-race"));
	}
	r.stop = 1;
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	EXPECT_EQ(0, r.fails);
	TH_LOG("%ld opens", r.opened);
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

TEST_HARNESS_MAIN
