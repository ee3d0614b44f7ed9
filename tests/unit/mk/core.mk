# Unit tests of the VMM core (vmm/kvm.c cpuid.c bus.c loop.c vcpu.c vm.c).
# pr_log is wrapped to inspect the error lines; test_kvm scripts the kernel
# through a wrapped ioctl(); test_vm links test doubles (marked as such in
# the file) for memory, boot and devices and runs tiny guests on /dev/kvm.
core-test-base := lib/log.o lib/util.o

unit-tests-$(CONFIG_KVM)	+= test_bus
test_bus-objs		:= tests/unit/test_bus.o vmm/bus.o $(core-test-base)
test_bus-libs		:= -lcrypto
test_bus-ldflags	:= -Wl,--wrap=pr_log

unit-tests-$(CONFIG_KVM)	+= test_loop
test_loop-objs		:= tests/unit/test_loop.o vmm/loop.o $(core-test-base)
test_loop-libs		:= -lcrypto
test_loop-ldflags	:= -Wl,--wrap=pr_log

unit-tests-$(CONFIG_KVM)	+= test_cpuid
test_cpuid-objs		:= tests/unit/test_cpuid.o vmm/cpuid.o $(core-test-base)
test_cpuid-libs		:= -lcrypto
test_cpuid-ldflags	:= -Wl,--wrap=pr_log

unit-tests-$(CONFIG_KVM)	+= test_kvm
test_kvm-objs		:= tests/unit/test_kvm.o vmm/kvm.o $(core-test-base)
test_kvm-libs		:= -lcrypto
test_kvm-ldflags	:= -Wl,--wrap=ioctl -Wl,--wrap=pr_log

unit-tests-$(CONFIG_KVM)	+= test_vm
test_vm-objs		:= tests/unit/test_vm.o tests/unit/vm-guest-dbl.o \
			   vmm/vm.o vmm/vcpu.o \
			   vmm/vcpu-emul.o vmm/insn.o vmm/kvm.o \
			   vmm/cpuid.o vmm/bus.o vmm/loop.o vmm/irq.o \
			   vmm/sev-dma.o vmm/shared-pages.o \
			   $(core-test-base)
test_vm-libs		:= -lcrypto
test_vm-ldflags		:= -Wl,--wrap=pr_log

# The instruction fallback (vmm/insn.c), on instruction bytes.
unit-tests-y		+= test_insn
test_insn-objs		:= tests/unit/test_insn.o vmm/insn.o

unit-tests-$(CONFIG_KVM)	+= test_irq
test_irq-objs		:= tests/unit/test_irq.o tests/unit/err-capture.o vmm/irq.o $(core-test-base)
test_irq-libs		:= -lcrypto
test_irq-ldflags	:= -Wl,--wrap=pr_log
