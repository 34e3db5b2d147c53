// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - trace events: the per-vCPU rings, the lifecycle queue and
 * the worker that empties them (see trace.h; the wire side is genl.c).
 *
 * The producer of a vCPU ring is its vCPU thread alone (exit handlers,
 * mhv_inject_events() with interrupts off, device accesses), so a record
 * is written without a lock or an atomic read-modify-write: reserve the
 * slot at head, fill it, publish head with a release store. The worker
 * frees slots by publishing tail. Lifecycle events come from any thread
 * and any context (STOP, an error in an exit handler, the last fput):
 * they go through a small queue under a spinlock, rare as they are.
 *
 * The worker runs every MHV_TRACE_PERIOD_MS while anyone subscribes, and
 * at once when a ring is half full or a lifecycle event waits: the guest
 * never waits for netlink, and netlink sees batches. Each pass has a
 * cost of its own (waking the worker and the readers, a datagram and a
 * recv() per subscriber): under an emulator, a pass every jiffy took
 * 2 % of a CPUID exit loop's time beside what the events themselves
 * cost, and a pass every few ms more on a busy host. So a fast stream is
 * sent in passes of half a ring, whatever the time; the period only
 * bounds how long a slow stream's events wait.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/sched/clock.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "trace.h"

DEFINE_STATIC_KEY_DEFERRED_FALSE(mhv_trace_key, HZ);
u32 mhv_trace_types;
/* subscribers, mhv_trace_rings, the consumer side of every ring */
DEFINE_MUTEX(mhv_trace_lock);

/* every vCPU's ring (mhv_trace_lock) */
static LIST_HEAD(mhv_trace_rings);
/* the worker's pass, see mhv_trace_work_fn() (mhv_trace_lock) */
static u32 mhv_trace_pass;

#define MHV_TRACE_VMQ	64	/* lifecycle records waiting */
/* the longest an event waits in its ring (a half-full ring: no wait) */
#define MHV_TRACE_PERIOD_MS	100

/* the lifecycle queue: rare events of any context */
static struct {
	spinlock_t lock;	/* protects all below */
	u32 head, tail;
	u64 dropped, reported;
	struct mhv_trace_rec recs[MHV_TRACE_VMQ];
} mhv_vmq = { .lock = __SPIN_LOCK_UNLOCKED(mhv_vmq.lock) };

static void mhv_trace_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(mhv_trace_work, mhv_trace_work_fn);

/* Run the worker now (any context). */
void mhv_trace_kick(void)
{
	mod_delayed_work(system_unbound_wq, &mhv_trace_work, 0);
}

/*
 * Run the worker within MHV_TRACE_PERIOD_MS (any context); a pass due
 * sooner stays due. For what anyone may cause at any rate (a netlink
 * socket's close): it never makes passes more frequent.
 */
void mhv_trace_kick_later(void)
{
	queue_delayed_work(system_unbound_wq, &mhv_trace_work,
			   msecs_to_jiffies(MHV_TRACE_PERIOD_MS));
}

/* ---- producers (the vCPU thread) ------------------------------------------- */

/* A free slot for a record standing for @events events, or NULL. */
static struct mhv_trace_rec *mhv_ring_slot(struct mhv_trace_ring *ring,
					   u32 events)
{
	/* pairs with smp_store_release() of tail in mhv_ring_drain() */
	u32 tail = smp_load_acquire(&ring->tail);

	if (ring->head - tail >= MHV_TRACE_RING) {
		WRITE_ONCE(ring->dropped, ring->dropped + events);
		return NULL;
	}
	return &ring->recs[ring->head & (MHV_TRACE_RING - 1)];
}

static struct mhv_trace_rec *mhv_ring_reserve(struct mhv_vcpu *vcpu, u8 type)
{
	if (!(READ_ONCE(mhv_trace_types) & BIT(type)))
		return NULL;
	return mhv_ring_slot(vcpu->trace, 1);
}

static void mhv_ring_commit(struct mhv_vcpu *vcpu, struct mhv_trace_rec *rec,
			    u8 type, u64 ts)
{
	struct mhv_trace_ring *ring = vcpu->trace;
	u32 head = ring->head + 1;

	rec->ts = ts;
	rec->vm_id = ring->vm_id;
	rec->vcpu = ring->vcpu;
	rec->uid = ring->uid;
	rec->type = type;
	/* the record before head; pairs with smp_load_acquire() in drain */
	smp_store_release(&ring->head, head);
	if (head - READ_ONCE(ring->tail) == MHV_TRACE_RING / 2)
		mhv_trace_kick();
}

