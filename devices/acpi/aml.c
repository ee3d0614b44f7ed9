// SPDX-License-Identifier: GPL-2.0-only
/*
 * AML encoder: a growable buffer with a sticky error, the PkgLength
 * encoding, name strings, data objects, a few statements and the resource
 * descriptors sevm's DSDT needs. See aml.h for the conventions.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "devices/acpi/aml.h"

#define AML_BUF_MAX	(64u << 20)	/* far beyond any table sevm builds */

void aml_init(struct aml *a)
{
	memset(a, 0, sizeof(*a));
}

void aml_free(struct aml *a)
{
	free(a->buf);
	aml_init(a);
}

int aml_error(const struct aml *a)
{
	if (a->err)
		return a->err;
	return a->depth ? -EINVAL : 0;
}

u8 *aml_take(struct aml *a, size_t *len)
{
	u8 *buf = a->buf;

	*len = a->len;
	aml_init(a);
	return buf;
}

static int aml_fail(struct aml *a, int err)
{
	if (!a->err)
		a->err = err;
	return a->err;
}

/* Room for n more bytes. */
static int aml_reserve(struct aml *a, size_t n)
{
	size_t cap;
	u8 *p;

	if (a->err)
		return a->err;
	if (n > AML_BUF_MAX - a->len)
		return aml_fail(a, -E2BIG);
	if (a->len + n <= a->cap)
		return 0;
	cap = a->cap ? a->cap : 256;
	while (cap < a->len + n)
		cap *= 2;
	p = realloc(a->buf, cap);
	if (!p)
		return aml_fail(a, -ENOMEM);
	a->buf = p;
	a->cap = cap;
	return 0;
}

int aml_put(struct aml *a, const void *p, size_t n)
{
	int r = aml_reserve(a, n);

	if (r)
		return r;
	if (n)
		memcpy(a->buf + a->len, p, n);
	a->len += n;
	return 0;
}

int aml_u8(struct aml *a, u8 v)
{
	return aml_put(a, &v, 1);
}

int aml_u16(struct aml *a, u16 v)
{
	u8 b[2] = { v, v >> 8 };

	return aml_put(a, b, sizeof(b));
}

int aml_u32(struct aml *a, u32 v)
{
	return aml_u16(a, v) ?: aml_u16(a, v >> 16);
}

int aml_u64(struct aml *a, u64 v)
{
	return aml_u32(a, v) ?: aml_u32(a, v >> 32);
}

int aml_zeros(struct aml *a, size_t n)
{
	int r = aml_reserve(a, n);

	if (r || !n)
		return r;	/* n = 0: buf may still be NULL */
	memset(a->buf + a->len, 0, n);
	a->len += n;
	return 0;
}

/* ---- PkgLength */

int aml_pkglen_encode(u32 value, u8 out[4])
{
	unsigned int n, i;

	if (value > AML_PKGLEN_MAX)
		return -E2BIG;
	if (value < 0x40) {
		out[0] = value;
		return 1;
	}
	/* bits 7-6: count of following bytes; 3-0: the low nibble */
	n = value < (1u << 12) ? 1 : value < (1u << 20) ? 2 : 3;
	out[0] = (n << 6) | (value & 0x0f);
	for (i = 1; i <= n; i++)
		out[i] = value >> (4 + 8 * (i - 1));
	return n + 1;
}

int aml_pkglen_size(size_t payload)
{
	int n;

	for (n = 1; n <= 4; n++) {
		static const u32 limit[] = { 0x3f, 0xfff, 0xfffff, 0xfffffff };

		if (payload <= limit[n - 1] - n)
			return n;
	}
	return -E2BIG;
}

/* Remember where an object's PkgLength goes. */
static int aml_open(struct aml *a)
{
	if (a->err)
		return a->err;
	if (a->depth == AML_MAX_DEPTH)
		return aml_fail(a, -E2BIG);
	a->open[a->depth++] = a->len;
	return 0;
}

