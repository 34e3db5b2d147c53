// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - the performance monitor of the guide: samples computed
 * from a VM's stats fd (rates between two readings), thresholds and
 * alerts, a text report; and profiling sessions whose summary (mean,
 * standard deviation, percentiles) the GNU Scientific Library computes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "libmultios_hv.h"
#include "internal.h"

static const char *const mhv_metric_names[MHV_METRIC_NR] = {
	[MHV_METRIC_EXIT_RATE] = "exit_rate",
	[MHV_METRIC_HV_OVERHEAD] = "hv_overhead",
	[MHV_METRIC_MEMORY_USED] = "memory_used",
	[MHV_METRIC_NPF_RATE] = "npf_rate",
	[MHV_METRIC_IO_RATE] = "io_rate",
	[MHV_METRIC_DEV_RATE] = "dev_rate",
	[MHV_METRIC_GUEST_CPU] = "guest_cpu",
};

static const char *const mhv_metric_units[MHV_METRIC_NR] = {
	[MHV_METRIC_EXIT_RATE] = "/s",
	[MHV_METRIC_HV_OVERHEAD] = "",
	[MHV_METRIC_MEMORY_USED] = "bytes",
	[MHV_METRIC_NPF_RATE] = "/s",
	[MHV_METRIC_IO_RATE] = "/s",
	[MHV_METRIC_DEV_RATE] = "/s",
	[MHV_METRIC_GUEST_CPU] = "",
};

const char *mhv_metric_name(unsigned int metric)
{
	return metric < MHV_METRIC_NR ? mhv_metric_names[metric] : "unknown";
}

int mhv_metric_from_name(const char *name)
{
	unsigned int i;

	for (i = 0; name && i < MHV_METRIC_NR; i++)
		if (!strcmp(name, mhv_metric_names[i]))
			return i;
	return -EINVAL;
}

void mhv_monitor_config_default(struct mhv_monitor_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->interval_ms = 1000;
	cfg->retention = 60;
	cfg->metrics = MHV_METRIC_ALL;
}

int mhv_monitor_init(struct mhv_monitor *m,
		     const struct mhv_monitor_config *cfg, int stats_fd)
{
	int ret;

	memset(m, 0, sizeof(*m));
	m->stats.fd = -1;
	if (!cfg->retention || !cfg->interval_ms)
		return -EINVAL;
	m->cfg = *cfg;
	m->samples = calloc(cfg->retention, sizeof(*m->samples));
	if (!m->samples)
		return -ENOMEM;
	if (stats_fd >= 0) {
		ret = mhv_stats_open(&m->stats, stats_fd);
		if (ret) {
			mhv_monitor_free(m);
			return ret;
		}
	}
	return 0;
}

void mhv_monitor_free(struct mhv_monitor *m)
{
	mhv_stats_close(&m->stats);
	free(m->samples);
	m->samples = NULL;
}

void mhv_monitor_counters_from_stats(const struct mhv_stats_reader *r, double time,
			     struct mhv_monitor_counters *c)
{
	memset(c, 0, sizeof(*c));
	c->time = time;
	c->exits = mhv_stats_value(r, "exits");
	c->guest_ns = mhv_stats_value(r, "guest_time");
	c->hyp_ns = mhv_stats_value(r, "hypervisor_time");
	c->pages_mapped = mhv_stats_value(r, "pages_mapped");
	c->npf = mhv_stats_value(r, "npf");
	/* port I/O and MMIO exits, whoever completed them */
	c->io = mhv_stats_value(r, "exits_io") + mhv_stats_value(r, "mmio") +
		mhv_stats_value(r, "dev_mmio");
	c->dev = mhv_stats_value(r, "dev_io") + mhv_stats_value(r, "dev_mmio");
}

static double mhv_rate(uint64_t a, uint64_t b, double dt)
{
	return b >= a ? (double)(b - a) / dt : 0;
}

