// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - placeholders for what other branches of issue 14 provide,
 * so that the local APIC and I/O APIC build and run alone. The lead
 * deletes this file at the merge and links the real ones:
 *   mhv_vcpu_deliver_init/sipi/nmi()  K3 (SMP): INIT, SIPI, NMI
 *   mhv_irq_line(), MHV_IRQ_LINE      K2 (routing)
 */
#include <linux/fs.h>
#include <linux/uaccess.h>

#include "dev.h"
#include "irqchip.h"

/* K3: INIT, SIPI and NMI are not delivered in this branch. */
void mhv_vcpu_deliver_init(struct mhv_vcpu *vcpu)
{
}

void mhv_vcpu_deliver_sipi(struct mhv_vcpu *vcpu, u8 vector)
{
}

void mhv_vcpu_deliver_nmi(struct mhv_vcpu *vcpu)
{
}

/* K2: GSIs 0-23 to the I/O APIC pins only (no PIC, no ISA override). */
void mhv_irq_line(struct mhv_vm *vm, u32 gsi, bool level)
{
	mhv_ioapic_set_irq(vm, gsi, level);
}

/* K2: the VM ioctl MHV_IRQ_LINE. */
long mhv_vm_irq_line(struct file *file, void __user *argp)
{
	struct mhv_irq_level l;

	if (copy_from_user(&l, argp, sizeof(l)))
		return -EFAULT;
	if (l.level > 1 || l.reserved[0] || l.reserved[1])
		return -EINVAL;
	mhv_irq_line(file->private_data, l.gsi, l.level);
	return 0;
}
