// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vsock connection state machine (see vsock-conn.h). Connections
 * are keyed by (guest port, host port); packets that name none get an
 * RST from a small bounded queue (dropped, and counted, when it is
 * full), except RSTs themselves. Every header we send carries our
 * buf_alloc and fwd_cnt, so any packet doubles as a credit update.
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "devices/virtio/vsock-conn.h"
#include "devices/virtio/vsock-uds.h"
#include "lib/log.h"
#include "vmm/iothread.h"

void vsock_hdr_decode(const u8 *raw, struct vsock_hdr *h)
{
	u64 q;
	u32 l;
	u16 s;

#define GET(f, v, conv, o) do { memcpy(&v, raw + (o), sizeof(v)); \
				h->f = conv(v); } while (0)
	GET(src_cid, q, le64toh, 0);
	GET(dst_cid, q, le64toh, 8);
	GET(src_port, l, le32toh, 16);
	GET(dst_port, l, le32toh, 20);
	GET(len, l, le32toh, 24);
	GET(type, s, le16toh, 28);
	GET(op, s, le16toh, 30);
	GET(flags, l, le32toh, 32);
	GET(buf_alloc, l, le32toh, 36);
	GET(fwd_cnt, l, le32toh, 40);
#undef GET
}

void vsock_hdr_encode(const struct vsock_hdr *h, u8 *raw)
{
	u64 q;
	u32 l;
	u16 s;

#define PUT(f, v, conv, o) do { v = conv(h->f); \
				memcpy(raw + (o), &v, sizeof(v)); } while (0)
	PUT(src_cid, q, htole64, 0);
	PUT(dst_cid, q, htole64, 8);
	PUT(src_port, l, htole32, 16);
	PUT(dst_port, l, htole32, 20);
	PUT(len, l, htole32, 24);
	PUT(type, s, htole16, 28);
	PUT(op, s, htole16, 30);
	PUT(flags, l, htole32, 32);
	PUT(buf_alloc, l, htole32, 36);
	PUT(fwd_cnt, l, htole32, 40);
#undef PUT
}

void vsock_conns_init(struct vsock *v, u64 cid, const char *uds)
{
	unsigned int i;

	memset(v, 0, sizeof(*v));
	v->cid = cid;
	v->uds = uds;
	v->listen_fd = -1;
	v->next_port = VSOCK_EPHEMERAL;
	for (i = 0; i < VSOCK_MAX_CONNS; i++)
		v->conns[i].fd = -1;
}

struct vsock_conn *vsock_conn_alloc(struct vsock *v, int fd)
{
	struct vsock_conn *c = NULL;
	unsigned int i;

	for (i = 0; i < VSOCK_MAX_CONNS && !c; i++)
		if (v->conns[i].state == VC_FREE && v->conns[i].fd < 0)
			c = &v->conns[i];
	if (!c)
		return NULL;
	memset(c, 0, offsetof(struct vsock_conn, out));
	c->fd = -1;
	c->ring = malloc(VSOCK_BUF_ALLOC);
	if (!c->ring)
		return NULL;
	c->fd = fd;
	c->state = VC_LINE;
	if (v->iot && v->watch_fn) {
		if (iothread_add(v->iot, fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP |
				 EPOLLET, v->watch_fn, v->watch_opaque)) {
			free(c->ring);
			c->fd = -1;
			c->state = VC_FREE;
			return NULL;
		}
		c->watched = true;
	}
	return c;
}

void vsock_conn_close(struct vsock *v, struct vsock_conn *c)
{
	if (c->watched)
		iothread_del(v->iot, c->fd);
	if (c->fd >= 0)
		close(c->fd);
	free(c->ring);
	memset(c, 0, offsetof(struct vsock_conn, out));
	c->fd = -1;
	c->state = VC_FREE;
}

void vsock_conns_close_all(struct vsock *v, bool dead_only)
{
	unsigned int i;

	for (i = 0; i < VSOCK_MAX_CONNS; i++)
		if (v->conns[i].state != VC_FREE &&
		    (!dead_only || v->conns[i].dead))
			vsock_conn_close(v, &v->conns[i]);
	if (!dead_only)
		v->nr_stray = 0;
}

void vsock_conns_kill(struct vsock *v)
{
	unsigned int i;

	for (i = 0; i < VSOCK_MAX_CONNS; i++)
		if (v->conns[i].state != VC_FREE)
			v->conns[i].dead = true;
	v->nr_stray = 0;
}

void vsock_conn_reset(struct vsock *v, struct vsock_conn *c)
{
	if (c->state == VC_ESTABLISHED || c->state == VC_CLOSING ||
	    (c->state == VC_CONNECTING && !c->need_request)) {
		/* the guest knows it: the RST goes out, then we close */
		c->need_rst = true;
		c->state = VC_CLOSING;
		if (c->fd >= 0) {
			if (c->watched)
				iothread_del(v->iot, c->fd);
			close(c->fd);
			c->fd = -2;	/* slot busy until the RST is sent */
			c->watched = false;
		}
		return;
	}
	vsock_conn_close(v, c);
}

