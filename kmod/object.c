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

/*
 * The owner's descriptions of the methods into @m->descs: each read with
 * the size rules of a command struct, each name well formed, the names
 * given distinct (an empty one is the program's name, filled in by
 * OBJ_METHODS).
 */
static int ipo_method_descs_read(struct ipo_methods *m,
				 const struct ipo_obj_set_methods *cmd)
{
	const u8 __user *u = u64_to_user_ptr(cmd->descs);
	u32 i, j;
	int ret;

	m->descs = kcalloc(cmd->nr_methods, sizeof(*m->descs),
			   GFP_KERNEL_ACCOUNT);
	if (!m->descs)
		return -ENOMEM;
	for (i = 0; i < cmd->nr_methods; i++) {
		struct ipo_method_desc *d = &m->descs[i];

		ret = copy_struct_from_user(d, sizeof(*d),
					    u + (size_t)i * cmd->desc_size,
					    cmd->desc_size);
		if (ret)
			return ret;
		ret = ipo_name_check(d->name);
		if (ret)
			return ret == -ENAMETOOLONG ? -EINVAL : ret;
		for (j = 0; d->name[0] && j < i; j++)
			if (!strcmp(d->name, m->descs[j].name))
				return -EINVAL;
	}
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

	if (cmd->flags || cmd->nr_methods > IPO_MAX_METHODS ||
	    cmd->__reserved)
		return -EINVAL;
	if (cmd->descs ? cmd->desc_size < sizeof(struct ipo_method_desc) ||
			 cmd->desc_size > PAGE_SIZE : cmd->desc_size)
		return -EINVAL;
	if (cmd->nr_methods) {
		m = kzalloc(struct_size(m, progs, cmd->nr_methods),
			    GFP_KERNEL_ACCOUNT);
		if (!m)
			return -ENOMEM;
		if (cmd->descs) {
			ret = ipo_method_descs_read(m, cmd);
			if (ret)
				goto out_free;
		}
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

/*
 * OBJ_METHODS: the table as clients see it, read under RCU as IPO_LIST
 * reads it (a replaced table is freed after a grace period), into a
 * kernel copy that goes out once no lock is held.
 */
int ipo_obj_methods_ioctl(struct ipo_ucmd *ucmd)
{
	struct ipo_obj_methods *cmd = ucmd->cmd;
	u8 __user *out = u64_to_user_ptr(cmd->infos);
	const struct ipo_methods *m;
	struct ipo_method_info *info = NULL;
	struct ipo_handle *h;
	struct file *file;
	size_t len;
	u32 i, n = 0;
	int ret = 0;

	if (cmd->flags || cmd->max_infos > IPO_MAX_METHODS ||
	    cmd->info_size < sizeof(*info) || cmd->info_size > PAGE_SIZE ||
	    (cmd->max_infos && !cmd->infos))
		return -EINVAL;
	if (cmd->max_infos) {
		info = kcalloc(cmd->max_infos, sizeof(*info),
			       GFP_KERNEL_ACCOUNT);
		if (!info)
			return -ENOMEM;
	}
	file = ipo_handle_fget(cmd->obj_fd, &h);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		goto out;
	}
	if (!ipo_handle_usable(h)) {
		ret = -EPERM;
		goto out_fput;
	}
	rcu_read_lock();
	m = rcu_dereference(h->obj->methods);
	cmd->nr_methods = m ? m->nr : 0;
	for (; n < cmd->nr_methods && n < cmd->max_infos; n++) {
		const struct ipo_kprog *kp = m->progs[n];
		struct ipo_method_info *e = &info[n];

		e->index = n;
		e->prog_id = kp->id;
		strscpy(e->name, kp->name, sizeof(e->name));
		if (m->descs) {
			const struct ipo_method_desc *d = &m->descs[n];

			e->flags |= IPO_METHOD_DESCRIBED;
			if (d->name[0])
				strscpy(e->name, d->name, sizeof(e->name));
			e->arg_size = d->arg_size;
			e->out_size = d->out_size;
			e->arg_btf_id = d->arg_btf_id;
			e->out_btf_id = d->out_btf_id;
		}
		if (h->rights & IPO_RIGHT_INVOKE && h->methods & (1ULL << n))
			e->flags |= IPO_METHOD_ALLOWED;
	}
	rcu_read_unlock();

	len = min_t(size_t, cmd->info_size, sizeof(*info));
	for (i = 0; i < n; i++) {
		if (copy_to_user(out + (size_t)i * cmd->info_size, &info[i],
				 len)) {
			ret = -EFAULT;
			goto out_fput;
		}
	}
	ret = ipo_ucmd_respond(ucmd, sizeof(*cmd));
out_fput:
	fput(file);
out:
	kfree(info);
	return ret;
}
