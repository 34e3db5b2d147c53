// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - the local APIC of a vCPU (VMs with MHV_VM_F_IRQCHIP).
 *
 * Intel SDM vol. 3A chapter 11 ("Advanced Programmable Interrupt
 * Controller"). One struct mhv_lapic per vCPU, in xAPIC mode (its 4 KiB
 * MMIO page at the address IA32_APIC_BASE gives, 0xfee00000 after reset)
 * or x2APIC mode (MSRs 0x800-0x8ff), or hardware-disabled
 * (IA32_APIC_BASE.EN clear). The registers live in a 1 KiB page laid out
 * as the xAPIC MMIO page (what MHV_GET_LAPIC returns); the ones computed
 * on read are the processor priority (PPR) and the timer's current count.
 *
 * Interrupts: a fixed interrupt sets its bit in IRR (and in TMR if it is
 * level-triggered) and kicks the vCPU; the injection (kmod/irq.c) takes
 * the highest IRR vector whose priority class is above PPR's and moves it
 * to ISR; an EOI clears the highest ISR bit and, for a level-triggered
 * vector, tells the I/O APIC (mhv_ioapic_eoi()).
 *
 * The timer counts at MHV_APIC_BUS_HZ divided by the divide configuration
 * (one-shot, periodic) or against the guest's TSC (TSC-deadline mode),
 * kept by an hrtimer on the host.
 *
 * Locking: apic->lock (a spinlock taken with interrupts off) protects the
 * register page, the base MSR and the timer state; deliveries from other
 * vCPUs, the I/O APIC and the hrtimer take it. Nothing is taken under it;
 * interrupts to other local APICs (the ICR) and EOIs to the I/O APIC are
 * sent after it is dropped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hrtimer.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/apicdef.h>
#include <asm/msr-index.h>
#include <asm/tsc.h>

#include "dev.h"
#include "irqchip.h"

/* The timer's input clock: 1 GHz, a count of 1 ns (as KVM's) */
#define MHV_APIC_BUS_NS		1
/* Shortest periodic timer period: bounds the host work a guest makes */
#define MHV_APIC_MIN_PERIOD_NS	(100 * NSEC_PER_USEC)
/* Version register: version 0x14 (integrated), 6 LVT entries (max 5) */
#define MHV_APIC_VERSION	(0x14 | (5 << 16))
#define MHV_APIC_NR_LVT		6

/* IA32_APIC_BASE bits a guest may not set: 0-7, 9 (SDM figure 11-5) */
#define MHV_APIC_BASE_RSVD	(GENMASK_ULL(7, 0) | BIT_ULL(9))
#define MHV_APIC_BASE_MODE	(MSR_IA32_APICBASE_ENABLE | X2APIC_ENABLE)

/* ESR bits (SDM figure 11-9) */
#define MHV_ESR_SEND_ILLEGAL	BIT(5)
#define MHV_ESR_RECV_ILLEGAL	BIT(6)
#define MHV_ESR_ILLEGAL_REG	BIT(7)

/* Writable bits of the LVT entries (SDM figure 11-8) */
#define MHV_LVT_TIMER_BITS	(0xff | APIC_LVT_MASKED | (3 << 17))
#define MHV_LVT_LINT_BITS	(0x7ff | BIT(13) | APIC_LVT_LEVEL_TRIGGER | \
				 APIC_LVT_MASKED)
#define MHV_LVT_OTHER_BITS	(0x7ff | APIC_LVT_MASKED)
#define MHV_LVT_TIMER_MODE	(3 << 17)

static const u32 mhv_lvt_regs[MHV_APIC_NR_LVT] = {
	APIC_LVTT, APIC_LVTTHMR, APIC_LVTPC, APIC_LVT0, APIC_LVT1, APIC_LVTERR,
};

struct mhv_lapic {
	struct mhv_vcpu *vcpu;		/* (R) */
	spinlock_t lock;		/* all that follows but @timer */
	u64 base;			/* (lock; READ_ONCE outside)
					 * IA32_APIC_BASE
					 */
	u32 esr_pending;		/* (lock) errors until the next ESR write */
	struct hrtimer timer;		/* its own locking; the callback
					 * takes @lock
					 */
	bool timer_on;			/* (lock) armed: the count runs */
	u64 period_ns;			/* (lock) one-shot/periodic period */
	u64 tsc_deadline;		/* (lock) IA32_TSC_DEADLINE */
	u8 regs[MHV_APIC_REGS_SIZE];	/* (lock) the register page */
};

/* ---- the register page ----------------------------------------------- */

static u32 lapic_get(const struct mhv_lapic *a, u32 reg)
{
	return *(const u32 *)(a->regs + reg);
}

static void lapic_set(struct mhv_lapic *a, u32 reg, u32 val)
{
	*(u32 *)(a->regs + reg) = val;
}

/* IRR, ISR, TMR: 256 bits, 32 in each of 8 registers 16 bytes apart */
static bool lapic_test_vec(const struct mhv_lapic *a, u32 base, u8 vec)
{
	return lapic_get(a, base + (vec / 32) * 16) & BIT(vec % 32);
}

static void lapic_assign_vec(struct mhv_lapic *a, u32 base, u8 vec, bool on)
{
	u32 reg = base + (vec / 32) * 16, v = lapic_get(a, reg);

	lapic_set(a, reg, on ? v | BIT(vec % 32) : v & ~BIT(vec % 32));
}

