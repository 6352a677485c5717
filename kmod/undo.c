// SPDX-License-Identifier: GPL-2.0
/*
 * Undo for INVOKE: how a bundle takes back what a failed call (or a failed
 * atomic bundle) wrote.
 *
 * An object larger than IPO_UNDO_COPY_MAX bytes has a touch map (one byte
 * per IPO_UNDO_GRAIN bytes, allocated with the object and charged to its
 * creator's memory cgroup) and its writes are logged by the executors on
 * first touch (exec/undo.h): rolling back or committing costs what the
 * calls wrote.  A smaller object is copied whole, as it always was: for a
 * few hundred bytes one memcpy costs less than the call into the log and
 * its chunk (see README, "Rolling back").
 *
 * The log's chunks come from kmalloc(GFP_KERNEL_ACCOUNT): the runs of an
 * INVOKE may sleep (they hold only the objects' mutexes).  A bundle's log
 * holds at most undo_max_bytes; past that, or when an allocation fails,
 * the call aborts with IPO_RESULT_UNDO (status ENOSPC) and is rolled back
 * like any failed call.
 */
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "ipo.h"

/* Each chunk also takes this much of a kmalloc bucket: no more than that. */
static_assert(IPO_UNDO_CHUNK <= PAGE_SIZE);

static unsigned long ipo_kundo_max_bytes = 256UL << 20;
module_param_named(undo_max_bytes, ipo_kundo_max_bytes, ulong, 0644);
MODULE_PARM_DESC(undo_max_bytes, "Bytes the undo log of one INVOKE may take (default 268435456)");

/*
 * Taken while the bundle holds its object locks: light reclaim only, no
 * OOM killer (a failure is a clean ENOSPC abort with rollback).  The cap
 * is applied here, when a chunk is wanted, rather than as the log's
 * max_bytes, which every call would have to set: most calls never need
 * more than the chunk their INVOKE lends the log.
 */
void *ipo_kundo_alloc(struct ipo_undo *u)
{
	u64 cap = max_t(u64, READ_ONCE(ipo_kundo_max_bytes), IPO_UNDO_CHUNK);

	if (u->bytes + IPO_UNDO_CHUNK > cap)
		return NULL;
	return kmalloc(IPO_UNDO_CHUNK,
		       GFP_KERNEL_ACCOUNT | __GFP_NORETRY | __GFP_NOWARN);
}

void ipo_kundo_free(struct ipo_undo *u, void *chunk)
{
	kfree(chunk);
}

/* The touch map of a new object of @size bytes; NULL when it is copied. */
int ipo_obj_undo_alloc(struct ipo_obj *obj)
{
	if (obj->data_size <= IPO_UNDO_COPY_MAX)
		return 0;
	obj->undo_map = kvzalloc(ipo_undo_map_size(obj->data_size),
				 GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	return obj->undo_map ? 0 : -ENOMEM;
}

void ipo_obj_undo_free(struct ipo_obj *obj)
{
	kvfree(obj->undo_map);
}
