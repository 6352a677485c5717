// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libipo: method tables, handles and bundles.  Nothing here reads ELF
 * files (that is load.c's): a client that only opens objects and calls
 * their methods links this and none of libbpf, libelf or zlib.
 *
 * Thin wrappers of the ioctls in <linux/ipo.h>: each fills its command
 * struct, issues it on /dev/ipo and returns 0 (or an fd) or -errno with
 * errno set, with the reason also sent to the print callback.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libipo.h"
#include "libipo_internal.h"

int libipo_dev_ioctl(struct ipo_dev *dev, unsigned long cmd, void *arg)
{
	if (!dev)
		return libipo_err(-EINVAL);
	if (ioctl(ipo_dev_fd(dev), cmd, arg))
		return libipo_err(-errno);
	return 0;
}

int ipo_obj_set_methods_desc(struct ipo_dev *dev, int obj_fd,
			     const int *prog_fds,
			     const struct ipo_method_desc *descs,
			     size_t nr_methods)
{
	struct ipo_obj_set_methods cmd = {
		.size = sizeof(cmd),
		.obj_fd = obj_fd,
		.nr_methods = nr_methods,
		.prog_fds = (uintptr_t)prog_fds,
		.descs = (uintptr_t)descs,
		.desc_size = descs ? sizeof(*descs) : 0,
	};
	int err;

	if (nr_methods > IPO_MAX_METHODS)
		return libipo_err(-EINVAL);
	err = libipo_dev_ioctl(dev, IPO_OBJ_SET_METHODS, &cmd);
	if (err)
		pr_warn("fd %d: OBJ_SET_METHODS: %s\n", obj_fd, strerror(-err));
	return err;
}

int ipo_obj_set_methods(struct ipo_dev *dev, int obj_fd, const int *prog_fds,
			size_t nr_methods)
{
	return ipo_obj_set_methods_desc(dev, obj_fd, prog_fds, NULL,
					nr_methods);
}

int ipo_obj_methods(struct ipo_dev *dev, int obj_fd,
		    struct ipo_method_info *infos, uint32_t max)
{
	struct ipo_obj_methods cmd = {
		.size = sizeof(cmd),
		.obj_fd = obj_fd,
		.info_size = sizeof(*infos),
		.infos = (uintptr_t)infos,
		.max_infos = max,
	};
	int err = libipo_dev_ioctl(dev, IPO_OBJ_METHODS, &cmd);

	return err ? err : (int)cmd.nr_methods;
}

int ipo_method_index(struct ipo_dev *dev, int obj_fd, const char *name)
{
	struct ipo_method_info infos[IPO_MAX_METHODS];
	int i, n;

	if (!name)
		return libipo_err(-EINVAL);
	n = ipo_obj_methods(dev, obj_fd, infos, IPO_MAX_METHODS);
	if (n < 0)
		return n;
	for (i = 0; i < n && i < IPO_MAX_METHODS; i++)
		if (!strcmp(infos[i].name, name))
			return infos[i].index;
	return libipo_err(-ENOENT);
}

int ipo_obj_open(struct ipo_dev *dev, const char *name, uint32_t rights,
		 const struct ipo_handle_opts *opts, uint64_t *obj_id,
		 uint32_t *handle_id)
{
	struct ipo_obj_open cmd = {
		.size = sizeof(cmd),
		.flags = IPO_HANDLE_CLOEXEC,
		.rights = rights,
	};
	int err;

	if (!libipo_opts_valid(opts, sizeof(*opts), &err))
		return libipo_err(err);
	if (!name)
		return libipo_err(-EINVAL);
	if (strlen(name) >= sizeof(cmd.name))
		return libipo_err(-ENAMETOOLONG);
	strcpy(cmd.name, name);
	if (opts)
		cmd.flags |= opts->flags;
	err = libipo_dev_ioctl(dev, IPO_OBJ_OPEN, &cmd);
	if (err)
		return err;
	if (obj_id)
		*obj_id = cmd.obj_id;
	if (handle_id)
		*handle_id = cmd.handle_id;
	return cmd.out_fd;
}

int ipo_handle_derive(struct ipo_dev *dev, int obj_fd, uint32_t rights,
		      uint64_t methods, const struct ipo_handle_opts *opts,
		      uint32_t *handle_id)
{
	struct ipo_handle_derive cmd = {
		.size = sizeof(cmd),
		.flags = IPO_HANDLE_CLOEXEC,
		.obj_fd = obj_fd,
		.rights = rights,
		.methods = methods,
	};
	int err;

	if (!libipo_opts_valid(opts, sizeof(*opts), &err))
		return libipo_err(err);
	if (opts)
		cmd.flags |= opts->flags;
	err = libipo_dev_ioctl(dev, IPO_HANDLE_DERIVE, &cmd);
	if (err)
		return err;
	if (handle_id)
		*handle_id = cmd.handle_id;
	return cmd.out_fd;
}

int ipo_handle_revoke(struct ipo_dev *dev, int obj_fd, uint32_t handle_id,
		      uint32_t flags)
{
	struct ipo_handle_revoke cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.obj_fd = obj_fd,
		.handle_id = handle_id,
	};

	return libipo_dev_ioctl(dev, IPO_HANDLE_REVOKE, &cmd);
}

