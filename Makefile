# SPDX-License-Identifier: GPL-2.0-only
#
# sevm build. Non-recursive: each directory lists its objects in build.mk
# with the Kbuild idiom obj-$(CONFIG_X) += file.o.
#
#   make                build everything the configuration selects
#   make run            install missing packages, build, boot the demo VM
#   make check          install missing packages, build, run every test
#   make defconfig | olddefconfig | menuconfig
#   make fuzz           longer fuzzing runs (FUZZ_RUNS, default 10^6, per target)
#   make bench          launch-latency benchmark (bench/launch)
#   make check-linux    opt-in: boot a real Debian kernel (many minutes here)
#   make install        PREFIX (/usr/local), DESTDIR; make uninstall (install.mk)
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
	      libjson-c-dev libcmocka-dev libseccomp-dev python3 python3-kconfiglib help2man
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

# A new configuration starts from DEFCONFIG (check-san: configs/sanitizers).
DEFCONFIG ?= configs/defconfig
$(KCONFIG_CONFIG): Kconfig $(DEFCONFIG)
	$(Q)mkdir -p $(dir $@)
	$(Q)if [ -f $@ ]; then $(PY) -m olddefconfig Kconfig >/dev/null; \
	else $(PY) -m defconfig --kconfig Kconfig $(DEFCONFIG) >/dev/null; fi
	$(Q)touch $@

$(KCONFIG_HDR): $(KCONFIG_CONFIG) Kconfig
	$(quiet) GEN $@
	$(Q)mkdir -p $(dir $@)
	$(Q)$(PY) -m genconfig --header-path $@ Kconfig

# The configuration is make syntax (CONFIG_X=y). Skip it for targets that
# only manage the configuration or the packages.
NOCONFIG_GOALS := deps deps-check deps-bench deps-linux defconfig olddefconfig \
		  menuconfig savedefconfig clean distclean help
# Goals that install their packages first (then build in a sub-make) or
# need none; every other goal builds and needs the build dependencies.
DEPS_GOALS := check run fuzz bench check-linux bench-virtio-blk uninstall \
	      check-san
BUILD_GOALS := $(filter-out $(NOCONFIG_GOALS) $(DEPS_GOALS),$(or $(MAKECMDGOALS),all))
ifneq ($(BUILD_GOALS),)
# A build without them stops here with one line naming the packages and
# the command that installs them (scripts/build-deps), never exits 0
# having built nothing. Checked once per build directory.
DEPS_FOR := $(if $(filter tests,$(BUILD_GOALS)),tests,all)
ifeq ($(wildcard $(O)/.build-deps-ok-$(DEPS_FOR)),)
DEPS_MISSING := $(shell scripts/build-deps "$(or $(filter-out cc,$(CC)),gcc)" \
		  "$(PY)" $(DEPS_FOR))
ifneq ($(DEPS_MISSING),)
$(error $(DEPS_MISSING))
endif
$(shell mkdir -p $(O) && touch $(O)/.build-deps-ok-$(DEPS_FOR))
endif
# A configuration that cannot be generated is an error, not an empty one.
include $(KCONFIG_CONFIG)
else ifneq ($(filter-out $(NOCONFIG_GOALS),$(or $(MAKECMDGOALS),all)),)
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
OPT += -fsanitize=address,undefined -fno-omit-frame-pointer \
       -fno-sanitize-recover=undefined
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
# libelf and its libz are static too: two shared objects fewer for the
# dynamic loader to map and bind. Relative relocations are packed (RELR,
# glibc >= 2.36) where the linker can: the static libcrypto brings ~17 000.
STATIC_LIBS	?= 1
LIBS_SECCOMP-$(CONFIG_SECCOMP) := -lseccomp
ifeq ($(STATIC_LIBS),1)
LIBS_SEVM	:= -Wl,-Bstatic -lelf -lz -ljson-c -lcrypto $(LIBS_SECCOMP-y) \
		   -Wl,-Bdynamic
else
LIBS_SEVM	:= -lelf -ljson-c -lcrypto $(LIBS_SECCOMP-y)
endif
LDFLAGS_RELR	= $(shell printf 'int main(void){return 0;}' | \
		    $(CC) -x c - -Wl,-z,pack-relative-relocs -o /dev/null \
		    2>/dev/null && echo -Wl,-z,pack-relative-relocs)
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
	$(Q)$(CC) $(LDFLAGS) $(LDFLAGS_RELR) $^ -o $@ $(LIBS_SEVM)

$(OWNER): $(addprefix $(O)/,$(owner-obj-y) $(sev-obj-y) $(lib-obj-y))
	$(quiet) LD $@
	$(Q)$(CC) $(LDFLAGS) $^ -o $@ -ljson-c $(LIBS_SEV)

include install.mk

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

.PHONY: tests tests-unit
tests: all $(UNIT_BIN) $(FUZZ_BIN)
tests-unit: all $(UNIT_BIN)

# ---------------------------------------------------------------------------
# Top-level workflows

.PHONY: check run fuzz bench check-linux check-san
check: deps-check
	$(Q)$(MAKE) --no-print-directory tests
	$(Q)O=$(O) tests/run; r=$$?; \
	if [ "$(SAN)" != 0 ] && [ "$(CONFIG_SANITIZERS)" != y ]; then \
		$(MAKE) --no-print-directory check-san || r=1; fi; exit $$r

# The unit tests and the integration tests that run sevm (SAN_TESTS),
# built with AddressSanitizer and UBSan (configs/sanitizers) in $(SAN_O).
# Any report fails the test. `make check` runs it after the plain run
# (SAN=0 skips it); the firmware and the fuzz targets are not part of it.
SAN_O		?= $(O)-san
SAN_TESTS	?= unit/ integration/vm integration/qmp integration/serial \
		   integration/metrics integration/virtio integration/cli \
		   integration/firmware
check-san: deps-check
	$(Q)$(MAKE) --no-print-directory O=$(SAN_O) \
		KCONFIG_CONFIG=$(SAN_O)/.config DEFCONFIG=configs/sanitizers \
		tests-unit
	$(Q)echo "== under AddressSanitizer + UBSan ($(SAN_O)):"
	$(Q)O=$(SAN_O) \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99$(if $(ASAN_OPTIONS),:$(ASAN_OPTIONS)) \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=98 \
		tests/run $(SAN_TESTS)

run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(SEVM) --firmware $(FIRMWARE_BIN) --memory 256M --boot-trace

fuzz: deps-check
	$(Q)$(MAKE) --no-print-directory tests
	$(Q)O=$(O) FUZZ_RUNS=$(FUZZ_RUNS) FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run

bench: deps-bench
	$(Q)$(MAKE) --no-print-directory all
	$(Q)O=$(O) bench/launch

# bench/virtio-blk: the virtio-blk device code against raw preadv (no KVM).
BENCH_VBLK	:= $(O)/bench/virtio-blk
BENCH_VBLK_OBJS	:= bench/virtio-blk.o devices/virtio/blk.o \
		   devices/virtio/virtio.o devices/virtio/virtqueue.o \
		   vmm/dma.o tests/unit/virtio-drv.o tests/unit/vq-drv.o \
		   devices/virtio/iommu.o devices/virtio/iommu-map.o \
		   lib/log.o lib/util.o vmm/metrics.o
$(BENCH_VBLK): $(addprefix $(O)/,$(BENCH_VBLK_OBJS))
	$(quiet) LD $@
	$(Q)$(CC) $(LDFLAGS) $^ -o $@ -lcrypto -lpthread

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
