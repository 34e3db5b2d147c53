// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - vCPU objects: the vCPU fd, its run page, register access
 * and the run loop.
 *
 * A vCPU runs only on the thread that calls MHV_RUN. Other threads stop
 * it by a kick (signal, immediate_exit, MHV_STOP_VM), never by touching
 * its state.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/debugreg.h>
#include <asm/fpu/api.h>
#include <asm/fpu/types.h>

#include "mhv.h"
#include "dev/irqchip.h"
#include "stats.h"
#include "trace.h"

#define MHV_RFLAGS_VALID	0x3f7fd7UL	/* defined RFLAGS bits */

/* ---- guest FPU: x87/SSE state lives in the vCPU between entries ---------- */

static void mhv_fpu_load_guest(struct mhv_vcpu *vcpu)
{
	/*
	 * AMD CPUs with the FXSAVE leak do not load FIP/FDP/FOP unless an
	 * exception is pending: clear them first, as the kernel does, so
	 * another task's x87 pointers never reach the guest.
	 */
	if (boot_cpu_has_bug(X86_BUG_FXSAVE_LEAK))
		asm volatile("fnclex\n\temms\n\tfildl %0"
			     : : "m" (*(u32 *)vcpu->fpu));
	asm volatile("fxrstor64 %0" : : "m" (*vcpu->fpu));
}

static void mhv_fpu_save_guest(struct mhv_vcpu *vcpu)
{
	asm volatile("fxsave64 %0" : "=m" (*vcpu->fpu));
}

/* Nothing can make the vCPU stop before its next entry. */
static bool mhv_may_reenter(struct mhv_vcpu *vcpu)
{
	return !need_resched() && !signal_pending(current) &&
	       !READ_ONCE(vcpu->vm->stop_requested) &&
	       !(READ_ONCE(vcpu->events) & MHV_EV_START) &&
	       !READ_ONCE(vcpu->run->immediate_exit) && !mhv_hw_refused();
}

/*
 * Enter the guest and stay in this burst while its exits are ones the
 * kernel completes without sleeping (CPUID, MSRs, host interrupts): the
 * host FPU state is saved and the guest's loaded once per burst, not
 * once per exit. Returns true with *ret the handler's result when the
 * last exit was handled in the burst; false when *exit is still to be
 * handled (a slow exit).
 */
static bool mhv_enter_guest(struct mhv_vcpu *vcpu, struct mhv_exit *exit,
			    int *ret)
{
	struct mhv_vm *vm = vcpu->vm;
	bool handled, again;
	u64 host_tsc_aux, entry, now;

	kernel_fpu_begin();		/* also disables preemption */
	if (!mhv_cpu_ready()) {
		/*
		 * The extension is off here: this CPU is going offline
		 * (the scheduler moves us away) or the system is going
		 * down (the run loop stops). Nothing to handle.
		 */
		kernel_fpu_end();
		memset(exit, 0, sizeof(*exit));
		exit->rip = vcpu->rip;
		*ret = MHV_RESUME;
		return true;
	}
	mhv_fpu_load_guest(vcpu);
	mhv_tsc_aux_enter(vcpu, &host_tsc_aux);
	WRITE_ONCE(vcpu->cpu, smp_processor_id());
	/* vcpu->cpu before the event bits; pairs with mhv_vcpu_irq() */
	smp_mb();
	entry = local_clock();
	/* the later entries of the burst go with the exit before them */
	mhv_trace_entry(vcpu, entry);
	for (;;) {
		mhv_vendor->run(vcpu, exit);
		now = local_clock();
		mhv_stat_exit_begin(vcpu, exit, entry, now);
		vcpu->stats[MHV_STAT_EXITS]++;
		atomic64_inc(&vm->exits);
		mhv_trace_exit_begin(vcpu, exit, now);
		handled = mhv_exit_is_fast(exit);
		if (!handled)
			break;
		*ret = mhv_handle_exit(vcpu, exit);
		entry = local_clock();
		mhv_stat_exit_end(vcpu, exit, entry);
		again = *ret == MHV_RESUME && mhv_may_reenter(vcpu);
		mhv_trace_exit(vcpu, exit, *ret, entry, again);
		if (!again)
			break;
	}
	if (mhv_vendor->run_done)
		mhv_vendor->run_done(vcpu);
	WRITE_ONCE(vcpu->cpu, -1);
	mhv_tsc_aux_exit(vcpu, host_tsc_aux);
	mhv_fpu_save_guest(vcpu);
	kernel_fpu_end();
	return handled;
}

