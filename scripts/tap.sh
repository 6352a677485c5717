# SPDX-License-Identifier: GPL-2.0
# TAP helpers for the host test scripts, sourced (bash or sh):
#   ok STATUS DESC	"ok N - DESC" when STATUS is 0, else "not ok N - DESC"
#			and failed=1
#   run CMD...		runs CMD, its output as TAP comments; its status
n=0 failed=0

ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=1
	fi
}

run() {
	_tap_out=$("$@" 2>&1)
	_tap_r=$?
	[ -z "$_tap_out" ] || printf '%s\n' "$_tap_out" | sed 's/^/# /'
	return $_tap_r
}
