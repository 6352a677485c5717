// SPDX-License-Identifier: GPL-2.0
/*
 * Change notifications: a committed bundle notifies every matching
 * subscriber exactly once with the merged mask; an aborted bundle nobody;
 * queues coalesce with an overflow flag; epoll and signals work;
 * revocation and closing subscribers mid-delivery are clean.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>

#include "ipo_test.h"

#define CALL(id)	INSN(0x85, 0, 0, 0, id)

/* notify(*(u64 *)arg); obj[0] = that mask */
static const __u64 m_notify[] = {
	MOV64_REG(6, 1),
	LDX_W(2, 6, C_ARG_SIZE), JLT_IMM(2, 8, 8),
	LDX_DW(3, 6, C_ARG), LDX_DW(1, 3, 0), MOV64_REG(7, 1),
	CALL(IPO_FN_notify),
	LDX_DW(4, 6, C_OBJ), STX_DW(4, 7, 0),
	MOV64_IMM(0, 0), EXIT(),
	MOV64_IMM(0, -22), EXIT(),
};
/* notify(1), then fail */
static const __u64 m_fail[] = {
	MOV64_IMM(1, 1), CALL(IPO_FN_notify), MOV64_IMM(0, -5), EXIT(),
};

FIXTURE(ntf) {
	int dev, obj;
	__u64 obj_id;
	const struct ipo_obj_header *hdr;
};

static int load(int dev, const __u64 *insns, __u32 cnt)
{
	struct ipo_prog_load c;
	char log[2048] = "";

	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.prog_type = IPO_PROG_TYPE_METHOD;
	c.insns = (uintptr_t)insns;
	c.insn_cnt = cnt;
	c.log_buf = (uintptr_t)log;
	c.log_size = sizeof(log);
	if (ipo_ioctl(dev, IPO_PROG_LOAD, &c)) {
		fprintf(stderr, "# load: %s\n", log);
		return -1;
	}
	return c.out_fd;
}

FIXTURE_SETUP(ntf)
{
	struct ipo_obj_set_methods m;
	int progs[2];

	self->dev = ipo_open_dev();
	ASSERT_LE(0, self->dev);
	self->obj = ipo_create(self->dev, NULL, 64, IPO_OBJ_CLOEXEC, 0,
			       &self->obj_id);
	ASSERT_LE(0, self->obj);
	progs[0] = load(self->dev, m_notify, ARRAY_SIZE(m_notify));
	progs[1] = load(self->dev, m_fail, ARRAY_SIZE(m_fail));
	ASSERT_LE(0, progs[0]);
	ASSERT_LE(0, progs[1]);
	memset(&m, 0, sizeof(m));
	m.size = sizeof(m);
	m.obj_fd = self->obj;
	m.nr_methods = 2;
	m.prog_fds = (uintptr_t)progs;
	ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_OBJ_SET_METHODS, &m));
	close(progs[0]);
	close(progs[1]);
	self->hdr = ipo_map(self->obj, 4096);
	ASSERT_NE(MAP_FAILED, self->hdr);
}

FIXTURE_TEARDOWN(ntf)
{
	munmap((void *)self->hdr, 4096);
	close(self->obj);
	close(self->dev);
}

static int subscribe(int dev, int obj, __u64 mask, __u32 qlen, __u32 signo)
{
	struct ipo_subscribe c = {
		.size = sizeof(c), .flags = IPO_SUB_CLOEXEC | IPO_SUB_NONBLOCK,
		.obj_fd = obj, .mask = mask, .queue_len = qlen, .signo = signo,
		.out_fd = -1,
	};

	return ipo_ioctl(dev, IPO_SUBSCRIBE, &c) ?: c.out_fd;
}

/* A bundle of calls to method 0 with these masks, or method 1 if 0. */
static int bundle(int dev, int obj, const __u64 *masks, int n, __u32 flags)
{
	struct ipo_call c[8];
	struct ipo_invoke inv;
	int i;

	memset(c, 0, sizeof(c));
	for (i = 0; i < n; i++) {
		c[i].obj_fd = obj;
		c[i].method = masks[i] ? 0 : 1;
		c[i].arg = (uintptr_t)&masks[i];
		c[i].arg_size = masks[i] ? 8 : 0;
	}
	memset(&inv, 0, sizeof(inv));
	inv.size = sizeof(inv);
	inv.flags = flags;
	inv.nr_calls = n;
	inv.call_size = sizeof(c[0]);
	inv.calls = (uintptr_t)c;
	return ipo_ioctl(dev, IPO_INVOKE, &inv);
}

