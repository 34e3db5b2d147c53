// SPDX-License-Identifier: GPL-2.0
/*
 * mhv experiment analyze DIR [--json]: the statistics of a results
 * directory (Documentation/research.rst "Analysis"), computed with the
 * library's statistics (mhv_research.h).
 *
 * Per metric and configuration: mhv_describe() and the runs
 * mhv_outliers() flags. Per metric and factor, within every combination
 * of the other factors' levels (a "slice", so no other factor is mixed
 * into the groups): two levels get Welch's t-test, Cohen's d and the
 * Mann-Whitney U test; more levels a one-way ANOVA and Welch's test for
 * every pair. The Welch p-values of one metric are one family for Holm's
 * correction.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "libmultios_hv.h"
#include "mhv.h"

struct group {
	double *v;
	unsigned int *runs;
	size_t n;
};

struct analysis {
	struct mhv_results r;
	unsigned int nc;		/* configurations */
	struct group *g;		/* [metric][config] */
	int text;
	/* Welch tests of the metric being analysed, for Holm */
	json_object **fam;
	double *fam_p;
	size_t nfam, capfam;
};

static struct group *grp(struct analysis *a, unsigned int m, unsigned int c)
{
	return &a->g[(size_t)m * a->nc + c];
}

static void num(json_object *o, const char *key, double v)
{
	json_object_object_add(o, key, isfinite(v) ? json_object_new_double(v) : NULL);
}

/* The double fields of a result structure, by name. */
struct key {
	const char *name;
	size_t off;
};

#define KEY(type, f)	{ #f, offsetof(type, f) }
#define DKEY(f)		KEY(struct mhv_describe, f)
#define TKEY(f)		KEY(struct mhv_ttest, f)
#define UKEY(f)		KEY(struct mhv_mwu, f)
static const struct key describe_keys[] = {
	DKEY(mean), DKEY(median), DKEY(sd), DKEY(se), DKEY(min), DKEY(max),
	DKEY(q1), DKEY(q3), DKEY(p90), DKEY(p99), DKEY(ci_lo), DKEY(ci_hi),
	{ NULL, 0 },
};
static const struct key ttest_keys[] = {
	TKEY(mean_diff), TKEY(t), TKEY(df), TKEY(p_two), TKEY(p_less),
	TKEY(p_greater), TKEY(ci_lo), TKEY(ci_hi), TKEY(cohen_d), { NULL, 0 },
};
static const struct key mwu_keys[] = {
	UKEY(u), UKEY(z), UKEY(p_two), UKEY(p_less), UKEY(p_greater),
	{ NULL, 0 },
};

/* Every field of @keys of the structure at @base into @o (NaN: null). */
static void nums(json_object *o, const void *base, const struct key *keys)
{
	for (; keys->name; keys++)
		num(o, keys->name, *(const double *)((const char *)base + keys->off));
}

static int collect(struct analysis *a)
{
	unsigned int m, i, nm = a->r.e.nr_metrics;
	struct group *g;

	a->g = calloc((size_t)nm * a->nc, sizeof(*a->g));
	if (!a->g)
		return -ENOMEM;
	for (m = 0; m < nm; m++)
		for (i = 0; i < a->r.nr_rows; i++) {
			g = grp(a, m, a->r.config[i]);
			if (!g->v) {
				g->v = calloc(a->r.nr_rows, sizeof(*g->v));
				g->runs = calloc(a->r.nr_rows, sizeof(*g->runs));
				if (!g->v || !g->runs)
					return -ENOMEM;
			}
			g->runs[g->n] = a->r.run[i];
			g->v[g->n++] = mhv_results_value(&a->r, i, m);
		}
	return 0;
}

/* "page_size=4k, workload=cpuid", leaving out factor @skip (-1: none) */
static char *levels_str(const struct mhv_experiment *e, unsigned int config,
			int skip)
{
	unsigned int k, lv[e->nr_factors];
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int first = 1;

	if (!f)
		return NULL;
	mhv_experiment_levels(e, config, lv);
	for (k = 0; k < e->nr_factors; k++) {
		if ((int)k == skip)
			continue;
		fprintf(f, "%s%s=%s", first ? "" : ", ", e->factors[k].name,
			e->factors[k].levels[lv[k]]);
		first = 0;
	}
	fclose(f);
	return buf;
}

