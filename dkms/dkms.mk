# SPDX-License-Identifier: GPL-2.0
#
# DKMS: the module's source tree in /usr/src/ipo-VERSION with its dkms.conf,
# from which DKMS builds kmod/ipo.ko for each installed kernel (the ipo-dkms
# package ships the same tree, made by the same target).
#
#   make dkms-src [DESTDIR=D]        installs the source tree only
#   make dkms-install [DKMS_KVER=K]  the source tree, then dkms add, build
#                                    and install for kernel K (default: the
#                                    running one)
#   make dkms-remove                 dkms remove --all, and the source tree
#   make check-dkms                  dkms/check-dkms.sh: a DKMS build for each
#                                    kernel of the matrix, in a throwaway tree
#
# DKMS_FLAGS go to every dkms command (--dkmstree, --sourcetree,
# --installtree, --no-depmod: check-dkms.sh runs these targets in a
# throwaway tree with them).

DKMS		?= dkms
DKMS_KVER	?= $(shell uname -r)
DKMS_FLAGS	?=
DKMS_SRC	:= /usr/src/ipo-$(IPO_VERSION)
DKMS_MV		:= -m ipo -v $(IPO_VERSION)
# What Kbuild compiles and nothing else: Kbuild, VERSION (the module's
# MODULE_VERSION), engine.mk, kmod/ (the
# module's own sources, kmod/fault.c included), the engine's sources from
# engine.mk's list (not its host-only ones, nor their headers), and the
# headers.
DKMS_FILES	= Kbuild VERSION engine.mk $(sort $(filter-out %.mod.c,\
		  $(wildcard kmod/*.[ch])) $(IPO_ENGINE_SRCS) \
		  $(filter-out $(IPO_ENGINE_HOST_SRCS:.c=.h),\
		  $(wildcard base/*.h verifier/*.h exec/*.h)) \
		  $(wildcard include/uapi/linux/*.h))

.PHONY: dkms-src dkms-install dkms-remove check-dkms

dkms-src:
	rm -rf $(DESTDIR)$(DKMS_SRC)
	for f in $(DKMS_FILES); do \
		install -D -m 0644 $$f $(DESTDIR)$(DKMS_SRC)/$$f || exit; \
	done
	sed 's/#MODULE_VERSION#/$(IPO_VERSION)/' dkms/dkms.conf \
		> $(DESTDIR)$(DKMS_SRC)/dkms.conf

# --force: a tree already built or installed for DKMS_KVER is rebuilt from
# the new sources.
dkms-install: dkms-src
	@IPO_DEPS_EXTRA=dkms bash scripts/deps.sh
	$(DKMS) status $(DKMS_FLAGS) $(DKMS_MV) | grep -q . || \
		$(DKMS) add $(DKMS_FLAGS) $(DKMS_MV)
	$(DKMS) build $(DKMS_FLAGS) $(DKMS_MV) -k $(DKMS_KVER) --force
	$(DKMS) install $(DKMS_FLAGS) $(DKMS_MV) -k $(DKMS_KVER) --force

dkms-remove:
	! $(DKMS) status $(DKMS_FLAGS) $(DKMS_MV) | grep -q . || \
		$(DKMS) remove $(DKMS_FLAGS) $(DKMS_MV) --all
	rm -rf $(DESTDIR)$(DKMS_SRC)

check-dkms:
	@IPO_DEPS_EXTRA=dkms bash scripts/deps.sh
	@scripts/run-tap.sh dkms $(RESULTS) dkms/check-dkms.sh
