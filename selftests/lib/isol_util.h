/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the host-isolation selftests (isol_*.c): guest instructions
 * that may fault ("safe" forms that report the vector instead of dying),
 * control and debug register access, and host-side counters.
 *
 * The safe forms follow KVM selftests' KVM_ASM_SAFE: before the
 * instruction, R9 holds a magic value and R10/R11 the addresses of the
 * instruction and of the one after it; isol_ex_handler(), installed for
 * the vectors the instruction may raise, sees the magic at that RIP,
 * resumes after the instruction and leaves the vector in R9 and the
 * error code in R10. Any other exception is a guest assertion failure.
 */
#ifndef _MHV_ISOL_UTIL_H
#define _MHV_ISOL_UTIL_H

#include <stdint.h>
#include "guest_util.h"

#define ISOL_EX_MAGIC	0x5afe5afe5afe
#define ISOL_NO_EX	0xff	/* the instruction raised nothing */

#ifndef __stringify
#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)
#endif

#define VEC_DB		1
#define VEC_BP		3
#define VEC_UD		6
#define VEC_GP		13
#define VEC_AC		17

#define X86_CR0_AM	(1ULL << 18)
#define X86_CR4_OSXSAVE	(1ULL << 18)
#define X86_CR4_PKE	(1ULL << 22)
#define X86_RFLAGS_TF	(1ULL << 8)
#define X86_RFLAGS_AC	(1ULL << 18)

/* Guest: the handler for vectors a *_safe() instruction may raise. */
static inline void isol_ex_handler(struct mhv_ex_regs *r)
{
	if (r->r9 == ISOL_EX_MAGIC && r->rip == r->r10) {
		r->rip = r->r11;
		r->r9 = r->vector;
		r->r10 = r->error_code;
		return;
	}
	GUEST_UCALL(MHV_UCALL_ASSERT, r->vector, r->rip,
		    "unexpected exception (vector, RIP)");
	for (;;)
		__asm__ volatile("cli; hlt");
}

/*
 * Guest: run @insn (a string of assembly, operands as in the enclosing
 * asm statement) and give in @vec the vector it raised, ISOL_NO_EX if
 * none, and in @err the error code.
 */
#define ISOL_ASM_SAFE(insn)						\
	"movabsq $" __stringify(ISOL_EX_MAGIC) ", %%r9\n\t"		\
	"leaq 1f(%%rip), %%r10\n\t"					\
	"leaq 2f(%%rip), %%r11\n\t"					\
	"1: " insn "\n\t"						\
	"2:\n\t"							\
	"movabsq $" __stringify(ISOL_EX_MAGIC) ", %%r11\n\t"		\
	"cmpq %%r11, %%r9\n\t"						\
	"movl $" __stringify(ISOL_NO_EX) ", %%r11d\n\t"		\
	"cmoveq %%r11, %%r9\n\t"

static inline uint8_t wrmsr_safe(uint32_t msr, uint64_t val)
{
	uint64_t vec;

	__asm__ volatile(ISOL_ASM_SAFE("wrmsr") "movq %%r9, %0"
			 : "=r"(vec)
			 : "c"(msr), "a"((uint32_t)val), "d"(val >> 32)
			 : "r9", "r10", "r11", "memory", "cc");
	return vec;
}

static inline uint8_t rdmsr_safe(uint32_t msr, uint64_t *val)
{
	uint32_t lo, hi;
	uint64_t vec;

	__asm__ volatile(ISOL_ASM_SAFE("rdmsr") "movq %%r9, %0"
			 : "=r"(vec), "=a"(lo), "=d"(hi)
			 : "c"(msr), "a"(0), "d"(0)
			 : "r9", "r10", "r11", "memory", "cc");
	*val = lo | (uint64_t)hi << 32;
	return vec;
}

static inline uint8_t write_cr4_safe(uint64_t val)
{
	uint64_t vec;

	__asm__ volatile(ISOL_ASM_SAFE("movq %1, %%cr4") "movq %%r9, %0"
			 : "=r"(vec) : "r"(val)
			 : "r9", "r10", "r11", "memory", "cc");
	return vec;
}

static inline uint8_t write_cr0_safe(uint64_t val)
{
	uint64_t vec;

	__asm__ volatile(ISOL_ASM_SAFE("movq %1, %%cr0") "movq %%r9, %0"
			 : "=r"(vec) : "r"(val)
			 : "r9", "r10", "r11", "memory", "cc");
	return vec;
}

static inline uint64_t read_cr0(void)
{
	uint64_t v;

	__asm__ volatile("movq %%cr0, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr4(void)
{
	uint64_t v;

	__asm__ volatile("movq %%cr4, %0" : "=r"(v));
	return v;
}

/* Guest: DRn by number (a constant). */
#define read_dr(n) ({							\
	uint64_t __v;							\
	__asm__ volatile("movq %%dr" #n ", %0" : "=r"(__v));		\
	__v;								\
})
#define write_dr(n, v)							\
	__asm__ volatile("movq %0, %%dr" #n : : "r"((uint64_t)(v)) : "memory")

/*
 * Guest (vCPU 0): map the TSS and the exception stack in the second-level
 * tables, so that an exception's delivery faults only where a test wants.
 */
static inline void guest_map_ex_pages(void)
{
	(void)*(volatile uint64_t *)MHV_GUEST_TSS;
	*(volatile uint64_t *)(MHV_GUEST_EX_STACK_TOP - 8) = 0;
}

/* Host: vCPU @i's counter @stat, or ~0 when the ioctl fails. */
static inline uint64_t vcpu_stat(struct mhv_guest *g, unsigned int i,
				 unsigned int stat)
{
	struct mhv_vcpu_stats st;

	memset(&st, 0, sizeof(st));
	if (mhv_get_vcpu_stats(g->vcpu[i].fd, &st) || stat >= st.nr)
		return ~0ULL;
	return st.counters[stat];
}

#endif
