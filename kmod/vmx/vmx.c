// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - Intel VT-x (VMX) backend.
 *
 * Probe: CPUID.1:ECX.VMX, IA32_FEATURE_CONTROL (firmware lock) and the
 * VMX capability MSRs (secondary controls, EPT/VPID capabilities).
 * Enable: VMXON on this CPU; kmod/hw.c calls it on every online CPU, on
 * CPUs coming online, and on resume.
 * Run: one VMCS per vCPU, loaded (VMPTRLD) for a burst of entries on one
 * CPU and cleared (VMCLEAR) after it, so the vCPU may move to another
 * CPU between bursts; EPT built by the generic second-level paging code
 * with the EPT entry format; every exit decoded into a vendor-neutral
 * struct mhv_exit for kmod/exit.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitfield.h>
#include <linux/bitmap.h>
#include <linux/errno.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/cpu.h>
#include <asm/apic.h>
#include <asm/asm.h>
#include <asm/cpufeature.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/irq_vectors.h>
#include <asm/msr.h>
#include <asm/mtrr.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
#include <asm/trapnr.h>
#include <asm/tsc.h>
#include <asm/vmx.h>

#include "mhv.h"
#include "vmcs.h"
#include "vmx_ops.h"

/* Control @ctl may be 1: its bit in the allowed-1 half (63:32) of @caps */
static bool vmx_ctl_allowed(u64 caps, u32 ctl)
{
	return caps & ((u64)ctl << 32);
}

/* HOST_RSP as vmenter.S spells it (<asm/vmx.h> is not assembler-safe) */
static_assert(MHV_VMCS_HOST_RSP == HOST_RSP);

void vmx_access_failed(const char *insn, unsigned long field)
{
	unsigned long err = 0;

	/* VM-instruction error, when there is a current VMCS to hold it */
	asm volatile("vmread %1, %0; jbe 1f; 1:"
		     : "+r"(err) : "r"((unsigned long)VM_INSTRUCTION_ERROR)
		     : "cc");
	pr_err_ratelimited("%s of VMCS field 0x%lx failed (VM-instruction error %lu)\n",
			   insn, field, err);
}

/* CR4.VMXE set on this CPU: some hypervisor has VMX on here. */
static bool vmx_enabled_here(void)
{
	return __read_cr4() & X86_CR4_VMXE;
}

static void vmx_probe_ept(struct mhv_caps *caps, u64 ctls2)
{
	u64 ept;

	if (!vmx_ctl_allowed(ctls2, SECONDARY_EXEC_ENABLE_EPT) ||
	    rdmsrl_safe(MSR_IA32_VMX_EPT_VPID_CAP, &ept))
		return;
	if (!(ept & (VMX_EPT_PAGE_WALK_4_BIT | VMX_EPT_PAGE_WALK_5_BIT)))
		return;
	caps->flags |= MHV_CAP_NESTED_PAGING;
	caps->npt_levels = 4;
	if ((ept & VMX_EPT_PAGE_WALK_5_BIT) && pgtable_l5_enabled()) {
		caps->npt_levels = 5;
		caps->flags |= MHV_CAP_NPT_5LEVEL;
	}
	if (ept & VMX_EPT_2MB_PAGE_BIT)
		caps->flags |= MHV_CAP_PAGE_2M;
	if (ept & VMX_EPT_1GB_PAGE_BIT)
		caps->flags |= MHV_CAP_PAGE_1G;
	if (ept & VMX_EPT_AD_BIT)
		caps->flags |= MHV_CAP_EPT_AD;
}

static int vmx_probe(struct mhv_caps *caps)
{
	u64 fc, ctls, ctls2 = 0;

	if (!(cpuid_ecx(1) & BIT(X86_FEATURE_VMX & 31)))
		return -ENODEV;

	caps->flags |= MHV_CAP_VMX;
	if (!rdmsrl_safe(MSR_IA32_FEAT_CTL, &fc) && (fc & FEAT_CTL_LOCKED) &&
	    !(fc & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX))
		caps->flags |= MHV_CAP_FW_DISABLED;

	if (!rdmsrl_safe(MSR_IA32_VMX_PROCBASED_CTLS, &ctls) &&
	    vmx_ctl_allowed(ctls, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS))
		rdmsrl_safe(MSR_IA32_VMX_PROCBASED_CTLS2, &ctls2);

	vmx_probe_ept(caps, ctls2);
	if (vmx_ctl_allowed(ctls2, SECONDARY_EXEC_ENABLE_VPID)) {
		caps->flags |= MHV_CAP_VPID;
		caps->nr_asids = VMX_NR_VPIDS - 1;	/* 0 is the host's */
	}
	if (vmx_ctl_allowed(ctls2, SECONDARY_EXEC_UNRESTRICTED_GUEST))
		caps->flags |= MHV_CAP_UNRESTRICTED;

	if (mhv_on_this_cpu(vmx_enabled_here))
		caps->flags |= MHV_CAP_IN_USE;
	return 0;
}

/* ---- enable / disable, per CPU ------------------------------------------- */

/*
 * Per-CPU state: the VMXON region exists for every possible CPU while a
 * VM exists (hardware_setup/unsetup, under kmod/hw.c's lock).
 */
struct vmx_cpu {
	struct page *vmxon;		/* VMXON region */
};

static DEFINE_PER_CPU(struct vmx_cpu, vmx_cpus);
static u32 vmx_revision;		/* IA32_VMX_BASIC[30:0] */
/*
 * VMX-preemption timer value for about a millisecond of guest time: a
 * guest gets the CPU for at most that long before the host looks at
 * its own work again, whatever the guest does with its interrupt flag
 * (0: the CPU has no preemption timer).
 */
static u32 vmx_ptimer_ticks;

/* Controls the CPU allows: must-be-one bits set, may-be-one bits kept. */
static u32 vmx_adjust(u32 msr, u32 true_msr, u32 want)
{
	u64 basic, caps;

	rdmsrl(MSR_IA32_VMX_BASIC, basic);
	rdmsrl((basic & VMX_BASIC_TRUE_CTLS) ? true_msr : msr, caps);
	return (want | (u32)caps) & (u32)(caps >> 32);
}

static bool vmx_has_vpid;
static bool vmx_has_invpcid;	/* the guest may run INVPCID (CPUID offers it) */

/* Interrupts off (kmod/hw.c): hotplug, resume, the first VM. */
static int vmx_cpu_enable(void)
{
	struct vmx_cpu *vc = this_cpu_ptr(&vmx_cpus);
	int cpu = smp_processor_id();
	u64 fc;

	if (vmx_enabled_here()) {
		pr_err_ratelimited("VMX is already in use on CPU %d (CR4.VMXE is set): another hypervisor, such as kvm_intel, owns it. Unload it first; on Linux 6.12+ KVM takes VMX at load time unless kvm is loaded with enable_virt_at_load=0\n",
				   cpu);
		return -EBUSY;
	}
	/* read again each time: firmware sets it up anew on resume */
	if (rdmsrl_safe(MSR_IA32_FEAT_CTL, &fc) ||
	    ((fc & FEAT_CTL_LOCKED) && !(fc & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX))) {
		pr_err_ratelimited("VMX is disabled by the firmware on CPU %d (IA32_FEATURE_CONTROL locked without VMX)\n",
				   cpu);
		return -EPERM;
	}
	if (!(fc & FEAT_CTL_LOCKED))
		wrmsrl(MSR_IA32_FEAT_CTL, fc | FEAT_CTL_LOCKED |
		       FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX);

	cr4_set_bits(X86_CR4_VMXE);
	if (vmx_vmxon(page_to_phys(vc->vmxon))) {
		cr4_clear_bits(X86_CR4_VMXE);
		pr_err_ratelimited("VMXON failed on CPU %d\n", cpu);
		return -EIO;
	}
	/*
	 * Nothing cached under our EPTPs and VPIDs before (another VMM,
	 * before a suspend, before this CPU went offline) may be used.
	 */
	vmx_invept(VMX_EPT_EXTENT_GLOBAL, 0);
	if (vmx_has_vpid)
		vmx_invvpid(VMX_VPID_EXTENT_ALL_CONTEXT, 0);
	return 0;
}

/*
 * Interrupts off; no VMCS is current on this CPU: VMCSs are loaded
 * only inside regions with preemption off (kmod/hw.c).
 */
static void vmx_cpu_disable(void)
{
	vmx_vmxoff();
	cr4_clear_bits(X86_CR4_VMXE);
}

/*
 * Crash or emergency reboot, NMI context: leave VMX operation if this
 * CPU is in it. VMXOFF faults if CR4.VMXE is set but VMXON was not done
 * (an NMI between the two); the fault is fixed up and ignored.
 */
static void vmx_cpu_emergency_disable(void)
{
	if (!vmx_enabled_here())
		return;
	asm volatile("1: vmxoff\n\t"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     ::: "cc", "memory");
	cr4_clear_bits(X86_CR4_VMXE);
}

static void vmx_free_cpus(void)
{
	struct vmx_cpu *vc;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		vc = per_cpu_ptr(&vmx_cpus, cpu);
		mhv_free_pages(vc->vmxon, 0);
		vc->vmxon = NULL;
	}
}

/* VMXON regions for every possible CPU: enabling never allocates. */
static int vmx_alloc_cpus(void)
{
	struct vmx_cpu *vc;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		vc = per_cpu_ptr(&vmx_cpus, cpu);
		vc->vmxon = mhv_alloc_pages(GFP_KERNEL, 0);
		if (!vc->vmxon) {
			vmx_free_cpus();
			return -ENOMEM;
		}
		*(u32 *)page_address(vc->vmxon) = vmx_revision;
	}
	return 0;
}

/*
 * L1 Terminal Fault: the L1 data cache is flushed before every entry
 * where the CPU is affected and the kernel mitigates L1TF at all (it
 * would for KVM). Set when the hardware is enabled.
 */
static bool vmx_need_l1d_flush;

static bool vmx_l1d_flush_wanted(void)
{
	return boot_cpu_has_bug(X86_BUG_L1TF) &&
	       boot_cpu_has(X86_FEATURE_FLUSH_L1D) &&
	       !cpu_mitigations_off() &&
	       l1tf_mitigation != L1TF_MITIGATION_OFF;
}

