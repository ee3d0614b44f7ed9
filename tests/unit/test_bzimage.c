// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of vmm/boot-bzimage.c and the placement helpers of
 * vmm/boot.c it uses: every rejection of a crafted bzImage, a direct
 * boot load checked byte by byte (protected-mode kernel, zero page,
 * e820, command line, initrd, page tables, GDT, entry state), and the
 * cases that do not fit in guest RAM.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/unit/boot-test.h"

/* ---- parse */
static void test_parse_ok(void **state)
{
	struct blob k = test_bzimage(8192, 0x800000);
	struct bzimage_info bi;

	assert_int_equal(bzimage_parse(&k, &bi), 0);
	assert_int_equal(bi.version, 0x020f);
	assert_int_equal(bi.setup_size, 2560);
	assert_int_equal(bi.pm_size, 8192);
	assert_int_equal(bi.init_size, 0x800000);
	assert_int_equal(bi.pref_address, 0x1000000);
	assert_int_equal(bi.kernel_alignment, 0x200000);
	assert_int_equal(bi.initrd_addr_max, 0x7fffffff);
	assert_int_equal(bi.cmdline_size, 2047);
	assert_int_equal(bi.xloadflags, XLF_KERNEL_64 |
			 XLF_CAN_BE_LOADED_ABOVE_4G);
	assert_true(bi.relocatable);
	/* setup_sects 0 means 4 */
	test_bz_hdr(&k)->setup_sects = 0;
	assert_int_equal(bzimage_parse(&k, &bi), 0);
	assert_int_equal(bi.setup_size, 2560);
	/* setup_sects 1: a 1 KiB setup, the rest is kernel */
	test_bz_hdr(&k)->setup_sects = 1;
	assert_int_equal(bzimage_parse(&k, &bi), 0);
	assert_int_equal(bi.setup_size, 1024);
	assert_int_equal(bi.pm_size, 2560 + 8192 - 1024);
	/* initrd_addr_max 0: the old default */
	test_bz_hdr(&k)->initrd_addr_max = 0;
	assert_int_equal(bzimage_parse(&k, &bi), 0);
	assert_int_equal(bi.initrd_addr_max, 0x37ffffff);
	assert_int_equal(test_nr_err, 0);
	test_blob_free(&k);
}

static void expect_reject(struct blob *k, const char *msg)
{
	struct bzimage_info bi;

	assert_int_equal(bzimage_parse(k, &bi), -EINVAL);
	test_one_err(msg);
	test_blob_free(k);
}

static void test_parse_reject(void **state)
{
	struct blob k;

	k = test_bzimage(8192, 0x800000);
	k.size = 100;
	expect_reject(&k, "kernel k.bz: not a bzImage (file too small: 100 bytes)");

	k = test_bzimage(8192, 0x800000);
	k.data[0x202] = 'X';
	expect_reject(&k, "kernel k.bz: not a bzImage (no HdrS signature)");

	k = test_bzimage(8192, 0x800000);
	test_bz_hdr(&k)->boot_flag = 0x1234;
	expect_reject(&k, "kernel k.bz: not a bzImage (boot flag 0x1234, expected 0xaa55)");

	k = test_bzimage(8192, 0x800000);
	test_bz_hdr(&k)->version = 0x0206;
	expect_reject(&k, "kernel k.bz: boot protocol 2.06 too old, need 2.12 with 64-bit entry");

	k = test_bzimage(8192, 0x800000);
	test_bz_hdr(&k)->version = 0x020b;
	expect_reject(&k, "boot protocol 2.11 too old");

	k = test_bzimage(8192, 0x800000);
	test_bz_hdr(&k)->loadflags = 0;
	expect_reject(&k, "kernel k.bz: not a bzImage (zImage: LOADED_HIGH not set)");

	k = test_bzimage(8192, 0x800000);
	test_bz_hdr(&k)->xloadflags = XLF_CAN_BE_LOADED_ABOVE_4G;
	expect_reject(&k, "kernel k.bz: no 64-bit entry point (XLF_KERNEL_64 not set in xloadflags 0x2)");
}

