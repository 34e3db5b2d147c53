// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - binary statistics fds (MHV_GET_STATS_FD on a VM fd,
 * MHV_GET_VCPU_STATS_FD on a vCPU fd) and the flight recorder
 * (MHV_GET_FLIGHT_RECORDER).
 *
 * A stats fd reads as header, id, descriptors (built once, when the fd is
 * made) and a data block filled at each read from the live counters: a
 * vCPU's own, or for the VM the sum over its vCPUs followed by VM-wide
 * values. Documentation/api.rst describes the format.
 *
 * Lifetime: the fd holds a reference on the VM (vm->users), as a vCPU fd
 * does, so the VM and its vCPUs (freed only with the VM) stay while the
 * fd is open, also after the VM and vCPU fds were closed; its counters
 * then keep their last values.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "mhv.h"
#include "stats.h"

/* Names of enum mhv_stat, as libmultios_hv's mhv_stat_name() */
static const char *const mhv_stat_names[MHV_STAT_NR] = {
	[MHV_STAT_EXITS] = "exits", [MHV_STAT_USER_EXITS] = "user_exits",
	[MHV_STAT_CPUID] = "cpuid", [MHV_STAT_HLT] = "hlt",
	[MHV_STAT_IO] = "io", [MHV_STAT_IO_STRING] = "io_string",
	[MHV_STAT_MMIO] = "mmio", [MHV_STAT_MSR_READ] = "msr_read",
	[MHV_STAT_MSR_WRITE] = "msr_write", [MHV_STAT_MSR_GP] = "msr_gp",
	[MHV_STAT_NPF] = "npf", [MHV_STAT_INTR] = "intr",
	[MHV_STAT_NMI] = "nmi", [MHV_STAT_SHUTDOWN] = "shutdown",
	[MHV_STAT_FAIL_ENTRY] = "fail_entry",
	[MHV_STAT_UNKNOWN] = "unknown_exit", [MHV_STAT_SIGNAL] = "signal",
	[MHV_STAT_UD] = "ud_injected",
	[MHV_STAT_CR_WRITE] = "cr_write", [MHV_STAT_CR_GP] = "cr_gp",
	[MHV_STAT_DR_ACCESS] = "dr_access", [MHV_STAT_DB] = "db",
	[MHV_STAT_AC] = "ac", [MHV_STAT_MC] = "mc",
	[MHV_STAT_CACHE] = "cache_insn", [MHV_STAT_RDPMC] = "rdpmc",
	[MHV_STAT_DEV_IO] = "dev_io", [MHV_STAT_DEV_MMIO] = "dev_mmio",
	[MHV_STAT_IRQ_INJECTED] = "irq_injected",
	[MHV_STAT_EXC_INJECTED] = "exc_injected",
	[MHV_STAT_IRQ_WINDOW] = "irq_window",
	[MHV_STAT_HALT_SLEEP] = "halt_sleep",
	[MHV_STAT_HALT_WAKEUP] = "halt_wakeup",
	[MHV_STAT_REINJECT] = "reinject",
	[MHV_STAT_CONSOLE] = "console",
	[MHV_STAT_NPF_4K] = "npf_4k", [MHV_STAT_NPF_2M] = "npf_2m",
	[MHV_STAT_NPF_1G] = "npf_1g",
	[MHV_STAT_SKIP_NRIP] = "skip_nrip",
	[MHV_STAT_SKIP_DECODE] = "skip_decode",
	[MHV_STAT_INSN_ASSIST] = "insn_assist",
	[MHV_STAT_VMRUN_CLEAN] = "vmrun_clean",
	[MHV_STAT_FLUSH_ASID] = "flush_asid",
	[MHV_STAT_APIC_IRQ] = "apic_irq",
	[MHV_STAT_NMI_INJECTED] = "nmi_injected",
	[MHV_STAT_PIC_ACK] = "pic_ack",
};

