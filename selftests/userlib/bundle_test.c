// SPDX-License-Identifier: GPL-2.0
/*
 * ipo-bundle-test PROGS_DIR BUNDLE...: the bundle-script parser and
 * resolver on the host, no kernel: every given script resolves against
 * the compiled programs, syntax and name errors carry file:line:col,
 * arguments are packed by BTF as C lays them out, output types and
 * object sizes come from BTF, and state prints by type; a call is sized
 * to what its last member is given (VALUE..., flexible array members,
 * x"hex" strings) against selftests/userlib/progs/shapes.c and mailbox.c.
 * Prints TAP.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "selftests/tap.h"
#include "bundle.h"
#include "counter.h"
#include "widgets.h"

static const char *dirs[3];

/* Parses and resolves @text as t.bundle; the error text, or "" on success. */
static const char *try(const char *text, struct bun_script **out)
{
	static char err[1024];
	struct bun_script *s;

	err[0] = '\0';
	s = bun_parse("t.bundle", text, err, sizeof(err));
	if (s && bun_resolve(s, dirs, err, sizeof(err))) {
		bun_free(s);
		s = NULL;
	}
	if (out)
		*out = s;
	else
		bun_free(s);
	return err;
}

static void expect_error(const char *text, const char *want)
{
	const char *err = try(text, NULL);

	tap_ok(strstr(err, want) != NULL, "error '%s'%s%s", want,
	       strstr(err, want) ? "" : ", got: ", strstr(err, want) ? "" : err);
}

static void test_scripts(int argc, char **argv)
{
	char err[1024];
	int i;

	for (i = 0; i < argc; i++) {
		struct bun_script *s = bun_parse_file(argv[i], err,
						      sizeof(err));
		int ret = s ? bun_resolve(s, dirs, err, sizeof(err)) : -1;

		tap_ok(s && !ret, "%s parses and resolves%s%s", argv[i],
		       s && !ret ? "" : ": ", s && !ret ? "" : err);
		bun_free(s);
	}
}

static void test_syntax(void)
{
	expect_error("object w = open(\"abc\n", "t.bundle:1:17: unterminated string");
	expect_error("object w = create(size=8) @", "t.bundle:1:27: unexpected character '@'");
	expect_error("\n  x.f()", "t.bundle:2:3: unknown object 'x'");
	expect_error("object w = create(size=8)\nobject w = create(size=8)",
		     "t.bundle:2:8: object 'w' is already declared");
	expect_error("object w = make()", "t.bundle:1:12: expected create(...) or open(...)");
	expect_error("object w = create(size=8, colour=1)", "t.bundle:1:27: unknown option 'colour'");
	expect_error("object w = create(size=8, mode=01777)", "t.bundle:1:32: mode 01777 has bits outside 0777");
	expect_error("object w = create(size=0)", "t.bundle:1:24: size must not be 0");
	/* The second sizeof() leaked the first type name (fuzz_bundle). */
	expect_error("object w = create(size=sizeof(struct a), size=sizeof(struct b))",
		     "t.bundle:1:42: size given twice");
	expect_error("object w = create(size=8, size=sizeof(struct b))",
		     "t.bundle:1:27: size given twice");
	expect_error("object w = open()", "t.bundle:1:17: open() wants the object's name");
	expect_error("object w = create(size=8)\nbundle atomic {\n  w.f()\n",
		     "t.bundle:2:1: bundle without its closing '}'");
	expect_error("object w = create(size=8)\nbundle quick { w.f() }",
		     "t.bundle:2:8: unknown bundle option 'quick'");
	expect_error("object w = create(size=8)\nbundle atomic independent { w.f() }",
		     "t.bundle:2:15: a bundle is atomic or independent, not both");
	expect_error("object w = create(size=8)\nbundle independent atomic { w.f() }",
		     "t.bundle:2:20: a bundle is atomic or independent, not both");
	expect_error("object w = create(size=8)\nbundle expect=EWHAT { w.f() }",
		     "t.bundle:2:15: expect wants an errno name");
	expect_error("object w = create(size=8)\nw.f(a=1 b=2)",
		     "t.bundle:2:9: expected ')', found 'b'");
	expect_error("object w = create(size=8)\nw.f(a=)",
		     "t.bundle:2:7: expected a value, found ')'");
	expect_error("object w = create(size=8)\nw.f(a=\"\\q\")",
		     "t.bundle:2:8: unknown escape in string");
	expect_error("object w = create(size=8)\nw.f(a=12ab)",
		     "t.bundle:2:7: bad number");
	expect_error("object w = create(size=8)\nw.f() -> {",
		     "t.bundle:2:10: expected an output type after '->'");
	expect_error("object w = create(size=8)\nmethods w = widgets",
		     "t.bundle:2:13: expected the program file as a string");
	expect_error("bundle { }", "t.bundle:1:1: empty bundle");
	expect_error("# only a comment\n\n  42", "t.bundle:3:3: expected a statement");
}

