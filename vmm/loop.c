// SPDX-License-Identifier: GPL-2.0-only
/*
 * The main thread's epoll loop. Each watched fd has a slot; the epoll
 * cookie carries the slot index and the fd, so an event that was queued
 * for a slot removed (or reused) by an earlier callback is ignored.
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "lib/log.h"
#include "vmm/loop.h"

#define LOOP_BATCH	8

int loop_init(struct loop *loop)
{
	unsigned int i;

	memset(loop, 0, sizeof(*loop));
	for (i = 0; i < LOOP_MAX_WATCHES; i++)
		loop->watches[i].fd = -1;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0) {
		int err = errno;

		pr_err("epoll_create1 for the main loop: %s", strerror(err));
		return -err;
	}
	return 0;
}

static struct loop_watch *loop_find(struct loop *loop, int fd)
{
	unsigned int i;

	for (i = 0; i < LOOP_MAX_WATCHES; i++)
		if (loop->watches[i].fd == fd)
			return &loop->watches[i];
	return NULL;
}

int loop_add(struct loop *loop, int fd, u32 events, loop_fn fn, void *opaque)
{
	struct epoll_event ev = { .events = events };
	struct loop_watch *w;
	int err;

	if (fd < 0 || !fn)
		return -EINVAL;
	if (loop_find(loop, fd))
		return -EEXIST;
	w = loop_find(loop, -1);
	if (!w) {
		pr_err("main loop: watch fd %d: more than %d watches", fd,
		       LOOP_MAX_WATCHES);
		return -ENOSPC;
	}
	ev.data.u64 = (u64)(w - loop->watches) << 32 | (u32)fd;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		err = errno;
		pr_err("main loop: epoll_ctl add fd %d: %s", fd, strerror(err));
		return -err;
	}
	*w = (struct loop_watch) { .fd = fd, .fn = fn, .opaque = opaque };
	return 0;
}

int loop_del(struct loop *loop, int fd)
{
	struct loop_watch *w = fd >= 0 ? loop_find(loop, fd) : NULL;

	if (!w)
		return -ENOENT;
	w->fd = -1;
	w->fn = NULL;
	w->opaque = NULL;
	/* The fd may already be closed, which removed it from the set. */
	if (epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL) < 0 &&
	    errno != EBADF && errno != ENOENT)
		return -errno;
	return 0;
}

static void loop_dispatch(struct loop *loop, const struct epoll_event *ev)
{
	unsigned int idx = (unsigned int)(ev->data.u64 >> 32);
	int fd = (int)(u32)ev->data.u64;
	struct loop_watch *w;
	int r;

	if (idx >= LOOP_MAX_WATCHES)
		return;
	w = &loop->watches[idx];
	if (w->fd != fd)
		return;		/* removed by an earlier callback */
	r = w->fn(loop, fd, ev->events, w->opaque);
	if (r < 0)
		loop_stop(loop, r);
}

int loop_run(struct loop *loop)
{
	struct epoll_event evs[LOOP_BATCH];
	int i, n;

	while (!loop->stop) {
		n = epoll_wait(loop->epfd, evs, LOOP_BATCH, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			n = -errno;
			pr_err("main loop: epoll_wait: %s", strerror(-n));
			loop_stop(loop, n);
			break;
		}
		for (i = 0; i < n && !loop->stop; i++)
			loop_dispatch(loop, &evs[i]);
	}
	loop->stop = false;
	return loop->result;
}

void loop_stop(struct loop *loop, int result)
{
	if (loop->stop)
		return;		/* the first result is kept */
	loop->stop = true;
	loop->result = result;
}

void loop_free(struct loop *loop)
{
	if (loop->epfd > 0)
		close(loop->epfd);
	loop->epfd = -1;
}
