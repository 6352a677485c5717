// SPDX-License-Identifier: GPL-2.0
/*
 * Handles: object fds carrying rights.  A handle's file and the read-only
 * mapping of the object made through it, the tree of handles derived from
 * one another, and revocation, which takes a subtree and its mappings.
 * The commands that make and revoke handles are in object.c.
 */
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/pfn_t.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>

#include "ipo.h"
#include "compat.h"

/* The handle behind an object fd, with the file's reference, or ERR_PTR. */
struct file *ipo_handle_fget(int fd, struct ipo_handle **hp)
{
	struct file *file = ipo_fget(fd, &ipo_handle_fops);

	if (!IS_ERR(file))
		*hp = file->private_data;
	return file;
}

/* The file of an ADMIN handle, or ERR_PTR. */
struct file *ipo_handle_admin_fget(int fd, struct ipo_handle **hp)
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
void ipo_handle_revoke_tree(struct ipo_handle *root)
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

static int ipo_handle_file_release(struct inode *inode, struct file *file)
{
	ipo_handle_release(file->private_data);
	return 0;
}

/*
 * Pages are handed out on fault, so a range dropped with MADV_DONTNEED just
 * faults back in.  The VMA holds the file and so the object; the pages stay
 * valid for as long as the mapping exists.  The page is inserted here,
 * under obj->map_sem, rather than returned to the fault code: a
 * revocation (ipo_handle_revoke_tree()) then either finds it mapped and
 * zaps it, or this sees the handle revoked and the reader gets SIGBUS.
 *
 * The entry is a special one (vmf_insert_mixed() of the pfn, not
 * vm_insert_page()): no struct page is reachable through it, so
 * get_user_pages() refuses it.  A normal entry would let a reader take
 * page references that outlive the zap -- vmsplice() into a pipe and tee()
 * from it, a zero-copy send queued on a socket nobody reads -- and go on
 * reading the object's live pages after the revocation.  Without a
 * reference taken through the mapping, the VMA's hold on the file (and so
 * on the object) is what keeps the pages.
 */
static vm_fault_t ipo_obj_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct ipo_handle *h = vma->vm_file->private_data;
	struct ipo_obj *obj = h->obj;
	vm_fault_t ret;
	struct page *page;

	if (vmf->pgoff >= obj->map_size >> PAGE_SHIFT)
		return VM_FAULT_SIGBUS;
	page = vmalloc_to_page((u8 *)obj->hdr + (vmf->pgoff << PAGE_SHIFT));
	down_read(&obj->map_sem);
	if (h->revoked)
		ret = VM_FAULT_SIGBUS;
	else	/* NOPAGE also when another thread's fault mapped it first */
		ret = vmf_insert_mixed(vma, vmf->address & PAGE_MASK,
				       page_to_pfn_t(page));
	up_read(&obj->map_sem);
	return ret;
}

/*
 * ptrace() and /proc/PID/mem reads of a mapping: get_user_pages() refuses
 * its entries (see above), so they come here.  Read-only, and only while
 * the handle is not revoked, as a fault would be.
 */
static int ipo_obj_access(struct vm_area_struct *vma, unsigned long addr,
			  void *buf, int len, int write)
{
	struct ipo_handle *h = vma->vm_file->private_data;
	struct ipo_obj *obj = h->obj;
	unsigned long off = addr - vma->vm_start +
			    (vma->vm_pgoff << PAGE_SHIFT);
	int ret;

	if (write)
		return -EACCES;
	if (off >= obj->map_size)
		return -EFAULT;
	ret = min3((unsigned long)len, obj->map_size - off,
		   vma->vm_end - addr);
	down_read(&obj->map_sem);
	if (h->revoked)
		ret = -EFAULT;
	else
		memcpy(buf, (u8 *)obj->hdr + off, ret);
	up_read(&obj->map_sem);
	return ret;
}

static const struct vm_operations_struct ipo_obj_vm_ops = {
	.fault = ipo_obj_fault,
	.access = ipo_obj_access,
};

/*
 * The mapping is read-only for good: VM_MAYWRITE is cleared so mprotect()
 * cannot make it writable later.  It lives in the handle's own
 * address_space (ipo_handle_new()), so revoking the handle zaps it.
 */
static int ipo_handle_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ipo_handle *h = file->private_data;
	struct ipo_obj *obj = h->obj;
	unsigned long len = vma->vm_end - vma->vm_start;

	if (!(h->rights & IPO_RIGHT_READ))
		return -EACCES;
	if (!ipo_handle_usable(h))
		return -EPERM;
	if (vma->vm_flags & VM_WRITE)
		return -EACCES;
	if (vma->vm_pgoff || len > obj->map_size)
		return -EINVAL;

	vm_flags_clear(vma, VM_MAYWRITE);
	/* MIXEDMAP: the fault handler inserts the entries itself. */
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP | VM_MIXEDMAP);
	vma->vm_ops = &ipo_obj_vm_ops;
	return 0;
}

const struct file_operations ipo_handle_fops = {
	.owner = THIS_MODULE,
	.release = ipo_handle_file_release,
	.mmap = ipo_handle_mmap,
	.llseek = noop_llseek,
};
