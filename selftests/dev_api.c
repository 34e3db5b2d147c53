// SPDX-License-Identifier: GPL-2.0
/*
 * In-kernel devices from the host: creating (and every reason it is
 * refused), listing, describing, reading and writing registers, reset,
 * access modes and statistics ioctls with bad input. No guest runs here
 * (dev_guest and dev_debug_exit run guests).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "guest_util.h"

#define DEMO_PORT	0x500
#define DEMO_MMIO	0xd0000000ULL

/* Reset value of the demo status register: version 1 in bits 15:8. */
#define STATUS_RESET	0x100

static void guest_nothing(uint64_t arg)
{
	GUEST_DONE();
}

FIXTURE(dev)
{
	struct mhv_guest g;
	int vm;
};

FIXTURE_SETUP(dev)
{
	ASSERT_EQ(0, mhv_guest_create(&self->g, "dev-api", 1, 16,
				      guest_nothing, 0));
	self->vm = self->g.vm_fd;
}

FIXTURE_TEARDOWN(dev)
{
	mhv_guest_destroy(&self->g);
}

static uint64_t reg(struct __test_metadata *_metadata, int vm, uint32_t id,
		    uint32_t off, uint32_t size)
{
	uint64_t v = 0x5555555555555555ULL;

	EXPECT_EQ(0, mhv_device_read(vm, id, off, size, &v));
	return v;
}

/* Registers as the guide defines them, their reset values, describe. */
TEST_F(dev, demo_describe_and_reset)
{
	struct mhv_device_desc d;
	int id;

	id = mhv_create_device(self->vm, MHV_DEV_TYPE_DEMO, MHV_DEV_SPACE_PIO,
			       DEMO_PORT);
	ASSERT_EQ(0, id);
	ASSERT_EQ(0, mhv_describe_device(self->vm, id, &d));
	EXPECT_EQ(0, d.id);
	EXPECT_STREQ("demo", d.info.name);
	EXPECT_EQ(MHV_DEV_TYPE_DEMO, d.info.type);
	EXPECT_EQ(MHV_DEV_SPACE_PIO, d.info.space);
	EXPECT_EQ(MHV_DEV_MODE_RW, d.info.mode);
	EXPECT_EQ(DEMO_PORT, d.info.base);
	EXPECT_EQ(0x10, d.info.size);
	ASSERT_EQ(3, d.nr_regs);
	EXPECT_STREQ("status", d.regs[0].name);
	EXPECT_EQ(0x00, d.regs[0].offset);
	EXPECT_EQ(4, d.regs[0].width);
	EXPECT_EQ(4, d.regs[0].widths);
	EXPECT_EQ(STATUS_RESET, d.regs[0].value);
	EXPECT_STREQ("data", d.regs[1].name);
	EXPECT_EQ(0x04, d.regs[1].offset);
	EXPECT_EQ(2, d.regs[1].width);
	EXPECT_EQ(2, d.regs[1].widths);
	EXPECT_EQ(0, d.regs[1].value);
	EXPECT_STREQ("led", d.regs[2].name);
	EXPECT_EQ(0x08, d.regs[2].offset);
	EXPECT_EQ(1, d.regs[2].width);
	EXPECT_EQ(1, d.regs[2].widths);
	EXPECT_EQ(0, d.regs[2].value);

	/* change every register, then MHV_RESET_DEVICE */
	ASSERT_EQ(0, mhv_device_write(self->vm, id, 0x04, 2, 0xbeef));
	ASSERT_EQ(0, mhv_device_write(self->vm, id, 0x08, 1, 0x81));
	ASSERT_EQ(0, mhv_device_write(self->vm, id, 0x00, 4, 1));
	ASSERT_EQ(0, mhv_describe_device(self->vm, id, &d));
	EXPECT_EQ(STATUS_RESET | 1 | 2 | 4, d.regs[0].value);
	EXPECT_EQ(0xbeef, d.regs[1].value);
	EXPECT_EQ(0x81, d.regs[2].value);
	ASSERT_EQ(0, mhv_reset_device(self->vm, id));
	EXPECT_EQ(STATUS_RESET, reg(_metadata, self->vm, id, 0, 4));
	EXPECT_EQ(0, reg(_metadata, self->vm, id, 4, 2));
	EXPECT_EQ(0, reg(_metadata, self->vm, id, 8, 1));
}

