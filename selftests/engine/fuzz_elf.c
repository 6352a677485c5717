// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness of libipo's program-object loader: arbitrary bytes are
 * an ELF file given to ipo_prog_obj_open_mem().  Whatever opens is walked
 * the way `ipo verify` and `ipo run` walk it: every program's name,
 * section, type, method name, linked instructions and line info (each
 * line's file and source text), the license, and the BTF: the IPO_OBJECT()
 * type, and every struct printed by type from a zeroed buffer of its
 * size, as `ipo run` prints object state.
 *
 * A finding is a crash or sanitizer report, an instruction count that
 * does not fit the ELF, or line info out of order or past the program.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "libipo.h"
#include "bundle.h"

static FILE *devnull;
static volatile unsigned char sink;

/* Every string the loader hands out must be readable to its NUL. */
static size_t touch(const char *s)
{
	return s ? strlen(s) : 0;
}

static void fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz_elf: %s\n", what);
	abort();
}

static void walk_btf(const struct btf *btf)
{
	static unsigned char zero[1 << 16];
	int32_t i, n = btf__type_cnt(btf), obj;
	int checked = 0;

	obj = bun_object_type(btf);
	if (obj > 0) {
		long sz = btf__resolve_size(btf, obj);

		if (sz > 0 && sz <= (long)sizeof(zero))
			bun_print_value(devnull, btf, obj, "state", zero, 0);
	}
	/* Bounded: a file may declare very many types. */
	for (i = 1; i < n && checked < 64; i++) {
		const struct btf_type *t = btf__type_by_id(btf, i);
		long sz;

		if (!t || !btf_is_struct(t))
			continue;
		checked++;
		sz = btf__resolve_size(btf, i);
		if (sz > 0 && sz <= (long)sizeof(zero))
			bun_print_value(devnull, btf, i, "s", zero, 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipo_prog_obj_opts opts = {
		.sz = sizeof(opts), .object_name = "fuzz.o",
	};
	struct ipo_prog_obj *obj;
	struct ipo_program *prog;
	const struct btf *btf;

	if (!devnull) {
		devnull = fopen("/dev/null", "w");
		ipo_set_print(NULL);
	}
	obj = ipo_prog_obj_open_mem(data, size, &opts);
	if (!obj)
		return 0;
	touch(ipo_prog_obj__name(obj));
	touch(ipo_prog_obj__license(obj));
	ipo_prog_obj__for_each_program(prog, obj) {
		const struct bpf_insn *insns = ipo_program__insns(prog);
		size_t cnt = ipo_program__insn_cnt(prog), nl, i;
		const struct ipo_prog_line *li;
		unsigned char sum = 0;

		touch(ipo_program__name(prog));
		touch(ipo_program__section_name(prog));
		touch(ipo_program__method_name(prog));
		if (ipo_program__type(prog) > IPO_PROG_TYPE_IRQ)
			fuzz_fail("program type out of range");
		/* An ELF of size bytes cannot give more instructions. */
		if (cnt > size / 8 * 64)
			fuzz_fail("instruction count beyond the file");
		for (i = 0; i < cnt * 8; i++)
			sum += ((const unsigned char *)insns)[i];
		sink = sum;
		li = ipo_program__line_info(prog, &nl);
		for (i = 0; li && i < nl; i++) {
			if (li[i].insn_off >= cnt)
				fuzz_fail("line info past the program");
			if (i && li[i].insn_off < li[i - 1].insn_off)
				fuzz_fail("line info out of order");
			touch(li[i].file);
			touch(li[i].src);
		}
		if (ipo_prog_obj__find_program(obj, ipo_program__name(prog)) ==
		    NULL)
			fuzz_fail("a listed program cannot be found by name");
	}
	btf = ipo_prog_obj__btf(obj);
	if (btf)
		walk_btf(btf);
	ipo_prog_obj__close(obj);
	return 0;
}
