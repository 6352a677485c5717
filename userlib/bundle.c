// SPDX-License-Identifier: GPL-2.0
/*
 * Bundle scripts: the lexer and parser (text -> statements) and the
 * resolver (statements -> method indexes and packed argument bytes, by
 * the program files' BTF).  Nothing here talks to the kernel, so the host
 * tests check it whole.  The format: userlib/BUNDLE.md.
 */
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/btf.h>
#include <bpf/btf.h>

#include "bundle.h"

enum tok_kind {
	T_EOF,
	T_IDENT,
	T_NUM,
	T_STR,
	T_PUNCT,	/* one of ( ) { } [ ] = , . ; - */
	T_ARROW,	/* -> */
	T_ELLIPSIS,	/* ... after an argument's value: the argument ends */
};

struct token {
	enum tok_kind kind;
	struct bun_pos pos;
	const char *start;
	size_t len;
	char c;			/* T_PUNCT */
	uint64_t num;		/* T_NUM */
	char *str;		/* T_STR (malloc'd), T_IDENT */
	size_t slen;
};

struct parser {
	const char *path;
	const char *src;
	const char *p;
	const char *line_start;
	int line;
	struct token tok;	/* the current token */
	const char *prev_end;	/* end of the token before it */
	struct bun_script *s;
	char *err;
	size_t err_size;
	bool failed;
};

__attribute__((format(printf, 3, 4)))
static void perr(struct parser *ps, struct bun_pos pos, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	if (ps->failed)
		return;
	ps->failed = true;
	n = snprintf(ps->err, ps->err_size, "%s:%d:%d: ", ps->path, pos.line,
		     pos.col);
	if (n >= ps->err_size)
		return;
	va_start(ap, fmt);
	vsnprintf(ps->err + n, ps->err_size - n, fmt, ap);
	va_end(ap);
}

static void *zalloc(struct parser *ps, size_t n)
{
	void *p = calloc(1, n);

	if (!p)
		perr(ps, ps->tok.pos, "out of memory");
	return p;
}

static int lex_string(struct parser *ps, struct token *t)
{
	const char *p = ps->p + 1;
	char *out = malloc(strlen(p) + 1);
	size_t n = 0;

	if (!out)
		return -ENOMEM;
	for (;;) {
		char c = *p++;

		if (!c || c == '\n') {
			free(out);
			perr(ps, t->pos, "unterminated string");
			return -EINVAL;
		}
		if (c == '"')
			break;
		if (c == '\\') {
			c = *p++;
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case '0': c = '\0'; break;
			case '\\': case '"': break;
			case 'x':
				if (isxdigit(p[0]) && isxdigit(p[1])) {
					char hex[3] = { p[0], p[1], 0 };

					c = strtoul(hex, NULL, 16);
					p += 2;
					break;
				}
				/* fall through */
			default:
				free(out);
				perr(ps, (struct bun_pos){ t->pos.line,
					 t->pos.col + (int)(p - 2 - ps->p) },
				     "unknown escape in string");
				return -EINVAL;
			}
		}
		out[n++] = c;
	}
	out[n] = '\0';
	t->kind = T_STR;
	t->str = out;
	t->slen = n;
	ps->p = p;
	return 0;
}

/* x"68 69": a string given as pairs of hex digits, spaces between bytes. */
static int lex_hex(struct parser *ps, struct token *t)
{
	const char *p = ps->p + 2;
	char *out = malloc(strlen(p) / 2 + 1);
	size_t n = 0;

	if (!out)
		return -ENOMEM;
	for (;;) {
		struct bun_pos pos = { t->pos.line,
				       t->pos.col + (int)(p - ps->p) };
		char hex[3] = { p[0], 0, 0 };

		if (*p == ' ' || *p == '\t') {
			p++;
			continue;
		}
		if (*p == '"')
			break;
		if (!*p || *p == '\n') {
			free(out);
			perr(ps, t->pos, "unterminated string");
			return -EINVAL;
		}
		if (!isxdigit(p[0]) || !isxdigit(p[1])) {
			free(out);
			if (isxdigit(p[0]))
				pos.col++;
			perr(ps, pos, "a hex string takes whole bytes, two hex digits each");
			return -EINVAL;
		}
		hex[1] = p[1];
		out[n++] = strtoul(hex, NULL, 16);
		p += 2;
	}
	out[n] = '\0';
	t->kind = T_STR;
	t->str = out;
	t->slen = n;
	ps->p = p + 1;
	return 0;
}

