// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev/crypto.c known answers (sev-protocol.md 9.1-9.3, sevctl's
 * secretbuild test) and failure paths: KDF, session wrap/unwrap, the Rome
 * PDH ECDH cross-check, measurement, LAUNCH_SECRET seal/open.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include "sev/cert.h"
#include "sev/crypto.h"
#include "tests/unit/vectors.h"

static const u8 zero16[16];

static void expect_hex(const u8 *got, const char *hex, size_t len)
{
	u8 *want = malloc(len);

	assert_non_null(want);
	unhex(hex, want, len);
	assert_memory_equal(got, want, len);
	free(want);
}

static void expect_not_hex(const u8 *got, const char *hex, size_t len)
{
	u8 want[64];

	assert_true(len <= sizeof(want));
	unhex(hex, want, len);
	assert_memory_not_equal(got, want, len);
}

/* 9.1: Z = NONCE = 00 x 16. */
static void test_kdf_vectors(void **state)
{
	u8 master[16], kek[16], kik[16], long_out[40], short_out[16];

	assert_int_equal(sev_kdf(zero16, 16, "sev-master-secret", zero16, 16,
				 master, 16), 0);
	expect_hex(master, "ab4d269fcc62bedb4511d56c386ce706", 16);
	assert_int_equal(sev_derive_kek_kik(zero16, 16, zero16, kek, kik), 0);
	expect_hex(kek, "b6abfbfb75ea1ea74ed8750b8afdb973", 16);
	expect_hex(kik, "53b524bf5669a363f365c864acba8572", 16);
	assert_int_equal(sev_kdf(master, 16, "sev-kek", NULL, 0, kek, 16), 0);
	expect_hex(kek, "b6abfbfb75ea1ea74ed8750b8afdb973", 16);
	/* L is part of every block: 40 bytes do not start with the 16. */
	assert_int_equal(sev_kdf(master, 16, "sev-kek", NULL, 0, long_out,
				 sizeof(long_out)), 0);
	assert_int_equal(sev_kdf(master, 16, "sev-kek", NULL, 0, short_out,
				 sizeof(short_out)), 0);
	assert_memory_not_equal(long_out, short_out, 16);
	assert_int_equal(sev_kdf(master, 0, "x", NULL, 0, kek, 16), -EINVAL);
	assert_int_equal(sev_kdf(master, 16, "x", NULL, 0, kek, 0), -EINVAL);
	assert_int_equal(sev_kdf(master, 16, "x", NULL, 4, kek, 16), -EINVAL);
}

#define WRAP_TK		"2137bc7f9bb8bd7c3e55a576a15d3454" \
			"b3856b8ba27afadf46dcfee9f02c02c4"
#define WRAP_MAC	"3176c0752738bd9d5e86689534020f52" \
			"8c088f16238826b000b327dee6aeed7d"
#define POLICY_MAC	"aa7855e13839dd767cd5da7c1ff50365" \
			"40c9264b7a803029315e55375287b4af"

static void zero_session(struct sev_session *s, u8 kek[16], u8 kik[16])
{
	assert_int_equal(sev_derive_kek_kik(zero16, 16, zero16, kek, kik), 0);
	assert_int_equal(sev_session_wrap(kek, kik, zero16, zero16, zero16,
					  zero16, 0, s), 0);
}

static void test_session_wrap_vector(void **state)
{
	struct sev_session s;
	u8 kek[16], kik[16];

	zero_session(&s, kek, kik);
	expect_hex(s.wrap_tk, WRAP_TK, 32);
	expect_hex(s.wrap_mac, WRAP_MAC, 32);
	expect_hex(s.policy_mac, POLICY_MAC, 32);
	assert_memory_equal(s.nonce, zero16, 16);
	assert_memory_equal(s.wrap_iv, zero16, 16);
}

