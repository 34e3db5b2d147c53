// SPDX-License-Identifier: GPL-2.0
/*
 * mhv experiment run FILE [--out DIR] [--resume DIR]
 * mhv experiment analyze DIR [--json]
 *
 * Runs an experiment file's configurations in a seeded random order into
 * a results directory, and analyses one (Documentation/research.rst).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "libmultios_hv.h"
#include "mhv.h"

const char mhv_experiment_details[] =
	"  run FILE [--out DIR]    run every configuration of the experiment FILE\n"
	"                          its repetitions times, in an order shuffled with\n"
	"                          its seed, after its warm-up runs; every run is\n"
	"                          appended to DIR/results.csv as it ends (DIR:\n"
	"                          FILE's name without .json, and -results)\n"
	"  run --resume DIR [FILE] go on with an interrupted run: the rows in\n"
	"                          DIR/results.csv are kept, the rest is run\n"
	"  analyze DIR [--json]    per configuration: count, mean, median, sd,\n"
	"                          min, max, percentiles, 95% CI, outliers; per\n"
	"                          factor: Welch t, Cohen's d and Mann-Whitney U\n"
	"                          (2 levels), one-way ANOVA and Holm-corrected\n"
	"                          pairwise tests (more levels)\n"
	"  report DIR [--pdf FILE] [--svg DIR] [--png DIR] [--markdown FILE]\n"
	"         [--histogram METRIC]\n"
	"                          the report: introduction, methodology, results\n"
	"                          with 95% CIs, the tests in words, a conclusions\n"
	"                          template; charts (bars with CIs, box plots,\n"
	"                          scatter + regression, histogram) also as SVG/PNG\n"
	"Formats: Documentation/research.rst.\n";

#define ERRLEN	512

/* ---- helpers ---------------------------------------------------------- */

static char *path_in(const char *dir, const char *name)
{
	char *p;

	return asprintf(&p, "%s/%s", dir, name) < 0 ? NULL : p;
}

static void utc_now(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int write_text(const char *dir, const char *name, const char *text)
{
	char *p = path_in(dir, name), *tmp = NULL;
	FILE *f;
	int ret = -ENOMEM;

	if (p && asprintf(&tmp, "%s.tmp", p) >= 0) {
		f = fopen(tmp, "we");
		ret = f ? 0 : -errno;
		if (f) {
			fputs(text, f);
			fputc('\n', f);
			ret = fclose(f) ? -errno : 0;
		}
		if (!ret && rename(tmp, p))
			ret = -errno;
	}
	if (ret)
		fprintf(stderr, "mhv: %s/%s: %s\n", dir, name, strerror(-ret));
	free(p);
	free(tmp);
	return ret;
}

/* The first "model name" of /proc/cpuinfo. */
static json_object *cpu_name(void)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char *line = NULL, *v;
	size_t cap = 0;
	json_object *o = NULL;

	while (f && getline(&line, &cap, f) > 0) {
		if (strncmp(line, "model name", 10) || !(v = strchr(line, ':')))
			continue;
		v += 1 + strspn(v + 1, " \t");
		v[strcspn(v, "\n")] = 0;
		o = json_object_new_string(v);
		break;
	}
	if (f)
		fclose(f);
	free(line);
	return o ? o : json_object_new_string("unknown");
}

static json_object *module_version(int api)
{
	char buf[128] = "", *s;
	FILE *f = fopen("/sys/module/multios_hv/srcversion", "re");

	if (f && fgets(buf, sizeof(buf), f))
		buf[strcspn(buf, "\n")] = 0;
	if (f)
		fclose(f);
	if (asprintf(&s, "api %d%s%s", api, *buf ? ", srcversion " : "", buf) < 0)
		return NULL;
	return json_object_new_string(s) ? : NULL;
}

