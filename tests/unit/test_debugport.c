// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of devices/debugport.c: recording through the PIO bus and
 * directly, the record limit and dropped count (also with concurrent
 * writers), marker names, the timeline text and the JSON array.
 */
#include <errno.h>
#include <json-c/json.h>
#include <pthread.h>
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
#include "lib/log.h"
#include "vmm/vm.h"

/* ---- Test double: vm_request_stop (vmm/vm.o is not linked). */
static int stop_calls;

void vm_request_stop(struct vm *vm, enum vm_stop_reason reason, int status)
{
	stop_calls++;
}

struct fx {
	struct vm vm;
	struct vm_config cfg;
	struct debugport dp;	/* for the direct-recording tests */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	bus_init(&f->vm.pio, "pio");
	f->vm.cfg = &f->cfg;
	f->vm.kvm.vm_fd = -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	devices_exit(&f->vm);
	bus_free(&f->vm.pio);
	free(f);
	return 0;
}

static struct debugport *init_device(struct fx *f)
{
	static const struct device_ops *const table[] = { &debugport_ops };

	assert_null(debugport_get(&f->vm));
	assert_int_equal(devices_init_table(&f->vm, table, 1), 0);
	assert_non_null(debugport_get(&f->vm));
	return debugport_get(&f->vm);
}

/* The whole text debugport_print_timeline() writes. */
static char *timeline(const struct debugport *dp)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	debugport_print_timeline(dp, out);
	assert_int_equal(fclose(out), 0);
	return buf;
}

static void test_bus_writes_recorded(void **state)
{
	struct fx *f = *state;
	struct debugport *dp = init_device(f);
	u16 wide = 0x1234;
	u32 rd = 0xffffffff;
	u8 code = MARK_RESET_VECTOR;
	u64 t0, t1;

	t0 = time_us();
	assert_true(bus_dispatch(&f->vm.pio, PORT_DEBUG, &code, 1, true));
	t1 = time_us();
	assert_int_equal(dp->nr, 1);
	assert_int_equal(dp->rec[0].code, MARK_RESET_VECTOR);
	assert_in_range(dp->rec[0].us, t0, t1);
	/* a wider write records its low byte */
	assert_true(bus_dispatch(&f->vm.pio, PORT_DEBUG, &wide, 2, true));
	assert_int_equal(dp->nr, 2);
	assert_int_equal(dp->rec[1].code, 0x34);
	assert_true(dp->rec[1].us >= dp->rec[0].us);
	/* reads return 0 and record nothing */
	assert_true(bus_dispatch(&f->vm.pio, PORT_DEBUG, &rd, 4, false));
	assert_int_equal(rd, 0);
	assert_int_equal(dp->nr, 2);
	assert_int_equal(dp->dropped, 0);
	/* only port 0x80 is claimed */
	assert_false(bus_dispatch(&f->vm.pio, PORT_DEBUG + 1, &code, 1, true));
}

static void test_limit_and_dropped(void **state)
{
	struct fx *f = *state;
	struct debugport *dp = &f->dp;
	unsigned int i;

	for (i = 0; i < DEBUGPORT_MAX_RECORDS + 5; i++)
		debugport_record(dp, (u8)i, 1000 + i);
	assert_int_equal(dp->nr, DEBUGPORT_MAX_RECORDS);
	assert_int_equal(dp->dropped, 5);
	/* the first records are the ones kept */
	assert_int_equal(dp->rec[0].us, 1000);
	assert_int_equal(dp->rec[DEBUGPORT_MAX_RECORDS - 1].code,
			 (u8)(DEBUGPORT_MAX_RECORDS - 1));
}

#define WRITERS		4
#define PER_WRITER	400

struct writer {
	struct debugport *dp;
	u8 code;
};

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	unsigned int i;

	for (i = 0; i < PER_WRITER; i++)
		debugport_record(w->dp, w->code, i);
	return NULL;
}

