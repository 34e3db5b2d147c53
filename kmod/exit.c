// SPDX-License-Identifier: GPL-2.0
/*
 * MultiOS HV - generic exit handling.
 *
 * Exits flow one way: the vendor backend decodes the hardware exit into
 * a struct mhv_exit, the handler below either completes it in the kernel
 * (CPUID, MSR, nested page fault) and the vCPU enters again, or fills the
 * run page and returns to userspace (port I/O, MMIO, HLT, errors); the
 * next MHV_RUN completes what userspace answered. Every exit is counted
 * here, at this one point, the same way for both vendors.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <asm/apicdef.h>
#include <asm/cpufeatures.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>

#include "mhv.h"
#include "dev/irqchip.h"
#include "trace.h"

typedef int (*mhv_exit_handler)(struct mhv_vcpu *vcpu, struct mhv_exit *exit);

/**
 * mhv_insn_done() - the module completed the guest's instruction.
 * @vcpu: the vCPU
 * @rip: where the guest goes on (past the instruction)
 *
 * An interrupt shadow the instruction was in (STI; HLT) is over, as after
 * any instruction the CPU runs itself.
 */
void mhv_insn_done(struct mhv_vcpu *vcpu, u64 rip)
{
	vcpu->rip = rip;
	mhv_vendor->clear_irq_shadow(vcpu);
}

/**
 * mhv_skip_insn() - the module completed the instruction of @exit: go on
 * past it, to the next RIP the CPU saved or the module decoded.
 * @vcpu: the vCPU
 * @exit: its exit, with next_rip filled
 */
void mhv_skip_insn(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	vcpu->stats[exit->nrip_hw ? MHV_STAT_SKIP_NRIP :
				    MHV_STAT_SKIP_DECODE]++;
	mhv_insn_done(vcpu, exit->next_rip);
}

static int mhv_to_user(struct mhv_vcpu *vcpu, u32 reason)
{
	vcpu->run->exit_reason = reason;
	return MHV_TO_USER;
}

/* ---- CPUID --------------------------------------------------------------- */

/* The bit of a CPUID register a kernel X86_FEATURE_* number stands for */
#define F(x)	BIT(X86_FEATURE_##x & 31)

/*
 * Leaf 7: everything that needs state the module does not switch
 * (AVX and AVX-512, AMX: XSAVE state; PKU: PKRU; CET: its MSRs) or MSRs
 * it does not offer (SPEC_CTRL, PRED_CMD, FLUSH_CMD, ARCH_CAPABILITIES:
 * they raise #GP), and WAITPKG (no UMWAIT control).
 */
static void mhv_cpuid_leaf7(u32 idx, u32 *a, u32 *b, u32 *c, u32 *d)
{
	if (idx == 1) {
		*a &= ~(F(AVX_VNNI) | F(AVX512_BF16));
		return;
	}
	if (idx != 0)
		return;
	*b &= ~(F(AVX2) | F(AVX512F) | F(AVX512DQ) | F(AVX512IFMA) |
		F(AVX512PF) | F(AVX512ER) | F(AVX512CD) | F(AVX512BW) |
		F(AVX512VL));
	*c &= ~(F(AVX512VBMI) | F(PKU) | F(OSPKE) | F(WAITPKG) |
		F(AVX512_VBMI2) | BIT(7) /* CET_SS */ | F(VAES) | F(VPCLMULQDQ) |
		F(AVX512_VNNI) | F(AVX512_BITALG) | F(AVX512_VPOPCNTDQ));
	*d &= ~(F(AVX512_4VNNIW) | F(AVX512_4FMAPS) | F(AVX512_VP2INTERSECT) |
		F(AMX_BF16) | F(AVX512_FP16) | F(AMX_TILE) | F(AMX_INT8) |
		F(IBT) | F(SPEC_CTRL) | F(INTEL_STIBP) | F(FLUSH_L1D) |
		F(ARCH_CAPABILITIES) | F(SPEC_CTRL_SSBD));
}

/*
 * The guest sees the host's CPUID minus what this hypervisor cannot give;
 * per-vCPU values (APIC IDs) are filled in at the exit.
 */
