// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of vmm/boot-fw.c: the OVMF GUID footer table of a real
 * AmdSev OVMF (the sevctl test vector: its last 4 KiB) and of Debian's
 * OVMF when installed, crafted tables that are truncated, too long, with
 * zero or overlong entry lengths, duplicates and overlapping areas, the
 * size rules, and loading the image as a ROM ending at 4 GiB, with the
 * BIOS alias at 0xe0000 for images of 128 KiB or more.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/unit/boot-test.h"

#define OVMF_VECTOR \
	"sevctl/OVMF.amdsev.fd_trimmed_edk2-ovmf-20220126gitbb1bba3d77-4.el9"
#define DEBIAN_OVMF "/usr/share/OVMF/OVMF_CODE_4M.fd"

static int setup(void **state)
{
	test_err_reset();
	return 0;
}

static struct blob read_blob(const char *path)
{
	struct blob b = { .path = path };
	void *p;

	assert_int_equal(read_file(path, &p, &b.size, 64 << 20), 0);
	b.data = p;
	return b;
}

/* sev-protocol.md 8.1; values read from the file's own table. */
static void test_amdsev_vector(void **state)
{
	const char *path = test_vector_path(OVMF_VECTOR);
	struct fw_info fi;
	const u8 *d;
	size_t dl;
	struct blob b;

	if (!path)
		skip();
	b = read_blob(path);
	assert_int_equal(b.size, 4096);
	assert_int_equal(fw_parse(&b, &fi), 0);
	assert_int_equal(fi.size, 4096);
	assert_int_equal(fi.gpa, 0xfffff000ULL);
	assert_true(fi.has_table);
	assert_true(fi.has_hashes);
	assert_int_equal(fi.hashes_base, 0x80cc00);
	assert_int_equal(fi.hashes_size, 0x400);
	assert_true(fi.has_secret);
	assert_int_equal(fi.secret_base, 0x80c000);
	assert_int_equal(fi.secret_size, 0xc00);
	assert_true(fi.has_es_reset);
	assert_int_equal(fi.es_reset, 0x80b004);
	/* an entry sevm does not interpret: TDX metadata offset */
	assert_int_equal(fw_table_find(b.data, b.size, test_guid_tdx, &d, &dl),
			 0);
	assert_int_equal(dl, 4);
	assert_int_equal(d[0] | d[1] << 8 | d[2] << 16 | d[3] << 24, 0x770);
	assert_ptr_equal(d, b.data + 0xf6e);	/* first byte of the table */
	assert_int_equal(fw_table_find(b.data, b.size, test_guid_hashes, &d,
				       &dl), 0);
	assert_int_equal(dl, 8);
	assert_int_equal(fw_table_find(b.data, b.size, test_guid_footer, &d,
				       &dl), -ENOENT);
	assert_int_equal(test_nr_err, 0);
	test_blob_free(&b);
}

static void test_debian_ovmf(void **state)
{
	struct fw_info fi;
	struct blob b;
	const u8 *d;
	size_t dl;

	if (access(DEBIAN_OVMF, R_OK))
		skip();
	b = read_blob(DEBIAN_OVMF);
	assert_int_equal(fw_parse(&b, &fi), 0);
	assert_true(fi.has_table);
	assert_int_equal(fi.gpa, 0x100000000ULL - b.size);
	/* Debian's build lists the SEV areas, with size 0: absent */
	assert_int_equal(fw_table_find(b.data, b.size, test_guid_hashes, &d,
				       &dl), 0);
	assert_int_equal(dl, 8);
	assert_int_equal(fi.has_hashes, fi.hashes_size != 0);
	assert_int_equal(fw_table_find(b.data, b.size, test_guid_secret, &d,
				       &dl), 0);
	assert_int_equal(fi.has_secret, fi.secret_size != 0);
	assert_true(fi.has_es_reset);
	assert_true(fi.es_reset != 0 && fi.es_reset < fi.gpa);
	assert_int_equal(test_nr_err, 0);
	test_blob_free(&b);
}

