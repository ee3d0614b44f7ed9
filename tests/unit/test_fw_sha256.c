// SPDX-License-Identifier: GPL-2.0-only
/*
 * firmware/sha256.c against OpenSSL: every length from 0 to 1100 bytes
 * (all padding cases around the 55/56/64-byte boundaries), a few large
 * ones, incremental updates in odd chunks, and the FIPS 180-4 examples.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/sha.h>

#include "firmware/sha256.h"

#define MIN_CHUNK(a, b)	((a) < (b) ? (a) : (b))

static u8 *pattern(size_t len, unsigned int seed)
{
	u8 *b = malloc(len ? len : 1);
	size_t i;

	assert_non_null(b);
	for (i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		b[i] = (u8)(seed >> 16);
	}
	return b;
}

static void check_len(size_t len)
{
	u8 want[32], got[32], *b = pattern(len, (unsigned int)len);

	SHA256(b, len, want);
	sha256(b, len, got);
	assert_memory_equal(want, got, 32);
	free(b);
}

static void test_all_short_lengths(void **state)
{
	size_t len;

	(void)state;
	for (len = 0; len <= 1100; len++)
		check_len(len);
}

static void test_large_lengths(void **state)
{
	static const size_t lens[] = { 4095, 4096, 65537, 1048576 + 3 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		check_len(lens[i]);
}

static void test_incremental(void **state)
{
	static const size_t chunks[] = { 1, 3, 55, 56, 63, 64, 65, 127, 200 };
	size_t len = 5000, off, c, n;
	u8 want[32], got[32], *b = pattern(len, 7);
	struct sha256_ctx ctx;

	(void)state;
	SHA256(b, len, want);
	for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		sha256_init(&ctx);
		for (off = 0; off < len; off += n) {
			n = MIN_CHUNK(chunks[c], len - off);
			sha256_update(&ctx, b + off, n);
		}
		sha256_update(&ctx, b, 0);
		sha256_final(&ctx, got);
		assert_memory_equal(want, got, 32);
	}
	free(b);
}

static void test_known_answers(void **state)
{
	static const u8 abc[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
		0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
		0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
	};
	static const u8 empty[32] = {
		0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14,
		0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
		0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c,
		0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
	};
	u8 got[32];

	(void)state;
	sha256("abc", 3, got);
	assert_memory_equal(abc, got, 32);
	sha256("", 0, got);
	assert_memory_equal(empty, got, 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_short_lengths),
		cmocka_unit_test(test_large_lengths),
		cmocka_unit_test(test_incremental),
		cmocka_unit_test(test_known_answers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
