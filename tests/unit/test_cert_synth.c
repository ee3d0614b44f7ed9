// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev/cert.c with certificates made here, the way the emulated PSP makes
 * them: every chain link failing by name, malformed SEV and AMD
 * certificates, ECDH, and the PSS salt-length rule.
 */
#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "sev/cert.h"
#include "sev/crypto.h"

enum { K_CEK, K_OCA, K_PEK, K_PDH, K_EC };

struct keys {
	EVP_PKEY *ark, *ask, *ec[K_EC];
};

static const u8 ark_id[16] = { 0xa1, 0xa2 }, ask_id[16] = { 0x5a, 0x5b };

struct synth {
	u8 *ark_buf, *ask_buf;
	size_t ark_len, ask_len;
	struct amd_cert ark, ask;
	struct sev_cert cek, oca, pek, pdh;
};

static EVP_PKEY *rsa_keygen(unsigned int bits)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);

	assert_non_null(k);
	return k;
}

static int setup(void **state)
{
	struct keys *k = calloc(1, sizeof(*k));

	if (!k)
		return -1;
	k->ark = rsa_keygen(4096);
	k->ask = rsa_keygen(4096);
	for (int i = 0; i < K_EC; i++)
		if (sev_ec_keygen(&k->ec[i]))
			return -1;
	*state = k;
	return 0;
}

static int teardown(void **state)
{
	struct keys *k = *state;

	EVP_PKEY_free(k->ark);
	EVP_PKEY_free(k->ask);
	for (int i = 0; i < K_EC; i++)
		EVP_PKEY_free(k->ec[i]);
	free(k);
	return 0;
}

static void mk_sev(struct sev_cert *c, u32 usage, u32 algo, EVP_PKEY *key)
{
	assert_int_equal(sev_cert_init(c, usage, algo, key, 1, 55), 0);
}

static void sign(struct sev_cert *c, int slot, u32 usage, EVP_PKEY *key)
{
	assert_int_equal(sev_cert_sign(c, slot, usage, key), 0);
}

/* A good chain; each link's signer can be replaced to break it. */
static void build(struct synth *s, struct keys *k, EVP_PKEY **sg)
{
	assert_int_equal(amd_cert_create(k->ark, SEV_USAGE_ARK, ark_id, ark_id,
					 sg[0], &s->ark_buf, &s->ark_len), 0);
	assert_int_equal(amd_cert_create(k->ask, SEV_USAGE_ASK, ask_id, ark_id,
					 sg[1], &s->ask_buf, &s->ask_len), 0);
	assert_int_equal(s->ark_len, 1600);
	assert_int_equal(amd_cert_parse(s->ark_buf, s->ark_len, &s->ark), 0);
	assert_int_equal(amd_cert_parse(s->ask_buf, s->ask_len, &s->ask), 0);
	mk_sev(&s->cek, SEV_USAGE_CEK, SEV_ALGO_ECDSA_SHA256, k->ec[K_CEK]);
	assert_int_equal(sev_cert_sign_rsa(&s->cek, 0, sg[2]), 0);
	mk_sev(&s->oca, SEV_USAGE_OCA, SEV_ALGO_ECDSA_SHA256, k->ec[K_OCA]);
	sign(&s->oca, 0, SEV_USAGE_OCA, sg[4]);
	mk_sev(&s->pek, SEV_USAGE_PEK, SEV_ALGO_ECDSA_SHA256, k->ec[K_PEK]);
	sign(&s->pek, 0, SEV_USAGE_OCA, sg[5]);
	sign(&s->pek, 1, SEV_USAGE_CEK, sg[3]);
	mk_sev(&s->pdh, SEV_USAGE_PDH, SEV_ALGO_ECDH_SHA256, k->ec[K_PDH]);
	sign(&s->pdh, 0, SEV_USAGE_PEK, sg[6]);
}

