/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tiny printf engine: %s %c %d %u %x, the 'l' modifier (%lu %lx %ld),
 * '0' padding and a field width (%08x), and %%. Anything else is printed
 * literally. The output goes one character at a time to a callback.
 */
#ifndef SEVM_FIRMWARE_FORMAT_H
#define SEVM_FIRMWARE_FORMAT_H

#include <stdarg.h>

#include "firmware/fwtypes.h"

typedef void (*fw_putc_fn)(void *ctx, char c);

/* Returns the number of characters produced. */
int fw_vformat(fw_putc_fn put, void *ctx, const char *fmt, va_list ap);
/* Always NUL-terminates when size > 0; returns the untruncated length. */
int fw_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* SEVM_FIRMWARE_FORMAT_H */
