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
#include <stdbool.h>
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
	/*
	 * IPO_OBJ_* (IPO_OBJ_CLOEXEC is always added); IPO_OBJ_PERSIST keeps
	 * a named object alive with no fd open, until ipo_obj_remove().
	 */
	uint32_t flags;
};

/*
 * ipo_obj_create() - create an object of @data_size bytes.
 * Returns the object fd (the owner's handle) or a negative errno.
 * @obj_id, when not NULL, receives the object's id.
 */
LIBIPO_API int ipo_obj_create(struct ipo_dev *dev, uint64_t data_size,
			      const struct ipo_obj_opts *opts,
			      uint64_t *obj_id);

/*
 * ipo_obj_remove() - OBJ_REMOVE: end the persistence of the named object
 * (owner or CAP_SYS_ADMIN only); it goes with its last handle, at once
 * when none is open.  0, or -ENOENT, -EPERM, -EINVAL (not persistent).
 */
LIBIPO_API int ipo_obj_remove(struct ipo_dev *dev, const char *name);

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
/*
 * Did the source ask for strict verification (IPO_STRICT(fn), progs/ipo.h)?
 * ipo_program_load() then adds IPO_PROG_STRICT: the load fails unless
 * every access is proven in bounds and every loop proven to end.
 */
LIBIPO_API bool ipo_program__strict(const struct ipo_program *prog);
/* Line info of the linked instructions, sorted by insn_off; NULL, 0 if none. */
LIBIPO_API const struct ipo_prog_line *
ipo_program__line_info(const struct ipo_program *prog, size_t *cnt);
/*
 * The line record that covers instruction @pc (the last one at or before
 * it); NULL + ENOENT when there is none (no line info, or @pc past the
 * end).  ipo_program__where() writes "insn 17, bank.c:42: <the line>"
 * (file name without its directory), or "insn 17" without line info,
 * into @buf, as snprintf() does (returns the length it needed); for
 * messages about a run that aborted at @pc (ipo_bundle_call_abort_pc(),
 * ipo_test_run_opts.abort_pc), whose pc counts in the linked program.
 */
LIBIPO_API const struct ipo_prog_line *
ipo_program__find_line(const struct ipo_program *prog, uint32_t pc);
LIBIPO_API int ipo_program__where(const struct ipo_program *prog, uint32_t pc,
				  char *buf, size_t size);

/*
 * Programs in the kernel.  ipo_program_load() verifies @prog (from a
 * program object, above) in the kernel with PROG_LOAD and returns its fd,
 * or a negative errno.  The program's BTF line info travels with it, so a
 * rejection names the C line in the log.
 */
struct ipo_load_opts {
	size_t sz;
	const char *name;	/* default: the program's function name */
	/*
	 * IPO_PROG_* (IPO_PROG_CLOEXEC always added, and IPO_PROG_STRICT for
	 * a program the source marked with IPO_STRICT())
	 */
	uint32_t flags;
	uint32_t log_level;	/* 0..IPO_LOG_LEVEL_MAX */
	char *log_buf;		/* the verifier's log, or NULL */
	uint32_t log_size;	/* 0, or 128 bytes .. 16 MiB */
	bool no_line_info;	/* do not pass the line info */
	/* out: */
	uint32_t log_len;	/* bytes in @log_buf (also on rejection) */
	uint32_t out_flags;	/* IPO_PROG_LOG_TRUNCATED, IPO_PROG_JITED */
	uint64_t prog_id;
	/* Which engine it got: IPO_JIT_OK, or why the interpreter (IPO_JIT_*) */
	uint32_t jit_reason;
	uint32_t jit_size;	/* bytes of native code, 0 on the interpreter */
};

/* "jit", or why a program runs on the interpreter, for IPO_JIT_* */
LIBIPO_API const char *ipo_jit_reason_str(uint32_t jit_reason);

LIBIPO_API int ipo_program_load(struct ipo_dev *dev,
				const struct ipo_program *prog,
				struct ipo_load_opts *opts);

