// SPDX-License-Identifier: GPL-2.0-only
/* lib/util.c and lib/log.c: parsing, encodings, file I/O, the clock. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/log.h"
#include "lib/util.h"

static void test_parse_size(void **state)
{
	static const struct { const char *s; u64 v; } good[] = {
		{ "0", 0 }, { "4096", 4096 }, { "0x1000", 4096 },
		{ "16M", 16ULL << 20 }, { "2G", 2ULL << 30 }, { "2g", 2ULL << 30 },
		{ "1T", 1ULL << 40 }, { "512K", 512ULL << 10 },
		{ "256MiB", 256ULL << 20 }, { "1GB", 1ULL << 30 },
	};
	static const char *const bad[] = {
		"", "M", "-1", "12Q", "1.5G", "2 G", "2GG", " 2G", "0x", "1Gx",
	};
	u64 v;

	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		assert_int_equal(parse_size(good[i].s, &v), 0);
		assert_int_equal(v, good[i].v);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		v = 77;
		assert_int_not_equal(parse_size(bad[i], &v), 0);
		assert_int_equal(v, 77);
	}
	assert_int_equal(parse_size("99999999999999T", &v), -ERANGE);
	assert_int_equal(parse_size(NULL, &v), -EINVAL);
}

static void test_parse_numbers(void **state)
{
	u64 v;
	u32 h;

	assert_int_equal(parse_u64("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(parse_u64("18446744073709551616", &v), -ERANGE);
	assert_int_equal(parse_u64("0x33", &v), 0);
	assert_int_equal(v, 0x33);
	assert_int_equal(parse_u64("12a", &v), -EINVAL);
	assert_int_equal(parse_u64("-1", &v), -EINVAL);
	assert_int_equal(parse_u64("", &v), -EINVAL);

	assert_int_equal(parse_hex_u32("33", &h), 0);
	assert_int_equal(h, 0x33);
	assert_int_equal(parse_hex_u32("0x0037", &h), 0);
	assert_int_equal(h, 0x37);
	assert_int_equal(parse_hex_u32("ffffffff", &h), 0);
	assert_int_equal(parse_hex_u32("100000000", &h), -ERANGE);
	assert_int_equal(parse_hex_u32("xyz", &h), -EINVAL);
	assert_int_equal(parse_hex_u32("3g", &h), -EINVAL);
}

static void test_base64(void **state)
{
	static const char *const vec[][2] = {	/* RFC 4648 section 10 */
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" },
		{ "foobar", "Zm9vYmFy" },
	};
	u8 *out;
	size_t len;

	for (size_t i = 0; i < ARRAY_SIZE(vec); i++) {
		char *e = base64_encode(vec[i][0], strlen(vec[i][0]));

		assert_string_equal(e, vec[i][1]);
		free(e);
		assert_int_equal(base64_decode(vec[i][1], &out, &len), 0);
		assert_int_equal(len, strlen(vec[i][0]));
		assert_memory_equal(out, vec[i][0], len);
		free(out);
	}
	assert_int_equal(base64_decode("  Zm9v\n", &out, &len), 0);
	assert_int_equal(len, 3);
	free(out);
	assert_int_equal(base64_decode("Zm9", &out, &len), -EINVAL);
	assert_int_equal(base64_decode("Zm9*", &out, &len), -EINVAL);
	assert_int_equal(base64_decode("Z=9v", &out, &len), -EINVAL);
	/* fuzz_b64file: '=' before the last character was accepted */
	assert_int_equal(base64_decode("AAECDw=w", &out, &len), -EINVAL);
	assert_int_equal(base64_decode("Zm=v", &out, &len), -EINVAL);
	assert_int_equal(base64_decode("====", &out, &len), -EINVAL);
}

static void test_hex(void **state)
{
	const u8 in[] = { 0x00, 0x1f, 0xab, 0xff };
	char s[9];
	u8 out[4];

	hex_encode(in, sizeof(in), s);
	assert_string_equal(s, "001fabff");
	assert_int_equal(hex_decode("001FABff", out, 4), 0);
	assert_memory_equal(out, in, 4);
	assert_int_equal(hex_decode("0x001fabff", out, 4), 0);
	assert_int_equal(hex_decode("001fab", out, 4), -EINVAL);
	assert_int_equal(hex_decode("001fabfg", out, 4), -EINVAL);
}

