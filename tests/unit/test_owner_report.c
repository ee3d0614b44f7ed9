// SPDX-License-Identifier: GPL-2.0-only
/*
 * sevm-owner verify-report, in-process, against a chain made by the
 * emulated PSP (its state directory holds the certificates verify-chain
 * reads and the PEK's private key, which signs the reports here): a good
 * report (binary or base64) passes; a bad signature, another mnonce or
 * launch digest, a PEK regenerated since, or a broken chain is exit 5 with one line naming the
 * check; a truncated or oversized report and bad arguments are exit 2.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "owner/owner.h"
#include "sev/emul/platform.h"
#include "sev/report.h"
#include "tests/unit/emul-testlib.h"
#include "tests/unit/owner-run.h"

#define NONCE_HEX	"000102030405060708090a0b0c0d0e0f"
#define NONCE_B64	"AAECAwQFBgcICQoLDA0ODw=="
#define OTHER_B64	"AQECAwQFBgcICQoLDA0ODw=="
#define LD_HEX	"1111111111111111111111111111111111111111111111111111111111111111"
#define LD2_HEX	"1111111111111111111111111111111111111111111111111111111111111112"

struct fix {
	char chain[EMUL_DIR_MAX];
	char *dir;		/* the report files */
	char *rep;		/* dir/report.bin */
};

static void make_report(struct fix *f, struct sev_report *r)
{
	u8 nonce[16], ld[32];
	EVP_PKEY *pek = NULL;

	assert_int_equal(hex_decode(NONCE_HEX, nonce, 16), 0);
	assert_int_equal(hex_decode(LD_HEX, ld, 32), 0);
	assert_int_equal(emul_pem_read(f->chain, "pek", &pek), 0);
	assert_int_equal(sev_report_build(r, nonce, ld, 0x33, pek), 0);
	EVP_PKEY_free(pek);
}

static int fix_setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct sev_report r;

	assert_non_null(f);
	emul_clone(f->chain);
	f->dir = tmpdir();
	make_report(f, &r);
	write_in(f->dir, "report.bin", &r, sizeof(r));
	f->rep = strdup(path_in(f->dir, "report.bin"));
	*state = f;
	return 0;
}

static int fix_teardown(void **state)
{
	struct fix *f = *state;

	emul_rmtree(f->chain);
	rm_tree(f->dir);
	free(f->rep);
	free(f);
	return 0;
}

