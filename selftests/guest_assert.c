// SPDX-License-Identifier: GPL-2.0
/*
 * A failed guest assertion is reported with its expression, file and
 * line (and, for GUEST_ASSERT_EQ, both values): in the guest call itself,
 * in mhv_ucall_format() (which the selftests and the tutorials print),
 * and end to end in the log of a selftest whose guest asserts.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define ARG	7

/* the line of the first assertion in guest_asserts() */
enum { ASSERT_LINE = __LINE__ + 4 };

static void guest_asserts(uint64_t arg)
{
	GUEST_ASSERT(arg == 42);
	GUEST_ASSERT_EQ(arg + 1, 9);
	GUEST_DONE();
}

TEST(assert_fields)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	ASSERT_EQ(0, mhv_guest_create(&g, "assert", 1, 64, guest_asserts, ARG));
	ASSERT_EQ(MHV_UCALL_ASSERT, mhv_guest_run(&g, 0, &uc));
	EXPECT_STREQ("arg == 42", uc.expr);
	EXPECT_STREQ(__FILE__, uc.file);
	EXPECT_EQ(ASSERT_LINE, uc.line);
	EXPECT_EQ(0, uc.args[0]);
	EXPECT_EQ(0, uc.args[1]);
	/* the guest goes on after the call: the next assertion */
	ASSERT_EQ(MHV_UCALL_ASSERT, mhv_guest_run(&g, 0, &uc));
	EXPECT_STREQ("arg + 1 == 9", uc.expr);
	EXPECT_STREQ(__FILE__, uc.file);
	EXPECT_EQ(ASSERT_LINE + 1, uc.line);
	EXPECT_EQ(ARG + 1, uc.args[0]);
	EXPECT_EQ(9, uc.args[1]);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

TEST(assert_formatted)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	char got[512], want[512];

	ASSERT_EQ(0, mhv_guest_create(&g, "assert-fmt", 1, 64, guest_asserts, ARG));
	ASSERT_EQ(MHV_UCALL_ASSERT, mhv_guest_run(&g, 0, &uc));
	mhv_ucall_format(&uc, got, sizeof(got));
	snprintf(want, sizeof(want),
		 "guest assertion failed: arg == 42 at %s:%d (0x0, 0x0)",
		 __FILE__, ASSERT_LINE);
	EXPECT_STREQ(want, got);
	ASSERT_EQ(MHV_UCALL_ASSERT, mhv_guest_run(&g, 0, &uc));
	mhv_ucall_format(&uc, got, sizeof(got));
	snprintf(want, sizeof(want),
		 "guest assertion failed: arg + 1 == 9 at %s:%d (0x%x, 0x9)",
		 __FILE__, ASSERT_LINE + 1, ARG + 1);
	EXPECT_STREQ(want, got);
	mhv_guest_destroy(&g);
}

/*
 * A test that expects GUEST_DONE from a guest that asserts, run in a
 * child whose log goes into a pipe: the child fails, and its log names
 * the expression, file and line.
 */
TEST(failing_guest_assert_fails_the_test_with_its_report)
{
	char log[8192], want[512];
	ssize_t n, len = 0;
	int p[2], status;
	pid_t pid;

	ASSERT_EQ(0, pipe(p));
	fflush(stderr);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct mhv_guest g;
		struct mhv_ucall uc;

		close(p[0]);
		dup2(p[1], STDERR_FILENO);
		dup2(p[1], STDOUT_FILENO);
		if (mhv_guest_create(&g, "assert-child", 1, 64, guest_asserts, ARG))
			_exit(3);
		EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
		_exit(0);	/* not reached: EXPECT_UCALL fails */
	}
	close(p[1]);
	while (len < (ssize_t)sizeof(log) - 1 &&
	       (n = read(p[0], log + len, sizeof(log) - 1 - len)) > 0)
		len += n;
	log[len] = '\0';
	close(p[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_FALSE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("the child's test passed: %s", log);
	EXPECT_FALSE(WIFEXITED(status) && WEXITSTATUS(status) == 3);
	snprintf(want, sizeof(want),
		 "guest assertion failed: arg == 42 at %s:%d (0x0, 0x0)\n",
		 __FILE__, ASSERT_LINE);
	EXPECT_NE(NULL, strstr(log, want)) TH_LOG("child's log: %s", log);
}

TEST_HARNESS_MAIN
