// SPDX-License-Identifier: GPL-2.0
/*
 * The MMIO decoder (kmod/mmio.c) on every form it claims: MOV 88, 89, 8A,
 * 8B, C6, C7, A0-A3, MOVZX 0F B6/B7, MOVSX 0F BE/BF and MOVSXD 63;
 * 8-, 16-, 32- and 64-bit operands; AH..BH without REX against SPL..DIL
 * with it; REX.W/R/X/B (also R12 and R13 as bases, which need SIB and
 * disp8); the prefixes 66 (also repeated), 67, segment overrides; ModRM
 * with SIB, displacements and RIP-relative addresses; immediates
 * sign-extended; every form of Jailhouse's mmio-access and
 * mmio-access-32 tests. In 64-bit mode, in 32-bit protected mode and in
 * real mode. Writes are checked in the run page (address, size, value
 * the guest's register held); reads by the register value the guest
 * reports afterwards, derived from the register's value before and the
 * data given (sign and zero extension, bits kept by 8/16-bit loads).
 * The same decoder completing accesses to an in-kernel device (the
 * demo device in MMIO space) with no exit to userspace.
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

/*
 * More stores: the high byte registers DH and BH, the bases that need
 * special encodings (R12: SIB; R13: disp8 0), the forms of Jailhouse's
 * mmio-access test (SIB with neither base nor index, SIB with disp32,
 * mod=2 disp32, 67 with disp8/disp32, REX.W + 67 A3, C7 with REX.W and
 * a negative imm32) and REX.W overriding 66 for C7.
 */
static void guest_writes_more(void)
{
	register uint64_t r12 __asm__("r12") = M(0x240);
	register uint64_t r13 __asm__("r13") = M(0x248);

	__asm__ volatile("movb %%dh, (%0)" : : "c"(M(0x230)), "d"(0x7c00ULL) : "memory");
	__asm__ volatile("movb %%bh, (%0)" : : "c"(M(0x238)), "b"(0x8d00ULL) : "memory");
	__asm__ volatile("movl %%eax, (%1)" : : "a"(0x12121212ULL), "r"(r12) : "memory");
	__asm__ volatile("movl %%eax, (%1)" : : "a"(0x13131313ULL), "r"(r13) : "memory");
	r13 = 8;
	/* SIB with REX.X: rcx + r13 */
	__asm__ volatile("movl %%eax, (%1,%2)"
			 : : "a"(0x14141414ULL), "c"(M(0x250) - 8), "r"(r13) : "memory");
	/* SIB base 5 without base, index 4 without index: [disp32] */
	__asm__ volatile("movq %%rax, 0x40000258" : : "a"(0x8899aabbccddeeffULL) : "memory");
	__asm__ volatile("movq %%rax, (%1,%2)"
			 : : "a"(0x1515151515151515ULL), "b"(M(0x260)), "c"(0ULL) : "memory");
	__asm__ volatile("movq %%rax, 0x10000000(%1,%2)"
			 : : "a"(0x1616161616161616ULL), "b"(M(0x268) - 0x10000000),
			   "c"(0ULL) : "memory");
	__asm__ volatile("movq %%rax, 0x10000000(%1)"
			 : : "a"(0x1717171717171717ULL), "b"(M(0x270) - 0x10000000) : "memory");
	__asm__ volatile("movl $0xccddeeff, 0x10000000(%0)"
			 : : "b"(M(0x278) - 0x10000000) : "memory");
	/* 67: the high half of RBX is ignored, disp8 and disp32 */
	__asm__ volatile("movl $0xccddeeff, 0x10(%%ebx)"
			 : : "b"(HIGH32 | (M(0x280) - 0x10)) : "memory");
	__asm__ volatile("movl $0xccddeeff, 0x10000000(%%ebx)"
			 : : "b"(HIGH32 | (M(0x288) - 0x10000000)) : "memory");
	__asm__ volatile("movq %%rax, 0x10000000(%%ebx)"
			 : : "a"(0x8765432112345678ULL),
			   "b"(HIGH32 | (M(0x290) - 0x10000000)) : "memory");
	/* C7 with REX.W: imm32 0xccddeeff sign-extended */
	__asm__ volatile("movq $-0x33221101, (%0)" : : "c"(M(0x298)) : "memory");
	/* 67 48 A3: moffs32, 64-bit data */
	__asm__ volatile(".byte 0x67, 0x48, 0xa3\n\t.long 0x400002a0"
			 : : "a"(0x8899aabbccddeeffULL) : "memory");
	/* 66 48 C7: REX.W wins, an imm32 (not imm16) sign-extended */
	__asm__ volatile(".byte 0x66, 0x48, 0xc7, 0x01\n\t.long 0x80000000"
			 : : "c"(M(0x2a8)) : "memory");
}

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
	guest_writes_more();
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
	/* guest_writes_more() */
	{ M(0x230), 1, 0x7c },				/* DH */
	{ M(0x238), 1, 0x8d },				/* BH */
	{ M(0x240), 4, 0x12121212 },			/* (%r12) */
	{ M(0x248), 4, 0x13131313 },			/* (%r13) */
	{ M(0x250), 4, 0x14141414 },			/* index r13 */
	{ M(0x258), 8, 0x8899aabbccddeeffULL },		/* [disp32] */
	{ M(0x260), 8, 0x1515151515151515ULL },
	{ M(0x268), 8, 0x1616161616161616ULL },
	{ M(0x270), 8, 0x1717171717171717ULL },
	{ M(0x278), 4, 0xccddeeff },
	{ M(0x280), 4, 0xccddeeff },
	{ M(0x288), 4, 0xccddeeff },
	{ M(0x290), 8, 0x8765432112345678ULL },
	{ M(0x298), 8, 0xffffffffccddeeffULL },
	{ M(0x2a0), 8, 0x8899aabbccddeeffULL },
	{ M(0x2a8), 8, 0xffffffff80000000ULL },
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

