// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - the ACPI PM device: the fixed hardware registers of ACPI
 * 6.4 section 4.8.3 that the FADT of mhv_acpi_build() points a guest at
 * (layout in uapi/linux/multios_hv.h, MHV_ACPI_PM_*; mhv run puts it at
 * MHV_ACPI_PM_PORT, 0x600-0x60b):
 *
 * - PM1_STS (+0, 16 bits): TMR_STS is set when bit 31 of the PM timer
 *   changes, WAK_STS never (no sleep states to wake from); writing 1
 *   clears a bit.
 * - PM1_EN (+2, 16 bits): the enable bits, stored and read back. No SCI
 *   (ISA IRQ 9) is raised: there is no event that needs one (no power
 *   button, no sleep state to wake from), and a guest that polls or
 *   only powers off needs none.
 * - PM1_CNT (+4, 16 bits): SCI_EN reads 1 (the FADT has no SMI_CMD: the
 *   machine is in ACPI mode from the start), SLP_TYP is stored; writing
 *   SLP_EN with SLP_TYP MHV_ACPI_PM_SLP_TYP_S5 (the DSDT's \_S5) ends
 *   MHV_RUN with MHV_EXIT_POWEROFF (run->poweroff). Other sleep types
 *   are ignored: no S1-S4.
 * - PM_TMR (+8, 32 bits, read-only): the PM timer, counting at
 *   3.579545 MHz from the host's monotonic clock since the device was
 *   created or reset (the FADT's TMR_VAL_EXT: all 32 bits count).
 *
 * A write from the host only stores values (no power-off).
 */
#include <linux/ktime.h>
#include <linux/math64.h>

#include "dev.h"

#define PM1_EN_MASK	0x0721	/* TMR, GBL, PWRBTN, SLPBTN, RTC */
#define PM1_STS_MASK	0x8f31	/* WAK, RTC, SLPBTN, PWRBTN, BM, GBL, TMR */

enum { PM_REG_STS, PM_REG_EN, PM_REG_CNT, PM_REG_TMR };

static const struct mhv_dev_reg mhv_acpi_pm_regs[] = {
	[PM_REG_STS] = { "pm1_sts", MHV_ACPI_PM1_STS, 2, 2, 0 },
	[PM_REG_EN] = { "pm1_en", MHV_ACPI_PM1_EN, 2, 2, 0 },
	[PM_REG_CNT] = { "pm1_cnt", MHV_ACPI_PM1_CNT, 2, 2, 0 },
	[PM_REG_TMR] = { "pm_tmr", MHV_ACPI_PM_TMR, 4, 4, 0 },
};

/* dev->state, under dev->lock */
struct mhv_acpi_pm {
	u64 t0_ns;		/* ktime_get_ns() when the timer read 0 */
	u64 tmr_half;		/* timer ticks >> 31 when TMR_STS was cleared */
	u16 sts;		/* PM1_STS but TMR_STS */
	u16 en;			/* PM1_EN */
	u16 slp_typ;		/* PM1_CNT.SLP_TYP, in place */
};

/* PM timer ticks since t0 (64 bits: the register shows the low 32). */
static u64 mhv_acpi_pm_ticks(const struct mhv_acpi_pm *pm)
{
	return mul_u64_u32_div(ktime_get_ns() - pm->t0_ns, MHV_ACPI_PM_TMR_HZ,
			       NSEC_PER_SEC);
}

static void mhv_acpi_pm_reset(struct mhv_dev *dev)
{
	struct mhv_acpi_pm *pm = mhv_dev_state(dev);

	pm->t0_ns = ktime_get_ns();
	pm->tmr_half = 0;
	pm->sts = 0;
	pm->en = 0;
	pm->slp_typ = 0;
}

static u64 mhv_acpi_pm_peek(struct mhv_dev *dev, unsigned int reg)
{
	struct mhv_acpi_pm *pm = mhv_dev_state(dev);
	u64 ticks = mhv_acpi_pm_ticks(pm);

	switch (reg) {
	case PM_REG_STS:
		return pm->sts | ((ticks >> 31) != pm->tmr_half ?
				  MHV_ACPI_PM1_STS_TMR : 0);
	case PM_REG_EN:
		return pm->en;
	case PM_REG_CNT:
		return pm->slp_typ | MHV_ACPI_PM1_CNT_SCI_EN;
	default:
		return (u32)ticks;
	}
}

static u64 mhv_acpi_pm_read(struct mhv_dev *dev, unsigned int reg, u8 size)
{
	return mhv_acpi_pm_peek(dev, reg);
}

/* PM1_CNT: store SLP_TYP; SLP_EN with the S5 type powers off. */
static int mhv_acpi_pm_cnt(struct mhv_acpi_pm *pm, u64 val)
{
	u16 typ = (val & MHV_ACPI_PM1_CNT_SLP_TYP) >>
		  MHV_ACPI_PM1_CNT_SLP_TYP_SHIFT;

	pm->slp_typ = val & MHV_ACPI_PM1_CNT_SLP_TYP;
	if ((val & MHV_ACPI_PM1_CNT_SLP_EN) && typ == MHV_ACPI_PM_SLP_TYP_S5)
		return MHV_DEV_POWEROFF;
	return MHV_DEV_DONE;
}

static int mhv_acpi_pm_write(struct mhv_dev *dev, unsigned int reg, u8 size,
			     u64 val)
{
	struct mhv_acpi_pm *pm = mhv_dev_state(dev);

	switch (reg) {
	case PM_REG_STS:	/* write 1 to clear */
		if (val & MHV_ACPI_PM1_STS_TMR)
			pm->tmr_half = mhv_acpi_pm_ticks(pm) >> 31;
		pm->sts &= ~(val & PM1_STS_MASK);
		return MHV_DEV_DONE;
	case PM_REG_EN:
		pm->en = val & PM1_EN_MASK;
		return MHV_DEV_DONE;
	case PM_REG_CNT:
		return mhv_acpi_pm_cnt(pm, val);
	default:		/* the timer is read-only */
		return MHV_DEV_DONE;
	}
}

const struct mhv_dev_ops mhv_dev_acpi_pm_ops = {
	.name		= "acpi-pm",
	.size		= MHV_ACPI_PM_SIZE,
	.regs		= mhv_acpi_pm_regs,
	.nr_regs	= ARRAY_SIZE(mhv_acpi_pm_regs),
	.state_size	= sizeof(struct mhv_acpi_pm),
	.max_per_vm	= MHV_ACPI_PM_MAX_PER_VM,
	.reset		= mhv_acpi_pm_reset,
	.read		= mhv_acpi_pm_read,
	.write		= mhv_acpi_pm_write,
	.peek		= mhv_acpi_pm_peek,
};
