// SPDX-License-Identifier: GPL-2.0
/*
 * The MMIO decoder (kmod/mmio.c) on every form it claims: MOV 88, 89, 8A,
 * 8B, C6, C7, A0-A3 and MOVZX 0F B6/B7; 8-, 16-, 32- and 64-bit operands;
 * AH..BH without REX against SPL..DIL with it; REX.W/R/X/B; the prefixes
 * 66 (also repeated), 67, segment overrides; ModRM with SIB, displacements
 * and RIP-relative addresses; immediates sign-extended. Writes are checked
 * in the run page (address, size, value the guest's register held);
 * reads by the register value the guest reports afterwards, derived from
 * the register's value before and the data given.
 *
 * And what it must refuse: an instruction it does not emulate, and a
 * nested page fault the CPU took while walking the guest's page tables
 * (for the data access or the instruction fetch) in MMIO space: the walk's
 * read is not the instruction's data access, the VM stops in ERROR.
 */
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define MMIO		0x40000000ULL	/* no slot: MMIO, in reach of RIP+disp32 */
#define M(off)		(MMIO + (off))
#define REG0		0x1122334455667788ULL	/* a register before a read */
#define FS_BASE		0x1000ULL
#define GS_BASE		0x2000ULL
#define HIGH32		0xffffffff00000000ULL	/* ignored with 67 */

/*
 * RIP-relative operands at absolute addresses: the assembler would take
 * an absolute symbol for the displacement itself, so the displacement is
 * a relocation the linker fills in (@tail: bytes of the instruction
 * after the displacement, e.g. an immediate).
 */
__asm__(".globl mmio_rip_w\n.set mmio_rip_w, 0x40000300\n"
	".globl mmio_rip_imm\n.set mmio_rip_imm, 0x40000308\n"
	".globl mmio_rip_r\n.set mmio_rip_r, 0x40000310\n");
#define RIP_REL(opcode, sym, tail, tail_len)				\
	".byte " opcode "\n1:\t.long 0\n\t" tail "\n\t"			\
	".reloc 1b, R_X86_64_PC32, " sym " - 4 - " #tail_len "\n"

/* ---- writes ----------------------------------------------------------- */

