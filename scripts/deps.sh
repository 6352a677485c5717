#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs every Debian package the build, the test VM, the tests and the
# benchmarks need.  Idempotent, and a single dpkg query when everything is
# already there.  Optional groups: IPO_DEPS_EXTRA="bench" adds the packages
# only `make bench` needs, "dpdk" DPDK's eBPF JIT for `make bench-jit`
# (large: never part of `make check`), "kernels" the kernel matrix of `make
# check-kernels` (Debian's 6.1 PREEMPT_RT image and headers, and the newest
# 6.12 generic and PREEMPT_RT ones from the security archive, unless a 6.12
# is installed already), "dkms" DKMS, which builds the matrix's modules
# (`make check-dkms`, `make check-kernels`), "deb" Debian's packaging tools
# for `make deb` and `make check-deb` (debhelper, dh_dkms, lintian), "debug"
# the tools that building the sanitized kernel of `make check-debug` needs
# besides gcc and libelf (scripts/debug-kernel.sh).  Kernel images are
# installed without an initramfs (INITRD=No): the test VM brings its own.
set -euo pipefail

pkgs=(
	# build: module and host code
	make gcc libc6-dev linux-headers-amd64 kmod
	clang llvm lld libclang-rt-14-dev
	libbpf-dev libelf-dev zlib1g-dev pkg-config
	# test VM
	linux-image-amd64 qemu-system-x86 busybox-static cpio
	# kselftest_harness.h and checkpatch.pl come from the source tarball
	linux-source-6.1 xz-utils perl
	# tools the tests and scripts use
	python3 bpftool
	# objdump decodes the native code for `ipo disasm --jit`
	binutils
	# `make install`: the tool's manual page from its --help
	help2man
)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo

for group in ${IPO_DEPS_EXTRA:-}; do
	case "$group" in
	bench) pkgs+=(gnuplot-nox gdb) ;;
	dpdk) pkgs+=(libdpdk-dev) ;;
	dkms) pkgs+=(dkms) ;;
	deb) pkgs+=(dkms dh-dkms debhelper dpkg-dev lintian) ;;
	kernels) pkgs+=(linux-image-rt-amd64 linux-headers-rt-amd64)
		kernels_612=1 ;;
	debug) pkgs+=(bison flex bc lz4) ;;
	esac
done

# The newest 6.12 of a flavour ("" or "-rt"): installed, or in the archive.
newest_612() {
	local have
	have=$(ls -d /usr/src/linux-headers-6.12.*+deb12$1-amd64 2>/dev/null |
	       sed 's|.*/linux-headers-||' | sort -V | tail -1)
	if [ -n "$have" ] && [ -f "/boot/vmlinuz-$have" ]; then
		echo "$have"
		return
	fi
	apt-cache search --names-only "^linux-headers-6\.12\.[0-9]+\+deb12$1-amd64\$" |
		awk '{ print $1 }' | sed 's/^linux-headers-//' | sort -V | tail -1
}
if [ -n "${kernels_612:-}" ]; then
	for flavour in "" -rt; do
		v=$(newest_612 "$flavour")
		if [ -z "$v" ]; then
			${sudo:-} apt-get update -q >/dev/null
			v=$(newest_612 "$flavour")
		fi
		[ -n "$v" ] || { echo "deps: no 6.12$flavour kernel in the archive (bookworm-security)" >&2; exit 1; }
		pkgs+=("linux-image-$v" "linux-headers-$v")
	done
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -q '^installed' \
		|| missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive INITRD=No
if ! $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"; then
	$sudo apt-get update -q
	$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