static void vmx_l1d_flush(void)
{
	if (vmx_need_l1d_flush)
		wrmsrl(MSR_IA32_FLUSH_CMD, L1D_FLUSH);
}

static DEFINE_SPINLOCK(vmx_vpid_lock);
static unsigned long *vmx_vpid_bitmap;	/* VPIDs in use; 0 is the host's */

static void vmx_hardware_unsetup(void)
{
	vmx_free_cpus();
	bitmap_free(vmx_vpid_bitmap);
	vmx_vpid_bitmap = NULL;
}

static int vmx_hardware_setup(void)
{
	u64 basic, ctls2 = 0, procs;

	rdmsrl(MSR_IA32_VMX_BASIC, basic);
	vmx_revision = vmx_basic_vmcs_revision_id(basic);
	rdmsrl(MSR_IA32_VMX_PROCBASED_CTLS, procs);
	if (vmx_ctl_allowed(procs, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS))
		rdmsrl(MSR_IA32_VMX_PROCBASED_CTLS2, ctls2);
	if (!vmx_ctl_allowed(ctls2, SECONDARY_EXEC_ENABLE_EPT) ||
	    !vmx_ctl_allowed(ctls2, SECONDARY_EXEC_UNRESTRICTED_GUEST)) {
		pr_err_ratelimited("this CPU's VT-x lacks EPT or unrestricted guest, which multios_hv needs\n");
		return -EOPNOTSUPP;
	}
	/* NMIs into the guest: blocked until IRET by the CPU, the window */
	if (!(vmx_adjust(MSR_IA32_VMX_PINBASED_CTLS,
			 MSR_IA32_VMX_TRUE_PINBASED_CTLS,
			 PIN_BASED_NMI_EXITING | PIN_BASED_VIRTUAL_NMIS) &
	      PIN_BASED_VIRTUAL_NMIS) ||
	    !vmx_ctl_allowed(procs, CPU_BASED_NMI_WINDOW_EXITING)) {
		pr_err_ratelimited("this CPU's VT-x lacks virtual NMIs or NMI-window exiting, which multios_hv needs\n");
		return -EOPNOTSUPP;
	}
	vmx_has_vpid = vmx_ctl_allowed(ctls2, SECONDARY_EXEC_ENABLE_VPID);
	vmx_has_invpcid = vmx_ctl_allowed(ctls2,
					  SECONDARY_EXEC_ENABLE_INVPCID);
	vmx_need_l1d_flush = vmx_l1d_flush_wanted();
	vmx_ptimer_ticks = 0;
	if (vmx_adjust(MSR_IA32_VMX_PINBASED_CTLS,
		       MSR_IA32_VMX_TRUE_PINBASED_CTLS,
		       PIN_BASED_VMX_PREEMPTION_TIMER) &
	    PIN_BASED_VMX_PREEMPTION_TIMER) {
		u64 misc;

		/* the timer counts down at the TSC rate >> IA32_VMX_MISC[4:0] */
		rdmsrl(MSR_IA32_VMX_MISC, misc);
		vmx_ptimer_ticks = clamp_t(u64, (u64)tsc_khz >>
					   vmx_misc_preemption_timer_rate(misc),
					   1, U32_MAX);
	}
	vmx_vpid_bitmap = bitmap_zalloc(VMX_NR_VPIDS, GFP_KERNEL);
	if (!vmx_vpid_bitmap || vmx_alloc_cpus()) {
		vmx_hardware_unsetup();
		return -ENOMEM;
	}
	__set_bit(0, vmx_vpid_bitmap);
	return 0;
}

/* ---- vCPU ---------------------------------------------------------------- */

struct vmx_vcpu {
	struct page *vmcs;
	u64 vmcs_pa;
	u16 vpid;
	bool initialized;	/* VMCS fields written once */
	bool loaded;		/* VMCS current on this CPU (inside a burst) */
	bool launched;		/* VMLAUNCH done since the last VMCLEAR */
	bool flush;		/* INVEPT/INVVPID before the next entry */
	int last_cpu;
	u32 pending_event;	/* VM-entry interruption information */
	u32 pending_errcode;
	bool irq_window;	/* interrupt-window exiting is on in the VMCS */
	bool nmi_window;	/* NMI-window exiting is on in the VMCS */
	u32 intr_state;		/* guest interruptibility as the last burst
				 * ended (between bursts)
				 */
	bool shadow_cleared;	/* clear the STI/MOV SS shadow at the next
				 * entry (vmx_clear_irq_shadow())
				 */
	/* MSRs the CPU does not switch: loaded around each burst */
	u64 star, lstar, cstar, sfmask, kernel_gs_base;
	u64 host_star, host_lstar, host_cstar, host_sfmask, host_kernel_gs;
	/*
	 * Guest registers the VMCS does not hold: CR2, switched by hand
	 * around each entry, and CR8 (the TPR), emulated: MOV to/from CR8
	 * exits, else it would reach the host's local APIC.
	 */
	u64 cr2;
	u8 cr8;
	/*
	 * Host state a VM exit does not restore (it zeroes LDTR and the
	 * selectors, clears DEBUGCTL, leaves the GDT limit at 0xffff):
	 * saved at the burst's first entry, restored after each exit or
	 * when the burst ends. HOST_CR3/CR4 as last written to the VMCS.
	 */
	u16 host_fs_sel, host_gs_sel, host_ldt_sel;
	u64 host_fs_base;
	u64 host_debugctl;
	unsigned long host_cr3, host_cr4;
	bool host_saved;	/* the above hold this burst's values */
	/*
	 * What the VMCS already holds, not written again: the host state
	 * of one CPU (its GDT, TSS, GS base, SYSENTER stack: -1 none yet),
	 * GUEST_RSP/RIP/RFLAGS as last read or written (regs_cached), a
	 * valid event in the VM-entry interruption field (entry_event;
	 * every VM exit clears it).
	 */
	int host_cpu;
	bool regs_cached;
	u64 vmcs_rsp, vmcs_rip, vmcs_rflags;
	bool entry_event;
};

/* Interruptibility: blocking by STI and by MOV SS, the interrupt shadow */
#define VMX_INTR_SHADOW	(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)

static u64 vmx_eptp(struct mhv_vcpu *vcpu)
{
	return vcpu->vm->mmu.root_pa | VMX_EPTP_MT_WB |
	       FIELD_PREP(VMX_EPTP_PWL_MASK, vcpu->vm->mmu.levels - 1);
}

/* Make the VMCS current on this CPU; the caller has preemption off. */
static int vmx_load(struct vmx_vcpu *vmx)
{
	if (vmx->loaded)
		return 0;
	if (vmx_vmptrld(vmx->vmcs_pa))
		return -EIO;
	vmx->loaded = true;
	return 0;
}

/* Flush the VMCS to memory and make it current nowhere. */
static void vmx_put(struct vmx_vcpu *vmx)
{
	if (!vmx->loaded)
		return;
	vmx_vmclear(vmx->vmcs_pa);
	vmx->loaded = false;
	vmx->launched = false;
}

static u32 vmx_seg_ar(const struct mhv_segment *s)
{
	if (s->unusable || !s->present)
		return VMX_AR_UNUSABLE_MASK;
	return FIELD_PREP(VMX_AR_TYPE_MASK, s->type) |
	       FIELD_PREP(VMX_AR_S_MASK, s->s) |
	       (s->dpl & 3) << VMX_AR_DPL_SHIFT | VMX_AR_P_MASK |
	       FIELD_PREP(MHV_VMX_AR_AVL, s->avl) |
	       FIELD_PREP(VMX_AR_L_MASK, s->l) |
	       FIELD_PREP(VMX_AR_DB_MASK, s->db) |
	       FIELD_PREP(VMX_AR_G_MASK, s->g);
}

static void vmx_write_seg(enum vmx_seg i, const struct mhv_segment *s)
{
	vmx_vmwrite(GUEST_ES_SELECTOR + 2 * i, s->selector);
	vmx_vmwrite(GUEST_ES_BASE + 2 * i, s->base);
	vmx_vmwrite(GUEST_ES_LIMIT + 2 * i, s->limit);
	vmx_vmwrite(GUEST_ES_AR_BYTES + 2 * i, vmx_seg_ar(s));
}

static void vmx_read_seg(enum vmx_seg i, struct mhv_segment *s)
{
	u32 ar = vmx_vmread(GUEST_ES_AR_BYTES + 2 * i);

	s->selector = vmx_vmread(GUEST_ES_SELECTOR + 2 * i);
	s->base = vmx_vmread(GUEST_ES_BASE + 2 * i);
	s->limit = vmx_vmread(GUEST_ES_LIMIT + 2 * i);
	s->type = ar & VMX_AR_TYPE_MASK;
	s->s = FIELD_GET(VMX_AR_S_MASK, ar);
	s->dpl = VMX_AR_DPL(ar);
	s->present = FIELD_GET(VMX_AR_P_MASK, ar);
	s->avl = FIELD_GET(MHV_VMX_AR_AVL, ar);
	s->l = FIELD_GET(VMX_AR_L_MASK, ar);
	s->db = FIELD_GET(VMX_AR_DB_MASK, ar);
	s->g = FIELD_GET(VMX_AR_G_MASK, ar);
	s->unusable = !!(ar & VMX_AR_UNUSABLE_MASK);
	if (s->unusable)
		s->present = 0;
}

/* CR0/CR4 bits VMX operation fixes; the guest sees its own values. */
static u64 vmx_cr0_fixed(u64 cr0)
{
	u64 fixed0, fixed1;

	rdmsrl(MSR_IA32_VMX_CR0_FIXED0, fixed0);
	rdmsrl(MSR_IA32_VMX_CR0_FIXED1, fixed1);
	/* unrestricted guest: PE and PG may be clear */
	fixed0 &= ~(X86_CR0_PE | X86_CR0_PG);
	return (cr0 | fixed0) & fixed1;
}

