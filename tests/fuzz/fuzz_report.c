// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV attestation report as sevm-owner verify-report reads it
 * (sev/report.c): sev_report_parse on any bytes, and when it parses,
 * sev_report_verify against a fixed PEK certificate made once. Only
 * exactly 208 bytes with SIG_USAGE PEK and ECDSA_SHA256 parse, the parsed
 * report is the input, and verify only answers 0, -EBADMSG or -EINVAL.
 * A report this target signs itself must verify, and not after a flip.
 * The ECDSA work (about a millisecond) runs on one input in 64 (always
 * on the first, so a reproducer run alone takes every path): the parser
 * is what faces untrusted bytes, and 10^6 runs stay within minutes.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "sev/report.h"
#include "tests/fuzz/fuzz.h"

static EVP_PKEY *key;
static struct sev_cert pek;

static void setup(void)
{
	if (key)
		return;
	if (sev_ec_keygen(&key) ||
	    sev_cert_init(&pek, SEV_USAGE_PEK, SEV_ALGO_ECDSA_SHA256, key, 1,
			  55))
		__builtin_trap();
}

/* The input's first 52 bytes as the signed part of a fresh report. */
static void roundtrip(const uint8_t *d)
{
	struct sev_report r;
	u32 policy;

	memcpy(&policy, d + 48, 4);
	FUZZ_ASSERT(sev_report_build(&r, d, d + 16, le32toh(policy), key) == 0);
	FUZZ_ASSERT(sev_report_verify(&r, &pek) == 0);
	r.launch_digest[d[0] % 32] ^= 1;
	FUZZ_ASSERT(sev_report_verify(&r, &pek) == -EBADMSG);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned int runs;
	struct sev_report r;
	bool crypto = runs++ % 64 == 0;
	int ret;

	setup();
	if (crypto && size >= 52 && size < SEV_REPORT_SIZE && data[1] == 0x5a)
		roundtrip(data);
	ret = sev_report_parse(data, size, &r);
	FUZZ_ASSERT(ret == 0 || ret == -EINVAL);
	if (ret)
		return 0;
	FUZZ_ASSERT(size == SEV_REPORT_SIZE && !memcmp(&r, data, size));
	FUZZ_ASSERT(le32toh(r.sig_usage) == SEV_USAGE_PEK);
	if (!crypto)
		return 0;
	ret = sev_report_verify(&r, &pek);
	FUZZ_ASSERT(ret == 0 || ret == -EBADMSG || ret == -EINVAL);
	return 0;
}