/* meta.json: a new one, or the old one with "finished" set. */
static int write_meta(const char *dir, const struct mhv_experiment *e,
		      const unsigned int *order, unsigned int n, int api,
		      json_object *old, int finished)
{
	json_object *m, *a, *f, *mach, *ver;
	struct utsname u;
	char now[32], host[256] = "";
	unsigned int i, j;
	int ret;

	utc_now(now, sizeof(now));
	if (old) {
		json_object_object_add(old, "finished", finished ?
				       json_object_new_string(now) : NULL);
		return write_text(dir, "meta.json",
				  json_object_to_json_string_ext(old, JSON_C_TO_STRING_PRETTY));
	}
	m = json_object_new_object();
	json_object_object_add(m, "format", json_object_new_int(1));
	json_object_object_add(m, "question", json_object_new_string(e->question));
	json_object_object_add(m, "hypothesis", json_object_new_string(e->hypothesis));
	a = json_object_new_array();
	for (i = 0; i < e->nr_factors; i++) {
		json_object *lv = json_object_new_array();

		f = json_object_new_object();
		json_object_object_add(f, "name", json_object_new_string(e->factors[i].name));
		for (j = 0; j < e->factors[i].nr_levels; j++)
			json_object_array_add(lv, json_object_new_string(e->factors[i].levels[j]));
		json_object_object_add(f, "levels", lv);
		json_object_array_add(a, f);
	}
	json_object_object_add(m, "factors", a);
	a = json_object_new_array();
	for (i = 0; i < e->nr_metrics; i++)
		json_object_array_add(a, json_object_new_string(e->metrics[i]));
	json_object_object_add(m, "metrics", a);
	json_object_object_add(m, "repetitions", json_object_new_int64(e->repetitions));
	json_object_object_add(m, "warmup", json_object_new_int64(e->warmup));
	json_object_object_add(m, "seed", json_object_new_int64(e->seed));
	a = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_int64(order[i]));
	json_object_object_add(m, "order", a);
	mach = json_object_new_object();
	json_object_object_add(mach, "cpu", cpu_name());
	uname(&u);
	json_object_object_add(mach, "host_kernel", json_object_new_string(u.release));
	gethostname(host, sizeof(host) - 1);
	json_object_object_add(mach, "hostname", json_object_new_string(host));
	json_object_object_add(m, "machine", mach);
	ver = json_object_new_object();
	json_object_object_add(ver, "module", module_version(api));
	json_object_object_add(ver, "library", json_object_new_string(mhv_lib_version()));
	json_object_object_add(ver, "api", json_object_new_int(MHV_API_VERSION));
	json_object_object_add(m, "versions", ver);
	json_object_object_add(m, "started", json_object_new_string(now));
	json_object_object_add(m, "finished", NULL);
	ret = write_text(dir, "meta.json",
			 json_object_to_json_string_ext(m, JSON_C_TO_STRING_PRETTY));
	json_object_put(m);
	return ret;
}

/* ---- mhv experiment run ---------------------------------------------------- */

struct exp_state {
	struct mhv_experiment e;
	const char *dir;
	unsigned int *order;
	unsigned int n;			/* timed runs */
	unsigned int done;		/* ... already in results.csv */
	json_object *meta;		/* the old meta.json (--resume) */
	FILE *csv;
	double *values;
	int tty;
};

/* Every configuration supported, or say which is not and why. */
static int check_configs(const struct mhv_experiment *e)
{
	unsigned int i, k, nc = mhv_experiment_nr_configs(e);
	unsigned int lv[e->nr_factors];
	struct mhv_exp_config c;
	char err[ERRLEN];

	for (i = 0; i < nc; i++) {
		if (!mhv_experiment_config(e, i, &c, err, sizeof(err)))
			continue;
		mhv_experiment_levels(e, i, lv);
		fprintf(stderr, "mhv: experiment refused: configuration %u (", i);
		for (k = 0; k < e->nr_factors; k++)
			fprintf(stderr, "%s%s=%s", k ? ", " : "", e->factors[k].name,
				e->factors[k].levels[lv[k]]);
		fprintf(stderr, "): %s\n", err);
		return -EINVAL;
	}
	return 0;
}

static void progress(struct exp_state *s, unsigned int i, unsigned int total,
		     double elapsed, unsigned int timed)
{
	int width = 30, fill = total ? (int)((double)i * width / total) : width;
	double left = timed ? elapsed / timed * (total - i) : 0;

	if (!s->tty)
		return;
	fprintf(stderr, "\r[%.*s%*s] %u/%u runs", fill,
		"##############################", width - fill, "", i, total);
	if (timed)
		fprintf(stderr, ", about %.0f s left   ", left);
	if (i == total)
		fputc('\n', stderr);
}

static double secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int one_run(struct exp_state *s, unsigned int config, const char *what)
{
	struct mhv_exp_config c;
	char err[ERRLEN];
	int ret;

	ret = mhv_experiment_config(&s->e, config, &c, err, sizeof(err));
	if (!ret)
		ret = mhv_experiment_run_one(&s->e, &c, s->values, err, sizeof(err));
	if (ret)
		fprintf(stderr, "%smhv: %s (configuration %u): %s\n",
			s->tty ? "\n" : "", what, config, err);
	return ret;
}

