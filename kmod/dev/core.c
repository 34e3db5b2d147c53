// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - the in-kernel device framework.
 *
 * A guest IN/OUT (also INS/OUTS) or MMIO access to a range a device
 * claims is completed here, in the kernel: mhv_handle_io() and
 * mhv_mmio_exit() call mhv_dev_pio() and mhv_dev_mmio() once they know
 * the access, and only an access no device claims goes on to userspace.
 * Every guest access is checked (access mode, register offset, width),
 * counted and timed here, so a device file holds only the behaviour of
 * its registers. Host accesses through the VM fd ioctls bypass the
 * access mode and are not counted: the statistics are the guest's.
 *
 * Locking: devices are created under vm->lock, also while vCPUs run, and
 * only freed with the VM, so exit paths look them up without a lock (see
 * struct mhv_vm). Each access then takes dev->lock, a spinlock: no exit
 * path sleeps for a device.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/irq_vectors.h>

#include "dev.h"
#include "irqchip.h"
#include "trace.h"

/* The device types, by enum mhv_dev_type: one line per device file. */
static const struct mhv_dev_ops *const mhv_dev_types[MHV_DEV_TYPE_NR] = {
	[MHV_DEV_TYPE_DEMO]		= &mhv_dev_demo_ops,
	[MHV_DEV_TYPE_DEBUG_EXIT]	= &mhv_dev_debug_exit_ops,
	[MHV_DEV_TYPE_UART]		= &mhv_dev_uart_ops,
	[MHV_DEV_TYPE_TIMER]		= &mhv_dev_timer_ops,
	[MHV_DEV_TYPE_EDU]		= &mhv_dev_edu_ops,
	[MHV_DEV_TYPE_RTC]		= &mhv_dev_rtc_ops,
	[MHV_DEV_TYPE_RESET]		= &mhv_dev_reset_ops,
	[MHV_DEV_TYPE_FWINFO]		= &mhv_dev_fwinfo_ops,
	[MHV_DEV_TYPE_PIC]		= &mhv_dev_pic_ops,
	[MHV_DEV_TYPE_PIT]		= &mhv_dev_pit_ops,
	[MHV_DEV_TYPE_ACPI_PM]		= &mhv_dev_acpi_pm_ops,
	[MHV_DEV_TYPE_IOAPIC]		= &mhv_dev_ioapic_ops,
};

/*
 * A lockdep class per type for dev->lock: a device that drives an
 * interrupt line takes the PIC's lock under its own (irqchip.h), which
 * one class for all devices would report as recursion.
 */
static struct lock_class_key mhv_dev_lock_keys[MHV_DEV_TYPE_NR];