#define W "object w = create(\"win\", mode=0666)\nmethods w = \"widgets.o\"\n"

static void test_resolve(void)
{
	expect_error("object w = create(\"win\")\nmethods w = \"nothere.o\"",
		     "t.bundle:2:13: cannot find 'nothere.o'");
	expect_error("object w = create()\nw.resize(w=1, h=1)\nmethods w = \"widgets.o\"",
		     "t.bundle:2:1: 'w' has no methods yet");
	expect_error(W "w.sett_rgb(id=1)",
		     "t.bundle:3:1: ");
	expect_error(W "w.sett_rgb(id=1)",
		     "has no method 'sett_rgb' (methods: resize, set_rgb, insert_button, move, delete, get)");
	expect_error(W "w.set_rgb(id=2, rbg=1)",
		     "t.bundle:3:17: struct set_rgb_args has no member 'rbg' (members: id, rgb)");
	expect_error(W "w.set_rgb(id=2, id=3)",
		     "t.bundle:3:17: argument 'id' given twice");
	expect_error(W "w.set_rgb(id=0x100000000)",
		     "t.bundle:3:14: value does not fit in 4 bytes");
	expect_error(W "w.set_rgb(id=-2147483649)",
		     "t.bundle:3:14: value does not fit in 4 bytes");
	expect_error(W "w.set_rgb(id=[1, 2])",
		     "t.bundle:3:14: expected a number");
	expect_error(W "w.set_rgb(id=KV_USED)",
		     "t.bundle:3:14: unknown name 'KV_USED'");
	expect_error(W "w.get(id=1) -> struct nope",
		     "t.bundle:3:16: no struct nope in");
	expect_error(W "w.get(id=1) -> u128",
		     "t.bundle:3:16: unknown output type 'u128'");
	expect_error("object w = create(size=sizeof(struct nope))\nmethods w = \"widgets.o\"",
		     "t.bundle:1:24: no struct nope in the program files' BTF");
	expect_error("object w = create()", "t.bundle:1:8: size of 'w' unknown");
	expect_error("object c = create()\nmethods c = \"counter.o\"\nc.get(x=1)",
		     "t.bundle:3:7: get takes no arguments (no struct get_args");
	expect_error("object m = create()\nmethods m = \"mailbox.o\"\nm.put(data=\"" 
		     "0123456789012345678901234567890123456789012345678\")",
		     "string of 49 bytes for an array of 48");
}

