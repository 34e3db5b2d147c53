// SPDX-License-Identifier: GPL-2.0
/*
 * Self-check of the test harness: this program must be reported as
 * failing. `make check` boots the test VM with mhv.mode=selfcheck-fail,
 * runs it, and counts "selfcheck_failing_test_detected" as passed only if
 * tools/testvm/run.sh reported it as exactly "FAIL selfcheck/fail (1
 * passed, 1 failed, 0 skipped, exit code 1)": the failure below caught
 * and the pass next to it counted (tools/check.sh).
 */
#include "kselftest_harness.h"

TEST(passes)
{
	ASSERT_EQ(2, 1 + 1);
}

TEST(fails_on_purpose)
{
	TH_LOG("this assertion fails on purpose (harness self-check)");
	ASSERT_EQ(3, 1 + 1);
}

TEST_HARNESS_MAIN
