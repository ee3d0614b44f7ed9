/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-blk (device id 2) over a raw image file or a block device: one
 * request queue, IN/OUT with preadv/pwritev straight into guest buffers,
 * FLUSH (fdatasync), GET_ID (the serial). Offered: SEG_MAX, FLUSH, and
 * RO when read-only. Status mapping in docs/virtio.md.
 */
#ifndef SEVM_VIRTIO_BLK_H
#define SEVM_VIRTIO_BLK_H

#include "devices/virtio/virtio.h"

#define VIRTIO_BLK_QUEUE_MAX	256

struct virtio_blk_conf {
	const char *path;	/* followed like any user path */
	bool readonly;
	const char *serial;	/* GET_ID; at most 20 bytes used */
};

/*
 * Open the image (a regular file or a block device, nothing else) and
 * set vdev up as a virtio-blk device. -errno with one error line naming
 * the path and the reason.
 */
int virtio_blk_init(struct virtio_dev *vdev, const struct virtio_blk_conf *c,
		    struct dma_as *as, bool sev) __must_check;

extern const struct virtio_dev_ops virtio_blk_ops;

#endif /* SEVM_VIRTIO_BLK_H */
