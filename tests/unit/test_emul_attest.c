// SPDX-License-Identifier: GPL-2.0-only
/*
 * ATTESTATION in the emulated PSP (sev/emul/attest.c), the report module
 * (sev/report.c) and the thin layer's sev_attestation_report over the
 * emulated backend: the exact layout (mnonce echoed, LD, policy, PEK
 * usage, ECDSA_SHA256), a signature that OpenSSL verifies against the
 * exported PEK's public key, the guest states the firmware allows
 * (LSECRET, RUNNING; not LUPDATE), the length query, API < 0.23, and the
 * parser's refusals.
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include "sev/emul/platform.h"
#include "sev/report.h"
#include "sev/sev.h"
#include "tests/unit/emul-testlib.h"

#define POLICY		(SEV_POLICY_NODBG | SEV_POLICY_NOKS)
#define VM		9

struct fix {
	char dir[EMUL_DIR_MAX];
	struct emul_fw *fw;
	u32 handle;
};

static u8 image[4096] __attribute__((aligned(4096)));
static const u8 nonce[16] = "attest-nonce-16";

static u64 addr(const void *p)
{
	return (u64)(uintptr_t)p;
}

static int fix_setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	emul_clone(f->dir);
	assert_int_equal(emul_fw_open(&f->fw, f->dir, NULL), 0);
	fw_init(f->fw, false);
	for (size_t i = 0; i < sizeof(image); i++)
		image[i] = (u8)(i * 13 + 1);
	*state = f;
	return 0;
}

static int fix_teardown(void **state)
{
	struct fix *f = *state;

	emul_fw_close(f->fw);
	emul_rmtree(f->dir);
	free(f);
	return 0;
}

static u32 attest(struct fix *f, void *buf, u32 *len)
{
	struct emul_data_attestation d;
	u32 st;

	memset(&d, 0, sizeof(d));
	d.handle = f->handle;
	d.address = addr(buf);
	d.len = *len;
	memcpy(d.mnonce, nonce, sizeof(nonce));
	st = fw_call(f->fw, EMUL_CMD_ATTESTATION, &d);
	*len = d.len;
	return st;
}

static void launch_update(struct fix *f)
{
	struct emul_data_launch_update lu;

	f->handle = fw_launch(f->fw, POLICY);
	memset(&lu, 0, sizeof(lu));
	lu.handle = f->handle;
	lu.address = addr(image);
	lu.len = sizeof(image);
	assert_int_equal(fw_call(f->fw, EMUL_CMD_LAUNCH_UPDATE_DATA, &lu), 0);
}

static void launch_measure(struct fix *f)
{
	struct emul_data_launch_measure lm;
	struct sev_measurement m;

	memset(&lm, 0, sizeof(lm));
	lm.handle = f->handle;
	lm.address = addr(&m);
	lm.len = sizeof(m);
	assert_int_equal(fw_call(f->fw, EMUL_CMD_LAUNCH_MEASURE, &lm), 0);
}

/* Independent of sev/report.c: DER signature and EVP_DigestVerify. */
static int openssl_verify(const struct sev_report *r, const struct sev_cert *pek)
{
	ECDSA_SIG *sig = ECDSA_SIG_new();
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY *key = NULL;
	u8 *der = NULL;
	int len, ok;

	assert_int_equal(sev_cert_pubkey(pek, &key), 0);
	assert_true(ECDSA_SIG_set0(sig, BN_lebin2bn(r->sig_r, 72, NULL),
				   BN_lebin2bn(r->sig_s, 72, NULL)));
	len = i2d_ECDSA_SIG(sig, &der);
	assert_true(len > 0);
	assert_int_equal(EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL,
					      key), 1);
	ok = EVP_DigestVerify(md, der, (size_t)len, (const u8 *)r, 0x34);
	OPENSSL_free(der);
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	ECDSA_SIG_free(sig);
	return ok;
}

