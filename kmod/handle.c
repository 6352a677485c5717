// SPDX-License-Identifier: GPL-2.0
/*
 * Handles: object fds carrying rights.  Deriving narrower handles,
 * revoking them, opening named objects under file-like permission checks,
 * and attaching the method table (the ADMIN right).
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include "ipo.h"

/* The handle behind an object fd, with the file's reference, or ERR_PTR. */
struct file *ipo_handle_fget(int fd, struct ipo_handle **hp)
{
	struct file *file = fget(fd);

	if (!file)
		return ERR_PTR(-EBADF);
	if (file->f_op != &ipo_handle_fops) {
		fput(file);
		return ERR_PTR(-EINVAL);
	}
	*hp = file->private_data;
	return file;
}

/*
 * Not revoked.  Read without the object lock this is only a hint for
 * cheap early failures; what counts is the check under obj->lock (calls),
 * obj->tree_lock (derivation) or obj->map_sem (page faults).
 */
bool ipo_handle_usable(const struct ipo_handle *h)
{
	return !READ_ONCE(h->revoked);
}

/*
 * A new handle of @obj (which gets a reference of its own) in a new file
 * and a reserved fd, not yet linked into the object's handle tree: the
 * caller responds with ipo_fd_respond(), links it with ipo_handle_link()
 * and installs the fd.  A revocable handle's id is reserved here, so the
 * response can carry it.  Returns the fd or -errno.
 *
 * The file gets an address_space of its own (the handle's), so that the
 * mappings made through this handle, and only those, can be zapped when
 * it is revoked.  Its host is the anon inode, as before.
 */
int ipo_handle_new(struct ipo_obj *obj, u32 rights, u64 methods, u32 flags,
		   bool cloexec, struct file **filep)
{
	struct ipo_handle *h;
	struct file *file;
	int fd, ret;

	h = kzalloc(sizeof(*h), GFP_KERNEL_ACCOUNT);
	if (!h)
		return -ENOMEM;
	h->obj = obj;
	h->rights = rights;
	h->methods = methods;
	h->flags = flags;
	INIT_LIST_HEAD(&h->children);
	INIT_LIST_HEAD(&h->sibling);
	atomic_inc(&obj->live);
	kref_get(&obj->ref);
	if (flags & IPO_HANDLE_REVOCABLE) {
		/* Reserved: found by nobody until ipo_handle_link(). */
		ret = xa_alloc(&obj->handles, &h->id, NULL, xa_limit_31b,
			       GFP_KERNEL_ACCOUNT);
		if (ret)
			goto err_free;
	}

	fd = ipo_fd_prepare("[ipo-obj]", &ipo_handle_fops, h, cloexec, &file);
	if (fd < 0) {
		ret = fd;
		goto err_free;
	}
	address_space_init_once(&h->mapping);
	h->mapping.host = file_inode(file);
	h->mapping.a_ops = file_inode(file)->i_mapping->a_ops;
	mapping_set_gfp_mask(&h->mapping, GFP_KERNEL);
	file->f_mapping = &h->mapping;
	*filep = file;
	return fd;

err_free:
	ipo_handle_release(h);
	return ret;
}

/*
 * Makes a new handle visible, as a child of @parent (NULL: a root, the
 * creator's or one opened by name).  Fails with EPERM when @parent was
 * revoked meanwhile: under obj->tree_lock a derivation is either before a
 * revocation of its parent (and then revoked with it) or after it (and
 * then refused).  Not obj->lock: that waits for the calls under way.
 */
int ipo_handle_link(struct ipo_handle *h, struct ipo_handle *parent)
{
	struct ipo_obj *obj = h->obj;
	int ret = 0;

	mutex_lock(&obj->tree_lock);
	if (parent && parent->revoked) {
		ret = -EPERM;
	} else {
		if (h->id)	/* a reserved slot: no allocation, no error */
			xa_store(&obj->handles, h->id, h, GFP_KERNEL_ACCOUNT);
		h->parent = parent;
		if (parent)
			list_add_tail(&h->sibling, &parent->children);
		h->linked = true;
	}
	mutex_unlock(&obj->tree_lock);
	return ret;
}

/*
 * The last close of a handle's file.  Its children are handed to its
 * parent, so that revoking an ancestor still reaches everything derived
 * from it through handles that are gone.
 */
void ipo_handle_release(struct ipo_handle *h)
{
	struct ipo_obj *obj = h->obj;
	struct ipo_handle *c, *tmp;

	if (h->linked) {
		mutex_lock(&obj->tree_lock);
		list_for_each_entry_safe(c, tmp, &h->children, sibling) {
			c->parent = h->parent;
			if (h->parent)
				list_move_tail(&c->sibling,
					       &h->parent->children);
			else
				list_del_init(&c->sibling);
		}
		list_del(&h->sibling);
		if (h->id)
			xa_erase(&obj->handles, h->id);
		mutex_unlock(&obj->tree_lock);
	} else if (h->id) {
		xa_erase(&obj->handles, h->id);	/* the reservation */
	}
	ipo_obj_unuse(obj);
	kfree(h);
}

