/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ipo: interprocess objects.  The only contract between the ipo module and
 * userspace.
 */
#ifndef _UAPI_LINUX_IPO_H
#define _UAPI_LINUX_IPO_H

#include <linux/types.h>
#include <linux/ioctl.h>

/**
 * DOC: General ioctl format
 *
 * Every command is an ioctl on /dev/ipo (or on an object fd, where the
 * command says so) encoded with _IO(IPO_TYPE, IPO_CMD_*): the argument is a
 * pointer to a struct whose first field, @size, is the caller's
 * sizeof(struct).  Structs only ever grow at the end; a new field left zero
 * keeps the old behaviour.  The kernel reads the struct with
 * copy_struct_from_user() semantics:
 *
 * - @size smaller than the struct's first published size: EINVAL.
 * - @size larger than the kernel knows: the extra bytes must be zero, else
 *   E2BIG; when they are zero the call behaves as with the exact size.
 *
 * Output fields are written back only up to min(@size, kernel size), so an
 * old binary never sees its stack overwritten.  Pointers travel as
 * __aligned_u64.  Fields named __reserved* must be zero (EINVAL otherwise);
 * unknown flag bits are EINVAL, never ignored.
 *
 * errno values shared by all commands:
 *
 * - EFAULT: the struct or a buffer it points to is not accessible.
 * - EINVAL: @size too small, an unknown flag, a non-zero reserved field,
 *   or a field outside its documented range.
 * - E2BIG: @size larger than the kernel's struct with non-zero tail bytes.
 * - ENOTTY: unknown command, or a command sent to the wrong kind of fd.
 * - ENOMEM: the kernel could not allocate (or the memory cgroup refused).
 *
 * Per-command errno values are listed with each struct.
 */

#define IPO_TYPE		0xb9
#define IPO_ABI_VERSION		1

/* Longest object name, including the terminating NUL. */
#define IPO_NAME_MAX		64

enum {
	IPO_CMD_BASE = 0x80,
	IPO_CMD_GET_INFO = IPO_CMD_BASE,
	IPO_CMD_OBJ_CREATE,
	IPO_CMD_PROG_LOAD,
	IPO_CMD_PROG_TEST_RUN,
	IPO_CMD_OBJ_SET_METHODS,
	IPO_CMD_INVOKE,
	IPO_CMD_HANDLE_DERIVE,
	IPO_CMD_HANDLE_REVOKE,
	IPO_CMD_OBJ_OPEN,
	IPO_CMD_LIST,
	IPO_CMD_SUBSCRIBE,
	IPO_CMD_IRQ_ATTACH,
	IPO_CMD_IRQ_DETACH,
	IPO_CMD_IRQ_STAT,
	IPO_CMD_OBJ_REMOVE,
	IPO_CMD_OBJ_METHODS,
};

/* Bits of ipo_info.features: what this module implements. */
#define IPO_FEATURE_OBJECTS	(1ULL << 0)	/* OBJ_CREATE, mmap */
#define IPO_FEATURE_PROGS	(1ULL << 1)	/* PROG_LOAD, the verifier */
#define IPO_FEATURE_JIT		(1ULL << 2)	/* programs are JIT-compiled */
#define IPO_FEATURE_TEST_RUN	(1ULL << 3)	/* PROG_TEST_RUN */
#define IPO_FEATURE_METHODS	(1ULL << 4)	/* OBJ_SET_METHODS, INVOKE */
#define IPO_FEATURE_HANDLES	(1ULL << 5)	/* DERIVE, REVOKE, OBJ_OPEN */
#define IPO_FEATURE_LIST	(1ULL << 6)	/* IPO_LIST */
#define IPO_FEATURE_NOTIFY	(1ULL << 7)	/* notify helper, SUBSCRIBE */
#define IPO_FEATURE_IRQ		(1ULL << 8)	/* IRQ_ATTACH, ipo-irq driver */
/* Revocation takes derived handles and mappings; IPO_LIST_HANDLES. */
#define IPO_FEATURE_HANDLE_TREE	(1ULL << 9)
/* IPO_OBJ_PERSIST and OBJ_REMOVE; IPO_LIST_OBJS lists every method. */
#define IPO_FEATURE_PERSIST	(1ULL << 10)
/* OBJ_METHODS; OBJ_SET_METHODS takes method descriptions. */
#define IPO_FEATURE_METHOD_INFO	(1ULL << 11)
/* IPO_INVOKE_INDEPENDENT. */
#define IPO_FEATURE_INDEPENDENT	(1ULL << 12)
/* INVOKE reports ipo_call.abort_pc; PROG_LOAD takes IPO_PROG_STRICT. */
#define IPO_FEATURE_ABORT_PC	(1ULL << 13)

/**
 * struct ipo_info - IPO_GET_INFO: ABI version, features and limits
 * @size: sizeof(struct ipo_info)
 * @flags: must be 0
 * @abi_version: out: IPO_ABI_VERSION of the running module
 * @__reserved: must be 0
 * @features: out: IPO_FEATURE_* bits
 * @max_obj_size: out: largest data size OBJ_CREATE accepts (bytes): the
 *	module parameter of that name, capped at 1 GiB
 * @max_objs_per_user: out: live objects one user may own
 * @nr_objs: out: live objects of the calling user
 * @header_size: out: offset of the data in an object's mapping
 * @max_prog_insns: out: most instructions PROG_LOAD accepts
 * @max_progs_per_user: out: live programs one user may own
 * @nr_progs: out: live programs of the calling user
 * @__reserved3: must be 0
 * @jit_pool_size: out: bytes of executable memory for JIT code
 * @jit_pool_used: out: bytes of it in use (freed code counts until it has
 *	been re-poisoned after an RCU grace period)
 * @max_bundle_calls: out: most calls in one INVOKE
 * @max_buf_size: out: largest argument or output buffer of one call
 * @max_bundle_bytes: out: most argument plus output bytes in one INVOKE
 * @max_methods: out: most methods in an object's table
 * @jit_user_share: out: bytes of the JIT pool one user's programs may
 *	hold (the jit_user_share parameter, at most the pool)
 * @jit_user_used: out: bytes of it the calling user's programs hold
 *	(returned with the space, after the grace period)
 *
 * Issued on /dev/ipo.  Lets userspace learn what the module offers without
 * probing by trial.  No errno beyond the shared ones.
 */
struct ipo_info {
	__u32 size;
	__u32 flags;
	__u32 abi_version;
	__u32 __reserved;
	__aligned_u64 features;
	__aligned_u64 max_obj_size;
	__u32 max_objs_per_user;
	__u32 nr_objs;
	__u32 header_size;
	__u32 __reserved2;
	__u32 max_prog_insns;
	__u32 max_progs_per_user;
	__u32 nr_progs;
	__u32 __reserved3;
	__aligned_u64 jit_pool_size;
	__aligned_u64 jit_pool_used;
	__u32 max_bundle_calls;
	__u32 max_buf_size;
	__u32 max_bundle_bytes;
	__u32 max_methods;
	__aligned_u64 jit_user_share;
	__aligned_u64 jit_user_used;
};
#define IPO_GET_INFO		_IO(IPO_TYPE, IPO_CMD_GET_INFO)

/* Flags of ipo_obj_create.flags. */
#define IPO_OBJ_CLOEXEC		(1U << 0)	/* the new fd is O_CLOEXEC */
#define IPO_OBJ_PERSIST		(1U << 1)	/* lives on with no fd open */
#define IPO_OBJ_CREATE_FLAGS	(IPO_OBJ_CLOEXEC | IPO_OBJ_PERSIST)