/*
 * More loads: MOVSX (0F BE, 0F BF) and MOVSXD (63) with negative and
 * positive data, the high byte register CH, DIL and BPL (REX), R12 and
 * R13 bases, and the read forms of Jailhouse's mmio-access test (67,
 * REX.W + 67 A1, [disp32] by SIB, mod=2 disp32).
 */
static void guest_reads_more(void)
{
	READ("movsbw (%1), %%ax", "+a", M(0x90));
	READ("movsbl (%1), %%eax", "+a", M(0x98));
	READ("movsbq (%1), %%rax", "+a", M(0xa0));
	READ("movsbl (%1), %%eax", "+a", M(0xa8));
	READ(".byte 0x66, 0x0f, 0xbf, 0x01", "+a", M(0xb0));	/* movsww */
	READ("movswl (%1), %%eax", "+a", M(0xb8));
	READ("movswq (%1), %%rax", "+a", M(0xc0));
	READ("movswq (%1), %%rax", "+a", M(0xc8));
	{
		register uint64_t r14 __asm__("r14") = REG0;
		register uint64_t r9 __asm__("r9") = M(0xd0);

		/* REX.W + R + B */
		__asm__ volatile("movsbq (%1), %%r14" : "+r"(r14) : "r"(r9) : "memory");
		GUEST_SYNC(r14);
	}
	READ("movslq (%1), %%rax", "+a", M(0xd8));
	READ("movslq (%1), %%rax", "+a", M(0xe0));
	READ(".byte 0x63, 0x01", "+a", M(0xe8));		/* no REX.W */
	READ(".byte 0x66, 0x63, 0x01", "+a", M(0xf0));	/* 66: 16 bits */
	{
		uint64_t v = REG0;

		__asm__ volatile("movb (%1), %%ch" : "+c"(v) : "d"(M(0xf8)) : "memory");
		GUEST_SYNC(v);
	}
	READ("movb (%1), %%dil", "+D", M(0x100));
	{
		uint64_t v = REG0;

		__asm__ volatile("push %%rbp\n\tmov %0, %%rbp\n\tmovb (%1), %%bpl\n\t"
				 "mov %%rbp, %0\n\tpop %%rbp"
				 : "+a"(v) : "c"(M(0x108)) : "memory");
		GUEST_SYNC(v);
	}
	READ("movl (%%ecx), %%eax", "+a", HIGH32 | M(0x110));
	READ("movzbl (%%ecx), %%eax", "+a", HIGH32 | M(0x118));
	READ(".byte 0x67, 0x48, 0xa1\n\t.long 0x40000120", "+a", 0);
	READ("movq 0x40000128, %%rax", "+a", 0);
	READ("movq 0x10000000(%1), %%rax", "+a", M(0x130) - 0x10000000);
	{
		register uint64_t r12 __asm__("r12") = M(0x140);
		register uint64_t r13 __asm__("r13") = M(0x138);
		uint64_t v = REG0, w = REG0;

		__asm__ volatile("movl (%1), %%eax" : "+a"(v) : "r"(r13) : "memory");
		GUEST_SYNC(v);
		__asm__ volatile("movw (%1), %%ax" : "+a"(w) : "r"(r12) : "memory");
		GUEST_SYNC(w);
	}
}

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
	guest_reads_more();
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
#define P1	0x5aULL			/* sign bits clear */
#define P2	0x7ffeULL
#define P4	0x7badf00dULL