/* Unwrap must fail with code and leave tek/tik untouched. */
static void unwrap_fails(const struct sev_session *s, const u8 *kek,
			 const u8 *kik, u32 policy, int code)
{
	u8 tek[16], tik[16], fill[16];

	memset(fill, 0xaa, sizeof(fill));
	memcpy(tek, fill, 16);
	memcpy(tik, fill, 16);
	assert_int_equal(sev_session_unwrap(s, kek, kik, policy, tek, tik),
			 code);
	assert_memory_equal(tek, fill, 16);
	assert_memory_equal(tik, fill, 16);
}

static void test_session_unwrap(void **state)
{
	struct sev_session s, t;
	u8 kek[16], kik[16], tek[16], tik[16];

	zero_session(&s, kek, kik);
	memset(tek, 0xaa, 16);
	memset(tik, 0xaa, 16);
	assert_int_equal(sev_session_unwrap(&s, kek, kik, 0, tek, tik), 0);
	assert_memory_equal(tek, zero16, 16);
	assert_memory_equal(tik, zero16, 16);
	for (size_t i = 0; i < 32; i++) {
		t = s;
		t.wrap_mac[i] ^= 0x80;
		unwrap_fails(&t, kek, kik, 0, -EBADMSG);
		t = s;
		t.wrap_tk[i] ^= 0x01;
		unwrap_fails(&t, kek, kik, 0, -EBADMSG);
		t = s;
		t.policy_mac[i] ^= 0x01;
		unwrap_fails(&t, kek, kik, 0, -EKEYREJECTED);
	}
	/* The IV is not MAC'd: another IV unwraps another TIK. */
	t = s;
	t.wrap_iv[15] ^= 1;
	unwrap_fails(&t, kek, kik, 0, -EKEYREJECTED);
	unwrap_fails(&s, kek, kik, 1, -EKEYREJECTED);
	unwrap_fails(&s, kek, kek, 0, -EBADMSG);
	unwrap_fails(&s, kik, kik, 0, -EKEYREJECTED);
}

static void test_session_roundtrip(void **state)
{
	u8 kek[16], kik[16], tek[16], tik[16], nonce[16], iv[16];
	u8 tek2[16], tik2[16];
	struct sev_session s;

	assert_int_equal(sev_random(kek, 16), 0);
	assert_int_equal(sev_random(kik, 16), 0);
	assert_int_equal(sev_random(tek, 16), 0);
	assert_int_equal(sev_random(tik, 16), 0);
	assert_int_equal(sev_random(nonce, 16), 0);
	assert_int_equal(sev_random(iv, 16), 0);
	assert_memory_not_equal(tek, tik, 16);
	assert_int_equal(sev_session_wrap(kek, kik, tek, tik, nonce, iv, 0x37,
					  &s), 0);
	assert_int_equal(sev_session_unwrap(&s, kek, kik, 0x37, tek2, tik2), 0);
	assert_memory_equal(tek, tek2, 16);
	assert_memory_equal(tik, tik2, 16);
	unwrap_fails(&s, kek, kik, 0x33, -EKEYREJECTED);
}

/* d = 01 x 48 against the Rome PDH (9.1, locally computed cross-check). */
static EVP_PKEY *key_from_d(const u8 d[48])
{
	EC_GROUP *grp = EC_GROUP_new_by_curve_name(NID_secp384r1);
	BIGNUM *bn = BN_bin2bn(d, 48, NULL);
	EC_POINT *pt = EC_POINT_new(grp);
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *key = NULL;
	OSSL_PARAM *params;
	u8 pub[97];

	assert_true(grp && bn && pt && bld && ctx);
	assert_int_equal(EC_POINT_mul(grp, pt, bn, NULL, NULL, NULL), 1);
	assert_int_equal(EC_POINT_point2oct(grp, pt,
			 POINT_CONVERSION_UNCOMPRESSED, pub, 97, NULL), 97);
	assert_int_equal(OSSL_PARAM_BLD_push_utf8_string(bld,
			 OSSL_PKEY_PARAM_GROUP_NAME, "P-384", 0), 1);
	assert_int_equal(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY,
						bn), 1);
	assert_int_equal(OSSL_PARAM_BLD_push_octet_string(bld,
			 OSSL_PKEY_PARAM_PUB_KEY, pub, 97), 1);
	params = OSSL_PARAM_BLD_to_param(bld);
	assert_int_equal(EVP_PKEY_fromdata_init(ctx), 1);
	assert_int_equal(EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_KEYPAIR,
					   params), 1);
	OSSL_PARAM_free(params);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_BLD_free(bld);
	EC_POINT_free(pt);
	BN_free(bn);
	EC_GROUP_free(grp);
	return key;
}

