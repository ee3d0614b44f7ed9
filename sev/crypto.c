// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV launch cryptography (sev-protocol.md 5.3, 6, 7): KDF, session wrap,
 * measurement, LAUNCH_SECRET packets. HMAC through EVP_MAC, AES-128-CTR
 * through EVP_CIPHER; every intermediate key is wiped before returning.
 */
#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "sev/crypto.h"
#include "lib/log.h"

#define CTX_MEASURE	0x04	/* LAUNCH_MEASURE context byte */
#define CTX_SECRET	0x01	/* LAUNCH_SECRET context byte */
#define P384_BYTES	48
#define RSA_SIG_MAX	512

struct part {
	const void *p;
	size_t len;
};

int sev_random(void *buf, size_t len)
{
	if (len > INT_MAX)
		return -EINVAL;
	if (RAND_priv_bytes(buf, (int)len) != 1) {
		pr_err("sev_random: RAND_priv_bytes(%zu) failed", len);
		return -EIO;
	}
	return 0;
}

/* HMAC-SHA256(key, parts[0] || parts[1] || ...). */
static int hmac_sha256(const u8 *key, size_t key_len, const struct part *parts,
		       unsigned int n, u8 out[SEV_DIGEST_SIZE])
{
	static char digest[] = "SHA256";
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						 digest, 0),
		OSSL_PARAM_construct_end(),
	};
	EVP_MAC_CTX *ctx = NULL;
	EVP_MAC *mac;
	size_t outl = 0;
	int r = -EIO;

	if (!key_len)
		return -EINVAL;
	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (mac)
		ctx = EVP_MAC_CTX_new(mac);
	if (!ctx || !EVP_MAC_init(ctx, key, key_len, params))
		goto out;
	for (unsigned int i = 0; i < n; i++)
		if (parts[i].len && !EVP_MAC_update(ctx, parts[i].p,
						    parts[i].len))
			goto out;
	if (EVP_MAC_final(ctx, out, &outl, SEV_DIGEST_SIZE) &&
	    outl == SEV_DIGEST_SIZE)
		r = 0;
out:
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	if (r)
		pr_debug("hmac-sha256: libcrypto failure");
	return r;
}

int sev_kdf(const u8 *key, size_t key_len, const char *label,
	    const u8 *ctx, size_t ctx_len, u8 *out, size_t out_len)
{
	u8 block[SEV_DIGEST_SIZE];
	u32 le_i, le_bits;
	const u8 zero = 0;
	size_t done = 0;
	int r = 0;

	if (!key || !label || (!ctx && ctx_len) || !out_len ||
	    out_len > UINT32_MAX / 8)
		return -EINVAL;
	le_bits = htole32((u32)(out_len * 8));
	for (u32 i = 1; done < out_len; i++) {
		struct part parts[] = {
			{ &le_i, 4 }, { label, strlen(label) }, { &zero, 1 },
			{ ctx, ctx_len }, { &le_bits, 4 },
		};
		size_t n = MIN(out_len - done, sizeof(block));

		le_i = htole32(i);
		r = hmac_sha256(key, key_len, parts, ARRAY_SIZE(parts), block);
		if (r)
			break;
		memcpy(out + done, block, n);
		done += n;
	}
	memzero_explicit(block, sizeof(block));
	if (r)
		memzero_explicit(out, out_len);
	return r;
}

int sev_derive_kek_kik(const u8 *z, size_t z_len,
		       const u8 nonce[SEV_NONCE_SIZE], u8 kek[SEV_KEY_SIZE],
		       u8 kik[SEV_KEY_SIZE])
{
	u8 master[SEV_KEY_SIZE];
	int r;

	r = sev_kdf(z, z_len, "sev-master-secret", nonce, SEV_NONCE_SIZE,
		    master, sizeof(master));
	if (!r)
		r = sev_kdf(master, sizeof(master), "sev-kek", NULL, 0, kek,
			    SEV_KEY_SIZE);
	if (!r)
		r = sev_kdf(master, sizeof(master), "sev-kik", NULL, 0, kik,
			    SEV_KEY_SIZE);
	memzero_explicit(master, sizeof(master));
	return r;
}

int sev_aes128_ctr(const u8 key[16], const u8 iv[16], const u8 *in,
		   u8 *out, size_t len)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int outl, r = -EIO;

	if (!ctx)
		return -ENOMEM;
	if (!EVP_EncryptInit_ex(ctx, EVP_aes_128_ctr(), NULL, key, iv))
		goto out;
	while (len) {
		int chunk = (int)MIN(len, (size_t)INT_MAX - 16);

		if (!EVP_EncryptUpdate(ctx, out, &outl, in, chunk) ||
		    outl != chunk)
			goto out;
		in += chunk;
		out += chunk;
		len -= (size_t)chunk;
	}
	if (EVP_EncryptFinal_ex(ctx, out, &outl) && outl == 0)
		r = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	return r;
}

