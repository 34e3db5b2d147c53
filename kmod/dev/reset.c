// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - the reset device: how a guest asks for a reset, as a PC
 * kernel does (Linux's reboot=pci and reboot=kbd). One 8-bit register;
 * what it is depends on the port the device was created at:
 *
 * - at MHV_RESET_PORT_CF9 (0xcf9), the chipset's reset control register:
 *   bits 1 (system reset) and 3 (full reset) are stored and read back; a
 *   write with bit 2 (reset CPU) set, as 0x06 or 0x0e, resets;
 * - anywhere else, the command port of an 8042 keyboard controller
 *   (MHV_RESET_PORT_KBC, 0x64): the command 0xfe (pulse the reset line)
 *   resets, other commands are ignored; a read is the controller's status,
 *   0: both buffers empty, so a guest waiting for the input buffer to
 *   drain goes on at once.
 *
 * A guest's reset ends MHV_RUN with MHV_EXIT_RESET (run->reset); the VM
 * is left as it is, for userspace to reset or destroy. A write from the
 * host only stores the value.
 */
#include "dev.h"

#define CF9_STORED	0x0a	/* system reset, full reset */

static const struct mhv_dev_reg mhv_reset_regs[] = {
	{ "ctrl", MHV_RESET_CTRL, 1, 1, 0 },
};

/* dev->state, under dev->lock */
struct mhv_reset {
	u8 cf9;			/* at 0xcf9: bits CF9_STORED */
};

static bool mhv_reset_is_cf9(const struct mhv_dev *dev)
{
	return dev->space == MHV_DEV_SPACE_PIO &&
	       dev->base == MHV_RESET_PORT_CF9;
}

static void mhv_reset_reset(struct mhv_dev *dev)
{
	struct mhv_reset *r = mhv_dev_state(dev);

	r->cf9 = 0;
}

static u64 mhv_reset_peek(struct mhv_dev *dev, unsigned int reg)
{
	struct mhv_reset *r = mhv_dev_state(dev);

	return mhv_reset_is_cf9(dev) ? r->cf9 : 0;
}

static u64 mhv_reset_read(struct mhv_dev *dev, unsigned int reg, u8 size)
{
	return mhv_reset_peek(dev, reg);
}

static int mhv_reset_write(struct mhv_dev *dev, unsigned int reg, u8 size,
			   u64 val)
{
	struct mhv_reset *r = mhv_dev_state(dev);

	if (!mhv_reset_is_cf9(dev))
		return val == MHV_RESET_KBC_PULSE ? MHV_DEV_RESET : MHV_DEV_DONE;
	r->cf9 = val & CF9_STORED;
	return val & MHV_RESET_CF9_RST_CPU ? MHV_DEV_RESET : MHV_DEV_DONE;
}

const struct mhv_dev_ops mhv_dev_reset_ops = {
	.name		= "reset",
	.size		= MHV_RESET_SIZE,
	.regs		= mhv_reset_regs,
	.nr_regs	= ARRAY_SIZE(mhv_reset_regs),
	.state_size	= sizeof(struct mhv_reset),
	.reset		= mhv_reset_reset,
	.read		= mhv_reset_read,
	.write		= mhv_reset_write,
	.peek		= mhv_reset_peek,
};
