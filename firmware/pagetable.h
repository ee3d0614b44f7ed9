/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The firmware's page tables: an identity map of the low 4 GiB with
 * 2 MiB pages (PML4, PDPT, 4 PDs at LAYOUT_PAGE_TABLES) and, with four
 * more PDs, an alias of the same 4 GiB at PT_SHARED_ALIAS without the
 * C-bit. Under SEV the identity map sets the C-bit (the caller's mask,
 * 1 << CPUID 0x8000001f EBX[5:0]) on private memory: RAM below
 * private_end and the 2 MiB page holding the firmware ROM. MMIO (APIC,
 * PCI hole) is shared. The alias is how the firmware reads what the VMM
 * wrote into shared memory.
 */
#ifndef SEVM_FIRMWARE_PAGETABLE_H
#define SEVM_FIRMWARE_PAGETABLE_H

#include "firmware/fwtypes.h"

#define PT_PAGE_SIZE		4096
#define PT_ENTRIES		512
#define PT_TABLE_PAGES		6		/* PML4, PDPT, PD x 4 */
#define PT_ALIAS_PAGES		4		/* PD x 4 */
#define PT_LARGE_PAGE		0x200000ull
#define PT_SHARED_ALIAS		0x100000000ull	/* VA of PA 0 without C-bit */
#define PT_FLASH_PAGE		0xffe00000ull	/* 2 MiB page of the ROM */
#define PT_MAPPED_END		0x100000000ull

#define PTE_PRESENT		0x001ull
#define PTE_WRITE		0x002ull
#define PTE_LARGE		0x080ull

struct pt_setup {
	u64 *tables;		/* PT_TABLE_PAGES pages, 4 KiB aligned */
	u64 tables_pa;		/* their guest-physical address */
	u64 *alias;		/* PT_ALIAS_PAGES pages, or NULL: no alias */
	u64 alias_pa;
	u64 cbit;		/* C-bit mask, 0 without SEV */
	u64 private_end;	/* RAM [0, private_end) is private */
};

/* Does the 2 MiB page at pa get the C-bit? */
int pt_is_private(u64 pa, u64 private_end);
/* Writes every entry of the tables; safe on the live tables. */
void pt_build(const struct pt_setup *s);
/* Virtual address of guest-physical pa in the shared (C-bit clear) alias. */
static inline u64 pt_shared_va(u64 pa)
{
	return PT_SHARED_ALIAS + pa;
}

/*
 * Moves len bytes that the VMM wrote into shared memory into private
 * memory: reads them through the shared view, writes them through the
 * private one, a bounce buffer (private) at a time, so a page is never
 * read in one view after being written in the other. Without SEV the two
 * views are the same memory and this is a plain copy.
 */
void pt_copy_to_private(u8 *priv, const u8 *shared, u64 len, u8 *bounce,
			size_t bounce_size);

#endif /* SEVM_FIRMWARE_PAGETABLE_H */
