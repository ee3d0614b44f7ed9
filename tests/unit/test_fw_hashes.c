// SPDX-License-Identifier: GPL-2.0-only
/*
 * firmware/hashes.c: QEMU's padded SEV hashes table built here byte by
 * byte (sev-protocol.md 8.2) with OpenSSL digests, then every header
 * and entry field tampered with, short areas, and the verify results.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/sha.h>

#include "firmware/hashes.h"

#define PADDED_SIZE	176

static const char kernel[] = "MZ fake bzImage";
static const char initrd[] = "initrd contents";
static const char cmdline[] = "console=ttyS0";	/* hashed with its NUL */

/* EFI byte order of the GUIDs, as sev-protocol.md 8.2 lists them. */
static const u8 g_table[16] = {
	0x06, 0xd6, 0x38, 0x94, 0x22, 0x4f, 0xc9, 0x4c,
	0xb4, 0x79, 0xa7, 0x93, 0xd4, 0x11, 0xfd, 0x21 };
static const u8 g_cmdline[16] = {
	0xd8, 0x2d, 0xd0, 0x97, 0x20, 0xbd, 0x94, 0x4c,
	0xaa, 0x78, 0xe7, 0x71, 0x4d, 0x36, 0xab, 0x2a };
static const u8 g_initrd[16] = {
	0x31, 0xf7, 0xba, 0x44, 0x2f, 0x3a, 0xd7, 0x4b,
	0x9a, 0xf1, 0x41, 0xe2, 0x91, 0x69, 0x78, 0x1d };
static const u8 g_kernel[16] = {
	0x37, 0x94, 0xe7, 0x4d, 0xd2, 0xab, 0x7f, 0x42,
	0xb8, 0x35, 0xd5, 0xb1, 0x72, 0xd2, 0x04, 0x5b };

/* Offsets of the entries in QEMU's order: cmdline, initrd, kernel. */
#define OFF_CMDLINE	18
#define OFF_INITRD	(18 + 50)
#define OFF_KERNEL	(18 + 100)

static void put_entry(u8 *p, const u8 *guid, const void *data, size_t len)
{
	memcpy(p, guid, 16);
	p[16] = 50;
	p[17] = 0;
	SHA256(data, len, p + 18);
}

static void build(u8 *t, int with_initrd)
{
	memset(t, 0, PADDED_SIZE);
	memcpy(t, g_table, 16);
	t[16] = HASHES_TABLE_SIZE;
	put_entry(t + OFF_CMDLINE, g_cmdline, cmdline, sizeof(cmdline));
	if (with_initrd)
		put_entry(t + OFF_INITRD, g_initrd, initrd, strlen(initrd));
	else
		put_entry(t + OFF_INITRD, g_initrd, "", 0);
	put_entry(t + OFF_KERNEL, g_kernel, kernel, strlen(kernel));
}

static enum hashes_result verify(const u8 *t, size_t size, enum fw_blob b)
{
	struct hashes_table ht;

	assert_int_equal(hashes_parse(t, size, &ht), 0);
	switch (b) {
	case BLOB_KERNEL:
		return hashes_verify(&ht, b, kernel, strlen(kernel));
	case BLOB_INITRD:
		return hashes_verify(&ht, b, initrd, strlen(initrd));
	default:
		return hashes_verify(&ht, b, cmdline, sizeof(cmdline));
	}
}

static void test_guids_match_reference(void **state)
{
	(void)state;
	assert_memory_equal(hashes_guid_table, g_table, 16);
	assert_memory_equal(hashes_guid_blob[BLOB_CMDLINE], g_cmdline, 16);
	assert_memory_equal(hashes_guid_blob[BLOB_INITRD], g_initrd, 16);
	assert_memory_equal(hashes_guid_blob[BLOB_KERNEL], g_kernel, 16);
	assert_string_equal(fw_blob_name(BLOB_KERNEL), "kernel");
	assert_string_equal(fw_blob_name(BLOB_INITRD), "initrd");
	assert_string_equal(fw_blob_name(BLOB_CMDLINE), "cmdline");
	assert_string_equal(fw_blob_name(NR_BLOBS), "?");
}

static void test_good_table(void **state)
{
	u8 t[1024] = { 0 };
	struct hashes_table ht;

	(void)state;
	build(t, 1);
	assert_int_equal(hashes_parse(t, PADDED_SIZE, &ht), 0);
	assert_ptr_equal(ht.entries, t + 18);
	assert_int_equal(ht.len, 150);
	/* The whole 1 KiB area (LAYOUT_SEV_HASHES_SIZE) works too. */
	assert_int_equal(verify(t, sizeof(t), BLOB_KERNEL), HASH_OK);
	assert_int_equal(verify(t, PADDED_SIZE, BLOB_INITRD), HASH_OK);
	assert_int_equal(verify(t, HASHES_TABLE_SIZE, BLOB_CMDLINE), HASH_OK);
}

static void test_absent_initrd_is_empty_hash(void **state)
{
	u8 t[PADDED_SIZE];
	struct hashes_table ht;

	(void)state;
	build(t, 0);
	assert_int_equal(hashes_parse(t, sizeof(t), &ht), 0);
	assert_int_equal(hashes_verify(&ht, BLOB_INITRD, "", 0), HASH_OK);
	assert_int_equal(hashes_verify(&ht, BLOB_INITRD, initrd,
				       strlen(initrd)), HASH_MISMATCH);
}

