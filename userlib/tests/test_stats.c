// SPDX-License-Identifier: LGPL-2.1
/*
 * The binary stats reader against hand-built files (well formed and
 * broken), log2 histogram percentiles, the performance monitor's metrics
 * and alerts, and profile summaries against data sets whose mean,
 * standard deviation and percentiles were worked out by hand:
 *   percentile q of n sorted values x[0..n-1]: h = (n - 1) q,
 *   x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]).
 */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "libmultios_hv.h"
#include "tests.h"

#define NAME	MHV_STATS_NAME_SIZE
#define DESC	(sizeof(struct mhv_stats_desc) + NAME)
#define NDESC	3
#define DOFF	(sizeof(struct mhv_stats_header) + MHV_STATS_ID_SIZE)
#define DATA	(DOFF + NDESC * DESC)
#define NDATA	6

struct file {
	uint8_t b[DATA + NDATA * 8];
};

static void put_desc(struct file *f, unsigned int i, uint32_t flags,
		     int16_t exp, uint16_t size, uint32_t off, const char *n)
{
	struct mhv_stats_desc d = { .flags = flags, .exponent = exp,
				    .size = size, .offset = off };

	memcpy(f->b + DOFF + i * DESC, &d, sizeof(d));
	strncpy((char *)f->b + DOFF + i * DESC + sizeof(d), n, NAME - 1);
}

/* exits = 42, pages_mapped = 3 (4K pages), lat: 4 buckets of ns */
static void build(struct file *f)
{
	struct mhv_stats_header h = {
		.magic = MHV_STATS_MAGIC, .name_size = NAME, .num_desc = NDESC,
		.id_offset = sizeof(h), .desc_offset = DOFF, .desc_size = DESC,
		.data_offset = DATA, .data_size = NDATA * 8,
	};
	uint64_t data[NDATA] = { 42, 3, 0, 4, 4, 2 };

	memset(f, 0, sizeof(*f));
	memcpy(f->b, &h, sizeof(h));
	strcpy((char *)f->b + sizeof(h), "vm1/vcpu0");
	put_desc(f, 0, MHV_STATS_TYPE_COUNTER, 0, 1, 0, "exits");
	put_desc(f, 1, MHV_STATS_TYPE_INSTANT | MHV_STATS_UNIT_BYTES |
		 MHV_STATS_BASE_POW2, 12, 1, 8, "pages_mapped");
	put_desc(f, 2, MHV_STATS_TYPE_HIST_LOG2 | MHV_STATS_UNIT_SECONDS, -9,
		 4, 16, "lat");
	memcpy(f->b + DATA, data, sizeof(data));
}

static struct mhv_stats_header *hdr(struct file *f)
{
	return (struct mhv_stats_header *)f->b;
}

static void test_parse(void)
{
	struct mhv_stats_reader r;
	const struct mhv_stat_field *lat;
	struct file f;
	uint64_t v;

	build(&f);
	CU_ASSERT_EQUAL_FATAL(mhv_stats_parse(&r, f.b, sizeof(f.b)), 0);
	CU_ASSERT_STRING_EQUAL(r.id, "vm1/vcpu0");
	CU_ASSERT_EQUAL(r.nr, 3);
	CU_ASSERT_EQUAL(mhv_stats_get(&r, "exits", &v), 0);
	CU_ASSERT_EQUAL(v, 42);
	CU_ASSERT_EQUAL(mhv_stats_value(&r, "pages_mapped"), 3);
	CU_ASSERT_DOUBLE_EQUAL(mhv_stat_scale(mhv_stats_find(&r, "pages_mapped")),
			       4096, 1e-9);
	CU_ASSERT_EQUAL(mhv_stats_get(&r, "nope", &v), -ENOENT);
	CU_ASSERT_EQUAL(mhv_stats_value(&r, "nope"), 0);
	lat = mhv_stats_find(&r, "lat");
	CU_ASSERT_PTR_NOT_NULL_FATAL(lat);
	CU_ASSERT_DOUBLE_EQUAL(mhv_stat_scale(lat), 1e-9, 1e-18);
	CU_ASSERT_STRING_EQUAL(mhv_stat_type_name(lat->flags), "histogram");
	CU_ASSERT_EQUAL(mhv_hist_count(mhv_stats_values(&r, lat), lat->size), 10);
	mhv_stats_close(&r);

	/* header and descriptors only: values are zero until read */
	CU_ASSERT_EQUAL_FATAL(mhv_stats_parse(&r, f.b, DATA), 0);
	CU_ASSERT_EQUAL(mhv_stats_value(&r, "exits"), 0);
	CU_ASSERT_EQUAL(mhv_stats_refresh(&r), -EBADF);
	mhv_stats_close(&r);
}

