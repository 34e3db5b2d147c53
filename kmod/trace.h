/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MultiOS HV - the trace channel (trace.c: buffers and the worker,
 * genl.c: the generic netlink family, subscribers and the VM list).
 *
 * Nobody listening: every hook below is one static branch (a NOP) and
 * builds nothing. Someone listening (a socket sent MHV_NL_CMD_SUBSCRIBE):
 * the vCPU thread writes fixed-size records into its own ring (single
 * producer, no lock, no allocation), the worker (mhv_trace_work, any CPU)
 * takes them out in batches under mhv_trace_lock and sends each
 * subscriber the records its filter and the access rule let through.
 * Timestamps are local_clock(): nanoseconds since boot from the TSC
 * (rdtsc and a multiply), cheap whatever the clocksource is. ktime_get_ns()
 * reads the clocksource, which in the test VM is the HPET (an emulated
 * MMIO read: microseconds per event, three per exit). local_clock() is
 * monotonic on one CPU and kept within a tick of the other CPUs; it runs
 * close to CLOCK_MONOTONIC but is not the same clock.
 */
#ifndef _MHV_TRACE_H
#define _MHV_TRACE_H

#include <linux/jump_label.h>
#include <linux/jump_label_ratelimit.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/uidgid.h>

#include "mhv.h"

/*
 * Records of one vCPU ring (a power of two): a half-full ring kicks the
 * worker, and the other half is the room the vCPU has until it runs
 * (some 30 ms of CPUID exits under QEMU's emulation; with 1024 a busy
 * host's late worker made the bench drop events)
 */
#define MHV_TRACE_RING		2048

/* One event as it travels from the producer to the worker. */
struct mhv_trace_rec {
	u64 ts;			/* local_clock() */
	u32 vm_id;
	u32 vcpu;		/* or MHV_TRACE_NO_VCPU */
	kuid_t uid;		/* the VM's owner: the access rule */
	u8 type;		/* enum mhv_trace_type */
	u8 flags;		/* MHV_TREC_* */
	u16 width;		/* DEV: access bytes */
	u32 reason;		/* EXIT: reason; DEV: id; INJECT: vector;
				 * VM: lifecycle; DROP: where
				 */
	u32 aux;		/* NPF: access; DEV: type; INJECT: kind;
				 * VM: state
				 */
	u64 a[7];		/* per type, see genl.c mhv_genl_put_rec() */
	u64 entry_rip;		/* EXIT with MHV_TREC_ENTRY: the RIP of the
				 * entry at ts + a[6]
				 */
};

/* the wire's flags (struct mhv_trace_record), and one of the kernel's */
#define MHV_TREC_USER		MHV_TRACE_F_USER	/* EXIT */
#define MHV_TREC_WRITE		MHV_TRACE_F_WRITE	/* DEV */
#define MHV_TREC_REFUSED	MHV_TRACE_F_REFUSED	/* DEV */
#define MHV_TREC_ERRCODE	MHV_TRACE_F_ERROR_CODE	/* INJECT */
#define MHV_TREC_WIRE		GENMASK(3, 0)
/* EXIT: the vCPU entered the guest again right after it (entry_rip) */
#define MHV_TREC_ENTRY		MHV_TRACE_F_ENTRY
#define MHV_TREC_ALL		BIT(5)	/* for every subscriber: no VM data */

/*
 * One vCPU's ring. head is written only by the vCPU thread (release),
 * tail only by the worker under mhv_trace_lock (release); each reads the
 * other's with acquire. A full ring drops the record and counts it.
 */
struct mhv_trace_ring {
	struct list_head node;	/* mhv_trace_rings, under mhv_trace_lock */
	u32 pass;		/* (mhv_trace_lock) the worker's last pass */
	u32 vm_id;		/* (R) */
	u32 vcpu;		/* (R) */
	kuid_t uid;		/* (R) */
	u64 t_exit;		/* (V) local_clock() of the exit being handled,
				 * 0: none
				 */
	u64 arg;		/* (V) its MHV_NL_A_EXIT_ARG */
	u64 exit_seq;		/* (V) vcpu->stats[MHV_STAT_EXITS] then */
	u32 head;		/* (V) write, (A) read: next record to fill */
	u32 tail;		/* (mhv_trace_lock) write, (A) read */
	u64 dropped;		/* (V) write, (A) read: records lost */
	u64 reported;		/* (mhv_trace_lock) drops already reported */
	struct mhv_trace_rec recs[MHV_TRACE_RING];	/* see head/tail */
};

