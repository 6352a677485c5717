# SPDX-License-Identifier: GPL-2.0
#
# Host tests of the programs of progs/ (build/bin/ipo-progs-test, plain and
# under ASan+UBSan): every method verified as a METHOD program and run on
# the interpreter and the JIT, which must agree (selftests/progs/).

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
		selftests/tap.h $(LIBIPO_SRCS) $(wildcard userlib/*.h) \
		$(LIB)/libipo-engine-san.a
	@mkdir -p $(dir $@)
	$(SAN_CC) $(SAN_CFLAGS) -Iuserlib -Iprogs -o $@ $(PTEST_SRCS) \
		$(LIBIPO_SRCS) $(LIB)/libipo-engine-san.a $(LIBIPO_LDLIBS)

TEST_TARGETS	+= $(BIN)/ipo-progs-test $(BIN)/ipo-progs-test-san

.PHONY: check-progs check-progs-san
check-progs: $(BIN)/ipo-progs-test $(PROGS_OBJS)
	@scripts/run-tap.sh progs $(RESULTS) $(BIN)/ipo-progs-test $(PROGS_DIR)

check-progs-san: $(BIN)/ipo-progs-test-san $(PROGS_OBJS)
	@scripts/run-tap.sh progs-san $(RESULTS) \
		$(BIN)/ipo-progs-test-san $(PROGS_DIR)

CHECK_HOST	+= check-progs check-progs-san
