# vmm/: configuration, VM, memory, boot images, vCPUs, buses.
lib-obj-y			+= vmm/log.o vmm/util.o
sevm-obj-$(CONFIG_KVM)		+= vmm/main.o vmm/config.o vmm/kvm.o vmm/cpuid.o \
				   vmm/memory.o vmm/boot.o vmm/boot-fw.o \
				   vmm/vcpu.o vmm/bus.o vmm/loop.o vmm/vm.o
sevm-obj-$(CONFIG_BOOT_BZIMAGE)	+= vmm/boot-bzimage.o
sevm-obj-$(CONFIG_BOOT_PVH)	+= vmm/boot-pvh.o
sevm-obj-$(CONFIG_KVM)		+= vmm/qmp.o vmm/qmp-server.o
sevm-obj-$(CONFIG_KVM)		+= vmm/config-args.o vmm/config-json.o vmm/config-check.o
sevm-obj-$(CONFIG_KVM)		+= vmm/control.o vmm/control-qmp.o vmm/control-sev.o
