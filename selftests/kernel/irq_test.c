// SPDX-License-Identifier: GPL-2.0
/*
 * The shared-IRQ hook on two QEMU edu devices sharing one INTx line
 * (scripts/vm.sh --edu 2): each hook acknowledges and counts exactly its
 * own device's interrupts; a hook that never acknowledges, or runs out of
 * fuel, or leaves its window at run time is contained and the other device
 * keeps working; constant accesses outside the window are refused at load
 * or attach; only CAP_SYS_RAWIO attaches; attach, detach and unbind in a
 * loop while interrupts fire leave nothing behind; the kernel never
 * disables the line.
 */
#include <pthread.h>
#include <sched.h>
#include <sys/klog.h>
#include <sys/wait.h>
#include <time.h>

#include "ipo_test.h"

#define CALL(id)		INSN(0x85, 0, 0, 0, id)
#define JEQ_IMM(d, imm, off)	INSN(0x15, d, 0, off, imm)
#define STX_W(d, s, off)	INSN(0x63, d, s, off, 0)

#define EDU_STATUS	0x24
#define EDU_RAISE	0x60
#define EDU_ACK		0x64
#define EDU_WIN		0x80

#define IC_OBJ		offsetof(struct ipo_irq_ctx, obj)
#define IC_OBJ_SIZE	offsetof(struct ipo_irq_ctx, obj_size)

/* status = read32(0x24); if 0: NONE; ack it; obj[0]++; notify(1); HANDLED */
static const __u64 p_edu[] = {
	MOV64_REG(6, 1),
	MOV64_IMM(1, EDU_STATUS), CALL(IPO_FN_mmio_read32),
	JEQ_IMM(0, 0, 14),
	MOV64_REG(7, 0),
	MOV64_IMM(1, EDU_ACK), MOV64_REG(2, 7), CALL(IPO_FN_mmio_write32),
	LDX_W(2, 6, IC_OBJ_SIZE), JLT_IMM(2, 8, 6),
	LDX_DW(3, 6, IC_OBJ), LDX_DW(4, 3, 0), ADD64_IMM(4, 1),
	STX_DW(3, 4, 0),
	MOV64_IMM(1, 1), CALL(IPO_FN_notify),
	MOV64_IMM(0, IPO_IRQ_HANDLED), EXIT(),
	MOV64_IMM(0, IPO_IRQ_NONE), EXIT(),
};

/* The same without the acknowledgement: claims and counts, never quiets. */
static const __u64 p_noack[] = {
	MOV64_REG(6, 1),
	MOV64_IMM(1, EDU_STATUS), CALL(IPO_FN_mmio_read32),
	JEQ_IMM(0, 0, 8),
	LDX_W(2, 6, IC_OBJ_SIZE), JLT_IMM(2, 8, 4),
	LDX_DW(3, 6, IC_OBJ), LDX_DW(4, 3, 0), ADD64_IMM(4, 1),
	STX_DW(3, 4, 0),
	MOV64_IMM(0, IPO_IRQ_HANDLED), EXIT(),
	MOV64_IMM(0, IPO_IRQ_NONE), EXIT(),
};

/*
 * Acknowledges its device but always says "not mine": each of its
 * device's interrupts would count as unhandled on the line.
 */
static const __u64 p_disown[] = {
	MOV64_IMM(1, EDU_STATUS), CALL(IPO_FN_mmio_read32),
	JEQ_IMM(0, 0, 3),
	MOV64_REG(2, 0), MOV64_IMM(1, EDU_ACK), CALL(IPO_FN_mmio_write32),
	MOV64_IMM(0, IPO_IRQ_NONE), EXIT(),
};

/* Its device interrupted: count to 2^64 (the fuel runs out first). */
static const __u64 p_spin[] = {
	MOV64_REG(6, 1),
	MOV64_IMM(1, EDU_STATUS), CALL(IPO_FN_mmio_read32),
	JEQ_IMM(0, 0, 5),
	MOV64_IMM(3, 0), ADD64_IMM(3, 1), JNE_IMM(3, 0, -2),
	MOV64_IMM(0, IPO_IRQ_HANDLED), EXIT(),
	MOV64_IMM(0, IPO_IRQ_NONE), EXIT(),
};

/* obj[1]++, then read32 at the offset in obj[0] (checked at run time). */
static const __u64 p_var_off[] = {
	MOV64_REG(6, 1),
	LDX_W(2, 6, IC_OBJ_SIZE), JLT_IMM(2, 16, 6),
	LDX_DW(3, 6, IC_OBJ),
	LDX_DW(4, 3, 8), ADD64_IMM(4, 1), STX_DW(3, 4, 8),
	LDX_W(1, 3, 0), CALL(IPO_FN_mmio_read32),
	MOV64_IMM(0, IPO_IRQ_NONE), EXIT(),
};

/* read32 at a constant 0x1000: beyond a 0x80-byte window. */
static const __u64 p_far[] = {
	MOV64_IMM(1, 0x1000), CALL(IPO_FN_mmio_read32),
	MOV64_IMM(0, IPO_IRQ_NONE), EXIT(),
};

/* read64 at 0: a width the edu window (32-bit only) does not allow. */
static const __u64 p_wide[] = {
	MOV64_IMM(1, 0), CALL(IPO_FN_mmio_read64),
	MOV64_IMM(0, IPO_IRQ_NONE), EXIT(),
};

/* read32 at 0x26: misaligned, refused at load. */
static const __u64 p_misaligned[] = {
	MOV64_IMM(1, 0x26), CALL(IPO_FN_mmio_read32),
	MOV64_IMM(0, IPO_IRQ_NONE), EXIT(),
};

/* read32 at 1 << 24: no window is that large, refused at load. */
static const __u64 p_absurd[] = {
	MOV64_IMM(1, 1 << 24), CALL(IPO_FN_mmio_read32),
	MOV64_IMM(0, IPO_IRQ_NONE), EXIT(),
};

