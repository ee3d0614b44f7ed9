// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of devices/acpi/aml.c: the PkgLength encoding at every size
 * boundary, objects whose contents cross them, name strings, integers,
 * EISA IDs, statements, resource descriptors byte for byte, and the
 * sticky errors (-EINVAL, -E2BIG, -ENOMEM through a realloc seam).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "devices/acpi/aml.h"
#include "tests/unit/alloc-fail.h"

static struct aml a;

static int setup(void **state)
{
	aml_init(&a);
	return 0;
}

static int teardown(void **state)
{
	alloc_fail_reset();
	aml_free(&a);
	return 0;
}

#define EXPECT(...) do {						\
	static const u8 want_[] = { __VA_ARGS__ };			\
	assert_int_equal(aml_error(&a), 0);				\
	assert_int_equal(a.len, sizeof(want_));				\
	assert_memory_equal(a.buf, want_, sizeof(want_));		\
	a.len = 0;							\
} while (0)

/* Decode a PkgLength at p: its value, and its size in *n. */
static u32 pkglen_decode(const u8 *p, int *n)
{
	int extra = p[0] >> 6, i;
	u32 v;

	*n = extra + 1;
	if (!extra)
		return p[0] & 0x3f;
	v = p[0] & 0x0f;
	for (i = 1; i <= extra; i++)
		v |= (u32)p[i] << (4 + 8 * (i - 1));
	return v;
}

static void test_pkglen_encode(void **state)
{
	static const struct { u32 v; int n; u8 b[4]; } cases[] = {
		{ 0, 1, { 0x00 } },
		{ 63, 1, { 0x3f } },
		{ 64, 2, { 0x40, 0x04 } },
		{ 0x123, 2, { 0x43, 0x12 } },
		{ 4095, 2, { 0x4f, 0xff } },
		{ 4096, 3, { 0x80, 0x00, 0x01 } },
		{ 0xfffff, 3, { 0x8f, 0xff, 0xff } },
		{ 0x100000, 4, { 0xc0, 0x00, 0x00, 0x01 } },
		{ 0xfffffff, 4, { 0xcf, 0xff, 0xff, 0xff } },
	};
	unsigned int i;
	u8 out[4];
	int n;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(out, 0xee, sizeof(out));
		assert_int_equal(aml_pkglen_encode(cases[i].v, out),
				 cases[i].n);
		assert_memory_equal(out, cases[i].b, cases[i].n);
		assert_int_equal(pkglen_decode(out, &n), cases[i].v);
		assert_int_equal(n, cases[i].n);
	}
	assert_int_equal(aml_pkglen_encode(0x10000000, out), -E2BIG);
	assert_int_equal(aml_pkglen_encode(UINT32_MAX, out), -E2BIG);
}

/* The PkgLength counts itself: payload + size must fit the size. */
static void test_pkglen_size(void **state)
{
	assert_int_equal(aml_pkglen_size(0), 1);
	assert_int_equal(aml_pkglen_size(62), 1);	/* 63 in 1 byte */
	assert_int_equal(aml_pkglen_size(63), 2);	/* 64 needs 2 */
	assert_int_equal(aml_pkglen_size(4093), 2);	/* 4095 */
	assert_int_equal(aml_pkglen_size(4094), 3);	/* 4096 would */
	assert_int_equal(aml_pkglen_size(0xffffc), 3);
	assert_int_equal(aml_pkglen_size(0xffffd), 4);
	assert_int_equal(aml_pkglen_size(0xffffffb), 4);
	assert_int_equal(aml_pkglen_size(0xffffffc), -E2BIG);
}

/*
 * A Scope whose contents are n bytes: the PkgLength in front of them
 * says exactly how far the object reaches, at every size step.
 */
static void test_pkglen_objects(void **state)
{
	static const size_t sizes[] = { 4, 62, 63, 64, 4093, 4094, 4095,
					4096, 0xffffc, 0xffffd };
	unsigned int i;
	u32 v;
	int n;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		a.len = 0;
		assert_int_equal(aml_scope(&a, "_SB"), 0);
		/* the NameSeg is part of the payload: 4 bytes */
		assert_int_equal(aml_zeros(&a, sizes[i] - 4), 0);
		assert_int_equal(aml_end(&a), 0);
		assert_int_equal(a.buf[0], AML_SCOPE_OP);
		v = pkglen_decode(a.buf + 1, &n);
		assert_int_equal(n, aml_pkglen_size(sizes[i]));
		assert_int_equal(v, sizes[i] + n);
		assert_int_equal(a.len, 1 + v);
		assert_memory_equal(a.buf + 1 + n, "_SB_", 4);
	}
}

