# SPDX-License-Identifier: GPL-2.0
#
# Debian packages.  `make deb` builds ipo-dkms, libipo0, libipo-dev and ipo
# (with their -dbgsym) and the source package (3.0 native) with
# dpkg-buildpackage, from a copy of the tree in build/deb/ipo-VERSION/, so
# what it writes beside the tree lands in build/deb/.  `make check-deb`
# builds them, then tests them (debian/check-deb.sh): lintian, and the
# packages unpacked into a throwaway root, used from there.

DEB_DIR		:= $(O)/deb
DEB_SRC		:= $(DEB_DIR)/ipo-$(IPO_VERSION)

.PHONY: deb check-deb

# The copy: what git tracks plus new files it does not ignore, or, outside
# a git checkout, everything but build/.
deb:
	@IPO_DEPS_EXTRA=deb bash scripts/deps.sh
	@v=$$(dpkg-parsechangelog -S Version); [ "$$v" = "$(IPO_VERSION)" ] || \
		{ echo "debian/changelog is at $$v, VERSION at $(IPO_VERSION)"; exit 1; }
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_SRC)
	{ git ls-files -co --exclude-standard 2>/dev/null || \
	  find . -path ./build -prune -o -path ./.git -prune -o -type f -print; } | \
		while read -r f; do [ -e "$$f" ] && echo "$$f"; done | \
		tar -cf - -T - | tar -xf - -C $(DEB_SRC)
	cd $(DEB_SRC) && dpkg-buildpackage -us -uc -jauto
	@ls $(DEB_DIR)/*.deb

check-deb: deb
	@scripts/run-tap.sh deb $(RESULTS) debian/check-deb.sh $(DEB_DIR)
