// SPDX-License-Identifier: GPL-2.0-only
/*
 * QMP: the protocol step (envelope, negotiation, schema, errors) through
 * qmp_handle_message, and the socket server over a real Unix socket and
 * event loop (greeting, pipelined and partial messages, garbage, huge
 * input, abrupt disconnects, events).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "vmm/loop.h"
#include "vmm/qmp-internal.h"

static int echo_calls;

static int cmd_echo(void *opaque, struct json_object *args,
		    struct json_object **ret, struct qmp_error *err)
{
	struct json_object *v;

	echo_calls++;
	json_object_object_get_ex(args, "text", &v);
	*ret = json_object_new_object();
	json_object_object_add(*ret, "text", json_object_get(v));
	return 0;
}

static int cmd_fail(void *opaque, struct json_object *args,
		    struct json_object **ret, struct qmp_error *err)
{
	return qmp_fail(err, QMP_ERR_DEVICE_NOT_ACTIVE, "nope %d", 42);
}

static const struct qmp_command test_cmds[] = {
	{ "echo", cmd_echo, { { "text", QMP_ARG_STR },
			      { "n", QMP_ARG_INT, true },
			      { "flag", QMP_ARG_BOOL, true } } },
	{ "fail", cmd_fail, { { NULL } } },
};

static struct qmp_server test_qs = {
	.listen_fd = -1,
	.cmds = test_cmds,
	.nr_cmds = 2,
};

/* Run one message (JSON text) and return the reply as compact text. */
static char *step(const char *text, bool *negotiated)
{
	struct json_object *msg = json_tokener_parse(text);
	struct json_object *reply;
	char *s;

	assert_non_null(msg);
	reply = qmp_handle_message(&test_qs, msg, negotiated);
	s = strdup(json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PLAIN));
	json_object_put(reply);
	json_object_put(msg);
	return s;
}

#define expect_reply(text, neg, want) do {			\
	char *_r = step(text, neg);				\
	assert_string_equal(_r, want);				\
	free(_r);						\
} while (0)

static void test_negotiation(void **state)
{
	bool neg = false;

	expect_reply("{\"execute\":\"echo\",\"arguments\":{\"text\":\"x\"}}", &neg,
		     "{\"error\":{\"class\":\"CommandNotFound\",\"desc\":\"Expecting capabilities negotiation with 'qmp_capabilities'\"}}");
	assert_false(neg);
	expect_reply("{\"execute\":\"qmp_capabilities\",\"id\":7}", &neg,
		     "{\"return\":{},\"id\":7}");
	assert_true(neg);
	expect_reply("{\"execute\":\"qmp_capabilities\"}", &neg,
		     "{\"error\":{\"class\":\"CommandNotFound\",\"desc\":\"Capabilities negotiation is already complete, command ignored\"}}");
}

static void test_envelope_errors(void **state)
{
	bool neg = true;

	expect_reply("[1,2]", &neg,
		     "{\"error\":{\"class\":\"GenericError\",\"desc\":\"QMP input must be a JSON object\"}}");
	expect_reply("{\"arguments\":{}}", &neg,
		     "{\"error\":{\"class\":\"GenericError\",\"desc\":\"QMP input lacks member 'execute'\"}}");
	expect_reply("{\"execute\":5}", &neg,
		     "{\"error\":{\"class\":\"GenericError\",\"desc\":\"QMP input member 'execute' must be a string\"}}");
	expect_reply("{\"execute\":\"echo\",\"arguments\":[]}", &neg,
		     "{\"error\":{\"class\":\"GenericError\",\"desc\":\"QMP input member 'arguments' must be an object\"}}");
	expect_reply("{\"execute\":\"echo\",\"bogus\":1}", &neg,
		     "{\"error\":{\"class\":\"GenericError\",\"desc\":\"QMP input member 'bogus' is unexpected\"}}");
	expect_reply("{\"execute\":\"nosuch\",\"id\":\"a\"}", &neg,
		     "{\"error\":{\"class\":\"CommandNotFound\",\"desc\":\"The command nosuch has not been found\"},\"id\":\"a\"}");
}

