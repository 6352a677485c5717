#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs every Debian package the build, the test VM, the tests and the
# benchmarks need.  Idempotent, and a single dpkg query when everything is
# already there.  Optional groups: IPO_DEPS_EXTRA="bench" adds the packages
# only `make bench` needs, "dpdk" DPDK's eBPF JIT for `make bench-jit`
# (large: never part of `make check`).
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
)
for group in ${IPO_DEPS_EXTRA:-}; do
	case "$group" in
	bench) pkgs+=(gnuplot-nox) ;;
	dpdk) pkgs+=(libdpdk-dev) ;;
	esac
done

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -q '^installed' \
		|| missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"; then
	$sudo apt-get update -q
	$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
