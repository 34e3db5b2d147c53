// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - statistics for experiments (mhv_research.h).
 *
 * GSL computes what it offers: means, variances, quantiles, sorting,
 * Pearson's and Spearman's r, the t, F and normal distributions and the
 * least-squares fit. Written here because GSL has no such function: the
 * Welch-Satterthwaite degrees of freedom, Cohen's d, the ranks and tie
 * correction of the Mann-Whitney U test, the one-way ANOVA sums of
 * squares and Holm's step-down adjustment.
 *
 * Every input is checked before GSL sees it, so GSL's error handler
 * (which aborts by default) is never reached with the arguments passed;
 * work memory is malloc()ed here, except the workspace of
 * gsl_multifit_linear_alloc() (whose failure GSL reports to its handler).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "libmultios_hv.h"

/* two-sided 95%: the 0.975 quantile */
#define UPPER_Q		(1.0 - (1.0 - MHV_CONFIDENCE) / 2.0)

static int all_finite(const double *x, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return 0;
	return 1;
}

/*
 * A sorted copy of @x (malloc()ed), or NULL with *err set: -EINVAL also
 * for a NULL @out, where the caller puts its result.
 */
static double *sorted_copy(const double *x, size_t n, const void *out,
			   int *err)
{
	double *s;

	*err = -EINVAL;
	if (!x || !n || !out || !all_finite(x, n))
		return NULL;
	*err = -ENOMEM;
	s = malloc(n * sizeof(*s));
	if (!s)
		return NULL;
	memcpy(s, x, n * sizeof(*s));
	gsl_sort(s, 1, n);
	*err = 0;
	return s;
}

/*
 * The distributions, with the arguments GSL's error handler would see
 * (NaN, infinite) answered here.
 */

/* P(T > t) with @df > 0 degrees of freedom; NaN when not defined. */
static double t_upper(double t, double df)
{
	if (isnan(t) || !(df > 0.0))
		return NAN;
	if (isinf(t))
		return t > 0.0 ? 0.0 : 1.0;
	if (isinf(df))
		return gsl_cdf_ugaussian_Q(t);
	return gsl_cdf_tdist_Q(t, df);
}

/* 2 P(T > |t|), at most 1. */
static double t_two_sided(double t, double df)
{
	double p = 2.0 * t_upper(fabs(t), df);

	return p > 1.0 ? 1.0 : p;
}

/* The 0.975 quantile of t with @df degrees of freedom. */
static double t_crit(double df)
{
	if (!(df > 0.0))
		return NAN;
	if (isinf(df))
		return gsl_cdf_ugaussian_Pinv(UPPER_Q);
	return gsl_cdf_tdist_Pinv(UPPER_Q, df);
}

/* P(F > f) with @d1 and @d2 degrees of freedom. */
static double f_upper(double f, double d1, double d2)
{
	if (isnan(f) || !(d1 > 0.0 && d2 > 0.0) || isinf(d1) || isinf(d2))
		return NAN;
	if (f <= 0.0)
		return 1.0;
	if (isinf(f))
		return 0.0;
	return gsl_cdf_fdist_Q(f, d1, d2);
}

/* The Tukey fences of sorted data: [*lo, *hi]. */
static void tukey_fences(const double *s, size_t n, double *lo, double *hi)
{
	double q1 = gsl_stats_quantile_from_sorted_data(s, 1, n, 0.25);
	double q3 = gsl_stats_quantile_from_sorted_data(s, 1, n, 0.75);

	*lo = q1 - 1.5 * (q3 - q1);
	*hi = q3 + 1.5 * (q3 - q1);
}

int mhv_percentile(const double *x, size_t n, double p, double *out)
{
	double *s;
	int err;

	if (!(p >= 0.0 && p <= 1.0))
		return -EINVAL;
	s = sorted_copy(x, n, out, &err);
	if (!s)
		return err;
	*out = gsl_stats_quantile_from_sorted_data(s, 1, n, p);
	free(s);
	return 0;
}

int mhv_outliers(const double *x, size_t n, unsigned char *flags)
{
	double *s, lo, hi;
	int err, count = 0;
	size_t i;

	s = sorted_copy(x, n, flags, &err);
	if (!s)
		return err;
	tukey_fences(s, n, &lo, &hi);
	free(s);
	for (i = 0; i < n; i++) {
		flags[i] = x[i] < lo || x[i] > hi;
		count += flags[i];
	}
	return count;
}