/**
 * struct ipo_obj_create - IPO_OBJ_CREATE: make a new object
 * @size: sizeof(struct ipo_obj_create)
 * @flags: IPO_OBJ_* flags
 * @data_size: bytes of object data, 1..max_obj_size (see GET_INFO)
 * @mode: permission bits (0777 mask) for opening the object by name;
 *	0 means 0600
 * @out_fd: out: the new object fd (the owner's handle, all rights)
 * @obj_id: out: the object's id, unique while the module is loaded
 * @name: NUL-terminated name of 1..IPO_NAME_MAX-1 characters from
 *	[A-Za-z0-9_.-], not starting with '.'; or empty for an anonymous
 *	object.  Names are unique among live objects.
 *
 * Issued on /dev/ipo.  The data starts zeroed.  The object's memory is
 * charged to the caller's memory cgroup and counts against the caller's
 * max_objs_per_user.  The object lives until its last fd is closed.
 *
 * With IPO_OBJ_PERSIST (named objects only) it lives on with no fd open,
 * a "service without a server process": still charged to its creator's
 * memory cgroup and counted in its max_objs_per_user, opened by name
 * with OBJ_OPEN as before (same checks, revocation as before), until
 * OBJ_REMOVE (see there).  When the module is unloaded (which needs every
 * fd closed), the persistent objects left are freed with a line each in
 * the kernel log.
 *
 * errno: EINVAL for a data_size of 0, a bad mode, a malformed name or
 * IPO_OBJ_PERSIST without a name;
 * ENAMETOOLONG when @name has no NUL within IPO_NAME_MAX bytes; EFBIG when
 * @data_size exceeds max_obj_size; EMFILE when the caller has
 * max_objs_per_user live objects; EEXIST when the name is taken; and
 * whatever getting a new fd can return (EMFILE, ENFILE).
 */
struct ipo_obj_create {
	__u32 size;
	__u32 flags;
	__aligned_u64 data_size;
	__u32 mode;
	__s32 out_fd;
	__aligned_u64 obj_id;
	char name[IPO_NAME_MAX];
};
#define IPO_OBJ_CREATE		_IO(IPO_TYPE, IPO_CMD_OBJ_CREATE)

/**
 * struct ipo_obj_remove - IPO_OBJ_REMOVE: end a persistent object's
 *	persistence
 * @size: sizeof(struct ipo_obj_remove)
 * @flags: must be 0
 * @name: the object's name
 *
 * Issued on /dev/ipo.  The object becomes an ordinary one: it is freed
 * (and its name released) at once when no handle, mapping or
 * subscription holds it, else when the last of them goes.  Only its owner
 * (the euid that created it) or a caller with CAP_SYS_ADMIN may remove it
 * -- the same callers that may open it with IPO_RIGHT_ADMIN.
 *
 * errno: ENOENT when no live object has the name; EPERM when the caller
 * is neither owner nor CAP_SYS_ADMIN; EINVAL for an object that is not
 * persistent (or no longer: removed twice), or a malformed name.
 */
struct ipo_obj_remove {
	__u32 size;
	__u32 flags;
	char name[IPO_NAME_MAX];
};
#define IPO_OBJ_REMOVE		_IO(IPO_TYPE, IPO_CMD_OBJ_REMOVE)

/**
 * DOC: The object mapping
 *
 * mmap() of an object fd with offset 0 maps, read-only and shared, a
 * struct ipo_obj_header followed at @header_size (see GET_INFO; the same as
 * ipo_obj_header.data_off) by the object's data.  The mapping may be
 * shorter than the whole object but not longer (EINVAL); PROT_WRITE or a
 * later mprotect() to writable is refused (EACCES), and so are private
 * copy-on-write mappings asking for write access.  The mapping keeps the
 * object alive after its fd is closed.  An object fd has no read() or
 * write() (EINVAL); its state is read through the mapping.
 *
 * @seq counts committed changes, seqlock style: it is odd while a change is
 * being applied and even otherwise.  A consistent snapshot is read with:
 *
 *	do {
 *		s = __atomic_load_n(&hdr->seq, __ATOMIC_ACQUIRE);
 *		if (s & 1)
 *			continue;	(a writer is busy; try again)
 *		memcpy(copy, data, len);
 *		__atomic_thread_fence(__ATOMIC_ACQUIRE);
 *	} while (__atomic_load_n(&hdr->seq, __ATOMIC_RELAXED) != s);
 */

/**
 * struct ipo_obj_header - first bytes of an object's mapping (read only)
 * @seq: change counter, odd while a change is in progress
 * @version: layout version of this header (1)
 * @obj_id: the object's id
 * @data_size: bytes of data
 * @data_off: offset of the data from the start of the mapping
 * @__reserved: zero
 */
struct ipo_obj_header {
	__u32 seq;
	__u32 version;
	__aligned_u64 obj_id;
	__aligned_u64 data_size;
	__u32 data_off;
	__u32 __reserved[9];
};

/**
 * DOC: Programs
 *
 * Programs are eBPF (RFC 9669) as emitted by ``clang -target bpf``.  Their
 * type fixes what r1 points to at entry and which helpers they may call.
 *
 * - IPO_PROG_TYPE_METHOD: r1 = struct ipo_method_ctx (read only).  The
 *   object data is read/write, the argument buffer read only, the output
 *   buffer read/write; no pointer may be stored into any of them.
 * - IPO_PROG_TYPE_IRQ: r1 = struct ipo_irq_ctx (read only).  The object
 *   (if one is attached) is read/write; the device's registers are reached
 *   only through the mmio helpers, inside the window IRQ_ATTACH granted.
 *   The program returns IPO_IRQ_HANDLED or IPO_IRQ_NONE (see "IRQ hook").
 *
 * Helpers are called by the numbers below; each program type allows a
 * subset.
 */
enum {	/* ipo program types */
	IPO_PROG_TYPE_UNSPEC = 0,
	IPO_PROG_TYPE_METHOD = 1,
	IPO_PROG_TYPE_IRQ = 2,
};

enum {	/* ipo helper ids */
	IPO_FN_unspec = 0,
	IPO_FN_notify = 1,	/* (u64 mask): report events at commit */
	IPO_FN_ktime_ns = 2,	/* (): CLOCK_MONOTONIC in ns */
	IPO_FN_trace = 3,	/* (const void *buf, u32 len): debug print */
	/*
	 * IRQ programs: one helper per width and direction.  @off is a byte
	 * offset into the granted register window; it must be a multiple of
	 * the width.  A constant @off is checked by the verifier (alignment)
	 * and by IRQ_ATTACH (inside the window); every access is checked
	 * again at run time, and one outside the window, misaligned or of a
	 * width the window does not allow aborts the run (a fault, see "IRQ
	 * hook").  On an I/O-port BAR the same helpers do port I/O (8, 16
	 * and 32 bits only).
	 */
	IPO_FN_mmio_read8 = 4,	/* (u32 off) -> u8 */
	IPO_FN_mmio_read16 = 5,	/* (u32 off) -> u16 */
	IPO_FN_mmio_read32 = 6,	/* (u32 off) -> u32 */
	IPO_FN_mmio_read64 = 7,	/* (u32 off) -> u64 */
	IPO_FN_mmio_write8 = 8,	/* (u32 off, u8 val) -> 0 */
	IPO_FN_mmio_write16 = 9,	/* (u32 off, u16 val) -> 0 */
	IPO_FN_mmio_write32 = 10,	/* (u32 off, u32 val) -> 0 */
	IPO_FN_mmio_write64 = 11,	/* (u32 off, u64 val) -> 0 */
};

/* A pointer in a context struct: 64 bits wide on every architecture. */
#define __ipo_md_ptr(type, name)					\
	union {								\
		type name;						\
		__u64:64;						\
	} __attribute__((aligned(8)))

