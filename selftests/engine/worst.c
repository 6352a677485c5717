// SPDX-License-Identifier: GPL-2.0
/*
 * ipo-worst: what the worst programs of worst.h cost the host verifier.
 *
 * usage: ipo-worst [--shape NAME]... [--size N]... [--depth D] [--spread S]
 *		    [--body B] [--edges E] [--jit] [--stop-ms MS]
 *
 * Each (shape, size) is generated and verified (METHOD type, as PROG_LOAD
 * would) in a forked child, so every row's peak memory is its own: "rss"
 * is the child's peak resident set (getrusage), "base" its resident set
 * just before ipo_verify() (the program and its aux array), so rss - base
 * is what the verifier itself held at its peak.  Time is wall clock of
 * ipo_verify() (and of ipo_jit_compile() with --jit, for accepted
 * programs).  The verdict is the errno and the log's last line.
 * Defaults: every shape, sizes 250000 and 1048576, depth 6; the knobs
 * are struct worst_opts'.  With --stop-ms, a timer sets ipo_host_stop
 * (the host's fatal signal) MS milliseconds into ipo_verify(), and the
 * row says how long the verifier took to return after it.
 */
#include <signal.h>
#include <sys/time.h>
#include <getopt.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "verifier/verifier.h"
#include "base/progtypes.h"
#include "exec/jit.h"
#include "worst.h"

#define WORST_LOG	(1 << 16)

static u64 stop_ns;

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static long rss_kib(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return 0;
	if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
		rss = 0;
	fclose(f);
	return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

static void on_alarm(int sig)
{
	stop_ns = now_ns();
	WRITE_ONCE(ipo_host_stop, 1);
}

static void arm_stop(u32 ms)
{
	struct itimerval it = { .it_value = { ms / 1000, ms % 1000 * 1000 } };

	signal(SIGALRM, on_alarm);
	setitimer(ITIMER_REAL, &it, NULL);
}

/* The log's last non-empty line, without its newline. */
static const char *last_line(char *log)
{
	char *end = log + strlen(log), *s;

	while (end > log && end[-1] == '\n')
		*--end = 0;
	s = strrchr(log, '\n');
	return s ? s + 1 : log;
}

/* In the child: one row, on stdout; exit status 0 unless it broke. */
static int run_one(enum worst_shape shape, u32 size,
		   const struct worst_opts *o, bool jit, u32 stop_ms)
{
	static char log_buf[WORST_LOG];
	struct ipo_vlog log = { .buf = log_buf, .size = sizeof(log_buf),
				.level = 1 };
	struct ipo_prog prog = {
		.type = ipo_progtype_of(IPO_PROG_TYPE_METHOD),
	};
	struct worst_prog p = { .cap = size };
	u32 *far = calloc(size / 5 + 1, sizeof(*far));
	u64 t0, t1, tj = 0;
	long base;
	int err;

	p.insns = calloc(size, sizeof(*p.insns));
	if (!p.insns || !far || worst_gen(&p, shape, size, o, far)) {
		printf("%-6s %8u  generator failed\n", worst_names[shape], size);
		return 1;
	}
	free(far);
	prog.insns = (const struct ipo_insn *)p.insns;
	prog.len = p.len;
	prog.aux = calloc(p.len, sizeof(*prog.aux));
	if (!prog.aux)
		return 1;
	base = rss_kib();
	if (stop_ms)
		arm_stop(stop_ms);
	t0 = now_ns();
	err = ipo_verify(&prog, &log);
	t1 = now_ns();
	if (!err && jit) {
		struct ipo_jit_image img;
		u64 j0 = now_ns();

		if (!ipo_jit_compile(&prog, &ipo_jit_host_mem, &img)) {
			tj = now_ns() - j0;
			ipo_jit_free(&img);
		}
	}
	printf("%-6s %8u %9.1f %8.1f %6ld  %-7s",
	       worst_names[shape], p.len, (t1 - t0) / 1e6, tj / 1e6,
	       base / 1024, err ? strerror(-err) : "ok");
	printf(" %s\n", last_line(log_buf));
	if (stop_ns)
		printf("%-6s %8s  stopped %.3f ms after the stop request\n",
		       "", "", (t1 - stop_ns) / 1e6);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "shape", required_argument, NULL, 's' },
		{ "size", required_argument, NULL, 'n' },
		{ "depth", required_argument, NULL, 'd' },
		{ "spread", required_argument, NULL, 'p' },
		{ "body", required_argument, NULL, 'b' },
		{ "edges", required_argument, NULL, 'e' },
		{ "jit", no_argument, NULL, 'j' },
		{ "stop-ms", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	u32 sizes[8] = { 250000, IPO_MAX_INSNS }, nsizes = 0;
	struct worst_opts o = {};
	bool shapes[WORST_NR_SHAPES] = {}, any = false, jit = false;
	u32 stop_ms = 0;
	int c, s, i, failed = 0;

	while ((c = getopt_long(argc, argv, "s:n:d:p:b:e:jt:", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			for (s = 0; s < WORST_NR_SHAPES; s++)
				if (!strcmp(optarg, worst_names[s]))
					break;
			if (s == WORST_NR_SHAPES)
				goto usage;
			shapes[s] = any = true;
			break;
		case 'n':
			if (nsizes == ARRAY_SIZE(sizes))
				goto usage;
			sizes[nsizes++] = strtoul(optarg, NULL, 0);
			if (sizes[nsizes - 1] < 1000 ||
			    sizes[nsizes - 1] > IPO_MAX_INSNS)
				goto usage;
			break;
		case 'd':
			o.depth = strtoul(optarg, NULL, 0);
			break;
		case 'p':
			o.spread = strtoul(optarg, NULL, 0);
			break;
		case 'b':
			o.body = strtoul(optarg, NULL, 0);
			break;
		case 'e':
			o.edges = strtoul(optarg, NULL, 0);
			break;
		case 'j':
			jit = true;
			break;
		case 't':
			stop_ms = strtoul(optarg, NULL, 0);
			break;
		default:
			goto usage;
		}
	}
	if (!nsizes)
		nsizes = 2;
	printf("%-6s %8s %9s %8s %6s  %-7s %s\n", "shape", "insns",
	       "verify ms", "jit ms", "base", "result", "last log line");
	printf("%-6s %8s %9s %8s %6s  %-7s %s\n", "", "", "", "", "MiB", "",
	       "(peak rss MiB on the next line)");
	for (s = 0; s < WORST_NR_SHAPES; s++) {
		if (any && !shapes[s])
			continue;
		for (i = 0; i < (int)nsizes; i++) {
			struct rusage ru;
			int status;
			pid_t pid;

			fflush(stdout);
			pid = fork();
			if (pid < 0)
				return 2;
			if (!pid)
				_exit(run_one(s, sizes[i], &o, jit, stop_ms));
			if (wait4(pid, &status, 0, &ru) != pid ||
			    !WIFEXITED(status) || WEXITSTATUS(status)) {
				printf("%-6s %8u  child failed (status 0x%x)\n",
				       worst_names[s], sizes[i], status);
				failed = 1;
				continue;
			}
			printf("%-6s %8s  peak rss %ld MiB\n", "", "",
			       ru.ru_maxrss / 1024);
		}
	}
	return failed;
usage:
	fprintf(stderr,
		"usage: ipo-worst [--shape fwd|joins|loops|mix|kept]... [--size N]... [--depth D] [--spread S]\n"
		"                 [--body B] [--edges E] [--jit] [--stop-ms MS]\n");
	return 2;
}
