// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev/hashes.c: GUIDs (sev-protocol.md 8.2 table), QEMU's padded hashes
 * table checked through sevctl's kernel-hashes measurement vector, the
 * OVMF-style parser, and the efi_secret table (9.3).
 */
#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "sev/crypto.h"
#include "sev/hashes.h"
#include "tests/unit/vectors.h"

static const struct {
	const u8 *guid;
	const char *text, *stored;
} guids[] = {
	{ sev_guid_hashes_table, "9438d606-4f22-4cc9-b479-a793d411fd21",
	  "06d63894224fc94cb479a793d411fd21" },
	{ sev_guid_hash_cmdline, "97d02dd8-bd20-4c94-aa78-e7714d36ab2a",
	  "d82dd09720bd944caa78e7714d36ab2a" },
	{ sev_guid_hash_initrd, "44baf731-3a2f-4bd7-9af1-41e29169781d",
	  "31f7ba442f3ad74b9af141e29169781d" },
	{ sev_guid_hash_kernel, "4de79437-abd2-427f-b835-d5b172d2045b",
	  "3794e74dd2ab7f42b835d5b172d2045b" },
	{ sev_guid_fw_hashes_area, "7255371f-3a3b-4b04-927b-1da6efa8d454",
	  "1f3755723b3a044b927b1da6efa8d454" },
	{ sev_guid_fw_secret_area, "4c2eb361-7d9b-4cc3-8081-127c90d3d294",
	  "61b32e4c9b7dc34c8081127c90d3d294" },
	{ sev_guid_fw_es_reset, "00f771de-1a7e-4fcb-890e-68c77e2fb44e",
	  "de71f7007e1acb4f890e68c77e2fb44e" },
	{ sev_guid_fw_footer, "96b582de-1fb2-45f7-baea-a366c55a082d",
	  "de82b596b21ff745baeaa366c55a082d" },
	{ sev_guid_secret_table, "1e74f542-71dd-4d66-963e-ef4287ff173b",
	  "42f5741edd71664d963eef4287ff173b" },
};

static void test_guids(void **state)
{
	u8 bytes[16], parsed[16];
	char text[37];

	for (size_t i = 0; i < ARRAY_SIZE(guids); i++) {
		unhex(guids[i].stored, bytes, 16);
		assert_memory_equal(guids[i].guid, bytes, 16);
		assert_int_equal(guid_parse(guids[i].text, parsed), 0);
		assert_memory_equal(parsed, bytes, 16);
		guid_format(bytes, text);
		assert_string_equal(text, guids[i].text);
	}
	assert_int_equal(guid_parse("9438D606-4F22-4CC9-B479-A793D411FD21",
				    parsed), 0);
	assert_memory_equal(parsed, sev_guid_hashes_table, 16);
}

static void test_guid_malformed(void **state)
{
	static const char *const bad[] = {
		"", "9438d606-4f22-4cc9-b479-a793d411fd2",
		"9438d606-4f22-4cc9-b479-a793d411fd211",
		"9438d6064-f22-4cc9-b479-a793d411fd21",
		"9438d606_4f22-4cc9-b479-a793d411fd21",
		"9438d606-4f22-4cc9-b479-a793d411fdg1",
		"9438d606-4f22-4cc9-b479+a793d411fd21",
		"{438d606-4f22-4cc9-b479-a793d411fd21",
	};
	u8 out[16], keep[16];

	memset(out, 0x77, 16);
	memcpy(keep, out, 16);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(guid_parse(bad[i], out), -EINVAL);
		assert_memory_equal(out, keep, 16);
	}
	assert_int_equal(guid_parse(NULL, out), -EINVAL);
}

