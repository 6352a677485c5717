#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench.py: `make bench` -- run ipo_bench in the test VM and report.

Boots the VM (scripts/vm.sh, IPO_VM_SMP vCPUs, default 2), loads the
module, runs /ipo/bench/ipo_bench, and from the "IPO-BENCH" lines of the
serial log writes into --out (build/bench/):

  results.json  the environment (guest and host) and, per mechanism and
                placement, iterations, p50/p90/p99/p99.9/max (ns), ops/s,
                the timing method and the histogram's non-empty buckets
  table.md      the markdown table (ratios first), the targets, the date
                and environment: what the README's section shows
  latency.png   latency distribution per mechanism; bundle size vs the
                cost of one call (gnuplot; latency.gp and *.dat beside it)
  service.md    the rate-limiter service both ways ("IPO-BENCH-SVC"
                lines, bench/ipo_bench/service.c): per worker count,
                single takes and bundles of 16, p50/p99 and takes/s, ipo
                against the Unix-socket twin (also appended to table.md)
  vm.log        the guest's serial log

and prints the table.  --log FILE re-renders from a saved serial log
without booting.  Exits non-zero when the guest failed or a mechanism
reported an error.

--icount (`make bench-icount`) boots one vCPU under QEMU's
`-icount shift=0,sleep=off`: the guest clock advances 1 ns per guest
instruction, so every figure is an instruction count that repeats run to
run.  It writes icount.json, icount.md and icount-vm.log beside the timed
results (no plot) and judges the instruction-count targets.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Display order and family (for the plot's colours).
ORDER = [
    ("null_ioctl", "floor"), ("getppid", "floor"),
    ("ipo_invoke_einval", "ipo"), ("ipo_invoke_ebadf", "ipo"),
    ("ipo_invoke_jit", "ipo"), ("ipo_invoke_interp", "ipo"),
    ("ipo_bundle_8", "ipo"), ("ipo_bundle_64", "ipo"),
    ("ipo_bundle_512", "ipo"),
    ("bpf_prog_run_syscall", "bpf"), ("bpf_map_update_elem", "bpf"),
    ("unix_stream_rpc", "ipc"), ("unix_seqpacket_rpc", "ipc"),
    ("unix_dgram_rpc", "ipc"), ("pipe_rpc", "ipc"),
    ("eventfd_shm_rpc", "ipc"), ("futex_shm_rpc", "ipc"),
    ("unix_stream_batch_64", "ipc"),
    ("ipo_notify_0", "ipo"), ("ipo_notify_1", "ipo"),
    ("ipo_notify_2", "ipo"), ("ipo_notify_4", "ipo"),
    ("ipo_notify_8", "ipo"), ("ipo_notify_15", "ipo"),
    ("ipo_notify_16", "ipo"), ("ipo_notify_32", "ipo"),
    ("ipo_notify_64", "ipo"),
    ("ipo_wake_latency", "ipo"), ("unix_oneway_latency", "ipc"),
] + [("ipo_obj_%s%s" % (sz, kind), "ipo") for kind in ("", "_b64", "_atomic2")
     for sz in ("16", "4k", "1m", "16m", "64m")] + \
    [("ipo_blen_%d" % (1 << i), "ipo") for i in range(11)] + \
    [("ipo_2proc_distinct", "ipo"), ("ipo_2proc_same", "ipo")]
FAMILY = dict(ORDER)
PLACEMENTS = ["local", "2cpu", "1cpu"]


def run_vm(args, log_path):
    """Boots the VM with ipo_bench; the serial log goes to log_path."""
    cmd = "/ipo/bench/ipo_bench --seconds %g" % args.seconds
    if args.only:
        cmd += " --only " + args.only
    n = len(args.only.split(",")) * 2 if args.only else 70
    # The service runs: 24 of them, each with its own set-up.
    if not args.only or "svc" in args.only.split(","):
        n += 24
    timeout = args.timeout or int(n * (args.seconds * 1.25 + 4) + 120)
    # The object-size rows of 1 MiB and more copy gigabytes under TCG:
    # minutes of host time, whatever --seconds says.
    if not args.timeout and (not args.only or any(
            w.startswith("ipo_obj_") and not w.startswith(("ipo_obj_16_",
                                                          "ipo_obj_4k"))
            and w != "ipo_obj_16" for w in args.only.split(","))):
        timeout += 1800
    vm = [os.path.join(TOP, "scripts/vm.sh"), "--timeout", str(timeout)]
    env = dict(os.environ)
    if args.icount:
        # One vCPU: with two, one's instructions would advance the
        # other's clock.
        vm += ["--qemu-arg", "-icount", "--qemu-arg", "shift=0,sleep=off"]
        env["IPO_VM_SMP"] = "1"
    vm += ["--cmd", "insmod /ipo/ipo.ko", "--cmd", cmd,
           "--cmd", "rmmod ipo"]
    print("bench: %s (timeout %d s)" % (" ".join(vm[1:]), timeout),
          flush=True)
    with open(log_path, "w") as log:
        p = subprocess.Popen(vm, stdout=subprocess.PIPE, text=True,
                             errors="replace", cwd=TOP, env=env)
        for line in p.stdout:
            log.write(line)
            # Progress only; the results are read back from the log.
            if line.startswith("# bench:") or "ipo_bench:" in line or \
               "not ok" in line:
                sys.stdout.write(line)
                sys.stdout.flush()
        return p.wait()


def parse_log(path):
    env, results, done = {}, [], None
    parse_log.service = []
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            i = line.find("IPO-BENCH")
            if i < 0:
                continue
            line = line[i:]
            try:
                if line.startswith("IPO-BENCH-ENV "):
                    env = json.loads(line[len("IPO-BENCH-ENV "):])
                elif line.startswith("IPO-BENCH "):
                    results.append(json.loads(line[len("IPO-BENCH "):]))
                elif line.startswith("IPO-BENCH-SVC "):
                    parse_log.service.append(
                        json.loads(line[len("IPO-BENCH-SVC "):]))
                elif line.startswith("IPO-BENCH-DONE"):
                    done = line
            except json.JSONDecodeError as e:
                results.append({"name": "?", "placement": "?",
                                "error": "unreadable line (%s)" % e})
    return env, results, done


def host_env():
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    qemu = "?"
    try:
        qemu = subprocess.run([os.environ.get("QEMU", "qemu-system-x86_64"),
                               "--version"], capture_output=True, text=True,
                              timeout=10).stdout.splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        pass
    commit = "?"
    try:
        commit = subprocess.run(["git", "describe", "--always", "--dirty"],
                                cwd=TOP, capture_output=True, text=True,
                                timeout=10).stdout.strip() or "?"
    except (OSError, subprocess.SubprocessError):
        pass
    return {"cpu_model": model, "cpus": os.cpu_count(),
            "kernel": platform.release(), "qemu": qemu, "commit": commit,
            "loadavg_before": os.getloadavg()[0]}


def key(r):
    return (r["name"], r.get("placement"))


def fmt_ns(v):
    if v is None:
        return "-"
    if v >= 10_000_000:
        return "%.0f ms" % (v / 1e6)
    if v >= 10_000:
        return "%.0f µs" % (v / 1e3)
    return "%d" % v


def fmt_ratio(v):
    if v is None:
        return "-"
    if v < 0.95:
        return "1/%.0f" % (1 / v) if v < 0.01 else "1/%.3g" % (1 / v)
    if v >= 100:
        return "%.0f×" % v
    if v >= 10:
        return "%.1f×" % v
    return "%.2f×" % v


def sort_key(r):
    names = [n for n, _ in ORDER]
    n = names.index(r["name"]) if r["name"] in names else len(names)
    p = PLACEMENTS.index(r.get("placement")) \
        if r.get("placement") in PLACEMENTS else 9
    return (n, p)


def targets(by):
    """The issue's targets, each with its two sides and the verdict."""
    def p50(name, placement="local"):
        r = by.get((name, placement))
        return r["p50"] if r and "p50" in r else None

    out = []

    def add(desc, lhs, rhs, factor, lhs_name, rhs_name):
        if lhs is None or rhs is None:
            out.append({"target": desc, "met": None})
            return
        out.append({"target": desc, "lhs": lhs_name, "lhs_p50": lhs,
                    "rhs": rhs_name, "rhs_p50": rhs,
                    "ratio": lhs / rhs, "limit": factor,
                    "met": lhs <= factor * rhs})

    jit = p50("ipo_invoke_jit")
    add("ipo_invoke_jit p50 ≤ 1.25 × null_ioctl p50", jit, p50("null_ioctl"),
        1.25, "ipo_invoke_jit", "null_ioctl")
    for pl in ("2cpu", "1cpu"):
        add("ipo_invoke_jit p50 ≤ 1/50 × unix_stream_rpc p50 (%s)" % pl, jit,
            p50("unix_stream_rpc", pl), 1 / 50, "ipo_invoke_jit",
            "unix_stream_rpc " + pl)
    add("ipo_bundle_64 per call ≤ 1/20 × ipo_invoke_jit", p50("ipo_bundle_64"),
        jit, 1 / 20, "ipo_bundle_64", "ipo_invoke_jit")
    add("ipo_notify_15 ≤ 2 × ipo_notify_0", p50("ipo_notify_15"),
        p50("ipo_notify_0"), 2, "ipo_notify_15", "ipo_notify_0")
    add("ipo_invoke_jit < bpf_prog_run_syscall (same update)", jit,
        p50("bpf_prog_run_syscall"), 1, "ipo_invoke_jit",
        "bpf_prog_run_syscall")
    return out


def env_line(env, host, date):
    mit = env.get("mitigations", {})
    mit_s = "mitigations=off" if "mitigations=off" in env.get("cmdline", "") \
        else "; ".join("%s: %s" % kv for kv in mit.items())
    return ("%s; guest Linux %s, %s vCPUs, %s (%s), clocksource %s, %s, "
            "ipo jit=%s, bpf_jit_enable=%s; host %s × %s, %s, load %s "
            "before the run; %g s per mechanism; ipo %s" % (
                date, env.get("kernel", "?"), env.get("vcpus", "?"),
                env.get("accel", "?").upper(), env.get("cpu_model", "?"),
                env.get("clocksource", "?"), mit_s, env.get("ipo_jit", "?"),
                env.get("bpf_jit_enable", "?"), host.get("cpus", "?"),
                host.get("cpu_model", "?"), host.get("qemu", "?"),
                "%.1f" % host["loadavg_before"]
                if host.get("loadavg_before") is not None else "?",
                env.get("seconds_per_mechanism", 0), host.get("commit", "?")))


def contention(results):
    """2cpu rows far slower than their 1cpu twins: the host was busy.

    Under TCG each vCPU is a host thread; a request to the other vCPU
    waits until the host runs that thread.  On a loaded host that takes
    milliseconds, which no guest mechanism explains.
    """
    by = {key(r): r for r in results if "p50" in r}
    out = []
    for (name, pl), r in sorted(by.items()):
        one = by.get((name, "1cpu"))
        if pl == "2cpu" and one and r["p50"] > 10 * one["p50"]:
            out.append("%s (2cpu p50 %s vs 1cpu %s)" % (
                name, fmt_ns(r["p50"]), fmt_ns(one["p50"])))
    return out


def table(results, env, host, date, tg):
    by = {key(r): r for r in results}
    null = by.get(("null_ioctl", "local"), {}).get("p50")
    # The reference round trip: two vCPUs, unless the host spoiled those.
    ref = "2cpu"
    if not by.get(("unix_stream_rpc", "2cpu"), {}).get("p50") or \
       any(c.startswith("unix_stream_rpc ") for c in contention(results)):
        ref = "1cpu"
    unix = by.get(("unix_stream_rpc", ref), {}).get("p50")
    head = ["mechanism", "CPUs", "× null_ioctl",
            "× unix_stream_rpc " + ref,
            "p50 ns", "p90", "p99", "p99.9", "max", "ops/s", "iterations",
            "timing"]
    rows = []
    for r in sorted(results, key=sort_key):
        if "error" in r:
            rows.append([r["name"], r.get("placement", "?"), "error: " +
                         r["error"]] + [""] * (len(head) - 3))
            continue
        rows.append([
            r["name"], r["placement"],
            fmt_ratio(r["p50"] / null if null else None),
            fmt_ratio(r["p50"] / unix if unix else None),
            fmt_ns(r["p50"]), fmt_ns(r["p90"]), fmt_ns(r["p99"]),
            fmt_ns(r["p99_9"]), fmt_ns(r["max"]),
            "{:,.0f}".format(r["ops_per_s"]), "{:,}".format(r["iterations"]),
            r["timing"] + ("/%d" % r["calls_per_sample"]
                           if r["calls_per_sample"] > 1 else ""),
        ])
    md = ["Measured %s" % env_line(env, host, date), "",
          "| " + " | ".join(head) + " |",
          "|" + "|".join("---" if i < 2 else "---:" for i in
                         range(len(head))) + "|"]
    md += ["| " + " | ".join(row) + " |" for row in rows]
    md += ["", "Ratios are of p50 values; × unix_stream_rpc is against the "
           "round trip with client and server on %s (two unless host "
           "contention spoiled those). CPUs: `local` one process on "
           "CPU 0 (ipo and bpf run in the caller's syscall), `2cpu` client "
           "on CPU 0 and server/subscriber on CPU 1, `1cpu` both on CPU 0. "
           "Timing: `per_op` one request per clock read; `per_batch/16` 16 "
           "back-to-back calls per clock read, divided by 16; `per_call/N` "
           "one INVOKE or round trip of N requests, divided by N. " % (
               "two vCPUs" if ref == "2cpu" else "one vCPU") +
           "counter.add alone (PROG_TEST_RUN, averaged in the kernel): "
           "JIT %s ns, interpreter %s ns; a clock read costs %s ns." % (
               env.get("counter_add_run_ns", {}).get("jit", "?"),
               env.get("counter_add_run_ns", {}).get("interp", "?"),
               env.get("clock_read_ns", "?")), "",
           "| target | measured | met |", "|---|---:|---|"]
    slow = contention(results)
    if slow:
        warn = ("Host contention: %s. Cross-vCPU wake-ups waited for the "
                "host to run the other vCPU's thread; re-run on a quiet "
                "machine to compare `2cpu` rows." % "; ".join(slow))
        md[len(md) - 3:len(md) - 3] = [warn, ""]
    for t in tg:
        if t["met"] is None:
            md.append("| %s | %s | - |" % (
                t["target"], "not judged: host contention, %s / %s = %.3f"
                % (fmt_ns(t["lhs_p50"]), fmt_ns(t["rhs_p50"]), t["ratio"])
                if t.get("note") else "not measured"))
        else:
            md.append("| %s | %s / %s = %.3f (limit %.3f) | %s |" % (
                t["target"], fmt_ns(t["lhs_p50"]), fmt_ns(t["rhs_p50"]),
                t["ratio"], t["limit"], "yes" if t["met"] else "**no**"))
    # A plain-text table for the terminal.
    widths = [max(len(head[i]), *(len(r[i]) for r in rows)) if rows else
              len(head[i]) for i in range(len(head))]
    txt = ["  ".join(h.ljust(w) if i < 2 else h.rjust(w)
                     for i, (h, w) in enumerate(zip(head, widths)))]
    for row in rows:
        txt.append("  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                             for i, (c, w) in enumerate(zip(row, widths))))
    txt.append("")
    for s in contention(results):
        txt.append("warning: host contention: " + s)
    for t in tg:
        if t["met"] is None:
            txt.append("target %-58s %s" % (
                t["target"], "not judged (host contention)"
                if t.get("note") else "not measured"))
        else:
            txt.append("target %-58s %8.3f (limit %.3f)  %s" % (
                t["target"], t["ratio"], t["limit"],
                "met" if t["met"] else "MISSED"))
    return "\n".join(md) + "\n", "\n".join(txt) + "\n"


def service_table(svc):
    """The rate limiter both ways: one row per request shape and workers.

    Latency is per request (one take, or one bundle / message of 16);
    every run checked the granted-tokens bound (a violation is an error
    line, which fails the run).
    """
    by = {(r["name"]): r for r in svc}
    head = ["request", "workers", "ipo p50", "ipo p99", "ipo takes/s",
            "unix p50", "unix p99", "unix takes/s", "p50 unix/ipo",
            "p99 unix/ipo", "takes/s ipo/unix"]
    shapes = [("take", "take", "one take"),
              ("batch16", "batch16", "16, stop-at-error"),
              ("atomic16", "batch16", "16, atomic")]
    rows = []
    for ipo_shape, unix_shape, desc in shapes:
        for w in range(1, 5):
            i = by.get("svc_ipo_%s_w%d" % (ipo_shape, w))
            u = by.get("svc_unix_%s_w%d" % (unix_shape, w))
            if not i and not u:
                continue
            def g(r, k):
                return r.get(k) if r else None
            rows.append([desc, str(w),
                         fmt_ns(g(i, "p50")), fmt_ns(g(i, "p99")),
                         "{:,.0f}".format(i["takes_per_s"]) if i else "-",
                         fmt_ns(g(u, "p50")), fmt_ns(g(u, "p99")),
                         "{:,.0f}".format(u["takes_per_s"]) if u else "-",
                         fmt_ratio(u["p50"] / i["p50"]) if i and u else "-",
                         fmt_ratio(u["p99"] / i["p99"]) if i and u else "-",
                         fmt_ratio(i["takes_per_s"] / u["takes_per_s"])
                         if i and u and u["takes_per_s"] else "-"])
    if not rows:
        return "", ""
    md = ["The rate limiter (progs/ratelimit.c, 64 buckets) as an ipo "
          "object and as a Unix-socket server (one process, a "
          "SOCK_SEQPACKET connection per worker, the same arithmetic); "
          "worker threads take one token of a skewed choice of bucket per "
          "take. Latency is per request (a take, or a bundle / message of "
          "16 takes); the granted-tokens bound was checked after every "
          "run. The socket twin has no atomic mode: its 16-take message "
          "is the comparison for both bundle rows.", "",
          "| " + " | ".join(head) + " |",
          "|" + "|".join("---" if i < 2 else "---:" for i in
                         range(len(head))) + "|"]
    md += ["| " + " | ".join(r) + " |" for r in rows]
    widths = [max(len(head[i]), *(len(r[i]) for r in rows))
              for i in range(len(head))]
    txt = ["  ".join(h.ljust(w) if i < 2 else h.rjust(w)
                     for i, (h, w) in enumerate(zip(head, widths)))]
    for r in rows:
        txt.append("  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                             for i, (c, w) in enumerate(zip(r, widths))))
    return "\n".join(md) + "\n", "\n".join(txt) + "\n"


def icount_of(r):
    """A row's instruction count: its fewest (the figures repeat exactly;
    a sample a timer tick landed in is only ever above them)."""
    return r.get("min")


def icount_targets(by):
    """The instruction-count targets of issue 16, each with its verdict."""
    def n(name, placement="local"):
        r = by.get((name, placement))
        return icount_of(r) if r and "min" in r else None

    out = []
    for desc, lhs, rhs, limit in (
            ("ipo_invoke_jit / null_ioctl", "ipo_invoke_jit", "null_ioctl",
             1.5),
            ("ipo_bundle_64 per call (instructions)", "ipo_bundle_64", None,
             200),
            ("ipo_notify_0 / ipo_invoke_jit", "ipo_notify_0",
             "ipo_invoke_jit", 1.1),
            ("call on a 16 MiB object / on a 16 B object", "ipo_obj_16m",
             "ipo_obj_16", 1.5)):
        a, b = n(lhs), (n(rhs) if rhs else 1)
        if a is None or not b:
            out.append({"target": desc, "limit": limit, "met": None})
            continue
        out.append({"target": desc, "lhs": lhs, "lhs_insns": a,
                    "rhs": rhs, "rhs_insns": b if rhs else None,
                    "ratio": a / b, "limit": limit, "met": a / b <= limit})
    return out


def icount_table(results, env, host, date, tg):
    """The instruction counts: markdown for icount.md, text for the
    terminal."""
    by = {key(r): r for r in results}
    null = icount_of(by.get(("null_ioctl", "local"), {}))
    head = ["mechanism", "CPUs", "instructions", "× null_ioctl", "p50",
            "samples", "timing"]
    rows = []
    for r in sorted(results, key=sort_key):
        if "error" in r:
            rows.append([r["name"], r.get("placement", "?"),
                         "error: " + r["error"]] + [""] * (len(head) - 3))
            continue
        v = icount_of(r)
        rows.append([r["name"], r["placement"], "{:,}".format(v),
                     fmt_ratio(v / null if null else None),
                     "{:,}".format(r["p50"]), "{:,}".format(r["samples"]),
                     r["timing"] + ("/%d" % r["calls_per_sample"]
                                    if r["calls_per_sample"] > 1 else "")])
    md = ["Measured %s; instruction counts (QEMU -icount shift=0,sleep=off, "
          "one vCPU)" % env_line(env, host, date), "",
          "| " + " | ".join(head) + " |",
          "|" + "|".join("---" if i < 2 else "---:" for i in
                         range(len(head))) + "|"]
    md += ["| " + " | ".join(row) + " |" for row in rows]
    md += ["", "instructions: guest instructions per request (user and "
           "kernel, the benchmark loop's share included), the fewest of "
           "the samples; p50 is the histogram's (bucket midpoints, so "
           "within 1.6%). Timing as in the timed table.", "",
           "| target | measured | limit | met |", "|---|---:|---:|---|"]
    txt = []
    widths = [max(len(head[i]), *(len(r[i]) for r in rows)) if rows else
              len(head[i]) for i in range(len(head))]
    txt.append("  ".join(h.ljust(w) if i < 2 else h.rjust(w)
                         for i, (h, w) in enumerate(zip(head, widths))))
    for row in rows:
        txt.append("  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                             for i, (c, w) in enumerate(zip(row, widths))))
    txt.append("")
    for t in tg:
        if t["met"] is None:
            md.append("| %s | not measured | %g | - |" % (t["target"],
                                                          t["limit"]))
            txt.append("target %-46s not measured" % t["target"])
            continue
        got = ("%s / %s = %.2f" % ("{:,}".format(t["lhs_insns"]),
                                   "{:,}".format(t["rhs_insns"]), t["ratio"])
               if t["rhs"] else "{:,}".format(t["lhs_insns"]))
        md.append("| %s | %s | %g | %s |" % (t["target"], got, t["limit"],
                                            "met" if t["met"] else
                                            "**not met**"))
        txt.append("target %-46s %-28s (limit %g)  %s" % (
            t["target"], got, t["limit"],
            "met" if t["met"] else "not met"))
    return "\n".join(md) + "\n", "\n".join(txt) + "\n"


def plot(results, out, date, env):
    """latency.png: two panels, written with gnuplot."""
    # The throughput rows have no distribution to draw.
    ok = sorted((r for r in results if "error" not in r and
                 r.get("timing") != "throughput"), key=sort_key)
    if not ok:
        return False
    colours = {"floor": "#555555", "ipo": "#1f77b4", "bpf": "#2ca02c",
               "ipc": "#d62728"}
    n = len(ok)
    with open(os.path.join(out, "latency.dat"), "w") as f:
        f.write("# row p50 p90 p99 p99.9 max colour label\n")
        for i, r in enumerate(ok):
            y = n - i
            f.write('%d %d %d %d %d %d %d "%s %s"\n' % (
                y, max(r["p50"], 1), max(r["p90"], 1), max(r["p99"], 1),
                max(r["p99_9"], 1), max(r["max"], 1),
                int(colours[FAMILY.get(r["name"], "floor")][1:], 16), r["name"],
                r["placement"]))
    by = {key(r): r for r in ok}
    with open(os.path.join(out, "bundle.dat"), "w") as f:
        f.write("# calls_per_invoke p50_per_call p99_per_call\n")
        # The bundle-length rows when they ran, else the three bundles.
        series = [(1 << i, "ipo_blen_%d" % (1 << i)) for i in range(11)]
        if not any(by.get((name, "local")) for _, name in series):
            series = ((1, "ipo_invoke_jit"), (8, "ipo_bundle_8"),
                      (64, "ipo_bundle_64"), (512, "ipo_bundle_512"))
        for k, name in series:
            r = by.get((name, "local"))
            if r:
                f.write("%d %d %d\n" % (k, r["p50"], r["p99"]))
    refs = []
    for name, pl, title in (("null_ioctl", "local", "null ioctl"),
                            ("getppid", "local", "getppid"),
                            ("bpf_prog_run_syscall", "local",
                             "bpf PROG_RUN"),
                            ("unix_stream_batch_64", "2cpu",
                             "unix stream, 64 per write (2cpu)"),
                            ("unix_stream_rpc", "1cpu",
                             "unix stream rpc (1cpu)")):
        r = by.get((name, pl))
        if r:
            refs.append((r["p50"], title))
    ref_plots = ", ".join(
        "%d w l dt %d lw 1.5 title '%s: %s'" % (
            v, 2 + i % 4, t, fmt_ns(v) + ("" if "s" in fmt_ns(v) else " ns"))
        for i, (v, t) in enumerate(refs))
    gp = """# Written by bench/bench.py
set terminal pngcairo noenhanced size 1600,%(h)d font ",10"
set output '%(png)s'
set multiplot layout 1,2 title "ipo vs Unix IPC and the kernel's eBPF: %(env)s"
set lmargin 28
set logscale x 10
set xtics ("10 ns" 10, "100 ns" 100, "1 µs" 1e3, "10 µs" 1e4, "100 µs" 1e5, "1 ms" 1e6, "10 ms" 1e7, "100 ms" 1e8, "1 s" 1e9)
set xlabel "ns per request (log): dot p50, bar p90..p99, whisker to p99.9, x max"
set yrange [0:%(n1)d]
set ytics () font ",9"
set grid xtics
unset key
plot '%(lat)s' using 2:1:7:ytic(8) with points pt 7 ps 1.2 lc rgb variable, \\
     '' using (sqrt($3*$4)):1:3:4:($1-0.25):($1+0.25):7 with boxxyerror fs solid 0.35 lc rgb variable, \\
     '' using 4:1:($5-$4):(0):7 with vectors nohead lw 1.5 lc rgb variable, \\
     '' using 6:1:7 with points pt 2 ps 0.8 lc rgb variable
set ytics
set xtics auto
set lmargin 10
set logscale x 2
set logscale y 10
set format x "%%g"
set ytics ("10 ns" 10, "30 ns" 30, "100 ns" 100, "300 ns" 300, "1 µs" 1e3, "3 µs" 3e3, "10 µs" 1e4, "30 µs" 3e4, "100 µs" 1e5, "300 µs" 3e5, "1 ms" 1e6, "10 ms" 1e7, "100 ms" 1e8)
set xrange [0.7:1500]
set yrange [*:*]
set xlabel "calls per INVOKE"
set ylabel "ns per call (p50; log)"
set key top right box opaque
set title "bundle size vs cost of one call (ipo, JIT)"
plot '%(bundle)s' using 1:2 with linespoints lw 2 pt 7 lc rgb "#1f77b4" title "ipo bundle, p50 per call", \\
     '' using 1:3 with linespoints lw 1 pt 6 dt 3 lc rgb "#1f77b4" title "ipo bundle, p99 per call"%(refs)s
unset multiplot
""" % {"h": max(700, 22 * n + 160), "png": os.path.join(out, "latency.png"),
       "env": "%s, %s vCPUs %s, %s" % (
           date, env.get("vcpus", "?"), env.get("accel", "?").upper(),
           env.get("kernel", "?")),
       "n1": n + 1, "lat": os.path.join(out, "latency.dat"),
       "bundle": os.path.join(out, "bundle.dat"),
       "refs": (", \\\n     " + ref_plots) if ref_plots else ""}
    gp_path = os.path.join(out, "latency.gp")
    with open(gp_path, "w") as f:
        f.write(gp)
    if not shutil.which("gnuplot"):
        print("bench: gnuplot not found (IPO_DEPS_EXTRA=bench scripts/deps.sh)",
              file=sys.stderr)
        return False
    r = subprocess.run(["gnuplot", gp_path], capture_output=True, text=True)
    if r.returncode:
        print("bench: gnuplot failed:\n" + r.stderr, file=sys.stderr)
        return False
    return True


def icount_main(args, results, env, host, date, by, vm_rc, done):
    tg = icount_targets(by)
    md, txt = icount_table(results, env, host, date, tg)
    with open(os.path.join(args.out, "icount.json"), "w") as f:
        json.dump({"date": date, "env": env, "host": host, "icount": True,
                   "results": sorted(results, key=sort_key),
                   "targets": tg}, f, indent=1)
        f.write("\n")
    with open(os.path.join(args.out, "icount.md"), "w") as f:
        f.write(md)
    print()
    print(env_line(env, host, date))
    print()
    sys.stdout.write(txt)
    print()
    print("bench: wrote %s/icount.json, icount.md" % args.out)
    errors = [r for r in results if "error" in r]
    for r in errors:
        print("bench: %s %s: %s" % (r["name"], r.get("placement", "?"),
                                    r["error"]), file=sys.stderr)
    if vm_rc or errors or not done:
        print("bench: FAILED (vm.sh %d, %d errors%s)" % (
            vm_rc, len(errors), "" if done else ", the run did not finish"),
            file=sys.stderr)
        return 1
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(TOP, "build/bench"))
    ap.add_argument("--seconds", type=float, default=3.0,
                    help="measured seconds per mechanism (default 3)")
    ap.add_argument("--only", default="",
                    help="comma-separated mechanisms (ipo_bench --list)")
    ap.add_argument("--timeout", type=int, default=0,
                    help="VM timeout in seconds (default: from the work)")
    ap.add_argument("--log", help="parse this serial log instead of running")
    ap.add_argument("--icount", action="store_true",
                    help="instruction counts: one vCPU under QEMU -icount")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    host = host_env()
    date = datetime.datetime.now(datetime.timezone.utc).strftime(
        "%Y-%m-%d %H:%M UTC")
    vm_rc = 0
    if args.log:
        log = args.log
        date += " (re-rendered from %s)" % os.path.basename(log)
        host["loadavg_before"] = None
    else:
        log = os.path.join(args.out,
                           "icount-vm.log" if args.icount else "vm.log")
        vm_rc = run_vm(args, log)
    host["loadavg_after"] = os.getloadavg()[0]
    env, results, done = parse_log(log)
    svc = parse_log.service
    if not results and not svc:
        print("bench: no results in %s (vm.sh exited %d)" % (log, vm_rc),
              file=sys.stderr)
        return 1
    by = {key(r): r for r in results}
    if args.icount:
        return icount_main(args, results, env, host, date, by, vm_rc, done)
    tg = targets(by)
    # A target against a row the host slowed down says nothing.
    slow = [c.split(" ")[0] + " 2cpu" for c in contention(results)]
    for t in tg:
        if t["met"] is not None and (t["lhs"] in slow or t["rhs"] in slow):
            t["met"] = None
            t["note"] = "host contention"
    md, txt = table(results, env, host, date, tg)
    svc_md, svc_txt = service_table(svc)
    if svc_md:
        with open(os.path.join(args.out, "service.md"), "w") as f:
            f.write(svc_md)
        md += "\n" + svc_md
        txt += "\n" + svc_txt
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump({"date": date, "env": env, "host": host,
                   "results": sorted(results, key=sort_key),
                   "service": svc,
                   "targets": tg}, f, indent=1)
        f.write("\n")
    with open(os.path.join(args.out, "table.md"), "w") as f:
        f.write(md)
    plotted = plot(results, args.out, date, env)
    print()
    print(env_line(env, host, date))
    print()
    sys.stdout.write(txt)
    print()
    print("bench: wrote %s/results.json, table.md%s" % (
        args.out, ", latency.png" if plotted else " (no plot)"))
    errors = [r for r in results if "error" in r]
    for r in errors:
        print("bench: %s %s: %s" % (r["name"], r.get("placement", "?"),
                                    r["error"]), file=sys.stderr)
    # A service-only run (BENCH_ONLY=svc) has nothing to plot.
    plotted = plotted or not [r for r in results if "p50" in r]
    if vm_rc or errors or not done or not plotted:
        print("bench: FAILED (vm.sh %d, %d errors%s%s)" % (
            vm_rc, len(errors), "" if done else ", the run did not finish",
            "" if plotted else ", no plot"), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
