/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * QMP server on a Unix socket (--qmp PATH): the QEMU Machine Protocol as
 * orchestrators speak it -- greeting, capabilities negotiation,
 * {"execute", "arguments", "id"} commands answered with {"return"} or
 * {"error": {"class", "desc"}}, and asynchronous events with timestamps.
 *
 * This module is the protocol only. The commands come from a table the
 * caller provides (vmm/control.c maps them onto the VM and the SEV launch).
 * Every client runs on the main thread's event loop; malformed, huge or
 * partial input, unknown commands and abrupt disconnects produce QMP
 * errors or drop that client, never the VM.
 */
#ifndef SEVM_QMP_H
#define SEVM_QMP_H

#include "vmm/loop.h"
#include "lib/util.h"

struct json_object;
struct qmp_server;

#define QMP_MAX_CLIENTS		8
#define QMP_MAX_MESSAGE		(1U << 20)	/* bytes in one command */

/* QAPI error classes. */
enum qmp_error_class {
	QMP_ERR_GENERIC,		/* "GenericError" */
	QMP_ERR_COMMAND_NOT_FOUND,	/* "CommandNotFound" */
	QMP_ERR_DEVICE_NOT_ACTIVE,	/* "DeviceNotActive" */
	QMP_ERR_DEVICE_NOT_FOUND,	/* "DeviceNotFound" */
	QMP_ERR_KVM_MISSING_CAP,	/* "KVMMissingCap" */
};

struct qmp_error {
	enum qmp_error_class cls;
	char desc[256];
};

/* Fill err and return -1; for handlers: return qmp_fail(err, ...). */
int qmp_fail(struct qmp_error *err, enum qmp_error_class cls,
	     const char *fmt, ...) __printf(3, 4);

/*
 * A command handler. args is the "arguments" object (never NULL: an empty
 * object when absent). On success return 0 and set *ret (NULL means {}).
 * On failure return -1 with err filled (qmp_fail).
 */
typedef int (*qmp_cmd_fn)(void *opaque, struct json_object *args,
			  struct json_object **ret, struct qmp_error *err);

/* Argument types for the schema check done before a handler runs. */
enum qmp_arg_type { QMP_ARG_STR, QMP_ARG_INT, QMP_ARG_BOOL };

struct qmp_arg {
	const char *name;
	enum qmp_arg_type type;
	bool optional;
};

#define QMP_MAX_ARGS 4

struct qmp_command {
	const char *name;
	qmp_cmd_fn fn;
	struct qmp_arg args[QMP_MAX_ARGS];	/* terminated by name NULL */
};

/* Create the socket at path (an existing socket file is replaced). */
int qmp_server_open(struct qmp_server **qs, const char *path,
		    struct loop *loop, const struct qmp_command *cmds,
		    unsigned int nr_cmds, void *opaque) __must_check;
/* Broadcast an event to every negotiated client; data may be NULL ({}). */
void qmp_event(struct qmp_server *qs, const char *name,
	       struct json_object *data);
/* Close every client and the socket, and unlink the path. */
void qmp_server_close(struct qmp_server *qs);

/*
 * One protocol step, for unit tests and the server: handle one parsed
 * message from a client, producing the reply object (caller puts it).
 * negotiated is the client's state (updated by qmp_capabilities).
 */
struct json_object *qmp_handle_message(struct qmp_server *qs,
				       struct json_object *msg,
				       bool *negotiated);
/* The greeting object sent on connect. */
struct json_object *qmp_greeting(void);

#endif /* SEVM_QMP_H */
