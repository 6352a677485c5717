// SPDX-License-Identifier: GPL-2.0
/*
 * ipo-elf-api-test DIR: the program-object API's contract (errno values,
 * options size rules, iteration, open vs open_mem, the print callback) and
 * its robustness against damaged files.  DIR holds the compiled
 * selftests/elf/progs/ objects.  Prints TAP.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/bpf.h>

#include "selftests/tap.h"
#include "libipo.h"

static const char *dir;

static char *path_of(const char *name)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	void *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n);
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*size = n;
	return buf;
}

/* The print callback under test: keeps the last warning. */
static char last_msg[1024];
static int nr_msgs;

static int capture(enum ipo_print_level level, const char *fmt, va_list ap)
{
	if (level == IPO_PRINT_DEBUG)
		return 0;
	size_t n;

	nr_msgs++;
	vsnprintf(last_msg, sizeof(last_msg), fmt, ap);
	n = strlen(last_msg);
	if (n && last_msg[n - 1] == '\n')
		last_msg[n - 1] = 0;
	return n;
}

static void test_errors(void)
{
	struct ipo_prog_obj *obj;
	char tmp[] = "/tmp/ipo-elf-api-XXXXXX";
	int fd;

	errno = 0;
	obj = ipo_prog_obj_open(NULL, NULL);
	tap_ok(!obj && errno == EINVAL, "open(NULL) fails with EINVAL (errno %d)",
	       errno);
	tap_ok(nr_msgs > 0, "... and says so through the print callback");

	obj = ipo_prog_obj_open("/nonexistent/x.o", NULL);
	tap_ok(!obj && errno == ENOENT, "open of a missing file: ENOENT");

	fd = mkstemp(tmp);
	if (fd >= 0) {
		tap_ok(write(fd, "not an ELF file\n", 16) == 16, "temp file written");
		close(fd);
	}
	obj = ipo_prog_obj_open(tmp, NULL);
	tap_ok(!obj && errno == ENOEXEC, "open of a text file: ENOEXEC");
	tap_ok(strstr(last_msg, "not an ELF file") != NULL,
	       "... message says 'not an ELF file': %s", last_msg);
	unlink(tmp);

	obj = ipo_prog_obj_open("/", NULL);
	tap_ok(!obj && errno == ENOEXEC, "open of a directory: ENOEXEC");

	obj = ipo_prog_obj_open(path_of("bad_global.o"), NULL);
	tap_ok(!obj && errno == EOPNOTSUPP,
	       "global variable: EOPNOTSUPP (errno %d)", errno);
	tap_ok(strstr(last_msg, "'counter'") && strstr(last_msg, "insn 0") &&
	       strstr(last_msg, "method/bump"),
	       "... message names the symbol, the insn and the section: %s",
	       last_msg);

	obj = ipo_prog_obj_open(path_of("bad_extern.o"), NULL);
	tap_ok(!obj && errno == EOPNOTSUPP, "extern call: EOPNOTSUPP");
	tap_ok(strstr(last_msg, "'elsewhere'") && strstr(last_msg, "insn 1"),
	       "... message names the function and the insn: %s", last_msg);
}

static void test_opts(void)
{
	struct {
		struct ipo_prog_obj_opts o;
		char tail[16];
	} big;
	struct ipo_prog_obj_opts small = { .sz = 4 };
	struct ipo_prog_obj *obj;

	LIBIPO_OPTS(ipo_prog_obj_opts, named, .object_name = "named");

	memset(&big, 0, sizeof(big));
	big.o.sz = sizeof(big);
	obj = ipo_prog_obj_open(path_of("loop.o"), &big.o);
	tap_ok(obj != NULL, "opts longer than known, zero tail: accepted");
	ipo_prog_obj__close(obj);

	big.tail[3] = 1;
	obj = ipo_prog_obj_open(path_of("loop.o"), &big.o);
	tap_ok(!obj && errno == E2BIG, "opts with a non-zero unknown tail: E2BIG");

	obj = ipo_prog_obj_open(path_of("loop.o"), &small);
	tap_ok(!obj && errno == EINVAL, "opts with sz < sizeof(size_t): EINVAL");

	obj = ipo_prog_obj_open(path_of("loop.o"), &named);
	tap_ok(obj && !strcmp(ipo_prog_obj__name(obj), "named"),
	       "object_name names the object");
	ipo_prog_obj__close(obj);
}

