// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - the charts of experiment reports, drawn with cairo
 * (PDF, SVG, PNG surfaces) and labelled with pango: bar charts of the
 * mean with 95% confidence intervals, box plots, scatter plots with the
 * least-squares line, histograms. The numbers come from mhv_describe(),
 * mhv_outliers() and mhv_regress() (analysis.c, GSL); bins from GSL's
 * histogram. Nothing here depends on the time or the environment, so
 * the same results draw the same bytes.
 */
#include <errno.h>
#include <gsl/gsl_histogram.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "report_internal.h"

/* Margins of the plot area inside a chart. */
#define M_LEFT		72.0
#define M_RIGHT		20.0
#define M_TOP		36.0
#define M_BOTTOM	64.0

#define TICKS		5	/* about this many ticks per axis */

/* The fill colour of bars, boxes, points (RGB). */
static const double palette[][3] = {
	{ 0.27, 0.51, 0.71 }, { 0.87, 0.52, 0.20 }, { 0.35, 0.63, 0.35 },
	{ 0.77, 0.31, 0.32 }, { 0.51, 0.45, 0.70 }, { 0.58, 0.47, 0.38 },
};

#define NPALETTE	(sizeof(palette) / sizeof(palette[0]))

static void set_color(cairo_t *cr, size_t i, double alpha)
{
	const double *c = palette[i % NPALETTE];

	cairo_set_source_rgba(cr, c[0], c[1], c[2], alpha);
}

PangoLayout *chart_layout(cairo_t *cr, const char *font, double size)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string(font);

	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	return l;
}

double chart_text(cairo_t *cr, const char *font, double size, double x,
		  double y, double width, enum text_align ha,
		  enum text_align va, const char *markup)
{
	PangoLayout *l = chart_layout(cr, font, size);
	int pw, ph;

	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
		pango_layout_set_alignment(l, ha == TEXT_CENTER ?
					   PANGO_ALIGN_CENTER : ha == TEXT_RIGHT ?
					   PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
	}
	pango_layout_set_markup(l, markup, -1);
	pango_layout_get_size(l, &pw, &ph);
	if (width > 0)
		pw = (int)(width * PANGO_SCALE);
	x -= ha == TEXT_CENTER ? pw / 2.0 / PANGO_SCALE :
	     ha == TEXT_RIGHT ? (double)pw / PANGO_SCALE : 0;
	y -= va == TEXT_CENTER ? ph / 2.0 / PANGO_SCALE :
	     va == TEXT_RIGHT ? (double)ph / PANGO_SCALE : 0;
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);
	return (double)ph / PANGO_SCALE;
}

/* Plain text (markup characters escaped) with chart_text(). */
static double chart_plain(cairo_t *cr, double size, double x, double y,
			  double width, enum text_align ha,
			  enum text_align va, const char *text)
{
	char *m = g_markup_escape_text(text, -1);
	double h = chart_text(cr, REPORT_FONT, size, x, y, width, ha, va, m);

	g_free(m);
	return h;
}

/* ---- axes ----------------------------------------------------------------- */

struct axis {
	double lo, hi, step;	/* range and tick distance */
	double p0, p1;		/* device coordinates of lo and hi */
};

/* A tick distance of 1, 2 or 5 times a power of ten. */
static double nice_step(double range)
{
	double raw = range / TICKS, mag, f;

	if (!(raw > 0))
		return 1;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
}

/* An axis covering [lo, hi] (widened when empty) on ticks. */
static void axis_init(struct axis *a, double lo, double hi, double p0,
		      double p1)
{
	if (!(hi > lo)) {
		double pad = lo ? fabs(lo) * 0.1 : 1;

		lo -= pad;
		hi += pad;
	}
	a->step = nice_step(hi - lo);
	a->lo = floor(lo / a->step) * a->step;
	a->hi = ceil(hi / a->step) * a->step;
	a->p0 = p0;
	a->p1 = p1;
}

static double axis_map(const struct axis *a, double v)
{
	return a->p0 + (v - a->lo) / (a->hi - a->lo) * (a->p1 - a->p0);
}

/* The label of tick value @v, without "-0" and float noise. */
static void tick_label(double v, double step, char *buf, size_t len)
{
	if (fabs(v) < step * 1e-9)
		v = 0;
	snprintf(buf, len, "%.6g", v);
}

