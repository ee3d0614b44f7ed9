// SPDX-License-Identifier: GPL-2.0-only
/*
 * QMP stream of one client: framing of the JSON input (pipelined, split,
 * malformed or oversized messages) and the bounded output queue that
 * replies and events wait in until the client reads them. No socket
 * calls but send(); vmm/qmp-server.c owns accept, epoll and the timer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <json-c/json.h>

#include "lib/log.h"
#include "vmm/qmp-internal.h"

u64 qmp_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000 + (u64)ts.tv_nsec / 1000000;
}

/* Append one message and its CRLF. -ENOBUFS: the bound would be passed. */
static int out_append(struct qmp_client *c, const char *s, size_t len)
{
	size_t need = c->out_len + len + 2;

	if (need > QMP_MAX_OUTPUT)
		return -ENOBUFS;
	if (need > c->out_cap) {
		size_t cap = MAX(need, MIN(2 * c->out_cap,
					   (size_t)QMP_MAX_OUTPUT));
		char *p = realloc(c->out, cap);

		if (!p)
			return -ENOMEM;
		c->out = p;
		c->out_cap = cap;
	}
	if (!c->out_len)
		c->out_since = qmp_now_ms();	/* the stall clock starts */
	memcpy(c->out + c->out_len, s, len);
	memcpy(c->out + c->out_len + len, "\r\n", 2);	/* as QEMU */
	c->out_len += len + 2;
	return 0;
}

int qmp_client_queue(struct qmp_client *c, struct json_object *obj)
{
	/* As QEMU: "/" unescaped (base64 carries it). */
	const char *s = json_object_to_json_string_ext(obj,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);

	if (!s)
		return -ENOMEM;
	return out_append(c, s, strlen(s));
}

/* send() with MSG_NOSIGNAL (a client that vanished must not SIGPIPE us)
 * until the queue is empty or the socket is full. */
int qmp_client_flush(struct qmp_client *c)
{
	size_t done = 0;
	int r = 0;

	while (done < c->out_len) {
		ssize_t n = send(c->fd, c->out + done, c->out_len - done,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			if (errno != EAGAIN)
				r = -errno;
			break;
		}
		done += (size_t)n;
	}
	if (done) {
		memmove(c->out, c->out + done, c->out_len - done);
		c->out_len -= done;
		c->out_since = qmp_now_ms();	/* the client reads */
	}
	return r;
}

static int reply_error(struct qmp_client *c, const char *desc)
{
	struct json_object *e = qmp_error_object(QMP_ERR_GENERIC, desc);
	int r = qmp_client_queue(c, e);

	json_object_put(e);
	return r;
}

/* Skip to the end of the line: the rest of an oversized message.
 * Returns bytes consumed. */
static size_t skip_line(struct qmp_client *c, const char *buf, size_t len)
{
	const char *nl = memchr(buf, '\n', len);

	if (!nl)
		return len;
	c->discard = false;
	return (size_t)(nl - buf) + 1;
}

/* JSON's structural characters: where parsing can start over. */
static bool is_structural(char ch)
{
	return ch && strchr("{}[]:,", ch);
}

/*
 * After a malformed token, skip to a place where parsing can start over,
 * as QEMU's JSON lexer recovers: a structural character (kept) or a
 * control character such as a newline (dropped). Returns bytes consumed.
 */
static size_t skip_garbage(struct qmp_client *c, const char *buf, size_t len)
{
	size_t n;

	for (n = 0; n < len; n++) {
		unsigned char ch = (unsigned char)buf[n];

		if (is_structural((char)ch) || ch >= 0xfe) {
			c->recover = false;
			return n;
		}
		if (ch < 0x20 && ch != '\t') {
			c->recover = false;
			return n + 1;
		}
	}
	return len;
}

static int parse_error(struct qmp_client *c, const char *buf, size_t len,
		       size_t *used, enum json_tokener_error jerr)
{
	char desc[160];

	/* The byte the tokener stopped at is consumed; a structural one
	 * ends the broken message, anything else starts recovery. */
	if (*used < len && !is_structural(buf[*used]))
		c->recover = true;
	*used = MIN(*used + 1, len);
	snprintf(desc, sizeof(desc), "JSON parse error, %s",
		 json_tokener_error_desc(jerr));
	return reply_error(c, desc);
}

/*
 * Parse what buf holds of the next message: *used bytes consumed, *msg the
 * complete message or NULL when more input is needed. Malformed input
 * gets an error reply and parsing starts over after it; oversized input
 * too, at the next line (c->discard).
 */
static int parse_step(struct qmp_client *c, const char *buf, size_t len,
		      size_t *used, struct json_object **msg)
{
	enum json_tokener_error jerr;

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
		return reply_error(c, "JSON message too large");
	}
	return parse_error(c, buf, len, used, jerr);
}

static size_t skip_space(const char *buf, size_t len)
{
	size_t n = 0;

	while (n < len && memchr(" \n\r\t", buf[n], 4))
		n++;
	return n;
}

static int handle(struct qmp_server *qs, struct qmp_client *c,
		  struct json_object *msg)
{
	struct json_object *reply = qmp_handle_message(qs, msg, &c->negotiated);
	int r = qmp_client_queue(c, reply);

	json_object_put(reply);
	return r;
}

int qmp_client_feed(struct qmp_server *qs, struct qmp_client *c,
		    const char *buf, size_t len)
{
	if (len > QMP_MAX_MESSAGE)
		return -EINVAL;	/* callers feed at most one read */
	while (len) {
		struct json_object *msg = NULL;
		size_t used;
		int r = 0;

		if (c->discard) {
			used = skip_line(c, buf, len);
		} else if (c->recover) {
			used = skip_garbage(c, buf, len);
		} else {
			r = parse_step(c, buf, len, &used, &msg);
			if (!r && msg)
				r = handle(qs, c, msg);
			json_object_put(msg);
			if (!used)
				used = 1;	/* always make progress */
			if (!c->discard && !c->recover)
				used += skip_space(buf + used, len - used);
		}
		if (r)
			return r;
		buf += used;
		len -= used;
	}
	return 0;
}

int qmp_client_init(struct qmp_client *c, int fd)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->tok = json_tokener_new();
	return c->tok ? 0 : -ENOMEM;
}

void qmp_client_free(struct qmp_client *c)
{
	if (c->tok)
		json_tokener_free(c->tok);
	free(c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}
