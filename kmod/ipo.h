/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces of the ipo module.
 */
#ifndef IPO_KMOD_H
#define IPO_KMOD_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <asm/barrier.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/refcount.h>
#include <linux/uidgid.h>
#include <linux/ipo.h>

/* Module parameters (main.c); read with READ_ONCE, they may change. */
extern unsigned long ipo_max_obj_size;
extern unsigned int ipo_max_objs_per_user;
extern unsigned int ipo_max_prog_insns;
extern unsigned int ipo_max_progs_per_user;
extern bool ipo_jit_enabled;
extern unsigned long ipo_jit_user_share;
extern bool ipo_unprivileged_progs;
extern unsigned long ipo_fuel_default;
extern unsigned long ipo_fuel_max;

/*
 * Whatever max_obj_size says, an object never exceeds this: it keeps
 * header + data far from overflowing and one request from asking vmalloc
 * for an absurd size.
 */
#define IPO_OBJ_SIZE_HARD_MAX	(1UL << 30)

static inline unsigned long ipo_obj_size_limit(void)
{
	return min(READ_ONCE(ipo_max_obj_size), IPO_OBJ_SIZE_HARD_MAX);
}

/*
 * An ioctl in flight: the user's buffer and size, and the kernel's copy of
 * the command struct (zero-extended per copy_struct_from_user()).
 */
struct ipo_ucmd {
	void __user *ubuffer;
	u32 user_size;
	void *cmd;
};

/* Names of objects and programs (name.c). */
int ipo_name_check(const char *name);

/* New fds, the module's own fds and command results (fd.c). */
int ipo_ucmd_respond(struct ipo_ucmd *ucmd, size_t cmd_len);
int ipo_fd_prepare(const char *name, const struct file_operations *fops,
		   void *priv, bool cloexec, struct file **filep);
void ipo_fd_abort(int fd, struct file *file);
int ipo_fd_respond(struct ipo_ucmd *ucmd, size_t len, int fd,
		   struct file *file);
struct file *ipo_fget(int fd, const struct file_operations *fops);

/* Per-user accounting (user.c). */
struct ipo_user;

struct ipo_user *ipo_user_get(kuid_t uid);
void ipo_user_put(struct ipo_user *user);
int ipo_user_charge_obj(struct ipo_user *user);
void ipo_user_uncharge_obj(struct ipo_user *user);
int ipo_user_charge_prog(struct ipo_user *user);
void ipo_user_uncharge_prog(struct ipo_user *user);
int ipo_user_charge_jit(struct ipo_user *user, u64 bytes, u64 limit);
void ipo_user_uncharge_jit(struct ipo_user *user, u64 bytes);
struct ipo_user *ipo_user_hold(struct ipo_user *user);
void ipo_user_counts(kuid_t uid, u32 *nr_objs, u32 *nr_progs, u64 *jit);
kuid_t ipo_user_uid(const struct ipo_user *user);
void ipo_users_exit(void);

/* Objects: their memory, ids, names and lifetime (registry.c). */
struct ipo_obj {
	struct kref ref;
	/*
	 * What keeps the object alive for its users, and its name taken:
	 * the handles (each fd, and so each mapping and subscription made
	 * through one), the creator's reference until its handle exists and
	 * an OBJ_OPEN lookup's.  At 0 the name is released at once, under
	 * ipo_names_lock, even while @ref is still held by a passer-by such
	 * as IPO_LIST, which only reads.
	 */
	atomic_t live;
	u64 id;
	char name[IPO_NAME_MAX];	/* "" for an anonymous object */
	struct hlist_node name_node;
	bool published;			/* under ipo_names_lock */
	/*
	 * IPO_OBJ_PERSIST and not yet removed, under ipo_names_lock: then
	 * it holds a user (@live) and a reference of its own.
	 */
	bool persistent;
	kuid_t owner;
	kgid_t group;
	umode_t mode;
	struct ipo_user *user;		/* charged for the object */
	size_t data_size;
	size_t map_size;		/* header + data, page aligned */
	struct ipo_obj_header *hdr;	/* start of the vmalloc'd memory */
	void *data;
	/*
	 * The touch map of the undo log (undo.c), all zero while @lock is
	 * free; NULL for an object small enough to be copied instead.
	 */
	u8 *undo_map;

	/*
	 * Serialises changes: method calls, the method table, revocation.
	 * Bundles take the locks of several objects in ascending id order,
	 * and hold them while their calls run: what other users do with
	 * the object (open it, derive or close a handle, list it) must not
	 * wait for it, which is why the handle tree has its own lock.
	 */
	struct mutex lock;
	/*
	 * The handle tree and the entries of @handles: linking, releasing,
	 * revoking (inside @lock), listing.  Held only for tree work.
	 */
	struct mutex tree_lock;
	/*
	 * Under lock; NULL: none.  Also read under RCU by IPO_LIST: a
	 * replaced table is freed after a grace period.
	 */
	struct ipo_methods *methods;
	struct xarray handles;		/* revocable handles by id */
	/*
	 * Orders page faults on the mappings against revocation: a fault
	 * checks its handle and inserts its page under it (read), a
	 * revocation marks and zaps under it (write).
	 */
	struct rw_semaphore map_sem;
	spinlock_t subs_lock;
	struct list_head subs;		/* subscriptions (notify.c) */
	unsigned int nr_subs;		/* under subs_lock */
	/*
	 * The IRQ hook writing the object (irq.c), under lock; while set,
	 * methods do not run on it and bundles leave its seq alone.
	 */
	void *irq_hook;
};