/* Reads the next token into ps->tok. */
static void next(struct parser *ps)
{
	struct token *t = &ps->tok;
	const char *p;

	if (t->kind == T_STR || t->kind == T_IDENT)
		free(t->str);
	ps->prev_end = ps->p;
	memset(t, 0, sizeof(*t));
	for (;;) {
		while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\r')
			ps->p++;
		if (*ps->p == '#') {
			while (*ps->p && *ps->p != '\n')
				ps->p++;
		}
		if (*ps->p != '\n')
			break;
		ps->p++;
		ps->line++;
		ps->line_start = ps->p;
	}
	p = ps->p;
	t->start = p;
	t->pos.line = ps->line;
	t->pos.col = p - ps->line_start + 1;
	if (!*p) {
		t->kind = T_EOF;
		return;
	}
	if (p[0] == 'x' && p[1] == '"') {
		if (lex_hex(ps, t)) {
			t->kind = T_EOF;
			return;
		}
		p = ps->p;
	} else if (isalpha(*p) || *p == '_') {
		while (isalnum(*p) || *p == '_')
			p++;
		t->kind = T_IDENT;
		t->str = strndup(ps->p, p - ps->p);
		t->slen = p - ps->p;
	} else if (isdigit(*p)) {
		char *end;

		errno = 0;
		t->num = strtoull(p, &end, 0);
		if (errno || isalnum(*end) || *end == '_') {
			perr(ps, t->pos, "bad number");
			t->kind = T_EOF;
			return;
		}
		t->kind = T_NUM;
		p = end;
	} else if (*p == '"') {
		if (lex_string(ps, t)) {
			t->kind = T_EOF;
			return;
		}
		p = ps->p;
	} else if (p[0] == '-' && p[1] == '>') {
		t->kind = T_ARROW;
		p += 2;
	} else if (p[0] == '.' && p[1] == '.' && p[2] == '.') {
		t->kind = T_ELLIPSIS;
		p += 3;
	} else if (strchr("(){}[]=,.;-", *p)) {
		t->kind = T_PUNCT;
		t->c = *p++;
	} else {
		perr(ps, t->pos, "unexpected character '%c'", *p);
		t->kind = T_EOF;
		return;
	}
	t->len = p - t->start;
	ps->p = p;
}

static bool is_punct(struct parser *ps, char c)
{
	return ps->tok.kind == T_PUNCT && ps->tok.c == c;
}

static bool is_word(struct parser *ps, const char *w)
{
	return ps->tok.kind == T_IDENT && !strcmp(ps->tok.str, w);
}

static const char *tok_desc(const struct token *t)
{
	static char buf[64];

	switch (t->kind) {
	case T_EOF:
		return "end of file";
	case T_STR:
		return "a string";
	case T_NUM:
		return "a number";
	default:
		snprintf(buf, sizeof(buf), "'%.*s'", (int)(t->len > 40 ? 40 :
			 t->len), t->start);
		return buf;
	}
}

static bool expect_punct(struct parser *ps, char c)
{
	if (!is_punct(ps, c)) {
		perr(ps, ps->tok.pos, "expected '%c', found %s", c,
		     tok_desc(&ps->tok));
		return false;
	}
	next(ps);
	return true;
}

/* Takes the current identifier's name; NULL (and an error) otherwise. */
static char *take_ident(struct parser *ps, const char *what)
{
	char *s;

	if (ps->tok.kind != T_IDENT) {
		perr(ps, ps->tok.pos, "expected %s, found %s", what,
		     tok_desc(&ps->tok));
		return NULL;
	}
	s = ps->tok.str;
	ps->tok.str = NULL;
	next(ps);
	return s;
}

static struct bun_object *find_object(struct bun_script *s, const char *var)
{
	struct bun_object *o;

	for (o = s->objects; o; o = o->next)
		if (!strcmp(o->var, var))
			return o;
	return NULL;
}

static bool parse_value(struct parser *ps, struct bun_value *v)
{
	v->pos = ps->tok.pos;
	if (is_punct(ps, '-')) {
		next(ps);
		if (ps->tok.kind != T_NUM) {
			perr(ps, ps->tok.pos, "expected a number after '-'");
			return false;
		}
		if (ps->tok.num > (1ULL << 63)) {
			perr(ps, v->pos, "number out of range");
			return false;
		}
		v->kind = BUN_VAL_INT;
		v->neg = true;
		v->u = -ps->tok.num;
		next(ps);
		return true;
	}
	switch (ps->tok.kind) {
	case T_NUM:
		v->kind = BUN_VAL_INT;
		v->u = ps->tok.num;
		next(ps);
		return true;
	case T_STR:
		v->kind = BUN_VAL_STR;
		v->str = ps->tok.str;
		v->len = ps->tok.slen;
		ps->tok.str = NULL;
		next(ps);
		return true;
	case T_IDENT:
		v->kind = BUN_VAL_IDENT;
		v->str = take_ident(ps, "a value");
		return v->str;
	default:
		break;
	}
	if (is_punct(ps, '[')) {
		v->kind = BUN_VAL_LIST;
		next(ps);
		while (!is_punct(ps, ']')) {
			struct bun_value *items;

			items = realloc(v->items,
					(v->nr_items + 1) * sizeof(*items));
			if (!items) {
				perr(ps, ps->tok.pos, "out of memory");
				return false;
			}
			v->items = items;
			memset(&items[v->nr_items], 0, sizeof(*items));
			if (!parse_value(ps, &items[v->nr_items++]))
				return false;
			if (!is_punct(ps, ','))
				break;
			next(ps);
		}
		return expect_punct(ps, ']');
	}
	perr(ps, ps->tok.pos, "expected a value, found %s", tok_desc(&ps->tok));
	return false;
}

