// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fake machine's virtio-pci modern devices (see fw-fake.h): the
 * common configuration registers, feature negotiation, split queues
 * processed on notify (or after a few cpu_relax calls), and the device
 * side of virtio-blk (reads from an in-memory disk), console port 0
 * (collects what is written) and rng (a fixed pattern).
 */
#include <string.h>

#include "tests/unit/fw-fake.h"

#define MAX_VDEVS	4
#define COMMON		0x0000
#define ISR		0x1000
#define DEVCFG		0x2000
#define NOTIFY		0x3000
#define NOTIFY_MUL	4
#define BAR4_SIZE	0x4000
#define DRIVER_OK	0x04
#define FEATURES_OK	0x08
#define NEEDS_RESET	0x40

static struct fake_virtio vdevs[MAX_VDEVS];
static u32 nr_vdevs;

void fake_virtio_reset(void)
{
	memset(vdevs, 0, sizeof(vdevs));
	nr_vdevs = 0;
	fake_dma_translate = NULL;
}

fake_dma_fn fake_dma_translate;

static void *ptr(u64 a)
{
	return (void *)(uintptr_t)a;
}

/*
 * A device access through the fake IOMMU when there is one; NULL: refused.
 * Models (the IOMMU itself among them) are not translated.
 */
static void *dma(struct fake_virtio *v, u64 a, u32 len, int write)
{
	return fake_dma_translate && !v->serve_fn ?
	       fake_dma_translate(v->f->bdf, a, len, write) : ptr(a);
}

static u64 common_read(struct fake_virtio *v, u64 off)
{
	u32 q = v->qsel < 4 ? v->qsel : 0;

	switch (off) {
	case 0x00: return v->dfselect;
	case 0x04: return v->dfselect > 1 ? 0 :
			  (u32)(v->offered >> (32 * v->dfselect));
	case 0x08: return v->gfselect;
	case 0x0c: return v->gfselect > 1 ? 0 :
			  (u32)(v->accepted >> (32 * v->gfselect));
	case 0x10: return v->msix;
	case 0x12: return v->num_queues;
	case 0x14: return v->status;
	case 0x15: return v->gen;
	case 0x16: return v->qsel;
	case 0x18: return v->qsel < 4 ? v->q[q].size : 0;
	case 0x1a: return v->q[q].msix;
	case 0x1c: return v->q[q].enable;
	case 0x1e: return v->qsel;		/* queue_notify_off */
	}
	return 0;
}

static void set_half(u64 *r, u64 off, u32 val)
{
	int hi = off & 4;

	*r = hi ? (*r & 0xffffffffu) | (u64)val << 32 :
		  (*r & ~0xffffffffull) | val;
}

static void status_write(struct fake_virtio *v, u8 s)
{
	u16 max;
	int i;

	if (!s) {
		if (v->sticky_status)
			return;
		v->status = 0;
		v->accepted = 0;
		for (i = 0; i < 4; i++) {
			max = v->q[i].max;
			memset(&v->q[i], 0, sizeof(v->q[i]));
			v->q[i].max = v->q[i].size = max;
		}
		return;
	}
	if ((s & FEATURES_OK) && !(v->status & FEATURES_OK) &&
	    (v->refuse_features_ok || (v->accepted & ~v->offered) ||
	     !(v->accepted >> 32 & 1)))
		s &= (u8)~FEATURES_OK;
	v->status = s;
}

static void common_write(struct fake_virtio *v, u64 off, u64 val)
{
	u32 q = v->qsel < 4 ? v->qsel : 0;

	switch (off) {
	case 0x00: v->dfselect = (u32)val; break;
	case 0x08: v->gfselect = (u32)val; break;
	case 0x0c:
		if (v->gfselect < 2)
			set_half(&v->accepted, v->gfselect * 4, (u32)val);
		break;
	case 0x10: v->msix = (u16)val; break;
	case 0x14: status_write(v, (u8)val); break;
	case 0x16: v->qsel = (u16)val; break;
	case 0x18: v->q[q].size = (u16)val; break;
	case 0x1a: v->q[q].msix = (u16)val; break;
	case 0x1c: v->q[q].enable = (u16)val; break;
	case 0x20: case 0x24: set_half(&v->q[q].desc, off, (u32)val); break;
	case 0x28: case 0x2c: set_half(&v->q[q].avail, off, (u32)val); break;
	case 0x30: case 0x34: set_half(&v->q[q].used, off, (u32)val); break;
	}
}

