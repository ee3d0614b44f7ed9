// SPDX-License-Identifier: GPL-2.0-only
/*
 * QMP stream and output queue (vmm/qmp-stream.c, vmm/qmp-server.c) over a
 * real Unix socket and event loop: parse errors do not swallow the valid
 * commands after them; replies wait in a bounded queue for a client that
 * reads late (200 pipelined commands, a 900 KiB reply arrive whole); a
 * client that reads nothing for 2 s is dropped; accept() out of file
 * descriptors backs off instead of spinning.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "vmm/loop.h"
#include "vmm/qmp-internal.h"

static int cmd_echo(void *opaque, struct json_object *args,
		    struct json_object **ret, struct qmp_error *err)
{
	struct json_object *v;

	json_object_object_get_ex(args, "text", &v);
	*ret = json_object_new_object();
	json_object_object_add(*ret, "text", json_object_get(v));
	return 0;
}

static const struct qmp_command cmds[] = {
	{ "echo", cmd_echo, { { "text", QMP_ARG_STR } } },
};

struct fx {
	char dir[64];
	char path[128];
	struct loop loop;
	struct qmp_server *qs;
};

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	strcpy(f->dir, "/tmp/sevm-qmps-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/qmp.sock", f->dir);
	assert_int_equal(loop_init(&f->loop), 0);
	assert_int_equal(qmp_server_open(&f->qs, f->path, &f->loop, cmds, 1,
					 NULL), 0);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	qmp_server_close(f->qs);
	loop_free(&f->loop);
	rmdir(f->dir);
	free(f);
	return 0;
}

static int stop_cb(struct loop *loop, int fd, u32 ev, void *o)
{
	loop_stop(loop, 0);
	return 0;
}

/* One round of the loop: everything ready now is handled. The pipe is
 * made before the call so that it works at a low RLIMIT_NOFILE too. */
static void pump_with(struct fx *f, int p[2])
{
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(loop_add(&f->loop, p[0], EPOLLIN, stop_cb, NULL), 0);
	loop_run(&f->loop);
	loop_del(&f->loop, p[0]);
	{
		char b[8];

		assert_true(read(p[0], b, sizeof(b)) > 0);
	}
}

static void pump(struct fx *f)
{
	int p[2];

	assert_int_equal(pipe(p), 0);
	for (int i = 0; i < 3; i++)
		pump_with(f, p);
	close(p[0]);
	close(p[1]);
}

