// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of sev/sev.c, the thin layer, platform commands, against a
 * fake backend (tests/unit/sev-fake.c): arguments are forwarded exactly,
 * the firmware status comes back separately, length queries follow
 * sev-protocol.md 1.3/2.1, and every failure is one log line. Guest
 * commands and CPUID are in test_sev_guest.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sev/sev.h"
#include "tests/unit/sev-fake.h"
#include "tests/unit/sev-testlib.h"
#include "lib/log.h"

/* --- platform commands */

static void answer_status(void *data)
{
	struct sev_user_data_status *st = data;

	st->api_major = 0;
	st->api_minor = 24;
	st->state = SEV_PSTATE_INIT;
	st->flags = SEV_STATUS_FLAGS_CONFIG_ES | 1;
	st->build = 15;
	st->guest_count = 3;
}

static void test_platform_status(void **state)
{
	struct sev_user_data_status st;
	u32 fw = 12345;

	memset(&st, 0xa5, sizeof(st));
	fake.answer = answer_status;
	fake.copy_len = sizeof(st);
	assert_int_equal(sev_platform_status(&fake_psp, &st, &fw), 0);
	assert_int_equal(fake.calls, 1);
	assert_int_equal(fake.cmd, SEV_PLATFORM_STATUS);
	assert_ptr_equal(fake.data, &st);
	/* The struct reaches the backend zeroed. */
	assert_int_equal(fake.seen[0] | fake.seen[5] | fake.seen[11], 0);
	assert_int_equal(fw, SEV_RET_SUCCESS);
	assert_int_equal(st.api_minor, 24);
	assert_int_equal(st.build, 15);
	assert_int_equal(st.guest_count, 3);
}

static void test_platform_no_data_cmds(void **state)
{
	u32 fw;

	assert_int_equal(sev_factory_reset(&fake_psp, &fw), 0);
	assert_int_equal(fake.cmd, SEV_FACTORY_RESET);
	assert_null(fake.data);
	assert_int_equal(sev_pek_gen(&fake_psp, &fw), 0);
	assert_int_equal(fake.cmd, SEV_PEK_GEN);
	assert_null(fake.data);
	assert_int_equal(sev_pdh_gen(&fake_psp, NULL), 0);
	assert_int_equal(fake.cmd, SEV_PDH_GEN);
	assert_null(fake.data);
	assert_int_equal(fake.calls, 3);
}

static void test_platform_fw_error_logged(void **state)
{
	const char *log;
	u32 fw = 0;

	fake.r = -EIO;
	fake.fw = SEV_RET_INVALID_PLATFORM_STATE;
	capture_start();
	assert_int_equal(sev_pek_gen(&fake_psp, &fw), -EIO);
	log = capture_end();
	assert_int_equal(fw, SEV_RET_INVALID_PLATFORM_STATE);
	assert_string_equal(log,
		"test_sev: error: sev_pek_gen: SEV_PEK_GEN failed: Input/output error (firmware status 0x1 INVALID_PLATFORM_STATE)\n");
}

static void test_fw_not_reached(void **state)
{
	struct sev_user_data_status st;
	const char *log;
	u32 fw = 0;

	/* The backend fails before the firmware and leaves fw alone. */
	fake.r = -EBADF;
	fake.leave_fw = true;
	capture_start();
	assert_int_equal(sev_platform_status(&fake_psp, &st, &fw), -EBADF);
	log = capture_end();
	assert_int_equal(fw, NO_FW);
	assert_non_null(strstr(log, "SEV_PLATFORM_STATUS failed: Bad file descriptor (firmware status 0xffffffff NO_FW_CALL)"));
	assert_int_equal(count_lines(log), 1);
}

static void test_success_normalises_fw(void **state)
{
	u32 fw = 77;

	/* r == 0 means success whatever the backend left in fw. */
	fake.leave_fw = true;
	assert_int_equal(sev_pdh_gen(&fake_psp, &fw), 0);
	assert_int_equal(fw, SEV_RET_SUCCESS);
}

