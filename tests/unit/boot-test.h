/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the memory and boot-image unit tests: a pr_log()
 * double (linked with -Wl,--wrap=pr_log) that records error lines, and
 * builders for crafted images (bzImage, firmware with a GUID footer
 * table). Include after <cmocka.h>.
 */
#ifndef SEVM_TESTS_BOOT_TEST_H
#define SEVM_TESTS_BOOT_TEST_H

#include <asm/bootparam.h>

#include "vmm/boot.h"
#include "lib/log.h"

/* ---- error-line capture */
extern char test_last_err[1024];
extern int test_nr_err;
void test_err_reset(void);
/* Assert exactly one error line since the last reset, containing needle. */
void test_one_err(const char *needle);
void __wrap_pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);

/* ---- blobs */
struct blob test_blob_alloc(const char *path, size_t size);
void test_blob_free(struct blob *b);
/* Fill with a position-dependent byte pattern (seed varies it). */
void test_pattern(u8 *p, size_t len, u8 seed);

/*
 * A bzImage: setup_sects 4 (2560-byte setup), pm_size bytes of pattern,
 * protocol 2.15, LOADED_HIGH, XLF_KERNEL_64, the given init_size,
 * initrd_addr_max 0x7fffffff, cmdline_size 2047.
 */
struct blob test_bzimage(size_t pm_size, u32 init_size);
struct setup_header *test_bz_hdr(struct blob *b);

/* Firmware image of size bytes (pattern) with a footer table built by
 * test_fw_add()/test_fw_finish(). */
struct test_fw {
	struct blob b;
	size_t pos;		/* where the next entry ends (walks down) */
	size_t table_end;	/* offset of the table-length u16 */
};
void test_fw_begin(struct test_fw *fw, size_t size);
void test_fw_add(struct test_fw *fw, const u8 guid[16], const void *data,
		 size_t len);
/* Write the footer; tot_len 0 means the real table length. */
void test_fw_finish(struct test_fw *fw, u16 tot_len);

extern const u8 test_guid_hashes[16], test_guid_secret[16],
	test_guid_es_reset[16], test_guid_tdx[16], test_guid_footer[16];

/* A 64 MiB guest memory for the loader tests: cmocka setup/teardown,
 * and bounds-asserted access by guest-physical address. */
extern struct guest_mem test_mem;
int test_mem_setup(void **state);
int test_mem_teardown(void **state);
u8 *test_gpa(u64 addr, u64 len);
u64 test_rd64(u64 addr);
u32 test_rd32(u64 addr);
u16 test_rd16(u64 addr);

/* A shared test vector's path, or NULL (the caller skip()s). */
const char *test_vector_path(const char *rel);

#endif /* SEVM_TESTS_BOOT_TEST_H */
