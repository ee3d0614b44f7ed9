/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers for the sevm-owner tests: run a subcommand in-process with its
 * stdout and stderr captured, and scratch directories with files in them.
 */
#ifndef SEVM_TESTS_OWNER_RUN_H
#define SEVM_TESTS_OWNER_RUN_H

#include "lib/util.h"

struct run {
	int rc;
	char *out, *err;	/* captures, valid until the next run */
};

typedef int (*owner_cmd_fn)(int argc, char **argv);

/* RUN(&o, owner_measure, "--ld", "...") with argv[0] = "cmd". */
#define RUN(o, fn, ...) \
	run_cmd(o, fn, (const char *const []){ "cmd", __VA_ARGS__, NULL })
void run_cmd(struct run *o, owner_cmd_fn fn, const char *const *args);
/* rc == code, stderr exactly one line, containing needle. */
void expect_error(const struct run *o, int code, const char *needle);
unsigned int count(const char *hay, const char *needle);

void need_vectors(void);	/* skip() without the shared vectors */
char *tmpdir(void);		/* fresh; rm_tree() removes and frees */
void rm_tree(char *dir);
/* dir/name in one of 16 rotating static buffers. */
const char *path_in(const char *dir, const char *name);
u8 *read_in(const char *dir, const char *name, size_t *len);
void write_in(const char *dir, const char *name, const void *buf,
	      size_t len);
void write_hex(const char *dir, const char *name, const char *hex);
void remove_file(const char *dir, const char *name);
/* ark ask cek oca pek pdh of a generation, SHA-256 checked. */
void copy_chain(const char *dir, const char *gen);
void flip_byte(const char *dir, const char *name, size_t off);
void truncate_file(const char *dir, const char *name, size_t len);
/* dir/out = dir/a || dir/b */
void concat_files(const char *dir, const char *out, const char *a,
		  const char *b);
mode_t file_mode(const char *dir, const char *name);

#endif /* SEVM_TESTS_OWNER_RUN_H */
