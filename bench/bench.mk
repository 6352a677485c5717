# SPDX-License-Identifier: GPL-2.0
#
# Benchmarks kept beside the engine's (selftests/engine/engine.mk has
# ipo-engine-bench):
#
#   build/bin/ipo-jit-bench	run time: interpreter vs JIT vs gcc -O2

$(BIN)/ipo-jit-bench: $(OBJ)/bench/jit_bench.o \
		$(OBJ)/selftests/engine/asm.o \
		$(OBJ)/selftests/engine/test_types.o $(LIB)/libipo-engine.a
	@mkdir -p $(dir $@)
	$(CC) $(IPO_CFLAGS) -o $@ $^

HOST_TARGETS	+= $(BIN)/ipo-jit-bench
