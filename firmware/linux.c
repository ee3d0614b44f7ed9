// SPDX-License-Identifier: GPL-2.0-only
/*
 * Direct Linux boot from a validated hand-off: under SEV move the blobs
 * into private memory, verify them against the SEV hashes table, build
 * the zero page, move the protected-mode kernel to 1 MiB and enter it
 * through the 64-bit boot protocol.
 */
#include "firmware/bzimage.h"
#include "firmware/fw.h"
#include "firmware/handoff-check.h"
#include "firmware/hashes.h"
#include "firmware/io.h"
#include "firmware/pagetable.h"
#include "firmware/serial.h"

static u8 bounce[PT_PAGE_SIZE] __attribute__((aligned(PT_PAGE_SIZE)));

static __attribute__((noreturn)) void fail(u8 marker, u8 status)
{
	fw_mark(marker);
	fw_exit(status);
}

/* Under SEV: each blob from shared memory into private memory, in place. */
static void blobs_to_private(const struct sevm_handoff *h)
{
	const u64 addr[NR_BLOBS] = {
		h->kernel_addr, h->initrd_addr, h->cmdline_addr,
	};
	const u64 size[NR_BLOBS] = {
		h->kernel_size, h->initrd_size, h->cmdline_size,
	};
	int i;

	/* Lines cached under one C-bit must not meet the other view. */
	wbinvd();
	for (i = 0; i < NR_BLOBS; i++)
		pt_copy_to_private(fw_phys(addr[i]),
				   fw_phys(pt_shared_va(addr[i])), size[i],
				   bounce, sizeof(bounce));
	wbinvd();
}

static const u8 blob_marker[NR_BLOBS] = {
	[BLOB_KERNEL] = MARK_BAD_KERNEL,
	[BLOB_INITRD] = MARK_BAD_INITRD,
	[BLOB_CMDLINE] = MARK_BAD_CMDLINE,
};

static const u8 blob_status[NR_BLOBS] = {
	[BLOB_KERNEL] = FW_STATUS_BAD_KERNEL,
	[BLOB_INITRD] = FW_STATUS_BAD_INITRD,
	[BLOB_CMDLINE] = FW_STATUS_BAD_CMDLINE,
};

static void verify_blobs(const struct sevm_handoff *h, u64 cbit)
{
	struct hashes_table t;
	const u64 addr[NR_BLOBS] = {
		h->kernel_addr, h->initrd_addr, h->cmdline_addr,
	};
	const u64 size[NR_BLOBS] = {
		h->kernel_size, h->initrd_size, h->cmdline_size,
	};
	enum hashes_result r;
	int i;

	if (hashes_parse(fw_phys(LAYOUT_SEV_HASHES), LAYOUT_SEV_HASHES_SIZE,
			 &t)) {
		if (!cbit) {
			fw_printf("hashes: no table, blobs not verified\n");
			return;
		}
		fw_printf("hashes: SEV is active but there is no valid "
			  "hashes table\n");
		fail(MARK_FATAL, FW_STATUS_NO_HASHES);
	}
	for (i = 0; i < NR_BLOBS; i++) {
		r = hashes_verify(&t, i, size[i] ? fw_phys(addr[i]) : bounce,
				  size[i]);
		if (r == HASH_OK)
			continue;
		fw_printf("hashes: %s %s\n", fw_blob_name(i),
			  r == HASH_MISMATCH ? "does not match its hash" :
			  r == HASH_MISSING ? "has no entry in the table" :
			  "entry is not a SHA-256 digest");
		fail(blob_marker[i], blob_status[i]);
	}
	fw_printf("hashes: kernel, initrd and cmdline verified\n");
	fw_mark(MARK_HASHES_VERIFIED);
}

static void bad_bzimage(const char *why)
{
	fw_printf("bzimage: %s\n", why);
	fail(MARK_FATAL, FW_STATUS_BAD_BZIMAGE);
}

/* The kernel at 1 MiB must fit in RAM and not clobber initrd or cmdline. */
static void check_placement(const struct sevm_handoff *h,
			    const struct bz_info *bi)
{
	u64 end = bz_kernel_end(bi, LAYOUT_HIGH_MEM);
	u64 len = end - LAYOUT_HIGH_MEM;

	if (!handoff_range_in_ram(h, LAYOUT_HIGH_MEM, len))
		bad_bzimage("kernel does not fit in RAM at 1 MiB");
	if (fw_overlaps(LAYOUT_HIGH_MEM, len, h->initrd_addr, h->initrd_size))
		bad_bzimage("initrd is where the kernel runs");
	if (fw_overlaps(LAYOUT_HIGH_MEM, len, h->cmdline_addr,
			h->cmdline_size))
		bad_bzimage("cmdline is where the kernel runs");
}

void linux_boot(const struct sevm_handoff *h, u64 cbit)
{
	const u8 *img = fw_phys(h->kernel_addr);
	struct { u16 limit; u64 base; } __attribute__((packed)) gdt_desc;
	struct bz_info bi;
	const char *why;
	struct bz_boot b = {
		.cmdline_addr = h->cmdline_addr,
		.initrd_addr = h->initrd_size ? h->initrd_addr : 0,
		.initrd_size = h->initrd_size,
		.e820 = h->e820,
		.nr_e820 = h->nr_e820,
	};

	if (cbit)
		blobs_to_private(h);
	verify_blobs(h, cbit);
	if (bz_parse(img, h->kernel_size, &bi, &why))
		bad_bzimage(why);
	check_placement(h, &bi);
	bz_zero_page(fw_phys(LAYOUT_ZERO_PAGE), img, &bi, &b);
	fw_memmove(fw_phys(LAYOUT_HIGH_MEM), img + bi.setup_size, bi.pm_size);
	fw_memcpy(fw_phys(LAYOUT_GDT), fw_gdt, fw_gdt_end - fw_gdt);
	gdt_desc.limit = (u16)(fw_gdt_end - fw_gdt - 1);
	gdt_desc.base = LAYOUT_GDT;
	fw_printf("linux: protocol %x, %lx bytes at %x, entering\n",
		  bi.version, bi.pm_size, LAYOUT_HIGH_MEM);
	fw_mark(MARK_KERNEL_JUMP);
	fw_enter_kernel(LAYOUT_HIGH_MEM + BZ_ENTRY_64,
			LAYOUT_ZERO_PAGE, &gdt_desc);
}