#define ROME_Z		"cdc842ac8a5b70b8bfb78f9c1a9ae69f" \
			"3364d1964983ede4cbf14f4ca48368f5" \
			"6dd449a6d4b4788b239cf6dad8b31a0d"
#define GODH_QX		"134434cb514cc3d911a73be0083424b2" \
			"d4f06d228b1957f86f64de105ea45721" \
			"6d420f65776897506708b90d2aafe343"
#define GODH_QY		"96c1f291cb3e61cc0bb8ee634ce370c6" \
			"f2f634ef15d918fd44970e31f86140a3" \
			"9b13ead231086bf012510da2cee312dd"

static void test_rome_pdh_ecdh(void **state)
{
	u8 *buf, d[48], z[48], nonce[16], master[16], kek[16], kik[16];
	struct sev_cert pdh, godh;
	EVP_PKEY *key;
	size_t len;

	if (!vectors_dir())
		skip();
	assert_int_equal(vector_read("amd-certs/rome/pdh.cert", &buf, &len),
			 0);
	assert_int_equal(sev_cert_parse(buf, len, &pdh), 0);
	expect_hex(pdh.pub_key + 4, "c7fa8bf8", 4);
	memset(d, 0x01, sizeof(d));
	for (int i = 0; i < 16; i++)
		nonce[i] = (u8)i;
	key = key_from_d(d);
	assert_int_equal(sev_ecdh(key, &pdh, z), 0);
	expect_hex(z, ROME_Z, 48);
	assert_int_equal(sev_kdf(z, 48, "sev-master-secret", nonce, 16,
				 master, 16), 0);
	expect_hex(master, "e8a53e9d80777c7971aab7d50b839715", 16);
	assert_int_equal(sev_derive_kek_kik(z, 48, nonce, kek, kik), 0);
	expect_hex(kek, "5758b965d7317943c77280079362ece2", 16);
	expect_hex(kik, "df1bcd67c673811c573cbcced36b2478", 16);
	assert_int_equal(sev_cert_init(&godh, SEV_USAGE_PDH,
				       SEV_ALGO_ECDH_SHA256, key, 0, 0), 0);
	expect_hex(godh.pub_key + 4, GODH_QX, 48);
	expect_hex(godh.pub_key + 4 + 72, GODH_QY, 48);
	EVP_PKEY_free(key);
	free(buf);
}

static void test_measure_vectors(void **state)
{
	u8 tik[16], ld[32], mnonce[16], out[32];

	/* sev-tool readme / virtee verify: API 0.18, build 15, policy 0. */
	unhex("66320db73158a35a255d051758e95ed4", tik, 16);
	unhex("e3b0c44298fc1c149afbf4c8996fb924"
	      "27ae41e4649b934ca495991b7852b855",
	      ld, 32);
	unhex("4fbe0bedbad6c86ae8f68971d103e554", mnonce, 16);
	assert_int_equal(sev_measure(tik, 0, 18, 15, 0, ld, mnonce, out), 0);
	expect_hex(out, "6faab2daae389bcd3405a05d6cafe33c"
			"0414f7bedd0bae19ba5f38b7fd1664ea", 32);
	/* sevctl measurementbuild (a): API 1.40, build 40, policy 3. */
	unhex("3569cf61a32a602b87185ac6e0f55913", tik, 16);
	unhex("c64bd101fc9a4a2ce0a27c408d920091"
	      "1f139a895469b04a40a6fa2890830d23",
	      ld, 32);
	unhex("c313fab511c216b1505b1b2ea9903c40", mnonce, 16);
	assert_int_equal(sev_measure(tik, 1, 40, 40, 3, ld, mnonce, out), 0);
	expect_hex(out, "96cc1bc56c48f60724c9ad7a250bdd16da5898d3b86fede29c03e9"
			"aac828048e",
		   32);
	/* Every input is bound. */
	assert_int_equal(sev_measure(tik, 1, 40, 40, 7, ld, mnonce, out), 0);
	assert_memory_not_equal(out, mnonce, 16);
	expect_not_hex(out, "96cc1bc56c48f60724c9ad7a250bdd16", 16);
	assert_int_equal(sev_measure(tik, 1, 41, 40, 3, ld, mnonce, out), 0);
	expect_not_hex(out, "96cc1bc56c48f60724c9ad7a250bdd16", 16);
}

