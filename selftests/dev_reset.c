// SPDX-License-Identifier: GPL-2.0
/*
 * The reset device: a guest's reset request through the reset control
 * register (0x06 or 0x0e to port 0xcf9) or through the keyboard
 * controller (command 0xfe to port 0x64) ends MHV_RUN with
 * MHV_EXIT_RESET, an exit like any other and not an error: the VM is
 * paused and the vCPU can run on. Other values end nothing.
 */
#include <stdint.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define CF9	0xcf9
#define KBC	0x64

/* Linux's reboot=pci: 0x02 (system reset, no CPU reset yet), then 0x06. */
static void guest_cf9(uint64_t arg)
{
	guest_outb(CF9, 0x02);
	GUEST_ASSERT_EQ(guest_inb(CF9), 0x02);
	guest_outb(CF9, 0x06);
	guest_outb(CF9, 0x0e);		/* a full reset */
	GUEST_ASSERT_EQ(guest_inb(CF9), 0x0a);
	GUEST_DONE();
}

static void expect_reset(struct __test_metadata *_metadata,
			 struct mhv_guest *g, uint8_t value, int id,
			 uint16_t port)
{
	struct mhv_run *run = g->vcpu[0].run;
	struct mhv_vm_info info;
	struct mhv_ucall uc;

	ASSERT_EQ(0, mhv_guest_run(g, 0, &uc));
	ASSERT_EQ(MHV_EXIT_RESET, run->exit_reason)
		TH_LOG("exit %s", mhv_exit_reason_name(run->exit_reason));
	EXPECT_EQ(value, run->reset.value);
	EXPECT_EQ(id, run->reset.device);
	EXPECT_EQ(port, run->reset.addr);
	ASSERT_EQ(0, mhv_get_vm_info(g->vm_fd, &info));
	EXPECT_EQ(MHV_VM_PAUSED, info.state);
}

TEST(cf9)
{
	struct mhv_guest g;
	struct mhv_ucall uc;
	int id;

	ASSERT_EQ(0, mhv_guest_create(&g, "reset-cf9", 1, 16, guest_cf9, 0));
	/* the KBC's device first: the 0xcf9 one is id 1 */
	ASSERT_EQ(0, mhv_create_device(g.vm_fd, MHV_DEV_TYPE_RESET,
				       MHV_DEV_SPACE_PIO, KBC));
	id = mhv_create_device(g.vm_fd, MHV_DEV_TYPE_RESET,
			       MHV_DEV_SPACE_PIO, CF9);
	ASSERT_EQ(1, id);
	expect_reset(_metadata, &g, 0x06, id, CF9);
	expect_reset(_metadata, &g, 0x0e, id, CF9);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	EXPECT_STREQ("RESET", mhv_exit_reason_name(MHV_EXIT_RESET));
	EXPECT_STREQ("reset", mhv_dev_type_name(MHV_DEV_TYPE_RESET));
	mhv_guest_destroy(&g);
}

/* Linux's reboot=kbd: wait for the input buffer, then pulse reset. */
static void guest_kbc(uint64_t arg)
{
	while (guest_inb(KBC) & 0x02)
		;
	guest_outb(KBC, 0xad);		/* disable the keyboard: no reset */
	guest_outb(KBC, 0x06);		/* not a reset here either */
	guest_outb(KBC, 0xfe);
	GUEST_DONE();
}

TEST(kbc_pulse)
{
	struct mhv_guest g;
	struct mhv_ucall uc;

	ASSERT_EQ(0, mhv_guest_create(&g, "reset-kbc", 1, 16, guest_kbc, 0));
	ASSERT_EQ(0, mhv_create_device(g.vm_fd, MHV_DEV_TYPE_RESET,
				       MHV_DEV_SPACE_PIO, KBC));
	expect_reset(_metadata, &g, 0xfe, 0, KBC);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
