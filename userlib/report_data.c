// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - the data of a report: a results directory read by
 * mhv_results_load() (experiment.json, results.csv) plus its meta.json
 * (machine, versions, dates, run order), read here with json-c. Trusts
 * nothing: every member's presence and type is checked, and the first
 * problem is reported with its file and member.
 */
#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libmultios_hv.h"
#include "report_internal.h"

#define RESULTS_MAX_FILE	(64u << 20)	/* results.csv, meta.json */

static int res_fail(char *err, size_t errlen, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int res_fail(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return ret;
}

/* The whole file @dir/@name, NUL-terminated, into *@text. */
static int res_read_file(const char *dir, const char *name, char **text,
			 char *err, size_t errlen)
{
	char path[4096];
	size_t n = 0, cap = 0;
	char *buf = NULL, *nb;
	FILE *f;
	int e;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f) {
		e = errno;
		return res_fail(err, errlen, -e, "%s: %s", path, strerror(e));
	}
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 65536;
			nb = cap <= RESULTS_MAX_FILE ? realloc(buf, cap + 1) : NULL;
			if (!nb) {
				free(buf);
				fclose(f);
				return res_fail(err, errlen, -ENOMEM,
						"%s: too large", path);
			}
			buf = nb;
		}
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (got == 0)
			break;
	}
	e = ferror(f);
	fclose(f);
	if (e) {
		free(buf);
		return res_fail(err, errlen, -EIO, "%s: read error", path);
	}
	if (memchr(buf, 0, n)) {
		free(buf);
		return res_fail(err, errlen, -EINVAL, "%s: contains a NUL byte",
				path);
	}
	buf[n] = 0;
	*text = buf;
	return 0;
}

/* ---- meta.json ------------------------------------------------------------ */

/* A string member (or a number, as its text) of @o, duplicated. */
static int meta_str(json_object *o, const char *key, char **out,
		    char *err, size_t errlen)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !(json_object_is_type(v, json_type_string) ||
	      json_object_is_type(v, json_type_int) ||
	      json_object_is_type(v, json_type_double)))
		return res_fail(err, errlen, -EINVAL,
				"meta.json: \"%s\" missing or not a string",
				key);
	*out = strdup(json_object_get_string(v));
	return *out ? 0 : -ENOMEM;
}

/* A member of @o of type @t, or an error naming @what. */
static json_object *meta_get(json_object *o, const char *key, json_type t,
			     const char *what, char *err, size_t errlen)
{
	json_object *v;

	if (json_object_object_get_ex(o, key, &v) && json_object_is_type(v, t))
		return v;
	res_fail(err, errlen, -EINVAL, "meta.json: %s missing or not %s", what,
		 t == json_type_array ? "an array" : "an object");
	return NULL;
}

static int meta_order(struct mhv_results_meta *r, json_object *root,
		      unsigned int nr_configs, char *err, size_t errlen)
{
	json_object *a, *v;
	size_t i;
	int64_t x;

	a = meta_get(root, "order", json_type_array, "\"order\"", err, errlen);
	if (!a)
		return -EINVAL;
	r->nr_order = json_object_array_length(a);
	r->order = calloc(r->nr_order + 1, sizeof(*r->order));
	if (!r->order)
		return -ENOMEM;
	for (i = 0; i < r->nr_order; i++) {
		v = json_object_array_get_idx(a, i);
		x = json_object_is_type(v, json_type_int) ?
			json_object_get_int64(v) : -1;
		if (x < 0 || x >= nr_configs)
			return res_fail(err, errlen, -EINVAL,
					"meta.json: order[%zu] is not a configuration index",
					i);
		r->order[i] = (unsigned int)x;
	}
	return 0;
}

/* The members of the nested objects "machine" and "versions". */
static int meta_nested(struct mhv_results_meta *r, json_object *root,
		       char *err, size_t errlen)
{
	json_object *m, *v;
	int ret;

	m = meta_get(root, "machine", json_type_object, "\"machine\"", err,
		     errlen);
	v = m ? meta_get(root, "versions", json_type_object, "\"versions\"",
			 err, errlen) : NULL;
	if (!v)
		return -EINVAL;
	ret = meta_str(m, "cpu", &r->cpu, err, errlen);
	ret = ret ?: meta_str(m, "host_kernel", &r->host_kernel, err, errlen);
	ret = ret ?: meta_str(m, "hostname", &r->hostname, err, errlen);
	ret = ret ?: meta_str(v, "module", &r->v_module, err, errlen);
	ret = ret ?: meta_str(v, "library", &r->v_library, err, errlen);
	ret = ret ?: meta_str(v, "api", &r->v_api, err, errlen);
	return ret;
}

