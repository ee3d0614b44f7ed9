// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of vmm/boot.c: reading the image files (missing, too large,
 * not regular), boot_check's rules, boot_load's dispatch, and the
 * firmware + kernel hand-off checked byte by byte: the kernel file and
 * initrd staged at the top of low RAM, the command line, the e820 map
 * and struct sevm_handoff at LAYOUT_HANDOFF, plus the cases that do not
 * fit.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/unit/boot-test.h"

static char dir[64];
static char path_fw[128], path_k[128], path_rd[128], path_big[128];

static void write_test_file(const char *path, const void *p, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write_all(fd, p, len), 0);
	close(fd);
}

static int group_setup(void **state)
{
	struct blob k = test_bzimage(4096, 0x100000);
	u8 fw[4096] = { 0 }, rd[3000];

	snprintf(dir, sizeof(dir), "/tmp/sevm-test-handoff.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path_fw, sizeof(path_fw), "%s/fw.fd", dir);
	snprintf(path_k, sizeof(path_k), "%s/bzImage", dir);
	snprintf(path_rd, sizeof(path_rd), "%s/initrd", dir);
	snprintf(path_big, sizeof(path_big), "%s/big", dir);
	test_pattern(rd, sizeof(rd), 9);
	write_test_file(path_fw, fw, sizeof(fw));
	write_test_file(path_k, k.data, k.size);
	write_test_file(path_rd, rd, sizeof(rd));
	test_blob_free(&k);
	return 0;
}

static int group_teardown(void **state)
{
	unlink(path_fw);
	unlink(path_k);
	unlink(path_rd);
	unlink(path_big);
	rmdir(dir);
	return 0;
}

static int setup(void **state)
{
	test_err_reset();
	return 0;
}

/* ---- boot_read_images */
static void test_read_ok(void **state)
{
	struct boot_images img;

	assert_int_equal(boot_read_images(&img, path_fw, path_k, path_rd,
					  "console=ttyS0"), 0);
	assert_int_equal(img.firmware.size, 4096);
	assert_string_equal(img.firmware.path, path_fw);
	assert_int_equal(img.kernel.size, 2560 + 4096);
	assert_memory_equal(img.kernel.data + 0x202, "HdrS", 4);
	assert_int_equal(img.initrd.size, 3000);
	assert_string_equal(img.cmdline, "console=ttyS0");
	assert_int_equal(boot_check(&img, NULL), 0);
	boot_free_images(&img);
	assert_null(img.kernel.data);
	assert_int_equal(img.kernel.size, 0);

	assert_int_equal(boot_read_images(&img, path_fw, NULL, NULL, NULL), 0);
	assert_null(img.kernel.path);
	assert_int_equal(img.kernel.size, 0);
	assert_null(img.cmdline);
	boot_free_images(&img);
	assert_int_equal(test_nr_err, 0);
}

static void test_read_errors(void **state)
{
	struct boot_images img;
	char *cmd;
	int fd;

	assert_int_equal(boot_read_images(&img, NULL, "/nonexistent/bzImage",
					  NULL, NULL), -ENOENT);
	test_one_err("kernel /nonexistent/bzImage: No such file or directory");
	assert_null(img.firmware.data);

	assert_int_equal(boot_read_images(&img, path_fw, path_k, dir, NULL),
			 -EISDIR);
	test_one_err("initrd /tmp/sevm-test-handoff.");
	assert_null(img.kernel.data);		/* freed on failure */

	assert_int_equal(boot_read_images(&img, "/dev/null", NULL, NULL, NULL),
			 -EINVAL);
	test_one_err("firmware /dev/null: not a regular file");

	/* sparse files just over the limits: nothing is read */
	fd = open(path_big, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)BOOT_INITRD_MAX + 1), 0);
	close(fd);
	assert_int_equal(boot_read_images(&img, NULL, path_k, path_big, NULL),
			 -EFBIG);
	test_one_err("/big: file too large (2147483649 bytes, limit 2147483648)");
	assert_int_equal(boot_read_images(&img, path_big, NULL, NULL, NULL),
			 -EFBIG);
	test_one_err("firmware ");

	cmd = malloc(LAYOUT_CMDLINE_MAX + 1);
	assert_non_null(cmd);
	memset(cmd, 'a', LAYOUT_CMDLINE_MAX);
	cmd[LAYOUT_CMDLINE_MAX] = '\0';
	assert_int_equal(boot_read_images(&img, NULL, path_k, NULL, cmd),
			 -EFBIG);
	test_one_err("kernel command line: too long (65537 bytes with the NUL, limit 65536)");
	assert_null(img.kernel.data);
	free(cmd);
}

