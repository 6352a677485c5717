#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh: the sanitized kernel of `make check-debug` (KASAN,
# KFENCE, kmemleak, lockdep with PROVE_RCU, atomic-sleep checks,
# DEBUG_OBJECTS, UBSAN bounds and shifts), built from Debian's
# linux-source-6.1 with `make tinyconfig` plus scripts/debug-kernel.config.
#
#   scripts/debug-kernel.sh [--dir | --print]
#
#   (no option)  builds the kernel unless it is cached; prints the same
#                lines as --print
#   --dir        prints the build directory and builds nothing
#   --print      prints KVER=, KDIR=, BZIMAGE=, VMLINUX=, MODULES= lines
#                (shell assignments) of a built kernel; fails when it is
#                not built
#
# The build directory, build/debug-kernel/SRCVER-HASH/ (SRCVER the
# linux-source-6.1 package version, HASH of the config fragment's
# settings), is a kernel build tree (O=) that out-of-tree modules build
# against with `make -C DIR M=...`: .config, Module.symvers, the generated headers and
# scripts.  It also holds the bzImage the VM boots, vmlinux (symbols) and
# modules/lib/modules/KVER/ (uio_pci_generic and its dependencies, for
# vm.sh --kmod).  The extracted source is shared by all of them
# (build/debug-kernel/src-SRCVER/).  Built once: a directory with a .done
# stamp is used as it is.  DEBUG_KERNEL_CACHE moves the cache elsewhere
# (e.g. one directory for every worktree of a machine); DEBUG_KERNEL_JOBS
# is make's -j (2), and the build runs under nice -n 10.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
prog=debug-kernel.sh
tarball=/usr/src/linux-source-6.1.tar.xz
fragment=$top/scripts/debug-kernel.config
cache=${DEBUG_KERNEL_CACHE:-$top/build/debug-kernel}
jobs=${DEBUG_KERNEL_JOBS:-2}

die() { echo "$prog: error: $*" >&2; exit 2; }

mode=build
case ${1:-} in
"")		;;
--dir)		mode=dir ;;
--print)	mode=print ;;
-h|--help)	sed -n '4,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
*)		die "unknown argument '$1' (see --help)" ;;
esac

[ -r "$tarball" ] || die "$tarball missing (scripts/deps.sh installs linux-source-6.1)"
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || true)
# Not from the package: the tarball's size and time stand for its version.
[ -n "$srcver" ] || srcver=$(stat -c '%s-%Y' "$tarball")
# The settings make the key; comments may change without a rebuild.
settings() { grep -E '^(CONFIG_|# CONFIG_.* is not set$)' "$fragment"; }
hash=$(settings | sha256sum | cut -c1-12)
src=$cache/src-$srcver
out=$cache/$srcver-$hash

if [ "$mode" = dir ]; then
	echo "$out"
	exit 0
fi

print() {
	[ -f "$out/.done" ] || die "$out is not built (run $0)"
	echo "KVER=$(cat "$out/include/config/kernel.release")"
	echo "KDIR=$out"
	echo "BZIMAGE=$out/arch/x86/boot/bzImage"
	echo "VMLINUX=$out/vmlinux"
	echo "MODULES=$out/modules/lib/modules/$(cat "$out/include/config/kernel.release")"
}
if [ "$mode" = print ] || [ -f "$out/.done" ]; then
	print
	exit 0
fi

mkdir -p "$cache"
exec 9> "$cache/.lock"
if ! flock -n 9; then
	echo "$prog: another build holds $cache/.lock; waiting" >&2
	flock 9
fi
# The other build may have been this one.
if [ -f "$out/.done" ]; then
	print
	exit 0
fi

t0=$SECONDS
if [ ! -f "$src/.extracted" ]; then
	echo "$prog: extracting $tarball into $src" >&2
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xJf "$tarball" -C "$src.tmp" --strip-components=1
	touch "$src.tmp/.extracted"
	mv "$src.tmp" "$src"
fi

kmake() { nice -n 10 make -C "$src" O="$out" ARCH=x86_64 "$@"; }

echo "$prog: configuring $out (tinyconfig + $(basename "$fragment"))" >&2
rm -rf "$out"
mkdir -p "$out"
kmake -s tinyconfig > "$out/config.log" 2>&1
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$fragment" \
	>> "$out/config.log" 2>&1
kmake -s olddefconfig >> "$out/config.log" 2>&1
# Every setting of the fragment must be in the result: an option whose
# dependencies are missing is dropped by Kconfig without a word.
lost=$(settings | while IFS= read -r l; do grep -qxF "$l" "$out/.config" || echo "  $l"; done)
[ -z "$lost" ] || die "settings of $fragment that Kconfig dropped:
$lost"

echo "$prog: building the kernel and modules with -j$jobs (log: $out/build.log)" >&2
if ! kmake -j"$jobs" bzImage modules > "$out/build.log" 2>&1; then
	tail -30 "$out/build.log" >&2
	die "the kernel build failed (see $out/build.log)"
fi
kmake -s INSTALL_MOD_PATH="$out/modules" modules_install >> "$out/build.log" 2>&1
secs=$((SECONDS - t0))
echo "built in ${secs}s with -j$jobs on $(nproc) CPUs, $(date -u +%FT%TZ)" > "$out/.done"
echo "$prog: built $out in $((secs / 60))m$((secs % 60))s" >&2
print
