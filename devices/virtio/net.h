/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-net (device id 1) over a tap device or any packet fd:
 * receiveq 0, transmitq 1, no control queue. Offered: MAC, MRG_RXBUF,
 * STATUS (link always up), with the core's VERSION_1 and
 * ACCESS_PLATFORM; no checksum or segmentation offloads, so every
 * header the device writes is zero but for num_buffers, and the header
 * of a transmitted frame is dropped.
 *
 * Backend: tap=NAME opens /dev/net/tun as IFF_TAP | IFF_NO_PI |
 * IFF_VNET_HDR with a 12-byte vnet header; fd=N takes any fd, and uses
 * the vnet header only if it is such a tap (TUNGETIFF says so). One
 * read or write is one frame (a tap, or a SOCK_SEQPACKET/DGRAM socket).
 *
 * Receive runs on the I/O thread (edge-triggered watch on the fd) and on
 * receiveq notifications. A frame is read only when the guest has posted
 * a receive buffer; at most one frame waits inside the device for more
 * buffers, and nothing else is read meanwhile: the tap queues or drops,
 * as a tap does.
 */
#ifndef SEVM_VIRTIO_NET_H
#define SEVM_VIRTIO_NET_H

#include "devices/virtio/virtio.h"

#define VIRTIO_NET_RXQ		0
#define VIRTIO_NET_TXQ		1
#define VIRTIO_NET_QUEUE_MAX	256
#define VIRTIO_NET_HDR_LEN	12	/* struct virtio_net_hdr_v1 */
#define VIRTIO_NET_FRAME_MAX	65536	/* largest frame read or written */

struct iothread;

struct virtio_net_conf {
	const char *tap;	/* interface name, or NULL */
	int fd;			/* with tap NULL: the backend (not closed) */
	bool has_mac;
	u8 mac[6];		/* else 52:54:00:12:34:(0x56 + slot) */
	u8 slot;
};

struct virtio_net_stats {
	u64 tx_frames, tx_dropped;	/* dropped: short chain, write error */
	u64 rx_frames, rx_dropped;	/* dropped: larger than every buffer */
};

/*
 * Open the backend, set vdev up as virtio-net and watch the backend on
 * iot (NULL: not watched; then virtio_net_backend_ready polls it).
 * -errno with one error line naming the tap or fd and the reason.
 */
int virtio_net_init(struct virtio_dev *vdev, const struct virtio_net_conf *c,
		    struct iothread *iot, struct dma_as *as, bool sev)
	__must_check;
/* The backend may be readable: receive what the guest has room for. */
void virtio_net_backend_ready(struct virtio_dev *vdev);
void virtio_net_get_stats(struct virtio_dev *vdev,
			  struct virtio_net_stats *st);

extern const struct virtio_dev_ops virtio_net_ops;

#endif /* SEVM_VIRTIO_NET_H */
