/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MultiOS HV - what every exit adds to the statistics and the flight
 * recorder (stats.c reads them out). Inline: these run on every exit,
 * in the burst loop of mhv_enter_guest() with preemption off.
 *
 * Clock: local_clock(), the scheduler's clock: a TSC read scaled, without
 * the seqcount retry of ktime_get_ns(), monotonic on one CPU. The two
 * readings of one interval come from the same CPU except for an exit
 * handled after preemption was enabled again (a slow exit), where a
 * migration may make the end look earlier: such an interval counts 0.
 */
#ifndef _MHV_STATS_H
#define _MHV_STATS_H

#include <linux/bitops.h>
#include <linux/minmax.h>
#include <linux/sched/clock.h>

#include "mhv.h"

static inline unsigned int mhv_stat_type(const struct mhv_exit *exit)
{
	return exit->type < MHV_X_NR ? exit->type : MHV_X_UNKNOWN;
}

/* Histogram bucket of @ns: [2^i, 2^(i+1)), 0 and 1 in bucket 0. */
static inline unsigned int mhv_stat_bucket(u64 ns)
{
	if (ns < 2)
		return 0;
	return min_t(unsigned int, fls64(ns) - 1, MHV_STATS_HIST - 1);
}

/*
 * Add the exit to the flight recorder, unless it is frozen: the VM is
 * in ERROR (this vCPU's own failure froze it in mhv_fail(), another
 * vCPU's is seen here).
 */
static inline void mhv_flight_record(struct mhv_vcpu *vcpu,
				     const struct mhv_exit *exit, u64 now)
{
	struct mhv_flight *f = &vcpu->flight;
	struct mhv_flight_entry *e;

	if (unlikely(f->frozen))
		return;
	if (unlikely(READ_ONCE(vcpu->vm->state) == MHV_VM_ERROR)) {
		f->frozen = true;
		return;
	}
	e = &f->ring[f->total % MHV_FLIGHT_ENTRIES];
	e->time_ns = now;
	e->rip = exit->rip;
	e->code = exit->code;
	e->info1 = exit->info1;
	e->info2 = exit->info2;
	e->type = mhv_stat_type(exit);
	f->total++;
}

/* The guest exited at @now, after entering at @entry. */
static inline void mhv_stat_exit_begin(struct mhv_vcpu *vcpu,
				       const struct mhv_exit *exit,
				       u64 entry, u64 now)
{
	vcpu->stat.guest_ns += now - entry;
	vcpu->exit_ns = now;
	mhv_flight_record(vcpu, exit, now);
}

/* ... and the exit was handled at @done. */
static inline void mhv_stat_exit_end(struct mhv_vcpu *vcpu,
				     const struct mhv_exit *exit, u64 done)
{
	u64 ns = done > vcpu->exit_ns ? done - vcpu->exit_ns : 0;
	unsigned int t = mhv_stat_type(exit);

	vcpu->stat.hyp_ns += ns;
	vcpu->stat.exits[t]++;
	vcpu->stat.latency[t][mhv_stat_bucket(ns)]++;
}

#endif /* _MHV_STATS_H */