/* A later module may append fields to a descriptor: desc_size grows. */
static void test_parse_larger_desc(void)
{
	struct mhv_stats_reader r;
	uint8_t b[2048];
	struct file f;
	unsigned int i;

	build(&f);
	memset(b, 0, sizeof(b));
	memcpy(b, f.b, DOFF);
	for (i = 0; i < NDESC; i++)
		memcpy(b + DOFF + i * (DESC + 16), f.b + DOFF + i * DESC, DESC);
	((struct mhv_stats_header *)b)->desc_size = DESC + 16;
	((struct mhv_stats_header *)b)->data_offset = DOFF + NDESC * (DESC + 16);
	memcpy(b + DOFF + NDESC * (DESC + 16), f.b + DATA, NDATA * 8);
	CU_ASSERT_EQUAL_FATAL(mhv_stats_parse(&r, b, sizeof(b)), 0);
	CU_ASSERT_EQUAL(mhv_stats_value(&r, "exits"), 42);
	CU_ASSERT_EQUAL(mhv_stats_value(&r, "pages_mapped"), 3);
	mhv_stats_close(&r);
}

static void expect_broken(struct file *f, size_t len)
{
	struct mhv_stats_reader r;

	CU_ASSERT_EQUAL(mhv_stats_parse(&r, f->b, len), -EPROTO);
}

static void test_parse_broken(void)
{
	struct mhv_stats_desc *d;
	struct file f;

	build(&f);
	expect_broken(&f, sizeof(struct mhv_stats_header) - 1);
	expect_broken(&f, DATA - 1);		/* descriptors cut short */
	build(&f);
	hdr(&f)->magic ^= 1;
	expect_broken(&f, sizeof(f.b));
	build(&f);
	hdr(&f)->num_desc = 1000;		/* past the data offset */
	expect_broken(&f, sizeof(f.b));
	build(&f);
	hdr(&f)->desc_size = sizeof(struct mhv_stats_desc);	/* no name */
	expect_broken(&f, sizeof(f.b));
	build(&f);
	d = (struct mhv_stats_desc *)(f.b + DOFF + 2 * DESC);
	d->size = 5;				/* buckets past the data */
	expect_broken(&f, sizeof(f.b));
	build(&f);
	d = (struct mhv_stats_desc *)(f.b + DOFF);
	d->flags = 7;				/* unknown type */
	expect_broken(&f, sizeof(f.b));
	build(&f);
	d = (struct mhv_stats_desc *)(f.b + DOFF);
	d->size = 2;				/* a counter has one value */
	expect_broken(&f, sizeof(f.b));
	build(&f);
	memset(f.b + DOFF + sizeof(*d), 'x', NAME);	/* no NUL */
	expect_broken(&f, sizeof(f.b));
	build(&f);
	d = (struct mhv_stats_desc *)(f.b + DOFF);
	d->offset = 4;				/* not a u64 */
	expect_broken(&f, sizeof(f.b));
}