/**
 * struct ipo_method_ctx - what a METHOD program finds in r1
 * @obj: the object's data, @obj_size bytes, read/write
 * @arg: the call's argument buffer, @arg_size bytes, read only
 * @out: the call's output buffer, @out_size bytes, read/write (zeroed
 *	before the call; copied to the caller after the bundle)
 * @obj_size: bytes at @obj
 * @arg_size: bytes at @arg
 * @out_size: bytes at @out
 * @method: index of the method being invoked
 * @obj_id: the object's id
 * @caller_uid: the invoking task's euid, in the object owner's namespace
 * @caller_tgid: the invoking task's thread group id
 */
struct ipo_method_ctx {
	__ipo_md_ptr(void *, obj);
	__ipo_md_ptr(const void *, arg);
	__ipo_md_ptr(void *, out);
	__u32 obj_size;
	__u32 arg_size;
	__u32 out_size;
	__u32 method;
	__u64 obj_id;
	__u32 caller_uid;
	__u32 caller_tgid;
};

/* What an IRQ program returns (r0). */
enum {
	IPO_IRQ_NONE = 0,	/* not my device: the next handler's turn */
	IPO_IRQ_HANDLED = 1,	/* my device interrupted; it is acknowledged */
};

/**
 * struct ipo_irq_ctx - what an IRQ program finds in r1
 * @obj: the attached object's data, @obj_size bytes, read/write (with no
 *	object attached @obj_size is 0 and every access through @obj aborts
 *	the run: check @obj_size)
 * @obj_size: bytes at @obj, 0 when no object is attached
 * @win_size: bytes of the register window
 */
struct ipo_irq_ctx {
	__ipo_md_ptr(void *, obj);
	__u32 obj_size;
	__u32 win_size;
};

/**
 * struct ipo_line_rec - one line-info record for PROG_LOAD
 * @insn_off: first instruction the source line covers
 * @line: 1-based line number
 * @col: 1-based column, 0 if unknown
 * @file_off: offset of the file name in the strings blob
 * @src_off: offset of the line's text in the strings blob
 * @__reserved: must be 0
 *
 * Records are sorted by @insn_off; both offsets must point at a
 * NUL-terminated string inside the blob.
 */
struct ipo_line_rec {
	__u32 insn_off;
	__u32 line;
	__u32 col;
	__u32 file_off;
	__u32 src_off;
	__u32 __reserved;
};

/* Flags of ipo_prog_load.flags. */
#define IPO_PROG_CLOEXEC	(1U << 0)	/* the new fd is O_CLOEXEC */
#define IPO_PROG_INTERP		(1U << 1)	/* do not JIT-compile */
#define IPO_PROG_JIT_ONLY	(1U << 2)	/* fail rather than interpret */
/*
 * Load-time guarantees only: refuse the program if any access needs a
 * run-time bounds check or any loop is not proven to end (one only fuel
 * stops), as Linux's verifier would.  The log names the first such
 * instruction ("N: strict: ...") and what would let it pass.
 */
#define IPO_PROG_STRICT		(1U << 3)
#define IPO_PROG_LOAD_FLAGS	(IPO_PROG_CLOEXEC | IPO_PROG_INTERP | \
				 IPO_PROG_JIT_ONLY | IPO_PROG_STRICT)

/* Bits of ipo_prog_load.out_flags. */
#define IPO_PROG_LOG_TRUNCATED	(1U << 0)	/* the log did not fit */
#define IPO_PROG_JITED		(1U << 1)	/* runs as native code */

/* Highest verifier log level: 0 errors, 1 + summary, 2 + every insn. */
#define IPO_LOG_LEVEL_MAX	2

/**
 * struct ipo_prog_load - IPO_PROG_LOAD: verify a program and get its fd
 * @size: sizeof(struct ipo_prog_load)
 * @flags: IPO_PROG_* flags
 * @prog_type: IPO_PROG_TYPE_METHOD or IPO_PROG_TYPE_IRQ
 * @insn_cnt: number of 8-byte instructions at @insns (lddw counts 2)
 * @insns: pointer to the instructions
 * @log_buf: pointer to the verifier log buffer, or 0 for none
 * @log_size: bytes at @log_buf (0 with no buffer, else at least 128
 *	and at most 16 MiB)
 * @log_level: 0..IPO_LOG_LEVEL_MAX
 * @log_len: out: bytes written to @log_buf, without the NUL
 * @out_flags: out: IPO_PROG_LOG_* bits
 * @line_info: pointer to @line_info_cnt struct ipo_line_rec, or 0
 * @line_info_cnt: number of records
 * @line_info_rec_size: sizeof(struct ipo_line_rec) as the caller knows it
 * @strings: pointer to the NUL-separated strings the records point into
 * @strings_size: bytes at @strings (at most 16 MiB)
 * @out_fd: out: the program fd
 * @name: the program's name, same rules as object names (may be empty)
 * @prog_id: out: the program's id
 *
 * Issued on /dev/ipo.  The program is checked by the verifier; a rejected
 * program fails with EINVAL and the reason, with the instruction index and
 * the source line when line info was given, in @log_buf (always
 * NUL-terminated; when it did not fit, IPO_PROG_LOG_TRUNCATED is set in
 * @out_flags and the log keeps its beginning).  @log_len and @out_flags are
 * written back on success and on rejection.
 *
 * @jit_reason: out: IPO_JIT_OK when JIT-compiled, else why the program
 *	runs on the interpreter (IPO_JIT_*)
 * @jit_size: out: bytes of native code (0 on the interpreter)
 *
 * An accepted program is JIT-compiled (IPO_PROG_JITED in @out_flags,
 * @jit_reason IPO_JIT_OK) unless IPO_PROG_INTERP is set, the module's jit
 * parameter is off, the code would not fit in one user's share of the
 * JIT's code pool, the caller's share is used up or the pool is full; then
 * it runs on the interpreter, which is as safe and slower, and
 * @jit_reason says which.  With IPO_PROG_JIT_ONLY that is an error
 * instead (ENOSPC).
 *
 * With IPO_PROG_STRICT a program the verifier could accept only with
 * run-time bounds checks or fuel-bound loops is rejected (EINVAL) with
 * "N: strict: run-time check: ..." or "N: strict: loop relies on fuel:
 * ..." in the log.  Without it the same facts are notes in the log at
 * @log_level 1 and 2.
 *
 * errno: EINVAL for a rejected program, an unknown program type, a bad log
 * or line-info argument, a malformed name, or IPO_PROG_INTERP together
 * with IPO_PROG_JIT_ONLY; E2BIG for more than max_prog_insns instructions,
 * or for a program whose verification would need more memory or work than
 * the verifier allows a program of its size (the log names the limit:
 * "program too complex: ... limit"); EMFILE when the caller has
 * max_progs_per_user live programs; ENAMETOOLONG as for objects; ENOSPC
 * when IPO_PROG_JIT_ONLY was asked for and the JIT cannot be used
 * (@jit_reason says why); ENOMEM when the caller's memory (cgroup) runs
 * out; EINTR when the caller got a fatal signal during the load; EPERM
 * when unprivileged_progs is off and the caller lacks CAP_BPF and
 * CAP_SYS_ADMIN.
 */
