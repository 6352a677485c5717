#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ipo-man.sh IPO OUT: the tool's manual page, made by help2man from
# `ipo --help` and `ipo --version`, with every verb's own --help in a
# VERBS section, so the page says what the tool says.
set -e
ipo=$1 out=$2
{
	echo '[VERBS]'
	for v in $("$ipo" --help | awk '/^  [a-z]/ { print $1 }'); do
		echo '.PP'
		echo '.nf'
		# roff: a backslash is \e, a line may not start with . or '
		"$ipo" "$v" --help | sed -e 's/\\/\\e/g' -e "s/^[.']/\\\\\&&/"
		echo '.fi'
	done
} > "$out.h2m"
help2man --no-info --include="$out.h2m" \
	--name='interprocess objects: objects, bundles, programs' \
	-o "$out" "$ipo"
rm -f "$out.h2m"
