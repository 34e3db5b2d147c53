/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MultiOS HV - the VMX world switch.
 *
 * int mhv_vmx_vmenter(u64 *gprs, int launched)
 *
 * VM entry loads the guest's RSP, RIP, RFLAGS, control registers and
 * segments from the VMCS; the other general purpose registers are
 * switched here. A VM exit lands at mhv_vmx_vmexit (HOST_RIP) with the
 * host RSP written below, where the gprs pointer waits on the stack.
 * Returns 0 after a VM exit, 1 when VMLAUNCH/VMRESUME itself failed.
 *
 * Speculation barriers, each following the kernel's own mitigation
 * state (ALTERNATIVEs patched as the kernel's are): CPU buffers cleared
 * (VERW) right before the entry where the kernel does it for KVM; after
 * the exit, the return stack buffer refilled and the branch history
 * cleared, before the first RET.
 */
#include <linux/linkage.h>
#include <asm/nospec-branch.h>

#include <asm/unwind_hints.h>

#include "../gprs.inc"
#include "vmcs.h"

	.text
SYM_FUNC_START(mhv_vmx_vmenter)
	MHV_PUSH_CALLEE_SAVED
	push	%rdi			/* gprs, found again after the exit */

	mov	$MHV_VMCS_HOST_RSP, %rdx
	vmwrite	%rsp, %rdx
	jbe	.Lfail_early

	/* CF for the launch/resume choice; MOVs and VERW keep it */
	bt	$0, %esi

	mov	%rdi, %rax
	MHV_LOAD_GUEST_GPRS
	mov	GPR_RAX(%rax), %rax

	VM_CLEAR_CPU_BUFFERS
	UNWIND_HINT_SAVE
	jnc	.Llaunch
	vmresume
	jmp	.Lfail
.Llaunch:
	vmlaunch
.Lfail:
	/* VMfail: still on our stack, guest values in the registers */
	mov	$1, %eax
	jmp	.Lout

SYM_INNER_LABEL(mhv_vmx_vmexit, SYM_L_GLOBAL)
	UNWIND_HINT_RESTORE
	ENDBR
	push	%rax			/* guest RAX */
	mov	8(%rsp), %rax		/* gprs */
	MHV_SAVE_GUEST_GPRS
	pop	%rcx
	mov	%rcx, GPR_RAX(%rax)
	FILL_RETURN_BUFFER %rcx, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT, X86_FEATURE_RSB_VMEXIT_LITE
	CLEAR_BRANCH_HISTORY_VMEXIT
	xor	%eax, %eax
.Lout:
	/* leave no guest values in registers */
	MHV_CLEAR_GUEST_SCRATCH
	pop	%rdi
	MHV_POP_CALLEE_SAVED
	RET

.Lfail_early:
	mov	$1, %eax
	jmp	.Lout
SYM_FUNC_END(mhv_vmx_vmenter)
