// SPDX-License-Identifier: LGPL-2.1
/*
 * Results directories, charts and reports (report_data.c, chart.c,
 * report.c) against the fixture userlib/tests/data/results-pagesize
 * (synthetic numbers, see its README) and broken copies of it:
 *  - the reader: what meta.json (and, through mhv_results_load(),
 *    experiment.json and results.csv) say, and a clear error (file,
 *    member or line) for each kind of malformed input;
 *  - the charts: PNGs of the right size, not blank, and bars whose
 *    heights follow the means computed here from the CSV;
 *  - the report: a PDF that pdftoppm renders (page 1, not blank), the
 *    Markdown's tables hold the means computed here, and two reports of
 *    the same results are identical byte for byte, dated with
 *    meta.json's "finished".
 */
#define _GNU_SOURCE	/* asprintf */
#include <CUnit/CUnit.h>
#include <cairo.h>
#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libmultios_hv.h"
#include "report_internal.h"
#include "tests.h"

#define FIXTURE	UT_DATA "/results-pagesize"

/* ---- helpers ---------------------------------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc(n + 1);
		if (buf && fread(buf, 1, n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else if (buf) {
			buf[n] = 0;
			if (len)
				*len = n;
		}
	}
	fclose(f);
	return buf;
}

static int spit(const char *dir, const char *name, const char *text)
{
	char path[4096];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	ok = fputs(text, f) >= 0;
	return (fclose(f) == 0 && ok) ? 0 : -1;
}

static int rm_one(const char *p, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static void rm_tree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static char *make_tmpdir(void)
{
	char *d = strdup("/tmp/mhv-report-test.XXXXXX");

	if (d && !mkdtemp(d)) {
		free(d);
		return NULL;
	}
	return d;
}

/* Replace the first @from in @s by @to (a new string). */
static char *subst(const char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);
	char *out = NULL;

	if (!p)
		return NULL;
	if (asprintf(&out, "%.*s%s%s", (int)(p - s), s, to,
		     p + strlen(from)) < 0)
		return NULL;
	return out;
}

/*
 * The fixture's npf samples per configuration, read here with sscanf
 * (independently of results.c): mean of configuration @c.
 */
static double fixture_mean(unsigned int config, int column)
{
	char *csv = slurp(FIXTURE "/results.csv", NULL), *line, *save;
	double sum = 0, v[3];
	unsigned int run, c, rep, n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
	line = strtok_r(csv, "\n", &save);	/* the header */
	while ((line = strtok_r(NULL, "\n", &save))) {
		if (sscanf(line, "%u,%u,%u,%*[^,],%*[^,],%lf,%lf,%lf", &run,
			   &c, &rep, &v[0], &v[1], &v[2]) != 6)
			continue;
		if (c == config) {
			sum += v[column];
			n++;
		}
	}
	free(csv);
	CU_ASSERT_EQUAL(n, 4);
	return n ? sum / n : NAN;
}

/* ---- the reader --------------------------------------------------------------- */

