// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of vmm/bus.c: dispatch with the right offset, range edges,
 * registration errors, unclaimed accesses (all ones, dropped writes) and
 * the log-once table. pr_log is wrapped (-Wl,--wrap=pr_log) to count and
 * inspect the warnings.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "vmm/bus.h"
#include "lib/log.h"

/* ---- pr_log capture */
static struct {
	int count[LOG_DEBUG + 1];
	char last[512];
} logs;

void __wrap_pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(logs.last, sizeof(logs.last), fmt, ap);
	va_end(ap);
	logs.count[level]++;
}

/* ---- A handler that records its last call */
struct rec {
	int calls;
	u64 offset;
	u32 len;
	bool is_write;
	u64 wdata;
	u8 fill;		/* byte written into read buffers */
};

static void rec_io(void *opaque, u64 offset, void *data, u32 len,
		   bool is_write)
{
	struct rec *r = opaque;

	r->calls++;
	r->offset = offset;
	r->len = len;
	r->is_write = is_write;
	if (is_write) {
		r->wdata = 0;
		memcpy(&r->wdata, data, len);
	} else {
		memset(data, r->fill, len);
	}
}

static int setup(void **state)
{
	struct bus *bus = calloc(1, sizeof(*bus));

	if (!bus)
		return -1;
	bus_init(bus, "pio");
	memset(&logs, 0, sizeof(logs));
	*state = bus;
	return 0;
}

static int teardown(void **state)
{
	bus_free(*state);
	free(*state);
	return 0;
}

static void test_dispatch_offset(void **state)
{
	struct bus *bus = *state;
	struct rec uart = { .fill = 0x55 }, kbd = { .fill = 0x11 };
	u8 buf[8] = { 0 };
	u32 w = 0xab;

	assert_int_equal(bus_register(bus, 0x3f8, 8, rec_io, &uart, "uart"), 0);
	assert_int_equal(bus_register(bus, 0x60, 5, rec_io, &kbd, "kbd"), 0);

	assert_true(bus_dispatch(bus, 0x3fd, buf, 1, false));
	assert_int_equal(uart.calls, 1);
	assert_int_equal(uart.offset, 5);
	assert_int_equal(uart.len, 1);
	assert_false(uart.is_write);
	assert_int_equal(buf[0], 0x55);
	assert_int_equal(kbd.calls, 0);

	assert_true(bus_dispatch(bus, 0x64, &w, 2, true));
	assert_int_equal(kbd.calls, 1);
	assert_int_equal(kbd.offset, 4);
	assert_int_equal(kbd.len, 2);
	assert_true(kbd.is_write);
	assert_int_equal(kbd.wdata, 0xab);
	assert_int_equal(uart.calls, 1);
	assert_int_equal(logs.count[LOG_WARN], 0);
}

static void test_range_edges(void **state)
{
	struct bus *bus = *state;
	struct rec a = { 0 }, b = { 0 };
	u8 v = 0;

	assert_int_equal(bus_register(bus, 0x20, 0x10, rec_io, &b, "b"), 0);
	assert_int_equal(bus_register(bus, 0x10, 0x10, rec_io, &a, "a"), 0);

	assert_false(bus_dispatch(bus, 0x0f, &v, 1, false));	/* before a */
	assert_true(bus_dispatch(bus, 0x10, &v, 1, false));	/* first of a */
	assert_int_equal(a.offset, 0);
	assert_true(bus_dispatch(bus, 0x1f, &v, 1, false));	/* last of a */
	assert_int_equal(a.offset, 0xf);
	assert_true(bus_dispatch(bus, 0x20, &v, 1, false));	/* first of b */
	assert_int_equal(b.offset, 0);
	assert_true(bus_dispatch(bus, 0x2f, &v, 1, false));	/* last of b */
	assert_int_equal(b.offset, 0xf);
	assert_false(bus_dispatch(bus, 0x30, &v, 1, false));	/* after b */
	assert_int_equal(a.calls, 2);
	assert_int_equal(b.calls, 2);
}

/* Register [base, base + len) as "y"; return bus_register's result. */
static int reg_y(struct bus *bus, u64 base, u64 len, struct rec *r)
{
	return bus_register(bus, base, len, rec_io, r, "y");
}

