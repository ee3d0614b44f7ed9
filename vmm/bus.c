// SPDX-License-Identifier: GPL-2.0-only
/*
 * PIO and MMIO buses: a sorted array of non-overlapping ranges, looked up
 * with a binary search. Ranges are registered before the vCPUs run, so
 * dispatch takes no lock. An access is claimed by the range holding its
 * first byte; the handler sees the offset from the range base and the
 * access width, and deals with accesses running past its end.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/bus.h"
#include "lib/log.h"

void bus_init(struct bus *bus, const char *name)
{
	memset(bus, 0, sizeof(*bus));
	bus->name = name;
	pthread_mutex_init(&bus->log_lock, NULL);
}

/* Last byte of a range (inclusive), so a range may end at 2^64 - 1. */
static u64 range_last(const struct bus_range *r)
{
	return r->base + r->len - 1;
}

/* Index of the first range whose base is greater than addr. */
static unsigned int bus_upper_bound(const struct bus *bus, u64 addr)
{
	unsigned int lo = 0, hi = bus->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (bus->ranges[mid].base <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int bus_grow(struct bus *bus)
{
	unsigned int cap = bus->cap ? bus->cap * 2 : 16;
	struct bus_range *r;

	r = reallocarray(bus->ranges, cap, sizeof(*r));
	if (!r)
		return -ENOMEM;
	bus->ranges = r;
	bus->cap = cap;
	return 0;
}

static const struct bus_range *bus_overlap(const struct bus *bus,
					   unsigned int pos, u64 base,
					   u64 last)
{
	if (pos > 0 && range_last(&bus->ranges[pos - 1]) >= base)
		return &bus->ranges[pos - 1];
	if (pos < bus->nr && bus->ranges[pos].base <= last)
		return &bus->ranges[pos];
	return NULL;
}

int bus_register(struct bus *bus, u64 base, u64 len, bus_io_fn fn,
		 void *opaque, const char *name)
{
	const struct bus_range *other;
	unsigned int pos;
	u64 last = base + len - 1;

	if (!len || last < base || !fn) {
		pr_err("%s bus: register %s at 0x%" PRIx64 " length 0x%" PRIx64
		       ": %s", bus->name, name, base, len,
		       fn ? "empty or wrapping range" : "no handler");
		return -EINVAL;
	}
	pos = bus_upper_bound(bus, base);
	other = bus_overlap(bus, pos, base, last);
	if (other) {
		pr_err("%s bus: register %s at 0x%" PRIx64 "-0x%" PRIx64
		       ": overlaps %s at 0x%" PRIx64 "-0x%" PRIx64, bus->name,
		       name, base, last, other->name, other->base,
		       range_last(other));
		return -EEXIST;
	}
	if (bus->nr == bus->cap && bus_grow(bus) < 0) {
		pr_err("%s bus: register %s: %s", bus->name, name,
		       strerror(ENOMEM));
		return -ENOMEM;
	}
	memmove(&bus->ranges[pos + 1], &bus->ranges[pos],
		(bus->nr - pos) * sizeof(bus->ranges[0]));
	bus->ranges[pos] = (struct bus_range) {
		.base = base, .len = len, .fn = fn, .opaque = opaque,
		.name = name,
	};
	bus->nr++;
	return 0;
}

/* Log an unclaimed address the first time it is seen (bounded table). */
static void bus_log_unclaimed(struct bus *bus, u64 addr, u32 len,
			      bool is_write)
{
	unsigned int i;

	pthread_mutex_lock(&bus->log_lock);
	for (i = 0; i < MIN(bus->nr_logged, BUS_UNCLAIMED_LOG_MAX); i++)
		if (bus->logged[i] == addr)
			goto out;
	if (bus->nr_logged < BUS_UNCLAIMED_LOG_MAX) {
		bus->logged[bus->nr_logged++] = addr;
		pr_warn("%s bus: unclaimed %u-byte %s at 0x%" PRIx64
			" (%s; logged once)", bus->name, len,
			is_write ? "write" : "read", addr,
			is_write ? "dropped" : "reads all ones");
	} else if (bus->nr_logged == BUS_UNCLAIMED_LOG_MAX) {
		bus->nr_logged++;
		pr_warn("%s bus: more than %d unclaimed addresses, no longer logging them",
			bus->name, BUS_UNCLAIMED_LOG_MAX);
	}
out:
	pthread_mutex_unlock(&bus->log_lock);
}

bool bus_dispatch(struct bus *bus, u64 addr, void *data, u32 len,
		  bool is_write)
{
	unsigned int pos = bus_upper_bound(bus, addr);
	const struct bus_range *r;

	if (pos > 0) {
		r = &bus->ranges[pos - 1];
		if (addr <= range_last(r)) {
			r->fn(r->opaque, addr - r->base, data, len, is_write);
			return true;
		}
	}
	if (!is_write)
		memset(data, 0xff, len);
	bus_log_unclaimed(bus, addr, len, is_write);
	return false;
}

void bus_free(struct bus *bus)
{
	free(bus->ranges);
	bus->ranges = NULL;
	bus->nr = bus->cap = 0;
	pthread_mutex_destroy(&bus->log_lock);
}
