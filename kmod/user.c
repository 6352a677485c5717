// SPDX-License-Identifier: GPL-2.0
/*
 * Per-user accounting: how many objects and programs each user owns,
 * against the max_objs_per_user and max_progs_per_user limits, and how
 * much of the JIT's code pool its programs use, against jit_user_share.
 * Memory itself is charged to the creator's memory cgroup by allocating
 * with GFP_KERNEL_ACCOUNT; this file only counts things.
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
	atomic_t nr_progs;
	atomic64_t jit_bytes;		/* of the JIT pool, in whole chunks */
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

/* Counts one more against @limit; the limit may have been lowered. */
static int ipo_user_charge(atomic_t *count, unsigned int limit)
{
	if (!atomic_add_unless(count, 1, limit))
		return -EMFILE;
	if (atomic_read(count) > limit) {
		atomic_dec(count);
		return -EMFILE;
	}
	return 0;
}

int ipo_user_charge_obj(struct ipo_user *user)
{
	return ipo_user_charge(&user->nr_objs,
			       READ_ONCE(ipo_max_objs_per_user));
}

void ipo_user_uncharge_obj(struct ipo_user *user)
{
	atomic_dec(&user->nr_objs);
}

int ipo_user_charge_prog(struct ipo_user *user)
{
	return ipo_user_charge(&user->nr_progs,
			       READ_ONCE(ipo_max_progs_per_user));
}

void ipo_user_uncharge_prog(struct ipo_user *user)
{
	atomic_dec(&user->nr_progs);
}

/*
 * Charges @bytes of JIT code against @limit (0: no limit).  -EDQUOT when
 * the user's share would be exceeded; the limit may have been lowered.
 */
int ipo_user_charge_jit(struct ipo_user *user, u64 bytes, u64 limit)
{
	s64 now = atomic64_add_return(bytes, &user->jit_bytes);

	if (limit && now > limit) {
		atomic64_sub(bytes, &user->jit_bytes);
		return -EDQUOT;
	}
	return 0;
}

void ipo_user_uncharge_jit(struct ipo_user *user, u64 bytes)
{
	atomic64_sub(bytes, &user->jit_bytes);
}

/* Another reference to a user the caller holds one of. */
struct ipo_user *ipo_user_hold(struct ipo_user *user)
{
	refcount_inc(&user->ref);
	return user;
}

void ipo_user_counts(kuid_t uid, u32 *nr_objs, u32 *nr_progs, u64 *jit)
{
	struct ipo_user *user;

	*nr_objs = 0;
	*nr_progs = 0;
	*jit = 0;
	spin_lock(&ipo_users_lock);
	user = ipo_user_find(uid);
	if (user) {
		*nr_objs = atomic_read(&user->nr_objs);
		*nr_progs = atomic_read(&user->nr_progs);
		*jit = atomic64_read(&user->jit_bytes);
	}
	spin_unlock(&ipo_users_lock);
}

kuid_t ipo_user_uid(const struct ipo_user *user)
{
	return user->uid;
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
