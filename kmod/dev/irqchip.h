/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MultiOS HV - the PC interrupt controllers and timers of
 * MHV_VM_F_IRQCHIP: the interfaces between the 8259 PIC and 8254 PIT
 * (pic.c, pit.c), the routing (irq.c), the local and I/O APICs and the
 * vCPUs. Every function here may be called in any context unless it
 * says otherwise.
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
