// SPDX-License-Identifier: GPL-2.0-only
/* In-process runs of sevm-owner subcommands, and scratch files. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/unit/owner-run.h"
#include "tests/unit/vectors.h"

static char *slurp(FILE *f)
{
	long n;
	char *buf;

	assert_int_equal(fflush(f), 0);
	n = ftell(f);
	assert_true(n >= 0);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	rewind(f);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The captures of the last run (reachable, so no leak is reported). */
static char *last_out, *last_err;

void run_cmd(struct run *o, owner_cmd_fn fn, const char *const *args)
{
	FILE *out = tmpfile(), *err = tmpfile();
	int save1 = dup(1), save2 = dup(2), argc = 0;
	char *argv[64];

	assert_true(out && err && save1 >= 0 && save2 >= 0);
	for (; args[argc]; argc++) {
		assert_true(argc < 63);
		argv[argc] = strdup(args[argc]);
	}
	argv[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	assert_true(dup2(fileno(out), 1) == 1 && dup2(fileno(err), 2) == 2);
	o->rc = fn(argc, argv);
	fflush(stdout);
	fflush(stderr);
	assert_true(dup2(save1, 1) == 1 && dup2(save2, 2) == 2);
	close(save1);
	close(save2);
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	free(last_out);
	free(last_err);
	fseek(out, 0, SEEK_END);
	fseek(err, 0, SEEK_END);
	o->out = last_out = slurp(out);
	o->err = last_err = slurp(err);
}

unsigned int count(const char *hay, const char *needle)
{
	unsigned int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

void expect_error(const struct run *o, int code, const char *needle)
{
	if (o->rc != code || count(o->err, "\n") != 1 ||
	    !strstr(o->err, needle))
		fail_msg("want exit %d and one error line with '%s'; got exit %d, stderr: %s",
			 code, needle, o->rc, o->err);
}

void need_vectors(void)
{
	if (!vectors_dir())
		skip();
}

char *tmpdir(void)
{
	char *d = strdup("/tmp/sevm-owner-test.XXXXXX");

	assert_non_null(d);
	assert_non_null(mkdtemp(d));
	return d;
}

void rm_tree(char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (unlink(path_in(dir, e->d_name)))
			rm_tree(strdup(path_in(dir, e->d_name)));
	}
	closedir(d);
	assert_int_equal(rmdir(dir), 0);
	free(dir);
}

const char *path_in(const char *dir, const char *name)
{
	static char paths[16][PATH_MAX];
	static unsigned int next;
	char *p = paths[next++ % ARRAY_SIZE(paths)];

	snprintf(p, PATH_MAX, "%s/%s", dir, name);
	return p;
}

u8 *read_in(const char *dir, const char *name, size_t *len)
{
	void *buf;

	assert_int_equal(read_file(path_in(dir, name), &buf, len, 1 << 24), 0);
	return buf;
}

void write_in(const char *dir, const char *name, const void *buf,
	      size_t len)
{
	assert_int_equal(write_file_atomic(path_in(dir, name), buf, len,
					   0600), 0);
}

void write_hex(const char *dir, const char *name, const char *hex)
{
	u8 buf[256];
	size_t len = strlen(hex) / 2;

	assert_true(len <= sizeof(buf));
	unhex(hex, buf, len);
	write_in(dir, name, buf, len);
}

void remove_file(const char *dir, const char *name)
{
	assert_int_equal(unlink(path_in(dir, name)), 0);
}

void copy_chain(const char *dir, const char *gen)
{
	static const char *const names[] = {
		"ark.cert", "ask.cert", "cek.cert", "oca.cert", "pek.cert",
		"pdh.cert",
	};
	char rel[64];
	size_t len;
	u8 *buf;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(rel, sizeof(rel), "amd-certs/%s/%s", gen, names[i]);
		assert_int_equal(vector_read(rel, &buf, &len), 0);
		write_in(dir, names[i], buf, len);
		free(buf);
	}
}

void flip_byte(const char *dir, const char *name, size_t off)
{
	size_t len;
	u8 *buf = read_in(dir, name, &len);

	assert_true(off < len);
	buf[off] ^= 0x01;
	write_in(dir, name, buf, len);
	free(buf);
}

void truncate_file(const char *dir, const char *name, size_t len)
{
	assert_int_equal(truncate(path_in(dir, name), (off_t)len), 0);
}

void concat_files(const char *dir, const char *out, const char *a,
		  const char *b)
{
	size_t la, lb;
	u8 *ba = read_in(dir, a, &la), *bb = read_in(dir, b, &lb);
	u8 *all = malloc(la + lb);

	assert_non_null(all);
	memcpy(all, ba, la);
	memcpy(all + la, bb, lb);
	write_in(dir, out, all, la + lb);
	free(all);
	free(ba);
	free(bb);
}

mode_t file_mode(const char *dir, const char *name)
{
	struct stat st;

	assert_int_equal(stat(path_in(dir, name), &st), 0);
	return st.st_mode & 07777;
}