void mhv_metrics_compute(const struct mhv_monitor_counters *a,
			 const struct mhv_monitor_counters *b, double *value)
{
	double dt = b->time - a->time;
	uint64_t guest = b->guest_ns - a->guest_ns;
	uint64_t hyp = b->hyp_ns - a->hyp_ns;

	if (dt <= 0)
		dt = 1e-9;
	value[MHV_METRIC_EXIT_RATE] = mhv_rate(a->exits, b->exits, dt);
	value[MHV_METRIC_HV_OVERHEAD] = guest + hyp ?
		(double)hyp / (double)(guest + hyp) : 0;
	value[MHV_METRIC_MEMORY_USED] = (double)b->pages_mapped * 4096;
	value[MHV_METRIC_NPF_RATE] = mhv_rate(a->npf, b->npf, dt);
	value[MHV_METRIC_IO_RATE] = mhv_rate(a->io, b->io, dt);
	value[MHV_METRIC_DEV_RATE] = mhv_rate(a->dev, b->dev, dt);
	value[MHV_METRIC_GUEST_CPU] = (double)guest / 1e9 / dt;
}

static void mhv_monitor_alert(struct mhv_monitor *m, double time,
			      unsigned int metric, double value)
{
	struct mhv_alert *a;

	m->total_alerts++;
	if (m->nr_alerts == MHV_MONITOR_MAX_ALERTS)
		return;
	a = &m->alerts[m->nr_alerts++];
	a->time = time;
	a->metric = metric;
	a->value = value;
	a->threshold = m->cfg.threshold[metric];
}

int mhv_monitor_feed(struct mhv_monitor *m, const struct mhv_monitor_counters *c)
{
	struct mhv_sample *s;
	unsigned int i;
	int alerts = 0;

	if (!m->have_last) {
		m->last = *c;
		m->have_last = 1;
		return 0;
	}
	s = &m->samples[m->next];
	m->next = (m->next + 1) % m->cfg.retention;
	if (m->nr_samples < m->cfg.retention)
		m->nr_samples++;
	s->time = c->time;
	mhv_metrics_compute(&m->last, c, s->value);
	m->last = *c;
	for (i = 0; i < MHV_METRIC_NR; i++) {
		double t = m->cfg.threshold[i];

		if (!(m->cfg.metrics & (1u << i)) || t <= 0)
			continue;
		if (s->value[i] > t && !(m->alerting & (1u << i))) {
			m->alerting |= 1u << i;
			mhv_monitor_alert(m, s->time, i, s->value[i]);
			alerts++;
		} else if (s->value[i] <= t) {
			m->alerting &= ~(1u << i);
		}
	}
	return alerts;
}

int mhv_monitor_sample(struct mhv_monitor *m)
{
	struct mhv_monitor_counters c;
	struct timespec ts;
	int ret;

	ret = mhv_stats_refresh(&m->stats);
	if (ret)
		return ret;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	mhv_monitor_counters_from_stats(&m->stats, ts.tv_sec + ts.tv_nsec / 1e9, &c);
	return mhv_monitor_feed(m, &c);
}

const struct mhv_sample *mhv_monitor_get(const struct mhv_monitor *m,
					 unsigned int i)
{
	unsigned int first;

	if (i >= m->nr_samples)
		return NULL;
	first = m->nr_samples < m->cfg.retention ? 0 : m->next;
	return &m->samples[(first + i) % m->cfg.retention];
}

