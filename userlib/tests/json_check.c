// SPDX-License-Identifier: LGPL-2.1
/*
 * A small, independent JSON checker for the tests (RFC 8259): a
 * recursive-descent parser that accepts exactly one value, and records
 * the members of the top-level object and of one nested object.
 * Deliberately shares no code with userlib/json.c.
 */
#include <string.h>

#include "tests.h"

#define MAX_KEYS	64
#define MAX_KEY_LEN	64
#define MAX_DEPTH	64

struct jp {
	const char *p;
	int depth;
	const char *nested;		/* record members of this member too */
	int in_nested;			/* depth of the nested object, or 0 */
	/* members of the top-level object (depth 1) */
	int nkeys;
	char keys[MAX_KEYS][MAX_KEY_LEN];
	const char *val_start[MAX_KEYS];
	const char *val_end[MAX_KEYS];
	/* members of the nested object */
	int nnested;
	char nkeys_nested[MAX_KEYS][MAX_KEY_LEN];
};

static int jp_value(struct jp *j);

static void jp_ws(struct jp *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
		j->p++;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One UTF-8 encoded code point starting at *p (>= 0x80): decode it. */
static int jp_utf8(const unsigned char **pp)
{
	const unsigned char *p = *pp;
	unsigned int cp, n, i, min;

	if (p[0] >= 0xc0 && p[0] < 0xe0) {
		n = 1; cp = p[0] & 0x1f; min = 0x80;
	} else if (p[0] >= 0xe0 && p[0] < 0xf0) {
		n = 2; cp = p[0] & 0x0f; min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] < 0xf8) {
		n = 3; cp = p[0] & 0x07; min = 0x10000;
	} else {
		return -1;
	}
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*pp = p + n + 1;
	return 0;
}

/* A string; its decoded ASCII text (others as '?') into @out if set. */
static int jp_string(struct jp *j, char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)j->p;
	size_t n = 0;
	char c;
	int i;

	if (*p++ != '"')
		return -1;
	for (;;) {
		if (*p == '"')
			break;
		if (*p < 0x20)		/* also the end of the text */
			return -1;
		if (*p == '\\') {
			p++;
			switch (*p) {
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			case '/': c = '/'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'u':
				for (i = 1; i <= 4; i++)
					if (hexval((char)p[i]) < 0)
						return -1;
				p += 4;
				c = '?';
				break;
			default:
				return -1;
			}
			p++;
		} else if (*p >= 0x80) {
			if (jp_utf8(&p))
				return -1;
			c = '?';
		} else {
			c = (char)*p++;
		}
		if (out && n + 1 < outlen)
			out[n++] = c;
	}
	if (out && outlen)
		out[n] = '\0';
	j->p = (const char *)p + 1;
	return 0;
}

static int jp_digits(struct jp *j)
{
	if (*j->p < '0' || *j->p > '9')
		return -1;
	while (*j->p >= '0' && *j->p <= '9')
		j->p++;
	return 0;
}

static int jp_number(struct jp *j)
{
	if (*j->p == '-')
		j->p++;
	if (*j->p == '0')
		j->p++;
	else if (jp_digits(j))
		return -1;
	if (*j->p == '.') {
		j->p++;
		if (jp_digits(j))
			return -1;
	}
	if (*j->p == 'e' || *j->p == 'E') {
		j->p++;
		if (*j->p == '+' || *j->p == '-')
			j->p++;
		if (jp_digits(j))
			return -1;
	}
	return 0;
}

static int jp_object(struct jp *j)
{
	char key[MAX_KEY_LEN];
	int idx, is_nested;

	j->p++;		/* '{' */
	jp_ws(j);
	if (*j->p == '}') {
		j->p++;
		return 0;
	}
	for (;;) {
		jp_ws(j);
		if (jp_string(j, key, sizeof(key)))
			return -1;
		jp_ws(j);
		if (*j->p != ':')
			return -1;
		j->p++;
		jp_ws(j);
		idx = -1;
		is_nested = 0;
		if (j->depth == 1 && j->nkeys < MAX_KEYS) {
			idx = j->nkeys++;
			strcpy(j->keys[idx], key);
			j->val_start[idx] = j->p;
			is_nested = j->nested && !strcmp(key, j->nested) &&
				    *j->p == '{';
		}
		if (j->in_nested && j->depth == j->in_nested &&
		    j->nnested < MAX_KEYS)
			strcpy(j->nkeys_nested[j->nnested++], key);
		if (is_nested)
			j->in_nested = 2;
		if (jp_value(j))
			return -1;
		if (is_nested)
			j->in_nested = -1;	/* done: do not record again */
		if (idx >= 0)
			j->val_end[idx] = j->p;
		jp_ws(j);
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p != '}')
			return -1;
		j->p++;
		return 0;
	}
}

static int jp_array(struct jp *j)
{
	j->p++;		/* '[' */
	jp_ws(j);
	if (*j->p == ']') {
		j->p++;
		return 0;
	}
	for (;;) {
		if (jp_value(j))
			return -1;
		jp_ws(j);
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p != ']')
			return -1;
		j->p++;
		return 0;
	}
}

static int jp_literal(struct jp *j, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(j->p, lit, n))
		return -1;
	j->p += n;
	return 0;
}

static int jp_value(struct jp *j)
{
	int r;

	jp_ws(j);
	if (++j->depth > MAX_DEPTH)
		return -1;
	switch (*j->p) {
	case '{':
		r = jp_object(j);
		break;
	case '[':
		r = jp_array(j);
		break;
	case '"':
		r = jp_string(j, NULL, 0);
		break;
	case 't':
		r = jp_literal(j, "true");
		break;
	case 'f':
		r = jp_literal(j, "false");
		break;
	case 'n':
		r = jp_literal(j, "null");
		break;
	default:
		r = jp_number(j);
	}
	j->depth--;
	if (!r)
		jp_ws(j);
	return r;
}

static int jp_parse(struct jp *j, const char *s, const char *nested)
{
	memset(j, 0, sizeof(*j));
	j->p = s;
	j->nested = nested;
	if (jp_value(j))
		return -1;
	return *j->p ? -1 : 0;
}

int json_valid(const char *s)
{
	struct jp j;

	return jp_parse(&j, s, NULL) == 0;
}

int json_keys_are(const char *s, const char *member, const char *const *keys)
{
	struct jp j;
	int i, n;

	if (jp_parse(&j, s, member))
		return 0;
	while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
		s++;
	if (*s != '{')
		return 0;
	n = member ? j.nnested : j.nkeys;
	for (i = 0; keys[i]; i++)
		if (i >= n || strcmp(keys[i], member ? j.nkeys_nested[i] : j.keys[i]))
			return 0;
	if (member && j.in_nested == 0)
		return 0;	/* no such member, or not an object */
	return i == n;
}

int json_member_raw(const char *s, const char *key, char *buf, size_t len)
{
	struct jp j;
	size_t n;
	int i;

	if (jp_parse(&j, s, NULL))
		return -1;
	for (i = 0; i < j.nkeys; i++) {
		if (strcmp(j.keys[i], key))
			continue;
		n = (size_t)(j.val_end[i] - j.val_start[i]);
		while (n && strchr(" \t\r\n", j.val_start[i][n - 1]))
			n--;
		if (n + 1 > len)
			return -1;
		memcpy(buf, j.val_start[i], n);
		buf[n] = '\0';
		return 0;
	}
	return -1;
}