/* Highest vector set in IRR/ISR/TMR at @base, or -1. */
static int lapic_highest(const struct mhv_lapic *a, u32 base)
{
	int i;

	for (i = 7; i >= 0; i--) {
		u32 v = lapic_get(a, base + i * 16);

		if (v)
			return i * 32 + fls(v) - 1;
	}
	return -1;
}

static bool lapic_x2apic(const struct mhv_lapic *a)
{
	return (a->base & MHV_APIC_BASE_MODE) == MHV_APIC_BASE_MODE;
}

static bool lapic_hw_enabled(const struct mhv_lapic *a)
{
	return a->base & MSR_IA32_APICBASE_ENABLE;
}

static bool lapic_sw_enabled(const struct mhv_lapic *a)
{
	return lapic_get(a, APIC_SPIV) & APIC_SPIV_APIC_ENABLED;
}

static u32 lapic_id(const struct mhv_lapic *a)
{
	u32 id = lapic_get(a, APIC_ID);

	return lapic_x2apic(a) ? id : id >> 24;
}

/* SDM 11.8.3.1: PPR is TPR, or ISRV's class if that is higher. */
static u32 lapic_ppr(const struct mhv_lapic *a)
{
	u32 tpr = lapic_get(a, APIC_TASKPRI) & 0xff;
	int isrv = lapic_highest(a, APIC_ISR);

	if (isrv < 0 || (tpr & 0xf0) >= (isrv & 0xf0))
		return tpr;
	return isrv & 0xf0;
}

/* x2APIC logical ID from the x2APIC ID (SDM 11.12.10.2) */
static u32 lapic_x2apic_ldr(u32 id)
{
	return ((id >> 4) << 16) | BIT(id & 0xf);
}

/* ---- reset ------------------------------------------------------------- */

static void lapic_timer_stop(struct mhv_lapic *a)
{
	hrtimer_try_to_cancel(&a->timer);
	a->timer_on = false;
}

/*
 * Power-up/RESET state, SDM vol. 3A 11.4.7.1: IRR, ISR, TMR, ICR, LDR,
 * TPR, the timer counts and the divide configuration 0, DFR all ones,
 * every LVT entry masked, SVR 0xff; the ID from the vCPU. As KVM, the
 * boot vCPU's LINT0 is an unmasked ExtINT (the 8259 PIC's output).
 */
static void lapic_reset_regs(struct mhv_lapic *a)
{
	struct mhv_vcpu *vcpu = a->vcpu;
	unsigned int i;

	lapic_timer_stop(a);
	memset(a->regs, 0, sizeof(a->regs));
	a->esr_pending = 0;
	a->tsc_deadline = 0;
	a->period_ns = 0;
	lapic_set(a, APIC_ID, lapic_x2apic(a) ? vcpu->id : vcpu->id << 24);
	if (lapic_x2apic(a))
		lapic_set(a, APIC_LDR, lapic_x2apic_ldr(vcpu->id));
	lapic_set(a, APIC_LVR, MHV_APIC_VERSION);
	lapic_set(a, APIC_DFR, 0xffffffff);
	lapic_set(a, APIC_SPIV, 0xff);
	for (i = 0; i < MHV_APIC_NR_LVT; i++)
		lapic_set(a, mhv_lvt_regs[i], APIC_LVT_MASKED);
	if (vcpu->id == 0)
		lapic_set(a, APIC_LVT0,
			  SET_APIC_DELIVERY_MODE(0, APIC_MODE_EXTINT));
}

/* ---- accepting interrupts --------------------------------------------- */

/* Set @vec in IRR (TMR as @level says); apic->lock held. */
static bool lapic_accept_locked(struct mhv_lapic *a, u8 vec, bool level)
{
	if (!lapic_hw_enabled(a) || !lapic_sw_enabled(a))
		return false;
	if (vec < 16) {		/* vectors 0-15 are illegal (SDM 11.5.2) */
		a->esr_pending |= MHV_ESR_RECV_ILLEGAL;
		return false;
	}
	lapic_assign_vec(a, APIC_IRR, vec, true);
	lapic_assign_vec(a, APIC_TMR, vec, level);
	return true;
}

/* Tell the vCPU about a new IRR bit. */
static void lapic_kick(struct mhv_lapic *a)
{
	/* the IRR bit before vcpu->cpu; pairs with mhv_enter_guest() */
	smp_mb();
	mhv_vcpu_kick(a->vcpu);
}

/* A fixed interrupt: any context. False when the APIC refused it. */
static bool lapic_accept_fixed(struct mhv_lapic *a, u8 vec, bool level)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&a->lock, flags);
	ok = lapic_accept_locked(a, vec, level);
	spin_unlock_irqrestore(&a->lock, flags);
	if (ok)
		lapic_kick(a);
	return ok;
}

/**
 * mhv_lapic_set_irq() - a fixed, edge-triggered interrupt for @vcpu
 * @vcpu: a vCPU with a local APIC
 * @vector: 32..255
 *
 * The path of MHV_INTERRUPT and of the devices' vectors (mhv_irq_raise())
 * when the VM has the in-kernel interrupt controllers. Any context.
 */
void mhv_lapic_set_irq(struct mhv_vcpu *vcpu, u8 vector)
{
	lapic_accept_fixed(vcpu->apic, vector, false);
}

/* ---- the timer (SDM 11.5.4) -------------------------------------------- */

static u32 lapic_timer_mode(const struct mhv_lapic *a)
{
	return lapic_get(a, APIC_LVTT) & MHV_LVT_TIMER_MODE;
}

