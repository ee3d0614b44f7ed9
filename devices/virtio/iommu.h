/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-iommu (virtio 1.2 §5.13, device id 23, PCI 1af4:1057): the
 * IOMMU in front of every other virtio device (docs/virtio.md).
 *
 * Two queues: requestq (ATTACH, DETACH, MAP, UNMAP, PROBE) and eventq
 * (faults). Offered: INPUT_RANGE (all 64 bits), DOMAIN_RANGE (all 32
 * bits), MAP_UNMAP, BYPASS_CONFIG, PROBE (one RESV_MEM property: the MSI
 * doorbells 0xfee00000-0xfeefffff, as QEMU reports them on x86); page
 * granule 4 KiB.
 *
 * The endpoints are the PCI functions it translates (requester ID bus <<
 * 8 | devfn, bus 0 only), added by the machine with viommu_add_endpoint.
 * Each endpoint is unattached or in one domain; a domain holds the
 * endpoints attached to it and its mappings, or is a bypass domain
 * (identity). A domain lives from the first ATTACH naming it until its
 * last endpoint leaves. Mappings of a domain are disjoint IOVA ranges
 * kept sorted (binary search, O(log n) lookup), at most
 * VIOMMU_MAX_MAPPINGS over all domains (beyond: NOMEM).
 *
 * viommu_translate is the DMA API's IOMMU stage (struct dma_stage): an
 * unattached endpoint gets identity when the bypass byte is set, else
 * nothing; a refusal is a fault event on eventq and one rate-limited
 * error line. Translations take a read lock, requests the write lock,
 * so lookups from the I/O threads do not serialise (struct viommu_lock);
 * before that, each thread looks in its own small cache of mappings
 * found (an IOTLB), valid while v->gen, bumped by every change, stays.
 */
#ifndef SEVM_VIRTIO_IOMMU_H
#define SEVM_VIRTIO_IOMMU_H

#include <pthread.h>
#include <stdatomic.h>

#include <linux/virtio_iommu.h>

#include "devices/virtio/virtio.h"
#include "vmm/dma.h"

#ifndef VIRTIO_ID_IOMMU
#define VIRTIO_ID_IOMMU		23
#endif

#define VIOMMU_QUEUE_MAX	256
#define VIOMMU_REQ_Q		0
#define VIOMMU_EVENT_Q		1
#define VIOMMU_PAGE_SIZE	4096ULL
#define VIOMMU_MAX_ENDPOINTS	256	/* bus 0: devfn */
#define VIOMMU_MAX_MAPPINGS	65536
#define VIOMMU_PROBE_SIZE	512
#define VIOMMU_MSI_START	0xfee00000ULL
#define VIOMMU_MSI_END		0xfeefffffULL
#define VIOMMU_LOG_PER_SEC	5	/* fault lines per second at most */
#define VIOMMU_HINTS		64	/* lookup hints per domain */

struct viommu_map {
	u64 start, end;		/* IOVA, end inclusive */
	u64 phys;		/* guest-physical of start */
	u32 flags;		/* VIRTIO_IOMMU_MAP_F_READ / _WRITE */
};

struct viommu_domain {
	u32 id;
	bool bypass;		/* ATTACH_F_BYPASS: identity */
	unsigned int nr_eps;	/* attached endpoints (>= 1 while alive) */
	struct viommu_map *maps;	/* sorted by start, disjoint */
	unsigned int nr, cap;
	/*
	 * Index of the mapping last found for an IOVA page, by page number
	 * modulo VIOMMU_HINTS: checked before the binary search. Written by
	 * readers (relaxed), so possibly stale: only a hint, always checked
	 * against maps[] (stable under the read lock).
	 */
	atomic_uint hint[VIOMMU_HINTS];
};

/*
 * A reader-writer lock for a read side that runs per DMA translation:
 * a reader marks its thread's slot, then loads the writer flag, and
 * clears the slot with a release store; a writer (one at a time, wmutex)
 * raises the flag and waits for every slot to clear. The store-load
 * order on the read side costs no fence: the writer runs membarrier
 * (PRIVATE_EXPEDITED) between raising the flag and reading the slots,
 * which puts a full barrier on every thread of the process (as liburcu's
 * memb flavour does); where the kernel lacks it, readers use a seq_cst
 * store. Threads beyond VIOMMU_LOCK_SLOTS share an atomic counter. Not
 * recursive; writers are the request queue only.
 */
