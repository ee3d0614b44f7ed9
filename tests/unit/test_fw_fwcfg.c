// SPDX-License-Identifier: GPL-2.0-only
/*
 * firmware/fwcfg.c against the fake machine's fw_cfg (tests/unit/fw-fake.c):
 * detection, the data port and DMA paths, the big-endian directory
 * (exact names, unterminated names, absurd counts), NB_CPUS, etc/e820
 * (partial entries, clipping, absence, DMA errors) and the e820 helpers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "firmware/fwcfg.h"
#include "tests/unit/fw-fake.h"

static const struct sevm_e820 qemu_map[] = {
	{ 0xfeffc000, 0x4000, E820_RESERVED },
	{ 0, 128 << 20, E820_RAM },
	{ 0x100000000ull, 1ull << 30, E820_RAM },
};

static int setup(void **state)
{
	(void)state;
	fake_reset();
	return 0;
}

static void test_absent(void **state)
{
	struct fwcfg c;

	(void)state;
	assert_int_equal(fwcfg_probe(&c, 1), 0);
	assert_false(c.present);
	assert_false(c.dma);
	assert_true(fake_stray > 0);	/* it did look */
}

static void test_probe_dma_and_port(void **state)
{
	struct fwcfg c;

	(void)state;
	fake_fwcfg_init(1, 2);
	assert_int_equal(fwcfg_probe(&c, 1), 1);
	assert_true(c.present);
	assert_true(c.dma);
	assert_int_equal(c.id, 3);
	assert_int_equal(fwcfg_nb_cpus(&c), 2);
	assert_true(fake_fwcfg_dma_ops > 0);
	/* DMA offered but not allowed (SEV): the data port */
	assert_int_equal(fwcfg_probe(&c, 0), 1);
	assert_false(c.dma);
	fake_reset();
	fake_fwcfg_init(0, 4);
	assert_int_equal(fwcfg_probe(&c, 1), 1);
	assert_false(c.dma);
	assert_int_equal(c.id, 1);
	assert_int_equal(fwcfg_nb_cpus(&c), 4);
	assert_int_equal(fake_fwcfg_dma_ops, 0);
	assert_int_equal(fake_stray, 0);
}

static void test_wrong_signature(void **state)
{
	struct fwcfg c;

	(void)state;
	fake_fwcfg_init(1, 1);
	fake_fwcfg_item(FWCFG_SIGNATURE, "QEMV", 4);
	assert_int_equal(fwcfg_probe(&c, 1), 0);
	assert_false(c.present);
}

static void find_files(int dma)
{
	struct fwcfg_file f;
	struct fwcfg c;

	fake_reset();
	fake_fwcfg_init(dma, 1);
	fake_fwcfg_file("etc/e820x", "a", 1);
	fake_fwcfg_file("etc/e82", "bb", 2);
	fake_fwcfg_file("etc/e820", qemu_map, sizeof(qemu_map));
	assert_int_equal(fwcfg_probe(&c, 1), 1);
	assert_int_equal(fwcfg_find(&c, "etc/e820", &f), 1);
	assert_string_equal(f.name, "etc/e820");
	assert_int_equal(f.size, sizeof(qemu_map));
	assert_int_equal(f.select, 0x22);
	assert_int_equal(fwcfg_find(&c, "etc/e82", &f), 1);
	assert_int_equal(f.select, 0x21);
	assert_int_equal(fwcfg_find(&c, "etc/acpi/rsdp", &f), 0);
	assert_int_equal(fwcfg_find(&c, "", &f), 0);
	assert_int_equal(fake_fwcfg_dma_ops > 0, dma);
}

static void test_find_port(void **state)
{
	(void)state;
	find_files(0);
}

static void test_find_dma(void **state)
{
	(void)state;
	find_files(1);
}

static void test_dir_entry(void **state)
{
	u8 raw[64];
	struct fwcfg_file f;

	(void)state;
	memset(raw, 'x', sizeof(raw));	/* name without a NUL */
	raw[0] = 0x12;
	raw[1] = 0x34;
	raw[2] = 0x56;
	raw[3] = 0x78;
	raw[4] = 0xab;
	raw[5] = 0xcd;
	fwcfg_dir_entry(raw, &f);
	assert_int_equal(f.size, 0x12345678);
	assert_int_equal(f.select, 0xabcd);
	assert_int_equal(strlen(f.name), FWCFG_NAME_LEN);
}

static void test_long_names(void **state)
{
	char name[FWCFG_NAME_LEN + 8];
	struct fwcfg_file f;
	struct fwcfg c;

	(void)state;
	memset(name, 'n', sizeof(name));
	name[FWCFG_NAME_LEN] = '\0';		/* 56 chars: fills the field */
	fake_fwcfg_init(0, 1);
	fake_fwcfg_file(name, "z", 1);
	fwcfg_probe(&c, 1);
	assert_int_equal(fwcfg_find(&c, name, &f), 1);
	name[FWCFG_NAME_LEN] = 'n';		/* 57: cannot be in the dir */
	name[FWCFG_NAME_LEN + 1] = '\0';
	assert_int_equal(fwcfg_find(&c, name, &f), 0);
}

