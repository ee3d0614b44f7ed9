// SPDX-License-Identifier: GPL-2.0-only
/*
 * PIO and MMIO buses: a sorted array of pointers to non-overlapping
 * ranges, looked up with a binary search under a read lock. An access is
 * claimed by the range holding its first byte; the handler sees the
 * offset from the range base and the access width, and deals with
 * accesses running past its end.
 *
 * Ranges are reference counted: the registration holds one reference and
 * each dispatch in flight one more, taken under the read lock. A thread
 * keeps a list of the ranges it is dispatching to (struct bus_frame on
 * its stack), so bus_unregister() called from a handler does not wait for
 * its own thread. The last reference frees the range.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/bus.h"
#include "lib/log.h"

/* One dispatch in progress on this thread (innermost first). */
struct bus_frame {
	const struct bus_range *range;
	struct bus_frame *next;
};

static __thread struct bus_frame *bus_frames;

void bus_init(struct bus *bus, const char *name)
{
	memset(bus, 0, sizeof(*bus));
	bus->name = name;
	pthread_rwlock_init(&bus->lock, NULL);
	pthread_mutex_init(&bus->log_lock, NULL);
	pthread_mutex_init(&bus->wait_lock, NULL);
	pthread_cond_init(&bus->idle, NULL);
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

		if (bus->ranges[mid]->base <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Index of the range registered exactly at base, or -1. */
static int bus_find(const struct bus *bus, u64 base)
{
	unsigned int pos = bus_upper_bound(bus, base);

	if (pos > 0 && bus->ranges[pos - 1]->base == base)
		return pos - 1;
	return -1;
}

static int bus_grow(struct bus *bus)
{
	unsigned int cap = bus->cap ? bus->cap * 2 : 16;
	struct bus_range **r;

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
	if (pos > 0 && range_last(bus->ranges[pos - 1]) >= base)
		return bus->ranges[pos - 1];
	if (pos < bus->nr && bus->ranges[pos]->base <= last)
		return bus->ranges[pos];
	return NULL;
}

/* Insert r at its sorted place; the caller holds the write lock. */
static int bus_insert(struct bus *bus, struct bus_range *r)
{
	const struct bus_range *other;
	unsigned int pos = bus_upper_bound(bus, r->base);

	other = bus_overlap(bus, pos, r->base, range_last(r));
	if (other) {
		pr_err("%s bus: register %s at 0x%" PRIx64 "-0x%" PRIx64
		       ": overlaps %s at 0x%" PRIx64 "-0x%" PRIx64, bus->name,
		       r->name, r->base, range_last(r), other->name,
		       other->base, range_last(other));
		return -EEXIST;
	}
	if (bus->nr == bus->cap && bus_grow(bus) < 0) {
		pr_err("%s bus: register %s: %s", bus->name, r->name,
		       strerror(ENOMEM));
		return -ENOMEM;
	}
	memmove(&bus->ranges[pos + 1], &bus->ranges[pos],
		(bus->nr - pos) * sizeof(bus->ranges[0]));
	bus->ranges[pos] = r;
	bus->nr++;
	return 0;
}

static void bus_remove_at(struct bus *bus, unsigned int pos)
{
	memmove(&bus->ranges[pos], &bus->ranges[pos + 1],
		(bus->nr - pos - 1) * sizeof(bus->ranges[0]));
	bus->nr--;
}

static bool bus_range_ok(const struct bus *bus, const char *op,
			 const char *name, u64 base, u64 len, bus_io_fn fn)
{
	if (len && base + len - 1 >= base && fn)
		return true;
	pr_err("%s bus: %s %s at 0x%" PRIx64 " length 0x%" PRIx64 ": %s",
	       bus->name, op, name, base, len,
	       fn ? "empty or wrapping range" : "no handler");
	return false;
}

int bus_register(struct bus *bus, u64 base, u64 len, bus_io_fn fn,
		 void *opaque, const char *name)
{
	struct bus_range *r;
	int ret;

	if (!bus_range_ok(bus, "register", name, base, len, fn))
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r) {
		pr_err("%s bus: register %s: %s", bus->name, name,
		       strerror(ENOMEM));
		return -ENOMEM;
	}
	*r = (struct bus_range) {
		.base = base, .len = len, .fn = fn, .opaque = opaque,
		.name = name,
	};
	atomic_init(&r->refs, 1);
	pthread_rwlock_wrlock(&bus->lock);
	ret = bus_insert(bus, r);
	pthread_rwlock_unlock(&bus->lock);
	if (ret < 0)
		free(r);
	return ret;
}

int bus_move(struct bus *bus, u64 old_base, u64 new_base)
{
	struct bus_range *r;
	int pos, ret;

	pthread_rwlock_wrlock(&bus->lock);
	pos = bus_find(bus, old_base);
	if (pos < 0) {
		pthread_rwlock_unlock(&bus->lock);
		pr_err("%s bus: move 0x%" PRIx64 " to 0x%" PRIx64
		       ": nothing registered there", bus->name, old_base,
		       new_base);
		return -ENOENT;
	}
	r = bus->ranges[pos];
	if (!bus_range_ok(bus, "move", r->name, new_base, r->len, r->fn)) {
		pthread_rwlock_unlock(&bus->lock);
		return -EINVAL;
	}
	bus_remove_at(bus, pos);
	r->base = new_base;
	ret = bus_insert(bus, r);
	if (ret < 0) {
		r->base = old_base;	/* its old place is still free */
		if (bus_insert(bus, r) < 0)
			ret = -EIO;	/* cannot happen: nr < cap */
	}
	pthread_rwlock_unlock(&bus->lock);
	return ret;
}

/* Take the range at base off the bus; NULL if there is none. */
static struct bus_range *bus_detach(struct bus *bus, const char *op,
				    u64 base)
{
	struct bus_range *r = NULL;
	int pos;

	pthread_rwlock_wrlock(&bus->lock);
	pos = bus_find(bus, base);
	if (pos >= 0) {
		r = bus->ranges[pos];
		bus_remove_at(bus, pos);
	}
	pthread_rwlock_unlock(&bus->lock);
	if (!r)
		pr_err("%s bus: %s 0x%" PRIx64 ": nothing registered there",
		       bus->name, op, base);
	return r;
}

static void bus_range_put(struct bus *bus, struct bus_range *r)
{
	if (atomic_fetch_sub(&r->refs, 1) == 1) {
		free(r);
		return;
	}
	if (atomic_load(&bus->nr_waiters)) {
		pthread_mutex_lock(&bus->wait_lock);
		pthread_cond_broadcast(&bus->idle);
		pthread_mutex_unlock(&bus->wait_lock);
	}
}

/* Dispatches of this thread to r (a handler unregistering itself). */
static unsigned int bus_own_frames(const struct bus_range *r)
{
	const struct bus_frame *f;
	unsigned int n = 0;

	for (f = bus_frames; f; f = f->next)
		n += f->range == r;
	return n;
}

int bus_unmap(struct bus *bus, u64 base)
{
	struct bus_range *r = bus_detach(bus, "unmap", base);

	if (!r)
		return -ENOENT;
	bus_range_put(bus, r);
	return 0;
}

int bus_unregister(struct bus *bus, u64 base)
{
	struct bus_range *r = bus_detach(bus, "unregister", base);
	unsigned int own;

	if (!r)
		return -ENOENT;
	/* We hold the registration's reference: wait for the others. */
	own = 1 + bus_own_frames(r);
	pthread_mutex_lock(&bus->wait_lock);
	atomic_fetch_add(&bus->nr_waiters, 1);
	while (atomic_load(&r->refs) > own)
		pthread_cond_wait(&bus->idle, &bus->wait_lock);
	atomic_fetch_sub(&bus->nr_waiters, 1);
	pthread_mutex_unlock(&bus->wait_lock);
	bus_range_put(bus, r);
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

/*
 * The range holding addr, with a reference taken and its base copied to
 * *base (bus_move may change it once the lock is dropped); NULL if
 * unclaimed.
 */
static struct bus_range *bus_get(struct bus *bus, u64 addr, u64 *base)
{
	struct bus_range *r = NULL;
	unsigned int pos;

	pthread_rwlock_rdlock(&bus->lock);
	pos = bus_upper_bound(bus, addr);
	if (pos > 0 && addr <= range_last(bus->ranges[pos - 1])) {
		r = bus->ranges[pos - 1];
		*base = r->base;
		atomic_fetch_add(&r->refs, 1);
	}
	pthread_rwlock_unlock(&bus->lock);
	return r;
}

bool bus_dispatch(struct bus *bus, u64 addr, void *data, u32 len,
		  bool is_write)
{
	struct bus_frame frame;
	struct bus_range *r;
	u64 base = 0;

	r = bus_get(bus, addr, &base);
	if (r) {
		/* The range may move meanwhile: this access keeps base. */
		frame = (struct bus_frame) { .range = r, .next = bus_frames };
		bus_frames = &frame;
		r->fn(r->opaque, addr - base, data, len, is_write);
		bus_frames = frame.next;
		bus_range_put(bus, r);
		return true;
	}
	if (!is_write)
		memset(data, 0xff, len);
	bus_log_unclaimed(bus, addr, len, is_write);
	return false;
}

/* No thread may dispatch any more. */
void bus_free(struct bus *bus)
{
	unsigned int i;

	for (i = 0; i < bus->nr; i++)
		free(bus->ranges[i]);
	free(bus->ranges);
	bus->ranges = NULL;
	bus->nr = bus->cap = 0;
	pthread_cond_destroy(&bus->idle);
	pthread_mutex_destroy(&bus->wait_lock);
	pthread_mutex_destroy(&bus->log_lock);
	pthread_rwlock_destroy(&bus->lock);
}
