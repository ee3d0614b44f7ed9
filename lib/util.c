// SPDX-License-Identifier: GPL-2.0-only
/* File I/O, number parsing, base64 and hex helpers. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "lib/util.h"

int write_all(int fd, const void *buf, size_t len)
{
	const u8 *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int read_fd(int fd, u8 *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;	/* file shrank while reading */
		done += (size_t)n;
	}
	return 0;
}

/* A pipe (e.g. --config <(...)): read until EOF, at most max bytes. */
static int read_stream(int fd, u8 **buf, size_t *len, size_t max)
{
	size_t cap = 4096, n = 0;
	u8 *p = malloc(cap), *q;

	while (p) {
		ssize_t r;

		if (n == cap) {
			cap *= 2;
			q = realloc(p, cap);
			if (!q)
				break;
			p = q;
		}
		r = read(fd, p + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || n + (size_t)r > max) {
			int err = r < 0 ? -errno : r > 0 ? -EFBIG : 0;

			if (!err) {
				*buf = p;
				*len = n;
				return 0;
			}
			free(p);
			return err;
		}
		n += (size_t)r;
	}
	free(p);
	return -ENOMEM;
}

/*
 * O_NONBLOCK: opening a FIFO never blocks (a FIFO nobody writes to would
 * hang open() forever); it is cleared again before a FIFO is read.
 */
static int read_file_fd(const char *path, bool stream_ok, void **buf,
			size_t *len, size_t max)
{
	struct stat st;
	u8 *p = NULL;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out;
	}
	if (S_ISFIFO(st.st_mode) && stream_ok) {
		r = fcntl(fd, F_SETFL, O_RDONLY) ? -errno :
		    read_stream(fd, &p, len, max);
		if (!r)
			*buf = p;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		goto out;
	}
	if ((u64)st.st_size > max) {
		r = -EFBIG;
		goto out;
	}
	p = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!p) {
		r = -ENOMEM;
		goto out;
	}
	r = read_fd(fd, p, (size_t)st.st_size);
	if (r) {
		free(p);
		goto out;
	}
	*buf = p;
	*len = (size_t)st.st_size;
out:
	close(fd);
	return r;
}

int read_file(const char *path, void **buf, size_t *len, size_t max)
{
	return read_file_fd(path, true, buf, len, max);
}

int read_file_regular(const char *path, void **buf, size_t *len, size_t max)
{
	return read_file_fd(path, false, buf, len, max);
}

static bool is_base64_text(const u8 *buf, size_t len)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		"0123456789+/= \t\r\n";

	for (size_t i = 0; i < len; i++)
		if (!buf[i] || !strchr(alphabet, buf[i]))
			return false;
	return len > 0;
}

/* Decode base64 text (whitespace dropped) into *out. */
static int decode_text(const u8 *buf, size_t len, u8 **out, size_t *out_len)
{
	char *text = malloc(len + 1);
	size_t n = 0;
	int r;

	if (!text)
		return -ENOMEM;
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n", buf[i]))
			text[n++] = (char)buf[i];
	text[n] = '\0';
	r = base64_decode(text, out, out_len);
	memzero_explicit(text, n);
	free(text);
	return r == -EINVAL ? -EBADMSG : r;
}

int decode_base64_text(const u8 *buf, size_t len, u8 **out, size_t *out_len)
{
	if (!is_base64_text(buf, len))
		return -ENOENT;
	return decode_text(buf, len, out, out_len);
}

int read_file_binary_or_base64(const char *path, u8 **buf, size_t *len,
			       size_t max)
{
	size_t raw_len;
	void *raw;
	int r;

	r = read_file(path, &raw, &raw_len, max);
	if (r)
		return r;
	r = decode_base64_text(raw, raw_len, buf, len);
	if (r == -ENOENT) {
		*buf = raw;
		*len = raw_len;
		return 0;
	}
	memzero_explicit(raw, raw_len);
	free(raw);
	return r;
}

int write_file_atomic(const char *path, const void *buf, size_t len,
		      mode_t mode)
{
	char tmp[PATH_MAX];
	int fd, r;

	/*
	 * A random name created with O_EXCL (mkostemp): nobody who can write
	 * the directory can predict it or plant a symlink there for us to
	 * follow. rename() then replaces path itself, never what a symlink
	 * at path points to.
	 */
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = fchmod(fd, mode) ? -errno : write_all(fd, buf, len);
	if (!r && fsync(fd))
		r = -errno;
	if (close(fd) && !r)
		r = -errno;
	if (!r && rename(tmp, path))
		r = -errno;
	if (r)
		unlink(tmp);
	return r;
}

/* An existing FIFO or character device at path (through symlinks). */
static int write_stream(const char *path, const void *buf, size_t len)
{
	int fd, fl, r;

	/* O_NONBLOCK: a FIFO without a reader fails (ENXIO), never hangs. */
	fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	fl = fcntl(fd, F_GETFL);
	r = fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) ? -errno : 0;
	r = r ?: write_all(fd, buf, len);
	if (close(fd) && !r)
		r = -errno;
	return r;
}