static void mhv_cpuid_default(u32 fn, u32 idx, u32 *a, u32 *b, u32 *c, u32 *d)
{
	if (fn >= 0x40000000 && fn < 0x40000100) {
		/* hypervisor leaves: "MultiOS HV  " */
		*a = fn == 0x40000000 ? 0x40000000 : 0;
		*b = fn == 0x40000000 ? 0x746c754d : 0;	/* "Mult" */
		*c = fn == 0x40000000 ? 0x20534f69 : 0;	/* "iOS " */
		*d = fn == 0x40000000 ? 0x20205648 : 0;	/* "HV  " */
		return;
	}
	cpuid_count(fn, idx, a, b, c, d);
	switch (fn) {
	case 1:
		/* MONITOR/MWAIT get #UD; no nested VMX; no APIC (x2APIC,
		 * TSC deadline); no XSAVE state (XSAVE, OSXSAVE, AVX, FMA,
		 * F16C)
		 */
		*c &= ~(F(MWAIT) | F(VMX) | F(X2APIC) | F(TSC_DEADLINE_TIMER) |
			F(XSAVE) | F(OSXSAVE) | F(AVX) | F(FMA) | F(F16C));
		*c |= F(HYPERVISOR);
		/* no machine-check architecture: its MSRs (MCG_CAP, banks)
		 * are not emulated, so a kernel must not look for them
		 */
		*d &= ~(F(MCE) | F(MCA));
		break;
	case 7:
		mhv_cpuid_leaf7(idx, a, b, c, d);
		break;
	case 0xd:
		*a = *b = *c = *d = 0;	/* no XSAVE state */
		break;
	case 0x80000001:
		*c &= ~(F(SVM) | F(FMA4) | F(XOP));	/* no nested SVM */
		*d &= ~(F(MCE) | F(MCA));		/* AMD's copy of leaf 1 */
		break;
	case 0x80000008:	/* AMD IBPB, IBRS, STIBP, SSBD, VIRT_SSBD */
		*b &= ~(F(AMD_IBPB) | F(AMD_IBRS) | F(AMD_STIBP) |
			F(AMD_SSBD) | F(VIRT_SSBD));
		break;
	case 0x8000000a:
		*a = *b = *c = *d = 0;
		break;
	}
}

/* Leaves whose answer depends on ECX (subleaves). */
static bool mhv_cpuid_indexed(u32 fn)
{
	switch (fn) {
	case 0x4: case 0x7: case 0xb: case 0xf: case 0x10: case 0x12:
	case 0x14: case 0x17: case 0x18: case 0x1b: case 0x1d: case 0x1e:
	case 0x1f: case 0x20: case 0x23: case 0x24:
	case 0x8000001d: case 0x80000020: case 0x80000026:
		return true;
	}
	return false;
}

/* Subleaves recorded per indexed leaf; all-zero ones are left out. */
#define MHV_CPUID_SUBLEAVES	16
/* Leaves recorded per range (basic, extended) */
#define MHV_CPUID_RANGE		64

static void mhv_cpuid_add(struct mhv_cpuid_host *t, u32 fn, u32 idx,
			  bool indexed)
{
	struct mhv_cpuid_entry *e;
	u32 a, b, c, d;

	mhv_cpuid_default(fn, idx, &a, &b, &c, &d);
	/* absent entries read as zeros: only subleaf 0 is kept anyway */
	if ((indexed && idx && !(a | b | c | d)) ||
	    t->nent >= ARRAY_SIZE(t->entries))
		return;
	e = &t->entries[t->nent++];
	e->function = fn;
	e->index = idx;
	e->flags = indexed ? MHV_CPUID_F_INDEXED : 0;
	e->eax = a;
	e->ebx = b;
	e->ecx = c;
	e->edx = d;
}

static void mhv_cpuid_add_range(struct mhv_cpuid_host *t, u32 first, u32 max)
{
	u32 fn, idx;

	for (fn = first; fn <= max && fn - first < MHV_CPUID_RANGE; fn++) {
		if (!mhv_cpuid_indexed(fn)) {
			mhv_cpuid_add(t, fn, 0, false);
			continue;
		}
		for (idx = 0; idx < MHV_CPUID_SUBLEAVES; idx++)
			mhv_cpuid_add(t, fn, idx, true);
	}
}

