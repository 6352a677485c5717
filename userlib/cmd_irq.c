// SPDX-License-Identifier: GPL-2.0
/*
 * ipo irq: the shared-IRQ hook from the command line.
 *
 *   ipo irq bind DEVICE        hand a PCI device to the ipo-irq driver
 *   ipo irq unbind DEVICE      give it back
 *   ipo irq attach DEVICE FILE.o [options]
 *                              hook an IRQ program of FILE.o on DEVICE's
 *                              line until SIGINT/SIGTERM (or --seconds),
 *                              then print its counters and detach
 *
 * The attachment lives as long as its fd, so `attach` stays in the
 * foreground; the userspace driver meanwhile watches the object (`ipo
 * watch NAME --methods FILE.o`, or its own libipo loop).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libipo.h"
#include "ipo_tool.h"

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ipo irq bind DEVICE\n"
		"       ipo irq unbind DEVICE\n"
		"       ipo irq attach DEVICE FILE.o [--prog NAME] [--bar N] [--off N]\n"
		"                      --len N [--widths 8,16,32,64] [--obj NAME\n"
		"                      [--obj-size N] [--mode MODE]] [--seconds N]\n"
		"  bind: hand the PCI DEVICE (e.g. 0000:00:04.0) to the ipo-irq driver;\n"
		"  unbind gives it back.  attach: load the IRQ program NAME (default:\n"
		"  the first) of FILE.o and hook it on DEVICE's interrupt line with the\n"
		"  register window --off/--len of BAR --bar (default 0) and the access\n"
		"  widths --widths (default 32); with --obj, a new named object of\n"
		"  --obj-size bytes (default 64, mode default 0644) the hook updates and\n"
		"  the driver can open, map and watch.  Runs until SIGINT/SIGTERM or\n"
		"  --seconds, prints the hook's counters and detaches.  Exit status 1\n"
		"  when the hook faulted.  Needs root (sysfs, CAP_SYS_RAWIO).\n");
}

static const char *const state_names[] = {
	[IPO_IRQ_ACTIVE] = "active",
	[IPO_IRQ_FAULTED] = "faulted",
	[IPO_IRQ_DETACHED] = "detached",
};

static const char *const fault_names[] = {
	[IPO_IRQ_FAULT_NONE] = "none",
	[IPO_IRQ_FAULT_ABORT] = "run aborted",
	[IPO_IRQ_FAULT_STUCK] = "device stayed asserted",
	[IPO_IRQ_FAULT_RETVAL] = "bad return value",
	[IPO_IRQ_FAULT_UNCLAIMED] = "disowned its device's interrupts",
	[IPO_IRQ_FAULT_REVOKED] = "object handle revoked",
};

static void print_stat(const struct ipo_irq_stat *st)
{
	printf("state %s, irq %u, handled %llu, none %llu",
	       st->state < 4 && state_names[st->state] ?
	       state_names[st->state] : "?", st->irq,
	       (unsigned long long)st->handled,
	       (unsigned long long)st->none);
	if (st->faults)
		printf(", fault: %s (abort %u at insn %u)",
		       st->fault < sizeof(fault_names) / sizeof(fault_names[0]) ?
		       fault_names[st->fault] : "?",
		       st->abort, st->abort_pc);
	printf("\n");
}

static int parse_widths(const char *s, uint32_t *widths)
{
	char *copy = strdup(s), *tok, *save = NULL;
	int err = 0;

	*widths = 0;
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "8"))
			*widths |= IPO_IRQ_W8;
		else if (!strcmp(tok, "16"))
			*widths |= IPO_IRQ_W16;
		else if (!strcmp(tok, "32"))
			*widths |= IPO_IRQ_W32;
		else if (!strcmp(tok, "64"))
			*widths |= IPO_IRQ_W64;
		else
			err = -EINVAL;
	}
	free(copy);
	return err || !*widths ? -EINVAL : 0;
}

static int num_arg(const char *opt, const char *s, unsigned long long *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || end == s || *end) {
		fprintf(stderr, "ipo irq: bad %s '%s'\n", opt, s);
		return -EINVAL;
	}
	return 0;
}

/* The IRQ program called @name in @obj, or the first one. */
static struct ipo_program *find_irq_prog(struct ipo_prog_obj *obj,
					 const char *name)
{
	struct ipo_program *p;

	ipo_prog_obj__for_each_program(p, obj) {
		if (ipo_program__type(p) != IPO_PROG_TYPE_IRQ)
			continue;
		if (!name || !strcmp(ipo_program__name(p), name))
			return p;
	}
	return NULL;
}

