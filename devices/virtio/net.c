// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-net (see net.h). Receive: the device reads one frame into its
 * bounce buffer (after the 12-byte header it builds) only when the guest
 * has posted a receive chain, then spreads header + frame over as many
 * chains as it takes (one without MRG_RXBUF) and publishes them together
 * with num_buffers in the first header. When the chains run out
 * mid-frame, the queue's state is rolled back (nothing was published;
 * the guest owns none of what was written) and the frame waits for the
 * next receiveq notification. Transmit: the frame after the header is
 * gathered from guest memory (DMA API iovecs) into one writev.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "devices/virtio/net.h"
#include "lib/log.h"
#include "vmm/iothread.h"

#define HDR		VIRTIO_NET_HDR_LEN
#define ETH_MIN		14	/* destination, source, type */
#define NUM_BUF_OFF	10	/* num_buffers in struct virtio_net_hdr_v1 */
#define NET_CFG_SIZE	8	/* mac[6], le16 status */

struct vnet {
	int fd;
	bool own_fd;
	bool vnet_hdr;			/* backend frames carry a header */
	bool warned_rd, warned_wr;	/* one message each */
	struct iothread *iot;
	bool watched;
	char name[32];			/* "tap0" or "fd 5", for messages */
	u8 cfg[NET_CFG_SIZE];
	size_t pending;			/* frame bytes in the bounce buffer */
	struct virtio_net_stats st;
	struct vq_elem elem;
	struct iovec iov[VQ_MAX_SEGS];
	u8 frame[HDR + VIRTIO_NET_FRAME_MAX];
};

static void net_tx_one(struct vnet *n, const struct vq_elem *e)
{
	static const u8 zero_hdr[HDR];
	unsigned int k0 = n->vnet_hdr ? 1 : 0;
	ssize_t w;
	int k;

	if (e->rd_len < HDR + ETH_MIN || e->rd_len > HDR + VIRTIO_NET_FRAME_MAX)
		goto drop;
	n->iov[0] = (struct iovec){ (void *)(uintptr_t)zero_hdr, HDR };
	k = vq_iov_slice(e->iov, e->nr_rd, HDR, e->rd_len - HDR, n->iov + k0,
			 VQ_MAX_SEGS - 1);
	if (k < 0)
		goto drop;
	do {
		w = writev(n->fd, n->iov, k + (int)k0);
	} while (w < 0 && errno == EINTR);
	if (w >= 0) {
		n->st.tx_frames++;
		return;
	}
	if (!n->warned_wr && errno != EAGAIN)
		pr_err("virtio-net: write a frame to %s: %s; frames dropped",
		       n->name, strerror(errno));
	n->warned_wr |= errno != EAGAIN;
drop:
	n->st.tx_dropped++;
}

static int net_tx(struct vnet *n, struct virtq *vq)
{
	int r, f;

	while ((r = vq_pop(vq, &n->elem)) == 1) {
		net_tx_one(n, &n->elem);
		r = vq_fill(vq, n->elem.head, 0);
		if (r)
			break;
	}
	f = vq_flush(vq);
	return r < 0 ? r : f;
}

/* Is there a receive chain? The queue is left as it was. */
static int net_rx_avail(struct vnet *n, struct virtq *vq)
{
	struct virtq saved = *vq;
	int r = vq_pop(vq, &n->elem);

	if (r >= 0)
		*vq = saved;
	return r;
}

/* Read one frame: 1 read (pending may be 0: ignored), 0 none. */
static int net_read(struct vnet *n)
{
	u8 *buf = n->vnet_hdr ? n->frame : n->frame + HDR;
	size_t want = n->vnet_hdr ? sizeof(n->frame) : VIRTIO_NET_FRAME_MAX;
	ssize_t r;

	do {
		r = read(n->fd, buf, want);
	} while (r < 0 && errno == EINTR);
	if (r < 0) {
		if (errno != EAGAIN && !n->warned_rd)
			pr_err("virtio-net: read a frame from %s: %s", n->name,
			       strerror(errno));
		n->warned_rd |= errno != EAGAIN;
		return 0;
	}
	if (n->vnet_hdr)
		r = r > HDR ? r - HDR : 0;
	n->pending = (size_t)r;
	return 1;
}

/* Copy frame bytes from off into one chain; the bytes it took. */
static u32 net_rx_fill(struct vnet *n, const struct vq_elem *e, size_t off,
		       size_t total)
{
	size_t c = MIN(total - off, e->wr_len);

	vq_elem_write(e, 0, n->frame + off, c);
	return (u32)c;
}

/* num_buffers of the first chain's header. */
static int net_num_buffers(const struct vq_elem *e, struct iovec nb[2])
{
	return vq_iov_slice(e->iov + e->nr_rd, e->nr_wr, NUM_BUF_OFF, 2, nb, 2);
}

