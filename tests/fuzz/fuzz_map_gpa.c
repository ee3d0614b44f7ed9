// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV shared-page set (vmm/shared-pages.c) under guest-chosen
 * hypercall arguments: the input is a list of 25-byte records, each a
 * hypercall (nr byte, gpa, npages, attrs as le64; the values are used raw
 * and also folded near the RAM layout's edges) followed by a DMA
 * translation of a range it names. Checked besides "no crash": results
 * are 0, -EINVAL or -KVM_ENOSYS only; a refused call changes nothing;
 * the shared-page count matches the bitmap; a translation that succeeds
 * covers only shared pages inside RAM; a refused one is -EPERM/-EFAULT.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "tests/fuzz/fuzz.h"
#include "vmm/dma.h"
#include "vmm/memory.h"
#include "vmm/shared-pages.h"

#define LOW_SIZE	0x40000ULL		/* 64 pages */
#define HIGH_GPA	0x100000ULL		/* a gap, then 16 pages */
#define HIGH_SIZE	0x10000ULL
#define REC		25

void __wrap_pr_log(enum log_level level, const char *fmt, ...);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
	(void)level;	/* the refusal lines: not wanted millions of times */
	(void)fmt;
}

/* Host address of [gpa, gpa + len) inside one RAM region, or NULL. */
static void *ram_hva(const struct guest_mem *m, u64 gpa, u64 len)
{
	unsigned int i;

	for (i = 0; i < m->nr_regions; i++) {
		const struct mem_region *r = &m->regions[i];

		if (gpa >= r->gpa && gpa - r->gpa < r->size &&
		    len <= r->size - (gpa - r->gpa))
			return r->hva + (gpa - r->gpa);
	}
	return NULL;
}

static u64 le64(const u8 *p)
{
	u64 v;

	memcpy(&v, p, 8);
	return v;
}

/* Odd selectors keep the raw value; even ones fold it near the RAM. */
static u64 fold(u8 sel, u64 v, u64 span)
{
	return sel & 1 ? v : v % span;
}

static u64 count_shared(const struct shared_pages *sp)
{
	u64 pfn, n = 0;

	for (pfn = 0; pfn < sp->nr_pages; pfn++)
		n += shared_pages_is_shared(sp, pfn << SHARED_PAGE_SHIFT);
	return n;
}

static void check_dma(struct dma_as *as, struct shared_pages *sp, u64 addr,
		      u64 len)
{
	u64 c, off;
	void *p;
	int r = dma_translate(as, addr, len, DMA_BIDIR, &p, &c);

	if (r) {
		FUZZ_ASSERT(r == -EPERM || r == -EFAULT || r == -EINVAL);
		return;
	}
	FUZZ_ASSERT(c > 0 && c <= len);
	for (off = 0; off < c; off += SHARED_PAGE_SIZE)
		FUZZ_ASSERT(shared_pages_is_shared(sp, addr + off));
	FUZZ_ASSERT(shared_pages_is_shared(sp, addr + c - 1));
	FUZZ_ASSERT(ram_hva(as->mem, addr, c) == p);
}

static void one(struct shared_pages *sp, struct dma_as *as, const u8 *d)
{
	u64 span = HIGH_GPA + HIGH_SIZE + 0x2000;
	u64 args[3] = { fold(d[0] >> 1, le64(d + 1), span) & ~0xfffULL,
			fold(d[0] >> 2, le64(d + 9), 96),
			fold(d[0] >> 3, le64(d + 17), 64) };
	u64 before = count_shared(sp), nr = d[0] & 0x10 ? d[0] : 12, ret;

	if (d[0] & 0x20)
		args[0] = le64(d + 1);			/* unaligned too */
	ret = shared_pages_hypercall(sp, nr, args);
	FUZZ_ASSERT(ret == 0 || ret == (u64)-EINVAL || ret == (u64)-1000);
	FUZZ_ASSERT(nr == 12 || ret == (u64)-1000);
	if (ret)
		FUZZ_ASSERT(count_shared(sp) == before);
	FUZZ_ASSERT(count_shared(sp) == atomic_load(&sp->nr_shared));
	check_dma(as, sp, args[0] + (d[9] & 0xfff),
		  (le64(d + 17) % 0x9000) + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static u8 *ram;
	struct guest_mem mem = { 0 };
	struct shared_pages sp;
	struct dma_as as;
	size_t i;

	if (!ram)
		ram = malloc(LOW_SIZE + HIGH_SIZE);
	FUZZ_ASSERT(ram);
	mem.regions[0] = (struct mem_region){ MEM_RAM, 0, LOW_SIZE, ram, 0 };
	mem.regions[1] = (struct mem_region){ MEM_RAM, HIGH_GPA, HIGH_SIZE,
					      ram + LOW_SIZE, 1 };
	mem.nr_regions = 2;
	FUZZ_ASSERT(!shared_pages_init(&sp, &mem));
	dma_as_init(&as, &mem, "fuzz", 8, true);
	as.shared = &sp.stage;
	for (i = 0; i + REC <= size && i < 32 * REC; i += REC)
		one(&sp, &as, data + i);
	shared_pages_free(&sp);
	return 0;
}
