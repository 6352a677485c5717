# SPDX-License-Identifier: GPL-2.0
#
# Shared by check.sh and stress.sh (busybox sh in the guest, cwd /ipo).
#
# Memory accounting: mem_snap NAME records, after dropping the page cache
# and reclaimable slab and letting RCU callbacks run, /proc/meminfo's Slab,
# SUnreclaim, VmallocUsed and Percpu (kB) and the bytes held by the
# kmalloc-* caches in /proc/slabinfo (num_objs * objsize).  The module has
# no slab cache of its own: everything it holds comes from kmalloc-* and
# vmalloc, so those are the figures that must come back.
#
# mem_check BEFORE AFTER: the criterion, in kB of after minus before:
# SUnreclaim and the kmalloc-* bytes within MEM_TOL_SLAB_KB (default 1024),
# VmallocUsed within MEM_TOL_VMALLOC_KB (default 256), Percpu within 64.
# BEFORE must be taken after a warm-up round of the same kind of load (the
# first forks and fds of a boot grow kernel caches for good: measured
# +352 kB vmalloc and +728 kB unreclaimable slab for the first round, then
# 0 kB vmalloc and +68..+96 kB slab for each further one).  The tolerance
# is for that drift of the kernel's own caches, plus 16 kB of vmalloc per
# kworker thread more than at BEFORE (each has a vmalloc'd stack; a heavy
# load leaves idle ones for minutes); a leak of single objects
# is what fault_live of the fault build catches exactly (leak_check).
#
# HARDEN_MEM_CHECK=0 (`make check-debug`): the figures are printed, not
# judged.  KASAN's quarantine keeps freed objects in their slabs for a while
# (kmalloc-* stays megabytes up), and kmemleak counts there exactly what
# the figures only estimate.

MEM_TOL_SLAB_KB=${MEM_TOL_SLAB_KB:-1024}
MEM_TOL_VMALLOC_KB=${MEM_TOL_VMALLOC_KB:-256}

mem_settle() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
	sleep 1
	echo 3 > /proc/sys/vm/drop_caches
}

mem_snap() {
	mem_settle
	eval "$1_slab=$(awk '/^Slab:/ {print $2}' /proc/meminfo)"
	eval "$1_sunr=$(awk '/^SUnreclaim:/ {print $2}' /proc/meminfo)"
	eval "$1_vmalloc=$(awk '/^VmallocUsed:/ {print $2}' /proc/meminfo)"
	eval "$1_percpu=$(awk '/^Percpu:/ {print $2}' /proc/meminfo)"
	eval "$1_kmalloc=$(awk '/^kmalloc-/ {s += $3 * $4} END {print int(s / 1024)}' /proc/slabinfo)"
	eval "$1_kworkers=$(cat /proc/[0-9]*/comm 2>/dev/null | grep -c '^kworker')"
}

mem_print() {
	eval "echo \"# memory $1: Slab \$$1_slab kB, SUnreclaim \$$1_sunr kB, kmalloc-* \$$1_kmalloc kB, VmallocUsed \$$1_vmalloc kB, Percpu \$$1_percpu kB, kworker threads \$$1_kworkers\""
}

# mem_check BEFORE AFTER LABEL: prints a TAP line; 0 when within tolerance.
mem_check() {
	eval "_dsunr=\$((\$$2_sunr - \$$1_sunr))"
	eval "_dkmalloc=\$((\$$2_kmalloc - \$$1_kmalloc))"
	eval "_dvmalloc=\$((\$$2_vmalloc - \$$1_vmalloc))"
	eval "_dpercpu=\$((\$$2_percpu - \$$1_percpu))"
	eval "_dkw=\$((\$$2_kworkers - \$$1_kworkers))"
	[ "$_dkw" -gt 0 ] || _dkw=0
	_tolv=$((MEM_TOL_VMALLOC_KB + 16 * _dkw))
	msg="SUnreclaim ${_dsunr} kB, kmalloc-* ${_dkmalloc} kB, VmallocUsed ${_dvmalloc} kB, Percpu ${_dpercpu} kB, kworkers +${_dkw}"
	if [ "${HARDEN_MEM_CHECK:-1}" = 0 ]; then
		echo "ok 1 - $3: memory after rmmod ($msg) # SKIP not judged (HARDEN_MEM_CHECK=0)"
		return 0
	fi
	if [ "$_dsunr" -le "$MEM_TOL_SLAB_KB" ] &&
	   [ "$_dkmalloc" -le "$MEM_TOL_SLAB_KB" ] &&
	   [ "$_dvmalloc" -le "$_tolv" ] &&
	   [ "$_dpercpu" -le 64 ]; then
		echo "ok 1 - $3: memory back to baseline after rmmod ($msg)"
		return 0
	fi
	echo "not ok 1 - $3: memory not back after rmmod ($msg; tolerance slab $MEM_TOL_SLAB_KB kB, vmalloc $_tolv kB)"
	return 1
}

# Objects and programs the module still has, per IPO_GET_INFO of root and
# the fuzzers' own LIST checks; here only: the module must unload.
unload() {
	if rmmod ipo; then
		echo "ok 1 - rmmod ipo after $1"
		return 0
	fi
	echo "not ok 1 - rmmod ipo after $1"
	return 1
}

# unload_freed NAME: after rmmod, the log says the persistent object NAME
# was freed, and no "allocations leaked" line of the fault build's exit.
unload_freed() {
	if dmesg | grep -q "unload frees persistent object [0-9]* '$1'" &&
	   ! dmesg | grep -q "allocations leaked"; then
		echo "ok 1 - rmmod freed persistent object $1, nothing leaked"
		return 0
	fi
	echo "not ok 1 - rmmod: persistent object $1 not freed, or a leak"
	dmesg | grep -E "persistent object|leaked" | sed 's/^/# /'
	return 1
}

# The fault build's exact count: nothing the module allocated is live.
# bind_edu: hands the VM's QEMU edu devices (1234:11e8), if any, to
# ipo-irq, so the ioctl fuzzer's IRQ_ATTACH can reach a real line.
bind_edu() {
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor" 2>/dev/null)" = 0x1234 ] || continue
		[ "$(cat "$d/device" 2>/dev/null)" = 0x11e8 ] || continue
		echo ipo-irq > "$d/driver_override"
		[ -e "$d/driver" ] || echo "${d##*/}" > /sys/bus/pci/drivers_probe
	done
}

leak_check() {
	# Devices bound to ipo-irq (a driver_override outlives the module)
	# hold the driver's per-device state: unbind them, so that nothing of
	# the module may be left.
	for d in /sys/bus/pci/drivers/ipo-irq/0000:*; do
		[ -e "$d" ] && echo "${d##*/}" > /sys/bus/pci/drivers/ipo-irq/unbind
	done
	# Frees wait for RCU grace periods and for the exits of killed
	# processes, which a loaded host can stretch to seconds; a leak never
	# reaches 0, and the unload counts exactly once more.
	tries=0
	live=$(cat /sys/module/ipo/parameters/fault_live)
	while [ "$live" -ne 0 ] && [ $tries -lt 30 ]; do
		sleep 1
		tries=$((tries + 1))
		live=$(cat /sys/module/ipo/parameters/fault_live)
	done
	if [ "$live" -eq 0 ]; then
		echo "ok 1 - $1: no allocation of the module left (fault_live 0)"
		return 0
	fi
	echo "not ok 1 - $1: $live allocations of the module still live"
	return 1
}
