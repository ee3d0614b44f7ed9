/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The bundled firmware embedded in sevm and sevm-owner at build time
 * (lib/fw-image.S, docs/firmware.md "The embedded image"). sevm boots it
 * when neither --firmware nor --kernel is given (and, under SEV, when only
 * --kernel is), `sevm firmware --dump FILE` writes it out, and
 * `sevm-owner measure` measures it when --firmware is not given: the same
 * sevm version always means the same bytes.
 *
 * Built with CONFIG_FIRMWARE=n there is no image: fw_embedded() returns
 * -ENOENT, and FW_EMBEDDED_AVAILABLE is 0 (the configuration check still
 * asks for --firmware or --kernel).
 */
#ifndef SEVM_FW_EMBED_H
#define SEVM_FW_EMBED_H

#include <errno.h>

#include "lib/util.h"

/* How reports and messages name the embedded image instead of a path. */
#define FW_EMBEDDED_NAME	"(embedded)"

#ifdef CONFIG_FIRMWARE
#define FW_EMBEDDED_AVAILABLE	1
#else
#define FW_EMBEDDED_AVAILABLE	0
#endif

/* The image (read-only, static storage); -ENOENT if none is built in. */
int fw_embedded(const u8 **data, size_t *size) __must_check;
/* SHA-256 of the image; -ENOENT without one, -EIO if OpenSSL fails. */
int fw_embedded_sha256(u8 digest[32]) __must_check;
/* A private copy (malloc) for code that owns and frees its images. */
int fw_embedded_dup(u8 **data, size_t *size) __must_check;
/*
 * Write the image to path with write_file_output's rules (mode 0644): a
 * regular file or a new path is replaced atomically, a FIFO or character
 * device (/dev/stdout) is written through, anything else (a symlink to a
 * file, a directory) is refused with -EPERM. No message printed.
 */
int fw_embedded_dump(const char *path) __must_check;

#endif /* SEVM_FW_EMBED_H */
