/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The main thread's event loop (epoll): signals through a signalfd, the
 * VM's stop eventfd, and later control sockets register file descriptors
 * with a callback. vCPU threads never run callbacks.
 */
#ifndef SEVM_LOOP_H
#define SEVM_LOOP_H

#include "lib/util.h"

struct loop;
/* Called with the epoll events of fd. Return < 0 to stop the loop. */
typedef int (*loop_fn)(struct loop *loop, int fd, u32 events, void *opaque);

#define LOOP_MAX_WATCHES 64

struct loop_watch {
	int fd;
	loop_fn fn;
	void *opaque;
};

struct loop {
	int epfd;
	bool stop;
	int result;
	struct loop_watch watches[LOOP_MAX_WATCHES];
};

int loop_init(struct loop *loop) __must_check;
int loop_add(struct loop *loop, int fd, u32 events, loop_fn fn, void *opaque)
	__must_check;
int loop_del(struct loop *loop, int fd);
/* Run until loop_stop() or a callback returns < 0; returns the result. */
int loop_run(struct loop *loop);
void loop_stop(struct loop *loop, int result);
void loop_free(struct loop *loop);

#endif /* SEVM_LOOP_H */
