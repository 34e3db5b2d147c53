// SPDX-License-Identifier: GPL-2.0
/*
 * Each kind of exit: port OUT and IN (with the IN value completed on the
 * next RUN), HLT, CPUID and MSRs in the kernel, MMIO reads and writes,
 * #UD for instructions a guest may not use.
 */
#include <stdint.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define MMIO_BASE	0xc0000000ULL

static void guest_io(uint64_t arg)
{
	uint8_t b;
	uint16_t w;
	uint32_t l;

	__asm__ volatile("outb %b0, %w1" : : "a"(0x5a), "d"(0x80));
	__asm__ volatile("outw %w0, %w1" : : "a"(0xbeef), "d"(0x81));
	__asm__ volatile("outl %0, %w1" : : "a"(0xdeadbeef), "d"(0x82));
	__asm__ volatile("inb %w1, %b0" : "=a"(b) : "d"(0x90));
	__asm__ volatile("inw %w1, %w0" : "=a"(w) : "d"(0x91));
	__asm__ volatile("inl %w1, %0" : "=a"(l) : "d"(0x92));
	GUEST_ASSERT_EQ(b, 0x11);
	GUEST_ASSERT_EQ(w, 0x2233);
	GUEST_ASSERT_EQ(l, 0x44556677);
	GUEST_DONE();
}

static void expect_io(struct __test_metadata *_metadata, struct mhv_run *run,
		      int dir, int size, int port)
{
	ASSERT_EQ(MHV_EXIT_IO, run->exit_reason);
	EXPECT_EQ(dir, run->io.direction);
	EXPECT_EQ(size, run->io.size);
	EXPECT_EQ(port, run->io.port);
	EXPECT_EQ(1, run->io.count);
}

TEST(port_io)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_run *run;
	uint8_t *data;

	ASSERT_EQ(0, mhv_guest_create(&g, "io", 1, 64, guest_io, 0));
	run = g.vcpu[0].run;
	data = (uint8_t *)run + MHV_RUN_IO_DATA_OFFSET;

	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	expect_io(_metadata, run, MHV_IO_OUT, 1, 0x80);
	EXPECT_EQ(0x5a, data[0]);
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	expect_io(_metadata, run, MHV_IO_OUT, 2, 0x81);
	EXPECT_EQ(0xbeef, *(uint16_t *)data);
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	expect_io(_metadata, run, MHV_IO_OUT, 4, 0x82);
	EXPECT_EQ(0xdeadbeef, *(uint32_t *)data);

	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	expect_io(_metadata, run, MHV_IO_IN, 1, 0x90);
	data[0] = 0x11;
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	expect_io(_metadata, run, MHV_IO_IN, 2, 0x91);
	*(uint16_t *)data = 0x2233;
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	expect_io(_metadata, run, MHV_IO_IN, 4, 0x92);
	*(uint32_t *)data = 0x44556677;
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

static void guest_hlt(uint64_t arg)
{
	__asm__ volatile("hlt");
	GUEST_SYNC(1);
	__asm__ volatile("hlt");
	GUEST_DONE();
}

TEST(hlt_goes_to_userspace_and_resumes)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	ASSERT_EQ(0, mhv_guest_create(&g, "hlt", 1, 64, guest_hlt, 0));
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	EXPECT_EQ(MHV_EXIT_HLT, g.vcpu[0].run->exit_reason);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	EXPECT_EQ(MHV_EXIT_HLT, g.vcpu[0].run->exit_reason);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

static void guest_mmio(uint64_t arg)
{
	volatile uint8_t *b = (volatile uint8_t *)MMIO_BASE;
	volatile uint16_t *w = (volatile uint16_t *)(MMIO_BASE + 0x10);
	volatile uint32_t *l = (volatile uint32_t *)(MMIO_BASE + 0x20);
	volatile uint64_t *q = (volatile uint64_t *)(MMIO_BASE + 0x30);

	*b = 0x12;
	*w = 0x3456;
	*l = 0x789abcde;
	*q = 0x1122334455667788ULL;
	GUEST_ASSERT_EQ(*b, 0xa1);
	GUEST_ASSERT_EQ(*w, 0xb2c3);
	GUEST_ASSERT_EQ(*l, 0xd4e5f607);
	GUEST_ASSERT_EQ(*q, 0x0102030405060708ULL);
	GUEST_DONE();
}

