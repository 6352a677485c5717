// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ipo-conformance: a plugin for the bpf_conformance suite.
 *
 * Protocol: the program arrives on stdin as space-separated hex bytes; the
 * initial memory, when not empty, is the first argument in the same form.
 * At entry r1 points to that memory and r2 holds its length.  On success r0
 * is printed in hex and the exit status is 0; anything else is reported on
 * stderr with a non-zero status, one per outcome (enum conf_exit), so that
 * selftests/engine/run-conformance.py can tell the verifier's rejection
 * from a crash: a sanitizer report also exits 1, but never ends stderr
 * with the rejection line.  Every path frees what it allocated, so that
 * LeakSanitizer has nothing to add after that line.
 *
 * Every program goes through ipo_verify() first, against a host-only
 * program type that describes exactly what the suite hands a program.
 */
#include <ctype.h>
#include <getopt.h>

#include "verifier/verifier.h"
#include "exec/interp.h"
#include "exec/jit.h"
#include "base/disasm.h"

#define CONF_FUEL	100000000	/* generous: the suite has small loops */
#define CONF_MEM_MAX	65536		/* bound of r2, and of the memory */
#define CONF_HELPER_UNWIND 5

/* Exit statuses; the rejection's is the one run-conformance.py checks. */
enum conf_exit {
	CONF_RAN = 0,		/* r0 in hex on stdout */
	CONF_REJECTED = 1,	/* last line on stderr: CONF_REJECTED_MSG */
	CONF_BAD_INPUT = 2,	/* usage, program or memory hex */
	CONF_ABORTED = 3,	/* a run-time check stopped the program */
	CONF_JIT_FAILED = 4,	/* no JIT code, or the JIT disagreed */
};

#define CONF_REJECTED_MSG "ipo-conformance: verifier rejected the program: "

/* The suite's "unwind" helper: returns its argument, stops the run on 0. */
static u64 conf_unwind(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5,
		       struct ipo_run *run)
{
	if (!r1) {
		run->abort = IPO_ABORT_UNWIND;
		run->unwind_value = 0;
	}
	return r1;
}

static const struct ipo_helper_proto conf_helpers[] = {
	[CONF_HELPER_UNWIND] = {
		.name = "unwind",
		.fn = conf_unwind,
		.args = { IPO_ARG_ANY },
		.ret_max = U64_MAX,
	},
};

static const struct ipo_prog_type conf_type = {
	.name = "conformance",
	.entry_region = { IPO_RGN_MEM, IPO_RGN_NONE },
	.entry_scalar = { 0, 1 },
	.entry_scalar_max = { 0, CONF_MEM_MAX },
	.entry_size_of = { IPO_RGN_NONE, IPO_RGN_MEM },
	.regions = {
		/* Any size at run time: every access is checked then. */
		[IPO_RGN_MEM] = {
			.flags = IPO_RGNF_READ | IPO_RGNF_WRITE | IPO_RGNF_DYN,
			.min_size = 0,
		},
	},
	.helpers = conf_helpers,
	.nr_helpers = ARRAY_SIZE(conf_helpers),
};

/* Parses space-separated hex bytes; returns the count or -1. */
static long parse_hex(const char *s, unsigned char **out)
{
	size_t cap = 64, n = 0;
	unsigned char *buf = malloc(cap);

	if (!buf)
		return -1;
	for (;;) {
		unsigned long v;
		char *end;

		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		v = strtoul(s, &end, 16);
		if (end == s || v > 0xff ||
		    (*end && !isspace((unsigned char)*end))) {
			free(buf);
			return -1;
		}
		s = end;
		if (n == cap) {
			unsigned char *nb = realloc(buf, cap * 2);

			if (!nb) {
				free(buf);
				return -1;
			}
			buf = nb;
			cap *= 2;
		}
		buf[n++] = v;
	}
	*out = buf;
	return n;
}

static char *read_all(FILE *f)
{
	size_t cap = 4096, n = 0, got;
	char *buf = malloc(cap + 1);

	if (!buf)
		return NULL;
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *nb = realloc(buf, cap * 2 + 1);

			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
	}
	buf[n] = 0;
	return buf;
}

static void print_line(void *ctx, const char *line)
{
	fprintf(ctx, "%s\n", line);
}

/*
 * The JIT, alone or (@diff) after the interpreter on a copy of the memory:
 * r0, abort, abort_pc, fuel and the memory must then all agree.  Returns
 * ~0 with run->abort ~0 when the JIT failed to compile or disagreed.
 */
