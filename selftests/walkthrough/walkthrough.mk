# SPDX-License-Identifier: GPL-2.0
#
# The README's "Your first object", run as a reader would
# (selftests/walkthrough/walkthrough.sh): its files built against the
# tree with the in-tree libipo.pc, its client run in the test VM from a
# directory given with `scripts/vm.sh --add`.  Part of `make check`.

.PHONY: check-walkthrough
check-walkthrough: all
	@scripts/run-tap.sh walkthrough $(RESULTS) \
		sh selftests/walkthrough/walkthrough.sh README.md \
		$(O)/walkthrough
