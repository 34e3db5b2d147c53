// SPDX-License-Identifier: LGPL-2.1
/*
 * libmultios_hv - exceptions in C-function guests (mhv_guest.h): the IDT
 * stubs (guest code), the handler table (guest data), and the host side
 * that writes the IDT, the TSSs and the ring-3 descriptors into guest
 * memory.
 */
#include <errno.h>
#include <string.h>

#include "libmultios_hv.h"
#include "mhv_guest.h"
#include "internal.h"

#define PTE_US		0x004ULL
#define GATE_INTR64	0xeULL
#define GDT_USER_DATA	0x00cff3000000ffffULL	/* data, DPL 3 */
#define GDT_USER_CODE	0x00affb000000ffffULL	/* 64-bit code, DPL 3 */
#define IDT_ENTRIES	256

/*
 * Guest data: the handler of each vector. The host writes the guest's
 * copy of it (same address) in mhv_guest_install_handler(); the host's
 * own copy stays empty.
 */
static mhv_ex_handler mhv_ex_handlers[IDT_ENTRIES];

/* Guest code: called by the common stub with the saved frame. */
static void __attribute__((used)) mhv_ex_dispatch(struct mhv_ex_regs *regs)
{
	mhv_ex_handler h = mhv_ex_handlers[regs->vector & 0xff];

	if (h) {
		h(regs);
		return;
	}
	GUEST_UCALL(MHV_UCALL_ASSERT, regs->vector, regs->rip,
		    "unexpected exception in the guest (vector, RIP)");
	for (;;)
		__asm__ volatile("cli; hlt");
}

/*
 * Guest code: one 16-byte stub per vector (push a dummy error code where
 * the CPU pushes none, then the vector), and the common part that saves
 * the GPRs in struct mhv_ex_regs order, calls mhv_ex_dispatch() and
 * returns with IRETQ. At the call RSP is 16-byte aligned: the CPU aligns
 * it before its 5-quadword frame, then error code + vector + 15 GPRs.
 * Keep the error-code list in sync with mhv_ex_has_error_code().
 */
__asm__(
"	.pushsection .text\n"
"	.balign 16\n"
"	.globl mhv_ex_stubs\n"
"	.hidden mhv_ex_stubs\n"
"mhv_ex_stubs:\n"
"	.set mhv_vec, 0\n"
"	.rept 256\n"
"	.balign 16\n"
"	.if (mhv_vec == 8) || ((mhv_vec >= 10) && (mhv_vec <= 14)) || (mhv_vec == 17) || (mhv_vec == 21) || (mhv_vec == 29) || (mhv_vec == 30)\n"
"	.else\n"
"	pushq $0\n"
"	.endif\n"
"	pushq $mhv_vec\n"
"	jmp .Lmhv_ex_common\n"
"	.set mhv_vec, mhv_vec + 1\n"
"	.endr\n"
"	.balign 16\n"
".Lmhv_ex_common:\n"
"	pushq %r15\n"
"	pushq %r14\n"
"	pushq %r13\n"
"	pushq %r12\n"
"	pushq %r11\n"
"	pushq %r10\n"
"	pushq %r9\n"
"	pushq %r8\n"
"	pushq %rbp\n"
"	pushq %rdi\n"
"	pushq %rsi\n"
"	pushq %rdx\n"
"	pushq %rcx\n"
"	pushq %rbx\n"
"	pushq %rax\n"
"	movq %rsp, %rdi\n"
"	cld\n"
"	call mhv_ex_dispatch\n"
"	popq %rax\n"
"	popq %rbx\n"
"	popq %rcx\n"
"	popq %rdx\n"
"	popq %rsi\n"
"	popq %rdi\n"
"	popq %rbp\n"
"	popq %r8\n"
"	popq %r9\n"
"	popq %r10\n"
"	popq %r11\n"
"	popq %r12\n"
"	popq %r13\n"
"	popq %r14\n"
"	popq %r15\n"
"	addq $16, %rsp\n"	/* vector, error code */
"	iretq\n"
"	.popsection\n");

extern const char mhv_ex_stubs[];

bool mhv_ex_has_error_code(unsigned int vector)
{
	switch (vector) {
	case 8: case 10: case 11: case 12: case 13: case 14:
	case 17: case 21: case 29: case 30:
		return true;
	default:
		return false;
	}
}

uint64_t mhv_ex_stub_addr(unsigned int vector)
{
	return (uint64_t)(uintptr_t)mhv_ex_stubs +
	       (uint64_t)(vector & 0xff) * MHV_EX_STUB_SIZE;
}

