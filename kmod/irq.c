// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - events into the guest: external interrupts raised by
 * in-kernel devices (mhv_irq_raise()) or by userspace (MHV_INTERRUPT),
 * exceptions queued by userspace (MHV_QUEUE_EXCEPTION), interrupt
 * windows, and HLT sleeping in the kernel until an interrupt wakes it.
 *
 * An interrupt is a bit in vcpu->irq_pending until the guest can take it:
 * RFLAGS.IF set, no interrupt shadow (STI, MOV SS) and no other event
 * being delivered. Until then the backend asks for an interrupt-window
 * exit. The bits are looked at right before every entry, with host
 * interrupts off (mhv_inject_events()); a raise that comes later sends an
 * IPI to the vCPU's CPU, and that IPI ends the guest at once. The
 * highest vector pending goes first; a vector raised twice before it was
 * delivered is delivered once, as with a CPU's interrupt request register.
 * One whose delivery an exit interrupted is in flight: it goes in again
 * first, as it is (mhv_irq_redeliver()).
 *
 * With MHV_VM_F_IRQCHIP, devices drive interrupt lines (GSIs) instead:
 * mhv_irq_line() sets the PIC's input and the I/O APIC's pin, and the
 * PIC's output is a second source of interrupts for the boot vCPU, taken
 * with an INTA cycle (mhv_pic_ack()) when nothing of the bitmap waits.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/fs.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <asm/irq_vectors.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>
/* smp_send_reschedule() traces the IPI from 6.5 on */
#include <trace/events/ipi.h>

#include "mhv.h"
#include "dev/irqchip.h"
#include "trace.h"

/*
 * Exceptions userspace may queue: the ones with an architectural cause a
 * guest of this module can meet. Not NMI (2), not the reserved 15, 22-27,
 * 31, and not #CP (21), #VC (29), #SX (30): CET, SEV-ES and AMD's
 * security exception are not offered to guests, and VT-x refuses an
 * entry that delivers their error code on CPUs without
 * IA32_VMX_BASIC[56].
 */
#define MHV_EXC_QUEUEABLE	(GENMASK(20, 0) & ~BIT(X86_TRAP_NMI) &	\
				 ~BIT(X86_TRAP_SPURIOUS))
/* ... of which these push an error code (SDM vol. 3 table 6-1) */
#define MHV_EXC_WITH_ERROR	(BIT(X86_TRAP_DF) | BIT(X86_TRAP_TS) |	\
				 BIT(X86_TRAP_NP) | BIT(X86_TRAP_SS) |	\
				 BIT(X86_TRAP_GP) | BIT(X86_TRAP_PF) |	\
				 BIT(X86_TRAP_AC))

/*
 * The interrupt the vCPU would take next, or -1: with a local APIC its
 * highest IRR vector above PPR (dev/lapic.c), else the bitmap's highest.
 */
static int mhv_next_irq(struct mhv_vcpu *vcpu)
{
	unsigned long vector;

	if (vcpu->apic)
		return mhv_lapic_next_irq(vcpu);
	vector = find_last_bit(vcpu->irq_pending, NR_VECTORS);
	return vector < NR_VECTORS ? vector : -1;
}

static bool mhv_irq_pending(struct mhv_vcpu *vcpu)
{
	return mhv_next_irq(vcpu) >= 0;
}

/* The PIC's output is up for @vcpu: the boot vCPU, its LAPIC lets it in. */
static bool mhv_pic_pending(struct mhv_vcpu *vcpu)
{
	struct mhv_vm *vm = vcpu->vm;

	return vm->pic && vcpu == READ_ONCE(vm->boot_vcpu) &&
	       mhv_pic_has_intr(vm) && mhv_lapic_accepts_pic(vcpu);
}

/* Some interrupt waits for the vCPU: in flight, the bitmap's, the PIC's. */
static bool mhv_irq_waiting(struct mhv_vcpu *vcpu)
{
	return vcpu->irq_inflight.pending || mhv_irq_pending(vcpu) ||
	       mhv_pic_pending(vcpu);
}

