/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The EFI secret table a guest owner injects with LAUNCH_SECRET
 * (sev-protocol.md 7.3, Linux efi_secret): header GUID, LE32 total
 * length, then entries {GUID, LE32 len = 20 + data, data}. Walked like
 * Linux does: fewer than 20 trailing bytes end the table, an entry with
 * a zero GUID (a deleted secret) is skipped.
 */
#ifndef SEVM_FIRMWARE_SECRETS_H
#define SEVM_FIRMWARE_SECRETS_H

#include "firmware/fwtypes.h"

#define SECRET_HDR_SIZE		20	/* GUID + LE32 */
#define GUID_STR_LEN		36

struct secret_iter {
	const u8 *p;
	size_t left;
	const char *why;	/* reason after a -1 */
};

struct secret_entry {
	const u8 *guid;
	u32 len;		/* entry length, header included */
	const u8 *data;
	u32 data_len;
};

extern const u8 secret_table_guid[16];

/* 1: a table (it now iterates it), 0: no table, -1: bad header (it->why). */
int secrets_open(const u8 *area, size_t area_size, struct secret_iter *it);
/* 1: *e filled, 0: end, -1: malformed entry (it->why). */
int secrets_next(struct secret_iter *it, struct secret_entry *e);
/* "1e74f542-71dd-4d66-963e-ef4287ff173b" from EFI byte order; out[37]. */
void guid_to_str(const u8 guid[16], char out[GUID_STR_LEN + 1]);

#endif /* SEVM_FIRMWARE_SECRETS_H */
