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
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#include "lib/log.h"
#include "vmm/qmp-internal.h"
#include "vmm/qmp-socket.h"

#define QMP_SEND_TIMEOUT_S	2
#define QMP_READ_CHUNK		4096

/* send() with MSG_NOSIGNAL: a client that vanished must not SIGPIPE us. */
static int send_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int client_send(struct qmp_client *c, struct json_object *obj)
{
	/* As QEMU: "/" unescaped (base64 carries it). */
	const char *s = json_object_to_json_string_ext(obj,
			JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t len = strlen(s);
	char *line = malloc(len + 2);
	int r;

	if (!line)
		return -ENOMEM;
	memcpy(line, s, len);
	memcpy(line + len, "\r\n", 2);	/* QEMU ends each message with CRLF */
	r = send_all(c->fd, line, len + 2);
	free(line);
	return r;
}

static void client_drop(struct qmp_server *qs, struct qmp_client *c)
{
	loop_del(qs->loop, c->fd);
	close(c->fd);
	if (c->tok)
		json_tokener_free(c->tok);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	pr_debug("qmp %s: client disconnected", qs->path);
}

static int client_reply_error(struct qmp_client *c, const char *desc)
{
	struct json_object *e = qmp_error_object(QMP_ERR_GENERIC, desc);
	int r = client_send(c, e);

	json_object_put(e);
	return r;
}

static int client_message(struct qmp_server *qs, struct qmp_client *c,
			  struct json_object *msg)
{
	struct json_object *reply = qmp_handle_message(qs, msg, &c->negotiated);
	int r = client_send(c, reply);

	json_object_put(reply);
	return r;
}

/* Skip an oversized message: everything up to and including a newline
 * (QMP clients send one message per line). Returns bytes consumed. */
static size_t client_discard(struct qmp_client *c, const char *buf,
			     size_t len)
{
	const char *nl = memchr(buf, '\n', len);

	if (!nl)
		return len;
	c->discard = false;
	return (size_t)(nl - buf) + 1;
}

/*
 * Parse what buf holds of the next message: *used bytes consumed, *msg the
 * complete message or NULL when more input is needed. Malformed input:
 * reply with an error and return 1, the caller drops the rest of buf.
 * Oversized input: reply, and skip to the end of its line (c->discard).
 */
static int client_parse(struct qmp_client *c, const char *buf, size_t len,
			size_t *used, struct json_object **msg)
{
	enum json_tokener_error jerr;
	char desc[160];

	*msg = json_tokener_parse_ex(c->tok, buf, (int)len);
	jerr = json_tokener_get_error(c->tok);
	*used = jerr == json_tokener_continue ? len :
		(size_t)json_tokener_get_parse_end(c->tok);
	c->pending += *used;
	if (jerr == json_tokener_continue && c->pending <= QMP_MAX_MESSAGE)
		return 0;
	json_tokener_reset(c->tok);
	c->pending = 0;
	if (jerr == json_tokener_success)
		return 0;
	if (jerr == json_tokener_continue) {
		c->discard = true;
		return client_reply_error(c, "JSON message too large");
	}
	snprintf(desc, sizeof(desc), "JSON parse error, %s",
		 json_tokener_error_desc(jerr));
	return client_reply_error(c, desc) ? -1 : 1;
}

static size_t skip_space(const char *buf, size_t len)
{
	size_t n = 0;

	while (n < len && strchr(" \n\r\t", buf[n]))
		n++;
	return n;
}

/* Feed bytes to the client's tokener; several messages may be in buf. */
static int client_feed(struct qmp_server *qs, struct qmp_client *c,
		       const char *buf, size_t len)
{
	while (len) {
		struct json_object *msg;
		size_t used;
		int r;

		if (c->discard) {
			used = client_discard(c, buf, len);
		} else {
			r = client_parse(c, buf, len, &used, &msg);
			if (r)
				return r < 0 ? r : 0;
			if (msg) {
				r = client_message(qs, c, msg);
				json_object_put(msg);
				if (r)
					return r;
			}
			used += skip_space(buf + used, len - used);
		}
		buf += used;
		len -= used;
	}
	return 0;
}

static int client_io(struct loop *loop, int fd, u32 events, void *opaque)
{
	struct qmp_server *qs = opaque;
	struct qmp_client *c = NULL;
	char buf[QMP_READ_CHUNK];

	for (unsigned int i = 0; i < QMP_MAX_CLIENTS; i++)
		if (qs->clients[i].fd == fd)
			c = &qs->clients[i];
	if (!c)
		return 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n <= 0 || client_feed(qs, c, buf, (size_t)n)) {
			client_drop(qs, c);
			return 0;
		}
	}
}

static int client_setup(struct qmp_server *qs, struct qmp_client *c, int fd)
{
	struct timeval tv = { .tv_sec = QMP_SEND_TIMEOUT_S };
	struct json_object *greeting;
	int r;

	/* Replies block for at most a bounded time; reads never block. */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	c->fd = fd;
	c->tok = json_tokener_new();
	if (!c->tok)
		return -ENOMEM;
	greeting = qmp_greeting();
	r = client_send(c, greeting);
	json_object_put(greeting);
	if (!r)
		r = loop_add(qs->loop, fd, EPOLLIN, client_io, qs);
	return r;
}

static int accept_client(struct loop *loop, int fd, u32 events, void *opaque)
{
	struct qmp_server *qs = opaque;
	int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (cfd < 0)
		return 0;
	for (unsigned int i = 0; i < QMP_MAX_CLIENTS; i++) {
		struct qmp_client *c = &qs->clients[i];

		if (c->fd >= 0)
			continue;
		if (client_setup(qs, c, cfd)) {
			if (c->tok)
				json_tokener_free(c->tok);
			memset(c, 0, sizeof(*c));
			c->fd = -1;
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
		.opaque = opaque };
	for (unsigned int i = 0; i < QMP_MAX_CLIENTS; i++)
		qs->clients[i].fd = -1;
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

		if (c->fd >= 0 && c->negotiated && client_send(c, ev))
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
	if (qs->path)
		qmp_socket_unlink(qs->path);
	free(qs->path);
	free(qs);
}
