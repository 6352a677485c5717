#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The sanitized kernel's checkers, in the guest of `make check-debug`
# (scripts/debug-kernel.config; debugfs mounted):
#
#   checkers.sh start        ok when KASAN, KFENCE, kmemleak and lockdep
#                            are on; then sets aside what the boot left
#                            unreferenced, so that every later kmemleak
#                            report is the tests' own
#   checkers.sh check LABEL  ok when no object allocated since the last
#                            start or check is unreferenced (else not ok
#                            with kmemleak's report: the backtraces of
#                            the allocations), and ok when lockdep is
#                            still on (it turns itself off after its
#                            first report, which dmesg then has)
#
# KASAN, KFENCE, UBSAN, lockdep and the other checkers report into dmesg,
# which guest-init scans; kmemleak reports only when asked, here.  Run
# "check" while ipo.ko is loaded and the backtraces name the module's
# functions; after rmmod they are bare addresses (0xffffffffc...), still
# where the module was.  Every unreferenced object counts, whoever
# allocated it: a reference ipo fails to drop leaks the kernel's object,
# allocated by whoever made it.
K=/sys/kernel/debug/kmemleak

# kmemleak reports nothing younger than 5 s, and a second pass drops the
# objects whose only reference was in flight during the first.
scan() {
	sleep 6
	echo scan > "$K"
	echo scan > "$K"
}

lockdep_on() {
	[ "$(awk '/debug_locks:/ { print $2 }' /proc/lockdep_stats 2>/dev/null)" = 1 ]
}

case $1 in
start)
	missing=
	dmesg | grep -q 'KernelAddressSanitizer initialized' || missing="$missing KASAN"
	grep -q 'enabled: 1' /sys/kernel/debug/kfence/stats 2>/dev/null || missing="$missing KFENCE"
	[ -w "$K" ] || missing="$missing kmemleak"
	lockdep_on || missing="$missing lockdep"
	if [ -n "$missing" ]; then
		echo "not ok 1 - checkers: off or missing:$missing"
		exit 1
	fi
	echo "ok 1 - checkers: KASAN, KFENCE, kmemleak and lockdep are on"
	scan
	n=$(grep -c '^unreferenced object' "$K")
	# "clear" greys the objects reported so far: never reported again.
	echo clear > "$K"
	echo "# kmemleak: $n unreferenced objects of the boot set aside"
	;;
check)
	fail=0
	scan
	cat "$K" > /tmp/kmemleak.txt
	echo clear > "$K"
	n=$(grep -c '^unreferenced object' /tmp/kmemleak.txt)
	if [ "$n" -eq 0 ]; then
		echo "ok 1 - kmemleak: no unreferenced object after $2"
	else
		sed 's/^/# /' /tmp/kmemleak.txt
		echo "not ok 1 - kmemleak: $n unreferenced objects after $2"
		fail=1
	fi
	classes=$(awk '/lock-classes:/ { print $2 }' /proc/lockdep_stats)
	if lockdep_on; then
		echo "ok 1 - lockdep: still on after $2 ($classes lock classes)"
	else
		echo "not ok 1 - lockdep: turned off by a report during $2 (see dmesg)"
		fail=1
	fi
	exit $fail
	;;
*)
	echo "usage: $0 start | check LABEL" >&2
	exit 2
	;;
esac
