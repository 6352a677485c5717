#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-debug.sh RESULTS: `make check-debug`, the tests on the sanitized
# kernel of scripts/debug-kernel.sh (built first if it is not cached).
# Builds ipo.ko and the fault build against it, out of tree in
# build/dk/ipo/ and build/dk/ipo-fault/, and runs in one VM boot, with two
# edu devices:
#
#   1. checkers.sh start: KASAN, KFENCE, kmemleak and lockdep are on; the
#      boot's own unreferenced objects set aside
#   2. insmod ipo.ko, the whole kselftest tier, checkers.sh check (module
#      still loaded, so kmemleak's backtraces name its functions), rmmod
#   3. harden/check.sh: the fault build's sweeps, the short ioctl fuzz and
#      stress, as in `make check` (the memory figures printed, not judged:
#      KASAN's quarantine holds freed memory; kmemleak judges instead)
#   4. checkers.sh check after all the unloads
#
# Any KASAN, KFENCE, UBSAN, lockdep, RCU, atomic-sleep, debug-objects or
# kmemleak report fails the run, with the report in the output
# (scripts/guest-init scans dmesg and prints it).  TAP into
# RESULTS/debug.tap; ends with that tier's closing line "N passed, N
# failed".  DEBUG_VM_TIMEOUT (seconds, default 1800) bounds the VM.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
results=${1:-build/test-results}
mkdir -p "$results"
tap=$results/debug.tap
timeout=${DEBUG_VM_TIMEOUT:-1800}
rm -f "$tap"

fail() {	# MESSAGE: the tier's only result
	echo "not ok 1 - debug: $1" | tee "$tap"
	scripts/tap-summary.sh "$tap"
	exit 1
}

if ! kernel=$(scripts/debug-kernel.sh); then
	fail "the sanitized kernel does not build (scripts/debug-kernel.sh)"
fi
eval "$kernel"
echo "# debug kernel $KVER: $(cat "$KDIR/.done")"

# The module and its fault build, for that kernel.
for v in ipo ipo-fault; do
	d=build/dk/$v
	scripts/module-tree.sh "$d"
	flags=
	[ "$v" = ipo ] || flags=IPO_FAULT_INJECT=y
	echo "# building $d/kmod/ipo.ko against $KDIR"
	if ! make -C "$KDIR" M="$top/$d" $flags modules > "$d/build.log" 2>&1; then
		sed 's/^/# /' "$d/build.log" | tail -30
		fail "$d/kmod/ipo.ko does not build against $KVER (see $d/build.log)"
	fi
	grep -E 'warning|error' "$d/build.log" | sed 's/^/# /'
done

# IPO_KILL_BOUND_MS: vload_test's killed loaders must be gone within 5 s
# here, not 2 (freeing a killed load's tens of MiB under KASAN and kmemleak
# takes 75-100 ms by itself; up to 650 ms was seen with the host loaded).
#
# acpi=noirq: PCI interrupts are routed through the BIOS's tables, not
# ACPI's _PRT, whose evaluation in pci_enable_device() takes ACPICA ~15 s of
# allocations under KASAN and kmemleak on TCG (the edu devices still share
# IRQ 11).
scripts/run-tap.sh debug "$results" env KVER="$KVER" \
	IPO_VM_KERNEL="$BZIMAGE" IPO_VM_MODULES="$MODULES" \
	IPO_VM_KO=build/dk/ipo/kmod/ipo.ko \
	scripts/vm.sh --tap - --timeout "$timeout" --edu 2 --append acpi=noirq \
	--file build/dk/ipo-fault/kmod/ipo.ko:ipo-fault.ko \
	--cmd 'sh /ipo/harden/checkers.sh start' \
	--cmd 'insmod /ipo/ipo.ko' \
	--cmd 'IPO_KILL_BOUND_MS=5000 /ipo/selftests/run.sh' \
	--cmd 'sh /ipo/harden/checkers.sh check "the kselftests"' \
	--cmd 'rmmod ipo' \
	--cmd 'HARDEN_MEM_CHECK=0 sh /ipo/harden/check.sh' \
	--cmd 'sh /ipo/harden/checkers.sh check "the fuzz, the stress and rmmod"'
scripts/tap-summary.sh "$tap"
