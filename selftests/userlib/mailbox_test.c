// SPDX-License-Identifier: GPL-2.0
/*
 * The mailbox program (progs/mailbox.c) in the kernel, through libipo:
 * producers and consumers in several processes and threads at once; every
 * message arrives exactly once, each consumer sees sequence numbers rise,
 * and the object's invariants hold in the end.
 */
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "libipo.h"
#include "mailbox.h"

#define MAILBOX_O	"/ipo/progs/mailbox.o"
#define PRODUCERS	3	/* processes, two threads each */
#define PER_THREAD	300
#define CONSUMERS	2	/* processes, one thread each */
#define TOTAL		(PRODUCERS * 2 * PER_THREAD)

struct shared {
	int received[PRODUCERS][2][PER_THREAD];
	int out_of_order;
	int errors;
};

struct env {
	struct ipo_dev *dev;
	int obj, put, get;
	struct shared *sh;
	int producer, thread;
};

static void *producer(void *p)
{
	struct env *e = p;
	struct put_args a = { .len = 3 };
	__u64 seq;
	int i, err;

	for (i = 0; i < PER_THREAD; i++) {
		struct ipo_bundle *b = ipo_bundle_new(e->dev);

		a.data[0] = e->producer;
		a.data[1] = e->thread;
		a.data[2] = 0;
		memcpy(&a.data[4], &i, sizeof(i));
		a.len = 8;
		ipo_bundle_add_call(b, e->obj, e->put, &a, sizeof(a), &seq,
				    sizeof(seq));
		while ((err = ipo_bundle_submit(b, 0, 0)) == -ENOSPC)
			sched_yield();
		if (err)
			__atomic_add_fetch(&e->sh->errors, 1, __ATOMIC_RELAXED);
		ipo_bundle_free(b);
	}
	return NULL;
}

static void consume(struct env *e)
{
	struct ipo_bundle *b = ipo_bundle_new(e->dev);
	struct mailbox_msg m;
	__u64 last = 0;
	int got, err, idle = 0;

	ipo_bundle_add_call(b, e->obj, e->get, NULL, 0, &m, sizeof(m));
	for (;;) {
		got = 0;
		for (int k = 0; k < PRODUCERS; k++)
			for (int t = 0; t < 2; t++)
				for (int i = 0; i < PER_THREAD; i++)
					got += __atomic_load_n(&e->sh->received[k][t][i],
							       __ATOMIC_RELAXED);
		if (got >= TOTAL || idle > 2000000)
			break;
		err = ipo_bundle_submit(b, 0, 0);
		if (err == -ENOENT) {
			idle++;
			sched_yield();
			continue;
		}
		if (err) {
			__atomic_add_fetch(&e->sh->errors, 1, __ATOMIC_RELAXED);
			continue;
		}
		idle = 0;
		if (m.seq <= last)
			__atomic_add_fetch(&e->sh->out_of_order, 1,
					   __ATOMIC_RELAXED);
		last = m.seq;
		if (m.len == 8 && m.data[0] < PRODUCERS && m.data[1] < 2) {
			int i;

			memcpy(&i, &m.data[4], sizeof(i));
			if (i >= 0 && i < PER_THREAD)
				__atomic_add_fetch(&e->sh->received[m.data[0]][m.data[1]][i],
						   1, __ATOMIC_RELAXED);
		} else {
			__atomic_add_fetch(&e->sh->errors, 1, __ATOMIC_RELAXED);
		}
	}
	ipo_bundle_free(b);
}

TEST(mailbox_many_producers_and_consumers)
{
	struct ipo_prog_obj *po;
	struct mailbox mb;
	struct ipo_view *v;
	struct env e = {};
	int n, p, status, k, t, i;

	e.dev = ipo_dev_open();
	ASSERT_NE(NULL, e.dev);
	po = ipo_prog_obj_open(MAILBOX_O, NULL);
	ASSERT_NE(NULL, po) TH_LOG("open %s: %s", MAILBOX_O, strerror(errno));
	e.obj = ipo_obj_create(e.dev, sizeof(struct mailbox), NULL, NULL);
	ASSERT_LE(0, e.obj);
	n = ipo_obj_attach_prog_obj(e.dev, e.obj, po, NULL);
	ASSERT_EQ(2, n);
	e.put = ipo_prog_obj__method_index(po, "put");
	e.get = ipo_prog_obj__method_index(po, "get");
	ASSERT_LE(0, e.put);
	ASSERT_LE(0, e.get);
	e.sh = mmap(NULL, sizeof(*e.sh), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, e.sh);

	for (p = 0; p < PRODUCERS + CONSUMERS; p++) {
		pid_t pid = fork();

		ASSERT_LE(0, pid);
		if (pid)
			continue;
		if (p < PRODUCERS) {
			struct env e2 = e;
			pthread_t th;

			e.producer = e2.producer = p;
			e2.thread = 1;
			pthread_create(&th, NULL, producer, &e2);
			producer(&e);
			pthread_join(th, NULL);
		} else {
			consume(&e);
		}
		_exit(0);
	}
	for (p = 0; p < PRODUCERS + CONSUMERS; p++) {
		ASSERT_LT(0, wait(&status));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	}

	EXPECT_EQ(0, e.sh->errors);
	EXPECT_EQ(0, e.sh->out_of_order);
	for (k = 0; k < PRODUCERS; k++)
		for (t = 0; t < 2; t++)
			for (i = 0; i < PER_THREAD; i++)
				if (e.sh->received[k][t][i] != 1) {
					EXPECT_EQ(1, e.sh->received[k][t][i])
						TH_LOG("message %d/%d/%d", k, t, i);
					goto done;
				}
done:
	v = ipo_view_map(e.obj);
	ASSERT_NE(NULL, v);
	ASSERT_LE(0, ipo_view_snapshot(v, 0, &mb, sizeof(mb)));
	EXPECT_EQ(0, mb.count);
	EXPECT_EQ(TOTAL, mb.next_seq);
	ipo_view_unmap(v);
	close(e.obj);
	ipo_prog_obj__close(po);
	ipo_dev_close(e.dev);
}

TEST_HARNESS_MAIN