static void test_nested(void **state)
{
	assert_int_equal(aml_device(&a, "\\_SB.PCI0"), 0);
	assert_int_equal(aml_method(&a, "_EVT", 1, true), 0);
	assert_int_equal(aml_if(&a), 0);
	aml_integer(&a, 1);
	assert_int_equal(aml_end(&a), 0);
	assert_int_equal(aml_end(&a), 0);
	assert_int_equal(aml_end(&a), 0);
	EXPECT(0x5b, 0x82, 0x15, '\\', 0x2e, '_', 'S', 'B', '_',
	       'P', 'C', 'I', '0',
	       0x14, 0x09, '_', 'E', 'V', 'T', 0x09,
	       0xa0, 0x02, 0x01);
}

static void test_name_strings(void **state)
{
	aml_name_string(&a, "_SB");
	EXPECT('_', 'S', 'B', '_');
	aml_name_string(&a, "\\_SB.PCI0");
	EXPECT('\\', 0x2e, '_', 'S', 'B', '_', 'P', 'C', 'I', '0');
	aml_name_string(&a, "^^A1");
	EXPECT('^', '^', 'A', '1', '_', '_');
	aml_name_string(&a, "\\A.B.C");
	EXPECT('\\', 0x2f, 3, 'A', '_', '_', '_', 'B', '_', '_', '_',
	       'C', '_', '_', '_');
	aml_name_string(&a, "\\");
	EXPECT('\\', 0x00);
}

static void test_bad_names(void **state)
{
	static const char *const bad[] = {
		"", "pci0", "ABCDE", "1ABC", "A..B", "A.", ".A", "A-B",
		"\\^A", "A^B", "A B",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		aml_free(&a);
		assert_int_equal(aml_name_string(&a, bad[i]), -EINVAL);
		/* sticky: nothing more is written */
		assert_int_equal(aml_u8(&a, 1), -EINVAL);
		assert_int_equal(aml_error(&a), -EINVAL);
	}
	aml_free(&a);
	assert_int_equal(aml_field_unit(&a, "TOOLONG", 8), -EINVAL);
}

static void test_integers(void **state)
{
	aml_integer(&a, 0);
	aml_integer(&a, 1);
	aml_integer(&a, 2);
	aml_integer(&a, 0xff);
	EXPECT(0x00, 0x01, 0x0a, 0x02, 0x0a, 0xff);
	aml_integer(&a, 0x100);
	aml_integer(&a, 0xffff);
	EXPECT(0x0b, 0x00, 0x01, 0x0b, 0xff, 0xff);
	aml_integer(&a, 0x10000);
	aml_integer(&a, 0xfedf0000);
	EXPECT(0x0c, 0x00, 0x00, 0x01, 0x00, 0x0c, 0x00, 0x00, 0xdf, 0xfe);
	aml_integer(&a, 0x100000000ull);
	EXPECT(0x0e, 0, 0, 0, 0, 1, 0, 0, 0);
	aml_dword(&a, 5);
	EXPECT(0x0c, 5, 0, 0, 0);
}

static void test_eisaid(void **state)
{
	static const char *const bad[] = {
		"pnp0a03", "PNP0A0", "PNP0A033", "PNP0A0G", "P1P0A03", "",
	};
	unsigned int i;
	u32 v;

	assert_int_equal(aml_eisaid_value("PNP0A03", &v), 0);
	assert_int_equal(v, 0x030ad041);
	aml_eisaid(&a, "PNP0C0C");
	EXPECT(0x0c, 0x41, 0xd0, 0x0c, 0x0c);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(aml_eisaid_value(bad[i], &v), -EINVAL);
	assert_int_equal(aml_eisaid(&a, "PNP0a03"), -EINVAL);
	assert_int_equal(aml_error(&a), -EINVAL);
}

static void test_strings_buffers(void **state)
{
	static const u8 three[] = { 0xaa, 0xbb, 0xcc };

	aml_string(&a, "AB");
	EXPECT(0x0d, 'A', 'B', 0x00);
	aml_buffer(&a, three, sizeof(three));
	EXPECT(0x11, 0x06, 0x0a, 0x03, 0xaa, 0xbb, 0xcc);
	aml_buffer(&a, NULL, 0);
	EXPECT(0x11, 0x02, 0x00);
	assert_int_equal(aml_string(&a, "\xc3\xa9"), -EINVAL);
}

