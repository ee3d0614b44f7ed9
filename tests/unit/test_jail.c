// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the process lock-down helpers: --user and --qmp-group
 * parsing (vmm/jail.c), --chroot's directory check, --pidfile (mode,
 * lock, live and stale pids, symlinks and hard links refused, removal;
 * vmm/jail-pidfile.c), the QMP socket (0600 under any umask, 0660 with a
 * group, stale sockets replaced, live ones and other files refused;
 * vmm/qmp-socket.c) and input files checked before reading
 * (vmm/input-check.c: FIFOs refused without blocking, size limits).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/util.h"
#include "vmm/input-check.h"
#include "vmm/jail.h"
#include "vmm/json-check.h"
#include "vmm/qmp-socket.h"

static char dir[64];

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/test_jail.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) ? -1 : 0;
}

static const char *in_dir(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
	return buf;
}

static void test_parse_user(void **state)
{
	uid_t u;
	gid_t g;

	assert_int_equal(jail_parse_user("1000:1001", &u, &g), 0);
	assert_int_equal(u, 1000);
	assert_int_equal(g, 1001);
	assert_int_equal(jail_parse_user("nobody", &u, &g), 0);
	assert_int_equal(u, 65534);
	assert_int_equal(jail_parse_user("65534", &u, &g), 0);
	assert_int_equal(u, 65534);
	assert_int_equal(jail_parse_user("root", &u, &g), -EINVAL);
	assert_int_equal(jail_parse_user("0:0", &u, &g), -EINVAL);
	assert_int_equal(jail_parse_user("1000:0", &u, &g), -EINVAL);
	assert_int_equal(jail_parse_user("1000:x", &u, &g), -EINVAL);
	assert_int_equal(jail_parse_user("-1:5", &u, &g), -EINVAL);
	assert_int_equal(jail_parse_user("no-such-user-here", &u, &g),
			 -EINVAL);
	assert_int_equal(jail_parse_user("4294967295:1", &u, &g), -EINVAL);
}

static void test_parse_group(void **state)
{
	gid_t g;

	assert_int_equal(jail_parse_group("42", &g), 0);
	assert_int_equal(g, 42);
	assert_int_equal(jail_parse_group("root", &g), 0);
	assert_int_equal(g, 0);
	assert_int_equal(jail_parse_group("no-such-group-here", &g), -EINVAL);
}

static void test_chroot_dir(void **state)
{
	char f[128], l[128];

	assert_int_equal(jail_check_chroot(dir), 0);
	assert_int_equal(symlink(dir, in_dir(l, sizeof(l), "link")), 0);
	assert_int_equal(jail_check_chroot(l), -EINVAL);
	assert_int_equal(close(creat(in_dir(f, sizeof(f), "file"), 0600)), 0);
	assert_int_equal(jail_check_chroot(f), -EINVAL);
	assert_int_equal(jail_check_chroot("/nonexistent/dir"), -EINVAL);
}

static pid_t read_pidfile(const char *path)
{
	char buf[32] = "";
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	return (pid_t)atoi(buf);
}

/* A second sevm (a child) finds the file locked. */
static int create_in_child(const char *path)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(-jail_pidfile_create(path));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return -WEXITSTATUS(status);
}

static void test_pidfile(void **state)
{
	char p[128];
	struct stat st;
	mode_t old = umask(077);

	in_dir(p, sizeof(p), "sevm.pid");
	assert_int_equal(jail_pidfile_create(p), 0);
	umask(old);
	assert_int_equal(read_pidfile(p), getpid());
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(create_in_child(p), -EBUSY);
	jail_pidfile_remove();
	assert_int_equal(access(p, F_OK), -1);
	jail_pidfile_remove();			/* twice is harmless */
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_pidfile_live_and_stale(void **state)
{
	char p[128], buf[32];
	int status;
	pid_t dead = fork();

	if (dead == 0)
		_exit(0);
	assert_int_equal(waitpid(dead, &status, 0), dead);
	in_dir(p, sizeof(p), "other.pid");
	write_text(p, "1\n");			/* init: alive */
	assert_int_equal(jail_pidfile_create(p), -EBUSY);
	assert_int_equal(read_pidfile(p), 1);	/* left alone */
	snprintf(buf, sizeof(buf), "%d\n", (int)dead);
	write_text(p, buf);			/* stale: taken over */
	assert_int_equal(jail_pidfile_create(p), 0);
	assert_int_equal(read_pidfile(p), getpid());
	jail_pidfile_remove();
	assert_int_equal(access(p, F_OK), -1);
}

static void test_pidfile_refuses_links(void **state)
{
	char p[128], victim[128], hard[128];

	in_dir(victim, sizeof(victim), "victim");
	write_text(victim, "precious\n");
	in_dir(p, sizeof(p), "planted.pid");
	assert_int_equal(symlink(victim, p), 0);
	assert_int_equal(jail_pidfile_create(p), -EINVAL);
	in_dir(hard, sizeof(hard), "hard.pid");
	assert_int_equal(link(victim, hard), 0);
	assert_int_equal(jail_pidfile_create(hard), -EINVAL);
	assert_int_equal(read_pidfile(victim), 0);	/* "precious" */
	assert_int_equal(jail_pidfile_create("/nonexistent/x.pid"), -ENOENT);
}

static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0), r;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	r = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	return r;
}

