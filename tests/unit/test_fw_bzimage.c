// SPDX-License-Identifier: GPL-2.0-only
/*
 * firmware/bzimage.c on crafted images: a minimal valid bzImage header,
 * each rejection (size, boot flag, HdrS, protocol, XLF_KERNEL_64,
 * LOADED_HIGH, no payload, alignment), setup_sects 0 meaning 4, the
 * memory span, and every zero-page field the firmware sets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "firmware/bzimage.h"

#define IMG_SIZE	8192

static void put16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

static void put32(u8 *p, u32 v)
{
	put16(p, (u16)v);
	put16(p + 2, (u16)(v >> 16));
}

static u32 get32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

/* A bzImage with 2 setup sectors (3 * 512 bytes of setup). */
static void make(u8 *img)
{
	memset(img, 0, IMG_SIZE);
	img[BP_SETUP_SECTS] = 2;
	put16(img + BP_BOOT_FLAG, 0xaa55);
	img[BP_JUMP] = 0xeb;
	img[BP_JUMP + 1] = 0x6a;		/* header ends at 0x26c */
	memcpy(img + BP_HEADER, "HdrS", 4);
	put16(img + BP_VERSION, 0x020f);
	img[BP_LOADFLAGS] = BZ_LOADED_HIGH;
	put32(img + BP_KERNEL_ALIGNMENT, 0x200000);
	img[BP_RELOCATABLE] = 1;
	put16(img + BP_XLOADFLAGS, BZ_XLF_KERNEL_64);
	put32(img + BP_INIT_SIZE, 0x800000);
	put32(img + BP_PREF_ADDRESS, 0x1000000);
	put32(img + BP_CMD_LINE_PTR, 0xdeadbeef);	/* overwritten */
	img[0x1f2] = 0x5a;		/* root_flags: copied as is */
	img[0x26c] = 0x77;		/* beyond the header: not copied */
}

static void expect_fail(const u8 *img, u64 len, const char *why_part)
{
	struct bz_info bi;
	const char *why = NULL;

	assert_int_equal(bz_parse(img, len, &bi, &why), -1);
	assert_non_null(why);
	assert_non_null(strstr(why, why_part));
}

static void test_good(void **state)
{
	u8 img[IMG_SIZE];
	struct bz_info bi;
	const char *why = NULL;

	(void)state;
	make(img);
	assert_int_equal(bz_parse(img, IMG_SIZE, &bi, &why), 0);
	assert_int_equal(bi.setup_size, 3 * 512);
	assert_int_equal(bi.pm_size, IMG_SIZE - 3 * 512);
	assert_int_equal(bi.version, 0x020f);
	assert_int_equal(bi.hdr_end, 0x26c);
	assert_int_equal(bi.init_size, 0x800000);
	assert_int_equal(bi.alignment, 0x200000);
	assert_int_equal(bi.relocatable, 1);
	assert_int_equal(bi.pref_address, 0x1000000);
}

static void test_setup_sects_zero_means_four(void **state)
{
	u8 img[IMG_SIZE];
	struct bz_info bi;
	const char *why;

	(void)state;
	make(img);
	img[BP_SETUP_SECTS] = 0;
	assert_int_equal(bz_parse(img, IMG_SIZE, &bi, &why), 0);
	assert_int_equal(bi.setup_size, 5 * 512);
	/* Exactly the setup and nothing after it: no kernel. */
	expect_fail(img, 5 * 512, "no protected-mode kernel");
	assert_int_equal(bz_parse(img, 5 * 512 + 1, &bi, &why), 0);
	assert_int_equal(bi.pm_size, 1);
}

static void test_rejections(void **state)
{
	u8 img[IMG_SIZE];

	(void)state;
	make(img);
	expect_fail(img, 0, "too small");
	expect_fail(img, 1023, "too small");
	make(img);
	img[BP_BOOT_FLAG] = 0;
	expect_fail(img, IMG_SIZE, "0xaa55");
	make(img);
	img[BP_HEADER + 3] = 's';
	expect_fail(img, IMG_SIZE, "HdrS");
	make(img);
	put16(img + BP_VERSION, 0x020b);
	expect_fail(img, IMG_SIZE, "2.12");
	make(img);
	put16(img + BP_XLOADFLAGS, 0x2);	/* XLF_CAN_BE_LOADED_ABOVE_4G */
	expect_fail(img, IMG_SIZE, "XLF_KERNEL_64");
	make(img);
	img[BP_LOADFLAGS] = 0;
	expect_fail(img, IMG_SIZE, "LOADED_HIGH");
	make(img);
	img[BP_SETUP_SECTS] = 15;		/* 16 * 512 = whole image */
	expect_fail(img, IMG_SIZE, "no protected-mode kernel");
	make(img);
	put32(img + BP_KERNEL_ALIGNMENT, 0x300000);
	expect_fail(img, IMG_SIZE, "power of two");
	put32(img + BP_KERNEL_ALIGNMENT, 0);
	expect_fail(img, IMG_SIZE, "power of two");
}

