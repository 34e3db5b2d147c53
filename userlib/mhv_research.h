/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * mhv_research.h - statistics for experiments on the hypervisor.
 *
 * Descriptive statistics, two-sample tests, one-way ANOVA, correlation,
 * least-squares regression and the Holm correction, for the samples an
 * experiment records (exit counts, fault counts, timings). Included by
 * libmultios_hv.h; build with `pkg-config --cflags --libs multios_hv`
 * (it pulls in GSL). Documentation/research.rst, section "Statistics",
 * gives the formulas with references.
 *
 * The numbers come from the GNU Scientific Library wherever it has the
 * function (sample statistics, quantiles, sorting, ranks, the t, F and
 * normal distributions, multiple linear regression). Only what GSL does
 * not offer is computed here: the Welch-Satterthwaite degrees of
 * freedom, Cohen's d, the Mann-Whitney U with its tie correction, the
 * one-way ANOVA sums of squares and the Holm step-down adjustment.
 *
 * Conventions of every function below:
 *  - the return value is 0 (mhv_outliers(): the number of outliers) or
 *    a negative errno; nothing aborts or prints (the GSL error handler
 *    is never reached, but for an allocation failure inside
 *    gsl_multifit_linear_alloc());
 *  - -EINVAL: a NULL pointer, too few values (each function says how
 *    many it needs), a NaN or infinite input, a probability outside
 *    [0, 1];
 *  - -EDOM: valid input for which the statistic is not defined, e.g. a
 *    t-test of two samples that both have zero variance (every run took
 *    exactly the same number of faults). What the result structure
 *    then holds is said at each function (what can be computed, such
 *    as means and differences, and NaN for the rest);
 *  - -ERANGE: values so large (beyond about 1e150) that a sum of
 *    squares overflows a double; the result is not meaningful;
 *  - -ENOMEM: a work buffer could not be allocated;
 *  - inputs are never modified (functions that sort work on a copy);
 *  - confidence intervals are 95%, two-sided;
 *  - p-values are in [0, 1];
 *  - no global state: the functions may run in several threads at once.
 */
#ifndef _MHV_RESEARCH_H
#define _MHV_RESEARCH_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The confidence level of every interval below. */
#define MHV_CONFIDENCE	0.95

/**
 * struct mhv_describe - descriptive statistics of one sample.
 * @n:          number of values
 * @mean:       arithmetic mean
 * @sd:         sample standard deviation (divisor n - 1); NaN when n = 1
 * @se:         standard error of the mean, sd / sqrt(n); NaN when n = 1
 * @min:        smallest value
 * @max:        largest value
 * @median:     mhv_percentile() at 0.5
 * @q1:         mhv_percentile() at 0.25
 * @q3:         mhv_percentile() at 0.75
 * @p90:        mhv_percentile() at 0.90
 * @p99:        mhv_percentile() at 0.99
 * @ci_lo:      lower end of the 95% confidence interval of the mean,
 *              mean - t(0.975, n - 1) * se (Student t); NaN when n = 1
 * @ci_hi:      upper end, mean + t(0.975, n - 1) * se; NaN when n = 1
 * @n_outliers: values outside the Tukey fences (see mhv_outliers())
 *
 * Zero variance gives sd = se = 0 and ci_lo = ci_hi = mean.
 */
struct mhv_describe {
	size_t n;
	double mean, sd, se, min, max, median, q1, q3, p90, p99;
	double ci_lo, ci_hi;
	size_t n_outliers;
};

/**
 * mhv_describe() - descriptive statistics of @n values.
 * @x: the values, in any order
 * @n: how many; at least 1
 * @d: the result
 *
 * Return: 0, -EINVAL (NULL, n = 0, a non-finite value), -ENOMEM.
 */
int mhv_describe(const double *x, size_t n, struct mhv_describe *d);

/**
 * mhv_percentile() - the @p quantile of @n values.
 * @x:   the values, in any order (a sorted copy is made)
 * @n:   how many; at least 1
 * @p:   the fraction, 0 <= p <= 1 (0.5: median, 0.9: 90th percentile)
 * @out: the result
 *
 * The definition of GSL's gsl_stats_quantile_from_sorted_data() (which
 * computes it), also R's type 7 and NumPy's default "linear": with the
 * values sorted as x[0] <= ... <= x[n-1], h = (n - 1) p and
 * out = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]).
 *
 * Return: 0, -EINVAL (NULL, n = 0, p outside [0, 1] or NaN, a
 * non-finite value), -ENOMEM.
 */
int mhv_percentile(const double *x, size_t n, double p, double *out);

/**
 * mhv_outliers() - flag the values outside Tukey's fences.
 * @x:     the values, in any order
 * @n:     how many; at least 1
 * @flags: n bytes, set to 1 for an outlier and 0 otherwise
 *
 * A value is an outlier when it is below q1 - 1.5 IQR or above
 * q3 + 1.5 IQR, with IQR = q3 - q1 and the quartiles of
 * mhv_percentile(). Values on a fence are not outliers. Outliers are
 * flagged, never dropped: the caller decides what to do with them.
 *
 * Return: the number of outliers (>= 0), or -EINVAL / -ENOMEM.
 */
