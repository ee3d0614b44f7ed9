# Unit tests of devices/pci/: the function model, MSI-X, the host and the
# lspci dump on real buses, with a fake MSI delivery (the pci_msi_ops
# seam, tests/unit/pci-test.c); vmm/dma.o for the bus-master flag.
# pr_log is wrapped.
pci-test-objs := tests/unit/pci-test.o tests/unit/err-capture.o devices/pci/pci.o devices/pci/msix.o \
		 devices/pci/host.o devices/pci/dump.o vmm/bus.o vmm/dma.o \
		 lib/log.o lib/util.o

unit-tests-$(CONFIG_PCI)	+= test_pci
test_pci-objs		:= tests/unit/test_pci.o $(pci-test-objs)
test_pci-libs		:= -lcrypto
test_pci-ldflags	:= -Wl,--wrap=pr_log

unit-tests-$(CONFIG_PCI)	+= test_pci_msix
test_pci_msix-objs	:= tests/unit/test_pci_msix.o $(pci-test-objs)
test_pci_msix-libs	:= -lcrypto
test_pci_msix-ldflags	:= -Wl,--wrap=pr_log

# MSI-X through per-vector routes and irqfds, on the fake route seam
# (fake_msi_fd in pci-test.c).
unit-tests-$(CONFIG_PCI)	+= test_pci_msix_fd
test_pci_msix_fd-objs	:= tests/unit/test_pci_msix_fd.o $(pci-test-objs)
test_pci_msix_fd-libs	:= -lcrypto
test_pci_msix_fd-ldflags := -Wl,--wrap=pr_log

# MSI-X on the real KVM through pci_kvm_msi and vmm/irq (skipped without
# /dev/kvm).
unit-tests-$(CONFIG_PCI)	+= test_pci_msix_kvm
test_pci_msix_kvm-objs	:= tests/unit/test_pci_msix_kvm.o $(pci-test-objs) \
			   devices/pci/msi-kvm.o vmm/irq.o
test_pci_msix_kvm-libs	:= -lcrypto
test_pci_msix_kvm-ldflags := -Wl,--wrap=pr_log
