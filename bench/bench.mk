# SPDX-License-Identifier: GPL-2.0
#
# The engine's benchmarks, on the host:
#
#   build/bin/ipo-engine-bench	verification and JIT compile ns/insn by
#				program size
#   build/bin/ipo-jit-bench	run time: interpreter vs JIT vs gcc -O2
#   make bench-jit		the same with DPDK's eBPF JIT as a fourth
#				column (ipo-jit-bench-dpdk), then JIT compile
#				ns/insn (ipo-engine-bench).  Installs
#				libdpdk-dev first; never part of `make check`.

$(BIN)/ipo-engine-bench: $(OBJ)/bench/engine_bench.o \
		$(LIB)/libipo-engine.a
	@mkdir -p $(dir $@)
	$(CC) $(IPO_CFLAGS) -o $@ $^

BENCH_TARGETS	+= $(BIN)/ipo-engine-bench

$(BIN)/ipo-jit-bench: $(OBJ)/bench/jit_bench.o \
		$(LIB)/libipo-engine.a
	@mkdir -p $(dir $@)
	$(CC) $(IPO_CFLAGS) -o $@ $^

BENCH_TARGETS	+= $(BIN)/ipo-jit-bench

# Only bench/dpdk.c sees DPDK's flags (they carry -march=corei7): the
# programs and the gcc -O2 baselines are built as in ipo-jit-bench.
DPDK_CFLAGS	= $(shell pkg-config --cflags libdpdk)
DPDK_LIBS	= $(shell pkg-config --libs-only-L libdpdk) -lrte_bpf -lrte_eal

$(OBJ)/bench/jit_bench-dpdk.o: bench/jit_bench.c
	@mkdir -p $(dir $@)
	$(CC) $(IPO_CFLAGS) -DIPO_BENCH_DPDK -MMD -MP -c -o $@ $<

$(OBJ)/bench/dpdk.o: bench/dpdk.c bench/dpdk.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wall $(DPDK_CFLAGS) -c -o $@ $<

$(BIN)/ipo-jit-bench-dpdk: $(OBJ)/bench/jit_bench-dpdk.o $(OBJ)/bench/dpdk.o \
		$(LIB)/libipo-engine.a
	@mkdir -p $(dir $@)
	$(CC) $(IPO_CFLAGS) -o $@ $^ $(DPDK_LIBS)

BENCH_JIT_FLAGS		?= --runs 200
BENCH_ENGINE_FLAGS	?=

.PHONY: bench-jit deps-dpdk
deps-dpdk:
	@IPO_DEPS_EXTRA=dpdk bash scripts/deps.sh

# The build of the DPDK binary needs the package, hence the recursion.
bench-jit: deps-dpdk
	@$(SUBMAKE) $(BIN)/ipo-engine-bench $(BIN)/ipo-jit-bench-dpdk
	-$(BIN)/ipo-jit-bench-dpdk $(BENCH_JIT_FLAGS)
	$(BIN)/ipo-engine-bench $(BENCH_ENGINE_FLAGS)

