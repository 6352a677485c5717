# SPDX-License-Identifier: GPL-2.0
#
# libipo (shared, static, pkg-config) and the ipo tool.  The tool is linked
# against the static library so build/bin/ipo runs from the tree, and once
# more fully static for the test VM (build/guest/bin/ipo), which has no libc.

# libipo's core (objects, methods, handles, bundles, events, IRQ) and its
# ELF loader (elf.c, load.c), one archive: a static client that uses no
# ELF function pulls in no member that needs libbpf, libelf or zlib.
LIBIPO_CORE_SRCS := userlib/libipo.c userlib/print.c userlib/obj.c \
		   userlib/events.c userlib/irq.c
LIBIPO_ELF_SRCS	:= userlib/elf.c userlib/load.c
LIBIPO_SRCS	:= $(LIBIPO_CORE_SRCS) $(LIBIPO_ELF_SRCS)
# The bundle-script parser and value printer, shared with the host tests.
BUNDLE_SRCS	:= userlib/bundle.c userlib/btf_value.c
IPO_TOOL_SRCS	:= userlib/ipo.c userlib/cmd_obj.c userlib/cmd_verify.c userlib/cmd_ls.c \
		   userlib/cmd_run.c userlib/cmd_watch.c userlib/cmd_irq.c \
		   $(BUNDLE_SRCS)
LIBIPO_VERSION	:= 0.1.0
LIBIPO_SONAME	:= libipo.so.0

LIBIPO_OBJS	:= $(patsubst %.c,$(OBJ)/%.o,$(LIBIPO_SRCS))
IPO_TOOL_OBJS	:= $(patsubst %.c,$(OBJ)/%.o,$(IPO_TOOL_SRCS))
USERLIB_CFLAGS	:= -Iuserlib -fvisibility=hidden

$(OBJ)/userlib/%.o: IPO_CFLAGS += $(USERLIB_CFLAGS)

# Program objects are parsed with libelf and libbpf (parse only).  The
# static archives come with Debian's -dev packages, so the guest's fully
# static ipo links them too.
LIBIPO_LDLIBS	:= -lbpf -lelf -lz -pthread

