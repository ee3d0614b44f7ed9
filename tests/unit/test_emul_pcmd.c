// SPDX-License-Identifier: GPL-2.0-only
/*
 * Emulated firmware, platform commands: PLATFORM_STATUS fields, the
 * output buffers and their INVALID_LEN convention, the certificate chain
 * after each key command, PEK_CERT_IMPORT's checks and ownership, and
 * PLATFORM_RESET.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sev/emul/psp.h"
#include "tests/unit/emul-testlib.h"

struct fix {
	char dir[EMUL_DIR_MAX];
	struct emul_fw *fw;
	struct amd_cert ask;
	u8 *ark_b, *ask_b;
};

static u64 addr(const void *p)
{
	return (u64)(uintptr_t)p;
}

static int fix_setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	size_t a, b;

	assert_non_null(f);
	emul_clone(f->dir);
	assert_int_equal(emul_fw_open(&f->fw, f->dir, NULL), 0);
	fw_init(f->fw, false);
	assert_int_equal(emul_platform_read_roots(f->dir, &f->ark_b, &a,
						  &f->ask_b, &b), 0);
	assert_int_equal(amd_cert_parse(f->ask_b, b, &f->ask), 0);
	*state = f;
	return 0;
}

static int fix_teardown(void **state)
{
	struct fix *f = *state;

	emul_fw_close(f->fw);
	emul_rmtree(f->dir);
	free(f->ark_b);
	free(f->ask_b);
	free(f);
	return 0;
}

static void refused(struct fix *f, u32 cmd, void *buf, u32 st)
{
	struct emul_fw_snap before, after;

	fw_snap(f->fw, &before);
	assert_int_equal(fw_call(f->fw, cmd, buf), st);
	fw_snap(f->fw, &after);
	assert_snap_equal(&before, &after);
}

/* Export and verify the whole chain ASK -> CEK -> PEK <- OCA, PDH. */
static void export_verified(struct fix *f, struct sev_cert *pdh,
			    struct sev_cert chain[3])
{
	struct sev_chain ch = { NULL, &f->ask, &chain[2], &chain[1],
				&chain[0], pdh };
	const char *failed = NULL;

	fw_export(f->fw, pdh, chain);
	if (sev_chain_verify(&ch, &failed))
		fail_msg("chain link %s does not verify", failed);
	assert_int_equal(sev_cert_verify_amd(&chain[2], &f->ask), 0);
	assert_int_equal(chain[0].sig[0].usage, SEV_USAGE_OCA);
	assert_int_equal(chain[0].sig[1].usage, SEV_USAGE_CEK);
	assert_int_equal(pdh->pub_key_algo, SEV_ALGO_ECDH_SHA256);
}

static void status(struct fix *f, struct emul_data_status *s)
{
	assert_int_equal(fw_call(f->fw, EMUL_CMD_PLATFORM_STATUS, s), 0);
}

static void test_status_fields(void **state)
{
	struct fix *f = *state;
	struct sev_user_data_status u;
	struct emul_data_status s;

	status(f, &s);
	assert_int_equal(s.api_major, 1);
	assert_int_equal(s.api_minor, 55);
	assert_int_equal(s.build, 21);
	assert_int_equal(s.state, SEV_PSTATE_INIT);
	assert_int_equal(s.owner, 0);
	assert_int_equal(s.config, 0);
	assert_int_equal(s.guest_count, 0);
	assert_int_equal(fw_call(f->fw, EMUL_CMD_SHUTDOWN, NULL), 0);
	fw_init(f->fw, true);
	status(f, &s);
	assert_int_equal(s.config, EMUL_CONFIG_ES);
	/* As the kernel's sev_user_data_status: CONFIG.ES is flags bit 8. */
	memcpy(&u, &s, sizeof(u));
	assert_int_equal(u.flags & SEV_STATUS_FLAGS_CONFIG_ES,
			 SEV_STATUS_FLAGS_CONFIG_ES);
}