void __mhv_trace_entry(struct mhv_vcpu *vcpu, u64 now)
{
	struct mhv_trace_rec *rec = mhv_ring_reserve(vcpu, MHV_TRACE_ENTRY);

	if (!rec)
		return;
	rec->flags = 0;
	rec->a[0] = vcpu->rip;
	mhv_ring_commit(vcpu, rec, MHV_TRACE_ENTRY, now);
}

/* Right after the exit: its time and what the handler will overwrite. */
void __mhv_trace_exit_begin(struct mhv_vcpu *vcpu, const struct mhv_exit *exit,
			    u64 now)
{
	struct mhv_trace_ring *ring = vcpu->trace;

	ring->t_exit = now;
	ring->exit_seq = vcpu->stats[MHV_STAT_EXITS];
	switch (exit->type) {
	case MHV_X_CPUID:
		ring->arg = (u32)vcpu->regs[MHV_RAX] |
			    (u64)(u32)vcpu->regs[MHV_RCX] << 32;
		break;
	case MHV_X_MSR_READ:
	case MHV_X_MSR_WRITE:
		ring->arg = (u32)vcpu->regs[MHV_RCX];
		break;
	case MHV_X_IO:
		ring->arg = exit->io.port | (u64)exit->io.size << 16 |
			    (u64)exit->io.in << 24;
		break;
	default:
		ring->arg = 0;
		break;
	}
}

/*
 * The exit is handled (@ret: MHV_RESUME, MHV_TO_USER or -errno); with
 * @again the vCPU enters the guest at @now (trace.h).
 */
void __mhv_trace_exit(struct mhv_vcpu *vcpu, const struct mhv_exit *exit,
		      int ret, u64 now, bool again)
{
	struct mhv_trace_ring *ring = vcpu->trace;
	u32 types = READ_ONCE(mhv_trace_types);
	bool entry = again && (types & BIT(MHV_TRACE_ENTRY));
	struct mhv_trace_rec *rec;
	u64 t0 = ring->t_exit;

	/*
	 * Tracing came on between the exit and here: no start time, or a
	 * stale one of an exit before it went off. Or nobody wants exits.
	 */
	if (!t0 || ring->exit_seq != vcpu->stats[MHV_STAT_EXITS] ||
	    !(types & BIT(MHV_TRACE_EXIT))) {
		if (entry)
			__mhv_trace_entry(vcpu, now);
		return;
	}
	ring->t_exit = 0;
	rec = mhv_ring_slot(ring, entry ? 2 : 1);
	if (!rec)
		return;
	rec->flags = (ret != MHV_RESUME ? MHV_TREC_USER : 0) |
		     (entry ? MHV_TREC_ENTRY : 0);
	rec->entry_rip = vcpu->rip;
	rec->reason = exit->type < MHV_X_NR ? exit->type : MHV_X_UNKNOWN;
	rec->a[0] = exit->rip;
	rec->a[1] = exit->code;
	rec->a[2] = exit->info1;
	rec->a[3] = exit->info2;
	rec->a[4] = ring->arg;
	rec->a[5] = exit->type == MHV_X_NPF ? exit->npf.gpa : 0;
	rec->a[6] = now - t0;
	mhv_ring_commit(vcpu, rec, MHV_TRACE_EXIT, t0);
}

void __mhv_trace_npf(struct mhv_vcpu *vcpu, const struct mhv_exit *exit,
		     u64 pages, bool mmio)
{
	struct mhv_trace_rec *rec = mhv_ring_reserve(vcpu, MHV_TRACE_NPF);

	if (!rec)
		return;
	rec->flags = 0;
	rec->aux = (exit->npf.write ? MHV_TRACE_ACC_WRITE : 0) |
		   (exit->npf.fetch ? MHV_TRACE_ACC_FETCH : 0) |
		   (exit->npf.present ? MHV_TRACE_ACC_PRESENT : 0) |
		   (mmio ? MHV_TRACE_ACC_MMIO : 0);
	rec->a[0] = exit->npf.gpa;
	rec->a[1] = pages;
	rec->a[2] = exit->rip;
	mhv_ring_commit(vcpu, rec, MHV_TRACE_NPF, local_clock());
}

void __mhv_trace_dev(struct mhv_vcpu *vcpu, u32 dev_id, u32 dev_type,
		     u64 offset, u8 width, u64 val, bool write, bool refused)
{
	struct mhv_trace_rec *rec = mhv_ring_reserve(vcpu, MHV_TRACE_DEV);

	if (!rec)
		return;
	rec->flags = (write ? MHV_TREC_WRITE : 0) |
		     (refused ? MHV_TREC_REFUSED : 0);
	rec->reason = dev_id;
	rec->aux = dev_type;
	rec->width = width;
	rec->a[0] = offset;
	rec->a[1] = val;
	mhv_ring_commit(vcpu, rec, MHV_TRACE_DEV, local_clock());
}