#define VIOMMU_LOCK_SLOTS	32

struct viommu_lock {
	atomic_int writer;
	atomic_int overflow;		/* readers without a slot */
	pthread_mutex_t wmutex;
	struct {
		atomic_int active;
		char pad[64 - sizeof(atomic_int)];
	} slot[VIOMMU_LOCK_SLOTS];
};

struct viommu_ep {
	bool exists;
	const char *name;	/* the device, for messages */
	struct viommu_domain *dom;	/* NULL: unattached */
};

struct viommu {
	struct viommu_lock lock;	/* endpoints, domains, mappings */
	struct viommu_ep eps[VIOMMU_MAX_ENDPOINTS];
	struct viommu_domain *doms[VIOMMU_MAX_ENDPOINTS];
	unsigned int nr_doms;
	unsigned int nr_maps;		/* over all domains */
	unsigned int max_maps;		/* VIOMMU_MAX_MAPPINGS, or less */
	atomic_bool bypass;		/* config byte: viommu_set_bypass */
	atomic_ullong gen;		/* changes with any of the above */
	bool bypass_default;		/* bypass= */
	struct dma_stage stage;		/* viommu_translate */
	struct virtio_dev *vdev;	/* NULL: no event queue (tests) */
	pthread_mutex_t fault_lock;	/* the counters and the log window */
	u64 faults, events, dropped;
	u64 log_sec;
	unsigned int log_n;
	struct vq_elem req, ev;
};

/* ---- mappings and translation (iommu-map.c) */

void viommu_write_lock(struct viommu *v);
/* Also invalidates every thread's cached translations of v. */
void viommu_write_unlock(struct viommu *v);
void viommu_set_bypass(struct viommu *v, bool on);

int viommu_state_init(struct viommu *v, bool bypass) __must_check;
/* Every domain and mapping; the endpoints stay. */
void viommu_state_reset(struct viommu *v);
void viommu_state_free(struct viommu *v);
/* An endpoint the IOMMU translates: -EINVAL beyond bus 0, -EEXIST. */
int viommu_add_endpoint(struct viommu *v, u32 endpoint, const char *name)
	__must_check;
/* The stage to put in each translated device's struct dma_as. */
const struct dma_stage *viommu_stage(struct viommu *v);

/* The requests, with the write lock held; VIRTIO_IOMMU_S_* results. */
u8 viommu_attach(struct viommu *v, u32 domain, u32 ep, u32 flags);
u8 viommu_detach(struct viommu *v, u32 domain, u32 ep);
u8 viommu_map(struct viommu *v, u32 domain, u64 start, u64 end, u64 phys,
	      u32 flags);
u8 viommu_unmap(struct viommu *v, u32 domain, u64 start, u64 end);

/*
 * The DMA API stage: [addr, addr + len) of endpoint for dir to *gpa,
 * contiguous for *contig bytes (across adjacent mappings that continue
 * each other). -EFAULT (no domain, unmapped), -EPERM (permission); a
 * refusal is reported (fault event, rate-limited log line).
 */
int viommu_translate(void *opaque, u32 endpoint, u64 addr, u64 len,
		     enum dma_dir dir, u64 *gpa, u64 *contig);

/* ---- the virtio device (iommu.c) */

/*
 * One request of requestq, e popped: the readable bytes hold the head
 * and the request, the writable ones end with the tail (status). Sets
 * *len to the bytes written. -EPROTO when there is no room for the tail
 * (the device then needs a reset).
 */
int viommu_request(struct viommu *v, const struct vq_elem *e, u32 *len)
	__must_check;
/* A fault on the event queue (if the driver gave a buffer). */
void viommu_report(struct viommu *v, u8 reason, u32 flags, u32 ep, u64 addr);

/*
 * Set vdev up as a virtio-iommu (its own queues through as, untranslated)
 * with the bypass byte starting at bypass. *out is the state for
 * viommu_add_endpoint / viommu_stage, freed with the device.
 */
int virtio_iommu_init(struct virtio_dev *vdev, struct dma_as *as, bool sev,
		      bool bypass, struct viommu **out) __must_check;

extern const struct virtio_dev_ops virtio_iommu_ops;

#endif /* SEVM_VIRTIO_IOMMU_H */