static void write_row(struct exp_state *s, unsigned int i)
{
	unsigned int k, rep = 0, lv[s->e.nr_factors];

	for (k = 0; k < i; k++)
		rep += s->order[k] == s->order[i];
	mhv_experiment_levels(&s->e, s->order[i], lv);
	fprintf(s->csv, "%u,%u,%u", i, s->order[i], rep);
	for (k = 0; k < s->e.nr_factors; k++)
		fprintf(s->csv, ",%s", s->e.factors[k].levels[lv[k]]);
	for (k = 0; k < s->e.nr_metrics; k++)
		fprintf(s->csv, ",%.17g", s->values[k]);
	fputc('\n', s->csv);
	fflush(s->csv);
}

static int run_all(struct exp_state *s)
{
	unsigned int i, total = s->e.warmup + s->n - s->done, step = 0;
	double t0 = secs();
	char what[64];

	for (i = 0; i < s->e.warmup; i++, step++) {
		progress(s, step, total, secs() - t0, step);
		snprintf(what, sizeof(what), "warm-up run %u", i);
		if (one_run(s, s->order[i % s->n], what))
			return -EIO;
	}
	for (i = s->done; i < s->n; i++, step++) {
		progress(s, step, total, secs() - t0, step);
		snprintf(what, sizeof(what), "run %u", i);
		if (one_run(s, s->order[i], what))
			return -EIO;
		write_row(s, i);
		if (ferror(s->csv)) {
			fprintf(stderr, "mhv: %s/results.csv: write error\n", s->dir);
			return -EIO;
		}
	}
	progress(s, total, total, secs() - t0, step);
	return 0;
}

/* --resume: the rows so far must be the head of the same order. */
static int resume_rows(struct exp_state *s)
{
	struct mhv_results r;
	char err[ERRLEN], *p;
	unsigned int i;
	int ret = mhv_results_load(&r, s->dir, err, sizeof(err));

	if (ret) {
		fprintf(stderr, "mhv: --resume %s: %s\n", s->dir, err);
		return ret;
	}
	for (i = 0; i < r.nr_rows; i++)
		if (i >= s->n || r.run[i] != i || r.config[i] != s->order[i]) {
			fprintf(stderr, "mhv: --resume %s: results.csv row %u is not run %u of this experiment's order\n",
				s->dir, i + 1, i);
			mhv_results_free(&r);
			return -EINVAL;
		}
	s->done = r.nr_rows;
	p = path_in(s->dir, "results.csv");
	ret = p && !truncate(p, r.csv_bytes) ? 0 : -EIO;
	if (ret)
		fprintf(stderr, "mhv: %s/results.csv: cannot cut the unfinished line\n", s->dir);
	free(p);
	mhv_results_free(&r);
	s->meta = NULL;
	p = path_in(s->dir, "meta.json");
	if (!ret && p)
		s->meta = json_object_from_file(p);
	free(p);
	if (!ret && !s->meta) {
		fprintf(stderr, "mhv: --resume %s: meta.json unreadable\n", s->dir);
		ret = -EINVAL;
	}
	return ret;
}

/* "mhv: FILE: $.path: problem" (@err names FILE when unreadable). */
static void explain_load(const char *file, const char *err)
{
	if (!strncmp(err, file, strlen(file)))
		fprintf(stderr, "mhv: %s\n", err);
	else
		fprintf(stderr, "mhv: %s: %s\n", file, err);
}

static int load_experiment(struct exp_state *s, const char *file,
			   const char *resume)
{
	struct mhv_experiment other;
	char err[ERRLEN], *p, *a, *b;
	int ret, same;

	p = resume ? path_in(resume, "experiment.json") : strdup(file);
	if (!p)
		return -ENOMEM;
	ret = mhv_experiment_load(&s->e, p, err, sizeof(err));
	if (ret)
		explain_load(p, err);
	free(p);
	if (ret || !resume || !file)
		return ret;
	ret = mhv_experiment_load(&other, file, err, sizeof(err));
	if (ret) {
		explain_load(file, err);
		return ret;
	}
	a = mhv_experiment_json(&s->e);
	b = mhv_experiment_json(&other);
	same = a && b && !strcmp(a, b);
	free(a);
	free(b);
	mhv_experiment_free(&other);
	if (!same) {
		fprintf(stderr, "mhv: %s is not the experiment of %s (its experiment.json)\n",
			file, resume);
		return -EINVAL;
	}
	return 0;
}

