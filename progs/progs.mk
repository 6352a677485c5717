# SPDX-License-Identifier: GPL-2.0
#
# progs/: the restricted-C programs, compiled by clang into
# build/progs/NAME.o (BTF and line info included), staged into the guest
# as /ipo/progs/NAME.o, and tested on the host (selftests/progs/): every
# method verified as a METHOD program and run on the interpreter and the
# JIT.  progs/rejected/ holds shapes the verifier refuses; they are not
# built.

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

# --- host tests of the programs ---------------------------------------------

PTEST		:= selftests/progs
PTEST_SRCS	:= $(wildcard $(PTEST)/*.c)

$(OBJ)/$(PTEST)/%.o: IPO_CFLAGS += -Iuserlib -Iprogs

$(BIN)/ipo-progs-test: $(patsubst %.c,$(OBJ)/%.o,$(PTEST_SRCS)) \
		$(LIB)/libipo.a $(LIB)/libipo-engine.a
	@mkdir -p $(dir $@)
	$(CC) -o $@ $^ $(LIBIPO_LDLIBS)

# The same under ASan+UBSan, with the sanitized engine: every buffer a
# program touches is its own exact-size allocation.
$(BIN)/ipo-progs-test-san: $(PTEST_SRCS) $(wildcard $(PTEST)/*.h) \
		$(LIBIPO_SRCS) $(wildcard userlib/*.h) $(LIB)/libipo-engine-san.a
	@mkdir -p $(dir $@)
	$(SAN_CC) $(SAN_CFLAGS) -Iuserlib -Iprogs -o $@ $(PTEST_SRCS) \
		$(LIBIPO_SRCS) $(LIB)/libipo-engine-san.a $(LIBIPO_LDLIBS)

HOST_TARGETS	+= $(BIN)/ipo-progs-test $(BIN)/ipo-progs-test-san

.PHONY: check-progs check-progs-san
check-progs: $(BIN)/ipo-progs-test $(PROGS_OBJS)
	@scripts/run-tap.sh progs $(RESULTS) $(BIN)/ipo-progs-test $(PROGS_DIR)

check-progs-san: $(BIN)/ipo-progs-test-san $(PROGS_OBJS)
	@scripts/run-tap.sh progs-san $(RESULTS) \
		$(BIN)/ipo-progs-test-san $(PROGS_DIR)

CHECK_HOST	+= check-progs check-progs-san
