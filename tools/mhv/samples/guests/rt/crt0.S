/* SPDX-License-Identifier: GPL-2.0 */
/*
 * crt0.S - the entry of every sample guest: the Multiboot (v1) header,
 * _start (own GDT and stack, then rt_start() in rt.c) and the interrupt
 * stubs of the runtime's IDT (rt_set_handler() in rt.h).
 *
 * mhv run starts a Multiboot kernel in flat 32-bit protected mode with
 * paging and interrupts off, EAX = 0x2BADB002 and EBX = the boot
 * information; the GDTR it leaves may not be valid for long, so _start
 * loads its own.
 */
#define MB_MAGIC	0x1BADB002
#define MB_FLAGS	0x00000003	/* page-aligned modules, memory info */

	.section .multiboot, "a"
	.align	4
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)

	.text
	.globl	_start
_start:
	lgdt	gdt_desc
	ljmp	$0x08, $1f
1:	mov	$0x10, %cx
	mov	%cx, %ds
	mov	%cx, %es
	mov	%cx, %fs
	mov	%cx, %gs
	mov	%cx, %ss
	mov	$rt_stack_top, %esp
	xor	%ebp, %ebp
	push	%ebx			/* the boot information */
	push	%eax			/* the boot loader's magic */
	call	rt_start		/* never returns */
2:	cli
	hlt
	jmp	2b

/*
 * One 16-byte stub per vector: push 0 where the CPU pushes no error
 * code, then the vector, then the common part; rt_isr() gets the frame.
 */
	.align	16
	.globl	rt_isr_stubs
rt_isr_stubs:
	vector = 0
	.rept	256
	.align	16
	.if !(vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || vector == 21 || vector == 29 || vector == 30)
	pushl	$0
	.endif
	pushl	$vector
	jmp	isr_common
	vector = vector + 1
	.endr

isr_common:
	pusha
	cld
	push	%esp			/* struct rt_frame * */
	call	rt_isr
	add	$4, %esp
	popa
	add	$8, %esp		/* vector, error code */
	iret

	.section .rodata
	.align	8
gdt:
	.quad	0
	.quad	0x00cf9b000000ffff	/* 0x08: 32-bit code, base 0, 4 GiB */
	.quad	0x00cf93000000ffff	/* 0x10: data, base 0, 4 GiB */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	gdt

	.bss
	.align	16
	.space	16384
rt_stack_top:

	.section .note.GNU-stack, "", @progbits
