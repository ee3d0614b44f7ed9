// SPDX-License-Identifier: GPL-2.0-only
/*
 * The QMP input stream of one client (vmm/qmp-stream.c: framing, parse
 * errors, oversized messages) and the protocol step behind it (vmm/qmp.c:
 * negotiation, envelope, schema, dispatch) with a fake VM control table
 * (query-status, stop, cont, an echo of any argument type). The byte
 * stream is cut into reads of fuzzed sizes, as a socket delivers it.
 *
 * Checked: every queued message is one line ending in CRLF, with no LF
 * inside, braced like an object; every 16th and the last of a batch
 * parse as a JSON object; the queue never passes its bound.
 *
 * Input: [chunk seed] then the byte stream.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "tests/fuzz/fuzz.h"
#include "vmm/qmp-internal.h"

static bool running;

static int fake_status(void *opaque, struct json_object *args,
		       struct json_object **ret, struct qmp_error *err)
{
	*ret = json_object_new_object();
	json_object_object_add(*ret, "running",
			       json_object_new_boolean(running));
	json_object_object_add(*ret, "status", json_object_new_string(
				       running ? "running" : "paused"));
	return 0;
}

static int fake_stop(void *opaque, struct json_object *args,
		     struct json_object **ret, struct qmp_error *err)
{
	running = false;
	return 0;
}

static int fake_cont(void *opaque, struct json_object *args,
		     struct json_object **ret, struct qmp_error *err)
{
	if (running)
		return qmp_fail(err, QMP_ERR_GENERIC, "already running");
	running = true;
	return 0;
}

static int fake_echo(void *opaque, struct json_object *args,
		     struct json_object **ret, struct qmp_error *err)
{
	*ret = json_object_get(args);
	return 0;
}

static const struct qmp_command cmds[] = {
	{ "query-status", fake_status, { { NULL } } },
	{ "stop", fake_stop, { { NULL } } },
	{ "cont", fake_cont, { { NULL } } },
	{ "echo", fake_echo, { { "s", QMP_ARG_STR, true },
			       { "i", QMP_ARG_INT, true },
			       { "b", QMP_ARG_BOOL, true } } },
};

/* Check and empty the output queue, as a reading client would. */
static void check_out(struct qmp_client *c)
{
	size_t off = 0;
	unsigned int lines = 0;

	FUZZ_ASSERT(c->out_len <= QMP_MAX_OUTPUT);
	while (off < c->out_len) {
		const char *line = c->out + off;
		size_t left = c->out_len - off, n;
		const char *cr = memchr(line, '\r', left);
		struct json_object *o;
		char *text;

		FUZZ_ASSERT(cr && (size_t)(cr - line) + 1 < left &&
			    cr[1] == '\n');
		n = (size_t)(cr - line);
		FUZZ_ASSERT(!memchr(line, '\n', n));
		FUZZ_ASSERT(n >= 2 && line[0] == '{' && line[n - 1] == '}');
		off += n + 2;
		if (off != c->out_len && (lines++ & 15))
			continue;	/* every 16th line and the last: parsed */
		text = strndup(line, n);
		FUZZ_ASSERT(text);
		o = json_tokener_parse(text);
		free(text);
		FUZZ_ASSERT(o && json_object_is_type(o, json_type_object));
		json_object_put(o);
	}
	c->out_len = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qmp_server qs = { .listen_fd = -1, .timer_fd = -1,
				 .cmds = cmds, .nr_cmds = ARRAY_SIZE(cmds) };
	struct qmp_client c;
	u8 seed;

	if (size < 1)
		return 0;
	seed = data[0];
	data++;
	size--;
	running = false;
	FUZZ_ASSERT(!qmp_client_init(&c, -1));
	while (size) {
		size_t n = MIN(size, (size_t)1 + (seed * 37u + size) % 4096);

		if (qmp_client_feed(&qs, &c, (const char *)data, n))
			break;	/* dropped: only past the bound */
		check_out(&c);
		data += n;
		size -= n;
		seed = (u8)(seed * 5 + 3);
	}
	qmp_client_free(&c);
	return 0;
}