/* Each status bit does what devices.rst says. */
TEST_F(dev, demo_status_bits)
{
	int id = mhv_create_device(self->vm, MHV_DEV_TYPE_DEMO,
				   MHV_DEV_SPACE_MMIO, DEMO_MMIO);

	ASSERT_EQ(0, id);
	/* LED_ON needs ENABLE and a nonzero LED */
	ASSERT_EQ(0, mhv_device_write(self->vm, id, 8, 1, 0x01));
	EXPECT_EQ(STATUS_RESET, reg(_metadata, self->vm, id, 0, 4));
	ASSERT_EQ(0, mhv_device_write(self->vm, id, 0, 4, 1));
	EXPECT_EQ(STATUS_RESET | 1 | 2, reg(_metadata, self->vm, id, 0, 4));
	ASSERT_EQ(0, mhv_device_write(self->vm, id, 8, 1, 0));
	EXPECT_EQ(STATUS_RESET | 1, reg(_metadata, self->vm, id, 0, 4));
	/* DATA_WRITTEN: set by a DATA write, write-1-to-clear */
	ASSERT_EQ(0, mhv_device_write(self->vm, id, 4, 2, 0));
	EXPECT_EQ(STATUS_RESET | 1 | 4, reg(_metadata, self->vm, id, 0, 4));
	ASSERT_EQ(0, mhv_device_write(self->vm, id, 0, 4, 1));
	EXPECT_EQ(STATUS_RESET | 1 | 4, reg(_metadata, self->vm, id, 0, 4));
	ASSERT_EQ(0, mhv_device_write(self->vm, id, 0, 4, 4 | 1));
	EXPECT_EQ(STATUS_RESET | 1, reg(_metadata, self->vm, id, 0, 4));
	/* read-only and reserved bits ignore writes; ENABLE clears */
	ASSERT_EQ(0, mhv_device_write(self->vm, id, 0, 4, 0xfffffffe));
	EXPECT_EQ(STATUS_RESET, reg(_metadata, self->vm, id, 0, 4));
	/* DATA and LED keep all their bits */
	ASSERT_EQ(0, mhv_device_write(self->vm, id, 4, 2, 0xffff));
	EXPECT_EQ(0xffff, reg(_metadata, self->vm, id, 4, 2));
	ASSERT_EQ(0, mhv_device_write(self->vm, id, 8, 1, 0xff));
	EXPECT_EQ(0xff, reg(_metadata, self->vm, id, 8, 1));
}

/* Host accesses with a bad offset, width or value are refused and are
 * not counted in the guest's statistics.
 */
TEST_F(dev, host_access_errors)
{
	static const struct { uint32_t off, size; } bad[] = {
		{ 0x00, 1 }, { 0x00, 2 }, { 0x00, 8 }, { 0x04, 1 },
		{ 0x04, 4 }, { 0x08, 2 }, { 0x08, 4 }, { 0x00, 3 },
		{ 0x00, 0 }, { 0x00, 16 }, { 0x02, 2 }, { 0x0c, 4 },
		{ 0x10, 4 }, { 0xffffffff, 1 },
	};
	struct mhv_device_stats st;
	struct mhv_device_reg r;
	uint64_t v;
	unsigned int i;
	int id;

	id = mhv_create_device(self->vm, MHV_DEV_TYPE_DEMO, MHV_DEV_SPACE_PIO,
			       DEMO_PORT);
	ASSERT_EQ(0, id);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, mhv_device_read(self->vm, id, bad[i].off,
						   bad[i].size, &v))
			TH_LOG("read offset 0x%x size %u", bad[i].off,
			       bad[i].size);
		EXPECT_EQ(-EINVAL, mhv_device_write(self->vm, id, bad[i].off,
						    bad[i].size, 0));
	}
	/* a value wider than the access */
	EXPECT_EQ(-EINVAL, mhv_device_write(self->vm, id, 8, 1, 0x100));
	EXPECT_EQ(-EINVAL, mhv_device_write(self->vm, id, 4, 2, 0x10000));
	EXPECT_EQ(-EINVAL, mhv_device_write(self->vm, id, 0, 4, 1ULL << 32));
	/* no such device */
	EXPECT_EQ(-ENOENT, mhv_device_read(self->vm, 1, 0, 4, &v));
	EXPECT_EQ(-ENOENT, mhv_device_write(self->vm, 1, 0, 4, 0));
	/* pad and reserved must be zero */
	memset(&r, 0, sizeof(r));
	r.size = 4;
	r.pad = 1;
	EXPECT_EQ(-1, ioctl(self->vm, MHV_DEVICE_READ, &r));
	EXPECT_EQ(EINVAL, errno);
	r.pad = 0;
	r.reserved[1] = 1;
	EXPECT_EQ(-1, ioctl(self->vm, MHV_DEVICE_WRITE, &r));
	EXPECT_EQ(EINVAL, errno);
	r.reserved[1] = 0;
	EXPECT_EQ(0, ioctl(self->vm, MHV_DEVICE_READ, &r));
	EXPECT_EQ(STATUS_RESET, r.value);
	/* nothing changed and nothing was counted */
	EXPECT_EQ(STATUS_RESET, reg(_metadata, self->vm, id, 0, 4));
	EXPECT_EQ(0, reg(_metadata, self->vm, id, 4, 2));
	EXPECT_EQ(0, reg(_metadata, self->vm, id, 8, 1));
	ASSERT_EQ(0, mhv_get_device_stats(self->vm, id, &st));
	EXPECT_EQ(0, st.reads + st.writes + st.err_offset + st.err_width +
		     st.err_refused + st.time_count);
}