static u64 mhv_dev_mask(u8 size)
{
	return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

/* Devices of @vm whose entries are complete (lock-free). */
static u32 mhv_dev_count(struct mhv_vm *vm)
{
	/* pairs with smp_store_release() in mhv_dev_create() */
	return smp_load_acquire(&vm->nr_devs);
}

/* The device with @id, or NULL (lock-free, see struct mhv_vm). */
static struct mhv_dev *mhv_dev_get(struct mhv_vm *vm, u32 id)
{
	u32 nr = mhv_dev_count(vm);

	return id < nr ? vm->devs[id] : NULL;
}

/* Does @dev claim @addr in @space? Then *@off is the register offset. */
static bool mhv_dev_claims(const struct mhv_dev *dev, u32 space, u64 addr,
			   u64 *off)
{
	const struct mhv_dev_ops *ops = dev->ops;
	unsigned int i;

	if (dev->space != space)
		return false;
	if (addr >= dev->base && addr - dev->base < ops->size) {
		*off = addr - dev->base;
		return true;
	}
	for (i = 0; i < ops->nr_extra; i++) {
		const struct mhv_dev_range *r = &ops->extra[i];

		if (addr >= r->port && addr - r->port < r->size) {
			*off = r->offset + addr - r->port;
			return true;
		}
	}
	return false;
}

/*
 * The device whose ranges hold @addr in @space, or NULL; *@off is the
 * register offset in it.
 */
static struct mhv_dev *mhv_dev_find(struct mhv_vm *vm, u32 space, u64 addr,
				    u64 *off)
{
	u32 nr = mhv_dev_count(vm), i;

	for (i = 0; i < nr; i++)
		if (mhv_dev_claims(vm->devs[i], space, addr, off))
			return vm->devs[i];
	return NULL;
}

/* Index of the register at @offset, or -1. */
static int mhv_dev_find_reg(const struct mhv_dev_ops *ops, u64 offset)
{
	unsigned int i;

	for (i = 0; i < ops->nr_regs; i++)
		if (ops->regs[i].offset == offset)
			return i;
	return -1;
}

static void mhv_dev_time(struct mhv_device_stats *st, u64 ns)
{
	unsigned int b = ns ? fls64(ns) - 1 : 0;

	if (!st->time_count || ns < st->time_min_ns)
		st->time_min_ns = ns;
	if (ns > st->time_max_ns)
		st->time_max_ns = ns;
	st->time_count++;
	st->time_total_ns += ns;
	st->hist[min_t(unsigned int, b, MHV_DEV_HIST_BUCKETS - 1)]++;
}

/*
 * One guest access of @size bytes at @offset by @vcpu: checked, done,
 * counted and timed. A refused or wrong read gives all-ones; a refused
 * or wrong write is dropped. An access after which the device has a
 * batch of output ready sets vcpu->console_ready. Returns an enum
 * mhv_dev_action.
 */
static int mhv_dev_access(struct mhv_vcpu *vcpu, struct mhv_dev *dev,
			  u64 offset, u8 size, bool write, u64 *val)
{
	unsigned long flags;
	struct mhv_device_stats *st = &dev->stats;
	u64 t0 = ktime_get_ns(), *err = NULL;
	int action = MHV_DEV_DONE, reg;

	spin_lock_irqsave(&dev->lock, flags);
	reg = mhv_dev_find_reg(dev->ops, offset);
	if (dev->mode == MHV_DEV_MODE_DISABLED ||
	    (write && dev->mode == MHV_DEV_MODE_RO)) {
		err = &st->err_refused;
	} else if (reg < 0) {
		err = &st->err_offset;
	} else if (!(dev->ops->regs[reg].widths & size)) {
		err = &st->err_width;
	} else if (write) {
		*val &= mhv_dev_mask(size);
		action = dev->ops->write(dev, reg, size, *val);
		if (action == MHV_DEV_DROPPED) {
			st->err_dropped++;
		} else {
			st->writes++;
			st->bytes_written += size;
		}
	} else {
		*val = dev->ops->read(dev, reg, size) & mhv_dev_mask(size);
		st->reads++;
		st->bytes_read += size;
	}
	if (err) {
		(*err)++;
		if (!write)
			*val = mhv_dev_mask(size);
	}
	if (dev->ops->out_ready && dev->ops->out_ready(dev))
		vcpu->console_ready = true;
	mhv_dev_time(st, ktime_get_ns() - t0);
	spin_unlock_irqrestore(&dev->lock, flags);
	if (mhv_tracing())
		__mhv_trace_dev(vcpu, dev->id, dev->type, offset, size, *val,
				write, err);
	return action;
}

/*
 * A debug-exit write (@action MHV_DEV_END_RUN), a reset request
 * (MHV_DEV_RESET) or a power-off (MHV_DEV_POWEROFF): the run ends with
 * the value written in the run page. run->reset and run->poweroff have
 * the layout of run->debug_exit.
 */
static int mhv_dev_end_run(struct mhv_vcpu *vcpu, struct mhv_dev *dev,
			   int action, u64 addr, u64 val)
{
	struct mhv_run *run = vcpu->run;

	BUILD_BUG_ON(sizeof(run->reset) != sizeof(run->debug_exit));
	BUILD_BUG_ON(sizeof(run->poweroff) != sizeof(run->debug_exit));
	memset(&run->debug_exit, 0, sizeof(run->debug_exit));
	run->debug_exit.status = val;
	run->debug_exit.device = dev->id;
	run->debug_exit.addr = addr;
	if (action == MHV_DEV_RESET)
		run->exit_reason = MHV_EXIT_RESET;
	else if (action == MHV_DEV_POWEROFF)
		run->exit_reason = MHV_EXIT_POWEROFF;
	else
		run->exit_reason = MHV_EXIT_DEBUG_EXIT;
	return MHV_TO_USER;
}

static bool mhv_dev_ends_run(int action)
{
	return action == MHV_DEV_END_RUN || action == MHV_DEV_RESET ||
	       action == MHV_DEV_POWEROFF;
}

/**
 * mhv_dev_pio() - give a port I/O exit to the device on its port.
 * @vcpu: the vCPU that exited
 * @exit: the I/O exit; for an IN, mhv_handle_io() has set the completion
 * @data: @n elements of exit->io.size bytes: the OUT data, or where the
 *	  IN data goes
 * @n:    elements in this exit (more than 1 for INS/OUTS)
 *
 * Return: -ENODEV when no device has the port, else MHV_RESUME or
 * MHV_TO_USER (a debug exit, or an IN the completion refused).
 */
int mhv_dev_pio(struct mhv_vcpu *vcpu, const struct mhv_exit *exit,
		u8 *data, u32 n)
{
	u8 size = exit->io.size;
	struct mhv_dev *dev;
	u64 off, val;
	int action;
	u32 i;

	dev = mhv_dev_find(vcpu->vm, MHV_DEV_SPACE_PIO, exit->io.port, &off);
	if (!dev)
		return -ENODEV;
	vcpu->stats[MHV_STAT_DEV_IO]++;
	for (i = 0; i < n; i++, data += size) {
		val = 0;
		if (exit->io.in) {
			mhv_dev_access(vcpu, dev, off, size, false, &val);
			memcpy(data, &val, size);
			continue;
		}
		memcpy(&val, data, size);
		action = mhv_dev_access(vcpu, dev, off, size, true, &val);
		if (mhv_dev_ends_run(action))
			return mhv_dev_end_run(vcpu, dev, action, exit->io.port,
					       val);
	}
	/* an IN completes as if userspace had answered it */
	return exit->io.in ? mhv_complete_user_exit(vcpu) : MHV_RESUME;
}

/**
 * mhv_dev_mmio() - give a decoded MMIO access to the device at @gpa.
 * @vcpu:  the vCPU that exited
 * @gpa:   guest-physical address of the access
 * @size:  1, 2, 4 or 8
 * @write: a write (of *@val) or a read (into *@val)
 * @val:   the value
 *
 * Return: -ENODEV when no device has the address, else MHV_RESUME or
 * MHV_TO_USER (a debug exit). The caller moves RIP past the instruction.
 */
int mhv_dev_mmio(struct mhv_vcpu *vcpu, u64 gpa, u8 size, bool write,
		 u64 *val)
{
	struct mhv_dev *dev;
	int action;
	u64 off;

	dev = mhv_dev_find(vcpu->vm, MHV_DEV_SPACE_MMIO, gpa, &off);
	if (!dev)
		return -ENODEV;
	vcpu->stats[MHV_STAT_DEV_MMIO]++;
	action = mhv_dev_access(vcpu, dev, off, size, write, val);
	if (mhv_dev_ends_run(action))
		return mhv_dev_end_run(vcpu, dev, action, gpa, *val);
	return MHV_RESUME;
}

/**
 * mhv_dev_console() - hand a UART's output to the run page's console.
 * @vcpu:       the vCPU about to return to userspace
 * @ready_only: take it only from a device whose output is a ready batch
 *		(ops->out_ready); else from the first device with any
 *
 * Each byte leaves its device's buffer once, under dev->lock, for the
 * run page of whichever vCPU takes it; run->console.pos orders the
 * batches when several vCPUs print. One device per return: what another
 * device holds waits for the next return (or, as a ready batch, makes
 * the next MHV_RUN return at once).
 *
 * Return: the bytes now in run->console (run->console.len).
 */
u32 mhv_dev_console(struct mhv_vcpu *vcpu, bool ready_only)
{
	struct mhv_run *run = vcpu->run;
	u8 *buf = (u8 *)run + MHV_RUN_CONSOLE_OFFSET;
	u32 nr = mhv_dev_count(vcpu->vm), i;
	unsigned long flags;
	size_t n = 0;
	u64 pos = 0;

	for (i = 0; i < nr && !n; i++) {
		struct mhv_dev *dev = vcpu->vm->devs[i];

		if (!dev->ops->out_read)
			continue;
		spin_lock_irqsave(&dev->lock, flags);
		if (!ready_only ||
		    (dev->ops->out_ready && dev->ops->out_ready(dev)))
			n = dev->ops->out_read(dev, buf, MHV_RUN_CONSOLE_MAX,
					       &pos);
		spin_unlock_irqrestore(&dev->lock, flags);
		if (n) {
			run->console.device = dev->id;
			run->console.pos = pos;
		}
	}
	run->console.len = n;
	return n;
}

/* ---- creation ------------------------------------------------------------ */

static bool mhv_reserved_zero(const u64 *r, size_t n)
{
	while (n--)
		if (r[n])
			return false;
	return true;
}

/* Does a range of device @d overlap [base, base + size) in @space? */
static bool mhv_dev_overlaps(const struct mhv_dev *d, u32 space, u64 base,
			     u64 size)
{
	unsigned int i;

	if (d->space != space)
		return false;
	if (base < d->base + d->ops->size && d->base < base + size)
		return true;
	for (i = 0; i < d->ops->nr_extra; i++) {
		const struct mhv_dev_range *r = &d->ops->extra[i];

		if (base < r->port + r->size && r->port < base + size)
			return true;
	}
	return false;
}

/* Is [base, base + size) free of devices and, for MMIO, of memory? */
static int mhv_dev_range_free(struct mhv_vm *vm, u32 space, u64 base,
			      u64 size)
{
	unsigned int i;

	lockdep_assert_held(&vm->lock);
	for (i = 0; i < vm->nr_devs; i++)
		if (mhv_dev_overlaps(vm->devs[i], space, base, size))
			return -EEXIST;
	if (space != MHV_DEV_SPACE_MMIO)
		return 0;
	for (i = 0; i < MHV_MAX_MEM_SLOTS; i++) {
		const struct mhv_slot *s = &vm->slots[i];

		if (s->size && base < s->gpa + s->size && s->gpa < base + size)
			return -EEXIST;
	}
	return 0;
}

/* The VM has ops->max_per_vm devices of the type already; vm->lock held. */
static bool mhv_dev_type_full(struct mhv_vm *vm, const struct mhv_dev_ops *ops)
{
	unsigned int n = 0;
	u32 i;

	if (!ops->max_per_vm)
		return false;
	for (i = 0; i < vm->nr_devs; i++)
		n += vm->devs[i]->ops == ops;
	return n >= ops->max_per_vm;
}

/* Are all of a new device's port ranges free? vm->lock held. */
static int mhv_dev_ranges_free(struct mhv_vm *vm, const struct mhv_dev_ops *ops,
			       u32 space, u64 base)
{
	int ret = mhv_dev_range_free(vm, space, base, ops->size);
	unsigned int i;

	for (i = 0; !ret && i < ops->nr_extra; i++)
		ret = mhv_dev_range_free(vm, space, ops->extra[i].port,
					 ops->extra[i].size);
	return ret;
}

/* The interrupt of a new device: a vector, or a GSI of the irqchip. */
static int mhv_dev_check_irq(struct mhv_vm *vm,
			     const struct mhv_device_create *c)
{
	/* vectors 0-31 are the CPU's exceptions */
	if (c->irq_vector && (c->irq_vector < FIRST_EXTERNAL_VECTOR ||
			      c->irq_vector > 0xff))
		return -EINVAL;
	if (!(c->flags & MHV_DEV_F_IRQ_GSI))
		return c->irq_gsi ? -EINVAL : 0;
	if (!(vm->config.features & MHV_VM_F_IRQCHIP) || c->irq_vector ||
	    c->irq_gsi >= MHV_IRQCHIP_NR_GSI)
		return -EINVAL;
	return 0;
}

static int mhv_dev_check_create(struct mhv_vm *vm,
				const struct mhv_device_create *c)
{
	u64 limit, size;

	if ((c->flags & ~MHV_DEV_F_IRQ_GSI) || c->id || c->pad || c->pad2 ||
	    !mhv_reserved_zero(c->reserved, ARRAY_SIZE(c->reserved)))
		return -EINVAL;
	if (mhv_dev_check_irq(vm, c))
		return -EINVAL;
	if (c->type >= MHV_DEV_TYPE_NR || !mhv_dev_types[c->type])
		return -ENODEV;
	/* the irqchip's devices come with the VM, and only with it */
	if (mhv_dev_types[c->type]->irqchip)
		return vm->config.features & MHV_VM_F_IRQCHIP ? -EEXIST :
								 -EINVAL;
	if (c->space == MHV_DEV_SPACE_PIO)
		limit = IO_SPACE_LIMIT + 1ULL;
	else if (c->space == MHV_DEV_SPACE_MMIO)
		limit = 1ULL << boot_cpu_data.x86_phys_bits;
	else
		return -EINVAL;
	size = mhv_dev_types[c->type]->size;
	return c->base < limit && size <= limit - c->base ? 0 : -EINVAL;
}

/*
 * Create the device @c describes (checked) in @vm: the one way devices
 * are made, for MHV_CREATE_DEVICE and for the irqchip of VM creation.
 * Takes vm->lock. Returns the device or an ERR_PTR().
 */
static struct mhv_dev *mhv_dev_add(struct mhv_vm *vm,
				   const struct mhv_device_create *c)
{
	const struct mhv_dev_ops *ops = mhv_dev_types[c->type];
	struct mhv_dev *dev;
	int ret;

	dev = kzalloc(struct_size(dev, state, DIV_ROUND_UP(ops->state_size, 8)),
		      GFP_KERNEL_ACCOUNT);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	dev->ops = ops;
	dev->type = c->type;
	dev->space = c->space;
	dev->base = c->base;
	dev->vm = vm;
	dev->irq_vector = c->irq_vector;
	dev->irq_use_gsi = c->flags & MHV_DEV_F_IRQ_GSI;
	dev->irq_gsi = c->irq_gsi;
	dev->mode = MHV_DEV_MODE_RW;
	spin_lock_init(&dev->lock);
	lockdep_set_class(&dev->lock, &mhv_dev_lock_keys[c->type]);
	ops->reset(dev);

	mutex_lock(&vm->lock);
	if (vm->nr_devs >= MHV_MAX_DEVICES || mhv_dev_type_full(vm, ops))
		ret = -ENOSPC;
	else
		ret = mhv_dev_ranges_free(vm, ops, c->space, c->base);
	if (!ret) {
		dev->id = vm->nr_devs;
		vm->devs[dev->id] = dev;
		/* the entry is complete before a vCPU can see it;
		 * pairs with smp_load_acquire() in mhv_dev_count()
		 */
		smp_store_release(&vm->nr_devs, dev->id + 1);
	}
	mutex_unlock(&vm->lock);
	if (ret) {
		if (ops->destroy)
			ops->destroy(dev);
		kfree(dev);
		return ERR_PTR(ret);
	}
	return dev;
}

static long mhv_dev_create(struct file *file, void __user *argp)
{
	struct mhv_vm *vm = file->private_data;
	struct mhv_device_create c;
	struct mhv_dev *dev;
	int ret;

	if (copy_from_user(&c, argp, sizeof(c)))
		return -EFAULT;
	ret = mhv_dev_check_create(vm, &c);
	if (ret)
		return ret;
	dev = mhv_dev_add(vm, &c);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	c.id = dev->id;
	return copy_to_user(argp, &c, sizeof(c)) ? -EFAULT : dev->id;
}

/**
 * mhv_dev_create_irqchip() - the platform devices of MHV_VM_F_IRQCHIP.
 * @vm: a VM being created, before its fd exists
 *
 * The PIC (vm->pic) and the PIT at their fixed ports, then the I/O APIC
 * at 0xfec00000 (devices 0, 1, 2), as devices of the VM like any other
 * (listed, described, counted). On failure the caller frees the VM, and
 * with it the devices made so far.
 */
int mhv_dev_create_irqchip(struct mhv_vm *vm)
{
	static const u32 types[] = { MHV_DEV_TYPE_PIC, MHV_DEV_TYPE_PIT };
	struct mhv_device_create c = { .space = MHV_DEV_SPACE_PIO };
	struct mhv_dev *dev;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		c.type = types[i];
		c.base = mhv_dev_types[c.type]->fixed_base;
		dev = mhv_dev_add(vm, &c);
		if (IS_ERR(dev))
			return PTR_ERR(dev);
		if (c.type == MHV_DEV_TYPE_PIC)
			vm->pic = dev;
	}
	c.type = MHV_DEV_TYPE_IOAPIC;
	c.space = MHV_DEV_SPACE_MMIO;
	c.base = IO_APIC_DEFAULT_PHYS_BASE;
	dev = mhv_dev_add(vm, &c);
	return PTR_ERR_OR_ZERO(dev);
}

