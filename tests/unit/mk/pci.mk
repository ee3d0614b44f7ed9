# Unit tests of devices/pci/: the function model, MSI-X, the host and the
# lspci dump on real buses, with a fake MSI delivery (the pci_msi_ops
# seam); vmm/dma.o for the bus-master flag. pr_log is wrapped.
unit-tests-$(CONFIG_PCI)	+= test_pci
test_pci-objs		:= tests/unit/test_pci.o devices/pci/pci.o \
			   devices/pci/msix.o devices/pci/host.o \
			   devices/pci/dump.o vmm/bus.o vmm/dma.o \
			   lib/log.o lib/util.o
test_pci-libs		:= -lcrypto
test_pci-ldflags	:= -Wl,--wrap=pr_log
