#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks libipo's program-object loader and `ipo verify` / `ipo disasm`
against clang's own view of the same files.  Prints TAP.

Linking: every program that ipo-elf-dump prints is cut into functions at
its entry and at every call target.  Each piece must be, byte for byte
(call immediates aside), one function llvm-objdump shows, no function
twice, and each call must land on the piece of the function llvm-objdump
says it calls (through its relocation, or pc-relative within a section).

Line info: the BTF line of each instruction of the program's own body
equals the DWARF line llvm-objdump -l prints for it (but the entry, where
BTF names the function's declaration line and DWARF its opening brace),
and the source text is the file's line.

Verifier: files named reject_*.c mark the line that must be rejected with
EXPECT-REJECT; the log must name that file:line and show its text.  The
verifier tests are skipped while the tool is built without the verifier.
"""
import argparse
import os
import re
import subprocess
import sys

TESTS = []


def ok(cond, msg, skip=None):
    TESTS.append(1)
    n = len(TESTS)
    if skip:
        print(f"ok {n} - {msg} # SKIP {skip}")
    else:
        print(f"{'ok' if cond else 'not ok'} {n} - {msg}")
    sys.stdout.flush()
    return cond


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    return p.returncode, p.stdout, p.stderr


def objdump_funcs(path):
    """{(section, func): (start, [insn bytes], {idx: target func})}."""
    rc, out, err = run(["llvm-objdump", "-d", "-r", "-l", path])
    if rc:
        raise RuntimeError(err)
    rc, symtab, err = run(["llvm-objdump", "-t", path])
    syms = {}
    fnames = set()
    for line in symtab.splitlines():
        m = re.match(r"([0-9a-f]{16}) (.{7}) (\S+)\s+([0-9a-f]{16}) (\S+)$",
                     line)
        if m:
            syms[m.group(5)] = (m.group(3), int(m.group(1), 16) // 8)
            if "F" in m.group(2):
                fnames.add(m.group(5))
    sec = None
    funcs = {}        # (sec, name) -> dict
    order = {}        # sec -> [(start, name)]
    cur = None
    lines = {}        # (sec, idx) -> dwarf line
    last_line = None
    pending_call = None
    for line in out.splitlines():
        m = re.match(r"Disassembly of section (.*):$", line)
        if m:
            sec = m.group(1)
            order[sec] = []
            continue
        m = re.match(r"[0-9a-f]{16} <(.*)>:$", line)
        if m and m.group(1) in fnames:
            cur = {"name": m.group(1), "sec": sec, "insns": [],
                   "calls": {}, "start": None}
            funcs[(sec, cur["name"])] = cur
            continue
        m = re.match(r"; .*:(\d+)$", line)
        if m:
            last_line = int(m.group(1))
            continue
        m = re.match(r"\s+(\d+):\t((?:[0-9a-f]{2} ){7}[0-9a-f]{2})", line)
        if m and cur is not None:
            idx = int(m.group(1))
            raw = bytes.fromhex(m.group(2).replace(" ", ""))
            if cur["start"] is None:
                cur["start"] = idx
                order[sec].append((idx, cur["name"]))
            cur["insns"].append(raw)
            lines[(sec, idx)] = last_line
            if raw[0] == 0x85 and raw[1] >> 4 == 1:
                imm = int.from_bytes(raw[4:8], "little", signed=True)
                cur["calls"][idx] = (sec, idx + imm + 1)
                pending_call = (cur, idx, imm)
            continue
        m = re.match(r"\s+[0-9a-f]{16}:\s+R_BPF_64_32\s+(\S+)$", line)
        if m and pending_call:
            f, idx, imm = pending_call
            tsec, base = syms.get(m.group(1), (m.group(1), 0))
            if m.group(1) in order or m.group(1) == ".text":
                tsec, base = m.group(1), 0
            f["calls"][idx] = (tsec, base + imm + 1)
            pending_call = None
    # Resolve call targets (section, idx) to function names.
    for f in funcs.values():
        for idx, (tsec, tidx) in list(f["calls"].items()):
            name = next((n for s, n in order.get(tsec, []) if s == tidx),
                        None)
            f["calls"][idx] = (tsec, name)
    return funcs, lines


def parse_dump(text):
    progs = []
    license = None
    for line in text.splitlines():
        kind, _, rest = line.partition(" ")
        if kind == "license":
            license = rest
        elif kind == "prog":
            name, sec, typ, method, n = rest.split(" ")
            progs.append({"name": name, "sec": sec, "type": int(typ),
                          "method": method, "n": int(n), "insns": [],
                          "lines": []})
        elif kind == "insn":
            progs[-1]["insns"].append(bytes.fromhex(rest.split(" ")[1]))
        elif kind == "line":
            head, _, src = rest.partition("\t")
            off, ln, col, path = head.split(" ", 3)
            progs[-1]["lines"].append((int(off), int(ln), int(col), path,
                                       src))
    return license, progs


def is_call(raw):
    return raw[0] == 0x85 and raw[1] >> 4 == 1


def strip_imm(raw):
    return raw[:4] + b"\0\0\0\0" if is_call(raw) else raw


def check_linking(obj, prog, funcs):
    """Returns an error string, or None when the link is right."""
    insns = prog["insns"]
    starts = {0}
    for i, raw in enumerate(insns):
        if is_call(raw):
            t = i + int.from_bytes(raw[4:8], "little", signed=True) + 1
            if not 0 <= t < len(insns):
                return f"call at {i} lands outside the program"
            starts.add(t)
    starts = sorted(starts)
    pieces = {}       # start -> (sec, name)
    used = set()
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else len(insns)
        body = [strip_imm(r) for r in insns[s:e]]
        if s == 0:
            cands = [(prog["sec"], prog["name"])]
        else:
            cands = list(funcs)
        match = None
        for key in cands:
            f = funcs.get(key)
            if f and [strip_imm(r) for r in f["insns"]] == body:
                match = key
                break
        if not match:
            return f"piece at {s}..{e} matches no function of the file"
        if match in used:
            return f"function {match[1]} linked twice"
        used.add(match)
        pieces[s] = match
    for s, key in pieces.items():
        f = funcs[key]
        for j, raw in enumerate(f["insns"]):
            if not is_call(raw):
                continue
            i = s + j
            t = i + int.from_bytes(insns[i][4:8], "little", signed=True) + 1
            want = f["calls"].get(f["start"] + j)
            if not want or pieces.get(t) != want:
                return (f"call at {i} (in {key[1]}) goes to {pieces.get(t)}, "
                        f"objdump says {want}")
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ipo", required=True)
    ap.add_argument("--dump", required=True)
    ap.add_argument("--objs", required=True)
    ap.add_argument("--src", required=True)
    a = ap.parse_args()
    print("TAP version 13")

    names = sorted(f[:-2] for f in os.listdir(a.src) if f.endswith(".c"))
    good = [n for n in names if not n.startswith(("bad_", "reject_"))]
    good += [n for n in names if n.startswith("reject_")]

    expect = {
        "subprog": {"add": {"add", "sq", "twice"}, "grow": {"grow", "scale"},
                    "shrink": {"shrink", "scale"}, "ack": {"ack"}},
        "loop": {"sum": {"sum"}},
    }
    for n in good:
        obj = os.path.join(a.objs, n + ".o")
        src = open(os.path.join(a.src, n + ".c")).read().splitlines()
        rc, out, err = run([a.dump, obj])
        if not ok(rc == 0, f"{n}: loads ({err.strip()})"):
            continue
        license, progs = parse_dump(out)
        ok(license == "GPL", f"{n}: license {license}")
        funcs, dlines = objdump_funcs(obj)
        for p in progs:
            pn = f"{n}:{p['name']}"
            ok(len(p["insns"]) == p["n"], f"{pn}: {p['n']} insns dumped")
            why = check_linking(obj, p, funcs)
            ok(why is None, f"{pn}: linked as objdump says ({why or 'ok'})")
            if n in expect and p["name"] in expect[n]:
                want = expect[n][p["name"]]
                size = sum(len(funcs[k]["insns"]) for k in funcs
                           if k[1] in want)
                ok(p["n"] == size,
                   f"{pn}: {p['n']} insns = {' + '.join(sorted(want))}")
            own = len(funcs[(p["sec"], p["name"])]["insns"])
            start = funcs[(p["sec"], p["name"])]["start"]
            bad = []
            for off, ln, col, path, text in p["lines"]:
                if ln == 0:
                    continue        # compiler-made code: no source line
                if os.path.basename(path) != n + ".c":
                    bad.append(f"{off}: file {path}")
                elif not 0 < ln <= len(src) or src[ln - 1].strip() != text.strip():
                    bad.append(f"{off}: text of line {ln}")
                elif 0 < off < own and dlines.get((p["sec"], start + off)) != ln:
                    bad.append(f"{off}: BTF line {ln}, DWARF "
                               f"{dlines.get((p['sec'], start + off))}")
            ok(p["lines"] and not bad,
               f"{pn}: {len(p['lines'])} line records agree with the "
               f"source and llvm-objdump -l {bad[:3]}")

        # ipo disasm: every instruction once, source lines interleaved.
        rc, out, err = run([a.ipo, "disasm", obj])
        nums = [int(m.group(1)) for m in
                re.finditer(r"^\s*(\d+): ", out, re.M)]
        total = sum(p["n"] for p in progs)
        ok(rc == 0 and len(nums) <= total and nums and
           re.search(rf"^; \S*{n}\.c:\d+: \S", out, re.M),
           f"{n}: ipo disasm prints the programs with source lines")

    # ipo disasm --jit: the native code after every instruction.
    have_objdump = run(["sh", "-c", "command -v objdump"])[0] == 0
    skip_jit = None if have_objdump else "objdump (binutils) not installed"
    lddw = os.path.join(a.objs, "lddw.bin")
    with open(lddw, "wb") as f:     # r0 = 0x1122334455667788 ll; exit
        f.write(bytes.fromhex("1800000088776655" "0000000044332211"
                              "9500000000000000"))
    jit_cases = [(n, [os.path.join(a.objs, n + ".o")])
                 for n in good if not n.startswith("reject_")]
    jit_cases.append(("lddw", ["--raw", "--type", "method", lddw]))
    for n, args in jit_cases:
        rc, out, err = run([a.ipo, "disasm", "--jit"] + args)
        ebpf = bare = 0
        first = None
        last = None         # the eBPF line waiting for its native code
        for line in out.splitlines() + [""]:
            m = re.match(r"\t\s*([0-9a-f]+):  [0-9a-f]{2}( [0-9a-f]{2})*"
                         r"\s+(\S+)", line)
            if m:
                first = first or (int(m.group(1), 16), m.group(3))
                last = None
                continue
            if last is not None:
                bare += 1
                print(f"# {n}: no native code after '{last}'")
            last = None
            if re.match(r"\s*\d+: ", line):
                ebpf += 1
                last = line
        ok(rc == 0 and ebpf and not bare and first == (0, "endbr64") and
           "; exit and abort tails" in out,
           f"{n}: ipo disasm --jit: {ebpf} insns, each with x86 code, "
           f"endbr64 at the entry", skip_jit)
        if rc and not skip_jit:
            print("# " + (out + err).replace("\n", "\n# "))
    rc, out, err = run([a.ipo, "disasm", "--jit", "--raw", "--type", "method",
                        lddw])
    ok(re.search(r"^    0: r0 = 0x1122334455667788 ll\n\t.*movabs\s+rax,"
                 r"0x1122334455667788\n    2: exit$", out, re.M),
       "lddw: one eBPF line, one movabs", skip_jit)

    # Loader refusals, through the tool.
    for n, what in (("bad_global", "'counter'"), ("bad_extern", "'elsewhere'")):
        obj = os.path.join(a.objs, n + ".o")
        rc, out, err = run([a.ipo, "verify", obj])
        ok(rc == 1 and what in err and "insn" in err,
           f"{n}: ipo verify refuses it naming {what} and the insn")

    # A strict mark that names no program is refused, not dropped.
    rc, out, err = run([a.ipo, "verify", os.path.join(a.objs,
                                                     "bad_strict.o")])
    ok(rc == 1 and "IPO_STRICT(missing): no program missing" in err,
       "bad_strict: ipo verify refuses a strict mark naming no program")

    # The verifier.
    rc, out, err = run([a.ipo, "verify", os.path.join(a.objs, "loop.o")])
    skip = "verifier not built" if "no verifier" in err else None
    for n in good:
        obj = os.path.join(a.objs, n + ".o")
        src = open(os.path.join(a.src, n + ".c")).read().splitlines()
        rc, out, err = run([a.ipo, "verify", obj])
        if not n.startswith("reject_"):
            ok(rc == 0 and "accepted" in out and "rejected" not in out,
               f"{n}: ipo verify accepts every program", skip)
            if not skip and rc:
                print("# " + (out + err).replace("\n", "\n# "))
            if n.startswith("strict_"):
                progs = [l for l in out.splitlines() if ": accepted" in l]
                ok(progs and all("accepted (strict)" in l for l in progs),
                   f"{n}: every program marked IPO_STRICT verifies strict",
                   skip)
            # The report: each EXPECT-CHECK / EXPECT-FUEL line has its
            # note, naming file:line, with the fragment after the colon.
            for i, l in enumerate(src):
                m = re.search(r"EXPECT-(CHECK|FUEL): (.*?) \*/", l)
                if not m:
                    continue
                want = ("run-time check: " if m.group(1) == "CHECK"
                        else "loop relies on fuel")
                hit = [o for o in out.splitlines()
                       if f"{n}.c:{i + 1}:" in o and want in o and
                       m.group(2) in o.split(" ; ")[0]]
                ok(hit, f"{n}: ipo verify notes {n}.c:{i + 1}: "
                        f"'{m.group(2)}'", skip)
                if not skip and not hit:
                    print("# " + out.replace("\n", "\n# "))
                # --strict refuses the program at it.
                rc2, out2, err2 = run([a.ipo, "verify", "--strict", obj])
                ok(rc2 == 1 and any(f"{n}.c:{i + 1}:" in o and
                                    "strict: " + want in o
                                    for o in out2.splitlines()),
                   f"{n}: ipo verify --strict refuses it at {n}.c:{i + 1}",
                   skip)
            continue
        ln = next(i + 1 for i, l in enumerate(src) if "EXPECT-REJECT" in l)
        text = src[ln - 1].split("/*")[0].strip()
        ok(rc == 1 and "rejected" in out,
           f"{n}: ipo verify rejects it", skip)
        ok(f"{n}.c:{ln}" in out and text in out,
           f"{n}: the log names {n}.c:{ln} and shows '{text}'", skip)
        if not skip and not (f"{n}.c:{ln}" in out and text in out):
            print("# " + (out + err).replace("\n", "\n# "))
        m = re.search(r"EXPECT-REJECT: (.*?) \*/", src[ln - 1])
        if m:
            why = [o for o in out.splitlines() if f"{n}.c:{ln}:" in o]
            ok(why and m.group(1) in why[0].split(" ; ")[0],
               f"{n}: the message says '{m.group(1)}'", skip)
            if not skip and not (why and m.group(1) in why[0]):
                print("# " + out.replace("\n", "\n# "))

    # --raw and --prog.
    raw = os.path.join(a.objs, "sum.bin")
    rc, out, err = run(["llvm-objcopy", "-O", "binary",
                        "--only-section=method/sum",
                        os.path.join(a.objs, "loop.o"), raw])
    rc, out, err = run([a.ipo, "verify", "--raw", "--type", "method", raw])
    ok(rc == 0 and "sum.bin: accepted (21 insns, " in out,
       "--raw --type method: the bare loop program", skip)
    rc, out, err = run([a.ipo, "verify", "--prog", "grow",
                        os.path.join(a.objs, "subprog.o")])
    ok(rc == 0 and out.count("accepted") == 1 and ":grow:" in out,
       "--prog verifies only the program named", skip)
    rc, out, err = run([a.ipo, "verify", "--raw",
                        os.path.join(a.objs, "loop.o")])
    ok(rc == 2 and "--type" in err, "--raw without --type is a usage error")
    rc, out, err = run([a.ipo, "disasm", "--prog", "nope",
                        os.path.join(a.objs, "subprog.o")])
    ok(rc == 1 and "no program 'nope'" in err, "--prog with an unknown name")

    print(f"1..{len(TESTS)}")


if __name__ == "__main__":
    main()