/* @v, @bits wide, sign-extended to 64 bits */
static uint64_t sx(uint64_t v, int bits)
{
	uint64_t sign = 1ULL << (bits - 1);

	v &= (sign << 1) - 1;
	return (v ^ sign) - sign;
}

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
		/* guest_reads_more() */
		{ M(0x90), 1, D1, put(REG0, sx(D1, 8), 0, 16) },	/* movsbw */
		{ M(0x98), 1, D1, (uint32_t)sx(D1, 8) },	/* movsbl */
		{ M(0xa0), 1, D1, sx(D1, 8) },			/* movsbq */
		{ M(0xa8), 1, P1, P1 },				/* positive */
		{ M(0xb0), 2, D2, put(REG0, D2, 0, 16) },	/* movsww */
		{ M(0xb8), 2, D2, (uint32_t)sx(D2, 16) },	/* movswl */
		{ M(0xc0), 2, D2, sx(D2, 16) },			/* movswq */
		{ M(0xc8), 2, P2, P2 },				/* positive */
		{ M(0xd0), 1, D1, sx(D1, 8) },			/* movsbq r14 */
		{ M(0xd8), 4, D4, sx(D4, 32) },			/* movslq */
		{ M(0xe0), 4, P4, P4 },				/* positive */
		{ M(0xe8), 4, D4, D4 },				/* 63, no REX.W */
		{ M(0xf0), 2, D2, put(REG0, D2, 0, 16) },	/* 66 63 */
		{ M(0xf8), 1, D1, put(REG0, D1, 8, 8) },	/* CH */
		{ M(0x100), 1, D1, put(REG0, D1, 0, 8) },	/* DIL */
		{ M(0x108), 1, D1, put(REG0, D1, 0, 8) },	/* BPL */
		{ M(0x110), 4, D4, D4 },			/* 67 8B */
		{ M(0x118), 1, D1, D1 },			/* 67 0F B6 */
		{ M(0x120), 8, D8, D8 },			/* 67 48 A1 */
		{ M(0x128), 8, D8, D8 },			/* [disp32] */
		{ M(0x130), 8, D8, D8 },			/* mod=2 */
		{ M(0x138), 4, D4, D4 },			/* (%r13) */
		{ M(0x140), 2, D2, put(REG0, D2, 0, 16) },	/* (%r12) */
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

/* ---- 32-bit code: the forms of Jailhouse's mmio-access-32 test ---------- */

/*
 * Flat 32-bit protected mode without paging (CS.D = 1, no REX), code at
 * PM_CODE, MMIO at PM_MMIO. Every read stores its register into
 * PM_RESULTS; FS has base PM_MMIO, so 67 (16-bit addressing) can reach
 * MMIO too.
 */
#define PM_CODE		0x1000
#define PM_RESULTS	0x8000
#define PM_MMIO		0x40000000ULL
#define PM(off)		(PM_MMIO + (off))