static void test_arguments(void **state)
{
	bool neg = true;

	echo_calls = 0;
	expect_reply("{\"execute\":\"echo\",\"arguments\":{\"text\":\"hi\",\"n\":3}}",
		     &neg, "{\"return\":{\"text\":\"hi\"}}");
	assert_int_equal(echo_calls, 1);
	expect_reply("{\"execute\":\"echo\"}", &neg,
		     "{\"error\":{\"class\":\"GenericError\",\"desc\":\"Parameter 'text' is missing\"}}");
	expect_reply("{\"execute\":\"echo\",\"arguments\":{\"text\":1}}", &neg,
		     "{\"error\":{\"class\":\"GenericError\",\"desc\":\"Invalid parameter type for 'text', expected: string\"}}");
	expect_reply("{\"execute\":\"echo\",\"arguments\":{\"text\":\"a\",\"n\":\"3\"}}", &neg,
		     "{\"error\":{\"class\":\"GenericError\",\"desc\":\"Invalid parameter type for 'n', expected: integer\"}}");
	expect_reply("{\"execute\":\"echo\",\"arguments\":{\"text\":\"a\",\"flag\":1}}", &neg,
		     "{\"error\":{\"class\":\"GenericError\",\"desc\":\"Invalid parameter type for 'flag', expected: boolean\"}}");
	expect_reply("{\"execute\":\"echo\",\"arguments\":{\"text\":\"a\",\"zz\":1}}", &neg,
		     "{\"error\":{\"class\":\"GenericError\",\"desc\":\"Parameter 'zz' is unexpected\"}}");
	assert_int_equal(echo_calls, 1);	/* schema errors never reach it */
	expect_reply("{\"execute\":\"fail\"}", &neg,
		     "{\"error\":{\"class\":\"DeviceNotActive\",\"desc\":\"nope 42\"}}");
}

static void test_builtins(void **state)
{
	bool neg = true;
	char *r = step("{\"execute\":\"query-commands\"}", &neg);

	assert_non_null(strstr(r, "{\"name\":\"echo\"}"));
	assert_non_null(strstr(r, "{\"name\":\"qmp_capabilities\"}"));
	free(r);
	r = step("{\"execute\":\"query-version\"}", &neg);
	assert_non_null(strstr(r, "\"package\":\"sevm-"));
	free(r);
}

/* ---- socket level */

struct sock_fixture {
	char dir[64];
	char path[128];
	struct loop loop;
	struct qmp_server *qs;
};

static int sock_setup(void **state)
{
	struct sock_fixture *f = calloc(1, sizeof(*f));

	strcpy(f->dir, "/tmp/sevm-qmp-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/qmp.sock", f->dir);
	assert_int_equal(loop_init(&f->loop), 0);
	assert_int_equal(qmp_server_open(&f->qs, f->path, &f->loop, test_cmds,
					 2, NULL), 0);
	*state = f;
	return 0;
}

static int sock_teardown(void **state)
{
	struct sock_fixture *f = *state;

	qmp_server_close(f->qs);
	loop_free(&f->loop);
	assert_int_equal(access(f->path, F_OK), -1);	/* unlinked */
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Run the loop until nothing is pending (timer-free: stop when idle). */
static int stop_cb(struct loop *loop, int fd, u32 ev, void *o)
{
	char b[8];

	if (read(fd, b, sizeof(b)) < 0)
		return 0;
	loop_stop(loop, 0);
	return 0;
}

static void pump(struct sock_fixture *f)
{
	int p[2];

	/* A pipe that is readable at once: the loop handles everything
	 * already queued, then our callback stops it. */
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pipe(p), 0);
		assert_int_equal(write(p[1], "x", 1), 1);
		assert_int_equal(loop_add(&f->loop, p[0], 1 /* EPOLLIN */,
					  stop_cb, NULL), 0);
		loop_run(&f->loop);
		loop_del(&f->loop, p[0]);
		close(p[0]);
		close(p[1]);
	}
}