/* The y axis with grid lines across the plot (x from @x0 to @x1). */
static void draw_y_axis(cairo_t *cr, const struct axis *a, double x0,
			double x1, const char *title)
{
	char lbl[32];
	double v, y;
	int i;

	cairo_set_line_width(cr, 0.5);
	for (i = 0; (v = a->lo + i * a->step) <= a->hi + a->step * 1e-9; i++) {
		y = axis_map(a, v);
		cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
		cairo_move_to(cr, x0, y);
		cairo_line_to(cr, x1, y);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		tick_label(v, a->step, lbl, sizeof(lbl));
		chart_plain(cr, 9, x0 - 4, y, 0, TEXT_RIGHT, TEXT_CENTER, lbl);
	}
	cairo_save(cr);
	cairo_translate(cr, 12, (a->p0 + a->p1) / 2);
	cairo_rotate(cr, -M_PI / 2);
	chart_plain(cr, 10, 0, 0, 0, TEXT_CENTER, TEXT_LEFT, title);
	cairo_restore(cr);
}

/* A numeric x axis with ticks below the plot at @y. */
static void draw_x_axis(cairo_t *cr, const struct axis *a, double y,
			const char *title)
{
	char lbl[32];
	double v, x;
	int i;

	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 0.8);
	for (i = 0; (v = a->lo + i * a->step) <= a->hi + a->step * 1e-9; i++) {
		x = axis_map(a, v);
		cairo_move_to(cr, x, y);
		cairo_line_to(cr, x, y + 4);
		cairo_stroke(cr);
		tick_label(v, a->step, lbl, sizeof(lbl));
		chart_plain(cr, 9, x, y + 6, 0, TEXT_CENTER, TEXT_LEFT, lbl);
	}
	chart_plain(cr, 10, (a->p0 + a->p1) / 2, y + 24, 0, TEXT_CENTER,
		    TEXT_LEFT, title);
}

/* The frame of the plot area and the chart's title. */
static void draw_frame(cairo_t *cr, double w, const char *title)
{
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	chart_text(cr, REPORT_FONT " Bold", 12, w / 2, 10, 0, TEXT_CENTER,
		   TEXT_LEFT, title);
}

static void draw_plot_box(cairo_t *cr, double w, double h)
{
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 0.8);
	cairo_rectangle(cr, M_LEFT, M_TOP, w - M_LEFT - M_RIGHT,
			h - M_TOP - M_BOTTOM);
	cairo_stroke(cr);
}

/* The configurations' labels under their slots of width @slot. */
static void draw_config_labels(const struct mhv_report *r, cairo_t *cr,
			       double h, double slot)
{
	char lbl[256];
	size_t c;

	cairo_set_source_rgb(cr, 0, 0, 0);
	for (c = 0; c < r->nconfigs; c++) {
		report_config_label(r, c, lbl, sizeof(lbl));
		chart_plain(cr, r->nconfigs > 8 ? 7 : 9,
			    M_LEFT + (c + 0.5) * slot, h - M_BOTTOM + 6,
			    slot - 2, TEXT_CENTER, TEXT_LEFT, lbl);
	}
}

/* ---- per-configuration statistics ----------------------------------------- */

/* mhv_describe() of every configuration (n = 0 when it has no runs). */
static int describe_configs(const struct mhv_report *r, size_t metric,
			    struct mhv_describe *d, double *buf)
{
	size_t c, n;
	int ret;

	for (c = 0; c < r->nconfigs; c++) {
		memset(&d[c], 0, sizeof(d[c]));
		n = report_samples(r, c, metric, buf);
		if (!n)
			continue;
		ret = mhv_describe(buf, n, &d[c]);
		if (ret)
			return ret;
	}
	return 0;
}

/* The smallest and largest of lo[] and hi[] over configurations with runs. */
static void range_of(const struct mhv_describe *d, size_t n, int with_ci,
		     double *lo, double *hi)
{
	size_t c;

	*lo = INFINITY;
	*hi = -INFINITY;
	for (c = 0; c < n; c++) {
		if (!d[c].n)
			continue;
		*lo = fmin(*lo, with_ci && isfinite(d[c].ci_lo) ? d[c].ci_lo : d[c].min);
		*hi = fmax(*hi, with_ci && isfinite(d[c].ci_hi) ? d[c].ci_hi : d[c].max);
		if (with_ci) {
			*lo = fmin(*lo, d[c].mean);
			*hi = fmax(*hi, d[c].mean);
		}
	}
}

