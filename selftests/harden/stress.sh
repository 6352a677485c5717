#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The long hardening runs of `make stress`, in the guest (no module
# loaded).  Knobs (environment, set by `make stress`): STRESS_TIME (the
# 8-process stress, seconds, default 60), STRESS_PROCS (8), FUZZ_CALLS
# (ioctl fuzzer calls per process, default 250000), FUZZ_PROCS (4),
# FAULT_NS (fault_every values for the kselftests and the fuzzer), SEED.
#
#  1. fault build: the fault_nth sweep; fault_test under every N of
#     FAULT_NS; the whole kselftest suite under each N (tests fail, as they
#     must with allocations failing: what counts is a clean kernel log, the
#     module unloading and none of its allocations left); the ioctl fuzzer
#     under each N; the stress without injection: fault_live must be 0.
#     This is also the warm-up round for the memory baseline.
#  2. ipo.ko: the ioctl fuzzer for FUZZ_CALLS calls per process, then the
#     STRESS_PROCS x STRESS_TIME stress with random SIGKILLs; rmmod; the
#     memory figures before and after (criterion in lib.sh).
cd /ipo || exit 1
. ./harden/lib.sh
fail=0
seed=${SEED:-$(date +%s)}
STRESS_TIME=${STRESS_TIME:-60}
STRESS_PROCS=${STRESS_PROCS:-8}
FUZZ_CALLS=${FUZZ_CALLS:-250000}
FUZZ_PROCS=${FUZZ_PROCS:-4}
FAULT_NS=${FAULT_NS:-"3 5 7 11 13 17 29 53 101"}
P=/sys/module/ipo/parameters

insmod /ipo/ipo-fault.ko || exit 1
bind_edu
./harden/fault_test sweep || fail=1
for n in $FAULT_NS; do
	./harden/fault_test every "$n" 50 || fail=1
	echo "$n" > $P/fault_every
	for t in selftests/*_test; do
		[ "$(basename "$t")" = unload_test ] && continue
		timeout 120 "$t" > /dev/null 2>&1
	done
	echo "# fault_every=$n: kselftests ran with $(cat $P/fault_injected) failures injected"
	echo "$n" > $P/fault_every
	./harden/ipo_ioctl_fuzz --seed "$seed" --count 5000 --procs 2 \
		--unpriv 1 --progs /ipo/progs --quiet || fail=1
	echo 0 > $P/fault_every
	mem_settle
	leak_check "fault_every=$n: kselftests and fuzzer" || fail=1
done
./harden/harden_stress --procs 4 --time 10 --seed "$seed" || fail=1
mem_settle
leak_check "fault build after the stress" || fail=1
unload "the fault runs" || fail=1

mem_snap base
insmod /ipo/ipo.ko || exit 1
bind_edu
./harden/ipo_ioctl_fuzz --seed "$seed" --count "$FUZZ_CALLS" \
	--procs "$FUZZ_PROCS" --unpriv 1 --progs /ipo/progs || fail=1
mem_snap mid
./harden/harden_stress --procs "$STRESS_PROCS" --time "$STRESS_TIME" \
	--seed "$seed" || fail=1
unload "the ioctl fuzzer and the stress" || fail=1
mem_snap after
mem_print base
mem_print mid
mem_print after
mem_check base after "ioctl fuzz and stress" || fail=1
exit $fail
