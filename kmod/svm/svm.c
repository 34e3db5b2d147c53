// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - AMD-V (SVM) backend.
 *
 * What SVM offers is read from CPUID Fn8000_0001 (the SVM bit),
 * Fn8000_000A (revision, ASIDs, feature bits) and the VM_CR MSR (whether
 * firmware locked SVM off).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/smp.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/pgtable.h>
#include <asm/processor.h>

#include "mhv.h"

/* CPUID Fn8000_0001 ECX */
#define SVM_CPUID_SVM			BIT(2)
/* CPUID Fn8000_0001 EDX */
#define SVM_CPUID_PAGE1GB		BIT(26)
/* CPUID Fn8000_000A EDX: SVM feature identification */
#define SVM_FEAT_NP			BIT(0)
#define SVM_FEAT_NRIPS			BIT(3)
#define SVM_FEAT_VMCB_CLEAN		BIT(5)
#define SVM_FEAT_FLUSH_BY_ASID		BIT(6)
#define SVM_FEAT_DECODE_ASSISTS		BIT(7)
/* VM_CR MSR (C001_0114h) */
#define SVM_VM_CR_SVMDIS		BIT(4)

static void svm_check_efer(void *info)
{
	atomic_t *in_use = info;
	u64 efer;

	rdmsrl(MSR_EFER, efer);
	if (efer & EFER_SVME)
		atomic_inc(in_use);
}

/* True when EFER.SVME is already set on some CPU (another hypervisor). */
static bool svm_in_use(void)
{
	atomic_t in_use = ATOMIC_INIT(0);

	on_each_cpu(svm_check_efer, &in_use, 1);
	return atomic_read(&in_use) != 0;
}

static int svm_probe(struct mhv_caps *caps)
{
	u32 eax, ebx, ecx, edx;
	u64 vm_cr;

	if (cpuid_eax(0x80000000) < 0x8000000a)
		return -ENODEV;
	if (!(cpuid_ecx(0x80000001) & SVM_CPUID_SVM))
		return -ENODEV;

	caps->flags |= MHV_CAP_SVM;
	if (!rdmsrl_safe(MSR_VM_CR, &vm_cr) && (vm_cr & SVM_VM_CR_SVMDIS))
		caps->flags |= MHV_CAP_FW_DISABLED;

	cpuid(0x8000000a, &eax, &ebx, &ecx, &edx);
	caps->svm_revision = eax & 0xff;
	caps->nr_asids = ebx;
	if (edx & SVM_FEAT_NP)
		caps->flags |= MHV_CAP_NESTED_PAGING | MHV_CAP_PAGE_2M;
	if ((edx & SVM_FEAT_NP) && (cpuid_edx(0x80000001) & SVM_CPUID_PAGE1GB))
		caps->flags |= MHV_CAP_PAGE_1G;
	if (edx & SVM_FEAT_NRIPS)
		caps->flags |= MHV_CAP_NRIPS;
	if (edx & SVM_FEAT_VMCB_CLEAN)
		caps->flags |= MHV_CAP_VMCB_CLEAN;
	if (edx & SVM_FEAT_FLUSH_BY_ASID)
		caps->flags |= MHV_CAP_FLUSH_BY_ASID;
	if (edx & SVM_FEAT_DECODE_ASSISTS)
		caps->flags |= MHV_CAP_DECODE_ASSISTS;

	/* NPT walks in the host's paging mode (CR4.LA57 at VMRUN). */
	caps->npt_levels = pgtable_l5_enabled() ? 5 : 4;
	if (caps->npt_levels == 5)
		caps->flags |= MHV_CAP_NPT_5LEVEL;

	if (svm_in_use())
		caps->flags |= MHV_CAP_IN_USE;
	return 0;
}

const struct mhv_vendor_ops mhv_svm_ops = {
	.name	= "svm",
	.virt	= MHV_VIRT_SVM,
	.probe	= svm_probe,
};
