// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - a small JSON writer (RFC 8259) over struct mhv_out.
 *
 * Enough for the tools' --json output: strings with full escaping,
 * integers, booleans, null, nested objects and arrays, on one line.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "internal.h"

/*
 * Length of the valid UTF-8 sequence at @p (at most @n bytes), or 0 when
 * @p does not start one. Follows the well-formed byte sequences of the
 * Unicode standard (table 3-7): no overlong forms, no surrogates, nothing
 * past U+10FFFF.
 */
static size_t utf8_seq_len(const unsigned char *p, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		if (p[0] == 0xe0)
			lo = 0xa0;	/* no overlong 3-byte forms */
		else if (p[0] == 0xed)
			hi = 0x9f;	/* no UTF-16 surrogates */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		if (p[0] == 0xf0)
			lo = 0x90;	/* no overlong 4-byte forms */
		else if (p[0] == 0xf4)
			hi = 0x8f;	/* nothing past U+10FFFF */
	} else {
		return 0;	/* continuation byte, C0, C1, F5..FF */
	}
	if (n < len)
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

/* The two-character escape of @c, or NULL. */
static const char *json_short_escape(unsigned char c)
{
	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\b':
		return "\\b";
	case '\f':
		return "\\f";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	default:
		return NULL;
	}
}

static void json_escape(struct mhv_out *o, const unsigned char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const char *short_esc;
	size_t i = 0, run, k = 0;
	char esc[6];

	mhv_out_putc(o, '"');
	while (i < n) {
		/* copy the longest stretch that needs no escaping at once */
		for (run = i; run < n; run += k) {
			if (s[run] < 0x20 || s[run] == '"' || s[run] == '\\' ||
			    s[run] == 0x7f)
				break;
			k = utf8_seq_len(s + run, n - run);
			if (!k)
				break;
		}
		mhv_out_write(o, (const char *)s + i, run - i);
		i = run;
		if (i == n)
			break;

		short_esc = json_short_escape(s[i]);
		if (short_esc) {
			mhv_out_write(o, short_esc, 2);
		} else if (s[i] < 0x20 || s[i] == 0x7f) {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[s[i] >> 4];
			esc[5] = hex[s[i] & 0xf];
			mhv_out_write(o, esc, sizeof(esc));
		} else {
			/* not valid UTF-8: the replacement character */
			mhv_out_write(o, "\\ufffd", 6);
		}
		i++;
	}
	mhv_out_putc(o, '"');
}

void mhv_json_string_n(struct mhv_out *o, const char *s, size_t max)
{
	if (!s)
		mhv_out_write(o, "null", 4);
	else
		json_escape(o, (const unsigned char *)s, strnlen(s, max));
}

void mhv_json_string(struct mhv_out *o, const char *s)
{
	if (!s)
		mhv_out_write(o, "null", 4);
	else
		json_escape(o, (const unsigned char *)s, strlen(s));
}

/* ---- the structured writer ----------------------------------------------- */

void mhv_json_init(struct mhv_json *j, struct mhv_out *out)
{
	j->out = out;
	j->depth = 0;
	j->has_items = 0;
	j->err = 0;
}

/* The comma and the key in front of a value. */
static void json_member(struct mhv_json *j, const char *key)
{
	uint32_t bit;

	if (j->depth) {
		bit = 1U << (j->depth - 1);
		if (j->has_items & bit)
			mhv_out_write(j->out, ", ", 2);
		j->has_items |= bit;
	}
	if (key) {
		mhv_json_string(j->out, key);
		mhv_out_write(j->out, ": ", 2);
	}
}

static void json_open(struct mhv_json *j, const char *key, char c)
{
	if (j->depth >= MHV_JSON_MAX_DEPTH) {
		j->err = -EINVAL;
		return;
	}
	json_member(j, key);
	mhv_out_putc(j->out, c);
	j->depth++;
	j->has_items &= ~(1U << (j->depth - 1));
}

static void json_close(struct mhv_json *j, char c)
{
	if (!j->depth) {
		j->err = -EINVAL;
		return;
	}
	j->depth--;
	mhv_out_putc(j->out, c);
}

void mhv_json_begin_object(struct mhv_json *j, const char *key)
{
	json_open(j, key, '{');
}

void mhv_json_end_object(struct mhv_json *j)
{
	json_close(j, '}');
}

void mhv_json_begin_array(struct mhv_json *j, const char *key)
{
	json_open(j, key, '[');
}

void mhv_json_end_array(struct mhv_json *j)
{
	json_close(j, ']');
}

void mhv_json_strn(struct mhv_json *j, const char *key, const char *val,
		   size_t max)
{
	json_member(j, key);
	mhv_json_string_n(j->out, val, max);
}

void mhv_json_str(struct mhv_json *j, const char *key, const char *val)
{
	json_member(j, key);
	mhv_json_string(j->out, val);
}

void mhv_json_uint(struct mhv_json *j, const char *key, uint64_t val)
{
	json_member(j, key);
	mhv_out_printf(j->out, "%" PRIu64, val);
}

void mhv_json_int(struct mhv_json *j, const char *key, int64_t val)
{
	json_member(j, key);
	mhv_out_printf(j->out, "%" PRId64, val);
}

void mhv_json_bool(struct mhv_json *j, const char *key, bool val)
{
	json_member(j, key);
	if (val)
		mhv_out_write(j->out, "true", 4);
	else
		mhv_out_write(j->out, "false", 5);
}

void mhv_json_null(struct mhv_json *j, const char *key)
{
	json_member(j, key);
	mhv_out_write(j->out, "null", 4);
}

int mhv_json_finish(struct mhv_json *j)
{
	return j->err ? j->err : j->depth ? -EINVAL : 0;
}
