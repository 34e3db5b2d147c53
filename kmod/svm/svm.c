// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - AMD-V (SVM) backend.
 *
 * Probe: CPUID Fn8000_0001 (SVM bit), Fn8000_000A (revision, ASIDs,
 * features) and the VM_CR MSR (firmware lock).
 * Enable: EFER.SVME and a host save area on this CPU; kmod/hw.c calls it
 * on every online CPU, on CPUs coming online, and on resume.
 * Run: one VMCB per vCPU, ASIDs handed out per CPU, every exit decoded
 * into a vendor-neutral struct mhv_exit for kmod/exit.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <asm/asm.h>
#include <asm/cpufeature.h>
#include <asm/debugreg.h>
#include <asm/msr.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/trap_pf.h>
#include <asm/trapnr.h>

#include "mhv.h"
#include "vmcb.h"
#include "svm_ops.h"

#define SVM_IOPM_ORDER			2	/* 12K used */
#define SVM_MSRPM_ORDER			1	/* 8K */

/*
 * Per-CPU state. The pages exist for every possible CPU while a VM
 * exists (written by hardware_setup/unsetup under kmod/hw.c's lock); the
 * ASID fields are this CPU's, touched with preemption off.
 */
struct svm_cpu {
	struct page *hsave;		/* VM_HSAVE_PA: VMRUN's host save area */
	struct page *host_area;		/* VMSAVE/VMLOAD of host hidden state */
	u64 asid_gen;			/* bumped when ASIDs wrap (TLB flushed) */
	u32 next_asid;
};

/* Per-vCPU state. */
struct svm_vcpu {
	struct vmcb *vmcb;
	u64 vmcb_pa;
	u64 asid_gen;			/* generation of @asid on @last_cpu */
	int last_cpu;
	u32 asid;
	bool flush;			/* take a fresh ASID at the next entry */
	u64 pending_event;		/* EVENTINJ for the next entry */
	/*
	 * The save area as last set from outside the guest (SET_SREGS,
	 * SET_MSRS, creation), not yet accepted by a VMRUN: if VMRUN
	 * refuses it, the CPU (or an emulator) may have written host state
	 * into the VMCB, and this copy is put back so that nothing reports
	 * host values as the guest's.
	 */
	struct vmcb_save_area *checkpoint;
	bool unchecked;
	/*
	 * NMI blocking, which the VMCB does not hold (no vNMI), tracked as
	 * KVM does: from an injected NMI to the guest's IRET (intercepted,
	 * then done once RIP moves on); the window is seen by single-
	 * stepping the guest (RFLAGS.TF) over what blocks the NMI.
	 */
	bool nmi_masked;		/* an NMI's handler runs */
	bool iret_seen;			/* ... its IRET exited, at @iret_rip */
	u64 iret_rip;
	bool nmi_step;			/* TF and RF forced on for one step */
	u64 step_flags;			/* the guest's own TF and RF */
};

/* DR6 status bits of a #DB (B0-B3, BD, BS, BT) */
#define SVM_DR6_STATUS		(DR_TRAP_BITS | BIT(13) | DR_STEP | DR_SWITCH)

static DEFINE_PER_CPU(struct svm_cpu, svm_cpus);
static struct page *svm_iopm;
static struct page *svm_msrpm;
static u32 svm_max_asid;

/*
 * The CPU features of Fn8000_000A EDX this backend uses when offered,
 * each of which a module parameter can switch off (read at the first
 * VM's hardware_setup, fixed while any VM exists). decode_assists=emulate
 * is for testing on CPUs without them: the module fetches the bytes of a
 * nested page fault's instruction itself and puts them in the VMCB as
 * the CPU would, so that the path that uses them runs.
 */
enum svm_feature_mode { SVM_FEAT_AUTO, SVM_FEAT_OFF, SVM_FEAT_EMULATE };

static const char * const svm_feature_modes[] = {
	[SVM_FEAT_AUTO] = "auto", [SVM_FEAT_OFF] = "off",
	[SVM_FEAT_EMULATE] = "emulate",
};

static int svm_nrips_mode, svm_decode_mode, svm_clean_mode, svm_flush_mode;

static bool svm_has_nrips;		/* NRIP save: next_rip of exits */
static bool svm_use_decode;		/* decode assists of the CPU */
static bool svm_emulate_decode;		/* ... emulated (testing) */
static bool svm_use_clean;		/* VMCB clean bits */
static bool svm_use_flush;		/* TLB_CONTROL_FLUSH_ASID */

static int svm_feature_set(const char *val, const struct kernel_param *kp)
{
	int mode = sysfs_match_string(svm_feature_modes, val);

	if (mode < 0 ||
	    (mode == SVM_FEAT_EMULATE && kp->arg != &svm_decode_mode))
		return -EINVAL;
	*(int *)kp->arg = mode;
	return 0;
}

static int svm_feature_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", svm_feature_modes[*(int *)kp->arg]);
}

static const struct kernel_param_ops svm_feature_ops = {
	.set = svm_feature_set,
	.get = svm_feature_get,
};

module_param_cb(nrips, &svm_feature_ops, &svm_nrips_mode, 0444);
MODULE_PARM_DESC(nrips, "SVM next-RIP save: auto (when the CPU has it) or off");
module_param_cb(decode_assists, &svm_feature_ops, &svm_decode_mode, 0444);
MODULE_PARM_DESC(decode_assists,
		 "SVM decode assists: auto, off, or emulate (testing: the module supplies the instruction bytes of nested page faults itself)");
module_param_cb(vmcb_clean, &svm_feature_ops, &svm_clean_mode, 0444);
MODULE_PARM_DESC(vmcb_clean, "SVM VMCB clean bits: auto or off");
module_param_cb(flush_by_asid, &svm_feature_ops, &svm_flush_mode, 0444);
MODULE_PARM_DESC(flush_by_asid, "SVM TLB flush by ASID: auto or off");

/* Offered by the CPU and not switched off. */
static bool svm_feature_on(u16 feature, int mode)
{
	return mode == SVM_FEAT_AUTO && boot_cpu_has(feature);
}

static void svm_features_setup(void)
{
	svm_has_nrips = svm_feature_on(X86_FEATURE_NRIPS, svm_nrips_mode);
	svm_use_decode = svm_feature_on(X86_FEATURE_DECODEASSISTS,
					svm_decode_mode);
	svm_emulate_decode = svm_decode_mode == SVM_FEAT_EMULATE;
	svm_use_clean = svm_feature_on(X86_FEATURE_VMCBCLEAN, svm_clean_mode);
	svm_use_flush = svm_feature_on(X86_FEATURE_FLUSHBYASID, svm_flush_mode);
}

/* The module wrote this area of the VMCB: the next VMRUN reloads it. */
static void svm_mark_dirty(struct vmcb *vmcb, enum svm_clean_bit bit)
{
	vmcb->control.clean &= ~BIT(bit);
}

/* The 64-bit exit code the VMCB holds in two halves */
static u64 svm_exit_code(const struct vmcb_control_area *c)
{
	return (u64)c->exit_code_hi << 32 | c->exit_code;
}

/* An event for EVENTINJ: the error code in bits 63:32 */
static void svm_set_event_inj(struct vmcb_control_area *c, u64 event)
{
	c->event_inj = (u32)event;
	c->event_inj_err = event >> 32;
}

