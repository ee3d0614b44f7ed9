// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of firmware/sevshare.c's decision (sev_share_parse): the
 * fw_cfg file SEVM_FWCFG_SEV_DMA selects the port stand-in or vmmcall
 * and says whether the VMM checks DMA; a malformed file or an unknown
 * port leaves sharing off; without the file only SEV hardware (a C-bit)
 * turns the hypercall on; inactive sharing issues no call at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "firmware/handoff.h"
#include "firmware/sevshare.h"

static void test_file_port(void **state)
{
	const u8 raw[8] = { PORT_SEV_SHARE, 0, SEVM_SEV_DMA_CHECK, 0 };
	struct sev_share s;

	assert_int_equal(sev_share_parse(&s, raw, sizeof(raw), 0), 0);
	assert_true(s.active && s.use_port && s.dma_check);
}

static void test_file_vmmcall_no_check(void **state)
{
	const u8 raw[8] = { 0 };
	struct sev_share s;

	assert_int_equal(sev_share_parse(&s, raw, sizeof(raw), 1ull << 51), 0);
	assert_true(s.active);
	assert_false(s.use_port || s.dma_check);
}

static void test_file_malformed(void **state)
{
	const u8 raw[8] = { 0x80, 0, 1, 0 };	/* a port that is not 0xe6 */
	struct sev_share s;

	assert_int_equal(sev_share_parse(&s, raw, sizeof(raw), 0), -1);
	assert_false(s.active);
	assert_int_equal(sev_share_parse(&s, raw, 4, 0), -1);	/* size */
	assert_false(s.active);
	assert_int_equal(sev_share_parse(&s, raw, 9, 1), -1);
	assert_false(s.active);
}

static void test_no_file(void **state)
{
	struct sev_share s;

	assert_int_equal(sev_share_parse(&s, NULL, 0, 0), 0);
	assert_false(s.active);
	/* inactive: nothing is called (a vmmcall here would fault) */
	assert_int_equal(sev_share_range(&s, 0x13000, 4096, 1), 0);
	assert_int_equal(sev_share_parse(&s, NULL, 0, 1ull << 47), 0);
	assert_true(s.active);
	assert_false(s.use_port);
	/* an empty range issues no call either */
	assert_int_equal(sev_share_range(&s, 0x13000, 0, 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_port),
		cmocka_unit_test(test_file_vmmcall_no_check),
		cmocka_unit_test(test_file_malformed),
		cmocka_unit_test(test_no_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
