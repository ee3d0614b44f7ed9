// SPDX-License-Identifier: GPL-2.0-only
/*
 * QEMU/OVMF formats for measured direct boot and secrets (sev-protocol.md
 * 7.3, 8.1, 8.2): GUIDs in EFI byte order, QEMU's padded SEV hashes
 * table, OVMF's parser of it, and the efi_secret table.
 */
#include <ctype.h>
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "sev/guids.h"
#include "sev/hashes.h"
#include "lib/log.h"

#define GUID_HDR	18	/* GUID + LE16 length (hashes table) */
#define HASH_ENTRY_LEN	(GUID_HDR + 32)
#define SECRET_HDR	20	/* GUID + LE32 length (secret table) */

const u8 sev_guid_hashes_table[16] = { SEV_GUID_HASHES_TABLE };
const u8 sev_guid_hash_cmdline[16] = { SEV_GUID_HASH_CMDLINE };
const u8 sev_guid_hash_initrd[16] = { SEV_GUID_HASH_INITRD };
const u8 sev_guid_hash_kernel[16] = { SEV_GUID_HASH_KERNEL };
const u8 sev_guid_fw_hashes_area[16] = { SEV_GUID_HASHES_AREA };
const u8 sev_guid_fw_secret_area[16] = { SEV_GUID_SECRET_AREA };
const u8 sev_guid_fw_es_reset[16] = { SEV_GUID_ES_RESET };
const u8 sev_guid_fw_footer[16] = { OVMF_GUID_FOOTER_TABLE };
const u8 sev_guid_secret_table[16] = { SEV_GUID_SECRET_TABLE };

/* Text order of the 16 stored bytes: the first three fields are LE. */
static const u8 guid_text_order[16] = {
	3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15,
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int guid_parse(const char *s, u8 out[16])
{
	u8 tmp[16];
	int n = 0;

	if (!s || strlen(s) != 36)
		return -EINVAL;
	for (int i = 0; i < 36;) {
		int hi, lo;

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i++] != '-')
				return -EINVAL;
			continue;
		}
		hi = hexval(s[i]);
		lo = hexval(s[i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		tmp[guid_text_order[n++]] = (u8)(hi << 4 | lo);
		i += 2;
	}
	memcpy(out, tmp, 16);
	return 0;
}

void guid_format(const u8 guid[16], char out[37])
{
	static const char digits[] = "0123456789abcdef";
	char *p = out;

	for (int n = 0; n < 16; n++) {
		u8 b = guid[guid_text_order[n]];

		if (n == 4 || n == 6 || n == 8 || n == 10)
			*p++ = '-';
		*p++ = digits[b >> 4];
		*p++ = digits[b & 15];
	}
	*p = '\0';
}

static int sha256(const void *buf, size_t len, u8 out[32])
{
	static const u8 empty;

	if (EVP_Digest(len ? buf : &empty, len, out, NULL, EVP_sha256(),
		       NULL) != 1)
		return -EIO;
	return 0;
}

int sev_hashes_compute(const void *kernel, size_t kernel_len,
		       const void *initrd, size_t initrd_len,
		       const char *cmdline, struct sev_hashes *out)
{
	struct sev_hashes h;
	int r;

	if ((!kernel && kernel_len) || (!initrd && initrd_len))
		return -EINVAL;
	if (!cmdline)
		cmdline = "";
	r = sha256(cmdline, strlen(cmdline) + 1, h.cmdline);
	if (!r)
		r = sha256(initrd, initrd ? initrd_len : 0, h.initrd);
	if (!r)
		r = sha256(kernel, kernel_len, h.kernel);
	if (!r)
		*out = h;
	return r;
}

static u8 *put_entry(u8 *p, const u8 guid[16], const u8 hash[32])
{
	u16 len = htole16(HASH_ENTRY_LEN);

	memcpy(p, guid, 16);
	memcpy(p + 16, &len, 2);
	memcpy(p + GUID_HDR, hash, 32);
	return p + HASH_ENTRY_LEN;
}

void sev_hashes_table(const struct sev_hashes *h,
		      u8 out[SEV_HASHES_PADDED_LEN])
{
	u16 len = htole16(SEV_HASHES_TABLE_LEN);
	u8 *p = out;

	memset(out, 0, SEV_HASHES_PADDED_LEN);
	memcpy(p, sev_guid_hashes_table, 16);
	memcpy(p + 16, &len, 2);
	p += GUID_HDR;
	p = put_entry(p, sev_guid_hash_cmdline, h->cmdline);
	p = put_entry(p, sev_guid_hash_initrd, h->initrd);
	put_entry(p, sev_guid_hash_kernel, h->kernel);
}

