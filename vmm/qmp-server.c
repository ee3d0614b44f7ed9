// SPDX-License-Identifier: GPL-2.0-only
/*
 * QMP server: the Unix socket, clients, framing of the JSON stream and
 * event broadcast. Runs on the main thread's loop only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#include "lib/log.h"
#include "vmm/qmp-internal.h"
#include "vmm/qmp-socket.h"

#define QMP_READ_CHUNK		4096

static void client_drop(struct qmp_server *qs, struct qmp_client *c)
{
	loop_del(qs->loop, c->fd);
	close(c->fd);
	qmp_client_free(c);
	pr_debug("qmp %s: client disconnected", qs->path);
}

static void timer_arm(struct qmp_server *qs, bool on)
{
	struct itimerspec its = { 0 };

	if (on) {
		its.it_interval.tv_nsec = QMP_TICK_MS * 1000000L;
		its.it_value = its.it_interval;
	}
	timerfd_settime(qs->timer_fd, 0, &its, NULL);
}

/* Queue obj for c and send what the socket takes. < 0: drop c. */
static int client_send(struct qmp_server *qs, struct qmp_client *c,
		       struct json_object *obj)
{
	int r = qmp_client_queue(c, obj);

	if (!r)
		r = qmp_client_flush(c);
	if (c->out_len)
		timer_arm(qs, true);	/* watch for a stalled reader */
	if (r == -ENOBUFS)
		pr_warn("qmp %s: dropping a client that does not read (more than %u bytes queued)",
			qs->path, QMP_MAX_OUTPUT);
	return r;
}

/* Read and handle input until EAGAIN, or until replies pile up
 * (QMP_OUT_HIGH): then input waits for the client to read. */
static int client_read(struct qmp_server *qs, struct qmp_client *c)
{
	char buf[QMP_READ_CHUNK];
	int r;

	while (c->out_len < QMP_OUT_HIGH) {
		ssize_t n = read(c->fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			c->in_paused = false;
			return 0;
		}
		if (n <= 0)
			return n ? -errno : -EPIPE;
		r = qmp_client_feed(qs, c, buf, (size_t)n);
		if (!r)
			r = qmp_client_flush(c);
		if (c->out_len)
			timer_arm(qs, true);	/* watch for a stall */
		if (r == -ENOBUFS)
			pr_warn("qmp %s: dropping a client that does not read (more than %u bytes queued)",
				qs->path, QMP_MAX_OUTPUT);
		if (r)
			return r;
	}
	c->in_paused = true;
	return 0;
}

static struct qmp_client *find_client(struct qmp_server *qs, int fd)
{
	for (unsigned int i = 0; i < QMP_MAX_CLIENTS; i++)
		if (qs->clients[i].fd == fd)
			return &qs->clients[i];
	return NULL;
}

/* Edge-triggered: every callback flushes, then reads what it may. */
static int client_io(struct loop *loop, int fd, u32 events, void *opaque)
{
	struct qmp_server *qs = opaque;
	struct qmp_client *c = find_client(qs, fd);
	int r;

	if (!c)
		return 0;
	r = qmp_client_flush(c);
	if (!r && (events & (EPOLLIN | EPOLLHUP | EPOLLERR) || c->in_paused))
		r = client_read(qs, c);
	if (r)
		client_drop(qs, c);
	return 0;
}

static int client_setup(struct qmp_server *qs, struct qmp_client *c, int fd)
{
	struct json_object *greeting;
	int r = qmp_client_init(c, fd);

	if (r)
		return r;
	greeting = qmp_greeting();
	r = client_send(qs, c, greeting);
	json_object_put(greeting);
	if (!r)
		r = loop_add(qs->loop, fd, EPOLLIN | EPOLLOUT | EPOLLET,
			     client_io, qs);
	return r;
}

static int accept_client(struct loop *loop, int fd, u32 events, void *opaque);

/* Out of file descriptors: take the listener out of the loop for a
 * while instead of spinning on a connection we cannot accept. */
static void accept_pause(struct qmp_server *qs, int err)
{
	pr_warn("qmp %s: accept: %s; not accepting clients for %d ms",
		qs->path, strerror(err), QMP_ACCEPT_BACKOFF_MS);
	loop_del(qs->loop, qs->listen_fd);
	qs->accept_paused = true;
	qs->accept_resume = qmp_now_ms() + QMP_ACCEPT_BACKOFF_MS;
	timer_arm(qs, true);
}

static void accept_resume(struct qmp_server *qs, u64 now)
{
	if (!qs->accept_paused || now < qs->accept_resume)
		return;
	if (loop_add(qs->loop, qs->listen_fd, EPOLLIN, accept_client, qs)) {
		qs->accept_resume = now + QMP_ACCEPT_BACKOFF_MS;
		return;
	}
	qs->accept_paused = false;
}