static void test_parse_truncated(void **state)
{
	struct blob k;

	k = test_bzimage(8192, 0x800000);
	test_bz_hdr(&k)->setup_sects = 200;
	expect_reject(&k, "kernel k.bz: truncated: setup claims 102912 bytes, file has 10752");

	k = test_bzimage(8192, 0x800000);
	k.size = 2560;			/* the setup and nothing else */
	expect_reject(&k, "kernel k.bz: truncated: setup claims 2560 bytes, file has 2560");

	k = test_bzimage(8192, 0x800000);
	k.size -= 16;			/* syssize says 8192 */
	expect_reject(&k, "kernel k.bz: truncated: header claims 8192 bytes of protected-mode kernel, file has 8176");

	k = test_bzimage(8192, 0);
	expect_reject(&k, "kernel k.bz: implausible init_size 0x0");

	k = test_bzimage(8192, 0x40000001);
	expect_reject(&k, "implausible init_size 0x40000001");
}

/* ---- load */
static void check_page_tables(void)
{
	assert_int_equal(test_rd64(0x1000), 0x2003);		/* PML4[0] -> PDPT */
	for (u64 i = 1; i < 512; i++)
		assert_int_equal(test_rd64(0x1000 + 8 * i), 0);
	for (u64 i = 0; i < 4; i++)			/* PDPT -> 4 PDs */
		assert_int_equal(test_rd64(0x2000 + 8 * i), 0x3003 + i * 0x1000);
	for (u64 i = 4; i < 512; i++)
		assert_int_equal(test_rd64(0x2000 + 8 * i), 0);
	for (u64 i = 0; i < 2048; i++)			/* 2 MiB pages */
		assert_int_equal(test_rd64(0x3000 + 8 * i), (i << 21) | 0x83);
	assert_int_equal(test_rd64(0x3000 + 8 * 2047), 0xffe00083ULL);
}

static void check_gdt(u64 code)
{
	assert_int_equal(test_rd64(0x500), 0);
	assert_int_equal(test_rd64(0x508), 0);
	assert_int_equal(test_rd64(0x510), code);
	assert_int_equal(test_rd64(0x518), 0x00cf93000000ffffULL);
}

static void check_zero_page_e820(void)
{
	static const u64 want[6][3] = {
		{ 0, 0x9000, 1 }, { 0x9000, 0x2000, 2 },
		{ 0xb000, 0x9fc00 - 0xb000, 1 },
		{ 0x9fc00, 0x100000 - 0x9fc00, 2 },
		{ 0x100000, 63 * SZ_1M, 1 },
		{ 0xb0000000, 0x10000000, 2 },		/* ECAM */
	};

	assert_int_equal(*test_gpa(0x7000 + 0x1e8, 1), 6);	/* e820_entries */
	for (int i = 0; i < 6; i++) {
		u64 e = 0x7000 + 0x2d0 + 20 * i;

		assert_int_equal(test_rd64(e), want[i][0]);
		assert_int_equal(test_rd64(e + 8), want[i][1]);
		assert_int_equal(test_rd32(e + 16), want[i][2]);
	}
	assert_int_equal(test_rd64(0x7000 + 0x2d0 + 20 * 6), 0);
}

