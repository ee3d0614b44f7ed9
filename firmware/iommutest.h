/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The self test behind a virtio-iommu (guest-only): bypass off, every
 * virtio function attached to a domain of its own with its DMA block
 * mapped at IOVA = GPA + IOMMU_IOVA_OFFSET, the usual drivers run
 * through those IOVAs, then hostile requests against virtio-blk, one
 * line each: an unmapped descriptor IOVA, a descriptor running past its
 * mapping, a device write into a read-only mapping, rings outside the
 * mapping. Each must not complete successfully, must raise a fault
 * event, and must leave the canary pages around its target unchanged.
 */
#ifndef SEVM_FIRMWARE_IOMMUTEST_H
#define SEVM_FIRMWARE_IOMMUTEST_H

#include "firmware/pci.h"

/* The firmware's DMA area (machine.c), page by page. */
#define FW_DMA_PAGE		4096
#define FW_DMA_IOMMU		0	/* virtio-iommu: queues, requests */
#define FW_DMA_BLOCK		1	/* the driven device's block, 2 pages */
#define FW_DMA_BLOCK_PAGES	2
#define FW_DMA_CANARY_LO	3	/* hostile cases: canary, target, */
#define FW_DMA_TARGET		4	/* canary */
#define FW_DMA_CANARY_HI	5
#define FW_DMA_PAGES		6
#define FW_DMA_AREA_SIZE	(FW_DMA_PAGES * FW_DMA_PAGE)

#define IOMMU_IOVA_OFFSET	0x40000000ull	/* IOVA = GPA + 1 GiB */
#define IOMMU_HOSTILE_POLLS	40000 		/* then: "stalled" */

/* The function of the first virtio-iommu on the bus, or NULL. */
const struct pci_func *iommu_find(const struct pci_bus0 *b);
/*
 * Runs the translated self test with the IOMMU at f over the DMA area
 * [va, va + FW_DMA_PAGES pages) at guest-physical pa. cbit != 0 adds
 * the SEV case. Returns the number of failures.
 */
struct sev_share;
/* Under SEV: how to share pages, for the "never shared" hostile case. */
void iommu_selftest_sev(const struct sev_share *s);
int iommu_selftest(const struct pci_bus0 *b, const struct pci_func *f,
		   u8 *va, u64 pa, u64 cbit);

#endif /* SEVM_FIRMWARE_IOMMUTEST_H */
