// SPDX-License-Identifier: GPL-2.0-only
/*
 * The I/O thread (see iothread.h). Each watch is a slot whose epoll data
 * carries (generation, slot): an event for a slot removed or reused
 * since epoll_wait returned is recognised and dropped. A remover waits
 * while the loop runs that slot's callback.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "lib/log.h"
#include "vmm/iothread.h"

struct io_watch {
	int fd;			/* -1: free */
	u32 gen;
	iothread_fn fn;
	void *opaque;
};

struct iothread {
	pthread_t thread;
	const char *name;
	int epfd, wakefd;
	bool stop;
	int running;		/* slot whose callback runs, or -1 */
	pthread_mutex_t lock;
	pthread_cond_t idle;
	struct io_watch w[IOTHREAD_MAX_WATCHES];
};

#define WAKE_DATA	(~0ULL)

static int io_find(struct iothread *t, int fd)
{
	int i;

	for (i = 0; i < IOTHREAD_MAX_WATCHES; i++)
		if (t->w[i].fd == fd)
			return i;
	return -1;
}

int iothread_add(struct iothread *t, int fd, u32 events, iothread_fn fn,
		 void *opaque)
{
	struct epoll_event ev = { .events = events };
	int i, r = 0;

	pthread_mutex_lock(&t->lock);
	if (fd < 0)
		r = -EBADF;
	else if (io_find(t, fd) >= 0)
		r = -EEXIST;
	else if ((i = io_find(t, -1)) < 0)
		r = -ENOSPC;
	if (!r) {
		t->w[i] = (struct io_watch){ fd, t->w[i].gen + 1, fn, opaque };
		ev.data.u64 = (u64)t->w[i].gen << 32 | (u32)i;
		if (epoll_ctl(t->epfd, EPOLL_CTL_ADD, fd, &ev)) {
			r = -errno;
			t->w[i].fd = -1;
		}
	}
	pthread_mutex_unlock(&t->lock);
	if (r)
		pr_err("%s: watch fd %d: %s", t->name, fd, strerror(-r));
	return r;
}

int iothread_del(struct iothread *t, int fd)
{
	int i;

	pthread_mutex_lock(&t->lock);
	i = io_find(t, fd);
	if (i < 0) {
		pthread_mutex_unlock(&t->lock);
		return -ENOENT;
	}
	epoll_ctl(t->epfd, EPOLL_CTL_DEL, fd, NULL);
	t->w[i].fd = -1;
	t->w[i].gen++;
	while (t->running == i && !iothread_current(t))
		pthread_cond_wait(&t->idle, &t->lock);
	pthread_mutex_unlock(&t->lock);
	return 0;
}

bool iothread_current(const struct iothread *t)
{
	return pthread_equal(pthread_self(), t->thread);
}

/* Run the callback of one event, unless its watch went away. */
static void io_dispatch(struct iothread *t, const struct epoll_event *ev)
{
	u32 i = (u32)ev->data.u64, gen = ev->data.u64 >> 32;
	struct io_watch w;

	pthread_mutex_lock(&t->lock);
	if (i >= IOTHREAD_MAX_WATCHES || t->w[i].fd < 0 || t->w[i].gen != gen) {
		pthread_mutex_unlock(&t->lock);
		return;
	}
	w = t->w[i];
	t->running = i;
	pthread_mutex_unlock(&t->lock);
	w.fn(w.fd, ev->events, w.opaque);
	pthread_mutex_lock(&t->lock);
	t->running = -1;
	pthread_cond_broadcast(&t->idle);
	pthread_mutex_unlock(&t->lock);
}

static bool io_stopping(struct iothread *t)
{
	u64 v;
	bool stop;

	if (read(t->wakefd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		pr_warn("%s: read wake eventfd: %s", t->name, strerror(errno));
	pthread_mutex_lock(&t->lock);
	stop = t->stop;
	pthread_mutex_unlock(&t->lock);
	return stop;
}

static void *io_main(void *arg)
{
	struct iothread *t = arg;
	struct epoll_event ev[16];
	int n, i;

	for (;;) {
		n = epoll_wait(t->epfd, ev, ARRAY_SIZE(ev), -1);
		if (n < 0 && errno != EINTR) {
			pr_err("%s: epoll_wait: %s", t->name, strerror(errno));
			break;
		}
		for (i = 0; i < n; i++) {
			if (ev[i].data.u64 == WAKE_DATA) {
				if (io_stopping(t))
					return NULL;
				continue;
			}
			io_dispatch(t, &ev[i]);
		}
	}
	return NULL;
}

static int io_setup(struct iothread *t, const char *name)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = WAKE_DATA };
	int i;

	t->name = name;
	t->running = -1;
	t->epfd = epoll_create1(EPOLL_CLOEXEC);
	t->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	for (i = 0; i < IOTHREAD_MAX_WATCHES; i++)
		t->w[i].fd = -1;
	if (t->epfd < 0 || t->wakefd < 0 ||
	    epoll_ctl(t->epfd, EPOLL_CTL_ADD, t->wakefd, &ev))
		return -errno;
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->idle, NULL);
	return 0;
}

static void io_close(struct iothread *t)
{
	if (t->epfd >= 0)
		close(t->epfd);
	if (t->wakefd >= 0)
		close(t->wakefd);
	free(t);
}

int iothread_start(struct iothread **out, const char *name)
{
	struct iothread *t = calloc(1, sizeof(*t));
	int r;

	if (!t)
		return -ENOMEM;
	t->epfd = t->wakefd = -1;
	r = io_setup(t, name);
	if (!r)
		r = thread_create(&t->thread, THREAD_IO, io_main, t);
	if (r) {
		pr_err("%s: start I/O thread: %s", name, strerror(-r));
		io_close(t);
		return r;
	}
	pthread_setname_np(t->thread, "sevm-io");
	*out = t;
	return 0;
}

void iothread_stop(struct iothread *t)
{
	u64 one = 1;

	if (!t)
		return;
	pthread_mutex_lock(&t->lock);
	t->stop = true;
	pthread_mutex_unlock(&t->lock);
	if (write(t->wakefd, &one, sizeof(one)) != sizeof(one))
		pr_warn("%s: wake I/O thread: %s", t->name, strerror(errno));
	pthread_join(t->thread, NULL);
	pthread_mutex_destroy(&t->lock);
	pthread_cond_destroy(&t->idle);
	io_close(t);
}
