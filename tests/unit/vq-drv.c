// SPDX-License-Identifier: GPL-2.0-only
/* The driver's side of a split virtqueue (see vq-drv.h). */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/vq-drv.h"

int vqd_init(struct vq_drv *d, u64 ram_size, u16 size)
{
	memset(d, 0, sizeof(*d));
	d->ram = aligned_alloc(4096, ram_size);
	if (!d->ram)
		return -ENOMEM;
	memset(d->ram, 0, ram_size);
	d->ram_size = ram_size;
	d->mem.ram = d->ram;
	d->mem.ram_size = ram_size;
	d->mem.regions[0] = (struct mem_region){ MEM_RAM, 0, ram_size,
						 d->ram, 0 };
	d->mem.nr_regions = 1;
	dma_as_init(&d->as, &d->mem, "vq-drv", 0, true);
	d->size = size;
	d->desc = VQD_RING_BASE;
	d->avail = d->desc + 16ULL * size;
	d->used = ALIGN_UP(d->avail + 6 + 2ULL * size, 4096);
	d->heap_start = ALIGN_UP(d->used + 6 + 8ULL * size, 4096);
	d->heap = d->heap_start;
	return d->heap < ram_size ? 0 : -ENOSPC;
}

void vqd_free(struct vq_drv *d)
{
	free(d->ram);
	d->ram = NULL;
}

void vqd_attach(struct vq_drv *d, struct virtq *vq)
{
	vq->size = d->size;
	vq->desc = d->desc;
	vq->avail = d->avail;
	vq->used = d->used;
	vq->enabled = true;
}

void *vqd_hva(struct vq_drv *d, u64 gpa)
{
	return d->ram + gpa;
}

u64 vqd_alloc(struct vq_drv *d, u64 len)
{
	u64 a = d->heap;

	d->heap = ALIGN_UP(d->heap + len, 16);
	return a;
}

void vqd_reset_heap(struct vq_drv *d)
{
	d->heap = d->heap_start;
}

void vqd_set16(struct vq_drv *d, u64 gpa, u16 v)
{
	memcpy(d->ram + gpa, &v, 2);
}

u16 vqd_get16(struct vq_drv *d, u64 gpa)
{
	u16 v;

	memcpy(&v, d->ram + gpa, 2);
	return v;
}

u32 vqd_get32(struct vq_drv *d, u64 gpa)
{
	u32 v;

	memcpy(&v, d->ram + gpa, 4);
	return v;
}

void vqd_desc(struct vq_drv *d, u64 table, u16 i, u64 addr, u32 len,
	      u16 flags, u16 next)
{
	u8 *p = d->ram + table + 16ULL * i;

	memcpy(p, &addr, 8);
	memcpy(p + 8, &len, 4);
	memcpy(p + 12, &flags, 2);
	memcpy(p + 14, &next, 2);
}

void vqd_post(struct vq_drv *d, u16 head)
{
	vqd_set16(d, d->avail + 4 + 2ULL * (d->avail_idx & (d->size - 1)),
		  head);
	atomic_thread_fence(memory_order_release);
	d->avail_idx++;
	vqd_set16(d, d->avail + 2, d->avail_idx);
}

bool vqd_reap(struct vq_drv *d, u32 *id, u32 *len)
{
	u64 slot;

	if (vqd_get16(d, d->used + 2) == d->last_used)
		return false;
	atomic_thread_fence(memory_order_acquire);
	slot = d->used + 4 + 8ULL * (d->last_used & (d->size - 1));
	*id = vqd_get32(d, slot);
	*len = vqd_get32(d, slot + 4);
	d->last_used++;
	return true;
}