/*
 * Writing an object's data under its sequence counter: readers of the
 * mapping retry while hdr->seq is odd (see "The object mapping" in the
 * uapi header), so a writer makes it odd before its first change and even
 * after its last.  One writer at a time: the holder of obj->lock, or the
 * object's IRQ hook, which owns the counter while attached.
 */
static inline void ipo_obj_write_begin(struct ipo_obj *obj)
{
	WRITE_ONCE(obj->hdr->seq, obj->hdr->seq + 1);
	smp_wmb();	/* odd seq before the data changes */
}

/* Returns the new, even, counter: what the changes are known by. */
static inline u32 ipo_obj_write_end(struct ipo_obj *obj)
{
	smp_wmb();	/* data changes before the even seq */
	WRITE_ONCE(obj->hdr->seq, obj->hdr->seq + 1);
	return obj->hdr->seq;
}

/*
 * An object's method table: method i is progs[i], described by descs[i]
 * when the owner gave descriptions (else @descs is NULL).
 */
struct ipo_methods {
	u32 nr;
	struct ipo_method_desc *descs;
	struct ipo_kprog *progs[];
};

/* ipo_handle.flags */
#define IPO_HANDLE_REVOCABLE	0x1	/* has an id: all but the creator's */
#define IPO_HANDLE_OPENED	0x2	/* by name (OBJ_OPEN), not derived */

/*
 * What an object fd's private_data points to.  Handles form a tree per
 * object: a derived handle is its parent's child, the creator's handle and
 * those opened by name are roots.  Revoking a handle revokes its subtree.
 */
struct ipo_handle {
	struct ipo_obj *obj;
	u32 rights;		/* IPO_RIGHT_* */
	u32 id;			/* 0: the creator's, not revocable */
	u64 methods;		/* bit i: may invoke method i */
	u32 flags;		/* IPO_HANDLE_* above */
	/*
	 * Written under obj->lock, obj->tree_lock and obj->map_sem: calls
	 * check it under the first, derivations under the second, page
	 * faults under the third.
	 */
	bool revoked;
	/* The tree, under obj->tree_lock. */
	bool linked;			/* in it (and in obj->handles) */
	struct ipo_handle *parent;	/* NULL: a root */
	struct list_head children;
	struct list_head sibling;	/* in parent->children */
	/* The mappings made through this handle's file. */
	struct address_space mapping;
};

struct ipo_obj *ipo_obj_alloc(const struct ipo_obj_create *cmd);
int ipo_obj_add_name(struct ipo_obj *obj);
void ipo_obj_publish(struct ipo_obj *obj, bool persist);
int ipo_obj_unpersist(const char *name);
struct ipo_obj *ipo_obj_find_name(const char *name);
void ipo_obj_unuse(struct ipo_obj *obj);
void ipo_obj_put(struct ipo_obj *obj);
struct ipo_obj *ipo_obj_get_next(unsigned long *id);
u32 ipo_obj_rights_for_caller(const struct ipo_obj *obj);
void ipo_methods_free(struct ipo_methods *m);
void ipo_objs_exit(void);

/* Handles: their files, mappings and tree (handle.c). */
extern const struct file_operations ipo_handle_fops;
struct file *ipo_handle_fget(int fd, struct ipo_handle **hp);
struct file *ipo_handle_admin_fget(int fd, struct ipo_handle **hp);
bool ipo_handle_usable(const struct ipo_handle *h);
int ipo_handle_new(struct ipo_obj *obj, u32 rights, u64 methods, u32 flags,
		   bool cloexec, struct file **filep);
int ipo_handle_link(struct ipo_handle *h, struct ipo_handle *parent);
void ipo_handle_release(struct ipo_handle *h);
void ipo_handle_revoke_tree(struct ipo_handle *root);

/* Commands on objects and their handles (object.c). */
int ipo_obj_create_ioctl(struct ipo_ucmd *ucmd);
int ipo_obj_open_ioctl(struct ipo_ucmd *ucmd);
int ipo_obj_set_methods_ioctl(struct ipo_ucmd *ucmd);
int ipo_handle_derive_ioctl(struct ipo_ucmd *ucmd);
int ipo_handle_revoke_ioctl(struct ipo_ucmd *ucmd);
int ipo_obj_remove_ioctl(struct ipo_ucmd *ucmd);
int ipo_obj_methods_ioctl(struct ipo_ucmd *ucmd);

/* Notifications (notify.c). */
int ipo_subscribe_ioctl(struct ipo_ucmd *ucmd);
void ipo_notify_commit(struct ipo_obj *obj, u64 events, u32 seq);

