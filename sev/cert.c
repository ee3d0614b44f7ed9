// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV certificates (sev-protocol.md 5.1, 5.2): parsing, signatures and the
 * platform chain. Every number in a certificate is little-endian; keys and
 * signatures are converted at the boundary and all cryptography is done by
 * libcrypto (ECDSA/ECDH P-384, RSASSA-PSS with salt length = hash length).
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include "sev/cert.h"
#include "sev/crypto.h"
#include "lib/log.h"

#define SEV_CURVE_P384	2
#define EC_FIELD	SEV_EC_FIELD
#define RSA_SIG_MAX	512

/* PUB_KEY and SIG layouts for ECDSA/ECDH. */
struct sev_ec_pub {
	u32 curve;
	u8 qx[EC_FIELD];
	u8 qy[EC_FIELD];
	u8 reserved[880];
} __packed;

struct sev_ec_sig {
	u8 r[EC_FIELD];
	u8 s[EC_FIELD];
	u8 reserved[368];
} __packed;

_Static_assert(sizeof(struct sev_ec_pub) == 0x404, "ec pubkey ABI");
_Static_assert(sizeof(struct sev_ec_sig) == 0x200, "ec sig ABI");

static bool algo_is_ec(u32 algo)
{
	return algo == SEV_ALGO_ECDSA_SHA256 || algo == SEV_ALGO_ECDH_SHA256 ||
	       algo == SEV_ALGO_ECDSA_SHA384 || algo == SEV_ALGO_ECDH_SHA384;
}

static bool algo_known(u32 algo)
{
	return algo_is_ec(algo) || algo == SEV_ALGO_RSA_SHA256 ||
	       algo == SEV_ALGO_RSA_SHA384;
}

/* The signer's key algo decides the digest: 0x1xx SHA-384, else SHA-256. */
static const EVP_MD *algo_md(u32 algo)
{
	return (algo & 0x100) ? EVP_sha384() : EVP_sha256();
}

static bool usage_is_sev(u32 usage)
{
	return usage >= SEV_USAGE_OCA && usage <= SEV_USAGE_CEK;
}


static int check_slot(const struct sev_cert *c, int i)
{
	u32 usage = le32toh(c->sig[i].usage), algo = le32toh(c->sig[i].algo);

	if (usage == SEV_USAGE_INVALID && algo == SEV_ALGO_INVALID)
		return 0;		/* empty slot */
	if ((usage_is_sev(usage) || usage == SEV_USAGE_ARK ||
	     usage == SEV_USAGE_ASK) && algo_known(algo))
		return 0;
	pr_debug("sev cert: signature %d has usage 0x%x algo 0x%x", i + 1,
		 usage, algo);
	return -EINVAL;
}

int sev_cert_parse(const void *buf, size_t len, struct sev_cert *out)
{
	struct sev_cert c;
	EVP_PKEY *key;
	int r;

	if (!buf || len != SEV_CERT_SIZE) {
		pr_debug("sev cert: %zu bytes, want %d", len, SEV_CERT_SIZE);
		return -EINVAL;
	}
	memcpy(&c, buf, sizeof(c));
	if (le32toh(c.version) != 1 ||
	    !usage_is_sev(le32toh(c.pub_key_usage)) ||
	    !algo_is_ec(le32toh(c.pub_key_algo))) {
		pr_debug("sev cert: version %u usage 0x%x algo 0x%x unsupported",
			 le32toh(c.version), le32toh(c.pub_key_usage),
			 le32toh(c.pub_key_algo));
		return -EINVAL;
	}
	if (check_slot(&c, 0) || check_slot(&c, 1))
		return -EINVAL;
	r = sev_cert_pubkey(&c, &key);
	if (r)
		return r;
	EVP_PKEY_free(key);
	*out = c;
	return 0;
}

int sev_cert_pubkey(const struct sev_cert *c, EVP_PKEY **pkey)
{
	const struct sev_ec_pub *pub = (const void *)c->pub_key;

	if (!algo_is_ec(le32toh(c->pub_key_algo)) ||
	    le32toh(pub->curve) != SEV_CURVE_P384) {
		pr_debug("sev cert: algo 0x%x curve %u is not EC P-384",
			 le32toh(c->pub_key_algo), le32toh(pub->curve));
		return -EINVAL;
	}
	if (sev_ec_pub_from_le(pub->qx, pub->qy, pkey)) {
		pr_debug("sev cert: public key is not a P-384 point");
		return -EINVAL;
	}
	return 0;
}