static void guest_writes(uint64_t arg)
{
	uint64_t rsp;

	/* 88: AL, AH (no REX: 4 is AH), CH with disp8, SIL/DIL (REX: 6, 7) */
	__asm__ volatile("movb %%al, (%0)" : : "c"(M(0x00)), "a"(0x5a01ULL) : "memory");
	__asm__ volatile("movb %%ah, (%0)" : : "c"(M(0x08)), "a"(0x5a02ULL) : "memory");
	__asm__ volatile("movb %%ch, 0x10(%0)" : : "d"(M(0x00)), "c"(0x6b00ULL) : "memory");
	__asm__ volatile("movb %%sil, (%0)" : : "c"(M(0x18)), "S"(0x3c7dULL) : "memory");
	__asm__ volatile("movb %%dil, (%0)" : : "c"(M(0x20)), "D"(0x3c7eULL) : "memory");
	__asm__ volatile("mov %%rsp, %0\n\tmovb %%spl, (%1)"
			 : "=&r"(rsp) : "c"(M(0x28)) : "memory");
	GUEST_SYNC(rsp);
	__asm__ volatile("push %%rbp\n\tmov %1, %%rbp\n\tmovb %%bpl, (%0)\n\tpop %%rbp"
			 : : "c"(M(0x30)), "r"(0x4f61ULL) : "memory");
	{
		register uint64_t r9 __asm__("r9") = 0x99;

		/* REX.R: register 9 */
		__asm__ volatile("movb %%r9b, (%0)" : : "c"(M(0x38)), "r"(r9) : "memory");
	}
	/* 89: 16, 32, 64 bits */
	__asm__ volatile("movw %%ax, (%0)" : : "c"(M(0x40)), "a"(0x11223344aabbULL) : "memory");
	__asm__ volatile("movl %%eax, (%0)" : : "c"(M(0x48)), "a"(0x11223344aabbccddULL) : "memory");
	__asm__ volatile("movq %%rax, (%0)" : : "c"(M(0x50)), "a"(0x0102030405060708ULL) : "memory");
	{
		register uint64_t r10 __asm__("r10") = 0xa0a1a2a3a4a5a6a7ULL;
		register uint64_t r11 __asm__("r11") = M(0x58);
		register uint64_t r12 __asm__("r12") = 3;

		/* REX.W + R + B */
		__asm__ volatile("movq %0, (%1)" : : "r"(r10), "r"(r11) : "memory");
		/* SIB with REX.X: rcx + r12 * 4 */
		__asm__ volatile("movl %%eax, (%1,%2,4)"
				 : : "a"(0xc1c2c3c4ULL), "c"(M(0x60) - 12),
				   "r"(r12) : "memory");
	}
	/* SIB without base: [index * 2 + disp32]; negative disp8 */
	__asm__ volatile("movl %%eax, 0x40000000(,%1,2)"
			 : : "a"(0xd1d2d3d4ULL), "d"(0x34ULL) : "memory");
	__asm__ volatile("movl %%eax, -0x10(%1)"
			 : : "a"(0xe1e2e3e4ULL), "c"(M(0x80)) : "memory");
	/* RIP-relative */
	__asm__ volatile(RIP_REL("0x89, 0x05", "mmio_rip_w", , 0)
			 : : "a"(0xf1f2f3f4ULL) : "memory");
	/* ... followed by an immediate: relative to the end of it */
	__asm__ volatile(RIP_REL("0xc7, 0x05", "mmio_rip_imm", ".long 0xc7c7c7c7", 4)
			 : : : "memory");

	/* repeated operand-size prefix: still one 66, a 16-bit store */
	__asm__ volatile(".byte 0x66, 0x66, 0x89, 0x01" /* mov %ax,(%rcx) */
			 : : "c"(M(0x100)), "a"(0xfeed1234ULL) : "memory");
	__asm__ volatile(".byte 0x2e, 0x66, 0x66, 0x89, 0x01"
			 : : "c"(M(0x108)), "a"(0xfeed5678ULL) : "memory");
	__asm__ volatile(".byte 0x66, 0x2e, 0x66, 0x3e, 0x89, 0x01"
			 : : "c"(M(0x110)), "a"(0xfeed9abcULL) : "memory");
	/* ... with 67 (mov %ax,(%ecx): the high half of RCX is ignored) */
	__asm__ volatile(".byte 0x66, 0x67, 0x66, 0x89, 0x01"
			 : : "c"(HIGH32 | M(0x118)), "a"(0xfeeddef0ULL) : "memory");
	/* 67 67: still 32-bit addresses, not back to 64 */
	__asm__ volatile(".byte 0x67, 0x67, 0x89, 0x01"
			 : : "c"(HIGH32 | M(0x120)), "a"(0x67676767ULL) : "memory");
	/* REX.W wins over 66 */
	__asm__ volatile(".byte 0x66, 0x48, 0x89, 0x01"
			 : : "c"(M(0x128)), "a"(0x8877665544332211ULL) : "memory");

	/*
	 * segment overrides: FS and GS bases count; the others are accepted
	 * (their bases, which 64-bit mode ignores, stay 0: QEMU would add
	 * them)
	 */
	__asm__ volatile("movl %%eax, %%fs:(%0)"
			 : : "c"(M(0x130) - FS_BASE), "a"(0x0f0f0f0fULL) : "memory");
	__asm__ volatile("movl %%eax, %%gs:(%0)"
			 : : "c"(M(0x138) - GS_BASE), "a"(0x06060606ULL) : "memory");
	__asm__ volatile(".byte 0x3e, 0x89, 0x01" /* ds: mov %eax,(%rcx) */
			 : : "c"(M(0x140)), "a"(0x3e3e3e3eULL) : "memory");
	__asm__ volatile(".byte 0x26, 0x36, 0x89, 0x01" /* es: ss: */
			 : : "c"(M(0x148)), "a"(0x26362636ULL) : "memory");

	/* C6, C7: immediates, 64-bit ones sign-extended from 32 bits */
	__asm__ volatile("movb $0x9c, (%0)" : : "c"(M(0x180)) : "memory");
	__asm__ volatile("movw $0xbeef, (%0)" : : "c"(M(0x188)) : "memory");
	__asm__ volatile("movl $0x80000001, (%0)" : : "c"(M(0x190)) : "memory");
	__asm__ volatile("movq $-2, (%0)" : : "c"(M(0x198)) : "memory");
	__asm__ volatile("movq $0x7ffffff0, (%0)" : : "c"(M(0x1a0)) : "memory");
	__asm__ volatile("movl $0x11223344, 0x100(%0)" : : "c"(M(0x1a8) - 0x100) : "memory");
	__asm__ volatile(".byte 0x66, 0x66, 0xc7, 0x01, 0x34, 0x12" /* movw */
			 : : "c"(M(0x1b0)) : "memory");
	/* A2, A3: moffs64, and moffs32 with 67 */
	__asm__ volatile("movabs %%al, 0x40000200" : : "a"(0xa2ULL) : "memory");
	__asm__ volatile("movabs %%ax, 0x40000208" : : "a"(0xa3a3ULL) : "memory");
	__asm__ volatile("movabs %%eax, 0x40000210" : : "a"(0xa3a3a3a3ULL) : "memory");
	__asm__ volatile("movabs %%rax, 0x40000218" : : "a"(0xa3a3a3a3a3a3a3a3ULL) : "memory");
	__asm__ volatile(".byte 0x67, 0xa3\n\t.long 0x40000220"
			 : : "a"(0x67a367a3ULL) : "memory");
	GUEST_DONE();
}

