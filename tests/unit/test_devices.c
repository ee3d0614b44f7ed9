// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of devices/devices.c: the real table (every configured device
 * comes up and claims its ports, exit takes them down), and, through the
 * devices_init_table() seam, init order, present(), reverse-order exit and
 * the unwinding when one init fails.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "devices/debugport.h"
#include "devices/device.h"
#include "devices/fw_cfg.h"
#include "devices/i8042.h"
#include "devices/testexit.h"
#include "devices/uart16550.h"
#include "lib/log.h"
#include "devices/pci/pci.h"
#include "vmm/vm.h"

/* ---- Test double: vm_request_stop (vmm/vm.o is not linked). */
static int stop_calls;

void vm_request_stop(struct vm *vm, enum vm_stop_reason reason, int status)
{
	stop_calls++;
}

/* ---- Fake devices recording their calls in one log string. */
static char calls[256];
static int fail_init_of = -1;	/* index of the fake whose init fails */
static int absent = -1;		/* index of the fake that is not present */
static int fake_priv[DEVICES_MAX + 2];

static void log_call(const char *what, int idx)
{
	size_t n = strlen(calls);

	snprintf(calls + n, sizeof(calls) - n, "%s%d ", what, idx);
}

/* The priv pointer tells which fake a call is for. */
static int fake_index(const void *priv)
{
	return (int)((const int *)priv - fake_priv);
}

#define FAKE(i)								\
static bool fake##i##_present(const struct vm_config *cfg)		\
{									\
	return absent != i;						\
}									\
static int fake##i##_init(struct vm *vm, void **priv)			\
{									\
	log_call("+", i);						\
	if (fail_init_of == i)						\
		return -EIO;						\
	*priv = &fake_priv[i];						\
	return 0;							\
}									\
static const struct device_ops fake##i##_ops = {			\
	.name = "fake" #i,						\
	.present = fake##i##_present,					\
	.init = fake##i##_init,						\
	.exit = fake_exit,						\
}

static void fake_exit(struct vm *vm, void *priv)
{
	log_call("-", fake_index(priv));
}

FAKE(0);
FAKE(1);
FAKE(2);

/* A device without present(): always there. */
static int always_init(struct vm *vm, void **priv)
{
	log_call("+", 9);
	*priv = &fake_priv[9];
	return 0;
}

static const struct device_ops always_ops = {
	.name = "always", .init = always_init, .exit = fake_exit,
};

static const struct device_ops *const fakes[] = {
	&fake0_ops, &fake1_ops, &fake2_ops,
};

/* ---- Fixture */
struct fx {
	struct vm vm;
	struct vm_config cfg;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	bus_init(&f->vm.pio, "pio");
	bus_init(&f->vm.mmio, "mmio");
	f->vm.cfg = &f->cfg;
	f->vm.kvm.vm_fd = -1;
	f->cfg.serial = SERIAL_NONE;
	f->cfg.cpus = 1;
	/* fw_cfg builds etc/e820 from guest memory */
	if (mem_alloc(&f->vm.mem, 16 * SZ_1M, false)) {
		free(f);
		return -1;
	}
	calls[0] = 0;
	fail_init_of = -1;
	absent = -1;
	stop_calls = 0;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	bus_free(&f->vm.pio);
	bus_free(&f->vm.mmio);
	mem_free(&f->vm.mem);
	free(f);
	return 0;
}

/* ---- The table seam */

static void test_order_and_reverse_exit(void **state)
{
	struct fx *f = *state;

	assert_int_equal(devices_init_table(&f->vm, fakes, 3), 0);
	assert_int_equal(f->vm.devices.nr, 3);
	assert_string_equal(calls, "+0 +1 +2 ");
	assert_ptr_equal(devices_find(&f->vm, "fake1"), &fake_priv[1]);
	assert_null(devices_find(&f->vm, "fake"));
	assert_null(devices_find(&f->vm, "nope"));
	calls[0] = 0;
	devices_exit(&f->vm);
	assert_string_equal(calls, "-2 -1 -0 ");
	assert_int_equal(f->vm.devices.nr, 0);
	assert_null(devices_find(&f->vm, "fake0"));
}

static void test_unwind_on_failure(void **state)
{
	struct fx *f = *state;

	fail_init_of = 2;
	assert_int_equal(devices_init_table(&f->vm, fakes, 3), -EIO);
	assert_string_equal(calls, "+0 +1 +2 -1 -0 ");
	assert_int_equal(f->vm.devices.nr, 0);
	assert_null(devices_find(&f->vm, "fake0"));
	/* exit after a failed init does nothing more */
	calls[0] = 0;
	devices_exit(&f->vm);
	assert_string_equal(calls, "");
}

static void test_first_init_fails(void **state)
{
	struct fx *f = *state;

	fail_init_of = 0;
	assert_int_equal(devices_init_table(&f->vm, fakes, 3), -EIO);
	assert_string_equal(calls, "+0 ");
	assert_int_equal(f->vm.devices.nr, 0);
}

static void test_absent_device_skipped(void **state)
{
	static const struct device_ops *const table[] = {
		&fake0_ops, &always_ops, &fake1_ops, &fake2_ops,
	};
	struct fx *f = *state;

	absent = 1;
	assert_int_equal(devices_init_table(&f->vm, table, 4), 0);
	assert_string_equal(calls, "+0 +9 +2 ");
	assert_null(devices_find(&f->vm, "fake1"));
	assert_ptr_equal(devices_find(&f->vm, "always"), &fake_priv[9]);
	calls[0] = 0;
	devices_exit(&f->vm);
	assert_string_equal(calls, "-2 -9 -0 ");
}