/* Does the device interrupt the guest at all (a vector or a GSI)? */
bool mhv_dev_has_irq(const struct mhv_dev *dev)
{
	return dev->irq_vector || dev->irq_use_gsi;
}

/**
 * mhv_dev_irq() - a device's interrupt output goes to @level.
 * @dev:   the device; its dev->lock may be held
 * @level: the line is asserted
 *
 * With a GSI the line follows @level (mhv_irq_line()); with a vector a
 * rising output raises it in vCPU 0 and a falling one does nothing, as
 * before the irqchip. Any context.
 */
void mhv_dev_irq(struct mhv_dev *dev, bool level)
{
	if (dev->irq_use_gsi)
		mhv_irq_line(dev->vm, dev->irq_gsi, level);
	else if (level && dev->irq_vector)
		mhv_irq_raise(dev->vm, dev->irq_vector);
}

/* An edge device's interrupt: its line rises and falls again. */
void mhv_dev_irq_pulse(struct mhv_dev *dev)
{
	mhv_dev_irq(dev, true);
	mhv_dev_irq(dev, false);
}

/**
 * mhv_dev_find_type() - the first device of @type in @vm, or NULL.
 * @vm:   the VM
 * @type: enum mhv_dev_type
 *
 * Any context, without a lock (see struct mhv_vm).
 */
