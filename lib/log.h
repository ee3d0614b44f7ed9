/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Logging and the process clock.
 *
 * Messages go to stderr as "<prog>: <level>: <text>". Error messages name
 * the operation, the input and the reason, on one line. Secrets never go
 * through this module.
 */
#ifndef SEVM_LOG_H
#define SEVM_LOG_H

#include "lib/util.h"

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Call first thing in main(): records the process start time. */
void log_init(const char *prog);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);

void pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
#define pr_err(...)	pr_log(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)	pr_log(LOG_WARN, __VA_ARGS__)
#define pr_info(...)	pr_log(LOG_INFO, __VA_ARGS__)
#define pr_debug(...)	pr_log(LOG_DEBUG, __VA_ARGS__)

/* Microseconds since log_init() (CLOCK_MONOTONIC). */
u64 time_us(void);
/* CLOCK_MONOTONIC of log_init(), for tools that need the raw value. */
u64 time_start_ns(void);

#endif /* SEVM_LOG_H */