struct ipo_prog_load {
	__u32 size;
	__u32 flags;
	__u32 prog_type;
	__u32 insn_cnt;
	__aligned_u64 insns;
	__aligned_u64 log_buf;
	__u32 log_size;
	__u32 log_level;
	__u32 log_len;
	__u32 out_flags;
	__aligned_u64 line_info;
	__u32 line_info_cnt;
	__u32 line_info_rec_size;
	__aligned_u64 strings;
	__u32 strings_size;
	__s32 out_fd;
	char name[IPO_NAME_MAX];
	__aligned_u64 prog_id;
	__u32 jit_reason;
	__u32 jit_size;
};
#define IPO_PROG_LOAD		_IO(IPO_TYPE, IPO_CMD_PROG_LOAD)

/* Why a program runs on the interpreter (jit_reason of PROG_LOAD, LIST). */
enum {
	IPO_JIT_OK = 0,		/* JIT-compiled */
	IPO_JIT_ASKED = 1,	/* IPO_PROG_INTERP */
	IPO_JIT_DISABLED = 2,	/* the module's jit parameter is off */
	IPO_JIT_TOO_BIG = 3,	/* its code is larger than a user's share */
	IPO_JIT_USER_SHARE = 4,	/* the user's share of the pool is used up */
	IPO_JIT_POOL_FULL = 5,	/* the pool is full */
	IPO_JIT_FAILED = 6,	/* out of memory while compiling */
};

/* Why a run stopped early (ipo_prog_test_run.abort, later invoke results). */
enum {
	IPO_RESULT_OK = 0,	/* ran to its exit */
	IPO_RESULT_FUEL = 1,	/* out of fuel */
	IPO_RESULT_BOUNDS = 2,	/* a run-time bounds check failed */
	IPO_RESULT_HELPER = 3,	/* a helper aborted the call */
	/* 4 is not a result (an unwind counts as OK) */
	IPO_RESULT_UNDO = 5,	/* the undo log of the bundle is full */
};

/* Flags of ipo_prog_test_run.flags. */
#define IPO_TEST_RUN_INTERP	(1U << 0)	/* interpreter even if JIT-ed */
#define IPO_TEST_RUN_FLAGS	(IPO_TEST_RUN_INTERP)

/* Largest buffer PROG_TEST_RUN copies in or out. */
#define IPO_TEST_RUN_BUF_MAX	(1U << 20)

/**
 * struct ipo_prog_test_run - IPO_PROG_TEST_RUN: run a METHOD program once
 * @size: sizeof(struct ipo_prog_test_run)
 * @flags: IPO_TEST_RUN_* flags
 * @prog_fd: a program fd from PROG_LOAD, of type METHOD
 * @repeat: runs (0 means 1); the object is copied in once and the runs
 *	follow one another on it
 * @obj: object data: @obj_size bytes copied in, and back out after the runs
 * @obj_size: 1..IPO_TEST_RUN_BUF_MAX
 * @arg_size: 0..IPO_TEST_RUN_BUF_MAX
 * @arg: the argument buffer, @arg_size bytes
 * @out: the output buffer, @out_size bytes, zeroed, copied back after
 * @out_size: 0..IPO_TEST_RUN_BUF_MAX
 * @__reserved: must be 0
 * @fuel: instruction budget of each run, 0 for the module's default
 *	(parameter fuel); at most the parameter max_fuel
 * @retval: out: r0 of the last run (0 when it aborted)
 * @abort: out: IPO_RESULT_* of the last run
 * @abort_pc: out: instruction that aborted
 * @duration_ns: out: mean wall time of one run
 * @jited: out: 1 if the runs were native code
 * @__reserved2: must be 0
 *
 * Issued on /dev/ipo.  Runs the program against private copies of the
 * buffers, with no object involved: for tests and benchmarks of programs.
 * An abort is a result, not an error.
 *
 * errno: EBADF for a bad @prog_fd; EINVAL for an fd that is not a METHOD
 * program, or a size out of range; E2BIG for a fuel above max_fuel.
 */
struct ipo_prog_test_run {
	__u32 size;
	__u32 flags;
	__s32 prog_fd;
	__u32 repeat;
	__aligned_u64 obj;
	__u32 obj_size;
	__u32 arg_size;
	__aligned_u64 arg;
	__aligned_u64 out;
	__u32 out_size;
	__u32 __reserved;
	__aligned_u64 fuel;
	__aligned_u64 retval;
	__u32 abort;
	__u32 abort_pc;
	__aligned_u64 duration_ns;
	__u32 jited;
	__u32 __reserved2;
};
#define IPO_PROG_TEST_RUN	_IO(IPO_TYPE, IPO_CMD_PROG_TEST_RUN)

/**
 * DOC: Handles and rights
 *
 * An object fd is a handle: the object plus a set of rights.
 *
 * - IPO_RIGHT_INVOKE: call the object's methods (optionally only those in
 *   the handle's method mask);
 * - IPO_RIGHT_READ: mmap() the object read-only;
 * - IPO_RIGHT_NOTIFY: subscribe to change notifications;
 * - IPO_RIGHT_ADMIN: set the method table, derive and revoke handles.
 *
 * OBJ_CREATE gives the owner a handle with every right and every method.
 * HANDLE_DERIVE makes a new handle with a subset of a handle's rights and
 * methods, to pass to another process (e.g. over a Unix socket with
 * SCM_RIGHTS).  OBJ_OPEN opens a named object under checks like a file's:
 * the owner gets what it asks for; others get READ and NOTIFY with the 'r'
 * bit of the object's mode (owner/group/other as for files) and INVOKE
 * with its 'w' bit; ADMIN only the owner (or CAP_SYS_ADMIN).
 *
 * Handles form a tree: a derived handle is a child of the handle it was
 * derived from (when that one is closed, of its nearest open ancestor).
 * HANDLE_REVOKE (ADMIN) revokes one derived or opened handle by its id
 * together with every handle derived from it, directly or not, or all
 * revocable handles.  A revoked handle fails every later use with EPERM,
 * also when the revocation races with an INVOKE (a call either ran
 * entirely before the revocation or fails) or with a HANDLE_DERIVE from
 * it (the new handle is either revoked with it or not made: EPERM).  The
 * read-only mappings made through a revoked handle are zapped: a reader
 * touching one afterwards gets SIGBUS (the mapping stays, its pages are
 * gone).  The handles from OBJ_CREATE cannot be revoked.  IPO_LIST_HANDLES
 * shows an object's tree to a holder of ADMIN (`ipo ls --handles`).
 */
#define IPO_RIGHT_INVOKE	(1U << 0)
#define IPO_RIGHT_READ		(1U << 1)
#define IPO_RIGHT_NOTIFY	(1U << 2)
#define IPO_RIGHT_ADMIN		(1U << 3)
#define IPO_RIGHTS_ALL		(IPO_RIGHT_INVOKE | IPO_RIGHT_READ | \
				 IPO_RIGHT_NOTIFY | IPO_RIGHT_ADMIN)

/* An object has at most this many methods, indexed 0..63. */
#define IPO_MAX_METHODS		64

/**
 * struct ipo_obj_set_methods - IPO_OBJ_SET_METHODS: attach methods
 * @size: sizeof(struct ipo_obj_set_methods)
 * @flags: must be 0
 * @obj_fd: a handle of the object with IPO_RIGHT_ADMIN
 * @nr_methods: entries at @prog_fds, 0..IPO_MAX_METHODS (0 removes all)
 * @prog_fds: pointer to @nr_methods __s32 fds of METHOD programs; method
 *	i is prog_fds[i]
 *
 * Issued on /dev/ipo.  Replaces the object's method table as a whole:
 * calls that already hold the object finish with the old table, later
 * calls see the new one.  Only programs in the table can change the
 * object.
 *
 * @descs: 0, or a pointer to @nr_methods struct ipo_method_desc, one
 *	per method: what OBJ_METHODS reports to clients
 * @desc_size: sizeof(struct ipo_method_desc) as the caller knows it (the
 *	array's stride, with the size rules of a command struct); 0 with no
 *	@descs
 * @__reserved: must be 0
 *
 * Without @descs a method is known by its program's name (PROG_LOAD's
 * @name) and no sizes.
 *
 * errno: EBADF for a bad fd; EINVAL for an fd of the wrong kind, a program
 * that is not a METHOD, too many methods, a malformed or repeated method
 * name, or a @desc_size out of range; E2BIG for non-zero bytes past
 * a description the kernel knows; EPERM for a handle without ADMIN (or
 * revoked).
 */
