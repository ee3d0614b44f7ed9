// SPDX-License-Identifier: GPL-2.0-only
/*
 * Firmware images: size checks and the OVMF-style GUID footer table
 * (edk2 ResetVectorVtf0.asm, QEMU pc_system_ovmf_table_find). The footer
 * GUID is the 16 bytes ending 0x20 before the image end; the u16 before
 * it is the table length including that u16 and the GUID. Entries are
 * walked backwards from there, each "data || u16 len || GUID" with len
 * counting all three. Every length is checked before it is used.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vmm/boot.h"
#include "lib/log.h"
#include "sev/guids.h"

#define FW_FOOTER_OFFSET	0x20	/* footer GUID ends here before the end */
#define FW_ENTRY_HDR		18	/* u16 len + GUID */

/* GUIDs in EFI byte order: sev/guids.h. */
static const u8 guid_table_footer[16] = { OVMF_GUID_FOOTER_TABLE };
static const u8 guid_sev_hashes[16] = { SEV_GUID_HASHES_AREA };
static const u8 guid_sev_secret[16] = { SEV_GUID_SECRET_AREA };
static const u8 guid_sev_es_reset[16] = { SEV_GUID_ES_RESET };

/* The entries of a table: [start, end) of the image, walked from end. */
struct fw_table {
	const u8 *img;
	size_t start, end;
};

static u16 get_le16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static u32 get_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

/*
 * Locate the table: 0 (t filled, maybe with no entries), -ENOENT when
 * there is no footer, -EINVAL with why filled when the length is bad.
 */
static int fw_table_locate(const u8 *img, size_t len, struct fw_table *t,
			   char *why, size_t why_len)
{
	size_t foot, tot;

	if (len < FW_FOOTER_OFFSET + FW_ENTRY_HDR)
		return -ENOENT;
	foot = len - FW_FOOTER_OFFSET - 16;	/* footer GUID */
	if (memcmp(img + foot, guid_table_footer, 16))
		return -ENOENT;
	foot -= 2;				/* table length */
	tot = get_le16(img + foot);
	if (tot < FW_ENTRY_HDR) {
		snprintf(why, why_len,
			 "table length %zu is smaller than its 18-byte footer",
			 tot);
		return -EINVAL;
	}
	tot -= FW_ENTRY_HDR;
	if (tot > foot) {
		snprintf(why, why_len,
			 "table length %zu is larger than the image (%zu bytes)",
			 tot + FW_ENTRY_HDR, len);
		return -EINVAL;
	}
	*t = (struct fw_table){ .img = img, .start = foot - tot, .end = foot };
	return 0;
}

/*
 * Next entry backwards from *pos (an offset in the image, starting at
 * t->end): 1 with guid/data/dlen set, 0 at the table start, -EINVAL.
 */
static int fw_table_next(const struct fw_table *t, size_t *pos,
			 const u8 **guid, const u8 **data, size_t *dlen,
			 char *why, size_t why_len)
{
	size_t left = *pos - t->start;
	u16 elen;

	if (!left)
		return 0;
	if (left < FW_ENTRY_HDR) {
		snprintf(why, why_len,
			 "truncated entry: %zu bytes left at offset 0x%zx",
			 left, t->start);
		return -EINVAL;
	}
	elen = get_le16(t->img + *pos - FW_ENTRY_HDR);
	if (elen < FW_ENTRY_HDR || elen > left) {
		snprintf(why, why_len,
			 "entry ending at offset 0x%zx has length %u (%s)",
			 *pos, elen, elen < FW_ENTRY_HDR ?
			 "smaller than its 18-byte header" :
			 "past the table start");
		return -EINVAL;
	}
	*guid = t->img + *pos - 16;
	*data = t->img + *pos - elen;
	*dlen = elen - FW_ENTRY_HDR;
	*pos -= elen;
	return 1;
}