/* The zero page holds the image's setup header with the loader fields. */
static void check_zero_page(const struct blob *k, u64 initrd_gpa,
			    u32 initrd_size)
{
	const u8 *zp = test_gpa(0x7000, 4096);

	for (int i = 0; i < 0x1f1; i++)		/* but e820_entries */
		assert_int_equal(zp[i], i == 0x1e8 ? 6 : 0);
	for (int off = 0x1f1; off < 0x268; off++) {
		if (off == 0x1fa || off == 0x1fb ||
		    (off >= 0x210 && off <= 0x211) ||
		    (off >= 0x218 && off < 0x220) ||
		    (off >= 0x224 && off < 0x226) ||
		    (off >= 0x228 && off < 0x22c))
			continue;
		assert_int_equal(zp[off], k->data[off]);
	}
	assert_int_equal(test_rd16(0x7000 + 0x1fa), 0xffff);	/* vid_mode */
	assert_int_equal(zp[0x210], 0xff);		/* type_of_loader */
	assert_int_equal(zp[0x211], LOADED_HIGH | CAN_USE_HEAP);
	assert_int_equal(test_rd32(0x7000 + 0x218), initrd_gpa);
	assert_int_equal(test_rd32(0x7000 + 0x21c), initrd_size);
	assert_int_equal(test_rd16(0x7000 + 0x224), 0xfe00);	/* heap_end_ptr */
	assert_int_equal(test_rd32(0x7000 + 0x228), 0x20000);	/* cmd_line_ptr */
	assert_int_equal(test_rd32(0x7000 + 0x0c8), 0);	/* ext_cmd_line_ptr */
	check_zero_page_e820();
	for (int i = 0x2d0 + 20 * 128; i < 4096; i++)
		assert_int_equal(zp[i], 0);
}

static void test_load(void **state)
{
	struct boot_images img = { .cmdline = "console=ttyS0 quiet" };
	struct boot_entry entry;
	u64 initrd_gpa = ALIGN_DOWN(64 * SZ_1M - 10000, 4096);

	img.kernel = test_bzimage(8192, 0x800000);
	img.initrd = test_blob_alloc("initrd.img", 10000);
	test_pattern(img.initrd.data, 10000, 0x99);
	memset(test_mem.ram, 0xcc, 0x8000);		/* stale low memory */
	assert_int_equal(bzimage_load(&test_mem, &img, &entry), 0);
	assert_int_equal(test_nr_err, 0);
	assert_int_equal(entry.mode, BOOT_LINUX64);
	assert_int_equal(entry.rip, 0x100200);
	assert_int_equal(entry.boot_params, 0x7000);
	assert_int_equal(entry.cr3, 0x1000);
	assert_int_equal(entry.gdt, 0x500);
	assert_memory_equal(test_gpa(0x100000, 8192), img.kernel.data + 2560, 8192);
	check_zero_page(&img.kernel, initrd_gpa, 10000);
	assert_string_equal((const char *)test_gpa(0x20000, 20),
			    "console=ttyS0 quiet");
	assert_memory_equal(test_gpa(initrd_gpa, 10000), img.initrd.data, 10000);
	check_page_tables();
	check_gdt(0x00af9b000000ffffULL);
	test_blob_free(&img.kernel);
	test_blob_free(&img.initrd);
}

static void test_load_no_initrd(void **state)
{
	struct boot_images img = { .acpi_rsdp = 0xe0000 };
	struct boot_entry entry;

	img.kernel = test_bzimage(4096, 0x100000);
	assert_int_equal(bzimage_load(&test_mem, &img, &entry), 0);
	assert_int_equal(test_rd32(0x7000 + 0x218), 0);
	assert_int_equal(test_rd32(0x7000 + 0x21c), 0);
	assert_int_equal(test_rd64(0x7000 + 0x070), 0xe0000);	/* acpi_rsdp_addr */
	assert_int_equal(*test_gpa(0x20000, 1), 0);		/* empty cmdline */
	test_blob_free(&img.kernel);
}