static int create_raw(int vm, struct mhv_device_create *c)
{
	return ioctl(vm, MHV_CREATE_DEVICE, c) < 0 ? -errno : 0;
}

/* Every reason MHV_CREATE_DEVICE refuses a device. */
TEST_F(dev, create_errors)
{
	struct mhv_device_create c;
	uint64_t maxphys;
	struct mhv_device_list l;
	int i;

	/* unknown types */
	EXPECT_EQ(-ENODEV, mhv_create_device(self->vm, MHV_DEV_TYPE_NONE,
					     MHV_DEV_SPACE_PIO, DEMO_PORT));
	EXPECT_EQ(-ENODEV, mhv_create_device(self->vm, MHV_DEV_TYPE_NR,
					     MHV_DEV_SPACE_PIO, DEMO_PORT));
	EXPECT_EQ(-ENODEV, mhv_create_device(self->vm, 0xffffffff,
					     MHV_DEV_SPACE_PIO, DEMO_PORT));
	/* bad space */
	EXPECT_EQ(-EINVAL, mhv_create_device(self->vm, MHV_DEV_TYPE_DEMO, 0,
					     DEMO_PORT));
	EXPECT_EQ(-EINVAL, mhv_create_device(self->vm, MHV_DEV_TYPE_DEMO, 3,
					     DEMO_PORT));
	/* the range must fit the space */
	EXPECT_EQ(-EINVAL, mhv_create_device(self->vm, MHV_DEV_TYPE_DEMO,
					     MHV_DEV_SPACE_PIO, 0xfff8));
	EXPECT_EQ(-EINVAL, mhv_create_device(self->vm, MHV_DEV_TYPE_DEMO,
					     MHV_DEV_SPACE_PIO, 0x10000));
	maxphys = 1ULL << 52;
	EXPECT_EQ(-EINVAL, mhv_create_device(self->vm, MHV_DEV_TYPE_DEMO,
					     MHV_DEV_SPACE_MMIO, maxphys));
	EXPECT_EQ(-EINVAL, mhv_create_device(self->vm, MHV_DEV_TYPE_DEMO,
					     MHV_DEV_SPACE_MMIO, ~0ULL - 4));
	/* flags, id and reserved must be zero */
	memset(&c, 0, sizeof(c));
	c.type = MHV_DEV_TYPE_DEMO;
	c.space = MHV_DEV_SPACE_PIO;
	c.base = DEMO_PORT;
	c.flags = 2;
	EXPECT_EQ(-EINVAL, create_raw(self->vm, &c));
	/* a GSI needs the irqchip (MHV_VM_F_IRQCHIP), and the flag */
	c.flags = MHV_DEV_F_IRQ_GSI;
	c.irq_gsi = 4;
	EXPECT_EQ(-EINVAL, create_raw(self->vm, &c));
	c.flags = 0;
	EXPECT_EQ(-EINVAL, create_raw(self->vm, &c));
	c.irq_gsi = 0;
	c.id = 1;
	EXPECT_EQ(-EINVAL, create_raw(self->vm, &c));
	c.id = 0;
	c.reserved[1] = 1;
	EXPECT_EQ(-EINVAL, create_raw(self->vm, &c));
	c.reserved[1] = 0;
	c.pad = 1;
	EXPECT_EQ(-EINVAL, create_raw(self->vm, &c));
	c.pad = 0;
	c.pad2 = 1;
	EXPECT_EQ(-EINVAL, create_raw(self->vm, &c));
	c.pad2 = 0;
	/* the PIC and the PIT come with the irqchip only */
	EXPECT_EQ(-EINVAL, mhv_create_device(self->vm, MHV_DEV_TYPE_PIC,
					     MHV_DEV_SPACE_PIO, 0x20));
	EXPECT_EQ(-EINVAL, mhv_create_device(self->vm, MHV_DEV_TYPE_PIT,
					     MHV_DEV_SPACE_PIO, 0x40));
	/* vectors 0-31 are exceptions, not interrupt lines */
	c.irq_vector = 31;
	EXPECT_EQ(-EINVAL, create_raw(self->vm, &c));
	c.irq_vector = 256;
	EXPECT_EQ(-EINVAL, create_raw(self->vm, &c));
	c.irq_vector = 0;
	/* none of that created a device */
	ASSERT_EQ(0, mhv_list_devices(self->vm, &l));
	EXPECT_EQ(0, l.nr);

	/* the last port that fits; the id comes back in the struct too */
	c.base = 0x10000 - 0x10;
	EXPECT_EQ(0, create_raw(self->vm, &c));
	EXPECT_EQ(0, c.id);
	/* overlapping ranges: same start, inside, across either end */
	EXPECT_EQ(1, mhv_create_device(self->vm, MHV_DEV_TYPE_DEMO,
				       MHV_DEV_SPACE_PIO, DEMO_PORT));
	EXPECT_EQ(-EEXIST, mhv_create_device(self->vm, MHV_DEV_TYPE_DEMO,
					     MHV_DEV_SPACE_PIO, DEMO_PORT));
	EXPECT_EQ(-EEXIST, mhv_create_device(self->vm, MHV_DEV_TYPE_DEBUG_EXIT,
					     MHV_DEV_SPACE_PIO, DEMO_PORT + 0xc));
	EXPECT_EQ(-EEXIST, mhv_create_device(self->vm, MHV_DEV_TYPE_DEBUG_EXIT,
					     MHV_DEV_SPACE_PIO, DEMO_PORT - 3));
	EXPECT_EQ(-EEXIST, mhv_create_device(self->vm, MHV_DEV_TYPE_DEMO,
					     MHV_DEV_SPACE_PIO, DEMO_PORT + 0xf));
	/* touching is not overlapping */
	EXPECT_EQ(2, mhv_create_device(self->vm, MHV_DEV_TYPE_DEBUG_EXIT,
				       MHV_DEV_SPACE_PIO, DEMO_PORT - 4));
	EXPECT_EQ(3, mhv_create_device(self->vm, MHV_DEV_TYPE_DEBUG_EXIT,
				       MHV_DEV_SPACE_PIO, DEMO_PORT + 0x10));
	EXPECT_EQ(4, mhv_create_device(self->vm, MHV_DEV_TYPE_DEMO,
				       MHV_DEV_SPACE_MMIO, DEMO_MMIO));
	/* an MMIO device may not cover guest memory (slot 0) */
	EXPECT_EQ(-EEXIST, mhv_create_device(self->vm, MHV_DEV_TYPE_DEMO,
					     MHV_DEV_SPACE_MMIO, 0x100000));
	EXPECT_EQ(-EEXIST, mhv_create_device(self->vm, MHV_DEV_TYPE_DEMO,
					     MHV_DEV_SPACE_MMIO,
					     self->g.mem_size - 8));
	EXPECT_EQ(5, mhv_create_device(self->vm, MHV_DEV_TYPE_DEMO,
				       MHV_DEV_SPACE_MMIO, self->g.mem_size));
	/* at most MHV_MAX_DEVICES */
	for (i = 6; i < MHV_MAX_DEVICES; i++)
		EXPECT_EQ(i, mhv_create_device(self->vm,
					       MHV_DEV_TYPE_DEBUG_EXIT,
					       MHV_DEV_SPACE_PIO, 0x100 + 4 * i));
	EXPECT_EQ(-ENOSPC, mhv_create_device(self->vm, MHV_DEV_TYPE_DEBUG_EXIT,
					     MHV_DEV_SPACE_PIO, 0x80));
	ASSERT_EQ(0, mhv_list_devices(self->vm, &l));
	EXPECT_EQ(MHV_MAX_DEVICES, l.nr);
}