/* Serves one request; returns the used length. */
static u32 serve(struct fake_virtio *v, const struct fake_chain *c)
{
	u32 n, i;
	const u8 *hdr, *src;
	u8 *data, *st;

	if (v->id == 2 && c->n == 3) {
		n = c->len[1] < 512 ? c->len[1] : 512;
		hdr = dma(v, c->addr[0], 16, 0);
		data = dma(v, c->addr[1], n, 1);
		st = dma(v, c->addr[2], 1, 1);
		if (st && (!hdr || !data))	/* refused: IOERR */
			*st = 1;
		if (!st || !hdr || !data)
			return 0;
		if (!hdr[0] && hdr[8] < FAKE_DISK_SECTORS)
			memcpy(data, v->disk + hdr[8] * 512, n);
		*st = v->blk_status;
		return c->len[1] + 1;
	}
	if (v->id == 3) {
		src = dma(v, c->addr[0], c->len[0], 0);
		for (i = 0; src && i < c->len[0] &&
			    v->console_len < sizeof(v->console) - 1; i++)
			v->console[v->console_len++] = (char)src[i];
		return 0;
	}
	n = v->rng_chunk && v->rng_chunk < c->len[0] ? v->rng_chunk :
							c->len[0];
	data = dma(v, c->addr[0], n, 1);
	for (i = 0; data && i < n; i++)
		data[i] = (u8)(i * 37 + 1);
	return n + v->rng_extra;
}

static void read_chain(const u8 *desc, u16 size, u16 head,
		       struct fake_chain *c)
{
	const u8 *e;
	u16 d = head;

	memset(c, 0, sizeof(*c));
	while (c->n < 4) {
		e = desc + 16 * d;
		memcpy(&c->addr[c->n], e, 8);
		memcpy(&c->len[c->n], e + 8, 4);
		memcpy(&c->flags[c->n], e + 12, 2);
		if (!(c->flags[c->n++] & 1))
			break;
		memcpy(&d, e + 14, 2);
		d = (u16)(d % size);
	}
}

static void process(struct fake_virtio *v, u16 qi)
{
	u16 size = v->q[qi].size, head;
	u16 *avail = dma(v, v->q[qi].avail, 6 + 2u * size, 0);
	u16 *used = dma(v, v->q[qi].used, 6 + 8u * size, 1);
	u8 *desc = dma(v, v->q[qi].desc, 16u * size, 0);
	struct fake_chain c;
	u32 *elem, len;

	if (!(v->status & DRIVER_OK) || !v->q[qi].enable || !size)
		return;
	if (!avail || !used || !desc) {		/* rings refused */
		v->status |= NEEDS_RESET;
		return;
	}
	while (v->q[qi].seen != avail[1]) {
		head = (u16)(avail[2 + v->q[qi].seen % size] % size);
		read_chain(desc, size, head, &c);
		if (v->serve_fn && v->serve_fn(v, qi, &c, &len))
			return;		/* held: no data for it yet */
		elem = (u32 *)(void *)(used + 2) + 2 * (used[1] % size);
		elem[1] = v->serve_fn ? len : serve(v, &c);
		elem[0] = head + (v->bad_used_id ? 5u : 0u);
		used[1]++;
		v->q[qi].seen++;
	}
}

void fake_virtio_kick(struct fake_virtio *v, u16 qi)
{
	if (qi < 4)
		process(v, qi);
}

static void notify(struct fake_virtio *v, u16 qi)
{
	v->notifies++;
	if (v->never_complete || qi >= 4)
		return;
	if (v->delay_polls) {
		v->pending = (u32)v->delay_polls | (u32)qi << 16;
		return;
	}
	process(v, qi);
}