static char tmpdir[64];

static int dir_setup(void **state)
{
	strcpy(tmpdir, "/tmp/sevm-util-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int dir_teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd);
}

static void test_files(void **state)
{
	char path[128], junk[128];
	struct stat st;
	void *buf;
	size_t len;

	snprintf(path, sizeof(path), "%s/f", tmpdir);
	assert_int_equal(write_file_atomic(path, "hello", 5, 0600), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(read_file(path, &buf, &len, 5), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(buf, "hello", 5);
	free(buf);
	assert_int_equal(read_file(path, &buf, &len, 4), -EFBIG);
	assert_int_equal(read_file(tmpdir, &buf, &len, 4), -EISDIR);
	snprintf(junk, sizeof(junk), "%s/nope", tmpdir);
	assert_int_equal(read_file(junk, &buf, &len, 4), -ENOENT);
	/* Replaced atomically: no temporary file is left behind. */
	assert_int_equal(write_file_atomic(path, "bye", 3, 0644), 0);
	assert_int_equal(read_file(path, &buf, &len, 100), 0);
	assert_int_equal(len, 3);
	free(buf);
	snprintf(junk, sizeof(junk), "%s/none/f", tmpdir);
	assert_int_equal(write_file_atomic(junk, "x", 1, 0600), -ENOENT);
}

/*
 * Symlinks planted where an old version put its temporary file
 * (PATH.tmp.<pid>, for this and the next pids) must not be followed: the
 * victim keeps its bytes and mode, and the target gets the new file.
 */
static void test_atomic_no_symlink_follow(void **state)
{
	char path[128], victim[128], link[160];
	struct stat st;
	void *buf;
	size_t len;
	int i, fd;

	snprintf(path, sizeof(path), "%s/report.json", tmpdir);
	snprintf(victim, sizeof(victim), "%s/victim", tmpdir);
	fd = open(victim, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "precious", 8), 8);
	close(fd);
	for (i = 0; i < 8; i++) {
		snprintf(link, sizeof(link), "%s.tmp.%d", path, (int)getpid() + i);
		assert_int_equal(symlink(victim, link), 0);
	}
	assert_int_equal(write_file_atomic(path, "secret key", 10, 0600), 0);
	assert_int_equal(read_file(victim, &buf, &len, 100), 0);
	assert_int_equal(len, 8);
	assert_memory_equal(buf, "precious", 8);
	free(buf);
	assert_int_equal(stat(victim, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	/* A symlink at the target itself is replaced, not written through. */
	unlink(path);
	assert_int_equal(symlink(victim, path), 0);
	assert_int_equal(write_file_atomic(path, "new", 3, 0644), 0);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(read_file(victim, &buf, &len, 100), 0);
	assert_memory_equal(buf, "precious", 8);
	free(buf);
	for (i = 0; i < 8; i++) {
		snprintf(link, sizeof(link), "%s.tmp.%d", path, (int)getpid() + i);
		unlink(link);
	}
	unlink(path);
	unlink(victim);
}

/*
 * Report outputs: a regular file or none is replaced atomically, a FIFO
 * and a character device are written through (also behind a symlink),
 * anything else is refused and left alone.
 */
static void test_output_targets(void **state)
{
	char path[128], fifo[128], link[128], dir[128], victim[128];
	char got[16] = { 0 };
	struct stat st;
	void *buf;
	size_t len;
	int rd;

	snprintf(path, sizeof(path), "%s/report", tmpdir);
	assert_int_equal(write_file_output(path, "one", 3, 0644), 0);
	assert_int_equal(write_file_output(path, "two", 3, 0644), 0);
	assert_int_equal(read_file(path, &buf, &len, 16), 0);
	assert_memory_equal(buf, "two", 3);
	free(buf);
	/* a FIFO with a reader gets the bytes; without one: -ENXIO */
	snprintf(fifo, sizeof(fifo), "%s/fifo", tmpdir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(write_file_output(fifo, "x", 1, 0644), -ENXIO);
	rd = open(fifo, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);
	snprintf(link, sizeof(link), "%s/to-fifo", tmpdir);
	assert_int_equal(symlink(fifo, link), 0);
	assert_int_equal(write_file_output(link, "piped", 5, 0644), 0);
	assert_int_equal(read(rd, got, sizeof(got)), 5);
	assert_memory_equal(got, "piped", 5);
	close(rd);
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));	/* not replaced by a file */
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	/* a character device */
	assert_int_equal(write_file_output("/dev/null", "x", 1, 0644), 0);
	/* refused: a directory, a symlink to a regular file, a dangling one */
	snprintf(dir, sizeof(dir), "%s/dir", tmpdir);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(write_file_output(dir, "x", 1, 0644), -EPERM);
	snprintf(victim, sizeof(victim), "%s/to-report", tmpdir);
	assert_int_equal(symlink(path, victim), 0);
	assert_int_equal(write_file_output(victim, "evil", 4, 0644), -EPERM);
	assert_int_equal(read_file(path, &buf, &len, 16), 0);
	assert_memory_equal(buf, "two", 3);
	free(buf);
	unlink(victim);
	assert_int_equal(symlink("/nonexistent-sevm", victim), 0);
	assert_int_equal(write_file_output(victim, "x", 1, 0644), -EPERM);
	unlink(victim);
	unlink(link);
	unlink(fifo);
	rmdir(dir);
	unlink(path);
}

static void test_read_pipe(void **state)
{
	char path[64];
	void *buf;
	size_t len;
	int p[2];

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "{\"cpus\": 2}", 11), 11);
	close(p[1]);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	assert_int_equal(read_file(path, &buf, &len, 100), 0);
	assert_int_equal(len, 11);
	assert_memory_equal(buf, "{\"cpus\": 2}", 11);
	free(buf);
	close(p[0]);

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "0123456789", 10), 10);
	close(p[1]);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	assert_int_equal(read_file(path, &buf, &len, 9), -EFBIG);
	close(p[0]);
}

