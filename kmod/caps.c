// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - capability detection.
 *
 * The generic part (CPU vendor, CPU count, limits) lives here; what the
 * virtualization extension can do is read from CPUID and MSRs by the
 * vendor backend's probe hook.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/preempt.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <asm/processor.h>

#include "mhv.h"

const struct mhv_vendor_ops *mhv_vendor;

/* What the CPU offers, read once at load (the limits, paging levels and
 * features do not change while the module is loaded).
 */
static struct mhv_caps mhv_boot_caps;

const struct mhv_caps *mhv_caps_boot(void)
{
	return &mhv_boot_caps;
}

/**
 * mhv_on_this_cpu() - does @test hold on the CPU the caller runs on?
 * @test: runs once, with preemption off
 *
 * What MHV_CAP_IN_USE is computed with. Asking every CPU would cost an
 * IPI to all of them on every MHV_GET_CAPS, which any user of the device
 * can call in a loop; one CPU is enough because the hypervisors this
 * flag is about turn the extension on for all online CPUs together (KVM
 * at its first VM, or at load since 6.12) and off the same way. One that
 * turned it on for single CPUs only may be missed here; MHV_CREATE_VM
 * still checks every CPU when it turns the extension on (EBUSY).
 */
bool mhv_on_this_cpu(bool (*test)(void))
{
	bool ret;

	preempt_disable();
	ret = test();
	preempt_enable();
	return ret;
}

static enum mhv_vendor mhv_cpu_vendor(void)
{
	switch (boot_cpu_data.x86_vendor) {
	case X86_VENDOR_AMD:
	case X86_VENDOR_HYGON:
		return MHV_VENDOR_AMD;
	case X86_VENDOR_INTEL:
		return MHV_VENDOR_INTEL;
	default:
		return MHV_VENDOR_UNKNOWN;
	}
}

static u32 mhv_max_mem_mb(void)
{
	/* Never let one VM pin more than half of the host's memory. */
	u64 half_mb = (totalram_pages() << PAGE_SHIFT) >> 21;

	return half_mb < MHV_MAX_MEM_MB ? (u32)half_mb : MHV_MAX_MEM_MB;
}

/**
 * mhv_caps_get() - fill @caps with what this host can do right now.
 * @caps: output, fully overwritten (reserved fields are zero).
 */
void mhv_caps_get(struct mhv_caps *caps)
{
	memset(caps, 0, sizeof(*caps));
	caps->vendor = mhv_cpu_vendor();
	strscpy(caps->vendor_id, boot_cpu_data.x86_vendor_id,
		sizeof(caps->vendor_id));
	caps->nr_cpus = num_online_cpus();
	caps->max_vcpus = MHV_MAX_VCPUS;
	caps->max_mem_mb = mhv_max_mem_mb();
	if (mhv_vendor) {
		caps->virt = mhv_vendor->virt;
		mhv_vendor->probe(caps);
		/* the extension is on because of our own VMs: not "in use" */
		if (mhv_hw_active())
			caps->flags &= ~MHV_CAP_IN_USE;
	}
}

/**
 * mhv_caps_init() - choose the vendor backend at module load.
 *
 * Return: 0, or -ENODEV (with one dmesg line saying why) when the CPU
 * offers neither SVM nor VMX.
 */
int mhv_caps_init(void)
{
	static const struct mhv_vendor_ops *const backends[] = {
		&mhv_svm_ops,
		&mhv_vmx_ops,
	};
	struct mhv_caps caps;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(backends); i++) {
		memset(&caps, 0, sizeof(caps));
		if (backends[i]->probe(&caps))
			continue;
		mhv_vendor = backends[i];
		break;
	}
	if (!mhv_vendor) {
		pr_err("no hardware virtualization: this %s CPU has neither AMD-V (SVM) nor Intel VT-x (VMX)\n",
		       boot_cpu_data.x86_vendor_id);
		return -ENODEV;
	}

	mhv_caps_get(&caps);
	mhv_boot_caps = caps;
	pr_info("%s %s: nested paging %s (%u levels), 2M %s, 1G %s, %u CPUs%s%s\n",
		caps.vendor_id, mhv_vendor->name,
		caps.flags & MHV_CAP_NESTED_PAGING ? "yes" : "no",
		caps.npt_levels,
		caps.flags & MHV_CAP_PAGE_2M ? "yes" : "no",
		caps.flags & MHV_CAP_PAGE_1G ? "yes" : "no",
		caps.nr_cpus,
		caps.flags & MHV_CAP_FW_DISABLED ? ", DISABLED BY FIRMWARE" : "",
		caps.flags & MHV_CAP_IN_USE ? ", in use by another hypervisor" : "");
	return 0;
}