/**
 * mhv_cpuid_init() - the guest's default CPUID answers, once per VM: the
 * only host CPUID instructions the VM's CPUID exits cost.
 * @t: the VM's table
 */
void mhv_cpuid_init(struct mhv_cpuid_host *t)
{
	u32 a, b, c, d, ma, mb, mc, md;

	t->nent = 0;
	t->basic_max = cpuid_eax(0);
	t->ext_max = cpuid_eax(0x80000000);
	mhv_cpuid_add_range(t, 0, t->basic_max);
	mhv_cpuid_add(t, 0x40000000, 0, false);
	mhv_cpuid_add_range(t, 0x80000000, t->ext_max);
	/* an unknown leaf: zeros (AMD) or the highest basic leaf (Intel) */
	cpuid_count(0x3fff0000, 0, &a, &b, &c, &d);
	cpuid_count(t->basic_max, 0, &ma, &mb, &mc, &md);
	t->repeat_max = (a | b | c | d) && a == ma && b == mb && c == mc &&
			d == md;
}

/* The first entry for leaf @fn, subleaf @idx, or NULL. */
static const struct mhv_cpuid_entry *
mhv_cpuid_find(const struct mhv_cpuid_entry *e, u32 n, u32 fn, u32 idx)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (e[i].function == fn &&
		    (!(e[i].flags & MHV_CPUID_F_INDEXED) || e[i].index == idx))
			return &e[i];
	return NULL;
}

static bool mhv_cpuid_in_range(const struct mhv_cpuid_host *t, u32 fn)
{
	return fn <= t->basic_max || (fn >= 0x40000000 && fn < 0x40000100) ||
	       (fn >= 0x80000000 && fn <= t->ext_max);
}

/* The VM's default answer, with this vCPU's APIC ID. */
static void mhv_cpuid_host_answer(struct mhv_vcpu *vcpu, u32 fn, u32 idx,
				  u32 *r)
{
	const struct mhv_cpuid_host *t = &vcpu->vm->cpuid_host;
	const struct mhv_cpuid_entry *e;

	e = mhv_cpuid_find(t->entries, t->nent, fn, idx);
	if (!e && t->repeat_max && !mhv_cpuid_in_range(t, fn))
		e = mhv_cpuid_find(t->entries, t->nent, t->basic_max, idx);
	if (e) {
		r[0] = e->eax;
		r[1] = e->ebx;
		r[2] = e->ecx;
		r[3] = e->edx;
	}
	switch (fn) {
	case 1:
		r[1] = (r[1] & 0x00ffffff) | (vcpu->id << 24);	/* APIC ID */
		mhv_lapic_cpuid(vcpu, r);
		break;
	case 0xb:
	case 0x1f:		/* x2APIC ID; ECX echoes the level number */
		r[2] = (r[2] & ~0xffU) | (idx & 0xff);
		r[3] = vcpu->id;
		break;
	}
}

static int mhv_handle_cpuid(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	const struct mhv_cpuid *t = &vcpu->vm->cpuid;
	const struct mhv_cpuid_entry *e;
	u32 fn = vcpu->regs[MHV_RAX], idx = vcpu->regs[MHV_RCX];
	u32 r[4] = { 0 };

	vcpu->stats[MHV_STAT_CPUID]++;
	if (!t->nent) {
		mhv_cpuid_host_answer(vcpu, fn, idx, r);
	} else {
		e = mhv_cpuid_find(t->entries, t->nent, fn, idx);
		if (e) {
			r[0] = e->eax;
			r[1] = e->ebx;
			r[2] = e->ecx;
			r[3] = e->edx;
		}
	}
	vcpu->regs[MHV_RAX] = r[0];
	vcpu->regs[MHV_RBX] = r[1];
	vcpu->regs[MHV_RCX] = r[2];
	vcpu->regs[MHV_RDX] = r[3];
	mhv_skip_insn(vcpu, exit);
	return MHV_RESUME;
}

/* What RDMSR of IA32_UCODE_REV (0x8b) reads, KVM's default revision */
#define MHV_UCODE_REV	0x100000000ULL

/* ---- MSRs ---------------------------------------------------------------- */

