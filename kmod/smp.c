// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - SMP guests: the run state of a vCPU (runnable, waiting for
 * a SIPI, halted), INIT and SIPI, and NMIs.
 *
 * INIT, SIPI and NMI come from any thread: another vCPU's (its local
 * APIC's ICR), an ioctl, an hrtimer. The sender sets a bit of
 * vcpu->events and kicks the vCPU (mhv_vcpu_kick()); the vCPU's own
 * thread applies INIT and SIPI before its next entry
 * (mhv_smp_accept_events()) and injects the NMI at an entry
 * (mhv_inject_nmi()), so the vCPU's state is only ever changed by its
 * own thread.
 *
 * INIT puts the vCPU in the state of SDM vol. 3 table 10-1 ("IA-32
 * Processor States Following Power-up, Reset, or INIT", the INIT column)
 * and then, on an application processor, in wait-for-SIPI. On the boot
 * vCPU (id 0) it runs again from F000:FFF0 at once, as the bootstrap
 * processor does on hardware and as KVM does (kvm_apic_accept_events()).
 * A SIPI to a vCPU in wait-for-SIPI starts it in real mode at
 * CS = vector << 8 (base vector << 12), IP 0; in any other state it is
 * ignored.
 *
 * NMI: at most one pending (a second one while one is pending is the
 * same NMI, as on a CPU) and one being handled: from its delivery to the
 * guest's IRET the guest blocks NMIs, and a new one waits; the backend
 * exits with MHV_X_NMI_WINDOW when the guest can take it. An NMI goes in
 * before an external interrupt, after an exception already queued. It
 * wakes a halted vCPU whatever RFLAGS.IF says.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <asm/debugreg.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>

#include "mhv.h"
#include "dev/irqchip.h"
#include "trace.h"

static bool mhv_vcpu_is_bsp(struct mhv_vcpu *vcpu)
{
	return vcpu->id == 0;
}

/* The vCPU's first run state: APs of a VM with the PC irqchip wait. */
void mhv_smp_vcpu_init(struct mhv_vcpu *vcpu)
{
	vcpu->mp_state = MHV_MP_STATE_RUNNABLE;
	if (!mhv_vcpu_is_bsp(vcpu) &&
	    (vcpu->vm->config.features & MHV_VM_F_IRQCHIP))
		vcpu->mp_state = MHV_MP_STATE_WAIT_SIPI;
}

static void mhv_vcpu_event(struct mhv_vcpu *vcpu, int ev)
{
	set_bit(ev, &vcpu->events);
	/* the bit before vcpu->cpu; pairs with smp_mb() in mhv_enter_guest */
	smp_mb__after_atomic();
	mhv_vcpu_kick(vcpu);
}

/**
 * mhv_vcpu_deliver_init() - an INIT for @vcpu (any context).
 * @vcpu: the target
 */
void mhv_vcpu_deliver_init(struct mhv_vcpu *vcpu)
{
	mhv_vcpu_event(vcpu, MHV_EV_INIT);
}

/**
 * mhv_vcpu_deliver_sipi() - a start-up IPI for @vcpu (any context).
 * @vcpu: the target; ignored unless it waits for a SIPI
 * @vector: its start page: CS:IP = (vector << 8):0
 */
void mhv_vcpu_deliver_sipi(struct mhv_vcpu *vcpu, u8 vector)
{
	WRITE_ONCE(vcpu->sipi_vector, vector);
	/* the vector before the bit; test_and_clear_bit() orders the read */
	smp_mb__before_atomic();
	mhv_vcpu_event(vcpu, MHV_EV_SIPI);
}

/**
 * mhv_vcpu_deliver_nmi() - an NMI for @vcpu (any context).
 * @vcpu: the target; one already pending absorbs this one
 */
void mhv_vcpu_deliver_nmi(struct mhv_vcpu *vcpu)
{
	mhv_vcpu_event(vcpu, MHV_EV_NMI);
}

static void mhv_seg_reset(struct mhv_segment *seg, u16 sel, u64 base,
			  u8 type, u8 s)
{
	memset(seg, 0, sizeof(*seg));
	seg->selector = sel;
	seg->base = base;
	seg->limit = 0xffff;
	seg->type = type;
	seg->s = s;
	seg->present = 1;
}

/*
 * The registers after INIT (SDM vol. 3 table 10-1, INIT column): real
 * mode at F000:FFF0; CR0 = ET with CD and NW kept, CR2, CR3, CR4 0;
 * segments base 0 limit 0xffff present read/write accessed; GDTR and
 * IDTR base 0 limit 0xffff; GPRs 0 (EDX: see Documentation/api.rst);
 * DR0-3 0, DR6 0xffff0ff0, DR7 0x400. Kept: x87/SSE state, MXCSR, the
 * MSRs (TSC, PAT, SYSENTER, ...) except EFER, which is 0 as KVM makes it
 * (LMA cannot stay with paging off). Events pending are dropped.
 */
static void mhv_vcpu_init_reset(struct mhv_vcpu *vcpu)
{
	struct mhv_sregs s;
	u64 cd_nw;

	memset(&s, 0, sizeof(s));
	mhv_vendor->get_sregs(vcpu, &s);
	cd_nw = s.cr0 & (X86_CR0_CD | X86_CR0_NW);
	memset(&s, 0, sizeof(s));
	mhv_seg_reset(&s.cs, 0xf000, 0xffff0000, 0xb, 1);
	mhv_seg_reset(&s.ds, 0, 0, 3, 1);
	mhv_seg_reset(&s.es, 0, 0, 3, 1);
	mhv_seg_reset(&s.fs, 0, 0, 3, 1);
	mhv_seg_reset(&s.gs, 0, 0, 3, 1);
	mhv_seg_reset(&s.ss, 0, 0, 3, 1);
	mhv_seg_reset(&s.ldt, 0, 0, 2, 0);
	mhv_seg_reset(&s.tr, 0, 0, 0xb, 0);
	s.gdt.limit = 0xffff;
	s.idt.limit = 0xffff;
	s.cr0 = X86_CR0_ET | cd_nw;
	mhv_vendor->set_sregs(vcpu, &s);
	mhv_vendor->flush_tlb(vcpu);

	memset(vcpu->regs, 0, sizeof(vcpu->regs));
	vcpu->rip = 0xfff0;
	vcpu->rflags = X86_EFLAGS_FIXED;
	memset(vcpu->db, 0, sizeof(vcpu->db));
	vcpu->dr6 = DR6_RESERVED;
	vcpu->dr7 = 0x400;
	mhv_vendor->set_dr7(vcpu, vcpu->dr7);
	vcpu->exc.pending = false;
	vcpu->irq_inflight.pending = false;
	vcpu->halted = false;
	clear_bit(MHV_EV_NMI, &vcpu->events);
	mhv_vendor->init_events(vcpu);
}

/* A SIPI's start: real mode at (vector << 8):0, the rest as INIT left it */
static void mhv_vcpu_sipi_start(struct mhv_vcpu *vcpu, u8 vector)
{
	struct mhv_sregs s;

	memset(&s, 0, sizeof(s));
	mhv_vendor->get_sregs(vcpu, &s);
	s.cs.selector = (u16)vector << 8;
	s.cs.base = (u64)vector << 12;
	mhv_vendor->set_sregs(vcpu, &s);
	vcpu->rip = 0;
}

/**
 * mhv_smp_accept_events() - apply the INIT and SIPI sent to @vcpu.
 * @vcpu: the vCPU, on the thread that holds vcpu->mutex
 *
 * INIT first: an INIT and the SIPI that follows it may both wait here.
 */
void mhv_smp_accept_events(struct mhv_vcpu *vcpu)
{
	if (!(READ_ONCE(vcpu->events) & MHV_EV_START))
		return;
	if (test_and_clear_bit(MHV_EV_INIT, &vcpu->events)) {
		mhv_vcpu_init_reset(vcpu);
		WRITE_ONCE(vcpu->mp_state, mhv_vcpu_is_bsp(vcpu) ?
			   MHV_MP_STATE_RUNNABLE : MHV_MP_STATE_WAIT_SIPI);
	}
	if (test_and_clear_bit(MHV_EV_SIPI, &vcpu->events) &&
	    vcpu->mp_state == MHV_MP_STATE_WAIT_SIPI) {
		mhv_vcpu_sipi_start(vcpu, READ_ONCE(vcpu->sipi_vector));
		WRITE_ONCE(vcpu->mp_state, MHV_MP_STATE_RUNNABLE);
	}
}

/**
 * mhv_smp_wait_sipi() - RUN of a vCPU in wait-for-SIPI: sleep.
 * @vcpu: the vCPU, on its thread, preemptible
 *
 * Until an INIT or a SIPI comes, a signal or a stop: the run loop looks
 * at each of them next. Return: MHV_RESUME.
 */
int mhv_smp_wait_sipi(struct mhv_vcpu *vcpu)
{
	vcpu->stat.wait_sipi++;
	wait_event_interruptible(vcpu->wq,
				 (READ_ONCE(vcpu->events) & MHV_EV_START) ||
				 READ_ONCE(vcpu->vm->stop_requested));
	return MHV_RESUME;
}

/* An event that ends a HLT whatever RFLAGS.IF says: an NMI, an INIT. */
bool mhv_smp_wakes_halt(struct mhv_vcpu *vcpu)
{
	return READ_ONCE(vcpu->events) &
	       (BIT(MHV_EV_NMI) | BIT(MHV_EV_INIT));
}

/**
 * mhv_inject_nmi() - the NMI part of mhv_inject_events().
 * @vcpu: the vCPU about to enter, host interrupts off
 *
 * The pending NMI goes in unless an event is already queued for this
 * entry, the guest is in an interrupt shadow (STI, MOV SS: KVM counts
 * both) or still handles the last NMI; then the backend watches for the
 * moment it can (MHV_X_NMI_WINDOW).
 */
void mhv_inject_nmi(struct mhv_vcpu *vcpu)
{
	bool pending = test_bit(MHV_EV_NMI, &vcpu->events);

	if (pending && !mhv_vendor->event_pending(vcpu) &&
	    !mhv_vendor->irq_shadow(vcpu) && !mhv_vendor->nmi_blocked(vcpu)) {
		clear_bit(MHV_EV_NMI, &vcpu->events);
		mhv_vendor->inject_nmi(vcpu);
		vcpu->stats[MHV_STAT_NMI_INJECTED]++;
		mhv_trace_inject(vcpu, MHV_TRACE_INJ_NMI, X86_TRAP_NMI, false,
				 0);
		pending = false;
	}
	mhv_vendor->nmi_window(vcpu, pending);
}

/* The guest can take an NMI: the next entry injects the pending one. */
int mhv_handle_nmi_window(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	return MHV_RESUME;
}

/* MHV_GET_MP_STATE, under vcpu->mutex. */
long mhv_vcpu_get_mp_state(struct mhv_vcpu *vcpu, void __user *argp)
{
	struct mhv_mp_state mp;

	mhv_smp_accept_events(vcpu);
	memset(&mp, 0, sizeof(mp));
	mp.state = vcpu->mp_state;
	if (mp.state == MHV_MP_STATE_RUNNABLE && vcpu->halted)
		mp.state = MHV_MP_STATE_HALTED;
	return copy_to_user(argp, &mp, sizeof(mp)) ? -EFAULT : 0;
}

/* The states set under vcpu->mutex: RUNNABLE, HALTED, WAIT_SIPI. */
static void mhv_vcpu_set_mp_locked(struct mhv_vcpu *vcpu, u32 state)
{
	mhv_smp_accept_events(vcpu);
	switch (state) {
	case MHV_MP_STATE_WAIT_SIPI:
		/* as an INIT, but the boot vCPU waits too: asked for */
		mhv_vcpu_init_reset(vcpu);
		vcpu->mp_state = MHV_MP_STATE_WAIT_SIPI;
		break;
	case MHV_MP_STATE_HALTED:
		vcpu->mp_state = MHV_MP_STATE_RUNNABLE;
		vcpu->halted = true;
		break;
	default:
		vcpu->mp_state = MHV_MP_STATE_RUNNABLE;
		vcpu->halted = false;
		break;
	}
}

/*
 * MHV_SET_MP_STATE. SIPI_RECEIVED from any thread without vcpu->mutex
 * (it wakes a vCPU sleeping in RUN, as MHV_INTERRUPT does); the others
 * take the mutex, so they wait for a RUN in progress to return.
 */
long mhv_vcpu_set_mp_state(struct mhv_vcpu *vcpu, void __user *argp)
{
	struct mhv_mp_state mp;

	if (copy_from_user(&mp, argp, sizeof(mp)))
		return -EFAULT;
	if (mp.reserved[0] || mp.reserved[1] ||
	    mp.state > MHV_MP_STATE_SIPI_RECEIVED ||
	    (mp.state == MHV_MP_STATE_SIPI_RECEIVED ? mp.sipi_vector > 0xff :
						      mp.sipi_vector != 0))
		return -EINVAL;
	if (mp.state == MHV_MP_STATE_SIPI_RECEIVED) {
		mhv_vcpu_deliver_sipi(vcpu, mp.sipi_vector);
		return 0;
	}
	if (mutex_lock_killable(&vcpu->mutex))
		return -EINTR;
	mhv_vcpu_set_mp_locked(vcpu, mp.state);
	mutex_unlock(&vcpu->mutex);
	return 0;
}

/* MHV_NMI: any thread, without vcpu->mutex (it wakes a HLT). */
long mhv_vcpu_nmi(struct mhv_vcpu *vcpu)
{
	mhv_vcpu_deliver_nmi(vcpu);
	return 0;
}
