#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The VM tier's stand-in while there is no selftests runner: load the module,
# look for /dev/ipo, unload it.  TAP on stdout; runs in the guest.
n=0 failed=0
t() {
	n=$((n + 1))
	desc=$1
	shift
	if "$@"; then
		echo "ok $n - smoke: $desc"
	else
		echo "not ok $n - smoke: $desc"
		failed=1
	fi
}
t "insmod /ipo/ipo.ko" insmod /ipo/ipo.ko
t "/dev/ipo is a character device" test -c /dev/ipo
t "rmmod ipo" rmmod ipo
t "/dev/ipo is gone after rmmod" test ! -e /dev/ipo
exit $failed
