// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness of the bundle-script parser and resolver (`ipo run`
 * without the kernel): arbitrary bytes are a script, parsed with
 * bun_parse() and, when it parses, resolved against the compiled example
 * programs (IPO_FUZZ_PROGS, default build/progs): files opened, methods
 * and argument names looked up in BTF, arguments packed, output types
 * sized; each packed call's output is then printed by type from a zeroed
 * buffer, as `ipo run` prints results.
 *
 * `methods` paths are only resolved when they name a file in that
 * directory (no '/'): a script naming /dev/stdin or a FIFO would stall
 * the fuzzer, not find a bug.
 *
 * A finding is a crash or sanitizer report, or a parse error whose message
 * does not start with "path:line:col: ".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"

#define FUZZ_SCRIPT	"fuzz.bundle"

static FILE *devnull;
static char script_path[4096];
static const char *dirs[2];

static void fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_bundle: %s: %s\n", what, detail);
	abort();
}

static int init(void)
{
	const char *d = getenv("IPO_FUZZ_PROGS");

	devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	ipo_set_print(NULL);
	dirs[0] = d ? d : "build/progs";
	snprintf(script_path, sizeof(script_path), "%s/%s", dirs[0],
		 FUZZ_SCRIPT);
	return 0;
}

static bool paths_local(const struct bun_script *s)
{
	const struct bun_stmt *st;

	for (st = s->stmts; st; st = st->next)
		if (st->kind == BUN_STMT_METHODS &&
		    (strchr(st->path, '/') || !strcmp(st->path, "..") ||
		     !strcmp(st->path, ".")))
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once = -1;
	struct bun_script *s;
	struct bun_stmt *st;
	char err[512];
	char *text;
	int i;

	if (once < 0)
		once = init();
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	err[0] = '\0';
	s = bun_parse(script_path, text, err, sizeof(err));
	free(text);
	if (!s) {
		if (strncmp(err, script_path, strlen(script_path)) ||
		    err[strlen(script_path)] != ':')
			fuzz_fail("parse error without a position", err);
		return 0;
	}
	if (paths_local(s) && !bun_resolve(s, dirs, err, sizeof(err))) {
		for (st = s->stmts; st; st = st->next) {
			if (st->kind != BUN_STMT_BUNDLE)
				continue;
			for (i = 0; i < st->nr_calls; i++) {
				const struct bun_call *c = &st->calls[i];
				const struct bun_type *t = &c->out_type;
				void *zero;

				if (c->arg_size && !c->arg)
					fuzz_fail("packed argument missing",
						  c->text);
				if (!t->size || t->size > (1u << 20))
					continue;
				zero = calloc(1, t->size);
				if (!zero)
					continue;
				bun_print_typed(devnull, t, zero, 0);
				free(zero);
			}
		}
	}
	bun_free(s);
	return 0;
}