static void test_pack(void)
{
	struct insert_button_args want = {
		.id = 2, .x = 10, .y = 10, .w = 50, .h = 20, .rgb = 0x00ff00,
	};
	struct add_args add = { .delta = -5 };
	struct bun_script *s;
	struct bun_stmt *st;
	struct bun_call *c;
	const char *err;

	err = try(W "bundle atomic {\n"
		  "  w.insert_button(id=2, x=10, y=10, w=50, h=20, rgb=0x00ff00)\n"
		  "  w.get(id=2) -> struct widget_button\n"
		  "  w.get(id=2)\n"
		  "}\n", &s);
	tap_ok(s != NULL, "widgets script resolves %s", err);
	if (!s)
		return;
	tap_ok(s->objects->size == sizeof(struct widgets_window),
	       "create() without size= takes IPO_OBJECT's size (%llu)",
	       (unsigned long long)s->objects->size);
	tap_ok(s->objects->mode == 0666 && !strcmp(s->objects->name, "win"),
	       "name and octal mode");
	st = s->stmts->next->next;
	c = &st->calls[0];
	tap_ok(st->atomic && st->block && st->nr_calls == 3, "atomic bundle of 3 calls");
	tap_ok(!st->independent, "an atomic bundle is not independent");
	tap_ok(c->method_idx == 2, "insert_button is method 2 in file order");
	tap_ok(c->arg_size == sizeof(want) && !memcmp(c->arg, &want, sizeof(want)),
	       "insert_button args packed as struct insert_button_args");
	tap_ok(!strcmp(c->text, "w.insert_button(id=2, x=10, y=10, w=50, h=20, rgb=0x00ff00)"),
	       "call text kept for the results: %s", c->text);
	tap_ok(st->calls[1].out_type.size == sizeof(struct widget_button) &&
	       st->calls[1].out_type.btf, "-> struct widget_button is 24 bytes of BTF type");
	tap_ok(st->calls[2].out_type.size == 0 && !st->calls[2].out,
	       "no -> and no struct get_out: no output buffer");
	bun_free(s);

	err = try("object c = create(size=sizeof(struct counter))\n"
		  "methods c = \"counter.o\"\n"
		  "bundle independent fuel=9 { c.add(delta=1) c.get() }\n", &s);
	tap_ok(s && s->stmts->next->next->independent &&
	       !s->stmts->next->next->atomic &&
	       s->stmts->next->next->nr_calls == 2 &&
	       s->stmts->next->next->fuel == 9,
	       "bundle independent fuel=9 { 2 calls } %s", err);
	bun_free(s);

	err = try("object c = create(size=sizeof(struct counter))\n"
		  "methods c = \"counter.o\"\n"
		  "c.add(delta=-5) -> s64\nc.get() -> u64[2]\n", &s);
	tap_ok(s != NULL, "counter script resolves %s", err);
	if (!s)
		return;
	tap_ok(s->objects->size == sizeof(struct counter), "sizeof(struct counter)");
	c = &s->stmts->next->next->calls[0];
	tap_ok(c->arg_size == 8 && !memcmp(c->arg, &add, 8),
	       "negative delta into an __s64");
	tap_ok(s->stmts->next->next->atomic && !s->stmts->next->next->block,
	       "a call on its own is an atomic bundle of one");
	tap_ok(!s->stmts->next->next->independent,
	       "a call on its own is not independent");
	c = &s->stmts->next->next->next->calls[0];
	tap_ok(c->arg_size == 0 && c->out_type.size == 16 &&
	       c->out_type.int_size == 8 && c->out_type.count == 2,
	       "get() has no args; -> u64[2] is 16 bytes");
	bun_free(s);

	err = try("object m = create()\nmethods m = \"mailbox.o\"\n"
		  "bundle fuel=5000 expect=ENOSPC {\n"
		  "  m.put(len=2, data=\"hi\\x21\") -> u64\n"
		  "  m.put(len=3, data=[1, 2, 255])\n}\n", &s);
	tap_ok(s != NULL, "mailbox script resolves %s", err);
	if (!s)
		return;
	st = s->stmts->next->next;
	tap_ok(!st->atomic && st->fuel == 5000 && st->expect == ENOSPC,
	       "stop-at-error bundle with fuel= and expect=");
	c = &st->calls[0];
	tap_ok(c->arg_size == 56 && !memcmp((char *)c->arg + 8, "hi!", 4) &&
	       *(uint32_t *)c->arg == 2, "string with escapes into a __u8 array");
	c = &st->calls[1];
	tap_ok(!memcmp((char *)c->arg + 8, "\x01\x02\xff", 4),
	       "list into a __u8 array");
	bun_free(s);
}

#define M "object m = create()\nmethods m = \"mailbox.o\"\n"
#define S "object s = create(size=64)\nmethods s = \"shapes.o\"\n"

/* The one call of a script; NULL (and a failed test) if it did not resolve. */
static struct bun_call *one_call(const char *text, struct bun_script **s)
{
	const char *err = try(text, s);
	struct bun_stmt *st;

	if (!*s) {
		tap_ok(false, "resolves: %s", err);
		return NULL;
	}
	for (st = (*s)->stmts; st; st = st->next)
		if (st->kind == BUN_STMT_BUNDLE)
			return &st->calls[0];
	tap_ok(false, "a call in: %s", text);
	return NULL;
}

/* The call's argument is exactly @size bytes, @want at @off. */
static void expect_arg(const char *text, uint32_t size, uint32_t off,
		       const void *want, size_t len)
{
	struct bun_script *s;
	struct bun_call *c = one_call(text, &s);

	if (!c)
		return;
	tap_ok(c->arg_size == size && !memcmp((char *)c->arg + off, want, len),
	       "%s: %u bytes (want %u)", c->text, c->arg_size, size);
	bun_free(s);
}

