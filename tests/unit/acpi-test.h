/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by test_acpi and test_acpi_out: the machine under test, table
 * lookup, little-endian readers, a checksum, and a test double of pr_log
 * (linked with -Wl,--wrap=pr_log) that keeps the last error line.
 */
#ifndef SEVM_TESTS_ACPI_TEST_H
#define SEVM_TESTS_ACPI_TEST_H

#include "devices/acpi/acpi.h"

#include "tests/unit/err-capture.h"

#define acpi_test_last_err	err_capture.last
#define acpi_test_nr_err	err_capture.err

/* sevm's machine with nr_cpus and a 32 GiB 64-bit window at 4 GiB. */
void acpi_test_machine(struct acpi_machine *m, unsigned int nr_cpus);
/* The bytes of table sig in the tables file (fails the test if absent). */
const u8 *acpi_test_table(const struct acpi_tables *t, const char *sig,
			  u32 *len);
u8 sum8(const void *p, size_t len);
u16 le16(const u8 *p);
u32 le32(const u8 *p);
u64 le64(const u8 *p);

#endif /* SEVM_TESTS_ACPI_TEST_H */
