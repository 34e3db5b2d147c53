// SPDX-License-Identifier: GPL-2.0
/*
 * mhv-bench statistics (stats.h).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "stats.h"

int bench_median_ranks(size_t n, size_t *lo, size_t *hi)
{
	size_t l = 0;

	/* P(B <= l) for l = 0, 1, ... while it stays within 2.5 % */
	while (l < n / 2 && gsl_cdf_binomial_P(l, 0.5, n) <= 0.025)
		l++;
	if (!l)
		return -EDOM;
	*lo = l;
	*hi = n + 1 - l;
	return 0;
}

int bench_median_ci(double *x, size_t n, struct bench_ci *ci)
{
	size_t lo, hi;
	int r = bench_median_ranks(n, &lo, &hi);

	if (r)
		return r;
	gsl_sort(x, 1, n);
	ci->est = gsl_stats_median_from_sorted_data(x, 1, n);
	ci->lo = x[lo - 1];
	ci->hi = x[hi - 1];
	return 0;
}

int bench_pair_ratio_ci(const double *a, const double *b, size_t n,
			struct bench_ci *ci)
{
	double *r = calloc(n ? n : 1, sizeof(double));
	size_t i;
	int ret;

	if (!r)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		r[i] = a[i] > 0 ? b[i] / a[i] : INFINITY;
	ret = bench_median_ci(r, n, ci);
	free(r);
	return ret;
}
