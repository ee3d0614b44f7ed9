// SPDX-License-Identifier: GPL-2.0-only
/* virtio-net: one broadcast frame out, one frame of ours in. */
#include "firmware/format.h"
#include "firmware/hw.h"
#include "firmware/serial.h"
#include "firmware/vnet.h"

#define NET_CFG_MAC	0
#define NET_CFG_STATUS	6
#define TXQ_OFF		512	/* rx queue at 0 (drive()), tx queue here */
#define TX_BUF		1024
#define PAGE		4096

static int fail(struct virtio_dev *vd, const char *why)
{
	vd->why = why;
	return -1;
}

u32 vnet_frame(u8 *buf, const u8 mac[6])
{
	static const char payload[] = VNET_TX_PAYLOAD;

	fw_memset(buf, 0, VNET_ETH_MIN);
	fw_memset(buf, 0xff, 6);
	fw_memcpy(buf + 6, mac, 6);
	buf[12] = VNET_ETHERTYPE >> 8;
	buf[13] = VNET_ETHERTYPE & 0xff;
	fw_memcpy(buf + VNET_ETH_HLEN, payload, sizeof(payload) - 1);
	return VNET_ETH_MIN;
}

int vnet_rx_parse(const u8 *buf, u32 len, struct vnet_rx *r)
{
	const u8 *eth = buf + VNET_HDR_LEN;

	if (len < VNET_HDR_LEN + VNET_ETH_HLEN || len > VNET_RX_BUF)
		return -1;
	if (fw_le16(buf + 10) > 1)	/* num_buffers: one buffer per frame */
		return -1;
	if ((eth[12] << 8 | eth[13]) != VNET_ETHERTYPE)
		return 0;
	r->frame_len = len - VNET_HDR_LEN;
	r->payload = eth + VNET_ETH_HLEN;
	r->payload_len = r->frame_len - VNET_ETH_HLEN;
	return 1;
}

void vnet_payload_text(const struct vnet_rx *r, char *out)
{
	u32 i;

	for (i = 0; i < r->payload_len && i < VNET_PAYLOAD_SHOWN; i++) {
		if (r->payload[i] < 0x20 || r->payload[i] > 0x7e)
			break;
		out[i] = (char)r->payload[i];
	}
	out[i] = '\0';
}

/* The MAC (or a fixed local one without F_MAC) and the link state. */
static int read_config(struct virtio_dev *vd, u8 mac[6], int *link)
{
	static const u8 local[6] = { 0x02, 0x73, 0x65, 0x76, 0x6d, 0x01 };
	u64 v;
	u32 i;

	fw_memcpy(mac, local, 6);
	for (i = 0; (vd->features & VIRTIO_NET_F_MAC) && i < 6; i++) {
		if (virtio_cfg_read(vd, NET_CFG_MAC + i, 1, &v))
			return -1;
		mac[i] = (u8)v;
	}
	*link = 1;			/* without F_STATUS: always up */
	if (vd->features & VIRTIO_NET_F_STATUS) {
		if (virtio_cfg_read(vd, NET_CFG_STATUS, 2, &v))
			return -1;
		*link = v & VIRTIO_NET_S_LINK_UP;
	}
	return 0;
}

static u8 *rx_buf(const struct virtio_dma *d, u16 id)
{
	return d->va + PAGE + id * VNET_RX_BUF;
}

static void rx_post(const struct virtio_dma *d, struct virtio_queue *rxq,
		    u16 id)
{
	virtq_post(&rxq->vq, id, virtio_dma_addr(d, rx_buf(d, id)),
		   VNET_RX_BUF);
	virtio_notify(rxq);
}

/* Waits for a frame of ours, skipping (and reposting) others. */
static int receive(struct virtio_dev *vd, struct virtio_queue *rxq,
		   const struct virtio_dma *d, struct vnet_rx *r)
{
	u32 polls, skipped = 0, len;
	u16 id;
	int k;

	for (polls = 0; polls < VNET_RX_POLLS; polls++) {
		k = virtq_take(&rxq->vq, &id, &len);
		if (k < 0 || (k > 0 && id >= VNET_RX_BUFS))
			return fail(vd, "receive queue returned a wrong id");
		if (!k) {
			cpu_relax();
			continue;
		}
		k = vnet_rx_parse(rx_buf(d, id), len, r);
		if (k < 0)
			return fail(vd, "malformed receive buffer");
		if (k > 0)
			return 0;
		if (++skipped > VNET_RX_SKIP)
			return fail(vd, "only other frames received");
		rx_post(d, rxq, id);
	}
	return 1;			/* nothing: no peer on the backend */
}

static int transmit(struct virtio_dev *vd, struct virtio_queue *txq,
		    const struct virtio_dma *d, const u8 mac[6], u32 *n)
{
	u8 *hdr = d->va + TX_BUF;
	struct virtq_buf b = { virtio_dma_addr(d, hdr), 0, 0 };
	u32 len;

	fw_memset(hdr, 0, VNET_HDR_LEN);
	*n = vnet_frame(hdr + VNET_HDR_LEN, mac);
	b.len = VNET_HDR_LEN + *n;
	return virtio_request(vd, txq, &b, 1, &len);
}

int vnet_run(struct virtio_dev *vd, struct virtio_queue *rxq,
	     const struct virtio_dma *d, char *msg)
{
	struct virtio_queue txq;
	char text[VNET_PAYLOAD_SHOWN + 1];
	struct vnet_rx r;
	u8 mac[6];
	int link, rx;
	u32 n;
	u16 i;

	if (virtio_dma_size(d) < PAGE + VNET_RX_BUFS * VNET_RX_BUF)
		return fail(vd, "DMA block too small");
	if (virtio_queue_setup(vd, &txq, 1, d->va + TXQ_OFF,
			       virtio_dma_addr(d, d->va + TXQ_OFF)) ||
	    read_config(vd, mac, &link))
		return -1;
	for (i = 0; i < VNET_RX_BUFS && i < rxq->vq.size; i++)
		virtq_post(&rxq->vq, i, virtio_dma_addr(d, rx_buf(d, i)),
			   VNET_RX_BUF);
	if (virtio_driver_ok(vd))
		return -1;
	virtio_notify(rxq);
	if (transmit(vd, &txq, d, mac, &n))
		return -1;
	rx = receive(vd, rxq, d, &r);
	if (rx < 0)
		return -1;
	if (rx) {
		fw_printf("virtio-net: rx none (no peer answered)\n");
	} else {
		vnet_payload_text(&r, text);
		fw_printf("virtio-net: rx %u bytes %s\n", r.frame_len, text);
	}
	fw_snprintf(msg, VIRTIO_MSG_LEN,
		    "mac %02x:%02x:%02x:%02x:%02x:%02x, link %s, tx %u bytes",
		    mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
		    link ? "up" : "down", n);
	return 0;
}
