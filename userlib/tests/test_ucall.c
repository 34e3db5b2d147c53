// SPDX-License-Identifier: LGPL-2.1
/*
 * mhv_ucall_format(): a guest call as one line.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "mhv_guest.h"
#include "tests.h"

static void test_assert_line(void)
{
	struct mhv_ucall uc = {
		.cmd = MHV_UCALL_ASSERT, .args = { 8, 9 },
		.expr = "x + 1 == 9", .file = "guest.c", .line = 42,
	};
	char buf[128];
	int n = mhv_ucall_format(&uc, buf, sizeof(buf));

	CU_ASSERT_STRING_EQUAL(buf,
		"guest assertion failed: x + 1 == 9 at guest.c:42 (0x8, 0x9)");
	CU_ASSERT_EQUAL(n, (int)strlen(buf));
}

static void test_other_calls(void)
{
	struct mhv_ucall uc = { .cmd = MHV_UCALL_SYNC, .args = { 1, 0x20 },
				.file = "g.c", .line = 7 };
	char buf[128];

	mhv_ucall_format(&uc, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "guest sync (0x1, 0x20) at g.c:7");
	uc.cmd = MHV_UCALL_DONE;
	mhv_ucall_format(&uc, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "guest done at g.c:7");
	uc.cmd = 77;
	uc.file = NULL;
	mhv_ucall_format(&uc, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "unknown guest call 77 at ?:7");
}

/* A short buffer: truncated, terminated, the full length returned. */
static void test_short_buffer(void)
{
	struct mhv_ucall uc = { .cmd = MHV_UCALL_ASSERT, .expr = "a",
				.file = "f", .line = 1 };
	char buf[8];
	int n = mhv_ucall_format(&uc, buf, sizeof(buf));

	CU_ASSERT_EQUAL(strlen(buf), sizeof(buf) - 1);
	CU_ASSERT(n > (int)sizeof(buf));
}

int register_ucall_tests(void)
{
	ADD_SUITE("ucall",
		  { "assert_line", test_assert_line },
		  { "other_calls", test_other_calls },
		  { "short_buffer", test_short_buffer });
}