static void test_register_errors(void **state)
{
	struct bus *bus = *state;
	struct rec r = { 0 };
	u8 v;

	assert_int_equal(bus_register(bus, 0x100, 0x10, rec_io, &r, "x"), 0);
	/* overlaps: start, end, inside, around, identical */
	assert_int_equal(reg_y(bus, 0xf8, 0x10, &r), -EEXIST);
	assert_int_equal(reg_y(bus, 0x10f, 4, &r), -EEXIST);
	assert_int_equal(reg_y(bus, 0x104, 1, &r), -EEXIST);
	assert_int_equal(reg_y(bus, 0x0, 0x1000, &r), -EEXIST);
	assert_int_equal(reg_y(bus, 0x100, 0x10, &r), -EEXIST);
	assert_non_null(strstr(logs.last, "register y"));
	assert_non_null(strstr(logs.last, "overlaps x"));
	/* adjacent on both sides is fine */
	assert_int_equal(reg_y(bus, 0xf0, 0x10, &r), 0);
	assert_int_equal(reg_y(bus, 0x110, 0x10, &r), 0);
	/* empty and wrapping ranges, no handler */
	assert_int_equal(reg_y(bus, 0x500, 0, &r), -EINVAL);
	assert_int_equal(reg_y(bus, ~0ULL, 2, &r), -EINVAL);
	assert_int_equal(bus_register(bus, 0x600, 1, NULL, &r, "z"), -EINVAL);
	assert_int_equal(logs.count[LOG_ERR], 8);
	/* a range may end at the very top */
	assert_int_equal(reg_y(bus, ~0ULL - 0xf, 0x10, &r), 0);
	assert_true(bus_dispatch(bus, ~0ULL, &v, 1, false));
	assert_int_equal(r.offset, 0xf);
	assert_int_equal(bus->nr, 4);
}

/* Registration order does not matter and the array grows past 16. */
static void test_many_ranges(void **state)
{
	struct bus *bus = *state;
	struct rec r[100] = { 0 };
	unsigned int i, k;
	u8 v;

	for (i = 0; i < 100; i++) {
		k = (i * 37) % 100;	/* a permutation of 0..99 */
		assert_int_equal(bus_register(bus, 0x1000 + k * 0x10, 8,
					      rec_io, &r[k], "r"), 0);
	}
	for (i = 0; i < bus->nr - 1; i++)
		assert_true(bus->ranges[i]->base < bus->ranges[i + 1]->base);
	for (k = 0; k < 100; k++) {
		assert_true(bus_dispatch(bus, 0x1000 + k * 0x10 + 7, &v, 1,
					 false));
		assert_int_equal(r[k].calls, 1);
		assert_int_equal(r[k].offset, 7);
		assert_false(bus_dispatch(bus, 0x1000 + k * 0x10 + 8, &v, 1,
					  false));
	}
}

static void test_unclaimed(void **state)
{
	struct bus *bus = *state;
	struct rec r = { 0 };
	u8 buf[8];
	u32 w = 0x12345678;

	assert_int_equal(bus_register(bus, 0x3f8, 8, rec_io, &r, "uart"), 0);
	memset(buf, 0, sizeof(buf));
	assert_false(bus_dispatch(bus, 0x71, buf, 4, false));
	assert_memory_equal(buf, "\xff\xff\xff\xff\0\0\0\0", 8);
	memset(buf, 0, sizeof(buf));
	assert_false(bus_dispatch(bus, 0x72, buf, 8, false));
	assert_memory_equal(buf, "\xff\xff\xff\xff\xff\xff\xff\xff", 8);
	assert_false(bus_dispatch(bus, 0x73, &w, 4, true));
	assert_int_equal(w, 0x12345678);	/* untouched */
	assert_int_equal(r.calls, 0);
	assert_non_null(strstr(logs.last, "pio"));
	assert_non_null(strstr(logs.last, "0x73"));
	assert_non_null(strstr(logs.last, "4-byte"));
	assert_non_null(strstr(logs.last, "write"));
}

static void test_log_once(void **state)
{
	struct bus *bus = *state;
	u8 v;
	int i;

	bus_dispatch(bus, 0xcf8, &v, 1, false);
	assert_int_equal(logs.count[LOG_WARN], 1);
	assert_non_null(strstr(logs.last, "0xcf8"));
	assert_non_null(strstr(logs.last, "read"));
	bus_dispatch(bus, 0xcf8, &v, 1, false);
	bus_dispatch(bus, 0xcf8, &v, 1, true);
	assert_int_equal(logs.count[LOG_WARN], 1);
	bus_dispatch(bus, 0xcfc, &v, 1, true);
	assert_int_equal(logs.count[LOG_WARN], 2);

	/* Bounded: 64 addresses, then one notice, then silence. */
	for (i = 2; i < BUS_UNCLAIMED_LOG_MAX; i++)
		bus_dispatch(bus, 0x1000 + (u64)i, &v, 1, false);
	assert_int_equal(logs.count[LOG_WARN], BUS_UNCLAIMED_LOG_MAX);
	bus_dispatch(bus, 0x9000, &v, 1, false);
	assert_int_equal(logs.count[LOG_WARN], BUS_UNCLAIMED_LOG_MAX + 1);
	assert_non_null(strstr(logs.last, "no longer logging"));
	bus_dispatch(bus, 0x9001, &v, 1, false);
	bus_dispatch(bus, 0xcf8, &v, 1, false);
	assert_int_equal(logs.count[LOG_WARN], BUS_UNCLAIMED_LOG_MAX + 1);
}

