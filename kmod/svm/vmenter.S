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
 */
#include <linux/linkage.h>
#include <asm/nospec-branch.h>

#define GPR_RCX		(1 * 8)
#define GPR_RDX		(2 * 8)
#define GPR_RBX		(3 * 8)
#define GPR_RBP		(5 * 8)
#define GPR_RSI		(6 * 8)
#define GPR_RDI		(7 * 8)
#define GPR_R8		(8 * 8)
#define GPR_R9		(9 * 8)
#define GPR_R10		(10 * 8)
#define GPR_R11		(11 * 8)
#define GPR_R12		(12 * 8)
#define GPR_R13		(13 * 8)
#define GPR_R14		(14 * 8)
#define GPR_R15		(15 * 8)

/* stack slots after the pushes below */
#define SLOT_HOST	0
#define SLOT_VMCB	8
#define SLOT_GPRS	16

	.text
SYM_FUNC_START(mhv_svm_vmrun)
	push	%rbp
	push	%r15
	push	%r14
	push	%r13
	push	%r12
	push	%rbx
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
	mov	GPR_RCX(%rax), %rcx
	mov	GPR_RDX(%rax), %rdx
	mov	GPR_RBX(%rax), %rbx
	mov	GPR_RBP(%rax), %rbp
	mov	GPR_RSI(%rax), %rsi
	mov	GPR_RDI(%rax), %rdi
	mov	GPR_R8(%rax), %r8
	mov	GPR_R9(%rax), %r9
	mov	GPR_R10(%rax), %r10
	mov	GPR_R11(%rax), %r11
	mov	GPR_R12(%rax), %r12
	mov	GPR_R13(%rax), %r13
	mov	GPR_R14(%rax), %r14
	mov	GPR_R15(%rax), %r15

	mov	SLOT_VMCB(%rsp), %rax
	sti
	vmrun	%rax
	cli

	/* guest GPRs out; RAX = vmcb_pa again, RSP is the host's */
	mov	SLOT_GPRS(%rsp), %rax
	mov	%rcx, GPR_RCX(%rax)
	mov	%rdx, GPR_RDX(%rax)
	mov	%rbx, GPR_RBX(%rax)
	mov	%rbp, GPR_RBP(%rax)
	mov	%rsi, GPR_RSI(%rax)
	mov	%rdi, GPR_RDI(%rax)
	mov	%r8, GPR_R8(%rax)
	mov	%r9, GPR_R9(%rax)
	mov	%r10, GPR_R10(%rax)
	mov	%r11, GPR_R11(%rax)
	mov	%r12, GPR_R12(%rax)
	mov	%r13, GPR_R13(%rax)
	mov	%r14, GPR_R14(%rax)
	mov	%r15, GPR_R15(%rax)

	/* guest hidden state out, host hidden state back in */
	mov	SLOT_VMCB(%rsp), %rax
	vmsave	%rax
	mov	SLOT_HOST(%rsp), %rax
	vmload	%rax

	/* leave no guest values in registers */
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d

	add	$24, %rsp
	pop	%rbx
	pop	%r12
	pop	%r13
	pop	%r14
	pop	%r15
	pop	%rbp
	RET
SYM_FUNC_END(mhv_svm_vmrun)
