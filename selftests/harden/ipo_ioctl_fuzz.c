// SPDX-License-Identifier: GPL-2.0
/*
 * ipo_ioctl_fuzz: a structured random ioctl generator against /dev/ipo, as
 * a hostile user would write it (runs in the VM, module loaded).
 *
 *   ipo_ioctl_fuzz [--seed S] [--count N] [--time SEC] [--procs P]
 *		    [--unpriv P] [--progs DIR]... [--quiet]
 *
 * P processes (default 4; the last --unpriv of them drop to uid/gid 65534
 * after opening /dev/ipo) each make N calls (default 10000; --time bounds
 * the run instead or as well).  Each call is one of:
 *   - a command from the table below, its struct filled validly (fds from
 *     the process' pool, pointers to real buffers, sizes in range) and then
 *     perhaps mutated: random fields, random or foreign fds, pointers that
 *     are NULL, unmapped, kernel addresses or straddle a guard page, @size
 *     too small, grown with a zero tail or with a non-zero tail;
 *   - a random ioctl number, or a command on an object, program or
 *     subscription fd instead of /dev/ipo;
 *   - mmap/munmap, poll, read, write, dup and close on pool fds.
 * Programs come from clang-built ELF files (--progs DIR: every *.o, read
 * with libipo) and are loaded whole, mutated or as random instructions.
 * Objects created before the fork are shared by all processes (foreign
 * fds); every process creates and destroys its own.
 *
 * The fuzzer fails (exit 1) on a crash of a child, an errno that must not
 * reach userspace (the kernel-internal 512..530), or objects or programs
 * left once every process has closed everything (LIST, with
 * CAP_SYS_ADMIN, sees all).  The kernel's own health (WARN, BUG, lockdep,
 * KASAN) is judged by the VM runner from dmesg, and the module must unload
 * afterwards.  Prints "calls N" per process and in total.
 *
 * Adding a command is one entry in cmds[]: its number, struct size, the
 * offsets of its fd and pointer fields and an optional filler of valid
 * values.
 */
#include <dirent.h>
#include <grp.h>
#include <sys/socket.h>

#include "harden.h"
#include "selftests/tap.h"
#include "libipo.h"

#define POOL_MAX	64
#define ARENA_SIZE	(1 << 20)
#define ARENA_GUARD	(64 << 20)
#define MAX_PROGS	256
#define MAX_FIELDS	4

enum fd_kind { FD_NONE, FD_DEV, FD_OBJ, FD_PROG, FD_SUB, FD_IRQ, FD_OTHER };

struct pool_fd {
	int fd;
	enum fd_kind kind;
	bool methods;		/* FD_OBJ: has methods 0 and 1 (do_setup) */
	void *map;		/* FD_OBJ: a mapping, or NULL */
	size_t map_len;
};

struct prog {
	__u64 *insns;
	__u32 cnt;
	__u32 type;		/* IPO_PROG_TYPE_* of its ELF section */
};

struct fuzz {
	__u64 rng;
	int dev;
	struct pool_fd pool[POOL_MAX];
	int nr_pool;
	unsigned char *arena;	/* ARENA_SIZE, then a PROT_NONE page */
	long calls, ok, errs[4096];
	long cmd_calls[32], cmd_ok[32];	/* per cmds[] entry */
};

/*
 * Each process' progress, in memory shared with the parent: a process
 * that finishes no call for STUCK_SECS is reported with the call it is in
 * (a kernel deadlock or a lost wakeup shows up here) and killed.
 */
#define STUCK_SECS	60

struct progress {
	long calls;		/* calls done */
	char op[32];		/* what it is doing */
};

static struct progress *progress;
static struct prog progs[MAX_PROGS];
static int nr_progs;
static struct pool_fd shared[16];	/* made before the fork */
static int nr_shared;
static bool quiet;

/* --- randomness ------------------------------------------------------- */

static __u64 rnd(struct fuzz *f)
{
	/* xorshift64* */
	f->rng ^= f->rng >> 12;
	f->rng ^= f->rng << 25;
	f->rng ^= f->rng >> 27;
	return f->rng * 0x2545f4914f6cdd1dULL;
}

static __u64 below(struct fuzz *f, __u64 n)
{
	return n ? rnd(f) % n : 0;
}

static bool one_in(struct fuzz *f, unsigned int n)
{
	return below(f, n) == 0;
}

/* Integers a checker gets wrong: 0, 1, limits, powers of two and near. */
static __u64 interesting(struct fuzz *f)
{
	static const __u64 v[] = {
		0, 1, 2, 7, 8, 63, 64, 65, 127, 128, 255, 256, 4095, 4096,
		4097, 65535, 65536, 1 << 20, (1 << 20) + 1, 1 << 24,
		0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
		0x7fffffffffffffffULL, 0x8000000000000000ULL, ~0ULL, ~0ULL - 7,
	};

	return v[below(f, ARRAY_LEN(v))] + (one_in(f, 4) ? below(f, 3) : 0);
}

static void fill_random(struct fuzz *f, void *p, size_t n)
{
	unsigned char *c = p;

	while (n--)
		*c++ = rnd(f);
}

/* --- the fd pool ------------------------------------------------------ */