struct mhv_dev *mhv_dev_find_type(struct mhv_vm *vm, u32 type)
{
	u32 nr = mhv_dev_count(vm), i;

	for (i = 0; i < nr; i++)
		if (vm->devs[i]->type == type)
			return vm->devs[i];
	return NULL;
}

/**
 * mhv_dev_can_wake() - will some device interrupt the guest on its own?
 * @vm: the VM
 *
 * Any vCPU thread, without vm->lock (see struct mhv_vm).
 */
bool mhv_dev_can_wake(struct mhv_vm *vm)
{
	u32 i, n = mhv_dev_count(vm);
	bool wake = false;

	for (i = 0; i < n && !wake; i++) {
		struct mhv_dev *dev = vm->devs[i];
		unsigned long flags;

		if (!dev->ops->can_wake)
			continue;
		spin_lock_irqsave(&dev->lock, flags);
		wake = dev->ops->can_wake(dev);
		spin_unlock_irqrestore(&dev->lock, flags);
	}
	return wake;
}

/*
 * Free the VM's devices: no vCPU and no fd is left. Two passes: a device's
 * hrtimer callback (PIT, timer, RTC with a GSI) reaches the PIC and the
 * I/O APIC, created first, through mhv_irq_line(); so every device stops
 * its timers and work before any device is freed.
 */
