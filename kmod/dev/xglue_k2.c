// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - placeholders for the other side of the issue-14 contract
 * (K1's local and I/O APIC) while the pic branch is developed alone. The
 * lead deletes this file at the merge and links the real functions.
 */
#include "irqchip.h"

/* No LAPIC yet: every vCPU takes the PIC's interrupts, as without one. */
bool mhv_lapic_accepts_pic(struct mhv_vcpu *vcpu)
{
	return true;
}

/* No I/O APIC yet: its pins are not connected. */
void mhv_ioapic_set_irq(struct mhv_vm *vm, u32 gsi, bool level)
{
}