int mhv_describe(const double *x, size_t n, struct mhv_describe *d)
{
	double *s, lo, hi, h;
	size_t i;
	int err;

	s = sorted_copy(x, n, d, &err);
	if (!s)
		return err;
	memset(d, 0, sizeof(*d));
	d->n = n;
	d->mean = gsl_stats_mean(s, 1, n);
	d->min = s[0];
	d->max = s[n - 1];
	d->median = gsl_stats_quantile_from_sorted_data(s, 1, n, 0.5);
	d->q1 = gsl_stats_quantile_from_sorted_data(s, 1, n, 0.25);
	d->q3 = gsl_stats_quantile_from_sorted_data(s, 1, n, 0.75);
	d->p90 = gsl_stats_quantile_from_sorted_data(s, 1, n, 0.90);
	d->p99 = gsl_stats_quantile_from_sorted_data(s, 1, n, 0.99);
	if (n > 1) {
		d->sd = gsl_stats_sd_m(s, 1, n, d->mean);
		d->se = d->sd / sqrt((double)n);
		h = t_crit((double)(n - 1)) * d->se;
		d->ci_lo = d->mean - h;
		d->ci_hi = d->mean + h;
	} else {
		d->sd = d->se = d->ci_lo = d->ci_hi = NAN;
	}
	tukey_fences(s, n, &lo, &hi);
	for (i = 0; i < n; i++)
		d->n_outliers += s[i] < lo || s[i] > hi;
	free(s);
	/* a sum of squares beyond DBL_MAX */
	return isfinite(d->mean) && !isinf(d->sd) ? 0 : -ERANGE;
}

static void ttest_nan(struct mhv_ttest *r)
{
	r->t = r->df = r->p_two = r->p_less = r->p_greater = NAN;
	r->ci_lo = r->ci_hi = r->cohen_d = NAN;
}

int mhv_welch_t(const double *a, size_t na, const double *b, size_t nb,
		struct mhv_ttest *r)
{
	double ma, mb, va, vb, sa, sb, fa, fb, se, h, pooled;

	if (!a || !b || !r || na < 2 || nb < 2 ||
	    !all_finite(a, na) || !all_finite(b, nb))
		return -EINVAL;
	ma = gsl_stats_mean(a, 1, na);
	mb = gsl_stats_mean(b, 1, nb);
	va = gsl_stats_variance_m(a, 1, na, ma);
	vb = gsl_stats_variance_m(b, 1, nb, mb);
	r->mean_diff = ma - mb;
	sa = va / na;
	sb = vb / nb;
	if (!isfinite(sa + sb) || !isfinite(r->mean_diff)) {
		ttest_nan(r);
		return -ERANGE;
	}
	if (sa + sb <= 0.0) {
		ttest_nan(r);
		return -EDOM;
	}
	se = sqrt(sa + sb);
	r->t = r->mean_diff / se;
	/*
	 * Welch (1947), Satterthwaite (1946): (sa + sb)^2 / (sa^2 / (na - 1)
	 * + sb^2 / (nb - 1)), divided through by (sa + sb)^2 so that nothing
	 * overflows
	 */
	fa = sa / (sa + sb);
	fb = sb / (sa + sb);
	r->df = 1.0 / (fa * fa / (na - 1) + fb * fb / (nb - 1));
	r->p_two = t_two_sided(r->t, r->df);
	r->p_less = t_upper(-r->t, r->df);
	r->p_greater = t_upper(r->t, r->df);
	h = t_crit(r->df) * se;
	r->ci_lo = r->mean_diff - h;
	r->ci_hi = r->mean_diff + h;
	/* Cohen (1988): the pooled standard deviation */
	pooled = sqrt(((na - 1) * va + (nb - 1) * vb) / (na + nb - 2));
	r->cohen_d = r->mean_diff / pooled;
	return 0;
}

/*
 * The sum of the ranks of a (the first @na of the @n pooled values @v)
 * with ties at their average rank, and sum(t^3 - t) over groups of ties.
 */
static int rank_sum(const double *v, size_t na, size_t n, double *ra,
		    double *ties)
{
	size_t *idx = malloc(n * sizeof(*idx));
	size_t i, j, k;
	double avg, t;

	if (!idx)
		return -ENOMEM;
	gsl_sort_index(idx, v, 1, n);
	*ra = 0.0;
	*ties = 0.0;
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && v[idx[j]] == v[idx[i]]; j++)
			;
		/* positions i..j-1 hold ranks i+1..j */
		avg = (i + 1 + j) / 2.0;
		t = (double)(j - i);
		*ties += t * t * t - t;
		for (k = i; k < j; k++)
			if (idx[k] < na)
				*ra += avg;
	}
	free(idx);
	return 0;
}

int mhv_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
		     struct mhv_mwu *r)
{
	double ra, ties, mu, sigma, n = (double)na + nb, *v;
	int err;

