// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of devices/acpi/ged.c through a real MMIO bus: the event
 * register is read-to-clear at every access width, other offsets read 0,
 * writes do not clear it, ged_powerdown() raises once per press, the
 * sleep register powers off only for SLP_EN with the S5 type, a taken
 * range fails registration, and presses racing reads lose no event.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "devices/acpi/ged.h"
#include "firmware/handoff.h"
#include "lib/log.h"

struct fx {
	struct bus mmio;
	struct ged ged;
	atomic_int raised, poweroffs;
};

static struct fx fx;

static void raise_cb(void *opaque)
{
	struct fx *f = opaque;

	atomic_fetch_add(&f->raised, 1);
}

static void poweroff_cb(void *opaque)
{
	struct fx *f = opaque;

	atomic_fetch_add(&f->poweroffs, 1);
}

static int setup(void **state)
{
	memset(&fx, 0, sizeof(fx));
	bus_init(&fx.mmio, "mmio");
	ged_init(&fx.ged, raise_cb, poweroff_cb, &fx);
	return ged_register(&fx.ged, &fx.mmio, LAYOUT_GED);
}

static int teardown(void **state)
{
	bus_free(&fx.mmio);
	return 0;
}

static u64 rd(u64 off, u32 len)
{
	u64 v = 0xeeeeeeeeeeeeeeeeull;

	assert_true(bus_dispatch(&fx.mmio, LAYOUT_GED + off, &v, len, false));
	if (len < 8)
		v &= (1ull << (8 * len)) - 1;
	return v;
}

static void wr(u64 off, u64 v, u32 len)
{
	assert_true(bus_dispatch(&fx.mmio, LAYOUT_GED + off, &v, len, true));
}

static void test_read_to_clear(void **state)
{
	static const u32 widths[] = { 1, 2, 4, 8 };
	unsigned int i;

	assert_int_equal(rd(GED_REG_EVT, 4), 0);
	assert_int_equal(atomic_load(&fx.raised), 0);
	for (i = 0; i < ARRAY_SIZE(widths); i++) {
		ged_powerdown(&fx.ged);
		assert_int_equal(atomic_load(&fx.raised), i + 1);
		assert_int_equal(rd(GED_REG_EVT, widths[i]), GED_EVT_PWRBTN);
		assert_int_equal(rd(GED_REG_EVT, widths[i]), 0);
	}
	/* two presses before the guest looks: one bit, two edges */
	ged_powerdown(&fx.ged);
	ged_powerdown(&fx.ged);
	assert_int_equal(atomic_load(&fx.raised), 6);
	assert_int_equal(rd(GED_REG_EVT, 4), GED_EVT_PWRBTN);
	assert_int_equal(rd(GED_REG_EVT, 4), 0);
}

static void test_other_offsets(void **state)
{
	u32 v;

	ged_powerdown(&fx.ged);
	/* reads elsewhere see 0 and leave the event pending */
	assert_int_equal(rd(1, 1), 0);
	assert_int_equal(rd(2, 2), 0);
	assert_int_equal(rd(GED_REG_SLEEP_CTL, 1), 0);
	assert_int_equal(rd(GED_REG_SLEEP_STS, 1), 0);
	assert_int_equal(rd(LAYOUT_GED_SIZE - 4, 4), 0);
	/* writes, even all ones to EVT, neither clear nor set it */
	wr(GED_REG_EVT, 0xffffffff, 4);
	wr(GED_REG_SLEEP_STS, 0x80, 1);		/* WAK_STS clear: ignored */
	assert_int_equal(rd(GED_REG_EVT, 4), GED_EVT_PWRBTN);
	wr(GED_REG_EVT, 1, 4);
	assert_int_equal(rd(GED_REG_EVT, 4), 0);
	/* only the registered block is claimed */
	assert_false(bus_dispatch(&fx.mmio, LAYOUT_GED + LAYOUT_GED_SIZE, &v,
				  4, false));
	assert_int_equal(atomic_load(&fx.poweroffs), 0);
}

static void test_sleep(void **state)
{
	const u8 s5 = GED_SLP_TYP_S5 << GED_SLP_TYP_SHIFT;

	wr(GED_REG_SLEEP_CTL, s5, 1);			/* no SLP_EN */
	wr(GED_REG_SLEEP_CTL, GED_SLP_EN | 3 << GED_SLP_TYP_SHIFT, 1);
	wr(GED_REG_SLEEP_CTL, GED_SLP_EN, 1);		/* S0 */
	wr(GED_REG_EVT, GED_SLP_EN | s5, 4);		/* wrong register */
	assert_int_equal(atomic_load(&fx.poweroffs), 0);
	wr(GED_REG_SLEEP_CTL, GED_SLP_EN | s5, 1);
	assert_int_equal(atomic_load(&fx.poweroffs), 1);
	/* what ACPICA writes: SLP_EN | SLP_TYP (5 << 2) = 0x34 */
	wr(GED_REG_SLEEP_CTL, 0x34, 1);
	assert_int_equal(atomic_load(&fx.poweroffs), 2);
	/* without callbacks: nothing to call, nothing breaks */
	ged_init(&fx.ged, NULL, NULL, NULL);
	wr(GED_REG_SLEEP_CTL, 0x34, 1);
	ged_powerdown(&fx.ged);
	assert_int_equal(rd(GED_REG_EVT, 4), GED_EVT_PWRBTN);
	assert_int_equal(atomic_load(&fx.raised), 0);
	/* a zero-length access touches nothing */
	ged_mmio(&fx.ged, GED_REG_SLEEP_CTL, NULL, 0, true);
	ged_mmio(&fx.ged, GED_REG_EVT, NULL, 0, false);
}

static void test_register_taken(void **state)
{
	struct ged other;

	ged_init(&other, raise_cb, NULL, &fx);
	assert_int_equal(ged_register(&other, &fx.mmio, LAYOUT_GED + 0x800),
			 -EEXIST);
	assert_int_equal(ged_register(&other, &fx.mmio, LAYOUT_GED - 0x800),
			 -EEXIST);
	assert_int_equal(ged_register(&other, &fx.mmio,
				      LAYOUT_GED + LAYOUT_GED_SIZE), 0);
}

#define PRESSES 20000

static void *presser(void *arg)
{
	unsigned int i;

	for (i = 0; i < PRESSES; i++)
		ged_powerdown(&fx.ged);
	return NULL;
}

/*
 * The main thread presses while a "vCPU" reads: every edge is raised,
 * and the last press is never lost (it is seen by a read, or pending).
 */
static void test_concurrent(void **state)
{
	pthread_t th;
	unsigned int seen = 0;

	assert_int_equal(pthread_create(&th, NULL, presser, NULL), 0);
	while (atomic_load(&fx.raised) < PRESSES)
		seen += rd(GED_REG_EVT, 4) == GED_EVT_PWRBTN;
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(atomic_load(&fx.raised), PRESSES);
	/* the bit of the last press is set before its edge is raised */
	seen += rd(GED_REG_EVT, 4) == GED_EVT_PWRBTN;
	assert_true(seen >= 1);
	assert_int_equal(rd(GED_REG_EVT, 4), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_read_to_clear),
		T(test_other_offsets),
		T(test_sleep),
		T(test_register_taken),
		T(test_concurrent),
	};

	log_init("test_ged");
	log_set_level(LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