static void test_pek_csr(void **state)
{
	struct fix *f = *state;
	struct sev_cert csr[2], pdh, chain[3];
	struct emul_data_addr_len d;

	memset(&d, 0, sizeof(d));
	refused(f, EMUL_CMD_PEK_CSR, &d, SEV_RET_INVALID_LEN);
	assert_int_equal(d.len, SEV_CERT_SIZE);
	d.address = addr(csr);
	d.len = SEV_CERT_SIZE - 1;
	refused(f, EMUL_CMD_PEK_CSR, &d, SEV_RET_INVALID_LEN);
	assert_int_equal(d.len, SEV_CERT_SIZE);
	d.address = 0;
	refused(f, EMUL_CMD_PEK_CSR, &d, SEV_RET_INVALID_ADDRESS);
	d.address = addr(csr);
	d.len = sizeof(csr);
	assert_int_equal(fw_call(f->fw, EMUL_CMD_PEK_CSR, &d), 0);
	assert_int_equal(d.len, SEV_CERT_SIZE);
	fw_export(f->fw, &pdh, chain);
	assert_int_equal(csr[0].pub_key_usage, SEV_USAGE_PEK);
	assert_memory_equal(csr[0].pub_key, chain[0].pub_key,
			    sizeof(csr[0].pub_key));
	assert_int_equal(csr[0].sig[0].usage, SEV_USAGE_INVALID);
	assert_int_equal(csr[0].sig[1].usage, SEV_USAGE_INVALID);
	assert_int_equal(csr[0].sig[0].algo, SEV_ALGO_INVALID);
}

static void test_pdh_export_lengths(void **state)
{
	struct fix *f = *state;
	struct emul_data_pdh_cert_export d, e;
	struct sev_cert certs[4];

	memset(&d, 0, sizeof(d));
	d.pdh_cert_address = addr(&certs[0]);
	d.pdh_cert_len = SEV_CERT_SIZE;
	d.cert_chain_address = addr(&certs[1]);
	d.cert_chain_len = 3 * SEV_CERT_SIZE;
	e = d, e.pdh_cert_len = 16;
	refused(f, EMUL_CMD_PDH_CERT_EXPORT, &e, SEV_RET_INVALID_LEN);
	assert_int_equal(e.pdh_cert_len, SEV_CERT_SIZE);
	assert_int_equal(e.cert_chain_len, 3 * SEV_CERT_SIZE);
	e = d, e.cert_chain_len = 2 * SEV_CERT_SIZE;
	refused(f, EMUL_CMD_PDH_CERT_EXPORT, &e, SEV_RET_INVALID_LEN);
	assert_int_equal(e.cert_chain_len, 3 * SEV_CERT_SIZE);
	e = d, e.pdh_cert_address = 0;
	refused(f, EMUL_CMD_PDH_CERT_EXPORT, &e, SEV_RET_INVALID_ADDRESS);
	e = d, e.cert_chain_address = 0;
	refused(f, EMUL_CMD_PDH_CERT_EXPORT, &e, SEV_RET_INVALID_ADDRESS);
}

static void get_id(struct fix *f, u8 id[64])
{
	struct emul_data_addr_len d = { .address = addr(id), .len = 64 };

	assert_int_equal(fw_call(f->fw, EMUL_CMD_GET_ID, &d), 0);
	assert_int_equal(d.len, 64);
}

static void test_get_id(void **state)
{
	struct fix *f = *state;
	struct emul_data_addr_len d;
	u8 id[64], again[64], zero[64] = { 0 };

	memset(&d, 0, sizeof(d));
	d.address = addr(id);
	d.len = 63;
	refused(f, EMUL_CMD_GET_ID, &d, SEV_RET_INVALID_LEN);
	assert_int_equal(d.len, 64);
	d.address = 0;
	refused(f, EMUL_CMD_GET_ID, &d, SEV_RET_INVALID_ADDRESS);
	get_id(f, id);
	assert_memory_not_equal(id, zero, sizeof(id));
	assert_int_equal(fw_call(f->fw, EMUL_CMD_PEK_GEN, NULL), 0);
	get_id(f, again);
	assert_memory_equal(id, again, sizeof(id));
}

