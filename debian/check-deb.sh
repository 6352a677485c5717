#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-deb.sh DEBDIR: tests the packages `make deb` left in DEBDIR.
# lintian on the whole upload, then the four packages unpacked by dpkg into
# a throwaway root (DEBDIR/root, its own dpkg database; no maintainer
# script runs, nothing of the host changes) and used from there as their
# users would: the tool, a METHOD program compiled with clang -target bpf
# against the installed headers and verified by the installed tool, and a
# client built with pkg-config against libipo-dev, shared and static.
# TAP on stdout.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
d=$(cd "$1" && pwd)
v=$(cat VERSION)
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
root=$d/root
t=$d/test
. "$(dirname "$0")/../scripts/tap.sh"

echo "TAP version 13"
echo "1..14"
rm -rf "$root" "$t"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$t"
touch "$root/var/lib/dpkg/status"

# --- the packages ------------------------------------------------------------

debs=()
r=0
for p in ipo-dkms:all libipo0:amd64 libipo-dev:amd64 ipo:amd64; do
	f=$d/${p%:*}_${v}_${p#*:}.deb
	if [ -f "$f" ] && [ "$(dpkg-deb -f "$f" Version)" = "$v" ]; then
		debs+=("$f")
	else
		echo "# missing: $f"
		r=1
	fi
done
ok $r "ipo-dkms, libipo0, libipo-dev, ipo at version $v (VERSION, debian/changelog)"

changes=$d/ipo_${v}_$(dpkg --print-architecture).changes
# Every tag shown, overridden ones too (O:, each with its reason in
# debian/source/lintian-overrides); errors and warnings fail.  (Not by
# --fail-on: with --show-overrides it counts overridden tags too.)
out=$(lintian --display-info --display-experimental --pedantic \
	--show-overrides --fail-on none "$changes" 2>&1)
r=$?
printf '%s\n' "$out" | grep -vE 'root privileges|Warning while running readelf' |
	sed 's/^/# /'
[ $r -eq 0 ] && ! printf '%s\n' "$out" | grep -qE '^[EW]: '
ok $? "lintian: no error or warning on the source and binary packages"

run dpkg --root="$root" --force-depends --force-bad-path \
	--no-triggers --unpack "${debs[@]}"
ok $? "dpkg --unpack into the throwaway root $root"

# --- ipo ---------------------------------------------------------------------

ipo=$root/usr/bin/ipo
"$ipo" --help 2>&1 | grep -q '^usage: ipo VERB' &&
	[ "$("$ipo" --version)" = "ipo $v" ] &&
	[ -z "$(MANWIDTH=80 man --warnings -l \
		"$root/usr/share/man/man1/ipo.1.gz" 2>&1 >/dev/null)" ]
ok $? "installed ipo: --help, --version $v, its manual page"

# --- libipo-dev: a METHOD program ---------------------------------------------

# The example as shipped, built against the installed headers only: the
# dependency list says where each came from.
ex=$root/usr/share/doc/libipo-dev/examples
mkdir -p "$t/prog"
cp "$ex/counter.c" "$ex/counter.h" "$t/prog/" 2>/dev/null
run clang -O2 -g -target bpf -mcpu=v3 -Wall -Werror \
	-I"$root/usr/include/ipo/progs" -I"$root/usr/include" \
	-I"/usr/include/$ma" -MD -MF "$t/prog/counter.d" \
	-c "$t/prog/counter.c" -o "$t/prog/counter.o"
r=$?
for h in usr/include/ipo/progs/ipo.h usr/include/linux/ipo.h; do
	grep -q " $root/$h" "$t/prog/counter.d" 2>/dev/null ||
		{ echo "# counter.c did not include $root/$h"; r=1; }
done
ok $r "examples/counter.c: clang -target bpf against the installed ipo/progs/ipo.h and linux/ipo.h"

run "$ipo" verify "$t/prog/counter.o"
ok $? "installed ipo verify accepts it"

# --- libipo-dev: a client ------------------------------------------------------

export PKG_CONFIG_SYSROOT_DIR=$root
export PKG_CONFIG_LIBDIR=$root/usr/lib/$ma/pkgconfig:/usr/lib/$ma/pkgconfig:/usr/share/pkgconfig
# (the variables as written: pkgconf puts the sysroot before them)
pc=$(for var in prefix libdir progsincludedir; do
	PKG_CONFIG_SYSROOT_DIR= pkg-config --variable=$var libipo; done)
pc=$(echo $pc)
echo "# libipo.pc: prefix, libdir, progsincludedir: $pc"
[ "$pc" = "/usr /usr/lib/$ma /usr/include/ipo/progs" ]
r=$?
ok $r "libipo.pc: prefix /usr, libdir /usr/lib/$ma, progsincludedir"

cat > "$t/client.c" <<'EOF'
/* Lists the methods of a program object: libipo without the module. */
#include <stdio.h>
#include <libipo.h>

int main(int argc, char **argv)
{
	struct ipo_prog_obj *obj = ipo_prog_obj_open(argv[1], NULL);
	struct ipo_program *prog;

	if (!obj) {
		perror(argv[1]);
		return 1;
	}
	ipo_prog_obj__for_each_program(prog, obj)
		printf("%s %zu\n", ipo_program__method_name(prog),
		       ipo_program__insn_cnt(prog));
	ipo_prog_obj__close(obj);
	return 0;
}
EOF

# shellcheck disable=SC2046 # pkg-config's words
run cc -Wall -Werror -o "$t/client" "$t/client.c" \
	$(pkg-config --cflags --libs libipo)
r=$?
lib=$(LD_LIBRARY_PATH=$root/usr/lib/$ma ldd "$t/client" 2>/dev/null |
      awk '/libipo.so.0/ { print $3 }')
echo "# libipo.so.0 => $lib"
out=$(LD_LIBRARY_PATH=$root/usr/lib/$ma "$t/client" "$t/prog/counter.o" 2>&1)
echo "# $out" | tr '\n' ' '; echo
[ $r -eq 0 ] && [ "$lib" = "$root/usr/lib/$ma/libipo.so.0" ] &&
	echo "$out" | grep -q '^add [0-9]' && echo "$out" | grep -q '^get [0-9]'
ok $? "client: pkg-config --cflags --libs libipo, runs on the installed libipo.so.0"

# The client loads a program file: statically it needs the ELF loader's
# libraries, which libipo-elf.pc adds (libipo.pc alone is for clients that
# only call methods).
# shellcheck disable=SC2046
run cc -static -Wall -Werror -o "$t/client-static" "$t/client.c" \
	$(pkg-config --static --cflags --libs libipo-elf)
r=$?
out=$("$t/client-static" "$t/prog/counter.o" 2>&1)
[ $r -eq 0 ] && echo "$out" | grep -q '^add [0-9]'
ok $? "client: pkg-config --static libipo-elf, linked with the installed libipo.a"

# --- libipo0 -------------------------------------------------------------------

# The SONAME names the package; its symbols file lists exactly the symbols
# the version script exports, each at its version node.
so=$root/usr/lib/$ma/libipo.so.0
soname=$(objdump -p "$so" 2>/dev/null | awk '$1 == "SONAME" { print $2 }')
dpkg-deb --ctrl-tarfile "$d/libipo0_${v}_amd64.deb" |
	tar -xOf - ./symbols > "$t/symbols" 2>/dev/null
sym=$(awk '/^ / { print $1 }' "$t/symbols" | sort)
map=$(awk '/^[A-Z0-9_.]+ *{/ { node = $1 } /^\t\t[a-z_]+;/ {
		sub(";", "", $1); print $1 "@" node }' userlib/libipo.map)
nodes=$(awk '/^[A-Z0-9_.]+ *{/ { print $1 "@" $1 }' userlib/libipo.map)
want=$(printf '%s\n%s\n' "$map" "$nodes" | sort)
# (defined globals; *ABS* are the version nodes themselves)
exported=$(objdump -T "$so" | awk '$2 == "g" && $4 != "*UND*" &&
		$4 != "*ABS*" { print $NF "@" $(NF - 1) }' | sort)
[ "$soname" = libipo.so.0 ] && [ "$sym" = "$want" ] &&
	[ "$(echo "$map" | sort)" = "$exported" ]
r=$?
[ $r -eq 0 ] || diff <(echo "$want") <(echo "$sym") | sed 's/^/# /'
ok $r "libipo0: SONAME libipo.so.0, symbols file = userlib/libipo.map = exports ($(echo "$map" | wc -l) symbols)"

# --- ipo-dkms ------------------------------------------------------------------

# The same tree as `make dkms-src` (which the DKMS tier builds for every
# kernel of the matrix), and the maintainer scripts hand it to DKMS.
make -s --no-print-directory dkms-src DESTDIR="$t/dkms" >/dev/null
run diff -r "$t/dkms/usr/src/ipo-$v" "$root/usr/src/ipo-$v"
ok $? "ipo-dkms: /usr/src/ipo-$v is what make dkms-src installs"

dpkg-deb -e "$d/ipo-dkms_${v}_all.deb" "$t/dkms-ctrl"
grep -q "^DKMS_NAME=ipo$" "$t/dkms-ctrl/postinst" &&
	grep -q "^DKMS_VERSION=$v$" "$t/dkms-ctrl/postinst" &&
	grep -q "dkms remove -m \$DKMS_NAME -v \$DKMS_VERSION --all" \
		"$t/dkms-ctrl/prerm" &&
	dpkg-deb -f "$d/ipo-dkms_${v}_all.deb" Depends | grep -q 'dkms'
ok $? "ipo-dkms: depends on dkms; postinst adds, builds and installs ipo $v, prerm removes it"

# --- the source ------------------------------------------------------------------

run python3 debian/check-copyright.py
ok $? "debian/copyright names the license of each file's SPDX line"

run dpkg --root="$root" -l ipo-dkms libipo0 libipo-dev ipo
ok $? "the throwaway root's dpkg database has the four packages"

exit $failed
