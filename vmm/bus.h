/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PIO and MMIO buses: register a range -> handler, dispatch an access.
 * Ranges are kept sorted and never overlap; lookup is a binary search.
 * Registration happens before vCPUs run; dispatch is lock-free.
 * Unclaimed accesses: reads return all ones, writes are dropped, and each
 * unclaimed address is logged once (at warning level).
 */
#ifndef SEVM_BUS_H
#define SEVM_BUS_H

#include <pthread.h>

#include "lib/util.h"

/* offset is relative to the registered base; len is 1, 2, 4 or 8. */
typedef void (*bus_io_fn)(void *opaque, u64 offset, void *data, u32 len,
			  bool is_write);

struct bus_range {
	u64 base;
	u64 len;
	bus_io_fn fn;
	void *opaque;
	const char *name;
};

#define BUS_UNCLAIMED_LOG_MAX	64

struct bus {
	const char *name;		/* "pio" or "mmio", for messages */
	struct bus_range *ranges;
	unsigned int nr, cap;
	pthread_mutex_t log_lock;
	u64 logged[BUS_UNCLAIMED_LOG_MAX];	/* unclaimed addresses seen */
	unsigned int nr_logged;
};

void bus_init(struct bus *bus, const char *name);
/* -EEXIST if [base, base+len) overlaps a registered range, -EINVAL if len 0
 * or the range wraps. */
int bus_register(struct bus *bus, u64 base, u64 len, bus_io_fn fn,
		 void *opaque, const char *name) __must_check;
/* true if a handler claimed the access. */
bool bus_dispatch(struct bus *bus, u64 addr, void *data, u32 len,
		  bool is_write);
void bus_free(struct bus *bus);

#endif /* SEVM_BUS_H */