int mhv_msr_get(struct mhv_vcpu *vcpu, u32 index, u64 *data, bool host)
{
	int ret = mhv_lapic_msr_get(vcpu, index, data);

	if (ret != -ENOENT)	/* the local APIC's (dev/lapic.c) */
		return ret;
	if (!mhv_vendor->get_msr(vcpu, index, data))
		return 0;
	switch (index) {
	case MSR_IA32_APICBASE:
		*data = APIC_DEFAULT_PHYS_BASE | MSR_IA32_APICBASE_ENABLE |
			(vcpu->id == 0 ? MSR_IA32_APICBASE_BSP : 0);
		return 0;
	case MSR_MTRRcap:
	case MSR_MTRRdefType:
	case MSR_IA32_DEBUGCTLMSR:
		*data = 0;
		return 0;
	case MSR_IA32_MISC_ENABLE:
		*data = MSR_IA32_MISC_ENABLE_FAST_STRING;
		return 0;
	case MSR_TSC_AUX:
		*data = vcpu->tsc_aux;
		return 0;
	case MSR_IA32_UCODE_REV:
		/* as KVM: a revision in the high half, no real microcode */
		*data = MHV_UCODE_REV;
		return 0;
	}
	return -ENOENT;
}

/**
 * mhv_canonical() - is @addr a canonical address of the host's width?
 * @addr: a linear address
 *
 * Bases the CPU loads from a control block or MSR must be: a
 * non-canonical one would fault in the host (VMLOAD) or fail the entry.
 */
bool mhv_canonical(u64 addr)
{
	int bits = pgtable_l5_enabled() ? 57 : 48;

	return (u64)((s64)(addr << (64 - bits)) >> (64 - bits)) == addr;
}

/* Each PAT entry is a memory type: 2, 3 and above 7 are reserved. */
static bool mhv_pat_valid(u64 pat)
{
	unsigned int i;

	for (i = 0; i < 8; i++) {
		u8 t = pat >> (i * 8);

		if (t == 2 || t == 3 || t > 7)
			return false;
	}
	return true;
}

/* What a WRMSR may write, whichever backend keeps the MSR. */
static int mhv_msr_check(u32 index, u64 *data)
{
	switch (index) {
	case MSR_IA32_CR_PAT:
		return mhv_pat_valid(*data) ? 0 : -EINVAL;
	case MSR_IA32_SYSENTER_CS:
		*data &= 0xffff;
		return 0;
	case MSR_EFER:
		return mhv_efer_valid(*data) ? 0 : -EINVAL;
	case MSR_SYSCALL_MASK:
	case MSR_TSC_AUX:
		return *data >> 32 ? -EINVAL : 0;
	case MSR_LSTAR:
	case MSR_CSTAR:
	case MSR_KERNEL_GS_BASE:
	case MSR_FS_BASE:
	case MSR_GS_BASE:
	case MSR_IA32_SYSENTER_ESP:
	case MSR_IA32_SYSENTER_EIP:
		return mhv_canonical(*data) ? 0 : -EINVAL;
	default:
		return 0;
	}
}

int mhv_msr_set(struct mhv_vcpu *vcpu, u32 index, u64 data, bool host)
{
	int ret = mhv_msr_check(index, &data);

	if (ret)
		return ret;
	ret = mhv_lapic_msr_set(vcpu, index, data, host);
	if (ret != -ENOENT)	/* the local APIC's (dev/lapic.c) */
		return ret;
	ret = mhv_vendor->set_msr(vcpu, index, data);

	if (ret != -ENOENT)
		return ret;
	switch (index) {
	case MSR_IA32_APICBASE:
	case MSR_IA32_MISC_ENABLE:
	case MSR_MTRRdefType:
		/* accepted, no effect: no local APIC (without the irqchip)
		 * or MTRR emulation
		 */
		return 0;
	case MSR_IA32_UCODE_REV:
		/* Intel's way to read it: write 0, CPUID, read; no effect */
		return 0;
	case MSR_IA32_DEBUGCTLMSR:
		return data ? -EINVAL : 0;
	case MSR_TSC_AUX:
		mhv_tsc_aux_set(vcpu, data, host);
		return 0;
	}
	return -ENOENT;
}

