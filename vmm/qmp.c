// SPDX-License-Identifier: GPL-2.0-only
/*
 * QMP protocol: message validation, negotiation, dispatch and replies.
 * The socket side (accept, framing, events) is in vmm/qmp-server.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "vmm/json-check.h"
#include "vmm/qmp-internal.h"

static const char *const error_class_names[] = {
	[QMP_ERR_GENERIC]		= "GenericError",
	[QMP_ERR_COMMAND_NOT_FOUND]	= "CommandNotFound",
	[QMP_ERR_DEVICE_NOT_ACTIVE]	= "DeviceNotActive",
	[QMP_ERR_DEVICE_NOT_FOUND]	= "DeviceNotFound",
	[QMP_ERR_KVM_MISSING_CAP]	= "KVMMissingCap",
};

static const char *const arg_type_names[] = {
	[QMP_ARG_STR]	= "string",
	[QMP_ARG_INT]	= "integer",
	[QMP_ARG_BOOL]	= "boolean",
};

int qmp_fail(struct qmp_error *err, enum qmp_error_class cls,
	     const char *fmt, ...)
{
	va_list ap;

	err->cls = cls;
	va_start(ap, fmt);
	vsnprintf(err->desc, sizeof(err->desc), fmt, ap);
	va_end(ap);
	return -1;
}

struct json_object *qmp_greeting(void)
{
	struct json_object *ver = json_object_new_object();
	struct json_object *qemu = json_object_new_object();
	struct json_object *qmp = json_object_new_object();
	struct json_object *top = json_object_new_object();
	unsigned int major = 0, minor = 0, micro = 0;

	sscanf(SEVM_VERSION, "%u.%u.%u", &major, &minor, &micro);
	json_object_object_add(qemu, "major", json_object_new_int((int)major));
	json_object_object_add(qemu, "minor", json_object_new_int((int)minor));
	json_object_object_add(qemu, "micro", json_object_new_int((int)micro));
	json_object_object_add(ver, "qemu", qemu);
	json_object_object_add(ver, "package",
			       json_object_new_string("sevm-" SEVM_VERSION));
	json_object_object_add(qmp, "version", ver);
	json_object_object_add(qmp, "capabilities", json_object_new_array());
	json_object_object_add(top, "QMP", qmp);
	return top;
}

static struct json_object *error_reply(const struct qmp_error *err)
{
	struct json_object *e = json_object_new_object();
	struct json_object *top = json_object_new_object();

	json_object_object_add(e, "class",
			       json_object_new_string(error_class_names[err->cls]));
	json_object_object_add(e, "desc", json_object_new_string(err->desc));
	json_object_object_add(top, "error", e);
	return top;
}

static struct json_object *return_reply(struct json_object *ret)
{
	struct json_object *top = json_object_new_object();

	json_object_object_add(top, "return",
			       ret ? ret : json_object_new_object());
	return top;
}

static bool arg_type_ok(struct json_object *v, enum qmp_arg_type type)
{
	switch (type) {
	case QMP_ARG_STR:
		return json_object_is_type(v, json_type_string);
	case QMP_ARG_INT:
		return json_object_is_type(v, json_type_int);
	case QMP_ARG_BOOL:
		return json_object_is_type(v, json_type_boolean);
	}
	return false;
}

static const struct qmp_arg *find_arg(const struct qmp_command *cmd,
				      const char *name)
{
	for (const struct qmp_arg *a = cmd->args; a->name; a++)
		if (!strcmp(a->name, name))
			return a;
	return NULL;
}

/* Check args against the command's schema, as QAPI's visitors do. */
static int check_args(const struct qmp_command *cmd, struct json_object *args,
		      struct qmp_error *err)
{
	json_object_object_foreach(args, key, val) {
		const struct qmp_arg *a = find_arg(cmd, key);

		if (!a)
			return qmp_fail(err, QMP_ERR_GENERIC,
					"Parameter '%s' is unexpected", key);
		if (!arg_type_ok(val, a->type))
			return qmp_fail(err, QMP_ERR_GENERIC,
					"Invalid parameter type for '%s', expected: %s",
					key, arg_type_names[a->type]);
	}
	for (const struct qmp_arg *a = cmd->args; a->name; a++)
		if (!a->optional && !json_object_object_get_ex(args, a->name, NULL))
			return qmp_fail(err, QMP_ERR_GENERIC,
					"Parameter '%s' is missing", a->name);
	return 0;
}

/* The envelope: an object with "execute" (string), optional "arguments"
 * (object) and "id" (anything), nothing else. */
static int check_envelope(struct json_object *msg, const char **name,
			  struct json_object **args, struct qmp_error *err)
{
	struct json_object *exec;

