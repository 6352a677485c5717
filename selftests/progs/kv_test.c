// SPDX-License-Identifier: GPL-2.0
/* progs/kv.c: put/get/del, collisions, tombstones and a full table. */
#include <errno.h>
#include <string.h>

#include "kv.h"
#include "progs_test.h"

static struct pt_obj *o;
static struct kv t;

static int put(__u64 key, __u64 value)
{
	struct put_args a = { .key = key, .value = value };

	return pt_call(o, "put", &t, sizeof(t), &a, sizeof(a), NULL, 0);
}

static int get(__u64 key, __u64 *value)
{
	struct get_args a = { .key = key };

	*value = 0xdead;
	return pt_call(o, "get", &t, sizeof(t), &a, sizeof(a), value,
		       sizeof(*value));
}

static int del(__u64 key)
{
	struct del_args a = { .key = key };

	return pt_call(o, "del", &t, sizeof(t), &a, sizeof(a), NULL, 0);
}

/* count and tombstones match the slots; every used key is reachable */
static bool invariants(void)
{
	__u32 i, used = 0, dead = 0;

	for (i = 0; i < KV_SLOTS; i++) {
		const struct kv_slot *s = &t.slots[i];
		__u32 j, h;

		if (s->state == KV_DELETED) {
			dead++;
			if (s->key || s->value)
				return false;
		}
		if (s->state != KV_USED)
			continue;
		used++;
		for (h = kv_hash(s->key), j = h; j % KV_SLOTS != i; j++)
			if (t.slots[j % KV_SLOTS].state == KV_EMPTY)
				return false;
	}
	return used == t.count && dead == t.tombstones;
}

/* @n keys whose home slot is @slot */
static void colliding(__u32 slot, __u64 *keys, int n)
{
	__u64 k;
	int i = 0;

	for (k = 1; i < n; k++)
		if (kv_hash(k) == slot)
			keys[i++] = k;
}

void test_kv(void)
{
	__u64 keys[KV_SLOTS + 1], v, k;
	struct kv before;
	int i, bad = 0;

	o = pt_open("kv");
	if (!o)
		return;
	memset(&t, 0, sizeof(t));
	tap_eq(get(1, &v), -ENOENT, "kv: get from empty is -ENOENT");
	tap_eq(put(1, 100), 0, "kv: put(1, 100)");
	tap_eq(get(1, &v), 0, "kv: get(1)");
	tap_eq(v, 100, "kv: ... is 100");
	tap_eq(put(1, 101), 0, "kv: put(1, 101) replaces");
	tap_ok(!get(1, &v) && v == 101 && t.count == 1,
	       "kv: ... value 101, one entry");
	tap_eq(del(1), 0, "kv: del(1)");
	tap_eq(get(1, &v), -ENOENT, "kv: ... gone");
	tap_eq(del(1), -ENOENT, "kv: del again is -ENOENT");
	tap_ok(invariants() && t.count == 0 && t.tombstones == 1,
	       "kv: a tombstone is left");

	/* Three keys with one home slot: a probe chain. */
	memset(&t, 0, sizeof(t));
	colliding(KV_SLOTS - 1, keys, 3);
	for (i = 0; i < 3; i++)
		if (put(keys[i], keys[i] * 10))
			bad++;
	tap_ok(!bad && t.slots[KV_SLOTS - 1].key == keys[0] &&
	       t.slots[0].key == keys[1] && t.slots[1].key == keys[2],
	       "kv: colliding keys probe on, wrapping past the end");
	tap_eq(del(keys[1]), 0, "kv: delete the middle of the chain");
	tap_ok(!get(keys[2], &v) && v == keys[2] * 10,
	       "kv: ... the key after it is still found");
	tap_eq(put(keys[2], 7), 0, "kv: replace the key after the tombstone");
	tap_ok(t.slots[1].value == 7 && t.slots[0].state == KV_DELETED &&
	       t.count == 2, "kv: ... in place, not a second copy");
	tap_eq(put(keys[1], 5), 0, "kv: put the deleted key again");
	tap_ok(t.slots[0].state == KV_USED && t.slots[0].key == keys[1] &&
	       t.tombstones == 0, "kv: ... reuses the tombstone");
	tap_ok(invariants(), "kv: invariants hold");

	/* Fill every slot. */
	memset(&t, 0, sizeof(t));
	for (k = 1000; k < 1000 + KV_SLOTS; k++)
		if (put(k, ~k))
			bad++;
	tap_ok(!bad && t.count == KV_SLOTS, "kv: %d keys fill the table",
	       KV_SLOTS);
	before = t;
	tap_eq(put(5, 5), -ENOSPC, "kv: put into a full table is -ENOSPC");
	tap_ok(!memcmp(&t, &before, sizeof(t)), "kv: ... unchanged");
	tap_eq(put(1003, 3), 0, "kv: replacing in a full table works");
	tap_eq(get(5, &v), -ENOENT, "kv: missing key in a full table");
	for (k = 1000; k < 1000 + KV_SLOTS; k++)
		if (get(k, &v) || v != (k == 1003 ? 3 : ~k))
			bad++;
	tap_ok(!bad, "kv: every key reads back");
	for (k = 1000; k < 1000 + KV_SLOTS; k++)
		if (del(k))
			bad++;
	tap_ok(!bad && !t.count && t.tombstones == KV_SLOTS,
	       "kv: delete all: all tombstones");
	tap_eq(get(1000, &v), -ENOENT, "kv: get with only tombstones ends");
	tap_eq(put(42, 42), 0, "kv: put reuses a tombstone");
	tap_ok(invariants() && t.count == 1 && t.tombstones == KV_SLOTS - 1,
	       "kv: invariants hold");

	before = t;
	tap_eq(pt_call(o, "put", &t, sizeof(t), keys, 15, NULL, 0), -EINVAL,
	       "kv: short argument is -EINVAL");
	tap_eq(pt_call(o, "get", &t, sizeof(t), keys, 8, &v, 7), -ENOBUFS,
	       "kv: get with short output is -ENOBUFS");
	tap_eq(pt_call(o, "del", &t, sizeof(t) - 1, keys, 8, NULL, 0), -EINVAL,
	       "kv: short object is -EINVAL");
	tap_ok(!memcmp(&t, &before, sizeof(t)),
	       "kv: failed calls changed nothing");
	pt_close(o);
}
