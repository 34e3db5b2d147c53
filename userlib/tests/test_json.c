// SPDX-License-Identifier: LGPL-2.1
/*
 * The JSON writer of json.c and the bounded buffer of out.c; also that
 * the independent checker of json_check.c tells good JSON from bad.
 */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "internal.h"
#include "tests.h"

/* mhv_json_string(@in) must give exactly @want, which must be valid. */
static void expect_string(const char *in, const char *want)
{
	struct mhv_out o;
	char buf[256];
	int n;

	mhv_out_init(&o, buf, sizeof(buf));
	mhv_json_string(&o, in);
	n = mhv_out_done(&o);
	CU_ASSERT_STRING_EQUAL(buf, want);
	CU_ASSERT_EQUAL(n, (int)strlen(want));
	CU_ASSERT(json_valid(buf));
}

static void test_escape_ascii(void)
{
	expect_string("plain text", "\"plain text\"");
	expect_string("", "\"\"");
	expect_string("say \"hi\"", "\"say \\\"hi\\\"\"");
	expect_string("C:\\dir\\", "\"C:\\\\dir\\\\\"");
	expect_string("/slash/", "\"/slash/\"");	/* '/' needs no escape */
	expect_string("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
	expect_string("\x01\x02\x1f", "\"\\u0001\\u0002\\u001f\"");
	expect_string("del\x7f", "\"del\\u007f\"");
	expect_string("\x1b[1m", "\"\\u001b[1m\"");
	expect_string(NULL, "null");
}

static void test_escape_utf8(void)
{
	/* valid UTF-8 passes unchanged: 2, 3 and 4 byte sequences */
	expect_string("caf\xc3\xa9", "\"caf\xc3\xa9\"");
	expect_string("\xe2\x82\xac 5", "\"\xe2\x82\xac 5\"");
	expect_string("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");
	expect_string("\xef\xbf\xbd", "\"\xef\xbf\xbd\"");	/* U+FFFD */
	expect_string("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"");	/* U+10FFFF */

	/* anything else: one U+FFFD per offending byte */
	expect_string("\xff", "\"\\ufffd\"");
	expect_string("\x80", "\"\\ufffd\"");			/* lone continuation */
	expect_string("a\xc3", "\"a\\ufffd\"");			/* cut short */
	expect_string("\xc3(", "\"\\ufffd(\"");
	expect_string("\xc0\xaf", "\"\\ufffd\\ufffd\"");	/* overlong '/' */
	expect_string("\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"");
	expect_string("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");	/* surrogate */
	expect_string("\xf0\x8f\xbf\xbf",
		      "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");	/* overlong 4 */
	expect_string("\xf4\x90\x80\x80",
		      "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");	/* > U+10FFFF */
	expect_string("\xf5\x80", "\"\\ufffd\\ufffd\"");
	expect_string("\xe2\x82\"", "\"\\ufffd\\ufffd\\\"\"");
}

static void test_string_n(void)
{
	char unterminated[4] = { 'a', 'b', 'c', 'd' };
	struct mhv_out o;
	char buf[64];

	mhv_out_init(&o, buf, sizeof(buf));
	mhv_json_string_n(&o, "abcdef", 3);
	CU_ASSERT_STRING_EQUAL(buf, "\"abc\"");

	mhv_out_init(&o, buf, sizeof(buf));
	mhv_json_string_n(&o, "abcdef", 0);
	CU_ASSERT_STRING_EQUAL(buf, "\"\"");

	/* must not read past @max (valgrind would see it) */
	mhv_out_init(&o, buf, sizeof(buf));
	mhv_json_string_n(&o, unterminated, sizeof(unterminated));
	CU_ASSERT_STRING_EQUAL(buf, "\"abcd\"");

	/* a UTF-8 sequence cut by @max is not valid any more */
	mhv_out_init(&o, buf, sizeof(buf));
	mhv_json_string_n(&o, "x\xc3\xa9", 2);
	CU_ASSERT_STRING_EQUAL(buf, "\"x\\ufffd\"");
}

static void test_writer(void)
{
	static const char want[] =
		"{\"a\": 1, \"b\": [true, false, null, -5, \"x\"], "
		"\"c\": {}, \"d\": [], \"e\": {\"f\": 18446744073709551615, "
		"\"g\": [{\"h\": \"q\\\"\"}, []]}, \"k\\n\": \"v\"}";
	struct mhv_json j;
	struct mhv_out o;
	char buf[256];

	mhv_out_init(&o, buf, sizeof(buf));
	mhv_json_init(&j, &o);
	mhv_json_begin_object(&j, NULL);
	mhv_json_uint(&j, "a", 1);
	mhv_json_begin_array(&j, "b");
	mhv_json_bool(&j, NULL, true);
	mhv_json_bool(&j, NULL, false);
	mhv_json_null(&j, NULL);
	mhv_json_int(&j, NULL, -5);
	mhv_json_str(&j, NULL, "x");
	mhv_json_end_array(&j);
	mhv_json_begin_object(&j, "c");
	mhv_json_end_object(&j);
	mhv_json_begin_array(&j, "d");
	mhv_json_end_array(&j);
	mhv_json_begin_object(&j, "e");
	mhv_json_uint(&j, "f", UINT64_MAX);
	mhv_json_begin_array(&j, "g");
	mhv_json_begin_object(&j, NULL);
	mhv_json_str(&j, "h", "q\"");
	mhv_json_end_object(&j);
	mhv_json_begin_array(&j, NULL);
	mhv_json_end_array(&j);
	mhv_json_end_array(&j);
	mhv_json_end_object(&j);
	mhv_json_strn(&j, "k\n", "value", 1);
	mhv_json_end_object(&j);

	CU_ASSERT_EQUAL(mhv_json_finish(&j), 0);
	CU_ASSERT_EQUAL(mhv_out_done(&o), (int)strlen(want));
	CU_ASSERT_STRING_EQUAL(buf, want);
	CU_ASSERT(json_valid(buf));
}

static void test_writer_errors(void)
{
	struct mhv_json j;
	struct mhv_out o;
	char buf[512];
	unsigned int i;

	mhv_out_init(&o, buf, sizeof(buf));
	mhv_json_init(&j, &o);
	mhv_json_begin_object(&j, NULL);
	CU_ASSERT_EQUAL(mhv_json_finish(&j), -EINVAL);	/* still open */
	mhv_json_end_object(&j);
	CU_ASSERT_EQUAL(mhv_json_finish(&j), 0);
	mhv_json_end_object(&j);			/* one too many */
	CU_ASSERT_EQUAL(mhv_json_finish(&j), -EINVAL);

	mhv_out_init(&o, buf, sizeof(buf));
	mhv_json_init(&j, &o);
	for (i = 0; i < MHV_JSON_MAX_DEPTH; i++)
		mhv_json_begin_array(&j, NULL);
	CU_ASSERT_EQUAL(j.err, 0);
	mhv_json_begin_array(&j, NULL);			/* too deep */
	CU_ASSERT_EQUAL(mhv_json_finish(&j), -EINVAL);
	CU_ASSERT_EQUAL(strlen(buf), MHV_JSON_MAX_DEPTH);
}

static void test_out(void)
{
	struct mhv_out o;
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	mhv_out_init(&o, buf, 5);
	mhv_out_write(&o, "abc", 3);
	mhv_out_putc(&o, 'd');
	CU_ASSERT_STRING_EQUAL(buf, "abcd");
	mhv_out_putc(&o, 'e');				/* no room: counted */
	mhv_out_printf(&o, "%d", 123);
	CU_ASSERT_STRING_EQUAL(buf, "abcd");
	CU_ASSERT_EQUAL(mhv_out_done(&o), 8);
	CU_ASSERT_EQUAL(buf[5], 'x');			/* past len: untouched */

	mhv_out_init(&o, buf, 4);
	mhv_out_printf(&o, "%s", "hello");
	mhv_out_write(&o, "!", 1);
	CU_ASSERT_STRING_EQUAL(buf, "hel");
	CU_ASSERT_EQUAL(mhv_out_done(&o), 6);

	mhv_out_init(&o, NULL, 0);
	mhv_out_printf(&o, "%s", "hello");
	mhv_out_write(&o, "!", 1);
	CU_ASSERT_EQUAL(mhv_out_done(&o), 6);

	o.pos = (size_t)INT_MAX + 1;
	CU_ASSERT_EQUAL(mhv_out_done(&o), -EOVERFLOW);
}

/* The checker the other tests rely on must reject what is not JSON. */
static void test_checker(void)
{
	static const char *const good[] = {
		"{}", "[]", "0", "-0.5e+3", "\"\"", "true", "null",
		" {\"a\": [1, 2.5, -3e7, \"x\\u00e9\\n\", {}, []], \"b\": false} ",
		"\"caf\xc3\xa9\"",
	};
	static const char *const bad[] = {
		"", "{", "}", "{\"a\" 1}", "{\"a\": 1,}", "{a: 1}", "[1 2]",
		"[1,]", "\"\x01\"", "\"abc", "01", "1.", ".5", "-", "tru",
		"{} {}", "\"\\x\"", "\"\\u12\"", "\"\xff\"", "\"\xc0\xaf\"",
		"\"\xed\xa0\x80\"", "'a'", "nul", "{\"a\": }",
	};
	const char *const keys[] = { "a", "b", NULL };
	const char *const keys_ab[] = { "b", "a", NULL };
	char raw[32];
	unsigned int i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		CU_ASSERT(json_valid(good[i]));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT(!json_valid(bad[i]));

	CU_ASSERT(json_keys_are("{\"a\": 1, \"b\": {\"c\": 2}}", NULL, keys));
	CU_ASSERT(!json_keys_are("{\"a\": 1, \"b\": {\"c\": 2}}", NULL, keys_ab));
	CU_ASSERT(!json_keys_are("{\"a\": 1}", NULL, keys));
	CU_ASSERT(!json_keys_are("{\"a\": 1, \"b\": 2, \"c\": 3}", NULL, keys));
	CU_ASSERT(!json_keys_are("[\"a\", \"b\"]", NULL, keys));
	CU_ASSERT(json_keys_are("{\"x\": {\"a\": 1, \"b\": {\"z\": 0}}}", "x", keys));
	CU_ASSERT(!json_keys_are("{\"x\": {\"a\": 1}}", "x", keys));
	CU_ASSERT(!json_keys_are("{\"x\": 1}", "x", keys));
	CU_ASSERT(!json_keys_are("{\"y\": {\"a\": 1, \"b\": 2}}", "x", keys));

	CU_ASSERT_EQUAL(json_member_raw("{\"a\": [1, 2] , \"b\": 3}", "a",
					raw, sizeof(raw)), 0);
	CU_ASSERT_STRING_EQUAL(raw, "[1, 2]");
	CU_ASSERT_EQUAL(json_member_raw("{\"a\": 1}", "b", raw, sizeof(raw)), -1);
	CU_ASSERT_EQUAL(json_member_raw("{\"a\": 1", "a", raw, sizeof(raw)), -1);
}

int register_json_tests(void)
{
	ADD_SUITE("json",
		  { "escape_ascii", test_escape_ascii },
		  { "escape_utf8", test_escape_utf8 },
		  { "string_n", test_string_n },
		  { "writer", test_writer },
		  { "writer_errors", test_writer_errors },
		  { "out", test_out },
		  { "checker", test_checker });
}
