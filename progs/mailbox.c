// SPDX-License-Identifier: GPL-2.0
/*
 * mailbox: put() appends a message, get() removes the oldest (layout in
 * mailbox.h).  A full mailbox refuses put() with -ENOSPC rather than drop
 * the oldest message, an empty one answers get() with -ENOENT, and get()
 * checks the output room before it removes anything, so no message is
 * ever lost or delivered twice.
 */
#include "ipo.h"
#include "mailbox.h"

IPO_OBJECT(struct mailbox);
IPO_ARGS(put);

#define PUT_HDR		(sizeof(struct put_args) - MAILBOX_MSG_DATA)

IPO_METHOD(put)
int put(struct ipo_method_ctx *ctx)
{
	const struct put_args *a;
	struct mailbox_msg *m;
	struct mailbox *mb;
	__u32 len, tail;

	if (ctx->arg_size < PUT_HDR || ctx->obj_size < sizeof(*mb))
		return -EINVAL;
	a = ctx->arg;
	mb = ctx->obj;
	len = a->len;
	if (a->__reserved)
		return -EINVAL;
	if (len > MAILBOX_MSG_DATA)
		return -EMSGSIZE;
	if (ctx->arg_size - PUT_HDR < len)
		return -EINVAL;
	if (mb->count >= MAILBOX_SLOTS)
		return -ENOSPC;
	tail = (mb->head + mb->count) % MAILBOX_SLOTS;
	m = &mb->msgs[tail];
	m->seq = ++mb->next_seq;
	m->sender = ctx->caller_tgid;
	m->len = len;
	ipo_memcpy(m->data, a->data, len, MAILBOX_MSG_DATA);
	ipo_memset(m->data + len, 0, MAILBOX_MSG_DATA - len, MAILBOX_MSG_DATA);
	mb->count++;
	if (ctx->out_size >= sizeof(__u64))
		*(__u64 *)ctx->out = m->seq;
	return 0;
}

IPO_METHOD(get)
int get(struct ipo_method_ctx *ctx)
{
	struct mailbox_msg *m, *out;
	struct mailbox *mb;
	__u32 head;

	if (ctx->obj_size < sizeof(*mb))
		return -EINVAL;
	if (ctx->out_size < sizeof(*out))
		return -ENOBUFS;
	mb = ctx->obj;
	out = ctx->out;
	if (!mb->count)
		return -ENOENT;
	head = mb->head % MAILBOX_SLOTS;
	m = &mb->msgs[head];
	*out = *m;
	ipo_memset_const(m, 0, sizeof(*m));
	mb->head = (head + 1) % MAILBOX_SLOTS;
	mb->count--;
	return 0;
}

IPO_LICENSE("GPL");
