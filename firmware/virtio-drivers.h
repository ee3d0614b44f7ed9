/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The firmware's virtio drivers, each a short proof that the device
 * works: virtio-blk reads sector 0 (never writes), virtio-rng reads 16
 * bytes, virtio-console writes one line to port 0; virtio-net and
 * virtio-vsock (firmware/vnet.c, vsock.c) exchange a frame and echo
 * over a stream. A table maps PCI
 * device IDs (0x1040 + virtio ID) to drivers.
 */
#ifndef SEVM_FIRMWARE_VIRTIO_DRIVERS_H
#define SEVM_FIRMWARE_VIRTIO_DRIVERS_H

#include "firmware/pci.h"
#include "firmware/virtio.h"

/* Queue and buffers of the device being driven, one device at a time. */
#define VIRTIO_DMA_SIZE		4096
#define VIRTIO_DMA_BUF		1024	/* buffers start here, queue below */

#define VIRTIO_CONSOLE_HELLO	"sevm firmware: hello from virtio-console\n"

#define VIRTIO_MSG_LEN		120	/* a driver's report line */

struct virtio_dma;

/* Around each device: with an IOMMU, attach and map, then undo both. */
struct virtio_dma_ops {
	int (*attach)(const struct virtio_dma *d, u16 bdf);
	void (*detach)(const struct virtio_dma *d, u16 bdf);
};

/*
 * The DMA block as the CPU reaches it (va) and as devices see it (pa:
 * the guest-physical address, or an IOVA behind an IOMMU); size bytes
 * (0: VIRTIO_DMA_SIZE). virtio-net and vsock need 2 pages.
 */
struct virtio_dma {
	u8 *va;
	u64 pa;
	u32 size;
	const struct virtio_dma_ops *ops;	/* NULL: identity, no IOMMU */
	void *ctx;
};

/* The device address of p, a pointer into the block. */
static inline u64 virtio_dma_addr(const struct virtio_dma *d, const void *p)
{
	return d->pa + (u64)((const u8 *)p - d->va);
}

static inline u32 virtio_dma_size(const struct virtio_dma *d)
{
	return d->size ? d->size : VIRTIO_DMA_SIZE;
}

/*
 * A driver: q (the table's queue) is set up at the block's start; the
 * driver sets up any other queues, sets DRIVER_OK, does its work and
 * writes its report into msg (VIRTIO_MSG_LEN), or fails with vd->why.
 */
typedef int (*virtio_drv_fn)(struct virtio_dev *vd, struct virtio_queue *q,
			     const struct virtio_dma *d, char *msg);

/*
 * Drives every virtio function in b that has a driver, one after the
 * other, and resets each afterwards. Prints one line per device: its
 * result or what failed. Returns the number of devices that failed.
 */
int virtio_drivers_run(const struct pci_bus0 *b, const struct virtio_dma *d);

#endif /* SEVM_FIRMWARE_VIRTIO_DRIVERS_H */
