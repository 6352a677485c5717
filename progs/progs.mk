# SPDX-License-Identifier: GPL-2.0
#
# progs/: the restricted-C programs, compiled by clang into
# build/progs/NAME.o (BTF and line info included), staged into the guest
# as /ipo/progs/NAME.o with the bundle scripts.  Their host tests are in
# selftests/progs/progs-tests.mk.  progs/rejected/ holds shapes the
# verifier refuses; they are not built.

PROGS_DIR	:= $(O)/progs
PROGS_SRCS	:= $(wildcard progs/*.c)
PROGS_OBJS	:= $(patsubst progs/%.c,$(PROGS_DIR)/%.o,$(PROGS_SRCS))
PROGS_CLANG	?= clang
# <linux/types.h> needs <asm/types.h>, which Debian keeps per multiarch.
PROGS_MULTIARCH	:= $(shell gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)
PROGS_CFLAGS	:= -O2 -g -target bpf -mcpu=v3 -Wall -Werror \
		   -Iinclude/uapi -I/usr/include/$(PROGS_MULTIARCH)

$(PROGS_DIR)/%.o: progs/%.c progs/ipo.h $(wildcard progs/*.h) \
		include/uapi/linux/ipo.h
	@mkdir -p $(dir $@)
	$(PROGS_CLANG) $(PROGS_CFLAGS) -c -o $@ $<

.PHONY: progs
progs: $(PROGS_OBJS)

HOST_TARGETS	+= $(PROGS_OBJS)
GUEST_FILES	+= $(foreach o,$(PROGS_OBJS),$(o):progs/$(notdir $(o)))

# Bundle scripts (progs/*.bundle) beside the programs in the guest, for
# `ipo run` (the demo; selftests/userlib/ipo_run_test).
BUNDLES		:= $(wildcard progs/*.bundle)
GUEST_FILES	+= $(foreach b,$(BUNDLES),$(b):progs/$(notdir $(b)))