struct ipo_obj_set_methods {
	__u32 size;
	__u32 flags;
	__s32 obj_fd;
	__u32 nr_methods;
	__aligned_u64 prog_fds;
	__aligned_u64 descs;
	__u32 desc_size;
	__u32 __reserved;
};

/**
 * struct ipo_method_desc - how the owner describes one method
 * @name: the method's name (object name rules; "" for the program's name);
 *	the names of one table are distinct
 * @arg_size: the size of its argument struct, 0 for none or unknown
 * @out_size: the size of its output, 0 for none or unknown
 * @arg_btf_id: the BTF type id of the argument struct in the program
 *	object's BTF, 0 when unknown
 * @out_btf_id: likewise for the output
 *
 * Descriptive only: the kernel stores and reports them (OBJ_METHODS) and
 * checks no call against them; a method still checks its buffers' sizes.
 */
struct ipo_method_desc {
	char name[IPO_NAME_MAX];
	__u32 arg_size;
	__u32 out_size;
	__u32 arg_btf_id;
	__u32 out_btf_id;
};
#define IPO_OBJ_SET_METHODS	_IO(IPO_TYPE, IPO_CMD_OBJ_SET_METHODS)

/* ipo_method_info.flags */
#define IPO_METHOD_DESCRIBED	(1U << 0)	/* the owner gave a desc */
#define IPO_METHOD_ALLOWED	(1U << 1)	/* @obj_fd may invoke it */

/**
 * struct ipo_method_info - one method in an OBJ_METHODS answer
 * @index: its index (what struct ipo_call.method takes)
 * @prog_id: its program's id
 * @arg_size: from the owner's struct ipo_method_desc, else 0
 * @out_size: likewise
 * @arg_btf_id: likewise
 * @out_btf_id: likewise
 * @flags: IPO_METHOD_* bits
 * @__reserved: zero
 * @name: the method's name (the description's, else the program's)
 */
struct ipo_method_info {
	__u32 index;
	__u32 prog_id;
	__u32 arg_size;
	__u32 out_size;
	__u32 arg_btf_id;
	__u32 out_btf_id;
	__u32 flags;
	__u32 __reserved;
	char name[IPO_NAME_MAX];
};

/**
 * struct ipo_obj_methods - IPO_OBJ_METHODS: an object's method table
 * @size: sizeof(struct ipo_obj_methods)
 * @flags: must be 0
 * @obj_fd: any handle of the object (not revoked)
 * @info_size: sizeof(struct ipo_method_info) as the caller knows it (at
 *	least the first published size, at most 4096); the kernel writes
 *	min of both per entry
 * @infos: pointer to room for @max_infos entries (may be 0 with
 *	@max_infos 0, to learn @nr_methods)
 * @max_infos: 0..IPO_MAX_METHODS
 * @nr_methods: out: methods in the table; entries written: the smaller
 *	of this and @max_infos, in index order
 *
 * Issued on /dev/ipo.  Lets a client find a method by name without the
 * program file.  Any right will do: the table says what the object
 * offers; IPO_METHOD_ALLOWED says which of them the handle may call.
 *
 * errno: EBADF, EINVAL (not an object fd, a bad size or count); EPERM for
 * a revoked handle.
 */
struct ipo_obj_methods {
	__u32 size;
	__u32 flags;
	__s32 obj_fd;
	__u32 info_size;
	__aligned_u64 infos;
	__u32 max_infos;
	__u32 nr_methods;
};
#define IPO_OBJ_METHODS		_IO(IPO_TYPE, IPO_CMD_OBJ_METHODS)

/**
 * struct ipo_call - one call of a bundle
 * @obj_fd: a handle with IPO_RIGHT_INVOKE
 * @method: index into the object's method table
 * @arg: the argument buffer (copied in before any call runs)
 * @out: the output buffer (written after the bundle, see below)
 * @arg_size: bytes at @arg, 0..max_buf_size
 * @out_size: bytes at @out, 0..max_buf_size
 * @ret: out: the method's r0
 * @status: out: 0 when the call committed, else a negative errno: the
 *	method's own error (the low 32 bits of r0 read as a signed int, when
 *	in -4095..-1: methods return int), -ETIME when it ran out of fuel,
 *	-EFAULT when a run-time bounds check stopped it, -ECANCELED when it
 *	did not run or was rolled back, -ENOSPC when the bundle's undo log
 *	was full (IPO_RESULT_UNDO: undo_max_bytes, a module parameter, or
 *	no memory for it), or the error that kept it from running (EBADF,
 *	EPERM, ENOENT for a method index outside the table)
 * @abort: out: IPO_RESULT_* of the run
 * @abort_pc: out: when @abort is not IPO_RESULT_OK, the index of the
 *	instruction that stopped the run (the access whose run-time check
 *	failed, the back edge or call that ran out of fuel, the helper call
 *	that aborted), counted in the program as loaded; else 0.  The same
 *	on the interpreter and the JIT.  libipo maps it to the C line.
 * @__reserved: out: 0
 *
 * The output buffer is zeroed before the call and copied to @out when the
 * call committed; an output of a call that did not commit is not written.
 * @abort_pc and @__reserved came later: a caller whose @call_size ends
 * before them (48 bytes, the first published size) gets everything else
 * as before.
 */
struct ipo_call {
	__s32 obj_fd;
	__u32 method;
	__aligned_u64 arg;
	__aligned_u64 out;
	__u32 arg_size;
	__u32 out_size;
	__s64 ret;
	__s32 status;
	__u32 abort;
	__u32 abort_pc;
	__u32 __reserved;
};

/* Flags of ipo_invoke.flags. */
#define IPO_INVOKE_ATOMIC	(1U << 0)	/* all calls or none */
#define IPO_INVOKE_INDEPENDENT	(1U << 1)	/* each call on its own */
#define IPO_INVOKE_FLAGS	(IPO_INVOKE_ATOMIC | IPO_INVOKE_INDEPENDENT)

/**
 * struct ipo_invoke - IPO_INVOKE: run a bundle of method calls
 * @size: sizeof(struct ipo_invoke)
 * @flags: IPO_INVOKE_* flags
 * @nr_calls: calls at @calls, 1..max_bundle_calls
 * @call_size: sizeof(struct ipo_call) as the caller knows it (the array's
 *	stride; the same size rules as for a command struct apply to each)
 * @calls: pointer to the calls
 * @fuel: instruction budget of each call, 0 for the module's default; all
 *	the calls of one INVOKE share at most max_bundle_fuel (a module
 *	parameter): a call that runs out of either fails with ETIME
 * @nr_done: out: calls that committed
 * @__reserved: must be 0
 *
 * Issued on /dev/ipo.  Every object of the bundle is locked, in one global
 * order (by object id, so bundles never deadlock), for the whole bundle;
 * readers of an object's mapping see its sequence counter odd meanwhile.
 * Calls run in order, each seeing what the previous ones did.
 *
 * By default the bundle stops at the first call that fails: the calls
 * before it stay committed, the failing call is undone (a method never
 * leaves half its changes behind) and the rest do not run.  With
 * IPO_INVOKE_ATOMIC a failing call undoes every call of the bundle, on
 * every object, and @nr_done is 0.  With IPO_INVOKE_INDEPENDENT every
 * call runs, in order, and commits or is undone on its own, whatever the
 * calls before it did: each call's @status says which, and @nr_done
 * counts the calls that committed (a fatal signal still stops the bundle
 * between calls; the calls not run get -ECANCELED).  ATOMIC together
 * with INDEPENDENT is EINVAL.
 * Undoing costs in proportion to what the calls wrote, not to the
 * objects' sizes (README, "Rolling back").
 *
 * Return: 0 when every call committed; otherwise the @status of the first
 * call that failed, in every mode (results are written back either way),
 * or an error of
 * the bundle itself: EINVAL for a malformed bundle, E2BIG for one over a
 * limit, EFAULT for unreadable buffers, EINTR when a fatal signal arrived
 * between calls (handled like a failing call).  An output buffer is
 * written only when its call commits, and is not checked before: one that
 * cannot be written then makes the INVOKE fail with EFAULT after the
 * fact -- that call committed (its @status is 0, @nr_done counts it) and
 * every other call's results and outputs are written as usual.
 */