#define VERIFY(o, f, nonce, ...) \
	RUN(o, owner_verify_report, "--report", (f)->rep, "--chain", \
	    (f)->chain, "--mnonce", nonce, ##__VA_ARGS__)

static void test_good(void **state)
{
	struct fix *f = *state;
	struct sev_report r;
	struct run o;
	char *b64;

	VERIFY(&o, f, NONCE_B64);
	assert_int_equal(o.rc, 0);
	assert_non_null(strstr(o.out, "signature (PEK)      ok"));
	assert_non_null(strstr(o.out, "policy               0x33"));
	assert_non_null(strstr(o.out, "measurement          not checked"));
	VERIFY(&o, f, NONCE_HEX, "--measurement", LD_HEX);
	assert_int_equal(o.rc, 0);
	assert_non_null(strstr(o.out, "launch digest        " LD_HEX));
	/* the base64 "data" text of QMP works as well */
	make_report(f, &r);
	b64 = base64_encode(&r, sizeof(r));
	write_in(f->dir, "report.bin", b64, strlen(b64));
	free(b64);
	VERIFY(&o, f, NONCE_B64, "--measurement", LD_HEX);
	assert_int_equal(o.rc, 0);
}

static void test_mismatches(void **state)
{
	struct fix *f = *state;
	struct run o;

	VERIFY(&o, f, OTHER_B64);
	expect_error(&o, EXIT_MISMATCH, "mnonce check failed");
	VERIFY(&o, f, NONCE_B64, "--measurement", LD2_HEX);
	expect_error(&o, EXIT_MISMATCH, "measurement check failed");
	flip_byte(f->dir, "report.bin", 0x10);	/* the launch digest */
	VERIFY(&o, f, NONCE_B64);
	expect_error(&o, EXIT_MISMATCH, "signature check failed");
	flip_byte(f->dir, "report.bin", 0x10);
	flip_byte(f->dir, "report.bin", 0x40);	/* R */
	VERIFY(&o, f, NONCE_B64);
	expect_error(&o, EXIT_MISMATCH, "signature check failed");
	flip_byte(f->dir, "report.bin", 0x40);
	VERIFY(&o, f, NONCE_B64);
	assert_int_equal(o.rc, 0);
	/* the OCA's signature on the PEK: the chain fails */
	flip_byte(f->chain, "pek.cert", 0x41c + 8);
	VERIFY(&o, f, NONCE_B64);
	expect_error(&o, EXIT_MISMATCH, "chain does not verify");
}

/* After PEK_GEN the platform's chain verifies but its PEK did not sign. */
static void test_other_pek(void **state)
{
	struct fix *f = *state;
	char other[EMUL_DIR_MAX];
	struct emul_fw *fw;
	struct run o;

	emul_clone(other);
	assert_int_equal(emul_fw_open(&fw, other, NULL), 0);
	fw_init(fw, false);
	assert_int_equal(fw_call(fw, EMUL_CMD_PEK_GEN, NULL), SEV_RET_SUCCESS);
	emul_fw_close(fw);
	RUN(&o, owner_verify_report, "--report", f->rep, "--chain", other,
	    "--mnonce", NONCE_B64);
	expect_error(&o, EXIT_MISMATCH, "signature check failed");
	emul_rmtree(other);
}

static void test_bad_input(void **state)
{
	struct fix *f = *state;
	u8 big[5000];
	struct run o;

	truncate_file(f->dir, "report.bin", 207);
	VERIFY(&o, f, NONCE_B64);
	expect_error(&o, EXIT_CONFIG, "not an SEV attestation report (207 bytes");
	memset(big, 1, sizeof(big));
	write_in(f->dir, "report.bin", big, sizeof(big));
	VERIFY(&o, f, NONCE_B64);
	expect_error(&o, EXIT_CONFIG, "file too large");
	VERIFY(&o, f, "AAEC");
	expect_error(&o, EXIT_CONFIG, "--mnonce");
	VERIFY(&o, f, NONCE_B64, "--measurement", "abc");
	expect_error(&o, EXIT_CONFIG, "--measurement");
	RUN(&o, owner_verify_report, "--report", f->rep, "--mnonce",
	    NONCE_B64);
	expect_error(&o, EXIT_CONFIG, "need --report, --mnonce and --chain");
	RUN(&o, owner_verify_report, "--report", "/nonexistent/r", "--chain",
	    f->chain, "--mnonce", NONCE_B64);
	expect_error(&o, EXIT_CONFIG, "/nonexistent/r");
	remove_file(f->chain, "pek.cert");
	make_report(f, (struct sev_report *)big);
	write_in(f->dir, "report.bin", big, SEV_REPORT_SIZE);
	VERIFY(&o, f, NONCE_B64);
	expect_error(&o, EXIT_CONFIG, "pek.cert: cannot read");
	assert_non_null(strstr(o.err, "verify-report: file "));
	RUN(&o, owner_verify_report, "--help");
	assert_int_equal(o.rc, 0);
	assert_non_null(strstr(o.out, "usage: sevm-owner verify-report"));
}

int main(void)
{
#define F(t) cmocka_unit_test_setup_teardown(t, fix_setup, fix_teardown)
	const struct CMUnitTest tests[] = {
		F(test_good),
		F(test_mismatches),
		F(test_other_pek),
		F(test_bad_input),
	};

	return cmocka_run_group_tests(tests, emul_master_setup,
				      emul_master_teardown);
}
