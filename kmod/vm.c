// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - VM objects: creation from a config, memory slots, the VM
 * fd and its ioctls, state and stop (the extension on/off: hw.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/ctype.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/uaccess.h>

#include "mhv.h"
#include "dev/irqchip.h"
#include "trace.h"

/* every VM, for tools that list them */
LIST_HEAD(mhv_vm_list);
/* protects mhv_vm_list, mhv_vm_last_id, mhv_vm_last_seq */
DEFINE_MUTEX(mhv_vm_list_lock);
static u32 mhv_vm_last_id;
static u64 mhv_vm_last_seq;

static void mhv_vm_free(struct mhv_vm *vm)
{
	unsigned int i;

	mutex_lock(&mhv_vm_list_lock);
	list_del(&vm->node);
	mutex_unlock(&mhv_vm_list_lock);

	/* devices first: their timers may still raise interrupts */
	mhv_dev_free_all(vm);
	for (i = 0; i < vm->nr_vcpus; i++)
		mhv_vcpu_free(vm->vcpus[i]);
	mhv_mmu_destroy(vm);
	mhv_trace_vm(vm, MHV_TRACE_VM_DESTROYED);
	mmdrop(vm->mm);
	kfree(vm);
	mhv_memstat_objects(-1, 0);
	mhv_hw_put();
}

void mhv_vm_put(struct mhv_vm *vm)
{
	if (refcount_dec_and_test(&vm->users))
		mhv_vm_free(vm);
}

void mhv_vm_set_error(struct mhv_vm *vm, u32 error, u64 code)
{
	bool first = cmpxchg(&vm->error, MHV_ERR_NONE, error) == MHV_ERR_NONE;

	if (first)
		WRITE_ONCE(vm->error_code, code);
	WRITE_ONCE(vm->state, MHV_VM_ERROR);
	if (first)
		mhv_trace_vm(vm, MHV_TRACE_VM_ERROR);
}

const struct mhv_slot *mhv_find_slot(struct mhv_vm *vm, u64 gpa)
{
	unsigned int i;

	for (i = 0; i < MHV_MAX_MEM_SLOTS; i++) {
		const struct mhv_slot *s = &vm->slots[i];

		if (s->size && gpa >= s->gpa && gpa - s->gpa < s->size)
			return s;
	}
	return NULL;
}

static bool mhv_reserved_zero(const u64 *r, size_t n)
{
	while (n--)
		if (r[n])
			return false;
	return true;
}

/* ---- memory slots -------------------------------------------------------- */

static int mhv_delete_slot(struct mhv_vm *vm, struct mhv_slot *slot)
{
	unsigned int i;

	if (!slot->size)
		return -ENOENT;
	mhv_mmu_unmap_range(vm, slot->gpa, slot->size);
	for (i = 0; i < vm->nr_vcpus; i++)
		mhv_vendor->flush_tlb(vm->vcpus[i]);
	vm->mem_allocated -= slot->size;
	memset(slot, 0, sizeof(*slot));
	return 0;
}

/*
 * Guest-physical addresses must be ones the second-level tables cover
 * (mhv_max_gpa()); the user memory must be of a kind that may back
 * guest memory (mhv_check_slot_memory(): -EOPNOTSUPP), checked again at
 * each nested page fault because the mapping may change afterwards.
 */
static int mhv_check_region(struct mhv_vm *vm,
			    const struct mhv_memory_region *r)
{
	u64 max_gpa = mhv_max_gpa();
	unsigned int i;

	if (!mhv_reserved_zero(r->reserved, ARRAY_SIZE(r->reserved)) ||
	    r->flags & ~MHV_MEM_READONLY)
		return -EINVAL;
	if (!PAGE_ALIGNED(r->guest_phys_addr) || !PAGE_ALIGNED(r->size) ||
	    !PAGE_ALIGNED(r->userspace_addr))
		return -EINVAL;
	if (r->guest_phys_addr >= max_gpa || r->size > max_gpa - r->guest_phys_addr)
		return -EINVAL;
	if (r->userspace_addr + r->size < r->userspace_addr ||
	    !access_ok((void __user *)(unsigned long)r->userspace_addr, r->size))
		return -EFAULT;
	if (vm->mem_allocated + r->size > (u64)vm->config.memory_mb << 20)
		return -ENOSPC;
	for (i = 0; i < MHV_MAX_MEM_SLOTS; i++) {
		const struct mhv_slot *s = &vm->slots[i];

		if (s->size && r->guest_phys_addr < s->gpa + s->size &&
		    s->gpa < r->guest_phys_addr + r->size)
			return -EEXIST;
	}
	return mhv_check_slot_memory(r->userspace_addr, r->size);
}

static long mhv_vm_set_memory_region(struct file *file, void __user *argp)
{
	struct mhv_vm *vm = file->private_data;
	struct mhv_memory_region r;
	struct mhv_slot *slot;
	int ret;

	if (copy_from_user(&r, argp, sizeof(r)))
		return -EFAULT;
	if (r.slot >= MHV_MAX_MEM_SLOTS)
		return -EINVAL;
	if (current->mm != vm->mm)
		return -EIO;

	mutex_lock(&vm->lock);
	slot = &vm->slots[r.slot];
	if (vm->nr_running) {
		ret = -EBUSY;
	} else if (!r.size) {
		ret = r.flags || r.guest_phys_addr || r.userspace_addr ||
		      !mhv_reserved_zero(r.reserved, ARRAY_SIZE(r.reserved)) ?
		      -EINVAL : mhv_delete_slot(vm, slot);
	} else if (slot->size) {
		ret = -EEXIST;
	} else {
		ret = mhv_check_region(vm, &r);
		if (!ret) {
			slot->gpa = r.guest_phys_addr;
			slot->size = r.size;
			slot->hva = r.userspace_addr;
			slot->flags = r.flags;
			vm->mem_allocated += r.size;
		}
	}
	mutex_unlock(&vm->lock);
	return ret;
}

/* ---- other VM ioctls -------------------------------------------------- */

static long mhv_vm_create_vcpu(struct file *file, void __user *argp)
{
	return mhv_create_vcpu(file->private_data, (unsigned long)argp);
}

/*
 * The state as GET_VM_INFO reports it: under vm->lock, or without it
 * for a listing (the VM list), which may then be a moment old.
 */
u32 mhv_vm_state(struct mhv_vm *vm)
{
	int state = READ_ONCE(vm->state);

	if (state == MHV_VM_ERROR || state == MHV_VM_STOPPED)
		return state;
	if (READ_ONCE(vm->nr_running))
		return MHV_VM_RUNNING;
	return READ_ONCE(vm->has_run) ? MHV_VM_PAUSED : MHV_VM_CREATED;
}

static long mhv_vm_get_info(struct file *file, void __user *argp)
{
	struct mhv_vm *vm = file->private_data;
	struct mhv_vm_info info;

	memset(&info, 0, sizeof(info));
	mutex_lock(&vm->lock);
	memcpy(info.name, vm->config.name, sizeof(info.name));
	info.state = mhv_vm_state(vm);
	info.error = READ_ONCE(vm->error);
	info.error_code = READ_ONCE(vm->error_code);
	info.vcpu_count = vm->config.vcpu_count;
	info.vcpus_created = vm->nr_vcpus;
	info.features = vm->config.features;
	info.arch = vm->config.arch;
	info.memory_limit = (u64)vm->config.memory_mb << 20;
	info.memory_allocated = vm->mem_allocated;
	info.memory_used = READ_ONCE(vm->mmu.nr_mapped) << PAGE_SHIFT;
	info.npf_count = atomic64_read(&vm->npf_count);
	info.exits = atomic64_read(&vm->exits);
	mutex_unlock(&vm->lock);

	return copy_to_user(argp, &info, sizeof(info)) ? -EFAULT : 0;
}

static void mhv_kick_nop(void *info)
{
}

static long mhv_vm_stop(struct file *file, void __user *argp)
{
	struct mhv_vm *vm = file->private_data;
	unsigned long how = (unsigned long)argp;
	unsigned int i;

	if (how != MHV_STOP_GRACEFUL && how != MHV_STOP_FORCE)
		return -EINVAL;

	mutex_lock(&vm->lock);
	WRITE_ONCE(vm->stop_requested, 1);
	if (READ_ONCE(vm->state) != MHV_VM_ERROR &&
	    READ_ONCE(vm->state) != MHV_VM_STOPPED) {
		WRITE_ONCE(vm->state, MHV_VM_STOPPED);
		mhv_trace_vm(vm, MHV_TRACE_VM_STATE);
	}
	/*
	 * A halted vCPU wakes up; FORCE: one in guest mode gets an IPI and
	 * exits (INTR). A function-call IPI, not mhv_vcpu_kick()'s
	 * reschedule IPI: this is process context, and the tests count it.
	 */
	for (i = 0; i < vm->nr_vcpus; i++) {
		int cpu = READ_ONCE(vm->vcpus[i]->cpu);

		wake_up_interruptible(&vm->vcpus[i]->wq);
		if (how == MHV_STOP_FORCE && cpu >= 0)
			smp_call_function_single(cpu, mhv_kick_nop, NULL, 0);
	}
	mutex_unlock(&vm->lock);
	return 0;
}

static long mhv_vm_translate(struct file *file, void __user *argp)
{
	struct mhv_vm *vm = file->private_data;
	struct mhv_translate tr;
	int ret;

	if (copy_from_user(&tr, argp, sizeof(tr)))
		return -EFAULT;
	if (!mhv_reserved_zero(tr.reserved, ARRAY_SIZE(tr.reserved)))
		return -EINVAL;
	ret = mhv_mmu_translate(vm, &tr);
	if (ret)
		return ret;
	/* host-physical: for CAP_SYS_ADMIN only, as /proc/PID/pagemap */
	if (!mhv_caller_sees_host())
		tr.hpa = 0;
	return copy_to_user(argp, &tr, sizeof(tr)) ? -EFAULT : 0;
}

static long mhv_vm_set_cpuid(struct file *file, void __user *argp)
{
	struct mhv_vm *vm = file->private_data;
	struct mhv_cpuid *c;
	unsigned int i;
	int ret = 0;

	c = memdup_user(argp, sizeof(*c));
	if (IS_ERR(c))
		return PTR_ERR(c);
	if (c->nent > MHV_MAX_CPUID_ENTRIES || c->pad)
		ret = -EINVAL;
	for (i = 0; !ret && i < c->nent; i++)
		if (c->entries[i].flags & ~MHV_CPUID_F_INDEXED ||
		    c->entries[i].pad)
			ret = -EINVAL;
	if (!ret) {
		mutex_lock(&vm->lock);
		if (vm->nr_running)
			ret = -EBUSY;
		else
			vm->cpuid = *c;
		mutex_unlock(&vm->lock);
	}
	kfree(c);
	return ret;
}

static long mhv_vm_get_cpuid(struct file *file, void __user *argp)
{
	struct mhv_vm *vm = file->private_data;
	long ret;

	mutex_lock(&vm->lock);
	ret = copy_to_user(argp, &vm->cpuid, sizeof(vm->cpuid)) ? -EFAULT : 0;
	mutex_unlock(&vm->lock);
	return ret;
}

static long mhv_vm_get_stats_fd(struct file *file, void __user *argp)
{
	return argp ? -EINVAL : mhv_stats_get_fd(file->private_data, NULL);
}

static const struct mhv_ioctl_desc mhv_vm_ioctls[] = {
	{ MHV_SET_MEMORY_REGION, mhv_vm_set_memory_region },
	{ MHV_CREATE_VCPU, mhv_vm_create_vcpu },
	{ MHV_GET_VM_INFO, mhv_vm_get_info },
	{ MHV_STOP_VM, mhv_vm_stop },
	{ MHV_TRANSLATE, mhv_vm_translate },
	{ MHV_SET_CPUID, mhv_vm_set_cpuid },
	{ MHV_GET_CPUID, mhv_vm_get_cpuid },
	{ MHV_GET_STATS_FD, mhv_vm_get_stats_fd },
	{ MHV_IRQ_LINE, mhv_vm_irq_line },
};

static long mhv_vm_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	long ret = mhv_dispatch(mhv_vm_ioctls, ARRAY_SIZE(mhv_vm_ioctls),
				file, cmd, arg);

	/* the in-kernel device ioctls are dev/core.c's */
	return ret == -ENOTTY ? mhv_dev_ioctl(file, cmd, arg) : ret;
}

