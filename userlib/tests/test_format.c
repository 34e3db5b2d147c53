// SPDX-License-Identifier: LGPL-2.1
/*
 * Statistics as text (capabilities: test_caps.c).
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "libmultios_hv.h"
#include "tests.h"

static void test_stats(void)
{
	struct mhv_vcpu_stats st;
	char buf[2048];

	memset(&st, 0, sizeof(st));
	st.nr = MHV_STAT_NR;
	st.counters[MHV_STAT_EXITS] = 42;
	st.counters[MHV_STAT_IO] = 40;
	st.counters[MHV_STAT_NPF] = 2;
	mhv_stats_format(&st, buf, sizeof(buf));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "io                     40"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "npf                     2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "total exits            42"));
	CU_ASSERT_PTR_NULL(strstr(buf, "hlt"));
	st.nr = 1000;	/* a newer module: never read past the array */
	CU_ASSERT(mhv_stats_format(&st, buf, sizeof(buf)) > 0);
}

int register_format_tests(void)
{
	ADD_SUITE("format",
		  { "stats", test_stats });
}
