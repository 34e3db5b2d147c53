// SPDX-License-Identifier: GPL-2.0
/*
 * mhv-bench statistics (stats.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
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

/* median(b) / median(a) of the rounds @idx[0..n-1]; @sa, @sb scratch */
static double ratio_of(const double *a, const double *b, const size_t *idx,
		       size_t n, double *sa, double *sb)
{
	size_t i;

	for (i = 0; i < n; i++) {
		sa[i] = a[idx[i]];
		sb[i] = b[idx[i]];
	}
	gsl_sort(sa, 1, n);
	gsl_sort(sb, 1, n);
	return gsl_stats_median_from_sorted_data(sb, 1, n) /
	       gsl_stats_median_from_sorted_data(sa, 1, n);
}

int bench_ratio_ci(const double *a, const double *b, size_t n,
		   unsigned int reps, unsigned long seed, struct bench_ci *ci)
{
	double *sa = calloc(2 * n + reps, sizeof(double));
	size_t *idx = calloc(n, sizeof(size_t));
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	double *sb = sa + n, *rs = sa + 2 * n;
	size_t i;
	unsigned int k;
	int r = -ENOMEM;

	if (n < 2 || reps < 40) {
		r = -EDOM;
		goto out;
	}
	if (!sa || !idx || !rng)
		goto out;
	for (i = 0; i < n; i++)
		idx[i] = i;
	ci->est = ratio_of(a, b, idx, n, sa, sb);
	gsl_rng_set(rng, seed);
	for (k = 0; k < reps; k++) {
		for (i = 0; i < n; i++)
			idx[i] = gsl_rng_uniform_int(rng, n);
		rs[k] = ratio_of(a, b, idx, n, sa, sb);
	}
	gsl_sort(rs, 1, reps);
	ci->lo = gsl_stats_quantile_from_sorted_data(rs, 1, reps, 0.025);
	ci->hi = gsl_stats_quantile_from_sorted_data(rs, 1, reps, 0.975);
	r = 0;
out:
	gsl_rng_free(rng);
	free(idx);
	free(sa);
	return r;
}