/* ---- boot_check */
static void test_check_rules(void **state)
{
	struct blob fw = test_blob_alloc("fw.fd", 4096);
	struct blob k = test_bzimage(4096, 0x100000);
	struct blob rd = test_blob_alloc("rd", 100);
	struct boot_images img = { 0 };
	struct fw_info fi;

	assert_int_equal(boot_check(&img, &fi), -EINVAL);
	test_one_err("nothing to boot");
	img.initrd = rd;
	img.firmware = fw;
	assert_int_equal(boot_check(&img, &fi), -EINVAL);
	test_one_err("initrd rd: given without a kernel");
	img.initrd = (struct blob){ 0 };
	img.cmdline = "quiet";
	assert_int_equal(boot_check(&img, &fi), -EINVAL);
	test_one_err("kernel command line \"quiet\": given without a kernel");
	img.cmdline = NULL;
	assert_int_equal(boot_check(&img, &fi), 0);	/* firmware only */
	assert_int_equal(fi.size, 4096);
	img.kernel = k;
	img.initrd = (struct blob){ .path = "empty", .data = rd.data };
	assert_int_equal(boot_check(&img, &fi), -EINVAL);
	test_one_err("initrd empty: empty file");
	img.initrd = rd;
	img.cmdline = "root=/dev/vda";
	assert_int_equal(boot_check(&img, &fi), 0);
	img.firmware = (struct blob){ 0 };		/* direct boot */
#ifdef CONFIG_BOOT_BZIMAGE
	assert_int_equal(boot_check(&img, NULL), 0);
#else
	assert_int_equal(boot_check(&img, NULL), -ENOSYS);
	test_one_err("kernel k.bz: bzImage support not built (CONFIG_BOOT_BZIMAGE)");
#endif
	assert_int_equal(test_nr_err, 0);
	test_blob_free(&fw);
	test_blob_free(&k);
	test_blob_free(&rd);
}

static void test_check_images(void **state)
{
	struct blob fw = test_blob_alloc("fw.fd", 4097);
	struct blob k = test_bzimage(4096, 0x100000);
	struct boot_images img = { .firmware = fw, .kernel = k };
	struct fw_info fi;
	char cmd[40];

	assert_int_equal(boot_check(&img, &fi), -EINVAL);	/* bad fw */
	test_one_err("firmware fw.fd: size 4097");
	img.firmware.size = 4096;
#ifdef CONFIG_BOOT_BZIMAGE
	test_bz_hdr(&img.kernel)->version = 0x0206;
	assert_int_equal(boot_check(&img, &fi), -EINVAL);
	test_one_err("kernel k.bz: boot protocol 2.06 too old");
	test_bz_hdr(&img.kernel)->version = 0x020c;
	/* the kernel's cmdline_size limits the command line */
	test_bz_hdr(&img.kernel)->cmdline_size = 31;
	memset(cmd, 'c', sizeof(cmd));
	cmd[32] = '\0';
	img.cmdline = cmd;
	assert_int_equal(boot_check(&img, &fi), -EFBIG);
	test_one_err("kernel command line: too long (33 bytes with the NUL, limit 32 of the kernel)");
	cmd[31] = '\0';
#else
	/* with a firmware, which checks the bzImage itself: accepted */
	test_bz_hdr(&img.kernel)->version = 0x0206;
	memset(cmd, 'c', sizeof(cmd));
	cmd[39] = '\0';
	img.cmdline = cmd;
#endif
	assert_int_equal(boot_check(&img, &fi), 0);
	/* a PVH ELF goes only without a firmware */
	memcpy(img.kernel.data, "\177ELF", 4);
	assert_int_equal(boot_check(&img, &fi), -EINVAL);
	test_one_err("kernel k.bz: a PVH ELF kernel needs direct boot");
	img.firmware = (struct blob){ 0 };
#ifdef CONFIG_BOOT_PVH
	assert_int_equal(boot_check(&img, &fi), -EINVAL);
	test_one_err("kernel k.bz: bad PVH ELF");
#else
	assert_int_equal(boot_check(&img, &fi), -ENOSYS);
	test_one_err("PVH support not built (CONFIG_BOOT_PVH)");
#endif
	test_blob_free(&fw);
	test_blob_free(&k);
}

/* ---- boot_load and the hand-off */
static struct guest_mem mem;

static int mem_setup(void **state)
{
	test_err_reset();
	return mem_alloc(&mem, 256 * SZ_1M, false);
}

static int mem_teardown(void **state)
{
	mem_free(&mem);
	return 0;
}

static u8 *gpa(u64 addr, u64 len)
{
	u8 *p = mem_gpa_to_hva(&mem, addr, len);

	assert_non_null(p);
	return p;
}

