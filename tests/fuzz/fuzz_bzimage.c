// SPDX-License-Identifier: GPL-2.0-only
/*
 * A bzImage from an untrusted file (vmm/boot-bzimage.c): bzimage_parse on
 * the input as a kernel, then boot_check (with an input-chosen command
 * line length) and, when it accepts, bzimage_load into a 32 MiB guest
 * made once. Parse results must be consistent with the file: the setup
 * and protected-mode parts add up to its size and the header's syssize
 * fits; only -EINVAL/-E2BIG/-ENOSPC style refusals, never a crash.
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

static void load(struct boot_images *img)
{
	struct boot_entry entry;
	int r = boot_check(img, NULL);

	if (r)
		return;
	r = bzimage_load(guest(), img, &entry);
	FUZZ_ASSERT(r <= 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char cmdline[4096];
	struct boot_images img;
	struct bzimage_info info;
	u8 *copy = malloc(size ? size : 1);
	int r;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	memset(&img, 0, sizeof(img));
	img.kernel = (struct blob){ .path = "fuzz", .data = copy, .size = size };
	r = bzimage_parse(&img.kernel, &info);
	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	if (!r) {
		FUZZ_ASSERT((u64)info.setup_size + info.pm_size == size);
		FUZZ_ASSERT(info.version >= 0x020c && info.init_size);
		memset(cmdline, 'a', sizeof(cmdline) - 1);
		cmdline[size > 0 ? data[0] * 16 : 0] = '\0';
		img.cmdline = cmdline;
		load(&img);
	}
	free(copy);
	return 0;
}
