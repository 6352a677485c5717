# SPDX-License-Identifier: GPL-2.0
#
# Host tests of the executors (exec/: interpreter and JIT) and of the
# disassembler: the bpf_conformance plugin and its tiers, on the
# interpreter and on both engines compared, and the interpreter's unit
# tests.  The engine sources themselves are listed in engine.mk.

CONF_DIR	?= $(if $(IPO_CONFORMANCE_DIR),$(IPO_CONFORMANCE_DIR),../shared/conformance)
CONF_RUNNER	:= selftests/engine/run-conformance.py

# Every program is verified before it runs: the plugin links the whole
# engine library.
$(BIN)/ipo-conformance: $(OBJ)/selftests/engine/conformance.o \
		$(LIB)/libipo-engine.a
	@mkdir -p $(dir $@)
	$(CC) $(IPO_CFLAGS) -o $@ $^

$(BIN)/ipo-conformance-san: $(OBJ)/san/selftests/engine/conformance.o \
		$(LIB)/libipo-engine-san.a
	@mkdir -p $(dir $@)
	$(SAN_CC) $(SAN_CFLAGS) -o $@ $^

TEST_TARGETS	+= $(BIN)/ipo-conformance $(BIN)/ipo-conformance-san

# Unit tests of the interpreter and the disassembler (no verifier needed).
$(BIN)/ipo-interp-test: $(OBJ)/selftests/engine/interp_test.o \
		$(LIB)/libipo-engine.a
	@mkdir -p $(dir $@)
	$(CC) $(IPO_CFLAGS) -o $@ $^

$(BIN)/ipo-interp-test-san: $(OBJ)/san/selftests/engine/interp_test.o \
		$(LIB)/libipo-engine-san.a
	@mkdir -p $(dir $@)
	$(SAN_CC) $(SAN_CFLAGS) -o $@ $^

TEST_TARGETS	+= $(BIN)/ipo-interp-test $(BIN)/ipo-interp-test-san

.PHONY: check-interp-unit check-interp-unit-san
check-interp-unit: $(BIN)/ipo-interp-test
	@scripts/run-tap.sh interp-unit $(RESULTS) $(BIN)/ipo-interp-test

check-interp-unit-san: $(BIN)/ipo-interp-test-san
	@scripts/run-tap.sh interp-unit-san $(RESULTS) $(BIN)/ipo-interp-test-san

CHECK_HOST	+= check-interp-unit check-interp-unit-san

# The undo log as a property: random methods on both engines, rolled back
# and committed (exec/undo.h).
$(BIN)/ipo-undo-test: $(OBJ)/selftests/engine/undo_test.o \
		$(LIB)/libipo-engine.a
	@mkdir -p $(dir $@)
	$(CC) $(IPO_CFLAGS) -o $@ $^

$(BIN)/ipo-undo-test-san: $(OBJ)/san/selftests/engine/undo_test.o \
		$(LIB)/libipo-engine-san.a
	@mkdir -p $(dir $@)
	$(SAN_CC) $(SAN_CFLAGS) -o $@ $^

TEST_TARGETS	+= $(BIN)/ipo-undo-test $(BIN)/ipo-undo-test-san

.PHONY: check-undo check-undo-san
check-undo: $(BIN)/ipo-undo-test
	@scripts/run-tap.sh undo $(RESULTS) $(BIN)/ipo-undo-test

check-undo-san: $(BIN)/ipo-undo-test-san
	@scripts/run-tap.sh undo-san $(RESULTS) $(BIN)/ipo-undo-test-san

CHECK_HOST	+= check-undo check-undo-san

.PHONY: check-conformance-interp check-conformance-interp-san
check-conformance-interp: $(BIN)/ipo-conformance
	@IPO_CONFORMANCE_DIR=$(CONF_DIR) scripts/run-tap.sh \
		conformance-interp $(RESULTS) \
		python3 $(CONF_RUNNER) $(BIN)/ipo-conformance --engine interp

# The same cases under ASan+UBSan: a sanitizer report fails the case.
check-conformance-interp-san: $(BIN)/ipo-conformance-san
	@IPO_CONFORMANCE_DIR=$(CONF_DIR) scripts/run-tap.sh \
		conformance-interp-san $(RESULTS) \
		python3 $(CONF_RUNNER) $(BIN)/ipo-conformance-san --engine interp

CHECK_HOST	+= check-conformance-interp check-conformance-interp-san

# The same cases on the JIT, and on both engines with r0, abort, abort pc,
# fuel and memory compared (--engine both).
.PHONY: check-conformance-jit check-conformance-jit-san
check-conformance-jit: $(BIN)/ipo-conformance
	@IPO_CONFORMANCE_DIR=$(CONF_DIR) scripts/run-tap.sh \
		conformance-jit $(RESULTS) \
		python3 $(CONF_RUNNER) $(BIN)/ipo-conformance --engine both

check-conformance-jit-san: $(BIN)/ipo-conformance-san
	@IPO_CONFORMANCE_DIR=$(CONF_DIR) scripts/run-tap.sh \
		conformance-jit-san $(RESULTS) \
		python3 $(CONF_RUNNER) $(BIN)/ipo-conformance-san --engine both

CHECK_HOST	+= check-conformance-jit check-conformance-jit-san

# The conformance runner's own test: a plugin that crashes, aborts or
# reports a sanitizer finding on an expected-error case fails the case;
# only the verifier's rejection passes it.
.PHONY: check-conformance-runner
check-conformance-runner: $(BIN)/ipo-conformance $(BIN)/ipo-conformance-san
	@scripts/run-tap.sh conformance-runner $(RESULTS) \
		sh selftests/engine/conformance-runner-test.sh \
		$(BIN)/ipo-conformance $(BIN)/ipo-conformance-san

CHECK_HOST	+= check-conformance-runner
