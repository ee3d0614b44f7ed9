// SPDX-License-Identifier: GPL-2.0-only
/* Helpers of the memory and boot-image unit tests (boot-test.h). */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "tests/unit/boot-test.h"

char test_last_err[1024];
int test_nr_err;

void test_err_reset(void)
{
	test_last_err[0] = '\0';
	test_nr_err = 0;
}

void test_one_err(const char *needle)
{
	if (test_nr_err != 1 || !strstr(test_last_err, needle))
		print_error("want one error containing \"%s\", got %d: \"%s\"\n",
			    needle, test_nr_err, test_last_err);
	assert_int_equal(test_nr_err, 1);
	assert_non_null(strstr(test_last_err, needle));
	/* one line, and no "(null)" from a missing file name */
	assert_null(strchr(test_last_err, '\n'));
	assert_null(strstr(test_last_err, "(null)"));
	test_err_reset();
}

void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level != LOG_ERR)
		return;
	va_start(ap, fmt);
	vsnprintf(test_last_err, sizeof(test_last_err), fmt, ap);
	va_end(ap);
	test_nr_err++;
	if (getenv("TEST_VERBOSE"))
		fprintf(stderr, "  pr_err: %s\n", test_last_err);
}

struct blob test_blob_alloc(const char *path, size_t size)
{
	struct blob b = { .path = path, .size = size };

	b.data = calloc(1, size ? size : 1);
	assert_non_null(b.data);
	return b;
}

void test_blob_free(struct blob *b)
{
	free(b->data);
	b->data = NULL;
	b->size = 0;
}

void test_pattern(u8 *p, size_t len, u8 seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (u8)(i * 7 + (i >> 8) + seed);
}

struct setup_header *test_bz_hdr(struct blob *b)
{
	return (struct setup_header *)(b->data + 0x1f1);
}

struct blob test_bzimage(size_t pm_size, u32 init_size)
{
	struct blob b = test_blob_alloc("k.bz", 2560 + pm_size);
	struct setup_header *h = test_bz_hdr(&b);

	test_pattern(b.data + 2560, pm_size, 0x42);
	h->setup_sects = 4;
	h->syssize = (u32)(pm_size / 16);
	h->boot_flag = 0xaa55;
	b.data[0x200] = 0xeb;			/* jmp short to 0x268 */
	b.data[0x201] = 0x66;
	h->header = 0x53726448;			/* "HdrS" */
	h->version = 0x020f;
	h->loadflags = LOADED_HIGH;
	h->code32_start = 0x100000;
	h->initrd_addr_max = 0x7fffffff;
	h->kernel_alignment = 0x200000;
	h->relocatable_kernel = 1;
	h->xloadflags = XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G;
	h->cmdline_size = 2047;
	h->pref_address = 0x1000000;
	h->init_size = init_size;
	return b;
}

const u8 test_guid_hashes[16] = {
	0x1f, 0x37, 0x55, 0x72, 0x3b, 0x3a, 0x04, 0x4b,
	0x92, 0x7b, 0x1d, 0xa6, 0xef, 0xa8, 0xd4, 0x54,
};
const u8 test_guid_secret[16] = {
	0x61, 0xb3, 0x2e, 0x4c, 0x9b, 0x7d, 0xc3, 0x4c,
	0x80, 0x81, 0x12, 0x7c, 0x90, 0xd3, 0xd2, 0x94,
};
const u8 test_guid_es_reset[16] = {
	0xde, 0x71, 0xf7, 0x00, 0x7e, 0x1a, 0xcb, 0x4f,
	0x89, 0x0e, 0x68, 0xc7, 0x7e, 0x2f, 0xb4, 0x4e,
};
const u8 test_guid_tdx[16] = {	/* e47a6535-984a-4798-865e-4685a7bf8ec2 */
	0x35, 0x65, 0x7a, 0xe4, 0x4a, 0x98, 0x98, 0x47,
	0x86, 0x5e, 0x46, 0x85, 0xa7, 0xbf, 0x8e, 0xc2,
};
const u8 test_guid_footer[16] = {
	0xde, 0x82, 0xb5, 0x96, 0xb2, 0x1f, 0xf7, 0x45,
	0xba, 0xea, 0xa3, 0x66, 0xc5, 0x5a, 0x08, 0x2d,
};

void test_fw_begin(struct test_fw *fw, size_t size)
{
	fw->b = test_blob_alloc("fw.fd", size);
	test_pattern(fw->b.data, size, 0x11);
	fw->table_end = size - 0x20 - 16 - 2;
	fw->pos = fw->table_end;
}

void test_fw_add(struct test_fw *fw, const u8 guid[16], const void *data,
		 size_t len)
{
	u16 elen = (u16)(len + 18);

	fw->pos -= 16;
	memcpy(fw->b.data + fw->pos, guid, 16);
	fw->pos -= 2;
	memcpy(fw->b.data + fw->pos, &elen, 2);
	fw->pos -= len;
	memcpy(fw->b.data + fw->pos, data, len);
}

void test_fw_finish(struct test_fw *fw, u16 tot_len)
{
	u16 len = tot_len ? tot_len : (u16)(fw->table_end - fw->pos + 18);

	memcpy(fw->b.data + fw->table_end, &len, 2);
	memcpy(fw->b.data + fw->table_end + 2, test_guid_footer, 16);
}

static bool is_dir(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

const char *test_vector_path(const char *rel)
{
	static char path[PATH_MAX];
	const char *env = getenv("SEVM_VECTORS"), *top = getenv("SEVM_TOP");
	char dir[PATH_MAX] = "../shared/test-vectors";
	struct stat st;

	if (env && *env)
		snprintf(dir, sizeof(dir), "%s", env);
	else if (top && *top)
		snprintf(dir, sizeof(dir), "%s/../shared/test-vectors", top);
	else if (!is_dir(dir))
		snprintf(dir, sizeof(dir), "/work/shared/test-vectors");
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return stat(path, &st) ? NULL : path;
}
