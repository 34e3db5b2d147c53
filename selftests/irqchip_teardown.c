// SPDX-License-Identifier: GPL-2.0
/*
 * Teardown of an irqchip VM with its timers running: the PIT's counter 0
 * periodic and a timer device on a GSI, both firing into the PIC and the
 * I/O APIC (mhv_irq_line()) when the last fd closes. Their callbacks must
 * never find the PIC or the I/O APIC freed under them: the module stops
 * every device before it frees any. Many rounds widen the window; the
 * harness fails the run on any WARNING/BUG (KASAN's use-after-free
 * report among them) in dmesg. A race test: a clean run does not prove
 * the race gone, a freed PIC reached shows as a report.
 *
 * Each round waits until both timers have interrupted twice (their tick
 * registers), so the hrtimers are armed and firing when the VM goes.
 */
#include <string.h>

#include "kselftest_harness.h"
#include "libmultios_hv.h"

#define ROUNDS		100
#define PIT_DEV		1	/* devices 0 PIC, 1 PIT, 2 I/O APIC */
#define TIMER_GSI	5
#define TIMER_PORT	0x5f0

static uint64_t dev_reg(struct __test_metadata *_metadata, int vm,
			uint32_t id, uint32_t off, uint32_t size)
{
	uint64_t v = 0;

	EXPECT_EQ(0, mhv_device_read(vm, id, off, size, &v));
	return v;
}

static void one_round(struct __test_metadata *_metadata, int sys)
{
	struct mhv_vm_config cfg;
	int vm, vcpu, timer;

	memset(&cfg, 0, sizeof(cfg));
	strcpy(cfg.name, "irqchip-teardown");
	cfg.vcpu_count = 1;
	cfg.memory_mb = 16;
	cfg.arch = MHV_ARCH_X86_64;
	cfg.features = MHV_VM_F_IRQCHIP;
	cfg.page_size = MHV_PAGE_SIZE_4K;
	vm = mhv_create_vm(sys, &cfg);
	ASSERT_LE(0, vm);
	vcpu = mhv_create_vcpu(vm, 0);
	ASSERT_LE(0, vcpu);
	/* counter 0, LSB then MSB, mode 2, count 1: the shortest period */
	ASSERT_EQ(0, mhv_device_write(vm, PIT_DEV, MHV_PIT_CONTROL, 1, 0x34));
	ASSERT_EQ(0, mhv_device_write(vm, PIT_DEV, MHV_PIT_COUNTER0, 1, 1));
	ASSERT_EQ(0, mhv_device_write(vm, PIT_DEV, MHV_PIT_COUNTER0, 1, 0));
	timer = mhv_create_device_gsi(vm, MHV_DEV_TYPE_TIMER, MHV_DEV_SPACE_PIO,
				      TIMER_PORT, TIMER_GSI);
	ASSERT_LE(0, timer);
	ASSERT_EQ(0, mhv_device_write(vm, timer, MHV_TIMER_PERIOD, 4,
				      MHV_TIMER_MIN_PERIOD_US));
	ASSERT_EQ(0, mhv_device_write(vm, timer, MHV_TIMER_CTRL, 4,
				      MHV_TIMER_CTRL_ENABLE));
	while (dev_reg(_metadata, vm, PIT_DEV, MHV_PIT_IRQ0_TICKS, 4) < 2 ||
	       dev_reg(_metadata, vm, timer, MHV_TIMER_TICKS, 4) < 2)
		;
	close(vcpu);
	close(vm);
}

TEST(close_with_timers_firing)
{
	int sys = mhv_open_system();
	unsigned int i;

	ASSERT_LE(0, sys);
	for (i = 0; i < ROUNDS && _metadata->passed; i++)
		one_round(_metadata, sys);
	close(sys);
}

TEST_HARNESS_MAIN