/*
 * In a window at BAR offset 0x80 (edu's 64-bit DMA address register):
 * write64(0, X); obj[1] = read64(0); NONE.
 */
static const __u64 p_dma64[] = {
	MOV64_REG(6, 1),
	MOV64_IMM(1, 0),
	INSN(0x18, 2, 0, 0, 0x55667788), INSN(0, 0, 0, 0, 0x11223344),
	CALL(IPO_FN_mmio_write64),
	MOV64_IMM(1, 0), CALL(IPO_FN_mmio_read64),
	LDX_W(2, 6, IC_OBJ_SIZE), JLT_IMM(2, 16, 2),
	LDX_DW(3, 6, IC_OBJ), STX_DW(3, 0, 8),
	MOV64_IMM(0, IPO_IRQ_NONE), EXIT(),
};

/* A METHOD that does nothing, to see INVOKE refused while hooked. */
static const __u64 m_nop[] = { MOV64_IMM(0, 0), EXIT() };

/* A METHOD: obj[0] = 0x1000 (a register offset beyond the window). */
static const __u64 m_far[] = {
	LDX_DW(2, 1, C_OBJ), ST_DW(2, 0, 0x1000), MOV64_IMM(0, 0), EXIT(),
};

static char load_log[4096];

static int load_type(int dev, __u32 type, const __u64 *insns, __u32 cnt)
{
	struct ipo_prog_load c;

	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.prog_type = type;
	c.flags = IPO_PROG_CLOEXEC;
	c.insns = (uintptr_t)insns;
	c.insn_cnt = cnt;
	c.log_buf = (uintptr_t)load_log;
	c.log_size = sizeof(load_log);
	load_log[0] = 0;
	return ipo_ioctl(dev, IPO_PROG_LOAD, &c) ?: c.out_fd;
}

#define LOAD_IRQ(dev, p) load_type(dev, IPO_PROG_TYPE_IRQ, p, ARRAY_SIZE(p))

static char attach_log[256];

/* Attaches @prog to @name's window (BAR 0, EDU_WIN, 32 bit); fd or -errno. */
static int attach_w(int dev, const char *name, int prog, int obj,
		    __u64 win_len, __u32 widths)
{
	struct ipo_irq_attach c;

	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.flags = IPO_IRQ_CLOEXEC | (obj >= 0 ? IPO_IRQ_OBJ : 0);
	c.prog_fd = prog;
	c.obj_fd = obj >= 0 ? obj : 0;
	c.bar = 0;
	c.widths = widths;
	c.win_len = win_len;
	c.log_buf = (uintptr_t)attach_log;
	c.log_size = sizeof(attach_log);
	snprintf(c.device, sizeof(c.device), "%s", name);
	attach_log[0] = 0;
	return ipo_ioctl(dev, IPO_IRQ_ATTACH, &c) ?: c.out_fd;
}

static int attach(int dev, const char *name, int prog, int obj)
{
	return attach_w(dev, name, prog, obj, EDU_WIN, IPO_IRQ_W32);
}

static int irq_stat(int dev, int fd, struct ipo_irq_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	st->attach_fd = fd;
	return ipo_ioctl(dev, IPO_IRQ_STAT, st);
}

static int irq_detach(int dev, int fd)
{
	struct ipo_irq_detach c = { .size = sizeof(c), .attach_fd = fd };

	return ipo_ioctl(dev, IPO_IRQ_DETACH, &c);
}