static void test_sizes(void **state)
{
	struct blob b = test_blob_alloc("fw.fd", 0);
	struct fw_info fi;

	assert_int_equal(fw_parse(&b, &fi), -EINVAL);
	test_one_err("firmware fw.fd: empty file");
	test_blob_free(&b);

	b = test_blob_alloc("fw.fd", 4097);
	assert_int_equal(fw_parse(&b, &fi), -EINVAL);
	test_one_err("firmware fw.fd: size 4097 is not a multiple of 4096");
	test_blob_free(&b);

	b = test_blob_alloc("fw.fd", BOOT_FIRMWARE_MAX + 4096);
	assert_int_equal(fw_parse(&b, &fi), -EFBIG);
	test_one_err("firmware fw.fd: file too large (16781312 bytes, limit 16777216)");
	test_blob_free(&b);

	/* no footer: a plain ROM, fine */
	b = test_blob_alloc("fw.fd", 8192);
	assert_int_equal(fw_parse(&b, &fi), 0);
	assert_false(fi.has_table);
	assert_false(fi.has_hashes);
	assert_int_equal(fi.gpa, 0xffffe000ULL);
	assert_int_equal(test_nr_err, 0);
	test_blob_free(&b);
}

static void put_area(u8 *d, u32 base, u32 size)
{
	memcpy(d, &base, 4);
	memcpy(d + 4, &size, 4);
}

static void test_crafted_good(void **state)
{
	struct test_fw fw;
	struct fw_info fi;
	u8 area[8], odd[5] = { 1, 2, 3, 4, 5 };
	u32 reset = 0xfffff004;
	const u8 *d;
	size_t dl;

	test_fw_begin(&fw, 0x10000);
	put_area(area, 0x9000, 0x400);
	test_fw_add(&fw, test_guid_hashes, area, 8);
	test_fw_add(&fw, test_guid_tdx, odd, sizeof(odd));
	put_area(area, 0xa000, 0x1000);
	test_fw_add(&fw, test_guid_secret, area, 8);
	test_fw_add(&fw, test_guid_es_reset, &reset, 4);
	test_fw_add(&fw, test_guid_tdx, odd, 0);	/* empty entry */
	test_fw_finish(&fw, 0);
	assert_int_equal(fw_parse(&fw.b, &fi), 0);
	assert_true(fi.has_hashes && fi.has_secret && fi.has_es_reset);
	assert_int_equal(fi.hashes_base, 0x9000);
	assert_int_equal(fi.hashes_size, 0x400);
	assert_int_equal(fi.secret_base, 0xa000);
	assert_int_equal(fi.secret_size, 0x1000);
	assert_int_equal(fi.es_reset, 0xfffff004);
	/* the first match walking back from the footer: the 5-byte one */
	assert_int_equal(fw_table_find(fw.b.data, fw.b.size, test_guid_tdx,
				       &d, &dl), 0);
	assert_int_equal(dl, 5);
	assert_memory_equal(d, odd, 5);
	test_blob_free(&fw.b);

	/* a table with no entries */
	test_fw_begin(&fw, 4096);
	test_fw_finish(&fw, 0);
	assert_int_equal(fw_parse(&fw.b, &fi), 0);
	assert_true(fi.has_table);
	assert_false(fi.has_hashes);
	assert_int_equal(fw_table_find(fw.b.data, fw.b.size, test_guid_tdx,
				       &d, &dl), -ENOENT);
	assert_int_equal(test_nr_err, 0);
	test_blob_free(&fw.b);
}

/* Each crafted table must be refused with one line naming the problem. */
static void expect_bad(struct test_fw *fw, const char *why)
{
	struct fw_info fi;

	assert_int_equal(fw_parse(&fw->b, &fi), -EINVAL);
	test_one_err("firmware fw.fd: malformed GUID footer table: ");
	assert_int_equal(fw_parse(&fw->b, &fi), -EINVAL);
	test_one_err(why);
	test_blob_free(&fw->b);
}