static void expect_ld(const u8 ld[32])
{
	u8 want[32];

	assert_int_equal(EVP_Digest(image, sizeof(image), want, NULL,
				    EVP_sha256(), NULL), 1);
	assert_memory_equal(ld, want, 32);
}

/* The layout byte by byte, and the signature by the exported PEK. */
static void test_report_layout(void **state)
{
	struct fix *f = *state;
	struct sev_cert pdh, chain[3];
	u8 buf[SEV_REPORT_SIZE + 8];
	struct sev_report *r = (void *)buf;
	u32 len = sizeof(buf), v;

	launch_update(f);
	launch_measure(f);
	memset(buf, 0xcc, sizeof(buf));
	assert_int_equal(attest(f, buf, &len), SEV_RET_SUCCESS);
	assert_int_equal(len, 208);
	assert_memory_equal(buf, nonce, 16);
	expect_ld(buf + 0x10);
	memcpy(&v, buf + 0x30, 4);
	assert_int_equal(le32toh(v), POLICY);
	memcpy(&v, buf + 0x34, 4);
	assert_int_equal(le32toh(v), 0x1002);
	memcpy(&v, buf + 0x38, 4);
	assert_int_equal(le32toh(v), 0x2);
	memcpy(&v, buf + 0x3c, 4);
	assert_int_equal(v, 0);
	assert_int_equal(buf[208], 0xcc);	/* nothing past the report */
	fw_export(f->fw, &pdh, chain);
	assert_int_equal(openssl_verify(r, &chain[0]), 1);
	assert_int_equal(sev_report_verify(r, &chain[0]), 0);
	assert_int_equal(sev_report_verify(r, &pdh), -EINVAL);	/* not a PEK */
	buf[0x30] ^= 1;		/* policy is signed */
	assert_int_equal(openssl_verify(r, &chain[0]), 0);
	assert_int_equal(sev_report_verify(r, &chain[0]), -EBADMSG);
}

/* LUPDATE: INVALID_GUEST_STATE; LSECRET and RUNNING: a report. */
static void test_states(void **state)
{
	struct fix *f = *state;
	struct emul_data_handle h;
	u8 buf[SEV_REPORT_SIZE];
	u32 len = sizeof(buf);

	assert_int_equal(attest(f, buf, &len), SEV_RET_INVALID_GUEST);
	launch_update(f);
	assert_int_equal(attest(f, buf, &len), SEV_RET_INVALID_GUEST_STATE);
	launch_measure(f);
	assert_int_equal(attest(f, buf, &len), SEV_RET_SUCCESS);
	h.handle = f->handle;
	assert_int_equal(fw_call(f->fw, EMUL_CMD_LAUNCH_FINISH, &h), 0);
	len = sizeof(buf);
	assert_int_equal(attest(f, buf, &len), SEV_RET_SUCCESS);
	assert_memory_equal(buf, nonce, 16);
	expect_ld(buf + 0x10);
}

/* Too short: INVALID_LEN and 208 back; no address: INVALID_ADDRESS. */
static void test_lengths(void **state)
{
	struct fix *f = *state;
	u8 buf[SEV_REPORT_SIZE];
	u32 len = 0;

	launch_update(f);
	launch_measure(f);
	assert_int_equal(attest(f, NULL, &len), SEV_RET_INVALID_LEN);
	assert_int_equal(len, 208);
	len = 207;
	memset(buf, 0x5a, sizeof(buf));
	assert_int_equal(attest(f, buf, &len), SEV_RET_INVALID_LEN);
	assert_int_equal(len, 208);
	assert_int_equal(buf[0], 0x5a);
	len = 208;
	assert_int_equal(attest(f, NULL, &len), SEV_RET_INVALID_ADDRESS);
}

