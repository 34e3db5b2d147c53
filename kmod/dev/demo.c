// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - the guide's educational demo device (tutorial 3).
 *
 *   0x00 status  32-bit  bit 0 ENABLE (rw), bit 1 LED_ON (ro: ENABLE set
 *                        and LED not 0), bit 2 DATA_WRITTEN (set by a
 *                        write of DATA, cleared by writing 1 to it),
 *                        bits 15:8 version (ro, 1); the rest reads 0
 *   0x04 data    16-bit  read-write
 *   0x08 led     8-bit   read-write; lit only while ENABLE is set
 *
 * Each register takes only its own width. Everything resets to 0.
 */
#include "dev.h"

enum { DEMO_STATUS, DEMO_DATA, DEMO_LED };

static const struct mhv_dev_reg mhv_demo_regs[] = {
	[DEMO_STATUS]	= { "status", MHV_DEMO_STATUS, 4, 4, 0 },
	[DEMO_DATA]	= { "data", MHV_DEMO_DATA, 2, 2, 0 },
	[DEMO_LED]	= { "led", MHV_DEMO_LED, 1, 1, 0 },
};

/* dev->state; every field under dev->lock */
struct mhv_demo {
	bool enable;		/* status bit 0 */
	bool data_written;	/* status bit 2 */
	u16 data;
	u8 led;
};

static void mhv_demo_reset(struct mhv_dev *dev)
{
	struct mhv_demo *d = mhv_dev_state(dev);

	memset(d, 0, sizeof(*d));
}

static u64 mhv_demo_peek(struct mhv_dev *dev, unsigned int reg)
{
	struct mhv_demo *d = mhv_dev_state(dev);
	u32 status;

	switch (reg) {
	case DEMO_STATUS:
		status = MHV_DEMO_VERSION << 8;
		if (d->enable)
			status |= MHV_DEMO_ST_ENABLE;
		if (d->enable && d->led)
			status |= MHV_DEMO_ST_LED_ON;
		if (d->data_written)
			status |= MHV_DEMO_ST_DATA_WRITTEN;
		return status;
	case DEMO_DATA:
		return d->data;
	default:
		return d->led;
	}
}

/* No register has a read side effect. */
static u64 mhv_demo_read(struct mhv_dev *dev, unsigned int reg, u8 size)
{
	return mhv_demo_peek(dev, reg);
}

static int mhv_demo_write(struct mhv_dev *dev, unsigned int reg, u8 size,
			  u64 val)
{
	struct mhv_demo *d = mhv_dev_state(dev);

	switch (reg) {
	case DEMO_STATUS:
		d->enable = val & MHV_DEMO_ST_ENABLE;
		if (val & MHV_DEMO_ST_DATA_WRITTEN)
			d->data_written = false;
		break;
	case DEMO_DATA:
		d->data = val;
		d->data_written = true;
		break;
	default:
		d->led = val;
		break;
	}
	return MHV_DEV_DONE;
}

const struct mhv_dev_ops mhv_dev_demo_ops = {
	.name		= "demo",
	.size		= MHV_DEMO_SIZE,
	.regs		= mhv_demo_regs,
	.nr_regs	= ARRAY_SIZE(mhv_demo_regs),
	.state_size	= sizeof(struct mhv_demo),
	.reset		= mhv_demo_reset,
	.read		= mhv_demo_read,
	.write		= mhv_demo_write,
	.peek		= mhv_demo_peek,
};