/* A copy of @start..@end with runs of white space made one space. */
static char *squeeze(const char *start, const char *end)
{
	char *out = malloc(end - start + 1), *o = out;
	bool space = false;

	if (!out)
		return NULL;
	for (; start < end; start++) {
		if (isspace(*start)) {
			space = true;
			continue;
		}
		if (space && o != out && !strchr("([", o[-1]) &&
		    !strchr(")],", *start))
			*o++ = ' ';
		space = false;
		*o++ = *start;
	}
	*o = '\0';
	return out;
}

/* VAR.method(name=value, ...) [-> TYPE] */
static bool parse_call(struct parser *ps, struct bun_call *c)
{
	const char *start = ps->tok.start;
	char *var;

	c->pos = ps->tok.pos;
	var = take_ident(ps, "a statement");
	if (!var)
		return false;
	c->obj = find_object(ps->s, var);
	if (!c->obj) {
		perr(ps, c->pos, "unknown object '%s' (declare it with `object %s = create(...)` or `= open(...)`)",
		     var, var);
		free(var);
		return false;
	}
	free(var);
	if (!expect_punct(ps, '.'))
		return false;
	c->method = take_ident(ps, "a method name");
	if (!c->method || !expect_punct(ps, '('))
		return false;
	while (!is_punct(ps, ')')) {
		struct bun_arg *a;

		a = realloc(c->args, (c->nr_args + 1) * sizeof(*a));
		if (!a) {
			perr(ps, ps->tok.pos, "out of memory");
			return false;
		}
		c->args = a;
		a = &a[c->nr_args++];
		memset(a, 0, sizeof(*a));
		a->pos = ps->tok.pos;
		a->name = take_ident(ps, "an argument name");
		if (!a->name || !expect_punct(ps, '=') ||
		    !parse_value(ps, &a->val))
			return false;
		if (ps->tok.kind == T_ELLIPSIS) {
			if (a->val.kind != BUN_VAL_STR &&
			    a->val.kind != BUN_VAL_LIST) {
				perr(ps, ps->tok.pos, "'...' follows a string or a list: the bytes the argument ends with");
				return false;
			}
			a->sized = true;
			next(ps);
		}
		if (!is_punct(ps, ','))
			break;
		next(ps);
	}
	if (!expect_punct(ps, ')'))
		return false;
	if (ps->tok.kind == T_ARROW) {
		const char *ts;

		next(ps);
		c->out_pos = ps->tok.pos;
		ts = ps->tok.start;
		if (is_word(ps, "struct")) {
			next(ps);
			if (ps->tok.kind != T_IDENT) {
				perr(ps, ps->tok.pos, "expected a struct name after 'struct'");
				return false;
			}
			next(ps);
		} else if (ps->tok.kind == T_IDENT) {
			next(ps);
			if (is_punct(ps, '[')) {
				next(ps);
				if (ps->tok.kind != T_NUM) {
					perr(ps, ps->tok.pos, "expected an element count");
					return false;
				}
				next(ps);
				if (!expect_punct(ps, ']'))
					return false;
			}
		} else if (ps->tok.kind == T_NUM) {
			next(ps);
		} else {
			perr(ps, ps->tok.pos, "expected an output type after '->' (struct NAME, u64, s32[4], or a size in bytes)");
			return false;
		}
		c->out_spec = squeeze(ts, ps->prev_end);
	}
	c->text = squeeze(start, ps->prev_end);
	return !ps->failed;
}

static struct bun_stmt *new_stmt(struct parser *ps, enum bun_stmt_kind kind)
{
	struct bun_stmt *st = zalloc(ps, sizeof(*st)), **pp;

	if (!st)
		return NULL;
	st->kind = kind;
	st->pos = ps->tok.pos;
	for (pp = &ps->s->stmts; *pp; pp = &(*pp)->next)
		;
	*pp = st;
	ps->s->nr_stmts++;
	return st;
}

static bool add_call(struct parser *ps, struct bun_stmt *st)
{
	struct bun_call *c = realloc(st->calls,
				     (st->nr_calls + 1) * sizeof(*c));

	if (!c) {
		perr(ps, ps->tok.pos, "out of memory");
		return false;
	}
	st->calls = c;
	memset(&c[st->nr_calls], 0, sizeof(*c));
	return parse_call(ps, &c[st->nr_calls++]);
}

