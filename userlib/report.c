// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - the report of an experiment (mhv experiment report):
 * a PDF in the sections of the guide's ResearchPresentation, written
 * with cairo and laid out with pango (pangocairo: wrapping, bold, table
 * cells), the same text as Markdown, and every chart as SVG/PNG.
 *
 * One pass writes both outputs: every doc_*() function below draws into
 * the PDF and appends the same content to the Markdown file.
 *
 * Reproducible: nothing depends on the clock, the path of the results
 * or the environment; the PDF's dates are meta.json's "finished".
 */
#define _GNU_SOURCE	/* vasprintf */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairo-pdf.h>

#include "report_internal.h"

/* A4 portrait, in points, and the text area. */
#define PAGE_W		595.276
#define PAGE_H		841.890
#define MARGIN		56.0
#define TEXT_W		(PAGE_W - 2 * MARGIN)
#define BOTTOM		(PAGE_H - MARGIN)

#define BODY_SIZE	10.0
#define TABLE_SIZE	8.0
#define MIN_COL		60.0	/* a column narrower is never wrapped first */
#define ALPHA		0.05

struct doc {
	const struct mhv_report *r;
	const struct mhv_report_opts *o;
	cairo_surface_t *pdf;	/* NULL: no PDF */
	cairo_t *cr;
	double y;		/* top of the next block */
	unsigned int page;	/* from 1 */
	FILE *md;		/* NULL: no Markdown */
	unsigned int section;	/* number of the current section */
	unsigned int sub;	/* ... subsection */
	unsigned int figure;	/* figures so far */
	int err;		/* first error */
	char *errbuf;
	size_t errlen;
};

