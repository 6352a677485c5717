// SPDX-License-Identifier: GPL-2.0
/*
 * ipo_bench: the environment line (kernel, CPU, clock, mitigations).
 */
#include <sys/utsname.h>
#include <cpuid.h>

#include "ipo_bench.h"

static void json_str(const char *key, const char *s, bool comma)
{
	printf("\"%s\":\"", key);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s >= 0x20)
			putchar(*s);
	}
	printf("\"%s", comma ? "," : "");
}

static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = 0;
	if (f) {
		if (fgets(buf, len, f))
			buf[strcspn(buf, "\n")] = 0;
		fclose(f);
	}
	if (!buf[0])
		snprintf(buf, len, "?");
}

/*
 * What counter.add itself costs: PROG_TEST_RUN of the method, @repeat
 * runs in the kernel (the module's own clock around them, divided), on
 * the JIT or the interpreter.  Tells how much of an INVOKE is the
 * method and how much the way there and back.  -1 when it cannot run.
 */
static double method_run_ns(bool interp)
{
	struct ipo_dev *dev = ipo_dev_open();
	struct ipo_prog_obj *po = ipo_prog_obj_open(COUNTER_O, NULL);
	struct ipo_program *prog = po ? ipo_prog_obj__find_program(po, "add") :
				   NULL;
	struct counter obj = { 0 };
	struct add_args arg = { .delta = 1 };
	int64_t out;
	LIBIPO_OPTS(ipo_test_run_opts, o, .repeat = 100000, .obj = &obj,
		    .obj_size = sizeof(obj), .arg = &arg,
		    .arg_size = sizeof(arg), .out = &out,
		    .out_size = sizeof(out),
		    .flags = interp ? IPO_TEST_RUN_INTERP : 0);
	double ns = -1;
	int fd = -1;

	if (dev && prog)
		fd = ipo_program_load(dev, prog, NULL);
	if (fd >= 0 && !ipo_prog_test_run(dev, fd, &o) && !o.abort &&
	    obj.total == 100000 && o.jited == !interp)
		ns = o.duration_ns;
	if (fd >= 0)
		close(fd);
	ipo_prog_obj__close(po);
	ipo_dev_close(dev);
	return ns;
}

void print_env(void)
{
	static const char *const vulns[] = {
		"meltdown", "spectre_v1", "spectre_v2", "spec_store_bypass",
		"retbleed", "mds",
	};
	char buf[512], model[256] = "?", sig[13] = "";
	unsigned int a, b, c, d;
	struct utsname u;
	uint64_t t0, best = ~0ULL;
	FILE *f;
	size_t i;
	int k;

	uname(&u);
	f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(buf, sizeof(buf), f)) {
		if (!strncmp(buf, "model name", 10) && strchr(buf, ':')) {
			snprintf(model, sizeof(model), "%s",
				 strchr(buf, ':') + 2);
			model[strcspn(model, "\n")] = 0;
			break;
		}
	}
	if (f)
		fclose(f);
	/* The hypervisor's signature: "TCGTCGTCGTCG" or "KVMKVMKVM". */
	__cpuid(0x40000000, a, b, c, d);
	memcpy(sig, &b, 4);
	memcpy(sig + 4, &c, 4);
	memcpy(sig + 8, &d, 4);
	for (i = 0; i < 12; i++)
		if ((unsigned char)sig[i] < 0x20 || (unsigned char)sig[i] > 0x7e)
			sig[i] = 0;
	for (k = 0; k < 1000; k++) {
		t0 = now_ns();
		t0 = now_ns() - t0;
		if (t0 < best)
			best = t0;
	}

	printf("IPO-BENCH-ENV {");
	json_str("kernel", u.release, true);
	printf("\"vcpus\":%d,", nr_cpus);
	json_str("cpu_model", model, true);
	json_str("hypervisor", sig, true);
	json_str("accel", strstr(sig, "TCG") ? "tcg" : strstr(sig, "KVM") ?
		 "kvm" : "unknown", true);
	read_line("/proc/cmdline", buf, sizeof(buf));
	json_str("cmdline", buf, true);
	read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		  buf, sizeof(buf));
	json_str("clocksource", buf, true);
	printf("\"clock_read_ns\":%" PRIu64 ",", best);
	printf("\"counter_add_run_ns\":{\"jit\":%.0f,\"interp\":%.0f},",
	       method_run_ns(false), method_run_ns(true));
	read_line("/sys/module/ipo/parameters/jit", buf, sizeof(buf));
	json_str("ipo_jit", buf, true);
	read_line("/proc/sys/net/core/bpf_jit_enable", buf, sizeof(buf));
	json_str("bpf_jit_enable", buf, true);
	printf("\"mitigations\":{");
	for (i = 0; i < sizeof(vulns) / sizeof(vulns[0]); i++) {
		char path[128];

		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/vulnerabilities/%s", vulns[i]);
		read_line(path, buf, sizeof(buf));
		json_str(vulns[i], buf, i + 1 < sizeof(vulns) / sizeof(vulns[0]));
	}
	printf("},\"seconds_per_mechanism\":%.2f,\"batch\":%d,"
	       "\"histogram\":\"log2 buckets, %d linear sub-buckets each; percentiles are bucket midpoints\"}\n",
	       cfg.seconds, BATCH, SUB);
	fflush(stdout);
}
