# SPDX-License-Identifier: GPL-2.0
#
# The test VM (scripts/vm.sh): the guest staging directory, `make vm-shell`
# and the VM tier of `make check`.
#
# build/guest/ is what the guest sees as /ipo (vm.sh adds /ipo/ipo.ko from
# kmod/ at pack time).  A fragment puts files there either with its own rules
# (and lists them in HOST_TARGETS or as prerequisites of `guest`), or with a
# "host-path:guest-path" pair in GUEST_FILES, the guest path relative to /ipo:
#
#	GUEST_FILES += $(BIN)/ipo:bin/ipo
#
# Knobs: VM_TIMEOUT (seconds, default 300), VM_ARGS (more vm.sh options, e.g.
# VM_ARGS='--edu 2' or VM_ARGS="--cmd 'ipo info'"), VM_CHECK_CMDS (replaces
# the commands of check-vm).

GUEST_DIR	:= $(O)/guest
VM		:= scripts/vm.sh
VM_TIMEOUT	?= 300
VM_ARGS		?=

GUEST_FILES	+= scripts/vm-smoke.sh:vm/smoke.sh

# One copy rule per GUEST_FILES pair ("/ipo/" in front of the guest path is
# allowed and dropped).
GUEST_STAGED	:=
define guest_file_rule
GUEST_STAGED += $(GUEST_DIR)/$(2)
$(GUEST_DIR)/$(2): $(1)
	@mkdir -p $$(dir $$@)
	cp -p $$< $$@
endef
$(foreach p,$(GUEST_FILES),$(eval $(call guest_file_rule,$(word 1,$(subst :, ,$(p))),$(patsubst /ipo/%,%,$(word 2,$(subst :, ,$(p)))))))

.PHONY: guest
guest: $(GUEST_STAGED)
	@mkdir -p $(GUEST_DIR)

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

check-vm: all guest
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
check-vm-onfree: all guest
	@scripts/run-tap.sh vm-onfree $(RESULTS) $(VM) --tap - \
		--timeout $(VM_TIMEOUT) --append init_on_free=1 \
		--qemu-arg -cpu --qemu-arg EPYC --append mitigations=auto \
		--dmesg-ignore 'Speculative Return Stack Overflow: WARNING: See' \
		--cmd 'insmod /ipo/ipo.ko' \
		--cmd 'cat /sys/devices/system/cpu/vulnerabilities/retbleed' \
		--cmd /ipo/selftests/security_test \
		--cmd /ipo/selftests/run_test --cmd /ipo/selftests/jit_share_test \
		--cmd 'rmmod ipo'

# An interactive shell in the guest, after VM_ARGS' commands if any.
vm-shell: all guest
	$(VM) --shell $(VM_ARGS)