struct ipo_invoke {
	__u32 size;
	__u32 flags;
	__u32 nr_calls;
	__u32 call_size;
	__aligned_u64 calls;
	__aligned_u64 fuel;
	__u32 nr_done;
	__u32 __reserved;
};
#define IPO_INVOKE		_IO(IPO_TYPE, IPO_CMD_INVOKE)

/* Flags of ipo_handle_derive.flags and ipo_obj_open.flags. */
#define IPO_HANDLE_CLOEXEC	(1U << 0)
#define IPO_HANDLE_FLAGS	(IPO_HANDLE_CLOEXEC)

/**
 * struct ipo_handle_derive - IPO_HANDLE_DERIVE: a handle with fewer rights
 * @size: sizeof(struct ipo_handle_derive)
 * @flags: IPO_HANDLE_* flags
 * @obj_fd: the handle to derive from (any rights; not revoked)
 * @rights: IPO_RIGHT_* bits, a subset of @obj_fd's
 * @methods: bit i allows method i; a subset of @obj_fd's mask
 * @out_fd: out: the new handle
 * @handle_id: out: its id, for HANDLE_REVOKE
 *
 * Issued on /dev/ipo.  errno: EBADF, EINVAL (not an object fd, unknown
 * rights bits), EPERM (rights or methods beyond @obj_fd's, or @obj_fd
 * revoked, also while this call ran; @out_fd is then not installed).
 */
struct ipo_handle_derive {
	__u32 size;
	__u32 flags;
	__s32 obj_fd;
	__u32 rights;
	__aligned_u64 methods;
	__s32 out_fd;
	__u32 handle_id;
};
#define IPO_HANDLE_DERIVE	_IO(IPO_TYPE, IPO_CMD_HANDLE_DERIVE)

/* Flags of ipo_handle_revoke.flags. */
#define IPO_REVOKE_ALL		(1U << 0)	/* every derived/opened handle */
#define IPO_REVOKE_FLAGS	(IPO_REVOKE_ALL)

/**
 * struct ipo_handle_revoke - IPO_HANDLE_REVOKE: withdraw handles
 * @size: sizeof(struct ipo_handle_revoke)
 * @flags: IPO_REVOKE_* flags
 * @obj_fd: a handle of the object with IPO_RIGHT_ADMIN
 * @handle_id: the handle to revoke (ignored, and must be 0, with
 *	IPO_REVOKE_ALL)
 *
 * Revokes the handle and every handle derived from it (see "Handles and
 * rights"), and zaps the mappings made through them.
 *
 * Issued on /dev/ipo.  errno: EPERM without ADMIN; ENOENT for an id that
 * names no revocable handle of this object; EINVAL as usual.
 */
struct ipo_handle_revoke {
	__u32 size;
	__u32 flags;
	__s32 obj_fd;
	__u32 handle_id;
};
#define IPO_HANDLE_REVOKE	_IO(IPO_TYPE, IPO_CMD_HANDLE_REVOKE)

/**
 * struct ipo_obj_open - IPO_OBJ_OPEN: open a named object
 * @size: sizeof(struct ipo_obj_open)
 * @flags: IPO_HANDLE_* flags
 * @rights: the IPO_RIGHT_* bits wanted (all of them or EACCES)
 * @out_fd: out: the new handle (every method allowed)
 * @obj_id: out: the object's id
 * @handle_id: out: its id, for HANDLE_REVOKE
 * @__reserved: must be 0
 * @name: the object's name
 *
 * Issued on /dev/ipo.  errno: ENOENT when no live object has the name;
 * EACCES when the caller may not have @rights (see "Handles and rights");
 * EINVAL, ENAMETOOLONG for bad names or rights.
 */
struct ipo_obj_open {
	__u32 size;
	__u32 flags;
	__u32 rights;
	__s32 out_fd;
	__aligned_u64 obj_id;
	__u32 handle_id;
	__u32 __reserved;
	char name[IPO_NAME_MAX];
};
#define IPO_OBJ_OPEN		_IO(IPO_TYPE, IPO_CMD_OBJ_OPEN)

/* What IPO_LIST lists (ipo_list.kind). */
enum {
	IPO_LIST_OBJS = 1,	/* struct ipo_obj_entry */
	IPO_LIST_PROGS = 2,	/* struct ipo_prog_entry */
	IPO_LIST_HANDLES = 3,	/* struct ipo_handle_entry, of ipo_list.obj_fd */
};

/**
 * struct ipo_obj_entry - one object in an IPO_LIST answer
 * @id: object id
 * @data_size: bytes of data
 * @owner: owner's uid (in the caller's user namespace)
 * @group: group's gid (in the caller's user namespace)
 * @mode: permission bits
 * @nr_methods: entries in the method table
 * @nr_handles: revocable (derived or opened) handles alive
 * @seq: the change counter
 * @methods: program ids of the first 8 methods (0 past the end)
 * @name: the name, "" when anonymous
 * @flags: IPO_OBJ_ENTRY_* bits
 * @__reserved: zero
 * @methods_more: program ids of methods 8..IPO_MAX_METHODS-1 (0 past the
 *	end), so that an entry of this size lists every method
 */
struct ipo_obj_entry {
	__aligned_u64 id;
	__aligned_u64 data_size;
	__u32 owner;
	__u32 group;
	__u32 mode;
	__u32 nr_methods;
	__u32 nr_handles;
	__u32 seq;
	__u32 methods[8];
	char name[IPO_NAME_MAX];
	__u32 flags;
	__u32 __reserved;
	__u32 methods_more[IPO_MAX_METHODS - 8];
};

/* ipo_obj_entry.flags */
#define IPO_OBJ_ENTRY_PERSIST	(1U << 0)	/* IPO_OBJ_PERSIST, not removed */

/* ipo_prog_entry.flags */
#define IPO_PROG_ENTRY_JITED	(1U << 0)

/**
 * struct ipo_prog_entry - one program in an IPO_LIST answer
 * @id: program id
 * @prog_type: IPO_PROG_TYPE_*
 * @insn_cnt: instructions
 * @owner: uid of the user it is charged to
 * @flags: IPO_PROG_ENTRY_* bits
 * @jit_size: bytes of native code (0 when interpreted)
 * @jit_reason: IPO_JIT_OK, or why it runs on the interpreter (IPO_JIT_*)
 * @__reserved: zero
 * @name: the name given at PROG_LOAD
 */
