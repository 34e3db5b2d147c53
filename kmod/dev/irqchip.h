/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MultiOS HV - the PC platform of issue 14: what the interrupt
 * controllers (local APIC, I/O APIC, PIC, PIT) and the SMP code
 * (kmod/smp.c) call of each other.
 */
#ifndef _MHV_IRQCHIP_H
#define _MHV_IRQCHIP_H

#include <linux/types.h>

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

#endif /* _MHV_IRQCHIP_H */