static bool svm_entry_failed(u64 code)
{
	/* VMEXIT_INVALID is -1; some emulators store it in 32 bits */
	return code == (u64)SVM_EXIT_ERR || code == (u32)SVM_EXIT_ERR;
}

/* ---- probe --------------------------------------------------------------- */

/* EFER.SVME set on this CPU: some hypervisor has SVM on here. */
static bool svm_enabled_here(void)
{
	u64 efer;

	rdmsrl(MSR_EFER, efer);
	return efer & EFER_SVME;
}

static int svm_probe(struct mhv_caps *caps)
{
	static const struct {
		u16 feature;	/* X86_FEATURE_* (CPUID Fn8000_000A EDX) */
		u64 cap;
	} feats[] = {
		{ X86_FEATURE_NRIPS, MHV_CAP_NRIPS },
		{ X86_FEATURE_VMCBCLEAN, MHV_CAP_VMCB_CLEAN },
		{ X86_FEATURE_FLUSHBYASID, MHV_CAP_FLUSH_BY_ASID },
		{ X86_FEATURE_DECODEASSISTS, MHV_CAP_DECODE_ASSISTS },
	};
	unsigned int i;
	u64 vm_cr;

	if (!boot_cpu_has(X86_FEATURE_SVM) ||
	    cpuid_eax(0x80000000) < SVM_CPUID_FUNC)
		return -ENODEV;

	caps->flags |= MHV_CAP_SVM;
	if (!rdmsrl_safe(MSR_VM_CR, &vm_cr) && (vm_cr & SVM_VM_CR_SVM_DIS_MASK))
		caps->flags |= MHV_CAP_FW_DISABLED;

	caps->svm_revision = cpuid_eax(SVM_CPUID_FUNC) & 0xff;
	caps->nr_asids = cpuid_ebx(SVM_CPUID_FUNC);
	if (boot_cpu_has(X86_FEATURE_NPT))
		caps->flags |= MHV_CAP_NESTED_PAGING | MHV_CAP_PAGE_2M;
	if (boot_cpu_has(X86_FEATURE_NPT) && boot_cpu_has(X86_FEATURE_GBPAGES))
		caps->flags |= MHV_CAP_PAGE_1G;
	for (i = 0; i < ARRAY_SIZE(feats); i++)
		if (boot_cpu_has(feats[i].feature))
			caps->flags |= feats[i].cap;

	/* NPT walks in the host's paging mode (CR4.LA57 at VMRUN). */
	caps->npt_levels = pgtable_l5_enabled() ? 5 : 4;
	if (caps->npt_levels == 5)
		caps->flags |= MHV_CAP_NPT_5LEVEL;

	if (mhv_on_this_cpu(svm_enabled_here))
		caps->flags |= MHV_CAP_IN_USE;
	return 0;
}

/* ---- enable / disable, per CPU ------------------------------------------- */

/* Interrupts off (kmod/hw.c): hotplug, resume, the first VM. */
static int svm_cpu_enable(void)
{
	struct svm_cpu *sd = this_cpu_ptr(&svm_cpus);
	int cpu = smp_processor_id();
	u64 efer, vm_cr;

	if (svm_enabled_here()) {
		pr_err_ratelimited("SVM is already in use on CPU %d (EFER.SVME is set): another hypervisor, such as kvm_amd, owns it. Unload it first; on Linux 6.12+ KVM takes SVM at load time unless kvm is loaded with enable_virt_at_load=0\n",
				   cpu);
		return -EBUSY;
	}
	if (!rdmsrl_safe(MSR_VM_CR, &vm_cr) && (vm_cr & SVM_VM_CR_SVM_DIS_MASK)) {
		pr_err_ratelimited("SVM is disabled by the firmware on CPU %d (VM_CR.SVMDIS)\n",
				   cpu);
		return -EPERM;
	}
	/*
	 * Force a generation change (full TLB flush) at the first entry:
	 * whatever ran under our ASIDs before (before a suspend, before
	 * this CPU went offline) is stale.
	 */
	sd->asid_gen++;
	sd->next_asid = svm_max_asid + 1;

	/* a resume from S3 lost the MSR: write it each time */
	wrmsrl(MSR_VM_HSAVE_PA, page_to_phys(sd->hsave));
	rdmsrl(MSR_EFER, efer);
	wrmsrl(MSR_EFER, efer | EFER_SVME);
	return 0;
}

/* Interrupts off; no VMRUN in progress on this CPU (kmod/hw.c). */
static void svm_cpu_disable(void)
{
	u64 efer;

	rdmsrl(MSR_EFER, efer);
	wrmsrl(MSR_EFER, efer & ~EFER_SVME);
	wrmsrl(MSR_VM_HSAVE_PA, 0);
}

/*
 * Crash or emergency reboot, NMI context, anything may have been cut
 * short: a crash between CLGI and STGI leaves GIF clear, which blocks
 * INIT and NMIs, so set it before leaving SVM. STGI faults if EFER.SVME
 * is already clear; the fault is fixed up and ignored.
 */
static void svm_cpu_emergency_disable(void)
{
	u64 efer;

	rdmsrl(MSR_EFER, efer);
	if (!(efer & EFER_SVME))
		return;
	asm volatile("1: stgi\n\t"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     ::: "memory");
	wrmsrl(MSR_EFER, efer & ~EFER_SVME);
	wrmsrl(MSR_VM_HSAVE_PA, 0);
}

static void svm_free_cpus(void)
{
	struct svm_cpu *sd;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		sd = per_cpu_ptr(&svm_cpus, cpu);
		mhv_free_pages(sd->hsave, 0);
		mhv_free_pages(sd->host_area, 0);
		sd->hsave = NULL;
		sd->host_area = NULL;
	}
}

/* Host save areas for every possible CPU: enabling never allocates. */
static int svm_alloc_cpus(void)
{
	struct svm_cpu *sd;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		sd = per_cpu_ptr(&svm_cpus, cpu);
		sd->hsave = mhv_alloc_pages(GFP_KERNEL, 0);
		sd->host_area = mhv_alloc_pages(GFP_KERNEL, 0);
		if (!sd->hsave || !sd->host_area) {
			svm_free_cpus();
			return -ENOMEM;
		}
	}
	return 0;
}

static void svm_hardware_unsetup(void)
{
	svm_free_cpus();
	mhv_free_pages(svm_iopm, SVM_IOPM_ORDER);
	mhv_free_pages(svm_msrpm, SVM_MSRPM_ORDER);
	svm_iopm = NULL;
	svm_msrpm = NULL;
}

static int svm_hardware_setup(void)
{
	/* ASID 0 is the host's: a guest needs at least one more */
	if (cpuid_ebx(SVM_CPUID_FUNC) < 2)
		return -ENODEV;
	svm_max_asid = cpuid_ebx(SVM_CPUID_FUNC) - 1;
	svm_features_setup();

	svm_iopm = mhv_alloc_pages(GFP_KERNEL, SVM_IOPM_ORDER);
	svm_msrpm = mhv_alloc_pages(GFP_KERNEL, SVM_MSRPM_ORDER);
	if (!svm_iopm || !svm_msrpm || svm_alloc_cpus()) {
		svm_hardware_unsetup();
		return -ENOMEM;
	}
	/* Every port and every MSR access exits. */
	memset(page_address(svm_iopm), 0xff, PAGE_SIZE << SVM_IOPM_ORDER);
	memset(page_address(svm_msrpm), 0xff, PAGE_SIZE << SVM_MSRPM_ORDER);
	return 0;
}