static void test_report_open(void)
{
	struct mhv_report *r = NULL;
	char err[256], lbl[64];
	double buf[64];
	size_t n;

	CU_ASSERT_EQUAL_FATAL(mhv_report_open(&r, FIXTURE, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(r->nfactors, 2);
	CU_ASSERT_STRING_EQUAL(r->factors[0].name, "page_size");
	CU_ASSERT_EQUAL(r->factors[0].nr_levels, 2);
	CU_ASSERT_STRING_EQUAL(r->factors[1].levels[2], "256");
	CU_ASSERT_EQUAL(r->nmetrics, 3);
	CU_ASSERT_STRING_EQUAL(r->metrics[1], "npf");
	CU_ASSERT_EQUAL(r->nconfigs, 6);
	CU_ASSERT_EQUAL(r->nrows, 24);
	/* meta.json */
	CU_ASSERT_STRING_EQUAL(r->meta.seed, "13");
	CU_ASSERT_EQUAL(r->meta.nr_order, 24);
	CU_ASSERT_EQUAL(r->meta.order[0], 4);
	CU_ASSERT_STRING_EQUAL(r->meta.v_api, "9");
	CU_ASSERT_STRING_EQUAL(r->meta.cpu, "Synthetic CPU (fixture)");
	CU_ASSERT_STRING_EQUAL(r->meta.started, "2026-11-30T10:00:00Z");
	CU_ASSERT_STRING_EQUAL(r->meta.finished, "2026-11-30T10:05:00Z");
	CU_ASSERT_STRING_EQUAL(r->meta.hostname, "fixture");
	/* configuration 4 = (2m, 64) in row-major order: 4 = 1 * 3 + 1 */
	CU_ASSERT_EQUAL(report_level(r, 4, 0), 1);
	CU_ASSERT_EQUAL(report_level(r, 4, 1), 1);
	CU_ASSERT_EQUAL(report_level(r, 2, 1), 2);
	n = report_samples(r, 0, 1, buf);
	CU_ASSERT_EQUAL(n, 4);
	CU_ASSERT_DOUBLE_EQUAL((buf[0] + buf[1] + buf[2] + buf[3]) / 4,
			       fixture_mean(0, 1), 1e-9);
	CU_ASSERT_EQUAL(report_samples(r, (size_t)-1, 0, buf), 24);
	CU_ASSERT_EQUAL(report_config_label(r, 5, lbl, sizeof(lbl)), 7);
	CU_ASSERT_STRING_EQUAL(lbl, "2m, 256");
	CU_ASSERT_EQUAL(mhv_report_numeric_factor(r), 1);
	mhv_report_close(r);
}

/*
 * One broken copy of the fixture: @file with @from replaced by @to
 * (@from NULL: the file removed).
 */
struct broken {
	const char *file, *from, *to;
	int ret;
	const char *msg;	/* a substring of the error */
};

static const struct broken broken[] = {
	{ "meta.json", NULL, NULL, -ENOENT, "meta.json: No such file" },
	{ "results.csv", NULL, NULL, -ENOENT, "results.csv: No such file" },
	{ "meta.json", "{", "[", -EINVAL, "meta.json: array value separator" },
	{ "meta.json", "{", "{{", -EINVAL, "meta.json: " },
	{ "meta.json", "\"format\": 1", "\"format\": 2", -EINVAL,
	  "meta.json: \"format\" is not 1" },
	{ "meta.json", "\"seed\": 13", "\"seed\": [13]", -EINVAL,
	  "meta.json: \"seed\" missing or not a string" },
	{ "meta.json", "\"order\": [\n    4", "\"order\": [\n    6", -EINVAL,
	  "meta.json: order[0] is not a configuration index" },
	{ "meta.json", "\"order\": [\n    4", "\"order\": [\n    -1", -EINVAL,
	  "meta.json: order[0] is not a configuration index" },
	{ "meta.json", "\"machine\": {", "\"machine\": [{", -EINVAL,
	  "meta.json: " },
	{ "meta.json", "\"machine\"", "\"machines\"", -EINVAL,
	  "meta.json: \"machine\" missing or not an object" },
	{ "meta.json", "\"hostname\"", "\"host\"", -EINVAL,
	  "meta.json: \"hostname\" missing or not a string" },
	{ "meta.json", "\"finished\"", "\"ended\"", -EINVAL,
	  "meta.json: \"finished\" missing or not a string" },
	/* results.csv: mhv_results_load() names the file and the line */
	{ "results.csv", "run,config", "run,configuration", -EINVAL,
	  "results.csv:1: " },
	{ "results.csv", "0,4,0,2m,64,321487,34,", "0,4,0,2m,64,321487,", -EINVAL,
	  "results.csv:2: " },
	{ "results.csv", "0,4,0,2m,64,", "0,4,0,4k,64,", -EINVAL,
	  "results.csv:2: " },
	{ "results.csv", "1,3,0,2m,16,79606,", "1,3,0,2m,16,79606x,", -EINVAL,
	  "results.csv:3: " },
};

static void check_broken(const struct broken *b)
{
	char *dir = make_tmpdir(), *files[3], *text, err[512], path[4096];
	static const char *const names[3] = {
		"experiment.json", "meta.json", "results.csv",
	};
	struct mhv_report *r = NULL;
	int ret, i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), FIXTURE "/%s", names[i]);
		files[i] = slurp(path, NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(files[i]);
		if (strcmp(b->file, names[i]))
			CU_ASSERT_EQUAL(spit(dir, names[i], files[i]), 0);
		if (strcmp(b->file, names[i]) || !b->from)
			continue;
		text = subst(files[i], b->from, b->to);
		CU_ASSERT_PTR_NOT_NULL_FATAL(text);	/* the fixture changed? */
		CU_ASSERT_EQUAL(spit(dir, names[i], text), 0);
		free(text);
	}
	ret = mhv_report_open(&r, dir, err, sizeof(err));
	CU_ASSERT_EQUAL(ret, b->ret);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, b->msg));
	if (ret != b->ret || !strstr(err, b->msg))
		fprintf(stderr, "\n  case %s %s: ret %d, \"%s\"\n", b->file,
			b->to ? b->to : "(removed)", ret, err);
	if (!ret)
		mhv_report_close(r);
	rm_tree(dir);
	free(dir);
	for (i = 0; i < 3; i++)
		free(files[i]);
}