int ipo_prog_test_run(struct ipo_dev *dev, int prog_fd,
		      struct ipo_test_run_opts *opts)
{
	struct ipo_prog_test_run cmd = {
		.size = sizeof(cmd),
		.prog_fd = prog_fd,
	};
	int err;

	if (!opts)
		return libipo_err(-EINVAL);
	if (!libipo_opts_valid(opts, sizeof(*opts), &err))
		return libipo_err(err);
	cmd.flags = opts->flags;
	cmd.repeat = opts->repeat;
	cmd.obj = (uintptr_t)opts->obj;
	cmd.obj_size = opts->obj_size;
	cmd.arg = (uintptr_t)opts->arg;
	cmd.arg_size = opts->arg_size;
	cmd.out = (uintptr_t)opts->out;
	cmd.out_size = opts->out_size;
	cmd.fuel = opts->fuel;
	err = libipo_dev_ioctl(dev, IPO_PROG_TEST_RUN, &cmd);
	if (err)
		return err;
	opts->retval = cmd.retval;
	opts->abort = cmd.abort;
	opts->abort_pc = cmd.abort_pc;
	opts->duration_ns = cmd.duration_ns;
	opts->jited = cmd.jited;
	return 0;
}

/* --- bundles ------------------------------------------------------------ */

/*
 * What the bundle keeps for a call itself: the copy of its argument
 * (ipo_bundle_set_arg()) and its output when the caller gave none.
 */
struct ipo_bundle_own {
	void *arg;
	size_t arg_cap;
	void *out;
};

struct ipo_bundle {
	struct ipo_dev *dev;
	struct ipo_call *calls;
	struct ipo_bundle_own *own;	/* one per call, beside calls */
	size_t nr_calls, cap;
	uint32_t nr_done;
	bool submitted;
};

static void bundle_own_free(struct ipo_bundle *b)
{
	size_t i;

	for (i = 0; i < b->nr_calls; i++) {
		free(b->own[i].arg);
		free(b->own[i].out);
	}
}

struct ipo_bundle *ipo_bundle_new(struct ipo_dev *dev)
{
	struct ipo_bundle *b;

	if (!dev)
		return libipo_err_ptr(-EINVAL);
	b = calloc(1, sizeof(*b));
	if (!b)
		return libipo_err_ptr(-ENOMEM);
	b->dev = dev;
	return b;
}

void ipo_bundle_free(struct ipo_bundle *b)
{
	if (!b)
		return;
	bundle_own_free(b);
	free(b->own);
	free(b->calls);
	free(b);
}

void ipo_bundle_reset(struct ipo_bundle *b)
{
	bundle_own_free(b);
	b->nr_calls = 0;
	b->nr_done = 0;
	b->submitted = false;
}

int ipo_bundle_add_call(struct ipo_bundle *b, int obj_fd, uint32_t method,
			const void *arg, size_t arg_size, void *out,
			size_t out_size)
{
	struct ipo_bundle_own *own;
	struct ipo_call *c;

	if (arg_size > UINT32_MAX || out_size > UINT32_MAX ||
	    (arg_size && !arg) || b->nr_calls >= UINT32_MAX)
		return libipo_err(-EINVAL);
	if (b->nr_calls == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 8;
		struct ipo_call *p = realloc(b->calls, cap * sizeof(*p));
		struct ipo_bundle_own *o;

		if (!p)
			return libipo_err(-ENOMEM);
		b->calls = p;
		o = realloc(b->own, cap * sizeof(*o));
		if (!o)
			return libipo_err(-ENOMEM);
		b->own = o;
		b->cap = cap;
	}
	own = &b->own[b->nr_calls];
	memset(own, 0, sizeof(*own));
	/* No output buffer given: the bundle keeps one (ipo_bundle_out()). */
	if (out_size && !out) {
		own->out = calloc(1, out_size);
		if (!own->out)
			return libipo_err(-ENOMEM);
		out = own->out;
	}
	c = &b->calls[b->nr_calls];
	memset(c, 0, sizeof(*c));
	c->obj_fd = obj_fd;
	c->method = method;
	c->arg = (uintptr_t)arg;
	c->arg_size = arg_size;
	c->out = (uintptr_t)out;
	c->out_size = out_size;
	return b->nr_calls++;
}

