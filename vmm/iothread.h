/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The I/O thread: an epoll loop off the vCPU threads where devices
 * register file descriptors (the transport's ioeventfds, backend fds)
 * with a callback. Watches are added and removed from any thread; when
 * iothread_del returns, the callback is not running and will not run
 * again, so its opaque may be freed. Callbacks may add and remove
 * watches (their own included).
 */
#ifndef SEVM_IOTHREAD_H
#define SEVM_IOTHREAD_H

#include "lib/util.h"

#define IOTHREAD_MAX_WATCHES	128

struct iothread;
/* Called on the I/O thread with the epoll events of fd. */
typedef void (*iothread_fn)(int fd, u32 events, void *opaque);

int iothread_start(struct iothread **out, const char *name) __must_check;
/* -EEXIST if fd is watched, -ENOSPC if the table is full, or epoll's. */
int iothread_add(struct iothread *t, int fd, u32 events, iothread_fn fn,
		 void *opaque) __must_check;
/* -ENOENT if fd is not watched. */
int iothread_del(struct iothread *t, int fd);
/* Is the caller the I/O thread? */
bool iothread_current(const struct iothread *t);
/* Stop the loop, join the thread, free everything. NULL is fine. */
void iothread_stop(struct iothread *t);

#endif /* SEVM_IOTHREAD_H */
