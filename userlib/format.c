// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - statistics as text (capabilities are in caps.c).
 */
#include <inttypes.h>

#include "libmultios_hv.h"
#include "internal.h"

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
