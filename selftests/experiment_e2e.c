// SPDX-License-Identifier: GPL-2.0
/*
 * mhv experiment end to end (Documentation/research.rst): small
 * experiments written here are run with `mhv experiment run`, their
 * results directories read back and `mhv experiment analyze --json`
 * parsed with json-c. Every expected value comes from the experiment's
 * inputs:
 *  - results.csv has configurations x repetitions rows, run i being the
 *    configuration meta.json's order names at i, with its levels;
 *  - touching N MiB for the first time with 4 KiB second-level pages
 *    takes at least N * 256 nested page faults; touching it again takes
 *    none but the few of code not yet run;
 *  - the in-kernel demo device takes its count of register accesses
 *    without one exit to userspace; the userspace one takes one each;
 *    CPUID exits stay in the kernel, port I/O exits do not: each exactly
 *    count times (the guest call ending the interval is not counted);
 *  - with 2 MiB pages (where the CPU has them and transparent huge pages
 *    are on) fewer faults than with 4 KiB pages for the same 8 MiB;
 *  - an edu DMA is 4 register writes and at least 2 reads, no error, no
 *    exit to userspace;
 *  - an interrupted run resumed with --resume keeps the rows it had and
 *    ends with the same order; the nesting file of the guide's project 1
 *    is refused, and so is a bad file, naming the JSON path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "kselftest_harness.h"
#include "test_util.h"

#define TOP	"/tmp/mhv-e2e"
#define MIB	4		/* memory touched by the memory workloads */
#define COUNT	200		/* demo accesses, CPUIDs, OUTs */
#define REPS	3

static char out[1 << 18];

/* results.csv as rows of fields (strdup'ed, at most 32 per row) */
struct csv {
	int rows;		/* data rows */
	int cols;
	char *f[256][32];
};

static int csv_read(const char *dir, struct csv *c)
{
	char path[256], line[1024], *s, *tok;
	FILE *f;
	int r = -1, i;

	memset(c, 0, sizeof(*c));
	snprintf(path, sizeof(path), "%s/results.csv", dir);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f) && r < 255) {
		line[strcspn(line, "\n")] = 0;
		for (i = 0, s = line; (tok = strsep(&s, ",")) && i < 32; i++)
			c->f[r + 1][i] = strdup(tok);
		if (r < 0)
			c->cols = i;
		r++;
	}
	fclose(f);
	c->rows = r;
	return 0;
}

static void csv_free(struct csv *c)
{
	int r, i;

	for (r = 0; r < 256; r++)
		for (i = 0; i < 32; i++)
			free(c->f[r][i]);
}

/* The column called @name, or -1. */
static int csv_col(const struct csv *c, const char *name)
{
	int i;

	for (i = 0; i < c->cols; i++)
		if (!strcmp(c->f[0][i], name))
			return i;
	return -1;
}

/* Value of column @name in data row @r (1-based in f[]). */
static const char *cell(const struct csv *c, int r, const char *name)
{
	int i = csv_col(c, name);

	return i < 0 ? "" : c->f[r + 1][i];
}

static double num(const struct csv *c, int r, const char *name)
{
	return strtod(cell(c, r, name), NULL);
}

static int write_exp(const char *path, const char *factors,
		     const char *constants, const char *metrics, int reps)
{
	char buf[2048];
	int n = snprintf(buf, sizeof(buf),
			 "{ \"question\": \"e2e\", \"hypothesis\": \"h\",\n"
			 "  \"factors\": [ %s ],\n  \"constants\": { %s },\n"
			 "  \"metrics\": [ %s ],\n  \"repetitions\": %d, \"warmup\": 1,"
			 " \"seed\": 11 }\n", factors, constants, metrics, reps);

	return write_file(path, buf, n);
}

/* Run @name's experiment file into TOP/@name: mhv's exit status. */
static int run_exp(const char *name, const char *extra)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf %s/%s && mhv experiment run %s/%s.json --out %s/%s %s 2>&1",
		 TOP, name, TOP, name, TOP, name, extra);
	return run_cmd(cmd, out, sizeof(out));
}

