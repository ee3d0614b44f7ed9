// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev/vmsa.c, the initial SEV-ES VMSA model: byte for byte against the
 * VMSA pages QEMU + KVM measured on a Milan host (sevctl's vmsa0.bin and
 * vmsa1.bin: legacy KVM_SEV_ES_INIT, RDX 0x00a00f11, the AP at OVMF's
 * SEV-ES reset address 0x80b004), and the field table of
 * sev-protocol.md 8.3 for the INIT2 variant and the error case.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sev/vmsa.h"
#include "tests/unit/boot-test.h"

#define MILAN_CPUID1	0x00a00f11u
#define OVMF_ES_RESET	0x0080b004u

static u64 get64(const u8 *p, unsigned int off)
{
	u64 v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

static u32 get32(const u8 *p, unsigned int off)
{
	u32 v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

static u16 get16(const u8 *p, unsigned int off)
{
	u16 v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

/* First differing offset, for a readable failure. */
static void assert_page_equal(const u8 *want, const u8 *got)
{
	for (unsigned int i = 0; i < SEV_VMSA_SIZE; i++)
		if (want[i] != got[i])
			fail_msg("VMSA differs at 0x%03x: want 0x%02x, got 0x%02x",
				 i, want[i], got[i]);
}

static void check_vector(const char *name, bool bsp)
{
	static u8 page[SEV_VMSA_SIZE];
	const char *path = test_vector_path(name);
	size_t len;
	void *want;

	if (!path)
		skip();
	assert_int_equal(read_file(path, &want, &len, 8192), 0);
	assert_int_equal(len, SEV_VMSA_SIZE);
	assert_int_equal(sev_vmsa_build(page, bsp, OVMF_ES_RESET, MILAN_CPUID1,
					false), 0);
	assert_page_equal(want, page);
	free(want);
}

static void test_bsp_vector(void **state)
{
	check_vector("sevctl/vmsa0.bin", true);
}

/* The AP's CS base and RIP are what the reset address 0x80b004 gives. */
static void test_ap_vector(void **state)
{
	check_vector("sevctl/vmsa1.bin", false);
}

static void test_fields(void **state)
{
	static u8 page[SEV_VMSA_SIZE];

	memset(page, 0xee, sizeof(page));
	assert_int_equal(sev_vmsa_build(page, false, 0x12345678, 0x800f12,
					true), 0);
	assert_int_equal(get16(page, VMSA_CS), 0xf000);
	assert_int_equal(get16(page, VMSA_CS + 2), 0x9b);
	assert_int_equal(get32(page, VMSA_CS + 4), 0xffff);
	assert_int_equal(get64(page, VMSA_CS + 8), 0x12340000);
	assert_int_equal(get64(page, VMSA_RIP), 0x5678);
	assert_int_equal(get16(page, VMSA_SS + 2), 0x93);
	assert_int_equal(get16(page, VMSA_LDTR + 2), 0x82);
	assert_int_equal(get16(page, VMSA_TR + 2), 0x8b);
	assert_int_equal(get64(page, VMSA_EFER), 0x1000);
	assert_int_equal(get64(page, VMSA_CR4), 0x40);
	assert_int_equal(get64(page, VMSA_CR0), 0x10);
	assert_int_equal(get64(page, VMSA_DR7), 0x400);
	assert_int_equal(get64(page, VMSA_DR6), 0xffff0ff0);
	assert_int_equal(get64(page, VMSA_RFLAGS), 2);
	assert_int_equal(get64(page, VMSA_G_PAT), 0x0007040600070406ULL);
	assert_int_equal(get64(page, VMSA_RDX), 0x800f12);
	assert_int_equal(get64(page, VMSA_XCR0), 1);
	assert_int_equal(get64(page, VMSA_SEV_FEATURES), 0);
	/* KVM_SEV_INIT2 copies the vCPU's FPU reset state */
	assert_int_equal(get32(page, VMSA_MXCSR), 0x1f80);
	assert_int_equal(get16(page, VMSA_X87_FCW), 0x037f);
	assert_int_equal(page[SEV_VMSA_SIZE - 1], 0);

	assert_int_equal(sev_vmsa_build(page, true, 0, 0x600, false), 0);
	assert_int_equal(get64(page, VMSA_CS + 8), 0xffff0000);
	assert_int_equal(get64(page, VMSA_RIP), 0xfff0);
	assert_int_equal(get32(page, VMSA_MXCSR), 0);
	assert_int_equal(get16(page, VMSA_X87_FCW), 0);
}

/* An AP needs the firmware's reset address. */
static void test_ap_without_reset(void **state)
{
	static u8 page[SEV_VMSA_SIZE];

	assert_int_equal(sev_vmsa_build(page, false, 0, MILAN_CPUID1, false),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bsp_vector),
		cmocka_unit_test(test_ap_vector),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_ap_without_reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
