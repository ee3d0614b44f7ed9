/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private to devices/pci/: the calls between the function model
 * (pci.c), MSI-X (msix.c) and the host (host.c).
 */
#ifndef SEVM_DEVICES_PCI_INTERNAL_H
#define SEVM_DEVICES_PCI_INTERNAL_H

#include "devices/pci/pci.h"

/* A guest config write touched [reg, reg + len): follow the MSI-X
 * control bits. Host lock held. */
void pci_msix_cfg_written(struct pci_dev *dev, u32 reg, u32 len);
/* A BAR access: true if it fell in the MSI-X table or PBA (served). */
bool pci_msix_bar_io(struct pci_dev *dev, unsigned int bar, u64 offset,
		     void *data, u32 len, bool is_write);
void pci_msix_free(struct pci_dev *dev);

/* Take dev off its host (pci_dev_exit). */
void pci_host_remove(struct pci_host *host, struct pci_dev *dev);

#endif /* SEVM_DEVICES_PCI_INTERNAL_H */