static void read_handoff(struct sevm_handoff *ho)
{
	memcpy(ho, gpa(LAYOUT_HANDOFF, sizeof(*ho)), sizeof(*ho));
	assert_int_equal(ho->magic, 0x46464f484d564553ULL);
	assert_memory_equal(gpa(LAYOUT_HANDOFF, 8), "SEVMHOFF", 8);
	assert_int_equal(ho->version, 1);
	assert_int_equal(ho->size, 72 + 20 * 32);
	assert_int_equal(ho->flags, 0);
}

static void check_e820(const struct sevm_handoff *ho, u64 low)
{
	struct sevm_e820 want[6] = {
		{ 0, 0x9000, 1 }, { 0x9000, 0x2000, 2 },
		{ 0xb000, 0x9fc00 - 0xb000, 1 },
		{ 0x9fc00, 0x100000 - 0x9fc00, 2 },
		{ 0x100000, low - 0x100000, 1 },
		{ 0xb0000000, 0x10000000, 2 },		/* ECAM */
	};

	assert_int_equal(ho->nr_e820, 6);
	assert_memory_equal(ho->e820, want, sizeof(want));
	for (size_t i = 6 * sizeof(struct sevm_e820); i < sizeof(ho->e820);
	     i++)
		assert_int_equal(((const u8 *)ho->e820)[i], 0);
}

static void test_load_firmware_only(void **state)
{
	struct blob fw = test_blob_alloc("fw.fd", 8192);
	struct boot_images img = { .firmware = fw };
	struct boot_entry entry;
	struct fw_info fi;

	test_pattern(fw.data, fw.size, 1);
	assert_int_equal(boot_load(&mem, &img, &fi, &entry), 0);
	assert_int_equal(entry.mode, BOOT_RESET);
	assert_int_equal(entry.rip, 0xfffffff0ULL);
	assert_int_equal(fi.gpa, 0xffffe000ULL);
	assert_memory_equal(mem_gpa_to_hva_any(&mem, 0xffffe000ULL, 8192),
			    fw.data, 8192);
	assert_int_equal(*gpa(LAYOUT_HANDOFF, 1), 0);	/* no hand-off */
	test_blob_free(&fw);
}

static void test_load_direct(void **state)
{
	struct boot_images img = { .cmdline = "quiet" };
	struct boot_entry entry;

	img.kernel = test_bzimage(4096, 0x100000);
#ifdef CONFIG_BOOT_BZIMAGE
	assert_int_equal(boot_load(&mem, &img, NULL, &entry), 0);
	assert_int_equal(entry.mode, BOOT_LINUX64);
	assert_int_equal(entry.rip, 0x100200);
	assert_int_equal(mem.nr_regions, 1);		/* no ROM */
#else
	assert_int_equal(boot_load(&mem, &img, NULL, &entry), -ENOSYS);
	test_one_err("kernel k.bz: bzImage support not built (CONFIG_BOOT_BZIMAGE)");
#endif
	test_blob_free(&img.kernel);
	img.kernel = (struct blob){ 0 };
	assert_int_equal(boot_load(&mem, &img, NULL, &entry), -EINVAL);
	test_one_err("nothing to boot");
}

static void test_handoff(void **state)
{
	struct blob fw = test_blob_alloc("fw.fd", 4096);
	struct boot_images img = { .firmware = fw, .cmdline = "root=/dev/vda" };
	const u64 low = 256 * SZ_1M;
	struct sevm_handoff ho;
	struct boot_entry entry;
	struct fw_info fi;
	u64 rd_at = low - SZ_2M;

	img.kernel = test_bzimage(2 * SZ_1M, 0x800000);	/* 2 MiB + setup */
	img.initrd = test_blob_alloc("rd", 5000);
	test_pattern(img.initrd.data, 5000, 5);
	assert_int_equal(boot_load(&mem, &img, &fi, &entry), 0);
	assert_int_equal(test_nr_err, 0);
	assert_int_equal(entry.mode, BOOT_RESET);
	assert_int_equal(entry.rip, 0xfffffff0ULL);
	read_handoff(&ho);
	assert_int_equal(ho.initrd_addr, rd_at);	/* highest, 2 MiB */
	assert_int_equal(ho.initrd_size, 5000);
	assert_int_equal(ho.kernel_addr, rd_at - 4 * SZ_1M);
	assert_int_equal(ho.kernel_size, 2 * SZ_1M + 2560);
	assert_int_equal(ho.cmdline_addr, 0x20000);
	assert_int_equal(ho.cmdline_size, 14);
	check_e820(&ho, low);
	/* the file exactly as given: no header patched */
	assert_memory_equal(gpa(ho.kernel_addr, ho.kernel_size),
			    img.kernel.data, img.kernel.size);
	assert_memory_equal(gpa(rd_at, 5000), img.initrd.data, 5000);
	assert_memory_equal(gpa(0x20000, 14), "root=/dev/vda", 14);
	assert_int_equal(*gpa(0x7000 + 0x210, 1), 0);	/* no zero page */
	test_blob_free(&img.kernel);
	test_blob_free(&img.initrd);
	test_blob_free(&fw);
}

