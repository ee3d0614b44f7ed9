// SPDX-License-Identifier: GPL-2.0-only
/*
 * Console input (devices/console-input.c) over a pipe: bytes arrive in
 * order, a full sink holds the input back without losing any, end of
 * input and stop both end the thread, the sink table is bounded.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "devices/console-input.h"
#include "lib/log.h"

#define BIG	4096

struct sink {
	pthread_mutex_t lock;
	size_t room;		/* what space() reports */
	size_t len;
	u8 buf[BIG];
	unsigned int calls;
};

static size_t sink_space(void *opaque)
{
	struct sink *s = opaque;
	size_t n;

	pthread_mutex_lock(&s->lock);
	n = s->room;
	pthread_mutex_unlock(&s->lock);
	return n;
}

static size_t sink_push(void *opaque, const u8 *buf, size_t len)
{
	struct sink *s = opaque;

	pthread_mutex_lock(&s->lock);
	assert_true(len <= s->room);
	assert_true(s->len + len <= sizeof(s->buf));
	memcpy(s->buf + s->len, buf, len);
	s->len += len;
	s->room -= len;
	s->calls++;
	pthread_mutex_unlock(&s->lock);
	return len;
}

static size_t sink_len(struct sink *s)
{
	size_t n;

	pthread_mutex_lock(&s->lock);
	n = s->len;
	pthread_mutex_unlock(&s->lock);
	return n;
}

static void wait_len(struct sink *s, size_t want)
{
	struct timespec ms = { 0, 1000000 };
	int i;

	for (i = 0; i < 5000 && sink_len(s) < want; i++)
		nanosleep(&ms, NULL);
	assert_int_equal(sink_len(s), want);
}

static struct console_sink as_sink(struct sink *s, const char *name)
{
	struct console_sink c = {
		.name = name, .space = sink_space, .push = sink_push,
		.opaque = s,
	};

	return c;
}

static struct sink *new_sink(size_t room)
{
	struct sink *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	pthread_mutex_init(&s->lock, NULL);
	s->room = room;
	return s;
}

static void test_in_order_two_sinks(void **state)
{
	struct sink *a = new_sink(BIG), *b = new_sink(BIG);
	struct console_sink ca = as_sink(a, "a"), cb = as_sink(b, "b");
	struct console_input ci;
	int p[2];

	assert_int_equal(pipe(p), 0);
	console_input_init_struct(&ci);
	assert_int_equal(console_input_add_sink(&ci, &ca), 0);
	assert_int_equal(console_input_start(&ci, p[0]), 0);
	assert_int_equal(console_input_add_sink(&ci, &cb), 0);
	assert_int_equal(write(p[1], "login: root\n", 12), 12);
	wait_len(a, 12);
	assert_memory_equal(a->buf, "login: root\n", 12);
	/* b was added after the bytes may have been read; later ones reach it */
	assert_int_equal(write(p[1], "ls", 2), 2);
	wait_len(a, 14);
	assert_memory_equal(b->buf + b->len - 2, "ls", 2);
	console_input_free(&ci);
	close(p[0]);
	close(p[1]);
	free(a);
	free(b);
}

static void *drain(void *arg)
{
	struct sink *s = arg;
	struct timespec ms = { 0, 200000 };
	int i;

	for (i = 0; i < 20000 && sink_len(s) < BIG; i++) {
		pthread_mutex_lock(&s->lock);
		s->room = 64;		/* a UART's FIFO, emptied by the guest */
		pthread_mutex_unlock(&s->lock);
		nanosleep(&ms, NULL);
	}
	return NULL;
}

static void test_backpressure_loses_nothing(void **state)
{
	struct sink *s = new_sink(0);
	struct console_sink c = as_sink(s, "slow");
	struct console_input ci;
	pthread_t t;
	u8 *data = malloc(BIG);
	size_t i, done = 0;
	ssize_t n;
	int p[2];

	assert_non_null(data);
	for (i = 0; i < BIG; i++)
		data[i] = (u8)(i * 7 + (i >> 8));
	assert_int_equal(pipe(p), 0);
	console_input_init_struct(&ci);
	assert_int_equal(console_input_add_sink(&ci, &c), 0);
	assert_int_equal(console_input_start(&ci, p[0]), 0);
	assert_int_equal(pthread_create(&t, NULL, drain, s), 0);
	while (done < BIG) {
		n = write(p[1], data + done, BIG - done);
		assert_true(n > 0);
		done += (size_t)n;
	}
	wait_len(s, BIG);
	assert_memory_equal(s->buf, data, BIG);
	assert_true(s->calls >= BIG / 64);	/* never more than the room */
	pthread_join(t, NULL);
	console_input_free(&ci);
	close(p[0]);
	close(p[1]);
	free(data);
	free(s);
}

static void test_eof_and_stop(void **state)
{
	struct sink *s = new_sink(100);
	struct console_sink c = as_sink(s, "s");
	struct console_input ci;
	int p[2];

	assert_int_equal(pipe(p), 0);
	console_input_init_struct(&ci);
	assert_int_equal(console_input_add_sink(&ci, &c), 0);
	assert_int_equal(console_input_start(&ci, p[0]), 0);
	assert_int_equal(write(p[1], "bye", 3), 3);
	close(p[1]);			/* end of input ends the thread */
	wait_len(s, 3);
	console_input_free(&ci);
	close(p[0]);
	/* stop while blocked on an input that never comes */
	assert_int_equal(pipe(p), 0);
	console_input_init_struct(&ci);
	assert_int_equal(console_input_start(&ci, p[0]), 0);
	console_input_free(&ci);
	close(p[0]);
	close(p[1]);
	free(s);
}

static void test_sink_limit(void **state)
{
	struct sink *s = new_sink(1);
	struct console_sink c = as_sink(s, "s");
	struct console_input ci;
	unsigned int i;

	console_input_init_struct(&ci);
	for (i = 0; i < CONSOLE_INPUT_SINKS; i++)
		assert_int_equal(console_input_add_sink(&ci, &c), 0);
	assert_int_equal(console_input_add_sink(&ci, &c), -ENOSPC);
	console_input_free(&ci);	/* never started: fine */
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order_two_sinks),
		cmocka_unit_test(test_backpressure_loses_nothing),
		cmocka_unit_test(test_eof_and_stop),
		cmocka_unit_test(test_sink_limit),
	};

	log_init("test_console_input");
	log_set_level(LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