/* meta.json's order must be the one of the CSV's run/config columns. */
static int order_matches(const char *dir, const struct csv *c)
{
	char path[256];
	json_object *m, *order;
	int i, ok = 1;

	snprintf(path, sizeof(path), "%s/meta.json", dir);
	m = json_object_from_file(path);
	if (!m || !json_object_object_get_ex(m, "order", &order) ||
	    (int)json_object_array_length(order) != c->rows)
		ok = 0;
	for (i = 0; ok && i < c->rows; i++)
		ok = atoi(cell(c, i, "run")) == i &&
		     atoi(cell(c, i, "config")) ==
		     json_object_get_int(json_object_array_get_idx(order, i));
	if (m)
		json_object_put(m);
	return ok;
}

static json_object *analyze(const char *dir)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "mhv experiment analyze %s --json", dir);
	if (run_cmd(cmd, out, sizeof(out)))
		return NULL;
	return json_tokener_parse(out);
}

static json_object *path_get(json_object *o, const char *k1, int idx,
			     const char *k2, const char *k3, const char *k4)
{
	json_object *r = NULL;

	if (!json_object_object_get_ex(o, k1, &r))
		return NULL;
	if (idx >= 0)
		r = json_object_array_get_idx(r, idx);
	if (r && k2 && !json_object_object_get_ex(r, k2, &r))
		return NULL;
	if (r && k3 && !json_object_object_get_ex(r, k3, &r))
		return NULL;
	if (r && k4 && !json_object_object_get_ex(r, k4, &r))
		return NULL;
	return r;
}

/* Width and height of a PNG file, from its IHDR chunk (big-endian). */
static int png_size(const char *path, unsigned int *w, unsigned int *h)
{
	unsigned char b[24];
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(b, 1, sizeof(b), f) : 0;

	if (f)
		fclose(f);
	if (n != sizeof(b) || memcmp(b, "\x89PNG\r\n\x1a\n", 8) ||
	    memcmp(b + 12, "IHDR", 4))
		return -1;
	*w = (unsigned int)b[16] << 24 | b[17] << 16 | b[18] << 8 | b[19];
	*h = (unsigned int)b[20] << 24 | b[21] << 16 | b[22] << 8 | b[23];
	return 0;
}

FIXTURE(e2e) {
	int unused;
};

FIXTURE_SETUP(e2e)
{
	mkdir(TOP, 0755);
}

FIXTURE_TEARDOWN(e2e)
{
}

