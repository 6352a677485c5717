# SPDX-License-Identifier: GPL-2.0
#
# Host tests of `ipo run`'s bundle-script parser and resolver (no kernel):
# build/bin/ipo-bundle-test against the compiled progs/ and every
# progs/*.bundle.  Included from userlib/userlib.mk.  The VM test of the
# same scripts is selftests/userlib/ipo_run_test (staged by userlib.mk).

$(OBJ)/selftests/userlib/%.o: IPO_CFLAGS += -Iuserlib -Iprogs

$(BIN)/ipo-bundle-test: $(OBJ)/selftests/userlib/bundle_test.o \
		$(patsubst %.c,$(OBJ)/%.o,$(BUNDLE_SRCS)) $(LIB)/libipo.a
	@mkdir -p $(dir $@)
	$(CC) -o $@ $^ $(LIBIPO_LDLIBS)

HOST_TARGETS	+= $(BIN)/ipo-bundle-test

.PHONY: check-bundle
check-bundle: $(BIN)/ipo-bundle-test progs
	@scripts/run-tap.sh bundle $(RESULTS) $(BIN)/ipo-bundle-test \
		$(O)/progs $(BUNDLES)

CHECK_HOST	+= check-bundle
