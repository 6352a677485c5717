# SPDX-License-Identifier: GPL-2.0
#
# kselftests of the module (selftests/kernel/), run inside the test VM.
#
# The harness header and checkpatch.pl are not copied into the tree: they are
# taken from Debian's linux-source tarball once, into build/kselftest/.  All
# members come out of one tar run, because every member costs a full
# decompression of the 130 MB archive.
#
# The tests are static binaries (the guest has no libc) installed with their
# runner into build/guest/selftests/, which the VM copies to /ipo/selftests/.

KSRC_TARBALL	:= /usr/src/linux-source-6.1.tar.xz
KSFT		:= $(O)/kselftest
KSFT_STAMP	:= $(KSFT)/.stamp
KSFT_MEMBERS	:= tools/testing/selftests/kselftest_harness.h \
		   tools/testing/selftests/kselftest.h \
		   scripts/checkpatch.pl \
		   scripts/spelling.txt \
		   scripts/const_structs.checkpatch

SELFTEST_DIR	:= $(O)/guest/selftests
SELFTEST_NAMES	:= $(patsubst selftests/kernel/%.c,%,\
		   $(wildcard selftests/kernel/*_test.c))
SELFTEST_BINS	:= $(addprefix $(SELFTEST_DIR)/,$(SELFTEST_NAMES))
SELFTEST_CFLAGS	:= $(IPO_CFLAGS) -I$(KSFT)/tools/testing/selftests -Wno-unused-function -Wno-clobbered \
		   -D_GNU_SOURCE -static -pthread

# The tarball is only needed when the stamp is missing; deps installs it.
$(KSFT_STAMP): | deps
	@mkdir -p $(KSFT)
	@echo "  EXTRACT $(KSFT) (from $(KSRC_TARBALL))"
	tar -xJf $(KSRC_TARBALL) -C $(KSFT) --strip-components=1 \
		$(addprefix linux-source-6.1/,$(KSFT_MEMBERS))
	@touch $@

# `make checkpatch` runs the checkpatch.pl of the same extraction.
checkpatch: $(KSFT_STAMP)

# Order-only on the stamp: a re-extraction must not rebuild every test.
$(SELFTEST_DIR)/%: selftests/kernel/%.c selftests/kernel/ipo_test.h \
		include/uapi/linux/ipo.h | $(KSFT_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) -o $@ $<

# vload_test builds its programs with the engine tests' generator.
$(SELFTEST_DIR)/vload_test: selftests/engine/worst.h

$(SELFTEST_DIR)/run.sh: selftests/kernel/run.sh
	@mkdir -p $(dir $@)
	install -m 0755 $< $@

.PHONY: selftests kselftest-headers
selftests: $(SELFTEST_BINS) $(SELFTEST_DIR)/run.sh
kselftest-headers: $(KSFT_STAMP)

HOST_TARGETS	+= $(SELFTEST_BINS) $(SELFTEST_DIR)/run.sh
checkpatch: $(KSFT_STAMP)

# The VM's `guest` target (scripts/vm.mk) stages build/guest/ for the VM.
guest: selftests

# The conformance runner's own test: a plugin that crashes, aborts or
# reports a sanitizer finding on an expected-error case fails the case;
# only the verifier's rejection passes it.  (Its home is the engine tests'
# fragment, beside the runner's other targets.)
.PHONY: check-conformance-runner
check-conformance-runner: $(BIN)/ipo-conformance $(BIN)/ipo-conformance-san
	@scripts/run-tap.sh conformance-runner $(RESULTS) \
		sh selftests/engine/conformance-runner-test.sh \
		$(BIN)/ipo-conformance $(BIN)/ipo-conformance-san

CHECK_HOST	+= check-conformance-runner
