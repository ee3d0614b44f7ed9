/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Measured direct boot and secrets, QEMU/OVMF formats (sev-protocol.md
 * 7.3, 8.1, 8.2): GUIDs in EFI byte order, the padded SEV hashes table
 * (176 bytes), and the efi_secret secret table.
 */
#ifndef SEVM_SEV_HASHES_H
#define SEVM_SEV_HASHES_H

#include "lib/util.h"

#define SEV_HASHES_TABLE_LEN	168	/* SevHashTable, what its len says */
#define SEV_HASHES_PADDED_LEN	176	/* what is measured */

/* GUIDs as stored (EFI bytes_le). */
extern const u8 sev_guid_hashes_table[16];	/* 9438d606-... */
extern const u8 sev_guid_hash_cmdline[16];	/* 97d02dd8-... */
extern const u8 sev_guid_hash_initrd[16];	/* 44baf731-... */
extern const u8 sev_guid_hash_kernel[16];	/* 4de79437-... */
extern const u8 sev_guid_fw_hashes_area[16];	/* 7255371f-... footer entry */
extern const u8 sev_guid_fw_secret_area[16];	/* 4c2eb361-... footer entry */
extern const u8 sev_guid_fw_es_reset[16];	/* 00f771de-... footer entry */
extern const u8 sev_guid_fw_footer[16];		/* 96b582de-... */
extern const u8 sev_guid_secret_table[16];	/* 1e74f542-... */

/* "736869e5-84f0-4973-92ec-06879ce3da0b" <-> 16 bytes, EFI order. */
int guid_parse(const char *s, u8 out[16]) __must_check;
void guid_format(const u8 guid[16], char out[37]);

struct sev_hashes {
	u8 cmdline[32];
	u8 initrd[32];
	u8 kernel[32];
};

/*
 * QEMU's padded table: cmdline hashed with its NUL (NULL cmdline = ""),
 * missing initrd = SHA-256 of nothing, kernel = SHA-256 of the file.
 */
int sev_hashes_compute(const void *kernel, size_t kernel_len,
		       const void *initrd, size_t initrd_len,
		       const char *cmdline, struct sev_hashes *out)
	__must_check;
void sev_hashes_table(const struct sev_hashes *h,
		      u8 out[SEV_HASHES_PADDED_LEN]);
/*
 * Parse like OVMF's BlobVerifierSevHashes: header GUID, 18 <= len <= the
 * buffer, entries {GUID, LE16 len >= 18, data} inside len; the first
 * entry for each known GUID wins and must hold 32 bytes; unknown GUIDs
 * are skipped. -EINVAL if malformed. found_mask gets SEV_HASH_* bits.
 */
#define SEV_HASH_CMDLINE	(1u << 0)
#define SEV_HASH_INITRD		(1u << 1)
#define SEV_HASH_KERNEL		(1u << 2)
int sev_hashes_parse(const u8 *buf, size_t len, struct sev_hashes *out,
		     unsigned int *found_mask) __must_check;

/* efi_secret table: header GUID, LE32 total, entries {GUID, LE32 len, data}. */
struct sev_secret_entry {
	u8 guid[16];
	const u8 *data;
	u32 len;
};
/* Built and zero-padded to a multiple of 16; *out malloc'd. */
int sev_secret_table_build(const struct sev_secret_entry *e, unsigned int n,
			   u8 **out, size_t *out_len) __must_check;
/*
 * Parse; entries point into buf. -EINVAL if malformed (entry lengths must
 * be >= 20 and stay inside the total; bytes after the total are padding),
 * -ENOSPC if there are more than max entries.
 */
int sev_secret_table_parse(const u8 *buf, size_t len,
			   struct sev_secret_entry *e, unsigned int max,
			   unsigned int *n) __must_check;

#endif /* SEVM_SEV_HASHES_H */