static json_object *levels_json(const struct mhv_experiment *e,
				unsigned int config, int skip)
{
	json_object *o = json_object_new_object();
	unsigned int k, lv[e->nr_factors];

	mhv_experiment_levels(e, config, lv);
	for (k = 0; k < e->nr_factors; k++)
		if ((int)k != skip)
			json_object_object_add(o, e->factors[k].name,
					       json_object_new_string(e->factors[k].levels[lv[k]]));
	return o;
}

/* ---- per configuration ----------------------------------------------------- */


static json_object *describe_one(struct analysis *a, unsigned int m,
				 unsigned int c)
{
	struct group *g = grp(a, m, c);
	json_object *o = json_object_new_object(), *out = json_object_new_array();
	struct mhv_describe d;
	unsigned char *flags;
	size_t i;

	json_object_object_add(o, "n", json_object_new_int64(g->n));
	if (!g->n || mhv_describe(g->v, g->n, &d))
		return o;
	nums(o, &d, describe_keys);
	flags = calloc(g->n, 1);
	if (flags && mhv_outliers(g->v, g->n, flags) >= 0)
		for (i = 0; i < g->n; i++)
			if (flags[i])
				json_object_array_add(out, json_object_new_int64(g->runs[i]));
	free(flags);
	json_object_object_add(o, "outlier_runs", out);
	if (a->text)
		printf("    n=%zu mean=%.6g median=%.6g sd=%.4g min=%.6g max=%.6g\n"
		       "    q1=%.6g q3=%.6g p90=%.6g p99=%.6g\n"
		       "    95%% CI of the mean [%.6g, %.6g]; outliers (Tukey): %s%s\n",
		       d.n, d.mean, d.median, d.sd, d.min, d.max, d.q1, d.q3, d.p90, d.p99,
		       d.ci_lo, d.ci_hi, json_object_array_length(out) ? "runs " : "none",
		       json_object_array_length(out) ?
		       json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN) : "");
	return o;
}

static json_object *describe_all(struct analysis *a)
{
	json_object *arr = json_object_new_array(), *o, *ms;
	unsigned int c, m;
	char *lv;

	for (c = 0; c < a->nc; c++) {
		o = json_object_new_object();
		json_object_object_add(o, "config", json_object_new_int(c));
		json_object_object_add(o, "levels", levels_json(&a->r.e, c, -1));
		lv = levels_str(&a->r.e, c, -1);
		if (a->text)
			printf("configuration %u (%s):\n", c, lv ? lv : "");
		free(lv);
		ms = json_object_new_object();
		for (m = 0; m < a->r.e.nr_metrics; m++) {
			if (a->text)
				printf("  %s\n", a->r.e.metrics[m]);
			json_object_object_add(ms, a->r.e.metrics[m], describe_one(a, m, c));
		}
		json_object_object_add(o, "metrics", ms);
		json_object_array_add(arr, o);
	}
	return arr;
}

/* ---- comparisons ------------------------------------------------------------ */

static int fam_add(struct analysis *a, json_object *o, double p)
{
	if (a->nfam == a->capfam) {
		size_t cap = a->capfam ? a->capfam * 2 : 16;
		json_object **f = reallocarray(a->fam, cap, sizeof(*f));
		double *q = f ? reallocarray(a->fam_p, cap, sizeof(*q)) : NULL;

		if (f)
			a->fam = f;
		if (!q)
			return -ENOMEM;
		a->fam_p = q;
		a->capfam = cap;
	}
	a->fam[a->nfam] = o;
	a->fam_p[a->nfam++] = p;
	return 0;
}

static const char *why(int ret)
{
	if (ret == -EDOM)
		return "not defined: no variance";
	if (ret == -ERANGE)
		return "values too large: their squares overflow";
	return "too few values";
}