static u16 get_le16(const u8 *p)
{
	u16 v;

	memcpy(&v, p, 2);
	return le16toh(v);
}

static u32 get_le32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, 4);
	return le32toh(v);
}

/* Which hash a GUID names: index into struct sev_hashes, or -1. */
static int hash_index(const u8 guid[16])
{
	if (!memcmp(guid, sev_guid_hash_cmdline, 16))
		return 0;
	if (!memcmp(guid, sev_guid_hash_initrd, 16))
		return 1;
	if (!memcmp(guid, sev_guid_hash_kernel, 16))
		return 2;
	return -1;
}

int sev_hashes_parse(const u8 *buf, size_t len, struct sev_hashes *out,
		     unsigned int *found_mask)
{
	struct sev_hashes h = { { 0 } };
	u8 (*slot[3])[32] = { &h.cmdline, &h.initrd, &h.kernel };
	unsigned int mask = 0;
	size_t tlen, off;

	if (!buf || len < GUID_HDR || memcmp(buf, sev_guid_hashes_table, 16))
		return -EINVAL;
	tlen = get_le16(buf + 16);
	if (tlen < GUID_HDR || tlen > len)
		return -EINVAL;
	for (off = GUID_HDR; off < tlen;) {
		size_t elen;
		int i;

		if (tlen - off < GUID_HDR)
			return -EINVAL;
		elen = get_le16(buf + off + 16);
		if (elen < GUID_HDR || elen > tlen - off)
			return -EINVAL;
		i = hash_index(buf + off);
		if (i >= 0 && !(mask & (1u << i))) {	/* first one wins */
			if (elen != HASH_ENTRY_LEN)
				return -EINVAL;
			memcpy(slot[i], buf + off + GUID_HDR, 32);
			mask |= 1u << i;
		}
		off += elen;
	}
	*out = h;
	if (found_mask)
		*found_mask = mask;
	return 0;
}

static int secret_table_len(const struct sev_secret_entry *e, unsigned int n,
			    size_t *total)
{
	size_t t = SECRET_HDR;

	for (unsigned int i = 0; i < n; i++) {
		if ((!e[i].data && e[i].len) ||
		    e[i].len > UINT32_MAX - SECRET_HDR - t)
			return -EINVAL;
		t += SECRET_HDR + e[i].len;
	}
	if (t > UINT32_MAX - 16)
		return -EINVAL;
	*total = t;
	return 0;
}

int sev_secret_table_build(const struct sev_secret_entry *e, unsigned int n,
			   u8 **out, size_t *out_len)
{
	size_t total, padded;
	u32 le;
	u8 *buf, *p;

	if ((!e && n) || secret_table_len(e, n, &total))
		return -EINVAL;
	padded = ALIGN_UP(total, (size_t)16);
	buf = calloc(1, padded);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, sev_guid_secret_table, 16);
	le = htole32((u32)total);
	memcpy(buf + 16, &le, 4);
	p = buf + SECRET_HDR;
	for (unsigned int i = 0; i < n; i++) {
		memcpy(p, e[i].guid, 16);
		le = htole32(SECRET_HDR + e[i].len);
		memcpy(p + 16, &le, 4);
		if (e[i].len)
			memcpy(p + SECRET_HDR, e[i].data, e[i].len);
		p += SECRET_HDR + e[i].len;
	}
	*out = buf;
	*out_len = padded;
	return 0;
}

int sev_secret_table_parse(const u8 *buf, size_t len,
			   struct sev_secret_entry *e, unsigned int max,
			   unsigned int *n)
{
	unsigned int count = 0;
	size_t total, off;

	if (!buf || len < SECRET_HDR || memcmp(buf, sev_guid_secret_table, 16))
		return -EINVAL;
	total = get_le32(buf + 16);
	if (total < SECRET_HDR || total > len)
		return -EINVAL;
	for (off = SECRET_HDR; off < total; count++) {
		size_t elen;

		if (total - off < SECRET_HDR)
			return -EINVAL;
		elen = get_le32(buf + off + 16);
		if (elen < SECRET_HDR || elen > total - off)
			return -EINVAL;
		if (count >= max)
			return -ENOSPC;
		memcpy(e[count].guid, buf + off, 16);
		e[count].len = (u32)(elen - SECRET_HDR);
		e[count].data = buf + off + SECRET_HDR;
		off += elen;
	}
	*n = count;
	return 0;
}
