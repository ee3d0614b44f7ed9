/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The DMA API: the one way a device touches guest memory. Every ring,
 * descriptor, request and buffer access of every device goes through a
 * struct dma_as, its view of memory (one per PCI function, the endpoint).
 *
 * A translation takes an address the device was given (an IOVA), a
 * length and a direction, and returns host memory or a refusal:
 *
 *   device address --[bus mastering on?]--> --[IOMMU: endpoint's domain,
 *   permissions]--> guest-physical --[SEV: page shared by the guest?]-->
 *   --[inside guest RAM?]--> host pointer
 *
 * Today the IOMMU and SEV stages are hooks left empty (identity, all
 * allowed); the next step fills them without any device changing. A
 * refused access reads or writes nothing.
 *
 * Translations are valid until the guest changes the mapping (IOMMU
 * unmap, bus mastering off): devices translate per request and never
 * cache host pointers across requests.
 */
#ifndef SEVM_DMA_H
#define SEVM_DMA_H

#include <stdatomic.h>
#include <sys/uio.h>

#include "lib/util.h"

struct guest_mem;

enum dma_dir {
	DMA_TO_DEVICE	= 1,	/* the device reads guest memory */
	DMA_FROM_DEVICE	= 2,	/* the device writes guest memory */
	DMA_BIDIR	= 3,
};

/*
 * A translation stage (the virtio-iommu, the SEV shared-page set): map
 * [addr, addr + len) of endpoint to guest-physical *out, valid for *contig
 * bytes (<= len, > 0), or refuse with -EFAULT (unmapped), -EPERM (wrong
 * permission or not shared).
 */
struct dma_stage {
	const char *name;
	int (*translate)(void *opaque, u32 endpoint, u64 addr, u64 len,
			 enum dma_dir dir, u64 *out, u64 *contig);
	void *opaque;
};

struct dma_as {
	const struct guest_mem *mem;
	const char *name;		/* the device, for messages */
	u32 endpoint;			/* PCI requester ID: bus << 8 | devfn */
	atomic_bool master;		/* PCI command register bus master */
	const struct dma_stage *iommu;	/* NULL: addresses are guest-physical */
	const struct dma_stage *shared;	/* NULL: every page may be used */
	atomic_ulong refused;		/* accesses refused so far */
};

/* Bus mastering starts off for a PCI function (dma_as_set_master). */
void dma_as_init(struct dma_as *as, const struct guest_mem *mem,
		 const char *name, u32 endpoint, bool master);
void dma_as_set_master(struct dma_as *as, bool on);

/*
 * Host address of the first *contig bytes (0 < *contig <= len) of
 * [addr, addr + len): the longest prefix contiguous in host memory. Errors:
 * -EINVAL (len 0, wrapping range), -EPERM (bus mastering off, a stage
 * refused for permission), -EFAULT (unmapped, outside guest RAM).
 */
int dma_translate(struct dma_as *as, u64 addr, u64 len, enum dma_dir dir,
		  void **hva, u64 *contig) __must_check;
/* Copy from / to guest memory; all or nothing (checked before copying). */
int dma_read(struct dma_as *as, u64 addr, void *buf, u64 len) __must_check;
int dma_write(struct dma_as *as, u64 addr, const void *buf, u64 len)
	__must_check;
/*
 * Describe [addr, addr + len) as host iovecs appended at iov[*n] (at most
 * max entries in all), for zero-copy I/O (preadv/pwritev). -ENOBUFS if
 * the range needs more entries; on any error *n is left unchanged.
 */
int dma_map_iov(struct dma_as *as, u64 addr, u64 len, enum dma_dir dir,
		struct iovec *iov, unsigned int max, unsigned int *n)
	__must_check;

#endif /* SEVM_DMA_H */
