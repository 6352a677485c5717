// SPDX-License-Identifier: GPL-2.0
/*
 * IPO_LIST: every visible object and program exactly once across pages,
 * nothing another user may not open, bad arguments refused.
 */
#include <sys/wait.h>

#include "ipo_test.h"

static int list(int dev, __u32 kind, void *buf, __u32 entry_size, __u32 max,
		__u64 *next)
{
	struct ipo_list c = {
		.size = sizeof(c), .kind = kind, .entry_size = entry_size,
		.start_id = *next, .entries = (uintptr_t)buf,
		.max_entries = max,
	};
	int ret = ipo_ioctl(dev, IPO_LIST, &c);

	if (ret)
		return ret;
	*next = c.next_id;
	return c.nr_entries;
}

/* How often object @id shows up when listing @per_page at a time. */
static int count_obj(int dev, __u64 id, __u32 per_page, int *total)
{
	struct ipo_obj_entry e[8];
	__u64 next = 0;
	int n, i, seen = 0;

	*total = 0;
	do {
		n = list(dev, IPO_LIST_OBJS, e, sizeof(e[0]), per_page, &next);
		if (n < 0)
			return n;
		for (i = 0; i < n; i++)
			seen += e[i].id == id;
		*total += n;
	} while (next);
	return seen;
}

TEST(objects_paged)
{
	int dev = ipo_open_dev(), fds[5], i, total, total1;
	__u64 ids[5];

	ASSERT_LE(0, dev);
	for (i = 0; i < 5; i++) {
		fds[i] = ipo_create(dev, NULL, 64 + i, IPO_OBJ_CLOEXEC, 0,
				    &ids[i]);
		ASSERT_LE(0, fds[i]);
	}
	for (i = 0; i < 5; i++) {
		EXPECT_EQ(1, count_obj(dev, ids[i], 2, &total));
		EXPECT_EQ(1, count_obj(dev, ids[i], 8, &total1));
		EXPECT_EQ(total, total1);
	}
	EXPECT_LE(5, total);
	close(fds[2]);
	EXPECT_EQ(0, count_obj(dev, ids[2], 3, &total1));
	EXPECT_EQ(total - 1, total1);
	for (i = 0; i < 5; i++)
		if (i != 2)
			close(fds[i]);
	close(dev);
}

TEST(entries_describe_objects_and_programs)
{
	static const __u64 insns[] = { MOV64_IMM(0, 0), EXIT() };
	int dev = ipo_open_dev(), obj, prog, n, i, found = 0;
	struct ipo_prog_entry pe[64];
	struct ipo_obj_entry oe[8];
	struct ipo_obj_set_methods m;
	struct ipo_prog_load c;
	__u64 id = 0, next = 0;

	ASSERT_LE(0, dev);
	obj = ipo_create(dev, "list_test_obj", 100, IPO_OBJ_CLOEXEC, 0640, &id);
	ASSERT_LE(0, obj);
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.prog_type = IPO_PROG_TYPE_METHOD;
	c.insns = (uintptr_t)insns;
	c.insn_cnt = 2;
	strcpy(c.name, "list_test_prog");
	ASSERT_EQ(0, ipo_ioctl(dev, IPO_PROG_LOAD, &c));
	prog = c.out_fd;
	memset(&m, 0, sizeof(m));
	m.size = sizeof(m);
	m.obj_fd = obj;
	m.nr_methods = 1;
	m.prog_fds = (uintptr_t)&prog;
	ASSERT_EQ(0, ipo_ioctl(dev, IPO_OBJ_SET_METHODS, &m));

	do {
		n = list(dev, IPO_LIST_OBJS, oe, sizeof(oe[0]), 8, &next);
		ASSERT_LE(0, n);
		for (i = 0; i < n; i++) {
			if (oe[i].id != id)
				continue;
			found++;
			EXPECT_STREQ("list_test_obj", oe[i].name);
			EXPECT_EQ(100, oe[i].data_size);
			EXPECT_EQ(0640, oe[i].mode);
			EXPECT_EQ(geteuid(), oe[i].owner);
			EXPECT_EQ(1, oe[i].nr_methods);
			EXPECT_EQ(c.prog_id, oe[i].methods[0]);
		}
	} while (next);
	EXPECT_EQ(1, found);

	found = 0;
	next = 0;
	do {
		n = list(dev, IPO_LIST_PROGS, pe, sizeof(pe[0]), 64, &next);
		ASSERT_LE(0, n);
		for (i = 0; i < n; i++) {
			if (pe[i].id != c.prog_id)
				continue;
			found++;
			EXPECT_STREQ("list_test_prog", pe[i].name);
			EXPECT_EQ(2, pe[i].insn_cnt);
			EXPECT_EQ(IPO_PROG_TYPE_METHOD, pe[i].prog_type);
			EXPECT_EQ(!!(c.out_flags & IPO_PROG_JITED),
				  !!(pe[i].flags & IPO_PROG_ENTRY_JITED));
		}
	} while (next);
	EXPECT_EQ(1, found);
	close(prog);
	close(obj);
	close(dev);
}

