// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The undo log (see undo.h): saving granules on first touch, rolling back,
 * committing.  Called by the interpreter and by JIT code, on the run's
 * own stack; allocates only through the embedder's hook.
 */
#include "undo.h"

/* A free record at the head of the log, or NULL when it cannot grow. */
static struct ipo_undo_rec *ipo_undo_rec_new(struct ipo_undo *u)
{
	struct ipo_undo_chunk *c = u->head;

	if (!c || c->used == c->cap) {
		c = u->spare;
		if (c) {
			u->spare = c->next;
		} else {
			if (u->max_bytes &&
			    u->bytes + IPO_UNDO_CHUNK > u->max_bytes)
				return NULL;
			c = u->alloc(u);
			if (!c)
				return NULL;
			u->bytes += IPO_UNDO_CHUNK;
			c->cap = IPO_UNDO_RECS;
			c->lent = 0;
		}
		c->used = 0;
		c->next = u->head;
		u->head = c;
	}
	return &c->recs[c->used++];
}

/*
 * A granule's bytes, saved or put back: a whole one by a constant size, a
 * few word moves, where a run-time size is a string instruction (slow to
 * start on hardware, a byte a step under emulation); only an object's
 * last granule may be shorter.
 */
static __always_inline void ipo_undo_grain_copy(void *dst, const void *src,
						u32 len)
{
	if (len == IPO_UNDO_GRAIN)
		__builtin_memcpy(dst, src, IPO_UNDO_GRAIN);
	else
		__builtin_memcpy(dst, src, len);
}

/* Saves granule @i of @o into @r. */
static __always_inline void ipo_undo_save(struct ipo_undo_obj *o, u64 i,
					  struct ipo_undo_rec *r)
{
	r->obj = o;
	r->grain = i;
	r->len = min_t(u64, IPO_UNDO_GRAIN, o->size - (i << IPO_UNDO_SHIFT));
	ipo_undo_grain_copy(r->old, o->data + (i << IPO_UNDO_SHIFT), r->len);
	o->map[i] = 1;
}

/* Every granule of [off, off + size) in @o not saved yet; in bounds. */
static noinline u32 ipo_undo_touch_range(struct ipo_undo *u,
					 struct ipo_undo_obj *o,
					 u64 off, u64 size)
{
	u64 g, nr = ipo_undo_map_size(o->size);
	u64 last = (off + size - 1) >> IPO_UNDO_SHIFT;

	for (g = off >> IPO_UNDO_SHIFT; g <= last && g < nr; g++) {
		struct ipo_undo_rec *r;
		u64 i = array_index_nospec(g, nr);

		if (o->map[i])
			continue;
		r = ipo_undo_rec_new(u);
		if (!r)
			return IPO_ABORT_UNDO;
		ipo_undo_save(o, i, r);
		u->nr_recs++;
	}
	return IPO_RUN_OK;
}

u32 ipo_undo_touch(struct ipo_run *run, u64 addr, u64 size)
{
	struct ipo_undo *u = run->undo;
	struct ipo_undo_chunk *c;
	struct ipo_undo_obj *o;
	u64 off, i;

	if (!u || !size)
		return IPO_RUN_OK;
	o = u->cur;
	off = addr - run->base[IPO_RGN_OBJ];
	/* The caller checked the access; an executor bug must not log out of bounds. */
	if (off >= o->size || size > o->size - off)
		return IPO_ABORT_BOUNDS;
	/*
	 * The common store: within one granule, with room in the newest
	 * chunk.  Its granule is below the map's size, as off < o->size.
	 */
	c = u->head;
	if ((off ^ (off + size - 1)) >> IPO_UNDO_SHIFT || !c ||
	    c->used == c->cap)
		return ipo_undo_touch_range(u, o, off, size);
	i = array_index_nospec(off >> IPO_UNDO_SHIFT,
			       ipo_undo_map_size(o->size));
	if (o->map[i])
		return IPO_RUN_OK;
	ipo_undo_save(o, i, &c->recs[c->used++]);
	u->nr_recs++;
	return IPO_RUN_OK;
}

/* Empties the log newest record first, putting the bytes back. */
void ipo_undo_rollback(struct ipo_undo *u)
{
	struct ipo_undo_chunk *c;

	while ((c = u->head)) {
		while (c->used) {
			struct ipo_undo_rec *r = &c->recs[--c->used];
			u8 *at = r->obj->data +
				 ((u64)r->grain << IPO_UNDO_SHIFT);

			ipo_undo_grain_copy(at, r->old, r->len);
			r->obj->map[r->grain] = 0;
		}
		u->head = c->next;
		c->next = u->spare;
		u->spare = c;
	}
	u->nr_recs = 0;
}

/*
 * Only the map bytes go back to zero, in any order: the records are not
 * read, so they are walked forward, a chunk at a time.
 */
void ipo_undo_commit(struct ipo_undo *u)
{
	struct ipo_undo_chunk *c;

	while ((c = u->head)) {
		struct ipo_undo_rec *r = c->recs, *end = r + c->used;

		for (; r < end; r++)
			r->obj->map[r->grain] = 0;
		c->used = 0;
		u->head = c->next;
		c->next = u->spare;
		u->spare = c;
	}
	u->nr_recs = 0;
}

void ipo_undo_release(struct ipo_undo *u)
{
	struct ipo_undo_chunk *c;

	ipo_undo_commit(u);
	while ((c = u->spare)) {
		u->spare = c->next;
		if (!c->lent)
			u->free(u, c);
	}
	u->bytes = 0;
}