static int mhv_run_enter(struct mhv_vm *vm)
{
	bool first;
	int ret = 0;

	mutex_lock(&vm->lock);
	if (READ_ONCE(vm->state) == MHV_VM_ERROR) {
		ret = -EIO;
	} else {
		first = !vm->has_run;
		vm->nr_running++;
		vm->has_run = true;
		if (first)
			mhv_trace_vm(vm, MHV_TRACE_VM_STATE);
	}
	mutex_unlock(&vm->lock);
	return ret;
}

static void mhv_run_leave(struct mhv_vm *vm)
{
	mutex_lock(&vm->lock);
	vm->nr_running--;
	mutex_unlock(&vm->lock);
}

/*
 * A device access made a batch of output ready (or RUN just started and
 * a batch may be waiting), or the vCPU is about to sleep in HLT, which
 * may last long: then all it printed goes out first (a prompt). True
 * with the bytes in run->console and MHV_EXIT_CONSOLE when there were
 * some to take.
 */
static bool mhv_console_exit(struct mhv_vcpu *vcpu)
{
	bool all = vcpu->halted;

	if (!vcpu->console_ready && !all)
		return false;
	vcpu->console_ready = false;
	if (!mhv_dev_console(vcpu, !all))
		return false;	/* none, or another vCPU took it first */
	vcpu->stats[MHV_STAT_CONSOLE]++;
	vcpu->run->exit_reason = MHV_EXIT_CONSOLE;
	return true;
}

/*
 * The run loop. Whatever ends it, the device output still pending goes
 * to userspace with this return (mhv_vcpu_run()), so none waits behind
 * an exit for other reasons.
 */
static long mhv_vcpu_run_loop(struct mhv_vcpu *vcpu)
{
	struct mhv_vm *vm = vcpu->vm;
	struct mhv_run *run = vcpu->run;
	struct mhv_exit exit;
	bool handled;
	int result;
	long ret;

	run->exit_reason = MHV_EXIT_NONE;
	/* a batch left by the last return or another vCPU goes first */
	vcpu->console_ready = true;
	ret = mhv_complete_user_exit(vcpu);
	while (ret == MHV_RESUME) {
		if (mhv_hw_refused()) {
			ret = mhv_hw_refused();
			break;
		}
		if (READ_ONCE(vm->stop_requested)) {
			run->exit_reason = MHV_EXIT_STOPPED;
			ret = MHV_TO_USER;
			break;
		}
		if (READ_ONCE(run->immediate_exit) || signal_pending(current)) {
			vcpu->stats[MHV_STAT_SIGNAL]++;
			run->exit_reason = MHV_EXIT_INTR;
			ret = -EINTR;
			break;
		}
		if (mhv_console_exit(vcpu)) {
			ret = MHV_TO_USER;
			break;
		}
		mhv_smp_accept_events(vcpu);
		if (vcpu->mp_state == MHV_MP_STATE_WAIT_SIPI) {
			ret = mhv_smp_wait_sipi(vcpu);
			continue;
		}
		if (vcpu->halted) {
			ret = mhv_halt_wait(vcpu);
			continue;
		}
		cond_resched();

		handled = mhv_enter_guest(vcpu, &exit, &result);
		run->exit_rip = exit.rip;
		run->exit_code = exit.code;
		if (!handled) {
			u64 now;

			result = mhv_handle_exit(vcpu, &exit);
			now = local_clock();
			mhv_stat_exit_end(vcpu, &exit, now);
			mhv_trace_exit(vcpu, &exit, result, now, false);
		}
		ret = result;
	}
	if (ret == MHV_TO_USER) {
		vcpu->stats[MHV_STAT_USER_EXITS]++;
		ret = 0;
	}
	mhv_irq_run_state(vcpu);
	return ret;
}

static long mhv_vcpu_run(struct mhv_vcpu *vcpu)
{
	struct mhv_vm *vm = vcpu->vm;
	long ret;

	/* another process's run page mapping is this one: leave it be */
	if (current->mm != vm->mm)
		return -EIO;
	ret = mhv_run_enter(vm);
	if (!ret) {
		ret = mhv_vcpu_run_loop(vcpu);
		mhv_run_leave(vm);
	}
	/* every return carries pending output (a console exit has its own) */
	if (ret || vcpu->run->exit_reason != MHV_EXIT_CONSOLE)
		mhv_dev_console(vcpu, false);
	return ret;
}

/* ---- registers ----------------------------------------------------------- */

