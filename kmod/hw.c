// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - the virtualization extension on and off.
 *
 * The extension (SVM: EFER.SVME and a host save area; VMX: CR4.VMXE and
 * VMXON) is enabled on every online CPU while at least one VM exists,
 * and off otherwise. Every path that turns it on or off on a CPU is here, and
 * all of them end in the backend's cpu_enable/cpu_disable on that CPU:
 *
 *   first / last VM     mhv_hw_get() / mhv_hw_put() install / remove a CPU
 *                       hotplug state: its callbacks run on each online
 *                       CPU, and on every CPU that comes up or goes down
 *                       later (also the non-boot CPUs during suspend)
 *   suspend / resume    syscore ops: the boot CPU, the last one running,
 *                       interrupts off
 *   reboot, power off, kexec
 *                       a reboot notifier: off on every CPU, and every
 *                       later VM or vCPU operation refused (-ESHUTDOWN)
 *   crash, emergency reboot
 *                       the kernel's emergency virtualization callback,
 *                       run on every CPU in NMI context
 *
 * Code that executes VMX/SVM instructions does so in a region with
 * preemption off that starts with mhv_cpu_ready() (the run loop's burst)
 * or mhv_cpu_get() (VMCS accesses). Such a region never overlaps a
 * hotplug callback or the suspend hook on its CPU: those run in another
 * task on that CPU, or with every task frozen. The reboot path sets the
 * refusal, waits for the regions that began before it (synchronize_rcu():
 * a region with preemption off is an RCU read-side critical section), and
 * only then turns the extension off with an IPI.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/dcache.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/reboot.h>
#include <linux/seq_file.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/syscore_ops.h>
#include <linux/uaccess.h>
#include <asm/reboot.h>

#include "mhv.h"

/* (this CPU, interrupts off) the extension is on here because of us */
static DEFINE_PER_CPU(bool, mhv_cpu_on);

static DEFINE_MUTEX(mhv_hw_lock);
static unsigned int mhv_hw_users;	/* (mhv_hw_lock) VMs alive */
static bool mhv_hp_active;		/* (mhv_hw_lock) hotplug state set */
static enum cpuhp_state mhv_hp_state;	/* (mhv_hw_lock) */
/*
 * (mhv_hw_lock to write; read locklessly) 0, or the error every later
 * VM and vCPU operation gets: -ESHUTDOWN once a reboot, power off or
 * kexec has begun, -EIO after resume could not turn the extension back
 * on. Never goes back to 0: reload the module.
 */
static int mhv_hw_refuse;
/* (syscore: only the boot CPU runs) suspend turned the extension off */
static bool mhv_hw_suspended;
/* (mhv_hw_lock) our emergency callback is the kernel's */
static bool mhv_emergency_set;
/* (mhv_hw_lock) kvm.ko is loaded: the emergency callback slot is KVM's */
static bool mhv_kvm_loaded;

static struct dentry *mhv_debugfs_hw;	/* multios_hv/hw */

/* ---- one CPU --------------------------------------------------------------- */

/* What the hardware says about this CPU now, for the log. */
static void mhv_log_cpu(const char *event)
{
	pr_info("%s: CPU %d: %s %s\n", event, smp_processor_id(),
		mhv_vendor->name, mhv_vendor->cpu_hw_enabled() ? "on" : "off");
}

/* Interrupts off. */
static int mhv_cpu_on_here(void)
{
	int ret;

	if (this_cpu_read(mhv_cpu_on))
		return 0;
	ret = mhv_vendor->cpu_enable();
	if (!ret)
		this_cpu_write(mhv_cpu_on, true);
	return ret;
}

/* Interrupts off; no VMX/SVM region is running on this CPU. */
static bool mhv_cpu_off_here(void)
{
	if (!this_cpu_read(mhv_cpu_on))
		return false;
	mhv_vendor->cpu_disable();
	this_cpu_write(mhv_cpu_on, false);
	return true;
}

/**
 * mhv_cpu_ready() - may this CPU execute VMX/SVM instructions now?
 *
 * Call with preemption off, and keep it off for as long as the answer
 * is relied on: the extension is on here and the module does not refuse.
 */
bool mhv_cpu_ready(void)
{
	return this_cpu_read(mhv_cpu_on) && !READ_ONCE(mhv_hw_refuse);
}

/**
 * mhv_cpu_get() - begin a region that executes VMX/SVM instructions.
 *
 * Return: true with preemption off (end the region with mhv_cpu_put()),
 * or false, preemption unchanged, when this CPU may not (the system is
 * going down).
 */
bool mhv_cpu_get(void)
{
	preempt_disable();
	if (mhv_cpu_ready())
		return true;
	preempt_enable();
	return false;
}

void mhv_cpu_put(void)
{
	preempt_enable();
}

/* ---- CPU hotplug: runs on @cpu, in its hotplug thread --------------------- */

static int mhv_cpu_online(unsigned int cpu)
{
	int ret;

	/* a CPU that comes up while the system goes down stays off */
	if (READ_ONCE(mhv_hw_refuse))
		return 0;
	local_irq_disable();
	ret = mhv_cpu_on_here();
	local_irq_enable();
	pr_debug("online: CPU %u: %d\n", cpu, ret);
	return ret;
}

static int mhv_cpu_offline(unsigned int cpu)
{
	local_irq_disable();
	mhv_cpu_off_here();
	local_irq_enable();
	pr_debug("offline: CPU %u\n", cpu);
	return 0;
}

/* ---- crash and emergency reboot -------------------------------------------- */

/* Called by the kernel on every CPU, NMI context. */
static void mhv_emergency_disable(void)
{
	mhv_vendor->cpu_emergency_disable();
}

/*
 * The kernel keeps one emergency callback, and warns when a second one
 * is registered: KVM registers its own when kvm.ko's vendor module loads
 * (Linux 6.1) or when KVM turns virtualization on (6.12). Hold the slot
 * only while our extension is on and kvm.ko is not loaded. mhv_hw_lock.
 */
static void mhv_emergency_sync(void)
{
	bool want = mhv_hp_active && !mhv_kvm_loaded;

	if (want == mhv_emergency_set)
		return;
	if (want)
		cpu_emergency_register_virt_callback(mhv_emergency_disable);
	else
		cpu_emergency_unregister_virt_callback(mhv_emergency_disable);
	mhv_emergency_set = want;
}

static int mhv_module_event(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	struct module *mod = data;

	if (strcmp(mod->name, "kvm") ||
	    (action != MODULE_STATE_COMING && action != MODULE_STATE_GOING))
		return NOTIFY_DONE;
	mutex_lock(&mhv_hw_lock);
	mhv_kvm_loaded = action == MODULE_STATE_COMING;
	mhv_emergency_sync();
	mutex_unlock(&mhv_hw_lock);
	return NOTIFY_OK;
}

static struct notifier_block mhv_module_nb = {
	.notifier_call = mhv_module_event,
};

/* ---- first and last VM ---------------------------------------------------- */

static int mhv_hw_on(void)
{
	int ret;

	ret = mhv_vendor->hardware_setup();
	if (ret)
		return ret;
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "multios_hv:online",
				mhv_cpu_online, mhv_cpu_offline);
	if (ret < 0) {
		mhv_vendor->hardware_unsetup();
		return ret;
	}
	mhv_hp_state = ret;
	mhv_hp_active = true;
	mhv_emergency_sync();
	return 0;
}

