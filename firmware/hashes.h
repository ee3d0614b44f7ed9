/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SEV kernel-hashes table QEMU writes and measures for a direct boot
 * (PaddedSevHashTable, sev-protocol.md 8.2), parsed the way edk2's
 * BlobVerifierSevHashes does: header {GUID, u16 len}, 18 <= len <= area,
 * then entries {GUID, u16 len, data} in the len - 18 bytes after it.
 */
#ifndef SEVM_FIRMWARE_HASHES_H
#define SEVM_FIRMWARE_HASHES_H

#include "firmware/fwtypes.h"

#define HASHES_HDR_SIZE		18	/* GUID + u16 */
#define HASHES_ENTRY_SIZE	50	/* GUID + u16 + SHA-256 */
#define HASHES_TABLE_SIZE	168	/* header + 3 entries (QEMU) */

enum fw_blob {
	BLOB_KERNEL,
	BLOB_INITRD,
	BLOB_CMDLINE,
	NR_BLOBS,
};

struct hashes_table {
	const u8 *entries;	/* first entry, after the header */
	size_t len;		/* bytes of entries */
};

enum hashes_result {
	HASH_OK = 0,
	HASH_MISMATCH,		/* digest differs */
	HASH_MISSING,		/* no entry for the blob */
	HASH_BAD_ENTRY,		/* entry data is not 32 bytes */
};

extern const u8 hashes_guid_table[16];
extern const u8 hashes_guid_blob[NR_BLOBS][16];

const char *fw_blob_name(enum fw_blob blob);
/* 0 and t filled when area holds a valid table, -1 otherwise. */
int hashes_parse(const u8 *area, size_t area_size, struct hashes_table *t);
/* The 32-byte digest for blob, or NULL (with *why) when unusable. */
const u8 *hashes_find(const struct hashes_table *t, enum fw_blob blob,
		      enum hashes_result *why);
/* Compares the table's digest for blob with a computed one. */
enum hashes_result hashes_check(const struct hashes_table *t,
				enum fw_blob blob, const u8 digest[32]);
/* SHA-256 of [data, data + len) against the table. */
enum hashes_result hashes_verify(const struct hashes_table *t,
				 enum fw_blob blob, const void *data,
				 size_t len);

#endif /* SEVM_FIRMWARE_HASHES_H */
