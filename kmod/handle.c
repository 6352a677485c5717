// SPDX-License-Identifier: GPL-2.0
/*
 * Handles: object fds carrying rights.  Deriving narrower handles,
 * revoking them, opening named objects under file-like permission checks,
 * and attaching the method table (the ADMIN right).
 */
#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/file.h>
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
 * cheap early failures; what counts is the check under obj->lock.
 */
bool ipo_handle_usable(const struct ipo_handle *h)
{
	return !READ_ONCE(h->revoked);
}

/*
 * A new handle file for @obj (which gets a reference of its own) and a
 * reserved fd; the caller publishes both with ipo_fd_publish().  Returns
 * the fd or -errno.
 */
int ipo_handle_new(struct ipo_obj *obj, u32 rights, u64 methods,
		   bool revocable, bool cloexec, struct file **filep)
{
	struct ipo_handle *h;
	int fd, ret;

	h = kzalloc(sizeof(*h), GFP_KERNEL_ACCOUNT);
	if (!h)
		return -ENOMEM;
	h->obj = obj;
	h->rights = rights;
	h->methods = methods;
	atomic_inc(&obj->live);
	kref_get(&obj->ref);
	if (revocable) {
		ret = xa_alloc(&obj->handles, &h->id, h, xa_limit_31b,
			       GFP_KERNEL_ACCOUNT);
		if (ret)
			goto err_free;
	}

	fd = ipo_anon_fd("[ipo-obj]", &ipo_handle_fops, h, cloexec, filep);
	if (fd < 0) {
		ret = fd;
		goto err_free;
	}
	return fd;

err_free:
	ipo_handle_release(h);
	return ret;
}

void ipo_handle_release(struct ipo_handle *h)
{
	if (h->id)
		xa_erase(&h->obj->handles, h->id);
	ipo_obj_unuse(h->obj);
	kfree(h);
}

/*
 * A reserved fd and a new anon-inode file owning @priv, not yet installed:
 * the caller publishes both with ipo_fd_publish() or drops them.  Returns
 * the fd or -errno.
 */
int ipo_anon_fd(const char *name, const struct file_operations *fops,
		void *priv, bool cloexec, struct file **filep)
{
	struct file *file;
	int fd;

	fd = get_unused_fd_flags(O_RDWR | (cloexec ? O_CLOEXEC : 0));
	if (fd < 0)
		return fd;
	file = anon_inode_getfile(name, fops, priv, O_RDWR);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	*filep = file;
	return fd;
}

/*
 * Writes the command's results back and only then installs the fd: a
 * caller that cannot learn the fd number never gets an fd.
 */
int ipo_fd_publish(struct ipo_ucmd *ucmd, size_t len, int fd,
		   struct file *file)
{
	int ret = ipo_ucmd_respond(ucmd, len);

	if (ret) {
		put_unused_fd(fd);
		fput(file);
		return ret;
	}
	fd_install(fd, file);
	return 0;
}

int ipo_handle_derive(struct ipo_ucmd *ucmd)
{
	struct ipo_handle_derive *cmd = ucmd->cmd;
	struct ipo_handle *parent;
	struct file *pfile, *file;
	int fd;

	if (cmd->flags & ~IPO_HANDLE_FLAGS || cmd->rights & ~IPO_RIGHTS_ALL)
		return -EINVAL;
	pfile = ipo_handle_fget(cmd->obj_fd, &parent);
	if (IS_ERR(pfile))
		return PTR_ERR(pfile);
	if (!ipo_handle_usable(parent) || cmd->rights & ~parent->rights ||
	    cmd->methods & ~parent->methods) {
		fput(pfile);
		return -EPERM;
	}
	fd = ipo_handle_new(parent->obj, cmd->rights, cmd->methods, true,
			    cmd->flags & IPO_HANDLE_CLOEXEC, &file);
	fput(pfile);
	if (fd < 0)
		return fd;
	cmd->out_fd = fd;
	cmd->handle_id = ((struct ipo_handle *)file->private_data)->id;
	return ipo_fd_publish(ucmd, sizeof(*cmd), fd, file);
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

	mutex_lock(&obj->lock);
	if (!admin->revoked) {
		/*
		 * Under obj->lock: a call that holds the object finishes
		 * first, any later one sees the flag.
		 */
		xa_lock(&obj->handles);
		if (cmd->flags & IPO_REVOKE_ALL) {
			xa_for_each(&obj->handles, id, h)
				WRITE_ONCE(h->revoked, true);
		} else {
			h = xa_load(&obj->handles, cmd->handle_id);
			if (h)
				WRITE_ONCE(h->revoked, true);
			else
				ret = -ENOENT;
		}
		xa_unlock(&obj->handles);
	} else {
		ret = -EPERM;
	}
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
	fd = ipo_handle_new(obj, cmd->rights, ~0ULL, true,
			    cmd->flags & IPO_HANDLE_CLOEXEC, &file);
	ipo_obj_unuse(obj);
	if (fd < 0)
		return fd;
	cmd->out_fd = fd;
	cmd->obj_id = obj->id;
	cmd->handle_id = ((struct ipo_handle *)file->private_data)->id;
	return ipo_fd_publish(ucmd, sizeof(*cmd), fd, file);
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
	mutex_lock(&admin->obj->lock);
	if (admin->revoked) {
		ret = -EPERM;
		old = m;
	} else {
		old = admin->obj->methods;
		admin->obj->methods = m;
	}
	mutex_unlock(&admin->obj->lock);
	fput(file);
	m = old;
out_free:
	ipo_methods_free(m);
	return ret;
}