static int cmd_attach(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "prog", required_argument, NULL, 'p' },
		{ "bar", required_argument, NULL, 'b' },
		{ "off", required_argument, NULL, 'o' },
		{ "len", required_argument, NULL, 'l' },
		{ "widths", required_argument, NULL, 'w' },
		{ "obj", required_argument, NULL, 'O' },
		{ "obj-size", required_argument, NULL, 'S' },
		{ "mode", required_argument, NULL, 'M' },
		{ "seconds", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	LIBIPO_OPTS(ipo_irq_opts, opts);
	LIBIPO_OPTS(ipo_obj_opts, oopts, .mode = 0644);
	struct sigaction sa = { .sa_handler = on_signal };
	const char *prog_name = NULL, *obj_name = NULL, *device, *path;
	unsigned long long v, seconds = 0, obj_size = 64;
	struct ipo_prog_obj *elf = NULL;
	struct ipo_program *prog;
	struct ipo_irq_stat st;
	struct ipo_dev *dev = NULL;
	int c, prog_fd = -1, obj_fd = -1, fd = -1, ret = 2;
	char log[512];

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			prog_name = optarg;
			break;
		case 'b':
			if (num_arg("--bar", optarg, &v))
				return 2;
			opts.bar = v;
			break;
		case 'o':
			if (num_arg("--off", optarg, &v))
				return 2;
			opts.win_off = v;
			break;
		case 'l':
			if (num_arg("--len", optarg, &v))
				return 2;
			opts.win_len = v;
			break;
		case 'w':
			if (parse_widths(optarg, &opts.widths)) {
				fprintf(stderr, "ipo irq: bad --widths '%s': want a list of 8,16,32,64\n",
					optarg);
				return 2;
			}
			break;
		case 'O':
			obj_name = optarg;
			break;
		case 'S':
			if (num_arg("--obj-size", optarg, &obj_size))
				return 2;
			break;
		case 'M':
			if (num_arg("--mode", optarg, &v))
				return 2;
			oopts.mode = v;
			break;
		case 's':
			if (num_arg("--seconds", optarg, &seconds))
				return 2;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 2 || !opts.win_len) {
		usage(stderr);
		return 2;
	}
	device = argv[optind];
	path = argv[optind + 1];

	elf = ipo_prog_obj_open(path, NULL);
	if (!elf) {
		fprintf(stderr, "ipo irq: %s: %s\n", path, strerror(errno));
		goto out;
	}
	prog = find_irq_prog(elf, prog_name);
	if (!prog) {
		fprintf(stderr, "ipo irq: %s has no IRQ program%s%s\n", path,
			prog_name ? " called " : "", prog_name ? prog_name : "");
		goto out;
	}
	dev = ipo_dev_open();
	if (!dev) {
		fprintf(stderr, "ipo irq: cannot open /dev/ipo: %s\n",
			strerror(errno));
		goto out;
	}
	{
		LIBIPO_OPTS(ipo_load_opts, lopts, .log_buf = log,
			    .log_size = sizeof(log));

		prog_fd = ipo_program_load(dev, prog, &lopts);
		if (prog_fd < 0) {
			fprintf(stderr, "ipo irq: %s: %s\n%s",
				ipo_program__name(prog), strerror(-prog_fd),
				log);
			goto out;
		}
	}
	if (obj_name) {
		oopts.name = obj_name;
		obj_fd = ipo_obj_create(dev, obj_size, &oopts, NULL);
		if (obj_fd < 0) {
			fprintf(stderr, "ipo irq: object %s: %s\n", obj_name,
				strerror(-obj_fd));
			goto out;
		}
		opts.has_obj = true;
		opts.obj_fd = obj_fd;
	}
	opts.log_buf = log;
	opts.log_size = sizeof(log);
	fd = ipo_irq_attach(dev, device, prog_fd, &opts);
	if (fd < 0) {
		fprintf(stderr, "ipo irq: attach to %s: %s%s%s\n", device,
			strerror(-fd), log[0] ? ": " : "", log);
		goto out;
	}
	if (ipo_irq_stat(dev, fd, &st))
		goto out;
	printf("hook %u: %s on %s, irq %u%s%s; SIGINT or SIGTERM detaches\n",
	       opts.attach_id, ipo_program__name(prog), device, st.irq,
	       obj_name ? ", object " : "", obj_name ? obj_name : "");
	fflush(stdout);

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (seconds) {
		sigaction(SIGALRM, &sa, NULL);
		alarm(seconds);
	}
	while (!got_signal)
		pause();
	ret = ipo_irq_stat(dev, fd, &st) ? 2 : st.faults ? 1 : 0;
	if (ret != 2)
		print_stat(&st);
out:
	if (fd >= 0)
		close(fd);
	if (obj_fd >= 0)
		close(obj_fd);
	if (prog_fd >= 0)
		close(prog_fd);
	ipo_dev_close(dev);
	ipo_prog_obj__close(elf);
	return ret;
}

static int run_irq(int argc, char **argv)
{
	int err;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "attach"))
		return cmd_attach(argc - 1, argv + 1);
	if (strcmp(argv[1], "bind") && strcmp(argv[1], "unbind")) {
		fprintf(stderr, "ipo irq: unknown command '%s'\n", argv[1]);
		usage(stderr);
		return 2;
	}
	if (argc != 3) {
		usage(stderr);
		return 2;
	}
	err = argv[1][0] == 'b' ? ipo_irq_bind(argv[2]) :
				  ipo_irq_unbind(argv[2]);
	if (err) {
		fprintf(stderr, "ipo irq %s %s: %s\n", argv[1], argv[2],
			strerror(-err));
		return 1;
	}
	return 0;
}

const struct ipo_verb ipo_verb_irq = {
	.name = "irq",
	.help = "bind a PCI device to ipo-irq, attach an IRQ hook to it",
	.run = run_irq,
};
