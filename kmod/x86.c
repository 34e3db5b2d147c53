// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - x86 architectural rules that do not depend on the backend.
 *
 * The backends decode; the handlers here decide: which CR0/CR4/EFER
 * values a guest may hold (a bit whose host state is not switched is
 * refused, so the guest can never reach that host state), MOV to a
 * control register, the guest's debug registers (emulated, and in the
 * CPU only while the guest runs with a breakpoint enabled), intercepted
 * exceptions (#DB, #AC: reflected to the guest, so a guest cannot keep
 * a host CPU in an endless delivery loop; #MC: the host's handler),
 * instructions a guest may not run natively (INVD, WBINVD, RDPMC) and
 * IA32_TSC_AUX, which neither vendor switches.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <asm/cpufeature.h>
#include <asm/debugreg.h>
#include <asm/hw_breakpoint.h>
#include <asm/mce.h>
#include <asm/msr.h>
#include <asm/nospec-branch.h>
#include <asm/processor-flags.h>
#include <asm/ptrace.h>
#include <asm/trapnr.h>

#include "mhv.h"

/*
 * DR6 bits the CPU reports for a #DB; the others read as fixed values.
 * (DR6_BD and DR7_FIXED_1 exist only in KVM's own header on Linux 6.1.)
 */
#define MHV_DR6_BD		BIT(13)
#define MHV_DR6_STATUS		(DR_TRAP_BITS | MHV_DR6_BD | DR_STEP | DR_SWITCH)
#define MHV_DR7_FIXED_1		BIT(10)
#define MHV_DR7_ENABLES		(DR_LOCAL_ENABLE_MASK | DR_GLOBAL_ENABLE_MASK)
/* DR7 bits 11, 12, 14 and 15 are reserved and read as zero */
#define MHV_DR7_VALID		(~0xd800ULL & 0xffffffffULL)

/* ---- CR0, CR4, EFER -------------------------------------------------------- */

/*
 * CR4 bits a guest may set: each either needs no host state switched or
 * has its state switched by the module. Never: VMXE/SMXE (no nested
 * virtualization), OSXSAVE (only the x87/SSE state is switched, so the
 * guest would reach the host's AVX/AVX-512 registers and XCR0), PKE (the
 * host's PKRU is not switched), CET and PKS (their MSRs are the host's).
 */
u64 mhv_cr4_allowed(void)
{
	u64 ok = X86_CR4_VME | X86_CR4_PVI | X86_CR4_TSD | X86_CR4_DE |
		 X86_CR4_PSE | X86_CR4_PAE | X86_CR4_MCE | X86_CR4_PGE |
		 X86_CR4_PCE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;

	if (boot_cpu_has(X86_FEATURE_UMIP))
		ok |= X86_CR4_UMIP;
	if (boot_cpu_has(X86_FEATURE_LA57))
		ok |= X86_CR4_LA57;
	if (boot_cpu_has(X86_FEATURE_FSGSBASE))
		ok |= X86_CR4_FSGSBASE;
	if (boot_cpu_has(X86_FEATURE_PCID))
		ok |= X86_CR4_PCIDE;
	if (boot_cpu_has(X86_FEATURE_SMEP))
		ok |= X86_CR4_SMEP;
	if (boot_cpu_has(X86_FEATURE_SMAP))
		ok |= X86_CR4_SMAP;
	return ok;
}

bool mhv_cr4_valid(u64 cr4)
{
	return !(cr4 & ~mhv_cr4_allowed());
}

/* Bits 63:32 are reserved; paging needs protection; NW needs CD. */
bool mhv_cr0_valid(u64 cr0)
{
	if (cr0 >> 32)
		return false;
	if ((cr0 & X86_CR0_PG) && !(cr0 & X86_CR0_PE))
		return false;
	return !((cr0 & X86_CR0_NW) && !(cr0 & X86_CR0_CD));
}

bool mhv_efer_valid(u64 efer)
{
	u64 ok = EFER_SCE | EFER_LME | EFER_LMA | EFER_NX;

	if (boot_cpu_has(X86_FEATURE_FXSR_OPT))
		ok |= EFER_FFXSR;
	return !(efer & ~ok);
}

/* EFER with LMA as the CPU sets it: long mode is LME with paging on. */
u64 mhv_efer_lma(u64 efer, u64 cr0)
{
	efer &= ~EFER_LMA;
	if ((efer & EFER_LME) && (cr0 & X86_CR0_PG))
		efer |= EFER_LMA;
	return efer;
}

/* A WRMSR to EFER (checked by mhv_msr_set()) cannot change LMA. */
u64 mhv_efer_wrmsr(u64 val, u64 old)
{
	return (val & ~EFER_LMA) | (old & EFER_LMA);
}

/* The CPL of a state: CS.DPL in protected mode, 0 in real mode. */
u8 mhv_cpl(const struct mhv_sregs *s)
{
	return (s->cr0 & X86_CR0_PE) ? s->cs.dpl & 3 : 0;
}

/* Long mode with paging needs PAE paging. */
static bool mhv_paging_valid(u64 cr0, u64 cr4, u64 efer)
{
	return !((efer & EFER_LME) && (cr0 & X86_CR0_PG) &&
		 !(cr4 & X86_CR4_PAE));
}

/* What MHV_SET_SREGS may load, whichever backend holds it. */
int mhv_sregs_check(const struct mhv_sregs *s)
{
	if (!mhv_cr0_valid(s->cr0) || !mhv_cr4_valid(s->cr4) ||
	    !mhv_efer_valid(s->efer) ||
	    !mhv_paging_valid(s->cr0, s->cr4, s->efer))
		return -EINVAL;
	return 0;
}

/* Is the guest in 64-bit mode (operands of MOV CR/DR are 64-bit)? */
static bool mhv_mode64(const struct mhv_sregs *s)
{
	return (s->efer & EFER_LMA) && s->cs.l;
}

/* The new value of a MOV to CR0/CR4 or LMSW; false: #GP. */
static bool mhv_cr_new_value(const struct mhv_sregs *s,
			     const struct mhv_exit *exit, u64 *val)
{
	bool lma = s->efer & EFER_LMA;

	if (exit->mov.num == 0) {
		if (exit->mov.lmsw)	/* PE, MP, EM, TS; LMSW cannot clear PE */
			*val = (s->cr0 & ~0xeULL) | (exit->mov.val & 0xf);
		return mhv_cr0_valid(*val) &&
		       mhv_paging_valid(*val, s->cr4, s->efer) &&
		       !(lma && !(*val & X86_CR0_PG) && s->cs.l);
	}
	if (!mhv_cr4_valid(*val))
		return false;
	if (lma && (!(*val & X86_CR4_PAE) ||
		    ((*val ^ s->cr4) & X86_CR4_LA57)))
		return false;
	return !(!lma && (*val & X86_CR4_PCIDE) && !(s->cr4 & X86_CR4_PCIDE));
}

/*
 * The register and length of a MOV to/from CRn/DRn: as the CPU described
 * them (decode assists and NRIP save; always on VT-x), else decoded from
 * the instruction in guest memory.
 */
static int mhv_mov_operands(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	if (exit->mov.gpr != MHV_GPR_UNKNOWN && exit->next_rip) {
		vcpu->stats[MHV_STAT_INSN_ASSIST]++;
		return 0;
	}
	return mhv_decode_mov_crdr(vcpu, exit);
}

/* CR8, the task priority, emulated where the backend intercepts it. */
static int mhv_handle_cr8(struct mhv_vcpu *vcpu, struct mhv_exit *exit,
			  const struct mhv_sregs *s)
{
	u64 *reg = &vcpu->regs[exit->mov.gpr];

	if (exit->mov.write && (*reg & ~0xfULL)) {
		vcpu->stats[MHV_STAT_CR_GP]++;
		mhv_vendor->queue_exception(vcpu, X86_TRAP_GP, true, 0);
		return MHV_RESUME;
	}
	if (exit->mov.write)
		mhv_vendor->set_cr(vcpu, 8, *reg);
	else
		*reg = s->cr8;
	mhv_skip_insn(vcpu, exit);
	return MHV_RESUME;
}

/**
 * mhv_handle_cr() - a guest MOV to CR0/CR4/CR8, from CR8, or LMSW the
 * backend intercepted: checked here, applied by the backend, or #GP.
 * @vcpu: the vCPU that exited
 * @exit: MHV_X_CR
 */
int mhv_handle_cr(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	struct mhv_sregs s;
	u64 val = 0;

	vcpu->stats[MHV_STAT_CR_WRITE]++;
	if (!exit->mov.lmsw && mhv_mov_operands(vcpu, exit))
		return mhv_internal_error(vcpu, exit,
			"cannot decode the MOV to a control register");
	memset(&s, 0, sizeof(s));
	mhv_vendor->get_sregs(vcpu, &s);
	if (exit->mov.num == 8)
		return mhv_handle_cr8(vcpu, exit, &s);
	if ((exit->mov.num != 0 && exit->mov.num != 4) || !exit->mov.write)
		return mhv_internal_error(vcpu, exit,
			"a control register access the module does not intercept");
	if (!exit->mov.lmsw) {
		val = vcpu->regs[exit->mov.gpr];
		if (!mhv_mode64(&s))
			val = (u32)val;
	}
	if (!mhv_cr_new_value(&s, exit, &val)) {
		vcpu->stats[MHV_STAT_CR_GP]++;
		mhv_vendor->queue_exception(vcpu, X86_TRAP_GP, true, 0);
		return MHV_RESUME;
	}
	mhv_vendor->set_cr(vcpu, exit->mov.num, val);
	mhv_skip_insn(vcpu, exit);
	return MHV_RESUME;
}

/* ---- debug registers ------------------------------------------------------- */

static int mhv_dr_write(struct mhv_vcpu *vcpu, u8 dr, u64 val)
{
	if (dr < 4) {
		vcpu->db[dr] = val;
		return 0;
	}
	if (val >> 32)
		return -EINVAL;
	if (dr == 6) {
		vcpu->dr6 = (val & MHV_DR6_STATUS) | DR6_RESERVED;
		return 0;
	}
	vcpu->dr7 = (val & MHV_DR7_VALID) | MHV_DR7_FIXED_1;
	mhv_vendor->set_dr7(vcpu, vcpu->dr7);
	return 0;
}

/**
 * mhv_handle_dr() - a guest MOV to or from DR0-DR7, emulated: the guest
 * never reads or writes the host's debug registers.
 * @vcpu: the vCPU that exited
 * @exit: MHV_X_DR
 */
int mhv_handle_dr(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	struct mhv_sregs s;
	u8 dr = exit->mov.num;
	u64 *reg, val;

	vcpu->stats[MHV_STAT_DR_ACCESS]++;
	if (mhv_mov_operands(vcpu, exit))
		return mhv_internal_error(vcpu, exit,
			"cannot decode the MOV to/from a debug register");
	memset(&s, 0, sizeof(s));
	mhv_vendor->get_sregs(vcpu, &s);
	if (dr == 4 || dr == 5) {
		if (s.cr4 & X86_CR4_DE) {
			mhv_vendor->queue_exception(vcpu, X86_TRAP_UD, false, 0);
			return MHV_RESUME;
		}
		dr += 2;		/* aliases of DR6 and DR7 */
	}
	if (dr > 7)
		return mhv_internal_error(vcpu, exit, "bad debug register");
	reg = &vcpu->regs[exit->mov.gpr];
	if (exit->mov.write) {
		val = mhv_mode64(&s) ? *reg : (u32)*reg;
		if (mhv_dr_write(vcpu, dr, val)) {
			mhv_vendor->queue_exception(vcpu, X86_TRAP_GP, true, 0);
			return MHV_RESUME;
		}
	} else {
		val = dr < 4 ? vcpu->db[dr] : dr == 6 ? vcpu->dr6 : vcpu->dr7;
		*reg = mhv_mode64(&s) ? val : (u32)val;
	}
	mhv_skip_insn(vcpu, exit);
	return MHV_RESUME;
}

/**
 * mhv_debug_enter() - put the guest's DR0-DR3 in the CPU when its DR7
 * enables a breakpoint. Interrupts off, right before the entry.
 * @vcpu: the vCPU about to enter
 */
void mhv_debug_enter(struct mhv_vcpu *vcpu)
{
	if (likely(!(vcpu->dr7 & MHV_DR7_ENABLES)))
		return;
	set_debugreg(0, 7);	/* no host breakpoint on guest addresses */
	set_debugreg(vcpu->db[0], 0);
	set_debugreg(vcpu->db[1], 1);
	set_debugreg(vcpu->db[2], 2);
	set_debugreg(vcpu->db[3], 3);
}

/**
 * mhv_debug_exit() - give the CPU's debug registers back to the host
 * after an exit (VM exits leave DR7 at 0x400 on VT-x; the guest's
 * DR0-DR3 may be in the CPU). Interrupts off, right after the exit.
 * @vcpu: the vCPU that exited
 */
void mhv_debug_exit(struct mhv_vcpu *vcpu)
{
	if (hw_breakpoint_active())
		hw_breakpoint_restore();
	else if (unlikely(vcpu->dr7 & MHV_DR7_ENABLES))
		set_debugreg(MHV_DR7_FIXED_1, 7);
}

/* ---- intercepted exceptions and instructions ------------------------------ */

/**
 * mhv_handle_exception() - #DB and #AC are the guest's (reflected with
 * their status), #MC is the host's.
 * @vcpu: the vCPU that exited
 * @exit: MHV_X_EXCEPTION
 */
int mhv_handle_exception(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	switch (exit->exc.vector) {
	case X86_TRAP_DB:
		vcpu->stats[MHV_STAT_DB]++;
		vcpu->dr6 = (vcpu->dr6 & ~MHV_DR6_STATUS) |
			    (exit->exc.dr6 & MHV_DR6_STATUS) | DR6_RESERVED;
		mhv_vendor->queue_exception(vcpu, X86_TRAP_DB, false, 0);
		return MHV_RESUME;
	case X86_TRAP_AC:
		vcpu->stats[MHV_STAT_AC]++;
		mhv_vendor->queue_exception(vcpu, X86_TRAP_AC, true, 0);
		return MHV_RESUME;
	case X86_TRAP_MC:	/* the backend ran mhv_machine_check() */
		vcpu->stats[MHV_STAT_MC]++;
		return MHV_RESUME;
	}
	return mhv_internal_error(vcpu, exit, "unexpected exception intercept");
}

/* INVD, WBINVD, WBNOINVD: guest memory is the host's, always coherent. */
int mhv_handle_cache(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	vcpu->stats[MHV_STAT_CACHE]++;
	if (!exit->next_rip && mhv_decode_mov_crdr(vcpu, exit))
		return mhv_internal_error(vcpu, exit,
			"cannot decode the cache instruction");
	mhv_skip_insn(vcpu, exit);
	return MHV_RESUME;
}

/* No performance counters are virtualized: RDPMC faults as without. */
int mhv_handle_rdpmc(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	vcpu->stats[MHV_STAT_RDPMC]++;
	mhv_vendor->queue_exception(vcpu, X86_TRAP_GP, true, 0);
	return MHV_RESUME;
}

/* ---- IA32_TSC_AUX ------------------------------------------------------------ */

static bool mhv_has_tsc_aux(void)
{
	return boot_cpu_has(X86_FEATURE_RDTSCP) ||
	       boot_cpu_has(X86_FEATURE_RDPID);
}

/**
 * mhv_tsc_aux_enter() - the guest's TSC_AUX in the CPU for a burst.
 * @vcpu: the vCPU about to run
 * @host: where the host's value is kept until mhv_tsc_aux_exit()
 *
 * Preemption off. The host kernel itself does not read TSC_AUX (its
 * paranoid entry uses LSL, not RDPID); host userspace (getcpu, RDTSCP)
 * only runs after the burst, when the host's value is back.
 */
void mhv_tsc_aux_enter(struct mhv_vcpu *vcpu, u64 *host)
{
	*host = 0;
	if (!mhv_has_tsc_aux())
		return;
	rdmsrl(MSR_TSC_AUX, *host);
	if (*host != vcpu->tsc_aux)
		wrmsrl(MSR_TSC_AUX, vcpu->tsc_aux);
}

/*
 * A guest WRMSR runs inside the burst, where the CPU holds the guest's
 * value: the CPU's MSR changes too (mhv_tsc_aux_exit() then compares
 * with the new value). From the host (SET_MSRS) only the vCPU's copy.
 */
void mhv_tsc_aux_set(struct mhv_vcpu *vcpu, u64 val, bool host)
{
	vcpu->tsc_aux = val;
	if (!host && mhv_has_tsc_aux())
		wrmsrl(MSR_TSC_AUX, val);
}

void mhv_tsc_aux_exit(struct mhv_vcpu *vcpu, u64 host)
{
	if (mhv_has_tsc_aux() && host != vcpu->tsc_aux)
		wrmsrl(MSR_TSC_AUX, host);
}

/* ---- speculative execution ------------------------------------------------- */

/* vCPU serial run last on each CPU; serials are never reused */
static DEFINE_PER_CPU(u64, mhv_last_vcpu);
static atomic64_t mhv_vcpu_serials = ATOMIC64_INIT(0);

u64 mhv_spec_new_serial(void)
{
	return atomic64_inc_return(&mhv_vcpu_serials);
}

/**
 * mhv_spec_switch() - before a vCPU's first entry of a burst on this CPU:
 * if another vCPU ran here last, no indirect branch prediction it made
 * steers this one (IBPB, as KVM does; a no-op where the kernel does not
 * use IBPB). Keyed on a serial, not on the control block's address,
 * which a new vCPU may get again after a free. Preemption off.
 * @vcpu: the vCPU about to run
 */
void mhv_spec_switch(struct mhv_vcpu *vcpu)
{
	if (this_cpu_read(mhv_last_vcpu) == vcpu->serial)
		return;
	this_cpu_write(mhv_last_vcpu, vcpu->serial);
	indirect_branch_prediction_barrier();
}

/*
 * world_switch_barriers, a read-only module parameter: the speculation
 * barriers the world switch runs with, as the kernel's mitigation state
 * patched them in (Documentation/security.rst, 1.8); "none" if none.
 */
static int mhv_barriers_get(char *buf, const struct kernel_param *kp)
{
	const struct mhv_vendor_ops *vendor = READ_ONCE(mhv_vendor);
	int n = 0;

	/*
	 * The file exists from before mhv_init() until after it failed: no
	 * backend chosen yet, or none (a CPU without SVM or VMX).
	 */
	if (!vendor)
		return -ENODEV;

	if (boot_cpu_has(X86_FEATURE_USE_IBPB))
		n += scnprintf(buf + n, PAGE_SIZE - n, "ibpb-on-vcpu-switch ");
	if (boot_cpu_has(X86_FEATURE_CLEAR_CPU_BUF_VM))
		n += scnprintf(buf + n, PAGE_SIZE - n, "verw-before-entry ");
	n += vendor->spec_barriers(buf + n, PAGE_SIZE - n);
	if (!n)
		n = scnprintf(buf, PAGE_SIZE, "none ");
	buf[n - 1] = '\n';
	return n;
}

/* Read-only: parse_args() calls .set without checking that it exists. */
static int mhv_barriers_set(const char *val, const struct kernel_param *kp)
{
	return -EPERM;
}

static const struct kernel_param_ops mhv_barriers_ops = {
	.set = mhv_barriers_set,
	.get = mhv_barriers_get,
};
module_param_cb(world_switch_barriers, &mhv_barriers_ops, NULL, 0444);
MODULE_PARM_DESC(world_switch_barriers,
		 "speculation barriers of the world switch (read-only)");

/* A machine check while the guest ran is the host's: run its handler.
 * Interrupts off, right after the exit, as KVM does.
 */
void mhv_machine_check(void)
{
#ifdef CONFIG_X86_MCE
	struct pt_regs regs = {
		.cs = 3,	/* fake a user-mode #MC: the handler may sleep */
		.flags = X86_EFLAGS_IF,
	};

	do_machine_check(&regs);
#endif
}
