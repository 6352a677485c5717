#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Prints the newest Debian 6.1 kernel release that has both headers and an
# image installed (the module must be built for the kernel the VM boots):
# the generic flavour, 6.1.0-N-amd64, never -rt-amd64 or -cloud-amd64.
for d in $(ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | sort -rV); do
	kver=${d#/usr/src/linux-headers-}
	case $kver in
	*-rt-amd64|*-cloud-amd64) continue ;;
	esac
	if [ -f "/boot/vmlinuz-$kver" ]; then
		echo "$kver"
		exit 0
	fi
done
echo "none-installed"