/* Ports and MMIO are separate spaces: the same base in both is fine. */
TEST(spaces_are_separate)
{
	struct mhv_vm_config cfg;
	int sys, vm;

	sys = mhv_open_system();
	ASSERT_LE(0, sys);
	mhv_vm_config_default(&cfg);
	vm = mhv_create_vm(sys, &cfg);
	ASSERT_LE(0, vm);
	EXPECT_EQ(0, mhv_create_device(vm, MHV_DEV_TYPE_DEMO,
				       MHV_DEV_SPACE_PIO, DEMO_PORT));
	EXPECT_EQ(1, mhv_create_device(vm, MHV_DEV_TYPE_DEMO,
				       MHV_DEV_SPACE_MMIO, DEMO_PORT));
	EXPECT_EQ(-EEXIST, mhv_create_device(vm, MHV_DEV_TYPE_DEMO,
					     MHV_DEV_SPACE_MMIO, DEMO_PORT + 8));
	mhv_close(vm);
	mhv_close(sys);
}

/* MHV_LIST_DEVICES reports each device as created. */
TEST_F(dev, list)
{
	struct mhv_device_list l;

	ASSERT_EQ(0, mhv_create_device(self->vm, MHV_DEV_TYPE_DEMO,
				       MHV_DEV_SPACE_MMIO, DEMO_MMIO));
	ASSERT_EQ(1, mhv_create_device(self->vm, MHV_DEV_TYPE_DEBUG_EXIT,
				       MHV_DEV_SPACE_PIO, 0xf4));
	ASSERT_EQ(0, mhv_set_device_mode(self->vm, 1, MHV_DEV_MODE_RO));
	memset(&l, 0xa5, sizeof(l));
	ASSERT_EQ(0, mhv_list_devices(self->vm, &l));
	ASSERT_EQ(2, l.nr);
	EXPECT_EQ(0, l.pad);
	EXPECT_EQ(0, l.devices[0].id);
	EXPECT_EQ(MHV_DEV_TYPE_DEMO, l.devices[0].type);
	EXPECT_EQ(MHV_DEV_SPACE_MMIO, l.devices[0].space);
	EXPECT_EQ(MHV_DEV_MODE_RW, l.devices[0].mode);
	EXPECT_EQ(DEMO_MMIO, l.devices[0].base);
	EXPECT_EQ(16, l.devices[0].size);
	EXPECT_STREQ("demo", l.devices[0].name);
	EXPECT_EQ(1, l.devices[1].id);
	EXPECT_EQ(MHV_DEV_TYPE_DEBUG_EXIT, l.devices[1].type);
	EXPECT_EQ(MHV_DEV_SPACE_PIO, l.devices[1].space);
	EXPECT_EQ(MHV_DEV_MODE_RO, l.devices[1].mode);
	EXPECT_EQ(0xf4, l.devices[1].base);
	EXPECT_EQ(4, l.devices[1].size);
	EXPECT_STREQ("debug-exit", l.devices[1].name);
	/* the unused entries and the reserved words are zero */
	EXPECT_EQ(0, l.devices[2].type);
	EXPECT_EQ(0, l.devices[MHV_MAX_DEVICES - 1].base);
	EXPECT_EQ(0, l.reserved[0] | l.reserved[3]);
	EXPECT_EQ(0, l.devices[0].reserved[0]);
}

