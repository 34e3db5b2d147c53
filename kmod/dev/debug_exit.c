// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - the debug-exit device: how a test guest reports pass or
 * fail. A guest write of 1, 2 or 4 bytes to its one register ends the
 * run: MHV_RUN returns with MHV_EXIT_DEBUG_EXIT and the value in
 * run->debug_exit.status. A read gives the last value written (0 after
 * a reset). A write from the host only stores the value.
 */
#include "dev.h"

static const struct mhv_dev_reg mhv_debug_exit_regs[] = {
	{ "status", MHV_DEBUG_EXIT_STATUS, 4, 1 | 2 | 4, 0 },
};

/* dev->state, under dev->lock */
struct mhv_debug_exit {
	u32 last;		/* the last value written */
};

static void mhv_debug_exit_reset(struct mhv_dev *dev)
{
	struct mhv_debug_exit *d = mhv_dev_state(dev);

	d->last = 0;
}

static u64 mhv_debug_exit_peek(struct mhv_dev *dev, unsigned int reg)
{
	struct mhv_debug_exit *d = mhv_dev_state(dev);

	return d->last;
}

static u64 mhv_debug_exit_read(struct mhv_dev *dev, unsigned int reg,
			       u8 size)
{
	return mhv_debug_exit_peek(dev, reg);
}

static int mhv_debug_exit_write(struct mhv_dev *dev, unsigned int reg,
				u8 size, u64 val)
{
	struct mhv_debug_exit *d = mhv_dev_state(dev);

	d->last = val;
	return MHV_DEV_END_RUN;
}

const struct mhv_dev_ops mhv_dev_debug_exit_ops = {
	.name		= "debug-exit",
	.size		= MHV_DEBUG_EXIT_SIZE,
	.regs		= mhv_debug_exit_regs,
	.nr_regs	= ARRAY_SIZE(mhv_debug_exit_regs),
	.state_size	= sizeof(struct mhv_debug_exit),
	.reset		= mhv_debug_exit_reset,
	.read		= mhv_debug_exit_read,
	.write		= mhv_debug_exit_write,
	.peek		= mhv_debug_exit_peek,
};
