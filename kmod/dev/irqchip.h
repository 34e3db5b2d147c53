/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MultiOS HV - the PC platform of issue 14: what the interrupt
 * controllers (local APIC, I/O APIC, PIC, PIT), the routing (irq.c) and
 * the SMP code (kmod/smp.c) call of each other. Every function here may
 * be called in any context unless it says otherwise.
 *
 * Lock order: the dev->lock of a device that drives an interrupt line
 * (PIT, UART, RTC, ...) is taken before the PIC's and the I/O APIC's
 * dev->lock (mhv_irq_line() takes those); the PIC takes no other device's
 * lock under its own, only the waitqueue and IPI of mhv_vcpu_kick().
 */
#ifndef _MHV_IRQCHIP_H
#define _MHV_IRQCHIP_H

#include <linux/types.h>

struct mhv_vm;
struct mhv_vcpu;

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

/* dev/core.c: the PIC and PIT of a VM created with MHV_VM_F_IRQCHIP */
int mhv_dev_create_irqchip(struct mhv_vm *vm);

/* dev/pic.c: the PIC's output goes to the boot vCPU */
void mhv_pic_set_irq(struct mhv_vm *vm, u32 irq, bool level);
bool mhv_pic_has_intr(struct mhv_vm *vm);
int mhv_pic_ack(struct mhv_vm *vm);

/* irq.c: an interrupt line (GSI) of the VM goes to @level */
void mhv_irq_line(struct mhv_vm *vm, u32 gsi, bool level);

/* the local APIC (K1): does vCPU @vcpu take the PIC's interrupts? */
bool mhv_lapic_accepts_pic(struct mhv_vcpu *vcpu);

/* the I/O APIC (K1): pin @gsi of the I/O APIC goes to @level */
void mhv_ioapic_set_irq(struct mhv_vm *vm, u32 gsi, bool level);

#endif /* _MHV_IRQCHIP_H */