/* object VAR = create(["name"], size=N|sizeof(struct T), mode=N, name="n") */
static bool parse_object(struct parser *ps, struct bun_stmt *st)
{
	struct bun_object *o = zalloc(ps, sizeof(*o)), **pp;

	if (!o)
		return false;
	o->fd = -1;
	next(ps);
	o->pos = ps->tok.pos;
	o->var = take_ident(ps, "an object variable");
	for (pp = &ps->s->objects; *pp; pp = &(*pp)->next)
		;
	*pp = o;
	st->obj = o;
	if (!o->var)
		return false;
	if (find_object(ps->s, o->var) != o) {
		perr(ps, o->pos, "object '%s' is already declared", o->var);
		return false;
	}
	if (!expect_punct(ps, '='))
		return false;
	if (is_word(ps, "create")) {
		o->create = true;
	} else if (!is_word(ps, "open")) {
		perr(ps, ps->tok.pos, "expected create(...) or open(...), found %s",
		     tok_desc(&ps->tok));
		return false;
	}
	next(ps);
	if (!expect_punct(ps, '('))
		return false;
	if (ps->tok.kind == T_STR) {
		o->name = ps->tok.str;
		ps->tok.str = NULL;
		next(ps);
		if (is_punct(ps, ','))
			next(ps);
	}
	while (o->create && ps->tok.kind == T_IDENT) {
		struct bun_pos pos = ps->tok.pos;
		char *key = take_ident(ps, "an option");
		struct bun_value v = {};

		if (!expect_punct(ps, '=')) {
			free(key);
			return false;
		}
		if (!strcmp(key, "size") && (o->size || o->size_type)) {
			perr(ps, pos, "size given twice");
			goto bad;
		}
		if (!strcmp(key, "size") && is_word(ps, "sizeof")) {
			o->size_pos = ps->tok.pos;
			next(ps);
			if (!expect_punct(ps, '('))
				goto bad;
			if (is_word(ps, "struct"))
				next(ps);
			o->size_type = take_ident(ps, "a struct name");
			if (!o->size_type || !expect_punct(ps, ')'))
				goto bad;
		} else if (!strcmp(key, "name") && ps->tok.kind == T_STR) {
			free(o->name);
			o->name = ps->tok.str;
			ps->tok.str = NULL;
			next(ps);
		} else if (!strcmp(key, "size") || !strcmp(key, "mode")) {
			if (ps->tok.kind != T_NUM) {
				perr(ps, ps->tok.pos, "%s wants a number",
				     key);
				goto bad;
			}
			if (key[0] == 's') {
				o->size = ps->tok.num;
				o->size_pos = ps->tok.pos;
				if (!o->size) {
					perr(ps, ps->tok.pos, "size must not be 0");
					goto bad;
				}
			} else {
				o->mode = ps->tok.num;
				if (o->mode & ~0777) {
					perr(ps, ps->tok.pos, "mode 0%o has bits outside 0777",
					     o->mode);
					goto bad;
				}
			}
			next(ps);
		} else {
			perr(ps, pos, "unknown option '%s' (create takes a name, size=, mode=)",
			     key);
			goto bad;
		}
		free(key);
		(void)v;
		if (!is_punct(ps, ','))
			break;
		next(ps);
		continue;
bad:
		free(key);
		return false;
	}
	if (!o->create && !o->name) {
		perr(ps, ps->tok.pos, "open() wants the object's name");
		return false;
	}
	return expect_punct(ps, ')');
}

/* bundle [atomic | independent] [fuel=N] [expect=ERRNO] { calls } */
static bool parse_bundle(struct parser *ps, struct bun_stmt *st)
{
	st->block = true;
	next(ps);
	while (ps->tok.kind == T_IDENT) {
		struct bun_pos pos = ps->tok.pos;

		if (is_word(ps, "atomic") || is_word(ps, "independent")) {
			if (is_word(ps, "atomic"))
				st->atomic = true;
			else
				st->independent = true;
			if (st->atomic && st->independent) {
				perr(ps, pos, "a bundle is atomic or independent, not both");
				return false;
			}
			next(ps);
			continue;
		}
		if (is_word(ps, "fuel")) {
			next(ps);
			if (!expect_punct(ps, '='))
				return false;
			if (ps->tok.kind != T_NUM || !ps->tok.num) {
				perr(ps, ps->tok.pos, "fuel wants a positive number");
				return false;
			}
			st->fuel = ps->tok.num;
			next(ps);
			continue;
		}
		if (is_word(ps, "expect")) {
			next(ps);
			if (!expect_punct(ps, '='))
				return false;
			if (ps->tok.kind != T_IDENT ||
			    !bun_errno_by_name(ps->tok.str)) {
				perr(ps, ps->tok.pos, "expect wants an errno name such as ETIME");
				return false;
			}
			st->expect = bun_errno_by_name(ps->tok.str);
			next(ps);
			continue;
		}
		perr(ps, pos, "unknown bundle option %s (atomic, independent, fuel=N, expect=ERRNO)",
		     tok_desc(&ps->tok));
		return false;
	}
	if (!expect_punct(ps, '{'))
		return false;
	while (!is_punct(ps, '}')) {
		if (ps->tok.kind == T_EOF) {
			perr(ps, st->pos, "bundle without its closing '}'");
			return false;
		}
		if (!add_call(ps, st))
			return false;
		if (is_punct(ps, ';'))
			next(ps);
	}
	next(ps);
	if (!st->nr_calls) {
		perr(ps, st->pos, "empty bundle");
		return false;
	}
	return true;
}

