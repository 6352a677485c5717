// SPDX-License-Identifier: GPL-2.0
/*
 * ipo_bench: the kernel's eBPF, BPF_PROG_RUN and a map update.
 */
#include <linux/bpf.h>

#include "ipo_bench.h"

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	long r = syscall(__NR_bpf, cmd, attr, sizeof(*attr));

	return r < 0 ? -errno : (int)r;
}

struct bpf_ctx {
	int64_t delta;
	int64_t total;
};

struct bpf_state {
	int map_fd, prog_fd;
	int64_t total;
};

#define INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
			    .off = (o), .imm = (i) })

/*
 * A BPF_PROG_TYPE_SYSCALL program (sleepable, as 6.1 requires) doing
 * counter.add on element 0 of an array map: total += ctx->delta;
 * ctx->total = total.  BPF_PROG_RUN copies the context back.
 */
static int bpf_open(struct bpf_state *s, bool prog)
{
	union bpf_attr a;
	char log[4096] = "";
	struct bpf_insn insns[] = {
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_1, 0, 0),
		INSN(BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, -4, 0),
		INSN(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_1, BPF_PSEUDO_MAP_FD,
		     0, 0),	/* the map fd goes here */
		INSN(0, 0, 0, 0, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0),
		INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -4),
		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem),
		INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_0, 0, 2, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, -ENOENT),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
		INSN(BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_1, BPF_REG_6, 0, 0),
		INSN(BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_2, BPF_REG_0, 0, 0),
		INSN(BPF_ALU64 | BPF_ADD | BPF_X, BPF_REG_2, BPF_REG_1, 0, 0),
		INSN(BPF_STX | BPF_MEM | BPF_DW, BPF_REG_0, BPF_REG_2, 0, 0),
		INSN(BPF_STX | BPF_MEM | BPF_DW, BPF_REG_6, BPF_REG_2, 8, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	int fd;

	memset(s, 0, sizeof(*s));
	s->prog_fd = -1;
	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = 1;
	s->map_fd = sys_bpf(BPF_MAP_CREATE, &a);
	if (s->map_fd < 0)
		return s->map_fd;
	if (!prog)
		return 0;
	insns[2].imm = s->map_fd;
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SYSCALL;
	a.prog_flags = BPF_F_SLEEPABLE;
	a.insns = (uintptr_t)insns;
	a.insn_cnt = sizeof(insns) / sizeof(insns[0]);
	a.license = (uintptr_t)"GPL";
	a.log_buf = (uintptr_t)log;
	a.log_size = sizeof(log);
	a.log_level = 1;
	fd = sys_bpf(BPF_PROG_LOAD, &a);
	if (fd < 0) {
		/* The log only matters when the load failed. */
		a.log_level = 0;
		fprintf(stderr, "bpf: PROG_LOAD: %s\n%s\n", strerror(-fd), log);
		return fd;
	}
	s->prog_fd = fd;
	return 0;
}

static void bpf_close(struct bpf_state *s)
{
	if (s->prog_fd >= 0)
		close(s->prog_fd);
	if (s->map_fd >= 0)
		close(s->map_fd);
}

static int op_bpf_prog_run(void *st, int64_t delta, int64_t *total,
			   uint64_t *lat)
{
	struct bpf_state *s = st;
	struct bpf_ctx ctx = { .delta = delta };
	union bpf_attr a;
	int err;

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = s->prog_fd;
	a.test.ctx_in = (uintptr_t)&ctx;
	a.test.ctx_size_in = sizeof(ctx);
	err = sys_bpf(BPF_PROG_RUN, &a);
	if (err < 0)
		return err;
	if (a.test.retval)
		return (int)a.test.retval;
	*total = ctx.total;
	return 0;
}

/* One update of the element with the client's own new total. */
static int op_bpf_map_update(void *st, int64_t delta, int64_t *total,
			     uint64_t *lat)
{
	struct bpf_state *s = st;
	uint32_t key = 0;
	int64_t v = s->total + delta;
	union bpf_attr a;
	int err;

	memset(&a, 0, sizeof(a));
	a.map_fd = s->map_fd;
	a.key = (uintptr_t)&key;
	a.value = (uintptr_t)&v;
	a.flags = BPF_ANY;
	err = sys_bpf(BPF_MAP_UPDATE_ELEM, &a);
	if (err < 0)
		return err;
	*total = s->total = v;
	return 0;
}

static int bpf_map_total(struct bpf_state *s, int64_t *v)
{
	uint32_t key = 0;
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = s->map_fd;
	a.key = (uintptr_t)&key;
	a.value = (uintptr_t)v;
	return sys_bpf(BPF_MAP_LOOKUP_ELEM, &a);
}

void run_bpf(void)
{
	static const struct {
		const char *name;
		bool prog;
		op_fn op;
		const char *what;
	} v[] = {
		{ "bpf_prog_run_syscall", true, op_bpf_prog_run,
		  "BPF_PROG_RUN of a sleepable SYSCALL program: array map lookup, add, store, total into ctx" },
		{ "bpf_map_update_elem", false, op_bpf_map_update,
		  "one BPF_MAP_UPDATE_ELEM of the client-computed total (no read-modify-write in the kernel)" },
	};
	size_t i;

	for (i = 0; i < 2; i++) {
		struct mech m = {
			.name = v[i].name, .placement = "local",
			.timing = "per_batch", .ops = BATCH, .calls = 1,
			.what = v[i].what,
		};
		struct bpf_state s;
		int64_t total = 0, in_map;
		int err;

		if (!wanted(m.name))
			continue;
		err = bpf_open(&s, v[i].prog);
		if (err)
			setup_failed(m.name, m.placement, "bpf()", err);
		else if (!measure(&m, v[i].op, &s, &total) &&
			 (bpf_map_total(&s, &in_map) || in_map != total))
			setup_failed(m.name, m.placement,
				     "map total after the run", -EBADMSG);
		bpf_close(&s);
	}
}
