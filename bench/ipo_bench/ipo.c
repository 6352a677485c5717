// SPDX-License-Identifier: GPL-2.0
/*
 * ipo_bench: ipo's INVOKE, its steps and bundles of the counter object.
 */
#include "ipo_bench.h"

int counter_open(struct ipo_counter *c, bool interp)
{
	return counter_open_size(c, interp, sizeof(struct counter));
}

/* A counter object of @size bytes (the counter at its start). */
int counter_open_size(struct ipo_counter *c, bool interp, uint64_t size)
{
	LIBIPO_OPTS(ipo_load_opts, lo, .flags = interp ? IPO_PROG_INTERP :
					IPO_PROG_JIT_ONLY);
	int err;

	memset(c, 0, sizeof(*c));
	c->dev = ipo_dev_open();
	if (!c->dev)
		return -errno;
	c->po = ipo_prog_obj_open(COUNTER_O, NULL);
	if (!c->po)
		return -errno;
	c->obj = ipo_obj_create(c->dev, size, NULL, NULL);
	if (c->obj < 0)
		return c->obj;
	err = ipo_obj_attach_prog_obj(c->dev, c->obj, c->po, &lo);
	if (err < 0)
		return err;
	if (!interp && !(lo.out_flags & IPO_PROG_JITED))
		return -ENOEXEC;
	c->add = ipo_prog_obj__method_index(c->po, "add");
	return c->add < 0 ? c->add : 0;
}

int counter_bundle(struct ipo_counter *c, unsigned int n)
{
	unsigned int i;

	c->b = ipo_bundle_new(c->dev);
	c->args = calloc(n, sizeof(*c->args));
	c->out = calloc(n, sizeof(*c->out));
	if (!c->b || !c->args || !c->out)
		return -ENOMEM;
	c->n = n;
	for (i = 0; i < n; i++) {
		int r = ipo_bundle_add_call(c->b, c->obj, c->add, &c->args[i],
					    sizeof(c->args[i]), &c->out[i],
					    sizeof(c->out[i]));

		if (r < 0)
			return r;
	}
	return 0;
}

void counter_close(struct ipo_counter *c)
{
	ipo_bundle_free(c->b);
	free(c->args);
	free(c->out);
	if (c->obj > 0)
		close(c->obj);
	ipo_prog_obj__close(c->po);
	ipo_dev_close(c->dev);
}

/* One INVOKE of n add calls; each call's output must be the running total. */
int op_invoke(void *st, int64_t delta, int64_t *total, uint64_t *lat)
{
	struct ipo_counter *c = st;
	unsigned int i;
	int err;

	for (i = 0; i < c->n; i++)
		c->args[i].delta = delta;
	err = ipo_bundle_submit(c->b, c->flags, 0);
	if (err)
		return err;
	for (i = 1; i < c->n; i++)
		if (c->out[i] != c->out[i - 1] + delta)
			return -EBADMSG;
	*total = c->out[c->n - 1];
	return 0;
}

/*
 * Steps of the INVOKE path, for the breakdown: a command refused right
 * after it is copied in (an unknown flag), and a one-call bundle whose
 * call names no handle (fd -1: the call is read, its results written,
 * its argument copied, the fd lookup fails, nothing is locked or run,
 * the results go back).  Both must fail exactly so.
 */
struct step {
	int devfd;
	struct ipo_invoke cmd;
	struct ipo_call call;
	struct add_args arg;
	int64_t out;
	int64_t total;
};

static int op_invoke_step(void *st, int64_t delta, int64_t *total,
			  uint64_t *lat)
{
	struct step *s = st;
	int want = s->cmd.flags ? EINVAL : EBADF;

	s->arg.delta = delta;
	if (ioctl(s->devfd, IPO_INVOKE, &s->cmd) != -1 || errno != want)
		return -EPROTO;
	if (!s->cmd.flags && s->call.status != -EBADF)
		return -EPROTO;
	*total = s->total += delta;
	return 0;
}

void run_invoke_steps(void)
{
	static const char *const names[] = {
		"ipo_invoke_einval", "ipo_invoke_ebadf",
	};
	static const char *const whats[] = {
		"INVOKE refused after the command is copied in (unknown flag): the dispatcher's part",
		"one-call INVOKE on fd -1: everything but the handle, the lock, the method and the output",
	};
	int i;

	for (i = 0; i < 2; i++) {
		struct mech m = {
			.name = names[i], .placement = "local",
			.timing = "per_batch", .ops = BATCH, .calls = 1,
			.what = whats[i],
		};
		struct step s = {
			.devfd = open("/dev/ipo", O_RDWR | O_CLOEXEC),
			.cmd = { .size = sizeof(s.cmd), .nr_calls = 1,
				 .call_size = sizeof(s.call),
				 .flags = i ? 0 : 1U << 31 },
			.call = { .obj_fd = -1, .arg_size = sizeof(s.arg),
				  .out_size = sizeof(s.out) },
		};
		int64_t total = 0;

		if (!wanted(m.name))
			continue;
		s.cmd.calls = (uintptr_t)&s.call;
		s.call.arg = (uintptr_t)&s.arg;
		s.call.out = (uintptr_t)&s.out;
		if (s.devfd < 0)
			setup_failed(m.name, m.placement, "/dev/ipo", -errno);
		else
			measure(&m, op_invoke_step, &s, &total);
		if (s.devfd >= 0)
			close(s.devfd);
	}
}

void run_ipo(void)
{
	static const struct {
		const char *name;
		bool interp;
		unsigned int n;
		const char *what;
	} v[] = {
		{ "ipo_invoke_jit", false, 1,
		  "one INVOKE ioctl of counter.add, JIT-compiled" },
		{ "ipo_invoke_interp", true, 1,
		  "one INVOKE ioctl of counter.add on the interpreter" },
		{ "ipo_bundle_8", false, 8,
		  "one INVOKE of 8 counter.add calls (JIT), per call" },
		{ "ipo_bundle_64", false, 64,
		  "one INVOKE of 64 counter.add calls (JIT), per call" },
		{ "ipo_bundle_512", false, 512,
		  "one INVOKE of 512 counter.add calls (JIT), per call" },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct mech m = {
			.name = v[i].name, .placement = "local",
			.timing = v[i].n > 1 ? "per_call" : "per_batch",
			.ops = v[i].n > 1 ? 1 : BATCH, .calls = v[i].n,
			.what = v[i].what,
		};
		struct ipo_counter c;
		int64_t total = 0;
		int err;

		if (!wanted(m.name))
			continue;
		err = counter_open(&c, v[i].interp);
		if (!err)
			err = counter_bundle(&c, v[i].n);
		if (err) {
			setup_failed(m.name, m.placement, "counter object", err);
		} else if (!measure(&m, op_invoke, &c, &total)) {
			/* The object's own view must agree. */
			struct ipo_view *view = ipo_view_map(c.obj);
			struct counter snap;

			if (!view || ipo_view_snapshot(view, 0, &snap,
						       sizeof(snap)) < 0 ||
			    snap.total != total)
				setup_failed(m.name, m.placement,
					     "object total after the run",
					     -EBADMSG);
			ipo_view_unmap(view);
		}
		counter_close(&c);
	}
}
