// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of vmm/iothread.c: callbacks run on the I/O thread, not the
 * caller's; removal is synchronous (also while the callback runs);
 * callbacks add and remove watches; duplicate fds, a full table and bad
 * fds are refused; stop joins with watches still registered.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/log.h"
#include "vmm/iothread.h"

static int nr_logs;

void __wrap_pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
	nr_logs++;
}

struct w {
	struct iothread *t;
	int fd;
	sem_t ran;
	atomic_int calls;
	atomic_bool on_io;	/* the callback ran on the I/O thread */
	atomic_bool in_cb, done;
	int sleep_ms;
	bool del_self;
	struct w *add_other;
};

static void kick(int fd)
{
	u64 one = 1;

	assert_int_equal(write(fd, &one, 8), 8);
}

static void drain(int fd)
{
	u64 v;

	if (read(fd, &v, 8) < 0)
		return;
}

static void cb(int fd, u32 events, void *opaque)
{
	struct w *w = opaque;
	struct timespec ts = { 0, (long)w->sleep_ms * 1000000 };

	atomic_store(&w->in_cb, true);
	assert_int_equal(fd, w->fd);
	assert_true(events & EPOLLIN);
	drain(fd);
	atomic_store(&w->on_io, iothread_current(w->t));
	if (w->sleep_ms)
		nanosleep(&ts, NULL);
	if (w->del_self)
		assert_int_equal(iothread_del(w->t, fd), 0);
	if (w->add_other)
		assert_int_equal(iothread_add(w->t, w->add_other->fd, EPOLLIN,
					      cb, w->add_other), 0);
	atomic_fetch_add(&w->calls, 1);
	atomic_store(&w->done, true);
	atomic_store(&w->in_cb, false);
	sem_post(&w->ran);
}

static struct w *w_new(struct iothread *t)
{
	struct w *w = calloc(1, sizeof(*w));

	assert_non_null(w);
	w->t = t;
	w->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	assert_true(w->fd >= 0);
	sem_init(&w->ran, 0, 0);
	return w;
}

static void w_free(struct w *w)
{
	close(w->fd);
	sem_destroy(&w->ran);
	free(w);
}

static void wait_ran(struct w *w)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 5;
	assert_int_equal(sem_timedwait(&w->ran, &ts), 0);
}

static void test_runs_on_io_thread(void **state)
{
	struct iothread *t;
	struct w *w;

	assert_int_equal(iothread_start(&t, "test-io"), 0);
	assert_false(iothread_current(t));
	w = w_new(t);
	assert_int_equal(iothread_add(t, w->fd, EPOLLIN, cb, w), 0);
	kick(w->fd);
	wait_ran(w);
	assert_true(atomic_load(&w->on_io));
	kick(w->fd);
	wait_ran(w);
	assert_int_equal(atomic_load(&w->calls), 2);
	assert_int_equal(iothread_del(t, w->fd), 0);
	kick(w->fd);
	usleep(20000);
	assert_int_equal(atomic_load(&w->calls), 2);
	assert_int_equal(iothread_del(t, w->fd), -ENOENT);
	iothread_stop(t);
	w_free(w);
}

static void test_del_waits_for_callback(void **state)
{
	struct iothread *t;
	struct w *w;

	assert_int_equal(iothread_start(&t, "test-io"), 0);
	w = w_new(t);
	w->sleep_ms = 100;
	assert_int_equal(iothread_add(t, w->fd, EPOLLIN, cb, w), 0);
	kick(w->fd);
	while (!atomic_load(&w->in_cb))
		usleep(1000);
	assert_int_equal(iothread_del(t, w->fd), 0);
	/* the callback finished before del returned */
	assert_true(atomic_load(&w->done));
	assert_false(atomic_load(&w->in_cb));
	iothread_stop(t);
	w_free(w);
}

static void test_callbacks_add_and_del(void **state)
{
	struct iothread *t;
	struct w *a, *b;

	assert_int_equal(iothread_start(&t, "test-io"), 0);
	a = w_new(t);
	b = w_new(t);
	a->del_self = true;
	a->add_other = b;
	assert_int_equal(iothread_add(t, a->fd, EPOLLIN, cb, a), 0);
	kick(a->fd);
	wait_ran(a);
	kick(a->fd);			/* a removed itself */
	kick(b->fd);			/* b was added by a's callback */
	wait_ran(b);
	usleep(20000);
	assert_int_equal(atomic_load(&a->calls), 1);
	assert_int_equal(atomic_load(&b->calls), 1);
	assert_true(atomic_load(&b->on_io));
	iothread_stop(t);		/* b still registered */
	w_free(a);
	w_free(b);
}

static void nop(int fd, u32 events, void *opaque)
{
}

static void test_refusals(void **state)
{
	struct iothread *t;
	int fds[IOTHREAD_MAX_WATCHES + 1], i;

	assert_int_equal(iothread_start(&t, "test-io"), 0);
	assert_int_equal(iothread_add(t, -5, EPOLLIN, nop, NULL), -EBADF);
	assert_int_equal(iothread_add(t, -1, EPOLLIN, nop, NULL), -EBADF);
	assert_int_equal(nr_logs, 2);
	for (i = 0; i <= IOTHREAD_MAX_WATCHES; i++) {
		fds[i] = eventfd(0, EFD_CLOEXEC);
		assert_true(fds[i] >= 0);
	}
	assert_int_equal(iothread_add(t, fds[0], EPOLLIN, nop, NULL), 0);
	assert_int_equal(iothread_add(t, fds[0], EPOLLIN, nop, NULL),
			 -EEXIST);
	for (i = 1; i < IOTHREAD_MAX_WATCHES; i++)
		assert_int_equal(iothread_add(t, fds[i], EPOLLIN, nop, NULL),
				 0);
	assert_int_equal(iothread_add(t, fds[i], EPOLLIN, nop, NULL),
			 -ENOSPC);
	assert_int_equal(iothread_del(t, fds[3]), 0);
	assert_int_equal(iothread_add(t, fds[i], EPOLLIN, nop, NULL), 0);
	iothread_stop(t);
	for (i = 0; i <= IOTHREAD_MAX_WATCHES; i++)
		close(fds[i]);
	iothread_stop(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runs_on_io_thread),
		cmocka_unit_test(test_del_waits_for_callback),
		cmocka_unit_test(test_callbacks_add_and_del),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
