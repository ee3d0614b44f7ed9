# SEV thin layer, firmware status names, kernel PSP backend, `sevm psp`.
# The kernel is reached through the open/close/ioctl seam of
# tests/unit/psp-seam.c (-Wl,--wrap): no /dev/sev or SEV hardware needed.
unit-tests-y		+= test_fwerr
test_fwerr-objs		:= tests/unit/test_fwerr.o sev/fwerr.o

sev-fake-objs		:= tests/unit/sev-fake.o tests/unit/sev-testlib.o \
			   sev/sev.o sev/fwerr.o lib/log.o lib/util.o

unit-tests-$(CONFIG_SEV) += test_sev test_sev_guest
test_sev-objs		:= tests/unit/test_sev.o $(sev-fake-objs)
test_sev-libs		:= -lcrypto
test_sev_guest-objs	:= tests/unit/test_sev_guest.o $(sev-fake-objs)
test_sev_guest-libs	:= -lcrypto

psp-seam-objs		:= tests/unit/psp-seam.o tests/unit/sev-testlib.o \
			   sev/psp-kernel.o sev/sev.o sev/fwerr.o \
			   lib/log.o lib/util.o
psp-seam-ldflags	:= -Wl,--wrap=ioctl -Wl,--wrap=open -Wl,--wrap=close

unit-tests-$(CONFIG_PSP_KERNEL) += test_psp_kernel test_psp_kernel_vm
test_psp_kernel-objs	:= tests/unit/test_psp_kernel.o $(psp-seam-objs)
test_psp_kernel-libs	:= -lcrypto
test_psp_kernel-ldflags	:= $(psp-seam-ldflags)
test_psp_kernel_vm-objs	:= tests/unit/test_psp_kernel_vm.o $(psp-seam-objs)
test_psp_kernel_vm-libs	:= -lcrypto
test_psp_kernel_vm-ldflags := $(psp-seam-ldflags)

# psp-cli with the real kernel backend behind the seam; the emulated
# backend's entry points are test doubles in the test file.
ifeq ($(CONFIG_PSP_KERNEL)$(CONFIG_PSP_EMULATED),yy)
unit-tests-y		+= test_psp_cli
endif
test_psp_cli-objs	:= tests/unit/test_psp_cli.o vmm/psp-cli.o \
			   $(psp-seam-objs)
test_psp_cli-libs	:= -ljson-c -lcrypto
test_psp_cli-ldflags	:= $(psp-seam-ldflags)

# `sevm psp` end to end against the real emulated PSP (scratch directory).
ifeq ($(CONFIG_PSP_KERNEL)$(CONFIG_PSP_EMULATED),yy)
unit-tests-y		+= test_psp_cli_emul
endif
test_psp_cli_emul-objs	:= tests/unit/test_psp_cli_emul.o \
			   tests/unit/sev-testlib.o vmm/psp-cli.o \
			   sev/psp-kernel.o sev/sev.o sev/fwerr.o \
			   $(filter sev/emul/%,$(sevm-obj-y)) \
			   $(sev-obj-y) lib/log.o lib/util.o
test_psp_cli_emul-libs	:= -ljson-c -lcrypto
