/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipo_bench: what its files share (main.c describes the program).  main.c
 * runs the mechanisms, measure.c samples them; one file per mechanism:
 * floors.c, ipo.c, notify.c, bpf.c, rpc.c, wake.c, service.c; env.c describes the
 * machine; hist.c and helpers.c serve them all.
 */
#ifndef IPO_BENCH_H
#define IPO_BENCH_H

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libipo.h"
#include "counter.h"
#include "widgets.h"

#define COUNTER_O	"/ipo/progs/counter.o"
#define WIDGETS_O	"/ipo/progs/widgets.o"

#define BATCH		16	/* calls per sample of the per_batch timings */
#define MAX_SUBS	64
#define SOCK_BATCH	64

/* hist.c: the latency histogram */

#define SUB_BITS	5
#define SUB		(1 << SUB_BITS)
#define NR_BUCKETS	((64 - SUB_BITS) * SUB + SUB)

struct hist {
	uint64_t n, max, min;
	double sum;
	uint64_t b[NR_BUCKETS];
};

uint64_t bucket_mid(unsigned int i);
void hist_add(struct hist *h, uint64_t v);
uint64_t hist_pct(const struct hist *h, double p);

/* helpers.c */

extern int nr_cpus;
uint64_t now_ns(void);
void pin(int cpu);
void *shm_alloc(size_t size);
int read_full(int fd, void *buf, size_t len);
int write_full(int fd, const void *buf, size_t len);

/* main.c: the run */

struct cfg {
	bool smoke;
	double seconds;		/* measured time per mechanism */
	const char *only;
};

extern struct cfg cfg;
extern const char *volatile running;	/* the watchdog names it */

struct mech;
typedef int (*op_fn)(void *st, int64_t delta, int64_t *total, uint64_t *lat);

struct mech {
	const char *name;
	const char *placement;	/* "local", "2cpu", "1cpu" */
	const char *timing;	/* "per_op", "per_batch", "per_call" */
	unsigned int ops;	/* op() calls per sample */
	unsigned int calls;	/* requests per op() call */
	bool self_timed;	/* op() reports the latency itself */
	const char *what;	/* one line for the JSON */
	unsigned int min_samples;	/* 0: the default (100) */
};

int measure(const struct mech *m, op_fn op, void *st, int64_t *total);
extern int failures;		/* mechanisms that failed (measure.c) */
void watchdog(int sig);		/* SIGALRM: a mechanism hangs */
bool wanted(const char *name);
void setup_failed(const char *name, const char *placement,
		  const char *why, int err);
void smoke_passed(const char *name, const char *what);

/* The mechanisms, each measures its own (main() calls them in order). */
void run_floors(void);		/* floors.c */
void run_invoke_steps(void);	/* ipo.c */
void run_ipo(void);
void run_scale(void);		/* scale.c */
void run_rpc(void);		/* rpc.c */
void run_bpf(void);		/* bpf.c */
void run_notify(void);		/* notify.c */
void run_wake(void);		/* wake.c */
void run_service(void);		/* service.c: the rate limiter both ways */
void print_env(void);		/* env.c */

/* ipo.c: the counter object, with a bundle of n add calls */

struct ipo_counter {
	struct ipo_dev *dev;
	struct ipo_prog_obj *po;
	int obj;
	int add;
	struct ipo_bundle *b;
	struct add_args *args;
	int64_t *out;
	unsigned int n;
	uint32_t flags;		/* of the INVOKE */
};

int counter_open(struct ipo_counter *c, bool interp);
int counter_open_size(struct ipo_counter *c, bool interp, uint64_t size);
int counter_bundle(struct ipo_counter *c, unsigned int n);
void counter_close(struct ipo_counter *c);
int op_invoke(void *st, int64_t delta, int64_t *total, uint64_t *lat);

/* notify.c: the widgets object, which wake.c's subscriber watches too */

struct widgets {
	struct ipo_dev *dev;
	struct ipo_prog_obj *po;
	int obj;
	struct ipo_bundle *b;
	struct set_rgb_args rgb;
	int64_t count;		/* sum of the deltas of the committed calls */
	uint32_t calls;		/* set_rgb calls committed */
};

int widgets_open(struct widgets *w);
void widgets_close(struct widgets *w);
int op_set_rgb(void *st, int64_t delta, int64_t *total, uint64_t *lat);

#endif /* IPO_BENCH_H */
