// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libipo: programs from ELF files into the kernel (PROG_LOAD with their
 * line info) and a program object's methods onto an object, described
 * from its BTF.  The part of libipo that needs the ELF loader (elf.c) and
 * so libbpf, libelf and zlib when linked statically (libipo-elf.pc).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/btf.h>
#include <bpf/btf.h>

#include "libipo.h"
#include "libipo_internal.h"

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

	err = libipo_dev_ioctl(dev, IPO_PROG_LOAD, &cmd);
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

/* The BTF id and size of struct @method@suffix in @btf; 0, 0 if none. */
static void method_type(const struct btf *btf, const char *method,
			const char *suffix, uint32_t *id, uint32_t *size)
{
	char name[IPO_NAME_MAX + 8];
	int32_t t;
	int64_t sz;

	*id = 0;
	*size = 0;
	if (!btf)
		return;
	snprintf(name, sizeof(name), "%s%s", method, suffix);
	t = btf__find_by_name_kind(btf, name, BTF_KIND_STRUCT);
	if (t <= 0)
		return;
	sz = btf__resolve_size(btf, t);
	if (sz <= 0 || sz > UINT32_MAX)
		return;
	*id = t;
	*size = sz;
}

/*
 * What clients learn of a method with OBJ_METHODS: its name, and its
 * argument and output structs by the conventions of progs/ipo.h
 * (struct M_args, struct M_out) when the file's BTF has them.
 */
static void method_desc(const struct ipo_prog_obj *obj,
			const struct ipo_program *prog,
			struct ipo_method_desc *d)
{
	const struct btf *btf = ipo_prog_obj__btf(obj);
	const char *name = ipo_program__method_name(prog);

	memset(d, 0, sizeof(*d));
	if (strlen(name) < sizeof(d->name))
		strcpy(d->name, name);
	method_type(btf, name, "_args", &d->arg_btf_id, &d->arg_size);
	method_type(btf, name, "_out", &d->out_btf_id, &d->out_size);
}

int ipo_obj_attach_prog_obj(struct ipo_dev *dev, int obj_fd,
			    const struct ipo_prog_obj *obj,
			    struct ipo_load_opts *opts)
{
	struct ipo_load_opts each = { .sz = sizeof(each) };
	struct ipo_method_desc descs[IPO_MAX_METHODS];
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
		method_desc(obj, prog, &descs[n]);
		fds[n++] = err;
	}
	err = ipo_obj_set_methods_desc(dev, obj_fd, fds, descs, n);
out:
	/* The table holds the programs; their fds are no longer needed. */
	for (i = 0; i < n; i++)
		close(fds[i]);
	return err < 0 ? libipo_err(err) : n;
}