struct mmio_case {
	uint64_t gpa;
	uint32_t len;
	uint64_t data;
};

/* the writes of guest_writes(), after the SPL store, in order */
static const struct mmio_case write_cases[] = {
	{ M(0x30), 1, 0x61 },		/* BPL */
	{ M(0x38), 1, 0x99 },		/* R9B */
	{ M(0x40), 2, 0xaabb },
	{ M(0x48), 4, 0xaabbccdd },
	{ M(0x50), 8, 0x0102030405060708ULL },
	{ M(0x58), 8, 0xa0a1a2a3a4a5a6a7ULL },
	{ M(0x60), 4, 0xc1c2c3c4 },
	{ M(0x68), 4, 0xd1d2d3d4 },
	{ M(0x70), 4, 0xe1e2e3e4 },
	{ 0x40000300, 4, 0xf1f2f3f4 },
	{ 0x40000308, 4, 0xc7c7c7c7 },
	{ M(0x100), 2, 0x1234 },
	{ M(0x108), 2, 0x5678 },
	{ M(0x110), 2, 0x9abc },
	{ M(0x118), 2, 0xdef0 },
	{ M(0x120), 4, 0x67676767 },
	{ M(0x128), 8, 0x8877665544332211ULL },
	{ M(0x130), 4, 0x0f0f0f0f },
	{ M(0x138), 4, 0x06060606 },
	{ M(0x140), 4, 0x3e3e3e3e },
	{ M(0x148), 4, 0x26362636 },
	{ M(0x180), 1, 0x9c },
	{ M(0x188), 2, 0xbeef },
	{ M(0x190), 4, 0x80000001 },
	{ M(0x198), 8, (uint64_t)-2LL },
	{ M(0x1a0), 8, 0x7ffffff0 },
	{ M(0x1a8), 4, 0x11223344 },
	{ M(0x1b0), 2, 0x1234 },
	{ M(0x200), 1, 0xa2 },
	{ M(0x208), 2, 0xa3a3 },
	{ M(0x210), 4, 0xa3a3a3a3 },
	{ M(0x218), 8, 0xa3a3a3a3a3a3a3a3ULL },
	{ M(0x220), 4, 0x67a367a3 },
};

static void expect_mmio(struct __test_metadata *_metadata, struct mhv_guest *g,
			uint64_t gpa, uint32_t len, int write, uint64_t data)
{
	struct mhv_run *run = g->vcpu[0].run;
	struct mhv_ucall uc;
	uint64_t got = 0;

	EXPECT_EXIT(g, 0, &uc, MHV_EXIT_MMIO);
	ASSERT_EQ(gpa, run->mmio.phys_addr)
		TH_LOG("exit at RIP 0x%llx", (unsigned long long)run->exit_rip);
	ASSERT_EQ(len, run->mmio.len)
		TH_LOG("gpa 0x%llx", (unsigned long long)gpa);
	ASSERT_EQ(write, run->mmio.is_write);
	if (write) {
		memcpy(&got, run->mmio.data, len);
		EXPECT_EQ(data, got) TH_LOG("gpa 0x%llx", (unsigned long long)gpa);
	} else {
		memcpy(run->mmio.data, &data, len);
	}
}