static int policy_mac(const u8 tik[16], u32 policy, u8 mac[32])
{
	u32 le_policy = htole32(policy);
	struct part p = { &le_policy, sizeof(le_policy) };

	return hmac_sha256(tik, SEV_KEY_SIZE, &p, 1, mac);
}

int sev_session_wrap(const u8 kek[16], const u8 kik[16], const u8 tek[16],
		     const u8 tik[16], const u8 nonce[16], const u8 wrap_iv[16],
		     u32 policy, struct sev_session *out)
{
	struct sev_session s;
	u8 tk[2 * SEV_KEY_SIZE];
	struct part p = { s.wrap_tk, sizeof(s.wrap_tk) };
	int r;

	memcpy(s.nonce, nonce, sizeof(s.nonce));
	memcpy(s.wrap_iv, wrap_iv, sizeof(s.wrap_iv));
	memcpy(tk, tek, SEV_KEY_SIZE);
	memcpy(tk + SEV_KEY_SIZE, tik, SEV_KEY_SIZE);
	r = sev_aes128_ctr(kek, wrap_iv, tk, s.wrap_tk, sizeof(tk));
	memzero_explicit(tk, sizeof(tk));
	if (!r)
		r = hmac_sha256(kik, SEV_KEY_SIZE, &p, 1, s.wrap_mac);
	if (!r)
		r = policy_mac(tik, policy, s.policy_mac);
	if (!r)
		*out = s;
	return r;
}

int sev_session_unwrap(const struct sev_session *s, const u8 kek[16],
		       const u8 kik[16], u32 policy, u8 tek[16], u8 tik[16])
{
	struct part p = { s->wrap_tk, sizeof(s->wrap_tk) };
	u8 mac[SEV_DIGEST_SIZE], tk[2 * SEV_KEY_SIZE];
	int r;

	r = hmac_sha256(kik, SEV_KEY_SIZE, &p, 1, mac);
	if (r)
		return r;
	if (CRYPTO_memcmp(mac, s->wrap_mac, sizeof(mac))) {
		pr_debug("session unwrap: WRAP_MAC does not verify");
		return -EBADMSG;
	}
	r = sev_aes128_ctr(kek, s->wrap_iv, s->wrap_tk, tk, sizeof(tk));
	if (!r)
		r = policy_mac(tk + SEV_KEY_SIZE, policy, mac);
	if (!r && CRYPTO_memcmp(mac, s->policy_mac, sizeof(mac))) {
		pr_debug("session unwrap: POLICY_MAC does not verify for policy 0x%x",
			 policy);
		r = -EKEYREJECTED;
	}
	if (!r) {
		memcpy(tek, tk, SEV_KEY_SIZE);
		memcpy(tik, tk + SEV_KEY_SIZE, SEV_KEY_SIZE);
	}
	memzero_explicit(tk, sizeof(tk));
	return r;
}

int sev_measure(const u8 tik[16], u8 api_major, u8 api_minor, u8 build,
		u32 policy, const u8 ld[32], const u8 mnonce[16], u8 out[32])
{
	u8 head[8] = { CTX_MEASURE, api_major, api_minor, build };
	u32 le_policy = htole32(policy);
	struct part parts[] = {
		{ head, sizeof(head) }, { ld, SEV_DIGEST_SIZE },
		{ mnonce, SEV_NONCE_SIZE },
	};

	memcpy(head + 4, &le_policy, 4);
	return hmac_sha256(tik, SEV_KEY_SIZE, parts, ARRAY_SIZE(parts), out);
}

int sev_secret_mac(const u8 tik[16], u32 flags, const u8 iv[16],
		   u32 guest_len, u32 trans_len, const u8 *ct, size_t ct_len,
		   const u8 measure[32], u8 mac[32])
{
	u32 le_flags = htole32(flags), le_glen = htole32(guest_len);
	u32 le_tlen = htole32(trans_len);
	const u8 ctx = CTX_SECRET;
	struct part parts[] = {
		{ &ctx, 1 }, { &le_flags, 4 }, { iv, 16 }, { &le_glen, 4 },
		{ &le_tlen, 4 }, { ct, ct_len }, { measure, SEV_DIGEST_SIZE },
	};

	if (!ct && ct_len)
		return -EINVAL;
	return hmac_sha256(tik, SEV_KEY_SIZE, parts, ARRAY_SIZE(parts), mac);
}

