// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of vmm/loop.c with pipes and eventfds: callbacks run with the
 * right fd and opaque, loop_stop and negative callback results end
 * loop_run with their value, loop_del, the watch limit, an event queued
 * for a watch removed earlier in the same batch, and a wake-up from
 * another thread.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/log.h"
#include "vmm/loop.h"

static int nr_errors;

void __wrap_pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
	if (level == LOG_ERR)
		nr_errors++;
}

struct ctx {
	int calls;
	int last_fd;
	u32 last_events;
	int ret;		/* what the callback returns */
	int stop_with;		/* loop_stop() value, if nonzero */
	struct loop *loop;
	int other_fd;		/* fd to loop_del(), if >= 0 */
	int then_write;		/* eventfd to signal, if >= 0 */
};

static void drain(int fd)
{
	u64 v;

	while (read(fd, &v, sizeof(v)) > 0)
		;
}

static int cb(struct loop *loop, int fd, u32 events, void *opaque)
{
	struct ctx *c = opaque;
	u64 one = 1;

	c->calls++;
	c->last_fd = fd;
	c->last_events = events;
	drain(fd);
	if (c->other_fd >= 0 && loop_del(loop, c->other_fd) == 0)
		c->other_fd = -1;
	if (c->then_write >= 0)
		assert_int_equal(write(c->then_write, &one, 8), 8);
	if (c->stop_with)
		loop_stop(loop, c->stop_with);
	return c->ret;
}

static int efd(void)
{
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	assert_true(fd >= 0);
	return fd;
}

static void kick(int fd)
{
	u64 one = 1;

	assert_int_equal(write(fd, &one, 8), 8);
}

static void test_pipe_stop(void **state)
{
	struct loop loop;
	struct ctx c = { .stop_with = 42, .other_fd = -1, .then_write = -1 };
	int p[2];

	assert_int_equal(pipe2(p, O_NONBLOCK), 0);
	assert_int_equal(loop_init(&loop), 0);
	assert_int_equal(loop_add(&loop, p[0], EPOLLIN, cb, &c), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(loop_run(&loop), 42);
	assert_int_equal(c.calls, 1);
	assert_int_equal(c.last_fd, p[0]);
	assert_true(c.last_events & EPOLLIN);
	loop_free(&loop);
	assert_int_equal(loop.epfd, -1);
	close(p[0]);
	close(p[1]);
}

static void test_negative_result_stops(void **state)
{
	struct loop loop;
	struct ctx c = { .ret = -EIO, .other_fd = -1, .then_write = -1 };
	int fd = efd();

	assert_int_equal(loop_init(&loop), 0);
	assert_int_equal(loop_add(&loop, fd, EPOLLIN, cb, &c), 0);
	kick(fd);
	assert_int_equal(loop_run(&loop), -EIO);
	assert_int_equal(c.calls, 1);
	/* The loop can run again: a second event, then loop_stop(7). */
	c.ret = 0;
	c.stop_with = 7;
	kick(fd);
	assert_int_equal(loop_run(&loop), 7);
	assert_int_equal(c.calls, 2);
	loop_free(&loop);
	close(fd);
}

static void test_stop_before_run(void **state)
{
	struct loop loop;

	assert_int_equal(loop_init(&loop), 0);
	loop_stop(&loop, 5);
	loop_stop(&loop, 6);		/* the first result is kept */
	assert_int_equal(loop_run(&loop), 5);
	loop_free(&loop);
}

static void test_add_del_errors(void **state)
{
	struct loop loop;
	struct ctx c = { .other_fd = -1, .then_write = -1 };
	int fds[LOOP_MAX_WATCHES + 1];
	int i;

	assert_int_equal(loop_init(&loop), 0);
	assert_int_equal(loop_add(&loop, -1, EPOLLIN, cb, &c), -EINVAL);
	fds[0] = efd();
	assert_int_equal(loop_add(&loop, fds[0], EPOLLIN, NULL, &c), -EINVAL);
	assert_int_equal(loop_add(&loop, fds[0], EPOLLIN, cb, &c), 0);
	assert_int_equal(loop_add(&loop, fds[0], EPOLLIN, cb, &c), -EEXIST);
	for (i = 1; i < LOOP_MAX_WATCHES; i++) {
		fds[i] = efd();
		assert_int_equal(loop_add(&loop, fds[i], EPOLLIN, cb, &c), 0);
	}
	fds[i] = efd();
	nr_errors = 0;
	assert_int_equal(loop_add(&loop, fds[i], EPOLLIN, cb, &c), -ENOSPC);
	assert_int_equal(nr_errors, 1);
	assert_int_equal(loop_del(&loop, fds[3]), 0);
	assert_int_equal(loop_del(&loop, fds[3]), -ENOENT);
	assert_int_equal(loop_add(&loop, fds[i], EPOLLIN, cb, &c), 0);
	/* epoll_ctl failure: an fd that is not open. */
	assert_int_equal(loop_del(&loop, fds[4]), 0);
	assert_int_equal(loop_add(&loop, 0x7fff, EPOLLIN, cb, &c), -EBADF);
	for (i = 0; i <= LOOP_MAX_WATCHES; i++)
		close(fds[i]);
	loop_free(&loop);
}

/* A deleted watch gets no callback, even for an event already queued. */
static void test_del_in_same_batch(void **state)
{
	struct loop loop;
	int a = efd(), b = efd(), done = efd();
	struct ctx ca = { .other_fd = b, .then_write = done };
	struct ctx cb_ = { .other_fd = a, .then_write = done };
	struct ctx cd = { .stop_with = 1, .other_fd = -1, .then_write = -1 };

	assert_int_equal(loop_init(&loop), 0);
	assert_int_equal(loop_add(&loop, a, EPOLLIN, cb, &ca), 0);
	assert_int_equal(loop_add(&loop, b, EPOLLIN, cb, &cb_), 0);
	assert_int_equal(loop_add(&loop, done, EPOLLIN, cb, &cd), 0);
	kick(a);
	kick(b);
	assert_int_equal(loop_run(&loop), 1);
	assert_int_equal(ca.calls + cb_.calls, 1);
	assert_int_equal(cd.calls, 1);
	loop_free(&loop);
	close(a);
	close(b);
	close(done);
}

static void *writer(void *arg)
{
	kick(*(int *)arg);
	return NULL;
}

/* The VM's stop request: another thread writes the eventfd. */
static void test_wake_from_thread(void **state)
{
	struct loop loop;
	struct ctx c = { .stop_with = 3, .other_fd = -1, .then_write = -1 };
	int fd = efd();
	pthread_t t;

	assert_int_equal(loop_init(&loop), 0);
	assert_int_equal(loop_add(&loop, fd, EPOLLIN, cb, &c), 0);
	assert_int_equal(pthread_create(&t, NULL, writer, &fd), 0);
	assert_int_equal(loop_run(&loop), 3);
	pthread_join(t, NULL);
	assert_int_equal(c.calls, 1);
	loop_free(&loop);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipe_stop),
		cmocka_unit_test(test_negative_result_stops),
		cmocka_unit_test(test_stop_before_run),
		cmocka_unit_test(test_add_del_errors),
		cmocka_unit_test(test_del_in_same_batch),
		cmocka_unit_test(test_wake_from_thread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