static long mhv_vcpu_get_regs(struct mhv_vcpu *vcpu, void __user *argp)
{
	struct mhv_regs r;

	memset(&r, 0, sizeof(r));
	r.rax = vcpu->regs[MHV_RAX];
	r.rbx = vcpu->regs[MHV_RBX];
	r.rcx = vcpu->regs[MHV_RCX];
	r.rdx = vcpu->regs[MHV_RDX];
	r.rsi = vcpu->regs[MHV_RSI];
	r.rdi = vcpu->regs[MHV_RDI];
	r.rsp = vcpu->regs[MHV_RSP];
	r.rbp = vcpu->regs[MHV_RBP];
	r.r8 = vcpu->regs[MHV_R8];
	r.r9 = vcpu->regs[MHV_R9];
	r.r10 = vcpu->regs[MHV_R10];
	r.r11 = vcpu->regs[MHV_R11];
	r.r12 = vcpu->regs[MHV_R12];
	r.r13 = vcpu->regs[MHV_R13];
	r.r14 = vcpu->regs[MHV_R14];
	r.r15 = vcpu->regs[MHV_R15];
	r.rip = vcpu->rip;
	r.rflags = vcpu->rflags;
	return copy_to_user(argp, &r, sizeof(r)) ? -EFAULT : 0;
}

static long mhv_vcpu_set_regs(struct mhv_vcpu *vcpu, void __user *argp)
{
	struct mhv_regs r;
	unsigned int i;

	if (copy_from_user(&r, argp, sizeof(r)))
		return -EFAULT;
	for (i = 0; i < ARRAY_SIZE(r.reserved); i++)
		if (r.reserved[i])
			return -EINVAL;
	if (r.rflags & ~MHV_RFLAGS_VALID)
		return -EINVAL;
	vcpu->regs[MHV_RAX] = r.rax;
	vcpu->regs[MHV_RBX] = r.rbx;
	vcpu->regs[MHV_RCX] = r.rcx;
	vcpu->regs[MHV_RDX] = r.rdx;
	vcpu->regs[MHV_RSI] = r.rsi;
	vcpu->regs[MHV_RDI] = r.rdi;
	vcpu->regs[MHV_RSP] = r.rsp;
	vcpu->regs[MHV_RBP] = r.rbp;
	vcpu->regs[MHV_R8] = r.r8;
	vcpu->regs[MHV_R9] = r.r9;
	vcpu->regs[MHV_R10] = r.r10;
	vcpu->regs[MHV_R11] = r.r11;
	vcpu->regs[MHV_R12] = r.r12;
	vcpu->regs[MHV_R13] = r.r13;
	vcpu->regs[MHV_R14] = r.r14;
	vcpu->regs[MHV_R15] = r.r15;
	vcpu->rip = r.rip;
	vcpu->rflags = r.rflags | X86_EFLAGS_FIXED;
	vcpu->halted = false;		/* the program moved it on */
	return 0;
}

static long mhv_vcpu_get_sregs(struct mhv_vcpu *vcpu, void __user *argp)
{
	struct mhv_sregs s;

	memset(&s, 0, sizeof(s));
	mhv_vendor->get_sregs(vcpu, &s);
	return copy_to_user(argp, &s, sizeof(s)) ? -EFAULT : 0;
}

static long mhv_vcpu_set_sregs(struct mhv_vcpu *vcpu, void __user *argp)
{
	struct mhv_sregs s;
	unsigned int i;

	if (copy_from_user(&s, argp, sizeof(s)))
		return -EFAULT;
	for (i = 0; i < ARRAY_SIZE(s.reserved); i++)
		if (s.reserved[i])
			return -EINVAL;
	/* bases the CPU loads must be canonical; CR8 holds 4 bits */
	if (!mhv_canonical(s.fs.base) || !mhv_canonical(s.gs.base) ||
	    !mhv_canonical(s.tr.base) || !mhv_canonical(s.ldt.base) ||
	    !mhv_canonical(s.gdt.base) || !mhv_canonical(s.idt.base) ||
	    s.cr8 > 0xf || mhv_sregs_check(&s))
		return -EINVAL;
	return mhv_vendor->set_sregs(vcpu, &s);
}

static long mhv_vcpu_msrs(struct mhv_vcpu *vcpu, void __user *argp, bool set)
{
	struct mhv_msrs *m;
	unsigned int i;
	long ret = 0;

	m = memdup_user(argp, sizeof(*m));
	if (IS_ERR(m))
		return PTR_ERR(m);
	if (m->nmsrs > MHV_MAX_MSR_ENTRIES || m->pad) {
		ret = -EINVAL;
		goto out;
	}
	/* Returns the number of MSRs processed, like KVM_GET/SET_MSRS. */
	for (i = 0; i < m->nmsrs; i++) {
		struct mhv_msr_entry *e = &m->entries[i];

		if (e->pad ||
		    (set ? mhv_msr_set(vcpu, e->index, e->data, true) :
			   mhv_msr_get(vcpu, e->index, &e->data, true)))
			break;
	}
	ret = i;
	if (!set && copy_to_user(argp, m, sizeof(*m)))
		ret = -EFAULT;
out:
	kfree(m);
	return ret;
}

