// SPDX-License-Identifier: GPL-2.0
/*
 * A guest that breaks: a triple fault and a guest state the CPU refuses
 * both put the VM in ERROR with the reason, keep the host intact, and
 * the control block dump explains the failed entry.
 */
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "guest_util.h"

static void guest_triple_fault(uint64_t arg)
{
	/* load an empty IDT, then fault: #UD -> #DF -> shutdown */
	struct __attribute__((packed)) { uint16_t limit; uint64_t base; } idt = { 0, 0 };

	__asm__ volatile("lidt %0\n\tud2" : : "m"(idt));
	GUEST_DONE();
}

TEST(triple_fault_is_error)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_vm_info info;
	struct mhv_run *run;
	int problems = dmesg_count_problems();

	ASSERT_EQ(0, mhv_guest_create(&g, "triple", 1, 64,
				      guest_triple_fault, 0));
	run = g.vcpu[0].run;
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	EXPECT_EQ(MHV_EXIT_SHUTDOWN, run->exit_reason);
	EXPECT_EQ(MHV_ERR_TRIPLE_FAULT, run->fail.reason);
	ASSERT_EQ(0, ioctl(g.vm_fd, MHV_GET_VM_INFO, &info));
	EXPECT_EQ(MHV_VM_ERROR, info.state);
	EXPECT_EQ(MHV_ERR_TRIPLE_FAULT, info.error);
	/* a VM in ERROR does not run again */
	EXPECT_EQ(-1, ioctl(g.vcpu[0].fd, MHV_RUN, 0));
	EXPECT_EQ(EIO, errno);
	mhv_guest_destroy(&g);
	EXPECT_EQ(problems, dmesg_count_problems());
}

static void guest_nothing(uint64_t arg)
{
	GUEST_DONE();
}

TEST(bad_guest_state_is_error_with_dump)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	struct mhv_sregs s;
	struct mhv_vm_info info;
	struct mhv_state_dump d;
	char buf[16384], want[64];
	struct mhv_run *run;

	ASSERT_EQ(0, mhv_guest_create(&g, "bad-state", 1, 64, guest_nothing, 0));
	ASSERT_EQ(0, ioctl(g.vcpu[0].fd, MHV_GET_SREGS, &s));
	/*
	 * A 64-bit code segment with D set: CR0/CR4/EFER pass SET_SREGS's
	 * checks, but VMRUN and VM entry both refuse CS.L with CS.D.
	 */
	s.cs.db = 1;
	ASSERT_EQ(0, ioctl(g.vcpu[0].fd, MHV_SET_SREGS, &s));
	run = g.vcpu[0].run;
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	EXPECT_EQ(MHV_EXIT_FAIL_ENTRY, run->exit_reason)
		TH_LOG("exit %s", mhv_exit_reason_name(run->exit_reason));
	EXPECT_EQ(MHV_ERR_ENTRY_FAILED, run->fail.reason);
	ASSERT_EQ(0, ioctl(g.vm_fd, MHV_GET_VM_INFO, &info));
	EXPECT_EQ(MHV_VM_ERROR, info.state);
	EXPECT_EQ(MHV_ERR_ENTRY_FAILED, info.error);

	memset(&d, 0, sizeof(d));
	d.buf = (uintptr_t)buf;
	d.size = sizeof(buf);
	ASSERT_EQ(0, ioctl(g.vcpu[0].fd, MHV_GET_STATE_DUMP, &d));
	EXPECT_GT(d.len, 500);
	EXPECT_EQ(d.len, strlen(buf));
	/* the guest state the test set, as the control block holds it */
	if (cpuinfo_has_flag("svm")) {
		/* VMCB: VMEXIT_INVALID (-1); EFER has SVME (bit 12) */
		EXPECT_NE(NULL, strstr(buf, "exit_code=0xffffffff"));
		snprintf(want, sizeof(want), "cr4=0x%llx\n",
			 (unsigned long long)s.cr4);
		EXPECT_NE(NULL, strstr(buf, want)) TH_LOG("no '%s'", want);
		snprintf(want, sizeof(want), "efer=0x%llx",
			 (unsigned long long)(s.efer | (1ULL << 12)));
		EXPECT_NE(NULL, strstr(buf, want)) TH_LOG("no '%s'", want);
	} else {
		/* VMCS: exit reason 33 "invalid guest state" with bit 31
		 * (entry failure); the CPU's CR4 has VMXE (bit 13)
		 */
		EXPECT_NE(NULL, strstr(buf, "exit_reason=0x80000021"));
		snprintf(want, sizeof(want), "cr4=0x%llx ",
			 (unsigned long long)(s.cr4 | (1ULL << 13)));
		EXPECT_NE(NULL, strstr(buf, want)) TH_LOG("no '%s'", want);
		snprintf(want, sizeof(want), "efer=0x%llx",
			 (unsigned long long)s.efer);
		EXPECT_NE(NULL, strstr(buf, want)) TH_LOG("no '%s'", want);
	}

	/* a small buffer gets a truncated, terminated dump */
	d.size = 16;
	ASSERT_EQ(0, ioctl(g.vcpu[0].fd, MHV_GET_STATE_DUMP, &d));
	EXPECT_EQ(15, d.len);
	EXPECT_EQ(15, strlen(buf));
	d.size = 0;
	EXPECT_EQ(-1, ioctl(g.vcpu[0].fd, MHV_GET_STATE_DUMP, &d));
	EXPECT_EQ(EINVAL, errno);
	d.size = 64;
	d.buf = 0x10;
	EXPECT_EQ(-1, ioctl(g.vcpu[0].fd, MHV_GET_STATE_DUMP, &d));
	EXPECT_EQ(EFAULT, errno);
	mhv_guest_destroy(&g);
}

