/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A virtio driver for the device tests, the fuzz targets and the
 * benchmark: the handshake through the common configuration registers
 * (virtio_write_common), with queues whose rings live in one vq_drv RAM.
 */
#ifndef SEVM_TESTS_VIRTIO_DRV_H
#define SEVM_TESTS_VIRTIO_DRV_H

#include "devices/virtio/virtio.h"
#include "tests/unit/vq-drv.h"

/* A second ring in d's RAM (its heap): r shares d's memory. */
void vdrv_add_ring(struct vq_drv *d, struct vq_drv *r);
/*
 * ACKNOWLEDGE, DRIVER, features, FEATURES_OK, queue q on rings[q] with
 * MSI-X vector q + 1, DRIVER_OK. Returns the status read back.
 */
u8 vdrv_start(struct virtio_dev *v, struct vq_drv **rings, unsigned int n,
	      u64 features);
u32 vdrv_read_common(struct virtio_dev *v, u32 off, u32 len);
void vdrv_write_common(struct virtio_dev *v, u32 off, u32 len, u32 val);

#endif /* SEVM_TESTS_VIRTIO_DRV_H */
