/* SPDX-License-Identifier: GPL-2.0 */
/* The ipo tool's verbs. */
#ifndef IPO_TOOL_H
#define IPO_TOOL_H

struct ipo_verb {
	const char *name;
	const char *help;	/* one line */
	int (*run)(int argc, char **argv);	/* argv[0] is the verb */
};

extern const struct ipo_verb ipo_verb_info;
extern const struct ipo_verb ipo_verb_create;
extern const struct ipo_verb ipo_verb_rm;
extern const struct ipo_verb ipo_verb_verify;
extern const struct ipo_verb ipo_verb_disasm;
extern const struct ipo_verb ipo_verb_run;
extern const struct ipo_verb ipo_verb_ls;
extern const struct ipo_verb ipo_verb_watch;
extern const struct ipo_verb ipo_verb_irq;

#endif /* IPO_TOOL_H */
