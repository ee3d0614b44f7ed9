// SPDX-License-Identifier: GPL-2.0-only
/* Logging and the process clock. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/log.h"

static const char *log_prog = "sevm";
static enum log_level log_level = LOG_WARN;
static u64 log_t0_ns;

static const char *const level_names[] = {
	[LOG_ERR]	= "error",
	[LOG_WARN]	= "warning",
	[LOG_INFO]	= "info",
	[LOG_DEBUG]	= "debug",
};

static u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

void log_init(const char *prog)
{
	const char *slash = prog ? strrchr(prog, '/') : NULL;

	log_t0_ns = mono_ns();
	if (prog)
		log_prog = slash ? slash + 1 : prog;
}

void log_set_level(enum log_level level)
{
	log_level = level;
}

enum log_level log_get_level(void)
{
	return log_level;
}

void pr_log(enum log_level level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	if (level > log_level)
		return;
	n = snprintf(line, sizeof(line), "%s: %s: ", log_prog,
		     level_names[level]);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	/* One write per line so lines from different threads never mix. */
	fprintf(stderr, "%s\n", line);
}

u64 time_us(void)
{
	if (!log_t0_ns)
		log_t0_ns = mono_ns();
	return (mono_ns() - log_t0_ns) / 1000;
}

u64 time_start_ns(void)
{
	return log_t0_ns;
}
