/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A virtio-iommu driver for the tests, the fuzz target and the
 * benchmark: the real device (devices/virtio/iommu.c) started through the
 * device core over a vq_drv RAM, requests built as the spec lays them out
 * (readable request, writable tail), event buffers and their faults, and
 * endpoints VFX_EP_A / VFX_EP_B with a struct dma_as through the IOMMU.
 */
#ifndef SEVM_TESTS_VIOMMU_DRV_H
#define SEVM_TESTS_VIOMMU_DRV_H

#include "devices/virtio/iommu.h"
#include "tests/unit/virtio-drv.h"

#define VFX_EP_A	0x08	/* 00:01.0 */
#define VFX_EP_B	0x10	/* 00:02.0 */
#define VFX_FEATURES	(1ULL << VIRTIO_F_VERSION_1 | \
			 1ULL << VIRTIO_F_ACCESS_PLATFORM | \
			 1ULL << VIRTIO_IOMMU_F_INPUT_RANGE | \
			 1ULL << VIRTIO_IOMMU_F_DOMAIN_RANGE | \
			 1ULL << VIRTIO_IOMMU_F_MAP_UNMAP | \
			 1ULL << VIRTIO_IOMMU_F_BYPASS_CONFIG | \
			 1ULL << VIRTIO_IOMMU_F_PROBE)
#define VFX_NO_REPLY	0xff

struct viommu_fx {
	struct vq_drv d, ev;	/* requestq, eventq (same RAM) */
	struct virtio_dev v;
	struct viommu *vi;
	struct dma_as a, b;	/* the endpoints, translated */
};

/* RAM of ram bytes, device started with VFX_FEATURES. 0 or -1. */
int vfx_init(struct viommu_fx *f, u64 ram, bool bypass);
void vfx_free(struct viommu_fx *f);

/*
 * Send rd bytes of req (readable) with wr writable bytes after them; the
 * status (last 4 writable bytes' first), VFX_NO_REPLY without a used
 * entry. *used: the used length; *wr_gpa: where the writable bytes are.
 */
u8 vfx_req(struct viommu_fx *f, const void *req, u32 rd, u32 wr, u32 *used,
	   u64 *wr_gpa);
u8 vfx_attach(struct viommu_fx *f, u32 dom, u32 ep, u32 flags);
u8 vfx_detach(struct viommu_fx *f, u32 dom, u32 ep);
u8 vfx_map(struct viommu_fx *f, u32 dom, u64 start, u64 end, u64 phys,
	   u32 flags);
u8 vfx_unmap(struct viommu_fx *f, u32 dom, u64 start, u64 end);

/* n event buffers of len bytes on eventq. */
void vfx_post_events(struct viommu_fx *f, unsigned int n, u32 len);
/* The next event: false if none; *len its used length. */
bool vfx_event(struct viommu_fx *f, struct virtio_iommu_fault *ev, u32 *len);

#endif /* SEVM_TESTS_VIOMMU_DRV_H */