static char *default_dir(const char *file)
{
	const char *base = strrchr(file, '/');
	size_t len;
	char *d;

	base = base ? base + 1 : file;
	len = strlen(base);
	if (len > 5 && !strcmp(base + len - 5, ".json"))
		len -= 5;
	return asprintf(&d, "%.*s-results", (int)len, base) < 0 ? NULL : d;
}

/* A new results directory: experiment.json, meta.json, the CSV header. */
static int start_dir(struct exp_state *s, int api)
{
	char *json, *hdr, *p;
	int ret;

	if (mkdir(s->dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "mhv: %s: %s\n", s->dir, strerror(errno));
		return -errno;
	}
	p = path_in(s->dir, "results.csv");
	if (p && !access(p, F_OK)) {
		fprintf(stderr, "mhv: %s already holds results: use --resume %s, or another --out\n",
			s->dir, s->dir);
		free(p);
		return -EEXIST;
	}
	free(p);
	json = mhv_experiment_json(&s->e);
	hdr = mhv_results_header(&s->e);
	ret = json && hdr ? write_text(s->dir, "experiment.json", json) : -ENOMEM;
	if (!ret)
		ret = write_meta(s->dir, &s->e, s->order, s->n, api, NULL, 0);
	if (!ret) {
		/* the header without its newline: write_text adds it */
		hdr[strlen(hdr) - 1] = 0;
		ret = write_text(s->dir, "results.csv", hdr);
	}
	free(json);
	free(hdr);
	return ret;
}

static int experiment_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "resume", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct exp_state s = { 0 };
	const char *file = NULL, *out = NULL, *resume = NULL;
	char *dflt = NULL, *p;
	int c, ret, fd, api;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == 'r')
			resume = optarg;
		else
			goto usage;
	}
	if (optind < argc)
		file = argv[optind++];
	if (optind != argc || (!file && !resume) || (out && resume))
		goto usage;
	if (load_experiment(&s, file, resume))
		return MHV_EXIT_FAIL;
	s.dir = resume ? resume : out ? out : (dflt = default_dir(file));
	s.tty = isatty(STDERR_FILENO);
	ret = check_configs(&s.e);
	fd = ret ? -1 : mhv_open_or_explain();
	api = fd >= 0 ? mhv_get_api_version(fd) : 0;
	if (fd >= 0)
		mhv_close(fd);
	if (!ret && fd < 0)
		ret = fd;
	if (!ret) {
		ret = mhv_experiment_order(&s.e, &s.order);
		s.n = ret > 0 ? ret : 0;
		ret = ret < 0 ? ret : 0;
	}
	if (!ret)
		ret = resume ? resume_rows(&s) : start_dir(&s, api);
	s.values = calloc(s.e.nr_metrics, sizeof(double));
	p = path_in(s.dir, "results.csv");
	if (!ret && (!s.values || !p || !(s.csv = fopen(p, "ae"))))
		ret = -EIO;
	free(p);
	if (!ret) {
		fprintf(stderr, "mhv: %u configurations x %u repetitions, %u warm-up runs%s, into %s\n",
			mhv_experiment_nr_configs(&s.e), s.e.repetitions, s.e.warmup,
			s.done ? " (resuming)" : "", s.dir);
		ret = run_all(&s);
	}
	if (s.csv && fclose(s.csv) && !ret)
		ret = -EIO;
	if (!ret)
		ret = write_meta(s.dir, &s.e, s.order, s.n, api, s.meta, 1);
	if (!ret)
		printf("%u runs recorded in %s/results.csv\n", s.n, s.dir);
	if (s.meta)
		json_object_put(s.meta);
	free(s.values);
	free(s.order);
	free(dflt);
	mhv_experiment_free(&s.e);
	return ret ? MHV_EXIT_FAIL : MHV_EXIT_OK;
usage:
	mhv_usage("experiment");
	return MHV_EXIT_USAGE;
}

/* ---- dispatch -------------------------------------------------------------- */

int cmd_experiment(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "run"))
		return experiment_run(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "analyze"))
		return cmd_experiment_analyze(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "report"))
		return mhv_cmd_experiment_report(argc - 1, argv + 1);
	mhv_usage("experiment");
	return MHV_EXIT_USAGE;
}
