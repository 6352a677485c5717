// SPDX-License-Identifier: GPL-2.0
/* progs/mailbox.c: FIFO order, full, empty, message sizes, wrap-around. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mailbox.h"
#include "progs_test.h"

static struct pt_obj *o;
static struct mailbox mb;

/* put @len bytes of "msg N..." (the argument cut after the bytes) */
static int put(unsigned int n, __u32 len, __u64 *seq)
{
	struct put_args a = { .len = len };
	unsigned int i;

	for (i = 0; i < len && i < MAILBOX_MSG_DATA; i++)
		a.data[i] = (__u8)(n * 31 + i);
	return pt_call(o, "put", &mb, sizeof(mb), &a,
		       offsetof(struct put_args, data) + len, seq,
		       seq ? sizeof(*seq) : 0);
}

/* the length of message @n in these tests */
static __u32 len_of(unsigned int n)
{
	return n < MAILBOX_SLOTS ? n * 5 : (n * 7) % (MAILBOX_MSG_DATA + 1);
}

static bool is_msg(const struct mailbox_msg *m, unsigned int n, __u32 len)
{
	unsigned int i;

	if (m->len != len || m->sender != 4242)
		return false;
	for (i = 0; i < MAILBOX_MSG_DATA; i++)
		if (m->data[i] != (i < len ? (__u8)(n * 31 + i) : 0))
			return false;
	return true;
}

static int get(struct mailbox_msg *m)
{
	memset(m, 0xee, sizeof(*m));
	return pt_call(o, "get", &mb, sizeof(mb), NULL, 0, m, sizeof(*m));
}

void test_mailbox(void)
{
	struct mailbox before;
	struct mailbox_msg m;
	struct put_args a = {};
	unsigned int i, next = 0, got = 0;
	int bad = 0;
	__u64 seq;

	o = pt_open("mailbox");
	if (!o)
		return;
	memset(&mb, 0, sizeof(mb));
	tap_eq(get(&m), -ENOENT, "mailbox: get from empty is -ENOENT");

	for (i = 0; i < MAILBOX_SLOTS; i++)
		if (put(i, len_of(i), &seq) || seq != i + 1)
			bad++;
	tap_ok(!bad && mb.count == MAILBOX_SLOTS,
	       "mailbox: %d puts fill it, seq 1..%d", MAILBOX_SLOTS,
	       MAILBOX_SLOTS);
	before = mb;
	tap_eq(put(99, 1, NULL), -ENOSPC, "mailbox: put into full is -ENOSPC");
	tap_ok(!memcmp(&mb, &before, sizeof(mb)), "mailbox: ... unchanged");

	for (i = 0; i < 3; i++)
		if (get(&m) || m.seq != i + 1 || !is_msg(&m, i, len_of(i)))
			bad++;
	tap_ok(!bad && mb.count == MAILBOX_SLOTS - 3,
	       "mailbox: get returns the oldest three in order");

	/* Wrap the ring several times, one put and one get at a time. */
	next = MAILBOX_SLOTS;
	got = 3;
	for (i = 0; i < 5 * MAILBOX_SLOTS; i++) {
		if (put(next, len_of(next), NULL))
			bad++;
		next++;
		if (i % 2) {
			if (put(next, len_of(next), NULL))
				bad++;
			next++;
		}
		while (mb.count > MAILBOX_SLOTS / 2) {
			if (get(&m) || m.seq != got + 1 ||
			    !is_msg(&m, got, len_of(got)))
				bad++;
			got++;
		}
	}
	tap_ok(!bad, "mailbox: FIFO across wrap-around (%u put, %u got)", next,
	       got);
	while (!get(&m)) {
		if (m.seq != got + 1 || !is_msg(&m, got, len_of(got)))
			bad++;
		got++;
	}
	tap_ok(!bad && got == next && mb.count == 0,
	       "mailbox: drained, nothing lost or duplicated");
	for (i = 0; i < MAILBOX_SLOTS; i++)
		if (mb.msgs[i].seq || mb.msgs[i].len)
			bad++;
	tap_ok(!bad, "mailbox: free slots are zero");

	tap_eq(put(1, MAILBOX_MSG_DATA, NULL), 0, "mailbox: put a full message");
	before = mb;
	tap_eq(get(&m), 0, "mailbox: get it back");
	tap_ok(is_msg(&m, 1, MAILBOX_MSG_DATA), "mailbox: ... all %d bytes",
	       MAILBOX_MSG_DATA);
	tap_ok(m.sender == 4242, "mailbox: sender is the caller's tgid");
	mb = before;
	tap_eq(pt_call(o, "get", &mb, sizeof(mb), NULL, 0, &m, sizeof(m) - 1),
	       -ENOBUFS, "mailbox: get with short output is -ENOBUFS");
	tap_ok(!memcmp(&mb, &before, sizeof(mb)),
	       "mailbox: ... the message stays queued");

	a.len = MAILBOX_MSG_DATA + 1;
	tap_eq(pt_call(o, "put", &mb, sizeof(mb), &a, sizeof(a), NULL, 0),
	       -EMSGSIZE, "mailbox: oversized message is -EMSGSIZE");
	a.len = 10;
	tap_eq(pt_call(o, "put", &mb, sizeof(mb), &a,
		       offsetof(struct put_args, data) + 9, NULL, 0),
	       -EINVAL, "mailbox: argument shorter than len is -EINVAL");
	a.__reserved = 1;
	tap_eq(pt_call(o, "put", &mb, sizeof(mb), &a, sizeof(a), NULL, 0),
	       -EINVAL, "mailbox: non-zero reserved field is -EINVAL");
	tap_eq(pt_call(o, "put", &mb, sizeof(mb), &a, 4, NULL, 0),
	       -EINVAL, "mailbox: argument without a header is -EINVAL");
	tap_eq(pt_call(o, "get", &mb, sizeof(mb) - 1, NULL, 0, &m, sizeof(m)),
	       -EINVAL, "mailbox: short object is -EINVAL");
	tap_ok(!memcmp(&mb, &before, sizeof(mb)),
	       "mailbox: failed calls changed nothing");
	pt_close(o);
}
