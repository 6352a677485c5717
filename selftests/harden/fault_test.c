// SPDX-License-Identifier: GPL-2.0
/*
 * fault_test: every ioctl path of the module under injected allocation and
 * user-copy failures (the debug build, kmod/fault.h; load /ipo/ipo-fault.ko).
 *
 *   fault_test sweep [MAX]	fault_nth = 1, 2, ... through one fixed
 *				scenario until no failure is injected any
 *				more (every failure point tried), or MAX
 *   fault_test every N ROUNDS	fault_every = N for ROUNDS scenarios
 *
 * The scenario creates two named objects, loads programs, sets and
 * replaces method tables, runs atomic and stop-at-error bundles, derives,
 * opens, revokes handles, subscribes and reads events, lists, test-runs,
 * and closes everything.  Every failing step must fail with a clean errno
 * (ENOMEM, EFAULT, EMFILE, ENFILE) and leave nothing half done:
 *   - a failed OBJ_CREATE or PROG_LOAD changes no count;
 *   - a failed SET_METHODS leaves the old table (LIST nr_methods);
 *   - an atomic bundle over two objects changes both or neither, a
 *     stop-at-error bundle a prefix of its calls, never more;
 *   - a failed DERIVE or OBJ_OPEN adds no handle, a failed REVOKE removes
 *     none;
 *   - a committed change seen by a live subscription queues an event;
 * and after each scenario the user owns no object and no program.
 * The checking ioctls can be failed too: they are retried (a failed
 * GET_INFO or LIST changes nothing).  Prints TAP; exits 1 on a finding.
 */
#include "harden.h"
#include "selftests/tap.h"

#define MAX_SWEEP	5000

static int dev;
static int findings;
static long steps, failed_steps;
static const char *cur_step;

static void finding(const char *fmt, ...)
{
	va_list ap;

	findings++;
	printf("# FINDING in %s: ", cur_step ? cur_step : "?");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* A step's result: success, or a failure the injection explains. */
static bool step(const char *what, int ret)
{
	cur_step = what;
	steps++;
	if (ret >= 0)
		return true;
	failed_steps++;
	if (ret != -ENOMEM && ret != -EFAULT && ret != -EMFILE &&
	    ret != -ENFILE)
		finding("failed with %s (%d)", strerror(-ret), ret);
	return false;
}

/* A check's ioctl, retried while injection fails it. */
#define RETRY(expr) ({						\
	int __r, __n = 0;					\
	do {							\
		__r = (expr);					\
	} while ((__r == -ENOMEM || __r == -EFAULT) && ++__n < 8); \
	__r;							\
})

static int counts(__u32 *objs, __u32 *progs)
{
	struct ipo_info info;
	int ret = RETRY(ipo_get_info(dev, &info));

	if (ret) {
		finding("GET_INFO keeps failing: %d", ret);
		return ret;
	}
	*objs = info.nr_objs;
	*progs = info.nr_progs;
	return 0;
}

static int entry(__u64 id, struct ipo_obj_entry *e)
{
	int ret = RETRY(h_obj_entry(dev, id, e));

	if (ret)
		finding("LIST of object %llu: %d", (unsigned long long)id,
			ret);
	return ret;
}

struct obj {
	int fd;
	__u32 nr_methods;	/* as last set successfully */
	__u64 id;
	void *map;
	size_t map_len;
};

static void obj_create(struct obj *o, const char *name)
{
	__u32 n0, p0, n1, p1;

	o->fd = -1;
	o->nr_methods = 0;
	o->map = MAP_FAILED;
	if (counts(&n0, &p0))
		return;
	o->fd = ipo_create(dev, name, 64, IPO_OBJ_CLOEXEC, 0600, &o->id);
	if (counts(&n1, &p1))
		return;
	if (!step("OBJ_CREATE", o->fd)) {
		if (n1 != n0)
			finding("failed OBJ_CREATE: nr_objs %u -> %u", n0, n1);
		o->fd = -1;
		return;
	}
	if (n1 != n0 + 1)
		finding("OBJ_CREATE: nr_objs %u -> %u", n0, n1);
	o->map_len = ipo_map_size(64);
	o->map = ipo_map(o->fd, o->map_len);
	if (o->map == MAP_FAILED)
		step("mmap", -errno);
}