/* Unknown ids, modes and nonzero reserved words. */
TEST_F(dev, bad_ioctl_input)
{
	struct mhv_device_stats st;
	struct mhv_device_desc d;
	struct mhv_device_mode m;

	ASSERT_EQ(0, mhv_create_device(self->vm, MHV_DEV_TYPE_DEMO,
				       MHV_DEV_SPACE_PIO, DEMO_PORT));
	EXPECT_EQ(-ENOENT, mhv_describe_device(self->vm, 1, &d));
	EXPECT_EQ(-ENOENT, mhv_describe_device(self->vm, 0xffffffff, &d));
	EXPECT_EQ(-ENOENT, mhv_get_device_stats(self->vm, 1, &st));
	EXPECT_EQ(-ENOENT, mhv_reset_device_stats(self->vm, 1));
	EXPECT_EQ(-ENOENT, mhv_reset_device(self->vm, 1));
	EXPECT_EQ(-1, ioctl(self->vm, MHV_RESET_DEVICE, 1ULL << 32));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, ioctl(self->vm, MHV_RESET_DEVICE_STATS, 1ULL << 32));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-ENOENT, mhv_set_device_mode(self->vm, 1, MHV_DEV_MODE_RO));
	EXPECT_EQ(-EINVAL, mhv_set_device_mode(self->vm, 0, MHV_DEV_MODE_NR));
	EXPECT_EQ(-EINVAL, mhv_set_device_mode(self->vm, 0, 0xffffffff));

	memset(&m, 0, sizeof(m));
	m.mode = MHV_DEV_MODE_DISABLED;
	m.reserved[1] = 1;
	EXPECT_EQ(-1, ioctl(self->vm, MHV_SET_DEVICE_MODE, &m));
	EXPECT_EQ(EINVAL, errno);
	memset(&d, 0, sizeof(d));
	d.reserved[0] = 1;
	EXPECT_EQ(-1, ioctl(self->vm, MHV_DESCRIBE_DEVICE, &d));
	EXPECT_EQ(EINVAL, errno);
	memset(&st, 0, sizeof(st));
	st.pad = 1;
	EXPECT_EQ(-1, ioctl(self->vm, MHV_GET_DEVICE_STATS, &st));
	EXPECT_EQ(EINVAL, errno);
	st.pad = 0;
	st.reserved[ARRAY_SIZE(st.reserved) - 1] = 1;
	EXPECT_EQ(-1, ioctl(self->vm, MHV_GET_DEVICE_STATS, &st));
	EXPECT_EQ(EINVAL, errno);
	/* none of it changed the mode */
	ASSERT_EQ(0, mhv_describe_device(self->vm, 0, &d));
	EXPECT_EQ(MHV_DEV_MODE_RW, d.info.mode);
	/* a device ioctl on the system fd is not one */
	EXPECT_EQ(-1, ioctl(self->g.sys_fd, MHV_RESET_DEVICE, 0));
	EXPECT_EQ(ENOTTY, errno);
}

