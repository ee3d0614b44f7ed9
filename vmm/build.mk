# vmm/: configuration, VM, memory, boot images, the SEV launch policy,
# vCPUs, buses, the control plane (QMP).
sevm-obj-$(CONFIG_KVM)		+= vmm/main.o vmm/config.o vmm/kvm.o vmm/cpuid.o \
				   vmm/memory.o vmm/boot.o vmm/boot-fw.o \
				   vmm/vcpu.o vmm/bus.o vmm/loop.o vmm/vm.o \
				   vmm/irq.o
sevm-obj-$(CONFIG_BOOT_BZIMAGE)	+= vmm/boot-bzimage.o
sevm-obj-$(CONFIG_BOOT_PVH)	+= vmm/boot-pvh.o
sevm-obj-$(CONFIG_KVM)		+= vmm/qmp.o vmm/qmp-server.o vmm/qmp-stream.o
sevm-obj-$(CONFIG_KVM)		+= vmm/config-args.o vmm/config-json.o vmm/config-check.o \
				   vmm/config-device.o vmm/config-netdev.o
sevm-obj-$(CONFIG_KVM)		+= vmm/control.o vmm/control-qmp.o vmm/control-sev.o \
				   vmm/control-metrics.o vmm/metrics.o \
				   vmm/metrics-json.o
sevm-obj-$(CONFIG_KVM)		+= vmm/fw-cli.o
# The SEV launch (the VMM's policy; sev/ supplies the protocol and the
# PSP backends) and `sevm psp`.
sevm-obj-$(CONFIG_SEV)		+= vmm/launch.o vmm/launch-steps.o vmm/launch-es.o \
				   vmm/launch-secret.o vmm/launch-report.o \
				   vmm/launch-attest.o \
				   vmm/psp-cli.o vmm/caps.o vmm/caps-cli.o
sevm-obj-$(CONFIG_KVM)		+= vmm/dma.o vmm/shared-pages.o vmm/sev-dma.o
sevm-obj-$(CONFIG_KVM)		+= vmm/insn.o vmm/vcpu-emul.o
sevm-obj-$(CONFIG_VIRTIO)	+= vmm/iothread.o
# The sandbox: seccomp filters per thread role, --user, --chroot,
# --pidfile, no core dumps (docs: README "For operators").
sevm-obj-$(CONFIG_SECCOMP)	+= vmm/sandbox.o vmm/sandbox-lists.o \
				   vmm/sandbox-prebuilt.o

# The default filters as BPF, compiled at build time (vmm/sandbox-gen.c).
SANDBOX_GEN := $(O)/vmm/sandbox-gen
$(SANDBOX_GEN): $(addprefix $(O)/,vmm/sandbox-gen.o vmm/sandbox.o \
		  vmm/sandbox-lists.o lib/util.o lib/log.o)
	$(quiet) LD $@
	$(Q)$(CC) $(LDFLAGS) $^ -o $@ -lseccomp -lcrypto
$(O)/vmm/sandbox-prebuilt.c: $(SANDBOX_GEN)
	$(quiet) GEN $@
	$(Q)$(SANDBOX_GEN) >$@.tmp && mv $@.tmp $@
$(O)/vmm/sandbox-prebuilt.o: $(O)/vmm/sandbox-prebuilt.c
	$(quiet) CC $<
	$(Q)$(CC) $(CFLAGS) -c $< -o $@
sevm-obj-$(CONFIG_KVM)		+= vmm/jail.o vmm/jail-pidfile.o vmm/input-check.o \
				   vmm/qmp-socket.o
