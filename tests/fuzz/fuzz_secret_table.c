// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev_secret_table_parse on any bytes (the guest's efi_secret does the
 * same walk): entries stay inside the input, and rebuilding the parsed
 * entries gives a table that parses to the same entries.
 */
#include <stdlib.h>
#include <string.h>

#include "sev/hashes.h"
#include "tests/fuzz/fuzz.h"

#define MAX_ENTRIES	64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sev_secret_entry e[MAX_ENTRIES], back[MAX_ENTRIES];
	unsigned int n, m;
	size_t len;
	u8 *t;

	if (sev_secret_table_parse(data, size, e, MAX_ENTRIES, &n))
		return 0;
	for (unsigned int i = 0; i < n; i++)
		FUZZ_ASSERT(e[i].data >= data &&
			    e[i].data + e[i].len <= data + size);
	FUZZ_ASSERT(sev_secret_table_build(e, n, &t, &len) == 0);
	FUZZ_ASSERT(len % 16 == 0);
	FUZZ_ASSERT(sev_secret_table_parse(t, len, back, MAX_ENTRIES, &m) == 0);
	FUZZ_ASSERT(m == n);
	for (unsigned int i = 0; i < n; i++)
		FUZZ_ASSERT(back[i].len == e[i].len &&
			    !memcmp(back[i].guid, e[i].guid, 16) &&
			    !memcmp(back[i].data, e[i].data, e[i].len));
	free(t);
	return 0;
}
