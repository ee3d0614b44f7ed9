// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of vmm/boot-pvh.c with ELF files written by hand: ELF64 and
 * ELF32 kernels with a Xen PHYS32_ENTRY note, every rejection (truncated
 * headers, program headers or segments past the file, p_filesz >
 * p_memsz, missing or malformed note, segments in the low 1 MiB, above
 * 4 GiB, overlapping, wrong machine), and a load checked byte by byte:
 * segments and bss, hvm_start_info, module list, memory map, GDT.
 */
#include <elf.h>
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

#define FILE_SIZE	0x3000
#define NOTE_OFF	0x200
#define SEG_OFF		0x1000
#define SEG_FILESZ	0x2000
#define SEG_MEMSZ	0x3000
#define SEG_PADDR	0x1000000ULL
#define ENTRY		(SEG_PADDR + 0x10)

/* Notes: an unrelated GNU note, then Xen PHYS32_ENTRY. Returns the size. */
static size_t put_notes(u8 *n, u64 entry, u32 desc_size)
{
	const u32 gnu[3] = { 4, 4, 3 }, xen[3] = { 4, desc_size, 18 };

	memcpy(n, gnu, 12);
	memcpy(n + 12, "GNU\0abcd", 8);
	memcpy(n + 20, xen, 12);
	memcpy(n + 32, "Xen\0", 4);
	memcpy(n + 36, &entry, desc_size);
	return 36 + ALIGN_UP((size_t)desc_size, 4);
}

static void ident(u8 *id, int cls)
{
	memcpy(id, ELFMAG, SELFMAG);
	id[EI_CLASS] = (u8)cls;
	id[EI_DATA] = ELFDATA2LSB;
	id[EI_VERSION] = EV_CURRENT;
}

static Elf64_Ehdr *eh64(struct blob *b)
{
	return (Elf64_Ehdr *)b->data;
}

static Elf64_Phdr *ph64(struct blob *b)
{
	return (Elf64_Phdr *)(b->data + 64);
}

static struct blob elf64(void)
{
	struct blob b = test_blob_alloc("k.elf", FILE_SIZE);
	Elf64_Ehdr *eh = eh64(&b);
	Elf64_Phdr *ph = ph64(&b);
	size_t nl = put_notes(b.data + NOTE_OFF, ENTRY, 8);

	ident(eh->e_ident, ELFCLASS64);
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = 0xffffffff81000000ULL;
	eh->e_phoff = 64;
	eh->e_ehsize = 64;
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = 2;
	ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X,
			      .p_offset = SEG_OFF,
			      .p_vaddr = 0xffffffff81000000ULL,
			      .p_paddr = SEG_PADDR, .p_filesz = SEG_FILESZ,
			      .p_memsz = SEG_MEMSZ, .p_align = 0x1000 };
	ph[1] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_flags = PF_R,
			      .p_offset = NOTE_OFF, .p_filesz = nl,
			      .p_memsz = nl, .p_align = 4 };
	test_pattern(b.data + SEG_OFF, SEG_FILESZ, 0x33);
	return b;
}

static struct blob elf32(void)
{
	struct blob b = test_blob_alloc("k32.elf", FILE_SIZE);
	Elf32_Ehdr *eh = (Elf32_Ehdr *)b.data;
	Elf32_Phdr *ph = (Elf32_Phdr *)(b.data + 52);
	size_t nl = put_notes(b.data + NOTE_OFF, ENTRY + 4, 4);

	ident(eh->e_ident, ELFCLASS32);
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_386;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = 52;
	eh->e_ehsize = 52;
	eh->e_phentsize = sizeof(Elf32_Phdr);
	eh->e_phnum = 2;
	ph[0] = (Elf32_Phdr){ .p_type = PT_LOAD, .p_offset = SEG_OFF,
			      .p_paddr = SEG_PADDR, .p_filesz = SEG_FILESZ,
			      .p_memsz = SEG_MEMSZ, .p_align = 0x1000 };
	ph[1] = (Elf32_Phdr){ .p_type = PT_NOTE, .p_offset = NOTE_OFF,
			      .p_filesz = (u32)nl, .p_memsz = (u32)nl,
			      .p_align = 4 };
	test_pattern(b.data + SEG_OFF, SEG_FILESZ, 0x44);
	return b;
}

