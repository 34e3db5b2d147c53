// SPDX-License-Identifier: LGPL-2.1
/*
 * Unit tests of the experiment files, the run order and the results
 * directory (experiment.c, results.c; Documentation/research.rst). The
 * expected values come from the documented format: row-major numbering,
 * the JSON path in every error, each configuration exactly repetitions
 * times in the order, the same order from the same seed.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include "libmultios_hv.h"
#include "tests.h"

#define GOOD \
	"{ \"question\": \"q\", \"hypothesis\": \"h\",\n" \
	"  \"factors\": [ { \"name\": \"page_size\", \"levels\": [\"4k\", \"2m\"] },\n" \
	"                 { \"name\": \"count\", \"levels\": [10, 20, 30] } ],\n" \
	"  \"constants\": { \"workload\": \"cpuid\" },\n" \
	"  \"metrics\": [\"exits\", \"wall_ns\"], \"repetitions\": 4,\n" \
	"  \"warmup\": 1, \"seed\": 99 }"

static void test_parse_good(void)
{
	struct mhv_experiment e;
	struct mhv_exp_config c;
	unsigned int lv[2];
	char err[256] = "";

	CU_ASSERT_EQUAL_FATAL(mhv_experiment_parse(&e, GOOD, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(e.question, "q");
	CU_ASSERT_EQUAL(e.nr_factors, 2);
	CU_ASSERT_STRING_EQUAL(e.factors[1].levels[2], "30");
	CU_ASSERT_STRING_EQUAL(e.constants[MHV_EXP_WORKLOAD], "cpuid");
	CU_ASSERT_EQUAL(e.repetitions, 4);
	CU_ASSERT_EQUAL(e.warmup, 1);
	CU_ASSERT_EQUAL(e.seed, 99);
	CU_ASSERT_EQUAL(mhv_experiment_nr_configs(&e), 6);
	/* row-major: the last factor varies fastest */
	mhv_experiment_levels(&e, 4, lv);
	CU_ASSERT_EQUAL(lv[0], 1);
	CU_ASSERT_EQUAL(lv[1], 1);
	CU_ASSERT_EQUAL(mhv_experiment_config(&e, 2, &c, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(c.page_size, 4096);
	CU_ASSERT_EQUAL(c.count, 30);
	CU_ASSERT_EQUAL(c.workload, MHV_EXP_W_CPUID);
	CU_ASSERT_EQUAL(c.vcpus, 1);		/* defaults */
	CU_ASSERT_EQUAL(c.nesting, 1);
	CU_ASSERT_EQUAL(c.user_device, 0);
	CU_ASSERT_EQUAL(mhv_experiment_config(&e, 3, &c, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(c.page_size, 2U << 20);
	CU_ASSERT_EQUAL(c.count, 10);
	mhv_experiment_free(&e);
}

/* Each bad file: its error starts with the JSON path of the problem. */
static void test_parse_errors(void)
{
	static const struct { const char *text, *path; } bad[] = {
		{ "[1]", "$:" },
		{ "{ \"question\": ", "$: not JSON" },
		{ "{ \"hypothesis\": \"h\" }", "$.question:" },
		{ "{ \"question\": 1 }", "$.question: want string" },
		{ "{ \"question\": \"q\", \"hypothesis\": \"h\", \"factors\": [ { \"name\": \"colour\", \"levels\": [1] } ] }",
		  "$.factors[0].name: unknown factor 'colour'" },
		{ "{ \"question\": \"q\", \"hypothesis\": \"h\", \"factors\": [ { \"name\": \"page_size\", \"levels\": [\"4k\", \"3k\"] } ] }",
		  "$.factors[0].levels[1]: page_size '3k'" },
		{ "{ \"question\": \"q\", \"hypothesis\": \"h\", \"factors\": [ { \"name\": \"count\", \"levels\": [] } ] }",
		  "$.factors[0].levels: want a non-empty array" },
		{ "{ \"question\": \"q\", \"hypothesis\": \"h\", \"factors\": [ { \"name\": \"count\", \"levels\": [0] } ] }",
		  "$.factors[0].levels[0]: count '0'" },
		{ "{ \"question\": \"q\", \"hypothesis\": \"h\", \"factors\": [ { \"name\": \"count\", \"levels\": [1] } ] }",
		  "$.constants.workload: missing" },
		{ "{ \"question\": \"q\", \"hypothesis\": \"h\", \"factors\": [ { \"name\": \"count\", \"levels\": [1] } ],"
		  " \"constants\": { \"count\": 3 } }", "$.constants.count: 'count' is also a factor" },
		{ "{ \"question\": \"q\", \"hypothesis\": \"h\", \"factors\": [ { \"name\": \"workload\", \"levels\": [\"cpuid\"] } ],"
		  " \"metrics\": [\"a\", \"a\"] }", "$.metrics[1]: 'a' twice" },
		{ "{ \"question\": \"q\", \"hypothesis\": \"h\", \"factors\": [ { \"name\": \"workload\", \"levels\": [\"cpuid\"] } ],"
		  " \"metrics\": [\"a\"], \"repetitions\": 0, \"seed\": 1 }", "$.repetitions: want an integer" },
		{ "{ \"question\": \"q\", \"hypothesis\": \"h\", \"factors\": [ { \"name\": \"workload\", \"levels\": [\"cpuid\"] } ],"
		  " \"metrics\": [\"a\"], \"repetitions\": 1 }", "$.seed: missing" },
		{ "{ \"question\": \"q\", \"hypothesis\": \"h\", \"colour\": 1 }", "$.colour: unknown member" },
	};
	struct mhv_experiment e;
	char err[256];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		CU_ASSERT_EQUAL(mhv_experiment_parse(&e, bad[i].text, err, sizeof(err)), -EINVAL);
		if (strncmp(err, bad[i].path, strlen(bad[i].path)))
			fprintf(stderr, "\nfile %u: \"%s\", want \"%s...\"\n", i, err, bad[i].path);
		CU_ASSERT_EQUAL(strncmp(err, bad[i].path, strlen(bad[i].path)), 0);
	}
}

static void test_refused_configs(void)
{
	static const char *const consts[][2] = {
		{ "\"nesting\": 2", "nesting 2: nested virtualization does not exist yet" },
		{ "\"vcpus\": 2", "vcpus 2:" },
		{ "\"device_placement\": \"user\"", NULL },
	};
	struct mhv_experiment e;
	struct mhv_exp_config c;
	char text[1024], err[256];
	unsigned int i;

	for (i = 0; i < 3; i++) {
		snprintf(text, sizeof(text),
			 "{ \"question\": \"q\", \"hypothesis\": \"h\", \"factors\": [ { \"name\": \"workload\", \"levels\": [\"dma\", \"demo\"] } ],"
			 " \"constants\": { %s }, \"metrics\": [\"exits\"], \"repetitions\": 1, \"seed\": 1 }",
			 consts[i][0]);
		CU_ASSERT_EQUAL_FATAL(mhv_experiment_parse(&e, text, err, sizeof(err)), 0);
		err[0] = 0;
		CU_ASSERT_EQUAL(mhv_experiment_config(&e, 0, &c, err, sizeof(err)), -EINVAL);
		if (consts[i][1])
			CU_ASSERT_EQUAL(strncmp(err, consts[i][1], strlen(consts[i][1])), 0);
		/* a userspace device exists for the demo workload only */
		CU_ASSERT_EQUAL(mhv_experiment_config(&e, 1, &c, err, sizeof(err)),
				consts[i][1] ? -EINVAL : 0);
		mhv_experiment_free(&e);
	}
}

static void test_order(void)
{
	struct mhv_experiment e;
	unsigned int *a, *b, count[6] = { 0 }, i, same = 1;
	char err[256];

	CU_ASSERT_EQUAL_FATAL(mhv_experiment_parse(&e, GOOD, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(mhv_experiment_order(&e, &a), 24);
	CU_ASSERT_EQUAL_FATAL(mhv_experiment_order(&e, &b), 24);
	for (i = 0; i < 24; i++) {
		CU_ASSERT_EQUAL(a[i], b[i]);
		CU_ASSERT_FATAL(a[i] < 6);
		count[a[i]]++;
		same &= a[i] == i % 6;
	}
	for (i = 0; i < 6; i++)
		CU_ASSERT_EQUAL(count[i], 4);
	CU_ASSERT_FALSE(same);		/* shuffled */
	free(b);
	e.seed = 100;
	CU_ASSERT_EQUAL_FATAL(mhv_experiment_order(&e, &b), 24);
	CU_ASSERT_NOT_EQUAL(memcmp(a, b, 24 * sizeof(*a)), 0);
	free(a);
	free(b);
	mhv_experiment_free(&e);
}

/* experiment.json written by mhv_experiment_json() reads back the same. */
static void test_results_roundtrip(void)
{
	struct mhv_experiment e, e2;
	struct mhv_results r;
	char dir[] = "/tmp/mhv-unit-XXXXXX", path[256], err[256];
	char *json, *json2, *hdr;
	FILE *f;

	CU_ASSERT_EQUAL_FATAL(mhv_experiment_parse(&e, GOOD, err, sizeof(err)), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	json = mhv_experiment_json(&e);
	hdr = mhv_results_header(&e);
	CU_ASSERT_STRING_EQUAL(hdr, "run,config,repetition,page_size,count,exits,wall_ns\n");
	CU_ASSERT_EQUAL_FATAL(mhv_experiment_parse(&e2, json, err, sizeof(err)), 0);
	json2 = mhv_experiment_json(&e2);
	CU_ASSERT_STRING_EQUAL(json, json2);
	snprintf(path, sizeof(path), "%s/experiment.json", dir);
	f = fopen(path, "w");
	fputs(json, f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/results.csv", dir);
	f = fopen(path, "w");
	/* configuration 4: page_size 2m (4 / 3 = 1), count 20 (4 % 3 = 1) */
	fprintf(f, "%s0,4,0,2m,20,12,1.5\n1,0,0,4k,10,7,2\n2,1,0,4k,", hdr);
	fclose(f);
	CU_ASSERT_EQUAL_FATAL(mhv_results_load(&r, dir, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(r.nr_rows, 2);	/* the cut line is not a row */
	CU_ASSERT_EQUAL(r.config[0], 4);
	CU_ASSERT_EQUAL(mhv_results_value(&r, 0, 1), 1.5);
	CU_ASSERT_EQUAL(mhv_results_value(&r, 1, 0), 7);
	CU_ASSERT_EQUAL(r.csv_bytes, strlen(hdr) + strlen("0,4,0,2m,20,12,1.5\n1,0,0,4k,10,7,2\n"));
	mhv_results_free(&r);
	/* levels that do not match the configuration number: refused */
	f = fopen(path, "w");
	fprintf(f, "%s0,4,0,4k,20,12,1.5\n", hdr);
	fclose(f);
	CU_ASSERT_EQUAL(mhv_results_load(&r, dir, err, sizeof(err)), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "results.csv:2"));
	unlink(path);
	snprintf(path, sizeof(path), "%s/experiment.json", dir);
	unlink(path);
	rmdir(dir);
	free(json);
	free(json2);
	free(hdr);
	mhv_experiment_free(&e);
	mhv_experiment_free(&e2);
}

int register_experiment_tests(void)
{
	ADD_SUITE("experiment",
		  { "parse a good file", test_parse_good },
		  { "parse errors name the JSON path", test_parse_errors },
		  { "unsupported configurations refused", test_refused_configs },
		  { "seeded order", test_order },
		  { "results directory round trip", test_results_roundtrip });
}
