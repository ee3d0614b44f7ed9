// SPDX-License-Identifier: GPL-2.0-only
/*
 * The firmware's fw_cfg client (firmware/fwcfg.c) on a fake fw_cfg device
 * whose file directory and item 0x20 come from the input: byte 0 picks
 * DMA or the data port, bytes 1-2 the directory's length, then the
 * directory, then item 0x20. Looking files up and reading etc/e820 stays
 * bounded, names stay terminated, and the e820 helpers stay below 4 GiB.
 */
#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "firmware/fwcfg.h"
#include "tests/unit/fw-fake.h"

#define MAX_E820	8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sevm_e820 e[MAX_E820];
	struct fwcfg_file f;
	struct fwcfg c;
	size_t dir_len;
	u32 n;
	int r;

	if (size < 3)
		return 0;
	dir_len = (size_t)(data[1] | data[2] << 8);
	if (dir_len > size - 3)
		dir_len = size - 3;
	fake_reset();
	fake_fwcfg_init(data[0] & 1, 1);
	fake_fwcfg_item(FWCFG_FILE_DIR, data + 3, (u32)dir_len);
	fake_fwcfg_item(0x20, data + 3 + dir_len, (u32)(size - 3 - dir_len));
	FUZZ_ASSERT(fwcfg_probe(&c, 1) == 1);
	r = fwcfg_find(&c, "etc/e820", &f);
	FUZZ_ASSERT(r == 0 || r == 1);
	FUZZ_ASSERT(strlen(f.name) <= FWCFG_NAME_LEN);
	if (r == 1)
		FUZZ_ASSERT(!strcmp(f.name, "etc/e820"));
	r = fwcfg_read_e820(&c, e, MAX_E820, &n);
	FUZZ_ASSERT(r == 0 || r == -1);
	FUZZ_ASSERT(r ? n == 0 : n >= 1 && n <= MAX_E820);
	FUZZ_ASSERT(e820_low_ram_end(e, n) <= LAYOUT_4G);
	(void)e820_is_ram(e, n, LAYOUT_HIGH_MEM, 0x4000);
	return 0;
}
