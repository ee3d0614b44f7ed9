/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-vsock for the self test (virtio 1.2 §5.10), stream sockets
 * only: the guest CID from the device configuration; a connection to
 * host (CID 2) port VSOCK_HOST_PORT that sends "ping" and expects it
 * back; then, after printing `virtio-vsock: listening on port 5000`, a
 * connection from the host to VSOCK_GUEST_PORT whose first data it
 * echoes. Every packet carries buf_alloc and fwd_cnt (credit), data is
 * sent only within the peer's credit, and each header the device wrote
 * is bounded before use.
 */
#ifndef SEVM_FIRMWARE_VSOCK_H
#define SEVM_FIRMWARE_VSOCK_H

#include "firmware/virtio-drivers.h"

#define VSOCK_HDR_LEN		44
#define VSOCK_CID_HOST		2
#define VSOCK_TYPE_STREAM	1
#define VSOCK_OP_REQUEST	1
#define VSOCK_OP_RESPONSE	2
#define VSOCK_OP_RST		3
#define VSOCK_OP_SHUTDOWN	4
#define VSOCK_OP_RW		5
#define VSOCK_OP_CREDIT_UPDATE	6
#define VSOCK_OP_CREDIT_REQUEST	7
#define VSOCK_SHUTDOWN_BOTH	3	/* RCV | SEND */

#define VSOCK_HOST_PORT		1234
#define VSOCK_GUEST_PORT	5000
#define VSOCK_LOCAL_PORT	49152	/* our end of the outgoing stream */
#define VSOCK_PING		"ping"
#define VSOCK_RX_BUFS		2
#define VSOCK_RX_BUF		2048	/* in the block's second page */
#define VSOCK_BUF_ALLOC		(VSOCK_RX_BUFS * (VSOCK_RX_BUF - VSOCK_HDR_LEN))
#define VSOCK_DATA_MAX		64	/* payload bytes kept */
#define VSOCK_POLLS		400000
#define VSOCK_CLOSE_POLLS	20000

struct vsock_hdr {
	u64 src_cid, dst_cid;
	u32 src_port, dst_port;
	u32 len;
	u16 type, op;
	u32 flags, buf_alloc, fwd_cnt;
};

/* One stream: the two ends and both directions' credit. */
struct vsock_conn {
	u64 cid;			/* ours */
	u32 port, peer_port;
	u32 peer_buf_alloc, peer_fwd_cnt;
	u32 tx_cnt;			/* payload bytes sent */
	u32 fwd_cnt;			/* payload bytes received, consumed */
};

void vsock_hdr_put(u8 *buf, const struct vsock_hdr *h);
/*
 * A packet the device wrote (len bytes): 0 with *h, or -1 if it is
 * shorter than the header or its payload runs past len.
 */
int vsock_hdr_parse(const u8 *buf, u32 len, struct vsock_hdr *h);
/* Bytes we may send now within the peer's credit. */
u32 vsock_credit(const struct vsock_conn *c);
int vsock_run(struct virtio_dev *vd, struct virtio_queue *rxq,
	      const struct virtio_dma *d, char *msg);

#endif /* SEVM_FIRMWARE_VSOCK_H */
