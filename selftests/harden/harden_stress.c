// SPDX-License-Identifier: GPL-2.0
/*
 * harden_stress: many processes doing everything at once, some killed
 * with SIGKILL at random, with invariants checked all along (in the VM,
 * module loaded).
 *
 *   harden_stress [--procs P] [--time SEC] [--kill-ms MS] [--seed S]
 *
 * P workers (default 8) for SEC seconds (default 60) each loop over:
 *   - object churn: create an object (named or not), load programs, set a
 *     method table, invoke it (the output must be the expected total),
 *     subscribe, derive a handle, pass it to itself over a Unix socket
 *     (SCM_RIGHTS), invoke through the received copy, revoke it: then
 *     both copies must fail with EPERM; close everything;
 *   - counter bundles: atomic or stop-at-error bundles of add(1) over 1-3
 *     of the shared counter objects, each commit recorded in shared
 *     memory (in flight before the call, committed after);
 *   - program churn and PROG_TEST_RUN; IPO_LIST; subscriptions on the
 *     shared counters.
 * Every MS milliseconds (default 300; 0: never) a random worker is killed
 * with SIGKILL and a new one takes its place.  Meanwhile the parent reads
 * the counters through their mappings: a snapshot has an even seq, the
 * two words every add writes are equal, and a counter never goes down.
 * At the end each counter must hold at least the increments its writers
 * saw commit and at most those plus the ones in flight when a writer was
 * killed; and once everything is closed no object or program may be left.
 * Prints the operation counts; exits 1 on a violation.
 */
#include <sys/socket.h>
#include <sys/uio.h>

#include "harden.h"
#include "selftests/tap.h"

#define MAX_WORKERS	64
#define NR_COUNTERS	4

enum { OP_CHURN, OP_BUNDLE, OP_PROG, OP_LIST, OP_SUB, NR_OPS };
static const char *const op_names[NR_OPS] = {
	"object churn", "counter bundles", "program churn", "lists",
	"subscriptions",
};

struct shm {
	long committed[NR_COUNTERS];
	long inflight[NR_COUNTERS];
	long ops[NR_OPS];
	long calls;			/* ioctls made */
	long violations;
	char msg[256];
};

static struct shm *shm;
static int counter_fd[NR_COUNTERS];
static const struct ipo_obj_header *counter_map[NR_COUNTERS];
static __u64 rng;

static __u64 rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static void violation(const char *fmt, ...)
{
	va_list ap;
	char buf[256];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (__atomic_fetch_add(&shm->violations, 1, __ATOMIC_RELAXED) == 0)
		memcpy(shm->msg, buf, sizeof(buf));
	printf("# VIOLATION: %s\n", buf);
}

static void count(int op)
{
	__atomic_add_fetch(&shm->ops[op], 1, __ATOMIC_RELAXED);
}

static void calls(int n)
{
	__atomic_add_fetch(&shm->calls, n, __ATOMIC_RELAXED);
}

