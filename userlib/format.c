// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - capabilities and statistics as tables and JSON.
 */
#include <inttypes.h>

#include "libmultios_hv.h"
#include "internal.h"

int mhv_caps_format_table(const struct mhv_caps *c, char *buf, size_t len)
{
	struct mhv_out o;
	unsigned int i;

	mhv_out_init(&o, buf, len);
	mhv_out_printf(&o, "%-20s %s (%s)\n", "vendor",
		       mhv_vendor_name(c->vendor), c->vendor_id);
	mhv_out_printf(&o, "%-20s %s\n", "extension", mhv_virt_name(c->virt));
	mhv_out_printf(&o, "%-20s %u\n", "cpus", c->nr_cpus);
	mhv_out_printf(&o, "%-20s %u\n", "max_vcpus", c->max_vcpus);
	mhv_out_printf(&o, "%-20s %u MiB\n", "max_memory", c->max_mem_mb);
	mhv_out_printf(&o, "%-20s %u\n", "asids", c->nr_asids);
	mhv_out_printf(&o, "%-20s %u\n", "paging_levels", c->npt_levels);
	if (c->virt == MHV_VIRT_SVM)
		mhv_out_printf(&o, "%-20s %u\n", "svm_revision",
			       c->svm_revision);
	for (i = 0; i < MHV_CAP_NR_FLAGS; i++)
		mhv_out_printf(&o, "%-20s %-3s  %s\n", mhv_cap_flag_name(i),
			       c->flags & (1ULL << i) ? "yes" : "no",
			       mhv_cap_flag_desc(i));
	return mhv_out_done(&o);
}

int mhv_caps_format_json(const struct mhv_caps *c, char *buf, size_t len)
{
	struct mhv_out o;
	unsigned int i;

	mhv_out_init(&o, buf, len);
	mhv_out_printf(&o, "{\"vendor\": ");
	mhv_out_json_string(&o, mhv_vendor_name(c->vendor));
	mhv_out_printf(&o, ", \"vendor_id\": ");
	mhv_out_json_string(&o, c->vendor_id);
	mhv_out_printf(&o, ", \"extension\": ");
	mhv_out_json_string(&o, c->virt == MHV_VIRT_SVM ? "svm" :
			    c->virt == MHV_VIRT_VMX ? "vmx" : "none");
	mhv_out_printf(&o, ", \"cpus\": %u, \"max_vcpus\": %u, "
		       "\"max_memory_mb\": %u, \"asids\": %u, "
		       "\"paging_levels\": %u, \"svm_revision\": %u, \"flags\": {",
		       c->nr_cpus, c->max_vcpus, c->max_mem_mb, c->nr_asids,
		       c->npt_levels, c->svm_revision);
	for (i = 0; i < MHV_CAP_NR_FLAGS; i++) {
		mhv_out_printf(&o, "%s", i ? ", " : "");
		mhv_out_json_string(&o, mhv_cap_flag_name(i));
		mhv_out_printf(&o, ": %s",
			       c->flags & (1ULL << i) ? "true" : "false");
	}
	mhv_out_printf(&o, "}}\n");
	return mhv_out_done(&o);
}

int mhv_stats_format(const struct mhv_vcpu_stats *st, char *buf, size_t len)
{
	struct mhv_out o;
	unsigned int i, n = st->nr < MHV_STATS_MAX ? st->nr : MHV_STATS_MAX;

	mhv_out_init(&o, buf, len);
	for (i = 0; i < n; i++) {
		if (!st->counters[i] || i == MHV_STAT_EXITS)
			continue;
		mhv_out_printf(&o, "  %-14s %10" PRIu64 "\n", mhv_stat_name(i),
			       (uint64_t)st->counters[i]);
	}
	mhv_out_printf(&o, "  %-14s %10" PRIu64 "\n", "total exits",
		       (uint64_t)st->counters[MHV_STAT_EXITS]);
	return mhv_out_done(&o);
}
