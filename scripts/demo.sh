#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo that `make demo` runs inside the test VM: the seeds' widget
# example.  A service process creates the window object "demo_window"
# with three buttons and attaches the widgets methods (progs/widgets.bundle),
# then holds it; a client process opens it by name and, in one atomic
# bundle, recolours one button and moves another
# (progs/widgets_client.bundle).  The service then prints what it sees
# through its read-only mapping.
set -e
cd /ipo/progs
svc=/tmp/demo-service.log

echo "== insmod ipo.ko"
insmod /ipo/ipo.ko

echo "== service: ipo run --hold widgets.bundle &"
ipo run --hold widgets.bundle > "$svc" 2>&1 &
pid=$!
i=0
until grep -q '^holding' "$svc"; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 $pid 2>/dev/null; then
		cat "$svc"
		echo "demo: the service did not start"
		exit 1
	fi
	sleep 0.1
done
cat "$svc"

echo
echo "== client: ipo run widgets_client.bundle"
ipo run widgets_client.bundle

echo
echo "== service, after the client (kill -TERM $pid)"
kill -TERM $pid
wait $pid
sed -n '/^signal/,$p' "$svc"

echo "== rmmod ipo"
rmmod ipo
echo "== done"