$(LIB)/libipo.a: $(LIBIPO_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(LIB)/libipo.so.$(LIBIPO_VERSION): $(LIBIPO_OBJS) userlib/libipo.map
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -shared -Wl,-soname,$(LIBIPO_SONAME) \
		-Wl,--version-script=userlib/libipo.map -o $@ $(LIBIPO_OBJS) \
		$(LIBIPO_LDLIBS)
	ln -sf libipo.so.$(LIBIPO_VERSION) $(LIB)/$(LIBIPO_SONAME)
	ln -sf $(LIBIPO_SONAME) $(LIB)/libipo.so

# The headers as `make install` lays them out, in build/include, for the
# in-tree libipo.pc: a client or a program builds against the tree with
# PKG_CONFIG_PATH=build/lib/pkgconfig as against an installed libipo.
LIBIPO_HEADERS	:= $(O)/include/libipo.h $(O)/include/linux/ipo.h \
		   $(O)/include/ipo/progs/ipo.h
$(O)/include/libipo.h: userlib/libipo.h
$(O)/include/linux/ipo.h: include/uapi/linux/ipo.h
$(O)/include/ipo/progs/ipo.h: progs/ipo.h
$(LIBIPO_HEADERS):
	@mkdir -p $(dir $@)
	cp -p $< $@

# In-tree: prefix build/ (absolute), so the flags work from any directory.
# `make install` writes its own for PREFIX.
$(LIB)/pkgconfig/libipo.pc: userlib/libipo.pc.in userlib/userlib.mk \
		$(LIBIPO_HEADERS)
	@mkdir -p $(dir $@)
	$(call libipo_pc_for,$@,$(abspath $(O)),$(abspath $(LIB)),\
		$(abspath $(O))/include,$<)

$(LIB)/pkgconfig/libipo-elf.pc: userlib/libipo-elf.pc.in userlib/userlib.mk
	@mkdir -p $(dir $@)
	$(call libipo_pc_for,$@,$(abspath $(O)),$(abspath $(LIB)),\
		$(abspath $(O))/include,$<)

# `ipo --version` prints the release (VERSION).
$(OBJ)/userlib/ipo.o: IPO_CFLAGS += -DIPO_VERSION='"$(IPO_VERSION)"'
$(OBJ)/userlib/ipo.o: VERSION

$(BIN)/ipo: $(IPO_TOOL_OBJS) $(LIB)/libipo.a $(LIB)/libipo-engine.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(IPO_TOOL_OBJS) $(LIB)/libipo.a \
		$(LIB)/libipo-engine.a $(LIBIPO_LDLIBS)

$(O)/guest/bin/ipo: $(IPO_TOOL_OBJS) $(LIB)/libipo.a $(LIB)/libipo-engine.a
	@mkdir -p $(dir $@)
	$(CC) -static -o $@ $(IPO_TOOL_OBJS) $(LIB)/libipo.a \
		$(LIB)/libipo-engine.a $(LIBIPO_LDLIBS)

HOST_TARGETS	+= $(LIB)/libipo.a $(LIB)/libipo.so.$(LIBIPO_VERSION) \
		   $(LIB)/pkgconfig/libipo.pc $(LIB)/pkgconfig/libipo-elf.pc \
		   $(BIN)/ipo $(O)/guest/bin/ipo
guest: $(O)/guest/bin/ipo

# The tool's manual page, from the tool's own --help (help2man).
$(O)/man/ipo.1: $(BIN)/ipo userlib/ipo-man.sh
	@mkdir -p $(dir $@)
	userlib/ipo-man.sh $< $@

# `make install [PREFIX=/usr/local] [LIBDIR=...] [DESTDIR=...]`: libipo
# (shared, static, pkg-config), its headers, the helper header for
# restricted-C programs (INCLUDEDIR/ipo/progs/ipo.h), the tool and its
# manual page.  It builds only what it installs, and installs no
# build dependencies (`make deps`).
PREFIX		?= /usr/local
BINDIR		?= $(PREFIX)/bin
LIBDIR		?= $(PREFIX)/lib
INCLUDEDIR	?= $(PREFIX)/include
MANDIR		?= $(PREFIX)/share/man

# libipo.pc (or libipo-elf.pc) from TEMPLATE for a prefix, libdir and
# includedir: $(call libipo_pc_for,FILE,PREFIX,LIBDIR,INCLUDEDIR,TEMPLATE);
# $(call libipo_pc,FILE,TEMPLATE) for PREFIX, LIBDIR and INCLUDEDIR.
libipo_pc_for = sed -e 's|@PREFIX@|$(2)|' \
	-e 's|@LIBDIR@|$(patsubst $(2)/%,$${prefix}/%,$(3))|' \
	-e 's|@INCLUDEDIR@|$(patsubst $(2)/%,$${prefix}/%,$(4))|' \
	-e 's|@VERSION@|$(LIBIPO_VERSION)|' $(5) > $(1)
libipo_pc = $(call libipo_pc_for,$(1),$(PREFIX),$(LIBDIR),$(INCLUDEDIR),$(2))

# `make userland`: what `make install` installs, built (the Debian build).
.PHONY: userland
userland: $(LIB)/libipo.a $(LIB)/libipo.so.$(LIBIPO_VERSION) $(BIN)/ipo \
	$(O)/man/ipo.1

install: userland
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig \
		$(DESTDIR)$(INCLUDEDIR)/linux $(DESTDIR)$(INCLUDEDIR)/ipo/progs \
		$(DESTDIR)$(MANDIR)/man1
	install -m 0644 userlib/libipo.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 0644 include/uapi/linux/ipo.h $(DESTDIR)$(INCLUDEDIR)/linux/
	install -m 0644 progs/ipo.h $(DESTDIR)$(INCLUDEDIR)/ipo/progs/
	install -m 0644 $(LIB)/libipo.a $(DESTDIR)$(LIBDIR)/
	install -m 0644 $(LIB)/libipo.so.$(LIBIPO_VERSION) $(DESTDIR)$(LIBDIR)/
	ln -sf libipo.so.$(LIBIPO_VERSION) $(DESTDIR)$(LIBDIR)/$(LIBIPO_SONAME)
	ln -sf $(LIBIPO_SONAME) $(DESTDIR)$(LIBDIR)/libipo.so
	$(call libipo_pc,$(DESTDIR)$(LIBDIR)/pkgconfig/libipo.pc,userlib/libipo.pc.in)
	$(call libipo_pc,$(DESTDIR)$(LIBDIR)/pkgconfig/libipo-elf.pc,userlib/libipo-elf.pc.in)
	install -m 0755 $(BIN)/ipo $(DESTDIR)$(BINDIR)/
	install -m 0644 $(O)/man/ipo.1 $(DESTDIR)$(MANDIR)/man1/