int sev_secret_seal(const u8 tek[16], const u8 tik[16], const u8 iv[16],
		    const u8 measure[32], const u8 *plain, size_t len,
		    struct sev_secret_header *hdr, u8 *ct)
{
	struct sev_secret_header h = { .flags = 0 };
	int r;

	if (len > UINT32_MAX || (!plain && len))
		return -EINVAL;
	memcpy(h.iv, iv, sizeof(h.iv));
	r = sev_aes128_ctr(tek, iv, plain, ct, len);
	if (!r)
		r = sev_secret_mac(tik, 0, iv, (u32)len, (u32)len, ct, len,
				   measure, h.mac);
	if (r) {
		memzero_explicit(ct, len);
		return r;
	}
	*hdr = h;
	return 0;
}

int sev_secret_open(const u8 tek[16], const u8 tik[16], const u8 measure[32],
		    const struct sev_secret_header *hdr, u32 guest_len,
		    const u8 *ct, size_t len, u8 *plain)
{
	u8 mac[SEV_DIGEST_SIZE];
	int r;

	if (len > UINT32_MAX || (!ct && len))
		return -EINVAL;
	r = sev_secret_mac(tik, le32toh(hdr->flags), hdr->iv, guest_len,
			   (u32)len, ct, len, measure, mac);
	if (r)
		return r;
	if (CRYPTO_memcmp(mac, hdr->mac, sizeof(mac))) {
		pr_debug("secret open: packet MAC does not verify");
		return -EBADMSG;
	}
	return sev_aes128_ctr(tek, hdr->iv, ct, plain, len);
}

/* P-384 keys and signatures in the certificates' little-endian encodings. */

static void reverse_copy(u8 *dst, const u8 *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = src[n - 1 - i];
}

static bool all_zero(const u8 *p, size_t n)
{
	u8 acc = 0;

	while (n--)
		acc |= *p++;
	return !acc;
}

/* P-384 public key from LE coordinates; checks range and curve membership. */
int sev_ec_pub_from_le(const u8 qx[SEV_EC_FIELD],
		       const u8 qy[SEV_EC_FIELD], EVP_PKEY **pkey)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	EVP_PKEY_CTX *ctx = NULL, *chk = NULL;
	OSSL_PARAM *params = NULL;
	u8 pt[1 + 2 * P384_BYTES];
	int r = -EINVAL;

	*pkey = NULL;
	if (!all_zero(qx + P384_BYTES, SEV_EC_FIELD - P384_BYTES) ||
	    !all_zero(qy + P384_BYTES, SEV_EC_FIELD - P384_BYTES))
		goto out;
	pt[0] = POINT_CONVERSION_UNCOMPRESSED;
	reverse_copy(pt + 1, qx, P384_BYTES);
	reverse_copy(pt + 1 + P384_BYTES, qy, P384_BYTES);
	if (!bld || !OSSL_PARAM_BLD_push_utf8_string(bld,
			OSSL_PKEY_PARAM_GROUP_NAME, "P-384", 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
					      pt, sizeof(pt)))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
		goto out;
	chk = EVP_PKEY_CTX_new_from_pkey(NULL, *pkey, NULL);
	if (chk && EVP_PKEY_public_check(chk) == 1)
		r = 0;
out:
	if (r) {
		EVP_PKEY_free(*pkey);
		*pkey = NULL;
	}
	EVP_PKEY_CTX_free(chk);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return r;
}

bool sev_key_is_p384(EVP_PKEY *key)
{
	char name[32];

	return EVP_PKEY_is_a(key, "EC") &&
	       EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME,
					      name, sizeof(name), NULL) &&
	       !strcmp(name, SN_secp384r1);
}

int sev_ec_pub_to_le(EVP_PKEY *key, u8 qx[SEV_EC_FIELD], u8 qy[SEV_EC_FIELD])
{
	u8 pt[1 + 2 * P384_BYTES];
	size_t len = 0;

	if (!sev_key_is_p384(key) ||
	    !EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, pt,
					     sizeof(pt), &len) ||
	    len != sizeof(pt) || pt[0] != POINT_CONVERSION_UNCOMPRESSED)
		return -EINVAL;
	memset(qx, 0, SEV_EC_FIELD);
	memset(qy, 0, SEV_EC_FIELD);
	reverse_copy(qx, pt + 1, P384_BYTES);
	reverse_copy(qy, pt + 1 + P384_BYTES, P384_BYTES);
	return 0;
}

