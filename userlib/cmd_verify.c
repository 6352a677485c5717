// SPDX-License-Identifier: GPL-2.0
/*
 * ipo verify, ipo disasm: the engine's verifier and disassembler run on the
 * host, on a program object file from clang (or raw instructions), with the
 * C source lines of the file's BTF line info.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include "libipo.h"
#include "ipo_tool.h"
#include "verifier/progtypes.h"
#include "verifier/verifier.h"
#include "jit/disasm.h"

_Static_assert(sizeof(struct ipo_insn) == sizeof(struct bpf_insn),
	       "libipo hands out struct bpf_insn, the engine reads struct ipo_insn");

#define LOG_SIZE	(1U << 20)
#define LOG_SIZE_INSNS	(64U << 20)	/* --log-level 2 logs every insn */

/* One program to work on, from an ELF file or a raw one. */
struct tool_prog {
	const char *name;
	const char *sec;		/* NULL for --raw */
	u32 type;			/* IPO_PROG_TYPE_* */
	const struct ipo_insn *insns;
	u32 len;
	struct ipo_line_info *lines;
	u32 nr_lines;
};

struct tool_input {
	const char *path;
	struct ipo_prog_obj *obj;
	void *raw;
	struct tool_prog *progs;
	size_t nr_progs;
};

static const char *type_name(u32 type)
{
	switch (type) {
	case IPO_PROG_TYPE_METHOD:
		return "method";
	case IPO_PROG_TYPE_IRQ:
		return "irq";
	default:
		return "unspec";
	}
}

static int read_raw(struct tool_input *in)
{
	size_t cap = 4096, len = 0;
	FILE *f = fopen(in->path, "rb");
	char *buf;

	if (!f) {
		fprintf(stderr, "ipo: %s: %s\n", in->path, strerror(errno));
		return -errno;
	}
	buf = malloc(cap);
	while (buf) {
		char *more;

		len += fread(buf + len, 1, cap - len, f);
		if (len < cap)
			break;
		cap *= 2;
		more = realloc(buf, cap);
		if (!more)
			free(buf);
		buf = more;
	}
	if (buf && ferror(f)) {
		fprintf(stderr, "ipo: %s: read error\n", in->path);
		fclose(f);
		free(buf);
		return -EIO;
	}
	fclose(f);
	if (!buf) {
		fprintf(stderr, "ipo: %s: out of memory\n", in->path);
		return -ENOMEM;
	}
	in->raw = buf;
	if (!len || len % sizeof(struct ipo_insn) ||
	    len / sizeof(struct ipo_insn) > IPO_MAX_INSNS) {
		fprintf(stderr, "ipo: %s: %zu bytes is not a whole number of 8-byte instructions (1..%u)\n",
			in->path, len, IPO_MAX_INSNS);
		return -EINVAL;
	}
	in->progs = calloc(1, sizeof(*in->progs));
	if (!in->progs)
		return -ENOMEM;
	in->nr_progs = 1;
	in->progs->name = strrchr(in->path, '/') ?
			  strrchr(in->path, '/') + 1 : in->path;
	in->progs->insns = in->raw;
	in->progs->len = len / sizeof(struct ipo_insn);
	return 0;
}

static int fill_prog(struct tool_prog *tp, const struct ipo_program *p)
{
	const struct ipo_prog_line *l;
	size_t i, n;

	tp->name = ipo_program__name(p);
	tp->sec = ipo_program__section_name(p);
	tp->type = ipo_program__type(p);
	tp->insns = (const struct ipo_insn *)ipo_program__insns(p);
	if (ipo_program__insn_cnt(p) > IPO_MAX_INSNS) {
		fprintf(stderr, "ipo: %s: %zu instructions, more than %u\n",
			tp->name, ipo_program__insn_cnt(p), IPO_MAX_INSNS);
		return -E2BIG;
	}
	tp->len = ipo_program__insn_cnt(p);
	l = ipo_program__line_info(p, &n);
	if (!n)
		return 0;
	tp->lines = calloc(n, sizeof(*tp->lines));
	if (!tp->lines)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		tp->lines[i].insn_off = l[i].insn_off;
		tp->lines[i].line = l[i].line;
		tp->lines[i].col = l[i].col;
		tp->lines[i].file = l[i].file;
		tp->lines[i].src = l[i].src;
	}
	tp->nr_lines = n;
	return 0;
}

