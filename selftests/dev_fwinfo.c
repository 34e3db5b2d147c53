// SPDX-License-Identifier: GPL-2.0
/*
 * The firmware-information device: the guest reads the signature, the
 * interface version, the VM's memory and vCPU count (as the VM was
 * created with) and the boot word the host set; other items read 0 and
 * only the boot word takes a write.
 */
#include <stdint.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define PORT		MHV_FWINFO_PORT
#define VCPUS		3
#define MEM_MB		48
#define BOOT_WORD	0x00030201	/* "disk 1, then 2, then 3" */

static uint32_t item(uint32_t n)
{
	guest_outl(PORT + MHV_FWINFO_SELECT, n);
	return guest_inl(PORT + MHV_FWINFO_DATA);
}

static void guest_fwinfo(uint64_t arg)
{
	GUEST_SYNC2(item(0), item(1));		/* signature, version */
	GUEST_SYNC2(item(2), item(3));		/* memory, vCPUs */
	GUEST_SYNC2(item(4), item(5));		/* boot, unknown */
	uint32_t mem = item(2);

	guest_outl(PORT + MHV_FWINFO_DATA, mem + 1);	/* memory: ignored */
	GUEST_ASSERT_EQ(item(2), mem);
	guest_outl(PORT + MHV_FWINFO_SELECT, 4);
	guest_outl(PORT + MHV_FWINFO_DATA, 7);
	GUEST_ASSERT_EQ(item(4), 7);
	GUEST_DONE();
}

TEST(values_are_the_vm_config)
{
	struct mhv_vm_info info;
	struct mhv_guest g;
	struct mhv_ucall uc;
	uint64_t v = 0;

	ASSERT_EQ(0, mhv_guest_create(&g, "fwinfo", VCPUS, MEM_MB,
				      guest_fwinfo, 0));
	ASSERT_EQ(0, mhv_create_device(g.vm_fd, MHV_DEV_TYPE_FWINFO,
				       MHV_DEV_SPACE_PIO, PORT));
	ASSERT_EQ(0, mhv_get_vm_info(g.vm_fd, &info));
	/* the host sets the boot word */
	ASSERT_EQ(0, mhv_device_write(g.vm_fd, 0, MHV_FWINFO_SELECT, 4, 4));
	ASSERT_EQ(0, mhv_device_write(g.vm_fd, 0, MHV_FWINFO_DATA, 4,
				      BOOT_WORD));
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(0x4656484d, uc.args[0]);	/* 'M' 'H' 'V' 'F' */
	EXPECT_EQ(1, uc.args[1]);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	/* the config's memory: what was asked plus the guest library's */
	EXPECT_EQ(info.memory_limit >> 20, uc.args[0]);
	EXPECT_LE(MEM_MB, uc.args[0]);
	EXPECT_EQ(VCPUS, uc.args[1]);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_SYNC);
	EXPECT_EQ(BOOT_WORD, uc.args[0]);
	EXPECT_EQ(0, uc.args[1]);
	EXPECT_UCALL(&g, 0, &uc, MHV_UCALL_DONE);
	ASSERT_EQ(0, mhv_device_read(g.vm_fd, 0, MHV_FWINFO_DATA, 4, &v));
	EXPECT_EQ(7, v);
	EXPECT_EQ(-ENOSPC, mhv_create_device(g.vm_fd, MHV_DEV_TYPE_FWINFO,
					     MHV_DEV_SPACE_PIO, PORT + 0x10));
	EXPECT_EQ(-EINVAL, mhv_device_write(g.vm_fd, 0, MHV_FWINFO_DATA, 2,
					    1));
	mhv_guest_destroy(&g);
}

TEST_HARNESS_MAIN