/* Welch (and for a two-level factor Cohen's d, Mann-Whitney) of x vs y. */
static json_object *pair_test(struct analysis *a, const struct group *x,
			      const struct group *y, int two_levels)
{
	json_object *o = json_object_new_object(), *w;
	struct mhv_ttest t = { NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN };
	struct mhv_mwu u = { NAN, NAN, NAN, NAN, NAN };
	int ret;

	json_object_object_add(o, "test", json_object_new_string("welch"));
	ret = mhv_welch_t(x->v, x->n, y->v, y->n, &t);
	/* not defined (-EDOM): what is not defined is NaN, so null */
	nums(o, &t, ttest_keys);
	if (ret)
		json_object_object_add(o, "note", json_object_new_string(why(ret)));
	else if (fam_add(a, o, t.p_two))
		return o;
	if (a->text && !ret)
		printf("      Welch t=%.4f df=%.2f p=%.4g, mean difference %.6g [%.6g, %.6g], Cohen's d=%.3f\n",
		       t.t, t.df, t.p_two, t.mean_diff, t.ci_lo, t.ci_hi, t.cohen_d);
	else if (a->text)
		printf("      Welch: %s (mean difference %.6g)\n", why(ret), t.mean_diff);
	if (!two_levels)
		return o;
	w = json_object_new_object();
	ret = mhv_mann_whitney(x->v, x->n, y->v, y->n, &u);
	nums(w, &u, mwu_keys);
	json_object_object_add(o, "mann_whitney", w);
	if (a->text && !ret)
		printf("      Mann-Whitney U=%.1f z=%.3f p=%.4g\n", u.u, u.z, u.p_two);
	return o;
}

static json_object *anova_test(struct analysis *a, const struct group *const *gs,
			       unsigned int k)
{
	json_object *o = json_object_new_object();
	const double *v[k];
	size_t n[k];
	struct mhv_anova r;
	unsigned int i;
	int ret;

	for (i = 0; i < k; i++) {
		v[i] = gs[i]->v;
		n[i] = gs[i]->n;
	}
	ret = mhv_anova1(v, n, k, &r);
	json_object_object_add(o, "test", json_object_new_string("anova"));
	num(o, "f", ret ? NAN : r.f);
	num(o, "df_between", ret == -EINVAL ? NAN : r.df_between);
	num(o, "df_within", ret == -EINVAL ? NAN : r.df_within);
	num(o, "p", ret ? NAN : r.p);
	num(o, "eta2", ret ? NAN : r.eta2);
	if (a->text && !ret)
		printf("      one-way ANOVA F(%.0f, %.0f)=%.4f p=%.4g eta^2=%.3f\n",
		       r.df_between, r.df_within, r.f, r.p, r.eta2);
	else if (a->text)
		printf("      one-way ANOVA: %s\n", why(ret));
	return o;
}

/* Factor @f within the slice of configuration @base (its level 0). */
static json_object *compare_slice(struct analysis *a, unsigned int m,
				  unsigned int f, unsigned int base,
				  unsigned int stride)
{
	const struct mhv_exp_factor *fac = &a->r.e.factors[f];
	unsigned int k = fac->nr_levels, i, j;
	const struct group *gs[k];
	json_object *o = json_object_new_object(), *pairs = json_object_new_array();
	json_object *p;
	char *lv = levels_str(&a->r.e, base, f);

	json_object_object_add(o, "metric", json_object_new_string(a->r.e.metrics[m]));
	json_object_object_add(o, "factor", json_object_new_string(fac->name));
	json_object_object_add(o, "within", levels_json(&a->r.e, base, f));
	if (a->text)
		printf("  %s by %s%s%s%s:\n", a->r.e.metrics[m], fac->name,
		       lv && *lv ? " (" : "", lv ? lv : "", lv && *lv ? ")" : "");
	free(lv);
	for (i = 0; i < k; i++)
		gs[i] = grp(a, m, base + i * stride);
	if (k > 2)
		json_object_object_add(o, "anova", anova_test(a, gs, k));
	for (i = 0; i < k; i++)
		for (j = i + 1; j < k; j++) {
			if (a->text)
				printf("    %s vs %s:\n", fac->levels[i], fac->levels[j]);
			p = pair_test(a, gs[i], gs[j], k == 2);
			json_object_object_add(p, "a", json_object_new_string(fac->levels[i]));
			json_object_object_add(p, "b", json_object_new_string(fac->levels[j]));
			json_object_object_add(p, "config_a", json_object_new_int(base + i * stride));
			json_object_object_add(p, "config_b", json_object_new_int(base + j * stride));
			json_object_array_add(pairs, p);
		}
	json_object_object_add(o, "pairs", pairs);
	return o;
}

