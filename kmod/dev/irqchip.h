/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MultiOS HV - the PC platform in the kernel (MHV_VM_F_IRQCHIP): what the
 * interrupt controllers (local APIC lapic.c, I/O APIC ioapic.c, 8259 PICs
 * pic.c, PIT pit.c), the routing (irq.c) and the SMP code (kmod/smp.c)
 * call of each other. Every function here may be called in any context
 * unless it says otherwise.
 *
 * Lock order: the dev->lock of a device that drives an interrupt line
 * (PIT, UART, RTC, ...) is taken before the PIC's and the I/O APIC's
 * dev->lock (mhv_irq_line() takes those); the I/O APIC's dev->lock
 * before a local APIC's lock (struct mhv_lapic). Nothing else is taken
 * under a local APIC's lock; the PIC takes no other device's lock under
 * its own, only the waitqueue and IPI of mhv_vcpu_kick().
 */
#ifndef _MHV_IRQCHIP_H
#define _MHV_IRQCHIP_H

#include <linux/types.h>
#include <asm/apicdef.h>

struct file;
struct mhv_vm;
struct mhv_vcpu;
struct mhv_lapic;

/* The delivery mode of an ICR, LVT or redirection entry, 0..7 */
#define MHV_APIC_DM(x)		(((x) & APIC_DM_FIXED_MASK) >> 8)

/*
 * One interrupt message to local APICs: from an ICR write, an I/O APIC
 * redirection entry or an LVT entry.
 */
struct mhv_apic_irq {
	u8 vector;
	u8 delivery_mode;	/* 0..7, MHV_APIC_DM() of an APIC_DM_ value */
	bool level;		/* assert (INIT: else de-assert) */
	bool trig_level;	/* level-triggered: the EOI goes to the I/O APIC */
	bool dest_logical;	/* logical destination mode, else physical */
	u8 shorthand;		/* APIC_DEST_NOSHORT.. >> 18: 0 none, 1 self,
				 * 2 all including self, 3 all but self
				 */
	u32 dest;		/* APIC ID or logical destination */
};

/* lapic.c: the local APIC of each vCPU (vcpu->apic) */
int mhv_lapic_create(struct mhv_vcpu *vcpu);
void mhv_lapic_free(struct mhv_vcpu *vcpu);
int mhv_apic_deliver(struct mhv_vm *vm, struct mhv_lapic *src,
		     const struct mhv_apic_irq *irq);
/* Does vCPU @vcpu take the PIC's interrupts (LINT0 ExtINT, or no APIC)? */
bool mhv_lapic_accepts_pic(struct mhv_vcpu *vcpu);
void mhv_lapic_set_irq(struct mhv_vcpu *vcpu, u8 vector);
int mhv_lapic_next_irq(struct mhv_vcpu *vcpu);
void mhv_lapic_ack(struct mhv_vcpu *vcpu, u8 vector);
int mhv_lapic_mmio(struct mhv_vcpu *vcpu, u64 gpa, u8 size, bool write,
		   u64 *val);
int mhv_lapic_msr_get(struct mhv_vcpu *vcpu, u32 index, u64 *data);
int mhv_lapic_msr_set(struct mhv_vcpu *vcpu, u32 index, u64 data, bool host);
void mhv_lapic_cpuid(struct mhv_vcpu *vcpu, u32 *r);
long mhv_lapic_ioctl(struct mhv_vcpu *vcpu, unsigned int cmd,
		     void __user *argp);

/* ioapic.c: pin @pin of the I/O APIC goes to @level; EOI of a vector */
void mhv_ioapic_set_irq(struct mhv_vm *vm, u32 pin, bool level);
void mhv_ioapic_eoi(struct mhv_vm *vm, u8 vector);

/*
 * SMP (kmod/smp.c): INIT, SIPI and NMI for a vCPU, from any context
 * (another vCPU's thread: the ICR; an hrtimer; LINT1). Each sets a flag
 * and kicks the vCPU; its own thread applies the event before its next
 * entry. A SIPI is ignored unless the vCPU waits for one; an NMI
 * already pending absorbs another.
 */
void mhv_vcpu_deliver_init(struct mhv_vcpu *vcpu);
void mhv_vcpu_deliver_sipi(struct mhv_vcpu *vcpu, u8 vector);
void mhv_vcpu_deliver_nmi(struct mhv_vcpu *vcpu);

/* dev/core.c: the PIC, PIT and I/O APIC of a VM with MHV_VM_F_IRQCHIP */
int mhv_dev_create_irqchip(struct mhv_vm *vm);

/* dev/pic.c: the PIC's output goes to the boot vCPU */
void mhv_pic_set_irq(struct mhv_vm *vm, u32 irq, bool level);
bool mhv_pic_has_intr(struct mhv_vm *vm);
int mhv_pic_ack(struct mhv_vm *vm);

/* irq.c: an interrupt line (GSI) of the VM goes to @level */
void mhv_irq_line(struct mhv_vm *vm, u32 gsi, bool level);

#endif /* _MHV_IRQCHIP_H */