static volatile __u32 *map_bar0(const char *name)
{
	char path[256];
	void *p;
	int fd;

	snprintf(path, sizeof(path), PCI_SYS "%s/resource0", name);
	fd = open(path, O_RDWR | O_SYNC | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

static void edu_raise(volatile __u32 *bar, __u32 bits)
{
	bar[EDU_RAISE / 4] = bits;
}

/* PCI command register of @name, from its config space. */
static int pci_command(const char *name)
{
	char path[256];
	__u16 cmd;
	int fd;

	snprintf(path, sizeof(path), PCI_SYS "%s/config", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (pread(fd, &cmd, 2, 4) != 2)
		cmd = 0;
	close(fd);
	return cmd;
}

/* Sum over CPUs of line @irq in /proc/interrupts; its handlers in @who. */
static long long proc_interrupts(int irq, char *who, size_t who_sz)
{
	char line[1024], *p, *end;
	long long sum = -1;
	FILE *f = fopen("/proc/interrupts", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strtol(line, &end, 10) != irq || *end != ':')
			continue;
		sum = 0;
		p = end + 1;
		for (;;) {
			long long v = strtoll(p, &end, 10);

			if (end == p)
				break;
			sum += v;
			p = end;
		}
		if (who)
			snprintf(who, who_sz, "%s", p);
		break;
	}
	fclose(f);
	return sum;
}

/* The kernel's count of unhandled interrupts of @irq, or -1. */
static long long irq_unhandled(int irq)
{
	char path[64], line[128];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/irq/%d/spurious", irq);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "unhandled %lld", &v) == 1)
			break;
	fclose(f);
	return v;
}

/* Does the kernel log contain @what? */
static bool dmesg_has(const char *what)
{
	static char buf[1 << 20];
	int n = klogctl(3, buf, sizeof(buf) - 1);

	if (n < 0)
		return false;
	buf[n] = 0;
	return strstr(buf, what) != NULL;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * A fault is reported by a work item after the handler marked the hook:
 * the line may come some time after IRQ_STAT shows the fault.
 */
static bool dmesg_wait(const char *what)
{
	double t0 = now_s();

	while (!dmesg_has(what)) {
		if (now_s() - t0 > 10)
			return false;
		usleep(10000);
	}
	return true;
}

static volatile __u64 *obj_data(const struct ipo_obj_header *hdr)
{
	return (volatile __u64 *)((const char *)hdr + hdr->data_off);
}

/* One device driven from userspace: raise, wait for its hook's count. */
struct driver {
	volatile __u32 *bar;
	const struct ipo_obj_header *hdr;	/* the hook's object */
	volatile __u64 *count;		/* its word 0 */
	long raises;			/* to do */
	long done;			/* raised and counted */
	int err;			/* 0, or ETIMEDOUT */
	volatile int *stop;		/* for unbounded runs */
};

/* Word 0 of the object, from a consistent snapshot (seqlock protocol). */
static __u64 snapshot(const struct ipo_obj_header *hdr, volatile __u64 *word)
{
	__u32 s;
	__u64 v;

	for (;;) {
		s = __atomic_load_n(&hdr->seq, __ATOMIC_ACQUIRE);
		if (s & 1)
			continue;
		v = *word;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&hdr->seq, __ATOMIC_RELAXED) == s)
			return v;
	}
}

/*
 * The driver raises the next interrupt only once it has seen the last one
 * committed, as a real driver would.
 */
static void *driver_run(void *arg)
{
	struct driver *d = arg;
	__u64 base = *d->count;

	for (d->done = 0; d->raises < 0 || d->done < d->raises; d->done++) {
		double t0;

		if (d->stop && *d->stop)
			break;
		edu_raise(d->bar, 1);
		t0 = now_s();
		while (snapshot(d->hdr, d->count) != base + d->done + 1) {
			if (now_s() - t0 > 5) {
				d->err = ETIMEDOUT;
				return NULL;
			}
			sched_yield();
		}
	}
	return NULL;
}

FIXTURE(irq) {
	int dev;
	char name[2][32];
	volatile __u32 *bar[2];
	int irq;
	int prog_edu;
	int obj[2];
	const struct ipo_obj_header *hdr[2];
};

FIXTURE_SETUP(irq)
{
	int i, n;

	self->dev = ipo_open_dev();
	ASSERT_LE(0, self->dev);
	n = find_edus(self->name, 2);
	if (n < 2)
		SKIP(return, "needs two edu devices (scripts/vm.sh --edu 2)");
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, bind_ipo(self->name[i])) TH_LOG("bind %s",
							     self->name[i]);
		self->bar[i] = map_bar0(self->name[i]);
		ASSERT_NE(NULL, self->bar[i]);
		/* What an earlier test's broken hook left pending goes. */
		self->bar[i][EDU_ACK / 4] = self->bar[i][EDU_STATUS / 4];
		self->obj[i] = ipo_create(self->dev, NULL, 64, IPO_OBJ_CLOEXEC,
					  0, NULL);
		ASSERT_LE(0, self->obj[i]);
		self->hdr[i] = ipo_map(self->obj[i], 4096);
		ASSERT_NE(MAP_FAILED, self->hdr[i]);
	}
	self->irq = dev_attr(self->name[0], "irq");
	ASSERT_LT(0, self->irq);
	self->prog_edu = LOAD_IRQ(self->dev, p_edu);
	ASSERT_LE(0, self->prog_edu) TH_LOG("%s", load_log);
}

FIXTURE_TEARDOWN(irq)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (self->bar[i])
			munmap((void *)self->bar[i], 4096);
		if (self->hdr[i])
			munmap((void *)self->hdr[i], 4096);
	}
	close(self->dev);
}

TEST_F(irq, devices_share_one_line)
{
	ASSERT_EQ(self->irq, dev_attr(self->name[1], "irq"));
	ASSERT_NE(0, dev_attr(self->name[0], "irq"));
}

/* Two hooks on one line, both devices busy: exact counts, line alive. */
TEST_F_TIMEOUT(irq, each_hook_counts_exactly_its_own, 180)
{
	const long n = 15000;
	struct driver d[2] = {};
	pthread_t th[2];
	struct ipo_irq_stat st;
	struct ipo_event ev[16];
	long long before, after;
	char who[512];
	struct ipo_subscribe sub = {
		.size = sizeof(sub), .obj_fd = self->obj[0], .mask = 1,
		.flags = IPO_SUB_CLOEXEC, .out_fd = -1,
	};
	int att[2], i;

	for (i = 0; i < 2; i++) {
		att[i] = attach(self->dev, self->name[i], self->prog_edu,
				self->obj[i]);
		ASSERT_LE(0, att[i]) TH_LOG("%s", attach_log);
	}
	before = proc_interrupts(self->irq, NULL, 0);
	for (i = 0; i < 2; i++) {
		d[i].bar = self->bar[i];
		d[i].hdr = self->hdr[i];
		d[i].count = obj_data(self->hdr[i]);
		d[i].raises = n;
		ASSERT_EQ(0, pthread_create(&th[i], NULL, driver_run, &d[i]));
	}
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	after = proc_interrupts(self->irq, who, sizeof(who));

	for (i = 0; i < 2; i++) {
		EXPECT_EQ(0, d[i].err) TH_LOG("device %d stalled at %ld", i,
					      d[i].done);
		EXPECT_EQ(n, d[i].done);
		EXPECT_EQ((__u64)n, obj_data(self->hdr[i])[0]);
		ASSERT_EQ(0, irq_stat(self->dev, att[i], &st));
		EXPECT_EQ(IPO_IRQ_ACTIVE, st.state);
		EXPECT_EQ((__u64)n, st.handled);
		/* Every interrupt of the other device ran this hook too. */
		EXPECT_LT(0, st.none);
		EXPECT_EQ(0, st.faults);
		EXPECT_EQ((unsigned int)self->irq, st.irq);
		EXPECT_EQ(0, self->bar[i][EDU_STATUS / 4]);
	}
	TH_LOG("irq %d: %lld interrupts for %ld raises; handlers:%s",
	       self->irq, after - before, 2 * n, who);
	/*
	 * Both devices asserting at once is one interrupt of the line in
	 * which both hooks claim their own, so the line may count fewer
	 * than the raises; never fewer than one device's.
	 */
	EXPECT_LT(n, after - before);
	EXPECT_NE(NULL, strstr(who, self->name[0]));
	EXPECT_NE(NULL, strstr(who, self->name[1]));
	EXPECT_FALSE(dmesg_has("nobody cared"));
	EXPECT_FALSE(dmesg_has("Disabling IRQ"));

	/* The driver hears of an interrupt through its subscription. */
	ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_SUBSCRIBE, &sub));
	edu_raise(self->bar[0], 1);
	ASSERT_EQ((ssize_t)sizeof(ev[0]), read(sub.out_fd, ev, sizeof(ev[0])));
	EXPECT_EQ(1, ev[0].mask);
	close(sub.out_fd);
	for (i = 0; i < 2; i++)
		close(att[i]);
}