static void test_report_open_malformed(void)
{
	size_t i;

	for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++)
		check_broken(&broken[i]);
}

/* ---- charts -------------------------------------------------------------------- */

static struct mhv_report *load_fixture(void)
{
	struct mhv_report *r = NULL;
	char err[256];

	if (mhv_report_open(&r, FIXTURE, err, sizeof(err)))
		fprintf(stderr, "\n  fixture: %s\n", err);
	return r;
}

/* Pixels of @s that are not white (RGB24). */
static size_t count_ink(cairo_surface_t *s)
{
	int w = cairo_image_surface_get_width(s);
	int h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s), x, y;
	const unsigned char *d = cairo_image_surface_get_data(s);
	size_t n = 0;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			n += (*(const uint32_t *)(d + y * stride + 4 * x) &
			      0xffffff) != 0xffffff;
	return n;
}

/* Rows of the colored (not gray) pixels in column @x: top and bottom. */
static int colored_span(cairo_surface_t *s, int x, int *top, int *bottom)
{
	int h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s), y;
	const unsigned char *d = cairo_image_surface_get_data(s);

	*top = *bottom = -1;
	for (y = 0; y < h; y++) {
		uint32_t p = *(const uint32_t *)(d + y * stride + 4 * x);
		int r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;

		if (abs(r - g) < 16 && abs(g - b) < 16)
			continue;	/* white, gray, black: not a bar */
		if (*top < 0)
			*top = y;
		*bottom = y;
	}
	return *top >= 0 ? *bottom - *top + 1 : 0;
}

static void test_chart_png(void)
{
	static const enum mhv_chart_kind kinds[] = {
		MHV_CHART_BAR, MHV_CHART_BOX, MHV_CHART_SCATTER, MHV_CHART_HIST,
	};
	struct mhv_report *r = load_fixture();
	char *dir = make_tmpdir(), path[4096], *text;
	cairo_surface_t *s;
	size_t i, n;

	CU_ASSERT_FATAL(r && dir);
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/c%zu.png", dir, i);
		CU_ASSERT_EQUAL(mhv_chart_save(r, kinds[i], 1, path,
					       MHV_CHART_FMT_PNG), 0);
		s = cairo_image_surface_create_from_png(path);
		CU_ASSERT_EQUAL_FATAL(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
		CU_ASSERT_EQUAL(cairo_image_surface_get_width(s), 640);
		CU_ASSERT_EQUAL(cairo_image_surface_get_height(s), 400);
		/* axes, labels and data on a white background: over 1% of
		 * the pixels, under half of them
		 */
		n = count_ink(s);
		CU_ASSERT(n > 640 * 400 / 100 && n < 640 * 400 / 2);
		cairo_surface_destroy(s);
		snprintf(path, sizeof(path), "%s/c%zu.svg", dir, i);
		CU_ASSERT_EQUAL(mhv_chart_save(r, kinds[i], 1, path,
					       MHV_CHART_FMT_SVG), 0);
		text = slurp(path, NULL);
		CU_ASSERT(text && !strncmp(text, "<?xml", 5) && strstr(text, "<svg"));
		free(text);
	}
	CU_ASSERT_EQUAL(mhv_chart_save(r, MHV_CHART_BAR, 3, path,
				       MHV_CHART_FMT_PNG), -EINVAL);
	rm_tree(dir);
	free(dir);
	mhv_report_close(r);
}