struct vsock_conn *vsock_conn_by_fd(struct vsock *v, int fd)
{
	unsigned int i;

	for (i = 0; i < VSOCK_MAX_CONNS; i++)
		if (v->conns[i].fd == fd && fd >= 0 && !v->conns[i].dead)
			return &v->conns[i];
	return NULL;
}

static bool conn_live(const struct vsock_conn *c)
{
	return c->state != VC_FREE && c->state != VC_LINE && !c->dead;
}

static struct vsock_conn *conn_find(struct vsock *v, u32 guest_port,
				    u32 host_port)
{
	unsigned int i;

	for (i = 0; i < VSOCK_MAX_CONNS; i++)
		if (conn_live(&v->conns[i]) &&
		    v->conns[i].guest_port == guest_port &&
		    v->conns[i].host_port == host_port)
			return &v->conns[i];
	return NULL;
}

u32 vsock_alloc_port(struct vsock *v)
{
	unsigned int i;
	u32 p;

	for (;;) {
		p = v->next_port++;
		if (v->next_port < VSOCK_EPHEMERAL)
			v->next_port = VSOCK_EPHEMERAL;
		for (i = 0; i < VSOCK_MAX_CONNS; i++)
			if (v->conns[i].state != VC_FREE &&
			    v->conns[i].host_port == p)
				break;
		if (i == VSOCK_MAX_CONNS)
			return p;
	}
}

u32 vsock_peer_credit(const struct vsock_conn *c)
{
	s64 used = (u32)(c->tx_cnt - c->peer_fwd_cnt);
	s64 credit = (s64)c->peer_buf_alloc - used;

	return credit > 0 ? (u32)credit : 0;
}

/* An RST to a packet that names no connection (never to an RST). */
static void stray_rst(struct vsock *v, const struct vsock_hdr *h)
{
	struct vsock_hdr *r;

	if (h->op == VSOCK_OP_RST)
		return;
	if (v->nr_stray == VSOCK_MAX_STRAY) {
		v->dropped++;
		return;
	}
	r = &v->stray[v->nr_stray++];
	memset(r, 0, sizeof(*r));
	r->src_port = h->dst_port;
	r->dst_port = h->src_port;
	r->op = VSOCK_OP_RST;
}

/* REQUEST to host port P: connect "<uds>_P". */
static void guest_connect(struct vsock *v, const struct vsock_hdr *h)
{
	struct vsock_conn *c;
	int fd;

	if (vsock_uds_connect(v->uds, h->dst_port, &fd)) {
		stray_rst(v, h);
		return;
	}
	c = vsock_conn_alloc(v, fd);
	if (!c) {
		close(fd);
		stray_rst(v, h);
		return;
	}
	c->state = VC_ESTABLISHED;
	c->guest_port = h->src_port;
	c->host_port = h->dst_port;
	c->peer_buf_alloc = h->buf_alloc;
	c->peer_fwd_cnt = h->fwd_cnt;
	c->need_response = true;
}

/* Data from the guest: into the ring, or a reset if it overruns. */
static void guest_data(struct vsock *v, struct vsock_conn *c,
		       const struct vsock_hdr *h, const u8 *p)
{
	u32 tail, first;

	if (c->guest_no_send || h->len > VSOCK_BUF_ALLOC - c->ring_len) {
		vsock_conn_reset(v, c);
		return;
	}
	tail = (c->ring_head + c->ring_len) % VSOCK_BUF_ALLOC;
	first = MIN(h->len, VSOCK_BUF_ALLOC - tail);
	memcpy(c->ring + tail, p, first);
	memcpy(c->ring, p + first, h->len - first);
	c->ring_len += h->len;
	c->rx_cnt += h->len;
	vsock_host_flush(v, c);
}

static void guest_shutdown(struct vsock *v, struct vsock_conn *c, u32 flags)
{
	c->guest_no_rcv |= !!(flags & VSOCK_SHUT_RCV);
	c->guest_no_send |= !!(flags & VSOCK_SHUT_SEND);
	if (c->guest_no_rcv && c->guest_no_send)
		c->state = VC_CLOSING;
	vsock_host_flush(v, c);
}

static void guest_response(struct vsock *v, struct vsock_conn *c)
{
	if (c->state != VC_CONNECTING || c->need_request) {
		vsock_conn_reset(v, c);
		return;
	}
	c->state = VC_ESTABLISHED;
	if (vsock_host_ok(c)) {
		vsock_conn_reset(v, c);
		return;
	}
	vsock_host_read(v, c);
}

