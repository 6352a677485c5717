#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo that `make demo` runs inside the test VM: load the module, show
# what it offers, create an object, map it read-only and print its header,
# unload the module.
set -e
echo "== insmod ipo.ko"
insmod /ipo/ipo.ko
echo "== ipo info"
ipo info
echo "== ipo create --name demo 4096"
ipo create --name demo --mode 0644 4096
echo "== rmmod ipo"
rmmod ipo
echo "== done"
