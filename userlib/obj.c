// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libipo: programs in the kernel, method tables, handles and bundles.
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

static int dev_ioctl(struct ipo_dev *dev, unsigned long cmd, void *arg)
{
	if (!dev)
		return libipo_err(-EINVAL);
	if (ioctl(ipo_dev_fd(dev), cmd, arg))
		return libipo_err(-errno);
	return 0;
}

/*
 * The strings blob of PROG_LOAD's line info: offset 0 is "", then each
 * distinct file name and source line once per run of equal pointers (the
 * loader hands out pointers into one BTF string table, so equal strings
 * are usually the same pointer).
 */
struct strtab {
	char *buf;
	size_t len, cap;
	const char *last;
	uint32_t last_off;
};

static int strtab_add(struct strtab *t, const char *s, uint32_t *off)
{
	size_t n;

	if (!s || !*s) {
		*off = 0;
		return 0;
	}
	if (s == t->last) {
		*off = t->last_off;
		return 0;
	}
	n = strlen(s) + 1;
	if (t->len + n > t->cap) {
		size_t cap = t->cap ? t->cap : 4096;
		char *p;

		while (cap < t->len + n)
			cap *= 2;
		p = realloc(t->buf, cap);
		if (!p)
			return -ENOMEM;
		t->buf = p;
		t->cap = cap;
	}
	if (!t->len)
		t->buf[t->len++] = '\0';
	memcpy(t->buf + t->len, s, n);
	*off = t->len;
	t->len += n;
	t->last = s;
	t->last_off = *off;
	return 0;
}

int ipo_program_load(struct ipo_dev *dev, const struct ipo_program *prog,
		     struct ipo_load_opts *opts)
{
	struct ipo_prog_load cmd = {
		.size = sizeof(cmd),
		.flags = IPO_PROG_CLOEXEC,
		.prog_type = ipo_program__type(prog),
		.insn_cnt = ipo_program__insn_cnt(prog),
		.insns = (uintptr_t)ipo_program__insns(prog),
		.line_info_rec_size = sizeof(struct ipo_line_rec),
	};
	const struct ipo_prog_line *lines;
	struct ipo_line_rec *recs = NULL;
	struct strtab tab = {};
	const char *name;
	size_t i, nr_lines;
	int err;

	if (!libipo_opts_valid(opts, sizeof(*opts), &err))
		return libipo_err(err);
	name = opts && opts->name ? opts->name : ipo_program__name(prog);
	if (strlen(name) >= sizeof(cmd.name))
		return libipo_err(-ENAMETOOLONG);
	strcpy(cmd.name, name);
	if (ipo_program__strict(prog))
		cmd.flags |= IPO_PROG_STRICT;
	if (opts) {
		cmd.flags |= opts->flags;
		cmd.log_buf = (uintptr_t)opts->log_buf;
		cmd.log_size = opts->log_size;
		cmd.log_level = opts->log_level;
	}

	lines = ipo_program__line_info(prog, &nr_lines);
	if (nr_lines && !(opts && opts->no_line_info)) {
		recs = calloc(nr_lines, sizeof(*recs));
		if (!recs)
			return libipo_err(-ENOMEM);
		for (i = 0; i < nr_lines; i++) {
			recs[i].insn_off = lines[i].insn_off;
			recs[i].line = lines[i].line;
			recs[i].col = lines[i].col;
			if (strtab_add(&tab, lines[i].file, &recs[i].file_off) ||
			    strtab_add(&tab, lines[i].src, &recs[i].src_off)) {
				err = -ENOMEM;
				goto out;
			}
		}
		if (!tab.len && strtab_add(&tab, "?", &recs[0].file_off)) {
			err = -ENOMEM;
			goto out;
		}
		cmd.line_info = (uintptr_t)recs;
		cmd.line_info_cnt = nr_lines;
		cmd.strings = (uintptr_t)tab.buf;
		cmd.strings_size = tab.len;
	}

	err = dev_ioctl(dev, IPO_PROG_LOAD, &cmd);
	if (opts) {
		opts->log_len = cmd.log_len;
		opts->out_flags = cmd.out_flags;
		opts->prog_id = err ? 0 : cmd.prog_id;
		if (opts->sz >= offsetofend(struct ipo_load_opts, jit_size)) {
			opts->jit_reason = cmd.jit_reason;
			opts->jit_size = err ? 0 : cmd.jit_size;
		}
	}
	if (err)
		pr_warn("program '%s': PROG_LOAD: %s\n", name, strerror(-err));
	else
		err = cmd.out_fd;
out:
	free(recs);
	free(tab.buf);
	return err < 0 ? libipo_err(err) : err;
}