/* Divide configuration bits 0, 1, 3: 2^(n+1), 0b111 is 1 (figure 11-10) */
static u32 lapic_divide(const struct mhv_lapic *a)
{
	u32 v = lapic_get(a, APIC_TDCR);
	u32 n = (v & 3) | ((v & 8) >> 1);

	return n == 7 ? 1 : 2U << n;
}

static u64 lapic_count_ns(const struct mhv_lapic *a)
{
	return (u64)lapic_divide(a) * MHV_APIC_BUS_NS;
}

/* Current count: the counts left until the hrtimer's expiry. */
static u32 lapic_tmcct(const struct mhv_lapic *a)
{
	s64 left;

	if (!a->timer_on || lapic_timer_mode(a) == APIC_LVT_TIMER_TSCDEADLINE)
		return 0;
	left = ktime_to_ns(ktime_sub(hrtimer_get_expires(&a->timer),
				     ktime_get()));
	if (left <= 0)
		return 0;
	return min_t(u64, div64_u64(left, lapic_count_ns(a)),
		     lapic_get(a, APIC_TMICT));
}

/*
 * (Re)arm the timer from the registers; apic->lock held. @guest_tsc is
 * the guest's TSC now (TSC-deadline mode only).
 */
static void lapic_timer_start(struct mhv_lapic *a, u64 guest_tsc)
{
	u32 icr = lapic_get(a, APIC_TMICT);
	u64 ns;

	lapic_timer_stop(a);
	if (lapic_timer_mode(a) == APIC_LVT_TIMER_TSCDEADLINE) {
		if (!a->tsc_deadline)
			return;
		ns = a->tsc_deadline > guest_tsc && tsc_khz ?
		     mul_u64_u32_div(a->tsc_deadline - guest_tsc,
				     NSEC_PER_MSEC, tsc_khz) : 0;
		/* a far deadline must not wrap the ktime into the past */
		ns = min_t(u64, ns, KTIME_MAX / 2);
	} else {
		if (!icr)
			return;
		ns = icr * lapic_count_ns(a);
		if (lapic_timer_mode(a) == APIC_LVT_TIMER_PERIODIC)
			ns = max_t(u64, ns, MHV_APIC_MIN_PERIOD_NS);
		a->period_ns = ns;
	}
	a->timer_on = true;
	hrtimer_start(&a->timer, ktime_add_ns(ktime_get(), ns),
		      HRTIMER_MODE_ABS);
}

/*
 * Expiry, in hardirq context. A callback that raced with a register
 * write ends here (see kmod/dev/timer.c): after a stop it finds the timer
 * off, after a restart the timer queued again for the new expiry.
 */
static enum hrtimer_restart lapic_timer_fire(struct hrtimer *timer)
{
	struct mhv_lapic *a = container_of(timer, struct mhv_lapic, timer);
	enum hrtimer_restart ret = HRTIMER_NORESTART;
	unsigned long flags;
	bool fired = false;
	u32 lvt;

	spin_lock_irqsave(&a->lock, flags);
	if (a->timer_on && !hrtimer_is_queued(timer)) {
		lvt = lapic_get(a, APIC_LVTT);
		if (lapic_timer_mode(a) == APIC_LVT_TIMER_PERIODIC) {
			/* the bound holds whatever armed the timer */
			hrtimer_forward_now(timer,
					    ns_to_ktime(max_t(u64, a->period_ns,
							      MHV_APIC_MIN_PERIOD_NS)));
			ret = HRTIMER_RESTART;
		} else {
			a->timer_on = false;
			/* the deadline MSR reads 0 once it fired (11.5.4.1) */
			a->tsc_deadline = 0;
		}
		if (!(lvt & APIC_LVT_MASKED))
			fired = lapic_accept_locked(a, lvt & 0xff, false);
	}
	spin_unlock_irqrestore(&a->lock, flags);
	if (fired)
		lapic_kick(a);
	return ret;
}

/* Guest TSC now, for the deadline; the vCPU's thread (vendor state). */
static u64 lapic_guest_tsc(struct mhv_vcpu *vcpu)
{
	u64 tsc;

	if (mhv_vendor->get_msr(vcpu, MSR_IA32_TSC, &tsc))
		tsc = rdtsc();
	return tsc;
}

/*
 * An LVT timer write: a change to or from TSC-deadline mode disarms, as
 * in KVM. Between one-shot and periodic the count goes on; the periodic
 * bound then holds in lapic_timer_fire().
 */
static void lapic_write_lvtt(struct mhv_lapic *a, u32 val)
{
	bool was_dl = lapic_timer_mode(a) == APIC_LVT_TIMER_TSCDEADLINE;
	bool dl = (val & MHV_LVT_TIMER_MODE) == APIC_LVT_TIMER_TSCDEADLINE;

	lapic_set(a, APIC_LVTT, val);
	if (was_dl != dl) {
		lapic_timer_stop(a);
		lapic_set(a, APIC_TMICT, 0);
		a->tsc_deadline = 0;
	}
}

/* ---- delivery (SDM 11.6) ----------------------------------------------- */