/* Names of enum mhv_exit_type, in exits_<name> and exit_latency_<name> */
static const char *const mhv_exit_type_names[MHV_X_NR] = {
	[MHV_X_UNKNOWN] = "unknown", [MHV_X_CPUID] = "cpuid",
	[MHV_X_HLT] = "hlt", [MHV_X_IO] = "io",
	[MHV_X_MSR_READ] = "msr_read", [MHV_X_MSR_WRITE] = "msr_write",
	[MHV_X_NPF] = "npf", [MHV_X_SHUTDOWN] = "shutdown",
	[MHV_X_INTR] = "intr", [MHV_X_NMI] = "nmi", [MHV_X_UD] = "ud",
	[MHV_X_FAIL_ENTRY] = "fail_entry", [MHV_X_CR] = "cr",
	[MHV_X_DR] = "dr", [MHV_X_EXCEPTION] = "exception",
	[MHV_X_CACHE] = "cache", [MHV_X_RDPMC] = "rdpmc",
	[MHV_X_IRQ_WINDOW] = "irq_window", [MHV_X_NMI_WINDOW] = "nmi_window",
};

/* The data block of a vCPU; a VM's starts with the sum over its vCPUs. */
struct mhv_stats_vcpu_data {
	u64 counters[MHV_STAT_NR];
	struct mhv_vcpu_stat stat;
};

struct mhv_stats_vm_data {
	struct mhv_stats_vcpu_data sum;
	u64 vcpus;
	u64 state;
	u64 error;
	u64 memory_limit;
	u64 memory_allocated;
	u64 pages_mapped;
	u64 page_tables;
	u64 devices;
	u64 leaves[3];		/* second-level leaves by size: 4K, 2M, 1G */
	u64 mapped[3];		/* bytes they cover */
};

#define MHV_STATS_DESC_SIZE	(sizeof(struct mhv_stats_desc) + \
				 MHV_STATS_NAME_SIZE)
/* most descriptors of a VM: its counters, 4 times, 2 per exit type, 14 */
#define MHV_STATS_MAX_DESC	(MHV_STAT_NR + 4 + 2 * MHV_X_NR + 14)

struct mhv_stats_file {
	struct mhv_vm *vm;	/* (R) holds a reference (vm->users) */
	struct mhv_vcpu *vcpu;	/* (R) NULL: the VM's statistics */
	u8 *head;		/* (R) header, id and descriptors */
	u32 head_size;		/* (R) = data_offset */
	u32 data_size;		/* (R) */
};

/* ---- descriptors --------------------------------------------------------- */

#define NS	(MHV_STATS_UNIT_SECONDS | MHV_STATS_BASE_POW10)

static void mhv_stats_desc(struct mhv_stats_file *sf, u32 flags, s16 exp,
			   u16 size, size_t offset, const char *fmt,
			   const char *arg)
{
	struct mhv_stats_header *h = (struct mhv_stats_header *)sf->head;
	struct mhv_stats_desc *d;

	/* MHV_STATS_MAX_DESC counts by hand: never write past it */
	if (WARN_ON_ONCE(h->num_desc >= MHV_STATS_MAX_DESC))
		return;
	d = (void *)(sf->head + h->desc_offset +
		     h->num_desc * MHV_STATS_DESC_SIZE);
	d->flags = flags;
	d->exponent = exp;
	d->size = size;
	d->offset = offset;
	snprintf(d->name, MHV_STATS_NAME_SIZE, fmt, arg);
	h->num_desc++;
}

#define VCPU_OFF(field)	offsetof(struct mhv_stats_vcpu_data, field)
#define VM_OFF(field)	offsetof(struct mhv_stats_vm_data, field)