int ipo_obj_set_methods(struct ipo_dev *dev, int obj_fd, const int *prog_fds,
			size_t nr_methods)
{
	struct ipo_obj_set_methods cmd = {
		.size = sizeof(cmd),
		.obj_fd = obj_fd,
		.nr_methods = nr_methods,
		.prog_fds = (uintptr_t)prog_fds,
	};
	int err;

	if (nr_methods > IPO_MAX_METHODS)
		return libipo_err(-EINVAL);
	err = dev_ioctl(dev, IPO_OBJ_SET_METHODS, &cmd);
	if (err)
		pr_warn("fd %d: OBJ_SET_METHODS: %s\n", obj_fd, strerror(-err));
	return err;
}

int ipo_prog_obj__method_index(const struct ipo_prog_obj *obj,
			       const char *method)
{
	struct ipo_program *prog;
	int idx = 0;

	ipo_prog_obj__for_each_program(prog, obj) {
		if (ipo_program__type(prog) != IPO_PROG_TYPE_METHOD)
			continue;
		if (!strcmp(ipo_program__method_name(prog), method))
			return idx;
		idx++;
	}
	return libipo_err(-ENOENT);
}

int ipo_obj_attach_prog_obj(struct ipo_dev *dev, int obj_fd,
			    const struct ipo_prog_obj *obj,
			    struct ipo_load_opts *opts)
{
	struct ipo_load_opts each = { .sz = sizeof(each) };
	int fds[IPO_MAX_METHODS];
	struct ipo_program *prog;
	int i, n = 0, err = 0;

	if (!libipo_opts_valid(opts, sizeof(*opts), &err))
		return libipo_err(err);
	if (opts)
		each = *opts;
	each.sz = sizeof(each);
	/* Every program is loaded under its own name. */
	each.name = NULL;
	ipo_prog_obj__for_each_program(prog, obj) {
		if (ipo_program__type(prog) != IPO_PROG_TYPE_METHOD)
			continue;
		if (n == IPO_MAX_METHODS) {
			pr_warn("%s: more than %d methods\n",
				ipo_prog_obj__name(obj), IPO_MAX_METHODS);
			err = -E2BIG;
			goto out;
		}
		err = ipo_program_load(dev, prog, &each);
		if (opts) {
			opts->log_len = each.log_len;
			opts->out_flags = each.out_flags;
			if (opts->sz >= offsetofend(struct ipo_load_opts,
						    jit_size)) {
				opts->jit_reason = each.jit_reason;
				opts->jit_size = each.jit_size;
			}
		}
		if (err < 0)
			goto out;
		fds[n++] = err;
	}
	err = ipo_obj_set_methods(dev, obj_fd, fds, n);
out:
	/* The table holds the programs; their fds are no longer needed. */
	for (i = 0; i < n; i++)
		close(fds[i]);
	return err < 0 ? libipo_err(err) : n;
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
	err = dev_ioctl(dev, IPO_OBJ_OPEN, &cmd);
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
	err = dev_ioctl(dev, IPO_HANDLE_DERIVE, &cmd);
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

	return dev_ioctl(dev, IPO_HANDLE_REVOKE, &cmd);
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
	err = dev_ioctl(dev, IPO_PROG_TEST_RUN, &cmd);
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

struct ipo_bundle {
	struct ipo_dev *dev;
	struct ipo_call *calls;
	size_t nr_calls, cap;
	uint32_t nr_done;
	bool submitted;
	bool abort_pc;		/* the module reports ipo_call.abort_pc */
};

struct ipo_bundle *ipo_bundle_new(struct ipo_dev *dev)
{
	struct ipo_info info;
	struct ipo_bundle *b;

	if (!dev)
		return libipo_err_ptr(-EINVAL);
	b = calloc(1, sizeof(*b));
	if (!b)
		return libipo_err_ptr(-ENOMEM);
	b->dev = dev;
	if (!ipo_dev_info(dev, &info))
		b->abort_pc = info.features & IPO_FEATURE_ABORT_PC;
	return b;
}

void ipo_bundle_free(struct ipo_bundle *b)
{
	if (!b)
		return;
	free(b->calls);
	free(b);
}

void ipo_bundle_reset(struct ipo_bundle *b)
{
	b->nr_calls = 0;
	b->nr_done = 0;
	b->submitted = false;
}

int ipo_bundle_add_call(struct ipo_bundle *b, int obj_fd, uint32_t method,
			const void *arg, size_t arg_size, void *out,
			size_t out_size)
{
	struct ipo_call *c;

	if (arg_size > UINT32_MAX || out_size > UINT32_MAX ||
	    (arg_size && !arg) || (out_size && !out))
		return libipo_err(-EINVAL);
	if (b->nr_calls == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 8;
		struct ipo_call *p = realloc(b->calls, cap * sizeof(*p));

		if (!p)
			return libipo_err(-ENOMEM);
		b->calls = p;
		b->cap = cap;
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
	err = dev_ioctl(b->dev, IPO_INVOKE, &cmd);
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
	if (!b->abort_pc)
		return libipo_err(-EOPNOTSUPP);
	*pc = c->abort_pc;
	return 0;
}