/* The command arrived with API 0.23. */
static void test_old_api(void **state)
{
	struct fix *f = *state;
	struct emul_config c;
	u8 buf[SEV_REPORT_SIZE];
	u32 len = sizeof(buf);

	launch_update(f);
	launch_measure(f);
	assert_int_equal(emul_config_load(f->dir, &c), 0);
	c.api_major = 0;
	c.api_minor = 22;
	assert_int_equal(emul_config_save(f->dir, &c), 0);
	assert_int_equal(attest(f, buf, &len), SEV_RET_INVALID_COMMAND);
	c.api_minor = 23;
	assert_int_equal(emul_config_save(f->dir, &c), 0);
	assert_int_equal(attest(f, buf, &len), SEV_RET_SUCCESS);
}

/* The thin layer over the emulated backend: query, then the report. */
static void test_thin_layer(void **state)
{
	struct fix *f = *state;
	struct sev_measurement m;
	struct psp *psp;
	u8 buf[SEV_REPORT_SIZE];
	u32 len = 0, fw = 0, handle = 0;

	emul_fw_close(f->fw);
	assert_int_equal(emul_fw_open(&f->fw, f->dir, NULL), 0);
	assert_int_equal(psp_open_emulated(&psp, f->dir), 0);
	assert_int_equal(sev_guest_init(psp, VM, false, &fw), 0);
	assert_int_equal(sev_cmd_launch_start(psp, VM, POLICY, NULL, 0, NULL,
					      0, &handle, &fw), 0);
	assert_int_equal(sev_launch_update_data(psp, VM, image, sizeof(image),
						&fw), 0);
	assert_int_equal(sev_attestation_report(psp, VM, nonce, NULL, &len,
						&fw), -EIO);
	assert_int_equal(fw, SEV_RET_INVALID_GUEST_STATE);
	len = sizeof(m);
	assert_int_equal(sev_cmd_launch_measure(psp, VM, &m, &len, &fw), 0);
	len = 0;
	assert_int_equal(sev_attestation_report(psp, VM, nonce, NULL, &len,
						&fw), 0);
	assert_int_equal(fw, SEV_RET_INVALID_LEN);
	assert_int_equal(len, 208);
	assert_int_equal(sev_attestation_report(psp, VM, nonce, buf, &len,
						&fw), 0);
	assert_int_equal(fw, 0);
	assert_memory_equal(buf, nonce, 16);
	expect_ld(buf + 0x10);
	assert_int_equal(sev_attestation_report(psp, VM + 1, nonce, buf, &len,
						&fw), -ENOTTY);
	psp_close(psp);
}

static void test_parse(void **state)
{
	struct sev_report in, out;

	memset(&in, 0, sizeof(in));
	in.sig_usage = htole32(SEV_USAGE_PEK);
	in.sig_algo = htole32(SEV_ALGO_ECDSA_SHA256);
	assert_int_equal(sev_report_parse(&in, sizeof(in), &out), 0);
	assert_memory_equal(&in, &out, sizeof(in));
	assert_int_equal(sev_report_parse(&in, sizeof(in) - 1, &out), -EINVAL);
	assert_int_equal(sev_report_parse(NULL, sizeof(in), &out), -EINVAL);
	in.sig_algo = htole32(SEV_ALGO_ECDSA_SHA384);
	assert_int_equal(sev_report_parse(&in, sizeof(in), &out), -EINVAL);
	in.sig_algo = htole32(SEV_ALGO_ECDSA_SHA256);
	in.sig_usage = htole32(SEV_USAGE_PDH);
	assert_int_equal(sev_report_parse(&in, sizeof(in), &out), -EINVAL);
}

int main(void)
{
#define F(t) cmocka_unit_test_setup_teardown(t, fix_setup, fix_teardown)
	const struct CMUnitTest tests[] = {
		F(test_report_layout),
		F(test_states),
		F(test_lengths),
		F(test_old_api),
		F(test_thin_layer),
		cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, emul_master_setup,
				      emul_master_teardown);
}