static int find_slot(const struct sev_cert *c, u32 usage, u32 algo)
{
	for (int i = 0; i < 2; i++)
		if (le32toh(c->sig[i].usage) == usage &&
		    le32toh(c->sig[i].algo) == algo)
			return i;
	return -1;
}

int sev_cert_verify(const struct sev_cert *c, const struct sev_cert *signer)
{
	u32 usage = le32toh(signer->pub_key_usage);
	u32 algo = le32toh(signer->pub_key_algo);
	const struct sev_ec_sig *sig;
	EVP_PKEY *key;
	int slot, r;

	if (algo != SEV_ALGO_ECDSA_SHA256 && algo != SEV_ALGO_ECDSA_SHA384)
		return -EINVAL;	/* an ECDH key signs nothing */
	slot = find_slot(c, usage, algo);
	if (slot < 0) {
		pr_debug("sev cert: no signature by usage 0x%x algo 0x%x",
			 usage, algo);
		return -EBADMSG;
	}
	r = sev_cert_pubkey(signer, &key);
	if (r)
		return r;
	sig = (const void *)c->sig[slot].sig;
	r = sev_ecdsa_verify(key, algo_md(algo), c, SEV_CERT_BODY_SIZE,
			     sig->r, sig->s);
	EVP_PKEY_free(key);
	return r;
}

int sev_cert_verify_amd(const struct sev_cert *c, const struct amd_cert *ask)
{
	u32 algo = ask->modulus_bits == 2048 ? SEV_ALGO_RSA_SHA256 :
					       SEV_ALGO_RSA_SHA384;
	EVP_PKEY *key;
	int slot, r;

	if (ask->key_usage != SEV_USAGE_ASK)
		return -EINVAL;
	slot = find_slot(c, SEV_USAGE_ASK, algo);
	if (slot < 0) {
		pr_debug("sev cert: no signature by the ASK (algo 0x%x)", algo);
		return -EBADMSG;
	}
	r = amd_cert_pubkey(ask, &key);
	if (r)
		return r;
	r = sev_rsa_pss_verify(key, algo_md(algo), c, SEV_CERT_BODY_SIZE,
			       c->sig[slot].sig, ask->modulus_bits / 8);
	EVP_PKEY_free(key);
	return r;
}

int sev_cert_init(struct sev_cert *c, u32 usage, u32 algo, EVP_PKEY *key,
		  u8 api_major, u8 api_minor)
{
	struct sev_ec_pub *pub = (void *)c->pub_key;
	int r;

	if (!usage_is_sev(usage) || !algo_is_ec(algo))
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	c->version = htole32(1);
	c->api_major = api_major;
	c->api_minor = api_minor;
	c->pub_key_usage = htole32(usage);
	c->pub_key_algo = htole32(algo);
	pub->curve = htole32(SEV_CURVE_P384);
	r = sev_ec_pub_to_le(key, pub->qx, pub->qy);
	for (int i = 0; i < 2; i++) {
		c->sig[i].usage = htole32(SEV_USAGE_INVALID);
		c->sig[i].algo = htole32(SEV_ALGO_INVALID);
	}
	return r;
}

int sev_cert_sign(struct sev_cert *c, int slot, u32 signer_usage,
		  EVP_PKEY *key)
{
	struct sev_ec_sig sig = { { 0 } };
	int r;

	if (slot < 0 || slot > 1 || !usage_is_sev(signer_usage))
		return -EINVAL;
	r = sev_ecdsa_sign(key, EVP_sha256(), c, SEV_CERT_BODY_SIZE, sig.r,
			   sig.s);
	if (r)
		return r;
	c->sig[slot].usage = htole32(signer_usage);
	c->sig[slot].algo = htole32(SEV_ALGO_ECDSA_SHA256);
	memcpy(c->sig[slot].sig, &sig, sizeof(sig));
	return 0;
}

