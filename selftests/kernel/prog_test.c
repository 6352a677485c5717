// SPDX-License-Identifier: GPL-2.0
/*
 * PROG_LOAD: the kernel's verifier accepts safe METHOD programs, rejects
 * unsafe ones with a log that names the instruction (and the C line when
 * line info is given), and enforces the program limits.
 */
#include "ipo_test.h"

FIXTURE(prog) {
	int dev;
	long nr_progs;
	char log[4096];
};

FIXTURE_SETUP(prog)
{
	struct ipo_info info;

	self->dev = ipo_open_dev();
	ASSERT_LE(0, self->dev);
	ASSERT_EQ(0, ipo_get_info(self->dev, &info));
	ASSERT_TRUE(info.features & IPO_FEATURE_PROGS);
	self->nr_progs = info.nr_progs;
}

FIXTURE_TEARDOWN(prog)
{
	struct ipo_info info;

	/* Nothing a test did may outlive it. */
	if (!ipo_get_info(self->dev, &info))
		EXPECT_EQ(self->nr_progs, info.nr_progs);
	close(self->dev);
}

static void load_init(struct ipo_prog_load *c, const __u64 *insns,
		      __u32 cnt, char *log, __u32 log_size)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->prog_type = IPO_PROG_TYPE_METHOD;
	c->insns = (uintptr_t)insns;
	c->insn_cnt = cnt;
	c->out_fd = -1;
	if (log) {
		c->log_buf = (uintptr_t)log;
		c->log_size = log_size;
		c->log_level = 1;
		memset(log, 'x', log_size);
	}
}

static long nr_progs(int dev)
{
	struct ipo_info info;
	int ret = ipo_get_info(dev, &info);

	return ret ? ret : (long)info.nr_progs;
}

/* Reads the object size from the context and returns it. */
static const __u64 good_prog[] = {
	LDX_W(0, 1, C_OBJ_SIZE),
	EXIT(),
};

TEST_F(prog, load_and_close)
{
	struct ipo_prog_load c;

	load_init(&c, good_prog, 2, self->log, sizeof(self->log));
	strcpy(c.name, "size_of_obj");
	ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c))
		TH_LOG("log: %s", self->log);
	EXPECT_LE(0, c.out_fd);
	EXPECT_LT(0, c.prog_id);
	EXPECT_EQ(0, c.out_flags & IPO_PROG_LOG_TRUNCATED);
	EXPECT_EQ(strlen(self->log), c.log_len);
	EXPECT_EQ(self->nr_progs + 1, nr_progs(self->dev));
	EXPECT_EQ(0, fcntl(c.out_fd, F_GETFD) & FD_CLOEXEC);
	ASSERT_EQ(0, close(c.out_fd));
	EXPECT_EQ(self->nr_progs, nr_progs(self->dev));
}

TEST_F(prog, cloexec)
{
	struct ipo_prog_load c;

	load_init(&c, good_prog, 2, NULL, 0);
	c.flags = IPO_PROG_CLOEXEC;
	ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
	EXPECT_EQ(FD_CLOEXEC, fcntl(c.out_fd, F_GETFD) & FD_CLOEXEC);
	close(c.out_fd);
}

TEST_F(prog, ids_unique)
{
	struct ipo_prog_load a, b;

	load_init(&a, good_prog, 2, NULL, 0);
	load_init(&b, good_prog, 2, NULL, 0);
	ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_PROG_LOAD, &a));
	ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_PROG_LOAD, &b));
	EXPECT_NE(a.prog_id, b.prog_id);
	close(a.out_fd);
	close(b.out_fd);
}

/* Unsafe programs, each with the log fragment the rejection must show. */
struct bad_prog {
	const char *what;
	__u64 insns[8];
	__u32 cnt;
	const char *frag;
};