__asm__(".pushsection .rodata\n"
	".globl pm32_code\n.globl pm32_code_end\n"
	"pm32_code:\n"
	".code32\n"
	"mov $0x40000000, %ebx\n"
	"xor %ecx, %ecx\n"
	/* reads: 8B, 8A AL, 8A AH, 0F B6, 0F B7, 0F BE, 0F BF, 66 8B, A1 */
	"mov $0x11111111, %eax\n movl (%ebx), %eax\n mov %eax, 0x8000\n"
	"mov $0x11111111, %eax\n movb 0x08(%ebx), %al\n mov %eax, 0x8004\n"
	"mov $0x11111111, %eax\n movb 0x10(%ebx), %ah\n mov %eax, 0x8008\n"
	"movzbl 0x18(%ebx), %eax\n mov %eax, 0x800c\n"
	"movzwl 0x20(%ebx), %eax\n mov %eax, 0x8010\n"
	"movsbl 0x28(%ebx), %eax\n mov %eax, 0x8014\n"
	"movswl 0x30(%ebx), %eax\n mov %eax, 0x8018\n"
	"mov $0x11111111, %eax\n movw 0x38(%ebx), %ax\n mov %eax, 0x801c\n"
	"movl 0x40000040, %eax\n mov %eax, 0x8020\n"
	/* CH (5 without REX), mod=2 disp32, SIB, SIB + disp32 */
	"mov $0x11111111, %ecx\n movb 0x48(%ebx), %ch\n mov %ecx, 0x8024\n"
	"xor %ecx, %ecx\n"
	"mov $0x30000050, %edx\n movl 0x10000000(%edx), %eax\n mov %eax, 0x8028\n"
	"mov $0x40000058, %edx\n movl (%edx,%ecx), %eax\n mov %eax, 0x802c\n"
	"mov $0x30000060, %esi\n movl 0x10000000(%esi,%ecx), %eax\n mov %eax, 0x8030\n"
	/* 64 67 8B: mov eax, fs:[bx]; the high half of EBX is ignored */
	"mov $0x12340068, %ebx\n .byte 0x64, 0x67, 0x8b, 0x07\n mov %eax, 0x8034\n"
	"mov $0x40000000, %ebx\n"
	/* writes: A3, 89 05 disp32 (absolute, not RIP-relative), 89 04 25 */
	"mov $0x8899aabb, %eax\n"
	"movl %eax, 0x40000100\n"
	".byte 0x89, 0x05\n .long 0x40000108\n"
	".byte 0x89, 0x04, 0x25\n .long 0x40000110\n"
	"movb %al, 0x118(%ebx)\n"
	"movb %ah, 0x120(%ebx)\n"
	"movw %ax, 0x128(%ebx)\n"
	"movl $0x12345678, 0x130(%ebx)\n"
	"mov $0x40000128, %edx\n movl $0x11223344, 0x10(%edx)\n"
	"movb $0x9c, 0x140(%ebx)\n"
	"movw $0xbeef, 0x148(%ebx)\n"
	"mov $0x54, %ecx\n movl %eax, (%ebx,%ecx,4)\n"
	"xor %ecx, %ecx\n"
	"mov $0x30000158, %esi\n movl %eax, 0x10000000(%esi,%ecx)\n"
	"mov $0x12340160, %ebx\n .byte 0x64, 0x67, 0x89, 0x07\n"
	"mov $0x7700, %ebx\n mov $0x40000168, %ecx\n movb %bh, (%ecx)\n"
	"hlt\n"
	".code64\n"
	"pm32_code_end:\n"
	".popsection\n");
extern const unsigned char pm32_code[], pm32_code_end[];

/* what the reads of pm32_code get, and what they leave in the register */
static const struct read_case pm32_reads[] = {
	{ PM(0x00), 4, D4, D4 },
	{ PM(0x08), 1, D1, 0x111111e5 },		/* AL */
	{ PM(0x10), 1, D1, 0x1111e511 },		/* AH */
	{ PM(0x18), 1, D1, D1 },			/* movzbl */
	{ PM(0x20), 2, D2, D2 },			/* movzwl */
	{ PM(0x28), 1, D1, 0xffffffe5 },		/* movsbl */
	{ PM(0x30), 2, D2, 0xffffc3d4 },		/* movswl */
	{ PM(0x38), 2, D2, 0x1111c3d4 },		/* 66 8B */
	{ PM(0x40), 4, D4, D4 },			/* A1 */
	{ PM(0x48), 1, D1, 0x1111e511 },		/* CH */
	{ PM(0x50), 4, D4, D4 },			/* mod=2 */
	{ PM(0x58), 4, D4, D4 },			/* SIB */
	{ PM(0x60), 4, D4, D4 },			/* SIB + disp32 */
	{ PM(0x68), 4, D4, D4 },			/* 64 67 8B */
};

