// SPDX-License-Identifier: GPL-2.0-only
/* virtio-vsock: an echo over a stream in each direction. */
#include "firmware/format.h"
#include "firmware/hw.h"
#include "firmware/serial.h"
#include "firmware/vsock.h"

#define TXQ_OFF		512	/* rx queue at 0 (drive()) */
#define EVQ_OFF		1024
#define TX_HDR		1536
#define TX_DATA		(TX_HDR + 64)
#define EV_BUF		1920
#define EV_BUF_LEN	8
#define PAGE		4096

struct vsock_ctx {
	struct virtio_dev *vd;
	struct virtio_queue *rxq, txq, evq;
	const struct virtio_dma *d;
	u64 cid;
	struct vsock_hdr pending;	/* a REQUEST that came early */
	int has_pending;
};

/* A received packet: header and a copy of (the start of) its data. */
struct vsock_pkt {
	struct vsock_hdr h;
	u8 data[VSOCK_DATA_MAX];
	u32 kept;
};

static int fail(struct virtio_dev *vd, const char *why)
{
	vd->why = why;
	return -1;
}

static void put64(u8 *p, u64 v)
{
	fw_put_le32(p, (u32)v);
	fw_put_le32(p + 4, (u32)(v >> 32));
}

static u64 get64(const u8 *p)
{
	return fw_le32(p) | (u64)fw_le32(p + 4) << 32;
}

void vsock_hdr_put(u8 *buf, const struct vsock_hdr *h)
{
	put64(buf, h->src_cid);
	put64(buf + 8, h->dst_cid);
	fw_put_le32(buf + 16, h->src_port);
	fw_put_le32(buf + 20, h->dst_port);
	fw_put_le32(buf + 24, h->len);
	fw_put_le16(buf + 28, h->type);
	fw_put_le16(buf + 30, h->op);
	fw_put_le32(buf + 32, h->flags);
	fw_put_le32(buf + 36, h->buf_alloc);
	fw_put_le32(buf + 40, h->fwd_cnt);
}

int vsock_hdr_parse(const u8 *buf, u32 len, struct vsock_hdr *h)
{
	if (len < VSOCK_HDR_LEN)
		return -1;
	h->src_cid = get64(buf);
	h->dst_cid = get64(buf + 8);
	h->src_port = fw_le32(buf + 16);
	h->dst_port = fw_le32(buf + 20);
	h->len = fw_le32(buf + 24);
	h->type = fw_le16(buf + 28);
	h->op = fw_le16(buf + 30);
	h->flags = fw_le32(buf + 32);
	h->buf_alloc = fw_le32(buf + 36);
	h->fwd_cnt = fw_le32(buf + 40);
	return h->len > len - VSOCK_HDR_LEN ? -1 : 0;
}

u32 vsock_credit(const struct vsock_conn *c)
{
	u32 in_flight = c->tx_cnt - c->peer_fwd_cnt;

	return in_flight >= c->peer_buf_alloc ? 0 :
	       c->peer_buf_alloc - in_flight;
}

static int send(struct vsock_ctx *x, struct vsock_conn *c, u16 op,
		u32 flags, const void *data, u32 len)
{
	u8 *hdr = x->d->va + TX_HDR;
	struct vsock_hdr h = {
		.src_cid = x->cid, .dst_cid = VSOCK_CID_HOST,
		.src_port = c->port, .dst_port = c->peer_port, .len = len,
		.type = VSOCK_TYPE_STREAM, .op = op, .flags = flags,
		.buf_alloc = VSOCK_BUF_ALLOC, .fwd_cnt = c->fwd_cnt,
	};
	const struct virtq_buf b[2] = {
		{ virtio_dma_addr(x->d, hdr), VSOCK_HDR_LEN, 0 },
		{ virtio_dma_addr(x->d, x->d->va + TX_DATA), len, 0 },
	};
	u32 n;

	if (len > PAGE - TX_DATA)
		return fail(x->vd, "packet too large");
	vsock_hdr_put(hdr, &h);
	if (len)
		fw_memcpy(x->d->va + TX_DATA, data, len);
	if (virtio_request(x->vd, &x->txq, b, len ? 2 : 1, &n))
		return -1;
	c->tx_cnt += len;
	return 0;
}

static u8 *rx_buf(const struct vsock_ctx *x, u16 id)
{
	return x->d->va + PAGE + id * VSOCK_RX_BUF;
}

static void rx_post(struct vsock_ctx *x, u16 id)
{
	virtq_post(&x->rxq->vq, id, virtio_dma_addr(x->d, rx_buf(x, id)),
		   VSOCK_RX_BUF);
	virtio_notify(x->rxq);
}