static void test_parse_ok(void **state)
{
	struct blob k = elf64(), k32 = elf32(), bz = test_bzimage(512, 4096);
	u64 entry = 0;

	assert_true(pvh_is_elf(&k));
	assert_true(pvh_is_elf(&k32));
	assert_false(pvh_is_elf(&bz));
	k.size = 3;
	assert_false(pvh_is_elf(&k));
	k.size = FILE_SIZE;
	assert_int_equal(pvh_parse(&k, &entry), 0);
	assert_int_equal(entry, ENTRY);
	assert_int_equal(pvh_parse(&k32, &entry), 0);
	assert_int_equal(entry, ENTRY + 4);
	/* a segment with p_memsz 0 is ignored; bss-only segments are fine */
	ph64(&k)[0].p_filesz = 0x20;
	assert_int_equal(pvh_parse(&k, &entry), 0);
	assert_int_equal(test_nr_err, 0);
	test_blob_free(&k);
	test_blob_free(&k32);
	test_blob_free(&bz);
}

static void expect_bad(struct blob *k, const char *why)
{
	u64 entry;

	assert_int_equal(pvh_parse(k, &entry), -EINVAL);
	test_one_err("kernel k.elf: bad PVH ELF: ");
	assert_int_equal(pvh_parse(k, &entry), -EINVAL);
	test_one_err(why);
	test_blob_free(k);
}

static void test_reject_headers(void **state)
{
	struct blob k;

	k = elf64();
	k.size = 40;
	expect_bad(&k, "truncated ELF header");

	k = elf64();
	k.size = 60;			/* an ELF32 header's worth only */
	expect_bad(&k, "truncated ELF header");

	k = elf64();
	eh64(&k)->e_phoff = FILE_SIZE - 20;
	expect_bad(&k, "program headers missing or past the end of the file");

	k = elf64();
	eh64(&k)->e_phoff = UINT64_MAX - 8;
	expect_bad(&k, "program headers missing or past the end of the file");

	k = elf64();
	eh64(&k)->e_phnum = 0;
	expect_bad(&k, "program headers missing");

	k = elf64();
	eh64(&k)->e_phentsize = 32;
	expect_bad(&k, "program headers missing");

	k = elf64();
	eh64(&k)->e_machine = EM_AARCH64;
	expect_bad(&k, "not an x86 ELF32/ELF64 file");

	k = elf32();
	k.path = "k.elf";
	((Elf32_Ehdr *)k.data)->e_machine = EM_X86_64;	/* class mismatch */
	expect_bad(&k, "not an x86");

	k = elf64();
	eh64(&k)->e_type = ET_DYN;
	expect_bad(&k, "not a little-endian executable");

	k = elf64();
	k.data[EI_DATA] = ELFDATA2MSB;
	expect_bad(&k, "");
}

static void test_reject_segments(void **state)
{
	struct blob k;

	k = elf64();
	ph64(&k)[0].p_filesz = SEG_MEMSZ;	/* 0x1000 + 0x3000 > file */
	expect_bad(&k, "PT_LOAD segment at 0x1000000 runs past the end of the file");

	k = elf64();
	ph64(&k)[0].p_offset = UINT64_MAX - 0x100;
	expect_bad(&k, "PT_LOAD segment at 0x1000000 runs past the end of the file");

	k = elf64();
	ph64(&k)[0].p_memsz = SEG_FILESZ - 1;
	expect_bad(&k, "PT_LOAD segment at 0x1000000 with p_filesz > p_memsz");

	k = elf64();
	ph64(&k)[0].p_paddr = 0x8000;		/* over the zero page */
	expect_bad(&k, "PT_LOAD segment 0x8000+0x3000 outside 1 MiB..4 GiB");

	k = elf64();
	ph64(&k)[0].p_paddr = 0xfffff000ULL;	/* ends past 4 GiB */
	expect_bad(&k, "outside 1 MiB..4 GiB");

	k = elf64();
	ph64(&k)[0].p_paddr = UINT64_MAX - 0x1000;	/* wraps */
	expect_bad(&k, "outside 1 MiB..4 GiB");

	k = elf64();				/* two overlapping segments */
	eh64(&k)->e_phnum = 3;
	ph64(&k)[2] = ph64(&k)[0];
	ph64(&k)[2].p_paddr += SEG_MEMSZ - 1;
	expect_bad(&k, "PT_LOAD segments at 0x1000000 and 0x1002fff overlap");

	k = elf64();				/* no PT_LOAD at all */
	ph64(&k)[0].p_type = PT_NULL;
	expect_bad(&k, "PVH entry point 0x1000010 is outside every loaded segment");
}

