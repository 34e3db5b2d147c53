// SPDX-License-Identifier: LGPL-2.1
/*
 * mhv-bench's statistics (bench/stats.c) against known data:
 * - the order statistics of the 95 % interval of a median are those of
 *   the published tables (e.g. Conover, Practical Nonparametric
 *   Statistics, table A3 at alpha = 0.05): n = 6: x(1)..x(6), n = 10:
 *   x(2)..x(9), n = 20: x(6)..x(15), n = 30: x(10)..x(21);
 * - a ratio that is the same in every round has the interval [r, r];
 * - otherwise the interval holds the estimate, and the same seed gives
 *   the same interval.
 */
#include <CUnit/CUnit.h>
#include <errno.h>

#include "stats.h"
#include "tests.h"

static void test_median_ranks(void)
{
	static const size_t table[][3] = {
		{ 6, 1, 6 }, { 7, 1, 7 }, { 10, 2, 9 }, { 20, 6, 15 },
		{ 30, 10, 21 },
	};
	size_t i, lo, hi;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		CU_ASSERT_EQUAL(bench_median_ranks(table[i][0], &lo, &hi), 0);
		CU_ASSERT_EQUAL(lo, table[i][1]);
		CU_ASSERT_EQUAL(hi, table[i][2]);
	}
	CU_ASSERT_EQUAL(bench_median_ranks(5, &lo, &hi), -EDOM);
}

static void test_median_ci(void)
{
	/* 1..20 out of order: median 10.5, interval x(6) = 6, x(15) = 15 */
	double x[20] = { 19, 3, 7, 12, 1, 20, 5, 14, 9, 16,
			 2, 11, 18, 6, 13, 4, 17, 8, 15, 10 };
	struct bench_ci ci;

	CU_ASSERT_EQUAL(bench_median_ci(x, 20, &ci), 0);
	CU_ASSERT_DOUBLE_EQUAL(ci.est, 10.5, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(ci.lo, 6, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(ci.hi, 15, 1e-12);
	CU_ASSERT_EQUAL(bench_median_ci(x, 5, &ci), -EDOM);
}

static void test_ratio_constant(void)
{
	double a[9] = { 5, 1, 9, 4, 2, 8, 3, 7, 6 }, b[9];
	struct bench_ci ci;
	int i;

	for (i = 0; i < 9; i++)
		b[i] = 3 * a[i];
	CU_ASSERT_EQUAL(bench_ratio_ci(a, b, 9, 1000, 1, &ci), 0);
	CU_ASSERT_DOUBLE_EQUAL(ci.est, 3, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(ci.lo, 3, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(ci.hi, 3, 1e-12);
}

static void test_ratio_spread(void)
{
	/* medians 5 and 10: ratio 2, but no round has exactly that ratio */
	double a[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	double b[9] = { 18, 2, 14, 4, 10, 16, 6, 12, 8 };
	struct bench_ci c1, c2;

	CU_ASSERT_EQUAL(bench_ratio_ci(a, b, 9, 2000, 42, &c1), 0);
	CU_ASSERT_DOUBLE_EQUAL(c1.est, 2, 1e-12);
	CU_ASSERT(c1.lo < 2 && c1.hi > 2);
	/* no resample can leave [min b / max a, max b / min a] */
	CU_ASSERT(c1.lo >= 2.0 / 9 && c1.hi <= 18);
	CU_ASSERT_EQUAL(bench_ratio_ci(a, b, 9, 2000, 42, &c2), 0);
	CU_ASSERT_DOUBLE_EQUAL(c1.lo, c2.lo, 0);
	CU_ASSERT_DOUBLE_EQUAL(c1.hi, c2.hi, 0);
	CU_ASSERT_EQUAL(bench_ratio_ci(a, b, 1, 2000, 42, &c2), -EDOM);
	CU_ASSERT_EQUAL(bench_ratio_ci(a, b, 9, 10, 42, &c2), -EDOM);
}

int register_bench_stats_tests(void)
{
	ADD_SUITE("bench_stats",
		  { "median_ranks", test_median_ranks },
		  { "median_ci", test_median_ci },
		  { "ratio_constant", test_ratio_constant },
		  { "ratio_spread", test_ratio_spread });
}
