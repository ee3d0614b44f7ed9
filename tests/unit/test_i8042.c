// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of devices/i8042.c through the real PIO bus: status and data
 * read 0, command 0xfe requests a VM_STOP_RESET stop, every other byte is
 * ignored, and a taken port makes init fail cleanly.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "devices/i8042.h"
#include "tests/unit/dev-test.h"
#include "lib/log.h"
#include "vmm/vm.h"

static int setup(void **state)
{
	*state = dev_fx_new(&i8042_ops);
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	dev_fx_free(*state);
	return 0;
}

static void init(struct dev_fx *f)
{
	assert_true(i8042_ops.present(f->vm.cfg));
	assert_int_equal(i8042_ops.init(&f->vm, &f->priv), 0);
	assert_non_null(f->priv);
}

static void outb(struct dev_fx *f, u16 port, u8 val)
{
	assert_true(bus_dispatch(&f->vm.pio, port, &val, 1, true));
}

static u8 inb(struct dev_fx *f, u16 port)
{
	u8 val = 0xee;

	assert_true(bus_dispatch(&f->vm.pio, port, &val, 1, false));
	return val;
}

static void test_reads_zero(void **state)
{
	struct dev_fx *f = *state;
	u32 wide = 0xdeadbeef;

	init(f);
	assert_int_equal(inb(f, PORT_I8042_CMD), 0);	/* status: empty */
	assert_int_equal(inb(f, PORT_I8042_DATA), 0);
	assert_true(bus_dispatch(&f->vm.pio, PORT_I8042_CMD, &wide, 4, false));
	assert_int_equal(wide, 0);
	/* only 0x60 and 0x64 are claimed */
	assert_false(bus_dispatch(&f->vm.pio, 0x61, &wide, 1, false));
	assert_false(bus_dispatch(&f->vm.pio, 0x65, &wide, 1, false));
}

static void test_reset_command(void **state)
{
	struct dev_fx *f = *state;

	init(f);
	outb(f, PORT_I8042_CMD, I8042_CMD_RESET);
	assert_int_equal(dev_test_stop.calls, 1);
	assert_ptr_equal(dev_test_stop.vm, &f->vm);
	assert_int_equal(dev_test_stop.reason, VM_STOP_RESET);
	assert_int_equal(dev_test_stop.status, 0);
	/* the status port still reads empty after the reset pulse */
	assert_int_equal(inb(f, PORT_I8042_CMD), 0);
}

static void test_other_bytes_ignored(void **state)
{
	static const u8 cmds[] = { 0x20, 0x60, 0xa7, 0xaa, 0xad, 0xae,
				   0xd1, 0xd4, 0xf0, 0xff, 0x00 };
	struct dev_fx *f = *state;
	unsigned int i;

	init(f);
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		outb(f, PORT_I8042_CMD, cmds[i]);
	/* 0xfe as a data byte (e.g. a keyboard resend) is not a reset */
	outb(f, PORT_I8042_DATA, I8042_CMD_RESET);
	outb(f, PORT_I8042_DATA, 0x01);
	assert_int_equal(dev_test_stop.calls, 0);
}

static void squatter_io(void *opaque, u64 offset, void *data, u32 len,
			bool is_write)
{
	fail_msg("the squatter's port was accessed");
}

/* Either port taken: init fails with the bus error and hands out nothing. */
static void test_port_taken(void **state)
{
	struct dev_fx *f = *state;
	struct bus *pio = &f->vm.pio;

	assert_int_equal(bus_register(pio, PORT_I8042_CMD, 1, squatter_io,
				      NULL, "squatter"), 0);
	assert_int_equal(i8042_ops.init(&f->vm, &f->priv), -EEXIST);
	assert_null(f->priv);
	bus_free(pio);
	bus_init(pio, "pio");
	assert_int_equal(bus_register(pio, PORT_I8042_DATA, 1, squatter_io,
				      NULL, "squatter"), 0);
	assert_int_equal(i8042_ops.init(&f->vm, &f->priv), -EEXIST);
	assert_null(f->priv);
	assert_int_equal(dev_test_stop.calls, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_reads_zero),
		T(test_reset_command),
		T(test_other_bytes_ignored),
		T(test_port_taken),
	};

	log_init("test_i8042");
	log_set_level(LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
