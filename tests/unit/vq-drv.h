/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The driver's side of a split virtqueue, for the virtio tests, the fuzz
 * targets and bench/virtio-blk: guest RAM is a plain buffer described by
 * a one-region struct guest_mem (no KVM), the rings sit at fixed guest
 * addresses, buffers come from a bump allocator.
 */
#ifndef SEVM_TESTS_VQ_DRV_H
#define SEVM_TESTS_VQ_DRV_H

#include "devices/virtio/virtqueue.h"
#include "vmm/dma.h"
#include "vmm/memory.h"

#define VQD_RING_BASE	0x1000ULL

struct vq_drv {
	struct guest_mem mem;
	struct dma_as as;
	u8 *ram;
	u64 ram_size;
	u16 size;
	u64 desc, avail, used;
	u16 avail_idx;		/* next avail idx to publish */
	u16 last_used;		/* next used entry to reap */
	u64 heap, heap_start;	/* bump allocator for buffers */
};

/* RAM of ram_size bytes (zeroed) with a queue of size entries. */
int vqd_init(struct vq_drv *d, u64 ram_size, u16 size);
void vqd_free(struct vq_drv *d);
/* Point vq at the driver's rings and enable it. */
void vqd_attach(struct vq_drv *d, struct virtq *vq);

void *vqd_hva(struct vq_drv *d, u64 gpa);
u64 vqd_alloc(struct vq_drv *d, u64 len);
void vqd_reset_heap(struct vq_drv *d);

void vqd_desc(struct vq_drv *d, u64 table, u16 i, u64 addr, u32 len,
	      u16 flags, u16 next);
/* Publish head in the avail ring (release barrier, then idx). */
void vqd_post(struct vq_drv *d, u16 head);
/* Reap one used entry; false when there is none. */
bool vqd_reap(struct vq_drv *d, u32 *id, u32 *len);

void vqd_set16(struct vq_drv *d, u64 gpa, u16 v);
u16 vqd_get16(struct vq_drv *d, u64 gpa);
u32 vqd_get32(struct vq_drv *d, u64 gpa);

#endif /* SEVM_TESTS_VQ_DRV_H */