static int verify(struct synth *s, const char **failed)
{
	struct sev_chain ch = { &s->ark, &s->ask, &s->cek, &s->oca, &s->pek,
				&s->pdh };
	struct sev_cert copy;

	/* Round trip through the wire format first. */
	assert_int_equal(sev_cert_parse(&s->pek, SEV_CERT_SIZE, &copy), 0);
	assert_memory_equal(&copy, &s->pek, SEV_CERT_SIZE);
	return sev_chain_verify(&ch, failed);
}

static void test_good_chain(void **state)
{
	struct keys *k = *state;
	EVP_PKEY *sg[7] = { k->ark, k->ark, k->ask, k->ec[K_CEK],
			    k->ec[K_OCA], k->ec[K_OCA], k->ec[K_PEK] };
	struct synth s;
	const char *failed;

	build(&s, k, sg);
	assert_int_equal(verify(&s, &failed), 0);
	assert_null(failed);
	assert_memory_equal(s.ask.certifying_id, ark_id, 16);
	free(s.ark_buf);
	free(s.ask_buf);
}

static void test_each_link_fails_by_name(void **state)
{
	static const char *const names[] = {
		"ARK self-signature", "ARK -> ASK", "ASK -> CEK", "CEK -> PEK",
		"OCA self-signature", "OCA -> PEK", "PEK -> PDH",
	};
	struct keys *k = *state;
	/* The wrong signer for each link, in link order. */
	EVP_PKEY *bad[7] = { k->ask, k->ask, k->ark, k->ec[K_OCA],
			     k->ec[K_PEK], k->ec[K_CEK], k->ec[K_OCA] };

	for (int i = 0; i < 7; i++) {
		EVP_PKEY *sg[7] = { k->ark, k->ark, k->ask, k->ec[K_CEK],
				    k->ec[K_OCA], k->ec[K_OCA], k->ec[K_PEK] };
		struct synth s;
		const char *failed = NULL;

		sg[i] = bad[i];
		build(&s, k, sg);
		assert_int_equal(verify(&s, &failed), -EBADMSG);
		assert_non_null(failed);
		assert_string_equal(failed, names[i]);
		assert_string_equal(sev_chain_link_name((unsigned int)i),
				    names[i]);
		free(s.ark_buf);
		free(s.ask_buf);
	}
}

static void test_partial_chains(void **state)
{
	struct keys *k = *state;
	EVP_PKEY *sg[7] = { k->ark, k->ark, k->ask, k->ec[K_CEK],
			    k->ec[K_OCA], k->ec[K_OCA], k->ec[K_PEK] };
	struct sev_chain none = { NULL }, oca_only = { NULL };
	struct synth s;
	const char *failed;

	build(&s, k, sg);
	assert_int_equal(sev_chain_verify(&none, &failed), -EINVAL);
	assert_non_null(failed);
	oca_only.oca = &s.oca;
	assert_int_equal(sev_chain_verify(&oca_only, NULL), 0);
	assert_int_equal(sev_chain_link_verify(&oca_only, 0), -ENOENT);
	assert_int_equal(sev_chain_link_verify(&oca_only, 4), 0);
	assert_int_equal(sev_chain_link_verify(&oca_only, 7), -EINVAL);
	/* The OCA in the PEK's place is the wrong role. */
	oca_only.pdh = &s.pdh;
	oca_only.pek = &s.oca;
	assert_int_equal(sev_chain_verify(&oca_only, &failed), -EBADMSG);
	assert_string_equal(failed, "OCA -> PEK");
	free(s.ark_buf);
	free(s.ask_buf);
}

static void test_godh_cert(void **state)
{
	struct keys *k = *state;
	struct sev_cert godh, parsed;

	mk_sev(&godh, SEV_USAGE_PDH, SEV_ALGO_ECDH_SHA256, k->ec[K_PDH]);
	assert_int_equal(le32toh(godh.sig[0].usage), SEV_USAGE_INVALID);
	assert_int_equal(le32toh(godh.sig[1].algo), SEV_ALGO_INVALID);
	assert_int_equal(sev_cert_parse(&godh, sizeof(godh), &parsed), 0);
	/* Unsigned: nothing verifies it; an ECDH key signs nothing. */
	mk_sev(&parsed, SEV_USAGE_PEK, SEV_ALGO_ECDSA_SHA256, k->ec[K_PEK]);
	assert_int_equal(sev_cert_verify(&godh, &parsed), -EBADMSG);
	assert_int_equal(sev_cert_verify(&parsed, &godh), -EINVAL);
}

