// SPDX-License-Identifier: GPL-2.0
/*
 * The harness self-check: this test fails on purpose. `make check` runs
 * it in a separate boot (mhv.mode=selfcheck-fail) and passes only if the
 * harness reports the failure, so the harness is shown able to fail.
 */
#include "kselftest_harness.h"

TEST(passes)
{
	ASSERT_EQ(1, 1);
}

TEST(fails_on_purpose)
{
	ASSERT_EQ(1, 2) TH_LOG("deliberate failure (harness self-check)");
}

TEST_HARNESS_MAIN
