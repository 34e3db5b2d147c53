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
#include <stdint.h>

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

/*
 * ---- experiments ---------------------------------------------------------
 *
 * An experiment file (JSON, Documentation/research.rst "Experiment files")
 * names factors and their levels; every combination of levels is a
 * configuration, numbered in row-major order of the factors as listed
 * (the last factor varies fastest). A run creates a fresh VM, runs the
 * configuration's guest workload (ordinary C functions of this library,
 * mhv_guest.h: the program must be linked without PIE) and records the
 * metrics over the timed part of the workload.
 */

/* The settings a factor or a constant may give, and their defaults. */
enum mhv_exp_setting {
	MHV_EXP_PAGE_SIZE,	/* "page_size": 4k (default), 2m, 1g */
	MHV_EXP_VCPUS,		/* "vcpus": 1 */
	MHV_EXP_PLACEMENT,	/* "device_placement": kernel, user */
	MHV_EXP_WORKLOAD,	/* "workload": required */
	MHV_EXP_SIZE,		/* "size": MiB (memory_*), bytes (dma): 1 */
	MHV_EXP_COUNT,		/* "count": operations: 1000 */
	MHV_EXP_NESTING,	/* "nesting": hypervisor levels: 1 */
	MHV_EXP_NR_SETTINGS
};

/* The guest workloads ("workload" levels). */
enum mhv_exp_workload {
	MHV_EXP_W_MEMORY_SEQ,	/* touch size MiB, page by page in order */
	MHV_EXP_W_MEMORY_RANDOM,/* ... each page once, in a random order */
	MHV_EXP_W_MEMORY_RETOUCH, /* ... touched once before the timing */
	MHV_EXP_W_CPUID,	/* count CPUIDs */
	MHV_EXP_W_PIO,		/* count OUTs to a port without a device */
	MHV_EXP_W_MMIO,		/* count writes to an address without memory */
	MHV_EXP_W_DEMO,		/* count demo device register accesses */
	MHV_EXP_W_DMA,		/* count edu DMAs of size bytes to the device */
	MHV_EXP_W_COMPUTE,	/* count loop iterations, no exits */
	MHV_EXP_NR_WORKLOADS
};

struct mhv_exp_factor {
	char *name;			/* a setting's name */
	enum mhv_exp_setting setting;
	unsigned int nr_levels;
	char **levels;			/* as strings */
};

struct mhv_experiment {
	char *question;
	char *hypothesis;
	unsigned int nr_factors;
	struct mhv_exp_factor *factors;
	/* the settings no factor varies: NULL when not given (default) */
	char *constants[MHV_EXP_NR_SETTINGS];
	unsigned int nr_metrics;
	char **metrics;
	unsigned int repetitions;
	unsigned int warmup;
	uint64_t seed;
};

/* One configuration, resolved. */
struct mhv_exp_config {
	unsigned int page_size;		/* bytes: 4096, 2M, 1G */
	unsigned int vcpus;
	int user_device;		/* device_placement user */
	enum mhv_exp_workload workload;
	uint64_t size;
	uint64_t count;
	unsigned int nesting;
};

/* The factor that varies @s, or NULL (a constant or the default). */
const struct mhv_exp_factor *mhv_exp_factor_of(const struct mhv_experiment *e,
					       enum mhv_exp_setting s);
/* "page_size", ... (NULL for an unknown setting) */
const char *mhv_exp_setting_name(enum mhv_exp_setting s);
/* "memory_seq", ... */
const char *mhv_exp_workload_name(enum mhv_exp_workload w);

/**
 * mhv_experiment_parse() - read an experiment file's text.
 * @e:      output, free with mhv_experiment_free()
 * @text:   the JSON text
 * @err:    on failure, why, starting with the JSON path of the problem
 *          ("$.factors[1].levels[0]: ...")
 *
 * Return: 0, -EINVAL (with @err), -ENOMEM.
 */
int mhv_experiment_parse(struct mhv_experiment *e, const char *text,
			 char *err, size_t errlen);
