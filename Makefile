# SPDX-License-Identifier: GPL-2.0
#
# Top-level build.  `make` compiles and does nothing else: the module
# (kmod/ipo.ko, through Kbuild), the libraries (build/lib), the ipo tool
# (build/bin/ipo), the programs of progs/ (build/progs) and what the test
# VM's guest needs to run them (build/guest: the static tool, the programs,
# the bundle scripts, the demo).  It installs nothing; `make deps` installs
# the Debian packages (scripts/deps.sh).
#
# Everything else is a target of its own.  Those that boot the VM or test
# the tree install what is missing first (deps), then build what they need:
#
#   make check		builds the tests, runs every tier (the README's
#			walkthrough too), ends with one line "N passed,
#			N failed"
#   make tests		builds what `make check` runs, runs nothing
#   make demo		the demo in the VM
#   make fuzzers	the libFuzzer harnesses (`make fuzz` installs what
#			they need, builds and runs them)
#   make module-fault	the module with fault injection
#   make benchmarks	every benchmark program (`make bench` and friends
#			build and run their own)
#   make checkpatch, make check-kernels, make check-debug, make stress, ...
#
# Each part of the tree adds its rules in a fragment beside what it builds
# (userlib/userlib.mk, selftests/elf/elf.mk, bench/bench.mk, ...; the
# source lists shared with Kbuild live in engine.mk), and its targets to
# these lists:
#
#   HOST_TARGETS	built by `make`
#   TEST_TARGETS	host test programs (`make tests`)
#   FUZZ_TARGETS	fuzzing harnesses (`make fuzzers`)
#   BENCH_TARGETS	benchmark programs, host and guest (`make benchmarks`)
#   CHECK_HOST		phony targets that write $(RESULTS)/<name>.tap
#   GUEST_FILES		host path:guest path pairs staged by `make`
#   GUEST_TEST_FILES	the same for the VM tiers (`make guest-test`);
#			guest programs built in place hang off guest-test

O		:= build
# The release: the module (DKMS), the Debian packages and `ipo --version`.
IPO_VERSION	:= $(shell cat VERSION)
BIN		:= $(O)/bin
LIB		:= $(O)/lib
OBJ		:= $(O)/obj
RESULTS		:= $(O)/test-results
SUBMAKE		:= $(MAKE) --no-print-directory

# Debian's headers and the image the VM boots must be the same release.
KVER		?= $(shell scripts/kver.sh)
KDIR		?= /usr/src/linux-headers-$(KVER)

CC		?= gcc
CFLAGS		?= -O2 -g
# CPPFLAGS and LDFLAGS are empty unless given (Debian's build gives its
# hardening flags through them).
IPO_CFLAGS	:= $(CPPFLAGS) $(CFLAGS) -std=gnu11 -Wall -Wextra \
		   -Wno-unused-parameter -Wno-sign-compare \
		   -Wno-missing-field-initializers -fno-strict-aliasing \
		   -Iinclude/uapi -I.
# Sanitizer and fuzzer builds use clang's runtimes (libclang-rt-14-dev).
SAN_CC		:= clang
SAN_CFLAGS	:= -O1 -g -fsanitize=address,undefined \
		   -fno-sanitize-recover=all -fno-omit-frame-pointer \
		   -std=gnu11 -Wall -Iinclude/uapi -I.

include engine.mk

# Host objects of the engine, plain and sanitized.
ENGINE_OBJS	:= $(patsubst %.c,$(OBJ)/%.o,$(IPO_ENGINE_SRCS) \
		   $(IPO_ENGINE_HOST_SRCS))
ENGINE_SAN_OBJS	:= $(patsubst %.c,$(OBJ)/san/%.o,$(IPO_ENGINE_SRCS) \
		   $(IPO_ENGINE_HOST_SRCS))