static void mhv_hw_off(void)
{
	cpuhp_remove_state(mhv_hp_state);
	mhv_hp_active = false;
	mhv_emergency_sync();
	mhv_vendor->hardware_unsetup();
}

/**
 * mhv_hw_get() - a VM is being created: the extension on, on every CPU.
 *
 * Return: 0, -EBUSY (another hypervisor has it), -EPERM (firmware),
 * -ESHUTDOWN (the system is going down), or another -errno.
 */
int mhv_hw_get(void)
{
	int ret;

	mutex_lock(&mhv_hw_lock);
	ret = mhv_hw_refuse;
	if (!ret && !mhv_hw_users)
		ret = mhv_hw_on();
	if (!ret)
		mhv_hw_users++;
	mutex_unlock(&mhv_hw_lock);
	return ret;
}

/* A VM is gone: the last one turns the extension off everywhere. */
void mhv_hw_put(void)
{
	mutex_lock(&mhv_hw_lock);
	if (!--mhv_hw_users)
		mhv_hw_off();
	mutex_unlock(&mhv_hw_lock);
}

/* True while multios_hv itself has the extension on (some VM exists). */
bool mhv_hw_active(void)
{
	return READ_ONCE(mhv_hw_users) != 0;
}

/* 0, or the error every VM and vCPU operation gets from now on. */
int mhv_hw_refused(void)
{
	return READ_ONCE(mhv_hw_refuse);
}

/* ---- suspend and resume: the boot CPU, interrupts off --------------------- */

static int mhv_suspend(void)
{
	mhv_hw_suspended = mhv_cpu_off_here();
	if (mhv_hw_suspended)
		mhv_log_cpu("suspend");
	return 0;
}

static void mhv_resume(void)
{
	int ret;

	if (!mhv_hw_suspended)
		return;
	mhv_hw_suspended = false;
	ret = mhv_cpu_on_here();
	if (ret) {
		/* every task is frozen: no VM operation is under way */
		WRITE_ONCE(mhv_hw_refuse, -EIO);
		pr_err("resume: CPU %d: cannot turn %s back on (%d): every VM operation fails with EIO until the module is reloaded\n",
		       smp_processor_id(), mhv_vendor->name, ret);
		return;
	}
	mhv_log_cpu("resume");
}

#ifdef MHV_HAVE_REGISTER_SYSCORE
/* Linux 6.12.y backports and 6.19+: syscore ops take a data pointer */
static int mhv_syscore_suspend(void *data)
{
	return mhv_suspend();
}

static void mhv_syscore_resume(void *data)
{
	mhv_resume();
}

