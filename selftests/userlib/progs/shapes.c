// SPDX-License-Identifier: GPL-2.0
/*
 * Argument shapes for the bundle-script tests (selftests/userlib/
 * bundle_test.c), compiled into build/bundle-progs/shapes.o: a flexible
 * array member of bytes and one of words, a fixed array last, and an
 * array that is not last.  Each method returns the bytes it was given.
 */
#include "ipo.h"

struct blob_args {
	__u32 tag;
	__u8 data[];
};

struct words_args {
	__u16 n;
	__u16 __pad;
	__u32 w[];
};

struct note_args {
	__u32 id;
	char text[16];
};

struct mid_args {
	__u8 key[8];
	__u64 value;
};

IPO_ARGS(blob);
IPO_ARGS(words);
IPO_ARGS(note);
IPO_ARGS(mid);

IPO_METHOD(blob)
int blob(struct ipo_method_ctx *ctx)
{
	return ctx->arg_size;
}

IPO_METHOD(words)
int words(struct ipo_method_ctx *ctx)
{
	return ctx->arg_size;
}

IPO_METHOD(note)
int note(struct ipo_method_ctx *ctx)
{
	return ctx->arg_size;
}

IPO_METHOD(mid)
int mid(struct ipo_method_ctx *ctx)
{
	return ctx->arg_size;
}

IPO_LICENSE("GPL");