static void expect_mmio(struct __test_metadata *_metadata,
			struct mhv_guest *g, uint64_t addr, unsigned int len,
			int write, uint64_t val)
{
	struct mhv_run *run = g->vcpu[0].run;
	struct mhv_ucall uc;
	uint64_t got = 0;

	ASSERT_EQ(0, mhv_guest_run(g, 0, &uc));
	ASSERT_EQ(MHV_EXIT_MMIO, run->exit_reason)
		TH_LOG("exit %s", mhv_exit_reason_name(run->exit_reason));
	EXPECT_EQ(addr, run->mmio.phys_addr);
	EXPECT_EQ(len, run->mmio.len);
	EXPECT_EQ(write, run->mmio.is_write);
	if (write) {
		memcpy(&got, run->mmio.data, len);
		EXPECT_EQ(val, got);
	} else {
		memcpy(run->mmio.data, &val, len);
	}
}

TEST(mmio_reads_and_writes)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	ASSERT_EQ(0, mhv_guest_create(&g, "mmio", 1, 64, guest_mmio, 0));
	expect_mmio(_metadata, &g, MMIO_BASE, 1, 1, 0x12);
	expect_mmio(_metadata, &g, MMIO_BASE + 0x10, 2, 1, 0x3456);
	expect_mmio(_metadata, &g, MMIO_BASE + 0x20, 4, 1, 0x789abcde);
	expect_mmio(_metadata, &g, MMIO_BASE + 0x30, 8, 1,
		    0x1122334455667788ULL);
	expect_mmio(_metadata, &g, MMIO_BASE, 1, 0, 0xa1);
	expect_mmio(_metadata, &g, MMIO_BASE + 0x10, 2, 0, 0xb2c3);
	expect_mmio(_metadata, &g, MMIO_BASE + 0x20, 4, 0, 0xd4e5f607);
	expect_mmio(_metadata, &g, MMIO_BASE + 0x30, 8, 0,
		    0x0102030405060708ULL);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

static void guest_mmio_forms(uint64_t arg)
{
	uint64_t v;
	uint32_t z;

	/* mov imm32 to memory, movzx from byte and word, moffs */
	__asm__ volatile("movl $0x0badf00d, (%0)" : : "r"(MMIO_BASE + 0x40) : "memory");
	__asm__ volatile("movzbl (%1), %0" : "=r"(z) : "r"(MMIO_BASE + 0x50));
	GUEST_ASSERT_EQ(z, 0xfe);
	__asm__ volatile("movzwl (%1), %0" : "=r"(z) : "r"(MMIO_BASE + 0x60));
	GUEST_ASSERT_EQ(z, 0xfedc);
	/* MMIO_BASE + 0x70 */
	__asm__ volatile("movabs 0xc0000070, %%rax" : "=a"(v));
	GUEST_ASSERT_EQ(v, 0x1234);
	/* a byte register that needs REX (sil) and one that must not (ah) */
	__asm__ volatile("mov $0x77, %%esi\n\tmovb %%sil, (%0)"
			 : : "r"(MMIO_BASE + 0x80) : "rsi", "memory");
	__asm__ volatile("mov $0x6600, %%eax\n\tmovb %%ah, (%0)"
			 : : "c"(MMIO_BASE + 0x90) : "rax", "memory");
	GUEST_DONE();
}

TEST(mmio_instruction_forms)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	ASSERT_EQ(0, mhv_guest_create(&g, "mmio-forms", 1, 64,
				      guest_mmio_forms, 0));
	expect_mmio(_metadata, &g, MMIO_BASE + 0x40, 4, 1, 0x0badf00d);
	expect_mmio(_metadata, &g, MMIO_BASE + 0x50, 1, 0, 0xfe);
	expect_mmio(_metadata, &g, MMIO_BASE + 0x60, 2, 0, 0xfedc);
	expect_mmio(_metadata, &g, MMIO_BASE + 0x70, 8, 0, 0x1234);
	expect_mmio(_metadata, &g, MMIO_BASE + 0x80, 1, 1, 0x77);
	expect_mmio(_metadata, &g, MMIO_BASE + 0x90, 1, 1, 0x66);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