/* mhv_experiment_parse() of a file (@err also says when it is unreadable). */
int mhv_experiment_load(struct mhv_experiment *e, const char *path,
			char *err, size_t errlen);
void mhv_experiment_free(struct mhv_experiment *e);
/* The experiment as normalized JSON (malloc'ed; NULL without memory). */
char *mhv_experiment_json(const struct mhv_experiment *e);

/* Configurations: the product of the factors' level counts. */
unsigned int mhv_experiment_nr_configs(const struct mhv_experiment *e);
/* The level index of every factor in configuration @config. */
void mhv_experiment_levels(const struct mhv_experiment *e, unsigned int config,
			   unsigned int *levels);
/* Configuration @config resolved; -EINVAL (with @err) if unsupported. */
int mhv_experiment_config(const struct mhv_experiment *e, unsigned int config,
			  struct mhv_exp_config *c, char *err, size_t errlen);

/*
 * The run order: @order[nr_configs * repetitions] gets every
 * configuration @repetitions times, shuffled with GSL's MT19937 seeded
 * with e->seed (the same order on every call).
 * Returns the number of runs or -ENOMEM.
 */
int mhv_experiment_order(const struct mhv_experiment *e, unsigned int **order);

/**
 * mhv_experiment_run_one() - one run of a configuration.
 * @e:      the experiment (its metrics)
 * @c:      the configuration
 * @values: out: e->nr_metrics values, in the order of e->metrics
 *
 * Creates a VM, runs the workload and destroys it. Metrics are measured
 * over the timed part of the workload only: set-up (loading, the touch
 * before memory_retouch, enabling the device) is outside, and so is the
 * guest call that ends the interval (one port-I/O exit to userspace).
 *
 * Return: 0, or -errno with @err saying what failed.
 */
int mhv_experiment_run_one(const struct mhv_experiment *e,
			   const struct mhv_exp_config *c, double *values,
			   char *err, size_t errlen);

/*
 * ---- results directories (Documentation/research.rst) --------------------
 *
 * DIR/experiment.json (mhv_experiment_json()), DIR/meta.json and
 * DIR/results.csv: a header "run,config,repetition,<factors>,<metrics>"
 * and one row per finished timed run.
 */
struct mhv_results {
	struct mhv_experiment e;	/* of DIR/experiment.json */
	unsigned int nr_rows;
	unsigned int *run;		/* per row: position in the run order */
	unsigned int *config;		/* ... configuration */
	unsigned int *repetition;	/* ... 0 for a configuration's first */
	double *values;			/* nr_rows x e.nr_metrics, row-major */
	size_t csv_bytes;		/* bytes of results.csv in whole lines */
};

/* The results.csv header of @e (malloc'ed, with the newline). */
char *mhv_results_header(const struct mhv_experiment *e);
/*
 * Read DIR. A last line without its newline (a run interrupted while
 * writing) is ignored: r->csv_bytes ends before it. Rows are checked
 * against the header and the experiment (configuration numbers, levels).
 * Return: 0, or -errno with @err naming the file, line and problem.
 */
int mhv_results_load(struct mhv_results *r, const char *dir, char *err,
		     size_t errlen);
void mhv_results_free(struct mhv_results *r);
/* Value of metric @m in row @row. */
static inline double mhv_results_value(const struct mhv_results *r,
				       unsigned int row, unsigned int m)
{
	return r->values[(size_t)row * r->e.nr_metrics + m];
}
/*
 * ---- reports (report.c, chart.c, report_data.c) ----------------------------
 *
 * `mhv experiment report`: a results directory (mhv_results_load()) and
 * its meta.json (the machine, versions, dates, run order) become a PDF
 * report with charts (cairo; text laid out with pango), the same text as
 * Markdown, and every chart as SVG/PNG for slides.
 */

/* meta.json of a results directory (Documentation/research.rst). */
struct mhv_results_meta {
	char *seed;			/* as written (decimal) */
	unsigned int nr_order;
	unsigned int *order;		/* configuration indices in run order */
	char *cpu, *host_kernel, *hostname;
	char *v_module, *v_library, *v_api;
	char *started;			/* ISO 8601 UTC */
	char *finished;			/* ... or NULL: not finished */
};

