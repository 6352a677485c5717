// SPDX-License-Identifier: GPL-2.0
/*
 * Many objects from several processes and threads at once: ids stay unique,
 * each mapping shows its own object, a contested name goes to exactly one
 * creator, and everything is freed in the end.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/wait.h>

#include "ipo_test.h"

#define NR_PROCS	4
#define OBJS_PER_PROC	200
#define NR_THREADS	8
#define OBJS_PER_THREAD	100
#define NR_RACE_NAMES	64

FIXTURE(stress) {
	int dev;
	long nr_objs;
};

FIXTURE_SETUP(stress)
{
	struct ipo_info info;

	self->dev = ipo_open_dev();
	ASSERT_LE(0, self->dev) TH_LOG("open %s: %s", IPO_DEV, strerror(errno));
	ASSERT_EQ(0, ipo_get_info(self->dev, &info));
	self->nr_objs = info.nr_objs;
	if (info.max_objs_per_user < self->nr_objs +
	    NR_PROCS * OBJS_PER_PROC)
		SKIP(return, "max_objs_per_user %u is too low",
		     info.max_objs_per_user);
}

FIXTURE_TEARDOWN(stress)
{
	close(self->dev);
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

/* Creates, maps and checks @n objects; 0 or the number of the failed step. */
static int make_objects(int dev, int who, int n, __u64 *ids)
{
	size_t page = ipo_page_size();
	int fds[OBJS_PER_PROC];
	void *maps[OBJS_PER_PROC];
	int i, ret = 0;

	for (i = 0; i < n; i++) {
		char name[IPO_NAME_MAX];
		__u64 size = 1 + (i * 997) % (3 * page);

		/* Half named, half anonymous. */
		name[0] = '\0';
		if (!(i & 1))
			snprintf(name, sizeof(name), "stress-%d-%d", who, i);
		fds[i] = ipo_create(dev, name, size, 0, 0, &ids[i]);
		if (fds[i] < 0)
			return 1;
		maps[i] = ipo_map(fds[i], ipo_map_size(size));
		if (maps[i] == MAP_FAILED)
			return 2;
	}
	for (i = 0; i < n; i++) {
		const struct ipo_obj_header *hdr = maps[i];
		__u64 size = 1 + (i * 997) % (3 * page);
		const unsigned char *last = (const unsigned char *)hdr +
					    ipo_map_size(size) - 1;

		if (hdr->obj_id != ids[i] || hdr->data_size != size ||
		    hdr->seq != 0 || *last != 0)
			ret = 3;
		munmap(maps[i], ipo_map_size(size));
		close(fds[i]);
	}
	return ret;
}