int mhv_outliers(const double *x, size_t n, unsigned char *flags);

/**
 * struct mhv_ttest - Welch's two-sample t-test of samples a and b.
 * @t:         (mean_a - mean_b) / sqrt(var_a / na + var_b / nb)
 * @df:        Welch-Satterthwaite degrees of freedom,
 *             (va/na + vb/nb)^2 / ((va/na)^2/(na-1) + (vb/nb)^2/(nb-1))
 *             (not an integer in general)
 * @p_two:     two-sided p-value, H1: mean_a != mean_b
 * @p_less:    one-sided p-value, H1: mean_a < mean_b
 * @p_greater: one-sided p-value, H1: mean_a > mean_b
 * @mean_diff: mean_a - mean_b
 * @ci_lo:     95% confidence interval of mean_a - mean_b (Welch),
 *             mean_diff -/+ t(0.975, df) * sqrt(va/na + vb/nb)
 * @ci_hi:     its upper end
 * @cohen_d:   effect size, mean_diff / s_pooled with the pooled standard
 *             deviation s_pooled = sqrt(((na-1) va + (nb-1) vb) / (na+nb-2))
 *
 * va, vb are the sample variances (divisor n - 1).
 */
struct mhv_ttest {
	double t, df, p_two, p_less, p_greater;
	double mean_diff, ci_lo, ci_hi, cohen_d;
};

/**
 * mhv_welch_t() - Welch's unequal-variance two-sample t-test.
 * @a:  first sample
 * @na: its size; at least 2
 * @b:  second sample
 * @nb: its size; at least 2
 * @r:  the result
 *
 * Return: 0; -EINVAL (NULL, a sample smaller than 2, a non-finite
 * value); -EDOM when both samples have zero variance: @r->mean_diff is
 * set, every other field is NaN.
 */
int mhv_welch_t(const double *a, size_t na, const double *b, size_t nb,
		struct mhv_ttest *r);

/**
 * struct mhv_mwu - Mann-Whitney U (Wilcoxon rank-sum) test of a and b.
 * @u:         U of sample a: R_a - na (na + 1) / 2, R_a the sum of the
 *             ranks of a in the pooled sample (ties get their average
 *             rank); U of b is na nb - u
 * @z:         (u - na nb / 2 - c) / sigma, the continuity correction
 *             c = 0.5 sign(u - na nb / 2), and the tie-corrected
 *             sigma^2 = na nb / 12 ((N + 1) - sum(t^3 - t) / (N (N - 1))),
 *             N = na + nb, t the size of each group of tied values
 * @p_two:     two-sided p-value of the normal approximation, 2 Q(|z|)
 * @p_less:    one-sided, H1: a tends to be smaller than b,
 *             P((u - na nb / 2 + 0.5) / sigma)
 * @p_greater: one-sided, H1: a tends to be larger than b,
 *             Q((u - na nb / 2 - 0.5) / sigma)
 *
 * The normal approximation (what R's wilcox.test(exact = FALSE,
 * correct = TRUE) and SciPy's mannwhitneyu(method="asymptotic") compute)
 * is fair from about 8 values per sample; there is no exact test here.
 */
struct mhv_mwu {
	double u, z, p_two, p_less, p_greater;
};

/**
 * mhv_mann_whitney() - Mann-Whitney U test, normal approximation.
 * @a:  first sample
 * @na: its size; at least 1
 * @b:  second sample
 * @nb: its size; at least 1
 * @r:  the result
 *
 * Return: 0; -EINVAL (NULL, an empty sample, a non-finite value);
 * -EDOM when every value of both samples is the same (sigma = 0): @r->u
 * is set, the rest NaN; -ENOMEM.
 */
int mhv_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
		     struct mhv_mwu *r);

/**
 * struct mhv_anova - one-way analysis of variance of k groups.
 * @f:          (ss_between / df_between) / (ss_within / df_within)
 * @df_between: k - 1
 * @df_within:  N - k, N the total number of values
 * @ss_between: sum over groups of n_i (mean_i - grand mean)^2
 * @ss_within:  sum over groups and values of (x - mean_i)^2
 * @p:          P(F(df_between, df_within) > f)
 * @eta2:       effect size eta squared, ss_between / (ss_between + ss_within)
 */
struct mhv_anova {
	double f, df_between, df_within, ss_between, ss_within, p;
	double eta2;
};

/**
 * mhv_anova1() - one-way ANOVA (the levels of one factor).
 * @groups: k pointers to the values of each group
 * @sizes:  k group sizes, each at least 1
 * @k:      number of groups; at least 2, with N > k values in all
 * @r:      the result
 *
 * Return: 0; -EINVAL (NULL, k < 2, an empty group, N <= k, a non-finite
 * value); -EDOM when every group has zero variance (ss_within = 0): the
 * sums of squares and degrees of freedom are set, f, p and eta2 are NaN.
 */
