// SPDX-License-Identifier: GPL-2.0
/* Refused by the loader: IPO_STRICT() names no program of the file. */
#include "test_prog.h"

SEC("method/real")
int real(struct ipo_method_ctx *ctx)
{
	return 0;
}

IPO_STRICT(missing);

char _license[] SEC("license") = "GPL";