void fake_virtio_relax(void)
{
	struct fake_virtio *v;
	u32 i;

	for (i = 0; i < nr_vdevs; i++) {
		v = &vdevs[i];
		if (v->pending && !(--v->pending & 0xffff)) {
			process(v, (u16)(v->pending >> 16));
			v->pending = 0;
		}
	}
}

static void bar4(struct fake_func *f, int bar, u64 off, void *data, u32 len,
		 int write)
{
	struct fake_virtio *v = f->dev;
	u64 val = 0;

	if (write)
		memcpy(&val, data, len);
	if (bar != 4) {
		if (!write)
			memset(data, 0, len);
		return;
	}
	if (off < ISR) {
		if (write)
			common_write(v, off, val);
		else
			val = common_read(v, off);
	} else if (off >= DEVCFG && off + len <= DEVCFG + sizeof(v->devcfg)) {
		if (!write)
			memcpy(&val, v->devcfg + off - DEVCFG, len);
		else if (v->serve_fn)	/* only models have writable fields */
			memcpy(v->devcfg + off - DEVCFG, &val, len);
	} else if (off >= NOTIFY && write) {
		notify(v, (u16)val);
	}
	if (!write)
		memcpy(data, &val, len);
}

static void vendor_cap(struct fake_func *f, u8 type, u32 off, u32 len)
{
	u8 b[18] = { 0 };
	u8 n = type == 2 || type == 5 ? 20 : 16;
	u32 mul = NOTIFY_MUL;

	b[0] = n;
	b[1] = type;
	b[2] = type == 5 ? 0 : 4;
	memcpy(b + 6, &off, 4);
	memcpy(b + 10, &len, 4);
	if (type == 2)
		memcpy(b + 14, &mul, 4);
	fake_pci_cap(f, 0x09, b, n);
}

struct fake_virtio *fake_virtio_add(u16 bdf, u16 virtio_id)
{
	static const u8 msix[10] = { 3, 0, 1, 0, 0, 0, 1, 8, 0, 0 };
	struct fake_virtio *v;
	struct fake_func *f;
	u64 sectors = FAKE_DISK_SECTORS;
	u32 i;

	f = fake_pci_add(bdf, 0x1af4, (u16)(0x1040 + virtio_id),
			 virtio_id == 2 ? 0x010000 : 0x078000, 0);
	if (!f || nr_vdevs == MAX_VDEVS)
		return NULL;
	v = &vdevs[nr_vdevs++];
	memset(v, 0, sizeof(*v));
	v->f = f;
	v->id = virtio_id;
	v->offered = 3ull << 32 | 1u << 1;	/* VERSION_1, PLATFORM, bit 1 */
	v->num_queues = virtio_id == 3 ? 4 : 1;
	v->q[0].max = v->q[0].size = virtio_id == 4 ? 8 : 128;
	v->q[1].max = v->q[1].size = 128;
	for (i = 0; i < sizeof(v->disk); i++)
		v->disk[i] = (u8)(i * 7 + i / 512);
	memcpy(v->devcfg, &sectors, 8);
	f->cfg[8] = 1;				/* revision */
	f->mmio = bar4;
	f->dev = v;
	fake_pci_bar(f, 1, 0, 0x1000);
	fake_pci_bar(f, 4, 4 | 8, BAR4_SIZE);
	fake_pci_cap(f, 0x11, msix, 12);
	vendor_cap(f, 1, COMMON, 0x38);
	vendor_cap(f, 3, ISR, 4);
	vendor_cap(f, 4, DEVCFG, sizeof(v->devcfg));
	vendor_cap(f, 2, NOTIFY, 0x1000);
	vendor_cap(f, 5, 0, 0);
	return v;
}

u8 fake_virtio_cap(const struct fake_func *f, u8 cfg_type)
{
	u8 p;

	for (p = f->cfg[0x34]; p; p = f->cfg[p + 1])
		if (f->cfg[p] == 0x09 && f->cfg[p + 3] == cfg_type)
			return p;
	return 0;
}
