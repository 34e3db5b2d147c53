/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MultiOS HV - the SVM world switch.
 *
 * void mhv_svm_vmrun(u64 vmcb_pa, u64 host_area_pa, u64 *gprs)
 *
 * VMRUN and #VMEXIT switch only RAX, RSP, RIP, RFLAGS, the control and
 * debug registers and the CS/SS/DS/ES/GDTR/IDTR state. The hidden state
 * of FS, GS, TR, LDTR and the SYSCALL/SYSENTER MSRs is switched with
 * VMSAVE/VMLOAD, and the other general purpose registers here by hand.
 *
 * Called with GIF clear (CLGI): between the host VMSAVE and the host
 * VMLOAD the GS base is the guest's, so nothing here may touch per-CPU
 * data, and no interrupt may arrive. STI before VMRUN lets physical
 * interrupts end the guest (INTR intercept) once VMRUN sets GIF.
 *
 * Speculation barriers, each following the kernel's own mitigation
 * state (the ALTERNATIVEs are patched at module load as the kernel's
 * are): CPU buffers cleared (VERW) before VMRUN where the kernel does it
 * for KVM, the return stack buffer refilled after #VMEXIT, and return
 * predictions untrained (RETBleed, SRSO: UNTRAIN_RET, IBPB-on-VMEXIT).
 */
#include <linux/linkage.h>
#include <asm/nospec-branch.h>

#include "../gprs.inc"

/* stack slots after the pushes below */
#define SLOT_HOST	0
#define SLOT_VMCB	8
#define SLOT_GPRS	16

	.text
SYM_FUNC_START(mhv_svm_vmrun)
	MHV_PUSH_CALLEE_SAVED
	push	%rdx			/* gprs */
	push	%rdi			/* vmcb_pa */
	push	%rsi			/* host_area_pa */

	/* host hidden state out, guest hidden state in */
	mov	SLOT_HOST(%rsp), %rax
	vmsave	%rax
	mov	SLOT_VMCB(%rsp), %rax
	vmload	%rax

	/* guest GPRs in (RAX and RSP come from the VMCB) */
	mov	SLOT_GPRS(%rsp), %rax
	MHV_LOAD_GUEST_GPRS

	mov	SLOT_VMCB(%rsp), %rax
	VM_CLEAR_CPU_BUFFERS
	sti
	vmrun	%rax
	cli

	/* guest GPRs out; RAX = vmcb_pa again, RSP is the host's */
	mov	SLOT_GPRS(%rsp), %rax
	MHV_SAVE_GUEST_GPRS

	/* guest hidden state out, host hidden state back in */
	mov	SLOT_VMCB(%rsp), %rax
	vmsave	%rax
	mov	SLOT_HOST(%rsp), %rax
	vmload	%rax

	/* no guest-made return or branch predictions reach host code */
	FILL_RETURN_BUFFER %rax, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT
	/* RETBleed/SRSO: return predictions untrained before the first RET */
#ifdef UNTRAIN_RET_VM
	UNTRAIN_RET_VM
#else
	UNTRAIN_RET
	ALTERNATIVE "", "call entry_ibpb", X86_FEATURE_IBPB_ON_VMEXIT
#endif

	/* leave no guest values in registers */
	MHV_CLEAR_GUEST_SCRATCH

	add	$24, %rsp
	MHV_POP_CALLEE_SAVED
	RET
SYM_FUNC_END(mhv_svm_vmrun)

/*
 * For the barrier list (svm_spec_barriers()): whether the exit path above
 * runs the kernel-entry IBPB (X86_FEATURE_ENTRY_IBPB) of UNTRAIN_RET.
 */
	.pushsection .rodata
#ifdef UNTRAIN_RET_VM
SYM_DATA(mhv_svm_exit_entry_ibpb, .byte 0)
#else
SYM_DATA(mhv_svm_exit_entry_ibpb, .byte 1)
#endif
	.popsection
