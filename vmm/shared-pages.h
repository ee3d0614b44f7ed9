/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SEV shared-page set: which 4 KiB pages of guest RAM an SEV guest
 * has made shared (decrypted) for the host and its devices. All pages
 * are private at launch; the guest converts ranges with the hypercall
 * KVM_HC_MAP_GPA_RANGE (a0 = gpa, a1 = number of 4 KiB pages, a2 =
 * attributes: bit 4 set = encrypted/private, clear = decrypted/shared;
 * bits 0..3 a page-size hint, 0 = 4K, 1 = 2M, 2 = 1G). The result goes
 * back in the hypercall's return value: 0, or -EINVAL for a range that is
 * not page-aligned, empty, wrapping, not wholly guest RAM, or attributes
 * with unknown bits; -ENOSYS (KVM's -KVM_ENOSYS, 1000) for another
 * hypercall number.
 *
 * The set is a bitmap over [0, end of the highest RAM region), one bit
 * per page, updated and read with atomic operations: lookups from the
 * I/O thread and vCPU threads need no lock. A conversion of a range is
 * not atomic as a whole (neither is it on hardware: a guest that races
 * its own conversions against device DMA gets either answer per page).
 *
 * The DMA API's `shared` stage (vmm/dma.h) applies the set after the
 * IOMMU: an access whose first page was never shared is refused with
 * -EPERM (as an unmapped IOVA is with -EFAULT); otherwise the contiguous
 * run is cut at the first private page. Refusals are logged at most once
 * per second (with the count of the suppressed ones).
 */
#ifndef SEVM_SHARED_PAGES_H
#define SEVM_SHARED_PAGES_H

#include <stdatomic.h>

#include "lib/util.h"
#include "vmm/dma.h"

struct guest_mem;

#define SHARED_PAGE_SHIFT	12
#define SHARED_PAGE_SIZE	(1ULL << SHARED_PAGE_SHIFT)

/* KVM_HC_MAP_GPA_RANGE (include/uapi/linux/kvm_para.h, asm/kvm_para.h) */
#define HC_MAP_GPA_RANGE		12
#define HC_MAP_GPA_PAGE_SZ_MASK		0xfULL	/* 0 4K, 1 2M, 2 1G */
#define HC_MAP_GPA_ENCRYPTED		(1ULL << 4)
#define HC_MAP_GPA_ATTR_MASK		(HC_MAP_GPA_PAGE_SZ_MASK | \
					 HC_MAP_GPA_ENCRYPTED)
#define HC_ENOSYS			1000	/* KVM_ENOSYS */

struct shared_pages {
	const struct guest_mem *mem;
	u64 nr_pages;			/* pages the bitmap covers */
	_Atomic unsigned long *bits;	/* 1 = shared */
	atomic_ulong nr_shared;		/* pages shared now */
	atomic_ulong nr_calls;		/* conversions accepted */
	atomic_ulong refused;		/* DMA accesses refused */
	_Atomic u64 last_log_us;	/* rate limit of the refusal line */
	atomic_ulong suppressed;	/* refusals not logged since */
	struct dma_stage stage;		/* the DMA API's `shared` stage */
};

/* All pages private. 0, -EINVAL (no RAM), -ENOMEM. */
int shared_pages_init(struct shared_pages *sp, const struct guest_mem *mem)
	__must_check;
void shared_pages_free(struct shared_pages *sp);

/*
 * KVM_HC_MAP_GPA_RANGE semantics: share (attrs bit 4 clear) or make
 * private (bit 4 set) npages 4 KiB pages from gpa. 0 or -EINVAL; on
 * -EINVAL nothing changed.
 */
int shared_pages_map_gpa_range(struct shared_pages *sp, u64 gpa, u64 npages,
			       u64 attrs) __must_check;
/* Whether the page holding gpa is shared (false outside the bitmap). */
bool shared_pages_is_shared(const struct shared_pages *sp, u64 gpa);
/* Bytes of [gpa, gpa + len) from gpa on, up to the first private page. */
u64 shared_pages_run(const struct shared_pages *sp, u64 gpa, u64 len);

/*
 * One hypercall (from KVM_EXIT_HYPERCALL or the I/O-port stand-in):
 * returns the value for the guest's RAX (0, (u64)-EINVAL, (u64)-1000).
 */
u64 shared_pages_hypercall(struct shared_pages *sp, u64 nr, const u64 args[3]);

#endif /* SEVM_SHARED_PAGES_H */