static void test_header_tampered(void **state)
{
	u8 t[PADDED_SIZE];
	struct hashes_table ht;
	int i;

	(void)state;
	for (i = 0; i < 16; i++) {	/* every byte of the table GUID */
		build(t, 1);
		t[i] ^= 0x01;
		assert_int_equal(hashes_parse(t, sizeof(t), &ht), -1);
	}
	build(t, 1);
	t[16] = 17;			/* len below the header */
	assert_int_equal(hashes_parse(t, sizeof(t), &ht), -1);
	t[16] = 0;
	assert_int_equal(hashes_parse(t, sizeof(t), &ht), -1);
	t[16] = 177;			/* len beyond the area */
	assert_int_equal(hashes_parse(t, PADDED_SIZE, &ht), -1);
	t[16] = 18;			/* an empty table: nothing verifies */
	assert_int_equal(hashes_parse(t, sizeof(t), &ht), 0);
	assert_int_equal(hashes_verify(&ht, BLOB_KERNEL, kernel,
				       strlen(kernel)), HASH_MISSING);
}

static void test_short_areas(void **state)
{
	u8 t[PADDED_SIZE];
	struct hashes_table ht;

	(void)state;
	build(t, 1);
	assert_int_equal(hashes_parse(t, 0, &ht), -1);
	assert_int_equal(hashes_parse(t, 17, &ht), -1);
	assert_int_equal(hashes_parse(t, HASHES_TABLE_SIZE - 1, &ht), -1);
	assert_int_equal(hashes_parse(NULL, PADDED_SIZE, &ht), -1);
	/* A table whose len stops inside the kernel entry misses it. */
	t[16] = HASHES_TABLE_SIZE - 1;
	assert_int_equal(hashes_parse(t, sizeof(t), &ht), 0);
	assert_int_equal(hashes_verify(&ht, BLOB_KERNEL, kernel,
				       strlen(kernel)), HASH_MISSING);
	assert_int_equal(hashes_verify(&ht, BLOB_INITRD, initrd,
				       strlen(initrd)), HASH_OK);
}

static void test_digest_tampered(void **state)
{
	static const int off[NR_BLOBS] = {
		[BLOB_KERNEL] = OFF_KERNEL, [BLOB_INITRD] = OFF_INITRD,
		[BLOB_CMDLINE] = OFF_CMDLINE,
	};
	u8 t[PADDED_SIZE];
	int b, j;

	(void)state;
	for (b = 0; b < NR_BLOBS; b++) {
		for (j = 0; j < 32; j += 31) {	/* first and last byte */
			build(t, 1);
			t[off[b] + 18 + j] ^= 0x80;
			assert_int_equal(verify(t, sizeof(t), b),
					 HASH_MISMATCH);
			/* the other blobs still verify */
			assert_int_equal(verify(t, sizeof(t), (b + 1) % 3),
					 HASH_OK);
		}
	}
}

static void test_entry_fields_tampered(void **state)
{
	u8 t[PADDED_SIZE];

	(void)state;
	build(t, 1);
	t[OFF_KERNEL] ^= 0xff;			/* kernel GUID unknown */
	assert_int_equal(verify(t, sizeof(t), BLOB_KERNEL), HASH_MISSING);

	build(t, 1);
	t[OFF_KERNEL + 16] = 51;		/* len runs past the table */
	assert_int_equal(verify(t, sizeof(t), BLOB_KERNEL), HASH_MISSING);

	build(t, 1);				/* 49: data not 32 bytes */
	t[16] = HASHES_TABLE_SIZE - 1;
	t[OFF_KERNEL + 16] = 49;
	assert_int_equal(verify(t, sizeof(t), BLOB_KERNEL), HASH_BAD_ENTRY);

	build(t, 1);				/* len 0 must not loop */
	t[OFF_CMDLINE + 16] = 0;
	assert_int_equal(verify(t, sizeof(t), BLOB_KERNEL), HASH_MISSING);
	assert_int_equal(verify(t, sizeof(t), BLOB_CMDLINE), HASH_MISSING);

	build(t, 1);				/* len 17 < header */
	t[OFF_INITRD + 16] = 17;
	assert_int_equal(verify(t, sizeof(t), BLOB_CMDLINE), HASH_OK);
	assert_int_equal(verify(t, sizeof(t), BLOB_INITRD), HASH_MISSING);

	build(t, 1);				/* high byte of len */
	t[OFF_CMDLINE + 17] = 1;
	assert_int_equal(verify(t, sizeof(t), BLOB_CMDLINE), HASH_MISSING);
}

static void test_find_and_check(void **state)
{
	u8 t[PADDED_SIZE], d[32];
	struct hashes_table ht;
	enum hashes_result r;
	const u8 *h;

	(void)state;
	build(t, 1);
	assert_int_equal(hashes_parse(t, sizeof(t), &ht), 0);
	h = hashes_find(&ht, BLOB_KERNEL, &r);
	assert_ptr_equal(h, t + OFF_KERNEL + 18);
	assert_int_equal(r, HASH_OK);
	assert_null(hashes_find(&ht, NR_BLOBS, &r));
	assert_int_equal(r, HASH_MISSING);
	memcpy(d, h, 32);
	assert_int_equal(hashes_check(&ht, BLOB_KERNEL, d), HASH_OK);
	d[5] ^= 1;
	assert_int_equal(hashes_check(&ht, BLOB_KERNEL, d), HASH_MISMATCH);
	/* Duplicate GUIDs: the first entry wins, as in edk2. */
	memcpy(t + OFF_INITRD, g_kernel, 16);
	assert_ptr_equal(hashes_find(&ht, BLOB_KERNEL, &r),
			 t + OFF_INITRD + 18);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guids_match_reference),
		cmocka_unit_test(test_good_table),
		cmocka_unit_test(test_absent_initrd_is_empty_hash),
		cmocka_unit_test(test_header_tampered),
		cmocka_unit_test(test_short_areas),
		cmocka_unit_test(test_digest_tampered),
		cmocka_unit_test(test_entry_fields_tampered),
		cmocka_unit_test(test_find_and_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