static void test_hashes_defaults_and_layout(void **state)
{
	static const char kernel[] = "fake vmlinuz\n";
	struct sev_hashes h;
	u8 t[SEV_HASHES_PADDED_LEN], zero[8] = { 0 }, want[32];

	assert_int_equal(sev_hashes_compute(kernel, sizeof(kernel) - 1, NULL,
					    0, NULL, &h), 0);
	/* No -append: SHA-256("\0"); no initrd: SHA-256(""). */
	unhex("6e340b9cffb37a989ca544e6bb780a2c"
	      "78901d3fb33738768511a30617afa01d",
	      want, 32);
	assert_memory_equal(h.cmdline, want, 32);
	unhex("e3b0c44298fc1c149afbf4c8996fb924"
	      "27ae41e4649b934ca495991b7852b855",
	      want, 32);
	assert_memory_equal(h.initrd, want, 32);
	unhex("af609b31eca2942fc46ed7209c770477"
	      "1cfc2c91750ff4cb899be39b371b4e48",
	      want, 32);
	assert_memory_equal(h.kernel, want, 32);
	sev_hashes_table(&h, t);
	assert_memory_equal(t, sev_guid_hashes_table, 16);
	assert_int_equal(t[16], 168);
	assert_int_equal(t[17], 0);
	assert_memory_equal(t + 18, sev_guid_hash_cmdline, 16);
	assert_int_equal(t[18 + 16], 50);
	assert_memory_equal(t + 18 + 18, h.cmdline, 32);
	assert_memory_equal(t + 68, sev_guid_hash_initrd, 16);
	assert_memory_equal(t + 118, sev_guid_hash_kernel, 16);
	assert_memory_equal(t + 118 + 18, h.kernel, 32);
	assert_memory_equal(t + 168, zero, 8);
	assert_int_equal(sev_hashes_compute(NULL, 5, NULL, 0, NULL, &h),
			 -EINVAL);
	assert_int_equal(sev_hashes_compute(kernel, 1, NULL, 5, NULL, &h),
			 -EINVAL);
}

/* sevctl measurementbuild: OVMF (trimmed) + kernel/initrd/cmdline. */
#define OVMF_TRIMMED	"sevctl/OVMF.amdsev.fd_trimmed_" \
			"edk2-ovmf-20220126gitbb1bba3d77-4.el9"
#define KHASH_MEASURE	"h3auYbWQnVW7EGLWN4Hf9SN0oEYMPU2sK4bLnefWPws="

static void test_hashes_sevctl_vector(void **state)
{
	static const char *const files[] = {
		OVMF_TRIMMED, "sevctl/measurement-vmlinuz-fake",
		"sevctl/measurement-initrd-fake",
		"sevctl/measurement-tik1.bin",
	};
	u8 *f[4], t[SEV_HASHES_PADDED_LEN], ld[32], mnonce[16], m[32], *want;
	size_t len[4], wlen;
	struct sev_hashes h;
	EVP_MD_CTX *md = EVP_MD_CTX_new();

	if (!vectors_dir())
		skip();
	for (int i = 0; i < 4; i++)
		assert_int_equal(vector_read(files[i], &f[i], &len[i]), 0);
	assert_int_equal(sev_hashes_compute(f[1], len[1], f[2], len[2],
			 "foo bar baz fake kernel=cmdline", &h), 0);
	sev_hashes_table(&h, t);
	assert_int_equal(EVP_DigestInit_ex(md, EVP_sha256(), NULL), 1);
	assert_int_equal(EVP_DigestUpdate(md, f[0], len[0]), 1);
	assert_int_equal(EVP_DigestUpdate(md, t, sizeof(t)), 1);
	assert_int_equal(EVP_DigestFinal_ex(md, ld, NULL), 1);
	unhex("c313fab511c216b1505b1b2ea9903c40", mnonce, 16);
	assert_int_equal(len[3], 16);
	assert_int_equal(sev_measure(f[3], 1, 40, 40, 3, ld, mnonce, m), 0);
	assert_int_equal(base64_decode(KHASH_MEASURE, &want, &wlen), 0);
	assert_int_equal(wlen, 32);
	assert_memory_equal(m, want, 32);
	free(want);
	for (int i = 0; i < 4; i++)
		free(f[i]);
	EVP_MD_CTX_free(md);
}

