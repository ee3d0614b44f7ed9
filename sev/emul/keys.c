// SPDX-License-Identifier: GPL-2.0-only
/*
 * The emulated platform's keys and certificates in its state directory:
 * private keys as PEM files (mode 0600), certificates as raw bytes. All
 * cryptography is OpenSSL's, through sev/cert.h.
 */
#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "sev/crypto.h"
#include "sev/emul/platform.h"
#include "lib/log.h"

#define PEM_MAX		(64 * 1024)
#define AMD_CERT_MAX	4096

static int file_name(char *buf, size_t len, const char *dir,
		     const char *name, const char *ext)
{
	char base[64];

	snprintf(base, sizeof(base), "%s.%s", name, ext);
	return emul_path(buf, len, dir, base);
}

int emul_pem_write(const char *dir, const char *name, EVP_PKEY *key)
{
	char path[PATH_MAX];
	BIO *bio = BIO_new(BIO_s_secmem());
	char *data;
	long len;
	int r;

	r = file_name(path, sizeof(path), dir, name, "key");
	if (!r && (!bio || !PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0,
						     NULL, NULL)))
		r = -ENOMEM;
	if (!r) {
		len = BIO_get_mem_data(bio, &data);
		r = len > 0 ? write_file_atomic(path, data, (size_t)len, 0600)
			    : -EIO;
	}
	BIO_free(bio);
	if (r)
		pr_err("emulated PSP: writing key %s failed: %s", path,
		       strerror(-r));
	return r;
}

int emul_pem_read(const char *dir, const char *name, EVP_PKEY **key)
{
	char path[PATH_MAX];
	BIO *bio = NULL;
	size_t len = 0;
	void *buf = NULL;
	int r;

	*key = NULL;
	r = file_name(path, sizeof(path), dir, name, "key");
	r = r ?: read_file(path, &buf, &len, PEM_MAX);
	if (r == -ENOENT)
		return r;
	if (!r && len > INT_MAX)
		r = -EFBIG;
	if (!r) {
		bio = BIO_new_mem_buf(buf, (int)len);
		*key = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) :
			     NULL;
		r = *key ? 0 : -EINVAL;
	}
	BIO_free(bio);
	if (buf)
		memzero_explicit(buf, len);
	free(buf);
	if (r)
		pr_err("emulated PSP: reading key %s failed: %s", path,
		       strerror(-r));
	return r;
}

static int cert_write(const char *dir, const char *name, const void *c,
		      size_t len)
{
	char path[PATH_MAX];
	int r;

	r = file_name(path, sizeof(path), dir, name, "cert");
	r = r ?: write_file_atomic(path, c, len, 0600);
	if (r)
		pr_err("emulated PSP: writing certificate %s failed: %s", path,
		       strerror(-r));
	return r;
}

static int cert_read(const char *dir, const char *name, struct sev_cert *c)
{
	char path[PATH_MAX];
	size_t len = 0;
	void *buf = NULL;
	int r;

	r = file_name(path, sizeof(path), dir, name, "cert");
	r = r ?: read_file(path, &buf, &len, SEV_CERT_SIZE + 1);
	if (!r && sev_cert_parse(buf, len, c))
		r = -EINVAL;
	free(buf);
	if (r)
		pr_err("emulated PSP: reading certificate %s failed: %s", path,
		       strerror(-r));
	return r;
}

void emul_keys_free(struct emul_keys *k)
{
	EVP_PKEY_free(k->cek);
	EVP_PKEY_free(k->oca);
	EVP_PKEY_free(k->pek);
	EVP_PKEY_free(k->pdh);
	k->cek = k->oca = k->pek = k->pdh = NULL;
}

static void keys_replace(struct emul_keys *k, struct emul_keys *n)
{
	emul_keys_free(k);
	*k = *n;
	memset(n, 0, sizeof(*n));
}

/*
 * Only the PDH private key (LAUNCH_START's ECDH) is loaded with the
 * platform. The certificates (emul_keys_certs) and the CEK, PEK and OCA
 * private keys (keys_need) are loaded by the key-management commands that
 * use them: every VM launch opens the platform, and each key or
 * certificate costs ~0.3 ms to decode and validate.
 */
int emul_keys_load(const char *dir, struct emul_keys *k)
{
	struct emul_keys n;
	int r;

	memset(&n, 0, sizeof(n));
	r = emul_pem_read(dir, "pdh", &n.pdh);
	if (r) {
		emul_keys_free(&n);
		return r;
	}
	n.gen = k->gen;
	keys_replace(k, &n);
	return 0;
}