static void expect_find_einval(struct test_fw *fw)
{
	const u8 *d;
	size_t dl;

	assert_int_equal(fw_table_find(fw->b.data, fw->b.size, test_guid_tdx,
				       &d, &dl), -EINVAL);
	assert_int_equal(test_nr_err, 0);	/* fw_table_find is silent */
}

static void test_crafted_lengths(void **state)
{
	struct test_fw fw;
	u8 area[8] = { 0 };

	test_fw_begin(&fw, 4096);		/* table length below 18 */
	test_fw_finish(&fw, 10);
	expect_find_einval(&fw);
	expect_bad(&fw, "table length 10 is smaller than its 18-byte footer");

	test_fw_begin(&fw, 4096);		/* table larger than the image */
	test_fw_finish(&fw, 0xffff);
	expect_find_einval(&fw);
	expect_bad(&fw, "table length 65535 is larger than the image (4096 bytes)");

	test_fw_begin(&fw, 4096);		/* 10 bytes: less than a header */
	fw.pos -= 10;
	test_fw_finish(&fw, 0);
	expect_find_einval(&fw);
	expect_bad(&fw, "truncated entry: 10 bytes left");

	test_fw_begin(&fw, 4096);		/* entry longer than the table */
	test_fw_add(&fw, test_guid_hashes, area, 8);
	memcpy(fw.b.data + fw.table_end - 18, &(u16){ 200 }, 2);
	test_fw_finish(&fw, 0);
	expect_find_einval(&fw);
	expect_bad(&fw, "has length 200 (past the table start)");

	test_fw_begin(&fw, 4096);		/* zero length: no endless loop */
	test_fw_add(&fw, test_guid_tdx, area, 8);
	memcpy(fw.b.data + fw.table_end - 18, &(u16){ 0 }, 2);
	test_fw_finish(&fw, 0);
	expect_find_einval(&fw);
	expect_bad(&fw, "has length 0 (smaller than its 18-byte header)");

	test_fw_begin(&fw, 4096);		/* second entry runs past start */
	test_fw_add(&fw, test_guid_tdx, area, 8);
	test_fw_add(&fw, test_guid_tdx, area, 4);
	memcpy(fw.b.data + fw.table_end - 26 - 18, &(u16){ 23 }, 2);
	test_fw_finish(&fw, 0);
	expect_bad(&fw, "has length 23 (past the table start)");
}

static void test_crafted_entries(void **state)
{
	struct test_fw fw;
	u8 area[8];

	test_fw_begin(&fw, 4096);		/* wrong data size */
	test_fw_add(&fw, test_guid_hashes, area, 4);
	test_fw_finish(&fw, 0);
	expect_bad(&fw, "SEV hashes-table entry has 4 data bytes, expected 8");

	test_fw_begin(&fw, 4096);		/* duplicate */
	put_area(area, 0x9000, 0x400);
	test_fw_add(&fw, test_guid_hashes, area, 8);
	test_fw_add(&fw, test_guid_hashes, area, 8);
	test_fw_finish(&fw, 0);
	expect_bad(&fw, "duplicate SEV hashes-table entry");

	test_fw_begin(&fw, 4096);		/* overlapping areas */
	put_area(area, 0x800000, 0x1000);
	test_fw_add(&fw, test_guid_hashes, area, 8);
	put_area(area, 0x800800, 0x800);
	test_fw_add(&fw, test_guid_secret, area, 8);
	test_fw_finish(&fw, 0);
	expect_bad(&fw, "SEV hashes-table area 0x800000+0x1000 overlaps the secret area 0x800800+0x800");

	test_fw_begin(&fw, 4096);		/* area inside the firmware */
	put_area(area, 0xfffff000, 0x400);
	test_fw_add(&fw, test_guid_secret, area, 8);
	test_fw_finish(&fw, 0);
	expect_bad(&fw, "SEV secret area 0xfffff000+0x400 is not below the firmware");

	test_fw_begin(&fw, 4096);		/* wraps past 4 GiB */
	put_area(area, 0xfffffc00, 0x800);
	test_fw_add(&fw, test_guid_hashes, area, 8);
	test_fw_finish(&fw, 0);
	expect_bad(&fw, "is not below the firmware");
}

