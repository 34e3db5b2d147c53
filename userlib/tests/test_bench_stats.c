// SPDX-License-Identifier: LGPL-2.1
/*
 * mhv-bench's statistics (bench/stats.c) against known data:
 * - the order statistics of the 95 % interval of a median are those of
 *   the published tables (e.g. Conover, Practical Nonparametric
 *   Statistics, table A3 at alpha = 0.05): n = 6: x(1)..x(6), n = 10:
 *   x(2)..x(9), n = 20: x(6)..x(15), n = 30: x(10)..x(21);
 * - the ratio of paired rounds: the same in every round gives [r, r];
 *   otherwise the median of the rounds' ratios and the order statistics
 *   of the table; a round whose first value is not above 0 ranks
 *   highest (+infinity).
 */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <math.h>

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
	CU_ASSERT_EQUAL(bench_pair_ratio_ci(a, b, 9, &ci), 0);
	CU_ASSERT_DOUBLE_EQUAL(ci.est, 3, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(ci.lo, 3, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(ci.hi, 3, 1e-12);
}

static void test_ratio_spread(void)
{
	/*
	 * Round ratios 1.9 2.3 1.5 2.0 2.6 1.7 2.1 1.8 2.2 2.4: sorted
	 * 1.5 1.7 ... 2.4 2.6, median (2.0 + 2.1) / 2, interval x(2) = 1.7,
	 * x(9) = 2.4 (n = 10). The medians of a and b alone do not tell it.
	 */
	static const double r[10] = { 1.9, 2.3, 1.5, 2.0, 2.6, 1.7, 2.1, 1.8,
				      2.2, 2.4 };
	double a[10] = { 7, 2, 9, 4, 1, 10, 3, 8, 5, 6 }, b[10];
	struct bench_ci ci;
	int i;

	for (i = 0; i < 10; i++)
		b[i] = r[i] * a[i];
	CU_ASSERT_EQUAL(bench_pair_ratio_ci(a, b, 10, &ci), 0);
	CU_ASSERT_DOUBLE_EQUAL(ci.est, 2.05, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(ci.lo, 1.7, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(ci.hi, 2.4, 1e-12);
	CU_ASSERT_EQUAL(bench_pair_ratio_ci(a, b, 5, &ci), -EDOM);
}

static void test_ratio_stall(void)
{
	/* ratios 1 2 3 4 5 and +inf (a = -1): median 3.5, x(1)..x(6) */
	double a[6] = { 1, 1, -1, 1, 1, 1 }, b[6] = { 4, 1, 1, 5, 2, 3 };
	struct bench_ci ci;

	CU_ASSERT_EQUAL(bench_pair_ratio_ci(a, b, 6, &ci), 0);
	CU_ASSERT_DOUBLE_EQUAL(ci.est, 3.5, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(ci.lo, 1, 1e-12);
	CU_ASSERT(isinf(ci.hi) && ci.hi > 0);
}

int register_bench_stats_tests(void)
{
	ADD_SUITE("bench_stats",
		  { "median_ranks", test_median_ranks },
		  { "median_ci", test_median_ci },
		  { "ratio_constant", test_ratio_constant },
		  { "ratio_spread", test_ratio_spread },
		  { "ratio_stall", test_ratio_stall });
}