/* Loads the programs of @in->path, or only the one called @only. */
static int load_input(struct tool_input *in, bool raw, const char *only)
{
	struct ipo_program *p;
	size_t n = 0;
	int err;

	if (raw)
		return read_raw(in);
	in->obj = ipo_prog_obj_open(in->path, NULL);
	if (!in->obj)
		return -errno;	/* libipo has said why */
	if (only) {
		p = ipo_prog_obj__find_program(in->obj, only);
		if (!p) {
			fprintf(stderr, "ipo: %s: no program '%s'\n",
				in->path, only);
			return -ENOENT;
		}
		in->progs = calloc(1, sizeof(*in->progs));
		if (!in->progs)
			return -ENOMEM;
		in->nr_progs = 1;
		return fill_prog(in->progs, p);
	}
	ipo_prog_obj__for_each_program(p, in->obj)
		n++;
	if (!n) {
		fprintf(stderr, "ipo: %s: no programs\n", in->path);
		return -ENOENT;
	}
	in->progs = calloc(n, sizeof(*in->progs));
	if (!in->progs)
		return -ENOMEM;
	ipo_prog_obj__for_each_program(p, in->obj) {
		err = fill_prog(&in->progs[in->nr_progs++], p);
		if (err)
			return err;
	}
	return 0;
}

static void free_input(struct tool_input *in)
{
	size_t i;

	for (i = 0; i < in->nr_progs; i++)
		free(in->progs[i].lines);
	free(in->progs);
	free(in->raw);
	ipo_prog_obj__close(in->obj);
}

/* The line info entry covering instruction @pc, or NULL. */
static const struct ipo_line_info *line_of(const struct tool_prog *tp, u32 pc)
{
	const struct ipo_line_info *best = NULL;
	u32 i;

	for (i = 0; i < tp->nr_lines && tp->lines[i].insn_off <= pc; i++)
		best = &tp->lines[i];
	return best;
}

