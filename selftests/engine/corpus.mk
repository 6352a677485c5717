# SPDX-License-Identifier: GPL-2.0
#
# Host tests of the verifier: the accept/reject corpus (plain and under
# ASan+UBSan), the libFuzzer harnesses seeded from it, and the worst cases.
#
#   make check-corpus check-corpus-san	the corpus, as TAP
#   make fuzz FUZZ_TIME=600		every fuzzer for FUZZ_TIME seconds
#   make check-fuzz-short		each fuzzer briefly, one TAP line each
#   make fuzz-seeds			regenerate the checked-in seeds
#   build/bin/ipo-worst			time and memory of the worst programs
#					(worst.h) in the host verifier

ETEST		:= selftests/engine
CORPUS_FILES	:= $(sort $(wildcard $(ETEST)/corpus/*.t))
CORPUS_ENGINE	?= both

# --- the corpus -------------------------------------------------------------

$(BIN)/ipo-corpus: $(OBJ)/$(ETEST)/corpus.o $(LIB)/libipo-engine.a
	@mkdir -p $(dir $@)
	$(CC) $(IPO_CFLAGS) -o $@ $^

$(BIN)/ipo-corpus-san: $(OBJ)/san/$(ETEST)/corpus.o $(LIB)/libipo-engine-san.a
	@mkdir -p $(dir $@)
	$(SAN_CC) $(SAN_CFLAGS) -o $@ $^

TEST_TARGETS	+= $(BIN)/ipo-corpus $(BIN)/ipo-corpus-san

.PHONY: check-corpus check-corpus-san
check-corpus: $(BIN)/ipo-corpus
	@scripts/run-tap.sh corpus $(RESULTS) \
		$(BIN)/ipo-corpus --engine $(CORPUS_ENGINE) $(CORPUS_FILES)

# Any sanitizer report aborts the runner (-fno-sanitize-recover), which
# run-tap.sh turns into a failure.
check-corpus-san: $(BIN)/ipo-corpus-san
	@scripts/run-tap.sh corpus-san $(RESULTS) \
		$(BIN)/ipo-corpus-san --engine $(CORPUS_ENGINE) $(CORPUS_FILES)

CHECK_HOST	+= check-corpus check-corpus-san

# --- fuzzing ----------------------------------------------------------------
#
# Each harness NAME is $(ETEST)/fuzz_NAME.c, linked with the engine built
# for coverage; its seeds are $(ETEST)/fuzz-seeds/NAME/, its working corpus
# and any crash files go to build/fuzz/ (never into the source tree).

FUZZERS		:= verifier elf bundle
FUZZ_TIME	?= 600
FUZZ_SHORT	?= 20
FUZZ_DIR	:= $(O)/fuzz
FUZZ_CFLAGS	:= $(SAN_CFLAGS) -fsanitize=fuzzer-no-link
FUZZ_FLAGS	= -artifact_prefix=$(FUZZ_DIR)/$*- -print_final_stats=1 \
		  -max_len=$(or $(FUZZ_MAX_LEN_$*),8192) -timeout=10 \
		  -rss_limit_mb=2048
# Inputs longer than 8 KiB where the seeds are (the example ELF files).
FUZZ_MAX_LEN_elf := 32768

$(OBJ)/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(SAN_CC) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

FUZZ_ENGINE_OBJS := $(patsubst %.c,$(OBJ)/fuzz/%.o,$(IPO_ENGINE_SRCS) \
		    $(IPO_ENGINE_HOST_SRCS))

$(BIN)/ipo-fuzz-%: $(OBJ)/fuzz/$(ETEST)/fuzz_%.o $(FUZZ_ENGINE_OBJS)
	@mkdir -p $(dir $@)
	$(SAN_CC) $(SAN_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(FUZZ_LDLIBS)

# The ELF loader and bundle-script harnesses take libipo (and the bundle
# parser) built for coverage; libelf and libbpf are linked as they are.
FUZZ_USERLIB_OBJS := $(patsubst %.c,$(OBJ)/fuzz/%.o,$(LIBIPO_SRCS) \
		     $(BUNDLE_SRCS))
$(OBJ)/fuzz/userlib/%.o $(OBJ)/fuzz/$(ETEST)/fuzz_elf.o \
$(OBJ)/fuzz/$(ETEST)/fuzz_bundle.o: FUZZ_CFLAGS += -Iuserlib
$(BIN)/ipo-fuzz-elf $(BIN)/ipo-fuzz-bundle: $(FUZZ_USERLIB_OBJS)
$(BIN)/ipo-fuzz-elf $(BIN)/ipo-fuzz-bundle: FUZZ_LDLIBS := $(LIBIPO_LDLIBS)
# The bundle harness resolves scripts against the example programs.
fuzz-bundle check-fuzz-short: progs

FUZZ_BINS	:= $(addprefix $(BIN)/ipo-fuzz-,$(FUZZERS))
FUZZ_TARGETS	+= $(FUZZ_BINS)

# `make fuzz` installs what the fuzzers need (clang's runtimes: deps)
# before it builds them.
.PHONY: fuzz fuzz-seeds check-fuzz-short $(addprefix fuzz-,$(FUZZERS))
fuzz: deps
	@$(SUBMAKE) $(addprefix fuzz-,$(FUZZERS))

$(addprefix fuzz-,$(FUZZERS)): fuzz-%: $(BIN)/ipo-fuzz-%
	@mkdir -p $(FUZZ_DIR)/$*-corpus
	$(BIN)/ipo-fuzz-$* $(FUZZ_FLAGS) -max_total_time=$(FUZZ_TIME) \
		$(FUZZ_DIR)/$*-corpus $(ETEST)/fuzz-seeds/$*

check-fuzz-short: $(FUZZ_BINS)
	@FUZZ_MAX_LEN_elf=$(FUZZ_MAX_LEN_elf) scripts/run-tap.sh fuzz-short \
		$(RESULTS) sh $(ETEST)/fuzz-short.sh $(FUZZ_SHORT) $(FUZZ_DIR) \
		$(ETEST)/fuzz-seeds $(FUZZERS)

CHECK_HOST	+= check-fuzz-short

# Seeds: the corpus' accepted programs and the conformance programs; the
# example and loader-test ELF files; the example bundle scripts.
fuzz-seeds: $(BIN)/ipo-corpus $(PROGS_OBJS) $(ELF_PROGS)
	rm -rf $(ETEST)/fuzz-seeds/elf $(ETEST)/fuzz-seeds/bundle
	mkdir -p $(ETEST)/fuzz-seeds/elf $(ETEST)/fuzz-seeds/bundle
	cp $(PROGS_OBJS) $(ELF_PROGS) $(ETEST)/fuzz-seeds/elf/
	cp $(BUNDLES) $(ETEST)/fuzz-seeds/bundle/
	rm -rf $(ETEST)/fuzz-seeds/verifier && \
		mkdir -p $(ETEST)/fuzz-seeds/verifier
	$(BIN)/ipo-corpus --no-generated \
		--emit-seeds $(ETEST)/fuzz-seeds/verifier $(CORPUS_FILES) \
		> /dev/null || true
	python3 $(ETEST)/conformance-seeds.py \
		$(if $(IPO_CONFORMANCE_DIR),$(IPO_CONFORMANCE_DIR),../shared/conformance) \
		$(ETEST)/fuzz-seeds/verifier

# --- worst cases ------------------------------------------------------------

$(BIN)/ipo-worst: $(OBJ)/$(ETEST)/worst.o $(LIB)/libipo-engine.a
	@mkdir -p $(dir $@)
	$(CC) $(IPO_CFLAGS) -o $@ $^

BENCH_TARGETS	+= $(BIN)/ipo-worst
