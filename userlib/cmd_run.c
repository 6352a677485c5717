// SPDX-License-Identifier: GPL-2.0
/*
 * ipo run FILE.bundle: runs a bundle script (userlib/BUNDLE.md) through
 * libipo: objects created or opened, methods loaded and attached, each
 * bundle submitted in one INVOKE, each call's result and the objects' new
 * state printed (read through the read-only mapping, by BTF type).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "bundle.h"
#include "ipo_tool.h"

#define LOG_SIZE	(256U << 10)

/*
 * Prints the object's state from a consistent snapshot of its mapping;
 * with @if_changed, only a line saying so when it is what was shown last.
 */
void bun_print_state(FILE *out, struct bun_object *o, bool if_changed)
{
	const struct bun_file *f = o->file;
	uint64_t size = ipo_view_size(o->view);
	int64_t seq;
	void *buf;

	buf = calloc(1, size ? size : 1);
	if (!buf) {
		fprintf(out, "%s: out of memory\n", o->var);
		return;
	}
	seq = ipo_view_snapshot(o->view, 0, buf, size);
	if (if_changed && o->shown && !memcmp(o->shown, buf, size)) {
		fprintf(out, "%s unchanged  # seq %lld\n", o->var,
			(long long)seq);
		free(buf);
		return;
	}
	fprintf(out, "%s = ", o->var);
	if (f && f->obj_type &&
	    btf__resolve_size(f->btf, f->obj_type) <= (int64_t)size) {
		const struct btf_type *t = btf__type_by_id(f->btf,
							   f->obj_type);

		fprintf(out, "struct %s ", bun_btf_name(f->btf, t->name_off));
		bun_print_value(out, f->btf, f->obj_type, NULL, buf, 0);
	} else {
		struct bun_type raw = { .size = size > 64 ? 64 : size };

		bun_print_typed(out, &raw, buf, 0);
		if (size > 64)
			fprintf(out, " ...");
	}
	fprintf(out, "  # seq %lld\n", (long long)seq);
	free(o->shown);
	o->shown = buf;
}

static int do_object(struct ipo_dev *dev, FILE *out, struct bun_object *o)
{
	if (o->create) {
		LIBIPO_OPTS(ipo_obj_opts, opts, .name = o->name,
			    .mode = o->mode);

		o->fd = ipo_obj_create(dev, o->size, &opts, &o->obj_id);
	} else {
		o->fd = ipo_obj_open(dev, o->name,
				     IPO_RIGHT_INVOKE | IPO_RIGHT_READ, NULL,
				     &o->obj_id, NULL);
	}
	if (o->fd < 0) {
		fprintf(stderr, "ipo run: %s(\"%s\"): %s\n",
			o->create ? "create" : "open", o->name ? o->name : "",
			strerror(-o->fd));
		return o->fd;
	}
	o->view = ipo_view_map(o->fd);
	if (!o->view) {
		fprintf(stderr, "ipo run: %s: mmap: %s\n", o->var,
			strerror(errno));
		return -errno;
	}
	if (o->create)
		fprintf(out, "%s: created object %llu%s%s%s, %llu bytes, mode 0%o\n",
			o->var, (unsigned long long)o->obj_id,
			o->name ? " \"" : "", o->name ? o->name : "",
			o->name ? "\"" : "", (unsigned long long)o->size,
			o->mode ? o->mode : 0600);
	else
		fprintf(out, "%s: opened object %llu \"%s\"\n", o->var,
			(unsigned long long)o->obj_id, o->name);
	return 0;
}

static int do_methods(struct ipo_dev *dev, FILE *out, struct bun_stmt *st)
{
	struct bun_object *o = st->obj;
	struct ipo_program *p;
	int n;

	if (!o->create) {
		/* The owner attached them; names and types come from the file. */
		fprintf(out, "%s: methods of %s (attached by the owner)\n",
			o->var, o->file->path);
		return 0;
	}
	{
		LIBIPO_OPTS(ipo_load_opts, opts, .log_size = LOG_SIZE);
		char *log = calloc(1, LOG_SIZE);

		opts.log_buf = log;
		if (!log)
			opts.log_size = 0;
		n = ipo_obj_attach_prog_obj(dev, o->fd, o->file->obj, &opts);
		if (n < 0) {
			fprintf(stderr, "ipo run: %s: methods from %s: %s\n",
				o->var, o->file->path, strerror(-n));
			if (log && opts.log_len)
				fprintf(stderr, "%s", log);
			free(log);
			return n;
		}
		free(log);
	}
	fprintf(out, "%s: %d methods from %s:", o->var, n, o->file->path);
	ipo_prog_obj__for_each_program(p, o->file->obj)
		if (ipo_program__type(p) == IPO_PROG_TYPE_METHOD)
			fprintf(out, " %s", ipo_program__method_name(p));
	fprintf(out, "\n");
	return 0;
}

