// SPDX-License-Identifier: GPL-2.0
/*
 * irq_bench: interrupts per second on one QEMU edu device, acknowledged
 * (a) by the ipo hook (progs/edu_irq.c) in the interrupt handler, with the
 * userspace driver told through the hook's object, and (b) the classic
 * way, with Debian's uio_pci_generic: the kernel masks the device (DisINTx)
 * and wakes the driver, which acknowledges the device through its BAR and
 * unmasks it through config space.  Same device, same loop: raise one
 * interrupt (a write to the edu's raise register through sysfs
 * resource0), wait until the driver knows it was handled, repeat.
 *
 *   ipo, wait:  read() of a subscription to the hook's object (the hook
 *               calls notify(); the kernel wakes the reader afterwards)
 *   ipo, poll:  spin on the count in the object's read-only mapping
 *   uio:        read() of /dev/uioN, ack in the BAR, unmask INTx
 *
 * This program is also the edu device's userspace driver: in the ipo
 * modes it never touches the device except to raise interrupts; it learns
 * of each one from the object.  Run it in the VM (make bench-irq):
 *
 *	scripts/vm.sh --edu 1 --kmod uio_pci_generic \
 *		--cmd 'insmod /ipo/ipo.ko' --cmd 'modprobe uio_pci_generic' \
 *		--cmd '/ipo/bench/irq_bench'
 *
 * Options: -n N interrupts per mode (default 20000), -r ROUNDS (default
 * 3; the modes alternate within each round, and the median round counts),
 * DEVICE (default: the first edu device).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "libipo.h"
#include "edu_irq.h"

#define EDU_IRQ_O	"/ipo/progs/edu_irq.o"
#define PCI_SYS		"/sys/bus/pci/devices/"
#define CMD_INTX_DISABLE 0x400

static unsigned long n_irqs = 20000;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long sysfs_num(const char *dev, const char *attr)
{
	char path[512], buf[64] = "";
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), PCI_SYS "%s/%s", dev, attr);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 0) : -1;
}

static int sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		err = -errno;
	close(fd);
	return err;
}

static int find_edu(char *name, size_t size)
{
	struct dirent *de;
	DIR *d = opendir(PCI_SYS);
	int found = 0;

	if (!d)
		return 0;
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] == '.' ||
		    sysfs_num(de->d_name, "vendor") != EDU_VENDOR ||
		    sysfs_num(de->d_name, "device") != EDU_DEVICE)
			continue;
		snprintf(name, size, "%.31s", de->d_name);
		found = 1;
	}
	closedir(d);
	return found;
}

/* Binds @dev to @driver with driver_override, as an admin would. */
static int bind_to(const char *dev, const char *driver)
{
	char path[512];
	int err;

	snprintf(path, sizeof(path), PCI_SYS "%s/driver/unbind", dev);
	sysfs_write(path, dev);		/* fails when it has no driver */
	snprintf(path, sizeof(path), PCI_SYS "%s/driver_override", dev);
	err = sysfs_write(path, driver);
	if (!err)
		err = sysfs_write("/sys/bus/pci/drivers_probe", dev);
	if (err)
		fprintf(stderr, "irq_bench: bind %s to %s: %s\n", dev, driver,
			strerror(-err));
	return err;
}

static volatile uint32_t *map_bar0(const char *dev)
{
	char path[512];
	void *p;
	int fd;

	snprintf(path, sizeof(path), PCI_SYS "%s/resource0", dev);
	fd = open(path, O_RDWR | O_SYNC | O_CLOEXEC);
	if (fd < 0) {
		perror(path);
		return NULL;
	}
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		perror("mmap resource0");
		return NULL;
	}
	return p;
}

static void edu_raise(volatile uint32_t *bar)
{
	bar[EDU_RAISE / 4] = 1;
}

struct result {
	double rate;		/* interrupts per second */
	unsigned long done;
};

/*
 * The hook's count, read as the header's seqlock protocol says: only
 * between two equal, even reads of seq.
 */
static uint64_t snapshot_count(const struct ipo_obj_header *hdr,
			       volatile const uint64_t *count)
{
	uint32_t s;
	uint64_t c;

	for (;;) {
		s = __atomic_load_n(&hdr->seq, __ATOMIC_ACQUIRE);
		if (s & 1)
			continue;
		c = *count;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&hdr->seq, __ATOMIC_RELAXED) == s)
			return c;
	}
}