/* A hook that never acknowledges is taken off; the other device works. */
TEST_F(irq, hook_that_never_acks_is_contained)
{
	struct ipo_irq_stat st;
	struct ipo_subscribe c = {
		.size = sizeof(c), .obj_fd = self->obj[0],
		.mask = IPO_IRQ_EV_FAULT, .flags = IPO_SUB_CLOEXEC,
		.out_fd = -1,
	};
	struct driver d = {};
	struct ipo_event ev;
	int bad, good, prog;
	double t0;

	prog = LOAD_IRQ(self->dev, p_noack);
	ASSERT_LE(0, prog) TH_LOG("%s", load_log);
	bad = attach(self->dev, self->name[0], prog, self->obj[0]);
	ASSERT_LE(0, bad) TH_LOG("%s", attach_log);
	good = attach(self->dev, self->name[1], self->prog_edu, self->obj[1]);
	ASSERT_LE(0, good) TH_LOG("%s", attach_log);
	ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_SUBSCRIBE, &c));

	edu_raise(self->bar[0], 1);
	t0 = now_s();
	do {
		ASSERT_EQ(0, irq_stat(self->dev, bad, &st));
	} while (st.state == IPO_IRQ_ACTIVE && now_s() - t0 < 10);
	EXPECT_EQ(IPO_IRQ_FAULTED, st.state);
	EXPECT_EQ(IPO_IRQ_FAULT_STUCK, st.fault);
	EXPECT_EQ(1, st.faults);
	/* Its device is masked (DisINTx), its status still set. */
	EXPECT_TRUE(pci_command(self->name[0]) & 0x400);
	EXPECT_EQ(1, self->bar[0][EDU_STATUS / 4]);
	ASSERT_EQ((ssize_t)sizeof(ev), read(c.out_fd, &ev, sizeof(ev)));
	EXPECT_TRUE(ev.mask & IPO_IRQ_EV_FAULT);
	close(c.out_fd);

	/* The other device on the line keeps working, count exact. */
	d.bar = self->bar[1];
	d.hdr = self->hdr[1];
	d.count = obj_data(self->hdr[1]);
	d.raises = 3000;
	driver_run(&d);
	EXPECT_EQ(0, d.err);
	EXPECT_EQ(3000, d.done);
	ASSERT_EQ(0, irq_stat(self->dev, good, &st));
	EXPECT_EQ(3000, st.handled);
	EXPECT_EQ(IPO_IRQ_ACTIVE, st.state);
	EXPECT_TRUE(dmesg_wait("faulted: its device stayed asserted"));
	EXPECT_FALSE(dmesg_has("nobody cared"));
	EXPECT_FALSE(dmesg_has("Disabling IRQ"));

	/* A good hook on the faulted device starts from a clean slate. */
	close(bad);
	bad = attach(self->dev, self->name[0], self->prog_edu, -1);
	ASSERT_LE(0, bad) TH_LOG("%s", attach_log);
	t0 = now_s();
	while (self->bar[0][EDU_STATUS / 4] && now_s() - t0 < 5)
		sched_yield();
	EXPECT_EQ(0, self->bar[0][EDU_STATUS / 4]);
	ASSERT_EQ(0, irq_stat(self->dev, bad, &st));
	EXPECT_EQ(1, st.handled);
	close(bad);
	close(good);
	close(prog);
}

/* A hook that runs out of fuel is contained the same way. */
TEST_F(irq, hook_out_of_fuel_is_contained)
{
	struct ipo_irq_stat st;
	struct driver d = {};
	int bad, good, prog;
	double t0;

	prog = LOAD_IRQ(self->dev, p_spin);
	ASSERT_LE(0, prog) TH_LOG("%s", load_log);
	bad = attach(self->dev, self->name[0], prog, -1);
	ASSERT_LE(0, bad) TH_LOG("%s", attach_log);
	good = attach(self->dev, self->name[1], self->prog_edu, self->obj[1]);
	ASSERT_LE(0, good);
	edu_raise(self->bar[0], 1);
	t0 = now_s();
	do {
		ASSERT_EQ(0, irq_stat(self->dev, bad, &st));
	} while (st.state == IPO_IRQ_ACTIVE && now_s() - t0 < 10);
	EXPECT_EQ(IPO_IRQ_FAULTED, st.state);
	EXPECT_EQ(IPO_IRQ_FAULT_ABORT, st.fault);
	EXPECT_EQ(IPO_RESULT_FUEL, st.abort);
	EXPECT_EQ(0, st.handled);

	d.bar = self->bar[1];
	d.hdr = self->hdr[1];
	d.count = obj_data(self->hdr[1]);
	d.raises = 1000;
	driver_run(&d);
	EXPECT_EQ(1000, d.done);
	EXPECT_TRUE(dmesg_wait("fuel exhausted"));
	close(bad);
	close(good);
	close(prog);
}

/*
 * A window that starts inside the BAR, 64-bit accesses, and a hook that
 * runs for the other device's interrupts on the shared line.
 */
