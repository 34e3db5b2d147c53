/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * libmultios_hv - helpers private to the library.
 */
#ifndef _MHV_INTERNAL_H
#define _MHV_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>

/*
 * An snprintf-style output buffer: writes stop at the end of the buffer,
 * but @pos keeps counting, so the caller learns the length needed.
 */
struct mhv_out {
	char *buf;
	size_t len;
	size_t pos;
};

void mhv_out_init(struct mhv_out *o, char *buf, size_t len);
void mhv_out_printf(struct mhv_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* a JSON string literal, with quotes, escaping as RFC 8259 requires */
void mhv_out_json_string(struct mhv_out *o, const char *s);
int mhv_out_done(struct mhv_out *o);

#endif
