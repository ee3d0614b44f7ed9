// SPDX-License-Identifier: GPL-2.0-only
/*
 * Console input (console-input.h): one thread, poll() on the input and a
 * stop eventfd; a read only when the sinks have room, and never more
 * than the smallest room.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "devices/console-input.h"
#include "devices/device.h"
#include "devices/uart16550.h"
#include "lib/log.h"
#include "vmm/vm.h"

#define CONSOLE_POLL_FULL_MS	10	/* retry while every sink is full */

static size_t sinks_space(struct console_input *ci)
{
	size_t space = 4096, s;
	unsigned int i;

	pthread_mutex_lock(&ci->lock);
	for (i = 0; i < ci->nr_sinks; i++) {
		s = ci->sinks[i].space(ci->sinks[i].opaque);
		space = MIN(space, s);
	}
	if (!ci->nr_sinks)
		space = 0;
	pthread_mutex_unlock(&ci->lock);
	return space;
}

static void sinks_push(struct console_input *ci, const u8 *buf, size_t len)
{
	unsigned int i;

	pthread_mutex_lock(&ci->lock);
	for (i = 0; i < ci->nr_sinks; i++)
		ci->sinks[i].push(ci->sinks[i].opaque, buf, len);
	ci->bytes += len;
	pthread_mutex_unlock(&ci->lock);
}

/* 1: keep going, 0: end of input or stop, < 0: error. */
static int console_input_once(struct console_input *ci)
{
	struct pollfd p[2] = {
		{ .fd = ci->stop_fd, .events = POLLIN },
		{ .fd = ci->fd, .events = POLLIN },
	};
	size_t space = sinks_space(ci);
	u8 buf[4096];
	ssize_t n;

	if (poll(p, space ? 2 : 1, space ? -1 : CONSOLE_POLL_FULL_MS) < 0)
		return errno == EINTR ? 1 : -errno;
	if (p[0].revents)
		return 0;
	if (!space || !p[1].revents)
		return 1;
	if (p[1].revents & POLLNVAL)
		return 0;
	n = read(ci->fd, buf, MIN(space, sizeof(buf)));
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : -errno;
	if (!n)
		return 0;
	sinks_push(ci, buf, (size_t)n);
	return 1;
}

static void *console_input_thread(void *arg)
{
	struct console_input *ci = arg;
	int r;

	while ((r = console_input_once(ci)) > 0)
		;
	if (r < 0)
		pr_warn("console input: reading fd %d: %s; guest input ends here",
			ci->fd, strerror(-r));
	else
		pr_debug("console input: end of input after %llu bytes",
			 (unsigned long long)ci->bytes);
	return NULL;
}

/* Non-canonical, no echo; signals (Ctrl-C) still reach sevm. */
static void console_tty_raw(struct console_input *ci)
{
	struct termios t;

	if (!isatty(ci->fd) || tcgetattr(ci->fd, &ci->saved))
		return;
	t = ci->saved;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ECHONL | IEXTEN);
	t.c_iflag &= ~(tcflag_t)(ICRNL | IXON);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (!tcsetattr(ci->fd, TCSANOW, &t))
		ci->tty_saved = true;
}

void console_input_init_struct(struct console_input *ci)
{
	memset(ci, 0, sizeof(*ci));
	ci->fd = -1;
	ci->stop_fd = -1;
	pthread_mutex_init(&ci->lock, NULL);
}

int console_input_start(struct console_input *ci, int fd)
{
	int r;

	ci->fd = fd;
	ci->started = false;
	ci->tty_saved = false;
	ci->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (ci->stop_fd < 0) {
		r = -errno;
		pr_err("console input: eventfd: %s", strerror(-r));
		return r;
	}
	console_tty_raw(ci);
	r = thread_create(&ci->thread, THREAD_IO, console_input_thread,
			  ci);
	if (r) {
		pr_err("console input: start the thread: %s", strerror(-r));
		console_input_stop(ci);
		return r;
	}
	ci->started = true;
	return 0;
}

int console_input_add_sink(struct console_input *ci,
			   const struct console_sink *sink)
{
	int r = 0;

	pthread_mutex_lock(&ci->lock);
	if (ci->nr_sinks == CONSOLE_INPUT_SINKS)
		r = -ENOSPC;
	else
		ci->sinks[ci->nr_sinks++] = *sink;
	pthread_mutex_unlock(&ci->lock);
	if (r)
		pr_err("console input: add %s: more than %d consoles",
		       sink->name, CONSOLE_INPUT_SINKS);
	return r;
}

void console_input_stop(struct console_input *ci)
{
	u64 one = 1;

	if (ci->started) {
		if (write(ci->stop_fd, &one, sizeof(one)) < 0)
			pr_debug("console input: stop: %s", strerror(errno));
		pthread_join(ci->thread, NULL);
		ci->started = false;
	}
	if (ci->tty_saved)
		tcsetattr(ci->fd, TCSANOW, &ci->saved);
	ci->tty_saved = false;
	if (ci->stop_fd >= 0)
		close(ci->stop_fd);
	ci->stop_fd = -1;
}

void console_input_free(struct console_input *ci)
{
	console_input_stop(ci);
	pthread_mutex_destroy(&ci->lock);
}

/* ---- the device: stdin for --serial stdio, feeding the UART */

static size_t uart_sink_space(void *opaque)
{
	return uart16550_rx_space(opaque);
}

static size_t uart_sink_push(void *opaque, const u8 *buf, size_t len)
{
	return uart16550_rx_push(opaque, buf, len);
}

static bool console_input_present(const struct vm_config *cfg)
{
	return cfg->serial == SERIAL_STDIO;
}

/* A terminal we do not own the foreground of is left alone (SIGTTIN). */
static bool console_input_usable(int fd)
{
	if (fcntl(fd, F_GETFD) < 0)
		return false;
	return !isatty(fd) || tcgetpgrp(fd) == getpgrp();
}

static int console_input_init(struct vm *vm, void **priv)
{
	struct uart16550 *uart = uart16550_get(vm);
	struct console_sink sink = {
		.name = UART16550_NAME, .space = uart_sink_space,
		.push = uart_sink_push, .opaque = uart,
	};
	struct console_input *ci;
	int r;

	if (!console_input_usable(STDIN_FILENO)) {
		pr_debug("console input: stdin is closed or a background terminal: no guest input");
		return 0;
	}
	ci = calloc(1, sizeof(*ci));
	if (!ci)
		return -ENOMEM;
	console_input_init_struct(ci);
	r = uart ? console_input_add_sink(ci, &sink) : 0;
	r = r ?: console_input_start(ci, STDIN_FILENO);
	if (r) {
		console_input_free(ci);
		free(ci);
		return r;
	}
	*priv = ci;
	return 0;
}

static void console_input_exit(struct vm *vm, void *priv)
{
	if (!priv)
		return;
	console_input_free(priv);
	free(priv);
}

struct console_input *console_input_get(struct vm *vm)
{
	return devices_find(vm, CONSOLE_INPUT_NAME);
}

const struct device_ops console_input_ops = {
	.name = CONSOLE_INPUT_NAME,
	.present = console_input_present,
	.init = console_input_init,
	.exit = console_input_exit,
};
