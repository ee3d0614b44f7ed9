// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev_session_unwrap with fixed KEK/KIK on any 128-byte blob + LE32
 * policy: it may only succeed or fail with -EBADMSG/-EKEYREJECTED, and
 * leaves the outputs untouched when it fails. Also: whatever keys the
 * input names, wrap then unwrap gives them back.
 */
#include <errno.h>
#include <string.h>

#include "sev/crypto.h"
#include "tests/fuzz/fuzz.h"

static void roundtrip(const uint8_t *d)
{
	struct sev_session s;
	u8 tek[16], tik[16];
	u32 policy;

	memcpy(&policy, d + 64, 4);
	FUZZ_ASSERT(sev_session_wrap(d, d + 16, d + 32, d + 48, fuzz_kek,
				     fuzz_kik, policy, &s) == 0);
	FUZZ_ASSERT(sev_session_unwrap(&s, d, d + 16, policy, tek, tik) == 0);
	FUZZ_ASSERT(!memcmp(tek, d + 32, 16) && !memcmp(tik, d + 48, 16));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const u8 fill[16] = { 0xa5, 0xa5, 0xa5, 0xa5 };
	struct sev_session s;
	u8 tek[16], tik[16];
	u32 policy = 0;
	int r;

	if (size >= 68)
		roundtrip(data);
	if (size < sizeof(s))
		return 0;
	memcpy(&s, data, sizeof(s));
	if (size >= sizeof(s) + 4)
		memcpy(&policy, data + sizeof(s), 4);
	memcpy(tek, fill, 16);
	memcpy(tik, fill, 16);
	r = sev_session_unwrap(&s, fuzz_kek, fuzz_kik, policy, tek, tik);
	FUZZ_ASSERT(r == 0 || r == -EBADMSG || r == -EKEYREJECTED);
	if (r)
		FUZZ_ASSERT(!memcmp(tek, fill, 16) && !memcmp(tik, fill, 16));
	return 0;
}