TEST_F(irq, window_offset_and_64bit_access)
{
	struct ipo_irq_stat st;
	int prog, fd, edu;
	double t0;

	prog = LOAD_IRQ(self->dev, p_dma64);
	ASSERT_LE(0, prog) TH_LOG("%s", load_log);
	EXPECT_EQ(-EINVAL, attach_w(self->dev, self->name[0], prog,
				    self->obj[0], 0x20, IPO_IRQ_W32));
	{
		struct ipo_irq_attach c = {
			.size = sizeof(c), .flags = IPO_IRQ_OBJ,
			.prog_fd = prog, .obj_fd = self->obj[0],
			.widths = IPO_IRQ_W64, .win_off = 0x80, .win_len = 0x20,
			.out_fd = -1,
		};

		memcpy(c.device, self->name[0], sizeof(c.device));
		ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_IRQ_ATTACH, &c));
		fd = c.out_fd;
	}
	edu = attach(self->dev, self->name[1], self->prog_edu, -1);
	ASSERT_LE(0, edu);
	edu_raise(self->bar[1], 1);
	t0 = now_s();
	do {
		ASSERT_EQ(0, irq_stat(self->dev, edu, &st));
	} while (!st.handled && now_s() - t0 < 5);
	EXPECT_EQ(1, st.handled);
	ASSERT_EQ(0, irq_stat(self->dev, fd, &st));
	EXPECT_EQ(IPO_IRQ_ACTIVE, st.state);
	EXPECT_LE(1, st.none);
	EXPECT_EQ(0x1122334455667788ULL, obj_data(self->hdr[0])[1]);
	close(edu);
	close(fd);
	close(prog);
}

/* The attachment fd's fdinfo carries the counters too. */
TEST_F(irq, fdinfo_shows_counters)
{
	char path[64], buf[512] = "";
	int fd, info;

	fd = attach(self->dev, self->name[0], self->prog_edu, -1);
	ASSERT_LE(0, fd);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	info = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, info);
	ASSERT_LT(0, read(info, buf, sizeof(buf) - 1));
	close(info);
	EXPECT_NE(NULL, strstr(buf, self->name[0])) TH_LOG("%s", buf);
	EXPECT_NE(NULL, strstr(buf, "handled:\t0"));
	EXPECT_NE(NULL, strstr(buf, "state:\t1"));
	close(fd);
}

/* Constant offsets outside the window: refused at load or at attach. */
TEST_F(irq, window_checked_at_load_and_attach)
{
	int prog, fd;

	EXPECT_EQ(-EINVAL, LOAD_IRQ(self->dev, p_misaligned));
	EXPECT_NE(NULL, strstr(load_log, "not aligned")) TH_LOG("%s",
								 load_log);
	EXPECT_EQ(-EINVAL, LOAD_IRQ(self->dev, p_absurd));
	EXPECT_NE(NULL, strstr(load_log, "beyond any window"));

	prog = LOAD_IRQ(self->dev, p_far);
	ASSERT_LE(0, prog) TH_LOG("%s", load_log);
	EXPECT_EQ(-EINVAL, attach(self->dev, self->name[0], prog, -1));
	EXPECT_NE(NULL, strstr(attach_log, "up to byte 0x1004"))
		TH_LOG("%s", attach_log);
	/* The same program fits a window that is large enough. */
	fd = attach_w(self->dev, self->name[0], prog, -1, 0x2000,
		      IPO_IRQ_W32);
	EXPECT_LE(0, fd) TH_LOG("%s", attach_log);
	close(fd);
	close(prog);

	prog = LOAD_IRQ(self->dev, p_wide);
	ASSERT_LE(0, prog);
	EXPECT_EQ(-EINVAL, attach(self->dev, self->name[0], prog, -1));
	EXPECT_NE(NULL, strstr(attach_log, "64-bit")) TH_LOG("%s",
							      attach_log);
	close(prog);

	/* A window outside the BAR (1 MiB), bad widths, a METHOD program. */
	EXPECT_EQ(-EINVAL, attach_w(self->dev, self->name[0], self->prog_edu,
				    -1, IPO_IRQ_WIN_MAX, IPO_IRQ_W32));
	EXPECT_NE(NULL, strstr(attach_log, "outside BAR 0"));
	EXPECT_EQ(-EINVAL, attach_w(self->dev, self->name[0], self->prog_edu,
				    -1, EDU_WIN, 0));
	EXPECT_EQ(-EINVAL, attach_w(self->dev, self->name[0], self->prog_edu,
				    -1, EDU_WIN, 0x10));
	prog = load_type(self->dev, IPO_PROG_TYPE_METHOD, m_nop,
			 ARRAY_SIZE(m_nop));
	ASSERT_LE(0, prog);
	EXPECT_EQ(-EINVAL, attach(self->dev, self->name[0], prog, -1));
	close(prog);
	/* A device not bound to ipo-irq. */
	EXPECT_EQ(-ENODEV, attach(self->dev, "0000:00:00.0",
				  self->prog_edu, -1));
}

/* A register offset outside the window aborts the run: a fault. */
TEST_F(irq, window_checked_at_run_time)
{
	struct ipo_obj_set_methods m = { .size = sizeof(m) };
	struct ipo_call call = { .obj_fd = self->obj[0] };
	struct ipo_invoke inv = {
		.size = sizeof(inv), .nr_calls = 1,
		.call_size = sizeof(call), .calls = (uintptr_t)&call,
	};
	struct ipo_irq_stat st;
	int fd, prog, method, edu;
	__u32 seq;
	double t0;

	/* obj[0] = 0x1000, through a method, before the hook owns it. */
	method = load_type(self->dev, IPO_PROG_TYPE_METHOD, m_far,
			   ARRAY_SIZE(m_far));
	ASSERT_LE(0, method) TH_LOG("%s", load_log);
	m.obj_fd = self->obj[0];
	m.nr_methods = 1;
	m.prog_fds = (uintptr_t)&method;
	ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_OBJ_SET_METHODS, &m));
	ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_INVOKE, &inv));
	ASSERT_EQ(0x1000, obj_data(self->hdr[0])[0]);

	prog = LOAD_IRQ(self->dev, p_var_off);
	ASSERT_LE(0, prog) TH_LOG("%s", load_log);
	seq = self->hdr[0]->seq;
	fd = attach(self->dev, self->name[0], prog, self->obj[0]);
	ASSERT_LE(0, fd) TH_LOG("%s", attach_log);
	edu = attach(self->dev, self->name[1], self->prog_edu, -1);
	ASSERT_LE(0, edu);
	edu_raise(self->bar[0], 4);
	t0 = now_s();
	do {
		ASSERT_EQ(0, irq_stat(self->dev, fd, &st));
	} while (st.state == IPO_IRQ_ACTIVE && now_s() - t0 < 10);
	EXPECT_EQ(IPO_IRQ_FAULTED, st.state);
	EXPECT_EQ(IPO_IRQ_FAULT_ABORT, st.fault);
	EXPECT_EQ(IPO_RESULT_HELPER, st.abort);
	/* The aborted run's obj[1]++ was rolled back; seq even, advanced. */
	EXPECT_EQ(0, obj_data(self->hdr[0])[1]);
	EXPECT_EQ(0, self->hdr[0]->seq & 1);
	EXPECT_LT(seq, self->hdr[0]->seq);
	EXPECT_TRUE(dmesg_wait("aborted by helper"));
	/* The other device still works. */
	edu_raise(self->bar[1], 1);
	t0 = now_s();
	while (self->bar[1][EDU_STATUS / 4] && now_s() - t0 < 5)
		sched_yield();
	EXPECT_EQ(0, self->bar[1][EDU_STATUS / 4]);
	close(fd);
	close(edu);
	close(prog);
	close(method);
}