int fw_table_find(const u8 *img, size_t len, const u8 guid[16],
		  const u8 **data, size_t *data_len)
{
	struct fw_table t;
	const u8 *g, *d;
	size_t pos, dl;
	char why[128];
	int r;

	r = fw_table_locate(img, len, &t, why, sizeof(why));
	if (r)
		return r;
	pos = t.end;
	while ((r = fw_table_next(&t, &pos, &g, &d, &dl, why,
				  sizeof(why))) > 0) {
		if (!memcmp(g, guid, 16)) {
			*data = d;
			*data_len = dl;
			return 0;
		}
	}
	return r ? r : -ENOENT;
}

/* Entries sevm understands. An area of size 0 (a firmware built without
 * it, as Debian's OVMF) counts as absent. */
enum { FW_HASHES, FW_SECRET, FW_ES_RESET, FW_NR_KNOWN };

static const struct {
	const u8 *guid;
	const char *name;
	size_t size;
} fw_known[FW_NR_KNOWN] = {
	[FW_HASHES]	= { guid_sev_hashes, "SEV hashes-table", 8 },
	[FW_SECRET]	= { guid_sev_secret, "SEV secret", 8 },
	[FW_ES_RESET]	= { guid_sev_es_reset, "SEV-ES reset", 4 },
};

static void fw_store(int k, const u8 *d, struct fw_info *info)
{
	u32 a = get_le32(d), b = k == FW_ES_RESET ? 0 : get_le32(d + 4);

	if (k == FW_HASHES) {
		info->has_hashes = b != 0;
		info->hashes_base = a;
		info->hashes_size = b;
	} else if (k == FW_SECRET) {
		info->has_secret = b != 0;
		info->secret_base = a;
		info->secret_size = b;
	} else {
		info->has_es_reset = a != 0;
		info->es_reset = a;
	}
}

static int fw_known_entry(const u8 *guid, const u8 *d, size_t dlen,
			  unsigned int *seen, struct fw_info *info,
			  char *why, size_t why_len)
{
	int k;

	for (k = 0; k < FW_NR_KNOWN; k++)
		if (!memcmp(guid, fw_known[k].guid, 16))
			break;
	if (k == FW_NR_KNOWN)
		return 0;	/* SNP/TDX metadata and others: not used */
	if (*seen & (1U << k)) {
		snprintf(why, why_len, "duplicate %s entry", fw_known[k].name);
		return -EINVAL;
	}
	if (dlen != fw_known[k].size) {
		snprintf(why, why_len, "%s entry has %zu data bytes, expected %zu",
			 fw_known[k].name, dlen, fw_known[k].size);
		return -EINVAL;
	}
	*seen |= 1U << k;
	fw_store(k, d, info);
	return 0;
}