/* Is @a a destination of @irq, sent by @src (NULL: the I/O APIC)? */
static bool lapic_match(struct mhv_lapic *a, struct mhv_lapic *src,
			const struct mhv_apic_irq *irq)
{
	u32 bcast = src && lapic_x2apic(src) ? 0xffffffff : 0xff;
	u32 ldr, dfr, id, d = irq->dest;
	unsigned long flags;
	bool x2;

	switch (irq->shorthand) {
	case 1:
		return a == src;
	case 2:
		return true;
	case 3:
		return a != src;
	}
	if (d == bcast)
		return true;
	spin_lock_irqsave(&a->lock, flags);
	x2 = lapic_x2apic(a);
	id = lapic_id(a);
	ldr = lapic_get(a, APIC_LDR);
	dfr = lapic_get(a, APIC_DFR) >> 28;
	spin_unlock_irqrestore(&a->lock, flags);
	if (!irq->dest_logical)
		return id == d;
	if (x2)			/* x2APIC LDR: cluster 31:16, bits 15:0 */
		return (d >> 16) == (ldr >> 16) && (d & ldr & 0xffff);
	ldr >>= 24;
	d &= 0xff;
	if (dfr == 0xf)		/* flat model: a bit per APIC */
		return d & ldr;
	return (d >> 4) == (ldr >> 4) && (d & ldr & 0xf);	/* cluster */
}

static u8 lapic_tpr(struct mhv_lapic *a)
{
	unsigned long flags;
	u8 tpr;

	spin_lock_irqsave(&a->lock, flags);
	tpr = lapic_get(a, APIC_TASKPRI);
	spin_unlock_irqrestore(&a->lock, flags);
	return tpr;
}

/* Deliver @irq to one local APIC; 1 when it took it. */
static int lapic_deliver_one(struct mhv_lapic *a,
			     const struct mhv_apic_irq *irq)
{
	switch (irq->delivery_mode) {
	case MHV_APIC_DM(APIC_DM_FIXED):
	case MHV_APIC_DM(APIC_DM_LOWEST):
		return lapic_accept_fixed(a, irq->vector, irq->trig_level);
	case MHV_APIC_DM(APIC_DM_NMI):
		mhv_vcpu_deliver_nmi(a->vcpu);
		return 1;
	case MHV_APIC_DM(APIC_DM_INIT):
		/* an INIT level de-assert only synchronizes arbitration IDs */
		if (irq->trig_level && !irq->level)
			return 0;
		mhv_vcpu_deliver_init(a->vcpu);
		return 1;
	case MHV_APIC_DM(APIC_DM_STARTUP):
		mhv_vcpu_deliver_sipi(a->vcpu, irq->vector);
		return 1;
	default:		/* SMI, remote read, ExtINT: not delivered */
		return 0;
	}
}

/**
 * mhv_apic_deliver() - send an interrupt message to the local APICs.
 * @vm:  the VM
 * @src: the sending local APIC (ICR, self IPI), NULL for the I/O APIC
 * @irq: the message
 *
 * Lowest priority goes to the destination with the lowest TPR (the first
 * one of those). Any context; takes each target's lock in turn, so the
 * caller may hold the I/O APIC's lock but no local APIC's.
 *
 * Return: how many local APICs accepted it.
 */
int mhv_apic_deliver(struct mhv_vm *vm, struct mhv_lapic *src,
		     const struct mhv_apic_irq *irq)
{
	/* pairs with smp_store_release() in mhv_create_vcpu() */
	u32 nr = smp_load_acquire(&vm->nr_vcpus), i;
	struct mhv_lapic *lowest = NULL;
	bool lp = irq->delivery_mode == MHV_APIC_DM(APIC_DM_LOWEST) &&
		  !irq->shorthand;
	int n = 0;

	for (i = 0; i < nr; i++) {
		struct mhv_lapic *a = vm->vcpus[i]->apic;

		if (!a || !lapic_match(a, src, irq))
			continue;
		if (!lp)
			n += lapic_deliver_one(a, irq);
		else if (!lowest || lapic_tpr(a) < lapic_tpr(lowest))
			lowest = a;
	}
	if (lowest)
		n += lapic_deliver_one(lowest, irq);
	return n;
}

/* The message an ICR value describes (SDM figures 11-12, 11-28) */
static void lapic_icr_irq(u64 icr, bool x2apic, struct mhv_apic_irq *irq)
{
	irq->vector = icr & 0xff;
	irq->delivery_mode = MHV_APIC_DM(icr);
	irq->level = icr & APIC_INT_ASSERT;
	irq->trig_level = icr & APIC_INT_LEVELTRIG;
	irq->dest_logical = icr & APIC_DEST_LOGICAL;
	irq->shorthand = (icr & APIC_DEST_ALLBUT) >> 18;
	irq->dest = x2apic ? icr >> 32 : (icr >> 56) & 0xff;
}

/**
 * mhv_lapic_accepts_pic() - may the 8259 PIC interrupt this vCPU?
 * @vcpu: the vCPU
 *
 * As KVM's kvm_apic_accept_pic_intr(): with no local APIC, a
 * hardware-disabled one, or LINT0 an unmasked ExtINT entry.
 */
bool mhv_lapic_accepts_pic(struct mhv_vcpu *vcpu)
{
	struct mhv_lapic *a = vcpu->apic;
	unsigned long flags;
	bool ok;
	u32 lvt0;

	if (!a)
		return true;
	spin_lock_irqsave(&a->lock, flags);
	lvt0 = lapic_get(a, APIC_LVT0);
	ok = !lapic_hw_enabled(a) ||
	     (!(lvt0 & APIC_LVT_MASKED) &&
	      GET_APIC_DELIVERY_MODE(lvt0) == APIC_MODE_EXTINT);
	spin_unlock_irqrestore(&a->lock, flags);
	return ok;
}

/* ---- injection (kmod/irq.c) -------------------------------------------- */