static int mhv_handle_rdmsr(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	u32 index = vcpu->regs[MHV_RCX];
	u64 data;

	vcpu->stats[MHV_STAT_MSR_READ]++;
	if (mhv_msr_get(vcpu, index, &data, false)) {
		vcpu->stats[MHV_STAT_MSR_GP]++;
		mhv_vendor->queue_exception(vcpu, X86_TRAP_GP, true, 0);
		return MHV_RESUME;
	}
	vcpu->regs[MHV_RAX] = (u32)data;
	vcpu->regs[MHV_RDX] = data >> 32;
	mhv_skip_insn(vcpu, exit);
	return MHV_RESUME;
}

static int mhv_handle_wrmsr(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	u32 index = vcpu->regs[MHV_RCX];
	u64 data = (u32)vcpu->regs[MHV_RAX] | vcpu->regs[MHV_RDX] << 32;

	vcpu->stats[MHV_STAT_MSR_WRITE]++;
	if (mhv_msr_set(vcpu, index, data, false)) {
		vcpu->stats[MHV_STAT_MSR_GP]++;
		mhv_vendor->queue_exception(vcpu, X86_TRAP_GP, true, 0);
		return MHV_RESUME;
	}
	mhv_skip_insn(vcpu, exit);
	return MHV_RESUME;
}

/* ---- port I/O ------------------------------------------------------------ */

static u64 mhv_addr_mask(u8 addr_size)
{
	return addr_size >= 8 ? ~0ULL : (1ULL << (addr_size * 8)) - 1;
}

/* Linear address of a string operand: segment base + masked register. */
static u64 mhv_string_addr(struct mhv_vcpu *vcpu, struct mhv_exit *exit,
			   bool dest)
{
	u64 mask = mhv_addr_mask(exit->io.addr_size);
	u64 reg = vcpu->regs[dest ? MHV_RDI : MHV_RSI] & mask;
	const struct mhv_segment *seg;
	struct mhv_sregs s;

	mhv_vendor->get_sregs(vcpu, &s);
	/* ins always writes ES:rDI; outs reads seg:rSI (DS by default) */
	switch (dest ? MHV_SEG_ES : exit->io.seg) {
	case MHV_SEG_ES:
		seg = &s.es;
		break;
	case MHV_SEG_CS:
		seg = &s.cs;
		break;
	case MHV_SEG_SS:
		seg = &s.ss;
		break;
	case MHV_SEG_FS:
		seg = &s.fs;
		break;
	case MHV_SEG_GS:
		seg = &s.gs;
		break;
	default:
		seg = &s.ds;
		break;
	}
	/* 64-bit mode ignores all bases but FS and GS */
	if ((s.efer & EFER_LMA) && s.cs.l && seg != &s.fs && seg != &s.gs)
		return reg;
	return seg->base + reg;
}

/* How many iterations of a string I/O instruction go out in this exit. */
static u32 mhv_string_count(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	u64 count = 1;

	if (exit->io.rep)
		count = vcpu->regs[MHV_RCX] & mhv_addr_mask(exit->io.addr_size);
	return min_t(u64, count, MHV_RUN_IO_DATA_MAX / exit->io.size);
}

/* Move the string registers past @n elements; done when rCX reaches 0. */
static bool mhv_string_advance(struct mhv_vcpu *vcpu, struct mhv_exit *exit,
			       u32 n)
{
	u64 mask = mhv_addr_mask(exit->io.addr_size);
	int reg = exit->io.in ? MHV_RDI : MHV_RSI;
	s64 step = (vcpu->rflags & X86_EFLAGS_DF) ? -(s64)exit->io.size :
						     exit->io.size;
	u64 val = (vcpu->regs[reg] + step * n) & mask;

	vcpu->regs[reg] = (vcpu->regs[reg] & ~mask) | val;
	if (!exit->io.rep)
		return true;
	val = ((vcpu->regs[MHV_RCX] & mask) - n) & mask;
	vcpu->regs[MHV_RCX] = (vcpu->regs[MHV_RCX] & ~mask) | val;
	return val == 0;
}

