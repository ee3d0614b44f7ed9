/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-rng (device id 4): one request queue whose device-writable
 * buffers are filled from getrandom(), at most VIRTIO_RNG_MAX_REQ bytes
 * per request (the used length says how many).
 */
#ifndef SEVM_VIRTIO_RNG_H
#define SEVM_VIRTIO_RNG_H

#include "devices/virtio/virtio.h"

#define VIRTIO_RNG_MAX_REQ	65536

int virtio_rng_init(struct virtio_dev *vdev, struct dma_as *as, bool sev)
	__must_check;

extern const struct virtio_dev_ops virtio_rng_ops;

#endif /* SEVM_VIRTIO_RNG_H */
