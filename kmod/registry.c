// SPDX-License-Identifier: GPL-2.0
/*
 * The object registry: objects' memory, their ids and names, and their
 * lifetime.  An object's memory is one vmalloc'd block, the header page(s)
 * first, the data right after the header, so that userspace maps both with
 * one mmap() and methods see only the data.  Objects are used through
 * handles (handle.c) and made by the commands of object.c.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/stringhash.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>

#include "ipo.h"

/* Live objects by id, for lookups by id and for `ipo ls`. */
static DEFINE_XARRAY(ipo_objs);
static atomic64_t ipo_next_obj_id = ATOMIC64_INIT(0);

/* Named objects by name; the mutex also makes check-and-insert atomic. */
#define IPO_NAME_HASH_BITS 8
static DEFINE_HASHTABLE(ipo_names, IPO_NAME_HASH_BITS);
static DEFINE_MUTEX(ipo_names_lock);

static u32 ipo_name_hash(const char *name)
{
	return full_name_hash(NULL, name, strlen(name));
}

static struct ipo_obj *ipo_name_find(const char *name)
{
	struct ipo_obj *obj;

	hash_for_each_possible(ipo_names, obj, name_node, ipo_name_hash(name))
		if (!strcmp(obj->name, name))
			return obj;
	return NULL;
}

/* Drops a method table's programs and frees it; NULL is no table. */
void ipo_methods_free(struct ipo_methods *m)
{
	u32 i;

	if (!m)
		return;
	for (i = 0; i < m->nr; i++)
		ipo_kprog_put(m->progs[i]);
	kfree(m->descs);
	kfree(m);
}

static void ipo_obj_release(struct kref *ref)
{
	struct ipo_obj *obj = container_of(ref, struct ipo_obj, ref);

	/* Unhashed already when its last user went (ipo_obj_unuse()). */
	WARN_ON_ONCE(!hlist_unhashed(&obj->name_node));
	xa_erase(&ipo_objs, obj->id);
	ipo_methods_free(obj->methods);
	xa_destroy(&obj->handles);
	mutex_destroy(&obj->tree_lock);
	mutex_destroy(&obj->lock);
	ipo_user_uncharge_obj(obj->user);
	ipo_user_put(obj->user);
	ipo_obj_undo_free(obj);
	vfree(obj->hdr);
	kfree(obj);
}

void ipo_obj_put(struct ipo_obj *obj)
{
	kref_put(&obj->ref, ipo_obj_release);
}

/*
 * Drops a user (see ipo_obj.live) and its reference.  The last user
 * releases the name before anything else can look it up, so a name is
 * free again as soon as the last fd of its object is closed.
 */
void ipo_obj_unuse(struct ipo_obj *obj)
{
	if (atomic_dec_and_mutex_lock(&obj->live, &ipo_names_lock)) {
		if (!hlist_unhashed(&obj->name_node))
			hash_del(&obj->name_node);
		mutex_unlock(&ipo_names_lock);
	}
	ipo_obj_put(obj);
}

/*
 * A named object, with a reference and as a user (drop both with
 * ipo_obj_unuse()), or NULL.  A hashed object has users: the last one
 * unhashes it under the same lock.
 */
struct ipo_obj *ipo_obj_find_name(const char *name)
{
	struct ipo_obj *obj;

	mutex_lock(&ipo_names_lock);
	obj = ipo_name_find(name);
	if (obj && !obj->published)
		obj = NULL;
	if (obj) {
		atomic_inc(&obj->live);
		kref_get(&obj->ref);
	}
	mutex_unlock(&ipo_names_lock);
	return obj;
}

/*
 * File-like permission: the owner may have anything; others get READ and
 * NOTIFY from the 'r' bit and INVOKE from the 'w' bit of the owner, group
 * or other triplet that applies; ADMIN needs ownership or CAP_SYS_ADMIN.
 */
u32 ipo_obj_rights_for_caller(const struct ipo_obj *obj)
{
	u32 allowed = 0;
	umode_t mode;

	if (uid_eq(current_euid(), obj->owner))
		return IPO_RIGHTS_ALL;
	/* As for files: the group triplet for members, else "other". */
	mode = in_group_p(obj->group) ? obj->mode >> 3 : obj->mode;
	if (mode & 04)
		allowed |= IPO_RIGHT_READ | IPO_RIGHT_NOTIFY;
	if (mode & 02)
		allowed |= IPO_RIGHT_INVOKE;
	return allowed;
}

/*
 * A new object as OBJ_CREATE's @cmd describes it, charged to its creator,
 * with one user, the creator's until its handle exists (see ipo_obj.live),
 * and its id reserved: nobody finds it, by name or id, before
 * ipo_obj_add_name() and ipo_obj_publish().  An ERR_PTR when it cannot be
 * had.
 */
struct ipo_obj *ipo_obj_alloc(const struct ipo_obj_create *cmd)
{
	struct ipo_obj *obj;
	size_t map_size;
	int ret;

	map_size = PAGE_ALIGN(sizeof(struct ipo_obj_header) + cmd->data_size);
	obj = kzalloc(sizeof(*obj), GFP_KERNEL_ACCOUNT);
	if (!obj)
		return ERR_PTR(-ENOMEM);
	kref_init(&obj->ref);
	atomic_set(&obj->live, 1);	/* the creator's, until its handle */
	mutex_init(&obj->lock);
	mutex_init(&obj->tree_lock);
	init_rwsem(&obj->map_sem);
	spin_lock_init(&obj->subs_lock);
	INIT_LIST_HEAD(&obj->subs);
	xa_init_flags(&obj->handles, XA_FLAGS_ALLOC1);
	strscpy(obj->name, cmd->name, sizeof(obj->name));
	obj->owner = current_euid();
	obj->group = current_egid();
	obj->mode = cmd->mode ? cmd->mode : 0600;
	obj->data_size = cmd->data_size;
	obj->map_size = map_size;