void mhv_dev_free_all(struct mhv_vm *vm)
{
	u32 i;

	for (i = 0; i < vm->nr_devs; i++)
		if (vm->devs[i]->ops->destroy)
			vm->devs[i]->ops->destroy(vm->devs[i]);
	vm->pic = NULL;
	for (i = 0; i < vm->nr_devs; i++)
		kfree(vm->devs[i]);
	vm->nr_devs = 0;
}

/* ---- the other device ioctls ----------------------------------------------- */

static void mhv_dev_info(struct mhv_dev *dev, struct mhv_device_info *info)
{
	memset(info, 0, sizeof(*info));
	info->id = dev->id;
	info->type = dev->type;
	info->space = dev->space;
	info->mode = READ_ONCE(dev->mode);
	info->base = dev->base;
	info->size = dev->ops->size;
	strscpy(info->name, dev->ops->name, sizeof(info->name));
}

static long mhv_dev_list(struct file *file, void __user *argp)
{
	struct mhv_vm *vm = file->private_data;
	struct mhv_device_list *l;
	u32 i;
	long ret;

	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	l->nr = mhv_dev_count(vm);
	for (i = 0; i < l->nr; i++)
		mhv_dev_info(vm->devs[i], &l->devices[i]);
	ret = copy_to_user(argp, l, sizeof(*l)) ? -EFAULT : 0;
	kfree(l);
	return ret;
}