static int prog_load(const __u64 *insns, __u32 cnt, __u32 flags)
{
	__u32 n0, p0, n1, p1;
	int fd;

	if (counts(&n0, &p0))
		return -1;
	fd = h_load(dev, insns, cnt, flags);
	if (counts(&n1, &p1))
		return fd;
	if (!step("PROG_LOAD", fd)) {
		if (p1 != p0)
			finding("failed PROG_LOAD: nr_progs %u -> %u", p0, p1);
		return -1;
	}
	if (p1 != p0 + 1)
		finding("PROG_LOAD: nr_progs %u -> %u", p0, p1);
	return fd;
}

static void set_methods(struct obj *o, const int *fds, __u32 n)
{
	struct ipo_obj_entry before, after;
	int ret;

	if (entry(o->id, &before))
		return;
	ret = h_set_methods(dev, o->fd, fds, n);
	if (entry(o->id, &after))
		return;
	if (step("SET_METHODS", ret)) {
		o->nr_methods = n;
		if (after.nr_methods != n)
			finding("SET_METHODS of %u: nr_methods %u", n,
				after.nr_methods);
	} else if (after.nr_methods != before.nr_methods ||
		   memcmp(after.methods, before.methods,
			  sizeof(after.methods))) {
		finding("failed SET_METHODS changed the table (%u -> %u)",
			before.nr_methods, after.nr_methods);
	}
}

static void bundles(struct obj *a, struct obj *b, int sub)
{
	__u64 d1 = 5, d2 = 7, out[2];
	struct ipo_call calls[3];
	struct ipo_pair a0, b0, a1, b1;
	__u32 nr_done;
	int ret;

	if (a->map == MAP_FAILED || b->map == MAP_FAILED)
		return;
	/* Atomic over both objects: both or neither. */
	a0 = ipo_snap_pair(a->map);
	b0 = ipo_snap_pair(b->map);
	h_call(&calls[0], a->fd, 0, &d1, &out[0]);
	h_call(&calls[1], b->fd, 0, &d2, &out[1]);
	ret = ipo_invoke(dev, calls, 2, IPO_INVOKE_ATOMIC, 0, &nr_done);
	a1 = ipo_snap_pair(a->map);
	b1 = ipo_snap_pair(b->map);
	if (step("INVOKE atomic", ret)) {
		if (a1.a != a0.a + 5 || b1.a != b0.a + 7)
			finding("atomic bundle committed but a +%lld b +%lld",
				(long long)(a1.a - a0.a),
				(long long)(b1.a - b0.a));
	} else if (a1.a != a0.a || b1.a != b0.a || a1.b != a0.b ||
		   b1.b != b0.b) {
		finding("failed atomic bundle left a +%lld b +%lld",
			(long long)(a1.a - a0.a), (long long)(b1.a - b0.a));
	}
	if (a1.a != a1.b || b1.a != b1.b)
		finding("torn object: %llu/%llu", (unsigned long long)a1.a,
			(unsigned long long)a1.b);

	/* Stop at error: add 5, add 7, fail: a prefix commits. */
	a0 = ipo_snap_pair(a->map);
	h_call(&calls[0], a->fd, 0, &d1, NULL);
	h_call(&calls[1], a->fd, 0, &d2, NULL);
	h_call(&calls[2], a->fd, 1, NULL, NULL);
	ret = ipo_invoke(dev, calls, 3, 0, 0, &nr_done);
	a1 = ipo_snap_pair(a->map);
	cur_step = "INVOKE stop-at-error";
	steps++;
	if (ret == 0) {
		finding("a bundle ending in a failing method succeeded");
	} else if (ret != -EIO && ret != -ENOENT) {
		step("INVOKE stop-at-error", ret);
	}
	if (a1.a - a0.a != 0 && a1.a - a0.a != 5 && a1.a - a0.a != 12)
		finding("stop-at-error bundle left +%lld, not a prefix",
			(long long)(a1.a - a0.a));
	if (a1.a != a1.b)
		finding("torn object after stop-at-error bundle");

	/* A subscription reads whole records or nothing, never an error. */
	if (sub >= 0) {
		struct ipo_event ev[64];
		ssize_t n = read(sub, ev, sizeof(ev));

		if ((n < 0 && errno != EAGAIN) ||
		    (n > 0 && n % sizeof(ev[0])))
			finding("subscription read: %zd (%s)", n,
				n < 0 ? strerror(errno) : "");
	}
}

