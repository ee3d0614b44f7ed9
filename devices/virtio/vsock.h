/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-vsock (device id 19) without vhost, with Firecracker's UNIX
 * socket host side (docs/virtio.md, "virtio-vsock"):
 *
 *   host -> guest: a host process connects to the uds path and writes
 *     "CONNECT <port>\n"; the guest gets a REQUEST to that port from an
 *     ephemeral host port; when it accepts, the host process reads
 *     "OK <hostport>\n" and the stream is relayed both ways.
 *   guest -> host: a REQUEST to host port P connects to the UNIX socket
 *     "<uds>_P"; refused (RST) if there is none.
 *
 * Queues: rx 0 (to the guest), tx 1 (from the guest), event 2 (unused:
 * no TRANSPORT_RESET is sent). Config: le64 guest_cid. Flow control per
 * virtio 1.2 §5.10.6.3 both ways; every buffer is bounded
 * (vsock-conn.h). All the work runs on the I/O thread.
 */
#ifndef SEVM_VIRTIO_VSOCK_H
#define SEVM_VIRTIO_VSOCK_H

#include "devices/virtio/virtio.h"

#define VIRTIO_VSOCK_RXQ	0
#define VIRTIO_VSOCK_TXQ	1
#define VIRTIO_VSOCK_EVQ	2
#define VIRTIO_VSOCK_QUEUE_MAX	256

struct iothread;

struct virtio_vsock_conf {
	u64 cid;		/* the guest's CID, >= 3 */
	const char *uds;	/* the listening socket sevm creates */
};

/*
 * Create the listening socket (0600; an existing live socket, a symlink
 * or any other file there is refused, a stale socket replaced) and set
 * vdev up. With iot NULL nothing is watched: virtio_vsock_poll does the
 * work (tests, fuzzing). -errno with one error line.
 */
int virtio_vsock_init(struct virtio_dev *vdev,
		      const struct virtio_vsock_conf *c, struct iothread *iot,
		      struct dma_as *as, bool sev) __must_check;
/* Accept, read and write every socket that is ready, fill rx buffers. */
void virtio_vsock_poll(struct virtio_dev *vdev);

extern const struct virtio_dev_ops virtio_vsock_ops;

#endif /* SEVM_VIRTIO_VSOCK_H */