static void test_alignment_unused_when_fixed(void **state)
{
	u8 img[IMG_SIZE];
	struct bz_info bi;
	const char *why;

	(void)state;
	make(img);
	img[BP_RELOCATABLE] = 0;
	put32(img + BP_KERNEL_ALIGNMENT, 0);
	assert_int_equal(bz_parse(img, IMG_SIZE, &bi, &why), 0);
}

static void test_header_end_clamped(void **state)
{
	u8 img[IMG_SIZE];
	struct bz_info bi;
	const char *why;

	(void)state;
	make(img);
	img[BP_JUMP + 1] = 0xff;	/* 0x301: past boot_params.hdr */
	assert_int_equal(bz_parse(img, IMG_SIZE, &bi, &why), 0);
	assert_int_equal(bi.hdr_end, BZ_HDR_MAX_END);
}

static void test_kernel_end(void **state)
{
	u8 img[IMG_SIZE];
	struct bz_info bi;
	const char *why;

	(void)state;
	make(img);
	assert_int_equal(bz_parse(img, IMG_SIZE, &bi, &why), 0);
	/* Relocatable: aligned up to 2 MiB, then init_size. */
	assert_int_equal(bz_kernel_end(&bi, 0x100000), 0x200000 + 0x800000);
	assert_int_equal(bz_kernel_end(&bi, 0x200000), 0x200000 + 0x800000);
	/* Not relocatable: runs at pref_address. */
	bi.relocatable = 0;
	assert_int_equal(bz_kernel_end(&bi, 0x100000), 0x1000000 + 0x800000);
	/* A payload larger than init_size bounds the span itself. */
	bi.init_size = 0;
	bi.pref_address = 0;
	assert_int_equal(bz_kernel_end(&bi, 0x100000), 0x100000 + bi.pm_size);
}

static void test_zero_page(void **state)
{
	static const struct sevm_e820 e820[2] = {
		{ .addr = 0, .size = 0x9fc00, .type = E820_RAM },
		{ .addr = 0x100000, .size = 0x3f00000, .type = E820_RAM },
	};
	struct bz_boot b = {
		.cmdline_addr = 0x20000, .initrd_addr = 0x123456789a,
		.initrd_size = 0x100000001ull, .e820 = e820, .nr_e820 = 2,
	};
	u8 img[IMG_SIZE], zp[BZ_ZERO_PAGE_SIZE];
	struct bz_info bi;
	const char *why;

	(void)state;
	make(img);
	assert_int_equal(bz_parse(img, IMG_SIZE, &bi, &why), 0);
	memset(zp, 0xcc, sizeof(zp));
	bz_zero_page(zp, img, &bi, &b);
	assert_int_equal(zp[0], 0);			/* cleared */
	assert_int_equal(zp[0xfff], 0);
	assert_int_equal(zp[0x1f2], 0x5a);		/* header copied */
	assert_memory_equal(zp + BP_HEADER, "HdrS", 4);
	assert_int_equal(zp[0x26c], 0);			/* not beyond it */
	assert_int_equal(zp[BP_TYPE_OF_LOADER], 0xff);
	assert_int_equal(get32(zp + BP_CMD_LINE_PTR), 0x20000);
	assert_int_equal(get32(zp + BP_EXT_CMD_LINE_PTR), 0);
	assert_int_equal(get32(zp + BP_RAMDISK_IMAGE), 0x3456789a);
	assert_int_equal(get32(zp + BP_EXT_RAMDISK_IMAGE), 0x12);
	assert_int_equal(get32(zp + BP_RAMDISK_SIZE), 1);
	assert_int_equal(get32(zp + BP_EXT_RAMDISK_SIZE), 1);
	assert_int_equal(get32(zp + BP_SETUP_DATA), 0);
	assert_int_equal(zp[BP_E820_ENTRIES], 2);
	assert_memory_equal(zp + BP_E820_TABLE, e820, sizeof(e820));
	assert_int_equal(zp[BP_E820_TABLE + sizeof(e820)], 0);
}

static void test_zero_page_e820_capped(void **state)
{
	struct sevm_e820 *e820 = calloc(200, sizeof(*e820));
	struct bz_boot b = { .e820 = e820, .nr_e820 = 200 };
	u8 img[IMG_SIZE], zp[BZ_ZERO_PAGE_SIZE];
	struct bz_info bi;
	const char *why;

	(void)state;
	assert_non_null(e820);
	make(img);
	assert_int_equal(bz_parse(img, IMG_SIZE, &bi, &why), 0);
	bz_zero_page(zp, img, &bi, &b);
	assert_int_equal(zp[BP_E820_ENTRIES], BZ_E820_MAX);
	free(e820);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_setup_sects_zero_means_four),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_alignment_unused_when_fixed),
		cmocka_unit_test(test_header_end_clamped),
		cmocka_unit_test(test_kernel_end),
		cmocka_unit_test(test_zero_page),
		cmocka_unit_test(test_zero_page_e820_capped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
