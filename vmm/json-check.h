/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Strings in untrusted JSON (the config file, QMP) that C code cannot
 * take at face value: json-c keeps a "\u0000" inside a string, so
 * strlen() would silently cut "a.bin\u0000x" to "a.bin", and it passes
 * invalid UTF-8 through, which a reply would echo raw. Header-only (no
 * link dependency for the programs that parse JSON).
 */
#ifndef SEVM_JSON_CHECK_H
#define SEVM_JSON_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/util.h"

/* Length of the UTF-8 sequence at s (n bytes left), or 0 if invalid:
 * overlong forms, surrogates and code points above U+10FFFF included. */
static inline size_t json_utf8_seq(const u8 *s, size_t n)
{
	u32 c = s[0], min;
	size_t len, i;

	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0)
		len = 2, c &= 0x1f, min = 0x80;
	else if ((c & 0xf0) == 0xe0)
		len = 3, c &= 0x0f, min = 0x800;
	else if ((c & 0xf8) == 0xf0)
		len = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return len;
}

static inline bool json_utf8_valid(const char *s, size_t n)
{
	const u8 *p = (const u8 *)s;

	while (n) {
		size_t l = json_utf8_seq(p, n);

		if (!l)
			return false;
		p += l;
		n -= l;
	}
	return true;
}

/* 0 if the string v holds no NUL and is valid UTF-8, else -EINVAL with
 * why ("contains \\u0000", "is not valid UTF-8"). */
static inline int json_string_check(struct json_object *v, const char **why)
{
	const char *s = json_object_get_string(v);
	size_t n = (size_t)json_object_get_string_len(v);

	if (strlen(s) != n) {
		*why = "contains \\u0000";
		return -EINVAL;
	}
	if (!json_utf8_valid(s, n)) {
		*why = "is not valid UTF-8";
		return -EINVAL;
	}
	return 0;
}

/* Every string (and object key) in v, recursively, depth-limited. */
static inline int json_tree_check(struct json_object *v, const char **why,
				  unsigned int depth)
{
	size_t i, n;

	if (depth > 64) {
		*why = "nests too deeply";
		return -EINVAL;
	}
	switch (json_object_get_type(v)) {
	case json_type_string:
		return json_string_check(v, why);
	case json_type_array:
		n = json_object_array_length(v);
		for (i = 0; i < n; i++)
			if (json_tree_check(json_object_array_get_idx(v, i),
					    why, depth + 1))
				return -EINVAL;
		return 0;
	case json_type_object: {
		json_object_object_foreach(v, key, val) {
			if (!json_utf8_valid(key, strlen(key))) {
				*why = "has a key that is not valid UTF-8";
				return -EINVAL;
			}
			if (json_tree_check(val, why, depth + 1))
				return -EINVAL;
		}
		return 0;
	}
	default:
		return 0;
	}
}

#endif /* SEVM_JSON_CHECK_H */