static void test_load(void **state)
{
	struct guest_mem mem;
	struct fw_info fi;
	struct test_fw fw;
	u8 area[8], *rom;

	test_fw_begin(&fw, 0x20000);
	put_area(area, 0x9000, 0x400);
	test_fw_add(&fw, test_guid_hashes, area, 8);
	put_area(area, 0x3fff000, 0x1000);
	test_fw_add(&fw, test_guid_secret, area, 8);
	test_fw_finish(&fw, 0);
	assert_int_equal(mem_alloc(&mem, 64 * SZ_1M, false), 0);
	assert_int_equal(fw_load(&mem, &fw.b, &fi), 0);
	assert_int_equal(fi.gpa, 0xfffe0000ULL);
	assert_int_equal(mem.nr_regions, 2);
	assert_int_equal(mem.regions[1].kind, MEM_ROM);
	assert_int_equal(mem.regions[1].gpa, 0xfffe0000ULL);
	rom = mem_gpa_to_hva_any(&mem, 0xfffe0000ULL, 0x20000);
	assert_non_null(rom);
	assert_memory_equal(rom, fw.b.data, 0x20000);
	/* a second firmware cannot be loaded */
	assert_int_equal(fw_load(&mem, &fw.b, &fi), -EBUSY);
	test_one_err("already");
	mem_free(&mem);

	/* the secret area at 64 MiB - 4 KiB is outside a 32 MiB guest */
	assert_int_equal(mem_alloc(&mem, 32 * SZ_1M, false), 0);
	assert_int_equal(fw_load(&mem, &fw.b, &fi), -ENOSPC);
	test_one_err("firmware fw.fd: SEV secret area 0x3fff000+0x1000 is outside guest RAM (32 MiB)");
	assert_int_equal(mem.nr_regions, 1);	/* no ROM mapped */
	mem_free(&mem);
	test_blob_free(&fw.b);

	/* a malformed image never reaches guest memory */
	test_fw_begin(&fw, 4096);
	test_fw_finish(&fw, 3);
	assert_int_equal(mem_alloc(&mem, 32 * SZ_1M, false), 0);
	assert_int_equal(fw_load(&mem, &fw.b, &fi), -EINVAL);
	test_one_err("malformed");
	assert_int_equal(mem.nr_regions, 1);
	mem_free(&mem);
	test_blob_free(&fw.b);
}

/* Load a pattern image of size bytes into a fresh 64 MiB guest. */
static void load_pattern(struct guest_mem *mem, struct blob *b, size_t size)
{
	struct fw_info fi;

	*b = test_blob_alloc("bios.bin", size);
	test_pattern(b->data, size, 7);
	assert_int_equal(mem_alloc(mem, 64 * SZ_1M, false), 0);
	assert_int_equal(fw_load(mem, b, &fi), 0);
	assert_memory_equal(mem_gpa_to_hva_any(mem, SZ_4G - size, size),
			    b->data, size);
}

