# Unit tests of VM control (vmm/control*.c) with the real QMP, VM, vCPU,
# KVM and loop objects; memory, boot, devices and the SEV launch are test
# doubles (tests/unit/test_control_dbl.c). qmp_event is wrapped to record
# the events, pr_log to keep the output quiet.
unit-tests-$(CONFIG_KVM)	+= test_control
test_control-objs	:= tests/unit/test_control.o tests/unit/test_control_dbl.o \
			   tests/unit/test_control_caps.o \
			   tests/unit/vm-guest-dbl.o \
			   vmm/control.o vmm/control-qmp.o vmm/control-sev.o \
			   vmm/qmp.o vmm/qmp-server.o vmm/qmp-stream.o vmm/qmp-socket.o \
			   vmm/vm.o vmm/vcpu.o vmm/sev-dma.o vmm/shared-pages.o \
			   vmm/vcpu-emul.o vmm/insn.o \
			   vmm/kvm.o vmm/cpuid.o vmm/bus.o vmm/loop.o vmm/irq.o \
			   lib/log.o lib/util.o sev/fwerr.o
test_control-libs	:= -ljson-c -lcrypto
test_control-ldflags	:= -Wl,--wrap=pr_log -Wl,--wrap=qmp_event
