#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs checkpatch.pl (extracted from Debian's linux-source tarball into
# build/kselftest/ by `make checkpatch`) on every file the module compiles,
# with one terse line per finding and a summary.  Exits non-zero on any
# error or warning.
#
# The files: the objects Kbuild puts into kmod/ipo.ko (the module proper,
# the engine sources of engine.mk, and kmod/fault.c of `make module-fault`),
# and the tree's headers those include, followed to the end.
#
# One exemption, for code the module never compiles: the host section of
# base/compat.h (after "#else /* !__KERNEL__ */") defines the kernel's
# own attribute and access macros for the host build.  Their definitions
# can only be the raw __attribute__((...)) and volatile forms that
# checkpatch tells all other code to replace with these very macros (the
# kernel's compiler_attributes.h and rwonce.h are written the same way).
# Those #define lines, named in HOST_DEFS and nothing else, are blanked in
# the copy that is checked; line numbers stay those of the real file.
HOST_DEFS='__printf|__always_inline|__aligned|noinline|READ_ONCE|WRITE_ONCE'

top=$(cd "$(dirname "$0")/.." && pwd)
cp="$top/build/kselftest/scripts/checkpatch.pl"
if [ ! -x "$cp" ]; then
	echo "checkpatch: $cp missing; run 'make checkpatch'" >&2
	exit 2
fi
cd "$top" || exit 2

# The module's object list, as Kbuild computes it.
# shellcheck disable=SC2016
objs=$(printf 'include Kbuild\n$(info $(kmod/ipo-y))\nall: ;@:\n' |
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	make -s -f - src=. IPO_FAULT_INJECT=y) || exit 2
srcs=$(for o in $objs; do echo "${o%.o}.c"; done)
[ -n "$srcs" ] || { echo "checkpatch: no sources in Kbuild" >&2; exit 2; }

# The tree's headers that file $1 includes: "x.h" beside it or under the
# -I directories (the top, include/uapi), <x.h> under include/uapi.  File
# names are words: none in this tree has a blank.
# shellcheck disable=SC2013
tree_includes() {
	for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$1"); do
		for c in "$(dirname "$1")/$h" "$h" "include/uapi/$h"; do
			if [ -f "$c" ]; then
				realpath -m --relative-to=. "$c"
				break
			fi
		done
	done
	for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*<\([^>]*\)>.*/\1/p' "$1"); do
		if [ -f "include/uapi/$h" ]; then
			echo "include/uapi/$h"
		fi
	done
}

# The sources and their headers, followed to the end.
files=
todo=$srcs
while [ -n "$todo" ]; do
	next=
	for f in $todo; do
		case " $files " in *" $f "*) continue ;; esac
		[ -f "$f" ] || { echo "checkpatch: $f missing" >&2; exit 2; }
		files="$files $f"
		next="$next $(tree_includes "$f")"
	done
	todo=$next
done
# shellcheck disable=SC2086
files=$(printf '%s\n' $files | sort)

# Check copies, so that the exemption above never touches the tree.
stage="$top/build/checkpatch"
rm -rf "$stage" && mkdir -p "$stage" || exit 2
for f in $files; do
	mkdir -p "$stage/$(dirname "$f")"
	if [ "$f" = base/compat.h ]; then
		awk -v defs="^#define[ \t]+($HOST_DEFS)([ \t(]|\$)" '
			/^#else \/\* !__KERNEL__ \*\// { host = 1 }
			/^#endif \/\* __KERNEL__ \*\// { host = 0 }
			host && $0 ~ defs { print ""; next }
			{ print }' "$f" >"$stage/$f" || exit 2
	else
		cp "$f" "$stage/$f" || exit 2
	fi
done

cd "$stage" || exit 2
# shellcheck disable=SC2086
perl "$cp" --no-tree --terse --summary-file --show-types -f $files
rc=$?
n=$(echo "$files" | wc -w)
if [ "$rc" -eq 0 ]; then
	echo "checkpatch: $n files clean"
else
	echo "checkpatch: findings in the module's sources (see above)"
fi
exit "$rc"