struct ipo_prog_entry {
	__u32 id;
	__u32 prog_type;
	__u32 insn_cnt;
	__u32 owner;
	__u32 flags;
	__u32 jit_size;
	__u32 jit_reason;
	__u32 __reserved;
	char name[IPO_NAME_MAX];
};

/* ipo_handle_entry.flags */
#define IPO_HANDLE_ENTRY_REVOKED	(1U << 0)
#define IPO_HANDLE_ENTRY_OPENED		(1U << 1)	/* by name, not derived */

/**
 * struct ipo_handle_entry - one revocable handle in an IPO_LIST answer
 * @id: handle id (as HANDLE_REVOKE takes it)
 * @parent_id: the handle it was derived from; 0 for the creator's handle
 *	or none (opened by name).  When a parent is closed its children
 *	are handed to its own parent, so this is the nearest ancestor
 *	still open.
 * @rights: IPO_RIGHT_* bits
 * @flags: IPO_HANDLE_ENTRY_* bits
 * @methods: bit i allows method i
 */
struct ipo_handle_entry {
	__u32 id;
	__u32 parent_id;
	__u32 rights;
	__u32 flags;
	__aligned_u64 methods;
};

/**
 * struct ipo_list - IPO_LIST: objects, programs or handles, by ascending id
 * @size: sizeof(struct ipo_list)
 * @flags: must be 0
 * @kind: IPO_LIST_OBJS or IPO_LIST_PROGS
 * @entry_size: sizeof the entry struct as the caller knows it (at least
 *	the first published size; the kernel writes min of both and zeroes
 *	nothing beyond)
 * @start_id: list entries with id >= this
 * @entries: pointer to room for @max_entries entries
 * @max_entries: 1..4096
 * @nr_entries: out: entries written
 * @next_id: out: where to start the next call, 0 when the list is done
 * @obj_fd: IPO_LIST_HANDLES: a handle of the object with IPO_RIGHT_ADMIN;
 *	0 otherwise
 * @__reserved: must be 0
 *
 * Issued on /dev/ipo.  A caller sees its own objects and programs, and the
 * named objects whose mode lets it open them with some right; a caller
 * with CAP_SYS_ADMIN sees everything.  IPO_LIST_HANDLES lists the
 * revocable handles of one object (derived or opened by name; not the
 * creator's) to a holder of its ADMIN right: EPERM without it or when
 * that handle is revoked, EBADF/EINVAL for a bad @obj_fd.
 */
struct ipo_list {
	__u32 size;
	__u32 flags;
	__u32 kind;
	__u32 entry_size;
	__aligned_u64 start_id;
	__aligned_u64 entries;
	__u32 max_entries;
	__u32 nr_entries;
	__aligned_u64 next_id;
	__s32 obj_fd;
	__u32 __reserved;
};
#define IPO_LIST		_IO(IPO_TYPE, IPO_CMD_LIST)

/**
 * DOC: Change notifications
 *
 * A method reports what it changed by calling the notify helper with an
 * event mask (bits are the object's own vocabulary).  Nothing is delivered
 * until the call commits; a call that fails or is rolled back notifies
 * nobody.  After each bundle, every subscription of an object whose mask
 * meets the bundle's events gets one record, in one pass over the
 * subscribers, with no allocation.
 *
 * A subscription is an fd: poll()/select()/epoll report it readable when a
 * record is waiting, and read() returns whole struct ipo_event records
 * (EINVAL for a buffer smaller than one; EAGAIN when empty and
 * non-blocking).  Records wait in a queue of @queue_len; when it is full
 * the newest record absorbs further events (masks merge, seq advances) and
 * carries IPO_EVENT_OVERFLOW, telling the reader to resync from a
 * snapshot: nothing is lost silently, and memory never grows.
 *
 * With @signo set, each record also raises that signal in the subscribing
 * process, with si_code SI_QUEUE and si_value holding the object id (low
 * bits of si_ptr / si_int).
 */

/* ipo_event.flags */
#define IPO_EVENT_OVERFLOW	(1U << 0)	/* events were merged: resync */

/**
 * struct ipo_event - one record read from a subscription fd
 * @obj_id: the object
 * @mask: the events (merged when several were coalesced)
 * @seq: the object's change counter after the change
 * @flags: IPO_EVENT_* bits
 */
struct ipo_event {
	__aligned_u64 obj_id;
	__aligned_u64 mask;
	__u32 seq;
	__u32 flags;
};

/* Flags of ipo_subscribe.flags. */
#define IPO_SUB_CLOEXEC		(1U << 0)
#define IPO_SUB_NONBLOCK	(1U << 1)
#define IPO_SUB_FLAGS		(IPO_SUB_CLOEXEC | IPO_SUB_NONBLOCK)

/* Bounds of ipo_subscribe.queue_len; 0 means the default, 16. */
#define IPO_SUB_QUEUE_MAX	1024

/**
 * struct ipo_subscribe - IPO_SUBSCRIBE: be told of an object's changes
 * @size: sizeof(struct ipo_subscribe)
 * @flags: IPO_SUB_* flags
 * @obj_fd: a handle with IPO_RIGHT_NOTIFY
 * @mask: the events wanted (non-zero)
 * @queue_len: records kept before coalescing, 0 (16) or 1..IPO_SUB_QUEUE_MAX
 * @signo: 0, or a signal (1.._NSIG-1) to raise per record
 * @out_fd: out: the subscription fd
 * @__reserved: must be 0
 *
 * Issued on /dev/ipo.  A subscription stops when its fd is closed or its
 * handle is revoked (then read() returns EPERM once the queue is empty).
 * errno: EPERM without NOTIFY (or revoked), ENOSPC when the object has
 * max_subs_per_obj subscriptions (a module parameter, 256 by default: a
 * commit notifies them all with interrupts off), EINVAL as usual.
 */
struct ipo_subscribe {
	__u32 size;
	__u32 flags;
	__s32 obj_fd;
	__u32 queue_len;
	__aligned_u64 mask;
	__u32 signo;
	__s32 out_fd;
	__aligned_u64 __reserved;
};
#define IPO_SUBSCRIBE		_IO(IPO_TYPE, IPO_CMD_SUBSCRIBE)

/**
 * DOC: IRQ hook
 *
 * A PCI device is handed to the module's ``ipo-irq`` driver by the admin
 * (``echo VVVV DDDD > /sys/bus/pci/drivers/ipo-irq/new_id``, or
 * ``driver_override`` and ``bind``, as for uio_pci_generic).  The driver
 * enables the device and keeps its INTx masked (DisINTx) while no hook is
 * attached.  IRQ_ATTACH then registers an IRQ program as a shared
 * (IRQF_SHARED) handler of the device's INTx line, with a register window
 * of one BAR and optionally an object.  On every interrupt of the line the
 * program reads the device's status through the window, acknowledges its
 * own device and returns IPO_IRQ_HANDLED, or returns IPO_IRQ_NONE when
 * the interrupt is not its device's.  It may update the object and call
 * notify(); the subscribers (the userspace driver) are told by the
 * handler once the run is committed (seq even).
 *
 * The object: while a hook is attached to it, the hook is its only
 * writer: INVOKE on it fails with EBUSY, and its sequence counter goes odd
 * and even around each run of the hook as around a bundle, so readers of
 * the mapping see consistent snapshots.  A run that aborts is rolled back.
 * An object has at most one hook; it is at most IPO_IRQ_OBJ_MAX bytes.
 *
 * Each run has a budget of the module parameter irq_fuel instructions.
 * A hook that aborts (out of fuel, a bounds check, a window check), or
 * whose device still asserts INTx after irq_fault_limit consecutive runs
 * (read from the PCI status register after the run, before its effects
 * are published: the hook does not quiet its device, whether it claims
 * the interrupt or not; a limit of 0 turns this check off), or that
 * returns IPO_IRQ_NONE in irq_fault_limit consecutive runs in which its
 * device was asserting INTx when the run began (the status read before
 * the run: the interrupt was its device's and it disowned it, which is
 * how the kernel would come to disable the whole line as "nobody cared";
 * such a run is reported to the kernel as handled when the device is
 * quiet after it), or whose object handle has been revoked (seen by the
 * next run), is a fault: the hook
 * is taken off the line, the device's INTx is masked (DisINTx) so the
 * other devices on the line keep working, the attachment turns
 * IPO_IRQ_FAULTED with the reason in ipo_irq_stat, a line goes to the
 * kernel log, and the object's subscribers get IPO_IRQ_EV_FAULT.
 */

