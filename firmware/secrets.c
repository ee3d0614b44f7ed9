// SPDX-License-Identifier: GPL-2.0-only
/* EFI secret table walk (see secrets.h). Never looks at secret data. */
#include "firmware/secrets.h"
#include "sev/guids.h"

const u8 secret_table_guid[16] = { SEV_GUID_SECRET_TABLE };

int secrets_open(const u8 *area, size_t area_size, struct secret_iter *it)
{
	u32 total;

	it->p = NULL;
	it->left = 0;
	it->why = NULL;
	if (!area || area_size < SECRET_HDR_SIZE ||
	    fw_memcmp(area, secret_table_guid, 16))
		return 0;
	total = fw_le32(area + 16);
	if (total < SECRET_HDR_SIZE) {
		it->why = "table length below its 20-byte header";
		return -1;
	}
	if (total > area_size) {
		it->why = "table length exceeds the secret area";
		return -1;
	}
	it->p = area + SECRET_HDR_SIZE;
	it->left = total - SECRET_HDR_SIZE;
	return 1;
}

static int is_zero_guid(const u8 *g)
{
	int i;

	for (i = 0; i < 16; i++)
		if (g[i])
			return 0;
	return 1;
}

int secrets_next(struct secret_iter *it, struct secret_entry *e)
{
	u32 len;

	while (it->left >= SECRET_HDR_SIZE) {
		len = fw_le32(it->p + 16);
		if (len < SECRET_HDR_SIZE || len > it->left) {
			it->why = len < SECRET_HDR_SIZE ?
				  "entry length below its 20-byte header" :
				  "entry runs past the table end";
			it->left = 0;
			return -1;
		}
		e->guid = it->p;
		e->len = len;
		e->data = it->p + SECRET_HDR_SIZE;
		e->data_len = len - SECRET_HDR_SIZE;
		it->p += len;
		it->left -= len;
		if (!is_zero_guid(e->guid))
			return 1;
	}
	it->left = 0;
	return 0;
}

static char *put_hex(char *out, const u8 *b, int n, int reverse)
{
	static const char hex[] = "0123456789abcdef";
	int i;
	u8 v;

	for (i = 0; i < n; i++) {
		v = b[reverse ? n - 1 - i : i];
		*out++ = hex[v >> 4];
		*out++ = hex[v & 15];
	}
	return out;
}

void guid_to_str(const u8 guid[16], char out[GUID_STR_LEN + 1])
{
	char *o = out;

	o = put_hex(o, guid, 4, 1);
	*o++ = '-';
	o = put_hex(o, guid + 4, 2, 1);
	*o++ = '-';
	o = put_hex(o, guid + 6, 2, 1);
	*o++ = '-';
	o = put_hex(o, guid + 8, 2, 0);
	*o++ = '-';
	o = put_hex(o, guid + 10, 6, 0);
	*o = '\0';
}