static void test_load_limits(void **state)
{
	struct boot_images img = { 0 };
	struct boot_entry entry;
	char cmd[64];

	/* initrd_addr_max caps the initrd: it ends at or below 32 MiB */
	img.kernel = test_bzimage(4096, 0x800000);
	test_bz_hdr(&img.kernel)->initrd_addr_max = 0x1ffffff;
	img.initrd = test_blob_alloc("initrd.img", SZ_1M);
	assert_int_equal(bzimage_load(&test_mem, &img, &entry), 0);
	assert_int_equal(test_rd32(0x7000 + 0x218), 31 * SZ_1M);

	/* ... and must not reach down into where the kernel unpacks:
	 * init_size (8 MiB) from pref_address (16 MiB) */
	test_bz_hdr(&img.kernel)->initrd_addr_max = 24 * SZ_1M + 4095;
	assert_int_equal(bzimage_load(&test_mem, &img, &entry), -ENOSPC);
	test_one_err("initrd initrd.img: does not fit in guest RAM (1048576 bytes, below 0x1801000, clear of 0x0-0x1800000");
	/* without a pref_address the kernel unpacks from 1 MiB */
	test_bz_hdr(&img.kernel)->pref_address = 0;
	assert_int_equal(bzimage_load(&test_mem, &img, &entry), 0);
	assert_int_equal(test_rd32(0x7000 + 0x218), 23 * SZ_1M + 4096);
	test_bz_hdr(&img.kernel)->initrd_addr_max = 9 * SZ_1M + 4095;
	assert_int_equal(bzimage_load(&test_mem, &img, &entry), -ENOSPC);
	test_one_err("clear of 0x0-0x900000");
	test_blob_free(&img.initrd);

	/* the kernel's cmdline_size bounds the command line */
	test_bz_hdr(&img.kernel)->cmdline_size = 15;
	memset(cmd, 'x', sizeof(cmd));
	cmd[16] = '\0';
	img.cmdline = cmd;
	assert_int_equal(bzimage_load(&test_mem, &img, &entry), -EFBIG);
	test_one_err("kernel command line: too long (17 bytes with the NUL, limit 16)");
	cmd[15] = '\0';
	assert_int_equal(bzimage_load(&test_mem, &img, &entry), 0);
	test_blob_free(&img.kernel);
}

static void test_load_too_big(void **state)
{
	struct boot_images img = { 0 };
	struct boot_entry entry;

	/* init_size beyond 64 MiB of RAM */
	img.kernel = test_bzimage(4096, 0x4000000);
	assert_int_equal(bzimage_load(&test_mem, &img, &entry), -ENOSPC);
	test_one_err("kernel k.bz: needs RAM up to 80 MiB to unpack (init_size 0x4000000), guest has 64 MiB of low RAM");
	/* the image itself larger than init_size counts too */
	test_bz_hdr(&img.kernel)->init_size = 0x1000;
	test_bz_hdr(&img.kernel)->pref_address = 0;
	img.kernel.size = 2560 + 63 * SZ_1M + 4096;
	assert_int_equal(bzimage_load(&test_mem, &img, &entry), -ENOSPC);
	test_one_err("needs RAM up to 65 MiB");
	img.kernel.size = 2560 + 4096;
	test_blob_free(&img.kernel);

	/* an initrd that only fits over the kernel */
	img.kernel = test_bzimage(4096, 0x800000);
	img.initrd = test_blob_alloc("big.img", 60 * SZ_1M);
	assert_int_equal(bzimage_load(&test_mem, &img, &entry), -ENOSPC);
	test_one_err("initrd big.img: does not fit in guest RAM");
	test_blob_free(&img.initrd);

	/* a malformed kernel never touches guest memory */
	test_bz_hdr(&img.kernel)->header = 0;
	test_mem.ram[0x7000] = 0x5a;
	assert_int_equal(bzimage_load(&test_mem, &img, &entry), -EINVAL);
	test_one_err("no HdrS");
	assert_int_equal(test_mem.ram[0x7000], 0x5a);
	test_blob_free(&img.kernel);
}