TEST_F(e2e, memory_faults)
{
	const char *dir = TOP "/memory";
	json_object *a, *v, *cmp;
	struct csv c;
	int i, npf_seq = 0;
	size_t k;

	ASSERT_EQ(0, write_exp(TOP "/memory.json",
			       "{ \"name\": \"workload\", \"levels\": [\"memory_seq\", \"memory_random\", \"memory_retouch\"] }",
			       "\"size\": " "4", "\"npf\", \"wall_ns\", \"guest_tsc\"", REPS));
	ASSERT_EQ(0, run_exp("memory", "")) TH_LOG("%s", out);
	ASSERT_EQ(0, csv_read(dir, &c));
	EXPECT_EQ(3 * REPS, c.rows);
	EXPECT_EQ(3 + 1 + 3, c.cols);
	EXPECT_TRUE(order_matches(dir, &c));
	for (i = 0; i < c.rows; i++) {
		const char *w = cell(&c, i, "workload");
		double npf = num(&c, i, "npf");

		EXPECT_STREQ(w, atoi(cell(&c, i, "config")) == 0 ? "memory_seq" :
			     atoi(cell(&c, i, "config")) == 1 ? "memory_random" :
			     "memory_retouch");
		EXPECT_LT(0, num(&c, i, "wall_ns"));
		EXPECT_LT(0, num(&c, i, "guest_tsc"));
		if (strcmp(w, "memory_retouch")) {
			EXPECT_LE(MIB * 256, npf) TH_LOG("%s: %.0f faults", w, npf);
			npf_seq += !strcmp(w, "memory_seq");
		} else {
			EXPECT_GT(16, npf) TH_LOG("re-touch: %.0f faults", npf);
		}
	}
	EXPECT_EQ(REPS, npf_seq);
	csv_free(&c);

	a = analyze(dir);
	ASSERT_NE(NULL, a) TH_LOG("%s", out);
	EXPECT_EQ(3 * REPS, json_object_get_int(path_get(a, "runs", -1, NULL, NULL, NULL)));
	v = path_get(a, "configs", 0, "metrics", "npf", "n");
	EXPECT_EQ(REPS, json_object_get_int(v));
	v = path_get(a, "configs", 0, "metrics", "npf", "min");
	EXPECT_LE(MIB * 256, json_object_get_double(v));
	v = path_get(a, "configs", 2, "metrics", "npf", "max");
	EXPECT_GT(16, json_object_get_double(v));
	/* 3 levels of one factor: an ANOVA and 3 pairs per metric, Holm'ed */
	cmp = path_get(a, "comparisons", -1, NULL, NULL, NULL);
	ASSERT_NE(NULL, cmp);
	EXPECT_EQ(3, json_object_array_length(cmp));
	for (k = 0; k < json_object_array_length(cmp); k++) {
		json_object *one = json_object_array_get_idx(cmp, k), *pairs;

		EXPECT_TRUE(json_object_object_get_ex(one, "anova", NULL));
		ASSERT_TRUE(json_object_object_get_ex(one, "pairs", &pairs));
		EXPECT_EQ(3, json_object_array_length(pairs));
	}
	/* the wall time pairs have variance: a Holm p at least the raw p */
	v = json_object_array_get_idx(cmp, 1);
	v = json_object_array_get_idx(path_get(v, "pairs", -1, NULL, NULL, NULL), 0);
	if (v && path_get(v, "p_two", -1, NULL, NULL, NULL))
		EXPECT_LE(json_object_get_double(path_get(v, "p_two", -1, NULL, NULL, NULL)),
			  json_object_get_double(path_get(v, "p_holm", -1, NULL, NULL, NULL)));
	json_object_put(a);

	/* the same for people: the tests named, and the outliers flagged */
	ASSERT_EQ(0, run_cmd("mhv experiment analyze " TOP "/memory", out, sizeof(out)));
	TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "one-way ANOVA"));
	EXPECT_NE(NULL, strstr(out, "memory_seq vs memory_random"));
	EXPECT_NE(NULL, strstr(out, "outliers (Tukey)"));

}

/*
 * The report of memory_faults' results (TOP/memory): PDF, Markdown and
 * PNG charts; pdftoppm renders page 1 (A4 at 50 dpi: 414 x 585),
 * pdftotext reads its text; the Markdown's table has every workload with
 * its REPS runs. (That two reports are the same bytes is a unit test:
 * userlib/tests/test_report.c.) Its own test: drawing and rendering are
 * slow in the emulated test VM.
 */