static void test_keygen(void **state)
{
	struct fix *f = *state;
	struct sev_cert pdh0, pdh1, c0[3], c1[3];

	export_verified(f, &pdh0, c0);
	assert_int_equal(fw_call(f->fw, EMUL_CMD_PDH_GEN, NULL), 0);
	export_verified(f, &pdh1, c1);
	assert_memory_not_equal(pdh0.pub_key, pdh1.pub_key,
				sizeof(pdh0.pub_key));
	assert_memory_equal(&c0[0], &c1[0], sizeof(c0[0]));	/* same PEK */

	assert_int_equal(fw_call(f->fw, EMUL_CMD_PEK_GEN, NULL), 0);
	export_verified(f, &pdh0, c0);
	assert_memory_not_equal(c0[0].pub_key, c1[0].pub_key,
				sizeof(c0[0].pub_key));
	assert_memory_not_equal(c0[1].pub_key, c1[1].pub_key,	/* OCA */
				sizeof(c0[1].pub_key));
	assert_memory_equal(&c0[2], &c1[2], sizeof(c0[2]));	/* CEK */
}

struct owner {
	EVP_PKEY *oca_key;
	struct sev_cert pek, oca;
	struct emul_data_pek_cert_import imp;
};

/* The owner certifies our PEK (from a CSR) with a fresh OCA, in slot. */
static void owner_sign(struct fix *f, struct owner *o, int slot)
{
	struct emul_data_addr_len d = { .address = addr(&o->pek),
					.len = SEV_CERT_SIZE };

	assert_int_equal(fw_call(f->fw, EMUL_CMD_PEK_CSR, &d), 0);
	assert_int_equal(sev_ec_keygen(&o->oca_key), 0);
	assert_int_equal(sev_cert_init(&o->oca, SEV_USAGE_OCA,
				       SEV_ALGO_ECDSA_SHA256, o->oca_key, 1,
				       0), 0);
	assert_int_equal(sev_cert_sign(&o->oca, 0, SEV_USAGE_OCA, o->oca_key),
			 0);
	assert_int_equal(sev_cert_sign(&o->pek, slot, SEV_USAGE_OCA,
				       o->oca_key), 0);
	memset(&o->imp, 0, sizeof(o->imp));
	o->imp.pek_cert_address = addr(&o->pek);
	o->imp.pek_cert_len = SEV_CERT_SIZE;
	o->imp.oca_cert_address = addr(&o->oca);
	o->imp.oca_cert_len = SEV_CERT_SIZE;
}

static void owner_free(struct owner *o)
{
	EVP_PKEY_free(o->oca_key);
}

static bool oca_key_exists(struct fix *f)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/oca.key", f->dir);
	return !access(path, F_OK);
}

static void test_import(void **state)
{
	struct fix *f = *state;
	struct sev_cert pdh, chain[3];
	struct emul_data_status s;
	struct emul_fw *other;
	struct owner o;

	owner_sign(f, &o, 1);		/* the OCA's signature in slot 1 */
	assert_int_equal(fw_call(f->fw, EMUL_CMD_PEK_CERT_IMPORT, &o.imp), 0);
	status(f, &s);
	assert_int_equal(s.owner, EMUL_OWNER_EXTERNAL);
	export_verified(f, &pdh, chain);
	assert_memory_equal(&chain[1], &o.oca, sizeof(o.oca));
	assert_int_equal(sev_cert_verify(&chain[0], &o.oca), 0);
	assert_false(oca_key_exists(f));
	refused(f, EMUL_CMD_PEK_CERT_IMPORT, &o.imp, SEV_RET_ALREADY_OWNED);

	/* Another firmware instance on the same directory sees it. */
	assert_int_equal(emul_fw_open(&other, f->dir, NULL), 0);
	fw_export(other, &pdh, chain);
	assert_memory_equal(&chain[1], &o.oca, sizeof(o.oca));
	emul_fw_close(other);

	/* PEK_GEN: self-owned again, with a new OCA. */
	assert_int_equal(fw_call(f->fw, EMUL_CMD_PEK_GEN, NULL), 0);
	status(f, &s);
	assert_int_equal(s.owner, 0);
	export_verified(f, &pdh, chain);
	assert_memory_not_equal(&chain[1], &o.oca, sizeof(o.oca));
	assert_true(oca_key_exists(f));
	owner_free(&o);
}