/* The next packet for our CID: 1, 0 after polls, -1 on a bad one. */
static int recv(struct vsock_ctx *x, struct vsock_pkt *p, u32 polls)
{
	u32 i, len;
	u16 id;
	int k;

	for (i = 0; i < polls; i++) {
		k = virtq_take(&x->rxq->vq, &id, &len);
		if (k < 0 || (k > 0 && id >= VSOCK_RX_BUFS))
			return fail(x->vd, "receive queue returned a wrong id");
		if (!k) {
			cpu_relax();
			continue;
		}
		k = vsock_hdr_parse(rx_buf(x, id),
				    len > VSOCK_RX_BUF ? VSOCK_RX_BUF : len,
				    &p->h);
		p->kept = k ? 0 : p->h.len < VSOCK_DATA_MAX ? p->h.len :
			  VSOCK_DATA_MAX;
		fw_memcpy(p->data, rx_buf(x, id) + VSOCK_HDR_LEN, p->kept);
		rx_post(x, id);
		if (k)
			return fail(x->vd, "malformed packet");
		if (p->h.dst_cid == x->cid && p->h.type == VSOCK_TYPE_STREAM)
			return 1;
	}
	return 0;
}

/*
 * The next packet of connection c (credit noted, CREDIT_REQUEST
 * answered); a REQUEST for another port is kept for later. 1, 0, -1.
 */
static int conn_recv(struct vsock_ctx *x, struct vsock_conn *c,
		     struct vsock_pkt *p, u32 polls)
{
	int k;

	while ((k = recv(x, p, polls)) > 0) {
		if (p->h.dst_port != c->port || p->h.src_port != c->peer_port) {
			if (p->h.op == VSOCK_OP_REQUEST && !x->has_pending) {
				x->pending = p->h;
				x->has_pending = 1;
			}
			continue;
		}
		c->peer_buf_alloc = p->h.buf_alloc;
		c->peer_fwd_cnt = p->h.fwd_cnt;
		if (p->h.op == VSOCK_OP_RW)
			c->fwd_cnt += p->h.len;
		if (p->h.op == VSOCK_OP_CREDIT_REQUEST) {
			if (send(x, c, VSOCK_OP_CREDIT_UPDATE, 0, NULL, 0))
				return -1;
			continue;
		}
		return 1;
	}
	return k;
}

/* Data within the peer's credit (asking for an update when short). */
static int send_data(struct vsock_ctx *x, struct vsock_conn *c,
		     const void *data, u32 len)
{
	struct vsock_pkt p;
	int tries = 4;

	while (vsock_credit(c) < len) {
		if (!tries-- ||
		    send(x, c, VSOCK_OP_CREDIT_REQUEST, 0, NULL, 0) ||
		    conn_recv(x, c, &p, VSOCK_POLLS) <= 0)
			return fail(x->vd, "no credit from the peer");
		if (p.h.op == VSOCK_OP_RST || p.h.op == VSOCK_OP_SHUTDOWN)
			return fail(x->vd, "peer closed before data");
	}
	return send(x, c, VSOCK_OP_RW, 0, data, len);
}

/* Waits for data on c: its first bytes in p (RW with a payload). */
static int recv_data(struct vsock_ctx *x, struct vsock_conn *c,
		     struct vsock_pkt *p)
{
	int k;

	while ((k = conn_recv(x, c, p, VSOCK_POLLS)) > 0) {
		if (p->h.op == VSOCK_OP_RW && p->h.len)
			return 0;
		if (p->h.op == VSOCK_OP_RST || p->h.op == VSOCK_OP_SHUTDOWN)
			return fail(x->vd, "peer closed before data");
	}
	return k ? -1 : fail(x->vd, "no data from the peer");
}

/* SHUTDOWN, then a bounded wait for the peer's RST. */
static int close_conn(struct vsock_ctx *x, struct vsock_conn *c)
{
	struct vsock_pkt p;

	if (send(x, c, VSOCK_OP_SHUTDOWN, VSOCK_SHUTDOWN_BOTH, NULL, 0))
		return -1;
	while (conn_recv(x, c, &p, VSOCK_CLOSE_POLLS) > 0)
		if (p.h.op == VSOCK_OP_RST)
			return 0;
	return 0;			/* no RST: the peer's business */
}

/*
 * Guest to host: REQUEST, RESPONSE, "ping" out, "ping" back. 1: the host
 * has no service on the port (RST): no peer, nothing to test against.
 */