/*
 * Revokes @root and every handle derived from it, under obj->lock (calls)
 * and obj->tree_lock (the tree, derivations), and
 * zaps the mappings made through any of them.  A revoked handle's
 * descendants are revoked already (nothing is derived from a revoked
 * handle, and a revocation takes the whole subtree), so the walk skips
 * them.  Page faults check the flag under obj->map_sem, which is held
 * here: a fault either inserts its page before the zap below removes it,
 * or sees the flag and fails with SIGBUS.
 */
static void ipo_handle_revoke_tree(struct ipo_handle *root)
{
	struct ipo_obj *obj = root->obj;
	struct ipo_handle *h = root;

	lockdep_assert_held(&obj->lock);
	lockdep_assert_held(&obj->tree_lock);
	if (root->revoked)
		return;
	down_write(&obj->map_sem);
	for (;;) {
		bool was = h->revoked;

		if (!was) {
			WRITE_ONCE(h->revoked, true);
			unmap_mapping_range(&h->mapping, 0, 0, 1);
			cond_resched();
		}
		if (!was && !list_empty(&h->children)) {
			h = list_first_entry(&h->children, struct ipo_handle,
					     sibling);
			continue;
		}
		/* Up to the nearest ancestor with a next sibling. */
		while (h != root &&
		       list_is_last(&h->sibling, &h->parent->children))
			h = h->parent;
		if (h == root)
			break;
		h = list_next_entry(h, sibling);
	}
	up_write(&obj->map_sem);
}

int ipo_handle_derive(struct ipo_ucmd *ucmd)
{
	struct ipo_handle_derive *cmd = ucmd->cmd;
	struct ipo_handle *parent, *h;
	struct file *pfile, *file;
	int fd, ret;

	if (cmd->flags & ~IPO_HANDLE_FLAGS || cmd->rights & ~IPO_RIGHTS_ALL)
		return -EINVAL;
	pfile = ipo_handle_fget(cmd->obj_fd, &parent);
	if (IS_ERR(pfile))
		return PTR_ERR(pfile);
	ret = -EPERM;
	if (!ipo_handle_usable(parent) || cmd->rights & ~parent->rights ||
	    cmd->methods & ~parent->methods)
		goto out;
	fd = ipo_handle_new(parent->obj, cmd->rights, cmd->methods,
			    IPO_HANDLE_REVOCABLE,
			    cmd->flags & IPO_HANDLE_CLOEXEC, &file);
	if (fd < 0) {
		ret = fd;
		goto out;
	}
	h = file->private_data;
	cmd->out_fd = fd;
	cmd->handle_id = h->id;
	ret = ipo_fd_respond(ucmd, sizeof(*cmd), fd, file);
	if (ret)
		goto out;
	/* The parent's file is held, so the parent is too. */
	ret = ipo_handle_link(h, parent);
	if (ret) {
		ipo_fd_abort(fd, file);
		goto out;
	}
	fd_install(fd, file);
out:
	fput(pfile);
	return ret;
}

/* The file of an ADMIN handle, or ERR_PTR. */
static struct file *ipo_admin_fget(int fd, struct ipo_handle **hp)
{
	struct file *file = ipo_handle_fget(fd, hp);

	if (IS_ERR(file))
		return file;
	if (!((*hp)->rights & IPO_RIGHT_ADMIN)) {
		fput(file);
		return ERR_PTR(-EPERM);
	}
	return file;
}

