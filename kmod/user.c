// SPDX-License-Identifier: GPL-2.0
/*
 * Per-user accounting: how many objects each user owns, against the
 * max_objs_per_user limit.  Memory itself is charged to the creator's
 * memory cgroup by allocating with GFP_KERNEL_ACCOUNT; this file only
 * counts things.
 */
#include <linux/hashtable.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/refcount.h>
#include <linux/atomic.h>
#include <linux/cred.h>

#include "ipo.h"

struct ipo_user {
	struct hlist_node node;
	kuid_t uid;
	refcount_t ref;
	atomic_t nr_objs;
};

#define IPO_USER_HASH_BITS 6
static DEFINE_HASHTABLE(ipo_users, IPO_USER_HASH_BITS);
static DEFINE_SPINLOCK(ipo_users_lock);

static struct ipo_user *ipo_user_find(kuid_t uid)
{
	struct ipo_user *user;

	hash_for_each_possible(ipo_users, user, node, __kuid_val(uid))
		if (uid_eq(user->uid, uid))
			return user;
	return NULL;
}

struct ipo_user *ipo_user_get(kuid_t uid)
{
	struct ipo_user *user, *fresh;

	spin_lock(&ipo_users_lock);
	user = ipo_user_find(uid);
	if (user)
		refcount_inc(&user->ref);
	spin_unlock(&ipo_users_lock);
	if (user)
		return user;

	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL_ACCOUNT);
	if (!fresh)
		return ERR_PTR(-ENOMEM);
	fresh->uid = uid;
	refcount_set(&fresh->ref, 1);

	spin_lock(&ipo_users_lock);
	user = ipo_user_find(uid);
	if (user) {
		refcount_inc(&user->ref);
	} else {
		hash_add(ipo_users, &fresh->node, __kuid_val(uid));
		user = fresh;
		fresh = NULL;
	}
	spin_unlock(&ipo_users_lock);
	kfree(fresh);
	return user;
}

void ipo_user_put(struct ipo_user *user)
{
	if (!refcount_dec_and_lock(&user->ref, &ipo_users_lock))
		return;
	hash_del(&user->node);
	spin_unlock(&ipo_users_lock);
	kfree(user);
}

int ipo_user_charge_obj(struct ipo_user *user)
{
	unsigned int limit = READ_ONCE(ipo_max_objs_per_user);

	if (!atomic_add_unless(&user->nr_objs, 1, limit))
		return -EMFILE;
	/* The limit may have been lowered below the count meanwhile. */
	if (atomic_read(&user->nr_objs) > limit) {
		atomic_dec(&user->nr_objs);
		return -EMFILE;
	}
	return 0;
}

void ipo_user_uncharge_obj(struct ipo_user *user)
{
	atomic_dec(&user->nr_objs);
}

unsigned int ipo_user_nr_objs(kuid_t uid)
{
	struct ipo_user *user;
	unsigned int n = 0;

	spin_lock(&ipo_users_lock);
	user = ipo_user_find(uid);
	if (user)
		n = atomic_read(&user->nr_objs);
	spin_unlock(&ipo_users_lock);
	return n;
}

void ipo_users_exit(void)
{
	struct ipo_user *user;
	struct hlist_node *tmp;
	int bkt;

	/* Users are freed with their last object; this only reports a bug. */
	hash_for_each_safe(ipo_users, bkt, tmp, user, node) {
		pr_err("ipo: user %u still accounted at unload\n",
		       __kuid_val(user->uid));
		hash_del(&user->node);
		kfree(user);
	}
}