int write_file_output(const char *path, const void *buf, size_t len,
		      mode_t mode)
{
	struct stat ls, st;

	if (lstat(path, &ls)) {
		if (errno != ENOENT)
			return -errno;
		return write_file_atomic(path, buf, len, mode);
	}
	if (S_ISREG(ls.st_mode))
		return write_file_atomic(path, buf, len, mode);
	if (stat(path, &st))
		return -EPERM;		/* a dangling symlink */
	if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))
		return write_stream(path, buf, len);
	return -EPERM;
}

int parse_u64(const char *s, u64 *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return -errno;
	if (*end)
		return -EINVAL;
	*out = v;
	return 0;
}

int parse_hex_u32(const char *s, u32 *out)
{
	unsigned long v;
	char *end;

	if (!s || !*s || !isxdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 16);
	if (errno)
		return -errno;
	if (*end)
		return -EINVAL;
	if (v > UINT32_MAX)
		return -ERANGE;
	*out = (u32)v;
	return 0;
}

static int size_shift(char c)
{
	switch (toupper((unsigned char)c)) {
	case 'K': return 10;
	case 'M': return 20;
	case 'G': return 30;
	case 'T': return 40;
	default: return -1;
	}
}

int parse_size(const char *s, u64 *out)
{
	unsigned long long v;
	char *end;
	int shift = 0;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return -errno;
	if (*end) {
		shift = size_shift(*end);
		if (shift < 0)
			return -EINVAL;
		end++;
		if (*end == 'i' || *end == 'I')
			end++;
		if (*end == 'B' || *end == 'b')
			end++;
		if (*end)
			return -EINVAL;
	}
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = (u64)v << shift;
	return 0;
}

char *base64_encode(const void *buf, size_t len)
{
	char *out = malloc(4 * ((len + 2) / 3) + 1);

	if (!out)
		return NULL;
	EVP_EncodeBlock((unsigned char *)out, buf, (int)len);
	return out;
}

int base64_decode(const char *s, u8 **out, size_t *outlen)
{
	size_t n, pad = 0;
	u8 *buf;
	int r;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n % 4 || n > INT32_MAX)
		return -EINVAL;
	/* '=' only as the last one or two characters ("AAECDw=w" is not) */
	if (n && s[n - 1] == '=')
		pad = (n >= 2 && s[n - 2] == '=') ? 2 : 1;
	for (size_t i = 0; i < n - pad; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '+' &&
		    s[i] != '/')
			return -EINVAL;
	buf = malloc(n / 4 * 3 + 1);
	if (!buf)
		return -ENOMEM;
	r = EVP_DecodeBlock(buf, (const unsigned char *)s, (int)n);
	if (r < 0 || (size_t)r < pad) {
		free(buf);
		return -EINVAL;
	}
	*out = buf;
	*outlen = (size_t)r - pad;
	return 0;
}

void hex_encode(const void *buf, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	const u8 *p = buf;

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * len] = '\0';
}

static int hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int hex_decode(const char *s, u8 *out, size_t outlen)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (strlen(s) != 2 * outlen)
		return -EINVAL;
	for (size_t i = 0; i < outlen; i++) {
		int hi = hex_nibble(s[2 * i]), lo = hex_nibble(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (u8)(hi << 4 | lo);
	}
	return 0;
}

void memzero_explicit(void *p, size_t len)
{
	OPENSSL_cleanse(p, len);
}

/* ---- threads by role */

struct thread_start {
	void *(*fn)(void *);
	void *arg;
	enum thread_role role;
	sem_t ready;
	int err;
};

static thread_enter_fn thread_enter_hook;

void thread_set_enter_hook(thread_enter_fn fn)
{
	thread_enter_hook = fn;
}

static void *thread_trampoline(void *p)
{
	struct thread_start *ts = p;
	void *(*fn)(void *) = ts->fn;
	void *arg = ts->arg;
	int err = thread_enter_hook ? thread_enter_hook(ts->role) : 0;

	ts->err = err;
	sem_post(&ts->ready);		/* ts is gone after this */
	return err ? NULL : fn(arg);
}

int thread_create(pthread_t *t, enum thread_role role,
		  void *(*fn)(void *), void *arg)
{
	struct thread_start ts = { .fn = fn, .arg = arg, .role = role };
	int r;

	if (sem_init(&ts.ready, 0, 0))
		return -errno;
	r = -pthread_create(t, NULL, thread_trampoline, &ts);
	if (!r) {
		while (sem_wait(&ts.ready) && errno == EINTR)
			;
		if (ts.err) {
			pthread_join(*t, NULL);
			r = ts.err;
		}
	}
	sem_destroy(&ts.ready);
	return r;
}
