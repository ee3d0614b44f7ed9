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
					 * rest, up to the end of its line */
};

struct qmp_server {
	int listen_fd;
	char *path;
	struct loop *loop;
	const struct qmp_command *cmds;
	unsigned int nr_cmds;
	void *opaque;
	struct qmp_client clients[QMP_MAX_CLIENTS];
};

struct json_object *qmp_error_object(enum qmp_error_class cls,
				     const char *desc);

#endif /* SEVM_QMP_INTERNAL_H */