static const struct mmio_case pm32_writes[] = {
	{ PM(0x100), 4, 0x8899aabb },			/* A3 */
	{ PM(0x108), 4, 0x8899aabb },			/* 89 05 */
	{ PM(0x110), 4, 0x8899aabb },			/* 89 04 25 */
	{ PM(0x118), 1, 0xbb },				/* AL */
	{ PM(0x120), 1, 0xaa },				/* AH */
	{ PM(0x128), 2, 0xaabb },			/* 66 89 */
	{ PM(0x130), 4, 0x12345678 },			/* C7 disp32 */
	{ PM(0x138), 4, 0x11223344 },			/* C7 disp8 */
	{ PM(0x140), 1, 0x9c },				/* C6 */
	{ PM(0x148), 2, 0xbeef },			/* 66 C7 */
	{ PM(0x150), 4, 0x8899aabb },			/* SIB * 4 */
	{ PM(0x158), 4, 0x8899aabb },			/* SIB + disp32 */
	{ PM(0x160), 4, 0x8899aabb },			/* 64 67 89 */
	{ PM(0x168), 1, 0x77 },				/* BH */
};

/* A VM with 64 KiB of memory at 0 holding @code at @entry; vCPU 0 there. */
struct small_vm {
	int sys, vm, vcpu;
	unsigned char *mem;
	struct mhv_run *run;
};

static int small_vm_create(struct small_vm *v, const char *name,
			   const void *code, size_t len, uint64_t entry)
{
	struct mhv_vm_config c = { .vcpu_count = 1, .memory_mb = 1,
				   .arch = MHV_ARCH_X86_64 };
	struct mhv_memory_region r = { .slot = 0, .size = 0x10000 };
	int ret;

	strncpy(c.name, name, sizeof(c.name) - 1);
	memset(v, 0, sizeof(*v));
	v->vm = v->vcpu = -1;
	v->sys = mhv_open_system();
	if (v->sys < 0)
		return v->sys;
	v->vm = mhv_create_vm(v->sys, &c);
	if (v->vm < 0)
		return v->vm;
	v->mem = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (v->mem == MAP_FAILED) {
		v->mem = NULL;
		return -ENOMEM;
	}
	memcpy(v->mem + entry, code, len);
	r.userspace_addr = (uintptr_t)v->mem;
	ret = mhv_set_memory_region(v->vm, &r);
	if (ret)
		return ret;
	v->vcpu = mhv_create_vcpu(v->vm, 0);
	if (v->vcpu < 0)
		return v->vcpu;
	return mhv_map_run(v->vcpu, &v->run);
}

static void small_vm_destroy(struct small_vm *v)
{
	if (v->run)
		mhv_unmap_run(v->run);
	if (v->vcpu >= 0)
		close(v->vcpu);
	if (v->vm >= 0)
		close(v->vm);
	if (v->sys >= 0)
		close(v->sys);
	if (v->mem)
		munmap(v->mem, 0x10000);
}

static void flat_segment(struct mhv_segment *s, uint16_t sel, uint8_t type)
{
	s->base = 0;
	s->limit = 0xffffffff;
	s->selector = sel;
	s->type = type;
	s->present = 1;
	s->dpl = 0;
	s->db = 1;
	s->s = 1;
	s->l = 0;
	s->g = 1;
	s->avl = 0;
	s->unusable = 0;
}

static int set_protected_mode(int vcpu, uint64_t entry)
{
	struct mhv_regs regs;
	struct mhv_sregs s;
	int ret = mhv_get_sregs(vcpu, &s);

	if (ret)
		return ret;
	flat_segment(&s.cs, 0x08, 0xb);
	flat_segment(&s.ds, 0x10, 0x3);
	s.es = s.ds;
	s.ss = s.ds;
	s.gs = s.ds;
	s.fs = s.ds;
	s.fs.base = PM_MMIO;
	s.cr0 |= 1;			/* PE; PG stays clear */
	ret = mhv_set_sregs(vcpu, &s);
	if (ret)
		return ret;
	memset(&regs, 0, sizeof(regs));
	regs.rip = entry;
	regs.rsp = 0xf000;
	regs.rflags = 2;
	return mhv_set_regs(vcpu, &regs);
}

static void expect_small_mmio(struct __test_metadata *_metadata,
			      struct small_vm *v, const struct mmio_case *c,
			      int write)
{
	uint64_t got = 0;

	ASSERT_EQ(0, mhv_run(v->vcpu));
	ASSERT_EQ(MHV_EXIT_MMIO, v->run->exit_reason)
		TH_LOG("exit %s at RIP 0x%llx, expected gpa 0x%llx",
		       mhv_exit_reason_name(v->run->exit_reason),
		       (unsigned long long)v->run->exit_rip,
		       (unsigned long long)c->gpa);
	ASSERT_EQ(c->gpa, v->run->mmio.phys_addr)
		TH_LOG("exit at RIP 0x%llx", (unsigned long long)v->run->exit_rip);
	ASSERT_EQ(c->len, v->run->mmio.len)
		TH_LOG("gpa 0x%llx", (unsigned long long)c->gpa);
	ASSERT_EQ(write, v->run->mmio.is_write);
	if (write) {
		memcpy(&got, v->run->mmio.data, c->len);
		EXPECT_EQ(c->data, got)
			TH_LOG("gpa 0x%llx", (unsigned long long)c->gpa);
	} else {
		memcpy(v->run->mmio.data, &c->data, c->len);
	}
}