static const char *trim(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int verify_one(const char *path, const struct tool_prog *tp,
		      const struct ipo_prog_type *type, u32 level)
{
	struct ipo_prog prog = {};
	struct ipo_vlog log = {};
	int err;

	log.size = level >= 2 ? LOG_SIZE_INSNS : LOG_SIZE;
	log.buf = calloc(1, log.size);
	prog.aux = calloc(tp->len, sizeof(*prog.aux));
	if (!log.buf || !prog.aux) {
		free(log.buf);
		free(prog.aux);
		fprintf(stderr, "ipo: out of memory\n");
		return -ENOMEM;
	}
	log.level = level;
	log.lines = tp->lines;
	log.nr_lines = tp->nr_lines;
	prog.insns = tp->insns;
	prog.len = tp->len;
	prog.type = type;

	err = ipo_verify(&prog, &log);
	if (!err)
		printf("%s:%s: accepted (%u insns)\n", path, tp->name, tp->len);
	else
		printf("%s:%s: rejected: %s\n", path, tp->name, strerror(-err));
	if (log.len)
		printf("%s%s", log.buf,
		       log.buf[log.len - 1] != '\n' ? "\n" : "");
	if (log.truncated)
		printf("(log truncated at %u bytes)\n", log.size);
	free(log.buf);
	free(prog.aux);
	return err;
}

static void verify_usage(FILE *f)
{
	fprintf(f,
		"usage: ipo verify FILE [--prog NAME] [--raw] [--type method|irq|mem] [--log-level N]\n"
		"  Runs the verifier on every program of FILE (an object file from\n"
		"  clang -O2 -g -target bpf -c) or on the one called NAME, and prints\n"
		"  its verdict and log, with C source lines when FILE has BTF line\n"
		"  info.  --raw reads FILE as bare 8-byte instructions.  --type\n"
		"  overrides the type the section gives (SEC(\"method/...\"), SEC(\"irq\")).\n"
		"  --log-level: 0 errors, 1 summary, 2 every instruction.\n"
		"  Exit status: 0 all accepted, 1 a program rejected or unreadable.\n");
}

static int verify_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "prog", required_argument, NULL, 'p' },
		{ "raw", no_argument, NULL, 'r' },
		{ "type", required_argument, NULL, 't' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const struct ipo_prog_type *force = NULL;
	struct tool_input in = {};
	const char *only = NULL;
	bool raw = false;
	unsigned long level = 0;
	int c, ret = 0;
	size_t i;
	char *end;

	while ((c = getopt_long(argc, argv, "p:rt:l:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			only = optarg;
			break;
		case 'r':
			raw = true;
			break;
		case 't':
			force = ipo_progtype_by_name(optarg);
			if (!force) {
				fprintf(stderr, "ipo verify: unknown type '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'l':
			level = strtoul(optarg, &end, 0);
			if (*end || level > 2) {
				fprintf(stderr, "ipo verify: bad --log-level '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'h':
			verify_usage(stdout);
			return 0;
		default:
			verify_usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		verify_usage(stderr);
		return 2;
	}
	if (raw && !force) {
		fprintf(stderr, "ipo verify: --raw needs --type\n");
		return 2;
	}
	in.path = argv[optind];
	if (load_input(&in, raw, only)) {
		free_input(&in);
		return 1;
	}
	for (i = 0; i < in.nr_progs; i++) {
		const struct tool_prog *tp = &in.progs[i];
		const struct ipo_prog_type *type = force;

		if (!type)
			type = ipo_progtype_of(tp->type);
		if (!type) {
			printf("%s:%s: section '%s' gives no program type; use --type\n",
			       in.path, tp->name, tp->sec);
			ret = 1;
			continue;
		}
		if (verify_one(in.path, tp, type, level))
			ret = 1;
	}
	free_input(&in);
	return ret;
}

static void disasm_usage(FILE *f)
{
	fprintf(f,
		"usage: ipo disasm FILE [--prog NAME] [--raw]\n"
		"  Prints every program of FILE (or the one called NAME), linked\n"
		"  with its subprograms as the verifier sees it, with the C source\n"
		"  lines of its BTF line info.  --raw reads bare 8-byte instructions.\n");
}

static void disasm_one(const struct tool_prog *tp)
{
	const struct ipo_line_info *shown = NULL;
	u32 pc = 0;

	if (tp->sec)
		printf("%s (section %s, %s, %u insns):\n", tp->name, tp->sec,
		       type_name(tp->type), tp->len);
	else
		printf("%s (%u insns):\n", tp->name, tp->len);
	while (pc < tp->len) {
		const struct ipo_line_info *l = line_of(tp, pc);
		char buf[128];
		u32 n = 1;

		if (l && l != shown && l->insn_off == pc) {
			if (!shown || l->line != shown->line || !l->file ||
			    !shown->file || strcmp(l->file, shown->file))
				printf("; %s:%u: %s\n",
				       l->file ? l->file : "?", l->line,
				       l->src ? trim(l->src) : "");
			shown = l;
		}
		n = ipo_disasm_insn(tp->insns, tp->len, pc, buf, sizeof(buf));
		printf("%5u: %s\n", pc, buf);
		pc += n ? n : 1;
	}
}

static int disasm_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "prog", required_argument, NULL, 'p' },
		{ "raw", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct tool_input in = {};
	const char *only = NULL;
	bool raw = false;
	size_t i;
	int c;

	while ((c = getopt_long(argc, argv, "p:rh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			only = optarg;
			break;
		case 'r':
			raw = true;
			break;
		case 'h':
			disasm_usage(stdout);
			return 0;
		default:
			disasm_usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		disasm_usage(stderr);
		return 2;
	}
	in.path = argv[optind];
	if (load_input(&in, raw, only)) {
		free_input(&in);
		return 1;
	}
	for (i = 0; i < in.nr_progs; i++) {
		if (i)
			printf("\n");
		disasm_one(&in.progs[i]);
	}
	free_input(&in);
	return 0;
}

const struct ipo_verb ipo_verb_verify = {
	.name = "verify",
	.help = "verify the programs of an object file (host-side verifier)",
	.run = verify_run,
};

const struct ipo_verb ipo_verb_disasm = {
	.name = "disasm",
	.help = "disassemble the programs of an object file, with source lines",
	.run = disasm_run,
};