/* Whether a handle can still be used: 1, 0 when revoked, -1 unknown. */
static int usable(int h, bool invoke)
{
	__u64 x = 0;
	struct ipo_call c;
	int ret, sub;

	if (invoke) {
		h_call(&c, h, 0, &x, NULL);
		ret = ipo_invoke(dev, &c, 1, 0, 0, NULL);
	} else {
		sub = h_subscribe(dev, h, 1);
		ret = sub < 0 ? sub : 0;
		if (sub >= 0)
			close(sub);
	}
	if (ret == 0)
		return 1;
	if (ret == -EPERM)
		return 0;
	if (ret != -ENOMEM && ret != -EFAULT && ret != -EMFILE)
		finding("use of a handle: %d", ret);
	return -1;
}

static void handles(struct obj *o, const char *name)
{
	struct ipo_obj_entry before, after;
	__u32 hid = 0, oid = 0;
	int d = -1, h = -1, ret;

	if (entry(o->id, &before))
		return;
	d = ipo_derive(dev, o->fd, IPO_RIGHT_INVOKE | IPO_RIGHT_READ, 1, &hid);
	if (entry(o->id, &after))
		goto out;
	if (step("HANDLE_DERIVE", d)) {
		if (after.nr_handles != before.nr_handles + 1)
			finding("DERIVE: nr_handles %u -> %u",
				before.nr_handles, after.nr_handles);
	} else if (after.nr_handles != before.nr_handles) {
		finding("failed DERIVE: nr_handles %u -> %u",
			before.nr_handles, after.nr_handles);
	}
	before = after;
	h = h_open(dev, name, IPO_RIGHT_READ | IPO_RIGHT_NOTIFY, &oid);
	if (entry(o->id, &after))
		goto out;
	if (step("OBJ_OPEN", h)) {
		if (after.nr_handles != before.nr_handles + 1)
			finding("OBJ_OPEN: nr_handles %u -> %u",
				before.nr_handles, after.nr_handles);
	} else if (after.nr_handles != before.nr_handles) {
		finding("failed OBJ_OPEN: nr_handles %u -> %u",
			before.nr_handles, after.nr_handles);
	}
	/* A revoked handle stays open (and counted) but is refused. */
	if (d >= 0) {
		ret = ipo_revoke(dev, o->fd, hid, 0);
		if (step("HANDLE_REVOKE", ret)) {
			if (usable(d, true) == 1)
				finding("revoked handle still invokes");
		} else if (o->nr_methods && usable(d, true) == 0) {
			finding("failed REVOKE revoked the handle");
		}
	}
	if (h >= 0) {
		ret = ipo_revoke(dev, o->fd, 0, IPO_REVOKE_ALL);
		if (step("HANDLE_REVOKE all", ret)) {
			if (usable(h, false) == 1)
				finding("REVOKE_ALL left an opened handle usable");
		} else if (usable(h, false) == 0) {
			finding("failed REVOKE_ALL revoked the handle");
		}
	}
out:
	if (d >= 0)
		close(d);
	if (h >= 0)
		close(h);
}

static void test_run(int prog)
{
	struct ipo_prog_test_run c;
	__u64 obj[2] = { 1, 1 }, arg = 2, out = 0;

	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.prog_fd = prog;
	c.obj = (uintptr_t)obj;
	c.obj_size = sizeof(obj);
	c.arg = (uintptr_t)&arg;
	c.arg_size = sizeof(arg);
	c.out = (uintptr_t)&out;
	c.out_size = sizeof(out);
	c.repeat = 2;
	if (step("PROG_TEST_RUN", ipo_ioctl(dev, IPO_PROG_TEST_RUN, &c)) &&
	    (c.retval || obj[0] != 5 || out != 5))
		finding("TEST_RUN: r0 %llu obj %llu out %llu",
			(unsigned long long)c.retval,
			(unsigned long long)obj[0], (unsigned long long)out);
}

