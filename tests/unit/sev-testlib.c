// SPDX-License-Identifier: GPL-2.0-only
/* Helpers for the SEV unit tests: capture what a call logs to stderr. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/unit/sev-testlib.h"

static int saved_stderr = -1;
static FILE *cap;
static char logbuf[8192];

void capture_start(void)
{
	cap = tmpfile();
	assert_non_null(cap);
	fflush(stderr);
	saved_stderr = dup(2);
	assert_true(saved_stderr >= 0);
	assert_int_equal(dup2(fileno(cap), 2), 2);
}

const char *capture_end(void)
{
	size_t n;

	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	rewind(cap);
	n = fread(logbuf, 1, sizeof(logbuf) - 1, cap);
	logbuf[n] = 0;
	fclose(cap);
	return logbuf;
}

static void read_back(FILE *f, char *buf, size_t size)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = 0;
	fclose(f);
}

int capture_run(int (*fn)(int argc, char **argv), const char *const *args,
		char *out, size_t out_size, char *err, size_t err_size)
{
	FILE *fo = tmpfile(), *fe = tmpfile();
	char *argv[32];
	int so, se, argc, r;

	assert_non_null(fo);
	assert_non_null(fe);
	for (argc = 0; args[argc]; argc++) {
		assert_true(argc < 31);
		argv[argc] = strdup(args[argc]);
	}
	argv[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	so = dup(1);
	se = dup(2);
	dup2(fileno(fo), 1);
	dup2(fileno(fe), 2);
	r = fn(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	read_back(fo, out, out_size);
	read_back(fe, err, err_size);
	while (argc--)
		free(argv[argc]);
	return r;
}

int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}