/* Only CAP_SYS_RAWIO attaches; the object needs an ADMIN handle. */
TEST_F(irq, attach_needs_rawio_and_admin)
{
	struct ipo_handle_derive hd = {
		.size = sizeof(hd), .obj_fd = self->obj[0],
		.rights = IPO_RIGHT_READ | IPO_RIGHT_NOTIFY, .out_fd = -1,
	};
	int status, fd;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setresuid(65534, 65534, 65534))
			_exit(2);
		_exit(attach(self->dev, self->name[0], self->prog_edu, -1) ==
		      -EPERM ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_HANDLE_DERIVE, &hd));
	EXPECT_EQ(-EPERM, attach(self->dev, self->name[0], self->prog_edu,
				 hd.out_fd));
	close(hd.out_fd);

	/* One hook per device, one per object. */
	fd = attach(self->dev, self->name[0], self->prog_edu, self->obj[0]);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EBUSY, attach(self->dev, self->name[0], self->prog_edu,
				 -1));
	EXPECT_EQ(-EBUSY, attach(self->dev, self->name[1], self->prog_edu,
				 self->obj[0]));
	close(fd);
}

/* While hooked, the hook is the object's only writer. */
TEST_F(irq, invoke_refused_while_hooked)
{
	struct ipo_obj_set_methods m = { .size = sizeof(m) };
	struct ipo_call call = { .obj_fd = self->obj[0] };
	struct ipo_invoke inv = {
		.size = sizeof(inv), .nr_calls = 1,
		.call_size = sizeof(call), .calls = (uintptr_t)&call,
	};
	__u32 seq;
	int prog, fd;

	prog = load_type(self->dev, IPO_PROG_TYPE_METHOD, m_nop,
			 ARRAY_SIZE(m_nop));
	ASSERT_LE(0, prog);
	m.obj_fd = self->obj[0];
	m.nr_methods = 1;
	m.prog_fds = (uintptr_t)&prog;
	ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_OBJ_SET_METHODS, &m));
	ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_INVOKE, &inv));

	fd = attach(self->dev, self->name[0], self->prog_edu, self->obj[0]);
	ASSERT_LE(0, fd);
	seq = self->hdr[0]->seq;
	EXPECT_EQ(-EBUSY, ipo_ioctl(self->dev, IPO_INVOKE, &inv));
	EXPECT_EQ(-EBUSY, call.status);
	EXPECT_EQ(seq, self->hdr[0]->seq);
	/* Detached (the fd stays): methods run again. */
	EXPECT_EQ(0, irq_detach(self->dev, fd));
	EXPECT_EQ(0, irq_detach(self->dev, fd));
	EXPECT_EQ(0, ipo_ioctl(self->dev, IPO_INVOKE, &inv));
	close(fd);
	close(prog);
}

/*
 * A hook that acknowledges its device and says NONE every time: the
 * kernel would count each of its device's interrupts as unhandled and in
 * the end disable the shared line ("nobody cared").  The handler tells
 * the kernel they were handled, and after irq_fault_limit such runs in a
 * row takes the hook off; the other device keeps working.
 */
TEST_F_TIMEOUT(irq, hook_that_disowns_its_device_is_contained, 120)
{
	struct ipo_irq_stat st;
	struct driver d = {};
	long long u0, u1;
	int bad, good, prog, i;
	double t0;

	prog = LOAD_IRQ(self->dev, p_disown);
	ASSERT_LE(0, prog) TH_LOG("%s", load_log);
	bad = attach(self->dev, self->name[0], prog, -1);
	ASSERT_LE(0, bad) TH_LOG("%s", attach_log);
	good = attach(self->dev, self->name[1], self->prog_edu, self->obj[1]);
	ASSERT_LE(0, good) TH_LOG("%s", attach_log);
	u0 = irq_unhandled(self->irq);
	ASSERT_LE(0, u0);

	for (i = 0; i < 1000; i++) {
		ASSERT_EQ(0, irq_stat(self->dev, bad, &st));
		if (st.state != IPO_IRQ_ACTIVE)
			break;
		edu_raise(self->bar[0], 1);
		t0 = now_s();
		while (self->bar[0][EDU_STATUS / 4] && now_s() - t0 < 5)
			sched_yield();
		/* Faulted at this one: masked, its status left set. */
		if (self->bar[0][EDU_STATUS / 4]) {
			ASSERT_EQ(0, irq_stat(self->dev, bad, &st));
			ASSERT_NE(IPO_IRQ_ACTIVE, st.state);
		}
	}
	u1 = irq_unhandled(self->irq);
	TH_LOG("faulted after %d raises; unhandled on irq %d: %lld -> %lld",
	       i, self->irq, u0, u1);
	EXPECT_EQ(IPO_IRQ_FAULTED, st.state);
	EXPECT_EQ(IPO_IRQ_FAULT_UNCLAIMED, st.fault);
	EXPECT_EQ(0, st.handled);
	EXPECT_LE(99, st.none);
	EXPECT_GT(200, i);
	/* Its disowned interrupts were not left for "nobody cared". */
	EXPECT_GT(10, u1 - u0);
	EXPECT_TRUE(pci_command(self->name[0]) & 0x400);

	d.bar = self->bar[1];
	d.hdr = self->hdr[1];
	d.count = obj_data(self->hdr[1]);
	d.raises = 500;
	driver_run(&d);
	EXPECT_EQ(0, d.err);
	EXPECT_EQ(500, d.done);
	EXPECT_TRUE(dmesg_wait("faulted: it disowned its device's interrupts"));
	EXPECT_FALSE(dmesg_has("nobody cared"));
	EXPECT_FALSE(dmesg_has("Disabling IRQ"));
	close(bad);
	close(good);
	close(prog);
}

