# SPDX-License-Identifier: GPL-2.0
#
# The sanitized kernel tier:
#
#   make debug-kernel	builds (once; cached under build/debug-kernel/) the
#			KASAN/kmemleak/lockdep/UBSAN kernel of
#			scripts/debug-kernel.sh and its config fragment
#			scripts/debug-kernel.config
#   make check-debug	ipo.ko and its fault build compiled against it, and
#			in one VM boot of it the kselftests, the short fault
#			sweeps, ioctl fuzz and stress of `make check`, and
#			kmemleak scans (scripts/check-debug.sh); TAP into
#			$(RESULTS)/debug.tap, then "N passed, N failed"

.PHONY: debug-kernel check-debug
debug-kernel:
	@IPO_DEPS_EXTRA=debug bash scripts/deps.sh
	@scripts/debug-kernel.sh

check-debug:
	@IPO_DEPS_EXTRA=debug bash scripts/deps.sh
	@$(SUBMAKE) guest-test
	@scripts/check-debug.sh $(RESULTS)
