// SPDX-License-Identifier: GPL-2.0-only
/*
 * firmware/secrets.c: the EFI secret table as sevctl builds it
 * (sev-protocol.md 7.3), walked entry by entry; no table; malformed
 * header and entry lengths; trailing bytes; deleted (zero-GUID) entries;
 * GUID formatting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "firmware/secrets.h"

#define AREA	4096

static const u8 hdr_guid[16] = {	/* 1e74f542-71dd-4d66-963e-... */
	0x42, 0xf5, 0x74, 0x1e, 0xdd, 0x71, 0x66, 0x4d,
	0x96, 0x3e, 0xef, 0x42, 0x87, 0xff, 0x17, 0x3b };
/* 736869e5-84f0-4973-92ec-06879ce3da0b (the disk-passphrase GUID) */
static const u8 guid_a[16] = {
	0xe5, 0x69, 0x68, 0x73, 0xf0, 0x84, 0x73, 0x49,
	0x92, 0xec, 0x06, 0x87, 0x9c, 0xe3, 0xda, 0x0b };
static const u8 guid_b[16] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

static void le32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

static size_t add(u8 *t, size_t off, const u8 *guid, const char *data)
{
	size_t n = strlen(data);

	memcpy(t + off, guid, 16);
	le32(t + off + 16, (u32)(20 + n));
	memcpy(t + off + 20, data, n);
	return off + 20 + n;
}

/* Header + "secret-one" under guid_a + "xy" under guid_b. */
static size_t make(u8 *t)
{
	size_t end;

	memset(t, 0, AREA);
	memcpy(t, hdr_guid, 16);
	end = add(t, 20, guid_a, "secret-one");
	end = add(t, end, guid_b, "xy");
	le32(t + 16, (u32)end);
	return end;
}

static void test_walk(void **state)
{
	u8 t[AREA];
	struct secret_iter it;
	struct secret_entry e;
	size_t total = make(t);

	(void)state;
	assert_int_equal(total, 20 + 30 + 22);
	assert_int_equal(secrets_open(t, AREA, &it), 1);
	assert_int_equal(secrets_next(&it, &e), 1);
	assert_ptr_equal(e.guid, t + 20);
	assert_int_equal(e.len, 30);
	assert_int_equal(e.data_len, 10);
	assert_memory_equal(e.data, "secret-one", 10);
	assert_int_equal(secrets_next(&it, &e), 1);
	assert_memory_equal(e.guid, guid_b, 16);
	assert_int_equal(e.data_len, 2);
	assert_int_equal(secrets_next(&it, &e), 0);
	assert_int_equal(secrets_next(&it, &e), 0);
	/* The area may be exactly the table. */
	assert_int_equal(secrets_open(t, total, &it), 1);
}

static void test_no_table(void **state)
{
	u8 t[AREA];
	struct secret_iter it;
	struct secret_entry e;

	(void)state;
	memset(t, 0, sizeof(t));
	assert_int_equal(secrets_open(t, AREA, &it), 0);
	assert_int_equal(secrets_next(&it, &e), 0);
	make(t);
	t[15] ^= 1;
	assert_int_equal(secrets_open(t, AREA, &it), 0);
	make(t);
	assert_int_equal(secrets_open(t, 19, &it), 0);
	assert_int_equal(secrets_open(NULL, AREA, &it), 0);
}

static void test_bad_header_length(void **state)
{
	u8 t[AREA];
	struct secret_iter it;
	size_t total;

	(void)state;
	make(t);
	le32(t + 16, 19);
	assert_int_equal(secrets_open(t, AREA, &it), -1);
	assert_non_null(strstr(it.why, "header"));
	le32(t + 16, AREA + 1);
	assert_int_equal(secrets_open(t, AREA, &it), -1);
	assert_non_null(strstr(it.why, "secret area"));
	total = make(t);
	assert_int_equal(secrets_open(t, total - 1, &it), -1);
	/* Only the header: a table with no entries. */
	le32(t + 16, 20);
	assert_int_equal(secrets_open(t, AREA, &it), 1);
	assert_int_equal(secrets_next(&it, &(struct secret_entry){ 0 }), 0);
}

static void test_bad_entry_length(void **state)
{
	static const u32 bad[] = { 0, 19, 53, 0xffffffff };
	u8 t[AREA];
	struct secret_iter it;
	struct secret_entry e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		make(t);
		le32(t + 20 + 16, bad[i]);	/* first entry */
		assert_int_equal(secrets_open(t, AREA, &it), 1);
		assert_int_equal(secrets_next(&it, &e), -1);
		assert_non_null(it.why);
		/* an error ends the walk */
		assert_int_equal(secrets_next(&it, &e), 0);
	}
	make(t);
	le32(t + 50 + 16, 23);			/* second entry, 1 too long */
	assert_int_equal(secrets_open(t, AREA, &it), 1);
	assert_int_equal(secrets_next(&it, &e), 1);
	assert_int_equal(secrets_next(&it, &e), -1);
	assert_non_null(strstr(it.why, "past the table end"));
}

static void test_trailing_and_deleted(void **state)
{
	u8 t[AREA];
	struct secret_iter it;
	struct secret_entry e;
	size_t total = make(t);

	(void)state;
	le32(t + 16, (u32)(total + 19));	/* 19 stray bytes: ignored */
	assert_int_equal(secrets_open(t, AREA, &it), 1);
	assert_int_equal(secrets_next(&it, &e), 1);
	assert_int_equal(secrets_next(&it, &e), 1);
	assert_int_equal(secrets_next(&it, &e), 0);
	make(t);
	memset(t + 20, 0, 16);			/* first entry deleted */
	assert_int_equal(secrets_open(t, AREA, &it), 1);
	assert_int_equal(secrets_next(&it, &e), 1);
	assert_memory_equal(e.guid, guid_b, 16);
	assert_int_equal(secrets_next(&it, &e), 0);
}

static void test_guid_to_str(void **state)
{
	char s[GUID_STR_LEN + 1];

	(void)state;
	guid_to_str(hdr_guid, s);
	assert_string_equal(s, "1e74f542-71dd-4d66-963e-ef4287ff173b");
	guid_to_str(guid_a, s);
	assert_string_equal(s, "736869e5-84f0-4973-92ec-06879ce3da0b");
	assert_memory_equal(secret_table_guid, hdr_guid, 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_no_table),
		cmocka_unit_test(test_bad_header_length),
		cmocka_unit_test(test_bad_entry_length),
		cmocka_unit_test(test_trailing_and_deleted),
		cmocka_unit_test(test_guid_to_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
