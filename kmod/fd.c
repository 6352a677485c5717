// SPDX-License-Identifier: GPL-2.0
/*
 * New fds and command results.
 *
 * A command that creates something hands it out as an fd in three steps,
 * so that nothing another thread can find exists before the command can
 * no longer fail:
 *
 *   fd = ipo_fd_prepare(...);	   reserved fd, file owning the new thing
 *   ipo_fd_respond(...);	   results written back (may fail)
 *   ...publish...		   into tables others search (cannot fail,
 *				   or drops the file with ipo_fd_abort())
 *   fd_install(fd, file);
 *
 * Once the file exists, its release frees what it owns: every error path
 * from then on goes through ipo_fd_abort(), never a direct free.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>

#include "ipo.h"
#include "ucopy.h"

int ipo_ucmd_respond(struct ipo_ucmd *ucmd, size_t cmd_len)
{
	return ipo_copy_to_user(ucmd->ubuffer, ucmd->cmd,
				min_t(size_t, ucmd->user_size, cmd_len));
}

/*
 * A reserved fd and a new anon-inode file owning @priv, not yet installed.
 * Returns the fd or -errno (and then @priv is still the caller's).
 */
int ipo_fd_prepare(const char *name, const struct file_operations *fops,
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
 * The file behind @fd when it is one of ours of the kind @fops makes, with
 * a reference; ERR_PTR(-EBADF) for no file, ERR_PTR(-EINVAL) for a file of
 * another kind.
 */
struct file *ipo_fget(int fd, const struct file_operations *fops)
{
	struct file *file = fget(fd);

	if (!file)
		return ERR_PTR(-EBADF);
	if (file->f_op != fops) {
		fput(file);
		return ERR_PTR(-EINVAL);
	}
	return file;
}

/* Drops a prepared fd and its file; the file's release frees the rest. */
void ipo_fd_abort(int fd, struct file *file)
{
	put_unused_fd(fd);
	fput(file);
}

/*
 * Writes the command's results back; on failure drops the prepared fd and
 * file.  A caller that cannot learn the fd number never gets an fd.
 */
int ipo_fd_respond(struct ipo_ucmd *ucmd, size_t len, int fd,
		   struct file *file)
{
	int ret = ipo_ucmd_respond(ucmd, len);

	if (ret)
		ipo_fd_abort(fd, file);
	return ret;
}
