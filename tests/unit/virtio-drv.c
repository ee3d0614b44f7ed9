// SPDX-License-Identifier: GPL-2.0-only
/* A virtio driver for tests (see virtio-drv.h). */
#include <string.h>

#include "tests/unit/virtio-drv.h"

void vdrv_add_ring(struct vq_drv *d, struct vq_drv *r)
{
	*r = *d;
	r->desc = ALIGN_UP(vqd_alloc(d, 16ULL * d->size + 16), 16);
	r->avail = vqd_alloc(d, 6 + 2ULL * d->size);
	r->used = ALIGN_UP(vqd_alloc(d, 6 + 8ULL * d->size + 4), 4);
	vqd_alloc(d, 8);
	r->avail_idx = r->last_used = 0;
}

u32 vdrv_read_common(struct virtio_dev *v, u32 off, u32 len)
{
	u32 val = 0;

	if (virtio_read_common(v, off, &val, len))
		return ~0u;
	return val;
}

void vdrv_write_common(struct virtio_dev *v, u32 off, u32 len, u32 val)
{
	if (virtio_write_common(v, off, &val, len))
		val = 0;
}

static void vdrv_queue(struct virtio_dev *v, u16 q, struct vq_drv *r)
{
	vdrv_write_common(v, VIRTIO_PCI_COMMON_Q_SELECT, 2, q);
	vdrv_write_common(v, VIRTIO_PCI_COMMON_Q_SIZE, 2, r->size);
	vdrv_write_common(v, VIRTIO_PCI_COMMON_Q_DESCLO, 4, (u32)r->desc);
	vdrv_write_common(v, VIRTIO_PCI_COMMON_Q_DESCHI, 4, r->desc >> 32);
	vdrv_write_common(v, VIRTIO_PCI_COMMON_Q_AVAILLO, 4, (u32)r->avail);
	vdrv_write_common(v, VIRTIO_PCI_COMMON_Q_AVAILHI, 4, r->avail >> 32);
	vdrv_write_common(v, VIRTIO_PCI_COMMON_Q_USEDLO, 4, (u32)r->used);
	vdrv_write_common(v, VIRTIO_PCI_COMMON_Q_USEDHI, 4, r->used >> 32);
	vdrv_write_common(v, VIRTIO_PCI_COMMON_Q_MSIX, 2, q + 1);
	vdrv_write_common(v, VIRTIO_PCI_COMMON_Q_ENABLE, 2, 1);
}

u8 vdrv_start(struct virtio_dev *v, struct vq_drv **rings, unsigned int n,
	      u64 features)
{
	unsigned int q;
	u8 st = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;

	vdrv_write_common(v, VIRTIO_PCI_COMMON_STATUS, 1, 0);
	vdrv_write_common(v, VIRTIO_PCI_COMMON_STATUS, 1, st);
	vdrv_write_common(v, VIRTIO_PCI_COMMON_GFSELECT, 4, 0);
	vdrv_write_common(v, VIRTIO_PCI_COMMON_GF, 4, (u32)features);
	vdrv_write_common(v, VIRTIO_PCI_COMMON_GFSELECT, 4, 1);
	vdrv_write_common(v, VIRTIO_PCI_COMMON_GF, 4, features >> 32);
	st |= VIRTIO_CONFIG_S_FEATURES_OK;
	vdrv_write_common(v, VIRTIO_PCI_COMMON_STATUS, 1, st);
	vdrv_write_common(v, VIRTIO_PCI_COMMON_MSIX, 2, 0);
	for (q = 0; q < n; q++)
		vdrv_queue(v, (u16)q, rings[q]);
	st |= VIRTIO_CONFIG_S_DRIVER_OK;
	vdrv_write_common(v, VIRTIO_PCI_COMMON_STATUS, 1, st);
	return (u8)vdrv_read_common(v, VIRTIO_PCI_COMMON_STATUS, 1);
}