	obj->user = ipo_user_get(obj->owner);
	if (IS_ERR(obj->user)) {
		ret = PTR_ERR(obj->user);
		goto err_free;
	}
	ret = ipo_user_charge_obj(obj->user);
	if (ret)
		goto err_put_user;

	/* The size is the user's: fail quietly, the caller gets ENOMEM. */
	obj->hdr = __vmalloc(map_size, GFP_KERNEL_ACCOUNT | __GFP_ZERO |
				       __GFP_NOWARN);
	if (!obj->hdr) {
		ret = -ENOMEM;
		goto err_uncharge;
	}
	obj->data = obj->hdr + 1;
	ret = ipo_obj_undo_alloc(obj);
	if (ret)
		goto err_vfree;
	obj->id = atomic64_inc_return(&ipo_next_obj_id);
	obj->hdr->version = 1;
	obj->hdr->obj_id = obj->id;
	obj->hdr->data_size = obj->data_size;
	obj->hdr->data_off = sizeof(struct ipo_obj_header);

	/* Reserved: listed only once published (ipo_obj_publish()). */
	ret = xa_reserve(&ipo_objs, obj->id, GFP_KERNEL_ACCOUNT);
	if (ret)
		goto err_vfree;
	return obj;

err_vfree:
	ipo_obj_undo_free(obj);
	vfree(obj->hdr);
err_uncharge:
	ipo_user_uncharge_obj(obj->user);
err_put_user:
	ipo_user_put(obj->user);
err_free:
	kfree(obj);
	return ERR_PTR(ret);
}

/*
 * Takes the name; fails if a live object has it already.  Until the object
 * is published, OBJ_OPEN does not find it by that name (ENOENT), while a
 * creation of the same name fails with EEXIST.
 */
int ipo_obj_add_name(struct ipo_obj *obj)
{
	int ret = 0;

	if (!obj->name[0])
		return 0;
	mutex_lock(&ipo_names_lock);
	if (ipo_name_find(obj->name))
		ret = -EEXIST;
	else
		hash_add(ipo_names, &obj->name_node, ipo_name_hash(obj->name));
	mutex_unlock(&ipo_names_lock);
	return ret;
}

/*
 * Makes a new object visible to others: OBJ_OPEN by name and IPO_LIST.
 * Nothing that can fail comes after it.  A @persist object takes a user
 * and a reference of its own here, last, so no earlier error path has to
 * give them back; the creator's handle holds one of each meanwhile.
 */
void ipo_obj_publish(struct ipo_obj *obj, bool persist)
{
	mutex_lock(&ipo_names_lock);
	obj->published = true;
	if (persist) {
		obj->persistent = true;
		atomic_inc(&obj->live);
		kref_get(&obj->ref);
	}
	mutex_unlock(&ipo_names_lock);
	/* Into its reserved slot: no allocation, no error. */
	xa_store(&ipo_objs, obj->id, obj, GFP_KERNEL_ACCOUNT);
}

/*
 * Ends the persistence of the named object (OBJ_REMOVE): drops the user
 * and the reference it held.  The test and the clearing are one step
 * under ipo_names_lock, so two removals race to one winner, and an
 * OBJ_OPEN either took its own user before (and keeps the object) or
 * finds the name gone with the last user.  Only the owner or
 * CAP_SYS_ADMIN may: those who may open it with ADMIN.
 */
int ipo_obj_unpersist(const char *name)
{
	struct ipo_obj *obj;
	int ret = 0;

	mutex_lock(&ipo_names_lock);
	obj = ipo_name_find(name);
	if (!obj || !obj->published)
		ret = -ENOENT;
	else if (!uid_eq(current_euid(), obj->owner) &&
		 !capable(CAP_SYS_ADMIN))
		ret = -EPERM;
	else if (!obj->persistent)
		ret = -EINVAL;
	else
		obj->persistent = false;
	mutex_unlock(&ipo_names_lock);
	if (!ret)
		ipo_obj_unuse(obj);
	return ret;
}

/*
 * The live object with the smallest id >= *id, with a reference; *id is
 * set to its id.  NULL when there is none.
 */
struct ipo_obj *ipo_obj_get_next(unsigned long *id)
{
	struct ipo_obj *obj;

	xa_lock(&ipo_objs);
	for (;;) {
		obj = xa_find(&ipo_objs, id, ULONG_MAX, XA_PRESENT);
		/* One being released is skipped, as if already gone. */
		if (!obj || kref_get_unless_zero(&obj->ref))
			break;
		(*id)++;
	}
	xa_unlock(&ipo_objs);
	return obj;
}

/*
 * At unload no fd of the module is open (each holds the module), so what
 * is left are persistent objects held by nothing but their persistence:
 * they are freed, each with a line in the log.
 */
void ipo_objs_exit(void)
{
	struct ipo_obj *obj;
	unsigned long id;

	xa_for_each(&ipo_objs, id, obj) {
		bool persistent;

		mutex_lock(&ipo_names_lock);
		persistent = obj->persistent;
		obj->persistent = false;
		mutex_unlock(&ipo_names_lock);
		if (!persistent)
			continue;
		pr_info("ipo: unload frees persistent object %llu '%s' of uid %u\n",
			obj->id, obj->name, __kuid_val(obj->owner));
		ipo_obj_unuse(obj);
	}
	if (!xa_empty(&ipo_objs))
		pr_err("ipo: objects still live at unload\n");
	xa_destroy(&ipo_objs);
}