/* ---- segments ------------------------------------------------------------ */

static void svm_seg_to_user(const struct vmcb_seg *v, struct mhv_segment *s)
{
	s->base = v->base;
	s->limit = v->limit;
	s->selector = v->selector;
	s->type = v->attrib & 0xf;
	s->s = (v->attrib >> 4) & 1;
	s->dpl = (v->attrib >> 5) & 3;
	s->present = (v->attrib >> 7) & 1;
	s->avl = (v->attrib >> 8) & 1;
	s->l = (v->attrib >> 9) & 1;
	s->db = (v->attrib >> 10) & 1;
	s->g = (v->attrib >> 11) & 1;
	s->unusable = !s->present;
}

static void svm_seg_from_user(struct vmcb_seg *v, const struct mhv_segment *s)
{
	v->base = s->base;
	v->limit = s->limit;
	v->selector = s->selector;
	v->attrib = (s->type & 0xf) | (s->s & 1) << 4 | (s->dpl & 3) << 5 |
		    (s->present & 1) << 7 | (s->avl & 1) << 8 |
		    (s->l & 1) << 9 | (s->db & 1) << 10 | (s->g & 1) << 11;
	if (s->unusable)
		v->attrib = 0;
}

static void svm_get_sregs(struct mhv_vcpu *vcpu, struct mhv_sregs *s)
{
	struct svm_vcpu *svm = vcpu->vendor;
	struct vmcb_save_area *v = &svm->vmcb->save;

	svm_seg_to_user(&v->cs, &s->cs);
	svm_seg_to_user(&v->ds, &s->ds);
	svm_seg_to_user(&v->es, &s->es);
	svm_seg_to_user(&v->fs, &s->fs);
	svm_seg_to_user(&v->gs, &s->gs);
	svm_seg_to_user(&v->ss, &s->ss);
	svm_seg_to_user(&v->tr, &s->tr);
	svm_seg_to_user(&v->ldtr, &s->ldt);
	s->gdt.base = v->gdtr.base;
	s->gdt.limit = v->gdtr.limit;
	s->idt.base = v->idtr.base;
	s->idt.limit = v->idtr.limit;
	s->cr0 = v->cr0;
	s->cr2 = v->cr2;
	s->cr3 = v->cr3;
	s->cr4 = v->cr4;
	s->cr8 = svm->vmcb->control.int_ctl & V_TPR_MASK;
	s->efer = v->efer & ~EFER_SVME;
}

static int svm_set_sregs(struct mhv_vcpu *vcpu, const struct mhv_sregs *s)
{
	struct svm_vcpu *svm = vcpu->vendor;
	struct vmcb_save_area *v = &svm->vmcb->save;

	svm_seg_from_user(&v->cs, &s->cs);
	svm_seg_from_user(&v->ds, &s->ds);
	svm_seg_from_user(&v->es, &s->es);
	svm_seg_from_user(&v->fs, &s->fs);
	svm_seg_from_user(&v->gs, &s->gs);
	svm_seg_from_user(&v->ss, &s->ss);
	svm_seg_from_user(&v->tr, &s->tr);
	svm_seg_from_user(&v->ldtr, &s->ldt);
	v->gdtr.base = s->gdt.base;
	v->gdtr.limit = s->gdt.limit;
	v->idtr.base = s->idt.base;
	v->idtr.limit = s->idt.limit;
	v->cpl = mhv_cpl(s);
	v->cr0 = s->cr0;
	v->cr2 = s->cr2;
	v->cr3 = s->cr3;
	v->cr4 = s->cr4;
	svm->vmcb->control.int_ctl = (svm->vmcb->control.int_ctl & ~V_TPR_MASK) |
				     s->cr8;
	v->efer = mhv_efer_lma(s->efer, s->cr0) | EFER_SVME;
	svm_mark_dirty(svm->vmcb, SVM_CLEAN_SEG);
	svm_mark_dirty(svm->vmcb, SVM_CLEAN_DT);
	svm_mark_dirty(svm->vmcb, SVM_CLEAN_CR);
	svm_mark_dirty(svm->vmcb, SVM_CLEAN_CR2);
	svm_mark_dirty(svm->vmcb, SVM_CLEAN_TPR);
	svm->unchecked = true;
	return 0;
}

/* ---- MSRs held in the VMCB ----------------------------------------------- */

static u64 *svm_msr_slot(struct vmcb_save_area *v, u32 index)
{
	switch (index) {
	case MSR_STAR:			return &v->star;
	case MSR_LSTAR:			return &v->lstar;
	case MSR_CSTAR:			return &v->cstar;
	case MSR_SYSCALL_MASK:		return &v->sfmask;
	case MSR_KERNEL_GS_BASE:	return &v->kernel_gs_base;
	case MSR_IA32_SYSENTER_CS:	return &v->sysenter_cs;
	case MSR_IA32_SYSENTER_ESP:	return &v->sysenter_esp;
	case MSR_IA32_SYSENTER_EIP:	return &v->sysenter_eip;
	case MSR_FS_BASE:		return &v->fs.base;
	case MSR_GS_BASE:		return &v->gs.base;
	case MSR_IA32_CR_PAT:		return &v->g_pat;
	default:			return NULL;
	}
}

static int svm_get_msr(struct mhv_vcpu *vcpu, u32 index, u64 *data)
{
	struct svm_vcpu *svm = vcpu->vendor;
	struct vmcb *vmcb = svm->vmcb;
	u64 *slot;

	switch (index) {
	case MSR_EFER:
		*data = vmcb->save.efer & ~EFER_SVME;
		return 0;
	case MSR_IA32_TSC:
		*data = rdtsc() + vmcb->control.tsc_offset;
		return 0;
	}
	slot = svm_msr_slot(&vmcb->save, index);
	if (!slot)
		return -ENOENT;
	*data = *slot;
	return 0;
}

static int svm_set_msr(struct mhv_vcpu *vcpu, u32 index, u64 data)
{
	struct svm_vcpu *svm = vcpu->vendor;
	struct vmcb *vmcb = svm->vmcb;
	u64 *slot;

	switch (index) {
	case MSR_EFER:
		vmcb->save.efer = mhv_efer_wrmsr(data, vmcb->save.efer) |
				  EFER_SVME;
		svm_mark_dirty(vmcb, SVM_CLEAN_CR);
		svm->unchecked = true;
		return 0;
	case MSR_IA32_TSC:
		vmcb->control.tsc_offset = data - rdtsc();
		svm_mark_dirty(vmcb, SVM_CLEAN_I);
		return 0;
	}
	slot = svm_msr_slot(&vmcb->save, index);
	if (!slot)
		return -ENOENT;
	*slot = data;
	if (index == MSR_IA32_CR_PAT)
		svm_mark_dirty(vmcb, SVM_CLEAN_NP);
	svm->unchecked = true;
	return 0;
}

/* ---- vCPU ---------------------------------------------------------------- */

static void svm_init_seg(struct vmcb_seg *seg, u16 sel, u64 base, u16 attrib)
{
	seg->selector = sel;
	seg->base = base;
	seg->limit = 0xffff;
	seg->attrib = attrib;
}