int emul_keys_certs(const char *dir, struct emul_keys *k)
{
	struct sev_cert cek, oca, pek, pdh;
	int r;

	if (k->certs)
		return 0;
	r = cert_read(dir, "cek", &cek);
	r = r ?: cert_read(dir, "oca", &oca);
	r = r ?: cert_read(dir, "pek", &pek);
	r = r ?: cert_read(dir, "pdh", &pdh);
	if (r)
		return r;
	k->cek_cert = cek;
	k->oca_cert = oca;
	k->pek_cert = pek;
	k->pdh_cert = pdh;
	k->certs = true;
	return 0;
}

/* Load a private key that emul_keys_load left out, once. */
static int keys_need(const char *dir, const char *name, EVP_PKEY **key)
{
	return *key ? 0 : emul_pem_read(dir, name, key);
}

/* A fresh P-384 key and its certificate, slots empty. */
static int new_ec(EVP_PKEY **key, struct sev_cert *c, u32 usage, u32 algo,
		  const struct emul_config *cfg)
{
	int r = sev_ec_keygen(key);

	if (!r)
		r = sev_cert_init(c, usage, algo, *key, cfg->api_major,
				  cfg->api_minor);
	return r;
}

static int save_pair(const char *dir, const char *name, EVP_PKEY *key,
		     const struct sev_cert *c)
{
	int r = emul_pem_write(dir, name, key);

	return r ?: cert_write(dir, name, c, sizeof(*c));
}

static int make_pdh(const struct emul_config *cfg, EVP_PKEY *pek,
		    EVP_PKEY **pdh, struct sev_cert *c)
{
	int r = new_ec(pdh, c, SEV_USAGE_PDH, SEV_ALGO_ECDH_SHA256, cfg);

	return r ?: sev_cert_sign(c, 0, SEV_USAGE_PEK, pek);
}

static void gen_failed(const char *dir, const char *what, int r)
{
	pr_err("emulated PSP %s: generating the %s failed: %s", dir, what,
	       strerror(-r));
}

/* OCA (self-signed), PEK (by the OCA and the CEK), PDH (by the PEK). */
static int gen_owner(const struct emul_config *cfg, EVP_PKEY *cek,
		     struct emul_keys *n)
{
	int r;

	r = new_ec(&n->oca, &n->oca_cert, SEV_USAGE_OCA,
		   SEV_ALGO_ECDSA_SHA256, cfg);
	r = r ?: sev_cert_sign(&n->oca_cert, 0, SEV_USAGE_OCA, n->oca);
	r = r ?: new_ec(&n->pek, &n->pek_cert, SEV_USAGE_PEK,
			SEV_ALGO_ECDSA_SHA256, cfg);
	r = r ?: sev_cert_sign(&n->pek_cert, 0, SEV_USAGE_OCA, n->oca);
	r = r ?: sev_cert_sign(&n->pek_cert, 1, SEV_USAGE_CEK, cek);
	return r ?: make_pdh(cfg, n->pek, &n->pdh, &n->pdh_cert);
}

int emul_keys_new_owner(const char *dir, const struct emul_config *cfg,
			struct emul_keys *k)
{
	struct emul_keys n;
	int r;

	memset(&n, 0, sizeof(n));
	r = keys_need(dir, "cek", &k->cek);
	if (r)
		return r;
	r = gen_owner(cfg, k->cek, &n);
	if (r)
		gen_failed(dir, "OCA, PEK and PDH", r);
	r = r ?: save_pair(dir, "oca", n.oca, &n.oca_cert);
	r = r ?: save_pair(dir, "pek", n.pek, &n.pek_cert);
	r = r ?: save_pair(dir, "pdh", n.pdh, &n.pdh_cert);
	if (r) {
		emul_keys_free(&n);
		return r;
	}
	n.cek = k->cek;
	n.cek_cert = k->cek_cert;
	n.certs = k->certs;
	n.gen = k->gen;
	k->cek = NULL;
	keys_replace(k, &n);
	return 0;
}

int emul_keys_new_pdh(const char *dir, const struct emul_config *cfg,
		      struct emul_keys *k)
{
	struct sev_cert c;
	EVP_PKEY *pdh = NULL;
	int r;

	r = keys_need(dir, "pek", &k->pek);
	if (r)
		return r;
	r = make_pdh(cfg, k->pek, &pdh, &c);
	if (r)
		gen_failed(dir, "PDH", r);
	r = r ?: save_pair(dir, "pdh", pdh, &c);
	if (r) {
		EVP_PKEY_free(pdh);
		return r;
	}
	EVP_PKEY_free(k->pdh);
	k->pdh = pdh;
	k->pdh_cert = c;
	return 0;
}

