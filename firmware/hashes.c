// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV hashes table (sev-protocol.md 8.2). Differences from edk2: an entry
 * whose length is below 18 ends the walk (edk2 would loop on length 0),
 * and a blob without an entry is refused, like current edk2.
 */
#include "firmware/hashes.h"
#include "firmware/sha256.h"
#include "sev/guids.h"

const u8 hashes_guid_table[16] = { SEV_GUID_HASHES_TABLE };

const u8 hashes_guid_blob[NR_BLOBS][16] = {
	[BLOB_KERNEL] = { SEV_GUID_HASH_KERNEL },
	[BLOB_INITRD] = { SEV_GUID_HASH_INITRD },
	[BLOB_CMDLINE] = { SEV_GUID_HASH_CMDLINE },
};

const char *fw_blob_name(enum fw_blob blob)
{
	switch (blob) {
	case BLOB_KERNEL:
		return "kernel";
	case BLOB_INITRD:
		return "initrd";
	case BLOB_CMDLINE:
		return "cmdline";
	default:
		return "?";
	}
}

int hashes_parse(const u8 *area, size_t area_size, struct hashes_table *t)
{
	u16 len;

	if (!area || area_size < HASHES_HDR_SIZE)
		return -1;
	if (fw_memcmp(area, hashes_guid_table, 16))
		return -1;
	len = fw_le16(area + 16);
	if (len < HASHES_HDR_SIZE || len > area_size)
		return -1;
	t->entries = area + HASHES_HDR_SIZE;
	t->len = len - HASHES_HDR_SIZE;
	return 0;
}

const u8 *hashes_find(const struct hashes_table *t, enum fw_blob blob,
		      enum hashes_result *why)
{
	const u8 *e = t->entries;
	size_t left = t->len;
	u16 elen;

	*why = HASH_MISSING;
	if ((unsigned int)blob >= NR_BLOBS)
		return NULL;
	while (left >= HASHES_HDR_SIZE) {
		elen = fw_le16(e + 16);
		if (elen < HASHES_HDR_SIZE || elen > left)
			break;
		if (!fw_memcmp(e, hashes_guid_blob[blob], 16)) {
			if (elen != HASHES_ENTRY_SIZE) {
				*why = HASH_BAD_ENTRY;
				return NULL;
			}
			*why = HASH_OK;
			return e + HASHES_HDR_SIZE;
		}
		e += elen;
		left -= elen;
	}
	return NULL;
}

enum hashes_result hashes_check(const struct hashes_table *t,
				enum fw_blob blob, const u8 digest[32])
{
	enum hashes_result r;
	const u8 *want = hashes_find(t, blob, &r);
	u8 diff = 0;
	int i;

	if (!want)
		return r;
	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		diff |= want[i] ^ digest[i];
	return diff ? HASH_MISMATCH : HASH_OK;
}

enum hashes_result hashes_verify(const struct hashes_table *t,
				 enum fw_blob blob, const void *data,
				 size_t len)
{
	u8 digest[SHA256_DIGEST_SIZE];

	sha256(data, len, digest);
	return hashes_check(t, blob, digest);
}
