#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# conformance-seeds.py CONFDIR OUTDIR: every program of CONFDIR/*.jsonl as a
# fuzzer seed of the "mem" type (8-byte header, see base/host_types.h).
import glob
import json
import os
import struct
import sys

conf, out = sys.argv[1], sys.argv[2]
n = 0
for path in sorted(glob.glob(os.path.join(conf, '*.jsonl'))):
    for line in open(path):
        case = json.loads(line)
        code = bytes.fromhex(case['program_hex'].replace(' ', ''))
        mem = len(bytes.fromhex(case['memory_hex'].replace(' ', '')))
        hdr = struct.pack('<BBHHH', 0, 0, min(mem, 1024), 0, 0)
        name = 'conf-' + case['name'].replace('/', '_')
        with open(os.path.join(out, name), 'wb') as f:
            f.write(hdr + code)
        n += 1
print('%d conformance seeds' % n)