static void *hammer(void *arg)
{
	u8 v;
	int i;

	for (i = 0; i < 1000; i++)
		bus_dispatch(arg, 0x4444, &v, 1, (i & 1) != 0);
	return NULL;
}

/* Concurrent unclaimed accesses to one address: still one warning. */
static void test_log_once_threads(void **state)
{
	pthread_t t[4];
	int i;

	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, hammer, *state),
				 0);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(logs.count[LOG_WARN], 1);
}

static void test_move_unregister(void **state)
{
	struct bus *bus = *state;
	struct rec a = { .fill = 0xa }, b = { .fill = 0xb };
	u8 v = 0;

	assert_int_equal(bus_register(bus, 0x1000, 0x100, rec_io, &a, "a"), 0);
	assert_int_equal(bus_register(bus, 0x3000, 0x100, rec_io, &b, "b"), 0);
	assert_int_equal(bus_move(bus, 0x1000, 0x5000), 0);
	assert_false(bus_dispatch(bus, 0x1010, &v, 1, false));
	assert_true(bus_dispatch(bus, 0x5010, &v, 1, false));
	assert_int_equal(a.offset, 0x10);
	assert_int_equal(v, 0xa);
	/* sorted again: a now after b */
	assert_int_equal(bus->nr, 2);
	assert_true(bus->ranges[0]->base == 0x3000);
	assert_int_equal(bus_unmap(bus, 0x3000), 0);
	assert_false(bus_dispatch(bus, 0x3000, &v, 1, false));
	assert_int_equal(bus_unregister(bus, 0x5000), 0);
	assert_false(bus_dispatch(bus, 0x5010, &v, 1, false));
	assert_int_equal(bus->nr, 0);
	/* the freed place can be taken again */
	assert_int_equal(bus_register(bus, 0x1000, 0x100, rec_io, &a, "a"), 0);
}

static void test_move_errors(void **state)
{
	struct bus *bus = *state;
	struct rec a = { 0 }, b = { 0 };
	u8 v;

	assert_int_equal(bus_register(bus, 0x1000, 0x100, rec_io, &a, "a"), 0);
	assert_int_equal(bus_register(bus, 0x2000, 0x100, rec_io, &b, "b"), 0);
	memset(&logs, 0, sizeof(logs));
	assert_int_equal(bus_move(bus, 0x1001, 0x4000), -ENOENT);
	assert_non_null(strstr(logs.last, "move 0x1001"));
	assert_int_equal(bus_move(bus, 0x1000, 0x20f0), -EEXIST);
	assert_non_null(strstr(logs.last, "overlaps b"));
	assert_int_equal(bus_move(bus, 0x1000, ~0ULL - 0x10), -EINVAL);
	assert_int_equal(bus_unregister(bus, 0x1800), -ENOENT);
	assert_non_null(strstr(logs.last, "unregister 0x1800"));
	assert_int_equal(bus_unmap(bus, 0x1800), -ENOENT);
	assert_int_equal(logs.count[LOG_ERR], 5);
	/* a failed move leaves the range where it was */
	assert_int_equal(bus->nr, 2);
	assert_true(bus_dispatch(bus, 0x1004, &v, 1, false));
	assert_int_equal(a.offset, 4);
	assert_int_equal(bus_move(bus, 0x1000, 0x1000), 0);
	assert_true(bus_dispatch(bus, 0x10ff, &v, 1, false));
}

/* ---- Handlers that change the bus they are called from */
struct self {
	struct bus *bus;
	u64 base;
	int calls;
	int ret;
};

static void self_unregister_io(void *opaque, u64 offset, void *data,
			       u32 len, bool is_write)
{
	struct self *s = opaque;

	s->calls++;
	s->ret = bus_unregister(s->bus, s->base);
}

static void self_move_io(void *opaque, u64 offset, void *data, u32 len,
			 bool is_write)
{
	struct self *s = opaque;
	struct rec *other = data;	/* abuse: the test passes a rec */

	s->calls++;
	s->ret = bus_move(s->bus, s->base, s->base + 0x1000);
	if (!s->ret)
		s->ret = bus_register(s->bus, 0x9000, 4, rec_io, other, "new");
}

