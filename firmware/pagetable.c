// SPDX-License-Identifier: GPL-2.0-only
/* Page tables with or without a C-bit (see pagetable.h). */
#include "firmware/pagetable.h"

#define PT_TABLE	(PTE_PRESENT | PTE_WRITE)
#define PT_LEAF		(PTE_PRESENT | PTE_WRITE | PTE_LARGE)

int pt_is_private(u64 pa, u64 private_end)
{
	return pa < private_end || pa >= PT_FLASH_PAGE;
}

/* 4 PDs mapping PA 0..4 GiB; the C-bit only where private (if cbit). */
static void pt_fill_pds(u64 *pd, u64 cbit, u64 private_end)
{
	u64 pa;
	u32 i;

	for (i = 0; i < 4 * PT_ENTRIES; i++) {
		pa = (u64)i * PT_LARGE_PAGE;
		pd[i] = pa | PT_LEAF |
			(pt_is_private(pa, private_end) ? cbit : 0);
	}
}

/*
 * Every entry is written exactly once with its final value and nothing
 * is cleared first, so the firmware can rebuild the live tables in place
 * (a TLB miss in between still finds a valid entry).
 */
void pt_build(const struct pt_setup *s)
{
	u64 *pml4 = s->tables;
	u64 *pdpt = s->tables + PT_ENTRIES;
	u64 *pd = s->tables + 2 * PT_ENTRIES;
	u32 i;

	/* Tables live in private RAM: their entries always carry the C-bit. */
	pml4[0] = (s->tables_pa + PT_PAGE_SIZE) | PT_TABLE | s->cbit;
	for (i = 1; i < PT_ENTRIES; i++)
		pml4[i] = 0;
	for (i = 0; i < 4; i++)
		pdpt[i] = (s->tables_pa + (2 + i) * PT_PAGE_SIZE) | PT_TABLE |
			  s->cbit;
	for (i = 4; i < 8; i++)
		pdpt[i] = s->alias ? (s->alias_pa + (i - 4) * PT_PAGE_SIZE) |
				     PT_TABLE | s->cbit : 0;
	for (i = 8; i < PT_ENTRIES; i++)
		pdpt[i] = 0;
	pt_fill_pds(pd, s->cbit, s->private_end);
	if (s->alias)
		pt_fill_pds(s->alias, 0, 0);
}

void pt_copy_to_private(u8 *priv, const u8 *shared, u64 len, u8 *bounce,
			size_t bounce_size)
{
	u64 n;

	if (!bounce_size)
		return;
	while (len) {
		n = len < bounce_size ? len : bounce_size;
		fw_memcpy(bounce, shared, n);
		fw_memcpy(priv, bounce, n);
		priv += n;
		shared += n;
		len -= n;
	}
}
