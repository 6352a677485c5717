#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check-copyright.py: every file with an SPDX-License-Identifier line gets
that license from debian/copyright (DEP-5: the last Files paragraph whose
pattern matches wins; '*' matches across '/').  Prints each mismatch."""

import fnmatch
import re
import subprocess
import sys

# SPDX expression -> DEP-5 license name
SPDX_TO_DEP5 = {
    "GPL-2.0": "GPL-2",
    "GPL-2.0-only": "GPL-2",
    "GPL-2.0 WITH Linux-syscall-note": "GPL-2 with Linux-syscall-note exception",
    "GPL-2.0 OR BSD-2-Clause": "GPL-2 or BSD-2-clause",
    "LGPL-2.1 OR BSD-2-Clause": "LGPL-2.1 or BSD-2-clause",
}


def paragraphs(path):
    """DEP-5 paragraphs as dicts of field -> value (continuations joined)."""
    paras, cur, field = [], {}, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip():
            if cur:
                paras.append(cur)
            cur, field = {}, None
        elif line[0] in " \t" and field:
            cur[field] += "\n" + line.strip()
        else:
            field, _, value = line.partition(":")
            cur[field] = value.strip()
    if cur:
        paras.append(cur)
    return paras


def main():
    files = [(p["Files"].split(), p["License"].split("\n")[0])
             for p in paragraphs("debian/copyright") if "Files" in p]
    tree = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"],
                          capture_output=True, text=True).stdout.split()
    if not tree:
        print("no files (not a git checkout?)")
        return 1
    bad = 0
    for path in tree:
        try:
            head = open(path, encoding="utf-8", errors="replace").read(2048)
        except OSError:
            continue
        m = re.search(r"SPDX-License-Identifier:\s*(.*?)\s*(\*/|$)", head,
                      re.M)
        if not m:
            continue
        want = SPDX_TO_DEP5.get(m.group(1))
        have = None
        for patterns, lic in files:
            if any(fnmatch.fnmatchcase(path, pat) for pat in patterns):
                have = lic
        if want is None or have != want:
            print(f"{path}: SPDX {m.group(1)}, debian/copyright {have}")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
