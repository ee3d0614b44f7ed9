/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SEV ATTESTATION report (firmware command 0x36, KVM
 * KVM_SEV_GET_ATTESTATION_REPORT; API >= 0.23; sev-protocol.md 6.4):
 *
 *   0x00  16  MNONCE         the caller's nonce, echoed
 *   0x10  32  LAUNCH_DIGEST  LD, SHA-256 of everything measured
 *   0x30   4  POLICY         the guest's policy, little-endian
 *   0x34   4  SIG_USAGE      PEK (0x1002)
 *   0x38   4  SIG_ALGO       ECDSA_SHA256 (0x2)
 *   0x3C   4  reserved
 *   0x40 144  R[72] || S[72] little-endian
 *
 * ECDSA P-384 with SHA-256 by the platform's PEK over [0x00, 0x34).
 * Shared by the emulated PSP (builds it) and sevm-owner (checks it).
 */
#ifndef SEVM_SEV_REPORT_H
#define SEVM_SEV_REPORT_H

#include <openssl/evp.h>

#include "sev/cert.h"
#include "sev/crypto.h"

#define SEV_REPORT_SIZE		0xd0
#define SEV_REPORT_SIGNED_LEN	0x34
#define SEV_MNONCE_SIZE		16

struct sev_report {
	u8 mnonce[SEV_MNONCE_SIZE];
	u8 launch_digest[SEV_DIGEST_SIZE];
	u32 policy;		/* little-endian */
	u32 sig_usage;		/* little-endian */
	u32 sig_algo;		/* little-endian */
	u32 reserved;
	u8 sig_r[SEV_EC_FIELD];
	u8 sig_s[SEV_EC_FIELD];
} __packed;

_Static_assert(sizeof(struct sev_report) == SEV_REPORT_SIZE, "report ABI");

/* Fill and sign a report with the PEK's private key (P-384). */
int sev_report_build(struct sev_report *r, const u8 mnonce[16],
		     const u8 ld[32], u32 policy, EVP_PKEY *pek)
	__must_check;
/*
 * An untrusted buffer: exactly SEV_REPORT_SIZE bytes, SIG_USAGE PEK and
 * SIG_ALGO ECDSA_SHA256, else -EINVAL. The signature is not checked.
 */
int sev_report_parse(const void *buf, size_t len, struct sev_report *out)
	__must_check;
/* The signature against a PEK certificate: 0, -EBADMSG, -EINVAL. */
int sev_report_verify(const struct sev_report *r, const struct sev_cert *pek)
	__must_check;

#endif /* SEVM_SEV_REPORT_H */