/* ---- the four charts ------------------------------------------------------- */

static void draw_bars(const struct mhv_report *r, cairo_t *cr, double w,
		      double h, size_t metric, const struct mhv_describe *d)
{
	double lo, hi, slot = (w - M_LEFT - M_RIGHT) / r->nconfigs, x, y0;
	char title[256];
	struct axis ay;
	size_t c;

	snprintf(title, sizeof(title), "%s: mean per configuration (95%% CI)",
		 r->metrics[metric]);
	draw_frame(cr, w, title);
	range_of(d, r->nconfigs, 1, &lo, &hi);
	axis_init(&ay, fmin(lo, 0), fmax(hi, 0), h - M_BOTTOM, M_TOP);
	draw_y_axis(cr, &ay, M_LEFT, w - M_RIGHT, r->metrics[metric]);
	y0 = axis_map(&ay, 0);
	for (c = 0; c < r->nconfigs; c++) {
		if (!d[c].n)
			continue;
		x = M_LEFT + c * slot;
		set_color(cr, c, 0.85);
		cairo_rectangle(cr, x + slot * 0.2, y0, slot * 0.6,
				axis_map(&ay, d[c].mean) - y0);
		cairo_fill(cr);
		if (!isfinite(d[c].ci_lo))
			continue;
		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_set_line_width(cr, 1.2);
		x += slot / 2;
		cairo_move_to(cr, x, axis_map(&ay, d[c].ci_lo));
		cairo_line_to(cr, x, axis_map(&ay, d[c].ci_hi));
		cairo_move_to(cr, x - slot * 0.1, axis_map(&ay, d[c].ci_lo));
		cairo_line_to(cr, x + slot * 0.1, axis_map(&ay, d[c].ci_lo));
		cairo_move_to(cr, x - slot * 0.1, axis_map(&ay, d[c].ci_hi));
		cairo_line_to(cr, x + slot * 0.1, axis_map(&ay, d[c].ci_hi));
		cairo_stroke(cr);
	}
	draw_plot_box(cr, w, h);
	draw_config_labels(r, cr, h, slot);
}

/* One box: quartiles, median, whiskers to the last values inside the
 * Tukey fences, outliers as circles.
 */
