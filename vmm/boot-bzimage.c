// SPDX-License-Identifier: GPL-2.0-only
/*
 * Direct boot of a bzImage through the 64-bit boot protocol
 * (Documentation/arch/x86/boot.rst): the protected-mode kernel at 1 MiB,
 * a zero page with the setup header copied from the image, identity page
 * tables and a boot GDT, and vCPU 0 entering at 1 MiB + 0x200 in long
 * mode with RSI pointing at the zero page.
 */
#include <errno.h>
#include <string.h>

#include <asm/bootparam.h>

#include "vmm/boot.h"
#include "lib/log.h"

#define BZ_HDR_OFFSET		0x1f1
#define BZ_HDR_END		(BZ_HDR_OFFSET + sizeof(struct setup_header))
#define BZ_MAGIC		0x53726448	/* "HdrS" */
#define BZ_BOOT_FLAG		0xaa55
#define BZ_MIN_VERSION		0x020c		/* 2.12: XLF_KERNEL_64 */
#define BZ_INIT_SIZE_MAX	(1U << 30)
#define BZ_ENTRY64_OFFSET	0x200
#define BZ_HEAP_END		0xfe00
#define BZ_LOADER_UNDEFINED	0xff
#define BZ_VID_MODE_NORMAL	0xffff
#define BZ_INITRD_MAX_DEFAULT	0x37ffffff	/* protocols before 2.03 */
#define BZ_E820_MAX		16

static const struct setup_header *bz_header(const struct blob *k)
{
	return (const struct setup_header *)(k->data + BZ_HDR_OFFSET);
}

/* The signature checks: is this a bzImage at all, and new enough? */
static int bz_check_magic(const struct blob *k)
{
	const struct setup_header *h;

	if (k->size < BZ_HDR_END) {
		pr_err("kernel %s: not a bzImage (file too small: %zu bytes)",
		       k->path, k->size);
		return -EINVAL;
	}
	h = bz_header(k);
	if (h->header != BZ_MAGIC) {
		pr_err("kernel %s: not a bzImage (no HdrS signature)", k->path);
		return -EINVAL;
	}
	if (h->boot_flag != BZ_BOOT_FLAG) {
		pr_err("kernel %s: not a bzImage (boot flag 0x%04x, expected 0xaa55)",
		       k->path, h->boot_flag);
		return -EINVAL;
	}
	if (h->version < BZ_MIN_VERSION) {
		pr_err("kernel %s: boot protocol %u.%02u too old, need 2.12 with 64-bit entry",
		       k->path, h->version >> 8, h->version & 0xff);
		return -EINVAL;
	}
	if (!(h->loadflags & LOADED_HIGH)) {
		pr_err("kernel %s: not a bzImage (zImage: LOADED_HIGH not set)",
		       k->path);
		return -EINVAL;
	}
	if (!(h->xloadflags & XLF_KERNEL_64)) {
		pr_err("kernel %s: no 64-bit entry point (XLF_KERNEL_64 not set in xloadflags 0x%x)",
		       k->path, h->xloadflags);
		return -EINVAL;
	}
	return 0;
}

/* The sizes: setup, protected-mode part, init_size. */
static int bz_check_sizes(const struct blob *k, struct bzimage_info *info)
{
	const struct setup_header *h = bz_header(k);
	u32 sects = h->setup_sects ? h->setup_sects : 4;
	u64 sys = (u64)h->syssize * 16;

	info->setup_size = (sects + 1) * 512;
	if (info->setup_size >= k->size) {
		pr_err("kernel %s: truncated: setup claims %u bytes, file has %zu",
		       k->path, info->setup_size, k->size);
		return -EINVAL;
	}
	info->pm_size = (u32)(k->size - info->setup_size);
	if (sys > info->pm_size) {
		pr_err("kernel %s: truncated: header claims %llu bytes of protected-mode kernel, file has %u",
		       k->path, (unsigned long long)sys, info->pm_size);
		return -EINVAL;
	}
	if (!h->init_size || h->init_size > BZ_INIT_SIZE_MAX) {
		pr_err("kernel %s: implausible init_size 0x%x (0 or above 1 GiB)",
		       k->path, h->init_size);
		return -EINVAL;
	}
	return 0;
}

int bzimage_parse(const struct blob *k, struct bzimage_info *info)
{
	const struct setup_header *h;
	int r;

	memset(info, 0, sizeof(*info));
	r = bz_check_magic(k);
	if (!r)
		r = bz_check_sizes(k, info);
	if (r)
		return r;
	h = bz_header(k);
	info->version = h->version;
	info->pref_address = h->pref_address;
	info->init_size = h->init_size;
	info->kernel_alignment = h->kernel_alignment;
	info->initrd_addr_max = h->initrd_addr_max ? h->initrd_addr_max :
						     BZ_INITRD_MAX_DEFAULT;
	info->cmdline_size = h->cmdline_size;
	info->xloadflags = h->xloadflags;
	info->relocatable = h->relocatable_kernel;
	return 0;
}