static u64 conf_run_jit(const struct ipo_prog *prog, struct ipo_run *run,
			u64 *args, unsigned char *mem, long nmem, bool diff)
{
	struct ipo_run irun = *run;
	struct ipo_jit_image img;
	unsigned char *imem = NULL;
	u64 ir0 = 0, r0;
	int err;

	err = ipo_jit_compile(prog, &ipo_jit_host_mem, &img);
	if (err) {
		fprintf(stderr, "ipo-conformance: jit: %s\n", strerror(-err));
		run->abort = ~0U;
		return ~0ULL;
	}
	if (diff) {
		imem = malloc(nmem ? nmem : 1);
		if (!imem)
			exit(CONF_BAD_INPUT);
		memcpy(imem, mem, nmem);
		irun.base[IPO_RGN_MEM] = (u64)(unsigned long)imem;
		args[0] = irun.base[IPO_RGN_MEM];
		ir0 = ipo_interp_run(prog, &irun, args);
		args[0] = run->base[IPO_RGN_MEM];
	}
	r0 = ipo_jit_run(&img, run, args);
	ipo_jit_free(&img);
	if (diff && (r0 != ir0 || run->abort != irun.abort ||
		     run->abort_pc != irun.abort_pc || run->fuel != irun.fuel ||
		     memcmp(mem, imem, nmem))) {
		fprintf(stderr,
			"ipo-conformance: interp/jit differ: r0 %llx/%llx abort %u/%u at %u/%u fuel %lld/%lld memory %s\n",
			(unsigned long long)ir0, (unsigned long long)r0,
			irun.abort, run->abort, irun.abort_pc, run->abort_pc,
			(long long)irun.fuel, (long long)run->fuel,
			memcmp(mem, imem, nmem) ? "differs" : "same");
		run->abort = ~0U;
		r0 = ~0ULL;
	}
	free(imem);
	return r0;
}

static void print_usage(void)
{
	fprintf(stderr,
		"usage: ipo-conformance [--engine interp|jit|both] [--log] [--disasm] [MEMORY_HEX]\n"
		"  program: space-separated hex bytes on stdin\n");
	exit(CONF_BAD_INPUT);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "engine", required_argument, NULL, 'e' },
		{ "log", no_argument, NULL, 'l' },
		{ "disasm", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *engine = "interp", *mem_hex = "";
	bool want_log = false, want_disasm = false;
	unsigned char *code = NULL, *mem = NULL;
	static char logbuf[1 << 16];
	struct ipo_vlog log = { .buf = logbuf, .size = sizeof(logbuf) };
	struct ipo_run run = { .fuel = CONF_FUEL };
	struct ipo_prog prog = { .type = &conf_type };
	long ncode, nmem;
	u64 args[5] = { 0 }, r0;
	int c, err, ret;
	char *text;

	while ((c = getopt_long(argc, argv, "e:ldh", opts, NULL)) != -1) {
		switch (c) {
		case 'e':
			engine = optarg;
			break;
		case 'l':
			want_log = true;
			break;
		case 'd':
			want_disasm = true;
			break;
		default:
			print_usage();
		}
	}
	if (optind < argc)
		mem_hex = argv[optind++];
	if (optind < argc)
		print_usage();
	if (strcmp(engine, "interp") && strcmp(engine, "jit") &&
	    strcmp(engine, "both")) {
		fprintf(stderr, "ipo-conformance: unknown engine %s\n", engine);
		return CONF_BAD_INPUT;
	}

	text = read_all(stdin);
	if (!text) {
		fprintf(stderr, "ipo-conformance: cannot read stdin\n");
		return CONF_BAD_INPUT;
	}
	ncode = parse_hex(text, &code);
	free(text);
	ret = CONF_BAD_INPUT;
	if (ncode <= 0 || ncode % sizeof(struct ipo_insn) ||
	    ncode / sizeof(struct ipo_insn) > IPO_MAX_INSNS) {
		fprintf(stderr, "ipo-conformance: bad program hex\n");
		goto out;
	}
	nmem = parse_hex(mem_hex, &mem);
	if (nmem < 0 || nmem > CONF_MEM_MAX) {
		fprintf(stderr, "ipo-conformance: bad memory hex\n");
		goto out;
	}

	prog.insns = (const struct ipo_insn *)code;
	prog.len = ncode / sizeof(struct ipo_insn);
	prog.aux = calloc(prog.len, sizeof(*prog.aux));
	if (!prog.aux)
		goto out;
	if (want_disasm)
		ipo_disasm_prog(prog.insns, prog.len, print_line, stderr);

	log.level = want_log ? 2 : 0;
	err = ipo_verify(&prog, &log);
	if (want_log || err)
		fprintf(stderr, "%s%s", logbuf,
			log.len && logbuf[log.len - 1] != '\n' ? "\n" : "");
	if (err) {
		fprintf(stderr, CONF_REJECTED_MSG "%s\n", strerror(-err));
		ret = CONF_REJECTED;
		goto out;
	}

	run.base[IPO_RGN_MEM] = (u64)(unsigned long)mem;
	run.size[IPO_RGN_MEM] = nmem;
	args[0] = (u64)(unsigned long)mem;
	args[1] = nmem;
	if (strcmp(engine, "interp")) {
		r0 = conf_run_jit(&prog, &run, args, mem, nmem,
				  !strcmp(engine, "both"));
		if (r0 == ~0ULL && run.abort == ~0U) {
			ret = CONF_JIT_FAILED;
			goto out;
		}
	} else {
		r0 = ipo_interp_run(&prog, &run, args);
	}
	if (run.abort && run.abort != IPO_ABORT_UNWIND) {
		fprintf(stderr, "ipo-conformance: run aborted at insn %u: %s\n",
			run.abort_pc, ipo_abort_str(run.abort));
		ret = CONF_ABORTED;
		goto out;
	}
	printf("%llx\n", (unsigned long long)r0);
	ret = CONF_RAN;
out:
	free(prog.aux);
	free(code);
	free(mem);
	return ret;
}
