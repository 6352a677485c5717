# SPDX-License-Identifier: GPL-2.0
#
# The sanitized kernel tier:
#
#   make debug-kernel	builds (once; cached under build/debug-kernel/) the
#			KASAN/kmemleak/lockdep/UBSAN kernel of
#			scripts/debug-kernel.sh and its config fragment
#			scripts/debug-kernel.config

.PHONY: debug-kernel
debug-kernel:
	@IPO_DEPS_EXTRA=debug bash scripts/deps.sh
	@scripts/debug-kernel.sh
