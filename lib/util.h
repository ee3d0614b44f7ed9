/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Small helpers shared by sevm, sevm-owner and the tests: fixed-width
 * types, attributes, exit codes, file I/O, number parsing, base64/hex.
 * Every function returns 0 or -errno; none of them exits.
 */
#ifndef SEVM_UTIL_H
#define SEVM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <sys/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __must_check	__attribute__((warn_unused_result))
#define __packed	__attribute__((packed))
#define __unused	__attribute__((unused))

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)	(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))
#define SZ_1K		0x400ULL
#define SZ_1M		0x100000ULL
#define SZ_2M		0x200000ULL
#define SZ_1G		0x40000000ULL
#define SZ_4G		0x100000000ULL

/*
 * Process exit codes of sevm and sevm-owner (documented in README.md).
 * A guest's test-exit status V (port 0xf4) becomes EXIT_GUEST_BASE + V
 * for V in 1..63; V = 0 means success and exits 0.
 */
enum sevm_exit {
	EXIT_OK		= 0,	/* guest powered off / command succeeded */
	EXIT_INTERNAL	= 1,	/* internal error */
	EXIT_CONFIG	= 2,	/* bad configuration, option or input file */
	EXIT_HOST	= 3,	/* KVM, PSP or host resource unavailable */
	EXIT_SEV	= 4,	/* SEV firmware refused a launch command */
	EXIT_MISMATCH	= 5,	/* sevm-owner: measurement/chain mismatch */
	EXIT_GUEST_BASE	= 64,	/* + guest test-exit status 1..63 */
};

/*
 * Read a whole file. Fails with -EFBIG if it is larger than max bytes. A
 * FIFO (--config <(...)) is read to its end; open() never blocks on one.
 */
int read_file(const char *path, void **buf, size_t *len, size_t max) __must_check;
/*
 * The same for a file that must be a regular file (a boot image): a FIFO,
 * device or socket is -EINVAL without a byte read, and a file larger than
 * max is -EFBIG before any is read (fstat first). open() never blocks.
 */
int read_file_regular(const char *path, void **buf, size_t *len,
		      size_t max) __must_check;
/*
 * Read a file that holds binary data or its base64 text (as libvirt and
 * QMP clients pass blobs; whitespace and line breaks allowed). A text
 * file that does not decode is -EBADMSG. The raw bytes are wiped.
 */
int read_file_binary_or_base64(const char *path, u8 **buf, size_t *len,
			       size_t max) __must_check;
/*
 * Its decision on bytes in memory: -ENOENT if buf is not base64 text
 * (binary data, used as is), else the decoded bytes in *out (malloc'd)
 * or -EBADMSG.
 */
int decode_base64_text(const u8 *buf, size_t len, u8 **out, size_t *out_len)
	__must_check;
/* Write via a temporary file + rename, so readers never see a partial file. */
int write_file_atomic(const char *path, const void *buf, size_t len,
		      mode_t mode) __must_check;
/*
 * Write an output file the user named (a report): a regular file, or
 * none yet, is replaced atomically (write_file_atomic); an existing FIFO
 * or character device, also behind a symlink such as /dev/stdout, is
 * written through (a FIFO without a reader: -ENXIO); anything else (a
 * directory, a socket, a symlink to a regular file, a dangling symlink)
 * is refused with -EPERM and left alone.
 */
int write_file_output(const char *path, const void *buf, size_t len,
		      mode_t mode) __must_check;
/* Write exactly len bytes, retrying on EINTR and short writes. */
int write_all(int fd, const void *buf, size_t len) __must_check;

/* "256M", "2G", "65536", "0x1000": suffixes K, M, G, T (binary). */
int parse_size(const char *s, u64 *out) __must_check;
/* Decimal or 0x-prefixed hexadecimal, whole string, no sign. */
int parse_u64(const char *s, u64 *out) __must_check;
/* Hexadecimal with or without 0x. */
int parse_hex_u32(const char *s, u32 *out) __must_check;

/* Base64 (RFC 4648, with padding). decode ignores surrounding whitespace. */
char *base64_encode(const void *buf, size_t len);
int base64_decode(const char *s, u8 **out, size_t *outlen) __must_check;
/* Lower-case hex; out must hold 2 * len + 1 bytes. */
void hex_encode(const void *buf, size_t len, char *out);
int hex_decode(const char *s, u8 *out, size_t outlen) __must_check;

/*
 * Threads by role. The sandbox (vmm/sandbox.h) gives each role its own
 * seccomp allow-list through the enter hook. thread_create() starts
 * fn(arg) on a new thread that first runs the hook for its role, and
 * returns only after the hook has run: the thread's restrictions are in
 * place before the caller goes on (before the guest's first instruction).
 * A failing hook ends the thread without running fn; its -errno is
 * returned. Without a hook (the tests, sevm-owner) it is pthread_create.
 */
enum thread_role {
	THREAD_MAIN,		/* main loop: QMP, signals, the SEV launch */
	THREAD_VCPU,		/* one per vCPU: KVM_RUN and device exits */
	THREAD_IO,		/* device I/O: virtio I/O thread, console input */
	THREAD_ROLE_NR,
};
typedef int (*thread_enter_fn)(enum thread_role role);
void thread_set_enter_hook(thread_enter_fn fn);
int thread_create(pthread_t *t, enum thread_role role,
		  void *(*fn)(void *), void *arg) __must_check;

/* Overwrite key material before freeing it (OPENSSL_cleanse underneath). */
void memzero_explicit(void *p, size_t len);

#endif /* SEVM_UTIL_H */