# ipo against Unix sockets, pipes, eventfd, futexes and the kernel's eBPF,
# in the VM (bench/ipo_bench/; static, staged as /ipo/bench/ipo_bench):
#
#   make bench		runs it (BENCH_SECONDS per mechanism, default 3),
#			then prints the table and writes build/bench/
#			results.json, table.md and latency.png (bench/bench.py;
#			installs gnuplot-nox first; never part of `make check`)
#   make bench BENCH_ONLY=null_ioctl,ipo_invoke_jit	a subset
#   make bench-icount	the same counting instructions (below)
#   make bench-trace BENCH_ONLY=NAME	one request of NAME, instruction
#			by instruction (below)
#
# `make check` runs `ipo_bench --smoke` in the VM (selftests/bench_test):
# every mechanism a few times, each total checked, no timings.
IPO_BENCH_SRCS	:= $(wildcard bench/ipo_bench/*.c)

$(O)/guest/bench/ipo_bench: $(IPO_BENCH_SRCS) $(wildcard bench/ipo_bench/*.h) \
		selftests/tap.h $(LIB)/libipo.a $(LIB)/libipo-engine.a \
		progs/counter.h progs/widgets.h progs/ratelimit.h \
		include/uapi/linux/ipo.h
	@mkdir -p $(dir $@)
	$(CC) $(IPO_CFLAGS) -Iuserlib -Iprogs -D_GNU_SOURCE -static -pthread \
		-o $@ $(IPO_BENCH_SRCS) $(LIB)/libipo.a $(LIB)/libipo-engine.a \
		$(LIBIPO_LDLIBS)

$(O)/guest/selftests/bench_test: bench/smoke_test.sh
	@mkdir -p $(dir $@)
	install -m 0755 $< $@

# The smoke test is part of the VM tiers.
BENCH_TARGETS	+= $(O)/guest/bench/ipo_bench
guest-test: $(O)/guest/bench/ipo_bench $(O)/guest/selftests/bench_test

BENCH_SECONDS	?= 3
BENCH_ONLY	?=
BENCH_OUT	?= $(O)/bench

.PHONY: bench deps-bench
deps-bench:
	@IPO_DEPS_EXTRA=bench bash scripts/deps.sh

bench: deps-bench
	@$(SUBMAKE) all $(O)/guest/bench/ipo_bench
	python3 bench/bench.py --out $(BENCH_OUT) --seconds $(BENCH_SECONDS) \
		$(if $(BENCH_ONLY),--only $(BENCH_ONLY))

# The same benchmark counting instructions: one vCPU under QEMU's
# -icount shift=0,sleep=off, where the guest clock advances 1 ns per guest
# instruction, so every figure repeats exactly run to run.  Writes
# build/bench/icount.json, icount.md and icount-vm.log beside the timed
# results and prints the table with the instruction-count targets, each
# met or not met.  BENCH_ICOUNT_SECONDS is guest time: 0.05 s is 50
# million instructions per mechanism.
BENCH_ICOUNT_SECONDS	?= 0.05

.PHONY: bench-icount
bench-icount: deps
	@$(SUBMAKE) all $(O)/guest/bench/ipo_bench
	python3 bench/bench.py --icount --out $(BENCH_OUT) \
		--seconds $(BENCH_ICOUNT_SECONDS) \
		$(if $(BENCH_ONLY),--only $(BENCH_ONLY))

# One request instruction by instruction: the VM on one vCPU with QEMU's
# gdb stub, gdb single-stepping one syscall of the mechanism from the
# syscall entry (BENCH_TRACE_FROM: a module function instead) back to user
# space; prints its instructions per function and per source line of the
# module, and writes the annotated listing to build/bench/trace-NAME.txt
# (bench/trace.py; installs gdb first; never part of `make check`).
#   make bench-trace BENCH_ONLY=ipo_invoke_jit
BENCH_TRACE_FROM	?=

.PHONY: bench-trace
bench-trace: deps-bench
	@test -n "$(BENCH_ONLY)" || { echo "bench-trace: BENCH_ONLY=<one mechanism>" >&2; exit 2; }
	@$(SUBMAKE) all $(O)/guest/bench/ipo_bench
	python3 bench/trace.py --only $(BENCH_ONLY) --out $(BENCH_OUT) \
		$(if $(BENCH_TRACE_FROM),--from $(BENCH_TRACE_FROM))

# Interrupts per second on a QEMU edu device: the ipo IRQ hook against
# Debian's uio_pci_generic with a userspace acknowledge loop, in one VM
# boot (static, staged as /ipo/bench/irq_bench; not part of `make check`).
$(O)/guest/bench/irq_bench: bench/irq_bench.c progs/edu_irq.h \
		$(LIB)/libipo.a $(LIB)/libipo-engine.a
	@mkdir -p $(dir $@)
	$(CC) $(IPO_CFLAGS) -Iuserlib -Iprogs -D_GNU_SOURCE -static -pthread \
		-o $@ $< $(LIB)/libipo.a $(LIB)/libipo-engine.a $(LIBIPO_LDLIBS)

BENCH_TARGETS	+= $(O)/guest/bench/irq_bench

BENCH_IRQ_FLAGS	?=

.PHONY: bench-irq
bench-irq: deps
	@$(SUBMAKE) all $(O)/guest/bench/irq_bench
	$(VM) --edu 1 --kmod uio_pci_generic --timeout $(VM_TIMEOUT) \
		--cmd 'insmod /ipo/ipo.ko' --cmd 'modprobe uio_pci_generic' \
		--cmd '/ipo/bench/irq_bench $(BENCH_IRQ_FLAGS)'
