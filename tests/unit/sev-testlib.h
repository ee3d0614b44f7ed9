/* SPDX-License-Identifier: GPL-2.0-only */
/* Helpers for the SEV unit tests: capture what a call logs to stderr. */
#ifndef SEVM_TEST_SEV_TESTLIB_H
#define SEVM_TEST_SEV_TESTLIB_H

#include <stddef.h>

/* Redirect stderr (fd 2) into a temporary file. */
void capture_start(void);
/* Restore stderr; returns everything written since capture_start(). */
const char *capture_end(void);
/*
 * Run fn(argc, argv) on a writable copy of the NULL-terminated args, with
 * stdout and stderr captured into out and err (NUL-terminated).
 */
int capture_run(int (*fn)(int argc, char **argv), const char *const *args,
		char *out, size_t out_size, char *err, size_t err_size);
/* Number of '\n' in s. */
int count_lines(const char *s);

#endif /* SEVM_TEST_SEV_TESTLIB_H */
