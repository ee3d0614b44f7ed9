// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV hashes table (sev-protocol.md 8.2). Differences from edk2: an entry
 * whose length is below 18 ends the walk (edk2 would loop on length 0),
 * and a blob without an entry is refused, like current edk2.
 */
#include "firmware/hashes.h"
#include "firmware/sha256.h"

/* GUIDs in EFI byte order (uuid.bytes_le). */
const u8 hashes_guid_table[16] = {	/* 9438d606-4f22-4cc9-b479-... */
	0x06, 0xd6, 0x38, 0x94, 0x22, 0x4f, 0xc9, 0x4c,
	0xb4, 0x79, 0xa7, 0x93, 0xd4, 0x11, 0xfd, 0x21,
};

const u8 hashes_guid_blob[NR_BLOBS][16] = {
	[BLOB_KERNEL] = {	/* 4de79437-abd2-427f-b835-d5b172d2045b */
		0x37, 0x94, 0xe7, 0x4d, 0xd2, 0xab, 0x7f, 0x42,
		0xb8, 0x35, 0xd5, 0xb1, 0x72, 0xd2, 0x04, 0x5b,
	},
	[BLOB_INITRD] = {	/* 44baf731-3a2f-4bd7-9af1-41e29169781d */
		0x31, 0xf7, 0xba, 0x44, 0x2f, 0x3a, 0xd7, 0x4b,
		0x9a, 0xf1, 0x41, 0xe2, 0x91, 0x69, 0x78, 0x1d,
	},
	[BLOB_CMDLINE] = {	/* 97d02dd8-bd20-4c94-aa78-e7714d36ab2a */
		0xd8, 0x2d, 0xd0, 0x97, 0x20, 0xbd, 0x94, 0x4c,
		0xaa, 0x78, 0xe7, 0x71, 0x4d, 0x36, 0xab, 0x2a,
	},
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
