# SPDX-License-Identifier: GPL-2.0
#
# Hardening: the fault-injection build of the module, and the VM programs
# that attack the module as a hostile user would (selftests/harden/):
#
#   make module-fault	build/kfault/kmod/ipo.ko, the module with
#			IPO_FAULT_INJECT (kmod/fault.h), staged into the
#			guest as /ipo/ipo-fault.ko
#   make stress		the long runs in one VM boot: the ioctl fuzzer,
#			the 8-process stress, the fault sweeps (STRESS_*)
#
# The short versions of all three run in `make check` (check-vm, through
# VM_CHECK_MORE), which stages the fault build and the programs into the
# guest (guest-test); plain `make` builds none of them.
#
# The fault build compiles a tree of symlinks to the sources (build/kfault/)
# so that its objects never mix with kmod/'s and ipo.ko stays as it is.

KFAULT		:= $(O)/kfault
KFAULT_KO	:= $(KFAULT)/kmod/ipo.ko
HARDEN		:= selftests/harden

.PHONY: module-fault stress
module-fault:
	@scripts/module-tree.sh $(KFAULT)
	$(MAKE) -C $(KDIR) M=$(CURDIR)/$(KFAULT) IPO_FAULT_INJECT=y modules

$(KFAULT_KO): module-fault
GUEST_TEST_FILES += $(KFAULT_KO):ipo-fault.ko

# The guest programs: static, like the kselftests, into /ipo/harden/.
HARDEN_DIR	:= $(O)/guest/harden
HARDEN_PROGS	:= $(addprefix $(HARDEN_DIR)/,fault_test harden_stress)

$(HARDEN_DIR)/%: $(HARDEN)/%.c $(HARDEN)/harden.h selftests/tap.h \
		selftests/kernel/ipo_test.h include/uapi/linux/ipo.h \
		| $(KSFT_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) -o $@ $<

GUEST_TEST_FILES += $(HARDEN)/check.sh:harden/check.sh \
		   $(HARDEN)/stress.sh:harden/stress.sh

# The ioctl fuzzer reads its corpus of programs from ELF files with libipo.
$(HARDEN_DIR)/ipo_ioctl_fuzz: $(HARDEN)/ipo_ioctl_fuzz.c $(HARDEN)/harden.h \
		selftests/tap.h selftests/kernel/ipo_test.h \
		include/uapi/linux/ipo.h \
		$(LIB)/libipo.a $(LIB)/libipo-engine.a | $(KSFT_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) -Iuserlib -o $@ $< $(LIB)/libipo.a \
		$(LIB)/libipo-engine.a $(LIBIPO_LDLIBS)

HARDEN_PROGS	+= $(HARDEN_DIR)/ipo_ioctl_fuzz
guest-test: $(HARDEN_PROGS)
GUEST_TEST_FILES += $(HARDEN)/lib.sh:harden/lib.sh \
		   $(HARDEN)/checkers.sh:harden/checkers.sh

# The short runs join check-vm's guest commands (scripts/vm.mk).
VM_CHECK_MORE	+= --cmd 'sh /ipo/harden/check.sh'

# The long runs, one VM boot (the serial log stays in build/vm/last.log).
STRESS_TIME	?= 60
STRESS_PROCS	?= 8
FUZZ_CALLS	?= 250000
FUZZ_PROCS	?= 4
STRESS_VM_TIMEOUT ?= 3000
stress: deps
	@$(SUBMAKE) all guest-test
	$(VM) --edu 2 --timeout $(STRESS_VM_TIMEOUT) --cmd 'STRESS_TIME=$(STRESS_TIME) \
		STRESS_PROCS=$(STRESS_PROCS) FUZZ_CALLS=$(FUZZ_CALLS) \
		FUZZ_PROCS=$(FUZZ_PROCS) sh /ipo/harden/stress.sh'

# Caller-controlled array indices in the module are clamped against
# speculation (array_index_nospec()), read off the built module.
.PHONY: check-nospec
check-nospec: module
	@scripts/run-tap.sh nospec $(RESULTS) $(HARDEN)/nospec.sh kmod/ipo.ko
CHECK_HOST	+= check-nospec
