// SPDX-License-Identifier: GPL-2.0-only
/* virtio-blk, virtio-rng and virtio-console (port 0) for the self test. */
#include "firmware/format.h"
#include "firmware/hw.h"
#include "firmware/serial.h"
#include "firmware/sha256.h"
#include "firmware/virtio-drivers.h"
#include "firmware/virtio.h"
#include "firmware/vnet.h"
#include "firmware/vsock.h"

#define BLK_SECTOR		512
#define BLK_T_IN		0
#define BLK_S_OK		0
#define BLK_HDR_LEN		16	/* le32 type, le32 0, le64 sector */
#define RNG_BYTES		16
#define RNG_TRIES		4
#define MSG_LEN			VIRTIO_MSG_LEN

struct vdriver {
	u16 device_id;		/* PCI device ID */
	u16 queue;		/* the queue set up at the block's start */
	const char *name;
	virtio_drv_fn run;
	u64 features;		/* device-specific features accepted */
};

static int fail(struct virtio_dev *vd, const char *why)
{
	vd->why = why;
	return -1;
}

static void hex(char *out, const u8 *p, u32 n)
{
	static const char digits[] = "0123456789abcdef";
	u32 i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

/* Reads sector 0: header (device reads), data and status (device writes). */
static int blk_run(struct virtio_dev *vd, struct virtio_queue *q,
		   const struct virtio_dma *d, char *msg)
{
	u8 *hdr = d->va + VIRTIO_DMA_BUF, *data = hdr + BLK_HDR_LEN;
	volatile u8 *status = data + BLK_SECTOR;
	u64 pa = virtio_dma_addr(d, hdr), sectors;
	const struct virtq_buf b[3] = {
		{ pa, BLK_HDR_LEN, 0 },
		{ pa + BLK_HDR_LEN, BLK_SECTOR, 1 },
		{ pa + BLK_HDR_LEN + BLK_SECTOR, 1, 1 },
	};
	u8 digest[SHA256_DIGEST_SIZE];
	char h[2 * SHA256_DIGEST_SIZE + 1];
	u32 len;

	if (virtio_driver_ok(vd))
		return -1;
	if (virtio_cfg_read64(vd, 0, &sectors))
		return -1;
	fw_memset(hdr, 0, BLK_HDR_LEN);
	fw_put_le32(hdr, BLK_T_IN);	/* sector 0: the rest stays zero */
	*status = 0xff;
	if (virtio_request(vd, q, b, 3, &len))
		return -1;
	if (*status != BLK_S_OK)
		return fail(vd, "sector 0 read returned an error status");
	sha256(data, BLK_SECTOR, digest);
	hex(h, digest, SHA256_DIGEST_SIZE);
	fw_snprintf(msg, MSG_LEN, "%lu sectors, sector 0 sha256 %s", sectors,
		    h);
	return 0;
}

/* 16 bytes, in as many requests as the device needs (a few at most). */
static int rng_run(struct virtio_dev *vd, struct virtio_queue *q,
		   const struct virtio_dma *d, char *msg)
{
	u64 pa = virtio_dma_addr(d, d->va + VIRTIO_DMA_BUF);
	struct virtq_buf b = { 0, 0, 1 };
	u32 got = 0, len;
	int i;

	if (virtio_driver_ok(vd))
		return -1;
	for (i = 0; i < RNG_TRIES && got < RNG_BYTES; i++) {
		b.addr = pa + got;
		b.len = RNG_BYTES - got;
		if (virtio_request(vd, q, &b, 1, &len))
			return -1;
		if (len > b.len)
			return fail(vd, "device wrote more than asked");
		got += len;
	}
	if (got < RNG_BYTES)
		return fail(vd, "too few random bytes");
	fw_snprintf(msg, MSG_LEN, "%u bytes", got);
	return 0;
}

/* Without VIRTIO_CONSOLE_F_MULTIPORT, queue 1 is port 0's transmitq. */
static int console_run(struct virtio_dev *vd, struct virtio_queue *q,
		       const struct virtio_dma *d, char *msg)
{
	static const char line[] = VIRTIO_CONSOLE_HELLO;
	struct virtq_buf b = { virtio_dma_addr(d, d->va + VIRTIO_DMA_BUF),
			       sizeof(line) - 1, 0 };
	u32 len;

	if (virtio_driver_ok(vd))
		return -1;
	fw_memcpy(d->va + VIRTIO_DMA_BUF, line, sizeof(line) - 1);
	if (virtio_request(vd, q, &b, 1, &len))
		return -1;
	fw_snprintf(msg, MSG_LEN, "wrote %u bytes", b.len);
	return 0;
}

static const struct vdriver drivers[] = {
	{ VIRTIO_PCI_MODERN_BASE + 1, 0, "virtio-net", vnet_run,
	  VNET_FEATURES },
	{ VIRTIO_PCI_MODERN_BASE + 2, 0, "virtio-blk", blk_run, 0 },
	{ VIRTIO_PCI_MODERN_BASE + 3, 1, "virtio-console", console_run, 0 },
	{ VIRTIO_PCI_MODERN_BASE + 4, 0, "virtio-rng", rng_run, 0 },
	{ VIRTIO_PCI_MODERN_BASE + 19, 0, "virtio-vsock", vsock_run, 0 },
};

static const struct vdriver *find_driver(const struct pci_func *f)
{
	u32 i;

	if (f->vendor != VIRTIO_PCI_VENDOR)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(drivers); i++)
		if (drivers[i].device_id == f->device)
			return &drivers[i];
	return NULL;
}

