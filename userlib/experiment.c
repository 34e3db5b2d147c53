// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - experiments (mhv_research.h): the experiment file, the
 * randomized run order and one run of a configuration.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <json-c/json.h>

#include "libmultios_hv.h"
#include "mhv_research.h"

static const char *const setting_names[MHV_EXP_NR_SETTINGS] = {
	[MHV_EXP_PAGE_SIZE] = "page_size", [MHV_EXP_VCPUS] = "vcpus",
	[MHV_EXP_PLACEMENT] = "device_placement",
	[MHV_EXP_WORKLOAD] = "workload", [MHV_EXP_SIZE] = "size",
	[MHV_EXP_COUNT] = "count", [MHV_EXP_NESTING] = "nesting",
};

static const char *const workload_names[MHV_EXP_NR_WORKLOADS] = {
	[MHV_EXP_W_MEMORY_SEQ] = "memory_seq",
	[MHV_EXP_W_MEMORY_RANDOM] = "memory_random",
	[MHV_EXP_W_MEMORY_RETOUCH] = "memory_retouch",
	[MHV_EXP_W_CPUID] = "cpuid", [MHV_EXP_W_PIO] = "pio",
	[MHV_EXP_W_MMIO] = "mmio", [MHV_EXP_W_DEMO] = "demo",
	[MHV_EXP_W_DMA] = "dma", [MHV_EXP_W_COMPUTE] = "compute",
};

const char *mhv_exp_setting_name(enum mhv_exp_setting s)
{
	return s < MHV_EXP_NR_SETTINGS ? setting_names[s] : NULL;
}

const char *mhv_exp_workload_name(enum mhv_exp_workload w)
{
	return w < MHV_EXP_NR_WORKLOADS ? workload_names[w] : NULL;
}

static int lookup(const char *const *names, int n, const char *s)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], s))
			return i;
	return -1;
}