static void test_bios_alias(void **state)
{
	u8 *alias, zero[0x20000] = { 0 };
	struct sevm_e820 e820[16];
	struct guest_mem mem;
	struct blob b;
	int n, i;

	/* 128 KiB: the whole image at 0xe0000-0xfffff as well */
	load_pattern(&mem, &b, 0x20000);
	alias = mem_gpa_to_hva(&mem, 0xe0000, 0x20000);
	assert_non_null(alias);
	assert_memory_equal(alias, b.data, 0x20000);
	/* the range stays reserved in the e820 map */
	n = mem_e820(&mem, e820, 16);
	for (i = 0; i < n; i++)
		if (e820[i].addr <= 0xe0000 &&
		    e820[i].addr + e820[i].size >= 0x100000)
			break;
	assert_true(i < n);
	assert_int_equal(e820[i].type, E820_RESERVED);
	mem_free(&mem);
	test_blob_free(&b);

	/* 256 KiB: its last 128 KiB, which hold the reset vector */
	load_pattern(&mem, &b, 0x40000);
	alias = mem_gpa_to_hva(&mem, 0xe0000, 0x20000);
	assert_memory_equal(alias, b.data + 0x20000, 0x20000);
	assert_memory_equal(alias + 0x1fff0, b.data + 0x3fff0, 16);
	assert_int_equal(*(u8 *)mem_gpa_to_hva(&mem, 0xdffff, 1), 0);
	mem_free(&mem);
	test_blob_free(&b);

	/* smaller images (our 48 KiB firmware): no alias, RAM untouched */
	load_pattern(&mem, &b, 0x1f000);
	assert_memory_equal(mem_gpa_to_hva(&mem, 0xe0000, 0x20000), zero,
			    sizeof(zero));
	mem_free(&mem);
	test_blob_free(&b);
	load_pattern(&mem, &b, 48 * 1024);
	assert_memory_equal(mem_gpa_to_hva(&mem, 0xe0000, 0x20000), zero,
			    sizeof(zero));
	mem_free(&mem);
	test_blob_free(&b);
}

/* A (hand-made) guest whose low RAM ends below 1 MiB gets no ROM. */
static void test_bios_alias_no_ram(void **state)
{
	struct guest_mem mem = { .memfd = -1, .nr_regions = 1 };
	struct fw_info fi;
	struct blob b = test_blob_alloc("bios.bin", 0x20000);

	mem.regions[0] = (struct mem_region){ .kind = MEM_RAM,
					      .size = 0x80000 };
	assert_int_equal(fw_load(&mem, &b, &fi), -ENOSPC);
	test_one_err("firmware bios.bin: BIOS alias 0xe0000+0x20000 is outside guest RAM");
	assert_int_equal(mem.nr_regions, 1);
	test_blob_free(&b);
}

static void test_load_vector(void **state)
{
	const char *path = test_vector_path(OVMF_VECTOR);
	struct guest_mem mem;
	struct fw_info fi;
	struct blob b;

	if (!path)
		skip();
	b = read_blob(path);
	assert_int_equal(mem_alloc(&mem, 16 * SZ_1M, false), 0);
	assert_int_equal(fw_load(&mem, &b, &fi), 0);
	/* the reset vector: the image's last 16 bytes at 0xfffffff0 */
	assert_memory_equal(mem_gpa_to_hva_any(&mem, 0xfffffff0ULL, 16),
			    b.data + 4096 - 16, 16);
	mem_free(&mem);
	/* its areas at 8 MiB and up do not exist in a 4 MiB guest */
	assert_int_equal(mem_alloc(&mem, 4 * SZ_1M, false), 0);
	assert_int_equal(fw_load(&mem, &b, &fi), -ENOSPC);
	test_one_err("SEV hashes-table area 0x80cc00+0x400 is outside guest RAM");
	mem_free(&mem);
	test_blob_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_amdsev_vector, setup),
		cmocka_unit_test_setup(test_debian_ovmf, setup),
		cmocka_unit_test_setup(test_sizes, setup),
		cmocka_unit_test_setup(test_crafted_good, setup),
		cmocka_unit_test_setup(test_crafted_lengths, setup),
		cmocka_unit_test_setup(test_crafted_entries, setup),
		cmocka_unit_test_setup(test_load, setup),
		cmocka_unit_test_setup(test_bios_alias, setup),
		cmocka_unit_test_setup(test_bios_alias_no_ram, setup),
		cmocka_unit_test_setup(test_load_vector, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
