#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
trace.py: where one request's instructions go, instruction by instruction.

Boots the test VM on one vCPU with QEMU's gdb stub, loads the module and
runs one ipo_bench mechanism in a loop; gdb then waits for the mechanism's
syscall at its entry (entry_SYSCALL_64, or with --from a symbol of the
module, that function), single-steps it until it is back in user space,
and records every kernel instruction it executed.  The VM is warm by then
(the benchmark has run for a while), so the trace is the steady state the
instruction counts of `make bench-icount` measure.

Prints the instructions per function, then per source line of the module
(addr2line over kmod/ipo.ko's debug info; inlined code is counted at its
own line and named with the line it was inlined into), and writes the
whole annotated listing (function, instruction, source line) to
OUT/trace-NAME.txt.  The kernel's symbols come from the guest's
/proc/kallsyms (the VM boots without KASLR).

    bench/trace.py --only ipo_invoke_jit [--from ipo_dev_ioctl] [--out DIR]

Needs gdb (IPO_DEPS_EXTRA=bench scripts/deps.sh).  `make bench-trace`.
"""
import argparse
import bisect
import collections
import os
import signal
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KO = os.path.join(TOP, "kmod", "ipo.ko")
PORT = 1234

# Runs inside gdb: break at START once (the warm-up), then trace hits of
# ENTRY until user space; with NEED, until a trace passes through it (the
# benchmark's loop makes other syscalls too).
GDB_SCRIPT = r'''
import gdb, os
start, entry, out = os.environ["T_START"], os.environ["T_ENTRY"], os.environ["T_OUT"]
need = int(os.environ.get("T_NEED") or "0", 16)
gdb.execute("set pagination off")
gdb.execute("set architecture i386:x86-64")
gdb.execute("target remote :%s" % os.environ["T_PORT"])
gdb.execute("hbreak *" + start)
gdb.execute("continue")
gdb.execute("delete")
for attempt in range(50):
    gdb.execute("hbreak *" + entry)
    gdb.execute("continue")
    gdb.execute("delete")
    trace, seen = [], not need
    for step in range(int(os.environ["T_MAX"])):
        pc = int(gdb.parse_and_eval("$pc")) & 0xffffffffffffffff
        if pc < 0xffff800000000000:
            break
        seen = seen or pc == need
        insn = gdb.execute("x/i $pc", to_string=True).strip()
        trace.append("%x %s" % (pc, insn.split(":", 1)[-1].strip()))
        gdb.execute("stepi", to_string=True)
    if seen:
        with open(out, "w") as f:
            f.write("\n".join(trace) + "\n")
        break
gdb.execute("kill")
'''


def die(msg):
    sys.exit("trace.py: " + msg)


def boot(name, log):
    """The VM running `ipo_bench --only NAME` for long, its gdb stub on."""
    cmd = ("grep -E ' [tTwW] ' /proc/kallsyms | sed 's/^/KS /'; "
           "echo TRACE-READY; "
           "/ipo/bench/ipo_bench --seconds 600 --only %s" % name)
    env = dict(os.environ, IPO_VM_SMP="1")
    return subprocess.Popen(
        [os.path.join(TOP, "scripts", "vm.sh"), "--timeout", "900",
         "--qemu-arg", "-gdb", "--qemu-arg", "tcp::%d" % PORT,
         "--cmd", "insmod /ipo/ipo.ko", "--cmd", cmd],
        stdout=log, stderr=subprocess.STDOUT, env=env,
        start_new_session=True)


def wait_ready(path, vm, seconds=180):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if vm.poll() is not None:
            die("the VM stopped before the benchmark ran (see %s)" % path)
        with open(path, errors="replace") as f:
            text = f.read()
        if "\nTRACE-READY" in text:
            return text
        time.sleep(0.5)
    die("the VM did not get to the benchmark in %d s" % seconds)


def kallsyms(text):
    syms = []
    for line in text.splitlines():
        if not line.startswith("KS "):
            continue
        p = line[3:].replace("\r", "").split()
        if len(p) >= 3:
            syms.append((int(p[0], 16), p[2], len(p) > 3))
    syms.sort()
    return syms


def module_base(syms):
    """Where kmod/ipo.ko's .text was loaded: a symbol's guest address
    minus its offset in the file."""
    nm = subprocess.run(["nm", "--defined-only", KO], capture_output=True,
                        text=True, check=True).stdout
    off = {}
    for line in nm.splitlines():
        p = line.split()
        if len(p) == 3 and p[1] in "tT":
            off[p[2]] = int(p[0], 16)
    for addr, name, mod in syms:
        if mod and name == "ipo_dev_ioctl" and name in off:
            return addr - off[name], off
    die("ipo_dev_ioctl is not in the guest's kallsyms")


def text_size():
    out = subprocess.run(["readelf", "-SW", KO], capture_output=True,
                         text=True, check=True).stdout
    for line in out.splitlines():
        p = line.replace("[ ", "[").split()
        if len(p) > 5 and p[1] == ".text":
            return int(p[5], 16)
    return 0


def sources(offsets):
    """addr2line of module .text offsets: innermost line, outermost line."""
    if not offsets:
        return {}
    out = subprocess.run(["addr2line", "-e", KO, "-i", "-a"] +
                         ["%x" % o for o in offsets],
                         capture_output=True, text=True).stdout
    res, cur = {}, None
    for line in out.splitlines():
        if line.startswith("0x"):
            cur = int(line, 16)
            res[cur] = []
        elif cur is not None:
            res[cur].append(line.split("/")[-1].split(" (")[0])
    return {o: (v[0], v[-1]) if v else ("?", "?") for o, v in res.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", required=True,
                    help="one ipo_bench mechanism (ipo_bench --list)")
    ap.add_argument("--from", dest="start", default=None,
                    help="a module function to trace from (default: the "
                         "syscall entry)")
    ap.add_argument("--out", default=os.path.join(TOP, "build", "bench"))
    ap.add_argument("--max", type=int, default=400000,
                    help="most instructions to step (default 400000)")
    a = ap.parse_args()
    if not os.path.exists(KO):
        die("no kmod/ipo.ko: build first (make)")
    os.makedirs(a.out, exist_ok=True)

    logf = tempfile.NamedTemporaryFile("w+", prefix="trace-vm-",
                                       suffix=".log", delete=False)
    vm = boot(a.only, logf)
    try:
        text = wait_ready(logf.name, vm)
        time.sleep(3)		# the benchmark's warm-up
        syms = kallsyms(text)
        base, _ = module_base(syms)
        byname = {n: ad for ad, n, _ in syms}
        entry = byname.get("entry_SYSCALL_64")
        if a.start:
            if a.start not in byname:
                die("no symbol %s in the guest" % a.start)
            entry = byname[a.start]
        # A mechanism of ipo's own (and null_ioctl) passes through the
        # dispatcher: a traced syscall that does not is another one.
        need = byname["ipo_dev_ioctl"] if (
            not a.start and ("ipo_" in a.only or "ioctl" in a.only)) else 0
        start = entry
        raw = os.path.join(a.out, "trace-%s.raw" % a.only)
        env = dict(os.environ, T_START="0x%x" % start,
                   T_ENTRY="0x%x" % entry, T_NEED="%x" % need,
                   T_OUT=raw, T_PORT=str(PORT),
                   T_MAX=str(a.max))
        with tempfile.NamedTemporaryFile("w", suffix=".py") as gs:
            gs.write(GDB_SCRIPT)
            gs.flush()
            r = subprocess.run(["gdb", "-q", "-batch", "-x", gs.name],
                               env=env, capture_output=True, text=True,
                               timeout=600)
        if not os.path.exists(raw) or not os.path.getsize(raw):
            die("gdb traced nothing:\n" + r.stdout[-2000:] + r.stderr[-2000:])
    finally:
        try:
            os.killpg(vm.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        vm.wait()
        os.unlink(logf.name)

    steps = []
    with open(raw) as f:
        for line in f:
            pc, _, insn = line.rstrip("\n").partition(" ")
            steps.append((int(pc, 16), insn))
    os.unlink(raw)
    addrs = [s[0] for s in syms]
    tsize = text_size()

    def fn(pc):
        i = bisect.bisect_right(addrs, pc) - 1
        return syms[i][1] if i >= 0 else "?"

    offs = sorted({pc - base for pc, _ in steps if 0 <= pc - base < tsize})
    src = sources(offs)
    per_fn = collections.Counter(fn(pc) for pc, _ in steps)
    per_line = collections.Counter()
    listing = []
    for pc, insn in steps:
        s = src.get(pc - base)
        if s:
            key = s[0] if s[0] == s[1] else "%s (in %s)" % s
            per_line[key] += 1
        listing.append("%-32s %-56s %s" % (fn(pc)[:32], insn[:56],
                                           (s[0] if s else "")))
    out = os.path.join(a.out, "trace-%s.txt" % a.only)
    with open(out, "w") as f:
        f.write("# %s: %d kernel instructions from %s to the return to "
                "user space\n" % (a.only, len(steps),
                                  a.start or "entry_SYSCALL_64"))
        f.write("\n".join(listing) + "\n")

    print("%s: %d kernel instructions, from %s to user space" %
          (a.only, len(steps), a.start or "entry_SYSCALL_64"))
    print("\nper function:")
    for name, n in per_fn.most_common():
        print("%7d  %s" % (n, name))
    print("\nper source line of the module, the 40 costliest:")
    for key, n in per_line.most_common(40):
        print("%7d  %s" % (n, key))
    print("\nlisting: %s" % out)


if __name__ == "__main__":
    main()