/**
 * mhv_vcpu_kick() - make a vCPU look at its events now.
 * @vcpu: the vCPU
 *
 * A vCPU halted in the kernel wakes up; one in guest mode on another CPU
 * gets an IPI, which ends the guest (an INTR exit) before its next
 * entry looks at the events again. Any context.
 */
void mhv_vcpu_kick(struct mhv_vcpu *vcpu)
{
	int cpu, me;

	wake_up_interruptible(&vcpu->wq);
	me = get_cpu();		/* no CPU goes offline until put_cpu() */
	cpu = READ_ONCE(vcpu->cpu);
	/* on this CPU the vCPU is not in guest mode: we are running */
	if (cpu >= 0 && cpu != me && cpu_online(cpu))
		smp_send_reschedule(cpu);
	put_cpu();
}

static void mhv_vcpu_irq(struct mhv_vcpu *vcpu, u8 vector)
{
	if (vcpu->apic) {	/* a fixed interrupt at its local APIC */
		mhv_lapic_set_irq(vcpu, vector);
		return;
	}
	set_bit(vector, vcpu->irq_pending);
	/* the bit before vcpu->cpu; pairs with smp_mb() in mhv_enter_guest */
	smp_mb__after_atomic();
	mhv_vcpu_kick(vcpu);
}

/**
 * mhv_irq_redeliver() - an exit interrupted the delivery of an interrupt.
 * @vcpu:   the vCPU, on its thread, right after the exit
 * @vector: the external interrupt being delivered (the backend decoded
 *          it: SVM EXITINTINFO, VMX IDT-vectoring information)
 *
 * Its controller already handed the vector over: the local APIC moved it
 * from IRR to ISR, the PIC ran its INTA cycle (IRR to ISR there), or it
 * left the bitmap. It is in flight, in the CPU, and goes in again as it
 * is, from no controller: putting it back into one would make a PIC
 * vector a local APIC interrupt (whose EOI the guest never sends, while
 * the PIC's ISR bit stays set) and deliver a local APIC vector raised
 * again meanwhile once instead of twice. KVM keeps it the same way
 * (interrupt.injected). It goes before any other interrupt, as soon as
 * the guest can take one: at the next entry, or, when userspace cleared
 * RFLAGS.IF in between (VT-x refuses to inject an external interrupt
 * then), once the guest sets it again, on both backends.
 */
void mhv_irq_redeliver(struct mhv_vcpu *vcpu, u8 vector)
{
	vcpu->irq_inflight.vector = vector;
	vcpu->irq_inflight.pending = true;
	vcpu->irq_inflight.fresh = true;
}

/**
 * mhv_irq_raise() - an in-kernel device raises an interrupt.
 * @vm: the device's VM
 * @vector: 32..255, the vector the guest's IDT handles it with
 *
 * Any context, hrtimer callbacks included. The interrupt goes to vCPU 0;
 * before vCPU 0 exists there is nobody to take it and it is dropped.
 */
void mhv_irq_raise(struct mhv_vm *vm, u8 vector)
{
	/* pairs with smp_store_release() in mhv_create_vcpu() */
	struct mhv_vcpu *vcpu = smp_load_acquire(&vm->boot_vcpu);

	if (vcpu && vector >= FIRST_EXTERNAL_VECTOR)
		mhv_vcpu_irq(vcpu, vector);
}

static bool mhv_irq_allowed(struct mhv_vcpu *vcpu)
{
	return (vcpu->rflags & X86_EFLAGS_IF) &&
	       !mhv_vendor->irq_shadow(vcpu) && !mhv_vendor->event_pending(vcpu);
}

/*
 * The interrupt in flight goes in again at this entry? At the entry
 * right after the exit that interrupted its delivery, no interrupt
 * shadow holds it: the delivery had begun (an exit during it may still
 * report the shadow of the STI before it, as SVM in the test VM does);
 * only RFLAGS.IF, which userspace may have cleared in between. Once the
 * guest ran on without it (IF clear), it waits as any interrupt does,
 * shadow included: VT-x refuses an entry that injects an interrupt in
 * an STI or MOV SS shadow (SDM 26.3.1.5), and the guest may have made
 * one since (STI, then an access that exits).
 */