static int set_segment_bases(struct mhv_guest *g)
{
	struct mhv_sregs s;
	int ret = mhv_get_sregs(g->vcpu[0].fd, &s);

	if (ret)
		return ret;
	s.fs.base = FS_BASE;
	s.gs.base = GS_BASE;
	return mhv_set_sregs(g->vcpu[0].fd, &s);
}

TEST(writes)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_vcpu_stats st;
	uint64_t spl;
	size_t i;

	ASSERT_EQ(0, mhv_guest_create(&g, "mmio-writes", 1, 64, guest_writes, 0));
	ASSERT_EQ(0, set_segment_bases(&g));
	expect_mmio(_metadata, &g, M(0x00), 1, 1, 0x01);	/* AL */
	expect_mmio(_metadata, &g, M(0x08), 1, 1, 0x5a);	/* AH */
	expect_mmio(_metadata, &g, M(0x10), 1, 1, 0x6b);	/* CH */
	expect_mmio(_metadata, &g, M(0x18), 1, 1, 0x7d);	/* SIL */
	expect_mmio(_metadata, &g, M(0x20), 1, 1, 0x7e);	/* DIL */
	EXPECT_EXIT(&g, 0, &uc, MHV_EXIT_MMIO);		/* SPL */
	EXPECT_EQ(M(0x28), g.vcpu[0].run->mmio.phys_addr);
	EXPECT_EQ(1, g.vcpu[0].run->mmio.len);
	spl = g.vcpu[0].run->mmio.data[0];
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(uc.args[0] & 0xff, spl);
	for (i = 0; i < sizeof(write_cases) / sizeof(write_cases[0]); i++)
		expect_mmio(_metadata, &g, write_cases[i].gpa, write_cases[i].len, 1,
			    write_cases[i].data);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	ASSERT_EQ(0, mhv_get_vcpu_stats(g.vcpu[0].fd, &st));
	EXPECT_EQ(6 + sizeof(write_cases) / sizeof(write_cases[0]),
		  st.counters[MHV_STAT_MMIO]);
	mhv_guest_destroy(&g);
}

/* ---- reads ------------------------------------------------------------ */

#define READ(insn, reg_constraint, addr) do {				\
	uint64_t __v = REG0;						\
	__asm__ volatile(insn : reg_constraint(__v) : "c"(addr) : "memory"); \
	GUEST_SYNC(__v);						\
} while (0)

static void guest_reads(uint64_t arg)
{
	/* 8A: AL, AH, DH (no REX: 6 is DH), SIL (REX: 6 is SIL) */
	READ("movb (%1), %%al", "+a", M(0x00));
	READ("movb (%1), %%ah", "+a", M(0x08));
	READ("movb (%1), %%dh", "+d", M(0x10));
	READ("movb (%1), %%sil", "+S", M(0x18));
	READ("movb (%1), %%bh", "+b", M(0x20));
	{
		register uint64_t r9 __asm__("r9") = REG0;

		__asm__ volatile("movb (%1), %%r9b" : "+r"(r9) : "c"(M(0x28)) : "memory");
		GUEST_SYNC(r9);
	}
	/* 8B: 16 bits keep the rest, 32 zero-extend, 64 */
	READ("movw (%1), %%ax", "+a", M(0x30));
	READ(".byte 0x66, 0x66, 0x8b, 0x01", "+a", M(0x38));
	READ("movl (%1), %%eax", "+a", M(0x40));
	READ("movq (%1), %%rax", "+a", M(0x48));
	{
		register uint64_t r13 __asm__("r13") = REG0;

		__asm__ volatile("movq (%1), %%r13" : "+r"(r13) : "c"(M(0x50)) : "memory");
		GUEST_SYNC(r13);
	}
	{
		uint64_t v = REG0;

		/* SIB: rcx + rdx * 8 - 8 */
		__asm__ volatile("movl -8(%1,%2,8), %%eax"
				 : "+a"(v) : "c"(M(0x58) + 8 - 8 * 4), "d"(4ULL)
				 : "memory");
		GUEST_SYNC(v);
	}
	READ(RIP_REL("0x8b, 0x05", "mmio_rip_r", , 0), "+a", 0);
	/* 0F B6, 0F B7: zero-extend to the operand size */
	READ("movzbl (%1), %%eax", "+a", M(0x60));
	READ("movzbw (%1), %%ax", "+a", M(0x68));
	READ("movzbq (%1), %%rax", "+a", M(0x70));
	READ("movzwl (%1), %%eax", "+a", M(0x78));
	{
		register uint64_t r14 __asm__("r14") = REG0;
		register uint64_t r9 __asm__("r9") = M(0x80);

		/* REX.W + R + B */
		__asm__ volatile("movzwq (%1), %%r14" : "+r"(r14) : "r"(r9) : "memory");
		GUEST_SYNC(r14);
	}
	/* A0, A1: moffs64, and moffs32 with 67 */
	READ("movabs 0x40000200, %%al", "+a", 0);
	READ("movabs 0x40000208, %%ax", "+a", 0);
	READ("movabs 0x40000210, %%eax", "+a", 0);
	READ("movabs 0x40000218, %%rax", "+a", 0);
	READ(".byte 0x67, 0xa1\n\t.long 0x40000220", "+a", 0);
	GUEST_DONE();
}

