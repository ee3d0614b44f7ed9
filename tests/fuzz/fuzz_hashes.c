// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev_hashes_parse on any bytes (the host writes this table; OVMF parses
 * it). A table with all three hashes rebuilds to one that parses to the
 * same hashes.
 */
#include <string.h>

#include "sev/hashes.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sev_hashes h, back;
	u8 t[SEV_HASHES_PADDED_LEN];
	unsigned int mask = 0;

	if (sev_hashes_parse(data, size, &h, &mask))
		return 0;
	FUZZ_ASSERT(mask <= (SEV_HASH_CMDLINE | SEV_HASH_INITRD |
			     SEV_HASH_KERNEL));
	sev_hashes_table(&h, t);
	FUZZ_ASSERT(sev_hashes_parse(t, sizeof(t), &back, &mask) == 0);
	FUZZ_ASSERT(mask == 7 && !memcmp(&h, &back, sizeof(h)));
	return 0;
}
