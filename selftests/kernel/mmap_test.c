// SPDX-License-Identifier: GPL-2.0
/*
 * The object mapping (DOC "The object mapping" in the uapi header): a
 * read-only, shared view of the header and the data, that stays read-only
 * whatever userspace tries, and outlives the fd it was made from.
 */
#include <signal.h>
#include <sys/wait.h>

#include "ipo_test.h"

FIXTURE(map) {
	int dev;
	int fd;
	__u64 obj_id;
	size_t page;
	size_t len;		/* the whole mapping: header + data, in pages */
	long nr_objs;		/* before the object was made */
};

FIXTURE_VARIANT(map) {
	__u64 data_size;
};

FIXTURE_VARIANT_ADD(map, one_byte)	{ .data_size = 1 };
/* Header and data fill exactly one page. */
FIXTURE_VARIANT_ADD(map, one_page)	{ .data_size = 4096 - 64 };
FIXTURE_VARIANT_ADD(map, page_and_header) { .data_size = 4096 };
FIXTURE_VARIANT_ADD(map, odd_size)	{ .data_size = 10007 };
FIXTURE_VARIANT_ADD(map, large)	{ .data_size = (1 << 20) + 123 };

FIXTURE_SETUP(map)
{
	self->page = ipo_page_size();
	self->dev = ipo_open_dev();
	ASSERT_LE(0, self->dev) TH_LOG("open %s: %s", IPO_DEV, strerror(errno));
	self->nr_objs = ipo_nr_objs(self->dev);
	ASSERT_LE(0, self->nr_objs);
	self->fd = ipo_create(self->dev, NULL, variant->data_size, 0, 0,
			      &self->obj_id);
	ASSERT_LE(0, self->fd);
	self->len = ipo_map_size(variant->data_size);
}

FIXTURE_TEARDOWN(map)
{
	close(self->fd);
	close(self->dev);
}