static void test_absurd_count(void **state)
{
	u8 dir[4 + 64] = { 0xff, 0xff, 0xff, 0xff };
	struct fwcfg_file f;
	struct fwcfg c;

	(void)state;
	memcpy(dir + 4 + 8, "etc/other", 9);
	fake_fwcfg_init(0, 1);
	fake_fwcfg_item(FWCFG_FILE_DIR, dir, sizeof(dir));
	fwcfg_probe(&c, 1);
	/* 4 billion claimed; the walk stops after FWCFG_MAX_FILES */
	assert_int_equal(fwcfg_find(&c, "etc/e820", &f), 0);
	assert_int_equal(fwcfg_find(&c, "etc/other", &f), 1);
}

static void test_e820(void **state)
{
	struct sevm_e820 e[4];
	struct fwcfg c;
	u32 n;

	(void)state;
	fake_fwcfg_init(1, 1);
	fake_fwcfg_file("etc/e820", qemu_map, sizeof(qemu_map));
	fwcfg_probe(&c, 1);
	assert_int_equal(fwcfg_read_e820(&c, e, 4, &n), 0);
	assert_int_equal(n, 3);
	assert_memory_equal(e, qemu_map, sizeof(qemu_map));
	assert_int_equal(fwcfg_read_e820(&c, e, 2, &n), 0);	/* clipped */
	assert_int_equal(n, 2);
	assert_int_equal(e820_low_ram_end(e, 3), 128 << 20);
}

static void test_e820_partial_and_missing(void **state)
{
	struct sevm_e820 e[4];
	struct fwcfg c;
	u32 n = 99;

	(void)state;
	fake_fwcfg_init(0, 1);
	fwcfg_probe(&c, 1);
	assert_int_equal(fwcfg_read_e820(&c, e, 4, &n), -1);
	assert_int_equal(n, 0);
	fake_fwcfg_file("etc/e820", qemu_map, 19);		/* < 1 entry */
	assert_int_equal(fwcfg_read_e820(&c, e, 4, &n), -1);
	fake_reset();
	fake_fwcfg_init(0, 1);
	fake_fwcfg_file("etc/e820", qemu_map, 45);	/* 2 + 5 bytes */
	fwcfg_probe(&c, 1);
	assert_int_equal(fwcfg_read_e820(&c, e, 4, &n), 0);
	assert_int_equal(n, 2);
}

static void test_dma_error(void **state)
{
	struct sevm_e820 e[4];
	struct fwcfg_file f;
	struct fwcfg c;
	u32 n;

	(void)state;
	fake_fwcfg_init(1, 3);
	fake_fwcfg_file("etc/e820", qemu_map, sizeof(qemu_map));
	fwcfg_probe(&c, 1);
	fake_fwcfg_dma_error = 1;
	assert_int_equal(fwcfg_find(&c, "etc/e820", &f), -1);
	assert_int_equal(fwcfg_read_e820(&c, e, 4, &n), -1);
	assert_int_equal(fwcfg_nb_cpus(&c), 0);
}

static void test_e820_helpers(void **state)
{
	const struct sevm_e820 m[] = {
		{ 0, 0x9fc00, E820_RAM },
		{ 0x100000, 0x7f00000, E820_RAM },
		{ 0xc0000000, 0x80000000, E820_RAM },	/* crosses 4 GiB */
		{ 0x200000000ull, 0x1000, E820_RAM },	/* above 4 GiB */
		{ 0xffffffffffff0000ull, 0x20000, E820_RAM },	/* wraps */
		{ 0xb0000, 0, E820_RAM },		/* empty */
		{ 0xa0000, 0x1000, E820_RESERVED },
	};

	(void)state;
	assert_int_equal(e820_low_ram_end(m, 7), LAYOUT_4G);
	assert_int_equal(e820_low_ram_end(m, 2), 0x8000000);
	assert_int_equal(e820_low_ram_end(m + 3, 4), 0);
	assert_int_equal(e820_low_ram_end(m, 0), 0);
	assert_true(e820_is_ram(m, 7, 0x100000, 0x4000));
	assert_true(e820_is_ram(m, 7, 0x8000000 - 0x1000, 0x1000));
	assert_false(e820_is_ram(m, 7, 0x8000000 - 0x1000, 0x1001));
	assert_false(e820_is_ram(m, 7, 0x9f000, 0x2000));
	assert_false(e820_is_ram(m, 7, 0xa0000, 0x10));	/* reserved */
	assert_false(e820_is_ram(m, 7, 0xb0000, 1));		/* empty */
	assert_true(e820_is_ram(m, 7, 0xfed00000, 0x10));
	assert_false(e820_is_ram(m, 7, 0xffffffffffff8000ull, 0x100));
	assert_false(e820_is_ram(m, 7, 0x100000, 0));
	assert_false(e820_is_ram(m, 7, ~0ull, 2));		/* wraps */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_absent, setup),
		cmocka_unit_test_setup(test_probe_dma_and_port, setup),
		cmocka_unit_test_setup(test_wrong_signature, setup),
		cmocka_unit_test_setup(test_find_port, setup),
		cmocka_unit_test_setup(test_find_dma, setup),
		cmocka_unit_test_setup(test_dir_entry, setup),
		cmocka_unit_test_setup(test_long_names, setup),
		cmocka_unit_test_setup(test_absurd_count, setup),
		cmocka_unit_test_setup(test_e820, setup),
		cmocka_unit_test_setup(test_e820_partial_and_missing, setup),
		cmocka_unit_test_setup(test_dma_error, setup),
		cmocka_unit_test_setup(test_e820_helpers, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