/**
 * mhv_lapic_next_irq() - the interrupt the local APIC would deliver now.
 * @vcpu: a vCPU with a local APIC
 *
 * Return: the highest IRR vector whose priority class is above PPR's
 * (SDM 11.8.3), or -1.
 */
int mhv_lapic_next_irq(struct mhv_vcpu *vcpu)
{
	struct mhv_lapic *a = vcpu->apic;
	unsigned long flags;
	int vec;

	spin_lock_irqsave(&a->lock, flags);
	vec = lapic_hw_enabled(a) ? lapic_highest(a, APIC_IRR) : -1;
	if (vec >= 0 && (vec & 0xf0) <= (lapic_ppr(a) & 0xf0))
		vec = -1;
	spin_unlock_irqrestore(&a->lock, flags);
	return vec;
}

/*
 * The CPU takes @vector: IRR to ISR, for good (one whose delivery an exit
 * interrupted stays in flight in the vCPU, mhv_irq_redeliver()).
 */
void mhv_lapic_ack(struct mhv_vcpu *vcpu, u8 vector)
{
	struct mhv_lapic *a = vcpu->apic;
	unsigned long flags;

	spin_lock_irqsave(&a->lock, flags);
	lapic_assign_vec(a, APIC_IRR, vector, false);
	lapic_assign_vec(a, APIC_ISR, vector, true);
	spin_unlock_irqrestore(&a->lock, flags);
}

/* ---- registers ----------------------------------------------------------- */

/* Registers by index (offset / 16) each mode reads and writes (table 11-1,
 * table 11-6 for x2APIC: no ARBPRI, DFR, ICR2; SELF IPI instead)
 */
#define R(x)	BIT_ULL((x) >> 4)
#define MHV_APIC_READ	(R(APIC_ID) | R(APIC_LVR) | R(APIC_TASKPRI) |	\
			 R(APIC_PROCPRI) | R(APIC_LDR) | R(APIC_SPIV) |	\
			 GENMASK_ULL(0x27, 0x10) | R(APIC_ESR) |	\
			 R(APIC_ICR) | GENMASK_ULL(0x39, 0x32) |	\
			 R(APIC_TDCR))
#define MHV_APIC_WRITE	(R(APIC_TASKPRI) | R(APIC_EOI) | R(APIC_SPIV) |	\
			 R(APIC_ESR) | R(APIC_ICR) |			\
			 GENMASK_ULL(0x38, 0x32) | R(APIC_TDCR))
#define MHV_XAPIC_ONLY	(R(APIC_ARBPRI) | R(APIC_DFR) | R(APIC_ICR2))

static bool lapic_readable(u32 reg, bool x2apic)
{
	u64 ok = MHV_APIC_READ | (x2apic ? 0 : MHV_XAPIC_ONLY);

	return reg < MHV_APIC_REGS_SIZE && !(reg & 0xf) && (ok & R(reg));
}

static bool lapic_writable(u32 reg, bool x2apic)
{
	u64 ok = MHV_APIC_WRITE | (x2apic ? R(APIC_SELF_IPI) :
				   MHV_XAPIC_ONLY | R(APIC_ID) | R(APIC_LDR));

	return reg < MHV_APIC_REGS_SIZE && !(reg & 0xf) && (ok & R(reg));
}

/* What a register write asks for once apic->lock is dropped. */
struct lapic_post {
	int eoi;			/* level-triggered vector EOIed, or -1 */
	bool send;			/* send @irq (ICR, SELF IPI) */
	struct mhv_apic_irq irq;
	bool restart;			/* restart the timer (TMICT) */
};

static u32 lapic_read_reg(struct mhv_lapic *a, u32 reg)
{
	switch (reg) {
	case APIC_PROCPRI:
		return lapic_ppr(a);
	case APIC_TMCCT:
		return lapic_tmcct(a);
	case APIC_ARBPRI:	/* not kept: reads 0 */
		return 0;
	default:
		return lapic_get(a, reg);
	}
}

/* SDM 11.8.5: EOI ends the highest in-service interrupt. */
static void lapic_eoi(struct mhv_lapic *a, struct lapic_post *post)
{
	int vec = lapic_highest(a, APIC_ISR);

	if (vec < 0)
		return;
	lapic_assign_vec(a, APIC_ISR, vec, false);
	if (lapic_test_vec(a, APIC_TMR, vec))
		post->eoi = vec;
}

/* SVR (figure 11-23); clearing the enable bit masks every LVT entry. */
static void lapic_write_svr(struct mhv_lapic *a, u32 val)
{
	unsigned int i;

	lapic_set(a, APIC_SPIV, val & (0xff | APIC_SPIV_APIC_ENABLED |
				       APIC_SPIV_FOCUS_DISABLED));
	if (val & APIC_SPIV_APIC_ENABLED)
		return;
	for (i = 0; i < MHV_APIC_NR_LVT; i++)
		lapic_set(a, mhv_lvt_regs[i],
			  lapic_get(a, mhv_lvt_regs[i]) | APIC_LVT_MASKED);
}

static void lapic_write_icr(struct mhv_lapic *a, u64 icr,
			    struct lapic_post *post)
{
	lapic_set(a, APIC_ICR, (u32)icr & ~APIC_ICR_BUSY);
	lapic_set(a, APIC_ICR2, icr >> 32);
	lapic_icr_irq(icr, lapic_x2apic(a), &post->irq);
	if (post->irq.delivery_mode <= MHV_APIC_DM(APIC_DM_LOWEST) &&
	    post->irq.vector < 16) {
		a->esr_pending |= MHV_ESR_SEND_ILLEGAL;
		return;
	}
	post->send = true;
}

