# SPDX-License-Identifier: GPL-2.0
#
# Top-level build.  `make` builds the module (kmod/ipo.ko, through Kbuild)
# and everything host-side into build/; `make check` runs every test tier
# and ends with one line "N passed, N failed".
#
# Each part of the tree adds its own rules in a fragment included below
# (userlib/userlib.mk, selftests/selftests.mk, ...), beside what it
# builds; the source lists shared with Kbuild live in engine.mk.

O		:= build
# The release: the module (DKMS), the Debian packages and `ipo --version`.
IPO_VERSION	:= $(shell cat VERSION)
BIN		:= $(O)/bin
LIB		:= $(O)/lib
OBJ		:= $(O)/obj
RESULTS		:= $(O)/test-results

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
HOST_TARGETS	:=	# built by `make`
CHECK_HOST	:=	# phony targets that write $(RESULTS)/<name>.tap
GUEST_FILES	:=	# host path:guest path pairs copied into the VM

# scripts/demo.sh runs in the guest as /ipo/demo.sh (`make demo`).
GUEST_FILES	+= scripts/demo.sh:demo.sh

.PHONY: all deps module host check check-host check-vm check-vm-onfree \
	check-kernels check-debug debug-kernel \
	demo vm-shell \
	clean fuzz checkpatch install FORCE
.DEFAULT_GOAL := all

all: deps module host

deps:
	@bash scripts/deps.sh

module: deps
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

-include userlib/userlib.mk
-include progs/progs.mk
-include selftests/selftests.mk
-include selftests/engine/conformance.mk
-include selftests/engine/corpus.mk
-include bench/bench.mk
-include selftests/harden/harden.mk
-include scripts/vm.mk
-include dkms/dkms.mk
-include debian/deb.mk
-include scripts/debug.mk

host: deps $(HOST_TARGETS)

# Every tier runs even when an earlier one failed; the summary decides.
check: all
	@rm -rf $(RESULTS) && mkdir -p $(RESULTS)
	@$(MAKE) --no-print-directory -k check-host check-vm check-vm-onfree; true
	@scripts/tap-summary.sh $(RESULTS)

check-host: $(CHECK_HOST)

# The kernel matrix (scripts/kernels.sh): the module built by DKMS for each
# of Debian's 6.1 and 6.12, generic and PREEMPT_RT (dkms/check-dkms.sh), and
# the kselftest tier run in a VM booting it.  Installs the kernels it needs.
check-kernels: all guest
	@IPO_DEPS_EXTRA="kernels dkms" bash scripts/deps.sh
	@scripts/check-kernels.sh $(RESULTS)

demo: all guest
	scripts/vm.sh --cmd 'sh /ipo/demo.sh'

checkpatch: deps
	@scripts/checkpatch.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf $(O)

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)
