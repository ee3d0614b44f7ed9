// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-vsock (see vsock.h): the virtqueues around the connection state
 * machine (vsock-conn.c) and the host sockets (vsock-uds.c).
 *
 * tx: each chain is one packet, the 44-byte header then len payload
 * bytes in its readable part; the header is copied out and checked
 * before anything else (a len past the chain or above VSOCK_MAX_PKT: the
 * connection is reset). rx: a chain is popped first and the state
 * machine asked for a packet that fits it; with nothing owed the queue
 * is rolled back, so chains are only consumed by real packets.
 *
 * Threads: all connection work runs on the I/O thread (socket watches,
 * queue notifications). DRIVER_OK and reset come from a vCPU thread;
 * they only flag work and kick the I/O thread through an eventfd, so a
 * socket watch is never removed from another thread under the lock.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "devices/virtio/vsock-conn.h"
#include "devices/virtio/vsock-uds.h"
#include "devices/virtio/vsock.h"
#include "lib/log.h"
#include "vmm/iothread.h"

#define HDR	VSOCK_HDR_LEN

struct vsock_dev {
	struct vsock vs;
	char *uds;
	struct vsock_uds_id uds_id;
	bool uds_ours;
	struct iothread *iot;
	int kick_fd;			/* eventfd: deferred work */
	bool listen_watched, kick_watched;
	bool reset_pending;
	bool closing;			/* being freed: callbacks do nothing */
	u64 cfg_cid;			/* le64 guest_cid */
	struct vq_elem elem;
	u8 pkt[VSOCK_MAX_PKT];
};

static void vs_tx_one(struct vsock_dev *d, const struct vq_elem *e)
{
	struct vsock_hdr h;
	u8 raw[HDR];

	if (e->rd_len < HDR) {
		d->vs.dropped++;	/* no header: nobody to answer */
		return;
	}
	vq_elem_read(e, 0, raw, HDR);
	vsock_hdr_decode(raw, &h);
	if (h.len > VSOCK_MAX_PKT || h.len > e->rd_len - HDR) {
		vsock_guest_packet(&d->vs, &h, NULL);
		return;
	}
	vq_elem_read(e, HDR, d->pkt, h.len);
	vsock_guest_packet(&d->vs, &h, d->pkt);
}

static int vs_tx(struct vsock_dev *d, struct virtq *vq)
{
	int r, f;

	while ((r = vq_pop(vq, &d->elem)) == 1) {
		vs_tx_one(d, &d->elem);
		r = vq_fill(vq, d->elem.head, 0);
		if (r)
			break;
	}
	f = vq_flush(vq);
	return r < 0 ? r : f;
}

/* One packet into the chain just popped: 1 sent, 0 nothing owed. */
static int vs_rx_one(struct vsock_dev *d, struct virtq *vq)
{
	const struct vq_elem *e = &d->elem;
	struct vsock_hdr h;
	const u8 *p;
	u8 raw[HDR];

	if (e->refused)		/* the DMA API refused it: give it back */
		return vq_fill(vq, e->head, 0) ?: 1;
	if (e->wr_len < HDR)
		return -EPROTO;		/* a chain too small for any packet */
	if (!vsock_next_packet(&d->vs, &h, &p,
			       (u32)MIN(e->wr_len - HDR, VSOCK_MAX_PKT)))
		return 0;
	vsock_hdr_encode(&h, raw);
	vq_elem_write(e, 0, raw, HDR);
	if (h.len)
		vq_elem_write(e, HDR, p, h.len);
	return vq_fill(vq, e->head, HDR + h.len) ?: 1;
}

/* Fill rx chains with what is owed to the guest. */
static void vs_pump(struct virtio_dev *vdev, struct vsock_dev *d)
{
	struct virtq *vq = &vdev->vqs[VIRTIO_VSOCK_RXQ];
	struct virtq saved;
	int r, f;

	if (!virtio_running(vdev) || !vq->enabled || vq->broken)
		return;
	for (;;) {
		saved = *vq;
		r = vq_pop(vq, &d->elem);
		if (r == 1)
			r = vs_rx_one(d, vq);
		if (!r)
			*vq = saved;
		if (r != 1)
			break;
	}
	f = vq_flush(vq);
	if (r < 0 || f < 0)
		virtio_set_needs_reset(vdev, VIRTIO_VSOCK_RXQ, r < 0 ? r : f);
	virtio_queue_interrupt(vdev, VIRTIO_VSOCK_RXQ);
}