	if (!a || !b || !r || !na || !nb ||
	    !all_finite(a, na) || !all_finite(b, nb))
		return -EINVAL;
	v = malloc((na + nb) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	memcpy(v, a, na * sizeof(*v));
	memcpy(v + na, b, nb * sizeof(*v));
	err = rank_sum(v, na, na + nb, &ra, &ties);
	free(v);
	if (err)
		return err;
	r->u = ra - na * (na + 1.0) / 2.0;
	mu = na * (double)nb / 2.0;
	sigma = sqrt(na * (double)nb / 12.0 *
		     ((n + 1.0) - ties / (n * (n - 1.0))));
	if (!(sigma > 0.0)) {
		r->z = r->p_two = r->p_less = r->p_greater = NAN;
		return -EDOM;
	}
	if (r->u > mu)
		r->z = (r->u - mu - 0.5) / sigma;
	else if (r->u < mu)
		r->z = (r->u - mu + 0.5) / sigma;
	else
		r->z = 0.0;
	r->p_two = fmin(1.0, 2.0 * gsl_cdf_ugaussian_Q(fabs(r->z)));
	r->p_less = gsl_cdf_ugaussian_P((r->u - mu + 0.5) / sigma);
	r->p_greater = gsl_cdf_ugaussian_Q((r->u - mu - 0.5) / sigma);
	return 0;
}

int mhv_anova1(const double *const *groups, const size_t *sizes, size_t k,
	       struct mhv_anova *r)
{
	double sum = 0.0, grand, m;
	size_t i, total = 0;

	if (!groups || !sizes || !r || k < 2)
		return -EINVAL;
	for (i = 0; i < k; i++) {
		if (!groups[i] || !sizes[i] || !all_finite(groups[i], sizes[i]))
			return -EINVAL;
		total += sizes[i];
		sum += gsl_stats_mean(groups[i], 1, sizes[i]) * sizes[i];
	}
	if (total <= k)
		return -EINVAL;
	grand = sum / total;
	r->ss_between = 0.0;
	r->ss_within = 0.0;
	for (i = 0; i < k; i++) {
		m = gsl_stats_mean(groups[i], 1, sizes[i]);
		r->ss_between += sizes[i] * (m - grand) * (m - grand);
		/* gsl_stats_tss_m: the sum of squares about m */
		r->ss_within += gsl_stats_tss_m(groups[i], 1, sizes[i], m);
	}
	r->df_between = (double)(k - 1);
	r->df_within = (double)(total - k);
	if (!isfinite(r->ss_between) || !isfinite(r->ss_within)) {
		r->f = r->p = r->eta2 = NAN;
		return -ERANGE;
	}
	if (!(r->ss_within > 0.0)) {
		r->f = r->p = r->eta2 = NAN;
		return -EDOM;
	}
	r->f = (r->ss_between / r->df_between) / (r->ss_within / r->df_within);
	r->p = f_upper(r->f, r->df_between, r->df_within);
	r->eta2 = r->ss_between / (r->ss_between + r->ss_within);
	return 0;
}

/* t and p of a correlation coefficient with @n pairs. */
static void corr_test(struct mhv_corr *c)
{
	double df = (double)c->n - 2.0;

	if (fabs(c->r) >= 1.0) {
		c->r = copysign(1.0, c->r);
		c->t = copysign(INFINITY, c->r);
		c->p = 0.0;
		return;
	}
	c->t = c->r * sqrt(df / (1.0 - c->r * c->r));
	c->p = t_two_sided(c->t, df);
}

/*
 * -EINVAL, -ERANGE (a variance overflows), -EDOM (a constant variable)
 * or 0; sets c->n and NaNs.
 */
static int corr_check(const double *x, const double *y, size_t n,
		      struct mhv_corr *c)
{
	double vx, vy;

	if (!x || !y || !c || n < 3 || !all_finite(x, n) || !all_finite(y, n))
		return -EINVAL;
	c->n = n;
	c->r = c->t = c->p = NAN;
	vx = gsl_stats_variance(x, 1, n);
	vy = gsl_stats_variance(y, 1, n);
	if (!isfinite(vx) || !isfinite(vy))
		return -ERANGE;
	if (vx <= 0.0 || vy <= 0.0)
		return -EDOM;
	return 0;
}

int mhv_pearson(const double *x, const double *y, size_t n,
		struct mhv_corr *c)
{
	int err = corr_check(x, y, n, c);

	if (err)
		return err;
	c->r = gsl_stats_correlation(x, 1, y, 1, n);
	corr_test(c);
	return 0;
}

int mhv_spearman(const double *x, const double *y, size_t n,
		 struct mhv_corr *c)
{
	int err = corr_check(x, y, n, c);
	double *work;

