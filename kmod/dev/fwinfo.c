// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - the firmware-information device: what a small guest that
 * does not parse ACPI needs to know about its machine. Two 32-bit
 * registers: SELECT takes an item number (enum mhv_fwinfo_item), DATA
 * reads the selected item's value:
 *
 *   MHV_FWINFO_SIGNATURE  "MHVF" (MHV_FWINFO_SIGNATURE_VALUE): probe
 *   MHV_FWINFO_VERSION    the interface's version, 1
 *   MHV_FWINFO_RAM_MB     the VM's memory in MiB (mhv_vm_config)
 *   MHV_FWINFO_VCPUS      the VM's vCPUs (mhv_vm_config)
 *   MHV_FWINFO_BOOT       boot order and flags: 32 bits the VMM sets
 *                         (MHV_DEVICE_WRITE to DATA with BOOT selected)
 *                         and the guest reads, like a firmware's NVRAM
 *
 * Any other item reads 0. A DATA write changes only BOOT. Reset: SELECT
 * 0, BOOT 0.
 */
#include "dev.h"

enum { FWINFO_SELECT, FWINFO_DATA };

static const struct mhv_dev_reg mhv_fwinfo_regs[] = {
	[FWINFO_SELECT]	= { "select", MHV_FWINFO_SELECT, 4, 2 | 4, 0 },
	[FWINFO_DATA]	= { "data", MHV_FWINFO_DATA, 4, 4, 0 },
};

/* dev->state, under dev->lock */
struct mhv_fwinfo {
	u32 select;
	u32 boot;
};

static void mhv_fwinfo_reset(struct mhv_dev *dev)
{
	struct mhv_fwinfo *f = mhv_dev_state(dev);

	f->select = 0;
	f->boot = 0;
}

static u32 mhv_fwinfo_item(struct mhv_dev *dev, u32 item)
{
	const struct mhv_vm_config *c = &dev->vm->config;
	struct mhv_fwinfo *f = mhv_dev_state(dev);

	switch (item) {
	case MHV_FWINFO_SIGNATURE:
		return MHV_FWINFO_SIGNATURE_VALUE;
	case MHV_FWINFO_VERSION:
		return MHV_FWINFO_VERSION_VALUE;
	case MHV_FWINFO_RAM_MB:
		return c->memory_mb;
	case MHV_FWINFO_VCPUS:
		return c->vcpu_count;
	case MHV_FWINFO_BOOT:
		return f->boot;
	default:
		return 0;
	}
}

static u64 mhv_fwinfo_peek(struct mhv_dev *dev, unsigned int reg)
{
	struct mhv_fwinfo *f = mhv_dev_state(dev);

	return reg == FWINFO_SELECT ? f->select :
				      mhv_fwinfo_item(dev, f->select);
}

static u64 mhv_fwinfo_read(struct mhv_dev *dev, unsigned int reg, u8 size)
{
	return mhv_fwinfo_peek(dev, reg);
}

static int mhv_fwinfo_write(struct mhv_dev *dev, unsigned int reg, u8 size,
			    u64 val)
{
	struct mhv_fwinfo *f = mhv_dev_state(dev);

	if (reg == FWINFO_SELECT)
		f->select = val;
	else if (f->select == MHV_FWINFO_BOOT)
		f->boot = val;
	return MHV_DEV_DONE;
}

const struct mhv_dev_ops mhv_dev_fwinfo_ops = {
	.name		= "fwinfo",
	.size		= MHV_FWINFO_SIZE,
	.regs		= mhv_fwinfo_regs,
	.nr_regs	= ARRAY_SIZE(mhv_fwinfo_regs),
	.state_size	= sizeof(struct mhv_fwinfo),
	.max_per_vm	= MHV_FWINFO_MAX_PER_VM,
	.reset		= mhv_fwinfo_reset,
	.read		= mhv_fwinfo_read,
	.write		= mhv_fwinfo_write,
	.peek		= mhv_fwinfo_peek,
};