static u32 lapic_lvt_bits(u32 reg)
{
	switch (reg) {
	case APIC_LVTT:
		return MHV_LVT_TIMER_BITS;
	case APIC_LVT0:
	case APIC_LVT1:
		return MHV_LVT_LINT_BITS;
	case APIC_LVTERR:
		return 0xff | APIC_LVT_MASKED;
	default:
		return MHV_LVT_OTHER_BITS;
	}
}

static void lapic_write_lvt(struct mhv_lapic *a, u32 reg, u32 val)
{
	val &= lapic_lvt_bits(reg);
	if (!lapic_sw_enabled(a))	/* SDM 11.4.7.2 */
		val |= APIC_LVT_MASKED;
	if (reg == APIC_LVTT)
		lapic_write_lvtt(a, val);
	else
		lapic_set(a, reg, val);
}

/*
 * A register write (not ICR in x2APIC mode: see lapic_msr_write()); the
 * caller has checked lapic_writable(). apic->lock held.
 */
static void lapic_write_reg(struct mhv_lapic *a, u32 reg, u32 val,
			    struct lapic_post *post)
{
	switch (reg) {
	case APIC_ID:
	case APIC_LDR:
	case APIC_ICR2:
		lapic_set(a, reg, val & 0xff000000);
		break;
	case APIC_DFR:
		lapic_set(a, reg, val | 0x0fffffff);
		break;
	case APIC_TASKPRI:
		lapic_set(a, reg, val & 0xff);
		break;
	case APIC_EOI:
		lapic_eoi(a, post);
		break;
	case APIC_SPIV:
		lapic_write_svr(a, val);
		break;
	case APIC_ESR:		/* a write latches the errors (11.5.3) */
		lapic_set(a, reg, a->esr_pending);
		a->esr_pending = 0;
		break;
	case APIC_ICR:
		lapic_write_icr(a, (u64)lapic_get(a, APIC_ICR2) << 32 | val,
				post);
		break;
	case APIC_TMICT:	/* ignored in TSC-deadline mode */
		if (lapic_timer_mode(a) == APIC_LVT_TIMER_TSCDEADLINE)
			break;
		lapic_set(a, reg, val);
		post->restart = true;
		break;
	case APIC_TDCR:
		lapic_set(a, reg, val & 0xb);
		break;
	case APIC_SELF_IPI:
		lapic_write_icr(a, APIC_DEST_SELF | (val & 0xff), post);
		break;
	default:
		lapic_write_lvt(a, reg, val);
		break;
	}
}

/* Finish a write once apic->lock is dropped. */
static void lapic_post(struct mhv_lapic *a, struct lapic_post *post)
{
	if (post->eoi >= 0)
		mhv_ioapic_eoi(a->vcpu->vm, post->eoi);
	if (post->send)
		mhv_apic_deliver(a->vcpu->vm, a, &post->irq);
}

/*
 * A guest write of @val to register @reg (@val64: the whole x2APIC ICR).
 * Return: 0, or -EINVAL when the register is not writable in the mode
 * (a #GP for an x2APIC WRMSR; an xAPIC write is dropped).
 */
static int lapic_write(struct mhv_lapic *a, u32 reg, u64 val64)
{
	struct lapic_post post = { .eoi = -1 };
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&a->lock, flags);
	if (!lapic_writable(reg, lapic_x2apic(a))) {
		ret = -EINVAL;
	} else if (reg == APIC_ICR && lapic_x2apic(a)) {
		lapic_write_icr(a, val64, &post);
	} else {
		lapic_write_reg(a, reg, val64, &post);
		if (post.restart)
			lapic_timer_start(a, 0);
	}
	spin_unlock_irqrestore(&a->lock, flags);
	lapic_post(a, &post);
	return ret;
}

/* ---- xAPIC MMIO, x2APIC MSRs, IA32_APIC_BASE ----------------------------- */

/**
 * mhv_lapic_mmio() - an MMIO access to the vCPU's own xAPIC page.
 * @vcpu:  the vCPU that exited
 * @gpa:   the address
 * @size:  bytes
 * @write: a write of *@val, or a read into *@val
 * @val:   the value
 *
 * Registers are 32 bits wide at 16-byte boundaries (SDM 11.4.1); other
 * accesses and addresses read 0 and are dropped on writes.
 *
 * Return: -ENODEV when the address is not the page of an enabled xAPIC,
 * else MHV_RESUME.
 */
int mhv_lapic_mmio(struct mhv_vcpu *vcpu, u64 gpa, u8 size, bool write,
		   u64 *val)
{
	struct mhv_lapic *a = vcpu->apic;
	unsigned long flags;
	u64 off;
	u32 reg;

	if (!a)
		return -ENODEV;
	spin_lock_irqsave(&a->lock, flags);
	/* in 64 bits: a u32 would alias the page every 4 GiB */
	off = gpa - (a->base & MSR_IA32_APICBASE_BASE);
	if (!lapic_hw_enabled(a) || lapic_x2apic(a) ||
	    gpa < (a->base & MSR_IA32_APICBASE_BASE) || off >= PAGE_SIZE) {
		spin_unlock_irqrestore(&a->lock, flags);
		return -ENODEV;
	}
	reg = off;
	if (!write)
		*val = size == 4 && lapic_readable(reg, false) ?
		       lapic_read_reg(a, reg) : 0;
	spin_unlock_irqrestore(&a->lock, flags);
	if (write && size == 4)
		lapic_write(a, reg, (u32)*val);
	vcpu->stats[MHV_STAT_DEV_MMIO]++;
	return MHV_RESUME;
}

