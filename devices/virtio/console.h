/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-console (device id 3), one port, no MULTIPORT: receiveq 0
 * carries input to the guest, transmitq 1 output to a backend fd.
 *
 * Input: the caller pushes bytes with virtio_console_input; they wait in
 * a bounded buffer (VIRTIO_CONSOLE_BUF bytes) until the guest posts
 * receive buffers. When the buffer was full (input accepted fewer bytes
 * than offered) and space frees up, the space callback runs (with the
 * device lock held) so the caller resumes reading its source: no busy
 * loop anywhere.
 */
#ifndef SEVM_VIRTIO_CONSOLE_H
#define SEVM_VIRTIO_CONSOLE_H

#include "devices/virtio/virtio.h"

#define VIRTIO_CONSOLE_BUF	4096
#define VIRTIO_CONSOLE_RX	0
#define VIRTIO_CONSOLE_TX	1

typedef void (*virtio_console_space_fn)(struct virtio_dev *vdev,
					void *opaque);

/* out_fd: where the guest's output goes (not closed by the device). */
int virtio_console_init(struct virtio_dev *vdev, int out_fd,
			struct dma_as *as, bool sev) __must_check;
void virtio_console_set_space_cb(struct virtio_dev *vdev,
				 virtio_console_space_fn fn, void *opaque);
/* Queue up to len bytes for the guest; returns how many were taken. */
size_t virtio_console_input(struct virtio_dev *vdev, const void *buf,
			    size_t len);

/* Bytes virtio_console_input takes now (any thread). */
size_t virtio_console_input_space(struct virtio_dev *vdev);

extern const struct virtio_dev_ops virtio_console_ops;

#endif /* SEVM_VIRTIO_CONSOLE_H */