# Fragments append to these.
HOST_TARGETS	:=
TEST_TARGETS	:=
FUZZ_TARGETS	:=
BENCH_TARGETS	:=
CHECK_HOST	:=
GUEST_FILES	:=
GUEST_TEST_FILES :=

# scripts/demo.sh runs in the guest as /ipo/demo.sh (`make demo`).
GUEST_FILES	+= scripts/demo.sh:demo.sh

.PHONY: all deps module host tests fuzzers benchmarks \
	check check-host check-vm check-vm-onfree \
	check-kernels check-debug debug-kernel \
	demo vm-shell guest guest-test \
	clean fuzz checkpatch install FORCE
.DEFAULT_GOAL := all

all: module host guest

deps:
	@bash scripts/deps.sh

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

$(OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(IPO_CFLAGS) -fPIC -MMD -MP -c -o $@ $<

$(OBJ)/san/%.o: %.c
	@mkdir -p $(dir $@)
	$(SAN_CC) $(SAN_CFLAGS) -MMD -MP -c -o $@ $<

$(LIB)/libipo-engine.a: $(ENGINE_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(LIB)/libipo-engine-san.a: $(ENGINE_SAN_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

HOST_TARGETS	+= $(LIB)/libipo-engine.a

# In this order: a fragment's prerequisites use the variables of those
# before it (the fuzzers take libipo's sources and the ELF test programs),
# and scripts/vm.mk stages the GUEST_FILES of all of them.
-include userlib/userlib.mk
-include progs/progs.mk
-include selftests/selftests.mk
-include selftests/elf/elf.mk
-include selftests/userlib/userlib-tests.mk
-include selftests/progs/progs-tests.mk
-include selftests/kernel/kselftests.mk
-include selftests/engine/conformance.mk
-include selftests/engine/corpus.mk
-include selftests/harden/harden.mk
-include selftests/walkthrough/walkthrough.mk
-include bench/bench.mk
-include scripts/vm.mk
-include dkms/dkms.mk
-include debian/deb.mk
-include scripts/debug.mk

host: $(HOST_TARGETS)

# What `make check` runs: the host tests, the fuzzers' short runs, and
# build/guest/ with the kselftests, the hardening programs, the fault
# build and the benchmark's smoke test.
tests: all $(TEST_TARGETS) $(FUZZ_TARGETS) guest-test

fuzzers: $(FUZZ_TARGETS)

benchmarks: $(BENCH_TARGETS)

# Every tier runs even when an earlier one failed; the summary decides.
# The tiers' failures are in their TAP (run-tap.sh exits 0), so the
# sub-make fails only when a tier could not start (its prerequisites did
# not build): that is a failure too, not a tier missing from the count.
check: deps
	@$(SUBMAKE) tests
	@rm -rf $(RESULTS) && mkdir -p $(RESULTS)
	@$(SUBMAKE) -k check-host check-vm check-vm-onfree check-walkthrough || \
		echo "not ok 1 - check: a tier did not run (make errors above)" \
		| tee $(RESULTS)/check.tap
	@scripts/tap-summary.sh $(RESULTS)

check-host: $(CHECK_HOST)

# The kernel matrix (scripts/kernels.sh): the module built by DKMS for each
# of Debian's 6.1 and 6.12, generic and PREEMPT_RT (dkms/check-dkms.sh), and
# the kselftest tier run in a VM booting it.  Installs the kernels it needs.
check-kernels:
	@IPO_DEPS_EXTRA="kernels dkms" bash scripts/deps.sh
	@$(SUBMAKE) guest-test
	@scripts/check-kernels.sh $(RESULTS)

demo: deps
	@$(SUBMAKE) all
	scripts/vm.sh --cmd 'sh /ipo/demo.sh'

# checkpatch.pl comes out of the kernel source tarball with the kselftest
# headers (selftests/selftests.mk).
checkpatch: deps
	@$(SUBMAKE) kselftest-headers
	@scripts/checkpatch.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf $(O)

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)