static int connect_out(struct vsock_ctx *x)
{
	struct vsock_conn c = {
		.cid = x->cid, .port = VSOCK_LOCAL_PORT,
		.peer_port = VSOCK_HOST_PORT,
	};
	struct vsock_pkt p;
	int k;

	if (send(x, &c, VSOCK_OP_REQUEST, 0, NULL, 0))
		return -1;
	k = conn_recv(x, &c, &p, VSOCK_POLLS);
	if (k <= 0)
		return k ? -1 : fail(x->vd, "no answer to the connection");
	if (p.h.op == VSOCK_OP_RST)
		return 1;		/* no host service: no peer to test with */
	if (p.h.op != VSOCK_OP_RESPONSE)
		return fail(x->vd, "unexpected answer to the connection");
	if (send_data(x, &c, VSOCK_PING, sizeof(VSOCK_PING) - 1) ||
	    recv_data(x, &c, &p))
		return -1;
	if (p.kept != sizeof(VSOCK_PING) - 1 ||
	    fw_memcmp(p.data, VSOCK_PING, p.kept))
		return fail(x->vd, "the echo differs from what was sent");
	fw_printf("virtio-vsock: connected to host port %u, echo %s\n",
		  VSOCK_HOST_PORT, VSOCK_PING);
	return close_conn(x, &c);
}

/* A REQUEST to our listening port (perhaps one that came early). */
static int wait_request(struct vsock_ctx *x, struct vsock_hdr *h)
{
	struct vsock_pkt p;
	int k;

	if (x->has_pending && x->pending.dst_port == VSOCK_GUEST_PORT) {
		*h = x->pending;
		return 0;
	}
	while ((k = recv(x, &p, VSOCK_POLLS)) > 0) {
		if (p.h.op == VSOCK_OP_REQUEST &&
		    p.h.dst_port == VSOCK_GUEST_PORT) {
			*h = p.h;
			return 0;
		}
	}
	return k ? -1 : fail(x->vd, "no connection from the host");
}

/* Host to guest: accept on VSOCK_GUEST_PORT, echo the first data. */
static int accept_in(struct vsock_ctx *x, u32 *from, u32 *n)
{
	struct vsock_conn c = { .cid = x->cid, .port = VSOCK_GUEST_PORT };
	struct vsock_hdr h;
	struct vsock_pkt p;

	fw_printf("virtio-vsock: listening on port %u\n", VSOCK_GUEST_PORT);
	if (wait_request(x, &h))
		return -1;
	c.peer_port = h.src_port;
	c.peer_buf_alloc = h.buf_alloc;
	c.peer_fwd_cnt = h.fwd_cnt;
	if (send(x, &c, VSOCK_OP_RESPONSE, 0, NULL, 0) ||
	    recv_data(x, &c, &p) || send_data(x, &c, p.data, p.kept))
		return -1;
	*from = c.peer_port;
	*n = p.kept;
	return close_conn(x, &c);
}

static int setup(struct vsock_ctx *x)
{
	struct virtio_dev *vd = x->vd;
	const struct virtio_dma *d = x->d;
	u16 i;

	if (virtio_dma_size(d) < PAGE + VSOCK_RX_BUFS * VSOCK_RX_BUF)
		return fail(vd, "DMA block too small");
	if (virtio_cfg_read(vd, 0, 8, &x->cid) ||
	    virtio_queue_setup(vd, &x->txq, 1, d->va + TXQ_OFF,
			       virtio_dma_addr(d, d->va + TXQ_OFF)) ||
	    virtio_queue_setup(vd, &x->evq, 2, d->va + EVQ_OFF,
			       virtio_dma_addr(d, d->va + EVQ_OFF)))
		return -1;
	if (x->cid <= VSOCK_CID_HOST || x->cid >= 0xffffffffull)
		return fail(vd, "guest CID out of range");
	for (i = 0; i < VSOCK_RX_BUFS && i < x->rxq->vq.size; i++)
		virtq_post(&x->rxq->vq, i, virtio_dma_addr(d, rx_buf(x, i)),
			   VSOCK_RX_BUF);
	virtq_post(&x->evq.vq, 0, virtio_dma_addr(d, d->va + EV_BUF),
		   EV_BUF_LEN);
	if (virtio_driver_ok(vd))
		return -1;
	virtio_notify(x->rxq);
	virtio_notify(&x->evq);
	return 0;
}

int vsock_run(struct virtio_dev *vd, struct virtio_queue *rxq,
	      const struct virtio_dma *d, char *msg)
{
	struct vsock_ctx x = { .vd = vd, .rxq = rxq, .d = d };
	u32 from = 0, n = 0;

	int k;

	if (setup(&x))
		return -1;
	k = connect_out(&x);
	if (k > 0) {
		fw_printf("virtio-vsock: host port %u refused: no host peer, "
			  "echo tests not run\n", VSOCK_HOST_PORT);
		fw_snprintf(msg, VIRTIO_MSG_LEN, "cid %lu, no host peer",
			    x.cid);
		return 0;
	}
	if (k || accept_in(&x, &from, &n))
		return -1;
	fw_snprintf(msg, VIRTIO_MSG_LEN,
		    "cid %lu, echo to host port %u, %u bytes echoed from host "
		    "port %u", x.cid, VSOCK_HOST_PORT, n, from);
	return 0;
}