static const struct bad_prog bad_progs[] = {
	{ "r0 not set at exit", { EXIT() }, 1, "0:" },
	{ "store into the read-only context",
	  { ST_W(1, C_OBJ_SIZE, 1), MOV64_IMM(0, 0), EXIT() }, 3, "0:" },
	{ "uninitialised stack read",
	  { LDX_DW(0, 10, -8), EXIT() }, 2, "0:" },
	{ "kernel pointer stored into the object",
	  { LDX_DW(2, 1, C_OBJ), STX_DW(2, 1, 0), MOV64_IMM(0, 0), EXIT() },
	  4, "1:" },
	{ "pointer returned in r0",
	  { LDX_DW(0, 1, C_OBJ), EXIT() }, 2, "1:" },
	{ "unknown opcode", { INSN(0xff, 0, 0, 0, 0), EXIT() }, 2, "0:" },
	{ "falls off the end", { MOV64_IMM(0, 0) }, 1, "0:" },
	{ "unknown helper",
	  { INSN(0x85, 0, 0, 0, 9999), MOV64_IMM(0, 0), EXIT() }, 3, "0:" },
};

TEST_F(prog, rejected_with_log)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad_progs); i++) {
		const struct bad_prog *b = &bad_progs[i];
		struct ipo_prog_load c;

		load_init(&c, b->insns, b->cnt, self->log, sizeof(self->log));
		EXPECT_EQ(-EINVAL, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c))
			TH_LOG("%s: accepted", b->what);
		EXPECT_EQ(-1, c.out_fd);
		EXPECT_LT(0, c.log_len) TH_LOG("%s: empty log", b->what);
		EXPECT_EQ(strlen(self->log), c.log_len);
		EXPECT_NE(NULL, strstr(self->log, b->frag))
			TH_LOG("%s: log lacks '%s': %s", b->what, b->frag,
			       self->log);
	}
}

/* r2 = ctx->arg; r0 = *(u64 *)(r2 + 0): the arg size is never tested. */
static const __u64 checked_prog[] = {
	LDX_DW(2, 1, C_ARG), LDX_DW(0, 2, 0), EXIT(),
};
/* A loop with no counter: r0 = obj[0] until 0 (obj size tested). */
static const __u64 fuel_prog[] = {
	LDX_W(2, 1, C_OBJ_SIZE), JLT_IMM(2, 8, 4), LDX_DW(2, 1, C_OBJ),
	LDX_DW(0, 2, 0), JNE_IMM(0, 0, -2), EXIT(), MOV64_IMM(0, 0), EXIT(),
};

/*
 * IPO_PROG_STRICT refuses what the verifier could accept only with a
 * run-time check or a loop only fuel ends, naming the instruction and the
 * test that would help ("N: strict: ..."); without it the same program
 * loads, and log level 1 says the same in notes.  A program that needs
 * neither loads either way.
 */
TEST_F(prog, strict)
{
	static const struct {
		const __u64 *insns;
		__u32 cnt;
		const char *frag;
	} cases[] = {
		{ checked_prog, ARRAY_SIZE(checked_prog),
		  "1: strict: run-time check: 8-byte arg access at offset 0: arg is known to be at least 0 bytes, not 8; test ctx+28 against 8 first" },
		{ fuel_prog, ARRAY_SIZE(fuel_prog),
		  "3: strict: loop relies on fuel: no register counts up or down" },
	};
	struct ipo_prog_load c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		load_init(&c, cases[i].insns, cases[i].cnt, self->log,
			  sizeof(self->log));
		c.log_level = 0;
		c.flags = IPO_PROG_STRICT;
		EXPECT_EQ(-EINVAL, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
		EXPECT_NE(NULL, strstr(self->log, cases[i].frag))
			TH_LOG("case %zu: %s", i, self->log);

		load_init(&c, cases[i].insns, cases[i].cnt, self->log,
			  sizeof(self->log));
		ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
		close(c.out_fd);
		/* The note: the same words, without "strict: ". */
		EXPECT_NE(NULL, strstr(self->log, cases[i].frag + 11))
			TH_LOG("case %zu: %s", i, self->log);
		EXPECT_EQ(NULL, strstr(self->log, "strict:"));
	}
	load_init(&c, good_prog, ARRAY_SIZE(good_prog), NULL, 0);
	c.flags = IPO_PROG_STRICT;
	ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
	close(c.out_fd);
}