/* Holm over the Welch p-values of one metric: "p_holm" in each. */
static void holm_family(struct analysis *a)
{
	double *adj;
	size_t i;

	if (!a->nfam)
		return;
	adj = calloc(a->nfam, sizeof(*adj));
	if (adj && !mhv_holm(a->fam_p, a->nfam, adj)) {
		for (i = 0; i < a->nfam; i++)
			num(a->fam[i], "p_holm", adj[i]);
		if (a->text && a->nfam > 1) {
			printf("  Holm-corrected p of the %zu Welch tests above:", a->nfam);
			for (i = 0; i < a->nfam; i++)
				printf(" %.4g", adj[i]);
			printf("\n");
		}
	}
	free(adj);
	a->nfam = 0;
}

static json_object *compare_all(struct analysis *a)
{
	const struct mhv_experiment *e = &a->r.e;
	json_object *arr = json_object_new_array();
	unsigned int m, f, c, k, stride, lv[e->nr_factors];

	for (m = 0; m < e->nr_metrics; m++) {
		for (f = 0; f < e->nr_factors; f++) {
			if (e->factors[f].nr_levels < 2)
				continue;
			for (stride = 1, k = f + 1; k < e->nr_factors; k++)
				stride *= e->factors[k].nr_levels;
			for (c = 0; c < a->nc; c++) {
				mhv_experiment_levels(e, c, lv);
				if (!lv[f])
					json_object_array_add(arr, compare_slice(a, m, f, c, stride));
			}
		}
		holm_family(a);
	}
	return arr;
}

int cmd_experiment_analyze(int argc, char **argv)
{
	struct analysis a = { 0 };
	json_object *root;
	char err[512];
	const char *dir = NULL;
	unsigned int i;
	int json = 0, ret;

	for (i = 1; i < (unsigned int)argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (!dir && argv[i][0] != '-')
			dir = argv[i];
		else
			dir = NULL, i = argc + 1;
	}
	if (!dir || i > (unsigned int)argc) {
		mhv_usage("experiment");
		return MHV_EXIT_USAGE;
	}
	ret = mhv_results_load(&a.r, dir, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "mhv: %s\n", err);
		return MHV_EXIT_FAIL;
	}
	a.nc = mhv_experiment_nr_configs(&a.r.e);
	a.text = !json;
	ret = collect(&a);
	root = json_object_new_object();
	if (!ret) {
		if (a.text)
			printf("Question: %s\nHypothesis: %s\n%u runs of %u configurations\n\n",
			       a.r.e.question, a.r.e.hypothesis, a.r.nr_rows, a.nc);
		json_object_object_add(root, "runs", json_object_new_int(a.r.nr_rows));
		json_object_object_add(root, "configs", describe_all(&a));
		if (a.text)
			printf("\ncomparisons (95%% level; Welch: two-sided p):\n");
		json_object_object_add(root, "comparisons", compare_all(&a));
		if (json)
			printf("%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY));
	} else {
		fprintf(stderr, "mhv: %s\n", strerror(-ret));
	}
	json_object_put(root);
	for (i = 0; a.g && i < a.nc * a.r.e.nr_metrics; i++) {
		free(a.g[i].v);
		free(a.g[i].runs);
	}
	free(a.g);
	free(a.fam);
	free(a.fam_p);
	mhv_results_free(&a.r);
	return ret ? MHV_EXIT_FAIL : MHV_EXIT_OK;
}
