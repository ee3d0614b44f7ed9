// SPDX-License-Identifier: GPL-2.0-only
/* The virtio-pci modern transport for polling firmware drivers. */
#include "firmware/hw.h"
#include "firmware/virtio.h"

#define CFG_GEN_TRIES	16

static int fail(struct virtio_dev *vd, const char *why)
{
	vd->why = why;
	return -1;
}

static u64 common(const struct virtio_dev *vd, u32 reg)
{
	return vd->common.addr + reg;
}

/*
 * The region a capability at pos describes, if its BAR is an assigned
 * memory BAR that holds all of it; else the region stays absent.
 */
static void cap_region(const struct pci_func *f, u8 pos,
		       struct virtio_region *r)
{
	u8 bar = pci_read8(f->bdf, (u16)(pos + 4));
	u32 off = pci_read32(f->bdf, (u16)(pos + 8));
	u32 len = pci_read32(f->bdf, (u16)(pos + 12));
	const struct pci_bar *b;

	if (bar >= PCI_NR_BARS)		/* reserved: ignored (§4.1.4) */
		return;
	b = &f->bar[bar];
	if ((b->type != PCI_BAR_MEM32 && b->type != PCI_BAR_MEM64) || !len ||
	    (u64)off + len > b->size)
		return;
	r->addr = b->addr + off;
	r->len = len;
}

static void parse_cap(struct virtio_dev *vd, const struct pci_func *f,
		      u8 pos)
{
	u32 hdr = pci_read32(f->bdf, pos);
	u8 len = (u8)(hdr >> 16), type = (u8)(hdr >> 24);
	struct virtio_region *r, *regions[] = {
		[VIRTIO_PCI_CAP_COMMON] = &vd->common,
		[VIRTIO_PCI_CAP_NOTIFY] = &vd->notify,
		[VIRTIO_PCI_CAP_ISR] = &vd->isr,
		[VIRTIO_PCI_CAP_DEVICE] = &vd->device,
	};

	if ((u8)hdr != PCI_CAP_ID_VNDR || len < VIRTIO_PCI_CAP_LEN ||
	    pos + len > 0x100)
		return;
	if (type == VIRTIO_PCI_CAP_PCI) {
		vd->has_pci_cfg = 1;
		return;
	}
	if (!type || type >= ARRAY_SIZE(regions))
		return;
	r = regions[type];
	if (r->addr)			/* the first usable one wins */
		return;
	if (type == VIRTIO_PCI_CAP_NOTIFY) {
		if (len < VIRTIO_PCI_NOTIFY_CAP_LEN)
			return;
		vd->notify_mul = pci_read32(f->bdf, (u16)(pos + 16));
	}
	cap_region(f, pos, r);
}

int virtio_find_caps(struct virtio_dev *vd, const struct pci_func *f)
{
	u32 budget = PCI_CAP_MAX_WALK;
	u8 pos = 0;

	*vd = (struct virtio_dev){ .pci = f };
	while ((pos = pci_cap_next(f->bdf, pos, &budget)))
		parse_cap(vd, f, pos);
	if (!vd->common.addr || vd->common.len < VIRTIO_COMMON_SIZE)
		return fail(vd, "no usable common configuration capability");
	if (!vd->notify.addr || vd->notify.len < 2)
		return fail(vd, "no usable notify capability");
	return 0;
}

static void set_status(struct virtio_dev *vd, u8 bits)
{
	u8 s = mmio_read8(common(vd, VIRTIO_COMMON_STATUS));

	mmio_write8(common(vd, VIRTIO_COMMON_STATUS), (u8)(s | bits));
}

int virtio_reset(struct virtio_dev *vd)
{
	int i;

	mmio_write8(common(vd, VIRTIO_COMMON_STATUS), 0);
	for (i = 0; i < VIRTIO_RESET_POLLS; i++) {
		if (!mmio_read8(common(vd, VIRTIO_COMMON_STATUS)))
			return 0;
		cpu_relax();
	}
	return fail(vd, "reset not acknowledged");
}