static void test_binary_or_base64(void **state)
{
	const u8 bin[4] = { 0x00, 0xff, 'A', '\n' };
	char path[128];
	size_t len;
	u8 *buf;

	snprintf(path, sizeof(path), "%s/blob", tmpdir);
	/* Binary stays binary (a NUL or a non-alphabet byte). */
	assert_int_equal(write_file_atomic(path, bin, 4, 0600), 0);
	assert_int_equal(read_file_binary_or_base64(path, &buf, &len, 64), 0);
	assert_int_equal(len, 4);
	assert_memory_equal(buf, bin, 4);
	free(buf);
	/* base64 text with line breaks decodes. */
	assert_int_equal(write_file_atomic(path, "Zm9v\nYmFy\n", 10, 0600), 0);
	assert_int_equal(read_file_binary_or_base64(path, &buf, &len, 64), 0);
	assert_int_equal(len, 6);
	assert_memory_equal(buf, "foobar", 6);
	free(buf);
	/* Text that is not valid base64 is refused, not taken as binary. */
	assert_int_equal(write_file_atomic(path, "Zm9vY", 5, 0600), 0);
	assert_int_equal(read_file_binary_or_base64(path, &buf, &len, 64),
			 -EBADMSG);
	assert_int_equal(read_file_binary_or_base64(path, &buf, &len, 2),
			 -EFBIG);
}

static void test_clock_and_log(void **state)
{
	u64 a, b;

	log_init("/usr/bin/sevm-test");
	a = time_us();
	b = time_us();
	assert_true(b >= a);
	assert_true(time_start_ns() > 0);
	log_set_level(LOG_ERR);
	assert_int_equal(log_get_level(), LOG_ERR);
	pr_info("not shown");	/* filtered: must not crash */
	log_set_level(LOG_DEBUG);
	assert_int_equal(log_get_level(), LOG_DEBUG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_parse_numbers),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_atomic_no_symlink_follow),
		cmocka_unit_test(test_output_targets),
		cmocka_unit_test(test_read_pipe),
		cmocka_unit_test(test_binary_or_base64),
		cmocka_unit_test(test_clock_and_log),
	};

	return cmocka_run_group_tests(tests, dir_setup, dir_teardown);
}
