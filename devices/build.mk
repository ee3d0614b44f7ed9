# devices/: the device table and one file per device.
sevm-obj-$(CONFIG_KVM)		+= devices/devices.o
sevm-obj-$(CONFIG_DEV_UART16550)	+= devices/uart16550.o devices/console-input.o
sevm-obj-$(CONFIG_DEV_I8042)	+= devices/i8042.o
sevm-obj-$(CONFIG_DEV_DEBUGPORT)	+= devices/debugport.o
sevm-obj-$(CONFIG_DEV_TESTEXIT)	+= devices/testexit.o
sevm-obj-$(CONFIG_ACPI)		+= devices/acpi/aml.o devices/acpi/tables.o \
				   devices/acpi/dsdt.o devices/acpi/loader.o \
				   devices/acpi/output.o devices/acpi/ged.o \
				   devices/acpi/machine.o \
				   devices/acpi/viot.o
sevm-obj-$(CONFIG_PCI)		+= devices/pci/pci.o devices/pci/msix.o \
				   devices/pci/host.o devices/pci/dump.o \
				   devices/pci/machine.o devices/pci/msi-kvm.o
sevm-obj-$(CONFIG_DEV_FW_CFG)	+= devices/fw_cfg.o devices/fw_cfg-dev.o