static void print_status(FILE *out, const struct ipo_call_result *res)
{
	const char *name = bun_errno_name(res->status);

	if (!res->status) {
		fprintf(out, "ok");
		return;
	}
	if (name)
		fprintf(out, "%s", name);
	else
		fprintf(out, "error %d", res->status);
	switch (res->status) {
	case -ETIME:
		fprintf(out, " (out of fuel)");
		break;
	case -EFAULT:
		if (res->abort == IPO_RESULT_BOUNDS)
			fprintf(out, " (bounds check)");
		break;
	case -ECANCELED:
		fprintf(out, " (not run or rolled back)");
		break;
	case -ENOSPC:
		if (res->abort == IPO_RESULT_UNDO)
			fprintf(out, " (undo log full)");
		break;
	}
}

/* The METHOD program called @method in @obj, or NULL. */
static const struct ipo_program *method_prog(const struct ipo_prog_obj *obj,
					     const char *method)
{
	struct ipo_program *p;

	ipo_prog_obj__for_each_program(p, obj)
		if (ipo_program__type(p) == IPO_PROG_TYPE_METHOD &&
		    !strcmp(ipo_program__method_name(p), method))
			return p;
	return NULL;
}

/*
 * " at insn 17, bank.c:42: <the line>" for a call whose run aborted: the
 * instruction the module reported, through the file's line info.
 */
static void print_where(FILE *out, const struct ipo_bundle *b, int idx,
			const struct bun_call *c)
{
	const struct ipo_program *p = NULL;
	char where[512];
	uint32_t pc;

	if (ipo_bundle_call_abort_pc(b, idx, &pc))
		return;
	if (c->obj->file && c->obj->file->obj)
		p = method_prog(c->obj->file->obj, c->method);
	if (!p || ipo_program__where(p, pc, where, sizeof(where)) < 0)
		snprintf(where, sizeof(where), "insn %u", pc);
	fprintf(out, " at %s", where);
}

static int do_bundle(struct ipo_bundle *b, FILE *out, struct bun_stmt *st,
		     int nr)
{
	struct bun_object *seen[64];
	int i, j, nr_seen = 0, err;
	size_t width = 0;

	ipo_bundle_reset(b);
	for (i = 0; i < st->nr_calls; i++) {
		struct bun_call *c = &st->calls[i];

		if (c->out)
			memset(c->out, 0, c->out_type.size);
		err = ipo_bundle_add_call(b, c->obj->fd, c->method_idx, c->arg,
					  c->arg_size, c->out,
					  c->out_type.size);
		if (err < 0)
			return err;
		if (strlen(c->text) > width)
			width = strlen(c->text);
	}
	if (width > 64)
		width = 64;
	err = ipo_bundle_submit(b, st->atomic ? IPO_INVOKE_ATOMIC :
				st->independent ? IPO_INVOKE_INDEPENDENT : 0,
				st->fuel);
	fprintf(out, "bundle %d (", nr);
	if (st->block)
		fprintf(out, "%s, ", st->atomic ? "atomic" : st->independent ?
			"independent" : "stop at error");
	fprintf(out, "%d call%s", st->nr_calls, st->nr_calls > 1 ? "s" : "");
	if (st->fuel)
		fprintf(out, ", fuel %llu", (unsigned long long)st->fuel);
	fprintf(out, "): ");
	if (!err)
		fprintf(out, "committed\n");
	else if (st->atomic || st->nr_calls == 1)
		fprintf(out, "failed, rolled back (%s)\n",
			bun_errno_name(err) ?: strerror(-err));
	else if (st->independent)
		fprintf(out, "%u of %d committed, first failure %s\n",
			ipo_bundle_nr_done(b), st->nr_calls,
			bun_errno_name(err) ?: strerror(-err));
	else
		fprintf(out, "stopped after %u committed (%s)\n",
			ipo_bundle_nr_done(b),
			bun_errno_name(err) ?: strerror(-err));

	for (i = 0; i < st->nr_calls; i++) {
		struct bun_call *c = &st->calls[i];
		struct ipo_call_result res;

		fprintf(out, "  %-*s  ", (int)width, c->text);
		if (ipo_bundle_call_result(b, i, &res)) {
			fprintf(out, "no result\n");
			continue;
		}
		print_status(out, &res);
		if (res.abort != IPO_RESULT_OK)
			print_where(out, b, i, c);
		/* A failed call's r0 is its errno, already shown. */
		if (!res.status)
			fprintf(out, ", ret %lld", (long long)res.ret);
		if (!res.status && c->out) {
			fprintf(out, " -> ");
			bun_print_typed(out, &c->out_type, c->out, 1);
		}
		fprintf(out, "\n");
		for (j = 0; j < nr_seen; j++)
			if (seen[j] == c->obj)
				break;
		if (j == nr_seen && nr_seen < 64)
			seen[nr_seen++] = c->obj;
	}
	for (j = 0; j < nr_seen; j++)
		bun_print_state(out, seen[j], true);
	if (st->expect) {
		if (err == -st->expect) {
			fprintf(out, "  (failed with %s as expected)\n",
				bun_errno_name(st->expect));
			return 0;
		}
		fprintf(out, "  expected %s, got %s\n",
			bun_errno_name(st->expect),
			err ? bun_errno_name(err) ?: strerror(-err) : "success");
		return -EPROTO;
	}
	return err;
}

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

