/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bzImage setup header and the zero page for the Linux 64-bit boot
 * protocol (Documentation/arch/x86/boot.rst).
 */
#ifndef SEVM_FIRMWARE_BZIMAGE_H
#define SEVM_FIRMWARE_BZIMAGE_H

#include "firmware/fwtypes.h"
#include "firmware/handoff.h"

#define BZ_ZERO_PAGE_SIZE	4096
#define BZ_MIN_VERSION		0x020c	/* 2.12: XLF_KERNEL_64 */
#define BZ_HDR_START		0x1f1
#define BZ_HDR_MAX_END		0x290	/* boot_params.hdr ends before here */
#define BZ_E820_MAX		128
#define BZ_ENTRY_64		0x200	/* 64-bit entry: load address + 0x200 */

/* boot_params offsets */
#define BP_EXT_RAMDISK_IMAGE	0x0c0
#define BP_EXT_RAMDISK_SIZE	0x0c4
#define BP_EXT_CMD_LINE_PTR	0x0c8
#define BP_E820_ENTRIES		0x1e8
#define BP_SETUP_SECTS		0x1f1
#define BP_BOOT_FLAG		0x1fe
#define BP_JUMP			0x200
#define BP_HEADER		0x202
#define BP_VERSION		0x206
#define BP_TYPE_OF_LOADER	0x210
#define BP_LOADFLAGS		0x211
#define BP_RAMDISK_IMAGE	0x218
#define BP_RAMDISK_SIZE		0x21c
#define BP_CMD_LINE_PTR		0x228
#define BP_KERNEL_ALIGNMENT	0x230
#define BP_RELOCATABLE		0x234
#define BP_XLOADFLAGS		0x236
#define BP_SETUP_DATA		0x250
#define BP_PREF_ADDRESS		0x258
#define BP_INIT_SIZE		0x260
#define BP_E820_TABLE		0x2d0

#define BZ_HDRS_MAGIC		0x53726448	/* "HdrS" */
#define BZ_LOADED_HIGH		0x01
#define BZ_XLF_KERNEL_64	0x01

struct bz_info {
	u32 setup_size;		/* boot sector + setup, bytes */
	u64 pm_size;		/* protected-mode kernel, bytes */
	u16 version;
	u32 hdr_end;		/* end of the setup header, offset */
	u32 init_size;
	u32 alignment;
	u8 relocatable;
	u64 pref_address;
};

/* What the zero page points at. */
struct bz_boot {
	u64 cmdline_addr;
	u64 initrd_addr;
	u64 initrd_size;
	const struct sevm_e820 *e820;
	u32 nr_e820;
};

/* 0 and bi filled, or -1 with *why set to the reason. */
int bz_parse(const u8 *img, u64 len, struct bz_info *bi, const char **why);
/* End of the memory the kernel uses when loaded at load_addr. */
u64 bz_kernel_end(const struct bz_info *bi, u64 load_addr);
/* Builds the 4 KiB zero page from the image's setup header. */
void bz_zero_page(u8 *zp, const u8 *img, const struct bz_info *bi,
		  const struct bz_boot *b);

#endif /* SEVM_FIRMWARE_BZIMAGE_H */