/* A packet for connection c (it exists and is alive). */
static void conn_packet(struct vsock *v, struct vsock_conn *c,
			const struct vsock_hdr *h, const u8 *p)
{
	c->peer_buf_alloc = h->buf_alloc;
	c->peer_fwd_cnt = h->fwd_cnt;
	switch (h->op) {
	case VSOCK_OP_RESPONSE:
		guest_response(v, c);
		return;
	case VSOCK_OP_RST:
		vsock_conn_close(v, c);
		return;
	case VSOCK_OP_SHUTDOWN:
		guest_shutdown(v, c, h->flags);
		return;
	case VSOCK_OP_RW:
		if (c->state == VC_ESTABLISHED)
			guest_data(v, c, h, p);
		else
			vsock_conn_reset(v, c);
		return;
	case VSOCK_OP_CREDIT_UPDATE:
		break;
	case VSOCK_OP_CREDIT_REQUEST:
		c->need_credit = true;
		break;
	default:			/* REQUEST again, unknown ops */
		vsock_conn_reset(v, c);
		return;
	}
	if (c->state == VC_ESTABLISHED)
		vsock_host_read(v, c);	/* the credit may have grown */
}

void vsock_guest_packet(struct vsock *v, const struct vsock_hdr *h,
			const u8 *payload)
{
	struct vsock_conn *c;

	if (h->src_cid != v->cid || h->dst_cid != VSOCK_HOST_CID) {
		v->dropped++;		/* not ours to answer */
		return;
	}
	c = conn_find(v, h->src_port, h->dst_port);
	if (!payload || h->type != VSOCK_TYPE_STREAM) {
		if (c)
			vsock_conn_reset(v, c);
		else
			stray_rst(v, h);
		return;
	}
	if (c) {
		conn_packet(v, c, h, payload);
		return;
	}
	if (h->op == VSOCK_OP_REQUEST && v->running)
		guest_connect(v, h);
	else
		stray_rst(v, h);
}

static void hdr_for(const struct vsock *v, const struct vsock_conn *c,
		    struct vsock_hdr *h, u16 op)
{
	memset(h, 0, sizeof(*h));
	h->src_cid = VSOCK_HOST_CID;
	h->dst_cid = v->cid;
	h->type = VSOCK_TYPE_STREAM;
	h->op = op;
	if (!c)
		return;
	h->src_port = c->host_port;
	h->dst_port = c->guest_port;
	h->buf_alloc = VSOCK_BUF_ALLOC;
	h->fwd_cnt = c->fwd_cnt;
}

/* Data owed on c: up to room bytes, within the guest's credit. */
static bool conn_data(struct vsock *v, struct vsock_conn *c,
		      struct vsock_hdr *h, const u8 **payload, u32 room)
{
	u32 n = MIN(MIN(c->out_len - c->out_off, room), vsock_peer_credit(c));

	if (!n || c->state != VC_ESTABLISHED)
		return false;
	hdr_for(v, c, h, VSOCK_OP_RW);
	h->len = n;
	*payload = c->out + c->out_off;
	c->out_off += n;
	c->tx_cnt += n;
	return true;
}

/* The next packet owed on c, if any. */
static bool conn_next(struct vsock *v, struct vsock_conn *c,
		      struct vsock_hdr *h, const u8 **payload, u32 room)
{
	if (c->need_rst) {
		hdr_for(v, c, h, VSOCK_OP_RST);
		vsock_conn_close(v, c);
		return true;
	}
	if (c->need_request || c->need_response) {
		hdr_for(v, c, h, c->need_request ? VSOCK_OP_REQUEST :
			VSOCK_OP_RESPONSE);
		c->need_request = c->need_response = false;
	} else if (conn_data(v, c, h, payload, room)) {
		/* data */
	} else if (c->host_eof && !c->shut_sent &&
		   c->out_off == c->out_len && c->state == VC_ESTABLISHED) {
		hdr_for(v, c, h, VSOCK_OP_SHUTDOWN);
		h->flags = VSOCK_SHUT_SEND;
		c->shut_sent = true;
	} else if (c->need_credit) {
		hdr_for(v, c, h, VSOCK_OP_CREDIT_UPDATE);
	} else {
		return false;
	}
	c->need_credit = false;
	c->fwd_cnt_sent = c->fwd_cnt;
	return true;
}

int vsock_next_packet(struct vsock *v, struct vsock_hdr *h,
		      const u8 **payload, u32 room)
{
	struct vsock_conn *c;
	unsigned int i;
	bool sent;

	*payload = NULL;
	if (v->nr_stray) {
		hdr_for(v, NULL, h, VSOCK_OP_RST);
		h->src_port = v->stray[0].src_port;
		h->dst_port = v->stray[0].dst_port;
		memmove(v->stray, v->stray + 1,
			--v->nr_stray * sizeof(v->stray[0]));
		return 1;
	}
	for (i = 0; i < VSOCK_MAX_CONNS; i++) {
		c = &v->conns[(v->rr + i) % VSOCK_MAX_CONNS];
		if (c->state == VC_FREE || c->state == VC_LINE || c->dead)
			continue;
		/* refill out[] only now: the last payload has been copied */
		vsock_host_read(v, c);
		sent = conn_next(v, c, h, payload, room);
		if (sent) {
			v->rr = (v->rr + i + 1) % VSOCK_MAX_CONNS;
			return 1;
		}
	}
	return 0;
}