static int meta_parse(struct mhv_results_meta *r, const char *text,
		      unsigned int nr_configs, char *err, size_t errlen)
{
	enum json_tokener_error jerr;
	json_object *root, *a;
	int ret, format = 0;

	root = json_tokener_parse_verbose(text, &jerr);
	if (!root)
		return res_fail(err, errlen, -EINVAL, "meta.json: %s",
				json_tokener_error_desc(jerr));
	ret = -EINVAL;
	if (!json_object_is_type(root, json_type_object)) {
		res_fail(err, errlen, ret, "meta.json: not a JSON object");
		goto out;
	}
	if (json_object_object_get_ex(root, "format", &a))
		format = json_object_get_int(a);
	if (format != 1) {
		res_fail(err, errlen, ret,
			 "meta.json: \"format\" is not 1 (a newer mhv wrote it?)");
		goto out;
	}
	ret = meta_str(root, "seed", &r->seed, err, errlen);
	ret = ret ?: meta_order(r, root, nr_configs, err, errlen);
	ret = ret ?: meta_nested(r, root, err, errlen);
	ret = ret ?: meta_str(root, "started", &r->started, err, errlen);
	/* null until the last run ended (an interrupted experiment) */
	if (!ret && (!json_object_object_get_ex(root, "finished", &a) || a))
		ret = meta_str(root, "finished", &r->finished, err, errlen);
out:
	json_object_put(root);
	return ret;
}

int mhv_results_meta_load(struct mhv_results_meta *m, const char *dir,
			  unsigned int nr_configs, char *err, size_t errlen)
{
	char *text = NULL;
	int ret;

	memset(m, 0, sizeof(*m));
	ret = res_read_file(dir, "meta.json", &text, err, errlen);
	ret = ret ?: meta_parse(m, text, nr_configs, err, errlen);
	free(text);
	if (ret == -ENOMEM && err && errlen)
		snprintf(err, errlen, "%s/meta.json: out of memory", dir);
	if (ret)
		mhv_results_meta_free(m);
	return ret;
}

void mhv_results_meta_free(struct mhv_results_meta *m)
{
	free(m->seed);
	free(m->order);
	free(m->cpu);
	free(m->host_kernel);
	free(m->hostname);
	free(m->v_module);
	free(m->v_library);
	free(m->v_api);
	free(m->started);
	free(m->finished);
	memset(m, 0, sizeof(*m));
}

/* ---- the report's view of the results ------------------------------------ */

size_t report_level(const struct mhv_report *r, size_t config, size_t f)
{
	unsigned int lv[r->nfactors];

	mhv_experiment_levels(&r->res.e, (unsigned int)config, lv);
	return lv[f];
}

size_t report_samples(const struct mhv_report *r, size_t config,
		      size_t metric, double *out)
{
	size_t i, n = 0;

	for (i = 0; i < r->nrows; i++)
		if (config == (size_t)-1 || r->res.config[i] == config)
			out[n++] = mhv_results_value(&r->res, i, metric);
	return n;
}

int report_config_label(const struct mhv_report *r, size_t config,
			char *buf, size_t len)
{
	struct mhv_out o;
	size_t f;

	mhv_out_init(&o, buf, len);
	for (f = 0; f < r->nfactors; f++)
		mhv_out_printf(&o, "%s%s", f ? ", " : "",
			       r->factors[f].levels[report_level(r, config, f)]);
	return mhv_out_done(&o);
}

int mhv_report_numeric_factor(const struct mhv_report *r)
{
	size_t f, l;
	char *end;

	for (f = 0; f < r->nfactors; f++) {
		if (r->factors[f].nr_levels < 2)
			continue;
		for (l = 0; l < r->factors[f].nr_levels; l++) {
			const char *s = r->factors[f].levels[l];

			strtod(s, &end);
			if (!*s || *end)
				break;
		}
		if (l == r->factors[f].nr_levels)
			return (int)f;
	}
	return -1;
}

int mhv_report_open(struct mhv_report **rep, const char *dir, char *err,
		    size_t errlen)
{
	struct mhv_report *r = calloc(1, sizeof(*r));
	int ret;

	if (err && errlen)
		err[0] = 0;
	if (!r)
		return -ENOMEM;
	ret = mhv_results_load(&r->res, dir, err, errlen);
	if (ret) {
		free(r);
		return ret;
	}
	r->nconfigs = mhv_experiment_nr_configs(&r->res.e);
	ret = mhv_results_meta_load(&r->meta, dir, r->nconfigs, err, errlen);
	if (!ret && !r->res.nr_rows)
		ret = res_fail(err, errlen, -EINVAL,
			       "%s/results.csv: no finished runs", dir);
	if (ret) {
		mhv_results_meta_free(&r->meta);
		mhv_results_free(&r->res);
		free(r);
		return ret;
	}
	r->factors = r->res.e.factors;
	r->nfactors = r->res.e.nr_factors;
	r->metrics = r->res.e.metrics;
	r->nmetrics = r->res.e.nr_metrics;
	r->nrows = r->res.nr_rows;
	*rep = r;
	return 0;
}

void mhv_report_close(struct mhv_report *r)
{
	if (!r)
		return;
	mhv_results_meta_free(&r->meta);
	mhv_results_free(&r->res);
	free(r);
}
