// SPDX-License-Identifier: GPL-2.0-only
/*
 * The binary-or-base64 files sevm and sevm-owner read (lib/util.c): the
 * launch session and GODH (--sev-session, --sev-dh-cert), the secret
 * header and payload (--sev-secret-header, --sev-secret), attestation
 * reports (verify-report --report). decode_base64_text on any bytes, and
 * base64_decode on them as a string: only 0, -ENOENT (binary), -EBADMSG
 * or -EINVAL; what decodes has the length its text gives ('=' padding
 * only at the end) and survives an encode/decode round trip.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz.h"

/*
 * bin is what text (whitespace aside) decodes to: 3 bytes per 4
 * characters less the padding, and encoding bin decodes to bin again.
 */
static void consistent(const u8 *text, size_t len, const u8 *bin, size_t n)
{
	size_t chars = 0, pad = 0;
	char *enc = base64_encode(bin, n);
	u8 *again;
	size_t m;

	FUZZ_ASSERT(enc);
	for (size_t i = 0; i < len; i++) {
		if (strchr(" \t\r\n\v\f", text[i]))
			continue;
		chars++;
		pad = text[i] == '=' ? pad + 1 : 0;
	}
	FUZZ_ASSERT(chars % 4 == 0 && pad <= 2);
	FUZZ_ASSERT(n == chars / 4 * 3 - pad);
	FUZZ_ASSERT(base64_decode(enc, &again, &m) == 0);
	FUZZ_ASSERT(m == n && !memcmp(again, bin, n));
	free(again);
	free(enc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	size_t n = 0;
	u8 *out;
	int r;

	if (!s)
		return 0;
	r = decode_base64_text(data, size, &out, &n);
	FUZZ_ASSERT(r == 0 || r == -ENOENT || r == -EBADMSG);
	if (!r) {
		consistent(data, size, out, n);
		free(out);
	}
	memcpy(s, data, size);
	s[size] = '\0';
	r = base64_decode(s, &out, &n);
	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	if (!r) {
		consistent((const u8 *)s, strlen(s), out, n);
		free(out);
	}
	free(s);
	return 0;
}