TEST(protected_mode_32_forms)
{
	size_t nr = sizeof(pm32_reads) / sizeof(pm32_reads[0]);
	size_t nw = sizeof(pm32_writes) / sizeof(pm32_writes[0]);
	struct small_vm v;
	struct mmio_case c;
	uint32_t got;
	size_t i;

	ASSERT_EQ(0, small_vm_create(&v, "mmio-pm32", pm32_code,
				     pm32_code_end - pm32_code, PM_CODE));
	ASSERT_EQ(0, set_protected_mode(v.vcpu, PM_CODE));
	for (i = 0; i < nr; i++) {
		c.gpa = pm32_reads[i].gpa;
		c.len = pm32_reads[i].len;
		c.data = pm32_reads[i].data;
		expect_small_mmio(_metadata, &v, &c, 0);
	}
	for (i = 0; i < nw; i++)
		expect_small_mmio(_metadata, &v, &pm32_writes[i], 1);
	ASSERT_EQ(0, mhv_run(v.vcpu));
	EXPECT_EQ(MHV_EXIT_HLT, v.run->exit_reason);
	for (i = 0; i < nr; i++) {
		memcpy(&got, v.mem + PM_RESULTS + 4 * i, 4);
		EXPECT_EQ(pm32_reads[i].want, got)
			TH_LOG("read %zu of 0x%llx", i,
			       (unsigned long long)pm32_reads[i].gpa);
	}
	small_vm_destroy(&v);
}

/* ---- an in-kernel device: the same decoder, completed in the kernel ---- */

/*
 * The demo device (Documentation/devices.rst: status 32-bit at 0, data
 * 16-bit at 4, LED 8-bit at 8) in MMIO space. Its accesses never reach
 * userspace: each write is checked by the host reading the register
 * back (MHV_DEVICE_READ), each read by the value the guest reports.
 */
#define DEMO		0x40000000ULL	/* in reach of RIP+disp32 */
#define DEMO_DATA	0x8001ULL	/* host-set before the reads: negative */
#define DEMO_LED	0x80ULL

__asm__(".globl demo_rip_led\n.set demo_rip_led, 0x40000008\n");

#define WSYNC(insn, ...) do {						\
	__asm__ volatile(insn : : __VA_ARGS__ : "memory");		\
	GUEST_SYNC(0);							\
} while (0)

static void guest_dev_writes(uint64_t base)
{
	register uint64_t r10 __asm__("r10") = 0x1234beefULL;
	register uint64_t r11 __asm__("r11") = 0x22ULL;
	register uint64_t r13 __asm__("r13") = base;

	WSYNC("movl $1, (%0)", "c"(base));			/* C7 */
	WSYNC("movw $0x8001, 4(%0)", "c"(base));		/* 66 C7 */
	WSYNC("movb $0x80, 8(%0)", "c"(base));			/* C6 */
	WSYNC("movb %%ah, 8(%0)", "c"(base), "a"(0x7788ULL));
	WSYNC("movb %%ch, 8(%0)", "d"(base), "c"(0x6600ULL));
	WSYNC("movb %%dh, 8(%0)", "c"(base), "d"(0x5500ULL));
	WSYNC("movb %%bh, 8(%0)", "c"(base), "b"(0x4400ULL));
	WSYNC("movb %%sil, 8(%0)", "c"(base), "S"(0x3c33ULL));	/* REX */
	WSYNC("movb %%r11b, 8(%0)", "c"(base), "r"(r11));	/* REX.R */
	WSYNC("movw %%r10w, 4(%0)", "r"(r13), "r"(r10));	/* 66 REX.RB */
	WSYNC(RIP_REL("0xc6, 0x05", "demo_rip_led", ".byte 0x11", 1), "c"(0));
	WSYNC("movabs %%al, 0x40000008", "a"(0x99ULL));	/* A2 */
}