static void mhv_stats_vcpu_descs(struct mhv_stats_file *sf)
{
	unsigned int i;

	for (i = 0; i < MHV_STAT_NR; i++)
		if (mhv_stat_names[i])	/* numbers reserved, not yet used */
			mhv_stats_desc(sf, MHV_STATS_TYPE_COUNTER, 0, 1,
				       VCPU_OFF(counters[i]), "%s",
				       mhv_stat_names[i]);
	mhv_stats_desc(sf, MHV_STATS_TYPE_COUNTER | NS, -9, 1,
		       VCPU_OFF(stat.guest_ns), "guest_time", NULL);
	mhv_stats_desc(sf, MHV_STATS_TYPE_COUNTER | NS, -9, 1,
		       VCPU_OFF(stat.hyp_ns), "hypervisor_time", NULL);
	mhv_stats_desc(sf, MHV_STATS_TYPE_COUNTER | NS, -9, 1,
		       VCPU_OFF(stat.halt_ns), "halt_time", NULL);
	mhv_stats_desc(sf, MHV_STATS_TYPE_COUNTER, 0, 1,
		       VCPU_OFF(stat.wait_sipi), "wait_sipi", NULL);
	for (i = 0; i < MHV_X_NR; i++)
		mhv_stats_desc(sf, MHV_STATS_TYPE_COUNTER, 0, 1,
			       VCPU_OFF(stat.exits[i]), "exits_%s",
			       mhv_exit_type_names[i]);
	for (i = 0; i < MHV_X_NR; i++)
		mhv_stats_desc(sf, MHV_STATS_TYPE_HIST_LOG2 | NS, -9,
			       MHV_STATS_HIST, VCPU_OFF(stat.latency[i]),
			       "exit_latency_%s", mhv_exit_type_names[i]);
}

/* Second-level page sizes, by level - 1 */
static const char *const mhv_page_size_names[] = { "4k", "2m", "1g" };

static void mhv_stats_vm_descs(struct mhv_stats_file *sf)
{
	unsigned int i;
	const u32 inst = MHV_STATS_TYPE_INSTANT;
	const u32 bytes = inst | MHV_STATS_UNIT_BYTES;
	const u32 pages = bytes | MHV_STATS_BASE_POW2;

	mhv_stats_desc(sf, inst, 0, 1, VM_OFF(vcpus), "vcpus", NULL);
	mhv_stats_desc(sf, inst, 0, 1, VM_OFF(state), "state", NULL);
	mhv_stats_desc(sf, inst, 0, 1, VM_OFF(error), "error", NULL);
	mhv_stats_desc(sf, bytes, 0, 1, VM_OFF(memory_limit), "memory_limit",
		       NULL);
	mhv_stats_desc(sf, bytes, 0, 1, VM_OFF(memory_allocated),
		       "memory_allocated", NULL);
	mhv_stats_desc(sf, pages, PAGE_SHIFT, 1, VM_OFF(pages_mapped),
		       "pages_mapped", NULL);
	mhv_stats_desc(sf, pages, PAGE_SHIFT, 1, VM_OFF(page_tables),
		       "page_tables", NULL);
	mhv_stats_desc(sf, inst, 0, 1, VM_OFF(devices), "devices", NULL);
	for (i = 0; i < ARRAY_SIZE(mhv_page_size_names); i++) {
		mhv_stats_desc(sf, inst, 0, 1, VM_OFF(leaves[i]), "leaves_%s",
			       mhv_page_size_names[i]);
		mhv_stats_desc(sf, bytes, 0, 1, VM_OFF(mapped[i]),
			       "memory_mapped_%s", mhv_page_size_names[i]);
	}
}