int sev_cert_sign_rsa(struct sev_cert *c, int slot, EVP_PKEY *ask_key)
{
	u8 sig[RSA_SIG_MAX] = { 0 };
	int r, size;

	if (slot < 0 || slot > 1 || !EVP_PKEY_is_a(ask_key, "RSA"))
		return -EINVAL;
	size = EVP_PKEY_get_size(ask_key);
	if (size <= 0 || size > RSA_SIG_MAX)
		return -EINVAL;
	r = sev_rsa_pss_sign(ask_key, EVP_sha384(), c, SEV_CERT_BODY_SIZE, sig,
			     (size_t)size);
	if (r)
		return r;
	c->sig[slot].usage = htole32(SEV_USAGE_ASK);
	c->sig[slot].algo = htole32(SEV_ALGO_RSA_SHA384);
	memcpy(c->sig[slot].sig, sig, sizeof(sig));
	return 0;
}

int sev_ec_keygen(EVP_PKEY **key)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	int r = -EIO;

	*key = NULL;
	if (ctx && EVP_PKEY_keygen_init(ctx) == 1 &&
	    EVP_PKEY_CTX_set_group_name(ctx, "P-384") == 1 &&
	    EVP_PKEY_generate(ctx, key) == 1)
		r = 0;
	EVP_PKEY_CTX_free(ctx);
	return r;
}

int sev_ecdh(EVP_PKEY *priv, const struct sev_cert *peer, u8 z[48])
{
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pub;
	size_t len = SEV_ECDH_Z_SIZE;
	int r;

	r = sev_cert_pubkey(peer, &pub);
	if (r)
		return r;
	r = -EIO;
	if (!sev_key_is_p384(priv)) {
		r = -EINVAL;
		goto out;
	}
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, priv, NULL);
	if (ctx && EVP_PKEY_derive_init(ctx) == 1 &&
	    EVP_PKEY_derive_set_peer(ctx, pub) == 1 &&
	    EVP_PKEY_derive(ctx, z, &len) == 1 && len == SEV_ECDH_Z_SIZE)
		r = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pub);
	return r;
}

/* AMD root certificates (ARK, ASK): header, then PUBEXP, MODULUS, SIG. */
struct amd_cert_hdr {
	u32 version;
	u8 key_id[16];
	u8 certifying_id[16];
	u32 key_usage;
	u8 reserved[16];
	u32 pubexp_bits;
	u32 modulus_bits;
} __packed;

_Static_assert(sizeof(struct amd_cert_hdr) == 0x40, "amd_cert ABI");

int amd_cert_parse(const void *buf, size_t len, struct amd_cert *out)
{
	const struct amd_cert_hdr *h = buf;
	u32 usage, eb, mb;
	size_t total;

	if (!buf || len < sizeof(*h)) {
		pr_debug("amd cert: %zu bytes is shorter than the header", len);
		return -EINVAL;
	}
	usage = le32toh(h->key_usage);
	eb = le32toh(h->pubexp_bits);
	mb = le32toh(h->modulus_bits);
	total = sizeof(*h) + (size_t)eb / 8 + 2 * ((size_t)mb / 8);
	if (le32toh(h->version) != 1 ||
	    (usage != SEV_USAGE_ARK && usage != SEV_USAGE_ASK) ||
	    (mb != 2048 && mb != 4096) || eb != mb || len != total) {
		pr_debug("amd cert: version %u usage 0x%x pubexp %u modulus %u bits, %zu bytes: malformed",
			 le32toh(h->version), usage, eb, mb, len);
		return -EINVAL;
	}
	memset(out, 0, sizeof(*out));
	out->version = 1;
	memcpy(out->key_id, h->key_id, sizeof(out->key_id));
	memcpy(out->certifying_id, h->certifying_id,
	       sizeof(out->certifying_id));
	out->key_usage = usage;
	out->pubexp_bits = eb;
	out->modulus_bits = mb;
	out->raw = buf;
	out->pubexp = out->raw + sizeof(*h);
	out->modulus = out->pubexp + eb / 8;
	out->sig = out->modulus + mb / 8;
	out->signed_len = (size_t)(out->sig - out->raw);
	out->total_len = total;
	return 0;
}