void mhv_idt_gate(uint64_t gate[2], uint64_t handler, uint16_t sel,
		  unsigned int ist, unsigned int dpl)
{
	gate[0] = (handler & 0xffff) | (uint64_t)sel << 16 |
		  (uint64_t)(ist & 7) << 32 | GATE_INTR64 << 40 |
		  (uint64_t)(dpl & 3) << 45 | 1ULL << 47 |
		  ((handler >> 16) & 0xffff) << 48;
	gate[1] = handler >> 32;
}

void mhv_tss64_init(uint8_t *tss, uint64_t rsp0, uint64_t ist1)
{
	uint16_t iomap = MHV_TSS64_SIZE;	/* past the limit: no bitmap */

	memset(tss, 0, MHV_TSS64_SIZE);
	memcpy(tss + 4, &rsp0, 8);
	memcpy(tss + 36, &ist1, 8);
	memcpy(tss + 102, &iomap, 2);
}

void mhv_guest_apply_options(const struct mhv_guest *g, unsigned int i,
			     struct mhv_sregs *s)
{
	if (g->idt_gpa) {
		s->idt.base = g->idt_gpa;
		s->idt.limit = IDT_ENTRIES * 16 - 1;
		s->tr.base = MHV_GUEST_TSS + i * MHV_GUEST_TSS_SIZE;
		s->tr.limit = MHV_TSS64_SIZE - 1;
	}
	if (g->user)
		s->gdt.limit = 5 * 8 - 1;
}

/* Apply the options to the current sregs of every vCPU. */
static int mhv_guest_update_sregs(struct mhv_guest *g)
{
	struct mhv_sregs s;
	unsigned int i;
	int ret;

	for (i = 0; i < g->nr_vcpus; i++) {
		ret = mhv_get_sregs(g->vcpu[i].fd, &s);
		if (ret)
			return ret;
		mhv_guest_apply_options(g, i, &s);
		ret = mhv_set_sregs(g->vcpu[i].fd, &s);
		if (ret)
			return ret;
	}
	return 0;
}

int mhv_guest_setup_idt(struct mhv_guest *g, uint64_t idt_gpa)
{
	uint64_t *idt;
	unsigned int v, i;

	if (!idt_gpa || (idt_gpa & 0xfff) || idt_gpa + 0x1000 > g->mem_size)
		return -EINVAL;
	idt = (uint64_t *)(g->mem + idt_gpa);
	for (v = 0; v < IDT_ENTRIES; v++)
		mhv_idt_gate(idt + 2 * v, mhv_ex_stub_addr(v),
			     MHV_GUEST_CODE_SEL, 1, 3);
	for (i = 0; i < g->nr_vcpus; i++) {
		uint64_t top = MHV_GUEST_EX_STACK_TOP -
			       i * MHV_GUEST_EX_STACK_SIZE;

		mhv_tss64_init(g->mem + MHV_GUEST_TSS + i * MHV_GUEST_TSS_SIZE,
			       top, top);
	}
	g->idt_gpa = idt_gpa;
	return mhv_guest_update_sregs(g);
}

int mhv_guest_install_handler(struct mhv_guest *g, unsigned int vector,
			      mhv_ex_handler handler)
{
	uint64_t gpa;

	if (vector >= IDT_ENTRIES)
		return -EINVAL;
	gpa = (uint64_t)(uintptr_t)&mhv_ex_handlers[vector];
	if (gpa + sizeof(handler) > g->mem_size)
		return -EFAULT;	/* not a static non-PIE program */
	memcpy(g->mem + gpa, &handler, sizeof(handler));
	return 0;
}

int mhv_guest_enable_user(struct mhv_guest *g)
{
	uint64_t *gdt = (uint64_t *)(g->mem + MHV_GUEST_GDT);
	uint64_t *pml4 = (uint64_t *)(g->mem + MHV_GUEST_PT);
	unsigned int i;

	gdt[MHV_GUEST_USER_DATA_SEL >> 3] = GDT_USER_DATA;
	gdt[MHV_GUEST_USER_CODE_SEL >> 3] = GDT_USER_CODE;
	/* PML4, PDPT and the 4 page directories: 6 pages, every entry */
	for (i = 0; i < 6 * 512; i++)
		if (pml4[i])
			pml4[i] |= PTE_US;
	g->user = 1;
	return mhv_guest_update_sregs(g);
}