static void test_hashes_parse(void **state)
{
	struct sev_hashes h, p;
	unsigned int mask = 0;
	u8 t[SEV_HASHES_PADDED_LEN], u[SEV_HASHES_PADDED_LEN];

	assert_int_equal(sev_hashes_compute("k", 1, "i", 1, "c", &h), 0);
	sev_hashes_table(&h, t);
	assert_int_equal(sev_hashes_parse(t, sizeof(t), &p, &mask), 0);
	assert_int_equal(mask, SEV_HASH_CMDLINE | SEV_HASH_INITRD |
			 SEV_HASH_KERNEL);
	assert_memory_equal(&p, &h, sizeof(h));
	assert_int_equal(sev_hashes_parse(t, 168, &p, &mask), 0);
	/* An unknown GUID is skipped: the kernel entry renamed. */
	memcpy(u, t, sizeof(t));
	u[118] ^= 0xff;
	assert_int_equal(sev_hashes_parse(u, sizeof(u), &p, &mask), 0);
	assert_int_equal(mask, SEV_HASH_CMDLINE | SEV_HASH_INITRD);
	/* Duplicate: the first entry wins (OVMF's lookup). */
	memcpy(u + 118, sev_guid_hash_cmdline, 16);
	assert_int_equal(sev_hashes_parse(u, sizeof(u), &p, &mask), 0);
	assert_memory_equal(p.cmdline, h.cmdline, 32);
	/* Header only: valid and empty. */
	memcpy(u, t, sizeof(t));
	u[16] = 18;
	assert_int_equal(sev_hashes_parse(u, sizeof(u), &p, &mask), 0);
	assert_int_equal(mask, 0);
}

static void parse_bad(const u8 *good, size_t off, u8 val, size_t len)
{
	u8 u[SEV_HASHES_PADDED_LEN];
	struct sev_hashes p;

	memcpy(u, good, sizeof(u));
	if (off < sizeof(u))
		u[off] = val;
	memset(&p, 0x33, sizeof(p));
	assert_int_equal(sev_hashes_parse(u, len, &p, NULL), -EINVAL);
	for (size_t i = 0; i < sizeof(p); i++)
		assert_int_equal(((u8 *)&p)[i], 0x33);
}

static void test_hashes_parse_malformed(void **state)
{
	struct sev_hashes h;
	u8 t[SEV_HASHES_PADDED_LEN];

	assert_int_equal(sev_hashes_compute("k", 1, NULL, 0, NULL, &h), 0);
	sev_hashes_table(&h, t);
	parse_bad(t, 0, 0x07, sizeof(t));		/* header GUID */
	parse_bad(t, 16, 17, sizeof(t));		/* len < 18 */
	parse_bad(t, 16, 177, sizeof(t));		/* len > buffer */
	parse_bad(t, SIZE_MAX, 0, 167);			/* buffer < len */
	parse_bad(t, SIZE_MAX, 0, 17);			/* no header */
	parse_bad(t, 18 + 16, 17, sizeof(t));		/* entry len < 18 */
	parse_bad(t, 118 + 16, 51, sizeof(t));		/* entry past len */
	parse_bad(t, 18 + 16, 49, sizeof(t));		/* hash of 31 bytes */
	parse_bad(t, 16, 158, sizeof(t));		/* kernel past len */
	parse_bad(t, 16, 128, sizeof(t));		/* entry header cut */
	assert_int_equal(sev_hashes_parse(NULL, 0, &h, NULL), -EINVAL);
}

