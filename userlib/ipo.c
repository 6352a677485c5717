// SPDX-License-Identifier: GPL-2.0
/*
 * ipo: the command line tool.  One verb per subcommand; each verb lives in
 * the file for its area (cmd_obj.c, ...) and is listed in ipo_verbs[].
 * IPO_VERSION, the release, comes from the tree's VERSION file.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ipo_tool.h"

static const struct ipo_verb *const ipo_verbs[] = {
	&ipo_verb_info,
	&ipo_verb_create,
	&ipo_verb_rm,
	&ipo_verb_run,
	&ipo_verb_watch,
	&ipo_verb_ls,
	&ipo_verb_verify,
	&ipo_verb_disasm,
	&ipo_verb_irq,
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: ipo VERB [ARGS...]\n\nverbs:\n");
	for (i = 0; i < sizeof(ipo_verbs) / sizeof(ipo_verbs[0]); i++)
		fprintf(f, "  %-10s %s\n", ipo_verbs[i]->name,
			ipo_verbs[i]->help);
	fprintf(f, "\n`ipo VERB --help` describes one verb; "
		"`ipo --version` prints the release.\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("ipo %s\n", IPO_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(ipo_verbs) / sizeof(ipo_verbs[0]); i++)
		if (!strcmp(argv[1], ipo_verbs[i]->name))
			return ipo_verbs[i]->run(argc - 1, argv + 1);
	fprintf(stderr, "ipo: unknown verb '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