/*
 * What a guest may not do unseen: host events (INTR, NMI, SMI, INIT),
 * instructions emulated or refused, I/O and MSRs (all of them, through
 * the permission maps), shutdown; CR4 writes (checked by mhv_cr4_valid());
 * #DB and #AC (reflected: no endless delivery loop), #MC (the host's).
 */
static const u16 svm_intercepts[] = {
	INTERCEPT_INTR, INTERCEPT_NMI, INTERCEPT_SMI, INTERCEPT_INIT,
	INTERCEPT_CPUID, INTERCEPT_HLT, INTERCEPT_RDPMC, INTERCEPT_INVD,
	INTERCEPT_INVLPGA, INTERCEPT_IOIO_PROT, INTERCEPT_MSR_PROT,
	INTERCEPT_SHUTDOWN, INTERCEPT_VMRUN, INTERCEPT_VMMCALL,
	INTERCEPT_VMLOAD, INTERCEPT_VMSAVE, INTERCEPT_STGI, INTERCEPT_CLGI,
	INTERCEPT_SKINIT, INTERCEPT_MONITOR, INTERCEPT_MWAIT,
	INTERCEPT_MWAIT_COND, INTERCEPT_XSETBV, INTERCEPT_WBINVD,
	INTERCEPT_RDPRU, INTERCEPT_CR4_WRITE,
	INTERCEPT_EXCEPTION_OFFSET + X86_TRAP_DB,
	INTERCEPT_EXCEPTION_OFFSET + X86_TRAP_AC,
	INTERCEPT_EXCEPTION_OFFSET + X86_TRAP_MC,
};

/* The state of an x86 CPU after RESET: real mode at F000:FFF0. */
static void svm_init_vmcb(struct mhv_vcpu *vcpu, struct vmcb *vmcb)
{
	struct vmcb_control_area *c = &vmcb->control;
	struct vmcb_save_area *s = &vmcb->save;

	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(svm_intercepts); i++)
		__set_bit(svm_intercepts[i], (unsigned long *)c->intercepts);
	/* DR0-7 are emulated (mhv_handle_dr()) */
	for (i = 0; i < 8; i++) {
		__set_bit(INTERCEPT_DR0_READ + i, (unsigned long *)c->intercepts);
		__set_bit(INTERCEPT_DR0_WRITE + i, (unsigned long *)c->intercepts);
	}
	c->iopm_base_pa = page_to_phys(svm_iopm);
	c->msrpm_base_pa = page_to_phys(svm_msrpm);
	c->int_ctl = V_INTR_MASKING_MASK;
	c->nested_ctl = SVM_NESTED_CTL_NP_ENABLE;
	c->nested_cr3 = vcpu->vm->mmu.root_pa;	/* fixed for the VM's life */

	svm_init_seg(&s->cs, 0xf000, 0xffff0000, 0x9b);
	svm_init_seg(&s->ds, 0, 0, 0x93);
	svm_init_seg(&s->es, 0, 0, 0x93);
	svm_init_seg(&s->fs, 0, 0, 0x93);
	svm_init_seg(&s->gs, 0, 0, 0x93);
	svm_init_seg(&s->ss, 0, 0, 0x93);
	svm_init_seg(&s->ldtr, 0, 0, 0x82);
	svm_init_seg(&s->tr, 0, 0, 0x8b);
	s->gdtr.limit = 0xffff;
	s->idtr.limit = 0xffff;
	s->cr0 = X86_CR0_ET;
	s->efer = EFER_SVME;
	s->dr6 = DR6_RESERVED;
	s->dr7 = 0x400;
	s->g_pat = 0x0007040600070406ULL;
	s->rflags = 2;
	s->rip = 0xfff0;
}

static int svm_vcpu_create(struct mhv_vcpu *vcpu)
{
	struct svm_vcpu *svm;
	struct page *page;

	svm = kzalloc(sizeof(*svm), GFP_KERNEL_ACCOUNT);
	if (!svm)
		return -ENOMEM;
	page = mhv_alloc_pages(GFP_KERNEL_ACCOUNT, 0);
	if (!page) {
		kfree(svm);
		return -ENOMEM;
	}
	svm->vmcb = page_address(page);
	svm->vmcb_pa = page_to_phys(page);
	svm->last_cpu = -1;
	vcpu->vendor = svm;	/* svm_vcpu_free() frees what is there */
	svm->checkpoint = kmalloc(sizeof(*svm->checkpoint), GFP_KERNEL_ACCOUNT);
	if (!svm->checkpoint)
		return -ENOMEM;
	svm_init_vmcb(vcpu, svm->vmcb);
	svm->unchecked = true;
	return 0;
}

static void svm_vcpu_free(struct mhv_vcpu *vcpu)
{
	struct svm_vcpu *svm = vcpu->vendor;

	if (!svm)
		return;
	mhv_free_page_addr(svm->vmcb);
	kfree(svm->checkpoint);
	kfree(svm);
	vcpu->vendor = NULL;
}

static void svm_queue_exception(struct mhv_vcpu *vcpu, u8 vector,
				bool has_error, u32 error)
{
	struct svm_vcpu *svm = vcpu->vendor;

	/* (u32): SVM_EVTINJ_VALID is a negative int, keep it off the error */
	svm->pending_event = (u32)(vector | SVM_EVTINJ_TYPE_EXEPT |
				   SVM_EVTINJ_VALID);
	if (has_error)
		svm->pending_event |= SVM_EVTINJ_VALID_ERR | (u64)error << 32;
}

static bool svm_event_pending(struct mhv_vcpu *vcpu)
{
	struct svm_vcpu *svm = vcpu->vendor;

	return (u32)svm->pending_event & SVM_EVTINJ_VALID;
}

static bool svm_irq_shadow(struct mhv_vcpu *vcpu)
{
	struct svm_vcpu *svm = vcpu->vendor;

	return svm->vmcb->control.int_state & SVM_INTERRUPT_SHADOW_MASK;
}

static void svm_clear_irq_shadow(struct mhv_vcpu *vcpu)
{
	struct svm_vcpu *svm = vcpu->vendor;

	svm->vmcb->control.int_state &= ~SVM_INTERRUPT_SHADOW_MASK;
}

static void svm_inject_irq(struct mhv_vcpu *vcpu, u8 vector)
{
	struct svm_vcpu *svm = vcpu->vendor;

	svm->pending_event = (u32)(vector | SVM_EVTINJ_TYPE_INTR |
				   SVM_EVTINJ_VALID);
}

/*
 * The interrupt window: a virtual interrupt (V_IRQ) of the highest
 * priority, whatever the guest's TPR, with its delivery intercepted:
 * the VINTR exit comes when the guest could take an interrupt. It is
 * never delivered; the real one goes in through EVENTINJ.
 */
static void svm_irq_window(struct mhv_vcpu *vcpu, bool on)
{
	struct vmcb_control_area *c = &((struct svm_vcpu *)vcpu->vendor)->vmcb->control;

	c->int_ctl &= ~V_IRQ_INJECTION_BITS_MASK;
	c->clean &= ~(BIT(SVM_CLEAN_TPR) | BIT(SVM_CLEAN_I));
	if (on) {
		c->int_ctl |= V_IRQ_MASK | V_IGN_TPR_MASK | V_INTR_PRIO_MASK;
		__set_bit(INTERCEPT_VINTR, (unsigned long *)c->intercepts);
	} else {
		__clear_bit(INTERCEPT_VINTR, (unsigned long *)c->intercepts);
	}
}

