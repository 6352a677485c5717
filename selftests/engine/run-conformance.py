#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Runs the pre-assembled bpf_conformance cases through a plugin, as TAP.

usage: run-conformance.py PLUGIN [PLUGIN ARGS...]

Cases come from $IPO_CONFORMANCE_DIR/*.jsonl (default: ../shared/conformance
beside the tree).  A case with an expected result passes when the plugin
exits 0 and prints that value (compared as integers).  A case with an
expected error passes only on the verifier's rejection as the plugin
(selftests/engine/conformance.c) reports it: exit status 1 and, as the
last line on stderr, "ipo-conformance: verifier rejected the program: ...",
with no sanitizer report.  Any other non-zero exit -- a signal, a
sanitizer's abort (which exits 1 too, but ends with its report), a run-time
abort, a JIT failure, bad input, a timeout -- fails the case: the suite
wants the program refused, not the plugin broken.  Anything on stderr of a
failing case is shown as a TAP diagnostic.
"""
import glob
import json
import os
import signal
import subprocess
import sys

TIMEOUT = 30
# The verifier's rejection: enum conf_exit and CONF_REJECTED_MSG.
REJECTED_STATUS = 1
REJECTED_LINE = "ipo-conformance: verifier rejected the program: "
SANITIZER_MARKS = ("Sanitizer", "runtime error:")


def load_cases(conf_dir):
    cases = []
    for path in sorted(glob.glob(os.path.join(conf_dir, "*.jsonl"))):
        with open(path) as f:
            for line in f:
                if line.strip():
                    cases.append(json.loads(line))
    return cases


def not_rejected(p):
    """None when @p reported the verifier's rejection, else what it did."""
    rc = p.returncode
    if rc == 0:
        return "exit status 0, got 0x%s" % p.stdout.strip()
    if rc < 0:
        try:
            name = signal.Signals(-rc).name
        except ValueError:
            name = "signal %d" % -rc
        return "killed by %s" % name
    if rc != REJECTED_STATUS:
        return "exit status %d, not the rejection's %d" % (rc,
                                                          REJECTED_STATUS)
    if any(m in p.stderr for m in SANITIZER_MARKS):
        return "exit status %d with a sanitizer report" % rc
    lines = [l for l in p.stderr.splitlines() if l.strip()]
    if not lines or not lines[-1].startswith(REJECTED_LINE):
        return "exit status %d without the rejection as the last line" % rc
    return None


def run_case(cmd, case):
    argv = list(cmd)
    if case.get("memory_hex"):
        argv.append(case["memory_hex"])
    try:
        p = subprocess.run(argv, input=case["program_hex"], text=True,
                           capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return False, "timed out after %ds" % TIMEOUT, ""
    err = p.stderr.strip()
    if case.get("expected_error") is not None:
        why = not_rejected(p)
        if why is None:
            return True, "", err
        return False, "%s; expected the verifier's rejection (%r)" % (
            why, case["expected_error"]), err
    if p.returncode != 0:
        return False, "exit status %d, expected %s" % (
            p.returncode, case["expected_result"]), err
    try:
        got = int(p.stdout.strip(), 16)
    except ValueError:
        return False, "unparsable output %r" % p.stdout, err
    want = int(case["expected_result"], 16)
    if got != want:
        return False, "got 0x%x expected 0x%x" % (got, want), err
    return True, "", err


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    top = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    conf_dir = os.environ.get("IPO_CONFORMANCE_DIR") or os.path.join(
        top, "..", "shared", "conformance")
    cases = load_cases(conf_dir)
    if not cases:
        print("1..0 # SKIP no conformance cases in %s" % conf_dir)
        return 0
    print("TAP version 13")
    print("1..%d" % len(cases))
    failed = 0
    for n, case in enumerate(cases, 1):
        ok, why, err = run_case(sys.argv[1:], case)
        if ok:
            print("ok %d - %s" % (n, case["name"]))
            continue
        failed += 1
        print("not ok %d - %s: %s" % (n, case["name"], why))
        for line in err.splitlines()[:20]:
            print("# " + line)
    print("# %d/%d conformance cases passed" % (len(cases) - failed,
                                                 len(cases)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