	if (err)
		return err;
	work = malloc(2 * n * sizeof(*work));
	if (!work)
		return -ENOMEM;
	/* GSL ranks both variables, ties at their average rank */
	c->r = gsl_stats_spearman(x, 1, y, 1, n, work);
	free(work);
	corr_test(c);
	return 0;
}

/* Coefficients, their tests and the fit statistics from a GSL fit. */
static void regress_stats(struct mhv_regression *r, const gsl_vector *c,
			  const gsl_matrix *cov, double rss, double tss)
{
	double dfr = (double)(r->n - r->k), dfm = (double)(r->k - 1);
	size_t j;

	for (j = 0; j < r->k; j++) {
		r->coef[j] = gsl_vector_get(c, j);
		r->se[j] = sqrt(gsl_matrix_get(cov, j, j));
		r->t[j] = r->coef[j] / r->se[j];
		r->p[j] = t_two_sided(r->t[j], dfr);
	}
	r->r2 = 1.0 - rss / tss;
	r->adj_r2 = 1.0 - (1.0 - r->r2) * (r->n - 1.0) / dfr;
	r->f = ((tss - rss) / dfm) / (rss / dfr);
	r->f_p = f_upper(r->f, dfm, dfr);
	r->sigma = sqrt(rss / dfr);
}

/*
 * The GSL fit of y on the columns of @X: 0, -EDOM (collinear), -ENOMEM.
 * Collinear predictors leave a singular value that is 0 in practice.
 */
static int regress_fit(struct mhv_regression *r, gsl_matrix *X,
		       const double *y, double *buf, double tss)
{
	gsl_vector_const_view yv = gsl_vector_const_view_array(y, r->n);
	gsl_matrix_view cov = gsl_matrix_view_array(buf, r->k, r->k);
	gsl_vector_view c = gsl_vector_view_array(buf + r->k * r->k, r->k);
	gsl_multifit_linear_workspace *w;
	int err = -EDOM;
	double rss;

	/* (GSL's own allocation failing here would go to its handler) */
	w = gsl_multifit_linear_alloc(r->n, r->k);
	if (!w)
		return -ENOMEM;
	if (!gsl_multifit_linear(X, &yv.vector, &c.vector, &cov.matrix, &rss,
				 w) &&
	    gsl_multifit_linear_rank(1e-12, w) == r->k) {
		regress_stats(r, &c.vector, &cov.matrix, rss, tss);
		err = isfinite(rss) && all_finite(r->coef, r->k) ? 0 : -ERANGE;
	}
	gsl_multifit_linear_free(w);
	return err;
}

int mhv_regress(const double *x, size_t n, size_t predictors,
		const double *y, struct mhv_regression *r)
{
	size_t i, j, k = predictors + 1;
	gsl_matrix_view X;
	double tss, *buf;
	int err;

	if (!x || !y || !r || predictors < 1 || predictors >= MHV_REG_MAX ||
	    n < k + 1 || !all_finite(x, n * predictors) || !all_finite(y, n))
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	r->n = n;
	r->k = k;
	tss = gsl_stats_tss(y, 1, n);
	for (j = 0; j < predictors; j++)
		if (!isfinite(gsl_stats_tss(x + j, predictors, n)))
			return -ERANGE;
	if (!isfinite(tss))
		return -ERANGE;
	if (!(tss > 0.0))
		return -EDOM;
	/* X (n x k, a column of ones first), then cov (k x k) and coef (k) */
	buf = malloc((n * k + k * k + k) * sizeof(*buf));
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		buf[i * k] = 1.0;
		for (j = 0; j < predictors; j++)
			buf[i * k + j + 1] = x[i * predictors + j];
	}
	X = gsl_matrix_view_array(buf, n, k);
	err = regress_fit(r, &X.matrix, y, buf + n * k, tss);
	free(buf);
	return err;
}

int mhv_holm(const double *p, size_t m, double *adjusted)
{
	double run = 0.0, v;
	size_t *idx, i;

	if (!p || !adjusted || !m)
		return -EINVAL;
	for (i = 0; i < m; i++)
		if (!(p[i] >= 0.0 && p[i] <= 1.0))
			return -EINVAL;
	idx = malloc(m * sizeof(*idx));
	if (!idx)
		return -ENOMEM;
	/* (not a stable sort: equal p-values end up equal anyway) */
	gsl_sort_index(idx, p, 1, m);
	for (i = 0; i < m; i++) {
		/* Holm (1979): (m - i) p(i), i from 0, never below earlier */
		v = fmin(1.0, (double)(m - i) * p[idx[i]]);
		run = fmax(run, v);
		adjusted[idx[i]] = run;
	}
	free(idx);
	return 0;
}