static u64 read_features(struct virtio_dev *vd)
{
	u64 v;

	mmio_write32(common(vd, VIRTIO_COMMON_DFSELECT), 1);
	v = (u64)mmio_read32(common(vd, VIRTIO_COMMON_DF)) << 32;
	mmio_write32(common(vd, VIRTIO_COMMON_DFSELECT), 0);
	return v | mmio_read32(common(vd, VIRTIO_COMMON_DF));
}

static void write_features(struct virtio_dev *vd, u64 v)
{
	mmio_write32(common(vd, VIRTIO_COMMON_GFSELECT), 0);
	mmio_write32(common(vd, VIRTIO_COMMON_GF), (u32)v);
	mmio_write32(common(vd, VIRTIO_COMMON_GFSELECT), 1);
	mmio_write32(common(vd, VIRTIO_COMMON_GF), (u32)(v >> 32));
}

int virtio_start(struct virtio_dev *vd)
{
	return virtio_start_features(vd, 0);
}

int virtio_start_features(struct virtio_dev *vd, u64 device_features)
{
	u64 offered;

	if (virtio_reset(vd))
		return -1;
	set_status(vd, VIRTIO_STATUS_ACK);
	set_status(vd, VIRTIO_STATUS_DRIVER);
	offered = read_features(vd);
	if (!(offered & VIRTIO_F_VERSION_1))
		return fail(vd, "VIRTIO_F_VERSION_1 not offered");
	vd->features = offered & (VIRTIO_DRIVER_FEATURES | device_features);
	write_features(vd, vd->features);
	set_status(vd, VIRTIO_STATUS_FEATURES_OK);
	if (!(mmio_read8(common(vd, VIRTIO_COMMON_STATUS)) &
	      VIRTIO_STATUS_FEATURES_OK))
		return fail(vd, "FEATURES_OK not accepted");
	mmio_write16(common(vd, VIRTIO_COMMON_MSIX), VIRTIO_NO_VECTOR);
	return 0;
}

static void write64(struct virtio_dev *vd, u32 reg, u64 v)
{
	mmio_write32(common(vd, reg), (u32)v);
	mmio_write32(common(vd, reg + 4), (u32)(v >> 32));
}

/* The largest power of two <= min(dev_size, VIRTQ_MAX_SIZE); 0 if none. */
static u16 queue_size(u16 dev_size)
{
	u16 n = VIRTQ_MAX_SIZE;

	while (n > dev_size)
		n >>= 1;
	return n;
}

int virtio_queue_setup(struct virtio_dev *vd, struct virtio_queue *q,
		       u16 index, void *va, u64 pa)
{
	u16 n;
	u64 off;

	if (index >= mmio_read16(common(vd, VIRTIO_COMMON_NUMQ)))
		return fail(vd, "queue index beyond num_queues");
	mmio_write16(common(vd, VIRTIO_COMMON_Q_SELECT), index);
	n = queue_size(mmio_read16(common(vd, VIRTIO_COMMON_Q_SIZE)));
	if (!n)
		return fail(vd, "queue not available");
	if (virtq_init(&q->vq, n, va, pa))
		return fail(vd, "queue memory misaligned");
	off = (u64)mmio_read16(common(vd, VIRTIO_COMMON_Q_NOFF)) *
	      vd->notify_mul;
	if (off + 2 > vd->notify.len)
		return fail(vd, "queue notify address outside its capability");
	q->index = index;
	q->notify = vd->notify.addr + off;
	mmio_write16(common(vd, VIRTIO_COMMON_Q_SIZE), n);
	write64(vd, VIRTIO_COMMON_Q_DESC, virtq_desc_pa(&q->vq));
	write64(vd, VIRTIO_COMMON_Q_AVAIL, virtq_avail_pa(&q->vq));
	write64(vd, VIRTIO_COMMON_Q_USED, virtq_used_pa(&q->vq));
	mmio_write16(common(vd, VIRTIO_COMMON_Q_MSIX), VIRTIO_NO_VECTOR);
	mmio_write16(common(vd, VIRTIO_COMMON_Q_ENABLE), 1);
	return 0;
}