static void hold(FILE *out, struct bun_script *s)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct bun_object *o;
	sigset_t mask, old;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, &old);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	fprintf(out, "holding the objects (pid %d); SIGTERM or SIGINT ends\n",
		getpid());
	fflush(out);
	while (!got_signal)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	fprintf(out, "signal %d: state at exit\n", got_signal);
	for (o = s->objects; o; o = o->next)
		if (o->view)
			bun_print_state(out, o, false);
	fflush(out);
}

int bun_run(struct bun_script *s, FILE *out, bool hold_at_end)
{
	struct ipo_bundle *b = NULL;
	struct ipo_dev *dev;
	struct bun_stmt *st;
	int nr = 0, failed = 0, err = 0;
	bool held = false;

	dev = ipo_dev_open();
	if (!dev) {
		fprintf(stderr, "ipo run: cannot open /dev/ipo: %s%s\n",
			strerror(errno),
			errno == ENOENT ? " (is the module loaded?)" : "");
		return -errno;
	}
	b = ipo_bundle_new(dev);
	if (!b) {
		err = -errno;
		goto out;
	}
	for (st = s->stmts; st; st = st->next) {
		switch (st->kind) {
		case BUN_STMT_OBJECT:
			err = do_object(dev, out, st->obj);
			break;
		case BUN_STMT_METHODS:
			err = do_methods(dev, out, st);
			break;
		case BUN_STMT_BUNDLE:
			/* A failed bundle is a result: the script goes on. */
			if (do_bundle(b, out, st, ++nr))
				failed++;
			break;
		case BUN_STMT_PRINT:
			if (!st->obj->view) {
				fprintf(stderr, "ipo run: %s:%d: '%s' is not created or opened yet\n",
					s->path, st->pos.line, st->obj->var);
				err = -EINVAL;
				break;
			}
			bun_print_state(out, st->obj, false);
			break;
		case BUN_STMT_KEEP:
			hold(out, s);
			held = true;
			break;
		}
		fflush(out);
		if (err)
			goto out;
	}
	if (hold_at_end && !held)
		hold(out, s);
	err = failed ? -EPROTO : 0;
out:
	ipo_bundle_free(b);
	ipo_dev_close(dev);
	return err;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ipo run [--check] [--hold] [-I DIR]... FILE.bundle\n"
		"  Runs a bundle script (userlib/BUNDLE.md): creates or opens objects,\n"
		"  attaches methods from program files, submits each bundle in one\n"
		"  INVOKE and prints every call's result and the objects' new state.\n"
		"  --check   parse and resolve against the program files only (no kernel)\n"
		"  --hold    keep the objects alive after the script until SIGTERM/SIGINT\n"
		"  -I DIR    look for program files in DIR too (also $IPO_PROGS_PATH)\n"
		"Exit status: 0 when every bundle did what it should, 1 when one failed,\n"
		"2 for a script error.\n");
}

static int run_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "check", no_argument, NULL, 'c' },
		{ "hold", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const char *dirs[34];
	bool check = false, hold_end = false;
	struct bun_script *s;
	int c, nr_dirs = 0, err;
	char msg[1024];
	char *env;

	while ((c = getopt_long(argc, argv, "cHI:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			check = true;
			break;
		case 'H':
			hold_end = true;
			break;
		case 'I':
			if (nr_dirs < 32)
				dirs[nr_dirs++] = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	env = getenv("IPO_PROGS_PATH");
	if (env && *env && nr_dirs < 32)
		dirs[nr_dirs++] = env;
	dirs[nr_dirs] = NULL;
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	s = bun_parse_file(argv[optind], msg, sizeof(msg));
	if (!s) {
		fprintf(stderr, "%s\n", msg);
		return 2;
	}
	err = bun_resolve(s, dirs, msg, sizeof(msg));
	if (err) {
		fprintf(stderr, "%s\n", err == -ENOMEM ? "out of memory" : msg);
		bun_free(s);
		return 2;
	}
	if (check) {
		struct bun_stmt *st;
		int calls = 0;

		for (st = s->stmts; st; st = st->next)
			calls += st->nr_calls;
		printf("%s: ok (%d statements, %d calls)\n", s->path,
		       s->nr_stmts, calls);
		bun_free(s);
		return 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	err = bun_run(s, stdout, hold_end);
	bun_free(s);
	return err == -EPROTO ? 1 : err ? 2 : 0;
}

const struct ipo_verb ipo_verb_run = {
	.name = "run",
	.help = "run a bundle script: objects, methods, calls, state",
	.run = run_run,
};
