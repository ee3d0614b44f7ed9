# Guest memory and boot images (vmm/memory.c, vmm/boot*.c). The boot tests
# link every boot object the configuration builds; a loader configured out
# is replaced by the -ENOSYS stubs of vmm/boot.h. tests/unit/boot-test.c
# holds their shared helpers (error capture, image builders).
boot-test-objs-y		:= tests/unit/boot-test.o tests/unit/boot-mem-test.o \
				   vmm/boot.o \
				   vmm/boot-fw.o vmm/memory.o lib/log.o \
				   lib/util.o
boot-test-objs-$(CONFIG_BOOT_BZIMAGE)	+= vmm/boot-bzimage.o
boot-test-objs-$(CONFIG_BOOT_PVH)	+= vmm/boot-pvh.o
boot-test-libs			:= -lelf -lcrypto
boot-test-ldflags		:= -Wl,--wrap=pr_log

unit-tests-$(CONFIG_KVM)	+= test_memory
test_memory-objs		:= tests/unit/test_memory.o \
				   tests/unit/boot-test.o vmm/memory.o \
				   lib/log.o lib/util.o
test_memory-libs		:= -lcrypto
test_memory-ldflags		:= -Wl,--wrap=ioctl -Wl,--wrap=pr_log

unit-tests-$(CONFIG_KVM)	+= test_boot_fw
test_boot_fw-objs		:= tests/unit/test_boot_fw.o $(boot-test-objs-y)
test_boot_fw-libs		:= $(boot-test-libs)
test_boot_fw-ldflags		:= $(boot-test-ldflags)

unit-tests-$(CONFIG_KVM)	+= test_handoff
test_handoff-objs		:= tests/unit/test_handoff.o $(boot-test-objs-y)
test_handoff-libs		:= $(boot-test-libs)
test_handoff-ldflags		:= $(boot-test-ldflags)

ifeq ($(CONFIG_KVM)$(CONFIG_BOOT_BZIMAGE),yy)
unit-tests-y			+= test_bzimage
endif
test_bzimage-objs		:= tests/unit/test_bzimage.o $(boot-test-objs-y)
test_bzimage-libs		:= $(boot-test-libs)
test_bzimage-ldflags		:= $(boot-test-ldflags)

ifeq ($(CONFIG_KVM)$(CONFIG_BOOT_PVH),yy)
unit-tests-y			+= test_pvh
endif
test_pvh-objs			:= tests/unit/test_pvh.o $(boot-test-objs-y)
test_pvh-libs			:= $(boot-test-libs)
test_pvh-ldflags		:= $(boot-test-ldflags)
