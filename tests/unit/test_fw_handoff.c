// SPDX-License-Identifier: GPL-2.0-only
/*
 * firmware/handoff.c: a valid hand-off, then every field made bad in
 * turn (the reported field name is checked), the e820 helpers, and the
 * cmdline NUL check through the map callback (which must only be called
 * for ranges already validated).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "firmware/handoff-check.h"

#define MB		0x100000ull
#define RAM_END		(64 * MB)
#define KADDR		(16 * MB)
#define IADDR		(32 * MB)
#define CADDR		0x20000ull

static u8 cmdline[64] = "console=ttyS0";
static int map_calls;
static u64 map_pa, map_len;

static const u8 *map(void *ctx, u64 pa, u64 len)
{
	(void)ctx;
	map_calls++;
	map_pa = pa;
	map_len = len;
	return pa == CADDR ? cmdline : NULL;
}

static void make(struct sevm_handoff *h)
{
	memset(h, 0, sizeof(*h));
	h->magic = SEVM_HANDOFF_MAGIC;
	h->version = SEVM_HANDOFF_VERSION;
	h->size = sizeof(*h);
	h->kernel_addr = KADDR;
	h->kernel_size = 5 * MB;
	h->initrd_addr = IADDR;
	h->initrd_size = 3 * MB;
	h->cmdline_addr = CADDR;
	h->cmdline_size = strlen((char *)cmdline) + 1;
	h->nr_e820 = 3;
	h->e820[0] = (struct sevm_e820){ 0, LAYOUT_LOW_RAM_END, E820_RAM };
	h->e820[1] = (struct sevm_e820){ 0xf0000, 0x10000, E820_RESERVED };
	h->e820[2] = (struct sevm_e820){ MB, RAM_END - MB, E820_RAM };
	map_calls = 0;
}

static enum handoff_status check(const struct sevm_handoff *h,
				 const char **field)
{
	return handoff_validate(h, map, NULL, field);
}

static void expect_bad(const struct sevm_handoff *h, const char *name)
{
	const char *field = NULL;

	assert_int_equal(check(h, &field), HANDOFF_INVALID);
	assert_non_null(field);
	assert_string_equal(field, name);
}

static void test_valid(void **state)
{
	struct sevm_handoff h;
	const char *field = "x";

	(void)state;
	make(&h);
	assert_int_equal(check(&h, &field), HANDOFF_VALID);
	assert_null(field);
	assert_int_equal(map_calls, 1);
	assert_int_equal(map_pa, CADDR);
	assert_int_equal(map_len, h.cmdline_size);
	/* No initrd: size 0, address ignored. */
	h.initrd_size = 0;
	h.initrd_addr = 0xdead0000;
	assert_int_equal(check(&h, &field), HANDOFF_VALID);
}

static void test_absent(void **state)
{
	struct sevm_handoff h;
	const char *field = "x";

	(void)state;
	make(&h);
	h.magic ^= 1;
	assert_int_equal(check(&h, &field), HANDOFF_ABSENT);
	assert_null(field);
	memset(&h, 0, sizeof(h));
	assert_int_equal(check(&h, &field), HANDOFF_ABSENT);
	assert_int_equal(map_calls, 0);
}

static void test_header_fields(void **state)
{
	struct sevm_handoff h;

	(void)state;
	make(&h);
	h.version = 2;
	expect_bad(&h, "version");
	make(&h);
	h.version = 0;
	expect_bad(&h, "version");
	make(&h);
	h.size = sizeof(h) - 20;
	expect_bad(&h, "size");
	make(&h);
	h.flags = 1;
	expect_bad(&h, "flags");
	make(&h);
	h.nr_e820 = 0;
	expect_bad(&h, "nr_e820");
	make(&h);
	h.nr_e820 = SEVM_HANDOFF_MAX_E820 + 1;
	expect_bad(&h, "nr_e820");
	make(&h);
	h.e820[1].size = 0;
	expect_bad(&h, "e820");
	make(&h);
	h.e820[2].addr = ~0ull - 5;
	expect_bad(&h, "e820");
	assert_int_equal(map_calls, 0);
}

