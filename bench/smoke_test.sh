#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Part of the kselftests run in the VM (selftests/kernel/run.sh): every
# mechanism of ipo_bench a few times, checking each request's result.
# TAP; no timings are judged.
exec /ipo/bench/ipo_bench --smoke