static bool lapic_is_msr(u32 index)
{
	return (index >= APIC_BASE_MSR && index < APIC_BASE_MSR + 0x100) ||
	       index == MSR_IA32_TSC_DEADLINE || index == MSR_IA32_APICBASE;
}

/* RDMSR of an x2APIC register (SDM 11.12.1.2): #GP outside x2APIC mode */
static int lapic_msr_read(struct mhv_lapic *a, u32 reg, u64 *data)
{
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&a->lock, flags);
	if (!lapic_x2apic(a) || !lapic_readable(reg, true))
		ret = -EINVAL;
	else if (reg == APIC_ICR)
		*data = lapic_get(a, APIC_ICR) |
			(u64)lapic_get(a, APIC_ICR2) << 32;
	else
		*data = lapic_read_reg(a, reg);
	spin_unlock_irqrestore(&a->lock, flags);
	return ret;
}

/*
 * WRMSR of an x2APIC register: #GP outside x2APIC mode, for bits 63:32
 * set (but ICR's), and for a non-zero EOI or ESR write.
 */
static int lapic_msr_write(struct mhv_lapic *a, u32 reg, u64 data)
{
	if (!lapic_x2apic(a))
		return -EINVAL;
	if ((reg != APIC_ICR && data >> 32) ||
	    ((reg == APIC_EOI || reg == APIC_ESR) && data))
		return -EINVAL;
	return lapic_write(a, reg, data);
}

/* The mode of an IA32_APIC_BASE value: 0 disabled, 1 xAPIC, 2 x2APIC */
static int lapic_mode(u64 base)
{
	if (!(base & MSR_IA32_APICBASE_ENABLE))
		return base & X2APIC_ENABLE ? -1 : 0;
	return base & X2APIC_ENABLE ? 2 : 1;
}

/*
 * WRMSR IA32_APIC_BASE (SDM 11.12.5, figure 11-27): EN=0 with EXTD=1 is
 * invalid, and so are x2APIC to xAPIC and disabled to x2APIC; the BSP
 * flag is read-only. Disabling resets the registers; x2APIC mode makes
 * the ID the 32-bit x2APIC ID and the LDR the one derived from it.
 */
static int lapic_set_base(struct mhv_lapic *a, u64 data, bool host)
{
	u64 rsvd = MHV_APIC_BASE_RSVD |
		   ~GENMASK_ULL(boot_cpu_data.x86_phys_bits - 1, 0);
	int old, new = lapic_mode(data);
	unsigned long flags;

	if ((data & rsvd) || new < 0)
		return -EINVAL;
	spin_lock_irqsave(&a->lock, flags);
	old = lapic_mode(a->base);
	if (!host && ((old == 2 && new == 1) || (old == 0 && new == 2))) {
		spin_unlock_irqrestore(&a->lock, flags);
		return -EINVAL;
	}
	WRITE_ONCE(a->base, (data & ~MSR_IA32_APICBASE_BSP) |
			    (a->base & MSR_IA32_APICBASE_BSP));
	if (new == 0 || (old == 2 && new == 1))
		lapic_reset_regs(a);
	if (new == 2 && old != 2) {
		lapic_set(a, APIC_ID, a->vcpu->id);
		lapic_set(a, APIC_LDR, lapic_x2apic_ldr(a->vcpu->id));
	}
	spin_unlock_irqrestore(&a->lock, flags);
	return 0;
}

/* IA32_TSC_DEADLINE: 0 outside TSC-deadline mode, writes then ignored */
static int lapic_deadline(struct mhv_lapic *a, u64 *data, bool write)
{
	u64 now = write ? lapic_guest_tsc(a->vcpu) : 0;
	unsigned long flags;

	spin_lock_irqsave(&a->lock, flags);
	if (lapic_timer_mode(a) != APIC_LVT_TIMER_TSCDEADLINE) {
		if (!write)
			*data = 0;
	} else if (write) {
		a->tsc_deadline = *data;
		lapic_timer_start(a, now);
	} else {
		*data = a->tsc_deadline;
	}
	spin_unlock_irqrestore(&a->lock, flags);
	return 0;
}

/**
 * mhv_lapic_msr_get() - RDMSR (or MHV_GET_MSRS) of a local APIC MSR.
 * @vcpu:  the vCPU
 * @index: the MSR
 * @data:  its value
 *
 * Return: -ENOENT when the vCPU has no local APIC or @index is not one of
 * its MSRs (IA32_APIC_BASE, IA32_TSC_DEADLINE, 0x800-0x8ff), -EINVAL for
 * a #GP, else 0.
 */
int mhv_lapic_msr_get(struct mhv_vcpu *vcpu, u32 index, u64 *data)
{
	struct mhv_lapic *a = vcpu->apic;

	if (!a || !lapic_is_msr(index))
		return -ENOENT;
	if (index == MSR_IA32_APICBASE) {
		*data = READ_ONCE(a->base);
		return 0;
	}
	if (index == MSR_IA32_TSC_DEADLINE)
		return lapic_deadline(a, data, false);
	return lapic_msr_read(a, (index - APIC_BASE_MSR) << 4, data);
}

