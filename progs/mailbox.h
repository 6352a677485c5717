/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mailbox: a bounded FIFO of fixed-size messages.  Object layout and
 * method arguments, shared by progs/mailbox.c and its callers.
 */
#ifndef IPO_PROGS_MAILBOX_H
#define IPO_PROGS_MAILBOX_H

#include <linux/types.h>

#define MAILBOX_SLOTS		8
#define MAILBOX_MSG_DATA	48

/**
 * struct mailbox_msg - one message, as stored and as get() returns it
 * @seq: 1 for the first message ever put, then counting up
 * @sender: the putting task's tgid (ipo_method_ctx.caller_tgid)
 * @len: bytes of @data that are the message; the rest are zero
 * @data: the message
 */
struct mailbox_msg {
	__u64 seq;
	__u32 sender;
	__u32 len;
	__u8 data[MAILBOX_MSG_DATA];
};

/**
 * struct mailbox - the object
 * @head: slot of the oldest message, < MAILBOX_SLOTS
 * @count: messages queued, <= MAILBOX_SLOTS; they are in slots
 *	@head, @head + 1, ... (mod MAILBOX_SLOTS); free slots are zero
 * @next_seq: seq of the next message put, minus one
 * @msgs: the ring
 */
struct mailbox {
	__u32 head;
	__u32 count;
	__u64 next_seq;
	struct mailbox_msg msgs[MAILBOX_SLOTS];
};

/*
 * put(len, data) -> out: the message's seq (__u64), when out has room.
 * The argument buffer may stop right after the message's bytes
 * (offsetof(struct put_args, data) + len).  -EMSGSIZE for len over
 * MAILBOX_MSG_DATA, -EINVAL for a buffer shorter than len says,
 * -ENOSPC when the mailbox is full.
 */
struct put_args {
	__u32 len;
	__u32 __reserved;	/* must be 0 */
	__u8 data[MAILBOX_MSG_DATA];
};

/* get() -> out: struct mailbox_msg, removed; -ENOENT when empty, -ENOBUFS */

#endif /* IPO_PROGS_MAILBOX_H */
