#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo that `make demo` runs inside the test VM: the seeds' widget
# example.  A service process creates the window object "demo_window"
# with three buttons and attaches the widgets methods (progs/widgets.bundle),
# then holds it; a client process opens it by name and, in one atomic
# bundle, recolours one button and moves another
# (progs/widgets_client.bundle).  The service watches its window
# (`ipo watch`: a subscription to the object's change notifications) and
# redraws, i.e. prints the state from its read-only mapping, only when a
# client's bundle committed a change: once here, for the one committed
# bundle (the client's read and its rolled-back bundle notify nobody).
set -e
cd /ipo/progs
svc=/tmp/demo-service.log
watch=/tmp/demo-watch.log

# wait_for PATTERN FILE PID: until FILE has a line starting with PATTERN
wait_for() {
	i=0
	until grep -q "^$1" "$2"; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$3" 2>/dev/null; then
			cat "$2"
			echo "demo: $2: no '$1'"
			exit 1
		fi
		sleep 0.1
	done
}

echo "== insmod ipo.ko"
insmod /ipo/ipo.ko

echo "== service: ipo run --hold widgets.bundle &"
ipo run --hold widgets.bundle > "$svc" 2>&1 &
pid=$!
wait_for holding "$svc" $pid
cat "$svc"

echo
echo "== service: ipo watch --methods widgets.o --count 1 demo_window &"
ipo watch --methods widgets.o --count 1 demo_window > "$watch" 2>&1 &
wpid=$!
wait_for watching "$watch" $wpid

echo
echo "== client: ipo run widgets_client.bundle"
ipo run widgets_client.bundle

echo
echo "== service redraws on the client's change"
wait $wpid
sed 1d "$watch"
kill -TERM $pid
wait $pid

echo "== rmmod ipo"
rmmod ipo
echo "== done"