static int read_events(int fd, struct ipo_event *ev, int max)
{
	ssize_t n = read(fd, ev, max * sizeof(*ev));

	return n < 0 ? -errno : (int)(n / sizeof(*ev));
}

TEST_F(ntf, many_subscribers_once_each)
{
	static const __u64 masks[] = { 1, 2, 4 };
	struct ipo_event ev[4];
	int subs[64], i;

	for (i = 0; i < 64; i++) {
		subs[i] = subscribe(self->dev, self->obj, ~0ULL, 0, 0);
		ASSERT_LE(0, subs[i]);
	}
	ASSERT_EQ(0, bundle(self->dev, self->obj, masks, 3, 0));
	for (i = 0; i < 64; i++) {
		ASSERT_EQ(1, read_events(subs[i], ev, 4)) TH_LOG("sub %d", i);
		EXPECT_EQ(self->obj_id, ev[0].obj_id);
		EXPECT_EQ(7, ev[0].mask);
		EXPECT_EQ(self->hdr->seq, ev[0].seq);
		EXPECT_EQ(0, ev[0].flags);
		EXPECT_EQ(-EAGAIN, read_events(subs[i], ev, 4));
		close(subs[i]);
	}
}

TEST_F(ntf, aborted_bundle_notifies_nobody)
{
	static const __u64 masks[] = { 8, 0 };
	struct ipo_event ev[2];
	int sub = subscribe(self->dev, self->obj, ~0ULL, 0, 0);

	ASSERT_LE(0, sub);
	EXPECT_EQ(-EIO, bundle(self->dev, self->obj, masks, 2,
			       IPO_INVOKE_ATOMIC));
	EXPECT_EQ(-EAGAIN, read_events(sub, ev, 2));
	/* Stop-at-error: the first call committed, the failing one not. */
	EXPECT_EQ(-EIO, bundle(self->dev, self->obj, masks, 2, 0));
	ASSERT_EQ(1, read_events(sub, ev, 2));
	EXPECT_EQ(8, ev[0].mask);	/* not the failing call's 1 */
	close(sub);
}

TEST_F(ntf, mask_filtering)
{
	static const __u64 m1[] = { 1 }, m3[] = { 3 };
	struct ipo_event ev[2];
	int sub = subscribe(self->dev, self->obj, 2, 0, 0);

	ASSERT_LE(0, sub);
	ASSERT_EQ(0, bundle(self->dev, self->obj, m1, 1, 0));
	EXPECT_EQ(-EAGAIN, read_events(sub, ev, 2));
	ASSERT_EQ(0, bundle(self->dev, self->obj, m3, 1, 0));
	ASSERT_EQ(1, read_events(sub, ev, 2));
	EXPECT_EQ(2, ev[0].mask);
	close(sub);
}

TEST_F(ntf, overflow_coalesces)
{
	__u64 m[1];
	struct ipo_event ev[4];
	int sub = subscribe(self->dev, self->obj, ~0ULL, 2, 0), i;

	ASSERT_LE(0, sub);
	for (i = 0; i < 5; i++) {
		m[0] = 1ULL << i;
		ASSERT_EQ(0, bundle(self->dev, self->obj, m, 1, 0));
	}
	ASSERT_EQ(2, read_events(sub, ev, 4));
	EXPECT_EQ(1, ev[0].mask);
	EXPECT_EQ(0, ev[0].flags);
	EXPECT_EQ(2 | 4 | 8 | 16, ev[1].mask);
	EXPECT_EQ(IPO_EVENT_OVERFLOW, ev[1].flags);
	EXPECT_EQ(self->hdr->seq, ev[1].seq);
	close(sub);
}

TEST_F(ntf, epoll_wakes)
{
	static const __u64 m[] = { 1 };
	struct epoll_event e = { .events = EPOLLIN }, out;
	int sub = subscribe(self->dev, self->obj, ~0ULL, 0, 0);
	int ep = epoll_create1(EPOLL_CLOEXEC);

	ASSERT_LE(0, sub);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, sub, &e));
	EXPECT_EQ(0, epoll_wait(ep, &out, 1, 0));
	ASSERT_EQ(0, bundle(self->dev, self->obj, m, 1, 0));
	EXPECT_EQ(1, epoll_wait(ep, &out, 1, 1000));
	EXPECT_TRUE(out.events & EPOLLIN);
	close(ep);
	close(sub);
}