static void test_missing_ops(void **state)
{
	struct sev_user_data_status st;
	struct kvm_sev_guest_status gs;
	u32 fw = 0, len = 0;
	const char *log;

	capture_start();
	assert_int_equal(sev_platform_status(&empty_psp, &st, &fw),
			 -EOPNOTSUPP);
	assert_int_equal(fw, NO_FW);
	assert_int_equal(sev_guest_status(&empty_psp, 3, &gs, &fw),
			 -EOPNOTSUPP);
	assert_int_equal(sev_guest_init(&empty_psp, 3, false, &fw),
			 -EOPNOTSUPP);
	assert_int_equal(sev_reg_region(&empty_psp, 3, &st, 4096),
			 -EOPNOTSUPP);
	assert_int_equal(sev_cmd_launch_measure(NULL, 3, NULL, &len, &fw),
			 -EINVAL);
	assert_int_equal(fw, NO_FW);
	log = capture_end();
	assert_int_equal(count_lines(log), 5);
	sev_vm_release(&empty_psp, 3);
	psp_close(&empty_psp);
	psp_close(NULL);
}

/* PEK_CSR: a NULL buffer is a length query; INVALID_LEN is expected. */
static void answer_csr_len(void *data)
{
	struct sev_user_data_pek_csr *csr = data;

	csr->length = 0x824;
}

static void test_pek_csr_query(void **state)
{
	struct sev_user_data_pek_csr seen, zero;
	u32 fw = 0, len = 1234;
	const char *log;

	fake.r = -EIO;
	fake.fw = SEV_RET_INVALID_LEN;
	fake.answer = answer_csr_len;
	fake.copy_len = sizeof(seen);
	capture_start();
	assert_int_equal(sev_pek_csr(&fake_psp, NULL, &len, &fw), 0);
	log = capture_end();
	assert_string_equal(log, "");
	assert_int_equal(len, 0x824);
	assert_int_equal(fw, SEV_RET_INVALID_LEN);
	assert_int_equal(fake.cmd, SEV_PEK_CSR);
	memcpy(&seen, fake.seen, sizeof(seen));
	memset(&zero, 0, sizeof(zero));
	assert_memory_equal(&seen, &zero, sizeof(zero));
}

static void test_pek_csr_fetch_and_short_buffer(void **state)
{
	struct sev_user_data_pek_csr seen;
	u8 buf[0x824];
	u32 fw, len = sizeof(buf);
	const char *log;

	fake.copy_len = sizeof(seen);
	assert_int_equal(sev_pek_csr(&fake_psp, buf, &len, &fw), 0);
	memcpy(&seen, fake.seen, sizeof(seen));
	assert_int_equal(seen.address, (u64)(uintptr_t)buf);
	assert_int_equal(seen.length, sizeof(buf));
	assert_int_equal(len, sizeof(buf));

	/* A real buffer that is too small is an error, with the length. */
	len = 16;
	fake.r = -EIO;
	fake.fw = SEV_RET_INVALID_LEN;
	fake.answer = answer_csr_len;
	capture_start();
	assert_int_equal(sev_pek_csr(&fake_psp, buf, &len, &fw), -EIO);
	log = capture_end();
	assert_int_equal(len, 0x824);
	assert_non_null(strstr(log, "SEV_PEK_CSR failed: Input/output error (firmware status 0x4 INVALID_LEN)"));
}

static void answer_pdh_len(void *data)
{
	struct sev_user_data_pdh_cert_export *ex = data;

	ex->pdh_cert_len = 0x824;
	ex->cert_chain_len = 3 * 0x824;
}

static void test_pdh_export_query(void **state)
{
	struct sev_user_data_pdh_cert_export seen, zero;
	u8 pdh[16];
	u32 fw, pdh_len = sizeof(pdh), chain_len = 0;

	/* A zero chain length makes it a query even with a PDH buffer. */
	fake.r = -EIO;
	fake.fw = SEV_RET_INVALID_LEN;
	fake.answer = answer_pdh_len;
	fake.copy_len = sizeof(seen);
	assert_int_equal(sev_pdh_cert_export(&fake_psp, pdh, &pdh_len, NULL,
					     &chain_len, &fw), 0);
	assert_int_equal(fake.cmd, SEV_PDH_CERT_EXPORT);
	memcpy(&seen, fake.seen, sizeof(seen));
	memset(&zero, 0, sizeof(zero));
	assert_memory_equal(&seen, &zero, sizeof(zero));
	assert_int_equal(pdh_len, 0x824);
	assert_int_equal(chain_len, 0x186c);
	assert_int_equal(fw, SEV_RET_INVALID_LEN);
}