int ipo_bundle_set_arg(struct ipo_bundle *b, size_t idx, const void *arg,
		       size_t arg_size)
{
	struct ipo_bundle_own *own;

	if (idx >= b->nr_calls || arg_size > UINT32_MAX ||
	    (arg_size && !arg))
		return libipo_err(-EINVAL);
	own = &b->own[idx];
	if (arg_size > own->arg_cap) {
		void *p = realloc(own->arg, arg_size);

		if (!p)
			return libipo_err(-ENOMEM);
		own->arg = p;
		own->arg_cap = arg_size;
	}
	if (arg_size)
		memcpy(own->arg, arg, arg_size);
	b->calls[idx].arg = (uintptr_t)own->arg;
	b->calls[idx].arg_size = arg_size;
	return 0;
}

void *ipo_bundle_out(const struct ipo_bundle *b, size_t idx)
{
	if (idx >= b->nr_calls || !b->own[idx].out)
		return libipo_err_ptr(-EINVAL);
	return b->own[idx].out;
}

/* A status the kernel never writes: the call's result was not reported. */
#define IPO_STATUS_UNSET	1

int ipo_bundle_submit(struct ipo_bundle *b, uint32_t flags, uint64_t fuel)
{
	struct ipo_invoke cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.nr_calls = b->nr_calls,
		.call_size = sizeof(struct ipo_call),
		.calls = (uintptr_t)b->calls,
		.fuel = fuel,
	};
	size_t i;
	int err;

	if (!b->nr_calls)
		return libipo_err(-EINVAL);
	for (i = 0; i < b->nr_calls; i++) {
		b->calls[i].ret = 0;
		b->calls[i].status = IPO_STATUS_UNSET;
		b->calls[i].abort = 0;
		b->calls[i].abort_pc = 0;
	}
	b->nr_done = 0;
	b->submitted = true;
	err = libipo_dev_ioctl(b->dev, IPO_INVOKE, &cmd);
	b->nr_done = cmd.nr_done;
	if (err && b->calls[0].status == IPO_STATUS_UNSET)
		pr_warn("INVOKE of %zu calls: %s\n", b->nr_calls,
			strerror(-err));
	return err;
}

size_t ipo_bundle_nr_calls(const struct ipo_bundle *b)
{
	return b->nr_calls;
}

uint32_t ipo_bundle_nr_done(const struct ipo_bundle *b)
{
	return b->nr_done;
}

int ipo_bundle_call_result(const struct ipo_bundle *b, size_t idx,
			   struct ipo_call_result *res)
{
	const struct ipo_call *c;

	if (idx >= b->nr_calls || !b->submitted)
		return libipo_err(-EINVAL);
	c = &b->calls[idx];
	/* Not reported: the bundle failed before any call ran. */
	if (c->status == IPO_STATUS_UNSET)
		return libipo_err(-ENODATA);
	memset(res, 0, sizeof(*res));
	res->status = c->status;
	res->ret = c->ret;
	res->abort = c->abort;
	return 0;
}

int ipo_bundle_call_abort_pc(const struct ipo_bundle *b, size_t idx,
			     uint32_t *pc)
{
	const struct ipo_call *c;

	if (idx >= b->nr_calls || !b->submitted || !pc)
		return libipo_err(-EINVAL);
	c = &b->calls[idx];
	if (c->status == IPO_STATUS_UNSET)
		return libipo_err(-ENODATA);
	if (c->abort == IPO_RESULT_OK)
		return libipo_err(-ENOENT);
	/* An older module leaves the field as it was sent: 0. */
	if (!(libipo_dev_features(b->dev) & IPO_FEATURE_ABORT_PC))
		return libipo_err(-EOPNOTSUPP);
	*pc = c->abort_pc;
	return 0;
}
