/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Console input: with --serial stdio, what is typed on (or piped into)
 * sevm's standard input reaches the guest's console devices: the 16550
 * UART and, once present, the virtio console. A thread reads the input
 * only while every sink has room, so a slow guest holds the input back
 * (nothing is dropped) instead of overrunning its receive queue.
 *
 * A terminal is switched to non-canonical, no-echo mode while the VM runs
 * (Ctrl-C still stops sevm) and restored at exit. sevm reads its terminal
 * only in the foreground: started in the background of a shell, it
 * leaves the terminal alone rather than being stopped by SIGTTIN. End of
 * input (or no stdin at all) just ends the input thread.
 */
#ifndef SEVM_DEVICES_CONSOLE_INPUT_H
#define SEVM_DEVICES_CONSOLE_INPUT_H

#include <pthread.h>
#include <termios.h>

#include "lib/util.h"

#define CONSOLE_INPUT_NAME	"console-input"
#define CONSOLE_INPUT_SINKS	4

struct console_sink {
	const char *name;
	size_t (*space)(void *opaque);		/* bytes it takes now */
	size_t (*push)(void *opaque, const u8 *buf, size_t len);
	void *opaque;
};

struct console_input {
	int fd;				/* the input (stdin) */
	int stop_fd;			/* eventfd: stop the thread */
	pthread_t thread;
	bool started;
	bool tty_saved;
	struct termios saved;
	pthread_mutex_t lock;		/* the sinks */
	struct console_sink sinks[CONSOLE_INPUT_SINKS];
	unsigned int nr_sinks;
	u64 bytes;			/* delivered so far */
};

/* Zero ci and set up its lock; then add sinks and start, in any order. */
void console_input_init_struct(struct console_input *ci);
/* Start reading fd (not owned) for the sinks added before or after. */
int console_input_start(struct console_input *ci, int fd) __must_check;
int console_input_add_sink(struct console_input *ci,
			   const struct console_sink *sink) __must_check;
/* Stop and join the thread; restores the terminal. */
void console_input_stop(struct console_input *ci);
/* Stop, then release what init_struct set up. */
void console_input_free(struct console_input *ci);

struct device_ops;
extern const struct device_ops console_input_ops;
struct vm;
/* The VM's console input, NULL without --serial stdio. */
struct console_input *console_input_get(struct vm *vm);

#endif /* SEVM_DEVICES_CONSOLE_INPUT_H */