/* @reg with @bits bits at bit @shift replaced by @data */
static uint64_t put(uint64_t reg, uint64_t data, int shift, int bits)
{
	uint64_t mask = (bits == 64 ? ~0ULL : (1ULL << bits) - 1) << shift;

	return (reg & ~mask) | ((data << shift) & mask);
}

struct read_case {
	uint64_t gpa;
	uint32_t len;
	uint64_t data;
	uint64_t want;		/* the register afterwards */
};

#define D1	0xe5ULL
#define D2	0xc3d4ULL
#define D4	0x8badf00dULL
#define D8	0xfedcba9876543210ULL

TEST(reads)
{
	const struct read_case reads[] = {
		{ M(0x00), 1, D1, put(REG0, D1, 0, 8) },	/* AL */
		{ M(0x08), 1, D1, put(REG0, D1, 8, 8) },	/* AH */
		{ M(0x10), 1, D1, put(REG0, D1, 8, 8) },	/* DH */
		{ M(0x18), 1, D1, put(REG0, D1, 0, 8) },	/* SIL */
		{ M(0x20), 1, D1, put(REG0, D1, 8, 8) },	/* BH */
		{ M(0x28), 1, D1, put(REG0, D1, 0, 8) },	/* R9B */
		{ M(0x30), 2, D2, put(REG0, D2, 0, 16) },
		{ M(0x38), 2, D2, put(REG0, D2, 0, 16) },	/* 66 66 */
		{ M(0x40), 4, D4, D4 },				/* zero-extends */
		{ M(0x48), 8, D8, D8 },
		{ M(0x50), 8, D8, D8 },				/* R13 */
		{ M(0x58), 4, D4, D4 },				/* SIB */
		{ 0x40000310, 4, D4, D4 },			/* RIP-relative */
		{ M(0x60), 1, D1, D1 },				/* movzbl */
		{ M(0x68), 1, D1, put(REG0, D1, 0, 16) },	/* movzbw */
		{ M(0x70), 1, D1, D1 },				/* movzbq */
		{ M(0x78), 2, D2, D2 },				/* movzwl */
		{ M(0x80), 2, D2, D2 },				/* movzwq r14 */
		{ M(0x200), 1, D1, put(REG0, D1, 0, 8) },
		{ M(0x208), 2, D2, put(REG0, D2, 0, 16) },
		{ M(0x210), 4, D4, D4 },
		{ M(0x218), 8, D8, D8 },
		{ M(0x220), 4, D4, D4 },			/* 67 A1 */
	};
	struct mhv_guest g;
	struct mhv_ucall uc;
	size_t i;

	ASSERT_EQ(0, mhv_guest_create(&g, "mmio-reads", 1, 64, guest_reads, 0));
	for (i = 0; i < sizeof(reads) / sizeof(reads[0]); i++) {
		expect_mmio(_metadata, &g, reads[i].gpa, reads[i].len, 0,
			    reads[i].data);
		EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
		EXPECT_EQ(reads[i].want, uc.args[0])
			TH_LOG("read %zu of 0x%llx", i,
			       (unsigned long long)reads[i].gpa);
	}
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

/* ---- 16-bit code: 16-bit addressing, default segments, 66 and 67 ------ */

/* real mode, CS = 0, code at 0x1000; memory is 0-0xffff, MMIO above */
static const unsigned char rm_code[] = {
	0xb8, 0x00, 0x20,		/* mov ax, 0x2000 */
	0x8e, 0xd8,			/* mov ds, ax */
	0xb8, 0x00, 0x30,		/* mov ax, 0x3000 */
	0x8e, 0xd0,			/* mov ss, ax */
	0xb8, 0x00, 0x28,		/* mov ax, 0x2800 */
	0x8e, 0xc0,			/* mov es, ax */
	0xbb, 0x10, 0x00,		/* mov bx, 0x10 */
	0xbe, 0x04, 0x00,		/* mov si, 4 */
	0xbd, 0x40, 0x00,		/* mov bp, 0x40 */
	0xc7, 0x40, 0x20, 0x34, 0x12,	/* mov word [bx+si+0x20], 0x1234 */
	0x66, 0xb8, 0x78, 0x56, 0x34, 0x12, /* mov eax, 0x12345678 */
	0x66, 0x89, 0x07,		/* mov [bx], eax: 66 = 32 bits */
	0x66, 0x66, 0x89, 0x47, 0x08,	/* mov [bx+8], eax: still 32 */
	0x89, 0x47, 0x0c,		/* mov [bx+0xc], ax */
	0x66, 0xb9, 0x30, 0x00, 0x00, 0x00, /* mov ecx, 0x30 */
	0x67, 0x89, 0x01,		/* mov [ecx], ax: 67 = 32-bit address */
	0x8a, 0x66, 0x02,		/* mov ah, [bp+2]: SS by default */
	0x26, 0x88, 0x27,		/* mov es:[bx], ah */
	0xf4,				/* hlt */
};

TEST(real_mode_forms)
{
	struct mhv_vm_config c = { .name = "mmio-real", .vcpu_count = 1,
				   .memory_mb = 1, .arch = MHV_ARCH_X86_64 };
	struct mhv_memory_region r = { .slot = 0, .size = 0x10000 };
	unsigned char *mem;
	struct mhv_run *run;
	struct mhv_sregs s;
	struct mhv_regs regs;
	int sys, vm, vcpu;

	sys = mhv_open_system();
	ASSERT_GE(sys, 0);
	vm = mhv_create_vm(sys, &c);
	ASSERT_GE(vm, 0);
	mem = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	memcpy(mem + 0x1000, rm_code, sizeof(rm_code));
	r.userspace_addr = (uintptr_t)mem;
	ASSERT_EQ(0, mhv_set_memory_region(vm, &r));
	vcpu = mhv_create_vcpu(vm, 0);
	ASSERT_GE(vcpu, 0);
	ASSERT_EQ(0, mhv_map_run(vcpu, &run));
	ASSERT_EQ(0, mhv_get_sregs(vcpu, &s));
	s.cs.selector = 0;
	s.cs.base = 0;
	ASSERT_EQ(0, mhv_set_sregs(vcpu, &s));
	memset(&regs, 0, sizeof(regs));
	regs.rip = 0x1000;
	regs.rflags = 2;
	ASSERT_EQ(0, mhv_set_regs(vcpu, &regs));

#define RM_EXPECT(_gpa, _len, _write) do {				\
	ASSERT_EQ(0, mhv_run(vcpu));					\
	ASSERT_EQ(MHV_EXIT_MMIO, run->exit_reason)			\
		TH_LOG("exit %s", mhv_exit_reason_name(run->exit_reason)); \
	EXPECT_EQ((_gpa), run->mmio.phys_addr);				\
	EXPECT_EQ((_len), run->mmio.len);				\
	EXPECT_EQ((_write), run->mmio.is_write);			\
} while (0)
	RM_EXPECT(0x20000 + 0x10 + 4 + 0x20, 2, 1);
	EXPECT_EQ(0x1234, *(uint16_t *)run->mmio.data);
	RM_EXPECT(0x20000 + 0x10, 4, 1);
	EXPECT_EQ(0x12345678, *(uint32_t *)run->mmio.data);
	RM_EXPECT(0x20000 + 0x18, 4, 1);
	EXPECT_EQ(0x12345678, *(uint32_t *)run->mmio.data);
	RM_EXPECT(0x20000 + 0x1c, 2, 1);
	EXPECT_EQ(0x5678, *(uint16_t *)run->mmio.data);
	RM_EXPECT(0x20000 + 0x30, 2, 1);
	RM_EXPECT(0x30000 + 0x40 + 2, 1, 0);
	run->mmio.data[0] = 0xa7;
	RM_EXPECT(0x28000 + 0x10, 1, 1);
	EXPECT_EQ(0xa7, run->mmio.data[0]);
#undef RM_EXPECT
	ASSERT_EQ(0, mhv_run(vcpu));
	EXPECT_EQ(MHV_EXIT_HLT, run->exit_reason);
	ASSERT_EQ(0, mhv_get_regs(vcpu, &regs));
	EXPECT_EQ(put(0x12345678, 0xa7, 8, 8), regs.rax);
	EXPECT_EQ(0x1000 + sizeof(rm_code), regs.rip);

	mhv_unmap_run(run);
	close(vcpu);
	close(vm);
	close(sys);
	munmap(mem, 0x10000);
}