#define DREAD(insn, reg_constraint, addr) do {				\
	uint64_t __v = REG0;						\
	__asm__ volatile(insn : reg_constraint(__v) : "c"(addr) : "memory"); \
	GUEST_SYNC(__v);						\
} while (0)

static void guest_dev_reads(uint64_t base)
{
	DREAD("movswq 4(%1), %%rax", "+a", base);
	DREAD("movswl 4(%1), %%eax", "+a", base);
	DREAD("movzwq 4(%1), %%rax", "+a", base);
	DREAD("movsbq 8(%1), %%rax", "+a", base);
	DREAD("movsbw 8(%1), %%ax", "+a", base);
	DREAD("movzbl 8(%1), %%eax", "+a", base);
	DREAD("movb 8(%1), %%ah", "+a", base);
	{
		uint64_t v = REG0;

		__asm__ volatile("movb 8(%1), %%ch" : "+c"(v) : "d"(base) : "memory");
		GUEST_SYNC(v);
	}
	DREAD("movb 8(%1), %%dh", "+d", base);
	DREAD("movb 8(%1), %%bh", "+b", base);
	DREAD("movb 8(%1), %%dil", "+D", base);
	{
		register uint64_t r12 __asm__("r12") = REG0;
		register uint64_t r10 __asm__("r10") = REG0;

		__asm__ volatile("movb 8(%1), %%r12b" : "+r"(r12) : "c"(base) : "memory");
		GUEST_SYNC(r12);
		__asm__ volatile("movw 4(%1), %%r10w" : "+r"(r10) : "c"(base) : "memory");
		GUEST_SYNC(r10);
	}
	DREAD("movl (%1), %%eax", "+a", base);
	DREAD("movslq (%1), %%rax", "+a", base);
	DREAD(".byte 0x63, 0x01", "+a", base);		/* movsxd, no REX.W */
	/* no register at 0xc, and 8 bytes of the status: all-ones */
	DREAD("movslq 0xc(%1), %%rax", "+a", base);
	DREAD("movq (%1), %%rax", "+a", base);
	DREAD(RIP_REL("0x0f, 0xb6, 0x05", "demo_rip_led", , 0), "+a", 0);
	DREAD("movabs 0x40000004, %%ax", "+a", 0);		/* 66 A1 */
}

static void guest_dev_forms(uint64_t base)
{
	guest_dev_writes(base);
	guest_dev_reads(base);
	GUEST_DONE();
}

/* The values guest_dev_reads() reports, from what the host set. */
static size_t check_dev_reads(struct __test_metadata *_metadata,
			      struct mhv_guest *g, uint64_t status)
{
	struct mhv_ucall uc;
	size_t i, nr;
	const uint64_t reads[] = {
		sx(DEMO_DATA, 16),			/* movswq */
		(uint32_t)sx(DEMO_DATA, 16),		/* movswl */
		DEMO_DATA,				/* movzwq */
		sx(DEMO_LED, 8),			/* movsbq */
		put(REG0, sx(DEMO_LED, 8), 0, 16),	/* movsbw */
		DEMO_LED,				/* movzbl */
		put(REG0, DEMO_LED, 8, 8),		/* AH */
		put(REG0, DEMO_LED, 8, 8),		/* CH */
		put(REG0, DEMO_LED, 8, 8),		/* DH */
		put(REG0, DEMO_LED, 8, 8),		/* BH */
		put(REG0, DEMO_LED, 0, 8),		/* DIL */
		put(REG0, DEMO_LED, 0, 8),		/* R12B */
		put(REG0, DEMO_DATA, 0, 16),		/* R10W */
		status,					/* 8B */
		sx(status, 32),				/* movslq */
		status,					/* 63 */
		~0ULL,					/* bad offset */
		~0ULL,					/* bad width */
		DEMO_LED,				/* RIP-relative */
		put(REG0, DEMO_DATA, 0, 16),		/* 66 A1 */
	};

	nr = sizeof(reads) / sizeof(reads[0]);
	for (i = 0; i < nr; i++) {
		EXPECT_UCALL(g, 0, &uc, MHV_UCALL_SYNC);
		EXPECT_EQ(reads[i], uc.args[0]) TH_LOG("read %zu", i);
	}
	return nr;
}

