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
 * bounds get a run-time check.  The size fields hold exactly the sizes the
 * run checks against (size_of), so a method that tests them, as in
 * `if (ctx->obj_size < sizeof(*st)) return -EINVAL;`, has its accesses
 * below the tested size proved instead of checked.
 *
 * IRQ: r1 = struct ipo_irq_ctx (uapi): the object (read/write, run-time
 * size) and the window's size.  The register window is reached only
 * through the mmio helpers, which check every access against the window
 * at run time; the verifier also records the constant offsets so the
 * attach can refuse a program that cannot fit the window it is given.
 * IRQ programs also have notify and ktime_ns.
 *
 * "mem" is the host-only type of the conformance suite: r1 points to a
 * block of memory, r2 holds its size (the size the run checks against).
 */
#include "progtypes.h"

#define MCTX(field)	offsetof(struct ipo_method_ctx, field)
#define MSIZE(field)	sizeof(((struct ipo_method_ctx *)0)->field)

#define ICTX(field)	offsetof(struct ipo_irq_ctx, field)

#define MEM_MAX			(1U << 20)

static const struct ipo_ctx_field method_ctx_fields[] = {
	{ .off = MCTX(obj), .size = 8, .region = IPO_RGN_OBJ },
	{ .off = MCTX(arg), .size = 8, .region = IPO_RGN_ARG },
	{ .off = MCTX(out), .size = 8, .region = IPO_RGN_OUT },
	{ .off = MCTX(obj_size), .size = MSIZE(obj_size), .max = U32_MAX,
	  .size_of = IPO_RGN_OBJ },
	{ .off = MCTX(arg_size), .size = MSIZE(arg_size), .max = U32_MAX,
	  .size_of = IPO_RGN_ARG },
	{ .off = MCTX(out_size), .size = MSIZE(out_size), .max = U32_MAX,
	  .size_of = IPO_RGN_OUT },
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

/*
 * A clock read is tens of instructions' time with the TSC, a microsecond
 * with the HPET or under emulation: it is charged as 64 instructions.
 */
#define IPO_FUEL_KTIME		64

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
		.fuel = IPO_FUEL_KTIME,
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
	{ .off = ICTX(obj), .size = 8, .region = IPO_RGN_OBJ },
	{ .off = ICTX(obj_size), .size = 4, .max = IPO_IRQ_OBJ_MAX,
	  .size_of = IPO_RGN_OBJ },
	{ .off = ICTX(win_size), .size = 4, .max = IPO_IRQ_WIN_MAX },
};

static u64 ipo_fn_irq_notify(u64 mask, u64 r2, u64 r3, u64 r4, u64 r5,
			     struct ipo_run *run)
{
	struct ipo_irq_env *env = run->priv;

	env->events |= mask;
	return 0;
}

/*
 * The window check, whatever the verifier found: in bounds, aligned, and
 * of a width the window allows; else the run aborts (and the hook faults).
 */
static void *ipo_irq_reg(struct ipo_run *run, u64 off, u32 size)
{
	struct ipo_irq_env *env = run->priv;

	if (off >= env->win_size || size > env->win_size - off ||
	    (off & (size - 1)) || !(env->widths & size)) {
		run->abort = IPO_ABORT_HELPER;
		return NULL;
	}
	off = array_index_nospec(off, env->win_size);
	return (u8 *)env->win + off;
}

#define IPO_MMIO_HELPERS(bits)						\
static u64 ipo_fn_mmio_read##bits(u64 off, u64 r2, u64 r3, u64 r4,	\
				  u64 r5, struct ipo_run *run)		\
{									\
	void *reg = ipo_irq_reg(run, off, (bits) / 8);			\
									\
	return reg ? ipo_io_read(reg, (bits) / 8) : 0;			\
}									\
									\
static u64 ipo_fn_mmio_write##bits(u64 off, u64 val, u64 r3, u64 r4,	\
				   u64 r5, struct ipo_run *run)		\
{									\
	void *reg = ipo_irq_reg(run, off, (bits) / 8);			\
									\
	if (reg)							\
		ipo_io_write(reg, (bits) / 8, val);			\
	return 0;							\
}

