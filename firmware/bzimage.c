// SPDX-License-Identifier: GPL-2.0-only
/* bzImage parsing and the zero page (see bzimage.h). */
#include "firmware/bzimage.h"

static u64 le64(const u8 *p)
{
	return (u64)fw_le32(p) | (u64)fw_le32(p + 4) << 32;
}

static void put_le64(u8 *p, u64 v)
{
	fw_put_le32(p, (u32)v);
	fw_put_le32(p + 4, (u32)(v >> 32));
}

static int bz_fail(const char **why, const char *msg)
{
	*why = msg;
	return -1;
}

static int bz_check_magic(const u8 *img, u64 len, const char **why)
{
	if (len < BZ_ZERO_PAGE_SIZE / 4)
		return bz_fail(why, "too small for a setup header");
	if (fw_le16(img + BP_BOOT_FLAG) != 0xaa55)
		return bz_fail(why, "no 0xaa55 boot flag");
	if (fw_le32(img + BP_HEADER) != BZ_HDRS_MAGIC)
		return bz_fail(why, "no HdrS signature");
	return 0;
}

int bz_parse(const u8 *img, u64 len, struct bz_info *bi, const char **why)
{
	u32 sects;

	if (bz_check_magic(img, len, why))
		return -1;
	bi->version = fw_le16(img + BP_VERSION);
	if (bi->version < BZ_MIN_VERSION)
		return bz_fail(why, "boot protocol older than 2.12");
	if (!(fw_le16(img + BP_XLOADFLAGS) & BZ_XLF_KERNEL_64))
		return bz_fail(why, "no 64-bit entry (XLF_KERNEL_64)");
	if (!(img[BP_LOADFLAGS] & BZ_LOADED_HIGH))
		return bz_fail(why, "not a bzImage (LOADED_HIGH clear)");
	sects = img[BP_SETUP_SECTS] ? img[BP_SETUP_SECTS] : 4;
	bi->setup_size = (sects + 1) * 512;
	if (bi->setup_size >= len)
		return bz_fail(why, "no protected-mode kernel after setup");
	bi->pm_size = len - bi->setup_size;
	bi->hdr_end = 0x202 + img[BP_JUMP + 1];
	if (bi->hdr_end > BZ_HDR_MAX_END)
		bi->hdr_end = BZ_HDR_MAX_END;
	bi->init_size = fw_le32(img + BP_INIT_SIZE);
	bi->alignment = fw_le32(img + BP_KERNEL_ALIGNMENT);
	bi->relocatable = img[BP_RELOCATABLE];
	bi->pref_address = le64(img + BP_PREF_ADDRESS);
	if (bi->relocatable &&
	    (!bi->alignment || (bi->alignment & (bi->alignment - 1))))
		return bz_fail(why, "kernel_alignment is not a power of two");
	return 0;
}

u64 bz_kernel_end(const struct bz_info *bi, u64 load_addr)
{
	u64 start, end;

	if (bi->relocatable)
		start = (load_addr + bi->alignment - 1) &
			~((u64)bi->alignment - 1);
	else
		start = bi->pref_address > load_addr ? bi->pref_address :
						       load_addr;
	end = start + bi->init_size;
	if (end < load_addr + bi->pm_size)
		end = load_addr + bi->pm_size;
	return end;
}

void bz_zero_page(u8 *zp, const u8 *img, const struct bz_info *bi,
		  const struct bz_boot *b)
{
	u32 n = b->nr_e820 < BZ_E820_MAX ? b->nr_e820 : BZ_E820_MAX;

	fw_memset(zp, 0, BZ_ZERO_PAGE_SIZE);
	fw_memcpy(zp + BZ_HDR_START, img + BZ_HDR_START,
		  bi->hdr_end - BZ_HDR_START);
	zp[BP_TYPE_OF_LOADER] = 0xff;
	put_le64(zp + BP_SETUP_DATA, 0);
	fw_put_le32(zp + BP_CMD_LINE_PTR, (u32)b->cmdline_addr);
	fw_put_le32(zp + BP_EXT_CMD_LINE_PTR, (u32)(b->cmdline_addr >> 32));
	fw_put_le32(zp + BP_RAMDISK_IMAGE, (u32)b->initrd_addr);
	fw_put_le32(zp + BP_EXT_RAMDISK_IMAGE, (u32)(b->initrd_addr >> 32));
	fw_put_le32(zp + BP_RAMDISK_SIZE, (u32)b->initrd_size);
	fw_put_le32(zp + BP_EXT_RAMDISK_SIZE, (u32)(b->initrd_size >> 32));
	zp[BP_E820_ENTRIES] = (u8)n;
	fw_memcpy(zp + BP_E820_TABLE, b->e820, n * sizeof(struct sevm_e820));
}
