# The virtio PCI transport (devices/virtio/pci.c) without a VM: a PCIe host
# on real buses over the test driver's guest RAM, a fake MSI delivery, a
# real I/O thread, virtio-blk behind it; a bare KVM VM (when /dev/kvm
# works) for the notify ioeventfds. pr_log is wrapped.
ifeq ($(CONFIG_PCI)$(CONFIG_VIRTIO_BLK),yy)
unit-tests-y		+= test_virtio_pci
endif
test_virtio_pci-objs	:= tests/unit/test_virtio_pci.o tests/unit/err-capture.o \
			   devices/virtio/pci.o \
			   devices/virtio/blk.o devices/virtio/virtio.o \
			   devices/virtio/virtqueue.o tests/unit/vq-drv.o \
			   devices/pci/pci.o devices/pci/msix.o \
			   devices/pci/host.o vmm/bus.o vmm/dma.o vmm/irq.o \
			   vmm/iothread.o lib/log.o lib/util.o
test_virtio_pci-libs	:= -lcrypto -lpthread
test_virtio_pci-ldflags	:= -Wl,--wrap=pr_log

# The --device instances (devices/virtio/machine.c) through the real
# device table, objects as in devices.mk.
ifeq ($(CONFIG_PCI)$(CONFIG_VIRTIO),yy)
unit-tests-y		+= test_virtio_machine
endif
test_virtio_machine-objs := tests/unit/test_virtio_machine.o tests/unit/err-capture.o \
			    vmm/shared-pages.o $(devices-test-objs)
test_virtio_machine-libs := $(devices-test-libs)
test_virtio_machine-ldflags := -Wl,--wrap=pr_log

# Bus 0 with blk, rng and console functions, decoded by lspci -F.
ifeq ($(CONFIG_PCI)$(CONFIG_VIRTIO_BLK)$(CONFIG_VIRTIO_RNG)$(CONFIG_VIRTIO_CONSOLE),yyyy)
unit-tests-y		+= test_virtio_pci_dump
endif
test_virtio_pci_dump-objs := tests/unit/test_virtio_pci_dump.o \
			     devices/virtio/pci.o devices/virtio/blk.o \
			     devices/virtio/rng.o devices/virtio/console.o \
			     devices/virtio/virtio.o devices/virtio/virtqueue.o \
			     tests/unit/vq-drv.o devices/pci/pci.o \
			     devices/pci/msix.o devices/pci/host.o devices/pci/dump.o \
			     vmm/bus.o vmm/dma.o vmm/irq.o vmm/iothread.o \
			     lib/log.o lib/util.o
test_virtio_pci_dump-libs := -lcrypto -lpthread