static long mhv_dev_describe(struct file *file, void __user *argp)
{
	unsigned long flags;
	struct mhv_device_desc *d;
	const struct mhv_dev_ops *ops;
	struct mhv_dev *dev;
	unsigned int i;
	long ret;

	d = memdup_user(argp, sizeof(*d));
	if (IS_ERR(d))
		return PTR_ERR(d);
	dev = mhv_dev_get(file->private_data, d->id);
	ret = dev ? 0 : -ENOENT;
	if (!mhv_reserved_zero(d->reserved, ARRAY_SIZE(d->reserved)))
		ret = -EINVAL;
	if (ret)
		goto out;
	ops = dev->ops;
	memset(d, 0, sizeof(*d));
	d->id = dev->id;
	d->nr_regs = ops->nr_regs;
	mhv_dev_info(dev, &d->info);
	spin_lock_irqsave(&dev->lock, flags);
	for (i = 0; i < ops->nr_regs; i++) {
		struct mhv_device_reg_info *r = &d->regs[i];

		strscpy(r->name, ops->regs[i].name, sizeof(r->name));
		r->offset = ops->regs[i].offset;
		r->width = ops->regs[i].width;
		r->widths = ops->regs[i].widths;
		r->flags = ops->regs[i].flags;
		r->value = ops->peek(dev, i);
	}
	spin_unlock_irqrestore(&dev->lock, flags);
	ret = copy_to_user(argp, d, sizeof(*d)) ? -EFAULT : 0;
out:
	kfree(d);
	return ret;
}

