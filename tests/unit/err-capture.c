// SPDX-License-Identifier: GPL-2.0-only
/* The pr_log wrap of the tests that assert on error lines (err-capture.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/log.h"
#include "tests/unit/err-capture.h"

struct err_capture err_capture;

void __wrap_pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level != LOG_ERR)
		return;
	va_start(ap, fmt);
	vsnprintf(err_capture.last, sizeof(err_capture.last), fmt, ap);
	va_end(ap);
	err_capture.err++;
}

void err_capture_reset(void)
{
	memset(&err_capture, 0, sizeof(err_capture));
}