	if (!json_object_is_type(msg, json_type_object))
		return qmp_fail(err, QMP_ERR_GENERIC,
				"QMP input must be a JSON object");
	json_object_object_foreach(msg, key, val) {
		(void)val;
		if (strcmp(key, "execute") && strcmp(key, "arguments") &&
		    strcmp(key, "id"))
			return qmp_fail(err, QMP_ERR_GENERIC,
					"QMP input member '%s' is unexpected", key);
	}
	if (!json_object_object_get_ex(msg, "execute", &exec))
		return qmp_fail(err, QMP_ERR_GENERIC,
				"QMP input lacks member 'execute'");
	if (!json_object_is_type(exec, json_type_string))
		return qmp_fail(err, QMP_ERR_GENERIC,
				"QMP input member 'execute' must be a string");
	*name = json_object_get_string(exec);
	if (json_object_object_get_ex(msg, "arguments", args) &&
	    !json_object_is_type(*args, json_type_object))
		return qmp_fail(err, QMP_ERR_GENERIC,
				"QMP input member 'arguments' must be an object");
	return 0;
}

static int cmd_query_commands(const struct qmp_server *qs,
			      struct json_object **ret)
{
	static const char *const builtin[] = {
		"qmp_capabilities", "query-commands", "query-version",
	};
	struct json_object *list = json_object_new_array();

	for (size_t i = 0; i < ARRAY_SIZE(builtin) + qs->nr_cmds; i++) {
		struct json_object *o = json_object_new_object();
		const char *n = i < ARRAY_SIZE(builtin) ? builtin[i] :
				qs->cmds[i - ARRAY_SIZE(builtin)].name;

		json_object_object_add(o, "name", json_object_new_string(n));
		json_object_array_add(list, o);
	}
	*ret = list;
	return 0;
}

/* Commands the protocol itself owns. Returns 1 if name is not one. */
static int run_builtin(struct qmp_server *qs, const char *name,
		       bool *negotiated, struct json_object **ret,
		       struct qmp_error *err)
{
	if (!strcmp(name, "qmp_capabilities")) {
		if (*negotiated)
			return qmp_fail(err, QMP_ERR_COMMAND_NOT_FOUND,
					"Capabilities negotiation is already complete, command ignored");
		*negotiated = true;
		return 0;
	}
	if (!*negotiated)
		return qmp_fail(err, QMP_ERR_COMMAND_NOT_FOUND,
				"Expecting capabilities negotiation with 'qmp_capabilities'");
	if (!strcmp(name, "query-commands"))
		return cmd_query_commands(qs, ret);
	if (!strcmp(name, "query-version")) {
		struct json_object *g = qmp_greeting(), *qmp, *ver;

		json_object_object_get_ex(g, "QMP", &qmp);
		json_object_object_get_ex(qmp, "version", &ver);
		*ret = json_object_get(ver);
		json_object_put(g);
		return 0;
	}
	return 1;
}

static int dispatch(struct qmp_server *qs, struct json_object *msg,
		    bool *negotiated, struct json_object **ret,
		    struct qmp_error *err)
{
	struct json_object *args = NULL, *empty = NULL;
	const char *name = NULL;
	int r;

	if (check_envelope(msg, &name, &args, err))
		return -1;
	r = run_builtin(qs, name, negotiated, ret, err);
	if (r <= 0)
		return r;
	for (unsigned int i = 0; i < qs->nr_cmds; i++) {
		if (strcmp(qs->cmds[i].name, name))
			continue;
		if (!args)
			args = empty = json_object_new_object();
		r = check_args(&qs->cmds[i], args, err);
		if (!r)
			r = qs->cmds[i].fn(qs->opaque, args, ret, err);
		json_object_put(empty);
		return r;
	}
	return qmp_fail(err, QMP_ERR_COMMAND_NOT_FOUND,
			"The command %s has not been found", name);
}

struct json_object *qmp_handle_message(struct qmp_server *qs,
				       struct json_object *msg,
				       bool *negotiated)
{
	struct json_object *ret = NULL, *reply, *id;
	struct qmp_error err = { 0 };
	const char *why;

	/* As QEMU, refuse the input whole, without echoing its id: a
	 * "\u0000" would cut a command name, invalid UTF-8 go out raw. */
	if (json_tree_check(msg, &why, 0)) {
		qmp_fail(&err, QMP_ERR_GENERIC, "QMP input: a string %s", why);
		return error_reply(&err);
	}
	if (dispatch(qs, msg, negotiated, &ret, &err))
		reply = error_reply(&err);
	else
		reply = return_reply(ret);
	if (json_object_is_type(msg, json_type_object) &&
	    json_object_object_get_ex(msg, "id", &id))
		json_object_object_add(reply, "id", json_object_get(id));
	return reply;
}

struct json_object *qmp_error_object(enum qmp_error_class cls,
				     const char *desc)
{
	struct qmp_error err = { .cls = cls };

	snprintf(err.desc, sizeof(err.desc), "%s", desc);
	return error_reply(&err);
}
