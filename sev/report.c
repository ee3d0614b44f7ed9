// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV ATTESTATION report (sev/report.h): built and signed by the
 * emulated PSP, parsed and checked by the guest owner. OpenSSL does the
 * ECDSA (sev/crypto.c's little-endian helpers).
 */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "sev/report.h"
#include "lib/log.h"

int sev_report_build(struct sev_report *r, const u8 mnonce[16],
		     const u8 ld[32], u32 policy, EVP_PKEY *pek)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->mnonce, mnonce, sizeof(r->mnonce));
	memcpy(r->launch_digest, ld, sizeof(r->launch_digest));
	r->policy = htole32(policy);
	r->sig_usage = htole32(SEV_USAGE_PEK);
	r->sig_algo = htole32(SEV_ALGO_ECDSA_SHA256);
	return sev_ecdsa_sign(pek, EVP_sha256(), r, SEV_REPORT_SIGNED_LEN,
			      r->sig_r, r->sig_s);
}

int sev_report_parse(const void *buf, size_t len, struct sev_report *out)
{
	struct sev_report r;

	if (!buf || len != sizeof(r)) {
		pr_debug("sev report: %zu bytes, want %d", len,
			 SEV_REPORT_SIZE);
		return -EINVAL;
	}
	memcpy(&r, buf, sizeof(r));
	if (le32toh(r.sig_usage) != SEV_USAGE_PEK ||
	    le32toh(r.sig_algo) != SEV_ALGO_ECDSA_SHA256) {
		pr_debug("sev report: signature usage 0x%x algo 0x%x, want PEK ECDSA_SHA256",
			 le32toh(r.sig_usage), le32toh(r.sig_algo));
		return -EINVAL;
	}
	*out = r;
	return 0;
}

int sev_report_verify(const struct sev_report *r, const struct sev_cert *pek)
{
	EVP_PKEY *key = NULL;
	int ret;

	if (le32toh(pek->pub_key_usage) != SEV_USAGE_PEK)
		return -EINVAL;
	ret = sev_cert_pubkey(pek, &key);
	if (ret)
		return ret;
	ret = sev_ecdsa_verify(key, EVP_sha256(), r, SEV_REPORT_SIGNED_LEN,
			       r->sig_r, r->sig_s);
	EVP_PKEY_free(key);
	return ret;
}
