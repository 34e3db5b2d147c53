/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mhv-bench statistics: a median with its distribution-free 95 %
 * confidence interval, and the median of the ratios of paired rounds
 * with the same interval. Pure functions (GSL), unit-tested in
 * userlib/tests/test_bench_stats.c.
 */
#ifndef _MHV_BENCH_STATS_H
#define _MHV_BENCH_STATS_H

#include <stddef.h>

/* An estimate and its 95 % confidence interval [lo, hi]. */
struct bench_ci {
	double est, lo, hi;
};

/*
 * bench_median_ranks() - the 1-based order statistics x(lo) and x(hi)
 * bounding a 95 % confidence interval of the median of @n values: the
 * largest lo with P(B <= lo - 1) <= 0.025 for B ~ Binomial(n, 1/2), and
 * hi = n + 1 - lo. Return: 0, or -EDOM when n < 6 (even [min, max]
 * covers the median with less than 95 %).
 */
int bench_median_ranks(size_t n, size_t *lo, size_t *hi);

/*
 * bench_median_ci() - median of @x[0..n-1] and its 95 % interval from
 * bench_median_ranks(); sorts @x. Return: 0 or -EDOM (n < 6).
 */
int bench_median_ci(double *x, size_t n, struct bench_ci *ci);

/*
 * bench_pair_ratio_ci() - the median of the @n rounds' ratios
 * b[i] / a[i] and its 95 % interval from bench_median_ranks(). A round
 * whose a[i] is not above 0 (a difference of times that a host stall of
 * the short run made 0 or negative) has the ratio +infinity: it ranks
 * above every other, as a b[i] <= 0 ranks below every positive ratio.
 * Return: 0, -EDOM (n < 6), -ENOMEM.
 */
int bench_pair_ratio_ci(const double *a, const double *b, size_t n,
			struct bench_ci *ci);

#endif