TEST_F(prog, log_truncated)
{
	struct ipo_prog_load c;
	__u64 insns[64];
	char log[128];
	int i;

	/* Verbose log of a long program: more than 128 bytes. */
	for (i = 0; i < 63; i++)
		insns[i] = MOV64_IMM(0, i);
	insns[63] = EXIT();
	load_init(&c, insns, 64, log, sizeof(log));
	c.log_level = 2;
	ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
	EXPECT_EQ(IPO_PROG_LOG_TRUNCATED, c.out_flags & IPO_PROG_LOG_TRUNCATED);
	EXPECT_GT(sizeof(log), c.log_len);
	EXPECT_EQ(c.log_len, strnlen(log, sizeof(log)));
	close(c.out_fd);
}

TEST_F(prog, bad_arguments)
{
	struct ipo_prog_load c;

	load_init(&c, good_prog, 2, NULL, 0);
	c.prog_type = 0;
	EXPECT_EQ(-EINVAL, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
	c.prog_type = 77;
	EXPECT_EQ(-EINVAL, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));

	load_init(&c, good_prog, 0, NULL, 0);
	EXPECT_EQ(-EINVAL, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
	load_init(&c, NULL, 2, NULL, 0);
	EXPECT_EQ(-EINVAL, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
	load_init(&c, (const __u64 *)8, 2, NULL, 0);
	EXPECT_EQ(-EFAULT, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));

	/* Log arguments. */
	load_init(&c, good_prog, 2, self->log, sizeof(self->log));
	c.log_level = IPO_LOG_LEVEL_MAX + 1;
	EXPECT_EQ(-EINVAL, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
	load_init(&c, good_prog, 2, self->log, 127);
	EXPECT_EQ(-EINVAL, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
	load_init(&c, good_prog, 2, NULL, 0);
	c.log_size = 4096;
	EXPECT_EQ(-EINVAL, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
	load_init(&c, good_prog, 2, NULL, 0);
	c.log_level = 1;
	EXPECT_EQ(-EINVAL, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
	load_init(&c, good_prog, 2, NULL, 0);
	c.log_buf = 8;
	c.log_size = 4096;
	EXPECT_EQ(-EFAULT, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
	EXPECT_EQ(self->nr_progs, nr_progs(self->dev));

	/* Names follow the object rules. */
	load_init(&c, good_prog, 2, NULL, 0);
	strcpy(c.name, "a/b");
	EXPECT_EQ(-EINVAL, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
	load_init(&c, good_prog, 2, NULL, 0);
	memset(c.name, 'a', sizeof(c.name));
	EXPECT_EQ(-ENAMETOOLONG, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
}

/* A C source line in the line info shows up in the rejection's log. */
TEST_F(prog, log_names_source_line)
{
	static const char strings[] = "\0widget.c\0\treturn *(long *)(fp - 8);";
	static const __u64 insns[] = { LDX_DW(0, 10, -8), EXIT() };
	struct ipo_line_rec rec = {
		.insn_off = 0, .line = 42, .col = 2,
		.file_off = 1, .src_off = 10,
	};
	struct ipo_prog_load c;

	load_init(&c, insns, 2, self->log, sizeof(self->log));
	c.line_info = (uintptr_t)&rec;
	c.line_info_cnt = 1;
	c.line_info_rec_size = sizeof(rec);
	c.strings = (uintptr_t)strings;
	c.strings_size = sizeof(strings);
	ASSERT_EQ(-EINVAL, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
	EXPECT_NE(NULL, strstr(self->log, "widget.c:42"))
		TH_LOG("log: %s", self->log);
	EXPECT_NE(NULL, strstr(self->log, "return *(long *)(fp - 8);"))
		TH_LOG("log: %s", self->log);

	/* Records pointing outside the strings, or unsorted, are refused. */
	rec.src_off = sizeof(strings);
	EXPECT_EQ(-EINVAL, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
	rec.src_off = 10;
	rec.insn_off = 2;
	EXPECT_EQ(-EINVAL, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
	rec.insn_off = 0;
	rec.__reserved = 1;
	EXPECT_EQ(-EINVAL, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
	rec.__reserved = 0;
	c.line_info_rec_size = 8;
	EXPECT_EQ(-EINVAL, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
}

FIXTURE(prog_limits) {
	int dev;
	unsigned long long max_insns, max_progs;
};

FIXTURE_SETUP(prog_limits)
{
	self->dev = ipo_open_dev();
	ASSERT_LE(0, self->dev);
	ASSERT_EQ(0, ipo_param_read("max_prog_insns", &self->max_insns));
	ASSERT_EQ(0, ipo_param_read("max_progs_per_user", &self->max_progs));
}

FIXTURE_TEARDOWN(prog_limits)
{
	ipo_param_write("max_prog_insns", self->max_insns);
	ipo_param_write("max_progs_per_user", self->max_progs);
	close(self->dev);
}

TEST_F(prog_limits, too_many_insns)
{
	struct ipo_prog_load c;
	__u64 insns[16];
	int i;

	for (i = 0; i < 15; i++)
		insns[i] = MOV64_IMM(0, i);
	insns[15] = EXIT();
	ASSERT_EQ(0, ipo_param_write("max_prog_insns", 15));
	load_init(&c, insns, 16, NULL, 0);
	EXPECT_EQ(-E2BIG, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
	ASSERT_EQ(0, ipo_param_write("max_prog_insns", 16));
	ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
	close(c.out_fd);
}

TEST_F(prog_limits, per_user)
{
	struct ipo_prog_load c;
	long base = nr_progs(self->dev);
	int fds[4], i;

	ASSERT_LE(0, base);
	ASSERT_EQ(0, ipo_param_write("max_progs_per_user", base + 4));
	for (i = 0; i < 4; i++) {
		load_init(&c, good_prog, 2, NULL, 0);
		ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
		fds[i] = c.out_fd;
	}
	load_init(&c, good_prog, 2, NULL, 0);
	EXPECT_EQ(-EMFILE, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
	close(fds[0]);
	EXPECT_EQ(0, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
	close(c.out_fd);
	for (i = 1; i < 4; i++)
		close(fds[i]);
	EXPECT_EQ(base, nr_progs(self->dev));
}

/* A program refused after verification frees everything, line info too. */
TEST_F(prog_limits, jit_only_refused_after_verification)
{
	static const char strings[] = "\0m.c\0return ctx->obj_size;";
	struct ipo_line_rec rec = { .line = 3, .file_off = 1, .src_off = 5 };
	long base = nr_progs(self->dev);
	struct ipo_prog_load c;

	ASSERT_EQ(0, ipo_param_write_str("jit", "0"));
	load_init(&c, good_prog, 2, NULL, 0);
	c.flags = IPO_PROG_JIT_ONLY;
	c.line_info = (uintptr_t)&rec;
	c.line_info_cnt = 1;
	c.line_info_rec_size = sizeof(rec);
	c.strings = (uintptr_t)strings;
	c.strings_size = sizeof(strings);
	EXPECT_EQ(-ENOSPC, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
	EXPECT_EQ(-1, c.out_fd);
	EXPECT_EQ(base, nr_progs(self->dev));
	ASSERT_EQ(0, ipo_param_write_str("jit", "1"));
	EXPECT_EQ(0, ipo_ioctl(self->dev, IPO_PROG_LOAD, &c));
	EXPECT_TRUE(c.out_flags & IPO_PROG_JITED);
	close(c.out_fd);
}

TEST_HARNESS_MAIN