/**
 * mhv_results_meta_load() - read and check DIR/meta.json.
 * @m:      output, free with mhv_results_meta_free()
 * @dir:    the results directory
 * @nr_configs: configurations of the experiment (checks "order")
 * @err:    on failure, why ("meta.json: \"machine\" missing or not an
 *          object")
 *
 * Return: 0, -ENOENT/-EACCES (unreadable), -EINVAL (malformed), -ENOMEM.
 */
int mhv_results_meta_load(struct mhv_results_meta *m, const char *dir,
			  unsigned int nr_configs, char *err, size_t errlen);
void mhv_results_meta_free(struct mhv_results_meta *m);

/* A results directory ready for charts and reports (opaque). */
struct mhv_report;

/*
 * mhv_report_open() - mhv_results_load() and mhv_results_meta_load() of
 * @dir. Return: 0, or -errno with @err naming the file, line, problem.
 */
int mhv_report_open(struct mhv_report **rep, const char *dir, char *err,
		    size_t errlen);
void mhv_report_close(struct mhv_report *rep);

enum mhv_chart_kind {
	MHV_CHART_BAR,		/* mean per configuration, 95% CI bars */
	MHV_CHART_BOX,		/* box plot per configuration */
	MHV_CHART_SCATTER,	/* numeric factor vs metric + regression */
	MHV_CHART_HIST,		/* histogram of all samples of a metric */
};

enum mhv_chart_format {
	MHV_CHART_FMT_PDF,
	MHV_CHART_FMT_SVG,
	MHV_CHART_FMT_PNG,
};

/*
 * The numeric factor of the scatter plots and the regression: the first
 * with at least two levels that all read as numbers, or -1.
 */
int mhv_report_numeric_factor(const struct mhv_report *rep);

/**
 * mhv_chart_save() - draw one chart into an image file.
 * @rep:    the results
 * @kind:   which chart
 * @metric: index of the metric (the y axis; the x axis of MHV_CHART_HIST)
 * @path:   the file to write
 * @fmt:    its format (640 x 400 points, or pixels for PNG)
 *
 * Return: 0, -EINVAL (MHV_CHART_SCATTER without a numeric factor, no
 * runs, a bad index), -EIO (cairo could not write @path), -ENOMEM.
 */
int mhv_chart_save(const struct mhv_report *rep, enum mhv_chart_kind kind,
		   unsigned int metric, const char *path,
		   enum mhv_chart_format fmt);

/* What mhv_report_write() writes; NULL members are skipped. */
struct mhv_report_opts {
	const char *pdf;	/* the report */
	const char *svg_dir;	/* every chart as SVG, for slides */
	const char *png_dir;	/* ... as PNG */
	const char *markdown;	/* the report's text as Markdown */
	const char *histogram;	/* metric of the histogram; NULL: the
				 * first whose name has "latency", else
				 * the first metric */
};

/**
 * mhv_report_write() - the report of a results directory.
 * @rep:  the results
 * @o:    the files to write
 * @err:  on failure, why
 *
 * Sections Introduction, Methodology, Results (per metric and
 * configuration: n, mean, median, sd, 95% CI of the mean, outliers),
 * Analysis (Welch t with Cohen's d and Mann-Whitney U between two
 * levels, one-way ANOVA across more, linear regression on a numeric
 * factor, Holm-corrected p-values at alpha = 0.05, in words),
 * Conclusions (a template with the data-driven statements filled in),
 * and the charts. Reproducible: the PDF's dates are meta.json's
 * "finished", so the same results give the same bytes.
 *
 * Return: 0, or -errno with the reason in @err.
 */
int mhv_report_write(const struct mhv_report *rep,
		     const struct mhv_report_opts *o, char *err,
		     size_t errlen);


#ifdef __cplusplus
}
#endif

#endif /* _MHV_RESEARCH_H */
