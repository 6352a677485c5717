# SPDX-License-Identifier: GPL-2.0
#
# The one list of sources, shared by Kbuild (the module) and the Makefile
# (host libraries).  Paths are relative to the top of the tree.

# The engine: freestanding C built into both the module and libipo-engine.a.
# base/ (the ISA, the opcode table, the disassembler, the program types)
# includes nothing above it; verifier/ and exec/ (the interpreter and the
# JIT) stand side by side on base/ and never include from each other.
IPO_ENGINE_SRCS := \
	base/opcodes.c \
	base/disasm.c \
	base/progtypes.c \
	verifier/tnum.c \
	verifier/scalar.c \
	verifier/log.c \
	verifier/states.c \
	verifier/facts.c \
	verifier/prescan.c \
	verifier/loops.c \
	verifier/memory.c \
	verifier/report.c \
	verifier/calls.c \
	verifier/insn.c \
	verifier/verifier.c \
	exec/interp.c \
	exec/undo.c \
	exec/x86_64.c

# Host-only parts of the engine (libipo-engine.a, never the module): the
# hooks of compat.h, the assembler of the tests and benchmarks, and the
# JIT's mmap code memory.
IPO_ENGINE_HOST_SRCS := \
	base/compat_host.c \
	base/asm.c \
	base/host_types.c \
	exec/jit_host.c

# The module proper: kernel-only code.
IPO_KMOD_SRCS := \
	kmod/main.c \
	kmod/fd.c \
	kmod/name.c \
	kmod/registry.c \
	kmod/object.c \
	kmod/handle.c \
	kmod/invoke.c \
	kmod/undo.c \
	kmod/list.c \
	kmod/notify.c \
	kmod/prog.c \
	kmod/run.c \
	kmod/codemem.c \
	kmod/irq.c \
	kmod/user.c