void __mhv_trace_inject(struct mhv_vcpu *vcpu, u32 kind, u8 vector,
			bool has_error, u32 error)
{
	struct mhv_trace_rec *rec = mhv_ring_reserve(vcpu, MHV_TRACE_INJECT);

	if (!rec)
		return;
	rec->flags = has_error ? MHV_TREC_ERRCODE : 0;
	rec->reason = vector;
	rec->aux = kind;
	rec->a[0] = error;
	rec->a[1] = vcpu->rip;
	mhv_ring_commit(vcpu, rec, MHV_TRACE_INJECT, local_clock());
}

/* ---- lifecycle events (any context) ----------------------------------------- */

/**
 * mhv_trace_vm() - a VM was created, changed state, failed or went away.
 * @vm:   the VM
 * @what: MHV_TRACE_VM_*
 *
 * Queued only while someone subscribes or listens on the multicast group.
 */
void mhv_trace_vm(struct mhv_vm *vm, u32 what)
{
	struct mhv_trace_rec *rec;
	unsigned long flags;

	if (!mhv_tracing() && !mhv_genl_group_listens())
		return;
	spin_lock_irqsave(&mhv_vmq.lock, flags);
	if (mhv_vmq.head - mhv_vmq.tail >= MHV_TRACE_VMQ) {
		mhv_vmq.dropped++;
	} else {
		rec = &mhv_vmq.recs[mhv_vmq.head++ % MHV_TRACE_VMQ];
		memset(rec, 0, sizeof(*rec));
		rec->ts = local_clock();
		rec->vm_id = vm->id;
		rec->vcpu = MHV_TRACE_NO_VCPU;
		rec->uid = vm->owner_uid;
		rec->type = MHV_TRACE_VM;
		rec->reason = what;
		rec->aux = mhv_vm_state(vm);
		rec->a[0] = READ_ONCE(vm->error);
		rec->a[1] = READ_ONCE(vm->error_code);
		BUILD_BUG_ON(sizeof(vm->config.name) > 4 * sizeof(u64));
		memcpy(&rec->a[2], vm->config.name, sizeof(vm->config.name));
	}
	spin_unlock_irqrestore(&mhv_vmq.lock, flags);
	mhv_trace_kick();
}

static void mhv_drop_rec(struct mhv_trace_rec *rec, u32 vm_id, u32 vcpu,
			 kuid_t uid, u32 where, u64 count)
{
	memset(rec, 0, sizeof(*rec));
	rec->ts = local_clock();
	rec->vm_id = vm_id;
	rec->vcpu = vcpu;
	rec->uid = uid;
	rec->type = MHV_TRACE_DROP;
	rec->reason = where;
	rec->a[0] = count;
}

/* The lifecycle queue to the subscribers and the multicast group. */
static void mhv_vmq_drain(bool subs, bool group)
{
	struct mhv_trace_rec rec;
	unsigned long flags;
	u64 lost;

	for (;;) {
		spin_lock_irqsave(&mhv_vmq.lock, flags);
		lost = mhv_vmq.dropped - mhv_vmq.reported;
		mhv_vmq.reported = mhv_vmq.dropped;
		if (lost) {
			/* no VM's data in it: for every subscriber */
			mhv_drop_rec(&rec, 0, MHV_TRACE_NO_VCPU, GLOBAL_ROOT_UID,
				     MHV_TRACE_DROP_VMQ, lost);
			rec.flags = MHV_TREC_ALL;
		} else if (mhv_vmq.tail != mhv_vmq.head) {
			rec = mhv_vmq.recs[mhv_vmq.tail++ % MHV_TRACE_VMQ];
		} else {
			spin_unlock_irqrestore(&mhv_vmq.lock, flags);
			return;
		}
		spin_unlock_irqrestore(&mhv_vmq.lock, flags);
		if (subs)
			mhv_genl_deliver(&rec);
		if (group)
			mhv_genl_multicast(&rec);
	}
}

/* ---- the consumer ----------------------------------------------------------- */

/* ring slots the worker frees at once (a power of two, see drain) */
#define MHV_TRACE_RELEASE	64

/*
 * Everything @ring holds to the subscribers; under mhv_trace_lock.
 * Return: the ring is half full again (the vCPU wrote as fast as the
 * worker read): its kick has come and gone, the next pass is now.
 */
