# SPDX-License-Identifier: GPL-2.0-only
#
# sevm build. Non-recursive: each directory lists its objects in build.mk
# with the Kbuild idiom obj-$(CONFIG_X) += file.o.
#
#   make                build everything the configuration selects
#   make run            install missing packages, build, boot the demo VM
#   make check          install missing packages, build, run every test
#   make defconfig | olddefconfig | menuconfig
#   make fuzz           longer fuzzing runs (FUZZ_SECONDS per target)
#   make bench          launch-latency benchmark (bench/launch)
#   make check-linux    opt-in: boot a real Debian kernel (many minutes here)
#
#   V=1 shows commands, WERROR=0 turns warnings back into warnings.

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SUFFIXES:

O		:= build
PY		:= /usr/bin/python3
KCONFIG_CONFIG	?= .config
export KCONFIG_CONFIG

ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-8s %s\n'
endif

# ---------------------------------------------------------------------------
# Debian packages. `make deps` installs only what `dpkg -s` says is missing.

DEPS_BUILD := gcc make binutils libc6-dev linux-libc-dev libelf-dev libssl-dev \
	      libjson-c-dev libcmocka-dev libseccomp-dev python3 python3-kconfiglib
DEPS_CHECK := $(DEPS_BUILD) clang libclang-rt-14-dev ovmf acpica-tools \
	      pciutils qemu-system-x86 seabios grub-pc-bin
DEPS_BENCH := $(DEPS_BUILD) qemu-system-x86
DEPS_LINUX := $(DEPS_BUILD) busybox-static cpio

define install-missing
	$(Q)missing=; for p in $(sort $(1)); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "sevm: installing Debian packages:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
			--no-install-recommends $$missing >/dev/null || \
		{ echo "sevm: apt-get install failed for:$$missing" >&2; exit 1; }; \
	fi
endef

.PHONY: deps deps-check deps-bench deps-linux
deps:
	$(call install-missing,$(DEPS_BUILD))
deps-check:
	$(call install-missing,$(DEPS_CHECK))
deps-bench:
	$(call install-missing,$(DEPS_BENCH))
deps-linux:
	$(call install-missing,$(DEPS_LINUX))

# ---------------------------------------------------------------------------
# Kconfig (kconfiglib from python3-kconfiglib, run by Debian's python3).

KCONFIG_HDR := $(O)/include/generated/autoconf.h

.PHONY: defconfig olddefconfig menuconfig savedefconfig
defconfig:
	$(Q)$(PY) -m defconfig --kconfig Kconfig configs/defconfig
olddefconfig:
	$(Q)$(PY) -m olddefconfig Kconfig
menuconfig:
	$(Q)$(PY) -m menuconfig Kconfig
savedefconfig:
	$(Q)$(PY) -m savedefconfig --kconfig Kconfig --out configs/defconfig

$(KCONFIG_CONFIG): Kconfig configs/defconfig
	$(Q)if [ -f $@ ]; then $(PY) -m olddefconfig Kconfig >/dev/null; \
	else $(PY) -m defconfig --kconfig Kconfig configs/defconfig >/dev/null; fi
	$(Q)touch $@

$(KCONFIG_HDR): $(KCONFIG_CONFIG) Kconfig
	$(quiet) GEN $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(PY) -m genconfig --header-path $@ Kconfig

# The configuration is make syntax (CONFIG_X=y). Skip it for targets that
# only manage the configuration or the packages.
NOCONFIG_GOALS := deps deps-check deps-bench deps-linux defconfig olddefconfig \
		  menuconfig savedefconfig clean distclean help
ifneq ($(filter-out $(NOCONFIG_GOALS),$(or $(MAKECMDGOALS),all)),)
-include $(KCONFIG_CONFIG)
endif

# ---------------------------------------------------------------------------
# Flags

WERROR	?= 1
WARNINGS := -Wall -Wextra -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes \
	    -Wshadow -Wpointer-arith -Wcast-qual -Wundef -Wwrite-strings \
	    -Wvla -Wimplicit-fallthrough -Wno-unused-parameter \
	    -Wno-missing-field-initializers
ifeq ($(WERROR),1)
WARNINGS += -Werror
endif

ifeq ($(CONFIG_DEBUG),y)
OPT := -O0 -g3
else
OPT := -O2 -g -D_FORTIFY_SOURCE=2
endif
ifeq ($(CONFIG_SANITIZERS),y)
OPT += -fsanitize=address,undefined -fno-omit-frame-pointer
SAN_LDFLAGS := -fsanitize=address,undefined
endif

CC	?= gcc
CFLAGS	:= -std=gnu11 $(OPT) $(WARNINGS) -fstack-protector-strong -pthread \
	   -I. -I$(O)/include -include $(KCONFIG_HDR) -D_GNU_SOURCE \
	   $(EXTRA_CFLAGS)
LDFLAGS	:= -pthread $(SAN_LDFLAGS) $(EXTRA_LDFLAGS)
DEPFLAGS = -MMD -MP -MF $(@:.o=.d)

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
GITREV	:= $(shell git describe --always --dirty 2>/dev/null || echo unknown)
CFLAGS	+= -DSEVM_VERSION='"$(VERSION)"' -DSEVM_GITREV='"$(GITREV)"'

# ---------------------------------------------------------------------------
# Objects, listed per directory