static void test_iterate(void)
{
	static const struct {
		const char *name, *sec, *method;
		uint32_t type;
		size_t insns;
	} want[] = {
		{ "add", "method/add", "add", IPO_PROG_TYPE_METHOD, 25 },
		{ "grow", "method", "grow", IPO_PROG_TYPE_METHOD, 8 },
		{ "shrink", "method", "shrink", IPO_PROG_TYPE_METHOD, 9 },
		{ "ack", "irq", NULL, IPO_PROG_TYPE_IRQ, 2 },
	};
	struct ipo_program *p;
	struct ipo_prog_obj *obj;
	size_t i = 0;

	obj = ipo_prog_obj_open(path_of("subprog.o"), NULL);
	tap_ok(obj != NULL, "subprog.o opens");
	if (!obj)
		return;
	tap_ok(ipo_prog_obj__license(obj) &&
	       !strcmp(ipo_prog_obj__license(obj), "GPL"), "license is GPL");
	tap_ok(ipo_prog_obj__btf(obj) != NULL, "BTF present");
	ipo_prog_obj__for_each_program(p, obj) {
		bool good = i < 4 && !strcmp(ipo_program__name(p), want[i].name);

		good = good &&
		       !strcmp(ipo_program__section_name(p), want[i].sec) &&
		       ipo_program__type(p) == want[i].type &&
		       ipo_program__insn_cnt(p) == want[i].insns &&
		       (want[i].method ?
			!strcmp(ipo_program__method_name(p) ?: "", want[i].method) :
			!ipo_program__method_name(p));
		tap_ok(good, "program %zu is %s in %s, %zu insns", i,
		       i < 4 ? want[i].name : "?", i < 4 ? want[i].sec : "?",
		       i < 4 ? want[i].insns : 0);
		i++;
	}
	tap_ok(i == 4, "four programs (%zu)", i);
	p = ipo_prog_obj__find_program(obj, "shrink");
	tap_ok(p && !strcmp(ipo_program__name(p), "shrink"), "find shrink");
	errno = 0;
	p = ipo_prog_obj__find_program(obj, "sq");
	tap_ok(!p && errno == ENOENT, "a static subprogram is not a program");
	ipo_prog_obj__close(obj);
}

static bool same_programs(struct ipo_prog_obj *a, struct ipo_prog_obj *b)
{
	struct ipo_program *p = NULL, *q = NULL;

	for (;;) {
		size_t n;

		p = ipo_prog_obj__next_program(a, p);
		q = ipo_prog_obj__next_program(b, q);
		if (!p || !q)
			return !p && !q;
		n = ipo_program__insn_cnt(p);
		if (n != ipo_program__insn_cnt(q) ||
		    memcmp(ipo_program__insns(p), ipo_program__insns(q),
			   n * sizeof(struct bpf_insn)))
			return false;
	}
}

static void test_mem(void)
{
	struct ipo_prog_obj *a, *b;
	size_t size;
	void *buf;

	buf = read_file(path_of("subprog.o"), &size);
	tap_ok(buf != NULL, "read subprog.o");
	if (!buf)
		return;
	a = ipo_prog_obj_open(path_of("subprog.o"), NULL);
	b = ipo_prog_obj_open_mem(buf, size, NULL);
	tap_ok(a && b && same_programs(a, b), "open_mem links as open does");
	tap_ok(b && !strcmp(ipo_prog_obj__name(b), "(memory)"),
	       "open_mem's default name");
	ipo_prog_obj__close(a);
	ipo_prog_obj__close(b);

	b = ipo_prog_obj_open_mem(buf, 0, NULL);
	tap_ok(!b && errno == EINVAL, "open_mem of 0 bytes: EINVAL");
	b = ipo_prog_obj_open_mem(buf, size / 2, NULL);
	tap_ok(!b && errno, "a file cut in half fails cleanly (errno %d)", errno);
	ipo_prog_obj__close(b);
	free(buf);
}

static void test_lines(const char *name)
{
	struct ipo_prog_obj *obj = ipo_prog_obj_open(path_of(name), NULL);
	struct ipo_program *p;
	bool good = obj != NULL;
	size_t progs = 0;

	ipo_prog_obj__for_each_program(p, obj) {
		const struct ipo_prog_line *l;
		size_t i, n;

		l = ipo_program__line_info(p, &n);
		good = good && n && l[0].insn_off == 0;
		for (i = 0; good && i < n; i++)
			good = l[i].insn_off < ipo_program__insn_cnt(p) &&
			       (!i || l[i].insn_off > l[i - 1].insn_off) &&
			       l[i].line && l[i].file && l[i].src;
		progs++;
	}
	tap_ok(good && progs, "%s: line info starts at 0, sorted, in range, complete",
	       name);
	ipo_prog_obj__close(obj);
}