static void net_set_num_buffers(struct iovec *nb, int k, u16 bufs)
{
	u16 v = htole16(bufs);
	const u8 *p = (const u8 *)&v;
	int i;

	for (i = 0; i < k; i++) {
		memcpy(nb[i].iov_base, p, nb[i].iov_len);
		p += nb[i].iov_len;
	}
}

/* The queue as before net_rx_put; the frame is dropped or kept. */
static int net_rx_undo(struct vnet *n, struct virtq *vq,
		       const struct virtq *saved, bool drop)
{
	*vq = *saved;
	n->st.rx_dropped += drop;
	return drop;
}

/*
 * A receive chain whose buffer the DMA API refused (IOMMU, SEV): the frame
 * is dropped. As the first chain it is returned with length 0; after
 * others, the queue is rolled back and the next frame meets it first.
 */
static int net_rx_refused(struct vnet *n, struct virtq *vq,
			  const struct virtq *saved, u16 bufs)
{
	if (bufs)
		return net_rx_undo(n, vq, saved, true);
	n->st.rx_dropped++;
	return vq_fill(vq, n->elem.head, 0) ?: 1;
}

/*
 * Deliver the pending frame: 1 done (or dropped: no chain, or not the
 * whole ring, could hold it), 0 not enough chains yet (the queue is
 * rolled back), < 0 a malformed ring.
 */
static int net_rx_put(struct virtio_dev *vdev, struct vnet *n,
		      struct virtq *vq)
{
	bool mrg = virtio_has_feature(vdev, VIRTIO_NET_F_MRG_RXBUF);
	size_t total = HDR + n->pending, off = 0;
	struct virtq saved = *vq;
	struct iovec nb[2];
	u16 bufs = 0;
	int r, k = 0;

	memset(n->frame, 0, HDR);
	while (off < total) {
		if (bufs == vq->size)
			return net_rx_undo(n, vq, &saved, true);
		r = vq_pop(vq, &n->elem);
		if (r <= 0)
			return r ? r : net_rx_undo(n, vq, &saved, false);
		if (n->elem.refused)
			return net_rx_refused(n, vq, &saved, bufs);
		if (!mrg && n->elem.wr_len < total)
			return net_rx_undo(n, vq, &saved, true);
		if (!bufs) {
			k = net_num_buffers(&n->elem, nb);
			if (k < 0)
				return -EPROTO;	/* no room for the header */
		}
		r = vq_fill(vq, n->elem.head,
			    net_rx_fill(n, &n->elem, off, total));
		if (r)
			return r;
		off += MIN(total - off, n->elem.wr_len);
		bufs++;
	}
	net_set_num_buffers(nb, k, bufs);
	n->st.rx_frames++;
	return vq_flush(vq) ? -EIO : 1;
}

static void net_rx(struct virtio_dev *vdev, struct vnet *n)
{
	struct virtq *vq = &vdev->vqs[VIRTIO_NET_RXQ];
	int r = 0;

	if (!virtio_running(vdev) || !vq->enabled || vq->broken)
		return;
	for (;;) {
		if (!n->pending) {
			r = net_rx_avail(n, vq);
			if (r > 0)
				r = net_read(n);
			if (r <= 0)
				break;
			if (!n->pending)
				continue;	/* an empty datagram */
		}
		r = net_rx_put(vdev, n, vq);
		if (r <= 0)
			break;
		n->pending = 0;
	}
	if (r < 0)
		virtio_set_needs_reset(vdev, VIRTIO_NET_RXQ, r);
	virtio_queue_interrupt(vdev, VIRTIO_NET_RXQ);
}

void virtio_net_backend_ready(struct virtio_dev *vdev)
{
	virtio_lock(vdev);
	net_rx(vdev, vdev->priv);
	virtio_unlock(vdev);
}

void virtio_net_get_stats(struct virtio_dev *vdev, struct virtio_net_stats *st)
{
	struct vnet *n = vdev->priv;

	virtio_lock(vdev);
	*st = n->st;
	virtio_unlock(vdev);
}

static void net_queue_notify(struct virtio_dev *vdev, u16 q)
{
	struct vnet *n = vdev->priv;
	int r;

	if (q == VIRTIO_NET_RXQ) {
		net_rx(vdev, n);
		return;
	}
	r = net_tx(n, &vdev->vqs[q]);
	if (r < 0)
		virtio_set_needs_reset(vdev, q, r);
	virtio_queue_interrupt(vdev, q);
}

static int net_start(struct virtio_dev *vdev)
{
	/* buffers posted (and notified) before DRIVER_OK */
	net_rx(vdev, vdev->priv);
	return 0;
}