/* Sends @fd to the other end of @sv and receives it there. */
static int pass_fd(int sv[2], int fd)
{
	char c = 'x', cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr m = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
	int out = -1;

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (sendmsg(sv[0], &m, 0) != 1)
		return -1;
	memset(cbuf, 0, sizeof(cbuf));
	m.msg_controllen = sizeof(cbuf);
	if (recvmsg(sv[1], &m, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&m);
	if (cm && cm->cmsg_type == SCM_RIGHTS)
		memcpy(&out, CMSG_DATA(cm), sizeof(int));
	return out;
}

static int add_once(int dev, int fd, __u64 delta, __u64 *out)
{
	struct ipo_call c;

	h_call(&c, fd, 0, &delta, out);
	return ipo_invoke(dev, &c, 1, 0, 0, NULL);
}

static void op_churn(int dev, int sv[2])
{
	char name[IPO_NAME_MAX] = "";
	int obj, prog, sub = -1, d = -1, r = -1, fds[2], ret;
	__u32 hid = 0;
	__u64 out = 0, i, n = 1 + rnd() % 4;

	if (rnd() & 1)
		snprintf(name, sizeof(name), "st-%d-%llu", getpid(),
			 (unsigned long long)(rnd() % 8));
	obj = ipo_create(dev, name, 16 + rnd() % 8192, IPO_OBJ_CLOEXEC, 0600,
			 NULL);
	prog = h_load(dev, ipo_m_add, ARRAY_LEN(ipo_m_add),
		      rnd() & 1 ? IPO_PROG_INTERP : 0);
	calls(2);
	if (obj < 0 || prog < 0) {
		/* EEXIST too: this process closed its last one of the name. */
		violation("churn: create %d load %d", obj, prog);
		goto out;
	}
	fds[0] = prog;
	fds[1] = prog;
	ret = h_set_methods(dev, obj, fds, 2);
	calls(1);
	if (ret) {
		violation("churn: SET_METHODS %d", ret);
		goto out;
	}
	for (i = 1; i <= n; i++) {
		ret = add_once(dev, obj, i, &out);
		calls(1);
		if (ret || out != i * (i + 1) / 2) {
			violation("churn: add -> %d, total %llu", ret,
				  (unsigned long long)out);
			goto out;
		}
	}
	sub = h_subscribe(dev, obj, ~0ULL);
	calls(1);
	d = ipo_derive(dev, obj, IPO_RIGHT_INVOKE, 1, &hid);
	calls(1);
	if (d < 0 || sub < 0) {
		violation("churn: derive %d subscribe %d", d, sub);
		goto out;
	}
	r = pass_fd(sv, d);
	if (r < 0) {
		violation("churn: passing a handle failed");
		goto out;
	}
	ret = add_once(dev, r, 1, NULL);
	calls(1);
	if (ret) {
		violation("churn: passed handle: %d", ret);
		goto out;
	}
	ret = ipo_revoke(dev, obj, hid, 0);
	calls(1);
	if (ret) {
		violation("churn: revoke %d", ret);
		goto out;
	}
	/* Revoked: every copy of the handle fails with EPERM. */
	if (add_once(dev, r, 1, NULL) != -EPERM ||
	    add_once(dev, d, 1, NULL) != -EPERM)
		violation("churn: a revoked handle did not fail with EPERM");
	calls(2);
out:
	if (r >= 0)
		close(r);
	if (d >= 0)
		close(d);
	if (sub >= 0)
		close(sub);
	if (prog >= 0)
		close(prog);
	if (obj >= 0)
		close(obj);
	count(OP_CHURN);
}

static void op_bundle(int dev)
{
	struct ipo_call c[3];
	__u64 one = 1;
	int idx[3], n = 1 + rnd() % 3, i, ret;
	__u32 flags = rnd() & 1 ? IPO_INVOKE_ATOMIC : 0, nr_done = 0;

	for (i = 0; i < n; i++) {
		idx[i] = rnd() % NR_COUNTERS;
		h_call(&c[i], counter_fd[idx[i]], 0, &one, NULL);
	}
	for (i = 0; i < n; i++)
		__atomic_add_fetch(&shm->inflight[idx[i]], 1, __ATOMIC_SEQ_CST);
	ret = ipo_invoke(dev, c, n, flags, 0, &nr_done);
	calls(1);
	if (ret)
		violation("bundle of %d adds: %d", n, ret);
	if (!ret && nr_done != (__u32)n)
		violation("bundle: nr_done %u of %d", nr_done, n);
	for (i = 0; i < n; i++) {
		if (!ret)
			__atomic_add_fetch(&shm->committed[idx[i]], 1,
					   __ATOMIC_SEQ_CST);
		__atomic_sub_fetch(&shm->inflight[idx[i]], 1, __ATOMIC_SEQ_CST);
	}
	count(OP_BUNDLE);
}

static void op_prog(int dev)
{
	struct ipo_prog_test_run t;
	__u64 obj[2] = { 40, 40 }, arg = 2, out = 0;
	int prog = h_load(dev, ipo_m_add, ARRAY_LEN(ipo_m_add),
			  rnd() & 1 ? IPO_PROG_INTERP : 0);

	calls(1);
	if (prog < 0) {
		violation("PROG_LOAD %d", prog);
		return;
	}
	memset(&t, 0, sizeof(t));
	t.size = sizeof(t);
	t.prog_fd = prog;
	t.obj = (uintptr_t)obj;
	t.obj_size = sizeof(obj);
	t.arg = (uintptr_t)&arg;
	t.arg_size = sizeof(arg);
	t.out = (uintptr_t)&out;
	t.out_size = sizeof(out);
	if (ipo_ioctl(dev, IPO_PROG_TEST_RUN, &t) || out != 42 || t.retval)
		violation("TEST_RUN: out %llu", (unsigned long long)out);
	calls(1);
	close(prog);
	count(OP_PROG);
}

static void op_list(int dev)
{
	if (h_list_count(dev, rnd() & 1 ? IPO_LIST_OBJS : IPO_LIST_PROGS) < 0)
		violation("LIST failed");
	calls(1);
	count(OP_LIST);
}

static void op_sub(int dev)
{
	char name[IPO_NAME_MAX];
	struct ipo_event ev[8];
	int h, sub;

	snprintf(name, sizeof(name), "stress-ctr-%d",
		 (int)(rnd() % NR_COUNTERS));
	h = h_open(dev, name, IPO_RIGHT_NOTIFY | IPO_RIGHT_READ, NULL);
	calls(1);
	if (h < 0) {
		violation("OBJ_OPEN %s: %d", name, h);
		return;
	}
	sub = h_subscribe(dev, h, ~0ULL);
	calls(1);
	if (sub < 0)
		violation("SUBSCRIBE: %d", sub);
	else if (read(sub, ev, sizeof(ev)) < 0 && errno != EAGAIN)
		violation("subscription read: %s", strerror(errno));
	if (sub >= 0)
		close(sub);
	close(h);
	count(OP_SUB);
}

static void worker(int idx, __u64 seed, double deadline)
{
	int dev = ipo_open_dev(), sv[2];

	rng = seed * 0x9e3779b97f4a7c15ULL + idx * 7919 + 1;
	if (dev < 0 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		exit(3);
	while (h_now() < deadline) {
		switch (rnd() % 8) {
		case 0:
		case 1:
			op_churn(dev, sv);
			break;
		case 2:
		case 3:
		case 4:
			op_bundle(dev);
			break;
		case 5:
			op_prog(dev);
			break;
		case 6:
			op_list(dev);
			break;
		case 7:
			op_sub(dev);
			break;
		}
	}
	exit(0);
}

/* The parent's continuous check of the counters through their mappings. */
static void check_counters(__u64 *last)
{
	int i;

	for (i = 0; i < NR_COUNTERS; i++) {
		struct ipo_pair p = ipo_snap_pair(counter_map[i]);

		if (p.seq & 1)
			violation("counter %d: odd seq in a snapshot", i);
		if (p.a != p.b)
			violation("counter %d torn: %llu/%llu", i,
				  (unsigned long long)p.a,
				  (unsigned long long)p.b);
		if (p.a < last[i])
			violation("counter %d went down: %llu -> %llu", i,
				  (unsigned long long)last[i],
				  (unsigned long long)p.a);
		last[i] = p.a;
	}
}

int main(int argc, char **argv)
{
	int procs = 8, kill_ms = 300, i, dev, prog, status, spawned = 0;
	long kills = 0, left_objs, left_progs, checks = 0;
	pid_t pids[MAX_WORKERS];
	__u64 seed = 1, last[NR_COUNTERS] = { 0 };
	double secs = 60, t0, deadline, next_kill;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--procs") && i + 1 < argc)
			procs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--time") && i + 1 < argc)
			secs = atof(argv[++i]);
		else if (!strcmp(argv[i], "--kill-ms") && i + 1 < argc)
			kill_ms = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else {
			fprintf(stderr, "usage: %s [--procs P] [--time SEC] [--kill-ms MS] [--seed S]\n",
				argv[0]);
			return 2;
		}
	}
	if (procs < 1 || procs > MAX_WORKERS)
		procs = 8;
	rng = seed;
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	dev = ipo_open_dev();
	if (shm == MAP_FAILED || dev < 0) {
		tap_ok(false, "stress: %s", strerror(errno));
		return 1;
	}
	prog = h_load(dev, ipo_m_add, ARRAY_LEN(ipo_m_add), 0);
	for (i = 0; i < NR_COUNTERS; i++) {
		char name[IPO_NAME_MAX];

		snprintf(name, sizeof(name), "stress-ctr-%d", i);
		counter_fd[i] = ipo_create(dev, name, 16, 0, 0666, NULL);
		if (counter_fd[i] < 0 || prog < 0 ||
		    h_set_methods(dev, counter_fd[i], &prog, 1)) {
			tap_ok(false, "stress: setup: %d %d", counter_fd[i],
			       prog);
			return 1;
		}
		counter_map[i] = ipo_map(counter_fd[i], ipo_map_size(16));
		if (counter_map[i] == MAP_FAILED)
			return 1;
	}
	close(prog);
	t0 = h_now();
	deadline = t0 + secs;
	next_kill = t0 + kill_ms / 1000.0;
	for (i = 0; i < procs; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			worker(spawned, seed, deadline);
		spawned++;
	}
	while (h_now() < deadline) {
		check_counters(last);
		checks++;
		if (kill_ms && h_now() >= next_kill) {
			i = rnd() % procs;
			if (pids[i] > 0 && !kill(pids[i], SIGKILL)) {
				waitpid(pids[i], &status, 0);
				kills++;
				pids[i] = fork();
				if (pids[i] == 0)
					worker(spawned, seed, deadline);
				spawned++;
			}
			next_kill = h_now() + (kill_ms / 2 + rnd() % (kill_ms + 1)) /
				    1000.0;
		}
		usleep(2000);
	}
	for (i = 0; i < procs; i++) {
		if (waitpid(pids[i], &status, 0) > 0 &&
		    (!WIFEXITED(status) || WEXITSTATUS(status)))
			violation("worker ended with status %#x", status);
	}
	check_counters(last);
	for (i = 0; i < NR_COUNTERS; i++) {
		long c = shm->committed[i], f = shm->inflight[i];

		if ((long)last[i] < c || (long)last[i] > c + f)
			violation("counter %d is %llu: %ld committed, %ld in flight",
				  i, (unsigned long long)last[i], c, f);
		munmap((void *)counter_map[i], ipo_map_size(16));
		close(counter_fd[i]);
	}
	left_objs = h_list_count(dev, IPO_LIST_OBJS);
	left_progs = h_list_count(dev, IPO_LIST_PROGS);
	close(dev);
	if (left_objs || left_progs)
		violation("left behind: %ld objects, %ld programs", left_objs,
			  left_progs);
	printf("# stress: %d workers, %.0fs, %ld killed with SIGKILL, %ld counter checks\n",
	       procs, secs, kills, checks);
	for (i = 0; i < NR_OPS; i++)
		printf("# %s: %ld\n", op_names[i], shm->ops[i]);
	printf("# counters: %llu %llu %llu %llu (in flight at kills: %ld %ld %ld %ld)\n",
	       (unsigned long long)last[0], (unsigned long long)last[1],
	       (unsigned long long)last[2], (unsigned long long)last[3],
	       shm->inflight[0], shm->inflight[1], shm->inflight[2],
	       shm->inflight[3]);
	tap_ok(!shm->violations,
	       "stress: operations %ld (ioctls %ld), %ld kills, %ld violations%s%s",
	       shm->ops[0] + shm->ops[1] + shm->ops[2] + shm->ops[3] +
	       shm->ops[4], shm->calls, kills, shm->violations,
	       shm->violations ? ": " : "", shm->violations ? shm->msg : "");
	return shm->violations ? 1 : 0;
}