static void vs_host_io_all(struct vsock_dev *d)
{
	unsigned int i;

	for (i = 0; i < VSOCK_MAX_CONNS; i++)
		if (d->vs.conns[i].state != VC_FREE)
			vsock_host_io(&d->vs, &d->vs.conns[i]);
}

void virtio_vsock_poll(struct virtio_dev *vdev)
{
	struct vsock_dev *d = vdev->priv;

	virtio_lock(vdev);
	vsock_accept(&d->vs);
	vs_host_io_all(d);
	vs_pump(vdev, d);
	virtio_unlock(vdev);
}

static void vs_queue_notify(struct virtio_dev *vdev, u16 q)
{
	struct vsock_dev *d = vdev->priv;
	int r;

	if (q == VIRTIO_VSOCK_TXQ) {
		r = vs_tx(d, &vdev->vqs[q]);
		if (r < 0)
			virtio_set_needs_reset(vdev, q, r);
		virtio_queue_interrupt(vdev, q);
	}
	vs_pump(vdev, d);	/* replies, or rx chains were added */
}

/* Let the I/O thread do what a vCPU thread must not. */
static void vs_kick(struct vsock_dev *d)
{
	u64 one = 1;

	if (write(d->kick_fd, &one, sizeof(one)) != sizeof(one))
		pr_warn("vsock: kick the I/O thread: %s", strerror(errno));
}

static void vs_kick_cb(int fd, u32 events, void *opaque)
{
	struct virtio_dev *vdev = opaque;
	struct vsock_dev *d = vdev->priv;
	u64 cnt;

	if (read(fd, &cnt, sizeof(cnt)) != sizeof(cnt))
		return;
	virtio_lock(vdev);
	if (d->closing) {
		virtio_unlock(vdev);
		return;
	}
	if (d->reset_pending)
		vsock_conns_close_all(&d->vs, true);
	d->reset_pending = false;
	vs_host_io_all(d);
	vs_pump(vdev, d);
	virtio_unlock(vdev);
}

static void vs_conn_cb(int fd, u32 events, void *opaque)
{
	struct virtio_dev *vdev = opaque;
	struct vsock_dev *d = vdev->priv;
	struct vsock_conn *c;

	virtio_lock(vdev);
	if (!d->closing) {
		c = vsock_conn_by_fd(&d->vs, fd);
		if (c)
			vsock_host_io(&d->vs, c);
		vs_pump(vdev, d);
	}
	virtio_unlock(vdev);
}

static void vs_listen_cb(int fd, u32 events, void *opaque)
{
	struct virtio_dev *vdev = opaque;
	struct vsock_dev *d = vdev->priv;

	virtio_lock(vdev);
	if (!d->closing) {
		vsock_accept(&d->vs);
		vs_pump(vdev, d);
	}
	virtio_unlock(vdev);
}

static int vs_start(struct virtio_dev *vdev)
{
	struct vsock_dev *d = vdev->priv;

	d->vs.running = true;
	if (d->iot)
		vs_kick(d);
	else
		vs_pump(vdev, d);
	return 0;
}

static void vs_reset(struct virtio_dev *vdev)
{
	struct vsock_dev *d = vdev->priv;

	d->vs.running = false;
	if (!d->iot) {
		vsock_conns_close_all(&d->vs, false);
		return;
	}
	vsock_conns_kill(&d->vs);
	d->reset_pending = true;
	vs_kick(d);
}

static void vs_cfg_read(struct virtio_dev *vdev, u32 off, void *buf, u32 len)
{
	struct vsock_dev *d = vdev->priv;

	memcpy(buf, (u8 *)&d->cfg_cid + off, len);
}

/*
 * Stop the I/O thread's work on this device: under the lock, mark it
 * closing (callbacks then return at once) and take the connection
 * watches over; without the lock, remove them (iothread_del waits for a
 * callback that is running).
 */