IPO_MMIO_HELPERS(8)
IPO_MMIO_HELPERS(16)
IPO_MMIO_HELPERS(32)
IPO_MMIO_HELPERS(64)

#define IPO_MMIO_PROTOS(bits)						\
	[IPO_FN_mmio_read##bits] = {					\
		.name = "mmio_read" #bits, .fn = ipo_fn_mmio_read##bits,	\
		.args = { IPO_ARG_MMIO_OFF },				\
		.ret_max = (bits) == 64 ? U64_MAX : (1ULL << ((bits) & 63)) - 1, \
		.mmio_size = (bits) / 8,				\
	},								\
	[IPO_FN_mmio_write##bits] = {					\
		.name = "mmio_write" #bits, .fn = ipo_fn_mmio_write##bits,	\
		.args = { IPO_ARG_MMIO_OFF, IPO_ARG_ANY },		\
		.ret_max = 0, .mmio_size = (bits) / 8,			\
	}

static const struct ipo_helper_proto irq_helpers[] = {
	[IPO_FN_notify] = {
		.name = "notify", .fn = ipo_fn_irq_notify,
		.args = { IPO_ARG_ANY }, .ret_max = 0,
	},
	[IPO_FN_ktime_ns] = {
		.name = "ktime_ns", .fn = ipo_fn_ktime_ns, .ret_max = U64_MAX,
		.fuel = IPO_FUEL_KTIME,
	},
	IPO_MMIO_PROTOS(8),
	IPO_MMIO_PROTOS(16),
	IPO_MMIO_PROTOS(32),
	IPO_MMIO_PROTOS(64),
};

const struct ipo_prog_type ipo_progtype_irq = {
	.name = "irq",
	.entry_region = { IPO_RGN_CTX },
	.regions = {
		[IPO_RGN_CTX] = {
			.flags = IPO_RGNF_READ,
			.min_size = sizeof(struct ipo_irq_ctx),
		},
		[IPO_RGN_OBJ] = {
			.flags = IPO_RGNF_READ | IPO_RGNF_WRITE | IPO_RGNF_DYN,
		},
	},
	.ctx_fields = irq_ctx_fields,
	.nr_ctx_fields = ARRAY_SIZE(irq_ctx_fields),
	.ctx_size = sizeof(struct ipo_irq_ctx),
	.helpers = irq_helpers,
	.nr_helpers = ARRAY_SIZE(irq_helpers),
};

const struct ipo_prog_type ipo_progtype_mem = {
	.name = "mem",
	.entry_region = { IPO_RGN_MEM, IPO_RGN_NONE },
	.entry_scalar = { 0, 1 },
	.entry_scalar_max = { 0, MEM_MAX },
	.entry_size_of = { IPO_RGN_NONE, IPO_RGN_MEM },
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

const char *ipo_abort_str(u32 abort)
{
	switch (abort) {
	case IPO_RUN_OK:
		return "ok";
	case IPO_ABORT_FUEL:
		return "fuel exhausted";
	case IPO_ABORT_BOUNDS:
		return "out of bounds access";
	case IPO_ABORT_HELPER:
		return "aborted by helper";
	case IPO_ABORT_UNWIND:
		return "unwound by helper";
	case IPO_ABORT_UNDO:
		return "undo log full";
	}
	return "unknown abort";
}

/* A region's name in logs and messages ("obj", "stack", ...). */
static const char *const ipo_region_names[IPO_NR_REGIONS] = {
	[IPO_RGN_NONE] = "none",
	[IPO_RGN_CTX] = "ctx",
	[IPO_RGN_OBJ] = "obj",
	[IPO_RGN_ARG] = "arg",
	[IPO_RGN_OUT] = "out",
	[IPO_RGN_MEM] = "mem",
	[IPO_RGN_STACK] = "stack",
};

const char *ipo_region_name(u8 region)
{
	return region < IPO_NR_REGIONS ? ipo_region_names[region] : "?";
}
