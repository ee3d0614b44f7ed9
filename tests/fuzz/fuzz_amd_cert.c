// SPDX-License-Identifier: GPL-2.0-only
/*
 * amd_cert_parse on any bytes; a parsed certificate's pointers stay
 * inside the input, its key is built and its signature checked against
 * itself (an ARK's self-signature).
 */
#include <openssl/evp.h>

#include "sev/cert.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct amd_cert c;
	EVP_PKEY *key;

	if (amd_cert_parse(data, size, &c))
		return 0;
	FUZZ_ASSERT(c.total_len == size && c.raw == data);
	FUZZ_ASSERT(c.sig + c.modulus_bits / 8 == data + size);
	FUZZ_ASSERT(c.signed_len == (size_t)(c.sig - data));
	if (amd_cert_pubkey(&c, &key) == 0)
		EVP_PKEY_free(key);
	(void)!amd_cert_verify(&c, &c);
	return 0;
}
