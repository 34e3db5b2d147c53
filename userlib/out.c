// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - bounded text output (snprintf-style).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

void mhv_out_init(struct mhv_out *o, char *buf, size_t len)
{
	o->buf = buf;
	o->len = buf ? len : 0;
	o->pos = 0;
	if (o->len)
		buf[0] = '\0';
}

/* Bytes that still fit before the terminating NUL. */
static size_t mhv_out_room(const struct mhv_out *o)
{
	return o->pos + 1 < o->len ? o->len - 1 - o->pos : 0;
}

void mhv_out_printf(struct mhv_out *o, const char *fmt, ...)
{
	size_t room = o->pos < o->len ? o->len - o->pos : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	/* vsnprintf NUL-terminates what fits and returns the full length */
	n = vsnprintf(room ? o->buf + o->pos : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->pos += (size_t)n;
}

void mhv_out_write(struct mhv_out *o, const char *s, size_t n)
{
	size_t room = mhv_out_room(o), copy = n < room ? n : room;

	if (copy) {
		memcpy(o->buf + o->pos, s, copy);
		o->buf[o->pos + copy] = '\0';
	}
	o->pos += n;
}

void mhv_out_putc(struct mhv_out *o, char c)
{
	mhv_out_write(o, &c, 1);
}

int mhv_out_done(struct mhv_out *o)
{
	return o->pos > INT_MAX ? -EOVERFLOW : (int)o->pos;
}
