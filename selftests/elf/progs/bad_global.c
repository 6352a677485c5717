// SPDX-License-Identifier: GPL-2.0
/* The loader must refuse this: ipo programs have no global variables. */
#include "test_prog.h"

u32 counter;

SEC("method/bump")
int bump(struct ipo_method_ctx *ctx)
{
	return ++counter;
}

char _license[] SEC("license") = "GPL";
