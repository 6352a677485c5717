// SPDX-License-Identifier: GPL-2.0
/*
 * ipo-elf-dump FILE: prints what libipo makes of a program object, one
 * record a line, for run-elf-tests.py to hold against llvm-objdump:
 *
 *	license TEXT
 *	prog NAME SECTION TYPE METHOD-NAME INSN-COUNT
 *	insn INDEX 16-HEX-DIGITS
 *	line INSN-OFF LINE COL FILE<tab>SOURCE-TEXT
 *
 * On failure it exits 1 with libipo's messages on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/bpf.h>

#include "libipo.h"

int main(int argc, char **argv)
{
	struct ipo_program *prog;
	struct ipo_prog_obj *obj;
	size_t i, n;

	if (argc != 2) {
		fprintf(stderr, "usage: ipo-elf-dump FILE\n");
		return 2;
	}
	obj = ipo_prog_obj_open(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "ipo-elf-dump: %s: %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	printf("license %s\n", ipo_prog_obj__license(obj) ?: "(none)");
	ipo_prog_obj__for_each_program(prog, obj) {
		const struct bpf_insn *insns = ipo_program__insns(prog);
		const struct ipo_prog_line *l;

		n = ipo_program__insn_cnt(prog);
		printf("prog %s %s %u %s %zu\n", ipo_program__name(prog),
		       ipo_program__section_name(prog),
		       ipo_program__type(prog),
		       ipo_program__method_name(prog) ?: "-", n);
		for (i = 0; i < n; i++) {
			const unsigned char *b = (const void *)&insns[i];
			int k;

			printf("insn %zu ", i);
			for (k = 0; k < 8; k++)
				printf("%02x", b[k]);
			printf("\n");
		}
		l = ipo_program__line_info(prog, &n);
		for (i = 0; i < n; i++)
			printf("line %u %u %u %s\t%s\n", l[i].insn_off,
			       l[i].line, l[i].col, l[i].file ?: "?",
			       l[i].src ?: "");
	}
	ipo_prog_obj__close(obj);
	return 0;
}
