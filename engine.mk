# SPDX-License-Identifier: GPL-2.0
#
# The one list of sources, shared by Kbuild (the module) and the Makefile
# (host libraries).  Paths are relative to the top of the tree.

# The engine: freestanding C built into both the module and libipo-engine.a.
IPO_ENGINE_SRCS := \
	jit/opcodes.c \
	verifier/tnum.c \
	verifier/scalar.c \
	verifier/log.c \
	verifier/verifier.c \
	verifier/progtypes.c \
	jit/interp.c \
	jit/disasm.c \
	jit/x86_64.c

# Host-only parts of the engine (libipo-engine.a, never the module): the
# JIT's mmap code memory and the hooks of compat.h.
IPO_ENGINE_HOST_SRCS := \
	jit/jit_host.c \
	verifier/compat_host.c

# The module proper: kernel-only code.
IPO_KMOD_SRCS := \
	kmod/main.c \
	kmod/fd.c \
	kmod/name.c \
	kmod/registry.c \
	kmod/object.c \
	kmod/handle.c \
	kmod/invoke.c \
	kmod/list.c \
	kmod/notify.c \
	kmod/prog.c \
	kmod/run.c \
	kmod/codemem.c \
	kmod/irq.c \
	kmod/user.c
