/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The undo log: what the executors record so that a failed call (or an
 * atomic bundle) is rolled back in time proportional to what it wrote,
 * never to the size of the object.
 *
 * First touch of a granule.  An object is cut into IPO_UNDO_GRAIN-byte
 * granules; its owner keeps a touch map beside it, one byte per granule,
 * zero while nobody writes the object.  Before a store, an atomic or
 * anything else that may write into the object (ST, STX and ATOMIC
 * instructions; helpers only through IPO_ARG_MEM_RW memory), the interpreter
 * and the JIT test the map bytes of the granules the access covers (and
 * before a helper call that may write there, IPO_AUX_OBJ_WRITE, the
 * memory it is handed is logged whole); the
 * first store to a granule calls ipo_undo_touch(), which saves the
 * granule's old bytes in the log and sets its map byte.  Later stores to
 * it cost one compare.  Rolling back walks the log newest first, putting
 * the saved bytes back and clearing the map bytes; committing clears the
 * map bytes and empties the log.  Both cost what was logged.
 *
 * Why granules of 64 bytes and a byte map: a byte per granule is one
 * compare against memory in the JIT (no bit test, no extra register),
 * 1/64 of the object (1 MiB for a 64 MiB object); a granule is a cache
 * line, so logging one costs a line's copy, the same as the store's own
 * miss on it, and a method that writes a 16-byte field logs 64 bytes, not
 * the object.
 *
 * Bounds.  A granule is logged at most once between two commits, so a
 * log holds at most the granules of the objects it covers; besides, the
 * embedder caps it (@max_bytes) and every chunk comes from its allocator
 * (the module charges them to the caller's memory cgroup).  A full log or
 * a failed allocation aborts the run with IPO_ABORT_UNDO before the store
 * happens: the caller then rolls back what the log holds, as for any
 * other abort.
 *
 * Nothing here sleeps unless the embedder's allocator does; the IRQ hook
 * records nothing (ipo_run.undo NULL) and keeps its preallocated copy.
 */
#ifndef IPO_UNDO_H
#define IPO_UNDO_H

#include "../base/prog.h"

#define IPO_UNDO_SHIFT		6
#define IPO_UNDO_GRAIN		(1U << IPO_UNDO_SHIFT)
/* Bytes of one chunk of the log, as handed out by the allocator. */
#define IPO_UNDO_CHUNK		4096U

/* Map bytes of an object of @size bytes. */
static inline u64 ipo_undo_map_size(u64 size)
{
	return (size + IPO_UNDO_GRAIN - 1) >> IPO_UNDO_SHIFT;
}

/*
 * struct ipo_undo_obj - an object as the log sees it.
 * @data:	its bytes, what the runs get as IPO_RGN_OBJ.
 * @size:	their number.
 * @map:	ipo_undo_map_size(@size) bytes, all zero when the log holds
 *		nothing of the object.
 */
struct ipo_undo_obj {
	u8 *data;
	u64 size;
	u8 *map;
};

/* One saved granule. */
struct ipo_undo_rec {
	struct ipo_undo_obj *obj;
	u32 grain;
	u32 len;
	u8 old[IPO_UNDO_GRAIN];
};

struct ipo_undo_chunk {
	struct ipo_undo_chunk *next;	/* the older one */
	u32 used;
	u16 cap;			/* records it has room for */
	u16 lent;			/* the embedder's (ipo_undo_lend()) */
	struct ipo_undo_rec recs[];
};

#define IPO_UNDO_RECS							\
	((IPO_UNDO_CHUNK - sizeof(struct ipo_undo_chunk)) /		\
	 sizeof(struct ipo_undo_rec))

/*
 * struct ipo_undo - one log: a call's (stop at error) or a bundle's
 * (atomic).  Zero it, then set the hooks and the cap.
 * @alloc:	a chunk of IPO_UNDO_CHUNK bytes, or NULL.
 * @free:	gives one back.
 * @priv:	for the hooks.
 * @max_bytes:	the most the log's chunks may take; 0 for no cap.
 * @cur:	the object the current run writes (ipo_undo_start()).
 * @head:	the newest chunk.
 * @spare:	emptied chunks, kept until ipo_undo_release().
 * @bytes:	of all chunks, spare ones included.
 * @nr_recs:	granules logged.
 */
struct ipo_undo {
	void *(*alloc)(struct ipo_undo *u);
	void (*free)(struct ipo_undo *u, void *chunk);
	void *priv;
	u64 max_bytes;
	struct ipo_undo_obj *cur;
	struct ipo_undo_chunk *head;
	struct ipo_undo_chunk *spare;
	u64 bytes;
	u64 nr_recs;
};

/*
 * ipo_undo_lend() - gives the log a first chunk of @bytes bytes that the
 * embedder owns (on its stack, say): a call that writes a few granules
 * then allocates nothing.  It is never handed to @free.  It goes on
 * top, empty, so the first record needs no chunk taken from the spares
 * (an empty chunk anywhere in the list is passed over by every walk).
 */
static inline void ipo_undo_lend(struct ipo_undo *u, void *mem, u32 bytes)
{
	struct ipo_undo_chunk *c = mem;

	c->cap = (bytes - sizeof(*c)) / sizeof(c->recs[0]);
	c->lent = 1;
	c->used = 0;
	c->next = u->head;
	u->head = c;
}

/*
 * ipo_undo_start() - makes @run record its writes to @o in @u (@run's
 * IPO_RGN_OBJ must be @o's data).  Without it a run records nothing.
 */
static inline void ipo_undo_start(struct ipo_undo *u, struct ipo_undo_obj *o,
				  struct ipo_run *run)
{
	u->cur = o;
	run->undo = u;
	run->undo_map = o->map;
}

/*
 * ipo_undo_touch() - the slow path: saves every granule of [addr, addr +
 * size) in the object that is not saved yet (nothing for size 0).  The
 * access was checked in bounds by the caller; one that is not aborts the
 * run (IPO_ABORT_BOUNDS).  Returns IPO_RUN_OK or IPO_ABORT_UNDO (log full).
 */
u32 ipo_undo_touch(struct ipo_run *run, u64 addr, u64 size);

/* Puts every logged granule back, newest first; the log is then empty. */
void ipo_undo_rollback(struct ipo_undo *u);
/* Keeps what was written; the log is then empty. */
void ipo_undo_commit(struct ipo_undo *u);
/* Empties the log (as commit does) and frees its chunks. */
void ipo_undo_release(struct ipo_undo *u);

#endif /* IPO_UNDO_H */