static void corrupt_expect(const struct sev_cert *good, size_t off, u8 val,
			   int want)
{
	struct sev_cert c = *good, out;

	((u8 *)&c)[off] = val;
	assert_int_equal(sev_cert_parse(&c, sizeof(c), &out), want);
}

static void test_sev_parse_malformed(void **state)
{
	struct keys *k = *state;
	struct sev_cert c, out;

	mk_sev(&c, SEV_USAGE_PEK, SEV_ALGO_ECDSA_SHA256, k->ec[K_PEK]);
	sign(&c, 0, SEV_USAGE_OCA, k->ec[K_OCA]);
	assert_int_equal(sev_cert_parse(&c, sizeof(c), &out), 0);
	assert_int_equal(sev_cert_parse(&c, sizeof(c) - 1, &out), -EINVAL);
	assert_int_equal(sev_cert_parse(&c, sizeof(c) + 1, &out), -EINVAL);
	corrupt_expect(&c, 0x00, 2, -EINVAL);		/* version 2 */
	corrupt_expect(&c, 0x08, 0x05, -EINVAL);	/* usage 0x1005 */
	corrupt_expect(&c, 0x09, 0x00, -EINVAL);	/* usage 0x0002 */
	corrupt_expect(&c, 0x0c, 0x01, -EINVAL);	/* algo RSA_SHA256 */
	corrupt_expect(&c, 0x0c, 0x07, -EINVAL);	/* algo 7 */
	corrupt_expect(&c, 0x10, 0x01, -EINVAL);	/* curve P-256 */
	corrupt_expect(&c, 0x5c, c.pub_key[0x4c] ^ 1, -EINVAL); /* off curve */
	corrupt_expect(&c, 0x14 + 48, 1, -EINVAL);	/* qx >= 2^384 */
	corrupt_expect(&c, 0x414, 0x77, -EINVAL);	/* slot usage */
	corrupt_expect(&c, 0x418, 0x09, -EINVAL);	/* slot algo */
	/* Reserved bytes are tolerated. */
	corrupt_expect(&c, 0x06, 0xff, 0);
	corrupt_expect(&c, 0x10 + 0x94, 0xff, 0);
	corrupt_expect(&c, 0x41c + 200, 0xff, 0);
}

static void test_init_sign_reject(void **state)
{
	struct keys *k = *state;
	EVP_PKEY *p256 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	struct sev_cert c;

	assert_non_null(p256);
	assert_int_equal(sev_cert_init(&c, SEV_USAGE_PEK, SEV_ALGO_ECDSA_SHA256,
				       p256, 0, 0), -EINVAL);
	assert_int_equal(sev_cert_init(&c, SEV_USAGE_PEK, SEV_ALGO_ECDSA_SHA256,
				       k->ark, 0, 0), -EINVAL);
	assert_int_equal(sev_cert_init(&c, SEV_USAGE_ASK, SEV_ALGO_ECDSA_SHA256,
				       k->ec[0], 0, 0), -EINVAL);
	assert_int_equal(sev_cert_init(&c, SEV_USAGE_PEK, SEV_ALGO_RSA_SHA256,
				       k->ec[0], 0, 0), -EINVAL);
	mk_sev(&c, SEV_USAGE_PEK, SEV_ALGO_ECDSA_SHA256, k->ec[K_PEK]);
	assert_int_equal(sev_cert_sign(&c, 2, SEV_USAGE_OCA, k->ec[0]),
			 -EINVAL);
	assert_int_equal(sev_cert_sign(&c, 0, SEV_USAGE_OCA, p256), -EINVAL);
	assert_int_equal(sev_cert_sign_rsa(&c, 0, k->ec[0]), -EINVAL);
	assert_int_equal(sev_cert_sign_rsa(&c, -1, k->ask), -EINVAL);
	EVP_PKEY_free(p256);
}

