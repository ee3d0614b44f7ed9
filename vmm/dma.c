// SPDX-License-Identifier: GPL-2.0-only
/*
 * The DMA API (see dma.h): bus mastering, then the IOMMU stage, then the
 * SEV shared-page stage, then guest RAM. Each stage may shorten the
 * contiguous run; callers loop over runs.
 */
#include <errno.h>
#include <string.h>

#include "lib/log.h"
#include "vmm/dma.h"
#include "vmm/memory.h"

void dma_as_init(struct dma_as *as, const struct guest_mem *mem,
		 const char *name, u32 endpoint, bool master)
{
	memset(as, 0, sizeof(*as));
	as->mem = mem;
	as->name = name;
	as->endpoint = endpoint;
	atomic_store(&as->master, master);
}

void dma_as_set_master(struct dma_as *as, bool on)
{
	atomic_store(&as->master, on);
}

/* Inlined: the SEV stage's NULL test costs no call. */
static inline __attribute__((always_inline)) int
dma_stage(const struct dma_stage *st, u32 ep, u64 *addr, u64 *len,
	  enum dma_dir dir)
{
	u64 out, contig = 0;
	int r;

	if (!st)
		return 0;
	r = st->translate(st->opaque, ep, *addr, *len, dir, &out, &contig);
	if (r)
		return r;
	if (!contig || contig > *len)
		return -EFAULT;		/* a stage that breaks its contract */
	*addr = out;
	*len = contig;
	return 0;
}

/* The hot path is inlined into each caller (one call per translation). */
#define __dma_inline	inline __attribute__((always_inline))

/* The RAM region holding gpa, and how much of [gpa, gpa+len) it holds. */
static __dma_inline void *dma_ram(const struct guest_mem *mem, u64 gpa, u64 len,
		     u64 *contig)
{
	unsigned int i;

	for (i = 0; i < mem->nr_regions; i++) {
		const struct mem_region *r = &mem->regions[i];

		if (r->kind != MEM_RAM || gpa < r->gpa ||
		    gpa - r->gpa >= r->size)
			continue;
		*contig = MIN(len, r->size - (gpa - r->gpa));
		return r->hva + (gpa - r->gpa);
	}
	return NULL;
}

static __attribute__((noinline)) int dma_refuse(struct dma_as *as, int r)
{
	atomic_fetch_add(&as->refused, 1);
	return r;
}

static __dma_inline int dma_to_ram(struct dma_as *as, u64 gpa, u64 len,
				   void **hva, u64 *contig)
{
	void *p = dma_ram(as->mem, gpa, len, contig);

	if (!p)
		return dma_refuse(as, -EFAULT);
	*hva = p;
	return 0;
}

/* Through the IOMMU and SEV stages; kept out of line (the rare case). */
static __attribute__((noinline)) int
dma_translate_staged(struct dma_as *as, u64 addr, u64 len, enum dma_dir dir,
		     void **hva, u64 *contig)
{
	int r = dma_stage(as->iommu, as->endpoint, &addr, &len, dir);

	if (!r)
		r = dma_stage(as->shared, as->endpoint, &addr, &len, dir);
	if (r)
		return dma_refuse(as, r);
	return dma_to_ram(as, addr, len, hva, contig);
}

/*
 * Without stages an address is guest-physical: straight to the RAM
 * lookup, with no address-taken locals (no stack-protector prologue).
 */
static __dma_inline int dma_xlate(struct dma_as *as, u64 addr, u64 len,
				  enum dma_dir dir, void **hva, u64 *contig)
{
	if (!len || addr + len - 1 < addr)
		return -EINVAL;
	if (!atomic_load(&as->master))
		return dma_refuse(as, -EPERM);
	if (as->iommu || as->shared)
		return dma_translate_staged(as, addr, len, dir, hva, contig);
	return dma_to_ram(as, addr, len, hva, contig);
}

int dma_translate(struct dma_as *as, u64 addr, u64 len, enum dma_dir dir,
		  void **hva, u64 *contig)
{
	return dma_xlate(as, addr, len, dir, hva, contig);
}

/* Check the whole range first, so a refused access touches nothing. */
static int dma_check(struct dma_as *as, u64 addr, u64 len, enum dma_dir dir)
{
	u64 done = 0, c;
	void *p;
	int r;

	while (done < len) {
		r = dma_xlate(as, addr + done, len - done, dir, &p, &c);
		if (r)
			return r;
		done += c;
	}
	return 0;
}

static int dma_copy(struct dma_as *as, u64 addr, void *buf, u64 len,
		    enum dma_dir dir)
{
	u64 done = 0, c;
	void *p;
	int r;

	if (!len)
		return 0;
	r = dma_check(as, addr, len, dir);
	while (!r && done < len) {
		r = dma_xlate(as, addr + done, len - done, dir, &p, &c);
		if (r)
			break;
		if (dir == DMA_TO_DEVICE)
			memcpy((u8 *)buf + done, p, c);
		else
			memcpy(p, (u8 *)buf + done, c);
		done += c;
	}
	return r;
}

int dma_read(struct dma_as *as, u64 addr, void *buf, u64 len)
{
	return dma_copy(as, addr, buf, len, DMA_TO_DEVICE);
}

int dma_write(struct dma_as *as, u64 addr, const void *buf, u64 len)
{
	return dma_copy(as, addr, (void *)(uintptr_t)buf, len,
			DMA_FROM_DEVICE);
}

int dma_map_iov(struct dma_as *as, u64 addr, u64 len, enum dma_dir dir,
		struct iovec *iov, unsigned int max, unsigned int *n)
{
	unsigned int k = *n;
	u64 done = 0, c;
	void *p;
	int r;

	if (!len)
		return 0;
	while (done < len) {
		if (k >= max)
			return -ENOBUFS;
		r = dma_xlate(as, addr + done, len - done, dir, &p, &c);
		if (r)
			return r;
		iov[k].iov_base = p;
		iov[k].iov_len = c;
		k++;
		done += c;
	}
	*n = k;
	return 0;
}
