// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - the summary of a run (mhv run --json) as JSON.
 */
#include <stdio.h>
#include <string.h>

#include "libmultios_hv.h"
#include "internal.h"

static void device_json(struct mhv_json *j, const struct mhv_device_info *d,
			const struct mhv_device_stats *st)
{
	unsigned int i;

	mhv_json_begin_object(j, NULL);
	mhv_json_uint(j, "id", d->id);
	mhv_json_str(j, "type", mhv_dev_type_name(d->type));
	mhv_json_str(j, "space", mhv_dev_space_name(d->space));
	mhv_json_uint(j, "base", d->base);
	mhv_json_str(j, "mode", mhv_dev_mode_name(d->mode));
	mhv_json_uint(j, "reads", st->reads);
	mhv_json_uint(j, "writes", st->writes);
	mhv_json_uint(j, "bytes_read", st->bytes_read);
	mhv_json_uint(j, "bytes_written", st->bytes_written);
	mhv_json_uint(j, "err_offset", st->err_offset);
	mhv_json_uint(j, "err_width", st->err_width);
	mhv_json_uint(j, "err_refused", st->err_refused);
	mhv_json_uint(j, "err_dropped", st->err_dropped);
	mhv_json_uint(j, "time_count", st->time_count);
	mhv_json_uint(j, "time_mean_ns", st->time_mean_ns);
	mhv_json_uint(j, "time_min_ns", st->time_min_ns);
	mhv_json_uint(j, "time_max_ns", st->time_max_ns);
	mhv_json_begin_array(j, "hist");
	for (i = 0; i < MHV_DEV_HIST_BUCKETS; i++)
		mhv_json_uint(j, NULL, st->hist[i]);
	mhv_json_end_array(j);
	mhv_json_end_object(j);
}

static void exits_json(struct mhv_json *j, const struct mhv_run_summary *s)
{
	unsigned int i, n;
	char key[24];

	mhv_json_begin_object(j, "exits");
	if (s->has_stats) {
		n = s->stats.nr < MHV_STATS_MAX ? s->stats.nr : MHV_STATS_MAX;
		mhv_json_uint(j, "total", s->stats.counters[MHV_STAT_EXITS]);
		for (i = 0; i < n; i++) {
			if (i == MHV_STAT_EXITS || !s->stats.counters[i])
				continue;
			/* a counter newer than this library: keys stay unique */
			snprintf(key, sizeof(key), "%s", mhv_stat_name(i));
			if (!strcmp(key, "unknown"))
				snprintf(key, sizeof(key), "stat_%u", i);
			mhv_json_uint(j, key, s->stats.counters[i]);
		}
	}
	mhv_json_end_object(j);
}

int mhv_run_summary_format_json(const struct mhv_run_summary *s, char *buf,
				size_t len)
{
	unsigned int i, n = s->nr_devices < MHV_MAX_DEVICES ?
			    s->nr_devices : MHV_MAX_DEVICES;
	struct mhv_out o;
	struct mhv_json j;

	mhv_out_init(&o, buf, len);
	mhv_json_init(&j, &o);
	mhv_json_begin_object(&j, NULL);
	mhv_json_str(&j, "name", s->name);
	mhv_json_str(&j, "image", s->image);
	mhv_json_str(&j, "format", mhv_image_format_name(s->format));
	mhv_json_str(&j, "end", s->end);
	mhv_json_int(&j, "exit_status", s->exit_status);
	mhv_json_uint(&j, "run_ns", s->run_ns);
	if (s->has_info) {
		mhv_json_str(&j, "state", mhv_vm_state_name(s->info.state));
		mhv_json_uint(&j, "npf", s->info.npf_count);
		mhv_json_uint(&j, "memory_used_kb", s->info.memory_used >> 10);
	} else {
		mhv_json_null(&j, "state");
		mhv_json_null(&j, "npf");
		mhv_json_null(&j, "memory_used_kb");
	}
	exits_json(&j, s);
	mhv_json_begin_array(&j, "devices");
	for (i = 0; i < n; i++)
		device_json(&j, &s->dev[i], &s->dev_stats[i]);
	mhv_json_end_array(&j);
	mhv_json_end_object(&j);
	return mhv_out_done(&o);
}