static void svm_intercept_iret(struct svm_vcpu *svm, bool on)
{
	unsigned long *bits = (unsigned long *)svm->vmcb->control.intercepts;

	if (on)
		__set_bit(INTERCEPT_IRET, bits);
	else
		__clear_bit(INTERCEPT_IRET, bits);
	svm_mark_dirty(svm->vmcb, SVM_CLEAN_I);
}

static bool svm_nmi_blocked(struct mhv_vcpu *vcpu)
{
	struct svm_vcpu *svm = vcpu->vendor;

	return svm->nmi_masked;
}

/* The NMI goes in through EVENTINJ; its IRET is intercepted. */
static void svm_inject_nmi(struct mhv_vcpu *vcpu)
{
	struct svm_vcpu *svm = vcpu->vendor;

	svm->pending_event = (u32)(X86_TRAP_NMI | SVM_EVTINJ_TYPE_NMI |
				   SVM_EVTINJ_VALID);
	svm->nmi_masked = true;
	svm->iret_seen = false;
	svm_intercept_iret(svm, true);
}

/*
 * An NMI waits. Until the handler's IRET exits there is nothing to do;
 * after it (the IRET has not run yet), or when an interrupt shadow or an
 * event being injected holds the NMI, the guest runs one instruction
 * with RFLAGS.TF: its #DB exit is the window (svm_nmi_step_done()).
 */
static void svm_nmi_window(struct mhv_vcpu *vcpu, bool on)
{
	struct svm_vcpu *svm = vcpu->vendor;

	if (!on || svm->nmi_step || (svm->nmi_masked && !svm->iret_seen))
		return;
	svm->nmi_step = true;
	svm->step_flags = vcpu->rflags & (X86_EFLAGS_TF | X86_EFLAGS_RF);
}

/* The IRET of the NMI handler exited: it runs at the next entry. */
static void svm_iret_exit(struct mhv_vcpu *vcpu, struct svm_vcpu *svm)
{
	svm->iret_seen = true;
	svm->iret_rip = vcpu->rip;
	svm_intercept_iret(svm, false);
}

/*
 * The single step's #DB: the window is open. Only ours (the guest had
 * no TF of its own and no breakpoint hit): not the guest's, the exit is
 * MHV_X_NMI_WINDOW; else the guest gets its #DB without our BS.
 */
static void svm_nmi_step_done(struct svm_vcpu *svm, struct mhv_exit *exit)
{
	svm->nmi_step = false;
	svm->nmi_masked = svm->nmi_masked && !svm->iret_seen;
	svm->iret_seen = false;
	if (svm->step_flags & X86_EFLAGS_TF)
		return;
	if ((exit->exc.dr6 & SVM_DR6_STATUS) == DR_STEP)
		exit->type = MHV_X_NMI_WINDOW;
	else
		exit->exc.dr6 &= ~DR_STEP;
}

/* INIT: no event, no shadow, NMIs unblocked, no single step. */
static void svm_init_events(struct mhv_vcpu *vcpu)
{
	struct svm_vcpu *svm = vcpu->vendor;

	svm->pending_event = 0;
	svm->vmcb->control.int_state = 0;
	svm->nmi_masked = false;
	svm->iret_seen = false;
	svm->nmi_step = false;
	svm_intercept_iret(svm, false);
}

static void svm_flush_tlb(struct mhv_vcpu *vcpu)
{
	struct svm_vcpu *svm = vcpu->vendor;

	WRITE_ONCE(svm->flush, true);
}

/*
 * ASIDs are handed out per CPU. A vCPU keeps its ASID while it stays on
 * one CPU; moving to another CPU takes a fresh one, and so does a flush
 * unless the CPU flushes one ASID (flush-by-ASID). When a CPU runs out,
 * a new generation starts with a full TLB flush.
 */
static void svm_assign_asid(struct mhv_vcpu *vcpu, struct svm_cpu *sd,
			    int cpu)
{
	struct svm_vcpu *svm = vcpu->vendor;
	struct vmcb_control_area *c = &svm->vmcb->control;
	bool same = svm->last_cpu == cpu && svm->asid_gen == sd->asid_gen;

	/* the CPU's cached VMCB state may be another CPU's or stale */
	if (!same)
		c->clean = 0;
	if (same && !READ_ONCE(svm->flush))
		return;
	if (same && svm_use_flush) {
		WRITE_ONCE(svm->flush, false);
		if (c->tlb_ctl == TLB_CONTROL_DO_NOTHING)
			c->tlb_ctl = TLB_CONTROL_FLUSH_ASID;
		vcpu->stats[MHV_STAT_FLUSH_ASID]++;
		return;
	}
	if (sd->next_asid > svm_max_asid) {
		sd->asid_gen++;
		sd->next_asid = 1;
		c->tlb_ctl = TLB_CONTROL_FLUSH_ALL_ASID;
	}
	svm->asid = sd->next_asid++;
	svm->asid_gen = sd->asid_gen;
	svm->last_cpu = cpu;
	WRITE_ONCE(svm->flush, false);
	c->asid = svm->asid;
	svm_mark_dirty(svm->vmcb, SVM_CLEAN_ASID);
}

/* How an SVM exit code maps onto a vendor-neutral exit. */
struct svm_exit_desc {
	u8 type;	/* enum mhv_exit_type */
	u8 insn_len;	/* to skip the instruction without NRIPS */
};

static const struct svm_exit_desc svm_exits[SVM_EXIT_RDPRU + 1] = {
	[SVM_EXIT_WRITE_CR4]	= { MHV_X_CR, 0 },
	[SVM_EXIT_READ_DR0 ... SVM_EXIT_READ_DR0 + 7]	= { MHV_X_DR, 0 },
	[SVM_EXIT_WRITE_DR0 ... SVM_EXIT_WRITE_DR0 + 7]	= { MHV_X_DR, 0 },
	[SVM_EXIT_EXCP_BASE + X86_TRAP_DB] = { MHV_X_EXCEPTION, 0 },
	[SVM_EXIT_EXCP_BASE + X86_TRAP_AC] = { MHV_X_EXCEPTION, 0 },
	[SVM_EXIT_EXCP_BASE + X86_TRAP_MC] = { MHV_X_EXCEPTION, 0 },
	[SVM_EXIT_RDPMC]	= { MHV_X_RDPMC, 0 },
	[SVM_EXIT_INVD]		= { MHV_X_CACHE, 2 },
	[SVM_EXIT_WBINVD]	= { MHV_X_CACHE, 0 },	/* 2, or 3: WBNOINVD */
	[SVM_EXIT_INTR]		= { MHV_X_INTR, 0 },
	[SVM_EXIT_VINTR]	= { MHV_X_IRQ_WINDOW, 0 },
	[SVM_EXIT_IRET]		= { MHV_X_NMI_WINDOW, 0 },
	[SVM_EXIT_NMI]		= { MHV_X_NMI, 0 },
	[SVM_EXIT_SMI]		= { MHV_X_INTR, 0 },
	[SVM_EXIT_INIT]		= { MHV_X_INTR, 0 },
	[SVM_EXIT_CPUID]	= { MHV_X_CPUID, 2 },
	[SVM_EXIT_HLT]		= { MHV_X_HLT, 1 },
	[SVM_EXIT_IOIO]		= { MHV_X_IO, 0 },
	[SVM_EXIT_MSR]		= { MHV_X_MSR_READ, 2 },
	[SVM_EXIT_SHUTDOWN]	= { MHV_X_SHUTDOWN, 0 },
	[SVM_EXIT_INVLPGA]	= { MHV_X_UD, 0 },
	[SVM_EXIT_VMRUN]	= { MHV_X_UD, 0 },
	[SVM_EXIT_VMMCALL]	= { MHV_X_UD, 0 },
	[SVM_EXIT_VMLOAD]	= { MHV_X_UD, 0 },
	[SVM_EXIT_VMSAVE]	= { MHV_X_UD, 0 },
	[SVM_EXIT_STGI]		= { MHV_X_UD, 0 },
	[SVM_EXIT_CLGI]		= { MHV_X_UD, 0 },
	[SVM_EXIT_SKINIT]	= { MHV_X_UD, 0 },
	[SVM_EXIT_MONITOR]	= { MHV_X_UD, 0 },
	[SVM_EXIT_MWAIT]	= { MHV_X_UD, 0 },
	[SVM_EXIT_MWAIT_COND]	= { MHV_X_UD, 0 },
	[SVM_EXIT_XSETBV]	= { MHV_X_UD, 0 },
	[SVM_EXIT_RDPRU]	= { MHV_X_UD, 0 },	/* host APERF/MPERF */
};