/*
 * The bars of npf: 6 configurations in equal slots between the margins
 * (72 and 20 px of 640); each bar's height is its mean over the axis
 * range, so the ratio of two bars is the ratio of their means (computed
 * here from the CSV), to within a pixel of the shorter bar.
 */
static void test_chart_bars_follow_means(void)
{
	struct mhv_report *r = load_fixture();
	char *dir = make_tmpdir(), path[4096];
	double slot = (640 - 72 - 20) / 6.0, m0, m2, m5;
	int t0, b0, t2, b2, t5, b5, h0, h2, h5;
	cairo_surface_t *s;

	CU_ASSERT_FATAL(r && dir);
	snprintf(path, sizeof(path), "%s/bar.png", dir);
	CU_ASSERT_EQUAL_FATAL(mhv_chart_save(r, MHV_CHART_BAR, 1, path,
					     MHV_CHART_FMT_PNG), 0);
	s = cairo_image_surface_create_from_png(path);
	CU_ASSERT_EQUAL_FATAL(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	/* a quarter into the slot: beside the error bar in the middle */
	h0 = colored_span(s, (int)(72 + 0.3 * slot), &t0, &b0);
	h2 = colored_span(s, (int)(72 + 2.3 * slot), &t2, &b2);
	h5 = colored_span(s, (int)(72 + 5.3 * slot), &t5, &b5);
	m0 = fixture_mean(0, 1);
	m2 = fixture_mean(2, 1);
	m5 = fixture_mean(5, 1);
	CU_ASSERT_FATAL(h0 > 3 && h2 > h0);
	CU_ASSERT_EQUAL(b0, b2);	/* all bars stand on zero */
	CU_ASSERT(fabs((double)h2 / h0 - m2 / m0) <= m2 / m0 / (h0 - 1));
	/* (2M, 256): about 136 faults, under a pixel next to 65546 */
	CU_ASSERT(h5 <= (int)ceil(m5 / m2 * h2));
	CU_ASSERT(h5 == 0 || b5 == b0);
	cairo_surface_destroy(s);
	rm_tree(dir);
	free(dir);
	mhv_report_close(r);
}

/* ---- reports ------------------------------------------------------------------- */

/* Write the report of the fixture into @dir: report.pdf, report.md, png/. */
static int write_report(const struct mhv_report *r, const char *dir)
{
	char pdf[4096], md[4096], png[4096], err[512];
	struct mhv_report_opts o = { .pdf = pdf, .markdown = md, .png_dir = png };
	int ret;

	snprintf(pdf, sizeof(pdf), "%s/report.pdf", dir);
	snprintf(md, sizeof(md), "%s/report.md", dir);
	snprintf(png, sizeof(png), "%s/png", dir);
	if (mkdir(png, 0755))
		return -errno;
	ret = mhv_report_write(r, &o, err, sizeof(err));
	if (ret)
		fprintf(stderr, "\n  report: %s\n", err);
	return ret;
}

/* pdftotext -f 1 -l 1 PDF TXT: the text of page 1 */
static char *page1_text(const char *pdf, const char *txt)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		execlp("pdftotext", "pdftotext", "-f", "1", "-l", "1", pdf, txt,
		       (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st))
		return NULL;
	return slurp(txt, NULL);
}