static bool mhv_inflight_allowed(struct mhv_vcpu *vcpu)
{
	return (vcpu->rflags & X86_EFLAGS_IF) &&
	       (vcpu->irq_inflight.fresh || !mhv_vendor->irq_shadow(vcpu)) &&
	       !mhv_vendor->event_pending(vcpu);
}

/**
 * mhv_irq_line() - an interrupt line of the VM's irqchip goes to @level.
 * @vm:    the VM; without MHV_VM_F_IRQCHIP nothing happens
 * @gsi:   < MHV_IRQCHIP_NR_GSI; 0-15 are also the ISA IRQs of the PIC
 * @level: the line is high (asserted)
 *
 * Any context. GSI 0-15 drive the PIC's input of that number, but 2,
 * the master's cascade input, which the slave alone drives (no ISA line
 * reaches it); every GSI drives the I/O APIC pin of that number, but ISA
 * IRQ 0 (the PIT), which is wired to pin 2 as on every PC (the MADT's
 * interrupt source override).
 */
void mhv_irq_line(struct mhv_vm *vm, u32 gsi, bool level)
{
	if (!vm->pic || gsi >= MHV_IRQCHIP_NR_GSI)
		return;
	if (gsi < 16 && gsi != 2)
		mhv_pic_set_irq(vm, gsi, level);
	mhv_ioapic_set_irq(vm, gsi ? gsi : 2, level);
}

/* MHV_IRQ_LINE: userspace devices drive the irqchip's lines. */
long mhv_vm_irq_line(struct file *file, void __user *argp)
{
	struct mhv_vm *vm = file->private_data;
	struct mhv_irq_level l;

	if (copy_from_user(&l, argp, sizeof(l)))
		return -EFAULT;
	if (!vm->pic || l.gsi >= MHV_IRQCHIP_NR_GSI || l.level > 1 ||
	    l.reserved[0] || l.reserved[1])
		return -EINVAL;
	mhv_irq_line(vm, l.gsi, l.level);
	return 0;
}

/* The INTA cycle: the PIC's vector goes in at the next entry. */
static void mhv_inject_pic(struct mhv_vcpu *vcpu)
{
	int vector = mhv_pic_ack(vcpu->vm);

	mhv_vendor->inject_irq(vcpu, vector);
	vcpu->stats[MHV_STAT_IRQ_INJECTED]++;
	vcpu->stats[MHV_STAT_PIC_ACK]++;
	mhv_trace_inject(vcpu, MHV_TRACE_INJ_IRQ, vector, false, 0);
}

/**
 * mhv_inject_events() - hand the backend what the next entry delivers.
 * @vcpu: the vCPU about to enter, on its thread
 *
 * Called by the backend with host interrupts off, right before the
 * entry: the interrupt in flight when the guest can take it, else a
 * queued exception, else the highest pending interrupt when the guest
 * can take it (the bitmap's, else the PIC's); an interrupt-window exit
 * while an interrupt waits or userspace asked for the window.
 */