int sev_ecdsa_sign(EVP_PKEY *key, const EVP_MD *md, const void *msg,
		   size_t len, u8 r_le[72], u8 s_le[72])
{
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	const BIGNUM *r, *s;
	ECDSA_SIG *sig = NULL;
	u8 der[160];
	const u8 *p = der;
	size_t der_len = sizeof(der);
	int ret = -EIO;

	if (!mctx)
		return -ENOMEM;
	if (!sev_key_is_p384(key)) {
		ret = -EINVAL;
		goto out;
	}
	if (EVP_DigestSignInit(mctx, NULL, md, NULL, key) != 1 ||
	    EVP_DigestSign(mctx, der, &der_len, msg, len) != 1)
		goto out;
	sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
	if (!sig)
		goto out;
	ECDSA_SIG_get0(sig, &r, &s);
	if (BN_bn2lebinpad(r, r_le, SEV_EC_FIELD) == SEV_EC_FIELD &&
	    BN_bn2lebinpad(s, s_le, SEV_EC_FIELD) == SEV_EC_FIELD)
		ret = 0;
out:
	ECDSA_SIG_free(sig);
	EVP_MD_CTX_free(mctx);
	return ret;
}

int sev_ecdsa_verify(EVP_PKEY *key, const EVP_MD *md, const void *msg,
		     size_t len, const u8 r_le[72], const u8 s_le[72])
{
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *r = BN_lebin2bn(r_le, SEV_EC_FIELD, NULL);
	BIGNUM *s = BN_lebin2bn(s_le, SEV_EC_FIELD, NULL);
	u8 *der = NULL;
	int der_len, ret = -ENOMEM;

	if (!mctx || !sig || !r || !s || !ECDSA_SIG_set0(sig, r, s))
		goto out;
	r = s = NULL;	/* owned by sig now */
	der_len = i2d_ECDSA_SIG(sig, &der);
	if (der_len <= 0)
		goto out;
	ret = -EBADMSG;
	if (EVP_DigestVerifyInit(mctx, NULL, md, NULL, key) == 1 &&
	    EVP_DigestVerify(mctx, der, (size_t)der_len, msg, len) == 1)
		ret = 0;
out:
	OPENSSL_free(der);
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(sig);
	EVP_MD_CTX_free(mctx);
	return ret;
}

static int pss_setup(EVP_MD_CTX *mctx, EVP_PKEY *key, const EVP_MD *md,
		     bool sign)
{
	EVP_PKEY_CTX *pctx = NULL;
	int ok;

	if (!EVP_PKEY_is_a(key, "RSA"))
		return -EINVAL;
	ok = sign ? EVP_DigestSignInit(mctx, &pctx, md, NULL, key) :
		    EVP_DigestVerifyInit(mctx, &pctx, md, NULL, key);
	if (ok != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
	    EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) != 1 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1)
		return -EIO;
	return 0;
}

/* RSASSA-PSS over msg; the signature is sig_len bytes, little-endian. */
int sev_rsa_pss_sign(EVP_PKEY *key, const EVP_MD *md, const void *msg,
		     size_t len, u8 *sig_le, size_t sig_len)
{
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	u8 be[RSA_SIG_MAX];
	size_t be_len = sizeof(be);
	int r;

	if (!mctx)
		return -ENOMEM;
	r = pss_setup(mctx, key, md, true);
	if (!r && (EVP_PKEY_get_size(key) != (int)sig_len ||
		   sig_len > sizeof(be)))
		r = -EINVAL;
	if (!r && (EVP_DigestSign(mctx, be, &be_len, msg, len) != 1 ||
		   be_len != sig_len))
		r = -EIO;
	if (!r)
		reverse_copy(sig_le, be, sig_len);
	EVP_MD_CTX_free(mctx);
	return r;
}

int sev_rsa_pss_verify(EVP_PKEY *key, const EVP_MD *md, const void *msg,
		       size_t len, const u8 *sig_le, size_t sig_len)
{
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	u8 be[RSA_SIG_MAX];
	int r;

	if (!mctx)
		return -ENOMEM;
	r = pss_setup(mctx, key, md, false);
	if (!r && (sig_len > sizeof(be) ||
		   EVP_PKEY_get_size(key) != (int)sig_len))
		r = -EBADMSG;
	if (!r) {
		reverse_copy(be, sig_le, sig_len);
		if (EVP_DigestVerify(mctx, be, sig_len, msg, len) != 1)
			r = -EBADMSG;
	}
	EVP_MD_CTX_free(mctx);
	return r;
}