/* 9.3, sevctl tests/secretbuild.rs. */
#define S_TIK		"c6d5a9956133050912b24bbe5c372686"
#define S_TEK		"52a869b79ab9c13bb6a92b0561619cb3"
#define S_IV		"ac5474ed4dd32c7d989ec523d92559ec"
#define S_MEASURE	"4cb780efad3b959427b4b8d1635fe2fa" \
			"c6ed75267eef9cf1a73e0fc7d873a412"

struct secret_vec {
	const char *plain, *ct, *hdr;
	size_t len;
};

static const struct secret_vec one = {
	"42f5741edd71664d963eef4287ff173b3a000000e5696873f084734992ec0687"
	"9ce3da0b260000004d592d4c554b532d50415353504852415345000000000000",
	"d14ddee4f717bf4516f87e2d48114a39d0987ca135fa3dfc05cd9fb8ed7a9988"
	"b223eb16c7b20d7e7fa58188f9e862f5db2ca29c36be9557c20b00ffdb0e5c3c",
	"00000000ac5474ed4dd32c7d989ec523d92559ecbc152cde610e17f0aef55733"
	"4a2d4fca42c22c4312e3b5b85a3d47b0aac857e5", 64,
};

/*
 * Second entry 736869e5-aaaa-... = "SOME OTHER SECRET"; sevctl's expected
 * header in hex, its payload below in base64.
 */
static const struct secret_vec two = {
	"42f5741edd71664d963eef4287ff173b5f000000e5696873f084734992ec0687"
	"9ce3da0b260000004d592d4c554b532d50415353504852415345e5696873aaaa"
	"734992ec06879ce3da0b25000000534f4d45204f544845522053454352455400",
	NULL,
	"00000000ac5474ed4dd32c7d989ec523d92559ec99debd1d38428750e84846ac"
	"c6618bd326074cb413cbd672ba183f5a1844fb36", 96,
};

#define TWO_CT_B64	"0U3e5PcXv0UW+H4tSBFKObWYfKE1+j38Bc2fuO16" \
			"mYiyI+sWx7INfn+lgYj56GL12yyinDa+lVfCC+WW" \
			"s332lpLNUX1ZI3YK7vYgtys4X+uGxEIlkIQ90v8/" \
			"w8ZFmQMe"

struct secret_keys {
	u8 tik[16], tek[16], iv[16], measure[32];
};

static void secret_keys(struct secret_keys *k)
{
	unhex(S_TIK, k->tik, 16);
	unhex(S_TEK, k->tek, 16);
	unhex(S_IV, k->iv, 16);
	unhex(S_MEASURE, k->measure, 32);
}

static void seal_vector(const struct secret_vec *v, const u8 *want_ct)
{
	struct sev_secret_header hdr;
	struct secret_keys k;
	u8 plain[96], ct[96], back[96];

	secret_keys(&k);
	unhex(v->plain, plain, v->len);
	assert_int_equal(sev_secret_seal(k.tek, k.tik, k.iv, k.measure, plain,
					 v->len, &hdr, ct), 0);
	assert_memory_equal(ct, want_ct, v->len);
	expect_hex((const u8 *)&hdr, v->hdr, sizeof(hdr));
	assert_int_equal(sev_secret_open(k.tek, k.tik, k.measure, &hdr,
					 (u32)v->len, ct, v->len, back), 0);
	assert_memory_equal(back, plain, v->len);
}