/*
 * Method tables.  ipo_obj_set_methods() makes @prog_fds[i] method i of the
 * object (ADMIN right); the table holds the programs, so the fds may be
 * closed afterwards.  ipo_obj_attach_prog_obj() loads every METHOD
 * program of @obj in file order and attaches them as methods 0, 1, ...:
 * it returns the number of methods or a negative errno (@opts, if given,
 * applies to every program and reports the failing one's log).  Callers
 * find a method's index by name with ipo_method_index() (below), from the
 * kernel's table, or with ipo_prog_obj__method_index(), which needs no
 * kernel but the same file.
 */
LIBIPO_API int ipo_obj_set_methods(struct ipo_dev *dev, int obj_fd,
				   const int *prog_fds, size_t nr_methods);
LIBIPO_API int ipo_obj_attach_prog_obj(struct ipo_dev *dev, int obj_fd,
				       const struct ipo_prog_obj *obj,
				       struct ipo_load_opts *opts);
/* Index of METHOD @method among @obj's methods, or -ENOENT. */
LIBIPO_API int ipo_prog_obj__method_index(const struct ipo_prog_obj *obj,
					  const char *method);

/*
 * Method tables from the kernel, without the program file.
 * ipo_obj_attach_prog_obj() describes each method it attaches (its name
 * and, from the file's BTF, its struct M_args and struct M_out: sizes and
 * type ids); ipo_obj_set_methods_desc() takes such descriptions from the
 * caller (@descs may be NULL: then a method is known by its program's
 * name).  Any holder of a handle of the object then reads the table:
 * ipo_obj_methods() writes up to @max entries (index order) and returns
 * how many methods the table has; ipo_method_index() returns the index
 * of the method called @name, or -ENOENT.  These need no ELF loader: a
 * client calling methods links libipo alone (`pkg-config --static
 * --libs libipo`: no libbpf, libelf or zlib).
 */
LIBIPO_API int ipo_obj_set_methods_desc(struct ipo_dev *dev, int obj_fd,
					const int *prog_fds,
					const struct ipo_method_desc *descs,
					size_t nr_methods);
LIBIPO_API int ipo_obj_methods(struct ipo_dev *dev, int obj_fd,
			       struct ipo_method_info *infos, uint32_t max);
LIBIPO_API int ipo_method_index(struct ipo_dev *dev, int obj_fd,
				const char *name);

/*
 * Handles.  ipo_obj_open() opens a named object asking for @rights
 * (IPO_RIGHT_*); ipo_handle_derive() makes a handle with a subset of
 * @obj_fd's rights and methods (bit i: method i).  Both return the new
 * fd or a negative errno and report the handle's id for
 * ipo_handle_revoke() (@flags: IPO_REVOKE_ALL, then @handle_id is 0).
 */
struct ipo_handle_opts {
	size_t sz;
	uint32_t flags;		/* IPO_HANDLE_* (IPO_HANDLE_CLOEXEC always) */
};

LIBIPO_API int ipo_obj_open(struct ipo_dev *dev, const char *name,
			    uint32_t rights, const struct ipo_handle_opts *opts,
			    uint64_t *obj_id, uint32_t *handle_id);
LIBIPO_API int ipo_handle_derive(struct ipo_dev *dev, int obj_fd,
				 uint32_t rights, uint64_t methods,
				 const struct ipo_handle_opts *opts,
				 uint32_t *handle_id);
LIBIPO_API int ipo_handle_revoke(struct ipo_dev *dev, int obj_fd,
				 uint32_t handle_id, uint32_t flags);

/*
 * ipo_prog_test_run() - PROG_TEST_RUN: run a METHOD program once (or
 * @repeat times) on private copies of the buffers; the outputs are written
 * back into @opts.  An abort is a result (@abort), not an error.
 */
struct ipo_test_run_opts {
	size_t sz;
	uint32_t flags;		/* IPO_TEST_RUN_* */
	uint32_t repeat;
	void *obj;		/* copied in, and back out after the runs */
	uint32_t obj_size;
	const void *arg;
	uint32_t arg_size;
	void *out;
	uint32_t out_size;
	uint64_t fuel;		/* 0: the module's default */
	/* out: */
	uint64_t retval;
	uint32_t abort;		/* IPO_RESULT_* */
	uint32_t abort_pc;
	uint64_t duration_ns;
	uint32_t jited;
};

