/* SPDX-License-Identifier: GPL-2.0-only */
/* The PCIe host's entry in the device table (devices/devices.c). */
#ifndef SEVM_DEVICES_PCI_MACHINE_H
#define SEVM_DEVICES_PCI_MACHINE_H

#include "devices/device.h"

extern const struct device_ops pci_host_ops;

#endif /* SEVM_DEVICES_PCI_MACHINE_H */
