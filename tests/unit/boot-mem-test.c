// SPDX-License-Identifier: GPL-2.0-only
/*
 * The 64 MiB guest memory fixture of the loader tests (boot-test.h), apart
 * from boot-test.c so that tests using only its other helpers need not
 * link vmm/memory.o.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tests/unit/boot-test.h"

struct guest_mem test_mem;

int test_mem_setup(void **state)
{
	test_err_reset();
	return mem_alloc(&test_mem, 64 * SZ_1M, false);
}

int test_mem_teardown(void **state)
{
	mem_free(&test_mem);
	return 0;
}

u8 *test_gpa(u64 addr, u64 len)
{
	u8 *p = mem_gpa_to_hva(&test_mem, addr, len);

	assert_non_null(p);
	return p;
}

u64 test_rd64(u64 addr)
{
	u64 v;

	memcpy(&v, test_gpa(addr, 8), 8);
	return v;
}

u32 test_rd32(u64 addr)
{
	u32 v;

	memcpy(&v, test_gpa(addr, 4), 4);
	return v;
}

u16 test_rd16(u64 addr)
{
	u16 v;

	memcpy(&v, test_gpa(addr, 2), 2);
	return v;
}