/* ---- what the decoder refuses ------------------------------------------ */

static void guest_add_to_mmio(uint64_t arg)
{
	__asm__ volatile("addl $1, (%0)" : : "r"(M(0x400)) : "memory");
	GUEST_DONE();
}

static void expect_internal_error(struct __test_metadata *_metadata,
				  struct mhv_guest *g)
{
	struct mhv_run *run = g->vcpu[0].run;
	struct mhv_vm_info info;
	struct mhv_ucall uc;

	EXPECT_EXIT(g, 0, &uc, MHV_EXIT_INTERNAL_ERROR);
	EXPECT_EQ(MHV_ERR_INTERNAL, run->fail.reason);
	ASSERT_EQ(0, mhv_get_vm_info(g->vm_fd, &info));
	EXPECT_EQ(MHV_VM_ERROR, info.state);
	EXPECT_EQ(MHV_ERR_INTERNAL, info.error);
	EXPECT_EQ(-EIO, mhv_run(g->vcpu[0].fd));
}

TEST(other_instruction_stops_the_vm)
{
	struct mhv_guest g;

	ASSERT_EQ(0, mhv_guest_create(&g, "mmio-add", 1, 64,
				      guest_add_to_mmio, 0));
	expect_internal_error(_metadata, &g);
	mhv_guest_destroy(&g);
}