static int __attribute__((format(printf, 3, 4)))
fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (err && len) {
		va_start(ap, fmt);
		vsnprintf(err, len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* ---- the experiment file ---------------------------------------------- */

/* A positive (or, for nesting, any) integer in decimal. */
static int parse_uint(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || *end ? -EINVAL : 0;
}

/* Is @val a valid value of @s? Its meaning is checked per configuration. */
static int check_value(enum mhv_exp_setting s, const char *val,
		       const char *path, char *err, size_t len)
{
	static const char *const sizes[] = { "4k", "2m", "1g" };
	static const char *const places[] = { "kernel", "user" };
	uint64_t v;

	switch (s) {
	case MHV_EXP_PAGE_SIZE:
		if (lookup(sizes, 3, val) < 0)
			return fail(err, len, "%s: page_size '%s': want 4k, 2m or 1g",
				    path, val);
		return 0;
	case MHV_EXP_PLACEMENT:
		if (lookup(places, 2, val) < 0)
			return fail(err, len, "%s: device_placement '%s': want kernel or user",
				    path, val);
		return 0;
	case MHV_EXP_WORKLOAD:
		if (lookup(workload_names, MHV_EXP_NR_WORKLOADS, val) < 0)
			return fail(err, len, "%s: unknown workload '%s' (memory_seq, memory_random, memory_retouch, cpuid, pio, mmio, demo, dma, compute)",
				    path, val);
		return 0;
	default:
		if (parse_uint(val, &v) || !v || v > (1ULL << 40))
			return fail(err, len, "%s: %s '%s': want a positive integer",
				    path, setting_names[s], val);
		return 0;
	}
}

/* A level or constant: a string or an integer, kept as a string. */
static int value_string(json_object *o, const char *path, char **out,
			char *err, size_t len)
{
	if (json_object_is_type(o, json_type_string))
		*out = strdup(json_object_get_string(o));
	else if (json_object_is_type(o, json_type_int) &&
		 json_object_get_int64(o) >= 0)
		*out = strdup(json_object_to_json_string(o));
	else
		return fail(err, len, "%s: want a string or a non-negative integer",
			    path);
	return *out ? 0 : -ENOMEM;
}

static json_object *member(json_object *root, const char *key,
			   json_type type, int required, char *err,
			   size_t len, int *ret)
{
	json_object *o;

	*ret = 0;
	if (!json_object_object_get_ex(root, key, &o) || !o) {
		if (required)
			*ret = fail(err, len, "$.%s: missing", key);
		return NULL;
	}
	if (!json_object_is_type(o, type)) {
		*ret = fail(err, len, "$.%s: want %s", key,
			    json_type_to_name(type));
		return NULL;
	}
	return o;
}

static int parse_factor(struct mhv_exp_factor *f, json_object *o,
			unsigned int i, char *err, size_t len)
{
	char path[96];
	json_object *name, *levels;
	size_t j, n;
	int s, ret;

	snprintf(path, sizeof(path), "$.factors[%u]", i);
	if (!json_object_is_type(o, json_type_object))
		return fail(err, len, "%s: want an object with name and levels", path);
	if (!json_object_object_get_ex(o, "name", &name) ||
	    !json_object_is_type(name, json_type_string))
		return fail(err, len, "%s.name: missing or not a string", path);
	s = lookup(setting_names, MHV_EXP_NR_SETTINGS, json_object_get_string(name));
	if (s < 0)
		return fail(err, len, "%s.name: unknown factor '%s' (page_size, vcpus, device_placement, workload, size, count, nesting)",
			    path, json_object_get_string(name));
	f->setting = s;
	f->name = strdup(setting_names[s]);
	if (!f->name)
		return -ENOMEM;
	if (!json_object_object_get_ex(o, "levels", &levels) ||
	    !json_object_is_type(levels, json_type_array) ||
	    !json_object_array_length(levels))
		return fail(err, len, "%s.levels: want a non-empty array", path);
	n = json_object_array_length(levels);
	f->levels = calloc(n, sizeof(*f->levels));
	if (!f->levels)
		return -ENOMEM;
	f->nr_levels = n;
	for (j = 0; j < n; j++) {
		char lpath[128];

		snprintf(lpath, sizeof(lpath), "%s.levels[%zu]", path, j);
		ret = value_string(json_object_array_get_idx(levels, j), lpath,
				   &f->levels[j], err, len);
		if (!ret)
			ret = check_value(s, f->levels[j], lpath, err, len);
		if (ret)
			return ret;
	}
	return 0;
}

static int parse_factors(struct mhv_experiment *e, json_object *arr,
			 char *err, size_t len)
{
	size_t i, k, n = json_object_array_length(arr);
	int ret;

	if (!n)
		return fail(err, len, "$.factors: want at least one factor");
	e->factors = calloc(n, sizeof(*e->factors));
	if (!e->factors)
		return -ENOMEM;
	e->nr_factors = n;
	for (i = 0; i < n; i++) {
		ret = parse_factor(&e->factors[i], json_object_array_get_idx(arr, i),
				   i, err, len);
		if (ret)
			return ret;
		for (k = 0; k < i; k++)
			if (e->factors[k].setting == e->factors[i].setting)
				return fail(err, len, "$.factors[%zu].name: '%s' is already factor %zu",
					    i, e->factors[i].name, k);
	}
	return 0;
}

static int parse_constants(struct mhv_experiment *e, json_object *obj,
			   char *err, size_t len)
{
	char path[96];
	unsigned int i;
	int s, ret;

	json_object_object_foreach(obj, key, val) {
		snprintf(path, sizeof(path), "$.constants.%s", key);
		s = lookup(setting_names, MHV_EXP_NR_SETTINGS, key);
		if (s < 0)
			return fail(err, len, "%s: unknown setting", path);
		for (i = 0; i < e->nr_factors; i++)
			if (e->factors[i].setting == (unsigned int)s)
				return fail(err, len, "%s: '%s' is also a factor",
					    path, key);
		ret = value_string(val, path, &e->constants[s], err, len);
		if (!ret)
			ret = check_value(s, e->constants[s], path, err, len);
		if (ret)
			return ret;
	}
	return 0;
}

static int parse_metrics(struct mhv_experiment *e, json_object *arr,
			 char *err, size_t len)
{
	size_t i, k, n = json_object_array_length(arr);

	if (!n)
		return fail(err, len, "$.metrics: want at least one metric");
	e->metrics = calloc(n, sizeof(*e->metrics));
	if (!e->metrics)
		return -ENOMEM;
	e->nr_metrics = n;
	for (i = 0; i < n; i++) {
		json_object *m = json_object_array_get_idx(arr, i);
		const char *s;

		if (!json_object_is_type(m, json_type_string) ||
		    !*(s = json_object_get_string(m)) ||
		    strcspn(s, ",\"\n\r ") != strlen(s))
			return fail(err, len, "$.metrics[%zu]: want a statistic's name", i);
		for (k = 0; k < i; k++)
			if (!strcmp(e->metrics[k], s))
				return fail(err, len, "$.metrics[%zu]: '%s' twice", i, s);
		e->metrics[i] = strdup(s);
		if (!e->metrics[i])
			return -ENOMEM;
	}
	return 0;
}

static int parse_count(json_object *root, const char *key, int required,
		       uint64_t min, uint64_t *v, char *err, size_t len)
{
	json_object *o;
	int ret;

	o = member(root, key, json_type_int, required, err, len, &ret);
	if (ret || !o)
		return ret;
	if (json_object_get_int64(o) < (int64_t)min ||
	    json_object_get_int64(o) > 1000000)
		return fail(err, len, "$.%s: want an integer from %" PRIu64 " to 1000000",
			    key, min);
	*v = json_object_get_int64(o);
	return 0;
}

static int parse_root(struct mhv_experiment *e, json_object *root,
		      char *err, size_t len)
{
	static const char *const known[] = {
		"question", "hypothesis", "factors", "constants", "metrics",
		"repetitions", "warmup", "seed", "comment",
	};
	json_object *o;
	uint64_t v = 0;
	int ret;

	if (!json_object_is_type(root, json_type_object))
		return fail(err, len, "$: want an object");
	json_object_object_foreach(root, key, val) {
		(void)val;
		if (lookup(known, sizeof(known) / sizeof(known[0]), key) < 0)
			return fail(err, len, "$.%s: unknown member", key);
	}
	o = member(root, "question", json_type_string, 1, err, len, &ret);
	if (ret)
		return ret;
	e->question = strdup(json_object_get_string(o));
	o = member(root, "hypothesis", json_type_string, 1, err, len, &ret);
	if (ret)
		return ret;
	e->hypothesis = strdup(json_object_get_string(o));
	if (!e->question || !e->hypothesis)
		return -ENOMEM;
	o = member(root, "factors", json_type_array, 1, err, len, &ret);
	if (ret || (ret = parse_factors(e, o, err, len)))
		return ret;
	o = member(root, "constants", json_type_object, 0, err, len, &ret);
	if (ret || (o && (ret = parse_constants(e, o, err, len))))
		return ret;
	if (!e->constants[MHV_EXP_WORKLOAD] &&
	    !mhv_exp_factor_of(e, MHV_EXP_WORKLOAD))
		return fail(err, len, "$.constants.workload: missing (nor is workload a factor)");
	o = member(root, "metrics", json_type_array, 1, err, len, &ret);
	if (ret || (ret = parse_metrics(e, o, err, len)))
		return ret;
	ret = parse_count(root, "repetitions", 1, 1, &v, err, len);
	if (ret)
		return ret;
	e->repetitions = v;
	v = 0;
	ret = parse_count(root, "warmup", 0, 0, &v, err, len);
	if (ret)
		return ret;
	e->warmup = v;
	o = member(root, "seed", json_type_int, 1, err, len, &ret);
	if (ret)
		return ret;
	if (json_object_get_int64(o) < 0)
		return fail(err, len, "$.seed: want a non-negative integer");
	e->seed = json_object_get_int64(o);
	return 0;
}

int mhv_experiment_parse(struct mhv_experiment *e, const char *text,
			 char *err, size_t errlen)
{
	struct json_tokener *tok;
	json_object *root;
	int ret;

	memset(e, 0, sizeof(*e));
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	root = json_tokener_parse_ex(tok, text, strlen(text) + 1);
	if (!root) {
		ret = fail(err, errlen, "$: not JSON: %s (at byte %zu)",
			   json_tokener_error_desc(json_tokener_get_error(tok)),
			   json_tokener_get_parse_end(tok));
		json_tokener_free(tok);
		return ret;
	}
	json_tokener_free(tok);
	ret = parse_root(e, root, err, errlen);
	json_object_put(root);
	if (ret)
		mhv_experiment_free(e);
	return ret;
}

int mhv_experiment_load(struct mhv_experiment *e, const char *path,
			char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	char *text = NULL;
	size_t n = 0;
	int ret;

	memset(e, 0, sizeof(*e));
	if (!f) {
		ret = -errno;
		fail(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	ret = getdelim(&text, &n, '\0', f) < 0 ? -EIO : 0;
	fclose(f);
	if (ret) {
		free(text);
		return fail(err, errlen, "%s: cannot read it", path);
	}
	ret = mhv_experiment_parse(e, text, err, errlen);
	free(text);
	return ret;
}

void mhv_experiment_free(struct mhv_experiment *e)
{
	unsigned int i, j;

	for (i = 0; i < e->nr_factors; i++) {
		for (j = 0; j < e->factors[i].nr_levels; j++)
			free(e->factors[i].levels[j]);
		free(e->factors[i].levels);
		free(e->factors[i].name);
	}
	for (i = 0; i < e->nr_metrics; i++)
		free(e->metrics[i]);
	for (i = 0; i < MHV_EXP_NR_SETTINGS; i++)
		free(e->constants[i]);
	free(e->factors);
	free(e->metrics);
	free(e->question);
	free(e->hypothesis);
	memset(e, 0, sizeof(*e));
}

const struct mhv_exp_factor *mhv_exp_factor_of(const struct mhv_experiment *e,
					       enum mhv_exp_setting s)
{
	unsigned int i;

	for (i = 0; i < e->nr_factors; i++)
		if (e->factors[i].setting == s)
			return &e->factors[i];
	return NULL;
}

static json_object *strings_json(char *const *s, unsigned int n)
{
	json_object *a = json_object_new_array();
	unsigned int i;

	for (i = 0; a && i < n; i++)
		json_object_array_add(a, json_object_new_string(s[i]));
	return a;
}

char *mhv_experiment_json(const struct mhv_experiment *e)
{
	json_object *root = json_object_new_object(), *fs, *cs, *f;
	unsigned int i;
	char *out;

	if (!root)
		return NULL;
	json_object_object_add(root, "question", json_object_new_string(e->question));
	json_object_object_add(root, "hypothesis", json_object_new_string(e->hypothesis));
	fs = json_object_new_array();
	for (i = 0; i < e->nr_factors; i++) {
		f = json_object_new_object();
		json_object_object_add(f, "name", json_object_new_string(e->factors[i].name));
		json_object_object_add(f, "levels", strings_json(e->factors[i].levels,
								 e->factors[i].nr_levels));
		json_object_array_add(fs, f);
	}
	json_object_object_add(root, "factors", fs);
	cs = json_object_new_object();
	for (i = 0; i < MHV_EXP_NR_SETTINGS; i++)
		if (e->constants[i])
			json_object_object_add(cs, setting_names[i],
					       json_object_new_string(e->constants[i]));
	json_object_object_add(root, "constants", cs);
	json_object_object_add(root, "metrics", strings_json(e->metrics, e->nr_metrics));
	json_object_object_add(root, "repetitions", json_object_new_int64(e->repetitions));
	json_object_object_add(root, "warmup", json_object_new_int64(e->warmup));
	json_object_object_add(root, "seed", json_object_new_int64(e->seed));
	out = strdup(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_SPACED));
	json_object_put(root);
	return out;
}

/* ---- configurations and order ------------------------------------------ */

unsigned int mhv_experiment_nr_configs(const struct mhv_experiment *e)
{
	unsigned int i, n = 1;

	for (i = 0; i < e->nr_factors; i++)
		n *= e->factors[i].nr_levels;
	return n;
}

void mhv_experiment_levels(const struct mhv_experiment *e, unsigned int config,
			   unsigned int *levels)
{
	unsigned int i = e->nr_factors;

	while (i--) {
		levels[i] = config % e->factors[i].nr_levels;
		config /= e->factors[i].nr_levels;
	}
}

static const char *const setting_defaults[MHV_EXP_NR_SETTINGS] = {
	[MHV_EXP_PAGE_SIZE] = "4k", [MHV_EXP_VCPUS] = "1",
	[MHV_EXP_PLACEMENT] = "kernel", [MHV_EXP_SIZE] = "1",
	[MHV_EXP_COUNT] = "1000", [MHV_EXP_NESTING] = "1",
};

static int resolve(struct mhv_exp_config *c, const char **v, char *err,
		   size_t len)
{
	uint64_t n;

	memset(c, 0, sizeof(*c));
	c->page_size = !strcmp(v[MHV_EXP_PAGE_SIZE], "4k") ? 4096 :
		       !strcmp(v[MHV_EXP_PAGE_SIZE], "2m") ? 2U << 20 : 1U << 30;
	parse_uint(v[MHV_EXP_VCPUS], &n);
	c->vcpus = n;
	c->user_device = !strcmp(v[MHV_EXP_PLACEMENT], "user");
	c->workload = lookup(workload_names, MHV_EXP_NR_WORKLOADS,
			     v[MHV_EXP_WORKLOAD]);
	parse_uint(v[MHV_EXP_SIZE], &c->size);
	parse_uint(v[MHV_EXP_COUNT], &c->count);
	parse_uint(v[MHV_EXP_NESTING], &n);
	c->nesting = n;

	if (c->nesting > 1)
		return fail(err, len, "nesting %u: nested virtualization does not exist yet in multios_hv (only nesting 1, an ordinary guest)",
			    c->nesting);
	if (c->vcpus != 1)
		return fail(err, len, "vcpus %u: experiment guests have 1 vCPU until multios_hv runs SMP guests",
			    c->vcpus);
	if (c->workload <= MHV_EXP_W_MEMORY_RETOUCH && c->size > 1024)
		return fail(err, len, "size %" PRIu64 ": memory workloads touch at most 1024 MiB",
			    c->size);
	if (c->workload == MHV_EXP_W_DMA && c->size > MHV_EDU_BUF_SIZE)
		return fail(err, len, "size %" PRIu64 ": an edu DMA moves at most %u bytes",
			    c->size, MHV_EDU_BUF_SIZE);
	if (c->workload == MHV_EXP_W_DMA && c->user_device)
		return fail(err, len, "device_placement user: only the demo workload has a userspace device model");
	return 0;
}

int mhv_experiment_config(const struct mhv_experiment *e, unsigned int config,
			  struct mhv_exp_config *c, char *err, size_t errlen)
{
	const char *v[MHV_EXP_NR_SETTINGS];
	unsigned int i, lv[e->nr_factors ? e->nr_factors : 1];

	if (config >= mhv_experiment_nr_configs(e))
		return fail(err, errlen, "no configuration %u", config);
	for (i = 0; i < MHV_EXP_NR_SETTINGS; i++)
		v[i] = e->constants[i] ? e->constants[i] : setting_defaults[i];
	mhv_experiment_levels(e, config, lv);
	for (i = 0; i < e->nr_factors; i++)
		v[e->factors[i].setting] = e->factors[i].levels[lv[i]];
	return resolve(c, v, err, errlen);
}

int mhv_experiment_order(const struct mhv_experiment *e, unsigned int **order)
{
	unsigned int nc = mhv_experiment_nr_configs(e), i, n;
	gsl_rng *rng;

	n = nc * e->repetitions;
	*order = calloc(n ? n : 1, sizeof(**order));
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!*order || !rng) {
		free(*order);
		*order = NULL;
		if (rng)
			gsl_rng_free(rng);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		(*order)[i] = i % nc;
	gsl_rng_set(rng, e->seed);
	gsl_ran_shuffle(rng, *order, n, sizeof(**order));
	gsl_rng_free(rng);
	return n;
}
