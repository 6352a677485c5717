#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The short hardening runs of `make check`, in the guest after the
# kselftests (ipo.ko not loaded).  First the fault build: the fault_nth
# sweep of every failure point of fault_test's scenario, fault_every for a
# few N, the ioctl fuzzer under fault_every, the stress without injection,
# and none of the module's allocations left.  Then ipo.ko: the ioctl
# fuzzer and the stress, and the memory figures against the baseline.
# Prints TAP; exits 1 if anything failed.  `make stress` runs the long
# versions (stress.sh).
cd /ipo || exit 1
. ./harden/lib.sh
fail=0
seed=${IPO_FUZZ_SEED:-$(date +%s)}

# The fault build first: it is also the warm-up round for the memory
# baseline (see lib.sh).
insmod /ipo/ipo-fault.ko || exit 1
bind_edu
./harden/fault_test sweep || fail=1
for n in 5 11 23; do
	./harden/fault_test every "$n" 20 || fail=1
done
echo 13 > /sys/module/ipo/parameters/fault_every
./harden/ipo_ioctl_fuzz --seed "$seed" --count 3000 --procs 2 --unpriv 1 \
	--progs /ipo/progs --quiet || fail=1
echo 0 > /sys/module/ipo/parameters/fault_every
./harden/harden_stress --procs 4 --time 3 --seed "$seed" || fail=1
mem_settle
leak_check "fault build after the sweeps, the fuzzer and the stress" || fail=1
# A persistent object with methods left at unload: the module frees it,
# and the fault build's exit counts every allocation back.
ipo create --persist --name unload_check --methods /ipo/progs/counter.o \
	16 > /dev/null || fail=1
unload "the fault runs" || fail=1
unload_freed unload_check || fail=1

mem_snap base
insmod /ipo/ipo.ko || exit 1
bind_edu
./harden/ipo_ioctl_fuzz --seed "$seed" --count 5000 --procs 4 --unpriv 1 \
	--progs /ipo/progs --quiet || fail=1
./harden/harden_stress --procs 4 --time 5 --seed "$seed" || fail=1
unload "the ioctl fuzzer and the stress" || fail=1
mem_snap after
mem_print base
mem_print after
mem_check base after "short fuzz and stress" || fail=1
exit $fail
