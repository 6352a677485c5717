# SPDX-License-Identifier: GPL-2.0
#
# kselftests of the module (selftests/kernel/), run inside the test VM by
# `make check` (check-vm).  They are static binaries (the guest has no
# libc), built with the kernel's kselftest_harness.h (selftests/selftests.mk)
# and installed with their runner into build/guest/selftests/, which the VM
# copies to /ipo/selftests/.

SELFTEST_DIR	:= $(O)/guest/selftests
SELFTEST_NAMES	:= $(patsubst selftests/kernel/%.c,%,\
		   $(wildcard selftests/kernel/*_test.c))
SELFTEST_BINS	:= $(addprefix $(SELFTEST_DIR)/,$(SELFTEST_NAMES))

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

.PHONY: selftests
selftests: $(SELFTEST_BINS) $(SELFTEST_DIR)/run.sh

# The VM tiers' staging (scripts/vm.mk) takes them into build/guest/.
guest-test: selftests