/* (a) the ipo hook, the driver waiting on the object or spinning on it. */
static int bench_ipo(const char *dev, volatile uint32_t *bar,
		     struct result *wait_res, struct result *poll_res)
{
	LIBIPO_OPTS(ipo_irq_opts, opts, .win_len = EDU_WIN,
		    .widths = IPO_IRQ_W32, .has_obj = true);
	struct ipo_prog_obj *elf = NULL;
	struct ipo_view *view = NULL;
	struct ipo_irq_stat st;
	struct ipo_dev *idev;
	volatile const uint64_t *count;
	int prog = -1, obj = -1, att = -1, sub = -1, ret = -1;
	unsigned long i;
	uint64_t base;
	char log[256];
	double t0;

	idev = ipo_dev_open();
	elf = idev ? ipo_prog_obj_open(EDU_IRQ_O, NULL) : NULL;
	if (!elf) {
		perror("irq_bench: ipo");
		goto out;
	}
	prog = ipo_program_load(idev, ipo_prog_obj__find_program(elf,
								 "edu_irq"),
				NULL);
	obj = ipo_obj_create(idev, sizeof(struct edu_irq_state), NULL, NULL);
	if (prog < 0 || obj < 0)
		goto out;
	view = ipo_view_map(obj);
	if (!view)
		goto out;
	count = (volatile const uint64_t *)ipo_view_data(view);
	opts.obj_fd = obj;
	opts.log_buf = log;
	opts.log_size = sizeof(log);
	att = ipo_irq_attach(idev, dev, prog, &opts);
	sub = ipo_subscribe(idev, obj, EDU_EV_IRQ | IPO_IRQ_EV_FAULT, NULL);
	if (att < 0 || sub < 0)
		goto out;

	/* The driver sleeps until the hook's notification wakes it. */
	base = *count;
	t0 = now_s();
	for (i = 0; i < n_irqs; i++) {
		struct ipo_event ev;

		edu_raise(bar);
		if (read(sub, &ev, sizeof(ev)) != sizeof(ev)) {
			perror("irq_bench: read subscription");
			goto out;
		}
		if (ev.mask & IPO_IRQ_EV_FAULT) {
			fprintf(stderr, "irq_bench: the hook faulted\n");
			goto out;
		}
	}
	wait_res->rate = n_irqs / (now_s() - t0);
	wait_res->done = *count - base;

	/* The driver spins on a consistent snapshot of its mapping. */
	base = *count;
	t0 = now_s();
	for (i = 0; i < n_irqs; i++) {
		edu_raise(bar);
		while (snapshot_count(ipo_view_header(view), count) ==
		       base + i)
			;
	}
	poll_res->rate = n_irqs / (now_s() - t0);
	poll_res->done = *count - base;
	if (ipo_irq_stat(idev, att, &st))
		goto out;
	printf("# ipo hook: handled %llu, none %llu, state %u, count %llu\n",
	       (unsigned long long)st.handled, (unsigned long long)st.none,
	       st.state, (unsigned long long)*count);
	ret = st.handled == 2 * n_irqs && *count == 2 * n_irqs ? 0 : -1;
	if (ret)
		fprintf(stderr, "irq_bench: the hook counted %llu for %lu raises\n",
			(unsigned long long)st.handled, 2 * n_irqs);
out:
	if (sub >= 0)
		close(sub);
	if (att >= 0)
		close(att);
	ipo_view_unmap(view);
	if (obj >= 0)
		close(obj);
	if (prog >= 0)
		close(prog);
	ipo_prog_obj__close(elf);
	ipo_dev_close(idev);
	return ret;
}

/* The /dev/uioN of @dev, opened. */
static int open_uio(const char *dev)
{
	char path[512], name[300] = "";
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), PCI_SYS "%s/uio", dev);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, "uio", 3))
			snprintf(name, sizeof(name), "/dev/%.250s", de->d_name);
	closedir(d);
	return name[0] ? open(name, O_RDWR | O_CLOEXEC) : -1;
}