static void test_handoff_minimal(void **state)
{
	struct boot_images img = { 0 };
	struct sevm_handoff ho;
	const u64 ksize = 2560 + 4096;

	img.kernel = test_bzimage(4096, 0x100000);
	memset(gpa(0x20000, 16), 0xee, 16);
	assert_int_equal(handoff_load(&mem, &img), 0);
	read_handoff(&ho);
	assert_int_equal(ho.initrd_addr, 0);
	assert_int_equal(ho.initrd_size, 0);
	assert_int_equal(ho.kernel_addr, ALIGN_DOWN(256 * SZ_1M - ksize,
						    SZ_2M));
	assert_int_equal(ho.kernel_size, ksize);
	assert_int_equal(ho.cmdline_size, 1);		/* "" */
	assert_int_equal(*gpa(0x20000, 1), 0);
	test_blob_free(&img.kernel);
}

static void test_handoff_high_ram(void **state)
{
	struct boot_images img = { 0 };
	struct sevm_handoff ho;
	struct guest_mem big;

	/* 3 GiB: low RAM ends at 2 GiB, the rest is above 4 GiB */
	assert_int_equal(mem_alloc(&big, 3 * SZ_1G, false), 0);
	img.kernel = test_bzimage(4096, 0x100000);
	assert_int_equal(handoff_load(&big, &img), 0);
	memcpy(&ho, mem_gpa_to_hva(&big, LAYOUT_HANDOFF, sizeof(ho)),
	       sizeof(ho));
	assert_int_equal(ho.kernel_addr, 2 * SZ_1G - SZ_2M);
	assert_int_equal(ho.nr_e820, 7);
	assert_int_equal(ho.e820[4].size, 2 * SZ_1G - SZ_1M);
	assert_int_equal(ho.e820[5].addr, 0xb0000000);
	assert_int_equal(ho.e820[6].addr, SZ_4G);
	assert_int_equal(ho.e820[6].size, SZ_1G);
	assert_int_equal(ho.e820[6].type, E820_RAM);
	test_blob_free(&img.kernel);
	mem_free(&big);
}

static void test_handoff_no_room(void **state)
{
	struct boot_images img = { 0 };
	struct guest_mem small;

	/* the staging area must stay above 1 MiB + 64 MiB */
	assert_int_equal(mem_alloc(&small, 64 * SZ_1M, false), 0);
	img.kernel = test_bzimage(4096, 0x100000);
	assert_int_equal(handoff_load(&small, &img), -ENOSPC);
	test_one_err("kernel k.bz: does not fit in guest RAM (6656 bytes to stage in 0x4100000-0x4000000, above the area the firmware unpacks the kernel into; give the VM more memory)");
	mem_free(&small);

	/* an initrd that would reach below the floor */
	img.initrd = test_blob_alloc("rd", 200 * SZ_1M);
	assert_int_equal(handoff_load(&mem, &img), -ENOSPC);
	test_one_err("initrd rd: does not fit in guest RAM");
	test_blob_free(&img.initrd);

	/* the kernel's init_size raises the floor */
#ifdef CONFIG_BOOT_BZIMAGE
	test_bz_hdr(&img.kernel)->init_size = 254 * SZ_1M;	/* from 16 MiB */
	assert_int_equal(handoff_load(&mem, &img), -ENOSPC);
	test_one_err("to stage in 0x10e00000-0x10000000");
	test_bz_hdr(&img.kernel)->init_size = 200 * SZ_1M;
	assert_int_equal(handoff_load(&mem, &img), 0);
#endif
	test_blob_free(&img.kernel);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_read_ok, setup),
		cmocka_unit_test_setup(test_read_errors, setup),
		cmocka_unit_test_setup(test_check_rules, setup),
		cmocka_unit_test_setup(test_check_images, setup),
		cmocka_unit_test_setup_teardown(test_load_firmware_only,
						mem_setup, mem_teardown),
		cmocka_unit_test_setup_teardown(test_load_direct, mem_setup,
						mem_teardown),
		cmocka_unit_test_setup_teardown(test_handoff, mem_setup,
						mem_teardown),
		cmocka_unit_test_setup_teardown(test_handoff_minimal,
						mem_setup, mem_teardown),
		cmocka_unit_test_setup_teardown(test_handoff_high_ram,
						mem_setup, mem_teardown),
		cmocka_unit_test_setup_teardown(test_handoff_no_room,
						mem_setup, mem_teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
