// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of devices/testexit.c through the real PIO bus: the low byte
 * of a write of any width becomes the VM_STOP_TESTEXIT status.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "devices/testexit.h"
#include "tests/unit/dev-test.h"
#include "lib/log.h"
#include "vmm/vm.h"

static int setup(void **state)
{
	struct dev_fx *f = dev_fx_new(&testexit_ops);

	*state = f;
	if (!f || !testexit_ops.present(f->vm.cfg))
		return -1;
	return testexit_ops.init(&f->vm, &f->priv);
}

static int teardown(void **state)
{
	dev_fx_free(*state);
	return 0;
}

/* Write value with the given width; expect one stop with status want. */
static void check_write(struct dev_fx *f, u32 value, u32 width, int want)
{
	int before = dev_test_stop.calls;

	assert_true(bus_dispatch(&f->vm.pio, PORT_TEST_EXIT, &value, width,
				 true));
	assert_int_equal(dev_test_stop.calls, before + 1);
	assert_ptr_equal(dev_test_stop.vm, &f->vm);
	assert_int_equal(dev_test_stop.reason, VM_STOP_TESTEXIT);
	assert_int_equal(dev_test_stop.status, want);
}

static void test_byte_values(void **state)
{
	struct dev_fx *f = *state;

	check_write(f, 0, 1, 0);
	check_write(f, 1, 1, 1);
	check_write(f, 31, 1, 31);
	check_write(f, 63, 1, 63);
	check_write(f, 0xff, 1, 0xff);	/* vm_exit_code decides about > 63 */
}

static void test_wide_writes_low_byte(void **state)
{
	struct dev_fx *f = *state;

	check_write(f, 0x0102, 2, 0x02);
	check_write(f, 0x1100, 2, 0x00);
	check_write(f, 0x12345603, 4, 0x03);
	check_write(f, 0xffffff10, 4, 0x10);
}

static void test_reads_zero_no_stop(void **state)
{
	struct dev_fx *f = *state;
	u32 v = 0xdeadbeef;

	assert_true(bus_dispatch(&f->vm.pio, PORT_TEST_EXIT, &v, 4, false));
	assert_int_equal(v, 0);
	assert_int_equal(dev_test_stop.calls, 0);
	/* only 0xf4 itself is claimed */
	assert_false(bus_dispatch(&f->vm.pio, PORT_TEST_EXIT + 1, &v, 1,
				  true));
	assert_int_equal(dev_test_stop.calls, 0);
}

static void test_port_taken(void **state)
{
	struct dev_fx *f = *state;
	void *priv = NULL;

	/* setup registered 0xf4 already */
	assert_int_equal(testexit_ops.init(&f->vm, &priv), -EEXIST);
	assert_null(priv);
	/* the first instance still works */
	check_write(f, 7, 1, 7);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_byte_values),
		T(test_wide_writes_low_byte),
		T(test_reads_zero_no_stop),
		T(test_port_taken),
	};

	log_init("test_testexit");
	log_set_level(LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
