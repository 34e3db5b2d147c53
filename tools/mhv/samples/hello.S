/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hello.S - a sample guest image for `mhv run` (make builds it into
 * .cache/build/user/samples/hello.bin; in the test VM it is
 * /mhv/samples/hello.bin):
 *
 *   mhv run --image hello.bin --config hello.conf
 *
 * The image format of mhv run: flat 16-bit real-mode code, no header,
 * loaded at guest-physical 0x1000 and started at CS:IP 0000:1000 with
 * DS = ES = SS = 0 and SP = 0xfff0. Everything written with OUT to port
 * 0xe9 (or 0x3f8) is printed by mhv; HLT ends the run (exit status 0).
 *
 * Build it yourself:
 *   cc -c hello.S -o hello.o
 *   ld -Ttext=0x1000 --oformat binary -o hello.bin hello.o
 */
	.code16
	.text
	.globl	_start
_start:
	cld
	mov	$hello, %si
	call	puts			/* one OUT exit per character */

	/* count from 1 to 5: the digits go through the same port */
	mov	$'1', %al
1:	out	%al, $0xe9
	inc	%al
	cmp	$'6', %al
	jne	1b
	mov	$'\n', %al
	out	%al, $0xe9

	xor	%eax, %eax		/* CPUID: the module answers it */
	cpuid				/* without asking mhv */
	mov	$cpuid_msg, %si
	call	puts

	in	$0x60, %al		/* nothing is connected: reads 0xff */
	cmp	$0xff, %al
	jne	2f
	mov	$in_msg, %si
	call	puts

2:	mov	$bye, %si
	call	puts
	hlt				/* back to mhv: the run is over */

/* print the NUL-terminated string at DS:SI on port 0xe9 */
puts:
	mov	$0xe9, %dx
3:	lodsb
	test	%al, %al
	jz	4f
	out	%al, %dx
	jmp	3b
4:	ret

hello:		.asciz	"Hello from hello.bin, a real-mode guest!\nCounting: "
cpuid_msg:	.asciz	"CPUID ran (the kernel handled that exit)\n"
in_msg:		.asciz	"IN from port 0x60 read 0xff (no device there)\n"
bye:		.asciz	"Bye: HLT ends the run.\n"

	.section .note.GNU-stack, "", @progbits