/* As mhv_lapic_msr_get(), for WRMSR (@host: MHV_SET_MSRS). */
int mhv_lapic_msr_set(struct mhv_vcpu *vcpu, u32 index, u64 data, bool host)
{
	struct mhv_lapic *a = vcpu->apic;

	if (!a || !lapic_is_msr(index))
		return -ENOENT;
	if (index == MSR_IA32_APICBASE)
		return lapic_set_base(a, data, host);
	if (index == MSR_IA32_TSC_DEADLINE)
		return lapic_deadline(a, &data, true);
	return lapic_msr_write(a, (index - APIC_BASE_MSR) << 4, data);
}

/*
 * CPUID leaf 1 of a vCPU with a local APIC (default table): x2APIC and
 * the TSC-deadline timer offered; EDX.APIC follows IA32_APIC_BASE.EN.
 */
void mhv_lapic_cpuid(struct mhv_vcpu *vcpu, u32 *r)
{
	if (!vcpu->apic)
		return;
	r[2] |= BIT(X86_FEATURE_X2APIC & 31) |
		BIT(X86_FEATURE_TSC_DEADLINE_TIMER & 31);
	if (READ_ONCE(vcpu->apic->base) & MSR_IA32_APICBASE_ENABLE)
		r[3] |= BIT(X86_FEATURE_APIC & 31);
	else
		r[3] &= ~BIT(X86_FEATURE_APIC & 31);
}

/* ---- MHV_GET_LAPIC / MHV_SET_LAPIC ----------------------------------------- */

static long lapic_get_state(struct mhv_lapic *a, void __user *argp)
{
	struct mhv_lapic_state *st;
	unsigned long flags;
	long ret = 0;

	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	spin_lock_irqsave(&a->lock, flags);
	memcpy(st->regs, a->regs, sizeof(st->regs));
	*(u32 *)(st->regs + APIC_PROCPRI) = lapic_ppr(a);
	*(u32 *)(st->regs + APIC_TMCCT) = lapic_tmcct(a);
	spin_unlock_irqrestore(&a->lock, flags);
	if (copy_to_user(argp, st, sizeof(*st)))
		ret = -EFAULT;
	kfree(st);
	return ret;
}

/*
 * The page as given, but the version and, in x2APIC mode, the ID and LDR
 * (read-only there); the timer starts again from the initial count (or
 * the deadline).
 */
static long lapic_set_state(struct mhv_lapic *a, void __user *argp)
{
	u64 now = lapic_guest_tsc(a->vcpu);
	struct mhv_lapic_state *st;
	unsigned long flags;

	st = memdup_user(argp, sizeof(*st));
	if (IS_ERR(st))
		return PTR_ERR(st);
	spin_lock_irqsave(&a->lock, flags);
	memcpy(a->regs, st->regs, sizeof(a->regs));
	lapic_set(a, APIC_LVR, MHV_APIC_VERSION);
	lapic_set(a, APIC_PROCPRI, 0);
	lapic_set(a, APIC_TMCCT, 0);
	if (lapic_x2apic(a)) {
		lapic_set(a, APIC_ID, a->vcpu->id);
		lapic_set(a, APIC_LDR, lapic_x2apic_ldr(a->vcpu->id));
	}
	lapic_timer_start(a, now);
	spin_unlock_irqrestore(&a->lock, flags);
	kfree(st);
	lapic_kick(a);		/* IRR may hold interrupts now */
	return 0;
}

/**
 * mhv_lapic_ioctl() - the local APIC's vCPU ioctls, under vcpu->mutex.
 * @vcpu: the vCPU
 * @cmd:  the ioctl
 * @argp: its argument
 *
 * Return: -ENOTTY for another ioctl, -ENXIO without a local APIC (the VM
 * has no MHV_VM_F_IRQCHIP).
 */
long mhv_lapic_ioctl(struct mhv_vcpu *vcpu, unsigned int cmd,
		     void __user *argp)
{
	if (cmd != MHV_GET_LAPIC && cmd != MHV_SET_LAPIC)
		return -ENOTTY;
	if (!vcpu->apic)
		return -ENXIO;
	if (cmd == MHV_GET_LAPIC)
		return lapic_get_state(vcpu->apic, argp);
	return lapic_set_state(vcpu->apic, argp);
}

/* ---- creation ------------------------------------------------------------ */

/* A local APIC for @vcpu when its VM has MHV_VM_F_IRQCHIP (at creation). */
int mhv_lapic_create(struct mhv_vcpu *vcpu)
{
	struct mhv_lapic *a;

	if (!(vcpu->vm->config.features & MHV_VM_F_IRQCHIP))
		return 0;
	a = kzalloc(sizeof(*a), GFP_KERNEL_ACCOUNT);
	if (!a)
		return -ENOMEM;
	a->vcpu = vcpu;
	spin_lock_init(&a->lock);
	hrtimer_init(&a->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	a->timer.function = lapic_timer_fire;
	a->base = APIC_DEFAULT_PHYS_BASE | MSR_IA32_APICBASE_ENABLE |
		  (vcpu->id == 0 ? MSR_IA32_APICBASE_BSP : 0);
	lapic_reset_regs(a);
	vcpu->apic = a;
	return 0;
}

/* Free it; the vCPU is going away (no delivery can reach it any more). */
void mhv_lapic_free(struct mhv_vcpu *vcpu)
{
	if (!vcpu->apic)
		return;
	hrtimer_cancel(&vcpu->apic->timer);
	kfree(vcpu->apic);
	vcpu->apic = NULL;
}