static void test_format(void)
{
	struct mhv_stats_reader r;
	struct file f;
	char buf[4096];

	build(&f);
	CU_ASSERT_EQUAL_FATAL(mhv_stats_parse(&r, f.b, sizeof(f.b)), 0);
	CU_ASSERT(mhv_stats_reader_format(&r, 0, buf, sizeof(buf)) > 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "exits"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "12288 bytes"));	/* 3 pages */
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "count 10"));
	CU_ASSERT(mhv_stats_reader_json(&r, buf, sizeof(buf)) > 0);
	CU_ASSERT(json_valid(buf));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"exits\": 42"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"p50_ns\": 5"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"buckets\": [0, 4, 4, 2]"));
	mhv_stats_close(&r);
}

/* Field 0 of build() as instant @field = @v: printed "@field NAME (v)". */
static void expect_named(const char *field, uint64_t v, const char *name)
{
	struct mhv_stats_reader r;
	struct file f;
	char buf[4096], want[64];

	build(&f);
	put_desc(&f, 0, MHV_STATS_TYPE_INSTANT, 0, 1, 0, field);
	memcpy(f.b + DATA, &v, sizeof(v));
	CU_ASSERT_EQUAL_FATAL(mhv_stats_parse(&r, f.b, sizeof(f.b)), 0);
	CU_ASSERT(mhv_stats_reader_format(&r, 0, buf, sizeof(buf)) > 0);
	snprintf(want, sizeof(want), "%-28s %s (%llu)\n", field, name,
		 (unsigned long long)v);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, want));
	/* JSON keeps the number */
	CU_ASSERT(mhv_stats_reader_json(&r, buf, sizeof(buf)) > 0);
	snprintf(want, sizeof(want), "\"%s\": %llu", field,
		 (unsigned long long)v);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, want));
	mhv_stats_close(&r);
}

/*
 * A VM's "state" (and "error") are enums: printed by name with the
 * number, as mhv list names states; CREATED (0) too; JSON keeps numbers.
 */
static void test_format_state(void)
{
	expect_named("state", MHV_VM_PAUSED, "PAUSED");
	expect_named("state", MHV_VM_CREATED, "CREATED");
	expect_named("error", MHV_ERR_TRIPLE_FAULT, "triple fault");
}

/*
 * Buckets [0,2) 0, [2,4) 4, [4,8) 4, [8,16) 2: rank 5 of 10 is the first
 * of 4 in [4,8): 4 + 4 * 1/4 = 5; rank 9 the first of 2 in [8,16):
 * 8 + 8 * 1/2 = 12; rank 10 the end, 16.
 */