void mhv_inject_events(struct mhv_vcpu *vcpu)
{
	int vector;

	/* already counted and taken from its controller: only delivered */
	if (vcpu->irq_inflight.pending && mhv_inflight_allowed(vcpu)) {
		mhv_vendor->inject_irq(vcpu, vcpu->irq_inflight.vector);
		vcpu->irq_inflight.pending = false;
	}
	vcpu->irq_inflight.fresh = false;
	if (vcpu->exc.pending && !mhv_vendor->event_pending(vcpu)) {
		mhv_vendor->queue_exception(vcpu, vcpu->exc.vector,
					    vcpu->exc.has_error,
					    vcpu->exc.error);
		vcpu->exc.pending = false;
		mhv_trace_inject(vcpu, MHV_TRACE_INJ_EXC, vcpu->exc.vector,
				 vcpu->exc.has_error, vcpu->exc.error);
	}
	mhv_inject_nmi(vcpu);		/* an NMI before interrupts */
	vector = mhv_next_irq(vcpu);
	if (vector >= 0 && mhv_irq_allowed(vcpu)) {
		if (vcpu->apic) {	/* IRR to ISR */
			mhv_lapic_ack(vcpu, vector);
			vcpu->stats[MHV_STAT_APIC_IRQ]++;
		} else {
			clear_bit(vector, vcpu->irq_pending);
		}
		mhv_vendor->inject_irq(vcpu, vector);
		vcpu->stats[MHV_STAT_IRQ_INJECTED]++;
		mhv_trace_inject(vcpu, MHV_TRACE_INJ_IRQ, vector, false, 0);
		vector = mhv_next_irq(vcpu);
	} else if (vector < 0 && mhv_irq_allowed(vcpu) &&
		   mhv_pic_pending(vcpu)) {
		mhv_inject_pic(vcpu);
	}
	mhv_vendor->irq_window(vcpu, vector >= 0 ||
			       vcpu->irq_inflight.pending ||
			       mhv_pic_pending(vcpu) ||
			       READ_ONCE(vcpu->run->request_interrupt_window));
}

/**
 * mhv_handle_irq_window() - the guest can take an interrupt now.
 * @vcpu: the vCPU
 * @exit: its interrupt-window exit
 *
 * A pending interrupt goes in at the next entry; with none, and
 * userspace asking for the window, RUN returns MHV_EXIT_IRQ_WINDOW_OPEN.
 */
int mhv_handle_irq_window(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	vcpu->stats[MHV_STAT_IRQ_WINDOW]++;
	mhv_vendor->irq_window(vcpu, false);
	if (!mhv_irq_waiting(vcpu) &&
	    READ_ONCE(vcpu->run->request_interrupt_window)) {
		vcpu->run->exit_reason = MHV_EXIT_IRQ_WINDOW_OPEN;
		return MHV_TO_USER;
	}
	return MHV_RESUME;
}

/*
 * Will an interrupt come without the host's help? Then a HLT with
 * RFLAGS.IF set waits for it in the kernel. With a local APIC it always
 * may (its timer, other vCPUs' IPIs, the I/O APIC's pins), as on a PC.
 * Without one, only vCPU 0 takes device interrupts. The devices are
 * asked first: one that finishes its work raises the interrupt under
 * dev->lock, so once can_wake() says no, the vector it raised is already
 * pending (the lock orders the two).
 */
static bool mhv_halt_in_kernel(struct mhv_vcpu *vcpu)
{
	/* an NMI or INIT is pending; with the PC irqchip anyone may send */
	if (mhv_smp_wakes_halt(vcpu) ||
	    (vcpu->vm->config.features & MHV_VM_F_IRQCHIP))
		return true;
	if (!(vcpu->rflags & X86_EFLAGS_IF))
		return false;
	if (vcpu->apic)
		return true;
	if (vcpu == READ_ONCE(vcpu->vm->boot_vcpu) &&
	    mhv_dev_can_wake(vcpu->vm))
		return true;
	return mhv_irq_waiting(vcpu);
}

/**
 * mhv_halt() - the guest executed HLT (RIP is past it).
 * @vcpu: the vCPU
 *
 * Return: true when the vCPU halts in the kernel (mhv_halt_wait() on the
 * way to the next entry), false when the HLT goes to userspace.
 */
bool mhv_halt(struct mhv_vcpu *vcpu)
{
	if (!mhv_halt_in_kernel(vcpu))
		return false;
	vcpu->halted = true;
	vcpu->stats[MHV_STAT_HALT_SLEEP]++;
	return true;
}

/* An interrupt came, a stop, or nothing can wake the vCPU any more. */
static bool mhv_halt_done(struct mhv_vcpu *vcpu)
{
	return mhv_irq_waiting(vcpu) || mhv_smp_wakes_halt(vcpu) ||
	       READ_ONCE(vcpu->vm->stop_requested) ||
	       !mhv_halt_in_kernel(vcpu);
}

/*
 * The host changed a device that can wake vCPU 0 (stopped its timer):
 * if vCPU 0 sleeps in HLT, it looks again whether anything can wake it.
 */
