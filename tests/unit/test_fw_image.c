// SPDX-License-Identifier: GPL-2.0-only
/*
 * The built firmware image ($SEVM_BUILD/firmware/sevm-fw.bin; skipped
 * when unset or absent): exactly 64 KiB, the reset vector's first
 * instructions are the MARK_RESET_VECTOR write to port 0x80 and a jump
 * that stays in the image, and the GUID footer table parses (the way
 * QEMU's pc_system_ovmf_table_find walks it) with the SEV hashes area,
 * the SEV secret area and the SEV-ES reset block at their handoff.h
 * values. Also checks the assembler's copies of handoff.h constants.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "firmware/asm-defs.h"
#include "firmware/fwtypes.h"
#include "firmware/handoff.h"

_Static_assert(ASM_MARK_RESET_VECTOR == MARK_RESET_VECTOR, "asm-defs");
_Static_assert(ASM_MARK_PROTECTED_MODE == MARK_PROTECTED_MODE, "asm-defs");
_Static_assert(ASM_MARK_LONG_MODE == MARK_LONG_MODE, "asm-defs");
_Static_assert(ASM_PORT_DEBUG == PORT_DEBUG, "asm-defs");
_Static_assert(ASM_LAYOUT_SEV_HASHES == LAYOUT_SEV_HASHES, "asm-defs");
_Static_assert(ASM_LAYOUT_SEV_SECRET_SIZE == LAYOUT_SEV_SECRET_SIZE,
	       "asm-defs");
_Static_assert(ASM_LAYOUT_FW_DATA_END == LAYOUT_FW_DATA_END, "asm-defs");

#define IMG_SIZE	0xc000
#define ROM_BASE	0xffff4000u
#define RESET_CS_BASE	0xffff0000u

static const u8 g_footer[16] = {
	0xde, 0x82, 0xb5, 0x96, 0xb2, 0x1f, 0xf7, 0x45,
	0xba, 0xea, 0xa3, 0x66, 0xc5, 0x5a, 0x08, 0x2d };
static const u8 g_hashes[16] = {
	0x1f, 0x37, 0x55, 0x72, 0x3b, 0x3a, 0x04, 0x4b,
	0x92, 0x7b, 0x1d, 0xa6, 0xef, 0xa8, 0xd4, 0x54 };
static const u8 g_secret[16] = {
	0x61, 0xb3, 0x2e, 0x4c, 0x9b, 0x7d, 0xc3, 0x4c,
	0x80, 0x81, 0x12, 0x7c, 0x90, 0xd3, 0xd2, 0x94 };
static const u8 g_es_reset[16] = {
	0xde, 0x71, 0xf7, 0x00, 0x7e, 0x1a, 0xcb, 0x4f,
	0x89, 0x0e, 0x68, 0xc7, 0x7e, 0x2f, 0xb4, 0x4e };

struct image {
	u8 *buf;
	size_t len;
};

static int setup(void **state)
{
	const char *dir = getenv("SEVM_BUILD");
	struct image *img;
	char path[4096];
	FILE *f;

	if (!dir || !*dir)
		return 0;
	snprintf(path, sizeof(path), "%s/firmware/sevm-fw.bin", dir);
	f = fopen(path, "rb");
	if (!f)
		return 0;
	img = calloc(1, sizeof(*img));
	if (img)
		img->buf = malloc(2 * IMG_SIZE);
	if (!img || !img->buf) {
		fclose(f);
		return -1;
	}
	img->len = fread(img->buf, 1, 2 * IMG_SIZE, f);
	fclose(f);
	*state = img;
	return 0;
}

static int teardown(void **state)
{
	struct image *img = *state;

	if (img)
		free(img->buf);
	free(img);
	return 0;
}

static struct image *need_image(void **state)
{
	if (!*state) {
		print_message("SEVM_BUILD unset or no firmware image: skip\n");
		skip();
	}
	return *state;
}

static void test_size(void **state)
{
	assert_int_equal(need_image(state)->len, IMG_SIZE);
}

static void test_reset_vector(void **state)
{
	struct image *img = need_image(state);
	const u8 *rv = img->buf + img->len - 16;
	u32 ip;

	/* mov $MARK_RESET_VECTOR, %al; out %al, $PORT_DEBUG */
	assert_int_equal(rv[0], 0xb0);
	assert_int_equal(rv[1], MARK_RESET_VECTOR);
	assert_int_equal(rv[2], 0xe6);
	assert_int_equal(rv[3], PORT_DEBUG);
	/* then a near jump (CS base stays 0xffff0000) into the image */
	if (rv[4] == 0xeb) {
		ip = 0xfff0 + 6 + (int8_t)rv[5];
	} else {
		assert_int_equal(rv[4], 0xe9);
		ip = (0xfff0 + 7 + (u16)(rv[5] | rv[6] << 8)) & 0xffff;
	}
	assert_true(ip < 0xffd0 - 92);	/* below the footer table */
	/* ip is an offset from CS base 0xffff0000; the image starts later */
	assert_true(RESET_CS_BASE + ip >= ROM_BASE);
	assert_int_equal(img->buf[RESET_CS_BASE + ip - ROM_BASE], 0xfa); /* cli */
}