TEST_F_TIMEOUT(stress, many_processes, 180)
{
	const int total = NR_PROCS * OBJS_PER_PROC;
	pid_t pids[NR_PROCS];
	__u64 *ids;
	int p, i, status;

	ids = mmap(NULL, total * sizeof(*ids), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ids);

	for (p = 0; p < NR_PROCS; p++) {
		pids[p] = fork();
		ASSERT_LE(0, pids[p]);
		if (!pids[p]) {
			int dev = ipo_open_dev();

			_exit(dev < 0 ? 9 : make_objects(dev, p, OBJS_PER_PROC,
						ids + p * OBJS_PER_PROC));
		}
	}
	for (p = 0; p < NR_PROCS; p++) {
		ASSERT_EQ(pids[p], waitpid(pids[p], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("process %d: status 0x%x", p, status);
	}

	qsort(ids, total, sizeof(*ids), cmp_u64);
	for (i = 1; i < total; i++) {
		EXPECT_NE(ids[i - 1], ids[i])
			TH_LOG("id %llu twice", (unsigned long long)ids[i]);
	}
	EXPECT_NE(0, ids[total - 1]);
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
	munmap(ids, total * sizeof(*ids));
}

struct race {
	atomic_int start;
	atomic_int won[NR_RACE_NAMES];
	atomic_int lost[NR_RACE_NAMES];
	atomic_int other_errors;
	atomic_int done;
};

/* Every process tries every name; the objects are kept until all tried. */
static void race_child(struct race *r, int who)
{
	int fds[NR_RACE_NAMES];
	int dev = ipo_open_dev();
	int i;

	while (!atomic_load(&r->start))
		;
	for (i = 0; i < NR_RACE_NAMES; i++) {
		char name[IPO_NAME_MAX];
		int n = (i + who * 7) % NR_RACE_NAMES;

		snprintf(name, sizeof(name), "race-%d", n);
		fds[i] = ipo_create(dev, name, 64, 0, 0, NULL);
		if (fds[i] >= 0)
			atomic_fetch_add(&r->won[n], 1);
		else if (fds[i] == -EEXIST)
			atomic_fetch_add(&r->lost[n], 1);
		else
			atomic_fetch_add(&r->other_errors, 1);
	}
	atomic_fetch_add(&r->done, 1);
	while (atomic_load(&r->done) < NR_PROCS)
		usleep(1000);
	_exit(0);
}

TEST_F_TIMEOUT(stress, name_race, 120)
{
	pid_t pids[NR_PROCS];
	struct race *r;
	int p, i, status;

	r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, r);
	memset(r, 0, sizeof(*r));
	for (p = 0; p < NR_PROCS; p++) {
		pids[p] = fork();
		ASSERT_LE(0, pids[p]);
		if (!pids[p])
			race_child(r, p);
	}
	atomic_store(&r->start, 1);
	/* Braces: the harness's ASSERT/EXPECT are more than one statement. */
	for (p = 0; p < NR_PROCS; p++) {
		ASSERT_EQ(pids[p], waitpid(pids[p], &status, 0));
	}

	EXPECT_EQ(0, atomic_load(&r->other_errors));
	for (i = 0; i < NR_RACE_NAMES; i++) {
		EXPECT_EQ(1, atomic_load(&r->won[i])) TH_LOG("race-%d", i);
		EXPECT_EQ(NR_PROCS - 1, atomic_load(&r->lost[i]));
	}
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
	munmap(r, sizeof(*r));
}

struct thread_arg {
	int dev;
	int failures;
	__u64 ids[OBJS_PER_THREAD];
};

/* Create, map, check, close in a loop, with the others doing the same. */
static void *churn_thread(void *p)
{
	struct thread_arg *t = p;
	int i;

	for (i = 0; i < OBJS_PER_THREAD; i++) {
		const struct ipo_obj_header *hdr;
		int fd;

		fd = ipo_create(t->dev, NULL, 100 + i, 0, 0, &t->ids[i]);
		if (fd < 0) {
			t->failures++;
			continue;
		}
		hdr = ipo_map(fd, ipo_map_size(100 + i));
		close(fd);
		if (hdr == MAP_FAILED) {
			t->failures++;
			continue;
		}
		if (hdr->obj_id != t->ids[i] || hdr->data_size != 100 + i)
			t->failures++;
		munmap((void *)hdr, ipo_map_size(100 + i));
	}
	return NULL;
}

TEST_F_TIMEOUT(stress, threads, 120)
{
	struct thread_arg *args;
	pthread_t threads[NR_THREADS];
	__u64 *ids;
	int i, j, n = 0;

	args = calloc(NR_THREADS, sizeof(*args));
	ids = calloc(NR_THREADS * OBJS_PER_THREAD, sizeof(*ids));
	ASSERT_NE(NULL, args);
	ASSERT_NE(NULL, ids);
	for (i = 0; i < NR_THREADS; i++) {
		args[i].dev = self->dev;
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, churn_thread,
					    &args[i]));
	}
	for (i = 0; i < NR_THREADS; i++) {
		ASSERT_EQ(0, pthread_join(threads[i], NULL));
		EXPECT_EQ(0, args[i].failures) TH_LOG("thread %d", i);
		for (j = 0; j < OBJS_PER_THREAD; j++)
			ids[n++] = args[i].ids[j];
	}
	qsort(ids, n, sizeof(*ids), cmp_u64);
	for (i = 1; i < n; i++) {
		EXPECT_NE(ids[i - 1], ids[i]);
	}
	EXPECT_EQ(self->nr_objs, ipo_nr_objs(self->dev));
	free(ids);
	free(args);
}

TEST_HARNESS_MAIN
