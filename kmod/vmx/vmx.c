// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - Intel VT-x (VMX) backend.
 *
 * What VMX offers is read from CPUID.1:ECX.VMX, IA32_FEATURE_CONTROL
 * (firmware lock) and the VMX capability MSRs (secondary controls and
 * EPT/VPID capabilities).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/smp.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/special_insns.h>

#include "mhv.h"

/* CPUID.1:ECX */
#define VMX_CPUID_VMX			BIT(5)
/* IA32_FEATURE_CONTROL */
#define VMX_FC_LOCKED			BIT_ULL(0)
#define VMX_FC_OUTSIDE_SMX		BIT_ULL(2)
/* Allowed-1 half (bits 63:32) of IA32_VMX_PROCBASED_CTLS */
#define VMX_PROC_SECONDARY		BIT_ULL(32 + 31)
/* Allowed-1 half of IA32_VMX_PROCBASED_CTLS2 */
#define VMX_PROC2_EPT			BIT_ULL(32 + 1)
#define VMX_PROC2_VPID			BIT_ULL(32 + 5)
#define VMX_PROC2_UNRESTRICTED		BIT_ULL(32 + 7)
/* IA32_VMX_EPT_VPID_CAP */
#define VMX_EPT_WALK_4			BIT_ULL(6)
#define VMX_EPT_WALK_5			BIT_ULL(7)
#define VMX_EPT_2M			BIT_ULL(16)
#define VMX_EPT_1G			BIT_ULL(17)
#define VMX_EPT_AD			BIT_ULL(21)

#define VMX_NR_VPIDS			65535

static void vmx_check_cr4(void *info)
{
	atomic_t *in_use = info;

	if (__read_cr4() & X86_CR4_VMXE)
		atomic_inc(in_use);
}

/* True when CR4.VMXE is already set on some CPU (another hypervisor). */
static bool vmx_in_use(void)
{
	atomic_t in_use = ATOMIC_INIT(0);

	on_each_cpu(vmx_check_cr4, &in_use, 1);
	return atomic_read(&in_use) != 0;
}

static void vmx_probe_ept(struct mhv_caps *caps, u64 ctls2)
{
	u64 ept;

	if (!(ctls2 & VMX_PROC2_EPT) ||
	    rdmsrl_safe(MSR_IA32_VMX_EPT_VPID_CAP, &ept))
		return;
	if (!(ept & (VMX_EPT_WALK_4 | VMX_EPT_WALK_5)))
		return;
	caps->flags |= MHV_CAP_NESTED_PAGING;
	caps->npt_levels = 4;
	if ((ept & VMX_EPT_WALK_5) && pgtable_l5_enabled()) {
		caps->npt_levels = 5;
		caps->flags |= MHV_CAP_NPT_5LEVEL;
	}
	if (ept & VMX_EPT_2M)
		caps->flags |= MHV_CAP_PAGE_2M;
	if (ept & VMX_EPT_1G)
		caps->flags |= MHV_CAP_PAGE_1G;
	if (ept & VMX_EPT_AD)
		caps->flags |= MHV_CAP_EPT_AD;
}

static int vmx_probe(struct mhv_caps *caps)
{
	u64 fc, ctls, ctls2 = 0;

	if (!(cpuid_ecx(1) & VMX_CPUID_VMX))
		return -ENODEV;

	caps->flags |= MHV_CAP_VMX;
	if (!rdmsrl_safe(MSR_IA32_FEAT_CTL, &fc) && (fc & VMX_FC_LOCKED) &&
	    !(fc & VMX_FC_OUTSIDE_SMX))
		caps->flags |= MHV_CAP_FW_DISABLED;

	if (!rdmsrl_safe(MSR_IA32_VMX_PROCBASED_CTLS, &ctls) &&
	    (ctls & VMX_PROC_SECONDARY))
		rdmsrl_safe(MSR_IA32_VMX_PROCBASED_CTLS2, &ctls2);

	vmx_probe_ept(caps, ctls2);
	if (ctls2 & VMX_PROC2_VPID) {
		caps->flags |= MHV_CAP_VPID;
		caps->nr_asids = VMX_NR_VPIDS;
	}
	if (ctls2 & VMX_PROC2_UNRESTRICTED)
		caps->flags |= MHV_CAP_UNRESTRICTED;

	if (vmx_in_use())
		caps->flags |= MHV_CAP_IN_USE;
	return 0;
}

const struct mhv_vendor_ops mhv_vmx_ops = {
	.name	= "vmx",
	.virt	= MHV_VIRT_VMX,
	.probe	= vmx_probe,
};
