// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - reading an experiment's results directory
 * (mhv_research.h, Documentation/research.rst "Results directory").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libmultios_hv.h"
#include "mhv_research.h"

char *mhv_results_header(const struct mhv_experiment *e)
{
	char *buf = NULL;
	size_t len = 0;
	unsigned int i;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fputs("run,config,repetition", f);
	for (i = 0; i < e->nr_factors; i++)
		fprintf(f, ",%s", e->factors[i].name);
	for (i = 0; i < e->nr_metrics; i++)
		fprintf(f, ",%s", e->metrics[i]);
	fputc('\n', f);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int __attribute__((format(printf, 4, 5)))
bad(char *err, size_t len, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return ret;
}

static int field_uint(char **p, unsigned int *v)
{
	char *s = strsep(p, ","), *end;
	unsigned long n;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || *end || n > 0xffffffffUL)
		return -EINVAL;
	*v = n;
	return 0;
}

/* One data line (its newline removed) into row @i of @r. */
static int parse_row(struct mhv_results *r, unsigned int i, char *line)
{
	const struct mhv_experiment *e = &r->e;
	unsigned int k, lv[e->nr_factors];
	char *s, *end;

	if (field_uint(&line, &r->run[i]) || field_uint(&line, &r->config[i]) ||
	    field_uint(&line, &r->repetition[i]) ||
	    r->config[i] >= mhv_experiment_nr_configs(e))
		return -EINVAL;
	mhv_experiment_levels(e, r->config[i], lv);
	for (k = 0; k < e->nr_factors; k++) {
		s = strsep(&line, ",");
		if (!s || strcmp(s, e->factors[k].levels[lv[k]]))
			return -EINVAL;
	}
	for (k = 0; k < e->nr_metrics; k++) {
		s = strsep(&line, ",");
		if (!s || !*s)
			return -EINVAL;
		r->values[(size_t)i * e->nr_metrics + k] = strtod(s, &end);
		if (*end)
			return -EINVAL;
	}
	return line ? -EINVAL : 0;
}

static int grow(struct mhv_results *r, unsigned int n)
{
	size_t m = r->e.nr_metrics;

	r->run = reallocarray(r->run, n, sizeof(*r->run));
	r->config = r->run ? reallocarray(r->config, n, sizeof(*r->config)) : NULL;
	r->repetition = r->config ?
		reallocarray(r->repetition, n, sizeof(*r->repetition)) : NULL;
	r->values = r->repetition ?
		reallocarray(r->values, n * m, sizeof(*r->values)) : NULL;
	return r->values ? 0 : -ENOMEM;
}

static int read_csv(struct mhv_results *r, FILE *f, const char *path,
		    char *err, size_t errlen)
{
	char *line = NULL, *want = mhv_results_header(&r->e);
	size_t cap = 0, nr = 0, rows = 0;
	ssize_t n;
	int ret = 0;

	if (!want)
		return -ENOMEM;
	n = getline(&line, &cap, f);
	if (n < 0 || strcmp(line, want)) {
		ret = bad(err, errlen, -EINVAL, "%s:1: the header is not %.*s",
			  path, (int)strlen(want) - 1, want);
		goto out;
	}
	r->csv_bytes = n;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] != '\n')
			break;	/* interrupted while writing: not a row */
		line[n - 1] = 0;
		if (nr == rows) {
			rows = rows ? rows * 2 : 64;
			ret = grow(r, rows);
			if (ret)
				goto out;
		}
		if (parse_row(r, nr, line)) {
			ret = bad(err, errlen, -EINVAL, "%s:%zu: not a row of this experiment",
				  path, nr + 2);
			goto out;
		}
		nr++;
		r->csv_bytes += n;
	}
out:
	r->nr_rows = nr;
	free(line);
	free(want);
	return ret;
}

int mhv_results_load(struct mhv_results *r, const char *dir, char *err,
		     size_t errlen)
{
	char *path = NULL;
	FILE *f;
	int ret;

	memset(r, 0, sizeof(*r));
	if (asprintf(&path, "%s/experiment.json", dir) < 0)
		return -ENOMEM;
	ret = mhv_experiment_load(&r->e, path, err, errlen);
	free(path);
	if (ret)
		return ret;
	if (asprintf(&path, "%s/results.csv", dir) < 0) {
		mhv_results_free(r);
		return -ENOMEM;
	}
	f = fopen(path, "re");
	if (!f)
		ret = bad(err, errlen, -errno, "%s: %s", path, strerror(errno));
	else
		ret = read_csv(r, f, path, err, errlen);
	if (f)
		fclose(f);
	free(path);
	if (ret)
		mhv_results_free(r);
	return ret;
}

void mhv_results_free(struct mhv_results *r)
{
	mhv_experiment_free(&r->e);
	free(r->run);
	free(r->config);
	free(r->repetition);
	free(r->values);
	memset(r, 0, sizeof(*r));
}