/*
 * pdftoppm -png -r 50 -f 1 -l 1 -singlefile PDF PREFIX: page 1 as
 * PREFIX.png (without -singlefile the name has as many digits as the
 * page count).
 */
static int render_page1(const char *pdf, const char *prefix)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		execlp("pdftoppm", "pdftoppm", "-png", "-r", "50", "-f", "1",
		       "-l", "1", "-singlefile", pdf, prefix, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * The PDF date after @key is @date (cairo 1.16 writes "(20261130100500Z)",
 * later versions "(D:20261130100500Z)").
 */
static int pdf_date_is(const char *pdf, size_t len, const char *key,
		       const char *date)
{
	const char *p = memmem(pdf, len, key, strlen(key));

	if (!p)
		return 0;
	p += strlen(key);
	if (!strncmp(p, "D:", 2))
		p += 2;
	return !strncmp(p, date, strlen(date));
}

static void test_report_pdf_renders(void)
{
	struct mhv_report *r = load_fixture();
	char *dir = make_tmpdir(), path[4096], *md, *text, row[256];
	cairo_surface_t *s;
	size_t len, n;

	CU_ASSERT_FATAL(r && dir);
	CU_ASSERT_EQUAL_FATAL(write_report(r, dir), 0);
	snprintf(path, sizeof(path), "%s/report.pdf", dir);
	text = slurp(path, &len);
	CU_ASSERT_FATAL(text && len > 1000);
	CU_ASSERT_EQUAL(memcmp(text, "%PDF-", 5), 0);
	/* dated with meta.json's "finished", 2026-11-30T10:05:00Z */
	CU_ASSERT(pdf_date_is(text, len, "/CreationDate (", "20261130100500"));
	CU_ASSERT(pdf_date_is(text, len, "/ModDate (", "20261130100500"));
	free(text);

	snprintf(path, sizeof(path), "%s/report.pdf", dir);
	snprintf(row, sizeof(row), "%s/page.txt", dir);
	text = page1_text(path, row);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "Experiment report"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "1 Introduction"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "2 Methodology"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "Randomization. The runs were executed in a random order drawn from seed 13"));
	free(text);
	snprintf(row, sizeof(row), "%s/page", dir);
	CU_ASSERT_EQUAL_FATAL(render_page1(path, row), 0);
	snprintf(path, sizeof(path), "%s/page.png", dir);
	s = cairo_image_surface_create_from_png(path);
	CU_ASSERT_EQUAL_FATAL(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	/* A4 (595.276 x 841.89 pt) at 50 dpi: 413.4 x 584.7, rounded up */
	CU_ASSERT_EQUAL(cairo_image_surface_get_width(s), 414);
	CU_ASSERT_EQUAL(cairo_image_surface_get_height(s), 585);
	n = count_ink(s);	/* a page of text: not blank, not black */
	CU_ASSERT(n > 414 * 585 / 50 && n < 414 * 585 / 2);
	cairo_surface_destroy(s);

	snprintf(path, sizeof(path), "%s/report.md", dir);
	md = slurp(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "## 1 Introduction"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "## 2 Methodology"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "## 3 Results"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "## 4 Analysis"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "## 5 Conclusions"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, r->res.e.question));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, r->res.e.hypothesis));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "seed 13"));
	/* the npf table: configuration 0 (4K, 16), n = 4, its mean */
	snprintf(row, sizeof(row), "| 4k | 16 | 4 | %.5g |", fixture_mean(0, 1));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, row));
	snprintf(row, sizeof(row), "| 2m | 256 | 4 | %.5g |", fixture_mean(5, 0));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, row));
	/* charts linked from the report's folder, not the current one */
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "](png/hist-exit_latency_ns.png)"));
	free(md);
	snprintf(path, sizeof(path), "%s/png/hist-exit_latency_ns.png", dir);
	CU_ASSERT(access(path, R_OK) == 0);	/* the "latency" metric */
	rm_tree(dir);
	free(dir);
	mhv_report_close(r);
}