/* A hook whose object handle is revoked writes no more: it is taken off. */
TEST_F(irq, hook_with_revoked_handle_is_taken_off)
{
	struct ipo_handle_derive hd = {
		.size = sizeof(hd), .obj_fd = self->obj[0],
		.rights = IPO_RIGHT_ADMIN | IPO_RIGHT_READ, .out_fd = -1,
	};
	struct ipo_handle_revoke rv = {
		.size = sizeof(rv), .obj_fd = self->obj[0],
	};
	struct ipo_irq_stat st;
	struct driver d = {};
	int fd;
	double t0;

	ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_HANDLE_DERIVE, &hd));
	fd = attach(self->dev, self->name[0], self->prog_edu, hd.out_fd);
	ASSERT_LE(0, fd) TH_LOG("%s", attach_log);
	d.bar = self->bar[0];
	d.hdr = self->hdr[0];
	d.count = obj_data(self->hdr[0]);
	d.raises = 1;
	driver_run(&d);
	ASSERT_EQ(1, d.done);

	rv.handle_id = hd.handle_id;
	ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_HANDLE_REVOKE, &rv));
	edu_raise(self->bar[0], 1);
	t0 = now_s();
	do {
		ASSERT_EQ(0, irq_stat(self->dev, fd, &st));
	} while (st.state == IPO_IRQ_ACTIVE && now_s() - t0 < 10);
	EXPECT_EQ(IPO_IRQ_FAULTED, st.state);
	EXPECT_EQ(IPO_IRQ_FAULT_REVOKED, st.fault);
	EXPECT_EQ(1, st.handled);
	EXPECT_EQ(1, obj_data(self->hdr[0])[0]);
	EXPECT_TRUE(pci_command(self->name[0]) & 0x400);
	EXPECT_EQ(1, self->bar[0][EDU_STATUS / 4]);
	EXPECT_TRUE(dmesg_wait("faulted: its object handle was revoked"));
	close(fd);
	close(hd.out_fd);
}

/*
 * INVOKE on a hooked object fails with EBUSY; its rollback must not put a
 * stale copy of the object back over what the hook wrote meanwhile (the
 * driver would then wait for a count that went backwards).  The bundles
 * are atomic and long: many calls on another object, the hooked object's
 * last, so the hook runs between the copy and the rollback.
 */
#define ROLLBACK_CALLS	64

struct invoker {
	int dev;
	struct ipo_invoke inv;
	volatile int stop;
	volatile long busy;
};

static void *invoker_run(void *arg)
{
	struct invoker *iv = arg;

	while (!iv->stop)
		if (ipo_ioctl(iv->dev, IPO_INVOKE, &iv->inv) == -EBUSY)
			iv->busy++;
	return NULL;
}

TEST_F_TIMEOUT(irq, invoke_rollback_leaves_hooked_object_alone, 120)
{
	struct ipo_obj_set_methods m = { .size = sizeof(m) };
	struct ipo_call call[ROLLBACK_CALLS] = {};
	struct invoker iv = { .dev = self->dev };
	struct ipo_irq_stat st;
	struct driver d = {};
	pthread_t th;
	int prog, fd, i;

	prog = load_type(self->dev, IPO_PROG_TYPE_METHOD, m_nop,
			 ARRAY_SIZE(m_nop));
	ASSERT_LE(0, prog);
	m.nr_methods = 1;
	m.prog_fds = (uintptr_t)&prog;
	for (i = 0; i < 2; i++) {
		m.obj_fd = self->obj[i];
		ASSERT_EQ(0, ipo_ioctl(self->dev, IPO_OBJ_SET_METHODS, &m));
	}
	fd = attach(self->dev, self->name[0], self->prog_edu, self->obj[0]);
	ASSERT_LE(0, fd) TH_LOG("%s", attach_log);

	for (i = 0; i < ROLLBACK_CALLS; i++)
		call[i].obj_fd = self->obj[i == ROLLBACK_CALLS - 1 ? 0 : 1];
	iv.inv.size = sizeof(iv.inv);
	iv.inv.flags = IPO_INVOKE_ATOMIC;
	iv.inv.nr_calls = ROLLBACK_CALLS;
	iv.inv.call_size = sizeof(call[0]);
	iv.inv.calls = (uintptr_t)call;
	ASSERT_EQ(0, pthread_create(&th, NULL, invoker_run, &iv));
	/*
	 * The bundles must overlap the interrupts: the driver starts once
	 * the invoker is under way (a loaded host may be slow to run it).
	 */
	for (i = 0; !iv.busy && i < 10000; i++)
		usleep(1000);
	d.bar = self->bar[0];
	d.hdr = self->hdr[0];
	d.count = obj_data(self->hdr[0]);
	d.raises = 3000;
	driver_run(&d);
	iv.stop = 1;
	pthread_join(th, NULL);
	TH_LOG("%ld raises counted, %ld invokes refused", d.done, iv.busy);
	EXPECT_EQ(0, d.err);
	EXPECT_EQ(3000, d.done);
	EXPECT_LT(0, iv.busy);
	ASSERT_EQ(0, irq_stat(self->dev, fd, &st));
	EXPECT_EQ(IPO_IRQ_ACTIVE, st.state);
	EXPECT_EQ(st.handled, obj_data(self->hdr[0])[0]);
	close(fd);
	close(prog);
}