/* The protected-mode kernel at 1 MiB, with room to unpack after it. */
static int bz_copy_kernel(struct guest_mem *mem, const struct blob *k,
			  const struct bzimage_info *bi, u64 *end)
{
	u64 need = bzimage_end(bi);
	u8 *dst = mem_gpa_to_hva(mem, LAYOUT_HIGH_MEM,
				 need - LAYOUT_HIGH_MEM);

	if (!dst) {
		pr_err("kernel %s: needs RAM up to %llu MiB to unpack (init_size 0x%x), guest has %llu MiB of low RAM",
		       k->path, (unsigned long long)(need + SZ_1M - 1) >> 20,
		       bi->init_size,
		       (unsigned long long)mem_low_ram_end(mem) >> 20);
		return -ENOSPC;
	}
	memcpy(dst, k->data + bi->setup_size, bi->pm_size);
	*end = need;
	return 0;
}

/* Zero page: the image's setup header plus what a boot loader fills in. */
static int bz_fill_zero_page(struct guest_mem *mem, const struct blob *k,
			     u64 rsdp, struct boot_params *bp)
{
	struct sevm_e820 e820[BZ_E820_MAX];
	size_t hdr_len = 0x202 + (size_t)k->data[0x201] - BZ_HDR_OFFSET;
	int n;

	memset(bp, 0, sizeof(*bp));
	hdr_len = MIN(hdr_len, sizeof(bp->hdr));
	memcpy(&bp->hdr, k->data + BZ_HDR_OFFSET, hdr_len);
	bp->hdr.type_of_loader = BZ_LOADER_UNDEFINED;
	bp->hdr.loadflags |= CAN_USE_HEAP;
	bp->hdr.heap_end_ptr = BZ_HEAP_END;
	bp->hdr.vid_mode = BZ_VID_MODE_NORMAL;
	bp->acpi_rsdp_addr = rsdp;
	n = mem_e820(mem, e820, BZ_E820_MAX);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		bp->e820_table[i].addr = e820[i].addr;
		bp->e820_table[i].size = e820[i].size;
		bp->e820_table[i].type = e820[i].type;
	}
	bp->e820_entries = (u8)n;
	return 0;
}

static int bz_cmdline_initrd(struct guest_mem *mem,
			     const struct boot_images *img,
			     const struct bzimage_info *bi, u64 kernel_end,
			     struct boot_params *bp)
{
	u32 limit = MIN(bi->cmdline_size, (u32)LAYOUT_CMDLINE_MAX - 1) + 1;
	u64 cmdline, initrd;
	int r;

	r = boot_put_cmdline(mem, img->cmdline, limit, &cmdline);
	if (r)
		return r;
	bp->hdr.cmd_line_ptr = (u32)cmdline;
	r = boot_place_initrd(mem, &img->initrd,
			      (u64)bi->initrd_addr_max + 1, 0, kernel_end,
			      &initrd);
	if (r)
		return r;
	bp->hdr.ramdisk_image = (u32)initrd;
	bp->hdr.ramdisk_size = (u32)img->initrd.size;
	return 0;
}

int bzimage_load(struct guest_mem *mem, const struct boot_images *img,
		 struct boot_entry *entry)
{
	struct bzimage_info bi;
	struct boot_params *bp;
	u64 kernel_end;
	int r;

	r = bzimage_parse(&img->kernel, &bi);
	if (r)
		return r;
	bp = mem_gpa_to_hva(mem, LAYOUT_ZERO_PAGE, sizeof(*bp));
	if (!bp)
		return -ENOSPC;
	r = bz_copy_kernel(mem, &img->kernel, &bi, &kernel_end);
	if (!r)
		r = bz_fill_zero_page(mem, &img->kernel, img->acpi_rsdp, bp);
	if (!r)
		r = bz_cmdline_initrd(mem, img, &bi, kernel_end, bp);
	if (!r)
		r = boot_setup_page_tables(mem, &entry->cr3);
	if (!r)
		r = boot_setup_gdt(mem, BOOT_LINUX64, &entry->gdt);
	if (r)
		return r;
	entry->mode = BOOT_LINUX64;
	entry->rip = LAYOUT_HIGH_MEM + BZ_ENTRY64_OFFSET;
	entry->boot_params = LAYOUT_ZERO_PAGE;
	return 0;
}