static u64 vmx_cr4_fixed(u64 cr4)
{
	u64 fixed0, fixed1;

	rdmsrl(MSR_IA32_VMX_CR4_FIXED0, fixed0);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED1, fixed1);
	return (cr4 | fixed0) & fixed1;
}

static void vmx_set_entry_ia32e(bool on)
{
	u32 entry = vmx_vmread(VM_ENTRY_CONTROLS);

	if (on)
		entry |= VM_ENTRY_IA32E_MODE;
	else
		entry &= ~VM_ENTRY_IA32E_MODE;
	vmx_vmwrite(VM_ENTRY_CONTROLS, entry);
}

static void vmx_write_cr0(u64 cr0)
{
	vmx_vmwrite(CR0_READ_SHADOW, cr0);
	vmx_vmwrite(GUEST_CR0, vmx_cr0_fixed(cr0));
}

static void vmx_write_cr4(u64 cr4)
{
	vmx_vmwrite(CR4_READ_SHADOW, cr4);
	vmx_vmwrite(GUEST_CR4, vmx_cr4_fixed(cr4));
}

/* The whole VMCS, once, at the vCPU's first load: x86 RESET state. */
static void vmx_init_vmcs(struct mhv_vcpu *vcpu, struct vmx_vcpu *vmx)
{
	struct mhv_segment seg = { .limit = 0xffff, .present = 1, .s = 1,
				   .type = 3 };
	/* WBINVD exiting covers WBNOINVD, RDTSCP enabling RDPID */
	u32 proc2 = SECONDARY_EXEC_ENABLE_EPT |
		    SECONDARY_EXEC_UNRESTRICTED_GUEST |
		    SECONDARY_EXEC_WBINVD_EXITING |
		    SECONDARY_EXEC_ENABLE_RDTSCP;

	if (vmx->vpid)
		proc2 |= SECONDARY_EXEC_ENABLE_VPID;
	/* without it INVPCID is #UD, though the host's CPUID offers it */
	if (vmx_has_invpcid)
		proc2 |= SECONDARY_EXEC_ENABLE_INVPCID;
	vmx_vmwrite(PIN_BASED_VM_EXEC_CONTROL,
		    vmx_adjust(MSR_IA32_VMX_PINBASED_CTLS,
			       MSR_IA32_VMX_TRUE_PINBASED_CTLS,
			       PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING |
			       PIN_BASED_VIRTUAL_NMIS |
			       (vmx_ptimer_ticks ?
				PIN_BASED_VMX_PREEMPTION_TIMER : 0)));
	vmx_vmwrite(CPU_BASED_VM_EXEC_CONTROL,
		    vmx_adjust(MSR_IA32_VMX_PROCBASED_CTLS,
			       MSR_IA32_VMX_TRUE_PROCBASED_CTLS,
			       CPU_BASED_HLT_EXITING |
			       CPU_BASED_USE_TSC_OFFSETTING |
			       CPU_BASED_MWAIT_EXITING | CPU_BASED_RDPMC_EXITING |
			       CPU_BASED_MOV_DR_EXITING |
			       CPU_BASED_CR8_LOAD_EXITING |
			       CPU_BASED_CR8_STORE_EXITING |
			       CPU_BASED_UNCOND_IO_EXITING |
			       CPU_BASED_MONITOR_EXITING |
			       CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) &
		    ~(CPU_BASED_CR3_LOAD_EXITING | CPU_BASED_CR3_STORE_EXITING));
	vmx_vmwrite(SECONDARY_VM_EXEC_CONTROL,
		    vmx_adjust(MSR_IA32_VMX_PROCBASED_CTLS2,
			       MSR_IA32_VMX_PROCBASED_CTLS2, proc2));
	vmx_vmwrite(VM_EXIT_CONTROLS,
		    vmx_adjust(MSR_IA32_VMX_EXIT_CTLS,
			       MSR_IA32_VMX_TRUE_EXIT_CTLS,
			       VM_EXIT_HOST_ADDR_SPACE_SIZE |
			       VM_EXIT_SAVE_DEBUG_CONTROLS |
			       VM_EXIT_SAVE_IA32_PAT | VM_EXIT_LOAD_IA32_PAT |
			       VM_EXIT_SAVE_IA32_EFER | VM_EXIT_LOAD_IA32_EFER));
	vmx_vmwrite(VM_ENTRY_CONTROLS,
		    vmx_adjust(MSR_IA32_VMX_ENTRY_CTLS,
			       MSR_IA32_VMX_TRUE_ENTRY_CTLS,
			       VM_ENTRY_LOAD_DEBUG_CONTROLS |
			       VM_ENTRY_LOAD_IA32_PAT |
			       VM_ENTRY_LOAD_IA32_EFER));
	/* #DB/#AC reflected (no endless delivery loop), #MC to the host */
	vmx_vmwrite(EXCEPTION_BITMAP, BIT(X86_TRAP_DB) | BIT(X86_TRAP_AC) |
					   BIT(X86_TRAP_MC));
	vmx_vmwrite(CR3_TARGET_COUNT, 0);
	vmx_vmwrite(VM_EXIT_MSR_STORE_COUNT, 0);
	vmx_vmwrite(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmx_vmwrite(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmx_vmwrite(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmx_vmwrite(VMCS_LINK_POINTER, ~0ULL);
	vmx_vmwrite(VIRTUAL_PROCESSOR_ID, vmx->vpid);
	vmx_vmwrite(EPT_POINTER, vmx_eptp(vcpu));
	vmx_vmwrite(TSC_OFFSET, 0);
	/*
	 * The guest owns CR0 but for the bits VMX fixes, and CR4 but for
	 * the bits it may not set (mhv_cr4_valid()): changing those exits.
	 */
	vmx_vmwrite(CR0_GUEST_HOST_MASK, X86_CR0_NE | X86_CR0_PE | X86_CR0_PG);
	vmx_vmwrite(CR4_GUEST_HOST_MASK, ~mhv_cr4_allowed());

	vmx_write_seg(VMX_ES, &seg);
	vmx_write_seg(VMX_SS, &seg);
	vmx_write_seg(VMX_DS, &seg);
	vmx_write_seg(VMX_FS, &seg);
	vmx_write_seg(VMX_GS, &seg);
	seg.type = 0xb;
	seg.selector = 0xf000;
	seg.base = 0xffff0000;
	vmx_write_seg(VMX_CS, &seg);
	seg = (struct mhv_segment){ .limit = 0xffff, .present = 1, .type = 2 };
	vmx_write_seg(VMX_LDTR, &seg);
	seg.type = 0xb;
	vmx_write_seg(VMX_TR, &seg);
	vmx_vmwrite(GUEST_GDTR_LIMIT, 0xffff);
	vmx_vmwrite(GUEST_IDTR_LIMIT, 0xffff);
	vmx_vmwrite(GUEST_GDTR_BASE, 0);
	vmx_vmwrite(GUEST_IDTR_BASE, 0);
	vmx_write_cr0(X86_CR0_ET);
	vmx_write_cr4(0);
	vmx_vmwrite(GUEST_CR3, 0);
	vmx_vmwrite(GUEST_DR7, 0x400);
	vmx_vmwrite(GUEST_IA32_EFER, 0);
	vmx_vmwrite(GUEST_IA32_PAT, 0x0007040600070406ULL);
	vmx_vmwrite(GUEST_IA32_DEBUGCTL, 0);
	vmx_vmwrite(GUEST_SYSENTER_CS, 0);
	vmx_vmwrite(GUEST_SYSENTER_ESP, 0);
	vmx_vmwrite(GUEST_SYSENTER_EIP, 0);
	vmx_vmwrite(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmx_vmwrite(GUEST_ACTIVITY_STATE, 0);
	vmx_vmwrite(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmx_vmwrite(GUEST_RFLAGS, 2);
	vmx_vmwrite(GUEST_RIP, 0xfff0);
	/* exits do not save the timer: each entry starts it from here */
	if (vmx_ptimer_ticks)
		vmx_vmwrite(VMX_PREEMPTION_TIMER_VALUE, vmx_ptimer_ticks);
	vmx->initialized = true;
}

/*
 * Host state that differs per CPU or per task: written at each burst,
 * on the CPU that runs it.
 */
extern char mhv_vmx_vmexit[];

/* A selector a VM exit may load: GDT, RPL 0 (else 0 and reload by hand). */
static u16 vmx_host_sel(u16 sel)
{
	return (sel & 7) ? 0 : sel;
}

/*
 * Host state that is the same for every task on a CPU (its GDT, IDT,
 * TSS, kernel GS base, SYSENTER stack; the kernel's constant selectors,
 * CR0, EFER, PAT and exit RIP): written only when the vCPU comes to
 * another CPU. Preemption off.
 */
static void vmx_write_host_cpu_state(void)
{
	struct desc_ptr gdt, idt;
	struct desc_struct *d;
	unsigned long tr_base;
	u16 tr;
	u64 v;

	vmx_vmwrite(HOST_CR0, read_cr0());
	vmx_vmwrite(HOST_CS_SELECTOR, __KERNEL_CS);
	vmx_vmwrite(HOST_SS_SELECTOR, __KERNEL_DS);
	/* data segments are reloaded by hand after the exit */
	vmx_vmwrite(HOST_DS_SELECTOR, 0);
	vmx_vmwrite(HOST_ES_SELECTOR, 0);
	store_tr(tr);
	vmx_vmwrite(HOST_TR_SELECTOR, tr);
	native_store_gdt(&gdt);
	store_idt(&idt);
	vmx_vmwrite(HOST_GDTR_BASE, gdt.address);
	vmx_vmwrite(HOST_IDTR_BASE, idt.address);
	d = (struct desc_struct *)(gdt.address + tr);
	tr_base = get_desc_base(d) |
		  ((unsigned long)((struct ldttss_desc *)d)->base3 << 32);
	vmx_vmwrite(HOST_TR_BASE, tr_base);
	rdmsrl(MSR_GS_BASE, v);
	vmx_vmwrite(HOST_GS_BASE, v);
	rdmsrl(MSR_IA32_SYSENTER_CS, v);
	vmx_vmwrite(HOST_IA32_SYSENTER_CS, v);
	rdmsrl(MSR_IA32_SYSENTER_ESP, v);
	vmx_vmwrite(HOST_IA32_SYSENTER_ESP, v);
	rdmsrl(MSR_IA32_SYSENTER_EIP, v);
	vmx_vmwrite(HOST_IA32_SYSENTER_EIP, v);
	rdmsrl(MSR_EFER, v);
	vmx_vmwrite(HOST_IA32_EFER, v);
	rdmsrl(MSR_IA32_CR_PAT, v);
	vmx_vmwrite(HOST_IA32_PAT, v);
	vmx_vmwrite(HOST_RIP, (unsigned long)mhv_vmx_vmexit);
}

/*
 * Host state of this task, at each burst: FS and GS selectors and the FS
 * base (the task's), CR3 and CR4 when they changed (vmx_update_host_crs()).
 */
static void vmx_write_host_state(struct vmx_vcpu *vmx, int cpu)
{
	if (vmx->host_cpu != cpu) {
		vmx_write_host_cpu_state();
		vmx->host_cpu = cpu;
	}
	savesegment(fs, vmx->host_fs_sel);
	savesegment(gs, vmx->host_gs_sel);
	store_ldt(vmx->host_ldt_sel);
	vmx_vmwrite(HOST_FS_SELECTOR, vmx_host_sel(vmx->host_fs_sel));
	vmx_vmwrite(HOST_GS_SELECTOR, vmx_host_sel(vmx->host_gs_sel));
	rdmsrl(MSR_FS_BASE, vmx->host_fs_base);
	vmx_vmwrite(HOST_FS_BASE, vmx->host_fs_base);
	vmx->host_debugctl = get_debugctlmsr();
	vmx->host_saved = true;
}

/*
 * CR3/CR4 may change between two entries of a burst (an interrupt or IPI
 * flushing the TLB, toggling CR4.PCE...): the exit must restore what is
 * current. Interrupts off.
 */
static void vmx_update_host_crs(struct vmx_vcpu *vmx)
{
	unsigned long cr3 = __read_cr3(), cr4 = __read_cr4();

	if (unlikely(cr3 != vmx->host_cr3)) {
		vmx->host_cr3 = cr3;
		vmx_vmwrite(HOST_CR3, cr3);
	}
	if (unlikely(cr4 != vmx->host_cr4)) {
		vmx->host_cr4 = cr4;
		vmx_vmwrite(HOST_CR4, cr4);
	}
}

/*
 * End of a burst: what a VM exit left as it should not be goes back to
 * the host's values before anything but this thread's kernel code runs
 * on this CPU: the GDT limit (0xffff after an exit: any process could
 * reach the CPU entry area with LAR/LSL), LDTR, FS and GS.
 */
static void vmx_restore_host(struct vmx_vcpu *vmx)
{
	unsigned long flags;

	if (!vmx->host_saved)
		return;
	vmx->host_saved = false;
	local_irq_save(flags);
	if (vmx->host_ldt_sel || (vmx->host_gs_sel & 7)) {
		asm volatile("lldt %0" : : "rm" (vmx->host_ldt_sel));
		load_gs_index(vmx->host_gs_sel);
		/* the user GS base is the one saved, not the descriptor's */
		wrmsrl(MSR_KERNEL_GS_BASE, vmx->host_kernel_gs);
	}
	if (vmx->host_fs_sel & 7) {
		loadsegment(fs, vmx->host_fs_sel);
		wrmsrl(MSR_FS_BASE, vmx->host_fs_base);
	}
	load_fixmap_gdt(smp_processor_id());
	local_irq_restore(flags);
}

static int vmx_vcpu_create(struct mhv_vcpu *vcpu)
{
	struct vmx_vcpu *vmx;
	unsigned long vpid;
	u32 *region;

	vmx = kzalloc(sizeof(*vmx), GFP_KERNEL_ACCOUNT);
	if (!vmx)
		return -ENOMEM;
	vmx->vmcs = mhv_alloc_pages(GFP_KERNEL_ACCOUNT, 0);
	if (!vmx->vmcs) {
		kfree(vmx);
		return -ENOMEM;
	}
	region = page_address(vmx->vmcs);
	region[0] = vmx_revision;
	vmx->vmcs_pa = page_to_phys(vmx->vmcs);
	vmx->last_cpu = -1;
	vmx->host_cpu = -1;
	vmx->flush = true;
	if (vmx_has_vpid) {
		spin_lock(&vmx_vpid_lock);
		vpid = find_first_zero_bit(vmx_vpid_bitmap, VMX_NR_VPIDS);
		if (vpid < VMX_NR_VPIDS) {
			__set_bit(vpid, vmx_vpid_bitmap);
			vmx->vpid = vpid;
		}
		spin_unlock(&vmx_vpid_lock);
	}
	vcpu->vendor = vmx;
	/* a fresh VMCS is cleared before its first VMPTRLD; then every
	 * field gets its RESET value, so accessors never see it empty
	 */
	if (!mhv_cpu_get())
		return -EIO;
	if (vmx_vmclear(vmx->vmcs_pa) || vmx_load(vmx)) {
		mhv_cpu_put();
		return -EIO;
	}
	vmx_init_vmcs(vcpu, vmx);
	vmx_put(vmx);
	mhv_cpu_put();
	return 0;
}

static void vmx_vcpu_free(struct mhv_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = vcpu->vendor;

	if (!vmx)
		return;
	if (vmx->vpid) {
		spin_lock(&vmx_vpid_lock);
		__clear_bit(vmx->vpid, vmx_vpid_bitmap);
		spin_unlock(&vmx_vpid_lock);
	}
	mhv_free_pages(vmx->vmcs, 0);
	kfree(vmx);
	vcpu->vendor = NULL;
}

/*
 * VMCS access outside a burst: load the VMCS on this CPU for the access
 * and clear it again afterwards, so it stays current nowhere. Inside a
 * burst (the fast exit handlers) it is already current. Returns 1 when
 * loaded here, 0 when already current, -EIO when VMX is off on this CPU
 * (the system is going down: kmod/hw.c).
 */
static int vmx_access_begin(struct vmx_vcpu *vmx)
{
	if (vmx->loaded)
		return 0;
	if (!mhv_cpu_get())
		return -EIO;
	if (vmx_load(vmx)) {
		mhv_cpu_put();
		return -EIO;
	}
	return 1;
}

static void vmx_access_end(struct vmx_vcpu *vmx, int loaded_here)
{
	if (loaded_here <= 0)
		return;
	vmx_put(vmx);
	mhv_cpu_put();
}

/* A CR as the guest sees it: its own bits, and the shadow's where masked. */
static u64 vmx_guest_cr(unsigned long real, unsigned long shadow,
			unsigned long mask)
{
	u64 m = vmx_vmread(mask);

	return (vmx_vmread(real) & ~m) | (vmx_vmread(shadow) & m);
}

static void vmx_do_get_sregs(struct mhv_vcpu *vcpu, struct mhv_sregs *s)
{
	struct vmx_vcpu *vmx = vcpu->vendor;

	if (!vmx->initialized)
		vmx_init_vmcs(vcpu, vmx);
	vmx_read_seg(VMX_CS, &s->cs);
	vmx_read_seg(VMX_DS, &s->ds);
	vmx_read_seg(VMX_ES, &s->es);
	vmx_read_seg(VMX_FS, &s->fs);
	vmx_read_seg(VMX_GS, &s->gs);
	vmx_read_seg(VMX_SS, &s->ss);
	vmx_read_seg(VMX_TR, &s->tr);
	vmx_read_seg(VMX_LDTR, &s->ldt);
	s->gdt.base = vmx_vmread(GUEST_GDTR_BASE);
	s->gdt.limit = vmx_vmread(GUEST_GDTR_LIMIT);
	s->idt.base = vmx_vmread(GUEST_IDTR_BASE);
	s->idt.limit = vmx_vmread(GUEST_IDTR_LIMIT);
	s->cr0 = vmx_guest_cr(GUEST_CR0, CR0_READ_SHADOW,
			      CR0_GUEST_HOST_MASK);
	s->cr2 = vmx->cr2;
	s->cr3 = vmx_vmread(GUEST_CR3);
	s->cr4 = vmx_guest_cr(GUEST_CR4, CR4_READ_SHADOW,
			      CR4_GUEST_HOST_MASK);
	s->cr8 = vmx->cr8;
	s->efer = vmx_vmread(GUEST_IA32_EFER);
}

static void vmx_get_sregs(struct mhv_vcpu *vcpu, struct mhv_sregs *s)
{
	struct vmx_vcpu *vmx = vcpu->vendor;
	int was;

	was = vmx_access_begin(vmx);
	if (was < 0)
		return;
	vmx_do_get_sregs(vcpu, s);
	vmx_access_end(vmx, was);
}

static void vmx_do_set_sregs(struct mhv_vcpu *vcpu, const struct mhv_sregs *s)
{
	struct vmx_vcpu *vmx = vcpu->vendor;
	u64 efer = mhv_efer_lma(s->efer, s->cr0);

	if (!vmx->initialized)
		vmx_init_vmcs(vcpu, vmx);
	vmx_write_seg(VMX_CS, &s->cs);
	vmx_write_seg(VMX_DS, &s->ds);
	vmx_write_seg(VMX_ES, &s->es);
	vmx_write_seg(VMX_FS, &s->fs);
	vmx_write_seg(VMX_GS, &s->gs);
	vmx_write_seg(VMX_SS, &s->ss);
	vmx_write_seg(VMX_TR, &s->tr);
	vmx_write_seg(VMX_LDTR, &s->ldt);
	vmx_vmwrite(GUEST_GDTR_BASE, s->gdt.base);
	vmx_vmwrite(GUEST_GDTR_LIMIT, s->gdt.limit);
	vmx_vmwrite(GUEST_IDTR_BASE, s->idt.base);
	vmx_vmwrite(GUEST_IDTR_LIMIT, s->idt.limit);
	vmx_write_cr0(s->cr0);
	vmx_write_cr4(s->cr4);
	vmx->cr2 = s->cr2;
	vmx->cr8 = s->cr8;
	vmx_vmwrite(GUEST_CR3, s->cr3);
	vmx_vmwrite(GUEST_IA32_EFER, efer);
	vmx_set_entry_ia32e(efer & EFER_LMA);
}

static int vmx_set_sregs(struct mhv_vcpu *vcpu, const struct mhv_sregs *s)
{
	struct vmx_vcpu *vmx = vcpu->vendor;
	int was;

	was = vmx_access_begin(vmx);
	if (was < 0)
		return was;
	vmx_do_set_sregs(vcpu, s);
	vmx_access_end(vmx, was);
	return 0;
}

/* ---- MSRs ---------------------------------------------------------------- */

static u64 *vmx_soft_msr(struct vmx_vcpu *vmx, u32 index)
{
	switch (index) {
	case MSR_STAR:			return &vmx->star;
	case MSR_LSTAR:			return &vmx->lstar;
	case MSR_CSTAR:			return &vmx->cstar;
	case MSR_SYSCALL_MASK:		return &vmx->sfmask;
	case MSR_KERNEL_GS_BASE:	return &vmx->kernel_gs_base;
	default:			return NULL;
	}
}

/* MSRs the VMCS holds, and where */
static const struct {
	u32 msr;
	u32 field;
} vmx_msr_fields[] = {
	{ MSR_EFER,		GUEST_IA32_EFER },
	{ MSR_IA32_CR_PAT,	GUEST_IA32_PAT },
	{ MSR_IA32_SYSENTER_CS,	GUEST_SYSENTER_CS },
	{ MSR_IA32_SYSENTER_ESP, GUEST_SYSENTER_ESP },
	{ MSR_IA32_SYSENTER_EIP, GUEST_SYSENTER_EIP },
	{ MSR_FS_BASE,		GUEST_ES_BASE + 2 * VMX_FS },
	{ MSR_GS_BASE,		GUEST_ES_BASE + 2 * VMX_GS },
	{ MSR_IA32_TSC,		TSC_OFFSET },
};

/* The VMCS field holding MSR @index; false if the VMCS has none. */
static bool vmx_vmcs_msr_field(u32 index, unsigned long *field)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vmx_msr_fields); i++) {
		if (vmx_msr_fields[i].msr == index) {
			*field = vmx_msr_fields[i].field;
			return true;
		}
	}
	return false;
}

static int vmx_get_msr(struct mhv_vcpu *vcpu, u32 index, u64 *data)
{
	struct vmx_vcpu *vmx = vcpu->vendor;
	u64 *soft = vmx_soft_msr(vmx, index);
	unsigned long field;
	int was;

	if (soft) {
		*data = *soft;
		return 0;
	}
	if (!vmx_vmcs_msr_field(index, &field))
		return -ENOENT;
	was = vmx_access_begin(vmx);
	if (was < 0)
		return was;
	*data = vmx_vmread(field);
	vmx_access_end(vmx, was);
	if (index == MSR_IA32_TSC)
		*data += rdtsc();
	return 0;
}

static int vmx_set_msr(struct mhv_vcpu *vcpu, u32 index, u64 data)
{
	struct vmx_vcpu *vmx = vcpu->vendor;
	u64 *soft = vmx_soft_msr(vmx, index);
	unsigned long field;
	int was;

	if (index == MSR_IA32_TSC)
		data -= rdtsc();
	if (soft) {
		*soft = data;
		return 0;
	}
	if (!vmx_vmcs_msr_field(index, &field))
		return -ENOENT;
	was = vmx_access_begin(vmx);
	if (was < 0)
		return was;
	if (index == MSR_EFER)
		data = mhv_efer_wrmsr(data, vmx_vmread(GUEST_IA32_EFER));
	vmx_vmwrite(field, data);
	vmx_access_end(vmx, was);
	return 0;
}

/* ---- the burst: load, enter, exit, decode ------------------------------- */

static void vmx_swap_msrs_in(struct vmx_vcpu *vmx)
{
	rdmsrl(MSR_STAR, vmx->host_star);
	rdmsrl(MSR_LSTAR, vmx->host_lstar);
	rdmsrl(MSR_CSTAR, vmx->host_cstar);
	rdmsrl(MSR_SYSCALL_MASK, vmx->host_sfmask);
	rdmsrl(MSR_KERNEL_GS_BASE, vmx->host_kernel_gs);
	/* checked by mhv_msr_set(); the safe forms all the same */
	wrmsrl_safe(MSR_STAR, vmx->star);
	wrmsrl_safe(MSR_LSTAR, vmx->lstar);
	wrmsrl_safe(MSR_CSTAR, vmx->cstar);
	wrmsrl_safe(MSR_SYSCALL_MASK, vmx->sfmask);
	wrmsrl_safe(MSR_KERNEL_GS_BASE, vmx->kernel_gs_base);
}

static void vmx_swap_msrs_out(struct vmx_vcpu *vmx)
{
	rdmsrl(MSR_KERNEL_GS_BASE, vmx->kernel_gs_base);
	wrmsrl(MSR_STAR, vmx->host_star);
	wrmsrl(MSR_LSTAR, vmx->host_lstar);
	wrmsrl(MSR_CSTAR, vmx->host_cstar);
	wrmsrl(MSR_SYSCALL_MASK, vmx->host_sfmask);
	wrmsrl(MSR_KERNEL_GS_BASE, vmx->host_kernel_gs);
}

/* How a basic exit reason maps onto a vendor-neutral exit (up to XSETBV). */
static const u8 vmx_exit_types[EXIT_REASON_XSETBV + 1] = {
	[EXIT_REASON_EXTERNAL_INTERRUPT]	= MHV_X_INTR,
	[EXIT_REASON_INTERRUPT_WINDOW]		= MHV_X_IRQ_WINDOW,
	[EXIT_REASON_NMI_WINDOW]		= MHV_X_NMI_WINDOW,
	[EXIT_REASON_PREEMPTION_TIMER]		= MHV_X_INTR,
	[EXIT_REASON_INIT_SIGNAL]		= MHV_X_INTR,
	[EXIT_REASON_SIPI_SIGNAL]		= MHV_X_INTR,
	[EXIT_REASON_TRIPLE_FAULT]		= MHV_X_SHUTDOWN,
	[EXIT_REASON_CPUID]			= MHV_X_CPUID,
	[EXIT_REASON_HLT]			= MHV_X_HLT,
	[EXIT_REASON_IO_INSTRUCTION]		= MHV_X_IO,
	[EXIT_REASON_MSR_READ]			= MHV_X_MSR_READ,
	[EXIT_REASON_MSR_WRITE]			= MHV_X_MSR_WRITE,
	[EXIT_REASON_EPT_VIOLATION]		= MHV_X_NPF,
	[EXIT_REASON_INVALID_STATE]		= MHV_X_FAIL_ENTRY,
	[EXIT_REASON_MSR_LOAD_FAIL]		= MHV_X_FAIL_ENTRY,
	[EXIT_REASON_MCE_DURING_VMENTRY]	= MHV_X_FAIL_ENTRY,
	[EXIT_REASON_VMCALL]			= MHV_X_UD,
	[EXIT_REASON_VMCLEAR]			= MHV_X_UD,
	[EXIT_REASON_VMLAUNCH]			= MHV_X_UD,
	[EXIT_REASON_VMPTRLD]			= MHV_X_UD,
	[EXIT_REASON_VMPTRST]			= MHV_X_UD,
	[EXIT_REASON_VMREAD]			= MHV_X_UD,
	[EXIT_REASON_VMRESUME]			= MHV_X_UD,
	[EXIT_REASON_VMWRITE]			= MHV_X_UD,
	[EXIT_REASON_VMOFF]			= MHV_X_UD,
	[EXIT_REASON_VMON]			= MHV_X_UD,
	[EXIT_REASON_MWAIT_INSTRUCTION]		= MHV_X_UD,
	[EXIT_REASON_MONITOR_INSTRUCTION]	= MHV_X_UD,
	[EXIT_REASON_INVEPT]			= MHV_X_UD,
	[EXIT_REASON_INVVPID]			= MHV_X_UD,
	[EXIT_REASON_XSETBV]			= MHV_X_UD,
	[EXIT_REASON_CR_ACCESS]			= MHV_X_CR,
	[EXIT_REASON_DR_ACCESS]			= MHV_X_DR,
	[EXIT_REASON_INVD]			= MHV_X_CACHE,	/* always exits */
	[EXIT_REASON_WBINVD]			= MHV_X_CACHE,	/* and WBNOINVD */
	[EXIT_REASON_RDPMC]			= MHV_X_RDPMC,
};

/*
 * MOV to CR0/CR4 exits when the guest changes a bit of the guest/host
 * masks, LMSW when it changes CR0.PE, MOV to/from CR8 always. Generic
 * code checks the value and calls vmx_set_cr(). Other CR accesses do
 * not exit.
 */
static void vmx_decode_cr(struct mhv_exit *exit, u64 qual)
{
	unsigned int type = FIELD_GET(CONTROL_REG_ACCESS_TYPE, qual);

	exit->mov.num = qual & MHV_VMX_CR_NUM;
	exit->mov.write = type != 1;	/* 1: MOV from CR (CR8 only) */
	exit->mov.gpr = FIELD_GET(CONTROL_REG_ACCESS_REG, qual);
	if (type == 3) {		/* LMSW */
		exit->mov.lmsw = true;
		exit->mov.val = (qual >> LMSW_SOURCE_DATA_SHIFT) & 0xffff;
	} else if (type == 2) {		/* CLTS: CR0.TS is the guest's */
		exit->type = MHV_X_UNKNOWN;
	}
}

/* #DB, #AC, #MC in the exception bitmap; NMIs are the host's. */
static void vmx_decode_exception(struct mhv_exit *exit, u64 qual)
{
	u32 info = vmx_vmread(VM_EXIT_INTR_INFO);

	if ((info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR) {
		exit->type = MHV_X_NMI;
		return;
	}
	exit->type = MHV_X_EXCEPTION;
	exit->exc.vector = info & INTR_INFO_VECTOR_MASK;
	if (info & INTR_INFO_DELIVER_CODE_MASK)
		exit->exc.error = vmx_vmread(VM_EXIT_INTR_ERROR_CODE);
	exit->exc.dr6 = qual;	/* #DB: B0-B3, BD, BS as in DR6 */
}

static void vmx_decode_exit(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	u32 reason = vmx_vmread(VM_EXIT_REASON);
	u32 basic = reason & 0xffff;
	u64 qual = vmx_vmread(EXIT_QUALIFICATION);

	memset(exit, 0, sizeof(*exit));
	exit->code = reason;
	exit->info1 = qual;
	exit->rip = vcpu->rip;
	exit->next_rip = vcpu->rip + vmx_vmread(VM_EXIT_INSTRUCTION_LEN);
	exit->nrip_hw = true;	/* the CPU gives every exit's length */
	exit->type = basic < ARRAY_SIZE(vmx_exit_types) ? vmx_exit_types[basic] : 0;

	switch (basic) {
	case EXIT_REASON_EXCEPTION_NMI:
		vmx_decode_exception(exit, qual);
		break;
	case EXIT_REASON_IO_INSTRUCTION:
		exit->io.size = (qual & MHV_VMX_IO_SIZE_MASK) + 1;
		exit->io.in = qual & MHV_VMX_IO_IN;
		exit->io.string = qual & MHV_VMX_IO_STRING;
		exit->io.rep = qual & MHV_VMX_IO_REP;
		exit->io.port = qual >> MHV_VMX_IO_PORT_SHIFT;
		exit->io.addr_size = 8;
		exit->io.seg = MHV_SEG_DS;
		break;
	case EXIT_REASON_EPT_VIOLATION:
		exit->npf.gpa = vmx_vmread(GUEST_PHYSICAL_ADDRESS);
		exit->info2 = exit->npf.gpa;
		exit->npf.write = qual & EPT_VIOLATION_ACC_WRITE;
		exit->npf.fetch = qual & EPT_VIOLATION_ACC_INSTR;
		exit->npf.present = qual & EPT_VIOLATION_RWX_MASK;
		break;
	case EXIT_REASON_EPT_MISCONFIG:
		exit->info2 = vmx_vmread(GUEST_PHYSICAL_ADDRESS);
		mhv_vm_report(vcpu->vm,
			      "EPT misconfiguration at guest-physical 0x%llx: a second-level entry is malformed\n",
			      exit->info2);
		break;
	case EXIT_REASON_CR_ACCESS:
		vmx_decode_cr(exit, qual);
		break;
	case EXIT_REASON_DR_ACCESS:
		exit->mov.num = qual & DEBUG_REG_ACCESS_NUM;
		exit->mov.write = !(qual & DEBUG_REG_ACCESS_TYPE);
		exit->mov.gpr = DEBUG_REG_ACCESS_REG(qual);
		break;
	}
	if (reason & VMX_EXIT_REASONS_FAILED_VMENTRY)
		exit->type = MHV_X_FAIL_ENTRY;
	else if (!exit->type)
		exit->type = MHV_X_UNKNOWN;
}

/* First entry of a burst on this CPU: VMCS current, host state in it. */
static int vmx_burst_begin(struct mhv_vcpu *vcpu, struct vmx_vcpu *vmx)
{
	int cpu = smp_processor_id();

	if (vmx->last_cpu != cpu && vmx->last_cpu >= 0)
		vmx->flush = true;
	if (vmx_load(vmx))
		return -EIO;
	mhv_spec_switch(vcpu);
	if (!vmx->initialized)
		vmx_init_vmcs(vcpu, vmx);
	vmx_write_host_state(vmx, cpu);
	vmx_update_host_crs(vmx);
	vmx->last_cpu = cpu;
	return 0;
}

/*
 * The event this exit interrupted is delivered again: an external
 * interrupt when generic code says (mhv_irq_redeliver()), an exception
 * or NMI at the next entry. Not a software interrupt or exception (INT
 * n, INT1, INT3, INTO): RIP still points at the instruction, which
 * simply runs again; injecting it without the instruction length would
 * return to the instruction and run the handler twice. (KVM injects it
 * with the length, for nested guests; this module has no nesting.)
 */
static void vmx_redeliver(struct mhv_vcpu *vcpu, struct vmx_vcpu *vmx)
{
	u32 info = vmx_vmread(IDT_VECTORING_INFO_FIELD);

	if (!(info & INTR_INFO_VALID_MASK))
		return;
	switch (info & INTR_INFO_INTR_TYPE_MASK) {
	case INTR_TYPE_SOFT_INTR:
	case INTR_TYPE_PRIV_SW_EXCEPTION:
	case INTR_TYPE_SOFT_EXCEPTION:
		return;
	}
	vcpu->stats[MHV_STAT_REINJECT]++;
	if ((info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_EXT_INTR) {
		mhv_irq_redeliver(vcpu, info & INTR_INFO_VECTOR_MASK);
		return;
	}
	vmx->pending_event = info & ~INTR_INFO_UNBLOCK_NMI;
	vmx->pending_errcode = vmx_vmread(IDT_VECTORING_ERROR_CODE);
	/* an NMI delivered again: the entry requires it unblocked */
	if ((info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR)
		vmx_vmwrite(GUEST_INTERRUPTIBILITY_INFO,
			    vmx_vmread(GUEST_INTERRUPTIBILITY_INFO) &
			    ~GUEST_INTR_STATE_NMI);
}

/*
 * A fault in the guest's IRET that ended an NMI handler (an exception
 * intercepted, an EPT violation on its stack) unblocked NMIs, but the
 * IRET runs again: the CPU says so (bit 12 of the exit interruption
 * information or qualification), and the blocking goes back (SDM 27.2.3).
 */
static void vmx_nmi_iret_fault(struct vmx_vcpu *vmx)
{
	u32 basic = vmx_vmread(VM_EXIT_REASON) & 0xffff;
	u32 info;
	bool unblocked;

	if (vmx_vmread(IDT_VECTORING_INFO_FIELD) & INTR_INFO_VALID_MASK)
		return;
	if (basic == EXIT_REASON_EXCEPTION_NMI) {
		info = vmx_vmread(VM_EXIT_INTR_INFO);
		unblocked = (info & INTR_INFO_VALID_MASK) &&
			    (info & INTR_INFO_UNBLOCK_NMI) &&
			    (info & INTR_INFO_VECTOR_MASK) != X86_TRAP_DF;
	} else if (basic == EXIT_REASON_EPT_VIOLATION) {
		unblocked = vmx_vmread(EXIT_QUALIFICATION) &
			    INTR_INFO_UNBLOCK_NMI;
	} else {
		return;
	}
	if (unblocked)
		vmx_vmwrite(GUEST_INTERRUPTIBILITY_INFO,
			    vmx_vmread(GUEST_INTERRUPTIBILITY_INFO) |
			    GUEST_INTR_STATE_NMI);
}

/* Interrupts off, right after the exit: what the host needs at once. */
static void vmx_after_exit(struct mhv_vcpu *vcpu, struct vmx_vcpu *vmx)
{
	u32 info;

	mhv_debug_exit(vcpu);
	if (vmx->host_debugctl)
		update_debugctlmsr(vmx->host_debugctl);
	switch (vmx_vmread(VM_EXIT_REASON) & 0xffff) {
	case EXIT_REASON_EXCEPTION_NMI:
		info = vmx_vmread(VM_EXIT_INTR_INFO);
		if (!(info & INTR_INFO_VALID_MASK))
			break;
		/* a host NMI made this exit: it is the host's, raise it again */
		if ((info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR)
			apic->send_IPI(smp_processor_id(), NMI_VECTOR);
		else if ((info & INTR_INFO_VECTOR_MASK) == X86_TRAP_MC)
			mhv_machine_check();
		break;
	case EXIT_REASON_MCE_DURING_VMENTRY:
		mhv_machine_check();
		break;
	}
}

/* GUEST_RSP/RIP/RFLAGS: only those that changed since the exit. */
static void vmx_write_guest_regs(struct mhv_vcpu *vcpu, struct vmx_vcpu *vmx)
{
	if (!vmx->regs_cached || vmx->vmcs_rsp != vcpu->regs[MHV_RSP])
		vmx_vmwrite(GUEST_RSP, vcpu->regs[MHV_RSP]);
	if (!vmx->regs_cached || vmx->vmcs_rip != vcpu->rip)
		vmx_vmwrite(GUEST_RIP, vcpu->rip);
	if (!vmx->regs_cached || vmx->vmcs_rflags != vcpu->rflags)
		vmx_vmwrite(GUEST_RFLAGS, vcpu->rflags);
	vmx->vmcs_rsp = vcpu->regs[MHV_RSP];
	vmx->vmcs_rip = vcpu->rip;
	vmx->vmcs_rflags = vcpu->rflags;
	vmx->regs_cached = true;
}

/*
 * The event for this entry; none needs no write unless the field still
 * holds one (an entry that failed before delivering it).
 */
static void vmx_write_entry_event(struct vmx_vcpu *vmx)
{
	bool valid = vmx->pending_event & INTR_INFO_VALID_MASK;

	if (valid || vmx->entry_event)
		vmx_vmwrite(VM_ENTRY_INTR_INFO_FIELD, vmx->pending_event);
	if (vmx->pending_event & INTR_INFO_DELIVER_CODE_MASK)
		vmx_vmwrite(VM_ENTRY_EXCEPTION_ERROR_CODE,
			    vmx->pending_errcode);
	vmx->entry_event = valid;
	vmx->pending_event = 0;
}

static void vmx_run(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	struct vmx_vcpu *vmx = vcpu->vendor;
	u16 ds, es;
	int fail;

	if (!vmx->loaded && vmx_burst_begin(vcpu, vmx)) {
		memset(exit, 0, sizeof(*exit));
		exit->type = MHV_X_FAIL_ENTRY;
		return;
	}
	if (READ_ONCE(vmx->flush)) {
		WRITE_ONCE(vmx->flush, false);
		vmx_invept(VMX_EPT_EXTENT_CONTEXT, vmx_eptp(vcpu));
		if (vmx->vpid)
			vmx_invvpid(VMX_VPID_EXTENT_SINGLE_CONTEXT, vmx->vpid);
	}
	vmx_write_guest_regs(vcpu, vmx);

	savesegment(ds, ds);
	savesegment(es, es);
	if (vmx->shadow_cleared) {
		vmx->shadow_cleared = false;
		vmx_vmwrite(GUEST_INTERRUPTIBILITY_INFO,
			    vmx_vmread(GUEST_INTERRUPTIBILITY_INFO) &
			    ~VMX_INTR_SHADOW);
	}
	local_irq_disable();
	/* with interrupts off: a raise from now on sends an IPI */
	mhv_inject_events(vcpu);
	/* an unrestricted guest in real mode takes no error code */
	if ((vmx->pending_event & INTR_INFO_DELIVER_CODE_MASK) &&
	    !(vmx_vmread(GUEST_CR0) & X86_CR0_PE))
		vmx->pending_event &= ~INTR_INFO_DELIVER_CODE_MASK;
	vmx_write_entry_event(vmx);
	vmx_update_host_crs(vmx);
	vmx_swap_msrs_in(vmx);
	if (native_read_cr2() != vmx->cr2)
		native_write_cr2(vmx->cr2);
	mhv_debug_enter(vcpu);
	vmx_l1d_flush();
	fail = mhv_vmx_vmenter(vcpu->regs, vmx->launched);
	vmx->cr2 = native_read_cr2();
	vmx_swap_msrs_out(vmx);
	/* a VM exit leaves the TSS limit at 0x67 and DS/ES at 0 */
	invalidate_tss_limit();
	loadsegment(ds, ds);
	loadsegment(es, es);
	if (!fail)
		vmx_after_exit(vcpu, vmx);
	else
		mhv_debug_exit(vcpu);
	local_irq_enable();

	if (fail) {
		memset(exit, 0, sizeof(*exit));
		exit->type = MHV_X_FAIL_ENTRY;
		exit->code = vmx_vmread(VM_INSTRUCTION_ERROR);
		exit->rip = vcpu->rip;
		return;
	}
	vmx->launched = true;
	vmx->entry_event = false;	/* the exit cleared its valid bit */
	vcpu->regs[MHV_RSP] = vmx_vmread(GUEST_RSP);
	vcpu->rip = vmx_vmread(GUEST_RIP);
	vcpu->rflags = vmx_vmread(GUEST_RFLAGS);
	vmx->vmcs_rsp = vcpu->regs[MHV_RSP];
	vmx->vmcs_rip = vcpu->rip;
	vmx->vmcs_rflags = vcpu->rflags;
	vmx->regs_cached = true;
	vmx_redeliver(vcpu, vmx);
	vmx_nmi_iret_fault(vmx);
	vmx_decode_exit(vcpu, exit);
}

/* End of a burst: the VMCS goes back to memory, the host state back. */
static void vmx_run_done(struct mhv_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = vcpu->vendor;

	if (vmx->loaded)
		vmx->intr_state = vmx_vmread(GUEST_INTERRUPTIBILITY_INFO);
	vmx_put(vmx);
	vmx_restore_host(vmx);
}

static void vmx_queue_exception(struct mhv_vcpu *vcpu, u8 vector,
				bool has_error, u32 error)
{
	struct vmx_vcpu *vmx = vcpu->vendor;

	vmx->pending_event = vector | INTR_TYPE_HARD_EXCEPTION |
			     INTR_INFO_VALID_MASK;
	if (has_error)
		vmx->pending_event |= INTR_INFO_DELIVER_CODE_MASK;
	vmx->pending_errcode = error;
}

static bool vmx_event_pending(struct mhv_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = vcpu->vendor;

	return vmx->pending_event & INTR_INFO_VALID_MASK;
}

/* Interruptibility: the VMCS's inside a burst, else as the last left it. */
static u32 vmx_intr_state(struct vmx_vcpu *vmx)
{
	return vmx->loaded ? vmx_vmread(GUEST_INTERRUPTIBILITY_INFO) :
			     vmx->intr_state;
}

static bool vmx_irq_shadow(struct mhv_vcpu *vcpu)
{
	return vmx_intr_state(vcpu->vendor) & VMX_INTR_SHADOW;
}

/* Inside a burst at once, else at the next entry (vmx_run()). */
static void vmx_clear_irq_shadow(struct mhv_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = vcpu->vendor;

	if (!vmx_irq_shadow(vcpu))
		return;
	vmx->intr_state &= ~VMX_INTR_SHADOW;
	if (vmx->loaded)
		vmx_vmwrite(GUEST_INTERRUPTIBILITY_INFO,
			    vmx_vmread(GUEST_INTERRUPTIBILITY_INFO) &
			    ~VMX_INTR_SHADOW);
	else
		vmx->shadow_cleared = true;
}

/*
 * Only with RFLAGS.IF set, which the entry checks for an external
 * interrupt (SDM 26.3.1.4): generic code injects no other.
 */
static void vmx_inject_irq(struct mhv_vcpu *vcpu, u8 vector)
{
	struct vmx_vcpu *vmx = vcpu->vendor;

	vmx->pending_event = vector | INTR_TYPE_EXT_INTR | INTR_INFO_VALID_MASK;
}

/*
 * A window exiting control (@ctl), whose state @cur remembers; the VMCS
 * is current (inside a burst).
 */
static void vmx_window(bool *cur, u32 ctl, bool on)
{
	u32 procs;

	if (*cur == on)
		return;
	*cur = on;
	procs = vmx_vmread(CPU_BASED_VM_EXEC_CONTROL);
	if (on)
		procs |= ctl;
	else
		procs &= ~ctl;
	vmx_vmwrite(CPU_BASED_VM_EXEC_CONTROL, procs);
}

/* Interrupt-window exiting. */
static void vmx_irq_window(struct mhv_vcpu *vcpu, bool on)
{
	struct vmx_vcpu *vmx = vcpu->vendor;

	vmx_window(&vmx->irq_window, CPU_BASED_INTR_WINDOW_EXITING, on);
}

/* Virtual-NMI blocking: from the NMI's delivery to the guest's IRET. */
static bool vmx_nmi_blocked(struct mhv_vcpu *vcpu)
{
	return vmx_intr_state(vcpu->vendor) & GUEST_INTR_STATE_NMI;
}

static void vmx_inject_nmi(struct mhv_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = vcpu->vendor;

	vmx->pending_event = X86_TRAP_NMI | INTR_TYPE_NMI_INTR |
			     INTR_INFO_VALID_MASK;
}

/* NMI-window exiting. */
static void vmx_nmi_window(struct mhv_vcpu *vcpu, bool on)
{
	struct vmx_vcpu *vmx = vcpu->vendor;

	vmx_window(&vmx->nmi_window, CPU_BASED_NMI_WINDOW_EXITING, on);
}

/* INIT: no event, no blocking (STI, MOV SS, NMI), activity state active. */
static void vmx_init_events(struct mhv_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = vcpu->vendor;
	int was;

	vmx->pending_event = 0;
	vmx->intr_state = 0;
	vmx->shadow_cleared = false;
	was = vmx_access_begin(vmx);
	if (was < 0)
		return;
	vmx_vmwrite(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmx_vmwrite(GUEST_ACTIVITY_STATE, 0);
	vmx_vmwrite(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmx_access_end(vmx, was);
}

static void vmx_flush_tlb(struct mhv_vcpu *vcpu)
{
	struct vmx_vcpu *vmx = vcpu->vendor;

	WRITE_ONCE(vmx->flush, true);
}

/* A guest CR0/CR4 write generic code checked; EFER.LMA follows CR0.PG. */
static void vmx_set_cr(struct mhv_vcpu *vcpu, int cr, u64 val)
{
	struct vmx_vcpu *vmx = vcpu->vendor;
	bool was;
	u64 efer;

	if (cr == 8) {
		vmx->cr8 = val;
		return;
	}
	was = vmx_access_begin(vmx);
	if (cr == 4) {
		vmx_write_cr4(val);
	} else {
		efer = mhv_efer_lma(vmx_vmread(GUEST_IA32_EFER), val);
		vmx_write_cr0(val);
		vmx_vmwrite(GUEST_IA32_EFER, efer);
		vmx_set_entry_ia32e(efer & EFER_LMA);
	}
	vmx_access_end(vmx, was);
	vmx_flush_tlb(vcpu);
}

static void vmx_set_dr7(struct mhv_vcpu *vcpu, u64 val)
{
	struct vmx_vcpu *vmx = vcpu->vendor;
	bool was = vmx_access_begin(vmx);

	vmx_vmwrite(GUEST_DR7, val);
	vmx_access_end(vmx, was);
}

/* ---- dump ---------------------------------------------------------------- */

#define DUMP(fmt, ...) \
	(len += scnprintf(buf + len, size - len, fmt "\n", ##__VA_ARGS__))

static const char *const vmx_seg_names[VMX_NR_SEGS] = {
	"es", "cs", "ss", "ds", "fs", "gs", "ldtr", "tr",
};

/* Host-side: the VMCS address, the EPT pointer and the whole host state. */
#define HOST(val)	mhv_dump_host(show_host, (val))
#define HOST_FIELD(f)	HOST(vmx_vmread(f))

static size_t vmx_dump_host(char *buf, size_t size, bool show_host)
{
	size_t len = 0;

	DUMP("host state:");
	DUMP("  cr0=0x%llx cr3=0x%llx cr4=0x%llx efer=0x%llx pat=0x%llx",
	     HOST_FIELD(HOST_CR0), HOST_FIELD(HOST_CR3),
	     HOST_FIELD(HOST_CR4), HOST_FIELD(HOST_IA32_EFER),
	     HOST_FIELD(HOST_IA32_PAT));
	DUMP("  cs=0x%llx ss=0x%llx tr=0x%llx tr_base=0x%llx",
	     HOST_FIELD(HOST_CS_SELECTOR), HOST_FIELD(HOST_SS_SELECTOR),
	     HOST_FIELD(HOST_TR_SELECTOR), HOST_FIELD(HOST_TR_BASE));
	DUMP("  fs_base=0x%llx gs_base=0x%llx gdtr=0x%llx idtr=0x%llx",
	     HOST_FIELD(HOST_FS_BASE), HOST_FIELD(HOST_GS_BASE),
	     HOST_FIELD(HOST_GDTR_BASE), HOST_FIELD(HOST_IDTR_BASE));
	DUMP("  rip=0x%llx rsp=0x%llx", HOST_FIELD(HOST_RIP),
	     HOST_FIELD(HOST_RSP));
	return len;
}

static size_t vmx_do_dump(struct mhv_vcpu *vcpu, char *buf, size_t size,
			  bool show_host)
{
	struct vmx_vcpu *vmx = vcpu->vendor;
	size_t len = 0;
	int i;

	DUMP("VMCS of vCPU %u (VM \"%s\"), physical address 0x%llx, VPID %u",
	     vcpu->id, vcpu->vm->config.name, HOST(vmx->vmcs_pa), vmx->vpid);
	DUMP("control fields:");
	DUMP("  pin=0x%08llx proc=0x%08llx proc2=0x%08llx",
	     vmx_vmread(PIN_BASED_VM_EXEC_CONTROL),
	     vmx_vmread(CPU_BASED_VM_EXEC_CONTROL),
	     vmx_vmread(SECONDARY_VM_EXEC_CONTROL));
	DUMP("  exit=0x%08llx entry=0x%08llx exception_bitmap=0x%08llx",
	     vmx_vmread(VM_EXIT_CONTROLS), vmx_vmread(VM_ENTRY_CONTROLS),
	     vmx_vmread(EXCEPTION_BITMAP));
	DUMP("  ept_pointer=0x%llx tsc_offset=0x%llx vpid=%llu",
	     HOST_FIELD(EPT_POINTER), vmx_vmread(TSC_OFFSET),
	     vmx_vmread(VIRTUAL_PROCESSOR_ID));
	DUMP("  cr0 mask=0x%llx shadow=0x%llx  cr4 mask=0x%llx shadow=0x%llx",
	     vmx_vmread(CR0_GUEST_HOST_MASK),
	     vmx_vmread(CR0_READ_SHADOW),
	     vmx_vmread(CR4_GUEST_HOST_MASK),
	     vmx_vmread(CR4_READ_SHADOW));
	DUMP("  entry_intr_info=0x%llx entry_errcode=0x%llx link_pointer=0x%llx",
	     vmx_vmread(VM_ENTRY_INTR_INFO_FIELD),
	     vmx_vmread(VM_ENTRY_EXCEPTION_ERROR_CODE),
	     vmx_vmread(VMCS_LINK_POINTER));
	DUMP("exit information:");
	DUMP("  exit_reason=0x%llx qualification=0x%llx instruction_error=%llu",
	     vmx_vmread(VM_EXIT_REASON), vmx_vmread(EXIT_QUALIFICATION),
	     vmx_vmread(VM_INSTRUCTION_ERROR));
	DUMP("  intr_info=0x%llx idt_vectoring=0x%llx insn_len=%llu gpa=0x%llx",
	     vmx_vmread(VM_EXIT_INTR_INFO),
	     vmx_vmread(IDT_VECTORING_INFO_FIELD),
	     vmx_vmread(VM_EXIT_INSTRUCTION_LEN),
	     vmx_vmread(GUEST_PHYSICAL_ADDRESS));
	DUMP("guest state:");
	for (i = 0; i < VMX_NR_SEGS; i++)
		DUMP("  %-5s sel=0x%04llx ar=0x%05llx limit=0x%08llx base=0x%016llx",
		     vmx_seg_names[i], vmx_vmread(GUEST_ES_SELECTOR + 2 * i),
		     vmx_vmread(GUEST_ES_AR_BYTES + 2 * i),
		     vmx_vmread(GUEST_ES_LIMIT + 2 * i),
		     vmx_vmread(GUEST_ES_BASE + 2 * i));
	DUMP("  gdtr base=0x%llx limit=0x%llx  idtr base=0x%llx limit=0x%llx",
	     vmx_vmread(GUEST_GDTR_BASE), vmx_vmread(GUEST_GDTR_LIMIT),
	     vmx_vmread(GUEST_IDTR_BASE), vmx_vmread(GUEST_IDTR_LIMIT));
	DUMP("  cr0=0x%llx cr3=0x%llx cr4=0x%llx efer=0x%llx",
	     vmx_vmread(GUEST_CR0), vmx_vmread(GUEST_CR3),
	     vmx_vmread(GUEST_CR4), vmx_vmread(GUEST_IA32_EFER));
	DUMP("  rip=0x%llx rsp=0x%llx rflags=0x%llx dr7=0x%llx",
	     vmx_vmread(GUEST_RIP), vmx_vmread(GUEST_RSP),
	     vmx_vmread(GUEST_RFLAGS), vmx_vmread(GUEST_DR7));
	DUMP("  interruptibility=0x%llx activity=%llu pending_dbg=0x%llx pat=0x%llx",
	     vmx_vmread(GUEST_INTERRUPTIBILITY_INFO),
	     vmx_vmread(GUEST_ACTIVITY_STATE),
	     vmx_vmread(GUEST_PENDING_DBG_EXCEPTIONS), vmx_vmread(GUEST_IA32_PAT));
	len += vmx_dump_host(buf + len, size - len, show_host);
	return len;
}

#undef HOST_FIELD
#undef HOST

static size_t vmx_dump(struct mhv_vcpu *vcpu, char *buf, size_t size,
		       bool show_host)
{
	struct vmx_vcpu *vmx = vcpu->vendor;
	size_t len;
	int was;

	was = vmx_access_begin(vmx);
	if (was < 0)
		return scnprintf(buf, size, "VMCS not readable: VMX is off\n");
	len = vmx_do_dump(vcpu, buf, size, show_host);
	vmx_access_end(vmx, was);
	return len;
}

/* ---- EPT entries --------------------------------------------------------- */

static u64 ept_table(phys_addr_t table)
{
	return table | VMX_EPT_RWX_MASK;
}

static u64 ept_leaf(phys_addr_t pa, u32 prot, int level)
{
	u64 e = pa | VMX_EPT_READABLE_MASK |
		(MTRR_TYPE_WRBACK << VMX_EPT_MT_EPTE_SHIFT);

	if (prot & MHV_SPTE_W)
		e |= VMX_EPT_WRITABLE_MASK;
	if (prot & MHV_SPTE_X)
		e |= VMX_EPT_EXECUTABLE_MASK;
	if (level > 1)
		e |= MHV_EPT_LARGE;
	return e;
}

static bool ept_present(u64 e)
{
	return e & VMX_EPT_RWX_MASK;
}

static bool ept_is_leaf(u64 e, int level)
{
	return level == 1 || (e & MHV_EPT_LARGE);
}

static phys_addr_t ept_addr(u64 e)
{
	return e & MHV_EPT_ADDR_MASK;
}

static u32 ept_prot(u64 e)
{
	u32 prot = 0;

	if (e & VMX_EPT_READABLE_MASK)
		prot |= MHV_PROT_READ;
	if (e & VMX_EPT_WRITABLE_MASK)
		prot |= MHV_PROT_WRITE;
	if (e & VMX_EPT_EXECUTABLE_MASK)
		prot |= MHV_PROT_EXEC;
	return prot;
}

static const struct mhv_spte_ops ept_ops = {
	.table		= ept_table,
	.leaf		= ept_leaf,
	.present	= ept_present,
	.is_leaf	= ept_is_leaf,
	.addr		= ept_addr,
	.prot		= ept_prot,
};

/* The barriers of mhv_vmx_vmenter() and vmx_l1d_flush() in force. */
static int vmx_spec_barriers(char *buf, size_t size)
{
	int n = 0;

	if (vmx_l1d_flush_wanted())
		n += scnprintf(buf + n, size - n, "l1d-flush-before-entry ");
	if (boot_cpu_has(X86_FEATURE_RSB_VMEXIT))
		n += scnprintf(buf + n, size - n, "rsb-fill-after-exit ");
	else if (boot_cpu_has(X86_FEATURE_RSB_VMEXIT_LITE))
		n += scnprintf(buf + n, size - n, "rsb-fill-lite-after-exit ");
	if (boot_cpu_has(X86_FEATURE_CLEAR_BHB_LOOP_ON_VMEXIT))
		n += scnprintf(buf + n, size - n, "bhb-clear-after-exit ");
	return n;
}

const struct mhv_vendor_ops mhv_vmx_ops = {
	.name			= "vmx",
	.virt			= MHV_VIRT_VMX,
	.probe			= vmx_probe,
	.hardware_setup		= vmx_hardware_setup,
	.hardware_unsetup	= vmx_hardware_unsetup,
	.cpu_enable		= vmx_cpu_enable,
	.cpu_disable		= vmx_cpu_disable,
	.cpu_emergency_disable	= vmx_cpu_emergency_disable,
	.cpu_hw_enabled		= vmx_enabled_here,
	.vcpu_create		= vmx_vcpu_create,
	.vcpu_free		= vmx_vcpu_free,
	.run			= vmx_run,
	.run_done		= vmx_run_done,
	.get_sregs		= vmx_get_sregs,
	.set_sregs		= vmx_set_sregs,
	.get_msr		= vmx_get_msr,
	.set_msr		= vmx_set_msr,
	.queue_exception	= vmx_queue_exception,
	.event_pending		= vmx_event_pending,
	.irq_shadow		= vmx_irq_shadow,
	.clear_irq_shadow	= vmx_clear_irq_shadow,
	.inject_irq		= vmx_inject_irq,
	.irq_window		= vmx_irq_window,
	.nmi_blocked		= vmx_nmi_blocked,
	.inject_nmi		= vmx_inject_nmi,
	.nmi_window		= vmx_nmi_window,
	.init_events		= vmx_init_events,
	.set_cr			= vmx_set_cr,
	.set_dr7		= vmx_set_dr7,
	.flush_tlb		= vmx_flush_tlb,
	.dump			= vmx_dump,
	.spte			= &ept_ops,
	.spec_barriers		= vmx_spec_barriers,
};
