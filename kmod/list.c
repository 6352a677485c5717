// SPDX-License-Identifier: GPL-2.0
/*
 * IPO_LIST: what `ipo ls` shows.  Entries are filled one at a time, each
 * from a referenced object or program, so no lock is held across the copy
 * to userspace.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/rcupdate.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include "ipo.h"

#define IPO_LIST_MAX	4096

static bool ipo_obj_visible(const struct ipo_obj *obj, bool admin)
{
	if (admin || uid_eq(current_euid(), obj->owner))
		return true;
	return obj->name[0] && ipo_obj_rights_for_caller(obj);
}

/*
 * Takes no object lock: a bundle holds its objects' locks for as long as
 * its calls run (up to max_bundle_calls times the largest fuel), and a
 * listing, of other users' objects too, must not wait for it in
 * uninterruptible sleep.  The method table is read under RCU
 * (ipo_obj_set_methods_ioctl() frees a replaced one after a grace period).
 */
static void ipo_obj_entry_fill(struct ipo_obj *obj, struct ipo_obj_entry *e)
{
	const struct ipo_methods *m;
	unsigned long id;
	void *h;
	u32 i;

	memset(e, 0, sizeof(*e));
	e->id = obj->id;
	e->data_size = obj->data_size;
	e->owner = from_kuid_munged(current_user_ns(), obj->owner);
	e->group = from_kgid_munged(current_user_ns(), obj->group);
	e->mode = obj->mode;
	e->seq = READ_ONCE(obj->hdr->seq);
	/* A racy snapshot, as the rest of the entry. */
	if (data_race(obj->persistent))
		e->flags |= IPO_OBJ_ENTRY_PERSIST;
	strscpy(e->name, obj->name, sizeof(e->name));
	rcu_read_lock();
	m = rcu_dereference(obj->methods);
	if (m) {
		e->nr_methods = m->nr;
		for (i = 0; i < m->nr && i < ARRAY_SIZE(e->methods); i++)
			e->methods[i] = m->progs[i]->id;
		for (; i < m->nr && i < IPO_MAX_METHODS; i++)
			e->methods_more[i - ARRAY_SIZE(e->methods)] =
				m->progs[i]->id;
	}
	rcu_read_unlock();
	xa_lock(&obj->handles);
	xa_for_each(&obj->handles, id, h)
		e->nr_handles++;
	xa_unlock(&obj->handles);
}

static void ipo_prog_entry_fill(struct ipo_kprog *kp,
				struct ipo_prog_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->id = kp->id;
	e->prog_type = kp->prog_type;
	e->insn_cnt = kp->prog.len;
	e->owner = from_kuid_munged(current_user_ns(), ipo_user_uid(kp->user));
	if (kp->jited) {
		e->flags |= IPO_PROG_ENTRY_JITED;
		e->jit_size = kp->jit.size;
	}
	e->jit_reason = kp->jit_reason;
	strscpy(e->name, kp->name, sizeof(e->name));
}

/*
 * The revocable handle of @obj with the smallest id >= *id, as an entry;
 * false when there is none.  Read under obj->tree_lock, which keeps the
 * tree (and, unlike obj->lock, is not held while calls run).
 */
static bool ipo_handle_entry_next(struct ipo_obj *obj, unsigned long *id,
				  struct ipo_handle_entry *e)
{
	struct ipo_handle *h;

	mutex_lock(&obj->tree_lock);
	h = xa_find(&obj->handles, id, U32_MAX, XA_PRESENT);
	if (h) {
		memset(e, 0, sizeof(*e));
		e->id = h->id;
		e->parent_id = h->parent ? h->parent->id : 0;
		e->rights = h->rights;
		e->methods = h->methods;
		if (h->revoked)
			e->flags |= IPO_HANDLE_ENTRY_REVOKED;
		if (h->flags & IPO_HANDLE_OPENED)
			e->flags |= IPO_HANDLE_ENTRY_OPENED;
	}
	mutex_unlock(&obj->tree_lock);
	return h;
}

int ipo_list_ioctl(struct ipo_ucmd *ucmd)
{
	struct ipo_list *cmd = ucmd->cmd;
	u8 __user *out = u64_to_user_ptr(cmd->entries);
	bool admin = has_capability_noaudit(current, CAP_SYS_ADMIN);
	unsigned long id = cmd->start_id;
	union {
		struct ipo_obj_entry obj;
		struct ipo_prog_entry prog;
		struct ipo_handle_entry handle;
	} e;
	struct ipo_handle *ah = NULL;
	struct file *afile = NULL;
	size_t first, known, len;
	int ret = 0;
	u32 n = 0;

	if (cmd->flags || cmd->__reserved)
		return -EINVAL;
	switch (cmd->kind) {
	case IPO_LIST_OBJS:
		first = offsetofend(struct ipo_obj_entry, name);
		known = sizeof(struct ipo_obj_entry);
		break;
	case IPO_LIST_PROGS:
		first = sizeof(struct ipo_prog_entry);
		known = first;
		break;
	case IPO_LIST_HANDLES:
		first = sizeof(struct ipo_handle_entry);
		known = first;
		break;
	default:
		return -EINVAL;
	}
	if (cmd->kind != IPO_LIST_HANDLES && cmd->obj_fd)
		return -EINVAL;
	if (cmd->entry_size < first || cmd->entry_size > PAGE_SIZE ||
	    !cmd->max_entries || cmd->max_entries > IPO_LIST_MAX)
		return -EINVAL;
	if (cmd->start_id != (unsigned long)cmd->start_id ||
	    (cmd->kind == IPO_LIST_HANDLES && cmd->start_id > U32_MAX))
		return -EINVAL;
	/* An entry is written up to what both sides know; no more. */
	len = min_t(size_t, cmd->entry_size, known);

	if (cmd->kind == IPO_LIST_HANDLES) {
		afile = ipo_handle_admin_fget(cmd->obj_fd, &ah);
		if (IS_ERR(afile))
			return PTR_ERR(afile);
		if (!ipo_handle_usable(ah)) {
			ret = -EPERM;
			goto out;
		}
	}

	cmd->next_id = 0;
	while (n < cmd->max_entries) {
		if (cmd->kind == IPO_LIST_HANDLES) {
			if (!ipo_handle_entry_next(ah->obj, &id,
						   &e.handle))
				break;
		} else if (cmd->kind == IPO_LIST_OBJS) {
			struct ipo_obj *obj = ipo_obj_get_next(&id);

			if (!obj)
				break;
			if (!ipo_obj_visible(obj, admin)) {
				ipo_obj_put(obj);
				id++;
				continue;
			}
			ipo_obj_entry_fill(obj, &e.obj);
			ipo_obj_put(obj);
		} else {
			struct ipo_kprog *kp = ipo_kprog_get_next(&id);
			bool mine;

			if (!kp)
				break;
			mine = admin ||
			       uid_eq(current_euid(), ipo_user_uid(kp->user));
			if (mine)
				ipo_prog_entry_fill(kp, &e.prog);
			ipo_kprog_put(kp);
			if (!mine) {
				id++;
				continue;
			}
		}
		if (copy_to_user(out + (size_t)n * cmd->entry_size, &e, len)) {
			ret = -EFAULT;
			goto out;
		}
		n++;
		id++;
	}
	cmd->nr_entries = n;
	/* More may follow if the room ran out; the caller asks again. */
	if (n == cmd->max_entries)
		cmd->next_id = id;
	ret = ipo_ucmd_respond(ucmd, sizeof(*cmd));
out:
	if (afile)
		fput(afile);
	return ret;
}