/* on while anyone subscribes; goes off a second after the last one */
extern struct static_key_false_deferred mhv_trace_key;
/* (A) 1 << enum mhv_trace_type that some subscriber wants */
extern u32 mhv_trace_types;
/* worker, subscribers, the ring list; see the lock order in mhv.h */
extern struct mutex mhv_trace_lock;

static __always_inline bool mhv_tracing(void)
{
	return static_branch_unlikely(&mhv_trace_key.key);
}

/* trace.c: producers, on the vCPU thread (any preemption/irq state) */
void __mhv_trace_entry(struct mhv_vcpu *vcpu, u64 now);
void __mhv_trace_exit_begin(struct mhv_vcpu *vcpu, const struct mhv_exit *exit,
			    u64 now);
void __mhv_trace_exit(struct mhv_vcpu *vcpu, const struct mhv_exit *exit,
		      int ret, u64 now, bool again);
void __mhv_trace_npf(struct mhv_vcpu *vcpu, const struct mhv_exit *exit,
		     u64 pages, bool mmio);
void __mhv_trace_dev(struct mhv_vcpu *vcpu, u32 dev_id, u32 dev_type,
		     u64 offset, u8 width, u64 val, bool write, bool refused);
void __mhv_trace_inject(struct mhv_vcpu *vcpu, u32 kind, u8 vector,
			bool has_error, u32 error);
/* any context: a lifecycle event (MHV_TRACE_VM_*) */
void mhv_trace_vm(struct mhv_vm *vm, u32 what);

int mhv_trace_vcpu_init(struct mhv_vcpu *vcpu);
void mhv_trace_vcpu_free(struct mhv_vcpu *vcpu);
void mhv_trace_kick(void);
void mhv_trace_kick_later(void);
int mhv_trace_init(void);
void mhv_trace_cleanup(void);

/* genl.c: called by trace.c under mhv_trace_lock */
void mhv_genl_deliver(const struct mhv_trace_rec *rec);
void mhv_genl_deliver_pair(const struct mhv_trace_rec *exit);
void mhv_genl_flush(void);
bool mhv_genl_has_subs(void);
bool mhv_genl_group_listens(void);
void mhv_genl_multicast(const struct mhv_trace_rec *rec);
int mhv_genl_init(void);
void mhv_genl_exit(void);
void mhv_genl_free_subs(void);

/*
 * @now: local_clock() the caller read anyway for the statistics (the
 * entry, the exit, the end of its handling): no clock read of its own.
 * mhv_trace_exit()'s @again: the vCPU enters the guest at @now, with
 * nothing in between; the exit's record stands for that entry too (one
 * ring record, two events: the worker makes the ENTRY event).
 */
#define mhv_trace_entry(vcpu, now) do {				\
	if (mhv_tracing())					\
		__mhv_trace_entry(vcpu, now);			\
} while (0)
#define mhv_trace_exit_begin(vcpu, exit, now) do {		\
	if (mhv_tracing())					\
		__mhv_trace_exit_begin(vcpu, exit, now);	\
} while (0)
#define mhv_trace_exit(vcpu, exit, ret, now, again) do {	\
	if (mhv_tracing())					\
		__mhv_trace_exit(vcpu, exit, ret, now, again);	\
} while (0)
#define mhv_trace_npf(vcpu, exit, pages, mmio) do {		\
	if (mhv_tracing())					\
		__mhv_trace_npf(vcpu, exit, pages, mmio);	\
} while (0)
#define mhv_trace_inject(vcpu, kind, vec, has_err, err) do {	\
	if (mhv_tracing())					\
		__mhv_trace_inject(vcpu, kind, vec, has_err, err); \
} while (0)

#endif /* _MHV_TRACE_H */
