// SPDX-License-Identifier: GPL-2.0
/*
 * The JIT's code pool: each user's programs hold at most jit_user_share
 * bytes of it, so one user filling its share gets the interpreter (or
 * ENOSPC with IPO_PROG_JIT_ONLY) while another user's next program is
 * still compiled; PROG_LOAD, IPO_LIST and GET_INFO say which engine a
 * program got and why; the largest program max_prog_insns allows
 * JIT-compiles; the pool and the shares return to zero after the programs
 * are closed.  Needs root (module parameters, setuid).
 */
#include <sys/wait.h>

#include "ipo_test.h"

#define USER_A		1000
#define USER_B		1001
#define SMALL_SHARE	(64 << 10)

static unsigned long long default_share;

/* Sets jit_user_share, remembering the module's own value once. */
static int set_share(unsigned long long v)
{
	if (!default_share && ipo_param_read("jit_user_share", &default_share))
		return -1;
	return ipo_param_write("jit_user_share", v);
}

static int restore_share(void)
{
	return ipo_param_write("jit_user_share", default_share);
}

struct loaded {
	int fd;
	__u32 jit_reason;
	__u32 jit_size;
	__u32 out_flags;
};

/* r0 = 0; r0 += 1 (@n times); exit: @n + 2 instructions. */
static __u64 *straight(__u32 n, __u32 *cnt)
{
	__u64 *p = calloc(n + 2, sizeof(*p));
	__u32 i;

	if (!p)
		return NULL;
	p[0] = MOV64_IMM(0, 0);
	for (i = 0; i < n; i++)
		p[1 + i] = ADD64_IMM(0, 1);
	p[n + 1] = EXIT();
	*cnt = n + 2;
	return p;
}

static int load(int dev, const __u64 *insns, __u32 cnt, __u32 flags,
		struct loaded *l)
{
	struct ipo_prog_load c;
	int ret;

	ret = ipo_load_method(dev, insns, cnt, flags | IPO_PROG_CLOEXEC, &c);
	l->fd = ret;
	l->jit_reason = c.jit_reason;
	l->jit_size = c.jit_size;
	l->out_flags = c.out_flags;
	return ret < 0 ? ret : 0;
}

static int info(int dev, struct ipo_info *i)
{
	return ipo_get_info(dev, i);
}

/* Waits (up to 5 s) until the caller's share and the pool drop to @want. */
static int wait_released(int dev, __u64 pool_want)
{
	struct ipo_info i;
	int n;

	for (n = 0; n < 500; n++) {
		if (!info(dev, &i) && !i.jit_user_used &&
		    i.jit_pool_used <= pool_want)
			return 0;
		usleep(10000);
	}
	return -1;
}

/*
 * User A loads programs of ~4 KiB of code each until its share is used
 * up, then its next program runs on the interpreter (IPO_JIT_USER_SHARE)
 * and fails with ENOSPC under IPO_PROG_JIT_ONLY.  Exit status: 0 fine,
 * else which step failed.
 */
static int user_a(int dev)
{
	struct loaded l[64], extra;
	struct ipo_info i;
	__u64 *p;
	__u32 cnt;
	int n, jited = 0, ret = 0;

	if (setgid(USER_A) || setuid(USER_A))
		return 10;
	p = straight(1000, &cnt);
	if (!p)
		return 11;
	for (n = 0; n < 64; n++) {
		if (load(dev, p, cnt, 0, &l[n]))
			return 12;
		if (l[n].jit_reason != IPO_JIT_OK)
			break;
		if (!(l[n].out_flags & IPO_PROG_JITED) || !l[n].jit_size)
			return 13;
		jited++;
	}
	fprintf(stderr, "# user A: %d programs of %u bytes compiled, then %u\n",
		jited, l[0].jit_size, n < 64 ? l[n].jit_reason : 0);
	if (n == 64 || !jited)
		return 14;
	if (l[n].jit_reason != IPO_JIT_USER_SHARE || l[n].jit_size ||
	    (l[n].out_flags & IPO_PROG_JITED))
		return 15;
	if (info(dev, &i) || i.jit_user_share != SMALL_SHARE ||
	    i.jit_user_used > SMALL_SHARE || !i.jit_user_used)
		return 16;
	if (load(dev, p, cnt, IPO_PROG_JIT_ONLY, &extra) != -ENOSPC ||
	    extra.jit_reason != IPO_JIT_USER_SHARE)
		return 17;
	/* Tell the parent, then hold everything until it says so. */
	if (write(100, "a", 1) != 1 || read(101, &ret, 1) != 1)
		return 18;
	return 0;
}

/* Every test leaves the parameters as it found them. */
FIXTURE(share) {
	int unused;
};

FIXTURE_SETUP(share)
{
	if (!default_share)
		ASSERT_EQ(0, ipo_param_read("jit_user_share", &default_share));
}

FIXTURE_TEARDOWN(share)
{
	restore_share();
	ipo_param_write_str("jit", "Y");
}