static void scenario(int round)
{
	struct obj a, b;
	char na[32], nb[32];
	int p_add, p_fail, p_add2, sub = -1;
	int fds[3];
	__u32 n, p;

	snprintf(na, sizeof(na), "fault-a-%d", round);
	snprintf(nb, sizeof(nb), "fault-b-%d", round);
	obj_create(&a, na);
	obj_create(&b, nb);
	p_add = prog_load(ipo_m_add, ARRAY_LEN(ipo_m_add), 0);
	p_fail = prog_load(ipo_m_fail, ARRAY_LEN(ipo_m_fail), IPO_PROG_INTERP);
	p_add2 = prog_load(ipo_m_add, ARRAY_LEN(ipo_m_add), IPO_PROG_INTERP);
	if (p_add >= 0)
		test_run(p_add);
	if (a.fd >= 0 && p_add >= 0 && p_fail >= 0) {
		fds[0] = p_add;
		fds[1] = p_fail;
		set_methods(&a, fds, 2);
		/* Replace the table as a whole: both entries or neither. */
		if (p_add2 >= 0) {
			fds[0] = p_add2;
			set_methods(&a, fds, 2);
		}
	}
	if (b.fd >= 0 && p_add >= 0)
		set_methods(&b, &p_add, 1);
	if (a.fd >= 0) {
		sub = h_subscribe(dev, a.fd, ~0ULL);
		if (!step("SUBSCRIBE", sub))
			sub = -1;
	}
	if (a.fd >= 0 && b.fd >= 0 && a.nr_methods == 2 && b.nr_methods == 1)
		bundles(&a, &b, sub);
	if (a.fd >= 0)
		handles(&a, na);
	{
		long r = h_list_count(dev, IPO_LIST_PROGS);

		step("LIST", r < 0 ? (int)r : 0);
	}
	if (sub >= 0)
		close(sub);
	if (p_add >= 0)
		close(p_add);
	if (p_fail >= 0)
		close(p_fail);
	if (p_add2 >= 0)
		close(p_add2);
	if (a.map != MAP_FAILED)
		munmap(a.map, a.map_len);
	if (b.map != MAP_FAILED)
		munmap(b.map, b.map_len);
	if (a.fd >= 0)
		close(a.fd);
	if (b.fd >= 0)
		close(b.fd);
	cur_step = "end of scenario";
	if (!counts(&n, &p) && (n || p))
		finding("%u objects, %u programs left", n, p);
}

static long param(const char *name)
{
	unsigned long long v = 0;

	if (ipo_param_read(name, &v))
		return -1;
	return (long)v;
}

int main(int argc, char **argv)
{
	long injected_total = 0;
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	dev = ipo_open_dev();
	if (dev < 0 || param("fault_every") < 0) {
		return tap_skip_all("no /dev/ipo or not the fault build (%s)",
				    strerror(errno));
	}
	tap_start();
	if (argc >= 2 && !strcmp(argv[1], "sweep")) {
		long max = argc > 2 ? atol(argv[2]) : MAX_SWEEP, nth;

		for (nth = 1; nth <= max; nth++) {
			long inj;

			ipo_param_write("fault_nth", nth);
			scenario(0);
			inj = param("fault_injected");
			ipo_param_write("fault_nth", 0);
			if (inj <= 0)
				break;
			injected_total += inj;
		}
		tap_ok(!findings, "fault sweep: fault_nth 1..%ld, %ld failures injected, %ld of %ld steps failed cleanly%s",
		       nth - 1, injected_total, failed_steps, steps,
		       nth > max ? " (stopped at MAX)" : ", every failure point tried");
	} else if (argc >= 4 && !strcmp(argv[1], "every")) {
		long every = atol(argv[2]), rounds = atol(argv[3]);

		ipo_param_write("fault_every", every);
		for (i = 0; i < rounds; i++)
			scenario(i);
		injected_total = param("fault_injected");
		ipo_param_write("fault_every", 0);
		tap_ok(!findings, "fault_every=%ld: %ld scenarios, %ld failures injected, %ld of %ld steps failed cleanly",
		       every, rounds, injected_total, failed_steps, steps);
	} else {
		fprintf(stderr, "usage: fault_test sweep [MAX] | every N ROUNDS\n");
		return 2;
	}
	close(dev);
	return tap_end();
}