static int mhv_stats_build(struct mhv_stats_file *sf)
{
	struct mhv_stats_header *h;
	size_t desc_offset = sizeof(*h) + MHV_STATS_ID_SIZE;
	char *id;

	sf->head = kvzalloc(desc_offset +
			    MHV_STATS_MAX_DESC * MHV_STATS_DESC_SIZE,
			    GFP_KERNEL_ACCOUNT);
	if (!sf->head)
		return -ENOMEM;
	h = (struct mhv_stats_header *)sf->head;
	h->magic = MHV_STATS_MAGIC;
	h->name_size = MHV_STATS_NAME_SIZE;
	h->id_offset = sizeof(*h);
	h->desc_offset = desc_offset;
	h->desc_size = MHV_STATS_DESC_SIZE;
	id = sf->head + h->id_offset;
	if (sf->vcpu)
		snprintf(id, MHV_STATS_ID_SIZE, "%s/vcpu%u",
			 sf->vm->config.name, sf->vcpu->id);
	else
		snprintf(id, MHV_STATS_ID_SIZE, "%s", sf->vm->config.name);
	mhv_stats_vcpu_descs(sf);
	if (!sf->vcpu)
		mhv_stats_vm_descs(sf);
	h->data_offset = desc_offset + h->num_desc * MHV_STATS_DESC_SIZE;
	h->data_size = sf->vcpu ? sizeof(struct mhv_stats_vcpu_data) :
				  sizeof(struct mhv_stats_vm_data);
	sf->head_size = h->data_offset;
	sf->data_size = h->data_size;
	return 0;
}

/* ---- data ---------------------------------------------------------------- */

/* Add @n live words at @src to @dst (the vCPU thread writes them). */
static void mhv_stats_add(u64 *dst, const u64 *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] += READ_ONCE(src[i]);
}

static void mhv_stats_add_vcpu(struct mhv_stats_vcpu_data *d,
			       struct mhv_vcpu *vcpu)
{
	mhv_stats_add(d->counters, vcpu->stats, MHV_STAT_NR);
	mhv_stats_add((u64 *)&d->stat, (const u64 *)&vcpu->stat,
		      sizeof(vcpu->stat) / sizeof(u64));
}

static void mhv_stats_fill_vm(struct mhv_vm *vm, struct mhv_stats_vm_data *d)
{
	unsigned int i;

	mutex_lock(&vm->lock);
	for (i = 0; i < vm->nr_vcpus; i++)
		mhv_stats_add_vcpu(&d->sum, vm->vcpus[i]);
	d->vcpus = vm->nr_vcpus;
	d->state = mhv_vm_state(vm);
	d->error = READ_ONCE(vm->error);
	d->memory_limit = (u64)vm->config.memory_mb << 20;
	d->memory_allocated = vm->mem_allocated;
	d->pages_mapped = READ_ONCE(vm->mmu.nr_mapped);
	d->page_tables = READ_ONCE(vm->mmu.nr_tables);
	for (i = 0; i < ARRAY_SIZE(d->leaves); i++) {
		d->leaves[i] = READ_ONCE(vm->mmu.nr_leaves[i]);
		d->mapped[i] = d->leaves[i] << (PAGE_SHIFT + 9 * i);
	}
	d->devices = vm->nr_devs;	/* written under vm->lock */
	mutex_unlock(&vm->lock);
}

static ssize_t mhv_stats_read(struct file *file, char __user *buf,
			      size_t len, loff_t *ppos)
{
	struct mhv_stats_file *sf = file->private_data;
	size_t total = sf->head_size + sf->data_size, done = 0, n;
	loff_t pos = *ppos;
	void *data;

	if (pos < 0)
		return -EINVAL;
	if (pos >= total || !len)
		return 0;
	len = min_t(size_t, len, total - pos);
	if (pos < sf->head_size) {
		n = min_t(size_t, len, sf->head_size - pos);
		if (copy_to_user(buf, sf->head + pos, n))
			return -EFAULT;
		done = n;
	}
	if (done < len) {
		data = kvzalloc(sf->data_size, GFP_KERNEL_ACCOUNT);
		if (!data)
			return -ENOMEM;
		if (sf->vcpu)
			mhv_stats_add_vcpu(data, sf->vcpu);
		else
			mhv_stats_fill_vm(sf->vm, data);
		n = len - done;
		if (copy_to_user(buf + done,
				 data + (pos + done - sf->head_size), n)) {
			kvfree(data);
			return -EFAULT;
		}
		kvfree(data);
		done += n;
	}
	*ppos = pos + done;
	return done;
}