/*
 * Has @obj a subscriber?  The test ipo_notify_commit() starts with,
 * for a caller to make before the call (the common object has none).
 */
static inline bool ipo_notify_subscribed(struct ipo_obj *obj)
{
	return !list_empty(&obj->subs);
}
void ipo_notify_revoked(struct ipo_obj *obj);

/* Invocation (invoke.c). */
extern unsigned int ipo_max_bundle_calls;
extern unsigned int ipo_max_buf_size;
extern unsigned int ipo_max_bundle_bytes;
int ipo_invoke_ioctl(struct ipo_ucmd *ucmd);

/* Programs (prog.c). */
#include "../base/progtypes.h"
#include "../exec/jit.h"
#include "../exec/undo.h"

struct ipo_kprog {
	refcount_t ref;
	u32 id;
	u32 prog_type;			/* IPO_PROG_TYPE_* */
	char name[IPO_NAME_MAX];
	struct ipo_user *user;		/* charged for the program */
	struct ipo_insn *insns;
	struct ipo_prog prog;		/* the engine's view, verified */
	struct ipo_jit_image jit;	/* native code when jited */
	/* Where jit's code comes from: the pool, charged to @user. */
	struct ipo_jit_mem jit_mem;
	bool jited;
	u32 jit_reason;			/* IPO_JIT_*: why not, if not */
};

int ipo_prog_load_ioctl(struct ipo_ucmd *ucmd);
struct ipo_kprog *ipo_kprog_get(int fd);
void ipo_kprog_put(struct ipo_kprog *kp);
struct ipo_kprog *ipo_kprog_get_next(unsigned long *id);
void ipo_progs_exit(void);

/* Listing (list.c). */
int ipo_list_ioctl(struct ipo_ucmd *ucmd);

/*
 * Running programs (run.c).  One run, as INVOKE, PROG_TEST_RUN and the IRQ
 * hook make it: the caller fills in what the run is given, and
 * ipo_kprog_run() builds the context of the program's type and the
 * regions from it and fills in what the run came to.
 */
struct ipo_krun {
	/* In: the object's data, METHOD and IRQ alike. */
	void *obj;
	u32 obj_size;
	/* In, METHOD: the call. */
	u32 method;
	const void *arg;
	void *out;
	u32 arg_size;
	u32 out_size;
	u64 obj_id;
	u32 caller_uid;
	u32 caller_tgid;
	/* In, IRQ: the size of the register window. */
	u32 win_size;
	/* In: the budget, the helpers' state (ipo_run.priv), the executor. */
	u64 fuel;
	void *env;
	bool interp;			/* the interpreter even when jited */
	/* In: log writes to the object here (undo.c), or NULL. */
	struct ipo_undo *undo;
	struct ipo_undo_obj *undo_obj;
	/* Out. */
	u64 ret;			/* r0: 0 when aborted */
	u64 fuel_used;
	u32 abort;			/* IPO_RESULT_* */
	u32 abort_pc;			/* where it aborted, else 0 */
};

void ipo_kprog_run(const struct ipo_kprog *kp, struct ipo_krun *kr);

/*
 * Undo (undo.c): objects up to this size are copied whole before a call
 * that may fail; larger ones are logged on first touch (exec/undo.h).
 */
#define IPO_UNDO_COPY_MAX	256
void *ipo_kundo_alloc(struct ipo_undo *u);
void ipo_kundo_free(struct ipo_undo *u, void *chunk);

/*
 * An empty log for INVOKE (undo.c): its hooks.  Its cap, undo_max_bytes,
 * is ipo_kundo_alloc()'s to apply, so max_bytes stays 0 here.
 */
static inline void ipo_kundo_init(struct ipo_undo *u)
{
	*u = (struct ipo_undo){
		.alloc = ipo_kundo_alloc,
		.free = ipo_kundo_free,
	};
}
int ipo_obj_undo_alloc(struct ipo_obj *obj);
void ipo_obj_undo_free(struct ipo_obj *obj);
int ipo_run_fuel(u64 asked, u64 *fuel);
void ipo_run_caller(u32 *uid, u32 *tgid);
int ipo_prog_test_run_ioctl(struct ipo_ucmd *ucmd);

/* The IRQ hook (irq.c). */
int ipo_irq_attach_ioctl(struct ipo_ucmd *ucmd);
int ipo_irq_detach_ioctl(struct ipo_ucmd *ucmd);
int ipo_irq_stat_ioctl(struct ipo_ucmd *ucmd);
int ipo_irq_init(void);
void ipo_irq_exit(void);

/* JIT code memory (codemem.c); the pool is defined in asm there. */
extern u8 ipo_jit_pool[];
extern const struct ipo_jit_mem ipo_jit_kernel_mem;
void ipo_codemem_stats(u64 *size, u64 *used);
u64 ipo_codemem_user_share(void);
int ipo_codemem_init(void);
void ipo_codemem_exit(void);

/* The debug build's allocation and copy failures; empty otherwise. */
#include "fault.h"

#endif /* IPO_KMOD_H */