static bool mhv_ring_drain(struct mhv_trace_ring *ring)
{
	const struct mhv_trace_rec *rec;
	struct mhv_trace_rec drop;
	u32 tail = ring->tail, head;
	u64 dropped;

	lockdep_assert_held(&mhv_trace_lock);
	/* pairs with smp_store_release() in mhv_ring_commit() */
	head = smp_load_acquire(&ring->head);
	while (tail != head) {
		rec = &ring->recs[tail & (MHV_TRACE_RING - 1)];
		if (rec->flags & MHV_TREC_ENTRY)
			mhv_genl_deliver_pair(rec);
		else
			mhv_genl_deliver(rec);
		/*
		 * Slots read are free, given back in runs, not one by one:
		 * the vCPU reads tail on every event.
		 */
		if (!(++tail % MHV_TRACE_RELEASE) || tail == head) {
			/* pairs with smp_load_acquire() in mhv_ring_slot() */
			smp_store_release(&ring->tail, tail);
		}
	}
	dropped = READ_ONCE(ring->dropped);
	if (dropped != ring->reported) {
		mhv_drop_rec(&drop, ring->vm_id, ring->vcpu, ring->uid,
			     MHV_TRACE_DROP_RING, dropped - ring->reported);
		ring->reported = dropped;
		mhv_genl_deliver(&drop);
	}
	/* pairs with smp_store_release() in mhv_ring_commit() */
	return smp_load_acquire(&ring->head) - tail >= MHV_TRACE_RING / 2;
}

/*
 * One pass: the lifecycle queue, then every ring once. The lock is
 * dropped between rings (subscribers and vCPUs may come and go then): a
 * drained ring moves to the tail with this pass's number, so the pass
 * ends when the first ring has it. Rings added meanwhile wait for the
 * next pass.
 */
static void mhv_trace_work_fn(struct work_struct *work)
{
	struct mhv_trace_ring *ring;
	bool subs, again = false;
	u32 pass;

	mutex_lock(&mhv_trace_lock);
	subs = mhv_genl_has_subs();
	mhv_vmq_drain(subs, mhv_genl_group_listens());
	pass = ++mhv_trace_pass;
	while (subs) {
		ring = list_first_entry_or_null(&mhv_trace_rings,
						struct mhv_trace_ring, node);
		if (!ring || ring->pass == pass)
			break;
		ring->pass = pass;
		list_move_tail(&ring->node, &mhv_trace_rings);
		again |= mhv_ring_drain(ring);
		mutex_unlock(&mhv_trace_lock);
		cond_resched();
		mutex_lock(&mhv_trace_lock);
		subs = mhv_genl_has_subs();
	}
	if (subs) {
		mhv_genl_flush();
		/* the next pass then, or at once when a ring fills */
		if (again)
			mhv_trace_kick();
		else
			mhv_trace_kick_later();
	}
	mutex_unlock(&mhv_trace_lock);
}

/* ---- rings of vCPUs ----------------------------------------------------------- */

int mhv_trace_vcpu_init(struct mhv_vcpu *vcpu)
{
	struct mhv_trace_ring *ring;

	/* 192 KiB: no order-6 kmalloc() attempt (kvzalloc()) for it */
	ring = __vmalloc(sizeof(*ring), GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!ring)
		return -ENOMEM;
	ring->vm_id = vcpu->vm->id;
	ring->vcpu = vcpu->id;
	ring->uid = vcpu->vm->owner_uid;
	vcpu->trace = ring;
	mutex_lock(&mhv_trace_lock);
	ring->pass = mhv_trace_pass;
	list_add_tail(&ring->node, &mhv_trace_rings);
	mutex_unlock(&mhv_trace_lock);
	return 0;
}

/* The vCPU goes away: what its ring holds still reaches the subscribers. */
void mhv_trace_vcpu_free(struct mhv_vcpu *vcpu)
{
	struct mhv_trace_ring *ring = vcpu->trace;

	if (!ring)
		return;
	mutex_lock(&mhv_trace_lock);
	list_del(&ring->node);
	if (mhv_genl_has_subs()) {
		mhv_ring_drain(ring);
		mhv_genl_flush();
	}
	mutex_unlock(&mhv_trace_lock);
	vfree(ring);
	vcpu->trace = NULL;
}

int mhv_trace_init(void)
{
	return mhv_genl_init();
}

/* Module unload: no VM is left, the family is gone after this. */
void mhv_trace_cleanup(void)
{
	mhv_genl_exit();
	cancel_delayed_work_sync(&mhv_trace_work);
	mhv_genl_free_subs();
	/* the pending switch-off runs now, not after the module is gone */
	static_key_deferred_flush(&mhv_trace_key);
}