static loff_t mhv_stats_llseek(struct file *file, loff_t offset, int whence)
{
	struct mhv_stats_file *sf = file->private_data;

	return fixed_size_llseek(file, offset, whence,
				 sf->head_size + sf->data_size);
}

static int mhv_stats_release(struct inode *inode, struct file *file)
{
	struct mhv_stats_file *sf = file->private_data;

	mhv_vm_put(sf->vm);
	kvfree(sf->head);
	kfree(sf);
	return 0;
}

static const struct file_operations mhv_stats_fops = {
	.owner		= THIS_MODULE,
	.read		= mhv_stats_read,
	.llseek		= mhv_stats_llseek,
	.release	= mhv_stats_release,
};

/**
 * mhv_stats_get_fd() - a new stats fd.
 * @vm:   the VM, whose fd (or one of whose vCPU fds) the caller holds
 * @vcpu: the vCPU, or NULL for the VM's statistics
 *
 * Return: the fd (read-only, close-on-exec), or -errno.
 */
long mhv_stats_get_fd(struct mhv_vm *vm, struct mhv_vcpu *vcpu)
{
	struct mhv_stats_file *sf;
	struct file *file;
	int fd, ret;

	sf = kzalloc(sizeof(*sf), GFP_KERNEL_ACCOUNT);
	if (!sf)
		return -ENOMEM;
	sf->vm = vm;
	sf->vcpu = vcpu;
	ret = mhv_stats_build(sf);
	if (ret)
		goto out_free;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto out_free;
	}
	file = anon_inode_getfile("multios_hv-stats", &mhv_stats_fops, sf,
				  O_RDONLY);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		ret = PTR_ERR(file);
		goto out_free;
	}
	file->f_mode |= FMODE_PREAD;
	/* the caller's fd holds one: the VM cannot go away meanwhile */
	refcount_inc(&vm->users);
	fd_install(fd, file);
	return fd;

out_free:
	kvfree(sf->head);
	kfree(sf);
	return ret;
}

/* ---- flight recorder ----------------------------------------------------- */

/**
 * mhv_flight_get() - MHV_GET_FLIGHT_RECORDER, under vcpu->mutex.
 * @vcpu: the vCPU (not in RUN: the mutex keeps it out)
 * @argp: user struct mhv_flight_recorder
 *
 * Return: 0 or -errno.
 */
long mhv_flight_get(struct mhv_vcpu *vcpu, void __user *argp)
{
	const struct mhv_flight *f = &vcpu->flight;
	struct mhv_flight_recorder *fr;
	u64 n, first, i;
	long ret = 0;

	fr = kzalloc(sizeof(*fr), GFP_KERNEL);
	if (!fr)
		return -ENOMEM;
	n = min_t(u64, f->total, MHV_FLIGHT_ENTRIES);
	first = f->total - n;
	for (i = 0; i < n; i++)
		fr->entries[i] = f->ring[(first + i) % MHV_FLIGHT_ENTRIES];
	fr->nr = n;
	/* frozen also when another vCPU put the VM in ERROR: none runs */
	if (f->frozen || READ_ONCE(vcpu->vm->state) == MHV_VM_ERROR)
		fr->flags = MHV_FLIGHT_F_FROZEN;
	fr->vcpu_id = vcpu->id;
	fr->error = READ_ONCE(vcpu->vm->error);
	fr->total = f->total;
	memcpy(fr->vm_name, vcpu->vm->config.name, sizeof(fr->vm_name));
	if (copy_to_user(argp, fr, sizeof(*fr)))
		ret = -EFAULT;
	kfree(fr);
	return ret;
}
