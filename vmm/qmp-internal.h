/* SPDX-License-Identifier: GPL-2.0-only */
/* QMP: what vmm/qmp.c and vmm/qmp-server.c share. Not a public API. */
#ifndef SEVM_QMP_INTERNAL_H
#define SEVM_QMP_INTERNAL_H

#include "vmm/qmp.h"

struct json_tokener;

struct qmp_client {
	int fd;				/* -1: free slot */
	bool negotiated;
	struct json_tokener *tok;
	size_t pending;			/* bytes of the message being parsed */
	bool discard;			/* skipping an oversized message's
					 * rest, to the end of its line */
	bool recover;			/* after a malformed token: skipping
					 * to a structural character */
	char *out;			/* replies and events not yet sent */
	size_t out_len, out_cap;
	u64 out_since;			/* ms: queue filled or last progress */
	bool in_paused;			/* input left unread: out is long */
};

struct qmp_server {
	int listen_fd;
	char *path;
	struct loop *loop;
	const struct qmp_command *cmds;
	unsigned int nr_cmds;
	void *opaque;
	struct qmp_client clients[QMP_MAX_CLIENTS];
	int timer_fd;			/* stall checks, accept back-off */
	bool accept_paused;		/* EMFILE: listener out of the loop */
	u64 accept_resume;		/* ms when it goes back in */
};

/*
 * Output limits: input is left unread while more than QMP_OUT_HIGH bytes
 * wait for a client; a client whose queue passes QMP_MAX_OUTPUT (events
 * pile up too) or that reads nothing for QMP_SEND_TIMEOUT_MS while output
 * waits is dropped. docs/qmp.md "Limits".
 */
#define QMP_OUT_HIGH		(1U << 20)
#define QMP_MAX_OUTPUT		(16U << 20)
#define QMP_SEND_TIMEOUT_MS	2000
#define QMP_TICK_MS		250
#define QMP_ACCEPT_BACKOFF_MS	200

/* vmm/qmp-stream.c: one client's stream. */
u64 qmp_now_ms(void);
int qmp_client_init(struct qmp_client *c, int fd) __must_check;
void qmp_client_free(struct qmp_client *c);
/* Parse len bytes (at most one read), dispatch complete messages and
 * queue the replies. < 0: the client must be dropped (queue bound). */
int qmp_client_feed(struct qmp_server *qs, struct qmp_client *c,
		    const char *buf, size_t len) __must_check;
/* Queue one message (one line, CRLF). -ENOBUFS past QMP_MAX_OUTPUT. */
int qmp_client_queue(struct qmp_client *c, struct json_object *obj)
	__must_check;
/* Send what the socket takes now; < 0 on a socket error (not EAGAIN). */
int qmp_client_flush(struct qmp_client *c) __must_check;

struct json_object *qmp_error_object(enum qmp_error_class cls,
				     const char *desc);

#endif /* SEVM_QMP_INTERNAL_H */