static void test_secret_table_vectors(void **state)
{
	static const char one[] =
		"42f5741edd71664d963eef4287ff173b3a000000e5696873"
		"f084734992ec06879ce3da0b260000004d592d4c554b532d"
		"50415353504852415345000000000000";
	static const char two[] =
		"42f5741edd71664d963eef4287ff173b5f000000e5696873"
		"f084734992ec06879ce3da0b260000004d592d4c554b532d"
		"50415353504852415345e5696873aaaa734992ec06879ce3"
		"da0b25000000534f4d45204f544845522053454352455400";
	struct sev_secret_entry e[2], back[4];
	u8 *buf, want[96];
	size_t len;
	unsigned int n;

	assert_int_equal(guid_parse("736869e5-84f0-4973-92ec-06879ce3da0b",
				    e[0].guid), 0);
	e[0].data = (const u8 *)"MY-LUKS-PASSPHRASE";
	e[0].len = 18;
	assert_int_equal(guid_parse("736869e5-aaaa-4973-92ec-06879ce3da0b",
				    e[1].guid), 0);
	e[1].data = (const u8 *)"SOME OTHER SECRET";
	e[1].len = 17;
	assert_int_equal(sev_secret_table_build(e, 1, &buf, &len), 0);
	assert_int_equal(len, 64);
	unhex(one, want, 64);
	assert_memory_equal(buf, want, 64);
	free(buf);
	assert_int_equal(sev_secret_table_build(e, 2, &buf, &len), 0);
	assert_int_equal(len, 96);
	unhex(two, want, 96);
	assert_memory_equal(buf, want, 96);
	assert_int_equal(sev_secret_table_parse(buf, len, back, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_memory_equal(back[1].guid, e[1].guid, 16);
	assert_int_equal(back[1].len, 17);
	assert_memory_equal(back[1].data, "SOME OTHER SECRET", 17);
	assert_ptr_equal(back[0].data, buf + 40);
	assert_int_equal(sev_secret_table_parse(buf, len, back, 1, &n),
			 -ENOSPC);
	free(buf);
}

static void table_bad(const u8 *good, size_t len, size_t off, u32 val)
{
	struct sev_secret_entry e[4];
	unsigned int n = 99;
	u8 u[64] = { 0 };
	u32 le = htole32(val);

	assert_true(len <= 48 && off + 4 <= 48);
	memcpy(u, good, 48);	/* the one-entry table below */
	memcpy(u + off, &le, 4);
	assert_int_equal(sev_secret_table_parse(u, len, e, 4, &n), -EINVAL);
	assert_int_equal(n, 99);
}

static void test_secret_table_malformed(void **state)
{
	struct sev_secret_entry e = { .data = (const u8 *)"x", .len = 1 }, p;
	unsigned int n;
	u8 *buf;
	size_t len;

	assert_int_equal(sev_secret_table_build(&e, 1, &buf, &len), 0);
	assert_int_equal(len, 48);	/* 41 bytes, padded */
	table_bad(buf, len, 0, 0);		/* header GUID */
	table_bad(buf, len, 16, 19);		/* total < 20 */
	table_bad(buf, len, 16, 49);		/* total > buffer */
	table_bad(buf, len, 36, 19);		/* entry len < 20 */
	table_bad(buf, len, 36, 22);		/* entry past total */
	table_bad(buf, len, 16, 30);		/* entry header cut */
	table_bad(buf, 19, 16, 41);		/* buffer < header */
	assert_int_equal(sev_secret_table_parse(buf, len, &p, 1, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(p.len, 1);
	free(buf);
	/* No entries: a bare header, padded. */
	assert_int_equal(sev_secret_table_build(NULL, 0, &buf, &len), 0);
	assert_int_equal(len, 32);
	assert_int_equal(sev_secret_table_parse(buf, len, &p, 1, &n), 0);
	assert_int_equal(n, 0);
	free(buf);
	e.data = NULL;
	assert_int_equal(sev_secret_table_build(&e, 1, &buf, &len), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guids),
		cmocka_unit_test(test_guid_malformed),
		cmocka_unit_test(test_hashes_defaults_and_layout),
		cmocka_unit_test(test_hashes_sevctl_vector),
		cmocka_unit_test(test_hashes_parse),
		cmocka_unit_test(test_hashes_parse_malformed),
		cmocka_unit_test(test_secret_table_vectors),
		cmocka_unit_test(test_secret_table_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
