/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SEV launch cryptography (sev-protocol.md 5.3, 6, 7), all through
 * OpenSSL libcrypto: the SP 800-108 KDF with little-endian fields, the
 * LAUNCH_START session wrap, the launch measurement, and the LAUNCH_SECRET
 * packet. Used by the guest owner (sevm-owner) and by the emulated PSP.
 * Functions return 0 or -errno; a MAC that does not verify is -EBADMSG.
 */
#ifndef SEVM_SEV_CRYPTO_H
#define SEVM_SEV_CRYPTO_H

#include <openssl/evp.h>

#include "lib/util.h"

#define SEV_KEY_SIZE		16
#define SEV_NONCE_SIZE		16
#define SEV_DIGEST_SIZE		32
#define SEV_ECDH_Z_SIZE		48	/* P-384 shared x, big-endian */
#define SEV_EC_FIELD		72	/* LE coordinate, r or s in a cert */

/*
 * LAUNCH_START session blob, 0x80 = 128 bytes (sev-tool sev_session_buf,
 * virtee Session: 16 + 32 + 16 + 32 + 32; sev-protocol.md 5.3 says 0x90,
 * but its own offset table ends at 0x80).
 */
#define SEV_SESSION_SIZE	0x80
struct sev_session {
	u8 nonce[16];
	u8 wrap_tk[32];		/* AES-128-CTR(KEK, WRAP_IV)(TEK || TIK) */
	u8 wrap_iv[16];
	u8 wrap_mac[32];	/* HMAC-SHA256(KIK, WRAP_TK) */
	u8 policy_mac[32];	/* HMAC-SHA256(TIK, LE32(policy)) */
} __packed;

/* LAUNCH_MEASURE blob, 48 bytes. */
struct sev_measurement {
	u8 measure[32];
	u8 mnonce[16];
} __packed;

/* LAUNCH_SECRET packet header, 52 bytes. */
struct sev_secret_header {
	u32 flags;		/* little-endian; 0 */
	u8 iv[16];
	u8 mac[32];
} __packed;

_Static_assert(sizeof(struct sev_session) == SEV_SESSION_SIZE, "session ABI");
_Static_assert(sizeof(struct sev_measurement) == 48, "measure ABI");
_Static_assert(sizeof(struct sev_secret_header) == 52, "secret header ABI");

int sev_random(void *buf, size_t len) __must_check;

/* KDF: K(i) = HMAC-SHA256(key, LE32(i) || label || 0 || ctx || LE32(bits)). */
int sev_kdf(const u8 *key, size_t key_len, const char *label,
	    const u8 *ctx, size_t ctx_len, u8 *out, size_t out_len)
	__must_check;
/* MASTER = KDF(Z, "sev-master-secret", nonce); KEK, KIK from MASTER. */
int sev_derive_kek_kik(const u8 *z, size_t z_len,
		       const u8 nonce[SEV_NONCE_SIZE], u8 kek[SEV_KEY_SIZE],
		       u8 kik[SEV_KEY_SIZE]) __must_check;

/* Build a session blob from explicit inputs (known-answer tests use it). */
int sev_session_wrap(const u8 kek[16], const u8 kik[16], const u8 tek[16],
		     const u8 tik[16], const u8 nonce[16], const u8 wrap_iv[16],
		     u32 policy, struct sev_session *out) __must_check;
/*
 * Firmware side: check WRAP_MAC (-EBADMSG), unwrap TEK/TIK, check
 * POLICY_MAC against policy (-EKEYREJECTED). Outputs untouched on error.
 */
int sev_session_unwrap(const struct sev_session *s, const u8 kek[16],
		       const u8 kik[16], u32 policy, u8 tek[16], u8 tik[16])
	__must_check;

/*
 * MEASURE = HMAC-SHA256(TIK, 04 || maj || min || build || LE32(policy) ||
 *                       LD || MNONCE)
 */
int sev_measure(const u8 tik[16], u8 api_major, u8 api_minor, u8 build,
		u32 policy, const u8 ld[32], const u8 mnonce[16],
		u8 out[32]) __must_check;

int sev_aes128_ctr(const u8 key[16], const u8 iv[16], const u8 *in,
		   u8 *out, size_t len) __must_check;

/*
 * MAC = HMAC-SHA256(TIK, 01 || LE32(flags) || IV || LE32(guest_len) ||
 *                   LE32(trans_len) || CT || MEASURE)
 */
int sev_secret_mac(const u8 tik[16], u32 flags, const u8 iv[16],
		   u32 guest_len, u32 trans_len, const u8 *ct, size_t ct_len,
		   const u8 measure[32], u8 mac[32]) __must_check;
/* Guest owner: encrypt plain with TEK/iv, fill hdr (flags 0). */
int sev_secret_seal(const u8 tek[16], const u8 tik[16], const u8 iv[16],
		    const u8 measure[32], const u8 *plain, size_t len,
		    struct sev_secret_header *hdr, u8 *ct) __must_check;
/* Firmware: verify the MAC (-EBADMSG) and decrypt into plain. */
int sev_secret_open(const u8 tek[16], const u8 tik[16], const u8 measure[32],
		    const struct sev_secret_header *hdr, u32 guest_len,
		    const u8 *ct, size_t len, u8 *plain) __must_check;

/*
 * P-384 keys and signatures in the certificates' little-endian encodings
 * (sev-protocol.md 5.1), shared by sev/cert.c and the emulated PSP.
 * from_le checks that the point is in range and on the curve (-EINVAL).
 */
int sev_ec_pub_from_le(const u8 qx[SEV_EC_FIELD],
		       const u8 qy[SEV_EC_FIELD], EVP_PKEY **pkey)
	__must_check;
int sev_ec_pub_to_le(EVP_PKEY *key, u8 qx[SEV_EC_FIELD],
		     u8 qy[SEV_EC_FIELD]) __must_check;
bool sev_key_is_p384(EVP_PKEY *key);
/* ECDSA over msg with md; r and s as 72-byte little-endian fields. */
int sev_ecdsa_sign(EVP_PKEY *key, const EVP_MD *md, const void *msg,
		   size_t len, u8 r_le[SEV_EC_FIELD], u8 s_le[SEV_EC_FIELD])
	__must_check;
int sev_ecdsa_verify(EVP_PKEY *key, const EVP_MD *md, const void *msg,
		     size_t len, const u8 r_le[SEV_EC_FIELD],
		     const u8 s_le[SEV_EC_FIELD]) __must_check;
/* RSASSA-PSS, MGF1(md), salt = digest length; signature little-endian. */
int sev_rsa_pss_sign(EVP_PKEY *key, const EVP_MD *md, const void *msg,
		     size_t len, u8 *sig_le, size_t sig_len) __must_check;
int sev_rsa_pss_verify(EVP_PKEY *key, const EVP_MD *md, const void *msg,
		       size_t len, const u8 *sig_le, size_t sig_len)
	__must_check;

#endif /* SEVM_SEV_CRYPTO_H */