static void test_pdh_export_fetch(void **state)
{
	struct sev_user_data_pdh_cert_export seen;
	static u8 pdh[0x824], chain[0x186c];
	u32 fw, pdh_len = sizeof(pdh), chain_len = sizeof(chain);

	fake.copy_len = sizeof(seen);
	assert_int_equal(sev_pdh_cert_export(&fake_psp, pdh, &pdh_len, chain,
					     &chain_len, &fw), 0);
	memcpy(&seen, fake.seen, sizeof(seen));
	assert_int_equal(seen.pdh_cert_address, (u64)(uintptr_t)pdh);
	assert_int_equal(seen.pdh_cert_len, 0x824);
	assert_int_equal(seen.cert_chain_address, (u64)(uintptr_t)chain);
	assert_int_equal(seen.cert_chain_len, 0x186c);
	assert_int_equal(fw, 0);
}

static void test_query_other_error(void **state)
{
	u32 fw, pdh_len = 0, chain_len = 0;
	const char *log;

	/* A query refused for another reason is an error; lengths stay. */
	fake.r = -EIO;
	fake.fw = SEV_RET_INVALID_PLATFORM_STATE;
	fake.answer = answer_pdh_len;
	capture_start();
	assert_int_equal(sev_pdh_cert_export(&fake_psp, NULL, &pdh_len, NULL,
					     &chain_len, &fw), -EIO);
	log = capture_end();
	assert_int_equal(pdh_len, 0);
	assert_int_equal(chain_len, 0);
	assert_int_equal(fw, SEV_RET_INVALID_PLATFORM_STATE);
	assert_int_equal(count_lines(log), 1);
	assert_non_null(strstr(log, "SEV_PDH_CERT_EXPORT failed"));

	/* INVALID_LEN with another errno is not a query answer either. */
	fake.fw = SEV_RET_INVALID_LEN;
	fake.r = -EFAULT;
	capture_start();
	assert_int_equal(sev_pdh_cert_export(&fake_psp, NULL, &pdh_len, NULL,
					     &chain_len, &fw), -EFAULT);
	log = capture_end();
	assert_int_equal(count_lines(log), 1);
}

static void test_pek_cert_import(void **state)
{
	struct sev_user_data_pek_cert_import seen;
	static const u8 pek[0x824], oca[0x824];
	u32 fw;

	fake.copy_len = sizeof(seen);
	assert_int_equal(sev_pek_cert_import(&fake_psp, pek, sizeof(pek), oca,
					     100, &fw), 0);
	assert_int_equal(fake.cmd, SEV_PEK_CERT_IMPORT);
	memcpy(&seen, fake.seen, sizeof(seen));
	assert_int_equal(seen.pek_cert_address, (u64)(uintptr_t)pek);
	assert_int_equal(seen.pek_cert_len, 0x824);
	assert_int_equal(seen.oca_cert_address, (u64)(uintptr_t)oca);
	assert_int_equal(seen.oca_cert_len, 100);
}

static void answer_id_len(void *data)
{
	struct sev_user_data_get_id2 *id = data;

	id->length = 64;
}

static void test_get_id(void **state)
{
	struct sev_user_data_get_id2 seen;
	u8 id[64];
	u32 fw, len = 0;

	fake.r = -EIO;
	fake.fw = SEV_RET_INVALID_LEN;
	fake.answer = answer_id_len;
	fake.copy_len = sizeof(seen);
	assert_int_equal(sev_get_id(&fake_psp, id, &len, &fw), 0);
	assert_int_equal(fake.cmd, SEV_GET_ID2);
	memcpy(&seen, fake.seen, sizeof(seen));
	assert_int_equal(seen.address, 0);
	assert_int_equal(len, 64);

	fake.r = 0;
	fake.fw = 0;
	fake.answer = NULL;
	assert_int_equal(sev_get_id(&fake_psp, id, &len, &fw), 0);
	memcpy(&seen, fake.seen, sizeof(seen));
	assert_int_equal(seen.address, (u64)(uintptr_t)id);
	assert_int_equal(seen.length, 64);
	assert_int_equal(fw, 0);
}

#define T(f) cmocka_unit_test_setup(f, fake_setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_platform_status),
		T(test_platform_no_data_cmds),
		T(test_platform_fw_error_logged),
		T(test_fw_not_reached),
		T(test_success_normalises_fw),
		T(test_missing_ops),
		T(test_pek_csr_query),
		T(test_pek_csr_fetch_and_short_buffer),
		T(test_pdh_export_query),
		T(test_pdh_export_fetch),
		T(test_query_other_error),
		T(test_pek_cert_import),
		T(test_get_id),
	};

	log_init("test_sev");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
