/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MultiOS HV - the in-kernel device framework (kmod/dev/).
 *
 * A device type is one file with a struct mhv_dev_ops: its registers
 * (names, offsets, widths) and what reading, writing and resetting them
 * does. The framework (core.c) owns everything else: creating devices on
 * port or MMIO ranges, finding the device a guest access hits, checking
 * the offset, the width and the access mode, the statistics, and the VM
 * fd ioctls. A new device is a new file plus one line in the type table
 * of core.c.
 *
 * Locking: dev->lock (a spinlock, so any exit path may take it) protects
 * a device's registers, mode and statistics; the ops run under it and
 * must not sleep. The VM's device array only grows (see struct mhv_vm).
 */
#ifndef _MHV_DEV_H
#define _MHV_DEV_H

#include <linux/spinlock.h>
#include <linux/types.h>

#include "mhv.h"

/* One register of a device type (constant tables, no lock). */
struct mhv_dev_reg {
	const char *name;
	u16 offset;		/* from the device's base */
	u8 width;		/* natural width in bytes */
	u8 widths;		/* access sizes allowed: OR of 1, 2, 4, 8 */
	u8 flags;		/* MHV_DEV_REG_F_* */
};

/* What a write asks the framework to do next. */
enum mhv_dev_action {
	MHV_DEV_DONE,		/* the access is complete */
	MHV_DEV_END_RUN,	/* end the run: MHV_EXIT_DEBUG_EXIT */
	MHV_DEV_DROPPED,	/* the device dropped the data: err_dropped */
	MHV_DEV_RESET,		/* end the run: MHV_EXIT_RESET */
	MHV_DEV_POWEROFF,	/* end the run: MHV_EXIT_POWEROFF */
};

struct mhv_dev;

/*
 * A further port range of a device (constant tables): @size ports from
 * @port, whose registers are at offsets @offset.. of the device.
 */
struct mhv_dev_range {
	u16 port;
	u16 size;
	u16 offset;
};

/**
 * struct mhv_dev_ops - a device type (constant, no lock).
 *
 * The framework has checked the register index and the access size
 * before it calls @read or @write, and holds dev->lock.
 */
struct mhv_dev_ops {
	const char *name;			/* "demo", ... */
	u32 size;				/* bytes of port/MMIO space */
	const struct mhv_dev_reg *regs;
	unsigned int nr_regs;			/* <= MHV_DEV_MAX_REGS */
	size_t state_size;			/* bytes of dev->state */
	unsigned int max_per_vm;		/* devices of this type in one
						 * VM, 0: no limit of its own
						 */
	/* Every register to its reset value. */
	void (*reset)(struct mhv_dev *dev);
	/* Read register @reg with @size bytes (may have side effects). */
	u64 (*read)(struct mhv_dev *dev, unsigned int reg, u8 size);
	/* Write it; returns an enum mhv_dev_action. */
	int (*write)(struct mhv_dev *dev, unsigned int reg, u8 size, u64 val);
	/* Describe: the register's value without side effects. */
	u64 (*peek)(struct mhv_dev *dev, unsigned int reg);
	/* Optional byte streams (MHV_DEV_UART_*, the run page's console):
	 * output to the host, with *@pos the offset of its first byte in
	 * the stream, and input from it; each returns the bytes moved.
	 */
	size_t (*out_read)(struct mhv_dev *dev, u8 *buf, size_t len, u64 *pos);
	size_t (*in_write)(struct mhv_dev *dev, const u8 *buf, size_t len);
	/*
	 * With out_read: is a batch of output ready, one the vCPU should
	 * hand to userspace now (MHV_EXIT_CONSOLE)? Asked after each guest
	 * access and when MHV_RUN starts.
	 */
	bool (*out_ready)(struct mhv_dev *dev);
	/*
	 * Optional: will the device raise an interrupt later with no help
	 * from the host (a running timer, a computation under way)? A HLT
	 * with RFLAGS.IF set then sleeps in the kernel instead of returning
	 * to userspace. The device must raise the interrupt of what it
	 * finishes before it drops dev->lock (see mhv_halt_in_kernel()).
	 */
	bool (*can_wake)(struct mhv_dev *dev);
	/*
	 * Optional: the VM is going away; stop what runs on its own
	 * (hrtimers, work). Called without dev->lock, may sleep; the
	 * device is freed right after.
	 */
	void (*destroy)(struct mhv_dev *dev);
	/*
	 * Platform devices of MHV_VM_F_IRQCHIP (PIC, PIT, I/O APIC): the VM creates
	 * them (mhv_dev_create_irqchip()), MHV_CREATE_DEVICE never does. Such
	 * a device sits at port @fixed_base and also claims the @nr_extra
	 * port ranges of @extra (the PC scatters its chips' ports).
	 */
	bool irqchip;
	u16 fixed_base;
	const struct mhv_dev_range *extra;
	unsigned int nr_extra;
};

struct mhv_dev {
	const struct mhv_dev_ops *ops;	/* (R) */
	u32 type;			/* (R) enum mhv_dev_type */
	u32 id;				/* (R) index in vm->devs */
	u32 space;			/* (R) enum mhv_dev_space */
	u64 base;			/* (R) */
	struct mhv_vm *vm;		/* (R) the device never outlives it */
	u8 irq_vector;			/* (R) from mhv_device_create, 0: none */
	bool irq_use_gsi;		/* (R) MHV_DEV_F_IRQ_GSI: irq_gsi is
					 * its interrupt, not irq_vector
					 */
	u32 irq_gsi;			/* (R) < MHV_IRQCHIP_NR_GSI */
	spinlock_t lock;		/* mode, stats and state */
	u32 mode;			/* (lock) enum mhv_dev_mode */
	struct mhv_device_stats stats;	/* (lock) id, pad, reserved unused */
	u64 state[];			/* (lock) ops->state_size bytes */
};

static inline void *mhv_dev_state(struct mhv_dev *dev)
{
	return dev->state;
}

extern const struct mhv_dev_ops mhv_dev_demo_ops;
extern const struct mhv_dev_ops mhv_dev_debug_exit_ops;
extern const struct mhv_dev_ops mhv_dev_uart_ops;
extern const struct mhv_dev_ops mhv_dev_timer_ops;
extern const struct mhv_dev_ops mhv_dev_edu_ops;
extern const struct mhv_dev_ops mhv_dev_rtc_ops;
extern const struct mhv_dev_ops mhv_dev_reset_ops;
extern const struct mhv_dev_ops mhv_dev_fwinfo_ops;
extern const struct mhv_dev_ops mhv_dev_pic_ops;
extern const struct mhv_dev_ops mhv_dev_pit_ops;

/*
 * A device's interrupt output (core.c), any context, dev->lock held or
 * not: with a GSI the line follows @level (mhv_irq_line()); with a vector
 * a rising line (@level true) raises it in vCPU 0. Edge devices pulse.
 */
bool mhv_dev_has_irq(const struct mhv_dev *dev);
void mhv_dev_irq(struct mhv_dev *dev, bool level);
void mhv_dev_irq_pulse(struct mhv_dev *dev);
extern const struct mhv_dev_ops mhv_dev_acpi_pm_ops;
extern const struct mhv_dev_ops mhv_dev_ioapic_ops;

struct mhv_dev *mhv_dev_find_type(struct mhv_vm *vm, u32 type);

#endif /* _MHV_DEV_H */
