// SPDX-License-Identifier: GPL-2.0
/*
 * ipo verify, ipo disasm: the engine's verifier and disassembler run on the
 * host, on a program object file from clang (or raw instructions), with the
 * C source lines of the file's BTF line info.  ipo disasm --jit also
 * compiles each program with the engine's JIT and shows the native code of
 * every instruction, decoded by binutils' objdump.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/bpf.h>

#include <bpf/btf.h>

#include "libipo.h"
#include "ipo_tool.h"
#include "bundle.h"
#include "base/progtypes.h"
#include "verifier/verifier.h"
#include "base/disasm.h"
#include "exec/jit.h"

_Static_assert(sizeof(struct ipo_insn) == sizeof(struct bpf_insn),
	       "libipo hands out struct bpf_insn, the engine reads struct ipo_insn");

#define LOG_SIZE	(1U << 20)
#define LOG_SIZE_INSNS	(64U << 20)	/* --log-level 2 logs every insn */

/* One program to work on, from an ELF file or a raw one. */
struct tool_prog {
	const char *name;
	const char *sec;		/* NULL for --raw */
	const char *method;		/* a METHOD's name, or NULL */
	u32 type;			/* IPO_PROG_TYPE_* */
	const struct ipo_insn *insns;
	u32 len;
	struct ipo_line_info *lines;
	u32 nr_lines;
	bool strict;			/* IPO_STRICT() in the source */
	const struct btf *btf;		/* the file's, or NULL */
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
	tp->method = ipo_program__method_name(p);
	tp->type = ipo_program__type(p);
	tp->strict = ipo_program__strict(p);
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
		in->progs->btf = ipo_prog_obj__btf(in->obj);
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
		in->progs[in->nr_progs].btf = ipo_prog_obj__btf(in->obj);
		err = fill_prog(&in->progs[in->nr_progs++], p);
		if (err)
			return err;
	}
	return 0;
}

/*
 * "buttons[3].rgb" for the @size bytes at @off of BTF type @id, appended
 * at @buf + *@n; false when the bytes are not one member of it.
 */
static bool btf_path(const struct btf *btf, __u32 id, __u32 off, __u32 size,
		     char *buf, size_t bufsz, size_t *n, int depth)
{
	const struct btf_type *t;
	__u32 i;

	id = btf__resolve_type(btf, id) < 0 ? id :
	     (__u32)btf__resolve_type(btf, id);
	t = btf__type_by_id(btf, id);
	if (!t || depth > 8)
		return false;
	if (btf_is_struct(t) || btf_is_union(t)) {
		const struct btf_member *m = btf_members(t);

		for (i = 0; i < btf_vlen(t); i++, m++) {
			__s64 msz = btf__resolve_size(btf, m->type);
			__u32 moff = btf_member_bit_offset(t, i) / 8;

			if (msz < 0 || btf_member_bitfield_size(t, i) ||
			    off < moff || off + size > moff + (__u64)msz)
				continue;
			*n += snprintf(buf + *n, *n < bufsz ? bufsz - *n : 0,
				       "%s%s", *n ? "." : "",
				       bun_btf_name(btf, m->name_off));
			btf_path(btf, m->type, off - moff, size, buf, bufsz, n,
				 depth + 1);
			return true;
		}
		return false;
	}
	if (btf_is_array(t)) {
		const struct btf_array *a = btf_array(t);
		__s64 esz = btf__resolve_size(btf, a->type);

		if (esz <= 0 || off / esz >= a->nelems ||
		    off % esz + size > (__u64)esz)
			return false;
		*n += snprintf(buf + *n, *n < bufsz ? bufsz - *n : 0, "[%llu]",
			       (unsigned long long)(off / esz));
		btf_path(btf, a->type, off % esz, size, buf, bufsz, n,
			 depth + 1);
		return true;
	}
	return !off;
}

/*
 * The verifier's names for memory (struct ipo_vlog.mem_name): a member of
 * the method's argument struct (IPO_ARGS), of the object's type
 * (IPO_OBJECT) or of the context struct, from the file's BTF.
 */