static const struct syscore_ops mhv_syscore_ops = {
	.suspend	= mhv_syscore_suspend,
	.resume		= mhv_syscore_resume,
};

static struct syscore mhv_syscore = {
	.ops		= &mhv_syscore_ops,
};

static void mhv_syscore_register(void)
{
	register_syscore(&mhv_syscore);
}

static void mhv_syscore_unregister(void)
{
	unregister_syscore(&mhv_syscore);
}
#else
static struct syscore_ops mhv_syscore_ops = {
	.suspend	= mhv_suspend,
	.resume		= mhv_resume,
};

static void mhv_syscore_register(void)
{
	register_syscore_ops(&mhv_syscore_ops);
}

static void mhv_syscore_unregister(void)
{
	unregister_syscore_ops(&mhv_syscore_ops);
}
#endif

/* ---- reboot, power off, kexec --------------------------------------------- */

static void mhv_cpu_shutdown(void *unused)
{
	if (mhv_cpu_off_here())
		mhv_log_cpu("shutdown");
}

/*
 * Refuse every later VM and vCPU operation, wait until no CPU is inside
 * a VMX/SVM region, then turn the extension off on every CPU. VMs stay
 * allocated: their file descriptors still close normally.
 */
static void mhv_hw_shutdown(void)
{
	mutex_lock(&mhv_hw_lock);
	if (!mhv_hw_refuse)
		WRITE_ONCE(mhv_hw_refuse, -ESHUTDOWN);
	if (mhv_hp_active) {
		synchronize_rcu();
		cpus_read_lock();
		on_each_cpu(mhv_cpu_shutdown, NULL, 1);
		cpus_read_unlock();
	}
	mutex_unlock(&mhv_hw_lock);
}

static int mhv_reboot(struct notifier_block *nb, unsigned long action,
		      void *data)
{
	mhv_hw_shutdown();
	return NOTIFY_DONE;
}

static struct notifier_block mhv_reboot_nb = {
	.notifier_call = mhv_reboot,
};

/* ---- debugfs: multios_hv/hw ----------------------------------------------- */

static void mhv_read_hw(void *on)
{
	*(bool *)on = mhv_vendor->cpu_hw_enabled();
}

/* One line per online CPU: the module's view and the hardware's. */
static int mhv_hw_show(struct seq_file *m, void *unused)
{
	unsigned int cpu;
	bool hw;

	cpus_read_lock();
	for_each_online_cpu(cpu) {
		hw = false;
		smp_call_function_single(cpu, mhv_read_hw, &hw, 1);
		seq_printf(m, "cpu%u module=%s hw=%s\n", cpu,
			   per_cpu(mhv_cpu_on, cpu) ? "on" : "off",
			   hw ? "on" : "off");
	}
	cpus_read_unlock();
	seq_printf(m, "vms %u refuse %d\n", READ_ONCE(mhv_hw_users),
		   READ_ONCE(mhv_hw_refuse));
	return 0;
}

static int mhv_hw_open(struct inode *inode, struct file *file)
{
	return single_open(file, mhv_hw_show, NULL);
}

/* "shutdown": what the reboot notifier does, for tests (root only). */
static ssize_t mhv_hw_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	char cmd[16];

	if (len >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, len))
		return -EFAULT;
	cmd[len] = '\0';
	if (strcmp(strim(cmd), "shutdown"))
		return -EINVAL;
	pr_info("debugfs: running the reboot notifier's shutdown\n");
	mhv_hw_shutdown();
	return len;
}

static const struct file_operations mhv_hw_fops = {
	.owner		= THIS_MODULE,
	.open		= mhv_hw_open,
	.read		= seq_read,
	.write		= mhv_hw_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

/* ---- module load and unload ----------------------------------------------- */

int mhv_hw_init(void)
{
	struct dentry *dir;
	int ret;

	ret = register_module_notifier(&mhv_module_nb);
	if (ret)
		return ret;
	mutex_lock(&mhv_hw_lock);
	/* kvm.ko loaded before us: the notifier above did not see it */
	if (__symbol_get("kvm_rebooting")) {
		__symbol_put("kvm_rebooting");
		mhv_kvm_loaded = true;
	}
	mutex_unlock(&mhv_hw_lock);

	ret = register_reboot_notifier(&mhv_reboot_nb);
	if (ret) {
		unregister_module_notifier(&mhv_module_nb);
		return ret;
	}
	mhv_syscore_register();
	/* in the directory of memstat.c, made before us */
	dir = debugfs_lookup(KBUILD_MODNAME, NULL);
	if (dir) {
		mhv_debugfs_hw = debugfs_create_file("hw", 0600, dir, NULL,
						     &mhv_hw_fops);
		dput(dir);
	}
	return 0;
}

/* No VM exists any more (the module is unloading). */
void mhv_hw_exit(void)
{
	debugfs_remove(mhv_debugfs_hw);
	mhv_syscore_unregister();
	unregister_reboot_notifier(&mhv_reboot_nb);
	unregister_module_notifier(&mhv_module_nb);
}