static void test_kernel_fields(void **state)
{
	struct sevm_handoff h;

	(void)state;
	make(&h);
	h.kernel_size = 0;
	expect_bad(&h, "kernel_size");
	make(&h);
	h.kernel_addr = RAM_END - MB;		/* runs past RAM */
	expect_bad(&h, "kernel_addr");
	make(&h);
	h.kernel_addr = 0x9f000;		/* crosses into the hole */
	h.kernel_size = 0x2000;
	expect_bad(&h, "kernel_addr");
	make(&h);
	h.kernel_addr = 0xf0000;		/* reserved entry */
	h.kernel_size = 0x1000;
	expect_bad(&h, "kernel_addr");
	make(&h);
	h.kernel_addr = LAYOUT_FW_DATA_END - 0x1000;	/* firmware's RAM */
	h.kernel_size = 0x2000;
	expect_bad(&h, "kernel_addr");
	make(&h);
	h.kernel_addr = ~0ull - MB;		/* wraps */
	h.kernel_size = 2 * MB;
	expect_bad(&h, "kernel_addr");
	make(&h);				/* RAM above 4 GiB: unmapped */
	h.e820[2].size = 8ull << 30;
	h.kernel_addr = 5ull << 30;
	expect_bad(&h, "kernel_addr");
}

static void test_initrd_fields(void **state)
{
	struct sevm_handoff h;

	(void)state;
	make(&h);
	h.initrd_addr = RAM_END - MB;
	expect_bad(&h, "initrd_addr");
	make(&h);
	h.initrd_addr = LAYOUT_HANDOFF;
	h.initrd_size = 0x100;
	expect_bad(&h, "initrd_addr");
	make(&h);
	h.initrd_addr = KADDR + 4 * MB;		/* overlaps the kernel */
	expect_bad(&h, "initrd_addr");
}

static void test_cmdline_fields(void **state)
{
	struct sevm_handoff h;

	(void)state;
	make(&h);
	h.cmdline_size = 0;
	expect_bad(&h, "cmdline_size");
	make(&h);
	h.cmdline_size = LAYOUT_CMDLINE_MAX + 1;
	expect_bad(&h, "cmdline_size");
	make(&h);
	h.cmdline_addr = LAYOUT_SEV_SECRET;	/* firmware's area */
	expect_bad(&h, "cmdline_addr");
	make(&h);
	h.cmdline_addr = KADDR + 16;		/* inside the kernel */
	expect_bad(&h, "cmdline_addr");
	make(&h);
	h.cmdline_addr = IADDR + 16;		/* inside the initrd */
	expect_bad(&h, "cmdline_addr");
	make(&h);
	h.cmdline_addr = RAM_END - 4;		/* runs past RAM */
	h.cmdline_size = 8;
	expect_bad(&h, "cmdline_addr");
	assert_int_equal(map_calls, 0);
}

static void test_cmdline_nul(void **state)
{
	struct sevm_handoff h;

	(void)state;
	make(&h);
	h.cmdline_size = strlen((char *)cmdline);	/* NUL just outside */
	expect_bad(&h, "cmdline");
	assert_int_equal(map_calls, 1);
	make(&h);
	h.cmdline_addr = CADDR + 0x1000;		/* map fails */
	expect_bad(&h, "cmdline");
	make(&h);					/* NUL earlier: ok */
	h.cmdline_size = sizeof(cmdline);
	assert_int_equal(check(&h, &(const char *){ NULL }), HANDOFF_VALID);
}

static void test_e820_helpers(void **state)
{
	struct sevm_handoff h;

	(void)state;
	make(&h);
	assert_true(handoff_range_in_ram(&h, MB, RAM_END - MB));
	assert_false(handoff_range_in_ram(&h, MB, RAM_END));
	assert_false(handoff_range_in_ram(&h, MB, 0));
	assert_false(handoff_range_in_ram(&h, 0xf0000, 1));
	assert_true(handoff_range_in_ram(&h, 0, 1));
	assert_int_equal(handoff_low_ram_end(&h), RAM_END);
	h.e820[3] = (struct sevm_e820){ 1ull << 32, 1ull << 30, E820_RAM };
	h.e820[4] = (struct sevm_e820){ 0xc0000000, 1ull << 31, E820_RAM };
	h.nr_e820 = 5;
	assert_int_equal(handoff_low_ram_end(&h), 1ull << 32);
	assert_false(handoff_range_in_ram(&h, 1ull << 32, 4096));
	/* nr_e820 beyond the array is not walked past its end */
	h.nr_e820 = 1000;
	assert_false(handoff_range_in_ram(&h, 2ull << 32, 1));
	h.nr_e820 = 0;
	assert_int_equal(handoff_low_ram_end(&h), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_absent),
		cmocka_unit_test(test_header_fields),
		cmocka_unit_test(test_kernel_fields),
		cmocka_unit_test(test_initrd_fields),
		cmocka_unit_test(test_cmdline_fields),
		cmocka_unit_test(test_cmdline_nul),
		cmocka_unit_test(test_e820_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