/* Largest object IRQ_ATTACH accepts (it is copied for rollback per run). */
#define IPO_IRQ_OBJ_MAX		4096
/* Largest register window, bytes. */
#define IPO_IRQ_WIN_MAX		(1U << 24)
/* The event the kernel reports on the object when its hook faults. */
#define IPO_IRQ_EV_FAULT	(1ULL << 63)
/* Longest PCI device name ("0000:00:04.0"), including the NUL. */
#define IPO_PCI_NAME_MAX	32

/* Access widths of a window (ipo_irq_attach.widths): bit = bytes. */
#define IPO_IRQ_W8		(1U << 0)
#define IPO_IRQ_W16		(1U << 1)
#define IPO_IRQ_W32		(1U << 2)
#define IPO_IRQ_W64		(1U << 3)
#define IPO_IRQ_WIDTHS		(IPO_IRQ_W8 | IPO_IRQ_W16 | IPO_IRQ_W32 | \
				 IPO_IRQ_W64)

/* Flags of ipo_irq_attach.flags. */
#define IPO_IRQ_CLOEXEC		(1U << 0)	/* the new fd is O_CLOEXEC */
#define IPO_IRQ_OBJ		(1U << 1)	/* @obj_fd names an object */
#define IPO_IRQ_ATTACH_FLAGS	(IPO_IRQ_CLOEXEC | IPO_IRQ_OBJ)

/**
 * struct ipo_irq_attach - IPO_IRQ_ATTACH: hook an IRQ program on a device
 * @size: sizeof(struct ipo_irq_attach)
 * @flags: IPO_IRQ_* flags
 * @prog_fd: a program fd of type IRQ
 * @obj_fd: with IPO_IRQ_OBJ, a handle with IPO_RIGHT_ADMIN of an object of
 *	at most IPO_IRQ_OBJ_MAX bytes; ignored (must be 0) otherwise
 * @bar: the BAR of the window, 0..5
 * @widths: IPO_IRQ_W* bits: the access widths allowed (non-zero; no W64
 *	on an I/O-port BAR)
 * @win_off: offset of the window in the BAR, a multiple of the widest
 *	access in @widths
 * @win_len: bytes of the window, 1..IPO_IRQ_WIN_MAX, inside the BAR
 * @log_buf: 0, or where to put a one-line reason when the attach fails
 * @log_size: bytes at @log_buf (0..4096)
 * @out_fd: out: the attachment fd; closing it detaches the hook
 * @attach_id: out: the attachment's id, for the kernel log
 * @device: the PCI device's name, e.g. "0000:00:04.0"; it must be bound to
 *	the ipo-irq driver
 *
 * Issued on /dev/ipo; needs CAP_SYS_RAWIO.  The program's constant mmio
 * offsets must lie inside the window with widths it allows (the verifier
 * recorded them at PROG_LOAD); others are checked at each access.
 *
 * errno: EPERM without CAP_SYS_RAWIO, or an object handle without ADMIN;
 * ENODEV when @device is not bound to ipo-irq or has no INTx line; EBUSY
 * when the device or the object already has a hook; EINVAL for a program
 * that is not IRQ, a window outside the BAR, misaligned for its widths or
 * in an unmapped BAR, a program
 * whose constant accesses leave the window or use a width not allowed,
 * an object too large (with the reason in @log_buf).
 */
struct ipo_irq_attach {
	__u32 size;
	__u32 flags;
	__s32 prog_fd;
	__s32 obj_fd;
	__u32 bar;
	__u32 widths;
	__aligned_u64 win_off;
	__aligned_u64 win_len;
	__aligned_u64 log_buf;
	__u32 log_size;
	__s32 out_fd;
	__u32 attach_id;
	__u32 __reserved;
	char device[IPO_PCI_NAME_MAX];
};
#define IPO_IRQ_ATTACH		_IO(IPO_TYPE, IPO_CMD_IRQ_ATTACH)

/* ipo_irq_stat.state */
enum {
	IPO_IRQ_ACTIVE = 1,	/* on the line */
	IPO_IRQ_FAULTED = 2,	/* taken off after a fault; device masked */
	IPO_IRQ_DETACHED = 3,	/* IRQ_DETACH, or the device was unbound */
};

/* ipo_irq_stat.fault: why a hook faulted. */
enum {
	IPO_IRQ_FAULT_NONE = 0,
	IPO_IRQ_FAULT_ABORT = 1,	/* the run aborted: see @abort */
	IPO_IRQ_FAULT_STUCK = 2,	/* the device stayed asserted */
	IPO_IRQ_FAULT_RETVAL = 3,	/* r0 was neither NONE nor HANDLED */
	IPO_IRQ_FAULT_UNCLAIMED = 4,	/* its device asserted, r0 said NONE */
	IPO_IRQ_FAULT_REVOKED = 5,	/* the object handle was revoked */
};

/**
 * struct ipo_irq_stat - IPO_IRQ_STAT: an attachment's counters and state
 * @size: sizeof(struct ipo_irq_stat)
 * @flags: must be 0
 * @attach_fd: the attachment fd
 * @state: out: IPO_IRQ_ACTIVE, _FAULTED or _DETACHED
 * @irq: out: the Linux IRQ number of the line
 * @handled: out: runs that returned IPO_IRQ_HANDLED
 * @none: out: runs that returned IPO_IRQ_NONE
 * @faults: out: 1 after a fault, else 0
 * @fault: out: IPO_IRQ_FAULT_*
 * @abort: out: IPO_RESULT_* of the run that faulted
 * @abort_pc: out: its instruction
 * @__reserved: must be 0
 *
 * Issued on /dev/ipo.  errno: EBADF, EINVAL (not an attachment fd).
 */
struct ipo_irq_stat {
	__u32 size;
	__u32 flags;
	__s32 attach_fd;
	__u32 state;
	__u32 irq;
	__u32 fault;
	__aligned_u64 handled;
	__aligned_u64 none;
	__aligned_u64 faults;
	__u32 abort;
	__u32 abort_pc;
	__aligned_u64 __reserved;
};
#define IPO_IRQ_STAT		_IO(IPO_TYPE, IPO_CMD_IRQ_STAT)

/**
 * struct ipo_irq_detach - IPO_IRQ_DETACH: take a hook off its line now
 * @size: sizeof(struct ipo_irq_detach)
 * @flags: must be 0
 * @attach_fd: the attachment fd (stays open, its counters readable)
 *
 * Issued on /dev/ipo.  When it returns the hook runs no more and its
 * device's INTx is masked.  Detaching twice is not an error.  errno:
 * EBADF, EINVAL (not an attachment fd).
 */
struct ipo_irq_detach {
	__u32 size;
	__u32 flags;
	__s32 attach_fd;
	__u32 __reserved;
};
#define IPO_IRQ_DETACH		_IO(IPO_TYPE, IPO_CMD_IRQ_DETACH)

#endif /* _UAPI_LINUX_IPO_H */