static volatile __u64 sig_obj;
static volatile int sig_count;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	sig_obj = (__u64)(uintptr_t)si->si_ptr;
	sig_count++;
}

TEST_F(ntf, signal_carries_object_id)
{
	static const __u64 m[] = { 1 };
	struct sigaction sa = { .sa_sigaction = on_signal,
				.sa_flags = SA_SIGINFO };
	int sub, i;

	ASSERT_EQ(0, sigaction(SIGRTMIN + 1, &sa, NULL));
	sub = subscribe(self->dev, self->obj, ~0ULL, 0, SIGRTMIN + 1);
	ASSERT_LE(0, sub);
	ASSERT_EQ(0, bundle(self->dev, self->obj, m, 1, 0));
	for (i = 0; i < 100 && !sig_count; i++)
		usleep(10000);
	EXPECT_EQ(1, sig_count);
	EXPECT_EQ(self->obj_id, sig_obj);
	close(sub);
}

TEST_F(ntf, revocation_stops_delivery)
{
	static const __u64 m[] = { 1 };
	struct ipo_handle_derive d = {
		.size = sizeof(d), .obj_fd = self->obj,
		.rights = IPO_RIGHT_NOTIFY, .out_fd = -1,
	};
	struct ipo_handle_revoke r = { .size = sizeof(r), .obj_fd = self->obj,
				       .flags = IPO_REVOKE_ALL };
	struct ipo_event ev[2];
	int sub, ro;

	ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_HANDLE_DERIVE, &d));
	sub = subscribe(self->dev, d.out_fd, ~0ULL, 0, 0);
	ASSERT_LE(0, sub);
	ASSERT_EQ(0, bundle(self->dev, self->obj, m, 1, 0));
	ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_HANDLE_REVOKE, &r));
	ASSERT_EQ(0, bundle(self->dev, self->obj, m, 1, 0));
	EXPECT_EQ(1, read_events(sub, ev, 2));	/* the one before */
	EXPECT_EQ(-EPERM, read_events(sub, ev, 2));
	EXPECT_EQ(-EPERM, subscribe(self->dev, d.out_fd, 1, 0, 0));
	close(sub);
	close(d.out_fd);

	/* No NOTIFY right, no subscription. */
	d.rights = IPO_RIGHT_READ;
	ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_HANDLE_DERIVE, &d));
	ro = d.out_fd;
	EXPECT_EQ(-EPERM, subscribe(self->dev, ro, 1, 0, 0));
	close(ro);
}

struct churn { int dev, obj; volatile int stop; };

static void *churn_subs(void *p)
{
	struct churn *c = p;

	while (!c->stop) {
		int s = subscribe(c->dev, c->obj, ~0ULL, 1, 0);

		if (s >= 0)
			close(s);
	}
	return NULL;
}

TEST_F(ntf, subscribers_come_and_go_during_delivery)
{
	static const __u64 m[] = { 1 };
	struct churn c = { .dev = self->dev, .obj = self->obj };
	pthread_t t[2];
	int i;

	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, churn_subs, &c));
	for (i = 0; i < 2000; i++)
		ASSERT_EQ(0, bundle(self->dev, self->obj, m, 1, 0));
	c.stop = 1;
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
}

TEST_F(ntf, bad_arguments)
{
	EXPECT_EQ(-EINVAL, subscribe(self->dev, self->obj, 0, 0, 0));
	EXPECT_EQ(-EINVAL, subscribe(self->dev, self->obj, 1,
				     IPO_SUB_QUEUE_MAX + 1, 0));
	EXPECT_EQ(-EINVAL, subscribe(self->dev, self->obj, 1, 0, 65));
	EXPECT_EQ(-EINVAL, subscribe(self->dev, self->obj, 1, 0, SIGKILL));
	EXPECT_EQ(-EBADF, subscribe(self->dev, 9999, 1, 0, 0));
	EXPECT_EQ(-EINVAL, subscribe(self->dev, self->dev, 1, 0, 0));
}

TEST_HARNESS_MAIN