int mhv_anova1(const double *const *groups, const size_t *sizes, size_t k,
	       struct mhv_anova *r);

/**
 * struct mhv_corr - a correlation coefficient and its test against 0.
 * @r: the coefficient, -1 <= r <= 1
 * @t: r sqrt((n - 2) / (1 - r^2)), infinite when |r| = 1
 * @p: two-sided p-value of @t with n - 2 degrees of freedom
 *     (for Spearman the usual t approximation, as R's cor.test(exact =
 *     FALSE) and SciPy's spearmanr)
 * @n: number of pairs
 */
struct mhv_corr {
	double r, t, p;
	size_t n;
};

/**
 * mhv_pearson() - Pearson's product-moment correlation of (x[i], y[i]).
 * @x: first variable
 * @y: second variable
 * @n: number of pairs; at least 3
 * @c: the result
 *
 * Return: 0; -EINVAL (NULL, n < 3, a non-finite value); -EDOM when x or
 * y has zero variance (@c->n set, the rest NaN).
 */
int mhv_pearson(const double *x, const double *y, size_t n,
		struct mhv_corr *c);

/**
 * mhv_spearman() - Spearman's rank correlation: Pearson's r of the ranks,
 * tied values getting their average rank.
 * @x: first variable
 * @y: second variable
 * @n: number of pairs; at least 3
 * @c: the result
 *
 * Return: as mhv_pearson(), and -ENOMEM.
 */
int mhv_spearman(const double *x, const double *y, size_t n,
		 struct mhv_corr *c);

/* At most MHV_REG_MAX coefficients: the intercept and 7 predictors. */
#define MHV_REG_MAX	8

/**
 * struct mhv_regression - ordinary least squares y = b0 + b1 x1 + ... .
 * @n:      number of observations
 * @k:      number of coefficients, the intercept included (predictors + 1)
 * @coef:   coef[0] the intercept, coef[j] the slope of predictor j
 * @se:     standard errors of the coefficients, sqrt of the diagonal of
 *          sigma^2 (X^T X)^-1
 * @t:      coef[j] / se[j]
 * @p:      two-sided p-values of @t with n - k degrees of freedom
 * @r2:     R^2 = 1 - RSS / TSS
 * @adj_r2: adjusted R^2 = 1 - (1 - R^2) (n - 1) / (n - k)
 * @f:      F = ((TSS - RSS) / (k - 1)) / (RSS / (n - k)), the test that
 *          every slope is 0
 * @f_p:    P(F(k - 1, n - k) > f)
 * @sigma:  residual standard error sqrt(RSS / (n - k))
 *
 * Entries of coef, se, t, p from index k on are 0.
 */
struct mhv_regression {
	size_t n, k;
	double coef[MHV_REG_MAX], se[MHV_REG_MAX];
	double t[MHV_REG_MAX], p[MHV_REG_MAX];
	double r2, adj_r2, f, f_p, sigma;
};

/**
 * mhv_regress() - least-squares linear regression with an intercept.
 * @x:          the predictors, n rows of @predictors values, row-major
 *              (x[i * predictors + j] is predictor j of observation i);
 *              no column of ones: the intercept is added here
 * @n:          number of observations; at least predictors + 2
 * @predictors: 1 (simple regression) to MHV_REG_MAX - 1 (multiple)
 * @y:          the n responses
 * @r:          the result
 *
 * Fitted with GSL's gsl_multifit_linear() (SVD).
 *
 * Return: 0; -EINVAL (NULL, predictors out of range, too few
 * observations, a non-finite value); -EDOM when y is constant or the
 * predictors are collinear (a column constant, or a linear combination
 * of others): nothing in @r but n and k is meaningful; -ENOMEM.
 */
int mhv_regress(const double *x, size_t n, size_t predictors,
		const double *y, struct mhv_regression *r);

/**
 * mhv_holm() - Holm's step-down adjustment of m p-values.
 * @p:        the m raw p-values, in any order
 * @m:        how many; at least 1
 * @adjusted: m adjusted p-values, in the order of @p (may be @p itself)
 *
 * With the p-values sorted, p(1) <= ... <= p(m), the adjusted value of
 * p(i) is min(1, max over j <= i of (m - j + 1) p(j)): compare it with
 * alpha to control the family-wise error rate at alpha (Holm 1979). The
 * result is monotone in the raw p-values; ties keep equal values.
 *
 * Return: 0, or -EINVAL (NULL, m = 0, a p-value outside [0, 1] or NaN),
 * -ENOMEM.
 */
int mhv_holm(const double *p, size_t m, double *adjusted);

#ifdef __cplusplus
}
#endif

#endif /* _MHV_RESEARCH_H */
