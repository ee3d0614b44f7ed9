// SPDX-License-Identifier: GPL-2.0-only
/* Helpers of acpi-test.h, including the pr_log test double. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "tests/unit/acpi-test.h"
#include "lib/log.h"

void acpi_test_machine(struct acpi_machine *m, unsigned int nr_cpus)
{
	acpi_machine_init(m, nr_cpus);
	m->mmio64_base = SZ_4G;
	m->mmio64_size = 32 * SZ_1G;
}

const u8 *acpi_test_table(const struct acpi_tables *t, const char *sig,
			  u32 *len)
{
	const struct acpi_table_info *ti = acpi_find(t, sig);

	assert_non_null(ti);
	assert_true(ti->offset + ti->len <= t->tables_len);
	if (len)
		*len = ti->len;
	return t->tables + ti->offset;
}

u8 sum8(const void *p, size_t len)
{
	const u8 *b = p;
	u8 s = 0;

	while (len--)
		s += *b++;
	return s;
}

u16 le16(const u8 *p)
{
	return p[0] | p[1] << 8;
}

u32 le32(const u8 *p)
{
	return le16(p) | (u32)le16(p + 2) << 16;
}

u64 le64(const u8 *p)
{
	return le32(p) | (u64)le32(p + 4) << 32;
}
