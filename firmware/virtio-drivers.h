/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The firmware's virtio drivers, each a short proof that the device
 * works: virtio-blk reads sector 0 (never writes), virtio-rng reads 16
 * bytes, virtio-console writes one line to port 0. A table maps PCI
 * device IDs (0x1040 + virtio ID) to drivers.
 */
#ifndef SEVM_FIRMWARE_VIRTIO_DRIVERS_H
#define SEVM_FIRMWARE_VIRTIO_DRIVERS_H

#include "firmware/pci.h"

/* Queue and buffers of the device being driven, one device at a time. */
#define VIRTIO_DMA_SIZE		4096
#define VIRTIO_DMA_BUF		1024	/* buffers start here, queue below */

#define VIRTIO_CONSOLE_HELLO	"sevm firmware: hello from virtio-console\n"

/* A 4 KiB block as the CPU reaches it (va) and as devices see it (pa). */
struct virtio_dma {
	u8 *va;
	u64 pa;
};

/*
 * Drives every virtio function in b that has a driver, one after the
 * other, and resets each afterwards. Prints one line per device: its
 * result or what failed. Returns the number of devices that failed.
 */
int virtio_drivers_run(const struct pci_bus0 *b, const struct virtio_dma *d);

#endif /* SEVM_FIRMWARE_VIRTIO_DRIVERS_H */