static void net_reset(struct virtio_dev *vdev)
{
	struct vnet *n = vdev->priv;

	n->st.rx_dropped += !!n->pending;
	n->pending = 0;
}

static void net_cfg_read(struct virtio_dev *vdev, u32 off, void *buf,
			 u32 len)
{
	struct vnet *n = vdev->priv;

	memcpy(buf, n->cfg + off, len);
}

static void net_free(struct virtio_dev *vdev)
{
	struct vnet *n = vdev->priv;

	if (n->watched)
		iothread_del(n->iot, n->fd);
	if (n->own_fd && n->fd >= 0)
		close(n->fd);
	free(n);
}

const struct virtio_dev_ops virtio_net_ops = {
	.name		= "virtio-net",
	.device_id	= VIRTIO_ID_NET,
	.features	= 1ULL << VIRTIO_NET_F_MAC |
			  1ULL << VIRTIO_NET_F_MRG_RXBUF |
			  1ULL << VIRTIO_NET_F_STATUS,
	.config_size	= NET_CFG_SIZE,
	.num_queues	= 2,
	.queue_max	= VIRTIO_NET_QUEUE_MAX,
	.cfg_read	= net_cfg_read,
	.start		= net_start,
	.queue_notify	= net_queue_notify,
	.reset		= net_reset,
	.free		= net_free,
};

static int net_open_tap(struct vnet *n, const char *name)
{
	struct ifreq ifr;
	int hdr = HDR, r = 0;

	n->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (n->fd < 0)
		return -errno;
	n->own_fd = true;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(n->fd, TUNSETIFF, &ifr) ||
	    ioctl(n->fd, TUNSETVNETHDRSZ, &hdr))
		r = -errno;
	n->vnet_hdr = true;
	return r;
}

/* Any fd; a tap with IFF_VNET_HDR gets our header size, other taps
 * must be IFF_TAP | IFF_NO_PI (frames as they are). */
static int net_use_fd(struct vnet *n, int fd)
{
	struct ifreq ifr;
	int hdr = HDR, fl = fcntl(fd, F_GETFL);

	n->fd = fd;
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK))
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	if (ioctl(fd, TUNGETIFF, &ifr))
		return 0;		/* not a tap: a packet socket */
	if (!(ifr.ifr_flags & IFF_TAP) || !(ifr.ifr_flags & IFF_NO_PI))
		return -EPROTONOSUPPORT;
	if (!(ifr.ifr_flags & IFF_VNET_HDR))
		return 0;
	if (ioctl(fd, TUNSETVNETHDRSZ, &hdr))
		return -errno;
	n->vnet_hdr = true;
	return 0;
}

static int net_backend(struct vnet *n, const struct virtio_net_conf *c)
{
	int r;

	if (c->tap)
		snprintf(n->name, sizeof(n->name), "tap %s", c->tap);
	else
		snprintf(n->name, sizeof(n->name), "fd %d", c->fd);
	r = c->tap ? net_open_tap(n, c->tap) : net_use_fd(n, c->fd);
	if (r)
		pr_err("virtio-net: open %s: %s", n->name,
		       r == -EPROTONOSUPPORT ?
		       "not IFF_TAP | IFF_NO_PI (a tun, or packet info on)" :
		       strerror(-r));
	return r;
}

static void net_config(struct vnet *n, const struct virtio_net_conf *c)
{
	static const u8 base[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	u16 status = htole16(VIRTIO_NET_S_LINK_UP);

	memcpy(n->cfg, c->has_mac ? c->mac : base, 6);
	if (!c->has_mac)
		n->cfg[5] = (u8)(n->cfg[5] + c->slot);
	memcpy(n->cfg + 6, &status, sizeof(status));
}

static void net_ready_cb(int fd, u32 events, void *opaque)
{
	virtio_net_backend_ready(opaque);
}

int virtio_net_init(struct virtio_dev *vdev, const struct virtio_net_conf *c,
		    struct iothread *iot, struct dma_as *as, bool sev)
{
	struct vnet *n = calloc(1, sizeof(*n));
	int r;

	if (!n)
		return -ENOMEM;
	n->fd = -1;
	net_config(n, c);
	r = net_backend(n, c);
	if (!r)
		r = virtio_dev_init(vdev, &virtio_net_ops, n, as, sev);
	if (r) {
		net_free(&(struct virtio_dev){ .priv = n });
		return r;
	}
	n->iot = iot;
	if (iot) {
		r = iothread_add(iot, n->fd, EPOLLIN | EPOLLET, net_ready_cb,
				 vdev);
		n->watched = !r;
	}
	if (r)
		virtio_dev_free(vdev);
	return r;
}
