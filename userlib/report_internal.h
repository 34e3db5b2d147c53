/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * libmultios_hv - what report.c and chart.c share (private to the
 * library: cairo and pango types stay out of the public headers).
 */
#ifndef _MHV_REPORT_INTERNAL_H
#define _MHV_REPORT_INTERNAL_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "internal.h"
#include "libmultios_hv.h"

/*
 * The results of a report: what mhv_results_load() read, meta.json, and
 * shorthands of the experiment's members (not owned).
 */
struct mhv_report {
	struct mhv_results res;
	struct mhv_results_meta meta;
	const struct mhv_exp_factor *factors;	/* res.e.factors */
	size_t nfactors;
	char *const *metrics;			/* res.e.metrics */
	size_t nmetrics;
	size_t nconfigs;			/* product of level counts */
	size_t nrows;				/* timed runs, res.nr_rows */
};

/* The level index of factor @f in configuration @config. */
MHV_HIDDEN size_t report_level(const struct mhv_report *r, size_t config,
			       size_t f);
/*
 * The samples of @metric in configuration @config (every configuration
 * when @config is (size_t)-1), in file order, into @out (room for
 * r->nrows values). Returns their number.
 */
MHV_HIDDEN size_t report_samples(const struct mhv_report *r, size_t config,
				 size_t metric, double *out);
/* The configuration's levels joined by ", " (snprintf-style). */
MHV_HIDDEN int report_config_label(const struct mhv_report *r,
				   size_t config, char *buf, size_t len);

/* Size of a chart saved alone (points for PDF/SVG, pixels for PNG). */
#define CHART_W	640.0
#define CHART_H	400.0

/* The font of every report and chart (a pango font description). */
#define REPORT_FONT	"DejaVu Sans"

enum text_align { TEXT_LEFT, TEXT_CENTER, TEXT_RIGHT };

/* A pango layout of @cr with font "@font @size" (no text yet). */
MHV_HIDDEN PangoLayout *chart_layout(cairo_t *cr, const char *font,
				     double size);

/*
 * Draw pango @markup with font "@font @size" so that its box is aligned
 * (@ha horizontally, @va vertically: TEXT_LEFT = top) on (@x, @y); with
 * @width > 0 the text wraps at that width. Returns the text's height.
 */
MHV_HIDDEN double chart_text(cairo_t *cr, const char *font, double size,
			     double x, double y, double width,
			     enum text_align ha, enum text_align va,
			     const char *markup);

/*
 * Draw chart @kind of @metric in the rectangle (0, 0)-(@w, @h) of @cr.
 * Returns 0 or -EINVAL (nothing to draw: no numeric factor, no samples).
 */
MHV_HIDDEN int chart_draw(cairo_t *cr, double w, double h,
			  const struct mhv_report *r,
			  enum mhv_chart_kind kind, size_t metric);

/* The chart's file name, e.g. "bar-wall_ns.svg" (snprintf-style). */
MHV_HIDDEN int chart_file_name(const struct mhv_report *r,
			       enum mhv_chart_kind kind, size_t metric,
			       const char *ext, char *buf, size_t len);

/* Distance between configurations that differ by one level of factor @f. */
MHV_HIDDEN size_t chart_factor_stride(const struct mhv_report *r, size_t f);

/*
 * "other = level, ..." of the factors but @f in configuration @c: the
 * stratum in which the levels of @f are compared.
 */
MHV_HIDDEN void chart_stratum_label(const struct mhv_report *r, size_t f,
				    size_t c, char *buf, size_t len);

/*
 * The PDF's creation and modification dates: meta.json's "finished" (or
 * "started" when it is null), never the clock, so a report is
 * reproducible byte for byte.
 */
MHV_HIDDEN void chart_pdf_dates(cairo_surface_t *pdf,
				const struct mhv_report *r);

#endif