static void test_reject_notes(void **state)
{
	struct blob k;

	k = elf64();				/* only the PT_LOAD */
	eh64(&k)->e_phnum = 1;
	expect_bad(&k, "no PVH entry point (no Xen PHYS32_ENTRY note, type 18)");

	k = elf64();				/* a note of another owner */
	memcpy(k.data + NOTE_OFF + 32, "Xex", 4);
	expect_bad(&k, "no PVH entry point");

	k = elf64();
	ph64(&k)[1].p_offset = FILE_SIZE - 8;
	expect_bad(&k, "PT_NOTE segment runs past the end of the file");

	k = elf64();
	put_notes(k.data + NOTE_OFF, ENTRY, 2);
	expect_bad(&k, "PHYS32_ENTRY note of 2 bytes, not 4 or 8");

	k = elf64();				/* the note twice */
	eh64(&k)->e_phnum = 3;
	ph64(&k)[2] = ph64(&k)[1];
	expect_bad(&k, "more than one PHYS32_ENTRY note");

	k = elf64();
	put_notes(k.data + NOTE_OFF, 0x5000000, 8);
	expect_bad(&k, "PVH entry point 0x5000000 is outside every loaded segment");

	k = elf64();				/* entry in the bss */
	put_notes(k.data + NOTE_OFF, SEG_PADDR + SEG_FILESZ, 8);
	expect_bad(&k, "outside every loaded segment");
}

static void check_memmap(void)
{
	static const u64 want[6][3] = {
		{ 0, 0x9000, 1 }, { 0x9000, 0x2000, 2 },
		{ 0xb000, 0x9fc00 - 0xb000, 1 },
		{ 0x9fc00, 0x100000 - 0x9fc00, 2 },
		{ 0x100000, 63 * SZ_1M, 1 },
		{ 0xb0000000, 0x10000000, 2 },		/* ECAM */
	};

	for (int i = 0; i < 6; i++) {
		u64 e = 0x7080 + 24 * i;

		assert_int_equal(test_rd64(e), want[i][0]);
		assert_int_equal(test_rd64(e + 8), want[i][1]);
		assert_int_equal(test_rd32(e + 16), want[i][2]);
		assert_int_equal(test_rd32(e + 20), 0);
	}
	assert_int_equal(test_rd64(0x7080 + 24 * 6), 0);
}

static void test_load(void **state)
{
	struct boot_images img = { .cmdline = "console=hvc0" };
	u64 rd_at = ALIGN_DOWN(64 * SZ_1M - 5000, 4096);
	struct boot_entry entry;

	img.kernel = elf64();
	img.initrd = test_blob_alloc("rd.img", 5000);
	test_pattern(img.initrd.data, 5000, 7);
	memset(test_gpa(SEG_PADDR, 0x4000), 0xaa, 0x4000);	/* stale RAM */
	memset(test_gpa(0x7000, 4096), 0xbb, 4096);
	assert_int_equal(pvh_load(&test_mem, &img, &entry), 0);
	assert_int_equal(test_nr_err, 0);
	assert_int_equal(entry.mode, BOOT_PVH);
	assert_int_equal(entry.rip, ENTRY);
	assert_int_equal(entry.boot_params, 0x7000);
	assert_int_equal(entry.cr3, 0);
	assert_int_equal(entry.gdt, 0x500);
	/* segment, zeroed bss, untouched beyond p_memsz */
	assert_memory_equal(test_gpa(SEG_PADDR, SEG_FILESZ), img.kernel.data +
			    SEG_OFF, SEG_FILESZ);
	for (u64 i = SEG_FILESZ; i < SEG_MEMSZ; i++)
		assert_int_equal(*test_gpa(SEG_PADDR + i, 1), 0);
	assert_int_equal(*test_gpa(SEG_PADDR + SEG_MEMSZ, 1), 0xaa);
	/* hvm_start_info */
	assert_int_equal(test_rd32(0x7000), 0x336ec578);
	assert_int_equal(test_rd32(0x7004), 1);		/* version */
	assert_int_equal(test_rd32(0x7008), 0);		/* flags */
	assert_int_equal(test_rd32(0x700c), 1);		/* nr_modules */
	assert_int_equal(test_rd64(0x7010), 0x7040);		/* modlist_paddr */
	assert_int_equal(test_rd64(0x7018), 0x20000);	/* cmdline_paddr */
	assert_int_equal(test_rd64(0x7020), 0);		/* rsdp_paddr */
	assert_int_equal(test_rd64(0x7028), 0x7080);		/* memmap_paddr */
	assert_int_equal(test_rd32(0x7030), 6);		/* memmap_entries */
	assert_int_equal(test_rd32(0x7034), 0);
	assert_int_equal(test_rd64(0x7040), rd_at);		/* module 0 */
	assert_int_equal(test_rd64(0x7048), 5000);
	assert_int_equal(test_rd64(0x7050), 0);
	assert_int_equal(test_rd64(0x7058), 0);
	check_memmap();
	assert_int_equal(*test_gpa(0x7fff, 1), 0);		/* page cleared */
	assert_memory_equal(test_gpa(rd_at, 5000), img.initrd.data, 5000);
	assert_string_equal((const char *)test_gpa(0x20000, 13), "console=hvc0");
	assert_int_equal(test_rd64(0x510), 0x00cf9b000000ffffULL);	/* 32-bit CS */
	assert_int_equal(test_rd64(0x518), 0x00cf93000000ffffULL);
	test_blob_free(&img.kernel);
	test_blob_free(&img.initrd);
}