/* True if [p, p + len) is all zero bytes. */
static bool all_zero(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

static void check_header(struct __test_metadata *_metadata,
			 const struct ipo_obj_header *hdr, __u64 obj_id,
			 __u64 data_size)
{
	EXPECT_EQ(0, hdr->seq & 1);
	EXPECT_EQ(0, hdr->seq);		/* nothing changed it yet */
	EXPECT_EQ(1, hdr->version);
	EXPECT_EQ(obj_id, hdr->obj_id);
	EXPECT_EQ(data_size, hdr->data_size);
	EXPECT_EQ(sizeof(*hdr), hdr->data_off);
	EXPECT_TRUE(all_zero((const void *)hdr->__reserved,
			     sizeof(hdr->__reserved)));
}

TEST_F(map, header)
{
	const struct ipo_obj_header *hdr;
	struct ipo_info info;

	ASSERT_EQ(0, ipo_get_info(self->dev, &info));
	hdr = ipo_map(self->fd, self->len);
	ASSERT_NE(MAP_FAILED, hdr) TH_LOG("mmap: %s", strerror(errno));
	check_header(_metadata, hdr, self->obj_id, variant->data_size);
	EXPECT_EQ(info.header_size, hdr->data_off);
	munmap((void *)hdr, self->len);
}

/* The data starts zeroed, and so does the slack of the last page. */
TEST_F(map, data_zeroed)
{
	const unsigned char *p;

	p = ipo_map(self->fd, self->len);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_TRUE(all_zero(p + 64, self->len - 64));
	munmap((void *)p, self->len);
}

/* Pages dropped with MADV_DONTNEED fault back in with the same contents. */
TEST_F(map, madv_dontneed_refaults)
{
	const struct ipo_obj_header *hdr;
	const unsigned char *p;

	p = ipo_map(self->fd, self->len);
	ASSERT_NE(MAP_FAILED, p);
	hdr = (const void *)p;
	check_header(_metadata, hdr, self->obj_id, variant->data_size);
	ASSERT_EQ(0, madvise((void *)p, self->len, MADV_DONTNEED))
		TH_LOG("madvise: %s", strerror(errno));
	check_header(_metadata, hdr, self->obj_id, variant->data_size);
	EXPECT_TRUE(all_zero(p + 64, self->len - 64));
	munmap((void *)p, self->len);
}

TEST_F(map, shorter_than_object)
{
	const struct ipo_obj_header *hdr;

	hdr = ipo_map(self->fd, self->page);
	ASSERT_NE(MAP_FAILED, hdr);
	check_header(_metadata, hdr, self->obj_id, variant->data_size);
	munmap((void *)hdr, self->page);

	/* Not even whole pages: mmap rounds up, still within the object. */
	hdr = ipo_map(self->fd, sizeof(*hdr));
	ASSERT_NE(MAP_FAILED, hdr);
	EXPECT_EQ(self->obj_id, hdr->obj_id);
	munmap((void *)hdr, sizeof(*hdr));
}

TEST_F(map, longer_than_object)
{
	EXPECT_EQ(MAP_FAILED, ipo_map(self->fd, self->len + self->page));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, ipo_map(self->fd, self->len + 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, ipo_map(self->fd, 64 * self->len));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(map, nonzero_offset)
{
	void *p;

	p = mmap(NULL, self->page, PROT_READ, MAP_SHARED, self->fd, self->page);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	if (p != MAP_FAILED)
		munmap(p, self->page);
}

TEST_F(map, writable_refused)
{
	const int prots[] = { PROT_WRITE, PROT_READ | PROT_WRITE };
	const int kinds[] = { MAP_SHARED, MAP_PRIVATE };
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(prots); i++) {
		for (j = 0; j < ARRAY_SIZE(kinds); j++) {
			void *p = mmap(NULL, self->len, prots[i], kinds[j],
				       self->fd, 0);

			EXPECT_EQ(MAP_FAILED, p)
				TH_LOG("prot 0x%x flags 0x%x", prots[i],
				       kinds[j]);
			EXPECT_EQ(EACCES, errno);
			if (p != MAP_FAILED)
				munmap(p, self->len);
		}
	}
}

TEST_F(map, mprotect_writable_refused)
{
	const int kinds[] = { MAP_SHARED, MAP_PRIVATE };
	size_t j;

	for (j = 0; j < ARRAY_SIZE(kinds); j++) {
		void *p = mmap(NULL, self->len, PROT_READ, kinds[j], self->fd,
			       0);

		ASSERT_NE(MAP_FAILED, p);
		EXPECT_EQ(-1, mprotect(p, self->len, PROT_READ | PROT_WRITE))
			TH_LOG("flags 0x%x", kinds[j]);
		EXPECT_EQ(EACCES, errno);
		EXPECT_EQ(-1, mprotect(p, self->page, PROT_WRITE));
		EXPECT_EQ(EACCES, errno);
		munmap(p, self->len);
	}
}

/* A store through the mapping faults and changes nothing. */
TEST_F(map, write_faults)
{
	const int kinds[] = { MAP_SHARED, MAP_PRIVATE };
	volatile unsigned char *p;
	const unsigned char *check;
	size_t offs[3], i, j;
	int status;
	pid_t pid;

	offs[0] = 0;				/* the header's seq */
	offs[1] = 64;				/* the first data byte */
	offs[2] = 64 + variant->data_size - 1;	/* the last one */
	check = ipo_map(self->fd, self->len);
	ASSERT_NE(MAP_FAILED, check);

	for (j = 0; j < ARRAY_SIZE(kinds); j++) {
		p = mmap(NULL, self->len, PROT_READ, kinds[j], self->fd, 0);
		ASSERT_NE(MAP_FAILED, p);
		for (i = 0; i < ARRAY_SIZE(offs); i++) {
			pid = fork();
			ASSERT_LE(0, pid);
			if (!pid) {
				signal(SIGSEGV, SIG_DFL);
				p[offs[i]] = 0x5a;
				_exit(0);	/* the store went through */
			}
			ASSERT_EQ(pid, waitpid(pid, &status, 0));
			EXPECT_TRUE(WIFSIGNALED(status) &&
				    WTERMSIG(status) == SIGSEGV)
				TH_LOG("store at %zu (flags 0x%x): status 0x%x",
				       offs[i], kinds[j], status);
		}
		munmap((void *)p, self->len);
	}
	EXPECT_EQ(0, ((const struct ipo_obj_header *)check)->seq);
	EXPECT_TRUE(all_zero(check + 64, self->len - 64));
	munmap((void *)check, self->len);
}

/*
 * /proc/self/mem writes with FOLL_FORCE, which ignores PROT_WRITE on
 * copy-on-write mappings; the object's mappings must not be among them.
 */
TEST_F(map, proc_mem_write_refused)
{
	const int kinds[] = { MAP_SHARED, MAP_PRIVATE };
	const unsigned char *check;
	unsigned char byte = 0x5a;
	int mem;
	size_t j;

	check = ipo_map(self->fd, self->len);
	ASSERT_NE(MAP_FAILED, check);
	mem = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, mem) TH_LOG("/proc/self/mem: %s", strerror(errno));

	for (j = 0; j < ARRAY_SIZE(kinds); j++) {
		unsigned char *p = mmap(NULL, self->len, PROT_READ, kinds[j],
					self->fd, 0);

		ASSERT_NE(MAP_FAILED, p);
		EXPECT_EQ(-1, pwrite(mem, &byte, 1, (off_t)(uintptr_t)(p + 64)))
			TH_LOG("flags 0x%x", kinds[j]);
		EXPECT_EQ(0, p[64]);
		munmap(p, self->len);
	}
	EXPECT_TRUE(all_zero(check + 64, self->len - 64));
	close(mem);
	munmap((void *)check, self->len);
}