/* Concurrent writers: no record lost or torn, the rest counted. */
static void test_concurrent_writers(void **state)
{
	struct fx *f = *state;
	struct writer w[WRITERS];
	pthread_t t[WRITERS];
	u64 next[WRITERS] = { 0 };
	unsigned int i;

	for (i = 0; i < WRITERS; i++) {
		w[i] = (struct writer){ .dp = &f->dp, .code = (u8)i };
		assert_int_equal(pthread_create(&t[i], NULL, writer_main,
						&w[i]), 0);
	}
	for (i = 0; i < WRITERS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(f->dp.nr, DEBUGPORT_MAX_RECORDS);
	assert_int_equal(f->dp.dropped,
			 WRITERS * PER_WRITER - DEBUGPORT_MAX_RECORDS);
	/* each writer's records appear in its own order */
	for (i = 0; i < f->dp.nr; i++) {
		u8 c = f->dp.rec[i].code;

		assert_in_range(c, 0, WRITERS - 1);
		assert_true(f->dp.rec[i].us >= next[c]);
		next[c] = f->dp.rec[i].us + 1;
	}
}

static void test_code_names(void **state)
{
	assert_string_equal(debugport_code_name(MARK_RESET_VECTOR),
			    "reset vector");
	assert_string_equal(debugport_code_name(MARK_KERNEL_JUMP),
			    "kernel jump");
	assert_string_equal(debugport_code_name(MARK_FATAL), "firmware fatal");
	assert_string_equal(debugport_code_name(0x40), "linux start");
	assert_string_equal(debugport_code_name(0x41), "linux init");
	assert_string_equal(debugport_code_name(0x00), "-");
	assert_string_equal(debugport_code_name(0x06), "-");
	assert_string_equal(debugport_code_name(0x42), "-");
	assert_string_equal(debugport_code_name(0xff), "-");
}

static void test_timeline_text(void **state)
{
	struct fx *f = *state;
	char *text;

	debugport_record(&f->dp, MARK_RESET_VECTOR, 100);
	debugport_record(&f->dp, MARK_PROTECTED_MODE, 150);
	debugport_record(&f->dp, 0x41, 1150);
	debugport_record(&f->dp, 0x99, 1200);
	text = timeline(&f->dp);
	assert_string_equal(text,
		"boot timeline (port 0x80, us since sevm start):\n"
		"        time        delta  code  marker\n"
		"      100 us      +100 us  0x01  reset vector\n"
		"      150 us       +50 us  0x02  protected mode\n"
		"     1150 us     +1000 us  0x41  linux init\n"
		"     1200 us       +50 us  0x99  -\n");
	free(text);
}

static void test_timeline_dropped_line(void **state)
{
	struct fx *f = *state;
	char *text, *last;
	unsigned int i;

	text = timeline(&f->dp);		/* empty: header only */
	assert_null(strstr(text, "dropped"));
	assert_null(strstr(text, " us  0x"));
	free(text);
	for (i = 0; i < DEBUGPORT_MAX_RECORDS + 3; i++)
		debugport_record(&f->dp, 0, i);
	text = timeline(&f->dp);
	last = strrchr(text, '\n');
	assert_non_null(last);
	*last = 0;
	last = strrchr(text, '\n');
	assert_string_equal(last + 1,
			    "3 later writes dropped (limit 1024 records)");
	free(text);
}

static void test_json(void **state)
{
	struct fx *f = *state;
	struct json_object *arr;

	arr = debugport_json(&f->dp);
	assert_non_null(arr);
	assert_string_equal(json_object_to_json_string_ext(arr,
				JSON_C_TO_STRING_PLAIN), "[]");
	json_object_put(arr);
	debugport_record(&f->dp, MARK_C_ENTRY, 42);
	debugport_record(&f->dp, 0x40, 5000000000ULL);	/* > 32 bits */
	debugport_record(&f->dp, 0xee, 5000000001ULL);
	arr = debugport_json(&f->dp);
	assert_non_null(arr);
	assert_string_equal(json_object_to_json_string_ext(arr,
				JSON_C_TO_STRING_PLAIN),
		"[{\"us\":42,\"code\":4,\"name\":\"firmware C entry\"},"
		"{\"us\":5000000000,\"code\":64,\"name\":\"linux start\"},"
		"{\"us\":5000000001,\"code\":238,\"name\":\"-\"}]");
	json_object_put(arr);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_bus_writes_recorded),
		T(test_limit_and_dropped),
		T(test_concurrent_writers),
		T(test_code_names),
		T(test_timeline_text),
		T(test_timeline_dropped_line),
		T(test_json),
	};

	log_init("test_debugport");
	log_set_level(LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