/* (b) uio_pci_generic: wait in read(), ack in the BAR, unmask INTx. */
static int bench_uio(const char *dev, volatile uint32_t *bar,
		     struct result *res)
{
	char path[512];
	int uio, cfg, ret = -1;
	uint16_t cmd;
	uint32_t events;
	unsigned long i;
	double t0;

	uio = open_uio(dev);
	snprintf(path, sizeof(path), PCI_SYS "%s/config", dev);
	cfg = open(path, O_RDWR | O_CLOEXEC);
	if (uio < 0 || cfg < 0) {
		fprintf(stderr, "irq_bench: uio device or config of %s: %s\n",
			dev, strerror(errno));
		goto out;
	}
	if (pread(cfg, &cmd, 2, 4) != 2)
		goto out;
	cmd &= ~CMD_INTX_DISABLE;

	t0 = now_s();
	for (i = 0; i < n_irqs; i++) {
		/* Unmasked before the raise, as the uio HOWTO's loop does. */
		if (pwrite(cfg, &cmd, 2, 4) != 2)
			goto out;
		edu_raise(bar);
		if (read(uio, &events, 4) != 4) {
			perror("irq_bench: read uio");
			goto out;
		}
		bar[EDU_ACK / 4] = bar[EDU_STATUS / 4];
	}
	res->rate = n_irqs / (now_s() - t0);
	res->done = i;
	ret = 0;
out:
	if (uio >= 0)
		close(uio);
	if (cfg >= 0)
		close(cfg);
	return ret;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

#define MAX_ROUNDS	15

int main(int argc, char **argv)
{
	static const char *const names[3] = {
		"ipo hook, driver wakes on notify",
		"ipo hook, driver polls the object",
		"uio_pci_generic + userspace ack",
	};
	double rates[3][MAX_ROUNDS], med[3];
	struct result r[3] = {};
	unsigned long rounds = 3, k;
	char dev[64] = "";
	volatile uint32_t *bar;
	int c, i, err = 0;

	while ((c = getopt(argc, argv, "n:r:")) != -1) {
		unsigned long v = strtoul(optarg, NULL, 0);

		if ((c != 'n' && c != 'r') || !v ||
		    (c == 'r' && v > MAX_ROUNDS)) {
			fprintf(stderr, "usage: irq_bench [-n N] [-r ROUNDS (1..%d)] [DEVICE]\n",
				MAX_ROUNDS);
			return 2;
		}
		if (c == 'n')
			n_irqs = v;
		else
			rounds = v;
	}
	if (optind < argc)
		snprintf(dev, sizeof(dev), "%s", argv[optind]);
	else if (!find_edu(dev, sizeof(dev))) {
		fprintf(stderr, "irq_bench: no edu device (scripts/vm.sh --edu 1)\n");
		return 2;
	}
	printf("# %s, irq %ld, %lu interrupts per mode, %lu rounds (modes interleaved)\n",
	       dev, sysfs_num(dev, "irq"), n_irqs, rounds);

	for (k = 0; k < rounds && !err; k++) {
		if (bind_to(dev, "ipo-irq"))
			return 1;
		bar = map_bar0(dev);
		if (!bar || bench_ipo(dev, bar, &r[0], &r[1]))
			err = 1;
		if (bar)
			munmap((void *)bar, 4096);

		if (bind_to(dev, "uio_pci_generic"))
			return 1;
		bar = map_bar0(dev);
		if (!bar || bench_uio(dev, bar, &r[2]))
			err = 1;
		if (bar)
			munmap((void *)bar, 4096);
		printf("# round %lu:", k + 1);
		for (i = 0; i < 3; i++) {
			rates[i][k] = r[i].rate;
			printf(" %.0f", r[i].rate);
		}
		printf(" irq/s\n");
	}
	if (err)
		return 1;
	for (i = 0; i < 3; i++) {
		qsort(rates[i], rounds, sizeof(double), cmp_double);
		med[i] = rates[i][rounds / 2];
		printf("%-36s %10.0f irq/s  (median of %lu x %lu interrupts)\n",
		       names[i], med[i], rounds, n_irqs);
	}
	printf("ratio ipo(wait)/uio %.2f, ipo(poll)/uio %.2f\n",
	       med[0] / med[2], med[1] / med[2]);
	return 0;
}