static void amd_expect(const u8 *good, size_t len, size_t off, u32 val,
		       size_t newlen, int want)
{
	u8 *c = malloc(len + 16);
	struct amd_cert out;
	u32 le = htole32(val);

	assert_non_null(c);
	memset(c, 0, len + 16);
	memcpy(c, good, len);
	if (off != SIZE_MAX)
		memcpy(c + off, &le, 4);
	assert_int_equal(amd_cert_parse(c, newlen, &out), want);
	free(c);
}

static void test_amd_malformed(void **state)
{
	struct keys *k = *state;
	EVP_PKEY *small = rsa_keygen(2048);
	struct amd_cert out;
	size_t len;
	u8 *buf;

	assert_int_equal(amd_cert_create(k->ask, SEV_USAGE_ASK, ask_id, ark_id,
					 k->ark, &buf, &len), 0);
	amd_expect(buf, len, SIZE_MAX, 0, len, 0);
	amd_expect(buf, len, SIZE_MAX, 0, len - 1, -EINVAL);
	amd_expect(buf, len, SIZE_MAX, 0, len + 1, -EINVAL);
	amd_expect(buf, len, SIZE_MAX, 0, 0x3f, -EINVAL);
	amd_expect(buf, len, 0x00, 2, len, -EINVAL);		/* version */
	amd_expect(buf, len, 0x24, 0x1002, len, -EINVAL);	/* usage */
	amd_expect(buf, len, 0x38, 2048, len, -EINVAL);	/* pubexp size */
	amd_expect(buf, len, 0x3c, 2048, len, -EINVAL);	/* modulus size */
	/* 3072-bit sizes with a consistent length are still refused. */
	buf[0x39] = 0x0c;
	buf[0x3d] = 0x0c;
	assert_int_equal(amd_cert_parse(buf, 0x40 + 3 * 384, &out), -EINVAL);
	buf[0x39] = buf[0x3d] = 0x10;
	assert_int_equal(amd_cert_parse(buf, len, &out), 0);
	assert_int_equal(amd_cert_parse(NULL, len, &out), -EINVAL);
	/* Only RSA-4096 keys, only ARK/ASK usages. */
	assert_int_equal(amd_cert_create(small, SEV_USAGE_ASK, ask_id, ark_id,
					 k->ark, &buf, &len), -EINVAL);
	assert_int_equal(amd_cert_create(k->ask, SEV_USAGE_ASK, ask_id, ark_id,
					 small, &buf, &len), -EINVAL);
	assert_int_equal(amd_cert_create(k->ask, SEV_USAGE_PEK, ask_id, ark_id,
					 k->ark, &buf, &len), -EINVAL);
	free(buf);
	EVP_PKEY_free(small);
}

static void test_amd_certifying_id(void **state)
{
	struct keys *k = *state;
	struct amd_cert ark, ask;
	u8 *a, *b;
	size_t alen, blen;

	assert_int_equal(amd_cert_create(k->ark, SEV_USAGE_ARK, ark_id, ark_id,
					 k->ark, &a, &alen), 0);
	/* Signed by the ARK's key but naming another certifier. */
	assert_int_equal(amd_cert_create(k->ask, SEV_USAGE_ASK, ask_id, ask_id,
					 k->ark, &b, &blen), 0);
	assert_int_equal(amd_cert_parse(a, alen, &ark), 0);
	assert_int_equal(amd_cert_parse(b, blen, &ask), 0);
	assert_int_equal(amd_cert_verify(&ark, &ark), 0);
	assert_int_equal(amd_cert_verify(&ask, &ark), -EBADMSG);
	free(a);
	free(b);
}