/* The next RIP the CPU saved, when it saves one (NRIP save). */
static void svm_next_rip(struct mhv_exit *exit, u64 next_rip)
{
	exit->next_rip = svm_has_nrips ? next_rip : 0;
	exit->nrip_hw = svm_has_nrips;
}

/* EXITINFO2 of IOIO exits is the next RIP on every SVM CPU. */
static void svm_decode_io(struct mhv_exit *exit, u64 info1)
{
	exit->io.in = info1 & SVM_IOIO_TYPE_MASK;
	exit->io.string = info1 & SVM_IOIO_STR_MASK;
	exit->io.rep = info1 & SVM_IOIO_REP_MASK;
	exit->io.size = (info1 >> SVM_IOIO_SIZE_SHIFT) & 7;
	exit->io.addr_size = ((info1 >> SVM_IOIO_ASIZE_SHIFT) & 7) << 1;
	exit->io.seg = (info1 >> SVM_IOIO_SEG_SHIFT) & 7;
	exit->io.port = info1 >> SVM_IOIO_PORT_SHIFT;
}

/*
 * MOV to/from CRn/DRn: the register comes with decode assists, the
 * length with next-RIP saving; without both, generic code decodes the
 * instruction.
 */
static void svm_decode_mov(struct mhv_exit *exit, u64 code, u64 next_rip)
{
	exit->mov.num = code & 0xf;
	exit->mov.write = code != SVM_EXIT_READ_DR0 + exit->mov.num;
	exit->mov.gpr = MHV_GPR_UNKNOWN;
	if ((exit->info1 & SVM_CRDR_VALID) && svm_use_decode)
		exit->mov.gpr = exit->info1 & SVM_EXITINFO_REG_MASK;
	svm_next_rip(exit, next_rip);
}

/*
 * The instruction of a nested page fault: the bytes the CPU fetched
 * (decode assists; none if it could not fetch them), or, with
 * decode_assists=emulate, those the module fetches as the CPU would.
 */
static void svm_decode_npf(struct mhv_vcpu *vcpu, struct vmcb_control_area *c,
			   struct mhv_exit *exit)
{
	exit->type = MHV_X_NPF;
	exit->npf.gpa = exit->info2;
	exit->npf.write = exit->info1 & X86_PF_WRITE;
	exit->npf.fetch = exit->info1 & X86_PF_INSTR;
	exit->npf.present = exit->info1 & X86_PF_PROT;
	if (svm_emulate_decode)
		c->insn_len = mhv_fetch_insn_bytes(vcpu, c->insn_bytes);
	else if (!svm_use_decode)
		return;
	exit->insn_len = min_t(u8, c->insn_len, sizeof(exit->insn));
	memcpy(exit->insn, c->insn_bytes, exit->insn_len);
}

static void svm_decode_exit(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	struct svm_vcpu *svm = vcpu->vendor;
	struct vmcb_control_area *c = &svm->vmcb->control;
	u64 code = svm_exit_code(c);

	memset(exit, 0, sizeof(*exit));
	exit->code = code;
	exit->info1 = c->exit_info_1;
	exit->info2 = c->exit_info_2;
	exit->rip = vcpu->rip;

	if (svm_entry_failed(code)) {
		exit->code = (u64)SVM_EXIT_ERR;
		exit->type = MHV_X_FAIL_ENTRY;
	} else if (code == SVM_EXIT_NPF) {
		svm_decode_npf(vcpu, c, exit);
	} else if (code < ARRAY_SIZE(svm_exits) && svm_exits[code].type) {
		exit->type = svm_exits[code].type;
		svm_next_rip(exit, c->next_rip);
		if (!svm_has_nrips && svm_exits[code].insn_len)
			exit->next_rip = exit->rip + svm_exits[code].insn_len;
	} else {
		exit->type = MHV_X_UNKNOWN;
	}

	switch (exit->type) {
	case MHV_X_MSR_READ:
		if (exit->info1 == 1)
			exit->type = MHV_X_MSR_WRITE;
		break;
	case MHV_X_IO:
		svm_decode_io(exit, exit->info1);
		exit->next_rip = exit->info2;
		exit->nrip_hw = true;
		/* the segment of ins/outs comes with decode assists */
		exit->io_full = svm_use_decode;
		break;
	case MHV_X_CR:
	case MHV_X_DR:
		svm_decode_mov(exit, code, c->next_rip);
		break;
	case MHV_X_EXCEPTION:
		exit->exc.vector = code - SVM_EXIT_EXCP_BASE;
		exit->exc.error = exit->info1;
		/* #DB: the CPU wrote its status into the guest DR6 */
		exit->exc.dr6 = svm->vmcb->save.dr6;
		svm->vmcb->save.dr6 = DR6_RESERVED;
		svm_mark_dirty(svm->vmcb, SVM_CLEAN_DR);
		if (exit->exc.vector == X86_TRAP_DB && svm->nmi_step)
			svm_nmi_step_done(svm, exit);
		break;
	case MHV_X_NMI_WINDOW:
		svm_iret_exit(vcpu, svm);
		break;
	default:
		break;
	}
}

/*
 * The event this exit interrupted (EXITINTINFO) is delivered again: an
 * external interrupt when generic code says (mhv_irq_redeliver(); an
 * EVENTINJ interrupt would go in whatever RFLAGS.IF says), an exception
 * or NMI at the next entry. Not a software interrupt or exception (INT
 * n; INT3 and INTO, which SVM reports as exceptions 3 and 4): RIP still
 * points at the instruction, which simply runs again, so nothing was
 * lost; injecting it would return to the instruction and run the handler
 * twice. (KVM injects it with the instruction skipped, for nested guests
 * that may have no instruction to run again; this module has no
 * nesting.)
 */