static void doc_fail(struct doc *d, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void doc_fail(struct doc *d, int err, const char *fmt, ...)
{
	va_list ap;

	if (d->err)
		return;
	d->err = err;
	if (d->errbuf && d->errlen) {
		va_start(ap, fmt);
		vsnprintf(d->errbuf, d->errlen, fmt, ap);
		va_end(ap);
	}
}

/* ---- layout ----------------------------------------------------------- */

static PangoLayout *doc_layout(struct doc *d, const char *font, double size,
			       double width, const char *markup)
{
	PangoLayout *l = chart_layout(d->cr, font, size);

	pango_layout_set_width(l, width < 0 ? -1 : (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_markup(l, markup, -1);
	return l;
}

static double layout_height(PangoLayout *l)
{
	int w, h;

	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void doc_footer(struct doc *d)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%u", d->page);
	cairo_set_source_rgb(d->cr, 0.4, 0.4, 0.4);
	chart_text(d->cr, REPORT_FONT, 8, PAGE_W / 2, PAGE_H - MARGIN / 2, 0,
		   TEXT_CENTER, TEXT_CENTER, buf);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
}

/* Room for @h points, or a new page. */
static void doc_need(struct doc *d, double h)
{
	if (d->y + h <= BOTTOM || d->y <= MARGIN)
		return;
	doc_footer(d);
	cairo_show_page(d->cr);
	d->page++;
	d->y = MARGIN;
}

/* A block of pango markup at the left margin (+ @indent). */
static void doc_markup(struct doc *d, const char *font, double size,
		       double indent, double space_after, const char *markup)
{
	PangoLayout *l;
	double h;

	if (!d->cr)
		return;
	l = doc_layout(d, font, size, TEXT_W - indent, markup);
	h = layout_height(l);
	doc_need(d, h);
	cairo_move_to(d->cr, MARGIN + indent, d->y);
	pango_cairo_show_layout(d->cr, l);
	g_object_unref(l);
	d->y += h + space_after;
}

static char *vformat(const char *fmt, va_list ap)
{
	char *s = NULL;

	if (vasprintf(&s, fmt, ap) < 0)
		return NULL;
	return s;
}

/*
 * A paragraph: @label in bold (may be NULL), then the text. @bullet:
 * an item of a list.
 */
static void doc_vpara(struct doc *d, int bullet, const char *label,
		      const char *fmt, va_list ap)
{
	char *text = vformat(fmt, ap), *esc, *m;

	if (!text) {
		doc_fail(d, -ENOMEM, "out of memory");
		return;
	}
	if (d->md)
		fprintf(d->md, "%s%s%s%s%s\n%s", bullet ? "- " : "",
			label ? "**" : "", label ? label : "",
			label ? "** " : "", text, bullet ? "" : "\n");
	esc = g_markup_escape_text(text, -1);
	m = g_strdup_printf("%s%s%s%s%s", bullet ? "\u2022 " : "",
			    label ? "<b>" : "", label ? label : "",
			    label ? "</b> " : "", esc);
	doc_markup(d, REPORT_FONT, BODY_SIZE, bullet ? 10 : 0,
		   bullet ? 3 : 7, m);
	g_free(m);
	g_free(esc);
	free(text);
}

static void doc_para(struct doc *d, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void doc_para(struct doc *d, const char *label, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	doc_vpara(d, 0, label, fmt, ap);
	va_end(ap);
}

static void doc_item(struct doc *d, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void doc_item(struct doc *d, const char *label, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	doc_vpara(d, 1, label, fmt, ap);
	va_end(ap);
}

/* The end of a list (Markdown needs a blank line). */
static void doc_end_list(struct doc *d)
{
	if (d->md)
		fputc('\n', d->md);
	d->y += 4;
}

/* A numbered heading: @level 1 (section) or 2 (subsection). */
static void doc_heading(struct doc *d, int level, const char *title)
{
	char num[32], *esc, *m;

	if (level == 1) {
		d->section++;
		d->sub = 0;
		snprintf(num, sizeof(num), "%u", d->section);
	} else {
		d->sub++;
		snprintf(num, sizeof(num), "%u.%u", d->section, d->sub);
	}
	if (d->md)
		fprintf(d->md, "%s %s %s\n\n", level == 1 ? "##" : "###", num,
			title);
	if (!d->cr)
		return;
	doc_need(d, level == 1 ? 80 : 60);	/* not alone at a page end */
	d->y += level == 1 ? 10 : 4;
	esc = g_markup_escape_text(title, -1);
	m = g_strdup_printf("<b>%s  %s</b>", num, esc);
	doc_markup(d, REPORT_FONT, level == 1 ? 15 : 12, 0, 6, m);
	g_free(m);
	g_free(esc);
}

/* ---- tables ------------------------------------------------------------ */

struct table {
	size_t ncols, nrows;	/* rows after the header */
	char **cells;		/* (nrows + 1) x ncols, row 0 the header */
	int *right;		/* per column: right-aligned (numbers) */
};

static int table_init(struct table *t, size_t ncols, size_t nrows)
{
	t->ncols = ncols;
	t->nrows = 0;
	t->cells = calloc((nrows + 1) * ncols, sizeof(*t->cells));
	t->right = calloc(ncols, sizeof(*t->right));
	return t->cells && t->right ? 0 : -ENOMEM;
}

static void table_free(struct table *t, size_t nrows)
{
	size_t i;

	for (i = 0; t->cells && i < (nrows + 1) * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->right);
}

/* Cell (@row, @col) (row 0: the header) = the formatted text. */
static void table_set(struct table *t, size_t row, size_t col,
		      const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void table_set(struct table *t, size_t row, size_t col,
		      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	free(t->cells[row * t->ncols + col]);
	t->cells[row * t->ncols + col] = vformat(fmt, ap);
	va_end(ap);
	if (row > t->nrows)
		t->nrows = row;
}

static const char *cell(const struct table *t, size_t row, size_t col)
{
	const char *s = t->cells[row * t->ncols + col];

	return s ? s : "";
}

static void table_md(struct doc *d, const struct table *t)
{
	size_t r, c;

	for (r = 0; r <= t->nrows; r++) {
		for (c = 0; c < t->ncols; c++)
			fprintf(d->md, "| %s ", cell(t, r, c));
		fprintf(d->md, "|\n");
		if (r)
			continue;
		for (c = 0; c < t->ncols; c++)
			fprintf(d->md, "|%s", t->right[c] ? "---:" : "---");
		fprintf(d->md, "|\n");
	}
	fputc('\n', d->md);
}

/* The layout of a cell (@width -1: no wrapping); the header in bold. */
static PangoLayout *cell_layout(struct doc *d, const struct table *t,
				size_t r, size_t c, double width)
{
	char *esc = g_markup_escape_text(cell(t, r, c), -1);
	char *m = g_strdup_printf(r ? "%s" : "<b>%s</b>", esc);
	PangoLayout *l = doc_layout(d, REPORT_FONT, TABLE_SIZE, width, m);

	if (t->right[c] && r)
		pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
	g_free(m);
	g_free(esc);
	return l;
}

/* The column widths: natural widths, scaled down to the text width. */
static void table_widths(struct doc *d, const struct table *t, double *w)
{
	double total = 0, flex = 0;
	size_t r, c;
	int pw, ph;

	for (c = 0; c < t->ncols; c++) {
		w[c] = 0;
		for (r = 0; r <= t->nrows; r++) {
			PangoLayout *l = cell_layout(d, t, r, c, -1);

			pango_layout_get_size(l, &pw, &ph);
			w[c] = fmax(w[c], (double)pw / PANGO_SCALE + 8);
			g_object_unref(l);
		}
		total += w[c];
	}
	/* too wide: the columns wider than MIN_COL give up the excess in
	 * proportion to their width beyond it (short cells stay on one
	 * line); only if that is not enough do all shrink
	 */
	for (c = 0; c < t->ncols; c++)
		flex += fmax(w[c] - MIN_COL, 0);
	for (c = 0; total > TEXT_W && c < t->ncols; c++)
		if (flex >= total - TEXT_W)
			w[c] -= (total - TEXT_W) * fmax(w[c] - MIN_COL, 0) / flex;
		else
			w[c] *= TEXT_W / total;
}

/* One row of the table at d->y (the page break before it if needed). */
static void table_row(struct doc *d, const struct table *t, size_t r,
		      const double *w)
{
	PangoLayout *l[t->ncols];
	double h = 0, x = MARGIN;
	size_t c;

	for (c = 0; c < t->ncols; c++) {
		l[c] = cell_layout(d, t, r, c, w[c] - 8);
		h = fmax(h, layout_height(l[c]) + 4);
	}
	doc_need(d, h);
	if (!r) {
		cairo_set_source_rgb(d->cr, 0.9, 0.9, 0.9);
		cairo_rectangle(d->cr, MARGIN, d->y, x - MARGIN + TEXT_W, h);
		cairo_fill(d->cr);
	}
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	for (c = 0; c < t->ncols; c++) {
		cairo_move_to(d->cr, x + 4, d->y + 2);
		pango_cairo_show_layout(d->cr, l[c]);
		g_object_unref(l[c]);
		x += w[c];
	}
	cairo_set_source_rgb(d->cr, 0.7, 0.7, 0.7);
	cairo_set_line_width(d->cr, 0.4);
	cairo_move_to(d->cr, MARGIN, d->y + h);
	cairo_line_to(d->cr, MARGIN + TEXT_W, d->y + h);
	cairo_stroke(d->cr);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	d->y += h;
}

static void doc_table(struct doc *d, const struct table *t)
{
	double w[t->ncols];
	size_t r;

	if (d->md)
		table_md(d, t);
	if (!d->cr)
		return;
	table_widths(d, t, w);
	for (r = 0; r <= t->nrows; r++)
		table_row(d, t, r, w);
	d->y += 10;
}

/* ---- charts ------------------------------------------------------------ */

/* Save a chart as @ext into @dir; the file name into @name. */
static void chart_file(struct doc *d, const char *dir, const char *ext,
		       enum mhv_chart_kind kind, size_t metric,
		       enum mhv_chart_format fmt, char *path, size_t len)
{
	char name[256];
	int ret;

	chart_file_name(d->r, kind, metric, ext, name, sizeof(name));
	snprintf(path, len, "%s/%s", dir, name);
	ret = mhv_chart_save(d->r, kind, metric, path, fmt);
	if (ret)
		doc_fail(d, ret, "%s: %s", path, strerror(-ret));
}

/*
 * @target (a file written already) as a link from the Markdown file @md:
 * relative to @md's folder, so that the report and its charts can move
 * together. @target as given when a path cannot be resolved.
 */
static void md_link(const char *md, const char *target, char *out, size_t len)
{
	char mdc[PATH_MAX], from[PATH_MAX], to[PATH_MAX];
	size_t i, common = 0;

	snprintf(out, len, "%s", target);
	snprintf(mdc, sizeof(mdc), "%s", md);
	if (!realpath(dirname(mdc), from) || !realpath(target, to))
		return;
	for (i = 0; from[i] && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i;
	if (!from[i] && to[i] == '/')
		common = i;
	out[0] = '\0';
	/* one "../" per folder of @from below the common part */
	for (i = common; from[i] && from[i + 1]; i++)
		if (from[i] == '/')
			strncat(out, "../", len - strlen(out) - 1);
	strncat(out, to + common + 1, len - strlen(out) - 1);
}

/* A figure: the chart in the PDF, its SVG/PNG files, its caption. */
static void doc_chart(struct doc *d, enum mhv_chart_kind kind, size_t metric,
		      const char *caption)
{
	double h = TEXT_W * CHART_H / CHART_W;
	char svg[4096] = "", png[4096] = "", cap[512], *esc;

	d->figure++;
	snprintf(cap, sizeof(cap), "Figure %u: %s", d->figure, caption);
	if (d->o->svg_dir)
		chart_file(d, d->o->svg_dir, "svg", kind, metric,
			   MHV_CHART_FMT_SVG, svg, sizeof(svg));
	if (d->o->png_dir)
		chart_file(d, d->o->png_dir, "png", kind, metric,
			   MHV_CHART_FMT_PNG, png, sizeof(png));
	if (d->md && (*svg || *png)) {
		char link[4096];

		md_link(d->o->markdown, *svg ? svg : png, link, sizeof(link));
		fprintf(d->md, "![%s](%s)\n\n", cap, link);
	}
	else if (d->md)
		fprintf(d->md, "*%s* (write the charts with --svg or --png)\n\n",
			cap);
	if (!d->cr)
		return;
	doc_need(d, h + 24);
	cairo_save(d->cr);
	cairo_translate(d->cr, MARGIN, d->y);
	cairo_scale(d->cr, TEXT_W / CHART_W, TEXT_W / CHART_W);
	if (chart_draw(d->cr, CHART_W, CHART_H, d->r, kind, metric))
		doc_fail(d, -EINVAL, "cannot draw %s", cap);
	cairo_restore(d->cr);
	d->y += h + 4;
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	esc = g_markup_escape_text(cap, -1);
	doc_markup(d, REPORT_FONT " Italic", 9, 0, 10, esc);
	g_free(esc);
}

/* ---- the statistics of the report --------------------------------------- */

enum test_kind { T_WELCH, T_MWU, T_ANOVA, T_REGRESS };

static const char *const test_names[] = {
	[T_WELCH] = "Welch t", [T_MWU] = "Mann-Whitney U",
	[T_ANOVA] = "one-way ANOVA", [T_REGRESS] = "linear regression",
};

struct test {
	enum test_kind kind;
	size_t metric;		/* index of the metric tested */
	char what[512];		/* the comparison, in words */
	int defined;		/* 0: the statistic is not defined (-EDOM) */
	double stat, df1, df2;	/* t, U, F or slope; degrees of freedom */
	double p, padj;		/* raw and Holm-adjusted p-value */
	double effect;		/* Cohen's d, z, eta squared or R^2 */
	double diff, lo, hi;	/* Welch: mean difference and its CI;
				 * regression: slope, its standard error */
};

struct tests {
	struct test *t;
	size_t n, cap;
};

static struct test *tests_add(struct tests *ts, enum test_kind kind,
			      size_t metric, const char *what)
{
	struct test *nt;

	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? ts->cap * 2 : 16;
		nt = realloc(ts->t, ts->cap * sizeof(*nt));
		if (!nt)
			return NULL;
		ts->t = nt;
	}
	nt = &ts->t[ts->n++];
	memset(nt, 0, sizeof(*nt));
	nt->kind = kind;
	nt->metric = metric;
	snprintf(nt->what, sizeof(nt->what), "%s", what);
	nt->p = nt->padj = NAN;
	return nt;
}

/*
 * Welch (and with @mwu Mann-Whitney) between levels @la and @lb of @f in
 * the stratum of configuration @c0 (where @f is at level 0).
 */
static int tests_two(const struct mhv_report *r, struct tests *ts,
		     size_t metric, size_t f, size_t c0, size_t la, size_t lb,
		     int mwu, const char *stratum, double *a, double *b)
{
	size_t stride = chart_factor_stride(r, f);
	size_t na = report_samples(r, c0 + la * stride, metric, a);
	size_t nb = report_samples(r, c0 + lb * stride, metric, b);
	struct mhv_ttest tt;
	struct mhv_mwu mw;
	struct test *t;
	char what[512];
	int ret;

	if (na < 2 || nb < 2)
		return 0;	/* too few runs to compare */
	snprintf(what, sizeof(what), "%s: %s vs %s%s%s%s", r->factors[f].name,
		 r->factors[f].levels[la], r->factors[f].levels[lb],
		 *stratum ? " (" : "", stratum, *stratum ? ")" : "");
	t = tests_add(ts, T_WELCH, metric, what);
	if (!t)
		return -ENOMEM;
	ret = mhv_welch_t(a, na, b, nb, &tt);
	if (ret && ret != -EDOM)
		return ret;
	t->defined = !ret;
	t->stat = tt.t;
	t->df1 = tt.df;
	t->p = tt.p_two;
	t->effect = tt.cohen_d;
	t->diff = tt.mean_diff;
	t->lo = tt.ci_lo;
	t->hi = tt.ci_hi;
	if (!mwu)
		return 0;
	t = tests_add(ts, T_MWU, metric, what);
	if (!t)
		return -ENOMEM;
	ret = mhv_mann_whitney(a, na, b, nb, &mw);
	if (ret && ret != -EDOM)
		return ret;
	t->defined = !ret;
	t->stat = mw.u;
	t->effect = mw.z;
	t->p = mw.p_two;
	return 0;
}

/* One-way ANOVA across the levels of @f at @c0. */
static int tests_anova(const struct mhv_report *r, struct tests *ts,
		       size_t metric, size_t f, size_t c0, const char *stratum,
		       double *buf)
{
	size_t k = r->factors[f].nr_levels, stride = chart_factor_stride(r, f), l;
	const double *groups[k];
	size_t sizes[k], off = 0;
	struct mhv_anova an;
	struct test *t;
	char what[512];
	int ret;

	for (l = 0; l < k; l++) {
		groups[l] = buf + off;
		sizes[l] = report_samples(r, c0 + l * stride, metric,
					       buf + off);
		if (!sizes[l])
			return 0;
		off += sizes[l];
	}
	if (off <= k)
		return 0;
	snprintf(what, sizeof(what), "%s: %zu levels%s%s%s",
		 r->factors[f].name, k, *stratum ? " (" : "", stratum,
		 *stratum ? ")" : "");
	t = tests_add(ts, T_ANOVA, metric, what);
	if (!t)
		return -ENOMEM;
	ret = mhv_anova1(groups, sizes, k, &an);
	if (ret && ret != -EDOM)
		return ret;
	t->defined = !ret;
	t->stat = an.f;
	t->df1 = an.df_between;
	t->df2 = an.df_within;
	t->p = an.p;
	t->effect = an.eta2;
	return 0;
}

/* The regression of the metric on the numeric factor, over every run. */
static int tests_regress(const struct mhv_report *r, struct tests *ts,
			 size_t metric, double *x, double *y)
{
	int f = mhv_report_numeric_factor(r);
	struct mhv_regression reg;
	struct test *t;
	char what[512];
	size_t i;
	int ret;

	if (f < 0 || r->nrows < 3)
		return 0;
	for (i = 0; i < r->nrows; i++)
		x[i] = strtod(r->factors[f].levels[
			report_level(r, r->res.config[i], f)], NULL);
	report_samples(r, (size_t)-1, metric, y);
	snprintf(what, sizeof(what), "%s on %s (all runs)", r->metrics[metric],
		 r->factors[f].name);
	t = tests_add(ts, T_REGRESS, metric, what);
	if (!t)
		return -ENOMEM;
	ret = mhv_regress(x, r->nrows, 1, y, &reg);
	if (ret && ret != -EDOM)
		return ret;
	t->defined = !ret;
	t->stat = reg.coef[1];
	t->diff = reg.coef[1];
	t->lo = reg.se[1];
	t->df1 = (double)(reg.n - reg.k);
	t->p = reg.p[1];
	t->effect = reg.r2;
	return 0;
}

/* More than two levels: the ANOVA, then Welch for every pair. */
static int tests_many(const struct mhv_report *r, struct tests *ts,
		      size_t metric, size_t f, size_t c0, const char *stratum,
		      double *a, double *b)
{
	size_t la, lb, k = r->factors[f].nr_levels;
	int ret = tests_anova(r, ts, metric, f, c0, stratum, a);

	for (la = 0; !ret && la < k; la++)
		for (lb = la + 1; !ret && lb < k; lb++)
			ret = tests_two(r, ts, metric, f, c0, la, lb, 0,
					stratum, a, b);
	return ret;
}

/* Holm over the p-values of the tests of kind @kind. */
static int tests_holm(struct tests *ts, enum test_kind kind, double *p)
{
	size_t i, m = 0;
	int ret;

	for (i = 0; i < ts->n; i++)
		if (ts->t[i].kind == kind && ts->t[i].defined)
			p[m++] = ts->t[i].p;
	if (!m)
		return 0;
	ret = mhv_holm(p, m, p);
	for (i = 0, m = 0; !ret && i < ts->n; i++)
		if (ts->t[i].kind == kind && ts->t[i].defined)
			ts->t[i].padj = p[m++];
	return ret;
}

/*
 * Every test of @metric: per factor and per combination of the other
 * factors' levels (as mhv experiment analyze does), Welch +
 * Mann-Whitney between two levels, ANOVA + Welch for every pair across
 * more; the regression on a numeric factor. Each kind of test of the
 * metric is one family for Holm's correction (so the Welch p-values
 * match mhv experiment analyze).
 */
static int tests_of_metric(const struct mhv_report *r, size_t metric,
			   struct tests *ts, double *a, double *b)
{
	char stratum[256];
	size_t f, c;
	int k;
	double *p;
	int ret = 0;

	for (f = 0; f < r->nfactors && !ret; f++) {
		if (r->factors[f].nr_levels < 2)
			continue;
		for (c = 0; c < r->nconfigs && !ret; c++) {
			if (report_level(r, c, f))
				continue;	/* one per stratum: level 0 */
			chart_stratum_label(r, f, c, stratum, sizeof(stratum));
			if (r->factors[f].nr_levels == 2)
				ret = tests_two(r, ts, metric, f, c, 0, 1, 1,
						stratum, a, b);
			else
				ret = tests_many(r, ts, metric, f, c, stratum,
						 a, b);
		}
	}
	ret = ret ?: tests_regress(r, ts, metric, a, b);
	if (ret || !ts->n)
		return ret;
	p = malloc(ts->n * sizeof(*p));
	if (!p)
		return -ENOMEM;
	for (k = T_WELCH; !ret && k <= T_REGRESS; k++)
		ret = tests_holm(ts, (enum test_kind)k, p);
	free(p);
	return ret;
}

/* Cohen's (1988) conventions for d and eta squared. */
static const char *effect_words(enum test_kind k, double e)
{
	e = fabs(e);
	if (k == T_WELCH)
		return e < 0.2 ? "negligible" : e < 0.5 ? "small" :
		       e < 0.8 ? "medium" : "large";
	return e < 0.01 ? "negligible" : e < 0.06 ? "small" :
	       e < 0.14 ? "medium" : "large";
}

static int significant(const struct test *t)
{
	return t->defined && t->padj < ALPHA;
}

/* The test's statistic, its effect and the sentence that says it. */
static void test_stat(const struct test *t, char *buf, size_t len)
{
	if (!t->defined)
		snprintf(buf, len, "not defined");
	else if (t->kind == T_WELCH)
		snprintf(buf, len, "t(%.4g) = %.4g", t->df1, t->stat);
	else if (t->kind == T_MWU)
		snprintf(buf, len, "U = %.6g", t->stat);
	else if (t->kind == T_ANOVA)
		snprintf(buf, len, "F(%.0f, %.0f) = %.4g", t->df1, t->df2,
			 t->stat);
	else
		snprintf(buf, len, "slope = %.4g (SE %.3g)", t->stat, t->lo);
}

static void test_effect(const struct test *t, char *buf, size_t len)
{
	if (!t->defined)
		snprintf(buf, len, "-");
	else if (t->kind == T_WELCH)
		snprintf(buf, len, "d = %.3f (%s)", t->effect,
			 effect_words(t->kind, t->effect));
	else if (t->kind == T_MWU)
		snprintf(buf, len, "z = %.3f", t->effect);
	else if (t->kind == T_ANOVA)
		snprintf(buf, len, "\u03b7\u00b2 = %.3f (%s)", t->effect,
			 effect_words(t->kind, t->effect));
	else
		snprintf(buf, len, "R\u00b2 = %.3f", t->effect);
}

/* "0.0123", "< 0.0001" or "-"; @eq: "= 0.0123" (for sentences). */
static void fmt_p(double p, int eq, char *buf, size_t len)
{
	if (isnan(p))
		snprintf(buf, len, "-");
	else if (p < 0.0001)
		snprintf(buf, len, "< 0.0001");
	else
		snprintf(buf, len, "%s%.4f", eq ? "= " : "", p);
}

/* One sentence about test @t of @metric (without a final period). */
static void test_sentence(const struct mhv_report *r, size_t metric,
			  const struct test *t, char *buf, size_t len)
{
	char st[128], ef[128], p[32];

	test_stat(t, st, sizeof(st));
	test_effect(t, ef, sizeof(ef));
	fmt_p(t->padj, 1, p, sizeof(p));
	if (!t->defined) {
		snprintf(buf, len, "%s, %s: not defined (no variation in the samples)",
			 r->metrics[metric], t->what);
		return;
	}
	if (t->kind == T_WELCH)
		snprintf(buf, len, "%s, %s: %s %.5g [95%% CI %.5g, %.5g] (%s, Holm p %s; Cohen's %s)",
			 r->metrics[metric], t->what,
			 significant(t) ? "the means differ by" :
			 "the means do not differ significantly; observed difference",
			 t->diff, t->lo, t->hi, st, p, ef);
	else if (t->kind == T_MWU)
		snprintf(buf, len, "%s, %s: the distributions %s (Mann-Whitney %s, Holm p %s)",
			 r->metrics[metric], t->what,
			 significant(t) ? "differ in location" :
			 "do not differ significantly", st, p);
	else if (t->kind == T_ANOVA)
		snprintf(buf, len, "%s, %s: the level means %s (%s, Holm p %s; %s)",
			 r->metrics[metric], t->what,
			 significant(t) ? "are not all equal" :
			 "do not differ significantly", st, p, ef);
	else
		snprintf(buf, len, "%s: %s changes by %.5g per unit (SE %.3g), %s (Holm p %s; %s)",
			 t->what, r->metrics[metric], t->diff, t->lo,
			 significant(t) ? "a significant linear trend" :
			 "no significant linear trend", p, ef);
}

/* ---- the sections -------------------------------------------------------- */

/* @n strings joined by ", " (free with g_free()). */
static char *join(char *const *v, size_t n)
{
	GString *s = g_string_new(NULL);
	size_t i;

	for (i = 0; i < n; i++)
		g_string_append_printf(s, "%s%s", i ? ", " : "", v[i]);
	return g_string_free(s, FALSE);
}

static void sec_title(struct doc *d)
{
	const struct mhv_report *r = d->r;
	char *esc;

	if (d->md)
		fprintf(d->md, "# Experiment report\n\n*%s*\n\n", r->res.e.question);
	if (d->cr) {
		doc_markup(d, REPORT_FONT " Bold", 20, 0, 6, "Experiment report");
		esc = g_markup_escape_text(r->res.e.question, -1);
		doc_markup(d, REPORT_FONT " Italic", 12, 0, 6, esc);
		g_free(esc);
	}
	if (r->meta.finished)
		doc_para(d, NULL, "Runs from %s to %s on %s.", r->meta.started,
			 r->meta.finished, r->meta.hostname);
	else
		doc_para(d, NULL, "Runs started %s on %s and did not finish (an interrupted experiment: mhv experiment run --resume goes on with it).",
			 r->meta.started, r->meta.hostname);
	doc_para(d, NULL, "Generated by mhv experiment report from the results of mhv experiment run: every number below is computed from the %zu recorded runs.",
		 r->nrows);
}

static void sec_introduction(struct doc *d)
{
	doc_heading(d, 1, "Introduction");
	doc_para(d, "Research question.", "%s", d->r->res.e.question);
	doc_para(d, "Hypothesis.", "%s", d->r->res.e.hypothesis);
}

static void methodology_factors(struct doc *d)
{
	const struct mhv_report *r = d->r;
	struct table t;
	size_t f;
	char *lv;

	if (table_init(&t, 3, r->nfactors)) {
		doc_fail(d, -ENOMEM, "out of memory");
		return;
	}
	table_set(&t, 0, 0, "Factor");
	table_set(&t, 0, 1, "Levels");
	table_set(&t, 0, 2, "Count");
	t.right[2] = 1;
	for (f = 0; f < r->nfactors; f++) {
		lv = join(r->factors[f].levels, r->factors[f].nr_levels);
		table_set(&t, f + 1, 0, "%s", r->factors[f].name);
		table_set(&t, f + 1, 1, "%s", lv);
		table_set(&t, f + 1, 2, "%u", r->factors[f].nr_levels);
		g_free(lv);
	}
	doc_table(d, &t);
	table_free(&t, r->nfactors);
}

static void sec_methodology(struct doc *d)
{
	const struct mhv_report *r = d->r;
	char *metrics = join(r->metrics, r->nmetrics);

	doc_heading(d, 1, "Methodology");
	doc_para(d, "Design.", "A full factorial design: every combination of the levels of the factors below is one configuration (%zu in all), run %u times (%zu timed runs recorded), after %u warm-up run(s) in all (the head of the randomized run order), not recorded. Metrics: %s.",
		 r->nconfigs, r->res.e.repetitions, r->nrows, r->res.e.warmup, metrics);
	g_free(metrics);
	methodology_factors(d);
	doc_para(d, "Randomization.", "The runs were executed in a random order drawn from seed %s (recorded, so the order can be repeated), so that a drift of the machine over time (temperature, frequency scaling, other load) does not line up with a factor.",
		 r->meta.seed);
	doc_para(d, "Machine.", "CPU %s, host kernel %s, host %s.", r->meta.cpu,
		 r->meta.host_kernel, r->meta.hostname);
	doc_para(d, "Software.", "multios_hv module %s, libmultios_hv %s, API version %s.",
		 r->meta.v_module, r->meta.v_library, r->meta.v_api);
	doc_para(d, "Statistics.", "Per configuration: mean, median, sample standard deviation and the 95%% confidence interval of the mean (Student t); outliers (outside the Tukey fences, 1.5 IQR beyond the quartiles) are counted, not dropped. Two levels of a factor are compared with Welch's t-test (effect size Cohen's d) and the Mann-Whitney U test (no normality assumed); more levels with a one-way ANOVA (effect size eta squared) and Welch's t-test for every pair of levels; a numeric factor by least-squares regression. Each comparison is made within each combination of the other factors' levels, so no other factor is mixed into the groups. The p-values of each kind of test on a metric are one family for Holm's correction; a result is called significant when its corrected p-value is below alpha = %.2f. The statistics come from libmultios_hv (GSL).",
		 ALPHA);
}

/* The table of metric @m: one row per configuration. */
static int results_table(struct doc *d, size_t m, double *buf,
			 size_t *outliers)
{
	const struct mhv_report *r = d->r;
	size_t nf = r->nfactors, c, f, n;
	struct mhv_describe ds;
	struct table t;
	int ret = 0;

	if (table_init(&t, nf + 6, r->nconfigs))
		return -ENOMEM;
	for (f = 0; f < nf; f++)
		table_set(&t, 0, f, "%s", r->factors[f].name);
	table_set(&t, 0, nf, "n");
	table_set(&t, 0, nf + 1, "mean");
	table_set(&t, 0, nf + 2, "median");
	table_set(&t, 0, nf + 3, "sd");
	table_set(&t, 0, nf + 4, "95%% CI of the mean");
	table_set(&t, 0, nf + 5, "outliers");
	for (f = nf; f < nf + 6; f++)
		t.right[f] = 1;
	for (c = 0; c < r->nconfigs && !ret; c++) {
		for (f = 0; f < nf; f++)
			table_set(&t, c + 1, f, "%s",
				  r->factors[f].levels[report_level(r, c, f)]);
		n = report_samples(r, c, m, buf);
		table_set(&t, c + 1, nf, "%zu", n);
		if (!n)
			continue;
		ret = mhv_describe(buf, n, &ds);
		table_set(&t, c + 1, nf + 1, "%.5g", ds.mean);
		table_set(&t, c + 1, nf + 2, "%.5g", ds.median);
		table_set(&t, c + 1, nf + 3, "%.4g", ds.sd);
		if (n > 1)
			table_set(&t, c + 1, nf + 4, "[%.5g, %.5g]", ds.ci_lo,
				  ds.ci_hi);
		table_set(&t, c + 1, nf + 5, "%zu", ds.n_outliers);
		*outliers += ds.n_outliers;
	}
	if (!ret)
		doc_table(d, &t);
	table_free(&t, r->nconfigs);
	return ret;
}

/* The metric of the histogram (-1: the one asked for does not exist). */
static int hist_metric(const struct doc *d)
{
	const struct mhv_report *r = d->r;
	size_t m;

	for (m = 0; m < r->nmetrics; m++)
		if (d->o->histogram ? !strcmp(r->metrics[m], d->o->histogram) :
		    !!strstr(r->metrics[m], "latency"))
			return (int)m;
	return d->o->histogram ? -1 : 0;
}

static int sec_results(struct doc *d, double *buf, size_t *outliers)
{
	const struct mhv_report *r = d->r;
	int nf = mhv_report_numeric_factor(r), hm = hist_metric(d);
	char cap[512];
	size_t m;
	int ret;

	doc_heading(d, 1, "Results");
	doc_para(d, NULL, "Per metric, the statistics of each configuration, the means with their 95%% confidence intervals and the distributions of the raw samples.");
	for (m = 0; m < r->nmetrics; m++) {
		doc_heading(d, 2, r->metrics[m]);
		ret = results_table(d, m, buf, outliers);
		if (ret)
			return ret;
		snprintf(cap, sizeof(cap), "mean %s per configuration; the error bars are the 95%% confidence intervals",
			 r->metrics[m]);
		doc_chart(d, MHV_CHART_BAR, m, cap);
		snprintf(cap, sizeof(cap), "%s per configuration: box from the first to the third quartile, line at the median, whiskers to the last run inside 1.5 IQR, circles beyond",
			 r->metrics[m]);
		doc_chart(d, MHV_CHART_BOX, m, cap);
		if (nf < 0)
			continue;
		snprintf(cap, sizeof(cap), "%s of every run against %s, with the least-squares line",
			 r->metrics[m], r->factors[nf].name);
		doc_chart(d, MHV_CHART_SCATTER, m, cap);
	}
	snprintf(cap, sizeof(cap), "histogram of %s over all runs",
		 r->metrics[hm]);
	doc_chart(d, MHV_CHART_HIST, hm, cap);
	return 0;
}

static void analysis_table(struct doc *d, const struct tests *ts)
{
	char buf[128];
	struct table t;
	size_t i;

	if (table_init(&t, 6, ts->n)) {
		doc_fail(d, -ENOMEM, "out of memory");
		return;
	}
	table_set(&t, 0, 0, "Test");
	table_set(&t, 0, 1, "Comparison");
	table_set(&t, 0, 2, "Statistic");
	table_set(&t, 0, 3, "Effect");
	table_set(&t, 0, 4, "p");
	table_set(&t, 0, 5, "p (Holm)");
	t.right[4] = t.right[5] = 1;
	for (i = 0; i < ts->n; i++) {
		const struct test *x = &ts->t[i];

		table_set(&t, i + 1, 0, "%s", test_names[x->kind]);
		table_set(&t, i + 1, 1, "%s", x->what);
		test_stat(x, buf, sizeof(buf));
		table_set(&t, i + 1, 2, "%s", buf);
		test_effect(x, buf, sizeof(buf));
		table_set(&t, i + 1, 3, "%s", buf);
		fmt_p(x->p, 0, buf, sizeof(buf));
		table_set(&t, i + 1, 4, "%s", buf);
		fmt_p(x->padj, 0, buf, sizeof(buf));
		table_set(&t, i + 1, 5, "%s%s", buf, significant(x) ? " *" : "");
	}
	doc_table(d, &t);
	table_free(&t, ts->n);
}

/* The sentences: significant results first, then the others. */
static void analysis_words(struct doc *d, size_t m, const struct tests *ts,
			   size_t *nsig)
{
	char s[1024];
	size_t i;
	int pass;

	for (pass = 1; pass >= 0; pass--) {
		for (i = 0; i < ts->n && significant(&ts->t[i]) != pass; i++)
			;
		doc_para(d, pass ? "Significant at alpha = 0.05 (Holm):" :
			 "Not significant:", "%s", i < ts->n ? "" : "none.");
		for (; i < ts->n; i++) {
			if (significant(&ts->t[i]) != pass)
				continue;
			test_sentence(d->r, m, &ts->t[i], s, sizeof(s));
			doc_item(d, NULL, "%s.", s);
			*nsig += pass;
		}
		doc_end_list(d);
	}
}

static int sec_analysis(struct doc *d, struct tests *all, size_t *nsig,
			double *a, double *b)
{
	const struct mhv_report *r = d->r;
	struct tests ts = { 0 };
	size_t m, i;
	int ret = 0;

	doc_heading(d, 1, "Analysis");
	doc_para(d, NULL, "The tests run on each metric, with their raw and Holm-corrected p-values (* marks p (Holm) < 0.05). Welch t compares the first level with the second (a positive difference: the first is larger).");
	for (m = 0; m < r->nmetrics && !ret; m++) {
		ts.n = 0;
		ret = tests_of_metric(r, m, &ts, a, b);
		if (ret)
			break;
		doc_heading(d, 2, r->metrics[m]);
		if (!ts.n) {
			doc_para(d, NULL, "No test: every factor has a single level, or too few runs per configuration.");
			continue;
		}
		analysis_table(d, &ts);
		analysis_words(d, m, &ts, nsig);
		for (i = 0; i < ts.n; i++) {
			struct test *t = tests_add(all, ts.t[i].kind, m, "");

			if (!t) {
				ret = -ENOMEM;
				break;
			}
			*t = ts.t[i];
		}
	}
	free(ts.t);
	return ret;
}

static void sec_conclusions(struct doc *d, const struct tests *all,
			    size_t nsig, size_t outliers)
{
	const struct mhv_report *r = d->r;
	char s[1024];
	size_t i;

	doc_heading(d, 1, "Conclusions");
	doc_para(d, NULL, "A template: the statements in the list come from the data; the parts in [brackets] are for you to complete.");
	doc_para(d, "Question.", "%s", r->res.e.question);
	doc_para(d, "Findings.", "%zu of %zu tests are significant at alpha = 0.05 after Holm's correction%s",
		 nsig, all->n, nsig ? ":" : ".");
	for (i = 0; i < all->n; i++) {
		if (!significant(&all->t[i]) || all->t[i].kind == T_MWU)
			continue;
		test_sentence(r, all->t[i].metric, &all->t[i], s, sizeof(s));
		doc_item(d, NULL, "%s.", s);
	}
	doc_end_list(d);
	doc_para(d, "Hypothesis.", "\"%s\" The data [support / do not support] it, because [cite the tests and effect sizes above]. Note that a non-significant result is not evidence of no difference: it may also mean too few repetitions (%u per configuration here).",
		 r->res.e.hypothesis, r->res.e.repetitions);
	doc_para(d, "Explanation.", "[Why does the hypervisor behave like this? Relate the differences to what happens on each configuration: exits, nested page faults, page-table walks, device emulation in the kernel or in userspace.]");
	doc_para(d, "Threats to validity.", "%zu run(s) were flagged as outliers and kept in every statistic. One machine (%s) was measured. [What else could have influenced the numbers: background load, frequency scaling, the guest workload's size?]",
		 outliers, r->meta.cpu);
	doc_para(d, "Future work.", "[Which factor or level would you add, and which repetition count would give the power the non-significant comparisons lacked?]");
}

/* ---- the report ---------------------------------------------------------- */

static int doc_open(struct doc *d)
{
	if (d->o->markdown) {
		d->md = fopen(d->o->markdown, "w");
		if (!d->md) {
			doc_fail(d, -errno, "%s: %s", d->o->markdown,
				 strerror(errno));
			return d->err;
		}
	}
	if (!d->o->pdf)
		return 0;
	d->pdf = cairo_pdf_surface_create(d->o->pdf, PAGE_W, PAGE_H);
	chart_pdf_dates(d->pdf, d->r);
	cairo_pdf_surface_set_metadata(d->pdf, CAIRO_PDF_METADATA_TITLE,
				       "Experiment report");
	cairo_pdf_surface_set_metadata(d->pdf, CAIRO_PDF_METADATA_SUBJECT,
				       d->r->res.e.question);
	cairo_pdf_surface_set_metadata(d->pdf, CAIRO_PDF_METADATA_CREATOR,
				       "mhv experiment report");
	d->cr = cairo_create(d->pdf);
	d->y = MARGIN;
	d->page = 1;
	return 0;
}

static void doc_close(struct doc *d)
{
	cairo_status_t st;

	if (d->md && fclose(d->md) && !d->err)
		doc_fail(d, -EIO, "%s: write error", d->o->markdown);
	if (!d->pdf)
		return;
	doc_footer(d);
	cairo_destroy(d->cr);
	cairo_surface_finish(d->pdf);
	st = cairo_surface_status(d->pdf);
	if (st != CAIRO_STATUS_SUCCESS)
		doc_fail(d, -EIO, "%s: %s", d->o->pdf,
			 cairo_status_to_string(st));
	cairo_surface_destroy(d->pdf);
}

int mhv_report_write(const struct mhv_report *r,
		     const struct mhv_report_opts *o, char *err, size_t errlen)
{
	struct doc d = { .r = r, .o = o, .errbuf = err, .errlen = errlen };
	size_t nsig = 0, outliers = 0;
	struct tests all = { 0 };
	double *a, *b;
	int ret;

	if (!r || !o)
		return -EINVAL;
	if (err && errlen)
		err[0] = 0;
	if (hist_metric(&d) < 0) {
		doc_fail(&d, -EINVAL, "no metric \"%s\" for the histogram",
			 o->histogram);
		return d.err;
	}
	a = malloc(r->nrows * sizeof(*a));
	b = malloc(r->nrows * sizeof(*b));
	if (!a || !b || doc_open(&d)) {
		doc_fail(&d, -ENOMEM, "out of memory");
		goto out;
	}
	sec_title(&d);
	sec_introduction(&d);
	sec_methodology(&d);
	ret = sec_results(&d, a, &outliers);
	ret = ret ?: sec_analysis(&d, &all, &nsig, a, b);
	if (ret)
		doc_fail(&d, ret, "statistics: %s", strerror(-ret));
	else
		sec_conclusions(&d, &all, nsig, outliers);
	doc_close(&d);
out:
	free(all.t);
	free(a);
	free(b);
	return d.err;
}
