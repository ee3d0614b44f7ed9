// SPDX-License-Identifier: GPL-2.0-only
/* The virtio-iommu test driver (see viommu-drv.h). */
#include <endian.h>
#include <string.h>

#include "tests/unit/viommu-drv.h"

int vfx_init(struct viommu_fx *f, u64 ram, bool bypass)
{
	struct vq_drv *rings[2] = { &f->d, &f->ev };

	memset(f, 0, sizeof(*f));
	if (vqd_init(&f->d, ram, 16))
		return -1;
	vdrv_add_ring(&f->d, &f->ev);
	if (virtio_iommu_init(&f->v, &f->d.as, false, bypass, &f->vi))
		return -1;
	if (viommu_add_endpoint(f->vi, VFX_EP_A, "ep-a") ||
	    viommu_add_endpoint(f->vi, VFX_EP_B, "ep-b"))
		return -1;
	dma_as_init(&f->a, &f->d.mem, "ep-a", VFX_EP_A, true);
	dma_as_init(&f->b, &f->d.mem, "ep-b", VFX_EP_B, true);
	f->a.iommu = f->b.iommu = viommu_stage(f->vi);
	if (vdrv_start(&f->v, rings, 2, VFX_FEATURES) != 0xf)
		return -1;
	return 0;
}

void vfx_free(struct viommu_fx *f)
{
	virtio_dev_free(&f->v);
	vqd_free(&f->d);
}

u8 vfx_req(struct viommu_fx *f, const void *req, u32 rd, u32 wr, u32 *used,
	   u64 *wr_gpa)
{
	u64 r = vqd_alloc(&f->d, rd), w = vqd_alloc(&f->d, wr);
	u16 head = rd ? 0 : 1;
	u32 id, len = 0;

	memcpy(vqd_hva(&f->d, r), req, rd);
	memset(vqd_hva(&f->d, w), 0xee, wr);
	vqd_desc(&f->d, f->d.desc, 0, r, rd, VIRTQ_DESC_F_NEXT, 1);
	vqd_desc(&f->d, f->d.desc, 1, w, wr, VIRTQ_DESC_F_WRITE, 0);
	vqd_post(&f->d, head);
	virtio_queue_notify(&f->v, VIOMMU_REQ_Q);
	if (wr_gpa)
		*wr_gpa = w;
	if (!vqd_reap(&f->d, &id, &len))
		return VFX_NO_REPLY;
	if (used)
		*used = len;
	return wr >= 4 ? *(u8 *)vqd_hva(&f->d, w + wr - 4) : VFX_NO_REPLY;
}

#define REQ(f, r)	vfx_req(f, &(r), sizeof(r) - 4, 4, NULL, NULL)

u8 vfx_attach(struct viommu_fx *f, u32 dom, u32 ep, u32 flags)
{
	struct virtio_iommu_req_attach r = {
		.head.type = VIRTIO_IOMMU_T_ATTACH, .domain = htole32(dom),
		.endpoint = htole32(ep), .flags = htole32(flags),
	};

	return REQ(f, r);
}

u8 vfx_detach(struct viommu_fx *f, u32 dom, u32 ep)
{
	struct virtio_iommu_req_detach r = {
		.head.type = VIRTIO_IOMMU_T_DETACH, .domain = htole32(dom),
		.endpoint = htole32(ep),
	};

	return REQ(f, r);
}

u8 vfx_map(struct viommu_fx *f, u32 dom, u64 start, u64 end, u64 phys,
	   u32 flags)
{
	struct virtio_iommu_req_map r = {
		.head.type = VIRTIO_IOMMU_T_MAP, .domain = htole32(dom),
		.virt_start = htole64(start), .virt_end = htole64(end),
		.phys_start = htole64(phys), .flags = htole32(flags),
	};

	return REQ(f, r);
}

u8 vfx_unmap(struct viommu_fx *f, u32 dom, u64 start, u64 end)
{
	struct virtio_iommu_req_unmap r = {
		.head.type = VIRTIO_IOMMU_T_UNMAP, .domain = htole32(dom),
		.virt_start = htole64(start), .virt_end = htole64(end),
	};

	return REQ(f, r);
}

void vfx_post_events(struct viommu_fx *f, unsigned int n, u32 len)
{
	u16 i;

	for (i = 0; i < n; i++) {
		u16 slot = f->ev.avail_idx & (f->ev.size - 1);
		u64 a = vqd_alloc(&f->d, len);

		memset(vqd_hva(&f->d, a), 0xee, len);
		vqd_desc(&f->ev, f->ev.desc, slot, a, len, VIRTQ_DESC_F_WRITE,
			 0);
		vqd_post(&f->ev, slot);
	}
	virtio_queue_notify(&f->v, VIOMMU_EVENT_Q);
}

bool vfx_event(struct viommu_fx *f, struct virtio_iommu_fault *ev, u32 *len)
{
	u32 id;
	u64 a;

	if (!vqd_reap(&f->ev, &id, len))
		return false;
	memcpy(&a, vqd_hva(&f->d, f->ev.desc + 16ULL * id), 8);
	memcpy(ev, vqd_hva(&f->d, a), sizeof(*ev));
	return true;
}