/* Copy @n elements between guest memory and the run page. */
static int mhv_string_copy(struct mhv_vcpu *vcpu, struct mhv_exit *exit,
			   u8 *data, u32 n, bool to_guest)
{
	bool down = vcpu->rflags & X86_EFLAGS_DF;
	u64 addr = mhv_string_addr(vcpu, exit, to_guest);
	u32 size = exit->io.size, i;
	int ret;

	if (!down)
		return to_guest ? mhv_write_gva(vcpu, addr, data, n * size) :
				  mhv_read_gva(vcpu, addr, data, n * size);
	for (i = 0; i < n; i++) {
		u64 a = addr - (u64)i * size;

		ret = to_guest ? mhv_write_gva(vcpu, a, data + i * size, size) :
				 mhv_read_gva(vcpu, a, data + i * size, size);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * The VM stops in ERROR: @error for GET_VM_INFO and the run page, @reason
 * as the exit userspace sees.
 */
int mhv_fail(struct mhv_vcpu *vcpu, struct mhv_exit *exit, u32 error,
	     u32 reason)
{
	struct mhv_run *run = vcpu->run;

	mhv_vm_set_error(vcpu->vm, error, exit->code);
	/* the exits that led here stay for MHV_GET_FLIGHT_RECORDER */
	vcpu->flight.frozen = true;
	run->fail.reason = error;
	run->fail.code = exit->code;
	run->fail.info1 = exit->info1;
	run->fail.info2 = exit->info2;
	return mhv_to_user(vcpu, reason);
}

int mhv_internal_error(struct mhv_vcpu *vcpu, struct mhv_exit *exit,
		       const char *what)
{
	mhv_vm_report(vcpu->vm,
		      "vCPU %u: %s at RIP 0x%llx (exit 0x%llx, info 0x%llx 0x%llx)\n",
		      vcpu->id, what, exit->rip, exit->code, exit->info1,
		      exit->info2);
	return mhv_fail(vcpu, exit, MHV_ERR_INTERNAL, MHV_EXIT_INTERNAL_ERROR);
}

/* An IN/INS userspace answered: its data into RAX or guest memory. */
static int mhv_complete_io_in(struct mhv_vcpu *vcpu)
{
	struct mhv_exit *exit = &vcpu->pending;
	u8 *data = (u8 *)vcpu->run + MHV_RUN_IO_DATA_OFFSET;

	if (exit->io.string) {
		u32 n = vcpu->run->io.count;

		if (n != mhv_string_count(vcpu, exit))
			return mhv_internal_error(vcpu, exit,
				"userspace changed run->io.count of an ins");
		if (mhv_string_copy(vcpu, exit, data, n, true))
			return mhv_internal_error(vcpu, exit,
				"ins destination not in guest memory");
		if (mhv_string_advance(vcpu, exit, n))
			mhv_skip_insn(vcpu, exit);
		return 0;
	}
	switch (exit->io.size) {
	case 1:
		vcpu->regs[MHV_RAX] = (vcpu->regs[MHV_RAX] & ~0xffULL) | data[0];
		break;
	case 2:
		vcpu->regs[MHV_RAX] = (vcpu->regs[MHV_RAX] & ~0xffffULL) |
				      *(u16 *)data;
		break;
	default:	/* a 32-bit destination zero-extends */
		vcpu->regs[MHV_RAX] = *(u32 *)data;
		break;
	}
	mhv_skip_insn(vcpu, exit);
	return 0;
}

static int mhv_handle_io(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	struct mhv_run *run = vcpu->run;
	u8 *data = (u8 *)run + MHV_RUN_IO_DATA_OFFSET;
	u32 n = 1;
	int ret;

	if (exit->io.size != 1 && exit->io.size != 2 && exit->io.size != 4)
		return mhv_internal_error(vcpu, exit, "bad I/O size");

	if (exit->io.string) {
		if (mhv_decode_string_io(vcpu, exit))
			return mhv_internal_error(vcpu, exit,
				"cannot decode the string I/O instruction");
		n = mhv_string_count(vcpu, exit);
		if (!n) {	/* rep with rCX == 0 does nothing */
			mhv_skip_insn(vcpu, exit);
			return MHV_RESUME;
		}
		if (!exit->io.in) {
			if (mhv_string_copy(vcpu, exit, data, n, false))
				return mhv_internal_error(vcpu, exit,
					"outs source not in guest memory");
			if (mhv_string_advance(vcpu, exit, n))
				mhv_skip_insn(vcpu, exit);
		}
	} else if (!exit->io.in) {
		u64 rax = vcpu->regs[MHV_RAX];

		memcpy(data, &rax, exit->io.size);
		mhv_skip_insn(vcpu, exit);
	}

	if (exit->io.in) {
		vcpu->pending = *exit;
		vcpu->complete = mhv_complete_io_in;
	}
	run->io.direction = exit->io.in ? MHV_IO_IN : MHV_IO_OUT;
	run->io.size = exit->io.size;
	run->io.port = exit->io.port;
	run->io.count = n;
	run->io.data_offset = MHV_RUN_IO_DATA_OFFSET;
	/* a port of an in-kernel device: completed here (dev/core.c) */
	ret = mhv_dev_pio(vcpu, exit, data, n);
	if (ret != -ENODEV)
		return ret;
	vcpu->stats[MHV_STAT_IO]++;
	if (exit->io.string)
		vcpu->stats[MHV_STAT_IO_STRING]++;
	return mhv_to_user(vcpu, MHV_EXIT_IO);
}

/**
 * mhv_complete_user_exit() - finish the exit userspace just handled.
 * @vcpu: the vCPU about to enter the guest again
 *
 * Return: 0 to enter the guest, or a positive MHV_TO_USER when the
 * completion itself failed (the run page says why).
 */
int mhv_complete_user_exit(struct mhv_vcpu *vcpu)
{
	int (*complete)(struct mhv_vcpu *vcpu) = vcpu->complete;

	if (!complete)
		return 0;
	vcpu->complete = NULL;
	return complete(vcpu);
}

/* ---- everything else ----------------------------------------------------- */

static int mhv_handle_hlt(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	vcpu->stats[MHV_STAT_HLT]++;
	mhv_skip_insn(vcpu, exit);
	if (mhv_halt(vcpu))
		return MHV_RESUME;
	return mhv_to_user(vcpu, MHV_EXIT_HLT);
}

static int mhv_handle_npf(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	struct mhv_vm *vm = vcpu->vm;
	const struct mhv_slot *slot = mhv_find_slot(vm, exit->npf.gpa);
	u64 mapped = READ_ONCE(vm->mmu.nr_mapped);
	int ret, level;

	if (!slot || (exit->npf.write && (slot->flags & MHV_MEM_READONLY))) {
		mhv_trace_npf(vcpu, exit, 0, true);
		return mhv_mmio_exit(vcpu, exit);
	}
	ret = mhv_mmu_map(vm, exit->npf.gpa, exit->npf.write, &level);
	/*
	 * Over RLIMIT_MEMLOCK, a mapping that may not back guest memory, a
	 * fatal signal: RUN fails with that errno and the VM stays as it
	 * is, so it can run on once userspace fixed the cause.
	 */
	if (ret == -ENOMEM || ret == -EOPNOTSUPP || ret == -EINTR)
		return ret;
	if (ret)
		return mhv_internal_error(vcpu, exit,
					  "cannot map guest memory");
	vcpu->stats[MHV_STAT_NPF]++;
	if (level)
		vcpu->stats[MHV_STAT_NPF_4K + level - 1]++;
	atomic64_inc(&vm->npf_count);
	mhv_trace_npf(vcpu, exit, READ_ONCE(vm->mmu.nr_mapped) - mapped, false);
	return MHV_RESUME;
}

/* A host interrupt or NMI ended the guest: the host has handled it. */
static int mhv_handle_host_event(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	vcpu->stats[exit->type == MHV_X_NMI ? MHV_STAT_NMI : MHV_STAT_INTR]++;
	return MHV_RESUME;
}

static int mhv_handle_ud(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	vcpu->stats[MHV_STAT_UD]++;
	mhv_vendor->queue_exception(vcpu, X86_TRAP_UD, false, 0);
	return MHV_RESUME;
}

static int mhv_handle_shutdown(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	vcpu->stats[MHV_STAT_SHUTDOWN]++;
	if (mhv_report_begin(vcpu->vm))
		pr_info("VM \"%s\" vCPU %u: triple fault (shutdown) at RIP 0x%llx; VM is now in ERROR state\n",
			vcpu->vm->config.name, vcpu->id, exit->rip);
	return mhv_fail(vcpu, exit, MHV_ERR_TRIPLE_FAULT, MHV_EXIT_SHUTDOWN);
}

static int mhv_handle_fail_entry(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	vcpu->stats[MHV_STAT_FAIL_ENTRY]++;
	/* one report per VM, the dump without host-side values */
	if (mhv_report_begin(vcpu->vm)) {
		pr_err("VM \"%s\" vCPU %u: the CPU refused the guest state (VM entry failed, exit code 0x%llx); VM is now in ERROR state:\n",
		       vcpu->vm->config.name, vcpu->id, exit->code);
		mhv_report_dump(vcpu);
	}
	return mhv_fail(vcpu, exit, MHV_ERR_ENTRY_FAILED, MHV_EXIT_FAIL_ENTRY);
}

static int mhv_handle_unknown(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	vcpu->stats[MHV_STAT_UNKNOWN]++;
	mhv_vm_report(vcpu->vm,
		      "vCPU %u: unhandled exit code 0x%llx at RIP 0x%llx (info 0x%llx 0x%llx); VM is now in ERROR state\n",
		      vcpu->id, exit->code, exit->rip, exit->info1,
		      exit->info2);
	return mhv_fail(vcpu, exit, MHV_ERR_UNKNOWN_EXIT, MHV_EXIT_UNKNOWN);
}

/*
 * One entry per exit type: its handler, and whether it is fast: the
 * handler neither sleeps nor touches user memory, so the vCPU loop
 * completes it without leaving its burst (see mhv_enter_guest()).
 */
struct mhv_exit_desc {
	mhv_exit_handler fn;
	bool fast;
};

static const struct mhv_exit_desc mhv_exit_table[MHV_X_NR] = {
	[MHV_X_UNKNOWN]		= { mhv_handle_unknown, false },
	[MHV_X_CPUID]		= { mhv_handle_cpuid, true },
	[MHV_X_HLT]		= { mhv_handle_hlt, false },
	[MHV_X_IO]		= { mhv_handle_io, false },
	[MHV_X_MSR_READ]	= { mhv_handle_rdmsr, true },
	[MHV_X_MSR_WRITE]	= { mhv_handle_wrmsr, true },
	[MHV_X_NPF]		= { mhv_handle_npf, false },
	[MHV_X_SHUTDOWN]	= { mhv_handle_shutdown, false },
	[MHV_X_INTR]		= { mhv_handle_host_event, true },
	[MHV_X_NMI]		= { mhv_handle_host_event, true },
	[MHV_X_UD]		= { mhv_handle_ud, true },
	[MHV_X_FAIL_ENTRY]	= { mhv_handle_fail_entry, false },
	[MHV_X_CR]	= { mhv_handle_cr, false },
	[MHV_X_DR]		= { mhv_handle_dr, false },
	[MHV_X_EXCEPTION]	= { mhv_handle_exception, true },
	[MHV_X_CACHE]		= { mhv_handle_cache, false },
	[MHV_X_RDPMC]		= { mhv_handle_rdpmc, true },
	[MHV_X_IRQ_WINDOW]	= { mhv_handle_irq_window, true },
	[MHV_X_NMI_WINDOW]	= { mhv_handle_nmi_window, true },
};

static const struct mhv_exit_desc *mhv_exit_desc(const struct mhv_exit *exit)
{
	if (exit->type >= MHV_X_NR || !mhv_exit_table[exit->type].fn)
		return &mhv_exit_table[MHV_X_UNKNOWN];
	return &mhv_exit_table[exit->type];
}

/**
 * mhv_exit_is_fast() - can this exit be completed with preemption off?
 * @exit: the decoded exit
 */
bool mhv_exit_is_fast(const struct mhv_exit *exit)
{
	return mhv_exit_desc(exit)->fast;
}

/**
 * mhv_handle_exit() - the one place every exit of every vendor goes.
 * @vcpu: the vCPU that exited
 * @exit: the exit, decoded by the vendor backend
 *
 * Return: MHV_RESUME to enter the guest again, MHV_TO_USER when the run
 * page is filled for userspace.
 */
int mhv_handle_exit(struct mhv_vcpu *vcpu, struct mhv_exit *exit)
{
	return mhv_exit_desc(exit)->fn(vcpu, exit);
}