/*
 * Host-side values are shown only to a caller with CAP_SYS_ADMIN at the
 * time of this ioctl (mhv_caller_sees_host()); guest state always.
 */
static long mhv_vcpu_dump(struct mhv_vcpu *vcpu, void __user *argp)
{
	bool show_host = mhv_caller_sees_host();
	struct mhv_state_dump d;
	size_t len;
	char *buf;
	long ret = 0;

	if (copy_from_user(&d, argp, sizeof(d)))
		return -EFAULT;
	if (d.reserved[0] || d.reserved[1] || !d.size)
		return -EINVAL;
	buf = kvzalloc(MHV_DUMP_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	len = mhv_dump_header(buf, MHV_DUMP_MAX, show_host);
	len += mhv_vendor->dump(vcpu, buf + len, MHV_DUMP_MAX - len, show_host);
	if (len >= d.size)
		len = d.size - 1;
	d.len = len;
	if (copy_to_user(u64_to_user_ptr(d.buf), buf, len) ||
	    put_user(0, (char __user *)u64_to_user_ptr(d.buf) + len) ||
	    copy_to_user(argp, &d, sizeof(d)))
		ret = -EFAULT;
	kvfree(buf);
	return ret;
}

static long mhv_vcpu_stats(struct mhv_vcpu *vcpu, void __user *argp)
{
	struct mhv_vcpu_stats st;

	memset(&st, 0, sizeof(st));
	st.nr = MHV_STAT_NR;
	memcpy(st.counters, vcpu->stats, sizeof(vcpu->stats));
	return copy_to_user(argp, &st, sizeof(st)) ? -EFAULT : 0;
}

/* ---- the vCPU fd --------------------------------------------------------- */

static long mhv_vcpu_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct mhv_vcpu *vcpu = file->private_data;
	void __user *argp = (void __user *)arg;
	long ret;

	/* the system is going down: the extension is off or going off */
	ret = mhv_hw_refused();
	if (ret)
		return ret;
	/* any thread, also while RUN holds the mutex: it wakes a HLT */
	if (cmd == MHV_INTERRUPT)
		return mhv_vcpu_interrupt(vcpu, argp);
	if (cmd == MHV_NMI)
		return arg ? -EINVAL : mhv_vcpu_nmi(vcpu);
	/* takes the mutex itself but for a SIPI, which wakes a RUN */
	if (cmd == MHV_SET_MP_STATE)
		return mhv_vcpu_set_mp_state(vcpu, argp);
	/* the stats of a running vCPU are read while RUN holds the mutex */
	if (cmd == MHV_GET_VCPU_STATS_FD)
		return arg ? -EINVAL : mhv_stats_get_fd(vcpu->vm, vcpu);
	if (mutex_lock_killable(&vcpu->mutex))
		return -EINTR;
	switch (cmd) {
	case MHV_RUN:
		ret = arg ? -EINVAL : mhv_vcpu_run(vcpu);
		break;
	case MHV_GET_REGS:
		ret = mhv_vcpu_get_regs(vcpu, argp);
		break;
	case MHV_SET_REGS:
		ret = mhv_vcpu_set_regs(vcpu, argp);
		break;
	case MHV_GET_SREGS:
		ret = mhv_vcpu_get_sregs(vcpu, argp);
		break;
	case MHV_SET_SREGS:
		ret = mhv_vcpu_set_sregs(vcpu, argp);
		break;
	case MHV_GET_MSRS:
		ret = mhv_vcpu_msrs(vcpu, argp, false);
		break;
	case MHV_SET_MSRS:
		ret = mhv_vcpu_msrs(vcpu, argp, true);
		break;
	case MHV_GET_STATE_DUMP:
		ret = mhv_vcpu_dump(vcpu, argp);
		break;
	case MHV_GET_VCPU_STATS:
		ret = mhv_vcpu_stats(vcpu, argp);
		break;
	case MHV_QUEUE_EXCEPTION:
		ret = mhv_vcpu_queue_exception(vcpu, argp);
		break;
	case MHV_GET_FLIGHT_RECORDER:
		ret = mhv_flight_get(vcpu, argp);
		break;
	case MHV_GET_MP_STATE:
		ret = mhv_vcpu_get_mp_state(vcpu, argp);
		break;
	default:
		ret = mhv_lapic_ioctl(vcpu, cmd, argp);
		break;
	}
	mutex_unlock(&vcpu->mutex);
	return ret;
}