LIBIPO_API int ipo_prog_test_run(struct ipo_dev *dev, int prog_fd,
				 struct ipo_test_run_opts *opts);

/*
 * Bundles: calls collected in userspace and run by one INVOKE.
 *
 *	b = ipo_bundle_new(dev);
 *	ipo_bundle_add_call(b, fd, set_rgb, &args, sizeof(args), NULL, 0);
 *	ipo_bundle_add_call(b, fd, get, &get_args, sizeof(get_args),
 *			    &button, sizeof(button));
 *	err = ipo_bundle_submit(b, IPO_INVOKE_ATOMIC, 0);
 *
 * @flags of submit: 0 stops at the first failing call (the calls before
 * it committed, it is undone, the rest do not run); IPO_INVOKE_ATOMIC
 * commits all or none; IPO_INVOKE_INDEPENDENT runs every call, each
 * committed or undone on its own (userlib/BUNDLE.md compares the three).
 *
 * Argument and output buffers are the caller's and must stay valid until
 * ipo_bundle_submit() returns; outputs of committed calls are written
 * there.  add_call returns the call's index.  submit returns 0 when every
 * call committed, else the first failing call's status (-errno) or the
 * bundle's own error; ipo_bundle_call_result() then tells each call's
 * outcome (-ENODATA when the bundle failed before any call ran).  A
 * bundle can be submitted again as it is, or emptied with
 * ipo_bundle_reset() and refilled.
 *
 * Reuse without keeping buffers alive: ipo_bundle_set_arg() copies a
 * call's new argument into the bundle (the caller's bytes may go right
 * after), and a call added with a NULL @out and a non-zero @out_size
 * writes into a zeroed buffer the bundle keeps, which ipo_bundle_out()
 * returns.  A loop of requests is then: set_arg() on each call, submit,
 * read ipo_bundle_out():
 *
 *	for (i = 0; i < 16; i++)
 *		ipo_bundle_add_call(b, fd, take, &a, sizeof(a), NULL,
 *				    sizeof(struct take_out));
 *	for (;;) {
 *		for (i = 0; i < 16; i++) {
 *			struct take_args a = { .bucket = next(), .n = 1 };
 *
 *			ipo_bundle_set_arg(b, i, &a, sizeof(a));
 *		}
 *		err = ipo_bundle_submit(b, 0, 0);
 *		... ((struct take_out *)ipo_bundle_out(b, i))->granted ...
 *	}
 *
 * set_arg: 0, -EINVAL (no call @idx; @arg NULL with a size), -ENOMEM.
 * ipo_bundle_out: NULL and EINVAL when call @idx has no output the bundle
 * keeps.  Both copies live until the bundle is reset or freed.
 */
struct ipo_bundle;

struct ipo_call_result {
	int32_t status;		/* 0 committed, else -errno (see ipo_call) */
	uint32_t abort;		/* IPO_RESULT_* */
	int64_t ret;		/* the method's r0 */
};

LIBIPO_API struct ipo_bundle *ipo_bundle_new(struct ipo_dev *dev);
LIBIPO_API void ipo_bundle_free(struct ipo_bundle *b);
LIBIPO_API void ipo_bundle_reset(struct ipo_bundle *b);
LIBIPO_API int ipo_bundle_add_call(struct ipo_bundle *b, int obj_fd,
				   uint32_t method, const void *arg,
				   size_t arg_size, void *out,
				   size_t out_size);
LIBIPO_API int ipo_bundle_submit(struct ipo_bundle *b, uint32_t flags,
				 uint64_t fuel);
LIBIPO_API size_t ipo_bundle_nr_calls(const struct ipo_bundle *b);
/* Calls that committed in the last submit. */
LIBIPO_API uint32_t ipo_bundle_nr_done(const struct ipo_bundle *b);
LIBIPO_API int ipo_bundle_call_result(const struct ipo_bundle *b, size_t idx,
				      struct ipo_call_result *res);