/* A window must be aligned in its BAR for its widest access. */
TEST_F(irq, window_offset_aligned_for_its_widths)
{
	struct ipo_irq_attach c = {
		.size = sizeof(c), .prog_fd = self->prog_edu,
		.widths = IPO_IRQ_W32, .win_off = 2, .win_len = 0x80,
		.log_buf = (uintptr_t)attach_log,
		.log_size = sizeof(attach_log), .out_fd = -1,
	};

	memcpy(c.device, self->name[0], sizeof(c.device));
	EXPECT_EQ(-EINVAL, ipo_ioctl(self->dev, IPO_IRQ_ATTACH, &c));
	EXPECT_NE(NULL, strstr(attach_log, "not aligned")) TH_LOG("%s",
								   attach_log);
	c.win_off = 4;
	c.win_len = 0x7c;
	EXPECT_EQ(0, ipo_ioctl(self->dev, IPO_IRQ_ATTACH, &c))
		TH_LOG("%s", attach_log);
	close(c.out_fd);
}

struct raiser {
	volatile __u32 *bar;
	volatile int stop;
	long raises;
};

static void *raiser_run(void *arg)
{
	struct raiser *r = arg;

	while (!r->stop) {
		edu_raise(r->bar, 2);
		r->raises++;
		sched_yield();
	}
	return NULL;
}

/* Attach, detach, close and unbind in a loop while both devices fire. */
TEST_F_TIMEOUT(irq, attach_detach_unbind_while_firing, 180)
{
	struct ipo_info info0, info1;
	struct raiser r = { .bar = self->bar[0] };
	struct driver d = {};
	struct ipo_irq_stat st;
	volatile int stop = 0;
	pthread_t th[2];
	int good, i, fd, obj;

	ASSERT_EQ(0, ipo_get_info(self->dev, &info0));
	good = attach(self->dev, self->name[1], self->prog_edu, self->obj[1]);
	ASSERT_LE(0, good);
	d.bar = self->bar[1];
	d.hdr = self->hdr[1];
	d.count = obj_data(self->hdr[1]);
	d.raises = -1;
	d.stop = &stop;
	/*
	 * The threads use r, d and stop on this stack and the fixture's
	 * mappings: nothing may leave this function (ASSERT_* longjmps to
	 * the teardown, which unmaps them) until they are joined.  The loop
	 * EXPECTs and stops at the first failure.
	 */
	ASSERT_EQ(0, pthread_create(&th[0], NULL, raiser_run, &r));
	if (pthread_create(&th[1], NULL, driver_run, &d)) {
		r.stop = 1;
		pthread_join(th[0], NULL);
		ASSERT_TRUE(0) TH_LOG("pthread_create");
	}

	for (i = 0; i < 100 && _metadata->passed; i++) {
		obj = ipo_create(self->dev, NULL, 64, IPO_OBJ_CLOEXEC, 0,
				 NULL);
		EXPECT_LE(0, obj);
		if (obj < 0)
			break;
		fd = attach(self->dev, self->name[0], self->prog_edu,
			    i % 2 ? obj : -1);
		close(obj);	/* the attachment keeps it */
		EXPECT_LE(0, fd) TH_LOG("iteration %d: %s", i, attach_log);
		if (fd < 0)
			break;
		usleep(i % 7 * 100);
		if (i % 10 == 9) {
			EXPECT_EQ(0, unbind_ipo(self->name[0]));
			EXPECT_EQ(0, irq_stat(self->dev, fd, &st));
			EXPECT_EQ(IPO_IRQ_DETACHED, st.state);
			EXPECT_EQ(-ENODEV, attach(self->dev, self->name[0],
						  self->prog_edu, -1));
			EXPECT_EQ(0, bind_ipo(self->name[0]));
		} else if (i % 3 == 0) {
			EXPECT_EQ(0, irq_detach(self->dev, fd));
		}
		close(fd);
	}
	stop = 1;
	r.stop = 1;
	pthread_join(th[0], NULL);
	pthread_join(th[1], NULL);
	ASSERT_EQ(100, i);
	TH_LOG("%ld raises on %s, %ld counted on %s", r.raises,
	       self->name[0], d.done, self->name[1]);
	EXPECT_EQ(0, d.err);
	ASSERT_EQ(0, irq_stat(self->dev, good, &st));
	EXPECT_EQ(IPO_IRQ_ACTIVE, st.state);
	EXPECT_EQ((__u64)d.done, st.handled);
	EXPECT_EQ((__u64)d.done, obj_data(self->hdr[1])[0]);
	close(good);

	/* Nothing left behind: objects and programs as before. */
	ASSERT_EQ(0, ipo_get_info(self->dev, &info1));
	EXPECT_EQ(info0.nr_objs, info1.nr_objs);
	EXPECT_EQ(info0.nr_progs, info1.nr_progs);
	EXPECT_FALSE(dmesg_has("nobody cared"));
	EXPECT_FALSE(dmesg_has("Disabling IRQ"));
}

TEST(uapi_sizes_and_feature)
{
	struct ipo_info info;
	struct ipo_irq_stat st = { .size = 8 };
	int dev = ipo_open_dev();

	ASSERT_LE(0, dev);
	ASSERT_EQ(0, ipo_get_info(dev, &info));
	EXPECT_TRUE(info.features & IPO_FEATURE_IRQ);
	EXPECT_EQ(-EINVAL, ipo_ioctl(dev, IPO_IRQ_STAT, &st));
	st.size = sizeof(st);
	st.attach_fd = dev;
	EXPECT_EQ(-EINVAL, ipo_ioctl(dev, IPO_IRQ_STAT, &st));
	st.attach_fd = -1;
	EXPECT_EQ(-EBADF, ipo_ioctl(dev, IPO_IRQ_STAT, &st));
	close(dev);
}

TEST_HARNESS_MAIN