static void test_sized(void)
{
	const uint32_t words[2] = { 1, 0xffffffff };
	struct bun_script *s;
	struct bun_call *c;
	char *big;
	size_t n;

	/* mailbox's put_args: len, __reserved, data[48] at offset 8 */
	expect_arg(M "m.put(len=5, data=\"hello\"...)", 13, 8, "hello", 5);
	expect_arg(M "m.put(len=5, data=\"hello\")", 56, 8, "hello\0", 6);
	expect_arg(M "m.put(data=\"hi\"..., len=2)", 10, 0, "\2\0\0\0\0\0\0\0hi", 10);
	expect_arg(M "m.put(len=2, data=x\"6869\"...)", 10, 8, "hi", 2);
	expect_arg(M "m.put(len=3, data=x\" 00 ff\t7F \"...)", 11, 8, "\0\xff\x7f", 3);
	expect_arg(M "m.put(data=x\"\"...)", 8, 0, "\0\0\0\0\0\0\0", 8);
	expect_arg(M "m.put(len=3, data=[1, 2, 0xff]...)", 11, 8, "\1\2\xff", 3);
	expect_arg(M "m.put(len=48, data=\"012345678901234567890123456789012345678901234567\"...)",
		   56, 8, "0123456789", 10);
	/* A flexible array member is sized by what it is given, or not. */
	expect_arg(S "s.blob(tag=7, data=\"abc\")", 7, 0, "\7\0\0\0abc", 7);
	expect_arg(S "s.blob(tag=7, data=\"abc\"...)", 7, 4, "abc", 3);
	expect_arg(S "s.blob(tag=7)", 4, 0, "\7\0\0\0", 4);
	expect_arg(S "s.words(n=2, w=[1, 0xffffffff])", 12, 4, words, 8);
	expect_arg(S "s.note(id=1, text=\"hey\"...)", 7, 4, "hey", 3);
	expect_arg(S "s.note(id=1, text=\"hey\")", 20, 4, "hey\0", 4);

	c = one_call(M "bundle {\n  m.put(len=5,  data = \"hello\" ...)\n}", &s);
	if (c)
		tap_ok(!strcmp(c->text, "m.put(len=5, data = \"hello\" ...)"),
		       "the call's text keeps its '...': %s", c->text);
	bun_free(s);

	expect_error(M "m.put(len=5...)",
		     "t.bundle:3:12: '...' follows a string or a list");
	expect_error(M "m.put(len=x\"01\"...)",
		     "t.bundle:3:7: '...' ends the argument after the last member of struct put_args, 'data'");
	expect_error(S "s.mid(key=\"k\"...)",
		     "t.bundle:3:7: '...' ends the argument after the last member of struct mid_args, 'value'");
	expect_error(M "m.put(data=x\"686\")",
		     "t.bundle:3:17: a hex string takes whole bytes");
	expect_error(M "m.put(data=x\"68 6\")",
		     "t.bundle:3:18: a hex string takes whole bytes");
	expect_error(M "m.put(data=x\"6g\")",
		     "t.bundle:3:15: a hex string takes whole bytes");
	expect_error(M "m.put(data=x\"68",
		     "t.bundle:3:12: unterminated string");
	expect_error(S "s.words(w=\"ab\")",
		     "t.bundle:3:11: expected a list [a, b, ...] (words_args.w)");
	expect_error(S "s.words(w=\"ab\"...)",
		     "t.bundle:3:11: expected a list [a, b, ...] (words_args.w)");
	expect_error(S "s.words(w=[0x100000000])",
		     "t.bundle:3:12: value does not fit in 4 bytes");
	expect_error(S "s.note(text=\"0123456789abcdefX\"...)",
		     "string of 17 bytes for an array of 16");

	/* At most BUN_MAX_ARG bytes: 4 of tag and 65532 of data. */
	n = BUN_MAX_ARG - 4;
	big = malloc(sizeof(S) + n + 64);
	if (!big) {
		tap_ok(false, "malloc");
		return;
	}
	sprintf(big, S "s.blob(data=\"");
	memset(big + strlen(big), 'z', n);
	strcpy(big + sizeof(S) - 1 + strlen("s.blob(data=\"") + n, "\")");
	c = one_call(big, &s);
	if (c)
		tap_ok(c->arg_size == BUN_MAX_ARG, "a blob of %u bytes", c->arg_size);
	bun_free(s);
	strcpy(big + sizeof(S) - 1 + strlen("s.blob(data=\"") + n, "z\")");
	expect_error(big, "t.bundle:3:13: an argument of 65537 bytes: a call takes at most 65536");
	free(big);
}