static void pool_add(struct fuzz *f, int fd, enum fd_kind kind)
{
	struct pool_fd *p;

	if (fd < 0)
		return;
	/*
	 * A blocking read of a subscription with nothing queued would wait
	 * for ever: that is the API working, not a finding.
	 */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	if (f->nr_pool == POOL_MAX) {
		/* Full: drop a random one (closing it is a test too). */
		p = &f->pool[below(f, POOL_MAX)];
		if (p->map)
			munmap(p->map, p->map_len);
		close(p->fd);
		*p = (struct pool_fd){ .fd = fd, .kind = kind };
		return;
	}
	f->pool[f->nr_pool++] = (struct pool_fd){ .fd = fd, .kind = kind };
}

/* A pool fd of @kind (or any kind), or a closed, foreign or odd number. */
static int pick_fd(struct fuzz *f, enum fd_kind kind)
{
	int i, start;

	switch (below(f, 16)) {
	case 0:
		return -1;
	case 1:
		return (int)rnd(f);
	case 2:
		return f->dev;
	case 3:
		return 1000 + below(f, 20);	/* closed */
	case 4:
		if (nr_shared)
			return shared[below(f, nr_shared)].fd;
		break;
	case 5:
		if (f->nr_pool)
			return f->pool[below(f, f->nr_pool)].fd;
		break;
	}
	if (!f->nr_pool)
		return nr_shared ? shared[below(f, nr_shared)].fd : f->dev;
	start = below(f, f->nr_pool);
	for (i = 0; i < f->nr_pool; i++) {
		struct pool_fd *p = &f->pool[(start + i) % f->nr_pool];

		if (p->kind == kind)
			return p->fd;
	}
	if (kind == FD_OBJ && nr_shared)
		return shared[below(f, nr_shared)].fd;
	return f->pool[start].fd;
}

/* An object whose methods 0 and 1 exist (do_setup's), or a shared one. */
static int pick_invokable(struct fuzz *f, __u32 *nr_methods)
{
	int i, start = below(f, f->nr_pool ? f->nr_pool : 1);

	for (i = 0; i < f->nr_pool; i++) {
		struct pool_fd *p = &f->pool[(start + i) % f->nr_pool];

		if (p->kind == FD_OBJ && p->methods) {
			*nr_methods = 2;
			return p->fd;
		}
	}
	*nr_methods = 1;
	return nr_shared ? shared[below(f, nr_shared)].fd : -1;
}

static struct pool_fd *pick_pool(struct fuzz *f)
{
	return f->nr_pool ? &f->pool[below(f, f->nr_pool)] : NULL;
}

static void pool_close(struct fuzz *f, struct pool_fd *p)
{
	if (p->map)
		munmap(p->map, p->map_len);
	close(p->fd);
	*p = f->pool[--f->nr_pool];
}

/* --- pointers and buffers -------------------------------------------- */

/* @len bytes in the arena (random content unless @zero), or NULL. */
static void *arena_buf(struct fuzz *f, size_t len, bool zero)
{
	unsigned char *p;

	if (len > ARENA_SIZE / 2)
		return NULL;
	/* Sometimes flush against the guard page: the last bytes fault. */
	if (one_in(f, 8))
		p = f->arena + ARENA_SIZE - len;
	else
		p = f->arena + below(f, ARENA_SIZE / 2) / 8 * 8;
	if (zero)
		memset(p, 0, len);
	else
		fill_random(f, p, len);
	return p;
}

/* A user pointer that is valid for @len bytes, or one that is not. */
static __u64 user_ptr(struct fuzz *f, size_t len, bool zero)
{
	switch (below(f, 12)) {
	case 0:
		return 0;
	case 1:
		return (uintptr_t)(f->arena + ARENA_SIZE);	/* guard page */
	case 2:
		return 0xffffffff81000000ULL + below(f, 1 << 20); /* kernel */
	case 3:
		return rnd(f);
	case 4:
		return (uintptr_t)(f->arena + ARENA_SIZE - below(f, 16));
	}
	return (uintptr_t)arena_buf(f, len, zero);
}

/* A size to go with a buffer: usually in range, sometimes not. */
static __u32 buf_size(struct fuzz *f, __u32 max)
{
	if (one_in(f, 8))
		return interesting(f);
	return below(f, max + 1);
}

/* --- programs --------------------------------------------------------- */

