# SPDX-License-Identifier: GPL-2.0
#
# Tests of libipo and the tool (selftests/userlib/): on the host, `ipo
# run`'s bundle-script parser and resolver (no kernel): build/bin/
# ipo-bundle-test against the compiled progs/ (and selftests/userlib/
# progs/, argument shapes of its own) and every progs/*.bundle; in
# the VM, the same scripts run by the static tool (ipo_run_test), the IRQ
# verbs (ipo_irq_test), and libipo under concurrency and its change
# handlers (mailbox_test, events_test).  selftests/kernel/run.sh runs every
# executable *_test in /ipo/selftests/.

$(OBJ)/selftests/userlib/%.o: IPO_CFLAGS += -Iuserlib -Iprogs

$(BIN)/ipo-bundle-test: $(OBJ)/selftests/userlib/bundle_test.o \
		$(patsubst %.c,$(OBJ)/%.o,$(BUNDLE_SRCS)) $(LIB)/libipo.a
	@mkdir -p $(dir $@)
	$(CC) -o $@ $^ $(LIBIPO_LDLIBS)

# Argument shapes the example programs do not have (flexible array
# members), for the parser's tests: build/bundle-progs/.
BUNDLE_PROGS_DIR := $(O)/bundle-progs
BUNDLE_PROGS	:= $(patsubst selftests/userlib/progs/%.c,$(BUNDLE_PROGS_DIR)/%.o,\
		   $(wildcard selftests/userlib/progs/*.c))

$(BUNDLE_PROGS_DIR)/%.o: selftests/userlib/progs/%.c progs/ipo.h \
		include/uapi/linux/ipo.h
	@mkdir -p $(dir $@)
	$(PROGS_CLANG) $(PROGS_CFLAGS) -Iprogs -c -o $@ $<

TEST_TARGETS	+= $(BIN)/ipo-bundle-test $(BUNDLE_PROGS)

.PHONY: check-bundle
check-bundle: $(BIN)/ipo-bundle-test progs $(BUNDLE_PROGS)
	@scripts/run-tap.sh bundle $(RESULTS) $(BIN)/ipo-bundle-test \
		$(O)/progs $(BUNDLE_PROGS_DIR) $(BUNDLES)

CHECK_HOST	+= check-bundle

# Static kselftest binaries linked with libipo that selftests/kernel/run.sh
# picks up: the example programs under concurrency (mailbox_test) and
# libipo's change handlers on the widgets program (events_test).
USERLIB_VM_TESTS := mailbox_test events_test ratelimit_test

$(O)/guest/selftests/%_test: selftests/userlib/%_test.c \
		$(LIB)/libipo.a $(LIB)/libipo-engine.a | $(O)/kselftest/.stamp
	@mkdir -p $(dir $@)
	$(CC) $(IPO_CFLAGS) -Iuserlib -Iprogs -D_GNU_SOURCE \
		-I$(O)/kselftest/tools/testing/selftests -Wno-unused-function \
		-static -pthread -o $@ $< $(LIB)/libipo.a \
		$(LIB)/libipo-engine.a $(LIBIPO_LDLIBS)

guest-test: $(patsubst %,$(O)/guest/selftests/%,$(USERLIB_VM_TESTS))
GUEST_TEST_FILES += selftests/userlib/ipo_run_test:selftests/ipo_run_test \
		   selftests/userlib/ipo_irq_test:selftests/ipo_irq_test \
		   selftests/userlib/ipo_persist_test:selftests/ipo_persist_test

# A client of a persistent service that links libipo alone, with the line
# `pkg-config --static --libs libipo` gives: no libbpf, libelf or zlib, so
# the link fails if the core of libipo comes to need the ELF loader.
$(O)/guest/selftests/persist_client: selftests/userlib/persist_client.c \
		$(LIB)/libipo.a $(LIB)/pkgconfig/libipo.pc
	@mkdir -p $(dir $@)
	@libs=$$(PKG_CONFIG_PATH=$(LIB)/pkgconfig pkg-config --static \
		 --libs libipo) && case " $$libs " in \
	*" -lbpf "*|*" -lelf "*|*" -lz "*) \
		echo "libipo.pc: '$$libs' names the ELF loader's libraries" >&2; \
		exit 1;; \
	esac && echo "$(CC) ... -static -o $@ $< -L$(LIB) $$libs" && \
	$(CC) $(IPO_CFLAGS) -Iuserlib -Iprogs -static -o $@ $< -L$(LIB) $$libs

guest-test: $(O)/guest/selftests/persist_client