static bool parse_stmt(struct parser *ps)
{
	struct bun_stmt *st;

	if (is_word(ps, "object")) {
		st = new_stmt(ps, BUN_STMT_OBJECT);
		return st && parse_object(ps, st);
	}
	if (is_word(ps, "methods") || is_word(ps, "print")) {
		bool methods = ps->tok.str[0] == 'm';
		struct bun_pos pos;
		char *var;

		st = new_stmt(ps, methods ? BUN_STMT_METHODS : BUN_STMT_PRINT);
		if (!st)
			return false;
		next(ps);
		pos = ps->tok.pos;
		var = take_ident(ps, "an object variable");
		if (!var)
			return false;
		st->obj = find_object(ps->s, var);
		if (!st->obj)
			perr(ps, pos, "unknown object '%s'", var);
		free(var);
		if (!st->obj || !methods)
			return !ps->failed;
		if (!expect_punct(ps, '='))
			return false;
		st->path_pos = ps->tok.pos;
		if (ps->tok.kind != T_STR) {
			perr(ps, ps->tok.pos, "expected the program file as a string, found %s",
			     tok_desc(&ps->tok));
			return false;
		}
		st->path = ps->tok.str;
		ps->tok.str = NULL;
		next(ps);
		return true;
	}
	if (is_word(ps, "keep")) {
		new_stmt(ps, BUN_STMT_KEEP);
		next(ps);
		return !ps->failed;
	}
	if (is_word(ps, "bundle")) {
		st = new_stmt(ps, BUN_STMT_BUNDLE);
		return st && parse_bundle(ps, st);
	}
	if (ps->tok.kind == T_IDENT) {
		/* A call on its own is a bundle of one. */
		st = new_stmt(ps, BUN_STMT_BUNDLE);
		if (!st)
			return false;
		st->atomic = true;
		return add_call(ps, st);
	}
	perr(ps, ps->tok.pos, "expected a statement (object, methods, bundle, print, keep or a call), found %s",
	     tok_desc(&ps->tok));
	return false;
}

struct bun_script *bun_parse(const char *path, const char *text, char *err,
			     size_t err_size)
{
	struct parser ps = {
		.path = path,
		.src = text,
		.p = text,
		.line_start = text,
		.line = 1,
		.err = err,
		.err_size = err_size,
	};
	char *dup;

	ps.s = calloc(1, sizeof(*ps.s));
	if (!ps.s) {
		snprintf(err, err_size, "%s: out of memory", path);
		return NULL;
	}
	ps.s->path = strdup(path);
	dup = strdup(path);
	ps.s->dir = dup ? strdup(dirname(dup)) : NULL;
	free(dup);
	next(&ps);
	while (!ps.failed && ps.tok.kind != T_EOF) {
		if (!parse_stmt(&ps))
			break;
		while (is_punct(&ps, ';'))
			next(&ps);
	}
	if (ps.tok.kind == T_STR || ps.tok.kind == T_IDENT)
		free(ps.tok.str);
	if (ps.failed) {
		bun_free(ps.s);
		return NULL;
	}
	return ps.s;
}

struct bun_script *bun_parse_file(const char *path, char *err,
				  size_t err_size)
{
	struct bun_script *s;
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (!f) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (getdelim(&buf, &len, '\0', f) < 0 && !buf) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		fclose(f);
		return NULL;
	}
	fclose(f);
	s = bun_parse(path, buf ? buf : "", err, err_size);
	free(buf);
	return s;
}

static void free_value(struct bun_value *v)
{
	int i;

	free(v->str);
	for (i = 0; i < v->nr_items; i++)
		free_value(&v->items[i]);
	free(v->items);
}

void bun_free(struct bun_script *s)
{
	struct bun_object *o, *on;
	struct bun_stmt *st, *sn;
	struct bun_file *f, *fn;
	int i, j;

	if (!s)
		return;
	for (st = s->stmts; st; st = sn) {
		sn = st->next;
		for (i = 0; i < st->nr_calls; i++) {
			struct bun_call *c = &st->calls[i];

			for (j = 0; j < c->nr_args; j++) {
				free(c->args[j].name);
				free_value(&c->args[j].val);
			}
			free(c->args);
			free(c->method);
			free(c->text);
			free(c->out_spec);
			free(c->arg);
			free(c->out);
		}
		free(st->calls);
		free(st->path);
		free(st);
	}
	for (o = s->objects; o; o = on) {
		on = o->next;
		if (o->view)
			ipo_view_unmap(o->view);
		if (o->fd >= 0)
			close(o->fd);
		free(o->shown);
		free(o->var);
		free(o->name);
		free(o->size_type);
		free(o);
	}
	for (f = s->files; f; f = fn) {
		fn = f->next;
		ipo_prog_obj__close(f->obj);
		free(f->path);
		free(f);
	}
	free(s->path);
	free(s->dir);
	free(s);
}