int aml_end(struct aml *a)
{
	size_t start, payload;
	u8 enc[4];
	int n, r;

	if (a->err)
		return a->err;
	if (!a->depth)
		return aml_fail(a, -EINVAL);
	start = a->open[a->depth - 1];
	payload = a->len - start;
	n = aml_pkglen_size(payload);
	if (n < 0)
		return aml_fail(a, n);
	r = aml_reserve(a, n);
	if (r)
		return r;
	aml_pkglen_encode(payload + n, enc);
	memmove(a->buf + start + n, a->buf + start, payload);
	memcpy(a->buf + start, enc, n);
	a->len += n;
	a->depth--;
	return 0;
}

/* ---- Names */

/* A NameSeg from s[0..n): padded with '_'. */
static int name_seg(const char *s, size_t n, u8 seg[4])
{
	size_t i;

	if (n < 1 || n > 4 || (s[0] >= '0' && s[0] <= '9'))
		return -EINVAL;
	for (i = 0; i < 4; i++) {
		char c = i < n ? s[i] : '_';

		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return -EINVAL;
		seg[i] = c;
	}
	return 0;
}

/* Count the segments of "A.B.C"; -EINVAL for an empty one. */
static int count_segs(const char *p)
{
	int n = 1;

	if (!*p)
		return 0;
	for (; *p; p++)
		if (*p == '.')
			n++;
	return n > 255 ? -EINVAL : n;
}

static int name_prefix(struct aml *a, int nseg)
{
	if (nseg == 0)
		return aml_u8(a, AML_ZERO_OP);		/* NullName */
	if (nseg == 2)
		return aml_u8(a, AML_DUAL_NAME_PREFIX);
	if (nseg > 2)
		return aml_u8(a, AML_MULTI_NAME_PREFIX) ?: aml_u8(a, nseg);
	return 0;
}

int aml_name_string(struct aml *a, const char *path)
{
	const char *p = path, *dot;
	u8 seg[4];
	int nseg;

	if (a->err)
		return a->err;
	if (*p == '\\')
		aml_u8(a, *p++);
	else
		while (*p == '^')
			aml_u8(a, *p++);
	nseg = count_segs(p);
	if (nseg < 0 || (nseg == 0 && p == path))
		return aml_fail(a, -EINVAL);
	name_prefix(a, nseg);
	while (nseg-- > 0) {
		dot = strchr(p, '.');
		if (name_seg(p, dot ? (size_t)(dot - p) : strlen(p), seg))
			return aml_fail(a, -EINVAL);
		aml_put(a, seg, 4);
		p = dot ? dot + 1 : p + strlen(p);
	}
	return a->err;
}

/* ---- Data */

int aml_integer(struct aml *a, u64 v)
{
	if (v == 0)
		return aml_u8(a, AML_ZERO_OP);
	if (v == 1)
		return aml_u8(a, AML_ONE_OP);
	if (v <= 0xff)
		return aml_u8(a, AML_BYTE_PREFIX) ?: aml_u8(a, v);
	if (v <= 0xffff)
		return aml_u8(a, AML_WORD_PREFIX) ?: aml_u16(a, v);
	if (v <= 0xffffffffu)
		return aml_u8(a, AML_DWORD_PREFIX) ?: aml_u32(a, v);
	return aml_u8(a, AML_QWORD_PREFIX) ?: aml_u64(a, v);
}