/* The debug-exit register from the host: stores, never ends a run. */
TEST_F(dev, debug_exit_register)
{
	struct mhv_device_desc d;
	int id = mhv_create_device(self->vm, MHV_DEV_TYPE_DEBUG_EXIT,
				   MHV_DEV_SPACE_PIO, 0xf4);

	ASSERT_EQ(0, id);
	ASSERT_EQ(0, mhv_describe_device(self->vm, id, &d));
	EXPECT_STREQ("debug-exit", d.info.name);
	ASSERT_EQ(1, d.nr_regs);
	EXPECT_STREQ("status", d.regs[0].name);
	EXPECT_EQ(0, d.regs[0].offset);
	EXPECT_EQ(4, d.regs[0].width);
	EXPECT_EQ(1 | 2 | 4, d.regs[0].widths);
	EXPECT_EQ(0, d.regs[0].value);
	EXPECT_EQ(0, mhv_device_write(self->vm, id, 0, 1, 0x2a));
	EXPECT_EQ(0x2a, reg(_metadata, self->vm, id, 0, 4));
	EXPECT_EQ(0x2a, reg(_metadata, self->vm, id, 0, 1));
	EXPECT_EQ(0, mhv_device_write(self->vm, id, 0, 4, 0xdeadbeef));
	EXPECT_EQ(0xbeef, reg(_metadata, self->vm, id, 0, 2));
	EXPECT_EQ(-EINVAL, mhv_device_write(self->vm, id, 0, 8, 0));
	EXPECT_EQ(-EINVAL, mhv_device_write(self->vm, id, 1, 1, 0));
	ASSERT_EQ(0, mhv_reset_device(self->vm, id));
	EXPECT_EQ(0, reg(_metadata, self->vm, id, 0, 4));
}

TEST_HARNESS_MAIN