/*
 * An interrupted experiment: "finished" is null in meta.json. The report
 * is still written, dated with "started" (2026-11-30T10:00:00Z).
 */
static void test_report_unfinished(void)
{
	char *dir = make_tmpdir(), *text, *m, err[512], path[4096];
	static const char *const names[] = { "experiment.json", "results.csv" };
	struct mhv_report_opts o = { .pdf = path };
	struct mhv_report *r = NULL;
	size_t i, len;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), FIXTURE "/%s", names[i]);
		text = slurp(path, NULL);
		CU_ASSERT_FATAL(text && !spit(dir, names[i], text));
		free(text);
	}
	text = slurp(FIXTURE "/meta.json", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	m = subst(text, "\"finished\": \"2026-11-30T10:05:00Z\"",
		  "\"finished\": null");
	free(text);
	CU_ASSERT_FATAL(m && !spit(dir, "meta.json", m));
	free(m);
	CU_ASSERT_EQUAL_FATAL(mhv_report_open(&r, dir, err, sizeof(err)), 0);
	CU_ASSERT_PTR_NULL(r->meta.finished);
	snprintf(path, sizeof(path), "%s/report.pdf", dir);
	CU_ASSERT_EQUAL(mhv_report_write(r, &o, err, sizeof(err)), 0);
	text = slurp(path, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT(pdf_date_is(text, len, "/CreationDate (", "20261130100000"));
	free(text);
	mhv_report_close(r);
	rm_tree(dir);
	free(dir);
}

/* Compare @name in two report directories byte for byte. */
static int same_file(const char *d1, const char *d2, const char *name)
{
	char p1[4096], p2[4096], *a, *b;
	size_t la = 0, lb = 0;
	int same;

	snprintf(p1, sizeof(p1), "%s/%s", d1, name);
	snprintf(p2, sizeof(p2), "%s/%s", d2, name);
	a = slurp(p1, &la);
	b = slurp(p2, &lb);
	same = a && b && la == lb && !memcmp(a, b, la);
	if (!same)
		fprintf(stderr, "\n  %s differs\n", name);
	free(a);
	free(b);
	return same;
}

/*
 * Two reports of the same results, one in a child process (fresh cairo
 * and pango state, as a second `mhv experiment report` would have), one
 * here: the same bytes.
 */
static void test_report_reproducible(void)
{
	struct mhv_report *r = load_fixture();
	char *d1 = make_tmpdir(), *d2 = make_tmpdir();
	pid_t pid;
	int st = -1;

	CU_ASSERT_FATAL(r && d1 && d2);
	pid = fork();
	if (pid == 0)
		_exit(write_report(r, d1) ? 1 : 0);
	CU_ASSERT_FATAL(pid > 0 && waitpid(pid, &st, 0) == pid);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CU_ASSERT_EQUAL_FATAL(write_report(r, d2), 0);
	CU_ASSERT(same_file(d1, d2, "report.pdf"));
	CU_ASSERT(same_file(d1, d2, "png/bar-npf.png"));
	CU_ASSERT(same_file(d1, d2, "png/scatter-wall_ns.png"));
	rm_tree(d1);
	rm_tree(d2);
	free(d1);
	free(d2);
	mhv_report_close(r);
}

int register_report_tests(void)
{
	ADD_SUITE("report",
		  { "results dir: experiment, meta.json, results.csv", test_report_open },
		  { "results dir: malformed input, clear errors", test_report_open_malformed },
		  { "charts: PNG size, not blank, SVG", test_chart_png },
		  { "charts: bar heights follow the means", test_chart_bars_follow_means },
		  { "report: PDF renders, Markdown tables", test_report_pdf_renders },
		  { "report: reproducible byte for byte", test_report_reproducible },
		  { "report: an unfinished experiment", test_report_unfinished });
}