static void test_print(void)
{
	struct widgets_window win = {
		.w = 320, .h = 200, .nr_buttons = 2, .serial = 3,
		.buttons = {
			{ 1, 10, 10, 80, 24, 0x00ff00 },
			{ 2, 100, 10, 80, 24, 0xff8800 },
		},
	};
	struct bun_script *s;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	try(W, &s);
	if (!s) {
		tap_ok(false, "widgets.o for printing");
		return;
	}
	f = open_memstream(&buf, &len);
	bun_print_value(f, s->files->btf, s->files->obj_type, NULL, &win, 0);
	fclose(f);
	tap_ok(strstr(buf, "  w = 320, h = 200, nr_buttons = 2, serial = 3,\n") &&
	       strstr(buf, "{ id = 2, x = 100, y = 10, w = 80, h = 24, rgb = 0xff8800 },") &&
	       strstr(buf, "... 14 zero"),
	       "widgets_window printed by BTF, trailing zero buttons left out");
	if (tap_failures())
		printf("# %s\n", buf);
	free(buf);
	bun_free(s);
}

/*
 * BTF from a file is untrusted: members and arrays placed outside their
 * struct, typedef loops and names outside the string table print as "?"
 * (these crashed or hung the printer; found by the fuzz_elf harness).
 */
static void test_hostile_btf(void)
{
	struct btf *btf = btf__new_empty();
	int i32, s, arr, big, t1, t2, loop;
	char buf[512];
	unsigned char data[8] = { 1 };
	struct btf_type *t;
	FILE *f;

	if (!btf) {
		tap_ok(false, "btf__new_empty");
		return;
	}
	i32 = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	arr = btf__add_array(btf, i32, i32, 1000);
	s = btf__add_struct(btf, "hostile", 8);
	btf__add_field(btf, "a", i32, 0, 0);
	btf__add_field(btf, "far", i32, 8 * 1000000, 0);
	btf__add_field(btf, "arr", arr, 0, 0);
	big = btf__add_struct(btf, "big", 8);
	btf__add_field(btf, "x", i32, 32, 0);
	t1 = btf__add_typedef(btf, "t1", i32 + 100);	/* fixed below */
	t2 = btf__add_typedef(btf, "t2", t1);
	loop = btf__add_struct(btf, "loop", 4);
	btf__add_field(btf, "l", t2, 0, 0);
	t = (struct btf_type *)btf__type_by_id(btf, t1);
	t->type = t2;
	/* A member name outside the string table. */
	t = (struct btf_type *)btf__type_by_id(btf, big);
	btf_members(t)[0].name_off = 0x7fffffff;
	f = fmemopen(buf, sizeof(buf), "w");
	if (!f || s < 0 || big < 0 || loop < 0) {
		tap_ok(false, "building the hostile BTF");
		return;
	}
	bun_print_value(f, btf, s, NULL, data, 0);
	fputc('\n', f);
	bun_print_value(f, btf, big, NULL, data, 0);
	fputc('\n', f);
	bun_print_value(f, btf, loop, NULL, data, 0);
	fclose(f);
	tap_ok(strstr(buf, "a = 1") && strstr(buf, "far = ?") &&
	       strstr(buf, "arr = ?"),
	       "members outside the struct print as ?: %s", buf);
	tap_ok(strstr(buf, "? = 0") != NULL,
	       "a name outside the string table prints as ?");
	tap_ok(strstr(buf, "l = ?") != NULL, "a typedef loop prints as ?");
	btf__free(btf);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: ipo-bundle-test PROGS_DIR TEST_PROGS_DIR [BUNDLE...]\n");
		return 2;
	}
	dirs[0] = argv[1];
	dirs[1] = argv[2];
	ipo_set_print(NULL);
	tap_start();
	test_scripts(argc - 3, argv + 3);
	test_syntax();
	test_resolve();
	test_pack();
	test_sized();
	test_print();
	test_hostile_btf();
	return tap_end();
}