TEST_F_TIMEOUT(e2e, report, 300)
{
	static const char *const w3[] = {
		"memory_seq", "memory_random", "memory_retouch",
	};
	unsigned int w = 0, h = 0;
	char row[64];
	int i;

	if (access(TOP "/memory/results.csv", R_OK))
		SKIP(return, "no results of memory_faults");
	ASSERT_EQ(0, run_cmd("mhv experiment report " TOP "/memory --pdf " TOP "/r1.pdf"
			     " --markdown " TOP "/r1.md --png " TOP "/png 2>&1",
			     out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_EQ(0, access(TOP "/png/bar-npf.png", R_OK));
	EXPECT_EQ(0, access(TOP "/png/box-wall_ns.png", R_OK));
	ASSERT_EQ(0, run_cmd("pdftoppm -png -r 50 -f 1 -l 1 -singlefile " TOP "/r1.pdf "
			     TOP "/page1 2>&1", out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_EQ(0, png_size(TOP "/page1.png", &w, &h));
	EXPECT_EQ(414, w);
	EXPECT_EQ(585, h);
	ASSERT_EQ(0, run_cmd("pdftotext -f 1 -l 1 " TOP "/r1.pdf - 2>&1", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "Experiment report")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "1 Introduction"));
	EXPECT_NE(NULL, strstr(out, "2 Methodology"));
	EXPECT_NE(NULL, strstr(out, "Randomization."));
	ASSERT_EQ(0, run_cmd("cat " TOP "/r1.md", out, sizeof(out)));
	for (i = 0; i < 3; i++) {
		snprintf(row, sizeof(row), "| %s | %d | ", w3[i], REPS);
		EXPECT_NE(NULL, strstr(out, row)) TH_LOG("no '%s'", row);
	}
	EXPECT_NE(NULL, strstr(out, "| one-way ANOVA | workload: 3 levels |"));
}

TEST_F(e2e, device_placement_and_exits)
{
	const char *dir = TOP "/devices";
	struct csv c;
	int i;

	ASSERT_EQ(0, write_exp(TOP "/devices.json",
			       "{ \"name\": \"workload\", \"levels\": [\"demo\", \"cpuid\", \"pio\"] },"
			       " { \"name\": \"device_placement\", \"levels\": [\"kernel\", \"user\"] }",
			       "\"count\": 200",
			       "\"user_exits\", \"dev_reads\", \"dev_writes\", \"dev_mmio\", \"mmio\", \"cpuid\", \"io\"",
			       2));
	ASSERT_EQ(0, run_exp("devices", "")) TH_LOG("%s", out);
	ASSERT_EQ(0, csv_read(dir, &c));
	EXPECT_EQ(3 * 2 * 2, c.rows);
	EXPECT_TRUE(order_matches(dir, &c));
	for (i = 0; i < c.rows; i++) {
		const char *w = cell(&c, i, "workload");
		int user = !strcmp(cell(&c, i, "device_placement"), "user");

		TH_LOG("row %d: %s %s", i, w, user ? "user" : "kernel");
		if (!strcmp(w, "demo")) {
			/* even accesses write DATA, odd ones read STATUS */
			EXPECT_EQ(COUNT / 2, num(&c, i, "dev_reads"));
			EXPECT_EQ(COUNT / 2, num(&c, i, "dev_writes"));
			EXPECT_EQ(user ? COUNT : 0, num(&c, i, "user_exits"));
			EXPECT_EQ(user ? COUNT : 0, num(&c, i, "mmio"));
			EXPECT_EQ(user ? 0 : COUNT, num(&c, i, "dev_mmio"));
		} else if (!strcmp(w, "cpuid")) {
			EXPECT_EQ(COUNT, num(&c, i, "cpuid"));
			EXPECT_EQ(0, num(&c, i, "user_exits"));
			EXPECT_EQ(0, num(&c, i, "io"));
		} else {
			EXPECT_EQ(COUNT, num(&c, i, "io"));
			EXPECT_EQ(COUNT, num(&c, i, "user_exits"));
			EXPECT_EQ(0, num(&c, i, "cpuid"));
		}
	}
	csv_free(&c);
}

/* edu DMAs: 4 register writes each, polled to the end, in the kernel. */
TEST_F(e2e, dma)
{
	struct csv c;
	int i;

	ASSERT_EQ(0, write_exp(TOP "/dma.json",
			       "{ \"name\": \"size\", \"levels\": [64, 4096] }",
			       "\"workload\": \"dma\", \"count\": 10",
			       "\"dev_writes\", \"dev_reads\", \"dev_errors\", \"user_exits\"", 2));
	ASSERT_EQ(0, run_exp("dma", "")) TH_LOG("%s", out);
	ASSERT_EQ(0, csv_read(TOP "/dma", &c));
	EXPECT_EQ(4, c.rows);
	for (i = 0; i < c.rows; i++) {
		/* SRC, DST, COUNT, CMD written; CMD polled, ERROR read */
		EXPECT_EQ(10 * 4, num(&c, i, "dev_writes"));
		EXPECT_LE(10 * 2, num(&c, i, "dev_reads"));
		EXPECT_EQ(0, num(&c, i, "dev_errors"));
		EXPECT_EQ(0, num(&c, i, "user_exits"));
	}
	csv_free(&c);
}

/* 2 MiB pages: fewer faults than 4 KiB (the CPU and THP permitting). */
TEST_F(e2e, page_size)
{
	struct csv c;
	double f4 = -1, f2 = -1;
	int i, ret;

	ASSERT_EQ(0, write_exp(TOP "/pages.json",
			       "{ \"name\": \"page_size\", \"levels\": [\"4k\", \"2m\"] }",
			       "\"workload\": \"memory_seq\", \"size\": 8", "\"npf\"", 2));
	ret = run_exp("pages", "");
	if (ret && (strstr(out, "transparent huge pages are off") ||
		    strstr(out, "no second-level pages that large"))) {
		TH_LOG("%s", out);
		SKIP(return, "no 2 MiB second-level pages here");
	}
	ASSERT_EQ(0, ret) TH_LOG("%s", out);
	ASSERT_EQ(0, csv_read(TOP "/pages", &c));
	EXPECT_EQ(4, c.rows);
	for (i = 0; i < c.rows; i++) {
		double n = num(&c, i, "npf");

		if (!strcmp(cell(&c, i, "page_size"), "4k"))
			f4 = f4 < 0 || n < f4 ? n : f4;
		else
			f2 = n > f2 ? n : f2;
	}
	TH_LOG("8 MiB touched: at most %.0f faults with 2m, at least %.0f with 4k",
	       f2, f4);
	EXPECT_LE(8 * 256, f4);
	EXPECT_LT(f2, f4);
	csv_free(&c);
}

TEST_F(e2e, resume)
{
	const char *dir = TOP "/resume";
	struct csv before, after;
	char cmd[256];
	int i, k;

	ASSERT_EQ(0, write_exp(TOP "/resume.json",
			       "{ \"name\": \"count\", \"levels\": [1000, 2000] }",
			       "\"workload\": \"cpuid\"", "\"cpuid\"", 3));
	ASSERT_EQ(0, run_exp("resume", "")) TH_LOG("%s", out);
	ASSERT_EQ(0, csv_read(dir, &before));
	ASSERT_EQ(6, before.rows);
	/* as if killed while writing run 2: rows 0 and 1 and half a line */
	snprintf(cmd, sizeof(cmd), "head -n 3 %s/results.csv > %s/r && printf '2,1,0,20' >> %s/r && mv %s/r %s/results.csv",
		 dir, dir, dir, dir, dir);
	ASSERT_EQ(0, run_cmd(cmd, out, sizeof(out)));
	/* a finished directory is not overwritten */
	EXPECT_EQ(1, run_cmd("mhv experiment run " TOP "/resume.json --out " TOP "/resume 2>&1",
			     out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "--resume"));
	ASSERT_EQ(0, run_cmd("mhv experiment run --resume " TOP "/resume 2>&1", out, sizeof(out)))
		TH_LOG("%s", out);
	ASSERT_EQ(0, csv_read(dir, &after));
	EXPECT_EQ(6, after.rows);
	EXPECT_TRUE(order_matches(dir, &after));
	for (i = 0; i < 2; i++)
		for (k = 0; k < before.cols; k++)
			EXPECT_STREQ(before.f[i + 1][k], after.f[i + 1][k]);
	for (i = 0; i < after.rows; i++)
		EXPECT_EQ(atoi(cell(&after, i, "count")), num(&after, i, "cpuid"));
	csv_free(&before);
	csv_free(&after);
}

TEST_F(e2e, refused)
{
	EXPECT_EQ(1, run_cmd("mhv experiment run /mhv/samples/nesting.json --out " TOP "/nest 2>&1",
			     out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "nested virtualization does not exist yet")) TH_LOG("%s", out);
	EXPECT_NE(0, access(TOP "/nest/results.csv", F_OK));

	ASSERT_EQ(0, write_exp(TOP "/bad.json",
			       "{ \"name\": \"workload\", \"levels\": [\"cpuid\"] },"
			       " { \"name\": \"page_size\", \"levels\": [\"4k\", \"3k\"] }",
			       "\"count\": 5", "\"exits\"", 1));
	EXPECT_EQ(1, run_exp("bad", ""));
	EXPECT_NE(NULL, strstr(out, "$.factors[1].levels[1]")) TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