LIBIPO_API int ipo_bundle_set_arg(struct ipo_bundle *b, size_t idx,
				  const void *arg, size_t arg_size);
LIBIPO_API void *ipo_bundle_out(const struct ipo_bundle *b, size_t idx);
/*
 * Where call @idx's run aborted (res.abort != IPO_RESULT_OK): *@pc is the
 * index of the instruction in the method's program (map it to C with
 * ipo_program__where()).  -ENOENT when the call did not abort, -ENODATA
 * when its result was not reported, -EOPNOTSUPP when the module is too
 * old to say (no IPO_FEATURE_ABORT_PC).
 */
LIBIPO_API int ipo_bundle_call_abort_pc(const struct ipo_bundle *b, size_t idx,
					uint32_t *pc);

/*
 * ipo_dev_list() - objects (IPO_LIST_OBJS, entries are struct
 * ipo_obj_entry) or programs (IPO_LIST_PROGS, struct ipo_prog_entry) the
 * caller may see, by ascending id from *@next_id, at most @max of them.
 * Returns how many were written and sets *@next_id to where the next call
 * starts (0 when the list is done), or a negative errno.
 */
LIBIPO_API int ipo_dev_list(struct ipo_dev *dev, uint32_t kind,
			    void *entries, uint32_t max, uint64_t *next_id);

/*
 * ipo_obj_list_handles() - IPO_LIST_HANDLES: the revocable handles of the
 * object behind @obj_fd (an ADMIN handle), with their parents, by
 * ascending id from *@next_id, at most @max of them.  Returns as
 * ipo_dev_list() does.
 */
LIBIPO_API int ipo_obj_list_handles(struct ipo_dev *dev, int obj_fd,
				    struct ipo_handle_entry *entries,
				    uint32_t max, uint64_t *next_id);

/*
 * Change notifications (<linux/ipo.h>, "Change notifications").
 *
 * ipo_subscribe() - IPO_SUBSCRIBE: a pollable fd that read()s struct
 * ipo_event records whenever a committed bundle reports events in @mask
 * on the object behind @obj_fd (a handle with IPO_RIGHT_NOTIFY).  Returns
 * the fd or a negative errno (-EPERM without the right).
 */
struct ipo_subscribe_opts {
	size_t sz;
	uint32_t queue_len;	/* records kept before coalescing; 0: 16 */
	uint32_t signo;		/* 0, or a signal raised per record */
	uint32_t flags;		/* IPO_SUB_* (IPO_SUB_CLOEXEC always added) */
};

LIBIPO_API int ipo_subscribe(struct ipo_dev *dev, int obj_fd, uint64_t mask,
			     const struct ipo_subscribe_opts *opts);

/*
 * Handlers.  An ipo_events set runs callbacks when objects change:
 *
 *	ev = ipo_events_new(dev);
 *	id = ipo_on_change(ev, obj_fd, WIDGETS_EV_COLOUR, redraw, view);
 *	for (;;)
 *		ipo_dispatch(ev, -1);		// or ipo_events_start_thread()
 *
 * ipo_on_change() subscribes @obj_fd for @mask (one subscription per
 * handler, queue IPO_EVENTS_QUEUE_LEN) and returns the handler's id (> 0)
 * for ipo_off_change(), or a negative errno.
 *
 * The callback gets one record per committed bundle that reported events
 * in @mask (@event->mask: those events; @event->seq: the object's change
 * counter after it).  The record says what changed, not the new state: to
 * read it, the callback takes ipo_view_snapshot() of a view the caller
 * mapped (ipo_view_map()), which is consistent and at least as new as
 * @event->seq.  When @event->flags has IPO_EVENT_OVERFLOW the handler fell
 * behind and events were merged into this record: it must resync from a
 * snapshot rather than apply the mask as a delta.  A revoked handle ends
 * delivery (the handler stays registered until ipo_off_change()).
 *
 * ipo_events_fd() is one epoll fd with every subscription of the set:
 * add it to the caller's own poll/epoll loop and call ipo_dispatch(ev, 0)
 * when it is readable.  ipo_dispatch() waits up to @timeout_ms (-1:
 * forever, 0: not at all) and runs the due callbacks; it returns how many
 * it ran (0 on timeout) or a negative errno (-EINTR on a signal).
 *
 * Threads: all functions may be called from any thread, and callbacks may
 * call ipo_on_change()/ipo_off_change().  Callbacks run in the dispatching
 * thread, one at a time; only one ipo_dispatch() runs at once (others get
 * -EBUSY), and none while the set's own thread runs
 * (ipo_events_start_thread(); ipo_events_stop_thread() waits for it and
 * must not be called from a callback: -EDEADLK).  Once ipo_off_change()
 * returns no new call of that handler starts; one already running in
 * another thread finishes first (the handler is freed after it).
 * ipo_events_free() stops the thread, ends every subscription and must
 * not race with other calls on the set.
 */