static void load_progs_dir(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d) {
		fprintf(stderr, "ipo_ioctl_fuzz: %s: %s\n", dir,
			strerror(errno));
		return;
	}
	while ((de = readdir(d)) && nr_progs < MAX_PROGS) {
		struct ipo_prog_obj *obj;
		struct ipo_program *p;
		char path[512];
		size_t n = strlen(de->d_name);

		if (n < 3 || strcmp(de->d_name + n - 2, ".o"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		obj = ipo_prog_obj_open(path, NULL);
		if (!obj)
			continue;
		ipo_prog_obj__for_each_program(p, obj) {
			size_t cnt = ipo_program__insn_cnt(p);
			struct prog *pr;

			if (nr_progs == MAX_PROGS || !cnt)
				break;
			pr = &progs[nr_progs];
			pr->insns = malloc(cnt * sizeof(*pr->insns));
			if (!pr->insns)
				break;
			memcpy(pr->insns, ipo_program__insns(p),
			       cnt * sizeof(*pr->insns));
			pr->cnt = cnt;
			pr->type = ipo_program__type(p);
			nr_progs++;
		}
		ipo_prog_obj__close(obj);
	}
	closedir(d);
}

/*
 * Instructions for PROG_LOAD: a corpus program, mutated, or random; *type
 * is the corpus program's type (METHOD for the others).
 */
static void *prog_insns(struct fuzz *f, __u32 *cnt, __u32 *type)
{
	__u64 *buf;
	struct prog *p;
	__u32 i, n;

	*type = IPO_PROG_TYPE_METHOD;
	if (!nr_progs || one_in(f, 8)) {
		n = 1 + below(f, 64);
		buf = arena_buf(f, n * 8, false);
		/* End in exit so that some random ones verify. */
		if (buf && one_in(f, 2))
			buf[n - 1] = EXIT();
		*cnt = n;
		return buf;
	}
	if (one_in(f, 3)) {
		*cnt = ARRAY_LEN(ipo_m_add);
		return (void *)ipo_m_add;
	}
	p = &progs[below(f, nr_progs)];
	*type = p->type;
	buf = arena_buf(f, p->cnt * 8, true);
	if (!buf) {
		*cnt = p->cnt;
		return p->insns;
	}
	memcpy(buf, p->insns, p->cnt * 8);
	n = one_in(f, 2) ? 0 : 1 + below(f, 4);
	for (i = 0; i < n; i++)
		((unsigned char *)buf)[below(f, p->cnt * 8)] ^= 1 << below(f, 8);
	*cnt = one_in(f, 16) ? below(f, p->cnt + 2) : p->cnt;
	return buf;
}

/* --- the command table ------------------------------------------------ */

struct cmd_desc {
	const char *name;
	unsigned long nr;
	__u32 size;			/* the struct this program knows */
	int fd_off[MAX_FIELDS];		/* fd fields (-1 ends) */
	enum fd_kind fd_kind[MAX_FIELDS];
	int out_fd_off;			/* out fd field, -1 if none */
	enum fd_kind out_kind;
	void (*fill)(struct fuzz *f, void *s);	/* valid values */
	void (*bound)(void *s);		/* after mutation: keep it short */
};

/*
 * A run the caller asks to be long is long: PROG_TEST_RUN with repeat
 * 2^32 and the maximal fuel takes hours (a fatal signal ends it, which
 * the watchdog would have to send).  Fuel the module would accept is
 * capped, and repeat; out-of-range values still reach the kernel.
 */
#define FUZZ_FUEL	(1ULL << 20)
static __u64 max_fuel = 134217728;

static void bound_fuel(__u64 *fuel)
{
	if (*fuel > FUZZ_FUEL && *fuel <= max_fuel)
		*fuel = FUZZ_FUEL;
}

static void bound_test_run(void *s)
{
	struct ipo_prog_test_run *c = s;

	c->repeat &= 63;
	bound_fuel(&c->fuel);
}

static void bound_invoke(void *s)
{
	bound_fuel(&((struct ipo_invoke *)s)->fuel);
}

#define F(type, field)	offsetof(type, field)

static void fill_info(struct fuzz *f, void *s)
{
	/* Everything zero: the struct as an honest caller sends it. */
	memset(s, 0, sizeof(struct ipo_info));
}

static void fill_create(struct fuzz *f, void *s)
{
	struct ipo_obj_create *c = s;

	c->flags = IPO_OBJ_CLOEXEC;
	c->data_size = one_in(f, 4) ? interesting(f) : 1 + below(f, 8192);
	c->mode = one_in(f, 2) ? 0666 : below(f, 01000);
	c->name[0] = '\0';
	if (one_in(f, 2))
		snprintf(c->name, sizeof(c->name), "fz%u.%u", getpid(),
			 (unsigned int)below(f, 16));
	/* Persistent ones outlive the fuzzer: rmmod frees them. */
	if (one_in(f, 8))
		c->flags |= IPO_OBJ_PERSIST;
}

static void fill_load(struct fuzz *f, void *s)
{
	struct ipo_prog_load *c = s;
	__u32 cnt, type;

	c->flags = IPO_PROG_CLOEXEC | (one_in(f, 3) ? IPO_PROG_INTERP : 0);
	c->insns = (uintptr_t)prog_insns(f, &cnt, &type);
	c->prog_type = one_in(f, 8) ? below(f, 4) : type;
	c->insn_cnt = cnt;
	if (one_in(f, 3)) {
		c->log_size = 128 + below(f, 8192);
		c->log_buf = user_ptr(f, c->log_size, true);
		c->log_level = below(f, IPO_LOG_LEVEL_MAX + 2);
	}
	if (one_in(f, 6)) {
		__u32 n = 1 + below(f, 8), i;
		struct ipo_line_rec *r = arena_buf(f, n * sizeof(*r), true);
		char *str = arena_buf(f, 64, false);

		if (r && str) {
			str[63] = '\0';
			for (i = 0; i < n; i++) {
				r[i].insn_off = i * (cnt / n);
				r[i].line = 1 + i;
				r[i].file_off = below(f, 70);
				r[i].src_off = below(f, 70);
			}
			c->line_info = (uintptr_t)r;
			c->line_info_cnt = n;
			c->line_info_rec_size = one_in(f, 4) ?
				interesting(f) : sizeof(*r);
			c->strings = (uintptr_t)str;
			c->strings_size = 64;
		}
	}
	c->name[0] = '\0';
	if (one_in(f, 2))
		snprintf(c->name, sizeof(c->name), "p%u", getpid());
}

static void fill_test_run(struct fuzz *f, void *s)
{
	struct ipo_prog_test_run *c = s;

	c->flags = one_in(f, 2) ? IPO_TEST_RUN_INTERP : 0;
	c->repeat = below(f, 4);
	c->obj_size = 1 + buf_size(f, 256);
	c->obj = user_ptr(f, c->obj_size, false);
	c->arg_size = buf_size(f, 64);
	c->arg = user_ptr(f, c->arg_size, false);
	c->out_size = buf_size(f, 64);
	c->out = user_ptr(f, c->out_size, false);
	c->fuel = one_in(f, 4) ? interesting(f) : 0;
}

static void fill_set_methods(struct fuzz *f, void *s)
{
	struct ipo_obj_set_methods *c = s;
	__u32 i, n = one_in(f, 8) ? interesting(f) : below(f, 5);
	__s32 *fds = arena_buf(f, (n < 128 ? n : 128) * 4 + 4, true);

	for (i = 0; fds && i < n && i < 128; i++)
		fds[i] = pick_fd(f, FD_PROG);
	c->nr_methods = n;
	c->prog_fds = fds && !one_in(f, 10) ? (uintptr_t)fds :
		      user_ptr(f, n * 4, false);
}

static void fill_invoke(struct fuzz *f, void *s)
{
	struct ipo_invoke *c = s;
	bool sane = !one_in(f, 4);
	__u32 i, n = !sane ? interesting(f) : 1 + below(f, 6);
	__u32 stride = !sane ? below(f, 2 * sizeof(struct ipo_call)) :
			 sizeof(struct ipo_call);
	/* Room for the largest stride: the kernel uses nr_calls * stride. */
	unsigned char *calls = arena_buf(f, (n < 64 ? n : 64) * 2 *
					 sizeof(struct ipo_call), true);

	/* Half the bundles are valid calls of existing methods. */
	bool valid = one_in(f, 2);

	for (i = 0; calls && i < n && i < 64 && stride >= 48; i++) {
		struct ipo_call *k = (void *)(calls + i * stride);
		__u32 nr;

		if (valid) {
			k->obj_fd = pick_invokable(f, &nr);
			k->method = below(f, nr);
			k->arg_size = 8;
			k->arg = (uintptr_t)arena_buf(f, 8, false);
			k->out_size = 8 * below(f, 2);
			k->out = (uintptr_t)arena_buf(f, 8, true);
			continue;
		}
		k->obj_fd = pick_fd(f, FD_OBJ);
		k->method = one_in(f, 8) ? interesting(f) : below(f, 4);
		k->arg_size = one_in(f, 2) ? 8 : buf_size(f, 128);
		k->arg = user_ptr(f, k->arg_size, false);
		k->out_size = one_in(f, 2) ? 8 : buf_size(f, 128);
		k->out = user_ptr(f, k->out_size, false);
	}
	c->flags = (__u32[]){ 0, IPO_INVOKE_ATOMIC,
			      IPO_INVOKE_INDEPENDENT }[below(f, 3)];
	c->nr_calls = n;
	c->call_size = stride;
	c->calls = calls && (sane || !one_in(f, 4)) ? (uintptr_t)calls :
		   user_ptr(f, 64, false);
	c->fuel = one_in(f, 4) ? interesting(f) : below(f, 2) * 1000;
}

static void fill_derive(struct fuzz *f, void *s)
{
	struct ipo_handle_derive *c = s;

	c->flags = IPO_HANDLE_CLOEXEC;
	c->rights = below(f, 32);
	c->methods = one_in(f, 2) ? ~0ULL : rnd(f);
}

static void fill_revoke(struct fuzz *f, void *s)
{
	struct ipo_handle_revoke *c = s;

	c->flags = one_in(f, 3) ? IPO_REVOKE_ALL : 0;
	c->handle_id = c->flags ? 0 : below(f, 8);
}

static void fill_open(struct fuzz *f, void *s)
{
	struct ipo_obj_open *c = s;

	c->flags = IPO_HANDLE_CLOEXEC;
	c->rights = below(f, 16);
	if (one_in(f, 2))
		snprintf(c->name, sizeof(c->name), "fz%u.%u",
			 one_in(f, 2) ? getpid() : getppid() + 1 +
			 (unsigned int)below(f, 8),
			 (unsigned int)below(f, 16));
	else
		snprintf(c->name, sizeof(c->name), "shared%u",
			 (unsigned int)below(f, 4));
}

static void fill_remove(struct fuzz *f, void *s)
{
	struct ipo_obj_remove *c = s;

	c->flags = one_in(f, 16) ? interesting(f) : 0;
	snprintf(c->name, sizeof(c->name), "fz%u.%u",
		 one_in(f, 2) ? getpid() : getppid() + 1 +
		 (unsigned int)below(f, 8), (unsigned int)below(f, 16));
}

static void fill_methods(struct fuzz *f, void *s)
{
	struct ipo_obj_methods *c = s;

	c->info_size = one_in(f, 4) ? below(f, 256) :
		       sizeof(struct ipo_method_info);
	c->max_infos = one_in(f, 8) ? interesting(f) : below(f, 8);
	c->infos = user_ptr(f, (c->max_infos < 8 ? c->max_infos : 8) *
			       (c->info_size < 256 ? c->info_size : 256),
			    false);
}

static void fill_list(struct fuzz *f, void *s)
{
	struct ipo_list *c = s;
	__u32 esize = one_in(f, 4) ? below(f, 256) :
		      (one_in(f, 2) ? sizeof(struct ipo_obj_entry) :
		       sizeof(struct ipo_prog_entry));

	c->kind = one_in(f, 8) ? below(f, 5) : 1 + below(f, 2);
	c->entry_size = esize;
	c->start_id = one_in(f, 4) ? interesting(f) : below(f, 64);
	c->max_entries = one_in(f, 8) ? interesting(f) : 1 + below(f, 16);
	c->entries = user_ptr(f, (c->max_entries < 64 ? c->max_entries : 64) *
				 (esize < 256 ? esize : 256), false);
}

static void fill_subscribe(struct fuzz *f, void *s)
{
	struct ipo_subscribe *c = s;

	c->flags = IPO_SUB_CLOEXEC | IPO_SUB_NONBLOCK;
	c->mask = one_in(f, 8) ? 0 : rnd(f) | 1;
	c->queue_len = one_in(f, 4) ? interesting(f) : below(f, 32);
	/* No signals: a fuzzer killing itself finds nothing. */
	c->signo = one_in(f, 16) ? 70 + below(f, 4) : 0;
}

/*
 * The edu devices of the test VM (bound to ipo-irq or not), a name that
 * is not a device, and garbage; widths and windows around edu's 4 KiB BAR.
 */
static void fill_irq_attach(struct fuzz *f, void *s)
{
	static const char *const devs[] = {
		"0000:00:04.0", "0000:00:08.0", "0000:00:00.0", "nodev", "",
	};
	struct ipo_irq_attach *c = s;

	/* obj_fd is always filled: without IPO_IRQ_OBJ that is EINVAL. */
	c->flags = one_in(f, 8) ? rnd(f) : IPO_IRQ_CLOEXEC |
		   (one_in(f, 4) ? 0 : IPO_IRQ_OBJ);
	c->bar = one_in(f, 4) ? below(f, 8) : 0;
	c->widths = one_in(f, 4) ? rnd(f) :
		    IPO_IRQ_W32 | (one_in(f, 2) ? IPO_IRQ_W64 : 0);
	c->win_off = one_in(f, 4) ? interesting(f) : below(f, 2) * 0x20;
	c->win_len = one_in(f, 4) ? interesting(f) : 0x100;
	snprintf(c->device, sizeof(c->device), "%s",
		 devs[below(f, ARRAY_LEN(devs))]);
	if (one_in(f, 2)) {
		c->log_size = 128 + below(f, 4096);
		c->log_buf = user_ptr(f, c->log_size, true);
	}
}

/* IRQ_STAT and IRQ_DETACH: size, flags, attach_fd lead both structs. */
static void fill_irq_by_fd(struct fuzz *f, void *s)
{
	struct ipo_irq_detach *c = s;

	c->flags = one_in(f, 8) ? rnd(f) : 0;
}

static const struct cmd_desc cmds[] = {
	{ "GET_INFO", IPO_GET_INFO, sizeof(struct ipo_info),
	  { -1 }, { 0 }, -1, 0, fill_info },
	{ "OBJ_CREATE", IPO_OBJ_CREATE, sizeof(struct ipo_obj_create),
	  { -1 }, { 0 }, F(struct ipo_obj_create, out_fd), FD_OBJ,
	  fill_create },
	{ "PROG_LOAD", IPO_PROG_LOAD, sizeof(struct ipo_prog_load),
	  { -1 }, { 0 }, F(struct ipo_prog_load, out_fd), FD_PROG,
	  fill_load },
	{ "PROG_TEST_RUN", IPO_PROG_TEST_RUN,
	  sizeof(struct ipo_prog_test_run),
	  { F(struct ipo_prog_test_run, prog_fd), -1 }, { FD_PROG }, -1, 0,
	  fill_test_run, bound_test_run },
	{ "OBJ_SET_METHODS", IPO_OBJ_SET_METHODS,
	  sizeof(struct ipo_obj_set_methods),
	  { F(struct ipo_obj_set_methods, obj_fd), -1 }, { FD_OBJ }, -1, 0,
	  fill_set_methods },
	{ "INVOKE", IPO_INVOKE, sizeof(struct ipo_invoke),
	  { -1 }, { 0 }, -1, 0, fill_invoke, bound_invoke },
	{ "HANDLE_DERIVE", IPO_HANDLE_DERIVE,
	  sizeof(struct ipo_handle_derive),
	  { F(struct ipo_handle_derive, obj_fd), -1 }, { FD_OBJ },
	  F(struct ipo_handle_derive, out_fd), FD_OBJ, fill_derive },
	{ "HANDLE_REVOKE", IPO_HANDLE_REVOKE,
	  sizeof(struct ipo_handle_revoke),
	  { F(struct ipo_handle_revoke, obj_fd), -1 }, { FD_OBJ }, -1, 0,
	  fill_revoke },
	{ "OBJ_OPEN", IPO_OBJ_OPEN, sizeof(struct ipo_obj_open),
	  { -1 }, { 0 }, F(struct ipo_obj_open, out_fd), FD_OBJ, fill_open },
	{ "LIST", IPO_LIST, sizeof(struct ipo_list),
	  { -1 }, { 0 }, -1, 0, fill_list },
	{ "SUBSCRIBE", IPO_SUBSCRIBE, sizeof(struct ipo_subscribe),
	  { F(struct ipo_subscribe, obj_fd), -1 }, { FD_OBJ },
	  F(struct ipo_subscribe, out_fd), FD_SUB, fill_subscribe },
	{ "IRQ_ATTACH", IPO_IRQ_ATTACH, sizeof(struct ipo_irq_attach),
	  { F(struct ipo_irq_attach, prog_fd), F(struct ipo_irq_attach, obj_fd),
	    -1 }, { FD_PROG, FD_OBJ },
	  F(struct ipo_irq_attach, out_fd), FD_IRQ, fill_irq_attach },
	{ "IRQ_STAT", IPO_IRQ_STAT, sizeof(struct ipo_irq_stat),
	  { F(struct ipo_irq_stat, attach_fd), -1 }, { FD_IRQ }, -1, 0,
	  fill_irq_by_fd },
	{ "IRQ_DETACH", IPO_IRQ_DETACH, sizeof(struct ipo_irq_detach),
	  { F(struct ipo_irq_detach, attach_fd), -1 }, { FD_IRQ }, -1, 0,
	  fill_irq_by_fd },
	{ "OBJ_REMOVE", IPO_OBJ_REMOVE, sizeof(struct ipo_obj_remove),
	  { -1 }, { 0 }, -1, 0, fill_remove },
	{ "OBJ_METHODS", IPO_OBJ_METHODS, sizeof(struct ipo_obj_methods),
	  { F(struct ipo_obj_methods, obj_fd), -1 }, { FD_OBJ }, -1, 0,
	  fill_methods },
};
_Static_assert(ARRAY_LEN(cmds) <= 32, "struct fuzz counts 32 commands");

/* --- one call ----------------------------------------------------------- */

static struct progress *me;

static void doing(const char *op)
{
	snprintf(me->op, sizeof(me->op), "%s", op);
}

static void note(struct fuzz *f, long ret)
{
	f->calls++;
	if (ret >= 0) {
		f->ok++;
		return;
	}
	if (errno > 0 && errno < 4096)
		f->errs[errno]++;
}

static void do_cmd(struct fuzz *f, const struct cmd_desc *d)
{
	unsigned char *s;
	__u32 size = d->size, alloc;
	int i, fd = f->dev, ret;

	/* Size: exact, grown with a zero or non-zero tail, or too small. */
	switch (below(f, 8)) {
	case 0:
		size = below(f, d->size);
		break;
	case 1:
		size = d->size + 8 * (1 + below(f, 32));
		break;
	case 2:
		size = one_in(f, 2) ? interesting(f) : d->size + below(f, 4096);
		break;
	}
	alloc = size < 8192 ? (size > d->size ? size : d->size) : 8192;
	s = arena_buf(f, alloc, true);
	if (!s)
		return;
	if (d->fill && !one_in(f, 8))
		d->fill(f, s);
	else
		fill_random(f, s, d->size);
	for (i = 0; i < MAX_FIELDS && d->fd_off[i] >= 0; i++)
		memcpy(s + d->fd_off[i],
		       &(int){ pick_fd(f, d->fd_kind[i]) }, 4);
	if (size > d->size && size <= alloc && one_in(f, 3))
		s[d->size + below(f, size - d->size)] = 1 + below(f, 255);
	/* Mutations of the valid struct. */
	if (one_in(f, 4)) {
		int n = 1 + below(f, 3);

		while (n--) {
			__u32 off = below(f, d->size) & ~3u;

			if (one_in(f, 2))
				memcpy(s + off, &(__u32){ interesting(f) }, 4);
			else
				s[below(f, d->size)] ^= 1 << below(f, 8);
		}
	}
	if (d->bound)
		d->bound(s);
	memcpy(s, &size, 4);
	doing(d->name);
	/* Sometimes the command goes to the wrong kind of fd. */
	if (one_in(f, 16))
		fd = pick_fd(f, FD_OBJ);
	/* Sometimes the struct itself is not readable. */
	if (one_in(f, 32))
		s = (void *)(uintptr_t)user_ptr(f, 8, false);
	ret = ioctl(fd, d->nr, s);
	note(f, ret);
	f->cmd_calls[d - cmds]++;
	f->cmd_ok[d - cmds] += ret == 0;
	if (ret == 0 && d->out_fd_off >= 0 && fd == f->dev &&
	    (uintptr_t)s >= (uintptr_t)f->arena &&
	    (uintptr_t)s < (uintptr_t)f->arena + ARENA_SIZE &&
	    size >= d->out_fd_off + 4) {
		int out;

		memcpy(&out, s + d->out_fd_off, 4);
		pool_add(f, out, d->out_kind);
	}
}

/* mmap, munmap, poll, read, write, dup, close, random ioctls. */
static void do_file_op(struct fuzz *f)
{
	struct pool_fd *p = pick_pool(f);
	unsigned char buf[256];
	struct pollfd pfd;
	long ret = 0;

	static const char *const ops[] = {
		"mmap", "munmap", "poll", "read", "write", "dup", "close",
		"random ioctl", "command on an fd",
	};
	int op = below(f, 9);

	if (!p)
		return;
	doing(ops[op]);
	switch (op) {
	case 0: {
		size_t len = one_in(f, 4) ? interesting(f) & 0xffffff :
			     4096 * (1 + below(f, 3));
		int prot = one_in(f, 8) ? PROT_READ | PROT_WRITE : PROT_READ;
		int flags = one_in(f, 8) ? MAP_PRIVATE : MAP_SHARED;
		void *m = mmap(NULL, len, prot, flags, p->fd,
			       one_in(f, 8) ? 4096 * below(f, 4) : 0);

		ret = m == MAP_FAILED ? -1 : 0;
		if (m != MAP_FAILED) {
			volatile unsigned char c = *(unsigned char *)m;

			(void)c;
			if (p->map || len > (1 << 20)) {
				munmap(m, len);
			} else {
				p->map = m;
				p->map_len = len;
			}
		}
		break;
	}
	case 1:
		if (p->map) {
			ret = mprotect(p->map, p->map_len,
				       PROT_READ | PROT_WRITE);
			munmap(p->map, p->map_len);
			p->map = NULL;
		}
		break;
	case 2:
		pfd.fd = p->fd;
		pfd.events = POLLIN | POLLOUT | POLLPRI;
		ret = poll(&pfd, 1, 0);
		break;
	case 3:
		ret = read(p->fd, one_in(f, 8) ? (void *)8 : buf,
			   below(f, sizeof(buf) + 1));
		break;
	case 4:
		ret = write(p->fd, buf, below(f, sizeof(buf) + 1));
		break;
	case 5:
		ret = dup(p->fd);
		if (ret >= 0)
			pool_add(f, ret, p->kind);
		break;
	case 6:
		pool_close(f, p);
		break;
	case 7:
		ret = ioctl(one_in(f, 2) ? f->dev : p->fd,
			    one_in(f, 2) ? _IO(IPO_TYPE, below(f, 256)) :
			    (unsigned long)rnd(f),
			    f->arena + below(f, ARENA_SIZE / 2));
		break;
	case 8: {
		/* A command on the fd instead of /dev/ipo. */
		const struct cmd_desc *d = &cmds[below(f, ARRAY_LEN(cmds))];

		memset(buf, 0, sizeof(buf));
		memcpy(buf, &d->size, 4);
		ret = ioctl(p->fd, d->nr, buf);
		break;
	}
	}
	note(f, ret);
}

/* A valid object with valid methods now and then, so INVOKE goes deep. */
static void do_setup(struct fuzz *f)
{
	int obj = ipo_create(f->dev, NULL, 64, IPO_OBJ_CLOEXEC, 0, NULL);
	int prog = h_load(f->dev, ipo_m_add, ARRAY_LEN(ipo_m_add),
			  one_in(f, 2) ? IPO_PROG_INTERP : 0);
	int fds[2] = { prog, prog };

	doing("setup");
	note(f, obj);
	note(f, prog);
	if (obj >= 0 && prog >= 0 &&
	    !h_set_methods(f->dev, obj, fds, 2)) {
		note(f, 0);
		pool_add(f, obj, FD_OBJ);
		if (f->nr_pool && f->pool[f->nr_pool - 1].fd == obj)
			f->pool[f->nr_pool - 1].methods = true;
	} else {
		pool_add(f, obj, FD_OBJ);
	}
	pool_add(f, prog, FD_PROG);
}

static void run_proc(int idx, __u64 seed, long count, double deadline,
		     bool unpriv)
{
	struct fuzz *f = calloc(1, sizeof(*f));
	int i;

	if (!f)
		exit(3);
	me = &progress[idx];
	doing("start");
	f->rng = seed * 0x9e3779b97f4a7c15ULL + idx + 1;
	f->dev = ipo_open_dev();
	if (f->dev < 0)
		exit(3);
	/*
	 * The arena, then ARENA_GUARD bytes of no access: an array the
	 * kernel is told spans far past a buffer near the end (4096 LIST
	 * entries of a page, 1024 calls of any stride) faults there instead
	 * of writing into whatever mapping comes next, such as the progress
	 * page shared with the parent.
	 */
	f->arena = mmap(NULL, ARENA_SIZE + ARENA_GUARD, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (f->arena == MAP_FAILED)
		exit(3);
	mprotect(f->arena + ARENA_SIZE, ARENA_GUARD, PROT_NONE);
	if (unpriv && (setgroups(0, NULL) || setgid(65534) || setuid(65534)))
		exit(3);
	pool_add(f, open("/dev/null", O_RDWR | O_CLOEXEC), FD_OTHER);
	for (i = 0; count < 0 || i < count; i++) {
		if (!(i & 63) && h_now() > deadline)
			break;
		if (one_in(f, 64))
			do_setup(f);
		else if (one_in(f, 5))
			do_file_op(f);
		else
			do_cmd(f, &cmds[below(f, ARRAY_LEN(cmds))]);
		me->calls = f->calls;
	}
	doing("closing");
	for (i = 512; i <= 530; i++) {
		if (f->errs[i]) {
			fprintf(stderr, "proc %d: kernel-internal errno %d returned %ld times\n",
				idx, i, f->errs[i]);
			exit(1);
		}
	}
	if (!quiet)
		printf("# proc %d%s: %ld calls, %ld succeeded, EINVAL %ld EFAULT %ld EBADF %ld EPERM %ld ENOTTY %ld E2BIG %ld\n",
		       idx, unpriv ? " (uid 65534)" : "", f->calls, f->ok,
		       f->errs[EINVAL], f->errs[EFAULT], f->errs[EBADF],
		       f->errs[EPERM], f->errs[ENOTTY], f->errs[E2BIG]);
	if (!quiet) {
		char line[1024];
		size_t n = 0, k;

		for (k = 0; k < ARRAY_LEN(cmds); k++)
			n += snprintf(line + n, sizeof(line) - n, " %s %ld/%ld",
				      cmds[k].name, f->cmd_ok[k],
				      f->cmd_calls[k]);
		printf("# proc %d succeeded/issued:%s\n", idx, line);
	}
	while (f->nr_pool)
		pool_close(f, &f->pool[0]);
	exit(0);
}

int main(int argc, char **argv)
{
	long count = 10000, total = 0, seen[64] = { 0 };
	double seen_at[64];
	pid_t pids[64];
	int procs = 4, unpriv = 1, i, status, bad = 0, dev;
	double secs = 0, deadline, t0;
	__u64 seed = 1;
	long left_objs, left_progs;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--count") && i + 1 < argc)
			count = atol(argv[++i]);
		else if (!strcmp(argv[i], "--time") && i + 1 < argc)
			secs = atof(argv[++i]);
		else if (!strcmp(argv[i], "--procs") && i + 1 < argc)
			procs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--unpriv") && i + 1 < argc)
			unpriv = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--progs") && i + 1 < argc)
			load_progs_dir(argv[++i]);
		else if (!strcmp(argv[i], "--quiet"))
			quiet = true;
		else {
			fprintf(stderr, "usage: %s [--seed S] [--count N] [--time SEC] [--procs P] [--unpriv P] [--progs DIR]... [--quiet]\n",
				argv[0]);
			return 2;
		}
	}
	if (procs < 1 || procs > 64)
		procs = 4;
	{
		unsigned long long v = 0;

		if (!ipo_param_read("max_fuel", &v) && v)
			max_fuel = v;
	}
	if (secs > 0 && !count)
		count = -1;
	dev = ipo_open_dev();
	if (dev < 0) {
		tap_ok(false, "ioctl fuzz: %s: %s", IPO_DEV, strerror(errno));
		return 1;
	}
	/* Shared objects, open in every process: foreign fds. */
	for (i = 0; i < 4; i++) {
		char name[IPO_NAME_MAX] = "";
		int fd, prog;

		snprintf(name, sizeof(name), "shared%d", i);
		fd = ipo_create(dev, name, 128, 0, i & 1 ? 0666 : 0644, NULL);
		if (fd < 0)
			continue;
		prog = h_load(dev, ipo_m_add, ARRAY_LEN(ipo_m_add), 0);
		if (prog >= 0) {
			h_set_methods(dev, fd, &prog, 1);
			close(prog);
		}
		shared[nr_shared++] = (struct pool_fd){ .fd = fd,
							.kind = FD_OBJ };
	}
	progress = mmap(NULL, 64 * sizeof(*progress), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (progress == MAP_FAILED)
		return 1;
	t0 = h_now();
	deadline = secs > 0 ? t0 + secs : 1e18;
	printf("# ioctl fuzz: seed %llu, %d processes (%d unprivileged), %ld calls each%s, %d corpus programs\n",
	       (unsigned long long)seed, procs, unpriv < procs ? unpriv : procs,
	       count, secs > 0 ? " or the time limit" : "", nr_progs);
	for (i = 0; i < procs; i++) {
		seen_at[i] = h_now();
		pids[i] = fork();
		if (pids[i] == 0)
			run_proc(i, seed, count, deadline,
				 i >= procs - unpriv);
		if (pids[i] < 0)
			bad++;
	}
	for (;;) {
		pid_t pid = waitpid(-1, &status, WNOHANG);

		if (pid < 0)
			break;
		if (pid > 0) {
			for (i = 0; i < procs; i++)
				if (pids[i] == pid)
					pids[i] = 0;
			if (!WIFEXITED(status) || WEXITSTATUS(status)) {
				printf("# a fuzz process ended with status %#x\n",
				       status);
				bad++;
			}
			continue;
		}
		/*
		 * Stuck: no call finished for STUCK_SECS by the parent's
		 * clock (the count, not the child's time stamp, which a
		 * guest clock jump could make look old).
		 */
		for (i = 0; i < procs; i++) {
			if (progress[i].calls != seen[i]) {
				seen[i] = progress[i].calls;
				seen_at[i] = h_now();
			}
			if (pids[i] > 0 && h_now() - seen_at[i] > STUCK_SECS) {
				printf("# proc %d: no call done for %ds, in %s after %ld calls\n",
				       i, STUCK_SECS, progress[i].op,
				       progress[i].calls);
				kill(pids[i], SIGKILL);
				pids[i] = 0;
				bad++;
			}
		}
		usleep(100000);
	}
	for (i = 0; i < procs; i++)
		total += progress[i].calls;
	for (i = 0; i < nr_shared; i++)
		close(shared[i].fd);
	/*
	 * Under the fault build (fault_every set) the check itself would be
	 * failed: report what was injected and switch injection off first.
	 */
	{
		unsigned long long every = 0, injected = 0;

		if (!ipo_param_read("fault_every", &every) && every &&
		    !ipo_param_read("fault_injected", &injected)) {
			printf("# fault_every=%llu: %llu failures injected\n",
			       every, injected);
			ipo_param_write("fault_every", 0);
		}
	}
	/* OBJ_CREATE made some persistent: they stay until removed. */
	printf("# persistent objects removed: %ld\n",
	       h_remove_persistent(dev));
	left_objs = h_list_count(dev, IPO_LIST_OBJS);
	left_progs = h_list_count(dev, IPO_LIST_PROGS);
	close(dev);
	if (left_objs || left_progs) {
		printf("# left behind: %ld objects, %ld programs\n", left_objs,
		       left_progs);
		bad++;
	}
	tap_ok(!bad,
	       "ioctl fuzz: calls %ld in %.1fs (%.0f/s), seed %llu, %d processes",
	       total, h_now() - t0,
	       total / (h_now() - t0 + 1e-9), (unsigned long long)seed, procs);
	return bad ? 1 : 0;
}
