// SPDX-License-Identifier: GPL-2.0-only
/* The firmware's printf engine (see format.h). */
#include "firmware/format.h"

#define FMT_MAX_WIDTH	64

struct fmt_out {
	fw_putc_fn put;
	void *ctx;
	int n;
};

struct fmt_spec {
	int width;
	char pad;
	int is_long;
};

static void emit(struct fmt_out *o, char c)
{
	o->put(o->ctx, c);
	o->n++;
}

static void emit_str(struct fmt_out *o, const char *s, int width, char pad)
{
	int len = 0;

	if (!s)
		s = "(null)";
	while (s[len])
		len++;
	for (; width > len; width--)
		emit(o, pad);
	while (*s)
		emit(o, *s++);
}

static void emit_num(struct fmt_out *o, u64 v, unsigned int base, int neg,
		     const struct fmt_spec *sp)
{
	char tmp[24];
	int i = (int)sizeof(tmp) - 1;

	tmp[i] = '\0';
	do {
		tmp[--i] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg && sp->pad == '0') {
		emit(o, '-');
		emit_str(o, tmp + i, sp->width - 1, '0');
		return;
	}
	if (neg)
		tmp[--i] = '-';
	emit_str(o, tmp + i, sp->width, sp->pad);
}

static void emit_conv(struct fmt_out *o, char conv, const struct fmt_spec *sp,
		      va_list *ap)
{
	long long sv;
	u64 uv;

	switch (conv) {
	case 's':
		emit_str(o, va_arg(*ap, const char *), sp->width, ' ');
		break;
	case 'c':
		emit(o, (char)va_arg(*ap, int));
		break;
	case 'd':
		sv = sp->is_long ? va_arg(*ap, long) : va_arg(*ap, int);
		uv = sv < 0 ? (u64)0 - (u64)sv : (u64)sv;
		emit_num(o, uv, 10, sv < 0, sp);
		break;
	case 'u':
	case 'x':
		uv = sp->is_long ? va_arg(*ap, unsigned long) :
				   va_arg(*ap, unsigned int);
		emit_num(o, uv, conv == 'x' ? 16 : 10, 0, sp);
		break;
	case '%':
		emit(o, '%');
		break;
	default:
		emit(o, '%');
		if (conv)
			emit(o, conv);
		break;
	}
}

/* Parses flags, width and 'l' after a '%'; returns the conversion char. */
static const char *parse_spec(const char *f, struct fmt_spec *sp)
{
	sp->width = 0;
	sp->pad = ' ';
	sp->is_long = 0;
	if (*f == '0') {
		sp->pad = '0';
		f++;
	}
	for (; *f >= '0' && *f <= '9'; f++)
		if (sp->width < FMT_MAX_WIDTH)
			sp->width = sp->width * 10 + (*f - '0');
	if (sp->width > FMT_MAX_WIDTH)
		sp->width = FMT_MAX_WIDTH;
	while (*f == 'l') {
		sp->is_long = 1;
		f++;
	}
	return f;
}

int fw_vformat(fw_putc_fn put, void *ctx, const char *fmt, va_list ap)
{
	struct fmt_out o = { .put = put, .ctx = ctx };
	struct fmt_spec sp;
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			emit(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp);
		emit_conv(&o, *fmt, &sp, &aq);
		if (*fmt)
			fmt++;
	}
	va_end(aq);
	return o.n;
}

struct buf_ctx {
	char *buf;
	size_t size, pos;
};

static void buf_put(void *ctx, char c)
{
	struct buf_ctx *b = ctx;

	if (b->pos + 1 < b->size)
		b->buf[b->pos] = c;
	b->pos++;
}

int fw_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	struct buf_ctx b = { .buf = buf, .size = size };
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fw_vformat(buf_put, &b, fmt, ap);
	va_end(ap);
	if (size)
		buf[b.pos < size ? b.pos : size - 1] = '\0';
	return n;
}
