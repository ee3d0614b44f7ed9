/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The vsock connection table and its state machine, independent of the
 * virtqueues: packets from the guest go in (vsock_guest_packet), packets
 * for the guest come out (vsock_next_packet), the host sockets are read
 * and written in between (vsock-uds.c). Locking: the device's lock.
 *
 * Flow control (virtio 1.2 §5.10.6.3), per connection:
 *   to the guest: at most peer_buf_alloc - (tx_cnt - peer_fwd_cnt) bytes
 *     in flight; the host socket is read only when that credit is
 *     positive and the connection's staging buffer (VSOCK_CHUNK) is
 *     empty, so at most VSOCK_CHUNK bytes wait in sevm.
 *   from the guest: we advertise buf_alloc VSOCK_BUF_ALLOC and fwd_cnt
 *     (bytes written to the host socket); what the guest sends lands in
 *     a ring of exactly that size, so a guest that overruns its credit
 *     is reset, never buffered.
 */
#ifndef SEVM_VIRTIO_VSOCK_CONN_H
#define SEVM_VIRTIO_VSOCK_CONN_H

#include "lib/util.h"

#define VSOCK_HDR_LEN		44
#define VSOCK_HOST_CID		2
#define VSOCK_MAX_CONNS		32
#define VSOCK_BUF_ALLOC		(64 * 1024)
#define VSOCK_CHUNK		4096
#define VSOCK_MAX_PKT		(64 * 1024)	/* largest payload taken */
#define VSOCK_MAX_STRAY		16	/* RSTs owed to no connection */
#define VSOCK_LINE_MAX		32	/* "CONNECT 4294967295\n" fits */
#define VSOCK_EPHEMERAL		(1U << 30)	/* first host port */

#define VSOCK_TYPE_STREAM	1
#define VSOCK_OP_REQUEST	1
#define VSOCK_OP_RESPONSE	2
#define VSOCK_OP_RST		3
#define VSOCK_OP_SHUTDOWN	4
#define VSOCK_OP_RW		5
#define VSOCK_OP_CREDIT_UPDATE	6
#define VSOCK_OP_CREDIT_REQUEST	7
#define VSOCK_SHUT_RCV		1
#define VSOCK_SHUT_SEND		2

struct iothread;

/* struct virtio_vsock_hdr in host byte order. */
struct vsock_hdr {
	u64 src_cid, dst_cid;
	u32 src_port, dst_port, len;
	u16 type, op;
	u32 flags, buf_alloc, fwd_cnt;
};

enum vsock_state {
	VC_FREE,
	VC_LINE,		/* host client: reading "CONNECT <port>\n" */
	VC_CONNECTING,		/* REQUEST owed or sent to the guest */
	VC_ESTABLISHED,
	VC_CLOSING,		/* guest shut down both ways: flush, RST */
};

struct vsock_conn {
	enum vsock_state state;
	int fd;
	bool watched;
	bool dead;			/* reset by the guest: close soon */
	u32 host_port, guest_port;
	bool need_request, need_response, need_rst, need_credit;
	bool host_eof, shut_sent;	/* host sent EOF; we told the guest */
	bool guest_no_send, guest_no_rcv, shut_wr;
	u32 peer_buf_alloc, peer_fwd_cnt, tx_cnt;	/* to the guest */
	u32 rx_cnt, fwd_cnt, fwd_cnt_sent;		/* from the guest */
	u8 *ring;			/* VSOCK_BUF_ALLOC bytes to the host */
	u32 ring_head, ring_len;
	u32 out_off, out_len;		/* of out[] */
	u8 out[VSOCK_CHUNK];		/* read from the host, not yet sent */
};

typedef void (*vsock_watch_fn)(int fd, u32 events, void *opaque);

struct vsock {
	u64 cid;
	const char *uds;
	int listen_fd;
	struct iothread *iot;		/* NULL: nothing watched */
	vsock_watch_fn watch_fn;	/* the device's callback for conns */
	void *watch_opaque;
	bool running;			/* the driver is up (DRIVER_OK) */
	u32 next_port;
	unsigned int rr;		/* round robin start of the table */
	struct vsock_conn conns[VSOCK_MAX_CONNS];
	struct vsock_hdr stray[VSOCK_MAX_STRAY];
	unsigned int nr_stray;
	u64 dropped;			/* packets dropped (bad cid, full) */
};

void vsock_hdr_decode(const u8 *raw, struct vsock_hdr *h);
void vsock_hdr_encode(const struct vsock_hdr *h, u8 *raw);

void vsock_conns_init(struct vsock *v, u64 cid, const char *uds);
/* Close every connection (device reset with no I/O thread, or free). */
void vsock_conns_close_all(struct vsock *v, bool dead_only);
/* Mark every connection dead: closed later, ignored meanwhile. */
void vsock_conns_kill(struct vsock *v);

/*
 * One packet from the guest; payload holds h->len bytes, or is NULL when
 * the packet was malformed (its length): the connection is reset.
 */
void vsock_guest_packet(struct vsock *v, const struct vsock_hdr *h,
			const u8 *payload);
/*
 * The next packet for the guest, with at most room payload bytes: 1 and
 * *h, *payload (valid until the next call), or 0 when nothing is owed.
 * The caller must deliver it: the state has moved on.
 */
int vsock_next_packet(struct vsock *v, struct vsock_hdr *h,
		      const u8 **payload, u32 room);
/* Bytes the guest will take now on c (its credit). */
u32 vsock_peer_credit(const struct vsock_conn *c);

/* Connection table, for vsock-uds.c. */
struct vsock_conn *vsock_conn_alloc(struct vsock *v, int fd);
void vsock_conn_close(struct vsock *v, struct vsock_conn *c);
/* Reset c: RST owed to the guest (if it knows c), then closed. */
void vsock_conn_reset(struct vsock *v, struct vsock_conn *c);
struct vsock_conn *vsock_conn_by_fd(struct vsock *v, int fd);
u32 vsock_alloc_port(struct vsock *v);

#endif /* SEVM_VIRTIO_VSOCK_CONN_H */