static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	strcpy(sa.sun_path, path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/* Append what has arrived to *buf (grown); returns false on EOF. */
static bool drain(int fd, char **buf, size_t *len)
{
	char tmp[65536];
	ssize_t r;

	while ((r = recv(fd, tmp, sizeof(tmp), MSG_DONTWAIT)) > 0) {
		*buf = realloc(*buf, *len + (size_t)r + 1);
		memcpy(*buf + *len, tmp, (size_t)r);
		*len += (size_t)r;
		(*buf)[*len] = '\0';
	}
	return r != 0;
}

static unsigned int count(const char *s, const char *what)
{
	unsigned int n = 0;

	while (s && (s = strstr(s, what))) {
		n++;
		s += strlen(what);
	}
	return n;
}

static int negotiated_client(struct fx *f)
{
	const char *n = "{\"execute\":\"qmp_capabilities\"}\n";
	int fd = connect_to(f->path);
	char *buf = NULL;
	size_t len = 0;

	pump(f);
	assert_int_equal(write(fd, n, strlen(n)), (ssize_t)strlen(n));
	pump(f);
	drain(fd, &buf, &len);
	assert_int_equal(count(buf, "{\"return\":{}}\r\n"), 1);
	free(buf);
	return fd;
}

static void test_parse_error_keeps_rest(void **state)
{
	struct fx *f = *state;
	const char *in = "{]\n"
			 "{\"execute\":\"echo\",\"arguments\":{\"text\":\"a\"}}\n"
			 "nonsense here {\"execute\":\"echo\"}\n"
			 "{\"execute\":\"echo\",\"arguments\":{\"text\":\"b\"}}\n";
	int fd = negotiated_client(f);
	char *buf = NULL;
	size_t len = 0;

	assert_int_equal(write(fd, in, strlen(in)), (ssize_t)strlen(in));
	pump(f);
	drain(fd, &buf, &len);
	/* One error per bad token, parsing starts over after it (at "{" in
	 * line 3, as QEMU's lexer recovers); every valid command is
	 * answered, in order. */
	assert_string_equal(buf,
		"{\"error\":{\"class\":\"GenericError\",\"desc\":\"JSON parse error, quoted object property name expected\"}}\r\n"
		"{\"return\":{\"text\":\"a\"}}\r\n"
		"{\"error\":{\"class\":\"GenericError\",\"desc\":\"JSON parse error, null expected\"}}\r\n"
		"{\"error\":{\"class\":\"GenericError\",\"desc\":\"Parameter 'text' is missing\"}}\r\n"
		"{\"return\":{\"text\":\"b\"}}\r\n");
	free(buf);
	buf = NULL;
	len = 0;
	/* Garbage without a newline: the next command still counts. */
	in = "{]}{\"execute\":\"echo\",\"arguments\":{\"text\":\"c\"}}";
	assert_int_equal(write(fd, in, strlen(in)), (ssize_t)strlen(in));
	pump(f);
	drain(fd, &buf, &len);
	assert_int_equal(count(buf, "JSON parse error"), 2);
	assert_non_null(strstr(buf, "\r\n{\"return\":{\"text\":\"c\"}}\r\n"));
	free(buf);
	close(fd);
	pump(f);
}

/* Send all of msg without blocking, pumping the server in between. */
static void send_pumped(struct fx *f, int fd, const char *msg, size_t len)
{
	for (size_t off = 0; off < len;) {
		ssize_t n = send(fd, msg + off, len - off, MSG_DONTWAIT);

		if (n > 0)
			off += (size_t)n;
		else
			assert_int_equal(errno, EAGAIN);
		pump(f);
	}
}

static void test_pipelined_read_late(void **state)
{
	struct fx *f = *state;
	size_t one = 3000, n = 200, len = 0, msglen;
	char *text = malloc(one), *msg = malloc(one + 64), *all;
	char *buf = NULL;
	int fd = negotiated_client(f);
	struct timespec late = { 0, 200 * 1000000L };

	memset(text, 'x', one - 1);
	text[one - 1] = '\0';
	msglen = (size_t)snprintf(msg, one + 64,
		"{\"execute\":\"echo\",\"arguments\":{\"text\":\"%s\"}}\n", text);
	all = malloc(msglen * n);
	for (size_t i = 0; i < n; i++)
		memcpy(all + i * msglen, msg, msglen);
	/* 600 KiB of replies: far more than the socket buffer holds. */
	send_pumped(f, fd, all, msglen * n);
	nanosleep(&late, NULL);
	pump(f);
	for (int i = 0; i < 200 && count(buf, "\r\n") < n; i++) {
		assert_true(drain(fd, &buf, &len));
		pump(f);
	}
	assert_int_equal(count(buf, "{\"return\":{\"text\":\"xxx"), n);
	assert_int_equal(count(buf, "\r\n"), n);
	assert_int_equal(len, n * (strlen("{\"return\":{\"text\":\"\"}}\r\n") +
				   one - 1));
	free(buf);
	free(all);
	free(msg);
	free(text);
	close(fd);
	pump(f);
}

static void test_huge_reply_whole(void **state)
{
	struct fx *f = *state;
	size_t idlen = 900 << 10, len = 0;
	char *msg = malloc(idlen + 128), *buf = NULL;
	int fd = negotiated_client(f), n;
	struct json_object *reply, *id;

	n = sprintf(msg, "{\"execute\":\"echo\",\"arguments\":{\"text\":\"t\"},\"id\":\"");
	memset(msg + n, 'i', idlen);
	strcpy(msg + n + idlen, "\"}\n");
	send_pumped(f, fd, msg, strlen(msg));
	for (int i = 0; i < 200 && !count(buf, "\r\n"); i++) {
		assert_true(drain(fd, &buf, &len));
		pump(f);
	}
	assert_int_equal(count(buf, "\r\n"), 1);
	assert_int_equal(memcmp(buf + len - 3, "}\r\n", 3), 0);
	reply = json_tokener_parse(buf);
	assert_non_null(reply);
	assert_true(json_object_object_get_ex(reply, "id", &id));
	assert_int_equal(json_object_get_string_len(id), idlen);
	json_object_put(reply);
	free(buf);
	free(msg);
	close(fd);
	pump(f);
}

static void test_stalled_reader_dropped(void **state)
{
	struct fx *f = *state;
	struct timespec t = { 0, 300 * 1000000L };
	const char *m = "{\"execute\":\"echo\",\"arguments\":{\"text\":\""
			"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
			"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
			"\"}}\n";
	int fd = negotiated_client(f), fd2 = negotiated_client(f);
	char *buf = NULL;
	size_t len = 0;
	int i;

	/* fd never reads: its replies fill the socket, then the queue. */
	for (i = 0; i < 100000 && !f->qs->clients[0].out_len; i++) {
		if (send(fd, m, strlen(m), MSG_DONTWAIT) < 0)
			assert_int_equal(errno, EAGAIN);
		if (i % 64 == 0)
			pump(f);
	}
	assert_true(f->qs->clients[0].out_len > 0);
	/* Still connected after 1.2 s... */
	for (i = 0; i < 4; i++) {
		nanosleep(&t, NULL);
		pump(f);
	}
	assert_true(f->qs->clients[0].fd >= 0);
	/* ... dropped after 2 s without reading; fd2 is served still. */
	for (i = 0; i < 5; i++) {
		nanosleep(&t, NULL);
		pump(f);
	}
	assert_int_equal(f->qs->clients[0].fd, -1);
	assert_int_equal(write(fd2, m, strlen(m)), (ssize_t)strlen(m));
	pump(f);
	drain(fd2, &buf, &len);
	assert_int_equal(count(buf, "{\"return\":{\"text\":\"yyy"), 1);
	free(buf);
	close(fd);
	close(fd2);
	pump(f);
}

/* A client that reads a little at a time is slow, not stalled. */
static void test_slow_reader_kept(void **state)
{
	struct fx *f = *state;
	struct timespec t = { 0, 250 * 1000000L };
	const char *m = "{\"execute\":\"echo\",\"arguments\":{\"text\":\""
			"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
			"\"}}\n";
	int fd = negotiated_client(f);
	char buf[2048];
	int i;

	for (i = 0; i < 100000 && !f->qs->clients[0].out_len; i++) {
		if (send(fd, m, strlen(m), MSG_DONTWAIT) < 0)
			assert_int_equal(errno, EAGAIN);
		if (i % 64 == 0)
			pump(f);
	}
	assert_true(f->qs->clients[0].out_len > 0);
	for (i = 0; i < 12; i++) {	/* 3 s, reading 2 KiB each time */
		nanosleep(&t, NULL);
		assert_true(recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0);
		pump(f);
	}
	assert_true(f->qs->clients[0].fd >= 0);
	close(fd);
	pump(f);
}

static bool listener_watched(struct fx *f)
{
	for (int i = 0; i < LOOP_MAX_WATCHES; i++)
		if (f->loop.watches[i].fd == f->qs->listen_fd)
			return true;
	return false;
}

static void test_accept_emfile_backs_off(void **state)
{
	struct fx *f = *state;
	struct timespec t = { 0, 300 * 1000000L };
	struct rlimit old, low;
	char *buf = NULL;
	size_t len = 0;
	int p[2], fd, lowest;

	assert_int_equal(pipe(p), 0);
	fd = connect_to(f->path);	/* waits in the backlog */
	lowest = dup(0);
	close(lowest);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = (rlim_t)lowest;	/* no new descriptor fits */
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	pump_with(f, p);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	assert_true(f->qs->accept_paused);
	assert_false(listener_watched(f));	/* no busy loop on accept */
	/* After the back-off the listener is back; the client is served. */
	nanosleep(&t, NULL);
	pump_with(f, p);
	pump_with(f, p);
	assert_false(f->qs->accept_paused);
	assert_true(listener_watched(f));
	pump(f);
	drain(fd, &buf, &len);
	assert_non_null(strstr(buf, "{\"QMP\":"));
	free(buf);
	close(fd);
	close(p[0]);
	close(p[1]);
	pump(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_parse_error_keeps_rest,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_pipelined_read_late,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_huge_reply_whole,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_stalled_reader_dropped,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_slow_reader_kept,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_accept_emfile_backs_off,
						fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
