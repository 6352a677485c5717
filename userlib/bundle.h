/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bundle scripts (`ipo run`, format in userlib/BUNDLE.md): parsed into
 * statements (bundle.c), resolved against the program files' BTF without
 * the kernel (bundle.c), run through libipo (cmd_run.c); values are
 * packed and printed by BTF type (btf_value.c).
 */
#ifndef IPO_BUNDLE_H
#define IPO_BUNDLE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "libipo.h"

struct btf;

struct bun_pos {
	int line;
	int col;
};

/* A program object file named by a `methods` statement. */
struct bun_file {
	char *path;		/* as found on disk */
	struct ipo_prog_obj *obj;
	const struct btf *btf;
	int32_t obj_type;	/* BTF id of the IPO_OBJECT() type, or 0 */
	struct bun_file *next;
};

/* A script variable: `object w = create(...)` or `= open(...)`. */
struct bun_object {
	char *var;
	struct bun_pos pos;
	bool create;
	char *name;		/* kernel name; NULL: anonymous */
	uint64_t size;		/* 0: the methods file's object type */
	char *size_type;	/* sizeof(struct size_type) */
	struct bun_pos size_pos;
	uint32_t mode;
	struct bun_file *file;	/* bound by `methods` */
	/* at run time */
	int fd;
	uint64_t obj_id;
	struct ipo_view *view;
	void *shown;		/* the state last printed */
	struct bun_object *next;
};

enum bun_val_kind {
	BUN_VAL_INT,
	BUN_VAL_STR,
	BUN_VAL_LIST,
	BUN_VAL_IDENT,		/* an enumerator of the file's BTF */
};

struct bun_value {
	enum bun_val_kind kind;
	struct bun_pos pos;
	uint64_t u;		/* INT: two's complement */
	bool neg;
	char *str;		/* STR (bytes), IDENT */
	size_t len;
	struct bun_value *items;	/* LIST */
	int nr_items;
};

struct bun_arg {
	char *name;
	struct bun_pos pos;
	struct bun_value val;
	bool sized;		/* written VALUE...: the argument ends after it */
};

/* The largest argument a call may be sized to (the module's max_buf_size). */
#define BUN_MAX_ARG	65536

/* Type of an output buffer: BTF, a builtin integer array, or bytes. */
struct bun_type {
	const struct btf *btf;	/* BTF type @id, or NULL */
	int32_t id;
	int int_size;		/* builtin: 1, 2, 4, 8; 0 for raw bytes */
	bool int_signed;
	uint32_t count;		/* builtin: elements */
	uint32_t size;		/* bytes */
};

struct bun_call {
	struct bun_object *obj;
	char *method;
	char *text;		/* the call as written, for the results */
	struct bun_pos pos;
	struct bun_arg *args;
	int nr_args;
	char *out_spec;		/* after "->", or NULL */
	struct bun_pos out_pos;
	/* resolved */
	int method_idx;
	void *arg;
	uint32_t arg_size;
	struct bun_type out_type;
	void *out;
};

enum bun_stmt_kind {
	BUN_STMT_OBJECT,
	BUN_STMT_METHODS,
	BUN_STMT_BUNDLE,
	BUN_STMT_PRINT,
	BUN_STMT_KEEP,
};

struct bun_stmt {
	enum bun_stmt_kind kind;
	struct bun_pos pos;
	struct bun_object *obj;	/* OBJECT, METHODS, PRINT */
	char *path;		/* METHODS: as written */
	struct bun_pos path_pos;
	/* BUNDLE */
	bool atomic;
	bool independent;	/* each call commits or rolls back alone */
	bool block;		/* written as `bundle { }` */
	uint64_t fuel;
	int expect;		/* errno the bundle should fail with, or 0 */
	struct bun_call *calls;
	int nr_calls;
	struct bun_stmt *next;
};

struct bun_script {
	char *path;
	char *dir;		/* the script's directory */
	struct bun_stmt *stmts;
	struct bun_object *objects;
	struct bun_file *files;
	int nr_stmts;
};

/* Parses @text (syntax only); NULL with "path:line:col: msg" in @err. */
struct bun_script *bun_parse(const char *path, const char *text,
			     char *err, size_t err_size);
struct bun_script *bun_parse_file(const char *path, char *err,
				  size_t err_size);
/*
 * Opens the program files (found next to the script, in the current
 * directory, then in @dirs, a NULL-terminated list) and resolves every
 * name and type by BTF; packs the call arguments.  No kernel involved.
 */
int bun_resolve(struct bun_script *s, const char *const *dirs, char *err,
		size_t err_size);
void bun_free(struct bun_script *s);
int bun_run(struct bun_script *s, FILE *out, bool hold);
/*
 * Prints "VAR = <state>  # seq N" from a snapshot of @o's view, by the
 * BTF type of @o->file if any; with @if_changed only "VAR unchanged" when
 * the state is what was printed last (cmd_run.c).
 */
void bun_print_state(FILE *out, struct bun_object *o, bool if_changed);
/* The BTF id of the type IPO_OBJECT() declares, or 0 (bundle.c). */
int32_t bun_object_type(const struct btf *btf);

/* btf_value.c */
const char *bun_btf_name(const struct btf *btf, uint32_t off);
/*
 * Packs @v into a member of type @type_id at @dst, where @room bytes are
 * there to write (a flexible array member takes as many as @v has).
 */
int bun_pack_member(const struct btf *btf, int32_t type_id, void *dst,
		    uint32_t room, const struct bun_value *v, char *err,
		    size_t err_size);
/*
 * The bytes @v fills in an array member of type @type_id (its string or
 * its list times the element size); -EINVAL with @err when the member is
 * no array of integers or @v neither a string nor a list.
 */
int64_t bun_value_bytes(const struct btf *btf, int32_t type_id,
			const struct bun_value *v, char *err, size_t err_size);
/* True when @type_id is an array of no elements (`__u8 data[]`). */
bool bun_is_flex_array(const struct btf *btf, int32_t type_id);
/*
 * Prints @data, btf__resolve_size(@type_id) bytes, by type; parts the BTF
 * places outside those bytes print as "?".
 */
void bun_print_value(FILE *f, const struct btf *btf, int32_t type_id,
		     const char *name, const void *data, int indent);
void bun_print_typed(FILE *f, const struct bun_type *t, const void *data,
		     int indent);
const char *bun_errno_name(int err);
int bun_errno_by_name(const char *name);

#endif /* IPO_BUNDLE_H */