static void test_qmp_socket_mode(void **state)
{
	char p[128];
	struct stat st;
	mode_t old = umask(0);
	int fd;

	in_dir(p, sizeof(p), "qmp.sock");
	fd = qmp_socket_listen(p, 1);
	umask(old);
	assert_true(fd >= 0);
	assert_int_equal(lstat(p, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
	/* live: refused, left in place */
	assert_int_equal(qmp_socket_listen(p, 1), -EADDRINUSE);
	assert_int_equal(connect_to(p), 0);
	/* dead (listener closed): replaced */
	close(fd);
	fd = qmp_socket_listen(p, 1);
	assert_true(fd >= 0);
	assert_int_equal(connect_to(p), 0);
	close(fd);
	unlink(p);
}

static void test_qmp_socket_group(void **state)
{
	char p[128];
	struct stat st;
	int fd;

	in_dir(p, sizeof(p), "qmp-group.sock");
	qmp_socket_set_group(4242);
	fd = qmp_socket_listen(p, 1);
	qmp_socket_set_group((gid_t)-1);
	if (fd == -EPERM)
		skip();			/* not root: cannot chown */
	assert_true(fd >= 0);
	assert_int_equal(lstat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0660);
	assert_int_equal(st.st_gid, 4242);
	close(fd);
}

static void test_qmp_socket_not_a_socket(void **state)
{
	char p[128];

	in_dir(p, sizeof(p), "regular");
	write_text(p, "keep me\n");
	assert_int_equal(qmp_socket_listen(p, 1), -EEXIST);
	assert_int_equal(access(p, F_OK), 0);
}

static void test_input_fifo_and_size(void **state)
{
	char fifo[128], f[128];

	in_dir(fifo, sizeof(fifo), "fifo");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	/* Nobody writes to it: must return at once, not block. */
	assert_int_equal(input_check_file("--initrd", fifo, 0, false),
			 -EINVAL);
	assert_int_equal(input_check_file("--initrd", "/dev/null", 0, true),
			 -EINVAL);
	assert_int_equal(input_check_file("--initrd", dir, 0, false), -EINVAL);
	in_dir(f, sizeof(f), "big");
	write_text(f, "");
	assert_int_equal(truncate(f, 64 << 20), 0);	/* sparse */
	assert_int_equal(input_check_file("--initrd", f, 64 << 20, false), 0);
	assert_int_equal(truncate(f, (64 << 20) + 1), 0);
	assert_int_equal(input_check_file("--initrd", f, 64 << 20, false),
			 -EFBIG);
	assert_int_equal(input_check_file("--initrd", "/nonexistent", 0,
					  false), -ENOENT);
	assert_int_equal(input_check_file("--initrd", NULL, 0, false), 0);
}

static void test_read_file_fifo(void **state)
{
	char fifo[128];
	void *buf;
	size_t len;

	in_dir(fifo, sizeof(fifo), "fifo2");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(read_file_regular(fifo, &buf, &len, 100), -EINVAL);
	/* read_file: a FIFO without a writer is empty, open never blocks */
	assert_int_equal(read_file(fifo, &buf, &len, 100), 0);
	assert_int_equal(len, 0);
	free(buf);
}

static void test_json_strings(void **state)
{
	struct json_object *o;
	const char *why = NULL;

	assert_true(json_utf8_valid("abc", 3));
	assert_true(json_utf8_valid("\xc3\xa9\xf0\x9f\x98\x80", 6));
	assert_false(json_utf8_valid("\xc0\xaf", 2));		/* overlong */
	assert_false(json_utf8_valid("\xed\xa0\x80", 3));	/* surrogate */
	assert_false(json_utf8_valid("\xf4\x90\x80\x80", 4));	/* > 10FFFF */
	assert_false(json_utf8_valid("\xe2\x82", 2));		/* cut short */
	assert_false(json_utf8_valid("a\xff", 2));
	o = json_tokener_parse("{\"a\": [1, {\"b\": \"x\\u0000y\"}]}");
	assert_non_null(o);
	assert_int_equal(json_tree_check(o, &why, 0), -EINVAL);
	assert_string_equal(why, "contains \\u0000");
	json_object_put(o);
	o = json_tokener_parse("{\"id\": \"a\xff\"}");
	assert_non_null(o);
	assert_int_equal(json_tree_check(o, &why, 0), -EINVAL);
	assert_string_equal(why, "is not valid UTF-8");
	json_object_put(o);
	o = json_tokener_parse("{\"execute\": \"query-status\", \"id\": [\"\xc3\xa9\"]}");
	assert_int_equal(json_tree_check(o, &why, 0), 0);
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_user),
		cmocka_unit_test(test_parse_group),
		cmocka_unit_test(test_chroot_dir),
		cmocka_unit_test(test_pidfile),
		cmocka_unit_test(test_pidfile_live_and_stale),
		cmocka_unit_test(test_pidfile_refuses_links),
		cmocka_unit_test(test_qmp_socket_mode),
		cmocka_unit_test(test_qmp_socket_group),
		cmocka_unit_test(test_qmp_socket_not_a_socket),
		cmocka_unit_test(test_input_fifo_and_size),
		cmocka_unit_test(test_read_file_fifo),
		cmocka_unit_test(test_json_strings),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