/* The periodic tick while output waits or accept is paused. */
static int server_tick(struct loop *loop, int fd, u32 events, void *opaque)
{
	struct qmp_server *qs = opaque;
	u64 expirations, now = qmp_now_ms();
	bool again = false;

	if (read(fd, &expirations, sizeof(expirations)) < 0 &&
	    errno != EAGAIN)
		return 0;
	for (unsigned int i = 0; i < QMP_MAX_CLIENTS; i++) {
		struct qmp_client *c = &qs->clients[i];

		if (c->fd < 0 || !c->out_len)
			continue;
		/* A slow reader may free too little space for an EPOLLOUT
		 * edge: what it did read counts as progress. */
		if (client_io(loop, c->fd, 0, qs) || c->fd < 0 || !c->out_len)
			continue;
		if (qmp_now_ms() - c->out_since >= QMP_SEND_TIMEOUT_MS) {
			pr_warn("qmp %s: dropping a client that has read nothing for %d ms",
				qs->path, QMP_SEND_TIMEOUT_MS);
			client_drop(qs, c);
			continue;
		}
		again = true;
	}
	accept_resume(qs, now);
	timer_arm(qs, again || qs->accept_paused);
	return 0;
}

static int accept_client(struct loop *loop, int fd, u32 events, void *opaque)
{
	struct qmp_server *qs = opaque;
	int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (cfd < 0) {
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM)
			accept_pause(qs, errno);
		return 0;
	}
	for (unsigned int i = 0; i < QMP_MAX_CLIENTS; i++) {
		struct qmp_client *c = &qs->clients[i];

		if (c->fd >= 0)
			continue;
		if (client_setup(qs, c, cfd)) {
			loop_del(qs->loop, cfd);
			qmp_client_free(c);
			close(cfd);
		}
		return 0;
	}
	pr_warn("qmp %s: refusing a client: %d already connected",
		qs->path, QMP_MAX_CLIENTS);
	close(cfd);
	return 0;
}

static int listen_socket(const char *path)
{
	return qmp_socket_listen(path, QMP_MAX_CLIENTS);
}

static int server_timer_open(struct qmp_server *qs)
{
	int r;

	qs->timer_fd = timerfd_create(CLOCK_MONOTONIC,
				      TFD_CLOEXEC | TFD_NONBLOCK);
	if (qs->timer_fd < 0) {
		r = -errno;
		pr_err("qmp %s: timerfd_create: %s", qs->path, strerror(-r));
		return r;
	}
	return loop_add(qs->loop, qs->timer_fd, EPOLLIN, server_tick, qs);
}

int qmp_server_open(struct qmp_server **qsp, const char *path,
		    struct loop *loop, const struct qmp_command *cmds,
		    unsigned int nr_cmds, void *opaque)
{
	struct qmp_server *qs = calloc(1, sizeof(*qs));
	int fd, r;

	if (!qs)
		return -ENOMEM;
	fd = listen_socket(path);
	if (fd < 0) {
		pr_err("qmp: cannot listen on %s: %s%s", path, strerror(-fd),
		       fd == -EEXIST ? " (exists and is not a socket)" :
		       fd == -EADDRINUSE ? " (a live socket: something listens on it)" : "");
		free(qs);
		return fd;
	}
	*qs = (struct qmp_server){ .listen_fd = fd, .path = strdup(path),
		.loop = loop, .cmds = cmds, .nr_cmds = nr_cmds,
		.opaque = opaque, .timer_fd = -1 };
	for (unsigned int i = 0; i < QMP_MAX_CLIENTS; i++)
		qs->clients[i].fd = -1;
	r = server_timer_open(qs);
	if (!r)
		r = loop_add(loop, fd, EPOLLIN, accept_client, qs);
	if (r) {
		qmp_server_close(qs);
		return r;
	}
	*qsp = qs;
	return 0;
}

void qmp_event(struct qmp_server *qs, const char *name,
	       struct json_object *data)
{
	struct json_object *ev = json_object_new_object();
	struct json_object *ts = json_object_new_object();
	struct timeval tv;

	gettimeofday(&tv, NULL);
	json_object_object_add(ev, "event", json_object_new_string(name));
	json_object_object_add(ev, "data",
			       data ? data : json_object_new_object());
	json_object_object_add(ts, "seconds", json_object_new_int64(tv.tv_sec));
	json_object_object_add(ts, "microseconds",
			       json_object_new_int64(tv.tv_usec));
	json_object_object_add(ev, "timestamp", ts);
	for (unsigned int i = 0; qs && i < QMP_MAX_CLIENTS; i++) {
		struct qmp_client *c = &qs->clients[i];

		if (c->fd >= 0 && c->negotiated && client_send(qs, c, ev))
			client_drop(qs, c);
	}
	json_object_put(ev);
}

void qmp_server_close(struct qmp_server *qs)
{
	if (!qs)
		return;
	for (unsigned int i = 0; i < QMP_MAX_CLIENTS; i++)
		if (qs->clients[i].fd >= 0)
			client_drop(qs, &qs->clients[i]);
	if (qs->listen_fd >= 0) {
		loop_del(qs->loop, qs->listen_fd);
		close(qs->listen_fd);
	}
	if (qs->timer_fd >= 0) {
		loop_del(qs->loop, qs->timer_fd);
		close(qs->timer_fd);
	}
	if (qs->path)
		qmp_socket_unlink(qs->path);
	free(qs->path);
	free(qs);
}
