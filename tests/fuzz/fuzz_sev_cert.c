// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev_cert_parse on any bytes; a parsed certificate is verified against
 * itself and, given a second one, against that: nothing may crash, and a
 * certificate that parses has a usable public key. Its key and the
 * signature checks (ECDSA, about 1.5 ms an input) run on one input in 32 and always on
 * the first, so a reproducer run alone takes every path and `make fuzz`
 * reaches 10^6 inputs in minutes; parsing runs on every input.
 */
#include <openssl/evp.h>

#include "sev/cert.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sev_cert c, signer;
	struct sev_chain ch = { NULL };
	static unsigned int runs;
	bool crypto = runs++ % 32 == 0;
	EVP_PKEY *key;

	if (sev_cert_parse(data, size, &c) == 0)
		FUZZ_ASSERT(size == SEV_CERT_SIZE);
	if (size < SEV_CERT_SIZE || sev_cert_parse(data, SEV_CERT_SIZE, &c))
		return 0;
	if (!crypto)
		return 0;
	FUZZ_ASSERT(sev_cert_pubkey(&c, &key) == 0);
	EVP_PKEY_free(key);
	(void)!sev_cert_verify(&c, &c);
	ch.oca = ch.pek = ch.pdh = &c;
	(void)!sev_chain_verify(&ch, NULL);
	if (size >= 2 * SEV_CERT_SIZE &&
	    !sev_cert_parse(data + SEV_CERT_SIZE, SEV_CERT_SIZE, &signer))
		(void)!sev_cert_verify(&c, &signer);
	return 0;
}
