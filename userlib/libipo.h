/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * libipo: the userspace side of ipo (interprocess objects).
 *
 * Conventions (as libbpf): functions return 0 or a negative errno and also
 * set errno; functions returning a pointer return NULL and set errno.
 * Options structs start with `size_t sz` (use LIBIPO_OPTS()); fields a
 * caller does not know stay zero and keep the old behaviour, and non-zero
 * bytes beyond what this library knows are refused with -E2BIG.
 */
#ifndef LIBIPO_H
#define LIBIPO_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/ipo.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LIBIPO_API __attribute__((visibility("default")))

/* Declare and zero an options struct with its size filled in. */
#define LIBIPO_OPTS(TYPE, NAME, ...)					\
	struct TYPE NAME = ({						\
		memset(&NAME, 0, sizeof(struct TYPE));			\
		(struct TYPE){ .sz = sizeof(struct TYPE), __VA_ARGS__ };\
	})

/* An open /dev/ipo. */
struct ipo_dev;

/* Opens /dev/ipo (or $IPO_DEV when set). */
LIBIPO_API struct ipo_dev *ipo_dev_open(void);
LIBIPO_API void ipo_dev_close(struct ipo_dev *dev);
LIBIPO_API int ipo_dev_fd(const struct ipo_dev *dev);
LIBIPO_API int ipo_dev_info(struct ipo_dev *dev, struct ipo_info *info);

struct ipo_obj_opts {
	size_t sz;
	const char *name;	/* NULL or "" for an anonymous object */
	uint32_t mode;		/* 0: 0600 */
	uint32_t flags;		/* IPO_OBJ_* (IPO_OBJ_CLOEXEC is always added) */
};

/*
 * ipo_obj_create() - create an object of @data_size bytes.
 * Returns the object fd (the owner's handle) or a negative errno.
 * @obj_id, when not NULL, receives the object's id.
 */
LIBIPO_API int ipo_obj_create(struct ipo_dev *dev, uint64_t data_size,
			      const struct ipo_obj_opts *opts,
			      uint64_t *obj_id);

/* A read-only view of an object. */
struct ipo_view;

/* Maps the object behind @obj_fd read-only; NULL + errno on failure. */
LIBIPO_API struct ipo_view *ipo_view_map(int obj_fd);
LIBIPO_API void ipo_view_unmap(struct ipo_view *view);
LIBIPO_API const struct ipo_obj_header *ipo_view_header(const struct ipo_view *view);
LIBIPO_API const void *ipo_view_data(const struct ipo_view *view);
LIBIPO_API uint64_t ipo_view_size(const struct ipo_view *view);

/*
 * ipo_view_snapshot() - copy a consistent snapshot of the data.
 * Copies min(@len, data size) bytes starting at @off into @buf, retrying
 * while a change is committed concurrently (see the uapi header).
 * Returns the sequence number the copy corresponds to, or a negative errno.
 */
LIBIPO_API int64_t ipo_view_snapshot(const struct ipo_view *view,
				     uint64_t off, void *buf, size_t len);

/*
 * Logging.  libipo explains every failure through one print callback (as
 * libbpf does): the default prints warnings and info to stderr.  Passing
 * NULL silences the library.  Returns the previous callback.
 */
enum ipo_print_level {
	IPO_PRINT_WARN,
	IPO_PRINT_INFO,
	IPO_PRINT_DEBUG,
};

typedef int (*ipo_print_fn_t)(enum ipo_print_level level, const char *fmt,
			      va_list args);

LIBIPO_API ipo_print_fn_t ipo_set_print(ipo_print_fn_t fn);