static int mhv_vm_release(struct inode *inode, struct file *file)
{
	mhv_vm_put(file->private_data);
	return 0;
}

static const struct file_operations mhv_vm_fops = {
	.owner		= THIS_MODULE,
	.release	= mhv_vm_release,
	.unlocked_ioctl	= mhv_vm_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

/* ---- creation ---------------------------------------------------------- */

static int mhv_check_config(const struct mhv_vm_config *c)
{
	size_t len = strnlen(c->name, sizeof(c->name));
	const struct mhv_caps *caps = mhv_caps_boot();
	size_t i;

	if (len == 0 || len == sizeof(c->name))
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (!isprint(c->name[i]))
			return -EINVAL;
	if (c->arch != MHV_ARCH_X86_64 || c->features & ~MHV_VM_F_ALL ||
	    !mhv_reserved_zero(c->reserved, ARRAY_SIZE(c->reserved)))
		return -EINVAL;
	if (!c->vcpu_count || !c->memory_mb || c->pad2 ||
	    c->page_size > MHV_PAGE_SIZE_1G)
		return -EINVAL;
	if (c->vcpu_count > caps->max_vcpus || c->memory_mb > caps->max_mem_mb)
		return -E2BIG;
	if (caps->flags & MHV_CAP_FW_DISABLED) {
		pr_err_ratelimited("cannot create VM \"%s\": %s is disabled by the firmware (BIOS setting)\n",
				   c->name, mhv_vendor->name);
		return -EPERM;
	}
	if (!mhv_vendor->run) {
		pr_err_ratelimited("cannot create VM \"%s\": the %s backend does not run guests in this version\n",
				   c->name, mhv_vendor->name);
		return -EOPNOTSUPP;
	}
	if (!(caps->flags & MHV_CAP_NESTED_PAGING)) {
		pr_err_ratelimited("cannot create VM \"%s\": the CPU has no nested paging\n",
				   c->name);
		return -EOPNOTSUPP;
	}
	if ((c->page_size == MHV_PAGE_SIZE_2M &&
	     !(caps->flags & MHV_CAP_PAGE_2M)) ||
	    (c->page_size == MHV_PAGE_SIZE_1G &&
	     !(caps->flags & MHV_CAP_PAGE_1G))) {
		pr_err_ratelimited("cannot create VM \"%s\": page_size %s: the CPU has no second-level pages that large\n",
				   c->name,
				   c->page_size == MHV_PAGE_SIZE_1G ? "1g" : "2m");
		return -EOPNOTSUPP;
	}
	return 0;
}

/*
 * A VM id: the next one, skipping 0 and, once the ids wrapped (2^32 VMs
 * created), the ids of VMs still alive. Under mhv_vm_list_lock.
 */
static u32 mhv_vm_new_id(void)
{
	struct mhv_vm *vm;
	bool used;

	lockdep_assert_held(&mhv_vm_list_lock);
	do {
		used = !++mhv_vm_last_id;
		if (mhv_vm_last_seq <= U32_MAX)
			break;
		list_for_each_entry(vm, &mhv_vm_list, node)
			used |= vm->id == mhv_vm_last_id;
	} while (used);
	return mhv_vm_last_id;
}

long mhv_create_vm(struct mhv_vm_config __user *argp)
{
	struct mhv_vm *vm;
	size_t len;
	int ret, fd;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return -ENOMEM;
	if (copy_from_user(&vm->config, argp, sizeof(vm->config))) {
		kfree(vm);
		return -EFAULT;
	}
	ret = mhv_check_config(&vm->config);
	if (ret) {
		kfree(vm);
		return ret;
	}
	/* what follows the name's NUL is not the caller's to keep */
	len = strnlen(vm->config.name, sizeof(vm->config.name));
	memset(vm->config.name + len, 0, sizeof(vm->config.name) - len);
	ret = mhv_hw_get();
	if (ret) {
		kfree(vm);
		return ret;
	}
	mhv_cpuid_init(&vm->cpuid_host);
	ret = mhv_mmu_init(&vm->mmu);
	if (ret) {
		kfree(vm);
		mhv_hw_put();
		return ret;
	}
	mhv_memstat_objects(1, 0);
	refcount_set(&vm->users, 1);
	mutex_init(&vm->lock);
	atomic64_set(&vm->npf_count, 0);
	atomic64_set(&vm->exits, 0);
	vm->state = MHV_VM_CREATED;
	mmgrab(current->mm);
	vm->mm = current->mm;
	vm->owner_uid = current_euid();
	vm->owner_pid = task_tgid_nr(current);
	mutex_lock(&mhv_vm_list_lock);
	vm->seq = ++mhv_vm_last_seq;
	vm->id = mhv_vm_new_id();
	list_add_tail(&vm->node, &mhv_vm_list);
	mutex_unlock(&mhv_vm_list_lock);
	mhv_trace_vm(vm, MHV_TRACE_VM_CREATED);
	if (vm->config.features & MHV_VM_F_IRQCHIP) {
		ret = mhv_dev_create_irqchip(vm);
		if (ret) {
			mhv_vm_put(vm);
			return ret;
		}
	}
	fd = anon_inode_getfd("multios_hv-vm", &mhv_vm_fops, vm,
			      O_RDWR | O_CLOEXEC);
	if (fd < 0)
		mhv_vm_put(vm);
	return fd;
}
