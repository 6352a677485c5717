#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-dkms.sh [KVER...]: the DKMS tier, on the host; nothing is loaded.
# For each kernel of the matrix (scripts/kernels.sh) or each KVER given, it
# runs `make dkms-install` (the source tree as ipo-dkms ships it, then dkms
# add, build and install) and checks the module it installed; then `make
# dkms-remove`.  All of it in a throwaway tree, build/dkms/: DKMS, source
# and install trees, signing key, so the host's /usr/src, /var/lib/dkms and
# /lib/modules stay as they were (which is checked).  TAP on stdout.
#
# The modules stay in build/dkms/ko/KVER/ipo.ko, each with its make.log:
# scripts/check-kernels.sh boots each kernel with the module DKMS built.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
version=$(cat VERSION)
t=$top/build/dkms
src=$t/root/usr/src/ipo-$version
flags="--dkmstree $t/var/lib/dkms --sourcetree $t/root/usr/src"
flags+=" --installtree $t/lib/modules --no-depmod"
# DKMS takes the signing key's paths from the environment too; without
# these it would make one in the host's /var/lib/dkms.
export mok_signing_key=$t/mok.key mok_certificate=$t/mok.pub
. "$(dirname "$0")/../scripts/tap.sh"

dkms_make() {
	make -s --no-print-directory -C "$top" "$@" DESTDIR="$t/root" \
		DKMS_FLAGS="$flags"
}

host_state() {
	ls -la --time-style=full-iso /usr/src /var/lib/dkms 2>&1
	find /var/lib/dkms /lib/modules/*/updates 2>/dev/null | sort
	ls -la --time-style=full-iso /lib/modules/*/modules.dep 2>&1
}

if [ $# -gt 0 ]; then
	kernels=("$@")
else
	read -ra kernels <<< "$(scripts/kernels.sh | tr '\n' ' ')"
fi
echo "TAP version 13"
echo "1..$(( ${#kernels[@]} * 2 + 3 ))"

before=$(host_state)
rm -rf "$t"
mkdir -p "$t/var/lib/dkms" "$t/lib/modules" "$t/ko"

# The source tree holds what Kbuild compiles, and dkms.conf names VERSION.
dkms_make dkms-src
entries=$(cd "$src" 2>/dev/null && echo *)
want="Kbuild VERSION base dkms.conf engine.mk exec include kmod verifier"
[ "$entries" = "$want" ] && [ -z "$(find "$src" ! -type f ! -type d)" ]
r=$?
[ $r -eq 0 ] || echo "# $src holds: $entries (want: $want)"
grep -qx "PACKAGE_VERSION=\"$version\"" "$src/dkms.conf" || r=1
ok $r "source tree $src: $want; version $version"

for k in "${kernels[@]}"; do
	case $k in
	missing:*)
		ok 1 "${k#missing:}: no kernel installed (IPO_DEPS_EXTRA=kernels scripts/deps.sh)"
		ok 1 "${k#missing:}: no module"
		continue ;;
	esac
	log=$t/ko/$k/dkms.log
	mkdir -p "$t/ko/$k" "$t/lib/modules/$k"
	start=$SECONDS
	dkms_make dkms-install DKMS_KVER="$k" > "$log" 2>&1
	r=$?
	mlog=$t/var/lib/dkms/ipo/$version/$k/x86_64/log/make.log
	[ -f "$mlog" ] || mlog=$t/var/lib/dkms/ipo/$version/build/make.log
	cp "$mlog" "$t/ko/$k/make.log" 2>/dev/null
	if [ $r -ne 0 ]; then
		tail -20 "$log" | sed 's/^/# /'
		tail -30 "$t/ko/$k/make.log" 2>/dev/null | sed 's/^/# /'
	fi
	grep -E 'warning|error' "$t/ko/$k/make.log" 2>/dev/null |
		grep -v "^readelf: Warning" | sed 's/^/# /'
	ok $r "$k: make dkms-install (dkms add, build, install) in $((SECONDS - start)) s"

	# Built for this kernel, signed with the throwaway key, installed
	# where Debian's DKMS puts modules (xz-compressed for kernels built
	# with compressed modules, 6.12: kept uncompressed for the VM).
	ko=$(ls "$t/lib/modules/$k/updates/dkms/ipo.ko"* 2>/dev/null | head -1)
	vermagic=$(modinfo -F vermagic "$ko" 2>/dev/null)
	signer=$(modinfo -F signer "$ko" 2>/dev/null)
	# (DKMS's readelf of the kernel's .comment warns on Debian's headers)
	status=$(dkms status $flags -m ipo -v "$version" -k "$k" 2>&1 |
		 grep -v "^readelf: Warning")
	echo "# ${ko#$t/}: $status; vermagic $vermagic; signer $signer"
	r=1
	case $vermagic in
	"$k "*) [ "$signer" = "DKMS module signing key" ] &&
		case $status in *": installed") r=0 ;; esac ;;
	esac
	case $ko in
	*.xz) xz -dc "$ko" > "$t/ko/$k/ipo.ko" || r=1 ;;
	*) cp "$ko" "$t/ko/$k/ipo.ko" || r=1 ;;
	esac
	ok $r "$k: ipo.ko built for $k, signed, installed in updates/dkms"
done

# dkms remove --all, then the source tree: nothing of ipo is left.
dkms_make dkms-remove > "$t/remove.log" 2>&1
r=$?
left=$(find "$t/var/lib/dkms" "$t/root" "$t/lib/modules" -type f)
[ -z "$left" ] || { echo "# left behind:"; echo "$left" | sed 's/^/#   /'; r=1; }
[ $r -eq 0 ] || sed 's/^/# /' "$t/remove.log"
ok $r "make dkms-remove: the DKMS, source and install trees are empty"

after=$(host_state)
[ "$before" = "$after" ]
r=$?
[ $r -eq 0 ] || diff <(echo "$before") <(echo "$after") | sed 's/^/# /'
ok $r "the host's /usr/src, /var/lib/dkms and /lib/modules are unchanged"
exit $failed
