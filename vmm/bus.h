/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PIO and MMIO buses: register a range -> handler, dispatch an access.
 * Ranges are kept sorted and never overlap; lookup is a binary search.
 *
 * Ranges may change while vCPU threads dispatch (PCI BARs move when the
 * guest programs them). Dispatch takes a read lock only for the lookup,
 * copies the handler out and takes a reference on the range, then calls
 * the handler without any lock held; so handlers may themselves call
 * bus_register/bus_move/bus_unmap/bus_unregister on any bus.
 * bus_unregister() additionally waits until no other thread is inside
 * that range's handler, after which the caller may free the handler's
 * state. A handler unregistering its own range does not wait for itself.
 * Rules: do not call bus_unregister() holding a lock that the range's
 * handler takes, and a handler must not unregister a range whose handler
 * may at the same time be unregistering the first one (both would wait).
 * Unclaimed accesses: reads return all ones, writes are dropped, and each
 * unclaimed address is logged once (at warning level).
 */
#ifndef SEVM_BUS_H
#define SEVM_BUS_H

#include <pthread.h>
#include <stdatomic.h>

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
	atomic_uint refs;	/* 1 while registered + handlers in flight */
};

#define BUS_UNCLAIMED_LOG_MAX	64

struct bus {
	const char *name;		/* "pio" or "mmio", for messages */
	pthread_rwlock_t lock;		/* ranges, nr, cap */
	struct bus_range **ranges;	/* sorted by base */
	unsigned int nr, cap;
	pthread_mutex_t wait_lock;	/* bus_unregister waiting */
	pthread_cond_t idle;		/* a range's handler returned */
	atomic_uint nr_waiters;
	pthread_mutex_t log_lock;
	u64 logged[BUS_UNCLAIMED_LOG_MAX];	/* unclaimed addresses seen */
	unsigned int nr_logged;
};

void bus_init(struct bus *bus, const char *name);
/* -EEXIST if [base, base+len) overlaps a registered range, -EINVAL if len 0
 * or the range wraps. */
int bus_register(struct bus *bus, u64 base, u64 len, bus_io_fn fn,
		 void *opaque, const char *name) __must_check;
/*
 * Move the range registered at old_base to new_base (same handler and
 * length). Does not wait: an access in flight finishes with the old
 * offset. -ENOENT (nothing registered at old_base), -EEXIST (overlap),
 * -EINVAL (wraps).
 */
int bus_move(struct bus *bus, u64 old_base, u64 new_base) __must_check;
/*
 * Remove the range registered at base and wait until no other thread is
 * inside its handler. -ENOENT if nothing is registered at base.
 */
int bus_unregister(struct bus *bus, u64 base);
/*
 * Remove the range at base without waiting: for a handler whose state
 * stays alive (a BAR whose decoding the guest turned off). -ENOENT.
 */
int bus_unmap(struct bus *bus, u64 base);
/* true if a handler claimed the access. */
bool bus_dispatch(struct bus *bus, u64 addr, void *data, u32 len,
		  bool is_write);
void bus_free(struct bus *bus);

#endif /* SEVM_BUS_H */
