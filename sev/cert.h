/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SEV certificates (sev-protocol.md 5.1, 5.2): the 0x824-byte SEV format
 * (PEK, OCA, PDH, CEK, GODH; ECDSA/ECDH P-384, little-endian) and AMD's
 * root format (ARK, ASK; RSA, PSS). Parsing validates every field; a
 * malformed buffer is -EINVAL, a signature that does not verify -EBADMSG.
 */
#ifndef SEVM_SEV_CERT_H
#define SEVM_SEV_CERT_H

#include <openssl/evp.h>

#include "lib/util.h"

#define SEV_CERT_SIZE		0x824
#define SEV_CERT_BODY_SIZE	0x414	/* what a signature covers */

enum sev_usage {
	SEV_USAGE_ARK		= 0x0000,
	SEV_USAGE_ASK		= 0x0013,
	SEV_USAGE_INVALID	= 0x1000,
	SEV_USAGE_OCA		= 0x1001,
	SEV_USAGE_PEK		= 0x1002,
	SEV_USAGE_PDH		= 0x1003,
	SEV_USAGE_CEK		= 0x1004,
};

enum sev_algo {
	SEV_ALGO_INVALID	= 0x000,
	SEV_ALGO_RSA_SHA256	= 0x001,
	SEV_ALGO_ECDSA_SHA256	= 0x002,
	SEV_ALGO_ECDH_SHA256	= 0x003,
	SEV_ALGO_RSA_SHA384	= 0x101,
	SEV_ALGO_ECDSA_SHA384	= 0x102,
	SEV_ALGO_ECDH_SHA384	= 0x103,
};

/* The raw 0x824-byte certificate; fields little-endian as stored. */
struct sev_cert {
	u32 version;
	u8 api_major;
	u8 api_minor;
	u8 reserved[2];
	u32 pub_key_usage;
	u32 pub_key_algo;
	u8 pub_key[0x404];
	struct {
		u32 usage;
		u32 algo;
		u8 sig[0x200];
	} __packed sig[2];
} __packed;

_Static_assert(sizeof(struct sev_cert) == SEV_CERT_SIZE, "sev_cert ABI");

/* AMD root certificate (ARK/ASK), parsed; points into the caller's buffer. */
struct amd_cert {
	u32 version;
	u8 key_id[16];
	u8 certifying_id[16];
	u32 key_usage;		/* SEV_USAGE_ARK / SEV_USAGE_ASK */
	u32 pubexp_bits;
	u32 modulus_bits;	/* 2048 or 4096 */
	const u8 *pubexp;	/* LE */
	const u8 *modulus;	/* LE */
	const u8 *sig;		/* LE */
	const u8 *raw;
	size_t signed_len;	/* bytes covered by the signature */
	size_t total_len;
};

/*
 * len must be exactly SEV_CERT_SIZE. Checks version 1, a SEV usage (OCA,
 * PEK, PDH, CEK), an EC algo, curve 2 (P-384) with the point on the curve,
 * and known (usage, algo) or empty signature slots; reserved bytes are
 * not checked.
 */
int sev_cert_parse(const void *buf, size_t len, struct sev_cert *out)
	__must_check;
/* Public key of a cert (EC P-384 for SEV certs). Caller frees. */
int sev_cert_pubkey(const struct sev_cert *c, EVP_PKEY **pkey) __must_check;
/* Verify c against signer: the slot matching (signer usage, algo). */
int sev_cert_verify(const struct sev_cert *c, const struct sev_cert *signer)
	__must_check;
/* Verify a CEK's RSA signature by the ASK. */
int sev_cert_verify_amd(const struct sev_cert *c, const struct amd_cert *ask)
	__must_check;
/* Fill version/usage/algo/public key (P-384) of a new cert, slots empty. */
int sev_cert_init(struct sev_cert *c, u32 usage, u32 algo, EVP_PKEY *key,
		  u8 api_major, u8 api_minor) __must_check;
/* Sign c's body into slot (0/1) with key (ECDSA P-384 + SHA-256). */
int sev_cert_sign(struct sev_cert *c, int slot, u32 signer_usage,
		  EVP_PKEY *key) __must_check;
/* Sign c's body into slot with an RSA key as usage ASK (RSA_SHA384 PSS). */
int sev_cert_sign_rsa(struct sev_cert *c, int slot, EVP_PKEY *ask_key)
	__must_check;

/* len must be the exact certificate length (832 or 1600 bytes). */
int amd_cert_parse(const void *buf, size_t len, struct amd_cert *out)
	__must_check;
/* Verify c (ARK or ASK) against the ARK signer: certifying_id, PSS. */
int amd_cert_verify(const struct amd_cert *c, const struct amd_cert *signer)
	__must_check;
int amd_cert_pubkey(const struct amd_cert *c, EVP_PKEY **pkey) __must_check;
/*
 * Create an AMD-format cert for an RSA key (4096-bit, SHA-384 PSS) signed
 * by signer_key (itself for an ARK). *out is malloc'd.
 */
int amd_cert_create(EVP_PKEY *key, u32 usage, const u8 key_id[16],
		    const u8 certifying_id[16], EVP_PKEY *signer_key,
		    u8 **out, size_t *out_len) __must_check;

/* ECDH with a peer SEV cert's public key: Z, the 48-byte big-endian x. */
int sev_ecdh(EVP_PKEY *priv, const struct sev_cert *peer,
	     u8 z[48]) __must_check;
/* Fresh P-384 key pair. */
int sev_ec_keygen(EVP_PKEY **key) __must_check;

/*
 * Verify a whole platform chain: ARK->ASK->CEK->PEK, OCA->PEK, PEK->PDH
 * (ARK self-signature too). On failure *failed names the first link
 * that failed ("ASK -> CEK"). Any argument may be missing (NULL) only if
 * the links that need it are skipped: ark/ask NULL skips the AMD part.
 */
struct sev_chain {
	const struct amd_cert *ark, *ask;
	const struct sev_cert *cek, *oca, *pek, *pdh;
};
int sev_chain_verify(const struct sev_chain *chain, const char **failed)
	__must_check;

/*
 * One link (0 .. SEV_CHAIN_LINKS - 1, in the order above: ARK self, ARK ->
 * ASK, ASK -> CEK, CEK -> PEK, OCA self, OCA -> PEK, PEK -> PDH): 0 if it
 * verifies, -ENOENT if a certificate it needs is NULL, else an error (a
 * certificate in the wrong role fails too).
 */
#define SEV_CHAIN_LINKS	7
int sev_chain_link_verify(const struct sev_chain *chain, unsigned int link)
	__must_check;
const char *sev_chain_link_name(unsigned int link);

#endif /* SEVM_SEV_CERT_H */
