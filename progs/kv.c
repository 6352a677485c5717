// SPDX-License-Identifier: GPL-2.0
/*
 * kv: put/get/del on a fixed table of KV_SLOTS entries (layout in kv.h).
 * Deleting leaves a tombstone so the probe chains of other keys stay
 * intact; put() reuses the first tombstone of a key's chain.
 */
#include "ipo.h"
#include "kv.h"

IPO_OBJECT(struct kv);
IPO_ARGS(put);
IPO_ARGS(get);
IPO_ARGS(del);

/* Slot holding @key, or -ENOENT: at most KV_SLOTS probes. */
static __always_inline int lookup(const struct kv *t, __u64 key)
{
	__u32 h = kv_hash(key), i;

	for (i = 0; i < KV_SLOTS; i++) {
		const struct kv_slot *s = &t->slots[(h + i) % KV_SLOTS];

		if (s->state == KV_EMPTY)
			break;
		if (s->state == KV_USED && s->key == key)
			return (h + i) % KV_SLOTS;
	}
	return -ENOENT;
}

IPO_METHOD(put)
int put(struct ipo_method_ctx *ctx)
{
	const struct put_args *a;
	struct kv_slot *s;
	struct kv *t;
	__u32 h, i;
	int free = -1;

	if (ctx->arg_size < sizeof(*a) || ctx->obj_size < sizeof(*t))
		return -EINVAL;
	a = ctx->arg;
	t = ctx->obj;
	h = kv_hash(a->key);
	for (i = 0; i < KV_SLOTS; i++) {
		__u32 at = (h + i) % KV_SLOTS;

		s = &t->slots[at];
		if (s->state == KV_USED) {
			if (s->key == a->key) {
				s->value = a->value;
				return 0;
			}
			continue;
		}
		if (free < 0)
			free = at;
		if (s->state == KV_EMPTY)
			break;
	}
	if (free < 0)
		return -ENOSPC;
	s = &t->slots[free % KV_SLOTS];
	if (s->state == KV_DELETED)
		t->tombstones--;
	s->key = a->key;
	s->value = a->value;
	s->state = KV_USED;
	t->count++;
	return 0;
}

IPO_METHOD(get)
int get(struct ipo_method_ctx *ctx)
{
	const struct get_args *a;
	const struct kv *t;
	int at;

	if (ctx->arg_size < sizeof(*a) || ctx->obj_size < sizeof(*t))
		return -EINVAL;
	if (ctx->out_size < sizeof(__u64))
		return -ENOBUFS;
	a = ctx->arg;
	t = ctx->obj;
	at = lookup(t, a->key);
	if (at < 0)
		return at;
	*(__u64 *)ctx->out = t->slots[at].value;
	return 0;
}

IPO_METHOD(del)
int del(struct ipo_method_ctx *ctx)
{
	const struct del_args *a;
	struct kv_slot *s;
	struct kv *t;
	int at;

	if (ctx->arg_size < sizeof(*a) || ctx->obj_size < sizeof(*t))
		return -EINVAL;
	a = ctx->arg;
	t = ctx->obj;
	at = lookup(t, a->key);
	if (at < 0)
		return at;
	s = &t->slots[at];
	s->key = 0;
	s->value = 0;
	s->state = KV_DELETED;
	t->count--;
	t->tombstones++;
	return 0;
}

IPO_LICENSE("GPL");