static int rsa_key_from_le(const u8 *n_le, size_t n_len, const u8 *e_le,
			   size_t e_len, EVP_PKEY **pkey)
{
	BIGNUM *n = BN_lebin2bn(n_le, (int)n_len, NULL);
	BIGNUM *e = BN_lebin2bn(e_le, (int)e_len, NULL);
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	int r = -ENOMEM;

	*pkey = NULL;
	if (!n || !e || !bld)
		goto out;
	r = -EINVAL;	/* e: odd, 3 .. 2^64 - 1 (AMD uses 65537) */
	if (BN_num_bits(n) != (int)n_len * 8 || !BN_is_odd(n) ||
	    !BN_is_odd(e) || BN_is_one(e) || BN_num_bits(e) > 64)
		goto out;
	if (!OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	if (params && ctx && EVP_PKEY_fromdata_init(ctx) == 1 &&
	    EVP_PKEY_fromdata(ctx, pkey, EVP_PKEY_PUBLIC_KEY, params) == 1)
		r = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	return r;
}

int amd_cert_pubkey(const struct amd_cert *c, EVP_PKEY **pkey)
{
	if (rsa_key_from_le(c->modulus, c->modulus_bits / 8, c->pubexp,
			    c->pubexp_bits / 8, pkey)) {
		pr_debug("amd cert: not a valid %u-bit RSA public key",
			 c->modulus_bits);
		return -EINVAL;
	}
	return 0;
}

/* PSS digest by key size: SHA-256 for 2048-bit, SHA-384 for 4096-bit. */
static const EVP_MD *amd_md(u32 modulus_bits)
{
	return modulus_bits == 2048 ? EVP_sha256() : EVP_sha384();
}

int amd_cert_verify(const struct amd_cert *c, const struct amd_cert *signer)
{
	EVP_PKEY *key;
	int r;

	if (signer->key_usage != SEV_USAGE_ARK)
		return -EINVAL;
	if (memcmp(c->certifying_id, signer->key_id, sizeof(c->key_id)) ||
	    c->modulus_bits != signer->modulus_bits) {
		pr_debug("amd cert: not certified by key %02x%02x%02x%02x...",
			 signer->key_id[0], signer->key_id[1],
			 signer->key_id[2], signer->key_id[3]);
		return -EBADMSG;
	}
	r = amd_cert_pubkey(signer, &key);
	if (r)
		return r;
	r = sev_rsa_pss_verify(key, amd_md(signer->modulus_bits), c->raw,
			       c->signed_len, c->sig, c->modulus_bits / 8);
	EVP_PKEY_free(key);
	return r;
}

static int amd_cert_fill(u8 *buf, EVP_PKEY *key, u32 usage,
			 const u8 key_id[16], const u8 certifying_id[16])
{
	struct amd_cert_hdr *h = (void *)buf;
	BIGNUM *n = NULL, *e = NULL;
	int r = -EINVAL;

	h->version = htole32(1);
	memcpy(h->key_id, key_id, 16);
	memcpy(h->certifying_id, certifying_id, 16);
	h->key_usage = htole32(usage);
	h->pubexp_bits = htole32(4096);
	h->modulus_bits = htole32(4096);
	if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n) == 1 &&
	    EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e) == 1 &&
	    BN_bn2lebinpad(e, buf + sizeof(*h), 512) == 512 &&
	    BN_bn2lebinpad(n, buf + sizeof(*h) + 512, 512) == 512)
		r = 0;
	BN_free(n);
	BN_free(e);
	return r;
}

int amd_cert_create(EVP_PKEY *key, u32 usage, const u8 key_id[16],
		    const u8 certifying_id[16], EVP_PKEY *signer_key,
		    u8 **out, size_t *out_len)
{
	const size_t signed_len = sizeof(struct amd_cert_hdr) + 2 * 512;
	const size_t total = signed_len + 512;
	u8 *buf;
	int r;

	if ((usage != SEV_USAGE_ARK && usage != SEV_USAGE_ASK) ||
	    !EVP_PKEY_is_a(key, "RSA") || EVP_PKEY_get_bits(key) != 4096 ||
	    !EVP_PKEY_is_a(signer_key, "RSA") ||
	    EVP_PKEY_get_bits(signer_key) != 4096)
		return -EINVAL;
	buf = calloc(1, total);
	if (!buf)
		return -ENOMEM;
	r = amd_cert_fill(buf, key, usage, key_id, certifying_id);
	if (!r)
		r = sev_rsa_pss_sign(signer_key, EVP_sha384(), buf, signed_len,
				     buf + signed_len, 512);
	if (r) {
		free(buf);
		return r;
	}
	*out = buf;
	*out_len = total;
	return 0;
}