/*
 * Program objects: the ELF files `clang -O2 -g -target bpf -c` writes.
 *
 * Only parsed: nothing here talks to the kernel.  Every function in a
 * section other than .text is a program; its section says its type:
 *
 *	SEC("method/<name>")	a METHOD named <name> (the function's name
 *	SEC("method")		when the section has no suffix)
 *	SEC("irq"), SEC("irq/<anything>")	an IRQ program
 *
 * Other executable sections give programs of type IPO_PROG_TYPE_UNSPEC.
 * Functions in .text are subprograms: each program's instructions come
 * with the subprograms it calls (transitively, each once) appended and
 * its call instructions pointed at them, so a program is self-contained
 * and ready for the verifier.  Relocations against anything but functions
 * (maps, global variables) are refused, and so are calls to functions the
 * file does not define.
 */
struct ipo_prog_obj;
struct ipo_program;
struct bpf_insn;	/* <linux/bpf.h>; struct ipo_insn has the same layout */
struct btf;		/* <bpf/btf.h> */

struct ipo_prog_obj_opts {
	size_t sz;
	/* Name for messages and ipo_prog_obj__name(); default: the path. */
	const char *object_name;
};

/* Source position of one instruction, from the ELF's BTF line info. */
struct ipo_prog_line {
	uint32_t insn_off;	/* first instruction (of the linked program) */
	uint32_t line;		/* 1-based */
	uint32_t col;		/* 1-based, 0 if unknown */
	const char *file;	/* as given to the compiler; may be NULL */
	const char *src;	/* the line's text; may be NULL */
};

/* Opens and links every program of an ELF file; NULL + errno on failure. */
LIBIPO_API struct ipo_prog_obj *
ipo_prog_obj_open(const char *path, const struct ipo_prog_obj_opts *opts);
/* The same from an ELF image in memory (copied; @buf may be freed after). */
LIBIPO_API struct ipo_prog_obj *
ipo_prog_obj_open_mem(const void *buf, size_t size,
		      const struct ipo_prog_obj_opts *opts);
LIBIPO_API void ipo_prog_obj__close(struct ipo_prog_obj *obj);

LIBIPO_API const char *ipo_prog_obj__name(const struct ipo_prog_obj *obj);
/* Contents of the "license" section, or NULL when there is none. */
LIBIPO_API const char *ipo_prog_obj__license(const struct ipo_prog_obj *obj);
/* The file's BTF (types, strings), or NULL when compiled without -g. */
LIBIPO_API const struct btf *ipo_prog_obj__btf(const struct ipo_prog_obj *obj);

/* Programs in file order: pass NULL for the first; NULL after the last. */
LIBIPO_API struct ipo_program *
ipo_prog_obj__next_program(const struct ipo_prog_obj *obj,
			   const struct ipo_program *prev);
/* By function name; NULL + ENOENT when there is no such program. */
LIBIPO_API struct ipo_program *
ipo_prog_obj__find_program(const struct ipo_prog_obj *obj, const char *name);

#define ipo_prog_obj__for_each_program(pos, obj)			\
	for ((pos) = ipo_prog_obj__next_program((obj), NULL); (pos);	\
	     (pos) = ipo_prog_obj__next_program((obj), (pos)))

/* The function's name. */
LIBIPO_API const char *ipo_program__name(const struct ipo_program *prog);
LIBIPO_API const char *ipo_program__section_name(const struct ipo_program *prog);
/* IPO_PROG_TYPE_* (uapi) */
LIBIPO_API uint32_t ipo_program__type(const struct ipo_program *prog);
/* A METHOD's name (see above); NULL for other program types. */
LIBIPO_API const char *ipo_program__method_name(const struct ipo_program *prog);
/* The linked instructions: the program, then the subprograms it calls. */
LIBIPO_API const struct bpf_insn *ipo_program__insns(const struct ipo_program *prog);
LIBIPO_API size_t ipo_program__insn_cnt(const struct ipo_program *prog);
/* Line info of the linked instructions, sorted by insn_off; NULL, 0 if none. */
LIBIPO_API const struct ipo_prog_line *
ipo_program__line_info(const struct ipo_program *prog, size_t *cnt);

#ifdef __cplusplus
}
#endif

#endif /* LIBIPO_H */