struct entry {
	const u8 *guid, *data;
	size_t len;
};

/* Walks the table from the footer; returns the number of entries. */
static int walk(const struct image *img, struct entry *e, int max)
{
	const u8 *end = img->buf + img->len - 0x20;
	const u8 *start, *p;
	u16 tot, len;
	int n = 0;

	assert_memory_equal(end - 16, g_footer, 16);
	tot = fw_le16(end - 18);
	assert_true(tot >= 18 && tot <= img->len - 0x20);
	start = end - tot;
	for (p = end - 18; p > start; p -= len) {
		assert_true(p - start >= 18);
		len = fw_le16(p - 18);
		assert_true(len >= 18 && len <= p - start);
		assert_true(n < max);
		e[n].guid = p - 16;
		e[n].data = p - len;
		e[n].len = len - 18;
		n++;
	}
	assert_ptr_equal(p, start);
	return n;
}

static const struct entry *find(const struct entry *e, int n, const u8 *g)
{
	int i;

	for (i = 0; i < n; i++)
		if (!memcmp(e[i].guid, g, 16))
			return &e[i];
	fail_msg("GUID %02x%02x%02x%02x... not in the footer table",
		 g[3], g[2], g[1], g[0]);
	return NULL;
}

static void test_footer_table(void **state)
{
	struct image *img = need_image(state);
	struct entry e[16];
	const struct entry *h, *s, *r;
	u32 ap;
	int n;

	n = walk(img, e, 16);
	assert_int_equal(n, 3);
	h = find(e, n, g_hashes);
	assert_int_equal(h->len, 8);
	assert_int_equal(fw_le32(h->data), LAYOUT_SEV_HASHES);
	assert_int_equal(fw_le32(h->data + 4), LAYOUT_SEV_HASHES_SIZE);
	s = find(e, n, g_secret);
	assert_int_equal(s->len, 8);
	assert_int_equal(fw_le32(s->data), LAYOUT_SEV_SECRET);
	assert_int_equal(fw_le32(s->data + 4), LAYOUT_SEV_SECRET_SIZE);
	r = find(e, n, g_es_reset);
	assert_int_equal(r->len, 4);
	ap = fw_le32(r->data);
	/* CS base = ap & 0xffff0000, IP = ap & 0xffff: inside the ROM */
	assert_int_equal(ap & 0xffff0000u, RESET_CS_BASE);
	assert_true(ap >= ROM_BASE);
	assert_int_equal(img->buf[ap - ROM_BASE], 0xfa);	/* cli */
	assert_int_equal(img->buf[ap - ROM_BASE + 1], 0xf4);	/* hlt */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_reset_vector),
		cmocka_unit_test(test_footer_table),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
