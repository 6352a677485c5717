# SPDX-License-Identifier: GPL-2.0
#
# Host tests of libipo's program-object loader and of `ipo verify` /
# `ipo disasm`: small restricted-C programs compiled by clang into
# build/elf-progs/, checked against llvm-objdump and their own source.

ELF_TEST_DIR	:= selftests/elf
ELF_PROGS_DIR	:= $(O)/elf-progs
ELF_PROGS	:= $(patsubst $(ELF_TEST_DIR)/progs/%.c,$(ELF_PROGS_DIR)/%.o,\
		   $(wildcard $(ELF_TEST_DIR)/progs/*.c))
BPF_CLANG	?= clang
BPF_CFLAGS	:= -O2 -g -target bpf -mcpu=v3 -Wall -Werror

$(ELF_PROGS_DIR)/%.o: $(ELF_TEST_DIR)/progs/%.c \
		$(ELF_TEST_DIR)/progs/test_prog.h
	@mkdir -p $(dir $@)
	$(BPF_CLANG) $(BPF_CFLAGS) -c -o $@ $<

$(OBJ)/$(ELF_TEST_DIR)/%.o: IPO_CFLAGS += -Iuserlib

$(BIN)/ipo-elf-dump: $(OBJ)/$(ELF_TEST_DIR)/elf_dump.o $(LIB)/libipo.a
	@mkdir -p $(dir $@)
	$(CC) -o $@ $^ $(LIBIPO_LDLIBS)

$(BIN)/ipo-elf-api-test: $(OBJ)/$(ELF_TEST_DIR)/api_test.o $(LIB)/libipo.a
	@mkdir -p $(dir $@)
	$(CC) -o $@ $^ $(LIBIPO_LDLIBS)

TEST_TARGETS	+= $(ELF_PROGS) $(BIN)/ipo-elf-dump $(BIN)/ipo-elf-api-test

.PHONY: check-elf-api check-elf
check-elf-api: $(BIN)/ipo-elf-api-test $(ELF_PROGS)
	@scripts/run-tap.sh elf-api $(RESULTS) \
		$(BIN)/ipo-elf-api-test $(ELF_PROGS_DIR)

check-elf: $(BIN)/ipo-elf-dump $(BIN)/ipo $(ELF_PROGS)
	@scripts/run-tap.sh elf $(RESULTS) \
		python3 $(ELF_TEST_DIR)/run-elf-tests.py --ipo $(BIN)/ipo \
		--dump $(BIN)/ipo-elf-dump --objs $(ELF_PROGS_DIR) \
		--src $(ELF_TEST_DIR)/progs

CHECK_HOST	+= check-elf-api check-elf

# The loader again under ASan+UBSan: the damaged-file test must stay clean.
ELF_SAN_SRCS	:= $(ELF_TEST_DIR)/api_test.c userlib/libipo.c userlib/print.c \
		   userlib/elf.c
$(BIN)/ipo-elf-api-test-san: $(ELF_SAN_SRCS) $(wildcard userlib/*.h) \
		selftests/tap.h
	@mkdir -p $(dir $@)
	$(SAN_CC) $(SAN_CFLAGS) -Iuserlib -o $@ $(ELF_SAN_SRCS) \
		$(LIBIPO_LDLIBS)

TEST_TARGETS	+= $(BIN)/ipo-elf-api-test-san

.PHONY: check-elf-api-san
check-elf-api-san: $(BIN)/ipo-elf-api-test-san $(ELF_PROGS)
	@scripts/run-tap.sh elf-api-san $(RESULTS) \
		$(BIN)/ipo-elf-api-test-san $(ELF_PROGS_DIR)

CHECK_HOST	+= check-elf-api-san
