// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev_secret_open with fixed TEK/TIK/MEASURE on any 52-byte header +
 * ciphertext: only success or -EBADMSG, output untouched on failure.
 * Also: any plaintext sealed then opened comes back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sev/crypto.h"
#include "tests/fuzz/fuzz.h"

static void roundtrip(const uint8_t *p, size_t len, const u8 iv[16])
{
	struct sev_secret_header hdr;
	u8 *ct = malloc(len + 1), *back = malloc(len + 1);

	FUZZ_ASSERT(ct && back);
	FUZZ_ASSERT(sev_secret_seal(fuzz_tek, fuzz_tik, iv, fuzz_measure, p,
				    len, &hdr, ct) == 0);
	FUZZ_ASSERT(sev_secret_open(fuzz_tek, fuzz_tik, fuzz_measure, &hdr,
				    (u32)len, ct, len, back) == 0);
	FUZZ_ASSERT(!memcmp(back, p, len));
	free(ct);
	free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sev_secret_header hdr;
	size_t len;
	u8 *out;
	int r;

	if (size < sizeof(hdr))
		return 0;
	memcpy(&hdr, data, sizeof(hdr));
	len = size - sizeof(hdr);
	out = malloc(len + 1);
	FUZZ_ASSERT(out);
	memset(out, 0xa5, len + 1);
	r = sev_secret_open(fuzz_tek, fuzz_tik, fuzz_measure, &hdr, (u32)len,
			    data + sizeof(hdr), len, out);
	FUZZ_ASSERT(r == 0 || r == -EBADMSG);
	for (size_t i = 0; r && i < len; i++)
		FUZZ_ASSERT(out[i] == 0xa5);
	free(out);
	roundtrip(data + sizeof(hdr), len, hdr.iv);
	return 0;
}