static bool areas_overlap(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

/* The areas the table describes must be sane on their own. */
static int fw_check_areas(const struct fw_info *info, char *why,
			  size_t why_len)
{
	u64 hb = info->hashes_base, hs = info->hashes_size;
	u64 sb = info->secret_base, ss = info->secret_size;

	if (info->has_hashes && hb + hs > info->gpa) {
		snprintf(why, why_len,
			 "SEV hashes-table area 0x%llx+0x%llx is not below the firmware",
			 (unsigned long long)hb, (unsigned long long)hs);
		return -EINVAL;
	}
	if (info->has_secret && sb + ss > info->gpa) {
		snprintf(why, why_len,
			 "SEV secret area 0x%llx+0x%llx is not below the firmware",
			 (unsigned long long)sb, (unsigned long long)ss);
		return -EINVAL;
	}
	if (info->has_hashes && info->has_secret &&
	    areas_overlap(hb, hs, sb, ss)) {
		snprintf(why, why_len,
			 "SEV hashes-table area 0x%llx+0x%llx overlaps the secret area 0x%llx+0x%llx",
			 (unsigned long long)hb, (unsigned long long)hs,
			 (unsigned long long)sb, (unsigned long long)ss);
		return -EINVAL;
	}
	return 0;
}

static int fw_parse_table(const struct blob *fw, struct fw_info *info,
			  char *why, size_t why_len)
{
	unsigned int seen = 0;
	struct fw_table t;
	const u8 *g, *d;
	size_t pos, dl;
	int r;

	r = fw_table_locate(fw->data, fw->size, &t, why, why_len);
	if (r == -ENOENT)
		return 0;
	if (r)
		return r;
	info->has_table = true;
	pos = t.end;
	while ((r = fw_table_next(&t, &pos, &g, &d, &dl, why, why_len)) > 0) {
		r = fw_known_entry(g, d, dl, &seen, info, why, why_len);
		if (r)
			return r;
	}
	return r ? r : fw_check_areas(info, why, why_len);
}

int fw_parse(const struct blob *fw, struct fw_info *info)
{
	char why[160];
	int r;

	memset(info, 0, sizeof(*info));
	if (!fw->size) {
		pr_err("firmware %s: empty file", fw->path);
		return -EINVAL;
	}
	if (fw->size > BOOT_FIRMWARE_MAX) {
		pr_err("firmware %s: file too large (%zu bytes, limit %llu)",
		       fw->path, fw->size, BOOT_FIRMWARE_MAX);
		return -EFBIG;
	}
	if (fw->size % 4096) {
		pr_err("firmware %s: size %zu is not a multiple of 4096 bytes",
		       fw->path, fw->size);
		return -EINVAL;
	}
	info->size = fw->size;
	info->gpa = LAYOUT_4G - fw->size;
	r = fw_parse_table(fw, info, why, sizeof(why));
	if (r)
		pr_err("firmware %s: malformed GUID footer table: %s",
		       fw->path, why);
	return r;
}

/* The SEV areas live in guest RAM: they must exist in this VM's RAM. */
static int fw_check_in_ram(const struct guest_mem *mem, const char *path,
			   const char *name, u32 base, u32 size)
{
	if (mem_gpa_to_hva(mem, base, size))
		return 0;
	pr_err("firmware %s: %s area 0x%x+0x%x is outside guest RAM (%llu MiB)",
	       path, name, base, size,
	       (unsigned long long)mem->ram_size >> 20);
	return -ENOSPC;
}

/*
 * Where the BIOS alias goes: NULL (no alias) for images below 128 KiB.
 * Low RAM always covers it (MEM_RAM_MIN is 2 MiB); checked all the same.
 */
static int fw_bios_alias(const struct guest_mem *mem, const struct blob *fw,
			 u8 **dst)
{
	*dst = NULL;
	if (fw->size < BOOT_BIOS_ALIAS_SIZE)
		return 0;
	*dst = mem_gpa_to_hva(mem, BOOT_BIOS_ALIAS_BASE, BOOT_BIOS_ALIAS_SIZE);
	if (*dst)
		return 0;
	pr_err("firmware %s: BIOS alias 0x%llx+0x%llx is outside guest RAM (%llu MiB)",
	       fw->path, BOOT_BIOS_ALIAS_BASE, BOOT_BIOS_ALIAS_SIZE,
	       (unsigned long long)mem->ram_size >> 20);
	return -ENOSPC;
}

int fw_load(struct guest_mem *mem, const struct blob *fw,
	    struct fw_info *info)
{
	u8 *rom, *alias;
	int r;

	r = fw_parse(fw, info);
	if (r)
		return r;
	r = fw_bios_alias(mem, fw, &alias);
	if (r)
		return r;
	if (info->has_hashes) {
		r = fw_check_in_ram(mem, fw->path, "SEV hashes-table",
				    info->hashes_base, info->hashes_size);
		if (r)
			return r;
	}
	if (info->has_secret) {
		r = fw_check_in_ram(mem, fw->path, "SEV secret",
				    info->secret_base, info->secret_size);
		if (r)
			return r;
	}
	r = mem_add_rom(mem, info->size, &rom);
	if (r)
		return r;
	memcpy(rom, fw->data, fw->size);
	if (alias)
		memcpy(alias, fw->data + fw->size - BOOT_BIOS_ALIAS_SIZE,
		       BOOT_BIOS_ALIAS_SIZE);
	return 0;
}