static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	strcpy(sa.sun_path, path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/* Read what has arrived (non-blocking) into buf; return its length. */
static size_t drain(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	ssize_t r;

	while ((r = recv(fd, buf + n, cap - 1 - n, MSG_DONTWAIT)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	return n;
}

static void test_socket_session(void **state)
{
	struct sock_fixture *f = *state;
	char buf[8192];
	int fd = connect_to(f->path);

	pump(f);
	drain(fd, buf, sizeof(buf));
	assert_non_null(strstr(buf, "{\"QMP\":{\"version\":"));
	assert_non_null(strstr(buf, "\r\n"));

	/* Two pipelined messages and a third split across writes. */
	const char *msgs = "{\"execute\":\"qmp_capabilities\"}\n"
			   "{\"execute\":\"echo\",\"arguments\":{\"text\":\"a\"}}"
			   "{\"execute\":\"ec";
	assert_int_equal(write(fd, msgs, strlen(msgs)), (ssize_t)strlen(msgs));
	pump(f);
	assert_int_equal(write(fd, "ho\",\"arguments\":{\"text\":\"b\"}}", 29), 29);
	pump(f);
	drain(fd, buf, sizeof(buf));
	assert_string_equal(buf, "{\"return\":{}}\r\n"
			    "{\"return\":{\"text\":\"a\"}}\r\n"
			    "{\"return\":{\"text\":\"b\"}}\r\n");

	/* Garbage gets a JSON error; the session goes on. */
	assert_int_equal(write(fd, "{]\n", 3), 3);
	pump(f);
	drain(fd, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\"class\":\"GenericError\""));
	assert_non_null(strstr(buf, "JSON parse error"));
	const char *again = "{\"execute\":\"echo\",\"arguments\":{\"text\":\"c\"}}";

	assert_int_equal(write(fd, again, strlen(again)), (ssize_t)strlen(again));
	pump(f);
	drain(fd, buf, sizeof(buf));
	assert_string_equal(buf, "{\"return\":{\"text\":\"c\"}}\r\n");

	/* Events reach negotiated clients, with a timestamp. */
	qmp_event(f->qs, "STOP", NULL);
	drain(fd, buf, sizeof(buf));
	assert_non_null(strstr(buf, "{\"event\":\"STOP\",\"data\":{},\"timestamp\":{\"seconds\":"));
	close(fd);
	pump(f);	/* the server notices the disconnect */
}

static void test_socket_abuse(void **state)
{
	struct sock_fixture *f = *state;
	size_t big = QMP_MAX_MESSAGE + 8192;
	char *huge = malloc(big);
	char buf[8192];
	int fd = connect_to(f->path), fd2;

	pump(f);
	drain(fd, buf, sizeof(buf));
	/* Un-negotiated client gets no events. */
	qmp_event(f->qs, "RESUME", NULL);
	assert_int_equal(drain(fd, buf, sizeof(buf)), 0);

	/* A huge unterminated string: error, not unbounded memory. */
	memset(huge, 'a', big);
	memcpy(huge, "{\"execute\":\"", 12);
	for (size_t off = 0; off < big;) {
		ssize_t n = send(fd, huge + off, MIN(big - off, 65536), MSG_DONTWAIT);

		if (n > 0)
			off += (size_t)n;
		pump(f);
		drain(fd, buf, sizeof(buf));
		if (strstr(buf, "too large"))
			break;
	}
	assert_non_null(strstr(buf, "JSON message too large"));
	free(huge);
	/* The rest of that line is skipped, not parsed as new input; the
	 * next line is a fresh message. */
	const char *tail = "aaaa\"}\n{\"execute\":\"qmp_capabilities\"}\n";

	assert_int_equal(write(fd, tail, strlen(tail)), (ssize_t)strlen(tail));
	pump(f);
	drain(fd, buf, sizeof(buf));
	assert_null(strstr(buf, "JSON parse error"));
	assert_non_null(strstr(buf, "{\"return\":{}}"));

	/* Abrupt disconnect mid-message; a new client still works. */
	assert_int_equal(write(fd, "{\"execute\":", 11), 11);
	close(fd);
	pump(f);
	fd2 = connect_to(f->path);
	pump(f);
	drain(fd2, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\"QMP\""));
	close(fd2);
	pump(f);
}

static void test_refuses_non_socket(void **state)
{
	char dir[] = "/tmp/sevm-qmp2-XXXXXX", path[64];
	struct qmp_server *qs;
	struct loop loop;
	FILE *fp;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/file", dir);
	fp = fopen(path, "w");
	fclose(fp);
	assert_int_equal(loop_init(&loop), 0);
	assert_int_equal(qmp_server_open(&qs, path, &loop, test_cmds, 2, NULL),
			 -EEXIST);
	assert_int_equal(access(path, F_OK), 0);	/* not deleted */
	loop_free(&loop);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_negotiation),
		cmocka_unit_test(test_envelope_errors),
		cmocka_unit_test(test_arguments),
		cmocka_unit_test(test_builtins),
		cmocka_unit_test_setup_teardown(test_socket_session, sock_setup,
						sock_teardown),
		cmocka_unit_test_setup_teardown(test_socket_abuse, sock_setup,
						sock_teardown),
		cmocka_unit_test(test_refuses_non_socket),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
