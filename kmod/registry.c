// SPDX-License-Identifier: GPL-2.0
/*
 * Objects: creation, the name registry, the read-only mapping and the
 * object fd.  An object's memory is one vmalloc'd block, the header page(s)
 * first, the data right after the header, so that userspace maps both with
 * one mmap() and methods see only the data.
 */
#include <linux/anon_inodes.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/hashtable.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pfn_t.h>
#include <linux/slab.h>
#include <linux/stringhash.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>

#include "ipo.h"
#include "compat.h"

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

/*
 * A name is NUL-terminated within IPO_NAME_MAX bytes and made of
 * [A-Za-z0-9_.-], not starting with '.'; the empty name means anonymous.
 * The character set keeps names safe to print and to use as file names.
 */
int ipo_name_check(const char *name)
{
	size_t len = strnlen(name, IPO_NAME_MAX);
	size_t i;

	if (len == IPO_NAME_MAX)
		return -ENAMETOOLONG;
	if (name[0] == '.')
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned char c = name[i];

		/* Not isalnum(): the kernel's ctype also takes Latin-1. */
		if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		    !(c >= '0' && c <= '9') && c != '_' && c != '.' && c != '-')
			return -EINVAL;
	}
	return 0;
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

static struct ipo_obj *ipo_obj_alloc(const struct ipo_obj_create *cmd)
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
static int ipo_obj_add_name(struct ipo_obj *obj)
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
 * Nothing that can fail comes after it.
 */
static void ipo_obj_publish(struct ipo_obj *obj)
{
	mutex_lock(&ipo_names_lock);
	obj->published = true;
	mutex_unlock(&ipo_names_lock);
	/* Into its reserved slot: no allocation, no error. */
	xa_store(&ipo_objs, obj->id, obj, GFP_KERNEL_ACCOUNT);
}

int ipo_obj_create(struct ipo_ucmd *ucmd)
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
	ipo_obj_publish(obj);
	fd_install(fd, file);
	return 0;
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

void ipo_objs_exit(void)
{
	if (!xa_empty(&ipo_objs))
		pr_err("ipo: objects still live at unload\n");
	xa_destroy(&ipo_objs);
}
