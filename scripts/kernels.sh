#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kernels.sh: the kernel matrix ipo is tested on, one release per line, the
# newest installed (image and headers) of each flavour:
#
#   6.1.*-amd64  6.1.*-rt-amd64  6.12.*+deb12-amd64  6.12.*+deb12-rt-amd64
#
# A flavour with nothing installed prints "missing:PATTERN" instead, so the
# caller can say what to install (scripts/deps.sh with
# IPO_DEPS_EXTRA=kernels installs them all).
newest() {
	for d in $(ls -d /usr/src/linux-headers-$1 2>/dev/null | sort -rV); do
		kver=${d#/usr/src/linux-headers-}
		case $kver in
		*-cloud-amd64) continue ;;
		esac
		case $2 in
		rt) case $kver in *-rt-amd64) ;; *) continue ;; esac ;;
		*) case $kver in *-rt-amd64) continue ;; esac ;;
		esac
		if [ -f "/boot/vmlinuz-$kver" ]; then
			echo "$kver"
			return
		fi
	done
	echo "missing:$1"
}

newest '6.1.*-amd64' generic
newest '6.1.*-rt-amd64' rt
newest '6.12.*+deb12-amd64' generic
newest '6.12.*+deb12-rt-amd64' rt
