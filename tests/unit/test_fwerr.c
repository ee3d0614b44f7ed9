// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of sev/fwerr.c: firmware status names and descriptions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sev/sev.h"

static void test_known_names(void **state)
{
	assert_string_equal(sev_fw_err_name(0), "SUCCESS");
	assert_string_equal(sev_fw_err_name(SEV_RET_INVALID_PLATFORM_STATE),
			    "INVALID_PLATFORM_STATE");
	assert_string_equal(sev_fw_err_name(SEV_RET_INVALID_GUEST_STATE),
			    "INVALID_GUEST_STATE");
	/* 6.1 spells the enumerator INAVLID; the name is the fixed one. */
	assert_string_equal(sev_fw_err_name(SEVM_SEV_RET_INVALID_CONFIG),
			    "INVALID_CONFIG");
	assert_string_equal(sev_fw_err_name(4), "INVALID_LEN");
	assert_string_equal(sev_fw_err_name(7), "POLICY_FAILURE");
	assert_string_equal(sev_fw_err_name(0x10), "INVALID_GUEST");
	assert_string_equal(sev_fw_err_name(0x13), "HWSEV_RET_PLATFORM");
	assert_string_equal(sev_fw_err_name(0x15), "UNSUPPORTED");
	assert_string_equal(sev_fw_err_name(0x18), "SECURE_DATA_INVALID");
}

static void test_snp_names(void **state)
{
	assert_string_equal(sev_fw_err_name(0x19), "INVALID_PAGE_SIZE");
	assert_string_equal(sev_fw_err_name(0x1a), "INVALID_PAGE_STATE");
	assert_string_equal(sev_fw_err_name(0x1b), "INVALID_MDATA_ENTRY");
	assert_string_equal(sev_fw_err_name(0x1c), "INVALID_PAGE_OWNER");
	assert_string_equal(sev_fw_err_name(0x1d), "AEAD_OFLOW");
	assert_string_equal(sev_fw_err_name(0x1f), "EXIT_RING_BUFFER");
	assert_string_equal(sev_fw_err_name(0x20), "RMP_INIT_REQUIRED");
	assert_string_equal(sev_fw_err_name(0x21), "BAD_SVN");
	assert_string_equal(sev_fw_err_name(0x22), "BAD_VERSION");
	assert_string_equal(sev_fw_err_name(0x23), "SHUTDOWN_REQUIRED");
	assert_string_equal(sev_fw_err_name(0x24), "UPDATE_FAILED");
	assert_string_equal(sev_fw_err_name(0x25), "RESTORE_REQUIRED");
	assert_string_equal(sev_fw_err_name(0x26),
			    "RMP_INITIALIZATION_FAILED");
	assert_string_equal(sev_fw_err_name(0x27), "INVALID_KEY");
}

static void test_no_fw_call(void **state)
{
	assert_string_equal(sev_fw_err_name(SEV_RET_NO_FW_CALL), "NO_FW_CALL");
	/* A u32 fw_err of 0xffffffff converts to -1. */
	assert_string_equal(sev_fw_err_name((int)(u32)SEV_RET_NO_FW_CALL),
			    "NO_FW_CALL");
	assert_string_equal(sev_fw_err_desc(SEV_RET_NO_FW_CALL),
			    "Firmware was not called");
}

static void test_unknown_codes(void **state)
{
	static const int codes[] = { -2, -1000, 0x1e, 0x28, 0x100, 0xffff,
				     INT32_MAX, INT32_MIN };
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		assert_string_equal(sev_fw_err_name(codes[i]), "UNKNOWN");
		assert_string_equal(sev_fw_err_desc(codes[i]),
				    "Unknown firmware error");
	}
}

static void test_descriptions(void **state)
{
	int code;

	assert_string_equal(sev_fw_err_desc(1), "Platform state is invalid");
	assert_string_equal(sev_fw_err_desc(4), "Buffer too small");
	assert_string_equal(sev_fw_err_desc(7), "Policy is not allowed");
	assert_string_equal(sev_fw_err_desc(0x17),
			    "Required firmware resource depleted");
	assert_string_equal(sev_fw_err_desc(0x18),
			    "Part-specific integrity check failure");
	/* Every assigned code has both a name and a description. */
	for (code = 0; code <= 0x27; code++) {
		if (code == 0x1e)
			continue;
		assert_string_not_equal(sev_fw_err_name(code), "UNKNOWN");
		assert_string_not_equal(sev_fw_err_desc(code),
					"Unknown firmware error");
		assert_true(strlen(sev_fw_err_desc(code)) > 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_names),
		cmocka_unit_test(test_snp_names),
		cmocka_unit_test(test_no_fw_call),
		cmocka_unit_test(test_unknown_codes),
		cmocka_unit_test(test_descriptions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