static void test_hist_percentile(void)
{
	uint64_t b[4] = { 0, 4, 4, 2 }, none[4] = { 0 };

	CU_ASSERT_DOUBLE_EQUAL(mhv_hist_percentile(b, 4, 50), 5, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(mhv_hist_percentile(b, 4, 90), 12, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(mhv_hist_percentile(b, 4, 100), 16, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(mhv_hist_percentile(b, 4, 0), 2.5, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(mhv_hist_percentile(none, 4, 50), 0, 1e-9);
	CU_ASSERT_EQUAL(mhv_hist_count(b, 4), 10);
}

static void summary_of(const double *v, size_t n,
		       struct mhv_profile_summary *s)
{
	struct mhv_profile p;
	size_t i;

	mhv_profile_begin(&p, "t");
	for (i = 0; i < n; i++)
		CU_ASSERT_EQUAL(mhv_profile_add(&p, v[i]), 0);
	CU_ASSERT_EQUAL(mhv_profile_summary(&p, s), 0);
	mhv_profile_end(&p);
}

/* 1..10 shuffled: mean 5.5, variance 110/12, p90 at h = 8.1: 9.1 */
static void test_profile_1_to_10(void)
{
	const double v[] = { 7, 3, 10, 1, 5, 9, 2, 8, 6, 4 };
	struct mhv_profile_summary s;

	summary_of(v, 10, &s);
	CU_ASSERT_EQUAL(s.count, 10);
	CU_ASSERT_DOUBLE_EQUAL(s.mean, 5.5, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(s.min, 1, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(s.max, 10, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(s.stddev, 3.0276503540974917, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(s.p50, 5.5, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(s.p90, 9.1, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(s.p99, 9.91, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(s.p999, 9.991, 1e-12);
}

/*
 * 2 4 4 4 5 5 7 9: mean 5, squares of deviations 32, sample variance
 * 32/7; p50 at h = 3.5: 4.5; p90 at 6.3: 7 + 0.3 * 2; p99 at 6.93;
 * p99.9 at 6.993.
 */
static void test_profile_classic(void)
{
	const double v[] = { 5, 9, 4, 2, 4, 7, 4, 5 };
	struct mhv_profile_summary s;

	summary_of(v, 8, &s);
	CU_ASSERT_DOUBLE_EQUAL(s.mean, 5, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(s.stddev, 2.138089935299395, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(s.p50, 4.5, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(s.p90, 7.6, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(s.p99, 8.86, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(s.p999, 8.986, 1e-12);
}

static void test_profile_edges(void)
{
	const double one = 42;
	struct mhv_profile_summary s;
	struct mhv_profile p;
	char buf[512];
	int i;

	summary_of(&one, 1, &s);
	CU_ASSERT_DOUBLE_EQUAL(s.stddev, 0, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(s.p999, 42, 1e-12);
	mhv_profile_begin(&p, "empty");
	CU_ASSERT_EQUAL(mhv_profile_summary(&p, &s), -ENODATA);
	CU_ASSERT(mhv_profile_format(&p, "ns", buf, sizeof(buf)) > 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "no values"));
	/* grows past its first allocation; 1000 values 0..999 */
	for (i = 999; i >= 0; i--)
		mhv_profile_add(&p, i);
	CU_ASSERT_EQUAL(mhv_profile_summary(&p, &s), 0);
	CU_ASSERT_DOUBLE_EQUAL(s.p50, 499.5, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(s.p999, 998.001, 1e-9);
	CU_ASSERT(mhv_profile_format(&p, "ns", buf, sizeof(buf)) > 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "1000 values"));
	mhv_profile_end(&p);
}

static void test_metrics(void)
{
	struct mhv_monitor_counters a = {
		.time = 10, .exits = 100, .guest_ns = 1000000000,
		.hyp_ns = 250000000, .pages_mapped = 5, .npf = 5, .io = 7,
		.dev = 1,
	};
	struct mhv_monitor_counters b = {
		.time = 12, .exits = 1100, .guest_ns = 2000000000,
		.hyp_ns = 500000000, .pages_mapped = 9, .npf = 9, .io = 107,
		.dev = 21,
	};
	double v[MHV_METRIC_NR];

	mhv_metrics_compute(&a, &b, v);
	CU_ASSERT_DOUBLE_EQUAL(v[MHV_METRIC_EXIT_RATE], 500, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(v[MHV_METRIC_HV_OVERHEAD], 0.2, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(v[MHV_METRIC_MEMORY_USED], 9 * 4096, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(v[MHV_METRIC_NPF_RATE], 2, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(v[MHV_METRIC_IO_RATE], 50, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(v[MHV_METRIC_DEV_RATE], 10, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(v[MHV_METRIC_GUEST_CPU], 0.5, 1e-12);
	CU_ASSERT_STRING_EQUAL(mhv_metric_name(MHV_METRIC_GUEST_CPU), "guest_cpu");
	CU_ASSERT_EQUAL(mhv_metric_from_name("io_rate"), MHV_METRIC_IO_RATE);
	CU_ASSERT_EQUAL(mhv_metric_from_name("nope"), -EINVAL);
}

/* exit rates 500, 600, 100, 1000 against a threshold of 400: 2 alerts */
static void test_monitor_alerts(void)
{
	const uint64_t exits[] = { 0, 500, 1100, 1200, 2200 };
	struct mhv_monitor_config cfg;
	struct mhv_monitor m;
	struct mhv_monitor_counters c;
	int got[5], i;
	char buf[4096];

	mhv_monitor_config_default(&cfg);
	CU_ASSERT_EQUAL(cfg.interval_ms, 1000);
	cfg.retention = 3;
	cfg.threshold[MHV_METRIC_EXIT_RATE] = 400;
	CU_ASSERT_EQUAL_FATAL(mhv_monitor_init(&m, &cfg, -1), 0);
	for (i = 0; i < 5; i++) {
		memset(&c, 0, sizeof(c));
		c.time = i;
		c.exits = exits[i];
		got[i] = mhv_monitor_feed(&m, &c);
	}
	CU_ASSERT_EQUAL(got[0], 0);
	CU_ASSERT_EQUAL(got[1], 1);
	CU_ASSERT_EQUAL(got[2], 0);	/* still above: no new alert */
	CU_ASSERT_EQUAL(got[3], 0);
	CU_ASSERT_EQUAL(got[4], 1);
	CU_ASSERT_EQUAL(m.total_alerts, 2);
	CU_ASSERT_DOUBLE_EQUAL(m.alerts[1].value, 1000, 1e-9);
	/* 4 samples, 3 kept: the oldest kept is the rate 600 */
	CU_ASSERT_EQUAL(m.nr_samples, 3);
	CU_ASSERT_DOUBLE_EQUAL(mhv_monitor_get(&m, 0)->value[MHV_METRIC_EXIT_RATE],
			       600, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(mhv_monitor_get(&m, 2)->value[MHV_METRIC_EXIT_RATE],
			       1000, 1e-9);
	CU_ASSERT_PTR_NULL(mhv_monitor_get(&m, 3));
	CU_ASSERT(mhv_monitor_report(&m, buf, sizeof(buf)) > 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "alerts: 2"));
	/* mean of 600, 100, 1000 */
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "566.667"));
	mhv_monitor_free(&m);
}

static void test_flight_format(void)
{
	struct mhv_flight_recorder fr;
	char buf[4096];

	memset(&fr, 0, sizeof(fr));
	strcpy(fr.vm_name, "crashy");
	fr.nr = 2;
	fr.total = 9;
	fr.flags = MHV_FLIGHT_F_FROZEN;
	fr.error = MHV_ERR_TRIPLE_FAULT;
	fr.entries[0] = (struct mhv_flight_entry){ .time_ns = 1000,
		.rip = 0x1003, .code = 0x72, .type = MHV_X_CPUID };
	fr.entries[1] = (struct mhv_flight_entry){ .time_ns = 3500,
		.rip = 0x1010, .code = 0x7f, .type = MHV_X_SHUTDOWN };
	CU_ASSERT(mhv_flight_format(&fr, buf, sizeof(buf)) > 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "last 2 of 9 exits"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "-2.500 cpuid"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "shutdown"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "0x1010"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "frozen: the VM is in ERROR: triple fault"));
	CU_ASSERT_STRING_EQUAL(mhv_exit_type_name(MHV_X_NPF), "npf");
	CU_ASSERT_STRING_EQUAL(mhv_exit_type_name(999), "unknown");
}

int register_stats_tests(void)
{
	ADD_SUITE("stats",
		  { "parse", test_parse },
		  { "parse_larger_desc", test_parse_larger_desc },
		  { "parse_broken", test_parse_broken },
		  { "format", test_format },
		  { "format_state", test_format_state },
		  { "hist_percentile", test_hist_percentile },
		  { "profile_1_to_10", test_profile_1_to_10 },
		  { "profile_classic", test_profile_classic },
		  { "profile_edges", test_profile_edges },
		  { "metrics", test_metrics },
		  { "monitor_alerts", test_monitor_alerts },
		  { "flight_format", test_flight_format });
}