struct ipo_events;

#define IPO_EVENTS_QUEUE_LEN	64

typedef void (*ipo_change_fn)(const struct ipo_event *event, void *ctx);

LIBIPO_API struct ipo_events *ipo_events_new(struct ipo_dev *dev);
LIBIPO_API void ipo_events_free(struct ipo_events *ev);
LIBIPO_API int ipo_on_change(struct ipo_events *ev, int obj_fd, uint64_t mask,
			     ipo_change_fn cb, void *ctx);
LIBIPO_API int ipo_off_change(struct ipo_events *ev, int id);
LIBIPO_API int ipo_events_fd(const struct ipo_events *ev);
LIBIPO_API int ipo_dispatch(struct ipo_events *ev, int timeout_ms);
LIBIPO_API int ipo_events_start_thread(struct ipo_events *ev);
LIBIPO_API int ipo_events_stop_thread(struct ipo_events *ev);

/*
 * The IRQ hook (see "IRQ hook" in <linux/ipo.h>; needs root, i.e. write
 * access to sysfs and CAP_SYS_RAWIO).
 *
 * ipo_irq_bind() hands PCI device @device ("0000:00:04.0") to the
 * ipo-irq driver (driver_override, unbinding it from its driver first);
 * ipo_irq_unbind() gives it back (clears the override).
 *
 * ipo_irq_attach() hooks IRQ program @prog_fd on @device's INTx line with
 * the register window @opts describes, and with the object @opts->obj_fd
 * when @opts->has_obj (a handle with ADMIN).  It returns the attachment
 * fd, or a negative errno with the kernel's reason in @opts->log_buf;
 * closing the fd detaches, as does ipo_irq_detach() (the fd then stays
 * usable for ipo_irq_stat()).
 */
struct ipo_irq_opts {
	size_t sz;
	uint32_t flags;		/* IPO_IRQ_CLOEXEC (always added) */
	uint32_t bar;		/* BAR of the window */
	uint64_t win_off;	/* window offset in the BAR */
	uint64_t win_len;	/* window length (required) */
	uint32_t widths;	/* IPO_IRQ_W*; 0: IPO_IRQ_W32 */
	bool has_obj;		/* @obj_fd names the hook's object */
	int obj_fd;
	char *log_buf;		/* the reason of a refusal, or NULL */
	uint32_t log_size;
	/* out: */
	uint32_t attach_id;
};

LIBIPO_API int ipo_irq_bind(const char *device);
LIBIPO_API int ipo_irq_unbind(const char *device);
LIBIPO_API int ipo_irq_attach(struct ipo_dev *dev, const char *device,
			      int prog_fd, struct ipo_irq_opts *opts);
LIBIPO_API int ipo_irq_detach(struct ipo_dev *dev, int attach_fd);
LIBIPO_API int ipo_irq_stat(struct ipo_dev *dev, int attach_fd,
			    struct ipo_irq_stat *stat);

#ifdef __cplusplus
}
#endif

#endif /* LIBIPO_H */