static void test_secret_vectors(void **state)
{
	u8 ct[96], *b64;
	size_t len;

	unhex(one.ct, ct, one.len);
	seal_vector(&one, ct);
	assert_int_equal(base64_decode(TWO_CT_B64, &b64, &len), 0);
	assert_int_equal(len, two.len);
	seal_vector(&two, b64);
	free(b64);
}

static void test_secret_key_files(void **state)
{
	struct secret_keys k;
	u8 *buf;
	size_t len;

	if (!vectors_dir())
		skip();
	secret_keys(&k);
	assert_int_equal(vector_read("sevctl/secret-tik1.bin", &buf, &len), 0);
	assert_int_equal(len, 16);
	assert_memory_equal(buf, k.tik, 16);
	free(buf);
	assert_int_equal(vector_read("sevctl/secret-tek1.bin", &buf, &len), 0);
	assert_int_equal(len, 16);
	assert_memory_equal(buf, k.tek, 16);
	free(buf);
}

/* Open must fail with -EBADMSG and leave the output untouched. */
static void open_fails(const struct secret_keys *k,
		       const struct sev_secret_header *hdr, u32 glen,
		       const u8 *ct, size_t len)
{
	u8 out[64], fill[64];

	memset(fill, 0x5c, sizeof(fill));
	memcpy(out, fill, sizeof(out));
	assert_int_equal(sev_secret_open(k->tek, k->tik, k->measure, hdr, glen,
					 ct, len, out), -EBADMSG);
	assert_memory_equal(out, fill, sizeof(out));
}

static void test_secret_open_tampered(void **state)
{
	struct sev_secret_header hdr, h;
	struct secret_keys k, kk;
	u8 ct[64], c2[64], mac[32], mac2[32];

	secret_keys(&k);
	unhex(one.ct, ct, 64);
	unhex(one.hdr, (u8 *)&hdr, sizeof(hdr));
	for (size_t i = 0; i < sizeof(hdr); i++) {
		h = hdr;
		((u8 *)&h)[i] ^= 0x01;
		open_fails(&k, &h, 64, ct, 64);
	}
	for (size_t i = 0; i < 64; i += 5) {
		memcpy(c2, ct, 64);
		c2[i] ^= 0x40;
		open_fails(&k, &hdr, 64, c2, 64);
	}
	open_fails(&k, &hdr, 48, ct, 64);	/* guest length bound */
	open_fails(&k, &hdr, 64, ct, 48);	/* transport length bound */
	kk = k;
	kk.measure[31] ^= 1;			/* another measurement */
	open_fails(&kk, &hdr, 64, ct, 64);
	kk = k;
	kk.tik[0] ^= 1;
	open_fails(&kk, &hdr, 64, ct, 64);
	/* Both lengths are MAC'd, each in its own place. */
	assert_int_equal(sev_secret_mac(k.tik, 0, k.iv, 64, 64, ct, 64,
					k.measure, mac), 0);
	assert_memory_equal(mac, hdr.mac, 32);
	assert_int_equal(sev_secret_mac(k.tik, 0, k.iv, 64, 32, ct, 64,
					k.measure, mac), 0);
	assert_memory_not_equal(mac, hdr.mac, 32);
	assert_int_equal(sev_secret_mac(k.tik, 0, k.iv, 32, 64, ct, 64,
					k.measure, mac2), 0);
	assert_memory_not_equal(mac2, hdr.mac, 32);
	assert_memory_not_equal(mac2, mac, 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kdf_vectors),
		cmocka_unit_test(test_session_wrap_vector),
		cmocka_unit_test(test_session_unwrap),
		cmocka_unit_test(test_session_roundtrip),
		cmocka_unit_test(test_rome_pdh_ecdh),
		cmocka_unit_test(test_measure_vectors),
		cmocka_unit_test(test_secret_vectors),
		cmocka_unit_test(test_secret_key_files),
		cmocka_unit_test(test_secret_open_tampered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