TEST_F(share, two_users_fair_share)
{
	int dev = ipo_open_dev(), ab[2], ba[2], status;
	struct loaded lb;
	__u64 *p;
	__u32 cnt;
	pid_t a, b;
	char c;

	ASSERT_LE(0, dev);
	ASSERT_EQ(0, set_share(SMALL_SHARE));
	ASSERT_EQ(0, pipe(ab));
	ASSERT_EQ(0, pipe(ba));
	a = fork();
	ASSERT_LE(0, a);
	if (!a) {
		dup2(ab[1], 100);
		dup2(ba[0], 101);
		_exit(user_a(dev));
	}
	close(ab[1]);
	close(ba[0]);
	if (read(ab[0], &c, 1) != 1) {
		waitpid(a, &status, 0);
		ASSERT_TRUE(0) TH_LOG("user A failed early: status %d",
				      WEXITSTATUS(status));
	}

	/* A holds its whole share: B's program is still compiled. */
	b = fork();
	ASSERT_LE(0, b);
	if (!b) {
		if (setgid(USER_B) || setuid(USER_B))
			_exit(20);
		p = straight(1000, &cnt);
		if (!p || load(dev, p, cnt, IPO_PROG_JIT_ONLY, &lb))
			_exit(21);
		_exit(lb.jit_reason == IPO_JIT_OK ? 0 : 22);
	}
	ASSERT_EQ(b, waitpid(b, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("user B: status %d", WEXITSTATUS(status));

	ASSERT_EQ(1, write(ba[1], "b", 1));
	ASSERT_EQ(a, waitpid(a, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("user A: status %d", WEXITSTATUS(status));
	ASSERT_EQ(0, restore_share());
	close(dev);
}

/* Code larger than a share never competes for it: IPO_JIT_TOO_BIG. */
TEST_F(share, larger_than_a_share)
{
	int dev = ipo_open_dev();
	struct loaded l;
	__u64 *p;
	__u32 cnt;

	ASSERT_LE(0, dev);
	ASSERT_EQ(0, set_share(SMALL_SHARE));
	p = straight(SMALL_SHARE / 2, &cnt);	/* > 4 bytes an insn */
	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, load(dev, p, cnt, 0, &l));
	EXPECT_EQ(IPO_JIT_TOO_BIG, l.jit_reason);
	EXPECT_EQ(0, l.jit_size);
	close(l.fd);
	EXPECT_EQ(-ENOSPC, load(dev, p, cnt, IPO_PROG_JIT_ONLY, &l));
	EXPECT_EQ(IPO_JIT_TOO_BIG, l.jit_reason);
	/* Asked for, and jit=0, say so too. */
	free(p);
	p = straight(2, &cnt);
	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, load(dev, p, cnt, IPO_PROG_INTERP, &l));
	EXPECT_EQ(IPO_JIT_ASKED, l.jit_reason);
	close(l.fd);
	ASSERT_EQ(0, ipo_param_write_str("jit", "N"));
	ASSERT_EQ(0, load(dev, p, cnt, 0, &l));
	EXPECT_EQ(IPO_JIT_DISABLED, l.jit_reason);
	close(l.fd);
	ASSERT_EQ(0, ipo_param_write_str("jit", "Y"));
	ASSERT_EQ(0, restore_share());
	free(p);
	close(dev);
}

/*
 * With the default share, the largest program max_prog_insns allows
 * (straight-line code) is JIT-compiled, listed as such, and its space
 * comes back when it is closed.
 */
TEST_F_TIMEOUT(share, largest_program_compiles, 300)
{
	int dev = ipo_open_dev();
	struct ipo_prog_entry e[1];
	struct ipo_info i;
	struct ipo_list ls;
	struct loaded l;
	__u64 *p, before;
	__u32 cnt;

	ASSERT_LE(0, dev);
	ASSERT_EQ(0, info(dev, &i));
	before = i.jit_pool_used;
	p = straight(i.max_prog_insns - 2, &cnt);
	ASSERT_NE(NULL, p);
	ASSERT_EQ(i.max_prog_insns, cnt);
	ASSERT_EQ(0, load(dev, p, cnt, IPO_PROG_JIT_ONLY, &l))
		TH_LOG("jit_reason %u", l.jit_reason);
	EXPECT_EQ(IPO_JIT_OK, l.jit_reason);
	fprintf(stderr, "# %u instructions: %u bytes of code (share %llu, pool %llu)\n",
		cnt, l.jit_size, (unsigned long long)i.jit_user_share,
		(unsigned long long)i.jit_pool_size);
	ASSERT_EQ(0, info(dev, &i));
	EXPECT_LE(l.jit_size, i.jit_user_used);

	memset(&ls, 0, sizeof(ls));
	ls.size = sizeof(ls);
	ls.kind = IPO_LIST_PROGS;
	ls.entry_size = sizeof(e[0]);
	ls.entries = (uintptr_t)e;
	ls.max_entries = 1;
	ASSERT_EQ(0, ipo_ioctl(dev, IPO_LIST, &ls));
	ASSERT_EQ(1, ls.nr_entries);
	EXPECT_EQ(IPO_PROG_ENTRY_JITED, e[0].flags);
	EXPECT_EQ(l.jit_size, e[0].jit_size);
	EXPECT_EQ(IPO_JIT_OK, e[0].jit_reason);

	close(l.fd);
	free(p);
	EXPECT_EQ(0, wait_released(dev, before));
	close(dev);
}

TEST_HARNESS_MAIN