int emul_keys_import(const char *dir, struct emul_keys *k,
		     const struct sev_cert *pek, const struct sev_cert *oca)
{
	struct sev_cert c = *pek;
	char path[PATH_MAX];
	int r;

	/* Slot 0: the OCA's signature (wherever the owner put it). */
	if (le32toh(c.sig[0].usage) != SEV_USAGE_OCA)
		c.sig[0] = pek->sig[1];
	r = keys_need(dir, "cek", &k->cek);
	if (r)
		return r;
	r = sev_cert_sign(&c, 1, SEV_USAGE_CEK, k->cek);
	if (r)
		gen_failed(dir, "CEK signature of the imported PEK", r);
	r = r ?: cert_write(dir, "oca", oca, sizeof(*oca));
	r = r ?: cert_write(dir, "pek", &c, sizeof(c));
	r = r ?: file_name(path, sizeof(path), dir, "oca", "key");
	if (!r && unlink(path) && errno != ENOENT) {
		r = -errno;
		pr_err("emulated PSP: removing %s failed: %s", path,
		       strerror(-r));
	}
	if (r)
		return r;
	EVP_PKEY_free(k->oca);
	k->oca = NULL;
	k->oca_cert = *oca;
	k->pek_cert = c;
	return 0;
}

struct amd_roots {
	EVP_PKEY *ark, *ask;
	u8 *ark_c, *ask_c;
	size_t ark_len, ask_len;
};

/* The AMD root pair: ARK (self-signed) and ASK (signed by the ARK). */
static int gen_amd_roots(struct amd_roots *a)
{
	u8 ark_id[16], ask_id[16];
	int r;

	a->ark = EVP_RSA_gen(4096);
	a->ask = EVP_RSA_gen(4096);
	r = a->ark && a->ask ? 0 : -ENOMEM;
	r = r ?: sev_random(ark_id, sizeof(ark_id));
	r = r ?: sev_random(ask_id, sizeof(ask_id));
	r = r ?: amd_cert_create(a->ark, SEV_USAGE_ARK, ark_id, ark_id,
				 a->ark, &a->ark_c, &a->ark_len);
	return r ?: amd_cert_create(a->ask, SEV_USAGE_ASK, ask_id, ark_id,
				    a->ark, &a->ask_c, &a->ask_len);
}

static int save_amd_roots(const char *dir, const struct amd_roots *a)
{
	int r = emul_pem_write(dir, "ark", a->ark);

	r = r ?: cert_write(dir, "ark", a->ark_c, a->ark_len);
	r = r ?: emul_pem_write(dir, "ask", a->ask);
	return r ?: cert_write(dir, "ask", a->ask_c, a->ask_len);
}

static void free_amd_roots(struct amd_roots *a)
{
	EVP_PKEY_free(a->ark);
	EVP_PKEY_free(a->ask);
	free(a->ark_c);
	free(a->ask_c);
}

/* The CEK, signed by the ASK as AMD signs it (RSA_SHA384). */
static int gen_cek(const struct emul_config *cfg, EVP_PKEY *ask,
		   struct emul_keys *k)
{
	int r = new_ec(&k->cek, &k->cek_cert, SEV_USAGE_CEK,
		       SEV_ALGO_ECDSA_SHA256, cfg);

	return r ?: sev_cert_sign_rsa(&k->cek_cert, 0, ask);
}

int emul_keys_create(const char *dir, const struct emul_config *cfg)
{
	struct amd_roots a;
	struct emul_keys k;
	int r;

	memset(&a, 0, sizeof(a));
	memset(&k, 0, sizeof(k));
	r = gen_amd_roots(&a);
	r = r ?: gen_cek(cfg, a.ask, &k);
	if (r)
		gen_failed(dir, "ARK, ASK and CEK", r);
	r = r ?: save_amd_roots(dir, &a);
	r = r ?: save_pair(dir, "cek", k.cek, &k.cek_cert);
	r = r ?: emul_keys_new_owner(dir, cfg, &k);
	free_amd_roots(&a);
	emul_keys_free(&k);
	return r;
}

int emul_amd_cert_read(const char *dir, const char *name, u8 **buf,
		       size_t *len)
{
	struct amd_cert c;
	char path[PATH_MAX];
	void *p = NULL;
	int r;

	r = file_name(path, sizeof(path), dir, name, "cert");
	r = r ?: read_file(path, &p, len, AMD_CERT_MAX);
	if (!r && amd_cert_parse(p, *len, &c))
		r = -EINVAL;
	if (r) {
		pr_err("emulated PSP: reading certificate %s failed: %s", path,
		       strerror(-r));
		free(p);
		return r;
	}
	*buf = p;
	return 0;
}
