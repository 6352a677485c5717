// SPDX-License-Identifier: GPL-2.0
/*
 * ipo watch OBJECT [MASK]: prints an object's changes as they commit,
 * through libipo's handlers (ipo_on_change(), ipo_dispatch()): each
 * record's events, sequence number and overflow flag, then the new state
 * read from a consistent snapshot of the read-only mapping, by BTF type
 * when the methods file is known (--methods), else as bytes.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle.h"
#include "ipo_tool.h"

/* Bounds the wait for a signal that lands just before epoll_wait(). */
#define WATCH_TICK_MS	250

struct watch {
	FILE *out;
	struct bun_object obj;	/* name, view and type, for the state */
	unsigned long nr, max;
};

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

static void on_change(const struct ipo_event *e, void *ctx)
{
	struct watch *w = ctx;

	if (w->max && w->nr >= w->max)
		return;
	w->nr++;
	fprintf(w->out, "event %lu: mask 0x%llx, seq %u%s\n", w->nr,
		(unsigned long long)e->mask, e->seq,
		e->flags & IPO_EVENT_OVERFLOW ? ", overflow (resync)" : "");
	/* A snapshot is the whole state: the same after an overflow. */
	bun_print_state(w->out, &w->obj, false);
	fflush(w->out);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ipo watch [--methods FILE.o] [--count N] OBJECT [MASK]\n"
		"  Prints every committed change of the named OBJECT whose events meet\n"
		"  MASK (default: all): the events, the sequence number, whether\n"
		"  events were merged (overflow), and the new state, by the object\n"
		"  type of FILE.o when given.  Needs the NOTIFY and READ rights.\n"
		"  --methods FILE.o  the object's methods file, for its type\n"
		"  --count N         exit after N changes\n"
		"SIGINT or SIGTERM ends it (exit status 0).\n");
}

static int load_type(struct bun_file *f, const char *path)
{
	f->path = (char *)path;
	f->obj = ipo_prog_obj_open(path, NULL);
	if (!f->obj) {
		fprintf(stderr, "ipo watch: %s: %s\n", path, strerror(errno));
		return -errno;
	}
	f->btf = ipo_prog_obj__btf(f->obj);
	f->obj_type = f->btf ? bun_object_type(f->btf) : 0;
	if (!f->obj_type)
		fprintf(stderr, "ipo watch: %s declares no IPO_OBJECT() type; printing bytes\n",
			path);
	return 0;
}

static int run_watch(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "methods", required_argument, NULL, 'm' },
		{ "count", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct sigaction sa = { .sa_handler = on_signal };
	struct watch w = { .out = stdout };
	struct bun_file file = {};
	struct ipo_events *ev = NULL;
	const char *methods = NULL;
	struct ipo_dev *dev;
	uint64_t mask = ~0ULL;
	int c, fd = -1, id, err = 0;
	char *end;

	while ((c = getopt_long(argc, argv, "m:c:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			methods = optarg;
			break;
		case 'c':
			w.max = strtoul(optarg, &end, 0);
			if (*end || !w.max) {
				usage(stderr);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1 && optind != argc - 2) {
		usage(stderr);
		return 2;
	}
	if (optind == argc - 2) {
		errno = 0;
		mask = strtoull(argv[optind + 1], &end, 0);
		if (errno || *end || !mask) {
			fprintf(stderr, "ipo watch: bad mask '%s'\n",
				argv[optind + 1]);
			return 2;
		}
	}
	w.obj.var = argv[optind];
	w.obj.name = argv[optind];
	if (methods) {
		if (load_type(&file, methods))
			return 2;
		w.obj.file = &file;
	}

	dev = ipo_dev_open();
	if (!dev) {
		fprintf(stderr, "ipo watch: cannot open /dev/ipo: %s\n",
			strerror(errno));
		err = -errno;
		goto out;
	}
	fd = ipo_obj_open(dev, w.obj.name, IPO_RIGHT_NOTIFY | IPO_RIGHT_READ,
			  NULL, &w.obj.obj_id, NULL);
	if (fd < 0) {
		fprintf(stderr, "ipo watch: open(\"%s\"): %s\n", w.obj.name,
			strerror(-fd));
		err = fd;
		goto out;
	}
	w.obj.fd = fd;
	w.obj.view = ipo_view_map(fd);
	ev = ipo_events_new(dev);
	if (!w.obj.view || !ev) {
		err = -errno;
		fprintf(stderr, "ipo watch: %s\n", strerror(errno));
		goto out;
	}
	id = ipo_on_change(ev, fd, mask, on_change, &w);
	if (id < 0) {
		err = id;
		fprintf(stderr, "ipo watch: subscribe: %s\n", strerror(-id));
		goto out;
	}

	/* No SA_RESTART: a signal ends the wait in ipo_dispatch(). */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fprintf(w.out, "watching %s (object %llu, mask 0x%llx); SIGINT or SIGTERM ends\n",
		w.obj.name, (unsigned long long)w.obj.obj_id,
		(unsigned long long)mask);
	fflush(w.out);
	while (!got_signal && !(w.max && w.nr >= w.max)) {
		err = ipo_dispatch(ev, WATCH_TICK_MS);
		if (err == -EINTR)
			err = 0;
		if (err < 0) {
			fprintf(stderr, "ipo watch: %s\n", strerror(-err));
			break;
		}
		err = 0;
	}
	if (got_signal)
		fprintf(w.out, "signal %d: %lu changes seen\n", got_signal, w.nr);
out:
	ipo_events_free(ev);
	ipo_view_unmap(w.obj.view);
	free(w.obj.shown);
	if (fd >= 0)
		close(fd);
	ipo_dev_close(dev);
	ipo_prog_obj__close(file.obj);
	return err ? 1 : 0;
}

const struct ipo_verb ipo_verb_watch = {
	.name = "watch",
	.help = "print an object's changes as they commit",
	.run = run_watch,
};
