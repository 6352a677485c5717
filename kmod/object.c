// SPDX-License-Identifier: GPL-2.0
/*
 * Commands on objects and their handles: OBJ_CREATE, OBJ_OPEN (a named
 * object, under file-like permission checks), OBJ_SET_METHODS (the ADMIN
 * right), HANDLE_DERIVE and HANDLE_REVOKE.  Each makes what it hands out
 * visible only once nothing can fail any more (see fd.c).
 */
#include <linux/capability.h>
#include <linux/file.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include "ipo.h"

int ipo_obj_create_ioctl(struct ipo_ucmd *ucmd)
{
	struct ipo_obj_create *cmd = ucmd->cmd;
	struct ipo_obj *obj;
	struct file *file;
	int fd, ret;

	if (cmd->flags & ~IPO_OBJ_CREATE_FLAGS)
		return -EINVAL;
	if (cmd->mode & ~0777)
		return -EINVAL;
	if (!cmd->data_size)
		return -EINVAL;
	if (cmd->data_size > ipo_obj_size_limit())
		return -EFBIG;
	ret = ipo_name_check(cmd->name);
	if (ret)
		return ret;
	/* Persistent objects are found by name only. */
	if (cmd->flags & IPO_OBJ_PERSIST && !cmd->name[0])
		return -EINVAL;

	obj = ipo_obj_alloc(cmd);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	ret = ipo_obj_add_name(obj);
	if (ret) {
		obj->name[0] = '\0';
		ipo_obj_put(obj);
		return ret;
	}

	/* The creator's handle: every right, every method, not revocable. */
	fd = ipo_handle_new(obj, IPO_RIGHTS_ALL, ~0ULL, 0,
			    cmd->flags & IPO_OBJ_CLOEXEC, &file);
	/* The handle took its own reference, or failed. */
	ipo_obj_unuse(obj);
	if (fd < 0)
		return fd;
	cmd->out_fd = fd;
	cmd->obj_id = obj->id;
	ret = ipo_fd_respond(ucmd, sizeof(*cmd), fd, file);
	if (ret)
		return ret;
	ipo_handle_link(file->private_data, NULL);	/* cannot fail */
	ipo_obj_publish(obj, cmd->flags & IPO_OBJ_PERSIST);
	fd_install(fd, file);
	return 0;
}

static bool ipo_may_open(const struct ipo_obj *obj, u32 rights)
{
	if (!(rights & ~ipo_obj_rights_for_caller(obj)))
		return true;
	return capable(CAP_SYS_ADMIN);
}

int ipo_obj_open_ioctl(struct ipo_ucmd *ucmd)
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

int ipo_obj_set_methods_ioctl(struct ipo_ucmd *ucmd)
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

	file = ipo_handle_admin_fget(cmd->obj_fd, &admin);
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

int ipo_handle_derive_ioctl(struct ipo_ucmd *ucmd)
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

int ipo_handle_revoke_ioctl(struct ipo_ucmd *ucmd)
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
	file = ipo_handle_admin_fget(cmd->obj_fd, &admin);
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

int ipo_obj_remove_ioctl(struct ipo_ucmd *ucmd)
{
	struct ipo_obj_remove *cmd = ucmd->cmd;
	int ret;

	if (cmd->flags)
		return -EINVAL;
	ret = ipo_name_check(cmd->name);
	if (ret)
		return ret;
	if (!cmd->name[0])
		return -EINVAL;
	return ipo_obj_unpersist(cmd->name);
}