static void test_load_elf32_no_initrd(void **state)
{
	struct boot_images img = { .acpi_rsdp = 0xe0000 };
	struct boot_entry entry;

	img.kernel = elf32();
	assert_int_equal(pvh_load(&test_mem, &img, &entry), 0);
	assert_int_equal(entry.rip, ENTRY + 4);
	assert_memory_equal(test_gpa(SEG_PADDR, SEG_FILESZ), img.kernel.data +
			    SEG_OFF, SEG_FILESZ);
	assert_int_equal(test_rd32(0x700c), 0);		/* no modules */
	assert_int_equal(test_rd64(0x7010), 0);
	assert_int_equal(test_rd64(0x7020), 0xe0000);	/* rsdp_paddr */
	assert_int_equal(*test_gpa(0x20000, 1), 0);		/* "" */
	test_blob_free(&img.kernel);
}

static void test_load_no_room(void **state)
{
	struct boot_images img = { 0 };
	struct boot_entry entry;
	u64 e;

	/* valid ELF, but its segment lies beyond 64 MiB of RAM */
	img.kernel = elf64();
	ph64(&img.kernel)[0].p_paddr = 0x5000000;
	put_notes(img.kernel.data + NOTE_OFF, 0x5000010, 8);
	assert_int_equal(pvh_parse(&img.kernel, &e), 0);
	assert_int_equal(pvh_load(&test_mem, &img, &entry), -ENOSPC);
	test_one_err("kernel k.elf: PVH ELF segment 0x5000000-0x5003000 is outside guest RAM (64 MiB)");
	test_blob_free(&img.kernel);

	/* an initrd that fits neither above nor below the kernel */
	img.kernel = elf64();
	img.initrd = test_blob_alloc("rd.img", 50 * SZ_1M);
	assert_int_equal(pvh_load(&test_mem, &img, &entry), -ENOSPC);
	test_one_err("initrd rd.img: does not fit in guest RAM");
	test_blob_free(&img.initrd);

	/* a malformed ELF never touches guest memory */
	eh64(&img.kernel)->e_phnum = 1;
	*test_gpa(SEG_PADDR, 1) = 0x5a;
	assert_int_equal(pvh_load(&test_mem, &img, &entry), -EINVAL);
	test_one_err("no PVH entry point");
	assert_int_equal(*test_gpa(SEG_PADDR, 1), 0x5a);
	test_blob_free(&img.kernel);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_parse_ok, test_mem_setup,
						test_mem_teardown),
		cmocka_unit_test_setup_teardown(test_reject_headers, test_mem_setup,
						test_mem_teardown),
		cmocka_unit_test_setup_teardown(test_reject_segments, test_mem_setup,
						test_mem_teardown),
		cmocka_unit_test_setup_teardown(test_reject_notes, test_mem_setup,
						test_mem_teardown),
		cmocka_unit_test_setup_teardown(test_load, test_mem_setup,
						test_mem_teardown),
		cmocka_unit_test_setup_teardown(test_load_elf32_no_initrd,
						test_mem_setup, test_mem_teardown),
		cmocka_unit_test_setup_teardown(test_load_no_room, test_mem_setup,
						test_mem_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
