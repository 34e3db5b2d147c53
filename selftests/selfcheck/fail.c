// SPDX-License-Identifier: GPL-2.0
/*
 * Self-check of the test harness: this program must be reported as
 * failing. `make check` boots the test VM with mhv.mode=selfcheck-fail,
 * runs it, and counts "selfcheck_failing_test_detected" as passed only if
 * tools/testvm/run.sh saw the failure below (and the pass next to it).
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
