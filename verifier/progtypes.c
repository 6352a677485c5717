// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Descriptions of the program types for the engine (struct ipo_prog_type).
 *
 * One table, built into both the module (PROG_LOAD checks programs
 * against it) and the host tools (ipo verify), so both judge a program the
 * same way.
 *
 * METHOD: r1 = struct ipo_method_ctx (uapi).  The object and the output
 * buffer are read/write, the argument buffer read only; their sizes are
 * known only at run time (DYN), so accesses the verifier cannot prove in
 * bounds get a run-time check.
 *
 * IRQ: the uapi has no context struct yet.  Proposed:
 *
 *	struct ipo_irq_ctx {
 *		__ipo_md_ptr(void *, obj);	 0: the object, read/write
 *		__u32 obj_size;			 8
 *		__u32 win_size;			12: bytes of the register window
 *	};
 *
 * with the register window reached only through mmio helpers.  IRQ has no
 * helpers yet; METHOD has notify and ktime_ns.
 *
 * "mem" is the host-only type of the conformance suite: r1 points to a
 * block of memory, r2 holds its size.
 */
#include "progtypes.h"

#define MCTX(field)	offsetof(struct ipo_method_ctx, field)
#define MSIZE(field)	sizeof(((struct ipo_method_ctx *)0)->field)

#define IRQ_CTX_OBJ		0
#define IRQ_CTX_OBJ_SIZE	8
#define IRQ_CTX_WIN_SIZE	12
#define IRQ_CTX_SIZE		16

#define MEM_MAX			(1U << 20)

static const struct ipo_ctx_field method_ctx_fields[] = {
	{ .off = MCTX(obj), .size = 8, .region = IPO_RGN_OBJ },
	{ .off = MCTX(arg), .size = 8, .region = IPO_RGN_ARG },
	{ .off = MCTX(out), .size = 8, .region = IPO_RGN_OUT },
	{ .off = MCTX(obj_size), .size = MSIZE(obj_size), .max = U32_MAX },
	{ .off = MCTX(arg_size), .size = MSIZE(arg_size), .max = U32_MAX },
	{ .off = MCTX(out_size), .size = MSIZE(out_size), .max = U32_MAX },
	{ .off = MCTX(method), .size = MSIZE(method), .max = U32_MAX },
	{ .off = MCTX(obj_id), .size = MSIZE(obj_id), .max = U64_MAX },
	{ .off = MCTX(caller_uid), .size = MSIZE(caller_uid), .max = U32_MAX },
	{ .off = MCTX(caller_tgid), .size = MSIZE(caller_tgid),
	  .max = U32_MAX },
};

/*
 * notify(mask): the events this call reports.  They reach subscribers
 * only if the call commits, so the helper only records them.
 */
static u64 ipo_fn_notify(u64 mask, u64 r2, u64 r3, u64 r4, u64 r5,
			 struct ipo_run *run)
{
	struct ipo_method_env *env = run->priv;

	if (env)
		env->events |= mask;
	return 0;
}

static u64 ipo_fn_ktime_ns(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5,
			   struct ipo_run *run)
{
	return ipo_ktime_ns();
}

static const struct ipo_helper_proto method_helpers[] = {
	[IPO_FN_notify] = {
		.name = "notify", .fn = ipo_fn_notify,
		.args = { IPO_ARG_ANY }, .ret_max = 0,
	},
	[IPO_FN_ktime_ns] = {
		.name = "ktime_ns", .fn = ipo_fn_ktime_ns, .ret_max = U64_MAX,
	},
};

const struct ipo_prog_type ipo_progtype_method = {
	.name = "method",
	.entry_region = { IPO_RGN_CTX },
	.regions = {
		[IPO_RGN_CTX] = {
			.flags = IPO_RGNF_READ,
			.min_size = sizeof(struct ipo_method_ctx),
		},
		[IPO_RGN_OBJ] = {
			.flags = IPO_RGNF_READ | IPO_RGNF_WRITE | IPO_RGNF_DYN,
		},
		[IPO_RGN_ARG] = {
			.flags = IPO_RGNF_READ | IPO_RGNF_DYN,
		},
		[IPO_RGN_OUT] = {
			.flags = IPO_RGNF_READ | IPO_RGNF_WRITE | IPO_RGNF_DYN,
		},
	},
	.ctx_fields = method_ctx_fields,
	.nr_ctx_fields = ARRAY_SIZE(method_ctx_fields),
	.ctx_size = sizeof(struct ipo_method_ctx),
	.helpers = method_helpers,
	.nr_helpers = ARRAY_SIZE(method_helpers),
};

static const struct ipo_ctx_field irq_ctx_fields[] = {
	{ .off = IRQ_CTX_OBJ, .size = 8, .region = IPO_RGN_OBJ },
	{ .off = IRQ_CTX_OBJ_SIZE, .size = 4, .max = U32_MAX },
	{ .off = IRQ_CTX_WIN_SIZE, .size = 4, .max = U32_MAX },
};

const struct ipo_prog_type ipo_progtype_irq = {
	.name = "irq",
	.entry_region = { IPO_RGN_CTX },
	.regions = {
		[IPO_RGN_CTX] = {
			.flags = IPO_RGNF_READ,
			.min_size = IRQ_CTX_SIZE,
		},
		[IPO_RGN_OBJ] = {
			.flags = IPO_RGNF_READ | IPO_RGNF_WRITE | IPO_RGNF_DYN,
		},
	},
	.ctx_fields = irq_ctx_fields,
	.nr_ctx_fields = ARRAY_SIZE(irq_ctx_fields),
	.ctx_size = IRQ_CTX_SIZE,
};

const struct ipo_prog_type ipo_progtype_mem = {
	.name = "mem",
	.entry_region = { IPO_RGN_MEM, IPO_RGN_NONE },
	.entry_scalar = { 0, 1 },
	.entry_scalar_max = { 0, MEM_MAX },
	.regions = {
		[IPO_RGN_MEM] = {
			.flags = IPO_RGNF_READ | IPO_RGNF_WRITE | IPO_RGNF_DYN,
		},
	},
};

const struct ipo_prog_type *ipo_progtype_by_name(const char *name)
{
	static const struct ipo_prog_type *const types[] = {
		&ipo_progtype_method,
		&ipo_progtype_irq,
		&ipo_progtype_mem,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(types); i++)
		if (!strcmp(name, types[i]->name))
			return types[i];
	return NULL;
}

const struct ipo_prog_type *ipo_progtype_of(u32 uapi_type)
{
	switch (uapi_type) {
	case IPO_PROG_TYPE_METHOD:
		return &ipo_progtype_method;
	case IPO_PROG_TYPE_IRQ:
		return &ipo_progtype_irq;
	default:
		return NULL;
	}
}
