/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-net for the self test (virtio 1.2 §5.1): the MAC from the
 * device configuration (VIRTIO_NET_F_MAC), link status (F_STATUS), the
 * 12-byte header of VERSION_1 devices (MRG_RXBUF accepted: receive
 * buffers hold a whole frame, so num_buffers must be 1). It sends one
 * broadcast frame of EtherType VNET_ETHERTYPE whose payload is
 * VNET_TX_PAYLOAD, then waits for a frame of the same EtherType (others
 * are skipped) and prints `virtio-net: rx <len> bytes <payload>`.
 */
#ifndef SEVM_FIRMWARE_VNET_H
#define SEVM_FIRMWARE_VNET_H

#include "firmware/virtio-drivers.h"

#define VIRTIO_NET_F_MAC	(1ull << 5)
#define VIRTIO_NET_F_MRG_RXBUF	(1ull << 15)
#define VIRTIO_NET_F_STATUS	(1ull << 16)
#define VNET_FEATURES		(VIRTIO_NET_F_MAC | VIRTIO_NET_F_MRG_RXBUF | \
				 VIRTIO_NET_F_STATUS)
#define VIRTIO_NET_S_LINK_UP	1

#define VNET_HDR_LEN		12	/* virtio_net_hdr_v1 */
#define VNET_ETH_HLEN		14
#define VNET_ETH_MIN		60	/* without the FCS */
#define VNET_ETHERTYPE		0x88b5	/* IEEE 802 local experimental */
#define VNET_TX_PAYLOAD		"sevm-fw-net-tx"
#define VNET_PAYLOAD_SHOWN	32	/* printable payload bytes shown */
#define VNET_RX_BUFS		2
#define VNET_RX_BUF		2048	/* in the block's second page */
#define VNET_RX_POLLS		100000
#define VNET_RX_SKIP		32	/* other frames skipped at most */

/* A received frame of ours: its length and payload. */
struct vnet_rx {
	u32 frame_len;			/* without the virtio header */
	const u8 *payload;
	u32 payload_len;
};

/* The broadcast test frame from mac in buf (VNET_ETH_MIN bytes). */
u32 vnet_frame(u8 *buf, const u8 mac[6]);
/*
 * A receive buffer the device filled (len bytes, header included):
 * 1 a frame of VNET_ETHERTYPE (*r filled), 0 another frame, -1 malformed.
 */
int vnet_rx_parse(const u8 *buf, u32 len, struct vnet_rx *r);
/* The payload's printable prefix (at most VNET_PAYLOAD_SHOWN) in out. */
void vnet_payload_text(const struct vnet_rx *r, char *out);
int vnet_run(struct virtio_dev *vd, struct virtio_queue *rxq,
	     const struct virtio_dma *d, char *msg);

#endif /* SEVM_FIRMWARE_VNET_H */