static void test_too_many_devices(void **state)
{
	const struct device_ops *table[DEVICES_MAX + 1];
	struct fx *f = *state;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(table); i++)
		table[i] = &always_ops;
	assert_int_equal(devices_init_table(&f->vm, table, DEVICES_MAX + 1),
			 -ENOSPC);
	assert_int_equal(f->vm.devices.nr, 0);
	/* DEVICES_MAX inits, then DEVICES_MAX exits */
	assert_int_equal(strlen(calls), 2 * DEVICES_MAX * 3);
	assert_non_null(strstr(calls, "+9 -9 "));
}

/* ---- The real table */

static unsigned int configured_devices(void)
{
	return 0
#ifdef CONFIG_DEV_UART16550
		+ 1
#endif
#ifdef CONFIG_DEV_I8042
		+ 1
#endif
#ifdef CONFIG_DEV_DEBUGPORT
		+ 1
#endif
#ifdef CONFIG_DEV_TESTEXIT
		+ 1
#endif
#ifdef CONFIG_PCI
		+ 1
#endif
#ifdef CONFIG_DEV_FW_CFG
		+ 1
#endif
#ifdef CONFIG_ACPI
		+ 1
#endif
		;
}

static bool claimed(struct fx *f, u16 port)
{
	u8 v;

	return bus_dispatch(&f->vm.pio, port, &v, 1, false);
}

static void test_real_table(void **state)
{
	struct fx *f = *state;
	bool on;

	assert_int_equal(devices_init(&f->vm), 0);
	assert_int_equal(f->vm.devices.nr, configured_devices());
#ifdef CONFIG_DEV_UART16550
	on = true;
#else
	on = false;
#endif
	assert_int_equal(uart16550_get(&f->vm) != NULL, on);
	assert_int_equal(claimed(f, PORT_COM1 + 5), on);
#ifdef CONFIG_DEV_I8042
	on = true;
#else
	on = false;
#endif
	assert_int_equal(devices_find(&f->vm, I8042_NAME) != NULL, on);
	assert_int_equal(claimed(f, PORT_I8042_CMD), on);
	assert_int_equal(claimed(f, PORT_I8042_DATA), on);
#ifdef CONFIG_DEV_DEBUGPORT
	on = true;
#else
	on = false;
#endif
	assert_int_equal(debugport_get(&f->vm) != NULL, on);
	assert_int_equal(claimed(f, PORT_DEBUG), on);
#ifdef CONFIG_DEV_TESTEXIT
	on = true;
#else
	on = false;
#endif
	assert_int_equal(devices_find(&f->vm, TESTEXIT_NAME) != NULL, on);
	assert_int_equal(claimed(f, PORT_TEST_EXIT), on);
#ifdef CONFIG_PCI
	assert_non_null(pci_host(&f->vm));
	assert_true(claimed(f, 0xcfc));
#else
	assert_false(claimed(f, 0xcfc));
#endif
#ifdef CONFIG_DEV_FW_CFG
	on = true;
#else
	on = false;
#endif
	assert_int_equal(fw_cfg_of(&f->vm) != NULL, on);
	assert_int_equal(claimed(f, PORT_FW_CFG), on);
	assert_int_equal(claimed(f, PORT_FW_CFG_DMA_LO), on);
#ifdef CONFIG_ACPI
	on = true;
#else
	on = false;
#endif
	assert_int_equal(devices_find(&f->vm, "acpi") != NULL, on);
	assert_int_equal(bus_dispatch(&f->vm.mmio, LAYOUT_GED, &(u32){ 0 }, 4,
				      false), on);
	assert_false(claimed(f, 0x70));
	devices_exit(&f->vm);
	assert_false(claimed(f, 0xcfc));
	assert_int_equal(f->vm.devices.nr, 0);
	assert_null(debugport_get(&f->vm));
	assert_null(uart16550_get(&f->vm));
	assert_int_equal(stop_calls, 0);
}

static void squatter_io(void *opaque, u64 offset, void *data, u32 len,
			bool is_write)
{
	fail_msg("the squatter's port was accessed");
}

/* A real device failing (its port is taken) unwinds the real table. */
static void test_real_table_unwinds(void **state)
{
	struct fx *f = *state;

#ifdef CONFIG_DEV_TESTEXIT
	assert_int_equal(bus_register(&f->vm.pio, PORT_TEST_EXIT, 1,
				      squatter_io, NULL, "squatter"), 0);
	assert_int_equal(devices_init(&f->vm), -EEXIST);
	assert_int_equal(f->vm.devices.nr, 0);
	assert_null(debugport_get(&f->vm));
	assert_null(uart16550_get(&f->vm));
#else
	skip();
#endif
}

static void test_real_table_bad_serial(void **state)
{
	static char bad_path[] = "/nonexistent-sevm-dir/serial.log";
	struct fx *f = *state;

	f->cfg.serial = SERIAL_FILE;
	f->cfg.serial_path = bad_path;
#ifdef CONFIG_DEV_UART16550
	assert_int_equal(devices_init(&f->vm), -ENOENT);
	assert_int_equal(f->vm.devices.nr, 0);
	assert_null(debugport_get(&f->vm));
#else
	assert_int_equal(devices_init(&f->vm), 0);
	devices_exit(&f->vm);
#endif
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_order_and_reverse_exit),
		T(test_unwind_on_failure),
		T(test_first_init_fails),
		T(test_absent_device_skipped),
		T(test_too_many_devices),
		T(test_real_table),
		T(test_real_table_unwinds),
		T(test_real_table_bad_serial),
	};

	log_init("test_devices");
	log_set_level(getenv("SEVM_TEST_DEBUG") ? LOG_DEBUG : LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