/* A register access from the host: checked, not counted, any mode. */
static long mhv_dev_reg_access(struct file *file, void __user *argp,
			       bool write)
{
	unsigned long flags;
	struct mhv_device_reg r;
	struct mhv_dev *dev;
	int reg;

	if (copy_from_user(&r, argp, sizeof(r)))
		return -EFAULT;
	if (r.pad || !mhv_reserved_zero(r.reserved, ARRAY_SIZE(r.reserved)))
		return -EINVAL;
	dev = mhv_dev_get(file->private_data, r.id);
	if (!dev)
		return -ENOENT;
	reg = mhv_dev_find_reg(dev->ops, r.offset);
	if (reg < 0 || !is_power_of_2(r.size) || r.size > 8 ||
	    !(dev->ops->regs[reg].widths & r.size) ||
	    (write && (r.value & ~mhv_dev_mask(r.size))))
		return -EINVAL;
	spin_lock_irqsave(&dev->lock, flags);
	if (write)
		dev->ops->write(dev, reg, r.size, r.value);
	else
		r.value = dev->ops->read(dev, reg, r.size) &
			  mhv_dev_mask(r.size);
	spin_unlock_irqrestore(&dev->lock, flags);
	if (write && dev->ops->can_wake)
		mhv_vm_wake_halted(dev->vm);	/* it may wake no one now */
	if (!write && copy_to_user(argp, &r, sizeof(r)))
		return -EFAULT;
	return 0;
}

static long mhv_dev_read(struct file *file, void __user *argp)
{
	return mhv_dev_reg_access(file, argp, false);
}

static long mhv_dev_write(struct file *file, void __user *argp)
{
	return mhv_dev_reg_access(file, argp, true);
}

static long mhv_dev_get_stats(struct file *file, void __user *argp)
{
	unsigned long flags;
	struct mhv_device_stats st;
	struct mhv_dev *dev;
	u32 id;

	if (copy_from_user(&st, argp, sizeof(st)))
		return -EFAULT;
	if (st.pad || !mhv_reserved_zero(st.reserved, ARRAY_SIZE(st.reserved)))
		return -EINVAL;
	id = st.id;
	dev = mhv_dev_get(file->private_data, id);
	if (!dev)
		return -ENOENT;
	spin_lock_irqsave(&dev->lock, flags);
	st = dev->stats;
	spin_unlock_irqrestore(&dev->lock, flags);
	st.id = id;
	if (st.time_count)
		st.time_mean_ns = div64_u64(st.time_total_ns, st.time_count);
	return copy_to_user(argp, &st, sizeof(st)) ? -EFAULT : 0;
}

/* The device whose id is the ioctl's argument itself, or NULL. */
static struct mhv_dev *mhv_dev_get_arg(struct file *file, void __user *argp)
{
	unsigned long id = (unsigned long)argp;

	return id <= U32_MAX ? mhv_dev_get(file->private_data, id) : NULL;
}

static long mhv_dev_reset_stats(struct file *file, void __user *argp)
{
	unsigned long flags;
	struct mhv_dev *dev = mhv_dev_get_arg(file, argp);

	if (!dev)
		return -ENOENT;
	spin_lock_irqsave(&dev->lock, flags);
	memset(&dev->stats, 0, sizeof(dev->stats));
	spin_unlock_irqrestore(&dev->lock, flags);
	return 0;
}