lib-obj-y	:=
sev-obj-y	:=
sevm-obj-y	:=
owner-obj-y	:=
fw-obj-y	:=
unit-tests-y	:=

include lib/build.mk
include vmm/build.mk
include devices/build.mk
include devices/virtio/build.mk
include sev/build.mk
include sev/emul/build.mk
include owner/build.mk
include firmware/build.mk
include tests/unit/build.mk
include tests/fuzz/build.mk

SEVM		:= $(O)/sevm
OWNER		:= $(O)/sevm-owner
FIRMWARE_BIN	:= $(O)/firmware/sevm-fw.bin

# sevm links libcrypto and json-c statically by default: the dynamic
# loader's relocation of libcrypto alone costs ~0.5 ms of every launch
# (bench/launch). The price: an OpenSSL security update needs a rebuild.
# STATIC_LIBS=0 links them dynamically.
STATIC_LIBS	?= 1
LIBS_SECCOMP-$(CONFIG_SECCOMP) := -lseccomp
ifeq ($(STATIC_LIBS),1)
LIBS_SEVM	:= -lelf -Wl,-Bstatic -ljson-c -lcrypto $(LIBS_SECCOMP-y) \
		   -Wl,-Bdynamic
else
LIBS_SEVM	:= -lelf -ljson-c -lcrypto $(LIBS_SECCOMP-y)
endif
LIBS_SEV	:= -lcrypto

bins-$(CONFIG_KVM)		+= $(SEVM)
bins-$(CONFIG_OWNER_TOOL)	+= $(OWNER)
bins-$(CONFIG_FIRMWARE)		+= $(FIRMWARE_BIN)

.PHONY: all
all: $(bins-y)

$(O)/%.o: %.c $(KCONFIG_HDR)
	$(quiet) CC $<
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(CFLAGS_$(notdir $*)) $(DEPFLAGS) -c $< -o $@

$(SEVM): $(addprefix $(O)/,$(sevm-obj-y) $(sev-obj-y) $(lib-obj-y))
	$(quiet) LD $@
	$(Q)$(CC) $(LDFLAGS) $^ -o $@ $(LIBS_SEVM)

$(OWNER): $(addprefix $(O)/,$(owner-obj-y) $(sev-obj-y) $(lib-obj-y))
	$(quiet) LD $@
	$(Q)$(CC) $(LDFLAGS) $^ -o $@ -ljson-c $(LIBS_SEV)

# ---------------------------------------------------------------------------
# Unit tests: tests/unit/build.mk declares, for each program P,
#   unit-tests-y += P
#   P-objs := tests/unit/P.o vmm/foo.o ...    (real objects of the module)
#   P-libs := -lcrypto                        (optional)
#   P-ldflags := -Wl,--wrap=ioctl             (optional seams)

UNIT_BIN := $(addprefix $(O)/tests/unit/,$(unit-tests-y))

define unit-test-rule
$(O)/tests/unit/$(1): $$(addprefix $(O)/,$$($(1)-objs))
	$$(quiet) LD $$@
	$$(Q)$$(CC) $$(LDFLAGS) $$($(1)-ldflags) $$^ -o $$@ $$($(1)-libs) -lcmocka
endef
$(foreach t,$(unit-tests-y),$(eval $(call unit-test-rule,$(t))))

.PHONY: tests
tests: all $(UNIT_BIN) $(FUZZ_BIN)

# ---------------------------------------------------------------------------
# Top-level workflows

.PHONY: check run fuzz bench check-linux
check: deps-check
	$(Q)$(MAKE) --no-print-directory tests
	$(Q)O=$(O) tests/run

run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(SEVM) --firmware $(FIRMWARE_BIN) --memory 256M --boot-trace

fuzz: deps-check
	$(Q)$(MAKE) --no-print-directory tests
	$(Q)O=$(O) FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60) tests/fuzz/run

bench: deps-bench
	$(Q)$(MAKE) --no-print-directory all
	$(Q)O=$(O) bench/launch

# bench/virtio-blk: the virtio-blk device code against raw preadv (no KVM).
BENCH_VBLK	:= $(O)/bench/virtio-blk
BENCH_VBLK_OBJS	:= bench/virtio-blk.o devices/virtio/blk.o \
		   devices/virtio/virtio.o devices/virtio/virtqueue.o \
		   vmm/dma.o tests/unit/virtio-drv.o tests/unit/vq-drv.o \
		   lib/log.o lib/util.o
$(BENCH_VBLK): $(addprefix $(O)/,$(BENCH_VBLK_OBJS))
	$(quiet) LD $@
	$(Q)$(CC) $(LDFLAGS) $^ -o $@ -lcrypto

.PHONY: bench-virtio-blk
bench-virtio-blk: deps
	$(Q)$(MAKE) --no-print-directory $(BENCH_VBLK)
	$(Q)O=$(O) bench/virtio-blk

check-linux: deps-linux
	$(Q)$(MAKE) --no-print-directory all
	$(Q)O=$(O) tests/linux/run

.PHONY: clean distclean
clean:
	$(Q)rm -rf $(O)
distclean: clean
	$(Q)rm -f $(KCONFIG_CONFIG) $(KCONFIG_CONFIG).old

-include $(shell find $(O) -name '*.d' 2>/dev/null)