static void vs_unwatch(struct virtio_dev *vdev, struct vsock_dev *d)
{
	int fds[VSOCK_MAX_CONNS];
	unsigned int i, n = 0;

	virtio_lock(vdev);
	d->closing = true;
	for (i = 0; i < VSOCK_MAX_CONNS; i++) {
		if (d->vs.conns[i].watched)
			fds[n++] = d->vs.conns[i].fd;
		d->vs.conns[i].watched = false;
	}
	virtio_unlock(vdev);
	for (i = 0; i < n; i++)
		iothread_del(d->iot, fds[i]);
	if (d->listen_watched)
		iothread_del(d->iot, d->vs.listen_fd);
	if (d->kick_watched)
		iothread_del(d->iot, d->kick_fd);
}

/* Called without the device lock (virtio_dev_free). */
static void vs_free(struct virtio_dev *vdev)
{
	struct vsock_dev *d = vdev->priv;

	if (d->iot)
		vs_unwatch(vdev, d);
	vsock_conns_close_all(&d->vs, false);
	if (d->vs.listen_fd >= 0)
		close(d->vs.listen_fd);
	if (d->uds_ours)
		vsock_uds_unlink(d->uds, &d->uds_id);
	if (d->kick_fd >= 0)
		close(d->kick_fd);
	free(d->uds);
	free(d);
}

const struct virtio_dev_ops virtio_vsock_ops = {
	.name		= "vsock",
	.device_id	= VIRTIO_ID_VSOCK,
	.config_size	= sizeof(u64),
	.num_queues	= 3,
	.queue_max	= VIRTIO_VSOCK_QUEUE_MAX,
	.cfg_read	= vs_cfg_read,
	.start		= vs_start,
	.queue_notify	= vs_queue_notify,
	.reset		= vs_reset,
	.free		= vs_free,
};

static const char *vs_listen_why(int r)
{
	switch (r) {
	case -ELOOP:
		return "a symlink (never followed)";
	case -EEXIST:
		return "exists and is not a socket";
	case -EADDRINUSE:
		return "a live socket: another process listens there";
	default:
		return strerror(-r);
	}
}

static int vs_watch(struct virtio_dev *vdev, struct vsock_dev *d,
		    struct iothread *iot)
{
	int r;

	d->iot = iot;
	d->vs.iot = iot;
	d->vs.watch_fn = vs_conn_cb;
	d->vs.watch_opaque = vdev;
	d->kick_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (d->kick_fd < 0)
		return -errno;
	r = iothread_add(iot, d->kick_fd, EPOLLIN, vs_kick_cb, vdev);
	if (r)
		return r;
	d->kick_watched = true;
	r = iothread_add(iot, d->vs.listen_fd, EPOLLIN, vs_listen_cb, vdev);
	d->listen_watched = !r;
	return r;
}

static int vs_setup(struct vsock_dev *d, const struct virtio_vsock_conf *c)
{
	int r;

	d->kick_fd = -1;
	vsock_conns_init(&d->vs, c->cid, NULL);
	d->uds = strdup(c->uds);
	if (!d->uds)
		return -ENOMEM;
	d->vs.uds = d->uds;
	d->cfg_cid = htole64(c->cid);
	r = vsock_uds_listen(d->uds, &d->vs.listen_fd, &d->uds_id);
	if (r) {
		pr_err("vsock: listen on uds=%s: %s", c->uds, vs_listen_why(r));
		return r;
	}
	d->uds_ours = true;
	return 0;
}

int virtio_vsock_init(struct virtio_dev *vdev,
		      const struct virtio_vsock_conf *c, struct iothread *iot,
		      struct dma_as *as, bool sev)
{
	struct vsock_dev *d = calloc(1, sizeof(*d));
	int r;

	if (!d)
		return -ENOMEM;
	r = vs_setup(d, c);
	if (!r)
		r = virtio_dev_init(vdev, &virtio_vsock_ops, d, as, sev);
	if (r) {
		vs_free(&(struct virtio_dev){ .priv = d });
		return r;
	}
	if (!iot)
		return 0;
	r = vs_watch(vdev, d, iot);
	if (r) {
		pr_err("vsock: watch uds=%s on the I/O thread: %s", c->uds,
		       strerror(-r));
		virtio_dev_free(vdev);
	}
	return r;
}
