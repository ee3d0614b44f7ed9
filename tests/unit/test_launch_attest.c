// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev_launch_attestation (vmm/launch-attest.c) over the real emulated
 * PSP: refused before LAUNCH_START ("SEV is not enabled") and before the
 * measurement (the firmware's INVALID_GUEST_STATE at the length query, in
 * QEMU's words, one error line); after LAUNCH_MEASURE and after
 * LAUNCH_FINISH a 208-byte report that echoes the mnonce, holds the
 * launch digest of the firmware and the policy, and verifies against the
 * platform's PEK certificate.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "sev/report.h"
#include "tests/unit/sev-testlib.h"
#include "tests/unit/test_launch_lib.h"

static const u8 nonce[16] = "launch-attest-16";

static void pek_cert(const char *dir, struct sev_cert *pek)
{
	char path[LT_PATH_MAX];
	size_t len;
	void *buf;

	snprintf(path, sizeof(path), "%s/pek.cert", dir);
	assert_int_equal(read_file(path, &buf, &len, 4096), 0);
	assert_int_equal(sev_cert_parse(buf, len, pek), 0);
	free(buf);
}

/* A report for nonce: the layout, LD of the firmware, the signature. */
static void expect_report(struct lt *t)
{
	struct sev_report r;
	struct sev_cert pek;
	char err[256] = "";
	u8 *rep, ld[32];
	u32 len = 0;

	assert_int_equal(sev_launch_attestation(t->l, nonce, &rep, &len, err,
						sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(len, SEV_REPORT_SIZE);
	assert_int_equal(sev_report_parse(rep, len, &r), 0);
	free(rep);
	assert_memory_equal(r.mnonce, nonce, 16);
	assert_int_equal(le32toh(r.policy), 0x33);
	assert_int_equal(EVP_Digest(t->fw.b.data, t->fw.b.size, ld, NULL,
				    EVP_sha256(), NULL), 1);
	assert_memory_equal(r.launch_digest, ld, 32);
	pek_cert(t->dir, &pek);
	assert_int_equal(sev_report_verify(&r, &pek), 0);
}

static void test_attest_states(void **state)
{
	struct lt *t = lt_new(NULL, false);
	static u8 dummy;
	char err[256];
	u8 *rep = &dummy;
	u32 len = 0;

	lt_firmware(t, LT_FW_ALL);
	lt_vm(t, 1);
	lt_owner(t);
	assert_int_equal(sev_launch_open(&t->l, &t->cfg, LT_RAM), 0);
	assert_int_equal(sev_launch_attestation(t->l, nonce, &rep, &len, err,
						sizeof(err)), -ENOTTY);
	assert_string_equal(err, "SEV is not enabled");
	assert_null(rep);
	capture_start();
	assert_int_equal(sev_launch_start(t->l, &t->vm), 0);
	capture_end();
	capture_start();
	assert_int_equal(sev_launch_attestation(t->l, nonce, &rep, &len, err,
						sizeof(err)), -EIO);
	lt_one_error(capture_end(), "KVM_SEV_GET_ATTESTATION_REPORT failed");
	assert_string_equal(err, "SEV: Failed to query the attestation report length ret=-1 fw_err=2 (Guest state is invalid)");
	assert_int_equal(sev_launch_last_fw_err(t->l),
			 SEV_RET_INVALID_GUEST_STATE);
	assert_null(rep);

	capture_start();
	assert_int_equal(sev_launch_measure(t->l, &t->vm), 0);
	capture_end();
	expect_report(t);			/* LSECRET */
	assert_int_equal(sev_launch_last_fw_err(t->l), 0);
	capture_start();
	assert_int_equal(sev_launch_finish(t->l, &t->vm), 0);
	capture_end();
	expect_report(t);			/* RUNNING */
	lt_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attest_states),
	};

	return cmocka_run_group_tests(tests, emul_master_setup,
				      emul_master_teardown);
}