int ipo_handle_revoke(struct ipo_ucmd *ucmd)
{
	struct ipo_handle_revoke *cmd = ucmd->cmd;
	struct ipo_handle *admin, *h;
	struct ipo_obj *obj;
	unsigned long id;
	struct file *file;
	int ret = 0;

	if (cmd->flags & ~IPO_REVOKE_FLAGS)
		return -EINVAL;
	if ((cmd->flags & IPO_REVOKE_ALL) && cmd->handle_id)
		return -EINVAL;
	file = ipo_admin_fget(cmd->obj_fd, &admin);
	if (IS_ERR(file))
		return PTR_ERR(file);
	obj = admin->obj;

	/*
	 * Under obj->lock: a call that holds the object finishes first, any
	 * later one sees the flag; under obj->tree_lock a derivation links
	 * its handle before (and is revoked here) or after (and is refused).
	 * Waiting for the calls is killable: a bundle may run for long.
	 */
	if (mutex_lock_killable(&obj->lock)) {
		fput(file);
		return -EINTR;
	}
	mutex_lock(&obj->tree_lock);
	if (admin->revoked) {
		ret = -EPERM;
	} else if (cmd->flags & IPO_REVOKE_ALL) {
		xa_for_each(&obj->handles, id, h)
			ipo_handle_revoke_tree(h);
	} else {
		h = xa_load(&obj->handles, cmd->handle_id);
		if (h)
			ipo_handle_revoke_tree(h);
		else
			ret = -ENOENT;
	}
	mutex_unlock(&obj->tree_lock);
	mutex_unlock(&obj->lock);
	if (!ret)
		ipo_notify_revoked(obj);
	fput(file);
	return ret;
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

static bool ipo_may_open(const struct ipo_obj *obj, u32 rights)
{
	if (!(rights & ~ipo_obj_rights_for_caller(obj)))
		return true;
	return capable(CAP_SYS_ADMIN);
}

int ipo_obj_open(struct ipo_ucmd *ucmd)
{
	struct ipo_obj_open *cmd = ucmd->cmd;
	struct ipo_handle *h;
	struct ipo_obj *obj;
	struct file *file;
	int fd, ret;

	if (cmd->flags & ~IPO_HANDLE_FLAGS || cmd->__reserved ||
	    !cmd->rights || cmd->rights & ~IPO_RIGHTS_ALL)
		return -EINVAL;
	ret = ipo_name_check(cmd->name);
	if (ret)
		return ret;
	if (!cmd->name[0])
		return -EINVAL;
	obj = ipo_obj_find_name(cmd->name);
	if (!obj)
		return -ENOENT;
	if (!ipo_may_open(obj, cmd->rights)) {
		ipo_obj_unuse(obj);
		return -EACCES;
	}
	fd = ipo_handle_new(obj, cmd->rights, ~0ULL,
			    IPO_HANDLE_REVOCABLE | IPO_HANDLE_OPENED,
			    cmd->flags & IPO_HANDLE_CLOEXEC, &file);
	ipo_obj_unuse(obj);
	if (fd < 0)
		return fd;
	h = file->private_data;
	cmd->out_fd = fd;
	cmd->obj_id = obj->id;
	cmd->handle_id = h->id;
	ret = ipo_fd_respond(ucmd, sizeof(*cmd), fd, file);
	if (ret)
		return ret;
	ipo_handle_link(h, NULL);	/* no parent: cannot fail */
	fd_install(fd, file);
	return 0;
}

void ipo_methods_free(struct ipo_methods *m)
{
	u32 i;

	if (!m)
		return;
	for (i = 0; i < m->nr; i++)
		ipo_kprog_put(m->progs[i]);
	kfree(m);
}

int ipo_obj_set_methods(struct ipo_ucmd *ucmd)
{
	struct ipo_obj_set_methods *cmd = ucmd->cmd;
	s32 __user *ufds = u64_to_user_ptr(cmd->prog_fds);
	struct ipo_methods *m = NULL, *old;
	struct ipo_handle *admin;
	struct file *file;
	u32 i;
	int ret = 0;

	if (cmd->flags || cmd->nr_methods > IPO_MAX_METHODS)
		return -EINVAL;
	if (cmd->nr_methods) {
		m = kzalloc(struct_size(m, progs, cmd->nr_methods),
			    GFP_KERNEL_ACCOUNT);
		if (!m)
			return -ENOMEM;
		for (i = 0; i < cmd->nr_methods; i++) {
			struct ipo_kprog *kp;
			s32 fd;

			if (get_user(fd, ufds + i)) {
				ret = -EFAULT;
				goto out_free;
			}
			kp = ipo_kprog_get(fd);
			if (IS_ERR(kp)) {
				ret = PTR_ERR(kp);
				goto out_free;
			}
			m->progs[m->nr++] = kp;
			if (kp->prog_type != IPO_PROG_TYPE_METHOD) {
				ret = -EINVAL;
				goto out_free;
			}
		}
	}

	file = ipo_admin_fget(cmd->obj_fd, &admin);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		goto out_free;
	}
	if (mutex_lock_killable(&admin->obj->lock)) {
		fput(file);
		ret = -EINTR;
		goto out_free;
	}
	if (admin->revoked) {
		ret = -EPERM;
		old = m;
	} else {
		old = admin->obj->methods;
		rcu_assign_pointer(admin->obj->methods, m);
	}
	mutex_unlock(&admin->obj->lock);
	fput(file);
	m = old;
	/* IPO_LIST reads the table under RCU, without the lock. */
	if (!ret && m)
		synchronize_rcu();
out_free:
	ipo_methods_free(m);
	return ret;
}
