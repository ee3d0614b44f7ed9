// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV shared-page set (see shared-pages.h): a bitmap of 4 KiB pages
 * over guest RAM, converted by KVM_HC_MAP_GPA_RANGE and applied to
 * device DMA as the DMA API's `shared` stage.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "vmm/memory.h"
#include "vmm/shared-pages.h"

#define BITS_PER_WORD	(sizeof(unsigned long) * CHAR_BIT)
#define LOG_INTERVAL_US	1000000ULL

static int shared_stage_translate(void *opaque, u32 endpoint, u64 addr,
				  u64 len, enum dma_dir dir, u64 *out,
				  u64 *contig);

/* One past the highest guest-physical address of RAM (0: no RAM). */
static u64 ram_end(const struct guest_mem *mem)
{
	unsigned int i;
	u64 end = 0;

	for (i = 0; i < mem->nr_regions; i++)
		if (mem->regions[i].kind == MEM_RAM)
			end = MAX(end, mem->regions[i].gpa +
				       mem->regions[i].size);
	return end;
}

int shared_pages_init(struct shared_pages *sp, const struct guest_mem *mem)
{
	u64 end = ram_end(mem), words;

	memset(sp, 0, sizeof(*sp));
	if (!end) {
		pr_err("sev dma check: no guest RAM to track");
		return -EINVAL;
	}
	sp->mem = mem;
	sp->nr_pages = ALIGN_UP(end, SHARED_PAGE_SIZE) >> SHARED_PAGE_SHIFT;
	words = (sp->nr_pages + BITS_PER_WORD - 1) / BITS_PER_WORD;
	sp->bits = calloc(words, sizeof(*sp->bits));
	if (!sp->bits) {
		pr_err("sev dma check: bitmap of %" PRIu64 " pages: %s",
		       sp->nr_pages, strerror(ENOMEM));
		return -ENOMEM;
	}
	sp->stage = (struct dma_stage) {
		.name = "sev-shared", .translate = shared_stage_translate,
		.opaque = sp,
	};
	return 0;
}

void shared_pages_free(struct shared_pages *sp)
{
	free((void *)(uintptr_t)sp->bits);
	sp->bits = NULL;
	sp->nr_pages = 0;
}

/* Whether [gpa, gpa + len) lies wholly inside one RAM region. */
static bool range_is_ram(const struct guest_mem *mem, u64 gpa, u64 len)
{
	unsigned int i;

	for (i = 0; i < mem->nr_regions; i++) {
		const struct mem_region *r = &mem->regions[i];

		if (r->kind == MEM_RAM && gpa >= r->gpa &&
		    gpa - r->gpa <= r->size && len <= r->size - (gpa - r->gpa))
			return true;
	}
	return false;
}

static bool attrs_valid(u64 attrs)
{
	return !(attrs & ~HC_MAP_GPA_ATTR_MASK) &&
	       (attrs & HC_MAP_GPA_PAGE_SZ_MASK) <= 2;
}

/* Set or clear one page's bit; returns whether it changed. */
static bool page_set(struct shared_pages *sp, u64 pfn, bool shared)
{
	_Atomic unsigned long *w = &sp->bits[pfn / BITS_PER_WORD];
	unsigned long m = 1UL << (pfn % BITS_PER_WORD), old;

	if (shared)
		old = atomic_fetch_or(w, m);
	else
		old = atomic_fetch_and(w, ~m);
	return !!(old & m) != shared;
}

int shared_pages_map_gpa_range(struct shared_pages *sp, u64 gpa, u64 npages,
			       u64 attrs)
{
	bool shared = !(attrs & HC_MAP_GPA_ENCRYPTED);
	u64 pfn, first = gpa >> SHARED_PAGE_SHIFT;

	if (!npages || !IS_ALIGNED(gpa, SHARED_PAGE_SIZE) ||
	    !attrs_valid(attrs) ||
	    npages > (UINT64_MAX >> SHARED_PAGE_SHIFT) - first ||
	    first + npages > sp->nr_pages ||
	    !range_is_ram(sp->mem, gpa, npages << SHARED_PAGE_SHIFT))
		return -EINVAL;
	for (pfn = first; pfn < first + npages; pfn++) {
		if (!page_set(sp, pfn, shared))
			continue;
		if (shared)
			atomic_fetch_add(&sp->nr_shared, 1);
		else
			atomic_fetch_sub(&sp->nr_shared, 1);
	}
	atomic_fetch_add(&sp->nr_calls, 1);
	return 0;
}

static bool pfn_shared(const struct shared_pages *sp, u64 pfn)
{
	if (pfn >= sp->nr_pages)
		return false;
	return atomic_load(&sp->bits[pfn / BITS_PER_WORD]) &
	       (1UL << (pfn % BITS_PER_WORD));
}

bool shared_pages_is_shared(const struct shared_pages *sp, u64 gpa)
{
	return pfn_shared(sp, gpa >> SHARED_PAGE_SHIFT);
}

u64 shared_pages_run(const struct shared_pages *sp, u64 gpa, u64 len)
{
	u64 pfn = gpa >> SHARED_PAGE_SHIFT, done = 0, step;

	step = SHARED_PAGE_SIZE - (gpa & (SHARED_PAGE_SIZE - 1));
	while (done < len && pfn_shared(sp, pfn)) {
		done += step;
		step = SHARED_PAGE_SIZE;
		pfn++;
	}
	return MIN(done, len);
}

u64 shared_pages_hypercall(struct shared_pages *sp, u64 nr, const u64 args[3])
{
	if (nr != HC_MAP_GPA_RANGE)
		return (u64)-HC_ENOSYS;
	return (u64)(s64)shared_pages_map_gpa_range(sp, args[0], args[1],
						    args[2]);
}

/* One line a second at most, with how many were not logged meanwhile. */
static void shared_refused_log(struct shared_pages *sp, u32 endpoint,
			       u64 addr, u64 len, enum dma_dir dir)
{
	u64 now = time_us(), last = atomic_load(&sp->last_log_us);
	unsigned long quiet;

	if (last && now - last < LOG_INTERVAL_US) {
		atomic_fetch_add(&sp->suppressed, 1);
		return;
	}
	if (!atomic_compare_exchange_strong(&sp->last_log_us, &last,
					    now ? now : 1)) {
		atomic_fetch_add(&sp->suppressed, 1);
		return;
	}
	quiet = atomic_exchange(&sp->suppressed, 0);
	pr_warn("sev dma check: device %02x:%02x.%x %s gpa 0x%" PRIx64
		" len %" PRIu64 " refused: page not shared by the guest "
		"(%lu refused in all, %lu not logged)",
		endpoint >> 8, (endpoint >> 3) & 0x1f, endpoint & 7,
		dir == DMA_FROM_DEVICE ? "write to" :
		dir == DMA_TO_DEVICE ? "read of" : "access to",
		addr, len, atomic_load(&sp->refused), quiet);
}

static int shared_stage_translate(void *opaque, u32 endpoint, u64 addr,
				  u64 len, enum dma_dir dir, u64 *out,
				  u64 *contig)
{
	struct shared_pages *sp = opaque;
	u64 run = shared_pages_run(sp, addr, len);

	if (!run) {
		atomic_fetch_add(&sp->refused, 1);
		shared_refused_log(sp, endpoint, addr, len, dir);
		return -EPERM;
	}
	*out = addr;
	*contig = run;
	return 0;
}
