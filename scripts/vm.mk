# SPDX-License-Identifier: GPL-2.0
#
# The test VM (scripts/vm.sh): the guest staging directory, `make vm-shell`
# and the VM tier of `make check`.
#
# build/guest/ is what the guest sees as /ipo (vm.sh adds /ipo/ipo.ko from
# kmod/ at pack time).  `make` stages what the demo and `make vm-shell`
# need (`guest`); the VM tiers stage their tests besides (`guest-test`).  A
# fragment puts files there either with its own rules (and lists them in
# HOST_TARGETS, or as prerequisites of guest-test), or with a
# "host-path:guest-path" pair in GUEST_FILES or GUEST_TEST_FILES, the guest
# path relative to /ipo:
#
#	GUEST_FILES += scripts/demo.sh:demo.sh
#
# Knobs: VM_TIMEOUT (seconds, default 300), VM_ARGS (more vm.sh options, e.g.
# VM_ARGS='--edu 2' or VM_ARGS="--cmd 'ipo info'"), VM_CHECK_CMDS (replaces
# the commands of check-vm).

GUEST_DIR	:= $(O)/guest
VM		:= scripts/vm.sh
VM_TIMEOUT	?= 300
VM_ARGS		?=

GUEST_FILES	+= scripts/vm-smoke.sh:vm/smoke.sh

# One copy rule per pair, its target added to the list $(3) ("/ipo/" in
# front of the guest path is allowed and dropped).
GUEST_STAGED	:=
GUEST_TEST_STAGED :=
define guest_file_rule
$(3) += $(GUEST_DIR)/$(2)
$(GUEST_DIR)/$(2): $(1)
	@mkdir -p $$(dir $$@)
	cp -p $$< $$@
endef
guest_pair = $(call guest_file_rule,$(word 1,$(subst :, ,$(1))),$(patsubst \
	     /ipo/%,%,$(word 2,$(subst :, ,$(1)))),$(2))
$(foreach p,$(GUEST_FILES),$(eval $(call guest_pair,$(p),GUEST_STAGED)))
$(foreach p,$(GUEST_TEST_FILES),\
	$(eval $(call guest_pair,$(p),GUEST_TEST_STAGED)))

.PHONY: guest guest-test
guest: $(GUEST_STAGED)
	@mkdir -p $(GUEST_DIR)

guest-test: guest $(GUEST_TEST_STAGED)

# The selftests runner when it exists, else the smoke test; VM_CHECK_CMDS
# (vm.sh options, shell-quoted) replaces both.  The VM always has two edu
# devices on one INTx line, for irq_test (VM_ARGS='--edu N' overrides).  Every line of TAP that counts
# (the tests', one per command for its exit status, one for dmesg, one for a
# timeout or a crash) lands in $(RESULTS)/vm.tap; the whole serial log is in
# build/vm/last.log.
VM_CHECK_CMDS	?=
# More guest commands after the kselftests (fragments append).
VM_CHECK_MORE	?=
VM_RUNNER	:= $(GUEST_DIR)/selftests/run.sh

check-vm: all guest-test
	@$(if $(strip $(VM_CHECK_CMDS)),set -- $(VM_CHECK_CMDS),\
	if [ -x $(VM_RUNNER) ]; then \
		set -- --cmd 'insmod /ipo/ipo.ko' --cmd /ipo/selftests/run.sh \
			--cmd 'rmmod ipo' $(VM_CHECK_MORE); \
	else \
		set -- --cmd /ipo/vm/smoke.sh; \
	fi); \
	scripts/run-tap.sh vm $(RESULTS) $(VM) --tap - \
		--timeout $(VM_TIMEOUT) --edu 2 $(VM_ARGS) "$$@"

# The security regressions and the JIT's run tests once more in a boot with
# init_on_free=1, where a use-after-free of freed module memory reads
# zeroes and shows at once, on a CPU model whose mitigations the kernel
# turns on (-cpu EPYC, mitigations=auto: retbleed and SRSO return thunks),
# so JIT code returns through the kernel's thunk here.  The kernel's SRSO
# advice line (the emulated CPU has no microcode for it) is not a report.
# Without CX16, as in scripts/vm.sh: QEMU 7.2 emulates it wrongly.
check-vm-onfree: all guest-test
	@scripts/run-tap.sh vm-onfree $(RESULTS) $(VM) --tap - \
		--timeout $(VM_TIMEOUT) --append init_on_free=1 \
		--qemu-arg -cpu --qemu-arg EPYC,-cx16 --append mitigations=auto \
		--dmesg-ignore 'Speculative Return Stack Overflow: WARNING: See' \
		--cmd 'insmod /ipo/ipo.ko' \
		--cmd 'cat /sys/devices/system/cpu/vulnerabilities/retbleed' \
		--cmd /ipo/selftests/security_test \
		--cmd /ipo/selftests/run_test --cmd /ipo/selftests/jit_share_test \
		--cmd 'rmmod ipo'

# An interactive shell in the guest, after VM_ARGS' commands if any (with
# the tests when they are built: `make tests`).
vm-shell: all
	$(VM) --shell $(VM_ARGS)