int virtio_driver_ok(struct virtio_dev *vd)
{
	set_status(vd, VIRTIO_STATUS_DRIVER_OK);
	if (mmio_read8(common(vd, VIRTIO_COMMON_STATUS)) &
	    VIRTIO_STATUS_NEEDS_RESET)
		return fail(vd, "device needs reset after DRIVER_OK");
	return 0;
}

void virtio_notify(struct virtio_queue *q)
{
	fw_barrier();
	mmio_write16(q->notify, q->index);
}

int virtio_request_polls(struct virtio_dev *vd, struct virtio_queue *q,
			 const struct virtq_buf *b, u16 n, u32 *len,
			 u32 polls)
{
	u32 i;
	int r;

	if (virtq_submit(&q->vq, b, n))
		return fail(vd, "request does not fit the queue");
	virtio_notify(q);
	for (i = 0; i < polls; i++) {
		r = virtq_poll(&q->vq, len);
		if (r > 0)
			return 0;
		if (r < 0)
			return fail(vd, "used ring returned a wrong id");
		if (!(i % VIRTIO_STATUS_POLLS) && virtio_needs_reset(vd)) {
			fail(vd, "device needs reset");
			return VIRTIO_TIMEOUT;
		}
		cpu_relax();
	}
	fail(vd, "request timed out");
	return VIRTIO_TIMEOUT;
}

int virtio_request(struct virtio_dev *vd, struct virtio_queue *q,
		   const struct virtq_buf *b, u16 n, u32 *len)
{
	return virtio_request_polls(vd, q, b, n, len, VIRTIO_REQUEST_POLLS) ?
	       -1 : 0;
}

int virtio_needs_reset(struct virtio_dev *vd)
{
	return !!(mmio_read8(common(vd, VIRTIO_COMMON_STATUS)) &
		  VIRTIO_STATUS_NEEDS_RESET);
}

/* One field at its natural width (8: two 32-bit halves, low first). */
static u64 cfg_field(u64 a, u32 width)
{
	switch (width) {
	case 1:
		return mmio_read8(a);
	case 2:
		return mmio_read16(a);
	case 4:
		return mmio_read32(a);
	}
	return mmio_read32(a) | (u64)mmio_read32(a + 4) << 32;
}

int virtio_cfg_read(struct virtio_dev *vd, u32 off, u32 width, u64 *v)
{
	u64 a = vd->device.addr + off;
	u8 gen;
	int i;

	if (width != 1 && width != 2 && width != 4 && width != 8)
		return fail(vd, "bad device configuration width");
	if (!vd->device.addr || (u64)off + width > vd->device.len)
		return fail(vd, "device configuration too small");
	for (i = 0; i < CFG_GEN_TRIES; i++) {
		gen = mmio_read8(common(vd, VIRTIO_COMMON_CFGGEN));
		*v = cfg_field(a, width);
		if (gen == mmio_read8(common(vd, VIRTIO_COMMON_CFGGEN)))
			return 0;
	}
	return fail(vd, "device configuration keeps changing");
}

int virtio_cfg_read64(struct virtio_dev *vd, u32 off, u64 *v)
{
	return virtio_cfg_read(vd, off, 8, v);
}

int virtio_cfg_write8(struct virtio_dev *vd, u32 off, u8 v)
{
	if (!vd->device.addr || (u64)off + 1 > vd->device.len)
		return fail(vd, "device configuration too small");
	mmio_write8(vd->device.addr + off, v);
	return 0;
}