/*
 * Guest page tables in MMIO space. The loader's PML4 maps the first
 * 512 GiB; PML4 entry 1 (linear 512 GiB up) is pointed at a PDPT in
 * guest-physical space no slot backs. Touching linear WALK_VA makes the
 * CPU's page walk fault on that PDPT: the nested page fault's address is
 * the page-table entry's, not the operand's.
 */
#define WALK_VA		(512ULL << 30)
#define WALK_PDPT	0xd0000000ULL

static void guest_read_via_mmio_pt(uint64_t arg)
{
	uint32_t v;

	__asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(WALK_VA + 0x10) : "memory");
	GUEST_SYNC(v);
	GUEST_DONE();
}

static void guest_write_via_mmio_pt(uint64_t arg)
{
	__asm__ volatile("movl $0x5a5a5a5a, (%0)" : : "r"(WALK_VA + 0x20) : "memory");
	GUEST_DONE();
}

static void guest_fetch_via_mmio_pt(uint64_t arg)
{
	((void (*)(void))(WALK_VA + 0x40))();
	GUEST_DONE();
}

static void run_with_mmio_page_tables(struct __test_metadata *_metadata,
				      void (*fn)(uint64_t))
{
	struct mhv_guest g;
	uint64_t *pml4;

	ASSERT_EQ(0, mhv_guest_create(&g, "mmio-pt", 1, 64, fn, 0));
	pml4 = mhv_guest_ptr(&g, MHV_GUEST_PT);
	ASSERT_NE(NULL, pml4);
	pml4[1] = WALK_PDPT | 0x3;	/* present, writable */
	expect_internal_error(_metadata, &g);
	mhv_guest_destroy(&g);
}

TEST(page_walk_in_mmio_space_for_a_read)
{
	run_with_mmio_page_tables(_metadata, guest_read_via_mmio_pt);
}

TEST(page_walk_in_mmio_space_for_a_write)
{
	run_with_mmio_page_tables(_metadata, guest_write_via_mmio_pt);
}

TEST(page_walk_in_mmio_space_for_a_fetch)
{
	run_with_mmio_page_tables(_metadata, guest_fetch_via_mmio_pt);
}

TEST_HARNESS_MAIN
