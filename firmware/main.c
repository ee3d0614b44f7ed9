// SPDX-License-Identifier: GPL-2.0-only
/*
 * C entry (from firmware/reset.S in long mode, stack and .bss ready):
 * serial, page tables, SEV detection, then either the direct Linux boot
 * described by a hand-off structure or the self test.
 */
#include "firmware/asm-defs.h"
#include "firmware/fw.h"
#include "firmware/fwcfg.h"
#include "firmware/handoff-check.h"
#include "firmware/io.h"
#include "firmware/pagetable.h"
#include "firmware/serial.h"

_Static_assert(ASM_PORT_DEBUG == PORT_DEBUG, "asm-defs");
_Static_assert(ASM_PORT_TEST_EXIT == PORT_TEST_EXIT, "asm-defs");
_Static_assert(ASM_MARK_RESET_VECTOR == MARK_RESET_VECTOR, "asm-defs");
_Static_assert(ASM_MARK_PROTECTED_MODE == MARK_PROTECTED_MODE, "asm-defs");
_Static_assert(ASM_MARK_LONG_MODE == MARK_LONG_MODE, "asm-defs");
_Static_assert(ASM_MARK_FATAL == MARK_FATAL, "asm-defs");
_Static_assert(ASM_FW_STATUS_FATAL == FW_STATUS_FATAL, "asm-defs");
_Static_assert(ASM_LAYOUT_PAGE_TABLES == LAYOUT_PAGE_TABLES, "asm-defs");
_Static_assert(ASM_LAYOUT_SEV_HASHES == LAYOUT_SEV_HASHES, "asm-defs");
_Static_assert(ASM_LAYOUT_SEV_HASHES_SIZE == LAYOUT_SEV_HASHES_SIZE,
	       "asm-defs");
_Static_assert(ASM_LAYOUT_SEV_SECRET == LAYOUT_SEV_SECRET, "asm-defs");
_Static_assert(ASM_LAYOUT_SEV_SECRET_SIZE == LAYOUT_SEV_SECRET_SIZE,
	       "asm-defs");
_Static_assert(ASM_LAYOUT_FW_DATA == LAYOUT_FW_DATA, "asm-defs");
_Static_assert(ASM_LAYOUT_FW_DATA_END == LAYOUT_FW_DATA_END, "asm-defs");
_Static_assert(LAYOUT_PAGE_TABLES + PT_TABLE_PAGES * PT_PAGE_SIZE <=
	       LAYOUT_PAGE_TABLES_END, "page tables fit their area");

void fw_main(u64 boot_cbit);

static u64 alias_pds[PT_ALIAS_PAGES * PT_ENTRIES]
	__attribute__((aligned(PT_PAGE_SIZE)));
static struct sevm_handoff handoff;

u64 sev_detect(u32 *pos)
{
	struct cpuid_regs r;

	*pos = 0;
	if (cpuid(0x80000000).eax < CPUID_SEV_LEAF)
		return 0;
	r = cpuid(CPUID_SEV_LEAF);
	if (!(r.eax & 2) || !(rdmsr(MSR_SEV_STATUS) & 1))
		return 0;
	*pos = r.ebx & 0x3f;
	return 1ull << *pos;
}

void fw_paging_setup(u64 cbit, u64 private_end)
{
	struct pt_setup s = {
		.tables = fw_phys(LAYOUT_PAGE_TABLES),
		.tables_pa = LAYOUT_PAGE_TABLES,
		.alias = alias_pds,
		.alias_pa = (u64)(uintptr_t)alias_pds,
		.cbit = cbit,
		.private_end = private_end,
	};

	pt_build(&s);
	write_cr3(LAYOUT_PAGE_TABLES | cbit);
}

/* Where to read what the VMM wrote: the shared alias under SEV. */
static const u8 *map_shared(void *ctx, u64 pa, u64 len)
{
	const u64 *cbit = ctx;

	(void)len;
	return fw_phys(*cbit ? pt_shared_va(pa) : pa);
}

/* The hand-off as a fw_cfg file (SEVM_FWCFG_HANDOFF): 1 if read. */
static int handoff_from_fwcfg(u64 cbit)
{
	struct fwcfg c;
	struct fwcfg_file f;

	if (!fwcfg_probe(&c, !cbit) ||
	    fwcfg_find(&c, SEVM_FWCFG_HANDOFF, &f) != 1 ||
	    f.size != sizeof(handoff))
		return 0;
	fwcfg_select(f.select);
	return !fwcfg_read(&c, &handoff, sizeof(handoff)) &&
	       handoff.magic == SEVM_HANDOFF_MAGIC;
}

/*
 * The hand-off: from fw_cfg when the VMM offers it there; else the VMM
 * wrote it into shared memory, so under SEV look there first, then in
 * the private view (a VMM that measured it).
 */
static const char *read_handoff(u64 cbit)
{
	if (handoff_from_fwcfg(cbit))
		return "fw_cfg";
	fw_memcpy(&handoff, map_shared(&cbit, LAYOUT_HANDOFF, sizeof(handoff)),
		  sizeof(handoff));
	if (cbit && handoff.magic != SEVM_HANDOFF_MAGIC)
		fw_memcpy(&handoff, fw_phys(LAYOUT_HANDOFF), sizeof(handoff));
	return "memory";
}

static void direct_boot(u64 cbit, const char *src)
{
	const char *field;
	u64 end;

	switch (handoff_validate(&handoff, map_shared, &cbit, &field)) {
	case HANDOFF_ABSENT:
		return;
	case HANDOFF_INVALID:
		fw_printf("handoff: bad field %s\n", field);
		fw_mark(MARK_FATAL);
		fw_exit(FW_STATUS_BAD_HANDOFF);
	case HANDOFF_VALID:
		break;
	}
	fw_mark(MARK_HANDOFF_FOUND);
	fw_printf("handoff (%s): kernel %lx+%lx initrd %lx+%lx cmdline %lx+%lx\n",
		  src, handoff.kernel_addr, handoff.kernel_size,
		  handoff.initrd_addr, handoff.initrd_size,
		  handoff.cmdline_addr, handoff.cmdline_size);
	end = handoff_low_ram_end(&handoff);
	if (cbit && end)
		fw_paging_setup(cbit, (end + PT_LARGE_PAGE - 1) &
				      ~(PT_LARGE_PAGE - 1));
	linux_boot(&handoff, cbit);
}

void fw_main(u64 boot_cbit)
{
	u64 cbit;
	u32 pos;

	fw_mark(MARK_C_ENTRY);
	serial_init();
	cbit = sev_detect(&pos);
	if (cbit != boot_cbit) {
		fw_printf("sev: C-bit mask %lx differs from early boot %lx\n",
			  cbit, boot_cbit);
		fw_mark(MARK_FATAL);
		fw_exit(FW_STATUS_FATAL);
	}
	/*
	 * Without SEV the early identity map is all the firmware needs. With
	 * SEV, MMIO must lose the C-bit and shared memory needs its alias;
	 * until the e820 map is known, RAM below the 2 GiB split is private.
	 */
	if (cbit) {
		fw_mark(MARK_SEV_DETECTED);
		fw_paging_setup(cbit, LAYOUT_LOWMEM_SPLIT);
	}
	direct_boot(cbit, read_handoff(cbit));
	selftest_run(cbit);
}