static void test_import_checks(void **state)
{
	struct fix *f = *state;
	struct emul_data_pek_cert_import t;
	struct sev_cert good_pek;
	struct owner o, other;
	EVP_PKEY *k = NULL;
	const u32 I = EMUL_CMD_PEK_CERT_IMPORT;

	owner_sign(f, &o, 0);
	owner_sign(f, &other, 0);
	good_pek = o.pek;
	t = o.imp, t.pek_cert_len = SEV_CERT_SIZE - 1;
	refused(f, I, &t, SEV_RET_INVALID_LEN);
	t = o.imp, t.oca_cert_len = SEV_CERT_SIZE + 4;
	refused(f, I, &t, SEV_RET_INVALID_LEN);
	t = o.imp, t.pek_cert_address = 0;
	refused(f, I, &t, SEV_RET_INVALID_ADDRESS);
	t = o.imp, t.oca_cert_address = addr(&o.pek);	/* not an OCA */
	refused(f, I, &t, SEV_RET_INVALID_CERTIFICATE);
	o.oca.version = 2;
	refused(f, I, &o.imp, SEV_RET_INVALID_CERTIFICATE);
	o.oca.version = 1;
	o.oca.sig[0].sig[3] ^= 1;			/* not self-signed */
	refused(f, I, &o.imp, SEV_RET_BAD_SIGNATURE);
	o.oca.sig[0].sig[3] ^= 1;
	t = o.imp, t.oca_cert_address = addr(&other.oca);	/* wrong OCA */
	refused(f, I, &t, SEV_RET_BAD_SIGNATURE);
	/* A PEK for a key that is not ours, properly signed. */
	assert_int_equal(sev_ec_keygen(&k), 0);
	assert_int_equal(sev_cert_init(&o.pek, SEV_USAGE_PEK,
				       SEV_ALGO_ECDSA_SHA256, k, 1, 55), 0);
	assert_int_equal(sev_cert_sign(&o.pek, 0, SEV_USAGE_OCA, o.oca_key),
			 0);
	refused(f, I, &o.imp, SEV_RET_INVALID_CERTIFICATE);
	o.pek = good_pek;
	assert_int_equal(fw_call(f->fw, I, &o.imp), 0);
	EVP_PKEY_free(k);
	owner_free(&o);
	owner_free(&other);
}

static void test_platform_reset(void **state)
{
	struct fix *f = *state;
	struct sev_cert pdh0, pdh1, c0[3], c1[3];
	struct emul_data_status s;
	struct owner o;
	u8 id0[64], id1[64];

	owner_sign(f, &o, 0);
	assert_int_equal(fw_call(f->fw, EMUL_CMD_PEK_CERT_IMPORT, &o.imp), 0);
	export_verified(f, &pdh0, c0);
	get_id(f, id0);
	refused(f, EMUL_CMD_PLATFORM_RESET, NULL,
		SEV_RET_INVALID_PLATFORM_STATE);
	assert_int_equal(fw_call(f->fw, EMUL_CMD_SHUTDOWN, NULL), 0);
	assert_int_equal(fw_call(f->fw, EMUL_CMD_PLATFORM_RESET, NULL), 0);
	status(f, &s);
	assert_int_equal(s.state, SEV_PSTATE_UNINIT);
	assert_int_equal(s.owner, 0);
	fw_init(f->fw, false);
	export_verified(f, &pdh1, c1);
	get_id(f, id1);
	assert_memory_equal(id0, id1, sizeof(id0));		/* the chip */
	assert_memory_equal(&c0[2], &c1[2], sizeof(c0[2]));	/* CEK */
	assert_memory_not_equal(c0[0].pub_key, c1[0].pub_key,
				sizeof(c0[0].pub_key));
	assert_memory_not_equal(pdh0.pub_key, pdh1.pub_key,
				sizeof(pdh0.pub_key));
	owner_free(&o);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fix_setup, fix_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_status_fields),
		T(test_pek_csr),
		T(test_pdh_export_lengths),
		T(test_get_id),
		T(test_keygen),
		T(test_import),
		T(test_import_checks),
		T(test_platform_reset),
	};

	return cmocka_run_group_tests(tests, emul_master_setup,
				      emul_master_teardown);
}