/* Nor can a mapping grow past the object afterwards. */
TEST_F(map, mremap_grow_refused)
{
	void *p, *q;

	p = ipo_map(self->fd, self->len);
	ASSERT_NE(MAP_FAILED, p);
	q = mremap(p, self->len, self->len + self->page, MREMAP_MAYMOVE);
	EXPECT_EQ(MAP_FAILED, q);
	munmap(q == MAP_FAILED ? p : q, q == MAP_FAILED ? self->len :
	       self->len + self->page);
}

/* The object lives until the last fd is closed and the last munmap. */
TEST_F(map, outlives_fd)
{
	const struct ipo_obj_header *hdr;
	const unsigned char *p;

	p = ipo_map(self->fd, self->len);
	ASSERT_NE(MAP_FAILED, p);
	hdr = (const void *)p;
	ASSERT_EQ(0, close(self->fd));
	self->fd = -1;
	EXPECT_EQ(self->nr_objs + 1, ipo_nr_objs(self->dev));
	check_header(_metadata, hdr, self->obj_id, variant->data_size);
	EXPECT_EQ(0, p[self->len - 1]);

	ASSERT_EQ(0, munmap((void *)p, self->len));
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
}

/* A name stays taken while only a mapping is left. */
TEST_F(map, name_outlives_fd)
{
	void *p;
	int fd;

	fd = ipo_create(self->dev, "map-name", variant->data_size, 0, 0, NULL);
	ASSERT_LE(0, fd);
	p = ipo_map(fd, self->len);
	ASSERT_NE(MAP_FAILED, p);
	close(fd);
	EXPECT_EQ(-EEXIST, ipo_create(self->dev, "map-name", 1, 0, 0, NULL));
	munmap(p, self->len);
	fd = ipo_create(self->dev, "map-name", 1, 0, 0, NULL);
	EXPECT_LE(0, fd);
	close(fd);
}

/* A forked child reads the same object through the inherited mapping. */
TEST_F(map, inherited_by_child)
{
	const struct ipo_obj_header *hdr;
	int status;
	pid_t pid;

	hdr = ipo_map(self->fd, self->len);
	ASSERT_NE(MAP_FAILED, hdr);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		const unsigned char *p = (const void *)hdr;

		close(self->fd);
		_exit(hdr->obj_id == self->obj_id &&
		      hdr->data_size == variant->data_size &&
		      p[self->len - 1] == 0 ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("status 0x%x", status);
	munmap((void *)hdr, self->len);
}

/* Two mappings show one object, at different addresses. */
TEST_F(map, two_mappings)
{
	const struct ipo_obj_header *a, *b;

	a = ipo_map(self->fd, self->len);
	ASSERT_NE(MAP_FAILED, a);
	b = ipo_map(self->fd, self->len);
	ASSERT_NE(MAP_FAILED, b);
	EXPECT_NE(a, b);
	EXPECT_EQ(self->obj_id, a->obj_id);
	EXPECT_EQ(self->obj_id, b->obj_id);
	munmap((void *)a, self->len);
	EXPECT_EQ(variant->data_size, b->data_size);
	munmap((void *)b, self->len);
}

TEST_HARNESS_MAIN