int aml_dword(struct aml *a, u32 v)
{
	return aml_u8(a, AML_DWORD_PREFIX) ?: aml_u32(a, v);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int aml_eisaid_value(const char *id, u32 *out)
{
	u32 v = 0;
	int i, d;

	if (strlen(id) != 7)
		return -EINVAL;
	for (i = 0; i < 3; i++) {
		if (id[i] < 'A' || id[i] > 'Z')
			return -EINVAL;
		v = (v << 5) | (u32)(id[i] - 0x40);
	}
	for (i = 3; i < 7; i++) {
		d = hex_digit(id[i]);
		if (d < 0)
			return -EINVAL;
		v = (v << 4) | (u32)d;
	}
	/* stored big-endian: the letters in the first two bytes */
	*out = __builtin_bswap32(v);
	return 0;
}

int aml_eisaid(struct aml *a, const char *id)
{
	u32 v;

	if (a->err)
		return a->err;
	if (aml_eisaid_value(id, &v))
		return aml_fail(a, -EINVAL);
	return aml_dword(a, v);
}

int aml_string(struct aml *a, const char *s)
{
	const char *p;

	for (p = s; *p; p++)
		if ((unsigned char)*p > 0x7f)
			return aml_fail(a, -EINVAL);
	return aml_u8(a, AML_STRING_PREFIX) ?: aml_put(a, s, strlen(s) + 1);
}

int aml_buffer(struct aml *a, const void *p, size_t n)
{
	return aml_u8(a, AML_BUFFER_OP) ?: aml_open(a) ?:
	       aml_integer(a, n) ?: aml_put(a, p, n) ?: aml_end(a);
}

int aml_local(struct aml *a, unsigned int n)
{
	return n > 7 ? aml_fail(a, -EINVAL) : aml_u8(a, AML_LOCAL0_OP + n);
}

int aml_arg(struct aml *a, unsigned int n)
{
	return n > 6 ? aml_fail(a, -EINVAL) : aml_u8(a, AML_ARG0_OP + n);
}

int aml_op(struct aml *a, u8 op)
{
	return aml_u8(a, op);
}

/* ---- Named objects and statements */

int aml_name(struct aml *a, const char *name)
{
	return aml_u8(a, AML_NAME_OP) ?: aml_name_string(a, name);
}

int aml_store(struct aml *a)
{
	return aml_u8(a, AML_STORE_OP);
}

int aml_and(struct aml *a)
{
	return aml_u8(a, AML_AND_OP);
}

int aml_lequal(struct aml *a)
{
	return aml_u8(a, AML_LEQUAL_OP);
}

int aml_notify(struct aml *a)
{
	return aml_u8(a, AML_NOTIFY_OP);
}

int aml_null_target(struct aml *a)
{
	return aml_u8(a, AML_ZERO_OP);
}

static int ext_op(struct aml *a, u8 op)
{
	return aml_u8(a, AML_EXT_OP_PREFIX) ?: aml_u8(a, op);
}

int aml_operation_region(struct aml *a, const char *name,
			 enum aml_region_space space, u64 offset, u64 len)
{
	return ext_op(a, AML_EXT_OPREGION_OP) ?: aml_name_string(a, name) ?:
	       aml_u8(a, space) ?: aml_integer(a, offset) ?:
	       aml_integer(a, len);
}

/* ---- Objects with a PkgLength */

int aml_scope(struct aml *a, const char *path)
{
	return aml_u8(a, AML_SCOPE_OP) ?: aml_open(a) ?:
	       aml_name_string(a, path);
}

int aml_device(struct aml *a, const char *path)
{
	return ext_op(a, AML_EXT_DEVICE_OP) ?: aml_open(a) ?:
	       aml_name_string(a, path);
}

int aml_method(struct aml *a, const char *path, unsigned int nargs,
	       bool serialized)
{
	if (nargs > 7)
		return aml_fail(a, -EINVAL);
	return aml_u8(a, AML_METHOD_OP) ?: aml_open(a) ?:
	       aml_name_string(a, path) ?:
	       aml_u8(a, nargs | (serialized ? 1u << 3 : 0));
}

int aml_if(struct aml *a)
{
	return aml_u8(a, AML_IF_OP) ?: aml_open(a);
}

int aml_package(struct aml *a, unsigned int nelem)
{
	if (nelem > 255)
		return aml_fail(a, -EINVAL);
	return aml_u8(a, AML_PACKAGE_OP) ?: aml_open(a) ?: aml_u8(a, nelem);
}

int aml_field(struct aml *a, const char *region, enum aml_field_access acc,
	      unsigned int flags)
{
	if (acc > AML_ACCESS_QWORD || (flags & 0x0f) || flags > 0x7f)
		return aml_fail(a, -EINVAL);
	return ext_op(a, AML_EXT_FIELD_OP) ?: aml_open(a) ?:
	       aml_name_string(a, region) ?: aml_u8(a, acc | flags);
}

int aml_field_unit(struct aml *a, const char *name, u32 bits)
{
	u8 seg[4], enc[4];
	int n;

	if (a->err)
		return a->err;
	/* a unit's PkgLength is its width in bits, not counting itself */
	n = aml_pkglen_encode(bits, enc);
	if (n < 0)
		return aml_fail(a, n);
	if (!name)
		aml_u8(a, 0x00);		/* ReservedField */
	else if (name_seg(name, strlen(name), seg))
		return aml_fail(a, -EINVAL);
	else
		aml_put(a, seg, 4);
	return aml_put(a, enc, n);
}

/* ---- Resource descriptors */

#define RT_LARGE_MEM32_FIXED	0x86
#define RT_LARGE_DWORD_ADDR	0x87
#define RT_LARGE_WORD_ADDR	0x88
#define RT_LARGE_EXT_IRQ	0x89
#define RT_LARGE_QWORD_ADDR	0x8a
#define RT_SMALL_IO		0x47	/* tag 0x08, length 7 */
#define RT_SMALL_END		0x79	/* tag 0x0f, length 1 */

/* General flags: producer, positive decode, MinFixed, MaxFixed. */
#define RT_ADDR_FIXED		((1u << 2) | (1u << 3))

static int rt_large(struct aml *rt, u8 tag, u16 len)
{
	return aml_u8(rt, tag) ?: aml_u16(rt, len);
}

/* One field of a Word/DWord/QWord descriptor. */
static int rt_field(struct aml *rt, unsigned int size, u64 v)
{
	if (size == 2)
		return aml_u16(rt, v);
	if (size == 4)
		return aml_u32(rt, v);
	return aml_u64(rt, v);
}

int aml_rt_address(struct aml *rt, unsigned int size, enum aml_rt_type type,
		   u8 type_flags, u64 min, u64 max)
{
	static const u8 tags[9] = { [2] = RT_LARGE_WORD_ADDR,
				    [4] = RT_LARGE_DWORD_ADDR,
				    [8] = RT_LARGE_QWORD_ADDR };
	u64 limit;

	if (size > 8 || !tags[size])
		return aml_fail(rt, -EINVAL);
	limit = size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
	/* the length must fit too: [0, limit] as a whole does not */
	if (max < min || max > limit || (min == 0 && max == limit))
		return aml_fail(rt, -EINVAL);
	return rt_large(rt, tags[size], 3 + 5 * size) ?:
	       aml_u8(rt, type) ?: aml_u8(rt, RT_ADDR_FIXED) ?:
	       aml_u8(rt, type_flags) ?: rt_field(rt, size, 0) ?:
	       rt_field(rt, size, min) ?: rt_field(rt, size, max) ?:
	       rt_field(rt, size, 0) ?: rt_field(rt, size, max - min + 1);
}

int aml_rt_io(struct aml *rt, u16 min, u16 max, u8 align, u8 len)
{
	return aml_u8(rt, RT_SMALL_IO) ?: aml_u8(rt, 1) /* Decode16 */ ?:
	       aml_u16(rt, min) ?: aml_u16(rt, max) ?: aml_u8(rt, align) ?:
	       aml_u8(rt, len);
}

int aml_rt_memory32_fixed(struct aml *rt, u32 base, u32 len, bool rw)
{
	return rt_large(rt, RT_LARGE_MEM32_FIXED, 9) ?: aml_u8(rt, rw) ?:
	       aml_u32(rt, base) ?: aml_u32(rt, len);
}

int aml_rt_interrupt(struct aml *rt, u32 irq, u8 flags)
{
	if (flags & ~0x0fu)
		return aml_fail(rt, -EINVAL);
	return rt_large(rt, RT_LARGE_EXT_IRQ, 6) ?: aml_u8(rt, flags) ?:
	       aml_u8(rt, 1) ?: aml_u32(rt, irq);
}

int aml_rt_end(struct aml *rt)
{
	return aml_u8(rt, RT_SMALL_END) ?: aml_u8(rt, 0);
}
