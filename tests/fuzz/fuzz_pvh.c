// SPDX-License-Identifier: GPL-2.0-only
/*
 * A PVH ELF kernel from an untrusted file (vmm/boot-pvh.c, libelf): its
 * program headers and XEN_ELFNOTE_PHYS32_ENTRY notes through pvh_parse,
 * then boot_check and, when both accept, pvh_load into a 32 MiB guest
 * made once. Only 0 or -EINVAL from the parser; the loader never writes
 * outside guest RAM (ASan).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/boot.h"
#include "vmm/memory.h"
#include "lib/log.h"
#include "tests/fuzz/fuzz.h"

#define GUEST_RAM	(32 * SZ_1M)

void __wrap_pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
}

static struct guest_mem *guest(void)
{
	static struct guest_mem mem;
	static bool ready;

	if (!ready && mem_alloc(&mem, GUEST_RAM, false))
		__builtin_trap();
	ready = true;
	return &mem;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct boot_images img;
	struct boot_entry entry;
	u64 entry32 = 0;
	u8 *copy = malloc(size ? size : 1);
	int r;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	memset(&img, 0, sizeof(img));
	img.kernel = (struct blob){ .path = "fuzz", .data = copy, .size = size };
	img.cmdline = "console=ttyS0";
	if (pvh_is_elf(&img.kernel)) {
		r = pvh_parse(&img.kernel, &entry32);
		FUZZ_ASSERT(r == 0 || r == -EINVAL);
		if (!r && !boot_check(&img, NULL))
			FUZZ_ASSERT(pvh_load(guest(), &img, &entry) <= 0);
	}
	free(copy);
	return 0;
}