static long mhv_dev_set_mode(struct file *file, void __user *argp)
{
	unsigned long flags;
	struct mhv_device_mode m;
	struct mhv_dev *dev;

	if (copy_from_user(&m, argp, sizeof(m)))
		return -EFAULT;
	if (m.mode >= MHV_DEV_MODE_NR ||
	    !mhv_reserved_zero(m.reserved, ARRAY_SIZE(m.reserved)))
		return -EINVAL;
	dev = mhv_dev_get(file->private_data, m.id);
	if (!dev)
		return -ENOENT;
	spin_lock_irqsave(&dev->lock, flags);
	dev->mode = m.mode;
	spin_unlock_irqrestore(&dev->lock, flags);
	return 0;
}

static long mhv_dev_reset(struct file *file, void __user *argp)
{
	unsigned long flags;
	struct mhv_dev *dev = mhv_dev_get_arg(file, argp);

	if (!dev)
		return -ENOENT;
	spin_lock_irqsave(&dev->lock, flags);
	dev->ops->reset(dev);
	spin_unlock_irqrestore(&dev->lock, flags);
	if (dev->ops->can_wake)
		mhv_vm_wake_halted(dev->vm);
	return 0;
}

/* A byte stream of a device (MHV_DEV_UART_*): returns the bytes moved. */
static long mhv_dev_stream(struct file *file, void __user *argp, bool out)
{
	unsigned long flags;
	struct mhv_uart_io io;
	struct mhv_dev *dev;
	size_t n;
	long ret;
	u64 pos;
	u8 *buf;

	if (copy_from_user(&io, argp, sizeof(io)))
		return -EFAULT;
	if (!mhv_reserved_zero(io.reserved, ARRAY_SIZE(io.reserved)) ||
	    (!out && io.len > MHV_UART_BUF_SIZE))
		return -EINVAL;
	dev = mhv_dev_get(file->private_data, io.id);
	if (!dev)
		return -ENOENT;
	if (!dev->ops->out_read || !dev->ops->in_write)
		return -ENODEV;
	n = min_t(size_t, io.len, MHV_UART_BUF_SIZE);
	if (out) {
		buf = kmalloc(MHV_UART_BUF_SIZE, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
	} else {
		buf = memdup_user(u64_to_user_ptr(io.data), n);
		if (IS_ERR(buf))
			return PTR_ERR(buf);
	}
	spin_lock_irqsave(&dev->lock, flags);
	if (out)
		n = dev->ops->out_read(dev, buf, n, &pos);
	else
		n = dev->ops->in_write(dev, buf, n);
	spin_unlock_irqrestore(&dev->lock, flags);
	/* output that cannot be copied out is lost, as on a real line */
	if (out && copy_to_user(u64_to_user_ptr(io.data), buf, n))
		ret = -EFAULT;
	else
		ret = n;
	kfree(buf);
	return ret;
}

static long mhv_dev_uart_read_output(struct file *file, void __user *argp)
{
	return mhv_dev_stream(file, argp, true);
}

static long mhv_dev_uart_write_input(struct file *file, void __user *argp)
{
	return mhv_dev_stream(file, argp, false);
}

static const struct mhv_ioctl_desc mhv_dev_ioctls[] = {
	{ MHV_CREATE_DEVICE, mhv_dev_create },
	{ MHV_LIST_DEVICES, mhv_dev_list },
	{ MHV_DESCRIBE_DEVICE, mhv_dev_describe },
	{ MHV_DEVICE_READ, mhv_dev_read },
	{ MHV_DEVICE_WRITE, mhv_dev_write },
	{ MHV_GET_DEVICE_STATS, mhv_dev_get_stats },
	{ MHV_RESET_DEVICE_STATS, mhv_dev_reset_stats },
	{ MHV_SET_DEVICE_MODE, mhv_dev_set_mode },
	{ MHV_RESET_DEVICE, mhv_dev_reset },
	{ MHV_DEV_UART_READ_OUTPUT, mhv_dev_uart_read_output },
	{ MHV_DEV_UART_WRITE_INPUT, mhv_dev_uart_write_input },
};

/* The device ioctls of a VM fd; -ENOTTY for any other number. */
long mhv_dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return mhv_dispatch(mhv_dev_ioctls, ARRAY_SIZE(mhv_dev_ioctls),
			    file, cmd, arg);
}