/* Another user sees named objects it could open, nothing else. */
TEST(visibility)
{
	int dev = ipo_open_dev(), priv, shared, anon, status;
	__u64 id_priv, id_shared, id_anon;
	pid_t pid;

	ASSERT_LE(0, dev);
	priv = ipo_create(dev, "list_private", 8, IPO_OBJ_CLOEXEC, 0600,
			  &id_priv);
	shared = ipo_create(dev, "list_shared", 8, IPO_OBJ_CLOEXEC, 0604,
			    &id_shared);
	anon = ipo_create(dev, NULL, 8, IPO_OBJ_CLOEXEC, 0666, &id_anon);
	ASSERT_LE(0, priv);
	ASSERT_LE(0, shared);
	ASSERT_LE(0, anon);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int d, total, rc = 0;

		if (setgid(1000) || setuid(1000))
			_exit(10);
		d = ipo_open_dev();
		if (count_obj(d, id_priv, 8, &total) != 0)
			rc |= 1;
		if (count_obj(d, id_shared, 8, &total) != 1)
			rc |= 2;
		if (count_obj(d, id_anon, 8, &total) != 0)
			rc |= 4;
		_exit(rc);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("child status 0x%x", status);
	close(priv);
	close(shared);
	close(anon);
	close(dev);
}

TEST(bad_arguments)
{
	struct ipo_obj_entry e[2];
	int dev = ipo_open_dev();
	__u64 next = 0;

	ASSERT_LE(0, dev);
	EXPECT_EQ(-EINVAL, list(dev, 0, e, sizeof(e[0]), 2, &next));
	EXPECT_EQ(-EINVAL, list(dev, 3, e, sizeof(e[0]), 2, &next));
	/* Entries of the first published size are still accepted. */
	EXPECT_EQ(-EINVAL, list(dev, IPO_LIST_OBJS, e,
				offsetofend(struct ipo_obj_entry, name) - 1, 2,
				&next));
	EXPECT_LE(0, list(dev, IPO_LIST_OBJS, e,
			  offsetofend(struct ipo_obj_entry, name), 2, &next));
	EXPECT_EQ(-EINVAL, list(dev, IPO_LIST_OBJS, e, sizeof(e[0]), 0, &next));
	EXPECT_EQ(-EINVAL, list(dev, IPO_LIST_OBJS, e, sizeof(e[0]), 4097,
				&next));
	close(dev);
}

/* An entry of today's size names every method, not only the first 8. */
TEST(every_method_listed)
{
	static const __u64 ret0[] = { MOV64_IMM(0, 0), EXIT() };
	struct ipo_obj_set_methods m = { .size = sizeof(m) };
	struct ipo_prog_load pl;
	struct ipo_obj_entry e[1];
	int fds[IPO_MAX_METHODS], progs[2], dev, obj, i;
	__u64 id = 0, next;

	dev = ipo_open_dev();
	ASSERT_LE(0, dev);
	for (i = 0; i < 2; i++) {
		progs[i] = ipo_load_method(dev, ret0, 2, 0, &pl);
		ASSERT_LE(0, progs[i]);
	}
	/* Method i is program i % 2: each slot must name its own. */
	for (i = 0; i < IPO_MAX_METHODS; i++)
		fds[i] = progs[i % 2];
	obj = ipo_create(dev, NULL, 8, 0, 0, &id);
	ASSERT_LE(0, obj);
	m.obj_fd = obj;
	m.nr_methods = IPO_MAX_METHODS;
	m.prog_fds = (uintptr_t)fds;
	ASSERT_EQ(0, ipo_ioctl(dev, IPO_OBJ_SET_METHODS, &m));
	next = id;
	ASSERT_EQ(1, list(dev, IPO_LIST_OBJS, e, sizeof(e[0]), 1, &next));
	ASSERT_EQ(id, e[0].id);
	EXPECT_EQ(IPO_MAX_METHODS, e[0].nr_methods);
	for (i = 0; i < IPO_MAX_METHODS; i++) {
		__u32 pid = i < 8 ? e[0].methods[i] : e[0].methods_more[i - 8];
		__u32 want = i % 2 ? e[0].methods[1] : e[0].methods[0];

		EXPECT_EQ(want, pid) TH_LOG("method %d", i);
	}
	EXPECT_NE(e[0].methods[0], e[0].methods[1]);
	close(obj);
	close(progs[0]);
	close(progs[1]);
	close(dev);
}

TEST_HARNESS_MAIN