TEST(in_kernel_device_forms)
{
	/* after each write: the register (offset, size) and its value */
	static const struct { uint32_t off, size; uint64_t want; } writes[] = {
		{ 0, 4, 0x101 },	/* ENABLE, version 1 in bits 15:8 */
		{ 4, 2, 0x8001 },
		{ 8, 1, 0x80 },
		{ 8, 1, 0x77 },		/* AH */
		{ 8, 1, 0x66 },		/* CH */
		{ 8, 1, 0x55 },		/* DH */
		{ 8, 1, 0x44 },		/* BH */
		{ 8, 1, 0x33 },		/* SIL */
		{ 8, 1, 0x22 },		/* R11B */
		{ 4, 2, 0xbeef },	/* R10W */
		{ 8, 1, 0x11 },		/* RIP-relative */
		{ 8, 1, 0x99 },		/* A2 */
	};
	size_t nw = sizeof(writes) / sizeof(writes[0]);
	struct mhv_device_stats st;
	struct mhv_vcpu_stats vst;
	struct mhv_guest g;
	struct mhv_ucall uc;
	uint64_t val, status;
	size_t i, nr;
	int id;

	ASSERT_EQ(0, mhv_guest_create(&g, "mmio-dev", 1, 16, guest_dev_forms, DEMO));
	id = mhv_create_device(g.vm_fd, MHV_DEV_TYPE_DEMO, MHV_DEV_SPACE_MMIO, DEMO);
	ASSERT_GE(id, 0);
	for (i = 0; i < nw; i++) {
		EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
		ASSERT_EQ(0, mhv_device_read(g.vm_fd, id, writes[i].off,
					     writes[i].size, &val));
		EXPECT_EQ(writes[i].want, val) TH_LOG("write %zu", i);
	}

	/* the reads: the host sets the values, derives what each form gives */
	ASSERT_EQ(0, mhv_device_write(g.vm_fd, id, 4, 2, DEMO_DATA));
	ASSERT_EQ(0, mhv_device_write(g.vm_fd, id, 8, 1, DEMO_LED));
	ASSERT_EQ(0, mhv_device_read(g.vm_fd, id, 0, 4, &status));
	nr = check_dev_reads(_metadata, &g, status);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);

	/* all in the kernel: no MMIO exit to userspace */
	ASSERT_EQ(0, mhv_get_vcpu_stats(g.vcpu[0].fd, &vst));
	EXPECT_EQ(0, vst.counters[MHV_STAT_MMIO]);
	EXPECT_EQ(nw + nr, vst.counters[MHV_STAT_DEV_MMIO]);
	ASSERT_EQ(0, mhv_get_device_stats(g.vm_fd, id, &st));
	EXPECT_EQ(nw, st.writes);
	EXPECT_EQ(nr - 2, st.reads);
	EXPECT_EQ(1, st.err_offset);
	EXPECT_EQ(1, st.err_width);
	mhv_guest_destroy(&g);
}

/* ---- what the decoder refuses ------------------------------------------ */

/* Instructions with an MMIO operand the decoder does not emulate. */
static void guest_add_to_mmio(uint64_t arg)
{
	__asm__ volatile("addl $1, (%0)" : : "r"(M(0x400)) : "memory");
	GUEST_DONE();
}

static void guest_xchg_mmio(uint64_t arg)
{
	uint64_t v = 1;

	__asm__ volatile("xchg %0, (%1)" : "+r"(v) : "r"(M(0x400)) : "memory");
	GUEST_DONE();
}

/* REX not right before the opcode: the CPU ignores it, a 16-bit store */
static void guest_rex_then_66(uint64_t arg)
{
	__asm__ volatile(".byte 0x48, 0x66, 0x89, 0x01"
			 : : "c"(M(0x400)), "a"(0x1234ULL) : "memory");
	GUEST_DONE();
}

/* MOVNTI: a store, but not a MOV form the decoder knows */
static void guest_movnti_mmio(uint64_t arg)
{
	__asm__ volatile("movnti %0, (%1)" : : "r"(1ULL), "r"(M(0x400)) : "memory");
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
	void (*const fns[])(uint64_t) = {
		guest_add_to_mmio, guest_xchg_mmio, guest_rex_then_66,
		guest_movnti_mmio,
	};
	struct mhv_guest g;
	size_t i;

	for (i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		TH_LOG("guest function %zu", i);
		ASSERT_EQ(0, mhv_guest_create(&g, "mmio-other", 1, 64, fns[i], 0));
		expect_internal_error(_metadata, &g);
		mhv_guest_destroy(&g);
	}
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