/*
 * Whatever the CPU (or an emulator) wrote into the control block when it
 * refused the entry, GET_SREGS and GET_REGS report the state userspace
 * set, never host values. A CR3 with bits above the physical address
 * width passes SET_SREGS but is refused by VMRUN and VM entry; QEMU's
 * SVM checks it before loading any guest state and then writes its
 * current (host) state into the VMCB.
 */
TEST(refused_entry_keeps_the_guest_state)
{
	struct mhv_sregs s, after;
	struct mhv_regs r, rafter;
	struct mhv_guest g;
	struct mhv_ucall uc;

	/*
	 * Bochs 2.7's VMRUN does not check CR3's must-be-zero bits (the
	 * APM lists them among the checks; its VMX side checks them): the
	 * guest runs there.
	 */
	if (test_lane_is("bochs-svm"))
		SKIP(return, "Bochs 2.7 VMRUN accepts any CR3");
	ASSERT_EQ(0, mhv_guest_create(&g, "refused", 1, 64, guest_nothing, 0));
	ASSERT_EQ(0, mhv_get_sregs(g.vcpu[0].fd, &s));
	s.cr3 |= 1ULL << 62;
	s.gdt.base = 0x1000;
	ASSERT_EQ(0, mhv_set_sregs(g.vcpu[0].fd, &s));
	ASSERT_EQ(0, mhv_get_regs(g.vcpu[0].fd, &r));
	ASSERT_EQ(0, mhv_guest_run(&g, 0, &uc));
	ASSERT_EQ(MHV_EXIT_FAIL_ENTRY, g.vcpu[0].run->exit_reason)
		TH_LOG("exit %s",
		       mhv_exit_reason_name(g.vcpu[0].run->exit_reason));
	ASSERT_EQ(0, mhv_get_sregs(g.vcpu[0].fd, &after));
	ASSERT_EQ(0, mhv_get_regs(g.vcpu[0].fd, &rafter));
	EXPECT_EQ(s.cr3, after.cr3);
	EXPECT_EQ(s.cr0, after.cr0);
	EXPECT_EQ(s.cr4, after.cr4);
	EXPECT_EQ(s.efer, after.efer);
	EXPECT_EQ(s.gdt.base, after.gdt.base);
	EXPECT_EQ(s.gdt.limit, after.gdt.limit);
	EXPECT_EQ(s.idt.base, after.idt.base);
	EXPECT_EQ(s.cs.selector, after.cs.selector);
	EXPECT_EQ(s.tr.base, after.tr.base);
	EXPECT_EQ(r.rip, rafter.rip);
	EXPECT_EQ(r.rsp, rafter.rsp);
	EXPECT_EQ(r.rflags, rafter.rflags);
	mhv_guest_destroy(&g);
}

TEST(non_canonical_segment_base_refused)
{
	struct mhv_guest g;
	struct mhv_sregs s;

	ASSERT_EQ(0, mhv_guest_create(&g, "canonical", 1, 64, guest_nothing, 0));
	ASSERT_EQ(0, ioctl(g.vcpu[0].fd, MHV_GET_SREGS, &s));
	s.fs.base = 0x0100000000000000ULL;
	EXPECT_EQ(-1, ioctl(g.vcpu[0].fd, MHV_SET_SREGS, &s));
	EXPECT_EQ(EINVAL, errno);
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
