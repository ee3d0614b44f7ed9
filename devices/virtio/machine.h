/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The per-instance virtio-pci devices of a VM ("virtio-pci" in the device
 * table, after the PCIe host): present when the configuration has
 * --device entries; owns the I/O thread and puts each configured device
 * at its slot on bus 0. docs/devices.md.
 */
#ifndef SEVM_VIRTIO_MACHINE_H
#define SEVM_VIRTIO_MACHINE_H

#include "devices/device.h"

#define VIRTIO_MACHINE_NAME	"virtio-pci"

extern const struct device_ops virtio_pci_machine_ops;

#endif /* SEVM_VIRTIO_MACHINE_H */