/*
 * ipo_program__find_line() / __where(): the record at or before a pc, and
 * the text a located abort prints; the strict mark from IPO_STRICT().
 */
static void test_where(void)
{
	struct ipo_prog_obj *obj = ipo_prog_obj_open(path_of("loop.o"), NULL);
	struct ipo_prog_obj *st = ipo_prog_obj_open(path_of("strict_ok.o"),
						    NULL);
	const struct ipo_prog_line *l, *all;
	struct ipo_program *p, *q;
	char buf[256];
	size_t n, i;
	int len;

	p = obj ? ipo_prog_obj__find_program(obj, "sum") : NULL;
	tap_ok(p != NULL, "where: loop.o has sum");
	if (!p)
		goto out;
	all = ipo_program__line_info(p, &n);
	l = ipo_program__find_line(p, 0);
	tap_ok(l == &all[0], "where: pc 0 is the first record");
	for (i = 0; i + 1 < n; i++)
		if (all[i + 1].insn_off > all[i].insn_off + 1)
			break;
	if (i + 1 < n) {
		l = ipo_program__find_line(p, all[i + 1].insn_off - 1);
		tap_ok(l == &all[i], "where: a pc between records is the earlier one's");
	}
	errno = 0;
	l = ipo_program__find_line(p, ipo_program__insn_cnt(p));
	tap_ok(!l && errno == ENOENT, "where: past the end is ENOENT");
	len = ipo_program__where(p, 0, buf, sizeof(buf));
	snprintf(buf + sizeof(buf) - 64, 64, "insn 0, loop.c:%u", all[0].line);
	tap_ok(len > 0 && !strncmp(buf, buf + sizeof(buf) - 64,
				   strlen(buf + sizeof(buf) - 64)),
	       "where: 'insn 0, loop.c:LINE: ...' without the directory");
	len = ipo_program__where(p, 0, NULL, 0);
	tap_ok(len > 16, "where: with no buffer, the length it needs (%d)", len);
	errno = 0;
	tap_eq(ipo_program__where(p, ipo_program__insn_cnt(p), buf, sizeof(buf)),
	       -ERANGE, "where: a pc past the program is -ERANGE");
	tap_ok(!ipo_program__strict(p), "strict: loop.o's sum is not marked");
	q = st ? ipo_prog_obj__find_program(st, "sum8") : NULL;
	tap_ok(q && ipo_program__strict(q),
	       "strict: IPO_STRICT(sum8) marks it");
out:
	ipo_prog_obj__close(st);
	ipo_prog_obj__close(obj);
}

/* Damaged files must fail with an errno or load; never crash or leak. */
static void test_mutations(void)
{
	unsigned int seed = 1, i, loaded = 0, failed = 0;
	unsigned char *buf, *copy;
	ipo_print_fn_t old;
	size_t size;

	buf = read_file(path_of("subprog.o"), &size);
	copy = malloc(size);
	tap_ok(buf && copy, "read subprog.o for mutation");
	if (!buf || !copy)
		goto out;
	old = ipo_set_print(NULL);
	for (i = 0; i < 3000; i++) {
		struct ipo_prog_obj *obj;
		unsigned int k, flips = 1 + rand_r(&seed) % 4;

		memcpy(copy, buf, size);
		for (k = 0; k < flips; k++)
			copy[rand_r(&seed) % size] = rand_r(&seed);
		obj = ipo_prog_obj_open_mem(copy, size, NULL);
		if (obj)
			loaded++;
		else if (errno)
			failed++;
		ipo_prog_obj__close(obj);
	}
	ipo_set_print(old);
	tap_ok(loaded + failed == 3000,
	       "3000 damaged images: %u loaded, %u refused with an errno",
	       loaded, failed);
out:
	free(buf);
	free(copy);
}

int main(int argc, char **argv)
{
	ipo_print_fn_t def;

	if (argc != 2) {
		fprintf(stderr, "usage: ipo-elf-api-test DIR\n");
		return 2;
	}
	dir = argv[1];
	tap_start();
	def = ipo_set_print(capture);
	tap_ok(def != NULL, "a default print callback is installed");
	test_errors();
	test_opts();
	test_iterate();
	test_mem();
	test_lines("subprog.o");
	test_lines("loop.o");
	test_where();
	test_mutations();
	tap_ok(ipo_set_print(def) == capture, "ipo_set_print returns the old one");
	return tap_end();
}