static void svm_redeliver(struct mhv_vcpu *vcpu, struct svm_vcpu *svm,
			  u64 info)
{
	u64 type = info & SVM_EVTINJ_TYPE_MASK;
	u8 vector = info & SVM_EVTINJ_VEC_MASK;

	svm->pending_event = 0;
	if (!((u32)info & SVM_EVTINJ_VALID) || type == SVM_EVTINJ_TYPE_SOFT)
		return;
	if (type == SVM_EVTINJ_TYPE_EXEPT &&
	    (vector == X86_TRAP_BP || vector == X86_TRAP_OF))
		return;
	vcpu->stats[MHV_STAT_REINJECT]++;
	if (type == SVM_EVTINJ_TYPE_INTR)
		mhv_irq_redeliver(vcpu, vector);
	else
		svm->pending_event = info;
}

/*
 * After an exit: the single step's TF and RF are not the guest's; the
 * NMI handler's IRET has run once RIP left it (as KVM decides).
 */
static void svm_nmi_after_exit(struct mhv_vcpu *vcpu, struct svm_vcpu *svm)
{
	if (svm->nmi_step)
		vcpu->rflags = (vcpu->rflags &
				~(X86_EFLAGS_TF | X86_EFLAGS_RF)) |
			       svm->step_flags;
	if (svm->iret_seen && vcpu->rip != svm->iret_rip) {
		svm->nmi_masked = false;
		svm->iret_seen = false;
	}
}

static void svm_run(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	struct svm_vcpu *svm = vcpu->vendor;
	struct vmcb *vmcb = svm->vmcb;
	struct svm_cpu *sd = this_cpu_ptr(&svm_cpus);
	u64 event;

	svm_assign_asid(vcpu, sd, smp_processor_id());
	mhv_spec_switch(vcpu);
	vmcb->save.rax = vcpu->regs[MHV_RAX];
	vmcb->save.rsp = vcpu->regs[MHV_RSP];
	vmcb->save.rip = vcpu->rip;
	vmcb->save.rflags = vcpu->rflags;
	if (svm->unchecked)
		memcpy(svm->checkpoint, &vmcb->save, sizeof(vmcb->save));

	local_irq_disable();
	/* with interrupts off: a raise from now on sends an IPI */
	mhv_inject_events(vcpu);
	/* in real mode no exception pushes an error code */
	if (!(vmcb->save.cr0 & X86_CR0_PE))
		svm->pending_event &= ~(u64)SVM_EVTINJ_VALID_ERR;
	if (svm->nmi_step)
		vmcb->save.rflags |= X86_EFLAGS_TF | X86_EFLAGS_RF;
	svm_set_event_inj(&vmcb->control, svm->pending_event);
	svm->pending_event = 0;
	if (vmcb->control.clean)
		vcpu->stats[MHV_STAT_VMRUN_CLEAN]++;
	mhv_debug_enter(vcpu);
	svm_clgi();
	mhv_svm_vmrun(svm->vmcb_pa, page_to_phys(sd->host_area), vcpu->regs);
	svm_stgi();
	mhv_debug_exit(vcpu);
	/* a machine check while the guest ran is the host's */
	if (svm_exit_code(&vmcb->control) == SVM_EXIT_EXCP_BASE + X86_TRAP_MC)
		mhv_machine_check();
	local_irq_enable();

	if (unlikely(svm_entry_failed(svm_exit_code(&vmcb->control)))) {
		/* a refused VMRUN flushed nothing: tlb_ctl stays for the next */
		/* refused: the guest state is what was set, not the VMCB's */
		if (svm->unchecked)
			memcpy(&vmcb->save, svm->checkpoint, sizeof(vmcb->save));
		vmcb->control.clean = 0;
		svm->pending_event = (u64)vmcb->control.event_inj_err << 32 |
				     vmcb->control.event_inj;
		svm_decode_exit(vcpu, exit);
		return;
	}
	vmcb->control.tlb_ctl = TLB_CONTROL_DO_NOTHING;
	/* what this VMRUN loaded is cached until the module writes it */
	if (svm_use_clean)
		vmcb->control.clean = SVM_CLEAN_ALL;
	svm->unchecked = false;
	vcpu->regs[MHV_RAX] = vmcb->save.rax;
	vcpu->regs[MHV_RSP] = vmcb->save.rsp;
	vcpu->rip = vmcb->save.rip;
	vcpu->rflags = vmcb->save.rflags;
	svm_nmi_after_exit(vcpu, svm);
	event = (u64)vmcb->control.exit_int_info_err << 32 |
		vmcb->control.exit_int_info;
	svm_redeliver(vcpu, svm, event);
	svm_decode_exit(vcpu, exit);
}

/* A guest CR0/CR4 write generic code checked (CR4 writes exit). */
static void svm_set_cr(struct mhv_vcpu *vcpu, int cr, u64 val)
{
	struct svm_vcpu *svm = vcpu->vendor;
	struct vmcb_save_area *v = &svm->vmcb->save;

	if (cr == 8) {		/* V_TPR; CR8 accesses do not exit on SVM */
		svm->vmcb->control.int_ctl =
			(svm->vmcb->control.int_ctl & ~V_TPR_MASK) | val;
		svm_mark_dirty(svm->vmcb, SVM_CLEAN_TPR);
		return;
	}
	svm_mark_dirty(svm->vmcb, SVM_CLEAN_CR);
	if (cr == 0) {
		v->cr0 = val;
		v->efer = mhv_efer_lma(v->efer, val);
	} else {
		v->cr4 = val;
	}
	/* MOV to CR4 flushes the guest's TLB: a fresh ASID does it */
	svm_flush_tlb(vcpu);
}

static void svm_set_dr7(struct mhv_vcpu *vcpu, u64 val)
{
	struct svm_vcpu *svm = vcpu->vendor;

	svm->vmcb->save.dr7 = val;
	svm_mark_dirty(svm->vmcb, SVM_CLEAN_DR);
}

/* ---- dump ---------------------------------------------------------------- */