/* arg 1: Intel (VMCALL exits), else AMD (VMMCALL exits) */
static void guest_vmmcall(uint64_t arg)
{
	/* no IDT: the #UD the hypervisor injects ends in a triple fault */
	if (arg)
		__asm__ volatile("vmcall");
	else
		__asm__ volatile("vmmcall");
	GUEST_DONE();
}

TEST(hypercall_gets_ud)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_vcpu_stats st;

	ASSERT_EQ(0, mhv_guest_create(&g, "ud", 1, 64, guest_vmmcall,
				      cpuinfo_has_flag("vmx")));
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	EXPECT_EQ(MHV_EXIT_SHUTDOWN, g.vcpu[0].run->exit_reason);
	ASSERT_EQ(0, ioctl(g.vcpu[0].fd, MHV_GET_VCPU_STATS, &st));
	EXPECT_EQ(1, st.counters[MHV_STAT_UD]);
	EXPECT_EQ(1, st.counters[MHV_STAT_SHUTDOWN]);
	mhv_guest_destroy(&g);
}

/* @n CPUIDs (answered in the kernel), a HLT and an OUT (to userspace) */
static void guest_cpuids(uint64_t n)
{
	uint32_t a, b, c, d;
	uint64_t i;

	for (i = 0; i < n; i++)
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			 : "a"(0), "c"(0));
	__asm__ volatile("hlt");
	GUEST_DONE();
}

#define NR_CPUIDS	5

/*
 * Two vCPUs doing different things: each one's counters are what it did,
 * and the VM's totals are the sum of both.
 */
TEST(exits_are_counted)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_vcpu_stats st[2];
	struct mhv_vm_info info;
	int i;

	ASSERT_EQ(0, mhv_guest_create(&g, "count", 2, 64, guest_hlt, 0));
	ASSERT_EQ(0, mhv_guest_set_entry(&g, 1, guest_cpuids, NR_CPUIDS));
	/* vCPU 0: HLT, SYNC */
	EXPECT_EXIT(&g, 0, &uc, MHV_EXIT_HLT);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	/* vCPU 1: NR_CPUIDS CPUIDs, HLT, DONE */
	EXPECT_EXIT(&g, 1, &uc, MHV_EXIT_HLT);
	EXPECT_UCALL(&g, 1, &uc, MHV_UCALL_DONE);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, mhv_get_vcpu_stats(g.vcpu[i].fd, &st[i]));
		EXPECT_EQ(MHV_STAT_NR, st[i].nr);
		EXPECT_EQ(1, st[i].counters[MHV_STAT_HLT]);
		EXPECT_EQ(1, st[i].counters[MHV_STAT_IO]);
		EXPECT_EQ(2, st[i].counters[MHV_STAT_USER_EXITS]);
		EXPECT_GE(st[i].counters[MHV_STAT_NPF], 1);	/* its stack */
		EXPECT_GE(st[i].counters[MHV_STAT_EXITS],
			  st[i].counters[MHV_STAT_NPF] +
			  st[i].counters[MHV_STAT_CPUID] + 2);
	}
	EXPECT_EQ(0, st[0].counters[MHV_STAT_CPUID]);
	EXPECT_EQ(NR_CPUIDS, st[1].counters[MHV_STAT_CPUID]);
	ASSERT_EQ(0, mhv_get_vm_info(g.vm_fd, &info));
	EXPECT_EQ(st[0].counters[MHV_STAT_EXITS] +
		  st[1].counters[MHV_STAT_EXITS], info.exits);
	EXPECT_EQ(st[0].counters[MHV_STAT_NPF] +
		  st[1].counters[MHV_STAT_NPF], info.npf_count);
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
