# The SEV launch module (vmm/launch*.c) and the SEV-ES VMSA model
# (sev/vmsa.c). test_launch, test_launch_fail and test_launch_platform run
# whole launches against the real emulated PSP in scratch directories (no
# KVM needed: guest memory and the firmware are loaded without a VM);
# test_launch_kernel drives the kernel backend through the ioctl seam;
# test_launch_vm runs the sequence on a real VM and skips without /dev/kvm.
unit-tests-$(CONFIG_SEV)	+= test_vmsa
test_vmsa-objs		:= tests/unit/test_vmsa.o sev/vmsa.o \
			   tests/unit/boot-test.o lib/util.o lib/log.o
test_vmsa-libs		:= -lcrypto

launch-objs		:= vmm/launch.o vmm/launch-steps.o vmm/launch-es.o sev/caps.o \
			   vmm/launch-secret.o vmm/launch-report.o vmm/launch-attest.o \
			   sev/vmsa.o sev/report.o \
			   sev/sev.o sev/fwerr.o sev/hashes.o sev/crypto.o \
			   sev/cert.o vmm/cpuid.o \
			   $(filter sev/psp-%,$(sevm-obj-y)) \
			   $(filter sev/emul/%,$(sevm-obj-y)) \
			   $(boot-test-objs-y)
launch-libs		:= -ljson-c -lcrypto -lelf
launch-emul-objs	:= tests/unit/test_launch_lib.o \
			   tests/unit/emul-testlib.o tests/unit/sev-testlib.o \
			   $(filter-out vmm/psp-cli.o,$(launch-objs))

ifeq ($(CONFIG_SEV)$(CONFIG_PSP_EMULATED)$(CONFIG_KVM),yyy)
unit-tests-y		+= test_launch test_launch_fail test_launch_platform \
			   test_launch_attest
endif
test_launch_attest-objs	:= tests/unit/test_launch_attest.o $(launch-emul-objs)
test_launch_attest-libs	:= $(launch-libs)
test_launch-objs	:= tests/unit/test_launch.o $(launch-emul-objs)
test_launch-libs	:= $(launch-libs)
test_launch_fail-objs	:= tests/unit/test_launch_fail.o $(launch-emul-objs)
test_launch_fail-libs	:= $(launch-libs)
test_launch_platform-objs := tests/unit/test_launch_platform.o \
			     $(launch-emul-objs)
test_launch_platform-libs := $(launch-libs)

# The kernel backend behind the open/close/ioctl seam (psp-seam.h).
ifeq ($(CONFIG_SEV)$(CONFIG_PSP_KERNEL)$(CONFIG_PSP_EMULATED)$(CONFIG_KVM),yyyy)
unit-tests-y		+= test_launch_kernel
endif
test_launch_kernel-objs	:= tests/unit/test_launch_kernel.o \
			   tests/unit/psp-seam.o tests/unit/sev-testlib.o \
			   $(filter-out vmm/psp-cli.o,$(launch-objs))
test_launch_kernel-libs	:= $(launch-libs)
test_launch_kernel-ldflags := -Wl,--wrap=ioctl -Wl,--wrap=open \
			      -Wl,--wrap=close

# A real VM (vm_init, vm_load, vm_setup_vcpus) with every sevm object.
ifeq ($(CONFIG_SEV)$(CONFIG_PSP_EMULATED)$(CONFIG_KVM),yyy)
unit-tests-y		+= test_launch_vm
endif
test_launch_vm-objs	:= tests/unit/test_launch_vm.o \
			   tests/unit/test_launch_lib.o \
			   tests/unit/emul-testlib.o tests/unit/sev-testlib.o \
			   tests/unit/boot-test.o \
			   $(filter-out vmm/main.o,$(sevm-obj-y)) \
			   $(sev-obj-y) $(lib-obj-y)
test_launch_vm-libs	:= $(launch-libs) $(if $(filter y,$(CONFIG_SECCOMP)),-lseccomp)
