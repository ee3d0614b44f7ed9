# make install / uninstall (included by the Makefile).
#
#   make install   [PREFIX=/usr/local] [DESTDIR=]
#   make uninstall [PREFIX=/usr/local] [DESTDIR=]
#
# Installs $(BINDIR)/sevm, $(BINDIR)/sevm-owner, their man pages in
# $(MANDIR)/man1 and the bundled firmware as $(FWDIR)/sevm-fw.bin (those
# the configuration builds). The man pages are generated from --help and
# --version with Debian's help2man. uninstall removes exactly those files
# (and $(FWDIR) if it is then empty).

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
FWDIR	?= $(PREFIX)/share/sevm
HELP2MAN := $(shell command -v help2man 2>/dev/null)

man-desc-sevm		:= virtual machine monitor for AMD SEV guests (KVM)
man-desc-sevm-owner	:= the guest owner's tool for AMD SEV launches

man-pages-$(CONFIG_KVM)		+= $(O)/man/sevm.1
man-pages-$(CONFIG_OWNER_TOOL)	+= $(O)/man/sevm-owner.1

# help2man runs the program's --help and --version (exit 0, stdout).
$(O)/man/%.1: $(O)/%
	$(quiet) MAN $@
	$(Q)if [ -z "$(HELP2MAN)" ]; then \
		echo "sevm: help2man is missing (Debian package help2man): run 'make deps' or 'apt-get install help2man'" >&2; \
		exit 1; fi
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HELP2MAN) --no-info --section=1 --name="$(man-desc-$*)" \
		--version-string="$(VERSION)" --output=$@ $(abspath $<)

.PHONY: man install uninstall
man: $(man-pages-y)
ifneq ($(HELP2MAN),)
all: $(man-pages-y)
endif

install-files := $(patsubst $(O)/%,$(BINDIR)/%,$(filter $(SEVM) $(OWNER),$(bins-y))) \
		 $(patsubst $(O)/man/%,$(MANDIR)/man1/%,$(man-pages-y)) \
		 $(if $(filter $(FIRMWARE_BIN),$(bins-y)),$(FWDIR)/sevm-fw.bin)

install: all man
	$(Q)for b in $(filter $(SEVM) $(OWNER),$(bins-y)); do \
		install -D -m 0755 $$b "$(DESTDIR)$(BINDIR)/$${b##*/}" || exit 1; done
	$(Q)for m in $(man-pages-y); do \
		install -D -m 0644 $$m "$(DESTDIR)$(MANDIR)/man1/$${m##*/}" || exit 1; done
	$(Q)if [ -n "$(filter $(FIRMWARE_BIN),$(bins-y))" ]; then \
		install -D -m 0644 $(FIRMWARE_BIN) "$(DESTDIR)$(FWDIR)/sevm-fw.bin"; fi
	$(Q)for f in $(install-files); do echo "  INSTALL  $(DESTDIR)$$f"; done

uninstall:
	$(Q)for f in $(install-files); do \
		if [ -e "$(DESTDIR)$$f" ] || [ -L "$(DESTDIR)$$f" ]; then \
			echo "  RM       $(DESTDIR)$$f"; rm -f "$(DESTDIR)$$f"; fi; done
	$(Q)if [ -d "$(DESTDIR)$(FWDIR)" ]; then rmdir "$(DESTDIR)$(FWDIR)" 2>/dev/null || true; fi