/* ---- placement helpers (vmm/boot.c) */
static void test_place_initrd(void **state)
{
	struct blob rd = test_blob_alloc("rd", 5000);
	u64 at;

	test_pattern(rd.data, rd.size, 3);
	assert_int_equal(boot_place_initrd(&test_mem, &rd, UINT64_MAX, 0, 0, &at),
			 0);
	assert_int_equal(at, ALIGN_DOWN(64 * SZ_1M - 5000, 4096));
	assert_memory_equal(test_gpa(at, 5000), rd.data, 5000);
	/* the top is taken: below avoid_lo instead */
	assert_int_equal(boot_place_initrd(&test_mem, &rd, UINT64_MAX,
					   60 * SZ_1M, 64 * SZ_1M, &at), 0);
	assert_int_equal(at, ALIGN_DOWN(60 * SZ_1M - 5000, 4096));
	/* max_addr below the end of RAM */
	assert_int_equal(boot_place_initrd(&test_mem, &rd, 0x2000000 + 5000, 0, 0,
					   &at), 0);
	assert_int_equal(at, 0x2000000);
	/* nothing left above 1 MiB */
	assert_int_equal(boot_place_initrd(&test_mem, &rd, UINT64_MAX,
					   SZ_1M + 4096, 64 * SZ_1M, &at),
			 -ENOSPC);
	test_one_err("initrd rd: does not fit");
	assert_int_equal(boot_place_initrd(&test_mem, &rd, SZ_1M + 4999, 0, 0, &at),
			 -ENOSPC);
	test_one_err("initrd rd");
	assert_int_equal(boot_place_initrd(&test_mem, &rd, 4000, 0, 0, &at),
			 -ENOSPC);
	test_one_err("initrd rd");
	test_blob_free(&rd);
	/* an empty initrd is not placed */
	rd = test_blob_alloc("rd", 0);
	at = 123;
	assert_int_equal(boot_place_initrd(&test_mem, &rd, UINT64_MAX, 0, 0, &at),
			 0);
	assert_int_equal(at, 0);
	test_blob_free(&rd);
}

static void test_cmdline_gdt(void **state)
{
	char *big = malloc(LAYOUT_CMDLINE_MAX + 1);
	u64 at, gdt;

	assert_non_null(big);
	assert_int_equal(boot_put_cmdline(&test_mem, NULL, 100, &at), 0);
	assert_int_equal(at, 0x20000);
	assert_int_equal(*test_gpa(0x20000, 1), 0);
	assert_int_equal(boot_put_cmdline(&test_mem, "abc", 4, &at), 0);
	assert_memory_equal(test_gpa(0x20000, 4), "abc", 4);
	assert_int_equal(boot_put_cmdline(&test_mem, "abcd", 4, &at), -EFBIG);
	test_one_err("too long (5 bytes with the NUL, limit 4)");
	/* never more than the LAYOUT_CMDLINE_MAX area */
	memset(big, 'y', LAYOUT_CMDLINE_MAX);
	big[LAYOUT_CMDLINE_MAX] = '\0';
	assert_int_equal(boot_put_cmdline(&test_mem, big, UINT32_MAX, &at), -EFBIG);
	test_one_err("limit 65536");
	big[LAYOUT_CMDLINE_MAX - 1] = '\0';
	assert_int_equal(boot_put_cmdline(&test_mem, big, UINT32_MAX, &at), 0);
	free(big);

	assert_int_equal(boot_setup_gdt(&test_mem, BOOT_PVH, &gdt), 0);
	check_gdt(0x00cf9b000000ffffULL);
	assert_int_equal(boot_setup_gdt(&test_mem, BOOT_LINUX64, &gdt), 0);
	assert_int_equal(gdt, 0x500);
	check_gdt(0x00af9b000000ffffULL);
	assert_int_equal(boot_setup_gdt(&test_mem, BOOT_RESET, &gdt), -EINVAL);
	assert_int_equal(BOOT_GDT_LIMIT, 31);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_parse_ok, test_mem_setup,
						test_mem_teardown),
		cmocka_unit_test_setup_teardown(test_parse_reject, test_mem_setup,
						test_mem_teardown),
		cmocka_unit_test_setup_teardown(test_parse_truncated, test_mem_setup,
						test_mem_teardown),
		cmocka_unit_test_setup_teardown(test_load, test_mem_setup,
						test_mem_teardown),
		cmocka_unit_test_setup_teardown(test_load_no_initrd, test_mem_setup,
						test_mem_teardown),
		cmocka_unit_test_setup_teardown(test_load_limits, test_mem_setup,
						test_mem_teardown),
		cmocka_unit_test_setup_teardown(test_load_too_big, test_mem_setup,
						test_mem_teardown),
		cmocka_unit_test_setup_teardown(test_place_initrd, test_mem_setup,
						test_mem_teardown),
		cmocka_unit_test_setup_teardown(test_cmdline_gdt, test_mem_setup,
						test_mem_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