static void test_statements(void **state)
{
	aml_store(&a);
	aml_name_string(&a, "ESEL");
	aml_local(&a, 0);
	EXPECT(0x70, 'E', 'S', 'E', 'L', 0x60);
	aml_lequal(&a);
	aml_and(&a);
	aml_local(&a, 7);
	aml_integer(&a, 1);
	aml_null_target(&a);
	aml_arg(&a, 6);
	EXPECT(0x93, 0x7b, 0x67, 0x01, 0x00, 0x6e);
	aml_notify(&a);
	aml_name_string(&a, "PWRB");
	aml_integer(&a, 0x80);
	EXPECT(0x86, 'P', 'W', 'R', 'B', 0x0a, 0x80);
	aml_name(&a, "_S5");
	aml_package(&a, 2);
	aml_integer(&a, 5);
	aml_integer(&a, 0);
	aml_end(&a);
	EXPECT(0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0a, 0x05, 0x00);
	aml_op(&a, AML_RETURN_OP);
	aml_integer(&a, 0);
	EXPECT(0xa4, 0x00);
}

static void test_region_field(void **state)
{
	aml_operation_region(&a, "EREG", AML_SYSTEM_MEMORY, 0xfedf0000, 4);
	EXPECT(0x5b, 0x80, 'E', 'R', 'E', 'G', 0x00,
	       0x0c, 0x00, 0x00, 0xdf, 0xfe, 0x0a, 0x04);
	aml_field(&a, "EREG", AML_ACCESS_DWORD, AML_FIELD_WRITE_ZEROS);
	aml_field_unit(&a, NULL, 64);	/* reserved, 2-byte PkgLength */
	aml_field_unit(&a, "ESEL", 32);
	aml_end(&a);
	EXPECT(0x5b, 0x81, 0x0e, 'E', 'R', 'E', 'G', 0x43,
	       0x00, 0x40, 0x04, 'E', 'S', 'E', 'L', 0x20);
}

static void test_bad_arguments(void **state)
{
	unsigned int i;

	assert_int_equal(aml_method(&a, "M", 8, false), -EINVAL);
	aml_free(&a);
	assert_int_equal(aml_package(&a, 256), -EINVAL);
	aml_free(&a);
	assert_int_equal(aml_local(&a, 8), -EINVAL);
	aml_free(&a);
	assert_int_equal(aml_arg(&a, 7), -EINVAL);
	aml_free(&a);
	assert_int_equal(aml_field(&a, "R", AML_ACCESS_DWORD, 0x80), -EINVAL);
	aml_free(&a);
	assert_int_equal(aml_field(&a, "R", AML_ACCESS_DWORD, 0x01), -EINVAL);
	aml_free(&a);
	assert_int_equal(aml_field(&a, "R", 5, 0), -EINVAL);
	aml_free(&a);
	assert_int_equal(aml_field_unit(&a, "U", 0x10000000), -E2BIG);
	aml_free(&a);
	assert_int_equal(aml_end(&a), -EINVAL);		/* nothing open */
	aml_free(&a);
	assert_int_equal(aml_scope(&a, "_SB"), 0);
	assert_int_equal(aml_error(&a), -EINVAL);	/* still open */
	assert_int_equal(aml_end(&a), 0);
	assert_int_equal(aml_error(&a), 0);
	aml_free(&a);
	for (i = 0; i < AML_MAX_DEPTH; i++)
		assert_int_equal(aml_if(&a), 0);
	assert_int_equal(aml_if(&a), -E2BIG);
	assert_int_equal(aml_end(&a), -E2BIG);		/* sticky */
}

static void test_too_big(void **state)
{
	assert_int_equal(aml_zeros(&a, 65u << 20), -E2BIG);
	assert_null(a.buf);		/* refused before allocating */
	assert_int_equal(aml_u8(&a, 1), -E2BIG);
	assert_int_equal(aml_error(&a), -E2BIG);
}