static void test_ecdh(void **state)
{
	struct keys *k = *state;
	EVP_PKEY *p256 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	struct sev_cert ca, cb, bad;
	u8 z1[48], z2[48], zero[48] = { 0 };

	mk_sev(&ca, SEV_USAGE_PDH, SEV_ALGO_ECDH_SHA256, k->ec[0]);
	mk_sev(&cb, SEV_USAGE_PDH, SEV_ALGO_ECDH_SHA256, k->ec[1]);
	assert_int_equal(sev_ecdh(k->ec[0], &cb, z1), 0);
	assert_int_equal(sev_ecdh(k->ec[1], &ca, z2), 0);
	assert_memory_equal(z1, z2, 48);
	assert_memory_not_equal(z1, zero, 48);
	bad = cb;
	bad.pub_key[0x4c] ^= 1;		/* qy: off the curve */
	assert_int_equal(sev_ecdh(k->ec[0], &bad, z1), -EINVAL);
	assert_int_equal(sev_ecdh(p256, &cb, z1), -EINVAL);
	assert_int_equal(sev_ecdh(k->ark, &cb, z1), -EINVAL);
	EVP_PKEY_free(p256);
}

static void test_ecdsa_le(void **state)
{
	struct keys *k = *state;
	static const char msg[] = "attestation report";
	u8 r[72], s[72];

	assert_int_equal(sev_ecdsa_sign(k->ec[0], EVP_sha384(), msg,
					sizeof(msg), r, s), 0);
	assert_true(r[48] == 0 && s[71] == 0);
	assert_int_equal(sev_ecdsa_verify(k->ec[0], EVP_sha384(), msg,
					  sizeof(msg), r, s), 0);
	assert_int_equal(sev_ecdsa_verify(k->ec[0], EVP_sha256(), msg,
					  sizeof(msg), r, s), -EBADMSG);
	assert_int_equal(sev_ecdsa_verify(k->ec[1], EVP_sha384(), msg,
					  sizeof(msg), r, s), -EBADMSG);
	r[60] = 1;	/* r >= 2^384: not a valid signature */
	assert_int_equal(sev_ecdsa_verify(k->ec[0], EVP_sha384(), msg,
					  sizeof(msg), r, s), -EBADMSG);
}

/* RSA-PSS with another salt length must not verify. */
static void test_pss_salt_length(void **state)
{
	struct keys *k = *state;
	static const char msg[] = "certificate body";
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	EVP_PKEY_CTX *p = NULL;
	u8 be[512], le[512];
	size_t len = sizeof(be);

	assert_int_equal(sev_rsa_pss_sign(k->ask, EVP_sha384(), msg,
					  sizeof(msg), le, 512), 0);
	assert_int_equal(sev_rsa_pss_verify(k->ask, EVP_sha384(), msg,
					    sizeof(msg), le, 512), 0);
	assert_int_equal(sev_rsa_pss_verify(k->ask, EVP_sha256(), msg,
					    sizeof(msg), le, 512), -EBADMSG);
	assert_int_equal(sev_rsa_pss_verify(k->ask, EVP_sha384(), msg,
					    sizeof(msg), le, 256), -EBADMSG);
	assert_int_equal(sev_rsa_pss_sign(k->ask, EVP_sha384(), msg,
					  sizeof(msg), le, 256), -EINVAL);
	assert_int_equal(EVP_DigestSignInit(m, &p, EVP_sha384(), NULL,
					    k->ask), 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(p, RSA_PKCS1_PSS_PADDING),
			 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_saltlen(p, 20), 1);
	assert_int_equal(EVP_DigestSign(m, be, &len, (const u8 *)msg,
					 sizeof(msg)), 1);
	for (size_t i = 0; i < 512; i++)
		le[i] = be[511 - i];
	assert_int_equal(sev_rsa_pss_verify(k->ask, EVP_sha384(), msg,
					    sizeof(msg), le, 512), -EBADMSG);
	EVP_MD_CTX_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_chain),
		cmocka_unit_test(test_each_link_fails_by_name),
		cmocka_unit_test(test_partial_chains),
		cmocka_unit_test(test_godh_cert),
		cmocka_unit_test(test_sev_parse_malformed),
		cmocka_unit_test(test_init_sign_reject),
		cmocka_unit_test(test_amd_malformed),
		cmocka_unit_test(test_amd_certifying_id),
		cmocka_unit_test(test_ecdh),
		cmocka_unit_test(test_ecdsa_le),
		cmocka_unit_test(test_pss_salt_length),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
