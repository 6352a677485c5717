/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kv: a small hash table of 64-bit keys and values, open addressing with
 * linear probing.  Object layout, hash and method arguments, shared by
 * progs/kv.c and its callers.
 */
#ifndef IPO_PROGS_KV_H
#define IPO_PROGS_KV_H

#include <linux/types.h>

#define KV_BITS		4
#define KV_SLOTS	(1U << KV_BITS)

enum {	/* kv_slot.state */
	KV_EMPTY = 0,		/* never used since the table was made */
	KV_USED = 1,
	KV_DELETED = 2,		/* tombstone: probing goes on past it */
};

/**
 * struct kv_slot - one entry
 * @key, @value: zero unless @state is KV_USED
 * @state: KV_EMPTY, KV_USED or KV_DELETED
 */
struct kv_slot {
	__u64 key;
	__u64 value;
	__u32 state;
	__u32 __pad;
};

/**
 * struct kv - the object
 * @count: slots in state KV_USED
 * @tombstones: slots in state KV_DELETED
 * @slots: the table; a key sits at kv_hash(key), or after it (mod
 *	KV_SLOTS) with no KV_EMPTY slot in between
 */
struct kv {
	__u32 count;
	__u32 tombstones;
	struct kv_slot slots[KV_SLOTS];
};

/* The home slot of @key (Fibonacci hashing). */
static inline __u32 kv_hash(__u64 key)
{
	return (__u32)((key * 0x9e3779b97f4a7c15ULL) >> (64 - KV_BITS));
}

/* put(key, value): insert or replace; -ENOSPC when the table is full */
struct put_args {
	__u64 key;
	__u64 value;
};

/* get(key) -> out: the value (__u64); -ENOENT, -ENOBUFS */
struct get_args {
	__u64 key;
};

/* del(key): -ENOENT */
struct del_args {
	__u64 key;
};

#endif /* IPO_PROGS_KV_H */
