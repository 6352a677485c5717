# SPDX-License-Identifier: GPL-2.0
#
# What the test tiers share: the kernel's kselftest harness headers (and
# checkpatch.pl), the flags of the static test programs the guest runs,
# and the tests of the test tools themselves.  The C tests write TAP with
# selftests/tap.h, the shell tests with scripts/tap.sh.
#
# The harness header and checkpatch.pl are not copied into the tree: they are
# taken from Debian's linux-source tarball once, into build/kselftest/.  All
# members come out of one tar run, because every member costs a full
# decompression of the 130 MB archive.  The tarball is a package (`make
# deps`; `make check` and `make checkpatch` install it).

KSRC_TARBALL	:= /usr/src/linux-source-6.1.tar.xz
KSFT		:= $(O)/kselftest
KSFT_STAMP	:= $(KSFT)/.stamp
KSFT_MEMBERS	:= tools/testing/selftests/kselftest_harness.h \
		   tools/testing/selftests/kselftest.h \
		   scripts/checkpatch.pl \
		   scripts/spelling.txt \
		   scripts/const_structs.checkpatch

$(KSFT_STAMP):
	@[ -f $(KSRC_TARBALL) ] || { echo "$(KSRC_TARBALL) missing: make deps" >&2; exit 1; }
	@mkdir -p $(KSFT)
	@echo "  EXTRACT $(KSFT) (from $(KSRC_TARBALL))"
	tar -xJf $(KSRC_TARBALL) -C $(KSFT) --strip-components=1 \
		$(addprefix linux-source-6.1/,$(KSFT_MEMBERS))
	@touch $@

.PHONY: kselftest-headers
kselftest-headers: $(KSFT_STAMP)

# The static programs the guest runs (it has no libc): the kselftests, the
# hardening programs.
SELFTEST_CFLAGS	:= $(IPO_CFLAGS) -I$(KSFT)/tools/testing/selftests \
		   -Wno-unused-function -Wno-clobbered -D_GNU_SOURCE -static \
		   -pthread

