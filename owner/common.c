// SPDX-License-Identifier: GPL-2.0-only
/* sevm-owner helpers: files, arguments and options, one error line each. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "owner/owner.h"
#include "lib/log.h"

int owner_read(const char *cmd, const char *what, const char *path,
	       u8 **buf, size_t *len, size_t max)
{
	void *p;
	int r;

	r = read_file(path, &p, len, max);
	if (r) {
		pr_err("%s: %s %s: cannot read: %s", cmd, what, path,
		       r == -EFBIG ? "file too large" : strerror(-r));
		return EXIT_CONFIG;
	}
	*buf = p;
	return EXIT_OK;
}

int owner_read_key(const char *cmd, const char *what, const char *path,
		   u8 key[16])
{
	size_t len;
	u8 *buf;
	int r;

	r = owner_read(cmd, what, path, &buf, &len, 4096);
	if (r)
		return r;
	if (len == 16)
		memcpy(key, buf, 16);
	else
		pr_err("%s: %s %s: %zu bytes, a key file holds 16", cmd, what,
		       path, len);
	memzero_explicit(buf, len);
	free(buf);
	return len == 16 ? EXIT_OK : EXIT_CONFIG;
}

int owner_write(const char *cmd, const char *path, const void *buf,
		size_t len, mode_t mode)
{
	int r = write_file_atomic(path, buf, len, mode);

	if (r) {
		pr_err("%s: %s: cannot write: %s", cmd, path, strerror(-r));
		return EXIT_CONFIG;
	}
	return EXIT_OK;
}

int owner_write_b64(const char *cmd, const char *path, const void *buf,
		    size_t len, mode_t mode)
{
	char *b64 = base64_encode(buf, len);
	int r;

	if (!b64) {
		pr_err("%s: %s: out of memory", cmd, path);
		return EXIT_INTERNAL;
	}
	r = owner_write(cmd, path, b64, strlen(b64), mode);
	free(b64);
	return r;
}

static bool all_hex(const char *s)
{
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s))
			return false;
	return true;
}

int owner_bytes_arg(const char *cmd, const char *what, const char *s,
		    u8 *out, size_t len)
{
	const char *h = (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ?
			s + 2 : s;
	size_t n = 0;
	u8 *buf;

	if (strlen(h) == 2 * len && all_hex(h))
		return hex_decode(h, out, len) ? EXIT_CONFIG : EXIT_OK;
	if (base64_decode(s, &buf, &n) == 0) {
		if (n == len)
			memcpy(out, buf, len);
		memzero_explicit(buf, n);
		free(buf);
		if (n == len)
			return EXIT_OK;
	}
	pr_err("%s: %s '%s': want %zu bytes as hex or base64", cmd, what, s,
	       len);
	return EXIT_CONFIG;
}

int owner_policy_arg(const char *cmd, const char *s, u32 *policy)
{
	if (parse_hex_u32(s, policy)) {
		pr_err("%s: --policy '%s': not a 32-bit hexadecimal number",
		       cmd, s);
		return EXIT_CONFIG;
	}
	return EXIT_OK;
}

int owner_u8_arg(const char *cmd, const char *what, const char *s, u8 *out)
{
	u64 v;

	if (parse_u64(s, &v) || v > 255) {
		pr_err("%s: %s '%s': want a number 0..255", cmd, what, s);
		return EXIT_CONFIG;
	}
	*out = (u8)v;
	return EXIT_OK;
}

int owner_print_b64(const char *label, const void *buf, size_t len)
{
	char *b64 = base64_encode(buf, len);

	if (!b64) {
		pr_err("%s: out of memory", label);
		return EXIT_INTERNAL;
	}
	if (label)
		printf("%s: %s\n", label, b64);
	else
		printf("%s\n", b64);
	free(b64);
	return EXIT_OK;
}

void owner_getopt_reset(void)
{
	optind = 0;	/* glibc: full re-initialisation */
	opterr = 0;
}

int owner_getopt(const char *cmd, int argc, char **argv,
		 const struct option *opts)
{
	int c = getopt_long(argc, argv, ":h", opts, NULL);

	if (c == '?') {
		pr_err("%s: unknown option '%s' (see %s --help)", cmd,
		       argv[optind - 1], cmd);
	} else if (c == ':') {
		pr_err("%s: option '%s' needs an argument", cmd,
		       argv[optind - 1]);
		c = '?';
	}
	return c;
}
