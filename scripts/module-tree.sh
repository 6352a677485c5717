#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# module-tree.sh DIR: makes DIR a tree of symlinks to the module's sources
# (Kbuild, VERSION, engine.mk, the C sources and headers of kmod/, base/,
# verifier/, exec/ and include/), so that a build of the module with other
# options or for another kernel (`make -C KDIR M=$PWD/DIR`) keeps its
# objects apart from kmod/'s.  DIR is relative to the top of the tree or
# absolute.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
cd "$top"
mkdir -p "$1"
for f in Kbuild VERSION engine.mk $(find kmod base verifier exec include \
		-name '*.[chS]' ! -name '*.mod.c'); do
	mkdir -p "$1/$(dirname "$f")"
	ln -sfn "$top/$f" "$1/$f"
done