void mhv_vm_wake_halted(struct mhv_vm *vm)
{
	/* pairs with smp_store_release() in mhv_create_vcpu() */
	struct mhv_vcpu *vcpu = smp_load_acquire(&vm->boot_vcpu);

	if (vcpu)
		wake_up_interruptible(&vcpu->wq);
}

/**
 * mhv_halt_wait() - sleep while the vCPU is halted.
 * @vcpu: the halted vCPU, on its thread, preemptible
 *
 * Return: MHV_RESUME, the vCPU woken by an interrupt or still halted
 * (a signal or a stop came: the run loop returns, and the next RUN
 * sleeps again; or nothing can wake it any more: the next call says so);
 * MHV_TO_USER with MHV_EXIT_HLT when nothing can wake it any more (its
 * timer was stopped from the host).
 */
int mhv_halt_wait(struct mhv_vcpu *vcpu)
{
	u64 start, now;
	bool woken;

	if (!mhv_halt_in_kernel(vcpu)) {
		vcpu->halted = false;
		vcpu->run->exit_reason = MHV_EXIT_HLT;
		return MHV_TO_USER;
	}
	start = local_clock();
	woken = !wait_event_interruptible(vcpu->wq, mhv_halt_done(vcpu));
	now = local_clock();
	if (now > start)
		vcpu->stat.halt_ns += now - start;
	if (!woken)
		return MHV_RESUME;
	if (mhv_irq_waiting(vcpu) || mhv_smp_wakes_halt(vcpu)) {
		vcpu->halted = false;
		vcpu->stats[MHV_STAT_HALT_WAKEUP]++;
	}
	return MHV_RESUME;
}

/* Fill the run page's interrupt state as RUN returns to userspace. */
void mhv_irq_run_state(struct mhv_vcpu *vcpu)
{
	struct mhv_run *run = vcpu->run;

	run->if_flag = !!(vcpu->rflags & X86_EFLAGS_IF);
	run->ready_for_interrupt_injection = mhv_irq_allowed(vcpu) &&
					     !mhv_irq_waiting(vcpu);
}

/* MHV_INTERRUPT: any thread, without vcpu->mutex (it wakes a HLT). */
long mhv_vcpu_interrupt(struct mhv_vcpu *vcpu, void __user *argp)
{
	struct mhv_interrupt irq;

	if (copy_from_user(&irq, argp, sizeof(irq)))
		return -EFAULT;
	if (irq.flags || irq.reserved[0] || irq.reserved[1] ||
	    irq.vector < FIRST_EXTERNAL_VECTOR || irq.vector >= NR_VECTORS)
		return -EINVAL;
	mhv_vcpu_irq(vcpu, irq.vector);
	return 0;
}

/* MHV_QUEUE_EXCEPTION, under vcpu->mutex. */
long mhv_vcpu_queue_exception(struct mhv_vcpu *vcpu, void __user *argp)
{
	struct mhv_exception e;
	bool has_error;

	if (copy_from_user(&e, argp, sizeof(e)))
		return -EFAULT;
	if ((e.flags & ~MHV_EXC_F_ERROR_CODE) || e.pad || e.reserved[0] ||
	    e.reserved[1] || e.vector >= 32 ||
	    !(MHV_EXC_QUEUEABLE & BIT(e.vector)))
		return -EINVAL;
	has_error = e.flags & MHV_EXC_F_ERROR_CODE;
	/* an error code exactly where the CPU pushes one */
	if (has_error != !!(MHV_EXC_WITH_ERROR & BIT(e.vector)) ||
	    (!has_error && e.error_code))
		return -EINVAL;
	if (vcpu->exc.pending)
		return -EBUSY;
	/* in real mode the backend drops the error code at the entry */
	vcpu->exc.has_error = has_error;
	vcpu->exc.vector = e.vector;
	vcpu->exc.error = e.error_code;
	vcpu->exc.pending = true;
	vcpu->stats[MHV_STAT_EXC_INJECTED]++;
	return 0;
}