/* The platform chain, one link at a time. */
enum chain_link {
	LINK_ARK_SELF, LINK_ARK_ASK, LINK_ASK_CEK, LINK_CEK_PEK,
	LINK_OCA_SELF, LINK_OCA_PEK, LINK_PEK_PDH,
};

static const char *const link_names[SEV_CHAIN_LINKS] = {
	[LINK_ARK_SELF]	= "ARK self-signature",
	[LINK_ARK_ASK]	= "ARK -> ASK",
	[LINK_ASK_CEK]	= "ASK -> CEK",
	[LINK_CEK_PEK]	= "CEK -> PEK",
	[LINK_OCA_SELF]	= "OCA self-signature",
	[LINK_OCA_PEK]	= "OCA -> PEK",
	[LINK_PEK_PDH]	= "PEK -> PDH",
};

const char *sev_chain_link_name(unsigned int link)
{
	return link < SEV_CHAIN_LINKS ? link_names[link] : "unknown link";
}

static bool is(const struct sev_cert *c, u32 usage)
{
	return le32toh(c->pub_key_usage) == usage;
}

static int sev_link(const struct sev_cert *c, u32 cu,
		    const struct sev_cert *s, u32 su)
{
	if (!c || !s)
		return -ENOENT;
	if (!is(c, cu) || !is(s, su))
		return -EBADMSG;	/* a certificate in the wrong role */
	return sev_cert_verify(c, s);
}

int sev_chain_link_verify(const struct sev_chain *ch, unsigned int link)
{
	const struct amd_cert *ark = ch->ark, *ask = ch->ask;

	switch (link) {
	case LINK_ARK_SELF:
	case LINK_ARK_ASK:
		if (!ark || (link == LINK_ARK_ASK && !ask))
			return -ENOENT;
		if (ark->key_usage != SEV_USAGE_ARK ||
		    (link == LINK_ARK_ASK && ask->key_usage != SEV_USAGE_ASK))
			return -EBADMSG;
		return amd_cert_verify(link == LINK_ARK_SELF ? ark : ask, ark);
	case LINK_ASK_CEK:
		if (!ask || !ch->cek)
			return -ENOENT;
		if (!is(ch->cek, SEV_USAGE_CEK))
			return -EBADMSG;
		return sev_cert_verify_amd(ch->cek, ask);
	case LINK_CEK_PEK:
		return sev_link(ch->pek, SEV_USAGE_PEK, ch->cek, SEV_USAGE_CEK);
	case LINK_OCA_SELF:
		return sev_link(ch->oca, SEV_USAGE_OCA, ch->oca, SEV_USAGE_OCA);
	case LINK_OCA_PEK:
		return sev_link(ch->pek, SEV_USAGE_PEK, ch->oca, SEV_USAGE_OCA);
	case LINK_PEK_PDH:
		return sev_link(ch->pdh, SEV_USAGE_PDH, ch->pek, SEV_USAGE_PEK);
	}
	return -EINVAL;
}

int sev_chain_verify(const struct sev_chain *chain, const char **failed)
{
	unsigned int checked = 0;
	const char *dummy;
	int r;

	if (!failed)
		failed = &dummy;
	*failed = NULL;
	for (unsigned int i = 0; i < SEV_CHAIN_LINKS; i++) {
		r = sev_chain_link_verify(chain, i);
		if (r == -ENOENT)
			continue;
		if (r) {
			*failed = link_names[i];
			pr_debug("sev chain: %s failed", link_names[i]);
			return r == -ENOMEM ? r : -EBADMSG;
		}
		checked++;
	}
	if (!checked) {
		*failed = "no link to verify";
		return -EINVAL;
	}
	return 0;
}