static int mhv_vcpu_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct mhv_vcpu *vcpu = file->private_data;

	/* one shared page: a private copy would never see an exit */
	if (vma->vm_pgoff || vma->vm_end - vma->vm_start != PAGE_SIZE ||
	    !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	return vm_insert_page(vma, vma->vm_start, virt_to_page(vcpu->run));
}

static int mhv_vcpu_release(struct inode *inode, struct file *file)
{
	struct mhv_vcpu *vcpu = file->private_data;

	mhv_vm_put(vcpu->vm);
	return 0;
}

const struct file_operations mhv_vcpu_fops = {
	.owner		= THIS_MODULE,
	.release	= mhv_vcpu_release,
	.unlocked_ioctl	= mhv_vcpu_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= mhv_vcpu_mmap,
	.llseek		= noop_llseek,
};

/* Free a vCPU and what its backend holds (also a half-made one). */
void mhv_vcpu_free(struct mhv_vcpu *vcpu)
{
	mhv_lapic_free(vcpu);
	mhv_vendor->vcpu_free(vcpu);
	mhv_trace_vcpu_free(vcpu);
	mhv_free_page_addr(vcpu->run);
	kfree(vcpu->fpu);
	kfree(vcpu);
	mhv_memstat_objects(0, -1);
}

static struct mhv_vcpu *mhv_vcpu_alloc(struct mhv_vm *vm, u32 id)
{
	struct mhv_vcpu *vcpu;

	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return NULL;
	mhv_memstat_objects(0, 1);
	vcpu->run = mhv_alloc_page_addr(GFP_KERNEL_ACCOUNT);
	vcpu->fpu = kzalloc(sizeof(*vcpu->fpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu->run || !vcpu->fpu) {
		mhv_vcpu_free(vcpu);
		return NULL;
	}
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->serial = mhv_spec_new_serial();
	vcpu->cpu = -1;
	mutex_init(&vcpu->mutex);
	init_waitqueue_head(&vcpu->wq);
	/* x86 reset state: real mode at F000:FFF0, FPU as after FNINIT */
	vcpu->rip = 0xfff0;
	vcpu->rflags = X86_EFLAGS_FIXED;
	vcpu->dr6 = DR6_RESERVED;
	vcpu->dr7 = 0x400;			/* DR7 after RESET */
	vcpu->fpu->cwd = 0x37f;			/* FCW */
	vcpu->fpu->mxcsr = MXCSR_DEFAULT;
	mhv_smp_vcpu_init(vcpu);
	if (mhv_trace_vcpu_init(vcpu) || mhv_vendor->vcpu_create(vcpu) ||
	    mhv_lapic_create(vcpu)) {
		mhv_vcpu_free(vcpu);
		return NULL;
	}
	return vcpu;
}

int mhv_create_vcpu(struct mhv_vm *vm, unsigned long id)
{
	struct mhv_vcpu *vcpu;
	unsigned int i;
	int fd;

	if (current->mm != vm->mm)
		return -EIO;
	if (id >= vm->config.vcpu_count)
		return -EINVAL;
	if (mhv_hw_refused())
		return mhv_hw_refused();

	mutex_lock(&vm->lock);
	for (i = 0; i < vm->nr_vcpus; i++) {
		if (vm->vcpus[i]->id == id) {
			mutex_unlock(&vm->lock);
			return -EEXIST;
		}
	}
	vcpu = mhv_vcpu_alloc(vm, id);
	if (!vcpu) {
		mutex_unlock(&vm->lock);
		return -ENOMEM;
	}
	refcount_inc(&vm->users);
	fd = anon_inode_getfd("multios_hv-vcpu", &mhv_vcpu_fops, vcpu,
			      O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		refcount_dec(&vm->users);
		mhv_vcpu_free(vcpu);
	} else {
		vm->vcpus[vm->nr_vcpus] = vcpu;
		/* pairs with smp_load_acquire() in mhv_apic_deliver() */
		smp_store_release(&vm->nr_vcpus, vm->nr_vcpus + 1);
		/* vCPU 0 takes device interrupts: publish it complete */
		if (id == 0)
			/* pairs with smp_load_acquire() in mhv_irq_raise() */
			smp_store_release(&vm->boot_vcpu, vcpu);
	}
	mutex_unlock(&vm->lock);
	return fd;
}