#define DUMP(fmt, ...) \
	(len += scnprintf(buf + len, size - len, fmt "\n", ##__VA_ARGS__))

static size_t svm_dump_seg(char *buf, size_t size, const char *name,
			   const struct vmcb_seg *s)
{
	size_t len = 0;

	DUMP("  %-5s sel=0x%04x attr=0x%04x limit=0x%08x base=0x%016llx",
	     name, s->selector, s->attrib, s->limit, s->base);
	return len;
}

/* Host-side: the physical addresses of the VMCB, IOPM, MSRPM and NPT. */
static size_t svm_dump(struct mhv_vcpu *vcpu, char *buf, size_t size,
		       bool show_host)
{
	struct svm_vcpu *svm = vcpu->vendor;
	struct vmcb_control_area *c = &svm->vmcb->control;
	struct vmcb_save_area *s = &svm->vmcb->save;
	size_t len = 0;

	DUMP("VMCB of vCPU %u (VM \"%s\"), physical address 0x%llx",
	     vcpu->id, vcpu->vm->config.name,
	     mhv_dump_host(show_host, svm->vmcb_pa));
	DUMP("control area:");
	DUMP("  intercept cr=0x%08x dr=0x%08x exceptions=0x%08x",
	     c->intercepts[INTERCEPT_CR], c->intercepts[INTERCEPT_DR],
	     c->intercepts[INTERCEPT_EXCEPTION]);
	DUMP("  intercept misc1=0x%08x misc2=0x%08x misc3=0x%08x",
	     c->intercepts[INTERCEPT_WORD3], c->intercepts[INTERCEPT_WORD4],
	     c->intercepts[INTERCEPT_WORD5]);
	DUMP("  iopm_base_pa=0x%llx msrpm_base_pa=0x%llx tsc_offset=0x%llx",
	     mhv_dump_host(show_host, c->iopm_base_pa),
	     mhv_dump_host(show_host, c->msrpm_base_pa), c->tsc_offset);
	DUMP("  asid=%u tlb_ctl=%u int_ctl=0x%x int_state=0x%x",
	     c->asid, c->tlb_ctl, c->int_ctl, c->int_state);
	DUMP("  exit_code=0x%llx exit_info_1=0x%llx exit_info_2=0x%llx",
	     svm_exit_code(c), c->exit_info_1, c->exit_info_2);
	DUMP("  exit_int_info=0x%x err=0x%x event_inj=0x%x err=0x%x next_rip=0x%llx",
	     c->exit_int_info, c->exit_int_info_err, c->event_inj,
	     c->event_inj_err, c->next_rip);
	DUMP("  nested_ctl=0x%llx nested_cr3=0x%llx clean=0x%x",
	     c->nested_ctl, mhv_dump_host(show_host, c->nested_cr3), c->clean);
	DUMP("save area:");
	len += svm_dump_seg(buf + len, size - len, "cs", &s->cs);
	len += svm_dump_seg(buf + len, size - len, "ds", &s->ds);
	len += svm_dump_seg(buf + len, size - len, "es", &s->es);
	len += svm_dump_seg(buf + len, size - len, "fs", &s->fs);
	len += svm_dump_seg(buf + len, size - len, "gs", &s->gs);
	len += svm_dump_seg(buf + len, size - len, "ss", &s->ss);
	len += svm_dump_seg(buf + len, size - len, "tr", &s->tr);
	len += svm_dump_seg(buf + len, size - len, "ldtr", &s->ldtr);
	len += svm_dump_seg(buf + len, size - len, "gdtr", &s->gdtr);
	len += svm_dump_seg(buf + len, size - len, "idtr", &s->idtr);
	DUMP("  cpl=%u efer=0x%llx", s->cpl, s->efer);
	DUMP("  cr0=0x%llx cr2=0x%llx cr3=0x%llx cr4=0x%llx",
	     s->cr0, s->cr2, s->cr3, s->cr4);
	DUMP("  dr6=0x%llx dr7=0x%llx rflags=0x%llx",
	     s->dr6, s->dr7, s->rflags);
	DUMP("  rip=0x%llx rsp=0x%llx rax=0x%llx", s->rip, s->rsp, s->rax);
	DUMP("  star=0x%llx lstar=0x%llx cstar=0x%llx sfmask=0x%llx",
	     s->star, s->lstar, s->cstar, s->sfmask);
	DUMP("  kernel_gs_base=0x%llx sysenter cs=0x%llx esp=0x%llx eip=0x%llx",
	     s->kernel_gs_base, s->sysenter_cs, s->sysenter_esp,
	     s->sysenter_eip);
	DUMP("  g_pat=0x%llx dbgctl=0x%llx", s->g_pat, s->dbgctl);
	return len;
}

/* ---- NPT entries: the x86 page table format ------------------------------ */

static u64 npt_table(phys_addr_t table)
{
	return table | _PAGE_PRESENT | _PAGE_RW | _PAGE_USER;
}

static u64 npt_leaf(phys_addr_t pa, u32 prot, int level)
{
	u64 e = pa | _PAGE_PRESENT | _PAGE_USER;

	if (prot & MHV_SPTE_W)
		e |= _PAGE_RW;
	if (!(prot & MHV_SPTE_X))
		e |= _PAGE_NX;
	if (level > 1)
		e |= _PAGE_PSE;
	return e;
}

static bool npt_present(u64 e)
{
	return e & _PAGE_PRESENT;
}

static bool npt_is_leaf(u64 e, int level)
{
	return level == 1 || (e & _PAGE_PSE);
}

static phys_addr_t npt_addr(u64 e)
{
	return e & PTE_PFN_MASK;
}

static u32 npt_prot(u64 e)
{
	u32 prot = MHV_PROT_READ | MHV_PROT_USER;

	if (e & _PAGE_RW)
		prot |= MHV_PROT_WRITE;
	if (!(e & _PAGE_NX))
		prot |= MHV_PROT_EXEC;
	return prot;
}

static const struct mhv_spte_ops npt_ops = {
	.table		= npt_table,
	.leaf		= npt_leaf,
	.present	= npt_present,
	.is_leaf	= npt_is_leaf,
	.addr		= npt_addr,
	.prot		= npt_prot,
};

/*
 * The barriers of mhv_svm_vmrun() after #VMEXIT, by the features their
 * ALTERNATIVEs are patched on; @mhv_svm_exit_entry_ibpb says whether
 * that kernel's macro there also runs the kernel-entry IBPB.
 */
static int svm_spec_barriers(char *buf, size_t size)
{
	int n = 0;

	if (boot_cpu_has(X86_FEATURE_RSB_VMEXIT))
		n += scnprintf(buf + n, size - n, "rsb-fill-after-exit ");
	if (boot_cpu_has(X86_FEATURE_UNRET) ||
	    boot_cpu_has(X86_FEATURE_SRSO_ALIAS))
		n += scnprintf(buf + n, size - n, "untrain-ret-after-exit ");
	if (boot_cpu_has(X86_FEATURE_IBPB_ON_VMEXIT) ||
	    (mhv_svm_exit_entry_ibpb && boot_cpu_has(X86_FEATURE_ENTRY_IBPB)))
		n += scnprintf(buf + n, size - n, "ibpb-after-exit ");
	return n;
}

const struct mhv_vendor_ops mhv_svm_ops = {
	.name			= "svm",
	.virt			= MHV_VIRT_SVM,
	.probe			= svm_probe,
	.hardware_setup		= svm_hardware_setup,
	.hardware_unsetup	= svm_hardware_unsetup,
	.cpu_enable		= svm_cpu_enable,
	.cpu_disable		= svm_cpu_disable,
	.cpu_emergency_disable	= svm_cpu_emergency_disable,
	.cpu_hw_enabled		= svm_enabled_here,
	.vcpu_create		= svm_vcpu_create,
	.vcpu_free		= svm_vcpu_free,
	.run			= svm_run,
	.get_sregs		= svm_get_sregs,
	.set_sregs		= svm_set_sregs,
	.get_msr		= svm_get_msr,
	.set_msr		= svm_set_msr,
	.queue_exception	= svm_queue_exception,
	.event_pending		= svm_event_pending,
	.irq_shadow		= svm_irq_shadow,
	.clear_irq_shadow	= svm_clear_irq_shadow,
	.inject_irq		= svm_inject_irq,
	.irq_window		= svm_irq_window,
	.nmi_blocked		= svm_nmi_blocked,
	.inject_nmi		= svm_inject_nmi,
	.nmi_window		= svm_nmi_window,
	.init_events		= svm_init_events,
	.set_cr			= svm_set_cr,
	.set_dr7		= svm_set_dr7,
	.flush_tlb		= svm_flush_tlb,
	.dump			= svm_dump,
	.spte			= &npt_ops,
	.spec_barriers		= svm_spec_barriers,
};
