// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - bounded text and JSON output.
 */
#include <limits.h>
#include <stdio.h>

#include "internal.h"

void mhv_out_init(struct mhv_out *o, char *buf, size_t len)
{
	o->buf = buf;
	o->len = len;
	o->pos = 0;
	if (len)
		buf[0] = '\0';
}

static void mhv_out_vprintf(struct mhv_out *o, const char *fmt, va_list ap)
{
	size_t room = o->pos < o->len ? o->len - o->pos : 0;
	int n = vsnprintf(room ? o->buf + o->pos : NULL, room, fmt, ap);

	if (n > 0)
		o->pos += (size_t)n;
}

void mhv_out_printf(struct mhv_out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mhv_out_vprintf(o, fmt, ap);
	va_end(ap);
}

void mhv_out_json_string(struct mhv_out *o, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	mhv_out_printf(o, "\"");
	for (; *p; p++) {
		switch (*p) {
		case '"':
			mhv_out_printf(o, "\\\"");
			break;
		case '\\':
			mhv_out_printf(o, "\\\\");
			break;
		case '\n':
			mhv_out_printf(o, "\\n");
			break;
		case '\r':
			mhv_out_printf(o, "\\r");
			break;
		case '\t':
			mhv_out_printf(o, "\\t");
			break;
		default:
			if (*p < 0x20)
				mhv_out_printf(o, "\\u%04x", *p);
			else
				mhv_out_printf(o, "%c", *p);
		}
	}
	mhv_out_printf(o, "\"");
}

int mhv_out_done(struct mhv_out *o)
{
	if (o->len && o->pos >= o->len)
		o->buf[o->len - 1] = '\0';
	return o->pos > INT_MAX ? INT_MAX : (int)o->pos;
}