static void test_handler_changes_bus(void **state)
{
	struct bus *bus = *state;
	struct self s1 = { .bus = bus, .base = 0x100 };
	struct self s2 = { .bus = bus, .base = 0x200 };
	struct rec other = { .fill = 7 };
	u8 v;

	assert_int_equal(bus_register(bus, 0x100, 4, self_unregister_io, &s1,
				      "s1"), 0);
	assert_int_equal(bus_register(bus, 0x200, 4, self_move_io, &s2,
				      "s2"), 0);
	assert_true(bus_dispatch(bus, 0x100, &v, 1, true));
	assert_int_equal(s1.ret, 0);
	assert_false(bus_dispatch(bus, 0x100, &v, 1, true));
	assert_int_equal(s1.calls, 1);
	assert_true(bus_dispatch(bus, 0x202, &other, 1, true));
	assert_int_equal(s2.ret, 0);
	assert_false(bus_dispatch(bus, 0x202, &v, 1, false));
	assert_true(bus_dispatch(bus, 0x9000, &v, 1, false));
	assert_int_equal(v, 7);
	assert_int_equal(bus->nr, 2);		/* s2 moved, "new" */
}

/* ---- bus_unregister waits for a handler running on another thread */
struct gate {
	atomic_int entered, release, done;
	struct bus *bus;
};

static void gate_io(void *opaque, u64 offset, void *data, u32 len,
		    bool is_write)
{
	struct gate *g = opaque;

	atomic_store(&g->entered, 1);
	while (!atomic_load(&g->release))
		usleep(1000);
}

static void *gate_dispatch(void *arg)
{
	struct gate *g = arg;
	u8 v;

	bus_dispatch(g->bus, 0x700, &v, 1, false);
	return NULL;
}

static void *gate_unregister(void *arg)
{
	struct gate *g = arg;

	bus_unregister(g->bus, 0x700);
	atomic_store(&g->done, 1);
	return NULL;
}

static void test_unregister_waits(void **state)
{
	struct gate g = { .bus = *state };
	pthread_t d, u;

	assert_int_equal(bus_register(g.bus, 0x700, 1, gate_io, &g, "g"), 0);
	assert_int_equal(pthread_create(&d, NULL, gate_dispatch, &g), 0);
	while (!atomic_load(&g.entered))
		usleep(1000);
	assert_int_equal(pthread_create(&u, NULL, gate_unregister, &g), 0);
	usleep(50000);
	assert_int_equal(atomic_load(&g.done), 0);	/* still waiting */
	atomic_store(&g.release, 1);
	pthread_join(u, NULL);
	pthread_join(d, NULL);
	assert_int_equal(atomic_load(&g.done), 1);
}

/* ---- Dispatching threads against a thread moving and freeing state */
struct live {
	atomic_int alive;
	atomic_int bad;		/* handler ran on dead state */
	atomic_long calls;
};

static struct live *live_state;	/* for the hammering threads' checks */
static atomic_int stop_hammer;

static void live_io(void *opaque, u64 offset, void *data, u32 len,
		    bool is_write)
{
	struct live *l = opaque;
	int i;

	for (i = 0; i < 50; i++)
		if (!atomic_load(&l->alive))
			atomic_fetch_add(&l->bad, 1);
	atomic_fetch_add(&l->calls, 1);
}

static void *live_hammer(void *arg)
{
	u64 v = 0;
	int i = 0;

	while (!atomic_load(&stop_hammer))
		bus_dispatch(arg, (i++ & 1) ? 0x10008 : 0x20008, &v, 4, false);
	return NULL;
}

static void test_concurrent_move_unregister(void **state)
{
	struct bus *bus = *state;
	struct live *l;
	pthread_t t[3];
	int round, i, bad = 0;

	atomic_store(&stop_hammer, 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&t[i], NULL, live_hammer, bus),
				 0);
	for (round = 0; round < 200; round++) {
		l = calloc(1, sizeof(*l));
		assert_non_null(l);
		atomic_store(&l->alive, 1);
		live_state = l;
		assert_int_equal(bus_register(bus, 0x10000, 0x100, live_io, l,
					      "live"), 0);
		for (i = 0; i < 20; i++)
			assert_int_equal(bus_move(bus, (i & 1) ? 0x20000 :
						  0x10000, (i & 1) ? 0x10000 :
						  0x20000), 0);
		assert_int_equal(bus_unregister(bus, 0x10000), 0);
		atomic_store(&l->alive, 0);	/* "freed" */
		usleep(100);
		bad += atomic_load(&l->bad);
		free(l);
	}
	atomic_store(&stop_hammer, 1);
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(bad, 0);
	assert_int_equal(bus->nr, 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_dispatch_offset),
		T(test_range_edges),
		T(test_register_errors),
		T(test_many_ranges),
		T(test_unclaimed),
		T(test_log_once),
		T(test_log_once_threads),
		T(test_move_unregister),
		T(test_move_errors),
		T(test_handler_changes_bus),
		T(test_unregister_waits),
		T(test_concurrent_move_unregister),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