static void draw_one_box(cairo_t *cr, const struct axis *ay, double x,
			 double bw, const struct mhv_describe *d,
			 const double *v, const unsigned char *out, size_t n)
{
	double wlo = INFINITY, whi = -INFINITY;
	size_t i;

	for (i = 0; i < n; i++) {
		if (out[i])
			continue;
		wlo = fmin(wlo, v[i]);
		whi = fmax(whi, v[i]);
	}
	cairo_set_line_width(cr, 1);
	cairo_rectangle(cr, x - bw / 2, axis_map(ay, d->q3), bw,
			axis_map(ay, d->q1) - axis_map(ay, d->q3));
	cairo_fill_preserve(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_stroke(cr);
	cairo_set_line_width(cr, 2);
	cairo_move_to(cr, x - bw / 2, axis_map(ay, d->median));
	cairo_line_to(cr, x + bw / 2, axis_map(ay, d->median));
	cairo_stroke(cr);
	cairo_set_line_width(cr, 1);
	cairo_move_to(cr, x, axis_map(ay, d->q3));
	cairo_line_to(cr, x, axis_map(ay, whi));
	cairo_move_to(cr, x - bw / 4, axis_map(ay, whi));
	cairo_line_to(cr, x + bw / 4, axis_map(ay, whi));
	cairo_move_to(cr, x, axis_map(ay, d->q1));
	cairo_line_to(cr, x, axis_map(ay, wlo));
	cairo_move_to(cr, x - bw / 4, axis_map(ay, wlo));
	cairo_line_to(cr, x + bw / 4, axis_map(ay, wlo));
	cairo_stroke(cr);
	for (i = 0; i < n; i++) {
		if (!out[i])
			continue;
		cairo_new_sub_path(cr);
		cairo_arc(cr, x, axis_map(ay, v[i]), 2.5, 0, 2 * M_PI);
		cairo_stroke(cr);
	}
}

static int draw_boxes(const struct mhv_report *r, cairo_t *cr, double w,
		      double h, size_t metric, const struct mhv_describe *d,
		      double *buf)
{
	double lo, hi, slot = (w - M_LEFT - M_RIGHT) / r->nconfigs;
	unsigned char *out;
	char title[256];
	struct axis ay;
	size_t c, n;
	int ret = 0;

	out = malloc(r->nrows);
	if (!out)
		return -ENOMEM;
	snprintf(title, sizeof(title), "%s: distribution per configuration",
		 r->metrics[metric]);
	draw_frame(cr, w, title);
	range_of(d, r->nconfigs, 0, &lo, &hi);
	axis_init(&ay, lo, hi, h - M_BOTTOM, M_TOP);
	draw_y_axis(cr, &ay, M_LEFT, w - M_RIGHT, r->metrics[metric]);
	for (c = 0; c < r->nconfigs && ret >= 0; c++) {
		n = report_samples(r, c, metric, buf);
		if (!n)
			continue;
		ret = mhv_outliers(buf, n, out);
		set_color(cr, c, 0.6);
		if (ret >= 0)
			draw_one_box(cr, &ay, M_LEFT + (c + 0.5) * slot,
				     slot * 0.5, &d[c], buf, out, n);
	}
	free(out);
	draw_plot_box(cr, w, h);
	draw_config_labels(r, cr, h, slot);
	return ret < 0 ? ret : 0;
}

size_t chart_factor_stride(const struct mhv_report *r, size_t f)
{
	size_t i, stride = 1;

	for (i = f + 1; i < r->nfactors; i++)
		stride *= r->factors[i].nr_levels;
	return stride;
}

void chart_stratum_label(const struct mhv_report *r, size_t f, size_t c,
			 char *buf, size_t len)
{
	size_t g, pos = 0;

	buf[0] = 0;
	for (g = 0; g < r->nfactors && pos < len; g++) {
		if (g == f)
			continue;
		pos += snprintf(buf + pos, len - pos, "%s%s = %s",
				pos ? ", " : "", r->factors[g].name,
				r->factors[g].levels[report_level(r, c, g)]);
	}
}

/* The stratum of configuration @c: its index with factor @f left out. */
static size_t stratum_of(const struct mhv_report *r, size_t f, size_t c)
{
	size_t stride = chart_factor_stride(r, f);

	return c / (stride * r->factors[f].nr_levels) * stride + c % stride;
}

/*
 * The legend of the strata's colours, when there are several: one line
 * at the bottom of the chart, under the x axis (never over a point).
 */
static void draw_strata_legend(const struct mhv_report *r, cairo_t *cr,
			       double h, size_t f)
{
	size_t c, n = r->nconfigs / r->factors[f].nr_levels;
	double x = M_LEFT;
	char lbl[256];
	PangoLayout *l;
	int pw, ph;

	if (n < 2)
		return;
	for (c = 0; c < r->nconfigs; c++) {
		if (report_level(r, c, f))
			continue;
		set_color(cr, stratum_of(r, f, c), 0.8);
		cairo_rectangle(cr, x, h - 13, 8, 8);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		chart_stratum_label(r, f, c, lbl, sizeof(lbl));
		chart_plain(cr, 9, x + 12, h - 9, 0, TEXT_LEFT, TEXT_CENTER, lbl);
		l = chart_layout(cr, REPORT_FONT, 9);
		pango_layout_set_text(l, lbl, -1);
		pango_layout_get_pixel_size(l, &pw, &ph);
		g_object_unref(l);
		x += 12 + pw + 16;
	}
}

/* x of every row: the numeric level of factor @f. */
static void numeric_x(const struct mhv_report *r, int f, double *x)
{
	size_t i;

	for (i = 0; i < r->nrows; i++)
		x[i] = strtod(r->factors[f].levels[
			report_level(r, r->res.config[i], f)], NULL);
}

static int draw_scatter(const struct mhv_report *r, cairo_t *cr, double w,
			double h, size_t metric, double *y)
{
	int f = mhv_report_numeric_factor(r);
	struct mhv_regression reg;
	struct axis ax, ay;
	char title[512];
	double *x;
	size_t i;
	int ret;

	if (f < 0)
		return -EINVAL;
	x = malloc(r->nrows * sizeof(*x));
	if (!x)
		return -ENOMEM;
	numeric_x(r, f, x);
	report_samples(r, (size_t)-1, metric, y);
	ret = r->nrows >= 3 ? mhv_regress(x, r->nrows, 1, y, &reg) : -EDOM;
	snprintf(title, sizeof(title), "%s vs %s", r->metrics[metric],
		 r->factors[f].name);
	draw_frame(cr, w, title);
	axis_init(&ax, gsl_stats_min(x, 1, r->nrows),
		  gsl_stats_max(x, 1, r->nrows), M_LEFT, w - M_RIGHT);
	axis_init(&ay, gsl_stats_min(y, 1, r->nrows),
		  gsl_stats_max(y, 1, r->nrows), h - M_BOTTOM, M_TOP);
	draw_y_axis(cr, &ay, M_LEFT, w - M_RIGHT, r->metrics[metric]);
	draw_x_axis(cr, &ax, h - M_BOTTOM, r->factors[f].name);
	for (i = 0; i < r->nrows; i++) {
		set_color(cr, stratum_of(r, f, r->res.config[i]), 0.7);
		cairo_new_sub_path(cr);
		cairo_arc(cr, axis_map(&ax, x[i]), axis_map(&ay, y[i]), 3, 0,
			  2 * M_PI);
		cairo_fill(cr);
	}
	if (!ret) {
		cairo_save(cr);
		cairo_rectangle(cr, M_LEFT, M_TOP, w - M_LEFT - M_RIGHT,
				h - M_TOP - M_BOTTOM);
		cairo_clip(cr);
		cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
		cairo_set_line_width(cr, 1.5);
		cairo_move_to(cr, ax.p0, axis_map(&ay, reg.coef[0] + reg.coef[1] * ax.lo));
		cairo_line_to(cr, ax.p1, axis_map(&ay, reg.coef[0] + reg.coef[1] * ax.hi));
		cairo_stroke(cr);
		cairo_restore(cr);
		snprintf(title, sizeof(title), "y = %.4g + %.4g x,  R\u00b2 = %.3f",
			 reg.coef[0], reg.coef[1], reg.r2);
		cairo_set_source_rgb(cr, 0, 0, 0);
		chart_plain(cr, 9, M_LEFT + 6, M_TOP + 4, 0, TEXT_LEFT,
			    TEXT_LEFT, title);
	}
	free(x);
	draw_strata_legend(r, cr, h, f);
	draw_plot_box(cr, w, h);
	return 0;
}

/* Sturges' rule: ceil(log2 n) + 1 bins. */
static size_t hist_bins(size_t n)
{
	return (size_t)ceil(log2((double)n)) + 1;
}

static int draw_hist(const struct mhv_report *r, cairo_t *cr, double w,
		     double h, size_t metric, double *v)
{
	size_t i, n = report_samples(r, (size_t)-1, metric, v);
	size_t bins = hist_bins(n);
	double lo = gsl_stats_min(v, 1, n), hi = gsl_stats_max(v, 1, n);
	gsl_histogram *hg;
	struct axis ax, ay;
	char title[256];

	if (!(hi > lo)) {
		lo -= 0.5;
		hi += 0.5;
	}
	hg = gsl_histogram_alloc(bins);
	if (!hg)
		return -ENOMEM;
	/* the upper end is exclusive in GSL: widen it by a hair */
	gsl_histogram_set_ranges_uniform(hg, lo, hi + (hi - lo) * 1e-9);
	for (i = 0; i < n; i++)
		gsl_histogram_increment(hg, v[i]);
	snprintf(title, sizeof(title), "%s: histogram of all %zu runs",
		 r->metrics[metric], n);
	draw_frame(cr, w, title);
	axis_init(&ax, lo, hi, M_LEFT, w - M_RIGHT);
	axis_init(&ay, 0, gsl_histogram_max_val(hg), h - M_BOTTOM, M_TOP);
	if (ay.step < 1) {	/* counts: integer ticks */
		ay.step = 1;
		ay.hi = ceil(ay.hi);
	}
	draw_y_axis(cr, &ay, M_LEFT, w - M_RIGHT, "runs");
	draw_x_axis(cr, &ax, h - M_BOTTOM, r->metrics[metric]);
	for (i = 0; i < bins; i++) {
		double b0, b1, x0;

		gsl_histogram_get_range(hg, i, &b0, &b1);
		x0 = axis_map(&ax, b0);
		set_color(cr, 0, 0.85);
		cairo_rectangle(cr, x0, axis_map(&ay, 0),
				axis_map(&ax, b1) - x0,
				axis_map(&ay, gsl_histogram_get(hg, i)) -
				axis_map(&ay, 0));
		cairo_fill_preserve(cr);
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_set_line_width(cr, 0.5);
		cairo_stroke(cr);
	}
	gsl_histogram_free(hg);
	draw_plot_box(cr, w, h);
	return 0;
}

int chart_draw(cairo_t *cr, double w, double h, const struct mhv_report *r,
	       enum mhv_chart_kind kind, size_t metric)
{
	struct mhv_describe *d;
	double *buf;
	int ret = 0;

	if (metric >= r->nmetrics || !r->nrows)
		return -EINVAL;
	if (kind == MHV_CHART_SCATTER && mhv_report_numeric_factor(r) < 0)
		return -EINVAL;
	buf = malloc(r->nrows * sizeof(*buf));
	d = calloc(r->nconfigs, sizeof(*d));
	if (!buf || !d) {
		ret = -ENOMEM;
		goto out;
	}
	cairo_save(cr);
	cairo_rectangle(cr, 0, 0, w, h);
	cairo_clip(cr);		/* the background paints this area only */
	switch (kind) {
	case MHV_CHART_BAR:
	case MHV_CHART_BOX:
		ret = describe_configs(r, metric, d, buf);
		if (ret)
			break;
		if (kind == MHV_CHART_BAR)
			draw_bars(r, cr, w, h, metric, d);
		else
			ret = draw_boxes(r, cr, w, h, metric, d, buf);
		break;
	case MHV_CHART_SCATTER:
		ret = draw_scatter(r, cr, w, h, metric, buf);
		break;
	case MHV_CHART_HIST:
		ret = draw_hist(r, cr, w, h, metric, buf);
		break;
	default:
		ret = -EINVAL;
	}
	cairo_restore(cr);
out:
	free(buf);
	free(d);
	return ret;
}

static const char *const chart_names[] = {
	[MHV_CHART_BAR] = "bar", [MHV_CHART_BOX] = "box",
	[MHV_CHART_SCATTER] = "scatter", [MHV_CHART_HIST] = "hist",
};

int chart_file_name(const struct mhv_report *r, enum mhv_chart_kind kind,
		    size_t metric, const char *ext, char *buf, size_t len)
{
	char name[128];
	size_t i;

	snprintf(name, sizeof(name), "%s", r->metrics[metric]);
	for (i = 0; name[i]; i++)	/* a safe file name */
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_.-", name[i]))
			name[i] = '_';
	return snprintf(buf, len, "%s-%s.%s", chart_names[kind], name, ext);
}

void chart_pdf_dates(cairo_surface_t *pdf, const struct mhv_report *r)
{
	const char *date = r->meta.finished ?: r->meta.started;

	cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_CREATE_DATE,
				       date);
	cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_MOD_DATE, date);
}

