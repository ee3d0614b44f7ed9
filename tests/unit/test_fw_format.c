// SPDX-License-Identifier: GPL-2.0-only
/* firmware/format.c: the firmware's printf engine against glibc's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "firmware/format.h"

#define SAME(...)							\
	do {								\
		char a[128], b[128];					\
		int na = fw_snprintf(a, sizeof(a), __VA_ARGS__);	\
		int nb = snprintf(b, sizeof(b), __VA_ARGS__);		\
		assert_string_equal(a, b);				\
		assert_int_equal(na, nb);				\
	} while (0)

static void test_like_libc(void **state)
{
	(void)state;
	SAME("plain text");
	SAME("%s|%s|", "abc", "");
	SAME("%c%c", 'o', 'k');
	SAME("%u %u %u", 0u, 42u, 4294967295u);
	SAME("%d %d %d", 0, -7, -2147483647 - 1);
	SAME("%x %x", 0u, 0xdeadbeefu);
	SAME("%lx %lu %ld", 0xffffffffffffffffUL, 18446744073709551615UL,
	     -9223372036854775807L - 1);
	SAME("%08x|%2x|%02x|%5u|%05d|%6s", 0xabu, 0xfu, 0x0u, 12u, -42, "ab");
	SAME("100%%");
	SAME("secret: %s len %u", "1e74f542-71dd-4d66-963e-ef4287ff173b", 16u);
}

struct sink {
	char buf[32];
	size_t pos;
};

static void sink_put(void *ctx, char c)
{
	struct sink *k = ctx;

	if (k->pos + 1 < sizeof(k->buf))
		k->buf[k->pos++] = c;
}

/* fw_vformat directly: formats gcc would reject at compile time. */
static int raw(struct sink *k, const char *fmt, ...)
{
	va_list ap;
	int n;

	memset(k, 0, sizeof(*k));
	va_start(ap, fmt);
	n = fw_vformat(sink_put, k, fmt, ap);
	va_end(ap);
	return n;
}

static void test_edge_cases(void **state)
{
	const char *volatile null_str = NULL;
	struct sink k;
	char buf[8];
	int n;

	(void)state;
	n = fw_snprintf(buf, sizeof(buf), "%s", "0123456789");
	assert_int_equal(n, 10);		/* untruncated length */
	assert_string_equal(buf, "0123456");
	n = fw_snprintf(buf, 0, "abc");
	assert_int_equal(n, 3);
	n = raw(&k, "%q%");			/* unknown, dangling */
	assert_string_equal(k.buf, "%q%");
	assert_int_equal(n, 3);
	raw(&k, "%s", null_str);
	assert_string_equal(k.buf, "(null)");
	n = raw(&k, "%999999999x|", 1u);	/* width capped at 64 */
	assert_int_equal(n, 65);
	assert_int_equal(k.buf[0], ' ');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_like_libc),
		cmocka_unit_test(test_edge_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