int mhv_monitor_report(const struct mhv_monitor *m, char *buf, size_t len)
{
	struct mhv_out o;
	unsigned int i, k;

	mhv_out_init(&o, buf, len);
	mhv_out_printf(&o, "performance report: %u samples, every %u ms\n",
		       m->nr_samples, m->cfg.interval_ms);
	mhv_out_printf(&o, "%-12s %14s %14s %14s %14s %s\n", "metric", "last",
		       "mean", "min", "max", "unit");
	for (i = 0; i < MHV_METRIC_NR && m->nr_samples; i++) {
		double v[m->nr_samples];

		if (!(m->cfg.metrics & (1u << i)))
			continue;
		for (k = 0; k < m->nr_samples; k++)
			v[k] = mhv_monitor_get(m, k)->value[i];
		mhv_out_printf(&o, "%-12s %14.6g %14.6g %14.6g %14.6g %s\n",
			       mhv_metric_names[i], v[m->nr_samples - 1],
			       gsl_stats_mean(v, 1, m->nr_samples),
			       gsl_stats_min(v, 1, m->nr_samples),
			       gsl_stats_max(v, 1, m->nr_samples),
			       mhv_metric_units[i]);
	}
	mhv_out_printf(&o, "alerts: %llu\n", (unsigned long long)m->total_alerts);
	for (i = 0; i < m->nr_alerts; i++)
		mhv_out_printf(&o, "  at %.3f s: %s %.6g above %.6g\n",
			       m->alerts[i].time,
			       mhv_metric_names[m->alerts[i].metric],
			       m->alerts[i].value, m->alerts[i].threshold);
	return mhv_out_done(&o);
}

/* ---- profiling ------------------------------------------------------------ */

int mhv_profile_begin(struct mhv_profile *p, const char *name)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name ? name : "");
	return 0;
}

int mhv_profile_add(struct mhv_profile *p, double value)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 256;
		double *v = realloc(p->values, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->values = v;
		p->cap = cap;
	}
	p->values[p->n++] = value;
	return 0;
}

int mhv_profile_summary(const struct mhv_profile *p,
			struct mhv_profile_summary *s)
{
	double *v;

	memset(s, 0, sizeof(*s));
	if (!p->n)
		return -ENODATA;
	v = malloc(p->n * sizeof(*v));
	if (!v)
		return -ENOMEM;
	memcpy(v, p->values, p->n * sizeof(*v));
	gsl_sort(v, 1, p->n);
	s->count = p->n;
	s->mean = gsl_stats_mean(v, 1, p->n);
	s->min = v[0];
	s->max = v[p->n - 1];
	s->stddev = p->n > 1 ? gsl_stats_sd_m(v, 1, p->n, s->mean) : 0;
	s->p50 = gsl_stats_quantile_from_sorted_data(v, 1, p->n, 0.50);
	s->p90 = gsl_stats_quantile_from_sorted_data(v, 1, p->n, 0.90);
	s->p99 = gsl_stats_quantile_from_sorted_data(v, 1, p->n, 0.99);
	s->p999 = gsl_stats_quantile_from_sorted_data(v, 1, p->n, 0.999);
	free(v);
	return 0;
}

int mhv_profile_format(const struct mhv_profile *p, const char *unit,
		       char *buf, size_t len)
{
	struct mhv_profile_summary s;
	struct mhv_out o;

	mhv_out_init(&o, buf, len);
	if (mhv_profile_summary(p, &s)) {
		mhv_out_printf(&o, "profile %s: no values\n", p->name);
		return mhv_out_done(&o);
	}
	unit = unit ? unit : "";
	mhv_out_printf(&o, "profile %s: %zu values\n", p->name, s.count);
	mhv_out_printf(&o, "  mean %.6g %s  stddev %.6g %s\n", s.mean, unit,
		       s.stddev, unit);
	mhv_out_printf(&o, "  min %.6g  max %.6g %s\n", s.min, s.max, unit);
	mhv_out_printf(&o, "  p50 %.6g  p90 %.6g  p99 %.6g  p99.9 %.6g %s\n",
		       s.p50, s.p90, s.p99, s.p999, unit);
	return mhv_out_done(&o);
}

void mhv_profile_end(struct mhv_profile *p)
{
	free(p->values);
	p->values = NULL;
	p->n = p->cap = 0;
}
