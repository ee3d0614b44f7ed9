// SPDX-License-Identifier: GPL-2.0-only
/*
 * The firmware's OVMF GUID footer table (vmm/boot-fw.c): fw_parse on the
 * input placed at the end of a zeroed image (a whole number of 4 KiB
 * pages, so the footer sits where OVMF has it), and fw_table_find on the
 * raw input. Only 0 or -EINVAL (-ENOENT: no table); every entry found
 * lies inside the image; the SEV areas fw_parse accepts do not overlap.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sev/guids.h"
#include "vmm/boot.h"
#include "lib/log.h"
#include "tests/fuzz/fuzz.h"

void __wrap_pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
}

static const u8 guids[][16] = {
	{ OVMF_GUID_FOOTER_TABLE }, { SEV_GUID_HASHES_AREA },
	{ SEV_GUID_SECRET_AREA }, { SEV_GUID_ES_RESET },
};

static void find_all(const u8 *img, size_t len)
{
	const u8 *d;
	size_t dl;
	int r;

	for (size_t i = 0; i < ARRAY_SIZE(guids); i++) {
		r = fw_table_find(img, len, guids[i], &d, &dl);
		FUZZ_ASSERT(r == 0 || r == -ENOENT || r == -EINVAL);
		if (r)
			continue;
		FUZZ_ASSERT(d >= img && dl <= len && d + dl <= img + len);
	}
}

static void check_info(const struct fw_info *fi)
{
	u64 he = (u64)fi->hashes_base + fi->hashes_size;
	u64 se = (u64)fi->secret_base + fi->secret_size;

	if (fi->has_hashes && fi->has_secret)
		FUZZ_ASSERT(he <= fi->secret_base || se <= fi->hashes_base);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct blob b = { .path = "fuzz" };
	struct fw_info fi;
	int r;

	find_all(data, size);
	b.size = ALIGN_UP(MAX(size, (size_t)1), 4096);
	b.data = calloc(1, b.size);
	if (!b.data)
		return 0;
	memcpy(b.data + b.size - size, data, size);
	r = fw_parse(&b, &fi);
	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	if (!r) {
		FUZZ_ASSERT(fi.size == b.size);
		check_info(&fi);
	}
	find_all(b.data, b.size);
	free(b.data);
	return 0;
}