/* --- resolution --------------------------------------------------------- */

struct resolver {
	struct bun_script *s;
	const char *const *dirs;
	char *err;
	size_t err_size;
};

__attribute__((format(printf, 3, 4)))
static int rerr(struct resolver *r, struct bun_pos pos, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	n = snprintf(r->err, r->err_size, "%s:%d:%d: ", r->s->path, pos.line,
		     pos.col);
	if (n < r->err_size) {
		va_start(ap, fmt);
		vsnprintf(r->err + n, r->err_size - n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* The script's directory, the current one, then @dirs. */
static char *find_file(struct resolver *r, const char *name)
{
	const char *const *d;
	char buf[4096];

	if (name[0] == '/')
		return access(name, R_OK) ? NULL : strdup(name);
	snprintf(buf, sizeof(buf), "%s/%s", r->s->dir ? r->s->dir : ".",
		 name);
	if (!access(buf, R_OK))
		return strdup(buf);
	if (!access(name, R_OK))
		return strdup(name);
	for (d = r->dirs; d && *d; d++) {
		snprintf(buf, sizeof(buf), "%s/%s", *d, name);
		if (!access(buf, R_OK))
			return strdup(buf);
		/* "progs/x.o" found as DIR/x.o too */
		snprintf(buf, sizeof(buf), "%s/%s", *d,
			 strrchr(name, '/') ? strrchr(name, '/') + 1 : name);
		if (!access(buf, R_OK))
			return strdup(buf);
	}
	return NULL;
}

int32_t bun_object_type(const struct btf *btf)
{
	int32_t i, n = btf__type_cnt(btf);

	for (i = 1; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(btf, i);

		if (btf_is_var(t) &&
		    !strcmp(bun_btf_name(btf, t->name_off),
			    "__ipo_object")) {
			t = btf__type_by_id(btf, t->type);
			return t && btf_is_ptr(t) ? (int32_t)t->type : 0;
		}
	}
	return 0;
}

static int open_file(struct resolver *r, struct bun_stmt *st)
{
	struct bun_file *f, **pp;
	char *path = find_file(r, st->path);

	if (!path)
		return rerr(r, st->path_pos, "cannot find '%s' (looked next to the script, in the current directory%s)",
			    st->path, r->dirs && *r->dirs ? " and the -I directories" : "");
	for (pp = &r->s->files; *pp; pp = &(*pp)->next) {
		if (!strcmp((*pp)->path, path)) {
			free(path);
			st->obj->file = *pp;
			return 0;
		}
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		free(path);
		return -ENOMEM;
	}
	f->path = path;
	*pp = f;
	f->obj = ipo_prog_obj_open(path, NULL);
	if (!f->obj)
		return rerr(r, st->path_pos, "%s: not a program object file: %s",
			    path, strerror(errno));
	f->btf = ipo_prog_obj__btf(f->obj);
	if (!f->btf)
		return rerr(r, st->path_pos, "%s has no BTF (compile with -g)",
			    path);
	f->obj_type = bun_object_type(f->btf);
	st->obj->file = f;
	return 0;
}

static int32_t find_struct(const struct btf *btf, const char *name)
{
	int32_t id = btf__find_by_name_kind(btf, name, BTF_KIND_STRUCT);

	return id > 0 ? id : 0;
}

static void list_methods(const struct bun_file *f, char *buf, size_t size)
{
	struct ipo_program *p;
	size_t n = 0;

	buf[0] = '\0';
	ipo_prog_obj__for_each_program(p, f->obj) {
		if (ipo_program__type(p) != IPO_PROG_TYPE_METHOD)
			continue;
		n += snprintf(buf + n, n < size ? size - n : 0, "%s%s",
			      n ? ", " : "", ipo_program__method_name(p));
	}
}

static const struct {
	const char *name;
	int size;
	bool is_signed;
} builtin_ints[] = {
	{ "u8", 1, false }, { "u16", 2, false }, { "u32", 4, false },
	{ "u64", 8, false }, { "s8", 1, true }, { "s16", 2, true },
	{ "s32", 4, true }, { "s64", 8, true },
};

static int resolve_out(struct resolver *r, struct bun_call *c)
{
	const struct btf *btf = c->obj->file->btf;
	struct bun_type *t = &c->out_type;
	char name[128], *br;
	unsigned long count = 1;
	size_t i;
	int32_t id;

	if (!c->out_spec) {
		/* Convention: struct <method>_out, when the file has one. */
		snprintf(name, sizeof(name), "%s_out", c->method);
		id = find_struct(btf, name);
		if (!id)
			return 0;
		t->btf = btf;
		t->id = id;
		t->size = btf__resolve_size(btf, id);
		return 0;
	}
	if (!strncmp(c->out_spec, "struct ", 7)) {
		id = find_struct(btf, c->out_spec + 7);
		if (!id)
			return rerr(r, c->out_pos, "no %s in %s's BTF",
				    c->out_spec, c->obj->file->path);
		t->btf = btf;
		t->id = id;
		t->size = btf__resolve_size(btf, id);
		return 0;
	}
	if (isdigit(c->out_spec[0])) {
		t->size = strtoul(c->out_spec, NULL, 0);
		if (!t->size || t->size > 65536)
			return rerr(r, c->out_pos, "output size must be 1..65536 bytes");
		return 0;
	}
	snprintf(name, sizeof(name), "%s", c->out_spec);
	br = strchr(name, '[');
	if (br) {
		*br = '\0';
		count = strtoul(br + 1, NULL, 0);
		if (!count || count > 8192)
			return rerr(r, c->out_pos, "bad element count");
	}
	for (i = 0; i < sizeof(builtin_ints) / sizeof(builtin_ints[0]); i++) {
		if (strcmp(builtin_ints[i].name, name))
			continue;
		t->int_size = builtin_ints[i].size;
		t->int_signed = builtin_ints[i].is_signed;
		t->count = count;
		t->size = count * t->int_size;
		return 0;
	}
	return rerr(r, c->out_pos, "unknown output type '%s' (struct NAME, u8..u64, s8..s64, TYPE[N], or a size in bytes)",
		    c->out_spec);
}

/* The names of struct @id's members, ", "-separated, in @buf (@size >= 5). */
static void list_members(const struct btf *btf, int32_t id, char *buf,
			 size_t size)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *m = btf_members(t);
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < btf_vlen(t); i++) {
		n += snprintf(buf + n, size - n, "%s%s", i ? ", " : "",
			      bun_btf_name(btf, m[i].name_off));
		if (n >= size) {
			/* Cut short: say so rather than end mid-list. */
			snprintf(buf + size - 5, 5, " ...");
			return;
		}
	}
}

/* The member of struct @id the argument names, or -1 (and the error). */
static int find_member(struct resolver *r, const struct bun_call *c,
		       int32_t id, const struct bun_arg *a, const char *sname)
{
	const struct btf *btf = c->obj->file->btf;
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *m = btf_members(t);
	char list[1024];
	int j;

	for (j = 0; j < btf_vlen(t); j++)
		if (!strcmp(bun_btf_name(btf, m[j].name_off), a->name))
			return j;
	list_members(btf, id, list, sizeof(list));
	rerr(r, a->pos, "struct %s has no member '%s' (members: %s)", sname,
	     a->name, list);
	return -1;
}

/*
 * The bytes a call sends: the whole struct, or up to the end of what its
 * last member is given when that is written VALUE... or the member is a
 * flexible array (`__u8 data[]`, nothing given: up to where it starts).
 */
static int arg_size(struct resolver *r, const struct bun_call *c,
		    const struct btf_type *t, const struct bun_arg *end,
		    const char *sname, uint32_t *size)
{
	const struct btf *btf = c->obj->file->btf;
	int last = btf_vlen(t) - 1;
	const struct btf_member *m = btf_members(t);
	char perr_buf[256];
	uint64_t off;
	int64_t n;

	*size = t->size;
	if (last < 0 || (!end && !bun_is_flex_array(btf, m[last].type)))
		return 0;
	off = btf_member_bit_offset(t, last) / 8;
	n = end ? bun_value_bytes(btf, m[last].type, &end->val, perr_buf,
				  sizeof(perr_buf)) : 0;
	if (n < 0) {
		snprintf(r->err, r->err_size, "%s:%s (%s.%s)", r->s->path,
			 perr_buf, sname, end->name);
		return -EINVAL;
	}
	if (off + n > BUN_MAX_ARG)
		return rerr(r, end ? end->val.pos : c->pos,
			    "an argument of %llu bytes: a call takes at most %u",
			    (unsigned long long)(off + n), BUN_MAX_ARG);
	*size = off + n;
	return 0;
}

/* The call's argument bytes, packed as struct <method>_args. */
static int resolve_args(struct resolver *r, struct bun_call *c)
{
	struct bun_file *f = c->obj->file;
	const struct bun_arg *end = NULL;
	const struct btf_member *m;
	const struct btf_type *t;
	uint32_t alloc;
	char name[256];
	int32_t id;
	int i, j, ret;

	snprintf(name, sizeof(name), "%s_args", c->method);
	id = find_struct(f->btf, name);
	if (!id) {
		if (c->nr_args)
			return rerr(r, c->args[0].pos, "%s takes no arguments (no struct %s in %s's BTF; declare it with IPO_ARGS(%s))",
				    c->method, name, f->path, c->method);
		return 0;
	}
	t = btf__type_by_id(f->btf, id);
	m = btf_members(t);
	for (i = 0; i < c->nr_args; i++) {
		struct bun_arg *a = &c->args[i];

		for (j = 0; j < i; j++)
			if (!strcmp(c->args[j].name, a->name))
				return rerr(r, a->pos, "argument '%s' given twice",
					    a->name);
		j = find_member(r, c, id, a, name);
		if (j < 0)
			return -EINVAL;
		if (j == btf_vlen(t) - 1)
			end = a;
		else if (a->sized)
			return rerr(r, a->pos, "'...' ends the argument after the last member of struct %s, '%s'",
				    name, bun_btf_name(f->btf,
						       m[btf_vlen(t) - 1].name_off));
	}
	if (end && !end->sized && !bun_is_flex_array(f->btf, m[btf_vlen(t) - 1].type))
		end = NULL;
	ret = arg_size(r, c, t, end, name, &c->arg_size);
	if (ret)
		return ret;
	alloc = c->arg_size > t->size ? c->arg_size : t->size;
	c->arg = calloc(1, alloc ? alloc : 1);
	if (!c->arg)
		return -ENOMEM;
	for (i = 0; i < c->nr_args; i++) {
		struct bun_arg *a = &c->args[i];
		char perr_buf[256];
		uint32_t off;

		j = find_member(r, c, id, a, name);
		off = btf_member_bit_offset(t, j) / 8;
		if (off > alloc)
			return rerr(r, a->pos, "member '%s' lies outside struct %s (BTF)",
				    a->name, name);
		ret = bun_pack_member(f->btf, m[j].type, (char *)c->arg + off,
				      alloc - off, &a->val, perr_buf,
				      sizeof(perr_buf));
		if (ret) {
			snprintf(r->err, r->err_size, "%s:%s (%s.%s)",
				 r->s->path, perr_buf, name, a->name);
			return ret;
		}
	}
	return 0;
}

static int resolve_call(struct resolver *r, struct bun_call *c)
{
	struct bun_file *f = c->obj->file;
	char list[1024];
	int ret;

	c->method_idx = ipo_prog_obj__method_index(f->obj, c->method);
	if (c->method_idx < 0) {
		list_methods(f, list, sizeof(list));
		return rerr(r, c->pos, "%s has no method '%s' (methods: %s)",
			    f->path, c->method, list);
	}
	ret = resolve_args(r, c);
	if (ret)
		return ret;
	ret = resolve_out(r, c);
	if (ret)
		return ret;
	if (c->out_type.size) {
		c->out = calloc(1, c->out_type.size);
		if (!c->out)
			return -ENOMEM;
	}
	return 0;
}

int bun_resolve(struct bun_script *s, const char *const *dirs, char *err,
		size_t err_size)
{
	struct resolver r = {
		.s = s, .dirs = dirs, .err = err, .err_size = err_size,
	};
	struct bun_object *o;
	struct bun_stmt *st;
	struct bun_file *f;
	int i, ret;

	/* Files first: create() may take its size from them. */
	for (st = s->stmts; st; st = st->next) {
		if (st->kind != BUN_STMT_METHODS)
			continue;
		if (st->obj->file)
			return rerr(&r, st->pos, "methods of '%s' are already given",
				    st->obj->var);
		ret = open_file(&r, st);
		if (ret)
			return ret;
	}
	for (o = s->objects; o; o = o->next) {
		if (!o->create)
			continue;
		if (o->size_type) {
			int32_t id = 0;

			if (o->file)
				id = find_struct(o->file->btf, o->size_type);
			for (f = s->files; !id && f; f = f->next) {
				id = find_struct(f->btf, o->size_type);
				if (id)
					o->size = btf__resolve_size(f->btf, id);
			}
			if (id && !o->size)
				o->size = btf__resolve_size(o->file->btf, id);
			if (!id)
				return rerr(&r, o->size_pos, "no struct %s in the program files' BTF",
					    o->size_type);
		}
		if (!o->size) {
			if (!o->file || !o->file->obj_type)
				return rerr(&r, o->pos, "size of '%s' unknown: give size=, or methods from a file with IPO_OBJECT(type)",
					    o->var);
			o->size = btf__resolve_size(o->file->btf,
						    o->file->obj_type);
		}
	}
	/* Calls, in order: their object's methods must come first. */
	for (o = s->objects; o; o = o->next)
		o->fd = -2;	/* "methods not seen yet" while resolving */
	for (st = s->stmts; st; st = st->next) {
		if (st->kind == BUN_STMT_METHODS)
			st->obj->fd = -1;
		if (st->kind != BUN_STMT_BUNDLE)
			continue;
		for (i = 0; i < st->nr_calls; i++) {
			struct bun_call *c = &st->calls[i];

			if (c->obj->fd == -2) {
				ret = rerr(&r, c->pos, "'%s' has no methods yet: add `methods %s = \"FILE.o\"` before this call",
					   c->obj->var, c->obj->var);
				goto out;
			}
			ret = resolve_call(&r, c);
			if (ret)
				goto out;
		}
	}
	ret = 0;
out:
	for (o = s->objects; o; o = o->next)
		o->fd = -1;
	return ret;
}
