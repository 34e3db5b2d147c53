/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MultiOS HV - the PC interrupt controllers in the kernel
 * (MHV_VM_F_IRQCHIP): what the local APIC (lapic.c), the I/O APIC
 * (ioapic.c), the 8259 PICs and the routing (irq.c) call of each other.
 *
 * Lock order: I/O APIC dev->lock, then a local APIC's lock
 * (struct mhv_lapic); nothing else is taken under a local APIC's lock.
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

/* lapic.c */
int mhv_lapic_create(struct mhv_vcpu *vcpu);
void mhv_lapic_free(struct mhv_vcpu *vcpu);
int mhv_apic_deliver(struct mhv_vm *vm, struct mhv_lapic *src,
		     const struct mhv_apic_irq *irq);
bool mhv_lapic_accepts_pic(struct mhv_vcpu *vcpu);
void mhv_lapic_set_irq(struct mhv_vcpu *vcpu, u8 vector);
int mhv_lapic_next_irq(struct mhv_vcpu *vcpu);
void mhv_lapic_ack(struct mhv_vcpu *vcpu, u8 vector);
void mhv_lapic_requeue(struct mhv_vcpu *vcpu, u8 vector);
int mhv_lapic_mmio(struct mhv_vcpu *vcpu, u64 gpa, u8 size, bool write,
		   u64 *val);
int mhv_lapic_msr_get(struct mhv_vcpu *vcpu, u32 index, u64 *data);
int mhv_lapic_msr_set(struct mhv_vcpu *vcpu, u32 index, u64 data, bool host);
void mhv_lapic_cpuid(struct mhv_vcpu *vcpu, u32 *r);
long mhv_lapic_ioctl(struct mhv_vcpu *vcpu, unsigned int cmd,
		     void __user *argp);

/* ioapic.c */
int mhv_ioapic_create(struct mhv_vm *vm);
void mhv_ioapic_set_irq(struct mhv_vm *vm, u32 pin, bool level);
void mhv_ioapic_eoi(struct mhv_vm *vm, u8 vector);

/* SMP (K3): any context, set a flag and kick the vCPU */
void mhv_vcpu_deliver_init(struct mhv_vcpu *vcpu);
void mhv_vcpu_deliver_sipi(struct mhv_vcpu *vcpu, u8 vector);
void mhv_vcpu_deliver_nmi(struct mhv_vcpu *vcpu);

/* routing (K2) */
void mhv_irq_line(struct mhv_vm *vm, u32 gsi, bool level);
long mhv_vm_irq_line(struct file *file, void __user *argp);

#endif /* _MHV_IRQCHIP_H */