static int drive(const struct vdriver *drv, struct virtio_dev *vd,
		 const struct pci_func *f, const struct virtio_dma *d,
		 char *msg)
{
	struct virtio_queue q;
	u32 cmd = pci_read32(f->bdf, PCI_COMMAND) & 0xffff;
	const char *why;

	pci_write32(f->bdf, PCI_COMMAND, cmd | PCI_CMD_MASTER);
	if (virtio_find_caps(vd, f))
		return -1;
	if (virtio_start_features(vd, drv->features) ||
	    virtio_queue_setup(vd, &q, drv->queue, d->va, d->pa) ||
	    drv->run(vd, &q, d, msg)) {
		why = vd->why;
		virtio_reset(vd);	/* no more DMA into the shared block */
		vd->why = why;
		return -1;
	}
	return virtio_reset(vd);
}

/* drive() between the DMA hooks (IOMMU attach and map, then undone). */
static int drive_dma(const struct vdriver *drv, struct virtio_dev *vd,
		     const struct pci_func *f, const struct virtio_dma *d,
		     char *msg)
{
	int r;

	if (d->ops && d->ops->attach(d, f->bdf)) {
		d->ops->detach(d, f->bdf);	/* whatever was done */
		vd->why = "IOMMU attach or map refused";
		return -1;
	}
	r = drive(drv, vd, f, d, msg);
	if (d->ops)
		d->ops->detach(d, f->bdf);
	return r;
}

int virtio_drivers_run(const struct pci_bus0 *b, const struct virtio_dma *d)
{
	const struct vdriver *drv;
	struct virtio_dev vd;
	char msg[MSG_LEN];
	u32 i;
	int failed = 0;
	u16 bdf;

	for (i = 0; i < b->nr && i < PCI_MAX_FUNCS; i++) {
		drv = find_driver(&b->func[i]);
		if (!drv)
			continue;
		bdf = b->func[i].bdf;
		if (drive_dma(drv, &vd, &b->func[i], d, msg)) {
			failed++;
			fw_printf("%s %02x:%02x.%x: %s\n", drv->name,
				  PCI_BUS(bdf), PCI_DEV(bdf), PCI_FN(bdf),
				  vd.why);
		} else {
			fw_printf("%s %02x:%02x.%x: %s\n", drv->name,
				  PCI_BUS(bdf), PCI_DEV(bdf), PCI_FN(bdf),
				  msg);
		}
	}
	return failed;
}
