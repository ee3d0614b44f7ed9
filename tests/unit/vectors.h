/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared test vectors (/work/shared/test-vectors, sev-protocol.md 9) for
 * the unit tests: found through $SEVM_VECTORS, else ../shared/test-vectors
 * next to the repository top ($SEVM_TOP, else the current directory's
 * ancestors). Every file is checked against its pinned SHA-256 first.
 */
#ifndef SEVM_TESTS_VECTORS_H
#define SEVM_TESTS_VECTORS_H

#include "lib/util.h"

/* The vectors directory, or NULL if absent (the caller then skip()s). */
const char *vectors_dir(void);
/*
 * Read rel (e.g. "amd-certs/rome/pek.cert"): 0, -ENOENT if the vectors
 * are absent, -EBADMSG if the file's SHA-256 is not the pinned one.
 */
int vector_read(const char *rel, u8 **buf, size_t *len);
/* Full path of rel inside the vectors dir (8 rotating static buffers). */
const char *vector_path(const char *rel);
/* Hex string to bytes; asserts on malformed input (tests only). */
void unhex(const char *hex, u8 *out, size_t len);

#endif /* SEVM_TESTS_VECTORS_H */
