#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Runs the pre-assembled bpf_conformance cases through a plugin, as TAP.

usage: run-conformance.py PLUGIN [PLUGIN ARGS...]

Cases come from $IPO_CONFORMANCE_DIR/*.jsonl (default: ../shared/conformance
beside the tree).  A case with an expected result passes when the plugin
exits 0 and prints that value (compared as integers); a case with an
expected error passes when the plugin exits non-zero.  Anything on stderr
of a failing case is shown as a TAP diagnostic.
"""
import glob
import json
import os
import subprocess
import sys

TIMEOUT = 30


def load_cases(conf_dir):
    cases = []
    for path in sorted(glob.glob(os.path.join(conf_dir, "*.jsonl"))):
        with open(path) as f:
            for line in f:
                if line.strip():
                    cases.append(json.loads(line))
    return cases


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
        if p.returncode != 0:
            return True, "", err
        return False, "got 0x%s expected error %r" % (
            p.stdout.strip(), case["expected_error"]), err
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