int mhv_chart_save(const struct mhv_report *r, enum mhv_chart_kind kind,
		   unsigned int metric, const char *path,
		   enum mhv_chart_format fmt)
{
	cairo_surface_t *s;
	cairo_status_t st;
	cairo_t *cr;
	int ret;

	if (!r || !path || (unsigned int)kind > MHV_CHART_HIST)
		return -EINVAL;
	if (fmt == MHV_CHART_FMT_PDF)
		s = cairo_pdf_surface_create(path, CHART_W, CHART_H);
	else if (fmt == MHV_CHART_FMT_SVG)
		s = cairo_svg_surface_create(path, CHART_W, CHART_H);
	else if (fmt == MHV_CHART_FMT_PNG)
		s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, CHART_W,
					       CHART_H);
	else
		return -EINVAL;
	if (fmt == MHV_CHART_FMT_PDF)
		chart_pdf_dates(s, r);
	cr = cairo_create(s);
	ret = chart_draw(cr, CHART_W, CHART_H, r, kind, metric);
	cairo_destroy(cr);
	if (!ret && fmt == MHV_CHART_FMT_PNG)
		ret = cairo_surface_write_to_png(s, path) ? -EIO : 0;
	cairo_surface_finish(s);
	st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (!ret && st != CAIRO_STATUS_SUCCESS)
		ret = -EIO;
	if (ret)
		remove(path);
	return ret;
}
