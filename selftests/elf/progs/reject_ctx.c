// SPDX-License-Identifier: GPL-2.0
/* Must be rejected: loads past the end of the context struct. */
#include "test_prog.h"

SEC("method/past")
int past(struct ipo_method_ctx *ctx)
{
	const u32 *raw = (const u32 *)ctx;

	return raw[64]; /* EXPECT-REJECT */
}

char _license[] SEC("license") = "GPL";