static void test_enomem(void **state)
{
	u8 *buf;
	size_t len;

	alloc_fail_after(0);
	assert_int_equal(aml_u8(&a, 1), -ENOMEM);
	assert_int_equal(aml_u8(&a, 1), -ENOMEM);
	alloc_fail_reset();
	assert_int_equal(aml_error(&a), -ENOMEM);
	aml_free(&a);
	/* growth past the first 256 bytes fails; what was there stays */
	assert_int_equal(aml_zeros(&a, 200), 0);
	alloc_fail_after(0);
	assert_int_equal(aml_zeros(&a, 100), -ENOMEM);
	alloc_fail_reset();
	assert_int_equal(a.len, 200);
	buf = aml_take(&a, &len);
	assert_int_equal(len, 200);
	assert_null(a.buf);
	assert_int_equal(a.len, 0);
	free(buf);
}

static void test_rt_address(void **state)
{
	aml_rt_address(&a, 2, AML_RT_BUS, 0, 0, 0xff);
	EXPECT(0x88, 0x0d, 0x00, 0x02, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00,
	       0xff, 0x00, 0x00, 0x00, 0x00, 0x01);
	aml_rt_address(&a, 4, AML_RT_MEMORY, AML_RT_MEM_RW, 0xc0000000,
		       0xfebfffff);
	EXPECT(0x87, 0x17, 0x00, 0x00, 0x0c, 0x01, 0, 0, 0, 0,
	       0x00, 0x00, 0x00, 0xc0, 0xff, 0xff, 0xbf, 0xfe,
	       0, 0, 0, 0, 0x00, 0x00, 0xc0, 0x3e);
	aml_rt_address(&a, 8, AML_RT_MEMORY,
		       AML_RT_MEM_RW | AML_RT_MEM_CACHEABLE, 1ull << 32,
		       (9ull << 32) - 1);
	assert_int_equal(a.len, 46);
	assert_memory_equal(a.buf, ((u8[]){ 0x8a, 0x2b, 0x00, 0x00, 0x0c,
					    0x03 }), 6);
	assert_int_equal(a.buf[6 + 8 + 4], 1);		/* min: 4 GiB */
	assert_int_equal(a.buf[6 + 32 + 4], 8);		/* length 32 GiB */
	a.len = 0;
}

static void test_rt_bad_address(void **state)
{
	assert_int_equal(aml_rt_address(&a, 3, AML_RT_IO, 0, 0, 1), -EINVAL);
	aml_free(&a);
	assert_int_equal(aml_rt_address(&a, 2, AML_RT_IO, 0, 2, 1), -EINVAL);
	aml_free(&a);
	assert_int_equal(aml_rt_address(&a, 2, AML_RT_IO, 0, 0, 0x10000),
			 -EINVAL);
	aml_free(&a);
	/* the whole space has no length that fits */
	assert_int_equal(aml_rt_address(&a, 2, AML_RT_IO, 0, 0, 0xffff),
			 -EINVAL);
	aml_free(&a);
	assert_int_equal(aml_rt_address(&a, 4, AML_RT_MEMORY, 0, 0,
					0x100000000ull), -EINVAL);
	aml_free(&a);
	assert_int_equal(aml_rt_address(&a, 2, AML_RT_IO, 0, 1, 0xffff), 0);
	assert_int_equal(aml_rt_interrupt(&a, 9, 0x10), -EINVAL);
}

static void test_rt_small(void **state)
{
	aml_rt_io(&a, 0x3f8, 0x3f8, 1, 8);
	EXPECT(0x47, 0x01, 0xf8, 0x03, 0xf8, 0x03, 0x01, 0x08);
	aml_rt_memory32_fixed(&a, 0xb0000000, 0x10000000, true);
	EXPECT(0x86, 0x09, 0x00, 0x01, 0x00, 0x00, 0x00, 0xb0,
	       0x00, 0x00, 0x00, 0x10);
	aml_rt_interrupt(&a, 9, AML_RT_IRQ_CONSUMER | AML_RT_IRQ_EDGE);
	EXPECT(0x89, 0x06, 0x00, 0x03, 0x01, 0x09, 0x00, 0x00, 0x00);
	aml_rt_end(&a);
	EXPECT(0x79, 0x00);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_pkglen_encode),
		T(test_pkglen_size),
		T(test_pkglen_objects),
		T(test_nested),
		T(test_name_strings),
		T(test_bad_names),
		T(test_integers),
		T(test_eisaid),
		T(test_strings_buffers),
		T(test_statements),
		T(test_region_field),
		T(test_bad_arguments),
		T(test_too_big),
		T(test_enomem),
		T(test_rt_address),
		T(test_rt_bad_address),
		T(test_rt_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