static const char *btf_mem_name(void *priv, u8 region, u32 off, u32 size,
				char *buf, u32 bufsz)
{
	const struct tool_prog *tp = priv;
	const struct btf *btf = tp->btf;
	char tname[128];
	const char *prefix;
	__s32 id = 0;
	size_t n;

	if (!btf)
		return NULL;
	switch (region) {
	case IPO_RGN_ARG:
		if (!tp->method)
			return NULL;
		snprintf(tname, sizeof(tname), "%s_args", tp->method);
		id = btf__find_by_name_kind(btf, tname, BTF_KIND_STRUCT);
		prefix = tname;
		break;
	case IPO_RGN_OBJ:
		id = bun_object_type(btf);
		prefix = id > 0 ? bun_btf_name(btf, btf__type_by_id(btf, id)->name_off) : "";
		break;
	case IPO_RGN_CTX:
		id = btf__find_by_name_kind(btf, tp->type == IPO_PROG_TYPE_IRQ ?
					    "ipo_irq_ctx" : "ipo_method_ctx",
					    BTF_KIND_STRUCT);
		prefix = "ctx->";
		break;
	default:
		return NULL;
	}
	if (id <= 0)
		return NULL;
	n = snprintf(buf, bufsz, "%s%s", prefix,
		     region == IPO_RGN_CTX || !*prefix ? "" : ".");
	if (n >= bufsz)
		return NULL;
	{
		size_t m = 0;

		if (!btf_path(btf, id, off, size, buf + n, bufsz - n, &m, 0) ||
		    !m)
			return NULL;
		/* ctx->obj_size, not ctx->.obj_size: btf_path adds no dot first. */
	}
	return buf;
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

/*
 * Verifies @tp as @type into @prog, whose aux the caller frees; prints the
 * verdict and the log when @quiet is false or the program is rejected.
 */
static int verify_prog(const char *path, const struct tool_prog *tp,
		       const struct ipo_prog_type *type, u32 level,
		       struct ipo_prog *prog, bool quiet, bool strict)
{
	struct ipo_vlog log = {};
	int err;

	log.size = level >= 2 ? LOG_SIZE_INSNS : LOG_SIZE;
	log.buf = calloc(1, log.size);
	prog->aux = calloc(tp->len, sizeof(*prog->aux));
	if (!log.buf || !prog->aux) {
		free(log.buf);
		fprintf(stderr, "ipo: out of memory\n");
		return -ENOMEM;
	}
	log.level = level;
	log.lines = tp->lines;
	log.nr_lines = tp->nr_lines;
	log.notes = !quiet;
	log.mem_name = btf_mem_name;
	log.mem_priv = (void *)tp;
	prog->insns = tp->insns;
	prog->len = tp->len;
	prog->type = type;
	prog->strict = strict || tp->strict;

	err = ipo_verify(prog, &log);
	if (quiet && !err)
		goto out;
	if (!err) {
		u32 pc, checks = 0;

		for (pc = 0; pc < tp->len; pc++)
			checks += !!(prog->aux[pc].flags & IPO_AUX_RT_CHECK);
		printf("%s:%s: accepted%s (%u insns, %u run-time bounds check%s, %u loop%s only fuel ends)\n",
		       path, tp->name, prog->strict ? " (strict)" : "",
		       tp->len, checks, checks == 1 ? "" : "s",
		       prog->fuel_loops, prog->fuel_loops == 1 ? "" : "s");
	} else {
		printf("%s:%s: rejected%s: %s\n", path, tp->name,
		       prog->strict ? " (strict)" : "", strerror(-err));
	}
	if (log.len)
		printf("%s%s", log.buf,
		       log.buf[log.len - 1] != '\n' ? "\n" : "");
	if (log.truncated)
		printf("(log truncated at %u bytes)\n", log.size);
out:
	free(log.buf);
	return err;
}

static int verify_one(const char *path, const struct tool_prog *tp,
		      const struct ipo_prog_type *type, u32 level,
		      bool strict)
{
	struct ipo_prog prog = {};
	int err;

	err = verify_prog(path, tp, type, level, &prog, false, strict);
	free(prog.aux);
	return err;
}

/* What `ipo verify` and `ipo disasm` were asked, from one parser. */
struct tool_args {
	const struct ipo_prog_type *force;	/* --type */
	const char *only;			/* --prog */
	const char *path;
	unsigned long level;			/* --log-level (verify) */
	bool raw, jit;				/* --jit (disasm) */
	bool strict;				/* --strict (verify) */
};

/*
 * Parses the options both verbs share plus the one each adds (@extra:
 * 'l' for --log-level, 'j' for --jit).  Returns -1 to go on, else the
 * exit status.
 */
static int parse_args(int argc, char **argv, const char *verb, int extra,
		      void (*usage)(FILE *f), struct tool_args *a)
{
	static const struct option longopts[] = {
		{ "prog", required_argument, NULL, 'p' },
		{ "raw", no_argument, NULL, 'r' },
		{ "type", required_argument, NULL, 't' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "jit", no_argument, NULL, 'j' },
		{ "strict", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const char *shortopts = extra == 'l' ? "p:rt:l:sh" : "p:rt:jh";
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if ((c == 'l' || c == 'j') && c != extra)
			c = '?';
		if (c == 's' && extra != 'l')
			c = '?';
		switch (c) {
		case 'p':
			a->only = optarg;
			break;
		case 'r':
			a->raw = true;
			break;
		case 'j':
			a->jit = true;
			break;
		case 's':
			a->strict = true;
			break;
		case 't':
			a->force = ipo_progtype_by_name(optarg);
			if (!a->force) {
				fprintf(stderr, "ipo %s: unknown type '%s'\n",
					verb, optarg);
				return 2;
			}
			break;
		case 'l':
			a->level = strtoul(optarg, &end, 0);
			if (*end || a->level > 2) {
				fprintf(stderr, "ipo %s: bad --log-level '%s'\n",
					verb, optarg);
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
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	a->path = argv[optind];
	return -1;
}

static void verify_usage(FILE *f)
{
	fprintf(f,
		"usage: ipo verify FILE [--prog NAME] [--raw] [--type method|irq|mem] [--strict] [--log-level N]\n"
		"  Runs the verifier on every program of FILE (an object file from\n"
		"  clang -O2 -g -target bpf -c) or on the one called NAME, and prints\n"
		"  its verdict and log, with C source lines when FILE has BTF line\n"
		"  info: every access left to a run-time bounds check and every loop\n"
		"  only fuel ends, each with the test that would remove it.  --raw\n"
		"  reads FILE as bare 8-byte instructions.  --type overrides the type\n"
		"  the section gives (SEC(\"method/...\"), SEC(\"irq\")).  --strict\n"
		"  refuses a program that needs either (as IPO_PROG_STRICT does; a\n"
		"  program marked IPO_STRICT() in its source is always checked so).\n"
		"  --log-level: 0 errors and the list, 1 + summary and loop bounds,\n"
		"  2 every instruction.\n"
		"  Exit status: 0 all accepted, 1 a program rejected or unreadable.\n");
}

static int verify_run(int argc, char **argv)
{
	struct tool_args a = {};
	struct tool_input in = {};
	int ret = 0;
	size_t i;

	ret = parse_args(argc, argv, "verify", 'l', verify_usage, &a);
	if (ret >= 0)
		return ret;
	ret = 0;
	if (a.raw && !a.force) {
		fprintf(stderr, "ipo verify: --raw needs --type\n");
		return 2;
	}
	in.path = a.path;
	if (load_input(&in, a.raw, a.only)) {
		free_input(&in);
		return 1;
	}
	for (i = 0; i < in.nr_progs; i++) {
		const struct tool_prog *tp = &in.progs[i];
		const struct ipo_prog_type *type = a.force;

		if (!type)
			type = ipo_progtype_of(tp->type);
		if (!type) {
			printf("%s:%s: section '%s' gives no program type; use --type\n",
			       in.path, tp->name, tp->sec);
			ret = 1;
			continue;
		}
		if (verify_one(in.path, tp, type, a.level, a.strict))
			ret = 1;
	}
	free_input(&in);
	return ret;
}

static void disasm_usage(FILE *f)
{
	fprintf(f,
		"usage: ipo disasm FILE [--prog NAME] [--raw] [--jit [--type method|irq|mem]]\n"
		"  Prints every program of FILE (or the one called NAME), linked\n"
		"  with its subprograms as the verifier sees it, with the C source\n"
		"  lines of its BTF line info.  --raw reads bare 8-byte instructions.\n"
		"  --jit verifies each program, compiles it with the JIT on the host\n"
		"  and prints after every instruction the x86-64 code made for it,\n"
		"  then the exit/abort tails; binutils' objdump decodes the code\n"
		"  (Intel syntax).  --type as for ipo verify (needed with --raw).\n");
}

/* The native code of one program, one decoded x86 instruction a line. */
struct jit_listing {
	struct ipo_jit_image img;
	u32 *addr;
	char **text;		/* "bytes  mnemonic operands" */
	u32 nr;
	u32 next;		/* first line not printed yet */
};

static void jit_listing_free(struct jit_listing *jl)
{
	u32 i;

	for (i = 0; i < jl->nr; i++)
		free(jl->text[i]);
	free(jl->text);
	free(jl->addr);
	if (jl->img.entry)
		ipo_jit_free(&jl->img);
}

static int jit_listing_add(struct jit_listing *jl, u32 addr, const char *text)
{
	u32 *a;
	char **t;

	a = realloc(jl->addr, (jl->nr + 1) * sizeof(*a));
	if (!a)
		return -ENOMEM;
	jl->addr = a;
	t = realloc(jl->text, (jl->nr + 1) * sizeof(*t));
	if (!t)
		return -ENOMEM;
	jl->text = t;
	t[jl->nr] = strdup(text);
	if (!t[jl->nr])
		return -ENOMEM;
	a[jl->nr++] = addr;
	return 0;
}

static char *trim_end(char *s)
{
	size_t len = strlen(s);

	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		s[--len] = '\0';
	return s;
}

/* One objdump run over the whole image; its lines are split by address later. */
static int jit_decode(struct jit_listing *jl)
{
	char path[] = "/tmp/ipo-jit-XXXXXX";
	char cmd[sizeof(path) + 96], line[512], insn[512];
	ssize_t n;
	FILE *f;
	int fd, err = 0;

	fd = mkstemp(path);
	if (fd < 0) {
		fprintf(stderr, "ipo disasm: temporary file: %s\n",
			strerror(errno));
		return -errno;
	}
	n = write(fd, (const void *)jl->img.entry, jl->img.size);
	close(fd);
	if (n != (ssize_t)jl->img.size) {
		fprintf(stderr, "ipo disasm: %s: short write\n", path);
		unlink(path);
		return -EIO;
	}
	/* -z: runs of zero bytes are code too; one line per instruction. */
	snprintf(cmd, sizeof(cmd),
		 "objdump -D -z -b binary -mi386:x86-64 -M intel --insn-width=15 %s",
		 path);
	f = popen(cmd, "r");
	if (!f) {
		err = -errno;
	} else {
		while (fgets(line, sizeof(line), f) && !err) {
			unsigned int addr;
			char *tab;
			size_t len;
			int at = 0;

			/* "   4a:\t49 8b 7f 00  \tmov rdi,..."; skip headers */
			if (sscanf(line, " %x:%n", &addr, &at) != 1 || !at ||
			    line[at] != '\t' || !strchr(line + at + 1, '\t'))
				continue;
			len = strlen(line);
			while (len && (line[len - 1] == '\n' ||
				       line[len - 1] == ' '))
				line[--len] = '\0';
			/* objdump pads the bytes to 15; keep them short */
			tab = strchr(line + at + 1, '\t');
			*tab = '\0';
			snprintf(insn, sizeof(insn), "%-30s %s",
				 trim_end(line + at + 1), tab + 1);
			err = jit_listing_add(jl, addr, insn);
		}
		if (pclose(f) && !err)
			err = -ECHILD;
	}
	unlink(path);
	if (!err && !jl->nr)
		err = -ECHILD;
	if (err)
		fprintf(stderr, "ipo disasm: objdump did not decode the code; is binutils installed?\n");
	return err;
}

/* Prints the native lines before @end. */
static void jit_print(struct jit_listing *jl, u32 end)
{
	for (; jl->next < jl->nr && jl->addr[jl->next] < end; jl->next++)
		printf("\t%5x:  %s\n", jl->addr[jl->next], jl->text[jl->next]);
}

/*
 * Where the code of the instructions before @pc ends: insn_off[pc], but
 * a subprogram's prologue sits just before its first instruction (it is
 * the last endbr64 before there), and is shown with the subprogram.
 */
static u32 jit_code_end(const struct jit_listing *jl,
			const struct ipo_prog *prog, u32 pc)
{
	u32 end = jl->img.insn_off[pc], i;

	if (pc == prog->len || !(prog->aux[pc].flags & IPO_AUX_SUBPROG))
		return end;
	for (i = jl->next; i < jl->nr && jl->addr[i] < jl->img.insn_off[pc]; i++)
		if (strstr(jl->text[i], " endbr64"))
			end = jl->addr[i];
	return end;
}

/* @prog and @jl only with --jit: the verified program and its code. */
static void disasm_one(const struct tool_prog *tp, const struct ipo_prog *prog,
		       struct jit_listing *jl)
{
	const struct ipo_line_info *shown = NULL;
	u32 pc = 0;

	if (tp->sec)
		printf("%s (section %s, %s, %u insns):\n", tp->name, tp->sec,
		       type_name(tp->type), tp->len);
	else
		printf("%s (%u insns):\n", tp->name, tp->len);
	if (jl) {
		printf("; JIT: %u bytes of x86-64 (objdump -M intel)\n",
		       jl->img.size);
		printf("\t; entry prologue\n");
		jit_print(jl, jl->img.insn_off[0]);
	}
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
		if (jl && pc && (prog->aux[pc].flags & IPO_AUX_SUBPROG)) {
			printf("\t; subprogram prologue\n");
			jit_print(jl, jl->img.insn_off[pc]);
		}
		n = ipo_disasm_insn(tp->insns, tp->len, pc, buf, sizeof(buf));
		printf("%5u: %s\n", pc, buf);
		pc += n ? n : 1;
		if (jl && pc <= tp->len)
			jit_print(jl, jit_code_end(jl, prog, pc));
	}
	if (jl) {
		printf("\t; exit and abort tails, abort stubs, veneers\n");
		jit_print(jl, jl->img.size);
	}
}

/* ipo disasm --jit of one program: verify, compile, decode, print. */
static int disasm_jit(const char *path, const struct tool_prog *tp,
		      const struct ipo_prog_type *type)
{
	struct jit_listing jl = {};
	struct ipo_prog prog = {};
	int err;

	if (!type) {
		printf("%s:%s: section '%s' gives no program type; use --type\n",
		       path, tp->name, tp->sec);
		return -EINVAL;
	}
	err = verify_prog(path, tp, type, 0, &prog, true, false);
	if (!err) {
		err = ipo_jit_compile(&prog, &ipo_jit_host_mem, &jl.img);
		if (err)
			printf("%s:%s: JIT failed: %s\n", path, tp->name,
			       strerror(-err));
	}
	if (!err)
		err = jit_decode(&jl);
	if (!err)
		disasm_one(tp, &prog, &jl);
	jit_listing_free(&jl);
	free(prog.aux);
	return err;
}

static int disasm_run(int argc, char **argv)
{
	struct tool_args a = {};
	struct tool_input in = {};
	int ret;
	size_t i;

	ret = parse_args(argc, argv, "disasm", 'j', disasm_usage, &a);
	if (ret >= 0)
		return ret;
	ret = 0;
	if (a.jit && a.raw && !a.force) {
		fprintf(stderr, "ipo disasm: --jit --raw needs --type\n");
		return 2;
	}
	in.path = a.path;
	if (load_input(&in, a.raw, a.only)) {
		free_input(&in);
		return 1;
	}
	for (i = 0; i < in.nr_progs; i++) {
		const struct tool_prog *tp = &in.progs[i];

		if (i)
			printf("\n");
		if (!a.jit)
			disasm_one(tp, NULL, NULL);
		else if (disasm_jit(in.path, tp, a.force ? a.force :
				    ipo_progtype_of(tp->type)))
			ret = 1;
	}
	free_input(&in);
	return ret;
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
